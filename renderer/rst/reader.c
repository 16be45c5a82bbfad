/* reader.c — the reader's entry point: bytes to lines to a document. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "parser.h"

#define S_TAB_WIDTH 8
/* Undecodable sequences reported one by one; the rest are counted. */
#define S_MAX_DECODE_REPORTS 100

/* Length of the well-formed UTF-8 sequence at s[0..len), or 0 when it
 * is ill-formed; then *bad is the length of its maximal subpart (the
 * bytes Python's decoder reports as one error, so one '?' each). */
static size_t S_utf8_valid(const unsigned char *s, size_t len, size_t *bad) {
  unsigned char c = s[0];
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    need = 1;
  else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0)
      lo = 0xA0;
    else if (c == 0xED)
      hi = 0x9F; /* no surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0)
      lo = 0x90;
    else if (c == 0xF4)
      hi = 0x8F;
  } else {
    *bad = 1;
    return 0;
  }
  size_t k = 1;
  for (; k <= need; k++) {
    if (k >= len)
      break;
    unsigned char lo_k = k == 1 ? lo : 0x80, hi_k = k == 1 ? hi : 0xBF;
    if (s[k] < lo_k || s[k] > hi_k)
      break;
  }
  if (k == need + 1)
    return k;
  *bad = k;
  return 0;
}

/* Python's repr() of a bytes object, as Sphinx prints it. */
static void S_bytes_repr(const char *s, size_t len, ss_buf *out) {
  char quote = '\'';
  if (memchr(s, '\'', len) && !memchr(s, '"', len))
    quote = '"';
  ss_buf_putc(out, 'b');
  ss_buf_putc(out, quote);
  for (size_t k = 0; k < len; k++) {
    unsigned char ch = (unsigned char)s[k];
    if (ch == (unsigned char)quote || ch == '\\')
      ss_buf_printf(out, "\\%c", ch);
    else if (ch == '\t')
      ss_buf_puts(out, "\\t");
    else if (ch == '\n')
      ss_buf_puts(out, "\\n");
    else if (ch == '\r')
      ss_buf_puts(out, "\\r");
    else if (ch < 0x20 || ch >= 0x7F)
      ss_buf_printf(out, "\\x%02x", ch);
    else
      ss_buf_putc(out, (char)ch);
  }
  ss_buf_putc(out, quote);
}

/* Reports one undecodable sequence s[start..end) in Sphinx's words: the
 * line it is on, the bad bytes between >>> and <<<. */
static void S_report_undecodable(rst_parser *p, const char *s, size_t len,
                                 size_t start, size_t end) {
  size_t ls = start, le = end;
  while (ls > 0 && s[ls - 1] != '\n')
    ls--;
  while (le < len && s[le] != '\n')
    le++;
  int lineno = 1;
  for (size_t k = 0; k < start; k++)
    lineno += s[k] == '\n';
  ss_buf shown = SS_BUF_INIT, msg = SS_BUF_INIT;
  ss_buf_put(&shown, s + ls, start - ls);
  ss_buf_puts(&shown, ">>>");
  ss_buf_put(&shown, s + start, end - start);
  ss_buf_puts(&shown, "<<<");
  ss_buf_put(&shown, s + end, le - end);
  S_bytes_repr(shown.data, shown.len, &msg);
  ss_node_append(p->document,
                 rst_report(p, SS_LEVEL_WARNING, lineno, NULL,
                            "undecodable source characters, replacing with "
                            "\"?\": %s",
                            msg.data));
  ss_buf_free(&shown);
  ss_buf_free(&msg);
}

/* Newlines in text[from..to). */
static int S_count_newlines(const char *text, size_t from, size_t to) {
  int count = 0;
  const char *p = text + from, *end = text + to;
  while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
    count++;
    p++;
  }
  return count;
}

/* Decodes as Sphinx reads a source: each ill-formed UTF-8 sequence
 * becomes '?' with a warning; NUL bytes, which Docutils treats as
 * escape marks that vanish, are removed (with a warning, as they are
 * no text). */
/* Whether the 8 bytes at p all lie in [lo, 0x7F] (lo <= 0x80): one test
 * per word instead of eight, for the long plain runs of a source. A byte
 * below lo wraps around to set its high bit in x - lo*0x0101..., the
 * lowest such byte without a borrow from below; a byte >= 0x80 has it set
 * in x. */
static bool S_plain8(const char *p, unsigned char lo) {
  uint64_t x;
  memcpy(&x, p, sizeof x);
  uint64_t ones = 0x0101010101010101ULL;
  return (((x - ones * lo) | x) & (ones * 0x80)) == 0;
}

static size_t S_valid_prefix(const unsigned char *u, size_t len) {
  size_t k = 0;
  while (k < len) {
    while (k + 8 <= len && S_plain8((const char *)u + k, 0x01))
      k += 8;
    while (k < len && u[k] >= 0x01 && u[k] < 0x80)
      k++;
    if (k >= len || u[k] == 0)
      break;
    size_t bad = 0, n = S_utf8_valid(u + k, len - k, &bad);
    if (!n)
      break;
    k += n;
  }
  return k;
}

