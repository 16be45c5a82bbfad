#!/usr/bin/env bash
# install.sh — what a user of a C tool expects of its packaging:
# `cmake --install` puts the program, its man page (made from the help
# texts), the bundled filters and a copy of the default theme in place;
# a configure without Criterion works and says the tests are not built;
# `specsite --version` names the libraries.
#
#   bash tests/install.sh PATH/TO/specsite SOURCE_DIR
set -u
specsite=${1:?usage: install.sh SPECSITE SOURCE_DIR}
srcdir=${2:?usage: install.sh SPECSITE SOURCE_DIR}
case $specsite in /*) ;; *) specsite=$PWD/$specsite ;; esac
builddir=$(dirname "$specsite")
passed=0 failed=0
pass() { echo "PASS: install: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: install: $1"; failed=$((failed + 1)); }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if cmake --install "$builddir" --prefix "$work/prefix" >"$work/log" 2>&1; then
  pass "cmake --install succeeds"
else
  fail "cmake --install: $(tail -3 "$work/log")"
fi
p=$work/prefix
[ -x "$p/bin/specsite" ] && "$p/bin/specsite" --version >/dev/null &&
  pass "bin/specsite runs" || fail "bin/specsite missing or broken"
man=$p/share/man/man1/specsite.1
if [ -f "$man" ] && head -1 "$man" | grep -q '^\.TH SPECSITE 1'; then
  pass "the man page is installed"
  missing=
  for c in render ast build serve check; do
    grep -q "^\.SH \"SPECSITE $c\"" "$man" || missing="$missing $c"
  done
  [ -z "$missing" ] && pass "the man page has every command" ||
    fail "the man page lacks:$missing"
  # Every option build --help names is in it: one source.
  opts=$("$specsite" build --help | grep -oE '^  --?[a-zA-Z-]+' | sort -u)
  absent=
  for o in $opts; do grep -q -- "$o" "$man" || absent="$absent $o"; done
  [ -z "$absent" ] && pass "the man page says what --help says" ||
    fail "options of build --help not in the man page:$absent"
  if command -v man >/dev/null; then
    out=$(MANWIDTH=80 man -l "$man" 2>&1 >/dev/null)
    [ -z "$out" ] && pass "man reads it without a warning" ||
      fail "man -l: $out"
  fi
else
  fail "no man page at $man"
fi
n=$(find "$p/share/specsite/filters" -name '*.lua' 2>/dev/null | wc -l)
want=$(find "$srcdir/filters" -maxdepth 1 -name '*.lua' | wc -l)
[ "$n" -eq "$want" ] && [ "$n" -gt 0 ] &&
  pass "the $n bundled filters are installed" ||
  fail "filters: $n installed of $want"
[ -f "$p/share/specsite/themes/default/page.html" ] &&
  [ -f "$p/share/specsite/themes/default/index.html" ] &&
  pass "the default theme is installed, to start a theme from" ||
  fail "no default theme installed"
[ -f "$p/share/doc/specsite/themes.rst" ] &&
  [ -f "$p/share/doc/specsite/filters.rst" ] &&
  pass "the theme and filter guides are installed" ||
  fail "no theme or filter guide installed"

v=$("$specsite" --version)
for lib in cmark Lua zlib libmicrohttpd libxml2; do
  grep -q "$lib [0-9]" <<<"$v" || { fail "--version does not name $lib: $v"; lib=; }
  [ -n "$lib" ] || break
done
[ -n "${lib:-}" ] && pass "--version names the libraries"

# A configure on a machine without Criterion: pkg-config sees every .pc
# file but criterion's.
pcdir=$work/pc
mkdir -p "$pcdir"
for d in $(pkg-config --variable pc_path pkg-config | tr : ' '); do
  for f in "$d"/*.pc; do
    [ -e "$f" ] || continue
    case $(basename "$f") in criterion.pc) ;; *) ln -sf "$f" "$pcdir/" ;; esac
  done
done
if PKG_CONFIG_LIBDIR=$pcdir cmake -S "$srcdir" -B "$work/b" \
  >"$work/cfg" 2>&1; then
  grep -q "Criterion was not found" "$work/cfg" &&
    ! grep -q "add_test\|test_site" "$work/b/CTestTestfile.cmake" 2>/dev/null &&
    pass "configures without Criterion, saying the tests are not built" ||
    fail "configured without Criterion but said nothing: $(tail -5 "$work/cfg")"
else
  fail "configure without Criterion fails: $(grep -i error "$work/cfg" | head -3)"
fi

echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
