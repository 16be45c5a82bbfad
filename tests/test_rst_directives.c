/* test_rst_directives.c — directives, checked against the trees Sphinx
 * 5.3 (sphinx.ext.todo, sphinxcontrib.httpdomain) writes with
 * `sphinx-build -b xml` for the same source; each expectation below was
 * taken from such a build. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "rst/rst.h"
#include "transforms/transforms.h"

static void S_count(const char *rst, const char *xpath, int want) {
  int got = t_count(rst, xpath);
  cr_expect_eq(got, want, "%s: got %d, want %d\n--- source:\n%s", xpath, got,
               want, rst);
}

static void S_string(const char *rst, const char *xpath, const char *want) {
  char *got = t_string(rst, xpath);
  cr_expect_str_eq(got, want, "%s: got [%s]\n--- source:\n%s", xpath, got, rst);
  free(got);
}

/* --- HTTP domain ------------------------------------------------------ */

static const char *http_get = ".. http:get:: /users/(int:user_id)/posts/(tag)\n"
                              "\n"
                              "   The posts.\n"
                              "\n"
                              "   :param user_id: the user id\n"
                              "   :param int limit: max\n"
                              "   :query sort: one of ``hit``\n"
                              "   :reqheader Accept: the type\n"
                              "   :reqheader X-Auth-Token: token\n"
                              "   :statuscode 200: no error\n"
                              "   :statuscode 418: teapot\n"
                              "   :statuscode 999: weird\n"
                              "   :<json string foo: a foo\n"
                              "   :returns: something\n"
                              "   :code 201: created\n";

Test(http, signature) {
  S_count(http_get, "/document/index", 1);
  S_count(http_get, "/document/desc[@domain='http'][@objtype='get']", 1);
  S_string(http_get, "string(//desc_signature/@ids)",
           "get--users-(int-user_id)-posts-(tag)");
  S_string(http_get, "string(//desc_signature/@fullname)", "GET /posts/");
  S_count(http_get, "//desc_signature/desc_name", 3);
  S_string(http_get, "string(//desc_signature/desc_name[1])", "GET ");
  S_string(http_get, "string(//desc_signature/desc_name[2])", "/users/");
  S_string(http_get, "normalize-space(//desc_parameterlist[1]/desc_annotation)",
           "int:");
  S_string(http_get, "string(//desc_parameterlist[1]/desc_parameter)",
           "user_id");
  S_string(http_get, "string(//desc_parameterlist[2]/desc_parameter)", "tag");
  S_string(http_get, "string(//desc_content/paragraph)", "The posts.");
}

Test(http, grouped_fields) {
  /* Groups in order of first use; unknown fields kept, capitalised. */
  S_count(http_get, "//desc_content/field_list/field", 6);
  S_string(http_get, "string(//field[1]/field_name)", "Parameters");
  S_string(http_get, "string(//field[2]/field_name)", "Query Parameters");
  S_string(http_get, "string(//field[3]/field_name)", "Request Headers");
  S_string(http_get, "string(//field[4]/field_name)", "Status Codes");
  S_string(http_get, "string(//field[5]/field_name)", "Request JSON Object");
  S_string(http_get, "string(//field[6]/field_name)", "Returns");
  S_string(http_get, "string(//field[6]/field_body/paragraph)", "something");
  S_count(http_get, "//field[1]//list_item", 2);
  S_string(http_get, "string(//field[1]//list_item[2]/paragraph)",
           "limit (int) \u2013 max");
  S_count(http_get, "//field[1]//list_item[2]/paragraph/literal_emphasis", 1);
  S_count(http_get, "//field[2]//list_item/paragraph/literal", 1);
}

Test(http, links) {
  S_string(http_get, "string(//field[3]//list_item[1]//reference/@refuri)",
           "https://tools.ietf.org/html/rfc7231#section-5.3.2");
  S_count(http_get, "//field[3]//list_item[2]/paragraph/inline/emphasis", 1);
  S_string(http_get, "string(//field[4]//list_item[1]//reference)", "200 OK");
  S_string(http_get, "string(//field[4]//list_item[1]//reference/@refuri)",
           "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.2.1");
  S_string(http_get, "string(//field[4]//list_item[2]//reference/@refuri)",
           "https://www.ietf.org/rfc/rfc2324.txt");
  S_count(http_get, "//field[4]//list_item[3]/paragraph/inline/problematic", 1);
  /* :code: joins the status codes. */
  S_string(http_get, "string(//field[4]//list_item[4]//reference)",
           "201 Created");
}

Test(http, methods_and_noindex) {
  const char *methods[] = {"post",    "put",   "patch",   "delete", "head",
                           "options", "trace", "connect", "copy",   "any"};
  for (size_t k = 0; k < sizeof methods / sizeof *methods; k++) {
    char src[128], xp[128];
    snprintf(src, sizeof src, ".. http:%s:: /p\n", methods[k]);
    snprintf(xp, sizeof xp, "//desc[@objtype='%s']/desc_signature", methods[k]);
    S_count(src, xp, 1);
    S_count(src, "//desc_content", 1);
  }
  const char *ni = ".. http:post:: /x\n   :noindex:\n\n   Body.\n";
  S_count(ni, "//desc[@noindex='True']", 1);
  S_count(ni, "//desc_signature[@ids]", 0);
  const char *two = ".. http:get:: /a\n   /b/(x)\n";
  S_count(two, "//desc_signature", 2);
  S_string(two, "string(//desc_signature[2]/@ids)", "get--b-(x)");
}

Test(http, type_fields) {
  const char *src = ".. http:get:: /a\n\n"
                    "   :param x: multi\n"
                    "   :type x: int\n"
                    "   :param y:\n"
                    "   :param: noarg\n";
  S_string(src, "string(//field[1]/field_name)", "Parameters");
  S_string(src, "string(//field[1]//list_item[1]/paragraph)",
           "x (int) \u2013 multi");
  S_string(src, "string(//field[1]//list_item[2]/paragraph)", "y \u2013 ");
  S_string(src, "string(//field[2]/field_name)", "Param");
}

/* --- tables ----------------------------------------------------------- */

static const char *list_table = ".. list-table:: Title *here*\n"
                                "   :header-rows: 1\n"
                                "   :stub-columns: 1\n"
                                "   :widths: 10 20\n"
                                "   :width: 80%\n"
                                "   :class: foo\n"
                                "   :align: center\n"
                                "\n"
                                "   * - A\n"
                                "     - B\n"
                                "   * - c\n"
                                "\n"
                                "       para2\n"
                                "     - * nested\n";

Test(tables, list_table) {
  S_count(list_table, "/document/table[@align='center'][@width='80%']", 1);
  S_count(list_table, "//table[contains(@classes,'colwidths-given')]", 1);
  S_count(list_table, "//table[contains(@classes,'foo')]", 1);
  S_count(list_table, "//table/title/emphasis", 1);
  S_count(list_table, "//tgroup[@cols='2']", 1);
  S_string(list_table, "string(//colspec[1]/@colwidth)", "10");
  S_count(list_table, "//colspec[1][@stub='1']", 1);
  S_count(list_table, "//colspec[2][@stub]", 0);
  S_count(list_table, "//thead/row/entry", 2);
  S_count(list_table, "//tbody/row[1]/entry[1]/paragraph", 2);
  S_count(list_table, "//tbody/row[1]/entry[2]/bullet_list", 1);
}

