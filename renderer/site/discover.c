/* discover.c — which layout a repository has, its pages and releases.
 *
 * Two layouts exist in the wild. A Sphinx one keeps doc/source/conf.py
 * with symlinks to the repository's specs/ (and images/, policy/): the
 * source root is doc/source, and every .rst below it is a page, as for
 * sphinx-build. Without it the repository root is the source root and
 * the pages are the .rst files below specs/ and policy/. Either way a
 * page below specs/<release>/ (and specs/<release>/<status>/) is a spec
 * of that release, except templates and index pages. */
#define _DEFAULT_SOURCE /* d_type and DT_* of readdir */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../config/config.h"
#include "internal.h"

static bool S_is_file(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Folders already walked, by device and inode: symlinks may loop. */
typedef struct {
  dev_t dev;
  ino_t ino;
} S_dir_id;

typedef struct {
  ss_site *site;
  S_dir_id *seen;
  size_t n_seen, cap_seen;
  struct stat out_stat; /* the output folder, never read as a source */
  bool out_exists;
} S_walk;

static bool S_seen(S_walk *w, const struct stat *sb) {
  for (size_t i = 0; i < w->n_seen; i++)
    if (w->seen[i].dev == sb->st_dev && w->seen[i].ino == sb->st_ino)
      return true;
  if (w->n_seen == w->cap_seen) {
    w->cap_seen = w->cap_seen ? 2 * w->cap_seen : 32;
    w->seen = ss_xrealloc(w->seen, w->cap_seen * sizeof *w->seen);
  }
  w->seen[w->n_seen++] = (S_dir_id){sb->st_dev, sb->st_ino};
  return false;
}

/* --- the memo: the walk's result, for the next build ---------------- */

/* A report the walk made, made again by a build that does not walk. */
typedef struct S_report {
  char *path, *message;
} S_report;

struct ss_site_memo {
  bool valid;
  char *root; /* the walk's root and output: a build of another has none */
  char *out;
  ss_page *pages; /* their discovery fields only */
  size_t n_pages;
  char **redirects;
  size_t n_redirects;
  S_report *reports;
  size_t n_reports;
};

ss_site_memo *ss_site_memo_new(void) {
  return ss_xcalloc(1, sizeof(ss_site_memo));
}

static void S_memo_clear(ss_site_memo *m) {
  for (size_t i = 0; i < m->n_pages; i++) {
    ss_page *p = &m->pages[i];
    free(p->docname);
    free(p->fspath);
    free(p->source);
    free(p->url);
    free(p->release);
    free(p->status);
  }
  free(m->pages);
  for (size_t i = 0; i < m->n_redirects; i++)
    free(m->redirects[i]);
  free(m->redirects);
  for (size_t i = 0; i < m->n_reports; i++) {
    free(m->reports[i].path);
    free(m->reports[i].message);
  }
  free(m->reports);
  free(m->root);
  free(m->out);
  *m = (ss_site_memo){0};
}

void ss_site_memo_free(ss_site_memo *m) {
  if (!m)
    return;
  S_memo_clear(m);
  free(m);
}

static char *S_dup(const char *s) { return s ? ss_xstrdup(s) : NULL; }

/* What discovery gives a page, copied. */
static ss_page S_page_copy(const ss_page *p) {
  ss_page c = {0};
  c.docname = S_dup(p->docname);
  c.fspath = S_dup(p->fspath);
  c.source = S_dup(p->source);
  c.url = S_dup(p->url);
  c.release = S_dup(p->release);
  c.status = S_dup(p->status);
  c.template_file = p->template_file;
  c.size = p->size;
  c.mtime_ns = p->mtime_ns;
  c.dev = p->dev;
  c.ino = p->ino;
  c.date = p->date;
  c.prev = c.next = -1;
  return c;
}

/* Reports a problem the walk found (and keeps it for the memo). */
static void S_walk_warn(ss_site *site, const char *path, const char *message) {
  ss_diag_report(&site->diag, path, 0, SS_LEVEL_WARNING, message);
  ss_site_memo *m = site->opts->memo;
  if (!m)
    return;
  m->reports = ss_xrealloc(m->reports, (m->n_reports + 1) * sizeof *m->reports);
  m->reports[m->n_reports++] = (S_report){S_dup(path), S_dup(message)};
}

/* Whether the memo stands for the tree as it is: every touched file is
 * the source of a page it has (then those pages get their new size and
 * mtime), and nothing else changed. */
static bool S_memo_holds(const ss_site *site, ss_site_memo *m) {
  const ss_site_options *o = site->opts;
  if (!m->valid || !o->touched || strcmp(m->root, site->root) != 0 ||
      strcmp(m->out, site->out) != 0)
    return false;
  for (size_t t = 0; t < o->n_touched; t++) {
    struct stat sb;
    if (stat(o->touched[t], &sb) != 0 || !S_ISREG(sb.st_mode))
      return false;
    bool found = false;
    for (size_t i = 0; i < m->n_pages; i++) {
      ss_page *p = &m->pages[i];
      if (p->dev == (uint64_t)sb.st_dev && p->ino == (uint64_t)sb.st_ino) {
        p->size = (int64_t)sb.st_size;
        p->mtime_ns =
            (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
        p->date = (int64_t)sb.st_mtim.tv_sec;
        found = true; /* the same file may be two pages (symlinks) */
      }
    }
    if (!found)
      return false; /* an include, an image, conf.py: walk */
  }
  return true;
}

static void S_from_memo(ss_site *site, const ss_site_memo *m) {
  site->pages = ss_xmalloc((m->n_pages + 1) * sizeof *site->pages);
  for (size_t i = 0; i < m->n_pages; i++)
    site->pages[i] = S_page_copy(&m->pages[i]);
  site->n_pages = m->n_pages;
  site->redirects = ss_xmalloc((m->n_redirects + 1) * sizeof *site->redirects);
  for (size_t i = 0; i < m->n_redirects; i++)
    site->redirects[i] = ss_xstrdup(m->redirects[i]);
  site->n_redirects = m->n_redirects;
  for (size_t i = 0; i < m->n_reports; i++)
    ss_diag_report(&site->diag, m->reports[i].path, 0, SS_LEVEL_WARNING,
                   m->reports[i].message);
}

static void S_to_memo(const ss_site *site, ss_site_memo *m) {
  m->pages = ss_xmalloc((site->n_pages + 1) * sizeof *m->pages);
  for (size_t i = 0; i < site->n_pages; i++)
    m->pages[i] = S_page_copy(&site->pages[i]);
  m->n_pages = site->n_pages;
  m->redirects = ss_xmalloc((site->n_redirects + 1) * sizeof *m->redirects);
  for (size_t i = 0; i < site->n_redirects; i++)
    m->redirects[i] = ss_xstrdup(site->redirects[i]);
  m->n_redirects = site->n_redirects;
  m->root = ss_xstrdup(site->root);
  m->out = ss_xstrdup(site->out);
  m->valid = true;
}

/* `rel` names the page below the root, `fspath` the file to read;
 * `via_link`: the file is a symlink, whose target must be inside the
 * repository. */
static void S_add_page(ss_site *site, const char *rel, const char *fspath,
                       const struct stat *sb, bool via_link) {
  if (via_link && !ss_fs_inside(fspath, site->src_real)) {
    /* A symlink out of the repository: its target is not the
     * repository's to publish. */
    S_walk_warn(site, fspath,
                "the file is outside the repository (a symbolic link): "
                "not published");
    return;
  }
  size_t len = strlen(rel);
  ss_page p = {0};
  p.docname = ss_xstrndup(rel, len - 4); /* minus ".rst" */
  p.fspath = ss_xstrdup(fspath);
  p.source = ss_path_join(site->root, rel);
  /* docname (len - 4) + ".html" or ".xml" + NUL */
  p.url = ss_xmalloc(len + 2);
  memcpy(p.url, p.docname, len - 4);
  const char *suffix = site->opts->xml ? ".xml" : ".html";
  memcpy(p.url + len - 4, suffix, strlen(suffix) + 1);
  p.size = (int64_t)sb->st_size;
  p.mtime_ns = (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
  p.dev = (uint64_t)sb->st_dev;
  p.ino = (uint64_t)sb->st_ino;
  p.date = (int64_t)sb->st_mtim.tv_sec;
  p.prev = p.next = -1;

  const char *base = strrchr(p.docname, '/');
  base = base ? base + 1 : p.docname;
  size_t blen = strlen(base);
  bool is_template = strcmp(base, "template") == 0 ||
                     (blen > 9 && strcmp(base + blen - 9, "-template") == 0);
  if (strncmp(p.docname, "specs/", 6) == 0) {
    const char *rest = p.docname + 6;
    const char *slash = strchr(rest, '/');
    p.template_file = is_template;
    if (slash && !is_template && strcmp(base, "index") != 0) {
      p.release = ss_xstrndup(rest, (size_t)(slash - rest));
      const char *slash2 = strchr(slash + 1, '/');
      if (slash2)
        p.status = ss_xstrndup(slash + 1, (size_t)(slash2 - slash - 1));
    }
  }
  /* Room for 256 pages, then doubling (capacity: 256, or n_pages when
   * a power of two past that): copies of a growing array, and the pages
   * they touched, showed in rebuilds. */
  size_t n = site->n_pages;
  if (n == 0 || (n >= 256 && (n & (n - 1)) == 0))
    site->pages =
        ss_xrealloc(site->pages, (n ? 2 * n : 256) * sizeof *site->pages);
  site->pages[site->n_pages++] = p;
}

/* A folder waiting to be walked: its path below the root, its path on
 * disk (link files resolved), and whether it was reached through plain
 * folders from one known to be inside the repository (else its real
 * path is checked: a symlink may lead anywhere). */
typedef struct {
  char *rel, *dir;
  bool inside;
} S_pending;

/* Walks `start` (a folder relative to the root) with a stack of pending
 * folders; names are sorted so that the page order, and so the output,
 * never depends on the file system. One fstatat per entry at most, none
 * for a plain folder: a rebuild walks the whole tree, and on a virtual
 * machine each system call costs microseconds. */
static void S_walk_tree(S_walk *w, const char *start) {
  ss_site *site = w->site;
  size_t cap = 16, n = 0;
  S_pending *stack = ss_xmalloc(cap * sizeof *stack);
  stack[n++] = (S_pending){ss_xstrdup(start),
                           ss_fs_resolve(site->root, start, NULL), false};
  while (n > 0) {
    S_pending cur = stack[--n];
    struct stat sb;
    bool outside = !cur.inside && !ss_fs_inside(cur.dir, site->src_real);
    if (outside && access(cur.dir, F_OK) == 0)
      S_walk_warn(site, cur.dir,
                  "the folder is outside the repository (a symbolic "
                  "link): not published");
    int dfd = outside ? -1 : open(cur.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0 && (fstat(dfd, &sb) != 0 || S_seen(w, &sb) ||
                     (w->out_exists && sb.st_dev == w->out_stat.st_dev &&
                      sb.st_ino == w->out_stat.st_ino))) {
      close(dfd);
      dfd = -1;
    }
    if (dfd >= 0) {
      ss_fs_entry *ents;
      size_t nn = ss_fs_read_dir(dfd, &ents);
      /* Pages first, in order, then the folders, pushed in reverse so
       * that they pop in order. */
      S_pending *dirs = ss_xcalloc(nn ? nn : 1, sizeof *dirs);
      for (size_t i = 0; i < nn; i++) {
        const char *name = ents[i].name;
        unsigned char type = ents[i].type;
        /* Hidden files, and Sphinx's own _build/_static/_templates. */
        if (name[0] == '.' || name[0] == '_')
          continue;
        size_t len = strlen(name);
        bool rst = len > 4 && strcmp(name + len - 4, ".rst") == 0;
        if (site->n_exclude) {
          /* conf.py's exclude_patterns: files and whole folders. */
          char *child = ss_path_join(cur.rel, name);
          bool excluded = ss_site_excluded(site, child);
          free(child);
          if (excluded)
            continue;
        }
        if (strcmp(name, "redirects") == 0 && type != DT_DIR) {
          /* A folder with redirects (feed.c reads them). */
          site->redirects =
              ss_xrealloc(site->redirects,
                          (site->n_redirects + 1) * sizeof *site->redirects);
          site->redirects[site->n_redirects++] = ss_xstrdup(cur.rel);
          continue;
        }
        struct stat cs;
        if (type == DT_UNKNOWN) {
          if (fstatat(dfd, name, &cs, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
          type = S_ISDIR(cs.st_mode)   ? DT_DIR
                 : S_ISLNK(cs.st_mode) ? DT_LNK
                 : S_ISREG(cs.st_mode) ? DT_REG
                                       : DT_UNKNOWN;
        }
        if (type == DT_DIR) {
          dirs[i] = (S_pending){NULL, ss_path_join(cur.dir, name), true};
        } else if (type == DT_LNK) {
          char *full = ss_path_join(cur.dir, name);
          bool there = fstatat(dfd, name, &cs, 0) == 0;
          if (there && S_ISDIR(cs.st_mode)) {
            dirs[i] = (S_pending){NULL, full, false};
            full = NULL;
          } else if (rst && !there) {
            /* A symlink to nothing: Sphinx's words for it. */
            S_walk_warn(site, full, "document not readable. Ignored.");
          } else if (rst && S_ISREG(cs.st_mode)) {
            char *child = ss_path_join(cur.rel, name);
            S_add_page(site, child, full, &cs, true);
            free(child);
          }
          free(full);
        } else if (type == DT_REG && rst) {
          if (fstatat(dfd, name, &cs, AT_SYMLINK_NOFOLLOW) == 0) {
            char *full = ss_path_join(cur.dir, name);
            char *child = ss_path_join(cur.rel, name);
            S_add_page(site, child, full, &cs, false);
            free(child);
            free(full);
          }
        } else if (type == DT_REG) {
          /* Maybe a link file (a checkout without symlinks). */
          char *full = ss_path_join(cur.dir, name);
          char *target = ss_fs_resolve(cur.dir, name, &cs);
          if (strcmp(target, full) != 0 && S_ISDIR(cs.st_mode)) {
            dirs[i] = (S_pending){NULL, target, false};
            target = NULL;
          }
          free(target);
          free(full);
        }
      }
      close(dfd);
      for (size_t i = nn; i-- > 0;) {
        if (dirs[i].dir) {
          if (n == cap)
            stack = ss_xrealloc(stack, (cap *= 2) * sizeof *stack);
          dirs[i].rel = ss_path_join(cur.rel, ents[i].name);
          stack[n++] = dirs[i];
        }
      }
      free(dirs);
      ss_fs_entries_free(ents, nn);
    }
    free(cur.rel);
    free(cur.dir);
  }
  free(stack);
}

static const ss_site *S_order_site; /* qsort has no context argument */

/* Page indices by docname, as bytes compare (Python's sorted(), which
 * Sphinx's globs use; the walk's order is folder by folder). */
static int S_name_cmp(const void *a, const void *b) {
  return strcmp(S_order_site->pages[*(const int *)a].docname,
                S_order_site->pages[*(const int *)b].docname);
}

bool ss_site_discover(ss_site *site) {
  char *docsrc = ss_path_join(site->src, "doc/source");
  char *conf = ss_path_join(docsrc, "conf.py");
  site->sphinx = S_is_file(conf);
  free(conf);
  site->root = site->sphinx ? docsrc : ss_xstrdup(site->src);
  if (!site->sphinx)
    free(docsrc);
  if (!site->out)
    site->out = ss_path_join(
        site->src, site->opts->xml ? (site->sphinx ? "doc/build/xml" : "_xml")
                   : site->sphinx  ? "doc/build/html"
                                   : "_site");

  ss_site_memo *memo = site->opts->memo;
  if (memo && S_memo_holds(site, memo)) {
    S_from_memo(site, memo);
  } else {
    if (memo)
      S_memo_clear(memo);
    S_walk w = {.site = site};
    w.out_exists = stat(site->out, &w.out_stat) == 0;
    struct stat specs, policy;
    free(ss_fs_resolve(site->root, "specs", &specs));
    free(ss_fs_resolve(site->root, "policy", &policy));
    if (site->sphinx || (!S_ISDIR(specs.st_mode) && !S_ISDIR(policy.st_mode))) {
      /* A Sphinx source, or a plain folder of documents (specsite's own
       * docs/): every .rst below it. */
      S_walk_tree(&w, "");
    } else {
      S_walk_tree(&w, "policy");
      S_walk_tree(&w, "specs");
    }
    free(w.seen);
    if (memo)
      S_to_memo(site, memo);
  }

  site->by_name = ss_xmalloc((site->n_pages + 1) * sizeof *site->by_name);
  for (size_t i = 0; i < site->n_pages; i++)
    site->by_name[i] = (int)i;
  S_order_site = site;
  qsort(site->by_name, site->n_pages, sizeof *site->by_name, S_name_cmp);
  S_order_site = NULL;
  site->index_page = ss_site_find_page(site, "index");
  /* Sphinx's check_consistency needs the root document; without conf.py
   * (or with one that makes its index), there is none to start from. */
  site->root_doc = site->sphinx && site->conf_py
                       ? ss_site_find_page(site, site->root_doc_name)
                       : -1;
  return true;
}

int ss_site_find_page(const ss_site *site, const char *docname) {
  size_t lo = 0, hi = site->n_pages;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int k = site->by_name[mid];
    int c = strcmp(site->pages[k].docname, docname);
    if (c == 0)
      return k;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

/* --- releases ---------------------------------------------------------- */

static long S_configured_rank(const ss_site *site, const char *release) {
  for (size_t i = 0; i < site->n_release_order; i++)
    if (strcmp(site->release_order[i], release) == 0)
      return (long)i;
  return -1;
}

/* Folders of specs/ that hold specs of no release. */
static bool S_not_a_release(const char *name) {
  static const char *const words[] = {
      "abandoned", "approved",  "archive",         "archived",  "backlog",
      "deferred",  "draft",     "drafts",          "future",    "implemented",
      "obsolete",  "postponed", "not-implemented", "proposed",  "rejected",
      "retired",   "stadium",   "superseded",      "untargeted"};
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    if (strcmp(name, words[i]) == 0)
      return true;
  return false;
}

/* Which kind of release a folder name is: 0 a version ("9.0", "2023.1",
 * "36.0"), 1 a series name ("zed", "kilo-implemented"), 2 a folder of
 * specs of no release ("backlog", "untargeted"). */
static int S_release_kind(const char *name) {
  if (isdigit((unsigned char)name[0]))
    return 0;
  return S_not_a_release(name) ? 2 : 1;
}

static int S_release_cmp(const void *a, const void *b) {
  const ss_site_release *x = a, *y = b;
  long rx = S_configured_rank(S_order_site, x->name);
  long ry = S_configured_rank(S_order_site, y->name);
  /* Configured releases first, in the configured order. */
  if (rx >= 0 && ry >= 0)
    return rx < ry ? -1 : rx > ry;
  if (rx >= 0 || ry >= 0)
    return rx >= 0 ? -1 : 1;
  /* Then versions, newest first ("2026.2" before "9.0" before "4.3"):
   * numbered releases follow the named ones of a project that switched;
   * then series names, which run in alphabetical order ("zed" after
   * "yoga"), newest first, a name alone before its "-implemented"; then
   * the folders of no release, alphabetically. */
  int kx = S_release_kind(x->name), ky = S_release_kind(y->name);
  if (kx != ky)
    return kx < ky ? -1 : 1;
  if (kx == 2)
    return strcmp(x->name, y->name);
  if (kx == 1) {
    size_t lx = strcspn(x->name, "-_"), ly = strcspn(y->name, "-_");
    int c = strncmp(y->name, x->name, lx < ly ? lx : ly);
    if (c || lx != ly)
      return c ? c : lx > ly ? -1 : 1;
    return strcmp(x->name, y->name);
  }
  return ss_release_cmp(y->name, x->name);
}

void ss_site_order(ss_site *site) {
  for (size_t i = 0; i < site->n_pages; i++) {
    const char *rel = site->pages[i].release;
    if (!rel)
      continue;
    ss_site_release *r = NULL;
    for (size_t k = 0; k < site->n_releases; k++)
      if (strcmp(site->releases[k].name, rel) == 0)
        r = &site->releases[k];
    if (!r) {
      site->releases = ss_xrealloc(site->releases, (site->n_releases + 1) *
                                                       sizeof *site->releases);
      r = &site->releases[site->n_releases++];
      *r = (ss_site_release){.name = ss_xstrdup(rel)};
    }
    r->pages = ss_xrealloc(r->pages, (r->n_pages + 1) * sizeof *r->pages);
    /* Pages come sorted by docname from the walk: so are these. */
    r->pages[r->n_pages++] = (int)i;
  }
  S_order_site = site;
  if (site->n_releases > 1)
    qsort(site->releases, site->n_releases, sizeof *site->releases,
          S_release_cmp);
  S_order_site = NULL;
  for (size_t k = 0; k < site->n_releases; k++) {
    ss_site_release *r = &site->releases[k];
    /* specs/<release>/index.html, unless a document already is. */
    ss_buf name = SS_BUF_INIT;
    ss_buf_printf(&name, "specs/%s/index", r->name);
    bool taken = ss_site_find_page(site, name.data) >= 0;
    ss_buf_clear(&name);
    ss_buf_printf(&name, "specs/%s/%s.html", r->name,
                  taken ? "specs" : "index");
    r->url = ss_buf_detach(&name);
    for (size_t j = 0; j < r->n_pages; j++) {
      ss_page *p = &site->pages[r->pages[j]];
      p->prev = j > 0 ? r->pages[j - 1] : -1;
      p->next = j + 1 < r->n_pages ? r->pages[j + 1] : -1;
    }
  }
}
