/* references.c — hyperlink targets and references, as Docutils'
 * references transforms settle them: internal targets handed to the
 * element that follows them, anonymous references paired with anonymous
 * targets, indirect targets followed to their end, then every named
 * reference given the refuri or refid of its target; what is left is an
 * error shown as a problematic node. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void S_set_resolved_attr(ss_node *ref, const char *drop, const char *att,
                                const char *val) {
  char *copy = ss_xstrdup(val); /* `val` may live in `ref` itself */
  if (drop)
    ss_node_attr_remove(ref, drop);
  ss_node_attr_set(ref, att, copy);
  free(copy);
}

static bool S_in_document(const ss_tx *tx, const ss_node *n) {
  while (n->parent)
    n = n->parent;
  return n == tx->document;
}

/* The targets in the tree, in document order. Four passes need them
 * (PropagateTargets to InternalTargets) and none of the passes from the
 * first to the last of them creates or moves a target, so one walk
 * serves all four; a target since taken out of the tree (with a
 * reference around it) is left out, as a fresh walk would. */
static void S_targets(ss_tx *tx, tx_list *out) {
  if (!tx->targets_ready) {
    ss_node *root = tx->document;
    for (ss_node *n = root; n; n = ss_node_next_in(root, n))
      if (n->kind == SS_TARGET)
        tx_list_push(&tx->targets, n);
    tx->targets_ready = true;
  }
  for (size_t i = 0; i < tx->targets.len; i++)
    if (S_in_document(tx, tx->targets.items[i]))
      tx_list_push(out, tx->targets.items[i]);
}

/* --- PropagateTargets ------------------------------------------------ */

/* Elements whose content is text: a target inside one is inline. */
static bool S_is_text_element(ss_kind k) {
  switch (k) {
  case SS_PARAGRAPH:
  case SS_TITLE:
  case SS_SUBTITLE:
  case SS_RUBRIC:
  case SS_TERM:
  case SS_CLASSIFIER:
  case SS_LINE:
  case SS_ATTRIBUTION:
  case SS_LITERAL_BLOCK:
  case SS_DOCTEST_BLOCK:
  case SS_MATH_BLOCK:
  case SS_COMMENT:
  case SS_LABEL:
  case SS_CAPTION:
  case SS_FIELD_NAME:
  case SS_OPTION_STRING:
  case SS_OPTION_ARGUMENT:
  case SS_SUBSTITUTION_DEFINITION:
  case SS_TARGET:
  case SS_RAW:
  case SS_INDEX:
  case SS_DESC_NAME:
  case SS_DESC_ADDNAME:
  case SS_DESC_PARAMETER:
    return true;
  default:
    return ss_kind_is_inline(k);
  }
}

/* Docutils' Invisible elements, and the Targetable ones. */
static bool S_is_invisible(ss_kind k) {
  return k == SS_COMMENT || k == SS_SUBSTITUTION_DEFINITION || k == SS_TARGET ||
         k == SS_PENDING || k == SS_INDEX;
}

static bool S_is_targetable(ss_kind k) {
  return k == SS_FOOTNOTE || k == SS_CITATION || k == SS_TARGET;
}

/* The node after `n` in document order that is not inside it. */
static ss_node *S_next_outside(ss_node *n) {
  for (; n; n = n->parent)
    if (n->next)
      return n->next;
  return NULL;
}

/* Docutils hands a target's ids and names to the element after it; when
 * that is a target too, they move on with its own at its turn, so a
 * chain of n targets before a section moves n^2/2 items. Here a target
 * only notes where its items go (its recipient), and each item is moved
 * once, to the end of its chain, in the order Docutils' moves leave
 * them: the recipient's own, then each sender's own followed by what
 * that sender had received, senders in document order. */
typedef struct {
  ss_node *node;
  int first, last; /* senders (target indexes), linked by `sibling` */
  int target;      /* the recipient's own target index, or -1 */
} S_recipient;

typedef struct {
  tx_list targets;
  S_recipient *recs;
  size_t nrecs, cap;
  tx_map rec_of;   /* recipient node -> 1 + index in recs */
  int *sent_to;    /* per target: the record it sends to, or -1 */
  int *sibling;    /* per target: the next sender to the same recipient */
  char **first_id; /* per sending target: its refid */
} S_propagation;

