/* report.c — problems found while reading become system_message nodes
 * (and a line on the diagnostics stream), never a stop. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parser.h"

ss_node *rst_report(rst_parser *p, ss_level level, int lineno,
                    const char *literal, const char *fmt, ...) {
  ss_buf msg = SS_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  ss_buf_vprintf(&msg, fmt, ap);
  va_end(ap);
  ss_diag_report(p->opts->diag, p->opts->path, lineno, level,
                 msg.data ? msg.data : "");

  ss_node *sm = ss_system_message_new(level, lineno, p->opts->path,
                                      msg.data ? msg.data : "", msg.len);
  if (literal) {
    ss_node *lit = ss_node_append(sm, ss_node_new(SS_LITERAL_BLOCK, lineno));
    ss_node_append_text(lit, literal, strlen(literal), lineno);
  }
  ss_buf_free(&msg);
  return sm;
}

void rst_warn(rst_parser *p, int lineno, const char *fmt, ...) {
  ss_buf msg = SS_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  ss_buf_vprintf(&msg, fmt, ap);
  va_end(ap);
  /* Sphinx 5.3 takes the source path of such a location for a
   * docname and names it doc2path(docname): the path and the first
   * source suffix again ("specs/foo.rst.rst:12"). */
  ss_buf where = SS_BUF_INIT;
  if (p->opts->path)
    ss_buf_printf(&where, "%s.rst", p->opts->path);
  ss_diag_report(p->opts->diag, where.data, lineno, SS_LEVEL_WARNING,
                 msg.data ? msg.data : "");
  ss_buf_free(&where);
  ss_buf_free(&msg);
}
