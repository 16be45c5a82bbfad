/* pydomain.c — Sphinx's Python domain, for what its default domain makes
 * of plain directive names: `.. class::` (and `exception`, with their
 * py: names) describe a Python class, not Docutils' class directive
 * (which Sphinx calls rst-class).
 *
 * The tree is the one Sphinx 5.3's xml builder writes: an `index` node,
 * then `desc` > `desc_signature` > annotation ("class "), the module or
 * class prefix, the name, the parameters, and `desc_content`. The
 * parameters are read as Sphinx reads them, by parsing "def f(...)" as
 * Python: names, "/" and "*" separators, annotations (split into names,
 * punctuation and literals as its _parse_annotation does) and defaults
 * (written back as its unparser writes them). What is no valid Python
 * is split at commas instead, with "[...]" marking optional parts
 * (_pseudo_parse_arglist). The doc fields of the content (:param:,
 * ...) are kept as written: Sphinx's DocFieldTransformer is not
 * applied.
 */
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "directives.h"

/* Expressions nest at most this deep; deeper is no Python to us. */
#define S_MAX_EXPR_DEPTH 48

/* --- the nodes --------------------------------------------------------- */

/* Sphinx's signature nodes carry their Pygments-like class; its xml
 * builder shows each class twice. */
static ss_node *S_sig(ss_kind kind, const char *text, size_t len, int line) {
  static const struct {
    ss_kind kind;
    const char *cls;
  } classes[] = {
      {SS_DESC_SIG_SPACE, "w"},         {SS_DESC_SIG_NAME, "n"},
      {SS_DESC_SIG_OPERATOR, "o"},      {SS_DESC_SIG_PUNCTUATION, "p"},
      {SS_DESC_SIG_KEYWORD, "k"},       {SS_DESC_SIG_LITERAL_NUMBER, "m"},
      {SS_DESC_SIG_LITERAL_STRING, "s"}};
  ss_node *n = ss_node_new(kind, line);
  for (size_t k = 0; k < sizeof classes / sizeof *classes; k++)
    if (classes[k].kind == kind) {
      ss_node_attr_add(n, "classes", classes[k].cls);
      ss_node_attr_add(n, "classes", classes[k].cls);
    }
  if (len)
    ss_node_append(n, ss_text_new(text, len, line));
  return n;
}

static ss_node *S_sig_str(ss_kind kind, const char *text, int line) {
  return S_sig(kind, text, strlen(text), line);
}

static ss_node *S_space(int line) {
  return S_sig(SS_DESC_SIG_SPACE, " ", 1, line);
}

static ss_node *S_named(ss_kind kind, const char *text, size_t len,
                        const char *const *classes, int line) {
  ss_node *n = ss_node_new(kind, line);
  for (; *classes; classes++)
    ss_node_attr_add(n, "classes", *classes);
  ss_node_append(n, ss_text_new(text, len, line));
  return n;
}

/* --- Python expressions ------------------------------------------------ */

typedef enum {
  E_NAME,
  E_ATTR, /* kids[0].text */
  E_SUB,  /* kids[0][kids[1]] */
  E_CALL, /* kids[0](kids[1..]); keyword arguments are E_KEYWORD */
  E_KEYWORD,
  E_INT,   /* text: the source */
  E_FLOAT, /* text: the source */
  E_STR,   /* text: the value */
  E_TRUE,
  E_FALSE,
  E_NONE,
  E_ELLIPSIS,
  E_LIST,
  E_TUPLE,
  E_DICT,  /* kids: key, value, key, value, ... */
  E_UNARY, /* text: the operator */
  E_BINOP  /* text: the operator */
} E_kind;

typedef struct E {
  E_kind kind;
  char *text;
  struct E **kids;
  int nkids;
} E;

static E *E_new(E_kind kind, const char *text, size_t len) {
  E *e = ss_xmalloc(sizeof *e);
  *e = (E){kind, text ? ss_xstrndup(text, len) : NULL, NULL, 0};
  return e;
}

static void E_add(E *e, E *kid) {
  e->kids = ss_xrealloc(e->kids, sizeof *e->kids * (size_t)(e->nkids + 1));
  e->kids[e->nkids++] = kid;
}

static void E_free(E *e) {
  if (!e)
    return;
  for (int i = 0; i < e->nkids; i++)
    E_free(e->kids[i]);
  free(e->kids);
  free(e->text);
  free(e);
}

typedef struct P {
  const char *s;
  size_t n, k;
  int depth;
  bool bad;
} P;

static void P_ws(P *p) {
  while (p->k < p->n && (p->s[p->k] == ' ' || p->s[p->k] == '\n'))
    p->k++;
}

static bool P_eat(P *p, const char *tok) {
  P_ws(p);
  size_t len = strlen(tok);
  if (p->k + len <= p->n && memcmp(p->s + p->k, tok, len) == 0) {
    p->k += len;
    return true;
  }
  return false;
}

static bool S_ident_start(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c >= 0x80;
}

static bool S_ident_char(unsigned char c) {
  return S_ident_start(c) || (c >= '0' && c <= '9');
}

/* An identifier at p->k, its length (0 when none). */
static size_t P_ident(P *p) {
  P_ws(p);
  size_t e = p->k;
  if (e < p->n && S_ident_start((unsigned char)p->s[e]))
    while (e < p->n && S_ident_char((unsigned char)p->s[e]))
      e++;
  return e - p->k;
}

static bool S_is_keyword(const char *s, size_t len) {
  static const char *const kw[] = {
      "and",      "as",       "assert", "async", "await",  "break",  "class",
      "continue", "def",      "del",    "elif",  "else",   "except", "finally",
      "for",      "from",     "global", "if",    "import", "in",     "is",
      "lambda",   "nonlocal", "not",    "or",    "pass",   "raise",  "return",
      "try",      "while",    "with",   "yield"};
  for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
    if (strlen(kw[i]) == len && memcmp(kw[i], s, len) == 0)
      return true;
  return false;
}

static E *P_expr(P *p);

/* A string literal's value ('...' or "...", simple escapes). */
static E *P_string(P *p) {
  char q = p->s[p->k];
  ss_buf v = SS_BUF_INIT;
  size_t k = p->k + 1;
  for (; k < p->n && p->s[k] != q; k++) {
    char ch = p->s[k];
    if (ch == '\n') {
      p->bad = true;
      break;
    }
    if (ch == '\\' && k + 1 < p->n) {
      char nx = p->s[++k];
      ss_buf_putc(&v, nx == 'n' ? '\n' : nx == 't' ? '\t' : nx);
      continue;
    }
    ss_buf_putc(&v, ch);
  }
  if (k >= p->n)
    p->bad = true;
  p->k = k + 1;
  E *e = E_new(E_STR, v.data ? v.data : "", v.len);
  ss_buf_free(&v);
  return e;
}

/* Elements up to `close`; sets *comma when one separated them. */
static void P_elements(P *p, E *into, const char *close, bool *comma) {
  *comma = false;
  while (!p->bad && !P_eat(p, close)) {
    E_add(into, P_expr(p));
    if (P_eat(p, ","))
      *comma = true;
    else if (!P_eat(p, close))
      p->bad = true;
    else
      break;
  }
}

