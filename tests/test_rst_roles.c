/* test_rst_roles.c — Sphinx's cross-reference roles of the Python, HTTP
 * and standard domains, checked against what Sphinx 5.3 builds for the
 * same sources: the reader's pending_xref nodes against the doctree
 * Sphinx pickles (before its post-transforms), the finished trees and
 * the warnings against `sphinx-build -b xml`. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "rst/rst.h"
#include "transforms/transforms.h"

/* --- the Python domain -----------------------------------------------------
 */

static const char *S_py =
    ":func:`foo`, :py:func:`mod.bar`, :meth:`~a.b.c`, :class:`.X`,\n"
    ":attr:`T <x.y>`, :data:`d`, :const:`c`, :exc:`E`, :obj:`o`, :mod:`m`,\n"
    ":func:`!nolink`, :meth:`m()`, :py:meth:`pm`, :func:`f <g>`\n";

/* PyXRefRole's nodes: the target as written but for "~", ".", "()";
 * refwarn False; the title with "()" for functions and methods. */
Test(python_roles, pending_xrefs) {
  t_result r = t_build_at(S_py, NULL, true);
  t_expect_count(&r, "//pending_xref[@refdomain='py'][@refwarn='False']", 13);
  t_expect_count(&r, "//pending_xref[@refdoc='test']", 13);
  t_expect_string(&r, "string(//pending_xref[1]/@reftype)", "func");
  t_expect_string(&r, "string(//pending_xref[1]/@reftarget)", "foo");
  t_expect_string(&r, "string(//pending_xref[1]/@refexplicit)", "False");
  t_expect_string(&r, "string(//pending_xref[1]/literal/@classes)",
                  "xref py py-func");
  t_expect_string(&r, "string(//pending_xref[1])", "foo()");
  t_expect_string(&r, "string(//pending_xref[2]/@reftarget)", "mod.bar");
  t_expect_string(&r, "string(//pending_xref[3]/@reftarget)", "a.b.c");
  t_expect_string(&r, "string(//pending_xref[3])", "c()");
  t_expect_string(&r, "string(//pending_xref[4]/@reftarget)", "X");
  t_expect_string(&r, "string(//pending_xref[4]/@refspecific)", "True");
  t_expect_string(&r, "string(//pending_xref[4])", "X");
  t_expect_string(&r, "string(//pending_xref[5]/@reftarget)", "x.y");
  t_expect_string(&r, "string(//pending_xref[5]/@refexplicit)", "True");
  t_expect_string(&r, "string(//pending_xref[5])", "T");
  t_expect_string(&r, "string(//pending_xref[10]/@reftype)", "mod");
  t_expect_string(&r, "string(//pending_xref[11]/@reftarget)", "m");
  t_expect_string(&r, "string(//pending_xref[11])", "m()");
  t_expect_string(&r, "string(//pending_xref[12]/literal/@classes)",
                  "xref py py-meth");
  t_expect_string(&r, "string(//pending_xref[13])", "f");
  /* "!": the literal alone. */
  t_expect_string(&r, "string(//paragraph/literal/@classes)",
                  "xref py py-func");
  t_expect_string(&r, "string(//paragraph/literal)", "nolink()");
  t_result_free(&r);
}

/* Unresolved, they are their literal, without a warning (Sphinx is not
 * nitpicky by default). */
Test(python_roles, unresolved_silently) {
  t_result r = t_build_at(S_py, NULL, false);
  t_expect_count(&r, "//pending_xref", 0);
  t_expect_count(&r, "//paragraph/literal[@classes='xref py py-func']", 4);
  t_expect_string(&r, "normalize-space(//paragraph)",
                  "foo(), mod.bar(), c(), X, T, d, c, E, o, m, nolink(), m(), "
                  "pm(), f");
  cr_expect_eq(r.log_len, 0, "%s", r.log);
  t_result_free(&r);
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
  t_result r = t_build_at(S_http, NULL, true);
  t_expect_count(&r, "//pending_xref[@refdomain='http'][@refwarn='False']", 3);
  t_expect_string(&r, "string(//pending_xref[1]/@reftype)", "get");
  t_expect_string(&r, "string(//pending_xref[1]/@reftarget)",
                  "/users/(int:id)");
  t_expect_string(&r, "string(//pending_xref[1]/literal/@classes)",
                  "xref http http-get");
  t_expect_string(&r, "string(//pending_xref[1])", "GET /users/(int:id)");
  t_expect_string(&r, "string(//pending_xref[2]/@reftarget)", "/x");
  t_expect_string(&r, "string(//pending_xref[2])", "Title");
  t_expect_string(&r, "string(//pending_xref[3])", "COPY /c");
  t_result_free(&r);
}