/* Returns false, leaving `out` alone, when the text needs no repair (the
 * common case): the caller then reads `text` itself, saving a copy of
 * the whole source. */
static bool S_decode(rst_parser *p, const char *text, size_t len, ss_buf *out) {
  const unsigned char *u = (const unsigned char *)text;
  size_t k = S_valid_prefix(u, len);
  if (k == len)
    return false;
  size_t reports = 0, nuls = 0, first_nul_line = 0, more = 0;
  /* Lines are counted only when a report needs one: `line` is the line
   * of text[line_pos]. */
  int line = 1;
  size_t line_pos = 0;
  ss_buf_grow(out, len);
  ss_buf_put(out, text, k);
  while (k < len) {
    size_t run = k;
    while (run < len && u[run] >= 0x01 && u[run] < 0x80)
      run++;
    ss_buf_put(out, text + k, run - k);
    k = run;
    if (k >= len)
      break;
    if (u[k] == 0) {
      if (!nuls++) {
        line += S_count_newlines(text, line_pos, k);
        line_pos = k;
        first_nul_line = (size_t)line;
      }
      k++;
      continue;
    }
    size_t bad = 0, n = S_utf8_valid(u + k, len - k, &bad);
    if (n) {
      ss_buf_put(out, text + k, n);
      k += n;
      continue;
    }
    if (reports < S_MAX_DECODE_REPORTS) {
      S_report_undecodable(p, text, len, k, k + bad);
      reports++;
    } else {
      more++;
    }
    ss_buf_putc(out, '?');
    k += bad;
  }
  if (more) {
    line += S_count_newlines(text, line_pos, len); /* the last line */
    ss_node_append(p->document,
                   rst_report(p, SS_LEVEL_WARNING, line, NULL,
                              "%zu more undecodable sequences replaced with "
                              "\"?\".",
                              more));
  }
  if (nuls)
    ss_node_append(p->document,
                   rst_report(p, SS_LEVEL_WARNING, (int)first_nul_line, NULL,
                              "%zu NUL byte%s removed.", nuls,
                              nuls == 1 ? "" : "s"));
  return true;
}

/* Line separators besides \n and \r that Python's str.splitlines (and so
 * Docutils) honours: \x1c \x1d \x1e, NEL, LINE and PARAGRAPH SEPARATOR.
 * Returns the byte length of the separator at s[k], 0 when none. */
static size_t S_other_line_end(const char *s, size_t n, size_t k) {
  unsigned char c = (unsigned char)s[k];
  if (c >= 0x1c && c <= 0x1e)
    return 1;
  if (c == 0xC2 && k + 1 < n && (unsigned char)s[k + 1] == 0x85)
    return 2;
  if (c == 0xE2 && k + 2 < n && (unsigned char)s[k + 1] == 0x80 &&
      ((unsigned char)s[k + 2] == 0xA8 || (unsigned char)s[k + 2] == 0xA9))
    return 3;
  return 0;
}

/* Bytes rst_split_lines must look at one by one: line ends (and the
 * first bytes of the multi-byte separators), tabs, \v and \f. */
static const bool S_special[256] = {
    ['\n'] = true, ['\r'] = true, ['\t'] = true, ['\v'] = true, ['\f'] = true,
    [0x1c] = true, [0x1d] = true, [0x1e] = true, [0xC2] = true, [0xE2] = true};

/* Python's str.isspace, which rstrip() uses. */
static bool S_is_py_space(int32_t cp) {
  return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) ||
         (cp >= 0x1C && cp <= 0x1F) || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

int rst_space_len(const char *s, size_t len) {
  if (!len)
    return 0;
  unsigned char b = (unsigned char)s[0];
  if (b < 0x80)
    return S_is_py_space(b) ? 1 : 0;
  if (b != 0xC2 && b != 0xE1 && b != 0xE2 && b != 0xE3)
    return 0; /* no other lead byte starts a space */
  int32_t cp;
  size_t w = ss_utf8_decode(s, len, &cp);
  return S_is_py_space(cp) ? (int)w : 0;
}

