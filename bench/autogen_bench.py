#!/usr/bin/python3
"""Workload 6 of bench/: autogenerate / check on PostgreSQL, retort vs Alembic.

Run through bench/autogen.sh, which starts the throwaway server. For each size
N (default 200 and 1,000 tables; 10 columns, an index and a foreign key each)
it creates, on that server:
  declared_N  the full schema (Alembic reflects its models from it),
  target_N    the same schema without one column (what autogenerate finds),
and times, as processes the way users run them:
  retort check                     (exit 1: one column missing)
  retort revision --autogenerate   (file removed after each run, not timed)
  alembic revision --autogenerate  (env.py: target_metadata = MetaData
                                    reflected from declared_N)
plus two in-process figures:
  retort check --timings           inspection of both databases + diff
                                   (without the scratch database's DDL)
  alembic compare_metadata         inspection of the target + diff, after
                                   the reflection of the models (not timed)
Prints medians and spreads in milliseconds, and the Alembic/retort ratios.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg2

MAKO = "/usr/lib/python3/dist-packages/alembic/templates/generic/script.py.mako"
MISSING_COLUMN = "note"


def schema_sql(tables, drop_column_of=None):
    """N tables, 10 columns, an index and a foreign key each. The column
    `note` is left out of table `drop_column_of` (the target's difference)."""
    out = []
    for i in range(1, tables + 1):
        name = f"t{i:04d}"
        # Each table references t0001 (t0001 itself): a chain t0200 -> t0199
        # -> ... overflows SQLAlchemy's recursive reflection of referred tables.
        parent = "t0001"
        columns = [
            "id serial PRIMARY KEY",
            f"parent_id integer REFERENCES {parent} (id) ON DELETE CASCADE",
            "name varchar(100) NOT NULL",
            "email text",
            "amount numeric(12,2) NOT NULL DEFAULT 0",
            "active boolean NOT NULL DEFAULT true",
            "created_at timestamptz NOT NULL DEFAULT now()",
            "note text",
            "score double precision",
            "code char(8)",
        ]
        if name == drop_column_of:
            columns = [c for c in columns if not c.startswith(MISSING_COLUMN + " ")]
        out.append(f"CREATE TABLE {name} (\n    " + ",\n    ".join(columns) + "\n);")
        out.append(f"CREATE INDEX ix_{name}_name ON {name} (name);")
    return "\n".join(out) + "\n"


def with_database(url, database):
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


def create_database(server_url, name, sql):
    admin = psycopg2.connect(server_url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    url = with_database(server_url, name)
    conn = psycopg2.connect(url)
    with conn, conn.cursor() as cur:
        cur.execute(sql)
    conn.close()
    return url


def drop_database(server_url, name):
    admin = psycopg2.connect(server_url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def timed(argv, cwd, expect, after=None):
    start = time.perf_counter()
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    elapsed = (time.perf_counter() - start) * 1000
    if result.returncode not in expect:
        sys.exit(f"bench: {' '.join(argv[:3])} exited {result.returncode}:\n"
                 f"{result.stdout}\n{result.stderr}")
    if after:
        after()
    return elapsed, result


def measure(label, argv, cwd, expect, runs, warmup, after=None):
    for _ in range(warmup):
        timed(argv, cwd, expect, after)
    samples, last = [], None
    for _ in range(runs):
        elapsed, last = timed(argv, cwd, expect, after)
        samples.append(elapsed)
    return label, samples, last


def clear(folder):
    for entry in os.listdir(folder):
        path = os.path.join(folder, entry)
        if os.path.isfile(path):
            os.remove(path)
        else:
            shutil.rmtree(path, ignore_errors=True)


def retort_project(root, retort, target_url, schema):
    folder = os.path.join(root, "retort")
    os.makedirs(folder)
    subprocess.run([retort, "init", "migrations"], cwd=folder, check=True, capture_output=True)
    with open(os.path.join(folder, "schema.sql"), "w") as f:
        f.write(schema)
    with open(os.path.join(folder, "retort.ini"), "w") as f:
        f.write("[retort]\nscript_location = migrations\n"
                f"url = {target_url.replace('%', '%%')}\nschema = schema.sql\n")
    return folder


ENV_PY = '''
from logging.config import fileConfig

from alembic import context
from sqlalchemy import MetaData, create_engine

config = context.config
fileConfig(config.config_file_name)
# The models: a MetaData reflected from the database that holds the
# declared schema (as a project whose models match it would have).
target_metadata = MetaData()
target_metadata.reflect(bind=create_engine(config.get_main_option("declared_url")))

engine = create_engine(config.get_main_option("sqlalchemy.url"))
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
'''

# alembic.ini's usual logging sections, so that "Detected ..." lines show.
LOGGING = """
[loggers]
keys = root,sqlalchemy,alembic
[handlers]
keys = console
[formatters]
keys = generic
[logger_root]
level = WARN
handlers = console
qualname =
[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine
[logger_alembic]
level = INFO
handlers =
qualname = alembic
[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic
[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
"""

COMPARE_PY = '''
import sys, time
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine
declared, target = sys.argv[1], sys.argv[2]
metadata = MetaData()
metadata.reflect(bind=create_engine(declared))
engine = create_engine(target)
with engine.connect() as connection:
    start = time.perf_counter()
    diffs = compare_metadata(MigrationContext.configure(connection), metadata)
    print((time.perf_counter() - start) * 1000, len(diffs))
'''


def alembic_project(root, target_url, declared_url):
    folder = os.path.join(root, "alembic_project")
    os.makedirs(os.path.join(folder, "alembic", "versions"))
    shutil.copy(MAKO, os.path.join(folder, "alembic", "script.py.mako"))
    with open(os.path.join(folder, "alembic", "env.py"), "w") as f:
        f.write(ENV_PY)
    with open(os.path.join(folder, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = alembic\n"
                f"sqlalchemy.url = {target_url.replace('%', '%%')}\n"
                f"declared_url = {declared_url.replace('%', '%%')}\n" + LOGGING)
    with open(os.path.join(folder, "compare.py"), "w") as f:
        f.write(COMPARE_PY)
    return folder


def summary(samples):
    return statistics.median(samples), min(samples), max(samples)


def run_size(args, root, tables):
    target_name, declared_name = f"bench_target_{tables}", f"bench_declared_{tables}"
    last = f"t{tables:04d}"
    print(f"\n== {tables} tables (10 columns, an index and a foreign key each); "
          f"target lacks {last}.{MISSING_COLUMN} ==", flush=True)
    full = schema_sql(tables)
    target_url = create_database(args.server_url, target_name, schema_sql(tables, last))
    declared_url = create_database(args.server_url, declared_name, full)
    base = os.path.join(root, str(tables))
    os.makedirs(base)
    rows = []
    try:
        rp = retort_project(base, args.retort, target_url, full)
        versions = os.path.join(rp, "migrations", "versions")
        rows.append(measure("retort check", [args.retort, "check"], rp, {1},
                            args.runs, args.warmup))
        _, _, out = rows[-1]
        detected = [l for l in out.stdout.splitlines() if l.startswith("Detected")]
        print(f"retort check detected: {detected}")
        rows.append(measure("retort revision --autogenerate",
                            [args.retort, "revision", "--autogenerate", "-m", "x"], rp, {0},
                            args.runs, args.warmup, after=lambda: clear(versions)))
        phases = {}
        for _ in range(args.runs):
            _, res = timed([args.retort, "check", "--timings"], rp, {1, 2})
            if res.returncode == 2:  # a retort without --timings
                break
            for line in res.stderr.splitlines():
                m = re.match(r"Timing: (.*) ([0-9.]+) ms$", line)
                if m:
                    phases.setdefault(m.group(1), []).append(float(m.group(2)))
        if "alembic" in args.only:
            ap = alembic_project(base, target_url, declared_url)
            aversions = os.path.join(ap, "alembic", "versions")
            rows.append(measure("alembic revision --autogenerate",
                                ["/usr/bin/alembic", "revision", "--autogenerate", "-m", "x"],
                                ap, {0}, args.runs, args.warmup,
                                after=lambda: clear(aversions)))
            _, _, out = rows[-1]
            print("alembic log: " + " | ".join(
                l.split("] ", 1)[-1] for l in out.stderr.splitlines()
                if "[alembic.autogenerate.compare] Detected" in l))
            compare = []
            for _ in range(args.runs):
                _, res = timed(["/usr/bin/python3", "compare.py", declared_url, target_url],
                               ap, {0})
                compare.append(float(res.stdout.split()[0]))
    finally:
        if not args.keep:
            drop_database(args.server_url, target_name)
            drop_database(args.server_url, declared_name)

    print(f"{'command (process, wall clock)':40} {'median ms':>10} {'min..max ms':>20}")
    medians = {}
    for label, samples, _ in rows:
        med, lo, hi = summary(samples)
        medians[label] = med
        print(f"{label:40} {med:10.1f} {f'{lo:.1f}..{hi:.1f}':>20}")
    print(f"\nretort check --timings (median of {args.runs}):")
    for phase, values in phases.items():
        print(f"  {phase:38} {statistics.median(values):10.1f} ms")
    if "alembic" in args.only:
        med, lo, hi = summary(compare)
        print(f"alembic compare_metadata (target inspection + diff, in-process): "
              f"{med:.1f} ms ({lo:.1f}..{hi:.1f})")
        a = medians["alembic revision --autogenerate"]
        print(f"\nratio alembic revision --autogenerate / retort revision --autogenerate: "
              f"{a / medians['retort revision --autogenerate']:.1f}x")
        print(f"ratio alembic revision --autogenerate / retort check: "
              f"{a / medians['retort check']:.1f}x")
        inspect = statistics.median(phases.get("inspect both + compare", [float("nan")]))
        print(f"ratio alembic compare_metadata / retort inspect both + compare: "
              f"{med / inspect:.1f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retort", required=True)
    parser.add_argument("--server-url", required=True)
    parser.add_argument("--tables", default="200,1000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="3 runs, no warm-up")
    parser.add_argument("--only", action="append", default=None,
                        help="retort or alembic (repeatable; default both)")
    parser.add_argument("--keep", default=None, help="build the projects in DIR and keep them")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.warmup = 3, 0
    args.only = args.only or ["retort", "alembic"]
    version = subprocess.run([args.retort, "--version"], capture_output=True, text=True).stdout
    print(f"autogenerate benchmark: {version.strip()} ({args.retort}); alembic "
          f"{__import__('alembic').__version__}, SQLAlchemy {__import__('sqlalchemy').__version__}; "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    root = args.keep or tempfile.mkdtemp(prefix="retort-autogen-bench.")
    os.makedirs(root, exist_ok=True)
    try:
        for tables in [int(t) for t in args.tables.split(",")]:
            run_size(args, root, tables)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
