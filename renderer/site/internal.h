/* internal.h — what the files of the site stage share (not a contract:
 * site.h is). One ss_site per build; one ss_page per source document. */
#ifndef SS_SITE_INTERNAL_H
#define SS_SITE_INTERNAL_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "../theme/theme.h"
#include "../tree/tree.h"
#include "../util/buffer.h"
#include "../util/digest.h"
#include "site.h"

/* Output names, as Sphinx's html builder makes them. */
#define SS_SITE_SOURCES_DIR "_sources" /* _sources/<docname>.rst.txt */
#define SS_SITE_STATIC_DIR "_static"   /* theme assets */
#define SS_SITE_STATE_DIR ".specsite"  /* cache and marker, inside OUT */

/* A section as the outline, the section bar and search see it. */
typedef struct ss_site_section {
  char *title;         /* plain text */
  char *anchor;        /* the section's first id */
  int level;           /* 1 = below the page title, 2 = below that */
  int canon;           /* the template title it stands for: an index into
                          main_titles, then impact_titles after them; -1 */
  bool main;           /* one of the template's main sections (level 1) */
  bool says_something; /* its text is more than "None" (impact index) */
} ss_site_section;

/* A file a page's text includes, as it was when the page was made: the
 * page is made again when it is not (cache.c). */
typedef struct ss_site_dep {
  char *path;             /* as the reader opened it */
  int64_t size, mtime_ns; /* both -1: there was no such file */
} ss_site_dep;
/* Sets dep's size and mtime from its file as it is now (cache.c). */
void ss_site_dep_stamp(ss_site_dep *dep);

/* A label of a page that :ref: can name (xref.c). */
typedef struct ss_site_label {
  char *name, *id, *title;
  int line;    /* of the element it labels */
  bool titled; /* false: only a :ref: with a title of its own names it */
} ss_site_label;

/* What one entry of a toctree names, once the site's documents are
 * known (toctree.c): Sphinx's toctree['entries'], globs expanded. */
typedef struct ss_site_toc_entry {
  char *title; /* as the entry gives it, or NULL: the page's */
  int page;    /* the page it names, or -1 */
  char *ref;   /* for page -1: a URL, "self", or a page Sphinx makes
                  ("genindex", "modindex", "search") */
} ss_site_toc_entry;

/* A toctree of a page, where the page's table of contents has it
 * (Sphinx's env.tocs): a toctree elsewhere that lists the page lists
 * what this one lists below it (toctree.c). */
typedef struct ss_site_toctree {
  int after; /* how many of the page's sections come before it */
  int level; /* the level of the section it is in; -1 for none */
  int line;
  bool glob, hidden, reversed;
  char *entries; /* the reader's list: rawentries with glob, else entries */
  /* Not cached: resolved on first use (toctree.c). */
  ss_site_toc_entry *resolved;
  size_t n_resolved;
  bool is_resolved;
} ss_site_toctree;

/* An object a domain directive describes (http:get, py:class): what
 * objects.inv lists besides documents and labels (inventory.c). */
typedef struct ss_site_object {
  char *name;   /* the path, the qualified name, the glossary term */
  char *type;   /* "http:get", "std:term" */
  char *anchor; /* the signature's or term's id */
  int line;
} ss_site_object;

/* A file a page refers to (an image), relative to the source root. */
typedef struct ss_site_ref {
  bool scaled;   /* :scale: without both :width: and :height: */
  bool download; /* a :download: target, not an image */
  char *path;    /* normalised, relative to the root; NULL when outside */
  char *uri;     /* as written */
  int line;
} ss_site_ref;

/* What the generated pages need to know of a page: all of it is kept in
 * the cache so that a rebuild needs no tree but the changed ones. */
