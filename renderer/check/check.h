/* check.h — `specsite check`, the spec linter: the contract of the stage.
 *
 * The rules the spec repositories' own suites apply (fuel-specs' and
 * ironic-specs' tests/test_titles.py, doc8), each with a stable code
 * (the table is ss_check_rule_table; docs/check.rst is the user's side):
 *
 *   S  structure: the template's sections present (S001), no sections
 *      it lacks (S002, when configured), a title section (S003)
 *   L  lines: paragraph lines (L001) and titles (L002) within the limit,
 *      with the exemptions the suites make; whole source lines (L003),
 *      as nova-specs' family measures them; whole source lines (L003),
 *      as nova-specs' family measures them
 *   F  files: .rst names (F001), a licence in the header (F002), a
 *      tracker link before the first section (F003), the blueprint
 *      named as the file (F004), a release folder holding only the
 *      configured names (F005)
 *   D  doc8's checks under doc8's codes and semantics: the reader's
 *      problems (D000), long lines (D001), trailing whitespace (D002),
 *      tab indentation (D003), carriage returns (D004), no newline at
 *      the end (D005)
 *
 * The stage reads the tree (rst reader + transforms) and the source
 * text; it prints nothing: problems land in an ss_check_report that the
 * command formats (text, JSON, GitHub annotations, SARIF).
 */
#ifndef SS_CHECK_H
#define SS_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "../tree/tree.h"
#include "../util/buffer.h"

typedef enum { SS_CHECK_WARNING = 1, SS_CHECK_ERROR = 2 } ss_check_severity;

/* A rule: its stable code, its name, whether it runs without
 * configuration, the severity of its problems, and one line for
 * --explain and SARIF. */
typedef struct ss_check_rule {
  const char *code; /* "S001" */
  const char *name; /* "missing-section" */
  bool on;          /* selected when no select list is given */
  ss_check_severity severity;
  const char *summary;
} ss_check_rule;

/* Every rule, in code order, ended by a NULL code. */
extern const ss_check_rule ss_check_rule_table[];

/* The rule of a code, or NULL. */
const ss_check_rule *ss_check_rule_find(const char *code);

/* True when `code` is named by one of `lists`: each entry holds codes
 * or prefixes ("D", "D00", "D001") separated by commas or spaces. */
bool ss_check_code_listed(const char *const *lists, size_t n, const char *code);

typedef struct ss_check_problem {
  char *path; /* as the caller named the file */
  int line;   /* 1-based; 0 when the problem is the whole file */
  int col;    /* 1-based column in characters; 0 when unknown */
  ss_check_severity severity;
  const char *code; /* a rule's code (static); NULL for the run's own
                       problems (configuration, unreadable paths) */
  char *message;
} ss_check_problem;

typedef struct ss_check_report {
  ss_check_problem *items;
  size_t len, cap;
  int files;  /* files checked */
  int errors; /* problems of each severity */
  int warnings;
  char *explain; /* --explain: the rules in force, per file (or NULL) */
} ss_check_report;

/* Adds a problem (copies path and message). */
void ss_check_report_add(ss_check_report *r, const char *path, int line,
                         int col, ss_check_severity severity, const char *code,
                         const char *message);
void ss_check_report_free(ss_check_report *r);

/* --- templates ------------------------------------------------------ */

/* The section tree of a template: entry 0 is its title section (the
 * root; the document, titled "", when ss_check_title_section finds
 * none); every other entry names its parent by index, parents first. */
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

/* The section Docutils' DocTitle promotes to the document's title (the
 * suites compare what lies below it): the document's only top-level
 * section, with nothing but comments, targets and the like before it.
 * NULL when there is none: the document itself is then the root. */
ss_node *ss_check_title_section(const ss_node *doc);

/* Reads a template's section tree from its text (problems in the
 * template are not reported: it is not a spec). */
ss_check_template *ss_check_template_new(const char *text, size_t len,
                                         const char *path);
void ss_check_template_free(ss_check_template *t);

/* --- one spec -------------------------------------------------------- */

typedef enum {
  SS_CHECK_EXTRA_ALLOWED = 0, /* the default: S002 off */
  SS_CHECK_EXTRA_WARNING,
  SS_CHECK_EXTRA_ERROR,
} ss_check_extra;