static E *P_atom(P *p) {
  P_ws(p);
  if (p->k >= p->n) {
    p->bad = true;
    return E_new(E_NONE, NULL, 0);
  }
  const char *s = p->s + p->k;
  char c = *s;
  size_t id = P_ident(p);
  if (id) {
    p->k += id;
    if (id == 4 && !memcmp(s, "True", 4))
      return E_new(E_TRUE, NULL, 0);
    if (id == 5 && !memcmp(s, "False", 5))
      return E_new(E_FALSE, NULL, 0);
    if (id == 4 && !memcmp(s, "None", 4))
      return E_new(E_NONE, NULL, 0);
    if (S_is_keyword(s, id))
      p->bad = true;
    return E_new(E_NAME, s, id);
  }
  if (P_eat(p, "..."))
    return E_new(E_ELLIPSIS, NULL, 0);
  if (c == '\'' || c == '"')
    return P_string(p);
  if ((c >= '0' && c <= '9') ||
      (c == '.' && p->k + 1 < p->n && p->s[p->k + 1] >= '0' &&
       p->s[p->k + 1] <= '9')) {
    size_t e = p->k;
    bool hex = c == '0' && p->k + 1 < p->n &&
               (p->s[p->k + 1] == 'x' || p->s[p->k + 1] == 'X');
    bool flt = false;
    while (e < p->n &&
           (S_ident_char((unsigned char)p->s[e]) || p->s[e] == '.')) {
      flt = flt || p->s[e] == '.' ||
            (!hex && (p->s[e] == 'e' || p->s[e] == 'E' || p->s[e] == 'j'));
      e++;
    }
    E *num = E_new(flt ? E_FLOAT : E_INT, s, e - p->k);
    p->k = e;
    return num;
  }
  bool comma;
  if (P_eat(p, "[")) {
    E *l = E_new(E_LIST, NULL, 0);
    P_elements(p, l, "]", &comma);
    return l;
  }
  if (P_eat(p, "(")) {
    E *t = E_new(E_TUPLE, NULL, 0);
    P_elements(p, t, ")", &comma);
    if (t->nkids == 1 && !comma) { /* parentheses around one expression */
      E *only = t->kids[0];
      t->nkids = 0;
      E_free(t);
      return only;
    }
    return t;
  }
  if (P_eat(p, "{")) {
    E *d = E_new(E_DICT, NULL, 0);
    while (!p->bad && !P_eat(p, "}")) {
      E_add(d, P_expr(p));
      if (!P_eat(p, ":"))
        p->bad = true;
      E_add(d, P_expr(p));
      if (!P_eat(p, ",") && !P_eat(p, "}"))
        p->bad = true;
      else if (p->s[p->k - 1] == '}')
        break;
    }
    return d;
  }
  p->bad = true;
  return E_new(E_NONE, NULL, 0);
}

static E *P_primary(P *p) {
  E *e = P_atom(p);
  while (!p->bad) {
    if (P_eat(p, ".")) {
      size_t id = P_ident(p);
      if (!id) {
        p->bad = true;
        break;
      }
      E *a = E_new(E_ATTR, p->s + p->k, id);
      p->k += id;
      E_add(a, e);
      e = a;
    } else if (P_eat(p, "[")) {
      E *sub = E_new(E_SUB, NULL, 0);
      E_add(sub, e);
      E *slice = E_new(E_TUPLE, NULL, 0);
      bool comma;
      P_elements(p, slice, "]", &comma);
      if (slice->nkids == 1 && !comma) {
        E_add(sub, slice->kids[0]);
        slice->nkids = 0;
        E_free(slice);
      } else {
        E_add(sub, slice);
      }
      e = sub;
    } else if (P_eat(p, "(")) {
      E *call = E_new(E_CALL, NULL, 0);
      E_add(call, e);
      while (!p->bad && !P_eat(p, ")")) {
        size_t save = p->k, id = P_ident(p);
        size_t after = p->k + id;
        while (after < p->n && p->s[after] == ' ')
          after++;
        if (id && after < p->n && p->s[after] == '=' &&
            (after + 1 >= p->n || p->s[after + 1] != '=')) {
          E *kw = E_new(E_KEYWORD, p->s + p->k, id);
          p->k = after + 1;
          E_add(kw, P_expr(p));
          E_add(call, kw);
        } else {
          p->k = save;
          E_add(call, P_expr(p));
        }
        if (!P_eat(p, ",") && !P_eat(p, ")"))
          p->bad = true;
        else if (p->s[p->k - 1] == ')')
          break;
      }
      e = call;
    } else {
      break;
    }
  }
  return e;
}

static E *P_unary(P *p) {
  if (++p->depth > S_MAX_EXPR_DEPTH) {
    p->bad = true;
    return E_new(E_NONE, NULL, 0);
  }
  E *e;
  P_ws(p);
  const char *ops[] = {"~", "-", "+"};
  size_t i = 0;
  for (; i < 3; i++)
    if (P_eat(p, ops[i]))
      break;
  if (i < 3) {
    e = E_new(E_UNARY, ops[i], 1);
    E_add(e, P_unary(p));
  } else {
    e = P_primary(p);
    if (!p->bad && P_eat(p, "**")) {
      E *b = E_new(E_BINOP, "**", 2);
      E_add(b, e);
      E_add(b, P_unary(p));
      e = b;
    }
  }
  p->depth--;
  return e;
}

/* Binary operators by Python's precedence, loosest first. */
static const char *const S_levels[][6] = {
    {"|", NULL},        {"^", NULL},      {"&", NULL},
    {"<<", ">>", NULL}, {"+", "-", NULL}, {"*", "/", "//", "%", "@", NULL}};

static E *P_binary(P *p, int level) {
  if (level == 6)
    return P_unary(p);
  if (++p->depth > S_MAX_EXPR_DEPTH) {
    p->bad = true;
    return E_new(E_NONE, NULL, 0);
  }
  E *e = P_binary(p, level + 1);
  while (!p->bad) {
    P_ws(p);
    const char *op = NULL;
    /* Longest first: "//" before "/", "**" is no "*". */
    for (int i = 0; S_levels[level][i]; i++) {
      const char *o = S_levels[level][i];
      size_t ol = strlen(o);
      if (p->k + ol <= p->n && !memcmp(p->s + p->k, o, ol) &&
          !(ol == 1 && p->k + 1 < p->n && p->s[p->k + 1] == o[0] &&
            (o[0] == '*' || o[0] == '/' || o[0] == '<' || o[0] == '>')) &&
          (!op || ol > strlen(op)))
        op = o;
    }
    if (!op)
      break;
    p->k += strlen(op);
    E *b = E_new(E_BINOP, op, strlen(op));
    E_add(b, e);
    E_add(b, P_binary(p, level + 1));
    e = b;
  }
  p->depth--;
  return e;
}

static E *P_expr(P *p) { return P_binary(p, 0); }

/* The whole of s[0..n) as one expression, or NULL. */
static E *S_parse_expr(const char *s, size_t n) {
  P p = {s, n, 0, 0, false};
  E *e = P_expr(&p);
  P_ws(&p);
  if (p.bad || p.k != n) {
    E_free(e);
    return NULL;
  }
  return e;
}

