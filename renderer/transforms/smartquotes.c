/* smartquotes.c — Sphinx's SmartQuotes pass (priority 750, Sphinx's
 * default smartquotes_action 'qDe', language "en"): straight quotes
 * become typographic ones, "---" an em dash, "--" an en dash, "..." an
 * ellipsis, in all text except literal, code, math, raw and signature
 * text.
 *
 * Docutils treats each outermost text element (a paragraph, a title, a
 * term, ...) as one stream of text pieces: a quote at the start of a
 * piece is curled by looking at the last character of the piece before
 * it, even when that piece is literal (it then stays untouched but still
 * gives context). The rules below reproduce its sequence of regular
 * expression passes, in their order, over code points; each pass is one
 * linear scan, so a document costs time linear in its text.
 *
 * Not reproduced: a backslash-escaped quote (\") stays straight in
 * Docutils, but our reader's text nodes no longer say which characters
 * were escaped, so such a quote is curled like any other.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "internal.h"

/* The typographic characters of English (Docutils' "en" entry). */
#define SQ_OPEN_PRIMARY 0x201C    /* “ */
#define SQ_CLOSE_PRIMARY 0x201D   /* ” */
#define SQ_OPEN_SECONDARY 0x2018  /* ‘ */
#define SQ_CLOSE_SECONDARY 0x2019 /* ’ */
#define SQ_APOSTROPHE 0x2019      /* ’ */
#define SQ_EN_DASH 0x2013
#define SQ_EM_DASH 0x2014
#define SQ_ELLIPSIS 0x2026

/* A growable array of code points. */
typedef struct {
  int32_t *v;
  size_t len, cap;
} sq_cps;

/* Makes room for `extra` more code points. */
static void S_reserve(sq_cps *a, size_t extra) {
  if (a->len + extra <= a->cap)
    return;
  size_t cap = a->cap ? a->cap : 64;
  while (cap < a->len + extra)
    cap *= 2;
  a->v = ss_xrealloc(a->v, cap * sizeof *a->v);
  a->cap = cap;
}

static void S_push(sq_cps *a, int32_t cp) {
  if (a->len == a->cap)
    S_reserve(a, 1);
  a->v[a->len++] = cp;
}

static int32_t S_at(const sq_cps *a, size_t i) {
  return i < a->len ? a->v[i] : -1;
}

/* --- character classes, as Python's re module sees them ------------- */

