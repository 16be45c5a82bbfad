/* Tests for the transforms: trees shaped like the ones Docutils' parser
 * builds (built here by hand, so the tests do not depend on the reader),
 * checked against what Sphinx 5.3 writes for the same source. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <string.h>

#include "helpers.h"
#include "transforms/transforms.h"
#include "tree/tree.h"

/* --- building trees by hand --------------------------------------- */

static ss_node *el(ss_node *parent, ss_kind kind) {
  ss_node *n = ss_node_new(kind, 1);
  return parent ? ss_node_append(parent, n) : n;
}

/* An element with attributes given as name, value, ..., NULL. */
static ss_node *ela(ss_node *parent, ss_kind kind, ...) {
  ss_node *n = el(parent, kind);
  va_list ap;
  va_start(ap, kind);
  const char *name;
  while ((name = va_arg(ap, const char *))) {
    const char *value = va_arg(ap, const char *);
    ss_node_attr_add(n, name, value);
  }
  va_end(ap);
  return n;
}

static ss_node *txt(ss_node *parent, const char *s) {
  ss_node_append_text(parent, s, strlen(s), 1);
  return parent;
}

static ss_node *section(ss_node *parent, const char *title) {
  ss_node *s = el(parent, SS_SECTION);
  txt(el(s, SS_TITLE), title);
  return s;
}

static ss_node *para(ss_node *parent, const char *text) {
  return txt(el(parent, SS_PARAGRAPH), text);
}

static ss_diag S_diag;

static void run(ss_node *doc) {
  ss_diag_init(&S_diag);
  S_diag.quiet = 1;
  ss_transform_options opts = {.path = "t.rst", .diag = &S_diag};
  ss_transform_document(doc, &opts);
}

/* XPath string on the transformed tree. */
static char *q(ss_node *doc, const char *xpath) {
  xmlDocPtr x = t_xml(doc);
  char *s = t_doc_string(x, xpath);
  xmlFreeDoc(x);
  return s;
}

static int count(ss_node *doc, const char *xpath) {
  xmlDocPtr x = t_xml(doc);
  int n = t_doc_count(x, xpath);
  xmlFreeDoc(x);
  return n;
}

#define ASSERT_Q(doc, xpath, expected)                                         \
  do {                                                                         \
    char *got_ = q(doc, xpath);                                                \
    cr_expect_str_eq(got_, expected, "%s", xpath);                             \
    free(got_);                                                                \
  } while (0)

/* --- make_id ------------------------------------------------------- */

