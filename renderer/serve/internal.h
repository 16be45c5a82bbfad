/* internal.h — what the files of the serve stage share (not a contract:
 * serve.h is). */
#ifndef SS_SERVE_INTERNAL_H
#define SS_SERVE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "serve.h"

/* --- watch.c: the folders a build reads from ------------------------- */

typedef struct ss_serve_watch ss_serve_watch;
ss_serve_watch *ss_serve_watch_new(void); /* NULL: no inotify */
void ss_serve_watch_free(ss_serve_watch *w);
/* The descriptor to poll for changes. */
int ss_serve_watch_fd(const ss_serve_watch *w);
/* Watches a folder and every folder below it (see watch.c for what is
 * skipped). */
void ss_serve_watch_tree(ss_serve_watch *w, const char *dir);
/* Watches a file through its folder, or a folder as a tree. */
void ss_serve_watch_file(ss_serve_watch *w, const char *path);
size_t ss_serve_watch_count(const ss_serve_watch *w);
/* What a burst of events changed: the files whose contents changed,
 * unless one was added, removed or renamed (structural: then the paths
 * are not kept, the build looks at the whole tree). */
typedef struct ss_serve_changes {
  char **paths;
  size_t n;
  bool structural;
} ss_serve_changes;
void ss_serve_changes_clear(ss_serve_changes *c);
/* Reads every pending event into `into`, watching the folders that
 * appeared; returns how many events may change the site (0: none). */
int ss_serve_watch_drain(ss_serve_watch *w, ss_serve_changes *into);

/* --- http.c: the server ---------------------------------------------- */

typedef struct ss_serve_http ss_serve_http;
/* Listens on host:port (port 0: any free one) and serves the folder
 * `root` with the state's events. NULL with a message on failure;
 * *in_use tells a port taken by another program. */
ss_serve_http *ss_serve_http_start(const char *host, int port, const char *root,
                                   ss_serve_state *state, bool *in_use);
/* The port it listens on. */
int ss_serve_http_port(const ss_serve_http *h);
/* Under the state's lock: the caller changes the state between these. */
void ss_serve_http_lock(ss_serve_http *h);
void ss_serve_http_unlock(ss_serve_http *h);
/* Sends the state's new build to every open page. */
void ss_serve_http_notify(ss_serve_http *h);
/* Wakes every open page's stream to send a comment line: a page closed
 * without a word is found out and its connection freed. */
void ss_serve_http_ping(ss_serve_http *h);
/* Stops serving: open connections are closed. */
void ss_serve_http_stop(ss_serve_http *h);

#endif
