#!/usr/bin/env python3
# git-history.py N — a git fast-import stream on stdout: the files named
# on stdin (one per line) committed as they are, then N commits, a day
# apart, each appending a line to one of them in turn. bench/
# build-vs-sphinx.sh makes the corpus a work tree with a history of its
# own with it, since dates come from `git log`.
import sys
n = int(sys.argv[1])
files = [l.strip() for l in sys.stdin if l.strip()]
out = sys.stdout.buffer
t = 1300000000
def data(b):
    out.write(b"data %d\n" % len(b)); out.write(b); out.write(b"\n")
out.write(b"commit refs/heads/main\nmark :1\ncommitter t <t@example.org> %d +0000\n" % t)
data(b"import")
for f in files:
    body = open(f, "rb").read()
    out.write(b"M 100644 inline %s\n" % f.encode()); data(body)
contents = {}
for i in range(n):
    f = files[i % len(files)]
    if f not in contents:
        contents[f] = open(f, "rb").read()
    contents[f] += b"\n.. change %d\n" % i
    t += 86400
    out.write(b"commit refs/heads/main\nmark :%d\ncommitter t <t@example.org> %d +0000\n" % (i + 2, t))
    data(b"change %d" % i)
    out.write(b"from :%d\n" % (i + 1))
    out.write(b"M 100644 inline %s\n" % f.encode()); data(contents[f])
