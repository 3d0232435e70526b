#!/usr/bin/python3
"""Benchmark retort against Alembic and against the bare-SQLite lower bound.

Generates N linear revisions (one CREATE TABLE each) as a retort project and
as an Alembic project (the conformance suite's writers), then times, after a
warm-up, several repetitions of:

  heads, current, upgrade head (fresh SQLite file), downgrade base,
  upgrade head when already at head (no-op)

for retort and for Alembic (both spawned as processes, as users run them),
and the lower bound: the same DDL as one script through `sqlite3` in one
transaction.  Prints median and spread (min..max) and the ratios.

Uses hyperfine when it is installed, else its own timing loop.  Run on demand,
never in CI.  See bench/README.md.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Callable, Dict, List, Optional

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "conformance"))

from graphs import linear  # noqa: E402
from writers import write_alembic_ini, write_projects, write_retort_ini  # noqa: E402

ALEMBIC = "/usr/bin/alembic"
PYTHON = "/usr/bin/python3"


def ensure_debian_package(binary: str, package: str) -> None:
    """Install a missing tool with apt-get ourselves (nobody should have to)."""
    if shutil.which(binary) or os.path.exists(binary):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("installing %s with apt-get ..." % package, file=sys.stderr)
    subprocess.run(sudo + ["apt-get", "install", "-y", "-q", package], check=True)


def find_retort(given: Optional[str]) -> str:
    for cand in [given, os.environ.get("RETORT"), os.path.join(REPO, "build", "retort"),
                 "/work/build-conf/retort"]:
        if cand and os.access(cand, os.X_OK):
            return os.path.abspath(cand)
    sys.exit("retort binary not found: pass --retort PATH (or set $RETORT)")


# ---- the projects and databases -------------------------------------------------

class Bench:
    def __init__(self, workdir: str, n: int, retort: str):
        self.dir = workdir
        self.retort = retort
        self.graph = linear(seed=4242, n=n)
        write_projects(self.graph, workdir)
        # one database per tool, at fixed paths the commands are pointed at
        self.db = {"retort": os.path.join(workdir, "retort.db"),
                   "alembic": os.path.join(workdir, "alembic.db"),
                   "sqlite3": os.path.join(workdir, "lower.db")}
        write_retort_ini(workdir, "retort.db")
        write_alembic_ini(workdir, self.db["alembic"])
        self.at_head = {}   # tool -> a copy of its database at head
        self.up_sql = os.path.join(workdir, "up.sql")
        self.down_sql = os.path.join(workdir, "down.sql")
        self._write_lower_bound_scripts()

    def _write_lower_bound_scripts(self) -> None:
        ids = self.graph.ids()
        with open(self.up_sql, "w") as f:
            f.write("BEGIN;\n")
            f.write("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));\n")
            for r in ids:
                f.write("CREATE TABLE t_%s (id INTEGER);\n" % r)
            f.write("INSERT INTO alembic_version (version_num) VALUES ('%s');\n" % ids[-1])
            f.write("COMMIT;\n")
        with open(self.down_sql, "w") as f:
            f.write("BEGIN;\n")
            for r in reversed(ids):
                f.write("DROP TABLE t_%s;\n" % r)
            f.write("DELETE FROM alembic_version;\nCOMMIT;\n")

    # argv of each (tool, command); None = no lower bound for that command
    def argv(self, tool: str, cmd: str) -> Optional[List[str]]:
        if tool == "retort":
            return [self.retort] + cmd.split()
        if tool == "alembic":
            return [ALEMBIC, "-c", os.path.join(self.dir, "alembic.ini")] + cmd.split()
        db = self.db["sqlite3"]
        return {
            "current": ["sqlite3", db, "SELECT version_num FROM alembic_version"],
            "upgrade head": ["sqlite3", db, ".read " + self.up_sql],
            "downgrade base": ["sqlite3", db, ".read " + self.down_sql],
            "upgrade head (no-op)": ["sqlite3", db, "SELECT version_num FROM alembic_version"],
        }.get(cmd)

    # state each timed run starts from
    def prepare(self, tool: str, cmd: str) -> Callable[[], None]:
        db = self.db[tool]

        def fresh():
            if os.path.exists(db):
                os.remove(db)

        def head():
            shutil.copyfile(self.at_head[tool], db)

        return fresh if cmd == "upgrade head" else head

    def make_head_copies(self, tools: List[str]) -> None:
        """Bring each tool's database to head once, keep a copy to restore."""
        for tool in tools:
            self.prepare(tool, "upgrade head")()
            run(self.argv(tool, "upgrade head"), self.dir, check=True)
            self.at_head[tool] = self.db[tool] + ".head"
            shutil.copyfile(self.db[tool], self.at_head[tool])


