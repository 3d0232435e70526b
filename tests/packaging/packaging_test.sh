#!/usr/bin/env bash
# Packaging tests (CTest label `packaging`, tests/CMakeLists.txt): what a
# user gets from `cmake --install`, find_package(retort), pkg-config and the
# .deb, each checked the way the user would use it.
#
# Usage: packaging_test.sh CHECK SOURCE_DIR BUILD_DIR
#   install        cmake --install into BUILD_DIR/packaging/prefix; every file
#                  is there, and no internal header (the fixture for the rest)
#   find_package   tests/packaging/consumer built with find_package(retort)
#                  against the prefix upgrades an SQLite database
#   pkg_config     the same program built with pkg-config --static flags
#   deb            cpack -G DEB: fields, file lists; the extracted retort runs
#                  init, revision and upgrade head
#   man            the installed man page renders without groff warnings
#   bash           the installed bash completion completes commands,
#                  options and revision ids
#   zsh            the same for the zsh completion (in a pseudo-terminal)
# Exit 0 pass, 1 fail, 77 skipped (a tool docs/install.md lists is missing).
set -euo pipefail

check=$1
src=$(cd "$2" && pwd)
build=$(cd "$3" && pwd)
work=$build/packaging
mkdir -p "$work"
prefix=$work/prefix
# lib, or lib/<multiarch> when configured with CMAKE_INSTALL_PREFIX=/usr.
libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$build/CMakeCache.txt")
libdir=${libdir:-lib}
version=$(sed -n 's/^project(retort VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}
skip() {
  printf 'SKIP: %s\n' "$*" >&2
  exit 77
}
need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (see docs/install.md)"
  done
}
# expect_contains TEXT WANT DESCRIPTION
expect_contains() {
  [[ $1 == *"$2"* ]] || fail "$3: expected '$2' in: $1"
}
# A copy of examples/blog (three revisions, SQLite) to upgrade.
blog_copy() {
  rm -rf "$1"
  cp -r "$src/examples/blog" "$1"
  rm -f "$1"/*.db
}

# A project with branch labels, made with the installed retort: two roots,
# one labelled auth.
labelled_project() {
  rm -rf "$1" && mkdir -p "$1"
  (
    cd "$1"
    "$prefix/bin/retort" init migrations
    "$prefix/bin/retort" revision -m a --rev-id aaa1
    "$prefix/bin/retort" revision -m b --rev-id bbb2 --head base --branch-label auth
  ) >/dev/null || fail "making a project with branch labels"
}

# The consumer ran: the database is at head, as the installed CLI sees it.
check_consumer_output() {
  local output=$1 project=$2 db=$3
  expect_contains "$output" "url: sqlite:///$db" "consumer URL"
  expect_contains "$output" "log: Running upgrade  -> " "consumer progress line"
  expect_contains "$output" "upgraded: 3 revision(s)" "consumer upgrade"
  expect_contains "$output" "error: " "consumer error for an unsupported URL"
  [[ $output != *secret* ]] || fail "the password was printed: $output"
  local current
  current=$(cd "$project" && "$prefix/bin/retort" --url "sqlite:///$db" current)
  expect_contains "$current" "(head)" "retort current after the consumer's upgrade"
}

case $check in
  install)
    rm -rf "$prefix"
    cmake --install "$build" --prefix "$prefix" >"$work-install.log" ||
      fail "cmake --install (log: $work-install.log)"
    expected=(
      bin/retort
      $libdir/libretort.a
      $libdir/cmake/retort/retortConfig.cmake
      $libdir/cmake/retort/retortConfigVersion.cmake
      $libdir/cmake/retort/retortTargets.cmake
      $libdir/pkgconfig/retort.pc
      share/man/man1/retort.1
      share/bash-completion/completions/retort
      share/zsh/vendor-completions/_retort
    )
    [[ -f $src/cmake/RetortEmbed.cmake ]] && expected+=($libdir/cmake/retort/RetortEmbed.cmake)
    for header in "$src"/include/retort/*.h; do
      expected+=("include/retort/$(basename "$header")")
    done
    for file in "${expected[@]}"; do
      [[ -f $prefix/$file ]] || fail "missing after cmake --install: $file"
    done
    [[ -x $prefix/bin/retort ]] || fail "bin/retort is not executable"
    # Only the public headers: nothing from src/ (internal layers).
    extra=$(cd "$prefix/include" && find . -type f ! -path './retort/*.h')
    [[ -z $extra ]] || fail "unexpected files under include/: $extra"
    for header in "$prefix"/include/retort/*.h; do
      [[ -f $src/include/retort/$(basename "$header") ]] ||
        fail "installed header not in include/retort/: $header"
      ! grep -qE '#include [<"](sqlite3|libpq-fe|fmt/|CLI/)' "$header" ||
        fail "a public header includes a private dependency: $header"
    done
    "$prefix/bin/retort" --version | grep -q "$version" || fail "bin/retort --version"
    echo "installed into $prefix: ${#expected[@]} files checked"
    ;;

  find_package)
    need cmake
    dir=$work/find_package
    rm -rf "$dir" && mkdir -p "$dir"
    cmake -S "$src/tests/packaging/consumer" -B "$dir/build" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_BUILD_TYPE=Debug >"$dir/configure.log" 2>&1 ||
      fail "configure the consumer with find_package(retort): $(tail -20 "$dir/configure.log")"
    cmake --build "$dir/build" >"$dir/build.log" 2>&1 ||
      fail "build the consumer: $(tail -20 "$dir/build.log")"
    blog_copy "$dir/blog"
    output=$("$dir/build/consumer" "$dir/blog" "$dir/blog/app.db") ||
      fail "the consumer failed: $output"
    check_consumer_output "$output" "$dir/blog" "$dir/blog/app.db"
    # The example service, on its own against the installed prefix.
    if [[ -f $src/examples/service/CMakeLists.txt ]]; then
      cmake -S "$src/examples/service" -B "$dir/service" -DCMAKE_PREFIX_PATH="$prefix" \
        -DCMAKE_BUILD_TYPE=Debug >"$dir/service-configure.log" 2>&1 ||
        fail "configure examples/service standalone: $(tail -20 "$dir/service-configure.log")"
      cmake --build "$dir/service" >"$dir/service-build.log" 2>&1 ||
        fail "build examples/service standalone: $(tail -20 "$dir/service-build.log")"
      # Its migrations are in the binary: it runs from a folder without them,
      # and a second start finds nothing to do.
      mkdir "$dir/run" && cd "$dir/run"
      output=$("$dir/service/retort_example_service" "sqlite:///$dir/run/service.db" 2>&1) ||
        fail "examples/service (installed retort) failed: $output"
      expect_contains "$output" "Running upgrade  -> " "examples/service progress"
      [[ $output =~ applied\ [1-9][0-9]*\ revision ]] || fail "examples/service applied: $output"
      output=$("$dir/service/retort_example_service" "sqlite:///$dir/run/service.db" 2>&1) ||
        fail "examples/service second start failed: $output"
      expect_contains "$output" "applied 0 revision(s)" "examples/service second start"
      echo "examples/service built against $prefix and ran"
    fi
    echo "find_package(retort) consumer: ok"
    ;;

  pkg_config)
    need pkg-config g++
    dir=$work/pkg_config
    rm -rf "$dir" && mkdir -p "$dir"
    export PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
    [[ $(pkg-config --modversion retort) == "$version" ]] || fail "pkg-config --modversion retort"
    flags=$(pkg-config --cflags --libs --static retort) || fail "pkg-config --static retort"
    expect_contains "$flags" "-I$prefix/$libdir/pkgconfig/" "pkg-config --cflags"
    # shellcheck disable=SC2086  # the flags are words
    g++ -std=c++20 "$src/tests/packaging/consumer/main.cc" -o "$dir/consumer" $flags \
      >"$dir/build.log" 2>&1 || fail "g++ with pkg-config flags '$flags': $(tail -20 "$dir/build.log")"
    blog_copy "$dir/blog"
    output=$("$dir/consumer" "$dir/blog" "$dir/blog/app.db") || fail "the consumer failed: $output"
    check_consumer_output "$output" "$dir/blog" "$dir/blog/app.db"
    echo "pkg-config consumer: ok ($flags)"
    ;;

  deb)
    need cpack dpkg-deb dpkg-shlibdeps objdump
    dir=$work/deb
    rm -rf "$dir" && mkdir -p "$dir"
    cpack --config "$build/CPackConfig.cmake" -G DEB -B "$dir" >"$dir/cpack.log" 2>&1 ||
      fail "cpack -G DEB: $(tail -20 "$dir/cpack.log")"
    deb=$dir/retort_${version}-1_amd64.deb
    dev=$dir/retort-dev_${version}-1_amd64.deb
    [[ -f $deb && -f $dev ]] || fail "expected $deb and $dev; got: $(ls "$dir")"
    info=$(dpkg-deb -I "$deb")
    expect_contains "$info" "Package: retort" "retort .deb fields"
    expect_contains "$info" "Version: ${version}-1" "retort .deb fields"
    expect_contains "$info" "Section: database" "retort .deb fields"
    expect_contains "$info" "Maintainer: " "retort .deb fields"
    # libpq5 is declared by hand (dlopen()ed); the rest by dpkg-shlibdeps,
    # from what the binary links: with RETORT_STATIC_RUNTIME (the default) it
    # carries SQLite, fmt, Nettle and the C++ runtime, and needs libc6 alone.
    for lib in libpq5 libc6; do
      grep -q "^ Depends:.*$lib" <<<"$info" || fail "Depends lacks $lib: $info"
    done
    needed=$(objdump -p "$build/retort" | awk '$1 == "NEEDED" {print $2}')
    if grep -q '^RETORT_STATIC_RUNTIME:BOOL=ON' "$build/CMakeCache.txt"; then
      extra=$(grep -v '^libc\.so\|^libm\.so\|^ld-linux' <<<"$needed" || true)
      [[ -z $extra ]] || fail "RETORT_STATIC_RUNTIME: the binary still links $(echo $extra)"
    fi
    for pair in libsqlite3-0:libsqlite3.so libfmt9:libfmt.so libnettle8:libnettle.so \
      libstdc++6:libstdc++.so; do
      pkg=${pair%%:*} so=${pair#*:}
      if grep -q "^$so" <<<"$needed"; then
        grep -q "^ Depends:.*$pkg" <<<"$info" || fail "Depends lacks $pkg: $info"
      else
        ! grep -q "^ Depends:.*$pkg" <<<"$info" || fail "Depends names $pkg, not linked: $info"
      fi
    done
    # libmariadb3 only serves MySQL URLs: recommended, not required.
    grep -q "^ Recommends:.*libmariadb3" <<<"$info" || fail "Recommends lacks libmariadb3: $info"
    files=$(dpkg-deb -c "$deb")
    for file in ./usr/bin/retort ./usr/share/man/man1/retort.1 \
      ./usr/share/bash-completion/completions/retort ./usr/share/zsh/vendor-completions/_retort; do
      grep -q " $file\$" <<<"$files" || fail "$file not in the .deb: $files"
    done
    ! grep -q '/include/\|\.a$' <<<"$files" || fail "development files in retort.deb: $files"
    devinfo=$(dpkg-deb -I "$dev")
    expect_contains "$devinfo" "Package: retort-dev" "retort-dev fields"
    grep -q "^ Depends:.*retort (= ${version}-1).*libsqlite3-dev" <<<"$devinfo" ||
      fail "retort-dev Depends: $devinfo"
    devfiles=$(dpkg-deb -c "$dev")
    for file in ./usr/$libdir/libretort.a ./usr/include/retort/error.h \
      ./usr/$libdir/pkgconfig/retort.pc ./usr/$libdir/cmake/retort/retortConfig.cmake; do
      grep -q " $file\$" <<<"$devfiles" || fail "$file not in retort-dev: $devfiles"
    done
    # The packaged binary runs: a new project, a revision, upgrade head.
    dpkg-deb -x "$deb" "$dir/root"
    retort=$dir/root/usr/bin/retort
    mkdir "$dir/project" && cd "$dir/project"
    "$retort" init migrations >/dev/null || fail "packaged retort init"
    "$retort" revision -m "add users" --rev-id users1 >/dev/null || fail "packaged retort revision"
    file=$(ls migrations/versions/*users1*.sql)
    sed -i 's/^-- migrate:upgrade$/&\nCREATE TABLE users (id INTEGER PRIMARY KEY);/' "$file"
    sed -i 's/^-- migrate:downgrade$/&\nDROP TABLE users;/' "$file"
    "$retort" upgrade head 2>"$dir/upgrade.log" || fail "packaged retort upgrade head"
    expect_contains "$(cat "$dir/upgrade.log")" "Running upgrade  -> users1, add users" "upgrade"
    [[ $("$retort" current) == "users1 (head)" ]] || fail "packaged retort current"
    # libpq.so.5 is dlopen()ed: a refused connection gets libpq's own words.
    output=$("$retort" --url postgresql://u@127.0.0.1:9/db current 2>&1) &&
      fail "a refused PostgreSQL connection succeeded: $output"
    expect_contains "$output" "Connection refused" "packaged retort on PostgreSQL"
    echo "retort .deb: $(stat -c %s "$deb") bytes, retort-dev .deb: $(stat -c %s "$dev") bytes"
    ;;

  man)
    need groff
    page=$prefix/share/man/man1/retort.1
    warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1) || fail "groff failed: $warnings"
    [[ -z $warnings ]] || fail "groff warnings: $warnings"
    text=$(groff -man -Tutf8 "$page" 2>/dev/null | sed 's/.\x08//g')
    for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS CONFIGURATION ENVIRONMENT \
      "EXIT STATUS" FILES EXAMPLES "SEE ALSO"; do
      grep -q "^$section\$" <<<"$text" || fail "man page section $section missing"
    done
    # Every command of `retort --help` is documented.
    commands=$("$prefix/bin/retort" --help | sed -n '/^[Ss][Uu][Bb][Cc][Oo][Mm][Mm][Aa][Nn][Dd][Ss]:/,$s/^  \([a-z_]*\) .*/\1/p')
    [[ -n $commands ]] || fail "no commands in retort --help"
    for command in $commands; do
      grep -qE "^ {7}$command( |\$)" <<<"$text" || fail "man page lacks command $command"
    done
    echo "man page: ok ($(wc -w <<<"$commands") commands)"
    ;;

  bash)
    need bash
    dir=$work/bash
    blog_copy "$dir"
    labelled_project "$work/bash-labels"
    cd "$dir"
    PATH=$prefix/bin:$PATH bash -c '
      source "$1"
      complete_line() {
        COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
        _retort
        printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "
      }
      expect() {
        local want=$1; shift
        local got; got=$(complete_line "$@")
        [[ $got == "$want" ]] || { echo "FAIL: [$*] -> [$got], expected [$want]" >&2; exit 1; }
      }
      expect "upgrade " retort up
      expect "stamp status " retort st
      expect "--config " retort --con
      expect "--purge " retort stamp --p
      expect "--graph " retort history --gr
      expect "--timings " retort check --t
      expect "generic postgresql " retort init -t ""
      expect "postgresql " retort lint --dialect p
      expect "1f3a9c2b7d10 7b2e4d6a8c01 base c4d8e2f6a913 current head heads " retort upgrade ""
      expect "7b2e4d6a8c01 " retort -c retort.ini downgrade 7b
      expect "c4d8e2f6a913 " retort show c4
      expect "1f3a9c2b7d10 " retort revision --head 1f
      expect "retort " retort -n ""
      expect "import " retort imp
      expect "alembic dbmate flyway golang-migrate goose " retort import ""
      expect "golang-migrate goose " retort adopt g
      expect "--rolled-back " retort resolve --r
      expect "--output " retort dump --o
      cd "$2"
      expect "auth@base auth@head " retort upgrade au
      expect "aaa1 " retort stamp aa
    ' bash "$prefix/share/bash-completion/completions/retort" "$work/bash-labels" ||
      fail "bash completion"
    echo "bash completion: ok"
    ;;

  zsh)
    need zsh
    dir=$work/zsh
    blog_copy "$dir"
    cd "$dir"
    complete_zsh() {
      PATH=$prefix/bin:$PATH timeout 60 zsh "$src/tests/packaging/zsh_complete.zsh" \
        "$prefix/share/zsh/vendor-completions" "$1" | tr '\n' ' '
    }
    expect_zsh() {
      local got
      got=$(complete_zsh "$2")
      [[ $got == "$1" ]] || fail "zsh [$2] -> [$got], expected [$1]"
    }
    expect_zsh "upgrade " "retort up"
    expect_zsh "--purge --sql --tag " "retort stamp --"
    expect_zsh "generic postgresql " "retort init -t "
    expect_zsh "--timings " "retort check --"
    expect_zsh "alembic dbmate flyway golang-migrate goose " "retort import "
    expect_zsh "--applied --rolled-back " "retort resolve --"
    expect_zsh "1f3a9c2b7d10 7b2e4d6a8c01 base c4d8e2f6a913 current head heads " "retort upgrade "
    expect_zsh "7b2e4d6a8c01 " "retort -c retort.ini downgrade 7"
    labelled_project "$work/zsh-labels"
    cd "$work/zsh-labels"
    expect_zsh "auth@base auth@head " "retort upgrade au"
    echo "zsh completion: ok"
    ;;

  *)
    fail "unknown check: $check"
    ;;
esac