/* statuscode, method and header make their node at once: links to the
 * RFCs, emphasis for what has none, problematic and httpdomain's error
 * (at the text block's line) for what it refuses. */
Test(http_roles, status_method_header) {
  t_result r = t_build_at(S_http, NULL, false);
  t_expect_string(
      &r, "string(//reference[1]/@refuri)",
      "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.5");
  t_expect_string(&r, "string(//reference[1])", "404 Not Found");
  t_expect_string(&r, "string(//reference[2])", "200 ok");
  t_expect_string(&r, "string(//paragraph/problematic[1])", "999");
  t_expect_string(&r, "string(//paragraph/problematic[2])", "abc");
  t_expect_string(&r, "string(//reference[3]/@refuri)",
                  "https://tools.ietf.org/html/rfc7231#section-4.3.1");
  t_expect_string(&r, "string(//reference[3])", "GET");
  t_expect_string(&r, "string(//paragraph/problematic[3])", "frob");
  t_expect_string(&r, "string(//paragraph/emphasis[1])", "any");
  t_expect_string(&r, "string(//reference[4]/@refuri)",
                  "https://tools.ietf.org/html/rfc7231#section-5.3.2");
  t_expect_string(&r, "string(//paragraph/emphasis[2])", "X-Foo");
  t_expect_count(&r, "/document/system_message[@type='ERROR']", 3);
  cr_expect_str_eq(
      r.log, "test.rst:1: ERROR: 999 is unknown HTTP status code\n"
             "test.rst:1: ERROR: HTTP status code must be an integer (e.g. "
             "`200`) or start with an integer (e.g. `200 OK`); <#text: "
             "'abc'> is invalid\n"
             "test.rst:1: ERROR: frob is not valid HTTP method\n");
  t_result_free(&r);
}

/* In a doc field of an HTTP directive the same messages, at the line of
 * the group's first field (where DocFieldTransformer places them). */
Test(http_roles, doc_field_messages) {
  t_result r =
      t_build_at(".. http:get:: /x\n\n   :statuscode 200: fine\n"
                 "   :statuscode abc: bad\n   :statuscode 999: weird\n",
                 NULL, false);
  cr_expect_str_eq(
      r.log, "test.rst:3: ERROR: HTTP status code must be an integer (e.g. "
             "`200`) or start with an integer (e.g. `200 OK`); <#text: "
             "'abc'> is invalid\n"
             "test.rst:3: ERROR: 999 is unknown HTTP status code\n");
  t_result_free(&r);
}

/* --- Sphinx's download role ----------------------------------------------- */

/* XRefRole(nodeclass=download_reference): no domain, the literal of
 * classes "xref download" inside; a URL is its refuri at once (Sphinx's
 * DownloadFileCollector), a file is the site's to find. The transforms
 * leave it. */
Test(download_role, download_reference) {
  const char *src = ":download:`sub/f.txt`, :download:`Title <sub/f.txt>`,\n"
                    ":download:`!nolink`, :download:`https://e.com/x.zip`\n";
  t_result r = t_build_at(src, NULL, false);
  t_expect_count(&r, "//download_reference", 3);
  t_expect_count(&r,
                 "//download_reference[@refdomain=''][@reftype='download']"
                 "[@refwarn='False'][@refdoc='test']",
                 3);
  t_expect_string(&r, "string(//download_reference[1]/@reftarget)",
                  "sub/f.txt");
  t_expect_string(&r, "string(//download_reference[1]/@refexplicit)", "False");
  t_expect_count(&r, "//download_reference[1][@refuri]", 0);
  t_expect_string(&r, "string(//download_reference[1]/literal/@classes)",
                  "xref download");
  t_expect_string(&r, "string(//download_reference[2]/@refexplicit)", "True");
  t_expect_string(&r, "string(//download_reference[2])", "Title");
  t_expect_string(&r, "string(//paragraph/literal)", "nolink");
  t_expect_string(&r, "string(//download_reference[3]/@refuri)",
                  "https://e.com/x.zip");
  cr_expect_eq(r.log_len, 0, "%s", r.log);
  t_result_free(&r);
}

