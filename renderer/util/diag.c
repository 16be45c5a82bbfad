#include "diag.h"

void ss_diag_init(ss_diag *d) {
  *d = (ss_diag){0};
  d->threshold = SS_LEVEL_WARNING;
}

const char *ss_level_name(ss_level level) {
  static const char *const names[] = {"DEBUG", "INFO", "WARNING", "ERROR",
                                      "SEVERE"};
  return (unsigned)level < 5 ? names[level] : "SEVERE";
}

void ss_diag_report(ss_diag *d, const char *path, int line, ss_level level,
                    const char *message) {
  if ((unsigned)level > SS_LEVEL_SEVERE)
    level = SS_LEVEL_SEVERE;
  d->counts[level]++;
  if (level > d->max_level)
    d->max_level = level;
  if (d->quiet || level < d->threshold)
    return;
  FILE *out = d->out ? d->out : stderr;
  if (path && line > 0)
    fprintf(out, "%s:%d: %s: %s\n", path, line, ss_level_name(level), message);
  else if (path && line < 0) /* Sphinx's form for a node with no line */
    fprintf(out, "%s:: %s: %s\n", path, ss_level_name(level), message);
  else if (path)
    fprintf(out, "%s: %s: %s\n", path, ss_level_name(level), message);
  else
    fprintf(out, "%s: %s\n", ss_level_name(level), message);
}