/* Python's str.isspace, which is what \s matches. */
static bool S_is_space(int32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 ||
         c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

/* \w: letters, numbers and the underscore. */
static bool S_is_word(int32_t c) {
  return c == '_' || (c >= 0 && ss_uc_is_alnum(c));
}

/* \d: decimal digits (Unicode category Nd, Unicode 14). */
static bool S_is_digit(int32_t c) {
  static const int32_t nd[][2] = {
      {0x30, 0x39},       {0x660, 0x669},     {0x6F0, 0x6F9},
      {0x7C0, 0x7C9},     {0x966, 0x96F},     {0x9E6, 0x9EF},
      {0xA66, 0xA6F},     {0xAE6, 0xAEF},     {0xB66, 0xB6F},
      {0xBE6, 0xBEF},     {0xC66, 0xC6F},     {0xCE6, 0xCEF},
      {0xD66, 0xD6F},     {0xDE6, 0xDEF},     {0xE50, 0xE59},
      {0xED0, 0xED9},     {0xF20, 0xF29},     {0x1040, 0x1049},
      {0x1090, 0x1099},   {0x17E0, 0x17E9},   {0x1810, 0x1819},
      {0x1946, 0x194F},   {0x19D0, 0x19D9},   {0x1A80, 0x1A89},
      {0x1A90, 0x1A99},   {0x1B50, 0x1B59},   {0x1BB0, 0x1BB9},
      {0x1C40, 0x1C49},   {0x1C50, 0x1C59},   {0xA620, 0xA629},
      {0xA8D0, 0xA8D9},   {0xA900, 0xA909},   {0xA9D0, 0xA9D9},
      {0xA9F0, 0xA9F9},   {0xAA50, 0xAA59},   {0xABF0, 0xABF9},
      {0xFF10, 0xFF19},   {0x104A0, 0x104A9}, {0x10D30, 0x10D39},
      {0x11066, 0x1106F}, {0x110F0, 0x110F9}, {0x11136, 0x1113F},
      {0x111D0, 0x111D9}, {0x112F0, 0x112F9}, {0x11450, 0x11459},
      {0x114D0, 0x114D9}, {0x11650, 0x11659}, {0x116C0, 0x116C9},
      {0x11730, 0x11739}, {0x118E0, 0x118E9}, {0x11950, 0x11959},
      {0x11C50, 0x11C59}, {0x11D50, 0x11D59}, {0x11DA0, 0x11DA9},
      {0x16A60, 0x16A69}, {0x16AC0, 0x16AC9}, {0x16B50, 0x16B59},
      {0x1D7CE, 0x1D7FF}, {0x1E140, 0x1E149}, {0x1E2F0, 0x1E2F9},
      {0x1E950, 0x1E959}, {0x1FBF0, 0x1FBF9}};
  if (c < 0x80)
    return c >= '0' && c <= '9';
  for (size_t i = 0; i < sizeof nd / sizeof nd[0]; i++)
    if (c >= nd[i][0] && c <= nd[i][1])
      return true;
  return false;
}

/* Docutils' "punct" class: ASCII punctuation except '&', and the space. */
static bool S_is_punct(int32_t c) {
  return c >= 0 && c < 0x80 && c != '&' &&
         (c == ' ' || (c > ' ' && c < 0x7F &&
                       !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                         (c >= 'A' && c <= 'Z'))));
}

static bool S_is_open(int32_t c) { return c == '(' || c == '[' || c == '{'; }

/* Whether a[0..end) ends with the ASCII string s. */
static bool S_ends_with(const sq_cps *a, size_t end, const char *s) {
  size_t n = strlen(s);
  if (n > end)
    return false;
  for (size_t i = 0; i < n; i++)
    if (a->v[end - n + i] != (unsigned char)s[i])
      return false;
  return true;
}

/* What may stand before an opening quote: an opening bracket, a dash
 * (also written as an HTML entity), or — when `sep` — a separator. */
static bool S_opener_before(const sq_cps *a, size_t i, bool sep) {
  if (i == 0)
    return false;
  int32_t c = a->v[i - 1];
  if (S_is_open(c) || c == '-' || c == SQ_EN_DASH || c == SQ_EM_DASH)
    return true;
  if (c == ';' &&
      (S_ends_with(a, i, "&mdash;") || S_ends_with(a, i, "&ndash;") ||
       S_ends_with(a, i, "&#8211;") || S_ends_with(a, i, "&#8212;") ||
       S_ends_with(a, i, "&#x2013;") || S_ends_with(a, i, "&#x2014;")))
    return true;
  if (!sep)
    return false;
  return S_is_space(c) || c == 0x200B || c == 0x200C ||
         (c == ';' && S_ends_with(a, i, "&nbsp;"));
}

/* --- the passes ------------------------------------------------------ */

/* Replaces every non-overlapping occurrence of the ASCII string `pat`,
 * left to right, by `rep` (rep_len code points). */
