/* lines.c — the line each node reports at.
 *
 * A reader leaves Docutils' lines (rst/parser.h): a node's own line, 0
 * for none (its ancestor's counts), or a negative line for a node that
 * has a source but no line, where Docutils' get_source_line stops.
 * Sphinx patches a few kinds first (ApplySourceWorkaround, priority 10);
 * at the end every node is given the line a problem about it is
 * reported at, so that later stages (the site's warnings) read it off
 * the node itself.
 *
 * One exception: a section and its title keep the line of the title's
 * text, where the linter and filters point, while Docutils gives them
 * the underline's, the line after (S_docutils_line). */
#include "internal.h"

static bool S_is_section_title(const ss_node *n) {
  return n->kind == SS_SECTION ||
         (n->kind == SS_TITLE && n->parent && n->parent->kind == SS_SECTION);
}

/* The line Docutils gives the node (see above). */
static int S_docutils_line(const ss_node *n) {
  return n->line > 0 && S_is_section_title(n) ? n->line + 1 : n->line;
}

int tx_source_line(const ss_node *n) {
  while (n && n->line == 0)
    n = n->parent;
  return n && n->line > 0 ? S_docutils_line(n) : 0;
}

int tx_node_line(const ss_node *n) {
  while (n && n->line <= 0)
    n = n->parent;
  return n ? S_docutils_line(n) : 0;
}

/* The node has text other than whitespace. */
static bool S_has_text(const ss_node *n) {
  for (const ss_node *x = n; x; x = ss_node_next_in(n, x))
    if (x->kind == SS_TEXT)
      for (size_t i = 0; i < x->text_len; i++)
        if (x->text[i] != ' ' && x->text[i] != '\n')
          return true;
  return false;
}

/* Sphinx's apply_source_workaround, on text elements, images and topics
 * (ApplySourceWorkaround walks in document order, so a parent is
 * patched before its children). In Docutils' terms: a title, topic or
 * image without a source takes its parent's source and line; an image
 * that still has none, a rubric or field name without one, and an empty
 * line (no raw source) get the nearest source with line 0 (no line); a
 * classifier or literal block without a source gets one, but no line. */
void tx_pass_source_workaround(ss_tx *tx) {
  for (ss_node *n = tx->document; n; n = ss_node_next_in(tx->document, n)) {
    const ss_node *up = n->parent;
    int parent_line = up ? S_docutils_line(up) : 0;
    switch (n->kind) {
    case SS_TITLE:
    case SS_TOPIC:
      if (n->line == 0)
        n->line = parent_line;
      break;
    case SS_IMAGE:
      if (n->line == 0)
        n->line = parent_line ? parent_line : -1;
      break;
    case SS_CLASSIFIER:
      if (n->line == 0 && parent_line)
        n->line = -1;
      break;
    case SS_LITERAL_BLOCK:
    case SS_RUBRIC:
    case SS_FIELD_NAME:
      if (n->line == 0)
        n->line = -1;
      break;
    case SS_LINE:
      if (n->line == 0 || !S_has_text(n))
        n->line = -1;
      break;
    default:
      break;
    }
  }
}

/* In document order, so a parent's line is final before its children
 * take it. */
void tx_pass_resolve_lines(ss_tx *tx) {
  for (ss_node *n = tx->document; n; n = ss_node_next_in(tx->document, n)) {
    if (n->line < 0)
      n->line = 0;
    else if (n->line == 0 && n->parent && n->kind != SS_TEXT)
      n->line = S_docutils_line(n->parent);
  }
}
