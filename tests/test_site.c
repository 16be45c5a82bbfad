/* test_site.c — the site stage's parts: paths, summaries (title,
 * outline, main sections, impacts, blueprint, assignee, search entry),
 * template title matching, and whole builds of small repositories
 * written by the tests (toctrees, redirects, keyed rebuilds, -W, the
 * output folder's safety). tests/site.sh drives the command on the
 * bundled example and the corpus. */
#define _GNU_SOURCE /* memmem */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include <zlib.h>

#include "rst/rst.h"
#include "site/internal.h"
#include "site/site.h"
#include "transforms/transforms.h"
#include "util/digest.h"

/* --- paths ---------------------------------------------------------- */

static void S_norm_is(const char *in, const char *want) {
  char *got = ss_path_normalize(in);
  if (!want)
    cr_expect_null(got, "%s should climb out, got %s", in, got);
  else
    cr_expect(got && strcmp(got, want) == 0, "%s -> %s, want %s", in,
              got ? got : "(null)", want);
  free(got);
}

Test(site_paths, normalize) {
  S_norm_is("specs/8.0/../../images/a.png", "images/a.png");
  S_norm_is("./a//b/./c", "a/b/c");
  S_norm_is("specs/../../etc/passwd", NULL);
  S_norm_is("/etc/passwd", NULL);
  S_norm_is("..", NULL);
  S_norm_is("a/..", "");
}

static void S_rel_is(const char *from, const char *to, const char *want) {
  ss_buf b = SS_BUF_INIT;
  ss_path_relative(from, to, &b);
  cr_expect_str_eq(b.data ? b.data : "", want, "%s -> %s", from, to);
  ss_buf_free(&b);
}

Test(site_paths, relative) {
  S_rel_is("specs/8.0/a.html", "specs/8.0/b.html", "b.html");
  S_rel_is("specs/8.0/a.html", "index.html", "../../index.html");
  S_rel_is("index.html", "specs/9.0/x.html", "specs/9.0/x.html");
  S_rel_is("specs/8.0/a.html", "specs/9.0/index.html", "../9.0/index.html");
  /* A shared prefix that is not a whole folder name. */
  S_rel_is("specs/8.0/a.html", "specs/8.01/b.html", "../8.01/b.html");
}

Test(site_paths, digest_differs_and_chains) {
  uint64_t a = ss_digest(SS_DIGEST_INIT, "abc", 3);
  uint64_t b = ss_digest(SS_DIGEST_INIT, "abd", 3);
  uint64_t c = ss_digest(SS_DIGEST_INIT, "abc\0", 4);
  cr_expect_neq(a, b);
  cr_expect_neq(a, c);
  cr_expect_eq(a, ss_digest(SS_DIGEST_INIT, "abc", 3));
  /* Long inputs: every byte counts, not only the first eight. */
  cr_expect_neq(ss_digest(SS_DIGEST_INIT, "0123456789abcdefX", 17),
                ss_digest(SS_DIGEST_INIT, "0123456789abcdefY", 17));
}

/* UTC dates made by hand agree with gmtime's, leap days and centuries
 * included. */
/* Sphinx's patterns (sphinx.util.matching): each case as its patmatch
 * answers it. */
Test(site_paths, patterns_as_sphinx_matches_them) {
  static const struct {
    const char *pattern, *path;
    bool match;
  } cases[] = {
      {"specs/*", "specs/a", true},
      {"specs/*", "specs/a/b", false},
      {"specs/**", "specs/a/b", true},
      {"**/template.rst", "specs/x/template.rst", true},
      {"**/template.rst", "template.rst", false},
      {"specs/?.rst", "specs/a.rst", true},
      {"specs/?.rst", "specs//.rst", false},
      {"[ab]*", "b12", true},
      {"[!ab]*", "c", true},
      {"[!ab]*", "/x", false},
      {"[!ab]*", "a", false},
      {"x[", "x[", true},
      {"a*b*c", "axxbyyc", true},
      {"a*b*c", "axxbyy", false},
      {"*", "a/b", false},
      {"**", "a/b", true},
      {"specs/9.0/*", "specs/9.0/foo", true},
      {"specs/9.0/*", "specs/10.0/foo", false},
      {"_build", "_build", true},
      {"_build", "_buildx", false},
      {"a[-]b", "a-b", true},
      {"[a-c]x", "bx", true},
      {"[a-c]x", "dx", false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    cr_expect_eq(ss_path_match(cases[i].pattern, cases[i].path), cases[i].match,
                 "%s ~ %s", cases[i].pattern, cases[i].path);
  /* No pattern of stars is slow: linear in pattern times path. */
  char pat[201], path[2001];
  for (int i = 0; i < 100; i++)
    pat[2 * i] = '*', pat[2 * i + 1] = 'a';
  pat[199] = 'b';
  pat[200] = '\0';
  memset(path, 'a', 2000);
  path[2000] = '\0';
  cr_expect(!ss_path_match(pat, path));
}

/* RFC 1321's test suite, and a block boundary (55, 56, 64 bytes). */
Test(site_paths, md5_as_rfc_1321) {
  const char *in[] = {"",
                      "a",
                      "abc",
                      "message digest",
                      "abcdefghijklmnopqrstuvwxyz",
                      "12345678901234567890123456789012345678901234567890123"
                      "456789012345678901234567890"};
  const char *want[] = {
      "d41d8cd98f00b204e9800998ecf8427e", "0cc175b9c0f1b6a831c399e269772661",
      "900150983cd24fb0d6963f7d28e17f72", "f96b697d7cb7938d525a2f31aaf161d0",
      "c3fcd3d76192e4007dfb496cca67e13b", "57edf4a22be3c955ac49da2e2107b67a"};
  char hex[33];
  for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
    ss_md5_hex(in[i], strlen(in[i]), hex);
    cr_expect_str_eq(hex, want[i], "md5(%s)", in[i]);
  }
  char block[64];
  memset(block, 'x', sizeof block);
  const char *edges[] = {"04364420e25c512fd958a70738aa8f72",  /* 55 */
                         "668a72d5ba17f08e62dabcafad6db14b",  /* 56 */
                         "c1bb4f81d892b2d57947682aeb252456"}; /* 64 */
  size_t lens[] = {55, 56, 64};
  for (size_t i = 0; i < 3; i++) {
    ss_md5_hex(block, lens[i], hex);
    cr_expect_str_eq(hex, edges[i], "%zu bytes", lens[i]);
  }
}

Test(site_paths, utc_dates_as_gmtime_makes_them) {
  char got[32], want[32];
  ss_site_utc(0, true, got);
  cr_expect_str_eq(got, "1970-01-01T00:00:00Z");
  ss_site_utc(951782400, false, got);
  cr_expect_str_eq(got, "2000-02-29");
  ss_site_utc(-1, true, got);
  cr_expect_str_eq(got, "1969-12-31T23:59:59Z");
  uint64_t x = 88172645463325252ULL; /* xorshift: many times, 1900-2200 */
  for (int i = 0; i < 100000; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    int64_t t = -2208988800LL + (int64_t)(x % 9467280000ULL);
    time_t tt = (time_t)t;
    struct tm tm;
    cr_assert_not_null(gmtime_r(&tt, &tm));
    strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
    ss_site_utc(t, true, got);
    cr_assert_str_eq(got, want, "t = %lld", (long long)t);
  }
}

/* --- summaries ------------------------------------------------------ */

static const char S_spec[] =
    "=========\nBig thing\n=========\n\n"
    "https://blueprints.launchpad.net/nova/+spec/big-thing\n\n"
    "Problem description\n===================\n\nIt is slow.\n\n"
    "Proposed changes\n================\n\nMake it fast.\n\n"
    "Security impact\n---------------\n\nAdds a policy rule.\n\n"
    "Upgrade impact\n--------------\n\nNone.\n\n"
    "Implementation\n==============\n\n"
    "Assignee(s)\n-----------\n\nPrimary assignee:\n  Jane Doe "
    "<jane@example.org>\n\n"
    "Other contributors:\n  Bob\n\n"
    "References\n==========\n\n.. image:: ../../images/x.png\n";

typedef struct {
  ss_site site;
  ss_site_options opts;
  ss_page page;
} S_fixture;

static void S_setup(S_fixture *f) {
  memset(f, 0, sizeof *f);
  f->site.opts = &f->opts;
  f->site.src = ss_xstrdup("/nonexistent-for-tests");
  ss_diag_init(&f->site.diag);
  f->site.diag.quiet = 1;
  cr_assert(ss_site_configure(&f->site));
  ss_site_template_titles(&f->site); /* the seed's sections */
  f->page.docname = ss_xstrdup("specs/9.0/big-thing");
  f->page.url = ss_xstrdup("specs/9.0/big-thing.html");
  f->page.release = ss_xstrdup("9.0");
}

static void S_summarize(S_fixture *f, const char *text) {
  ss_diag d;
  ss_diag_init(&d);
  d.quiet = 1;
  ss_rst_options ro = {
      .path = "t.rst", .report_level = SS_LEVEL_WARNING, .diag = &d};
  ss_node *doc = ss_rst_parse(text, strlen(text), &ro);
  ss_transform_options to = {.path = "t.rst", .diag = &d};
  ss_transform_document(doc, &to);
  ss_site_summarize(&f->site, &f->page, doc, f->page.url);
  ss_node_free(doc);
}

static const ss_site_section *S_section(const S_fixture *f, const char *title) {
  for (size_t i = 0; i < f->page.sum.n_sections; i++)
    if (strcmp(f->page.sum.sections[i].title, title) == 0)
      return &f->page.sum.sections[i];
  return NULL;
}

static void S_teardown(S_fixture *f) {
  ss_site_summary_free(&f->page.sum);
  free(f->page.docname);
  free(f->page.url);
  free(f->page.release);
  for (size_t i = 0; i < f->site.n_main_titles; i++)
    free(f->site.main_titles[i]);
  for (size_t i = 0; i < f->site.n_impact_titles; i++)
    free(f->site.impact_titles[i]);
  for (size_t i = 0; i < f->site.n_main_titles + f->site.n_impact_titles; i++)
    free(f->site.title_keys[i]);
  free(f->site.main_titles);
  free(f->site.impact_titles);
  free(f->site.title_keys);
  free(f->site.project);
  free(f->site.base_url);
  free(f->site.src);
  ss_site_conf_py_free(&f->site);
}

Test(site_summary, title_blueprint_assignee_refs) {
  S_fixture f;
  S_setup(&f);
  S_summarize(&f, S_spec);
  cr_expect_str_eq(f.page.sum.title, "Big thing");
  cr_expect_str_eq(f.page.sum.blueprint,
                   "https://blueprints.launchpad.net/nova/+spec/big-thing");
  cr_assert_not_null(f.page.sum.assignee);
  cr_expect_str_eq(f.page.sum.assignee, "Jane Doe <jane@example.org>");
  cr_assert_eq(f.page.sum.n_refs, 1);
  /* ../../images from specs/9.0 stays inside the root. */
  cr_expect_str_eq(f.page.sum.refs[0].path, "images/x.png");
  S_teardown(&f);
}

Test(site_summary, sections_levels_main_and_impacts) {
  S_fixture f;
  S_setup(&f);
  S_summarize(&f, S_spec);
  const ss_site_section *pd = S_section(&f, "Problem description");
  const ss_site_section *pc = S_section(&f, "Proposed changes");
  const ss_site_section *sec = S_section(&f, "Security impact");
  const ss_site_section *up = S_section(&f, "Upgrade impact");
  cr_assert(pd && pc && sec && up);
  cr_expect_eq(pd->level, 1);
  cr_expect_str_eq(pd->anchor, "problem-description");
  cr_expect(pd->main);
  /* "Proposed changes" stands for the seed's "Proposed change". */
  cr_expect(pc->main, "a plural title matches the template's");
  cr_expect_eq(sec->level, 2);
  cr_expect(!sec->main);
  cr_expect(sec->says_something);
  cr_expect(!up->says_something, "\"None.\" says nothing");
  S_teardown(&f);
}

Test(site_summary, search_entry_is_json_with_section_words) {
  S_fixture f;
  S_setup(&f);
  S_summarize(&f, S_spec);
  const char *s = f.page.sum.search;
  cr_assert_not_null(s);
  cr_expect(strncmp(s, "[\"specs/9.0/big-thing.html\",\"Big thing\",\"9.0\",[",
                    47) == 0,
            "%s", s);
  cr_expect(strstr(s, "[\"security-impact\",\"Security impact\",\"") != NULL);
  cr_expect(strstr(s, "policy") != NULL);
  S_teardown(&f);
}

Test(site_summary, json_escapes_script_breakers) {
  ss_buf b = SS_BUF_INIT;
  ss_buf_put_json(&b, "a\"b\\c</script>\n\xe2\x80\xa8");
  cr_expect_str_eq(b.data, "\"a\\\"b\\\\c<\\/script>\\u000a\\u2028\"");
  ss_buf_free(&b);
}

Test(site_summary, words_lowercase_runs) {
  ss_buf b = SS_BUF_INIT;
  ss_site_words("Fuel-UI, a REST API: v2 x", 25, &b);
  cr_expect_str_eq(b.data, "fuel ui rest api v2");
  ss_buf_free(&b);
}

/* --- whole builds ---------------------------------------------------- */

static char S_tmp[256];

static void S_write(const char *rel, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", S_tmp, rel);
  cr_assert(ss_fs_write(path, text, strlen(text)), "write %s", path);
}

static char *S_read(const char *rel) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", S_tmp, rel);
  size_t len;
  return ss_read_file(path, &len);
}

