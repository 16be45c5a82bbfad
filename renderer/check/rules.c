/* rules.c — the checks of one file (check.h): the tree rules (structure,
 * paragraph and title lines, blueprint name, the reader's own problems)
 * in one walk of the tree, after the source-line rules (lines.c) and
 * the header rules (header.c). */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../rst/rst.h"
#include "../transforms/transforms.h"
#include "../tree/tree.h"
#include "../util/buffer.h"
#include "internal.h"

static void S_lines_init(ss_check_lines *l, const char *text, size_t len) {
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

static void S_lines_free(ss_check_lines *l) {
  free(l->start);
  free(l->len);
  free(l->marked);
}

size_t ss_check_chars(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += ((unsigned char)s[i] & 0xC0) != 0x80;
  return n;
}

bool ss_check_blank(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\f' && s[i] != '\v')
      return false;
  return true;
}

/* doc8's utils.contains_url, which the suites' line rules copy. */
bool ss_check_has_url(const char *s, size_t len) {
  for (size_t i = 0; i + 7 <= len; i++)
    if (s[i] == 'h' && (memcmp(s + i, "http://", 7) == 0 ||
                        (i + 8 <= len && memcmp(s + i, "https://", 8) == 0)))
      return true;
  return false;
}

ss_check_severity ss_check_severity_of(const ss_check_rules *rules,
                                       const char *code,
                                       ss_check_severity sev) {
  if (ss_check_code_listed(rules->as_error.items, rules->as_error.len, code))
    return SS_CHECK_ERROR;
  if (ss_check_code_listed(rules->as_warning.items, rules->as_warning.len,
                           code))
    return SS_CHECK_WARNING;
  return sev;
}

void ss_check_add(ss_check_ctx *c, const char *code, int line, int col,
                  ss_check_severity sev, const char *fmt, ...) {
  const char *opted = c->opted_out;
  if (!ss_check_enabled(c->rules, code) ||
      (opted && ss_check_code_listed(&opted, 1, code)))
    return;
  ss_buf_clear(&c->msg);
  va_list ap;
  va_start(ap, fmt);
  ss_buf_vprintf(&c->msg, fmt, ap);
  va_end(ap);
  const ss_check_rule *rule = ss_check_rule_find(code);
  sev = ss_check_severity_of(c->rules, code, sev);
  if (c->rules->warnings_are_errors && strcmp(code, "D000") == 0)
    sev = SS_CHECK_ERROR; /* -W wins over the configuration */
  ss_check_report_add(&c->local, c->path, line, col, sev,
                      rule ? rule->code : NULL, c->msg.data);
}

static void S_check_title(ss_check_ctx *c, const ss_node *title) {
  int ln = title->line;
  if (ln < 1 || ln > c->lines.n)
    return;
  const char *s = c->lines.start[ln];
  size_t len = c->lines.len[ln], n = ss_check_chars(s, len);
  if (n > (size_t)c->limit &&
      !(c->rules->url_lines && ss_check_has_url(s, len)))
    ss_check_add(c, "L002", ln, c->limit + 1, SS_CHECK_ERROR,
                 "section title is %zu characters long (the limit is %d)", n,
                 c->limit);
}

/* The length of an inline element as written in the source, from the
 * tree (the reader keeps no raw source): ``literal``, `text <uri>`_, a
 * standalone URI, `name`_. */
static bool S_line_has(const ss_check_lines *l, int ln, const char *needle,
                       size_t n) {
  if (ln < 1 || ln > l->n)
    return false;
  const char *s = l->start[ln];
  for (size_t i = 0; i + n <= l->len[ln]; i++)
    if (s[i] == needle[0] && memcmp(s + i, needle, n) == 0)
      return true;
  return false;
}

static size_t S_markup_chars(const ss_check_lines *l, ss_node *n, ss_buf *tmp) {
  ss_buf_clear(tmp);
  ss_node_text_content(n, tmp);
  size_t text = ss_check_chars(tmp->data ? tmp->data : "", tmp->len);
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
      if (ln > n->line && ss_check_blank(l->start[ln], l->len[ln]))
        break;
      if (S_line_has(l, ln, tmp->data, tmp->len))
        return text + 5;
    }
    return text;
  }
  return text + ss_check_chars(uri, strlen(uri)) + 6;
}

