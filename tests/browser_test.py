#!/usr/bin/env python3
"""browser_test.py — the built site in headless Chromium, over WebDriver.

Run by tests/browser.sh, which starts chromedriver and ends it. Python's
standard library only: W3C WebDriver is JSON over HTTP (urllib), the
console comes from chromedriver's log endpoint (/se/log, level SEVERE is
an error: uncaught exceptions, console.error, resources that fail to
load), and dark mode and a phone's screen are emulated through the
DevTools protocol (goog/cdp/execute).

Every check prints PASS or FAIL; a check that cannot run because an
earlier step failed is a FAIL too. The last line counts them; the exit
status is 1 when one failed.
"""

import argparse
import base64
import html
import json
import os
import re
import signal
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.request
from pathlib import Path

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # W3C element key
HTTP_TIMEOUT = 60  # one WebDriver command, page loads included
POLL = 0.05


class WebDriverError(Exception):
    pass


class Browser:
    """A WebDriver session: the few commands the test needs."""

    def __init__(self, driver, chromium):
        self.driver = driver.rstrip("/")
        caps = {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--window-size=1280,900",
                         # the page's fonts, not the machine's
                         "--font-render-hinting=none"],
            },
            "goog:loggingPrefs": {"browser": "ALL"},
            "timeouts": {"pageLoad": 30000, "script": 10000},
        }
        value = self._call("POST", "/session",
                           {"capabilities": {"alwaysMatch": caps}})
        self.sid = value["sessionId"]
        self.version = value["capabilities"].get("browserVersion", "?")
        self.console = []  # every SEVERE entry: (page, message)

    def _call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.driver + path, data=data, method=method,
            headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as r:
                reply = json.load(r)
        except urllib.error.HTTPError as e:
            try:
                reply = json.load(e)
            except ValueError:
                raise WebDriverError("%s %s: HTTP %d" % (method, path, e.code))
            v = reply.get("value") or {}
            raise WebDriverError("%s %s: %s: %s" % (
                method, path, v.get("error"),
                (v.get("message") or "").split("\n")[0]))
        return reply.get("value")

    def cmd(self, method, path="", body=None):
        return self._call(method, "/session/" + self.sid + path, body)

    def quit(self):
        try:
            self._call("DELETE", "/session/" + self.sid)
        except (WebDriverError, OSError):
            pass

    # -- pages --
    def go(self, url):
        self.cmd("POST", "/url", {"url": url})

    def url(self):
        return self.cmd("GET", "/url")

    def js(self, script, *args):
        return self.cmd("POST", "/execute/sync",
                        {"script": script, "args": list(args)})

    def cdp(self, command, params=None):
        return self.cmd("POST", "/goog/cdp/execute",
                        {"cmd": command, "params": params or {}})

    def screenshot(self, path):
        png = base64.b64decode(self.cmd("GET", "/screenshot"))
        Path(path).write_bytes(png)
        print("  screenshot: %s" % path)

    def collect_console(self, page):
        """Moves the browser's log into self.console; returns the SEVERE
        entries it held. Chromedriver empties its log on every read."""
        entries = self.cmd("POST", "/se/log", {"type": "browser"}) or []
        bad = [e["message"] for e in entries if e.get("level") == "SEVERE"]
        self.console.extend((page, m) for m in bad)
        return bad

    # -- elements --
    def find(self, css, within=None):
        path = "/element" if within is None else "/element/%s/element" % within
        try:
            return self.cmd("POST", path,
                            {"using": "css selector", "value": css})[ELEMENT]
        except WebDriverError as e:
            if "no such element" in str(e):
                return None
            raise

    def find_all(self, css):
        found = self.cmd("POST", "/elements",
                         {"using": "css selector", "value": css})
        return [e[ELEMENT] for e in found]

    def click(self, el):
        self.cmd("POST", "/element/%s/click" % el, {})

    def type(self, el, text):
        self.cmd("POST", "/element/%s/value" % el, {"text": text})

    def clear(self, el):
        self.cmd("POST", "/element/%s/clear" % el, {})

    def attr(self, el, name):
        return self.cmd("GET", "/element/%s/attribute/%s" % (el, name))

    def prop(self, el, name):
        return self.cmd("GET", "/element/%s/property/%s" % (el, name))

    def text(self, el):
        return self.cmd("GET", "/element/%s/text" % el)


