#!/usr/bin/env bash
# check.sh — `specsite check` against what the spec repositories' own
# suites flag.
#
#   bash tests/check.sh PATH/TO/specsite SOURCE_DIR
#
# Four parts, each asserting that the check flags (reports an error in)
# exactly the files it should, and no others:
#
# * a small repository made here: output forms (text, json, github,
#   sarif), --select/--ignore, --explain, configuration keys and errors,
#   doc8's folder mode; and one of nova-specs' layout, with the snippet
#   docs/check.rst gives for it;
# * ../shared/corpus/fuel-specs with the configuration its tests amounted
#   to, broken in known ways (sections dropped, subsections renamed, long
#   lines, URLs, literal and code blocks, carriage returns, names);
# * ironic-specs and cinder-specs, configured with docs/check.rst's
#   snippets, clean and broken: the files flagged must be those their own
#   checks flag, run here (tests/suite_verdicts.py: ironic-specs' tests
#   with Debian's python3-testtools, cinder-specs' doc8).
#
# A part whose input is absent (../shared, a Debian tool) says SKIPPED at
# the end, when nothing else failed; the last line counts the assertions.
set -u
specsite=${1:?usage: check.sh SPECSITE SOURCE_DIR}
srcdir=${2:?usage: check.sh SPECSITE SOURCE_DIR}
srcdir=$(cd "$srcdir" && pwd)
shared=${SPECSITE_SHARED:-$srcdir/../shared}
corpus=$shared/corpus/fuel-specs
case $specsite in /*) ;; *) specsite=$PWD/$specsite ;; esac
case $corpus in /*) ;; *) corpus=$PWD/$corpus ;; esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
pass() { echo "PASS: $1"; passed=$((passed + 1)); }
# skipped MESSAGE: a part that could not run, said at the end: as
# "SKIPPED: ..." (ctest then counts the test skipped) only when nothing
# that did run failed, so that a skip never hides a failure.
skips=()
skipped() { skips+=("$1"); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

# conf NAME: the specsite.conf docs/check.rst gives after ".. conf: NAME".
conf() {
  python3 - "$srcdir/docs/check.rst" "$1" <<'PY'
import sys
lines = open(sys.argv[1]).read().split('\n')
i = lines.index('.. conf: ' + sys.argv[2])
while lines[i] != '::':
    i += 1
out = []
for line in lines[i + 2:]:
    if line and not line.startswith('    '):
        break
    out.append(line[4:])
print('\n'.join(out).strip())
PY
}
# sub FILE OLD NEW: replaces the first OLD in FILE.
sub() {
  python3 - "$@" <<'PY'
import sys
path, old, new = sys.argv[1:4]
s = open(path, newline='').read()
assert old in s, "%r not in %s" % (old, path)
open(path, 'w', newline='').write(s.replace(old, new, 1))
PY
}
# fresh: a clean configured copy in $work/fs, the current folder.
fresh() {
  cd "$work" && rm -rf fs && mkdir fs && cp -r "$corpus/specs" \
    "$corpus/README.rst" fs/ && cd fs || exit 2
  cp "$srcdir/templates/fuel-5.1-7.0.rst" fuel-5.1-7.0.rst
  conf fuel >specsite.conf
}
# run_check [ARGS...]: report in $work/out, status in $rc.
run_check() {
  timeout 60 "$specsite" check "$@" >"$work/out" 2>"$work/err"
  rc=$?
}
# flagged: the files with an error in the last report, sorted.
flagged() { grep ': error: ' "$work/out" | cut -d: -f1 | sort -u; }
# expect NAME "FILES" [ARGS...]: flagged files are exactly FILES.
expect() {
  local name=$1 want got
  want=$(printf '%s\n' $2 | sed '/^$/d' | sort -u)
  shift 2
  run_check "$@"
  got=$(flagged)
  if [ "$got" = "$want" ]; then
    pass "$name"
  else
    fail "$name"
    echo "  expected: $(echo $want)"
    echo "  flagged:  $(echo $got)"
    grep -v ': warning: blueprint' "$work/out" | head -20 | sed 's/^/  | /'
  fi
}
# edit FILE PYTHON: rewrites FILE with a Python expression over `s`.
edit() {
  python3 - "$1" "$2" <<'PY'
import sys
path, expr = sys.argv[1], sys.argv[2]
s = open(path, newline='').read()
t = eval(expr)
assert t != s, "edit changed nothing in " + path
open(path, 'w', newline='').write(t)
PY
}
drop_section() { # drop_section FILE TITLE: the title and its adornment go
  edit "$1" "__import__('re').sub(r'(?m)^([=~^-]+\n)?' + __import__('re').escape('$2') + r'\n[=~^-]+\n', '', s, count=1)"
}
spec11=specs/11.0/security-groups-support-for-ovs.rst
L79='aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa'
L79=${L79:0:79}
URL80='https://example.org/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'

# --- help and usage --------------------------------------------------------
"$specsite" --help | grep -q 'specsite check' &&
  "$specsite" help check | grep -q 'Usage: specsite check' &&
  "$specsite" check --help | grep -q -- '--format FORMAT' &&
  pass "help" || fail "help"
"$specsite" check --format xml >/dev/null 2>&1
[ $? = 2 ] && pass "bad usage: exit 2" || fail "bad usage"

# --- a small repository: what needs no corpus -----------------------------
# Formats, selection, configuration keys and doc8's folder mode, on a
# repository made here.
small=$work/small
mkdir -p "$small/specs/1.0" "$small/specs/backlog" "$small/specs/old" \
  "$small/doc"
cd "$small" || exit 2
printf '=====\nTitle\n=====\n\nProblem\n=======\n\nChange\n======\n\nAlternatives\n------------\n\nTesting\n=======\n' \
  >specs/template.rst
good='=====\nTitle\n=====\n\nhttps://bugs.example.org/1\n\nProblem\n=======\n\nx\n\nChange\n======\n\nAlternatives\n------------\n\nTesting\n=======\n'
printf "$good" >specs/1.0/good.rst
printf "$good" | sed 's/^x$/x  /' >specs/1.0/spaces.rst            # D002
printf "$good" | sed 's/^Testing$/Testng/; s/^=======$/=======/' \
  >specs/1.0/misspelt.rst                                          # S001
printf "$good" | sed '/bugs.example.org/d' >specs/1.0/untracked.rst # F003
printf '=====\nDraft\n=====\n\nhttps://bugs.example.org/2\n\nProblem\n=======\n\nChange\n======\n' \
  >specs/backlog/draft.rst
printf 'broken\n=\n' >specs/old/broken.rst
printf 'Doc\n===\n\ntext \n' >doc/x.rst
printf 'plain\ttext\n\tindented\n' >doc/notes.txt
cat >specsite.conf <<'CONF'
[check]
required.backlog = Problem
required.backlog = Change
tracker = https://bugs.example.org/
exclude = specs/old
CONF
run_check
got=$(flagged | tr '\n' ' ')
[ "$got" = "specs/1.0/misspelt.rst specs/1.0/spaces.rst specs/1.0/untracked.rst " ] &&
  pass "small: the flagged files" || fail "small: flagged $got"
grep -q "^specs/1.0/misspelt.rst:2: error: missing section 'Testing' (required by specs/template.rst); is 'Testng' (line 18) meant? \[S001\]$" \
  "$work/out" && pass "small: section path, template, closest title" ||
  fail "small: hint $(grep misspelt "$work/out")"
grep -q '^specs/1.0/spaces.rst:10:3: error: trailing whitespace \[D002\]$' \
  "$work/out" && pass "small: text form with the code" || fail "small: text"
run_check --ignore D002,F
[ "$(flagged | tr '\n' ' ')" = "specs/1.0/misspelt.rst " ] &&
  pass "small: --ignore" || fail "small: --ignore: $(flagged)"
run_check --select D002
[ "$(flagged | tr '\n' ' ')" = "specs/1.0/spaces.rst " ] &&
  pass "small: --select" || fail "small: --select: $(flagged)"
printf 'ignore.specs/1.0/spaces.rst = D002\n' >>specsite.conf
run_check --select D
[ "$(flagged | tr '\n' ' ')" = "" ] && pass "small: a key scoped by a glob" ||
  fail "small: glob scope: $(flagged)"
printf 'x \n' >top.rst
run_check --select D002 .
[ "$(flagged | tr '\n' ' ')" = "" ] && pass "small: a file at the root is not a spec" ||
  fail "small: root file: $(flagged)"
printf 'files = ./top.rst\nfiles = specs/*/*\nignore./top.rst = D002\n' >>specsite.conf
run_check --select D002
[ "$(flagged | tr '\n' ' ')" = "" ] && pass "small: ./ scopes a file at the root" ||
  fail "small: ./ scope: $(flagged)"