typedef struct ss_site_summary {
  char *title;     /* the first section title; the docname when none */
  char *blueprint; /* URL, or NULL */
  char *assignee;  /* primary assignee, or NULL */
  ss_site_section *sections; /* see ss_site_sections */
  size_t n_sections;
  const char *sections_blob; /* a summary from the cache: its sections,
                                until read */
  size_t sections_blob_len;
  ss_site_ref *refs;
  size_t n_refs;
  ss_site_dep *deps; /* included files */
  size_t n_deps;
  ss_site_label *labels; /* sorted by name */
  size_t n_labels;
  ss_site_toctree *toctrees; /* in document order */
  size_t n_toctrees;
  ss_site_object *objects; /* in document order */
  size_t n_objects;
  ss_site_label *citations; /* name = the label, title unused */
  size_t n_citations;
  char *body; /* the HTML body; NULL for a summary from the cache */
  /* This page's entry of searchindex.js (JSON, search_len bytes). A
   * summary from the cache has none until the index must be made again:
   * then it points into the last site's index, at search_at. */
  char *search;
  size_t search_len;
  int64_t search_at;
  uint64_t search_digest; /* of the entry: the index is keyed by these */
  /* Of what listings show of the page (ss_site_listing_digest):
   * generated pages are keyed by these. */
  uint64_t listing_digest;
  char *messages;   /* the reader's reports, as printed (replayed on reuse) */
  int warnings;     /* reports at WARNING or above */
  bool lists_pages; /* the body lists other pages' titles (toctrees,
                       :doc: references): made once all are known */
  bool orphan;      /* :orphan: in its metadata: in no toctree, no warning */
  bool borrowed;    /* strings point into site->cache_data: not freed */
} ss_site_summary;

typedef struct ss_page {
  char *docname;      /* "specs/8.0/foo": relative to the root, no suffix */
  char *source;       /* the path as printed in messages */
  char *fspath;       /* the path to read */
  char *url;          /* "specs/8.0/foo.html" */
  char *release;      /* "8.0", or NULL when not a spec */
  char *status;       /* "approved" for specs/<release>/approved/x.rst */
  bool template_file; /* specs/template.rst, specs/<release>-template.rst */
  int64_t size, mtime_ns;
  uint64_t dev, ino;    /* of the file read (a symlink's target) */
  int64_t date;         /* the last change: git commit time, else mtime (s) */
  bool git_dated;       /* date is the last commit's (dates.c) */
  uint64_t key;         /* of the source's size and mtime, and what every body
                           depends on: unchanged, the page is (see cache.c) */
  uint64_t content_key; /* of its bytes instead: what the body is made of */
  bool cached;          /* summary came from the cache */
  const char *record;   /* then its record there, copied to the next one */
  size_t record_len;
  uint64_t kept_ino; /* the last site's page is still good: its inode
                        (ss_site_mark_stale looked), else 0 */
  uint64_t kept_key; /* and the key it was made from */
  ss_site_summary sum;
  ss_node *tree;  /* kept only while it waits for other pages' titles */
  int prev, next; /* neighbours in the release, -1 when none */
} ss_page;

typedef struct ss_site_release {
  char *name;
  char *url;  /* its page: specs/<name>/index.html (see generate.c) */
  int *pages; /* indices of its specs, in docname order */
  size_t n_pages;
} ss_site_release;

/* Section aliases: a spec's title -> the template's title. */
typedef struct ss_site_alias {
  char *from, *to;
} ss_site_alias;

/* A page's date from git, as the cache remembers it (dates.c). */
typedef struct ss_site_dated {
  const char *docname; /* borrowed from the cache's bytes */
  int64_t date;
} ss_site_dated;

/* A file of the last site, as the cache remembers it. */
typedef struct ss_site_output {
  const char *name; /* borrowed from the cache's bytes */
  uint64_t key;
  uint64_t ino; /* of the file as written: one replaced since is not
                   reused (generate.c) */
} ss_site_output;

/* write.c: files written by threads of their own. */
typedef struct ss_site_write ss_site_write;
typedef struct ss_site_writer ss_site_writer;

