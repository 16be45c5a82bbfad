/* contents.c — the table of contents a `contents` directive asks for
 * (Docutils' Contents transform, priority 720).
 *
 * The reader leaves a topic holding a `pending` node (depth, local,
 * backlinks); once every section has its id, the pending node becomes a
 * bullet list of references to the sections below the topic's start:
 * the whole document, or with `local` the section the topic sits in.
 * Each title links back to its entry (backlinks "entry", the default),
 * to the topic ("top"), or not at all ("none").
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct S_toc {
  ss_tx *tx;
  int depth; /* levels to list */
  const char *backlinks;
  const char *toc_id; /* the topic's id, for backlinks "top" */
} S_toc;

/* The entry text: a copy of the title without footnote and citation
 * references, images as their alt text, and references, targets and
 * problematic nodes reduced to their content. */
static ss_node *S_entry_text(const ss_node *title) {
  ss_node *copy = ss_node_clone(title);
  tx_list found = {NULL, 0, 0};
  ss_iter it;
  ss_iter_init(&it, copy);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_kind k = it.node->kind;
    if (ev == SS_EVENT_ENTER && it.node != copy &&
        (k == SS_FOOTNOTE_REFERENCE || k == SS_CITATION_REFERENCE ||
         k == SS_IMAGE || k == SS_REFERENCE || k == SS_TARGET ||
         k == SS_PROBLEMATIC))
      tx_list_push(&found, it.node);
  }
  /* Innermost first, so that unwrapping never touches a freed node. */
  for (size_t i = found.len; i-- > 0;) {
    ss_node *n = found.items[i];
    if (n->kind == SS_IMAGE) {
      const char *alt = ss_node_attr_get(n, "alt");
      if (alt)
        ss_node_insert_before(n, ss_text_new(alt, strlen(alt), n->line));
    } else if (n->kind != SS_FOOTNOTE_REFERENCE &&
               n->kind != SS_CITATION_REFERENCE) {
      while (n->first)
        ss_node_insert_before(n, ss_node_unlink(n->first));
    }
    ss_node_free(n);
  }
  tx_list_free(&found);
  return copy;
}

static bool S_has_reference(const ss_node *title) {
  ss_iter it;
  ss_iter_init(&it, (ss_node *)title);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE)
    if (ev == SS_EVENT_ENTER && it.node->kind == SS_REFERENCE)
      return true;
  return false;
}

/* One entry per section; returns the list item. */
static ss_node *S_entry(S_toc *toc, ss_node *section) {
  ss_node *title = section->first;
  /* What transforms add has no line: Docutils' reader clears the
   * document's current line and source once the text is parsed. */
  ss_node *ref = ss_node_new(SS_REFERENCE, 0);
  const char *sid = ss_node_attr_get(section, "ids");
  if (sid)
    ss_node_attr_set(ref, "refid", sid);
  ss_node *text = S_entry_text(title);
  ss_node_move_children(text, ref);
  ss_node_free(text);
  const char *ref_id = tx_set_id(toc->tx, ref);
  if (!S_has_reference(title)) {
    if (strcmp(toc->backlinks, "entry") == 0)
      ss_node_attr_set(title, "refid", ref_id);
    else if (strcmp(toc->backlinks, "top") == 0 && toc->toc_id)
      ss_node_attr_set(title, "refid", toc->toc_id);
  }
  ss_node *item = ss_node_new(SS_LIST_ITEM, 0);
  ss_node *para = ss_node_append(item, ss_node_new(SS_PARAGRAPH, 0));
  ss_node_append(para, ref);
  return item;
}

static bool S_is_titled_section(const ss_node *n) {
  return n->kind == SS_SECTION && n->first && n->first->kind == SS_TITLE;
}

typedef struct S_work {
  ss_node *section, *list;
  int level;
} S_work;

/* Is a titled section after this one among its siblings? */
static bool S_next_titled(const ss_node *section) {
  for (const ss_node *c = section->next; c; c = c->next)
    if (S_is_titled_section(c))
      return true;
  return false;
}

/* Pushes the titled child sections of `container`, last first, so that
 * they are taken in document order. */
static void S_push_children(S_work **todo, size_t *len, size_t *cap,
                            ss_node *container, ss_node *list, int level) {
  for (ss_node *c = container->last; c; c = c->prev) {
    if (!S_is_titled_section(c))
      continue;
    if (*len == *cap)
      *todo = ss_xrealloc(*todo, (*cap *= 2) * sizeof **todo);
    (*todo)[(*len)++] = (S_work){c, list, level};
  }
}