Test(tables, list_table_errors) {
  S_count(".. list-table::\n\n   * - a\n     - b\n   * - c\n",
          "//system_message[@level='3']", 1);
  S_count(".. list-table::\n\n   * - a\n", "//table", 1);
  S_count(".. list-table::\n   :widths: auto\n\n   * - x\n     - y\n",
          "//table[@classes='colwidths-auto']", 1);
}

Test(tables, csv_table) {
  const char *src = ".. csv-table:: CSV *title*\n"
                    "   :header: \"H 1\", \"H, 2\"\n"
                    "   :widths: 1, 2\n"
                    "\n"
                    "   \"a, b\",c\n"
                    "   \"multi\n"
                    "   line\", d\n"
                    "   e,\"f \"\"q\"\"\"\n"
                    "   short\n";
  S_count(src, "//table/title", 1);
  S_count(src, "//thead/row/entry", 2);
  S_string(src, "string(//thead/row/entry[2]/paragraph)", "H, 2");
  S_count(src, "//tbody/row", 4);
  S_string(src, "string(//tbody/row[1]/entry[1]/paragraph)", "a, b");
  S_string(src, "string(//tbody/row[2]/entry[1]/paragraph)", "multi\nline");
  S_string(src, "string(//tbody/row[2]/entry[2]/paragraph)", "d");
  S_string(src, "string(//tbody/row[3]/entry[2]/paragraph)", "f \u201cq\u201d");
  /* Short rows get empty cells. */
  S_count(src, "//tbody/row[4]/entry", 2);
  S_count(src, "//tbody/row[4]/entry[2]/*", 0);
}

Test(tables, csv_options) {
  const char *src = ".. csv-table::\n"
                    "   :delim: ;\n"
                    "   :header-rows: 1\n"
                    "\n"
                    "   a;b\n"
                    "   c;  d\n";
  S_count(src, "//thead/row/entry", 2);
  S_string(src, "string(//tbody/row/entry[2]/paragraph)", "d");
  const char *keep = ".. csv-table::\n   :keepspace:\n\n   a,  b\n";
  S_count(keep, "//entry[2]/block_quote", 1);
  S_count(".. csv-table::\n   :file: ../../../../../etc/passwd\n",
          "//system_message[@level='4']", 1);
  S_count(".. csv-table::\n", "//system_message[@level='3']", 1);
}

Test(tables, table_directive) {
  const char *src = ".. table:: Grid *title*\n"
                    "   :widths: 1 3\n"
                    "   :align: right\n"
                    "\n"
                    "   =====  =====\n"
                    "   A      B\n"
                    "   =====  =====\n"
                    "   1      2\n"
                    "   =====  =====\n";
  S_count(src, "/document/table[@align='right']/title/emphasis", 1);
  S_string(src, "string(//colspec[2]/@colwidth)", "3");
  S_count(src, "//thead/row", 1);
  S_count(".. table::\n\n   Not a table.\n", "//system_message", 1);
}

/* --- Sphinx directives ------------------------------------------------ */

Test(sphinx, toctree) {
  const char *src = ".. toctree::\n"
                    "   :maxdepth: 2\n"
                    "   :caption: The caption\n"
                    "   :hidden:\n"
                    "\n"
                    "   other\n"
                    "   Explicit <other>\n"
                    "   http://example.com\n";
  S_count(src, "/document/compound[@classes='toctree-wrapper']/toctree", 1);
  S_string(src, "string(//toctree/@maxdepth)", "2");
  S_string(src, "string(//toctree/@caption)", "The caption");
  S_string(src, "string(//toctree/@hidden)", "True");
  S_string(src, "string(//toctree/@entries)",
           "[(None, 'other'), ('Explicit', 'other'), "
           "(None, 'http://example.com')]");
  S_string(src, "string(//toctree/@includefiles)", "['other', 'other']");
  S_string(".. toctree::\n   :glob:\n\n   o*\n", "string(//toctree/@glob)",
           "True");
}

Test(sphinx, versionmodified) {
  const char *src = ".. versionadded:: 1.2\n   Some text.\n\n"
                    ".. versionchanged:: 2.0\n\n"
                    ".. deprecated:: 3.0 Gone.\n";
  S_count(src, "//versionmodified", 3);
  S_string(src, "string(//versionmodified[1]/@version)", "1.2");
  S_string(src, "string(//versionmodified[1]/paragraph)",
           "New in version 1.2: Some text.");
  S_count(src,
          "//versionmodified[1]/paragraph/inline[@classes="
          "'versionmodified added']",
          1);
  S_string(src, "string(//versionmodified[2]/paragraph)",
           "Changed in version 2.0.");
  S_string(src, "string(//versionmodified[3]/paragraph)",
           "Deprecated since version 3.0: Gone.");
}

Test(sphinx, todo_and_admonitions) {
  const char *todo = ".. todo:: Fix this.\n\n   More.\n";
  S_count(todo, "/document/todo_node[@classes='admonition-todo']", 1);
  S_string(todo, "string(//todo_node/title)", "Todo");
  S_count(todo, "//todo_node/paragraph", 2);
  S_count(".. seealso:: Something.\n", "//seealso/paragraph", 1);
  S_count(".. note:: Note text.\n", "//note/paragraph", 1);
  const char *adm = ".. admonition:: My Title\n\n   Body.\n";
  S_string(adm, "string(//admonition/title)", "My Title");
  S_count(".. rubric:: R\n", "//rubric", 1);
  S_count(".. topic:: T\n\n   B.\n", "//topic/title", 1);
  S_count(".. sidebar:: S\n\n   B.\n", "//sidebar/title", 1);
  S_count(".. container:: c1\n\n   Body.\n", "//container/paragraph", 1);
  S_count(".. compound::\n\n   Body.\n", "//compound/paragraph", 1);
  S_count(".. epigraph::\n\n   B.\n", "//block_quote[@classes='epigraph']", 1);
  S_count(".. highlights::\n\n   B.\n", "//block_quote[@classes='highlights']",
          1);
  S_count(".. pull-quote::\n\n   B.\n", "//block_quote[@classes='pull-quote']",
          1);
}

Test(sphinx, centered_hlist_only_glossary) {
  S_count(".. centered:: Centered *text*\n", "//centered/emphasis", 1);
  const char *hl = ".. hlist::\n   :columns: 2\n\n   * a\n   * b\n   * c\n";
  S_count(hl, "//hlist[@ncolumns='2']/hlistcol", 2);
  S_count(hl, "//hlistcol[1]/bullet_list/list_item", 2);
  S_count(hl, "//hlistcol[2]/bullet_list/list_item", 1);
  S_count(hl, "//hlistcol/bullet_list[@bullet]", 0);
  S_count(".. only:: html\n\n   Only html.\n", "//only[@expr='html']", 1);
  const char *gl =
      ".. glossary::\n\n   term one\n   term 1b\n      Def one.\n\n"
      "   term two\n      Def two.\n";
  S_count(gl,
          "//glossary/definition_list[@classes='glossary']"
          "/definition_list_item",
          2);
  S_count(gl, "//definition_list_item[1]/term", 2);
  S_string(gl, "string(//definition_list_item[2]/definition/paragraph)",
           "Def two.");
}

/* make_glossary_term: the term's id made of its text with Sphinx's
 * make_id, case kept ("term-Foo-Bar", accents gone), "term-N" when the
 * id is taken or nothing is left; its index entry the main one. */