/* A file of this build, as the cache will record it. */
typedef struct ss_site_record {
  char *name;
  uint64_t key;
  uint64_t ino;       /* 0 while `job` writes it */
  ss_site_write *job; /* NULL for a file kept from the last site */
} ss_site_record;

/* A folder of the last site as it was when its files were last checked
 * (OUT/.specsite/outputs): while it keeps its inode and change time,
 * nothing in it was added, removed, renamed or replaced, so its files
 * are the ones the outputs table names (generate.c). */
typedef struct ss_site_stamp {
  const char *dir; /* relative to OUT, "" for OUT itself */
  uint64_t ino;
  int64_t ctime_ns;
} ss_site_stamp;

/* A folder of the last site, looked at once (generate.c): unchanged
 * since its stamp, or listed. */
typedef struct ss_site_listing {
  char *dir;                   /* relative to OUT, "" for OUT itself */
  struct ss_fs_entry *entries; /* sorted by name; none when `unchanged` */
  size_t n;
  bool unchanged; /* as stamped: the outputs table's inodes hold */
  bool stamped;   /* `stamp` may be kept for the next build */
  ss_site_stamp stamp;
} ss_site_listing;

typedef struct ss_site {
  const ss_site_options *opts;
  char *src;          /* repository root, as given */
  char *src_real;     /* its real path: nothing outside it is published */
  char *root;         /* the source root (src or src/doc/source) */
  char *out;          /* the output folder */
  char *staging;      /* where this build writes, beside out */
  char *trash_prefix; /* OUT/.specsite/trash: the last site goes to
                         <this>.<pid>, then away */
  char *trash;        /* where it went in this build, or NULL */
  bool sphinx;        /* a doc/source layout */
  /* conf.py (sphinxconf.c) */
  bool conf_py;        /* doc/source/conf.py was read */
  char *conf_project;  /* its project, or NULL */
  char *root_doc_name; /* its root_doc: "index" by default */
  char **exclude;      /* its exclude_patterns, as Sphinx matches them */
  size_t n_exclude;
  char **extra_paths; /* html_extra_path: copied to the root */
  size_t n_extra_paths;
  char **static_paths; /* html_static_path: copied to _static/ */
  size_t n_static_paths;
  bool html_use_index;     /* genindex.html */
  bool todo_include_todos; /* todo boxes shown */
  bool keep_warnings;      /* problems shown in pages too */
  bool httpdomain;         /* sphinxcontrib.httpdomain is an extension */
  int root_doc;            /* the page Sphinx starts from (conf.py's root_doc),
                              whose toctrees list the others; -1 for none */
  char *project;           /* the project's name */
  char *version;           /* conf.py's version, or NULL */
  char *base_url; /* for the sitemap and feed; "" when not configured */
  char *theme_dir;
  char **filters; /* every filter file, --filter ones first */
  size_t n_filters;
  char **release_order; /* configured, newest first; NULL = by version */
  size_t n_release_order;
  char *template_path;       /* the template, or NULL for the seed's sections */
  int64_t template_stamp[3]; /* its size, mtime (ns) and inode */
  const char *const *cached_titles; /* the last build's, when its template
                                       had this stamp: main then impact */
  size_t n_cached_main, n_cached_impact;
  char **main_titles; /* the template's main sections, in order */
  size_t n_main_titles;
  char **impact_titles; /* the template's "... impact" sections */
  size_t n_impact_titles;
  char **title_keys; /* main then impact titles, as they compare */
  ss_site_alias *aliases;
  size_t n_aliases;
  ss_theme *theme;
  ss_page *pages;
  size_t n_pages;
  ss_site_release *releases; /* newest first */
  size_t n_releases;
  char **redirects; /* folders with a redirects file, found by discover.c */
  struct ss_site_move *moves; /* what they say, by old path (feed.c) */
  size_t n_moves;
  size_t n_redirects;
  int *by_name;                 /* page indices sorted by docname (strcmp) */
  struct ss_site_image *images; /* by path (images.c) */
  size_t n_images;
  struct ss_site_image *downloads; /* :download: files, by path */
  size_t n_downloads;
  struct ss_site_xlabel *labels; /* the labels :ref: shows, by name (xref.c) */
  size_t n_labels;
  struct ss_site_xlabel *anonlabels; /* the labels :ref:`t <x>` names */
  size_t n_anonlabels;
  struct ss_site_xlabel *citations; /* the project's citations, by label */
  size_t n_citations;
  struct ss_site_xlabel *terms; /* glossary terms, as written */
  size_t n_terms;
  struct ss_site_xlabel *lower_terms; /* and in lower case (names owned) */
  size_t n_lower_terms;
  int index_page;               /* the page index.rst made, or -1 */
  uint64_t options_key;         /* digest of what every body depends on */
  uint64_t listing_key;         /* of what generated pages list (generate.c) */
  ss_site_output *last_outputs; /* the last site's files, in write order */
  size_t n_last_outputs, last_hint;
  ss_site_stamp *last_stamps; /* from the outputs table */
  size_t n_last_stamps;
  ss_site_listing *listings; /* OUT's folders, as far as looked at */
  size_t n_listings;
  ss_site_record *records; /* this build's files, in the order made */
  size_t n_records;
  ss_site_writer *writer; /* writes them (write.c) */
  char *cache_data;       /* the last cache, mapped: summaries borrow from it */
  size_t cache_len;
  char *outputs_data; /* OUT/.specsite/outputs, mapped: last_outputs */
  size_t outputs_len;
  const char *cache_theme; /* the compiled theme in it (ss_theme_save) */
  size_t cache_theme_len;
  size_t cache_pos; /* where its pages start; 0: not a cache */
  char *git_key;    /* the repository and its HEAD commit; NULL when unknown */
  const char *last_git_key;      /* the last build's, from the cache */
  ss_site_dated *last_git_dates; /* the last build's dates from git */
  size_t n_last_git_dates;
  int64_t search_index_size;      /* searchindex.js's, as this build makes it */
  int64_t last_search_index_size; /* the last build's, from the cache */
  char *search_data; /* the last searchindex.js, mapped when needed */
  size_t search_data_len;
  bool in_place; /* commit by a journal into OUT (see build.c) */
  char **puts;   /* in_place: the names of OUT/.specsite/new/<i> */
  size_t n_puts;
  char **dels; /* in_place: the last site's files this one has not */
  size_t n_dels;
  int written, linked;
  int warnings;
  ss_diag diag; /* the build's own problems (config, theme, files) */
} ss_site;

