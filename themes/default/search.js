/* specsite default theme: search with no server, also from file://.
 *
 * The site writes <root>searchindex.js, which sets
 *   window.specsiteSearch = {pages: [
 *     [url, title, release, [[anchor, section title, "words ..."], ...]],
 *     ...]};                                      url from the site root
 * (one entry per page, as the build keeps them: a rebuild joins them
 * instead of indexing the site again). On load it becomes the
 * inverted index the search runs on: pages, sections [pageIndex,
 * anchor, title] and terms {"word": [sectionIndex, ...]}.
 * It is loaded on first use with a <script> element (fetch() and XHR
 * are refused on file://). A hit is a section holding every query word;
 * the last word also matches as a prefix, so results follow the typing.
 * Used on every page (a dropdown under the search box) and on
 * search.html (the list in #search-results, from ?q=). */
(function () {
  "use strict";

  var MAX_DROPDOWN = 8;
  var MAX_PAGE = 100;

  /* This file is <root>_static/search.js: the site root comes from its
   * own URL, so pages at any depth share one script. (Opened from the
   * theme folder, the folder stands for the root.) */
  var self = document.currentScript;
  var root = self
    ? self.src.replace(/[^\/]*$/, "").replace(/_static\/$/, "")
    : "";

  /* ---- the index ---- */

  var index = null;
  var waiting = [];
  var requested = false;

  var own = Object.prototype.hasOwnProperty;

  function invert(data) {
    /* no prototype: a word like "__proto__" or "constructor" is a key */
    var idx = { pages: [], sections: [], terms: Object.create(null) };
    var pages = data && Array.isArray(data.pages) ? data.pages : [];
    pages.forEach(function (p, i) {
      idx.pages.push([p[0], p[1], p[2]]);
      (Array.isArray(p[3]) ? p[3] : []).forEach(function (s) {
        var si = idx.sections.length;
        idx.sections.push([i, s[0], s[1]]);
        String(s[2] || "").split(" ").forEach(function (w) {
          if (!w) return;
          if (own.call(idx.terms, w)) idx.terms[w].push(si);
          else idx.terms[w] = [si];
        });
      });
    });
    idx.words = Object.keys(idx.terms); /* for prefix matches */
    return idx;
  }

  function withIndex(callback) {
    if (index) return callback(index);
    waiting.push(callback);
    if (requested) return;
    requested = true;
    var script = document.createElement("script");
    script.src = root + "searchindex.js";
    script.onload = script.onerror = function () {
      index = invert(window.specsiteSearch);
      var callbacks = waiting;
      waiting = [];
      callbacks.forEach(function (cb) { cb(index); });
    };
    document.head.appendChild(script);
  }

  /* Words as the site indexes them: runs of ASCII letters and digits
   * and of any non-ASCII character, ASCII lowercased, two bytes of
   * UTF-8 at least. */
  function words(text) {
    return text
      .replace(/[A-Z]/g, function (c) { return c.toLowerCase(); })
      .split(/[\x00-\x2f\x3a-\x60\x7b-\x7f]+/)
      .filter(function (w) {
        return w.length >= 2 || /[^\x00-\x7f]/.test(w);
      });
  }

  /* Section indexes for one query word, each with whether it matched a
   * whole word (ranked above a prefix match). */
  function lookup(idx, word, prefix) {
    var found = new Map();
    var own = Object.prototype.hasOwnProperty;
    if (own.call(idx.terms, word))
      idx.terms[word].forEach(function (s) { found.set(s, true); });
    if (prefix) {
      idx.words.forEach(function (term) {
        if (term !== word && term.lastIndexOf(word, 0) === 0)
          idx.terms[term].forEach(function (s) {
            if (!found.has(s)) found.set(s, false);
          });
      });
    }
    return found;
  }

  /* Hits for a query, best first: every word must match; a section ranks
   * by the words it matches whole, then by the words in its titles,
   * then in index order. */
  function search(idx, query) {
    var ws = words(query);
    if (!ws.length) return [];
    var score = null;
    ws.forEach(function (w, i) {
      var found = lookup(idx, w, i === ws.length - 1);
      var next = new Map();
      found.forEach(function (whole, s) {
        if (score === null || score.has(s))
          next.set(s, (score === null ? 0 : score.get(s)) + (whole ? 2 : 1));
      });
      score = next;
    });
    var hits = [];
    score.forEach(function (points, s) {
      var section = idx.sections[s];
      var page = section && idx.pages[section[0]];
      if (!page) return;
      var titles = words(section[2] + " " + page[1]);
      ws.forEach(function (w) {
        if (titles.indexOf(w) >= 0) points += 1;
      });
      hits.push({ section: s, points: points, page: page, info: section });
    });
    hits.sort(function (a, b) {
      return b.points - a.points || a.section - b.section;
    });
    return hits;
  }

  function hitUrl(hit) {
    return root + hit.page[0] + (hit.info[1] ? "#" + hit.info[1] : "");
  }

  /* <a href=...><span class="hit-title">Section</span>
   *  <span class="hit-page">Page · release</span></a> */
  function hitLink(hit) {
    var a = document.createElement("a");
    a.href = hitUrl(hit);
    var title = document.createElement("span");
    title.className = "hit-title";
    title.textContent = hit.info[2] || hit.page[1];
    var where = document.createElement("span");
    where.className = "hit-page";
    /* the page's own title is not repeated under its first section */
    var parts = title.textContent === hit.page[1] ? [] : [hit.page[1]];
    if (hit.page[2]) parts.push(hit.page[2]);
    where.textContent = parts.join(" · ");
    a.appendChild(title);
    a.appendChild(document.createTextNode(" "));
    a.appendChild(where);
    return a;
  }

  /* ---- search.html: the full list ---- */

  function resultsPage(box, input) {
    var query = new URLSearchParams(window.location.search).get("q") || "";
    if (input) input.value = query;
    function say(text) {
      var p = document.createElement("p");
      p.className = "search-status";
      p.textContent = text;
      box.replaceChildren(p);
    }
    if (!words(query).length) {
      say("Type words to search the specs.");
      return;
    }
    say("Searching…");
    withIndex(function (idx) {
      var hits = search(idx, query);
      if (!hits.length) {
        say("No section holds every word of “" + query + "”.");
        return;
      }
      say(hits.length === 1 ? "1 section." : hits.length + " sections." +
          (hits.length > MAX_PAGE ? " The first " + MAX_PAGE + ":" : ""));
      var list = document.createElement("ol");
      list.className = "search-hits";
      hits.slice(0, MAX_PAGE).forEach(function (hit) {
        var li = document.createElement("li");
        li.appendChild(hitLink(hit));
        list.appendChild(li);
      });
      box.appendChild(list);
    });
  }

  /* ---- every page: the dropdown under the box ----
   * The input is a combobox: arrows move through the hits, Enter opens
   * the chosen one (or submits the form to search.html), Escape closes. */

  function dropdown(form, input) {
    var list = document.createElement("ul");
    list.id = "search-suggestions";
    list.className = "search-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search results");
    list.hidden = true;
    form.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");

    var active = -1;
    var serial = 0;

    function options() { return list.querySelectorAll("[role=option]"); }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(i) {
      var opts = options();
      if (!opts.length) return;
      active = (i + opts.length) % opts.length;
      for (var k = 0; k < opts.length; k++)
        opts[k].setAttribute("aria-selected", k === active ? "true" : "false");
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    }

    function show() {
      var query = input.value;
      var mine = ++serial;
      if (!words(query).length) return close();
      withIndex(function (idx) {
        if (mine !== serial) return; /* the user typed on */
        var hits = search(idx, query);
        list.replaceChildren();
        active = -1;
        input.removeAttribute("aria-activedescendant");
        hits.slice(0, MAX_DROPDOWN).forEach(function (hit, i) {
          var li = document.createElement("li");
          li.id = "search-suggestion-" + i;
          li.setAttribute("role", "option");
          li.setAttribute("aria-selected", "false");
          var a = hitLink(hit);
          a.tabIndex = -1;
          li.appendChild(a);
          list.appendChild(li);
        });
        var more = document.createElement("li");
        more.className = "search-more";
        more.textContent = hits.length
          ? (hits.length > MAX_DROPDOWN ? hits.length + " sections: Enter for all" : "")
          : "No matches";
        if (more.textContent) list.appendChild(more);
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      });
    }

    input.addEventListener("input", show);
    input.addEventListener("focus", function () {
      if (input.value) show();
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (list.hidden) show();
        choose(active + (e.key === "ArrowDown" ? 1 : -1));
        e.preventDefault();
      } else if (e.key === "Escape") {
        close();
      } else if (e.key === "Enter" && active >= 0) {
        var a = options()[active].querySelector("a");
        if (a) {
          e.preventDefault();
          window.location.href = a.href;
        }
      }
    });
    /* Leaving the form closes the list (a click on a hit is a click on
     * its link, which the list keeps under the pointer until then). */
    form.addEventListener("focusout", function (e) {
      if (!form.contains(e.relatedTarget)) close();
    });
    list.addEventListener("mousedown", function (e) { e.preventDefault(); });
  }

  function start() {
    var form = document.querySelector("form.search");
    var input = form && form.querySelector("input[name=q]");
    var results = document.getElementById("search-results");
    if (results) resultsPage(results, input);
    if (input) dropdown(form, input);
  }

  if (document.readyState === "loading")
    document.addEventListener("DOMContentLoaded", start);
  else start();
})();