/* A string list: pointers the caller owns. */
typedef struct ss_check_list {
  const char *const *items;
  size_t len;
} ss_check_list;

/* The rules of one file; all zero is the default set (the template's
 * sections required, the 79-character line rule, doc8's whitespace and
 * byte rules, the reader's problems). */
typedef struct ss_check_rules {
  const ss_check_template *tmpl;  /* NULL: no structure check */
  ss_check_list optional;         /* template paths ("A/B") not required */
  ss_check_list extra_allowed_in; /* S002: template paths under which
                                     a spec may add sections */
  ss_check_list required;         /* when not empty: the only template paths
                                     required (drafts); the rest is optional */
  ss_check_extra extra_sections;  /* S002: sections the template lacks */
  int section_depth;              /* S001: levels below the title compared
                                     (0: all) */
  int extra_depth;                /* S002: the same, for extra sections */
  int max_line_length;            /* L001-L003, D001 (0: 79) */
  int atom_length;           /* L001: a paragraph holding a link or literal this
                                long (as written) may have long lines (0: the
                                limit + 1) */
  bool url_lines;            /* L001-L003: a line with http:// or https://
                                may be long */
  bool allow_literal_lines;  /* L003: the lines after a "::" line, while
                                empty or indented, may be long */
  bool allow_one_word_lines; /* L003: a line of one word may be long */
  bool trailing_spaces_only; /* D002: spaces only, not tabs and others */
  bool allow_long_titles;    /* D001: titles exempt, doc8's option */
  const char *licence;       /* F002: text the header holds (NULL: off) */
  ss_check_list trackers;    /* F003: URL prefixes of tracker links */
  ss_check_list blueprints;  /* F003 and F004: prefixes of tracker links
                                whose line ends in the file's name */
  ss_check_list opt_outs;    /* "WORD: CODES": a ".. lint: WORD" comment
                                in the header exempts the file from CODES */
  ss_check_list select;      /* codes run (empty: each rule's default) */
  ss_check_list ignore;      /* codes not run */
  ss_check_list as_error;    /* codes whose problems are errors */
  ss_check_list as_warning;  /* ... warnings */
  bool warnings_are_errors;  /* -W: the reader's warnings (D000) are
                                errors */
  bool plain_text;           /* a .txt document: the source-line rules
                                only, as doc8 checks it */
} ss_check_rules;

/* Is a rule run for a file with these rules? */
bool ss_check_enabled(const ss_check_rules *rules, const char *code);

/* The severity of a rule's problem: `sev` unless the configuration
 * names the code among its errors or warnings. */
ss_check_severity ss_check_severity_of(const ss_check_rules *rules,
                                       const char *code, ss_check_severity sev);

/* Checks one file's text against `rules`; `path` names it in problems
 * (and its base name is compared with the blueprint URL). */
void ss_check_text(const char *text, size_t len, const char *path,
                   const ss_check_rules *rules, ss_check_report *r);

/* The rules in force, as --explain prints them ("  " indented lines). */
void ss_check_explain(const ss_check_rules *rules, ss_buf *out);

/* --- a repository ------------------------------------------------------ */

typedef struct ss_check_options {
  bool warnings_are_errors; /* -W */
  const char *config;       /* configuration file; NULL: specsite.conf at
                               the repository root, when present */
  ss_check_list select;     /* --select: replaces the configuration's */
  ss_check_list ignore;     /* --ignore: added to the configuration's */
  bool explain;             /* --explain: r->explain gets the rules */
} ss_check_options;

/* Checks what `paths` name (none: the current folder). A folder is a
 * repository root: every spec below its specs/<release>/ is checked, or
 * the files its configuration's `files` globs name, or, when it has no
 * specs/ folder, every .rst and .txt file below it (doc8's walk);
 * `exclude` globs remove files and folders. A file is checked when it is
 * a spec, i.e. below a specs/<release>/ folder and not a template; its
 * repository root is the folder holding that specs/. Templates and
 * configuration are read once per run. A configuration error is a
 * problem of the configuration file. Returns false when a path cannot be
 * read (reported in the report as an error as well). */
bool ss_check_paths(const char *const *paths, size_t n,
                    const ss_check_options *opts, ss_check_report *r);

#endif
