/* cmd_check.c — `specsite check`: runs the linter (renderer/check/) and
 * prints its report the way compilers print theirs, or as JSON. */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../check/check.h"
#include "../util/buffer.h"
#include "cli.h"

const char ss_cli_check_help[] =
    "Usage: specsite check [SRC | FILE...] [options]\n"
    "\n"
    "Lints design specs the way the repository's own tests (and doc8) do,\n"
    "with the required sections read from the template. SRC (default: the\n"
    "current folder) is a repository root: every file below its\n"
    "specs/<release>/ is checked, or the files its specsite.conf names; a\n"
    "folder without specs/ has every .rst and .txt file below it checked,\n"
    "as doc8 checks it. Every rule has a code (S structure, L lines, F\n"
    "files, D doc8's), printed with each problem; specsite.conf's [check]\n"
    "section says which rules apply where (docs/check.rst).\n"
    "\n"
    "Options:\n"
    "  -W                  the reader's warnings (D000) are errors\n"
    "  --select CODES      run only these rules (codes or prefixes: D,L001)\n"
    "  --ignore CODES      do not run these rules\n"
    "  --format FORMAT     text (default), json, github (workflow\n"
    "                      annotations) or sarif\n"
    "  --config FILE       the configuration (default: SRC/specsite.conf)\n"
    "  --explain           print the rules in force for each file first\n"
    "  -q, --quiet         no summary line\n"
    "  -h, --help          this help\n"
    "\n"
    "Output: path:line:col: error: message [CODE] (or warning), then a\n"
    "summary.\n"
    "\n"
    "Examples:\n"
    "  specsite check                      # the repository here\n"
    "  specsite check specs/9.0/foo.rst    # one spec\n"
    "  specsite check --select D --ignore D001 doc/source   # as doc8 does\n"
    "  specsite check --format github ../fuel-specs\n"
    "\n"
    "Exit status: 0 no error (warnings allowed); 1 an error was found; 2 "
    "bad\n"
    "usage.\n";

/* The path relative to the current folder when it is absolute and below
 * it (or near it): the form compilers print, which editors open. */
static char *S_relative(const char *path, const char *cwd) {
  if (path[0] != '/' || !cwd)
    return ss_xstrdup(path[0] == '.' && path[1] == '/' ? path + 2 : path);
  size_t common = 0, i = 0;
  for (; path[i] && path[i] == cwd[i]; i++)
    if (path[i] == '/')
      common = i;
  if (cwd[i] == '\0' && (path[i] == '/' || path[i] == '\0'))
    common = i;
  else if (strcmp(cwd, "/") == 0)
    common = 0;
  ss_buf b = SS_BUF_INIT;
  for (const char *p = cwd + common; *p; p++)
    if (*p == '/' && p[1])
      ss_buf_puts(&b, "../");
  const char *rest = path + common;
  ss_buf_puts(&b, *rest == '/' ? rest + 1 : rest);
  if (b.len == 0)
    ss_buf_puts(&b, ".");
  return ss_buf_detach(&b);
}

static void S_json_string(FILE *f, const char *s) {
  ss_buf b = SS_BUF_INIT;
  ss_buf_put_json(&b, s);
  fwrite(b.data, 1, b.len, f);
  ss_buf_free(&b);
}

static void S_print_text(const ss_check_report *r, const char *cwd,
                         bool quiet) {
  for (size_t i = 0; i < r->len; i++) {
    const ss_check_problem *p = &r->items[i];
    char *path = S_relative(p->path, cwd);
    printf("%s", path);
    if (p->line > 0)
      printf(":%d", p->line);
    if (p->line > 0 && p->col > 0)
      printf(":%d", p->col);
    printf(": %s: %s", p->severity == SS_CHECK_ERROR ? "error" : "warning",
           p->message);
    if (p->code)
      printf(" [%s]", p->code);
    putchar('\n');
    free(path);
  }
  if (quiet)
    return;
  /* Files with an error: what "flagged" means in a CI log. A file's
   * problems are contiguous in the report. */
  int flagged = 0;
  const char *last = NULL;
  for (size_t i = 0; i < r->len; i++) {
    const ss_check_problem *p = &r->items[i];
    if (p->severity == SS_CHECK_ERROR && (!last || strcmp(last, p->path))) {
      flagged++;
      last = p->path;
    }
  }
  printf("check: %d file%s, %d error%s in %d file%s, %d warning%s\n", r->files,
         r->files == 1 ? "" : "s", r->errors, r->errors == 1 ? "" : "s",
         flagged, flagged == 1 ? "" : "s", r->warnings,
         r->warnings == 1 ? "" : "s");
}