static void S_replace(sq_cps *a, sq_cps *tmp, const char *pat,
                      const int32_t *rep, size_t rep_len) {
  size_t n = strlen(pat);
  int32_t p0 = (unsigned char)pat[0];
  /* Most pieces have no occurrence: find the first one before copying. */
  size_t first = a->len;
  for (size_t i = 0; i + n <= a->len; i++) {
    if (a->v[i] != p0)
      continue;
    size_t k = 1;
    while (k < n && a->v[i + k] == (unsigned char)pat[k])
      k++;
    if (k == n) {
      first = i;
      break;
    }
  }
  if (first == a->len)
    return;
  tmp->len = 0;
  S_reserve(tmp, a->len);
  memcpy(tmp->v, a->v, first * sizeof *a->v);
  tmp->len = first;
  for (size_t i = first; i < a->len;) {
    size_t k = 0;
    if (a->v[i] == p0)
      while (k < n && i + k < a->len && a->v[i + k] == (unsigned char)pat[k])
        k++;
    if (k == n) {
      for (size_t j = 0; j < rep_len; j++)
        S_push(tmp, rep[j]);
      i += n;
    } else {
      S_push(tmp, a->v[i++]);
    }
  }
  sq_cps t = *a;
  *a = *tmp;
  *tmp = t;
}

static void S_replace1(sq_cps *a, sq_cps *tmp, const char *pat, int32_t cp) {
  S_replace(a, tmp, pat, &cp, 1);
}

/* Docutils protects a backslash (and what it escapes) by turning it into
 * a numeric character reference before the passes, and turns every such
 * reference back afterwards — also ones the author typed. */
static const char *const sq_refs[][2] = {{"&#92;", "\\"}, {"&#34;", "\""},
                                         {"&#39;", "'"},  {"&#46;", "."},
                                         {"&#45;", "-"},  {"&#96;", "`"}};

static void S_protect(sq_cps *a, sq_cps *tmp) {
  static const int32_t ref[] = {'&', '#', '9', '2', ';'};
  S_replace(a, tmp, "\\", ref, 5);
}

static void S_restore(sq_cps *a, sq_cps *tmp) {
  for (size_t i = 0; i < sizeof sq_refs / sizeof sq_refs[0]; i++)
    S_replace1(a, tmp, sq_refs[i][0], (unsigned char)sq_refs[i][1][0]);
}

/* Two quotes of different kinds before a word: the outer opens, the
 * inner opens ("'Quoted' words"). */
static void S_adjacent_quotes(sq_cps *a) {
  for (int pass = 0; pass < 2; pass++) {
    int32_t first = pass ? '\'' : '"', second = pass ? '"' : '\'';
    for (size_t i = 0; i + 1 < a->len; i++)
      if (a->v[i] == first && a->v[i + 1] == second &&
          S_is_word(S_at(a, i + 2))) {
        a->v[i] = pass ? SQ_OPEN_SECONDARY : SQ_OPEN_PRIMARY;
        a->v[i + 1] = pass ? SQ_OPEN_PRIMARY : SQ_OPEN_SECONDARY;
        i++;
      }
  }
}

/* After a bracket or dash and before (punctuation and) a space, a quote
 * closes: "(' " or "--" ". */
static void S_closing_after_opener(sq_cps *a, int32_t q, int32_t close) {
  for (size_t i = 1; i < a->len; i++) {
    if (a->v[i] != q || !S_opener_before(a, i, false))
      continue;
    int32_t n1 = S_at(a, i + 1);
    if (n1 == ' ' || (S_is_punct(n1) && S_at(a, i + 2) == ' '))
      a->v[i] = close;
  }
}

/* After a separator, bracket or dash and before a word character or
 * punctuation, a quote opens. */
static void S_opening(sq_cps *a, int32_t q, int32_t open) {
  for (size_t i = 1; i < a->len; i++) {
    if (a->v[i] != q || !S_opener_before(a, i, true))
      continue;
    int32_t n1 = S_at(a, i + 1);
    if (S_is_word(n1) || S_is_punct(n1))
      a->v[i] = open;
  }
}

/* The quote rules for English; a[0] is the context character (the last
 * character of the text before), never itself a quote. */
