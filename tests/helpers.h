/* helpers.h — shared by the unit tests: parse a string, query the result
 * with XPath on its XML or HTML form. */
#ifndef SS_TEST_HELPERS_H
#define SS_TEST_HELPERS_H

#include <libxml/tree.h>
#include <stdbool.h>

#include "tree/tree.h"
#include "util/diag.h"

/* Parses reStructuredText (no transforms) with a quiet diag; returns the
 * document. `diag` may be NULL. */
ss_node *t_parse_raw(const char *rst, ss_diag *diag);
/* Parses and runs the transforms: the tree `specsite ast` prints. */
ss_node *t_parse(const char *rst, ss_diag *diag);
/* The tree as a libxml2 document (through the XML writer). */
xmlDocPtr t_xml(const ss_node *document);
/* Number of nodes an XPath expression selects in the XML of `rst`. */
int t_count(const char *rst, const char *xpath);
/* String value of an XPath expression (e.g. "string(//title)") on the
 * XML of `rst`; caller frees. */
char *t_string(const char *rst, const char *xpath);
/* XPath helpers on an existing libxml2 document. */
int t_doc_count(xmlDocPtr doc, const char *xpath);
char *t_doc_string(xmlDocPtr doc, const char *xpath);

/* `rst` read and transformed: its XML and what was reported. */
typedef struct {
  xmlDocPtr xml;
  char *log;
  size_t log_len;
} t_result;
t_result t_build(const char *rst);
/* The same read as the file `path` (NULL: test.rst, INFO messages
 * kept), and without the transforms when `raw`. */
t_result t_build_at(const char *rst, const char *path, bool raw);
void t_result_free(t_result *r);
/* Criterion expectations on it: an XPath's string value, its count. */
void t_expect_string(t_result *r, const char *xpath, const char *want);
void t_expect_count(t_result *r, const char *xpath, int want);

/* The line of the n-th (from 1) node of `kind` in document order, or
 * -1 when there is none; frees `doc`. */
int t_line_in(ss_node *doc, ss_kind kind, int nth);
/* Expects that line, after the transforms (LINE: what the site reads)
 * or on the reader's tree (RAW_LINE). */
#define LINE(rst, kind, nth, want)                                             \
  do {                                                                         \
    int got_ = t_line_in(t_parse((rst), NULL), (kind), (nth));                 \
    cr_expect_eq(got_, (want), "%s #%d: line %d, want %d\n--- source:\n%s",    \
                 ss_kind_name(kind), (nth), got_, (want), (rst));              \
  } while (0)
#define RAW_LINE(rst, kind, nth, want)                                         \
  do {                                                                         \
    int got_ = t_line_in(t_parse_raw((rst), NULL), (kind), (nth));             \
    cr_expect_eq(got_, (want), "%s #%d: line %d, want %d\n--- source:\n%s",    \
                 ss_kind_name(kind), (nth), got_, (want), (rst));              \
  } while (0)

#endif