/* Sphinx's unparser (sphinx.pycode.ast), as defaults are shown. */
static void S_unparse(const E *e, ss_buf *out) {
  switch (e->kind) {
  case E_NAME:
  case E_INT:
  case E_FLOAT:
    ss_buf_puts(out, e->text);
    break;
  case E_ATTR:
    S_unparse(e->kids[0], out);
    ss_buf_printf(out, ".%s", e->text);
    break;
  case E_SUB:
    S_unparse(e->kids[0], out);
    ss_buf_putc(out, '[');
    if (e->kids[1]->kind == E_TUPLE && e->kids[1]->nkids) {
      for (int i = 0; i < e->kids[1]->nkids; i++) {
        if (i)
          ss_buf_puts(out, ", ");
        S_unparse(e->kids[1]->kids[i], out);
      }
    } else {
      S_unparse(e->kids[1], out);
    }
    ss_buf_putc(out, ']');
    break;
  case E_CALL:
    S_unparse(e->kids[0], out);
    ss_buf_putc(out, '(');
    for (int i = 1; i < e->nkids; i++) {
      if (i > 1)
        ss_buf_puts(out, ", ");
      S_unparse(e->kids[i], out);
    }
    ss_buf_putc(out, ')');
    break;
  case E_KEYWORD:
    ss_buf_printf(out, "%s=", e->text);
    S_unparse(e->kids[0], out);
    break;
  case E_STR:
    rst_py_repr(e->text, strlen(e->text), out);
    break;
  case E_TRUE:
    ss_buf_puts(out, "True");
    break;
  case E_FALSE:
    ss_buf_puts(out, "False");
    break;
  case E_NONE:
    ss_buf_puts(out, "None");
    break;
  case E_ELLIPSIS:
    ss_buf_puts(out, "...");
    break;
  case E_LIST:
  case E_TUPLE:
    ss_buf_putc(out, e->kind == E_LIST ? '[' : '(');
    for (int i = 0; i < e->nkids; i++) {
      if (i)
        ss_buf_puts(out, ", ");
      S_unparse(e->kids[i], out);
    }
    if (e->kind == E_TUPLE && e->nkids == 1)
      ss_buf_putc(out, ',');
    ss_buf_putc(out, e->kind == E_LIST ? ']' : ')');
    break;
  case E_DICT:
    ss_buf_putc(out, '{');
    for (int i = 0; i + 1 < e->nkids; i += 2) {
      if (i)
        ss_buf_puts(out, ", ");
      S_unparse(e->kids[i], out);
      ss_buf_puts(out, ": ");
      S_unparse(e->kids[i + 1], out);
    }
    ss_buf_putc(out, '}');
    break;
  case E_UNARY:
    ss_buf_puts(out, e->text);
    S_unparse(e->kids[0], out);
    break;
  case E_BINOP:
    S_unparse(e->kids[0], out);
    ss_buf_printf(out, " %s ", e->text);
    S_unparse(e->kids[1], out);
    break;
  }
}

/* --- annotations (Sphinx's _parse_annotation) ---------------------------- */

/* The pieces of an annotation: a node, or a name (a type reference,
 * which shows its title once unresolved). */
typedef struct S_piece {
  ss_node *node; /* NULL: `name` */
  char *name;
  bool literal; /* inside Literal[...]: kept as written */
} S_piece;

typedef struct S_pieces {
  S_piece *items;
  int n;
} S_pieces;

static void S_push(S_pieces *ps, ss_node *node, const char *name, bool lit) {
  ps->items = ss_xrealloc(ps->items, sizeof *ps->items * (size_t)(ps->n + 1));
  ps->items[ps->n++] = (S_piece){node, name ? ss_xstrdup(name) : NULL, lit};
}

static void S_pieces_free(S_pieces *ps) {
  for (int i = 0; i < ps->n; i++) {
    ss_node_free(ps->items[i].node);
    free(ps->items[i].name);
  }
  free(ps->items);
}

static ss_node *S_punct(const char *s, int line) {
  return S_sig_str(SS_DESC_SIG_PUNCTUATION, s, line);
}

/* False where Sphinx's unparse() raises SyntaxError. */
static bool S_annotation_pieces(const E *e, S_pieces *ps, int line) {
  switch (e->kind) {
  case E_NAME:
    S_push(ps, NULL, e->text, false);
    return true;
  case E_ATTR: {
    S_pieces inner = {0};
    bool ok = S_annotation_pieces(e->kids[0], &inner, line) && inner.n &&
              !inner.items[0].node;
    if (ok) {
      ss_buf name = SS_BUF_INIT;
      ss_buf_printf(&name, "%s.%s", inner.items[0].name, e->text);
      S_push(ps, NULL, name.data, false);
      ss_buf_free(&name);
    }
    S_pieces_free(&inner);
    return ok;
  }
  case E_BINOP:
    if (strcmp(e->text, "|") != 0 || !S_annotation_pieces(e->kids[0], ps, line))
      return false;
    S_push(ps, S_space(line), NULL, false);
    S_push(ps, S_punct("|", line), NULL, false);
    S_push(ps, S_space(line), NULL, false);
    return S_annotation_pieces(e->kids[1], ps, line);
  case E_ELLIPSIS:
    S_push(ps, S_punct("...", line), NULL, false);
    return true;
  case E_TRUE:
  case E_FALSE:
    S_push(ps,
           S_sig_str(SS_DESC_SIG_KEYWORD, e->kind == E_TRUE ? "True" : "False",
                     line),
           NULL, false);
    return true;
  case E_INT: {
    /* repr() of the value: decimal. */
    long long v = strtoll(e->text, NULL, 0);
    ss_buf num = SS_BUF_INIT;
    ss_buf_printf(&num, "%lld", v);
    S_push(ps, S_sig(SS_DESC_SIG_LITERAL_NUMBER, num.data, num.len, line), NULL,
           false);
    ss_buf_free(&num);
    return true;
  }
  case E_STR: {
    ss_buf r = SS_BUF_INIT;
    rst_py_repr(e->text, strlen(e->text), &r);
    S_push(ps, S_sig(SS_DESC_SIG_LITERAL_STRING, r.data, r.len, line), NULL,
           false);
    ss_buf_free(&r);
    return true;
  }
  case E_NONE:
    S_push(ps, NULL, "None", false);
    return true;
  case E_FLOAT:
    S_push(ps, NULL, e->text, false);
    return true;
  case E_UNARY:
    if (strcmp(e->text, "~") != 0)
      return false;
    S_push(ps, S_punct("~", line), NULL, false);
    return S_annotation_pieces(e->kids[0], ps, line);
  case E_LIST:
  case E_TUPLE:
    if (e->kind == E_LIST)
      S_push(ps, S_punct("[", line), NULL, false);
    else if (!e->nkids) {
      S_push(ps, S_punct("(", line), NULL, false);
      S_push(ps, S_punct(")", line), NULL, false);
      return true;
    }
    for (int i = 0; i < e->nkids; i++) {
      if (i) {
        S_push(ps, S_punct(",", line), NULL, false);
        S_push(ps, S_space(line), NULL, false);
      }
      if (!S_annotation_pieces(e->kids[i], ps, line))
        return false;
    }
    if (e->kind == E_LIST)
      S_push(ps, S_punct("]", line), NULL, false);
    return true;
  case E_SUB: {
    int first = ps->n;
    if (!S_annotation_pieces(e->kids[0], ps, line))
      return false;
    S_push(ps, S_punct("[", line), NULL, false);
    int inside = ps->n;
    if (!S_annotation_pieces(e->kids[1], ps, line))
      return false;
    S_push(ps, S_punct("]", line), NULL, false);
    const char *head = ps->items[first].name;
    if (head && (!strcmp(head, "Literal") || !strcmp(head, "typing.Literal")))
      for (int i = inside; i < ps->n; i++)
        ps->items[i].literal = ps->items[i].name != NULL;
    return true;
  }
  default:
    return false;
  }
}

/* Sphinx's parse_reftarget: the title a type reference shows. */
static void S_type_title(const char *target, bool suppress, ss_buf *out) {
  const char *dot = strrchr(target, '.');
  if (target[0] == '.')
    ss_buf_puts(out, target + 1);
  else if (target[0] == '~' || suppress)
    ss_buf_puts(out, dot ? dot + 1 : target + (target[0] == '~'));
  else if (!strncmp(target, "typing.", 7))
    ss_buf_puts(out, target + 7);
  else
    ss_buf_puts(out, target);
}

