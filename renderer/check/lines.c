/* lines.c — the source-line rules: doc8's checks under doc8's codes
 * (check.h), and the suites' whole-line rule (L003). doc8's are
 * read from doc8's checks.py: each tests the lines as doc8 reads
 * them (split at LF, CR or CRLF, the line end dropped), so that a file
 * passes here exactly when it passes `doc8`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "internal.h"

/* Python's str.isspace(), which doc8's \s follows. */
static bool S_space(int32_t cp) { return cp == 0x85 || ss_uc_is_space(cp); }

/* Leading whitespace as doc8's ^(\s+) sees it, in bytes; *tab tells
 * whether a tab is among it. */
static size_t S_indent(const char *s, size_t len, bool *tab) {
  size_t i = 0;
  *tab = false;
  while (i < len) {
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) {
      /* ASCII, most bytes: Python's isspace without decoding */
      if (!(b == ' ' || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F)))
        break;
      *tab |= b == '\t';
      i++;
      continue;
    }
    int32_t cp;
    size_t n = ss_utf8_decode(s + i, len - i, &cp);
    if (!S_space(cp))
      break;
    *tab |= cp == '\t';
    i += n;
  }
  return i;
}

static bool S_all_space(const char *s, size_t len) {
  bool tab;
  return S_indent(s, len, &tab) == len;
}

/* doc8's directive pattern ^\s*..\s(.*?)::\s* (its ".." is two of any
 * character, as written there), tried at every split of the leading
 * whitespace as the regular expression backtracks; or a line that is
 * "::" alone. */
static bool S_directive_start(const char *s, size_t len) {
  bool tab;
  size_t ws = S_indent(s, len, &tab);
  if (ws == 0 && len >= 2 && s[0] == ':' && s[1] == ':' &&
      S_all_space(s + 2, len - 2))
    return true;
  for (size_t k = 0; k <= ws; k++) {
    if (k < ws && ((unsigned char)s[k] & 0xC0) == 0x80)
      continue; /* not a character boundary */
    size_t i = k;
    int32_t cp;
    for (int j = 0; j < 2 && i < len; j++)
      i += ss_utf8_decode(s + i, len - i, &cp);
    if (i >= len)
      return false;
    i += ss_utf8_decode(s + i, len - i, &cp);
    if (!S_space(cp))
      continue;
    for (; i + 1 < len; i++)
      if (s[i] == ':' && s[i + 1] == ':')
        return true;
  }
  return false;
}

/* ^\s*(\* |- |#\. |\d+\. ): doc8 checks list items as normal lines. */
static bool S_list_item(const char *s, size_t len) {
  bool tab;
  size_t i = S_indent(s, len, &tab);
  const char *p = s + i;
  size_t n = len - i;
  if (n >= 2 && (p[0] == '*' || p[0] == '-') && p[1] == ' ')
    return true;
  if (n >= 3 && p[0] == '#' && p[1] == '.' && p[2] == ' ')
    return true;
  size_t d = 0;
  while (d < n && p[d] >= '0' && p[d] <= '9')
    d++;
  return d > 0 && d + 1 < n && p[d] == '.' && p[d + 1] == ' ';
}

/* The lines doc8 leaves to the reader: directive blocks (the start and
 * every following blank or indented line) and definition terms (a
 * line, not a list item, followed by a more indented one). */
static unsigned char *S_d001_regions(const ss_check_lines *l) {
  unsigned char *skip = ss_xcalloc((size_t)l->n + 2, 1);
  bool tab;
  for (int i = 1; i <= l->n; i++) {
    if (!S_directive_start(l->start[i], l->len[i]))
      continue;
    skip[i] = 1;
    for (int k = i + 1; k <= l->n; k++) {
      if (!S_all_space(l->start[k], l->len[k]) &&
          S_indent(l->start[k], l->len[k], &tab) == 0)
        break;
      skip[k] = 1;
    }
  }
  for (int i = 1; i < l->n; i++) {
    const char *s = l->start[i];
    if (S_all_space(s, l->len[i]) || S_list_item(s, l->len[i]))
      continue;
    /* doc8 compares the lengths of the two indentations in characters */
    size_t a = S_indent(s, l->len[i], &tab), b;
    b = S_indent(l->start[i + 1], l->len[i + 1], &tab);
    if (ss_check_chars(s, a) < ss_check_chars(l->start[i + 1], b))
      skip[i] = 1;
  }
  return skip;
}

/* D001 as doc8's CheckMaxLineLength: for .rst, a long line is fine in
 * a directive block or definition term, when it has no space after its
 * indentation, holds a URL, lies in a literal block or target, or is a
 * title under allow-long-titles; for .txt, only the URL exemption. */