static bool S_exists(const char *rel) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", S_tmp, rel);
  return access(path, F_OK) == 0;
}

static void S_repo(void) {
  snprintf(S_tmp, sizeof S_tmp, "/tmp/specsite-test-site-XXXXXX");
  cr_assert_not_null(mkdtemp(S_tmp));
  S_write("repo/specs/1.0/a.rst", "=\nA\n=\n\nProblem description\n"
                                  "===================\n\nText.\n");
  S_write("repo/specs/1.0/b.rst", "=\nB\n=\n\nText about zebras.\n");
  S_write("repo/specs/2.0/approved/c.rst", "=\nC\n=\n\nMore.\n");
  S_write("repo/specs/2.0/redirects", "approved/old-c.rst ../approved/c.rst\n"
                                      "../../../etc/evil.rst x.rst\n");
}

static int S_build(ss_site_stats *st, bool werror) {
  char src[512], out[512];
  snprintf(src, sizeof src, "%s/repo", S_tmp);
  snprintf(out, sizeof out, "%s/out", S_tmp);
  ss_site_options o = {.src = src,
                       .out = out,
                       .quiet = true,
                       .warnings_are_errors = werror,
                       .jobs = 2};
  memset(st, 0, sizeof *st);
  return ss_site_build(&o, st);
}

/* The repository built where its layout says (doc/build/html for a
 * Sphinx layout). */
static int S_build_layout(ss_site_stats *st) {
  char src[512];
  snprintf(src, sizeof src, "%s/repo", S_tmp);
  ss_site_options o = {.src = src, .quiet = true};
  memset(st, 0, sizeof *st);
  return ss_site_build(&o, st);
}

static void S_cleanup(void) { ss_fs_remove_tree(S_tmp); }

/* Link files (a checkout without symlinks), symlinks, missing folders:
 * what each path resolves to, and what is there. */
Test(site_paths, resolver_follows_link_files_and_stops_at_missing) {
  S_repo();
  S_write("repo/images/real/a.png", "PNG bytes, not a path\n");
  S_write("repo/doc/images", "../images\n"); /* a link file */
  char root[512], link[512];
  snprintf(root, sizeof root, "%s/repo/doc", S_tmp);
  snprintf(link, sizeof link, "%s/repo/doc/pics", S_tmp);
  cr_assert_eq(symlink("../images/real", link), 0);
  ss_fs_resolver r = {.root = root};
  struct stat sb;
  char *p = ss_fs_resolver_get(&r, "images/real/a.png", &sb);
  cr_expect(S_ISREG(sb.st_mode), "through a link file: %s", p);
  cr_expect(strstr(p, "/doc/../images/real/a.png") != NULL, "%s", p);
  free(p);
  p = ss_fs_resolver_get(&r, "pics/a.png", &sb);
  cr_expect(S_ISREG(sb.st_mode), "through a symlink: %s", p);
  free(p);
  p = ss_fs_resolver_get(&r, "images/real/none.png", &sb);
  cr_expect_eq(sb.st_mode, 0u, "a missing file has no mode");
  free(p);
  p = ss_fs_resolver_get(&r, "nowhere/deeper/x.png", &sb);
  cr_expect_eq(sb.st_mode, 0u);
  cr_expect(strstr(p, "/doc/nowhere/deeper/x.png") != NULL, "%s", p);
  free(p);
  /* Each folder looked up once, the missing one's child too (without a
   * system call). */
  cr_expect_eq(r.n, 5u, "images, images/real, pics, nowhere, deeper: %zu", r.n);
  ss_fs_resolver_free(&r);
  p = ss_fs_resolve(root, "images", &sb);
  cr_expect(S_ISDIR(sb.st_mode));
  free(p);
  S_cleanup();
}

Test(site_build, pages_releases_redirects) {
  S_repo();
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  cr_expect_eq(st.pages, 3);
  cr_expect_eq(st.specs, 3);
  cr_expect(S_exists("out/specs/1.0/a.html"));
  cr_expect(S_exists("out/specs/2.0/approved/c.html"));
  cr_expect(S_exists("out/specs/1.0/index.html"));
  cr_expect(S_exists("out/index.html"));
  cr_expect(S_exists("out/search.html"));
  cr_expect(S_exists("out/_sources/specs/1.0/a.rst.txt"));
  char *index = S_read("out/index.html");
  cr_assert_not_null(index);
  /* Newest release first. */
  char *r2 = strstr(index, "release-2.0"), *r1 = strstr(index, "release-1.0");
  cr_expect(r2 && r1 && r2 < r1);
  free(index);
  char *moved = S_read("out/specs/2.0/approved/old-c.html");
  cr_assert_not_null(moved);
  cr_expect(strstr(moved, "url=../approved/c.html") != NULL);
  free(moved);
  cr_expect(!S_exists("etc/evil.html"), "a redirect may not leave the site");
  char *a = S_read("out/specs/1.0/a.html");
  cr_expect(strstr(a, "href=\"b.html\" rel=\"next\"") != NULL, "next link");
  free(a);
  free(st.out);
  S_cleanup();
}

