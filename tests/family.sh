#!/usr/bin/env bash
# family.sh — specsite as a drop-in for `tox -e docs` on every spec
# repository in ../shared/corpus, against sphinx-build itself.
#
#   bash tests/family.sh PATH/TO/specsite SOURCE_DIR [CORPUS...]
#
# For each corpus (default: every ../shared/corpus/X with an X.oracle
# beside it) it makes a copy with real symbolic links
# (tests/corpus_copy.py), runs `sphinx-build -b html` on it (kept in a
# cache folder between runs: the corpus and Sphinx do not change), runs
# `specsite build` on another copy, and compares the two sites with
# tests/family_check.py: pages, excluded pages, ids, what index.html
# reaches, toctrees, images, objects.inv, broken links, warnings and the
# -W verdict. Each figure is held by tests/family_ratchet (`CORPUS
# FIGURE MAX`: it may fall, never rise; a figure the ratchet does not
# name must be 0). Then `specsite build -b xml` against the corpus's
# oracle trees (shared/tools/doctree-diff), held by the same ratchet
# (`CORPUS identical MIN`).
#
# Without ../shared (SPECSITE_SHARED overrides) or sphinx-build it says
# SKIPPED and compares nothing.
set -u
specsite=${1:?usage: family.sh SPECSITE SOURCE_DIR [CORPUS...]}
srcdir=${2:?usage: family.sh SPECSITE SOURCE_DIR [CORPUS...]}
shift 2
shared=${SPECSITE_SHARED:-$srcdir/../shared}
ratchet_file=$srcdir/tests/family_ratchet

if [ ! -d "$shared/corpus" ] || [ ! -f "$shared/tools/doctree-diff" ]; then
  echo "SKIPPED: family: no corpus at $shared/corpus (../shared lies beside"
  echo "the clone in CI and on developers' machines, not in the repository);"
  echo "NOTHING WAS COMPARED."
  exit 0
fi
sphinx=(/usr/bin/python3 -m sphinx)
if ! "${sphinx[@]}" --version >/dev/null 2>&1; then
  echo "SKIPPED: family: no sphinx-build (scripts/setup test installs"
  echo "python3-sphinx); NOTHING WAS COMPARED."
  exit 0
fi
shared=$(cd "$shared" && pwd -P)
specsite=$(cd "$(dirname "$specsite")" && pwd -P)/$(basename "$specsite")
corpora=("$@")
if [ ${#corpora[@]} = 0 ]; then
  for d in "$shared"/corpus/*.oracle; do
    c=$(basename "$d" .oracle)
    [ -d "$shared/corpus/$c" ] && corpora+=("$c")
  done
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cache=${SPECSITE_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/specsite-tests}
# No writable cache folder: Sphinx's sites are made for this run only.
mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ] || cache=$work/sphinx-cache
passed=0 failed=0
pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
ratchet() { awk -v c="$1" -v k="$2" '$1 == c && $2 == k { print $3 }' \
  "$ratchet_file"; }
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }

for c in "${corpora[@]}"; do
  corpus=$shared/corpus/$c
  echo "=== $c"
  # Sphinx's site, made once per corpus state and Sphinx version.
  key=$({
    "${sphinx[@]}" --version
    (cd "$corpus" && find . -type f -printf '%P %s %T@\n' | sort)
  } | md5sum | cut -c1-16)
  sx=$cache/$c-$key
  if [ ! -f "$sx/done" ]; then
    rm -rf "$sx" && mkdir -p "$sx"
    python3 "$srcdir/tests/corpus_copy.py" "$corpus" "$sx/repo"
    (cd "$sx/repo" && timeout 1200 "${sphinx[@]}" -b html doc/source \
      "$sx/html" >"$sx/log" 2>&1)
    echo $? >"$sx/status"
    touch "$sx/done"
  fi
  # Ours, from a copy of its own (conf.py may write into doc/source when
  # Sphinx runs it: fuel-specs' writes index.rst).
  repo=$work/$c
  python3 "$srcdir/tests/corpus_copy.py" "$corpus" "$repo"
  (cd "$repo" && timeout 600 "$specsite" build -o "$work/$c-site" \
    >"$work/$c-log" 2>&1)
  rc=$?
  [ "$rc" -le 1 ] && pass "$c: specsite build ran (exit $rc)" ||
    fail "$c: specsite build failed (exit $rc): $(tail -n 3 "$work/$c-log")"
  (cd "$repo" && timeout 600 "$specsite" build -q -W -o "$work/$c-siteW" \
    >/dev/null 2>&1)
  our_w=$? sx_w=0
  grep -qE ': (WARNING|ERROR|CRITICAL|SEVERE): ' "$sx/log" && sx_w=1
  echo "  specsite build -W: exit $our_w; sphinx-build -W would $(
    [ $sx_w = 1 ] && echo fail || echo pass)"

  # Both logs name files below doc/source as given to each tool.
  sed "s|$sx/repo/doc/source/|doc/source/|g" "$sx/log" >"$work/$c-sxlog"
  sed "s|^$repo/doc/source/|doc/source/|; s|^doc/source/|doc/source/|" \
    "$work/$c-log" >"$work/$c-ourlog"
  {
    python3 "$srcdir/tests/family_check.py" "$sx/html" "$work/$c-site" \
      "$work/$c-sxlog" "$work/$c-ourlog" doc/source
    echo "figure -W-verdict-differs $(( (our_w != 0) != sx_w ))"
  } >"$work/$c-figures"
  sed -n 's/^  /    /p; /^figure/p' "$work/$c-figures" | sed 's/^figure /  /'
  while read -r _ name value; do
    max=$(ratchet "$c" "$name")
    case $name in
    broken-sphinx) continue ;;
    broken-ours)
      sxb=$(awk '$2 == "broken-sphinx" { print $3 }' "$work/$c-figures")
      [ "$value" -le "$sxb" ] &&
        pass "$c: broken local links $value <= Sphinx's $sxb" ||
        fail "$c: broken local links $value > Sphinx's $sxb"
      continue
      ;;
    esac
    if [ "$value" -le "${max:-0}" ]; then
      pass "$c: $name $value <= ${max:-0}"
      [ "$value" -lt "${max:-0}" ] &&
        echo "  (better than the ratchet: lower '$c $name' in tests/family_ratchet to $value)"
    else
      fail "$c: $name $value > ${max:-0}"
    fi
  done < <(grep '^figure ' "$work/$c-figures")
done

echo "family checks: $passed passed, $failed failed"
[ "$failed" = 0 ]