static void S_educate_quotes(sq_cps *a) {
  /* Docutils' rules for a quote at the very start cannot fire: the start
   * is the context character. */
  S_adjacent_quotes(a);
  S_closing_after_opener(a, '\'', SQ_CLOSE_SECONDARY);
  S_closing_after_opener(a, '"', SQ_CLOSE_PRIMARY);
  /* decades: '80s */
  for (size_t i = 0; i < a->len; i++)
    if (a->v[i] == '\'' && S_is_digit(S_at(a, i + 1)) &&
        S_is_digit(S_at(a, i + 2)) && S_at(a, i + 3) == 's')
      a->v[i] = SQ_APOSTROPHE;
  S_opening(a, '\'', SQ_OPEN_SECONDARY);
  /* (English closes secondary quotes with the apostrophe, so Docutils'
   * apostrophe-between-letters rule changes nothing here.) */
  for (size_t i = 0; i < a->len; i++)
    if (a->v[i] == '\'')
      a->v[i] = (i > 0 && S_is_space(a->v[i - 1])) ? SQ_OPEN_SECONDARY
                                                   : SQ_CLOSE_SECONDARY;
  S_opening(a, '"', SQ_OPEN_PRIMARY);
  for (size_t i = 0; i < a->len; i++)
    if (a->v[i] == '"') {
      bool close = (i > 0 && !S_is_space(a->v[i - 1])) || i == 0 ||
                   (i + 1 < a->len && S_is_space(a->v[i + 1]));
      a->v[i] = close ? SQ_CLOSE_PRIMARY : SQ_OPEN_PRIMARY;
    }
}

/* Educates one plain piece of text; `context` is the last character of
 * the piece before. The result replaces the node's text. */
static void S_educate(ss_node *text, int32_t context, sq_cps *a, sq_cps *tmp,
                      ss_buf *out) {
  /* Every pattern of the passes is ASCII and every replacement but the
   * protecting references is not, and the text is well-formed UTF-8
   * (whose multi-byte sequences hold no ASCII byte): which passes can
   * change anything is known from the bytes, before decoding. */
  const char *t = text->text;
  size_t tl = text->text_len;
  bool quotes = false, dashes = false, dots = false, spaced_dots = false,
       refs = false;
  /* One pass over the bytes, stopping only at the few that start a
   * pattern. */
  for (size_t i = 0; i < tl; i++) {
    /* strcspn finds the next candidate many bytes at a time (the text
     * ends with a NUL; one inside it just restarts the search). */
    i += strcspn(t + i, "'\"\\&-.");
    if (i >= tl)
      break;
    switch (t[i]) {
    case '\'':
    case '"':
      quotes = true;
      break;
    case '\\':
      refs = true;
      break;
    case '&':
      refs = refs || (i + 1 < tl && t[i + 1] == '#');
      break;
    case '-':
      dashes = dashes || (i + 1 < tl && t[i + 1] == '-');
      break;
    case '.':
      dots = dots || (i + 2 < tl && t[i + 1] == '.' && t[i + 2] == '.');
      spaced_dots =
          spaced_dots || (i + 4 < tl && memcmp(t + i, ". . .", 5) == 0);
      break;
    default:
      break;
    }
  }
  if (!quotes && !dashes && !dots && !spaced_dots && !refs)
    return; /* nothing any pass could change */
  a->len = 0;
  S_reserve(a, tl + 1);
  for (size_t i = 0; i < tl;) {
    int32_t cp;
    if ((unsigned char)t[i] < 0x80)
      cp = (unsigned char)t[i++];
    else
      i += ss_utf8_decode(t + i, tl - i, &cp);
    a->v[a->len++] = cp;
  }
  /* Dashes and ellipses apply to the text alone; the context character
   * joins it for the quote rules only. */
  if (refs)
    S_protect(a, tmp);
  if (dashes) {
    S_replace1(a, tmp, "---", SQ_EM_DASH);
    S_replace1(a, tmp, "--", SQ_EN_DASH);
  }
  if (dots)
    S_replace1(a, tmp, "...", SQ_ELLIPSIS);
  if (spaced_dots)
    S_replace1(a, tmp, ". . .", SQ_ELLIPSIS);
  if (quotes) {
    S_push(a, 0);
    memmove(a->v + 1, a->v, (a->len - 1) * sizeof *a->v);
    a->v[0] = context == '"' || context == '\'' ? ';' : context;
    S_educate_quotes(a);
    memmove(a->v, a->v + 1, (a->len - 1) * sizeof *a->v);
    a->len--;
  }
  if (refs)
    S_restore(a, tmp);
  out->len = 0;
  ss_buf_grow(out, a->len);
  for (size_t i = 0; i < a->len; i++) {
    if (a->v[i] >= 0 && a->v[i] < 0x80) {
      ss_buf_putc(out, (char)a->v[i]);
    } else {
      ss_utf8_encode(a->v[i], out);
    }
  }
  if (out->len != text->text_len ||
      memcmp(out->data ? out->data : "", text->text, out->len) != 0)
    ss_text_set(text, out->data ? out->data : "", out->len);
}

