/* theme.c — loading a theme (a folder or the built-in one), filling its
 * layouts, its assets. See theme.h.
 *
 * Both sources end in one list of files in memory, sorted by name, and
 * one function (S_from_files) makes the theme from it: the built-in
 * theme goes through exactly what a designer's folder does.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/digest.h"
#include "internal.h"

/* A theme is a few dozen files; these bounds only stop a mistake (a
 * theme folder pointed at $HOME) from reading a disk. */
#define S_MAX_DEPTH 16
#define S_MAX_FILES 4096

struct ss_theme {
  ss_theme_layout layouts[SS_LAYOUT__COUNT];
  ss_theme_file *assets; /* sorted by name */
  size_t nassets;
  unsigned long long digest;
};

static const char *const S_layout_names[SS_LAYOUT__COUNT] = {"page.html",
                                                             "index.html"};

typedef struct {
  ss_theme_file *files;
  size_t n, cap;
} S_files;

static void S_add(S_files *fs, char *name, unsigned char *data, size_t len) {
  if (fs->n == fs->cap) {
    fs->cap = fs->cap ? 2 * fs->cap : 16;
    fs->files = ss_xrealloc(fs->files, fs->cap * sizeof *fs->files);
  }
  fs->files[fs->n++] = (ss_theme_file){name, data, len};
}

static void S_files_free(S_files *fs) {
  for (size_t i = 0; i < fs->n; i++) {
    free(fs->files[i].name);
    free(fs->files[i].data);
  }
  free(fs->files);
  *fs = (S_files){0};
}

static int S_cmp_file(const void *a, const void *b) {
  return strcmp(((const ss_theme_file *)a)->name,
                ((const ss_theme_file *)b)->name);
}

/* Names, lengths and bytes, in name order. */
static unsigned long long S_digest(const S_files *fs) {
  uint64_t h = SS_DIGEST_INIT;
  for (size_t i = 0; i < fs->n; i++) {
    const ss_theme_file *f = &fs->files[i];
    h = ss_digest(h, f->name, strlen(f->name) + 1);
    unsigned char len[8];
    for (int k = 0; k < 8; k++)
      len[k] = (unsigned char)((unsigned long long)f->len >> (8 * k));
    h = ss_digest(h, len, sizeof len);
    h = ss_digest(h, f->data, f->len);
  }
  return h;
}

static void S_report(ss_diag *diag, const char *label, const char *name,
                     const char *message) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", label, name);
  ss_diag_report(diag, path, 0, SS_LEVEL_ERROR, message);
}

/* ---- saved layouts -------------------------------------------------------
 *
 * "specsite-theme 1 <word size>\n", the theme's digest, then per layout
 * its pool and its parts, each number a uint64_t as the machine stores
 * it (the bytes never leave the machine that wrote them; the header
 * tells a foreign one). Everything read is checked against the bounds
 * filling relies on. */

#define S_SAVED_MAGIC "specsite-theme 1 8\n"

static void S_put_u64(ss_buf *out, uint64_t v) {
  ss_buf_put(out, (const char *)&v, 8);
}

void ss_theme_save(const ss_theme *theme, ss_buf *out) {
  ss_buf_puts(out, S_SAVED_MAGIC);
  S_put_u64(out, theme->digest);
  for (int l = 0; l < SS_LAYOUT__COUNT; l++) {
    const ss_theme_layout *lay = &theme->layouts[l];
    S_put_u64(out, lay->pool_len);
    ss_buf_put(out, lay->pool, lay->pool_len);
    S_put_u64(out, lay->nparts);
    for (size_t i = 0; i < lay->nparts; i++) {
      const ss_theme_part *p = &lay->parts[i];
      S_put_u64(out, (uint64_t)p->kind);
      S_put_u64(out, (uint64_t)p->slot);
      S_put_u64(out, p->off);
      S_put_u64(out, p->len);
      S_put_u64(out, p->end);
    }
  }
}

