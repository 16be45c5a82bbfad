#!/usr/bin/env bash
# run.sh — the fuzz targets, each for a given time.
#
#   bash tests/fuzz/run.sh BUILD_DIR SECONDS [TARGET...]
#
# BUILD_DIR is a fuzz build:
#   cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DSPECSITE_FUZZ=ON
#   cmake --build build-fuzz -j
# Each target (render, ast, filter, theme, config, build; all by default)
# first replays its regression inputs (tests/fuzz/regressions/TARGET/:
# the crashes found so far), then fuzzes for SECONDS from its corpus
# (BUILD_DIR/fuzz-corpus/TARGET, kept between runs, seeded by seeds.py).
# A crash, a leak or a timeout fails the run; its input is copied to
# BUILD_DIR/fuzz-crashes/TARGET/ and named, to become a regression.
set -u
build=${1:?usage: run.sh BUILD_DIR SECONDS [TARGET...]}
seconds=${2:?usage: run.sh BUILD_DIR SECONDS [TARGET...]}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=$(cd "$build" && pwd)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(render ast filter theme config build)
if [ ! -d "$build/fuzz-corpus" ]; then
  python3 "$here/seeds.py" "$build/fuzz-seeds" "$src" || exit 2
  mkdir -p "$build/fuzz-corpus"
  for t in "${targets[@]}"; do
    mkdir -p "$build/fuzz-corpus/$t"
    cp "$build/fuzz-seeds/$t/"* "$build/fuzz-corpus/$t/" 2>/dev/null
  done
fi
export TMPDIR=${TMPDIR:-/tmp}
failed=0
for t in "${targets[@]}"; do
  bin=$build/fuzz_$t
  if [ ! -x "$bin" ]; then
    echo "FAIL: fuzz: no $bin (configure with -DSPECSITE_FUZZ=ON)"
    failed=$((failed + 1))
    continue
  fi
  mkdir -p "$build/fuzz-corpus/$t" "$build/fuzz-crashes/$t"
  dict=()
  case $t in render | ast | filter | build) dict=(-dict="$here/rst.dict") ;; esac
  reg=$here/regressions/$t
  if [ -d "$reg" ] && ls "$reg"/* >/dev/null 2>&1; then
    if "$bin" -runs=1 "$reg"/* >"$build/fuzz-$t-regressions.log" 2>&1; then
      echo "PASS: fuzz: $t: $(ls "$reg" | wc -l) regression inputs"
    else
      echo "FAIL: fuzz: $t: a regression input fails again:"
      tail -30 "$build/fuzz-$t-regressions.log"
      failed=$((failed + 1))
    fi
  fi
  log=$build/fuzz-$t.log
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: a
  # memory blow-up is a failure, not the machine's end.
  "$bin" "$build/fuzz-corpus/$t" "${dict[@]}" -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$build/fuzz-crashes/$t/" >"$log" 2>&1
  rc=$?
  stats=$(grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" |
    sed 's/stat:://' | tr '\n' ' ')
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
  if [ "$rc" = 0 ]; then
    echo "PASS: fuzz: $t: ${seconds} s, $cov, $stats"
  else
    echo "FAIL: fuzz: $t: exit $rc; input in $build/fuzz-crashes/$t/:"
    grep -E 'ERROR|SUMMARY|==[0-9]+==|Test unit written' "$log" | head -20
    failed=$((failed + 1))
  fi
done
[ "$failed" = 0 ]
