#!/usr/bin/env python3
"""site_check.py — crawls a site `specsite build` made and checks it.

    python3 tests/site_check.py COMMAND SITE [ARGS...]

Used by tests/site.sh; standard library only. Each command prints what it
found (figures, then at most a few examples of what is wrong) and exits 0
when the site holds what it should, 1 when not, 2 on bad usage.

  reach SITE URLS_FILE       every site-relative URL listed (one a line) is
                             reached from index.html by following links
  links SITE [--max N] [--files-only]
                             local href/src to missing files, and #anchors
                             missing in local pages: at most N (default 0)
  pages SITE XML_DIR [--all-ids]
                             for every XML_DIR/P.xml (Docutils XML of the
                             page's source): P.html exists; its Problem
                             description / Proposed change(s) /
                             Implementation sections have their ids in the
                             page and a link to them in a <nav> (the
                             section bar); every literal block
                             is byte-exact the text of a <pre>; with
                             --all-ids, every section id is an id of the page
  redirect SITE OLD NEW      OLD is a page that sends the browser to NEW
  release SITE RELEASE SRC   specs/RELEASE/index.html lists every spec of
                             SRC/specs/RELEASE with its blueprint and assignee
  impact SITE TITLE YES NO   sections.html's TITLE part lists page YES and
                             not page NO
  search SITE TERM URL       searchindex.js is JSON after its assignment and
                             TERM maps to a section of page URL
  atom SITE N                atom.xml is well-formed with N entries, each
                             linking a distinct existing page
  sitemap SITE BASE N        sitemap.xml is well-formed, N URLs, each below
                             BASE naming an existing page
"""
import html
import html.parser
import json
import os
import posixpath
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

MAIN_TITLES = {
    "problem description": "Problem description",
    "proposed change": "Proposed change",
    "proposed changes": "Proposed change",
    "implementation": "Implementation",
}


class Page(html.parser.HTMLParser):
    """The ids, links and <pre> texts of one HTML file."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.links = []  # (attribute, value)
        self.pres = []
        self.pre_depth = 0
        self.pre_text = []
        self.refresh = None
        self.rows = []  # table rows: (hrefs, text)
        self.row = None
        self.sections = []  # (id, hrefs) of <section> elements
        self.section_stack = []
        self.nav_depth = 0
        self.nav_hrefs = []  # hrefs inside a <nav> (bars, outlines)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key) and (key == "id" or tag == "a"):
                self.ids.add(a[key])
        for key in ("href", "src"):
            if a.get(key) is not None:
                self.links.append((key, a[key]))
                if key == "href" and self.row is not None:
                    self.row[0].append(a[key])
                if key == "href" and self.nav_depth:
                    self.nav_hrefs.append(a[key])
                if key == "href":
                    for s in self.section_stack:
                        s[1].append(a[key])
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            m = re.search(r"url=(.*)$", a.get("content") or "", re.I)
            self.refresh = m.group(1).strip() if m else ""
        if tag == "pre":
            if self.pre_depth == 0:
                self.pre_text = []
            self.pre_depth += 1
        if tag == "nav":
            self.nav_depth += 1
        if tag == "tr":
            self.row = ([], [])
        if tag == "section":
            self.section_stack.append((a.get("id"), []))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("pre", "section", "tr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "pre" and self.pre_depth:
            self.pre_depth -= 1
            if self.pre_depth == 0:
                self.pres.append("".join(self.pre_text))
        if tag == "nav" and self.nav_depth:
            self.nav_depth -= 1
        if tag == "tr" and self.row is not None:
            self.rows.append((self.row[0], " ".join(self.row[1])))
            self.row = None
        if tag == "section" and self.section_stack:
            self.sections.append(self.section_stack.pop())

    def handle_data(self, data):
        if self.pre_depth:
            self.pre_text.append(data)
        if self.row is not None:
            self.row[1].append(data)


_cache = {}


def load(site, url):
    """The parsed page at site-relative url, or None when absent."""
    if url in _cache:
        return _cache[url]
    path = os.path.join(site, url)
    page = None
    if os.path.isfile(path):
        page = Page()
        with open(path, encoding="utf-8", errors="replace") as f:
            page.feed(f.read())
        page.close()
    _cache[url] = page
    return page


def resolve(base_url, ref):
    """(site-relative path, fragment) of a local reference made in page
    base_url; None for external ones (a scheme, //host, mailto...)."""
    parts = urllib.parse.urlsplit(ref)
    if parts.scheme or parts.netloc or ref.startswith("//"):
        return None
    path = urllib.parse.unquote(parts.path)
    if path == "":
        target = base_url
    else:
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname(base_url), path))
        if path.endswith("/"):
            target = posixpath.join(target, "index.html")
    return target, urllib.parse.unquote(parts.fragment)


