#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL server for the test suite: a data
# folder under a temp dir, owned by an unprivileged user, listening on a free
# loopback port, password authentication for a superuser `retort_test`.
#
#   scripts/pg_test_server.sh start STATE_DIR   # writes STATE_DIR/url, prints it
#   scripts/pg_test_server.sh stop STATE_DIR
#
# STATE_DIR/url holds postgresql://retort_test:PASSWORD@127.0.0.1:PORT/postgres.
# $RETORT_PG_SERVER_OPTIONS adds server options ("-c name=value ...").
# Tests read it (see tests/testing/postgres_server.h). The server never
# listens beyond 127.0.0.1.
set -euo pipefail

action=${1:?usage: pg_test_server.sh start|stop STATE_DIR}
state=${2:?usage: pg_test_server.sh start|stop STATE_DIR}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x $bindir/initdb ]] || { echo "FAILED: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

# initdb refuses to run as root: run the server as `postgres` (Debian's
# package creates it) when we are root, else as ourselves.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop() {
  if [[ -f $state/data/postmaster.pid ]]; then
    as_owner "$bindir/pg_ctl" -D "$state/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [[ -L $state/data ]]; then
    local work
    work=$(dirname "$(readlink "$state/data")")
    [[ $work == /tmp/retort-pg.* ]] && rm -rf "$work"
  fi
  rm -rf "$state/data" "$state/url" "$state/socket"
}

case $action in
  stop)
    stop
    ;;
  start)
    stop
    mkdir -p "$state"
    state=$(cd "$state" && pwd)
    # The server's folders live in a private temp dir the owner can reach
    # (the build folder may sit under /root, which `postgres` cannot enter).
    work=$(mktemp -d /tmp/retort-pg.XXXXXX)
    chmod 755 "$work"
    mkdir -p "$work/data" "$work/socket"
    password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
    printf '%s\n' "$password" >"$work/pwfile"
    [[ $(id -u) -eq 0 ]] && chown -R postgres: "$work"
    as_owner "$bindir/initdb" -D "$work/data" -U retort_test --pwfile="$work/pwfile" \
      --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 ||
      { cat "$work/initdb.log" >&2; echo "FAILED: initdb" >&2; exit 1; }
    rm -f "$work/pwfile"
    # A free port: ask the kernel for one, then hand it to the server.
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bindir/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $work/socket -c max_connections=200 -c fsync=off ${RETORT_PG_SERVER_OPTIONS:-}" \
      start >/dev/null ||
      { cat "$work/server.log" >&2; echo "FAILED: pg_ctl start" >&2; exit 1; }
    ln -sfn "$work/data" "$state/data"
    ln -sfn "$work/socket" "$state/socket"
    url="postgresql://retort_test:$password@127.0.0.1:$port/postgres"
    printf '%s\n' "$url" >"$state/url"
    echo "$url"
    ;;
  *)
    echo "usage: pg_test_server.sh start|stop STATE_DIR" >&2
    exit 2
    ;;
esac