sed -i '/^ignore.\/top.rst/d' specsite.conf
run_check --select D002
[ "$(flagged | tr '\n' ' ')" = "top.rst " ] && pass "small: files = ./top.rst" ||
  fail "small: files ./: $(flagged)"
sed -i '/^files = /d' specsite.conf
rm top.rst
run_check --format github
grep -q '^::error file=specs/1.0/misspelt.rst,line=2,title=S001::missing section' \
  "$work/out" && pass "small: --format github" || fail "small: github"
run_check --format sarif
python3 - "$work/out" <<'PY' && pass "small: --format sarif" || fail "small: sarif"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0"
run = d["runs"][0]
ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
res = run["results"]
assert res and all(r["ruleId"] in ids for r in res), res
loc = res[0]["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"].startswith("specs/1.0/")
assert loc["region"]["startLine"] >= 1
PY
run_check --format json
python3 - "$work/out" <<'PY' && pass "small: --format json codes" || fail "small: json"
import json, sys
d = json.load(open(sys.argv[1]))
assert {p["code"] for p in d["problems"]} == {"S001", "F003"}, d
PY
run_check --explain specs/backlog/draft.rst
grep -q '^  required sections (only these): Problem, Change$' "$work/out" &&
  grep -q '^  template: specs/template.rst' "$work/out" &&
  grep -q '^  rules: .*F004(warning).*S001' "$work/out" &&
  pass "small: --explain" || fail "small: --explain"
