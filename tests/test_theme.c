/* Tests for themes: layouts written to a temporary folder, loaded,
 * filled; the built-in theme; filling from several threads. */
#include <criterion/criterion.h>
#include <libxml/HTMLparser.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "theme/internal.h"
#include "theme/theme.h"

/* --- a theme folder ------------------------------------------------- */

static char dir[256];

static void S_mkdir_p(const char *path) {
  char tmp[512];
  snprintf(tmp, sizeof tmp, "%s", path);
  for (char *p = tmp + 1; *p; p++)
    if (*p == '/') {
      *p = '\0';
      mkdir(tmp, 0700);
      *p = '/';
    }
  mkdir(tmp, 0700);
}

static void put_bytes(const char *name, const void *data, size_t len) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  char *slash = strrchr(path, '/');
  *slash = '\0';
  S_mkdir_p(path);
  *slash = '/';
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f, "cannot write %s", path);
  cr_assert_eq(fwrite(data, 1, len, f), len);
  fclose(f);
}

static void put(const char *name, const char *text) {
  put_bytes(name, text, strlen(text));
}

static void new_dir(void) {
  snprintf(dir, sizeof dir, "/tmp/specsite-theme-XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
}

static void rm_dir(void) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0)
    cr_log_warn("could not remove %s", dir);
}

TestSuite(theme, .init = new_dir, .fini = rm_dir);

/* A minimal index.html, for tests about page.html. */
static const char *const INDEX = "<!DOCTYPE html>\n<html><head><title "
                                 "data-slot=\"title\">T</title></head>\n"
                                 "<body><main data-slot=\"body\">x</main>"
                                 "</body></html>\n";

/* Loads the folder; the reports go to *msgs (caller frees). */
static ss_theme *load(char **msgs) {
  size_t size;
  char *text = NULL;
  FILE *out = open_memstream(&text, &size);
  ss_diag d;
  ss_diag_init(&d);
  d.out = out;
  ss_theme *t = ss_theme_load(dir, &d);
  fclose(out);
  if (msgs)
    *msgs = text;
  else
    free(text);
  if (t)
    cr_assert_eq(d.counts[SS_LEVEL_ERROR], 0);
  else
    cr_assert_gt(d.counts[SS_LEVEL_ERROR], 0, "NULL without an error");
  return t;
}

/* Writes page.html (and the minimal index.html), loads, must succeed. */
static ss_theme *load_page(const char *page) {
  put("page.html", page);
  put("index.html", INDEX);
  char *msgs;
  ss_theme *t = load(&msgs);
  cr_assert_not_null(t, "the theme did not load:\n%s", msgs);
  free(msgs);
  return t;
}

static char *fill(const ss_theme *t, ss_layout layout, const char *root,
                  const char *const values[SS_SLOT__COUNT]) {
  ss_buf out = SS_BUF_INIT;
  ss_theme_fill(t, layout, root, values, &out);
  return ss_buf_detach(&out);
}

#define HAS(s, needle)                                                         \
  cr_assert_not_null(strstr(s, needle), "no «%s» in:\n%s", needle, s)
#define HAS_NOT(s, needle)                                                     \
  cr_assert_null(strstr(s, needle), "«%s» should not be in:\n%s", needle, s)

/* --- slots ------------------------------------------------------------ */