def html_files(site):
    for dirpath, dirnames, filenames in os.walk(site):
        dirnames[:] = sorted(d for d in dirnames if d != ".specsite")
        for name in sorted(filenames):
            if name.endswith(".html"):
                yield posixpath.relpath(
                    posixpath.join(dirpath, name), site).replace(os.sep, "/")


def fail(problems, what):
    print("%d %s" % (len(problems), what))
    for p in problems[:10]:
        print("  " + p)
    return 1 if problems else 0


# --- commands ---------------------------------------------------------------


def cmd_reach(site, urls_file):
    want = [l.strip() for l in open(urls_file) if l.strip()]
    seen, todo = {"index.html"}, ["index.html"]
    while todo:
        url = todo.pop()
        page = load(site, url)
        if page is None:
            continue
        refs = [v for k, v in page.links if k == "href"]
        if page.refresh:
            refs.append(page.refresh)
        for ref in refs:
            r = resolve(url, ref)
            if r and r[0].endswith(".html") and r[0] not in seen \
                    and not r[0].startswith(".."):
                seen.add(r[0])
                todo.append(r[0])
    # A link to a page is not the page: only files that exist count.
    seen = {u for u in seen if load(site, u) is not None}
    missing = [u for u in want if u not in seen]
    print("%d of %d pages reached from index.html (%d pages crawled)" %
          (len(want) - len(missing), len(want), len(seen)))
    return fail(missing, "pages not reached")


def cmd_links(site, args):
    limit, files_only = 0, False
    i = 0
    while i < len(args):
        if args[i] == "--max":
            limit = int(args[i + 1])
            i += 1
        elif args[i] == "--files-only":
            files_only = True
        i += 1
    missing_files, missing_anchors, total = [], [], 0
    for url in html_files(site):
        page = load(site, url)
        for key, ref in page.links:
            r = resolve(url, ref)
            if r is None:
                continue
            total += 1
            target, frag = r
            tpath = os.path.join(site, target)
            if target.startswith("..") or not os.path.exists(tpath):
                missing_files.append("%s: %s=%s" % (url, key, ref))
            elif frag and target.endswith(".html"):
                tpage = load(site, target)
                if tpage is not None and frag not in tpage.ids:
                    missing_anchors.append("%s: %s=%s" % (url, key, ref))
    print("%d local links, %d to missing files, %d to missing anchors" %
          (total, len(missing_files), len(missing_anchors)))
    for p in missing_files[:5]:
        print("  missing file: " + p)
    for p in missing_anchors[:5]:
        print("  missing anchor: " + p)
    broken = len(missing_files) + (0 if files_only else len(missing_anchors))
    if broken > limit:
        print("%d broken links, more than %d" % (broken, limit))
        return 1
    return 0


def _title(section):
    t = section.find("title")
    return "".join(t.itertext()).strip() if t is not None else ""


def cmd_pages(site, xml_dir, all_ids):
    problems = []
    n_pages = n_main = n_ids = n_lits = 0
    for dirpath, dirnames, filenames in os.walk(xml_dir):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".xml"):
                continue
            rel = posixpath.relpath(posixpath.join(dirpath, name),
                                    xml_dir).replace(os.sep, "/")
            url = rel[:-4] + ".html"
            n_pages += 1
            page = load(site, url)
            if page is None:
                problems.append("%s: no page for %s" % (url, rel))
                continue
            root = ET.parse(os.path.join(dirpath, name)).getroot()
            # The main sections: the shallowest of each title.
            found = {}
            stack = [(root, 0)]
            while stack:
                node, depth = stack.pop()
                for child in node:
                    if child.tag != "section":
                        continue
                    stack.append((child, depth + 1))
                    canon = MAIN_TITLES.get(_title(child).lower())
                    ids = (child.get("ids") or "").split()
                    if canon and ids and (canon not in found or
                                          found[canon][1] > depth):
                        found[canon] = (ids[0], depth)
                    if all_ids:
                        for i in ids:
                            n_ids += 1
                            if i not in page.ids:
                                problems.append("%s: no id %r" % (url, i))
            hrefs = set()
            for ref in page.nav_hrefs:
                r = resolve(url, ref)
                if r and r[0] == url and r[1]:
                    hrefs.add(r[1])
            for canon, (anchor, _) in sorted(found.items()):
                n_main += 1
                if anchor not in page.ids:
                    problems.append("%s: %s has no anchor #%s" %
                                    (url, canon, anchor))
                elif anchor not in hrefs:
                    problems.append("%s: no link to #%s (%s) in a <nav>" %
                                    (url, anchor, canon))
            pres = set(page.pres)
            for lit in root.iter("literal_block"):
                text = "".join(lit.itertext())
                n_lits += 1
                if text not in pres:
                    near = [p for p in page.pres if text.strip() in p]
                    problems.append("%s: literal block not byte-exact in a "
                                    "<pre> (%s): %r" %
                                    (url, "differs in whitespace" if near
                                     else "absent", text[:60]))
    print("%d pages, %d main sections, %d literal blocks%s" %
          (n_pages, n_main, n_lits,
           ", %d section ids" % n_ids if all_ids else ""))
    return fail(problems, "problems in pages")


