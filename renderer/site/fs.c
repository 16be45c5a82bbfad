/* fs.c — paths and files for the site build.
 *
 * Output paths are always built from relative, normalised names below
 * the staging folder; ss_fs_remove_tree is only ever called on folders
 * the build made itself (see build.c), and it never follows symlinks. */
#define _GNU_SOURCE /* renameat2, copy_file_range */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

char *ss_path_join(const char *a, const char *b) {
  if (!a || !*a || strcmp(a, ".") == 0)
    return ss_xstrdup(b);
  if (!b || !*b)
    return ss_xstrdup(a);
  ss_buf p = SS_BUF_INIT;
  ss_buf_puts(&p, a);
  if (a[strlen(a) - 1] != '/')
    ss_buf_putc(&p, '/');
  ss_buf_puts(&p, b);
  return ss_buf_detach(&p);
}

/* One step of a pattern at `p`: its length, and whether byte `c`
 * matches it (for '*' and "**", the byte a star may swallow). */
static size_t S_pattern_step(const char *p, unsigned char c, bool *match) {
  if (p[0] == '*' && p[1] == '*') {
    *match = true;
    return 2;
  }
  if (p[0] == '*' || p[0] == '?') {
    *match = c != '/';
    return 1;
  }
  if (p[0] == '[') {
    size_t j = 1;
    bool negate = p[j] == '!';
    j += negate;
    if (p[j] == ']')
      j++;
    while (p[j] && p[j] != ']')
      j++;
    if (p[j]) { /* a class; without its ']' the '[' is itself */
      size_t k = 1 + negate;
      bool in = false;
      for (; k < j; k++) {
        if (k + 2 < j && p[k + 1] == '-') {
          in |= c >= (unsigned char)p[k] && c <= (unsigned char)p[k + 2];
          k += 2;
        } else {
          in |= c == (unsigned char)p[k];
        }
      }
      /* A negated class never matches '/', as Sphinx makes it. */
      *match = negate ? !in && c != '/' : in;
      return j + 1;
    }
  }
  *match = c == (unsigned char)p[0];
  return 1;
}

bool ss_path_match(const char *pattern, const char *path) {
  /* The literal part before the first wildcard decides most paths at
   * once (a glob of one release's folder against every page). */
  size_t lit = strcspn(pattern, "*?[");
  if (strncmp(pattern, path, lit) != 0)
    return false;
  if (!pattern[lit])
    return path[lit] == '\0';
  pattern += lit;
  path += lit;
  /* Over the pattern's steps, the set of path positions reached: a
   * bitmap row per step (no backtracking, so no pattern of stars can
   * make it slow). */
  size_t n = strlen(path);
  size_t words = n / 64 + 1;
  uint64_t *cur = ss_xcalloc(words, sizeof *cur);
  uint64_t *next = ss_xcalloc(words, sizeof *next);
  cur[0] = 1;
  bool any = true;
  for (const char *p = pattern; *p && any;) {
    bool star = p[0] == '*', dummy;
    size_t step = S_pattern_step(p, 0, &dummy);
    memset(next, 0, words * sizeof *next);
    any = false;
    for (size_t i = 0; i <= n; i++) {
      bool at = cur[i / 64] >> (i % 64) & 1;
      if (star) {
        /* Zero bytes, or one more than a position already reached. */
        bool m = false;
        if (!at && i > 0 && (next[(i - 1) / 64] >> ((i - 1) % 64) & 1))
          S_pattern_step(p, (unsigned char)path[i - 1], &m);
        at = at || m;
      } else if (at) {
        at = false;
        bool m = false;
        if (i < n) {
          S_pattern_step(p, (unsigned char)path[i], &m);
          if (m) {
            next[(i + 1) / 64] |= (uint64_t)1 << ((i + 1) % 64);
            any = true;
          }
        }
        continue;
      }
      if (at) {
        next[i / 64] |= (uint64_t)1 << (i % 64);
        any = true;
      }
    }
    uint64_t *t = cur;
    cur = next;
    next = t;
    p += step;
  }
  bool matched = any && (cur[n / 64] >> (n % 64) & 1);
  free(cur);
  free(next);
  return matched;
}

