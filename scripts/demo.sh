#!/usr/bin/env bash
# Installs what retort needs (Debian packages), builds the `retort` binary,
# and runs the main workflow against SQLite:
#   1. a new project: init -> revision -> edit -> upgrade -> current
#   2. examples/blog (3 revisions): upgrade -> current -> history ->
#      downgrade -1 -> upgrade head, plus an offline --sql script.
# Nothing in the repository is modified: the demo runs in a temporary copy.
#
# Usage: ./scripts/demo.sh     (as root on a fresh Debian 12, or with sudo)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-$(nproc)}
PACKAGES=(build-essential cmake libsqlite3-dev sqlite3 libcli11-dev libfmt-dev nettle-dev libpq-dev)

say() { printf '\n\033[1m# %s\033[0m\n' "$*"; }
die() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }
# Prints a command, then runs it; any failure stops the demo.
run() {
  printf '\033[36m$ %s\033[0m\n' "$*"
  "$@" || die "$* (exit $?)"
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  say "Installing ${missing[*]}"
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

say "Building retort (build-demo/)"
cmake -S "$ROOT" -B "$ROOT/build-demo" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRETORT_BUILD_TESTS=OFF >/dev/null || die "cmake configure"
cmake --build "$ROOT/build-demo" --target retort -j "$JOBS" >/dev/null || die "build"
export PATH="$ROOT/build-demo:$PATH"
unset DATABASE_URL RETORT_CONFIG
WORK=$(mktemp -d /tmp/retort-demo.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# ---------------------------------------------------------------------------
say "1. A new project, from nothing"
mkdir -p "$WORK/notes" && cd "$WORK/notes"
run retort init migrations
run retort revision -m "create notes" --rev-id 0a1b2c3d4e5f
file=$(ls migrations/versions/*0a1b2c3d4e5f*.sql)
say "Writing the SQL into $file (a user edits it by hand)"
# Keep the header the template wrote, replace the two sections.
sed -i '/^-- migrate:upgrade/,$d' "$file"
cat >>"$file" <<'SQL'
-- migrate:upgrade
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);

-- migrate:downgrade
DROP TABLE notes;
SQL
run cat "$file"
run retort upgrade head
run retort current
run sqlite3 app.db .tables

# ---------------------------------------------------------------------------
say "2. examples/blog: three revisions (users; posts with a foreign key and an index; a new column with a data migration)"
cp -r "$ROOT/examples/blog" "$WORK/blog" && cd "$WORK/blog"
rm -f blog.db
run ls migrations/versions
run retort heads
run retort history
run retort upgrade +2
say "Some users before the data migration"
run sqlite3 blog.db "INSERT INTO users (email) VALUES ('ada@example.com'), ('grace@example.com');"
run retort upgrade head
run retort current
run sqlite3 -header blog.db "SELECT id, email, display_name FROM users;"
run retort history -i
run retort downgrade -1
run retort current
run sqlite3 blog.db .schema
run retort upgrade head
run retort current
say "Offline: the SQL of the last two revisions, without touching a database"
run retort upgrade 1f3a9c2b7d10:head --sql

say "Done: retort ran the main workflow on SQLite."
