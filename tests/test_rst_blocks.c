/* test_rst_blocks.c — the line-level reStructuredText parser, construct by
 * construct. Every expectation was taken from what Docutils 0.19 builds
 * for the same source (publish_doctree(src).pformat()), so where this
 * file and Docutils disagree, this file is wrong. Ids are Sphinx's
 * (transforms), so the structure is asserted, not the ids. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"
#include "rst/rst.h"

#if defined(__SANITIZE_ADDRESS__)
#define S_SLOWDOWN 10
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define S_SLOWDOWN 10
#endif
#endif
#ifndef S_SLOWDOWN
#define S_SLOWDOWN 1
#endif

/* Expectations on the transformed tree (what `specsite ast` prints). */
#define COUNT(rst, xpath, want)                                                \
  do {                                                                         \
    int got_ = t_count((rst), (xpath));                                        \
    cr_expect_eq(got_, (want), "%s: got %d, want %d\n--- source:\n%s",         \
                 (xpath), got_, (want), (rst));                                \
  } while (0)

#define STR(rst, xpath, want)                                                  \
  do {                                                                         \
    char *got_ = t_string((rst), (xpath));                                     \
    cr_expect_str_eq(got_, (want), "%s\n--- source:\n%s", (xpath), (rst));     \
    free(got_);                                                                \
  } while (0)

/* Expectations on the tree before the transforms. */
static int S_raw_count(const char *rst, const char *xpath) {
  ss_node *tree = t_parse_raw(rst, NULL);
  xmlDocPtr doc = t_xml(tree);
  int n = t_doc_count(doc, xpath);
  xmlFreeDoc(doc);
  ss_node_free(tree);
  return n;
}

static char *S_raw_string(const char *rst, const char *xpath) {
  ss_node *tree = t_parse_raw(rst, NULL);
  xmlDocPtr doc = t_xml(tree);
  char *s = t_doc_string(doc, xpath);
  xmlFreeDoc(doc);
  ss_node_free(tree);
  return s;
}

#define RAW_COUNT(rst, xpath, want)                                            \
  do {                                                                         \
    int got_ = S_raw_count((rst), (xpath));                                    \
    cr_expect_eq(got_, (want), "%s: got %d, want %d\n--- source:\n%s",         \
                 (xpath), got_, (want), (rst));                                \
  } while (0)

#define RAW_STR(rst, xpath, want)                                              \
  do {                                                                         \
    char *got_ = S_raw_string((rst), (xpath));                                 \
    cr_expect_str_eq(got_, (want), "%s\n--- source:\n%s", (xpath), (rst));     \
    free(got_);                                                                \
  } while (0)

/* A system message with this level, line and (start of) text. */
static void S_expect_message(const char *rst, int level, int line,
                             const char *text) {
  char xpath[512];
  snprintf(xpath, sizeof xpath,
           "//system_message[@level='%d'][@line='%d']"
           "[starts-with(paragraph, '%s')]",
           level, line, text);
  int got = S_raw_count(rst, xpath);
  cr_expect_eq(got, 1, "want one %s\n--- source:\n%s", xpath, rst);
}

/* --- sections ------------------------------------------------------ */

Test(sections, every_adornment_character_makes_a_title) {
  static const char chars[] = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  for (const char *ch = chars; *ch; ch++) {
    char src[64];
    snprintf(src, sizeof src, "Title\n%c%c%c%c%c%c\n\npara\n", *ch, *ch, *ch,
             *ch, *ch, *ch);
    COUNT(src, "/document/section/title", 1);
    COUNT(src, "/document/section/paragraph", 1);
    COUNT(src, "//system_message", 0);
  }
}

Test(sections, levels_by_first_appearance) {
  const char *src = "A\n=\n\nB\n-\n\nC\n~\n\nD\n-\n\nE\n=\n\nF\n~\n";
  COUNT(src, "/document/section", 2);
  STR(src, "string(/document/section[1]/title)", "A");
  STR(src, "string(/document/section[1]/section[1]/title)", "B");
  STR(src, "string(/document/section[1]/section[1]/section/title)", "C");
  STR(src, "string(/document/section[1]/section[2]/title)", "D");
  STR(src, "string(/document/section[2]/title)", "E");
  /* "~" is level 3 but E has no level-2 section yet. */
  COUNT(src, "/document/section[2]/section", 0);
  RAW_COUNT(src, "/document/section[2]/system_message[@level='4']", 1);
  S_expect_message(src, 4, 16, "Title level inconsistent:");
}

Test(sections, overline_and_underline_is_its_own_style) {
  const char *src = "=======\n Title\n=======\n\nText\n\nSub\n---\n\ntext\n\n"
                    "=======\nTitle2\n=======\n\nx\n";
  COUNT(src, "/document/section", 2);
  STR(src, "string(/document/section[1]/title)", "Title");
  STR(src, "string(/document/section[1]/section/title)", "Sub");
  STR(src, "string(/document/section[2]/title)", "Title2");
  /* Underline-only "=" differs from over-and-underline "=". */
  const char *mixed = "=====\nA\n=====\n\nB\n=====\n\nx\n";
  STR(mixed, "string(/document/section/section/title)", "B");
}

Test(sections, underline_too_short_warns_or_is_text) {
  const char *warn = "Title here\n=====\n\npara\n";
  COUNT(warn, "/document/section/title", 1);
  S_expect_message(warn, 2, 2, "Title underline too short.");
  RAW_STR(warn, "string(//system_message/literal_block)", "Title here\n=====");
  /* Under four characters: ordinary text, with an INFO. */
  const char *text = "Title\n===\n\npara\n";
  COUNT(text, "//section", 0);
  STR(text, "string(/document/paragraph[1])", "Title\n===");
  S_expect_message(text, 1, 2, "Possible title underline, too short");
  /* As long as the title is fine even when short. */
  COUNT("ab\n==\n\nx\n", "/document/section/title", 1);
}

Test(sections, overline_problems) {
  const char *incomplete = "======\nTitle\n";
  COUNT(incomplete, "//section", 0);
  S_expect_message(incomplete, 4, 1, "Incomplete section title.");
  const char *missing = "======\nTitle\n\npara\n";
  S_expect_message(missing, 4, 1, "Missing matching underline");
  COUNT(missing, "/document/paragraph", 1);
  const char *mismatch = "======\nTitle\n------\n\npara\n";
  S_expect_message(mismatch, 4, 1, "Title overline & underline mismatch.");
  COUNT(mismatch, "//section", 0);
  const char *longer = "=====\nLong Title\n=====\n\nx\n";
  COUNT(longer, "/document/section/title", 1);
  S_expect_message(longer, 2, 1, "Title overline too short.");
  /* A short overline is text. */
  const char *shortover = "===\nLong Title\n===\n\nx\n";
  COUNT(shortover, "//section", 0);
  S_expect_message(shortover, 1, 1, "Possible incomplete section title.");
}

