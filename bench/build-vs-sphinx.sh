#!/usr/bin/env bash
# build-vs-sphinx.sh — the spec site of each corpus built by specsite and
# by `sphinx-build -b html` side by side, in one run; rebuilds after
# touching one spec, after editing one, and after touching one in a git
# work tree with a history (dates come from git); the peak memory of
# each.
#
#   bash bench/build-vs-sphinx.sh [SPECSITE] [CORPUS_DIR...]
#
# SPECSITE defaults to build/specsite (a release build, not the sanitizer
# one); CORPUS_DIR to every repository in ../shared/corpus (fuel-specs,
# cinder-specs, ironic-specs). RUNS=N rounds of each specsite build
# (default 10; the figure is the best), SPHINX_RUNS=N of sphinx-build
# (default 3). Both tools get the same copy of a corpus, its link files
# made real symlinks (tests/corpus_copy.py), as in a git checkout.
# Targets (issues 4 and 12): a full build at least 100 times faster than
# Sphinx's, a rebuild after touching one spec at least 10 times faster
# than specsite's own full build, on every corpus. See bench/README.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
specsite=${1:-$root/build/specsite}
shift || true
corpora=("$@")
if [ ${#corpora[@]} = 0 ]; then
  for d in "$root"/../shared/corpus/*-specs; do
    [ -d "$d/specs" ] && corpora+=("$d")
  done
fi
runs=${RUNS:-10}
sphinx_runs=${SPHINX_RUNS:-3}

command -v "$specsite" >/dev/null || {
  echo "bench: $specsite not found" >&2
  exit 2
}
command -v sphinx-build >/dev/null || {
  echo "bench: sphinx-build not found (apt-get install python3-sphinx)" >&2
  exit 2
}
[ ${#corpora[@]} -gt 0 ] || {
  echo "bench: no corpus (../shared/corpus is absent)" >&2
  exit 2
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# best_of N PREPARE CMD...: the fastest of N runs of CMD, in seconds,
# PREPARE (a shell command, or "") run before each. hyperfine when
# installed; else date +%s%N around each run.
best_of() {
  local n=$1 prepare=$2 best="" t0 t1 t i
  shift 2
  if command -v hyperfine >/dev/null; then
    local args=(-N --style none --runs "$n" -i --export-json "$work/h.json")
    # Without a shell (-N), the prepare command is a script of its own.
    printf '%s\n' "$prepare" >"$work/prepare.sh"
    [ -n "$prepare" ] && args+=(--prepare "bash $work/prepare.sh")
    hyperfine "${args[@]}" "$(printf '%q ' "$@")" >/dev/null 2>&1
    python3 -c 'import json,sys; print("%.6f" % json.load(open(sys.argv[1]))["results"][0]["min"])' "$work/h.json"
    return
  fi
  for ((i = 0; i < n; i++)); do
    [ -n "$prepare" ] && bash -c "$prepare"
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    t=$(((t1 - t0) / 1000))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  python3 -c "print('%.6f' % ($best / 1e6))"
}
# peak_kb CMD...: the peak resident memory of one run, in KB.
peak_kb() {
  /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1
}

# S_corpus CORPUS_DIR: every figure for one corpus.
S_corpus() {
  local corpus=$1
  rm -rf "$work/c" && mkdir -p "$work/c"
  local repo=$work/c/repo
  python3 "$root/tests/corpus_copy.py" "$corpus" "$repo"
  local nspecs
  nspecs=$(find -L "$repo/specs" -mindepth 2 -name '*.rst' 2>/dev/null | wc -l)
  echo "=== $(basename "$corpus"): $nspecs specs," \
    "$(du -shL "$repo/specs" | cut -f1) of sources"
  local w=$work/c
  out_sphinx=$w/sphinx
  sphinx_cmd=(sphinx-build -q -E -b html "$repo/doc/source" "$out_sphinx")
  out_ss=$w/specsite
  full_cmd=("$specsite" build -q --full "$repo" -o "$out_ss")
  spec=$(find "$repo/specs" -mindepth 2 -type f -name '*.rst' | sort | sed -n 1p)

  t_sphinx=$(best_of "$sphinx_runs" "" "${sphinx_cmd[@]}")
  # sphinx's conf.py writes doc/source/index.rst: specsite then reads the
  # same index, as it would after `tox -e docs`.
  "${full_cmd[@]}" || true # warm-up, and the cache for the rebuilds
  # The full build and the rebuild after a touch are timed in alternating
  # rounds, each its own best of one: a virtual machine's speed drifts over
  # minutes (other guests, writeback), and two figures taken minutes apart
  # would compare two machines. The rebuilds go to an OUT of their own, so
  # that the full builds do not reset what they keep. A pause before a full
  # build lets the last one's removal of the old site (a background
  # process) finish; a touch comes more than a second after the last one:
  # dates have a resolution of a second, and a touch within the same one
  # changes nothing a page shows (the rebuild would then rightly do
  # nothing).
  out_inc=$w/specsite-inc
  inc_cmd=("$specsite" build -q "$repo" -o "$out_inc")
  "${inc_cmd[@]}" || true
  "${inc_cmd[@]}" || true
  t_full="" t_inc="" ratios=""
  for ((round = 0; round < runs; round++)); do
    f=$(best_of 1 "sleep 0.3" "${full_cmd[@]}")
    i=$(best_of 1 "sleep 1.1; touch '$spec'" "${inc_cmd[@]}")
    t_full=$(python3 -c "import sys; a=sys.argv[1]; print(min(float(a), float(sys.argv[2])) if a else sys.argv[2])" "$t_full" "$f")
    t_inc=$(python3 -c "import sys; a=sys.argv[1]; print(min(float(a), float(sys.argv[2])) if a else sys.argv[2])" "$t_inc" "$i")
    ratios="$ratios $(python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$f" "$i")"
  done
  sleep 1.1
  touch "$spec"
  stats=$("$specsite" build "$repo" -o "$out_inc" 2>&1 | grep -E '^build ' || true)
  # An edit, not only a touch: a paragraph appended, then taken away, in
  # turn, so that every run changes the page, its search entry and the
  # search index.
  cp "$spec" "$w/spec.orig"
  printf 'if cmp -s "%s" "%s"; then printf "\\nAn edited paragraph.\\n" >>"%s"; else cp "%s" "%s"; fi\n' \
    "$spec" "$w/spec.orig" "$spec" "$w/spec.orig" "$spec" >"$w/edit.sh"
  t_edit=$(best_of "$runs" "sleep 0.3; bash '$w/edit.sh'" "${inc_cmd[@]}")
  cp "$w/spec.orig" "$spec"
  # In a git work tree, as a real checkout is: dates come from `git log`,
  # which reads the whole history. The copy gets one of its own, 3000
  # commits (bench/git-history.py), and a rebuild after a touch is timed.
  t_git=""
  if command -v git >/dev/null; then
    grepo=$w/git
    cp -r "$repo" "$grepo"
    (cd "$grepo" && git init -q -b main &&
      find . -path ./.git -prune -o -type f -print | sed 's|^\./||' | sort |
      python3 "$root/bench/git-history.py" 3000 | git fast-import --quiet &&
      git reset -q --hard main) >/dev/null 2>&1
    gspec=$grepo/${spec#"$repo"/}
    git_cmd=("$specsite" build -q "$grepo" -o "$w/gitsite")
    "${git_cmd[@]}" || true
    "${git_cmd[@]}" || true
    t_git=$(best_of "$runs" "sleep 1.1; touch '$gspec'" "${git_cmd[@]}")
  fi

  if command -v /usr/bin/time >/dev/null; then
    m_sphinx=$(peak_kb "${sphinx_cmd[@]}")
    m_full=$(peak_kb "${full_cmd[@]}")
    touch "$spec"
    m_inc=$(peak_kb "${inc_cmd[@]}")
  else
    m_sphinx="?" m_full="?" m_inc="?"
  fi
  pages_sphinx=$(find "$out_sphinx" -name '*.html' | wc -l)
  pages_ss=$(find "$out_ss" -path "$out_ss/.specsite" -prune -o -name '*.html' -print | wc -l)

  python3 - "$t_sphinx" "$t_full" "$t_inc" "$m_sphinx" "$m_full" "$m_inc" \
    "$pages_sphinx" "$pages_ss" "$t_edit" "$t_git" "$ratios" <<'EOF'
import statistics, sys
ts, tf, ti = (float(x) for x in sys.argv[1:4])
ms, mf, mi, ps, pss = sys.argv[4:9]
te = float(sys.argv[9])
tg = float(sys.argv[10]) if sys.argv[10] else None
rounds = [float(x) for x in sys.argv[11].split()]
def mb(k):
    return "%.1f MB" % (int(k) / 1024) if k.isdigit() else k
print("sphinx-build -b html   %8.3f s  %9s  %s html files" % (ts, mb(ms), ps))
print("specsite build (full)  %8.3f s  %9s  %s html files" % (tf, mb(mf), pss))
print("specsite rebuild (1)   %8.4f s  %9s  (one spec touched)" % (ti, mb(mi)))
print("specsite rebuild (1e)  %8.4f s             (one spec edited)" % te)
if tg is not None:
    print("specsite rebuild (1g)  %8.4f s             (one spec touched, in a"
          " git work tree of 3000 commits)" % tg)
print("full build: specsite %.0fx faster than sphinx-build (target >= 100x)"
      % (ts / tf))
print("rebuild after touching one spec: %.1fx faster than a full build"
      " (target >= 10x); round by round: median %.1fx, %.1f-%.1fx"
      % (tf / ti, statistics.median(rounds), min(rounds), max(rounds)))
print("rebuild after editing one spec:  %.1fx faster than a full build"
      % (tf / te))
EOF
  echo "last rebuild: $stats"
  echo

}

for c in "${corpora[@]}"; do
  S_corpus "$c"
done
