/* specsite default theme: the outline follows the reader.
 *
 * Marks the outline link of the section in view with
 * aria-current="true" (the stylesheet highlights it), and keeps the
 * outline open on wide screens, folded above the content on narrow
 * ones. Does nothing on a page without an outline. */
(function () {
  "use strict";

  var box = document.querySelector(".outline-box");
  var wide = window.matchMedia ? window.matchMedia("(min-width: 64rem)") : null;
  function fold() {
    if (box && wide) box.open = wide.matches;
  }
  fold();
  if (wide && wide.addEventListener) wide.addEventListener("change", fold);

  var outline = document.querySelector("nav.outline");
  if (!outline) return;

  /* The outline's targets, in document order. */
  var items = [];
  var links = outline.querySelectorAll('a[href^="#"]');
  for (var i = 0; i < links.length; i++) {
    var id = decodeURIComponent(links[i].getAttribute("href").slice(1));
    var target = id && document.getElementById(id);
    if (target) items.push({ link: links[i], target: target });
  }
  if (!items.length) return;

  var current = null;
  function mark(link) {
    if (link === current) return;
    if (current) current.removeAttribute("aria-current");
    if (link) link.setAttribute("aria-current", "true");
    current = link;
  }

  /* The current section is the last one whose top has scrolled past a
   * line near the top of the window (nested sections included). At the
   * bottom of the page the last sections cannot reach that line: there
   * the section the address names wins when it is in view, so a link
   * to it (outline, section bar) marks it. */
  function update() {
    var line = Math.min(120, window.innerHeight / 3);
    var found = null;
    for (var i = 0; i < items.length; i++) {
      if (items[i].target.getBoundingClientRect().top <= line) found = items[i];
      else break;
    }
    var doc = document.documentElement;
    var atBottom = window.innerHeight + window.scrollY >= doc.scrollHeight - 2;
    if (atBottom && window.location.hash) {
      var id = decodeURIComponent(window.location.hash.slice(1));
      for (var k = 0; k < items.length; k++) {
        var top = items[k].target.getBoundingClientRect().top;
        if (items[k].target.id === id && top >= 0 && top < window.innerHeight)
          found = items[k];
      }
    }
    mark(found ? found.link : items[0].link);
  }

  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      update();
    });
  }
  window.addEventListener("scroll", schedule, { passive: true });
  window.addEventListener("resize", schedule);
  window.addEventListener("hashchange", schedule);
  update();
})();