Test(theme, slots_are_filled_and_empty_ones_dropped) {
  ss_theme *t = load_page(
      "<!DOCTYPE html>\n<html lang=\"en\"><head>"
      "<title data-slot=\"title\">Placeholder title</title></head>\n"
      "<body><p class=\"bp\" data-slot=\"blueprint\">old <b>bp</b></p>"
      "<nav class=\"o\" data-slot=\"outline\"><ul><li>x</li></ul></nav>"
      "<main id=\"content\" data-slot=\"body\">Placeholder body</main>"
      "<p>after</p></body></html>\n");
  const char *v[SS_SLOT__COUNT] = {0};
  v[SS_SLOT_TITLE] = "A &amp; B";
  v[SS_SLOT_BODY] = "<h1>Hello</h1>";
  v[SS_SLOT_OUTLINE] = ""; /* empty: left out like NULL */
  char *html = fill(t, SS_LAYOUT_PAGE, "", v);
  HAS(html, "<!DOCTYPE html>\n");
  HAS(html, "<html lang=\"en\">");
  HAS(html, "<title>A &amp; B</title>");
  HAS(html, "<main id=\"content\"><h1>Hello</h1></main><p>after</p>");
  HAS_NOT(html, "Placeholder");
  HAS_NOT(html, "data-slot");
  HAS_NOT(html, "class=\"bp\"");
  HAS_NOT(html, "old");
  HAS_NOT(html, "<nav");
  cr_assert(ss_theme_has_slot(t, SS_LAYOUT_PAGE, SS_SLOT_OUTLINE));
  cr_assert(ss_theme_has_slot(t, SS_LAYOUT_PAGE, SS_SLOT_BLUEPRINT));
  cr_assert_not(ss_theme_has_slot(t, SS_LAYOUT_PAGE, SS_SLOT_RELEASES));
  cr_assert_not(ss_theme_has_slot(t, SS_LAYOUT_INDEX, SS_SLOT_OUTLINE));
  free(html);

  /* Filled the other way round: the blueprint element comes back. */
  v[SS_SLOT_BLUEPRINT] = "<a href=\"https://x/+spec/y\">y</a>";
  v[SS_SLOT_BODY] = NULL;
  html = fill(t, SS_LAYOUT_PAGE, "", v);
  HAS(html,
      "<p class=\"bp\"><a href=\"https://x/+spec/y\">y</a></p><p>after</p>");
  HAS_NOT(html, "<main");
  free(html);
  ss_theme_free(t);
}

Test(theme, slot_names) {
  cr_assert_str_eq(ss_theme_slot_name(SS_SLOT_TITLE), "title");
  cr_assert_str_eq(ss_theme_slot_name(SS_SLOT_BREADCRUMBS), "breadcrumbs");
  cr_assert_str_eq(ss_theme_slot_name(SS_SLOT_UPDATED), "updated");
  cr_assert_null(ss_theme_slot_name(SS_SLOT__COUNT));
}

Test(theme, slot_element_keeps_its_attributes_rewritten) {
  ss_theme *t =
      load_page("<html><body><a class=\"project\" href=\"index.html\" "
                "data-slot=\"project\">Name</a></body></html>");
  const char *v[SS_SLOT__COUNT] = {[SS_SLOT_PROJECT] = "Fuel"};
  char *html = fill(t, SS_LAYOUT_PAGE, "../", v);
  HAS(html, "<a class=\"project\" href=\"../index.html\">Fuel</a>");
  free(html);
  ss_theme_free(t);
}

/* --- errors --------------------------------------------------------- */

Test(theme, unknown_slot_is_an_error_with_file_and_line) {
  put("page.html", "<!DOCTYPE html>\n<html>\n<body>\n<main "
                   "data-slot=\"body\">x</main>\n<div "
                   "data-slot=\"sidebar\">y</div>\n</body></html>\n");
  put("index.html", INDEX);
  char *msgs;
  ss_theme *t = load(&msgs);
  cr_assert_null(t);
  char want[512];
  snprintf(want, sizeof want, "%s/page.html:5: ERROR: ", dir);
  HAS(msgs, want);
  HAS(msgs, "sidebar");
  free(msgs);
}

Test(theme, missing_layout_is_an_error) {
  put("page.html", INDEX);
  put("style.css", "body {}");
  char *msgs;
  cr_assert_null(load(&msgs));
  HAS(msgs, "index.html");
  HAS(msgs, "ERROR");
  free(msgs);
}

