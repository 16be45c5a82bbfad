#!/usr/bin/env bash
# serve.sh — `specsite serve` end to end (tests/serve_test.py): a copy of
# the bundled example repository, served on a free loopback port, edited
# while the test reads it over HTTP.
#
#   bash tests/serve.sh PATH/TO/specsite SOURCE_DIR
set -u
specsite=${1:?usage: serve.sh SPECSITE SOURCE_DIR}
srcdir=${2:?usage: serve.sh SPECSITE SOURCE_DIR}
case $specsite in /*) ;; *) specsite=$PWD/$specsite ;; esac
if ! command -v python3 >/dev/null; then
  echo "SKIPPED: serve: no python3 (apt-get install python3); NOTHING WAS CHECKED."
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$srcdir/examples/site" "$work/repo" || exit 2
mkdir "$work/tmp"
# The test talks to 127.0.0.1 itself: no proxy in the way.
export no_proxy='*' NO_PROXY='*'
python3 "$srcdir/tests/serve_test.py" "$specsite" "$work/repo" "$work/tmp"
