/* template.c — a template's section tree, and the report (check.h). */
#include <stdlib.h>
#include <string.h>

#include "../rst/rst.h"
#include "../tree/tree.h"
#include "../util/buffer.h"
#include "check.h"

void ss_check_report_add(ss_check_report *r, const char *path, int line,
                         int col, ss_check_severity severity, const char *code,
                         const char *message) {
  if (r->len == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 32;
    r->items = ss_xrealloc(r->items, r->cap * sizeof *r->items);
  }
  r->items[r->len++] = (ss_check_problem){
      .path = ss_xstrdup(path ? path : ""),
      .line = line,
      .col = col,
      .severity = severity,
      .code = code,
      .message = ss_xstrdup(message),
  };
  if (severity == SS_CHECK_ERROR)
    r->errors++;
  else
    r->warnings++;
}

void ss_check_report_free(ss_check_report *r) {
  for (size_t i = 0; i < r->len; i++) {
    free(r->items[i].path);
    free(r->items[i].message);
  }
  free(r->items);
  free(r->explain);
  *r = (ss_check_report){0};
}

/* A title as written, from its source line (Docutils' rawsource, as the
 * suites compare titles; rules.c reads a spec's the same way). */
static char *S_title_of(const ss_node *section, const char *const *starts,
                        const size_t *lens, int n) {
  ss_buf b = SS_BUF_INIT;
  ss_node *title = ss_node_child(section, SS_TITLE);
  if (title && title->line >= 1 && title->line <= n) {
    const char *s = starts[title->line];
    size_t len = lens[title->line];
    while (len && (*s == ' ' || *s == '\t')) {
      s++;
      len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
      len--;
    ss_buf_put(&b, s, len);
  } else if (title) {
    ss_node_text_content(title, &b);
  }
  return ss_buf_detach(&b);
}

/* The text's lines, split where the reader splits them; [1..n]. */
static int S_split(const char *text, size_t len, const char ***starts,
                   size_t **lens) {
  size_t cap = 64;
  int n = 0;
  *starts = ss_xmalloc(cap * sizeof **starts);
  *lens = ss_xmalloc(cap * sizeof **lens);
  for (size_t i = 0; i < len;) {
    size_t j = i;
    while (j < len && text[j] != '\n' && text[j] != '\r')
      j++;
    if ((size_t)n + 2 > cap) {
      cap *= 2;
      *starts = ss_xrealloc(*starts, cap * sizeof **starts);
      *lens = ss_xrealloc(*lens, cap * sizeof **lens);
    }
    n++;
    (*starts)[n] = text + i;
    (*lens)[n] = j - i;
    if (j < len && text[j] == '\r' && j + 1 < len && text[j + 1] == '\n')
      j++;
    i = j + 1;
  }
  return n;
}

/* What may come before the title for Docutils' DocTitle to promote it
 * (nodes.PreBibliographic); an index directive is one too, since Docutils
 * reports it as unknown, in a system message. */
static bool S_pre_bibliographic(ss_kind k) {
  return k == SS_COMMENT || k == SS_TARGET || k == SS_SUBSTITUTION_DEFINITION ||
         k == SS_PENDING || k == SS_DECORATION || k == SS_META ||
         k == SS_SYSTEM_MESSAGE || k == SS_INDEX;
}

ss_node *ss_check_title_section(const ss_node *doc) {
  ss_node *n = doc->first;
  while (n && S_pre_bibliographic(n->kind))
    n = n->next;
  if (!n || n->kind != SS_SECTION)
    return NULL;
  for (ss_node *after = n->next; after; after = after->next)
    if (after->kind != SS_SYSTEM_MESSAGE)
      return NULL; /* the transforms' own messages may follow */
  return n;
}

ss_check_template *ss_check_template_new(const char *text, size_t len,
                                         const char *path) {
  ss_diag diag;
  ss_diag_init(&diag);
  diag.quiet = 1;
  ss_rst_options ro = {
      .path = path, .report_level = SS_LEVEL_SEVERE + 1, .diag = &diag};
  ss_node *doc = ss_rst_parse(text, len, &ro);
  ss_check_template *t = ss_xcalloc(1, sizeof *t);
  t->path = ss_xstrdup(path ? path : "");
  ss_node *root = ss_check_title_section(doc);
  if (!root && !ss_node_child(doc, SS_SECTION)) {
    ss_node_free(doc);
    return t;
  }
  const char **starts;
  size_t *lens;
  int nlines = S_split(text, len, &starts, &lens);
  /* The walk keeps, per open section, its entry index: a stack bounded
   * by the tree's depth, grown as needed. */
  size_t cap = 16, depth = 0, stack_cap = 16;
  int *stack = ss_xmalloc(stack_cap * sizeof *stack);
  t->sections = ss_xmalloc(cap * sizeof *t->sections);
  if (!root) {
    /* no title to promote: the document is the root, as for the suites */
    root = doc;
    t->sections[t->len] = (ss_check_section){.title = ss_xstrdup(""),
                                             .path = ss_xstrdup(""),
                                             .parent = -1,
                                             .line = 1};
    stack[depth++] = (int)t->len++;
  }
  ss_iter it;
  ss_iter_init(&it, root);
  ss_event ev;
  ss_buf path_buf = SS_BUF_INIT;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (n->kind != SS_SECTION) {
      if (ev == SS_EVENT_ENTER && n->kind != SS_DOCUMENT)
        ss_iter_skip_children(&it); /* sections hold sections directly */
      continue;
    }
    if (ev == SS_EVENT_EXIT) {
      depth--;
      continue;
    }
    if (t->len == cap) {
      cap *= 2;
      t->sections = ss_xrealloc(t->sections, cap * sizeof *t->sections);
    }
    int parent = depth ? stack[depth - 1] : -1;
    ss_check_section *s = &t->sections[t->len];
    s->title = S_title_of(n, starts, lens, nlines);
    s->parent = parent;
    s->line = n->line;
    ss_buf_clear(&path_buf);
    if (parent > 0)
      ss_buf_printf(&path_buf, "%s/", t->sections[parent].path);
    if (parent >= 0)
      ss_buf_puts(&path_buf, s->title);
    s->path = ss_xstrdup(path_buf.data ? path_buf.data : "");
    if (depth == stack_cap) {
      stack_cap *= 2;
      stack = ss_xrealloc(stack, stack_cap * sizeof *stack);
    }
    stack[depth++] = (int)t->len++;
  }
  ss_buf_free(&path_buf);
  free(stack);
  free(starts);
  free(lens);
  ss_node_free(doc);
  return t;
}

void ss_check_template_free(ss_check_template *t) {
  if (!t)
    return;
  for (size_t i = 0; i < t->len; i++) {
    free(t->sections[i].title);
    free(t->sections[i].path);
  }
  free(t->sections);
  free(t->path);
  free(t);
}
