/* serve.h — `specsite serve`: the site of a repository, built into a
 * private folder, served over HTTP on loopback, rebuilt on every save
 * and reloaded in the open pages (docs/serve.rst is the user's side).
 *
 *   watch    inotify on every folder of the sources, the theme, the
 *            filters and the configuration; a burst of events (an
 *            editor's rename, a checkout) is one change
 *   build    ss_site_build with `collect`: incremental from the private
 *            folder's cache; it commits changed files by rename, so the
 *            folder served is always a whole site, the last good one
 *            while a build runs
 *   http     libmicrohttpd: files of the site only (no traversal, no
 *            symlink out, no hidden file), their types, HEAD, ETag/304,
 *            the theme's 404 page; HTML pages get the reload script
 *   events   Server-Sent Events: after each build, the pages it changed
 *            and every page's problems; a page reloads itself when it
 *            was changed, at the section it showed, and shows its
 *            problems in an overlay
 *
 * The folder layout shows the order: serve/ sits above site/ and uses
 * only its contract (site.h). */
#ifndef SS_SERVE_H
#define SS_SERVE_H

#include <stdbool.h>
#include <stddef.h>

#include "../site/site.h"

typedef struct ss_serve_options {
  ss_site_options site; /* src, theme, config, filters; out is private */
  const char *host;     /* NULL = 127.0.0.1 */
  int port;             /* 0 = any free port */
  bool open_browser;    /* xdg-open the URL */
  bool quiet;           /* no line per rebuild */
} ss_serve_options;

/* Runs until SIGINT or SIGTERM. Returns 0, or 2 when it cannot start
 * (the port in use, the first build impossible). */
int ss_serve_run(const ss_serve_options *opts);

/* --- the parts, for tests ------------------------------------------- */

/* The file of the site a request path names ("/specs/a.html", "/",
 * "/specs/" → "specs/index.html"), relative to the site, malloc'd; NULL
 * when the path is not one a site serves: "..", ".", a hidden name, a
 * backslash, a control character, a path not starting with '/'. The
 * path is the one libmicrohttpd decoded once: a "%2e" left in it is a
 * name, not a dot. */
char *ss_serve_file_name(const char *path);

/* Opens NAME (from ss_serve_file_name) below the folder `root_fd`, one
 * component at a time, following no symbolic link that leads out of
 * the site: a regular file, or -1. */
int ss_serve_open(int root_fd, const char *name);

/* The Content-Type of a file of the site, from its name. */
const char *ss_serve_content_type(const char *name);

/* An HTML page with the reload script before </body> (or at the end),
 * tagged with the build it comes from and the server's identity, and
 * with `at_root` a <base href="/"> first in its <head> (a page served at
 * any path whose links are from the root: 404.html); malloc'd, its
 * length in *out_len. */
char *ss_serve_inject(const char *html, size_t len, unsigned long build,
                      const char *server_id, bool at_root, size_t *out_len);

/* The client's script (served at SS_SERVE_SCRIPT_URL). */
extern const char ss_serve_script[];
#define SS_SERVE_PREFIX "/_specsite-serve/"
#define SS_SERVE_SCRIPT_URL SS_SERVE_PREFIX "reload.js"
#define SS_SERVE_EVENTS_URL SS_SERVE_PREFIX "events"

/* What the builds so far changed and reported: which page changed in
 * which build, and the last build's problems. Not locked: the caller
 * holds one lock around every call. */
typedef struct ss_serve_state ss_serve_state;
ss_serve_state *ss_serve_state_new(const char *server_id);
void ss_serve_state_free(ss_serve_state *st);
/* Records a build (its stats are taken over, and freed later); a failed
 * build changed nothing. Returns the build's number (1, 2, ...). */
unsigned long ss_serve_state_add(ss_serve_state *st, ss_site_stats *stats,
                                 bool failed);
unsigned long ss_serve_state_build(const ss_serve_state *st);
const char *ss_serve_state_server(const ss_serve_state *st);
/* The last good build's stats. */
const ss_site_stats *ss_serve_state_stats(const ss_serve_state *st);
/* The event for the page at request path `page` ("/specs/a.html"),
 * which was served from build `since`: JSON {"build": N, "server": ID,
 * "reload": whether a build after `since` changed it (or a file every
 * page uses), "problems": its problems in the last build, as printed,
 * and all of them when the build failed}; malloc'd. */
char *ss_serve_event(const ss_serve_state *st, const char *page,
                     unsigned long since);

#endif
