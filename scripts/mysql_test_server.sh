#!/usr/bin/env bash
# Starts (or stops) a throwaway MariaDB server for the test suite: a data
# folder under a temp dir, owned by an unprivileged user, listening on a free
# loopback port, password authentication for a user `retort_test` with every
# privilege (it creates and drops a database per test).
#
#   scripts/mysql_test_server.sh start STATE_DIR   # writes STATE_DIR/url, prints it
#   scripts/mysql_test_server.sh stop STATE_DIR
#
# STATE_DIR/url holds mysql://retort_test:PASSWORD@127.0.0.1:PORT/mysql.
# Tests read it (see tests/testing/mysql_server.h). The server never listens
# beyond 127.0.0.1. Durability is switched off (no doublewrite, no flush at
# commit, no binary log): the data is thrown away, and start-up and DDL stay
# fast on a loaded CI machine.
set -euo pipefail

action=${1:?usage: mysql_test_server.sh start|stop STATE_DIR}
state=${2:?usage: mysql_test_server.sh start|stop STATE_DIR}

server=$(command -v mariadbd || command -v mysqld || ls /usr/sbin/mariadbd 2>/dev/null || true)
installer=$(command -v mariadb-install-db || command -v mysql_install_db || true)
[[ -n $server && -n $installer ]] ||
  { echo "FAILED: MariaDB server binaries not found (apt-get install mariadb-server)" >&2; exit 1; }
[[ -x $server ]] || server=/usr/sbin/mariadbd

# The server refuses to run as root without --user: run it as `mysql`
# (Debian's package creates it) when we are root, else as ourselves.
user_args=()
if [[ $(id -u) -eq 0 ]]; then
  user_args=(--user=mysql)
fi

stop() {
  if [[ -L $state/data ]]; then
    local work
    work=$(dirname "$(readlink "$state/data")")
    if [[ -f $work/server.pid ]]; then
      local pid
      pid=$(cat "$work/server.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -9 "$pid" 2>/dev/null || true
    fi
    [[ $work == /tmp/retort-mysql.* ]] && rm -rf "$work"
  fi
  rm -rf "$state/data" "$state/url"
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
    # (the build folder may sit under /root, which `mysql` cannot enter).
    work=$(mktemp -d /tmp/retort-mysql.XXXXXX)
    chmod 755 "$work"
    mkdir -p "$work/data"
    password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
    [[ $(id -u) -eq 0 ]] && chown -R mysql: "$work"
    "$installer" --no-defaults "${user_args[@]}" --datadir="$work/data" --skip-test-db \
      --auth-root-authentication-method=socket --skip-name-resolve \
      >"$work/install.log" 2>&1 ||
      { cat "$work/install.log" >&2; echo "FAILED: mariadb-install-db" >&2; exit 1; }
    # The test user, created at start-up (never over the network).
    cat >"$work/init.sql" <<SQL
CREATE USER IF NOT EXISTS 'retort_test'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS 'retort_test'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO 'retort_test'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'retort_test'@'localhost' WITH GRANT OPTION;
SQL
    [[ $(id -u) -eq 0 ]] && chown mysql: "$work/init.sql"
    chmod 600 "$work/init.sql"
    # A free port: ask the kernel for one, then hand it to the server.
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$server" --no-defaults "${user_args[@]}" --datadir="$work/data" --port="$port" \
      --bind-address=127.0.0.1 --socket="$work/mysqld.sock" --pid-file="$work/server.pid" \
      --log-error="$work/server.log" --init-file="$work/init.sql" --skip-name-resolve \
      --max-connections=200 --innodb-buffer-pool-size=32M --innodb-log-file-size=16M \
      --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --skip-log-bin \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
      </dev/null >/dev/null 2>&1 &
    # Ready when the test user can log in over TCP (the init file has run).
    for _ in $(seq 1 600); do
      if mariadb-admin --no-defaults -h127.0.0.1 -P"$port" -uretort_test -p"$password" \
        --connect-timeout=2 ping >/dev/null 2>&1; then
        ready=1
        break
      fi
      sleep 0.1
    done
    rm -f "$work/init.sql"
    ln -sfn "$work/data" "$state/data"
    if [[ -z ${ready:-} ]]; then
      cat "$work/server.log" >&2 || true
      echo "FAILED: mariadbd did not accept connections within 60 s" >&2
      stop
      exit 1
    fi
    url="mysql://retort_test:$password@127.0.0.1:$port/mysql"
    printf '%s\n' "$url" >"$state/url"
    echo "$url"
    ;;
  *)
    echo "usage: mysql_test_server.sh start|stop STATE_DIR" >&2
    exit 2
    ;;
esac
