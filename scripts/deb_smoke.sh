#!/usr/bin/env bash
# "Installs and runs on a fresh Debian machine": builds a minimal Debian 12
# (bookworm) root with debootstrap in a temporary folder, installs the retort
# .deb into it with apt (which pulls libpq5, libsqlite3-0, libnettle8, libfmt9
# from the Debian archive, as on a user's machine), and runs retort init,
# revision, upgrade head, current and downgrade base inside it (chroot).
#
# On demand, not in CI: it downloads about 60 MB from the Debian archive and
# takes a few minutes.
#
# Usage: ./scripts/deb_smoke.sh [retort_X.Y.Z-1_amd64.deb]
#   (as root; default: builds the .deb with cpack in build/ first)
# Environment:
#   DEBIAN_MIRROR   default http://deb.debian.org/debian
#   KEEP_ROOT=1     keep the Debian root folder (printed) for a look around
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

log() { printf '\n==> %s\n' "$*" >&2; }
die() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "run as root (debootstrap and chroot need it)"
if ! command -v debootstrap >/dev/null; then
  log "Installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap ||
    die "apt-get install debootstrap"
fi

deb=${1:-}
if [[ -z $deb ]]; then
  # Its own build folder without tests: cpack builds `all` first.
  log "Building the .deb (build-deb/, cpack -G DEB)"
  cmake -S "$ROOT" -B "$ROOT/build-deb" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DRETORT_BUILD_TESTS=OFF >/dev/null || die "cmake configure"
  cmake --build "$ROOT/build-deb" -j "$(nproc)" || die "build"
  (cd "$ROOT/build-deb" && cpack -G DEB -B "$ROOT/build-deb/deb") || die "cpack -G DEB"
  deb=$(ls "$ROOT"/build-deb/deb/retort_*_amd64.deb)
fi
[[ -f $deb ]] || die "no such .deb: $deb"
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")

target=$(mktemp -d /tmp/retort-deb-smoke.XXXXXX)
cleanup() {
  for mount in proc dev; do
    mountpoint -q "$target/$mount" && umount -l "$target/$mount"
  done
  if [[ ${KEEP_ROOT:-0} == 1 ]]; then
    echo "Debian root kept in $target" >&2
  else
    rm -rf "$target" "$target.log"
  fi
}
trap cleanup EXIT

log "debootstrap --variant=minbase bookworm $target ($MIRROR)"
debootstrap --variant=minbase bookworm "$target" "$MIRROR" >"$target.log" 2>&1 ||
  die "debootstrap (log: $target.log): $(tail -5 "$target.log")"
mount -t proc proc "$target/proc"
mount --bind /dev "$target/dev"
cp /etc/resolv.conf "$target/etc/resolv.conf" 2>/dev/null || true
cp "$deb" "$target/tmp/"

in_root() { chroot "$target" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }

log "apt install ./$(basename "$deb") in the fresh Debian 12"
in_root sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends /tmp/$(basename "$deb")" ||
  die "apt install of the .deb"
in_root dpkg -s retort | sed -n 's/^\(Version\|Depends\): /  \1: /p'

log "retort in the fresh Debian 12: init, revision, upgrade head, current, downgrade base"
in_root sh -exc '
  mkdir /srv/app && cd /srv/app
  retort --version
  retort init migrations
  retort revision -m "add users" --rev-id users1
  file=$(ls migrations/versions/*users1*.sql)
  sed -i "s/^-- migrate:upgrade\$/&\nCREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);/" "$file"
  sed -i "s/^-- migrate:downgrade\$/&\nDROP TABLE users;/" "$file"
  retort upgrade head
  test "$(retort current)" = "users1 (head)"
  retort history
  retort downgrade base
  test -z "$(retort current)"
  # libpq5 (dlopen()ed) is there: a refused connection gets libpq'"'"'s own words.
  out=$(retort --url postgresql://u@127.0.0.1:9/db current 2>&1 || true)
  echo "$out"
  case $out in *"Connection refused"*) ;; *) exit 1 ;; esac
  man -w retort 2>/dev/null || test -f /usr/share/man/man1/retort.1
' || die "retort did not run in the fresh Debian 12"
log "OK: the .deb installs and runs on a fresh Debian 12"