/* The entries S_build would make below `start`, counted up to `most`
 * (and one past it): the same walk, without building. */
static size_t S_count(const S_toc *toc, ss_node *start, size_t most) {
  size_t cap = 16, len = 0, count = 0;
  S_work *todo = ss_xmalloc(cap * sizeof *todo);
  S_push_children(&todo, &len, &cap, start, NULL, 1);
  while (len && count <= most) {
    S_work w = todo[--len];
    count++;
    if (w.level < toc->depth)
      S_push_children(&todo, &len, &cap, w.section, NULL, w.level + 1);
  }
  free(todo);
  return count;
}

/* Depth first with an explicit stack, so entries get their ids in
 * Docutils' order and deep documents cannot exhaust the C stack. */
static ss_node *S_build(S_toc *toc, ss_node *start) {
  size_t cap = 16, len = 0;
  S_work *todo = ss_xmalloc(cap * sizeof *todo);
  ss_node *root = ss_node_new(SS_BULLET_LIST, 0);
  S_push_children(&todo, &len, &cap, start, root, 1);
  while (len) {
    S_work w = todo[--len];
    ss_node *item = ss_node_append(w.list, S_entry(toc, w.section));
    /* Docutils: a list whose last title is numbered (SectNum's auto)
     * is an "auto-toc". */
    if (!S_next_titled(w.section) && ss_node_attr_get(w.section->first, "auto"))
      ss_node_attr_add(w.list, "classes", "auto-toc");
    if (w.level >= toc->depth)
      continue;
    bool has_sub = false;
    for (ss_node *c = w.section->first; c && !has_sub; c = c->next)
      has_sub = S_is_titled_section(c);
    if (has_sub) {
      ss_node *sub = ss_node_append(item, ss_node_new(SS_BULLET_LIST, 0));
      S_push_children(&todo, &len, &cap, w.section, sub, w.level + 1);
    }
  }
  free(todo);
  return root;
}

/* Each table lists every section below its start, so n contents
 * directives in a document of n sections make n^2 entries (1,000 of
 * each: 600 MB from 30 KB). What all of a document's tables may list;
 * a table that would go past it is left out, with one error for all. */
#define S_MAX_ENTRIES 100000

void tx_pass_contents(ss_tx *tx) {
  size_t left = S_MAX_ENTRIES;
  bool reported = false;
  tx_list pendings = {NULL, 0, 0};
  ss_iter it;
  ss_iter_init(&it, tx->document);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    const char *what = ev == SS_EVENT_ENTER && n->kind == SS_PENDING
                           ? ss_node_attr_get(n, "transform")
                           : NULL;
    if (what && strcmp(what, "contents") == 0 && n->parent &&
        n->parent->kind == SS_TOPIC && n->parent->parent)
      tx_list_push(&pendings, n);
  }
  for (size_t i = 0; i < pendings.len; i++) {
    ss_node *pending = pendings.items[i];
    ss_node *topic = pending->parent;
    S_toc toc = {tx, INT_MAX, "entry", ss_node_attr_get(topic, "ids")};
    const char *depth = ss_node_attr_get(pending, "depth");
    if (depth && atoi(depth) > 0)
      toc.depth = atoi(depth);
    const char *backlinks = ss_node_attr_get(pending, "backlinks");
    if (backlinks)
      toc.backlinks = backlinks;
    ss_node *start =
        ss_node_attr_get(pending, "local") ? topic->parent : tx->document;
    size_t entries = S_count(&toc, start, left);
    if (entries > left) {
      if (!reported)
        tx_keep_message(
            tx, tx_message(tx, SS_LEVEL_ERROR, tx_source_line(topic), NULL,
                           "The tables of contents list more than %d "
                           "entries in all; this one and the later ones "
                           "that would go past it are left out.",
                           S_MAX_ENTRIES));
      reported = true;
      ss_node_free(topic);
      continue;
    }
    left -= entries;
    ss_node *list = S_build(&toc, start);
    if (list->first) {
      ss_node_insert_before(pending, list);
      ss_node_free(pending);
    } else {
      /* Nothing to list: Docutils removes the whole topic. */
      ss_node_free(list);
      ss_node_free(topic);
    }
  }
  tx_list_free(&pendings);
}