# doc8's folder mode: every .rst and .txt below a folder without specs/
run_check --select D doc
[ "$(flagged | tr '\n' ' ')" = "doc/notes.txt doc/x.rst " ] &&
  pass "small: a folder without specs/, as doc8" || fail "small: doc8 folder: $(flagged)"
grep -q '^doc/notes.txt:2:1: error: tab used for indentation \[D003\]$' \
  "$work/out" && pass "small: .txt files get doc8's line rules" ||
  fail "small: .txt"
printf 'select = X9\nopt-out = norfe\nsection-depth = two\nextra-sections = maybe\n' \
  >>specsite.conf
run_check
[ "$rc" = 1 ] &&
  grep -q "^specsite.conf:[0-9]*: error: 'X9' is not a rule code" "$work/out" &&
  grep -q "^specsite.conf:[0-9]*: error: opt-out takes 'WORD: CODES'" "$work/out" &&
  grep -q "^specsite.conf:[0-9]*: error: section-depth takes a positive number" "$work/out" &&
  grep -q "^specsite.conf:[0-9]*: error: extra-sections takes allowed" "$work/out" &&
  pass "small: configuration errors" || fail "small: configuration errors"
"$specsite" check --select Q1 >/dev/null 2>&1
[ $? = 2 ] && pass "small: unknown code on the command line: exit 2" ||
  fail "small: --select Q1"
cd "$work" || exit 2


# nova-specs' layout, on a small repository: docs/check.rst's snippet for
# it flags what nova-specs' rules flag
nova=$work/nova
mkdir -p "$nova/specs/1.0/approved" "$nova/specs/1.0/implemented"
cd "$nova" || exit 2
conf nova >specsite.conf
printf '=====\nTitle\n=====\n\nProblem description\n===================\n\nProposed change\n===============\n\nAlternatives\n------------\n\nHistory\n=======\n' \
  >specs/1.0-template.rst
nova_spec() { # nova_spec FILE [EXTRA]: a complete spec, EXTRA at its end
  printf '=====\nTitle\n=====\n\nProblem description\n===================\n\ntext\n\nProposed change\n===============\n\nAlternatives\n------------\n\nHistory\n=======\n%s' \
    "${2:-}" >"$1"
}
A=specs/1.0/approved I=specs/1.0/implemented
nova_spec $A/good.rst
nova_spec $A/long.rst "$(printf '\n%s\n' "${L79}x")"             # L003
nova_spec $A/longlit.rst "$(printf '\nSee::\n\n  %s\n' "${L79}x")" # exempt
nova_spec $A/url.rst "$(printf '\n%s http://x\n' "$L79")"         # exempt
nova_spec $A/tab.rst "$(printf '\ntext\t\n')"                     # tab: no
nova_spec $A/space.rst "$(printf '\ntext \n')"                    # D002
nova_spec $I/history.rst
sub $I/history.rst $'History\n=======\n' ''                       # optional
nova_spec $I/extra.rst "$(printf '\nNotes\n=====\n\ntext\n')"     # S002
nova_spec $I/sub.rst
sub $I/sub.rst $'Alternatives\n' $'Aside\n-----\n\nAlternatives\n'  # allowed
cp $A/good.rst specs/1.0/stray.rst                                # F005
cp $A/good.rst $A/notes.txt                                       # F001
printf 'old.html new.html\n' >specs/1.0/redirects
mkdir $A/images && printf 'png\n' >$A/images/a.png               # F001
run_check
got=$(flagged | tr '\n' ' ')
want="$A/images $A/long.rst $A/notes.txt $A/space.rst $I/extra.rst specs/1.0/stray.rst "
[ "$got" = "$want" ] && pass "nova-specs' layout: docs/check.rst's snippet" ||
  { fail "nova-specs' layout: flagged $got"; grep error "$work/out" | head; }
