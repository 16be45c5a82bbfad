/* misc.c — where transitions may stand (Docutils' Transitions
 * transform, priority 830, which Sphinx runs too).
 *
 * A transition that ends a section is moved up the tree, after the
 * outermost section it ends, so that it separates that section from
 * the next one. A transition that begins a document or section (after
 * the title), follows another transition, or ends the document stays
 * where it is, with Docutils' error beside it.
 */
#include "internal.h"

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