def cmd_redirect(site, old, new):
    page = load(site, old)
    if page is None:
        return fail(["no redirect page " + old], "problems")
    problems = []
    targets = []
    if page.refresh is None:
        problems.append(old + ": no <meta http-equiv=refresh>")
    else:
        targets.append(page.refresh)
    targets += [v for k, v in page.links if k == "href"]
    for t in targets:
        r = resolve(old, t)
        if not r or r[0] != new:
            problems.append("%s: points to %r, not %s" % (old, t, new))
    if not os.path.isfile(os.path.join(site, new)):
        problems.append("the new page %s does not exist" % new)
    print("%s -> %s (%d links)" % (old, new, len(targets)))
    return fail(problems, "problems")


def spec_facts(path):
    """(blueprint URL, primary assignee) as the source states them."""
    text = open(path, encoding="utf-8").read()
    m = re.search(r"https?://blueprints\.launchpad\.net/[^\s<>`]*\+spec/"
                  r"[\w.+-]+", text)
    a = re.search(r"^\s*Primary assignee:\s*\n\s+(\S[^\n]*)", text, re.M)
    return (m.group(0) if m else None, a.group(1).strip() if a else None)


def cmd_release(site, release, src):
    url = "specs/%s/index.html" % release
    page = load(site, url)
    if page is None:
        return fail(["no release page " + url], "problems")
    problems = []
    base = os.path.join(src, "specs", release)
    n = 0
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".rst"):
                continue
            rel = posixpath.relpath(posixpath.join(dirpath, name),
                                    base).replace(os.sep, "/")
            spec_url = "specs/%s/%s.html" % (release, rel[:-4])
            blueprint, assignee = spec_facts(os.path.join(dirpath, name))
            n += 1
            rows = [r for r in page.rows
                    if any((resolve(url, h) or ("",))[0] == spec_url
                           for h in r[0])]
            if not rows:
                problems.append("%s: no row for %s" % (url, spec_url))
                continue
            hrefs, text = rows[0]
            if blueprint and blueprint not in hrefs:
                problems.append("%s: the row of %s has no link to %s" %
                                (url, spec_url, blueprint))
            if assignee and assignee not in text:
                problems.append("%s: the row of %s does not name %s" %
                                (url, spec_url, assignee))
    print("%s: %d specs" % (url, n))
    if n == 0:
        problems.append("no specs in " + base)
    return fail(problems, "problems")


def cmd_impact(site, title, yes, no):
    page = load(site, "sections.html")
    if page is None:
        return fail(["no sections.html"], "problems")
    slug = "impact-" + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    parts = [s for s in page.sections if s[0] == slug]
    if not parts:
        return fail(["sections.html: no <section id=%s>" % slug], "problems")
    listed = {(resolve("sections.html", h) or ("",))[0] for h in parts[0][1]}
    problems = []
    if yes not in listed:
        problems.append("%s does not list %s" % (title, yes))
    if no in listed:
        problems.append("%s lists %s, whose section says None" % (title, no))
    print("%s: %d pages listed" % (title, len(listed)))
    return fail(problems, "problems")