Test(sphinx, glossary_term_ids) {
  const char *src = ".. glossary::\n\n   Foo Bar\n      def\n\n"
                    "   Foo Bar\n      again\n\n"
                    "   \xc3\x89t\xc3\xa9 x.y_z\n      d\n\n"
                    "   \xe6\x97\xa5\xe6\x9c\xac\n      j\n\n"
                    "   ``Lit`` *em*\n      l\n";
  S_string(src, "string((//term)[1]/@ids)", "term-Foo-Bar");
  S_string(src, "string((//term)[2]/@ids)", "term-0");
  S_string(src, "string((//term)[3]/@ids)", "term-Ete-x.y_z");
  S_string(src, "string((//term)[4]/@ids)", "term-1");
  S_string(src, "string((//term)[5]/@ids)", "term-Lit-em");
  S_string(src, "string((//term)[1]/index/@entries)",
           "['single',\\ 'Foo\\ Bar',\\ 'term-Foo-Bar',\\ 'main',\\ None]");
}

Test(sphinx, math) {
  S_string(".. math::\n\n   a^2 + b^2\n", "string(//math_block)", "a^2 + b^2");
  const char *lab = ".. math:: x = 1\n   :label: eq1\n";
  S_count(lab, "//target[@refid='equation-eq1']", 1);
  S_string(lab, "string(//math_block)", "x = 1\n\n");
}

Test(sphinx, code_block) {
  const char *src = ".. code-block:: python\n"
                    "   :linenos:\n"
                    "   :emphasize-lines: 1,3-4\n"
                    "   :caption: Cap *tion*\n"
                    "   :name: my-code\n"
                    "   :dedent: 2\n"
                    "   :lineno-start: 10\n"
                    "   :force:\n"
                    "\n"
                    "     a = 1\n"
                    "     b = 2\n";
  S_count(src,
          "/document/container[@classes='literal-block-wrapper']"
          "[@names='my-code']/caption/emphasis",
          1);
  S_string(src, "string(//literal_block)", "a = 1\nb = 2");
  S_string(src, "string(//literal_block/@language)", "python");
  S_string(src, "string(//literal_block/@linenos)", "True");
  S_string(src, "string(//literal_block/@force)", "True");
  S_string(src, "string(//literal_block/@highlight_args)",
           "{'hl_lines': [1], 'linenostart': 10}");
  const char *hl = ".. highlight:: c\n\n.. sourcecode::\n\n   plain\n\n"
                   ".. code:: python\n\n   x\n";
  S_string(hl, "string(//literal_block[1]/@language)", "c");
  S_string(hl, "string(//literal_block[2]/@language)", "python");
  S_string(".. parsed-literal::\n\n   *a*\n",
           "string(//literal_block/emphasis)", "a");
}

Test(docutils, images) {
  const char *fig = ".. figure:: a.png\n"
                    "   :alt: Alt\n"
                    "   :align: center\n"
                    "   :figwidth: 50%\n"
                    "   :figclass: fc\n"
                    "   :target: http://x.org\n"
                    "\n"
                    "   Caption.\n\n   Legend.\n";
  S_count(fig, "//figure[@align='center'][@width='50%'][@classes='fc']", 1);
  S_count(fig, "//figure/reference[@refuri='http://x.org']/image[@alt='Alt']",
          1);
  S_string(fig, "string(//figure/caption)", "Caption.");
  S_count(fig, "//figure/legend/paragraph", 1);
}

/* Docutils' Figure.figwidth_value and the measure converters
 * (length_or_percentage_or_unitless, length_or_unitless, percentage):
 * spaces before the unit go, a bare figwidth takes "px", "image" (any
 * case) leaves no width without PIL, and a bad value is the directive's
 * error. */
Test(docutils, figure_and_image_measures) {
  S_count(".. figure:: a.png\n   :figwidth: 50\n", "//figure[@width='50px']",
          1);
  S_count(".. figure:: a.png\n   :figwidth: 3 em\n", "//figure[@width='3em']",
          1);
  S_count(".. figure:: a.png\n   :figwidth: 40 %\n", "//figure[@width='40%']",
          1);
  S_count(".. figure:: a.png\n   :figwidth: Image\n", "//figure[@width]", 0);
  S_count(".. figure:: a.png\n   :figwidth: Image\n", "//figure/image", 1);
  S_count(".. image:: b.png\n   :width: 3 pt\n   :height: 4\n   :scale: 50 "
          "%\n",
          "//image[@width='3pt'][@height='4'][@scale='50']", 1);
  const char *bad = ".. figure:: a.png\n   :figwidth: bogus\n\n"
                    ".. image:: c.png\n   :height: 10%\n";
  S_count(bad, "//figure", 0);
  S_count(bad, "//image", 0);
  S_string(bad, "string(//system_message[1]/paragraph)",
           "Error in \"figure\" directive:\ninvalid option value: (option: "
           "\"figwidth\"; value: 'bogus')\nnot a positive measure of one of "
           "the following units:\n\"em\" \"ex\" \"px\" \"in\" \"cm\" "
           "\"mm\" \"pt\" \"pc\" \"%\".");
  S_count(bad, "//system_message[@line='4'][@type='ERROR']", 1);
}

/* Docutils' align: choice() of the lower-cased value (a figure's from
 * left, center, right), then an image in the text aligns left, center or
 * right and one in a substitution definition top, middle or bottom;
 * anything else is an error in place of the directive, never an align
 * dropped or kept silently. */
Test(docutils, image_and_figure_align) {
  S_count(".. image:: a.png\n   :align: LEFT\n", "//image[@align='left']", 1);
  S_count(".. figure:: a.png\n   :align: Center\n",
          "//figure[@align='center']/image[not(@align)]", 1);
  const char *middle = ".. image:: a.png\n   :align: middle\n";
  S_count(middle, "//image", 0);
  S_string(middle, "string(//system_message[@type='ERROR']/paragraph)",
           "Error in \"image\" directive: \"middle\" is not a valid value "
           "for the \"align\" option.  Valid values for \"align\" are: "
           "\"left\", \"center\", \"right\".");
  S_string(".. image:: a.png\n   :align: diagonal\n",
           "string(//system_message/paragraph)",
           "Error in \"image\" directive:\ninvalid option value: (option: "
           "\"align\"; value: 'diagonal')\n\"diagonal\" unknown; choose "
           "from \"top\", \"middle\", \"bottom\", \"left\", \"center\", or "
           "\"right\".");
  S_string(".. figure:: a.png\n   :align: top\n",
           "string(//system_message/paragraph)",
           "Error in \"figure\" directive:\ninvalid option value: (option: "
           "\"align\"; value: 'top')\n\"top\" unknown; choose from "
           "\"left\", \"center\", or \"right\".");
  S_count(".. |x| image:: a.png\n   :align: top\n\n|x|\n",
          "//paragraph/image[@align='top']", 1);
  S_string(".. |x| image:: a.png\n   :align: left\n\n|x|\n",
           "string(//system_message[@type='ERROR'][1]/paragraph)",
           "Error in \"image\" directive: \"left\" is not a valid value for "
           "the \"align\" option within a substitution definition.  Valid "
           "values for \"align\" are: \"top\", \"middle\", \"bottom\".");
}

/* Docutils reads an image's :target: as a target's block
 * (parse_target): a reference name makes a reference by name that the
 * transforms resolve; a URI loses its whitespace. */
