/* sectnum.c — section numbers a `sectnum` directive asks for (Docutils'
 * SectNum transform, priority 710, before the table of contents is
 * made, so that its entries show the numbers too).
 *
 * Sections directly in the document are numbered from :start: (1),
 * those in a section from 1, down to :depth: levels; each title gets
 * the numbers joined by ".", between :prefix: and :suffix:, followed by
 * three no-break spaces, in a `generated` inline of class "sectnum",
 * and the attribute auto="1".
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct S_numbering {
  long depth, start;
  const char *prefix, *suffix;
} S_numbering;

/* Numbers the sections in `document`, iteratively: a stack of (section,
 * number, depth) stands in for Docutils' recursion. */
static void S_number(const S_numbering *how, ss_node *document) {
  typedef struct {
    ss_node *child; /* the next child to look at */
    long next;      /* its number if it is a section */
    size_t numbers; /* length of the number text before this level */
  } frame;
  size_t cap = 16, top = 0;
  frame *stack = ss_xmalloc(cap * sizeof *stack);
  ss_buf numbers = SS_BUF_INIT;
  stack[0] = (frame){document->first, how->start, 0};
  while (true) {
    frame *f = &stack[top];
    while (f->child && f->child->kind != SS_SECTION)
      f->child = f->child->next;
    if (!f->child) {
      if (top == 0)
        break;
      top--;
      continue;
    }
    ss_node *section = f->child;
    f->child = section->next;
    numbers.len = f->numbers; /* this level's number replaces the last */
    if (numbers.data)
      numbers.data[numbers.len] = '\0';
    if (f->numbers)
      ss_buf_putc(&numbers, '.');
    ss_buf_put_long(&numbers, f->next++);
    ss_node *title = section->first;
    if (title && title->kind == SS_TITLE) {
      ss_buf text = SS_BUF_INIT;
      ss_buf_printf(&text, "%s%s%s\u00a0\u00a0\u00a0", how->prefix,
                    numbers.data, how->suffix);
      ss_node *gen =
          ss_node_prepend(title, ss_node_new(SS_GENERATED, title->line));
      ss_node_attr_add(gen, "classes", "sectnum");
      ss_node_append(gen, ss_text_new(text.data, text.len, title->line));
      ss_node_attr_set(title, "auto", "1");
      ss_buf_free(&text);
    }
    if ((long)(top + 1) < how->depth) {
      if (top + 1 == cap)
        stack = ss_xrealloc(stack, (cap *= 2) * sizeof *stack);
      stack[++top] = (frame){section->first, 1, numbers.len};
    }
  }
  ss_buf_free(&numbers);
  free(stack);
}

void tx_pass_sectnum(ss_tx *tx) {
  tx_list pendings = {NULL, 0, 0};
  for (ss_node *n = tx->document; n; n = ss_node_next_in(tx->document, n)) {
    const char *t =
        n->kind == SS_PENDING ? ss_node_attr_get(n, "transform") : NULL;
    if (t && strcmp(t, "sectnum") == 0)
      tx_list_push(&pendings, n);
  }
  for (size_t i = 0; i < pendings.len; i++) {
    ss_node *pending = pendings.items[i];
    const char *depth = ss_node_attr_get(pending, "depth");
    const char *start = ss_node_attr_get(pending, "start");
    const char *prefix = ss_node_attr_get(pending, "prefix");
    const char *suffix = ss_node_attr_get(pending, "suffix");
    S_numbering how = {depth ? strtol(depth, NULL, 10) : LONG_MAX,
                       start ? strtol(start, NULL, 10) : 1,
                       prefix ? prefix : "", suffix ? suffix : ""};
    tx_list_push(&tx->graveyard, ss_node_unlink(pending));
    S_number(&how, tx->document);
  }
  tx_list_free(&pendings);
}
