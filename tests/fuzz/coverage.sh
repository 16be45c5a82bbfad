#!/usr/bin/env bash
# coverage.sh — how much of the reader and the transforms the fuzz
# corpora reach: line coverage (gcov) of renderer/rst/ and
# renderer/transforms/ when `specsite ast` and `specsite render` read
# every input of the corpora, each in a source tree like the one the fuzz
# targets give (tests/fuzz/fuzz.c), so that includes are reached too.
#
#   bash tests/fuzz/coverage.sh CORPUS_DIR...   (e.g. build-fuzz/fuzz-corpus/render)
#
# Builds build-cov/ (gcc --coverage, no tests) when it is not there.
# Prints each file's coverage and each stage's total. Not a test.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -gt 0 ] || { echo "usage: coverage.sh CORPUS_DIR..." >&2; exit 2; }
cov=$src/build-cov
if [ ! -x "$cov/specsite" ]; then
  cmake -S "$src" -B "$cov" -DCMAKE_BUILD_TYPE=Debug -DSPECSITE_TESTS=OFF \
    -DCMAKE_C_FLAGS="--coverage -O0" -DCMAKE_EXE_LINKER_FLAGS="--coverage" \
    >/dev/null && cmake --build "$cov" -j "$(nproc)" >/dev/null || exit 2
fi
find "$cov" -name '*.gcda' -delete
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
# The same files as tests/fuzz/fuzz.c's tree.
printf 'import os\n\n\nclass Foo(object):\n    """Doc."""\n\n    def bar(self, x):\n        return x + 1\n\n\ndef baz():\n    # start here\n    pass\n    # end here\n' >"$tree/code.py"
printf 'Included\n--------\n\nText *with* `a link`_.\n\n.. _a link: https://example.org/\n' >"$tree/inc.rst"
printf 'a,b\n1,"2, 3"\n' >"$tree/data.csv"
printf '{"a": [1, 2]}\n' >"$tree/x.json"
mkdir -p "$tree/sub" && printf 'deep\n\tline\n' >"$tree/sub/deep.txt"
n=0
for d in "$@"; do
  for f in "$d"/*; do
    [ -f "$f" ] || continue
    cp "$f" "$tree/fuzz.rst"
    timeout 10 "$cov/specsite" ast -q --halt none "$tree/fuzz.rst" -o /dev/null 2>/dev/null
    timeout 10 "$cov/specsite" render -q --halt none "$tree/fuzz.rst" -o /dev/null 2>/dev/null
    n=$((n + 1))
  done
done
echo "coverage: $n inputs"
for stage in rst transforms; do
  (cd "$cov/CMakeFiles/ss_$stage.dir/renderer/$stage" && gcov -n -o . ./*.gcno 2>/dev/null) |
    awk -v stage="$stage" '
      /^File / { file = $2; gsub(/\x27/, "", file) }
      /^Lines executed/ && file ~ ("renderer/" stage "/[a-z_]+[.]c$") {
        split($2, a, ":"); pct = a[2] + 0; lines = $4 + 0
        if (!(file in seen)) {
          seen[file] = 1; total += lines; hit += lines * pct / 100
          sub(/.*renderer\//, "", file)
          printf "  %-36s %6.2f%% of %d lines\n", file, pct, lines
        }
      }
      END { printf "%s: %.1f%% of %d lines\n", stage, total ? 100 * hit / total : 0, total }'
done