static int S_recipient_of(S_propagation *p, ss_node *n, bool create) {
  tx_map_entry *e =
      create ? tx_map_put_ptr(&p->rec_of, n) : tx_map_find_ptr(&p->rec_of, n);
  if (!e)
    return -1;
  if (!e->flag) {
    if (p->nrecs == p->cap) {
      p->cap = p->cap ? 2 * p->cap : 16;
      p->recs = ss_xrealloc(p->recs, p->cap * sizeof *p->recs);
    }
    p->recs[p->nrecs] = (S_recipient){n, -1, -1, -1};
    e->flag = (int)++p->nrecs;
  }
  return e->flag - 1;
}

/* Appends the `name` items of every sender below record `root`, in
 * pre-order, without recursion: down to a sender's first sender, else
 * along to the next sibling, climbing back up through the targets the
 * senders sent to. */
static void S_hand_over(ss_tx *tx, S_propagation *p, int root,
                        const char *name) {
  ss_node *to = p->recs[root].node;
  bool ids = strcmp(name, "ids") == 0;
  int s = p->recs[root].first;
  while (s >= 0) {
    ss_node *t = p->targets.items[s];
    for (const ss_attr *a = ss_node_attr_next(t, name, NULL); a;
         a = ss_node_attr_next(t, name, a)) {
      ss_node_attr_add(to, name, a->value);
      if (ids)
        tx_map_put(&tx->ids, a->value)->value = to;
    }
    int own = S_recipient_of(p, t, false);
    if (own >= 0 && p->recs[own].first >= 0) {
      s = p->recs[own].first;
      continue;
    }
    while (s >= 0 && p->sibling[s] < 0)
      s = p->sent_to[s] == root ? -1 : p->recs[p->sent_to[s]].target;
    if (s >= 0)
      s = p->sibling[s];
  }
}

void tx_pass_propagate_targets(ss_tx *tx) {
  S_propagation p;
  memset(&p, 0, sizeof p);
  tx_map_init(&p.rec_of, true);
  S_targets(tx, &p.targets);
  size_t n = p.targets.len;
  p.sent_to = ss_xmalloc((n + 1) * sizeof *p.sent_to);
  p.sibling = ss_xmalloc((n + 1) * sizeof *p.sibling);
  p.first_id = ss_xcalloc(n + 1, sizeof *p.first_id);
  for (size_t i = 0; i < n; i++) {
    ss_node *t = p.targets.items[i];
    p.sent_to[i] = p.sibling[i] = -1;
    int own = S_recipient_of(&p, t, false);
    if (own >= 0)
      p.recs[own].target = (int)i;
    const char *id = ss_node_attr_get(t, "ids");
    if (!id && own >= 0 && p.recs[own].first >= 0)
      id = p.first_id[p.recs[own].first]; /* what it received */
    if ((t->parent && S_is_text_element(t->parent->kind)) ||
        ss_node_attr_get(t, "refid") || ss_node_attr_get(t, "refuri") ||
        ss_node_attr_get(t, "refname") || !id)
      continue;
    ss_node *next = S_next_outside(t);
    if (!next || next->kind == SS_TEXT ||
        ((S_is_invisible(next->kind) || S_is_targetable(next->kind)) &&
         next->kind != SS_TARGET))
      continue;
    int to = S_recipient_of(&p, next, true);
    S_recipient *r = &p.recs[to];
    if (r->last >= 0)
      p.sibling[r->last] = (int)i;
    else
      r->first = (int)i;
    r->last = (int)i;
    p.sent_to[i] = to;
    p.first_id[i] = ss_xstrdup(id);
  }
  /* The ends of the chains: recipients that keep what they receive. */
  for (size_t r = 0; r < p.nrecs; r++) {
    int t = p.recs[r].target;
    if (t >= 0 && p.sent_to[t] >= 0)
      continue;
    S_hand_over(tx, &p, (int)r, "ids");
    S_hand_over(tx, &p, (int)r, "names");
  }
  for (size_t i = 0; i < n; i++) {
    if (!p.first_id[i])
      continue;
    ss_node *t = p.targets.items[i];
    ss_node_attr_remove(t, "ids");
    ss_node_attr_remove(t, "names");
    ss_node_attr_set(t, "refid", p.first_id[i]);
    free(p.first_id[i]);
  }
  free(p.first_id);
  free(p.sibling);
  free(p.sent_to);
  free(p.recs);
  tx_map_free(&p.rec_of);
  tx_list_free(&p.targets);
}