/* --- fs.c: files and paths ------------------------------------------- */

/* "a/b" + "c" -> "a/b/c" (malloc'd). */
char *ss_path_join(const char *a, const char *b);
/* Resolves "." and ".." of a relative path; NULL when it climbs out. */
char *ss_path_normalize(const char *path);
/* Whether `path` matches `pattern` as Sphinx matches exclude_patterns
 * and toctree globs: "**" matches anything, '*' and '?' anything but a
 * '/', "[...]" a class ("[!...]" never matching '/'); the whole path. */
bool ss_path_match(const char *pattern, const char *path);
/* The folder part of a relative path: "a/b/c" -> "a/b", "c" -> "". */
char *ss_path_dir(const char *path);
/* "../" once per folder of a relative output path ("specs/8.0/x.html"
 * -> "../../"). */
void ss_path_root_of(const char *url, ss_buf *out);
/* A relative URL from page `from` to page `to` (both site-relative). */
void ss_path_relative(const char *from, const char *to, ss_buf *out);
/* A path as a URL path: bytes outside RFC 3986's unreserved set, '/'
 * and the sub-delimiters percent-encoded ("a b#.html" -> "a%20b%23.html");
 * "./" before a first segment with a colon, which would read as a
 * scheme ("javascript:x.html"). */
