#!/usr/bin/env python3
"""family_check.py — specsite's site of a spec repository against the one
sphinx-build made of it: what a reader or a CI job would notice.

    python3 tests/family_check.py SPHINX_SITE OUR_SITE SPHINX_LOG OUR_LOG SRC

Used by tests/family.sh; standard library only. SRC is the repository's
source root (doc/source) as both logs name it. Prints one line per
figure, `figure NAME VALUE`, each followed by at most a few examples of
what differs, indented; family.sh holds the figures against
tests/family_ratchet. Figures (0 is the goal for every one but the two
broken-link counts, where ours must not exceed Sphinx's):

  pages-missing      html pages sphinx-build writes that we do not
  pages-excluded     documents we publish that Sphinx leaves out
  ids-missing        ids in the body of a Sphinx page absent from ours
  reach-differs      documents reached from index.html by body links in
                     one site and not in the other
  toc-differs        pages whose body links to other pages differ (as
                     sets of pages), over pages holding a toctree
  images-missing     images Sphinx shows (files of its site) that we do
                     not show at its URL
  inventory-missing  objects.inv entries of Sphinx's that ours lacks
  broken-sphinx      local links to missing files in Sphinx's site
  broken-ours        the same in ours
  warnings-missing   Sphinx's warnings (file, line, kind) we do not give
  warnings-extra     ours that Sphinx does not give
  warnings-*-any-line  the same, lines aside
"""
import collections
import html.parser
import os
import posixpath
import re
import sys
import urllib.parse
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import site_check  # noqa: E402  (resolve)

# Files of a site that are not pages of the project.
SKIP_DIRS = {"_static", "_sources", "_images", "_downloads", ".specsite",
             ".doctrees"}


class Body(html.parser.HTMLParser):
    """The ids of a page, and the links, images and ids of its body:
    Sphinx's <div class="body">, specsite's <main>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.body_ids = set()
        self.body_links = []
        self.body_images = []
        self.links = []
        self.toctree = False
        self.refresh = None
        self.depth = 0  # open elements inside the body, 0 = outside

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        inside = self.depth > 0
        if not inside and ((tag == "div" and "body" in classes) or
                           tag == "main"):
            self.depth = 1
            inside = True
        elif inside and tag not in ("br", "img", "hr", "meta", "link",
                                    "input", "wbr", "col", "source"):
            self.depth += 1
        for key in ("id", "name"):
            if a.get(key) and (key == "id" or tag == "a"):
                self.ids.add(a[key])
                if inside:
                    self.body_ids.add(a[key])
        if "toctree-wrapper" in classes:
            self.toctree = True
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            m = re.search(r"url=(.*)$", a.get("content") or "", re.I)
            self.refresh = m.group(1).strip() if m else ""
        for key in ("href", "src"):
            if a.get(key) is None:
                continue
            self.links.append(a[key])
            if inside and key == "href":
                self.body_links.append(a[key])
        if inside and tag == "img" and a.get("src"):
            self.body_images.append(a["src"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.depth > 0 and tag not in ("br", "img", "hr", "meta", "link",
                                          "input", "wbr", "col", "source"):
            self.depth -= 1

    def handle_endtag(self, tag):
        if self.depth > 0:
            self.depth -= 1


_pages = {}


def page(site, url):
    key = (site, url)
    if key not in _pages:
        path = os.path.join(site, url)
        p = None
        if os.path.isfile(path):
            p = Body()
            with open(path, encoding="utf-8", errors="replace") as f:
                p.feed(f.read())
            p.close()
        _pages[key] = p
    return _pages[key]


def html_pages(site):
    out = []
    for dirpath, dirnames, filenames in os.walk(site):
        rel = posixpath.relpath(dirpath, site).replace(os.sep, "/")
        dirnames[:] = sorted(d for d in dirnames
                             if not (rel == "." and d in SKIP_DIRS))
        for name in sorted(filenames):
            if name.endswith(".html"):
                out.append(posixpath.normpath(posixpath.join(rel, name)))
    return out


def documents(site):
    """The pages made from a source: those with _sources/<docname>.rst.txt
    (Sphinx and specsite both copy each source there)."""
    docs = set()
    top = os.path.join(site, "_sources")
    for dirpath, _, filenames in os.walk(top):
        for name in filenames:
            if name.endswith(".rst.txt"):
                rel = posixpath.relpath(os.path.join(dirpath, name), top)
                docs.add(rel[:-len(".rst.txt")] + ".html")
    return docs


def show(name, value, examples=()):
    print("figure %s %d" % (name, value))
    for e in sorted(examples)[:6]:
        print("  " + e)


def body_targets(site, url, p):
    """Pages a page's body links to (site-relative, existing)."""
    out = set()
    for ref in p.body_links:
        r = site_check.resolve(url, ref)
        if r and r[0].endswith(".html") and not r[0].startswith(".."):
            out.add(r[0])
    return out


def reached(site, docs):
    seen, todo = set(), ["index.html"]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        p = page(site, url)
        if p is None:
            continue
        if p.refresh:  # a redirect page
            r = site_check.resolve(url, p.refresh)
            if r:
                todo.append(r[0])
        todo.extend(body_targets(site, url, p) - seen)
    return seen & docs


