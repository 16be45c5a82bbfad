/* substitutions.c — Docutils' Substitutions transform: every
 * substitution_reference is replaced by a copy of its definition's
 * content. Definitions may themselves use substitutions; those copies are
 * expanded in turn, with circular definitions reported instead of
 * followed. Definitions that use each other several times grow
 * exponentially (24 of them, each using the next twice, ask for 2^24
 * copies), so what a document may expand to is bounded: nodes and bytes
 * copied, and levels of nesting; past that, one error and the remaining
 * references are left as written. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Docutils refuses definitions longer than its line_length_limit
 * (characters of text). */
#define TX_SUBST_TEXT_LIMIT 10000
/* What all the expansions of one document may copy. A spec uses a few
 * hundred small substitutions at most; these are hundreds of times that. */
#define TX_SUBST_MAX_NODES 100000
#define TX_SUBST_MAX_BYTES (4 * 1024 * 1024)
/* Definitions using definitions: also bounds the walk that looks for a
 * circle along the chain. */
#define TX_SUBST_MAX_DEPTH 64

typedef struct {
  ss_node *ref;
  int parent;      /* queue index of the expansion it came from, or -1 */
  int depth;       /* expansions above it */
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
  int depth = parent < 0 ? 0 : q->items[parent].depth + 1;
  q->items[q->len++] = (S_item){ref, parent, depth, NULL};
}

/* A definition and its size, measured when first copied and again after
 * an expansion inside it changed it: measuring at every reference would
 * make many references to one long definition quadratic. */
typedef struct {
  ss_node *node;
  size_t nodes, bytes, chars;
  bool measured;
} S_def;

typedef struct {
  tx_map defs;    /* name (case kept) -> S_def of the last definition */
  tx_map normed;  /* lower-cased name -> the key of `defs` it came from */
  tx_map by_node; /* every definition node -> its S_def */
} S_defs;

static void S_collect(ss_tx *tx, S_defs *d, S_queue *q) {
  tx_map_init(&d->defs, false);
  tx_map_init(&d->normed, false);
  tx_map_init(&d->by_node, true);
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
      S_def *def = ss_xcalloc(1, sizeof *def);
      def->node = n;
      tx_map_put_ptr(&d->by_node, n)->value = def;
      tx_map_entry *e = tx_map_put(&d->defs, name); /* the last one wins */
      e->value = def;
      ss_buf_clear(&low);
      tx_normalize_name(name, strlen(name), &low);
      tx_map_put(&d->normed, low.data ? low.data : "")->value = e->key;
    }
  }
  ss_buf_free(&low);
}