char *ss_path_normalize(const char *path) {
  /* Components on a stack of (start, length) into `path`. */
  size_t n = strlen(path);
  size_t *start = ss_xmalloc((n / 2 + 2) * sizeof *start);
  size_t *len = ss_xmalloc((n / 2 + 2) * sizeof *len);
  size_t depth = 0;
  bool ok = path[0] != '/';
  for (size_t i = 0; ok && i < n;) {
    size_t j = i;
    while (j < n && path[j] != '/')
      j++;
    size_t l = j - i;
    if (l == 0 || (l == 1 && path[i] == '.')) {
      /* skip */
    } else if (l == 2 && path[i] == '.' && path[i + 1] == '.') {
      if (depth == 0)
        ok = false;
      else
        depth--;
    } else {
      start[depth] = i;
      len[depth] = l;
      depth++;
    }
    i = j + 1;
  }
  char *result = NULL;
  if (ok) {
    ss_buf p = SS_BUF_INIT;
    for (size_t k = 0; k < depth; k++) {
      if (k)
        ss_buf_putc(&p, '/');
      ss_buf_put(&p, path + start[k], len[k]);
    }
    result = p.data ? ss_buf_detach(&p) : ss_xstrdup("");
  }
  free(start);
  free(len);
  return result;
}

char *ss_path_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? ss_xstrndup(path, (size_t)(slash - path)) : ss_xstrdup("");
}

void ss_path_root_of(const char *url, ss_buf *out) {
  for (const char *p = url; *p; p++)
    if (*p == '/')
      ss_buf_puts(out, "../");
}

void ss_path_relative(const char *from, const char *to, ss_buf *out) {
  /* Skip the folders both share, then climb out of the rest of from's. */
  size_t common = 0;
  for (size_t i = 0; from[i] && from[i] == to[i]; i++)
    if (from[i] == '/')
      common = i + 1;
  ss_path_root_of(from + common, out);
  ss_buf_puts(out, to + common);
}

void ss_path_url(ss_buf *out, const char *path) {
  static const char hex[] = "0123456789ABCDEF";
  /* A first segment with a colon would be read as a scheme
   * ("javascript:alert(1);x.html"): "./" keeps it a path. */
  size_t first = strcspn(path, "/");
  if (memchr(path, ':', first))
    ss_buf_puts(out, "./");
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    unsigned char c = *p;
    /* RFC 3986 unreserved characters, '/' and the sub-delimiters a path
     * may hold; the rest (space, '#', '?', '%', non-ASCII) escaped. */
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || strchr("-._~/!$&'()*+,;=:@", c)) {
      ss_buf_putc(out, (char)c);
    } else {
      ss_buf_putc(out, '%');
      ss_buf_putc(out, hex[c >> 4]);
      ss_buf_putc(out, hex[c & 15]);
    }
  }
}

bool ss_fs_inside(const char *path, const char *dir_real) {
  char *real = realpath(path, NULL);
  size_t n = dir_real ? strlen(dir_real) : 0;
  bool inside =
      real && n > 0 && strncmp(real, dir_real, n) == 0 &&
      (real[n] == '/' || real[n] == '\0' || strcmp(dir_real, "/") == 0);
  free(real);
  return inside;
}

bool ss_fs_mkdirs(const char *dir) {
  if (!*dir || mkdir(dir, 0777) == 0 || errno == EEXIST)
    return true;
  if (errno != ENOENT)
    return false;
  /* A parent is missing: make the parents first, then this one. */
  char *parent = ss_path_dir(dir);
  bool ok = *parent && strcmp(parent, dir) != 0 && ss_fs_mkdirs(parent);
  free(parent);
  return ok && (mkdir(dir, 0777) == 0 || errno == EEXIST);
}

/* Makes the folder of `path` (after an ENOENT: folders are made only
 * when missing, not checked before every file). */
bool ss_fs_mkdirs_for(const char *path) {
  char *dir = ss_path_dir(path);
  bool ok = ss_fs_mkdirs(dir);
  free(dir);
  return ok;
}

bool ss_fs_write(const char *path, const char *data, size_t len) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0 && errno == ENOENT && ss_fs_mkdirs_for(path))
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0)
    return false;
  size_t done = 0;
  while (done < len) {
    ssize_t w = write(fd, data + done, len - done);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      close(fd);
      return false;
    }
    done += (size_t)w;
  }
  return close(fd) == 0;
}

