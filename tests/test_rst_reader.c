/* test_rst_reader.c — the reader's problems: every kind of problem gives a
 * system_message (level, line) and a report in Sphinx's form
 * "path:line: LEVEL: message", and the output is still produced. Input
 * repair (undecodable bytes, NULs, BOM, line ends, tabs) follows what
 * Sphinx 5.3 / Docutils 0.19 do with the same bytes. */
#define _GNU_SOURCE /* open_memstream */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "rst/parser.h"
#include "rst/rst.h"

/* Parses `len` bytes (no transforms); the reports land in *report. */
typedef struct S_run {
  ss_node *doc;
  xmlDocPtr xml;
  char *report;
  size_t report_len;
  ss_diag diag;
} S_run;

static void S_parse_only(S_run *r, const char *text, size_t len) {
  FILE *out = open_memstream(&r->report, &r->report_len);
  cr_assert_not_null(out);
  ss_diag_init(&r->diag);
  r->diag.out = out;
  r->diag.threshold = SS_LEVEL_INFO;
  ss_rst_options opts = {
      .path = "doc.rst", .diag = &r->diag, .report_level = SS_LEVEL_INFO};
  r->doc = ss_rst_parse(text, len, &opts);
  fclose(out);
  r->xml = NULL;
}

static void S_parse(S_run *r, const char *text, size_t len) {
  S_parse_only(r, text, len);
  r->xml = t_xml(r->doc);
}

static void S_done(S_run *r) {
  xmlFreeDoc(r->xml);
  ss_node_free(r->doc);
  free(r->report);
}

static void S_expect_count(S_run *r, const char *xpath, int want) {
  int got = t_doc_count(r->xml, xpath);
  cr_expect_eq(got, want, "%s: got %d, want %d", xpath, got, want);
}

static void S_expect_string(S_run *r, const char *xpath, const char *want) {
  char *got = t_doc_string(r->xml, xpath);
  cr_expect_str_eq(got, want, "%s", xpath);
  free(got);
}

/* The report holds this line, and the tree the matching message. */
static void S_expect_problem(S_run *r, int line, ss_level level,
                             const char *message) {
  char want[1024];
  snprintf(want, sizeof want, "doc.rst:%d: %s: %s\n", line,
           ss_level_name(level), message);
  cr_expect(r->report && strstr(r->report, want), "report lacks %s\ngot:\n%s",
            want, r->report ? r->report : "");
  /* The tree holds a system_message with that level and line whose
   * paragraph starts with the message's first line. */
  const char *nl = strchr(message, '\n');
  size_t firstlen = nl ? (size_t)(nl - message) : strlen(message);
  int found = 0;
  ss_iter it;
  ss_iter_init(&it, r->doc);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (ev != SS_EVENT_ENTER || n->kind != SS_SYSTEM_MESSAGE)
      continue;
    const char *lv = ss_node_attr_get(n, "level");
    const char *ln = ss_node_attr_get(n, "line");
    const char *ty = ss_node_attr_get(n, "type");
    if (!lv || atoi(lv) != (int)level || !ln || atoi(ln) != line || !ty ||
        strcmp(ty, ss_level_name(level)) != 0)
      continue;
    ss_buf text = SS_BUF_INIT;
    ss_node_text_content(ss_node_child(n, SS_PARAGRAPH), &text);
    if (text.len >= firstlen && memcmp(text.data, message, firstlen) == 0)
      found++;
    ss_buf_free(&text);
  }
  cr_expect_eq(found, 1, "want one system_message level %d line %d: %s",
               (int)level, line, message);
}

/* Text input must give well-formed XML. (Random bytes may hold control
 * characters, which XML 1.0 cannot carry.) */
#define PARSE(r, s)                                                            \
  do {                                                                         \
    S_parse((r), (s), sizeof(s) - 1);                                          \
    cr_assert_not_null((r)->xml, "the tree is not well-formed XML");           \
  } while (0)

/* --- problems of the body ------------------------------------------ */

Test(problems, unexpected_indentation) {
  S_run r;
  PARSE(&r, "para\nmore\n  indented\n");
  S_expect_problem(&r, 3, SS_LEVEL_ERROR, "Unexpected indentation.");
  S_expect_string(&r, "string(/document/paragraph)", "para\nmore");
  S_expect_count(&r, "/document/block_quote/paragraph", 1);
  S_done(&r);
}

