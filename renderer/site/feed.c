/* feed.c — the Atom feed, the sitemap and redirect pages (dates come
 * from dates.c). Atom and the sitemap are written directly, escaped as
 * the HTML is (a rebuild writes the feed: it must not load libxml2). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../html/escape.h"
#include "../html/html.h"
#include "internal.h"

static int S_date_cmp(const void *a, const void *b) {
  const ss_page *x = *(ss_page *const *)a, *y = *(ss_page *const *)b;
  if (x->date != y->date)
    return x->date > y->date ? -1 : 1;
  return strcmp(x->docname, y->docname);
}

/* --- Atom and the sitemap ------------------------------------------------ */

/* Bytes XML 1.0 cannot carry, or that a parser would not give back as
 * written: C0 controls, U+FFFE and U+FFFF (dropped: the output must
 * parse), and CR (a character reference, as in text a parser reads CR
 * as LF). In an attribute value tab and LF are references too: a
 * parser turns them into spaces. The reader has removed NULs. */
static size_t S_xml_special(const unsigned char *u, bool attr) {
  if (u[0] == '\t' || u[0] == '\n')
    return attr ? 1 : 0;
  if (u[0] < 0x20)
    return 1;
  if (u[0] == 0xEF && u[1] == 0xBF && (u[2] == 0xBE || u[2] == 0xBF))
    return 3;
  return 0;
}

/* Text or a double-quoted attribute value: the site's escaping
 * (ss_html_escape: &, <, >, "), which is XML's too, around the few
 * bytes XML treats apart. */
static void S_xml_escape(ss_buf *out, const char *s, bool attr) {
  const unsigned char *u = (const unsigned char *)s;
  size_t start = 0;
  for (size_t i = 0; u[i];) {
    size_t n = S_xml_special(u + i, attr);
    if (!n) {
      i++;
      continue;
    }
    ss_html_escape(out, s + start, i - start);
    if (u[i] == '\r')
      ss_buf_puts(out, "&#13;");
    else if (u[i] == '\t' || u[i] == '\n')
      ss_buf_puts(out, u[i] == '\t' ? "&#9;" : "&#10;");
    i += n;
    start = i;
  }
  ss_html_escape(out, s + start, strlen(s + start));
}

/* The layout libxml2's xmlwriter gave both files (so feeds stay
 * byte-identical): one space of indent per level, one element a line,
 * empty elements as <name/>. */
static void S_xml_open(ss_buf *out, int depth, const char *name) {
  for (int i = 0; i < depth; i++)
    ss_buf_putc(out, ' ');
  ss_buf_putc(out, '<');
  ss_buf_puts(out, name);
}

static void S_xml_attr(ss_buf *out, const char *name, const char *value) {
  ss_buf_putc(out, ' ');
  ss_buf_puts(out, name);
  ss_buf_puts(out, "=\"");
  S_xml_escape(out, value ? value : "", true);
  ss_buf_putc(out, '"');
}

/* <name>text</name> on a line of its own; <name/> for no text. */
static void S_xml_leaf(ss_buf *out, int depth, const char *name,
                       const char *text) {
  S_xml_open(out, depth, name);
  if (!text) {
    ss_buf_puts(out, "/>\n");
    return;
  }
  ss_buf_putc(out, '>');
  S_xml_escape(out, text, false);
  ss_buf_puts(out, "</");
  ss_buf_puts(out, name);
  ss_buf_puts(out, ">\n");
}

static void S_xml_close(ss_buf *out, int depth, const char *name) {
  for (int i = 0; i < depth; i++)
    ss_buf_putc(out, ' ');
  ss_buf_puts(out, "</");
  ss_buf_puts(out, name);
  ss_buf_puts(out, ">\n");
}

#define S_XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

#define S_FEED_ENTRIES 100

/* The listing and every page's date: what the feed and the sitemap
 * are made of. */
static uint64_t S_dated_key(const ss_site *site, const char *name) {
  uint64_t h = ss_digest(site->listing_key, name, strlen(name) + 1);
  for (size_t i = 0; i < site->n_pages; i++)
    h = ss_digest(h, &site->pages[i].date, sizeof site->pages[i].date);
  return h ? h : 1;
}