Test(theme, missing_folder_is_an_error) {
  char *msgs;
  char saved[sizeof dir];
  snprintf(saved, sizeof saved, "%s", dir);
  snprintf(dir, sizeof dir, "%.200s/nowhere", saved);
  cr_assert_null(load(&msgs));
  HAS(msgs, "nowhere");
  free(msgs);
  snprintf(dir, sizeof dir, "%s", saved);
}

Test(theme, broken_html_is_an_error_with_line) {
  put("page.html", "<!DOCTYPE html>\n<html><body>\n<p>one</p>\n</spam>\n"
                   "</body></html>\n");
  put("index.html", INDEX);
  char *msgs;
  cr_assert_null(load(&msgs));
  char want[512];
  snprintf(want, sizeof want, "%s/page.html:4: ERROR: ", dir);
  HAS(msgs, want);
  HAS(msgs, "spam");
  free(msgs);
}

Test(theme, unknown_element_is_an_error_html5_ones_are_not) {
  put("page.html",
      "<!DOCTYPE html>\n<html><body>\n<header><nav></nav></header>\n"
      "<main data-slot=\"body\"><section><details><summary>s</summary>"
      "</details></section></main>\n<my-widget></my-widget>\n"
      "<svg><path d=\"M0 0\"/></svg>\n<footer><dvi>x</dvi></footer>\n"
      "</body></html>\n");
  put("index.html", INDEX);
  char *msgs;
  cr_assert_null(load(&msgs));
  char want[512];
  snprintf(want, sizeof want, "%s/page.html:7: ERROR: unknown element <dvi>",
           dir);
  HAS(msgs, want);
  /* one report only: the HTML5 elements, the custom element and the SVG
   * are fine */
  size_t lines = 0;
  for (const char *p = msgs; *p; p++)
    lines += *p == '\n';
  cr_assert_eq(lines, 1, "%s", msgs);
  free(msgs);
}

Test(theme, empty_layout_is_an_error) {
  put("page.html", "");
  put("index.html", INDEX);
  char *msgs;
  cr_assert_null(load(&msgs));
  HAS(msgs, "page.html");
  free(msgs);
}

Test(theme, folder_with_trailing_slash_names_files_once) {
  put("page.html", "<html><body><div data-slot=\"nope\"></div></body></html>");
  put("index.html", INDEX);
  char saved[sizeof dir];
  snprintf(saved, sizeof saved, "%s", dir);
  snprintf(dir, sizeof dir, "%.200s/", saved);
  char *msgs;
  cr_assert_null(load(&msgs));
  snprintf(dir, sizeof dir, "%s", saved);
  char want[512];
  snprintf(want, sizeof want, "%s/page.html:1: ERROR: ", dir);
  HAS(msgs, want);
  free(msgs);
}

Test(theme, slot_on_void_element_is_an_error) {
  put("page.html", "<html><body>\n<img data-slot=\"body\" src=\"a.png\">\n"
                   "</body></html>\n");
  put("index.html", INDEX);
  char *msgs;
  cr_assert_null(load(&msgs));
  HAS(msgs, "page.html:2: ERROR: ");
  free(msgs);
}

/* --- URLs ------------------------------------------------------------ */

