#!/usr/bin/env bash
# browser.sh — the built site in a real browser (headless Chromium).
#
#   bash tests/browser.sh PATH/TO/specsite SOURCE_DIR
#
# Builds a spec repository (examples/site, or a small one written to a
# temporary folder when the example is absent; SPECSITE_BROWSER_REPO
# names another, "small" the small one) and drives Debian's chromium through chromedriver
# (tests/browser_test.py speaks W3C WebDriver with the Python standard
# library): index, spec pages, outline, section bar, previous/next,
# search dropdown and search page, release table, no console errors.
# Screenshots go to ${SPECSITE_TEST_OUTPUT:-<build dir>/test-output}/browser/.
# Without chromium, chromedriver or python3 it says SKIPPED and checks
# nothing (scripts/setup installs them).
set -u
specsite=${1:?usage: browser.sh SPECSITE SOURCE_DIR}
srcdir=${2:?usage: browser.sh SPECSITE SOURCE_DIR}
srcdir=$(cd "$srcdir" && pwd)
case $specsite in /*) ;; *) specsite=$PWD/$specsite ;; esac

chromium=${SPECSITE_CHROMIUM:-$(command -v chromium)}
chromedriver=${SPECSITE_CHROMEDRIVER:-$(command -v chromedriver)}
for tool in "$chromium:chromium" "$chromedriver:chromedriver" \
  "$(command -v python3):python3"; do
  if [ ! -x "${tool%:*}" ]; then
    echo "SKIPPED: browser: no ${tool##*:} (apt-get install chromium" \
      "chromium-driver python3); NOTHING WAS CHECKED."
    exit 0
  fi
done

# The build folder is where the specsite binary is (ctest's current
# folder is the tests/ folder below it).
out=${SPECSITE_TEST_OUTPUT:-$(dirname "$specsite")/test-output}/browser
mkdir -p "$out" || exit 2
out=$(cd "$out" && pwd)

work=$(mktemp -d)
driver_pid= test_pid=
cleanup() {
  [ -n "$test_pid" ] && kill -TERM "$test_pid" 2>/dev/null
  # chromedriver runs in its own process group with the browsers it
  # starts: ending the group ends them all, even after a crash.
  if [ -n "$driver_pid" ]; then
    kill -TERM -- "-$driver_pid" 2>/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      kill -0 -- "-$driver_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$driver_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free loopback port; another process may take it before chromedriver
# does, so a start that fails is tried again on another port.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
started=
for attempt in 1 2 3 4 5; do
  port=$(free_port)
  setsid "$chromedriver" --port="$port" --allowed-ips=127.0.0.1 \
    --log-path="$out/chromedriver.log" >/dev/null 2>&1 &
  driver_pid=$!
  for _ in $(seq 100); do # up to 10 s
    if python3 -c 'import sys, urllib.request
urllib.request.urlopen("http://127.0.0.1:%s/status" % sys.argv[1], timeout=1)' \
      "$port" 2>/dev/null; then
      started=1
      break
    fi
    kill -0 "$driver_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$started" ] && break
  kill -KILL -- "-$driver_pid" 2>/dev/null
  wait "$driver_pid" 2>/dev/null
  driver_pid=
done
if [ -z "$started" ]; then
  echo "FAIL: chromedriver did not start (see $out/chromedriver.log)"
  exit 1
fi

# In the background: bash runs a trap only between commands, and
# `wait` is one a signal interrupts (a foreground child would delay the
# cleanup until it ended).
timeout 300 python3 "$srcdir/tests/browser_test.py" \
  --specsite "$specsite" --source "$srcdir" --work "$work" --out "$out" \
  --driver "http://127.0.0.1:$port" --chromium "$chromium" &
test_pid=$!
wait "$test_pid"
rc=$?
test_pid=
[ "$rc" = 124 ] && echo "FAIL: browser: the test took more than 300 s"
exit "$rc"