void ss_path_url(ss_buf *out, const char *path);
bool ss_fs_mkdirs(const char *dir);
/* Makes the folder a file `path` goes in. */
bool ss_fs_mkdirs_for(const char *path);
/* True when `path` exists and its real path (symlinks followed) is
 * below the real folder `dir_real`. */
bool ss_fs_inside(const char *path, const char *dir_real);
/* Writes a whole file, creating its folder. */
bool ss_fs_write(const char *path, const char *data, size_t len);
/* Hard-links src to dst (copies when linking is impossible). */
bool ss_fs_link_or_copy(const char *src, const char *dst);
/* A regular file mapped read-only (its bytes are never written to);
 * NULL when absent or empty. */
char *ss_fs_map(const char *path, size_t *len);
void ss_fs_unmap(char *data, size_t len);
/* A folder's entry, as readdir gives it. */
typedef struct ss_fs_entry {
  char *name;
  uint64_t ino;
  unsigned char type; /* DT_*, DT_UNKNOWN where the file system says none */
} ss_fs_entry;
/* The entries of the folder open as `fd` but "." and "..", sorted by
 * name (so that nothing built from them depends on the file system's
 * order); returns how many. ss_fs_entry_cmp orders them (bsearch). */
size_t ss_fs_read_dir(int fd, ss_fs_entry **entries);
int ss_fs_entry_cmp(const void *a, const void *b);
void ss_fs_entries_free(ss_fs_entry *entries, size_t n);
/* Removes a folder and everything in it, not following symlinks. */
bool ss_fs_remove_tree(const char *dir);
/* The file system path of `rel` below `root`, following link files (a
 * checkout without symlinks keeps each as a file naming its target);
 * `*sb` (if not NULL) gets what is there, symlinks followed, st_mode 0
 * when nothing is. One lstat per component, none below a missing one. */
char *ss_fs_resolve(const char *root, const char *rel, struct stat *sb);
/* ss_fs_resolve for many paths below one root, each folder resolved
 * once (images: a rebuild looks each one up; below a missing folder, a
 * lookup makes no system call). */
typedef struct {
  char *rel, *path;
  bool exists;
} ss_fs_resolved;
typedef struct ss_fs_resolver {
  const char *root;
  ss_fs_resolved *dirs; /* folders seen, and where they are */
  size_t n;
} ss_fs_resolver;
char *ss_fs_resolver_get(ss_fs_resolver *r, const char *rel, struct stat *sb);
void ss_fs_resolver_free(ss_fs_resolver *r);

/* --- build.c ---------------------------------------------------------- */

/* Finishes the commit of a build that stopped while committing in place
 * (OUT/.specsite/journal, see build.c): applying a journal twice is
 * harmless. The old files go to the staging folder. */
bool ss_site_recover(ss_site *site);
/* Where this build writes the output file `name` (malloc'd): below the
 * staging folder for a whole new site; for an in-place commit, a
 * numbered file in OUT/.specsite/new, recorded for the journal. */
char *ss_site_output_path(ss_site *site, const char *name);

/* --- discover.c ------------------------------------------------------- */

/* Finds the layout, the pages and the releases. */
bool ss_site_discover(ss_site *site);
/* The page with this docname, or -1 (a binary search of by_name). */
int ss_site_find_page(const ss_site *site, const char *docname);
/* Orders releases (newest first) and each release's specs, links
 * prev/next. */
void ss_site_order(ss_site *site);

/* --- sphinxconf.c ----------------------------------------------------- */

/* Reads doc/source/conf.py, when there is one, into the site's conf.py
 * fields; sets their defaults otherwise. */
void ss_site_read_conf_py(ss_site *site);
/* Whether a path below the source root (a file with its suffix, or a
 * folder) is one of exclude_patterns'. */