cd "$work" || exit 2

if [ -d "$corpus/specs" ]; then
# --- the clean corpus ---------------------------------------------------
fresh
start=$(date +%s%N)
expect "clean corpus: only the 11.0 spec with a long line" "$spec11"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$rc" = 1 ] && pass "clean corpus: exit status 1" || fail "exit $rc"
grep -q "^$spec11:232:80: error: paragraph line is 82 characters" \
  "$work/out" && pass "compiler form path:line:col" || fail "form"
grep -q '^check: 196 files, 1 error in 1 file, [0-9]* warnings$' \
  "$work/out" && pass "summary line" || fail "summary: $(tail -1 "$work/out")"
echo "  (corpus checked in $ms ms)"
# A bound that catches quadratic behaviour even in a sanitizer build; a
# release build takes well under a second.
[ "$ms" -lt 10000 ] && pass "time bound" || fail "took $ms ms"
expect "-W: the corpus has no reader warnings" "$spec11" -W

rm specsite.conf
run_check --ignore D
got=$(flagged)
old=$(echo "$got" | grep -c '^specs/\(5.1\|6.0\|6.1\|7.0\)/')
new=$(echo "$got" | grep -vc '^specs/\(5.1\|6.0\|6.1\|7.0\)/')
# 9.0's upload-deployment-facts-to-configdb.rst has no Plugins section
[ "$old" -gt 50 ] && [ "$new" = 2 ] &&
  pass "no configuration: old releases fail the new template ($old)" ||
  fail "no configuration: $old old, $new new"

# --- sections dropped ---------------------------------------------------
fresh
drop_section specs/8.0/enable-fernet-tokens.rst "Upgrade impact"
drop_section specs/6.0/ml2-neutron.rst "Alternatives"
drop_section specs/9.0/cgroups.rst "Plugins"          # optional
drop_section specs/10.0/ccp.rst "Plugins"             # optional
drop_section specs/11.0/role-decomposition.rst "Plugins" # not in 11.0
expect "dropped sections" "$spec11 specs/8.0/enable-fernet-tokens.rst
  specs/6.0/ml2-neutron.rst specs/11.0/role-decomposition.rst"
grep -q "enable-fernet-tokens.rst:[0-9]*: error: missing section 'Upgrade impact' (required by specs/template.rst)" "$work/out" &&
  pass "missing section message" || fail "missing section message"

# --- subsections renamed ------------------------------------------------
fresh
edit specs/10.0/puppet-noop-run.rst "s.replace('Web UI\n======', 'Web-UI\n======', 1)"
edit specs/7.0/calamari.rst "s.replace('Work Items\n', 'Work items\n', 1)"
edit specs/9.0/cgroups.rst "s.replace('\nNailgun\n=======', '\nNailGun\n=======', 1)"
expect "renamed subsections" "$spec11 specs/10.0/puppet-noop-run.rst
  specs/7.0/calamari.rst specs/9.0/cgroups.rst"
fresh # a section the template does not name is fine
printf '\n-----------\nExtra notes\n-----------\n\ntext\n' >>specs/9.0/cgroups.rst
expect "extra section" "$spec11"

# --- long paragraph lines and URLs --------------------------------------
fresh
add() { printf '\n%s\n' "$2" >>"$1"; }
add specs/8.0/neutron-l3-ha-vrrp.rst "${L79}x"                  # 80
add specs/9.0/cgroups.rst "$L79"                                # 79: ok
add specs/9.0/support-hugepages.rst "* ${L79}"                  # item text 79
add specs/9.0/unify-the-input-data.rst "* ${L79}x"              # item text 80
add specs/10.0/ccp.rst "see $URL80 for the whole story"          # long URL
add specs/10.0/puppet-noop-run.rst "\`the docs <$URL80>\`_ say it all"
add specs/10.0/release-as-a-plugin.rst "[0] - https://example.org/$L79" # URL < 80
add specs/6.1/support-ubuntu-trusty.rst "${L79}x"               # no line rules
expect "long paragraph lines and URLs" "$spec11
  specs/8.0/neutron-l3-ha-vrrp.rst specs/9.0/unify-the-input-data.rst
  specs/10.0/release-as-a-plugin.rst"
grep -q "neutron-l3-ha-vrrp.rst:[0-9]*:80: error: paragraph line is 80" \
  "$work/out" && pass "column 80" || fail "column 80"

# --- long section titles ------------------------------------------------
fresh
t80="${L79}x"
dashes=$(printf '%.0s-' $(seq 80))
printf '\n%s\n%s\n%s\n\ntext\n' "$dashes" "$t80" "$dashes" >>specs/9.0/cgroups.rst
expect "long section title" "$spec11 specs/9.0/cgroups.rst"

