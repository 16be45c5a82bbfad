/* transforms.h — the passes that finish a tree after a reader built it,
 * in Docutils' order: each is a separate walk over the tree, none knows
 * which reader ran.
 *
 * A reader leaves references by name (`refname`), unnumbered automatic
 * footnotes, substitution references, and elements without ids. After
 * ss_transform_document: internal targets are attached to the element
 * they point at, references carry `refuri` or `refid`, footnotes are
 * numbered and labelled with back-references, substitutions are
 * replaced, and every element that needs one has an id (section ids from
 * their titles as Sphinx makes them; `id1`, `id2`, ... otherwise).
 * Problems (unknown target, duplicate names, ...) are reported on diag
 * and added as system_message nodes.
 */
#ifndef SS_TRANSFORMS_H
#define SS_TRANSFORMS_H

#include <stdbool.h>

#include "../tree/tree.h"
#include "../util/diag.h"

typedef struct ss_transform_options {
  const char *path; /* source path for messages; may be NULL */
  ss_diag *diag;    /* required */
  /* Leave :doc:, :ref:, :term: and :any: references, and citation
   * references, as
   * pending_xref for a later stage that knows the whole site (the site
   * build), as Sphinx resolves them across the project. Off, or for the
   * other roles: what this document cannot resolve becomes its text,
   * with Sphinx's warning, as in a build of this document alone. */
  bool keep_pending_xrefs;
  /* When not NULL: each label of the document Sphinx's standard domain
   * notes (every explicit target name but a footnote's or a URI's), as
   * name, id, line, "t" (a :ref: can show its title) or "a" (only an
   * explicit title can name it), and that title: each ended by a NUL,
   * sorted by name. */
  ss_buf *labels;
  /* When not NULL: the document's metadata (the field list it begins
   * with, which Sphinx takes out of the tree), as name and text pairs,
   * each ended by a NUL. */
  ss_buf *metadata;
  /* When not NULL: the citations the document defines, as label, id and
   * line, each ended by a NUL. */
  ss_buf *citations;
} ss_transform_options;

/* Runs every pass, in order. */
void ss_transform_document(ss_node *document, const ss_transform_options *opts);

/* The id Docutils/Sphinx derive from a name: lower-cased, non-alphanumeric
 * runs turned into one hyphen, accents stripped, ... ("Problem
 * description" -> "problem-description"). Appends to out; may append
 * nothing when no usable character remains. */
void ss_make_id(const char *name, ss_buf *out);

#endif