/* The annotation's nodes, appended to `into`. */
static void S_annotation(const char *s, size_t n, ss_node *into, int line) {
  E *e = S_parse_expr(s, n);
  S_pieces ps = {0};
  if (!e || !S_annotation_pieces(e, &ps, line)) {
    S_pieces_free(&ps);
    ps = (S_pieces){0};
    char *whole = ss_xstrndup(s, n);
    S_push(&ps, NULL, whole, false);
    free(whole);
  }
  E_free(e);
  for (int i = 0; i < ps.n; i++) {
    S_piece *pc = &ps.items[i];
    if (pc->node) {
      ss_node_append(into, pc->node);
      pc->node = NULL;
      continue;
    }
    ss_buf title = SS_BUF_INIT;
    bool suppress = false;
    /* A "~" before a name shortens it and goes. */
    ss_node *last = into->last;
    if (!pc->literal && last && last->kind == SS_DESC_SIG_PUNCTUATION &&
        last->first && !strcmp(last->first->text, "~")) {
      ss_node_free(ss_node_unlink(last));
      suppress = true;
    }
    if (pc->literal)
      ss_buf_puts(&title, pc->name);
    else
      S_type_title(pc->name, suppress, &title);
    ss_node_append_text(into, title.data ? title.data : "", title.len, line);
    ss_buf_free(&title);
  }
  S_pieces_free(&ps);
}

/* --- parameters (Sphinx's _parse_arglist) -------------------------------- */

/* The pieces of s[0..n) between top-level commas (outside brackets and
 * strings): their spans in starts/ends (allocated); returns how many. */
static int S_split_commas(const char *s, size_t n, size_t **starts,
                          size_t **ends) {
  size_t cap = 8, from = 0;
  int count = 0, depth = 0;
  *starts = ss_xmalloc(cap * sizeof **starts);
  *ends = ss_xmalloc(cap * sizeof **ends);
  char quote = 0;
  for (size_t k = 0; k <= n; k++) {
    bool split = k == n;
    if (!split) {
      char c = s[k];
      if (quote) {
        if (c == '\\')
          k++;
        else if (c == quote)
          quote = 0;
        continue;
      }
      if (c == '\'' || c == '"')
        quote = c;
      else if (c == '(' || c == '[' || c == '{')
        depth++;
      else if (c == ')' || c == ']' || c == '}')
        depth--;
      split = c == ',' && depth == 0;
    }
    if (!split)
      continue;
    if ((size_t)count == cap) {
      cap *= 2;
      *starts = ss_xrealloc(*starts, cap * sizeof **starts);
      *ends = ss_xrealloc(*ends, cap * sizeof **ends);
    }
    (*starts)[count] = from;
    (*ends)[count] = k < n ? k : n;
    count++;
    from = k + 1;
  }
  return count;
}

/* The first top-level `ch` (for '=', not part of "==", "<=", ...). */
static size_t S_top_level(const char *s, size_t n, char ch) {
  int depth = 0;
  char quote = 0;
  for (size_t k = 0; k < n; k++) {
    char c = s[k];
    if (quote) {
      if (c == '\\')
        k++;
      else if (c == quote)
        quote = 0;
      continue;
    }
    if (c == ch && depth == 0 &&
        !(ch == '=' && ((k + 1 < n && s[k + 1] == '=') ||
                        (k > 0 && strchr("=<>!", s[k - 1])))))
      return k;
    if (c == '\'' || c == '"')
      quote = c;
    else if (c == '(' || c == '[' || c == '{')
      depth++;
    else if (c == ')' || c == ']' || c == '}')
      depth--;
  }
  return n;
}

static void S_trim(const char **s, size_t *n) {
  while (*n && ((*s)[0] == ' ' || (*s)[0] == '\n'))
    (*s)++, (*n)--;
  while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\n'))
    (*n)--;
}

typedef enum { K_POSONLY, K_POS, K_VARPOS, K_KWONLY, K_VARKW } S_kindof;

typedef struct S_param {
  S_kindof kind;
  const char *name, *ann, *def;
  size_t name_len, ann_len, def_len;
} S_param;

/* The parameters as Python reads "def f(arglist)"; false on what it
 * would reject (a SyntaxError). */
static bool S_params(const char *s, size_t n, S_param **out, int *nout) {
  size_t *starts, *ends;
  int pieces = S_split_commas(s, n, &starts, &ends);
  S_param *ps = ss_xmalloc(sizeof *ps * (size_t)(pieces ? pieces : 1));
  int np = 0;
  bool ok = true, star = false, defaults = false, varkw = false;
  for (int i = 0; i < pieces && ok; i++) {
    const char *a = s + starts[i];
    size_t len = ends[i] - starts[i];
    S_trim(&a, &len);
    if (!len) {
      /* Only a trailing comma, after something, leaves nothing. */
      ok = i == pieces - 1 && i > 0;
      continue;
    }
    if (varkw) {
      ok = false;
      break;
    }
    if (len == 1 && a[0] == '/') {
      /* Everything so far is positional-only. */
      ok = np > 0 && !star;
      for (int k = 0; k < np && ok; k++)
        ok = ps[k].kind == K_POS;
      for (int k = 0; k < np; k++)
        ps[k].kind = K_POSONLY;
      continue;
    }
    S_param p = {star ? K_KWONLY : K_POS, NULL, NULL, NULL, 0, 0, 0};
    if (len >= 2 && a[0] == '*' && a[1] == '*') {
      p.kind = K_VARKW;
      a += 2, len -= 2;
      varkw = true;
    } else if (a[0] == '*') {
      a++, len--;
      ok = !star;
      star = true;
      S_trim(&a, &len);
      if (!len) { /* a bare "*": keyword-only from here */
        ok = ok && i + 1 < pieces;
        continue;
      }
      p.kind = K_VARPOS;
    }
    size_t eq = S_top_level(a, len, '=');
    size_t colon = S_top_level(a, eq, ':');
    p.name = a;
    p.name_len = colon;
    S_trim(&p.name, &p.name_len);
    P id = {p.name, p.name_len, 0, 0, false};
    ok = ok && P_ident(&id) == p.name_len && p.name_len &&
         !S_is_keyword(p.name, p.name_len);
    for (int k = 0; k < np && ok; k++)
      ok = !(ps[k].name_len == p.name_len &&
             !memcmp(ps[k].name, p.name, p.name_len));
    if (colon < eq) {
      p.ann = a + colon + 1;
      p.ann_len = eq - colon - 1;
      S_trim(&p.ann, &p.ann_len);
      E *e = S_parse_expr(p.ann, p.ann_len);
      ok = ok && e;
      E_free(e);
    }
    if (eq < len) {
      p.def = a + eq + 1;
      p.def_len = len - eq - 1;
      S_trim(&p.def, &p.def_len);
      E *e = S_parse_expr(p.def, p.def_len);
      ok = ok && e && (p.kind == K_POS || p.kind == K_KWONLY);
      E_free(e);
      if (p.kind == K_POS)
        defaults = true;
    } else if (p.kind == K_POS && defaults) {
      ok = false; /* non-default argument follows default argument */
    }
    ps[np++] = p;
  }
  free(starts);
  free(ends);
  if (!ok) {
    free(ps);
    return false;
  }
  *out = ps;
  *nout = np;
  return true;
}

static ss_node *S_parameter(int line) {
  return ss_node_new(SS_DESC_PARAMETER, line);
}

static ss_node *S_operator(const char *op, int line) {
  ss_node *par = S_parameter(line);
  ss_node_append(par, S_sig_str(SS_DESC_SIG_OPERATOR, op, line));
  return par;
}