/* --- AnonymousHyperlinks --------------------------------------------- */

void tx_pass_anonymous(ss_tx *tx) {
  tx_list refs = {NULL, 0, 0}, targets = {NULL, 0, 0};
  ss_node *root = tx->document;
  for (ss_node *n = root; n; n = ss_node_next_in(root, n)) {
    if (!n->attrs || !ss_node_attr_get(n, "anonymous"))
      continue;
    if (n->kind == SS_REFERENCE)
      tx_list_push(&refs, n);
    else if (n->kind == SS_TARGET)
      tx_list_push(&targets, n);
  }
  if (refs.len != targets.len) {
    ss_node *msg = tx_message(
        tx, SS_LEVEL_ERROR, refs.len ? refs.items[0]->line : 0, NULL,
        "Anonymous hyperlink mismatch: %zu references but %zu targets.\n"
        "See \"backrefs\" attribute for IDs.",
        refs.len, targets.len);
    tx_set_id(tx, msg);
    for (size_t i = 0; i < refs.len; i++)
      tx_make_problematic(tx, refs.items[i], msg);
    tx_keep_message(tx, msg);
  } else {
    /* Where each element a chain ends at sends its references: looked
     * up once per element, since the one at the end of n targets has n
     * ids and names to walk past for every attribute it lacks. */
    tx_map ends;
    tx_map_init(&ends, true);
    for (size_t i = 0; i < refs.len; i++) {
      ss_node *ref = refs.items[i], *t = targets.items[i];
      /* A propagated target points at the element that now has its id. */
      for (size_t hops = 0; t && hops <= targets.len + 1; hops++) {
        tx_map_entry *end = tx_map_put_ptr(&ends, t);
        if (!end->flag) {
          const char *uri = ss_node_attr_get(t, "refuri");
          end->flag = uri ? 1 : 2;
          end->value = (void *)(uri ? uri : ss_node_attr_get(t, "ids"));
        }
        if (end->flag == 1) {
          ss_node_attr_set(ref, "refuri", end->value);
          tx_set_resolved(tx, ref);
          break;
        }
        if (end->value) {
          ss_node_attr_set(ref, "refid", end->value);
          break;
        }
        const char *refid = ss_node_attr_get(t, "refid");
        t = refid ? tx_node_by_id(tx, refid) : NULL;
      }
    }
    tx_map_free(&ends);
  }
  tx_list_free(&refs);
  tx_list_free(&targets);
}

/* --- IndirectHyperlinks ---------------------------------------------- */

typedef struct {
  ss_tx *tx;
  tx_map refnames;    /* refname -> nodes */
  tx_map refids;      /* refid -> nodes */
  tx_map in_progress; /* targets being resolved (cycle check) */
} S_indirect;

static void S_collect_refids(ss_tx *tx, tx_map *out) {
  tx_map_init(out, false);
  ss_node *root = tx->document;
  for (ss_node *n = root; n; n = ss_node_next_in(root, n)) {
    if (!n->attrs)
      continue;
    const char *refid = ss_node_attr_get(n, "refid");
    if (refid)
      tx_multimap_push(out, refid, n);
  }
}

static void S_indirect_error(S_indirect *s, ss_node *t,
                             const char *explanation) {
  ss_tx *tx = s->tx;
  ss_buf naming = SS_BUF_INIT;
  const char *name = ss_node_attr_get(t, "names");
  const char *id = ss_node_attr_get(t, "ids");
  if (name)
    ss_buf_printf(&naming, "\"%s\" ", name);
  if (id)
    ss_buf_printf(&naming, "(id=\"%s\")", id);
  const char *refname = ss_node_attr_get(t, "refname");
  ss_node *msg = tx_message(
      tx, SS_LEVEL_ERROR, tx_source_line(t), NULL,
      "Indirect hyperlink target %srefers to target \"%s\", %s.",
      naming.data ? naming.data : "", refname ? refname : "", explanation);
  ss_buf_free(&naming);
  tx_set_id(tx, msg);
  tx_list refs = {NULL, 0, 0};
  for (const ss_attr *a = ss_node_attr_next(t, "names", NULL); a;
       a = ss_node_attr_next(t, "names", a)) {
    tx_list *l = tx_multimap_get(&s->refnames, a->value);
    for (size_t i = 0; l && i < l->len; i++)
      tx_list_push(&refs, l->items[i]);
  }
  for (const ss_attr *a = ss_node_attr_next(t, "ids", NULL); a;
       a = ss_node_attr_next(t, "ids", a)) {
    tx_list *l = tx_multimap_get(&s->refids, a->value);
    for (size_t i = 0; l && i < l->len; i++)
      tx_list_push(&refs, l->items[i]);
  }
  tx_map seen;
  tx_map_init(&seen, true);
  for (size_t i = 0; i < refs.len; i++) {
    ss_node *ref = refs.items[i];
    if (tx_map_find_ptr(&seen, ref) || !ref->parent)
      continue;
    tx_map_put_ptr(&seen, ref);
    tx_make_problematic(tx, ref, msg);
  }
  tx_map_free(&seen);
  tx_list_free(&refs);
  tx_keep_message(tx, msg);
  tx_set_resolved(tx, t);
}