# --- long lines inside literal and code blocks, tables, footnotes -------
fresh
printf '\nExample::\n\n  %s\n' "${L79}${L79}" >>specs/8.0/neutron-l3-ha-vrrp.rst
printf '\n.. code-block:: yaml\n\n  key: %s\n' "${L79}" >>specs/9.0/cgroups.rst
printf '\n.. [9] %s\n   %s\n' "${L79}x" "${L79}" >>specs/10.0/ccp.rst
printf '\n+%s+\n| %s |\n+%s+\n' "$(printf '%.0s-' $(seq 83))" "${L79}xx" \
  "$(printf '%.0s-' $(seq 83))" >>specs/10.0/puppet-noop-run.rst
expect "literal, code, footnote and table lines exempt" "$spec11"

# --- carriage returns ---------------------------------------------------
fresh
edit specs/9.0/cgroups.rst "s.replace('\n', '\r\n')"
edit specs/5.1/upgrade-lrzip.rst "s.replace('\n\n', '\n\r\n', 1)"
edit specs/10.0/ccp.rst "s.replace('\n', '\r', 3)"
expect "carriage returns" "$spec11 specs/9.0/cgroups.rst
  specs/5.1/upgrade-lrzip.rst specs/10.0/ccp.rst"
fresh # whitespace, tabs and the final newline: not fuel-specs' rules
printf '\ntext \n\n::\n\n\tcode\n' >>specs/9.0/cgroups.rst
edit specs/10.0/ccp.rst "s.rstrip('\\n')"
expect "trailing whitespace, tabs, no final newline" "$spec11"

# --- names: .rst, templates, files outside specs/ -------------------------
fresh
echo "not a spec" >specs/9.0/notes.txt
cp specs/template.rst specs/9.0-template.rst
printf '\n%s\n' "${L79}${L79}" >>specs/9.0-template.rst   # a template
printf '\n%s\n' "${L79}${L79}" >>README.rst               # outside specs/
expect "misnamed spec; templates and README are not specs" \
  "$spec11 specs/9.0/notes.txt"
grep -q '^specs/9.0/notes.txt: error: spec files end in .rst \[F001\]$' \
  "$work/out" && pass "misnamed spec message" || fail "misnamed message"

# --- the release's template chooses the structure -------------------------
fresh
# a 9.0 template without "Upgrade impact": 9.0 specs no longer need it
python3 - <<'PY'
import re
s = open('specs/template.rst').read()
s = re.sub(r'-+\nUpgrade impact\n-+\n', '', s)
open('specs/9.0/template.rst', 'w').write(s)
PY
drop_section specs/9.0/cgroups.rst "Upgrade impact"
drop_section specs/8.0/enable-fernet-tokens.rst "Upgrade impact"
expect "specs/<release>/template.rst applies to its release" \
  "$spec11 specs/8.0/enable-fernet-tokens.rst"

# --- blueprint URL and file name: a warning -----------------------------
fresh
git_name=specs/9.0/cgroups.rst
mv "$git_name" specs/9.0/cgroups-renamed.rst
expect "blueprint mismatch is not an error" "$spec11"
grep -q "^specs/9.0/cgroups-renamed.rst:[0-9]*:[0-9]*: warning: blueprint URL names 'cgroups'" \
  "$work/out" && pass "blueprint warning" || fail "blueprint warning"

# --- reader problems: warnings, errors under -W ---------------------------
fresh
printf '\nShort underline here\n=====\n\ntext\n' >>specs/10.0/ccp.rst
expect "reader warning is a warning" "$spec11"
expect "reader warning is an error under -W" "$spec11 specs/10.0/ccp.rst" -W

# --- files named on the command line, output forms -----------------------
fresh
expect "one file" "" specs/9.0/cgroups.rst
[ "$rc" = 0 ] && pass "exit 0 without errors" || fail "exit $rc"
expect "files" "$spec11" specs/9.0/cgroups.rst "$spec11" README.rst
cd "$work"
expect "absolute folder: paths relative to the current folder" \
  "fs/$spec11" "$work/fs"
cd fs
timeout 60 "$specsite" check --format json >"$work/json"
python3 - "$work/json" "$spec11" <<'PY' && pass "--format json" || fail "--format json"
import json, sys
d = json.load(open(sys.argv[1]))
errs = [p for p in d["problems"] if p["severity"] == "error"]
assert d["files"] == 196 and d["errors"] == 1, d
assert errs[0]["path"] == sys.argv[2] and errs[0]["line"] == 232
assert errs[0]["column"] == 80 and errs[0]["code"] == "L001"
PY

# --- configuration errors ------------------------------------------------
fresh
printf 'template.9.0 = missing.rst\nbogus = 1\nextra-sections = maybe\n' \
  >>specsite.conf