bool ss_site_write_feed(ss_site *site) {
  uint64_t key = S_dated_key(site, "atom.xml");
  if (ss_site_reuse(site, "atom.xml", key))
    return true;
  ss_page **specs = ss_xmalloc((site->n_pages + 1) * sizeof *specs);
  size_t n = 0;
  for (size_t i = 0; i < site->n_pages; i++)
    if (site->pages[i].release)
      specs[n++] = &site->pages[i];
  qsort(specs, n, sizeof *specs, S_date_cmp);
  ss_buf x = SS_BUF_INIT;
  ss_buf_puts(&x, S_XML_DECL);
  S_xml_open(&x, 0, "feed");
  S_xml_attr(&x, "xmlns", "http://www.w3.org/2005/Atom");
  ss_buf_puts(&x, ">\n");
  S_xml_leaf(&x, 1, "title", site->project);
  ss_buf u = SS_BUF_INIT;
  ss_buf_printf(&u, "%satom.xml", site->base_url);
  S_xml_open(&x, 1, "link");
  S_xml_attr(&x, "rel", "self");
  S_xml_attr(&x, "href", u.data);
  ss_buf_puts(&x, "/>\n");
  ss_buf_clear(&u);
  ss_buf_printf(&u, "%sindex.html", site->base_url);
  S_xml_open(&x, 1, "link");
  S_xml_attr(&x, "href", u.data);
  ss_buf_puts(&x, "/>\n");
  ss_buf_clear(&u);
  /* An id that stays the same for the same site: the base URL when
   * there is one, else a tag on the project's name. */
  if (*site->base_url)
    ss_buf_puts(&u, site->base_url);
  else
    ss_buf_printf(&u, "urn:specsite:%s", site->project);
  S_xml_leaf(&x, 1, "id", u.data);
  char date[32];
  ss_site_utc(n ? specs[0]->date : 0, true, date);
  S_xml_leaf(&x, 1, "updated", date);
  S_xml_open(&x, 1, "generator");
  S_xml_attr(&x, "uri", "https://specsite.invalid/");
  ss_buf_puts(&x, ">specsite</generator>\n");
  for (size_t i = 0; i < n && i < S_FEED_ENTRIES; i++) {
    const ss_page *p = specs[i];
    S_xml_open(&x, 1, "entry");
    ss_buf_puts(&x, ">\n");
    S_xml_leaf(&x, 2, "title", p->sum.title);
    ss_buf_clear(&u);
    ss_buf_puts(&u, site->base_url);
    ss_path_url(&u, p->url);
    S_xml_open(&x, 2, "link");
    S_xml_attr(&x, "href", u.data);
    ss_buf_puts(&x, "/>\n");
    if (!*site->base_url) {
      ss_buf_clear(&u);
      ss_buf_printf(&u, "urn:specsite:%s:%s", site->project, p->docname);
    }
    S_xml_leaf(&x, 2, "id", u.data);
    ss_site_utc(p->date, true, date);
    S_xml_leaf(&x, 2, "updated", date);
    S_xml_open(&x, 2, "category");
    S_xml_attr(&x, "term", p->release);
    ss_buf_puts(&x, "/>\n");
    if (p->sum.assignee) {
      S_xml_open(&x, 2, "author");
      ss_buf_puts(&x, ">\n");
      S_xml_leaf(&x, 3, "name", p->sum.assignee);
      S_xml_close(&x, 2, "author");
    }
    S_xml_close(&x, 1, "entry");
  }
  S_xml_close(&x, 0, "feed");
  size_t len = x.len;
  bool ok = ss_site_emit_owned(site, "atom.xml", key, ss_buf_detach(&x), len);
  ss_buf_free(&u);
  free(specs);
  return ok;
}

/* Only with a base URL: a sitemap's locations must be absolute. */
bool ss_site_write_sitemap(ss_site *site) {
  if (!*site->base_url)
    return true;
  uint64_t key = S_dated_key(site, "sitemap.xml");
  if (ss_site_reuse(site, "sitemap.xml", key))
    return true;
  ss_buf x = SS_BUF_INIT;
  ss_buf_puts(&x, S_XML_DECL);
  S_xml_open(&x, 0, "urlset");
  S_xml_attr(&x, "xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9");
  ss_buf_puts(&x, site->n_pages ? ">\n" : "/>\n");
  ss_buf u = SS_BUF_INIT;
  char date[32];
  for (size_t i = 0; i < site->n_pages; i++) {
    const ss_page *p = &site->pages[i];
    S_xml_open(&x, 1, "url");
    ss_buf_puts(&x, ">\n");
    ss_buf_clear(&u);
    ss_buf_puts(&u, site->base_url);
    ss_path_url(&u, (int)i == site->index_page ? "index.html" : p->url);
    S_xml_leaf(&x, 2, "loc", u.data);
    ss_site_utc(p->date, true, date);
    date[10] = '\0';
    S_xml_leaf(&x, 2, "lastmod", date);
    S_xml_close(&x, 1, "url");
  }
  if (site->n_pages)
    S_xml_close(&x, 0, "urlset");
  size_t len = x.len;
  bool ok =
      ss_site_emit_owned(site, "sitemap.xml", key, ss_buf_detach(&x), len);
  ss_buf_free(&u);
  return ok;
}

