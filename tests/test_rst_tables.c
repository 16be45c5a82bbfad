/* test_rst_tables.c — grid and simple tables, checked against what
 * Docutils 0.19 builds for the same source (each expectation below was
 * taken from rst2pseudoxml / docutils' table parsers). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"
#include "rst/parser.h"

static void S_expect_count(const char *rst, const char *xpath, int want) {
  int got = t_count(rst, xpath);
  cr_expect_eq(got, want, "%s: got %d, want %d\n--- source:\n%s", xpath, got,
               want, rst);
}

static void S_expect_string(const char *rst, const char *xpath,
                            const char *want) {
  char *got = t_string(rst, xpath);
  cr_expect_str_eq(got, want, "%s\n--- source:\n%s", xpath, rst);
  free(got);
}

/* --- grid tables ------------------------------------------------------ */

static const char *grid_basic = "+------+-----+\n"
                                "| a    | b   |\n"
                                "+======+=====+\n"
                                "| 1    | 2   |\n"
                                "+------+-----+\n"
                                "| 3    | 4   |\n"
                                "+------+-----+\n";

Test(grid, structure) {
  S_expect_count(grid_basic, "/document/table/tgroup[@cols='2']", 1);
  S_expect_count(grid_basic, "//colspec", 2);
  S_expect_string(grid_basic, "string(//colspec[1]/@colwidth)", "6");
  S_expect_string(grid_basic, "string(//colspec[2]/@colwidth)", "5");
  S_expect_count(grid_basic, "//thead/row", 1);
  S_expect_count(grid_basic, "//tbody/row", 2);
  S_expect_count(grid_basic, "//tbody/row/entry/paragraph", 4);
  S_expect_string(grid_basic, "string(//thead/row/entry[2]/paragraph)", "b");
  S_expect_string(grid_basic, "string(//tbody/row[2]/entry[1]/paragraph)", "3");
  S_expect_count(grid_basic, "//tgroup/*[1][self::colspec]", 1);
  S_expect_count(grid_basic, "//tgroup/*[3][self::thead]", 1);
  S_expect_count(grid_basic, "//system_message", 0);
}

/* The example of the reStructuredText specification. */
static const char *grid_spec =
    "+------------------------+------------+----------+----------+\n"
    "| Header row, column 1   | Header 2   | Header 3 | Header 4 |\n"
    "| (header rows optional) |            |          |          |\n"
    "+========================+============+==========+==========+\n"
    "| body row 1, column 1   | column 2   | column 3 | column 4 |\n"
    "+------------------------+------------+----------+----------+\n"
    "| body row 2             | Cells may span columns.          |\n"
    "+------------------------+------------+---------------------+\n"
    "| body row 3             | Cells may  | - Table cells       |\n"
    "+------------------------+ span rows. | - contain           |\n"
    "| body row 4             |            | - body elements.    |\n"
    "+------------------------+------------+---------------------+\n";

Test(grid, spans_and_bodies) {
  S_expect_count(grid_spec, "//tgroup[@cols='4']", 1);
  S_expect_string(grid_spec, "string(//colspec[1]/@colwidth)", "24");
  S_expect_string(grid_spec, "string(//colspec[2]/@colwidth)", "12");
  S_expect_string(grid_spec, "string(//colspec[3]/@colwidth)", "10");
  S_expect_count(grid_spec, "//tbody/row", 4);
  S_expect_count(grid_spec, "//tbody/row[2]/entry", 2);
  S_expect_string(grid_spec, "string(//tbody/row[2]/entry[2]/@morecols)", "2");
  S_expect_count(grid_spec, "//tbody/row[3]/entry", 3);
  S_expect_string(grid_spec, "string(//tbody/row[3]/entry[2]/@morerows)", "1");
  S_expect_string(grid_spec, "string(//tbody/row[3]/entry[3]/@morerows)", "1");
  S_expect_count(grid_spec, "//tbody/row[4]/entry", 1);
  S_expect_count(grid_spec, "//tbody/row[3]/entry[3]/bullet_list/list_item", 3);
  /* Two lines of a cell make one paragraph. */
  S_expect_string(grid_spec, "string(//thead/row/entry[1]/paragraph)",
                  "Header row, column 1\n(header rows optional)");
  S_expect_string(grid_spec, "string(//tbody/row[3]/entry[2]/paragraph)",
                  "Cells may\nspan rows.");
  S_expect_count(grid_spec, "//entry", 14);
  S_expect_count(grid_spec, "//entry[not(@morerows) and not(@morecols)]", 11);
}

