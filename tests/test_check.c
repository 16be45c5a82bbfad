/* test_check.c — the linter's rules on small documents and templates
 * (renderer/check/check.h) and the configuration reader
 * (renderer/config/config.h). The corpus variants are tests/check.sh. */
#include <criterion/criterion.h>
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

/* The report as "line:col:severity:message" lines, for assertions. */
static char *S_dump(const ss_check_report *r) {
  ss_buf b = SS_BUF_INIT;
  for (size_t i = 0; i < r->len; i++)
    ss_buf_printf(&b, "%d:%d:%c:%s\n", r->items[i].line, r->items[i].col,
                  r->items[i].severity == SS_CHECK_ERROR ? 'E' : 'W',
                  r->items[i].message);
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
  cr_assert_str_eq(d, "2:0:E:missing section 'Problem' (required by "
                      "tpl.rst)\n"
                      "7:0:E:missing section 'Web UI' in 'Change' "
                      "(required by tpl.rst)\n");
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
  cr_assert(strstr(r.items[0].message, "'Web UI' in 'Change'"));
  ss_check_report_free(&r);
  ss_check_template_free(t);
}

Test(check_structure, optional_and_extra_sections) {
  ss_check_template *t = S_template();
  const char *opt[] = {"Change/Plugins"};
  ss_check_rules rules = {
      .tmpl = t, .optional = opt, .n_optional = 1, .warn_extra_sections = true};
  const char *spec = "=====\nT\n=====\n\nProblem\n=======\n\nChange\n"
                     "======\n\nWeb UI\n------\n\nExtra\n-----\n\n"
                     "Testing\n=======\n";
  ss_check_report r = S_run(spec, "specs/9.0/x.rst", &rules);
  char *d = S_dump(&r);
  cr_assert_str_eq(d, "14:0:W:section 'Extra' is not in the template "
                      "tpl.rst\n");
  cr_assert_eq(r.errors, 0);
  free(d);
  ss_check_report_free(&r);
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
  cr_assert_str_eq(d, "5:80:E:paragraph line is 80 characters long (the "
                      "limit is 79)\n");
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

Test(check_lines, skip_line_rules) {
  ss_check_rules rules = {.skip_line_rules = true};
  ss_check_report r = S_run("T\n=\n\n" LONG80 "x\n", "x.rst", &rules);
  cr_assert_eq(r.errors, 0);
  ss_check_report_free(&r);
}

Test(check_bytes, carriage_returns) {
  ss_check_rules rules = {0};
  ss_check_report r = S_run("T\r\n=\r\n\r\ntext\r\n", "x.rst", &rules);
  char *d = S_dump(&r);
  cr_assert_str_eq(d, "1:2:E:carriage return (4 in the file): use Unix "
                      "line ends\n");
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

Test(check_reader, problems_warn_or_fail_under_W) {
  const char *spec = "Long title\n=====\n\ntext\n";
  ss_check_rules rules = {0};
  ss_check_report r = S_run(spec, "x.rst", &rules);
  cr_assert_eq(r.warnings, 1);
  cr_assert_eq(r.errors, 0);
  cr_assert(strstr(r.items[0].message, "Title underline too short."));
  ss_check_report_free(&r);
  rules.warnings_are_errors = true;
  r = S_run(spec, "x.rst", &rules);
  cr_assert_eq(r.errors, 1);
  ss_check_report_free(&r);
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
