/* highlight.c — where Sphinx's highlighting would give up on a block.
 *
 * Sphinx colours a literal block with the Pygments lexer of its language
 * and, when the lexer yields an error token, warns "Could not lex
 * literal_block as ..." and shows the block plain. specsite does not
 * colour blocks, but a repository's -W build fails on that warning, so
 * the writer knows, for the languages it has a model of, where Pygments
 * (2.14, Debian 12's) finds an error: JSON's lexer, which is a small
 * state machine of its own (pygments.lexers.data.JsonLexer), is modelled
 * here character class for character class. Other languages are never
 * reported. */
#include <stdbool.h>
#include <string.h>

#include "html.h"

/* A character of `s` (UTF-8): its first byte and its length. Pygments
 * reads code points: a multi-byte one is a single character, and one
 * outside ASCII is in none of JSON's classes. */
static size_t S_char(const unsigned char *s, size_t len, size_t i) {
  unsigned char c = s[i];
  size_t n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
  return i + n <= len ? n : len - i;
}

static bool S_in(unsigned char c, const char *set) {
  return c && c < 0x80 && strchr(set, c);
}

/* JsonLexer.get_tokens_unprocessed: false at the first Error token. */
static bool S_json_ok(const unsigned char *s, size_t len) {
  static const char integers[] = "-0123456789", floats[] = ".eE+",
                    constants[] = "truefalsenul",
                    hex[] = "0123456789abcdefABCDEF", punct[] = "{}[],",
                    spaces[] = " \n\r\t";
  enum {
    NONE,
    STRING,
    SPACE,
    CONSTANT,
    NUMBER,
    PUNCT,
    LINE_COMMENT,
    BLOCK_COMMENT,
    SLASH
  } state = NONE;
  bool escape = false, star = false;
  int unicode = 0;
  for (size_t i = 0; i < len;) {
    size_t n = S_char(s, len, i);
    unsigned char c = n == 1 ? s[i] : 0x80; /* any non-ASCII character */
    i += n;
    switch (state) {
    case STRING:
      if (unicode) {
        unicode = S_in(c, hex) ? unicode - 1 : 0;
        escape = unicode != 0 && escape;
        if (!unicode)
          escape = false;
      } else if (escape) {
        if (c == 'u')
          unicode = 4;
        else
          escape = false;
      } else if (c == '\\') {
        escape = true;
      } else if (c == '"') {
        state = NONE;
      }
      continue;
    case SPACE:
      if (S_in(c, spaces))
        continue;
      break;
    case CONSTANT:
      if (S_in(c, constants))
        continue;
      break;
    case NUMBER:
      if (S_in(c, integers) || S_in(c, floats))
        continue;
      break;
    case PUNCT:
      if (S_in(c, punct))
        continue;
      break;
    case LINE_COMMENT:
      if (c != '\n')
        continue;
      break;
    case BLOCK_COMMENT:
      if (c == '*')
        star = true;
      else if (star) {
        star = false;
        if (c == '/')
          state = NONE;
      }
      continue;
    case SLASH:
      if (c == '/') {
        state = LINE_COMMENT;
        continue;
      }
      if (c == '*') {
        state = BLOCK_COMMENT;
        continue;
      }
      return false; /* a lone '/' */
    case NONE:
      break;
    }
    /* A new token starts at c. */
    state = NONE;
    if (c == '"')
      state = STRING, escape = false, unicode = 0;
    else if (S_in(c, spaces))
      state = SPACE;
    else if (c == 'f' || c == 'n' || c == 't')
      state = CONSTANT;
    else if (S_in(c, integers))
      state = NUMBER;
    else if (c == ':' || S_in(c, punct))
      state = PUNCT;
    else if (c == '/')
      state = SLASH;
    else
      return false;
  }
  /* An open string, block comment or lone '/' at the end is an error. */
  return state != STRING && state != BLOCK_COMMENT && state != SLASH;
}

bool ss_html_lexes(const char *language, const char *text, size_t len) {
  if (!language ||
      (strcmp(language, "json") != 0 && strcmp(language, "json-object") != 0))
    return true;
  /* Pygments' get_tokens first: newlines at both ends stripped, CRs read
   * as newlines, one newline added. Only the ends matter here. */
  const unsigned char *s = (const unsigned char *)text;
  while (len > 0 && (s[0] == '\n' || s[0] == '\r'))
    s++, len--;
  return S_json_ok(s, len);
}