static void S_nonexistent(S_indirect *s, ss_node *t) {
  bool known = false;
  const char *refname = ss_node_attr_get(t, "refname");
  if (refname)
    tx_nameid(s->tx, refname, &known);
  S_indirect_error(s, t,
                   known ? "which is a duplicate, and cannot be used as a "
                           "unique reference"
                         : "which does not exist");
}

typedef struct {
  ss_node *t, *rt;
  const char *rid;
} S_frame;

/* Docutils' resolve_indirect_target, with its recursion through chains
 * of indirect targets (a: b_, b: c_, ...) kept on an explicit stack of
 * max_depth + 2 frames, the caller's (one for all the targets: made for
 * each, it cost n^2 to clear). */
static void S_resolve_indirect_target(S_indirect *s, ss_node *start,
                                      S_frame *stack, size_t max_depth) {
  ss_tx *tx = s->tx;
  size_t depth = 0;
  stack[depth++] = (S_frame){start, NULL, NULL};
  bool returning = false;
  while (depth) {
    S_frame *f = &stack[depth - 1];
    ss_node *t = f->t;
    if (!returning) {
      const char *refname = ss_node_attr_get(t, "refname");
      f->rid =
          refname ? tx_nameid(tx, refname, NULL) : ss_node_attr_get(t, "refid");
      f->rt = f->rid ? tx_node_by_id(tx, f->rid) : NULL;
      if (!f->rt) {
        if (refname)
          S_nonexistent(s, t);
        depth--, returning = true;
        continue;
      }
      ss_node *rt = f->rt;
      if (rt->kind == SS_TARGET && !tx_is_resolved(tx, rt) &&
          ss_node_attr_get(rt, "refname")) {
        tx_map_entry *busy = tx_map_put_ptr(&s->in_progress, t);
        if (busy->flag || depth > max_depth) {
          S_indirect_error(s, t, "forming a circular reference");
          depth--, returning = true;
          continue;
        }
        busy->flag = 1;
        stack[depth++] = (S_frame){rt, NULL, NULL};
        continue;
      }
    }
    returning = false;
    tx_map_put_ptr(&s->in_progress, t)->flag = 0;
    ss_node *rt = f->rt;
    const char *uri = ss_node_attr_get(rt, "refuri");
    const char *refid = ss_node_attr_get(rt, "refid");
    if (uri) {
      S_set_resolved_attr(t, "refid", "refuri", uri);
    } else if (refid) {
      S_set_resolved_attr(t, NULL, "refid", refid);
      tx_multimap_push(&s->refids, refid, t);
    } else if (ss_node_attr_get(rt, "ids")) {
      S_set_resolved_attr(t, NULL, "refid", f->rid);
      tx_multimap_push(&s->refids, f->rid, t);
    } else {
      S_nonexistent(s, t);
      depth--, returning = true;
      continue;
    }
    ss_node_attr_remove(t, "refname");
    tx_set_resolved(tx, t);
    depth--, returning = true;
  }
}

static void S_resolve_list(S_indirect *s, tx_list *l, const char *drop,
                           const char *att, const char *val, tx_list *work) {
  for (size_t i = 0; l && i < l->len; i++) {
    ss_node *ref = l->items[i];
    if (tx_is_resolved(s->tx, ref))
      continue;
    S_set_resolved_attr(ref, drop, att, val);
    if (strcmp(att, "refid") == 0)
      tx_multimap_push(&s->refids, val, ref);
    tx_set_resolved(s->tx, ref);
    if (ref->kind == SS_TARGET)
      tx_list_push(work, ref);
  }
}

