/* substitutions.c — Docutils' Substitutions transform: every
 * substitution_reference is replaced by a copy of its definition's
 * content. Definitions may themselves use substitutions; those copies are
 * expanded in turn, with circular definitions reported instead of
 * followed, and a cap on the total work so that definitions that double
 * at each level cannot blow up. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Docutils refuses definitions longer than its line_length_limit. */
#define TX_SUBST_TEXT_LIMIT 10000
/* Expansions (nested ones included) per document. */
#define TX_SUBST_MAX_EXPANSIONS 20000

typedef struct {
  ss_node *ref;
  int parent;      /* queue index of the expansion it came from, or -1 */
  const char *key; /* definition name it resolved to (set when processed) */
} S_item;

typedef struct {
  S_item *items;
  size_t len, cap;
} S_queue;

static void S_push(S_queue *q, ss_node *ref, int parent) {
  if (q->len == q->cap) {
    q->cap = q->cap ? q->cap * 2 : 16;
    q->items = ss_xrealloc(q->items, q->cap * sizeof *q->items);
  }
  q->items[q->len++] = (S_item){ref, parent, NULL};
}

typedef struct {
  tx_map defs;   /* name (case kept) -> definition */
  tx_map normed; /* lower-cased name -> the entry of `defs` it came from */
} S_defs;

static void S_collect(ss_tx *tx, S_defs *d, S_queue *q) {
  tx_map_init(&d->defs, false);
  tx_map_init(&d->normed, false);
  ss_buf low = SS_BUF_INIT;
  ss_iter it;
  ss_iter_init(&it, tx->document);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    if (ev != SS_EVENT_ENTER)
      continue;
    ss_node *n = it.node;
    if (n->kind == SS_SUBSTITUTION_REFERENCE) {
      S_push(q, n, -1);
    } else if (n->kind == SS_SUBSTITUTION_DEFINITION) {
      const char *name = ss_node_attr_get(n, "names");
      if (!name)
        continue;
      tx_map_entry *e = tx_map_put(&d->defs, name); /* the last one wins */
      e->value = n;
      ss_buf_clear(&low);
      tx_normalize_name(name, strlen(name), &low);
      tx_map_put(&d->normed, low.data ? low.data : "")->value = e->key;
    }
  }
  ss_buf_free(&low);
}

/* Case-sensitive first, then case-insensitive, as Docutils looks up. */
static tx_map_entry *S_lookup(const S_defs *d, const char *refname) {
  tx_map_entry *e = tx_map_find(&d->defs, refname);
  if (e)
    return e;
  ss_buf low = SS_BUF_INIT;
  tx_normalize_name(refname, strlen(refname), &low);
  tx_map_entry *n = tx_map_find(&d->normed, low.data ? low.data : "");
  ss_buf_free(&low);
  return n ? tx_map_find(&d->defs, n->value) : NULL;
}

static void S_problem(ss_tx *tx, ss_node *ref, ss_node *msg) {
  tx_make_problematic(tx, ref, msg);
  tx_keep_message(tx, msg);
}

static void S_trim(ss_node *ref, const ss_node *def) {
  bool trim = ss_node_attr_get(def, "trim") != NULL;
  ss_node *prev = ref->prev, *next = ref->next;
  if ((trim || ss_node_attr_get(def, "ltrim")) && prev &&
      prev->kind == SS_TEXT) {
    size_t len = prev->text_len;
    while (len && strchr(" \t\n\r\f\v", prev->text[len - 1]))
      len--;
    ss_text_set(prev, prev->text, len);
  }
  if ((trim || ss_node_attr_get(def, "rtrim")) && next &&
      next->kind == SS_TEXT) {
    size_t skip = 0;
    while (skip < next->text_len && strchr(" \t\n\r\f\v", next->text[skip]))
      skip++;
    char *rest = ss_xstrdup(next->text + skip);
    ss_text_set(next, rest, strlen(rest));
    free(rest);
  }
}

