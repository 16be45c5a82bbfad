/* test_rst_docinfo.c — a document's bibliographic fields (Docutils'
 * DocInfo transform, then Sphinx's MetadataCollector), checked against
 * the trees and warnings Sphinx 5.3 gives for the same sources with
 * `sphinx-build -b xml`. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "rst/rst.h"
#include "transforms/transforms.h"

/* :dedication: and :abstract: become topics, dedication first, with
 * the field's body and the label as title; the rest of the metadata
 * goes, as Sphinx takes the docinfo out. */
Test(docinfo, abstract_and_dedication_topics) {
  t_result r = t_build(":author: Me\n:abstract: This is *the* abstract.\n\n"
                       "   Second para.\n:dedication: To you.\n:version: 1\n\n"
                       "T\n=\n\nPara.\n");
  t_expect_count(&r, "/document/*", 3);
  t_expect_count(&r, "/document/field_list", 0);
  t_expect_string(&r, "string(/document/topic[1]/@classes)", "dedication");
  t_expect_string(&r, "string(/document/topic[1]/title)", "Dedication");
  t_expect_string(&r, "string(/document/topic[1]/paragraph)", "To you.");
  t_expect_string(&r, "string(/document/topic[2]/@classes)", "abstract");
  t_expect_string(&r, "string(/document/topic[2]/title)", "Abstract");
  t_expect_count(&r, "/document/topic[2]/paragraph", 2);
  t_expect_count(&r, "/document/topic[2]/paragraph[1]/emphasis", 1);
  t_expect_string(&r, "string(/document/section/@ids)", "t");
  cr_expect_eq(r.log_len, 0, "%s", r.log);
  t_result_free(&r);
}

/* The topics go before what precedes the field list; a target just
 * before it pointed at the field list, and so stays away from the
 * section. What DocInfo cannot extract is its warning, at the field. */
Test(docinfo, placement_and_warnings) {
  t_result r = t_build(".. a comment\n\n.. _tgt:\n\n"
                       ":Abstract: One.\n:author:\n:version: a\n\n   b\n"
                       ":authors: ;\n:dedication: To you.\n:abstract: Again.\n"
                       ":date: - x\n:orphan:\n\nT\n=\n\nP\n");
  t_expect_string(&r, "name(/document/*[1])", "topic");
  t_expect_string(&r, "string(/document/*[2]/@classes)", "abstract");
  t_expect_string(&r, "string(/document/*[2]/paragraph)", "One.");
  t_expect_string(&r, "name(/document/*[3])", "comment");
  t_expect_string(&r, "string(/document/target/@refid)", "tgt");
  t_expect_string(&r, "string(/document/section/@ids)", "t");
  cr_expect_str_eq(
      r.log,
      "test.rst:6: WARNING: Cannot extract empty bibliographic field "
      "\"author\".\n"
      "test.rst:7: WARNING: Cannot extract compound bibliographic field "
      "\"version\".\n"
      "test.rst:10: WARNING: Bibliographic field \"authors\" incompatible "
      "with extraction: it must contain either a single paragraph (with "
      "authors separated by one of \";,\"), multiple paragraphs (one per "
      "author), or a bullet list with one paragraph (one author) per "
      "item.\n"
      "test.rst:12: WARNING: There can only be one \"abstract\" field.\n"
      "test.rst:13: WARNING: Cannot extract bibliographic field \"date\" "
      "containing anything other than a single paragraph.\n");
  t_result_free(&r);
}
