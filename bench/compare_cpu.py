#!/usr/bin/python3
"""CPU time of one retort command, two (or more) binaries alternating.

    bench/compare_cpu.py PROJECT_DIR "upgrade heads" OLD_RETORT NEW_RETORT
    bench/compare_cpu.py --url postgresql://... PROJECT_DIR "upgrade head" OLD NEW

PROJECT_DIR is a linear project kept by `bench/run.py --keep DIR` (its
linear-N folder) holding h.db, a database at head: copy
DIR/linear-N/retort.db.head there.  Runs each binary 21 times, alternating,
drops the first round, and prints the medians of CPU time (user + sys, from
getrusage(RUSAGE_CHILDREN)) and wall time.  CPU time is what the fixes in
docs/performance.md were judged by: on a shared machine it moves far less
than wall time.  `upgrade heads` starts each run from a copy of h.db.
With --url the commands run against that database instead (nothing is
copied: use it for commands that change nothing, like a no-op upgrade on a
PostgreSQL database at head).
"""
import resource
import shutil
import statistics
import subprocess
import sys
import time

argv = sys.argv[1:]
url = None
if argv[0] == "--url":
    url, argv = argv[1], argv[2:]
cwd, cmd = argv[0], argv[1].split()
bins = argv[2:]
cpu = {b: [] for b in bins}
wall = {b: [] for b in bins}
for i in range(21):
    for b in bins:
        if cmd[0] == "upgrade" and url is None:
            shutil.copyfile(cwd + "/h.db", cwd + "/a.db")
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([b, "-q", "--url", url or "sqlite:///%s/a.db" % cwd] + cmd, cwd=cwd,
                       stdout=subprocess.DEVNULL, check=True)
        t1 = time.perf_counter()
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        if i:
            cpu[b].append((r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime) * 1e3)
            wall[b].append((t1 - t0) * 1e3)
for b in bins:
    print("%-30s %-14s CPU median %.1f ms  wall median %.1f ms"
          % (b, " ".join(cmd), statistics.median(cpu[b]), statistics.median(wall[b])))
