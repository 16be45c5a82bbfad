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
