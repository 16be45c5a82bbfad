/* test_check.c — the linter's rules on small documents and templates
 * (renderer/check/check.h) and the configuration reader
 * (renderer/config/config.h). The corpus variants are tests/check.sh. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "check/check.h"
#include "config/config.h"

static const char TEMPLATE[] = "=====\n"
                               "Title\n"
                               "=====\n"
                               "\n"
                               "Problem\n"
                               "=======\n"
                               "\n"
                               "Change\n"
                               "======\n"
                               "\n"
                               "Web UI\n"
                               "------\n"
                               "\n"
                               "Plugins\n"
                               "-------\n"
                               "\n"
                               "Testing\n"
                               "=======\n";

static ss_check_report S_run(const char *text, const char *path,
                             const ss_check_rules *rules) {
  ss_check_report r = {0};
  ss_check_text(text, strlen(text), path, rules, &r);
  return r;
}

/* The report as "line:col:severity:code:message" lines, for
 * assertions. */
static char *S_dump(const ss_check_report *r) {
  ss_buf b = SS_BUF_INIT;
  for (size_t i = 0; i < r->len; i++)
    ss_buf_printf(&b, "%d:%d:%c:%s:%s\n", r->items[i].line, r->items[i].col,
                  r->items[i].severity == SS_CHECK_ERROR ? 'E' : 'W',
                  r->items[i].code ? r->items[i].code : "-",
                  r->items[i].message);
  return ss_buf_detach(&b);
}

/* The codes of a report, one after the other ("S001 D002 "). */
static char *S_codes(const ss_check_report *r) {
  ss_buf b = SS_BUF_INIT;
  for (size_t i = 0; i < r->len; i++)
    ss_buf_printf(&b, "%s%c ", r->items[i].code ? r->items[i].code : "-",
                  r->items[i].severity == SS_CHECK_ERROR ? 'E' : 'W');
  return ss_buf_detach(&b);
}

#define LIST(...)                                                              \
  ((ss_check_list){.items = (const char *const[]){__VA_ARGS__},                \
                   .len = sizeof((const char *const[]){__VA_ARGS__}) /         \
                          sizeof(const char *)})

/* The codes found in `text` checked with `rules` as file `path`. */
static void S_expect_codes(const char *text, const char *path,
                           const ss_check_rules *rules, const char *want) {
  ss_check_report r = {0};
  ss_check_text(text, strlen(text), path, rules, &r);
  char *got = S_codes(&r);
  char *all = S_dump(&r);
  cr_expect_str_eq(got, want, "for %s:\n%s", path, all);
  free(got);
  free(all);
  ss_check_report_free(&r);
}

static char *S_replace(const char *s, const char *from, const char *to) {
  const char *at = strstr(s, from);
  cr_assert(at, "'%s' not in the text", from);
  ss_buf b = SS_BUF_INIT;
  ss_buf_put(&b, s, (size_t)(at - s));
  ss_buf_puts(&b, to);
  ss_buf_puts(&b, at + strlen(from));
  return ss_buf_detach(&b);
}

static ss_check_template *S_template(void) {
  return ss_check_template_new(TEMPLATE, strlen(TEMPLATE), "tpl.rst");
}

Test(check_template, section_tree_with_parents_and_paths) {
  ss_check_template *t = S_template();
  cr_assert_eq(t->len, 6);
  cr_assert_str_eq(t->sections[0].title, "Title");
  cr_assert_eq(t->sections[0].parent, -1);
  cr_assert_str_eq(t->sections[3].path, "Change/Web UI");
  cr_assert_eq(t->sections[3].parent, 2);
  cr_assert_str_eq(t->sections[4].path, "Change/Plugins");
  cr_assert_str_eq(t->sections[5].path, "Testing");
  cr_assert_eq(t->sections[5].parent, 0);
  ss_check_template_free(t);
}

static const char GOOD[] = "=========\n"
                           "Any title\n"
                           "=========\n"
                           "\n"
                           "https://blueprints.launchpad.net/fuel/+spec/good\n"
                           "\n"
                           "Problem\n"
                           "=======\n"
                           "\n"
                           "Change\n"
                           "======\n"
                           "\n"
                           "Web UI\n"
                           "------\n"
                           "\n"
                           "Plugins\n"
                           "-------\n"
                           "\n"
                           "Testing\n"
                           "=======\n";

Test(check_structure, complete_spec_passes) {
  ss_check_template *t = S_template();
  ss_check_rules rules = {.tmpl = t};
  ss_check_report r = S_run(GOOD, "specs/9.0/good.rst", &rules);
  char *d = S_dump(&r);
  cr_assert_str_eq(d, "");
  cr_assert_eq(r.files, 1);
  free(d);
  ss_check_report_free(&r);
  ss_check_template_free(t);
}