/* resolve_indirect_references: everything that names the target (or
 * points at its id) gets its final refuri or refid; targets among them
 * pass it on in turn. */
static void S_resolve_indirect_refs(S_indirect *s, ss_node *start) {
  tx_list work = {NULL, 0, 0};
  tx_list_push(&work, start);
  for (size_t w = 0; w < work.len; w++) {
    ss_node *t = work.items[w];
    const char *att = ss_node_attr_get(t, "refid") ? "refid" : "refuri";
    const char *v = ss_node_attr_get(t, att);
    if (!v)
      continue;
    char *val = ss_xstrdup(v);
    for (const ss_attr *a = ss_node_attr_next(t, "names", NULL); a;
         a = ss_node_attr_next(t, "names", a))
      S_resolve_list(s, tx_multimap_get(&s->refnames, a->value), "refname", att,
                     val, &work);
    for (const ss_attr *a = ss_node_attr_next(t, "ids", NULL); a;
         a = ss_node_attr_next(t, "ids", a)) {
      /* Copy: resolving may add to the very list we walk. */
      tx_list *l = tx_multimap_get(&s->refids, a->value);
      tx_list copy = {NULL, 0, 0};
      for (size_t i = 0; l && i < l->len; i++)
        tx_list_push(&copy, l->items[i]);
      S_resolve_list(s, &copy, "refid", att, val, &work);
      tx_list_free(&copy);
    }
    free(val);
  }
  tx_list_free(&work);
}

void tx_pass_indirect(ss_tx *tx) {
  S_indirect s;
  s.tx = tx;
  tx_collect_refnames(tx, &s.refnames, SS_KIND_COUNT);
  S_collect_refids(tx, &s.refids);
  tx_map_init(&s.in_progress, true);
  tx_list targets = {NULL, 0, 0}, indirect = {NULL, 0, 0};
  S_targets(tx, &targets);
  for (size_t i = 0; i < targets.len; i++)
    if (ss_node_attr_get(targets.items[i], "refname"))
      tx_list_push(&indirect, targets.items[i]);
  size_t max_depth = 2 * targets.len + 2;
  S_frame *stack = ss_xmalloc((max_depth + 2) * sizeof *stack);
  for (size_t i = 0; i < indirect.len; i++) {
    ss_node *t = indirect.items[i];
    if (!tx_is_resolved(tx, t))
      S_resolve_indirect_target(&s, t, stack, max_depth);
    S_resolve_indirect_refs(&s, t);
  }
  free(stack);
  tx_list_free(&indirect);
  tx_list_free(&targets);
  tx_multimap_free(&s.refnames);
  tx_multimap_free(&s.refids);
  tx_map_free(&s.in_progress);
}

/* --- ExternalTargets and InternalTargets ----------------------------- */

static void S_resolve_by_names(ss_tx *tx, bool external) {
  tx_map refnames;
  tx_collect_refnames(tx, &refnames, SS_KIND_COUNT);
  tx_list targets = {NULL, 0, 0};
  S_targets(tx, &targets);
  for (size_t i = 0; i < targets.len; i++) {
    ss_node *t = targets.items[i];
    const char *uri = ss_node_attr_get(t, "refuri");
    if (external ? !uri : (uri || ss_node_attr_get(t, "refid")))
      continue;
    for (const ss_attr *a = ss_node_attr_next(t, "names", NULL); a;
         a = ss_node_attr_next(t, "names", a)) {
      const char *val = external ? uri : tx_nameid(tx, a->value, NULL);
      tx_list *l = tx_multimap_get(&refnames, a->value);
      for (size_t k = 0; val && l && k < l->len; k++) {
        ss_node *ref = l->items[k];
        if (tx_is_resolved(tx, ref))
          continue;
        S_set_resolved_attr(ref, "refname", external ? "refuri" : "refid", val);
        tx_set_resolved(tx, ref);
      }
    }
  }
  tx_list_free(&targets);
  tx_multimap_free(&refnames);
}

void tx_pass_external(ss_tx *tx) { S_resolve_by_names(tx, true); }

void tx_pass_internal(ss_tx *tx) { S_resolve_by_names(tx, false); }

/* --- DanglingReferences ---------------------------------------------- */