/* serve's rebuilds: the memo stands in for the walk while only pages'
 * contents change; anything else it does not know makes the build walk
 * again. */
Test(site_build, memo_and_touched_files) {
  S_repo();
  char src[512], out[512], a[512], d[512];
  snprintf(src, sizeof src, "%s/repo", S_tmp);
  snprintf(out, sizeof out, "%s/out", S_tmp);
  snprintf(a, sizeof a, "%s/repo/specs/1.0/a.rst", S_tmp);
  snprintf(d, sizeof d, "%s/repo/specs/1.0/d.rst", S_tmp);
  ss_site_memo *memo = ss_site_memo_new();
  ss_site_options o = {
      .src = src, .out = out, .quiet = true, .jobs = 1, .memo = memo};
  ss_site_stats st;
  cr_assert_eq(ss_site_build(&o, &st), 0);
  cr_expect_eq(st.pages, 3);
  ss_site_stats_free(&st);

  /* A page's contents change: named, it is made again. */
  S_write("repo/specs/1.0/a.rst", "=\nA\n=\n\nProblem description\n"
                                  "===================\n\nNEW-TEXT.\n");
  const char *touched[] = {a};
  o.touched = touched;
  o.n_touched = 1;
  cr_assert_eq(ss_site_build(&o, &st), 0);
  cr_expect_eq(st.rendered, 1);
  ss_site_stats_free(&st);
  char *page = S_read("out/specs/1.0/a.html");
  cr_expect(page && strstr(page, "NEW-TEXT"), "the edit is on the page");
  free(page);

  /* A new page, named as if it were a touched one (the memo does not
   * know it): the build walks and finds it. */
  S_write("repo/specs/1.0/d.rst", "=\nD\n=\n\nFound.\n");
  touched[0] = d;
  cr_assert_eq(ss_site_build(&o, &st), 0);
  cr_expect_eq(st.pages, 4, "the new page was found");
  ss_site_stats_free(&st);
  cr_expect(S_exists("out/specs/1.0/d.html"));

  /* Unknown changes (touched NULL): walked, the page removed is gone. */
  unlink(d);
  o.touched = NULL;
  o.n_touched = 0;
  cr_assert_eq(ss_site_build(&o, &st), 0);
  cr_expect_eq(st.pages, 3);
  ss_site_stats_free(&st);
  cr_expect(!S_exists("out/specs/1.0/d.html"));
  ss_site_memo_free(memo);
  S_cleanup();
}

/* nova-specs' redirect extension: redirects files in any folder,
 * chains and absolute URLs without a warning, a redirect in place of a
 * page; a warning only for a target that is nothing. */
Test(site_build, redirects_as_the_extension_writes_them) {
  S_repo();
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  int before = st.warnings;
  S_write("repo/specs/1.0/redirects",
          "x.rst y.rst\ny.rst b.rst\nz.rst https://example.org/z\n"
          "a.rst b.rst\nw.rst nowhere.rst\n");
  S_write("repo/specs/1.0/deep/redirects", "q.rst ../b.rst\n");
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  cr_expect_eq(st.warnings, before + 1, "only w -> nowhere: %d, %d before",
               st.warnings, before);
  char *x = S_read("out/specs/1.0/x.html");
  cr_expect(x && strstr(x, "url=y.html"), "a chain: x -> y -> b");
  free(x);
  char *z = S_read("out/specs/1.0/z.html");
  cr_expect(z && strstr(z, "url=https://example.org/z"), "an absolute URL");
  free(z);
  char *a = S_read("out/specs/1.0/a.html");
  cr_expect(a && strstr(a, "url=b.html"), "in place of the page, as Sphinx");
  free(a);
  char *q = S_read("out/specs/1.0/deep/q.html");
  cr_expect(q && strstr(q, "url=../b.html"), "a redirects file anywhere");
  free(q);
  S_cleanup();
}

/* A symlink to nothing is Sphinx's "document not readable". */
Test(site_build, dangling_symlink_is_not_readable) {
  S_repo();
  char link[512];
  snprintf(link, sizeof link, "%s/repo/specs/1.0/gone.rst", S_tmp);
  cr_assert_eq(symlink("../../nowhere/gone.rst", link), 0);
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  int with = st.warnings;
  unlink(link);
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  cr_expect_eq(with, st.warnings + 1);
  cr_expect(!S_exists("out/specs/1.0/gone.html"));
  S_cleanup();
}

/* Sphinx's citations are the project's: a reference finds the citation
 * in any page, the later page's when two define it (with Sphinx's
 * warning); one nowhere is Sphinx's "citation not found". */
Test(site_build, citations_across_pages) {
  S_repo();
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  int before = st.warnings;
  S_write("repo/specs/1.0/a.rst",
          "=\nA\n=\n\nSee [REF]_, [ONLYB]_ and [NONE]_.\n\n.. [REF] In A.\n");
  S_write("repo/specs/1.0/b.rst",
          "=\nB\n=\n\nText.\n\n.. [REF] In B.\n\n.. [ONLYB] Only in B.\n");
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  cr_expect_eq(st.warnings, before + 2, "duplicate REF, NONE not found: %d",
               st.warnings - before);
  char *a = S_read("out/specs/1.0/a.html");
  cr_assert_not_null(a);
  cr_expect(strstr(a, "href=\"b.html#ref\"") != NULL, "the later page's: %s",
            a);
  cr_expect(strstr(a, "href=\"b.html#onlyb\"") != NULL, "another page's");
  cr_expect(strstr(a, "[NONE]") != NULL && !strstr(a, "#none\""),
            "not found: its text");
  free(a);
  S_cleanup();
}

/* conf.py read as data: exclude_patterns (files and folders, "**\/"
 * matching at the root too), html_extra_path and html_static_path
 * copied, html_use_index, keep_warnings, todo_include_todos, project by
 * concatenation; a value that is not a literal is skipped (INFO). Then
 * Sphinx's check_consistency: a document no toctree lists warns, but
 * an orphan, the root document and excluded ones. */
Test(site_build, conf_py_read_as_data) {
  S_repo();
  S_write("repo/doc/source/conf.py",
          "import os\nproject = 'Data' + ' Specs'\n"
          "exclude_patterns = ['**/template.rst', 'drafts']\n"
          "html_extra_path = ['_extra']\nhtml_static_path = ['_static']\n"
          "keep_warnings = True\nhtml_title = os.getcwd()\n");
  S_write("repo/doc/source/_extra/.htaccess", "Redirect 301 /a /b\n");
  S_write("repo/doc/source/_static/custom.css", "body { color: red }\n");
  S_write("repo/doc/source/_static/.hidden", "not copied\n");
  S_write("repo/doc/source/index.rst",
          "Top\n===\n\n.. toctree::\n   :glob:\n\n   *\n   template\n");
  S_write("repo/doc/source/a.rst",
          "A\n=\n\nSee `nowhere`_.\n\n.. todo:: hidden by default\n");
  S_write("repo/doc/source/template.rst", "Template\n========\n");
  S_write("repo/doc/source/drafts/d.rst", "D\n=\n");
  S_write("repo/doc/source/sub/lost.rst", "Lost\n====\n");
  S_write("repo/doc/source/sub/orphan.rst", ":orphan:\n\nOrphan\n======\n");
  ss_site_stats st;
  cr_assert_eq(S_build_layout(&st), 0);
  /* nowhere_; the excluded template named in the toctree; sub/lost. */
  cr_expect_eq(st.warnings, 3, "%d warnings", st.warnings);
  cr_expect(!S_exists("repo/doc/build/html/template.html"), "excluded");
  cr_expect(!S_exists("repo/doc/build/html/drafts/d.html"),
            "an excluded folder");
  cr_expect(S_exists("repo/doc/build/html/sub/orphan.html"));
  char *ht = S_read("repo/doc/build/html/.htaccess");
  cr_expect(ht && strstr(ht, "Redirect"), "html_extra_path at the root");
  free(ht);
  cr_expect(S_exists("repo/doc/build/html/_static/custom.css"));
  cr_expect(!S_exists("repo/doc/build/html/_static/.hidden"));
  cr_expect(S_exists("repo/doc/build/html/genindex.html"), "html_use_index");
  char *a = S_read("repo/doc/build/html/a.html");
  cr_assert_not_null(a);
  cr_expect(strstr(a, "system-message") != NULL, "keep_warnings = True");
  cr_expect(strstr(a, "hidden by default") == NULL,
            "todo_include_todos is False by default");
  cr_expect(strstr(a, "Data Specs") != NULL, "project");
  free(a);
  free(st.out);
  S_cleanup();
}