Test(sections, titles_are_not_allowed_in_nested_bodies) {
  const char *bq = "para\n\n  Title\n  =====\n\n  x\n";
  COUNT(bq, "//section", 0);
  RAW_COUNT(bq, "/document/block_quote/system_message[@level='4']", 1);
  S_expect_message(bq, 4, 4, "Unexpected section title.");
  const char *li = "- x\n\n  =====\n  Title\n  =====\n";
  COUNT(li, "//section", 0);
  S_expect_message(li, 4, 3, "Unexpected section title or transition.");
}

Test(sections, title_line_followed_by_text) {
  const char *src = "Title\n=====\nfollowed\n";
  COUNT(src, "/document/section/title", 1);
  STR(src, "string(/document/section/paragraph)", "followed");
}

/* --- transitions --------------------------------------------------- */

Test(transitions, between_paragraphs) {
  const char *src = "para\n\n----------\n\npara\n";
  COUNT(src, "/document/transition", 1);
  COUNT(src, "/document/*", 3);
  /* Under four characters: a paragraph. */
  const char *shrt = "para\n\n---\n\npara\n";
  COUNT(shrt, "//transition", 0);
  COUNT(shrt, "/document/paragraph", 3);
}

Test(transitions, not_in_block_quotes) {
  const char *src = "para\n\n  ----------\n\n  x\n";
  COUNT(src, "//transition", 0);
  S_expect_message(src, 4, 3, "Unexpected section title or transition.");
}

/* --- paragraphs ---------------------------------------------------- */

Test(paragraphs, lines_join_and_indentation_starts_a_quote) {
  const char *src = "one\ntwo\n  three\n\nfour\n";
  STR(src, "string(/document/paragraph[1])", "one\ntwo");
  STR(src, "string(/document/block_quote/paragraph)", "three");
  STR(src, "string(/document/paragraph[2])", "four");
  S_expect_message(src, 3, 3, "Unexpected indentation.");
}

/* --- bullet lists -------------------------------------------------- */

Test(bullet_lists, every_bullet_character) {
  const char *src =
      "- a\n- b\n\n+ c\n+ d\n\n* e\n\n\xe2\x80\xa2 f\n\xe2\x80\xa2 "
      "g\n\n\xe2\x80\xa3 h\n\n\xe2\x81\x83 i\n";
  COUNT(src, "/document/bullet_list", 6);
  COUNT(src, "/document/bullet_list[@bullet='-']/list_item", 2);
  COUNT(src, "/document/bullet_list[@bullet='+']/list_item", 2);
  COUNT(src, "/document/bullet_list[@bullet='*']/list_item", 1);
  COUNT(src, "/document/bullet_list[@bullet='\xe2\x80\xa2']/list_item", 2);
  COUNT(src, "/document/bullet_list[@bullet='\xe2\x80\xa3']", 1);
  COUNT(src, "/document/bullet_list[@bullet='\xe2\x81\x83']", 1);
  COUNT(src, "//system_message", 0);
}

Test(bullet_lists, marker_alone_on_its_line) {
  const char *src = "-\n  text\n\n-\n\n  later\n-\n";
  COUNT(src, "/document/bullet_list/list_item", 3);
  STR(src, "string(//list_item[1]/paragraph)", "text");
  STR(src, "string(//list_item[2]/paragraph)", "later");
  COUNT(src, "//list_item[3]/*", 0);
}

Test(bullet_lists, nesting_and_continuation) {
  const char *src = "- a\n\n  - b\n  - c\n\n    - d\n\n- e\n";
  COUNT(src, "/document/bullet_list/list_item", 2);
  COUNT(src, "/document/bullet_list/list_item[1]/bullet_list/list_item", 2);
  STR(src,
      "normalize-space(//list_item[1]/bullet_list/list_item[2]/bullet_list)",
      "d");
  const char *cont = "- a\n  b\n- c\n\n  d\n";
  STR(cont, "string(//list_item[1]/paragraph)", "a\nb");
  COUNT(cont, "//list_item[2]/paragraph", 2);
  /* A different bullet starts a new list. */
  COUNT("- a\n+ b\n", "/document/bullet_list", 2);
}

Test(bullet_lists, unindent_without_blank_line) {
  const char *src = "- a\n- b\ntext\n";
  COUNT(src, "/document/bullet_list/list_item", 2);
  STR(src, "string(/document/paragraph)", "text");
  S_expect_message(src, 2, 3,
                   "Bullet list ends without a blank line; unexpected "
                   "unindent.");
  /* Less indented than the item text: a block quote inside the item. */
  const char *quote = "- a\n\n   b\n  c\n";
  COUNT(quote, "//list_item/block_quote", 1);
}

/* --- enumerated lists ---------------------------------------------- */

Test(enumerated_lists, every_sequence) {
  const char *src = "1. a\n2. b\n3. c\n\na. x\nb. y\n\nA. X\nB. Y\n\ni. r\nii. "
                    "rr\niii. rrr\n\nI. R\nII. RR\n\n#. auto\n#. auto2\n";
  /* "#." continues any sequence: the last list takes the autos. */
  COUNT(src, "/document/enumerated_list", 5);
  COUNT(src, "/document/enumerated_list[1][@enumtype='arabic']/list_item", 3);
  COUNT(src, "/document/enumerated_list[2][@enumtype='loweralpha']/list_item",
        2);
  COUNT(src, "/document/enumerated_list[3][@enumtype='upperalpha']/list_item",
        2);
  COUNT(src, "/document/enumerated_list[4][@enumtype='lowerroman']/list_item",
        3);
  COUNT(src, "/document/enumerated_list[5][@enumtype='upperroman']/list_item",
        4);
  COUNT("#. auto\n#. auto2\n",
        "/document/enumerated_list[@enumtype='arabic']/list_item", 2);
  COUNT(src, "/document/enumerated_list[@prefix=''][@suffix='.']", 5);
  COUNT(src, "//enumerated_list[@start]", 0);
}

Test(enumerated_lists, formats_and_start_values) {
  const char *src = "(1) a\n(2) b\n\n1) c\n2) d\n\n3. x\n4. y\n\n(v) z\n";
  COUNT(src, "/document/enumerated_list", 4);
  COUNT(src, "/document/enumerated_list[1][@prefix='('][@suffix=')']", 1);
  COUNT(src, "/document/enumerated_list[2][@prefix=''][@suffix=')']", 1);
  STR(src, "string(/document/enumerated_list[3]/@start)", "3");
  /* Only "i" and "I" alone are roman: "(v)" is the 22nd letter. */
  STR(src, "string(/document/enumerated_list[4]/@start)", "22");
  STR(src, "string(/document/enumerated_list[4]/@enumtype)", "loweralpha");
  RAW_COUNT(src,
            "//system_message[@level='1'][starts-with(paragraph, "
            "'Enumerated list start value not ordinal-1: \"3\" (ordinal 3)')]",
            1);
  STR("0. zero\n1. one\n", "string(//enumerated_list/@start)", "0");
}

