#!/usr/bin/env bash
# render-vs-cmark.sh — how long specsite takes to render the corpus'
# specs, against cmark on the same bytes, and the peak memory of each.
#
#   bash bench/render-vs-cmark.sh [SPECSITE] [CORPUS_DIR]
#
# SPECSITE defaults to build/specsite (use a release build, not the
# sanitizer one); CORPUS_DIR to ../shared/corpus/fuel-specs. RUNS=N sets
# the number of timed runs (default 10). Uses hyperfine when installed,
# else a loop of `date +%s%N`; either way the figure is the best run.
# The target: specsite at most 3 times cmark's time. See bench/README.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
specsite=${1:-$root/build/specsite}
corpus=${2:-$root/../shared/corpus/fuel-specs}
runs=${RUNS:-10}

for tool in "$specsite" cmark; do
  command -v "$tool" >/dev/null || {
    echo "bench: $tool not found (cmark: apt-get install cmark)" >&2
    exit 2
  }
done
[ -d "$corpus/specs" ] || {
  echo "bench: no corpus at $corpus" >&2
  exit 2
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
input=$work/specs.rst
find "$corpus/specs" -name '*.rst' -print0 | sort -z | xargs -0 cat >"$input"
bytes=$(wc -c <"$input")
echo "input: $(find "$corpus/specs" -name '*.rst' | wc -l) specs," \
  "$bytes bytes, $(wc -l <"$input") lines"
ss_cmd=("$specsite" render -q "$input")
cm_cmd=(cmark "$input")

# best_seconds CMD...: the fastest of $runs runs, in seconds.
best_seconds() {
  if command -v hyperfine >/dev/null && command -v python3 >/dev/null; then
    hyperfine -N --style none --warmup 2 --runs "$runs" -i \
      --export-json "$work/h.json" "$(printf '%q ' "$@")" >/dev/null 2>&1
    python3 -c 'import json,sys; print("%.6f" % json.load(open(sys.argv[1]))["results"][0]["min"])' "$work/h.json"
    return
  fi
  local best="" i t0 t1
  "$@" >/dev/null 2>&1 || true # warm-up
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    if [ -z "$best" ] || [ $((t1 - t0)) -lt "$best" ]; then
      best=$((t1 - t0))
    fi
  done
  awk -v ns="$best" 'BEGIN { printf "%.6f\n", ns / 1e9 }'
}

# peak_kib CMD...: maximum resident set size, in KiB.
peak_kib() {
  if [ -x /usr/bin/time ]; then
    # (the command's own status does not matter here)
    { /usr/bin/time -v "$@" 2>&1 >/dev/null || true; } |
      awk -F': ' '/Maximum resident set size/ { print $2 }'
  else
    echo "?"
  fi
}

timer=$(command -v hyperfine >/dev/null && echo hyperfine || echo "date loop")
echo "timing: best of $runs runs ($timer)"
ss_s=$(best_seconds "${ss_cmd[@]}")
cm_s=$(best_seconds "${cm_cmd[@]}")
ss_kib=$(peak_kib "${ss_cmd[@]}")
cm_kib=$(peak_kib "${cm_cmd[@]}")
awk -v s="$ss_s" -v c="$cm_s" -v b="$bytes" -v sm="$ss_kib" -v cm="$cm_kib" '
  BEGIN {
    printf "specsite render: %8.2f ms  %7.1f MB/s  peak %s KiB\n", s * 1e3, b / s / 1e6, sm
    printf "cmark:           %8.2f ms  %7.1f MB/s  peak %s KiB\n", c * 1e3, b / c / 1e6, cm
    r = s / c
    printf "ratio: specsite/cmark = %.2f (target <= 3: %s)\n", r, r <= 3 ? "met" : "NOT met"
  }'