/* Includes reach anywhere in the repository, as Sphinx reads
 * ../../README.rst from doc/source; never out of it, nor through a
 * symlink that leads out. */
Test(site_build, includes_inside_the_repository) {
  S_repo();
  S_write("repo/README.rst", "The readme's own words.\n");
  S_write("repo/doc/source/conf.py", "project = 'Inc'\n");
  S_write("repo/doc/source/index.rst",
          "Top\n===\n\n.. include:: ../../README.rst\n");
  S_write("repo/doc/source/out.rst",
          ":orphan:\n\nOut\n===\n\n.. include:: ../../../outside.txt\n");
  S_write("outside.txt", "Secret words.\n");
  char link[512];
  snprintf(link, sizeof link, "%s/repo/doc/source/leak.txt", S_tmp);
  cr_assert_eq(symlink("../../../outside.txt", link), 0);
  S_write("repo/doc/source/leak.rst",
          ":orphan:\n\nLeak\n====\n\n.. include:: leak.txt\n");
  ss_site_stats st;
  cr_assert_eq(S_build_layout(&st), 0);
  free(st.out);
  char *index = S_read("repo/doc/build/html/index.html");
  cr_expect(index && strstr(index, "The readme"), "the repository's README");
  free(index);
  for (const char *const *f = (const char *const[]){"out", "leak", NULL}; *f;
       f++) {
    char rel[128];
    snprintf(rel, sizeof rel, "repo/doc/build/html/%s.html", *f);
    char *page = S_read(rel);
    cr_expect(page && !strstr(page, "Secret"), "%s: nothing from outside", *f);
    free(page);
  }
  cr_expect_geq(st.warnings, 2);
  S_cleanup();
}

/* A file name that reads as a URL scheme is linked as a path. */
Test(site_build, scheme_like_file_names_stay_paths) {
  S_repo();
  S_write("repo/specs/1.0/javascript:alert(1);x.rst", "=\nX\n=\n\nText.\n");
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  const char *pages[] = {"out/specs/1.0/index.html", "out/index.html",
                         "out/specs/1.0/b.html"};
  for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
    char *page = S_read(pages[i]);
    cr_assert_not_null(page, "%s", pages[i]);
    cr_expect(strstr(page, "href=\"javascript:") == NULL, "%s", pages[i]);
    cr_expect(strstr(page, "javascript:alert(1);x.html") != NULL, "%s: linked",
              pages[i]);
    free(page);
  }
  S_cleanup();
}

/* :term: names a glossary term of any page, as written or in another
 * case; one in no glossary is Sphinx's warning. */
Test(site_build, terms_across_pages) {
  S_repo();
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  int before = st.warnings;
  S_write("repo/specs/1.0/a.rst",
          "=\nA\n=\n\nSee :term:`Zebra Crossing`, :term:`stripes <zebra "
          "crossing>` and :term:`unicorn`.\n");
  S_write("repo/specs/1.0/b.rst",
          "=\nB\n=\n\n.. glossary::\n\n   Zebra Crossing\n      A road.\n");
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  cr_expect_eq(st.warnings, before + 1, "unicorn: %d", st.warnings - before);
  char *a = S_read("out/specs/1.0/a.html");
  cr_assert_not_null(a);
  const char *first = strstr(a, "href=\"b.html#term-");
  cr_expect(first && strstr(first + 1, "href=\"b.html#term-"),
            "both linked: %s", a);
  cr_expect(strstr(a, ">stripes</span></a>") != NULL);
  free(a);
  S_cleanup();
}

/* :download: as Sphinx's DownloadFiles names them: _downloads/<MD5 of
 * the path below the source root>/<file name>; one not there is
 * Sphinx's warning, naming the full path; a URL stays as it is. */
Test(site_build, downloads_where_sphinx_puts_them) {
  S_repo();
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  int before = st.warnings;
  S_write("repo/specs/1.0/files/a b.txt", "data\n");
  S_write("repo/specs/1.0/a.rst",
          "=\nA\n=\n\nGet :download:`this <files/a b.txt>`, "
          ":download:`missing.txt` and :download:`https://x.org/y.txt`.\n");
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  cr_expect_eq(st.warnings, before + 1, "%d", st.warnings - before);
  char md5[33], want[128];
  ss_md5_hex("specs/1.0/files/a b.txt", 23, md5);
  snprintf(want, sizeof want, "href=\"../../_downloads/%s/a%%20b.txt\"", md5);
  char *a = S_read("out/specs/1.0/a.html");
  cr_assert_not_null(a);
  cr_expect(strstr(a, want) != NULL, "%s in %s", want, a);
  cr_expect(strstr(a, "href=\"https://x.org/y.txt\"") != NULL);
  free(a);
  snprintf(want, sizeof want, "out/_downloads/%s/a b.txt", md5);
  char *copy = S_read(want);
  cr_expect(copy && strcmp(copy, "data\n") == 0, "copied");
  free(copy);
  S_cleanup();
}

/* :any: as Sphinx's ReferencesResolver resolves it: a document, else a
 * label, a term (written in lower case), a citation, in any page; two at
 * once are Sphinx's warning, none its "'any' reference target not
 * found". */
Test(site_build, any_across_pages) {
  S_repo();
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  int before = st.warnings;
  S_write("repo/specs/1.0/a.rst",
          "=\nA\n=\n\n:any:`b`, :any:`zebra-label`, :any:`okapi`, "
          ":any:`nothing`.\n");
  S_write("repo/specs/1.0/b.rst",
          "=\nB\n=\n\n.. _zebra-label:\n\nZebra\n-----\n\n.. glossary::\n\n"
          "   okapi\n      An animal.\n");
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  cr_expect_eq(st.warnings, before + 1, "%d", st.warnings - before);
  char *a = S_read("out/specs/1.0/a.html");
  cr_assert_not_null(a);
  cr_expect(strstr(a, "href=\"b.html\"><span class=\"doc\">B</span>") != NULL,
            "%s", a);
  cr_expect(strstr(a, "href=\"b.html#zebra-label\"") != NULL);
  cr_expect(strstr(a, "href=\"b.html#term-okapi\"") != NULL);
  free(a);
  S_cleanup();
}

/* A rebuild stamps the output folders it checked, and the next one
 * trusts a folder whose stamp holds instead of listing it: files
 * removed or replaced in it since must still be seen. */
Test(site_build, stamped_folders_still_see_removed_and_replaced_files) {
  S_repo();
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  char *a_before = S_read("out/specs/1.0/a.html");
  cr_assert_not_null(a_before);
  /* Past the clock's tick: a folder changed within it is not stamped. */
  nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  size_t len = 0;
  char path[512];
  snprintf(path, sizeof path, "%s/out/.specsite/outputs", S_tmp);
  char *outputs = ss_read_file(path, &len);
  cr_assert_not_null(outputs);
  cr_expect(memmem(outputs, len,
                   "\0"
                   "9\nspecs/1.0"
                   "\0",
                   13) != NULL,
            "a stamp for specs/1.0");
  free(outputs);
  cr_assert_eq(S_build(&st, false), 0);
  cr_expect_eq(st.written, 0, "nothing changed, nothing written");
  free(st.out);
  S_write("out/specs/1.0/a.html.new", "replaced by hand");
  char from[512];
  snprintf(from, sizeof from, "%s/out/specs/1.0/a.html.new", S_tmp);
  snprintf(path, sizeof path, "%s/out/specs/1.0/a.html", S_tmp);
  cr_assert_eq(rename(from, path), 0);
  snprintf(path, sizeof path, "%s/out/specs/1.0/b.html", S_tmp);
  cr_assert_eq(unlink(path), 0);
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  char *a_after = S_read("out/specs/1.0/a.html");
  cr_expect(a_after && strcmp(a_after, a_before) == 0, "a.html made again");
  cr_expect(S_exists("out/specs/1.0/b.html"), "b.html made again");
  free(a_before);
  free(a_after);
  S_cleanup();
}

/* The spec sections bar of page `rel`, as built (malloc'd). */
static char *S_sections_bar(const char *rel) {
  char *page = S_read(rel);
  cr_assert_not_null(page, "%s", rel);
  char *bar = strstr(page, "<nav class=\"sections\"");
  char *end = bar ? strstr(bar, "</nav>") : NULL;
  char *copy = end ? ss_xstrndup(bar, (size_t)(end - bar)) : ss_xstrdup("");
  free(page);
  return copy;
}

/* The template's titles are kept in the cache while the template keeps
 * its size, time and inode: an edit of it, even to the same size, is
 * read again. */
