/* test_serve.c — the serve stage's parts: which file a request names,
 * opening it without leaving the site, types, the script's injection,
 * and which page a build tells to reload. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve/serve.h"
#include "util/buffer.h"

static void S_name_is(const char *path, const char *want) {
  char *got = ss_serve_file_name(path);
  if (!want)
    cr_expect_null(got, "%s names %s, expected none", path, got);
  else
    cr_expect(got && strcmp(got, want) == 0, "%s names %s, expected %s", path,
              got ? got : "(none)", want);
  free(got);
}

Test(serve, file_names) {
  S_name_is("/", "index.html");
  S_name_is("/specs/", "specs/index.html");
  S_name_is("/specs/9.0/a.html", "specs/9.0/a.html");
  S_name_is("/_static/specsite.css", "_static/specsite.css");
  /* A "%2e" libmicrohttpd left (double encoding) is a name, not a dot. */
  S_name_is("/%2e%2e/etc/passwd", "%2e%2e/etc/passwd");
}

Test(serve, file_names_refused) {
  const char *bad[] = {"",
                       "index.html",
                       "/..",
                       "/../etc/passwd",
                       "/specs/../../etc/passwd",
                       "/./index.html",
                       "/specs/./a.html",
                       "//etc/passwd",
                       "/specs//a.html",
                       "/.specsite/cache",
                       "/specs/.hidden",
                       "/a\\..\\b",
                       "/a\x01b",
                       "/a\x7f",
                       "/a\nb"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    S_name_is(bad[i], NULL);
  S_name_is(NULL, NULL);
}

static char S_dir[64];

static void S_site(void) {
  strcpy(S_dir, "/tmp/specsite-test-serve.XXXXXX");
  cr_assert_not_null(mkdtemp(S_dir));
  char path[256];
  snprintf(path, sizeof path, "%s/specs", S_dir);
  mkdir(path, 0777);
  snprintf(path, sizeof path, "%s/specs/a.html", S_dir);
  FILE *f = fopen(path, "w");
  fputs("<p>a</p>", f);
  fclose(f);
  snprintf(path, sizeof path, "%s/out.html", S_dir);
  symlink("/etc/passwd", path);
  snprintf(path, sizeof path, "%s/etc", S_dir);
  symlink("/etc", path);
  snprintf(path, sizeof path, "%s/fifo", S_dir);
  mkfifo(path, 0666);
}

static void S_unsite(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", S_dir);
  cr_expect_eq(system(cmd), 0);
}

Test(serve, open_stays_in_the_site, .init = S_site, .fini = S_unsite) {
  int root = open(S_dir, O_RDONLY | O_DIRECTORY);
  cr_assert_geq(root, 0);
  int fd = ss_serve_open(root, "specs/a.html");
  cr_expect_geq(fd, 0, "a file of the site opens");
  if (fd >= 0)
    close(fd);
  /* Symbolic links (to a file, through a folder), folders, FIFOs and
   * what is not there: none opens. */
  const char *bad[] = {"out.html", "etc/passwd",   "specs",
                       "fifo",     "nothing.html", "specs/"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    fd = ss_serve_open(root, bad[i]);
    cr_expect_lt(fd, 0, "%s opened", bad[i]);
    if (fd >= 0)
      close(fd);
  }
  close(root);
}

Test(serve, content_types) {
  struct {
    const char *name, *type;
  } cases[] = {
      {"index.html", "text/html; charset=utf-8"},
      {"_static/specsite.css", "text/css; charset=utf-8"},
      {"_static/nav.js", "text/javascript; charset=utf-8"},
      {"searchindex.js", "text/javascript; charset=utf-8"},
      {"atom.xml", "application/atom+xml"},
      {"sitemap.xml", "application/xml"},
      {"_images/a.PNG", "image/png"},
      {"_images/b.svg", "image/svg+xml"},
      {"_sources/specs/a.rst.txt", "text/plain; charset=utf-8"},
      {"objects.inv", "application/octet-stream"},
      {"noextension", "application/octet-stream"},
      {".html/x", "application/octet-stream"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    cr_expect_str_eq(ss_serve_content_type(cases[i].name), cases[i].type, "%s",
                     cases[i].name);
}

Test(serve, inject_before_body_end) {
  const char *page = "<html><head><title>x</title></head><body><p>a</p>"
                     "</BODY></html>";
  size_t len = 0;
  char *out = ss_serve_inject(page, strlen(page), 7, "id1", false, &len);
  cr_expect_eq(len, strlen(out));
  const char *script = strstr(out, "<script src=\"" SS_SERVE_SCRIPT_URL
                                   "\" data-build=\"7\" data-server=\"id1\">");
  cr_assert_not_null(script, "%s", out);
  cr_expect(script < strstr(out, "</BODY>"), "%s", out);
  cr_expect_null(strstr(out, "<base"));
  free(out);
  /* No </body>: at the end; at_root: <base> first in <head>. */
  out = ss_serve_inject("<head></head>text", 17, 1, "s", true, &len);
  cr_expect(strncmp(out, "<head><base href=\"/\"></head>text<script", 39) == 0,
            "%s", out);
  free(out);
}

static ss_site_stats S_stats(const char *messages, const char *const *changed,
                             size_t n, bool all) {
  ss_site_stats st = {0};
  st.messages = messages ? ss_xstrdup(messages) : NULL;
  st.all_changed = all;
  st.changed = ss_xmalloc((n + 1) * sizeof *st.changed);
  for (size_t i = 0; i < n; i++)
    st.changed[i] = ss_xstrdup(changed[i]);
  st.n_changed = n;
  const char *pages[][2] = {{"index.html", "doc/source/index.rst"},
                            {"specs/a.html", "doc/source/specs/a.rst"},
                            {"specs/b.html", "doc/source/specs/b.rst"}};
  st.n_page_reports = 3;
  st.page_reports = ss_xmalloc(3 * sizeof *st.page_reports);
  for (size_t i = 0; i < 3; i++) {
    st.page_reports[i].url = ss_xstrdup(pages[i][0]);
    st.page_reports[i].source = ss_xstrdup(pages[i][1]);
    st.page_reports[i].path = ss_xstrdup(pages[i][1]);
  }
  return st;
}

static bool S_reloads(ss_serve_state *st, const char *page,
                      unsigned long since) {
  char *e = ss_serve_event(st, page, since);
  bool yes = strstr(e, "\"reload\": true") != NULL;
  free(e);
  return yes;
}

Test(serve, reload_only_what_changed) {
  ss_serve_state *st = ss_serve_state_new("srv");
  ss_site_stats s = S_stats(NULL, NULL, 0, true);
  cr_expect_eq(ss_serve_state_add(st, &s, false), 1);
  /* A page served from build 1 is current. */
  cr_expect_not(S_reloads(st, "/specs/a.html", 1));
  cr_expect(S_reloads(st, "/specs/a.html", 0), "served before build 1");

  const char *one[] = {"specs/a.html", "searchindex.js", "atom.xml"};
  s = S_stats(NULL, one, 3, false);
  cr_expect_eq(ss_serve_state_add(st, &s, false), 2);
  cr_expect(S_reloads(st, "/specs/a.html", 1));
  cr_expect_not(S_reloads(st, "/specs/b.html", 1),
                "the search index and the feed are on no page");
  cr_expect_not(S_reloads(st, "/", 1));
  cr_expect_not(S_reloads(st, "/specs/a.html", 2));

  /* A page that missed a build still learns it changed. */
  const char *other[] = {"specs/b.html"};
  s = S_stats(NULL, other, 1, false);
  ss_serve_state_add(st, &s, false);
  cr_expect(S_reloads(st, "/specs/a.html", 1));
  cr_expect_not(S_reloads(st, "/specs/a.html", 2));

  /* A stylesheet is on every page. */
  const char *css[] = {"_static/specsite.css"};
  s = S_stats(NULL, css, 1, false);
  ss_serve_state_add(st, &s, false);
  cr_expect(S_reloads(st, "/", 3));
  cr_expect(S_reloads(st, "/specs/b.html", 3));

  /* A failed build changes nothing. */
  const char *none[] = {"specs/a.html"};
  s = S_stats("specsite: the theme cannot be used\n", none, 1, false);
  ss_serve_state_add(st, &s, true);
  cr_expect_not(S_reloads(st, "/specs/a.html", 4));
  char *e = ss_serve_event(st, "/specs/a.html", 4);
  cr_expect(strstr(e, "last build failed") && strstr(e, "theme cannot"), "%s",
            e);
  free(e);
  ss_serve_state_free(st);
}

Test(serve, problems_are_the_page_s) {
  ss_serve_state *st = ss_serve_state_new("srv");
  ss_site_stats s =
      S_stats("doc/source/specs/a.rst:3: WARNING: Title underline too short.\n"
              "doc/source/specs/ab.rst:1: WARNING: not a's\n"
              "doc/source/specs/b.rst:9: ERROR: Unknown directive type "
              "\"x\".\n"
              "doc/source/specs/a.rst:12: ERROR: <script>\n",
              NULL, 0, true);
  ss_serve_state_add(st, &s, false);
  char *e = ss_serve_event(st, "/specs/a.html", 1);
  cr_expect(strstr(e, "a.rst:3: WARNING"), "%s", e);
  cr_expect(strstr(e, "a.rst:12: ERROR: <\\/script>") ||
                strstr(e, "a.rst:12: ERROR: <script>"),
            "%s", e);
  cr_expect_null(strstr(e, "ab.rst"), "%s", e);
  cr_expect_null(strstr(e, "b.rst:9"), "%s", e);
  free(e);
  e = ss_serve_event(st, "/", 1);
  cr_expect(strstr(e, "\"problems\": \"\""), "%s", e);
  free(e);
  /* Not a page of the site: no problems, no crash. */
  e = ss_serve_event(st, "/../x", 1);
  cr_expect(strstr(e, "\"problems\": \"\""), "%s", e);
  free(e);
  ss_serve_state_free(st);
}
