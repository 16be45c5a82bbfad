/* test_rst_index.c — Sphinx's index entries: the `index` directive, the
 * `:index:` role and the entries other roles and directives carry,
 * checked against the trees and warnings Sphinx 5.3 gives for the same
 * sources with `sphinx-build -b xml`; each expectation below was taken
 * from such a build. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "rst/rst.h"
#include "transforms/transforms.h"

/* The index directive: process_index_entry's shorthands (commas, "!",
 * "type: value", the pair types "module: x" ...), the entries as
 * Sphinx's xml builder writes them, a target "index-N" after the node;
 * a line of the argument each. */
Test(index, directive_entries) {
  t_result r = t_build("T\n=\n\n.. index:: foo, !bar\n"
                       "   pair: a; b\n   single: x; y\n"
                       "   module: os\n   triple: p; q; r\n\n"
                       ".. index::\n   see: a; b\n   seealso: c; d\n"
                       "   double: e; f\n\nPara.\n");
  t_expect_string(&r, "string(//index[1]/@entries)",
                  "['single',\\ 'foo',\\ 'index-0',\\ '',\\ None] "
                  "['single',\\ 'bar',\\ 'index-0',\\ 'main',\\ None] "
                  "['pair',\\ 'a;\\ b',\\ 'index-0',\\ '',\\ None] "
                  "['single',\\ 'x;\\ y',\\ 'index-0',\\ '',\\ None] "
                  "['pair',\\ 'module;\\ os',\\ 'index-0',\\ '',\\ None] "
                  "['triple',\\ 'p;\\ q;\\ r',\\ 'index-0',\\ '',\\ None]");
  t_expect_string(&r, "string(//index[1]/@inline)", "False");
  t_expect_string(&r, "string(//index[2]/@entries)",
                  "['see',\\ 'a;\\ b',\\ 'index-1',\\ '',\\ None] "
                  "['seealso',\\ 'c;\\ d',\\ 'index-1',\\ '',\\ None] "
                  "['pair',\\ 'e;\\ f',\\ 'index-1',\\ '',\\ None]");
  /* Each target follows its index; one before an index (an invisible
   * node) stays, one before the paragraph moves to it. */
  t_expect_string(&r, "string(//index[1]/following-sibling::*[1]/@ids)",
                  "index-0");
  t_expect_string(&r, "string(//index[2]/following-sibling::*[1]/@refid)",
                  "index-1");
  t_expect_string(&r, "string(//paragraph/@ids)", "index-1");
  cr_expect_eq(r.log_len, 0, "%s", r.log);
  t_result_free(&r);
}

/* An entry without the parts its type needs: Sphinx's index domain
 * warns at the directive's line and drops the entries; the target is
 * there as before, and moves to the next element. :name: names the
 * target (and the entries) instead of "index-N". */
Test(index, invalid_entry_and_name) {
  t_result r = t_build("T\n=\n\n.. index:: pair: bad\n\nPara.\n\n"
                       ".. index:: Named\n   :name: my-name\n\nOther.\n");
  t_expect_string(&r, "string(//paragraph[1]/@ids)", "index-0");
  t_expect_string(&r, "string(//index[1]/@entries)", "");
  t_expect_string(&r, "string(//paragraph[2]/@ids)", "my-name");
  t_expect_string(&r, "string(//paragraph[2]/@names)", "my-name");
  t_expect_string(&r, "string(//index[2]/@entries)",
                  "['single',\\ 'Named',\\ 'my-name',\\ '',\\ None]");
  cr_expect_str_eq(r.log,
                   "test.rst:4: WARNING: invalid pair index entry 'bad'\n");
  t_result_free(&r);
}

/* The :index: role: index, target and the text; "!" marks the main
 * entry, "title <entry>" gives a full entry; one count of "index-N"
 * ids with the other roles that make them (pep, envvar). */
Test(index, role) {
  t_result r = t_build("Text :index:`word` and :index:`!main` and "
                       ":index:`Title <single: t1; t2>` and\n"
                       ":index:`esc \\<x>` :pep:`8` :envvar:`HOME` "
                       ":index:`x <pair: y>` end.\n");
  t_expect_string(
      &r, "string(/document/paragraph)",
      "Text word and main and Title and\nesc <x> PEP 8 HOME x end.");
  t_expect_count(&r, "//paragraph/index", 7);
  t_expect_count(&r, "//paragraph/index[@inline]", 0);
  t_expect_string(&r, "string(//index[1]/@entries)",
                  "['single',\\ 'word',\\ 'index-0',\\ '',\\ None]");
  t_expect_string(&r, "string(//index[1]/following-sibling::target[1]/@ids)",
                  "index-0");
  t_expect_string(&r, "string(//index[2]/@entries)",
                  "['single',\\ 'main',\\ 'index-1',\\ 'main',\\ None]");
  t_expect_string(&r, "string(//index[3]/@entries)",
                  "['single',\\ 't1;\\ t2',\\ 'index-2',\\ '',\\ None]");
  t_expect_string(&r, "string(//index[4]/@entries)",
                  "['single',\\ 'esc\\ <x>',\\ 'index-3',\\ '',\\ None]");
  t_expect_string(
      &r, "string(//index[5]/@entries)",
      "['single',\\ 'Python\\ Enhancement\\ Proposals;\\ PEP\\ 8',\\ "
      "'index-4',\\ '',\\ None]");
  t_expect_string(
      &r, "string(//index[6]/@entries)",
      "['single',\\ 'HOME',\\ 'index-5',\\ '',\\ None] "
      "['single',\\ 'environment\\ variable;\\ HOME',\\ 'index-5',\\ '',"
      "\\ None]");
  t_expect_string(&r, "string(//index[7]/@entries)", "");
  cr_expect_str_eq(r.log,
                   "test.rst:1: WARNING: invalid pair index entry 'y'\n");
  t_result_free(&r);
}

/* ReferenceRole's explicit title: the first "<" not escaped, the text
 * ending in ">" (Sphinx 5.3 reads every cross-reference role so). */
Test(index, explicit_titles) {
  t_result r = t_build(":ref:`a <b> <c>`, :doc:`x \\<y>`, :doc:`<p> <q>`, "
                       ":doc:`t <u\\>>`\n");
  t_expect_string(&r, "string(/document/paragraph)", "a, x <y>, <p>, t");
  cr_expect_str_eq(r.log, "test.rst:1: WARNING: undefined label: 'b> <c'\n"
                          "test.rst:1: WARNING: unknown document: 'x <y>'\n"
                          "test.rst:1: WARNING: unknown document: 'q'\n"
                          "test.rst:1: WARNING: unknown document: 'u>'\n");
  t_result_free(&r);
}