Test(enumerated_lists, einstein_stays_a_paragraph) {
  const char *src = "A. Einstein was a really\nsmart dude.\n";
  COUNT(src, "//enumerated_list", 0);
  STR(src, "string(/document/paragraph)",
      "A. Einstein was a really\nsmart dude.");
  /* "2." alone does not continue "1. x": Docutils wants "2. ". */
  const char *bare = "1. x\n2.\n";
  COUNT(bare, "//enumerated_list", 0);
  COUNT(bare, "/document/paragraph", 1);
}

Test(enumerated_lists, sequence_breaks_start_new_lists) {
  /* Docutils takes an enumerator only when the next line is blank,
   * indented or the next enumerator: a break with no blank line makes
   * both lines a paragraph. "1." then "#." continue; "#." wants "#.". */
  const char *src = "1. a\n3. b\n\n1. c\n2) d\n\n1. e\n#. f\n\n#. g\n2. h\n";
  COUNT(src, "/document/enumerated_list", 1);
  COUNT(src, "/document/paragraph", 3);
  COUNT(src, "/document/enumerated_list/list_item", 2);
  const char *blank = "1. a\n\n3. b\n\n1. c\n\n2) d\n\n#. g\n\n2. h\n";
  COUNT(blank, "/document/enumerated_list", 6);
  STR(blank, "string(/document/enumerated_list[2]/@start)", "3");
  COUNT(blank, "/document/enumerated_list[4]/list_item", 1);
  /* i. then j.: roman, then alphabetic. */
  const char *ij = "i. a\nj. b\n";
  COUNT(ij, "//enumerated_list", 0);
  COUNT("i. a\n\nj. b\n", "//enumerated_list", 2);
}

Test(enumerated_lists, invalid_roman_numerals_are_text) {
  const char *src = "iiii. bad\n\nIIII. x\n\nvv. y\n\nMCMXC. z\n";
  COUNT(src, "//enumerated_list", 1);
  STR(src, "string(//enumerated_list/@enumtype)", "upperroman");
  STR(src, "string(//enumerated_list/@start)", "1990");
  COUNT(src, "/document/paragraph", 3);
}

Test(enumerated_lists, not_enumerators) {
  const char *src = "1.a\n\n(1 x\n\n1\\. x\n";
  COUNT(src, "//enumerated_list", 0);
  COUNT(src, "/document/paragraph", 3);
  const char *marker_alone = "1.\n   text\n2.\n\n   more\n";
  COUNT(marker_alone, "//enumerated_list/list_item", 2);
  STR(marker_alone, "string(//list_item[2]/paragraph)", "more");
}

Test(enumerated_lists, unindent_warning) {
  /* "2. b" is not an item (the next line is text): the list ends
   * before it, and it starts the paragraph. */
  const char *src = "1. a\n2. b\ntext\n";
  S_expect_message(src, 2, 2,
                   "Enumerated list ends without a blank line; unexpected "
                   "unindent.");
  COUNT(src, "/document/enumerated_list/list_item", 1);
  STR(src, "string(/document/paragraph)", "2. b\ntext");
}

/* --- definition lists ---------------------------------------------- */

Test(definition_lists, terms_classifiers_items) {
  const char *src = "term\n  definition\n\nterm 2 : classifier\n  def 2\n\n"
                    "term 3 : c1 : c2\n  def 3\nterm 4\n  def 4\n";
  COUNT(src, "/document/definition_list", 1);
  COUNT(src, "//definition_list_item", 4);
  STR(src, "string(//definition_list_item[2]/term)", "term 2");
  STR(src, "string(//definition_list_item[2]/classifier)", "classifier");
  COUNT(src, "//definition_list_item[3]/classifier", 2);
  STR(src, "string(//definition_list_item[3]/classifier[2])", "c2");
  STR(src, "string(//definition_list_item[4]/definition/paragraph)", "def 4");
  /* Markup in the term and the classifier; blank lines between items. */
  const char *markup = "term *emph* : cls *x*\n  def\n\n\nterm2\n  def2\n";
  COUNT(markup, "//term/emphasis", 1);
  COUNT(markup, "//classifier/emphasis", 1);
  COUNT(markup, "//definition_list_item", 2);
  /* " : " inside inline literals is not a classifier delimiter. */
  const char *lit = "``a : b`` : c\n  d\n";
  STR(lit, "string(//term/literal)", "a : b");
  STR(lit, "string(//classifier)", "c");
}

Test(definition_lists, problems) {
  const char *src = "term\n  def\ntext\n";
  S_expect_message(src, 2, 3,
                   "Definition list ends without a blank line; unexpected "
                   "unindent.");
  const char *lit = "term::\n  def\n";
  COUNT(lit, "//definition_list_item", 1);
  S_expect_message(lit, 1, 2, "Blank line missing before literal block");
}

/* --- field lists --------------------------------------------------- */

Test(field_lists, fields) {
  /* Not first in the document, where Sphinx takes it as metadata. */
  const char *src = "para\n\n:name: body\n:name two: body\n  more\n:empty:\n"
                    ":multi: a\n\n  b\n\n:n\\: x: y\n";
  COUNT(src, "/document/field_list/field", 5);
  STR(src, "string(//field[2]/field_name)", "name two");
  STR(src, "string(//field[2]/field_body/paragraph)", "body\nmore");
  COUNT(src, "//field[3]/field_body/*", 0);
  COUNT(src, "//field[4]/field_body/paragraph", 2);
  STR(src, "string(//field[5]/field_name)", "n: x");
}

Test(field_lists, not_fields) {
  const char *src = "para\n\n:a:b\n\n: a: b\n\n:a : b\n";
  COUNT(src, "//field_list", 0);
  COUNT(src, "/document/paragraph", 4);
  const char *markup = "para\n\n:*a*: b\n";
  COUNT(markup, "//field_name/emphasis", 1);
  S_expect_message("para\n\n:a: b\ntext\n", 2, 4,
                   "Field list ends without a blank line; unexpected "
                   "unindent.");
}

/* --- option lists -------------------------------------------------- */

