/* confpy.c — Sphinx's conf.py read as data, never executed (confpy.h).
 *
 * One tokenizer (S_next: Python 3's tokens, with brackets counted as
 * Python's tokenizer counts them, so a statement's end is known without
 * parsing it) and one recursive-descent evaluator whose every recursion
 * counts against SS_CONFPY_MAX_DEPTH. The tokenizer's whole state is one
 * small struct, so a statement is read from a saved state up to three
 * times: to classify it (S_classify), to evaluate and bind it, and to
 * find the names it may change otherwise (S_taints). A failure anywhere
 * only means "unreadable": nothing needs to be unwound but the values
 * made so far, and every path frees its own.
 *
 * Every value is paid for before it is made (S_charge), which bounds
 * both memory and time: work that makes nothing is bounded by the input
 * or by values already paid for.
 */
#include "confpy.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buffer.h"
#include "../util/digest.h"
#include "../util/utf8.h"

#define S_MAX SS_CONFPY_MAX_VALUE
#define S_MAX_DEPTH SS_CONFPY_MAX_DEPTH

/* ---- Tokens ---------------------------------------------------------- */

enum { T_EOF, T_NEWLINE, T_NAME, T_NUM, T_STR, T_OP, T_ERR };

typedef struct {
  int kind;
  const char *s;
  size_t len;
  int line;
  int col;   /* indentation when first on its logical line, else -1 */
  int depth; /* brackets open before it */
} S_tok;

typedef struct {
  const char *p, *end;
  int line, depth;
  bool bol;     /* at the start of a logical line */
  bool pending; /* the logical line has tokens: a NEWLINE is owed */
  S_tok tok;    /* the current token */
} S_lex;

/* The first byte is compared first: most comparisons end there. */
static bool S_is(const S_tok *t, const char *op) {
  return t->kind == T_OP && *t->s == *op && t->len == strlen(op) &&
         memcmp(t->s, op, t->len) == 0;
}

static bool S_is_name(const S_tok *t, const char *w) {
  return t->kind == T_NAME && *t->s == *w && t->len == strlen(w) &&
         memcmp(t->s, w, t->len) == 0;
}

static bool S_is_one_of(const S_tok *t, const char *const *words) {
  for (; *words; words++)
    if (S_is_name(t, *words))
      return true;
  return false;
}

static const char *const S_keywords[] = {
    "False",  "None",     "True",  "and",    "as",       "assert",
    "async",  "await",    "break", "class",  "continue", "def",
    "del",    "elif",     "else",  "except", "finally",  "for",
    "from",   "global",   "if",    "import", "in",       "is",
    "lambda", "nonlocal", "not",   "or",     "pass",     "raise",
    "return", "try",      "while", "with",   "yield",    NULL};

static bool S_keyword(const S_tok *t) { /* they are 2 to 8 letters */
  return t->kind == T_NAME && t->len >= 2 && t->len <= 8 &&
         S_is_one_of(t, S_keywords);
}

/* Bytes of identifiers: non-ASCII ones are letters to Python. */
static bool S_name_char(char ch) {
  unsigned char c = (unsigned char)ch;
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c >= 0x80;
}

static bool S_digit(char c) { return c >= '0' && c <= '9'; }

