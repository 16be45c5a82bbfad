#!/usr/bin/env bash
# pathological.sh — the pathological-input suite (tests/pathological.py):
# every construct that repeats or nests, at two sizes; fails on a crash,
# a sanitizer report, or a large input slower than 5x the linear
# projection of the small one.
#
#   bash tests/pathological.sh PATH/TO/specsite SOURCE_DIR [NAME-PATTERN...]
set -u
specsite=${1:?usage: pathological.sh SPECSITE SOURCE_DIR}
srcdir=${2:?usage: pathological.sh SPECSITE SOURCE_DIR}
shift 2
if ! command -v python3 >/dev/null; then
  echo "FAIL: pathological needs python3 (scripts/setup installs it)"
  exit 1
fi
exec python3 "$srcdir/tests/pathological.py" "$specsite" "$@"
