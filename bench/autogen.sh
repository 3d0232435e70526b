#!/usr/bin/env bash
# Workload 6: autogenerate / check on PostgreSQL, retort vs Alembic 1.8.1.
#
#   bench/autogen.sh [--retort PATH] [--quick] [--tables 200,1000] [--runs N] [--keep DIR]
#
# Starts a throwaway PostgreSQL server (scripts/pg_test_server.sh), builds a
# schema of N tables (10 columns, an index and a foreign key each) and times,
# against a target database that lacks one column of it:
#   - `retort check` and `retort revision --autogenerate` (declared schema
#     loaded into a scratch database, both inspected, diffed, rendered);
#   - `alembic revision --autogenerate` (Debian's python3-alembic with
#     psycopg2; env.py's target_metadata is a MetaData reflected from a
#     database holding the declared schema: Alembic's models).
# Prints medians, the ratio, and retort's own phase timings (`check
# --timings`: inspection of both databases + diff, without the scratch
# database's DDL). Run on demand, never in CI. See bench/README.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
retort=""
args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --retort) retort=$2; shift 2 ;;
    --retort=*) retort=${1#--retort=}; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
retort=$(bench_find_retort "$retort" "$repo" bench/autogen.sh)

need=()
[[ -x /usr/bin/alembic ]] || need+=(python3-alembic)
/usr/bin/python3 -c 'import psycopg2' 2>/dev/null || need+=(python3-psycopg2)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
bench_apt_install bench/autogen.sh "${need[@]}"

state=$(mktemp -d /tmp/retort-bench-pg.XXXXXX)
cleanup() {
  "$repo/scripts/pg_test_server.sh" stop "$state" >/dev/null 2>&1 || true
  rm -rf "$state"
}
trap cleanup EXIT
"$repo/scripts/pg_test_server.sh" start "$state" >/dev/null
/usr/bin/python3 "$here/autogen_bench.py" --retort "$retort" --server-url "$(cat "$state/url")" \
  "${args[@]}"