Test(check_structure, missing_and_renamed_sections) {
  ss_check_template *t = S_template();
  ss_check_rules rules = {.tmpl = t};
  const char *spec = "=====\nT\n=====\n\nhttps://blueprints.launchpad.net/"
                     "fuel/+spec/x\n\nChange\n======\n\nWeb ui\n------\n\n"
                     "Plugins\n-------\n\nTesting\n=======\n";
  ss_check_report r = S_run(spec, "specs/9.0/x.rst", &rules);
  char *d = S_dump(&r);
  cr_assert_str_eq(d, "2:0:E:S001:missing section 'Problem' (required by "
                      "tpl.rst)\n"
                      "7:0:E:S001:missing section 'Change > Web UI' "
                      "(required by tpl.rst); is 'Web ui' (line 10) "
                      "meant?\n");
  free(d);
  ss_check_report_free(&r);
  ss_check_template_free(t);
}

Test(check_structure, missing_parent_reported_once) {
  ss_check_template *t = S_template();
  ss_check_rules rules = {.tmpl = t};
  const char *spec = "=====\nT\n=====\n\nProblem\n=======\n\nTesting\n"
                     "=======\n";
  ss_check_report r = S_run(spec, "specs/9.0/x.rst", &rules);
  cr_assert_eq(r.errors, 1);
  cr_assert(strstr(r.items[0].message, "'Change'"));
  ss_check_report_free(&r);
  ss_check_template_free(t);
}

Test(check_structure, subsection_under_wrong_parent_is_missing) {
  ss_check_template *t = S_template();
  ss_check_rules rules = {.tmpl = t};
  const char *spec = "=====\nT\n=====\n\nProblem\n=======\n\nWeb UI\n"
                     "------\n\nChange\n======\n\nPlugins\n-------\n\n"
                     "Testing\n=======\n";
  ss_check_report r = S_run(spec, "specs/9.0/x.rst", &rules);
  cr_assert_eq(r.errors, 1);
  cr_assert(strstr(r.items[0].message, "'Change > Web UI'"));
  ss_check_report_free(&r);
  ss_check_template_free(t);
}

Test(check_structure, optional_and_extra_sections) {
  ss_check_template *t = S_template();
  ss_check_rules rules = {.tmpl = t,
                          .optional = LIST("Change/Plugins"),
                          .extra_sections = SS_CHECK_EXTRA_WARNING};
  const char *spec = "=====\nT\n=====\n\nProblem\n=======\n\nChange\n"
                     "======\n\nWeb UI\n------\n\nExtra\n-----\n\n"
                     "Testing\n=======\n";
  ss_check_report r = S_run(spec, "specs/9.0/x.rst", &rules);
  char *d = S_dump(&r);
  cr_assert_str_eq(d, "14:0:W:S002:section 'Change > Extra' is not in the "
                      "template tpl.rst\n");
  cr_assert_eq(r.errors, 0);
  free(d);
  ss_check_report_free(&r);
  ss_check_template_free(t);
}

Test(check_structure, optional_by_glob) {
  ss_check_template *t = S_template();
  ss_check_rules rules = {.tmpl = t, .optional = LIST("*/Plugins")};
  const char *spec = "=====\nT\n=====\n\nProblem\n=======\n\nChange\n"
                     "======\n\nWeb UI\n------\n\nTesting\n=======\n";
  S_expect_codes(spec, "x.rst", &rules, "");
  rules.optional = LIST("Plug*");
  S_expect_codes(spec, "x.rst", &rules, "S001E ");
  ss_check_template_free(t);
}

Test(check_structure, the_title_as_docutils_promotes_it) {
  ss_check_template *t = S_template();
  ss_check_rules rules = {.tmpl = t, .select = LIST("S")};
  /* comments and targets before the title: still the title */
  char *ok = S_replace(GOOD, "=========\nAny",
                       "..\n comment\n\n.. _x:\n\n"
                       "=========\nAny");
  S_expect_codes(ok, "specs/9.0/good.rst", &rules, "");
  /* a paragraph before it: Docutils promotes nothing, so the suites find
   * none of the sections below the title */
  char *text = S_replace(GOOD, "=========\nAny", "text\n\n=========\nAny");
  S_expect_codes(text, "specs/9.0/good.rst", &rules, "S001E S001E S001E ");
  free(ok);
  free(text);
  /* a template whose title is not promoted compares from the document */
  const char *flat = "Problem\n=======\n\nChange\n======\n";
  ss_check_template *ft = ss_check_template_new(flat, strlen(flat), "f.rst");
  cr_assert_eq(ft->len, 3);
  cr_assert_str_eq(ft->sections[1].path, "Problem");
  ss_check_rules fr = {.tmpl = ft, .select = LIST("S")};
  S_expect_codes(flat, "x.rst", &fr, "");
  /* a lone section is promoted to the title: nothing is below it */
  S_expect_codes("Problem\n=======\n", "x.rst", &fr, "S001E S001E ");
  ss_check_template_free(ft);
  ss_check_template_free(t);
}