void tx_pass_dangling(ss_tx *tx) {
  ss_iter it;
  ss_iter_init(&it, tx->document);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (ev != SS_EVENT_ENTER ||
        (n->kind != SS_REFERENCE && n->kind != SS_FOOTNOTE_REFERENCE &&
         n->kind != SS_CITATION_REFERENCE))
      continue;
    const char *refname = ss_node_attr_get(n, "refname");
    if (!refname || tx_is_resolved(tx, n))
      continue;
    bool known = false;
    const char *id = tx_nameid(tx, refname, &known);
    if (id) {
      S_set_resolved_attr(n, "refname", "refid", id);
      tx_set_resolved(tx, n);
      continue;
    }
    ss_node *msg =
        tx_message(tx, SS_LEVEL_ERROR, tx_source_line(n), NULL,
                   known ? "Duplicate target name, cannot be used as a unique "
                           "reference: \"%s\"."
                         : "Unknown target name: \"%s\".",
                   refname);
    tx_set_id(tx, msg);
    ss_iter_skip_to_next(&it);
    tx_make_problematic(tx, n, msg);
    tx_keep_message(tx, msg);
  }
}

/* --- Sphinx's :ref: within one document ------------------------------- */

/* The title Sphinx shows for a label, or NULL when the label can only be
 * used with an explicit title. */
static bool S_label_title(const ss_node *n, ss_buf *out) {
  if (n->kind == SS_SECTION && n->first && n->first->kind == SS_TITLE) {
    ss_node_text_content(n->first, out);
    return true;
  }
  if (n->kind == SS_RUBRIC) {
    ss_node_text_content(n, out);
    return true;
  }
  if (n->kind == SS_FIGURE || n->kind == SS_TABLE || n->kind == SS_CONTAINER)
    for (const ss_node *c = n->first; c; c = c->next)
      if (c->kind == SS_CAPTION || c->kind == SS_TITLE) {
        ss_node_text_content(c, out);
        return out->len > 0;
      }
  return false;
}

/* Sphinx's standard domain resolves `:ref:` to an explicit target name:
 * the reference then points at the element the target was attached to,
 * showing the explicit title or the element's own title. Returns false
 * when this document has no such label (another document may). */
static bool S_resolve_std_ref(ss_tx *tx, ss_node *x, ss_buf *title) {
  const char *domain = ss_node_attr_get(x, "refdomain");
  const char *type = ss_node_attr_get(x, "reftype");
  if (!domain || !type || strcmp(domain, "std") != 0 ||
      strcmp(type, "ref") != 0)
    return false;
  const char *target = ss_node_attr_get(x, "reftarget");
  tx_map_entry *e = target ? tx_map_find(&tx->nameids, target) : NULL;
  if (!e || !e->flag || !e->value)
    return false;
  const char *labelid = e->value;
  ss_node *node = tx_node_by_id(tx, labelid);
  if (node && node->kind == SS_TARGET && ss_node_attr_get(node, "refid")) {
    labelid = ss_node_attr_get(node, "refid");
    node = tx_node_by_id(tx, labelid);
  }
  if (!node || node->kind == SS_FOOTNOTE || ss_node_attr_get(node, "refuri") ||
      node->kind == SS_DESC_SIGNATURE)
    return false;
  ss_buf_clear(title);
  const char *explicit_ = ss_node_attr_get(x, "refexplicit");
  if (explicit_ && strcmp(explicit_, "True") == 0)
    ss_node_text_content(x, title);
  else if (!S_label_title(node, title))
    return false;
  ss_node *ref = ss_node_new(SS_REFERENCE, x->line);
  ss_node_attr_set(ref, "internal", "True");
  ss_node_attr_set(ref, "refid", labelid);
  ss_node *inl = ss_node_append(ref, ss_node_new(SS_INLINE, x->line));
  ss_node_attr_add(inl, "classes", "std");
  ss_node_attr_add(inl, "classes", "std-ref");
  ss_node_append(
      inl, ss_text_new(title->data ? title->data : "", title->len, x->line));
  ss_node_insert_before(x, ref);
  return true;
}

/* A cross-reference nothing resolved. Sphinx replaces it by its content
 * (the inline the role made) and, for the roles that ask for it
 * (refwarn), warns in its own words. Only the log has the warning: it
 * adds no system_message to the tree. */