/* --- redirects ------------------------------------------------------------
 *
 * A `redirects` file in a folder of the source (nova-specs' redirect
 * extension, which tox -e docs runs): "old new" per line, old relative to
 * the file's folder, new to old's; ".rst" read as ".html" in both. Each
 * old path becomes a page that sends the browser to the new one, also in
 * place of a page (the extension writes over it). Chains of redirects
 * are fine, and so are absolute URLs; one leading to nothing the site
 * has is a warning. A redirect never leaves the site, nor replaces what
 * specsite itself makes (the index, release pages, search, assets). */

static void S_redirect_problem(ss_site *site, const char *path, int line,
                               const char *msg) {
  ss_diag_report(&site->diag, path, line, SS_LEVEL_WARNING, msg);
}

/* ".rst" as ".html", as the extension replaces it. */
static void S_html_name(const char *s, ss_buf *out) {
  for (const char *p = s; *p;) {
    if (strncmp(p, ".rst", 4) == 0) {
      ss_buf_puts(out, ".html");
      p += 4;
    } else {
      ss_buf_putc(out, *p++);
    }
  }
}

static int S_move_cmp(const void *a, const void *b) {
  const ss_site_move *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  /* For the same old path, file by file and line by line. */
  return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int S_move_name_cmp(const void *a, const void *b) {
  return strcmp(((const ss_site_move *)a)->name,
                ((const ss_site_move *)b)->name);
}

const ss_site_move *ss_site_find_move(const ss_site *site, const char *name) {
  ss_site_move want = {.name = (char *)name};
  return site->n_moves ? bsearch(&want, site->moves, site->n_moves,
                                 sizeof *site->moves, S_move_name_cmp)
                       : NULL;
}

static void S_read_redirects(ss_site *site, const char *folder) {
  char *rel = ss_path_join(folder, "redirects");
  char *path = ss_fs_resolve(site->root, rel, NULL);
  free(rel);
  size_t len = 0;
  char *text = ss_read_file(path, &len);
  int lineno = 0;
  ss_buf from = SS_BUF_INIT, to = SS_BUF_INIT;
  for (char *line = text; text && line < text + len;) {
    char *nl = memchr(line, '\n', (size_t)(text + len - line));
    if (!nl)
      nl = text + len;
    *nl = '\0';
    lineno++;
    char *save = NULL;
    char *old = strtok_r(line, " \t\r", &save);
    char *new = old ? strtok_r(NULL, " \t\r", &save) : NULL;
    line = nl + 1;
    if (!old || old[0] == '#')
      continue;
    if (!new) {
      S_redirect_problem(site, path, lineno,
                         "a redirect line needs an old and a new path");
      continue;
    }
    ss_buf_clear(&from);
    if (*folder) {
      ss_buf_puts(&from, folder);
      ss_buf_putc(&from, '/');
    }
    S_html_name(old, &from);
    char *name = old[0] == '/' ? NULL : ss_path_normalize(from.data);
    if (!name || !*name) {
      S_redirect_problem(site, path, lineno,
                         "a redirect's old path must stay inside the site: "
                         "ignored");
      free(name);
      continue;
    }
    ss_buf_clear(&to);
    S_html_name(new, &to);
    site->moves =
        ss_xrealloc(site->moves, (site->n_moves + 1) * sizeof *site->moves);
    site->moves[site->n_moves] = (ss_site_move){
        name, ss_xstrdup(to.data), ss_xstrdup(path), lineno, site->n_moves};
    site->n_moves++;
  }
  ss_buf_free(&from);
  ss_buf_free(&to);
  free(text);
  free(path);
}

void ss_site_read_redirects(ss_site *site) {
  for (size_t i = 0; i < site->n_redirects; i++)
    S_read_redirects(site, site->redirects[i]);
  /* By name; a later line for the same old path wins, as the extension
   * writes the page again. */
  if (site->n_moves > 1)
    qsort(site->moves, site->n_moves, sizeof *site->moves, S_move_cmp);
}

void ss_site_moves_free(ss_site *site) {
  for (size_t i = 0; i < site->n_moves; i++) {
    free(site->moves[i].name);
    free(site->moves[i].to);
    free(site->moves[i].file);
  }
  free(site->moves);
  site->moves = NULL;
  site->n_moves = 0;
}

/* Whether `name` is a file specsite makes for itself: a redirect may
 * not take its place. */
static bool S_generated(const ss_site *site, const char *name) {
  if (strcmp(name, "index.html") == 0 && site->index_page < 0)
    return true;
  if (strcmp(name, "search.html") == 0 || strcmp(name, "sections.html") == 0 ||
      strcmp(name, SS_SITE_SEARCH_INDEX) == 0 ||
      strcmp(name, SS_SITE_INVENTORY) == 0 ||
      strncmp(name, SS_SITE_STATIC_DIR "/", strlen(SS_SITE_STATIC_DIR) + 1) ==
          0 ||
      strncmp(name, SS_SITE_SOURCES_DIR "/", strlen(SS_SITE_SOURCES_DIR) + 1) ==
          0 ||
      strncmp(name, SS_SITE_STATE_DIR "/", strlen(SS_SITE_STATE_DIR) + 1) == 0)
    return true;
  for (size_t k = 0; k < site->n_releases; k++)
    if (strcmp(site->releases[k].url, name) == 0)
      return true;
  return false;
}

/* Whether a redirect's target is something: an absolute URL, a page, a
 * release page, another redirect, an image. */
static bool S_target_exists(ss_site *site, const ss_site_move *m) {
  const char *to = m->to;
  if (to[0] == '/' || strstr(to, "://") || strncmp(to, "mailto:", 7) == 0)
    return true;
  char *dir = ss_path_dir(m->name);
  char *joined = ss_path_join(dir, to);
  joined[strcspn(joined, "#?")] = '\0';
  char *target = ss_path_normalize(joined);
  free(joined);
  free(dir);
  bool found = false;
  if (target) {
    size_t tl = strlen(target);
    if (tl == 0 || target[tl - 1] == '/') {
      char *index = ss_path_join(target, "index.html");
      free(target);
      target = index;
    }
    for (size_t i = 0; i < site->n_pages && !found; i++)
      found = strcmp(site->pages[i].url, target) == 0;
    found =
        found || ss_site_find_move(site, target) || S_generated(site, target);
  }
  free(target);
  return found;
}

bool ss_site_write_redirects(ss_site *site) {
  bool ok = true;
  ss_buf page = SS_BUF_INIT;
  for (size_t i = 0; i < site->n_moves; i++) {
    const ss_site_move *m = &site->moves[i];
    if (i + 1 < site->n_moves && strcmp(m->name, m[1].name) == 0)
      continue; /* a later line says where it goes */
    if (S_generated(site, m->name)) {
      S_redirect_problem(site, m->file, m->line,
                         "a redirect's old path is a page specsite makes: "
                         "ignored");
      continue;
    }
    if (!ss_html_uri_is_safe(m->to, false)) {
      S_redirect_problem(site, m->file, m->line,
                         "a redirect to an unsafe URL: ignored");
      continue;
    }
    if (!S_target_exists(site, m)) {
      ss_buf msg = SS_BUF_INIT;
      ss_buf_printf(&msg,
                    "a redirect leads to %s, which is not a page of the site",
                    m->to);
      S_redirect_problem(site, m->file, m->line, msg.data);
      ss_buf_free(&msg);
    }
    ss_buf_clear(&page);
    ss_buf_puts(&page, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
                       "charset=\"utf-8\">\n<title>Moved</title>\n<meta "
                       "http-equiv=\"refresh\" content=\"0; url=");
    ss_site_escape(&page, m->to);
    ss_buf_puts(&page, "\">\n<link rel=\"canonical\" href=\"");
    ss_site_escape(&page, m->to);
    ss_buf_puts(&page, "\">\n</head>\n<body>\n<p>This spec has moved to <a "
                       "href=\"");
    ss_site_escape(&page, m->to);
    ss_buf_puts(&page, "\">");
    ss_site_escape(&page, m->to);
    ss_buf_puts(&page, "</a>.</p>\n</body>\n</html>\n");
    ok &= ss_site_emit_bytes(site, m->name, page.data, page.len);
  }
  ss_buf_free(&page);
  return ok;
}
