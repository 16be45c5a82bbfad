/* Tests for the SmartQuotes pass: each expected string is what Sphinx 5.3
 * (smartquotes on, action 'qDe', language en) writes for the same
 * source with `sphinx-build -b xml`. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"
#include "transforms/transforms.h"

/* Asserts that the XPath string value on the tree of `rst` is `want`. */
static void S_expect(const char *rst, const char *xpath, const char *want) {
  char *got = t_string(rst, xpath);
  cr_expect_str_eq(got, want, "source: %s", rst);
  free(got);
}

#define PARA "string(//paragraph)"

Test(smartquotes, plain_quotes) {
  S_expect("Plain \"double\" and 'single' quotes.\n", PARA,
           "Plain \u201cdouble\u201d and \u2018single\u2019 quotes.");
}

Test(smartquotes, apostrophes) {
  S_expect("Don't, '90s, rock 'n' roll, isn't it?\n", PARA,
           "Don\u2019t, \u201990s, rock \u2018n\u2019 roll, isn\u2019t it?");
  S_expect("It's 5'10\" tall; 'tis the \"end\".\n", PARA,
           "It\u2019s 5\u201910\u201d tall; \u2018tis the \u201cend\u201d.");
}

Test(smartquotes, nested_quotes) {
  S_expect("Nested: \"She said 'hi' to me.\" and '\"inner\" outer'. "
           "\"'Quoted' words\".\n",
           PARA,
           "Nested: \u201cShe said \u2018hi\u2019 to me.\u201d and "
           "\u2018\u201cinner\u201d outer\u2019. \u201c\u2018Quoted\u2019 "
           "words\u201d.");
}

Test(smartquotes, lone_quotes) {
  S_expect("'Start and end'\n", PARA, "\u2018Start and end\u2019");
  S_expect("\"\n", PARA, "\u201c");
  S_expect("'\n", PARA, "\u2018");
  S_expect("\"'\n", PARA, "\u201c\u2019");
  S_expect("''Double single''\n", PARA,
           "\u2018\u2019Double single\u2019\u2019");
}

/* The direction of a quote depends on the character before it, even in
 * another node; literal text is left alone but still gives context. */
Test(smartquotes, context_across_markup) {
  S_expect("Markup: *\"a\"* and \"*b*\" and **'c'** then \"``x``\" then "
           "``lit``\"tail\".\n",
           PARA,
           "Markup: \u201ca\u201d and \u201cb\u201d and \u2018c\u2019 then "
           "\u201cx\u201d then lit\u201dtail\u201d.");
  S_expect("Quote after literal: ``a``'s and ``b``\" and ``c`` \"d\".\n", PARA,
           "Quote after literal: a\u2019s and b\u201d and c \u201cd\u201d.");
  S_expect("Link `\"quoted\" link <http://x.org/>`_ and \"`title ref`\".\n",
           PARA, "Link \u201cquoted\u201d link and \u201ctitle ref\u201d.");
}

Test(smartquotes, dashes_and_ellipsis) {
  /* Docutils replaces "---" before "--", so four and five hyphens come
   * out as these mixtures. */
  S_expect("Dashes: a -- b --- c ---- d ----- e.\n", PARA,
           "Dashes: a \u2013 b \u2014 c \u2014- d \u2014\u2013 e.");
  S_expect("Ellipsis... and . . . and ....\n", PARA,
           "Ellipsis\u2026 and \u2026 and \u2026.");
}

Test(smartquotes, titles_terms_lines_notes) {
  S_expect("Title \"quoted\" -- here\n======================\n",
           "string(//title)", "Title \u201cquoted\u201d \u2013 here");
  S_expect("term \"t\"\n   def 'd'\n", "string(//term)", "term \u201ct\u201d");
  S_expect("| line 'two'\n", "string(//line)", "line \u2018two\u2019");
  S_expect(".. note:: Note \"n\" -- x.\n", "string(//note/paragraph)",
           "Note \u201cn\u201d \u2013 x.");
}