/* A paragraph may run past the limit when it holds a link or literal
 * that cannot be broken and is itself longer than a line (or the
 * configured atom-length). */
static bool S_has_long_atom(const ss_check_ctx *c, ss_node *para, ss_buf *tmp) {
  ss_iter it;
  ss_iter_init(&it, para);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (ev != SS_EVENT_ENTER ||
        (n->kind != SS_REFERENCE && n->kind != SS_LITERAL))
      continue;
    size_t atom = c->rules->atom_length > 0 ? (size_t)c->rules->atom_length
                                            : (size_t)c->limit + 1;
    if (S_markup_chars(&c->lines, n, tmp) >= atom)
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
static void S_check_paragraph(ss_check_ctx *c, ss_node *para, ss_buf *tmp) {
  int first = para->line;
  if (first < 1 || first > c->lines.n || S_has_long_atom(c, para, tmp))
    return;
  size_t indent =
      S_para_indent(para, c->lines.start[first], c->lines.len[first]);
  for (int ln = first; ln <= c->lines.n; ln++) {
    const char *s = c->lines.start[ln];
    size_t len = c->lines.len[ln];
    if (ln > first && (c->lines.marked[ln] || ss_check_blank(s, len)))
      break;
    size_t skip = 0;
    while (skip < indent && skip < len && (ln == first || s[skip] == ' '))
      skip++;
    size_t n = ss_check_chars(s + skip, len - skip);
    if (n > (size_t)c->limit &&
        !(c->rules->url_lines && ss_check_has_url(s, len)))
      ss_check_add(c, "L001", ln,
                   (int)(ss_check_chars(s, skip) + (size_t)c->limit + 1),
                   SS_CHECK_ERROR,
                   "paragraph line is %zu characters long (the limit is %d)", n,
                   c->limit);
  }
}

static bool S_is_exempt(ss_kind k) { return k == SS_TABLE || k == SS_FOOTNOTE; }

/* Problems Docutils reports for what a Sphinx project's extensions
 * provide, which doc8 (in its default Sphinx mode) leaves out. */
static bool S_extension_problem(const char *msg) {
  static const char *const prefixes[] = {
      "Unknown interpreted text role", "Unknown directive type",
      "Undefined substitution",
      "Substitution definition contains illegal element"};
  for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
    if (strncmp(msg, prefixes[i], strlen(prefixes[i])) == 0)
      return true;
  return false;
}

/* Docutils' own directives (docutils.parsers.rst.languages.en): doc8
 * reads specs with Docutils, to which any other (Sphinx's toctree,
 * literalinclude, glossary, a domain's) is unknown, so the problems it
 * reports inside one are not doc8's. */
static bool S_docutils_directive(const char *name, size_t len) {
  static const char *const known[] = {
      "admonition",   "attention",      "caution",
      "class",        "code",           "code-block",
      "compound",     "container",      "contents",
      "csv-table",    "danger",         "date",
      "default-role", "epigraph",       "error",
      "figure",       "footer",         "header",
      "highlights",   "hint",           "image",
      "important",    "include",        "line-block",
      "list-table",   "math",           "meta",
      "note",         "parsed-literal", "pull-quote",
      "raw",          "replace",        "restructuredtext-test-directive",
      "role",         "rubric",         "section-numbering",
      "sectnum",      "sidebar",        "sourcecode",
      "table",        "target-notes",   "tip",
      "title",        "topic",          "unicode",
      "warning"};
  for (size_t i = 0; i < sizeof known / sizeof *known; i++)
    if (strlen(known[i]) == len && strncasecmp(known[i], name, len) == 0)
      return true;
  return false;
}

/* Is line `ln` the start of a directive Docutils does not know? */
static bool S_extension_directive(const ss_check_ctx *c, int ln) {
  if (ln < 1 || ln > c->lines.n)
    return false;
  const char *s = c->lines.start[ln], *end = s + c->lines.len[ln];
  while (s < end && *s == ' ')
    s++;
  if (end - s < 4 || memcmp(s, ".. ", 3) != 0)
    return false;
  s += 3;
  while (s < end && *s == ' ')
    s++;
  const char *name = s;
  while (s + 1 < end && !(s[0] == ':' && s[1] == ':') && s[0] != ' ')
    s++;
  if (s + 1 >= end || s[0] != ':' || s[1] != ':' || s == name)
    return false;
  /* "name::": a substitution definition's "|x| name::" is not this */
  return !S_docutils_directive(name, (size_t)(s - name));
}

static void S_reader_problem(ss_check_ctx *c, ss_node *msg, ss_buf *tmp) {
  const char *lv = ss_node_attr_get(msg, "level");
  int level = lv ? atoi(lv) : SS_LEVEL_WARNING;
  if (level < SS_LEVEL_WARNING)
    return;
  const char *la = ss_node_attr_get(msg, "line");
  int line = la ? atoi(la) : msg->line;
  ss_buf_clear(tmp);
  ss_node *p = ss_node_child(msg, SS_PARAGRAPH);
  ss_node_text_content(p ? p : msg, tmp);
  const char *text = tmp->data ? tmp->data : "";
  if (S_extension_problem(text) || S_extension_directive(c, line))
    return;
  /* As doc8: a warning fails as an error does ("warning = D000" in the
   * configuration makes them all warnings; -W errors again). */
  ss_check_add(c, "D000", line, 0, SS_CHECK_ERROR, "%s [%s]", text,
               ss_level_name((ss_level)level));
}

static const char *S_basename(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* The template asks for the blueprint URL and the file name to match
 * (the tree form of F004, when no blueprint prefix is configured). */
static void S_check_blueprint(ss_check_ctx *c, const ss_node *ref) {
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
    if (k > ln && ss_check_blank(s, len))
      break;
    for (size_t i = 0; i + ulen <= len; i++)
      if (memcmp(s + i, uri, ulen) == 0) {
        col = (int)ss_check_chars(s, i) + 1;
        ln = k;
        break;
      }
  }
  ss_check_add(c, "F004", ln, col, SS_CHECK_WARNING,
               "blueprint URL names '%.*s', the file is '%.*s.rst' (the "
               "template asks for both to match)",
               (int)nlen, name, (int)blen, base);
}

/* A template path named in a list, exactly or by a glob whose '*'
 * stays within one title (docs/check.rst: a Plugins section under any
 * section). */
static bool S_listed(const ss_check_list *l, const char *path) {
  for (size_t i = 0; i < l->len; i++)
    if (strcmp(l->items[i], path) == 0 ||
        fnmatch(l->items[i], path, FNM_PATHNAME) == 0)
      return true;
  return false;
}

/* A section's title as written (Docutils' rawsource, which the suites
 * compare: markup and escapes kept, smart quotes not made): its source
 * line, trimmed, up to a NUL as a C string ends (a view into the text,
 * not a copy: titles are compared a few hundred times per spec); its
 * text, in tmp, when the line is unknown. */
static const char *S_title_span(const ss_check_ctx *c, const ss_node *section,
                                ss_buf *tmp, size_t *len) {
  ss_node *t = ss_node_child(section, SS_TITLE);
  ss_buf_clear(tmp);
  if (t && t->line >= 1 && t->line <= c->lines.n) {
    const char *s = c->lines.start[t->line];
    size_t n = c->lines.len[t->line];
    while (n && (*s == ' ' || *s == '\t')) {
      s++;
      n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
      n--;
    const char *nul = memchr(s, '\0', n);
    *len = nul ? (size_t)(nul - s) : n;
    return s;
  }
  if (t)
    ss_node_text_content(t, tmp);
  *len = tmp->data ? strlen(tmp->data) : 0;
  return tmp->data ? tmp->data : "";
}

static char *S_title_text(const ss_check_ctx *c, const ss_node *section,
                          ss_buf *tmp) {
  size_t len;
  const char *s = S_title_span(c, section, tmp, &len);
  return ss_xstrndup(s, len);
}

static bool S_same(const char *s, size_t len, const char *title) {
  return strlen(title) == len && memcmp(s, title, len) == 0;
}

static ss_node *S_child_section(const ss_check_ctx *c, ss_node *parent,
                                const char *title, ss_buf *tmp) {
  for (ss_node *ch = parent->first; ch; ch = ch->next) {
    if (ch->kind != SS_SECTION)
      continue;
    size_t len;
    const char *s = S_title_span(c, ch, tmp, &len);
    if (S_same(s, len, title))
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

static int S_depth(const ss_check_template *t, size_t i) {
  int d = 0;
  for (int p = t->sections[i].parent; p >= 0; p = t->sections[p].parent)
    d++;
  return d;
}

/* Levenshtein distance, case folded (ASCII), of two short titles. */
static size_t S_distance(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  if (n > 200 || m > 200)
    return (size_t)-1;
  size_t row[201];
  for (size_t j = 0; j <= m; j++)
    row[j] = j;
  for (size_t i = 1; i <= n; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= m; j++) {
      size_t up = row[j];
      int ca = a[i - 1], cb = b[j - 1];
      if (ca >= 'A' && ca <= 'Z')
        ca += 'a' - 'A';
      if (cb >= 'A' && cb <= 'Z')
        cb += 'a' - 'A';
      size_t best = diag + (ca != cb);
      if (up + 1 < best)
        best = up + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[m];
}

/* The spec's section under `parent` that is not in the template and is
 * closest to the missing `title`: most likely the same, misspelt. */
static ss_node *S_closest(const ss_check_ctx *c, const ss_check_template *t,
                          size_t tparent, ss_node *parent, const char *title,
                          ss_buf *tmp) {
  ss_node *best = NULL;
  size_t best_d = strlen(title) / 3 + 1;
  if (best_d < 3)
    best_d = 3;
  for (ss_node *ch = parent->first; ch; ch = ch->next) {
    if (ch->kind != SS_SECTION)
      continue;
    char *name = S_title_text(c, ch, tmp);
    if (!S_template_has_child(t, tparent, name)) {
      size_t d = S_distance(name, title);
      if (d < best_d) {
        best_d = d;
        best = ch;
      }
    }
    free(name);
  }
  return best;
}

/* "A > B" for messages: the path an author reads in the template. */
static void S_display_path(const char *path, ss_buf *out) {
  ss_buf_clear(out);
  for (const char *p = path; *p; p++)
    if (*p == '/')
      ss_buf_puts(out, " > ");
    else
      ss_buf_putc(out, *p);
}

static bool S_required(const ss_check_rules *rules, const ss_check_template *t,
                       size_t i) {
  const char *path = t->sections[i].path;
  if (rules->required.len)
    return S_listed(&rules->required, path);
  if (rules->section_depth && S_depth(t, i) > rules->section_depth)
    return false;
  return !S_listed(&rules->optional, path);
}

static void S_missing(ss_check_ctx *c, const ss_check_template *t, size_t i,
                      ss_node *parent, ss_buf *tmp) {
  const ss_check_section *s = &t->sections[i];
  ss_node *pt = ss_node_child(parent, SS_TITLE);
  int line = pt ? pt->line : parent->line > 0 ? parent->line : 1;
  ss_buf path = SS_BUF_INIT, hint = SS_BUF_INIT;
  S_display_path(s->path, &path);
  ss_node *close = S_closest(c, t, (size_t)s->parent, parent, s->title, tmp);
  if (close) {
    char *name = S_title_text(c, close, tmp);
    ss_node *ct = ss_node_child(close, SS_TITLE);
    ss_buf_printf(&hint, "; is '%s' (line %d) meant?", name,
                  ct ? ct->line : close->line);
    free(name);
  }
  ss_check_add(c, "S001", line, 0, SS_CHECK_ERROR,
               "missing section '%s' (required by %s)%s", path.data, t->path,
               hint.data ? hint.data : "");
  ss_buf_free(&path);
  ss_buf_free(&hint);
}

static void S_extra(ss_check_ctx *c, const ss_check_template *t, size_t i,
                    ss_node *section, int depth, ss_buf *tmp) {
  if ((c->rules->extra_depth && depth > c->rules->extra_depth) ||
      S_listed(&c->rules->extra_allowed_in, t->sections[i].path))
    return;
  ss_buf where = SS_BUF_INIT;
  if (i > 0) {
    S_display_path(t->sections[i].path, &where);
    ss_buf_puts(&where, " > ");
  }
  for (ss_node *ch = section->first; ch; ch = ch->next) {
    if (ch->kind != SS_SECTION)
      continue;
    char *name = S_title_text(c, ch, tmp);
    if (!S_template_has_child(t, i, name)) {
      ss_node *title = ss_node_child(ch, SS_TITLE);
      ss_check_add(c, "S002", title ? title->line : ch->line, 0,
                   c->rules->extra_sections == SS_CHECK_EXTRA_ERROR
                       ? SS_CHECK_ERROR
                       : SS_CHECK_WARNING,
                   "section '%s%s' is not in the template %s",
                   where.data ? where.data : "", name, t->path);
    }
    free(name);
  }
  ss_buf_free(&where);
}

static void S_check_structure(ss_check_ctx *c, ss_node *doc, ss_buf *tmp) {
  const ss_check_template *t = c->rules->tmpl;
  if (!t || t->len == 0)
    return;
  if (!ss_node_child(doc, SS_SECTION)) {
    ss_check_add(c, "S003", 1, 0, SS_CHECK_ERROR,
                 "the spec has no title section (required by %s)", t->path);
    return;
  }
  /* Docutils promotes the title only when nothing but comments and the
   * like comes before it; otherwise its sections, the title among them,
   * are compared with the template's below its title */
  ss_node *root = ss_check_title_section(doc);
  if (!root)
    root = doc;
  ss_node **match = ss_xcalloc(t->len, sizeof *match);
  match[0] = root;
  for (size_t i = 1; i < t->len; i++) {
    const ss_check_section *s = &t->sections[i];
    ss_node *parent = match[s->parent];
    if (!parent)
      continue; /* the parent is missing: reported once, for it */
    match[i] = S_child_section(c, parent, s->title, tmp);
    if (!match[i] && S_required(c->rules, t, i))
      S_missing(c, t, i, parent, tmp);
  }
  if (ss_check_enabled(c->rules, "S002"))
    for (size_t i = 0; i < t->len; i++)
      if (match[i])
        S_extra(c, t, i, match[i], S_depth(t, i) + 1, tmp);
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

/* A line of adornment: one punctuation character repeated. */
static bool S_adornment(const char *s, size_t len) {
  if (len < 2 || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
      (s[0] >= '0' && s[0] <= '9') || (unsigned char)s[0] <= ' ' ||
      (unsigned char)s[0] >= 0x7F)
    return false;
  for (size_t i = 1; i < len; i++)
    if (s[i] != s[0])
      return false;
  return true;
}

/* Where the header ends: the title (its overline, when it has one), and
 * the first section below it — with a template, the one titled as the
 * template's first section, as the suites look for that title. */
static void S_find_header(ss_check_ctx *c, ss_node *doc, ss_buf *tmp) {
  ss_node *root = ss_node_child(doc, SS_SECTION);
  if (!root)
    return;
  ss_node *title = ss_node_child(root, SS_TITLE);
  int ln = title ? title->line : root->line;
  if (ln > 1 && ln <= c->lines.n + 1 &&
      S_adornment(c->lines.start[ln - 1], c->lines.len[ln - 1]))
    ln--;
  c->title_line = ln;
  const ss_check_template *t = c->rules->tmpl;
  ss_node *first = NULL;
  if (t && t->len > 1)
    first = S_child_section(c, root, t->sections[1].title, tmp);
  else
    first = ss_node_child(root, SS_SECTION);
  if (first) {
    ss_node *ft = ss_node_child(first, SS_TITLE);
    c->first_section_line = ft ? ft->line : first->line;
  }
}

/* The lines doc8 exempts through the tree: those of literal blocks and
 * targets (bit 1) and of titles (bit 2, for allow-long-titles). */
static void S_mark_verbatim(ss_check_ctx *c, ss_node *n, ss_buf *tmp) {
  int first = n->line, last = n->line;
  unsigned char bit = n->kind == SS_TITLE ? 2 : 1;
  if (n->kind == SS_LITERAL_BLOCK) {
    ss_buf_clear(tmp);
    ss_node_text_content(n, tmp);
    for (size_t i = 0; i < tmp->len; i++)
      last += tmp->data[i] == '\n';
  } else if (n->kind == SS_TITLE) {
    first--; /* an overline */
    last++;  /* the underline */
  }
  for (int ln = first; ln <= last; ln++)
    if (ln >= 1 && ln <= c->lines.n)
      c->verbatim[ln] |= bit;
}

static bool S_any_enabled(const ss_check_rules *rules, const char *const *codes,
                          size_t n) {
  for (size_t i = 0; i < n; i++)
    if (ss_check_enabled(rules, codes[i]))
      return true;
  return false;
}

/* The rules that read the tree walk below: the reader's problems, the
 * lines literal blocks and targets hold, paragraph and title lines, and
 * the blueprint link's URI (F004's tree form, when no blueprint prefix
 * is configured). */
static bool S_walk_needed(const ss_check_rules *rules) {
  static const char *const codes[] = {"D000", "D001", "L001", "L002"};
  return S_any_enabled(rules, codes, sizeof codes / sizeof *codes) ||
         (!rules->blueprints.len && ss_check_enabled(rules, "F004"));
}

/* Whether the file is parsed at all: the walk's rules, the structure,
 * and the header's rules and opt-out comments, which end where the tree
 * says the first section starts. The source-line rules need no tree. */
static bool S_tree_needed(const ss_check_rules *rules) {
  static const char *const codes[] = {"S001", "S002", "S003",
                                      "F002", "F003", "F004"};
  return S_walk_needed(rules) || rules->opt_outs.len ||
         S_any_enabled(rules, codes, sizeof codes / sizeof *codes);
}

/* Without the walk's rules, the check reads only the sections (their
 * titles by line), the document's top-level kinds and the title's line:
 * the transforms change none of that but for what this finds, which
 * they move, replace or number (pending directives: contents, sectnum,
 * class, target-notes; transitions, moved out of a section's end; the
 * metadata field list before the title, removed; a line set where the
 * reader left none). They are a third of a check's instructions, so they
 * run only then, and the verdicts stay those of the transformed tree. */
static bool S_transforms_matter(ss_node *doc) {
  for (ss_node *n = doc->first; n; n = n->next)
    if (n->kind == SS_FIELD_LIST)
      return true;
  for (ss_node *n = doc; n; n = ss_node_next_in(doc, n))
    if (n->kind == SS_PENDING || n->kind == SS_TRANSITION ||
        (n->kind == SS_TITLE && n->line < 1) ||
        (n->kind == SS_SECTION && n->line < 1))
      return true;
  return false;
}

void ss_check_text(const char *text, size_t len, const char *path,
                   const ss_check_rules *rules, ss_check_report *r) {
  ss_check_ctx c = {.path = path ? path : "<stdin>",
                    .rules = rules,
                    .text = text,
                    .text_len = len,
                    .limit = rules->max_line_length > 0 ? rules->max_line_length
                                                        : SS_CHECK_MAX_COLS};
  S_lines_init(&c.lines, text, len);
  c.verbatim = ss_xcalloc((size_t)c.lines.n + 2, 1);
  ss_buf tmp = SS_BUF_INIT;
  ss_node *doc = NULL;
  bool walk = S_walk_needed(rules);
  if (!rules->plain_text && S_tree_needed(rules)) {
    ss_diag diag;
    ss_diag_init(&diag);
    diag.quiet = 1;
    /* Without the walk's rules nothing reads inline markup: titles are
     * compared as written in the source, the header by its lines. */
    ss_rst_options ro = {.path = c.path,
                         .report_level = SS_LEVEL_WARNING,
                         .diag = &diag,
                         .no_inlines = !walk};
    doc = ss_rst_parse(text, len, &ro);
    if (walk || S_transforms_matter(doc)) {
      ss_transform_options to = {.path = c.path, .diag = &diag};
      ss_transform_document(doc, &to);
    }
    S_find_header(&c, doc, &tmp);
    ss_check_opt_outs(&c);
  }

  /* One walk: mark where block elements start (a paragraph's lines stop
   * there), check titles, collect paragraphs outside exempt blocks. */
  size_t npara = 0, cap = 64;
  ss_node **paras = ss_xmalloc(cap * sizeof *paras);
  int exempt = 0;
  bool blueprint_seen = rules->blueprints.len > 0;
  bool d000 = ss_check_enabled(rules, "D000");
  bool d001 = ss_check_enabled(rules, "D001");
  ss_iter it;
  if (doc && walk)
    ss_iter_init(&it, doc);
  ss_event ev;
  while (doc && walk && (ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (S_is_exempt(n->kind)) {
      exempt += ev == SS_EVENT_ENTER ? 1 : -1;
    }
    if (ev != SS_EVENT_ENTER || n->kind == SS_TEXT)
      continue;
    if (n->kind == SS_SYSTEM_MESSAGE) {
      if (d000)
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
    if (d001 && (n->kind == SS_LITERAL_BLOCK || n->kind == SS_TARGET ||
                 n->kind == SS_TITLE))
      S_mark_verbatim(&c, n, &tmp);
    if (ss_kind_is_inline(n->kind) || n->kind == SS_TARGET)
      continue;
    if (n->line >= 1 && n->line <= c.lines.n)
      c.lines.marked[n->line] = 1;
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
  if (ss_check_enabled(rules, "L001"))
    for (size_t i = 0; i < npara; i++)
      S_check_paragraph(&c, paras[i], &tmp);
  free(paras);
  ss_check_source_lines(&c);
  if (doc) {
    ss_check_header(&c);
    S_check_structure(&c, doc, &tmp);
    ss_node_free(doc);
  }

  if (c.local.len)
    qsort(c.local.items, c.local.len, sizeof *c.local.items, S_cmp_problem);
  for (size_t i = 0; i < c.local.len; i++) {
    ss_check_problem *p = &c.local.items[i];
    ss_check_report_add(r, p->path, p->line, p->col, p->severity, p->code,
                        p->message);
  }
  r->files++;
  ss_check_report_free(&c.local);
  ss_buf_free(&c.msg);
  ss_buf_free(&tmp);
  free(c.verbatim);
  free(c.opted_out);
  S_lines_free(&c.lines);
}