def run(argv: List[str], cwd: str, check: bool = False) -> float:
    t0 = time.perf_counter()
    p = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t0
    if p.returncode != 0 and check:
        sys.exit("command failed (%d): %s\n%s" % (p.returncode, " ".join(argv),
                                                   p.stderr.decode(errors="replace")[-2000:]))
    return dt


# ---- timing ------------------------------------------------------------------------

def time_own_loop(b: Bench, tool: str, cmd: str, warmup: int, runs: int) -> List[float]:
    argv = b.argv(tool, cmd.replace(" (no-op)", ""))
    if tool == "sqlite3":
        argv = b.argv(tool, cmd)
    prep = b.prepare(tool, cmd)
    times = []
    for i in range(warmup + runs):
        prep()
        dt = run(argv, b.dir, check=True)
        if i >= warmup:
            times.append(dt)
    return times


def time_hyperfine(b: Bench, tool: str, cmd: str, warmup: int, runs: int) -> List[float]:
    argv = b.argv(tool, cmd.replace(" (no-op)", "")) if tool != "sqlite3" else b.argv(tool, cmd)
    db = b.db[tool]
    if cmd == "upgrade head":
        prep = "rm -f %s" % db
    else:
        prep = "cp %s %s" % (b.at_head[tool], db)
    out = os.path.join(b.dir, "hf.json")
    quoted = " ".join("'%s'" % a.replace("'", "'\\''") for a in argv)
    subprocess.run(["hyperfine", "--style", "none", "--warmup", str(warmup),
                    "--runs", str(runs), "--prepare", prep, "--export-json", out, quoted],
                   cwd=b.dir, check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        return json.load(f)["results"][0]["times"]


COMMANDS = ["heads", "current", "upgrade head", "downgrade base", "upgrade head (no-op)"]
TOOLS = ["retort", "alembic", "sqlite3"]


def fmt(times: Optional[List[float]]) -> str:
    if not times:
        return "-"
    med = statistics.median(times)
    return "%8.1f ms (%.1f..%.1f)" % (med * 1e3, min(times) * 1e3, max(times) * 1e3)


def ratio(a: Optional[List[float]], b: Optional[List[float]]) -> str:
    if not a or not b:
        return "-"
    return "%.1fx" % (statistics.median(a) / statistics.median(b))


def main() -> int:
    ap = argparse.ArgumentParser(description="retort vs Alembic vs sqlite3 timings")
    ap.add_argument("--retort", help="retort binary (default: build/retort or $RETORT)")
    ap.add_argument("--revisions", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5, help="timed repetitions (default 5)")
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--only", choices=TOOLS, action="append", help="time only these tools")
    ap.add_argument("--keep", help="build the projects here and keep them")
    args = ap.parse_args()

    ensure_debian_package("sqlite3", "sqlite3")
    ensure_debian_package(ALEMBIC, "alembic")
    tools = args.only or TOOLS
    retort = find_retort(args.retort) if "retort" in tools else "(not timed)"
    use_hf = shutil.which("hyperfine") is not None

    workdir = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="retort-bench-")
    if args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
        os.makedirs(workdir)
    t0 = time.time()
    b = Bench(workdir, args.revisions, retort)
    b.make_head_copies(tools)
    timer = time_hyperfine if use_hf else time_own_loop
    print("%d linear revisions, %d warm-up + %d timed runs each, timer: %s, retort: %s"
          % (args.revisions, args.warmup, args.runs, "hyperfine" if use_hf else "own loop", retort))
    res: Dict[str, Dict[str, Optional[List[float]]]] = {}
    for cmd in COMMANDS:
        res[cmd] = {}
        for tool in tools:
            if tool == "sqlite3" and b.argv(tool, cmd) is None:
                res[cmd][tool] = None
                continue
            res[cmd][tool] = timer(b, tool, cmd, args.warmup, args.runs)

    hdr = "%-22s %-26s %-26s %-26s %10s %10s" % (
        "command", "retort median (min..max)", "alembic", "sqlite3 lower bound",
        "alembic/rt", "rt/lower")
    print(hdr)
    print("-" * len(hdr))
    for cmd in COMMANDS:
        r = res[cmd]
        print("%-22s %-26s %-26s %-26s %10s %10s" % (
            cmd, fmt(r.get("retort")), fmt(r.get("alembic")), fmt(r.get("sqlite3")),
            ratio(r.get("alembic"), r.get("retort")), ratio(r.get("retort"), r.get("sqlite3"))))
    print("(total %.0f s; projects in %s)" % (time.time() - t0, workdir if args.keep else "a temp dir, removed"))
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