/* --- which text is educated ------------------------------------------ */

/* Docutils' TextElement kinds: elements whose content is text. */
static bool S_is_text_element(ss_kind k) {
  switch (k) {
  case SS_TITLE:
  case SS_SUBTITLE:
  case SS_RUBRIC:
  case SS_PARAGRAPH:
  case SS_LITERAL_BLOCK:
  case SS_LINE:
  case SS_ATTRIBUTION:
  case SS_DOCTEST_BLOCK:
  case SS_TERM:
  case SS_CLASSIFIER:
  case SS_FIELD_NAME:
  case SS_OPTION_STRING:
  case SS_OPTION_ARGUMENT:
  case SS_COMMENT:
  case SS_TARGET:
  case SS_LABEL:
  case SS_SUBSTITUTION_DEFINITION:
  case SS_CAPTION:
  case SS_RAW:
  case SS_MATH_BLOCK:
  case SS_EMPHASIS:
  case SS_STRONG:
  case SS_LITERAL:
  case SS_REFERENCE:
  case SS_FOOTNOTE_REFERENCE:
  case SS_CITATION_REFERENCE:
  case SS_SUBSTITUTION_REFERENCE:
  case SS_TITLE_REFERENCE:
  case SS_ABBREVIATION:
  case SS_ACRONYM:
  case SS_SUPERSCRIPT:
  case SS_SUBSCRIPT:
  case SS_MATH:
  case SS_INLINE:
  case SS_PROBLEMATIC:
  case SS_GENERATED:
  case SS_COMPACT_PARAGRAPH:
  case SS_INDEX:
  case SS_DESC_SIGNATURE:
  case SS_DESC_NAME:
  case SS_DESC_ADDNAME:
  case SS_DESC_PARAMETERLIST:
  case SS_DESC_PARAMETER:
  case SS_DESC_ANNOTATION:
  case SS_DESC_INLINE:
  case SS_LITERAL_STRONG:
  case SS_LITERAL_EMPHASIS:
  case SS_VERSIONMODIFIED:
  case SS_CENTERED:
    return true;
  default:
    return false;
  }
}

/* Text elements Docutils never educates as a whole: preformatted
 * (FixedTextElement) and special ones. */
static bool S_is_skipped_block(ss_kind k) {
  switch (k) {
  case SS_LITERAL_BLOCK:
  case SS_DOCTEST_BLOCK:
  case SS_MATH_BLOCK:
  case SS_COMMENT:
  case SS_RAW:
  case SS_TARGET:
  case SS_SUBSTITUTION_DEFINITION:
  case SS_DESC_NAME:
  case SS_DESC_ADDNAME:
  case SS_DESC_PARAMETERLIST:
  case SS_DESC_PARAMETER:
  case SS_DESC_ANNOTATION:
    return true;
  default:
    return false;
  }
}

/* Sphinx's non-smartquotable ancestors: text below one of these keeps
 * its characters (but still gives context to the text after it). */
