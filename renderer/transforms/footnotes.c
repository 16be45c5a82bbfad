/* footnotes.c — footnotes numbered, symbolled and linked both ways, as
 * Docutils' Footnotes transform does; and citations, which Sphinx (unlike
 * plain Docutils) turns into ordinary internal references before the
 * footnotes run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* --- Sphinx citations ------------------------------------------------ */

/* Sphinx looks citations up by their label as written, and writes a
 * reference to one as a reference around "[label]". */
void tx_pass_citations(ss_tx *tx) {
  tx_map labels;
  tx_map_init(&labels, false);
  tx_list refs = {NULL, 0, 0};
  ss_buf text = SS_BUF_INIT;
  ss_iter it;
  ss_iter_init(&it, tx->document);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (ev != SS_EVENT_ENTER)
      continue;
    if (n->kind == SS_CITATION_REFERENCE) {
      tx_list_push(&refs, n);
    } else if (n->kind == SS_CITATION && n->first &&
               n->first->kind == SS_LABEL) {
      ss_node_attr_set(n->first, "support_smartquotes", "False");
      ss_buf_clear(&text);
      ss_node_text_content(n->first, &text);
      tx_map_entry *e = tx_map_put(&labels, text.data ? text.data : "");
      if (!e->value)
        e->value = n;
    }
  }
  for (size_t i = 0; i < refs.len; i++) {
    ss_node *ref = refs.items[i];
    ss_buf_clear(&text);
    ss_node_text_content(ref, &text);
    const char *label = text.data ? text.data : "";
    tx_map_entry *e = tx_map_find(&labels, label);
    ss_node *citation = e ? e->value : NULL;
    const char *cid = citation ? ss_node_attr_get(citation, "ids") : NULL;
    ss_node *inl = ss_node_new(SS_INLINE, ref->line);
    ss_buf shown = SS_BUF_INIT;
    ss_buf_printf(&shown, "[%s]", label);
    ss_node_append(inl, ss_text_new(shown.data, shown.len, ref->line));
    ss_buf_free(&shown);
    ss_node *repl = inl;
    if (cid) {
      repl = ss_node_new(SS_REFERENCE, ref->line);
      ss_node_append(repl, inl);
    } else {
      /* At the pending_xref Sphinx makes, copy_source_info's line. */
      ss_node *msg = tx_message(tx, SS_LEVEL_WARNING, tx_node_line(ref), NULL,
                                "citation not found: %s", label);
      ss_node_free(msg); /* Sphinx reports it, keeps nothing in the tree */
    }
    for (const ss_attr *a = ss_node_attr_next(ref, "ids", NULL); a;
         a = ss_node_attr_next(ref, "ids", a)) {
      ss_node_attr_add(repl, "ids", a->value);
      tx_map_put(&tx->ids, a->value)->value = repl;
      if (cid)
        ss_node_attr_add(citation, "backrefs", a->value);
    }
    for (const ss_attr *a = ss_node_attr_next(ref, "classes", NULL); a;
         a = ss_node_attr_next(ref, "classes", a))
      ss_node_attr_add(repl, "classes", a->value);
    if (cid) {
      ss_node_attr_set(repl, "internal", "True");
      ss_node_attr_set(repl, "refid", cid);
    }
    ss_node_insert_before(ref, repl);
    tx_set_resolved(tx, ref);
    tx_list_push(&tx->graveyard, ss_node_unlink(ref));
  }
  ss_buf_free(&text);
  tx_list_free(&refs);
  tx_map_free(&labels);
}

/* --- Docutils' Footnotes --------------------------------------------- */

typedef struct {
  tx_list autos, symbols, manual; /* footnotes */
  tx_list auto_refs, symbol_refs; /* footnote references */
  tx_map refs_by_name;            /* refname -> footnote references */
  tx_list auto_labels;            /* unnamed auto footnotes' labels,
                                     as nodes (their label child) */
} S_notes;

