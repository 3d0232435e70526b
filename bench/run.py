#!/usr/bin/python3
"""Benchmark retort against Alembic, dbmate and the direct-script lower bound.

Run through bench/run.sh (which installs the reference tools first); see
bench/README.md for the workloads and docs/performance.md for results.
Every timed run is a cold process start; the tools of one row run
alternately (tool A, tool B, ..., then again) after a warm-up round, so a
burst of load on the machine hits every tool alike.  Restoring the starting
state of a run (a fresh or at-head database) is not timed.  Never run in CI.
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple
from urllib.parse import urlsplit, urlunsplit

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from projects import Project, branchy, linear  # noqa: E402
import targets  # noqa: E402  (issue 15's met / not met)

ALEMBIC = "/usr/bin/alembic"
TOOLS = ["retort", "alembic", "dbmate", "lower"]
SLOW = {"alembic", "dbmate"}


@dataclass
class Entry:
    argv: List[str]
    prep: Callable[[], None] = lambda: None


@dataclass
class Row:
    workload: str
    n: int
    command: str
    entries: Dict[str, Entry]
    note: str = ""
    times: Dict[str, List[float]] = field(default_factory=dict)
    cpu: Dict[str, List[float]] = field(default_factory=dict)


def settle(made: float) -> None:
    """Waits until a project written at `made` is 2.1 s old. The revision
    cache skips files changed in the last 2 s (their stat could miss a
    same-size rewrite): every timed row then sees the cache warm, as a
    user's project is (all workloads alike, not only the graph rows)."""
    time.sleep(max(0.0, made + 2.1 - time.monotonic()))


def sh(argv: List[str], cwd: Optional[str] = None, quiet: bool = True) -> None:
    p = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL if quiet else None,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit("bench: command failed (%d): %s\n%s" % (
            p.returncode, " ".join(redact(a) for a in argv),
            redact(p.stderr.decode(errors="replace")[-3000:])))


_secrets: List[str] = []


def redact(s: str) -> str:
    for x in _secrets:
        s = s.replace(x, "***")
    return s


def cpu_of_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(argv: List[str], cwd: str) -> Tuple[float, float]:
    """Wall time and CPU time (user + sys of the process and its children;
    not the PostgreSQL server's) of one run."""
    c0 = cpu_of_children()
    t0 = time.perf_counter()
    p = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t0
    dc = cpu_of_children() - c0
    if p.returncode != 0:
        sys.exit("bench: timed command failed (%d): %s\n%s" % (
            p.returncode, " ".join(redact(a) for a in argv),
            redact(p.stderr.decode(errors="replace")[-3000:])))
    return dt, dc


# ---- databases -----------------------------------------------------------------

class Postgres:
    """The throwaway server of scripts/pg_test_server.sh; one database per tool."""

    def __init__(self, state: str):
        self.state = state
        # Dropping 10,000 tables in one transaction (downgrade base) takes a
        # lock per table: more than the default lock table (64 per
        # connection) holds, for every tool. psql, Alembic and retort all
        # fail with "out of shared memory" without this.
        os.environ.setdefault("RETORT_PG_SERVER_OPTIONS", "-c max_locks_per_transaction=512")
        sh([os.path.join(REPO, "scripts", "pg_test_server.sh"), "start", state])
        with open(os.path.join(state, "url")) as f:
            self.admin_url = f.read().strip()
        _secrets.append(urlsplit(self.admin_url).password or "\0")

    def url(self, db: str, scheme: str = "postgresql", query: str = "") -> str:
        u = urlsplit(self.admin_url)
        return urlunsplit((scheme, u.netloc, "/" + db, query, ""))

    def psql(self, sql: str) -> None:
        sh(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.admin_url, "-c", sql])

    def fresh(self, db: str) -> None:
        self.psql("DROP DATABASE IF EXISTS %s" % db)
        self.psql("CREATE DATABASE %s" % db)

    def copy(self, src: str, db: str) -> None:
        self.psql("DROP DATABASE IF EXISTS %s" % db)
        self.psql("CREATE DATABASE %s TEMPLATE %s STRATEGY FILE_COPY" % (db, src))

    def stop(self) -> None:
        sh([os.path.join(REPO, "scripts", "pg_test_server.sh"), "stop", self.state])


