#!/usr/bin/env bash
# Benchmark retort against Alembic, dbmate and the direct-script lower bound.
#
#   bench/run.sh [--quick] [--retort PATH] [more options of bench/run.py]
#
# Installs the reference tools from the project's registries first (Debian's
# alembic with psycopg2 and pymysql, sqlite3, the PostgreSQL and MariaDB
# clients and servers via apt; the
# `dbmate` npm package into bench/.tools, which git ignores), then runs
# bench/run.py, then the autogenerate benchmark bench/autogen.sh (workload
# "autogen"; `--workloads linear,sqlite` runs a part).
# See bench/README.md.  Run on demand, never in CI.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
retort=""
quick=""
args=()
# "autogen" (workload 6) is run by bench/autogen.sh, the others by run.py.
workloads="linear,branchy,sqlite,postgres,mysql,autogen"
while [[ $# -gt 0 ]]; do
  case $1 in
    --retort) retort=$2; shift 2 ;;
    --retort=*) retort=${1#--retort=}; shift ;;
    --workloads) workloads=$2; shift 2 ;;
    --workloads=*) workloads=${1#--workloads=}; shift ;;
    --quick) quick=--quick; args+=(--quick); shift ;;
    *) args+=("$1"); shift ;;
  esac
done
retort=$(bench_find_retort "$retort" "$repo" bench)

# ---- reference tools ---------------------------------------------------------
need=()
[[ -x /usr/bin/alembic ]] || need+=(python3-alembic)
/usr/bin/python3 -c 'import psycopg2' 2>/dev/null || need+=(python3-psycopg2)
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v psql >/dev/null || need+=(postgresql-client)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
/usr/bin/python3 -c 'import pymysql' 2>/dev/null || need+=(python3-pymysql)
command -v mariadb >/dev/null || need+=(mariadb-client)
command -v mariadbd >/dev/null || [[ -x /usr/sbin/mariadbd ]] || need+=(mariadb-server)
bench_apt_install bench "${need[@]}"
tools=$here/.tools
dbmate_pkg=$tools/node_modules/dbmate
if [[ ! -d $dbmate_pkg ]]; then
  echo "bench: npm install dbmate into $tools" >&2
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error dbmate >/dev/null
fi
# The package's `bin` is a Node wrapper that spawns the Go binary; time the
# binary itself so dbmate does not pay Node's start-up (~40 ms) per command.
dbmate=$(ls "$tools"/node_modules/@dbmate/linux-*/bin/dbmate 2>/dev/null | head -n 1)
[[ -x $dbmate ]] || { echo "bench: dbmate binary not found under $tools" >&2; exit 1; }

echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg);" \
  "alembic $(/usr/bin/python3 -c 'import alembic; print(alembic.__version__)'),"\
  "$($dbmate --version), sqlite3 $(sqlite3 --version | cut -d' ' -f1), $(psql --version)," \
  "$(mariadb --version | cut -d, -f1)"
py_workloads=$(tr ',' '\n' <<<"$workloads" | grep -vx autogen | paste -sd, -)
if [[ -n $py_workloads ]]; then
  /usr/bin/python3 "$here/run.py" --retort "$retort" --dbmate "$dbmate" \
    --workloads "$py_workloads" "${args[@]}"
fi

# ---- workload 6: autogenerate/check on PostgreSQL (bench/autogen.sh) -----------
if [[ ,$workloads, == *,autogen,* ]]; then
  bash "$here/autogen.sh" --retort "$retort" $quick
fi
