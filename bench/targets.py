"""Issue 15's targets, judged from the rows bench/run.py timed: each target's
ratio (of wall medians, as the tables) and "met" / "not met".

- `heads`, `current`, `history`, `upgrade head --sql`: >= 30x faster than
  Alembic at N = 1,000 and 10,000, on linear and branchy graphs;
- a warm `heads` within 2x of `ls` of the versions folder (the heads rows'
  lower bound, run.py's graph_rows);
- `upgrade head` from empty <= 1.2x the one-script lower bound (SQLite,
  PostgreSQL) at every N;
- the no-op `upgrade head` faster than dbmate at every N;
- peak RSS at the largest N, next to Alembic's (measured by run.py with
  wait4(), `peak_rss`).
"""

import os
import statistics
import subprocess
from typing import Dict, List, Optional, Tuple


def _med(ts) -> Optional[float]:
    return statistics.median(ts) if ts else None


def peak_rss_kb(argv: List[str], cwd: str) -> Optional[int]:
    """The peak resident set of one run of argv (its own process tree's
    largest, from wait4), in KiB."""
    try:
        proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    except OSError:
        return None
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss if proc.returncode == 0 else None


def _verdict(ok: Optional[bool]) -> str:
    return "-" if ok is None else ("met" if ok else "not met")


def judge(rows, rss: Dict[Tuple[str, int, str], Dict[str, Optional[int]]]) -> List[str]:
    """Markdown lines: one table row per (target, row)."""
    out = ["", "Issue 15 targets (wall medians of the rows above):", "",
           "| target | workload | N | command | ratio | verdict |",
           "|---|---|---|---|---|---|"]

    def line(target, r, value, ok):
        out.append("| %s | %s | %d | %s | %s | %s |" % (target, r.workload, r.n, r.command,
                                                         value, _verdict(ok)))

    for r in rows:
        t = {k: _med(v) for k, v in r.times.items()}
        retort, alembic, dbmate, lower = (t.get(k) for k in ("retort", "alembic", "dbmate",
                                                              "lower"))
        if retort is None:
            continue
        graph_cmd = r.command in ("heads", "current", "history", "upgrade head --sql")
        if graph_cmd and alembic is not None and r.n >= 1000:
            x = alembic / retort
            line(">= 30x Alembic", r, "%.1fx" % x, x >= 30)
        if r.command == "heads" and lower is not None:
            x = retort / lower
            line("warm heads <= 2x `ls`", r, "%.1fx" % x, x <= 2)
        if r.command == "upgrade head" and lower is not None and r.workload in (
                "upgrade, SQLite", "upgrade, PostgreSQL"):
            x = retort / lower
            line("upgrade <= 1.2x script", r, "%.2fx" % x, x <= 1.2)
        if r.command == "upgrade head (no-op)" and dbmate is not None:
            x = dbmate / retort
            line("no-op faster than dbmate", r, "%.2fx" % x, x > 1)
    for (workload, n, command), kb in sorted(rss.items()):
        ret, alem = kb.get("retort"), kb.get("alembic")
        value = "retort %s KiB, Alembic %s KiB" % (ret if ret else "-", alem if alem else "-")
        out.append("| peak RSS (reported) | %s | %d | %s | %s | - |" % (workload, n, command, value))
    return out
