#!/usr/bin/env bash
# cli.sh — the `specsite` command as a script sees it: exit statuses,
# help, output files, standard input, and no crash on hostile input.
#
#   bash tests/cli.sh PATH/TO/specsite SOURCE_DIR
#
# Each assertion prints PASS, FAIL or SKIP; the last line counts them.
# Assertions that need the reader (a warning to report) or the HTML
# writer (a page to check) are skipped, with the reason, while those
# stages are still stubs.
set -u
specsite=${1:?usage: cli.sh SPECSITE SOURCE_DIR}
: "${2:?usage: cli.sh SPECSITE SOURCE_DIR}" # the source folder: unused here
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0 skipped=0

pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
skip() { echo "SKIP: $1"; skipped=$((skipped + 1)); }
check() { # check NAME COMMAND...: passes when the command succeeds
  local name=$1; shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}
# run ARGS...: runs specsite (bounded in time), stdout to $work/out,
# stderr to $work/err, status in $rc.
run() {
  timeout 120 "$specsite" "$@" >"$work/out" 2>"$work/err"
  rc=$?
}
has() { grep -q -- "$2" "$1"; }

# --- what the stages can do yet ---------------------------------------
printf 'Hello, *world*.\n' >"$work/hello.rst"
"$specsite" ast "$work/hello.rst" 2>/dev/null | grep -q '<paragraph>' &&
  have_reader=1 || have_reader=0
"$specsite" render "$work/hello.rst" 2>/dev/null | grep -q 'Hello' &&
  have_html=1 || have_html=0
printf 'Title text\n====\n\ntext with `unclosed\n' >"$work/warning.rst"
printf 'A\n=\n\nB\n-\n\nC\n~\n\nD\n=\n\nE\n~\n\ntext\n' >"$work/severe.rst"

# --- help and version -------------------------------------------------
run --version
check "--version exits 0 and names the version" \
  test "$rc" = 0 -a -n "$(grep -E '^specsite [0-9]+\.[0-9]+' "$work/out")"
run --help
check "--help exits 0 and lists the commands" \
  eval 'test $rc = 0 && has "$work/out" "specsite render" && has "$work/out" "specsite ast" && has "$work/out" "Exit status"'