int rst_split_lines(rst_parser *p, const char *text, size_t len,
                    ss_buf *storage, rst_line **lines) {
  /* A byte-order mark is an encoding signature, not text (Sphinx reads
   * sources as utf-8-sig). */
  if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
    text += 3, len -= 3;
  int width = p->tab_width ? p->tab_width : S_TAB_WIDTH;
  ss_buf repaired = SS_BUF_INIT;
  const char *s = text ? text : "";
  size_t n = text ? len : 0;
  if (S_decode(p, s, n, &repaired)) {
    s = repaired.data ? repaired.data : "";
    n = repaired.len;
  }

  /* Expand tabs, end lines at \r\n, \r, \n and the other separators of
   * str.splitlines, turn \v and \f into spaces, and strip trailing
   * whitespace, as Docutils' string2lines does. Line starts are recorded
   * as offsets since storage may move. */
  /* Room for every line at once: one per '\n' (other separators are
   * rare; the arrays still grow when they come). */
  size_t cap = 64, count = 0;
  for (const char *q = s, *end = s + n;
       q < end && (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
    cap++;
  size_t *starts = ss_xmalloc(cap * sizeof *starts);
  ss_buf_clear(storage);
  ss_buf_grow(storage, n + 1);
  size_t *ends = ss_xmalloc(cap * sizeof *ends);
  size_t k = 0;
  while (k <= n) {
    if (count == cap) {
      cap *= 2;
      starts = ss_xrealloc(starts, cap * sizeof *starts);
      ends = ss_xrealloc(ends, cap * sizeof *ends);
    }
    starts[count++] = storage->len;
    /* Columns are only needed at a tab: `col` counts the characters of
     * the line up to storage offset `col_mark`. */
    size_t col = 0, col_mark = storage->len, sep = 0;
    while (k < n) {
      /* Copy the run of ordinary bytes in one go. */
      size_t run = k;
      for (;;) {
        while (run + 8 <= n && S_plain8(s + run, 0x20))
          run += 8;
        if (run >= n || S_special[(unsigned char)s[run]])
          break;
        run++;
      }
      ss_buf_put(storage, s + k, run - k);
      k = run;
      if (k >= n || s[k] == '\n' || s[k] == '\r' ||
          (sep = S_other_line_end(s, n, k)))
        break;
      char ch = s[k++];
      if (ch == '\t') {
        /* Columns count characters, not UTF-8 continuation bytes. */
        for (size_t q = col_mark; q < storage->len; q++)
          col += ((unsigned char)storage->data[q] & 0xC0) != 0x80;
        if (width < 1)
          continue; /* Python's expandtabs(0) drops tabs */
        size_t spaces = (size_t)width - col % (size_t)width;
        for (size_t q = 0; q < spaces; q++)
          ss_buf_putc(storage, ' ');
        col += spaces;
        col_mark = storage->len;
        continue;
      }
      if (ch == '\v' || ch == '\f')
        ch = ' ';
      ss_buf_putc(storage, ch);
    }
    /* rstrip(): any Unicode whitespace. */
    while (storage->len > starts[count - 1]) {
      unsigned char last = (unsigned char)storage->data[storage->len - 1];
      if (last > ' ' && last < 0x80)
        break; /* the common case: no trailing space */
      int32_t cp;
      size_t w = ss_utf8_decode_back(storage->data + starts[count - 1],
                                     storage->len - starts[count - 1], &cp);
      if (!S_is_py_space(cp))
        break;
      storage->len -= w;
    }
    ends[count - 1] = storage->len;
    ss_buf_putc(storage, '\n');
    if (k >= n)
      break;
    if (sep)
      k += sep;
    else if (s[k] == '\r' && k + 1 < n && s[k + 1] == '\n')
      k += 2;
    else
      k++;
    if (k >= n) /* a final line end starts no other line */
      break;
  }
  rst_line *out = ss_xmalloc(sizeof *out * (count ? count : 1));
  for (size_t i = 0; i < count; i++) {
    out[i].text = storage->data + starts[i];
    out[i].len = (int)(ends[i] - starts[i]);
    out[i].lineno = (int)i + 1;
  }
  free(ends);
  if (n == 0)
    count = 0;
  free(starts);
  ss_buf_free(&repaired);
  *lines = out;
  return (int)count;
}

ss_node *ss_rst_parse(const char *text, size_t len,
                      const ss_rst_options *opts) {
  rst_parser p = {0};
  p.opts = opts;
  p.document = ss_node_new(SS_DOCUMENT, 0);
  if (opts->path)
    ss_node_attr_set(p.document, "source", opts->path);
  p.section_cur = p.document;
  ss_buf storage = SS_BUF_INIT;
  rst_line *lines;
  int n = rst_split_lines(&p, text, len, &storage, &lines);
  rst_parse_body(&p, lines, n, p.document);
  /* Messages below the report level are printed (if the diag's
   * threshold says so) but not kept in the tree, as Docutils'
   * report_level does. */
  ss_node_drop_messages(p.document, opts->report_level ? (int)opts->report_level
                                                       : SS_LEVEL_WARNING);
  rst_free_roles(&p);
  rst_free_ids(&p);
  free((char *)p.default_role);
  free((char *)p.highlight_language);
  free(p.py_module);
  free(p.py_class);
  for (int i = 0; i < p.npy_classes; i++)
    free(p.py_classes[i]);
  free(p.py_classes);
  free(lines);
  ss_buf_free(&storage);
  return p.document;
}
