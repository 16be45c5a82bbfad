/* check.h — `specsite check`, the spec linter: the contract of the stage.
 *
 * The rules the fuel-specs/nova-specs tox suites applied, with the
 * required structure read from a template instead of written in code:
 *
 *   structure  every section title of the template appears in the spec
 *              under the same parent (the title section is the root;
 *              titles compare exactly); extra sections are allowed (a
 *              warning when configured); configured sections are optional
 *   lines      a section title over 79 characters; a paragraph line over
 *              79 characters, unless the paragraph holds a hyperlink
 *              reference or inline literal of 80 or more; literal and
 *              code blocks, tables and footnote bodies are exempt
 *   bytes      any carriage return
 *   names      spec files end in .rst; the launchpad blueprint URL ends
 *              in the file's name (a warning)
 *   reader     the reader's problems: a WARNING warns (an error when
 *              warnings_are_errors), ERROR and SEVERE are errors
 *
 * The stage reads the tree (rst reader + transforms) and the source
 * text; it prints nothing: problems land in an ss_check_report that the
 * command formats (text or JSON). docs/check.rst is the user's side.
 */
#ifndef SS_CHECK_H
#define SS_CHECK_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { SS_CHECK_WARNING = 1, SS_CHECK_ERROR = 2 } ss_check_severity;

typedef struct ss_check_problem {
  char *path; /* as the caller named the file */
  int line;   /* 1-based; 0 when the problem is the whole file */
  int col;    /* 1-based column in characters; 0 when unknown */
  ss_check_severity severity;
  char *message;
} ss_check_problem;

typedef struct ss_check_report {
  ss_check_problem *items;
  size_t len, cap;
  int files;  /* specs checked */
  int errors; /* problems of each severity */
  int warnings;
} ss_check_report;

/* Adds a problem (copies path and message). */
void ss_check_report_add(ss_check_report *r, const char *path, int line,
                         int col, ss_check_severity severity,
                         const char *message);
void ss_check_report_free(ss_check_report *r);

/* --- templates ------------------------------------------------------ */

/* The section tree of a template: entry 0 is its title section (the
 * root); every other entry names its parent by index, parents first. */
typedef struct ss_check_section {
  char *title;
  char *path; /* titles from below the root joined by '/': "A/B" */
  int parent; /* -1 for the root */
  int line;   /* of the title in the template */
} ss_check_section;

typedef struct ss_check_template {
  char *path;
  ss_check_section *sections;
  size_t len;
} ss_check_template;

/* Reads a template's section tree from its text (problems in the
 * template are not reported: it is not a spec). */
ss_check_template *ss_check_template_new(const char *text, size_t len,
                                         const char *path);
void ss_check_template_free(ss_check_template *t);

/* --- one spec -------------------------------------------------------- */

typedef struct ss_check_rules {
  const ss_check_template *tmpl; /* NULL: no structure check */
  const char *const *optional;   /* template paths ("A/B") not required */
  size_t n_optional;
  bool warn_extra_sections; /* a spec section the template lacks warns */
  bool skip_line_rules;     /* no title/paragraph length checks */
  bool warnings_are_errors; /* -W: reader warnings are errors */
} ss_check_rules;

/* Checks one spec's text against `rules`; `path` names it in problems
 * (and its base name is compared with the blueprint URL). */
void ss_check_text(const char *text, size_t len, const char *path,
                   const ss_check_rules *rules, ss_check_report *r);

/* --- a repository ------------------------------------------------------ */

typedef struct ss_check_options {
  bool warnings_are_errors; /* -W */
  const char *config;       /* configuration file; NULL: specsite.conf at
                               the repository root, when present */
} ss_check_options;

/* Checks what `paths` name (none: the current folder). A folder is a
 * repository root: every spec below its specs/ is checked. A file is
 * checked when it is a spec, i.e. below a specs/<release>/ folder and not
 * a template; its repository root is the folder holding that specs/.
 * Templates and configuration are read once per run. A configuration
 * error is a problem of the configuration file. Returns false when a
 * path cannot be read (reported in the report as an error as well). */
bool ss_check_paths(const char *const *paths, size_t n,
                    const ss_check_options *opts, ss_check_report *r);

#endif
