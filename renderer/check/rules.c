/* rules.c — the checks of one spec (check.h): bytes, lines, structure,
 * blueprint name and the reader's own problems, in one walk of the tree
 * plus one pass over the source lines. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rst/rst.h"
#include "../transforms/transforms.h"
#include "../tree/tree.h"
#include "../util/buffer.h"
#include "check.h"

#define S_MAX_COLS 79

/* The source as lines, split where the reader splits them (LF, CRLF or
 * a lone CR), so that node line numbers index it. */
typedef struct {
  const char **start;    /* [1..n] */
  size_t *len;           /* without the line end */
  unsigned char *marked; /* a block element starts on this line */
  int n;
} S_lines;

static void S_lines_init(S_lines *l, const char *text, size_t len) {
  size_t cap = 64;
  l->start = ss_xmalloc(cap * sizeof *l->start);
  l->len = ss_xmalloc(cap * sizeof *l->len);
  l->n = 0;
  size_t i = 0;
  while (i < len) {
    size_t j = i;
    while (j < len && text[j] != '\n' && text[j] != '\r')
      j++;
    if ((size_t)l->n + 2 > cap) {
      cap *= 2;
      l->start = ss_xrealloc(l->start, cap * sizeof *l->start);
      l->len = ss_xrealloc(l->len, cap * sizeof *l->len);
    }
    l->n++;
    l->start[l->n] = text + i;
    l->len[l->n] = j - i;
    if (j < len && text[j] == '\r' && j + 1 < len && text[j + 1] == '\n')
      j++;
    i = j + 1;
  }
  l->marked = ss_xcalloc((size_t)l->n + 2, 1);
}

static void S_lines_free(S_lines *l) {
  free(l->start);
  free(l->len);
  free(l->marked);
}

/* Characters, not bytes: what an editor's column counter shows. */
static size_t S_chars(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += ((unsigned char)s[i] & 0xC0) != 0x80;
  return n;
}

static bool S_blank(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\f' && s[i] != '\v')
      return false;
  return true;
}

typedef struct {
  const char *path;
  const ss_check_rules *rules;
  ss_check_report *r;
  S_lines lines;
  ss_buf msg;
  /* the error/warning problems of this file go to a local list first, so
   * they can be sorted by position before they join the report */
  ss_check_report local;
} S_ctx;

static void S_add(S_ctx *c, int line, int col, ss_check_severity sev,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void S_add(S_ctx *c, int line, int col, ss_check_severity sev,
                  const char *fmt, ...) {
  ss_buf_clear(&c->msg);
  va_list ap;
  va_start(ap, fmt);
  ss_buf_vprintf(&c->msg, fmt, ap);
  va_end(ap);
  ss_check_report_add(&c->local, c->path, line, col, sev, c->msg.data);
}

static void S_check_bytes(S_ctx *c, const char *text, size_t len) {
  size_t crs = 0;
  int first_line = 0, first_col = 0;
  for (int ln = 1; ln <= c->lines.n; ln++) {
    const char *end = c->lines.start[ln] + c->lines.len[ln];
    if (end < text + len && *end == '\r') {
      if (!crs) {
        first_line = ln;
        first_col = (int)S_chars(c->lines.start[ln], c->lines.len[ln]) + 1;
      }
      crs++;
    }
  }
  if (crs)
    S_add(c, first_line, first_col, SS_CHECK_ERROR,
          "carriage return (%zu in the file): use Unix line ends", crs);
}

static void S_check_title(S_ctx *c, const ss_node *title) {
  int ln = title->line;
  if (ln < 1 || ln > c->lines.n)
    return;
  size_t n = S_chars(c->lines.start[ln], c->lines.len[ln]);
  if (n > S_MAX_COLS)
    S_add(c, ln, S_MAX_COLS + 1, SS_CHECK_ERROR,
          "section title is %zu characters long (the limit is %d)", n,
          S_MAX_COLS);
}

/* The length of an inline element as written in the source, from the
 * tree (the reader keeps no raw source): ``literal``, `text <uri>`_, a
 * standalone URI, `name`_. */
static bool S_line_has(const S_lines *l, int ln, const char *needle, size_t n) {
  if (ln < 1 || ln > l->n)
    return false;
  const char *s = l->start[ln];
  for (size_t i = 0; i + n <= l->len[ln]; i++)
    if (s[i] == needle[0] && memcmp(s + i, needle, n) == 0)
      return true;
  return false;
}

static size_t S_markup_chars(const S_lines *l, ss_node *n, ss_buf *tmp) {
  ss_buf_clear(tmp);
  ss_node_text_content(n, tmp);
  size_t text = S_chars(tmp->data ? tmp->data : "", tmp->len);
  if (n->kind == SS_LITERAL)
    return text + 4;
  const char *uri = ss_node_attr_get(n, "refuri");
  if (!uri)
    return text + 3;
  if (tmp->data && strcmp(tmp->data, uri) == 0) {
    /* a standalone URI, or `<uri>`_ when the source shows the brackets */
    ss_buf_clear(tmp);
    ss_buf_printf(tmp, "<%s>", uri);
    /* An inline node has the line of its text block (Docutils' line, the
     * block's first): look through the block. */
    for (int ln = n->line; ln >= 1 && ln <= l->n; ln++) {
      if (ln > n->line && S_blank(l->start[ln], l->len[ln]))
        break;
      if (S_line_has(l, ln, tmp->data, tmp->len))
        return text + 5;
    }
    return text;
  }
  return text + S_chars(uri, strlen(uri)) + 6;
}

/* A paragraph may run past the limit when it holds a link or literal
 * that cannot be broken and is itself at least as long as a line. */
static bool S_has_long_atom(const S_lines *l, ss_node *para, ss_buf *tmp) {
  ss_iter it;
  ss_iter_init(&it, para);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (ev != SS_EVENT_ENTER ||
        (n->kind != SS_REFERENCE && n->kind != SS_LITERAL))
      continue;
    if (S_markup_chars(l, n, tmp) > S_MAX_COLS)
      return true;
    ss_iter_skip_children(&it);
  }
  return false;
}