static void S_collect(ss_tx *tx, S_notes *s) {
  memset(s, 0, sizeof *s);
  tx_map_init(&s->refs_by_name, false);
  ss_iter it;
  ss_iter_init(&it, tx->document);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (ev != SS_EVENT_ENTER ||
        (n->kind != SS_FOOTNOTE && n->kind != SS_FOOTNOTE_REFERENCE))
      continue;
    const char *autonum = ss_node_attr_get(n, "auto");
    bool symbol = autonum && strcmp(autonum, "*") == 0;
    /* Target notes come after the rest, in the order they were made. */
    if (tx_is_target_note_name(
            ss_node_attr_get(n, n->kind == SS_FOOTNOTE ? "names" : "refname")))
      continue;
    if (n->kind == SS_FOOTNOTE) {
      tx_list_push(symbol ? &s->symbols : autonum ? &s->autos : &s->manual, n);
      continue;
    }
    if (symbol)
      tx_list_push(&s->symbol_refs, n);
    else if (autonum)
      tx_list_push(&s->auto_refs, n);
    const char *refname = ss_node_attr_get(n, "refname");
    if (refname)
      tx_multimap_push(&s->refs_by_name, refname, n);
  }
  for (size_t i = 0; i < tx->target_notes.len; i++)
    tx_list_push(&s->autos, tx->target_notes.items[i]);
  for (size_t i = 0; i < tx->target_note_refs.len; i++) {
    ss_node *n = tx->target_note_refs.items[i];
    tx_list_push(&s->auto_refs, n);
    tx_multimap_push(&s->refs_by_name, ss_node_attr_get(n, "refname"), n);
  }
}

static void S_free(S_notes *s) {
  tx_list_free(&s->autos);
  tx_list_free(&s->symbols);
  tx_list_free(&s->manual);
  tx_list_free(&s->auto_refs);
  tx_list_free(&s->symbol_refs);
  tx_list_free(&s->auto_labels);
  tx_multimap_free(&s->refs_by_name);
}

/* The label has no line: what transforms add has none (Docutils' reader
 * clears the document's current line once the text is parsed). */
static void S_add_label(ss_node *footnote, const char *label) {
  if (footnote->first && footnote->first->kind == SS_LABEL)
    return;
  ss_node *l = ss_node_prepend(footnote, ss_node_new(SS_LABEL, 0));
  ss_node_append(l, ss_text_new(label, strlen(label), footnote->line));
}

/* Links a reference to its note: text, refid, and a backref. */
static void S_link(ss_tx *tx, ss_node *ref, ss_node *note, const char *label) {
  if (label)
    ss_node_append_text(ref, label, strlen(label), ref->line);
  ss_node_attr_remove(ref, "refname");
  const char *id = ss_node_attr_get(note, "ids");
  if (id)
    ss_node_attr_set(ref, "refid", id);
  const char *refid = ss_node_attr_get(ref, "ids");
  if (refid)
    ss_node_attr_add(note, "backrefs", refid);
  tx_set_resolved(tx, ref);
}

static void S_number_footnotes(ss_tx *tx, S_notes *s) {
  int next = 1;
  char label[24];
  for (size_t i = 0; i < s->autos.len; i++) {
    ss_node *fn = s->autos.items[i];
    do
      snprintf(label, sizeof label, "%d", next++);
    while (tx_map_find(&tx->nameids, label));
    S_add_label(fn, label);
    for (const ss_attr *a = ss_node_attr_next(fn, "names", NULL); a;
         a = ss_node_attr_next(fn, "names", a)) {
      tx_list *l = tx_multimap_get(&s->refs_by_name, a->value);
      for (size_t k = 0; l && k < l->len; k++)
        S_link(tx, l->items[k], fn, label);
    }
    if (!ss_node_attr_get(fn, "names") && !ss_node_attr_get(fn, "dupnames")) {
      ss_node_attr_add(fn, "names", label);
      tx_note_target(tx, fn, true);
      tx_list_push(&s->auto_labels, fn);
    }
  }
}

static void S_too_many(ss_tx *tx, tx_list *refs, size_t from, size_t avail,
                       const char *what, const char *skip_attr) {
  ss_node *msg =
      tx_message(tx, SS_LEVEL_ERROR, tx_source_line(refs->items[from]), NULL,
                 "Too many %s footnote references: only %zu "
                 "corresponding footnotes available.",
                 what, avail);
  tx_set_id(tx, msg);
  for (size_t k = from; k < refs->len; k++) {
    ss_node *ref = refs->items[k];
    if (tx_is_resolved(tx, ref) || ss_node_attr_get(ref, skip_attr))
      continue;
    tx_make_problematic(tx, ref, msg);
  }
  tx_keep_message(tx, msg);
}

