/* helpers.h — shared by the unit tests: parse a string, query the result
 * with XPath on its XML or HTML form. */
#ifndef SS_TEST_HELPERS_H
#define SS_TEST_HELPERS_H

#include <libxml/tree.h>

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
void t_result_free(t_result *r);
/* Criterion expectations on it: an XPath's string value, its count. */
void t_expect_string(t_result *r, const char *xpath, const char *want);
void t_expect_count(t_result *r, const char *xpath, int want);

#endif
