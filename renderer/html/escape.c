/* escape.c — HTML escaping and the link-target check. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "escape.h"

/* Bytes that need a replacement; everything else is copied in runs.
 * Besides the markup characters: the control characters HTML calls
 * parse errors (C0 but tab, LF, FF and CR; DEL; C1, whose UTF-8 lead
 * byte is 0xC2), which become U+FFFD, as NUL does: invisible in a
 * browser, they could still hide text from a reviewer or mislead a
 * program reading the page. */
static const unsigned char S_special[256] = {
    ['\0'] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1,
    [0x06] = 1, [0x07] = 1, [0x08] = 1, [0x0b] = 1, [0x0e] = 1, [0x0f] = 1,
    [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1,
    [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1,
    [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, ['&'] = 1,  ['<'] = 1,
    ['>'] = 1,  ['"'] = 1,  [0x7f] = 1, [0xc2] = 1,
};

/* Whether none of the 8 bytes at p may be special: each markup byte is
 * looked for in all eight at once (a byte equal to c becomes zero in
 * x ^ c, and the classic test finds a zero byte), control characters
 * as bytes below 0x20 (tab and LF too: the caller looks closer). */
static bool S_plain8(const char *p) {
  const uint64_t ones = 0x0101010101010101ULL, highs = ones * 0x80;
  uint64_t x;
  memcpy(&x, p, sizeof x);
#define S_HAS_ZERO(v) ((((v)-ones) & ~(v)&highs) != 0)
#define S_HAS_LESS(v, n) ((((v)-ones * (n)) & ~(v)&highs) != 0)
  uint64_t amp = x ^ (ones * '&'), lt = x ^ (ones * '<'), gt = x ^ (ones * '>'),
           quot = x ^ (ones * '"'), del = x ^ (ones * 0x7f),
           c1 = x ^ (ones * 0xc2);
  return !(S_HAS_LESS(x, 0x20) || S_HAS_ZERO(amp) || S_HAS_ZERO(lt) ||
           S_HAS_ZERO(gt) || S_HAS_ZERO(quot) || S_HAS_ZERO(del) ||
           S_HAS_ZERO(c1));
#undef S_HAS_LESS
#undef S_HAS_ZERO
}

void ss_html_escape(ss_buf *out, const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  size_t start = 0, i = 0;
  for (;;) {
    while (i + 8 <= len && S_plain8(s + i))
      i += 8;
    /* The block that stopped the fast loop: a newline or a tab stops it
     * too, so only this block is looked at byte by byte. */
    size_t stop = i + 8 < len ? i + 8 : len;
    while (i < stop && !S_special[u[i]])
      i++;
    if (i == stop && i < len)
      continue;
    if (i < len && u[i] == 0xc2 &&
        !(i + 1 < len && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)) {
      i++; /* the lead byte of a character that is not C1 */
      continue;
    }
    ss_buf_put(out, s + start, i - start);
    if (i >= len)
      return;
    switch (s[i]) {
    case '&':
      ss_buf_put(out, "&amp;", 5);
      break;
    case '<':
      ss_buf_put(out, "&lt;", 4);
      break;
    case '>':
      ss_buf_put(out, "&gt;", 4);
      break;
    case '"':
      ss_buf_put(out, "&quot;", 6);
      break;
    default: /* a control character: NUL, C0, DEL, C1 (two bytes) */
      ss_buf_put(out, "\xEF\xBF\xBD", 3);
      if (u[i] == 0xc2)
        i++;
      break;
    }
    start = ++i;
  }
}

/* --- link targets -------------------------------------------------- */

static char S_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool S_is_alpha(char c) {
  c = S_lower(c);
  return c >= 'a' && c <= 'z';
}

static bool S_is_scheme_char(char c) {
  return S_is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
         c == '.';
}

/* The URI as a browser's URL parser sees it (WHATWG URL: leading C0
 * controls and spaces stripped, every tab, CR and LF removed anywhere), so
 * "  java\tscript:" and "\x01javascript:" are caught. Only the first
 * `max` bytes matter for the scheme and the data: media type. */
static size_t S_normalise(const char *uri, char *out, size_t max) {
  const unsigned char *p = (const unsigned char *)uri;
  while (*p && *p <= 0x20)
    p++;
  size_t n = 0;
  for (; *p && n < max; p++) {
    if (*p == '\t' || *p == '\n' || *p == '\r')
      continue;
    out[n++] = S_lower((char)*p);
  }
  out[n] = '\0';
  return n;
}

/* data: media types an <img> may show. Not image/svg+xml: SVG can carry
 * script. */
static bool S_is_safe_data_image(const char *rest) {
  static const char *const types[] = {"image/png", "image/gif", "image/jpeg",
                                      "image/webp"};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
    size_t len = strlen(types[i]);
    if (strncmp(rest, types[i], len) == 0 &&
        (rest[len] == ';' || rest[len] == ','))
      return true;
  }
  return false;
}

bool ss_html_uri_is_safe(const char *uri, bool image) {
  if (!uri)
    return false;
  char head[64];
  size_t n = S_normalise(uri, head, sizeof head - 1);
  /* A scheme is a letter, then letters, digits, + - . up to ':'. A colon
   * after a / ? or # is part of a path, query or fragment, not a scheme. */
  if (n == 0 || !S_is_alpha(head[0]))
    return true;
  size_t i = 1;
  while (i < n && S_is_scheme_char(head[i]))
    i++;
  if (i >= n || head[i] != ':')
    return true;
  head[i] = '\0';
  if (strcmp(head, "javascript") == 0 || strcmp(head, "vbscript") == 0)
    return false;
  if (strcmp(head, "data") == 0)
    return image && S_is_safe_data_image(head + i + 1);
  return true;
}