Test(docutils, image_target_by_name) {
  const char *src = ".. image:: a.png\n   :target: foo_\n\n"
                    ".. image:: b.png\n   :target: `a Phrase`_\n\n"
                    ".. figure:: d.png\n   :target: foo_\n\n"
                    ".. image:: e.png\n   :target: http://x.example/a b\n\n"
                    ".. _foo: http://x.example/foo\n"
                    ".. _a phrase: http://x.example/phrase\n";
  S_count(src,
          "/document/reference[@name='foo'][@refuri='http://x.example/foo']"
          "/image[@uri='a.png']",
          1);
  S_count(src,
          "/document/reference[@name='a Phrase']"
          "[@refuri='http://x.example/phrase']/image",
          1);
  S_count(src, "//figure/reference[@refuri='http://x.example/foo']/image", 1);
  S_count(src, "//reference[@refuri='http://x.example/ab']/image", 1);
  S_count(src, "//reference[@refname]", 0);
  /* Unresolved: Docutils' problematic, empty, in place of the image. */
  const char *missing = ".. image:: c.png\n   :target: missing_\n";
  S_count(missing, "/document/problematic", 1);
  S_string(missing, "string(/document/problematic)", "");
  S_count(missing, "//image", 0);
}

Test(docutils, unknown_and_raw) {
  const char *src = ".. frobnicate:: arg\n\n   body\n";
  S_count(src, "//system_message[@level='3']", 1);
  S_string(src, "string(//system_message/paragraph)",
           "Unknown directive type \"frobnicate\".");
  S_string(src, "string(//system_message/literal_block)",
           ".. frobnicate:: arg\n\n   body");
  S_count(".. raw:: html\n\n   <b>x</b>\n", "//raw", 0);
}

/* Docutils' standard definition files are built in: ".. include::
 * <isonum.txt>" reads them as Docutils reads its own copies. */
Test(docutils, include_standard_definition_files) {
  const char *src = ".. include:: <isonum.txt>\n\n"
                    "Copyright |copy| |frac12|.\n\n"
                    ".. include:: <mmlalias.txt>\n\n"
                    ".. include:: <xhtml1-lat1.txt>\n\n|Aacute|\n";
  S_string(src, "string(/document/paragraph[1])",
           "Copyright \xc2\xa9 \xc2\xbd.");
  S_string(src, "string(/document/paragraph[2])", "\xc3\x81");
  S_string(src, "string(/document/comment[1])",
           "This data file has been placed in the public domain.");
  S_count(src, "/document/comment", 6);
  /* The file's definitions, one per line of Docutils' copy. */
  S_count(".. include:: <isonum.txt>\n", "//substitution_definition", 76);
  /* Two code points in one definition. */
  S_string(".. include:: <isoamsn.txt>\n\n|nvlt|\n",
           "string(/document/paragraph)", "<\xe2\x83\x92");
  S_count(".. include:: <nosuch.txt>\n", "//system_message[@level='4']", 1);
}

/* A folder of its own holding `name` with `text`; returns the folder. */
static char *S_tempfile(const char *name, const char *text) {
  char tmpl[] = "/tmp/specsite-include-XXXXXX";
  char *dir = mkdtemp(tmpl);
  cr_assert(dir);
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  cr_assert(f);
  fputs(text, f);
  fclose(f);
  return strdup(dir);
}

/* `rst` read as DIR/doc.rst, transformed; XPath string and count. */
static ss_node *S_parse_in(const char *dir, const char *rst) {
  ss_diag diag;
  ss_diag_init(&diag);
  diag.quiet = 1;
  char path[256];
  snprintf(path, sizeof path, "%s/doc.rst", dir);
  ss_rst_options opts = {.path = path, .diag = &diag};
  ss_node *doc = ss_rst_parse(rst, strlen(rst), &opts);
  ss_transform_options topts = {.path = path, .diag = &diag};
  ss_transform_document(doc, &topts);
  return doc;
}

static void S_string_in(const char *dir, const char *rst, const char *xpath,
                        const char *want) {
  ss_node *doc = S_parse_in(dir, rst);
  xmlDocPtr x = t_xml(doc);
  char *got = t_doc_string(x, xpath);
  cr_expect_str_eq(got, want, "%s: got [%s]\n--- source:\n%s", xpath, got, rst);
  free(got);
  xmlFreeDoc(x);
  ss_node_free(doc);
}

static void S_count_in(const char *dir, const char *rst, const char *xpath,
                       int want) {
  ss_node *doc = S_parse_in(dir, rst);
  xmlDocPtr x = t_xml(doc);
  int got = t_doc_count(x, xpath);
  cr_expect_eq(got, want, "%s: got %d, want %d\n--- source:\n%s", xpath, got,
               want, rst);
  xmlFreeDoc(x);
  ss_node_free(doc);
}

static void S_remove(const char *dir, const char *name) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  remove(path);
  rmdir(dir);
}

/* Ten includes of the next file, eight files down: 10^8 inclusions
 * asked for. At most 1,000 includes run in a document, and the bound is
 * one error, not one per include skipped. */
Test(docutils, include_bomb, .timeout = 30) {
  char *dir = S_tempfile("f8.rst", "Leaf.\n");
  char path[512], text[512];
  for (int l = 0; l < 8; l++) {
    snprintf(path, sizeof path, "%s/f%d.rst", dir, l);
    text[0] = '\0';
    for (int k = 0; k < 10; k++)
      snprintf(text + strlen(text), sizeof text - strlen(text),
               ".. include:: f%d.rst\n\n", l + 1);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
  }
  ss_node *doc = S_parse_in(dir, ".. include:: f0.rst\n");
  xmlDocPtr x = t_xml(doc);
  cr_expect_eq(t_doc_count(x, "//system_message[contains(., "
                              "'Too many includes in one document')]"),
               1);
  cr_expect_leq(t_doc_count(x, "//system_message"), 1001);
  cr_expect_leq(t_doc_count(x, "//paragraph[.='Leaf.']"), 1000);
  xmlFreeDoc(x);
  ss_node_free(doc);
  for (int l = 0; l < 8; l++) {
    char name[16];
    snprintf(name, sizeof name, "f%d.rst", l);
    S_remove(dir, name);
  }
  S_remove(dir, "f8.rst");
  free(dir);
}

/* The bytes a document's directives read from files are bounded too
 * (64 MB): naming one big file many times reads it many times. */
Test(docutils, include_reads_bounded, .timeout = 60) {
  char *dir = S_tempfile("big.txt", "");
  char path[512];
  snprintf(path, sizeof path, "%s/big.txt", dir);
  FILE *f = fopen(path, "w");
  cr_assert(f);
  static char line[1024];
  memset(line, 'x', sizeof line - 1);
  line[sizeof line - 2] = '\n';
  for (int i = 0; i < 30 * 1024; i++) /* 30 MB */
    fputs(line, f);
  fclose(f);
  const char *one = ".. include:: big.txt\n   :end-line: 1\n\n";
  ss_buf src = SS_BUF_INIT;
  for (int i = 0; i < 3; i++)
    ss_buf_puts(&src, one);
  ss_node *doc = S_parse_in(dir, src.data);
  ss_buf_free(&src);
  xmlDocPtr x = t_xml(doc);
  cr_expect_eq(t_doc_count(x, "//paragraph[starts-with(., 'xxx')]"), 2);
  cr_expect_eq(t_doc_count(x, "//system_message[contains(., 'File too "
                              "large')]"),
               1);
  xmlFreeDoc(x);
  ss_node_free(doc);
  S_remove(dir, "big.txt");
  free(dir);
}

/* Docutils' Include options: :literal: keeps the text as it is (its
 * last line end, tabs expanded to :tab-width:), :number-lines: numbers
 * it in "ln" inlines, :start-line:/:end-line: slice its lines,
 * :start-after:/:end-before: cut at matches, :code: makes Docutils'
 * code block (classes "code" and the language). */