Test(grid, empty_cells_and_literal_blocks) {
  const char *rst = "+-----+-----+\n"
                    "|     | b   |\n"
                    "| x   |     |\n"
                    "+-----+-----+\n"
                    "|     |     |\n"
                    "+-----+-----+\n"
                    "| code::    |\n"
                    "|           |\n"
                    "|   a  b    |\n"
                    "|    c      |\n"
                    "+-----------+\n";
  S_expect_count(rst, "//row", 3);
  S_expect_count(rst, "//row[2]/entry", 2);
  S_expect_count(rst, "//row[2]/entry/*", 0);
  S_expect_string(rst, "string(//row[1]/entry[1]/paragraph)", "x");
  S_expect_string(rst, "string(//row[3]/entry/@morecols)", "1");
  S_expect_string(rst, "string(//row[3]/entry/literal_block)", "a  b\n c");
}

Test(grid, wide_characters_count_two_columns) {
  const char *rst = "+--------+--------+\n"
                    "| 日本語 | 中文   |\n"
                    "+========+========+\n"
                    "| かな   | x      |\n"
                    "|        | 漢字   |\n"
                    "+--------+--------+\n";
  S_expect_count(rst, "//system_message", 0);
  S_expect_string(rst, "string(//colspec[1]/@colwidth)", "8");
  S_expect_string(rst, "string(//thead//entry[1]/paragraph)", "日本語");
  S_expect_string(rst, "string(//tbody//entry[2]/paragraph)", "x\n漢字");
}

Test(grid, combining_characters_take_a_place) {
  /* Docutils counts a combining character as a column in grid tables:
   * a visually aligned border is then ragged ... */
  const char *ragged = "+-----+\n"
                       "| e\xcc\x81   |\n"
                       "+-----+\n";
  S_expect_count(ragged, "//table", 0);
  S_expect_count(ragged, "//system_message[@level='3']", 1);
  /* ... and one aligned by characters is cut past the combining
   * character, border included (Docutils' column mapping). */
  const char *aligned = "+-----+\n"
                        "| e\xcc\x81  |\n"
                        "+-----+\n";
  S_expect_count(aligned, "//system_message", 0);
  S_expect_string(aligned, "string(//entry/paragraph)", "e\xcc\x81  |");
}

Test(grid, malformed_tables) {
  const char *missing = "+-----+-----+\n"
                        "| a   | b   |\n"
                        "+-----+\n"
                        "| c   |     |\n"
                        "+-----+-----+\n";
  S_expect_count(missing, "//table", 0);
  S_expect_string(missing, "string(//system_message/paragraph)",
                  "Malformed table.");
  S_expect_string(missing, "string(//system_message/literal_block)",
                  "+-----+-----+\n| a   | b   |\n+-----+\n| c   |     |\n"
                  "+-----+-----+");

  const char *two_heads = "+-----+-----+\n"
                          "| a   | b   |\n"
                          "+=====+=====+\n"
                          "| c   | d   |\n"
                          "+=====+=====+\n"
                          "| e   | f   |\n"
                          "+-----+-----+\n";
  S_expect_string(two_heads, "string(//system_message/paragraph)",
                  "Malformed table.\nMultiple head/body row separators "
                  "(table lines 3 and 5); only one allowed.");
  S_expect_string(two_heads, "string(//system_message/@line)", "5");
}

/* --- simple tables ---------------------------------------------------- */

static const char *simple_spec = "=====  =====  ======\n"
                                 "   Inputs     Output\n"
                                 "------------  ------\n"
                                 "  A      B    A or B\n"
                                 "=====  =====  ======\n"
                                 "False  False  False\n"
                                 "True   False  True\n"
                                 "\n"
                                 "False  True   True\n"
                                 "True   True   True\n"
                                 "=====  =====  ======\n";

