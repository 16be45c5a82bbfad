/* codes.c — the rules' table, and which of them run for a file and at
 * which severity (check.h). Codes never change meaning: configurations
 * and CI logs name them. */
#include <string.h>

#include "check.h"

const ss_check_rule ss_check_rule_table[] = {
    {"D000", "invalid-rst", true, SS_CHECK_ERROR,
     "the reader's problems (Docutils' warnings and errors)"},
    {"D001", "doc8-line-too-long", false, SS_CHECK_ERROR,
     "a line over the limit, with doc8's exemptions"},
    {"D002", "trailing-whitespace", true, SS_CHECK_ERROR,
     "whitespace at the end of a line"},
    {"D003", "tab-indentation", true, SS_CHECK_ERROR,
     "a tab in a line's indentation"},
    {"D004", "carriage-return", true, SS_CHECK_ERROR,
     "a carriage return (reported once per file)"},
    {"D005", "no-newline-at-end", true, SS_CHECK_ERROR,
     "the file does not end with a line end"},
    {"F001", "not-rst", true, SS_CHECK_ERROR, "spec files end in .rst"},
    {"F002", "missing-licence", true, SS_CHECK_ERROR,
     "the header lacks the configured licence text"},
    {"F003", "missing-tracker-link", true, SS_CHECK_ERROR,
     "no configured tracker link before the first section"},
    {"F004", "blueprint-name", true, SS_CHECK_WARNING,
     "the blueprint link does not name the file"},
    {"F005", "unexpected-entry", true, SS_CHECK_ERROR,
     "a release folder holds a name the configuration does not list"},
    {"L001", "line-too-long", true, SS_CHECK_ERROR,
     "a paragraph line over the limit"},
    {"L002", "title-too-long", true, SS_CHECK_ERROR,
     "a section title over the limit"},
    {"L003", "source-line-too-long", false, SS_CHECK_ERROR,
     "a source line over the limit, outside :: blocks (nova-specs' rule)"},
    {"S001", "missing-section", true, SS_CHECK_ERROR,
     "a section of the template is missing"},
    {"S002", "extra-section", false, SS_CHECK_WARNING,
     "a section the template does not have"},
    {"S003", "no-title", true, SS_CHECK_ERROR, "the spec has no title section"},
    {NULL, NULL, false, 0, NULL},
};

const ss_check_rule *ss_check_rule_find(const char *code) {
  for (const ss_check_rule *r = ss_check_rule_table; r->code; r++)
    if (strcmp(r->code, code) == 0)
      return r;
  return NULL;
}

bool ss_check_code_listed(const char *const *lists, size_t n,
                          const char *code) {
  for (size_t i = 0; i < n; i++) {
    const char *s = lists[i];
    while (*s) {
      s += strspn(s, ", \t");
      size_t len = strcspn(s, ", \t");
      if (len && strncmp(code, s, len) == 0)
        return true;
      s += len;
    }
  }
  return false;
}

static bool S_in(const ss_check_list *l, const char *code) {
  return ss_check_code_listed(l->items, l->len, code);
}

bool ss_check_enabled(const ss_check_rules *rules, const char *code) {
  if (S_in(&rules->ignore, code))
    return false;
  /* S002 runs only when the configuration says extra sections warn or
   * fail: "allowed" is the absence of the rule */
  if (strcmp(code, "S002") == 0 &&
      rules->extra_sections == SS_CHECK_EXTRA_ALLOWED)
    return false;
  if (rules->select.len)
    return S_in(&rules->select, code);
  if (strcmp(code, "S002") == 0)
    return true;
  const ss_check_rule *r = ss_check_rule_find(code);
  return r && r->on;
}

static void S_list_line(ss_buf *out, const char *label, const ss_check_list *l,
                        const char *sep) {
  if (!l->len)
    return;
  ss_buf_printf(out, "  %s: ", label);
  for (size_t i = 0; i < l->len; i++)
    ss_buf_printf(out, "%s%s", i ? sep : "", l->items[i]);
  ss_buf_putc(out, '\n');
}

void ss_check_explain(const ss_check_rules *rules, ss_buf *out) {
  static const char *const extra[] = {"allowed", "warning", "error"};
  if (rules->tmpl)
    ss_buf_printf(out, "  template: %s (%zu sections)\n", rules->tmpl->path,
                  rules->tmpl->len);
  else
    ss_buf_puts(out, "  template: none (the structure is not checked)\n");
  S_list_line(out, "required sections (only these)", &rules->required, ", ");
  S_list_line(out, "optional sections", &rules->optional, ", ");
  if (rules->section_depth)
    ss_buf_printf(out, "  sections compared: %d levels below the title\n",
                  rules->section_depth);
  ss_buf_printf(out, "  extra sections: %s", extra[rules->extra_sections]);
  if (rules->extra_sections && rules->extra_depth)
    ss_buf_printf(out, " (%d levels below the title)", rules->extra_depth);
  ss_buf_printf(
      out, "\n  line limit: %d characters%s%s%s%s\n",
      rules->max_line_length > 0 ? rules->max_line_length : 79,
      rules->url_lines ? "; lines with a URL exempt" : "",
      rules->allow_long_titles ? "; titles exempt from D001" : "",
      rules->allow_literal_lines ? "; :: blocks exempt from L003" : "",
      rules->allow_one_word_lines ? "; one-word lines exempt from L003" : "");
  if (rules->licence)
    ss_buf_printf(out, "  licence: %s\n", rules->licence);
  S_list_line(out, "tracker links", &rules->trackers, ", ");
  S_list_line(out, "blueprint links (ending in the file name)",
              &rules->blueprints, ", ");
  S_list_line(out, "opt-out comments", &rules->opt_outs, "; ");
  ss_buf_puts(out, "  rules:");
  for (const ss_check_rule *r = ss_check_rule_table; r->code; r++) {
    if (!ss_check_enabled(rules, r->code))
      continue;
    ss_check_severity sev = ss_check_severity_of(rules, r->code, r->severity);
    if (strcmp(r->code, "S002") == 0 && rules->extra_sections)
      sev = ss_check_severity_of(rules, r->code,
                                 rules->extra_sections == SS_CHECK_EXTRA_ERROR
                                     ? SS_CHECK_ERROR
                                     : SS_CHECK_WARNING);
    ss_buf_printf(out, " %s%s", r->code,
                  sev == SS_CHECK_WARNING ? "(warning)" : "");
  }
  ss_buf_putc(out, '\n');
}