Test(theme, relative_urls_are_rooted_assets_go_to_static) {
  put("style.css", "body {}");
  put("img/logo.png", "PNG");
  ss_theme *t =
      load_page("<html><head><link rel=\"stylesheet\" href=\"style.css\">"
                "<link rel=\"icon\" href=\"style.css?v=1#x\"></head><body>\n"
                "<img id=\"i1\" src=\"./img/logo.png\" "
                "srcset=\"img/logo.png 1x, big.png 2x,img/logo.png\">\n"
                "<a id=\"a1\" href=\"specs/index.html\">other</a>\n"
                "<a id=\"a2\" href=\"/abs/x.html\">abs</a>\n"
                "<a id=\"a3\" href=\"#frag\">frag</a>\n"
                "<a id=\"a4\" href=\"mailto:someone@example.org\">mail</a>\n"
                "<a id=\"a5\" href=\"https://example.org/x.html\">ext</a>\n"
                "<a id=\"a6\" href=\"?q=1\">query</a>\n"
                "<a id=\"a7\" href=\"//cdn.example.org/x\">net</a>\n"
                "<a id=\"a8\" href=\"\">self</a>\n"
                "<form action=\"search.html\"></form>\n"
                "<video poster=\"img/logo.png\"></video>\n"
                "<a id=\"a9\" title=\"style.css\" href=\"img/\">dir</a>\n"
                "</body></html>\n");
  char *html = fill(t, SS_LAYOUT_PAGE, "../../", NULL);
  HAS(html, "<link rel=\"stylesheet\" href=\"../../_static/style.css\">");
  HAS(html, "href=\"../../_static/style.css?v=1#x\"");
  HAS(html, "src=\"../../_static/img/logo.png\"");
  HAS(html, "srcset=\"../../_static/img/logo.png 1x, ../../big.png "
            "2x,../../_static/img/logo.png\"");
  HAS(html, "id=\"a1\" href=\"../../specs/index.html\"");
  HAS(html, "id=\"a2\" href=\"/abs/x.html\"");
  HAS(html, "id=\"a3\" href=\"#frag\"");
  HAS(html, "id=\"a4\" href=\"mailto:someone@example.org\"");
  HAS(html, "id=\"a5\" href=\"https://example.org/x.html\"");
  HAS(html, "id=\"a6\" href=\"?q=1\"");
  HAS(html, "id=\"a7\" href=\"//cdn.example.org/x\"");
  HAS(html, "id=\"a8\" href=\"\"");
  HAS(html, "<form action=\"../../search.html\"></form>");
  HAS(html, "poster=\"../../_static/img/logo.png\"");
  /* only URL attributes are rewritten; a folder is not an asset */
  HAS(html, "title=\"style.css\" href=\"../../img/\"");
  free(html);

  /* At the root the prefix is empty. */
  html = fill(t, SS_LAYOUT_PAGE, "", NULL);
  HAS(html, "<link rel=\"stylesheet\" href=\"_static/style.css\">");
  HAS(html, "id=\"a1\" href=\"specs/index.html\"");
  free(html);
  ss_theme_free(t);
}

/* --- serializing ------------------------------------------------------ */