/* Sphinx parses "def func(" + arglist + "): pass": a ")" inside the
 * arglist (from "f(x) -> g(y)") ends the parameters there, and what
 * follows must then read as a return annotation. Returns the length of
 * the parameters, or n + 1 when Python would reject the rest. */
static size_t S_params_end(const char *s, size_t n) {
  size_t close = S_top_level(s, n, ')');
  if (close == n)
    return n;
  ss_buf tail = SS_BUF_INIT;
  ss_buf_put(&tail, s + close + 1, n - close - 1);
  ss_buf_putc(&tail, ')');
  const char *t = tail.data;
  size_t len = tail.len;
  S_trim(&t, &len);
  bool ok = len > 2 && t[0] == '-' && t[1] == '>';
  if (ok) {
    t += 2, len -= 2;
    S_trim(&t, &len);
    E *e = S_parse_expr(t, len);
    ok = e != NULL;
    E_free(e);
  }
  ss_buf_free(&tail);
  return ok ? close : n + 1;
}

static bool S_arglist(const char *s, size_t n, ss_node *sig, int line) {
  S_param *ps;
  int np;
  size_t end = S_params_end(s, n);
  if (end > n || !S_params(s, end, &ps, &np))
    return false;
  ss_node *list = ss_node_append(sig, ss_node_new(SS_DESC_PARAMETERLIST, line));
  int last = -1;
  for (int i = 0; i < np; i++) {
    S_param *p = &ps[i];
    if (p->kind != K_POSONLY && last == K_POSONLY)
      ss_node_append(list, S_operator("/", line));
    if (p->kind == K_KWONLY &&
        (last == K_POS || last == K_POSONLY || last == -1))
      ss_node_append(list, S_operator("*", line));
    ss_node *par = ss_node_append(list, S_parameter(line));
    if (p->kind == K_VARPOS || p->kind == K_VARKW)
      ss_node_append(par, S_sig_str(SS_DESC_SIG_OPERATOR,
                                    p->kind == K_VARPOS ? "*" : "**", line));
    ss_node_append(par, S_sig(SS_DESC_SIG_NAME, p->name, p->name_len, line));
    if (p->ann) {
      ss_node_append(par, S_punct(":", line));
      ss_node_append(par, S_space(line));
      ss_node *ann = ss_node_append(par, S_sig(SS_DESC_SIG_NAME, "", 0, line));
      S_annotation(p->ann, p->ann_len, ann, line);
    }
    if (p->def) {
      if (p->ann)
        ss_node_append(par, S_space(line));
      ss_node_append(par, S_sig_str(SS_DESC_SIG_OPERATOR, "=", line));
      if (p->ann)
        ss_node_append(par, S_space(line));
      E *e = S_parse_expr(p->def, p->def_len);
      ss_buf shown = SS_BUF_INIT;
      S_unparse(e, &shown);
      E_free(e);
      ss_node *v = ss_node_append(par, ss_node_new(SS_INLINE, line));
      ss_node_attr_add(v, "classes", "default_value");
      ss_node_attr_set(v, "support_smartquotes", "False");
      ss_node_append(v, ss_text_new(shown.data, shown.len, line));
      ss_buf_free(&shown);
    }
    last = (int)p->kind;
  }
  if (last == K_POSONLY)
    ss_node_append(list, S_operator("/", line));
  free(ps);
  return true;
}

/* Sphinx's _pseudo_parse_arglist: commas, and brackets for optional
 * parts; unbalanced brackets make the whole one parameter. */
static void S_pseudo_arglist(const char *s, size_t n, ss_node *sig, int line) {
  ss_node *list = ss_node_new(SS_DESC_PARAMETERLIST, line);
  ss_node *stack[S_MAX_EXPR_DEPTH];
  int top = 0;
  stack[0] = list;
  bool ok = true;
  const char *p = s, *end = s + n;
  while (ok) {
    const char *comma = memchr(p, ',', (size_t)(end - p));
    const char *e = comma ? comma : end;
    const char *a = p;
    size_t len = (size_t)(e - p);
    S_trim(&a, &len);
    int ends_open = 0, ends_close = 0;
    while (ok && len && a[0] == '[') {
      ok = top + 1 < S_MAX_EXPR_DEPTH;
      if (ok) {
        stack[top + 1] =
            ss_node_append(stack[top], ss_node_new(SS_DESC_OPTIONAL, line));
        top++;
      }
      a++, len--;
      S_trim(&a, &len);
    }
    while (ok && len && a[0] == ']') {
      ok = top > 0;
      top--;
      a++, len--;
      S_trim(&a, &len);
    }
    while (len && a[len - 1] == ']' && !(len >= 2 && a[len - 2] == '[')) {
      ends_close++;
      len--;
      S_trim(&a, &len);
    }
    while (len && a[len - 1] == '[') {
      ends_open++;
      len--;
      S_trim(&a, &len);
    }
    if (ok && len) {
      ss_node *par = ss_node_append(stack[top], S_parameter(line));
      ss_node_append(par, S_sig(SS_DESC_SIG_NAME, a, len, line));
    }
    for (; ok && ends_open; ends_open--) {
      ok = top + 1 < S_MAX_EXPR_DEPTH;
      if (ok) {
        stack[top + 1] =
            ss_node_append(stack[top], ss_node_new(SS_DESC_OPTIONAL, line));
        top++;
      }
    }
    for (; ok && ends_close; ends_close--) {
      ok = top > 0;
      top--;
    }
    if (!comma)
      break;
    p = comma + 1;
  }
  if (!ok || top != 0) {
    ss_node_free(list);
    list = ss_node_new(SS_DESC_PARAMETERLIST, line);
    ss_node *par = ss_node_append(list, S_parameter(line));
    ss_node_append(par, ss_text_new(s, n, line));
  }
  ss_node_append(sig, list);
}

/* --- the signature ------------------------------------------------------ */

static bool S_word(const char *s, size_t *k, size_t n) {
  size_t start = *k;
  while (*k < n) {
    int32_t cp;
    size_t w = ss_utf8_decode(s + *k, n - *k, &cp);
    if (!(ss_uc_is_alnum(cp) || cp == '_'))
      break;
    *k += w;
  }
  return *k > start;
}

/* Sphinx's py_sig_re: "[prefix.]name[(arglist)[ -> retann]]", the
 * arglist running to the last ")" that leaves a valid rest. */
typedef struct S_sigparts {
  size_t prefix_len, name_at, name_len;
  bool has_args;
  size_t args_at, args_len;
  bool has_ret;
  size_t ret_at;
} S_sigparts;

static bool S_match_sig(const char *s, size_t n, S_sigparts *m) {
  memset(m, 0, sizeof *m);
  /* The prefix: the longest run of word characters and dots ending in a
   * dot that a name follows. */
  size_t k = 0, last_dot = 0;
  bool dot = false;
  while (k < n) {
    if (s[k] == '.') {
      k++;
      last_dot = k;
      dot = true;
      continue;
    }
    if (!S_word(s, &k, n))
      break;
  }
  m->prefix_len = dot ? last_dot : 0;
  k = m->prefix_len;
  m->name_at = k;
  if (!S_word(s, &k, n))
    return false;
  m->name_len = k - m->name_at;
  while (k < n && s[k] == ' ')
    k++;
  if (k == n)
    return true;
  if (s[k] != '(')
    return false;
  size_t open = k + 1;
  while (open < n && s[open] == ' ')
    open++;
  for (size_t close = n; close-- > open;) {
    if (s[close] != ')')
      continue;
    size_t r = close + 1;
    while (r < n && s[r] == ' ')
      r++;
    if (r == n || (r + 1 < n && s[r] == '-' && s[r + 1] == '>')) {
      m->has_args = true;
      m->args_at = open;
      m->args_len = close - open;
      if (r < n) {
        m->has_ret = true;
        r += 2;
        while (r < n && s[r] == ' ')
          r++;
        m->ret_at = r;
      }
      return true;
    }
  }
  return false;
}

