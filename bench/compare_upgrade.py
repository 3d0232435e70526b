#!/usr/bin/python3
"""Two (or more) retort binaries against the one-script lower bound, in turn:
`upgrade heads` from empty and then `downgrade base`, on SQLite and on a
throwaway PostgreSQL server (scripts/pg_test_server.sh), N linear revisions.

    bench/compare_upgrade.py sqlite,pg 1000 15 OLD_RETORT NEW_RETORT

Each round runs every binary and the script (`sqlite3 .read` / `psql -f`),
starting one further each round; the first round is a warm-up. Prints wall
and CPU medians (CPU: the client's user + sys; not the server's) and each
one's ratio to the script. Used for issue 15's folded version/history
writes (docs/performance.md)."""
import os
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as B  # noqa: E402
from projects import Project, linear  # noqa: E402


def main() -> int:
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    which, n, runs, bins = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    work = tempfile.mkdtemp(prefix="retort-compare-")
    p = Project(linear(n), os.path.join(work, "linear-%d" % n), False)
    pg = B.Postgres(os.path.join(work, "pg")) if "pg" in which else None
    tools = {"bin%d" % i: os.path.abspath(b) for i, b in enumerate(bins)}
    tools["script"] = None
    names = list(tools)
    res = {}

    def run(key, i, argv):
        wall, cpu = B.timed(argv, p.dir)
        if i:
            res.setdefault(key, {}).setdefault(t, []).append((wall * 1e3, cpu * 1e3))

    try:
        for i in range(runs + 1):
            for t in names[i % len(names):] + names[:i % len(names)]:
                b = tools[t]
                if "sqlite" in which:
                    db = os.path.join(p.dir, "%s.db" % t)
                    if os.path.exists(db):
                        os.remove(db)
                    url = "sqlite:///" + db
                    run("SQLite upgrade head", i, [b, "-q", "--url", url, "upgrade", "heads"]
                        if b else ["sqlite3", db, ".read " + p.up_sql])
                    run("SQLite downgrade base", i, [b, "-q", "--url", url, "downgrade", "base"]
                        if b else ["sqlite3", db, ".read " + p.down_sql])
                if pg:
                    pg.fresh("cmp_%s" % t)
                    url = pg.url("cmp_%s" % t)
                    psql = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url]
                    run("PostgreSQL upgrade head", i, [b, "-q", "--url", url, "upgrade", "heads"]
                        if b else psql + ["-f", p.up_sql])
                    run("PostgreSQL downgrade base", i, [b, "-q", "--url", url, "downgrade", "base"]
                        if b else psql + ["-f", p.down_sql])
    finally:
        if pg:
            pg.stop()
        shutil.rmtree(work, ignore_errors=True)
    print("N = %d linear, %d runs, load %s" % (n, runs, " ".join(open("/proc/loadavg").read().split()[:3])))
    for t, b in tools.items():
        print("  %s = %s" % (t, b or "sqlite3 / psql script"))
    for key, by in res.items():
        script = statistics.median(w for w, _ in by["script"])
        cells = []
        for t in names:
            wall = statistics.median(w for w, _ in by[t])
            cpu = statistics.median(c for _, c in by[t])
            cells.append("%s %.0f ms (%.2fx) CPU %.0f ms" % (t, wall, wall / script, cpu))
        print("%-26s %s" % (key, " | ".join(cells)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
