/* reload.c — what makes an open page follow the builds: the script the
 * server adds to each HTML page, and the event each build sends it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/buffer.h"
#include "../util/digest.h"
#include "serve.h"

const char ss_serve_script[] =
    "/* reload.js — added by `specsite serve` to every HTML page it serves,\n"
    " * never to a built site. It listens to the server's build events: when\n"
    " * a build changed this page, the page reloads at the section it showed;\n"
    " * the page's problems (or a failed build's) are shown in an overlay. */\n"
    "(function () {\n"
    "  \"use strict\";\n"
    "  var me = document.currentScript;\n"
    "  var build = me ? me.getAttribute(\"data-build\") : \"0\";\n"
    "  var server = me ? me.getAttribute(\"data-server\") : \"\";\n"
    "  var page = location.pathname;\n"
    "  var key = \"specsite-serve:\" + page;\n"
    "  /* The innermost section whose top is above the window's: its id and\n"
    "   * how far into it the window is. */\n"
    "  function position() {\n"
    "    var best = null, sections = "
    "document.querySelectorAll(\"section[id]\");\n"
    "    for (var i = 0; i < sections.length; i++) {\n"
    "      var r = sections[i].getBoundingClientRect();\n"
    "      if (r.top <= 1 && r.bottom > 0) best = sections[i];\n"
    "    }\n"
    "    return {\n"
    "      id: best ? best.id : null,\n"
    "      offset: best ? -best.getBoundingClientRect().top : 0,\n"
    "      y: window.scrollY\n"
    "    };\n"
    "  }\n"
    "  function restore(saved) {\n"
    "    var el = saved.id ? document.getElementById(saved.id) : null;\n"
    "    if (el)\n"
    "      window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY "
    "+\n"
    "                             saved.offset);\n"
    "    else\n"
    "      window.scrollTo(0, saved.y);\n"
    "  }\n"
    "  try {\n"
    "    var saved = JSON.parse(sessionStorage.getItem(key) || \"null\");\n"
    "    if (saved) {\n"
    "      sessionStorage.removeItem(key);\n"
    "      if (\"scrollRestoration\" in history) history.scrollRestoration = "
    "\"manual\";\n"
    "      if (document.readyState === \"loading\")\n"
    "        document.addEventListener(\"DOMContentLoaded\", function () {\n"
    "          restore(saved);\n"
    "        });\n"
    "      else\n"
    "        restore(saved);\n"
    "    }\n"
    "  } catch (e) { /* no sessionStorage: reload at the top */ }\n"
    "  function overlay(text) {\n"
    "    var box = document.getElementById(\"specsite-serve-problems\");\n"
    "    if (!text) {\n"
    "      if (box) box.parentNode.removeChild(box);\n"
    "      return;\n"
    "    }\n"
    "    if (!box) {\n"
    "      box = document.createElement(\"div\");\n"
    "      box.id = \"specsite-serve-problems\";\n"
    "      box.setAttribute(\"role\", \"alert\");\n"
    "      box.style.cssText =\n"
    "          \"position:fixed;left:0;right:0;bottom:0;max-height:40vh;\" +\n"
    "          \"overflow:auto;z-index:2147483647;margin:0;padding:.5em 1em;\" "
    "+\n"
    "          \"background:#fff4f4;color:#600;border-top:3px solid #c00;\" +\n"
    "          \"font:13px/1.4 monospace;white-space:pre-wrap\";\n"
    "      document.body.appendChild(box);\n"
    "    }\n"
    "    box.textContent = text;\n"
    "  }\n"
    "  var source = new EventSource(\n"
    "      \"/_specsite-serve/events?page=\" + encodeURIComponent(page) +\n"
    "      \"&since=\" + encodeURIComponent(build));\n"
    "  source.addEventListener(\"build\", function (e) {\n"
    "    var b = JSON.parse(e.data);\n"
    "    if (b.reload || (server && b.server !== server)) {\n"
    "      try {\n"
    "        sessionStorage.setItem(key, JSON.stringify(position()));\n"
    "      } catch (err) { /* reload at the top */ }\n"
    "      source.close();\n"
    "      location.reload();\n"
    "      return;\n"
    "    }\n"
    "    overlay(b.problems);\n"
    "  });\n"
    "})();\n";

