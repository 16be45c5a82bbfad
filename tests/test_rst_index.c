/* test_rst_index.c — Sphinx's index entries: the `index` directive, the
 * `:index:` role and the entries other roles and directives carry,
 * checked against the trees and warnings Sphinx 5.3 gives for the same
 * sources with `sphinx-build -b xml`; each expectation below was taken
 * from such a build. */
#define _GNU_SOURCE /* open_memstream */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "rst/rst.h"
#include "transforms/transforms.h"

/* `rst` read and transformed; its XML and what was reported. */
typedef struct {
  xmlDocPtr xml;
  char *log;
  size_t log_len;
} S_result;

static S_result S_build(const char *rst) {
  S_result r = {0};
  ss_diag diag;
  ss_diag_init(&diag);
  diag.out = open_memstream(&r.log, &r.log_len);
  ss_node *doc = t_parse(rst, &diag);
  fclose(diag.out);
  r.xml = t_xml(doc);
  ss_node_free(doc);
  return r;
}

static void S_free(S_result *r) {
  xmlFreeDoc(r->xml);
  free(r->log);
}

static void S_string(S_result *r, const char *xpath, const char *want) {
  char *got = t_doc_string(r->xml, xpath);
  cr_expect_str_eq(got, want, "%s: got [%s], want [%s]", xpath, got, want);
  free(got);
}

static void S_count(S_result *r, const char *xpath, int want) {
  int got = t_doc_count(r->xml, xpath);
  cr_expect_eq(got, want, "%s: got %d, want %d", xpath, got, want);
}

/* The index directive: process_index_entry's shorthands (commas, "!",
 * "type: value", the pair types "module: x" ...), the entries as
 * Sphinx's xml builder writes them, a target "index-N" after the node;
 * a line of the argument each. */
Test(index, directive_entries) {
  S_result r = S_build("T\n=\n\n.. index:: foo, !bar\n"
                       "   pair: a; b\n   single: x; y\n"
                       "   module: os\n   triple: p; q; r\n\n"
                       ".. index::\n   see: a; b\n   seealso: c; d\n"
                       "   double: e; f\n\nPara.\n");
  S_string(&r, "string(//index[1]/@entries)",
           "['single',\\ 'foo',\\ 'index-0',\\ '',\\ None] "
           "['single',\\ 'bar',\\ 'index-0',\\ 'main',\\ None] "
           "['pair',\\ 'a;\\ b',\\ 'index-0',\\ '',\\ None] "
           "['single',\\ 'x;\\ y',\\ 'index-0',\\ '',\\ None] "
           "['pair',\\ 'module;\\ os',\\ 'index-0',\\ '',\\ None] "
           "['triple',\\ 'p;\\ q;\\ r',\\ 'index-0',\\ '',\\ None]");
  S_string(&r, "string(//index[1]/@inline)", "False");
  S_string(&r, "string(//index[2]/@entries)",
           "['see',\\ 'a;\\ b',\\ 'index-1',\\ '',\\ None] "
           "['seealso',\\ 'c;\\ d',\\ 'index-1',\\ '',\\ None] "
           "['pair',\\ 'e;\\ f',\\ 'index-1',\\ '',\\ None]");
  /* Each target follows its index; one before an index (an invisible
   * node) stays, one before the paragraph moves to it. */
  S_string(&r, "string(//index[1]/following-sibling::*[1]/@ids)", "index-0");
  S_string(&r, "string(//index[2]/following-sibling::*[1]/@refid)", "index-1");
  S_string(&r, "string(//paragraph/@ids)", "index-1");
  cr_expect_eq(r.log_len, 0, "%s", r.log);
  S_free(&r);
}

/* An entry without the parts its type needs: Sphinx's index domain
 * warns at the directive's line and drops the entries; the target is
 * there as before, and moves to the next element. :name: names the
 * target (and the entries) instead of "index-N". */
Test(index, invalid_entry_and_name) {
  S_result r = S_build("T\n=\n\n.. index:: pair: bad\n\nPara.\n\n"
                       ".. index:: Named\n   :name: my-name\n\nOther.\n");
  S_string(&r, "string(//paragraph[1]/@ids)", "index-0");
  S_string(&r, "string(//index[1]/@entries)", "");
  S_string(&r, "string(//paragraph[2]/@ids)", "my-name");
  S_string(&r, "string(//paragraph[2]/@names)", "my-name");
  S_string(&r, "string(//index[2]/@entries)",
           "['single',\\ 'Named',\\ 'my-name',\\ '',\\ None]");
  cr_expect_str_eq(r.log,
                   "test.rst:4: WARNING: invalid pair index entry 'bad'\n");
  S_free(&r);
}

/* The :index: role: index, target and the text; "!" marks the main
 * entry, "title <entry>" gives a full entry; one count of "index-N"
 * ids with the other roles that make them (pep, envvar). */
Test(index, role) {
  S_result r = S_build("Text :index:`word` and :index:`!main` and "
                       ":index:`Title <single: t1; t2>` and\n"
                       ":index:`esc \\<x>` :pep:`8` :envvar:`HOME` "
                       ":index:`x <pair: y>` end.\n");
  S_string(&r, "string(/document/paragraph)",
           "Text word and main and Title and\nesc <x> PEP 8 HOME x end.");
  S_count(&r, "//paragraph/index", 7);
  S_count(&r, "//paragraph/index[@inline]", 0);
  S_string(&r, "string(//index[1]/@entries)",
           "['single',\\ 'word',\\ 'index-0',\\ '',\\ None]");
  S_string(&r, "string(//index[1]/following-sibling::target[1]/@ids)",
           "index-0");
  S_string(&r, "string(//index[2]/@entries)",
           "['single',\\ 'main',\\ 'index-1',\\ 'main',\\ None]");
  S_string(&r, "string(//index[3]/@entries)",
           "['single',\\ 't1;\\ t2',\\ 'index-2',\\ '',\\ None]");
  S_string(&r, "string(//index[4]/@entries)",
           "['single',\\ 'esc\\ <x>',\\ 'index-3',\\ '',\\ None]");
  S_string(&r, "string(//index[5]/@entries)",
           "['single',\\ 'Python\\ Enhancement\\ Proposals;\\ PEP\\ 8',\\ "
           "'index-4',\\ '',\\ None]");
  S_string(&r, "string(//index[6]/@entries)",
           "['single',\\ 'HOME',\\ 'index-5',\\ '',\\ None] "
           "['single',\\ 'environment\\ variable;\\ HOME',\\ 'index-5',\\ '',"
           "\\ None]");
  S_string(&r, "string(//index[7]/@entries)", "");
  cr_expect_str_eq(r.log,
                   "test.rst:1: WARNING: invalid pair index entry 'y'\n");
  S_free(&r);
}

/* ReferenceRole's explicit title: the first "<" not escaped, the text
 * ending in ">" (Sphinx 5.3 reads every cross-reference role so). */
Test(index, explicit_titles) {
  S_result r = S_build(":ref:`a <b> <c>`, :doc:`x \\<y>`, :doc:`<p> <q>`, "
                       ":doc:`t <u\\>>`\n");
  S_string(&r, "string(/document/paragraph)", "a, x <y>, <p>, t");
  cr_expect_str_eq(r.log, "test.rst:1: WARNING: undefined label: 'b> <c'\n"
                          "test.rst:1: WARNING: unknown document: 'x <y>'\n"
                          "test.rst:1: WARNING: unknown document: 'q'\n"
                          "test.rst:1: WARNING: unknown document: 'u>'\n");
  S_free(&r);
}
