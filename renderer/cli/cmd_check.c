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
    "Lints design specs the way the repository's tox tests did, with the\n"
    "required sections read from the template: every section of the "
    "template\n"
    "must appear under the same parent; section titles and paragraph "
    "lines\n"
    "fit in 79 characters (literal blocks, code, tables and footnotes are\n"
    "exempt, and so is a paragraph holding a link or literal of 80 or "
    "more);\n"
    "no carriage returns; spec files end in .rst; the blueprint URL "
    "matches\n"
    "the file name (a warning). SRC (default: the current folder) is a\n"
    "repository root: every file below its specs/<release>/ is checked.\n"
    "The template of a release is specs/<release>-template.rst, else\n"
    "specs/<release>/template.rst, else specs/template.rst, unless\n"
    "specsite.conf at the root says otherwise (docs/check.rst).\n"
    "\n"
    "Options:\n"
    "  -W                  the reader's warnings are errors\n"
    "  --format text|json  one line per problem (default), or JSON\n"
    "  --config FILE       the configuration (default: SRC/specsite.conf)\n"
    "  -q, --quiet         no summary line\n"
    "  -h, --help          this help\n"
    "\n"
    "Output: path:line:col: error: message (or warning), then a summary.\n"
    "\n"
    "Examples:\n"
    "  specsite check                      # the repository here\n"
    "  specsite check specs/9.0/foo.rst    # one spec\n"
    "  specsite check --format json ../fuel-specs\n"
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
    printf(": %s: %s\n", p->severity == SS_CHECK_ERROR ? "error" : "warning",
           p->message);
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
  printf("check: %d spec%s, %d error%s in %d file%s, %d warning%s\n", r->files,
         r->files == 1 ? "" : "s", r->errors, r->errors == 1 ? "" : "s",
         flagged, flagged == 1 ? "" : "s", r->warnings,
         r->warnings == 1 ? "" : "s");
}

static void S_print_json(const ss_check_report *r, const char *cwd) {
  printf("{\"specs\": %d, \"errors\": %d, \"warnings\": %d, \"problems\": [",
         r->files, r->errors, r->warnings);
  for (size_t i = 0; i < r->len; i++) {
    const ss_check_problem *p = &r->items[i];
    char *path = S_relative(p->path, cwd);
    printf("%s\n  {\"path\": ", i ? "," : "");
    S_json_string(stdout, path);
    printf(", \"line\": %d, \"column\": %d, \"severity\": \"%s\", "
           "\"message\": ",
           p->line, p->col,
           p->severity == SS_CHECK_ERROR ? "error" : "warning");
    S_json_string(stdout, p->message);
    printf("}");
    free(path);
  }
  printf("%s]}\n", r->len ? "\n" : "");
}

static int S_usage(const char *fmt, const char *what) {
  fprintf(stderr, "specsite check: ");
  fprintf(stderr, fmt, what);
  fprintf(stderr, "\nTry 'specsite help check'.\n");
  return SS_EXIT_USAGE;
}

int ss_cli_check(int argc, char **argv) {
  ss_check_options opts = {0};
  bool json = false, quiet = false, options_done = false;
  const char **paths = ss_xcalloc((size_t)argc + 1, sizeof *paths);
  size_t n = 0;
  int rc = -1;
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
    } else if (strncmp(a, "--format", 8) == 0 && (a[8] == '=' || !a[8])) {
      const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : "");
      if (strcmp(v, "json") == 0 || strcmp(v, "text") == 0)
        json = strcmp(v, "json") == 0;
      else
        rc = S_usage("--format takes text or json, not '%s'", v);
    } else if (strncmp(a, "--config", 8) == 0 && (a[8] == '=' || !a[8])) {
      opts.config = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
      if (!opts.config || !opts.config[0])
        rc = S_usage("%s", "--config needs a file");
    } else {
      rc = S_usage("unknown option '%s'", a);
    }
  }
  if (rc >= 0) {
    free(paths);
    return rc;
  }
  ss_check_report r = {0};
  bool ok = ss_check_paths(paths, n, &opts, &r);
  char cwd_buf[PATH_MAX];
  const char *cwd = getcwd(cwd_buf, sizeof cwd_buf);
  if (json)
    S_print_json(&r, cwd);
  else
    S_print_text(&r, cwd, quiet);
  rc = r.errors > 0 || !ok ? SS_EXIT_PROBLEM : SS_EXIT_OK;
  ss_check_report_free(&r);
  free(paths);
  return rc;
}
