#!/usr/bin/env bash
# check.sh — `specsite check` on variants of a real spec repository.
#
#   bash tests/check.sh PATH/TO/specsite SOURCE_DIR
#
# Copies ../shared/corpus/fuel-specs to a temporary folder, gives it the
# configuration fuel-specs' own tests amounted to (the 5.1-7.0 structure
# as a template, Plugins optional in 8.0-10.0, no line rules for the
# releases before 8.0), then breaks it in known ways — sections dropped,
# subsections renamed, long paragraph lines, long URLs, long lines inside
# literal and code blocks, carriage returns — and asserts that the check
# flags (reports an error in) exactly the files each rule flags, and no
# others. Without ../shared it says SKIPPED and checks nothing; the last
# line counts the assertions.
set -u
specsite=${1:?usage: check.sh SPECSITE SOURCE_DIR}
srcdir=${2:?usage: check.sh SPECSITE SOURCE_DIR}
srcdir=$(cd "$srcdir" && pwd)
shared=${SPECSITE_SHARED:-$srcdir/../shared}
corpus=$shared/corpus/fuel-specs
case $specsite in /*) ;; *) specsite=$PWD/$specsite ;; esac
case $corpus in /*) ;; *) corpus=$PWD/$corpus ;; esac

if [ ! -d "$corpus/specs" ]; then
  echo "SKIPPED: check: no corpus at $corpus (../shared lies beside the"
  echo "clone, not in the repository); NOTHING WAS CHECKED."
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

# fresh: a clean configured copy in $work/fs, the current folder.
fresh() {
  cd "$work" && rm -rf fs && mkdir fs && cp -r "$corpus/specs" \
    "$corpus/README.rst" fs/ && cd fs || exit 2
  cp "$srcdir/templates/fuel-5.1-7.0.rst" fuel-5.1-7.0.rst
  cat >specsite.conf <<'CONF'
# fuel-specs' tests, as configuration
[check]
template.5.1-7.0 = fuel-5.1-7.0.rst
optional.8.0-10.0 = Proposed changes/Plugins
ignore.5.1-7.0 = L
# its suite read the specs with Docutils, which did not fail on its own
# warnings, and knew nothing of whitespace
warning = D000
ignore = D002, D005
CONF
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
grep -q "^specsite.conf:10: error: cannot read template 'missing.rst'" \
  "$work/out" && grep -q "^specsite.conf:11: error: unknown key 'bogus'" \
  "$work/out" && grep -q "^specsite.conf:12: error: extra-sections takes" \
  "$work/out" && [ "$rc" = 1 ] && pass "configuration errors" ||
  { fail "configuration errors"; cat "$work/out" | head; }
fresh
printf 'extra-sections = warning\n' >>specsite.conf
run_check
grep -q ": warning: section '.*' is not in the template .* \[S002\]$" \
  "$work/out" && pass "extra-sections = warning" || fail "extra-sections"

# --- help and usage --------------------------------------------------------
"$specsite" --help | grep -q 'specsite check' &&
  "$specsite" help check | grep -q 'Usage: specsite check' &&
  "$specsite" check --help | grep -q -- '--format FORMAT' &&
  pass "help" || fail "help"
"$specsite" check --format xml >/dev/null 2>&1
[ $? = 2 ] && pass "bad usage: exit 2" || fail "bad usage"

echo "check: $passed passed, $failed failed"
[ "$failed" = 0 ]