static void S_defs_free(S_defs *d) {
  for (size_t i = 0; i < d->by_node.cap; i++)
    if (d->by_node.slots[i].used)
      free(d->by_node.slots[i].value);
  tx_map_free(&d->by_node);
  tx_map_free(&d->defs);
  tx_map_free(&d->normed);
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

/* Nodes (the definition's own included), text bytes, and characters as
 * Python's len(astext()) counts them. */
static void S_measure(S_def *def) {
  if (def->measured)
    return;
  def->nodes = def->bytes = def->chars = 0;
  for (const ss_node *n = def->node; n; n = ss_node_next_in(def->node, n)) {
    def->nodes++;
    if (n->kind != SS_TEXT)
      continue;
    def->bytes += n->text_len;
    for (size_t k = 0; k < n->text_len; k++)
      def->chars += ((unsigned char)n->text[k] & 0xC0) != 0x80;
  }
  def->measured = true;
}

/* The definition a reference stands in (references sit in its inline
 * content), or NULL. */
static S_def *S_enclosing(const S_defs *d, const ss_node *ref) {
  const ss_node *p = ref->parent;
  while (p && ss_kind_is_inline(p->kind))
    p = p->parent;
  if (!p || p->kind != SS_SUBSTITUTION_DEFINITION)
    return NULL;
  tx_map_entry *e = tx_map_find_ptr(&d->by_node, p);
  return e ? e->value : NULL;
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

/* True when expanding `key` again below queue item `i` would loop. Keys
 * are the definitions map's own strings: one pointer per name. */
static bool S_circular(const S_queue *q, int i, const char *key) {
  for (int k = i; k >= 0; k = q->items[k].parent)
    if (q->items[k].key == key)
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

/* Past the limits: one error at the reference that would have crossed
 * them, which becomes problematic; it and every reference still queued
 * are left as written (one message, not one per reference). */
static void S_give_up(ss_tx *tx, S_queue *q, size_t from) {
  ss_node *msg = tx_message(
      tx, SS_LEVEL_ERROR, tx_source_line(q->items[from].ref), NULL,
      "Substitutions expand beyond the limit of %d nodes, %d bytes or %d "
      "levels of nesting; %zu references are left as written.",
      TX_SUBST_MAX_NODES, TX_SUBST_MAX_BYTES, TX_SUBST_MAX_DEPTH,
      q->len - from);
  S_problem(tx, q->items[from].ref, msg);
  ss_buf raw = SS_BUF_INIT;
  for (size_t i = from + 1; i < q->len; i++) {
    ss_node *ref = q->items[i].ref;
    ss_buf_clear(&raw);
    tx_rawsource(ref, &raw);
    ss_node_insert_before(
        ref, ss_text_new(raw.data ? raw.data : "", raw.len, ref->line));
    ss_node_free(ss_node_unlink(ref));
  }
  ss_buf_free(&raw);
}

void tx_pass_substitutions(ss_tx *tx) {
  S_defs d;
  S_queue q = {NULL, 0, 0};
  S_collect(tx, &d, &q);
  size_t nodes_left = TX_SUBST_MAX_NODES, bytes_left = TX_SUBST_MAX_BYTES;
  /* Definitions replaced by an error stay allocated until the end: the
   * queue may still point into them. */
  tx_list graveyard = {NULL, 0, 0};
  size_t i = 0;
  for (; i < q.len; i++) {
    ss_node *ref = q.items[i].ref;
    /* Whatever happens to the reference changes the definition it is
     * in, which must then be measured again. */
    S_def *inside = S_enclosing(&d, ref);
    if (inside)
      inside->measured = false;
    const char *refname = ss_node_attr_get(ref, "refname");
    tx_map_entry *e = refname ? S_lookup(&d, refname) : NULL;
    if (!e) {
      S_problem(tx, ref,
                tx_message(tx, SS_LEVEL_ERROR, tx_source_line(ref), NULL,
                           "Undefined substitution referenced: \"%s\".",
                           refname ? refname : ""));
      continue;
    }
    S_def *def = e->value;
    S_measure(def);
    if (def->chars > TX_SUBST_TEXT_LIMIT) {
      S_problem(tx, ref,
                tx_message(tx, SS_LEVEL_ERROR, tx_source_line(ref), NULL,
                           "Substitution definition \"%s\" exceeds the "
                           "line-length-limit.",
                           e->key));
      continue;
    }
    if (def->nodes > nodes_left || def->bytes > bytes_left ||
        q.items[i].depth >= TX_SUBST_MAX_DEPTH)
      break;
    q.items[i].key = e->key;
    if (S_expand(&q, (int)i, &d, def->node)) {
      nodes_left -= def->nodes;
      bytes_left -= def->bytes;
      continue;
    }
    ss_node *parent = ref->parent;
    if (parent && parent->kind == SS_SUBSTITUTION_DEFINITION) {
      /* A definition using itself twice: the first use already replaced
       * it by its error (it is in the graveyard, without a parent). */
      if (!parent->parent)
        continue;
      ss_node *msg =
          tx_message(tx, SS_LEVEL_ERROR, tx_source_line(parent), NULL,
                     "Circular substitution definition detected:");
      /* As Docutils makes it: the definition's text quoted, and its
       * names on the message (update_all_atts). */
      const char *raw = ss_node_attr_get(parent, "ss-rawsource");
      if (raw) {
        ss_node *lit = ss_node_append(msg, ss_node_new(SS_LITERAL_BLOCK, 0));
        ss_node_append_text(lit, raw, strlen(raw), 0);
      }
      for (const ss_attr *a = ss_node_attr_next(parent, "names", NULL); a;
           a = ss_node_attr_next(parent, "names", a))
        ss_node_attr_add(msg, "names", a->value);
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
  if (i < q.len)
    S_give_up(tx, &q, i);
  for (size_t k = 0; k < graveyard.len; k++)
    ss_node_free(graveyard.items[k]);
  tx_list_free(&graveyard);
  free(q.items);
  S_defs_free(&d);
}
