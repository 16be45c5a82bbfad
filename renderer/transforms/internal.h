/* internal.h — what the transform passes share (internal; the stage's
 * contract is transforms.h).
 *
 *   transforms.c     the driver, the shared state, messages
 *   map.c            string and pointer hash maps, node lists
 *   ids.c            make_id; ids and names as Docutils' parser assigns them
 *   substitutions.c  substitution references
 *   references.c     targets and hyperlink references
 *   footnotes.c      footnotes, and citations the way Sphinx resolves them
 *   target_notes.c   the footnotes target-notes asks for
 *   sectnum.c        section numbers
 *   misc.c           classes for the next element, where transitions
 *                    may stand
 *   lines.c          the line each node reports problems at
 *
 * Docutils keeps its bookkeeping (ids, nameids, refnames, ...) on the
 * document object; here it lives in one ss_tx that every pass receives.
 */
#ifndef SS_TRANSFORMS_INTERNAL_H
#define SS_TRANSFORMS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "transforms.h"

/* --- maps (map.c) ---------------------------------------------------- */

/* An open-addressing hash map from strings (copied) or pointers to a
 * pointer and a small integer. */
typedef struct tx_map_entry {
  char *key;       /* string maps: owned copy; NULL = empty slot */
  const void *ptr; /* pointer maps: the key */
  void *value;
  int flag;
  bool used;
} tx_map_entry;

typedef struct tx_map {
  tx_map_entry *slots;
  size_t cap, count;
  bool by_pointer;
} tx_map;

void tx_map_init(tx_map *m, bool by_pointer);
void tx_map_free(tx_map *m);
/* The entry for a key, or NULL. */
tx_map_entry *tx_map_find(const tx_map *m, const char *key);
tx_map_entry *tx_map_find_ptr(const tx_map *m, const void *key);
/* The entry for a key, created (value NULL, flag 0) when missing. */
tx_map_entry *tx_map_put(tx_map *m, const char *key);
tx_map_entry *tx_map_put_ptr(tx_map *m, const void *key);

/* A growable array of nodes. */
typedef struct tx_list {
  ss_node **items;
  size_t len, cap;
} tx_list;

void tx_list_push(tx_list *l, ss_node *n);
void tx_list_free(tx_list *l);

/* name -> tx_list* of nodes, built from a walk; frees the lists too. */
void tx_multimap_push(tx_map *m, const char *key, ss_node *n);
tx_list *tx_multimap_get(const tx_map *m, const char *key);
void tx_multimap_free(tx_map *m);

/* --- shared state (transforms.c) ------------------------------------- */

typedef struct ss_tx {
  ss_node *document;
  const ss_transform_options *opts;
  tx_map ids;        /* id -> node carrying it */
  tx_map nameids;    /* name -> id (char*, owned; NULL when ambiguous);
                        flag: 1 when the name is explicit */
  tx_map resolved;   /* node -> (set): Docutils' `resolved` */
  int id_counter;    /* last number used for an automatic "idN" */
  tx_list graveyard; /* nodes taken out of the tree by a pass; other
                        passes' lists may still point at them, so they
                        are freed only at the end */
  tx_list targets;   /* every target, in document order, collected once
                        by the first pass that needs them (see
                        references.c) */
  bool targets_ready;
  /* For target-notes (target_notes.c): the names references and targets
   * refer to, as the parser left them (Docutils' document.refnames),
   * kept before the indirect targets' pass resolves them; the
   * footnotes and footnote references it made, which the footnotes'
   * pass numbers after the parser's, as Docutils notes them later. */
  tx_map parser_refnames;
  bool have_parser_refnames;
  tx_list target_notes, target_note_refs;
} ss_tx;

/* Reports a problem and returns a new system_message node (not placed in
 * the tree). `backref` may be NULL. */