Test(check_structure, titles_compare_as_written) {
  /* quotes stay straight (no smart quotes), markup is part of the title,
   * as in Docutils' rawsource that the suites compare */
  const char *tpl = "=\nT\n=\n\nOperator's \"impact\" -- x\n"
                    "==========================\n\n``code`` here\n"
                    "============\n";
  ss_check_template *t = ss_check_template_new(tpl, strlen(tpl), "q.rst");
  cr_assert_str_eq(t->sections[1].title, "Operator's \"impact\" -- x");
  cr_assert_str_eq(t->sections[2].title, "``code`` here");
  ss_check_rules rules = {.tmpl = t, .select = LIST("S")};
  S_expect_codes(tpl, "x.rst", &rules, "");
  char *plain = S_replace(tpl, "``code`` here", "code here    ");
  S_expect_codes(plain, "x.rst", &rules, "S001E ");
  free(plain);
  ss_check_template_free(t);
}

Test(check_structure, titles_compare_exactly) {
  ss_check_template *t = S_template();
  ss_check_rules rules = {.tmpl = t};
  const char *spec = "=====\nT\n=====\n\nproblem\n=======\n\nChange\n"
                     "======\n\nWeb UI\n------\n\nPlugins\n-------\n\n"
                     "Testing\n=======\n";
  ss_check_report r = S_run(spec, "specs/9.0/x.rst", &rules);
  cr_assert_eq(r.errors, 1);
  ss_check_report_free(&r);
  ss_check_template_free(t);
}

#define LONG80                                                                 \
  "aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa "                         \
  "aaaaaaaaa aaaaaaaaa aaaaaaaaa"
#define EQ80                                                                   \
  "================================================================"           \
  "================"
#define URL80                                                                  \
  "https://example.org/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"                \
  "aaaaaaaaaaaaaaaaaaaaaa"

static int S_errors(const char *spec) {
  ss_check_rules rules = {0};
  ss_check_report r = S_run(spec, "specs/9.0/x.rst", &rules);
  int n = r.errors;
  ss_check_report_free(&r);
  return n;
}

Test(check_lines, paragraph_line_over_79) {
  cr_assert_eq(strlen(LONG80), 79);
  cr_assert_eq(S_errors("T\n=\n\n" LONG80 "\nnext line\n"), 0);
  ss_check_rules rules = {0};
  ss_check_report r = S_run("T\n=\n\nshort\n" LONG80 "x\n", "x.rst", &rules);
  char *d = S_dump(&r);
  cr_assert_str_eq(d, "5:80:E:L001:paragraph line is 80 characters long "
                      "(the limit is 79)\n");
  free(d);
  ss_check_report_free(&r);
}

Test(check_lines, characters_not_bytes) {
  /* 79 characters, more bytes: fine */
  cr_assert_eq(S_errors("T\n=\n\n\xc3\xa9" LONG80 "\n"), 1);
  /* The escape is closed by the string's end: "\xa9a" would be one
   * (out of range) escape. */
  cr_assert_eq(S_errors("T\n=\n\n\xc3\xa9"
                        "aaaaaaaa aaaaaaaaa aaaaaaaaa "
                        "aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa\n"),
               0);
}

Test(check_lines, measured_from_the_paragraph_not_the_list) {
  /* a list item's text of 79 characters, the line 81 */
  cr_assert_eq(S_errors("T\n=\n\n* " LONG80 "\n  " LONG80 "\n"), 0);
  cr_assert_eq(S_errors("T\n=\n\n* " LONG80 "x\n"), 1);
  cr_assert_eq(S_errors("T\n=\n\n  quoted " LONG80 "\n"), 1);
  cr_assert_eq(S_errors("T\n=\n\n    " LONG80 "\n"), 0);
  cr_assert_eq(S_errors("T\n=\n\n.. note:: " LONG80 "\n"), 0);
  cr_assert_eq(S_errors("T\n=\n\n.. note:: " LONG80 "x\n"), 1);
  cr_assert_eq(S_errors("T\n=\n\n:Field: " LONG80 "\n"), 0);
}