Test(docutils, include_options) {
  char *dir = S_tempfile("a.txt", "line one\nline two\n\tTabbed\n# marker\n"
                                  "x = 1\nlast\n");
  S_string_in(dir, ".. include:: a.txt\n   :literal:\n",
              "string(//literal_block)",
              "line one\nline two\n        Tabbed\n# marker\nx = 1\nlast\n");
  S_string_in(dir, ".. include:: a.txt\n   :literal:\n   :tab-width: 4\n",
              "string(//literal_block)",
              "line one\nline two\n    Tabbed\n# marker\nx = 1\nlast\n");
  S_string_in(dir,
              ".. include:: a.txt\n   :literal:\n   :start-line: 1\n"
              "   :end-line: 3\n",
              "string(//literal_block)", "line two\n        Tabbed\n");
  S_string_in(dir,
              ".. include:: a.txt\n   :literal:\n   :start-after: marker\n"
              "   :end-before: last\n",
              "string(//literal_block)", "\nx = 1\n");
  S_string_in(dir, ".. include:: a.txt\n   :literal:\n   :start-line: -2\n",
              "string(//literal_block)", "x = 1\nlast\n");
  const char *numbered =
      ".. include:: a.txt\n   :literal:\n   :number-lines:\n";
  S_count_in(dir, numbered, "//literal_block/inline[@classes='ln']", 6);
  S_string_in(dir, numbered, "string(//literal_block/inline[6])", "6 ");
  S_string_in(dir, numbered, "string(//literal_block)",
              "1 line one\n2 line two\n3         Tabbed\n4 # marker\n"
              "5 x = 1\n6 last");
  S_count_in(dir, ".. include:: a.txt\n   :code: python\n",
             "//literal_block[@classes='code python'][@source]", 1);
  S_string_in(dir, ".. include:: a.txt\n   :code:\n", "string(//literal_block)",
              "line one\nline two\n        Tabbed\n# marker\nx = 1\nlast");
  S_count_in(dir, ".. include:: a.txt\n   :literal:\n   :start-line: x\n",
             "//system_message[@level='3']", 1);
  S_count_in(dir, ".. include:: a.txt\n   :start-after: nowhere\n",
             "//system_message[@level='4']", 1);
  /* Read as reStructuredText, from the second line. */
  S_string_in(dir, ".. include:: a.txt\n   :start-line: 1\n   :end-line: 2\n",
              "string(/document/paragraph)", "line two");
  S_remove(dir, "a.txt");
  free(dir);
}

Test(docutils, include_confined) {
  S_count(".. include:: ../../../../../../etc/passwd\n",
          "//system_message[@level='4']", 1);
}

Test(directives, empty_admonition_is_an_error_and_empty_code_block_is_kept) {
  const char *src = ".. code-block:: python\n\n.. note::\n\npara\n";
  cr_assert_eq(t_count(src, "//literal_block[@language='python']"), 1);
  cr_assert_eq(t_count(src, "//note"), 0);
  char *msg =
      t_string(src, "string(//system_message[@type='ERROR']/paragraph)");
  cr_assert_str_eq(
      msg, "Content block expected for the \"note\" directive; none found.");
  free(msg);
}

/* Docutils' parse_directive_block: for a directive without arguments,
 * the options come out of the first block and the lines before them are
 * content, followed by the rest of the block. */
Test(directives, options_after_a_first_line_of_content) {
  const char *src = ".. note:: first line\n   :class: x\n\n   more\n\n"
                    ".. tip:: a\n   b\n   :name: t1\n";
  S_count(src, "/document/note[@classes='x']/paragraph", 2);
  S_string(src, "string(/document/note/paragraph[1])", "first line");
  S_string(src, "string(/document/note/paragraph[2])", "more");
  S_count(src, "/document/tip[@ids='t1']/paragraph", 1);
  S_string(src, "string(/document/tip/paragraph)", "a\nb");
  S_count(src, "//field_list", 0);
}

/* Docutils' role directive: "name" or "name(base)" on the first line,
 * the base's options after; the role then runs its base with the
 * classes given (by default its own name), an inline without a base. */
Test(docutils, role_defines_custom_roles) {
  const char *src = ".. role:: custom(emphasis)\n   :class: special\n\n"
                    ".. role:: plain\n\n.. role:: Upper\n\n"
                    ".. role:: cmd2(command)\n\n"
                    ".. role:: py(code)\n   :language: python\n\n"
                    ".. role:: mysamp(samp)\n\n.. role:: cc(custom)\n\n"
                    ".. role:: strongc(strong)\n   :class: A b_c\n\n"
                    "Use :custom:`this`, :plain:`that`, :upper:`up`, "
                    ":cmd2:`ls`, :py:`x = 1`, :mysamp:`a {b}`, :cc:`n`, "
                    ":strongc:`s`.\n";
  S_count(src, "//paragraph/emphasis[@classes='special'][.='this']", 1);
  S_count(src, "//paragraph/inline[@classes='plain'][.='that']", 1);
  S_count(src, "//paragraph/inline[@classes='upper'][.='up']", 1);
  S_count(src, "//paragraph/literal_strong[@classes='cmd2']", 1);
  S_count(src,
          "//paragraph/literal[@classes='code highlight py python']"
          "[@language='python'][.='x = 1']",
          1);
  S_count(src, "//literal[@classes='mysamp'][@role='mysamp']/emphasis", 1);
  S_count(src, "//paragraph/emphasis[@classes='cc'][.='n']", 1);
  S_count(src, "//paragraph/strong[@classes='a b-c']", 1);
  S_count(src, "//problematic", 0);
  /* Docutils' complaints. */
  const char *bad = ".. role:: myref(ref)\n   :class: x\n\n"
                    ".. role:: bad(nosuch)\n\n.. role:: two words\n\n"
                    ".. role::\n\n   late\n";
  S_count(bad, "//system_message[@type='ERROR']", 4);
  S_string(bad, "string(//system_message[1]/paragraph)",
           "Error in \"role\" directive:\nno content permitted.");
  S_string(bad, "string(//system_message[2]/paragraph)",
           "Unknown interpreted text role \"nosuch\".");
  S_string(bad, "string(//system_message[3]/paragraph)",
           "\"role\" directive arguments not valid role names: \"two "
           "words\".");
  S_string(bad, "string(//system_message[4]/paragraph)",
           "\"role\" directive requires arguments on the first line.");
}

/* Docutils' header and footer fill the document's decoration, made
 * once before the first element that is not a title or meta; meta's
 * fields become meta elements at the start ("or 0": before earlier
 * ones when nothing else is there yet). */
Test(docutils, header_footer_meta) {
  const char *src = ".. meta::\n   :keywords: first\n\n"
                    ".. meta::\n"
                    "   :http-equiv=Content-Type: text/html\n"
                    "   :description lang=en: An amusing\n      story\n"
                    "   :bad x: y\n\n"
                    "Title\n=====\n\n.. footer:: F1\n\n"
                    ".. header:: The *header*\n\n.. footer:: F2\n\ntext\n";
  S_count(src,
          "/document/*[1][self::meta][@http-equiv='Content-Type']"
          "[@content='text/html']",
          1);
  S_count(src,
          "/document/*[2][self::meta][@name='description'][@lang='en']"
          "[@content='An amusing story']",
          1);
  S_count(src, "/document/*[3][self::decoration]", 1);
  S_count(src, "/document/decoration/header/paragraph/emphasis", 1);
  S_count(src, "/document/decoration/footer/paragraph", 2);
  S_string(src, "string(/document/decoration/footer/paragraph[2])", "F2");
  S_count(src,
          "/document/meta[@name='keywords']"
          "/following-sibling::section",
          1);
  S_string(src, "string(//system_message[@type='ERROR']/paragraph)",
           "Error parsing meta tag attribute \"x\": missing \"=\".");
  S_count(".. header::\n", "//system_message[@type='ERROR']", 1);
}