def broken(site):
    n, examples = 0, []
    for url in html_pages(site):
        p = page(site, url)
        for ref in p.links:
            r = site_check.resolve(url, ref)
            if r is None:
                continue
            if r[0].startswith("..") or not os.path.exists(
                    os.path.join(site, r[0])):
                n += 1
                examples.append("%s: %s" % (url, ref))
    return n, examples


def inventory(site):
    """objects.inv's entries as 'domain:role name docname', or None."""
    path = os.path.join(site, "objects.inv")
    if not os.path.isfile(path):
        return None
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n", 4)
    if len(lines) < 5 or not lines[0].startswith(b"# Sphinx inventory"):
        return set()
    try:
        text = zlib.decompress(lines[4]).decode("utf-8")
    except (zlib.error, UnicodeDecodeError):
        return set()
    out = set()
    for line in text.splitlines():
        m = re.match(r"(.+?)\s+(\S+:\S+)\s+(-?\d+)\s+?(\S*)\s+(.*)$", line)
        if m:
            name, kind, _, uri, _ = m.groups()
            out.add("%s %s %s" % (kind, name, uri.split("#")[0]))
    return out


WARNING = re.compile(r"^(?:[a-z ]+\.\.\. )?(?P<file>[^:\s][^:]*?)(?::(?P<line>\d*))?: "
                     r"(?P<level>WARNING|ERROR|CRITICAL|SEVERE): "
                     r"(?P<msg>.*)$")


def warnings(log, src):
    """(file relative to src, line, first words) of each warning."""
    out = set()
    roots = [src.rstrip("/"), os.path.abspath(src), os.path.realpath(src)]
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = WARNING.match(line.rstrip("\n"))
            if not m:
                continue
            path = m.group("file")
            for root in roots:
                if path.startswith(root + "/"):
                    path = path[len(root) + 1:]
                    break
            msg = re.sub(r"'[^']*'|\"[^\"]*\"|\S*/\S*", "_", m.group("msg"))
            out.add("%s:%s: %s" % (path, m.group("line") or "",
                                   " ".join(msg.split()[:4])))
    return out


def main(argv):
    if len(argv) != 6:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    sx, ours, sx_log, our_log, src = argv[1:]
    sx_pages = set(html_pages(sx))
    our_pages = set(html_pages(ours))
    show("pages-missing", len(sx_pages - our_pages), sx_pages - our_pages)
    sx_docs, our_docs = documents(sx), documents(ours)
    show("pages-excluded", len(our_docs - sx_docs), our_docs - sx_docs)

    n, ex = 0, []
    for url in sorted(sx_pages & our_pages):
        a, b = page(sx, url), page(ours, url)
        lost = a.body_ids - b.ids
        n += len(lost)
        ex.extend("%s#%s" % (url, i) for i in sorted(lost)[:2])
    show("ids-missing", n, ex)

    ra, rb = reached(sx, sx_docs), reached(ours, our_docs)
    show("reach-differs", len(ra ^ rb),
         ["only Sphinx reaches " + u for u in ra - rb] +
         ["only we reach " + u for u in rb - ra])

    n, ex = 0, []
    for url in sorted(sx_pages & our_pages):
        a = page(sx, url)
        if not a.toctree:
            continue
        ta = body_targets(sx, url, a) & sx_docs
        tb = body_targets(ours, url, page(ours, url)) & sx_docs
        if ta != tb:
            n += 1
            ex.append("%s: %d links, ours %d (%d not in ours)" %
                      (url, len(ta), len(tb), len(ta - tb)))
    show("toc-differs", n, ex)

    n, ex = 0, []
    for url in sorted(sx_pages & our_pages):
        a, b = page(sx, url), page(ours, url)
        # Only those Sphinx shows: its broken ones are not shown.
        want = {site_check.resolve(url, s) for s in a.body_images}
        want = {w for w in want
                if w and os.path.isfile(os.path.join(sx, w[0]))}
        have = {site_check.resolve(url, s) for s in b.body_images}
        for img in sorted(w for w in want - have if w):
            n += 1
            ex.append("%s: %s" % (url, img[0]))
    show("images-missing", n, ex)

    ia, ib = inventory(sx), inventory(ours)
    if ia is None:
        show("inventory-missing", 0)
    else:
        lost = ia - (ib or set())
        show("inventory-missing", len(lost), lost)

    na, _ = broken(sx)
    nb, ex = broken(ours)
    show("broken-sphinx", na)
    show("broken-ours", nb, ex)

    wa, wb = warnings(sx_log, src), warnings(our_log, src)
    show("warnings-missing", len(wa - wb), wa - wb)
    show("warnings-extra", len(wb - wa), wb - wa)
    # The same, lines aside: what is only a line number apart.
    la = collections.Counter(re.sub(r":\d*: ", ": ", w) for w in wa)
    lb = collections.Counter(re.sub(r":\d*: ", ": ", w) for w in wb)
    show("warnings-missing-any-line", sum((la - lb).values()), la - lb)
    show("warnings-extra-any-line", sum((lb - la).values()), lb - la)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