Test(option_lists, options_and_arguments) {
  const char *src =
      "-a            option a\n-b file       option b\n"
      "--long        long\n--long=arg    arg\n--long arg    arg2\n"
      "/V            dos\n-c <file name>  angle\n"
      "-d, --dd      two\n";
  COUNT(src, "/document/option_list/option_list_item", 8);
  STR(src, "string(//option_list_item[1]//option_string)", "-a");
  STR(src, "string(//option_list_item[1]/description/paragraph)", "option a");
  STR(src, "string(//option_list_item[2]//option_argument)", "file");
  STR(src, "string(//option_list_item[2]//option_argument/@delimiter)", " ");
  STR(src, "string(//option_list_item[4]//option_argument/@delimiter)", "=");
  STR(src, "string(//option_list_item[5]//option_argument/@delimiter)", " ");
  STR(src, "string(//option_list_item[6]//option_string)", "/V");
  STR(src, "string(//option_list_item[7]//option_argument)", "<file name>");
  COUNT(src, "//option_list_item[8]/option_group/option", 2);
  STR(src, "string(//option_list_item[8]//option[2]/option_string)", "--dd");
}

Test(option_lists, description_on_the_next_line) {
  const char *src = "--opt\n    description on next line\n-x  desc\n";
  COUNT(src, "//option_list_item", 2);
  STR(src, "normalize-space(//option_list_item[1]/description)",
      "description on next line");
  /* One space before the text: not an option list. */
  COUNT("-a one space only\n", "//option_list", 0);
  S_expect_message("-a  x\ntext\n", 2, 2,
                   "Option list ends without a blank line; unexpected "
                   "unindent.");
}

/* Docutils' option_list_item raises TransitionCorrection('text') when
 * nothing follows the marker: the line is a paragraph. */
Test(option_lists, marker_without_description_is_text) {
  COUNT("/v1\n", "//option_list", 0);
  STR("/v1\n", "string(/document/paragraph)", "/v1");
  COUNT("* /servers\n* -a\n", "//option_list", 0);
  COUNT("* /servers\n* -a\n", "//list_item/paragraph", 2);
  COUNT("+----+---+\n| -1 | x |\n+----+---+\n", "//entry/paragraph", 2);
  COUNT("+----+---+\n| -1 | x |\n+----+---+\n", "//option_list", 0);
  /* A later marker alone ends the list and is text. */
  const char *later = "-b  desc\n-c\n";
  COUNT(later, "//option_list_item", 1);
  STR(later, "string(/document/paragraph)", "-c");
  S_expect_message(later, 2, 2,
                   "Option list ends without a blank line; unexpected "
                   "unindent.");
  /* A description after a blank line still makes an item. */
  COUNT("-d\n\n   described\n", "//option_list_item/description/paragraph", 1);
}

/* --- literal blocks ------------------------------------------------ */

Test(literal_blocks, expanded_partial_and_lone_markers) {
  const char *src = "Paragraph::\n\n    literal\n      more\n\nAfter.\n";
  STR(src, "string(/document/paragraph[1])", "Paragraph:");
  STR(src, "string(/document/literal_block)", "literal\n  more");
  const char *partial = "Paragraph ::\n\n    literal\n\nx\n\n::\n\n    lone\n";
  STR(partial, "string(/document/paragraph[1])", "Paragraph");
  COUNT(partial, "/document/literal_block", 2);
  COUNT(partial, "/document/paragraph", 2);
  STR(partial, "string(/document/literal_block[2])", "lone");
  /* Escaped: no literal block; a second backslash is escaped itself. */
  const char *esc = "Para\\::\n\n  y\n\nPara\\\\::\n\n  z\n";
  STR(esc, "string(/document/paragraph[1])", "Para::");
  COUNT(esc, "/document/literal_block", 1);
}

Test(literal_blocks, byte_exact) {
  const char *src = "Para::\n\n    back\\\\slash <tag> & amp\n\t\ttab\n\n"
                    "      deeper\n\nend\n";
  STR(src, "string(//literal_block)",
      "back\\\\slash <tag> & amp\n            tab\n\n  deeper");
}

Test(literal_blocks, quoted) {
  const char *src = "Para::\n\n> quoted\n> lines\n\nafter\n";
  STR(src, "string(//literal_block)", "> quoted\n> lines");
  COUNT(src, "/document/paragraph", 2);
  /* Another character ends it; parsing goes on at that line. */
  const char *inconsistent = "Para::\n\n> q\n>> r\nno\n\nafter\n";
  STR(inconsistent, "string(//literal_block)", "> q\n>> r");
  S_expect_message(inconsistent, 3, 5, "Inconsistent literal block quoting.");
  STR(inconsistent, "string(/document/paragraph[2])", "no");
  const char *indented = "Para::\n\n> q\n  indented\n";
  S_expect_message(indented, 3, 4, "Unexpected indentation.");
  STR(indented, "normalize-space(/document/block_quote)", "indented");
}

Test(literal_blocks, none_found) {
  S_expect_message("Para::\n\nnot indented\n", 2, 3,
                   "Literal block expected; none found.");
  /* At the end: the line after the last one. */
  S_expect_message("Para::\n", 2, 2, "Literal block expected; none found.");
  S_expect_message("Para::\n\n\n", 2, 4, "Literal block expected; none found.");
  S_expect_message("- Para::\n\n- b\n", 2, 3,
                   "Literal block expected; none found.");
  S_expect_message("Para::\n\n    lit\nunindented\n", 2, 4,
                   "Literal block ends without a blank line");
}

/* --- line blocks --------------------------------------------------- */

Test(line_blocks, lines_nesting_continuation) {
  const char *src = "| line one\n| line two\n|     indented\n|   half\n|\n"
                    "| after empty\n  continuation\n| end\n";
  COUNT(src, "/document/line_block", 1);
  /* Nested by indentation; the empty line takes the indentation of the
   * line before it. */
  COUNT(src, "/document/line_block/line", 4);
  COUNT(src, "/document/line_block/line_block", 1);
  STR(src, "string(/document/line_block/line_block/line_block/line)",
      "indented");
  STR(src, "string(/document/line_block/line_block/line[1])", "half");
  COUNT(src, "/document/line_block/line_block/line[2]/node()", 0);
  STR(src, "string(/document/line_block/line[3])", "after empty\ncontinuation");
  const char *empty_first = "|\n| x\n";
  COUNT(empty_first, "/document/line_block/line", 2);
}

Test(line_blocks, ends_at_text) {
  const char *src = "| a\n  cont\n  cont2\n| b\ntext\n";
  COUNT(src, "//line_block/line", 2);
  STR(src, "string(/document/paragraph)", "text");
  S_expect_message(src, 2, 2, "Line block ends without a blank line.");
}

/* --- block quotes -------------------------------------------------- */

