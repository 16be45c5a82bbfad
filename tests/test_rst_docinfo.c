/* test_rst_docinfo.c — a document's bibliographic fields (Docutils'
 * DocInfo transform, then Sphinx's MetadataCollector), checked against
 * the trees and warnings Sphinx 5.3 gives for the same sources with
 * `sphinx-build -b xml`. */
#define _GNU_SOURCE /* open_memstream */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "rst/rst.h"
#include "transforms/transforms.h"

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

/* :dedication: and :abstract: become topics, dedication first, with
 * the field's body and the label as title; the rest of the metadata
 * goes, as Sphinx takes the docinfo out. */
Test(docinfo, abstract_and_dedication_topics) {
  S_result r = S_build(":author: Me\n:abstract: This is *the* abstract.\n\n"
                       "   Second para.\n:dedication: To you.\n:version: 1\n\n"
                       "T\n=\n\nPara.\n");
  S_count(&r, "/document/*", 3);
  S_count(&r, "/document/field_list", 0);
  S_string(&r, "string(/document/topic[1]/@classes)", "dedication");
  S_string(&r, "string(/document/topic[1]/title)", "Dedication");
  S_string(&r, "string(/document/topic[1]/paragraph)", "To you.");
  S_string(&r, "string(/document/topic[2]/@classes)", "abstract");
  S_string(&r, "string(/document/topic[2]/title)", "Abstract");
  S_count(&r, "/document/topic[2]/paragraph", 2);
  S_count(&r, "/document/topic[2]/paragraph[1]/emphasis", 1);
  S_string(&r, "string(/document/section/@ids)", "t");
  cr_expect_eq(r.log_len, 0, "%s", r.log);
  S_free(&r);
}

/* The topics go before what precedes the field list; a target just
 * before it pointed at the field list, and so stays away from the
 * section. What DocInfo cannot extract is its warning, at the field. */
Test(docinfo, placement_and_warnings) {
  S_result r = S_build(".. a comment\n\n.. _tgt:\n\n"
                       ":Abstract: One.\n:author:\n:version: a\n\n   b\n"
                       ":authors: ;\n:dedication: To you.\n:abstract: Again.\n"
                       ":date: - x\n:orphan:\n\nT\n=\n\nP\n");
  S_string(&r, "name(/document/*[1])", "topic");
  S_string(&r, "string(/document/*[2]/@classes)", "abstract");
  S_string(&r, "string(/document/*[2]/paragraph)", "One.");
  S_string(&r, "name(/document/*[3])", "comment");
  S_string(&r, "string(/document/target/@refid)", "tgt");
  S_string(&r, "string(/document/section/@ids)", "t");
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
  S_free(&r);
}