Test(check_lines, long_link_or_literal_exempts_the_paragraph) {
  cr_assert_eq(S_errors("T\n=\n\nsee " URL80 " here and there\n"), 0);
  cr_assert_eq(S_errors("T\n=\n\nsee `<" URL80 ">`_\n"), 0);
  cr_assert_eq(S_errors("T\n=\n\nsee ``" LONG80 "``\n"), 0);
  /* a short URL does not */
  cr_assert_eq(S_errors("T\n=\n\n[0] - https://example.org/a " LONG80 "\n"), 1);
  /* unless atom-length says so: `https://example.org/a` is 21 */
  ss_check_rules atom = {.select = LIST("L001"), .atom_length = 21};
  S_expect_codes("T\n=\n\n[0] - https://example.org/a " LONG80 "\n", "x.rst",
                 &atom, "");
  atom.atom_length = 22;
  S_expect_codes("T\n=\n\n[0] - https://example.org/a " LONG80 "\n", "x.rst",
                 &atom, "L001E ");
}

Test(check_lines, literal_code_tables_footnotes_exempt) {
  cr_assert_eq(S_errors("T\n=\n\nText::\n\n  " LONG80 "x\n"), 0);
  cr_assert_eq(S_errors("T\n=\n\n.. code-block:: text\n\n  " LONG80 "x\n"), 0);
  cr_assert_eq(S_errors("T\n=\n\n.. [1] " LONG80 "x\n"), 0);
  cr_assert_eq(S_errors("T\n=\n\n" EQ80 " =\n" LONG80 "x y\n" EQ80 " =\n"), 0);
  cr_assert_eq(
      S_errors("T\n=\n\n+---+\n| a |\n+---+\n| " LONG80 "x |\n+---+\n"),
      1); /* the reader's own error: a malformed grid table */
}

Test(check_lines, long_section_title) {
  cr_assert_eq(S_errors(LONG80 "\n"
                               "======================================"
                               "==========================================\n"),
               0);
  ss_check_rules rules = {0};
  ss_check_report r =
      S_run(LONG80 "x\n========================================================"
                   "=========================\n",
            "x.rst", &rules);
  cr_assert_eq(r.errors, 1);
  cr_assert_eq(r.items[0].line, 1);
  cr_assert_eq(r.items[0].col, 80);
  cr_assert(strstr(r.items[0].message, "section title"));
  ss_check_report_free(&r);
}

Test(check_lines, ignored_by_code) {
  ss_check_rules rules = {.ignore = LIST("L")};
  ss_check_report r = S_run("T\n=\n\n" LONG80 "x\n", "x.rst", &rules);
  cr_assert_eq(r.errors, 0);
  ss_check_report_free(&r);
  rules.ignore = LIST("L002");
  r = S_run("T\n=\n\n" LONG80 "x\n", "x.rst", &rules);
  cr_assert_eq(r.errors, 1);
  ss_check_report_free(&r);
}

Test(check_bytes, carriage_returns) {
  ss_check_rules rules = {0};
  ss_check_report r = S_run("T\r\n=\r\n\r\ntext\r\n", "x.rst", &rules);
  char *d = S_dump(&r);
  cr_assert_str_eq(d, "1:2:E:D004:carriage return (4 in the file): use "
                      "Unix line ends\n");
  free(d);
  ss_check_report_free(&r);
}

Test(check_names, blueprint_url_and_file_name) {
  ss_check_rules rules = {0};
  const char *spec = "T\n=\n\nhttps://blueprints.launchpad.net/fuel/+spec/"
                     "other-name\n";
  ss_check_report r = S_run(spec, "specs/9.0/name.rst", &rules);
  cr_assert_eq(r.warnings, 1);
  cr_assert_eq(r.errors, 0);
  cr_assert_eq(r.items[0].line, 4);
  cr_assert_eq(r.items[0].col, 1);
  ss_check_report_free(&r);
  r = S_run(spec, "specs/9.0/other-name.rst", &rules);
  cr_assert_eq(r.len, 0);
  ss_check_report_free(&r);
}

Test(check_reader, problems_fail_as_in_doc8_or_warn_when_configured) {
  const char *spec = "Long title\n=====\n\ntext\n";
  ss_check_rules rules = {0};
  ss_check_report r = S_run(spec, "x.rst", &rules);
  cr_assert_eq(r.errors, 1);
  cr_assert_str_eq(r.items[0].code, "D000");
  cr_assert(strstr(r.items[0].message, "Title underline too short."));
  ss_check_report_free(&r);
  rules.as_warning = LIST("D000");
  r = S_run(spec, "x.rst", &rules);
  cr_assert_eq(r.warnings, 1);
  cr_assert_eq(r.errors, 0);
  ss_check_report_free(&r);
  rules.warnings_are_errors = true; /* -W wins */
  r = S_run(spec, "x.rst", &rules);
  cr_assert_eq(r.errors, 1);
  ss_check_report_free(&r);
}