run_check
grep -q "^specsite.conf:[0-9]*: error: cannot read template 'missing.rst'" \
  "$work/out" && grep -q "^specsite.conf:[0-9]*: error: unknown key 'bogus'" \
  "$work/out" && grep -q "^specsite.conf:[0-9]*: error: extra-sections takes" \
  "$work/out" && [ "$rc" = 1 ] && pass "configuration errors" ||
  { fail "configuration errors"; cat "$work/out" | head; }
fresh
printf 'extra-sections = warning\n' >>specsite.conf
run_check
grep -q ": warning: section '.*' is not in the template .* \[S002\]$" \
  "$work/out" && pass "extra-sections = warning" || fail "extra-sections"

else
  skipped "check: no corpus at $corpus (../shared lies beside the clone, not in the repository); the corpus part was not checked."
fi

# --- ironic-specs and cinder-specs against their own suites ------------------
# A copy of each (tests/corpus_copy.py, links made links again) gets the
# configuration docs/check.rst gives for its kind of repository; then the
# files `specsite check` flags must be exactly those the repository's own
# checks flag (tests/suite_verdicts.py runs them: ironic-specs' tests with
# Debian's python3-testtools, cinder-specs' `doc8 --ignore D001 specs/`),
# on the clean copy and on a copy broken in known ways; and both must be
# the files the breakage was meant to flag.

# copy_repo NAME: a fresh copy of the corpus repository in $work/NAME,
# the current folder, with docs/check.rst's configuration.
copy_repo() {
  cd "$work" && rm -rf "$1" &&
    /usr/bin/python3 "$srcdir/tests/corpus_copy.py" "$shared/corpus/$1" "$1" &&
    chmod -R u+w "$1" && cd "$1" || exit 2
  conf "$2" >specsite.conf
}
# agree NAME "WANT" SUITE-ARGS... [-- CHECK-ARGS...]: the suite and the
# check flag the same files, and those are WANT.
agree() {
  local name=$1 want suite got
  want=$(printf '%s\n' $2 | sed '/^$/d' | sort -u)
  shift 2
  local sargs=() cargs=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do sargs+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  cargs=("$@")
  local t0=$(date +%s%N)
  suite=$(/usr/bin/python3 "$srcdir/tests/suite_verdicts.py" "${sargs[0]}" . \
    "${sargs[@]:1}" 2>/dev/null)
  local t1=$(date +%s%N)
  run_check "${cargs[@]}"
  local t2=$(date +%s%N)
  got=$(flagged)
  echo "  ($name: suite $(( (t1 - t0) / 1000000 )) ms, check $(( (t2 - t1) / 1000000 )) ms; $(echo "$got" | sed '/^$/d' | wc -l) flagged)"
  if [ "$got" = "$suite" ] && [ "$suite" = "$want" ]; then
    pass "$name"
  else
    fail "$name"
    echo "  expected: $(echo $want)"
    echo "  suite:    $(echo $suite)"
    echo "  check:    $(echo $got)"
    grep ': error: ' "$work/out" | head -10 | sed 's/^/  | /'
  fi
}
# untrack FILE: the tracker links before the first section go elsewhere.
untrack() {
  python3 - "$1" <<'PY'
import sys
path = sys.argv[1]
s = open(path).read()
head, sep, rest = s.partition('\nProblem description')
for u in ('https://storyboard.openstack.org/#!/story/',
          'https://bugs.launchpad.net/',
          'https://blueprints.launchpad.net/ironic/+spec/'):
    head = head.replace(u, 'https://example.org/elsewhere/')
open(path, 'w').write(head + sep + rest)
PY
}

have_suite() { # have_suite MODULE...: Debian's Python has them
  /usr/bin/python3 -c "import $(echo "$@" | tr ' ' ,)" 2>/dev/null
}

if [ ! -d "$shared/corpus/ironic-specs/specs" ]; then
  skipped "check: no ironic-specs at $shared/corpus; not compared."
elif ! have_suite testtools docutils; then
  skipped "check: /usr/bin/python3 lacks testtools (python3-testtools); ironic-specs' suite not run, not compared."