Test(block_quotes, attributions) {
  const char *src = "para\n\n  quote\n\n  -- Attribution\n";
  STR(src, "string(//block_quote/attribution)", "Attribution");
  const char *many =
      "para\n\n  quote\n\n  --- Att\n  continued\n\n  quote 2\n\n"
      "  \xe2\x80\x94 Att2\n\n  quote 3\n";
  COUNT(many, "/document/block_quote", 3);
  STR(many, "string(/document/block_quote[1]/attribution)", "Att\ncontinued");
  STR(many, "string(/document/block_quote[2]/attribution)", "Att2");
  COUNT(many, "/document/block_quote[3]/attribution", 0);
}

Test(block_quotes, not_attributions) {
  /* No blank line before; four dashes; a dash alone. */
  COUNT("para\n\n  quote\n  -- not att\n", "//attribution", 0);
  COUNT("para\n\n  quote\n\n  ---- not\n", "//attribution", 0);
  COUNT("para\n\n  quote\n\n  --\n", "//attribution", 0);
  /* Continuation lines must share one indentation. */
  COUNT("para\n\n  quote\n\n  -- Att\n    x\n   y\n", "//attribution", 0);
  COUNT("para\n\n  quote\n\n  -- Att\n    x\n    y\n", "//attribution", 1);
}

Test(block_quotes, nesting_and_unindent) {
  const char *src = "para\n\n  a\n\n    b\n\n  c\nd\n";
  COUNT(src, "/document/block_quote/block_quote", 1);
  S_expect_message(src, 2, 8,
                   "Block quote ends without a blank line; unexpected "
                   "unindent.");
  /* An empty comment separates two quotes. */
  COUNT("  first\n\n..\n\n  second\n", "/document/block_quote", 2);
}

/* --- doctest blocks ------------------------------------------------ */

Test(doctest_blocks, up_to_a_blank_line) {
  const char *src = ">>> print(1)\n1\n>>> x\n\npara\n\n  >>> in quote\n";
  STR(src, "string(/document/doctest_block)", ">>> print(1)\n1\n>>> x");
  COUNT(src, "/document/block_quote/doctest_block", 1);
  COUNT(">>>x\n", "//doctest_block", 0);
}

/* --- comments ------------------------------------------------------ */

Test(comments, forms) {
  const char *src =
      ".. comment\n   more\n\n..\n\n  not comment\n\n.. a\n\n   b\n";
  COUNT(src, "/document/comment", 3);
  STR(src, "string(/document/comment[1])", "comment\nmore");
  STR(src, "normalize-space(/document/block_quote)", "not comment");
  STR(src, "string(/document/comment[3])", "a\n\nb");
  const char *multi = "..\n   body\n   more\n\npara\n";
  STR(multi, "string(/document/comment)", "body\nmore");
  S_expect_message(".. comment\ntext\n", 2, 2,
                   "Explicit markup ends without a blank line");
}

Test(comments, empty_comment_ends_a_list) {
  const char *src = "- a\n- b\n\n..\n\n- c\n";
  COUNT(src, "/document/bullet_list", 2);
  COUNT(src, "/document/comment", 1);
}

/* --- footnotes and citations --------------------------------------- */

Test(footnotes, kinds) {
  const char *src = ".. [1] one\n.. [#] auto\n.. [#name] named\n.. [*] sym\n"
                    ".. [CIT2002] citation\n\n[1]_ [#]_ [#name]_ [*]_ "
                    "[CIT2002]_\n";
  RAW_COUNT(src, "/document/footnote", 4);
  RAW_STR(src, "string(/document/footnote[1]/label)", "1");
  RAW_STR(src, "string(/document/footnote[1]/@names)", "1");
  RAW_STR(src, "string(/document/footnote[2]/@auto)", "1");
  RAW_COUNT(src, "/document/footnote[2]/label", 0);
  RAW_STR(src, "string(/document/footnote[3]/@names)", "name");
  RAW_STR(src, "string(/document/footnote[4]/@auto)", "*");
  RAW_STR(src, "string(/document/citation/label)", "CIT2002");
  RAW_STR(src, "string(/document/citation/@names)", "cit2002");
  /* After the transforms, automatic footnotes are numbered. */
  STR(src, "string(/document/footnote[2]/label)", "2");
  STR(src, "string(/document/footnote[3]/label)", "3");
}

Test(footnotes, bodies_and_labels) {
  const char *src =
      ".. [1]\n   body on next line\n\n   more\n\n.. [a b] not\n\n"
      ".. [a_b-c.d] ok\n";
  COUNT(src, "/document/footnote/paragraph", 2);
  STR(src, "string(/document/comment)", "[a b] not");
  STR(src, "string(/document/citation/label)", "a_b-c.d");
}

/* --- hyperlink targets --------------------------------------------- */

Test(targets, external_internal_indirect_anonymous) {
  const char *src = ".. _a: http://x.com/\n.. _b: c_\n.. _`phrase name`: "
                    "http://y\n.. _`d`: `e f`_\n.. __: http://anon\n\n"
                    "__ http://anon2\n\n.. _internal:\n\npara\n";
  RAW_COUNT(src, "/document/target", 7);
  RAW_STR(src, "string(/document/target[1]/@refuri)", "http://x.com/");
  RAW_STR(src, "string(/document/target[1]/@names)", "a");
  RAW_STR(src, "string(/document/target[2]/@refname)", "c");
  RAW_STR(src, "string(/document/target[3]/@names)", "phrase\\ name");
  RAW_STR(src, "string(/document/target[4]/@refname)", "e f");
  RAW_STR(src, "string(/document/target[5]/@anonymous)", "1");
  RAW_STR(src, "string(/document/target[5]/@refuri)", "http://anon");
  RAW_STR(src, "string(/document/target[6]/@refuri)", "http://anon2");
  RAW_COUNT(src, "/document/target[7][@names='internal'][not(@refuri)]", 1);
}

Test(targets, escaped_colons_long_uris_emails) {
  const char *src =
      ".. _name\\: x: http://z\n.. _long: http://example.com/very/\n"
      "   long/path\n.. _spaced: http://example.com/a\\ b\n"
      ".. _mail: me@example.com\n";
  RAW_STR(src, "string(/document/target[1]/@names)", "name:\\ x");
  RAW_STR(src, "string(/document/target[2]/@refuri)",
          "http://example.com/very/long/path");
  RAW_STR(src, "string(/document/target[3]/@refuri)", "http://example.com/a b");
  RAW_STR(src, "string(/document/target[4]/@refuri)", "mailto:me@example.com");
  /* The name may go on on the next line; "name :" is allowed. */
  const char *split = ".. _`a\n   b`: http://q\n\n.. _c : http://r\n";
  RAW_STR(split, "string(/document/target[1]/@names)", "a\\ b");
  RAW_STR(split, "string(/document/target[1]/@refuri)", "http://q");
  RAW_STR(split, "string(/document/target[2]/@names)", "c");
}