Test(check_reader, extensions_problems_left_out_as_doc8_does) {
  ss_check_rules rules = {0};
  S_expect_codes("T\n=\n\n.. nosuchdirective:: x\n\n:nosuchrole:`a`\n", "x.rst",
                 &rules, "");
  S_expect_codes("T\n=\n\nsee `nowhere`_\n", "x.rst", &rules, "D000E ");
  /* a Sphinx directive's own problem: Docutils does not know it */
  S_expect_codes("T\n=\n\n.. literalinclude:: nofile.py\n", "x.rst", &rules,
                 "");
  /* Docutils' include reports one as well */
  S_expect_codes("T\n=\n\n.. include:: nofile.rst\n", "x.rst", &rules,
                 "D000E ");
}

Test(check_reader, severe_problems_are_errors) {
  const char *spec = "A\n=\n\nB\n-\n\nC\n~\n\nD\n=\n\nE\n~\n\ntext\n";
  ss_check_rules rules = {0};
  ss_check_report r = S_run(spec, "x.rst", &rules);
  cr_assert_eq(r.errors, 1);
  cr_assert(strstr(r.items[0].message, "Title level inconsistent"));
  cr_assert(strstr(r.items[0].message, "[SEVERE]"));
  ss_check_report_free(&r);
}

/* --- codes and selection ---------------------------------------------- */

Test(check_codes, table_lookup_and_prefixes) {
  cr_assert_str_eq(ss_check_rule_find("S001")->name, "missing-section");
  cr_assert_null(ss_check_rule_find("S999"));
  const char *l[] = {"D, L001", "F002"};
  cr_assert(ss_check_code_listed(l, 2, "D003"));
  cr_assert(ss_check_code_listed(l, 2, "L001"));
  cr_assert(!ss_check_code_listed(l, 2, "L002"));
  cr_assert(ss_check_code_listed(l, 2, "F002"));
  cr_assert(!ss_check_code_listed(l, 1, "F002"));
  /* codes sorted and unique: configurations and logs name them */
  for (const ss_check_rule *r = ss_check_rule_table; r[1].code; r++)
    cr_assert(strcmp(r->code, r[1].code) < 0, "%s", r->code);
}

Test(check_codes, defaults_select_and_ignore) {
  ss_check_rules rules = {0};
  cr_assert(ss_check_enabled(&rules, "S001"));
  cr_assert(ss_check_enabled(&rules, "D002"));
  cr_assert(!ss_check_enabled(&rules, "D001")); /* L001 is the line rule */
  cr_assert(!ss_check_enabled(&rules, "S002"));
  rules.extra_sections = SS_CHECK_EXTRA_ERROR;
  cr_assert(ss_check_enabled(&rules, "S002"));
  /* allowed extra sections: S002 does not run, even when selected */
  ss_check_rules allowed = {.select = LIST("S")};
  cr_assert(!ss_check_enabled(&allowed, "S002"));
  cr_assert(ss_check_enabled(&allowed, "S001"));
  rules.select = LIST("D");
  rules.ignore = LIST("D001");
  cr_assert(!ss_check_enabled(&rules, "S001"));
  cr_assert(!ss_check_enabled(&rules, "D001"));
  cr_assert(ss_check_enabled(&rules, "D005"));
  ss_check_rules sev = {.as_error = LIST("F004")};
  cr_assert_eq(ss_check_severity_of(&sev, "F004", SS_CHECK_WARNING),
               SS_CHECK_ERROR);
  cr_assert_eq(ss_check_severity_of(&sev, "F003", SS_CHECK_WARNING),
               SS_CHECK_WARNING);
}

/* --- doc8's rules ------------------------------------------------------ */

Test(check_doc8, whitespace_tabs_returns_final_newline) {
  ss_check_rules d = {.select = LIST("D")};
  S_expect_codes("T\n=\n\ntext\n", "x.rst", &d, "");
  S_expect_codes("T\n=\n\ntext \n", "x.rst", &d, "D002E ");
  S_expect_codes("T\n=\n\ntext\t\n", "x.rst", &d, "D002E ");
  /* Python's \s: a no-break space at the end is whitespace too */
  S_expect_codes("T\n=\n\ntext\xc2\xa0\n", "x.rst", &d, "D002E ");
  /* a blank line of spaces is trailing whitespace for doc8 */
  S_expect_codes("T\n=\n\ntext\n  \nmore\n", "x.rst", &d, "D002E ");
  S_expect_codes("T\n=\n\n::\n\n\tcode\n", "x.rst", &d, "D003E ");
  S_expect_codes("T\n=\n\na\tb\n", "x.rst", &d, ""); /* not indentation */
  S_expect_codes("T\n=\n\n \tb\n", "x.rst", &d, "D003E ");
  S_expect_codes("T\r\n=\r\n\r\ntext\r\n", "x.rst", &d, "D004E ");
  S_expect_codes("T\n=\n\ntext", "x.rst", &d, "D005E ");
  S_expect_codes("T\n=\n\ntext\r", "x.rst", &d, "D004E ");
  S_expect_codes("", "x.rst", &d, "");
  /* the suites' " +$": spaces only */
  d.trailing_spaces_only = true;
  S_expect_codes("T\n=\n\ntext\t\n", "x.rst", &d, "");
  S_expect_codes("T\n=\n\ntext \n", "x.rst", &d, "D002E ");
}