static void S_dangling_xref(ss_tx *tx, ss_node *x, ss_buf *msg) {
  const char *warn = ss_node_attr_get(x, "refwarn");
  if (warn && strcmp(warn, "True") == 0) {
    const char *type = ss_node_attr_get(x, "reftype");
    const char *target = ss_node_attr_get(x, "reftarget");
    type = type ? type : "";
    target = target ? target : "";
    ss_buf_clear(msg);
    if (strcmp(type, "ref") == 0 || strcmp(type, "numref") == 0)
      ss_buf_printf(msg, "undefined label: '%s'", target);
    else if (strcmp(type, "doc") == 0)
      ss_buf_printf(msg, "unknown document: '%s'", target);
    else if (strcmp(type, "term") == 0)
      ss_buf_printf(msg, "term not in glossary: '%s'", target);
    else if (strcmp(type, "option") == 0)
      ss_buf_printf(msg, "unknown option: '%s'", target);
    else if (strcmp(type, "keyword") == 0)
      ss_buf_printf(msg, "unknown keyword: '%s'", target);
    else
      ss_buf_printf(msg, "'%s' reference target not found: %s", type, target);
    ss_diag_report(tx->opts->diag, tx->opts->path, x->line, SS_LEVEL_WARNING,
                   msg->data);
  }
  while (x->first)
    ss_node_insert_before(x, ss_node_unlink(x->first));
}

