#!/bin/sh
# Benchmark retort vs Alembic vs bare sqlite3. See bench/README.md.
exec /usr/bin/python3 "$(dirname "$0")/run.py" "$@"
