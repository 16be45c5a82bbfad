/* Tests for reStructuredText inline markup (renderer/rst/inlines.c and
 * roles.c): each construct, the recognition rules' corner cases, the
 * problem messages, and pathological input. Expected shapes are those
 * Docutils 0.19 / Sphinx 5.3 leave before their transforms. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"
#include "rst/parser.h"
#include "util/utf8.h"

typedef struct {
  ss_diag diag;
  ss_rst_options opts;
  rst_parser p;
  ss_node *doc, *para;
} T_run;

static void T_parse(T_run *t, const char *text, ss_level report_level) {
  memset(t, 0, sizeof *t);
  ss_diag_init(&t->diag);
  t->diag.quiet = 1;
  t->opts.path = "test.rst";
  t->opts.diag = &t->diag;
  t->opts.report_level = report_level;
  t->p.opts = &t->opts;
  t->p.document = ss_node_new(SS_DOCUMENT, 0);
  t->doc = t->p.document;
  t->para = ss_node_append(t->doc, ss_node_new(SS_PARAGRAPH, 1));
  rst_parse_inline(&t->p, text, strlen(text), 1, t->para, NULL);
}

/* The paragraph's content as XML, e.g. "a <emphasis>b</emphasis>". */
static char *T_inner(const char *text) {
  T_run t;
  T_parse(&t, text, SS_LEVEL_WARNING);
  ss_buf xml = SS_BUF_INIT;
  ss_tree_write_xml(t.doc, &xml);
  const char *a = strstr(xml.data, "<paragraph>");
  char *out;
  if (!a) {
    out = strdup(strstr(xml.data, "<paragraph/>") ? "" : xml.data);
  } else {
    a += strlen("<paragraph>");
    const char *b = strstr(a, "</paragraph>");
    out = strndup(a, (size_t)(b - a));
  }
  ss_buf_free(&xml);
  ss_node_free(t.doc);
  return out;
}

#define EXPECT(text, expected)                                                 \
  do {                                                                         \
    char *got_ = T_inner(text);                                                \
    cr_expect_str_eq(got_, expected, "input: %s\n got: %s", text, got_);       \
    free(got_);                                                                \
  } while (0)

/* Whole-document XPath checks. */
static xmlDocPtr T_doc(const char *text, ss_level level) {
  T_run t;
  T_parse(&t, text, level);
  xmlDocPtr x = t_xml(t.doc);
  ss_node_free(t.doc);
  return x;
}

static char *T_str(const char *text, const char *xpath) {
  xmlDocPtr x = T_doc(text, SS_LEVEL_INFO);
  char *s = t_doc_string(x, xpath);
  xmlFreeDoc(x);
  return s;
}

static int T_count(const char *text, const char *xpath) {
  xmlDocPtr x = T_doc(text, SS_LEVEL_INFO);
  int n = t_doc_count(x, xpath);
  xmlFreeDoc(x);
  return n;
}

#define EXPECT_STR(text, xpath, expected)                                      \
  do {                                                                         \
    char *got_ = T_str(text, xpath);                                           \
    cr_expect_str_eq(got_, expected, "input: %s xpath: %s\n got: %s", text,    \
                     xpath, got_);                                             \
    free(got_);                                                                \
  } while (0)

/* --- simple inline markup --------------------------------------------- */

Test(inlines, emphasis_strong_literal) {
  EXPECT("*emph* **strong** ``lit``",
         "<emphasis>emph</emphasis> <strong>strong</strong> "
         "<literal>lit</literal>");
  EXPECT("a *b c* d", "a <emphasis>b c</emphasis> d");
  EXPECT("plain text", "plain text");
}

Test(inlines, literal_keeps_backslashes) {
  EXPECT("``a\\*b`` ``x \\`` y``",
         "<literal>a\\*b</literal> <literal>x \\</literal> y``");
}

Test(inlines, escapes) {
  EXPECT("\\*x*", "*x*");
  EXPECT("*a\\ b* \\ x", "<emphasis>ab</emphasis> x");
  EXPECT("*a\\*b*", "<emphasis>a*b</emphasis>");
  EXPECT("a\\\\b", "a\\b");
}