#define WORDS85                                                                \
  "aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa "     \
  "aaaa aaaa aaaa"

Test(check_doc8, d001_with_doc8s_exemptions) {
  ss_check_rules d = {.select = LIST("D001")};
  cr_assert_eq(strlen(WORDS85), 84);
  S_expect_codes("T\n=\n\n" WORDS85 "\n", "x.rst", &d, "D001E ");
  /* one word, nothing to break */
  S_expect_codes("T\n=\n\n  " URL80 "aaaa\n", "x.rst", &d, "");
  S_expect_codes("T\n=\n\n" LONG80 "aaaaaaaaaaaaa\n", "x.rst", &d, "D001E ");
  /* a URL anywhere on the line */
  S_expect_codes("T\n=\n\n" WORDS85 " http://x\n", "x.rst", &d, "");
  /* a directive's block, and doc8's pattern quirk: "An example::" too */
  S_expect_codes("T\n=\n\n.. note::\n\n   " WORDS85 "\n", "x.rst", &d, "");
  S_expect_codes("T\n=\n\nAn example::\n\n  " WORDS85 "\n", "x.rst", &d, "");
  /* a literal block after a paragraph: the tree exempts it */
  S_expect_codes("T\n=\n\nExample::\n\n  a\n  " WORDS85 "\n", "x.rst", &d, "");
  /* a definition term (a line followed by a more indented one) */
  S_expect_codes("T\n=\n\n" WORDS85 "\n  definition\n", "x.rst", &d, "");
  S_expect_codes("T\n=\n\n* " WORDS85 "\n  more\n", "x.rst", &d, "D001E ");
  /* titles, unless allow-long-titles */
  S_expect_codes(WORDS85 "\n" EQ80 "=====\n\ntext\n", "x.rst", &d, "D001E ");
  d.allow_long_titles = true;
  S_expect_codes(WORDS85 "\n" EQ80 "=====\n\ntext\n", "x.rst", &d, "");
  /* plain text: only the URL exemption */
  ss_check_rules txt = {.select = LIST("D"), .plain_text = true};
  S_expect_codes(".. note::\n   " WORDS85 "\n", "x.txt", &txt, "D001E ");
  S_expect_codes("see " WORDS85 " https://x\n", "x.txt", &txt, "");
  /* the limit is configurable */
  d.max_line_length = 90;
  S_expect_codes("T\n=\n\n" WORDS85 "\n", "x.rst", &d, "");
}

/* --- the suites' line rule variants ------------------------------------ */

Test(check_lines, url_lines_and_limit) {
  ss_check_rules rules = {.select = LIST("L001", "L002")};
  const char *spec = "T\n=\n\n" LONG80 " https://x.org\n";
  S_expect_codes(spec, "x.rst", &rules, "L001E ");
  rules.url_lines = true;
  S_expect_codes(spec, "x.rst", &rules, "");
  S_expect_codes(LONG80 " http://a\n" EQ80 "==========\n\ntext\n", "x.rst",
                 &rules, "");
  rules.max_line_length = 72;
  S_expect_codes("T\n=\n\naaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa "
                 "aaaaaaaaa aaaaaaaaa aaaa\n",
                 "x.rst", &rules, "L001E ");
}

Test(check_lines, l003_whole_lines_and_its_exemptions) {
  ss_check_rules rules = {.select = LIST("L003")};
  /* measured whole: a list item's marker counts */
  S_expect_codes("T\n=\n\n* " LONG80 "\n", "x.rst", &rules, "L003E ");
  S_expect_codes("T\n=\n\n" LONG80 "\n", "x.rst", &rules, "");
  /* tables and literal blocks too, unless exempt */
  const char *lit = "T\n=\n\nSee::\n\n  " LONG80 "x\n\n  " LONG80 "x\nend\n";
  S_expect_codes(lit, "x.rst", &rules, "L003E L003E ");
  rules.allow_literal_lines = true;
  S_expect_codes(lit, "x.rst", &rules, "");
  const char *url = "T\n=\n\n" LONG80 " http://x\n";
  S_expect_codes(url, "x.rst", &rules, "L003E ");
  rules.url_lines = true;
  S_expect_codes(url, "x.rst", &rules, "");
  const char *word = "T\n=\n\n  " URL80 "aaaa\n";
  S_expect_codes("T\n=\n\n  aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
                 "x.rst", &rules, "L003E ");
  rules.allow_one_word_lines = true;
  S_expect_codes(word, "x.rst", &rules, "");
  S_expect_codes("T\n=\n\n  aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
                 "x.rst", &rules, "");
}