char *ss_serve_inject(const char *html, size_t len, unsigned long build,
                      const char *server_id, bool at_root, size_t *out_len) {
  /* Before the last </body>; a page without one gets it at the end. */
  size_t at = len;
  for (size_t i = len; i >= 7; i--)
    if (strncasecmp(html + i - 7, "</body>", 7) == 0) {
      at = i - 7;
      break;
    }
  size_t head = 0;
  for (size_t i = 0; at_root && !head && i + 6 <= at; i++)
    if (strncasecmp(html + i, "<head>", 6) == 0)
      head = i + 6;
  ss_buf out = SS_BUF_INIT;
  ss_buf_put(&out, html, head);
  if (at_root)
    ss_buf_puts(&out, "<base href=\"/\">");
  ss_buf_put(&out, html + head, at - head);
  ss_buf_printf(&out,
                "<script src=\"" SS_SERVE_SCRIPT_URL
                "\" data-build=\"%lu\" data-server=\"%s\"></script>\n",
                build, server_id);
  ss_buf_put(&out, html + at, len - at);
  *out_len = out.len;
  return ss_buf_detach(&out);
}

/* --- the state ------------------------------------------------------- */

/* name -> the last build that changed it: open addressing, at most half
 * full. */
typedef struct S_change {
  char *name;
  unsigned long build;
} S_change;

struct ss_serve_state {
  char *server_id;
  unsigned long build;          /* the last build's number */
  unsigned long all_at;         /* the last build that changed every page */
  bool failed;                  /* the last build failed */
  ss_site_stats last;           /* its stats (collect) */
  ss_site_page_report **by_url; /* last.page_reports, sorted by url */
  S_change *changes;
  size_t n_changes, cap_changes;
};

static size_t S_slot(const ss_serve_state *st, const char *name) {
  size_t mask = st->cap_changes - 1;
  size_t i = (size_t)ss_digest(SS_DIGEST_INIT, name, strlen(name)) & mask;
  while (st->changes[i].name && strcmp(st->changes[i].name, name) != 0)
    i = (i + 1) & mask;
  return i;
}

static void S_grow(ss_serve_state *st) {
  S_change *old = st->changes;
  size_t old_cap = st->cap_changes;
  st->cap_changes = old_cap ? 2 * old_cap : 256;
  st->changes = ss_xcalloc(st->cap_changes, sizeof *st->changes);
  for (size_t i = 0; i < old_cap; i++)
    if (old[i].name)
      st->changes[S_slot(st, old[i].name)] = old[i];
  free(old);
}

static void S_changed(ss_serve_state *st, const char *name) {
  if (2 * (st->n_changes + 1) > st->cap_changes)
    S_grow(st);
  S_change *c = &st->changes[S_slot(st, name)];
  if (!c->name) {
    c->name = ss_xstrdup(name);
    st->n_changes++;
  }
  c->build = st->build;
}

static unsigned long S_changed_at(const ss_serve_state *st, const char *name) {
  if (!st->cap_changes)
    return 0;
  const S_change *c = &st->changes[S_slot(st, name)];
  return c->name ? c->build : 0;
}

ss_serve_state *ss_serve_state_new(const char *server_id) {
  ss_serve_state *st = ss_xcalloc(1, sizeof *st);
  st->server_id = ss_xstrdup(server_id);
  return st;
}

void ss_serve_state_free(ss_serve_state *st) {
  if (!st)
    return;
  for (size_t i = 0; i < st->cap_changes; i++)
    free(st->changes[i].name);
  free(st->changes);
  free(st->by_url);
  ss_site_stats_free(&st->last);
  free(st->server_id);
  free(st);
}

static int S_cmp_url(const void *a, const void *b) {
  const ss_site_page_report *x = *(ss_site_page_report *const *)a;
  const ss_site_page_report *y = *(ss_site_page_report *const *)b;
  return strcmp(x->url, y->url);
}