static void S_d001(ss_check_ctx *c) {
  const ss_check_lines *l = &c->lines;
  unsigned char *skip = c->rules->plain_text ? NULL : S_d001_regions(l);
  for (int i = 1; i <= l->n; i++) {
    const char *s = l->start[i];
    size_t len = l->len[i], n = ss_check_chars(s, len);
    if (n <= (size_t)c->limit)
      continue;
    bool tab;
    size_t ws = S_indent(s, len, &tab);
    if (!skip) {
      if (!ss_check_has_url(s, len))
        ss_check_add(c, "D001", i, c->limit + 1, SS_CHECK_ERROR,
                     "line is %zu characters long (the limit is %d)", n,
                     c->limit);
      continue;
    }
    if (skip[i] || !memchr(s + ws, ' ', len - ws) ||
        ss_check_has_url(s + ws, len - ws) || (c->verbatim[i] & 1) ||
        (c->rules->allow_long_titles && (c->verbatim[i] & 2)))
      continue;
    ss_check_add(c, "D001", i, c->limit + 1, SS_CHECK_ERROR,
                 "line is %zu characters long (the limit is %d)", n, c->limit);
  }
  free(skip);
}

/* L003, the line rule nova-specs' tests/test_titles.py wrote and its
 * family copied (_check_lines_wrapping): every source line, measured
 * whole; exempt, as configured, lines holding a URL, the lines after one
 * holding "::" while they are empty or start with a space (nova's
 * "code block"), and lines of one word. */
static void S_l003(ss_check_ctx *c) {
  const ss_check_lines *l = &c->lines;
  bool block = false, tab;
  for (int i = 1; i <= l->n; i++) {
    const char *s = l->start[i];
    size_t len = l->len[i];
    if (c->rules->allow_literal_lines) {
      if (block && (len == 0 || s[0] == ' '))
        continue;
      block = false;
      for (size_t k = 0; k + 1 < len && !block; k++)
        block = s[k] == ':' && s[k + 1] == ':';
    }
    size_t ws = S_indent(s, len, &tab), n = ss_check_chars(s, len);
    if (n <= (size_t)c->limit ||
        (c->rules->url_lines && ss_check_has_url(s, len)))
      continue;
    size_t k = ws;
    while (k < len) {
      int32_t cp;
      size_t m = ss_utf8_decode(s + k, len - k, &cp);
      if (S_space(cp))
        break;
      k += m;
    }
    if (k == len && k > ws && c->rules->allow_one_word_lines)
      continue; /* one word: nothing to wrap */
    ss_check_add(c, "L003", i, c->limit + 1, SS_CHECK_ERROR,
                 "line is %zu characters long (the limit is %d)", n, c->limit);
  }
}

void ss_check_source_lines(ss_check_ctx *c) {
  const ss_check_lines *l = &c->lines;
  size_t crs = 0;
  int cr_line = 0, cr_col = 0;
  /* a line loop of its own, decoding each line's ends: run only for the
   * rules that look */
  bool any = ss_check_enabled(c->rules, "D002") ||
             ss_check_enabled(c->rules, "D003") ||
             ss_check_enabled(c->rules, "D004");
  for (int i = 1; any && i <= l->n; i++) {
    const char *s = l->start[i];
    size_t len = l->len[i];
    if (len) {
      int32_t cp;
      ss_utf8_decode_back(s, len, &cp);
      /* doc8's \s, or the spaces alone that nova-specs' " +$" finds */
      if (c->rules->trailing_spaces_only ? cp == ' ' : S_space(cp))
        ss_check_add(c, "D002", i, (int)ss_check_chars(s, len), SS_CHECK_ERROR,
                     "trailing whitespace");
    }
    bool tab;
    S_indent(s, len, &tab);
    if (tab)
      ss_check_add(c, "D003", i, 1, SS_CHECK_ERROR, "tab used for indentation");
    const char *end = s + len;
    if (end < c->text + c->text_len && *end == '\r') {
      if (!crs) {
        cr_line = i;
        cr_col = (int)ss_check_chars(s, len) + 1;
      }
      crs++;
    }
  }
  if (crs)
    ss_check_add(c, "D004", cr_line, cr_col, SS_CHECK_ERROR,
                 "carriage return (%zu in the file): use Unix line ends", crs);
  if (c->text_len && c->text[c->text_len - 1] != '\n' &&
      c->text[c->text_len - 1] != '\r')
    ss_check_add(c, "D005", l->n, 0, SS_CHECK_ERROR,
                 "no newline at end of file");
  if (ss_check_enabled(c->rules, "D001"))
    S_d001(c);
  if (ss_check_enabled(c->rules, "L003"))
    S_l003(c);
}