def wait_for(what, fn, timeout=5.0):
    """Polls fn until it returns something true; its value, or a
    TimeoutError naming `what`."""
    end = time.monotonic() + timeout
    last = None
    while True:
        try:
            value = fn()
            if value:
                return value
            last = value
        except WebDriverError as e:  # e.g. a stale element during a load
            last = e
        if time.monotonic() >= end:
            raise TimeoutError("%s (after %.1f s; last: %r)" %
                               (what, timeout, last))
        time.sleep(POLL)


# ---------------------------------------------------------------------------
# The repository: examples/site when it exists, else a small one.

FILLER = (
    "This paragraph is here so that every section is taller than the "
    "window, which lets the reader scroll each section to the top of the "
    "screen; the outline then follows the section that is in view. ")


def spec_rst(title, blueprint, words, sections):
    """A spec in the seed template's shape; `words` plants one word per
    section name, for the search."""
    out = ["=" * len(title), title, "=" * len(title), "",
           "https://blueprints.launchpad.net/example/+spec/" + blueprint, "",
           "A short summary of %s." % title, ""]
    for name, subs in sections:
        out += [name, "=" * len(name), ""]
        planted = words.get(name)
        for i in range(3):
            text = FILLER * 3
            if planted and i == 1:
                text += "The %s appears here and nowhere else. " % planted
            out += [text.strip(), ""]
        for sub in subs:
            out += [sub, "-" * len(sub), "", (FILLER * 2).strip(), ""]
            if sub.startswith("Assignee"):
                out += ["Primary assignee:", "  Jane Doe <jane@example.org>",
                        ""]
    return "\n".join(out) + "\n"


SECTIONS = [
    ("Problem description", []),
    ("Proposed change", ["Web UI", "Nailgun", "Data model impact"]),
    ("Alternatives", []),
    ("Implementation", ["Assignee(s)", "Work items"]),
    ("Testing", []),
    ("Documentation impact", []),
    ("References", []),
]


def write_small_repo(root):
    specs = {
        "1.0/alpha-caching.rst": ("Alpha page caching", {}),
        "1.0/beta-outline.rst": ("Beta outline navigation",
                                 {"Alternatives": "zeppelinology"}),
        "1.0/gamma-search.rst": ("Gamma offline search", {}),
        "2.0/delta-themes.rst": ("Delta theme slots", {}),
        "2.0/epsilon-feeds.rst": ("Epsilon Atom feeds", {}),
    }
    for rel, (title, words) in specs.items():
        path = root / "specs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(spec_rst(title, Path(rel).stem, words, SECTIONS))
    (root / "specsite.conf").write_text("[site]\nproject = Browser Test\n")


# ---------------------------------------------------------------------------