Test(site_build, template_titles_follow_the_template) {
  S_repo();
  const char *tmpl = "========\nTemplate\n========\n\n"
                     "Problem description\n===================\n\nx\n\n"
                     "Zebra plan\n==========\n\nx\n";
  S_write("repo/specs/template.rst", tmpl);
  S_write("repo/specs/1.0/a.rst", "=\nA\n=\n\nProblem description\n"
                                  "===================\n\nText.\n\n"
                                  "Zebra plan\n==========\n\nStripes.\n\n"
                                  "Koala plan\n==========\n\nLeaves.\n");
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  char *bar = S_sections_bar("out/specs/1.0/a.html");
  cr_expect(strstr(bar, "Zebra plan") && !strstr(bar, "Koala plan"), "%s", bar);
  free(bar);
  cr_assert_eq(S_build(&st, false), 0); /* titles from the cache */
  free(st.out);
  bar = S_sections_bar("out/specs/1.0/a.html");
  cr_expect(strstr(bar, "Zebra plan") != NULL, "%s", bar);
  free(bar);
  /* The same size, in place (the same inode): its time tells. */
  char path[512];
  snprintf(path, sizeof path, "%s/repo/specs/template.rst", S_tmp);
  FILE *f = fopen(path, "r+");
  cr_assert_not_null(f);
  char *zebra = strstr(tmpl, "Zebra plan\n==========");
  fseek(f, zebra - tmpl, SEEK_SET);
  fputs("Koala", f);
  fclose(f);
  struct timespec later[2] = {{0, UTIME_OMIT}, {time(NULL) + 5, 0}};
  cr_assert_eq(utimensat(AT_FDCWD, path, later, 0), 0);
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  bar = S_sections_bar("out/specs/1.0/a.html");
  cr_expect(strstr(bar, "Koala plan") && !strstr(bar, "Zebra plan"), "%s", bar);
  free(bar);
  S_cleanup();
}

/* A page is made again when a file it includes changes, and only then;
 * its own source untouched. */
Test(site_build, rebuild_follows_included_files) {
  S_repo();
  S_write("repo/specs/1.0/shared.txt", "Included zebra text.\n");
  S_write("repo/specs/1.0/a.rst", "=\nA\n=\n\nProblem description\n"
                                  "===================\n\n"
                                  ".. include:: shared.txt\n");
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  char *a = S_read("out/specs/1.0/a.html");
  cr_expect(a && strstr(a, "Included zebra text.") != NULL);
  free(a);
  cr_assert_eq(S_build(&st, false), 0);
  cr_expect_eq(st.rendered, 0, "nothing changed: %d rendered", st.rendered);
  free(st.out);
  S_write("repo/specs/1.0/shared.txt", "Included yak text, now longer.\n");
  cr_assert_eq(S_build(&st, false), 0);
  cr_expect_eq(st.rendered, 1, "the including page alone: %d rendered",
               st.rendered);
  free(st.out);
  a = S_read("out/specs/1.0/a.html");
  cr_expect(a && strstr(a, "Included yak text, now longer.") != NULL &&
                !strstr(a, "zebra"),
            "the page shows the included file as it is now");
  free(a);
  /* One missing until the next build: made again once it is there. */
  S_write("repo/specs/1.0/b.rst", "=\nB\n=\n\n.. include:: later.txt\n");
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  S_write("repo/specs/1.0/later.txt", "Written later.\n");
  cr_assert_eq(S_build(&st, false), 0);
  cr_expect_eq(st.rendered, 1, "b again: %d rendered", st.rendered);
  free(st.out);
  char *b = S_read("out/specs/1.0/b.html");
  cr_expect(b && strstr(b, "Written later.") != NULL);
  free(b);
  S_cleanup();
}

/* :doc: references resolve across the site, titled as the page they
 * name is titled (and follow it when that changes); one to no page is
 * its text, with Sphinx's warning. */
Test(site_build, doc_references_link_pages) {
  S_repo();
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  int before = st.warnings; /* the redirects file's bad line */
  S_write("repo/specs/1.0/a.rst",
          "=\nA\n=\n\nSee :doc:`b`, :doc:`the zebra one <b>`,\n"
          ":doc:`/specs/2.0/approved/c` and :doc:`nowhere`.\n");
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  char *a = S_read("out/specs/1.0/a.html");
  cr_assert_not_null(a);
  cr_expect(strstr(a, "href=\"b.html\"") != NULL, "a link to b");
  cr_expect(strstr(a, ">B</span></a>") != NULL, "titled as b is");
  cr_expect(strstr(a, ">the zebra one</span></a>") != NULL,
            "or as the reference says");
  cr_expect(strstr(a, "href=\"../2.0/approved/c.html\"") != NULL,
            "an absolute docname");
  cr_expect(strstr(a, "nowhere") != NULL && !strstr(a, "href=\"nowhere"),
            "an unknown document stays text");
  free(a);
  cr_expect_eq(st.warnings, before + 1,
               "unknown document: 'nowhere' (%d warnings, %d before)",
               st.warnings, before);
  S_write("repo/specs/1.0/b.rst", "=======\nB, now\n=======\n\nZebras.\n");
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  a = S_read("out/specs/1.0/a.html");
  cr_expect(a && strstr(a, ">B, now</span></a>") != NULL,
            "a follows b's new title");
  free(a);
  S_cleanup();
}

/* :ref: to a label of another page links there, at the label, titled
 * as the labelled section (and follows it when that changes); one to
 * no label is its text, with Sphinx's warning. */
Test(site_build, ref_to_labels_of_other_pages) {
  S_repo();
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  int before = st.warnings;
  S_write("repo/specs/1.0/b.rst", "=\nB\n=\n\n.. _zebra-label:\n\n"
                                  "Zebra Section\n-------------\n\nStripes.\n");
  S_write("repo/specs/1.0/a.rst",
          "=\nA\n=\n\nSee :ref:`zebra-label`, :ref:`stripes <zebra-label>`"
          "\nand :ref:`no-such-label`.\n");
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  char *a = S_read("out/specs/1.0/a.html");
  cr_assert_not_null(a);
  cr_expect(strstr(a, "href=\"b.html#zebra-label\"") != NULL, "%s", a);
  cr_expect(strstr(a, ">Zebra Section</span></a>") != NULL,
            "titled as the section");
  cr_expect(strstr(a, ">stripes</span></a>") != NULL, "or as it says");
  cr_expect(strstr(a, "no-such-label") && !strstr(a, "href=\"#no-such"),
            "an unknown label stays text");
  free(a);
  cr_expect_eq(st.warnings, before + 1,
               "undefined label: 'no-such-label' (%d warnings, %d before)",
               st.warnings, before);
  S_write("repo/specs/1.0/b.rst", "=\nB\n=\n\n.. _zebra-label:\n\n"
                                  "Zebra Stripes\n-------------\n\nMore.\n");
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  a = S_read("out/specs/1.0/a.html");
  cr_expect(a && strstr(a, ">Zebra Stripes</span></a>") != NULL,
            "a follows the section's new title");
  free(a);
  S_cleanup();
}

/* Sphinx's standard domain: a label defined in two pages is the later
 * page's (docname order), for the earlier page's own :ref: too, with
 * Sphinx's warning; a label on an untitled element is named only with
 * a title of one's own; "search" and "genindex" are labels already. */
Test(site_build, labels_across_pages_as_sphinx_notes_them) {
  S_repo();
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  int before = st.warnings;
  S_write("repo/specs/1.0/a.rst",
          "=\nA\n=\n\nSee :ref:`twice`, :ref:`search`, :ref:`genindex`,\n"
          ":ref:`list <plain>` and :ref:`plain`.\n\n.. _twice:\n\n"
          "Twice in A\n----------\n\nText.\n");
  S_write("repo/specs/1.0/b.rst",
          "=\nB\n=\n\n.. _twice:\n\nTwice in B\n----------\n\n.. _plain:\n\n"
          "* an untitled element\n");
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  char *a = S_read("out/specs/1.0/a.html");
  cr_assert_not_null(a);
  cr_expect(strstr(a, "href=\"b.html#twice\"><span class=\"std std-ref\">"
                      "Twice in B</span></a>") != NULL,
            "the later page's label, even from the earlier page: %s", a);
  cr_expect(strstr(a, "href=\"../../search.html\"><span class=\"std "
                      "std-ref\">Search Page</span></a>") != NULL,
            "search");
  cr_expect(strstr(a, "href=\"../../genindex.html\"") != NULL, "genindex");
  cr_expect(strstr(a, "href=\"b.html#plain\"><span class=\"std std-ref\">"
                      "list</span></a>") != NULL,
            "an untitled label, with a title");
  /* The duplicate, and :ref:`plain` that has nothing to show. */
  cr_expect_eq(st.warnings, before + 2, "%d warnings, %d before", st.warnings,
               before);
  free(a);
  S_cleanup();
}

/* Sphinx's keep_warnings = False: problems are in the log and the exit
 * status, not in the published page. */
Test(site_build, problems_stay_out_of_pages) {
  S_repo();
  S_write("repo/specs/1.0/a.rst",
          "=\nA\n=\n\nSee `nowhere`_ and *open.\n\n.. unknown-directive::\n");
  ss_site_stats st;
  cr_assert_eq(S_build(&st, true), 1, "-W fails on them");
  free(st.out);
  cr_assert_eq(S_build(&st, false), 0);
  cr_expect_geq(st.warnings, 3);
  free(st.out);
  char *a = S_read("out/specs/1.0/a.html");
  cr_assert_not_null(a);
  cr_expect(strstr(a, "system-message") == NULL, "%s", a);
  cr_expect(strstr(a, "problematic") != NULL, "the text Docutils marks stays");
  free(a);
  S_cleanup();
}

