/* misc.c — Docutils' transforms of misc.py, which Sphinx runs too:
 * ClassAttribute (210), the classes a class directive without content
 * gives the next element; and Transitions (830), where transitions may
 * stand.
 *
 * A transition that ends a section is moved up the tree, after the
 * outermost section it ends, so that it separates that section from
 * the next one. A transition that begins a document or section (after
 * the title), follows another transition, or ends the document stays
 * where it is, with Docutils' error beside it.
 */
#include <string.h>

#include "internal.h"

/* --- ClassAttribute ------------------------------------------------ */

static bool S_invisible(ss_kind k) {
  return k == SS_TARGET || k == SS_COMMENT || k == SS_SUBSTITUTION_DEFINITION ||
         k == SS_PENDING || k == SS_SYSTEM_MESSAGE;
}

/* The classes go to the next visible element after the directive, or
 * after the container it ends, and so on up. */
static void S_class_attribute(ss_tx *tx, ss_node *pending) {
  for (ss_node *child = pending; child->parent; child = child->parent) {
    for (ss_node *e = child->next; e; e = e->next) {
      if (S_invisible(e->kind))
        continue;
      for (const ss_attr *a = ss_node_attr_next(pending, "classes", NULL); a;
           a = ss_node_attr_next(pending, "classes", a))
        ss_node_attr_add(e, "classes", a->value);
      tx_list_push(&tx->graveyard, ss_node_unlink(pending));
      return;
    }
  }
  const char *directive = ss_node_attr_get(pending, "directive");
  const char *source = ss_node_attr_get(pending, "source_text");
  ss_node *msg = tx_message(tx, SS_LEVEL_ERROR, tx_source_line(pending), NULL,
                            "No suitable element following \"%s\" directive",
                            directive ? directive : "class");
  if (source) {
    ss_node *lit = ss_node_append(msg, ss_node_new(SS_LITERAL_BLOCK, 0));
    ss_node_append_text(lit, source, strlen(source), 0);
  }
  ss_node_insert_before(pending, msg);
  tx_list_push(&tx->graveyard, ss_node_unlink(pending));
}

void tx_pass_class_attribute(ss_tx *tx) {
  tx_list found = {NULL, 0, 0};
  for (ss_node *n = tx->document; n; n = ss_node_next_in(tx->document, n)) {
    const char *t =
        n->kind == SS_PENDING ? ss_node_attr_get(n, "transform") : NULL;
    if (t && strcmp(t, "class") == 0)
      tx_list_push(&found, n);
  }
  for (size_t i = 0; i < found.len; i++)
    S_class_attribute(tx, found.items[i]);
  tx_list_free(&found);
}

/* --- Transitions ---------------------------------------------------- */

static bool S_first_after_title(const ss_node *n) {
  const ss_node *first = n->parent->first;
  if (n == first)
    return true;
  if (first->kind != SS_TITLE)
    return false;
  return n == first->next ||
         (first->next->kind == SS_SUBTITLE && n == first->next->next);
}

static void S_visit(ss_tx *tx, ss_node *t) {
  ss_node *error = NULL;
  if (S_first_after_title(t))
    error = tx_message(tx, SS_LEVEL_ERROR, t->line, NULL,
                       "Document or section may not begin with a "
                       "transition.");
  else if (t->prev && t->prev->kind == SS_TRANSITION)
    error = tx_message(tx, SS_LEVEL_ERROR, t->line, NULL,
                       "At least one body element must separate "
                       "transitions; adjacent transitions are not allowed.");
  if (error)
    ss_node_insert_before(t, error);
  if (t->next)
    return;
  /* The outermost element this transition ends. */
  ss_node *sibling = t;
  while (!sibling->next) {
    sibling = sibling->parent;
    if (!sibling->parent) {
      ss_node_insert_after(t, tx_message(tx, SS_LEVEL_ERROR, t->line, NULL,
                                         "Document may not end with a "
                                         "transition."));
      return;
    }
  }
  ss_node_insert_after(sibling, ss_node_unlink(t));
}

void tx_pass_transitions(ss_tx *tx) {
  /* Collected first: moving one changes the walk. A moved transition
   * follows a section, so looking at it again would change nothing. */
  tx_list found = {NULL, 0, 0};
  for (ss_node *n = tx->document; n; n = ss_node_next_in(tx->document, n))
    if (n->kind == SS_TRANSITION)
      tx_list_push(&found, n);
  for (size_t i = 0; i < found.len; i++)
    S_visit(tx, found.items[i]);
  tx_list_free(&found);
}