static bool S_hexdigit(char c) {
  return S_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* A string prefix Python 3 accepts: r u f b, rb br fr rf in any case. */
static bool S_prefix(const char *s, size_t n) {
  char a = (char)(s[0] | 0x20), b = n > 1 ? (char)(s[1] | 0x20) : 0;
  if (n == 1)
    return a == 'r' || a == 'u' || a == 'f' || a == 'b';
  return n == 2 && ((a == 'r' && (b == 'b' || b == 'f')) ||
                    (b == 'r' && (a == 'b' || a == 'f')));
}

/* Scans a string literal from its opening quote; false when it is not
 * closed (a newline in a one-line string, or the end of the file). */
static bool S_scan_string(S_lex *l, const char **pp) {
  const char *p = *pp, *end = l->end;
  char q = *p;
  bool triple = end - p >= 3 && p[1] == q && p[2] == q;
  for (p += triple ? 3 : 1; p < end; p++) {
    if (*p == '\\' && p + 1 < end) {
      p++;
      if (*p == '\r' && p + 1 < end && p[1] == '\n')
        p++;
      if (*p == '\n' || *p == '\r')
        l->line++;
    } else if (*p == q &&
               (!triple || (end - p >= 3 && p[1] == q && p[2] == q))) {
      *pp = p + (triple ? 3 : 1);
      return true;
    } else if (*p == '\n' || *p == '\r') {
      if (!triple)
        break;
      if (*p == '\r' && p + 1 < end && p[1] == '\n')
        p++;
      l->line++;
    }
  }
  *pp = p;
  return false;
}

/* Scans a number as Python's tokenizer takes it; S_number judges it. */
static const char *S_scan_number(const char *p, const char *end) {
  if (*p == '0' && end - p > 1 && p[1] && strchr("xXoObB", p[1])) {
    for (p += 2; p < end && (S_hexdigit(*p) || *p == '_'); p++)
      ;
    return p;
  }
  while (p < end && (S_digit(*p) || *p == '_'))
    p++;
  if (p < end && *p == '.')
    for (p++; p < end && (S_digit(*p) || *p == '_'); p++)
      ;
  if (p < end && (*p == 'e' || *p == 'E')) {
    const char *q = p + 1;
    if (q < end && (*q == '+' || *q == '-'))
      q++;
    if (q < end && S_digit(*q))
      for (p = q; p < end && (S_digit(*p) || *p == '_'); p++)
        ;
  }
  if (p < end && (*p == 'j' || *p == 'J'))
    p++;
  return p;
}

static size_t S_op_len(const char *p, size_t n) {
  static const char *const ops[] = {
      "**=", "//=", ">>=", "<<=", "...", "**", "//", "<<", ">>",
      "<=",  ">=",  "==",  "!=",  "->",  "+=", "-=", "*=", "/=",
      "%=",  "&=",  "|=",  "^=",  "@=",  ":=", NULL};
  for (const char *const *o = ops; n > 1 && *o; o++) {
    size_t k = **o == *p ? strlen(*o) : 0;
    if (k && k <= n && memcmp(p, *o, k) == 0)
      return k;
  }
  return *p && strchr("+-*/%@&|^~<>()[]{},:.;=", *p) ? 1 : 0;
}

/* Moves to the next token. Newlines inside brackets, blank lines,
 * comments and backslash continuations make no token, as in Python. */
static void S_next(S_lex *l) {
  const char *p = l->p, *end = l->end;
  S_tok *t = &l->tok;
  int col = 0;
  for (;;) {
    for (; p < end && (*p == ' ' || *p == '\t' || *p == '\f'); p++)
      col = *p == '\t' ? (col / 8 + 1) * 8 : *p == '\f' ? 0 : col + 1;
    if (p < end && *p == '#')
      while (p < end && *p != '\n' && *p != '\r')
        p++;
    if (p + 1 < end && *p == '\\' && (p[1] == '\n' || p[1] == '\r')) {
      p += p[1] == '\r' && p + 2 < end && p[2] == '\n' ? 3 : 2;
      l->line++;
      continue;
    }
    if (p == end || (*p != '\n' && *p != '\r'))
      break;
    p += *p == '\r' && p + 1 < end && p[1] == '\n' ? 2 : 1;
    int line = l->line++;
    col = 0;
    if (l->pending && l->depth == 0) {
      *t = (S_tok){T_NEWLINE, p, 0, line, -1, 0};
      l->pending = false, l->bol = true, l->p = p;
      return;
    }
  }
  if (p == end) {
    *t = (S_tok){l->pending ? T_NEWLINE : T_EOF, p, 0, l->line, -1, 0};
    l->pending = false, l->bol = true, l->p = p;
    return;
  }
  *t = (S_tok){T_ERR, p, 0, l->line, l->bol ? col : -1, l->depth};
  l->bol = false, l->pending = true;
  size_t n;
  if (S_name_char(*p) && !S_digit(*p)) {
    const char *q = p;
    while (q < end && S_name_char(*q))
      q++;
    t->kind = T_NAME;
    if (q < end && (*q == '\'' || *q == '"') && S_prefix(p, (size_t)(q - p)))
      t->kind = S_scan_string(l, &q) ? T_STR : T_ERR;
    p = q;
  } else if (S_digit(*p) || (*p == '.' && p + 1 < end && S_digit(p[1]))) {
    t->kind = T_NUM;
    p = S_scan_number(p, end);
  } else if (*p == '\'' || *p == '"') {
    t->kind = S_scan_string(l, &p) ? T_STR : T_ERR;
  } else if ((n = S_op_len(p, (size_t)(end - p)))) {
    t->kind = T_OP;
    if (strchr("([{", *p))
      l->depth++;
    else if (strchr(")]}", *p) && l->depth > 0)
      l->depth--;
    p += n;
  } else {
    p++; /* NUL, '$', '?', a stray backslash ...: an error token */
  }
  t->len = (size_t)(p - t->s);
  l->p = p;
}

/* ---- Hash index ------------------------------------------------------ */

/* Open addressing over positions in some array (names, dict keys), so
 * that a hostile file with many names or keys stays linear. */
typedef struct {
  uint64_t h;
  size_t i; /* position + 1; 0 = empty */
} S_slot;

typedef struct {
  S_slot *s;
  size_t cap, n;
} S_index;

typedef bool (*S_same_fn)(const void *ctx, size_t i);

static void S_index_reserve(S_index *x) {
  if (2 * (x->n + 1) <= x->cap)
    return;
  size_t cap = x->cap ? 2 * x->cap : 16;
  S_slot *s = ss_xcalloc(cap, sizeof *s);
  for (size_t k = 0; k < x->cap; k++) {
    if (!x->s[k].i)
      continue;
    size_t j = x->s[k].h & (cap - 1);
    while (s[j].i)
      j = (j + 1) & (cap - 1);
    s[j] = x->s[k];
  }
  free(x->s);
  x->s = s, x->cap = cap;
}

/* The slot of the position `same` accepts for hash h, or the empty slot
 * where it would go; NULL for an index never reserved. */
static S_slot *S_index_find(const S_index *x, uint64_t h, S_same_fn same,
                            const void *ctx) {
  if (!x->cap)
    return NULL;
  for (size_t k = h & (x->cap - 1);; k = (k + 1) & (x->cap - 1)) {
    S_slot *s = &x->s[k];
    if (!s->i || (s->h == h && same(ctx, s->i - 1)))
      return s;
  }
}

/* ---- Values ---------------------------------------------------------- */

static void S_free(ss_py_value *v) {
  free(v->str);
  for (size_t i = 0; i < v->n; i++)
    S_free(&v->items[i]);
  free(v->items);
  *v = (ss_py_value){0};
}

/* Bytes a value takes, and its nesting (0 for a scalar). Recursion is
 * bounded: no value is made deeper than SS_CONFPY_MAX_DEPTH. */
static size_t S_size(const ss_py_value *v, int *depth) {
  size_t n = sizeof *v + (v->kind == SS_PY_STR ? v->len + 1 : 0);
  int d = 0;
  for (size_t i = 0; i < v->n; i++) {
    int id;
    n += S_size(&v->items[i], &id);
    d = id > d ? id : d;
  }
  *depth = v->kind >= SS_PY_LIST ? d + 1 : 0;
  return n;
}

static void S_copy_raw(const ss_py_value *v, ss_py_value *out) {
  *out = *v;
  if (v->kind == SS_PY_STR)
    out->str = ss_xstrndup(v->str, v->len);
  if (v->n) {
    out->items = ss_xmalloc(v->n * sizeof *v->items);
    for (size_t i = 0; i < v->n; i++)
      S_copy_raw(&v->items[i], &out->items[i]);
  }
}

static bool S_is_int(const ss_py_value *v) {
  return v->kind == SS_PY_BOOL || v->kind == SS_PY_INT;
}

static bool S_is_num(const ss_py_value *v) {
  return S_is_int(v) || v->kind == SS_PY_FLOAT;
}

static bool S_is_seq(const ss_py_value *v) {
  return v->kind == SS_PY_STR || v->kind == SS_PY_LIST ||
         v->kind == SS_PY_TUPLE;
}

static int64_t S_int_of(const ss_py_value *v) {
  return v->kind == SS_PY_BOOL ? v->b : v->i;
}

/* A number as an int64 when it is integral (true; 1, 1.0 and True are
 * one dict key in Python), else as a double. */
static bool S_as_int(const ss_py_value *v, int64_t *i, double *f) {
  if (S_is_int(v)) {
    *i = S_int_of(v);
    return true;
  }
  *f = v->f;
  if (v->f >= -9223372036854775808.0 && v->f < 9223372036854775808.0 &&
      (double)(int64_t)v->f == v->f) {
    *i = (int64_t)v->f;
    return true;
  }
  return false;
}

/* Python's hash() for the hashable kinds: false for list, dict, set. */
static bool S_hash(const ss_py_value *v, uint64_t *h) {
  int64_t i;
  double f;
  if (S_is_num(v)) {
    *h = S_as_int(v, &i, &f) ? ss_digest(SS_DIGEST_INIT, &i, sizeof i)
                             : ss_digest(2, &f, sizeof f);
    return true;
  }
  if (v->kind == SS_PY_STR) {
    *h = ss_digest(3, v->str, v->len);
    return true;
  }
  *h = 4; /* None, and tuples of hashable items */
  for (size_t k = 0; k < v->n; k++) {
    uint64_t ih;
    if (!S_hash(&v->items[k], &ih))
      return false;
    *h = ss_digest(*h, &ih, sizeof ih);
  }
  return v->kind == SS_PY_NONE || v->kind == SS_PY_TUPLE;
}

/* Python's == for hashable values (dict keys, set members). */
static bool S_equal(const ss_py_value *a, const ss_py_value *b) {
  if (S_is_num(a) && S_is_num(b)) {
    int64_t ia = 0, ib = 0;
    double fa = 0, fb = 0;
    bool xa = S_as_int(a, &ia, &fa), xb = S_as_int(b, &ib, &fb);
    return xa && xb ? ia == ib : !xa && !xb && fa == fb;
  }
  if (a->kind != b->kind)
    return false;
  if (a->kind == SS_PY_STR)
    return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
  if (a->kind != SS_PY_NONE && a->kind != SS_PY_TUPLE)
    return false;
  if (a->n != b->n)
    return false;
  for (size_t k = 0; k < a->n; k++)
    if (!S_equal(&a->items[k], &b->items[k]))
      return false;
  return true;
}

/* ---- The reader's state, names ---------------------------------------- */

typedef struct {
  char *name;
  size_t len;
  ss_py_value *value; /* NULL: unreadable */
  size_t size;        /* S_size of value, so copies are paid before made */
  int line;           /* the statement that made it unreadable */
  const char **strs;  /* ss_confpy_strings' answer */
  size_t nstrs;
} S_entry;

struct ss_confpy {
  S_entry *e;
  size_t n, cap;
  S_index ix;
  int overflow; /* line from which new names could no longer be kept */
};

/* A target as parsed: a name, a changed name (a.b, a[i]), a group of
 * the n targets after it, a starred target, or anything else. Targets
 * are parsed into a flat list (each node knows its subtree's size)
 * before anything is bound, because unpacking needs a group's length
 * before its first item: counting ahead instead would read a nested
 * group once per level. */
typedef struct {
  char kind;   /* 'n' name, 'c' changed, 'g' group, '*' starred, '?' other */
  bool unpack; /* a group with a comma, or in [] */
  bool broken; /* a starred or malformed item: not unpacked */
  const char *s;
  size_t len, n, size;
} S_tnode;

typedef struct {
  S_tnode *v;
  size_t n, cap;
  bool cut; /* more targets than any value has parts: none is read */
} S_tlist;

typedef struct {
  ss_confpy *c;
  S_lex lx;
  S_tlist tl;  /* the current segment's targets */
  size_t made; /* bytes charged against SS_CONFPY_BUDGET */
  int depth;   /* recursion in the current statement */
  int line;    /* the current statement's first line */
} S_parser;

#define TOK (p->lx.tok)

static void S_advance(S_parser *p) { S_next(&p->lx); }

/* Pays for n bytes about to be made. Once the budget is short, it stays
 * spent: nothing more is made, and no more work is done to try. */
static bool S_charge(S_parser *p, size_t n) {
  if (n > SS_CONFPY_BUDGET - p->made) {
    p->made = SS_CONFPY_BUDGET;
    return false;
  }
  p->made += n;
  return true;
}

/* What formatting may still write: one value's room, or the budget's. */
static size_t S_room(const S_parser *p) {
  size_t left = SS_CONFPY_BUDGET - p->made;
  size_t one = S_MAX - sizeof(ss_py_value) - 1;
  return left < one ? left : one;
}

typedef struct {
  const S_entry *e;
  const char *name;
  size_t len;
} S_name_ctx;

static bool S_same_name(const void *ctx, size_t i) {
  const S_name_ctx *k = ctx;
  return k->e[i].len == k->len && memcmp(k->e[i].name, k->name, k->len) == 0;
}

static S_entry *S_find(const ss_confpy *c, const char *name, size_t len) {
  S_name_ctx k = {c->e, name, len};
  S_slot *s = S_index_find(&c->ix, ss_digest(SS_DIGEST_INIT, name, len),
                           S_same_name, &k);
  return s && s->i ? &c->e[s->i - 1] : NULL;
}

/* Gives `name` the value v (taken), or makes it unreadable (v NULL). */
static void S_set(S_parser *p, const char *name, size_t len, ss_py_value *v) {
  ss_confpy *c = p->c;
  S_entry *e = S_find(c, name, len);
  if (!e) {
    if (!S_charge(p, sizeof *e + len + 1 + 2 * sizeof(S_slot))) {
      if (!c->overflow)
        c->overflow = p->line;
      if (v)
        S_free(v);
      return;
    }
    uint64_t h = ss_digest(SS_DIGEST_INIT, name, len);
    S_index_reserve(&c->ix);
    S_name_ctx k = {c->e, name, len};
    S_slot *s = S_index_find(&c->ix, h, S_same_name, &k);
    if (c->n == c->cap) {
      c->cap = c->cap ? 2 * c->cap : 64;
      c->e = ss_xrealloc(c->e, c->cap * sizeof *c->e);
    }
    e = &c->e[c->n];
    *e = (S_entry){.name = ss_xstrndup(name, len), .len = len};
    *s = (S_slot){h, ++c->n};
    c->ix.n++;
  }
  if (e->value) {
    S_free(e->value);
    free(e->value);
    e->value = NULL;
  }
  e->line = p->line;
  if (v) {
    int d;
    e->size = S_size(v, &d);
    e->value = ss_xmalloc(sizeof *v);
    *e->value = *v;
    e->line = 0;
  }
}

/* ---- Making values --------------------------------------------------- */

static bool S_scalar(S_parser *p, ss_py_kind kind, ss_py_value *out) {
  *out = (ss_py_value){.kind = kind};
  return S_charge(p, sizeof *out);
}

/* A str of len bytes, paid for, for the caller to fill. */
static bool S_str_new(S_parser *p, size_t len, ss_py_value *out) {
  if (len > S_MAX - sizeof *out - 1 || !S_charge(p, sizeof *out + len + 1))
    return false;
  *out = (ss_py_value){.kind = SS_PY_STR, .len = len};
  out->str = ss_xmalloc(len + 1);
  out->str[len] = '\0';
  return true;
}

/* A str of the buffer's bytes (the buffer is emptied in any case). */
static bool S_str_take(S_parser *p, ss_buf *b, ss_py_value *out) {
  size_t n = sizeof *out + b->len + 1;
  if (n > S_MAX || !S_charge(p, n)) {
    ss_buf_free(b);
    return false;
  }
  *out = (ss_py_value){.kind = SS_PY_STR, .len = b->len};
  out->str = ss_buf_detach(b);
  return true;
}

/* Items of a list, tuple, dict or set being made. */
typedef struct {
  ss_py_value *v;
  size_t n, cap;
  size_t size; /* S_size of the container they will make */
  S_index ix;  /* dict keys, set members: positions in v */
} S_items;

static void S_items_free(S_items *it) {
  for (size_t i = 0; i < it->n; i++)
    S_free(&it->v[i]);
  free(it->v);
  free(it->ix.s);
  *it = (S_items){0};
}

/* Appends v (taken); false past the value or depth limit. */
static bool S_items_push(S_items *it, ss_py_value *v) {
  int d;
  size_t sz = S_size(v, &d);
  if (!it->size)
    it->size = sizeof *v;
  if (sz > S_MAX - it->size || d + 1 > S_MAX_DEPTH) {
    S_free(v);
    return false;
  }
  it->size += sz;
  if (it->n == it->cap) {
    it->cap = it->cap ? 2 * it->cap : 8;
    it->v = ss_xrealloc(it->v, it->cap * sizeof *it->v);
  }
  it->v[it->n++] = *v;
  return true;
}

typedef struct {
  const ss_py_value *items;
  const ss_py_value *key;
} S_key_ctx;

static bool S_same_key(const void *ctx, size_t i) {
  const S_key_ctx *k = ctx;
  return S_equal(&k->items[i], k->key);
}

/* The position of a dict's key (stride 2) or set's member, or NULL. */
static ss_py_value *S_items_get(const S_items *it, const ss_py_value *key) {
  uint64_t h;
  S_key_ctx k = {it->v, key};
  S_slot *s = S_hash(key, &h) ? S_index_find(&it->ix, h, S_same_key, &k) : 0;
  return s && s->i ? &it->v[s->i - 1] : NULL;
}

/* Adds a set member (val NULL) or a dict item as Python does: a key
 * already there keeps its place and takes the new value (*dup tells).
 * Takes key and val; false for an unhashable key or past a limit. */
static bool S_items_put(S_items *it, ss_py_value *key, ss_py_value *val,
                        bool *dup) {
  uint64_t h;
  bool ok = S_hash(key, &h);
  if (ok)
    S_index_reserve(&it->ix);
  S_key_ctx k = {it->v, key};
  S_slot *s = ok ? S_index_find(&it->ix, h, S_same_key, &k) : NULL;
  if (dup)
    *dup = s && s->i;
  if (s && s->i) {
    S_free(key);
    if (!val)
      return true;
    ss_py_value *old = &it->v[s->i];
    int d, dv;
    size_t rest = it->size - S_size(old, &d), nsz = S_size(val, &dv);
    if (nsz > S_MAX - rest || dv + 1 > S_MAX_DEPTH) {
      S_free(val);
      return false;
    }
    it->size = rest + nsz;
    S_free(old);
    *old = *val;
    return true;
  }
  size_t pos = it->n;
  if (!ok || !S_items_push(it, key)) {
    if (!ok)
      S_free(key);
    if (val)
      S_free(val);
    return false;
  }
  if (val && !S_items_push(it, val))
    return false;
  *s = (S_slot){h, pos + 1};
  it->ix.n++;
  return true;
}

static bool S_items_done(S_parser *p, S_items *it, ss_py_kind kind,
                         ss_py_value *out) {
  if (!S_charge(p, sizeof *out + it->n * sizeof *it->v)) {
    S_items_free(it);
    return false;
  }
  *out = (ss_py_value){.kind = kind, .items = it->v, .n = it->n};
  if (!it->n) {
    free(it->v);
    out->items = NULL;
  }
  free(it->ix.s);
  *it = (S_items){0};
  return true;
}

/* ---- str() and repr() ------------------------------------------------ */

/* Characters Python's repr() escapes beyond ASCII and Latin-1 controls:
 * the Unicode spaces, the common format characters and private use.
 * Python asks its full tables; unassigned code points are kept here. */
static bool S_unprintable(int32_t cp) {
  return (cp >= 0xA0 && ss_uc_is_space(cp)) || cp == 0xAD ||
         (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF ||
         (cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000;
}

static void S_str_repr(const ss_py_value *v, ss_buf *b) {
  bool sq = memchr(v->str, '\'', v->len), dq = memchr(v->str, '"', v->len);
  char q = sq && !dq ? '"' : '\'';
  ss_buf_putc(b, q);
  for (size_t i = 0; i < v->len;) {
    int32_t cp;
    size_t n = ss_utf8_decode(v->str + i, v->len - i, &cp);
    if (cp == q || cp == '\\') {
      ss_buf_putc(b, '\\');
      ss_buf_putc(b, (char)cp);
    } else if (cp == '\n' || cp == '\r' || cp == '\t') {
      ss_buf_puts(b, cp == '\n' ? "\\n" : cp == '\r' ? "\\r" : "\\t");
    } else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || S_unprintable(cp)) {
      ss_buf_printf(b,
                    cp < 0x100     ? "\\x%02x"
                    : cp < 0x10000 ? "\\u%04x"
                                   : "\\U%08x",
                    (unsigned)cp);
    } else {
      ss_buf_put(b, v->str + i, n);
    }
    i += n;
  }
  ss_buf_putc(b, q);
}

/* repr(float): the shortest digits that read back as the same double,
 * in fixed notation when the exponent is in [-4, 16) as Python has it. */
static void S_float_repr(double f, ss_buf *b) {
  if (isnan(f) || isinf(f)) {
    ss_buf_puts(b, isnan(f) ? "nan" : f < 0 ? "-inf" : "inf");
    return;
  }
  char e[40], dig[24];
  for (int prec = 0; prec <= 16; prec++) {
    snprintf(e, sizeof e, "%.*e", prec, f);
    if (strtod(e, NULL) == f)
      break;
  }
  const char *s = e + (*e == '-');
  int nd = 0;
  for (; *s != 'e'; s++)
    if (*s != '.')
      dig[nd++] = *s;
  int exp = atoi(s + 1), decpt = exp + 1;
  while (nd > 1 && dig[nd - 1] == '0')
    nd--;
  if (*e == '-')
    ss_buf_putc(b, '-');
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      ss_buf_puts(b, "0.");
      for (int k = decpt; k < 0; k++)
        ss_buf_putc(b, '0');
      ss_buf_put(b, dig, (size_t)nd);
    } else if (decpt >= nd) {
      ss_buf_put(b, dig, (size_t)nd);
      for (int k = nd; k < decpt; k++)
        ss_buf_putc(b, '0');
      ss_buf_puts(b, ".0");
    } else {
      ss_buf_put(b, dig, (size_t)decpt);
      ss_buf_putc(b, '.');
      ss_buf_put(b, dig + decpt, (size_t)(nd - decpt));
    }
    return;
  }
  ss_buf_putc(b, dig[0]);
  if (nd > 1) {
    ss_buf_putc(b, '.');
    ss_buf_put(b, dig + 1, (size_t)(nd - 1));
  }
  ss_buf_printf(b, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
}

/* Appends str(v) (as_str) or repr(v); false once past `room` bytes. */
static bool S_repr(const ss_py_value *v, bool as_str, ss_buf *b, size_t room) {
  static const char *const opener[] = {"[", "(", "{", "{"};
  static const char *const closer[] = {"]", ")", "}", "}"};
  switch (v->kind) {
  case SS_PY_NONE:
    ss_buf_puts(b, "None");
    break;
  case SS_PY_BOOL:
    ss_buf_puts(b, v->b ? "True" : "False");
    break;
  case SS_PY_INT:
    ss_buf_printf(b, "%" PRId64, v->i);
    break;
  case SS_PY_FLOAT:
    S_float_repr(v->f, b);
    break;
  case SS_PY_STR:
    if (as_str)
      ss_buf_put(b, v->str, v->len);
    else
      S_str_repr(v, b);
    break;
  default:
    if (v->kind == SS_PY_SET && !v->n) {
      ss_buf_puts(b, "set()");
      break;
    }
    ss_buf_puts(b, opener[v->kind - SS_PY_LIST]);
    for (size_t i = 0; i < v->n; i++) {
      if (i)
        ss_buf_puts(b, v->kind == SS_PY_DICT && i % 2 ? ": " : ", ");
      if (!S_repr(&v->items[i], false, b, room))
        return false;
    }
    if (v->kind == SS_PY_TUPLE && v->n == 1)
      ss_buf_putc(b, ',');
    ss_buf_puts(b, closer[v->kind - SS_PY_LIST]);
  }
  return b->len <= room;
}

/* ---- str % args -------------------------------------------------------- */

typedef struct {
  const char *flags; /* as written, for printf */
  int nflags;
  bool left, plus, space, alt, zero, has_prec;
  size_t width, prec;
} S_spec;

typedef struct {
  const ss_py_value *argv;
  size_t argc, next;
  const ss_py_value *dict; /* for %(key)s */
  S_items keys;            /* its keys, indexed on first use */
} S_fargs;

static size_t S_chars(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += ((unsigned char)s[i] & 0xC0) != 0x80;
  return n;
}

/* Bytes of the first n characters of valid UTF-8. */
static size_t S_char_bytes(const char *s, size_t len, size_t n) {
  size_t i = 0;
  for (; i < len; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80 && n-- == 0)
      break;
  return i;
}

static void S_fill(ss_buf *b, char c, size_t n) {
  ss_buf_grow(b, n);
  memset(b->data + b->len, c, n);
  b->len += n;
  b->data[b->len] = '\0';
}

static void S_pad(ss_buf *b, const char *s, size_t len, size_t chars,
                  const S_spec *sp) {
  size_t pad = sp->width > chars ? sp->width - chars : 0;
  if (!sp->left)
    S_fill(b, ' ', pad);
  ss_buf_put(b, s, len);
  if (sp->left)
    S_fill(b, ' ', pad);
}

/* %d %x %o as Python writes them: sign and magnitude, '0x'/'0o' with
 * '#', precision as a minimum of digits, '0' padding after the sign. */
static void S_fmt_int(ss_buf *b, int64_t v, char type, const S_spec *sp) {
  unsigned base = type == 'x' || type == 'X' ? 16 : type == 'o' ? 8 : 10;
  const char *digits = type == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  char tmp[64], *d = tmp + sizeof tmp, head[3];
  uint64_t m = v < 0 ? -(uint64_t)v : (uint64_t)v;
  do
    *--d = digits[m % base];
  while (m /= base);
  size_t nd = (size_t)(tmp + sizeof tmp - d), nh = 0;
  if (v < 0 || sp->plus || sp->space)
    head[nh++] = v < 0 ? '-' : sp->plus ? '+' : ' ';
  if (sp->alt && base != 10) {
    head[nh++] = '0';
    head[nh++] = type == 'o' ? 'o' : type;
  }
  size_t zeros = sp->has_prec && sp->prec > nd ? sp->prec - nd : 0;
  size_t len = nh + zeros + nd;
  size_t pad = sp->width > len ? sp->width - len : 0;
  if (!sp->left && !sp->zero)
    S_fill(b, ' ', pad);
  ss_buf_put(b, head, nh);
  if (!sp->left && sp->zero)
    S_fill(b, '0', pad);
  S_fill(b, '0', zeros);
  ss_buf_put(b, d, nd);
  if (sp->left)
    S_fill(b, ' ', pad);
}

/* %e %f %g: C's printf agrees with Python's for these. */
static bool S_fmt_float(ss_buf *b, double f, char type, const S_spec *sp,
                        size_t room) {
  char fmt[16];
  int prec = sp->has_prec ? (int)sp->prec : 6;
  snprintf(fmt, sizeof fmt, "%%%.*s*.*%c", sp->nflags, sp->flags, type);
  if ((size_t)prec + 400 > room) /* 400: the digits of the largest double */
    return false;
  int n = snprintf(NULL, 0, fmt, (int)sp->width, prec, f);
  if (n < 0 || (size_t)n > room)
    return false;
  ss_buf_grow(b, (size_t)n);
  snprintf(b->data + b->len, (size_t)n + 1, fmt, (int)sp->width, prec, f);
  b->len += (size_t)n;
  return true;
}

static bool S_fmt_text(const ss_py_value *v, char type, const S_spec *sp,
                       size_t room, ss_buf *b) {
  ss_buf t = SS_BUF_INIT;
  bool ok = true;
  if (type == 'c' && S_is_int(v)) {
    int64_t i = S_int_of(v);
    ok = i >= 0 && i <= 0x10FFFF && (i < 0xD800 || i > 0xDFFF);
    if (ok)
      ss_utf8_encode((int32_t)i, &t);
  } else if (type == 'c') {
    ok = v->kind == SS_PY_STR && v->len && S_chars(v->str, v->len) == 1;
    if (ok)
      ss_buf_put(&t, v->str, v->len);
  } else {
    ok = S_repr(v, type == 's', &t, room);
  }
  if (ok) {
    size_t len = t.len, chars = S_chars(t.data, len);
    if (type != 'c' && sp->has_prec && sp->prec < chars) {
      len = S_char_bytes(t.data, len, sp->prec);
      chars = sp->prec;
    }
    S_pad(b, t.data, len, chars, sp);
  }
  ss_buf_free(&t);
  return ok;
}

/* One conversion of one argument; false where Python raises (%a, and
 * '*' for a width or precision from the arguments, are not read). */
static bool S_convert(const ss_py_value *arg, char type, const S_spec *sp,
                      size_t room, ss_buf *b) {
  if (strchr("src", type))
    return S_fmt_text(arg, type, sp, room, b);
  if (strchr("eEfFgG", type) && S_is_num(arg))
    return S_fmt_float(
        b, arg->kind == SS_PY_FLOAT ? arg->f : (double)S_int_of(arg), type, sp,
        room);
  if (strchr("xXo", type) && S_is_int(arg))
    S_fmt_int(b, S_int_of(arg), type, sp);
  else if (strchr("diu", type) && S_is_int(arg))
    S_fmt_int(b, S_int_of(arg), 'd', sp);
  else if (strchr("diu", type) && arg->kind == SS_PY_FLOAT &&
           arg->f >= -9223372036854775808.0 && arg->f < 9223372036854775808.0)
    S_fmt_int(b, (int64_t)arg->f, 'd', sp); /* int() of it: truncated */
  else
    return false;
  return true;
}

static bool S_digits(const char **ps, const char *end, size_t room,
                     size_t *out) {
  const char *s = *ps;
  size_t v = 0;
  for (; s < end && S_digit(*s); s++)
    if ((v = v * 10 + (size_t)(*s - '0')) > room)
      return false;
  *ps = s, *out = v;
  return true;
}

static const ss_py_value *S_dict_get(S_fargs *fa, const char *k, size_t len) {
  const ss_py_value *d = fa->dict;
  if (!fa->keys.ix.cap) { /* index the keys: a format may use them often */
    fa->keys.v = d->items, fa->keys.n = d->n;
    for (size_t i = 0; i < d->n; i += 2) {
      uint64_t h;
      if (!S_hash(&d->items[i], &h))
        continue;
      S_index_reserve(&fa->keys.ix);
      S_key_ctx kc = {d->items, &d->items[i]};
      S_slot *s = S_index_find(&fa->keys.ix, h, S_same_key, &kc);
      *s = (S_slot){h, i + 1};
      fa->keys.ix.n++;
    }
  }
  ss_py_value key = {.kind = SS_PY_STR, .str = (char *)k, .len = len};
  const ss_py_value *at = S_items_get(&fa->keys, &key);
  return at ? at + 1 : NULL;
}

/* One conversion, after its '%'. False where Python raises. */
static bool S_conversion(const char **ps, const char *end, S_fargs *fa,
                         size_t room, ss_buf *b) {
  const char *s = *ps;
  const ss_py_value *arg = NULL;
  if (s < end && *s == '(') {
    const char *k = ++s;
    for (int nest = 1; nest; s++) {
      if (s == end)
        return false;
      nest += *s == '(' ? 1 : *s == ')' ? -1 : 0;
    }
    if (!fa->dict || !(arg = S_dict_get(fa, k, (size_t)(s - 1 - k))))
      return false;
  }
  S_spec sp = {.flags = s};
  for (; s < end && memchr("-+ #0", *s, 5); s++, sp.nflags++) {
    sp.left |= *s == '-', sp.plus |= *s == '+', sp.space |= *s == ' ';
    sp.alt |= *s == '#', sp.zero |= *s == '0';
  }
  if (!S_digits(&s, end, room, &sp.width))
    return false;
  if (s < end && *s == '.') {
    s++;
    sp.has_prec = true;
    if (!S_digits(&s, end, room, &sp.prec))
      return false;
  }
  while (s < end && (*s == 'h' || *s == 'l' || *s == 'L'))
    s++;
  if (s == end)
    return false;
  char type = *s++;
  *ps = s;
  if (!type) /* strchr would find the terminator */
    return false;
  if (type == '%') {
    ss_buf_putc(b, '%');
    return true;
  }
  if (!arg) {
    if (fa->next == fa->argc)
      return false;
    arg = &fa->argv[fa->next++];
  }
  return S_convert(arg, type, &sp, room, b);
}

static bool S_percent(S_parser *p, const ss_py_value *fmt,
                      const ss_py_value *args, ss_py_value *out) {
  S_fargs fa = {args, 1, 0, args->kind == SS_PY_DICT ? args : NULL, {0}};
  if (args->kind == SS_PY_TUPLE)
    fa.argv = args->items, fa.argc = args->n;
  /* Python skips its "not all arguments converted" for a mapping,
   * which a list is to it too (it has __getitem__). */
  bool mapping = args->kind == SS_PY_DICT || args->kind == SS_PY_LIST;
  size_t room = S_room(p);
  ss_buf b = SS_BUF_INIT;
  const char *s = fmt->str, *end = s + fmt->len;
  bool ok = true;
  while (ok && s < end) {
    const char *pc = memchr(s, '%', (size_t)(end - s));
    ss_buf_put(&b, s, (size_t)((pc ? pc : end) - s));
    s = pc ? pc + 1 : end;
    ok = (!pc || S_conversion(&s, end, &fa, room, &b)) && b.len <= room;
  }
  free(fa.keys.ix.s);
  if (ok && (mapping || fa.next == fa.argc))
    return S_str_take(p, &b, out);
  S_charge(p, b.len); /* the text was made, if not kept */
  ss_buf_free(&b);
  return false;
}

/* ---- str.format and os.path.join -------------------------------------- */

/* '...'.format(...) with fields {} {0} {name}, each with !r or !s. */
static bool S_format(S_parser *p, const ss_py_value *fmt, const S_items *pos,
                     const S_items *kw, ss_py_value *out) {
  size_t room = S_room(p), next = 0;
  int numbering = 0; /* 1 automatic, 2 manual: Python forbids mixing */
  ss_buf b = SS_BUF_INIT;
  const char *s = fmt->str, *end = s + fmt->len;
  bool ok = true;
  while (ok && s < end) {
    if ((*s == '{' || *s == '}') && s + 1 < end && s[1] == *s) {
      ss_buf_putc(&b, *s);
      s += 2;
      continue;
    }
    if (*s == '}') { /* a lone one: Python's ValueError */
      ok = false;
      break;
    }
    if (*s != '{') {
      ss_buf_putc(&b, *s++);
      continue;
    }
    const char *f = ++s, *close = memchr(f, '}', (size_t)(end - f));
    size_t flen = close ? (size_t)(close - f) : 0;
    const char *bang = close ? memchr(f, '!', flen) : NULL;
    const char *name_end = bang ? bang : close;
    ok = close && !memchr(f, '{', flen) && !memchr(f, ':', flen) &&
         !memchr(f, '.', flen) && !memchr(f, '[', flen) &&
         (!bang || (close - bang == 2 && (bang[1] == 'r' || bang[1] == 's')));
    if (!ok)
      break;
    const ss_py_value *arg = NULL;
    size_t idx = 0, nlen = (size_t)(name_end - f);
    bool number = nlen > 0;
    for (const char *d = f; d < name_end; d++) {
      number = number && S_digit(*d);
      if (number && idx <= pos->n) /* past n it is out of range anyway */
        idx = idx * 10 + (size_t)(*d - '0');
    }
    int want = nlen ? 2 : 1;
    if (nlen && !number) { /* a keyword */
      ss_py_value key = {.kind = SS_PY_STR, .str = (char *)f, .len = nlen};
      const ss_py_value *at = S_items_get(kw, &key);
      arg = at ? at + 1 : NULL;
    } else if (!numbering || numbering == want) {
      numbering = want;
      idx = nlen ? idx : next++;
      arg = idx < pos->n ? &pos->v[idx] : NULL;
    }
    ok = arg && S_repr(arg, !bang || bang[1] == 's', &b, room);
    s = close + 1;
  }
  if (ok)
    return S_str_take(p, &b, out);
  S_charge(p, b.len); /* the text was made, if not kept */
  ss_buf_free(&b);
  return false;
}

/* posixpath.join: an absolute part restarts the path. */
static bool S_join(S_parser *p, const S_items *pos, ss_py_value *out) {
  ss_buf b = SS_BUF_INIT;
  bool ok = pos->n > 0;
  for (size_t i = 0; ok && i < pos->n; i++) {
    const ss_py_value *a = &pos->v[i];
    ok = a->kind == SS_PY_STR;
    if (ok && a->len && a->str[0] == '/')
      ss_buf_clear(&b);
    else if (ok && b.len && b.data[b.len - 1] != '/')
      ss_buf_putc(&b, '/');
    if (ok)
      ss_buf_put(&b, a->str, a->len);
  }
  if (ok)
    return S_str_take(p, &b, out);
  ss_buf_free(&b);
  return false;
}

/* ---- Operators ------------------------------------------------------- */

static bool S_arith(S_parser *p, char op, const ss_py_value *a,
                    const ss_py_value *b, ss_py_value *out) {
  if (S_is_int(a) && S_is_int(b)) {
    int64_t x = S_int_of(a), y = S_int_of(b), z = 0;
    bool over = false;
    if (op == '+')
      over = __builtin_add_overflow(x, y, &z);
    else if (op == '-')
      over = __builtin_sub_overflow(x, y, &z);
    else if (op == '*')
      over = __builtin_mul_overflow(x, y, &z);
    else if (op == '%' && y) { /* Python's: the sign of the divisor */
      z = y == -1 ? 0 : x % y;
      z += z && (z < 0) != (y < 0) ? y : 0;
    } else
      return false;
    if (over || !S_scalar(p, SS_PY_INT, out))
      return false;
    out->i = z;
    return true;
  }
  double x = a->kind == SS_PY_FLOAT ? a->f : (double)S_int_of(a);
  double y = b->kind == SS_PY_FLOAT ? b->f : (double)S_int_of(b), z;
  if (op == '+')
    z = x + y;
  else if (op == '-')
    z = x - y;
  else if (op == '*')
    z = x * y;
  else if (op == '%' && y != 0) {
    z = fmod(x, y);
    z = z ? z + ((z < 0) != (y < 0) ? y : 0) : (y < 0 ? -0.0 : 0.0);
  } else
    return false;
  if (!S_scalar(p, SS_PY_FLOAT, out))
    return false;
  out->f = z;
  return true;
}

/* a + b for str, list, tuple; takes the items of a and b. */
static bool S_concat(S_parser *p, ss_py_value *a, ss_py_value *b,
                     ss_py_value *out) {
  if (a->kind == SS_PY_STR) {
    if (a->len + b->len > S_MAX || !S_str_new(p, a->len + b->len, out))
      return false;
    memcpy(out->str, a->str, a->len);
    memcpy(out->str + a->len, b->str, b->len);
    return true;
  }
  int d;
  if (!S_charge(p, S_size(a, &d) + S_size(b, &d)))
    return false;
  S_items it = {0};
  bool ok = true;
  ss_py_value *both[2] = {a, b};
  for (int k = 0; k < 2; k++) {
    ss_py_value *s = both[k];
    for (size_t i = 0; i < s->n; i++) {
      if (ok)
        ok = S_items_push(&it, &s->items[i]);
      else
        S_free(&s->items[i]);
    }
    free(s->items);
    s->items = NULL, s->n = 0;
  }
  if (ok)
    return S_items_done(p, &it, a->kind, out);
  S_items_free(&it);
  return false;
}

/* seq * n: n copies, none when n <= 0. */
static bool S_repeat(S_parser *p, const ss_py_value *seq, int64_t n,
                     ss_py_value *out) {
  size_t count = n > 0 ? (size_t)n : 0;
  if (seq->kind == SS_PY_STR) { /* paid before the copying starts */
    size_t len = seq->len;
    if (len && count > (S_MAX - sizeof *out - 1) / len)
      return false;
    if (!S_str_new(p, len * count, out))
      return false;
    for (size_t k = 0; len && k < count; k++)
      memcpy(out->str + k * len, seq->str, len);
    return true;
  }
  int d;
  size_t each = S_size(seq, &d) - sizeof *seq;
  if (!seq->n)
    count = 0;
  if (count && count > (S_MAX - sizeof *seq) / each)
    return false;
  S_items it = {0};
  bool ok = S_charge(p, each * count);
  for (size_t k = 0; ok && k < count; k++)
    for (size_t i = 0; ok && i < seq->n; i++) {
      ss_py_value c;
      S_copy_raw(&seq->items[i], &c);
      ok = S_items_push(&it, &c);
    }
  if (ok)
    return S_items_done(p, &it, seq->kind, out);
  S_items_free(&it);
  return false;
}

/* a op b as Python computes it; takes a and b (out may be a). */
static bool S_binop(S_parser *p, char op, ss_py_value *a, ss_py_value *b,
                    ss_py_value *out) {
  ss_py_value r = {0};
  bool ok = false;
  if (S_is_num(a) && S_is_num(b))
    ok = S_arith(p, op, a, b, &r);
  else if (op == '%' && a->kind == SS_PY_STR)
    ok = S_percent(p, a, b, &r);
  else if (op == '+' && a->kind == b->kind && S_is_seq(a))
    ok = S_concat(p, a, b, &r);
  else if (op == '*' && S_is_seq(a) && S_is_int(b))
    ok = S_repeat(p, a, S_int_of(b), &r);
  else if (op == '*' && S_is_int(a) && S_is_seq(b))
    ok = S_repeat(p, b, S_int_of(a), &r);
  S_free(a);
  S_free(b);
  *out = r;
  return ok;
}

/* ---- Expressions ----------------------------------------------------- */

static bool S_expr(S_parser *p, ss_py_value *out);

static bool S_starts_expr(const S_tok *t) {
  if (t->kind == T_NEWLINE || t->kind == T_EOF)
    return false;
  return !(t->kind == T_OP && t->len == 1 && strchr(")]};=:", *t->s));
}

static bool S_stmt_end(const S_tok *t, bool header) {
  return t->kind == T_NEWLINE || t->kind == T_EOF ||
         (t->depth == 0 && (S_is(t, ";") || (header && S_is(t, ":"))));
}

/* expr (',' expr)* [','], a tuple when there is a comma. */
static bool S_exprs(S_parser *p, ss_py_value *out) {
  if (!S_expr(p, out))
    return false;
  if (!S_is(&TOK, ","))
    return true;
  S_items it = {0};
  bool ok = S_items_push(&it, out);
  while (ok && S_is(&TOK, ",")) {
    S_advance(p);
    if (!S_starts_expr(&TOK))
      break;
    ss_py_value v;
    ok = S_expr(p, &v) && S_items_push(&it, &v);
  }
  if (ok)
    return S_items_done(p, &it, SS_PY_TUPLE, out);
  S_items_free(&it);
  return false;
}

/* Adjacent literals are one string, as in Python ('a' 'b'). */
static bool S_decode(const S_tok *t, ss_buf *b);

static bool S_strings(S_parser *p, ss_py_value *out) {
  ss_buf b = SS_BUF_INIT;
  bool ok = true;
  for (; ok && TOK.kind == T_STR; S_advance(p))
    ok = S_decode(&TOK, &b);
  if (ok)
    return S_str_take(p, &b, out);
  ss_buf_free(&b);
  return false;
}

static bool S_hex(const char **ps, const char *end, int n, int32_t *cp) {
  const char *s = *ps;
  uint32_t v = 0;
  for (int k = 0; k < n; k++, s++) {
    if (s == end || !S_hexdigit(*s))
      return false;
    v = v * 16 + (uint32_t)(S_digit(*s) ? *s - '0' : (*s | 0x20) - 'a' + 10);
  }
  *ps = s, *cp = v > 0x10FFFF ? 0x110000 : (int32_t)v;
  return true;
}

/* One escape sequence after its backslash; false for \N{...} and the
 * errors Python's compiler raises. */
static bool S_escape(const char **ps, const char *end, ss_buf *b) {
  const char *s = *ps;
  char c = *s++;
  int32_t cp = -1;
  static const char from[] = "\\'\"abfnrtv", to[] = "\\'\"\a\b\f\n\r\t\v";
  const char *simple = c ? strchr(from, c) : NULL;
  if (c == '\n' || c == '\r') { /* a continued line */
    s += c == '\r' && s < end && *s == '\n';
  } else if (simple) {
    ss_buf_putc(b, to[simple - from]);
  } else if (c >= '0' && c <= '7') {
    cp = c - '0';
    for (int k = 0; k < 2 && s < end && *s >= '0' && *s <= '7'; k++)
      cp = cp * 8 + (*s++ - '0');
  } else if (c == 'x' || c == 'u' || c == 'U') {
    if (!S_hex(&s, end, c == 'x' ? 2 : c == 'u' ? 4 : 8, &cp))
      return false;
  } else if (c == 'N') {
    return false;
  } else { /* unknown: the backslash stays, the character is read again */
    ss_buf_putc(b, '\\');
    s--;
  }
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return false; /* not a character, or one UTF-8 cannot hold */
  if (cp >= 0)
    ss_utf8_encode(cp, b);
  *ps = s;
  return true;
}

/* Appends the value of one string literal token. */
static bool S_decode(const S_tok *t, ss_buf *b) {
  const char *s = t->s, *end = t->s + t->len;
  bool raw = false, fstr = false;
  for (; *s != '\'' && *s != '"'; s++) {
    if ((*s | 0x20) == 'b')
      return false; /* bytes */
    raw |= (*s | 0x20) == 'r', fstr |= (*s | 0x20) == 'f';
  }
  size_t q = end - s >= 6 && s[1] == s[0] && s[2] == s[0] ? 3 : 1;
  const char *stop = end - q;
  for (s += q; s < stop;) {
    unsigned char c = (unsigned char)*s;
    if (b->len > S_MAX)
      return false;
    if (c == '\r') { /* Python reads source lines with universal newlines */
      ss_buf_putc(b, '\n');
      s += s + 1 < stop && s[1] == '\n' ? 2 : 1;
    } else if (c == '\0') {
      return false;
    } else if (fstr && (c == '{' || c == '}')) {
      if (s + 1 == stop || s[1] != (char)c)
        return false; /* a replacement field, or a lone '}' */
      ss_buf_putc(b, (char)c);
      s += 2;
    } else if (c >= 0x80) {
      int32_t cp;
      size_t n = ss_utf8_decode(s, (size_t)(stop - s), &cp);
      if (cp == 0xFFFD && (n != 3 || memcmp(s, "\xEF\xBF\xBD", 3) != 0))
        return false; /* invalid UTF-8 */
      ss_buf_put(b, s, n);
      s += n;
    } else if (c != '\\') {
      ss_buf_putc(b, *s++);
    } else if (raw) { /* kept, and shields a quote or a backslash */
      ss_buf_putc(b, *s++);
      if (s < stop && (*s == '\'' || *s == '"' || *s == '\\'))
        ss_buf_putc(b, *s++);
    } else if (++s == stop || !S_escape(&s, stop, b)) {
      return false;
    }
  }
  return true;
}

static bool S_number(S_parser *p, const S_tok *t, ss_py_value *out) {
  char buf[400], *e;
  size_t n = 0;
  for (size_t i = 0; i < t->len; i++) {
    if (t->s[i] == '_')
      continue;
    if (n + 1 >= sizeof buf)
      return false;
    buf[n++] = t->s[i];
  }
  buf[n] = '\0';
  if ((buf[n - 1] | 0x20) == 'j')
    return false; /* complex */
  errno = 0;
  if (n > 2 && buf[0] == '0' && strchr("xob", buf[1] | 0x20)) {
    int base = (buf[1] | 0x20) == 'x' ? 16 : (buf[1] | 0x20) == 'o' ? 8 : 2;
    unsigned long long v = strtoull(buf + 2, &e, base);
    if (*e || errno || v > INT64_MAX || !S_scalar(p, SS_PY_INT, out))
      return false;
    out->i = (int64_t)v;
    return true;
  }
  if (strpbrk(buf, ".eE")) {
    double f = strtod(buf, &e); /* overflow is inf, as in Python */
    if (*e || !S_scalar(p, SS_PY_FLOAT, out))
      return false;
    out->f = f;
    return true;
  }
  unsigned long long v = strtoull(buf, &e, 10);
  if (*e || errno || v > INT64_MAX || (buf[0] == '0' && v) ||
      !S_scalar(p, SS_PY_INT, out))
    return false; /* 012 is a syntax error in Python 3 */
  out->i = (int64_t)v;
  return true;
}

/* Call arguments from '(' to ')': positional ones, then name=value ones
 * (as a dict of str). */
static bool S_args(S_parser *p, S_items *pos, S_items *kw) {
  bool ok = ++p->depth <= S_MAX_DEPTH;
  S_advance(p);
  while (ok && !S_is(&TOK, ")")) {
    S_lex l = p->lx;
    S_next(&l);
    ss_py_value k, v;
    if (TOK.kind == T_NAME && !S_keyword(&TOK) && S_is(&l.tok, "=")) {
      ss_buf name = SS_BUF_INIT;
      ss_buf_put(&name, TOK.s, TOK.len);
      bool dup = false;
      S_advance(p), S_advance(p);
      ok = S_str_take(p, &name, &k);
      if (ok && !S_expr(p, &v)) {
        S_free(&k);
        ok = false;
      }
      ok = ok && S_items_put(kw, &k, &v, &dup) && !dup;
    } else {
      ok = !kw->n && S_expr(p, &v) && S_items_push(pos, &v);
    }
    if (ok && S_is(&TOK, ","))
      S_advance(p);
    else if (ok && !S_is(&TOK, ")"))
      ok = false;
  }
  if (ok)
    S_advance(p);
  p->depth--;
  return ok;
}

/* os.path.join( ahead: moves to its '('. */
static bool S_at_join(S_parser *p) {
  static const char *const seq[] = {".", "path", ".", "join", "("};
  S_lex l = p->lx;
  for (int i = 0; i < 5; i++) {
    S_next(&l);
    if (i % 2 == 0 ? !S_is(&l.tok, seq[i]) : !S_is_name(&l.tok, seq[i]))
      return false;
  }
  p->lx = l;
  return true;
}

static bool S_call(S_parser *p, const ss_py_value *self, ss_py_value *out) {
  S_items pos = {0}, kw = {0};
  bool ok = S_args(p, &pos, &kw) && (self ? S_format(p, self, &pos, &kw, out)
                                          : !kw.n && S_join(p, &pos, out));
  S_items_free(&pos);
  S_items_free(&kw);
  return ok;
}

static bool S_name(S_parser *p, ss_py_value *out) {
  S_tok t = TOK;
  if (S_is_name(&t, "True") || S_is_name(&t, "False") ||
      S_is_name(&t, "None")) {
    S_advance(p);
    if (!S_scalar(p, *t.s == 'N' ? SS_PY_NONE : SS_PY_BOOL, out))
      return false;
    out->b = *t.s == 'T';
    return true;
  }
  if (S_keyword(&t))
    return false;
  if (S_is_name(&t, "os") && S_at_join(p))
    return S_call(p, NULL, out);
  const S_entry *e = S_find(p->c, t.s, t.len);
  S_advance(p);
  if (!e || !e->value || !S_charge(p, e->size))
    return false;
  S_copy_raw(e->value, out);
  return true;
}

/* ( ) [ ] { }: a parenthesized expression, tuple, list, dict or set. */
static bool S_display(S_parser *p, ss_py_value *out) {
  char open = *TOK.s;
  const char *close = open == '(' ? ")" : open == '[' ? "]" : "}";
  S_advance(p);
  if (open == '(' && !S_is(&TOK, ")")) {
    if (!S_exprs(p, out))
      return false;
    if (S_is(&TOK, ")")) {
      S_advance(p);
      return true;
    }
    S_free(out);
    return false;
  }
  S_items it = {0};
  ss_py_kind kind = open == '('   ? SS_PY_TUPLE
                    : open == '[' ? SS_PY_LIST
                                  : SS_PY_DICT;
  bool ok = true;
  while (ok && !S_is(&TOK, close)) {
    ss_py_value k, v;
    if (!(ok = S_expr(p, &k)))
      break;
    if (open == '{' && !it.n)
      kind = S_is(&TOK, ":") ? SS_PY_DICT : SS_PY_SET;
    if (kind == SS_PY_DICT) {
      ok = S_is(&TOK, ":");
      if (ok)
        S_advance(p);
      if (!ok || !S_expr(p, &v)) {
        S_free(&k);
        ok = false;
        break;
      }
      ok = S_items_put(&it, &k, &v, NULL);
    } else {
      ok = kind == SS_PY_SET ? S_items_put(&it, &k, NULL, NULL)
                             : S_items_push(&it, &k);
    }
    if (ok && S_is(&TOK, ","))
      S_advance(p);
    else if (ok && !S_is(&TOK, close))
      ok = false;
  }
  if (ok) {
    S_advance(p);
    return S_items_done(p, &it, kind, out);
  }
  S_items_free(&it);
  return false;
}

static bool S_atom(S_parser *p, ss_py_value *out) {
  S_tok t = TOK;
  if (t.kind == T_STR)
    return S_strings(p, out);
  if (t.kind == T_NUM) {
    S_advance(p);
    return S_number(p, &t, out);
  }
  if (t.kind == T_NAME)
    return S_name(p, out);
  if (!S_is(&t, "(") && !S_is(&t, "[") && !S_is(&t, "{"))
    return false;
  bool ok = ++p->depth <= S_MAX_DEPTH && S_display(p, out);
  p->depth--;
  return ok;
}

/* An atom and its trailers: of these only str.format(...) is read. */
static bool S_primary(S_parser *p, ss_py_value *out) {
  if (!S_atom(p, out))
    return false;
  while (S_is(&TOK, ".") || S_is(&TOK, "(") || S_is(&TOK, "[")) {
    S_lex l = p->lx;
    S_next(&l);
    bool format = S_is_name(&l.tok, "format");
    S_next(&l);
    ss_py_value r;
    if (!S_is(&TOK, ".") || out->kind != SS_PY_STR || !format ||
        !S_is(&l.tok, "(")) {
      S_free(out);
      return false;
    }
    p->lx = l;
    bool ok = S_call(p, out, &r);
    S_free(out);
    if (!ok)
      return false;
    *out = r;
  }
  return true;
}

static bool S_unary(S_parser *p, ss_py_value *out) {
  if (!S_is(&TOK, "-") && !S_is(&TOK, "+"))
    return S_primary(p, out);
  bool neg = *TOK.s == '-';
  S_advance(p);
  bool ok = ++p->depth <= S_MAX_DEPTH && S_unary(p, out);
  p->depth--;
  if (!ok)
    return false;
  if (S_is_int(out)) {
    int64_t i = S_int_of(out);
    if (neg && i == INT64_MIN) {
      S_free(out);
      return false;
    }
    *out = (ss_py_value){.kind = SS_PY_INT, .i = neg ? -i : i};
    return true;
  }
  if (out->kind == SS_PY_FLOAT) {
    out->f = neg ? -out->f : out->f;
    return true;
  }
  S_free(out);
  return false;
}

/* term: unary (('*' | '%') unary)*; expr: term (('+' | '-') term)*. */
static bool S_binary(S_parser *p, ss_py_value *out, bool term) {
  if (!(term ? S_unary(p, out) : S_binary(p, out, true)))
    return false;
  while (term ? S_is(&TOK, "*") || S_is(&TOK, "%")
              : S_is(&TOK, "+") || S_is(&TOK, "-")) {
    char op = *TOK.s;
    ss_py_value r;
    S_advance(p);
    if (!(term ? S_unary(p, &r) : S_binary(p, &r, true))) {
      S_free(out);
      return false;
    }
    if (!S_binop(p, op, out, &r, out))
      return false;
  }
  return true;
}

static bool S_expr(S_parser *p, ss_py_value *out) {
  return S_binary(p, out, false);
}

/* ---- Statements ------------------------------------------------------ */

enum { K_OTHER, K_ASSIGN, K_AUG };

/* What the statement at l is: an assignment (*rhs: after its last '=',
 * *n: how many), an augmented one (*op, *rhs after it), or another. */
static int S_classify(S_lex l, S_lex *rhs, S_tok *op, size_t *n) {
  static const char *const not_aug[] = {"==", "<=", ">=", "!=", ":=", NULL};
  int kind = K_OTHER;
  *n = 0;
  if (S_keyword(&l.tok))
    return K_OTHER;
  for (; !S_stmt_end(&l.tok, false); S_next(&l)) {
    const S_tok *t = &l.tok;
    if (t->depth || t->kind != T_OP || t->s[t->len - 1] != '=')
      continue;
    bool aug = t->len > 1;
    for (const char *const *n = not_aug; aug && *n; n++)
      aug = !S_is(t, *n);
    if (t->len == 1) {
      kind = K_ASSIGN, ++*n;
      *rhs = l;
      S_next(rhs);
    } else if (aug && kind == K_OTHER) {
      *op = *t;
      *rhs = l;
      S_next(rhs);
      return K_AUG;
    }
  }
  return kind;
}

/* Skips to the end of one target: ',' or the closer at depth d. Names
 * on the way are made unreadable when `taint` (a target not read). */
static void S_skip_target(S_parser *p, int d, bool taint) {
  for (; !S_stmt_end(&TOK, false); S_advance(p)) {
    if (TOK.depth == d && TOK.kind == T_OP && TOK.len == 1 &&
        strchr(",)]=", *TOK.s))
      return;
    if (taint && TOK.kind == T_NAME && !S_keyword(&TOK))
      S_set(p, TOK.s, TOK.len, NULL);
  }
}

static void S_parse_target(S_parser *p, S_tlist *tl);

/* The items of a group, up to its closer (or a segment's '='). */
static void S_parse_group(S_parser *p, S_tlist *tl, S_tnode *g) {
  while (S_starts_expr(&TOK)) {
    g->broken |= S_is(&TOK, "*");
    S_parse_target(p, tl);
    g->n++;
    if (!S_is(&TOK, ","))
      return;
    g->unpack = true;
    S_advance(p);
  }
}

static size_t S_tnode_new(S_tlist *tl) {
  if (tl->n == tl->cap) {
    tl->cap = tl->cap ? 2 * tl->cap : 16;
    tl->v = ss_xrealloc(tl->v, tl->cap * sizeof *tl->v);
  }
  tl->v[tl->n] = (S_tnode){.kind = '?'};
  tl->cut |= tl->n >= S_MAX / sizeof(ss_py_value);
  return tl->n++;
}

static void S_parse_target(S_parser *p, S_tlist *tl) {
  S_tok t = TOK;
  size_t at = S_tnode_new(tl);
  S_tnode g = {.kind = 'g', .unpack = S_is(&t, "[")};
  int nests = t.kind == T_OP; /* brackets and stars count, as in S_atom */
  p->depth += nests;
  if (tl->cut || p->depth > S_MAX_DEPTH) {
    tl->cut = true;
  } else if (t.kind == T_NAME && !S_keyword(&t)) {
    S_advance(p);
    bool changed = S_is(&TOK, ".") || S_is(&TOK, "[") || S_is(&TOK, "(");
    bool ends = TOK.kind == T_OP && TOK.len == 1 && strchr(",)]=:", *TOK.s);
    tl->v[at] = (S_tnode){.kind = changed ? 'c'
                                  : ends  ? 'n'
                                          : '?',
                          .s = t.s,
                          .len = t.len}; /* '?': x y = 1 */
  } else if (S_is(&t, "(") || S_is(&t, "[")) {
    S_advance(p);
    S_parse_group(p, tl, &g);
    if (S_is(&TOK, ")") || S_is(&TOK, "]"))
      S_advance(p);
    else
      g.broken = g.unpack = true;
    tl->v[at] = g;
  } else if (S_is(&t, "*")) {
    S_advance(p);
    S_parse_target(p, tl);
    tl->v[at].kind = '*';
  }
  p->depth -= nests;
  S_skip_target(p, t.depth, tl->v[at].kind == '?');
  tl->v[at].size = tl->n - at;
}

/* Binds the subtree at i to v (NULL: unreadable); returns the next. */
static size_t S_bind(S_parser *p, const S_tlist *tl, size_t i,
                     const ss_py_value *v) {
  const S_tnode *t = &tl->v[i];
  if (t->kind == 'n' || t->kind == 'c' || (t->kind == '?' && t->s)) {
    ss_py_value c;
    int d; /* measured only while the budget lasts: a copy is paid first */
    bool ok = t->kind == 'n' && v && p->made < SS_CONFPY_BUDGET &&
              S_charge(p, S_size(v, &d));
    if (ok)
      S_copy_raw(v, &c);
    S_set(p, t->s, t->len, ok ? &c : NULL);
  } else if (t->kind == '*') {
    S_bind(p, tl, i + 1, NULL);
  } else if (t->kind == 'g' && !t->unpack && t->n == 1) {
    S_bind(p, tl, i + 1, v); /* (a) = v */
  } else if (t->kind == 'g') {
    bool ok = v && !t->broken && v->n == t->n &&
              (v->kind == SS_PY_LIST || v->kind == SS_PY_TUPLE);
    for (size_t k = 0, j = i + 1; k < t->n; k++)
      j = S_bind(p, tl, j, ok ? &v->items[k] : NULL);
  }
  return i + t->size;
}

/* One segment of `a = b, c = value`, as a group: bound to v. A lone
 * name takes v itself when `take` (it is the only segment). */
static void S_targets(S_parser *p, ss_py_value *v, bool take) {
  S_tlist *tl = &p->tl;
  tl->n = 0, tl->cut = false;
  S_tnode g = {.kind = 'g'};
  size_t at = S_tnode_new(tl);
  S_parse_group(p, tl, &g);
  if (!S_is(&TOK, "=")) /* x y = 1 */
    g.broken = g.unpack = true;
  g.size = tl->n;
  tl->v[at] = g;
  if (take && v && !tl->cut && !g.unpack && tl->n == 2 &&
      tl->v[1].kind == 'n') {
    S_set(p, tl->v[1].s, tl->v[1].len, v);
    *v = (ss_py_value){0};
  } else {
    S_bind(p, tl, 0, tl->cut ? NULL : v);
  }
}

/* name op= expr: Python's name = name op expr, where a list also takes
 * a tuple. Another target ((a) += 1, a.b += 1) makes its first name
 * unreadable. */
static void S_augment(S_parser *p, const S_lex *rhs, const S_tok *op,
                      bool top) {
  S_tok t = TOK;
  S_lex l = p->lx;
  S_next(&l);
  if (t.kind != T_NAME || S_keyword(&t) || l.tok.s != op->s) {
    for (; TOK.s < op->s; S_advance(p)) /* (a) += 1, a.b += 1: a changes */
      if (TOK.kind == T_NAME && !S_keyword(&TOK)) {
        S_set(p, TOK.s, TOK.len, NULL);
        return;
      }
    return;
  }
  const S_entry *e = S_find(p->c, t.s, t.len);
  ss_py_value old, r, *res = NULL;
  if (top && e && e->value && S_charge(p, e->size)) {
    S_copy_raw(e->value, &old);
    p->lx = *rhs;
    if (!S_exprs(p, &r)) {
      S_free(&old);
    } else if (!S_stmt_end(&TOK, false) || op->len != 2) {
      S_free(&old);
      S_free(&r);
    } else {
      if (*op->s == '+' && old.kind == SS_PY_LIST && r.kind == SS_PY_TUPLE)
        r.kind = SS_PY_LIST;
      if (S_binop(p, *op->s, &old, &r, &old))
        res = &old;
    }
  }
  S_set(p, t.s, t.len, res);
}

/* Makes unreadable what a statement may change besides its targets, up
 * to its end (or its ':' in a header): imported names, del, for
 * targets, names after 'as', def and class names, 'x :=', and a first
 * name followed by '.' or '[' (extensions.append(...)). */
static void S_taints(S_parser *p, bool header) {
  S_tok first = TOK, prev = {0};
  bool import = S_is_name(&first, "import"), from = S_is_name(&first, "from");
  bool del = S_is_name(&first, "del"), in_for = S_is_name(&first, "for");
  bool names_follow = false; /* after a from-import's 'import' */
  for (int n = 0; !S_stmt_end(&TOK, header); n++, S_advance(p)) {
    S_tok t = TOK;
    if (t.kind == T_NAME && !S_keyword(&t) && !S_is(&prev, ".")) {
      bool list =
          S_is_name(&prev, "import") || S_is(&prev, ",") || S_is(&prev, "(");
      if (del || in_for || S_is_name(&prev, "as") || S_is_name(&prev, "def") ||
          S_is_name(&prev, "class") || ((import || names_follow) && list))
        S_set(p, t.s, t.len, NULL);
    }
    if (n == 1 && S_is_name(&prev, "async") && S_is_name(&t, "for"))
      in_for = true;
    if (in_for && t.depth == 0 && S_is_name(&t, "in"))
      in_for = false;
    names_follow |= from && S_is_name(&t, "import");
    if (S_is(&t, ":=") && prev.kind == T_NAME)
      S_set(p, prev.s, prev.len, NULL);
    if (n == 1 && first.kind == T_NAME && !S_keyword(&first) &&
        (S_is(&t, ".") || S_is(&t, "[")))
      S_set(p, first.s, first.len, NULL);
    prev = t;
  }
}

/* One simple statement; at the top level its assignments are read, in
 * a block's body they only make their targets unreadable. */
static void S_simple(S_parser *p, bool top) {
  S_lex start = p->lx, rhs;
  S_tok op;
  size_t segments;
  p->line = TOK.line;
  p->depth = 0;
  int kind = S_classify(p->lx, &rhs, &op, &segments);
  if (kind == K_ASSIGN) {
    ss_py_value v;
    bool ok = false;
    if (top) {
      p->lx = rhs;
      ok = S_exprs(p, &v);
      if (ok && !S_stmt_end(&TOK, false)) {
        S_free(&v);
        ok = false;
      }
      p->lx = start;
    }
    while (TOK.s < rhs.tok.s && !S_stmt_end(&TOK, false)) {
      S_targets(p, ok ? &v : NULL, segments == 1);
      if (!S_is(&TOK, "="))
        break;
      S_advance(p);
    }
    if (ok)
      S_free(&v);
  } else if (kind == K_AUG) {
    S_augment(p, &rhs, &op, top);
  }
  p->lx = start;
  S_taints(p, false);
}

static void S_simple_list(S_parser *p, bool top) {
  while (TOK.kind != T_NEWLINE && TOK.kind != T_EOF) {
    S_simple(p, top);
    if (!S_is(&TOK, ";"))
      return;
    S_advance(p);
  }
}

/* One logical line. A def or class sets *skip_col: its body (the lines
 * indented deeper) is skipped. */
static void S_line(S_parser *p, bool top, int *skip_col) {
  static const char *const compound[] = {"if",   "elif",  "else",   "while",
                                         "for",  "try",   "except", "finally",
                                         "with", "async", NULL};
  S_tok t = TOK;
  S_lex l = p->lx;
  S_next(&l);
  p->line = t.line;
  p->depth = 0;
  if (S_is_name(&t, "def") || S_is_name(&t, "class") || S_is(&t, "@") ||
      (S_is_name(&t, "async") && S_is_name(&l.tok, "def"))) {
    S_taints(p, true);
    if (!S_is(&t, "@"))
      *skip_col = t.col < 0 ? 0 : t.col;
  } else if (S_is_one_of(&t, compound)) {
    S_taints(p, true);
    if (S_is(&TOK, ":")) {
      S_advance(p);
      S_simple_list(p, false);
    }
  } else {
    S_simple_list(p, top);
  }
  while (TOK.kind != T_NEWLINE && TOK.kind != T_EOF)
    S_advance(p);
  if (TOK.kind == T_NEWLINE)
    S_advance(p);
}

/* ---- The API --------------------------------------------------------- */

/* Lists of str are kept as arrays once, so ss_confpy_strings is a look. */
static void S_index_strings(ss_confpy *c) {
  for (size_t i = 0; i < c->n; i++) {
    S_entry *e = &c->e[i];
    const ss_py_value *v = e->value, *items = v;
    size_t n = 1;
    if (!v)
      continue;
    if (v->kind == SS_PY_LIST || v->kind == SS_PY_TUPLE || v->kind == SS_PY_SET)
      items = v->items, n = v->n;
    else if (v->kind != SS_PY_STR)
      continue;
    bool ok = n > 0;
    for (size_t k = 0; ok && k < n; k++)
      ok = items[k].kind == SS_PY_STR &&
           !memchr(items[k].str, '\0', items[k].len);
    if (!ok)
      continue;
    e->strs = ss_xmalloc(n * sizeof *e->strs);
    for (size_t k = 0; k < n; k++)
      e->strs[k] = items[k].str;
    e->nstrs = n;
  }
}

ss_confpy *ss_confpy_parse(const char *text, size_t len) {
  ss_confpy *c = ss_xcalloc(1, sizeof *c);
  if (!text)
    text = "", len = 0;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
    text += 3, len -= 3;
  S_parser p = {.c = c};
  p.lx = (S_lex){.p = text, .end = text + len, .line = 1, .bol = true};
  S_advance(&p);
  int skip_col = -1;
  while (p.lx.tok.kind != T_EOF) {
    int col = p.lx.tok.col < 0 ? 1 : p.lx.tok.col;
    if (p.lx.tok.kind == T_NEWLINE) {
      S_advance(&p);
    } else if (skip_col >= 0 && col > skip_col) {
      while (p.lx.tok.kind != T_NEWLINE && p.lx.tok.kind != T_EOF)
        S_advance(&p);
    } else {
      skip_col = -1;
      S_line(&p, col == 0, &skip_col);
    }
  }
  free(p.tl.v);
  S_index_strings(c);
  return c;
}

static const S_entry *S_lookup(const ss_confpy *c, const char *name) {
  return c && name ? S_find(c, name, strlen(name)) : NULL;
}

const ss_py_value *ss_confpy_get(const ss_confpy *c, const char *name) {
  const S_entry *e = S_lookup(c, name);
  return e ? e->value : NULL;
}

int ss_confpy_unreadable(const ss_confpy *c, const char *name) {
  const S_entry *e = S_lookup(c, name);
  if (e)
    return e->value ? 0 : e->line;
  return c ? c->overflow : 0;
}

const char *ss_confpy_str(const ss_confpy *c, const char *name) {
  const ss_py_value *v = ss_confpy_get(c, name);
  return v && v->kind == SS_PY_STR && !memchr(v->str, '\0', v->len) ? v->str
                                                                    : NULL;
}

bool ss_confpy_bool(const ss_confpy *c, const char *name, bool fallback) {
  const ss_py_value *v = ss_confpy_get(c, name);
  if (!v)
    return fallback;
  if (S_is_num(v))
    return v->kind == SS_PY_FLOAT ? v->f != 0 : S_int_of(v) != 0;
  return v->kind == SS_PY_STR ? v->len > 0 : v->n > 0; /* None: n is 0 */
}

size_t ss_confpy_strings(const ss_confpy *c, const char *name,
                         const char *const **out) {
  const S_entry *e = S_lookup(c, name);
  *out = e && e->value ? (const char *const *)e->strs : NULL;
  return *out ? e->nstrs : 0;
}

void ss_confpy_free(ss_confpy *c) {
  if (!c)
    return;
  for (size_t i = 0; i < c->n; i++) {
    if (c->e[i].value) {
      S_free(c->e[i].value);
      free(c->e[i].value);
    }
    free(c->e[i].strs);
    free(c->e[i].name);
  }
  free(c->e);
  free(c->ix.s);
  free(c);
}