Test(simple, header_and_column_spans) {
  S_expect_count(simple_spec, "//tgroup[@cols='3']", 1);
  S_expect_string(simple_spec, "string(//colspec[3]/@colwidth)", "6");
  S_expect_count(simple_spec, "//thead/row", 2);
  S_expect_string(simple_spec, "string(//thead/row[1]/entry[1]/@morecols)",
                  "1");
  S_expect_string(simple_spec, "string(//thead/row[1]/entry[1]/paragraph)",
                  "Inputs");
  S_expect_count(simple_spec, "//tbody/row", 4);
  S_expect_string(simple_spec, "string(//tbody/row[4]/entry[3]/paragraph)",
                  "True");
  S_expect_count(simple_spec, "//system_message", 0);
}

Test(simple, continuation_lines_and_bodies) {
  const char *rst = "=====  =====\n"
                    "col 1  col 2\n"
                    "=====  =====\n"
                    "1      Second column of row 1.\n"
                    "2      Second column of row 2.\n"
                    "       Second line of paragraph.\n"
                    "3      - Second column of row 3.\n"
                    "\n"
                    "       - Second item in bullet\n"
                    "         list (row 3, column 2).\n"
                    "\\      Row 4; column 1 will be empty.\n"
                    "=====  =====\n";
  S_expect_count(rst, "//tbody/row", 4);
  /* The last column is as wide as its longest text. */
  S_expect_string(rst, "string(//colspec[2]/@colwidth)", "30");
  S_expect_string(rst, "string(//tbody/row[2]/entry[2]/paragraph)",
                  "Second column of row 2.\nSecond line of paragraph.");
  S_expect_count(rst, "//tbody/row[3]/entry[2]/bullet_list/list_item", 2);
  /* "\\" escapes nothing: an empty paragraph. */
  S_expect_count(rst, "//tbody/row[4]/entry[1]/paragraph", 1);
  S_expect_string(rst, "string(//tbody/row[4]/entry[1]/paragraph)", "");
}

Test(simple, wide_characters) {
  const char *rst = "======  ======\n"
                    "日本語  中文\n"
                    "======  ======\n"
                    "漢字    かなです\n"
                    "======  ======\n";
  S_expect_count(rst, "//system_message", 0);
  S_expect_string(rst, "string(//thead//entry[1]/paragraph)", "日本語");
  S_expect_string(rst, "string(//tbody//entry[2]/paragraph)", "かなです");
  S_expect_string(rst, "string(//colspec[2]/@colwidth)", "8");
}

Test(simple, combining_characters_take_no_place) {
  const char *rst = "=====  =====\n"
                    "e\xcc\x81te\xcc\x81    b\n"
                    "=====  =====\n";
  S_expect_count(rst, "//system_message", 0);
  S_expect_string(rst, "string(//entry[1]/paragraph)", "e\xcc\x81te\xcc\x81");
}

Test(simple, text_in_column_margin) {
  const char *rst = "=====  =====\n"
                    "a      b\n"
                    "ccccccc  d\n"
                    "=====  =====\n";
  S_expect_count(rst, "//table", 0);
  S_expect_string(rst, "string(//system_message/paragraph)",
                  "Malformed table.\nText in column margin in table line 3.");
  S_expect_string(rst, "string(//system_message/@line)", "3");
  S_expect_string(rst, "string(//system_message/literal_block)",
                  "=====  =====\na      b\nccccccc  d\n=====  =====");
}

Test(simple, span_problems) {
  S_expect_string("=====  =====\na      b\n-----\nc      d\n=====  =====\n",
                  "string(//system_message/paragraph)",
                  "Malformed table.\nColumn span incomplete in table line 3.");
  S_expect_string("=====  =====  ====\na      b      c\n----  ------  ----\n"
                  "c      d\n=====  =====  ====\n",
                  "string(//system_message/paragraph)",
                  "Malformed table.\nColumn span alignment problem in table "
                  "line 3.");
}