Test(problems, unindent_warnings) {
  static const struct {
    const char *src, *what;
    int line;
  } cases[] = {
      {"- a\ntext\n", "Bullet list", 2},
      {":f: a\ntext\n", "Field list", 2},
      {"-a  x\ntext\n", "Option list", 2},
      {"term\n  def\ntext\n", "Definition list", 3},
      {"para\n\n  quote\ntext\n", "Block quote", 4},
      {".. comment\ntext\n", "Explicit markup", 2},
      {"Para::\n\n  lit\ntext\n", "Literal block", 4},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    S_run r;
    S_parse(&r, cases[k].src, strlen(cases[k].src));
    char msg[128];
    snprintf(msg, sizeof msg,
             "%s ends without a blank line; unexpected unindent.",
             cases[k].what);
    S_expect_problem(&r, cases[k].line, SS_LEVEL_WARNING, msg);
    S_expect_string(&r, "string(/document/paragraph[last()])", "text");
    S_done(&r);
  }
}

Test(problems, section_problems_are_reported_with_their_source) {
  S_run r;
  PARSE(&r, "Title here\n=====\n\npara\n");
  S_expect_problem(&r, 2, SS_LEVEL_WARNING, "Title underline too short.");
  S_expect_string(&r, "string(//system_message/literal_block)",
                  "Title here\n=====");
  S_expect_count(&r, "/document/section/title", 1);
  S_done(&r);
}

Test(problems, unknown_directive_keeps_going) {
  S_run r;
  PARSE(&r, ".. nosuch:: x\n\n   body\n\npara\n");
  S_expect_problem(&r, 1, SS_LEVEL_ERROR, "Unknown directive type \"nosuch\".");
  S_expect_string(&r, "string(/document/paragraph)", "para");
  S_done(&r);
}

/* --- input repair --------------------------------------------------- */

Test(input, undecodable_bytes_become_question_marks) {
  S_run r;
  PARSE(&r, "Hello \xff world \xe2\x82x\n\nok \xc3\xa9\n");
  /* Sphinx's handler: one '?' and one warning per ill-formed sequence
   * (a truncated sequence is one), showing the line around it. */
  S_expect_string(&r, "string(/document/paragraph[1])", "Hello ? world ?x");
  S_expect_string(&r, "string(/document/paragraph[2])", "ok \xc3\xa9");
  S_expect_problem(&r, 1, SS_LEVEL_WARNING,
                   "undecodable source characters, replacing with \"?\": "
                   "b'Hello >>>\\xff<<< world \\xe2\\x82x'");
  S_expect_problem(&r, 1, SS_LEVEL_WARNING,
                   "undecodable source characters, replacing with \"?\": "
                   "b'Hello \\xff world >>>\\xe2\\x82<<<x'");
  S_done(&r);
}

Test(input, surrogates_and_overlongs_are_undecodable) {
  S_run r;
  PARSE(&r, "a\xed\xa0\x80z \xc0\xaf \xf4\x90\x80\x80\n");
  /* Each byte of a surrogate, an overlong form or a code point above
   * U+10FFFF is its own error, as in Python. */
  S_expect_string(&r, "string(/document/paragraph)", "a???z ?? ????");
  S_done(&r);
}

Test(input, nul_bytes_are_removed) {
  S_run r;
  S_parse(&r, "x\0y\n\nz\n", 7);
  S_expect_string(&r, "string(/document/paragraph[1])", "xy");
  S_expect_problem(&r, 1, SS_LEVEL_WARNING, "1 NUL byte removed.");
  S_done(&r);
}

Test(input, byte_order_mark_is_removed_silently) {
  S_run r;
  PARSE(&r, "\xef\xbb\xbfTitle\n=====\n\npara\n");
  S_expect_string(&r, "string(/document/section/title)", "Title");
  S_expect_count(&r, "//system_message", 0);
  cr_expect(r.report_len == 0, "unexpected report: %s", r.report);
  S_done(&r);
}

Test(input, crlf_and_lone_cr_line_ends) {
  S_run r;
  PARSE(&r, "Title\r\n=====\r\n\r\n- a\r- b\r\rpara\rmore\r\n  quote\n");
  S_expect_count(&r, "/document/section/bullet_list/list_item", 2);
  S_expect_string(&r, "string(/document/section/paragraph)", "para\nmore");
  S_expect_problem(&r, 9, SS_LEVEL_ERROR, "Unexpected indentation.");
  S_done(&r);
}

Test(input, other_line_separators_and_whitespace) {
  S_run r;
  /* str.splitlines also ends lines at \x1c-\x1e, NEL, U+2028/9; \v and
   * \f are spaces; rstrip() takes trailing Unicode whitespace. */
  PARSE(&r, "a\x1c"
            "b\xc2\x85"
            "c\xe2\x80\xa8"
            "d\fe\xc2\xa0\n\n::\n\n  lit\xe3\x80\x80\n");
  S_expect_string(&r, "string(/document/paragraph)", "a\nb\nc\nd e");
  S_expect_string(&r, "string(/document/literal_block)", "lit");
  S_done(&r);
}