else
  ir_clean="specs/approved/nic-firmware-updates.rst
    specs/approved/node-maintenance-extension.rst
    specs/approved/runbook-multi-traits.rst
    specs/approved/trait-based-port-scheduling.rst
    specs/approved/vxlan-support.rst"
  copy_repo ironic-specs ironic
  agree "ironic-specs: clean, as tests/test_titles.py" "$ir_clean" tests
  a=specs/approved
  drop_section $a/L3-based-deployment.rst "Testing"             # flagged
  drop_section $a/active-node-creation.rst "Alternatives"       # flagged
  drop_section $a/anaconda-deploy-interface.rst '"openstacksdk"' # 3 deep: no
  sub $a/add-default-verify-ca.rst $'\nData model impact\n' \
    $'\nData Model Impact\n'                                    # flagged
  printf '\nNotes\n=====\n\ntext\n' >>$a/add-infiniband-support.rst # flagged
  sub $a/add-new-oob-properties-to-ilo-drivers.rst $'\nAlternatives\n---' \
    $'\nAside\n-----\n\ntext\n\nAlternatives\n---'               # allowed
  sub $a/agent-api.rst "Creative Commons" "Creative Common"     # flagged
  untrack $a/agent-http-provisioning.rst                        # flagged
  untrack $a/agent-image-proxy.rst                              # opted out:
  sub $a/agent-image-proxy.rst $'\n====' $'\n.. lint: norfe\n\n===='
  mv $a/ansible-deploy-driver.rst $a/ansible-deploy.rst         # flagged
  untrack $a/attestation-interface.rst                          # too late:
  printf '\nhttps://storyboard.openstack.org/#!/story/1\n' \
    >>$a/attestation-interface.rst                              # flagged
  printf '\n%s \n\n\tx\n\r\n' "$L79$L79" >>$a/allocation-api.rst # no line rules
  cp $a/async-metrics.rst $a/async-metrics.txt                  # flagged
  printf 'broken\n=\n' >specs/juno/broken.rst                   # not checked
  mkdir $a/drafts && printf 'x\n' >$a/drafts/x.rst                # a folder
  # Docutils promotes the title only after comments and the like
  sub $a/bios-registry-api.rst $'\n====' $'\nA note.\n\n====' # flagged
  sub $a/boot-config-api.rst $'\n====' $'\n.. a comment\n\n===='  # not
  draft() { # draft NAME SECTIONS...: a draft in backlog/
    local f=specs/backlog/$1.rst t
    shift
    printf '=====\nDraft\n=====\n\nhttps://storyboard.openstack.org/#!/story/9\n' >$f
    for t in "$@"; do
      printf '\n%s\n%s\n\ntext\n' "$t" "$(echo "$t" | sed 's/./=/g')" >>$f
    done
  }
  draft draft-ok "Problem description" "Proposed change"
  draft draft-template "Problem description" "Proposed change" "Testing"
  draft draft-missing "Problem description"                    # flagged
  draft draft-extra "Problem description" "Proposed change" "Notes" # flagged
  draft draft-untracked "Problem description" "Proposed change" # flagged
  sub specs/backlog/draft-untracked.rst storyboard.openstack.org example.org
  agree "ironic-specs: mutated" "$ir_clean $a/L3-based-deployment.rst
    $a/active-node-creation.rst $a/add-default-verify-ca.rst
    $a/add-infiniband-support.rst $a/agent-api.rst
    $a/agent-http-provisioning.rst $a/ansible-deploy.rst
    $a/attestation-interface.rst $a/async-metrics.txt
    specs/backlog/draft-missing.rst specs/backlog/draft-extra.rst
    specs/backlog/draft-untracked.rst $a/drafts $a/bios-registry-api.rst" \
    tests
  grep -q "^$a/ansible-deploy.rst:[0-9]*:1: error: the blueprint link does not end in the file's name 'ansible-deploy' .*\[F004\]$" \
    "$work/out" && pass "ironic-specs: blueprint name message" ||
    fail "ironic-specs: blueprint name message"
  grep -q "^$a/agent-api.rst:1: error: the header before the title lacks the licence text .*\[F002\]$" \
    "$work/out" && pass "ironic-specs: licence message" ||
    fail "ironic-specs: licence message"
  cd "$work" || exit 2
fi

if [ ! -d "$shared/corpus/cinder-specs/specs" ]; then
  skipped "check: no cinder-specs at $shared/corpus; not compared."
elif [ ! -x /usr/bin/doc8 ]; then
  skipped "check: no /usr/bin/doc8 (python3-doc8); cinder-specs' doc8 not run, not compared."
