#include "utf8.h"

size_t ss_utf8_decode(const char *str, size_t len, int32_t *cp) {
  const unsigned char *s = (const unsigned char *)str;
  if (len == 0) {
    *cp = 0xFFFD;
    return 1;
  }
  unsigned char c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t n;
  int32_t v, min;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2, v = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, v = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, v = c & 0x07, min = 0x10000;
  } else {
    *cp = 0xFFFD;
    return 1;
  }
  if (len < n) {
    *cp = 0xFFFD;
    return 1;
  }
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) {
      *cp = 0xFFFD;
      return 1;
    }
    v = (v << 6) | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
    *cp = 0xFFFD;
    return 1;
  }
  *cp = v;
  return n;
}

size_t ss_utf8_decode_back(const char *s, size_t len, int32_t *cp) {
  size_t start = len - 1;
  while (start > 0 && len - start < 4 &&
         ((unsigned char)s[start] & 0xC0) == 0x80)
    start--;
  size_t n = ss_utf8_decode(s + start, len - start, cp);
  if (start + n != len) { /* not a well-formed sequence: one byte back */
    *cp = 0xFFFD;
    return 1;
  }
  return n;
}

void ss_utf8_encode(int32_t cp, ss_buf *out) {
  char b[4];
  if (cp < 0x80) {
    ss_buf_putc(out, (char)cp);
    return;
  }
  if (cp < 0x800) {
    b[0] = (char)(0xC0 | (cp >> 6));
    b[1] = (char)(0x80 | (cp & 0x3F));
    ss_buf_put(out, b, 2);
  } else if (cp < 0x10000) {
    b[0] = (char)(0xE0 | (cp >> 12));
    b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[2] = (char)(0x80 | (cp & 0x3F));
    ss_buf_put(out, b, 3);
  } else {
    b[0] = (char)(0xF0 | (cp >> 18));
    b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (char)(0x80 | (cp & 0x3F));
    ss_buf_put(out, b, 4);
  }
}

size_t ss_utf8_repair(const char *s, size_t len, ss_buf *out) {
  size_t changed = 0;
  size_t i = 0;
  ss_buf_grow(out, len);
  while (i < len) {
    /* Copy the longest plain-ASCII run at once: the common case. */
    size_t run = i;
    while (run < len && (unsigned char)s[run] < 0x80 && s[run] != '\0')
      run++;
    if (run > i) {
      ss_buf_put(out, s + i, run - i);
      i = run;
      continue;
    }
    if (s[i] == '\0') {
      changed++;
      i++;
      continue;
    }
    int32_t cp;
    size_t n = ss_utf8_decode(s + i, len - i, &cp);
    if (cp == 0xFFFD && n == 1) {
      changed++;
      ss_utf8_encode(0xFFFD, out);
    } else {
      ss_buf_put(out, s + i, n);
    }
    i += n;
  }
  return changed;
}

static bool S_in(int32_t cp, const int32_t (*ranges)[2], size_t count) {
  size_t lo = 0, hi = count;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (cp < ranges[mid][0])
      hi = mid;
    else if (cp > ranges[mid][1])
      lo = mid + 1;
    else
      return true;
  }
  return false;
}

/* East Asian Wide (W) and Fullwidth (F) ranges, coarse but covering the
 * scripts that appear in titles (CJK, Hangul, kana, full-width forms). */
static const int32_t wide_ranges[][2] = {
    {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},
    {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE30, 0xFE4F},
    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

static const int32_t combining_ranges[][2] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
    {0x064B, 0x065F}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x1AB0, 0x1AFF},
    {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x20D0, 0x20FF}, {0xFE20, 0xFE2F},
};

size_t ss_utf8_width(const char *s, size_t len) {
  size_t width = 0, i = 0;
  while (i < len) {
    int32_t cp;
    i += ss_utf8_decode(s + i, len - i, &cp);
    if (S_in(cp, combining_ranges,
             sizeof combining_ranges / sizeof *combining_ranges))
      continue;
    width += S_in(cp, wide_ranges, sizeof wide_ranges / sizeof *wide_ranges)
                 ? 2
                 : 1;
  }
  return width;
}

/* --- classes for inline markup ------------------------------------- */

bool ss_uc_is_space(int32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' ||
         cp == '\f' || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool ss_uc_is_open_punct(int32_t cp) {
  switch (cp) {
  case '\'': case '"': case '<': case '(': case '[': case '{':
    return true;
  }
  return (cp >= 0x2018 && cp <= 0x201F) || cp == 0xAB || cp == 0xBB ||
         cp == 0x2039 || cp == 0x203A || (cp >= 0x3008 && cp <= 0x3011);
}

bool ss_uc_is_close_punct(int32_t cp) {
  switch (cp) {
  case '\'': case '"': case '>': case ')': case ']': case '}':
    return true;
  }
  return (cp >= 0x2018 && cp <= 0x201F) || cp == 0xAB || cp == 0xBB ||
         cp == 0x2039 || cp == 0x203A || (cp >= 0x3008 && cp <= 0x3011);
}

bool ss_uc_is_delimiter(int32_t cp) {
  switch (cp) {
  case '-': case '/': case ':': case '.': case ',': case ';': case '!':
  case '?': case '\\': case '%': case '&': case '#': case '@': case '*':
    return true;
  }
  return (cp >= 0x2010 && cp <= 0x2017) || (cp >= 0x2020 && cp <= 0x2027) ||
         (cp >= 0x2030 && cp <= 0x2038) || cp == 0xA1 || cp == 0xA7 ||
         cp == 0xB6 || cp == 0xB7 || cp == 0xBF || (cp >= 0x3001 && cp <= 0x3003);
}

bool ss_uc_is_alnum(int32_t cp) {
  if (cp < 0x80)
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 'A' && cp <= 'Z');
  return !ss_uc_is_space(cp) && !ss_uc_is_open_punct(cp) &&
         !ss_uc_is_close_punct(cp) && !ss_uc_is_delimiter(cp);
}