/* True when expanding `key` again below queue item `i` would loop. */
static bool S_circular(const S_queue *q, int i, const char *key) {
  for (int k = i; k >= 0; k = q->items[k].parent)
    if (q->items[k].key && strcmp(q->items[k].key, key) == 0)
      return true;
  return false;
}

/* Replaces the reference of queue item `i` by a copy of `def`'s content;
 * returns false when the copy would be circular. */
static bool S_expand(S_queue *q, int i, const S_defs *d, ss_node *def) {
  ss_node *copy = ss_node_clone(def);
  bool circular = false;
  size_t first_nested = q->len;
  ss_iter it;
  ss_iter_init(&it, copy);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    if (ev != SS_EVENT_ENTER || it.node->kind != SS_SUBSTITUTION_REFERENCE)
      continue;
    const char *refname = ss_node_attr_get(it.node, "refname");
    tx_map_entry *e = refname ? S_lookup(d, refname) : NULL;
    if (e && S_circular(q, i, e->key)) {
      circular = true;
      break;
    }
    S_push(q, it.node, i);
  }
  if (circular) {
    q->len = first_nested;
    ss_node_free(copy);
    return false;
  }
  ss_node *ref = q->items[i].ref;
  S_trim(ref, def);
  while (copy->first)
    ss_node_insert_before(ref, ss_node_unlink(copy->first));
  ss_node_free(copy);
  ss_node_free(ref);
  return true;
}

void tx_pass_substitutions(ss_tx *tx) {
  S_defs d;
  S_queue q = {NULL, 0, 0};
  S_collect(tx, &d, &q);
  /* Definitions replaced by an error stay allocated until the end: the
   * queue may still point into them. */
  tx_list graveyard = {NULL, 0, 0};
  for (size_t i = 0; i < q.len; i++) {
    ss_node *ref = q.items[i].ref;
    const char *refname = ss_node_attr_get(ref, "refname");
    tx_map_entry *e = refname ? S_lookup(&d, refname) : NULL;
    if (!e) {
      S_problem(tx, ref,
                tx_message(tx, SS_LEVEL_ERROR, tx_source_line(ref), NULL,
                           "Undefined substitution referenced: \"%s\".",
                           refname ? refname : ""));
      continue;
    }
    ss_node *def = e->value;
    ss_buf text = SS_BUF_INIT;
    ss_node_text_content(def, &text);
    size_t textlen = text.len;
    ss_buf_free(&text);
    if (textlen > TX_SUBST_TEXT_LIMIT || i >= TX_SUBST_MAX_EXPANSIONS) {
      S_problem(tx, ref,
                tx_message(tx, SS_LEVEL_ERROR, tx_source_line(ref), NULL,
                           "Substitution definition \"%s\" exceeds the "
                           "line-length-limit.",
                           e->key));
      continue;
    }
    q.items[i].key = e->key;
    if (S_expand(&q, (int)i, &d, def))
      continue;
    ss_node *parent = ref->parent;
    if (parent && parent->kind == SS_SUBSTITUTION_DEFINITION) {
      /* A definition using itself twice: the first use already replaced
       * it by its error (it is in the graveyard, without a parent). */
      if (!parent->parent)
        continue;
      ss_node *msg =
          tx_message(tx, SS_LEVEL_ERROR, tx_source_line(parent), NULL,
                     "Circular substitution definition detected:");
      ss_node_insert_before(parent, msg);
      tx_list_push(&graveyard, ss_node_unlink(parent));
      continue;
    }
    S_problem(tx, ref,
              tx_message(tx, SS_LEVEL_ERROR, tx_source_line(ref), NULL,
                         "Circular substitution definition referenced: "
                         "\"%s\".",
                         refname));
  }
  for (size_t i = 0; i < graveyard.len; i++)
    ss_node_free(graveyard.items[i]);
  tx_list_free(&graveyard);
  free(q.items);
  tx_map_free(&d.defs);
  tx_map_free(&d.normed);
}