else
  copy_repo cinder-specs cinder
  agree "cinder-specs: clean, as doc8 --ignore D001 specs/" "" \
    doc8 --ignore D001 specs/
  agree "cinder-specs: doc/source, as doc8 --ignore D001 doc/source" "" \
    doc8 --ignore D001 doc/source -- --select D --ignore D001 doc/source
  s=specs
  sub $s/2023.1/*.rst $'.\n' $'.  \n'                          # D002
  sub $s/2024.1/quota-system.rst $'\n  ' $'\n\t'               # D003
  edit $s/2025.1/openapi.rst "s.replace('\n', '\r\n')"          # D004
  edit $s/2025.1/remove-me.rst "s.rstrip('\n')"                 # D005
  printf '\n%s\n' "$L79$L79 $L79" >>$s/zed/image-encryption.rst  # D001: off
  printf '\nShort underline here\n=====\n\ntext\n' \
    >>$s/yoga/nvme-multipath.rst                                 # D000
  printf '\n.. nosuchdirective:: x\n\n:nosuchrole:`y`\n' \
    >>$s/yoga/s-rbac-ready.rst                                   # Sphinx's
  drop_section $s/xena/nvme-agent.rst "Alternatives"             # not doc8's
  printf 'notes \n' >$s/untargeted/notes.txt                     # D002
  printf '\nsee `nowhere`_\n' >>$s/xena/temp-resources.rst       # D000
  printf '\na\tb\n' >>$s/xena/s-rbac-ready.rst                   # not D003
  printf '\n.. _dup:\n\nx\n\n.. _dup:\n\ny\n' \
    >>$s/wallaby/nvme-agent.rst                                  # D000
  printf '\nA\n=\n\nB\n-\n\nC\n~\n\nD\n=\n\nE\n~\n' \
    >>$s/wallaby/store-volume-format-info.rst                    # D000
  printf '\n:: \n\n  x\n' >>$s/zed/add-capacity-factors-to-get-pools.rst # D002
  printf '\n.. literalinclude:: nofile.py\n' \
    >>$s/victoria/backup-backends-configuration.rst              # Sphinx's
  printf '\n.. include:: nofile.rst\n' \
    >>$s/victoria/support-volume-local-cache.rst                 # D000
  printf 'text \n' >>doc/source/index.rst                        # doc/source
  f1=$(ls $s/2023.1/*.rst | head -1)
  agree "cinder-specs: mutated, as doc8 --ignore D001 specs/" "$f1
    $s/2024.1/quota-system.rst $s/2025.1/openapi.rst $s/2025.1/remove-me.rst
    $s/yoga/nvme-multipath.rst $s/untargeted/notes.txt
    $s/xena/temp-resources.rst $s/wallaby/nvme-agent.rst
    $s/wallaby/store-volume-format-info.rst
    $s/zed/add-capacity-factors-to-get-pools.rst
    $s/victoria/support-volume-local-cache.rst" doc8 --ignore D001 specs/
  agree "cinder-specs: mutated doc/source" "doc/source/index.rst" \
    doc8 --ignore D001 doc/source -- --select D --ignore D001 doc/source
  # doc8's own line rule, D001, with its exemptions, on long lines in
  # every kind of place
  w=$s/victoria
  for f in $w/*.rst; do :; done
  long="$L79 $L79"
  printf '\n%s\n' "$long" >>$s/wallaby/include-encryption-key-id-in-details.rst
  printf '\nExample::\n\n  %s\n' "$long" >>$s/xena/reset-state-robustification.rst
  printf '\n.. note::\n\n   %s\n' "$long" >>$s/xena/sizing-encrypted-volumes.rst
  printf '\n%s\n  definition\n' "$long" >>$s/xena/snapshot-attached-volumes.rst
  printf '\n* %s\n' "$long" >>$s/yoga/add-volume-re-image-api.rst
  printf '\n%s https://x\n' "$long" >>$s/yoga/optimize-upload-volume-to-rbd-store.rst
  printf '\n%s\n' "$L79$L79" >>$s/yoga/project-id-optional-in-urls.rst
  printf '\n%s\n%s\n\ntext\n' "$long" "$(printf '%.0s-' $(seq 160))" \
    >>$s/zed/add-capacity-factors-to-get-pools.rst
  printf '\n.. %s\n' "$long" >>$s/wallaby/nvme-connector-md-support.rst
  printf '\n+%s+\n| %s |\n+%s+\n' "$(printf '%.0s-' $(seq 162))" "$long" \
    "$(printf '%.0s-' $(seq 162))" >>$s/xena/expose-cinder-user-visible-extra-specs-spec.rst
  suite=$(/usr/bin/python3 "$srcdir/tests/suite_verdicts.py" doc8 . specs/ 2>/dev/null)
  run_check --select D specs
  got=$(flagged)
  [ "$got" = "$suite" ] && pass "cinder-specs: D001 as doc8's, $(echo "$got" | wc -l) files" || {
    fail "cinder-specs: D001 as doc8's"
    diff <(echo "$suite") <(echo "$got") | head
  }
  cd "$work" || exit 2
fi


for m in "${skips[@]}"; do
  if [ "$failed" = 0 ]; then echo "SKIPPED: $m"; else echo "NOT RUN: $m"; fi
done
echo "check: $passed passed, $failed failed"
[ "$failed" = 0 ]
