/* watch.c — every folder a build reads from, watched with inotify.
 *
 * inotify watches one folder, not a tree: each folder below the root is
 * added, and folders that appear later (mkdir, a rename into the tree,
 * a checkout) are added when their event arrives. A symbolic link to a
 * folder is followed once (a Sphinx doc/source links specs/ in), each
 * folder watched once whatever leads to it. Folders nobody edits specs
 * in are skipped: hidden ones (.git, .tox), __pycache__, node_modules
 * and the build outputs Sphinx and specsite write into the tree. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/buffer.h"
#include "internal.h"

#define S_MAX_WATCHES 16384

#define S_EVENTS                                                               \
  (IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM |        \
   IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

typedef struct S_dir {
  int wd;
  char *path;
  dev_t dev;
  ino_t ino;
} S_dir;

struct ss_serve_watch {
  int fd;
  S_dir *dirs;
  size_t n_dirs;
  bool full_warned;
};

static bool S_skipped(const char *name) {
  static const char *const skip[] = {"__pycache__", "node_modules", "_site",
                                     "_xml"};
  if (name[0] == '.')
    return true; /* .git, .tox, .specsite, editors' folders */
  for (size_t i = 0; i < sizeof skip / sizeof *skip; i++)
    if (strcmp(name, skip[i]) == 0)
      return true;
  return false;
}

ss_serve_watch *ss_serve_watch_new(void) {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0)
    return NULL;
  ss_serve_watch *w = ss_xcalloc(1, sizeof *w);
  w->fd = fd;
  return w;
}

void ss_serve_watch_free(ss_serve_watch *w) {
  if (!w)
    return;
  close(w->fd);
  for (size_t i = 0; i < w->n_dirs; i++)
    free(w->dirs[i].path);
  free(w->dirs);
  free(w);
}

int ss_serve_watch_fd(const ss_serve_watch *w) { return w->fd; }

static S_dir *S_by_wd(ss_serve_watch *w, int wd) {
  for (size_t i = 0; i < w->n_dirs; i++)
    if (w->dirs[i].wd == wd)
      return &w->dirs[i];
  return NULL;
}

/* Watches `path` (a folder) and, when `deep`, every folder below it. */
static void S_add(ss_serve_watch *w, const char *path, bool deep, int depth) {
  struct stat sb;
  if (depth > 64 || stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
    return;
  for (size_t i = 0; i < w->n_dirs; i++)
    if (w->dirs[i].dev == sb.st_dev && w->dirs[i].ino == sb.st_ino)
      return; /* watched already, by another path */
  if (w->n_dirs >= S_MAX_WATCHES) {
    if (!w->full_warned)
      fprintf(stderr,
              "specsite serve: more than %d folders: changes below %s are "
              "not seen\n",
              S_MAX_WATCHES, path);
    w->full_warned = true;
    return;
  }
  int wd = inotify_add_watch(w->fd, path, S_EVENTS);
  if (wd < 0) {
    if (!w->full_warned && errno == ENOSPC)
      fprintf(stderr,
              "specsite serve: the system's inotify watches are used up "
              "(fs.inotify.max_user_watches): changes below %s are not "
              "seen\n",
              path);
    w->full_warned = w->full_warned || errno == ENOSPC;
    return;
  }
  S_dir *known = S_by_wd(w, wd);
  if (!known) {
    w->dirs = ss_xrealloc(w->dirs, (w->n_dirs + 1) * sizeof *w->dirs);
    known = &w->dirs[w->n_dirs++];
    known->path = NULL;
  }
  free(known->path);
  known->wd = wd;
  known->path = ss_xstrdup(path);
  known->dev = sb.st_dev;
  known->ino = sb.st_ino;
  if (!deep)
    return;
  DIR *d = opendir(path);
  struct dirent *e;
  while (d && (e = readdir(d))) {
    if (S_skipped(e->d_name) ||
        (e->d_type != DT_DIR && e->d_type != DT_LNK && e->d_type != DT_UNKNOWN))
      continue;
    ss_buf sub = SS_BUF_INIT;
    ss_buf_printf(&sub, "%s/%s", path, e->d_name);
    S_add(w, sub.data, true, depth + 1);
    ss_buf_free(&sub);
  }
  if (d)
    closedir(d);
}

/* A folder moved away or removed: its watches, and those below it, go
 * (a folder moved within the tree is watched again under its new name). */
static void S_forget(ss_serve_watch *w, const char *path) {
  size_t n = strlen(path);
  for (size_t i = w->n_dirs; i-- > 0;) {
    const char *p = w->dirs[i].path;
    if (strncmp(p, path, n) == 0 && (p[n] == '\0' || p[n] == '/')) {
      inotify_rm_watch(w->fd, w->dirs[i].wd);
      free(w->dirs[i].path);
      w->dirs[i] = w->dirs[--w->n_dirs];
    }
  }
}

void ss_serve_watch_tree(ss_serve_watch *w, const char *dir) {
  S_add(w, dir, true, 0);
}

void ss_serve_watch_file(ss_serve_watch *w, const char *path) {
  struct stat sb;
  if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
    S_add(w, path, true, 0);
    return;
  }
  /* A file is watched through its folder: editors replace files by
   * renaming, and a watch on the file would follow the old one. */
  const char *slash = strrchr(path, '/');
  char *dir = slash ? ss_xstrndup(path, (size_t)(slash - path)) : NULL;
  S_add(w, dir ? (*dir ? dir : "/") : ".", false, 0);
  free(dir);
}