class Test:
    def __init__(self, args):
        self.args = args
        self.passed = 0
        self.failed = 0
        self.b = None
        self.site = None
        self.out = Path(args.out)
        self.state = {}

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print("PASS: " + name)
        else:
            self.failed += 1
            print("FAIL: " + name + (": " + detail if detail else ""))
        return ok

    def step(self, name, fn):
        """Runs one part of the walk; an exception is one FAIL."""
        start = time.monotonic()
        try:
            fn()
        except (WebDriverError, TimeoutError, KeyError, OSError,
                AssertionError, TypeError, IndexError) as e:
            self.check(name, False, "%s: %s" % (type(e).__name__, e))
            traceback.print_exc(limit=-3, file=sys.stdout)
            try:  # the console of the pages the step saw
                self.page_errors("the pages of '%s'" % name)
            except (WebDriverError, OSError):
                pass
        print("  (%s: %.1f s)" % (name, time.monotonic() - start))

    def uri(self, rel=""):
        return (self.site / rel).as_uri() if rel else self.site.as_uri()

    def load(self, url, label):
        self.b.go(url)
        wait_for("%s loaded" % label, lambda: self.b.js(
            "return document.readyState") == "complete")
        return url

    def current(self):
        """The current page as a path below the site, with its hash."""
        url = self.b.url()
        base = self.site.as_uri() + "/"
        return url[len(base):] if url.startswith(base) else url

    def page_errors(self, label):
        bad = self.b.collect_console(label)
        self.check("no console errors on %s" % label, not bad,
                   "; ".join(bad[:5]))

    # -- build --
    def build(self):
        a = self.args
        repo = os.environ.get("SPECSITE_BROWSER_REPO")
        example = Path(a.source) / "examples" / "site"
        if repo and repo != "small":
            repo = Path(repo)
        elif not repo and (example / "specs").is_dir():
            repo = example
        else:
            repo = Path(a.work) / "repo"
            write_small_repo(repo)
        print("  repository: %s" % repo)
        self.site = Path(a.work) / "site"
        r = subprocess.run([a.specsite, "build", str(repo), "-o",
                            str(self.site)], capture_output=True, text=True,
                           timeout=120)
        self.check("specsite build exits 0", r.returncode == 0,
                   "exit %d: %s" % (r.returncode, r.stderr[-2000:]))
        if r.returncode != 0:
            raise SystemExit(self.summary())

    # -- the index --
    def index(self):
        b = self.b
        self.load(self.uri("index.html"), "index")
        releases = b.js("""
          return [...document.querySelectorAll('main section.release')]
            .map(s => ({id: s.id,
                        link: (s.querySelector('h2 a') || {}).href || null,
                        specs: [...s.querySelectorAll('.spec-list a')]
                                 .map(a => a.href)}))
            .filter(r => r.link && /\\/index\\.html$/.test(r.link));""")
        self.check("index lists releases", len(releases) >= 1,
                   "%d release sections" % len(releases))
        self.check("index links to spec pages",
                   releases and all(
                       r["specs"] and all(
                           h.startswith(r["link"][:-len("index.html")]) and
                           h.endswith(".html") for h in r["specs"])
                       for r in releases),
                   json.dumps(releases)[:300])
        # A release with three specs or more gives a spec with both a
        # previous and a next one.
        releases.sort(key=lambda r: -min(len(r["specs"]), 3))
        rel = releases[0]
        self.state["release"] = rel
        self.check("a release with two specs or more", len(rel["specs"]) >= 2,
                   json.dumps(rel)[:300])
        b.screenshot(self.out / "index.png")
        self.page_errors("the index")

    # -- index -> spec by clicking --
    def open_spec(self):
        b = self.b
        rel = self.state["release"]
        target = rel["specs"][1] if len(rel["specs"]) >= 3 else rel["specs"][0]
        link = None
        for el in b.find_all("main section.release a"):
            if b.prop(el, "href") == target:
                link = el
                break
        assert link, "no link to %s on the index" % target
        title = b.text(link)
        b.click(link)
        wait_for("the spec page after the click",
                 lambda: b.url() == target and b.js(
                     "return document.readyState") == "complete")
        h1 = b.text(b.find("main h1"))
        self.check("clicking a spec on the index opens it (%s)" %
                   self.current(), title.strip() in h1, "h1 %r, link %r" %
                   (h1, title))
        self.state["spec"] = target
        self.page_errors("a spec page")

    # -- outline, section bar, aria-current --
    def outline(self):
        b = self.b
        spec = self.state["spec"]
        links = b.js("""
          return [...document.querySelectorAll('nav.outline a')].map(a =>
            ({href: a.getAttribute('href'),
              ok: !!document.getElementById(
                decodeURIComponent(a.getAttribute('href').slice(1)))}));""")
        self.check("the spec page has an outline with links",
                   len(links) >= 3, "%d links" % len(links))
        self.check("every outline link leads to a section of the page",
                   links and all(l["href"].startswith("#") and l["ok"]
                                 for l in links), json.dumps(links)[:300])
        bar = b.js("""return [...document.querySelectorAll(
            'nav.sections a')].map(a => a.getAttribute('href'));""")
        self.check("the section bar links to #problem-description",
                   "#problem-description" in bar, repr(bar))
        self.check("every section bar link has its target",
                   bar and b.js("""return arguments[0].every(h =>
                       document.getElementById(h.slice(1)))""", bar),
                   repr(bar))
        b.screenshot(self.out / "spec.png")

        # The outline's targets: [href, top, the next one's top, whether
        # it can be scrolled to the top of the window (the last ones
        # cannot: there is no more page below them)].
        targets = b.js("""
          const max = document.documentElement.scrollHeight - innerHeight;
          const t = [...document.querySelectorAll('nav.outline a')]
            .map(a => { const h = a.getAttribute('href');
                        const e = document.getElementById(
                          decodeURIComponent(h.slice(1)));
                        return [h, e ? e.getBoundingClientRect().top + scrollY
                                     : null]; })
            .filter(x => x[1] !== null);
          return t.map((x, i) => [x[0], x[1], i + 1 < t.length ? t[i + 1][1]
                                  : document.documentElement.scrollHeight,
                                  x[1] <= max - 20]);""")
        reachable = [t[0] for t in targets if t[3]]
        # tall: the next target 300 px below or more, so that which
        # section is in view is not in doubt
        tall = [t[0] for t in targets if t[3] and t[2] - t[1] >= 300]
        print("  outline targets that reach the top: %s; tall: %s" %
              (" ".join(reachable), " ".join(tall)))
        self.check("the spec page has sections to scroll to",
                   len(reachable) >= 2, repr(reachable))
        pick = tall or reachable

        def current_link():
            return b.js("""const a = document.querySelector(
                'nav.outline a[aria-current]');
                return a ? a.getAttribute('href') : null;""")

        def marked(ok):
            try:
                return wait_for("aria-current", lambda: (lambda c: ok(c) and
                                                         c)(current_link()),
                                timeout=2)
            except TimeoutError:
                return current_link()

        def marks(target, how):
            """Following a link to a section marks that section."""
            got = marked(lambda c: c == target)
            self.check("%s, the outline marks %s" % (how, target),
                       got == target, "marked: %r" % got)

        def marks_in_view(target, how):
            """Scrolled to a section, the outline marks it, or a later
            one whose heading is near the top of the window too (a
            subsection right below its parent's heading)."""
            near = b.js("""return [...document.querySelectorAll(
                'nav.outline a')].map(a => a.getAttribute('href'))
                .filter(h => { const e = document.getElementById(
                   decodeURIComponent(h.slice(1)));
                   const top = e && e.getBoundingClientRect().top;
                   return e && top >= -2 && top <= 150; });""")
            ok = [target] + [h for h in near if h != target]
            got = marked(lambda c: c in ok)
            self.check("%s, the outline marks it (%s)" % (how, target),
                       got in ok, "marked: %r, in view: %r" % (got, near))

        # 1. the section bar: a click jumps to the section, the outline
        # marks it (the brief's example: Implementation)
        bar_target = "#implementation" if "#implementation" in bar else \
            bar[len(bar) // 2]
        b.click(b.find('nav.sections a[href="%s"]' % bar_target))
        wait_for("the URL to end in " + bar_target,
                 lambda: b.url() == spec + bar_target)
        marks(bar_target, "after a click on the section bar")
        b.screenshot(self.out / "spec-section.png")

        # 2. opening the page at a section (a link from elsewhere)
        target = pick[-1]
        self.load(spec + target, "the spec page at " + target)
        top = b.js("""return document.getElementById(
            decodeURIComponent(arguments[0])).getBoundingClientRect()
            .top""", target[1:])
        self.check("opened at %s, the section is at the top" % target,
                   -2 <= top <= 150, "its top is at %r px" % top)
        marks(target, "opened at the section")

        # 3. scrolling, no click: the outline follows
        for target in reachable[1:3]:
            b.js("""document.getElementById(decodeURIComponent(arguments[0]))
                     .scrollIntoView({block: 'start'})""", target[1:])
            marks_in_view(target, "scrolled to the section")
        n = b.js("""return document.querySelectorAll(
            'nav.outline a[aria-current]').length""")
        self.check("one outline link at a time is current", n == 1,
                   "%d are" % n)

        # 4. a click in the outline itself
        other = pick[len(pick) // 2]
        b.click(b.find('nav.outline a[href="%s"]' % other))
        wait_for("the outline click to reach " + other,
                 lambda: b.url() == spec + other)
        marks(other, "after a click in the outline")
        self.page_errors("the spec page, scrolled")

    # -- previous / next --
    def pager(self):
        b = self.b
        spec = self.state["spec"]
        directory = self.state["release"]["link"][:-len("index.html")]
        self.load(spec, "the spec page")
        nxt = b.find("nav.pager .next a, nav.pager a[rel=next]")
        prv = b.find("nav.pager .prev a, nav.pager a[rel=prev]")
        self.check("the spec page has a next link", nxt is not None)
        has_three = len(self.state["release"]["specs"]) >= 3
        if has_three:
            self.check("the middle spec has a previous link",
                       prv is not None)
        if nxt is None:
            return
        target = b.prop(nxt, "href")
        title = b.text(nxt)
        self.check("next stays within the release",
                   target.startswith(directory) and target != spec,
                   "%s from %s" % (target, spec))
        b.click(nxt)
        wait_for("the next spec after the click",
                 lambda: b.url() == target and b.js(
                     "return document.readyState") == "complete")
        h1 = b.text(b.find("main h1"))
        self.check("next opens the next spec", title.strip() in h1,
                   "h1 %r, link %r" % (h1, title))
        back = b.find("nav.pager .prev a, nav.pager a[rel=prev]")
        self.check("the next spec has a previous link", back is not None)
        if back is not None:
            b.click(back)
            wait_for("back on the first spec", lambda: b.url() == spec)
            self.check("previous of next is the spec again", True)
        self.page_errors("the next spec")

    # -- search --
    def pick_word(self):
        """A word of the spec page's sections that no other page has:
        its hits are few, and all on this page."""
        b = self.b
        self.load(self.state["spec"], "the spec page")
        found = b.js("""
          const words = new Map();
          for (const p of document.querySelectorAll('main section[id] p')) {
            for (const w of p.textContent.toLowerCase().split(/[^a-z]+/)) {
              if (w.length >= 7 && !words.has(w))
                words.set(w, p.closest('section[id]').id);
            }
          }
          return [...words.entries()];""")
        others = []
        me = Path(self.state["spec"][len("file://"):])
        for f in self.site.rglob("*.html"):
            if f.resolve() != me.resolve() and "_sources" not in f.parts:
                others.append(html.unescape(re.sub(r"<[^>]*>", " ",
                                                   f.read_text(errors="replace"))).lower())
        text = "\n".join(others)
        for word, section in sorted(found, key=lambda ws: (-len(ws[0]),
                                                             ws[0])):
            if not re.search(r"(?<![a-z])" + word, text):
                return word
        raise AssertionError("no word of %s is unique to it" %
                             self.state["spec"])

    def search_dropdown(self):
        b = self.b
        word = self.pick_word()
        self.state["word"] = word
        print("  search word: %s" % word)
        box = b.find("form.search input[name=q]")
        assert box, "no search box on the spec page"
        b.click(box)
        b.type(box, word[:5])  # a prefix: hits follow the typing

        def dropdown():
            return b.js("""const l = document.getElementById(
                  'search-suggestions');
                if (!l || l.hidden || !l.offsetHeight) return null;
                return [...l.querySelectorAll('[role=option] a')]
                  .map(a => a.href);""")
        hits = wait_for("the dropdown with hits", dropdown, timeout=5)
        self.check("typing a prefix shows hits under the search box",
                   hits, repr(hits))
        b.type(box, word[5:])
        spec = self.state["spec"]
        hits = wait_for("the dropdown with the whole word's hits",
                        lambda: (dropdown() or [None])[0] and
                        all(h.startswith(spec + "#") for h in dropdown())
                        and dropdown(), timeout=5)
        self.check("the whole word's hits are sections of the spec page",
                   hits and all(h.startswith(spec + "#") for h in hits),
                   repr(hits))
        b.screenshot(self.out / "search-dropdown.png")
        # the first hit, with the keyboard: ArrowDown then Enter
        b.type(box, "\ue015\ue007")
        wait_for("the hit's page", lambda: b.url() == hits[0])
        self.landed(hits[0], word, "the dropdown")
        self.page_errors("the page of a dropdown hit")

    def landed(self, url, word, how):
        b = self.b
        anchor = url.split("#", 1)[1]
        text = b.js("""const e = document.getElementById(
            decodeURIComponent(arguments[0]));
            return e ? e.textContent : null;""", anchor)
        self.check("%s's hit lands on an element #%s holding %r" %
                   (how, anchor, word),
                   text is not None and word in text.lower(),
                   "element text: %r" % (text and text[:100]))

    def search_page(self):
        b = self.b
        word = self.state["word"]
        spec = self.state["spec"]
        self.load(self.uri("search.html") + "?q=" + word, "search.html")
        hits = wait_for("hits on search.html", lambda: b.js(
            """return [...document.querySelectorAll(
                '#search-results a')].map(a => a.href);"""), timeout=5)
        self.check("search.html?q=%s lists hits" % word, hits, repr(hits))
        self.check("search.html's hits link to the spec page with an anchor",
                   hits and all(h.startswith(spec + "#") for h in hits),
                   repr(hits))
        b.screenshot(self.out / "search.png")
        link = b.find("#search-results a")
        href = b.prop(link, "href")
        b.click(link)
        wait_for("the page of the search.html hit",
                 lambda: b.url() == href and b.js(
                     "return document.readyState") == "complete")
        self.landed(href, word, "search.html")
        self.page_errors("search.html and its hit")
        # honest: a word that is nowhere finds nothing
        self.load(self.uri("search.html") + "?q=qqxqzzyx", "search.html")
        status = wait_for("search.html's answer", lambda: b.js(
            """const r = document.getElementById('search-results');
               return r && !/Searching/.test(r.textContent) &&
                      r.textContent.trim();"""))
        nothing = b.find_all("#search-results a")
        self.check("a word on no page has no hits", not nothing,
                   "%d hits, %r" % (len(nothing), status))
        self.page_errors("search.html without hits")

    # -- the release page --
    def release(self):
        b = self.b
        rel = self.state["release"]
        self.load(self.uri("index.html"), "index")
        link = None
        for el in b.find_all("main section.release h2 a"):
            if b.prop(el, "href") == rel["link"]:
                link = el
        assert link, "no release link %s" % rel["link"]
        b.click(link)
        wait_for("the release page", lambda: b.url() == rel["link"] and
                 b.js("return document.readyState") == "complete")
        rows = b.js("""return [...document.querySelectorAll(
            'main table tbody tr')].map(tr =>
              (tr.querySelector('a') || {}).href || null);""")
        self.check("the release page has a table with a row per spec",
                   len(rows) == len(rel["specs"]) and
                   sorted(rows) == sorted(rel["specs"]),
                   "rows %r, specs %r" % (rows[:5], rel["specs"][:5]))
        b.screenshot(self.out / "release.png")
        self.page_errors("the release page")

    # -- dark mode, narrow screen --
    CONTRAST = """
      // WCAG contrast of each visible text element's colour against the
      // background it is drawn on (the first ancestor with one).
      const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
      const lum = c => { const [r, g, b] = rgb(c).map(v => {
          v /= 255; return v <= 0.03928 ? v / 12.92
                                        : Math.pow((v + 0.055) / 1.055, 2.4);
        }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
      const bg = e => { for (; e; e = e.parentElement) {
          const c = getComputedStyle(e).backgroundColor, v = rgb(c);
          if (v.length < 4 || v[3] > 0.5) return c; }
        return 'rgb(255, 255, 255)'; };
      const worst = [];
      for (const sel of arguments[0]) {
        const e = document.querySelector(sel);
        if (!e || !e.offsetHeight) continue;
        const f = lum(getComputedStyle(e).color), k = lum(bg(e));
        const ratio = (Math.max(f, k) + 0.05) / (Math.min(f, k) + 0.05);
        worst.push([sel, Math.round(ratio * 10) / 10]);
      }
      return worst;"""
    TEXT = ["main p", "main h1", "main a", "nav.outline a",
            "nav.outline a[aria-current]", "nav.sections a",
            "nav.breadcrumbs a", "nav.breadcrumbs [aria-current]",
            "main pre", "main code", "a.project", "form.search input",
            "nav.releases a", "nav.pager a", "footer"]

    def contrast(self, label):
        found = self.b.js(self.CONTRAST, self.TEXT)
        low = [f for f in found if f[1] < 4.5]
        self.check("%s: text contrast 4.5:1 or more (%d elements)" %
                   (label, len(found)), found and not low, repr(low))

    def dark(self):
        b = self.b
        self.load(self.state["spec"], "the spec page")
        self.contrast("light mode")
        light = b.js("return getComputedStyle(document.body).backgroundColor")
        b.cdp("Emulation.setEmulatedMedia", {"features": [
            {"name": "prefers-color-scheme", "value": "dark"}]})
        try:
            self.load(self.state["spec"], "the spec page")
            dark = b.js(
                "return getComputedStyle(document.body).backgroundColor")
            self.check("dark mode changes the page's colours",
                       dark != light, "%s in both" % dark)
            self.contrast("dark mode")
            b.screenshot(self.out / "spec-dark.png")
            self.load(self.uri("index.html"), "index")
            b.screenshot(self.out / "index-dark.png")
            self.page_errors("pages in dark mode")
        finally:
            b.cdp("Emulation.setEmulatedMedia", {"features": [
                {"name": "prefers-color-scheme", "value": "light"}]})

    def desktop(self):
        """A 1280 x 900 viewport: the window's size less its frame would
        depend on the platform."""
        self.b.cdp("Emulation.setDeviceMetricsOverride", {
            "width": 1280, "height": 900, "deviceScaleFactor": 1,
            "mobile": False})

    def narrow(self):
        b = self.b
        b.cdp("Emulation.setDeviceMetricsOverride", {
            "width": 390, "height": 844, "deviceScaleFactor": 2,
            "mobile": True})
        try:
            for rel, name in ((self.state["spec"], "spec-mobile.png"),
                              (self.uri("index.html"), "index-mobile.png"),
                              (self.state["release"]["link"],
                               "release-mobile.png")):
                self.load(rel, name)
                width = b.js("""return [innerWidth,
                    document.documentElement.scrollWidth]""")
                self.check("%s: nothing wider than the 390 px screen" % name,
                           width[1] <= width[0] + 1,
                           "viewport %d, page %d px wide" % tuple(width))
                b.screenshot(self.out / name)
            # the outline folds above the content on a narrow screen
            self.load(self.state["spec"], "the spec page")
            folded = b.js("""const d = document.querySelector(
                'details.outline-box'); return d ? !d.open : null;""")
            self.check("the outline is folded on a narrow screen",
                       folded is not False, "it is open")
            # A diagram wider than the screen scrolls sideways: from the
            # keyboard too (axe: scrollable-region-focusable).
            pres = b.js("""const all = [...document.querySelectorAll(
                'main pre')];
                return [all.length, all.filter(p => p.tabIndex < 0).length];
                """)
            self.check("every <pre> takes the focus, to scroll by keyboard",
                       pres[0] > 0 and pres[1] == 0,
                       "%d of %d do not" % (pres[1], pres[0]))
            self.page_errors("pages on a narrow screen")
        finally:
            self.desktop()

    # -- specsite serve: the page follows its source --
    def live_preview(self):
        a, b = self.args, self.b
        repo = Path(a.work) / "serve-repo"
        write_small_repo(repo)
        spec = repo / "specs" / "1.0" / "beta-outline.rst"
        tmp = Path(a.work) / "serve-tmp"
        tmp.mkdir(exist_ok=True)
        env = dict(os.environ, TMPDIR=str(tmp))
        proc = subprocess.Popen(
            [a.specsite, "serve", str(spec), "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env=env)
        try:
            line = proc.stdout.readline()
            m = re.search(r"(http://127\.0\.0\.1:\d+/\S*)", line)
            self.check("serve prints the spec's URL", m, line)
            if not m:
                return
            self.load(m.group(1), "the served spec")
            # Scrolled to Implementation; a flag that a reload clears.
            top = b.js("""const s = document.getElementById('implementation');
                s.scrollIntoView(); window.__specsite_before = true;
                return s.getBoundingClientRect().top;""")
            text = spec.read_text()
            # The edit adds text above Implementation: a reload that kept
            # the scroll offset alone would show another section.
            edited = text.replace(
                "Alternatives\n============\n",
                "Alternatives\n============\n\nLIVE-EDIT-MARK " +
                FILLER * 6 + "\n", 1)
            spec.write_text(edited)
            start = time.monotonic()
            wait_for("the page to reload with the edit", lambda: b.js(
                "return !window.__specsite_before && "
                "document.readyState === 'complete' && "
                "document.body.innerText.includes('LIVE-EDIT-MARK')"),
                timeout=10)
            took = time.monotonic() - start
            self.check("an edit reloads the page by itself (%.0f ms)" %
                       (took * 1e3), True)
            # scroll restoration runs at DOMContentLoaded; let it settle
            time.sleep(0.2)
            after = b.js("""return document.getElementById('implementation')
                .getBoundingClientRect().top;""")
            self.check("still at Implementation after the reload",
                       abs(after - top) <= 8,
                       "its top was %.0f px, now %.0f px" % (top, after))
            b.screenshot(self.out / "serve-reloaded.png")
            # Broken: the overlay; fixed: gone.
            b.js("window.__specsite_before = true;")
            spec.write_text(edited + "\n.. no-such-directive-zz::\n")
            box = wait_for("the problems overlay", lambda: b.js(
                """const o = document.getElementById(
                    'specsite-serve-problems');
                return o ? o.textContent : null;"""), timeout=10)
            self.check("a broken spec shows its problem in an overlay",
                       "beta-outline.rst:" in box and
                       "no-such-directive-zz" in box, box[:200])
            b.screenshot(self.out / "serve-overlay.png")
            spec.write_text(edited)
            wait_for("the overlay to go", lambda: b.js(
                """return !document.getElementById(
                    'specsite-serve-problems') &&
                    document.readyState === 'complete';"""), timeout=10)
            self.check("the overlay goes once the spec is fixed", True)
            self.page_errors("the served spec")
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                rc = proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                rc = None
            self.check("serve stops on SIGTERM, leaving nothing",
                       rc == 0 and not list(tmp.iterdir()), "exit %s" % rc)

    def summary(self):
        if self.b and self.b.console:
            print("  console errors seen:")
            for page, msg in self.b.console:
                print("    %s: %s" % (page, msg))
        print("browser: %d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0

    def run(self):
        self.out.mkdir(parents=True, exist_ok=True)
        for old in self.out.glob("*.png"):
            old.unlink()
        self.build()
        self.b = Browser(self.args.driver, self.args.chromium)
        print("  chromium %s, site %s" % (self.b.version, self.site))
        try:
            self.desktop()
            self.step("the index", self.index)
            if "release" not in self.state:
                return self.summary()
            self.step("open a spec from the index", self.open_spec)
            if "spec" not in self.state:
                return self.summary()
            self.step("outline and section bar", self.outline)
            self.step("previous and next", self.pager)
            self.step("search dropdown", self.search_dropdown)
            if "word" in self.state:
                self.step("search page", self.search_page)
            self.step("release page", self.release)
            self.step("dark mode", self.dark)
            self.step("narrow screen", self.narrow)
            self.step("live preview (specsite serve)", self.live_preview)
            self.check("no console errors on any page visited",
                       not self.b.console,
                       "%d errors" % len(self.b.console))
        finally:
            self.b.quit()
        return self.summary()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--specsite", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--driver", required=True)
    p.add_argument("--chromium", required=True)
    sys.exit(Test(p.parse_args()).run())


if __name__ == "__main__":
    main()