/* objects.inv as Sphinx writes it: documents, labels (anchors ending
 * with the name as "$", dispname "-" when it is the name), Sphinx's own
 * labels, sorted; zlib after four header lines. */
Test(site_build, inventory_as_sphinx_writes_it) {
  S_repo();
  S_write("repo/specs/1.0/a.rst",
          "=\nA\n=\n\n.. _work-items:\n\nWork items\n----------\n\n"
          ".. _plain label:\n\n* untitled\n");
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  size_t len;
  char path[512];
  snprintf(path, sizeof path, "%s/out/objects.inv", S_tmp);
  char *inv = ss_read_file(path, &len);
  cr_assert_not_null(inv);
  const char *head = "# Sphinx inventory version 2\n# Project: ";
  cr_assert(strncmp(inv, head, strlen(head)) == 0);
  const char *z = inv;
  for (int i = 0; i < 4; i++)
    z = strchr(z, '\n') + 1;
  uLongf out_len = 1 << 20;
  char *text = ss_xcalloc(out_len + 1, 1);
  cr_assert_eq(uncompress((Bytef *)text, &out_len, (const Bytef *)z,
                          (uLong)(len - (size_t)(z - inv))),
               Z_OK);
  const char *want[] = {
      "genindex std:label -1 genindex.html Index\n",
      "plain label std:label -1 specs/1.0/a.html#plain-label -\n",
      "specs/1.0/a std:doc -1 specs/1.0/a.html A\n",
      "work-items std:label -1 specs/1.0/a.html#$ Work items\n",
      "search std:label -1 search.html Search Page\n"};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    cr_expect(strstr(text, want[i]) != NULL, "%s in:\n%s", want[i], text);
  const char *g = strstr(text, "genindex"), *sp = strstr(text, "specs/1.0/a ");
  cr_expect(g && sp && g < sp, "sorted by name");
  free(text);
  free(inv);
  S_cleanup();
}

/* -b xml: each document's tree once the project is read, as Sphinx's
 * xml builder writes it: references across documents by relative
 * docname, within one by refid; no site around them. */
Test(site_build, xml_builder_writes_resolved_trees) {
  S_repo();
  S_write("repo/specs/1.0/a.rst",
          ".. a comment\n\n:orphan:\n:author: Someone\n\n"
          "=\nA\n=\n\nSee :doc:`b`, :doc:`/specs/2.0/approved/c` and "
          ":ref:`here`.\n\n.. _here:\n\nHere\n----\n\n:not: metadata\n");
  char src[512], out[512];
  snprintf(src, sizeof src, "%s/repo", S_tmp);
  snprintf(out, sizeof out, "%s/xml", S_tmp);
  ss_site_options o = {.src = src, .out = out, .quiet = true, .xml = true};
  ss_site_stats st;
  cr_assert_eq(ss_site_build(&o, &st), 0);
  free(st.out);
  char *a = S_read("xml/specs/1.0/a.xml");
  cr_assert_not_null(a);
  cr_expect(strncmp(a, "<?xml", 5) == 0, "%s", a);
  cr_expect(strstr(a, "refuri=\"b\"") != NULL, "%s", a);
  cr_expect(strstr(a, "refuri=\"../2.0/approved/c\"") != NULL, "%s", a);
  cr_expect(strstr(a, "refid=\"here\"") != NULL, "%s", a);
  cr_expect(strstr(a, ".html") == NULL, "%s", a);
  /* The field list a document begins with is its metadata, which Sphinx
   * takes out of the tree; one inside a section is content. */
  cr_expect(strstr(a, "author") == NULL && strstr(a, ">not<") != NULL, "%s", a);
  free(a);
  cr_expect(S_exists("xml/specs/1.0/b.xml"));
  cr_expect(!S_exists("xml/index.html") && !S_exists("xml/searchindex.js") &&
                !S_exists("xml/_static"),
            "no site around the trees");
  S_cleanup();
}

/* Releases newest first: versions as versions, series names in their
 * alphabetical cycle after the numbers, folders of no release last. */
Test(site_build, releases_in_order) {
  snprintf(S_tmp, sizeof S_tmp, "/tmp/specsite-test-site-XXXXXX");
  cr_assert_not_null(mkdtemp(S_tmp));
  const char *names[] = {"4.3",  "backlog", "36.0",      "kilo-implemented",
                         "yoga", "2026.2",  "kilo",      "zed",
                         "9.0",  "2023.1",  "untargeted"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    char rel[256];
    snprintf(rel, sizeof rel, "repo/specs/%s/a.rst", names[i]);
    S_write(rel, "=\nA\n=\n");
  }
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  char *page = S_read("out/specs/9.0/a.html");
  cr_assert_not_null(page);
  const char *want[] = {"2026.2",  "2023.1",    "36.0",
                        "9.0",     "4.3",       "zed",
                        "yoga",    "kilo",      "kilo-implemented",
                        "backlog", "untargeted"};
  const char *at = strstr(page, "class=\"releases\"");
  cr_assert_not_null(at);
  for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
    char link[64];
    snprintf(link, sizeof link, ">%s</a>", want[i]);
    const char *next = strstr(at, link);
    cr_expect(next != NULL, "%s after %s", want[i], i ? want[i - 1] : "-");
    if (next)
      at = next;
  }
  free(page);
  S_cleanup();
}

Test(site_build, rebuild_renders_only_the_changed_page) {
  S_repo();
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  cr_assert_eq(S_build(&st, false), 0);
  cr_expect_eq(st.rendered, 0);
  cr_expect_eq(st.written, 0, "nothing changed: every file linked");
  free(st.out);
  sleep(1); /* a new mtime even on coarse file systems */
  S_write("repo/specs/1.0/b.rst", "=\nB\n=\n\nText about okapis.\n");
  cr_assert_eq(S_build(&st, false), 0);
  cr_expect_eq(st.rendered, 1);
  char *b = S_read("out/specs/1.0/b.html");
  cr_expect(strstr(b, "okapis") != NULL);
  free(b);
  free(st.out);
  S_cleanup();
}

static unsigned long S_inode(const char *rel) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", S_tmp, rel);
  struct stat sb;
  cr_assert_eq(stat(path, &sb), 0, "stat %s", path);
  return (unsigned long)sb.st_ino;
}

/* A build that stopped after its journal was in place (the commit
 * point) is finished by the next one, and applying a journal twice does
 * not exchange the files back. */
Test(site_build, journal_is_applied_once_and_idempotent) {
  snprintf(S_tmp, sizeof S_tmp, "/tmp/specsite-test-site-XXXXXX");
  cr_assert_not_null(mkdtemp(S_tmp));
  S_write("out/a.html", "old a");
  S_write("out/gone.html", "gone");
  S_write("out/.specsite/new/0", "new a");
  S_write("out/.specsite/new/1", "new b");
  char journal[256];
  snprintf(journal, sizeof journal,
           "put %lu 0 a.html\nput %lu 1 sub/b.html\n"
           "del gone.html\ndel ../outside.html\n",
           S_inode("out/.specsite/new/0"), S_inode("out/.specsite/new/1"));
  S_write("outside.html", "not in OUT");
  S_write("out/.specsite/journal", journal);
  char out[512];
  snprintf(out, sizeof out, "%s/out", S_tmp);
  ss_site site = {.out = out};
  cr_assert(ss_site_recover(&site));
  char *a = S_read("out/a.html"), *b = S_read("out/sub/b.html");
  cr_expect_str_eq(a ? a : "", "new a");
  cr_expect_str_eq(b ? b : "", "new b");
  free(a);
  free(b);
  cr_expect(!S_exists("out/gone.html"));
  cr_expect(S_exists("outside.html"), "a journal names files inside OUT only");
  cr_expect(!S_exists("out/.specsite/journal"));
  cr_expect(!S_exists("out/.specsite/new/0"), "the old files are removed");
  /* Applied again (as after a stop right after the exchange, before the
   * journal was removed), with the old file back in its numbered place:
   * the new one stays in OUT. */
  S_write("out/.specsite/new/0", "old a");
  S_write("out/.specsite/journal", journal);
  cr_assert(ss_site_recover(&site));
  a = S_read("out/a.html");
  cr_expect_str_eq(a ? a : "", "new a");
  free(a);
  S_cleanup();
}

static int S_build_full(const char *out_name) {
  char src[512], out[512];
  snprintf(src, sizeof src, "%s/repo", S_tmp);
  snprintf(out, sizeof out, "%s/%s", S_tmp, out_name);
  ss_site_options o = {.src = src, .out = out, .quiet = true, .full = true};
  return ss_site_build(&o, NULL);
}

static void S_same_file(const char *a_rel, const char *b_rel) {
  char *a = S_read(a_rel), *b = S_read(b_rel);
  cr_assert(a && b, "%s and %s exist", a_rel, b_rel);
  cr_expect_str_eq(a, b, "%s differs from %s", a_rel, b_rel);
  free(a);
  free(b);
}

/* A rebuild takes the unchanged pages' search entries from the last
 * searchindex.js; the index must come out as a full build makes it,
 * also when that file was edited or removed by hand. */