Test(input, tabs_expand_to_eight_columns) {
  S_run r;
  PARSE(&r, "::\n\n\tx\n\t  y\n  \tz\nab\tc\n");
  /* Tab stops every 8 columns; then the common indentation goes. */
  S_expect_string(&r, "string(/document/literal_block)", "x\n  y\nz");
  S_expect_string(&r, "string(/document/paragraph)", "ab      c");
  S_done(&r);
}

/* --- hostile input -------------------------------------------------- */

Test(hostile, ten_thousand_nested_list_items) {
  ss_buf src = SS_BUF_INIT;
  for (int i = 0; i < 10000; i++)
    ss_buf_puts(&src, "- ");
  ss_buf_puts(&src, "x\n");
  S_run r;
  S_parse(&r, src.data, src.len);
  /* Nesting stops at RST_MAX_DEPTH; the rest is kept as text. */
  char xpath[64];
  snprintf(xpath, sizeof xpath, "//list_item[count(ancestor::list_item) > %d]",
           RST_MAX_DEPTH);
  S_expect_count(&r, xpath, 0);
  S_expect_count(&r, "//system_message[@level='3']", 1);
  S_expect_count(&r, "//literal_block", 1);
  cr_expect(strstr(r.report, "Nesting deeper than") != NULL);
  S_done(&r);
  ss_buf_free(&src);
}

Test(hostile, thousands_of_nested_block_quotes) {
  ss_buf src = SS_BUF_INIT;
  for (int i = 0; i < 2000; i++) {
    for (int k = 0; k < i; k++)
      ss_buf_putc(&src, ' ');
    ss_buf_puts(&src, "q\n\n");
  }
  S_run r;
  S_parse(&r, src.data, src.len);
  S_expect_count(&r, "/document/paragraph", 1);
  S_expect_count(&r, "//block_quote", RST_MAX_DEPTH);
  S_expect_count(&r, "//literal_block", 1);
  S_done(&r);
  ss_buf_free(&src);
}

Test(hostile, deeply_indented_lists_and_definitions) {
  ss_buf src = SS_BUF_INIT;
  for (int i = 0; i < 1000; i++) {
    for (int k = 0; k < 2 * i; k++)
      ss_buf_putc(&src, ' ');
    ss_buf_puts(&src, i % 2 ? "term\n" : "- x\n\n");
  }
  S_run r;
  S_parse(&r, src.data, src.len);
  cr_expect_gt(t_doc_count(r.xml, "//list_item"), 0);
  S_done(&r);
  ss_buf_free(&src);
}

Test(hostile, a_megabyte_of_random_bytes) {
  size_t len = 1 << 20;
  char *bytes = malloc(len);
  unsigned state = 12345;
  for (size_t k = 0; k < len; k++) {
    state = state * 1103515245u + 12345u;
    bytes[k] = (char)(state >> 16);
  }
  S_run r;
  S_parse_only(&r, bytes, len); /* the tree, not the XML writer, is tested */
  cr_expect_not_null(r.doc);
  /* Reports of undecodable bytes are bounded, then summarised. */
  int reports = 0;
  for (ss_node *n = r.doc->first; n; n = n->next) {
    if (n->kind != SS_SYSTEM_MESSAGE)
      continue;
    ss_buf text = SS_BUF_INIT;
    ss_node_text_content(n, &text);
    reports += strncmp(text.data, "undecodable", 11) == 0;
    ss_buf_free(&text);
  }
  cr_expect_eq(reports, 100);
  S_done(&r);
  /* Random bytes from the reStructuredText alphabet, too. */
  static const char alphabet[] = " \n\n\t-*+#=`_|:.[]()<>\\~^'\"1aAiI:.. ";
  for (size_t k = 0; k < len; k++) {
    state = state * 1103515245u + 12345u;
    bytes[k] = alphabet[(state >> 16) % (sizeof alphabet - 1)];
  }
  S_parse_only(&r, bytes, len);
  cr_expect_not_null(r.doc);
  S_done(&r);
  free(bytes);
}

Test(hostile, empty_and_blank_input) {
  S_run r;
  S_parse(&r, "", 0);
  S_expect_count(&r, "/document/*", 0);
  S_done(&r);
  PARSE(&r, "\n\n   \n\t\n");
  S_expect_count(&r, "/document/*", 0);
  S_done(&r);
}