static bool S_is_literal_parent(const ss_node *n) {
  switch (n->kind) {
  case SS_LITERAL_BLOCK:
  case SS_DOCTEST_BLOCK:
  case SS_MATH_BLOCK:
  case SS_COMMENT:
  case SS_RAW:
  case SS_LITERAL:
  case SS_MATH:
  case SS_IMAGE:
  case SS_PROBLEMATIC:
  case SS_DESC_SIGNATURE:
  case SS_DESC_NAME:
  case SS_DESC_ADDNAME:
  case SS_DESC_PARAMETERLIST:
  case SS_DESC_PARAMETER:
  case SS_DESC_ANNOTATION:
  case SS_DESC_INLINE:
  case SS_LITERAL_STRONG:
  case SS_LITERAL_EMPHASIS:
  /* Sphinx marks citation references and citation labels so. */
  case SS_CITATION_REFERENCE:
    return true;
  case SS_LABEL:
    return n->parent && n->parent->kind == SS_CITATION;
  default:
    return false;
  }
}

typedef struct {
  int32_t context; /* last character of the previous piece */
  sq_cps a, tmp;
  ss_buf out;
} sq_state;

/* One piece of a stream: literal pieces only pass their last character
 * on; option strings take no part at all. */
static void S_piece(sq_state *st, ss_node *text, bool literal) {
  if (text->text_len == 0 ||
      (text->parent && text->parent->kind == SS_OPTION_STRING))
    return;
  int32_t last;
  ss_utf8_decode_back(text->text, text->text_len, &last);
  if (!literal)
    S_educate(text, st->context, &st->a, &st->tmp, &st->out);
  st->context = last;
}

static int S_literal_ancestors(const ss_node *n) {
  int count = 0;
  for (; n; n = n->parent)
    count += S_is_literal_parent(n);
  return count;
}

/* Educates the stream of one text element, walked on its own (a text
 * element below a non-text element inside another one: Docutils
 * educates it twice, once with its outer element and once alone). */
static void S_block_alone(sq_state *st, ss_node *block) {
  int literal = S_literal_ancestors(block->parent);
  st->context = ' ';
  ss_iter it;
  ss_iter_init(&it, block);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (n->kind == SS_TEXT) {
      if (ev == SS_EVENT_ENTER)
        S_piece(st, n, literal > 0);
    } else if (S_is_literal_parent(n)) {
      literal += ev == SS_EVENT_ENTER ? 1 : -1;
    }
  }
}

void tx_pass_smartquotes(ss_tx *tx) {
  sq_state st;
  memset(&st, 0, sizeof st);
  tx_list again = {0};
  ss_node *block = NULL; /* the outermost text element being educated */
  int literal = 0;       /* literal ancestors of the current node */
  ss_iter it;
  ss_iter_init(&it, tx->document);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (n->kind == SS_TEXT) {
      if (ev == SS_EVENT_ENTER && block)
        S_piece(&st, n, literal > 0);
      continue;
    }
    if (S_is_literal_parent(n))
      literal += ev == SS_EVENT_ENTER ? 1 : -1;
    if (ev == SS_EVENT_EXIT) {
      if (n == block)
        block = NULL;
      continue;
    }
    if (n->kind == SS_SYSTEM_MESSAGE && !block) {
      /* A problem report reads as Docutils wrote it (and as on stderr);
       * Sphinx drops them from its trees after educating them. */
      ss_iter_skip_children(&it);
      continue;
    }
    if (!S_is_text_element(n->kind) ||
        (n->parent && S_is_text_element(n->parent->kind)))
      continue;
    if (S_is_skipped_block(n->kind)) {
      if (!block) {
        /* The iterator gives no EXIT for a node whose children it skips. */
        ss_iter_skip_children(&it);
        literal -= S_is_literal_parent(n);
      }
    } else if (block) {
      tx_list_push(&again, n);
    } else {
      block = n;
      st.context = ' ';
    }
  }
  for (size_t i = 0; i < again.len; i++)
    S_block_alone(&st, again.items[i]);
  tx_list_free(&again);
  free(st.a.v);
  free(st.tmp.v);
  ss_buf_free(&st.out);
}
