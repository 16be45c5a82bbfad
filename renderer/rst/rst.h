/* rst.h — the reStructuredText reader: text in, document tree out.
 *
 * The tree is the one Docutils' parser builds before its transforms run:
 * references still carry `refname`, footnotes are not numbered, ids are
 * not assigned. renderer/transforms/ finishes it (see transforms.h).
 *
 * Nodes carry the lines Docutils' parser gives them (docs/reader.rst,
 * "Lines"): a line of their own, 0 for none (the nearest ancestor's
 * counts) or a negative line for a source without a line, where
 * get_source_line stops; sections and their titles have the title's
 * line and count at the underline, the next. The transforms leave each
 * node the line Sphinx reports a problem about it at.
 */
#ifndef SS_RST_H
#define SS_RST_H

#include <stdbool.h>
#include <stddef.h>

#include "../tree/tree.h"
#include "../util/buffer.h"
#include "../util/diag.h"

typedef struct ss_rst_options {
  const char *path;      /* source path as printed in messages (may be NULL) */
  const char *root;      /* source tree root: an include's "/x" is below
                            it; NULL = the folder of `path` */
  const char *confine;   /* includes stay inside it (a repository, as
                            Sphinx reads ../../README.rst from doc/source);
                            NULL = root */
  bool no_tree;          /* no source tree at all (standard input with no
                            --root): include and literalinclude read no
                            file */
  bool no_inlines;       /* inline markup not read: a paragraph's or a
                            title's text is one text node, as written (for
                            a reader of the structure alone: specsite
                            check when no selected rule reads inline
                            markup, half of what the reader costs) */
  bool raw_enabled;      /* the `raw` directive; off by default */
  ss_level report_level; /* system_message nodes below it are not kept
                            in the tree (Docutils' report_level, default
                            INFO kept out: SS_LEVEL_WARNING) */
  ss_diag *diag;         /* where problems are reported; required */
  ss_buf *includes;      /* when not NULL: the path of each file an include
                            directive names inside the tree (read or not),
                            each ended by a NUL: what the document depends
                            on besides its own text */
} ss_rst_options;

/* Parses `len` bytes of reStructuredText and returns a new `document`
 * node. Any bytes are accepted, read as Sphinx reads a source: invalid
 * UTF-8 becomes '?' and NULs are removed, each with a warning; a
 * byte-order mark is dropped and CR or CRLF line ends are read as line
 * ends, silently. Never fails: problems become
 * system_message nodes and reports on opts->diag. */
ss_node *ss_rst_parse(const char *text, size_t len, const ss_rst_options *opts);

#endif
