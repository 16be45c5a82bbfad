/* reader.c — the reader's entry point: bytes to lines to a document. */
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "parser.h"

#define S_TAB_WIDTH 8

static int S_line_of(const char *s, size_t upto) {
  int line = 1;
  for (size_t k = 0; k < upto; k++)
    if (s[k] == '\n')
      line++;
  return line;
}

/* Line of the first place where repair changed the input. */
static int S_first_bad_line(const char *s, size_t len) {
  size_t k = 0;
  while (k < len) {
    if (s[k] == '\0')
      return S_line_of(s, k);
    int32_t cp;
    size_t n = ss_utf8_decode(s + k, len - k, &cp);
    if (cp == 0xFFFD && n == 1 &&
        !(len - k >= 3 && memcmp(s + k, "\xef\xbf\xbd", 3) == 0))
      return S_line_of(s, k);
    k += n;
  }
  return 0;
}

int rst_split_lines(rst_parser *p, const char *text, size_t len,
                    ss_buf *storage, rst_line **lines) {
  /* A byte-order mark is an encoding signature, not text. */
  if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
    text += 3, len -= 3;
  ss_buf repaired = SS_BUF_INIT;
  size_t changed = ss_utf8_repair(text, len, &repaired);
  if (changed)
    ss_diag_report(p->opts->diag, p->opts->path, S_first_bad_line(text, len),
                   SS_LEVEL_WARNING,
                   "Input is not valid UTF-8 or holds NUL bytes; invalid "
                   "bytes were replaced with U+FFFD and NULs removed.");
  const char *s = repaired.data ? repaired.data : "";
  size_t n = repaired.len;

  /* Expand tabs, turn \r\n and \r into \n, \v and \f into spaces, and
   * strip trailing whitespace, as Docutils' string2lines does. Line
   * starts are recorded as offsets since storage may move. */
  size_t cap = 64, count = 0;
  size_t *starts = ss_xmalloc(cap * sizeof *starts);
  ss_buf_clear(storage);
  ss_buf_grow(storage, n + 1);
  size_t k = 0;
  while (k <= n) {
    if (count == cap) {
      cap *= 2;
      starts = ss_xrealloc(starts, cap * sizeof *starts);
    }
    starts[count++] = storage->len;
    size_t col = 0;
    while (k < n && s[k] != '\n' && s[k] != '\r') {
      char ch = s[k++];
      if (ch == '\t') {
        size_t spaces = S_TAB_WIDTH - col % S_TAB_WIDTH;
        for (size_t q = 0; q < spaces; q++)
          ss_buf_putc(storage, ' ');
        col += spaces;
        continue;
      }
      if (ch == '\v' || ch == '\f')
        ch = ' ';
      ss_buf_putc(storage, ch);
      /* Columns count characters, not UTF-8 continuation bytes. */
      if (((unsigned char)ch & 0xC0) != 0x80)
        col++;
    }
    while (storage->len > starts[count - 1] &&
           (storage->data[storage->len - 1] == ' '))
      storage->len--;
    ss_buf_putc(storage, '\n');
    if (k >= n)
      break;
    if (s[k] == '\r' && k + 1 < n && s[k + 1] == '\n')
      k++;
    k++;
  }
  /* A final line end does not start another line. */
  if (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r') && count > 0)
    count--;
  rst_line *out = ss_xmalloc(sizeof *out * (count ? count : 1));
  for (size_t i = 0; i < count; i++) {
    size_t start = starts[i];
    size_t end = start;
    while (storage->data[end] != '\n')
      end++;
    out[i].text = storage->data + start;
    out[i].len = (int)(end - start);
    out[i].lineno = (int)i + 1;
  }
  free(starts);
  ss_buf_free(&repaired);
  *lines = out;
  return (int)count;
}

/* Messages below the report level are printed (if the diag's threshold
 * says so) but not kept in the tree, as Docutils' report_level does. */
static void S_drop_quiet_messages(ss_node *doc, ss_level keep) {
  ss_iter it;
  ss_iter_init(&it, doc);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (ev != SS_EVENT_ENTER || n->kind != SS_SYSTEM_MESSAGE)
      continue;
    const char *level = ss_node_attr_get(n, "level");
    if (level && atoi(level) < (int)keep) {
      ss_iter_skip_to_next(&it);
      ss_node_free(n);
    } else {
      ss_iter_skip_children(&it);
    }
  }
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
  S_drop_quiet_messages(p.document, opts->report_level ? opts->report_level
                                                        : SS_LEVEL_WARNING);
  free((char *)p.default_role);
  free((char *)p.highlight_language);
  free(lines);
  ss_buf_free(&storage);
  return p.document;
}