static void S_print_json(const ss_check_report *r, const char *cwd) {
  printf("{\"files\": %d, \"errors\": %d, \"warnings\": %d, \"problems\": [",
         r->files, r->errors, r->warnings);
  for (size_t i = 0; i < r->len; i++) {
    const ss_check_problem *p = &r->items[i];
    char *path = S_relative(p->path, cwd);
    printf("%s\n  {\"path\": ", i ? "," : "");
    S_json_string(stdout, path);
    printf(", \"line\": %d, \"column\": %d, \"severity\": \"%s\", "
           "\"code\": ",
           p->line, p->col,
           p->severity == SS_CHECK_ERROR ? "error" : "warning");
    if (p->code)
      S_json_string(stdout, p->code);
    else
      printf("null");
    printf(", \"message\": ");
    S_json_string(stdout, p->message);
    printf("}");
    free(path);
  }
  printf("%s]}\n", r->len ? "\n" : "");
}

/* GitHub's workflow commands: each problem an annotation on its line.
 * The message escapes what the command syntax reserves. */
static void S_github_escape(const char *s, bool property) {
  for (; *s; s++) {
    if (*s == '%')
      fputs("%25", stdout);
    else if (*s == '\r')
      fputs("%0D", stdout);
    else if (*s == '\n')
      fputs("%0A", stdout);
    else if (property && *s == ':')
      fputs("%3A", stdout);
    else if (property && *s == ',')
      fputs("%2C", stdout);
    else
      putchar(*s);
  }
}

static void S_print_github(const ss_check_report *r, const char *cwd) {
  for (size_t i = 0; i < r->len; i++) {
    const ss_check_problem *p = &r->items[i];
    char *path = S_relative(p->path, cwd);
    printf("::%s file=", p->severity == SS_CHECK_ERROR ? "error" : "warning");
    S_github_escape(path, true);
    if (p->line > 0)
      printf(",line=%d", p->line);
    if (p->line > 0 && p->col > 0)
      printf(",col=%d", p->col);
    if (p->code) {
      printf(",title=");
      S_github_escape(p->code, true);
    }
    printf("::");
    S_github_escape(p->message, false);
    putchar('\n');
    free(path);
  }
}

/* SARIF 2.1.0, the form code-scanning tools read: one run, the rule
 * table as the driver's rules, one result per problem. */
static void S_print_sarif(const ss_check_report *r, const char *cwd) {
  printf("{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\", "
         "\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": "
         "{\"name\": \"specsite check\", \"informationUri\": "
         "\"https://github.com/specsite/specsite\", \"rules\": [");
  for (const ss_check_rule *k = ss_check_rule_table; k->code; k++) {
    printf("%s\n  {\"id\": \"%s\", \"name\": \"%s\", "
           "\"shortDescription\": {\"text\": ",
           k == ss_check_rule_table ? "" : ",", k->code, k->name);
    S_json_string(stdout, k->summary);
    printf("}}");
  }
  printf("]}}, \"results\": [");
  for (size_t i = 0; i < r->len; i++) {
    const ss_check_problem *p = &r->items[i];
    char *path = S_relative(p->path, cwd);
    printf("%s\n  {", i ? "," : "");
    if (p->code)
      printf("\"ruleId\": \"%s\", ", p->code);
    printf("\"level\": \"%s\", \"message\": {\"text\": ",
           p->severity == SS_CHECK_ERROR ? "error" : "warning");
    S_json_string(stdout, p->message);
    printf("}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": "
           "{\"uri\": ");
    S_json_string(stdout, path);
    printf("}");
    if (p->line > 0) {
      printf(", \"region\": {\"startLine\": %d", p->line);
      if (p->col > 0)
        printf(", \"startColumn\": %d", p->col);
      printf("}");
    }
    printf("}}]}");
    free(path);
  }
  printf("%s]}]}\n", r->len ? "\n" : "");
}

