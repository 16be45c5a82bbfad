#!/usr/bin/env python3
"""serve-vs-autobuild.py — save-to-reload time of `specsite serve` and of
sphinx-autobuild (Debian's python3-sphinx-autobuild), on the same edit of
the same copy of a spec repository, in one run.

    python3 bench/serve-vs-autobuild.py [--specsite build/specsite]
        [--corpus ../shared/corpus/ironic-specs] [--spec REL] [--runs 10]

For each tool: a copy of the corpus (real symlinks, as git checks them
out; made a git repository of one commit, as an author's checkout is),
the server started on a free loopback port, then RUNS times: one
paragraph appended to one spec, and the time from that write until

  - event:   the page's reload event (specsite: its Server-Sent Event;
             sphinx-autobuild has none to read without a WebSocket
             client, so only `visible` is measured for it),
  - visible: the page served over HTTP has the new paragraph (polled
             every 2 ms),
  - rebuild: the rebuild's own time as the server prints it (specsite).

Medians and the best are printed, and the ratio of the `visible` times.
Not a test: it always exits 0 when it could measure. Use TMPDIR=/dev/shm/x
for figures that do not depend on the disk.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROXYLESS = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def get(url, timeout=5):
    try:
        with PROXYLESS.open(url, timeout=timeout) as r:
            return r.read()
    except Exception:
        return b""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def copy_corpus(corpus, dest):
    subprocess.run([sys.executable, str(HERE.parent / "tests" /
                                        "corpus_copy.py"),
                    str(corpus), str(dest)], check=True,
                   stdout=subprocess.DEVNULL)
    # A checkout, as an author's is: pages are dated by their last
    # commit, so an edit does not change a date (nor the feed).
    if shutil.which("git"):
        git = ["git", "-C", str(dest), "-c", "user.name=bench",
               "-c", "user.email=bench@example.org"]
        for step in (["init", "-q"], ["add", "-A"],
                     ["commit", "-q", "-m", "corpus"]):
            subprocess.run(git + step, check=True, stdout=subprocess.DEVNULL)


class Events:
    """A page's event stream (specsite serve): arrival times of events
    that say the page must reload."""

    def __init__(self, port, page):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall((
            "GET /_specsite-serve/events?page=%s&since=%d HTTP/1.1\r\n"
            "Host: x\r\n\r\n" % (page, 10 ** 9)).encode())
        self.reloads = []
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buf = b""
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            if not data:
                return
            now = time.monotonic()
            buf += data
            while b"\n\n" in buf:
                part, buf = buf.split(b"\n\n", 1)
                m = re.search(rb"data: (\{.*\})", part)
                if m and json.loads(m.group(1)).get("build", 0) > 0:
                    with self.lock:
                        self.reloads.append(now)


def measure(name, url, spec, runs, events=None, rebuilds=None):
    visible, event, rebuild = [], [], []
    text = spec.read_text()
    for i in range(runs):
        mark = "BENCH-EDIT-%s-%d" % (name, i)
        n_events = len(events.reloads) if events else 0
        n_rebuilds = len(rebuilds) if rebuilds is not None else 0
        t0 = time.monotonic()
        with open(spec, "w") as f:
            f.write(text + "\n%s paragraph.\n" % mark)
        seen = None
        while time.monotonic() - t0 < 120:
            if mark.encode() in get(url):
                seen = time.monotonic() - t0
                break
            time.sleep(0.002)
        if seen is None:
            print("  %s: run %d: the edit never showed" % (name, i))
            continue
        visible.append(seen * 1e3)
        if events:
            end = time.monotonic() + 2
            while time.monotonic() < end and len(events.reloads) <= n_events:
                time.sleep(0.001)
            with events.lock:
                later = [t for t in events.reloads[n_events:] if t >= t0]
            if later:
                event.append((later[0] - t0) * 1e3)
        if rebuilds is not None:
            end = time.monotonic() + 1
            while time.monotonic() < end and len(rebuilds) <= n_rebuilds:
                time.sleep(0.001)
            rebuild.extend(rebuilds[n_rebuilds:n_rebuilds + 1])
        time.sleep(0.3)  # let the server settle between saves
    spec.write_text(text)
    return visible, event, rebuild


def summary(label, values):
    if not values:
        return "%-28s -" % label
    return "%-28s median %8.1f ms   best %8.1f ms   (%d runs)" % (
        label, statistics.median(values), min(values), len(values))


def run_specsite(args, copy, rel):
    specsite = str(Path(args.specsite).resolve())
    env = dict(os.environ)
    proc = subprocess.Popen([specsite, "serve", str(copy), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    rebuilds = []

    def read_err():
        for line in proc.stderr:
            m = re.match(r"rebuilt in ([\d.]+) ms", line)
            if m:
                rebuilds.append(float(m.group(1)))
            m = re.match(r"built (\d+) pages in (\d+) ms", line)
            if m:
                print("  specsite serve: first build, %s pages in %s ms" %
                      m.groups())

    threading.Thread(target=read_err, daemon=True).start()
    line = proc.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        proc.kill()
        raise SystemExit("specsite serve did not start: %r" % line)
    port = int(m.group(1))
    page = "/" + re.sub(r"\.rst$", ".html", rel)
    events = Events(port, page)
    try:
        return measure("specsite", "http://127.0.0.1:%d%s" % (port, page),
                       copy / args.source_prefix / rel, args.runs, events,
                       rebuilds)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)


def run_autobuild(args, copy, rel):
    port = free_port()
    out = copy / "doc" / "build" / "html"
    cmd = ["/usr/bin/python3", "-m", "sphinx_autobuild", "-q",
           "--host", "127.0.0.1", "--port", str(port),
           str(copy / args.source_prefix), str(out)]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=str(copy),
                            start_new_session=True)
    page = "/" + re.sub(r"\.rst$", ".html", rel)
    url = "http://127.0.0.1:%d%s" % (port, page)
    while time.monotonic() - t0 < 600 and not get(url):
        if proc.poll() is not None:
            raise SystemExit("sphinx-autobuild stopped: %s" % " ".join(cmd))
        time.sleep(0.1)
    print("  sphinx-autobuild: first build and start in %.1f s" %
          (time.monotonic() - t0))
    try:
        return measure("autobuild", url, copy / args.source_prefix / rel,
                       args.runs)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--specsite", default=str(HERE.parent / "build" /
                                              "specsite"))
    p.add_argument("--corpus", default=str(HERE.parent.parent / "shared" /
                                           "corpus" / "ironic-specs"))
    p.add_argument("--spec", default="specs/approved/L3-based-deployment.rst",
                   help="the spec to edit, relative to the source root")
    p.add_argument("--runs", type=int, default=10)
    args = p.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print("no corpus at %s: nothing measured" % corpus)
        return 0
    args.source_prefix = "doc/source" if (
        corpus / "doc" / "source" / "conf.py").is_file() else "."
    autobuild = subprocess.run(
        ["/usr/bin/python3", "-c", "import sphinx_autobuild"],
        capture_output=True).returncode == 0
    work = Path(tempfile.mkdtemp(prefix="serve-bench."))
    try:
        copy = work / "specsite"
        copy_corpus(corpus, copy)
        # Counted in the copy: the corpus keeps its symlinks as files.
        ndocs = sum(1 for _, _, files in os.walk(
            copy / args.source_prefix, followlinks=True)
            for f in files if f.endswith(".rst"))
        print("corpus %s (%d .rst below the source root), edited: %s, %d "
              "runs" % (corpus.name, ndocs, args.spec, args.runs))
        s_vis, s_ev, s_reb = run_specsite(args, copy, args.spec)
        print(summary("specsite: rebuild", s_reb))
        print(summary("specsite: reload event", s_ev))
        print(summary("specsite: edit visible", s_vis))
        if not autobuild:
            print("sphinx-autobuild is not installed (apt-get install "
                  "python3-sphinx-autobuild): not compared")
            return 0
        copy = work / "autobuild"
        copy_corpus(corpus, copy)
        a_vis, _, _ = run_autobuild(args, copy, args.spec)
        print(summary("sphinx-autobuild: visible", a_vis))
        if s_vis and a_vis:
            print("ratio (edit visible, median): sphinx-autobuild / specsite "
                  "= %.0fx" % (statistics.median(a_vis) /
                               statistics.median(s_vis)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