typedef struct {
  const char *p, *end;
  bool bad;
} S_saved;

static uint64_t S_get_u64(S_saved *r) {
  uint64_t v = 0;
  if (r->bad || r->end - r->p < 8) {
    r->bad = true;
    return 0;
  }
  memcpy(&v, r->p, 8);
  r->p += 8;
  return v;
}

/* The layouts from saved bytes, when made from files with `digest`. */
static bool S_restore(ss_theme *t, const char *saved, size_t len,
                      unsigned long long digest) {
  size_t ml = strlen(S_SAVED_MAGIC);
  if (!saved || len < ml + 8 || memcmp(saved, S_SAVED_MAGIC, ml) != 0)
    return false;
  S_saved r = {saved + ml, saved + len, false};
  if (S_get_u64(&r) != digest)
    return false;
  for (int l = 0; l < SS_LAYOUT__COUNT && !r.bad; l++) {
    ss_theme_layout *lay = &t->layouts[l];
    uint64_t pool_len = S_get_u64(&r);
    if (r.bad || pool_len > (uint64_t)(r.end - r.p)) {
      r.bad = true;
      break;
    }
    lay->pool = ss_xmalloc(pool_len + 1);
    memcpy(lay->pool, r.p, pool_len);
    lay->pool[pool_len] = '\0';
    lay->pool_len = pool_len;
    r.p += pool_len;
    uint64_t nparts = S_get_u64(&r);
    if (r.bad || nparts > (uint64_t)(r.end - r.p) / 40) {
      r.bad = true;
      break;
    }
    lay->parts = ss_xcalloc(nparts ? nparts : 1, sizeof *lay->parts);
    lay->nparts = nparts;
    for (size_t i = 0; i < nparts && !r.bad; i++) {
      ss_theme_part *p = &lay->parts[i];
      uint64_t kind = S_get_u64(&r), slot = S_get_u64(&r);
      p->off = S_get_u64(&r);
      p->len = S_get_u64(&r);
      p->end = S_get_u64(&r);
      r.bad |= kind > SS_PART_VALUE || slot >= SS_SLOT__COUNT ||
               p->off > pool_len || p->len > pool_len - p->off ||
               p->end > nparts || (kind == SS_PART_SLOT && p->end <= i);
      p->kind = (ss_part_kind)kind;
      p->slot = (ss_theme_slot)slot;
      if (!r.bad && (kind == SS_PART_SLOT || kind == SS_PART_VALUE))
        lay->has[slot] = true;
    }
  }
  if (r.bad || r.p != r.end) {
    for (int l = 0; l < SS_LAYOUT__COUNT; l++) {
      ss_theme__layout_free(&t->layouts[l]);
      memset(&t->layouts[l], 0, sizeof t->layouts[l]);
    }
    return false;
  }
  return true;
}

/* Makes the theme from its files (taken over, sorted here); `label`
 * prefixes file names in reports. Layouts come from `saved` when it
 * holds them for these files, else they are compiled. */