Test(theme, attribute_and_text_escaping_survives) {
  ss_theme *t =
      load_page("<html><body><p title='say \"hi\" &amp; &lt;bye&gt;' "
                "data-x=\"caf&eacute;\">1 &lt; 2 &amp;&amp; 3 &gt; 2</p>"
                "<a href=\"x.html?a=1&amp;b=2\">q</a>"
                "<input type=\"search\" required>"
                "<!-- a comment --></body></html>");
  char *html = fill(t, SS_LAYOUT_PAGE, "", NULL);
  HAS(html, "title=\"say &quot;hi&quot; &amp; &lt;bye&gt;\"");
  HAS(html, "data-x=\"café\"");
  HAS(html, ">1 &lt; 2 &amp;&amp; 3 &gt; 2</p>");
  HAS(html, "href=\"x.html?a=1&amp;b=2\"");
  HAS(html, "<input type=\"search\" required>");
  HAS_NOT(html, "</input>");
  HAS(html, "<!-- a comment -->");

  /* The output reads back to the same attribute values. */
  htmlDocPtr doc = htmlReadMemory(html, (int)strlen(html), "t.html", "UTF-8",
                                  HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
  char *title = t_doc_string(doc, "string(//p/@title)");
  cr_assert_str_eq(title, "say \"hi\" & <bye>");
  free(title);
  xmlFreeDoc(doc);
  free(html);
  ss_theme_free(t);
}

Test(theme, script_and_style_are_kept_verbatim) {
  ss_theme *t =
      load_page("<html><head><style>a > b::before { content: \"<&>\"; }</style>"
                "<script>if (a < b && c > d) { s = \"</p>&amp;\"; }</script>"
                "</head><body></body></html>");
  char *html = fill(t, SS_LAYOUT_PAGE, "", NULL);
  HAS(html, "<style>a > b::before { content: \"<&>\"; }</style>");
  HAS(html, "<script>if (a < b && c > d) { s = \"</p>&amp;\"; }</script>");
  free(html);
  ss_theme_free(t);
}

/* --- assets and digest -------------------------------------------------- */

Test(theme, assets_sorted_with_their_bytes) {
  static const unsigned char png[] = {0x89, 'P', 'N', 'G', 0, 1, 2, 0xff};
  put("z.js", "var z;");
  put("a.css", "a {}");
  put_bytes("img/b.png", png, sizeof png);
  put(".hidden", "no");
  put(".git/config", "no");
  put("img/.swp", "no");
  ss_theme *t = load_page(INDEX);
  cr_assert_eq(ss_theme_asset_count(t), 3);
  cr_assert_str_eq(ss_theme_asset_name(t, 0), "a.css");
  cr_assert_str_eq(ss_theme_asset_name(t, 1), "img/b.png");
  cr_assert_str_eq(ss_theme_asset_name(t, 2), "z.js");
  cr_assert_null(ss_theme_asset_name(t, 3));
  size_t len;
  const unsigned char *data = ss_theme_asset_data(t, 1, &len);
  cr_assert_eq(len, sizeof png);
  cr_assert(memcmp(data, png, len) == 0);
  data = ss_theme_asset_data(t, 0, &len);
  cr_assert_eq(len, 4);
  cr_assert(memcmp(data, "a {}", 4) == 0);
  cr_assert_null(ss_theme_asset_data(t, 3, &len));
  ss_theme_free(t);
}

Test(theme, digest_changes_when_a_file_changes) {
  put("a.css", "a {}");
  ss_theme *t1 = load_page(INDEX);
  ss_theme *t2 = load(NULL);
  cr_assert_eq(ss_theme_digest(t1), ss_theme_digest(t2), "same files");
  put("a.css", "a {} ");
  ss_theme *t3 = load(NULL);
  cr_assert_neq(ss_theme_digest(t1), ss_theme_digest(t3), "asset changed");
  put("b.css", "");
  ss_theme *t4 = load(NULL);
  cr_assert_neq(ss_theme_digest(t3), ss_theme_digest(t4), "asset added");
  put("page.html",
      "<html><body><main data-slot=\"body\"></main></body></html>");
  ss_theme *t5 = load(NULL);
  cr_assert_neq(ss_theme_digest(t4), ss_theme_digest(t5), "layout changed");
  ss_theme_free(t1);
  ss_theme_free(t2);
  ss_theme_free(t3);
  ss_theme_free(t4);
  ss_theme_free(t5);
}

/* --- the built-in theme ------------------------------------------------ */

static const char *const SAMPLE[SS_SLOT__COUNT] = {
    [SS_SLOT_TITLE] = "Cache pages &amp; more",
    [SS_SLOT_PROJECT] = "Fuel",
    [SS_SLOT_BODY] = "<section id=\"s\"><h1>Cache</h1><p>Text.</p></section>",
    [SS_SLOT_OUTLINE] = "<ul><li><a href=\"#s\">Cache</a></li></ul>",
    [SS_SLOT_SECTIONS] = "<ul><li><a href=\"#problem-description\">Problem "
                         "description</a></li></ul>",
    [SS_SLOT_BREADCRUMBS] = "<li><a href=\"../../index.html\">Fuel</a></li>"
                            "<li aria-current=\"page\">Cache</li>",
    [SS_SLOT_PREV] = "<a href=\"a.html\" rel=\"prev\">A</a>",
    [SS_SLOT_NEXT] = "<a href=\"c.html\" rel=\"next\">C</a>",
    [SS_SLOT_BLUEPRINT] = "<a class=\"blueprint\" "
                          "href=\"https://blueprints.launchpad.net/fuel/"
                          "+spec/cache\">cache</a>",
    [SS_SLOT_SOURCE] = "<a href=\"../../_sources/specs/8.0/cache.rst.txt\">"
                       "Source</a>",
    [SS_SLOT_RELEASES] = "<li><a href=\"../../specs/8.0/index.html\">8.0</a>"
                         "</li>",
    [SS_SLOT_UPDATED] = "<time datetime=\"2016-03-01\">2016-03-01</time>",
};

Test(theme, builtin_has_every_slot_and_its_assets) {
  ss_theme *t = ss_theme_load_builtin();
  cr_assert_not_null(t);
  for (int s = 0; s < SS_SLOT__COUNT; s++)
    cr_assert(ss_theme_has_slot(t, SS_LAYOUT_PAGE, (ss_theme_slot)s),
              "page.html has no slot %s", ss_theme_slot_name((ss_theme_slot)s));
  static const ss_theme_slot index_slots[] = {SS_SLOT_TITLE, SS_SLOT_PROJECT,
                                              SS_SLOT_BODY, SS_SLOT_BREADCRUMBS,
                                              SS_SLOT_RELEASES};
  for (size_t i = 0; i < sizeof index_slots / sizeof *index_slots; i++)
    cr_assert(ss_theme_has_slot(t, SS_LAYOUT_INDEX, index_slots[i]),
              "index.html has no slot %s", ss_theme_slot_name(index_slots[i]));
  const char *want[] = {"nav.js", "search.js", "specsite.css"};
  size_t found = 0;
  for (size_t i = 0; i < ss_theme_asset_count(t); i++) {
    const char *name = ss_theme_asset_name(t, i);
    cr_assert_neq(strcmp(name, "page.html"), 0);
    cr_assert_neq(strcmp(name, "index.html"), 0);
    for (size_t k = 0; k < 3; k++)
      found += strcmp(name, want[k]) == 0;
    if (i > 0)
      cr_assert_lt(strcmp(ss_theme_asset_name(t, i - 1), name), 0);
  }
  cr_assert_eq(found, 3);
  cr_assert_neq(ss_theme_digest(t), 0);
  ss_theme_free(t);
}

Test(theme, builtin_page_is_accessible_html) {
  ss_theme *t = ss_theme_load_builtin();
  char *html = fill(t, SS_LAYOUT_PAGE, "../../", SAMPLE);
  HAS(html, "<!DOCTYPE html>");
  HAS(html, "href=\"../../_static/specsite.css\"");
  HAS(html, "src=\"../../_static/search.js\"");
  HAS(html, "action=\"../../search.html\"");
  HAS(html, "href=\"../../index.html\">Fuel</a>");
  HAS_NOT(html, "data-slot=");
  HAS_NOT(html, "://cdn");
  htmlDocPtr doc = htmlReadMemory(html, (int)strlen(html), "t.html", "UTF-8",
                                  HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
  cr_assert_not_null(doc);
  cr_assert_eq(t_doc_count(doc, "/html[@lang]"), 1);
  cr_assert_eq(t_doc_count(doc, "//main[@id='content']"), 1);
  cr_assert_eq(t_doc_count(doc, "//main//h1"), 1);
  cr_assert_eq(t_doc_count(doc, "//header"), 1);
  cr_assert_eq(t_doc_count(doc, "//footer"), 1);
  cr_assert_eq(t_doc_count(doc, "//nav[@aria-label='Outline']//a"), 1);
  cr_assert_eq(t_doc_count(doc, "//nav[@aria-label='Spec sections']//a"), 1);
  cr_assert_eq(t_doc_count(doc, "//form[@role='search']//input[@name='q']"), 1);
  cr_assert_eq(t_doc_count(doc, "//a[@rel='prev']"), 1);
  cr_assert_eq(t_doc_count(doc, "//time[@datetime='2016-03-01']"), 1);
  /* the skip link is the first focusable element */
  char *first =
      t_doc_string(doc, "string((//body//a | //body//input)[1]/@href)");
  cr_assert_str_eq(first, "#content");
  free(first);
  char *title = t_doc_string(doc, "string(//title)");
  cr_assert_str_eq(title, "Cache pages & more");
  free(title);
  xmlFreeDoc(doc);
  free(html);

  /* With only a body, no empty box is left. */
  const char *bare[SS_SLOT__COUNT] = {[SS_SLOT_BODY] = "<p>x</p>"};
  html = fill(t, SS_LAYOUT_PAGE, "", bare);
  doc = htmlReadMemory(html, (int)strlen(html), "t.html", "UTF-8",
                       HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
  cr_assert_eq(t_doc_count(doc, "//title | //ol | //ul | //time"), 0, "%s",
               html);
  cr_assert_eq(t_doc_count(doc, "//nav[@aria-label='Outline']"), 0);
  xmlFreeDoc(doc);
  free(html);

  html = fill(t, SS_LAYOUT_INDEX, "", SAMPLE);
  HAS(html, "href=\"_static/specsite.css\"");
  HAS(html, "<main id=\"content\"><section id=\"s\">");
  HAS(html, "<li aria-current=\"page\">Cache</li>");
  free(html);
  ss_theme_free(t);
}

/* --- threads -------------------------------------------------------------- */

typedef struct {
  const ss_theme *theme;
  char *first; /* the first page this thread filled */
  bool same;   /* every later fill gave the same bytes */
} S_job;

static void *S_worker(void *arg) {
  S_job *job = arg;
  job->same = true;
  for (int i = 0; i < 200; i++) {
    char *html = fill(job->theme, i % 2 ? SS_LAYOUT_INDEX : SS_LAYOUT_PAGE,
                      "../", SAMPLE);
    if (i == 0)
      job->first = html;
    else {
      if (i % 2 == 0 && strcmp(html, job->first) != 0)
        job->same = false;
      free(html);
    }
  }
  return NULL;
}

Test(theme, fill_is_thread_safe) {
  ss_theme *t = ss_theme_load_builtin();
  char *expected = fill(t, SS_LAYOUT_PAGE, "../", SAMPLE);
  S_job jobs[2] = {{.theme = t}, {.theme = t}};
  pthread_t th[2];
  for (int i = 0; i < 2; i++)
    cr_assert_eq(pthread_create(&th[i], NULL, S_worker, &jobs[i]), 0);
  for (int i = 0; i < 2; i++)
    pthread_join(th[i], NULL);
  for (int i = 0; i < 2; i++) {
    cr_assert(jobs[i].same);
    cr_assert_str_eq(jobs[i].first, expected);
    free(jobs[i].first);
  }
  free(expected);
  ss_theme_free(t);
}

/* --- saved layouts ---------------------------------------------------- */

/* A theme restored from ss_theme_save's bytes fills pages as the
 * compiled one does. */
Test(theme, saved_layouts_fill_as_compiled) {
  ss_theme *t = ss_theme_load_builtin();
  ss_buf saved = SS_BUF_INIT;
  ss_theme_save(t, &saved);
  ss_theme *r = ss_theme_load_builtin_saved(saved.data, saved.len);
  cr_assert_not_null(r);
  cr_expect_eq(ss_theme_digest(r), ss_theme_digest(t));
  for (int l = 0; l < SS_LAYOUT__COUNT; l++) {
    char *a = fill(t, (ss_layout)l, "../", SAMPLE);
    char *b = fill(r, (ss_layout)l, "../", SAMPLE);
    cr_expect_str_eq(b, a);
    free(a);
    free(b);
    for (int s = 0; s < SS_SLOT__COUNT; s++)
      cr_expect_eq(ss_theme_has_slot(r, (ss_layout)l, (ss_theme_slot)s),
                   ss_theme_has_slot(t, (ss_layout)l, (ss_theme_slot)s));
  }
  ss_buf_free(&saved);
  ss_theme_free(r);
  ss_theme_free(t);
}

/* Saved bytes are used only for the files they were made from (their
 * digest), and broken ones are never trusted: the theme compiles. */
Test(theme, saved_layouts_only_for_their_files) {
  ss_theme *builtin = ss_theme_load_builtin();
  ss_buf saved = SS_BUF_INIT;
  ss_theme_save(builtin, &saved);
  ss_theme *mine = load_page("<!DOCTYPE html>\n<html><head><title "
                             "data-slot=\"title\">T</title></head><body>"
                             "<p>mine</p><main data-slot=\"body\">x</main>"
                             "</body></html>\n");
  char *want = fill(mine, SS_LAYOUT_PAGE, "", SAMPLE);
  ss_diag d;
  ss_diag_init(&d);
  /* Another theme's bytes: ignored. */
  ss_theme *t = ss_theme_load_saved(dir, saved.data, saved.len, &d);
  cr_assert_not_null(t);
  char *got = fill(t, SS_LAYOUT_PAGE, "", SAMPLE);
  cr_expect_str_eq(got, want);
  free(got);
  ss_theme_free(t);
  /* The same bytes claiming this theme's digest: used (the digest is
   * what decides), which shows the compile was skipped. */
  unsigned long long digest = ss_theme_digest(mine);
  size_t at = strlen("specsite-theme 1 8\n");
  memcpy(saved.data + at, &digest, 8);
  t = ss_theme_load_saved(dir, saved.data, saved.len, &d);
  got = fill(t, SS_LAYOUT_PAGE, "", SAMPLE);
  HAS_NOT(got, "<p>mine</p>");
  free(got);
  ss_theme_free(t);
  /* Cut or scribbled over: compiled again, as the folder says. */
  for (size_t cut = 0; cut < saved.len; cut += 97) {
    t = ss_theme_load_saved(dir, saved.data, cut, &d);
    cr_assert_not_null(t);
    got = fill(t, SS_LAYOUT_PAGE, "", SAMPLE);
    cr_expect_str_eq(got, want, "cut at %zu", cut);
    free(got);
    ss_theme_free(t);
  }
  for (size_t i = at + 8; i < saved.len; i += 13) {
    char keep = saved.data[i];
    saved.data[i] = (char)0xff;
    t = ss_theme_load_saved(dir, saved.data, saved.len, &d);
    cr_assert_not_null(t);
    ss_theme_free(t); /* no crash, no report under ASan */
    saved.data[i] = keep;
  }
  free(want);
  ss_buf_free(&saved);
  ss_theme_free(mine);
  ss_theme_free(builtin);
}

/* The default theme comes compiled (at build time, from the same
 * files): those bytes are what compiling it now gives. */
Test(theme, builtin_comes_compiled_from_its_files) {
  ss_theme *now = ss_theme_load_builtin_saved(NULL, 0);
  ss_buf saved = SS_BUF_INIT;
  ss_theme_save(now, &saved);
  cr_assert_eq(saved.len, ss_theme_builtin_compiled_len);
  cr_expect(memcmp(saved.data, ss_theme_builtin_compiled, saved.len) == 0);
  ss_theme *t = ss_theme_load_builtin();
  char *a = fill(now, SS_LAYOUT_PAGE, "../", SAMPLE);
  char *b = fill(t, SS_LAYOUT_PAGE, "../", SAMPLE);
  cr_expect_str_eq(b, a);
  free(a);
  free(b);
  ss_buf_free(&saved);
  ss_theme_free(t);
  ss_theme_free(now);
}