/* Docutils' target pattern ends the name with "[ ]?:" followed by
 * whitespace: one space may stand before the colon; the shortest name
 * that fits is taken, so a backquote may sit inside a quoted one. */
Test(targets, one_space_before_the_colon) {
  const char *src = "foo_, `a phrase`_, `x`y`_, anon__.\n\n"
                    ".. _foo : http://x.example/foo\n"
                    ".. _`a phrase` : http://x.example/phrase\n"
                    ".. _`x`y` : http://x.example/xy\n"
                    ".. __ : http://x.example/anon\n";
  COUNT(src, "/document/target", 4);
  COUNT(src, "//reference[@refuri='http://x.example/foo']", 1);
  COUNT(src, "//reference[@refuri='http://x.example/phrase']", 1);
  COUNT(src, "//target[@names='x`y'][@refuri='http://x.example/xy']", 1);
  COUNT(src, "//reference[@anonymous='1'][@refuri='http://x.example/anon']", 1);
  /* An escaped space cannot end the name: a comment. */
  const char *esc = ".. _esc\\ : http://x.example/esc\n";
  COUNT(esc, "/document/comment", 1);
  S_expect_message(esc, 2, 1, "malformed hyperlink target.");
}

/* Docutils' parse_target and add_target: only a named target's e-mail
 * address becomes a mailto: URI; a final backslash escapes nothing and
 * goes; a reference needs a simple name or a phrase. */
Test(targets, uris_as_parse_target_reads_them) {
  const char *src = "x__\n\n__ user@example.com\n\n"
                    ".. _y: me@example.com\n\n"
                    ".. _z: http://a\\\\b\\\n   c\\\n\n"
                    ".. _w: a--b_\n";
  COUNT(src, "//target[@anonymous='1'][@refuri='user@example.com']", 1);
  COUNT(src, "//target[@names='y'][@refuri='mailto:me@example.com']", 1);
  COUNT(src, "//target[@names='z'][@refuri='http://a\\b c']", 1);
  COUNT(src, "//target[@names='w'][@refuri='a--b_']", 1);
  /* Python's split() takes Unicode spaces too, escaped or not. */
  const char *nbsp = ".. _a: http://x\xc2\xa0y\\\xc2\xa0z\n\nb_\n\n"
                     ".. _b: `c\xc2\xa0"
                     "d`_\n\n.. _c d: http://e\n";
  COUNT(nbsp, "//target[@names='a'][@refuri='http://xyz']", 1);
  COUNT(nbsp, "//reference[@name='b'][@refuri='http://e']", 1);
}

Test(targets, malformed) {
  const char *src = ".. _`bad:\n\n.. _:\n";
  COUNT(src, "/document/comment", 2);
  S_expect_message(src, 2, 1, "malformed hyperlink target.");
  S_expect_message(src, 2, 3, "malformed hyperlink target.");
}

/* --- substitution definitions -------------------------------------- */

Test(substitutions, replace_image_unicode) {
  const char *src = ".. |a| replace:: *text* here\n.. |b| image:: img.png\n"
                    ".. |c| unicode:: U+00A9 .. copyright\n"
                    ".. |d e| replace:: x\n\n|a| |b| |c| |d e|\n";
  RAW_COUNT(src, "/document/substitution_definition", 4);
  RAW_COUNT(src, "/document/substitution_definition[@names='a']/emphasis", 1);
  RAW_STR(src, "string(//substitution_definition[@names='b']/image/@alt)", "b");
  RAW_STR(src, "string(//substitution_definition[@names='c'])", "\xc2\xa9");
  RAW_COUNT(src, "//substitution_definition[@names='d\\ e']", 1);
  COUNT(src, "/document/paragraph/emphasis", 1);
  COUNT(src, "/document/paragraph/image[@uri='img.png']", 1);
}

Test(substitutions, missing_or_empty) {
  const char *src = ".. |a|\n\n.. |b| unknownthing:: x\n\n.. |c| replace::\n";
  RAW_COUNT(src, "//substitution_definition", 0);
  S_expect_message(src, 2, 1,
                   "Substitution definition \"a\" missing contents.");
  RAW_STR(src, "string(//system_message[1]/literal_block)", ".. |a|\n");
  S_expect_message(src, 3, 3, "Unknown directive type \"unknownthing\".");
  S_expect_message(src, 2, 3,
                   "Substitution definition \"b\" empty or invalid.");
  S_expect_message(src, 2, 5,
                   "Substitution definition \"c\" empty or invalid.");
}

/* --- directives ---------------------------------------------------- */

Test(directives, arguments_options_content) {
  const char *src = ".. note:: arg text\n   more\n\n   content\n\n"
                    ".. image:: a.png\n   :alt: x\n   :width: 10px\n";
  COUNT(src, "/document/note/paragraph", 2);
  STR(src, "string(/document/note/paragraph[1])", "arg text\nmore");
  COUNT(src, "/document/image[@uri='a.png'][@alt='x'][@width='10px']", 1);
}

/* Docutils' directive pattern: name, then "[ ]?::" (one space at most;
 * with two the block is a comment). */
Test(directives, one_space_before_the_marker) {
  const char *src = ".. note ::\n\n   A note.\n\n.. image :: a.png\n\n"
                    ".. Warning :: inline\n\n.. tip  ::\n\n   comment\n";
  COUNT(src, "/document/note/paragraph", 1);
  COUNT(src, "/document/image[@uri='a.png']", 1);
  STR(src, "string(/document/warning/paragraph)", "inline");
  COUNT(src, "/document/tip", 0);
  STR(src, "string(/document/comment)", "tip  ::\n\ncomment");
}

Test(directives, unknown_and_errors) {
  const char *src = ".. unknowndir:: arg\n   :opt: v\n\n   content\n\npara\n";
  S_expect_message(src, 3, 1, "Unknown directive type \"unknowndir\".");
  RAW_COUNT(src, "//system_message/literal_block", 1);
  COUNT(src, "/document/paragraph", 1);
  S_expect_message(".. image::\n", 3, 1, "Error in \"image\" directive:");
}

/* --- tables reach the tree ------------------------------------------ */

Test(tables, grid_and_simple_in_the_body) {
  const char *src = "+---+---+\n| a | b |\n+---+---+\n\n=== ===\n a   b\n"
                    "=== ===\n\n- +---+\n  | c |\n  +---+\n";
  COUNT(src, "/document/table", 2);
  COUNT(src, "/document/bullet_list/list_item/table", 1);
}

