/* utf8.h — UTF-8 decoding, repair, and the character classes that
 * reStructuredText's inline-markup recognition rules are written in. */
#ifndef SS_UTF8_H
#define SS_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buffer.h"

/* Decodes one code point at s[0..len); returns the bytes used (>= 1).
 * Invalid or truncated sequences decode as U+FFFD using one byte. */
size_t ss_utf8_decode(const char *s, size_t len, int32_t *cp);
/* Decodes the code point that ends at s[len-1] (len > 0); returns its
 * byte length. */
size_t ss_utf8_decode_back(const char *s, size_t len, int32_t *cp);
/* Appends the UTF-8 form of a code point. */
void ss_utf8_encode(int32_t cp, ss_buf *out);
/* Copies text to `out`, replacing invalid UTF-8 with U+FFFD and NUL
 * bytes with nothing; returns how many places had to be changed. */
size_t ss_utf8_repair(const char *s, size_t len, ss_buf *out);
/* Display width of a string in columns (East Asian wide and full-width
 * characters count 2, combining marks 0), as Docutils' column_width
 * measures titles. */
size_t ss_utf8_width(const char *s, size_t len);

/* East Asian Wide or Fullwidth (2 columns), and combining (0 columns),
 * as Python's unicodedata tells Docutils. */
bool ss_uc_is_wide(int32_t cp);
bool ss_uc_is_combining(int32_t cp);

/* Unicode classes used by the inline-markup recognition rules. */
bool ss_uc_is_space(int32_t cp);       /* Zs, Zl, Zp and ASCII whitespace */
bool ss_uc_is_open_punct(int32_t cp);  /* Ps, Pi, Pf and ASCII ' " < ( [ { */
bool ss_uc_is_close_punct(int32_t cp); /* Pe, Pi, Pf and ASCII ' " > ) ] } */
bool ss_uc_is_delimiter(int32_t cp);   /* Pd, Po and ASCII - / : */
bool ss_uc_is_alnum(int32_t cp);       /* letters and digits (L*, N*) */
/* True when `open` followed by `close` "quotes" a start-string between
 * them (matching brackets, and the quote pairs of the world's languages). */
bool ss_uc_is_quote_pair(int32_t open, int32_t close);

#endif
