/* target_notes.c — the footnotes a `target-notes` directive asks for
 * (Docutils' TargetNotes transform, priority 540: after the indirect
 * targets are resolved, before the footnotes are numbered).
 *
 * Each external target that something refers to by name, and each
 * anonymous reference to a URI, gets an automatically numbered footnote
 * holding the URI (one per URI), and every such reference is followed
 * by a space and a reference to that footnote. The footnotes take the
 * directive's place. Docutils looks the references up in the names the
 * parser noted (document.refnames), which the indirect targets' pass
 * does not change: so do we, from the names kept before that pass.
 */
#include <string.h>

#include "internal.h"

/* The name Docutils gives a target note: upper case and a colon, which
 * no name the parser makes can hold. */
#define S_NOTE_PREFIX "TARGET_NOTE: "

bool tx_is_target_note_name(const char *name) {
  return name && strncmp(name, S_NOTE_PREFIX, strlen(S_NOTE_PREFIX)) == 0;
}

static ss_node *S_find_pending(ss_tx *tx) {
  for (ss_node *n = tx->document; n; n = ss_node_next_in(tx->document, n))
    if (n->kind == SS_PENDING) {
      const char *t = ss_node_attr_get(n, "transform");
      if (t && strcmp(t, "target-notes") == 0)
        return n;
    }
  return NULL;
}

void tx_pass_keep_refnames(ss_tx *tx) {
  if (!S_find_pending(tx))
    return;
  tx_collect_refnames(tx, &tx->parser_refnames, SS_KIND_COUNT);
  tx->have_parser_refnames = true;
}

typedef struct S_notes {
  ss_tx *tx;
  ss_node *pending; /* its classes go on the references */
  tx_map by_uri;    /* refuri -> footnote */
  tx_list made;     /* the footnotes, in order */
} S_notes;

/* The footnote for `uri`, made when new; then a reference to it after
 * each of `refs` that is not a target. */
static void S_note(S_notes *s, const char *uri, ss_node *const *refs,
                   size_t nrefs, int line) {
  ss_tx *tx = s->tx;
  tx_map_entry *e = tx_map_put(&s->by_uri, uri);
  ss_node *note = e->value;
  if (!note) {
    note = ss_node_new(SS_FOOTNOTE, line);
    const char *id = tx_set_id(tx, note);
    ss_buf name = SS_BUF_INIT;
    ss_buf_printf(&name, S_NOTE_PREFIX "%s", id);
    ss_node_attr_set(note, "auto", "1");
    ss_node_attr_add(note, "names", name.data);
    ss_buf_free(&name);
    ss_node *para = ss_node_append(note, ss_node_new(SS_PARAGRAPH, line));
    ss_node *ref = ss_node_append(para, ss_node_new(SS_REFERENCE, line));
    ss_node_attr_set(ref, "refuri", uri);
    ss_node_append_text(ref, uri, strlen(uri), line);
    tx_note_target(tx, note, true);
    tx_list_push(&tx->target_notes, note);
    tx_list_push(&s->made, note);
    e->value = note;
  }
  const char *name = ss_node_attr_get(note, "names");
  for (size_t i = 0; i < nrefs; i++) {
    ss_node *ref = refs[i];
    if (ref->kind == SS_TARGET || !ref->parent)
      continue;
    ss_node *fref = ss_node_new(SS_FOOTNOTE_REFERENCE, ref->line);
    ss_node_attr_set(fref, "auto", "1");
    ss_node_attr_set(fref, "refname", name);
    for (const ss_attr *a = ss_node_attr_next(s->pending, "classes", NULL); a;
         a = ss_node_attr_next(s->pending, "classes", a))
      ss_node_attr_add(fref, "classes", a->value);
    tx_set_id(tx, fref);
    tx_list_push(&tx->target_note_refs, fref);
    /* Sphinx keeps the space before a footnote reference
     * (trim_footnote_reference_space is off). */
    ss_node *space = ss_text_new(" ", 1, ref->line);
    if (ss_node_attr_get(s->pending, "classes")) {
      ss_node *inl = ss_node_new(SS_INLINE, ref->line);
      for (const ss_attr *a = ss_node_attr_next(s->pending, "classes", NULL); a;
           a = ss_node_attr_next(s->pending, "classes", a))
        ss_node_attr_add(inl, "classes", a->value);
      ss_node_append(inl, space);
      space = inl;
    }
    ss_node_insert_after(ref, space);
    ss_node_insert_after(space, fref);
  }
}

void tx_pass_target_notes(ss_tx *tx) {
  ss_node *pending = S_find_pending(tx);
  if (!pending)
    return;
  S_notes s = {.tx = tx, .pending = pending};
  tx_map_init(&s.by_uri, false);
  tx_list targets = {NULL, 0, 0};
  for (ss_node *n = tx->document; n; n = ss_node_next_in(tx->document, n))
    if (n->kind == SS_TARGET && ss_node_attr_get(n, "refuri"))
      tx_list_push(&targets, n);
  for (size_t i = 0; i < targets.len; i++) {
    ss_node *t = targets.items[i];
    const char *uri = ss_node_attr_get(t, "refuri");
    tx_list refs = {NULL, 0, 0};
    for (const ss_attr *a = ss_node_attr_next(t, "names", NULL); a;
         a = ss_node_attr_next(t, "names", a)) {
      tx_list *l = tx->have_parser_refnames
                       ? tx_multimap_get(&tx->parser_refnames, a->value)
                       : NULL;
      for (size_t k = 0; l && k < l->len; k++)
        tx_list_push(&refs, l->items[k]);
    }
    if (refs.len)
      S_note(&s, uri, refs.items, refs.len, t->line);
    tx_list_free(&refs);
  }
  tx_list_free(&targets);
  /* Anonymous references to a URI. */
  tx_list anon = {NULL, 0, 0};
  for (ss_node *n = tx->document; n; n = ss_node_next_in(tx->document, n))
    if (n->kind == SS_REFERENCE && ss_node_attr_get(n, "anonymous") &&
        ss_node_attr_get(n, "refuri"))
      tx_list_push(&anon, n);
  for (size_t i = 0; i < anon.len; i++)
    S_note(&s, ss_node_attr_get(anon.items[i], "refuri"), &anon.items[i], 1,
           anon.items[i]->line);
  tx_list_free(&anon);
  /* The footnotes replace the directive. */
  for (size_t i = 0; i < s.made.len; i++)
    ss_node_insert_before(pending, s.made.items[i]);
  tx_list_push(&tx->graveyard, ss_node_unlink(pending));
  tx_list_free(&s.made);
  tx_map_free(&s.by_uri);
}