static void S_number_references(ss_tx *tx, S_notes *s) {
  size_t i = 0;
  for (size_t k = 0; k < s->auto_refs.len; k++) {
    ss_node *ref = s->auto_refs.items[k];
    if (tx_is_resolved(tx, ref) || ss_node_attr_get(ref, "refid"))
      continue;
    if (i >= s->auto_labels.len) {
      S_too_many(tx, &s->auto_refs, k, s->auto_labels.len, "autonumbered",
                 "refname");
      return;
    }
    ss_node *fn = s->auto_labels.items[i++];
    ss_buf label = SS_BUF_INIT;
    ss_node_text_content(fn->first, &label);
    ss_node_append_text(ref, label.data ? label.data : "", label.len,
                        ref->line);
    const char *id = tx_nameid(tx, label.data ? label.data : "", NULL);
    ss_buf_free(&label);
    ss_node *note = id ? tx_node_by_id(tx, id) : NULL;
    if (id)
      ss_node_attr_set(ref, "refid", id);
    const char *refid = ss_node_attr_get(ref, "ids");
    if (note && refid)
      ss_node_attr_add(note, "backrefs", refid);
    tx_set_resolved(tx, ref);
  }
}

static const char *const S_symbols[] = {"*",      "\u2020", "\u2021", "\u00a7",
                                        "\u00b6", "#",      "\u2660", "\u2665",
                                        "\u2666", "\u2663"};

/* The n-th symbol is one of ten, repeated n / 10 + 1 times, so labels
 * grow with their number and n symbol footnotes with their references
 * make n^2 / 10 bytes of labels (80,000 of them: 640 MB from 1.3 MB).
 * Past this many, footnotes get no symbol: one error, and references to
 * them are problematic. */
#define S_MAX_SYMBOLS 1000

static void S_symbolize(ss_tx *tx, S_notes *s) {
  size_t nsym = sizeof S_symbols / sizeof S_symbols[0];
  size_t labelled = s->symbols.len;
  if (labelled > S_MAX_SYMBOLS) {
    labelled = S_MAX_SYMBOLS;
    tx_keep_message(
        tx, tx_message(tx, SS_LEVEL_ERROR,
                       tx_source_line(s->symbols.items[labelled]), NULL,
                       "Too many auto-symbol footnotes: only the first %d "
                       "get a symbol.",
                       S_MAX_SYMBOLS));
  }
  ss_buf label = SS_BUF_INIT;
  for (size_t i = 0; i < s->symbols.len; i++) {
    if (i < labelled) {
      ss_buf_clear(&label);
      for (size_t rep = 0; rep <= i / nsym; rep++)
        ss_buf_puts(&label, S_symbols[i % nsym]);
      S_add_label(s->symbols.items[i], label.data);
    }
    tx_set_id(tx, s->symbols.items[i]);
  }
  for (size_t i = 0; i < s->symbol_refs.len; i++) {
    if (i >= labelled) {
      S_too_many(tx, &s->symbol_refs, i, labelled, "symbol", "refid");
      break;
    }
    ss_buf_clear(&label);
    ss_node_text_content(s->symbols.items[i]->first, &label);
    ss_node *ref = s->symbol_refs.items[i];
    ss_node_append_text(ref, label.data ? label.data : "", label.len,
                        ref->line);
    const char *id = ss_node_attr_get(s->symbols.items[i], "ids");
    if (id)
      ss_node_attr_set(ref, "refid", id);
    const char *refid = ss_node_attr_get(ref, "ids");
    if (refid)
      ss_node_attr_add(s->symbols.items[i], "backrefs", refid);
  }
  ss_buf_free(&label);
}

static void S_resolve_manual(ss_tx *tx, S_notes *s) {
  for (size_t i = 0; i < s->manual.len; i++) {
    ss_node *fn = s->manual.items[i];
    for (const ss_attr *a = ss_node_attr_next(fn, "names", NULL); a;
         a = ss_node_attr_next(fn, "names", a)) {
      tx_list *l = tx_multimap_get(&s->refs_by_name, a->value);
      for (size_t k = 0; l && k < l->len; k++)
        if (!tx_is_resolved(tx, l->items[k]))
          S_link(tx, l->items[k], fn, NULL);
    }
  }
}

void tx_pass_footnotes(ss_tx *tx) {
  S_notes s;
  S_collect(tx, &s);
  S_number_footnotes(tx, &s);
  S_number_references(tx, &s);
  S_symbolize(tx, &s);
  S_resolve_manual(tx, &s);
  S_free(&s);
}