size_t ss_serve_watch_count(const ss_serve_watch *w) { return w->n_dirs; }

void ss_serve_changes_clear(ss_serve_changes *c) {
  for (size_t i = 0; i < c->n; i++)
    free(c->paths[i]);
  free(c->paths);
  *c = (ss_serve_changes){0};
}

/* A file's contents changed: kept once. */
static void S_touched(ss_serve_changes *c, const char *dir, const char *name) {
  if (c->structural)
    return;
  ss_buf path = SS_BUF_INIT;
  ss_buf_printf(&path, "%s/%s", dir, name);
  for (size_t i = 0; i < c->n; i++)
    if (strcmp(c->paths[i], path.data) == 0) {
      ss_buf_free(&path);
      return;
    }
  if (c->n >= 256) { /* a checkout, more likely: the build walks */
    c->structural = true;
    ss_buf_free(&path);
    return;
  }
  c->paths = ss_xrealloc(c->paths, (c->n + 1) * sizeof *c->paths);
  c->paths[c->n++] = ss_buf_detach(&path);
}

int ss_serve_watch_drain(ss_serve_watch *w, ss_serve_changes *into) {
  /* Aligned as inotify_event needs. */
  char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
  int changes = 0;
  for (;;) {
    ssize_t n = read(w->fd, buf, sizeof buf);
    if (n <= 0)
      break;
    for (char *p = buf; p < buf + n;) {
      const struct inotify_event *ev = (const struct inotify_event *)p;
      p += sizeof *ev + ev->len;
      if (ev->mask & IN_Q_OVERFLOW) {
        changes++; /* events were lost: a build finds what changed */
        into->structural = true;
        continue;
      }
      S_dir *dir = S_by_wd(w, ev->wd);
      if (ev->mask & IN_IGNORED) {
        if (dir) { /* the folder is gone */
          free(dir->path);
          *dir = w->dirs[--w->n_dirs];
        }
        changes++;
        into->structural = true;
        continue;
      }
      if (ev->len && S_skipped(ev->name) && !(ev->mask & IN_ISDIR) &&
          ev->name[0] == '.')
        continue; /* an editor's hidden swap or backup file */
      if (ev->len && (ev->mask & IN_ISDIR) && S_skipped(ev->name))
        continue;
      changes++;
      /* Contents only: a write, a close after writing, a touch. */
      if (dir && ev->len && !(ev->mask & IN_ISDIR) &&
          !(ev->mask & ~(uint32_t)(IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB)))
        S_touched(into, dir->path, ev->name);
      else
        into->structural = true;
      if (!dir || !ev->len || !(ev->mask & IN_ISDIR))
        continue;
      ss_buf sub = SS_BUF_INIT;
      ss_buf_printf(&sub, "%s/%s", dir->path, ev->name);
      /* A new folder (made, or moved in): watch it and what it holds. */
      if (ev->mask & (IN_CREATE | IN_MOVED_TO))
        S_add(w, sub.data, true, 0);
      else if (ev->mask & (IN_MOVED_FROM | IN_DELETE))
        S_forget(w, sub.data);
      ss_buf_free(&sub);
    }
  }
  return changes;
}
