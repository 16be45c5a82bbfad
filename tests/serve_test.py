#!/usr/bin/env python3
"""serve_test.py — `specsite serve` end to end, over real HTTP.

Run by tests/serve.sh: SPECSITE REPO (a copy of a spec repository the
test may edit) WORK (a folder for TMPDIR, checked to be left empty).

Starts the server on a free loopback port and checks: pages served with
their types, HEAD, ETag/304, every traversal form refused, an edit
visible over HTTP (and its reload event) within 0.5 s, a new spec in the
index, a deleted one gone, a broken spec's problems in its event and
gone once fixed, a burst of saves built as one, 200 concurrent requests,
silent clients not blocking others, a port in use refused (exit 2), and
a clean stop on SIGTERM with no temporary file left. Python's standard
library only; every check prints PASS or FAIL, the last line counts.
"""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print("%s: serve: %s%s" % ("PASS" if ok else "FAIL", name,
                                "" if ok or not detail else " (%s)" % (detail,)))
    sys.stdout.flush()


class Server:
    def __init__(self, specsite, repo, work, *args):
        env = dict(os.environ, TMPDIR=str(work))
        self.proc = subprocess.Popen(
            [specsite, "serve", str(repo), "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
            text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)(/\S*)", line)
        if not m:
            self.proc.kill()
            raise RuntimeError("no URL printed: %r %r" %
                               (line, self.proc.stderr.read()))
        self.port = int(m.group(1))
        self.first = m.group(2)
        self.err = []
        self.reader = threading.Thread(target=self._read_err, daemon=True)
        self.reader.start()

    def _read_err(self):
        # readline, not iteration: a line as soon as it is there.
        for line in iter(self.proc.stderr.readline, ""):
            self.err.append(line)

    def wait_err(self, pred, timeout=3):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if any(pred(e) for e in list(self.err)):
                return True
            time.sleep(0.01)
        return False

    def rebuilds(self):
        return sum(1 for e in self.err if e.startswith("rebuilt"))

    def get(self, path, method="GET", headers=None, timeout=5):
        c = http.client.HTTPConnection("127.0.0.1", self.port,
                                       timeout=timeout)
        c.putrequest(method, path, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            c.putheader(k, v)
        c.endheaders()
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), body

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None


class Events:
    """One page's event stream, read by a thread of its own."""

    def __init__(self, port, page, since):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.sendall((
            "GET /_specsite-serve/events?page=%s&since=%d HTTP/1.1\r\n"
            "Host: x\r\nAccept: text/event-stream\r\n\r\n" % (page, since)
        ).encode())
        self.events = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buf = b""
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    break
                buf += data
                parts = buf.split(b"\n\n")
                buf = parts.pop()
                for part in parts:
                    m = re.search(rb"data: (\{.*\})", part)
                    if m:
                        with self.cond:
                            self.events.append((time.monotonic(),
                                                json.loads(m.group(1))))
                            self.cond.notify_all()
        except OSError:
            pass

    def wait(self, pred, timeout):
        end = time.monotonic() + timeout
        with self.cond:
            while True:
                for t, e in self.events:
                    if pred(e):
                        return t, e
                left = end - time.monotonic()
                if left <= 0:
                    return None, None
                self.cond.wait(left)

    def close(self):
        self.sock.close()


def build_of(body):
    m = re.search(rb'data-build="(\d+)"', body)
    return int(m.group(1)) if m else -1


def main():
    specsite, repo, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    spec = repo / "specs/1.0/search-index.rst"
    spec_url = "/specs/1.0/search-index.html"
    s = Server(specsite, repo, work)
    check("prints the URL of a free loopback port", s.port > 0)
    check("listens on loopback only",
          not any("warning: listening" in e for e in s.err))

    # Types, HEAD, ETag.
    st, h, body = s.get("/")
    check("index served as HTML", st == 200 and
          h.get("content-type", "").startswith("text/html"), (st, h))
    check("pages carry the reload script",
          b'/_specsite-serve/reload.js' in body and build_of(body) >= 1)
    types = {spec_url: "text/html", "/_static/specsite.css": "text/css",
             "/_static/search.js": "text/javascript",
             "/searchindex.js": "text/javascript",
             "/_specsite-serve/reload.js": "text/javascript",
             "/atom.xml": "application/atom+xml",
             "/_sources/specs/1.0/search-index.rst.txt": "text/plain"}
    for path, want in types.items():
        st, h, _ = s.get(path)
        check("%s is %s" % (path, want),
              st == 200 and h.get("content-type", "").startswith(want),
              (st, h.get("content-type")))
    st, h, body = s.get("/specs/1.1/implemented/incremental-builds.html")
    img = re.search(rb'src="([^"]*_images/[^"]+)"', body)
    if img:
        path = os.path.normpath("/specs/1.1/implemented/" +
                                img.group(1).decode())
        st, h, _ = s.get(path)
        check("an image is image/png", st == 200 and
              h.get("content-type") == "image/png", (path, st, h))
    else:
        check("the example's image is on its page", False)
    st, h, body = s.get(spec_url, method="HEAD")
    check("HEAD: headers, no body", st == 200 and body == b"" and
          int(h.get("content-length", "0")) > 0, (st, h, len(body)))
    etag = h.get("etag")
    st, h, body = s.get(spec_url, headers={"If-None-Match": etag})
    check("ETag: 304 when unchanged", etag and st == 304 and body == b"",
          (etag, st))
    st, h, body = s.get("/nope/none.html")
    check("a missing page: 404 with the site's 404 page",
          st == 404 and b"Page not found" in body and
          b'<base href="/">' in body, (st, body[:80]))
    st, h, _ = s.get("/", method="POST")
    check("POST: 405", st == 405 and "GET" in h.get("allow", ""), st)

    # Traversal in every spelling, hidden files, symlinks out.
    private = [p for p in work.iterdir() if p.name.startswith(
        "specsite-serve.")]
    check("the site is in a private folder in TMPDIR", len(private) == 1,
          private)
    site = private[0] / "site" if private else work
    try:
        os.symlink("/etc/passwd", site / "leak.txt")
        os.symlink("/etc", site / "leakdir")
    except OSError:
        pass
    for bad in ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                "/%252e%252e/%252e%252e/etc/passwd", "/..%2f..%2fetc/passwd",
                "/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/specs/../../etc/passwd",
                "//etc/passwd", "/.specsite/cache", "/.specsite/marker",
                "/leak.txt", "/leakdir/passwd", "/..\\..\\etc\\passwd",
                "/%00/etc/passwd", "/./index.html", "/specs/./1.0/"]:
        try:
            st, h, body = s.get(bad)
        except Exception as e:  # a refused request is fine too
            st, body = 0, b""
        check("refused: %s" % bad, st in (0, 400, 404) and
              b"root:" not in body, st)

    # An edit, seen over HTTP and as an event within 0.5 s.
    st, h, body = s.get(spec_url)
    since = build_of(body)
    ev = Events(s.port, spec_url, since)
    other = Events(s.port, "/policy/review-process.html", since)
    ev.wait(lambda e: True, 5)
    text = spec.read_text()
    t0 = time.monotonic()
    spec.write_text(text + "\nEDITED-MARK-1 paragraph.\n")
    t, e = ev.wait(lambda e: e["reload"], 5)
    seen = None
    while time.monotonic() - t0 < 2:
        st, h, body = s.get(spec_url)
        if b"EDITED-MARK-1" in body:
            seen = time.monotonic() - t0
            break
        time.sleep(0.005)
    check("an edit is served within 0.5 s", seen is not None and seen < 0.5,
          seen)
    check("its page is told to reload within 0.5 s",
          t is not None and t - t0 < 0.5, t and t - t0)
    time.sleep(0.1)
    check("a page the edit did not change is not told to reload",
          not any(x["reload"] for _, x in other.events), other.events)

    # An editor's save: a temporary file renamed over the spec.
    tmp = spec.with_name(".search-index.rst.swp")
    tmp.write_text(text + "\nEDITED-MARK-2 paragraph.\n")
    os.rename(tmp, spec)
    t0 = time.monotonic()
    seen = None
    while time.monotonic() - t0 < 2:
        if b"EDITED-MARK-2" in s.get(spec_url)[2]:
            seen = time.monotonic() - t0
            break
        time.sleep(0.005)
    check("a save by rename is served", seen is not None, seen)

    # A broken spec: its problem in the event, and gone when fixed.
    n = len(ev.events)
    spec.write_text(text + "\nBroken\n===\n\n.. unknown-directive-x::\n")
    t, e = ev.wait(lambda e: "unknown-directive-x" in e["problems"] or
                   "Unknown directive" in e["problems"], 5)
    check("a broken spec's problem reaches its page, with file:line",
          e is not None and re.search(r"search-index\.rst:\d+:",
                                      e["problems"]), e)
    check("the problem is printed in the terminal",
          s.wait_err(lambda x: "search-index.rst:" in x and
                     "directive" in x.lower()), s.err[-5:])
    spec.write_text(text)
    end = time.monotonic() + 5
    fixed = False
    while time.monotonic() < end and not fixed:
        fixed = bool(ev.events) and ev.events[-1][1]["problems"] == "" and \
            len(ev.events) > n + 1
        time.sleep(0.02)
    check("the problem goes once fixed", fixed, ev.events[-1:])
    ev.close()
    other.close()

    # A new spec in the index; a removed one gone.
    new = repo / "specs/1.0/brand-new-spec.rst"
    new.write_text("==================\nA brand new spec\n==================\n"
                   "\nProblem description\n===================\n\nNone.\n")
    ok = False
    end = time.monotonic() + 3
    while time.monotonic() < end and not ok:
        ok = b"A brand new spec" in s.get("/")[2] or \
            b"A brand new spec" in s.get("/specs/1.0/index.html")[2]
        time.sleep(0.02)
    check("a new spec appears in the index", ok)
    check("and its page is served",
          s.get("/specs/1.0/brand-new-spec.html")[0] == 200)
    new.unlink()
    ok = False
    end = time.monotonic() + 3
    while time.monotonic() < end and not ok:
        ok = s.get("/specs/1.0/brand-new-spec.html")[0] == 404 and \
            b"A brand new spec" not in s.get("/")[2]
        time.sleep(0.02)
    check("a removed spec is gone (404, not in the index)", ok)

    # A renamed spec: the old page gone, the new one there.
    old = repo / "specs/1.0/preview-page-cache.rst"
    moved = repo / "specs/1.0/preview-page-cache-renamed.rst"
    os.rename(old, moved)
    ok = False
    end = time.monotonic() + 3
    while time.monotonic() < end and not ok:
        ok = s.get("/specs/1.0/preview-page-cache.html")[0] == 404 and \
            s.get("/specs/1.0/preview-page-cache-renamed.html")[0] == 200
        time.sleep(0.02)
    check("a renamed spec: the old page gone, the new one served", ok)
    os.rename(moved, old)

    # The configuration is watched too: specsite.conf's project name.
    conf = repo / "specsite.conf"
    conf_text = conf.read_text()
    conf.write_text(re.sub(r"(?m)^project = .*$", "project = Renamed Project",
                           conf_text, count=1))
    ok = False
    end = time.monotonic() + 3
    while time.monotonic() < end and not ok:
        ok = b"Renamed Project" in s.get("/")[2]
        time.sleep(0.02)
    check("an edit of specsite.conf is built and served", ok)
    conf.write_text(conf_text)

    # A burst: 50 files written at once are one or two builds.
    time.sleep(0.3)
    before = s.rebuilds()
    burst = repo / "specs/1.0"
    for i in range(50):
        (burst / ("burst-%02d.rst" % i)).write_text(
            "Burst %d\n========\n\nText.\n" % i)
    time.sleep(1.0)
    s.wait_err(lambda x: False, 0.2)
    builds = s.rebuilds() - before
    check("a burst of 50 saves is built at most twice", 1 <= builds <= 2,
          builds)
    for i in range(50):
        (burst / ("burst-%02d.rst" % i)).unlink()
    time.sleep(0.5)

    # 200 concurrent requests.
    failures = []

    def one(i):
        try:
            st, _, _ = s.get(spec_url if i % 2 else "/_static/specsite.css",
                             timeout=20)
            if st != 200:
                failures.append(st)
        except Exception as e:
            failures.append(repr(e))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(200)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check("200 concurrent requests answered", not failures,
          "%d failed: %s" % (len(failures), failures[:3]))
    print("  200 concurrent requests in %.0f ms" %
          ((time.monotonic() - t0) * 1e3))

    # Silent and slow clients do not block others; open streams do not
    # exhaust anything.
    silent = [socket.create_connection(("127.0.0.1", s.port))
              for _ in range(50)]
    slow = socket.create_connection(("127.0.0.1", s.port))
    slow.sendall(b"GET / HTTP/1.1\r\nHo")
    streams = [Events(s.port, "/", 1) for _ in range(100)]
    t0 = time.monotonic()
    st, _, _ = s.get("/", timeout=3)
    took = time.monotonic() - t0
    check("silent, slow and listening clients do not block a request",
          st == 200 and took < 0.5, took)
    for c in silent:
        c.close()
    slow.close()
    for e in streams:
        e.close()

    # A second server on the same port: a clear error, exit 2.
    env = dict(os.environ, TMPDIR=str(work))
    p = subprocess.run([specsite, "serve", str(repo), "--port",
                        str(s.port)], capture_output=True, text=True,
                       env=env, timeout=30)
    check("a port in use: exit 2 with a clear message",
          p.returncode == 2 and "in use" in p.stderr, (p.returncode,
                                                      p.stderr[-200:]))

    # Stop.
    t0 = time.monotonic()
    rc = s.stop()
    check("SIGTERM stops it at once, exit 0",
          rc == 0 and time.monotonic() - t0 < 2, (rc, s.err[-3:]))
    left = list(work.iterdir())
    check("no temporary file left", not left, left)

    # FILE: the repository of a spec, its page first.
    s = Server(specsite, spec, work)
    check("serve FILE opens that spec's page", s.first == spec_url,
          s.first)
    st, _, _ = s.get(spec_url)
    check("in its repository's site", st == 200 and
          s.get("/specs/1.1/approved/theme-slots.html")[0] == 200)
    os.kill(s.proc.pid, signal.SIGINT)
    rc = s.proc.wait(timeout=5)
    check("Ctrl-C stops it, exit 0, nothing left",
          rc == 0 and not list(work.iterdir()), rc)

    failed = results.count(False)
    print("serve: %d passed, %d failed" % (results.count(True), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