/* Sphinx's default domain is py: `.. class::` describes a Python class
 * (desc, desc_signature with the annotation, prefix, name and the
 * parameters read as Python reads "def f(...)"; what Python rejects is
 * split at commas, brackets marking optional parts). */
Test(sphinx, python_class_descriptions) {
  const char *src =
      ".. class:: mod.Bar(a, b=1, *args, c: int = 2, **kw)\n\n   Body.\n";
  S_count(src, "/document/index", 1);
  S_count(src, "/document/desc[@domain='py'][@objtype='class']", 1);
  S_string(src, "string(//desc_signature/@ids)", "mod.Bar");
  S_string(src, "string(//desc_signature/desc_annotation)", "class ");
  S_string(src, "string(//desc_signature/desc_addname)", "mod.");
  S_string(src, "string(//desc_signature/desc_name)", "Bar");
  S_count(src, "//desc_parameterlist/desc_parameter", 5);
  S_string(src, "string(//desc_parameter[2]/inline[@classes='default_value'])",
           "1");
  S_string(src, "string(//desc_parameter[3])", "*args");
  S_string(src, "string(//desc_parameter[4])", "c: int = 2");
  S_count(src, "//desc_parameter[4]/desc_sig_name[2][.='int']", 1);
  S_string(src, "string(//desc_content/paragraph)", "Body.");
  /* Separators, annotations split as Sphinx splits them, defaults
   * written back by its unparser. */
  const char *typed =
      ".. class:: A(x: List[int] | None = None, /, "
      "y: ~typing.Any = \"s\", *, z: Literal['r', 1] = (1,2))\n";
  S_count(typed, "//desc_parameter[desc_sig_operator='/']", 1);
  S_count(typed, "//desc_parameter[desc_sig_operator='*']", 1);
  S_string(typed, "string(//desc_parameter[1]/desc_sig_name[2])",
           "List[int] | None");
  S_string(typed, "string(//desc_parameter[3]/desc_sig_name[2])", "Any");
  S_string(typed, "string(//desc_parameter[3]/inline)", "'s'");
  S_string(typed, "string(//desc_parameter[5]/inline)", "(1, 2)");
  S_count(typed, "//desc_sig_literal_string[.=\"'r'\"]", 1);
  S_count(typed, "//desc_sig_literal_number[.='1']", 1);
  /* Not Python: commas and optional brackets. */
  S_count(".. class:: B(a, [b, c])\n",
          "//desc_parameterlist/desc_optional/desc_parameter", 2);
  S_string(".. class:: C(a=1, b)\n", "string(//desc_parameter[1])", "a=1");
  /* No signature at all: the text as the name, no target. */
  S_count(".. class:: Qux -> int\n", "//desc_signature[@ids]", 0);
  S_string(".. class:: Qux -> int\n", "string(//desc_name)", "Qux -> int");
  S_string(".. exception:: E\n   :module: pkg\n",
           "string(//desc_signature/@ids)", "pkg.E");
}

/* --- lines ---------------------------------------------------------- */

/* A directive's node carries the line Sphinx reports a problem about it
 * at (get_source_line): the directive's own where Docutils or Sphinx
 * set it (set_source_info), else the line Docutils' state machine stands
 * at when the directive's result is appended: the last line of its
 * block, blank lines in; none after a nested parse (of options or
 * content), and none of its own in a body that is not in the document
 * yet (a list item, a directive's content). Every expectation is what
 * Sphinx 5.3's doctree gives the same source. */

/* ".. image::" on line 3 and one blank line: 4; on line 7 with two blank
 * lines and a title after: 9. With options (read by a nested state
 * machine), a target, or in a list item: no line. */
/* The Python domain's other directives, as Sphinx 5.3 builds them: the
 * module and class they are described in (py:module, currentmodule, a
 * class's content, "K.m"), each kind's prefix, parameter list and index
 * entry. */
static const char *S_py_objects =
    ".. py:module:: mymod\n\n"
    ".. function:: f(a, b=1) -> int\n\n   Doc.\n\n"
    ".. py:function:: g\n   :async:\n\n"
    ".. method:: K.m(self)\n\n"
    ".. attribute:: K.attr\n   :type: int\n   :value: 3\n\n"
    ".. data:: D\n   :annotation: = 5\n\n"
    ".. currentmodule:: other\n\n"
    ".. py:class:: C\n\n"
    "   .. py:method:: meth(x)\n      :classmethod:\n\n"
    "   .. py:staticmethod:: sm()\n\n"
    "   .. py:attribute:: a\n\n"
    ".. py:decorator:: deco\n\n"
    ".. py:property:: prop\n   :type: str\n\n"
    ".. py:currentmodule:: None\n\n"
    ".. function:: h()\n";

Test(sphinx, python_objects) {
  const char *src = S_py_objects;
  /* py:module: a target and its index entry, then the objects. */
  S_string(src, "string(/document/target/@ids)", "module-mymod");
  S_string(src, "string(/document/target/@ismod)", "True");
  S_string(src, "string(/document/index[1]/@entries)",
           "['pair',\\ 'module;\\ mymod',\\ 'module-mymod',\\ '',\\ None]");
  S_count(src, "/document/desc", 9);
  S_count(src, "//desc[@objtype='function']", 4);
  /* function: the module before the name, returns, its index entry. */
  S_string(src, "string(//desc[1]/desc_signature/@ids)", "mymod.f");
  S_string(src, "string(//desc[1]/desc_signature/@_toc_name)", "f()");
  S_string(src, "string(//desc[1]/desc_signature/@_toc_parts)", "mymod f");
  S_string(src, "string(//desc[1]/desc_signature/desc_addname)", "mymod.");
  S_string(src, "string(//desc[1]/desc_signature/desc_returns)", "int");
  S_string(src, "string(/document/index[2]/@entries)",
           "['single',\\ 'f()\\ (in\\ module\\ mymod)',\\ 'mymod.f',\\ '',"
           "\\ None]");
  /* :async: a keyword; no arguments: an empty parameter list. */
  S_string(src, "string((//desc)[2]//desc_annotation/desc_sig_keyword)",
           "async");
  S_count(src, "(//desc)[2]//desc_parameterlist[not(node())]", 1);
  /* "K.m": class K, no module shown. */
  S_string(src, "string(//desc[3]/desc_signature/@class)", "K");
  S_string(src, "string(//desc[3]/desc_signature/desc_addname)", "K.");
  S_string(src, "string(/document/index[4]/@entries)",
           "['single',\\ 'm()\\ (mymod.K\\ method)',\\ 'mymod.K.m',\\ '',\\ "
           "None]");
  S_string(src, "normalize-space(//desc[4]/desc_signature)", "K.attr: int = 3");
  S_string(src, "normalize-space(//desc[5]/desc_signature)", "mymod.D = 5");
  /* currentmodule, and a class's content in the class. */
  S_string(src, "string(//desc[6]/desc_signature/@ids)", "other.C");
  S_string(src, "string(//desc[6]//desc[1]/desc_signature/@ids)",
           "other.C.meth");
  S_string(src, "string(//desc[6]//desc[1]/desc_signature/@class)", "C");
  S_string(src, "normalize-space(//desc[6]//desc[1]//desc_annotation)",
           "classmethod");
  S_string(src, "string(//desc[6]/desc_content/index[1]/@entries)",
           "['single',\\ 'meth()\\ (other.C\\ class\\ method)',\\ "
           "'other.C.meth',\\ '',\\ None]");
  S_string(src, "string(//desc[6]/desc_content/index[2]/@entries)",
           "['single',\\ 'sm()\\ (other.C\\ static\\ method)',\\ "
           "'other.C.sm',\\ '',\\ None]");
  S_string(src, "string(//desc[6]//desc[3]/@objtype)", "attribute");
  /* decorator: "@" first, a function; property: its prefix. */
  S_string(src,
           "string((//desc[@objtype='function'])[3]/desc_signature/"
           "desc_addname[1])",
           "@");
  S_string(src, "normalize-space(//desc[@objtype='property']/desc_signature)",
           "property other.prop: str");
  /* currentmodule None: no module; a built-in function's pair entry. */
  S_string(src, "string(/document/index[last()]/@entries)",
           "['pair',\\ 'built-in\\ function;\\ h()',\\ 'h',\\ '',\\ None]");
  S_string(src, "string((//desc)[last()]/desc_signature/@module)", "True");
}

