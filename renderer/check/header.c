/* header.c — the rules about a spec's header (check.h): the licence
 * text before the title (F002), a tracker link before the first section
 * (F003), the blueprint link naming the file (F004, the line form), and
 * the ".. lint: WORD" comments that opt a file out of rules. They read
 * source lines, as ironic-specs' tests/test_titles.py reads them: the
 * suites look for a URL on a line, not for a link in the tree. */
#include <string.h>

#include "internal.h"

/* The header's last line: before the first section below the title, or
 * the whole file when there is none. */
static int S_header_end(const ss_check_ctx *c) {
  return c->first_section_line ? c->first_section_line - 1 : c->lines.n;
}

static bool S_starts(const char *s, size_t len, const char *prefix) {
  size_t n = strlen(prefix);
  return len >= n && memcmp(s, prefix, n) == 0;
}

static const char *S_find(const char *s, size_t len, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; n && i + n <= len; i++)
    if (s[i] == needle[0] && memcmp(s + i, needle, n) == 0)
      return s + i;
  return NULL;
}

/* "WORD: CODES" entries; a header line ".. lint: WORD" (WORD then the
 * end or a space) adds CODES to the file's opted-out codes. */
void ss_check_opt_outs(ss_check_ctx *c) {
  const ss_check_list *o = &c->rules->opt_outs;
  if (!o->len)
    return;
  ss_buf codes = SS_BUF_INIT;
  for (int i = 1; i <= S_header_end(c); i++) {
    const char *s = c->lines.start[i];
    size_t len = c->lines.len[i];
    if (!S_starts(s, len, ".. lint: "))
      continue;
    const char *w = s + 9;
    size_t wlen = len - 9;
    for (size_t k = 0; k < o->len; k++) {
      const char *colon = strchr(o->items[k], ':');
      size_t n = colon ? (size_t)(colon - o->items[k]) : 0;
      if (n && wlen >= n && memcmp(w, o->items[k], n) == 0 &&
          (wlen == n || w[n] == ' ' || w[n] == '\t'))
        ss_buf_printf(&codes, "%s ", colon + 1);
    }
  }
  c->opted_out = ss_buf_detach(&codes);
}

/* Joined as the suite joins them (line ends dropped), runs of
 * whitespace made one space, ends trimmed. */
static void S_squeeze(const char *s, size_t len, ss_buf *out) {
  bool space = false;
  for (size_t i = 0; i < len; i++) {
    char ch = s[i];
    if (ch == ' ' || ch == '\t' || ch == '\f' || ch == '\v' || ch == '\r' ||
        ch == '\n') {
      space = out->len > 0;
      continue;
    }
    if (space)
      ss_buf_putc(out, ' ');
    space = false;
    ss_buf_putc(out, ch);
  }
}

static void S_licence(ss_check_ctx *c) {
  const char *want = c->rules->licence;
  if (!want || !want[0])
    return;
  int end = c->title_line ? c->title_line - 1 : c->lines.n;
  ss_buf joined = SS_BUF_INIT, text = SS_BUF_INIT, w = SS_BUF_INIT;
  for (int i = 1; i <= end; i++)
    ss_buf_put(&joined, c->lines.start[i], c->lines.len[i]);
  S_squeeze(joined.data ? joined.data : "", joined.len, &text);
  S_squeeze(want, strlen(want), &w);
  if (!S_find(text.data ? text.data : "", text.len, w.data ? w.data : ""))
    ss_check_add(c, "F002", 1, 0, SS_CHECK_ERROR,
                 "the header before the title lacks the licence text "
                 "'%.40s...'",
                 w.data ? w.data : "");
  ss_buf_free(&joined);
  ss_buf_free(&text);
  ss_buf_free(&w);
}

static const char *S_listed_prefix(const ss_check_list *l, const char *s,
                                   size_t len) {
  for (size_t k = 0; k < l->len; k++)
    if (S_find(s, len, l->items[k]))
      return l->items[k];
  return NULL;
}

/* The first header line holding a tracker or blueprint URL decides: a
 * tracker is enough; a blueprint line must end in the file's name. */
static void S_tracker(ss_check_ctx *c) {
  const ss_check_rules *r = c->rules;
  if (!r->trackers.len && !r->blueprints.len)
    return;
  const char *base = strrchr(c->path, '/');
  base = base ? base + 1 : c->path;
  const char *dot = strrchr(base, '.');
  size_t blen = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  for (int i = 1; i <= S_header_end(c); i++) {
    const char *s = c->lines.start[i];
    size_t len = c->lines.len[i];
    if (S_listed_prefix(&r->trackers, s, len))
      return;
    if (S_listed_prefix(&r->blueprints, s, len)) {
      if (len < blen || memcmp(s + len - blen, base, blen) != 0)
        ss_check_add(c, "F004", i, 1, SS_CHECK_WARNING,
                     "the blueprint link does not end in the file's name "
                     "'%.*s' (the line must end with it)",
                     (int)blen, base);
      return;
    }
  }
  int at = c->first_section_line ? c->first_section_line : 1;
  ss_buf want = SS_BUF_INIT;
  for (size_t k = 0; k < r->trackers.len; k++)
    ss_buf_printf(&want, "%s%s", want.len ? ", " : "", r->trackers.items[k]);
  for (size_t k = 0; k < r->blueprints.len; k++)
    ss_buf_printf(&want, "%s%s", want.len ? ", " : "", r->blueprints.items[k]);
  ss_check_add(c, "F003", at, 0, SS_CHECK_ERROR,
               "no tracker link before the first section (a line holding "
               "one of: %s)",
               want.data);
  ss_buf_free(&want);
}

void ss_check_header(ss_check_ctx *c) {
  S_licence(c);
  S_tracker(c);
}