class Mysql:
    """The throwaway MariaDB server of scripts/mysql_test_server.sh (no
    doublewrite, no flush at commit, no binary log); one database per tool."""

    def __init__(self, state: str):
        self.state = state
        sh([os.path.join(REPO, "scripts", "mysql_test_server.sh"), "start", state])
        with open(os.path.join(state, "url")) as f:
            self.admin_url = f.read().strip()
        u = urlsplit(self.admin_url)
        self.host, self.port, self.user, self.password = u.hostname, u.port, u.username, u.password
        _secrets.append(self.password or "\0")
        # The mariadb client (lower bound and set-up) reads the password from
        # here, not from its command line, where ps would show it.
        os.environ["MYSQL_PWD"] = self.password
        self.version = subprocess.run(
            self.client("mysql") + ["-N", "-e", "SELECT VERSION()"],
            capture_output=True, text=True).stdout.strip()

    def url(self, db: str, scheme: str = "mysql") -> str:
        u = urlsplit(self.admin_url)
        return urlunsplit((scheme, u.netloc, "/" + db, "", ""))

    def client(self, db: str) -> List[str]:
        """The `mariadb` command-line client on database db (the password in
        MYSQL_PWD, set below, not on the command line)."""
        return ["mariadb", "--no-defaults", "-h", self.host, "-P", str(self.port),
                "-u", self.user, db]

    def sql(self, sql: str) -> None:
        sh(self.client("mysql") + ["-e", sql])

    def fresh(self, db: str) -> None:
        self.sql("DROP DATABASE IF EXISTS %s; CREATE DATABASE %s" % (db, db))

    def stop(self) -> None:
        sh([os.path.join(REPO, "scripts", "mysql_test_server.sh"), "stop", self.state])