helps() { # helps COMMAND: the help text on stdout is a whole manual page
  test "$rc" = 0 && has "$work/out" "^Usage: specsite $1 " &&
    has "$work/out" "^Options:" && has "$work/out" "^Examples:" &&
    has "$work/out" "Exit status" && has "$work/out" "--halt"
}
for form in "help render" "render --help" "help ast" "ast -h"; do
  run $form
  command=${form#help }
  check "'specsite $form' teaches usage, options, examples, exit status" \
    helps "${command%% *}"
done

# --- bad usage: status 2 ----------------------------------------------
run
check "no arguments: status 2" test "$rc" = 2
run frobnicate x.rst
check "unknown command: status 2 and a message" \
  eval 'test $rc = 2 && has "$work/err" "unknown command"'
run render --frobnicate "$work/hello.rst"
check "unknown option: status 2 and a message" \
  eval 'test $rc = 2 && has "$work/err" "unknown option"'
run render
check "missing FILE: status 2" test "$rc" = 2
run render "$work/no-such.rst"
check "unreadable FILE: status 2, 'specsite: cannot read FILE: reason'" \
  eval 'test $rc = 2 && has "$work/err" "^specsite: cannot read $work/no-such.rst: No such file"'
run render "$work"
check "FILE is a folder: status 2" test "$rc" = 2
run ast --halt sometimes "$work/hello.rst"
check "bad --halt level: status 2" test "$rc" = 2
run ast "$work/hello.rst" -o "$work/no-such-dir/x.xml"
check "unwritable OUT: status 2, 'specsite: cannot write'" \
  eval 'test $rc = 2 && has "$work/err" "^specsite: cannot write"'

# --- output -----------------------------------------------------------
run ast "$work/hello.rst" -o "$work/hello.xml"
check "-o writes the file, nothing on stdout" \
  eval 'test $rc = 0 -a ! -s "$work/out" && has "$work/hello.xml" "^<?xml" && has "$work/hello.xml" "<document"'
echo old >"$work/hello.xml"
chmod 640 "$work/hello.xml"
run ast "$work/hello.rst" -o "$work/hello.xml"
check "-o replaces a file, keeps its mode, leaves no temporary file" \
  eval 'has "$work/hello.xml" "<document" && test "$(stat -c %a "$work/hello.xml")" = 640 && test -z "$(ls -A "$work" | grep "^\.hello")"'
run ast "$work/hello.rst" -o -
check "-o - writes to stdout" \
  eval 'test $rc = 0 && has "$work/out" "<document"'
run ast "$work/hello.rst" -o /dev/null
check "-o /dev/null is written in place (device kept)" \
  eval 'test $rc = 0 -a -c /dev/null'
timeout 60 "$specsite" ast - <"$work/hello.rst" >"$work/stdin.xml" 2>"$work/err"
rc=$?
unsourced() { sed 's/ source="[^"]*"//' "$1"; } # stdin is "<stdin>"
check "FILE '-' reads standard input" \
  eval 'test $rc = 0 && test "$(unsourced "$work/stdin.xml")" = "$(unsourced "$work/hello.xml")"'
if [ "$have_html" = 1 ]; then
  run render "$work/hello.rst"
  check "render writes a whole HTML page" \
    eval 'test $rc = 0 && has "$work/out" "<html" && has "$work/out" "</html>" && has "$work/out" "<em>world</em>"'
else
  skip "render writes a whole HTML page (the HTML writer is still a stub)"
fi

# --- problems: status 1 with the output still written ---------------
if [ "$have_reader" = 1 ]; then
  run ast "$work/warning.rst"
  check "a WARNING: reported as 'path:line: WARNING: ...', status 0" \
    eval 'test $rc = 0 && has "$work/err" "^$work/warning.rst:[0-9]*: WARNING: "'
  run ast -W "$work/warning.rst" -o "$work/warning.xml"
  check "-W and a WARNING: status 1, output still written in full" \
    eval 'test $rc = 1 && has "$work/warning.xml" "</document>"'
  run ast --halt error "$work/warning.rst"
  check "--halt error and only a WARNING: status 0" test "$rc" = 0
  run ast "$work/severe.rst" -o "$work/severe.xml"
  check "a SEVERE problem: status 1 by default, output still written" \
    eval 'test $rc = 1 && has "$work/severe.xml" "</document>" && has "$work/err" "SEVERE"'
  run render -q -W "$work/warning.rst"
  check "-q prints nothing, the status still counts" \
    eval 'test $rc = 1 -a ! -s "$work/err"'
  run render --halt none "$work/severe.rst"
  check "--halt none: status 0 even on SEVERE" test "$rc" = 0
else
  skip "problem reports and status 1 (the reader is still a stub)"
fi

# --- Sphinx's warnings beyond Docutils' ---------------------------------
printf 'T\n=\n\nA [1]_ and [#]_.\n\n.. [1] one\n.. [2] two\n.. [#] auto\n.. [*] sym\n' \
  >"$work/fn.rst"
run render "$work/fn.rst" -o /dev/null
has "$work/err" "fn.rst:7: WARNING: Footnote \[2\] is not referenced." &&
  [ "$(grep -c 'not referenced' "$work/err")" = 1 ] &&
  pass "an unreferenced footnote is Sphinx's warning (not a referenced, auto or symbol one)" ||
  fail "an unreferenced footnote is Sphinx's warning (not a referenced, auto or symbol one)"

# --- a filter's raw node is written only with --enable-raw -------------
cat >"$work/raw.lua" <<'LUA'
return { paragraph = function(n)
  return specsite.node("raw", {format = "html"},
    {specsite.text("<script>alert(1)</script>")})
end }
LUA
printf 'Text.\n' >"$work/raw.rst"
run render --filter "$work/raw.lua" "$work/raw.rst"
! has "$work/out" "<script>alert" &&
  pass "a sandboxed filter's raw HTML is not written without --enable-raw" ||
  fail "a sandboxed filter's raw HTML is not written without --enable-raw"
run render --enable-raw --filter "$work/raw.lua" "$work/raw.rst"
has "$work/out" "<script>alert" &&
  pass "with --enable-raw it is" || fail "with --enable-raw it is"

# --- special files: never read without bound, never waited for --------
mkdir -p "$work/special/specs/1.0" "$work/special/dir"
mkfifo "$work/special/fifo"
printf 'T\n=\n\n.. include:: fifo\n\n.. include:: dir\n' >"$work/special/doc.rst"
run render "$work/special/doc.rst" -o /dev/null
[ "$rc" = 1 ] && has "$work/err" "not a regular file\|Invalid argument" &&
  has "$work/err" "Is a directory" &&
  pass "an include of a FIFO or a folder: an error at once, no wait" ||
  fail "an include of a FIFO or a folder: an error at once, no wait (status $rc)"
printf '=\nA\n=\n' >"$work/special/specs/1.0/a.rst"
printf '[site]\nfilter = /dev/zero\n' >"$work/special/specsite.conf"
abs=$(cd "$(dirname "$specsite")" && pwd)/$(basename "$specsite")
# (--config: the user's own file may name /dev/zero; the repository's may
# not name a file outside it at all, see below)
(cd "$work/special" && timeout 60 "$abs" build -o "$work/special-out" \
  --config specsite.conf >"$work/out" 2>"$work/err"
  [ "$?" = 2 ] && has "$work/err" "not a regular file") &&
  pass "a filter that is /dev/zero: refused, not read forever" ||
  fail "a filter that is /dev/zero: refused, not read forever (status $rc)"
printf 'From a pipe.\n' >"$work/pipe.txt"
run render <(cat "$work/pipe.txt")
has "$work/out" "From a pipe" &&
  pass "a pipe named on the command line is read" ||
  fail "a pipe named on the command line is read"

# --- build -W: the message says whether a last site was kept ----------
mkdir -p "$work/wsite/specs/1.0"
printf 'A\n=\n\ntext with `unclosed\n' >"$work/wsite/specs/1.0/a.rst"
run build -W "$work/wsite" -o "$work/wsite-out"
check "build -W with a warning and no last site: status 1, says nothing was written" \
  test "$rc" = 1 -a ! -e "$work/wsite-out"
has "$work/err" "nothing was written" && ! has "$work/err" "was kept" &&
  pass "build -W: no 'last site kept' when there was none" ||
  fail "build -W: no 'last site kept' when there was none"
run build "$work/wsite" -o "$work/wsite-out"
run build -W "$work/wsite" -o "$work/wsite-out"
has "$work/err" "the last site in .* was kept" &&
  pass "build -W with a last site: says it was kept" ||
  fail "build -W with a last site: says it was kept"
run build -b pdf "$work/wsite" -o "$work/wsite-pdf"
check "build -b pdf: bad usage, status 2" test "$rc" = 2

# --- hostile input: never a crash, always well-formed XML -------------
head -c 100000 /dev/urandom >"$work/random.rst"
printf 'Title\n=====\n\nnul \0 byte\0\0 and more\n\n::\n\n  \0\n' >"$work/nul.rst"
printf 'bad utf-8: \xff\xfe \xc3\x28 \xed\xa0\x80 \xf4\x90\x80\x80\n\n* \xe2\x82\n' >"$work/badutf8.rst"
printf 'Title\r\n=====\r\n\r\n* item\r\n* item two\r\n\r\n::\r\n\r\n  code\r\n' >"$work/crlf.rst"
printf '\xef\xbb\xbfTitle\n=====\n\ntext\n' >"$work/bom.rst"
awk 'BEGIN { for (i = 0; i < 3000; i++) { printf "%*s* item\n\n", i, "" } }' \
  >"$work/deep.rst"
xml_ok() { # xml_ok FILE: the file parses as XML (python3's parser)
  python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$1" \
    2>/dev/null
}
for f in random nul badutf8 crlf bom deep; do
  for cmd in render ast; do
    run "$cmd" -q "$work/$f.rst" -o "$work/$f.$cmd"
    check "$cmd on $f input: no crash (status $rc), output written" \
      test "$rc" -le 1 -a -e "$work/$f.$cmd"
  done
  if command -v python3 >/dev/null; then
    check "ast on $f input is well-formed XML" xml_ok "$work/$f.ast"
  else
    skip "ast on $f input is well-formed XML (no python3)"
  fi
done

# --- standard input has no source tree unless --root names one -------
abs=$(cd "$(dirname "$specsite")" && pwd)/$(basename "$specsite")
mkdir -p "$work/tree"
printf 'SECRET-OF-THE-TREE\n' >"$work/tree/inc.txt"
(cd / && printf 'T\n=\n\n.. include:: /etc/passwd\n   :literal:\n\n.. include:: etc/passwd\n   :literal:\n\n.. literalinclude:: etc/hostname\n' |
  timeout 60 "$abs" render - >"$work/out" 2>"$work/err")
rc=$?
! has "$work/out" "root:" && [ "$(grep -c 'outside the source tree' "$work/err")" -ge 2 ] &&
  pass "standard input from / includes nothing of the machine" ||
  fail "standard input from / includes nothing of the machine (status $rc)"
(cd / && printf '.. include:: /inc.txt\n   :literal:\n' |
  timeout 60 "$abs" render - --root "$work/tree" >"$work/out" 2>"$work/err")
has "$work/out" "SECRET-OF-THE-TREE" &&
  pass "with --root, standard input includes from that tree" ||
  fail "with --root, standard input includes from that tree"
(cd / && printf '.. include:: ../../etc/passwd\n   :literal:\n' |
  timeout 60 "$abs" render - --root "$work/tree" >"$work/out" 2>"$work/err")
! has "$work/out" "root:" &&
  pass "and nothing outside it" || fail "and nothing outside it"

# --- the repository's configuration stays in the repository --------
conf_repo() { # conf_repo NAME: a repository with one spec
  rm -rf "$work/$1"
  mkdir -p "$work/$1/specs/1.0"
  printf '=\nA\n=\n\nText.\n' >"$work/$1/specs/1.0/a.rst"
}
printf '[site]\nproject = LEAKED-PROJECT\n' >"$work/outside.conf"
printf '=\nT\n=\n\nProblem description\n===================\n' \
  >"$work/outside-template.rst"
printf 'return {}\n' >"$work/outside.lua"
conf_repo linked
ln -s "$work/outside.conf" "$work/linked/specsite.conf"
run build "$work/linked" -o "$work/linked-out"
[ "$rc" = 2 ] && has "$work/err" "symbolic link out of the repository" &&
  ! grep -rqs LEAKED-PROJECT "$work/linked-out" &&
  pass "a specsite.conf linked from outside the repository is not read" ||
  fail "a specsite.conf linked from outside the repository is not read (status $rc)"
for key in "template = ../outside-template.rst" "filter = $work/outside.lua" \
  "theme = /etc"; do
  conf_repo confined
  printf '[site]\n%s\n' "$key" >"$work/confined/specsite.conf"
  run build "$work/confined" -o "$work/confined-out"
  [ "$rc" = 2 ] && has "$work/err" "specsite.conf:2: ERROR: .*outside the repository" &&
    pass "specsite.conf: '${key%% =*}' outside the repository: refused, with file:line" ||
    fail "specsite.conf: '${key%% =*}' outside the repository: refused (status $rc)"
done
conf_repo confined
printf '[site]\nbase-url = javascript:alert(1)//\n' >"$work/confined/specsite.conf"
run build "$work/confined" -o "$work/confined-out"
[ "$rc" = 0 ] && has "$work/err" "base-url must be an http" &&
  ! grep -rqsi "javascript:" "$work/confined-out" &&
  pass "base-url = javascript:...: a warning, never written" ||
  fail "base-url = javascript:...: a warning, never written (status $rc)"
printf '[site]\nfilter = outside.lua\n' >"$work/own.conf"
conf_repo confined
run build "$work/confined" -o "$work/confined-out" --config "$work/own.conf"
[ "$rc" = 0 ] &&
  pass "--config: the user's own file may name files anywhere" ||
  fail "--config: the user's own file may name files anywhere (status $rc: $(tail -2 "$work/err"))"

# --- an empty file name is a usage error, not a silent odd message ----
run render "$work/hello.rst" -o ""
[ "$rc" = 2 ] && has "$work/err" "needs a file" &&
  pass "render -o '': exit 2, 'needs a file'" ||
  fail "render -o '': exit 2, 'needs a file' (status $rc)"
run build "$work/special" -o ""
[ "$rc" = 2 ] && has "$work/err" "needs a value" &&
  pass "build -o '': exit 2, 'needs a value'" ||
  fail "build -o '': exit 2, 'needs a value' (status $rc)"

echo "cli: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