Test(transforms, make_id_matches_docutils) {
  /* Expected values printed by docutils.nodes.make_id (Docutils 0.19). */
  static const char *const cases[][2] = {
      {"Problem description", "problem-description"},
      {"Système d'été", "systeme-d-ete"},
      {"Привет", ""},
      {"日本語", ""},
      {"1. Title", "title"},
      {"2.0 Release notes", "release-notes"},
      {"--foo--bar--", "foo-bar"},
      {"Straße", "strasze"},
      {"Æsop", "aesop"},
      {"ﬁle", "file"},
      {"x²", "x2"},
      {"Ⅸ", "ix"},
      {"foo_bar", "foo-bar"},
      {"a  b\tc", "a-b-c"},
      {"", ""},
      {"℃ temp", "temp"},
      {"Ünïcödé Çase", "unicode-case"},
      {"ǅemal", "dzemal"},
      {"İstanbul", "istanbul"},
      {"ø and đ", "o-and-d"},
      {"3", ""},
      {"½ cup", "cup"},
      {"ＡＢＣ full", "abc-full"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ss_buf out = SS_BUF_INIT;
    ss_make_id(cases[i][0], &out);
    cr_expect_str_eq(out.data ? out.data : "", cases[i][1], "make_id(%s)",
                     cases[i][0]);
    ss_buf_free(&out);
  }
}

/* --- sections -------------------------------------------------------- */

Test(transforms, sections_get_names_and_ids_from_titles) {
  ss_node *doc = el(NULL, SS_DOCUMENT);
  ss_node *s1 = section(doc, "Problem   Description");
  section(s1, "Title");
  section(s1, "Title");
  section(doc, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");
  run(doc);
  ASSERT_Q(doc, "string(/document/section[1]/@ids)", "problem-description");
  ASSERT_Q(doc, "string(/document/section[1]/@names)", "problem\\ description");
  /* A repeated implicit name: both lose it, the second gets an auto id. */
  ASSERT_Q(doc, "string(//section[title='Title'][1]/@ids)", "title");
  ASSERT_Q(doc, "string(//section[title='Title'][1]/@dupnames)", "title");
  ASSERT_Q(doc, "string(//section[title='Title'][2]/@ids)", "id1");
  ASSERT_Q(doc, "string(//section[title='Title'][2]/@dupnames)", "title");
  ASSERT_Q(doc, "string(/document/section[2]/@ids)", "id2");
  ASSERT_Q(doc, "string(/document/section[2]/@names)",
           "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");
  /* Duplicate implicit names are INFO: nothing kept in the tree. */
  cr_expect_eq(count(doc, "//system_message"), 0);
  ss_node_free(doc);
}

Test(transforms, auto_ids_skip_ids_already_taken) {
  ss_node *doc = el(NULL, SS_DOCUMENT);
  section(doc, "id1");
  section(doc, "\xe6\x97\xa5\xe6\x9c\xac");
  run(doc);
  ASSERT_Q(doc, "string(/document/section[1]/@ids)", "id1");
  ASSERT_Q(doc, "string(/document/section[2]/@ids)", "id2");
  ss_node_free(doc);
}

/* --- targets and references ------------------------------------------ */

Test(transforms, internal_target_moves_to_next_element) {
  /* .. _a:
   * .. _b:
   *
   * Para with a_ and b_. */
  ss_node *doc = el(NULL, SS_DOCUMENT);
  ela(doc, SS_TARGET, "names", "a", NULL);
  ela(doc, SS_TARGET, "names", "b", NULL);
  ss_node *p = para(doc, "Para with ");
  txt(ela(p, SS_REFERENCE, "name", "a", "refname", "a", NULL), "a");
  txt(p, " and ");
  txt(ela(p, SS_REFERENCE, "name", "b", "refname", "b", NULL), "b");
  run(doc);
  ASSERT_Q(doc, "string(/document/target[1]/@refid)", "a");
  ASSERT_Q(doc, "string(/document/target[2]/@refid)", "b");
  cr_expect_eq(count(doc, "/document/target[@ids]"), 0);
  ASSERT_Q(doc, "string(/document/paragraph/@ids)", "b a");
  ASSERT_Q(doc, "string(/document/paragraph/@names)", "b a");
  ASSERT_Q(doc, "string(//reference[1]/@refid)", "a");
  ASSERT_Q(doc, "string(//reference[2]/@refid)", "b");
  cr_expect_eq(count(doc, "//reference[@refname]"), 0);
  ss_node_free(doc);
}

Test(transforms, target_before_section_and_sort_ids) {
  /* Two targets ending one section, then a Cyrillic-titled section: the
   * first target chains into the second, both land on the section, and
   * Sphinx's SortIds moves the section's automatic id last. */
  ss_node *doc = el(NULL, SS_DOCUMENT);
  ss_node *s1 = section(doc, "One");
  ela(s1, SS_TARGET, "names", "x", NULL);
  ela(s1, SS_TARGET, "names", "y", NULL);
  section(doc, "При");
  run(doc);
  ASSERT_Q(doc, "string(/document/section[1]/@ids)", "one");
  ASSERT_Q(doc, "string(/document/section[1]/target[1]/@refid)", "x");
  ASSERT_Q(doc, "string(/document/section[1]/target[2]/@refid)", "y");
  ASSERT_Q(doc, "string(/document/section[2]/@ids)", "y x id1");
  ASSERT_Q(doc, "string(/document/section[2]/@names)", "при y x");
  ss_node_free(doc);
}

Test(transforms, target_before_comment_or_at_end_stays) {
  ss_node *doc = el(NULL, SS_DOCUMENT);
  ela(doc, SS_TARGET, "names", "c", NULL);
  txt(el(doc, SS_COMMENT), "comment");
  ela(doc, SS_TARGET, "names", "end", NULL);
  run(doc);
  ASSERT_Q(doc, "string(/document/target[1]/@ids)", "c");
  ASSERT_Q(doc, "string(/document/target[2]/@ids)", "end");
  ss_node_free(doc);
}

Test(transforms, external_and_indirect_targets) {
  /* See foo_ and bar_.  .. _foo: http://x.org  .. _bar: foo_ */
  ss_node *doc = el(NULL, SS_DOCUMENT);
  ss_node *p = para(doc, "See ");
  txt(ela(p, SS_REFERENCE, "name", "foo", "refname", "foo", NULL), "foo");
  txt(ela(p, SS_REFERENCE, "name", "bar", "refname", "bar", NULL), "bar");
  ela(doc, SS_TARGET, "names", "foo", "refuri", "http://x.org", NULL);
  ela(doc, SS_TARGET, "names", "bar", "refname", "foo", NULL);
  run(doc);
  ASSERT_Q(doc, "string(//reference[1]/@refuri)", "http://x.org");
  ASSERT_Q(doc, "string(//reference[2]/@refuri)", "http://x.org");
  ASSERT_Q(doc, "string(//target[@names='bar']/@refuri)", "http://x.org");
  ASSERT_Q(doc, "string(//target[@names='bar']/@ids)", "bar");
  cr_expect_eq(count(doc, "//*[@refname]"), 0);
  ss_node_free(doc);
}

Test(transforms, anonymous_references_pair_with_targets_in_order) {
  ss_node *doc = el(NULL, SS_DOCUMENT);
  ss_node *p = para(doc, "");
  txt(ela(p, SS_REFERENCE, "anonymous", "1", "name", "one", NULL), "one");
  txt(ela(p, SS_REFERENCE, "anonymous", "1", "name", "two", NULL), "two");
  ela(doc, SS_TARGET, "anonymous", "1", "refuri", "http://one", NULL);
  ela(doc, SS_TARGET, "anonymous", "1", "refuri", "http://two", NULL);
  run(doc);
  ASSERT_Q(doc, "string(//reference[1]/@refuri)", "http://one");
  ASSERT_Q(doc, "string(//reference[2]/@refuri)", "http://two");
  ASSERT_Q(doc, "string(//target[1]/@ids)", "id1");
  ss_node_free(doc);
}

Test(transforms, anonymous_mismatch_is_an_error) {
  ss_node *doc = el(NULL, SS_DOCUMENT);
  ss_node *p = para(doc, "");
  txt(ela(p, SS_REFERENCE, "anonymous", "1", "name", "one", NULL), "one");
  run(doc);
  ASSERT_Q(doc, "string(//problematic)", "one__");
  ASSERT_Q(doc, "string(//problematic/@refid)", "id1"); /* the message's id */
  ASSERT_Q(doc, "string(//system_message/@ids)", "id1");
  ASSERT_Q(doc, "string(//system_message/@backrefs)", "id2");
  cr_expect_eq(S_diag.counts[SS_LEVEL_ERROR], 1);
  ss_node_free(doc);
}

Test(transforms, unknown_target_becomes_problematic) {
  ss_node *doc = el(NULL, SS_DOCUMENT);
  ss_node *p = para(doc, "See ");
  txt(ela(p, SS_REFERENCE, "name", "unknown", "refname", "unknown", NULL),
      "unknown");
  txt(ela(p, SS_REFERENCE, "name", "two words", "refname", "two words", NULL),
      "two words");
  run(doc);
  ASSERT_Q(doc, "string(//problematic[1])", "unknown_");
  ASSERT_Q(doc, "string(//problematic[2])", "`two words`_");
  ASSERT_Q(doc, "string(//system_message[1]/paragraph)",
           "Unknown target name: \"unknown\".");
  ASSERT_Q(doc, "string(//system_message[1]/@type)", "ERROR");
  cr_expect_eq(count(doc, "//reference"), 0);
  ss_node_free(doc);
}

Test(transforms, section_titles_are_reference_targets) {
  ss_node *doc = el(NULL, SS_DOCUMENT);
  section(doc, "Problem description");
  ss_node *p = para(doc, "");
  txt(ela(p, SS_REFERENCE, "name", "Problem description", "refname",
          "problem description", NULL),
      "Problem description");
  run(doc);
  ASSERT_Q(doc, "string(//reference/@refid)", "problem-description");
  ss_node_free(doc);
}

Test(transforms, duplicate_explicit_targets) {
  ss_node *doc = el(NULL, SS_DOCUMENT);
  ela(doc, SS_TARGET, "names", "dup", "refuri", "http://one", NULL);
  ela(doc, SS_TARGET, "names", "dup", "refuri", "http://two", NULL);
  ela(doc, SS_TARGET, "names", "same", "refuri", "http://s", NULL);
  ela(doc, SS_TARGET, "names", "same", "refuri", "http://s", NULL);
  ss_node *p = para(doc, "");
  txt(ela(p, SS_REFERENCE, "name", "same", "refname", "same", NULL), "same");
  txt(ela(p, SS_REFERENCE, "name", "dup", "refname", "dup", NULL), "dup");
  run(doc);
  xmlDocPtr x = t_xml(doc);
  cr_expect_eq(t_doc_count(x, "//target[@dupnames='dup']"), 2);
  cr_expect_eq(t_doc_count(x, "//target[@names='same']"), 1);
  cr_expect_eq(t_doc_count(x, "//target[@dupnames='same']"), 1);
  /* Different URIs: a warning kept just before the second target. */
  cr_expect_eq(t_doc_count(x, "//system_message[following-sibling::target["
                              "1]/@refuri='http://two']"),
               1);
  xmlFreeDoc(x);
  ASSERT_Q(doc, "string(//target[2]/@ids)", "id1");
  ASSERT_Q(doc, "string(//reference/@refuri)", "http://s");
  ASSERT_Q(doc, "string(//problematic)", "dup_");
  ASSERT_Q(doc, "string(//system_message[@type='ERROR']/paragraph)",
           "Duplicate target name, cannot be used as a unique reference: "
           "\"dup\".");
  ss_node_free(doc);
}

/* --- footnotes and citations ----------------------------------------- */

/* See [1]_ [#]_ [#lab]_ [*]_ [*]_  then the five footnotes. */
Test(transforms, footnotes_numbered_labelled_and_linked) {
  ss_node *doc = el(NULL, SS_DOCUMENT);
  ss_node *s = section(doc, "Title");
  ss_node *p = para(s, "See ");
  txt(ela(p, SS_FOOTNOTE_REFERENCE, "refname", "1", NULL), "1");
  ela(p, SS_FOOTNOTE_REFERENCE, "auto", "1", NULL);
  ela(p, SS_FOOTNOTE_REFERENCE, "auto", "1", "refname", "lab", NULL);
  ela(p, SS_FOOTNOTE_REFERENCE, "auto", "*", NULL);
  ela(p, SS_FOOTNOTE_REFERENCE, "auto", "*", NULL);
  ss_node *f1 = ela(s, SS_FOOTNOTE, "names", "1", NULL);
  txt(el(f1, SS_LABEL), "1");
  para(f1, "one");
  para(ela(s, SS_FOOTNOTE, "auto", "1", NULL), "auto");
  para(ela(s, SS_FOOTNOTE, "auto", "1", "names", "lab", NULL), "labelled");
  para(ela(s, SS_FOOTNOTE, "auto", "*", NULL), "sym");
  para(ela(s, SS_FOOTNOTE, "auto", "*", NULL), "sym2");
  run(doc);
  /* What Sphinx 5.3 writes for the same source. */
  static const char *const refs[][3] = {{"id1", "id6", "1"},
                                        {"id2", "id7", "2"},
                                        {"id3", "lab", "3"},
                                        {"id4", "id8", "*"},
                                        {"id5", "id9", "\xe2\x80\xa0"}};
  static const char *const notes[][3] = {{"id6", "id1", "1"},
                                         {"id7", "id2", "2"},
                                         {"lab", "id3", "3"},
                                         {"id8", "id4", "*"},
                                         {"id9", "id5", "\xe2\x80\xa0"}};
  char xp[128];
  for (int i = 0; i < 5; i++) {
    snprintf(xp, sizeof xp, "string(//footnote_reference[%d]/@ids)", i + 1);
    ASSERT_Q(doc, xp, refs[i][0]);
    snprintf(xp, sizeof xp, "string(//footnote_reference[%d]/@refid)", i + 1);
    ASSERT_Q(doc, xp, refs[i][1]);
    snprintf(xp, sizeof xp, "string(//footnote_reference[%d])", i + 1);
    ASSERT_Q(doc, xp, refs[i][2]);
    snprintf(xp, sizeof xp, "string(//footnote[%d]/@ids)", i + 1);
    ASSERT_Q(doc, xp, notes[i][0]);
    snprintf(xp, sizeof xp, "string(//footnote[%d]/@backrefs)", i + 1);
    ASSERT_Q(doc, xp, notes[i][1]);
    snprintf(xp, sizeof xp, "string(//footnote[%d]/label)", i + 1);
    ASSERT_Q(doc, xp, notes[i][2]);
  }
  ASSERT_Q(doc, "string(//footnote[2]/@names)", "2");
  cr_expect_eq(count(doc, "//footnote[1]/label"), 1);
  ss_node_free(doc);
}

Test(transforms, symbols_double_after_ten) {
  ss_node *doc = el(NULL, SS_DOCUMENT);
  for (int i = 0; i < 12; i++)
    para(ela(doc, SS_FOOTNOTE, "auto", "*", NULL), "x");
  run(doc);
  ASSERT_Q(doc, "string(//footnote[10]/label)", "\xe2\x99\xa3");
  ASSERT_Q(doc, "string(//footnote[11]/label)", "**");
  ASSERT_Q(doc, "string(//footnote[12]/label)", "\xe2\x80\xa0\xe2\x80\xa0");
  ss_node_free(doc);
}

Test(transforms, too_many_auto_footnote_references) {
  ss_node *doc = el(NULL, SS_DOCUMENT);
  ss_node *p = para(doc, "");
  ela(p, SS_FOOTNOTE_REFERENCE, "auto", "1", NULL);
  ela(p, SS_FOOTNOTE_REFERENCE, "auto", "1", NULL);
  para(ela(doc, SS_FOOTNOTE, "auto", "1", NULL), "only one");
  run(doc);
  ASSERT_Q(doc, "string(//footnote_reference/@refid)", "id3");
  ASSERT_Q(doc, "string(//problematic)", "[#]_");
  /* The problematic node takes over the reference's id (Sphinx: "id5 id2"). */
  ASSERT_Q(doc, "string(//problematic/@ids)", "id5 id2");
  ss_node_free(doc);
}

/* Symbol labels grow with their number (n^2 / 10 bytes for n footnotes):
 * past 1,000, one error and no symbol. */
static char *S_symbol_notes(int n) {
  ss_buf b = SS_BUF_INIT;
  for (int i = 0; i < n; i++)
    ss_buf_puts(&b, i ? " [*]_" : "[*]_");
  ss_buf_puts(&b, "\n\n");
  for (int i = 0; i < n; i++)
    ss_buf_puts(&b, ".. [*] note\n");
  return b.data;
}

Test(transforms, symbol_footnotes_bounded) {
  char *rst = S_symbol_notes(1000);
  t_result r = t_build(rst);
  free(rst);
  t_expect_count(&r, "//footnote/label", 1000);
  t_expect_count(&r, "//system_message", 0);
  /* the 1,000th: the tenth symbol (U+2663) a hundred times */
  ss_buf want = SS_BUF_INIT;
  for (int i = 0; i < 100; i++)
    ss_buf_puts(&want, "\xe2\x99\xa3");
  t_expect_string(&r, "string((//footnote/label)[1000])", want.data);
  ss_buf_free(&want);
  t_result_free(&r);
  rst = S_symbol_notes(1500);
  r = t_build(rst);
  free(rst);
  t_expect_count(&r, "//footnote", 1500);
  t_expect_count(&r, "//footnote/label", 1000);
  t_expect_count(&r,
                 "//system_message[paragraph='Too many auto-symbol footnotes: "
                 "only the first 1000 get a symbol.']",
                 1);
  t_expect_count(&r, "//problematic", 500);
  t_result_free(&r);
}

Test(transforms, citations_become_internal_references_like_sphinx) {
  ss_node *doc = el(NULL, SS_DOCUMENT);
  ss_node *p = para(doc, "");
  txt(ela(p, SS_CITATION_REFERENCE, "refname", "c1", NULL), "C1");
  txt(ela(p, SS_CITATION_REFERENCE, "refname", "c1", NULL), "C1");
  txt(ela(p, SS_CITATION_REFERENCE, "refname", "nope", NULL), "nope");
  ss_node *c = ela(doc, SS_CITATION, "names", "c1", NULL);
  txt(el(c, SS_LABEL), "C1");
  para(c, "cit");
  run(doc);
  xmlDocPtr x = t_xml(doc);
  cr_expect_eq(t_doc_count(x, "//citation_reference"), 0);
  cr_expect_eq(t_doc_count(x, "//reference[@internal='True']"), 2);
  xmlFreeDoc(x);
  ASSERT_Q(doc, "string(//reference[1]/@refid)", "c1");
  ASSERT_Q(doc, "string(//reference[1]/@ids)", "id1");
  ASSERT_Q(doc, "string(//reference[2]/inline)", "[C1]");
  ASSERT_Q(doc, "string(//paragraph/inline/@ids)", "id3");
  ASSERT_Q(doc, "string(//paragraph/inline)", "[nope]");
  ASSERT_Q(doc, "string(//citation/@backrefs)", "id1 id2");
  cr_expect_eq(S_diag.counts[SS_LEVEL_WARNING], 1);
  ss_node_free(doc);
}

/* --- substitutions --------------------------------------------------- */

Test(transforms, substitutions_replaced_case_insensitively) {
  ss_node *doc = el(NULL, SS_DOCUMENT);
  ss_node *p = para(doc, "");
  txt(ela(p, SS_SUBSTITUTION_REFERENCE, "refname", "Sub", NULL), "Sub");
  txt(p, " and ");
  txt(ela(p, SS_SUBSTITUTION_REFERENCE, "refname", "SUB", NULL), "SUB");
  txt(p, " and ");
  txt(ela(p, SS_SUBSTITUTION_REFERENCE, "refname", "nope", NULL), "nope");
  ss_node *def = ela(doc, SS_SUBSTITUTION_DEFINITION, "names", "Sub", NULL);
  txt(el(def, SS_EMPHASIS), "replaced");
  run(doc);
  xmlDocPtr x = t_xml(doc);
  cr_expect_eq(t_doc_count(x, "//paragraph/emphasis"), 2);
  cr_expect_eq(t_doc_count(x, "//substitution_reference"), 0);
  cr_expect_eq(t_doc_count(x, "//substitution_definition/emphasis"), 1);
  xmlFreeDoc(x);
  ASSERT_Q(doc, "string(//problematic)", "|nope|");
  ASSERT_Q(doc, "string(//system_message/paragraph)",
           "Undefined substitution referenced: \"nope\".");
  ss_node_free(doc);
}

Test(transforms, nested_and_circular_substitutions) {
  ss_node *doc = el(NULL, SS_DOCUMENT);
  ss_node *p = para(doc, "");
  txt(ela(p, SS_SUBSTITUTION_REFERENCE, "refname", "outer", NULL), "outer");
  txt(p, " ");
  txt(ela(p, SS_SUBSTITUTION_REFERENCE, "refname", "loop", NULL), "loop");
  ss_node *d1 = ela(doc, SS_SUBSTITUTION_DEFINITION, "names", "outer", NULL);
  txt(d1, "<");
  txt(ela(d1, SS_SUBSTITUTION_REFERENCE, "refname", "inner", NULL), "inner");
  txt(d1, ">");
  txt(ela(doc, SS_SUBSTITUTION_DEFINITION, "names", "inner", NULL), "in");
  ss_node *d3 = ela(doc, SS_SUBSTITUTION_DEFINITION, "names", "loop", NULL);
  txt(ela(d3, SS_SUBSTITUTION_REFERENCE, "refname", "loop", NULL), "loop");
  run(doc);
  ASSERT_Q(doc, "string(/document/paragraph[1])", "<in> |loop|");
  cr_expect_geq(S_diag.counts[SS_LEVEL_ERROR], 1);
  ss_node_free(doc);
}

/* Docutils 0.19 itself fails here (the second reference replaces a
 * definition already replaced); one message and one removal, not two. */
Test(transforms, definition_using_itself_twice_is_reported_once) {
  t_result r = t_build("Para |e| here.\n\n.. |e| replace:: |e| |e|\n");
  t_expect_count(&r, "//substitution_definition", 0);
  t_expect_count(&r,
                 "//system_message[paragraph='Circular substitution "
                 "definition detected:']",
                 1);
  t_expect_count(&r, "//problematic", 1);
  t_result_free(&r);
}

/* Docutils' message for a circular definition quotes the definition
 * and takes its names (update_all_atts). */
Test(transforms, circular_definition_message_quotes_it) {
  t_result r = t_build(".. |a| replace:: x |a|\n\n|a|\n");
  t_expect_count(&r,
                 "//system_message[@names='a'][paragraph='Circular "
                 "substitution definition detected:']",
                 1);
  t_expect_string(&r, "string(//system_message[@names='a']/literal_block)",
                  ".. |a| replace:: x |a|\n");
  t_result_free(&r);
}

/* 24 definitions, each using the next twice: 2^24 copies asked for. */
static char *S_bomb(int n) {
  ss_buf b = SS_BUF_INIT;
  ss_buf_puts(&b, "Bomb |d0|.\n\n");
  for (int i = 0; i + 1 < n; i++)
    ss_buf_printf(&b, ".. |d%d| replace:: |d%d| |d%d|\n", i, i + 1, i + 1);
  ss_buf_printf(&b, ".. |d%d| replace:: x\n", n - 1);
  return b.data;
}

Test(transforms, substitution_bomb_is_bounded_with_one_error, .timeout = 20) {
  char *rst = S_bomb(24);
  t_result r = t_build(rst);
  free(rst);
  t_expect_count(&r, "//system_message", 1);
  t_expect_count(&r,
                 "//system_message[@line='1' and starts-with(paragraph, "
                 "'Substitutions expand beyond the limit')]",
                 1);
  cr_expect_lt(t_doc_count(r.xml, "//node()"), 300000);
  size_t lines = 0;
  for (size_t k = 0; k < r.log_len; k++)
    lines += r.log[k] == '\n';
  cr_expect_eq(lines, 1, "%s", r.log);
  t_result_free(&r);
}

Test(transforms, substitution_bomb_below_the_limits_expands_in_full) {
  char *rst = S_bomb(12);
  t_result r = t_build(rst);
  free(rst);
  t_expect_count(&r, "//system_message", 0);
  char *text = t_doc_string(r.xml, "string(/document/paragraph)");
  size_t xs = 0;
  for (const char *c = text; *c; c++)
    xs += *c == 'x';
  cr_expect_eq(xs, 1u << 11);
  free(text);
  t_result_free(&r);
}

/* Definitions are expanded in place as they are reached, so a long
 * chain collapses in few levels and stays within the nesting limit. */
Test(transforms, long_substitution_chain_expands_in_full) {
  ss_buf b = SS_BUF_INIT;
  ss_buf_puts(&b, "Chain |d0|.\n\n");
  for (int i = 0; i < 2000; i++)
    ss_buf_printf(&b, ".. |d%d| replace:: |d%d|\n", i, i + 1);
  ss_buf_puts(&b, ".. |d2000| replace:: end\n");
  t_result r = t_build(b.data);
  ss_buf_free(&b);
  t_expect_count(&r, "//system_message", 0);
  t_expect_string(&r, "string(/document/paragraph)", "Chain end.");
  t_result_free(&r);
}

/* --- robustness ------------------------------------------------------ */

Test(transforms, deep_trees_need_no_recursion) {
  ss_node *doc = el(NULL, SS_DOCUMENT);
  ss_node *cur = doc;
  for (int i = 0; i < 100000; i++)
    cur = el(cur, SS_BLOCK_QUOTE);
  ss_node *p = para(cur, "");
  txt(ela(p, SS_REFERENCE, "name", "t", "refname", "t", NULL), "t");
  ela(cur, SS_TARGET, "names", "t", "refuri", "http://t", NULL);
  run(doc);
  cr_expect_str_eq(ss_node_attr_get(p->first, "refuri"), "http://t");
  ss_node_free(doc);
}

/* Each target hands what it has to the next: the section ends with every
 * id and name, last target first, each target pointing at its own id.
 * Done by moving items at each step, 20,000 targets took hours. */
Test(transforms, long_chain_of_targets_before_a_section, .timeout = 30) {
  enum { N = 20000 };
  ss_buf b = SS_BUF_INIT;
  for (int i = 0; i < N; i++)
    ss_buf_printf(&b, ".. _t%d:\n", i);
  ss_buf_puts(&b, "\nSection\n=======\n\nText.\n");
  ss_node *doc = t_parse(b.data, NULL);
  ss_buf_free(&b);
  ss_node *sec = ss_node_child(doc, SS_SECTION);
  cr_assert(sec);
  const ss_attr *a = ss_node_attr_next(sec, "ids", NULL);
  cr_assert_str_eq(a->value, "section");
  a = ss_node_attr_next(sec, "ids", a);
  cr_assert_str_eq(a->value, "t19999");
  size_t ids = 2, names = 0;
  while ((a = ss_node_attr_next(sec, "ids", a)))
    ids++;
  for (a = ss_node_attr_next(sec, "names", NULL); a;
       a = ss_node_attr_next(sec, "names", a))
    names++;
  cr_expect_eq(ids, N + 1);
  cr_expect_eq(names, N + 1);
  ss_node *first = doc->first;
  cr_assert_eq(first->kind, SS_TARGET);
  cr_expect_str_eq(ss_node_attr_get(first, "refid"), "t0");
  cr_expect_null(ss_node_attr_get(first, "ids"));
  cr_expect_str_eq(ss_node_attr_get(sec->prev, "refid"), "t19999");
  ss_node_free(doc);
}

/* A target inside a block quote hands its ids on past the quote, to a
 * target that hands both on, and one with a URI keeps what it gets. */
Test(transforms, targets_chained_across_levels_and_into_an_external_one) {
  t_result r = t_build("Para.\n\n   .. _q1:\n   .. _q2:\n\n      .. _q3:\n\n"
                       ".. _q4:\n\nAfter.\n\n.. _e1:\n.. _ext: http://x\n");
  t_expect_string(&r, "string(//block_quote/block_quote/@ids)", "q2 q1");
  t_expect_string(&r, "string(/document/paragraph[2]/@ids)", "q4 q3");
  t_expect_string(&r, "string(/document/paragraph[2]/@names)", "q4 q3");
  t_expect_string(&r, "string(//target[@refuri]/@ids)", "ext e1");
  t_expect_string(&r, "string((//target[not(@refuri)])[last()]/@refid)", "e1");
  t_result_free(&r);
}

Test(transforms, circular_indirect_targets_are_reported) {
  ss_node *doc = el(NULL, SS_DOCUMENT);
  ela(doc, SS_TARGET, "names", "a", "refname", "b", NULL);
  ela(doc, SS_TARGET, "names", "b", "refname", "a", NULL);
  ss_node *p = para(doc, "");
  txt(ela(p, SS_REFERENCE, "name", "a", "refname", "a", NULL), "a");
  run(doc);
  cr_expect_geq(S_diag.counts[SS_LEVEL_ERROR], 1);
  ss_node_free(doc);
}

/* --- through the reader ---------------------------------------------- */

Test(transforms, parsed_document_resolves_like_sphinx) {
  const char *src = "Title\n=====\n\n"
                    "See [#]_ and `link <http://e.org>`_ and other_.\n\n"
                    ".. [#] note\n\n"
                    ".. _other:\n\n"
                    "Other\n=====\n\ntext\n";
  ss_node *doc = t_parse(src, NULL);
  ASSERT_Q(doc, "string(/document/section[1]/@ids)", "title");
  ASSERT_Q(doc, "string(//footnote_reference/@refid)", "id2");
  ASSERT_Q(doc, "string(//footnote/label)", "1");
  ASSERT_Q(doc, "string(//reference[@name='link']/@refuri)", "http://e.org");
  ASSERT_Q(doc, "string(//reference[@name='other']/@refid)", "other");
  ASSERT_Q(doc, "string(/document/section[2]/@ids)", "other id3");
  ASSERT_Q(doc, "string(/document/section[2]/@dupnames)", "other");
  ss_node_free(doc);
}

Test(transforms, std_ref_resolves_to_labelled_section) {
  const char *src = ".. _lbl:\n\nSection Title\n=============\n\n"
                    "See :ref:`lbl` and :ref:`Other <lbl>` and "
                    ":ref:`elsewhere`.\n";
  ss_node *doc = t_parse(src, NULL);
  ASSERT_Q(doc, "string(/document/section/@ids)", "section-title lbl");
  ASSERT_Q(doc, "string(//reference[1]/@refid)", "lbl");
  ASSERT_Q(doc, "string(//reference[1]/@internal)", "True");
  ASSERT_Q(doc, "string(//reference[1]/inline)", "Section Title");
  ASSERT_Q(doc, "string(//reference[1]/inline/@classes)", "std std-ref");
  ASSERT_Q(doc, "string(//reference[2]/inline)", "Other");
  /* A label this document does not define becomes its text, as in a
   * Sphinx build of this document alone. */
  cr_expect_eq(count(doc, "//pending_xref"), 0);
  cr_expect_eq(count(doc, "//inline[@classes='xref std std-ref']"), 1);
  ss_node_free(doc);
}

Test(transforms, dangling_xrefs_become_their_text_with_sphinx_warnings) {
  char *out = NULL;
  size_t outlen = 0;
  FILE *log = open_memstream(&out, &outlen);
  ss_diag diag;
  ss_diag_init(&diag);
  diag.out = log;
  ss_node *doc =
      t_parse("See :ref:`nowhere`, :doc:`other` and :ref:`T <x>`.\n", &diag);
  fclose(log);
  xmlDocPtr x = t_xml(doc);
  cr_assert_eq(t_doc_count(x, "//pending_xref"), 0);
  cr_assert_eq(
      t_doc_count(x, "//paragraph/inline[@classes='xref std std-ref']"), 2);
  char *text = t_doc_string(x, "string(//paragraph)");
  cr_assert_str_eq(text, "See nowhere, other and T.");
  cr_assert(strstr(out, "test.rst:1: WARNING: undefined label: 'nowhere'"));
  cr_assert(strstr(out, "test.rst:1: WARNING: unknown document: 'other'"));
  cr_assert(strstr(out, "test.rst:1: WARNING: undefined label: 'x'"));
  free(text);
  free(out);
  xmlFreeDoc(x);
  ss_node_free(doc);
}

Test(transforms, contents_lists_sections_depth_first_with_backlinks) {
  const char *src = "Doc\n===\n\n.. contents::\n\nA *one*\n-------\n\nx\n\n"
                    "Sub\n~~~\n\ny\n\nB\n-\n\nz\n";
  ss_node *doc = t_parse(src, NULL);
  xmlDocPtr x = t_xml(doc);
  cr_assert_eq(t_doc_count(x, "//pending"), 0);
  cr_assert_eq(t_doc_count(x, "//topic[@ids='contents']/bullet_list/list_item/"
                              "bullet_list/list_item/bullet_list/list_item"),
               1);
  char *ids = t_doc_string(x, "string(//reference[@refid='sub']/@ids)");
  cr_assert_str_eq(ids, "id3", "entries numbered depth first, as Docutils");
  char *back = t_doc_string(x, "string(//section[@ids='b']/title/@refid)");
  cr_assert_str_eq(back, "id4");
  char *text = t_doc_string(x, "string(//reference[@refid='a-one'])");
  cr_assert_str_eq(text, "A one");
  free(ids), free(back), free(text);
  xmlFreeDoc(x);
  ss_node_free(doc);
}

Test(transforms, local_contents_with_depth_and_top_backlinks) {
  const char *src =
      "Doc\n===\n\n.. contents:: Table\n   :local:\n   :depth: 1\n"
      "   :backlinks: top\n\nA\n-\n\nx\n\nSub\n~~~\n\ny\n";
  cr_assert_eq(t_count(src, "//topic//reference"), 1);
  char *back = t_string(src, "string(//section[@ids='a']/title/@refid)");
  cr_assert_str_eq(back, "table");
  free(back);
  cr_assert_eq(t_count(src, "//section[@ids='sub']/title/@refid"), 0);
}

Test(transforms, contents_without_sections_is_removed) {
  cr_assert_eq(t_count(".. contents::\n\ntext\n", "//topic"), 0);
}

/* Docutils' Transitions (830), as Sphinx runs it: a transition that
 * ends a section moves after the outermost section it ends; one after a
 * title, after another transition, or at the end of the document stays,
 * with an error. */
/* n tables of contents over n sections make n^2 entries: 100,000 in all
 * at most, then one error and the tables that would go past it left
 * out. */
Test(transforms, contents_bounded_in_all) {
  ss_buf b = SS_BUF_INIT;
  for (int i = 0; i < 202; i++)
    ss_buf_puts(&b, ".. contents::\n\n");
  for (int i = 0; i < 500; i++)
    ss_buf_printf(&b, "S%d\n====\n\nText.\n\n", i);
  t_result r = t_build(b.data);
  ss_buf_free(&b);
  t_expect_count(&r, "//topic[@classes='contents']", 200);
  t_expect_count(&r, "//topic[@classes='contents'][200]/bullet_list/list_item",
                 500);
  t_expect_count(&r,
                 "//system_message[starts-with(paragraph, 'The tables of "
                 "contents list more than 100000 entries')]",
                 1);
  t_result_free(&r);
}

Test(transforms, transitions_at_the_end_of_a_section_move_up) {
  ss_node *doc = el(NULL, SS_DOCUMENT);
  ss_node *top = section(doc, "Top");
  ss_node *sub = section(top, "Sub");
  para(sub, "text");
  el(sub, SS_TRANSITION);
  ss_node *next = section(doc, "Next");
  el(next, SS_TRANSITION);
  para(next, "more");
  el(next, SS_TRANSITION);
  el(next, SS_TRANSITION);
  para(next, "end");
  el(next, SS_TRANSITION);
  run(doc);
  cr_expect_eq(count(doc, "/document/transition"), 1);
  cr_expect_eq(count(doc, "/document/section[1]/following-sibling::*[1]"
                          "[self::transition]"),
               1);
  cr_expect_eq(count(doc, "//section[title='Sub']/transition"), 0);
  cr_expect_eq(count(doc, "//system_message[@level='3']"), 3);
  ASSERT_Q(doc, "string(//section[title='Next']/system_message[1]/paragraph)",
           "Document or section may not begin with a transition.");
  ASSERT_Q(doc, "string(//section[title='Next']/system_message[2]/paragraph)",
           "At least one body element must separate transitions; adjacent "
           "transitions are not allowed.");
  ASSERT_Q(doc, "string(//section[title='Next']/*[last()]/paragraph)",
           "Document may not end with a transition.");
  ss_node_free(doc);
}

/* Docutils' TargetNotes (540): a footnote per URI that a named
 * reference (looked up as the parser noted it, before the indirect
 * targets resolve) or an anonymous reference leads to, numbered after
 * the parser's automatic footnotes, a reference to it after each. */
Test(transforms, target_notes_footnote_every_external_target) {
  const char *src = "Text a_ and b_ and c_ [#]_ and `d <http://d.example/>`_ "
                    "and d_ and anon__.\n\n"
                    ".. target-notes::\n   :class: tn\n\n"
                    ".. _a: b_\n.. _b: http://b.example/\n"
                    ".. _c: http://b.example/\n\n"
                    "__ http://anon.example/\n\n"
                    ".. [#] auto one\n";
  ss_node *doc = t_parse(src, NULL);
  cr_expect_eq(count(doc, "//pending"), 0);
  cr_expect_eq(count(doc, "/document/footnote[@auto='1']"), 4);
  /* In the directive's place, in order of the targets, then the
   * anonymous references; the parser's footnote is number 1. */
  ASSERT_Q(doc, "string(/document/footnote[1]/label)", "2");
  ASSERT_Q(doc, "string(/document/footnote[1]//reference/@refuri)",
           "http://d.example/");
  ASSERT_Q(doc, "string(/document/footnote[2]//reference/@refuri)",
           "http://b.example/");
  ASSERT_Q(doc, "string(/document/footnote[3]//reference/@refuri)",
           "http://anon.example/");
  ASSERT_Q(doc, "string(/document/footnote[4]/label)", "1");
  ASSERT_Q(doc, "string(/document/footnote[2]/@names)", "TARGET_NOTE:\\ id6");
  /* a_ (through b_), b_ and c_ share one note. */
  cr_expect_eq(count(doc, "//reference[@name='a']/following-sibling::*[2]"
                          "[self::footnote_reference][.='3']"),
               1);
  cr_expect_eq(count(doc, "//footnote_reference[@classes='tn']"), 5);
  cr_expect_eq(count(doc, "//inline[@classes='tn'][.=' ']"), 5);
  ASSERT_Q(doc, "string(/document/footnote[2]/@backrefs)", "id7 id8 id9");
  ss_node_free(doc);
}

/* Docutils' SectNum (710): titles numbered from :start:, down to
 * :depth:, between :prefix: and :suffix:, three no-break spaces after,
 * before the contents are listed (which then show the numbers). */
Test(transforms, sectnum_numbers_titles_before_the_contents) {
  const char *src = "Doc\n===\n\n.. contents::\n\n.. sectnum::\n   :start: 3\n"
                    "\nA *one*\n-------\n\nx\n\nSub\n~~~\n\ny\n\nB\n-\n\nz\n";
  ss_node *doc = t_parse(src, NULL);
  cr_expect_eq(count(doc, "//pending"), 0);
  ASSERT_Q(doc, "string(//section[@ids='sub']/title/generated)",
           "3.1.1\u00a0\u00a0\u00a0");
  cr_expect_eq(count(doc, "//section/title[@auto='1']"
                          "/generated[@classes='sectnum']"),
               4);
  ASSERT_Q(doc, "string(//reference[@refid='b'])", "3.2\u00a0\u00a0\u00a0B");
  cr_expect_eq(count(doc, "//topic/bullet_list[@classes='auto-toc']"), 1);
  ss_node_free(doc);
  const char *opts = ".. sectnum::\n   :depth: 2\n   :prefix: A.\n"
                     "   :suffix: )\n\nT\n=\n\nS\n-\n\nU\n~\n";
  doc = t_parse(opts, NULL);
  ASSERT_Q(doc, "string(//section[@ids='s']/title/generated)",
           "A.1.1)\u00a0\u00a0\u00a0");
  cr_expect_eq(count(doc, "//section[@ids='u']/title/generated"), 0);
  ss_node_free(doc);
  cr_expect_eq(t_count(".. sectnum::\n   :depth: x\n",
                       "//system_message[@type='ERROR']"),
               1);
}

/* Sphinx's todo notes its node as an explicit target once its content
 * is parsed: it takes the next automatic id then, after the ids inside
 * it and before the footnotes that follow. */
Test(transforms, todo_ids_in_document_order) {
  const char *src = "Ref [#a]_.\n\n.. todo:: With [#]_ inside.\n\n"
                    ".. [#] fn\n\n.. [#a] fa\n\n.. todo:: plain\n\n"
                    ".. _x:\n\n.. todo:: targeted\n";
  ss_node *doc = t_parse(src, NULL);
  ASSERT_Q(doc, "string(/document/todo_node[1]/@ids)", "id3");
  ASSERT_Q(doc, "string(/document/todo_node[1]//footnote_reference/@ids)",
           "id2");
  ASSERT_Q(doc, "string(/document/footnote[1]/@ids)", "id4");
  ASSERT_Q(doc, "string(/document/todo_node[2]/@ids)", "id5");
  ASSERT_Q(doc, "string(/document/todo_node[3]/@ids)", "id6 x");
  ss_node_free(doc);
}

/* Docutils' class directive (Sphinx's rst-class and cssclass): the
 * classes go on each element of its content, or, without content, on
 * the next element that is not a target, comment or message, looking
 * past the end of containers (ClassAttribute, 210). */
Test(transforms, rst_class_gives_the_next_element_classes) {
  const char *src = "Title\n=====\n\n.. rst-class:: fancy\n\nPara.\n\n"
                    ".. cssclass:: Two words\n\n.. _t:\n\n.. comment\n\n"
                    "- item\n\n.. rst-class:: inner\n\n   First.\n\n"
                    "   Second.\n\nSub\n---\n\n- x\n\n  .. rst-class:: up\n\n"
                    "text\n\n.. rst-class:: last\n";
  ss_node *doc = t_parse(src, NULL);
  cr_expect_eq(count(doc, "//paragraph[@classes='fancy'][.='Para.']"), 1);
  cr_expect_eq(count(doc, "//bullet_list[@classes='two words']"), 1);
  cr_expect_eq(count(doc, "//paragraph[@classes='inner']"), 2);
  cr_expect_eq(count(doc, "//paragraph[@classes='up'][.='text']"), 1);
  cr_expect_eq(count(doc, "//pending"), 0);
  ASSERT_Q(doc, "string(//system_message[@level='3']/paragraph)",
           "No suitable element following \"rst-class\" directive");
  ss_node_free(doc);
}

/* --- lines ---------------------------------------------------------- */

/* After the transforms each node carries the line Sphinx reports a
 * problem about it at: Docutils' get_source_line once Sphinx's
 * ApplySourceWorkaround has run. The reader leaves a node's own line,
 * 0 for none (the nearest ancestor's counts) or -1 for a source
 * without a line (get_source_line stops there); a section and its
 * title keep their title's line and count at the underline, the next. */
static ss_node *eln(ss_node *parent, ss_kind kind, int line) {
  ss_node *n = ss_node_append(parent, ss_node_new(kind, line));
  return n;
}

Test(transforms, lines_are_where_sphinx_reports) {
  ss_node *doc = ss_node_new(SS_DOCUMENT, 0);
  ss_node *sec = eln(doc, SS_SECTION, 3);
  ss_node *title = eln(sec, SS_TITLE, 3);
  ss_node *em = txt(eln(title, SS_EMPHASIS, 0), "t");
  txt(title, " title");
  ss_node *p = eln(sec, SS_PARAGRAPH, 5);
  ss_node *ref = txt(eln(p, SS_REFERENCE, 0), "r");
  ss_node *item = eln(eln(sec, SS_BULLET_LIST, 7), SS_LIST_ITEM, -1);
  ss_node *in_item = eln(item, SS_IMAGE, 0);
  ss_node *fig = eln(sec, SS_FIGURE, 12);
  ss_node *fig_img = eln(fig, SS_IMAGE, 0);
  ss_node *topic = eln(sec, SS_TOPIC, 0);
  ss_node *topic_title = txt(eln(topic, SS_TITLE, 0), "T");
  ss_node *lit = txt(eln(sec, SS_LITERAL_BLOCK, 0), "x");
  ss_node *rubric = txt(eln(sec, SS_RUBRIC, 0), "R");
  ss_node *lb = eln(sec, SS_LINE_BLOCK, 20);
  ss_node *line = txt(eln(lb, SS_LINE, 20), "l");
  ss_node *empty_line = eln(lb, SS_LINE, 21);
  ss_node *dli =
      eln(eln(sec, SS_DEFINITION_LIST, -1), SS_DEFINITION_LIST_ITEM, 24);
  txt(eln(dli, SS_TERM, 24), "term");
  ss_node *cls = txt(eln(dli, SS_CLASSIFIER, 0), "c");
  ss_node *def = eln(dli, SS_DEFINITION, 0);
  run(doc);
  cr_expect_eq(sec->line, 3);
  cr_expect_eq(title->line, 3);
  cr_expect_eq(em->line, 4); /* the underline's */
  cr_expect_eq(ref->line, 5);
  cr_expect_eq(item->line, 0);
  cr_expect_eq(in_item->line, 0);
  cr_expect_eq(fig_img->line, 12); /* the figure's (workaround) */
  cr_expect_eq(topic->line, 4);
  cr_expect_eq(topic_title->line, 4);
  cr_expect_eq(lit->line, 0); /* a source, no line (workaround) */
  cr_expect_eq(rubric->line, 0);
  cr_expect_eq(line->line, 20);
  cr_expect_eq(empty_line->line, 0); /* no text: the workaround's 0 */
  cr_expect_eq(cls->line, 0);
  cr_expect_eq(def->line, 24);
  ss_node_free(doc);
}

/* Parsed: a problem about an inline node is at its text block's first
 * line; an inline node copied from a substitution takes the line of
 * where it lands; a label of a section is at its underline; the
 * pending_xref Sphinx makes of a citation reference is at the line
 * copy_source_info finds. */
Test(transforms, problems_and_labels_at_sphinxs_lines) {
  ss_node *doc = t_parse("a\nb ref_\n", NULL);
  ASSERT_Q(doc, "string(//system_message[@level='3']/@line)", "1");
  ss_node_free(doc);

  doc = t_parse("a\nb |y|\n\n.. |y| replace:: `t <http://x>`_\n", NULL);
  ss_node *r = NULL;
  for (ss_node *n = doc; n; n = ss_node_next_in(doc, n))
    if (n->kind == SS_REFERENCE && n->parent->kind == SS_PARAGRAPH)
      r = n;
  cr_assert(r);
  cr_expect_eq(r->line, 1);
  ss_node_free(doc);

  ss_diag diag;
  ss_diag_init(&diag);
  diag.quiet = 1;
  ss_buf labels = SS_BUF_INIT, citations = SS_BUF_INIT;
  doc = t_parse_raw(".. _lbl:\n\nTitle\n=====\n\na\nb [CIT]_\n\n.. [CIT] c\n",
                    &diag);
  ss_transform_options opts = {.path = "t.rst",
                               .diag = &diag,
                               .keep_pending_xrefs = true,
                               .labels = &labels,
                               .citations = &citations};
  ss_transform_document(doc, &opts);
  /* lbl's entry: name, id, line, kind, title */
  const char *line = NULL;
  for (size_t at = 0; labels.data && at < labels.len;) {
    const char *f[5];
    for (int k = 0; k < 5; k++) {
      f[k] = labels.data + at;
      at += strlen(f[k]) + 1;
    }
    if (strcmp(f[0], "lbl") == 0)
      line = f[2];
  }
  cr_assert(line);
  cr_expect_str_eq(line, "4");
  /* the citation's label, id and line */
  const char *c = citations.data;
  cr_assert(c);
  c += strlen(c) + 1;
  c += strlen(c) + 1;
  cr_expect_str_eq(c, "9");
  ss_node *x = NULL;
  for (ss_node *n = doc; n; n = ss_node_next_in(doc, n))
    if (n->kind == SS_PENDING_XREF)
      x = n;
  cr_assert(x);
  cr_expect_eq(x->line, 6);
  ss_buf_free(&labels);
  ss_buf_free(&citations);
  ss_node_free(doc);
}