class Bench:
    def __init__(self, args, workdir: str, pg: Optional[Postgres], my: Optional[Mysql] = None):
        self.args = args
        self.retort = args.retort
        self.dbmate = args.dbmate
        self.dir = workdir
        self.pg = pg
        self.my = my
        self.rows: List[Row] = []
        # (workload, N, command) -> tool -> peak RSS in KiB (targets.py)
        self.rss: Dict[Tuple[str, int, str], Dict[str, Optional[int]]] = {}

    # -- commands of each tool
    def rt(self, p: Project, url: str, *cmd: str) -> List[str]:
        return [self.retort, "-q", "--url", url] + list(cmd) if url else [self.retort] + list(cmd)

    def al(self, ini: str, *cmd: str) -> List[str]:
        return [ALEMBIC, "-c", ini] + list(cmd)

    def dm(self, p: Project, url: str, *cmd: str) -> List[str]:
        return [self.dbmate, "--url", url, "--migrations-dir", p.dbmate_dir,
                "--no-dump-schema"] + list(cmd)

    # -- workloads 1 and 2: read-only commands on a database stamped at head(s)
    def graph_rows(self, p: Project, workload: str) -> None:
        db = os.path.join(p.dir, "stamped_%s.db")
        rurl = "sqlite:///" + db % "retort"
        aini = p.alembic_ini("stamped", "sqlite:///" + db % "alembic")
        sh(self.rt(p, rurl, "stamp", "heads"), cwd=p.dir)
        sh(self.al(aini, "stamp", "heads"), cwd=p.dir)
        has_dbmate = workload.startswith("linear") and self.dbmate
        if has_dbmate:
            durl = "sqlite:" + db % "dbmate"
            sh(self.dm(p, durl, "migrate"), cwd=p.dir)
        lower_current = ["sqlite3", db % "retort", "SELECT version_num FROM alembic_version"]
        for cmd in ("heads", "current", "history"):
            e = {"retort": Entry(self.rt(p, rurl, cmd)), "alembic": Entry(self.al(aini, cmd))}
            if cmd == "heads":
                # issue 15: a warm `heads` within 2x of listing the folder
                e["lower"] = Entry(["ls", os.path.join(p.dir, "migrations", "versions")])
                if p.n == max(int(s) for s in self.args.sizes.split(",")):
                    self.rss[(workload, p.n, cmd)] = {
                        "retort": targets.peak_rss_kb(e["retort"].argv, p.dir),
                        "alembic": targets.peak_rss_kb(e["alembic"].argv, p.dir)}
            if cmd == "current":
                e["lower"] = Entry(lower_current)
                if has_dbmate:
                    e["dbmate"] = Entry(self.dm(p, durl, "status"))
            self.rows.append(Row(workload, p.n, cmd, e,
                                 "dbmate: `status`" if cmd == "current" and has_dbmate else ""))
        if not workload.startswith("linear"):
            # issue 15's `--sql` target is on branchy graphs too (the linear
            # one is workload 4); a script from base never connects.
            off = {"retort": Entry(self.rt(p, rurl, "upgrade", "heads", "--sql")),
                   "alembic": Entry(self.al(aini, "upgrade", "heads", "--sql"))}
            self.rows.append(Row(workload, p.n, "upgrade head --sql", off))

    # -- workload 3 on SQLite
    def sqlite_rows(self, p: Project) -> None:
        dbs = {t: os.path.join(p.dir, "%s.db" % t) for t in TOOLS}
        urls = {"retort": "sqlite:///" + dbs["retort"],
                "alembic": "sqlite:///" + dbs["alembic"],
                "dbmate": "sqlite:" + dbs["dbmate"]}
        aini = p.alembic_ini("sqlite", urls["alembic"])
        heads = {}

        def fresh(t):
            return lambda: os.path.exists(dbs[t]) and os.remove(dbs[t])

        def at_head(t):
            return lambda: shutil.copyfile(heads[t], dbs[t])

        argv_up = {"retort": self.rt(p, urls["retort"], "upgrade", "heads"),
                   "alembic": self.al(aini, "upgrade", "heads"),
                   "lower": ["sqlite3", dbs["lower"], ".read " + p.up_sql]}
        if self.dbmate:
            argv_up["dbmate"] = self.dm(p, urls["dbmate"], "migrate")
        for t, argv in argv_up.items():
            fresh(t)()
            sh(argv, cwd=p.dir)
            heads[t] = dbs[t] + ".head"
            shutil.copyfile(dbs[t], heads[t])
        self.rows.append(Row("upgrade, SQLite", p.n, "upgrade head",
                             {t: Entry(a, fresh(t)) for t, a in argv_up.items()}))
        down = {"retort": Entry(self.rt(p, urls["retort"], "downgrade", "base"), at_head("retort")),
                "alembic": Entry(self.al(aini, "downgrade", "base"), at_head("alembic")),
                "lower": Entry(["sqlite3", dbs["lower"], ".read " + p.down_sql], at_head("lower"))}
        self.rows.append(Row("upgrade, SQLite", p.n, "downgrade base", down,
                             "dbmate: no downgrade-to-base (only `rollback` of one)"))
        noop = {"retort": Entry(argv_up["retort"], at_head("retort")),
                "alembic": Entry(argv_up["alembic"], at_head("alembic")),
                "lower": Entry(["sqlite3", dbs["lower"], "SELECT version_num FROM alembic_version"],
                               at_head("lower"))}
        if self.dbmate:
            noop["dbmate"] = Entry(argv_up["dbmate"], at_head("dbmate"))
        self.rows.append(Row("upgrade, SQLite", p.n, "upgrade head (no-op)", noop))
        # workload 4: offline
        off = {"retort": Entry(self.rt(p, urls["retort"], "upgrade", "heads", "--sql")),
               "alembic": Entry(self.al(aini, "upgrade", "heads", "--sql"))}
        self.rows.append(Row("offline --sql", p.n, "upgrade head --sql", off,
                             "dbmate: no offline mode"))

    # -- workload 3 on PostgreSQL
    def postgres_rows(self, p: Project) -> None:
        pg = self.pg
        names = {t: "bench_%s" % t for t in TOOLS}
        urls = {"retort": pg.url(names["retort"]), "alembic": pg.url(names["alembic"]),
                "dbmate": pg.url(names["dbmate"], "postgres", "sslmode=disable"),
                "lower": pg.url(names["lower"])}
        aini = p.alembic_ini("pg", urls["alembic"])

        def fresh(t):
            return lambda: pg.fresh(names[t])

        def at_head(t):
            return lambda: pg.copy(names[t] + "_head", names[t])

        psql = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", urls["lower"]]
        argv_up = {"retort": self.rt(p, urls["retort"], "upgrade", "heads"),
                   "alembic": self.al(aini, "upgrade", "heads"),
                   "lower": psql + ["-f", p.up_sql]}
        if self.dbmate:
            argv_up["dbmate"] = self.dm(p, urls["dbmate"], "migrate")
        for t, argv in argv_up.items():
            fresh(t)()
            sh(argv, cwd=p.dir)
            pg.psql("DROP DATABASE IF EXISTS %s_head" % names[t])
            pg.psql("ALTER DATABASE %s RENAME TO %s_head" % (names[t], names[t]))
        self.rows.append(Row("upgrade, PostgreSQL", p.n, "upgrade head",
                             {t: Entry(a, fresh(t)) for t, a in argv_up.items()}))
        down = {"retort": Entry(self.rt(p, urls["retort"], "downgrade", "base"), at_head("retort")),
                "alembic": Entry(self.al(aini, "downgrade", "base"), at_head("alembic")),
                "lower": Entry(psql + ["-f", p.down_sql], at_head("lower"))}
        self.rows.append(Row("upgrade, PostgreSQL", p.n, "downgrade base", down,
                             "dbmate: no downgrade-to-base"))
        noop = {"retort": Entry(argv_up["retort"], at_head("retort")),
                "alembic": Entry(argv_up["alembic"], at_head("alembic")),
                "lower": Entry(psql + ["-c", "SELECT version_num FROM alembic_version"],
                               at_head("lower"))}
        if self.dbmate:
            noop["dbmate"] = Entry(argv_up["dbmate"], at_head("dbmate"))
        self.rows.append(Row("upgrade, PostgreSQL", p.n, "upgrade head (no-op)", noop))

    # -- workload 3 on MySQL/MariaDB: upgrade from an empty database, and the
    # no-op upgrade on a database at head (MySQL has no template databases;
    # a no-op upgrade changes nothing, so each tool's database is brought to
    # head once, untimed, and every no-op run starts from it)
    def mysql_rows(self, p: Project) -> None:
        my = self.my
        names = {t: "bench_%s" % t for t in TOOLS}
        urls = {"retort": my.url(names["retort"]),
                "alembic": my.url(names["alembic"], "mysql+pymysql"),
                "dbmate": my.url(names["dbmate"])}
        aini = p.alembic_ini("mysql", urls["alembic"])

        def fresh(t):
            return lambda: my.fresh(names[t])

        argv_up = {"retort": self.rt(p, urls["retort"], "upgrade", "heads"),
                   "alembic": self.al(aini, "upgrade", "heads"),
                   "lower": my.client(names["lower"]) + ["-e", "source " + p.up_sql]}
        if self.dbmate:
            argv_up["dbmate"] = self.dm(p, urls["dbmate"], "migrate")
        at_head = set()

        def ensure_head(t):
            def prep():
                if t not in at_head:
                    my.fresh(names[t])
                    sh(argv_up[t], cwd=p.dir)
                    at_head.add(t)
            return prep

        def fresh_then_forget(t):
            def prep():
                at_head.discard(t)
                my.fresh(names[t])
            return prep

        self.rows.append(Row("upgrade, MySQL", p.n, "upgrade head",
                             {t: Entry(a, fresh_then_forget(t)) for t, a in argv_up.items()}))
        noop = {"retort": Entry(argv_up["retort"], ensure_head("retort")),
                "alembic": Entry(argv_up["alembic"], ensure_head("alembic")),
                "lower": Entry(my.client(names["lower"]) +
                               ["-e", "SELECT version_num FROM alembic_version"],
                               ensure_head("lower"))}
        if self.dbmate:
            noop["dbmate"] = Entry(argv_up["dbmate"], ensure_head("dbmate"))
        self.rows.append(Row("upgrade, MySQL", p.n, "upgrade head (no-op)", noop))

    # -- timing: the tools of a row alternate, one warm-up round first
    def time_row(self, row: Row) -> None:
        big = row.n >= 10000
        tools = [t for t in TOOLS if t in row.entries and t in self.args.tools]
        runs = {t: (self.args.big_slow_runs if big and t in SLOW else
                    self.args.big_runs if big else self.args.runs) for t in tools}
        warm = {t: (0 if big and t in SLOW else self.args.warmup) for t in tools}
        rounds = max(runs[t] + warm[t] for t in tools)
        times: Dict[str, List[float]] = {t: [] for t in tools}
        cpu: Dict[str, List[float]] = {t: [] for t in tools}
        for i in range(rounds):
            order = tools[i % len(tools):] + tools[:i % len(tools)]
            for t in order:
                if i >= runs[t] + warm[t]:
                    continue
                e = row.entries[t]
                e.prep()
                dt, dc = timed(e.argv, self.current_dir)
                if i >= warm[t]:
                    times[t].append(dt)
                    cpu[t].append(dc)
        row.times = times
        row.cpu = cpu
        print_row(row, sys.stdout)
        sys.stdout.flush()