/* The roles of a description's content are read in its context. */
Test(sphinx, python_context_of_roles) {
  const char *src = ".. py:module:: mm\n\n.. py:class:: Outer\n\n"
                    "   :meth:`a`\n\n   .. py:class:: Inner\n\n"
                    "      :meth:`b`\n\n   .. method:: Z.m\n\n"
                    "      :meth:`d`\n\n   :meth:`f`\n\n"
                    ".. method:: K.x\n   :module: other\n\n   :meth:`g`\n\n"
                    ":meth:`h`\n";
  /* Read off the tree: its XML would need Sphinx's namespace for the
   * "py:" attributes. */
  ss_node *doc = t_parse_raw(src, NULL);
  static const char *const want[][3] = {
      {"a", "Outer", "mm"}, {"b", "Outer.Inner", "mm"}, {"d", "Z", "mm"},
      {"f", "Outer", "mm"}, {"g", "K", "other"},        {"h", NULL, "mm"}};
  size_t k = 0;
  for (ss_node *n = doc; n; n = ss_node_next_in(doc, n)) {
    if (n->kind != SS_PENDING_XREF)
      continue;
    cr_assert_lt(k, sizeof want / sizeof *want);
    const char *target = ss_node_attr_get(n, "reftarget");
    const char *cls = ss_node_attr_get(n, "py:class");
    const char *mod = ss_node_attr_get(n, "py:module");
    cr_expect_str_eq(target, want[k][0]);
    if (want[k][1])
      cr_expect(cls && !strcmp(cls, want[k][1]), "%s: py:class [%s]", target,
                cls ? cls : "(none)");
    else
      cr_expect_null(cls, "%s: py:class [%s]", target, cls);
    cr_expect(mod && !strcmp(mod, want[k][2]), "%s: py:module [%s]", target,
              mod ? mod : "(none)");
    k++;
  }
  cr_expect_eq(k, sizeof want / sizeof *want);
  ss_node_free(doc);
}

/* Sphinx's directives that show nothing (the authors, without
 * show_authors; title, which names the page), tabularcolumns' node, and
 * Docutils' line-block. */
Test(sphinx, authors_tabularcolumns_title_line_block) {
  const char *src = ".. sectionauthor:: Guido <guido@python.org>\n\n"
                    ".. moduleauthor:: Someone\n\n.. codeauthor:: Another\n\n"
                    ".. tabularcolumns:: |l|r|\n\n"
                    ".. title:: The Real Title\n\n"
                    ".. line-block::\n\n   one\n     two\n\n   four\n\n"
                    "Para.\n";
  S_count(src, "/document/*", 3);
  S_count(src, "//system_message", 0);
  S_string(src, "string(/document/tabular_col_spec/@spec)", "|l|r|");
  S_string(src, "string(/document/@title)", "The Real Title");
  /* An empty line keeps the indentation before it: nested with "two". */
  S_count(src, "/document/line_block/line", 2);
  S_count(src, "/document/line_block/line_block/line", 2);
  S_string(src, "string(/document/line_block/line_block/line)", "two");
  S_string(src, "string(/document/line_block/line[2])", "four");
  S_count(".. line-block::\n", "//system_message[@level='3']", 1);
}

Test(lines, images) {
  const char *src = "text\n\n.. image:: a.png\n\nmore\n\n.. image:: b.png\n\n\n"
                    "Title\n=====\n";
  LINE(src, SS_IMAGE, 1, 4);
  LINE(src, SS_IMAGE, 2, 9);
  const char *none = ".. image:: a.png\n   :width: 10\n\n"
                     ".. image:: b.png\n   :target: http://x\n\n"
                     "* .. image:: c.png\n";
  LINE(none, SS_IMAGE, 1, 0);
  LINE(none, SS_REFERENCE, 1, 0);
  LINE(none, SS_IMAGE, 2, 0);
  LINE(none, SS_IMAGE, 3, 0);
}

/* Sphinx's Figure gives a figure of an image and a caption the caption's
 * line, and the image takes the figure's; with a legend neither has one;
 * in a list item the figure has the caption's line but no source, and
 * the image none. */
Test(lines, figures) {
  const char *src = ".. figure:: a.png\n\n   caption\n\n"
                    ".. figure:: b.png\n\n   caption\n\n   legend\n\n"
                    "* .. figure:: c.png\n\n     caption\n";
  LINE(src, SS_FIGURE, 1, 3);
  LINE(src, SS_IMAGE, 1, 3);
  LINE(src, SS_CAPTION, 1, 3);
  LINE(src, SS_FIGURE, 2, 0);
  LINE(src, SS_IMAGE, 2, 0);
  LINE(src, SS_CAPTION, 2, 7);
  LINE(src, SS_LEGEND, 1, 0);
  LINE(src, SS_FIGURE, 3, 13);
  LINE(src, SS_IMAGE, 3, 0);
}

/* code-block and code (Sphinx's): the directive's line, not the
 * content's; parsed-literal: the content's first, its markup too; a
 * caption's container has no line (a source of '' after the caption is
 * parsed), the caption the block's. */
Test(lines, literal_blocks) {
  const char *src = "text\n\n.. code-block:: json\n\n   {}\n\n"
                    ".. code:: python\n\n   x\n\n"
                    ".. parsed-literal::\n\n   a *b*\n\n"
                    ".. code-block:: c\n   :caption: Cap\n\n   x\n";
  LINE(src, SS_LITERAL_BLOCK, 1, 3);
  LINE(src, SS_LITERAL_BLOCK, 2, 7);
  LINE(src, SS_LITERAL_BLOCK, 3, 13);
  LINE(src, SS_EMPHASIS, 1, 13);
  LINE(src, SS_CONTAINER, 1, 0);
  LINE(src, SS_CAPTION, 1, 15);
  LINE(src, SS_LITERAL_BLOCK, 4, 15);
}

/* Admonitions, topics, containers: appended after their content is
 * parsed, no line; the generic admonition's title has the directive's,
 * a topic's none (Sphinx gives it the topic's); a rubric (no nested
 * parse) is where the state machine stands. */
