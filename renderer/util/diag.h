/* diag.h — problem reports, in the form Sphinx prints them.
 *
 *   specs/8.0/foo.rst:42: WARNING: Title underline too short.
 *
 * Every stage reports through one ss_diag per run. It prints (unless
 * quiet) and counts; the caller decides the exit status from the highest
 * level seen. Stages that own a tree also record the problem as a
 * system_message node (see tree.h); this module knows nothing of trees.
 */
#ifndef SS_DIAG_H
#define SS_DIAG_H

#include <stdio.h>

/* Docutils' levels; the numbers are the ones `system_message level=` uses. */
typedef enum {
  SS_LEVEL_DEBUG = 0,
  SS_LEVEL_INFO = 1,
  SS_LEVEL_WARNING = 2,
  SS_LEVEL_ERROR = 3,
  SS_LEVEL_SEVERE = 4
} ss_level;

typedef struct ss_diag {
  FILE *out;          /* where reports go; NULL = stderr */
  ss_level threshold; /* reports below this level are counted, not printed */
  int quiet;          /* print nothing at all */
  int counts[5];      /* reports per level */
  ss_level max_level; /* highest level reported so far (SS_LEVEL_DEBUG if none) */
} ss_diag;

/* A diag printing WARNING and above to stderr. */
void ss_diag_init(ss_diag *d);

/* Upper-case name of a level: "WARNING". */
const char *ss_level_name(ss_level level);

/* Reports one problem. `path` may be NULL (no file); `line` 0 means no
 * line ("path: WARNING: ..."), a negative one a place in the file with
 * no line, which Sphinx prints "path:: WARNING: ..." (a node without a
 * line of its own or an ancestor's). The message is one sentence, as
 * Docutils words it. */
void ss_diag_report(ss_diag *d, const char *path, int line, ss_level level,
                    const char *message);

#endif