/* "--name VALUE" or "--name=VALUE"; NULL when `a` is not that option. */
static const char *S_value(const char *a, const char *name, int argc,
                           char **argv, int *i) {
  size_t n = strlen(name);
  if (strncmp(a, name, n) != 0 || (a[n] != '=' && a[n]))
    return NULL;
  if (a[n] == '=')
    return a + n + 1;
  return *i + 1 < argc ? argv[++*i] : "";
}

static int S_usage(const char *fmt, const char *what) {
  fprintf(stderr, "specsite check: ");
  fprintf(stderr, fmt, what);
  fprintf(stderr, "\nTry 'specsite help check'.\n");
  return SS_EXIT_USAGE;
}

int ss_cli_check(int argc, char **argv) {
  ss_check_options opts = {0};
  enum { TEXT, JSON, GITHUB, SARIF } format = TEXT;
  bool quiet = false, options_done = false;
  const char **paths = ss_xcalloc((size_t)argc + 1, sizeof *paths);
  const char **select = ss_xcalloc((size_t)argc + 1, sizeof *select);
  const char **ignore = ss_xcalloc((size_t)argc + 1, sizeof *ignore);
  size_t n = 0, n_select = 0, n_ignore = 0;
  int rc = -1;
  const char *v;
  for (int i = 2; i < argc && rc < 0; i++) {
    const char *a = argv[i];
    if (options_done || a[0] != '-' || strcmp(a, "-") == 0) {
      paths[n++] = a;
    } else if (strcmp(a, "--") == 0) {
      options_done = true;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(ss_cli_check_help, stdout);
      rc = SS_EXIT_OK;
    } else if (strcmp(a, "-W") == 0) {
      opts.warnings_are_errors = true;
    } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
      quiet = true;
    } else if (strcmp(a, "--explain") == 0) {
      opts.explain = true;
    } else if ((v = S_value(a, "--format", argc, argv, &i)) != NULL) {
      if (strcmp(v, "text") == 0)
        format = TEXT;
      else if (strcmp(v, "json") == 0)
        format = JSON;
      else if (strcmp(v, "github") == 0)
        format = GITHUB;
      else if (strcmp(v, "sarif") == 0)
        format = SARIF;
      else
        rc = S_usage("--format takes text, json, github or sarif, not '%s'", v);
    } else if ((v = S_value(a, "--select", argc, argv, &i)) != NULL ||
               (v = S_value(a, "--ignore", argc, argv, &i)) != NULL) {
      bool sel = a[2] == 's';
      bool known = v[0] != '\0';
      /* every code must name a rule, or a prefix of one */
      for (const char *s = v; *s && known;) {
        s += strspn(s, ", ");
        size_t len = strcspn(s, ", ");
        bool found = len == 0;
        for (const ss_check_rule *k = ss_check_rule_table; k->code && !found;
             k++)
          found = strncmp(k->code, s, len) == 0;
        known = found;
        s += len;
      }
      if (!known)
        rc = S_usage("unknown rule code in '%s' (specsite help check)", v);
      else if (sel)
        select[n_select++] = v;
      else
        ignore[n_ignore++] = v;
    } else if ((v = S_value(a, "--config", argc, argv, &i)) != NULL) {
      opts.config = v;
      if (!opts.config[0])
        rc = S_usage("%s", "--config needs a file");
    } else {
      rc = S_usage("unknown option '%s'", a);
    }
  }
  if (rc < 0) {
    opts.select = (ss_check_list){.items = select, .len = n_select};
    opts.ignore = (ss_check_list){.items = ignore, .len = n_ignore};
    ss_check_report r = {0};
    bool ok = ss_check_paths(paths, n, &opts, &r);
    char cwd_buf[PATH_MAX];
    const char *cwd = getcwd(cwd_buf, sizeof cwd_buf);
    if (r.explain)
      fputs(r.explain, stdout);
    if (format == JSON)
      S_print_json(&r, cwd);
    else if (format == GITHUB)
      S_print_github(&r, cwd);
    else if (format == SARIF)
      S_print_sarif(&r, cwd);
    else
      S_print_text(&r, cwd, quiet);
    rc = r.errors > 0 || !ok ? SS_EXIT_PROBLEM : SS_EXIT_OK;
    ss_check_report_free(&r);
  }
  free(paths);
  free(select);
  free(ignore);
  return rc;
}
