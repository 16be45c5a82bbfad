/* site.h — `specsite build`: a spec repository to an indexed, navigable,
 * searchable static site (docs/site.rst is the user's side).
 *
 *   discover   the layout: a Sphinx doc/source (with its symlinks) or the
 *              repository root; every .rst below it is a page, a page
 *              below specs/<release>/ is a spec of that release
 *   render     each page read, transformed, filtered and written as an
 *              HTML body plus a summary (title, outline, blueprint,
 *              assignee, impact sections, search words), by worker
 *              threads; each thread owns its Lua state
 *   generate   on the main thread, from the summaries alone: toctrees,
 *              the index, release pages, the section index, the search
 *              index, the Atom feed, the sitemap, redirects; then every
 *              page is its body poured into the theme; writer threads
 *              write the files
 *   publish    a full build is written to a staging folder beside OUT
 *              and swapped in with one rename; a rebuild's few changed
 *              files are committed in place through a journal: a failed
 *              or interrupted build leaves the last good site where it
 *              was
 *
 * Incremental: OUT/.specsite/cache keeps each page's summary keyed by its
 * source's size and mtime and by everything else a body depends on
 * (specsite itself, options, filters), the compiled theme, and the key
 * of every output file. A rebuild re-renders the sources that changed,
 * and makes again only the outputs whose key did: generated pages are
 * keyed by what they list, so a rebuild that changed no title makes
 * none of them.
 *
 * The output is byte-identical whatever the number of threads: workers
 * only fill slots of an array, and everything ordered is ordered on the
 * main thread.
 */
#ifndef SS_SITE_H
#define SS_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/diag.h"

typedef struct ss_site_options {
  const char *src;       /* repository root; NULL = "." */
  const char *out;       /* NULL = doc/build/html (Sphinx layout) or _site */
  const char *theme_dir; /* NULL = the configuration's, else built in */
  const char *config;    /* NULL = specsite.conf at the root, if any */
  const char *const *filters; /* --filter, run before the configured ones */
  size_t n_filters;
  bool unsafe_filters;
  bool raw_enabled;
  bool warnings_are_errors; /* -W: a warning fails the build */
  bool quiet;               /* -q: no warnings, no summary */
  bool progress;            /* a progress line on standard error */
  bool full;                /* ignore the cache */
  bool timings;             /* each stage's time on standard error */
  bool xml; /* -b xml: every document's tree, as Sphinx's xml builder
               writes it, instead of the site */
  int jobs; /* worker threads; 0 = one per core */
  /* For a caller that keeps the site open (`specsite serve`): the
   * problems are also kept, as printed, with the pages they belong to
   * and the output files the build changed (ss_site_stats). */
  bool collect; /* and then not printed: the caller prints them */
  /* For a caller that builds the same site again and again (serve):
   * what the last build found in the tree, kept for the next; NULL:
   * every build walks the tree. */
  struct ss_site_memo *memo;
  /* With memo: the files whose contents alone changed since the last
   * build (none added, removed or renamed), as the caller saw them
   * change; when each is a page's source, the tree is not walked again.
   * NULL: not known, the tree is walked. */
  const char *const *touched;
  size_t n_touched;
  /* OUT is written by this caller's builds alone (serve's private
   * folder): the files the cache lists are there as it says, and the
   * output folders are not listed to make sure. */
  bool private_out;
} ss_site_options;

/* The memo: made empty, filled by each build that has it. */
typedef struct ss_site_memo ss_site_memo;
ss_site_memo *ss_site_memo_new(void);
void ss_site_memo_free(ss_site_memo *memo);

/* A page of the site, as `collect` reports it: the problems that begin
 * with "SOURCE:" in ss_site_stats.messages are the page's. */
typedef struct ss_site_page_report {
  char *url;    /* "specs/8.0/foo.html", relative to OUT */
  char *source; /* the path its messages begin with */
  char *path;   /* the file it is read from */
} ss_site_page_report;

typedef struct ss_site_stats {
  int pages;    /* documents built into pages */
  int specs;    /* of which specs of a release */
  int rendered; /* documents read and rendered in this run */
  int reused;   /* documents taken from the cache */
  int written;  /* output files written (others were hard-linked) */
  int warnings; /* problems reported at WARNING or above */
  double seconds;
  char *out; /* the folder the site is in (malloc'd) */
  /* With `collect` (every field malloc'd; ss_site_stats_free): */
  ss_site_page_report *page_reports; /* every page, in docname order */
  size_t n_page_reports;
  char *messages;   /* everything the build reported, as printed */
  bool all_changed; /* a whole new site was swapped in */
  char **changed;   /* else the files written or removed, relative to OUT */
  size_t n_changed;
} ss_site_stats;

/* Builds the site. Returns 0 on success, 1 when -W turned warnings into
 * a failure, 2 when the build could not be done (unreadable source,
 * broken theme or configuration, unwritable output); in the last two
 * cases the previous site is left as it was. Problems are printed to
 * stderr in Sphinx's form. stats may be NULL; else it is filled in
 * whatever the result (zeroed first), and freed with ss_site_stats_free. */
int ss_site_build(const ss_site_options *opts, ss_site_stats *stats);
void ss_site_stats_free(ss_site_stats *stats);

#endif