static ss_theme *S_from_files(const char *label, S_files *fs, const char *saved,
                              size_t saved_len, ss_diag *diag) {
  qsort(fs->files, fs->n, sizeof *fs->files, S_cmp_file);
  ss_theme *t = ss_xcalloc(1, sizeof *t);
  t->digest = S_digest(fs);
  bool restored = S_restore(t, saved, saved_len, t->digest);

  /* Split layouts from assets; the asset list is what URL rewriting
   * needs, so it is complete before any layout compiles. */
  const ss_theme_file *layouts[SS_LAYOUT__COUNT] = {NULL};
  t->assets = ss_xcalloc(fs->n ? fs->n : 1, sizeof *t->assets);
  for (size_t i = 0; i < fs->n; i++) {
    bool is_layout = false;
    for (int l = 0; l < SS_LAYOUT__COUNT; l++)
      if (strcmp(fs->files[i].name, S_layout_names[l]) == 0) {
        layouts[l] = &fs->files[i];
        is_layout = true;
      }
    if (!is_layout)
      t->assets[t->nassets++] = fs->files[i];
  }

  bool ok = true;
  for (int l = 0; l < SS_LAYOUT__COUNT && !restored; l++) {
    if (!layouts[l]) {
      S_report(diag, label, S_layout_names[l],
               "missing layout (a theme has page.html and index.html)");
      ok = false;
      continue;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", label, S_layout_names[l]);
    ok &= ss_theme__compile(path, layouts[l]->data, layouts[l]->len, t->assets,
                            t->nassets, &t->layouts[l], diag);
  }

  /* The assets now belong to the theme; the layouts' bytes are done. */
  for (int l = 0; l < SS_LAYOUT__COUNT; l++)
    if (layouts[l]) {
      free(layouts[l]->name);
      free(layouts[l]->data);
    }
  free(fs->files);
  *fs = (S_files){0};
  if (!ok) {
    ss_theme_free(t);
    return NULL;
  }
  return t;
}

/* ---- a folder ----------------------------------------------------------- */

static char *S_join(const char *a, const char *b) {
  if (!*a)
    return ss_xstrdup(b);
  size_t la = strlen(a), lb = strlen(b);
  char *s = ss_xmalloc(la + lb + 2);
  memcpy(s, a, la);
  s[la] = '/';
  memcpy(s + la + 1, b, lb + 1);
  return s;
}

/* Reads every regular file under dir (not dotfiles), breadth first with
 * a list of pending sub-folders instead of recursion. */
static bool S_read_dir(const char *dir, S_files *fs, ss_diag *diag) {
  char **pending = ss_xmalloc(sizeof *pending);
  size_t npending = 1, cap = 1;
  pending[0] = ss_xstrdup("");
  bool ok = true;
  for (size_t next = 0; next < npending; next++) {
    char *rel = pending[next];
    char *full = S_join(dir, rel);
    DIR *d = opendir(full);
    if (!d) {
      char msg[256];
      snprintf(msg, sizeof msg, "cannot open the theme folder: %s",
               strerror(errno));
      ss_diag_report(diag, full, 0, SS_LEVEL_ERROR, msg);
      free(full);
      ok = false;
      continue;
    }
    /* readdir's order is the disk's; names are sorted later. */
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.')
        continue;
      char *name = S_join(rel, e->d_name);
      char *path = S_join(dir, name);
      struct stat st;
      if (stat(path, &st) != 0) {
        ss_diag_report(diag, path, 0, SS_LEVEL_ERROR, "cannot read");
        ok = false;
        free(name);
      } else if (S_ISDIR(st.st_mode)) {
        int depth = 1;
        for (const char *p = name; *p; p++)
          depth += *p == '/';
        if (depth < S_MAX_DEPTH) {
          if (npending == cap)
            pending = ss_xrealloc(pending, (cap *= 2) * sizeof *pending);
          pending[npending++] = name;
        } else {
          free(name);
        }
      } else if (S_ISREG(st.st_mode) && fs->n < S_MAX_FILES) {
        size_t len;
        char *data = ss_read_file(path, &len);
        if (data) {
          S_add(fs, name, (unsigned char *)data, len);
        } else {
          char msg[256];
          snprintf(msg, sizeof msg, "cannot read: %s", strerror(errno));
          ss_diag_report(diag, path, 0, SS_LEVEL_ERROR, msg);
          ok = false;
          free(name);
        }
      } else {
        free(name);
      }
      free(path);
    }
    closedir(d);
    free(full);
  }
  for (size_t i = 0; i < npending; i++)
    free(pending[i]);
  free(pending);
  return ok;
}

ss_theme *ss_theme_load(const char *dir, ss_diag *diag) {
  return ss_theme_load_saved(dir, NULL, 0, diag);
}