Test(inlines, recognition_rules) {
  EXPECT("2*x*3", "2*x*3");
  EXPECT("a*b*c", "a*b*c");
  EXPECT("\"*\" and '*' and (*) and [*]",
         "&quot;*&quot; and '*' and (*) and [*]");
  EXPECT("* not emphasis *", "* not emphasis *");
  EXPECT("(*emph*)", "(<emphasis>emph</emphasis>)");
  EXPECT("-*emph*-", "-<emphasis>emph</emphasis>-");
  EXPECT("*emph*.", "<emphasis>emph</emphasis>.");
  EXPECT("trailing *", "trailing *");
  /* end-string preceded by whitespace does not end */
  EXPECT("*a * b*", "<emphasis>a * b</emphasis>");
  /* '*' is not a delimiter: no markup right after a word */
  EXPECT("x*y* *z*", "x*y* <emphasis>z</emphasis>");
  /* Unicode opener / quote pairs */
  EXPECT("\xC2\xAB*\xC2\xBB *a*", "\xC2\xAB*\xC2\xBB <emphasis>a</emphasis>");
  EXPECT("\xE2\x80\x9C*a*\xE2\x80\x9D",
         "\xE2\x80\x9C<emphasis>a</emphasis>\xE2\x80\x9D");
  /* '*' may not follow an end-string ... */
  EXPECT("``a``*b*", "<problematic>``</problematic>a``*b*");
  /* ... but ':' may, and the text after a construct counts as a new
   * start of text, as in Docutils */
  EXPECT("*a*:sup:`x`", "<emphasis>a</emphasis><superscript>x</superscript>");
  EXPECT("b*a*:sup:`x`", "b*a*:sup:<title_reference>x</title_reference>");
}

Test(inlines, multiline_text) {
  EXPECT("one *two\nthree* four", "one <emphasis>two\nthree</emphasis> four");
}

/* --- interpreted text ------------------------------------------------- */

Test(inlines, interpreted_text_and_roles) {
  EXPECT("`interp`", "<title_reference>interp</title_reference>");
  EXPECT(":emphasis:`x` `y`:strong:",
         "<emphasis>x</emphasis> <strong>y</strong>");
  EXPECT(":literal:`a\\*b`", "<literal>a*b</literal>");
  EXPECT(":sup:`2` :sub:`i` :t:`T` :title-reference:`U`",
         "<superscript>2</superscript> <subscript>i</subscript> "
         "<title_reference>T</title_reference> "
         "<title_reference>U</title_reference>");
  EXPECT(":Emphasis:`x`", "<emphasis>x</emphasis>");
  EXPECT(":acronym:`AC` :abbreviation:`AB`",
         "<acronym>AC</acronym> <abbreviation>AB</abbreviation>");
}

Test(inlines, default_role_can_change) {
  T_run t;
  memset(&t, 0, sizeof t);
  ss_diag_init(&t.diag);
  t.diag.quiet = 1;
  t.opts.diag = &t.diag;
  t.p.opts = &t.opts;
  t.p.default_role = "literal";
  t.p.document = ss_node_new(SS_DOCUMENT, 0);
  ss_node *para = ss_node_append(t.p.document, ss_node_new(SS_PARAGRAPH, 1));
  rst_parse_inline(&t.p, "`x`", 3, 1, para, NULL);
  cr_expect_eq(para->first->kind, SS_LITERAL);
  ss_node_free(t.p.document);
}

Test(inlines, sphinx_roles) {
  EXPECT(":code:`x=1`",
         "<literal classes=\"code\" language=\"\">x=1</literal>");
  EXPECT(":math:`a\\b`", "<math>a\\b</math>");
  EXPECT(":abbr:`LIFO (last-in, first-out)`",
         "<abbreviation explanation=\"last-in, first-out\">LIFO"
         "</abbreviation>");
  EXPECT(":command:`ls` :program:`p` :makevar:`CC`",
         "<literal_strong classes=\"command\">ls</literal_strong> "
         "<literal_strong classes=\"program\">p</literal_strong> "
         "<literal_strong classes=\"makevar\">CC</literal_strong>");
  EXPECT(":kbd:`Ctrl+C` :regexp:`a+`",
         "<literal classes=\"kbd\">Ctrl+C</literal> "
         "<literal classes=\"regexp\">a+</literal>");
  EXPECT(":dfn:`d` :mailheader:`M` :mimetype:`t/x` :newsgroup:`c.x`",
         "<emphasis classes=\"dfn\">d</emphasis> "
         "<literal_emphasis classes=\"mailheader\">M</literal_emphasis> "
         "<literal_emphasis classes=\"mimetype\">t/x</literal_emphasis> "
         "<literal_emphasis classes=\"newsgroup\">c.x</literal_emphasis>");
  EXPECT(":file:`a/{b}/c`",
         "<literal classes=\"file\" role=\"file\">a/<emphasis>b</emphasis>/c"
         "</literal>");
  EXPECT(":samp:`x{y}z`",
         "<literal classes=\"samp\" role=\"samp\">x<emphasis>y</emphasis>z"
         "</literal>");
}