bool ss_fs_link_or_copy(const char *src, const char *dst) {
  if (link(src, dst) == 0)
    return true;
  if (errno == ENOENT && access(src, F_OK) == 0 && ss_fs_mkdirs_for(dst) &&
      link(src, dst) == 0)
    return true;
  if (errno == EEXIST) {
    unlink(dst);
    if (link(src, dst) == 0)
      return true;
  }
  size_t len = 0;
  char *data = ss_read_file(src, &len);
  if (!data)
    return false;
  bool ok = ss_fs_write(dst, data, len);
  free(data);
  return ok;
}

bool ss_fs_remove_tree(const char *dir) {
  /* An explicit stack of open folders: no recursion, bounded only by
   * memory. unlinkat/openat keep every step relative to a folder we
   * opened without following symlinks. */
  typedef struct {
    int fd;
    DIR *d;
    char *name; /* in the parent */
  } frame;
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT;
  DIR *d0 = fdopendir(fd);
  if (!d0) {
    close(fd);
    return false;
  }
  size_t cap = 16, n = 0;
  frame *st = ss_xmalloc(cap * sizeof *st);
  st[n++] = (frame){fd, d0, NULL};
  bool ok = true;
  while (ok && n > 0) {
    frame *f = &st[n - 1];
    struct dirent *e = readdir(f->d);
    if (!e) {
      char *name = f->name;
      closedir(f->d);
      n--;
      if (n > 0 && unlinkat(st[n - 1].fd, name, AT_REMOVEDIR) != 0)
        ok = false;
      free(name);
      continue;
    }
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    struct stat sb;
    if (fstatat(f->fd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
      ok = false;
    } else if (S_ISDIR(sb.st_mode)) {
      int cfd = openat(f->fd, e->d_name,
                       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      DIR *cd = cfd >= 0 ? fdopendir(cfd) : NULL;
      if (!cd) {
        if (cfd >= 0)
          close(cfd);
        ok = false;
      } else {
        if (n == cap)
          st = ss_xrealloc(st, (cap *= 2) * sizeof *st);
        st[n++] = (frame){cfd, cd, ss_xstrdup(e->d_name)};
      }
    } else if (unlinkat(f->fd, e->d_name, 0) != 0) {
      ok = false;
    }
  }
  while (n > 0) { /* after a failure */
    n--;
    closedir(st[n].d);
    free(st[n].name);
  }
  free(st);
  return ok && rmdir(dir) == 0;
}

/* One component of a path being resolved: `*sb` gets what `path` names
 * (symlinks followed), or st_mode 0 when nothing is there. A checkout
 * made with git's core.symlinks=false holds a symlink as a small file
 * containing the link's target: followed like a link when what it names
 * exists (returned, malloc'd; not with !follow_files, against loops).
 * One lstat for a plain file or folder. */
static char *S_step(const char *path, struct stat *sb, bool follow_files) {
  if (lstat(path, sb) != 0) {
    sb->st_mode = 0;
    return NULL;
  }
  if (S_ISLNK(sb->st_mode)) {
    if (stat(path, sb) != 0)
      sb->st_mode = 0;
    return NULL;
  }
  if (!follow_files || !S_ISREG(sb->st_mode) || sb->st_size == 0 ||
      sb->st_size > 1024)
    return NULL;
  size_t len = 0;
  char *text = ss_read_file(path, &len);
  if (!text)
    return NULL;
  while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
    text[--len] = '\0';
  char *target = NULL;
  struct stat ts;
  if (len > 0 && text[0] != '/' && !memchr(text, '\n', len) &&
      !memchr(text, '\0', len)) {
    char *dir = ss_path_dir(path);
    char *t = ss_path_join(dir, text);
    if (stat(t, &ts) == 0) {
      target = t;
      *sb = ts;
    } else {
      free(t);
    }
    free(dir);
  }
  free(text);
  return target;
}

/* The folder `rel` (its first `len` bytes) as the resolver knows it,
 * its parent looked up first, so that each folder costs one lstat in
 * all. */
static const ss_fs_resolved *S_folder(ss_fs_resolver *r, const char *rel,
                                      size_t len) {
  for (size_t i = 0; i < r->n; i++)
    if (strlen(r->dirs[i].rel) == len && memcmp(r->dirs[i].rel, rel, len) == 0)
      return &r->dirs[i];
  const char *slash = memrchr(rel, '/', len);
  const ss_fs_resolved *up =
      slash ? S_folder(r, rel, (size_t)(slash - rel)) : NULL;
  /* Read now: r->dirs moves when it grows below. */
  const char *parent = up ? up->path : r->root;
  bool parent_exists = !up || up->exists;
  const char *name = slash ? slash + 1 : rel;
  char *name_z = ss_xstrndup(name, (size_t)(rel + len - name));
  struct stat sb = {0};
  char *path = parent_exists ? ss_fs_resolve(parent, name_z, &sb)
                             : ss_path_join(parent, name_z);
  free(name_z);
  r->dirs = ss_xrealloc(r->dirs, (r->n + 1) * sizeof *r->dirs);
  r->dirs[r->n] =
      (ss_fs_resolved){ss_xstrndup(rel, len), path, S_ISDIR(sb.st_mode)};
  return &r->dirs[r->n++];
}

char *ss_fs_resolver_get(ss_fs_resolver *r, const char *rel, struct stat *sb) {
  const char *slash = strrchr(rel, '/');
  if (!slash)
    return ss_fs_resolve(r->root, rel, sb);
  const ss_fs_resolved *dir = S_folder(r, rel, (size_t)(slash - rel));
  if (!dir->exists) { /* nothing below it either: no system call */
    sb->st_mode = 0;
    return ss_path_join(dir->path, slash + 1);
  }
  return ss_fs_resolve(dir->path, slash + 1, sb);
}

void ss_fs_resolver_free(ss_fs_resolver *r) {
  for (size_t i = 0; i < r->n; i++) {
    free(r->dirs[i].rel);
    free(r->dirs[i].path);
  }
  free(r->dirs);
  *r = (ss_fs_resolver){0};
}

char *ss_fs_resolve(const char *root, const char *rel, struct stat *sb) {
  struct stat scratch;
  if (!sb)
    sb = &scratch;
  char *cur = ss_xstrdup(root);
  const char *p = rel;
  int links = 0;
  bool missing = false;
  sb->st_mode = 0;
  if (!*p && stat(cur, sb) != 0)
    sb->st_mode = 0;
  while (*p) {
    const char *e = strchr(p, '/');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    char *comp = ss_xstrndup(p, n);
    char *next = ss_path_join(cur, comp);
    free(comp);
    free(cur);
    cur = next;
    /* Below a missing component nothing exists: no more lookups. */
    char *target = missing ? NULL : S_step(cur, sb, links < 16);
    missing = missing || sb->st_mode == 0;
    if (target) {
      free(cur);
      cur = target;
      links++;
    }
    p += n + (e != NULL);
  }
  return cur;
}

char *ss_fs_map(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  struct stat sb;
  void *map = MAP_FAILED;
  if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0) {
    *len = (size_t)sb.st_size;
    map = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
  }
  close(fd);
  return map == MAP_FAILED ? NULL : map;
}

void ss_fs_unmap(char *data, size_t len) {
  if (data)
    munmap(data, len);
}

int ss_fs_entry_cmp(const void *a, const void *b) {
  return strcmp(((const ss_fs_entry *)a)->name, ((const ss_fs_entry *)b)->name);
}

size_t ss_fs_read_dir(int fd, ss_fs_entry **entries) {
  size_t n = 0, cap = 0;
  *entries = NULL;
  /* getdents64 itself: readdir's DIR would stat the folder again. */
  char buf[32768];
  ssize_t got;
  while (fd >= 0 && (got = getdents64(fd, buf, sizeof buf)) > 0) {
    for (ssize_t at = 0; at < got;) {
      const struct dirent64 *e = (const struct dirent64 *)(buf + at);
      at += e->d_reclen;
      if (e->d_name[0] == '.' && (!e->d_name[1] || e->d_name[1] == '.'))
        continue;
      if (n == cap)
        *entries = ss_xrealloc(*entries,
                               (cap = cap ? 2 * cap : 32) * sizeof **entries);
      (*entries)[n++] =
          (ss_fs_entry){ss_xstrdup(e->d_name), (uint64_t)e->d_ino, e->d_type};
    }
  }
  if (n)
    qsort(*entries, n, sizeof **entries, ss_fs_entry_cmp);
  return n;
}

void ss_fs_entries_free(ss_fs_entry *entries, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(entries[i].name);
  free(entries);
}
