/* filter.h — the Lua bridge: user filters that edit the document tree
 * between the transforms and the writer (docs/filters.rst).
 *
 * A filter is a Lua 5.4 file returning a table of functions keyed by
 * node kind (the names `specsite ast` prints, plus `text` and
 * `document`). Each function gets a node as a plain Lua table and
 * returns nil (keep), a node (replace), a list of nodes (splice) or an
 * empty list (delete). Tables are converted per call, so a filter never
 * holds a pointer into the C tree and cannot corrupt it: what comes back
 * is checked (known kinds, no text node with children, no node shared or
 * nested in itself, a bounded depth) before it replaces anything.
 *
 * Filters are untrusted: by default they get only the safe libraries
 * (base without dofile/loadfile and with text-only load, string, table,
 * math, utf8; setmetatable refuses __gc), bounds on instructions and
 * on wall-clock time per document and a bound on memory. One set of
 * filters owns one Lua state for a whole run.
 */
#ifndef SS_FILTER_H
#define SS_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "../tree/tree.h"
#include "../util/diag.h"

/* Defaults for the bounds below. */
#define SS_FILTER_MAX_INSTRUCTIONS 200000000UL     /* per document */
#define SS_FILTER_MAX_MEMORY (256UL * 1024 * 1024) /* bytes, whole state */
/* Wall-clock seconds per document (and per filter loaded): the
 * instruction count does not see time spent inside C functions. */
#define SS_FILTER_MAX_SECONDS 10.0
/* Deepest Lua table nesting accepted as a node tree (node, children
 * list, node, ... counts one level per node). */
#define SS_FILTER_MAX_DEPTH 256

typedef struct ss_filter_options {
  bool unsafe;             /* all standard libraries (os, io, ...) */
  size_t max_instructions; /* 0 = SS_FILTER_MAX_INSTRUCTIONS */
  size_t max_memory;       /* 0 = SS_FILTER_MAX_MEMORY */
  double max_seconds;      /* 0 = SS_FILTER_MAX_SECONDS */
  ss_diag *diag;           /* where specsite.warn reports; required */
} ss_filter_options;

/* What `specsite.page` holds for the document being filtered. Strings
 * may be NULL (seen as ""). */
typedef struct ss_filter_page {
  const char *source;  /* source path, as in messages */
  const char *url;     /* output URL or path; "" when unknown */
  const char *release; /* "9.0" for specs/9.0/...; "" otherwise */
  const char *title;   /* the first section title; "" when none */
} ss_filter_page;

typedef struct ss_filter_set ss_filter_set;

/* A new set with its own Lua state; NULL when Lua cannot start. */
ss_filter_set *ss_filter_set_new(const ss_filter_options *opts);
void ss_filter_set_free(ss_filter_set *fs);

/* Loads a filter file (text chunks only) and appends it to the chain.
 * Returns false with a message in ss_filter_error on failure (unreadable
 * file, syntax error, not returning a table, an unknown kind as a key). */
bool ss_filter_set_load(ss_filter_set *fs, const char *path);
/* Same, from a string; `name` plays the part of the file name. */
bool ss_filter_set_load_string(ss_filter_set *fs, const char *name,
                               const char *code);

/* Runs every filter, in the order loaded, on *document (which a
 * `document` function may replace). Returns false when a filter failed
 * (error, bound reached, invalid result): ss_filter_error then names the
 * filter file, its line and the document. The tree is whole either way
 * but may be partly filtered. */
bool ss_filter_set_run(ss_filter_set *fs, ss_node **document,
                       const ss_filter_page *page);

/* The last failure's message ("" when none). */
const char *ss_filter_error(const ss_filter_set *fs);

/* specsite.page.title of a document: its first section title's text
 * (appends nothing when there is none). */
void ss_filter_page_title(ss_node *document, ss_buf *out);

/* The release a source path belongs to: the component after a `specs`
 * component ("specs/9.0/foo.rst" -> "9.0"); appends nothing otherwise. */
void ss_filter_release_of(const char *path, ss_buf *out);

#endif