Test(inlines, gui_roles) {
  EXPECT_STR(":guilabel:`&Cancel`", "string(//inline[@classes='accelerator'])",
             "C");
  EXPECT_STR(":guilabel:`&Cancel`", "string(//inline[@classes='guilabel'])",
             "Cancel");
  EXPECT_STR(":menuselection:`A --> B`",
             "string(//inline[@classes='menuselection'])", "A \xE2\x80\xA3 B");
  EXPECT_STR(":menuselection:`A --> B`",
             "string(//inline[@classes='menuselection']/@rawtext)",
             ":menuselection:`A --> B`");
}

Test(inlines, xref_roles) {
  EXPECT(":ref:`Lab`",
         "<pending_xref refdoc=\"test\" refdomain=\"std\" "
         "refexplicit=\"False\" "
         "reftarget=\"lab\" reftype=\"ref\" refwarn=\"True\">"
         "<inline classes=\"xref std std-ref\">Lab</inline></pending_xref>");
  EXPECT_STR(":ref:`Some text <lab>`", "string(//pending_xref/@reftarget)",
             "lab");
  EXPECT_STR(":ref:`Some text <lab>`", "string(//pending_xref/@refexplicit)",
             "True");
  EXPECT_STR(":ref:`Some text <lab>`", "string(//pending_xref/inline)",
             "Some text");
  EXPECT_STR(":doc:`Index`", "string(//pending_xref/@reftarget)", "Index");
  EXPECT_STR(":term:`Foo`", "string(//pending_xref/@reftype)", "term");
  EXPECT_STR(":option:`-v`", "string(//pending_xref/literal/@classes)",
             "xref std std-option");
  EXPECT(":ref:`!x`", "<inline classes=\"xref std std-ref\">x</inline>");
  cr_expect_eq(T_count(":envvar:`HOME`", "//index"), 1);
  EXPECT_STR(":envvar:`HOME`", "string(//target/@ids)", "index-0");
  EXPECT_STR(":envvar:`HOME`", "string(//pending_xref/@refwarn)", "False");
}

Test(inlines, pep_and_rfc) {
  EXPECT_STR(":pep:`8`", "string(//reference/@refuri)",
             "https://peps.python.org/pep-0008/");
  EXPECT_STR(":pep:`8`", "string(//reference/strong)", "PEP 8");
  EXPECT_STR(":pep:`8`", "string(//reference/@classes)", "pep");
  EXPECT_STR(":PEP:`8#anchor`", "string(//reference/@refuri)",
             "https://peps.python.org/pep-0008/#anchor");
  EXPECT_STR(":rfc:`2822`", "string(//reference/@refuri)",
             "https://datatracker.ietf.org/doc/html/rfc2822.html");
  EXPECT_STR(":rfc:`2822`", "string(//reference/strong)", "RFC 2822");
  EXPECT_STR(":rfc:`2822#section-3`", "string(//reference/@refuri)",
             "https://datatracker.ietf.org/doc/html/rfc2822.html#section-3");
  cr_expect_eq(T_count(":pep:`8` :rfc:`1`", "//target[@ids='index-1']"), 1);
  cr_expect_eq(T_count(":pep:`x`", "//problematic"), 1);
}

Test(inlines, unknown_role) {
  EXPECT_STR(":foo:`bar`", "string(//paragraph/problematic)", ":foo:`bar`");
  EXPECT_STR(":foo:`bar`", "string(//system_message[@level='3']/paragraph)",
             "Unknown interpreted text role \"foo\".");
  EXPECT_STR(":foo:`bar`", "string(//system_message[@level='1']/paragraph)",
             "No role entry for \"foo\" in module "
             "\"docutils.parsers.rst.languages.en\".\nTrying \"foo\" as "
             "canonical role name.");
  /* below report_level, the INFO message is not kept */
  xmlDocPtr x = T_doc(":foo:`bar`", SS_LEVEL_WARNING);
  cr_expect_eq(t_doc_count(x, "//system_message"), 1);
  xmlFreeDoc(x);
}