Test(simple, missing_bottom_border) {
  const char *rst = "=====  =====\n"
                    "a      b\n"
                    "c      d\n";
  S_expect_count(rst, "//table", 0);
  S_expect_string(rst, "string(//system_message/paragraph)",
                  "Malformed table.\nNo bottom table border found.");
  S_expect_string(rst, "string(//system_message/literal_block)",
                  "=====  =====\na      b\nc      d");
}

Test(simple, bottom_border_mismatch) {
  S_expect_string("=====  =====\na      b\n=====  ======\n",
                  "string(//system_message/paragraph)",
                  "Malformed table.\nBottom/header table border does not "
                  "match top border.");
}

/* --- isolation, through the block parser's entry points --------------- */

typedef struct S_fixture {
  ss_diag diag;
  ss_rst_options opts;
  rst_parser p;
  rst_line lines[64];
  int n;
  ss_node *parent;
} S_fixture;

static void S_fixture_init(S_fixture *f, const char *text) {
  memset(f, 0, sizeof *f);
  ss_diag_init(&f->diag);
  f->diag.quiet = 1;
  f->opts.diag = &f->diag;
  f->opts.report_level = SS_LEVEL_INFO;
  f->p.opts = &f->opts;
  f->p.document = ss_node_new(SS_DOCUMENT, 0);
  f->p.section_cur = f->p.document;
  f->parent = f->p.document;
  const char *s = text;
  while (*s && f->n < 64) {
    const char *e = strchr(s, '\n');
    if (!e)
      e = s + strlen(s);
    f->lines[f->n] = (rst_line){s, (int)(e - s), f->n + 1};
    f->n++;
    s = *e ? e + 1 : e;
  }
}

static char *S_xpath_string(S_fixture *f, const char *xpath) {
  xmlDocPtr doc = t_xml(f->p.document);
  char *s = t_doc_string(doc, xpath);
  xmlFreeDoc(doc);
  return s;
}

Test(isolation, grid_stops_at_left_edge) {
  S_fixture f;
  S_fixture_init(&f, "+---+\n| a |\n+---+\nnot a table\n");
  int taken = rst_read_grid_table(&f.p, f.lines, f.n, f.parent);
  cr_expect_eq(taken, 3);
  char *s = S_xpath_string(&f, "string(//system_message/paragraph)");
  cr_expect_str_eq(s, "Blank line required after table.");
  free(s);
  s = S_xpath_string(&f, "string(//system_message/@line)");
  cr_expect_str_eq(s, "4");
  free(s);
  cr_expect_not_null(ss_node_child(f.p.document, SS_TABLE));
  ss_node_free(f.p.document);
}

Test(isolation, grid_cut_at_last_border_resumes_early) {
  /* Docutils resumes two lines before the last border it kept. */
  S_fixture f;
  S_fixture_init(&f, "+---+\n| a |\n+---+\n| b |\n+---+\n| c |\n| d |\n");
  int taken = rst_read_grid_table(&f.p, f.lines, f.n, f.parent);
  cr_expect_eq(taken, 3);
  char *s = S_xpath_string(&f, "count(//table//row)");
  cr_expect_str_eq(s, "2");
  free(s);
  s = S_xpath_string(&f, "string(//system_message/@line)");
  cr_expect_str_eq(s, "4");
  free(s);
  ss_node_free(f.p.document);
}

Test(isolation, grid_unexpected_indentation) {
  S_fixture f;
  S_fixture_init(&f, "+-----+-----+\n| a   | b   |\n  c\n");
  int taken = rst_read_grid_table(&f.p, f.lines, f.n, f.parent);
  cr_expect_eq(taken, 2);
  char *s = S_xpath_string(&f, "count(//system_message)");
  cr_expect_str_eq(s, "3");
  free(s);
  s = S_xpath_string(&f, "string(//system_message[1]/paragraph)");
  cr_expect_str_eq(s, "Unexpected indentation.");
  free(s);
  s = S_xpath_string(&f, "string(//system_message[2]/paragraph)");
  cr_expect_str_eq(s, "Malformed table.");
  free(s);
  ss_node_free(f.p.document);
}