# ---- output --------------------------------------------------------------------

def med(ts: Optional[List[float]]) -> Optional[float]:
    return statistics.median(ts) if ts else None


def cell(ts: Optional[List[float]]) -> str:
    if not ts:
        return "-"
    m = med(ts) * 1e3
    lo, hi = min(ts) * 1e3, max(ts) * 1e3
    nd = 0 if m >= 100 else 1
    return "%.*f (%.*f-%.*f)" % (nd, m, nd, lo, nd, hi)


def ratio(a, b) -> str:
    if a is None or b is None:
        return "-"
    return "%.1fx" % (a / b)


HEADER = ("| workload | N | command | retort ms | Alembic ms | dbmate ms | lower bound ms "
          "| Alembic/retort | dbmate/retort | retort/lower | note |")


def print_header(out) -> None:
    print(HEADER, file=out)
    print("|" + "---|" * (HEADER.count("|") - 1), file=out)


def print_row(r: Row, out, metric: str = "times") -> None:
    t = getattr(r, metric)
    rt = med(t.get("retort"))
    print("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        r.workload, r.n, r.command, cell(t.get("retort")), cell(t.get("alembic")),
        cell(t.get("dbmate")), cell(t.get("lower")), ratio(med(t.get("alembic")), rt),
        ratio(med(t.get("dbmate")), rt), ratio(rt, med(t.get("lower"))), r.note), file=out)


