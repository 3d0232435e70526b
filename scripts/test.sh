#!/usr/bin/env bash
# Installs what retort needs (Debian packages), builds it, and runs every
# test: the full suite with CTest in build/, the retort binary with clang++
# in build-clang/, then the C++ test executables again under
# AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/.
#
# Usage: ./scripts/test.sh            (as root on a fresh Debian 12, or with sudo)
# Environment:
#   JOBS=N            parallel build/test jobs (default: all cores)
#   RETORT_SKIP_ASAN=1  skip the sanitizer pass (local quick runs)
#   RETORT_SKIP_APT=1   do not touch packages (they are already installed)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-$(nproc)}

PACKAGES=(
  build-essential cmake          # compiler, build system
  clang                          # second compiler: the clang build of retort
  libsqlite3-dev sqlite3         # SQLite C API (the driver), CLI for inspecting
  libcli11-dev libfmt-dev        # command line parsing, formatting
  libgtest-dev libgmock-dev googletest  # unit and CLI tests
  libpq-dev postgresql           # PostgreSQL driver and the test server
  libmariadb-dev mariadb-server  # MySQL/MariaDB driver and the test server
  python3-pymysql                # Alembic's MySQL driver, for conformance
  nettle-dev                     # SHA-256 of revision checksums
  python3-alembic alembic        # the reference implementation, for conformance
  clang-format                   # style check of C++ files
  # packaging tests (tests/packaging): .deb dependencies (dpkg-shlibdeps),
  # the pkg-config consumer, man page rendering, zsh completion
  dpkg-dev pkgconf groff-base zsh
)

log() { printf '\n==> %s\n' "$*" >&2; }
die() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }
# Test failures do not stop the script: the sanitizer pass still runs, and
# the end lists every failed step and exits 1.
failed=()
fail_later() { printf '\nFAILED: %s\n' "$*" >&2; failed+=("$*"); }

install_packages() {
  local missing=()
  for pkg in "${PACKAGES[@]}"; do
    [[ $pkg == \#* ]] && continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    log "All packages already installed"
    return
  fi
  log "Installing: ${missing[*]}"
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q || die "apt-get update"
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" ||
    die "apt-get install ${missing[*]}"
}

[[ ${RETORT_SKIP_APT:-0} == 1 ]] || install_packages

start=$SECONDS

log "Configure and build (build/, $JOBS jobs)"
cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo || die "cmake configure (build/)"
cmake --build "$ROOT/build" -j "$JOBS" || die "build (build/)"

log "Test (ctest --output-on-failure)"
ctest --test-dir "$ROOT/build" --output-on-failure -j "$JOBS" || fail_later "tests in build/"

# retort must build with clang too (fuzzing and sanitizer users run it):
# the binary only, not the tests, so it costs little CI time.
log "Build retort with clang++ (build-clang/)"
CC=clang CXX=clang++ cmake -S "$ROOT" -B "$ROOT/build-clang" -DCMAKE_BUILD_TYPE=Debug \
  -DRETORT_BUILD_TESTS=OFF || fail_later "cmake configure (build-clang/)"
cmake --build "$ROOT/build-clang" --target retort -j "$JOBS" || fail_later "clang build (build-clang/)"

if [[ ${RETORT_SKIP_ASAN:-0} != 1 ]]; then
  log "Configure and build with -DRETORT_SANITIZE=ON (build-asan/)"
  cmake -S "$ROOT" -B "$ROOT/build-asan" -DCMAKE_BUILD_TYPE=Debug -DRETORT_SANITIZE=ON ||
    die "cmake configure (build-asan/)"
  cmake --build "$ROOT/build-asan" -j "$JOBS" || die "build (build-asan/)"
  # Every C++ test executable (the CLI tests run the sanitized retort binary
  # too). The Alembic conformance suite is Python-driven and checks
  # semantics, not memory: it runs in the plain build above only.
  log "Test under ASan/UBSan (all C++ tests; conformance excluded)"
  export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
  ctest --test-dir "$ROOT/build-asan" --output-on-failure -j "$JOBS" -LE conformance ||
    fail_later "tests under sanitizers in build-asan/"
fi

if ((${#failed[@]})); then
  printf '\nFAILED after %ss:\n' "$((SECONDS - start))" >&2
  printf '  - %s\n' "${failed[@]}" >&2
  exit 1
fi
log "All tests passed in $((SECONDS - start))s"