Test(inlines, role_problems) {
  EXPECT_STR(":a:`b`:c:", "string(//system_message/paragraph)",
             "Multiple roles in interpreted text (both prefix and suffix "
             "present; only one allowed).");
  EXPECT_STR(":a:`b`:c:", "string(//problematic)", ":a:`b`:c:");
  EXPECT_STR("`x`:r:_", "string(//system_message/paragraph)",
             "Mismatch: both interpreted text role suffix and reference "
             "suffix.");
  EXPECT_STR(":r:`x`_", "string(//system_message/paragraph)",
             "Mismatch: both interpreted text role prefix and reference "
             "suffix.");
}

/* --- references ------------------------------------------------------- */

Test(inlines, named_and_anonymous_references) {
  EXPECT("name_ `a  B`_",
         "<reference name=\"name\" refname=\"name\">name</reference> "
         "<reference name=\"a B\" refname=\"a b\">a  B</reference>");
  EXPECT("anon__ `ph an`__",
         "<reference anonymous=\"1\" name=\"anon\">anon</reference> "
         "<reference anonymous=\"1\" name=\"ph an\">ph an</reference>");
  EXPECT("a-b.c_", "<reference name=\"a-b.c\" refname=\"a-b.c\">a-b.c"
                   "</reference>");
  EXPECT("a__b_", "a__b_");
  EXPECT("`multi\nline`_", "<reference name=\"multi line\" "
                           "refname=\"multi line\">multi\nline</reference>");
}

Test(inlines, embedded_uris_and_aliases) {
  EXPECT("`text <http://x>`_",
         "<reference name=\"text\" refuri=\"http://x\">text</reference>"
         "<target names=\"text\" refuri=\"http://x\"/>");
  EXPECT("`t2 <http://y>`__",
         "<reference name=\"t2\" refuri=\"http://y\">t2</reference>");
  EXPECT("`al <Name_>`_",
         "<reference name=\"al\" refname=\"name\">al</reference>"
         "<target names=\"al\" refname=\"name\"/>");
  EXPECT("`al2 <nm_>`__",
         "<reference name=\"al2\" refname=\"nm\">al2</reference>");
  EXPECT("`<http://z>`_",
         "<reference name=\"http://z\" refuri=\"http://z\">http://z"
         "</reference><target names=\"http://z\" refuri=\"http://z\"/>");
  EXPECT_STR("`x <m@x.org>`_", "string(//reference/@refuri)", "mailto:m@x.org");
  EXPECT_STR("`x <y\\_>`_", "string(//reference/@refuri)", "y_");
  EXPECT_STR("`p <a b c>`_", "string(//reference/@refuri)", "abc");
  EXPECT_STR("`<a\\ b c\\_>`_", "string(//reference/@refuri)", "a bc_");
  EXPECT_STR("`\\`a\\` <x>`_", "string(//reference)", "`a`");
  EXPECT_STR("`a<b>`_", "string(//reference/@refname)", "a<b>");
}

Test(inlines, standalone_uris) {
  EXPECT("see http://a.b/c. now",
         "see <reference refuri=\"http://a.b/c\">http://a.b/c</reference>. "
         "now");
  EXPECT("(http://y.org/a_b) <http://z.org>",
         "(<reference refuri=\"http://y.org/a_b\">http://y.org/a_b"
         "</reference>) &lt;<reference refuri=\"http://z.org\">"
         "http://z.org</reference>&gt;");
  EXPECT("ftp://a.b/c?d=e#f, x",
         "<reference refuri=\"ftp://a.b/c?d=e#f\">ftp://a.b/c?d=e#f"
         "</reference>, x");
  EXPECT("x@y.org and a@b.c.",
         "<reference refuri=\"mailto:x@y.org\">x@y.org</reference> and "
         "<reference refuri=\"mailto:a@b.c\">a@b.c</reference>.");
  EXPECT("mailto:x@y.z", "<reference refuri=\"mailto:x@y.z\">mailto:x@y.z"
                         "</reference>");
  EXPECT("x@y.", "x@y.");
  EXPECT("https://x.org/a*b*", "<reference refuri=\"https://x.org/a*b*\">"
                               "https://x.org/a*b*</reference>");
  /* Docutils gives up on a piece with an unknown scheme */
  EXPECT("key:val http://x.org", "key:val http://x.org");
}