Test(site_build, search_index_rebuilt_from_the_last_one) {
  S_repo();
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  sleep(1);
  S_write("repo/specs/1.0/b.rst", "=\nB\n=\n\nText about okapis.\n");
  cr_assert_eq(S_build(&st, false), 0);
  cr_expect_eq(st.rendered, 1);
  free(st.out);
  char *index = S_read("out/searchindex.js");
  cr_assert_not_null(index);
  cr_expect(strstr(index, "okapis") && !strstr(index, "zebras"));
  free(index);
  cr_assert_eq(S_build_full("full"), 0);
  S_same_file("out/searchindex.js", "full/searchindex.js");
  /* Edited by hand: the summaries that point into it are not used. */
  S_write("out/searchindex.js", "// emptied\n");
  cr_assert_eq(S_build(&st, false), 0);
  cr_expect_eq(st.rendered, 3);
  free(st.out);
  S_same_file("out/searchindex.js", "full/searchindex.js");
  char path[512];
  snprintf(path, sizeof path, "%s/out/searchindex.js", S_tmp);
  cr_assert_eq(unlink(path), 0);
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  S_same_file("out/searchindex.js", "full/searchindex.js");
  S_cleanup();
}

static int S_git_commit(const char *date, const char *message) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd,
           "cd %s/repo && (git init -q 2>/dev/null; true) && git add -A && "
           "GIT_AUTHOR_DATE=%s GIT_COMMITTER_DATE=%s git -c user.name=t -c "
           "user.email=t@example.org commit -q -m %s",
           S_tmp, date, date, message);
  return system(cmd);
}

static bool S_page_has(const char *rel, const char *text) {
  char *page = S_read(rel);
  bool yes = page && strstr(page, text);
  free(page);
  return yes;
}

/* Dates come from the last commit of each file; git runs only when
 * HEAD moved: with no git to run, a rebuild still has them. */
Test(site_build, git_dates_kept_while_head_stays) {
  if (system("git --version >/dev/null 2>&1") != 0)
    cr_skip_test("git is not installed: dates from git not tested");
  S_repo();
  cr_assert_eq(S_git_commit("2001-02-03T04:05:06Z", "one"), 0);
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  cr_expect(S_page_has("out/specs/1.0/a.html", "2001-02-03"));
  char *path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
  setenv("PATH", "/nonexistent", 1);
  sleep(1);
  S_write("repo/specs/1.0/a.rst", "=\nA\n=\n\nChanged, not committed.\n");
  int rc = S_build(&st, false);
  setenv("PATH", path ? path : "/usr/bin:/bin", 1);
  free(path);
  cr_assert_eq(rc, 0);
  free(st.out);
  cr_expect_eq(st.rendered, 1);
  cr_expect(S_page_has("out/specs/1.0/a.html", "Changed, not committed"));
  cr_expect(S_page_has("out/specs/1.0/a.html", "2001-02-03"),
            "the date of the last commit, from the cache");
  cr_assert_eq(S_git_commit("2002-03-04T05:06:07Z", "two"), 0);
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  cr_expect(S_page_has("out/specs/1.0/a.html", "2002-03-04"),
            "HEAD moved: git asked again");
  cr_expect(S_page_has("out/specs/1.0/b.html", "2001-02-03"));
  S_cleanup();
}

/* A source touched but not changed (same bytes) is not read into a new
 * page: its page shows the day of its date, which a touch the same day
 * does not change. Without git the date is the mtime, so the feed (which
 * has the second) is written again; in git it is the last commit's and
 * nothing is written. Either way the site is a full build's. */
Test(site_build, touched_sources_same_bytes) {
  if (system("git --version >/dev/null 2>&1") != 0)
    cr_skip_test("git is not installed: touched sources not tested");
  S_repo();
  char path[512];
  snprintf(path, sizeof path, "%s/repo/specs/1.0/b.rst", S_tmp);
  /* Times of the same day, whenever the test runs. */
  struct utimbuf morning = {1577872800, 1577872800}; /* 2020-01-01 10:00 */
  struct utimbuf later = {1577872805, 1577872805};
  cr_assert_eq(utime(path, &morning), 0);
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  cr_assert_eq(utime(path, &later), 0);
  cr_assert_eq(S_build(&st, false), 0);
  cr_expect_eq(st.rendered, 0, "no git: the same page, the same day");
  cr_expect_eq(st.written, 1, "no git: the feed has the new mtime");
  free(st.out);
  cr_assert_eq(S_build_full("full0"), 0);
  S_same_file("out/atom.xml", "full0/atom.xml");
  S_same_file("out/specs/1.0/b.html", "full0/specs/1.0/b.html");
  cr_assert_eq(S_git_commit("2001-02-03T04:05:06Z", "one"), 0);
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  sleep(1);
  cr_assert_eq(utime(path, NULL), 0);
  cr_assert_eq(S_build(&st, false), 0);
  cr_expect_eq(st.rendered, 0, "git: same bytes, same date");
  cr_expect_eq(st.written, 0);
  free(st.out);
  cr_assert_eq(S_build_full("full"), 0);
  char *a = S_read("out/specs/1.0/b.html"),
       *b = S_read("full/specs/1.0/b.html");
  cr_assert(a && b);
  cr_expect_str_eq(a, b);
  free(a);
  free(b);
  S_cleanup();
}

Test(site_build, werror_keeps_the_last_site) {
  S_repo();
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  char *before = S_read("out/specs/1.0/b.html");
  sleep(1);
  S_write("repo/specs/1.0/b.rst", "=\nB\n=\n\nBroken\n----\n");
  cr_expect_eq(S_build(&st, true), 1);
  char *after = S_read("out/specs/1.0/b.html");
  cr_expect_str_eq(after, before, "-W: the last site is kept");
  cr_expect(!S_exists("out.specsite-new") && !S_exists(".out.specsite-new"),
            "no staging folder left");
  free(before);
  free(after);
  S_cleanup();
}

Test(site_build, refuses_an_output_it_did_not_make) {
  S_repo();
  S_write("out/precious.txt", "keep me\n");
  ss_site_stats st;
  cr_expect_eq(S_build(&st, false), 2);
  char *kept = S_read("out/precious.txt");
  cr_expect_str_eq(kept, "keep me\n");
  free(kept);
  S_cleanup();
}

Test(site_build, toctree_index_expands_titles) {
  S_repo();
  S_write("repo/doc/source/conf.py", "project = 'Toc'\n");
  S_write("repo/doc/source/index.rst",
          "Top\n===\n\n.. toctree::\n   :glob:\n\n   specs/*/*\n   "
          "specs/nothing/*\n");
  char link[512], target[512];
  snprintf(link, sizeof link, "%s/repo/doc/source/specs", S_tmp);
  snprintf(target, sizeof target, "../../specs");
  cr_assert_eq(symlink(target, link), 0);
  ss_site_stats st;
  cr_assert_eq(S_build_layout(&st), 0);
  cr_expect(strstr(st.out, "doc/build/html") != NULL, "Sphinx's folder");
  char *index = S_read("repo/doc/build/html/index.html");
  cr_assert_not_null(index);
  cr_expect(strstr(index, "href=\"specs/1.0/a.html\">A</a>") != NULL, "%s",
            index);
  cr_expect(strstr(index, "<title>Top") != NULL, "the project from conf.py");
  cr_expect_geq(st.warnings, 1, "the glob matching nothing warns");
  free(index);
  free(st.out);
  S_cleanup();
}

/* The n-th toctree of a page's HTML (0-based), up to the next one. */
static char *S_toctree_html(const char *page, int n) {
  const char *at = page;
  for (int i = 0; at && i <= n; i++) {
    at = strstr(at, "toctree-wrapper");
    if (at && i < n)
      at++;
  }
  if (!at)
    return ss_xstrdup("");
  const char *end = strstr(at + 1, "toctree-wrapper");
  return end ? ss_xstrndup(at, (size_t)(end - at)) : ss_xstrdup(at);
}

/* Sphinx's TocTree.resolve: a listed page brings its sections and its
 * own toctrees' entries, to :maxdepth:; hidden toctrees bring nothing;
 * :titlesonly: keeps titles and sub-toctrees; "**" crosses folders;
 * explicit titles, self, URLs, genindex, :caption:. */