/* The indentation of a paragraph's block: where its text starts on its
 * first line, after a list, enumeration or field marker. Its lines are
 * measured from there, as the suites measured a paragraph's own text
 * (Docutils' rawsource), not the list or quote around it. */
static size_t S_para_indent(const ss_node *para, const char *s, size_t len) {
  size_t i = 0;
  while (i < len && s[i] == ' ')
    i++;
  const ss_node *up = para->parent;
  if (!up || para->prev)
    return i;
  if (len - i > 3 && memcmp(s + i, ".. ", 3) == 0) {
    /* ".. note:: text": a directive's content on its marker line */
    for (size_t j = i + 3; j + 2 < len; j++)
      if (s[j] == ':' && s[j + 1] == ':' && s[j + 2] == ' ') {
        i = j + 2;
        while (i < len && s[i] == ' ')
          i++;
        return i;
      }
    return i;
  }
  if (up->kind == SS_LIST_ITEM || up->kind == SS_FIELD_BODY) {
    /* skip the marker ("* ", "1. ", "(a) ", ":name: ") and its spaces */
    if (up->kind == SS_FIELD_BODY && i < len && s[i] == ':') {
      const char *end = memchr(s + i + 1, ':', len - i - 1);
      i = end ? (size_t)(end - s) + 1 : i;
    } else {
      while (i < len && s[i] != ' ')
        i++;
    }
    while (i < len && s[i] == ' ')
      i++;
  }
  return i;
}

/* The paragraph's lines run from its first line to a blank line or the
 * first line where another block element starts. */
static void S_check_paragraph(S_ctx *c, ss_node *para, ss_buf *tmp) {
  int first = para->line;
  if (first < 1 || first > c->lines.n || S_has_long_atom(&c->lines, para, tmp))
    return;
  size_t indent =
      S_para_indent(para, c->lines.start[first], c->lines.len[first]);
  for (int ln = first; ln <= c->lines.n; ln++) {
    const char *s = c->lines.start[ln];
    size_t len = c->lines.len[ln];
    if (ln > first && (c->lines.marked[ln] || S_blank(s, len)))
      break;
    size_t skip = 0;
    while (skip < indent && skip < len && (ln == first || s[skip] == ' '))
      skip++;
    size_t n = S_chars(s + skip, len - skip);
    if (n > S_MAX_COLS)
      S_add(c, ln, (int)(S_chars(s, skip) + S_MAX_COLS + 1), SS_CHECK_ERROR,
            "paragraph line is %zu characters long (the limit is %d)", n,
            S_MAX_COLS);
  }
}

static bool S_is_exempt(ss_kind k) { return k == SS_TABLE || k == SS_FOOTNOTE; }