bool ss_site_excluded(const ss_site *site, const char *rel);
void ss_site_conf_py_free(ss_site *site);

/* --- settings.c ------------------------------------------------------- */

/* Reads the configuration file, and finds the template. */
bool ss_site_configure(ss_site *site);
/* The template's main and impact sections: the cache's while the
 * template has the stamp they were read with (parsing it was a tenth of
 * a rebuild), else read from it. After ss_site_cache_open. */
void ss_site_template_titles(ss_site *site);
/* The template title a spec section's title stands for (through
 * aliases, or equal but for case, punctuation and a plural "s"): an
 * index into main_titles, then impact_titles after them; -1 for none. */
int ss_site_canonical_title(const ss_site *site, const char *title);

/* --- summary.c -------------------------------------------------------- */

/* Fills page->sum from its transformed tree (not the body); `url` is
 * where the page is published (index.html for the site's index). */
void ss_site_summarize(const ss_site *site, ss_page *page, ss_node *document,
                       const char *url);
void ss_site_summary_free(ss_site_summary *sum);
/* A digest of what the generated pages show of a page: title,
 * blueprint, assignee, sections. */
uint64_t ss_site_listing_digest(const ss_site_summary *sum);

/* --- render.c: the worker threads ------------------------------------- */

/* Threads a build uses: -j, else one per core. */
int ss_site_threads(const ss_site *site);
/* Reads, transforms, filters, summarises and writes the body of every
 * page whose summary is not cached. Returns false when a filter failed
 * (its message printed). */
bool ss_site_render_pages(ss_site *site);
/* Pages whose bodies list other pages (toctrees, cross-references):
 * resolved now that every title is known, then rendered. */
void ss_site_finish_pages(ss_site *site);
/* Where page `p` is in the site: its url (generate.c). */
const char *ss_site_page_url(const ss_site *site, const ss_page *p);
/* A link from page `from` to page `to` (or, for -1, to the page Sphinx
 * makes named `doc`: "search"), at `anchor` ("#id", "id" or NULL): a
 * relative URL, or with -b xml a relative docname as Sphinx's xml
 * builder writes them (none for `from` itself). Appended to out. */
void ss_site_doc_uri(const ss_site *site, const ss_page *from, int to,
                     const char *doc, const char *anchor, ss_buf *out);

/* --- toctree.c -------------------------------------------------------- */

/* Replaces each toctree node of page `p`'s tree by what Sphinx makes of
 * it (TocTree.resolve): the pages it names, each with its sections and
 * the toctrees in them, nested to :maxdepth:, links relative to p.
 * Reports to diag what Sphinx reports when it reads the toctree. */
void ss_site_resolve_toctrees(ss_site *site, ss_page *p, ss_diag *diag);
/* The docname a toctree entry or :doc: target names from a page in
 * folder `dir`, as Sphinx joins them ("/x" from the root, else relative;
 * ".." above the root stays at the root); suffix ".rst" dropped. */
char *ss_site_docname_join(const char *dir, const char *target);
void ss_site_toctrees_free(ss_site_toctree *t, size_t n, bool borrowed);
/* Sphinx's check_consistency: a document no toctree lists (but the root
 * document and :orphan: ones) is a warning. */
void ss_site_check_toctrees(ss_site *site);

/* --- images.c --------------------------------------------------------- */

/* An image some page shows, as Sphinx names it in _images/. */
typedef struct ss_site_image {
  char *path; /* relative to the source root */
  char *name; /* in _images/ (or _downloads/); NULL: not readable */
  char *from; /* the file to copy */
  int64_t size, mtime_ns;
  bool outside; /* a symbolic link out of the repository: not copied */
} ss_site_image;
/* Names every image the pages show (site->images), in reading order. */
void ss_site_name_images(ss_site *site);
void ss_site_images_free(ss_site *site);
/* Whether a page shows an image of the site (then its tree waits for
 * the names). */
