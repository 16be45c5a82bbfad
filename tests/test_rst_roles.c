/* test_rst_roles.c — Sphinx's cross-reference roles of the Python, HTTP
 * and standard domains, checked against what Sphinx 5.3 builds for the
 * same sources: the reader's pending_xref nodes against the doctree
 * Sphinx pickles (before its post-transforms), the finished trees and
 * the warnings against `sphinx-build -b xml`. */
#define _GNU_SOURCE /* open_memstream */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "rst/rst.h"
#include "transforms/transforms.h"

/* `rst` read (and transformed unless `raw`); its XML and what was
 * reported. */
typedef struct {
  xmlDocPtr xml;
  char *log;
  size_t log_len;
} S_result;

static S_result S_build(const char *rst, bool raw) {
  S_result r = {0};
  ss_diag diag;
  ss_diag_init(&diag);
  diag.out = open_memstream(&r.log, &r.log_len);
  ss_node *doc = raw ? t_parse_raw(rst, &diag) : t_parse(rst, &diag);
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

/* --- the Python domain -----------------------------------------------------
 */

static const char *S_py =
    ":func:`foo`, :py:func:`mod.bar`, :meth:`~a.b.c`, :class:`.X`,\n"
    ":attr:`T <x.y>`, :data:`d`, :const:`c`, :exc:`E`, :obj:`o`, :mod:`m`,\n"
    ":func:`!nolink`, :meth:`m()`, :py:meth:`pm`, :func:`f <g>`\n";

/* PyXRefRole's nodes: the target as written but for "~", ".", "()";
 * refwarn False; the title with "()" for functions and methods. */
Test(python_roles, pending_xrefs) {
  S_result r = S_build(S_py, true);
  S_count(&r, "//pending_xref[@refdomain='py'][@refwarn='False']", 13);
  S_count(&r, "//pending_xref[@refdoc='test']", 13);
  S_string(&r, "string(//pending_xref[1]/@reftype)", "func");
  S_string(&r, "string(//pending_xref[1]/@reftarget)", "foo");
  S_string(&r, "string(//pending_xref[1]/@refexplicit)", "False");
  S_string(&r, "string(//pending_xref[1]/literal/@classes)", "xref py py-func");
  S_string(&r, "string(//pending_xref[1])", "foo()");
  S_string(&r, "string(//pending_xref[2]/@reftarget)", "mod.bar");
  S_string(&r, "string(//pending_xref[3]/@reftarget)", "a.b.c");
  S_string(&r, "string(//pending_xref[3])", "c()");
  S_string(&r, "string(//pending_xref[4]/@reftarget)", "X");
  S_string(&r, "string(//pending_xref[4]/@refspecific)", "True");
  S_string(&r, "string(//pending_xref[4])", "X");
  S_string(&r, "string(//pending_xref[5]/@reftarget)", "x.y");
  S_string(&r, "string(//pending_xref[5]/@refexplicit)", "True");
  S_string(&r, "string(//pending_xref[5])", "T");
  S_string(&r, "string(//pending_xref[10]/@reftype)", "mod");
  S_string(&r, "string(//pending_xref[11]/@reftarget)", "m");
  S_string(&r, "string(//pending_xref[11])", "m()");
  S_string(&r, "string(//pending_xref[12]/literal/@classes)",
           "xref py py-meth");
  S_string(&r, "string(//pending_xref[13])", "f");
  /* "!": the literal alone. */
  S_string(&r, "string(//paragraph/literal/@classes)", "xref py py-func");
  S_string(&r, "string(//paragraph/literal)", "nolink()");
  S_free(&r);
}

/* Unresolved, they are their literal, without a warning (Sphinx is not
 * nitpicky by default). */
Test(python_roles, unresolved_silently) {
  S_result r = S_build(S_py, false);
  S_count(&r, "//pending_xref", 0);
  S_count(&r, "//paragraph/literal[@classes='xref py py-func']", 4);
  S_string(&r, "normalize-space(//paragraph)",
           "foo(), mod.bar(), c(), X, T, d, c, E, o, m, nolink(), m(), "
           "pm(), f");
  cr_expect_eq(r.log_len, 0, "%s", r.log);
  S_free(&r);
}

/* --- sphinxcontrib.httpdomain ----------------------------------------------
 */

static const char *S_http =
    ":http:get:`/users/(int:id)`, :http:post:`Title </x>`,\n"
    ":http:statuscode:`404`, :http:statuscode:`200 ok`,\n"
    ":http:statuscode:`999`, :http:statuscode:`abc`, :http:method:`get`,\n"
    ":http:method:`frob`, :http:method:`any`, :http:header:`Accept`,\n"
    ":http:header:`X-Foo`, :http:copy:`/c`\n";

/* HTTPXRefRole: a pending_xref of the http domain, the method before
 * the title; refwarn False. */
Test(http_roles, pending_xrefs) {
  S_result r = S_build(S_http, true);
  S_count(&r, "//pending_xref[@refdomain='http'][@refwarn='False']", 3);
  S_string(&r, "string(//pending_xref[1]/@reftype)", "get");
  S_string(&r, "string(//pending_xref[1]/@reftarget)", "/users/(int:id)");
  S_string(&r, "string(//pending_xref[1]/literal/@classes)",
           "xref http http-get");
  S_string(&r, "string(//pending_xref[1])", "GET /users/(int:id)");
  S_string(&r, "string(//pending_xref[2]/@reftarget)", "/x");
  S_string(&r, "string(//pending_xref[2])", "Title");
  S_string(&r, "string(//pending_xref[3])", "COPY /c");
  S_free(&r);
}

/* statuscode, method and header make their node at once: links to the
 * RFCs, emphasis for what has none, problematic and httpdomain's error
 * (at the text block's line) for what it refuses. */
Test(http_roles, status_method_header) {
  S_result r = S_build(S_http, false);
  S_string(&r, "string(//reference[1]/@refuri)",
           "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.5");
  S_string(&r, "string(//reference[1])", "404 Not Found");
  S_string(&r, "string(//reference[2])", "200 ok");
  S_string(&r, "string(//paragraph/problematic[1])", "999");
  S_string(&r, "string(//paragraph/problematic[2])", "abc");
  S_string(&r, "string(//reference[3]/@refuri)",
           "https://tools.ietf.org/html/rfc7231#section-4.3.1");
  S_string(&r, "string(//reference[3])", "GET");
  S_string(&r, "string(//paragraph/problematic[3])", "frob");
  S_string(&r, "string(//paragraph/emphasis[1])", "any");
  S_string(&r, "string(//reference[4]/@refuri)",
           "https://tools.ietf.org/html/rfc7231#section-5.3.2");
  S_string(&r, "string(//paragraph/emphasis[2])", "X-Foo");
  S_count(&r, "/document/system_message[@type='ERROR']", 3);
  cr_expect_str_eq(
      r.log, "test.rst:1: ERROR: 999 is unknown HTTP status code\n"
             "test.rst:1: ERROR: HTTP status code must be an integer (e.g. "
             "`200`) or start with an integer (e.g. `200 OK`); <#text: "
             "'abc'> is invalid\n"
             "test.rst:1: ERROR: frob is not valid HTTP method\n");
  S_free(&r);
}

/* In a doc field of an HTTP directive the same messages, at the line of
 * the group's first field (where DocFieldTransformer places them). */
Test(http_roles, doc_field_messages) {
  S_result r = S_build(".. http:get:: /x\n\n   :statuscode 200: fine\n"
                       "   :statuscode abc: bad\n   :statuscode 999: weird\n",
                       false);
  cr_expect_str_eq(
      r.log, "test.rst:3: ERROR: HTTP status code must be an integer (e.g. "
             "`200`) or start with an integer (e.g. `200 OK`); <#text: "
             "'abc'> is invalid\n"
             "test.rst:3: ERROR: 999 is unknown HTTP status code\n");
  S_free(&r);
}

/* --- Sphinx's download role ----------------------------------------------- */

/* XRefRole(nodeclass=download_reference): no domain, the literal of
 * classes "xref download" inside; a URL is its refuri at once (Sphinx's
 * DownloadFileCollector), a file is the site's to find. The transforms
 * leave it. */
Test(download_role, download_reference) {
  const char *src = ":download:`sub/f.txt`, :download:`Title <sub/f.txt>`,\n"
                    ":download:`!nolink`, :download:`https://e.com/x.zip`\n";
  S_result r = S_build(src, false);
  S_count(&r, "//download_reference", 3);
  S_count(&r,
          "//download_reference[@refdomain=''][@reftype='download']"
          "[@refwarn='False'][@refdoc='test']",
          3);
  S_string(&r, "string(//download_reference[1]/@reftarget)", "sub/f.txt");
  S_string(&r, "string(//download_reference[1]/@refexplicit)", "False");
  S_count(&r, "//download_reference[1][@refuri]", 0);
  S_string(&r, "string(//download_reference[1]/literal/@classes)",
           "xref download");
  S_string(&r, "string(//download_reference[2]/@refexplicit)", "True");
  S_string(&r, "string(//download_reference[2])", "Title");
  S_string(&r, "string(//paragraph/literal)", "nolink");
  S_string(&r, "string(//download_reference[3]/@refuri)",
           "https://e.com/x.zip");
  cr_expect_eq(r.log_len, 0, "%s", r.log);
  S_free(&r);
}

/* --- manpage, keyword, token, any -------------------------------------- */

/* Sphinx's generic manpage role, with what its ManpageLink transform
 * reads off the text: page and section. */
Test(std_roles, manpage) {
  S_result r = S_build(":manpage:`ls(1)`, :manpage:`plain`, :manpage:`x.1`, "
                       ":manpage:`y(3ssl)`, :manpage:`z(0)`, "
                       ":manpage:`foo(`\n",
                       false);
  S_count(&r, "//manpage[@classes='manpage']", 6);
  S_string(&r, "string(//manpage[1]/@page)", "ls");
  S_string(&r, "string(//manpage[1]/@path)", "ls(1)");
  S_string(&r, "string(//manpage[1]/@section)", "1");
  S_string(&r, "string(//manpage[2]/@page)", "plain");
  S_string(&r, "string(//manpage[2]/@section)", "");
  S_string(&r, "string(//manpage[3]/@page)", "x");
  S_string(&r, "string(//manpage[4]/@section)", "3ssl");
  S_string(&r, "string(//manpage[5]/@page)", "z(0)");
  S_string(&r, "string(//manpage[6]/@page)", "foo");
  S_string(&r, "string(//manpage[6]/@section)", "True");
  S_string(&r, "string(//manpage[1])", "ls(1)");
  S_free(&r);
}

/* keyword (warn_dangling), token (TokenXRefRole: "~" and the grammar's
 * name shortened), any (no domain, warn_dangling), std: forms. */
Test(std_roles, keyword_token_any) {
  const char *src = ":keyword:`if`, :token:`tok`, :token:`~g:tok`, "
                    ":any:`foo`, :any:`Title <bar>`, :std:ref:`x`\n";
  S_result r = S_build(src, true);
  S_string(&r, "string(//pending_xref[1]/@reftype)", "keyword");
  S_string(&r, "string(//pending_xref[1]/@refwarn)", "True");
  S_string(&r, "string(//pending_xref[1]/literal/@classes)",
           "xref std std-keyword");
  S_string(&r, "string(//pending_xref[2]/@reftype)", "token");
  S_string(&r, "string(//pending_xref[2]/@refwarn)", "False");
  S_string(&r, "string(//pending_xref[3]/@reftarget)", "g:tok");
  S_string(&r, "string(//pending_xref[3])", "tok");
  S_string(&r, "string(//pending_xref[4]/@refdomain)", "");
  S_string(&r, "string(//pending_xref[4]/@reftype)", "any");
  S_string(&r, "string(//pending_xref[4]/@refwarn)", "True");
  S_string(&r, "string(//pending_xref[4]/literal/@classes)", "xref any");
  S_string(&r, "string(//pending_xref[5]/@reftarget)", "bar");
  S_string(&r, "string(//pending_xref[5])", "Title");
  S_string(&r, "string(//pending_xref[6]/@refdomain)", "std");
  S_string(&r, "string(//pending_xref[6]/inline/@classes)", "xref std std-ref");
  S_free(&r);
  /* Unresolved: their literal, with Sphinx's warning for any. */
  r = S_build(":token:`tok` :any:`foo`\n", false);
  S_string(&r, "string(/document/paragraph)", "tok foo");
  cr_expect_str_eq(r.log,
                   "test.rst:1: WARNING: 'any' reference target not found: "
                   "foo\n");
  S_free(&r);
}