Test(isolation, simple_without_blank_line_after_bottom) {
  S_fixture f;
  S_fixture_init(&f, "=====  =====\na      b\n=====  =====\nc      d\n");
  int taken = rst_read_simple_table(&f.p, f.lines, f.n, f.parent);
  cr_expect_eq(taken, 3);
  char *s = S_xpath_string(&f, "string(//system_message[1]/paragraph)");
  cr_expect_str_eq(s, "Malformed table.\nNo bottom table border found or no "
                      "blank line after table bottom.");
  free(s);
  s = S_xpath_string(&f, "string(//system_message[2]/paragraph)");
  cr_expect_str_eq(s, "Blank line required after table.");
  free(s);
  ss_node_free(f.p.document);
}

Test(isolation, simple_blank_lines_inside) {
  S_fixture f;
  S_fixture_init(&f, "=====  =====\n\na      b\n\nc      d\n\n=====  =====\n"
                     "\npara\n");
  int taken = rst_read_simple_table(&f.p, f.lines, f.n, f.parent);
  cr_expect_eq(taken, 7);
  char *s = S_xpath_string(&f, "count(//tbody/row)");
  cr_expect_str_eq(s, "2");
  free(s);
  s = S_xpath_string(&f, "count(//system_message)");
  cr_expect_str_eq(s, "0");
  free(s);
  ss_node_free(f.p.document);
}

/* --- size --------------------------------------------------------------- */

Test(performance, thousand_row_tables) {
  ss_buf grid = SS_BUF_INIT, simple = SS_BUF_INIT;
  ss_buf_puts(&grid, "+--------+--------+--------+\n");
  ss_buf_puts(&simple, "========  ========  ========\n");
  for (int i = 0; i < 1000; i++) {
    ss_buf_printf(&grid, "| r%-5d | b      | c      |\n", i);
    ss_buf_puts(&grid, "+--------+--------+--------+\n");
    ss_buf_printf(&simple, "r%-7d  b         c\n", i);
  }
  ss_buf_puts(&simple, "========  ========  ========\n");
  clock_t t0 = clock();
  S_expect_count(grid.data, "//tbody/row", 1000);
  S_expect_count(simple.data, "//tbody/row", 1000);
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  cr_expect_lt(secs, 5.0, "two 1000-row tables took %.2fs", secs);
  ss_buf_free(&grid);
  ss_buf_free(&simple);
}

/* --- lines ---------------------------------------------------------- */

/* The line of the n-th (from 1) node of `kind`, after the transforms. */
static int S_line(const char *rst, ss_kind kind, int nth) {
  ss_node *doc = t_parse(rst, NULL);
  int line = -1;
  for (ss_node *n = doc; n; n = ss_node_next_in(doc, n))
    if (n->kind == kind && --nth == 0) {
      line = n->line;
      break;
    }
  ss_node_free(doc);
  return line;
}

/* Docutils builds a table before appending it, after its cells are
 * parsed: its state machine then stands past the end of the last cell,
 * so no part of the table has a line (Sphinx's doctree: none); with no
 * cell to parse, the table takes the line the state machine stopped
 * reading it at, and what is inside it that line. Cells' paragraphs
 * have their own. */
Test(grid, lines) {
  const char *empty = "text\n\n+--+--+\n|  |  |\n+--+--+\n\nmore\n";
  cr_expect_eq(S_line(empty, SS_TABLE, 1), 5);
  cr_expect_eq(S_line(empty, SS_ENTRY, 2), 5);
  const char *spans = "para\n\n+---+---+\n| a | b |\n|   +---+\n|   | c |\n"
                      "+---+---+\n";
  cr_expect_eq(S_line(spans, SS_TABLE, 1), 0);
  cr_expect_eq(S_line(spans, SS_TGROUP, 1), 0);
  cr_expect_eq(S_line(spans, SS_ROW, 2), 0);
  cr_expect_eq(S_line(spans, SS_ENTRY, 3), 0);
  cr_expect_eq(S_line(spans, SS_PARAGRAPH, 2), 4);
  cr_expect_eq(S_line(spans, SS_PARAGRAPH, 4), 6);
  const char *simple = "==  ==\nx   y\n==  ==\n";
  cr_expect_eq(S_line(simple, SS_TABLE, 1), 0);
  cr_expect_eq(S_line(simple, SS_PARAGRAPH, 2), 2);
}