/* What a page loads besides itself, and so may be on every page: a
 * stylesheet, a script, an image, a font (by the type it is served
 * with). Not the search index, which only a search reads, nor the
 * feed, the sitemap or the sources. */
static bool S_is_asset(const char *name) {
  static const char *const kinds[] = {"text/css", "text/javascript", "image/",
                                      "font/"};
  const char *slash = strrchr(name, '/');
  if (strcmp(slash ? slash + 1 : name, "searchindex.js") == 0)
    return false;
  const char *type = ss_serve_content_type(name);
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
    if (strncmp(type, kinds[i], strlen(kinds[i])) == 0)
      return true;
  return false;
}

unsigned long ss_serve_state_add(ss_serve_state *st, ss_site_stats *stats,
                                 bool failed) {
  st->build++;
  st->failed = failed;
  if (!failed) {
    if (stats->all_changed)
      st->all_at = st->build;
    for (size_t i = 0; i < stats->n_changed; i++) {
      if (S_is_asset(stats->changed[i]))
        st->all_at = st->build;
      S_changed(st, stats->changed[i]);
    }
  }
  /* A failed build's problems are shown; its list of pages is kept only
   * when it has one (a build that could not start knows none). */
  if (!failed || stats->n_page_reports) {
    free(st->by_url);
    ss_site_stats kept = st->last;
    st->last = *stats;
    memset(stats, 0, sizeof *stats);
    ss_site_stats_free(&kept);
    size_t n = st->last.n_page_reports;
    st->by_url = ss_xmalloc((n + 1) * sizeof *st->by_url);
    for (size_t i = 0; i < n; i++)
      st->by_url[i] = &st->last.page_reports[i];
    qsort(st->by_url, n, sizeof *st->by_url, S_cmp_url);
  } else {
    free(st->last.messages);
    st->last.messages = stats->messages;
    stats->messages = NULL;
    ss_site_stats_free(stats);
  }
  return st->build;
}

unsigned long ss_serve_state_build(const ss_serve_state *st) {
  return st->build;
}

const char *ss_serve_state_server(const ss_serve_state *st) {
  return st->server_id;
}

const ss_site_stats *ss_serve_state_stats(const ss_serve_state *st) {
  return &st->last;
}

/* The lines of `messages` that begin with "SOURCE:". */
static void S_page_problems(ss_buf *out, const char *messages,
                            const char *source) {
  size_t sl = strlen(source);
  for (const char *line = messages; line && *line;) {
    const char *nl = strchr(line, '\n');
    size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);
    if (len > sl && strncmp(line, source, sl) == 0 && line[sl] == ':')
      ss_buf_put(out, line, len);
    line += len;
  }
}

char *ss_serve_event(const ss_serve_state *st, const char *page,
                     unsigned long since) {
  char *name = ss_serve_file_name(page);
  bool reload = st->all_at > since || (name && S_changed_at(st, name) > since);
  ss_buf problems = SS_BUF_INIT;
  if (st->failed) {
    ss_buf_puts(&problems, "The last build failed; the last good site is "
                           "shown.\n");
    ss_buf_puts(&problems, st->last.messages ? st->last.messages : "");
  } else if (name) {
    ss_site_page_report key = {.url = name};
    ss_site_page_report *kp = &key;
    ss_site_page_report **hit =
        st->by_url ? bsearch(&kp, st->by_url, st->last.n_page_reports,
                             sizeof *st->by_url, S_cmp_url)
                   : NULL;
    if (hit)
      S_page_problems(&problems, st->last.messages, (*hit)->source);
  }
  ss_buf out = SS_BUF_INIT;
  ss_buf_printf(&out, "{\"build\": %lu, \"server\": ", st->build);
  ss_buf_put_json(&out, st->server_id);
  ss_buf_printf(&out,
                ", \"reload\": %s, \"problems\": ", reload ? "true" : "false");
  ss_buf_put_json(&out, problems.data);
  ss_buf_puts(&out, "}");
  ss_buf_free(&problems);
  free(name);
  return ss_buf_detach(&out);
}