ss_node *tx_message(ss_tx *tx, ss_level level, int line, const char *backref,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Places a message made during a transform: kept at the end of the
 * document when at WARNING or above (Docutils' report level), else freed. */
void tx_keep_message(ss_tx *tx, ss_node *msg);
/* Replaces `ref` (a reference of some kind) by a problematic node
 * pointing at `msg`, as Docutils does for references it cannot resolve;
 * gives both their ids. `ref` goes to the graveyard. */
void tx_make_problematic(ss_tx *tx, ss_node *ref, ss_node *msg);
/* The source text Docutils would show for a reference node. */
void tx_rawsource(const ss_node *ref, ss_buf *out);

bool tx_is_resolved(const ss_tx *tx, const ss_node *n);
void tx_set_resolved(ss_tx *tx, const ss_node *n);

/* --- list attributes ------------------------------------------------- */

/* Number of items of list attribute `name`. */
size_t tx_attr_count(const ss_node *n, const char *name);
/* Moves a name from `names` to `dupnames` (Docutils' dupname()). */
void tx_dupname(ss_node *n, const char *name);

/* --- ids and names (ids.c) ------------------------------------------- */

/* Docutils' document.set_id: gives `n` an id (from its names, else
 * "idN") unless it has some, and records its ids. Returns its first id. */
const char *tx_set_id(ss_tx *tx, ss_node *n);
/* document.note_implicit_target / note_explicit_target: an id, and the
 * names recorded (duplicates moved to dupnames, with Docutils' message
 * placed where its parser would have put it). */
void tx_note_target(ss_tx *tx, ss_node *n, bool explicit_);
/* Docutils' normalize_name: whitespace collapsed, lower-cased. */
void tx_normalize_name(const char *s, size_t len, ss_buf *out);
/* The node that carries an id, or NULL. */
ss_node *tx_node_by_id(const ss_tx *tx, const char *id);
/* The id a name refers to; NULL when unknown or ambiguous. `known` says
 * whether the name is recorded at all. */
const char *tx_nameid(const ss_tx *tx, const char *name, bool *known);

/* --- lines (lines.c) ------------------------------------------------- */

/* Docutils' get_source_line on the tree as the reader left it: the
 * node's own line, else its nearest ancestor's; 0 when there is none
 * (a node with a source but no line stops the search). A section or
 * section title counts at its underline, the line after its own. */
int tx_source_line(const ss_node *n);
/* Sphinx's get_node_line: the nearest line of the node or an ancestor,
 * past nodes without one (copy_source_info gives a node made in place
 * of another that line). */
int tx_node_line(const ss_node *n);

/* --- the passes, in the order they run ------------------------------- */

void tx_pass_source_workaround(ss_tx *tx); /* Sphinx ApplySourceWorkaround
                                              (10) */
void tx_pass_ids(ss_tx *tx);               /* what the parser does */
void tx_pass_class_attribute(ss_tx *tx);   /* ClassAttribute (210) */
void tx_pass_autonumbering(ss_tx *tx);     /* Sphinx AutoNumbering (210) */
void tx_pass_substitutions(ss_tx *tx);     /* Substitutions (220) */
void tx_pass_propagate_targets(ss_tx *tx); /* PropagateTargets (260) */
void tx_pass_sort_ids(ss_tx *tx);          /* Sphinx SortIds (261) */
void tx_pass_anonymous(ss_tx *tx);         /* AnonymousHyperlinks (440) */
void tx_pass_keep_refnames(ss_tx *tx);     /* for TargetNotes, see there */
void tx_pass_indirect(ss_tx *tx);          /* IndirectHyperlinks (460) */
void tx_pass_target_notes(ss_tx *tx);      /* TargetNotes (540) */
void tx_pass_citation_xrefs(ss_tx *tx);    /* the same, across a site */
void tx_pass_citations(ss_tx *tx);   /* Sphinx citation transforms (619) */
void tx_pass_footnotes(ss_tx *tx);   /* Footnotes (620) */
void tx_pass_external(ss_tx *tx);    /* ExternalTargets (640) */
void tx_pass_internal(ss_tx *tx);    /* InternalTargets (660) */
void tx_pass_sectnum(ss_tx *tx);     /* SectNum (710) */
void tx_pass_contents(ss_tx *tx);    /* Contents (720) */
void tx_pass_smartquotes(ss_tx *tx); /* Sphinx SmartQuotes (750) */
void tx_pass_transitions(ss_tx *tx); /* Transitions (830) */
void tx_pass_dangling(ss_tx *tx);
void tx_pass_xrefs(ss_tx *tx);         /* Sphinx's :ref: and dangling xrefs */
void tx_pass_resolve_lines(ss_tx *tx); /* each node its reporting line */
/* Sphinx :ref: resolution (post-transform) */ /* DanglingReferences (850)
                                                */

/* A footnote name only target-notes makes ("TARGET_NOTE: id2"). */
bool tx_is_target_note_name(const char *name);

/* Walk helpers: every node with a refname, in document order, grouped by
 * refname (Docutils' document.refnames). Caller frees with
 * tx_multimap_free. `kind` restricts to one kind unless SS_KIND_COUNT. */
void tx_collect_refnames(ss_tx *tx, tx_map *out, ss_kind kind);

#endif