Test(lines, body_directives) {
  const char *src = ".. note:: text\n\n.. admonition:: Title\n\n   body\n\n"
                    ".. topic:: T\n\n   body\n\n.. rubric:: R\n\n"
                    ".. container:: c\n\n   body\n\n"
                    ".. note::\n\n   * list at the end\n\ntext\n";
  LINE(src, SS_NOTE, 1, 0);
  LINE(src, SS_ADMONITION, 1, 0);
  LINE(src, SS_TITLE, 1, 3);
  LINE(src, SS_TOPIC, 1, 0);
  LINE(src, SS_TITLE, 2, 0);
  LINE(src, SS_RUBRIC, 1, 12);
  LINE(src, SS_CONTAINER, 1, 0);
  LINE(src, SS_NOTE, 2, 0);
}

/* Sphinx's directives: toctree, versionadded, todo, only, math at the
 * directive's line (set_source_info); the toctree's compound where the
 * state machine stands (none after options); versionadded's text read
 * at the next line, and its new first paragraph where the state
 * machine stands; a todo's title at the todo's; a glossary term at the
 * 0-based offset of its line (the line before). */
Test(lines, sphinx_directives) {
  const char *src = ".. toctree::\n   :maxdepth: 1\n\n.. toctree::\n\n"
                    ".. versionadded:: 1.0 text :ref:`x`\n\n"
                    ".. todo:: do it\n\n"
                    ".. only:: html\n\n   .. image:: o.png\n\n"
                    ".. math::\n\n   x\n\n"
                    ".. glossary::\n\n   Term\n      Def\n";
  LINE(src, SS_COMPOUND, 1, 0);
  LINE(src, SS_TOCTREE, 1, 1);
  LINE(src, SS_COMPOUND, 2, 5);
  LINE(src, SS_TOCTREE, 2, 4);
  LINE(src, SS_VERSIONMODIFIED, 1, 6);
  LINE(src, SS_PARAGRAPH, 1, 7);
  RAW_LINE(src, SS_PENDING_XREF, 1, 7);
  LINE(src, SS_TODO_NODE, 1, 8);
  LINE(src, SS_TITLE, 1, 8);
  LINE(src, SS_ONLY, 1, 10);
  LINE(src, SS_IMAGE, 1, 12); /* only's node is in the document */
  LINE(src, SS_MATH_BLOCK, 1, 14);
  LINE(src, SS_GLOSSARY, 1, 0);
  LINE(src, SS_DEFINITION_LIST_ITEM, 1, 0);
  LINE(src, SS_TERM, 1, 19);
  LINE(src, SS_INDEX, 1, 19);
}

/* Table directives: the table after its content's nested parse, no
 * line, its title the directive's; a csv-table's cells are texts of
 * their own, read from line 1. contents: the line before the one the
 * state machine stands at (the block's last), its title the topic's. */
Test(lines, tables_and_contents) {
  const char *src = ".. list-table:: LT\n\n   * - a\n     - b\n\n"
                    ".. table:: TT\n\n   +---+\n   | a |\n   +---+\n\n"
                    ".. csv-table:: C\n\n   a, \"b\n   c\"\n\n"
                    ".. contents::\n   :local:\n\n.. contents:: Title\n\n"
                    "S\n=\n";
  LINE(src, SS_TABLE, 1, 0);
  LINE(src, SS_TITLE, 1, 1);
  LINE(src, SS_ENTRY, 1, 0);
  LINE(src, SS_TABLE, 2, 0);
  LINE(src, SS_TITLE, 2, 6);
  LINE(src, SS_TABLE, 3, 0);
  LINE(src, SS_TITLE, 3, 12);
  LINE(src, SS_PARAGRAPH, 5, 1);
  LINE(src, SS_TOPIC, 1, 18);
  LINE(src, SS_TOPIC, 2, 20);
  LINE(src, SS_TITLE, 4, 20);
}

/* raw with raw enabled, as Docutils' Raw.run with file insertion on:
 * :file: read inside the tree as include reads it, :url: never fetched
 * (a warning), both or a file and content an error, nothing at all
 * "Content block expected"; the format lower-cased. */
static ss_node *S_raw_in(const char *dir, const char *rst) {
  ss_diag diag;
  ss_diag_init(&diag);
  diag.quiet = 1;
  char path[256];
  snprintf(path, sizeof path, "%s/doc.rst", dir);
  ss_rst_options opts = {.path = path, .diag = &diag, .raw_enabled = true};
  return ss_rst_parse(rst, strlen(rst), &opts);
}

Test(docutils, raw_file_and_url) {
  char *dir = S_tempfile("part.html", "<b>from the file</b>\n");
  struct {
    const char *rst, *xpath;
    int want;
  } cases[] = {
      {".. raw:: HTML\n   :file: part.html\n",
       "//raw[@format='html'][contains(., 'from the file')]", 1},
      {".. raw:: html\n   :file: ../../../etc/passwd\n",
       "//system_message[@level='4']", 1},
      {".. raw:: html\n   :url: http://example.org/\n",
       "//system_message[@level='2'][contains(paragraph, 'no URL')]", 1},
      {".. raw:: html\n   :file: part.html\n\n   <i>content</i>\n",
       "//system_message[@level='3'][contains(paragraph, 'may not both')]", 1},
      {".. raw:: html\n   :file: part.html\n   :url: http://x/\n",
       "//system_message[@level='3'][contains(paragraph, 'simultaneously')]",
       1},
      {".. raw:: html\n",
       "//system_message[contains(paragraph, 'Content block "
       "expected')]",
       1},
      {".. raw:: html\n   :url: http://example.org/\n", "//raw", 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    ss_node *doc = S_raw_in(dir, cases[i].rst);
    xmlDocPtr x = t_xml(doc);
    cr_expect_eq(t_doc_count(x, cases[i].xpath), cases[i].want, "%s: %s",
                 cases[i].rst, cases[i].xpath);
    xmlFreeDoc(x);
    ss_node_free(doc);
  }
  S_remove(dir, "part.html");
  free(dir);
}

/* unicode's :trim:, :ltrim: and :rtrim: mark the definition, and the
 * whitespace beside each reference goes (they were read as part of the
 * argument: "©:trim:"; found by the fuzz corpora's coverage). */
Test(docutils, unicode_trim_options) {
  S_string(".. |b| unicode:: 0xA9\n   :trim:\n\nx |b| z\n",
           "string(//paragraph)", "x\xc2\xa9z");
  S_string(".. |b| unicode:: 0xA9\n   :ltrim:\n\nx |b| z\n",
           "string(//paragraph)", "x\xc2\xa9 z");
  S_string(".. |b| unicode:: 0xA9\n   :rtrim:\n\nx |b| z\n",
           "string(//paragraph)", "x \xc2\xa9z");
  S_count(".. |b| unicode:: 0xA9\n   :trim:\n\nx |b| z\n",
          "//substitution_definition[@ltrim='1'][@rtrim='1']", 1);
  S_string(".. |b| unicode:: 0xA9\n\nx |b| z\n", "string(//paragraph)",
           "x \xc2\xa9 z");
}

/* meta takes its attribute names from the spec; one that is not an XML
 * name is left out of the XML, which must parse (fuzz_ast found
 * `desc/i="ption"`; tests/fuzz/regressions/ast/meta-attribute-name). */
Test(docutils, meta_attribute_names_keep_the_xml_well_formed) {
  const char *src = ".. meta::\n   :desc/i=ption: d\n   :a\"b=c: x\n"
                    "   :keywords lang=en: k\n";
  S_count(src, "//meta", 3);
  S_count(src, "//meta[@content='k'][@name='keywords'][@lang='en']", 1);
}