def cmd_search(site, term, url):
    text = open(os.path.join(site, "searchindex.js"), encoding="utf-8").read()
    prefix = "window.specsiteSearch="
    if not text.startswith(prefix):
        return fail(["searchindex.js does not start with " + prefix],
                    "problems")
    body = text[len(prefix):].rstrip()
    if body.endswith(";"):
        body = body[:-1]
    try:
        index = json.loads(body)
    except ValueError as e:
        return fail(["searchindex.js is not JSON: %s" % e], "problems")
    pages = index.get("pages") or []
    hits = []
    if "terms" in index:
        # {pages: [[url, title, release]], sections: [[page, anchor,
        # title]], terms: {word: [section...]}}
        sections, terms = index.get("sections") or [], index["terms"]
        n_sections, n_terms = len(sections), len(terms)
        for s in terms.get(term, ()):
            hits.append((pages[sections[s][0]][0], sections[s][1]))
    else:
        # {pages: [[url, title, release, [[anchor, title, words]...]]]}
        n_sections, words = 0, set()
        for p in pages:
            for anchor, _, text in (p[3] if len(p) > 3 else ()):
                n_sections += 1
                ws = text.split()
                words.update(ws)
                if term in ws:
                    hits.append((p[0], anchor))
        n_terms = len(words)
    print("%d pages, %d sections, %d terms" % (len(pages), n_sections,
                                              n_terms))
    problems = []
    # The theme's script must read the index this build wrote.
    script = os.path.join(site, "_static", "search.js")
    if os.path.isfile(script):
        used = set(re.findall(r"\bdata\.(\w+)",
                              open(script, encoding="utf-8").read()))
        for key in sorted(used - set(index)):
            problems.append("_static/search.js reads data.%s, which "
                            "searchindex.js does not have (it has %s)" %
                            (key, ", ".join(sorted(index))))
    mine = [h for h in hits if h[0] == url]
    if not mine:
        problems.append("%r maps to %s, not to a section of %s" %
                        (term, hits[:3], url))
    for page_url, anchor in mine:
        page = load(site, page_url)
        if page is None or anchor not in page.ids:
            problems.append("%r: %s#%s does not exist" %
                            (term, page_url, anchor))
    return fail(problems, "problems")


ATOM = "{http://www.w3.org/2005/Atom}"


def cmd_atom(site, n):
    try:
        root = ET.parse(os.path.join(site, "atom.xml")).getroot()
    except (ET.ParseError, OSError) as e:
        return fail(["atom.xml: %s" % e], "problems")
    entries = root.findall(ATOM + "entry")
    problems = []
    links = []
    for e in entries:
        link = e.find(ATOM + "link")
        href = link.get("href") if link is not None else None
        r = resolve("atom.xml", href or "")
        if not href or not r or not os.path.isfile(os.path.join(site, r[0])):
            problems.append("entry links to a missing page: %r" % href)
        links.append(href)
        if e.find(ATOM + "title") is None or e.find(ATOM + "id") is None:
            problems.append("entry without title or id: %r" % href)
    dates = [(e.findtext(ATOM + "updated") or "") for e in entries]
    if dates != sorted(dates, reverse=True):
        problems.append("entries are not newest first")
    if len(set(links)) != len(links):
        problems.append("two entries link the same page")
    if len(entries) != n:
        problems.append("%d entries, not %d" % (len(entries), n))
    print("atom.xml: %d entries" % len(entries))
    return fail(problems, "problems")


def cmd_sitemap(site, base, n):
    try:
        root = ET.parse(os.path.join(site, "sitemap.xml")).getroot()
    except (ET.ParseError, OSError) as e:
        return fail(["sitemap.xml: %s" % e], "problems")
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [l.text or "" for l in root.iter(ns + "loc")]
    problems = []
    for loc in locs:
        if not loc.startswith(base):
            problems.append("%s is not below %s" % (loc, base))
        elif not os.path.isfile(os.path.join(
                site, urllib.parse.unquote(loc[len(base):]) or "index.html")):
            problems.append("%s names no page" % loc)
    if len(locs) != n:
        problems.append("%d URLs, not %d" % (len(locs), n))
    print("sitemap.xml: %d URLs" % len(locs))
    return fail(problems, "problems")


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    cmd, site, args = argv[1], argv[2], argv[3:]
    try:
        if cmd == "reach" and len(args) == 1:
            return cmd_reach(site, args[0])
        if cmd == "links":
            return cmd_links(site, args)
        if cmd == "pages" and len(args) in (1, 2):
            return cmd_pages(site, args[0], "--all-ids" in args[1:])
        if cmd == "redirect" and len(args) == 2:
            return cmd_redirect(site, *args)
        if cmd == "release" and len(args) == 2:
            return cmd_release(site, *args)
        if cmd == "impact" and len(args) == 3:
            return cmd_impact(site, *args)
        if cmd == "search" and len(args) == 2:
            return cmd_search(site, *args)
        if cmd == "atom" and len(args) == 1:
            return cmd_atom(site, int(args[0]))
        if cmd == "sitemap" and len(args) == 2:
            return cmd_sitemap(site, args[0], int(args[1]))
    except (OSError, ValueError, KeyError, IndexError, TypeError) as e:
        print("error: %s: %s" % (type(e).__name__, e))
        return 1
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