Test(tables, isolation_without_blank_line) {
  /* Docutils keeps the table and warns; the text is a paragraph. */
  const char *grid = "+---+---+\n| a | b |\n+---+---+\ntext\n";
  COUNT(grid, "/document/table", 1);
  STR(grid, "string(/document/paragraph)", "text");
  S_expect_message(grid, 2, 4, "Blank line required after table.");
  const char *simple = "=== ===\n a   b\n=== ===\ntext\n";
  COUNT(simple, "/document/table", 0);
  S_expect_message(simple, 3, 1, "Malformed table.");
  S_expect_message(simple, 2, 4, "Blank line required after table.");
  STR(simple, "string(/document/paragraph)", "text");
}

Test(tables, malformed) {
  const char *src = "+---+\n| a |\n\nx\n";
  COUNT(src, "/document/table", 0);
  S_expect_message(src, 3, 1, "Malformed table.");
  STR(src, "string(/document/paragraph)", "x");
  const char *border = "=====  =====\na      b\n=====  ====\n\nx\n";
  S_expect_message(border, 3, 1, "Malformed table.");
  STR(border, "string(/document/paragraph)", "x");
  /* A grid table cut at its left edge resumes two lines before. */
  const char *cut = "+---+\n| a |\n+---+\n| b |\n+---+\n| c |\n| d |\n\npara\n";
  COUNT(cut, "/document/table//row", 2);
  STR(cut, "string(/document/paragraph[last()])", "para");
}

/* --- size ------------------------------------------------------------- */

