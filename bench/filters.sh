#!/usr/bin/env bash
# filters.sh — what Lua filters add to rendering the corpus.
#
#   bash bench/filters.sh [SPECSITE] [CORPUS_DIR]
#
# Renders the corpus' specs, concatenated into one file as
# render-vs-cmark.sh does, without filters and with:
#   every-node  a function for every node kind (and text) returning nil
#   reads       the same, each function reading kind, attributes, text
#   text-only   a single `text` function returning nil
#   bundled     the filters in filters/, chained
# and prints the best time of each (hyperfine) and its ratio to the
# unfiltered render. The target (issue 5): every-node at most 1.5.
# SPECSITE defaults to build/specsite (use a release build); CORPUS_DIR
# to ../shared/corpus/fuel-specs. RUNS=N sets the number of runs (10).
# INSTR=1 counts instructions with callgrind instead of timing (one run
# each, slow, but the same figure on a busy machine).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
specsite=${1:-$root/build/specsite}
corpus=${2:-$root/../shared/corpus/fuel-specs}
runs=${RUNS:-10}

command -v "$specsite" >/dev/null || {
  echo "bench: $specsite not found" >&2
  exit 2
}
for tool in hyperfine python3; do
  command -v $tool >/dev/null || {
    echo "bench: $tool not found" >&2
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
echo "input: $(find "$corpus/specs" -name '*.rst' | wc -l) specs," \
  "$(wc -c <"$input") bytes"

# Every kind the tree knows, from tree.h ("#text" is `text` in Lua).
kinds=$(grep -o 'X([A-Z_]*, "[a-z_]*")' "$root/renderer/tree/tree.h" |
  sed 's/.*"\(.*\)")/\1/' | grep -vx document)
{
  echo "local function keep(n) end"
  echo "return {"
  for k in $kinds; do echo "  $k = keep,"; done
  echo "  text = keep,"
  echo "}"
} >"$work/every-node.lua"
{
  echo "local seen = 0"
  echo "local function look(n)"
  echo "  local a = n.attributes"
  echo "  if n.kind == 'text' then seen = seen + #n.text"
  echo "  elseif a.refuri then seen = seen + 1 end"
  echo "end"
  echo "return {"
  for k in $kinds; do echo "  $k = look,"; done
  echo "  text = look,"
  echo "}"
} >"$work/reads.lua"
echo "return { text = function(n) end }" >"$work/text-only.lua"

bundled=()
for f in "$root"/filters/*.lua; do bundled+=(--filter "$f"); done

# Each filter must run cleanly, or the figures mean nothing.
for f in every-node reads text-only; do
  "$specsite" render -q --halt none --filter "$work/$f.lua" "$input" >/dev/null || {
    echo "bench: the $f filter failed" >&2
    exit 1
  }
done
"$specsite" render -q --halt none "${bundled[@]}" "$input" >/dev/null || {
  echo "bench: the bundled filters failed" >&2
  exit 1
}

# best CMD...: the fastest of $runs runs, in seconds (or, with INSTR=1,
# the instructions of one run).
best() {
  if [ "${INSTR:-0}" = 1 ]; then
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$@" \
      >/dev/null 2>&1
    awk '/^(summary|totals):/ { print $2; exit }' "$work/cg.out"
    return
  fi
  hyperfine -N --style none --warmup 2 --runs "$runs" \
    --export-json "$work/h.json" "$(printf '%q ' "$@")" >/dev/null 2>&1
  python3 -c 'import json,sys; print("%.6f" % json.load(open(sys.argv[1]))["results"][0]["min"])' "$work/h.json"
}

if [ "${INSTR:-0}" = 1 ]; then
  command -v valgrind >/dev/null || {
    echo "bench: valgrind not found" >&2
    exit 2
  }
  echo "instructions: one run each (callgrind)"
  unit=M
  scale=1e-6
else
  echo "timing: best of $runs runs (hyperfine)"
  unit=ms
  scale=1e3
fi
base=$(best "$specsite" render -q --halt none "$input")
printf "%-12s %8.1f %s\n" "no filter" "$(awk -v s="$base" -v k=$scale 'BEGIN{print s*k}')" $unit
worst=0
for f in every-node reads text-only bundled; do
  if [ $f = bundled ]; then
    t=$(best "$specsite" render -q --halt none "${bundled[@]}" "$input")
  else
    t=$(best "$specsite" render -q --halt none --filter "$work/$f.lua" "$input")
  fi
  awk -v n=$f -v t="$t" -v b="$base" -v k=$scale -v u=$unit \
    'BEGIN { printf "%-12s %8.1f %s  x%.2f (+%.0f%%)\n", n, t * k, u, t / b, (t / b - 1) * 100 }'
  if [ $f = every-node ] || [ $f = reads ]; then
    worst=$(awk -v t="$t" -v b="$base" -v w="$worst" 'BEGIN { r = t / b; print (r > w ? r : w) }')
  fi
done
awk -v w="$worst" 'BEGIN { printf "every-node filters: x%.2f (target <= 1.5: %s)\n", w, w <= 1.5 ? "met" : "NOT met" }'