/* --- structure: drafts, depth, extra sections, hints -------------------- */

Test(check_structure, drafts_need_only_the_required_sections) {
  ss_check_template *t = S_template();
  ss_check_rules rules = {.tmpl = t,
                          .select = LIST("S"),
                          .required = LIST("Problem", "Change"),
                          .extra_sections = SS_CHECK_EXTRA_ERROR,
                          .extra_depth = 1};
  S_expect_codes("=\nT\n=\n\nProblem\n=======\n\nChange\n======\n\nOwn\n"
                 "---\n",
                 "specs/backlog/x.rst", &rules, "");
  S_expect_codes("=\nT\n=\n\nProblem\n=======\n\n", "specs/backlog/x.rst",
                 &rules, "S001E ");
  /* a section the template lacks, below the title */
  S_expect_codes("=\nT\n=\n\nProblem\n=======\n\nChange\n======\n\nNotes\n"
                 "=====\n",
                 "specs/backlog/x.rst", &rules, "S002E ");
  ss_check_template_free(t);
}

Test(check_structure, extra_sections_allowed_under_some_sections) {
  ss_check_template *t = S_template();
  ss_check_rules rules = {.tmpl = t,
                          .select = LIST("S"),
                          .extra_sections = SS_CHECK_EXTRA_ERROR,
                          .extra_depth = 2,
                          .extra_allowed_in = LIST("Change")};
  const char *base = "=\nT\n=\n\nProblem\n=======\n\n%s"
                     "Change\n======\n\nWeb UI\n------\n\nPlugins\n"
                     "-------\n\n%sTesting\n=======\n";
  char spec[512];
  snprintf(spec, sizeof spec, base, "", "Own\n---\n\n");
  S_expect_codes(spec, "x.rst", &rules, "");
  snprintf(spec, sizeof spec, base, "Own\n---\n\n", "");
  S_expect_codes(spec, "x.rst", &rules, "S002E ");
  ss_check_template_free(t);
}

Test(check_structure, section_depth_limits_what_is_compared) {
  ss_check_template *t = S_template();
  ss_check_rules rules = {.tmpl = t, .select = LIST("S"), .section_depth = 1};
  S_expect_codes("=\nT\n=\n\nProblem\n=======\n\nChange\n======\n\nTesting\n"
                 "=======\n",
                 "x.rst", &rules, "");
  rules.section_depth = 2;
  S_expect_codes("=\nT\n=\n\nProblem\n=======\n\nChange\n======\n\nTesting\n"
                 "=======\n",
                 "x.rst", &rules, "S001E S001E ");
  ss_check_template_free(t);
}

/* --- header: licence, tracker link, opt-out ---------------------------- */

#define LICENCE_TEXT                                                           \
  "This work is licensed under a Creative Commons Attribution 3.0 "            \
  "Unported License. http://creativecommons.org/licenses/by/3.0/legalcode"

static const char HEADED[] =
    "..\n"
    " This work is licensed under a Creative Commons Attribution 3.0 "
    "Unported\n"
    " License.\n"
    "\n"
    " http://creativecommons.org/licenses/by/3.0/legalcode\n"
    "\n"
    "=====\n"
    "Title\n"
    "=====\n"
    "\n"
    "https://bugs.launchpad.net/ironic/+bug/1\n"
    "\n"
    "Problem\n"
    "=======\n"
    "\n"
    "text\n";

Test(check_header, licence_text_in_the_header) {
  ss_check_rules rules = {.select = LIST("F"), .licence = LICENCE_TEXT};
  S_expect_codes(HEADED, "specs/approved/x.rst", &rules, "");
  char *moved = S_replace(HEADED, " License.\n", " License\n");
  S_expect_codes(moved, "specs/approved/x.rst", &rules, "F002E ");
  free(moved);
  /* spaces and line breaks differ: still the text */
  char *spaced = S_replace(HEADED, "Attribution 3.0 ", "Attribution\n 3.0   ");
  S_expect_codes(spaced, "specs/approved/x.rst", &rules, "");
  free(spaced);
  /* after the title does not count */
  char *after = S_replace(HEADED, "..\n This work", "..\n That work");
  S_expect_codes(after, "specs/approved/x.rst", &rules, "F002E ");
  free(after);
}

