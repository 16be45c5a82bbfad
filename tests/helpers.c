#define _GNU_SOURCE /* open_memstream */
#include "helpers.h"

#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rst/rst.h"
#include "transforms/transforms.h"

ss_node *t_parse_raw(const char *rst, ss_diag *diag) {
  ss_diag quiet;
  if (!diag) {
    ss_diag_init(&quiet);
    quiet.quiet = 1;
    diag = &quiet;
  }
  ss_rst_options opts = {
      .path = "test.rst", .diag = diag, .report_level = SS_LEVEL_INFO};
  return ss_rst_parse(rst, strlen(rst), &opts);
}

ss_node *t_parse(const char *rst, ss_diag *diag) {
  ss_diag quiet;
  if (!diag) {
    ss_diag_init(&quiet);
    quiet.quiet = 1;
    diag = &quiet;
  }
  ss_node *doc = t_parse_raw(rst, diag);
  ss_transform_options topts = {.path = "test.rst", .diag = diag};
  ss_transform_document(doc, &topts);
  return doc;
}

xmlDocPtr t_xml(const ss_node *document) {
  ss_buf xml = SS_BUF_INIT;
  ss_tree_write_xml(document, &xml);
  xmlDocPtr doc =
      xmlReadMemory(xml.data, (int)xml.len, "ast.xml", NULL, XML_PARSE_NONET);
  ss_buf_free(&xml);
  return doc;
}

int t_doc_count(xmlDocPtr doc, const char *xpath) {
  if (!doc)
    return -1;
  xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
  xmlXPathObjectPtr obj = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
  int n = -1;
  if (obj)
    n = obj->nodesetval ? obj->nodesetval->nodeNr : 0;
  xmlXPathFreeObject(obj);
  xmlXPathFreeContext(ctx);
  return n;
}

char *t_doc_string(xmlDocPtr doc, const char *xpath) {
  if (!doc)
    return strdup("<no document>");
  xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
  xmlXPathObjectPtr obj = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
  xmlChar *s = obj ? xmlXPathCastToString(obj) : NULL;
  char *out = strdup(s ? (const char *)s : "<bad xpath>");
  xmlFree(s);
  xmlXPathFreeObject(obj);
  xmlXPathFreeContext(ctx);
  return out;
}

int t_count(const char *rst, const char *xpath) {
  ss_node *tree = t_parse(rst, NULL);
  xmlDocPtr doc = t_xml(tree);
  int n = t_doc_count(doc, xpath);
  xmlFreeDoc(doc);
  ss_node_free(tree);
  return n;
}

char *t_string(const char *rst, const char *xpath) {
  ss_node *tree = t_parse(rst, NULL);
  xmlDocPtr doc = t_xml(tree);
  char *s = t_doc_string(doc, xpath);
  xmlFreeDoc(doc);
  ss_node_free(tree);
  return s;
}

t_result t_build_at(const char *rst, const char *path, bool raw) {
  t_result r = {0};
  ss_diag diag;
  ss_diag_init(&diag);
  diag.out = open_memstream(&r.log, &r.log_len);
  ss_node *doc;
  if (path) {
    /* A file of its own: includes are read from its folder. */
    ss_rst_options opts = {.path = path, .diag = &diag};
    doc = ss_rst_parse(rst, strlen(rst), &opts);
    ss_transform_options topts = {.path = path, .diag = &diag};
    if (!raw)
      ss_transform_document(doc, &topts);
  } else {
    doc = raw ? t_parse_raw(rst, &diag) : t_parse(rst, &diag);
  }
  fclose(diag.out);
  r.xml = t_xml(doc);
  ss_node_free(doc);
  return r;
}

t_result t_build(const char *rst) { return t_build_at(rst, NULL, false); }

void t_result_free(t_result *r) {
  xmlFreeDoc(r->xml);
  free(r->log);
}

void t_expect_string(t_result *r, const char *xpath, const char *want) {
  char *got = t_doc_string(r->xml, xpath);
  cr_expect_str_eq(got, want, "%s: got [%s], want [%s]", xpath, got, want);
  free(got);
}

void t_expect_count(t_result *r, const char *xpath, int want) {
  int got = t_doc_count(r->xml, xpath);
  cr_expect_eq(got, want, "%s: got %d, want %d", xpath, got, want);
}

int t_line_in(ss_node *doc, ss_kind kind, int nth) {
  int line = -1;
  for (ss_node *n = doc; n; n = ss_node_next_in(doc, n))
    if (n->kind == kind && --nth == 0) {
      line = n->line;
      break;
    }
  ss_node_free(doc);
  return line;
}