Test(inlines, footnote_and_citation_references) {
  EXPECT("[1]_ [#]_ [#lab]_ [*]_ [CIT2002]_",
         "<footnote_reference refname=\"1\">1</footnote_reference> "
         "<footnote_reference auto=\"1\"/> "
         "<footnote_reference auto=\"1\" refname=\"lab\"/> "
         "<footnote_reference auto=\"*\"/> "
         "<citation_reference refname=\"cit2002\">CIT2002"
         "</citation_reference>");
  EXPECT("word [1]_.", "word <footnote_reference refname=\"1\">1"
                       "</footnote_reference>.");
  EXPECT("[1]_x [a b]_", "[1]_x [a b]_");
}

Test(inlines, substitution_references) {
  EXPECT("|Sub  Name|", "<substitution_reference refname=\"Sub Name\">"
                        "Sub  Name</substitution_reference>");
  EXPECT("|s2|_", "<reference refname=\"s2\"><substitution_reference "
                  "refname=\"s2\">s2</substitution_reference></reference>");
  EXPECT("|s3|__", "<reference anonymous=\"1\"><substitution_reference "
                   "refname=\"s3\">s3</substitution_reference></reference>");
}

Test(inlines, inline_targets) {
  EXPECT_STR("_`Tar  get`", "string(//paragraph/target/@names)", "tar\\ get");
  EXPECT_STR("_`Tar  get`", "string(//paragraph/target)", "Tar  get");
}

/* --- problems --------------------------------------------------------- */

Test(inlines, unterminated_start_strings) {
  static const struct {
    const char *in, *msg, *prb;
  } cases[] = {
      {"*a", "Inline emphasis start-string without end-string.", "*"},
      {"**a", "Inline strong start-string without end-string.", "**"},
      {"``a", "Inline literal start-string without end-string.", "``"},
      {"_`a", "Inline target start-string without end-string.", "_`"},
      {"|a",
       "Inline substitution_reference start-string without "
       "end-string.",
       "|"},
      {"`a",
       "Inline interpreted text or phrase reference start-string "
       "without end-string.",
       "`"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    EXPECT_STR(cases[i].in, "string(//system_message/paragraph)", cases[i].msg);
    EXPECT_STR(cases[i].in, "string(//system_message/@level)", "2");
    EXPECT_STR(cases[i].in, "string(//paragraph/problematic)", cases[i].prb);
  }
  EXPECT_STR("two *unclosed", "string(//paragraph)", "two *unclosed");
  /* a prefix role stays text when the backquote is not closed */
  EXPECT_STR(":r:`t <u>`_b", "string(//paragraph)", ":r:`t <u>`_b");
  EXPECT_STR(":r:`t <u>`_b", "string(//paragraph/problematic)", "`");
}

Test(inlines, messages_go_to_the_messages_node) {
  T_run t;
  memset(&t, 0, sizeof t);
  ss_diag_init(&t.diag);
  t.diag.quiet = 1;
  t.opts.diag = &t.diag;
  t.opts.report_level = SS_LEVEL_INFO;
  t.p.opts = &t.opts;
  t.p.document = ss_node_new(SS_DOCUMENT, 0);
  ss_node *para = ss_node_append(t.p.document, ss_node_new(SS_PARAGRAPH, 5));
  ss_node *msgs = ss_node_new(SS_DOCUMENT, 0);
  rst_parse_inline(&t.p, "a\nb *c", 6, 5, para, msgs);
  cr_expect_eq(msgs->first ? msgs->first->kind : SS_TEXT, SS_SYSTEM_MESSAGE);
  cr_expect_str_eq(ss_node_attr_get(msgs->first, "line"), "5");
  cr_expect_eq(para->last->prev->kind, SS_PROBLEMATIC);
  /* Docutils' inline nodes have no line: the block's counts. */
  cr_expect_eq(para->last->prev->line, 0);
  cr_expect_eq(t.diag.counts[SS_LEVEL_WARNING], 1);
  ss_node_free(msgs);
  ss_node_free(t.p.document);
}

/* --- helpers ---------------------------------------------------------- */

Test(inlines, normalize_and_unescape) {
  ss_buf b = SS_BUF_INIT;
  rst_normalize_name("  A  b\nC ", 9, &b);
  cr_expect_str_eq(b.data, "a b c");
  ss_buf_clear(&b);
  rst_unescape("a\\*b\\ c\\\\", 9, &b);
  cr_expect_str_eq(b.data, "a*bc\\");
  ss_buf_free(&b);
}

Test(inlines, character_classes) {
  cr_expect(ss_uc_is_delimiter('-'));
  cr_expect_not(ss_uc_is_delimiter('*'));
  cr_expect(ss_uc_is_delimiter(0x2014)); /* em dash, Pd */
  cr_expect(ss_uc_is_open_punct(0xAB));
  cr_expect(ss_uc_is_close_punct(0x300B));
  cr_expect(ss_uc_is_quote_pair('(', ')'));
  cr_expect(ss_uc_is_quote_pair(0x201E, 0x201C));
  cr_expect_not(ss_uc_is_quote_pair('(', ']'));
  cr_expect(ss_uc_is_alnum(0xE9));
  cr_expect_not(ss_uc_is_alnum('_'));
  cr_expect(ss_uc_is_space(0x3000));
}

/* --- pathological input ---------------------------------------------- */

static double T_time(const char *unit, size_t count) {
  size_t ul = strlen(unit);
  char *s = malloc(ul * count + 1);
  for (size_t i = 0; i < count; i++)
    memcpy(s + i * ul, unit, ul);
  s[ul * count] = '\0';
  clock_t t0 = clock();
  T_run t;
  T_parse(&t, s, SS_LEVEL_WARNING);
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  ss_node_free(t.doc);
  free(s);
  return secs;
}

Test(inlines, pathological_input_is_linear, .timeout = 20) {
  static const char *units[] = {
      " *", " **", " `", " ``",  " |",  " _`",    " :a:`", "a-",  " [1",
      "*",  "`",   "x@", " a:b", "\\`", " `a <b", "a-a.",  "(a:", " a.b@"};
  for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
    double t = T_time(units[i], 10000);
    cr_expect(t < 1.0, "unit \"%s\" x10000 took %.2fs", units[i], t);
  }
}