Test(check_header, tracker_link_before_the_first_section) {
  ss_check_rules rules = {
      .select = LIST("F"),
      .trackers = LIST("https://bugs.launchpad.net/",
                       "https://storyboard.openstack.org/#!/story/"),
      .blueprints = LIST("https://blueprints.launchpad.net/ironic/+spec/"),
      .opt_outs = LIST("norfe: F003, F004"),
      .as_error = LIST("F004")};
  S_expect_codes(HEADED, "specs/approved/x.rst", &rules, "");
  char *none =
      S_replace(HEADED, "https://bugs.launchpad.net/ironic/+bug/1", "no link");
  S_expect_codes(none, "specs/approved/x.rst", &rules, "F003E ");
  /* a link after the first section is too late */
  char *late =
      S_replace(none, "text\n", "https://bugs.launchpad.net/x/+bug/2\n");
  S_expect_codes(late, "specs/approved/x.rst", &rules, "F003E ");
  char *opted = S_replace(none, "no link", ".. lint: norfe");
  S_expect_codes(opted, "specs/approved/x.rst", &rules, "");
  char *bp = S_replace(HEADED, "https://bugs.launchpad.net/ironic/+bug/1",
                       "https://blueprints.launchpad.net/ironic/+spec/name");
  S_expect_codes(bp, "specs/approved/name.rst", &rules, "");
  S_expect_codes(bp, "specs/approved/other.rst", &rules, "F004E ");
  /* the first tracker line decides */
  char *two =
      S_replace(bp, "Problem\n", "https://bugs.launchpad.net/a\n\nProblem\n");
  S_expect_codes(two, "specs/approved/other.rst", &rules, "F004E ");
  free(none);
  free(late);
  free(opted);
  free(bp);
  free(two);
}

/* --- configuration --------------------------------------------------- */

Test(config, parses_sections_keys_and_reports_errors) {
  const char *text = "# comment\n"
                     "[check]\n"
                     "template.5.1-7.0 = t/old.rst\n"
                     "  optional.8.0 = Proposed changes/Plugins  \n"
                     "no equals sign\n"
                     "[site]\n"
                     "name = x\n";
  ss_config cfg;
  int n = ss_config_parse(&cfg, text, strlen(text), "dir/specsite.conf");
  cr_assert_eq(n, 1);
  cr_assert_eq(cfg.errors[0].line, 5);
  cr_assert_eq(cfg.len, 3);
  cr_assert_str_eq(cfg.items[0].section, "check");
  cr_assert_str_eq(cfg.items[0].key, "template.5.1-7.0");
  cr_assert_str_eq(cfg.items[0].value, "t/old.rst");
  cr_assert_str_eq(cfg.items[1].value, "Proposed changes/Plugins");
  cr_assert_eq(cfg.items[1].line, 4);
  cr_assert_str_eq(cfg.items[2].section, "site");
  cr_assert_str_eq(cfg.dir, "dir");
  ss_config_free(&cfg);
}

Test(config, indented_lines_continue_a_value) {
  const char *text = "[check]\n"
                     "licence = This work\n"
                     "  is licensed.\n"
                     "  more = not a continuation\n"
                     "\n"
                     "  orphan\n";
  ss_config cfg;
  int n = ss_config_parse(&cfg, text, strlen(text), "c");
  cr_assert_eq(cfg.len, 2);
  cr_assert_str_eq(cfg.items[0].value, "This work is licensed.");
  cr_assert_str_eq(cfg.items[1].key, "more");
  cr_assert_eq(n, 1); /* after a blank line, an indented line is an error */
  cr_assert_eq(cfg.errors[0].line, 6);
  ss_config_free(&cfg);
}

Test(config, key_outside_section_is_an_error) {
  ss_config cfg;
  cr_assert_eq(ss_config_parse(&cfg, "a = b\n", 6, "c"), 1);
  cr_assert_eq(cfg.len, 0);
  ss_config_free(&cfg);
}

Test(config, release_patterns) {
  cr_assert(ss_release_match("5.1-7.0", "6.1"));
  cr_assert(ss_release_match("5.1-7.0", "7.0"));
  cr_assert(!ss_release_match("5.1-7.0", "8.0"));
  cr_assert(ss_release_match("8.0-10.0", "9.0"));
  cr_assert(ss_release_match("8.0-10.0", "10.0"));
  cr_assert(!ss_release_match("8.0-10.0", "11.0"));
  cr_assert(ss_release_match("*", "anything"));
  cr_assert(ss_release_match("9.*", "9.0"));
  cr_assert(!ss_release_match("9.*", "10.0"));
  cr_assert(ss_release_match("newton", "newton"));
  cr_assert(ss_release_cmp("9.0", "10.0") < 0);
  bool ok;
  cr_assert(ss_config_bool("Yes", &ok) && ok);
  cr_assert(!ss_config_bool("off", &ok) && ok);
  ss_config_bool("maybe", &ok);
  cr_assert(!ok);
}