Test(site_build, toctrees_nest_as_sphinx_resolves_them) {
  S_repo();
  S_write("repo/doc/source/conf.py", "project = 'Toc'\n");
  S_write("repo/doc/source/index.rst",
          "Top\n===\n\n.. toctree::\n   :maxdepth: 2\n   :caption: Rel\n\n"
          "   specs/r1/index\n   Second <specs/r2/index>\n   self\n"
          "   https://example.org/x\n   genindex\n\n"
          "Other\n=====\n\n.. toctree::\n   :glob:\n   :titlesonly:\n\n"
          "   specs/**\n");
  S_write("repo/doc/source/specs/r1/index.rst",
          "Release one\n===========\n\nSub one\n-------\n\n.. toctree::\n"
          "   :glob:\n\n   *\n\nSub two\n-------\n");
  S_write("repo/doc/source/specs/r1/a.rst",
          "Spec A\n======\n\nProblem\n-------\n\nDeep\n~~~~\n");
  S_write("repo/doc/source/specs/r1/b.rst", "Spec B\n======\n");
  S_write("repo/doc/source/specs/r2/index.rst",
          "Release two\n===========\n\n.. toctree::\n   :hidden:\n\n   c\n\n"
          ".. toctree::\n\n   d\n");
  S_write("repo/doc/source/specs/r2/c.rst", "Spec C\n======\n");
  S_write("repo/doc/source/specs/r2/d.rst", "Spec D\n======\n\nD one\n-----\n");
  ss_site_stats st;
  cr_assert_eq(S_build_layout(&st), 0);
  cr_expect_eq(st.warnings, 0);
  char *index = S_read("repo/doc/build/html/index.html");
  cr_assert_not_null(index);
  char *first = S_toctree_html(index, 0), *second = S_toctree_html(index, 1);
  /* Level 1, the page; level 2, its sections and what its toctrees list. */
  cr_expect(strstr(first, "<li class=\"toctree-l1\"><a class=\"reference "
                          "internal\" href=\"specs/r1/index.html\">Release "
                          "one</a>") != NULL,
            "%s", first);
  cr_expect(strstr(first, "href=\"specs/r1/index.html#sub-one\">Sub one") !=
                NULL,
            "%s", first);
  cr_expect(strstr(first, ">Second</a>") != NULL, "explicit title");
  cr_expect(strstr(first, "class=\"toctree-l2\"><a class=\"reference "
                          "internal\" href=\"specs/r2/d.html\">Spec D") != NULL,
            "a listed page's own toctree, one level down: %s", first);
  cr_expect(strstr(first, "r1/a.html") == NULL,
            "r1's toctree is in a section: level 3, cut by :maxdepth: 2");
  cr_expect(strstr(first, "r2/c.html") == NULL, "a hidden toctree lists none");
  cr_expect(strstr(first, "href=\"index.html\">Top</a>") != NULL, "self");
  cr_expect(strstr(first, "reference external\" href=\"https://example.org/x"
                          "\">https://example.org/x</a>") != NULL,
            "a URL");
  cr_expect(strstr(first, "href=\"genindex.html\">Index</a>") != NULL,
            "genindex");
  cr_expect(strstr(first, "<p class=\"caption\" role=\"heading\"><span "
                          "class=\"caption-text\">Rel</span></p>") != NULL,
            "caption");
  /* "**" reaches every folder; titlesonly keeps no section. */
  cr_expect(strstr(second, "href=\"specs/r2/c.html\">Spec C") != NULL, "%s",
            second);
  cr_expect(strstr(second, "#d-one") == NULL &&
                strstr(second, "#problem") == NULL,
            "titlesonly: %s", second);
  cr_expect(strstr(second, "toctree-l2\"><a class=\"reference internal\" "
                           "href=\"specs/r1/a.html\">Spec A") != NULL,
            "titlesonly keeps sub-toctrees: %s", second);
  free(first);
  free(second);
  free(index);
  free(st.out);
  S_cleanup();
}

/* :reversed: lists the entries, globs expanded, last first. */
Test(site_build, toctree_reversed) {
  S_repo();
  S_write("repo/doc/source/conf.py", "project = 'Toc'\n");
  S_write(
      "repo/doc/source/index.rst",
      "Top\n===\n\n.. toctree::\n   :glob:\n   :reversed:\n\n   a\n   z*\n");
  S_write("repo/doc/source/a.rst", "A\n=\n");
  S_write("repo/doc/source/z1.rst", "Z1\n==\n");
  S_write("repo/doc/source/z2.rst", "Z2\n==\n");
  ss_site_stats st;
  cr_assert_eq(S_build_layout(&st), 0);
  free(st.out);
  char *index = S_read("repo/doc/build/html/index.html");
  cr_assert_not_null(index);
  const char *z2 = strstr(index, "z2.html"), *z1 = strstr(index, "z1.html"),
             *a = strstr(index, "\"a.html");
  cr_expect(z2 && z1 && a && z2 < z1 && z1 < a, "%s", index);
  free(index);
  S_cleanup();
}

/* Sphinx's warnings on reading a toctree. */
Test(site_build, toctree_warnings_as_sphinx_gives_them) {
  S_repo();
  S_write("repo/doc/source/conf.py", "project = 'Toc'\n");
  S_write("repo/doc/source/index.rst",
          "Top\n===\n\n.. toctree::\n\n   a\n   a\n   missing\n\n"
          ".. toctree::\n   :glob:\n\n   a\n   *\n   none/*\n   b*\n");
  S_write("repo/doc/source/a.rst", "A\n=\n");
  S_write("repo/doc/source/b.rst", "B\n=\n\n.. toctree::\n\n   c\n");
  S_write("repo/doc/source/c.rst", "C\n=\n\n.. toctree::\n\n   b\n");
  ss_site_stats st;
  cr_assert_eq(S_build_layout(&st), 0);
  /* Duplicated a, nonexisting missing, glob none/... matching nothing;
   * "*" matches Sphinx's own genindex, modindex, search: no warning, no
   * entry. b* matches b: taken by "*" already. The circle b -> c -> b
   * (on which Sphinx itself runs out of stack) ends, with a warning
   * each time it is met. */
  cr_expect_geq(st.warnings, 5, "%d warnings", st.warnings);
  char *index = S_read("repo/doc/build/html/index.html");
  cr_assert_not_null(index);
  char *second = S_toctree_html(index, 1);
  /* The glob does not list a again, nor the page itself. */
  const char *a = strstr(second, "href=\"a.html\"");
  cr_expect(a && !strstr(a + 1, "href=\"a.html\""), "%s", second);
  cr_expect(!strstr(second, "href=\"index.html\""), "%s", second);
  free(second);
  free(index);
  free(st.out);
  S_cleanup();
}

Test(site_build, plain_folder_and_links_to_sources) {
  /* No specs/, no doc/source: every .rst is a page (specsite's own
   * docs/), and links to another page's .rst go to its page. */
  snprintf(S_tmp, sizeof S_tmp, "/tmp/specsite-test-site-XXXXXX");
  cr_assert_not_null(mkdtemp(S_tmp));
  S_write("repo/index.rst",
          "Docs\n====\n\nSee `the guide <guide/intro.rst#why>`_"
          " and `away <https://example.org/x.rst>`_.\n");
  S_write("repo/guide/intro.rst", "Intro\n=====\n\nWhy\n---\n\nBecause.\n");
  ss_site_stats st;
  cr_assert_eq(S_build(&st, true), 0);
  cr_expect_eq(st.pages, 2);
  char *index = S_read("out/index.html");
  cr_assert_not_null(index);
  cr_expect(strstr(index, "href=\"guide/intro.html#why\"") != NULL, "%s",
            index);
  cr_expect(strstr(index, "href=\"https://example.org/x.rst\"") != NULL,
            "other sites' links stay");
  free(index);
  free(st.out);
  S_cleanup();
}

Test(site_build, images_where_sphinx_puts_them) {
  /* Sphinx's html builder: _images/<name>, a name taken first (pages in
   * docname order) gets a number; "/images/a.png" is relative to the
   * source root. */
  S_repo();
  S_write("repo/images/a.png", "\x89PNG one\r\n");
  S_write("repo/specs/1.0/pics/a.png", "\x89PNG two\r\n");
  ss_site_stats st;
  cr_assert_eq(S_build(&st, false), 0); /* S_repo has a bad redirect */
  free(st.out);
  int before = st.warnings;
  S_write("repo/specs/1.0/img.rst", "=\nI\n=\n\n.. image:: /images/a.png\n\n"
                                    ".. image:: pics/a.png\n\n"
                                    ".. image:: missing.png\n   :scale: 50\n");
  S_write("repo/specs/1.0/b.rst", "=\nB\n=\n\n.. image:: pics/a.png\n");
  cr_assert_eq(S_build(&st, false), 0);
  free(st.out);
  /* Not readable; and, scaled, its size unknown (Sphinx's HTML writer). */
  cr_expect_eq(st.warnings, before + 2, "%d, %d before", st.warnings, before);
  /* b comes first: its pics/a.png is a.png, /images/a.png is a1.png. */
  char *b = S_read("out/specs/1.0/b.html");
  cr_assert_not_null(b);
  cr_expect(strstr(b, "src=\"../../_images/a.png\"") != NULL, "%s", b);
  free(b);
  char *page = S_read("out/specs/1.0/img.html");
  cr_assert_not_null(page);
  cr_expect(strstr(page, "src=\"../../_images/a1.png\"") != NULL, "%s", page);
  cr_expect(strstr(page, "src=\"../../_images/a.png\"") != NULL, "%s", page);
  cr_expect(strstr(page, "alt=\"/images/a.png\"") != NULL);
  cr_expect(strstr(page, "src=\"missing.png\"") != NULL, "as written");
  free(page);
  char *one = S_read("out/_images/a1.png"), *two = S_read("out/_images/a.png");
  cr_expect(one && strstr(one, "one"), "the root's image");
  cr_expect(two && strstr(two, "two"), "the release's image");
  free(one);
  free(two);
  S_cleanup();
}