def print_growth(rows: List[Row], out, metric: str = "times") -> None:
    """retort's time at the largest N against 1/10 of it: ~10x is linear."""
    by = {(r.workload, r.command, r.n): med(getattr(r, metric).get("retort")) for r in rows}
    ns = sorted({r.n for r in rows})
    pairs = [(a, b) for a in ns for b in ns if b == 10 * a]
    if not pairs:
        return
    print("\nGrowth of retort's median %s (10x more revisions; 10x = linear):\n"
          % ("wall time" if metric == "times" else "CPU time"), file=out)
    print("| workload | command | " + " | ".join("N=%d -> %d" % p for p in pairs) + " |",
          file=out)
    print("|---|---|" + "---|" * len(pairs), file=out)
    seen = []
    for r in rows:
        k = (r.workload, r.command)
        if k in seen:
            continue
        seen.append(k)
        cells = [ratio(by.get((k[0], k[1], b)), by.get((k[0], k[1], a))) for a, b in pairs]
        print("| %s | %s | %s |" % (k[0], k[1], " | ".join(cells)), file=out)


def main() -> int:
    ap = argparse.ArgumentParser(description="retort vs Alembic vs dbmate vs direct scripts")
    ap.add_argument("--retort", required=True, help="the retort binary to time")
    ap.add_argument("--dbmate", help="the dbmate binary (absent: dbmate is not timed)")
    ap.add_argument("--quick", action="store_true",
                    help="a few-minute subset: N=100 and 1,000, 3 runs")
    ap.add_argument("--sizes", default="100,1000,10000", help="N values (comma-separated)")
    ap.add_argument("--pg-max", type=int, default=1000,
                    help="largest N for the PostgreSQL rows (default 1000: at 10,000 each "
                    "Alembic and dbmate run takes minutes)")
    ap.add_argument("--mysql-max", type=int, default=1000,
                    help="largest N for the MySQL rows (default 1000)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool and row")
    ap.add_argument("--warmup", type=int, default=1, help="untimed runs first")
    ap.add_argument("--big-runs", type=int, default=3, help="timed runs at N >= 10,000")
    ap.add_argument("--big-slow-runs", type=int, default=1,
                    help="timed runs of Alembic and dbmate at N >= 10,000 (no warm-up)")
    ap.add_argument("--tools", default=",".join(TOOLS), help="subset of " + ",".join(TOOLS))
    ap.add_argument("--workloads", default="linear,branchy,sqlite,postgres,mysql",
                    help="subset of linear,branchy,sqlite,postgres,mysql")
    ap.add_argument("--keep", help="build the projects in this folder and keep them")
    ap.add_argument("--out", help="also write the table (Markdown) to this file")
    args = ap.parse_args()
    if args.quick:
        args.sizes, args.runs, args.pg_max = "100,1000", 3, 1000
    args.tools = args.tools.split(",")
    if "dbmate" not in args.tools:
        args.dbmate = None
    args.retort = os.path.abspath(args.retort)
    if args.dbmate:
        args.dbmate = os.path.abspath(args.dbmate)
    sizes = [int(s) for s in args.sizes.split(",")]
    workloads = args.workloads.split(",")

    workdir = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="retort-bench-")
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    t0 = time.time()
    pg = Postgres(os.path.join(workdir, "pg")) if "postgres" in workloads else None
    my = None
    if "mysql" in workloads:
        my = Mysql(os.path.join(workdir, "mysql"))
        print("MySQL rows: %s, mariadb client %s" % (my.version, subprocess.run(
            ["mariadb", "--version"], capture_output=True, text=True).stdout.split(",")[0].strip()))
    b = Bench(args, workdir, pg, my)
    print("retort %s | runs %d (+%d warm-up); at N>=10,000: retort/lower %d, Alembic/dbmate %d "
          "(no warm-up)\n" % (args.retort, args.runs, args.warmup, args.big_runs,
                              args.big_slow_runs))
    print_header(sys.stdout)
    try:
        for n in sizes:
            lin = Project(linear(n), os.path.join(workdir, "linear-%d" % n), bool(args.dbmate))
            made = time.monotonic()
            start = len(b.rows)
            b.current_dir = lin.dir
            if "linear" in workloads:
                b.graph_rows(lin, "linear")
            if "sqlite" in workloads:
                b.sqlite_rows(lin)
            if "postgres" in workloads and n <= args.pg_max:
                b.postgres_rows(lin)
            if my and n <= args.mysql_max:
                b.mysql_rows(lin)
            settle(made)
            for row in b.rows[start:]:
                b.time_row(row)
            if "branchy" in workloads:
                br = Project(branchy(n), os.path.join(workdir, "branchy-%d" % n), False)
                made = time.monotonic()
                start = len(b.rows)
                b.current_dir = br.dir
                b.graph_rows(br, "branchy")
                settle(made)
                for row in b.rows[start:]:
                    b.time_row(row)
            if not args.keep:
                shutil.rmtree(lin.dir, ignore_errors=True)
    finally:
        if pg:
            pg.stop()
        if my:
            my.stop()
    rows = sorted(b.rows, key=lambda r: (r.workload, r.command, r.n))
    out = [sys.stdout] + ([open(args.out, "w")] if args.out else [])
    for f in out:
        print("\nWall time, all rows (ms, median (min-max)):\n", file=f)
        print_header(f)
        for r in rows:
            print_row(r, f)
        print_growth(rows, f)
        print("\nCPU time (user+sys of the command and its children; the PostgreSQL "
              "and MariaDB servers' work is not in it), all rows:\n", file=f)
        print_header(f)
        for r in rows:
            print_row(r, f, "cpu")
        print_growth(rows, f, "cpu")
        for line in targets.judge(rows, b.rss):
            print(line, file=f)
        print("\n(total %.0f s)" % (time.time() - t0), file=f)
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