ss_theme *ss_theme_load_saved(const char *dir, const char *saved, size_t len,
                              ss_diag *diag) {
  /* "themes/mine/" names its files "themes/mine/page.html" too */
  char *base = ss_xstrdup(dir);
  size_t n = strlen(base);
  while (n > 1 && base[n - 1] == '/')
    base[--n] = '\0';
  S_files fs = {0};
  ss_theme *t = NULL;
  if (S_read_dir(base, &fs, diag))
    t = S_from_files(base, &fs, saved, len, diag);
  S_files_free(&fs);
  free(base);
  return t;
}

ss_theme *ss_theme_load_builtin_saved(const char *saved, size_t len) {
  S_files fs = {0};
  for (size_t i = 0; i < ss_theme_builtin_count; i++) {
    const ss_theme_embedded *e = &ss_theme_builtin_files[i];
    unsigned char *data = ss_xmalloc(e->len + 1);
    memcpy(data, e->data, e->len + 1);
    S_add(&fs, ss_xstrdup(e->name), data, e->len);
  }
  ss_diag diag;
  ss_diag_init(&diag);
  ss_theme *t = S_from_files("(built-in theme)", &fs, saved, len, &diag);
  if (!t) {
    /* themes/default/ is checked by the tests; reaching this is a
     * build that embedded a broken theme. */
    fprintf(stderr, "specsite: the built-in theme does not compile\n");
    abort();
  }
  return t;
}

void ss_theme_free(ss_theme *theme) {
  if (!theme)
    return;
  for (int l = 0; l < SS_LAYOUT__COUNT; l++)
    ss_theme__layout_free(&theme->layouts[l]);
  for (size_t i = 0; i < theme->nassets; i++) {
    free(theme->assets[i].name);
    free(theme->assets[i].data);
  }
  free(theme->assets);
  free(theme);
}

/* ---- using a theme ------------------------------------------------------ */

bool ss_theme_has_slot(const ss_theme *theme, ss_layout layout,
                       ss_theme_slot slot) {
  if ((unsigned)layout >= SS_LAYOUT__COUNT || (unsigned)slot >= SS_SLOT__COUNT)
    return false;
  return theme->layouts[layout].has[slot];
}

void ss_theme_fill(const ss_theme *theme, ss_layout layout, const char *root,
                   const char *const values[SS_SLOT__COUNT], ss_buf *out) {
  if ((unsigned)layout >= SS_LAYOUT__COUNT)
    return;
  const ss_theme_layout *l = &theme->layouts[layout];
  if (!root)
    root = "";
  ss_buf_grow(out, l->pool_len);
  size_t i = 0;
  while (i < l->nparts) {
    const ss_theme_part *p = &l->parts[i];
    const char *v = values ? values[p->slot] : NULL;
    switch (p->kind) {
    case SS_PART_TEXT:
      ss_buf_put(out, l->pool + p->off, p->len);
      break;
    case SS_PART_ROOT:
      ss_buf_puts(out, root);
      break;
    case SS_PART_SLOT:
      if (!v || !*v) {
        i = p->end;
        continue;
      }
      break;
    case SS_PART_VALUE:
      ss_buf_puts(out, v);
      break;
    }
    i++;
  }
}

size_t ss_theme_asset_count(const ss_theme *theme) { return theme->nassets; }

const char *ss_theme_asset_name(const ss_theme *theme, size_t i) {
  return i < theme->nassets ? theme->assets[i].name : NULL;
}

const unsigned char *ss_theme_asset_data(const ss_theme *theme, size_t i,
                                         size_t *len) {
  if (i >= theme->nassets) {
    if (len)
      *len = 0;
    return NULL;
  }
  if (len)
    *len = theme->assets[i].len;
  return theme->assets[i].data;
}

unsigned long long ss_theme_digest(const ss_theme *theme) {
  return theme->digest;
}