static const char *const S_addname_cls[] = {
    "sig-prename", "descclassname", "sig-prename", "descclassname", NULL};
static const char *const S_name_cls[] = {"sig-name", "descname", "sig-name",
                                         "descname", NULL};

/* --- the object directives (PyObject and its kinds) --------------------- */

/* How an object's index entry reads (get_index_text). */
typedef enum {
  I_FUNCTION,  /* "f() (in module m)", or the pair "built-in function" */
  I_DATA,      /* "x (in module m)", "x (built-in variable)" */
  I_CLASS,     /* "C (class in m)", "C (built-in class)" */
  I_EXCEPTION, /* "E" */
  I_METHOD,    /* "m() (m.C method)", class method, static method, ... */
  I_ATTRIBUTE, /* "a (m.C attribute)" */
  I_PROPERTY   /* "p (m.C property)" */
} S_index_kind;

/* One directive of the Python domain. */
typedef struct S_pyobj {
  const char *name;    /* the directive, without "py:" */
  const char *objtype; /* what the desc says (a decorator is a function) */
  S_index_kind index;
  bool nesting;        /* allow_nesting: its content is inside it (a class) */
  bool arglist;        /* needs_arglist: "()" even when none is written */
  bool at;             /* a decorator: "@" before the name */
  const char *implied; /* an option the directive sets (classmethod) */
} S_pyobj;

static const S_pyobj S_pyobjs[] = {
    {"function", "function", I_FUNCTION, false, true, false, NULL},
    {"decorator", "function", I_FUNCTION, false, false, true, NULL},
    {"data", "data", I_DATA, false, false, false, NULL},
    {"class", "class", I_CLASS, true, false, false, NULL},
    {"exception", "exception", I_EXCEPTION, true, false, false, NULL},
    {"method", "method", I_METHOD, false, true, false, NULL},
    {"classmethod", "method", I_METHOD, false, true, false, "classmethod"},
    {"staticmethod", "method", I_METHOD, false, true, false, "staticmethod"},
    {"decoratormethod", "method", I_METHOD, false, false, true, NULL},
    {"attribute", "attribute", I_ATTRIBUTE, false, false, false, NULL},
    {"property", "property", I_PROPERTY, false, false, false, NULL},
};

static const S_pyobj *S_pyobj_of(const char *name) {
  for (size_t k = 0; k < sizeof S_pyobjs / sizeof *S_pyobjs; k++)
    if (!strcmp(S_pyobjs[k].name, name))
      return &S_pyobjs[k];
  return NULL;
}

static bool S_flag(const rst_directive *d, const S_pyobj *o, const char *name) {
  return rst_dir_option(d, name) || (o->implied && !strcmp(o->implied, name));
}

/* get_signature_prefix: the words before the name, each followed by a
 * space, in a desc_annotation (NULL when there are none). */
static ss_node *S_sig_prefix(rst_parser *p, const rst_directive *d,
                             const S_pyobj *o, int line) {
  const char *words[8];
  int n = 0;
  bool keyword = false; /* a function's "async" is a keyword node */
  if (!strcmp(o->objtype, "function")) {
    if (rst_dir_option(d, "async"))
      words[n++] = "async", keyword = true;
  } else if (o->nesting) {
    if (rst_dir_option(d, "final"))
      words[n++] = "final";
    words[n++] = o->objtype;
  } else if (o->index == I_METHOD) {
    static const char *const flags[][2] = {
        {"final", "final"},       {"abstractmethod", "abstract"},
        {"async", "async"},       {"classmethod", "classmethod"},
        {"property", "property"}, {"staticmethod", "static"}};
    for (size_t k = 0; k < sizeof flags / sizeof *flags; k++)
      if (S_flag(d, o, flags[k][0]))
        words[n++] = flags[k][1];
    if (rst_dir_option(d, "property"))
      ss_diag_report(p->opts->diag, NULL, 0, SS_LEVEL_WARNING,
                     "Using the :property: flag with the py:method "
                     "directiveis deprecated, use \".. py:property::\" "
                     "instead.");
  } else if (o->index == I_PROPERTY) {
    if (rst_dir_option(d, "abstractmethod"))
      words[n++] = "abstract";
    if (rst_dir_option(d, "classmethod"))
      words[n++] = "class";
    words[n++] = "property";
  }
  if (!n)
    return NULL;
  ss_node *ann = ss_node_new(SS_DESC_ANNOTATION, line);
  for (int k = 0; k < n; k++) {
    if (keyword)
      ss_node_append(ann, S_sig_str(SS_DESC_SIG_KEYWORD, words[k], line));
    else
      ss_node_append_text(ann, words[k], strlen(words[k]), line);
    ss_node_append(ann, S_space(line));
  }
  return ann;
}

/* :type: and :value: of data, attributes and properties. */
static void S_type_value(const rst_directive *d, const S_pyobj *o, ss_node *sn,
                         int line) {
  if (o->index != I_DATA && o->index != I_ATTRIBUTE && o->index != I_PROPERTY)
    return;
  const char *typ = rst_dir_option(d, "type");
  if (typ && *typ) {
    ss_node *a = ss_node_append(sn, ss_node_new(SS_DESC_ANNOTATION, line));
    ss_node_append(a, S_punct(":", line));
    ss_node_append(a, S_space(line));
    S_annotation(typ, strlen(typ), a, line);
  }
  const char *value = rst_dir_option(d, "value");
  if (value && *value && o->index != I_PROPERTY) {
    ss_node *a = ss_node_append(sn, ss_node_new(SS_DESC_ANNOTATION, line));
    ss_node_append(a, S_space(line));
    ss_node_append(a, S_punct("=", line));
    ss_node_append(a, S_space(line));
    ss_node_append_text(a, value, strlen(value), line);
  }
}

/* get_index_text of the object named `name` (its full name). */
static void S_index_text(const rst_directive *d, const S_pyobj *o,
                         const char *modname, const char *name, ss_buf *out) {
  const char *dot = strrchr(name, '.');
  switch (o->index) {
  case I_FUNCTION:
    if (modname && *modname)
      ss_buf_printf(out, "%s() (in module %s)", name, modname);
    else
      ss_buf_printf(out, "built-in function; %s()", name);
    return;
  case I_DATA:
    if (modname && *modname)
      ss_buf_printf(out, "%s (in module %s)", name, modname);
    else
      ss_buf_printf(out, "%s (built-in variable)", name);
    return;
  case I_CLASS:
    if (modname && *modname)
      ss_buf_printf(out, "%s (class in %s)", name, modname);
    else
      ss_buf_printf(out, "%s (built-in class)", name);
    return;
  case I_EXCEPTION:
    ss_buf_puts(out, name);
    return;
  default:
    break;
  }
  /* Methods, attributes and properties: "<member> (<class> ...)". */
  bool call = o->index == I_METHOD && !rst_dir_option(d, "property");
  if (!dot) {
    if (modname && *modname)
      ss_buf_printf(out, "%s%s (in module %s)", name, call ? "()" : "",
                    modname);
    else
      ss_buf_printf(out, "%s%s", name, call ? "()" : "");
    return;
  }
  ss_buf cls = SS_BUF_INIT;
  if (modname && *modname)
    ss_buf_printf(&cls, "%s.", modname);
  ss_buf_put(&cls, name, (size_t)(dot - name));
  const char *member = dot + 1;
  if (o->index == I_ATTRIBUTE)
    ss_buf_printf(out, "%s (%s attribute)", member, cls.data);
  else if (o->index == I_PROPERTY || rst_dir_option(d, "property"))
    ss_buf_printf(out, "%s (%s property)", member, cls.data);
  else if (S_flag(d, o, "classmethod"))
    ss_buf_printf(out, "%s() (%s class method)", member, cls.data);
  else if (S_flag(d, o, "staticmethod"))
    ss_buf_printf(out, "%s() (%s static method)", member, cls.data);
  else
    ss_buf_printf(out, "%s() (%s method)", member, cls.data);
  ss_buf_free(&cls);
}