static int S_strcmp_ptr(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The labels Sphinx's standard domain notes (StandardDomain.process_doc):
 * each explicit name but those of footnotes and of targets with a URI,
 * as five fields each ended by a NUL: name, id, line (of the element it
 * labels), "t" when it has a title a :ref: can show or "a" when only an
 * explicit title can name it, and that title. Sorted by name, so the
 * list is the same bytes every time. */
static void S_export_labels(ss_tx *tx) {
  enum { S_FIELDS = 5 };
  ss_buf title = SS_BUF_INIT, all = SS_BUF_INIT;
  for (size_t i = 0; i < tx->nameids.cap; i++) {
    const tx_map_entry *e = &tx->nameids.slots[i];
    if (!e->key || !e->flag || !e->value)
      continue;
    const char *labelid = e->value;
    ss_node *node = tx_node_by_id(tx, labelid);
    if (node && node->kind == SS_TARGET && ss_node_attr_get(node, "refid")) {
      labelid = ss_node_attr_get(node, "refid");
      node = tx_node_by_id(tx, labelid);
    }
    if (!node || node->kind == SS_FOOTNOTE || ss_node_attr_get(node, "refuri"))
      continue;
    ss_buf_clear(&title);
    bool titled = S_label_title(node, &title);
    ss_buf_put(&all, e->key, strlen(e->key) + 1);
    ss_buf_put(&all, labelid, strlen(labelid) + 1);
    ss_buf_printf(&all, "%d", tx_source_line(node));
    ss_buf_putc(&all, '\0');
    ss_buf_put(&all, titled ? "t" : "a", 2);
    ss_buf_put(&all, title.data ? title.data : "", title.len + 1);
  }
  /* Sorted by name: the map's order is its hashing's. */
  size_t n = 0;
  for (size_t at = 0; at < all.len; n++)
    for (int f = 0; f < S_FIELDS; f++)
      at += strlen(all.data + at) + 1;
  const char **names = ss_xmalloc((n ? n : 1) * sizeof *names);
  n = 0;
  for (size_t at = 0; at < all.len; n++) {
    names[n] = all.data + at;
    for (int f = 0; f < S_FIELDS; f++)
      at += strlen(all.data + at) + 1;
  }
  qsort(names, n, sizeof *names, S_strcmp_ptr);
  for (size_t i = 0; i < n; i++) {
    const char *p = names[i];
    size_t len = 0;
    for (int f = 0; f < S_FIELDS; f++)
      len += strlen(p + len) + 1;
    ss_buf_put(tx->opts->labels, p, len);
  }
  free(names);
  ss_buf_free(&all);
  ss_buf_free(&title);
}

/* Sphinx's CitationReferenceTransform, for a stage that knows the whole
 * site (keep_pending_xrefs): Sphinx's citations belong to the project,
 * not the document, so each reference becomes a pending_xref of the
 * citation domain, "[label]" inside, which the site resolves (to this
 * document, or to another that defines the label: the last read). */
void tx_pass_citation_xrefs(ss_tx *tx) {
  tx_list refs = {NULL, 0, 0};
  for (ss_node *n = tx->document; n; n = ss_node_next_in(tx->document, n))
    if (n->kind == SS_CITATION_REFERENCE)
      tx_list_push(&refs, n);
  ss_buf label = SS_BUF_INIT, shown = SS_BUF_INIT;
  for (size_t i = 0; i < refs.len; i++) {
    ss_node *ref = refs.items[i];
    ss_buf_clear(&label);
    ss_node_text_content(ref, &label);
    const char *target = label.data ? label.data : "";
    /* Sphinx's CitationReferenceTransform: copy_source_info. */
    ss_node *x = ss_node_new(SS_PENDING_XREF, tx_node_line(ref));
    ss_node_attr_set(x, "refdomain", "citation");
    ss_node_attr_set(x, "reftype", "ref");
    ss_node_attr_set(x, "reftarget", target);
    ss_node_attr_set(x, "refwarn", "True");
    ss_node_attr_set(x, "support_smartquotes", "False");
    for (const char *name[] = {"ids", "classes", NULL}, **k = name; *k; k++)
      for (const ss_attr *a = ss_node_attr_next(ref, *k, NULL); a;
           a = ss_node_attr_next(ref, *k, a)) {
        ss_node_attr_add(x, *k, a->value);
        if (**k == 'i')
          tx_map_put(&tx->ids, a->value)->value = x;
      }
    ss_buf_clear(&shown);
    ss_buf_printf(&shown, "[%s]", target);
    ss_node *inl = ss_node_append(x, ss_node_new(SS_INLINE, 0));
    ss_node_append(inl, ss_text_new(shown.data, shown.len, 0));
    ss_node_insert_before(ref, x);
    tx_set_resolved(tx, ref);
    tx_list_push(&tx->graveyard, ss_node_unlink(ref));
  }
  ss_buf_free(&label);
  ss_buf_free(&shown);
  tx_list_free(&refs);
}

/* The citations the document defines, for the site: label, id and line,
 * each ended by a NUL. */
static void S_export_citations(ss_tx *tx) {
  ss_buf label = SS_BUF_INIT;
  for (ss_node *n = tx->document; n; n = ss_node_next_in(tx->document, n)) {
    const char *id = ss_node_attr_get(n, "ids");
    if (n->kind != SS_CITATION || !id || !n->first ||
        n->first->kind != SS_LABEL)
      continue;
    ss_buf_clear(&label);
    ss_node_text_content(n->first, &label);
    ss_buf_put(tx->opts->citations, label.data ? label.data : "",
               label.len + 1);
    size_t idl = strcspn(id, " ");
    ss_buf_put(tx->opts->citations, id, idl);
    ss_buf_putc(tx->opts->citations, '\0');
    ss_buf_printf(tx->opts->citations, "%d", tx_source_line(n));
    ss_buf_putc(tx->opts->citations, '\0');
  }
  ss_buf_free(&label);
}

/* Sphinx's cross-references in one walk: `:ref:` to a label of this
 * document becomes a reference; the others become their text with
 * Sphinx's warning. With keep_pending_xrefs, :doc: and :ref: are left
 * to the stage that knows the whole site: Sphinx resolves both across
 * the project, where a label another document defines too may be that
 * document's. */
void tx_pass_xrefs(ss_tx *tx) {
  tx_list xrefs = {NULL, 0, 0};
  ss_iter it;
  ss_iter_init(&it, tx->document);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE)
    if (ev == SS_EVENT_ENTER && it.node->kind == SS_PENDING_XREF)
      tx_list_push(&xrefs, it.node);
  ss_buf scratch = SS_BUF_INIT;
  for (size_t i = 0; i < xrefs.len; i++) {
    ss_node *x = xrefs.items[i];
    const char *type = ss_node_attr_get(x, "reftype");
    const char *domain = ss_node_attr_get(x, "refdomain");
    if (tx->opts->keep_pending_xrefs && type && domain &&
        ((strcmp(domain, "std") == 0 &&
          (strcmp(type, "doc") == 0 || strcmp(type, "ref") == 0 ||
           strcmp(type, "term") == 0)) ||
         strcmp(domain, "citation") == 0 || strcmp(type, "any") == 0))
      continue;
    if (!S_resolve_std_ref(tx, x, &scratch))
      S_dangling_xref(tx, x, &scratch);
    tx_list_push(&tx->graveyard, ss_node_unlink(x));
  }
  ss_buf_free(&scratch);
  tx_list_free(&xrefs);
  if (tx->opts->labels)
    S_export_labels(tx);
  if (tx->opts->citations)
    S_export_citations(tx);
}