static void S_reader_problem(S_ctx *c, ss_node *msg, ss_buf *tmp) {
  const char *lv = ss_node_attr_get(msg, "level");
  int level = lv ? atoi(lv) : SS_LEVEL_WARNING;
  if (level < SS_LEVEL_WARNING)
    return;
  const char *la = ss_node_attr_get(msg, "line");
  int line = la ? atoi(la) : msg->line;
  ss_buf_clear(tmp);
  ss_node *p = ss_node_child(msg, SS_PARAGRAPH);
  ss_node_text_content(p ? p : msg, tmp);
  /* A reader warning fails the check only under -W; its errors (the
   * page would be broken) always do. */
  ss_check_severity sev =
      c->rules->warnings_are_errors || level >= SS_LEVEL_ERROR
          ? SS_CHECK_ERROR
          : SS_CHECK_WARNING;
  S_add(c, line, 0, sev, "%s [%s]", tmp->data ? tmp->data : "",
        ss_level_name((ss_level)level));
}

static const char *S_basename(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* The template asks for the blueprint URL and the file name to match. */
static void S_check_blueprint(S_ctx *c, const ss_node *ref) {
  const char *uri = ss_node_attr_get(ref, "refuri");
  const char *spec = uri ? strstr(uri, "/+spec/") : NULL;
  if (!spec)
    return;
  const char *name = spec + 7;
  size_t nlen = strcspn(name, "/?#");
  const char *base = S_basename(c->path);
  size_t blen = strlen(base);
  if (blen > 4 && strcmp(base + blen - 4, ".rst") == 0)
    blen -= 4;
  if (nlen == blen && strncmp(name, base, blen) == 0)
    return;
  /* The reference has its text block's first line (Docutils'): the URL
   * is on that line or a later one of the block. */
  int col = 0, ln = ref->line;
  for (int k = ln; k >= 1 && k <= c->lines.n && !col; k++) {
    const char *s = c->lines.start[k];
    size_t len = c->lines.len[k], ulen = strlen(uri);
    if (k > ln && S_blank(s, len))
      break;
    for (size_t i = 0; i + ulen <= len; i++)
      if (memcmp(s + i, uri, ulen) == 0) {
        col = (int)S_chars(s, i) + 1;
        ln = k;
        break;
      }
  }
  S_add(c, ln, col, SS_CHECK_WARNING,
        "blueprint URL names '%.*s', the file is '%.*s.rst' (the template "
        "asks for both to match)",
        (int)nlen, name, (int)blen, base);
}

static bool S_optional(const ss_check_rules *rules, const char *path) {
  for (size_t i = 0; i < rules->n_optional; i++)
    if (strcmp(rules->optional[i], path) == 0)
      return true;
  return false;
}

static ss_node *S_child_section(ss_node *parent, const char *title,
                                ss_buf *tmp) {
  for (ss_node *ch = parent->first; ch; ch = ch->next) {
    if (ch->kind != SS_SECTION)
      continue;
    ss_node *t = ss_node_child(ch, SS_TITLE);
    ss_buf_clear(tmp);
    if (t)
      ss_node_text_content(t, tmp);
    if (strcmp(tmp->data ? tmp->data : "", title) == 0)
      return ch;
  }
  return NULL;
}

static bool S_template_has_child(const ss_check_template *t, size_t parent,
                                 const char *title) {
  for (size_t i = parent + 1; i < t->len; i++)
    if (t->sections[i].parent == (int)parent &&
        strcmp(t->sections[i].title, title) == 0)
      return true;
  return false;
}

static void S_check_structure(S_ctx *c, ss_node *doc, ss_buf *tmp) {
  const ss_check_template *t = c->rules->tmpl;
  if (!t || t->len == 0)
    return;
  ss_node *root = ss_node_child(doc, SS_SECTION);
  if (!root) {
    S_add(c, 1, 0, SS_CHECK_ERROR,
          "the spec has no title section (required by %s)", t->path);
    return;
  }
  ss_node **match = ss_xcalloc(t->len, sizeof *match);
  match[0] = root;
  for (size_t i = 1; i < t->len; i++) {
    const ss_check_section *s = &t->sections[i];
    ss_node *parent = match[s->parent];
    if (!parent)
      continue; /* the parent is missing: reported once, for it */
    match[i] = S_child_section(parent, s->title, tmp);
    if (match[i] || S_optional(c->rules, s->path))
      continue;
    ss_node *pt = ss_node_child(parent, SS_TITLE);
    int line = pt ? pt->line : parent->line;
    if (s->parent == 0)
      S_add(c, line, 0, SS_CHECK_ERROR, "missing section '%s' (required by %s)",
            s->title, t->path);
    else
      S_add(c, line, 0, SS_CHECK_ERROR,
            "missing section '%s' in '%s' (required by %s)", s->title,
            t->sections[s->parent].path, t->path);
  }
  if (c->rules->warn_extra_sections) {
    for (size_t i = 0; i < t->len; i++) {
      if (!match[i])
        continue;
      for (ss_node *ch = match[i]->first; ch; ch = ch->next) {
        if (ch->kind != SS_SECTION)
          continue;
        ss_node *title = ss_node_child(ch, SS_TITLE);
        ss_buf_clear(tmp);
        if (title)
          ss_node_text_content(title, tmp);
        char *name = ss_buf_detach(tmp);
        if (!S_template_has_child(t, i, name))
          S_add(c, title ? title->line : ch->line, 0, SS_CHECK_WARNING,
                "section '%s' is not in the template %s", name, t->path);
        free(name);
      }
    }
  }
  free(match);
}

static int S_cmp_problem(const void *a, const void *b) {
  const ss_check_problem *p = a, *q = b;
  if (p->line != q->line)
    return p->line < q->line ? -1 : 1;
  if (p->col != q->col)
    return p->col < q->col ? -1 : 1;
  return strcmp(p->message, q->message);
}

void ss_check_text(const char *text, size_t len, const char *path,
                   const ss_check_rules *rules, ss_check_report *r) {
  S_ctx c = {.path = path ? path : "<stdin>", .rules = rules, .r = r};
  S_lines_init(&c.lines, text, len);
  ss_buf tmp = SS_BUF_INIT;
  S_check_bytes(&c, text, len);

  ss_diag diag;
  ss_diag_init(&diag);
  diag.quiet = 1;
  ss_rst_options ro = {
      .path = c.path, .report_level = SS_LEVEL_WARNING, .diag = &diag};
  ss_node *doc = ss_rst_parse(text, len, &ro);
  ss_transform_options to = {.path = c.path, .diag = &diag};
  ss_transform_document(doc, &to);

  /* One walk: mark where block elements start (a paragraph's lines stop
   * there), check titles, collect paragraphs outside exempt blocks. */
  size_t npara = 0, cap = 64;
  ss_node **paras = ss_xmalloc(cap * sizeof *paras);
  int exempt = 0;
  bool blueprint_seen = false;
  ss_iter it;
  ss_iter_init(&it, doc);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (S_is_exempt(n->kind)) {
      exempt += ev == SS_EVENT_ENTER ? 1 : -1;
    }
    if (ev != SS_EVENT_ENTER || n->kind == SS_TEXT)
      continue;
    if (n->kind == SS_SYSTEM_MESSAGE) {
      S_reader_problem(&c, n, &tmp);
      ss_iter_skip_children(&it);
      continue;
    }
    if (n->kind == SS_REFERENCE && !blueprint_seen) {
      const char *uri = ss_node_attr_get(n, "refuri");
      if (uri && strstr(uri, "blueprints.launchpad.net/") &&
          strstr(uri, "/+spec/")) {
        blueprint_seen = true;
        S_check_blueprint(&c, n);
      }
    }
    if (ss_kind_is_inline(n->kind) || n->kind == SS_TARGET)
      continue;
    if (n->line >= 1 && n->line <= c.lines.n)
      c.lines.marked[n->line] = 1;
    if (rules->skip_line_rules)
      continue;
    if (n->kind == SS_TITLE && n->parent && n->parent->kind == SS_SECTION)
      S_check_title(&c, n);
    if (n->kind == SS_PARAGRAPH && !exempt) {
      if (npara == cap) {
        cap *= 2;
        paras = ss_xrealloc(paras, cap * sizeof *paras);
      }
      paras[npara++] = n;
    }
  }
  for (size_t i = 0; i < npara; i++)
    S_check_paragraph(&c, paras[i], &tmp);
  free(paras);
  S_check_structure(&c, doc, &tmp);
  ss_node_free(doc);

  if (c.local.len)
    qsort(c.local.items, c.local.len, sizeof *c.local.items, S_cmp_problem);
  for (size_t i = 0; i < c.local.len; i++) {
    ss_check_problem *p = &c.local.items[i];
    ss_check_report_add(r, p->path, p->line, p->col, p->severity, p->message);
  }
  r->files++;
  ss_check_report_free(&c.local);
  ss_buf_free(&c.msg);
  ss_buf_free(&tmp);
  S_lines_free(&c.lines);
}