/* What handle_signature returns: the full name, and the prefix written
 * before the name (what is left of it inside a class). */
typedef struct S_pyname {
  char *fullname, *prefix;
} S_pyname;

/* The module an object is in: its :module:, else the current one. */
static const char *S_modname(const rst_parser *p, const rst_directive *d) {
  const char *module = rst_dir_option(d, "module");
  return module ? module : p->py_module;
}

/* One signature line (PyObject.handle_signature and
 * add_target_and_index): appends its desc_signature to desc and, unless
 * noindex or already described in this directive, its target and index
 * entry. Returns false when the line is no Python signature. */
static bool S_signature(rst_parser *p, const rst_directive *d, const S_pyobj *o,
                        const char *sig, size_t len, ss_node *desc,
                        ss_node *index, int line, S_pyname *names,
                        int *nnames) {
  ss_node *sn = ss_node_append(desc, ss_node_new(SS_DESC_SIGNATURE, line));
  static const char *const cls[] = {"sig", "sig-object", "py", "sig",
                                    "sig-object"};
  for (size_t k = 0; k < 5; k++)
    ss_node_attr_add(sn, "classes", cls[k]);
  S_sigparts m;
  if (!S_match_sig(sig, len, &m)) {
    /* Sphinx keeps the text as the name, with no target. */
    ss_node_attr_set(sn, "_toc_name", "");
    ss_node_attr_set(sn, "_toc_parts", "");
    ss_node_append(sn, S_named(SS_DESC_NAME, sig, len, S_name_cls, line));
    return false;
  }
  const char *modname = S_modname(p, d);
  const char *context = p->py_class;
  ss_buf fullname = SS_BUF_INIT, classname = SS_BUF_INIT, prefix = SS_BUF_INIT;
  ss_buf_put(&prefix, sig, m.prefix_len);
  const char *name = sig + m.name_at;
  bool add_module = !context;
  if (context) {
    size_t cl = strlen(context);
    bool again = m.prefix_len > cl && !strncmp(prefix.data, context, cl) &&
                 prefix.data[cl] == '.';
    if (again) { /* the class named again in the signature */
      ss_buf_put(&fullname, sig, m.prefix_len + m.name_len);
      size_t cut = cl;
      while (cut < prefix.len && prefix.data[cut] == '.')
        cut++;
      memmove(prefix.data, prefix.data + cut, prefix.len - cut + 1);
      prefix.len -= cut;
    } else if (m.prefix_len) {
      ss_buf_printf(&fullname, "%s.%.*s", context,
                    (int)(m.prefix_len + m.name_len), sig);
    } else {
      ss_buf_printf(&fullname, "%s.%.*s", context, (int)m.name_len, name);
    }
    ss_buf_puts(&classname, context);
  } else {
    ss_buf_put(&fullname, sig, m.prefix_len + m.name_len);
    if (m.prefix_len)
      ss_buf_put(&classname, sig, m.prefix_len - 1);
  }
  if (!classname.data)
    ss_buf_puts(&classname, "");
  if (!prefix.data)
    ss_buf_puts(&prefix, "");
  /* _toc_parts and _toc_name (toc_object_entries_show_parents
   * "domain"): the full name, with "()" for functions and methods. */
  ss_buf parts = SS_BUF_INIT, toc = SS_BUF_INIT;
  if (modname && *modname)
    ss_buf_printf(&parts, "%s ", modname);
  for (const char *c = fullname.data; *c; c++)
    ss_buf_putc(&parts, *c == '.' ? ' ' : *c);
  bool parens =
      !strcmp(o->objtype, "function") || !strcmp(o->objtype, "method");
  ss_buf_printf(&toc, "%s%s", fullname.data, parens ? "()" : "");
  ss_node_attr_set(sn, "_toc_name", toc.data);
  ss_node_attr_set(sn, "_toc_parts", parts.data);
  ss_node_attr_set(sn, "class", classname.data);
  ss_node_attr_set(sn, "fullname", fullname.data);
  /* Sphinx's xml builder shows a module that is None as "True". */
  ss_node_attr_set(sn, "module", modname ? modname : "True");
  if (o->at)
    ss_node_append(sn, S_named(SS_DESC_ADDNAME, "@", 1, S_addname_cls, line));
  ss_node *ann = S_sig_prefix(p, d, o, line);
  if (ann)
    ss_node_append(sn, ann);
  if (prefix.len)
    ss_node_append(sn, S_named(SS_DESC_ADDNAME, prefix.data, prefix.len,
                               S_addname_cls, line));
  else if (modname && *modname && add_module) {
    ss_buf mod = SS_BUF_INIT;
    ss_buf_printf(&mod, "%s.", modname);
    ss_node_append(
        sn, S_named(SS_DESC_ADDNAME, mod.data, mod.len, S_addname_cls, line));
    ss_buf_free(&mod);
  }
  ss_node_append(sn, S_named(SS_DESC_NAME, name, m.name_len, S_name_cls, line));
  bool arglist =
      o->arglist && !(o->index == I_METHOD && rst_dir_option(d, "property"));
  if (m.has_args && m.args_len) {
    if (!S_arglist(sig + m.args_at, m.args_len, sn, line))
      S_pseudo_arglist(sig + m.args_at, m.args_len, sn, line);
  } else if (arglist) {
    ss_node_append(sn, ss_node_new(SS_DESC_PARAMETERLIST, line));
  }
  if (m.has_ret) {
    ss_node *ret = ss_node_append(sn, ss_node_new(SS_DESC_RETURNS, line));
    S_annotation(sig + m.ret_at, len - m.ret_at, ret, line);
  }
  const char *extra = rst_dir_option(d, "annotation");
  if (extra && *extra) {
    ss_node *a = ss_node_append(sn, ss_node_new(SS_DESC_ANNOTATION, line));
    ss_node_append(a, S_space(line));
    ss_node_append_text(a, extra, strlen(extra), line);
  }
  S_type_value(d, o, sn, line);
  /* Only the first description of a name in the directive is a target. */
  bool known = false;
  for (int k = 0; k < *nnames && !known; k++)
    known = !strcmp(names[k].fullname, fullname.data) &&
            !strcmp(names[k].prefix, prefix.data);
  if (!known) {
    names[*nnames].fullname = ss_xstrdup(fullname.data);
    names[(*nnames)++].prefix = ss_xstrdup(prefix.data);
  }
  if (!known && !rst_dir_option(d, "noindex")) {
    ss_buf target = SS_BUF_INIT, id = SS_BUF_INIT, text = SS_BUF_INIT;
    if (modname && *modname)
      ss_buf_printf(&target, "%s.", modname);
    ss_buf_puts(&target, fullname.data);
    rst_sphinx_id(p, "", target.data, &id);
    ss_node_attr_add(sn, "ids", id.data);
    if (!rst_dir_option(d, "noindexentry")) {
      S_index_text(d, o, modname, fullname.data, &text);
      bool pair = o->index == I_FUNCTION && !(modname && *modname);
      rst_index_add(index, pair ? "pair" : "single", text.data, id.data, "",
                    NULL);
    }
    ss_buf_free(&target);
    ss_buf_free(&id);
    ss_buf_free(&text);
  }
  ss_buf_free(&fullname);
  ss_buf_free(&classname);
  ss_buf_free(&prefix);
  ss_buf_free(&parts);
  ss_buf_free(&toc);
  return true;
}

