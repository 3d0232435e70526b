# Shared by bench/run.sh and bench/autogen.sh (sourced, not run).

# The retort binary to time: $1 if given, else $RETORT, else a build in the
# repository. Exits 2 naming what to do when there is none.
bench_find_retort() {
  local given=$1 repo=$2 who=$3 cand
  if [[ -z $given ]]; then
    for cand in "${RETORT:-}" "$repo/build-release/retort" "$repo/build/retort"; do
      [[ -n $cand && -x $cand ]] && { given=$cand; break; }
    done
  fi
  [[ -n $given && -x $given ]] || {
    echo "$who: no retort binary: build one (cmake -S . -B build -DCMAKE_BUILD_TYPE=Release &&" \
      "cmake --build build -j2 --target retort) and pass --retort PATH" >&2
    exit 2
  }
  printf '%s\n' "$given"
}

# apt-get installs the named Debian packages (only called with missing ones).
bench_apt_install() {
  local who=$1; shift
  [[ $# -gt 0 ]] || return 0
  echo "$who: apt-get install $*" >&2
  local sudo=""
  [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get update -q >/dev/null
  $sudo apt-get install -y -q "$@" >/dev/null
}
