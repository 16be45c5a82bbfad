/* internal.h — what the rule files of check/ share: one file's lines,
 * the context its rules report into, and the rule families each file
 * holds (rules.c: tree rules; lines.c: doc8's source-line rules;
 * header.c: licence, tracker link, opt-out comments). */
#ifndef SS_CHECK_INTERNAL_H
#define SS_CHECK_INTERNAL_H

#include "../tree/tree.h"
#include "../util/buffer.h"
#include "check.h"

#define SS_CHECK_MAX_COLS 79

/* The source as lines, split where the reader splits them (LF, CRLF or
 * a lone CR, which is also where doc8's bytes.splitlines splits), so
 * that node line numbers index it. */
typedef struct ss_check_lines {
  const char **start;    /* [1..n] */
  size_t *len;           /* without the line end */
  unsigned char *marked; /* a block element starts on this line */
  int n;
} ss_check_lines;

typedef struct ss_check_ctx {
  const char *path;
  const ss_check_rules *rules;
  const char *text;
  size_t text_len;
  ss_check_lines lines;
  int limit;               /* the line length limit */
  int title_line;          /* first line of the title (its overline), or 0 */
  int first_section_line;  /* the title line of the first section below
                              the title (the header ends there), or 0 */
  char *opted_out;         /* codes the file's opt-out comments name */
  unsigned char *verbatim; /* per line: a literal block or target holds it
                              (doc8's node exemption for D001) */
  ss_buf msg;
  /* the file's problems go to a local list first, so they can be sorted
   * by position before they join the report */
  ss_check_report local;
} ss_check_ctx;

/* Adds a problem of rule `code` unless the rule is off for the file;
 * `sev` is the rule's severity before the configuration's overrides. */
void ss_check_add(ss_check_ctx *c, const char *code, int line, int col,
                  ss_check_severity sev, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Characters (UTF-8 code points), as Python's len() and an editor's
 * column counter count them. */
size_t ss_check_chars(const char *s, size_t len);
bool ss_check_blank(const char *s, size_t len);
bool ss_check_has_url(const char *s, size_t len);

/* lines.c: D001 to D005, L003. */
void ss_check_source_lines(ss_check_ctx *c);

/* header.c: the opt-out comments (before any problem is added), then
 * F002, F003 and the line form of F004. */
void ss_check_opt_outs(ss_check_ctx *c);
void ss_check_header(ss_check_ctx *c);

#endif