/* Docutils makes inline nodes before their text block is attached: none
 * has a line (a problem about one is at the block's), whatever line of
 * the block it is on; a role is given the block's first line, which
 * Sphinx's XRefRole gives its pending_xref. */
Test(inlines, lines_are_the_blocks) {
  ss_node *doc = t_parse_raw(
      "a\nb |s| `x` [1]_ [C]_ ``l`` `bad\nc :doc:`d` :ref:`r`\n", NULL);
  int seen = 0;
  for (ss_node *n = doc; n; n = ss_node_next_in(doc, n)) {
    if (n->kind == SS_PENDING_XREF) {
      cr_expect_eq(n->line, 1, "pending_xref at %d", n->line);
      seen++;
    } else if (ss_kind_is_inline(n->kind) && n->kind != SS_TEXT) {
      cr_expect_eq(n->line, 0, "%s at %d", ss_kind_name(n->kind), n->line);
      seen++;
    }
  }
  cr_expect_geq(seen, 8);
  ss_node_free(doc);
}

/* no_inlines: the structure alone (specsite check without rules that
 * read inline markup): each paragraph and title holds its text as
 * written, in one text node; the sections are the same. */
Test(inlines, no_inlines_keeps_text_as_written) {
  const char *src = "Title *x*\n=========\n\nA `link <http://x/>`_ and "
                    "**bold**.\n\nSub\n---\n\ntext\n";
  ss_diag diag;
  ss_diag_init(&diag);
  diag.quiet = 1;
  ss_rst_options o = {.path = "t.rst", .diag = &diag, .no_inlines = true};
  ss_node *doc = ss_rst_parse(src, strlen(src), &o);
  xmlDocPtr x = t_xml(doc);
  cr_expect_eq(t_doc_count(x, "//section"), 2);
  cr_expect_eq(t_doc_count(x, "//reference|//strong|//emphasis"), 0);
  char *para = t_doc_string(x, "string(//section/paragraph[1])");
  cr_expect_str_eq(para, "A `link <http://x/>`_ and **bold**.");
  free(para);
  char *title = t_doc_string(x, "string(//section/title)");
  cr_expect_str_eq(title, "Title *x*");
  free(title);
  xmlFreeDoc(x);
  ss_node_free(doc);
}