static void S_set(char **slot, const char *value) {
  free(*slot);
  *slot = value ? ss_xstrdup(value) : NULL;
}

static void S_run_py(rst_parser *p, const rst_dspec *spec,
                     const rst_directive *d, ss_node *parent) {
  const S_pyobj *o = S_pyobj_of(spec->klass);
  const char *objtype = o->objtype;
  bool noindex = rst_dir_option(d, "noindex") != NULL;
  /* Sphinx's ObjectDescription returns the index and the desc once the
   * content is parsed: they take the state machine's line then. The
   * signatures have the directive's (set_source_info), and what is put
   * in them too (the document's line is set to it first), as is the
   * content node. */
  ss_node *index = ss_node_append(parent, rst_index_new(RST_ATTACH_LINE));
  ss_node *desc = ss_node_append(parent, ss_node_new(SS_DESC, RST_ATTACH_LINE));
  ss_node_attr_add(desc, "classes", "py");
  ss_node_attr_add(desc, "classes", objtype);
  ss_node_attr_set(desc, "desctype", objtype);
  ss_node_attr_set(desc, "domain", "py");
  ss_node_attr_set(desc, "nocontentsentry",
                   rst_dir_option(d, "nocontentsentry") ? "True" : "False");
  ss_node_attr_set(desc, "noindex", noindex ? "True" : "False");
  ss_node_attr_set(desc, "noindexentry",
                   rst_dir_option(d, "noindexentry") ? "True" : "False");
  ss_node_attr_set(desc, "objtype", objtype);
  /* One signature per line; a backslash at a line's end joins lines. */
  ss_buf joined = SS_BUF_INIT;
  const char *raw = d->args_raw ? d->args_raw : d->args;
  for (const char *s = raw; *s; s++) {
    if (s[0] == '\\' && s[1] == '\n') {
      s++;
      continue;
    }
    ss_buf_putc(&joined, *s);
  }
  const char *s = joined.data ? joined.data : "";
  int nlines = 1;
  for (const char *c = s; *c; c++)
    nlines += *c == '\n';
  S_pyname *names = ss_xmalloc(sizeof *names * (size_t)nlines);
  int nnames = 0;
  for (;;) {
    const char *e = strchr(s, '\n');
    const char *b = s;
    size_t len = e ? (size_t)(e - s) : strlen(s);
    S_trim(&b, &len);
    S_signature(p, d, o, b, len, desc, index, d->lineno, names, &nnames);
    if (!e)
      break;
    s = e + 1;
  }
  ss_buf_free(&joined);
  /* before_content: a class is the class of what its content
   * describes (and goes on Sphinx's py:classes stack); "K.m" makes K
   * that of m's; :module: the module (the one before kept, as on
   * Sphinx's py:modules stack). */
  char *saved_module = p->py_module ? ss_xstrdup(p->py_module) : NULL;
  const char *module = rst_dir_option(d, "module");
  bool pushed = false;
  if (nnames) {
    const S_pyname *last = &names[nnames - 1];
    ss_buf prefix = SS_BUF_INIT;
    if (o->nesting) {
      ss_buf_puts(&prefix, last->fullname);
    } else {
      const char *b = last->prefix;
      size_t len = strlen(b);
      while (len && b[len - 1] == '.')
        len--;
      while (len && *b == '.')
        b++, len--;
      ss_buf_put(&prefix, b, len);
    }
    if (prefix.len) {
      S_set(&p->py_class, prefix.data);
      if (o->nesting) {
        p->py_classes =
            ss_xrealloc(p->py_classes,
                        sizeof *p->py_classes * (size_t)(p->npy_classes + 1));
        p->py_classes[p->npy_classes++] = ss_xstrdup(prefix.data);
        pushed = true;
      }
    }
    ss_buf_free(&prefix);
  }
  if (module)
    S_set(&p->py_module, module);
  ss_node *content =
      ss_node_append(desc, ss_node_new(SS_DESC_CONTENT, d->lineno));
  /* Parsed even when empty, which leaves neither source nor line. */
  rst_parse_body(p, d->content, d->ncontent, content);
  /* after_content: the class is the innermost class on the stack (of
   * any object: not the one before), the module the one before. */
  if (pushed)
    free(p->py_classes[--p->npy_classes]);
  S_set(&p->py_class,
        p->npy_classes ? p->py_classes[p->npy_classes - 1] : NULL);
  if (module)
    S_set(&p->py_module, saved_module);
  free(saved_module);
  for (int k = 0; k < nnames; k++) {
    free(names[k].fullname);
    free(names[k].prefix);
  }
  free(names);
}

/* PyModule: the module of what follows; unless :noindex:, a target
 * ("module-x", ismod) at the directive's line and its index entry,
 * which takes the state machine's line after the content, the content
 * after them. (Sphinx's MoveModuleTargets transform, which gives the
 * target's id to a section the module starts, is not done.) */
static void S_run_module(rst_parser *p, const rst_dspec *spec,
                         const rst_directive *d, ss_node *parent) {
  (void)spec;
  S_set(&p->py_module, d->args);
  if (!rst_dir_option(d, "noindex")) {
    ss_buf id = SS_BUF_INIT, text = SS_BUF_INIT;
    rst_sphinx_id(p, "module", d->args, &id);
    ss_node *target = ss_node_append(parent, ss_node_new(SS_TARGET, d->lineno));
    ss_node_attr_add(target, "ids", id.data);
    ss_node_attr_set(target, "ismod", "True");
    ss_node *index = ss_node_append(parent, rst_index_new(RST_ATTACH_LINE));
    ss_buf_printf(&text, "module; %s", d->args);
    rst_index_add(index, "pair", text.data, id.data, "", NULL);
    ss_buf_free(&id);
    ss_buf_free(&text);
  }
  /* Parsed even when empty, which leaves neither source nor line. */
  rst_parse_body(p, d->content, d->ncontent, parent);
}

/* PyCurrentModule: the module of what follows, nothing else ("None":
 * none). */
static void S_run_currentmodule(rst_parser *p, const rst_dspec *spec,
                                const rst_directive *d, ss_node *parent) {
  (void)spec, (void)parent;
  S_set(&p->py_module, strcmp(d->args, "None") ? d->args : NULL);
}

#define S_OBJ(name)                                                            \
  {name, 1, 0, true, true, true, S_run_py, SS_DESC, name}, {                   \
    "py:" name, 1, 0, true, true, true, S_run_py, SS_DESC, name                \
  }

const rst_dspec rst_py_dspecs[] = {
    S_OBJ("function"),
    S_OBJ("decorator"),
    S_OBJ("data"),
    S_OBJ("class"),
    S_OBJ("exception"),
    S_OBJ("method"),
    S_OBJ("classmethod"),
    S_OBJ("staticmethod"),
    S_OBJ("decoratormethod"),
    S_OBJ("attribute"),
    S_OBJ("property"),
    {"module", 1, 0, false, true, true, S_run_module, SS_TARGET, NULL},
    {"py:module", 1, 0, false, true, true, S_run_module, SS_TARGET, NULL},
    {"currentmodule", 1, 0, false, false, false, S_run_currentmodule, SS_TEXT,
     NULL},
    {"py:currentmodule", 1, 0, false, false, false, S_run_currentmodule,
     SS_TEXT, NULL},
    {NULL, 0, 0, false, false, false, NULL, SS_TEXT, NULL},
};