Test(smartquotes, literal_text_unchanged) {
  S_expect("``\"lit\" -- ...``\n", "string(//literal)", "\"lit\" -- ...");
  S_expect(":code:`\"c\"` :kbd:`'k'` :samp:`\"s\"` :file:`'f'`\n",
           "concat(//literal[1], //literal[2], //literal[3], //literal[4])",
           "\"c\"'k'\"s\"'f'");
  S_expect(":math:`\"m\" -- x`\n", "string(//math)", "\"m\" -- x");
  S_expect("::\n\n   literal \"block\" -- ...\n", "string(//literal_block)",
           "literal \"block\" -- ...");
  S_expect(".. code-block:: python\n\n   x = \"y\" -- 'z' ...\n",
           "string(//literal_block)", "x = \"y\" -- 'z' ...");
  S_expect(".. comment \"here\" --\n", "string(//comment)",
           "comment \"here\" --");
  S_expect(">>> print(\"doctest\")\n", "string(//doctest_block)",
           ">>> print(\"doctest\")");
}

/* A literal backslash (written "\\") protects nothing in Docutils: the
 * quote after it is curled. Text that looks like the character
 * references Docutils uses internally comes out as the character. */
Test(smartquotes, backslashes_and_references) {
  S_expect("a \\\\\"z\" b\n", PARA, "a \\\u201dz\u201d b");
  S_expect("a &#34; b &mdash;'x' &nbsp;\"y\" (' x) [\"] [\" x].\n", PARA,
           "a \" b &mdash;\u2018x\u2019 &nbsp;\u201cy\u201d (\u2019 x) "
           "[\u201d] [\u201d x].");
}

/* Quadratic behaviour would show on a long paragraph full of quotes,
 * dashes and inline literals. */
Test(smartquotes, linear_time) {
  const char *unit = "\"a\" 'b' -- c... ``d`` *e* ";
  size_t n = 40000, ulen = strlen(unit);
  char *src = malloc(n * ulen + 2);
  for (size_t i = 0; i < n; i++)
    memcpy(src + i * ulen, unit, ulen);
  strcpy(src + n * ulen, "\n");
  clock_t t0 = clock();
  ss_node *doc = t_parse(src, NULL);
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  cr_assert_not_null(doc);
  const ss_node *p = ss_node_child(doc, SS_PARAGRAPH);
  cr_assert_not_null(p);
  cr_expect_eq(strncmp(p->first->text,
                       "\u201ca\u201d \u2018b\u2019 \u2013 c\u2026 ", 22),
               0);
  cr_expect_lt(secs, 10.0, "1 MB paragraph took %.2f s", secs);
  ss_node_free(doc);
  free(src);
}

/* Nodes the reader does not make from plain source (raw is disabled,
 * signatures come from domains), built by hand. */
Test(smartquotes, raw_signature_citation_label) {
  ss_node *doc = ss_node_new(SS_DOCUMENT, 1);
  ss_node *raw = ss_node_append(doc, ss_node_new(SS_RAW, 1));
  ss_node_append_text(raw, "<b a=\"x\">--</b>", 16, 1);
  ss_node *desc = ss_node_append(doc, ss_node_new(SS_DESC, 1));
  ss_node *sig = ss_node_append(desc, ss_node_new(SS_DESC_SIGNATURE, 1));
  ss_node_append_text(sig, "f(a='x')", 8, 1);
  ss_node *cit = ss_node_append(doc, ss_node_new(SS_CITATION, 1));
  ss_node *label = ss_node_append(cit, ss_node_new(SS_LABEL, 1));
  ss_node_append_text(label, "CIT'1", 5, 1);
  ss_node *para = ss_node_append(cit, ss_node_new(SS_PARAGRAPH, 1));
  ss_node_append_text(para, "A 'cite'", 8, 1);
  ss_diag diag;
  ss_diag_init(&diag);
  diag.quiet = 1;
  ss_transform_options opts = {.path = NULL, .diag = &diag};
  ss_transform_document(doc, &opts);
  cr_expect_str_eq(raw->first->text, "<b a=\"x\">--</b>");
  cr_expect_str_eq(sig->first->text, "f(a='x')");
  cr_expect_str_eq(label->first->text, "CIT'1");
  cr_expect_str_eq(para->first->text, "A \u2018cite\u2019");
  ss_node_free(doc);
}

/* Problem reports keep Docutils' wording, as printed on stderr. */
Test(smartquotes, system_messages_untouched) {
  S_expect(".. frobnicate:: arg\n", "string(//system_message/paragraph)",
           "Unknown directive type \"frobnicate\".");
}

/* Sphinx's doc fields write " -- " between a parameter and its text,
 * before smart quotes run: the tree has an en dash. */
Test(smartquotes, http_domain_doc_fields) {
  S_expect(".. http:get:: /a\n\n   :param x: multi\n   :type x: int\n",
           "string(//field[1]//paragraph)", "x (int) \u2013 multi");
}