bool ss_site_shows_images(const ss_site_summary *sum);
/* Points page `p`'s images at their copies in _images/, its downloads at
 * theirs in _downloads/. */
void ss_site_link_images(ss_site *site, ss_page *p);
/* Copies the images, and warns of those that cannot be. */
void ss_site_copy_images(ss_site *site);
/* The warnings alone (for -b xml, which copies none). */
void ss_site_image_warnings(ss_site *site);
/* The path below the source root an image URI of a page in folder `dir`
 * names; NULL for a URL, an anchor, or one climbing out of the root. */
char *ss_site_image_path(const char *dir, const char *uri);
/* The path below the source root a :download: target of page `docname`
 * names ("/x" from the root); NULL when it climbs out. */
char *ss_site_download_path(const char *docname, const char *target);

/* --- inventory.c ------------------------------------------------------ */

#define SS_SITE_INVENTORY "objects.inv"
/* objects.inv, as Sphinx writes it (after ss_site_labels). */
bool ss_site_write_inventory(ss_site *site);

/* --- xref.c ----------------------------------------------------------- */

/* A label as the site's table keeps it: the page it is on (-1 for the
 * pages Sphinx makes), where, and the title a :ref: shows. */
typedef struct ss_site_xlabel {
  const char *name;
  int page;
  const char *doc; /* for page -1: "genindex", "py-modindex", "search" */
  const char *id;
  const char *title;
  bool titled;
  size_t seq; /* reading order */
} ss_site_xlabel;

/* The site's table of labels, as Sphinx's standard domain notes them
 * reading the pages in docname order: Sphinx's warning for a label
 * defined again (the later page's wins). */
void ss_site_labels(ss_site *site);
void ss_site_labels_free(ss_site *site);
/* Resolves the :doc: and :ref: references the transforms left pending
 * in page `p`'s tree; one to nothing is its text, with Sphinx's
 * warning on diag. After ss_site_labels. */
void ss_site_resolve_refs(ss_site *site, ss_page *p, ss_diag *diag);

/* --- cache.c ---------------------------------------------------------- */

/* Maps OUT's cache (not with --full) and finds the compiled theme in it,
 * which the theme is loaded with. */
void ss_site_cache_open(ss_site *site);
/* A page's content_key: its bytes, the files it includes (by path, size
 * and mtime) and what every body depends on. */
uint64_t ss_site_content_key(const ss_site *site, const ss_page *p,
                             const char *text, size_t len,
                             const ss_site_dep *deps, size_t n_deps);
/* Loads the cache's summaries into pages whose key and source match. */
void ss_site_cache_load(ss_site *site);
/* A summary's sections: one from the cache reads them on first use
 * (most rebuilds need few). Call before reading sum->sections. */
void ss_site_sections(ss_site_summary *sum);
/* Writes the cache into the staging folder. */
bool ss_site_cache_save(ss_site *site);
/* Records a file this build wrote; true when the last site had the same
 * bytes under the same name. */
void ss_site_cache_note_output(ss_site *site, const char *name, uint64_t key,
                               uint64_t ino);
/* The last site's record of `name` when its key was `key`, else NULL. */
const ss_site_output *ss_site_cache_unchanged(ss_site *site, const char *name,
                                              uint64_t key);
void ss_site_cache_free(ss_site *site);

/* --- generate.c ------------------------------------------------------- */

/* Every output file: pages, generated pages, search index, feed,
 * sitemap, redirects, sources, assets, referenced files. */
bool ss_site_generate(ss_site *site);
/* Output files are keyed: `key` is a digest of everything the file's
 * bytes come from (for a generated file, of the bytes themselves).
 * ss_site_reuse hard-links the last site's file when it was made from
 * the same key and returns true; else the caller makes the bytes and
 * calls ss_site_emit, which writes them. */
