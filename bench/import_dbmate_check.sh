#!/usr/bin/env bash
# Real-tool check of `retort import dbmate` and adoption (docs/migrating.md),
# run on demand like the benchmarks, never in CI (it needs npm's registry).
# Installs the dbmate npm package into bench/.tools (as run.sh does), lets
# the real dbmate apply part of a project to a SQLite file, imports the
# folder with --url (adopting that file), runs `retort upgrade head`, and
# checks that the schema equals the one real dbmate makes when it applies
# everything, and that dbmate still reads its own table afterwards.
#   bench/import_dbmate_check.sh [--retort PATH]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
source "$here/lib.sh"
[[ ${1:-} == --retort ]] && given=$2 || given=""
retort=$(bench_find_retort "$given" "$repo" import_dbmate_check)
retort=$(cd "$(dirname "$retort")" && pwd)/$(basename "$retort")
command -v sqlite3 >/dev/null || bench_apt_install import_dbmate_check sqlite3
tools=$here/.tools
if [[ ! -d $tools/node_modules/dbmate ]]; then
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error dbmate >/dev/null
fi
dbmate=$(ls "$tools"/node_modules/@dbmate/linux-*/bin/dbmate | head -n 1)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir -p db/migrations later
cat >db/migrations/20240101000000_create_users.sql <<'SQL'
-- migrate:up
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);

-- migrate:down
DROP TABLE users;
SQL
cat >db/migrations/20240102000000_add_name.sql <<'SQL'
-- migrate:up
ALTER TABLE users ADD COLUMN name TEXT;
CREATE TRIGGER users_touch AFTER INSERT ON users BEGIN
  UPDATE users SET name = 'new; user' WHERE id = NEW.id;
END;

-- migrate:down
DROP TRIGGER users_touch;
ALTER TABLE users DROP COLUMN name;
SQL
cat >later/20240103000000_email_index.sql <<'SQL'
-- migrate:up transaction:false
CREATE INDEX users_email ON users (email);

-- migrate:down transaction:false
DROP INDEX users_email;
SQL

# dbmate applies the first two to app.db, then all three to reference.db.
DATABASE_URL=sqlite:app.db "$dbmate" --no-dump-schema up >/dev/null
cp later/*.sql db/migrations/
DATABASE_URL=sqlite:reference.db "$dbmate" --no-dump-schema up >/dev/null

"$retort" import dbmate db/migrations --into project --url sqlite:///app.db
"$retort" -c project/retort.ini --url sqlite:///app.db upgrade head
schema() {
  sqlite3 "$1" "SELECT type, name, sql FROM sqlite_master WHERE tbl_name NOT LIKE 'retort_version%'
                AND tbl_name <> 'schema_migrations' ORDER BY type, name"
}
if [[ $(schema app.db) != "$(schema reference.db)" ]]; then
  echo "import_dbmate_check: FAILED: schemas differ" >&2
  diff <(schema app.db) <(schema reference.db) >&2 || true
  exit 1
fi
# dbmate's table was left as it was: dbmate sees the third one pending.
DATABASE_URL=sqlite:app.db "$dbmate" --no-dump-schema status | grep -q 'Pending: 1'
echo "import_dbmate_check: ok ($("$dbmate" --version)): adopted at 20240102000000, upgrade head" \
  "made dbmate's schema"