/* --- manpage, keyword, token, any -------------------------------------- */

/* Sphinx's generic manpage role, with what its ManpageLink transform
 * reads off the text: page and section. */
Test(std_roles, manpage) {
  t_result r = t_build_at(":manpage:`ls(1)`, :manpage:`plain`, :manpage:`x.1`, "
                          ":manpage:`y(3ssl)`, :manpage:`z(0)`, "
                          ":manpage:`foo(`\n",
                          NULL, false);
  t_expect_count(&r, "//manpage[@classes='manpage']", 6);
  t_expect_string(&r, "string(//manpage[1]/@page)", "ls");
  t_expect_string(&r, "string(//manpage[1]/@path)", "ls(1)");
  t_expect_string(&r, "string(//manpage[1]/@section)", "1");
  t_expect_string(&r, "string(//manpage[2]/@page)", "plain");
  t_expect_string(&r, "string(//manpage[2]/@section)", "");
  t_expect_string(&r, "string(//manpage[3]/@page)", "x");
  t_expect_string(&r, "string(//manpage[4]/@section)", "3ssl");
  t_expect_string(&r, "string(//manpage[5]/@page)", "z(0)");
  t_expect_string(&r, "string(//manpage[6]/@page)", "foo");
  t_expect_string(&r, "string(//manpage[6]/@section)", "True");
  t_expect_string(&r, "string(//manpage[1])", "ls(1)");
  t_result_free(&r);
}

/* keyword (warn_dangling), token (TokenXRefRole: "~" and the grammar's
 * name shortened), any (no domain, warn_dangling), std: forms. */
Test(std_roles, keyword_token_any) {
  const char *src = ":keyword:`if`, :token:`tok`, :token:`~g:tok`, "
                    ":any:`foo`, :any:`Title <bar>`, :std:ref:`x`\n";
  t_result r = t_build_at(src, NULL, true);
  t_expect_string(&r, "string(//pending_xref[1]/@reftype)", "keyword");
  t_expect_string(&r, "string(//pending_xref[1]/@refwarn)", "True");
  t_expect_string(&r, "string(//pending_xref[1]/literal/@classes)",
                  "xref std std-keyword");
  t_expect_string(&r, "string(//pending_xref[2]/@reftype)", "token");
  t_expect_string(&r, "string(//pending_xref[2]/@refwarn)", "False");
  t_expect_string(&r, "string(//pending_xref[3]/@reftarget)", "g:tok");
  t_expect_string(&r, "string(//pending_xref[3])", "tok");
  t_expect_string(&r, "string(//pending_xref[4]/@refdomain)", "");
  t_expect_string(&r, "string(//pending_xref[4]/@reftype)", "any");
  t_expect_string(&r, "string(//pending_xref[4]/@refwarn)", "True");
  t_expect_string(&r, "string(//pending_xref[4]/literal/@classes)", "xref any");
  t_expect_string(&r, "string(//pending_xref[5]/@reftarget)", "bar");
  t_expect_string(&r, "string(//pending_xref[5])", "Title");
  t_expect_string(&r, "string(//pending_xref[6]/@refdomain)", "std");
  t_expect_string(&r, "string(//pending_xref[6]/inline/@classes)",
                  "xref std std-ref");
  t_result_free(&r);
  /* Unresolved: their literal, with Sphinx's warning for any. */
  r = t_build_at(":token:`tok` :any:`foo`\n", NULL, false);
  t_expect_string(&r, "string(/document/paragraph)", "tok foo");
  cr_expect_str_eq(r.log,
                   "test.rst:1: WARNING: 'any' reference target not found: "
                   "foo\n");
  t_result_free(&r);
}