Test(performance, two_megabytes_parse_quickly) {
  ss_buf src = SS_BUF_INIT;
  for (int i = 0; i < 20000; i++)
    ss_buf_printf(&src,
                  "Paragraph %d with some *text*, a ``literal`` and more "
                  "words.\nIt goes on on a second line for a while.\n\n",
                  i);
  for (int i = 0; i < 5000; i++)
    ss_buf_printf(&src, "- item %d\n", i);
  ss_buf_puts(&src, "\nLiteral::\n\n");
  for (int i = 0; i < 5000; i++)
    ss_buf_printf(&src, "    literal %04d <&> \\\n", i);
  ss_buf_puts(&src, "\n");
  for (int i = 0; i < 3000; i++)
    ss_buf_printf(&src, "%d. enumerated\n", i + 1);
  ss_buf_puts(&src, "\n");
  for (int i = 0; i < 3000; i++)
    ss_buf_printf(&src, "term %d\n  definition\n", i);
  cr_assert_gt(src.len, (size_t)2000000);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  ss_node *doc = t_parse_raw(src.data, NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs =
      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  int paragraphs = 0, items = 0;
  for (ss_node *n = doc->first; n; n = n->next) {
    paragraphs += n->kind == SS_PARAGRAPH;
    if (n->kind == SS_BULLET_LIST)
      for (ss_node *it = n->first; it; it = it->next)
        items++;
  }
  cr_expect_eq(paragraphs, 20001);
  cr_expect_eq(items, 5000);
  ss_node *lit = ss_node_child(doc, SS_LITERAL_BLOCK);
  cr_assert_not_null(lit);
  cr_expect_eq(lit->first->text_len, (size_t)5000 * 19 - 1);
  /* Generous (an optimised build takes about 0.2 s); a quadratic step
   * would take minutes. AddressSanitizer builds are ~10 times slower. */
  cr_expect_lt(secs, 2.0 * S_SLOWDOWN, "a %zu-byte document took %.2fs",
               src.len, secs);
  ss_node_free(doc);
  ss_buf_free(&src);
}

Test(blocks, literal_blocks_take_the_language_of_the_last_highlight) {
  const char *src = "a::\n\n  x\n\n.. highlight:: json\n\nb::\n\n  {}\n";
  cr_assert_eq(t_count(src, "//literal_block[1][@language='default']"), 1);
  cr_assert_eq(t_count(src, "//literal_block[@language='json']"), 1);
}

Test(blocks, wide_characters_count_two_columns_in_titles) {
  /* Eight columns over a seven-column underline: a title, with
   * Docutils' warning; eight columns of underline are enough. */
  const char *short_ = "\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97\n"
                       "=======\n\ntext\n";
  cr_assert_eq(t_count(short_, "//section/title"), 1);
  cr_assert_eq(t_count(short_, "//system_message[@type='WARNING']"), 1);
  const char *enough = "\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97\n"
                       "========\n\ntext\n";
  cr_assert_eq(t_count(enough, "//system_message"), 0);
}

/* Docutils' indentation (StringList.get_indented): a line is indented
 * when it starts with a space, and its indentation is then all it
 * lstrip()s, Unicode spaces included, counted and cut in characters. */
Test(blocks, indentation_counts_unicode_spaces_in_characters) {
  /* A no-break space after a space is indentation. */
  STR("x::\n\n  \xc2\xa0x\n   y\n", "string(//literal_block)", "x\ny");
  COUNT("para\n\n \xc2\xa0quote\n", "//block_quote/paragraph", 1);
  STR("para\n\n \xc2\xa0quote\n", "string(//block_quote/paragraph)", "quote");
  /* At the start of a line it is text. */
  COUNT("\xe3\x80\x80text\n", "//block_quote", 0);
  /* A three-byte bullet is one column: "  continued" goes on. */
  STR("\xe2\x80\xa2 item\n  continued\n", "string(//list_item/paragraph)",
      "item\ncontinued");
  COUNT("\xe2\x80\xa2 item\n  continued\n", "//block_quote", 0);
  /* Line continuations lose only their common indentation. */
  STR("| a\n    b\n      c\n", "string(//line)", "a\nb\n  c");
  /* Attribution lines compared in characters. */
  STR("   quote\n\n   -- Author\n    \xc2\xa0name\n     more\n",
      "string(//attribution)", "Author\nname\nmore");
}

/* --- lines ---------------------------------------------------------- */

/* Each node carries the line Sphinx reports a problem about it at
 * (Docutils' get_source_line): its own, else its nearest ancestor's, 0
 * for none. Every expectation below is what Sphinx 5.3's doctree gives
 * the same source; the lines before this reader followed Docutils were
 * the line each construct starts at, which these tests reject. */

/* Docutils gives a section and its title the underline's line; they keep
 * the title's (the linter and filters point there) and what counts at
 * them counts one line further: markup in the title, with or without an
 * overline. A role in a title is read at the title's line. */
Test(lines, sections_count_at_the_underline) {
  LINE("Title *x*\n=========\n\ntext\n", SS_SECTION, 1, 1);
  LINE("Title *x*\n=========\n\ntext\n", SS_TITLE, 1, 1);
  LINE("Title *x*\n=========\n\ntext\n", SS_EMPHASIS, 1, 2);
  LINE("=========\nTitle *x*\n=========\n", SS_EMPHASIS, 1, 3);
  RAW_LINE("T :ref:`x`\n==========\n", SS_PENDING_XREF, 1, 1);
}

/* Inline nodes have no line of their own: a problem about one is at its
 * text block's first line. Sphinx's XRefRole gives its pending_xref the
 * line the role was read at: that same first line. */
Test(lines, inline_nodes_take_their_blocks_first_line) {
  const char *src = "first line\n"
                    "second *em* and ``lit`` and ref_ and [1]_ and |s|\n"
                    "\n"
                    ".. _ref: http://x\n"
                    ".. [1] n\n"
                    ".. |s| replace:: *s*\n";
  LINE(src, SS_EMPHASIS, 1, 1);
  LINE(src, SS_LITERAL, 1, 1);
  LINE(src, SS_REFERENCE, 1, 1);
  LINE(src, SS_FOOTNOTE_REFERENCE, 1, 1);
  LINE(src, SS_EMPHASIS, 2, 1); /* from the substitution */
  LINE(src, SS_TARGET, 1, 4);
  LINE(src, SS_FOOTNOTE, 1, 5);
  LINE(src, SS_LABEL, 1, 5);
  LINE(src, SS_SUBSTITUTION_DEFINITION, 1, 6);
  RAW_LINE("a\nb :ref:`x`\n", SS_PENDING_XREF, 1, 1);
  RAW_LINE("a\nb *c*\n", SS_EMPHASIS, 1, 0);
}

/* A list item is appended once its body is parsed, where Docutils' state
 * machine stands past the end of the body: no line (none at all, the
 * list's, when the body ends with a list it read with a nested state
 * machine on nothing). An item without a body has its block's last
 * line; the items of a list inside an item have the list's line (the
 * item is not in the document while its body is parsed). */
Test(lines, list_items) {
  const char *src = "* a\n\n* b\n\n  * c\n  * d\n\n*\n\n* e\n";
  LINE(src, SS_BULLET_LIST, 1, 1);
  LINE(src, SS_LIST_ITEM, 1, 0);
  LINE(src, SS_LIST_ITEM, 2, 1);
  LINE(src, SS_LIST_ITEM, 3, 5);
  LINE(src, SS_LIST_ITEM, 4, 5);
  LINE(src, SS_LIST_ITEM, 5, 9);
  LINE(src, SS_LIST_ITEM, 6, 0);
  LINE("#. one\n#. two\n", SS_LIST_ITEM, 2, 0);
  /* In a block quote (outside the document when parsed) an enumerated
   * list has the quote's line, which it takes. */
  LINE("para\n\n    #. enum\n    #. two\n", SS_ENUMERATED_LIST, 1, 3);
}

/* A definition list is appended after its first definition is parsed:
 * no line. An item and its term have the line before the last one of
 * the definition's block (blank lines in), where their markup is read;
 * a definition has none (the item's counts), a classifier none at all. */
Test(lines, definition_lists) {
  const char *src = "term : cls\n   def line 1\n   def line 2\n\n"
                    "term2\n   d\n";
  LINE(src, SS_DEFINITION_LIST, 1, 0);
  LINE(src, SS_DEFINITION_LIST_ITEM, 1, 3);
  LINE(src, SS_TERM, 1, 3);
  LINE(src, SS_CLASSIFIER, 1, 0);
  LINE(src, SS_DEFINITION, 1, 3);
  LINE(src, SS_DEFINITION_LIST_ITEM, 2, 5);
  LINE(src, SS_TERM, 2, 5);
  RAW_LINE("a :ref:`x`\n   def\n   more\n\nend\n", SS_PENDING_XREF, 1, 3);
}

/* Fields, options, doctest blocks, line blocks and comments: what
 * Docutils appends once it has read them stands at the last line it
 * read (a doctest block, a line, a block of lines nested in a line
 * block, a comment with its blank lines); field names and what an
 * option list item holds have none; a field body has its field's. */
Test(lines, fields_options_doctests_line_blocks_comments) {
  const char *src = "text\n\n:a: one\n:b:\n   two\n\n-x  opt\n-y FILE  file\n\n"
                    ">>> 1\n... 2\n3\n\n| one\n|    two\n     cont\n| three\n\n"
                    ".. a comment\n   on two lines\n\n..\n\ntext\n";
  LINE(src, SS_FIELD_LIST, 1, 3);
  LINE(src, SS_FIELD, 2, 4);
  LINE(src, SS_FIELD_NAME, 1, 0);
  LINE(src, SS_FIELD_BODY, 2, 4);
  LINE(src, SS_OPTION_LIST, 1, 7);
  LINE(src, SS_OPTION_LIST_ITEM, 1, 0);
  LINE(src, SS_OPTION_STRING, 2, 0);
  LINE(src, SS_DESCRIPTION, 1, 0);
  LINE(src, SS_DOCTEST_BLOCK, 1, 12);
  LINE(src, SS_LINE_BLOCK, 1, 14);
  LINE(src, SS_LINE, 1, 14);
  LINE(src, SS_LINE_BLOCK, 2, 17);
  LINE(src, SS_LINE, 2, 16);
  LINE(src, SS_COMMENT, 1, 21);
  LINE(src, SS_COMMENT, 2, 22);
  /* A nested block of lines that ends the text: no line. */
  LINE("para\n\n| l1\n|   l2\n", SS_LINE_BLOCK, 2, 0);
}

/* A table is built before it is appended, after its cells are parsed:
 * none of it has a line. In a block quote, what Docutils would give the
 * state machine's line has none either (the quote is not in the
 * document yet), lines of a line block even lose theirs (Sphinx's
 * source workaround). */
Test(lines, tables_and_bodies_outside_the_document) {
  const char *src = "+---+---+\n| a | b |\n+---+---+\n\n==  ==\nx   y\n==  ==\n"
                    "\n    quoted\n\n    .. comment\n\n    :f: v\n\n"
                    "    | l1\n    | l2\n";
  LINE(src, SS_TABLE, 1, 0);
  LINE(src, SS_ENTRY, 1, 0);
  LINE(src, SS_ROW, 1, 0);
  LINE(src, SS_PARAGRAPH, 1, 2);
  LINE(src, SS_TABLE, 2, 0);
  LINE(src, SS_BLOCK_QUOTE, 1, 9);
  LINE(src, SS_COMMENT, 1, 9);
  LINE(src, SS_FIELD_LIST, 1, 9);
  LINE(src, SS_FIELD, 1, 13);
  LINE(src, SS_LINE_BLOCK, 1, 9);
  LINE(src, SS_LINE, 1, 0);
}