bool ss_site_reuse(ss_site *site, const char *name, uint64_t key);
bool ss_site_emit(ss_site *site, const char *name, uint64_t key,
                  const char *data, size_t len);
/* ss_site_emit taking `data` (malloc'd) over, so that it need not be
 * copied for the writer threads. */
bool ss_site_emit_owned(ss_site *site, const char *name, uint64_t key,
                        char *data, size_t len);
/* Waits for the files being written; reports those that could not be. */
bool ss_site_emit_finish(ss_site *site);
/* ss_site_emit with the bytes' own digest as key. */
bool ss_site_emit_bytes(ss_site *site, const char *name, const char *data,
                        size_t len);
void ss_site_listings_free(ss_site *site);
/* Sets site->listing_key from every page's summary: what generated
 * pages and toctrees list. */
void ss_site_listing_key(ss_site *site);
/* Pages from the cache whose output cannot be reused (a neighbour's
 * title changed, the theme did, the file is gone) lose their summary
 * and are read again; returns how many. */
int ss_site_mark_stale(ss_site *site);

/* --- dates.c ---------------------------------------------------------- */

/* Pages' dates from git, when the repository is a work tree: from the
 * cache when HEAD names the commit the last build saw. */
void ss_site_git_dates(ss_site *site);
/* `t` (seconds since 1970) in UTC as "YYYY-MM-DD", or with
 * `time_of_day` RFC 3339's "YYYY-MM-DDTHH:MM:SSZ"; `out` has room for
 * 32 bytes. */
void ss_site_utc(int64_t t, bool time_of_day, char *out);

/* --- write.c ---------------------------------------------------------- */

/* `threads` threads (0: none, files are written by the caller). */
ss_site_writer *ss_site_writer_start(int threads);
/* Queues a file: path and data are the writer's now. */
ss_site_write *ss_site_writer_put(ss_site_writer *w, char *path, char *data,
                                  size_t len);
/* Waits for every queued file to be written, and stops the threads. */
void ss_site_writer_finish(ss_site_writer *w);
/* A written job's inode (0: it could not be written) and its path
 * (the caller's to free); frees the job. */
uint64_t ss_site_write_done(ss_site_write *job, char **path);

/* --- feed.c ----------------------------------------------------------- */

bool ss_site_write_feed(ss_site *site);
bool ss_site_write_sitemap(ss_site *site);
/* One line of a redirects file: the page at `name` sends the browser to
 * `to` (as written, ".rst" read as ".html"). */
typedef struct ss_site_move {
  char *name; /* the old page, relative to OUT */
  char *to;
  char *file; /* the redirects file, for messages */
  int line;
  size_t seq;
} ss_site_move;
/* Reads every redirects file (site->redirects) into site->moves. */
void ss_site_read_redirects(ss_site *site);
void ss_site_moves_free(ss_site *site);
/* The redirect whose old page is `name`, or NULL. */
const ss_site_move *ss_site_find_move(const ss_site *site, const char *name);
/* Their pages, each instead of what was there. */
bool ss_site_write_redirects(ss_site *site);

/* --- search.c --------------------------------------------------------- */

#define SS_SITE_SEARCH_INDEX "searchindex.js"
/* searchindex.js: every page's entry (ss_site_summary.search, made by
 * the worker that read the page), in page order. */
void ss_site_search_index(const ss_site *site, ss_buf *out);
/* Sets every page's search_at, where its entry is in the index, and
 * the index's size. */
void ss_site_search_layout(ss_site *site);
/* Points the entries of summaries from the cache into the last site's
 * index; false when that file is not the one the cache describes. */
bool ss_site_search_borrow(ss_site *site);
/* Appends the search words of a text: lower-cased alphanumeric runs. */
void ss_site_words(const char *text, size_t len, ss_buf *out);

/* --- helpers for HTML bits ------------------------------------------- */
void ss_site_escape(ss_buf *out, const char *s);

#endif
