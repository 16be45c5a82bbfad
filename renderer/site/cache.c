/* cache.c — OUT/.specsite/cache: what a rebuild needs of the last build.
 *
 *   the compiled theme (ss_theme_save: a theme of the site's own is then
 *     not parsed again; the built-in one comes compiled)
 *   the template's path, size, mtime and inode, and its main and impact
 *     sections' titles (settings.c: not parsed again while those hold)
 *   a record per page: docname, key (size and mtime, and what every body
 *     depends on), content key (the bytes instead), size; then its
 *     summary as one field: title, blueprint, assignee, search entry's
 *     length and digest, listing digest, messages, warnings, toctrees,
 *     sections (one field, read when first needed), images, the files it
 *     includes with their size and mtime (stat'ed each rebuild), its
 *     labels (name, id, title, line, titled: what :ref: shows), and its
 *     toctrees (where they are among its sections, and their entries:
 *     what a toctree elsewhere listing the page expands), and the
 *     objects its domain directives describe (objects.inv)
 *   where each page's search entry is in the last searchindex.js, and
 *     that file's size (the entries are read from it, not kept twice)
 *   the git commit the pages' dates are for, and those dates
 *
 * and OUT/.specsite/outputs: every output file, its name, key, inode;
 * then the stamps of OUT's folders (generate.c: a folder that still has
 * its stamp is not listed again).
 *
 * Summaries are not bodies: a page whose output is kept needs none, and
 * one that must be made again from an unchanged source is read again
 * (ss_site_mark_stale). A field is "<length>\n<bytes>\0", so that any
 * byte may appear in it and a truncated or foreign file is simply not
 * used: a bad cache costs a full build, never a wrong site. The NUL
 * lets summaries borrow their strings from the file mapped read-only: a
 * rebuild neither copies the cache nor touches the pages of what it
 * does not read, and an unchanged page's record is copied to the next
 * cache as it is. A cache that would come out the same is not written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

#define S_MAGIC "specsite-cache 30\n"
#define S_OUTPUTS_MAGIC "specsite-outputs 2\n"
#define S_OUTPUTS_FILE SS_SITE_STATE_DIR "/outputs"

/* Writes a field's header, "<len>\n", into `at` (room for 24 bytes);
 * returns its length. By hand, with one ss_buf_put per field: writing
 * the cache digit by digit was a sixth of a rebuild. */
static size_t S_header(char *at, size_t len) {
  char digits[24];
  size_t n = 0;
  do {
    digits[n++] = (char)('0' + len % 10);
    len /= 10;
  } while (len);
  for (size_t i = 0; i < n; i++)
    at[i] = digits[n - 1 - i];
  at[n] = '\n';
  return n + 1;
}

static void S_field(ss_buf *b, const char *s, size_t len) {
  char head[24];
  ss_buf_put(b, head, S_header(head, len));
  ss_buf_put(b, s, len);
  ss_buf_putc(b, '\0');
}

static void S_str(ss_buf *b, const char *s) {
  /* NULL and "" differ: NULL is written as a lone "-". */
  if (!s)
    ss_buf_put(b, "-\n", 2);
  else
    S_field(b, s, strlen(s));
}

static void S_num(ss_buf *b, int64_t v) {
  char digits[24], field[48];
  size_t n = 0;
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do {
    digits[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  size_t at = S_header(field, n + (v < 0));
  if (v < 0)
    field[at++] = '-';
  while (n > 0)
    field[at++] = digits[--n];
  field[at++] = '\0';
  ss_buf_put(b, field, at);
}

/* A section's level, canonical title and flags as one number. */
static int64_t S_section_bits(const ss_site_section *sec) {
  return ((int64_t)(sec->canon + 1) << 16) |
         ((int64_t)(sec->level & 0x3fff) << 2) | (sec->says_something << 1) |
         sec->main;
}

typedef struct {
  const char *p, *end;
  bool bad;
} S_reader;

/* Finds the next field: its bytes at *at, *len of them. False for "-"
 * (NULL) and for a bad file (which also sets r->bad). */
static bool S_next(S_reader *r, const char **at, size_t *len) {
  if (r->bad || r->p >= r->end) {
    r->bad = true;
    return false;
  }
  if (r->p[0] == '-' && r->p + 1 < r->end && r->p[1] == '\n') {
    r->p += 2;
    return false;
  }
  const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
  if (!nl) {
    r->bad = true;
    return false;
  }
  /* The length, by hand: strtoull was a sixth of a rebuild. */
  size_t n = 0;
  const char *q = r->p;
  for (; q < nl && *q >= '0' && *q <= '9' && n < ((size_t)1 << 40); q++)
    n = n * 10 + (size_t)(*q - '0');
  if (q != nl || q == r->p || n >= (size_t)(r->end - nl - 1) ||
      nl[1 + n] != '\0') {
    r->bad = true;
    return false;
  }
  *at = nl + 1;
  *len = (size_t)n;
  r->p = nl + 2 + n;
  return true;
}

/* The next field in place, NUL-terminated in the file: the summary
 * borrows it from the mapped cache (kept for the whole build). NULL for
 * "-" or a bad file. */
static char *S_borrow(S_reader *r) {
  const char *at;
  size_t len;
  if (!S_next(r, &at, &len))
    return NULL;
  return (char *)at; /* never written: the mapping is read-only */
}

/* A number field, "<len>\n<digits>\0", in one pass (called some
 * thousands of times a rebuild): anything else is a bad cache. */
static int64_t S_read_num(S_reader *r) {
  const char *p = r->p, *end = r->end;
  size_t len = 0;
  while (p < end && *p >= '0' && *p <= '9' && len < 100)
    len = len * 10 + (size_t)(*p++ - '0');
  if (r->bad || p == r->p || p >= end || *p != '\n' || len == 0 || len > 20 ||
      (size_t)(end - p) < len + 2 || p[1 + len] != '\0') {
    r->bad = true;
    return 0;
  }
  const char *at = p + 1;
  bool negative = at[0] == '-';
  uint64_t v = 0;
  for (size_t i = negative; i < len; i++) {
    if (at[i] < '0' || at[i] > '9') {
      r->bad = true;
      return 0;
    }
    v = v * 10 + (uint64_t)(at[i] - '0');
  }
  r->p = at + len + 1;
  return negative ? -(int64_t)v : (int64_t)v;
}

/* A list's length: 0 for a bad or absurd one (the reader is then bad,
 * and the list read as empty). */
static size_t S_read_count(S_reader *r) {
  int64_t n = S_read_num(r);
  if (r->bad || n < 0 || n > 1000000) {
    r->bad = true;
    return 0;
  }
  return (size_t)n;
}

static char *S_cache_path(const char *dir) {
  return ss_path_join(dir, SS_SITE_STATE_DIR "/cache");
}

void ss_site_cache_open(ss_site *site) {
  if (site->opts->full)
    return;
  char *path = S_cache_path(site->out);
  size_t len = 0;
  char *data = ss_fs_map(path, &len);
  free(path);
  if (!data)
    return;
  site->cache_data = data; /* borrowed from until the build ends */
  site->cache_len = len;
  S_reader r = {data, data + len, false};
  if (len < strlen(S_MAGIC) || memcmp(data, S_MAGIC, strlen(S_MAGIC)) != 0)
    return;
  r.p += strlen(S_MAGIC);
  const char *theme;
  size_t theme_len;
  if (!S_next(&r, &theme, &theme_len))
    return;
  site->cache_theme = theme;
  site->cache_theme_len = theme_len;
  const char *tmpl = S_borrow(&r);
  bool same = !r.bad && tmpl && site->template_path &&
              strcmp(tmpl, site->template_path) == 0;
  for (int i = 0; i < 3; i++)
    same &= S_read_num(&r) == site->template_stamp[i];
  int64_t n_main = S_read_num(&r), n_impact = S_read_num(&r);
  if (r.bad || n_main < 0 || n_impact < 0 || n_main + n_impact > 100000)
    return;
  const char **titles =
      ss_xmalloc(((size_t)(n_main + n_impact) + 1) * sizeof *titles);
  for (int64_t i = 0; i < n_main + n_impact; i++)
    titles[i] = S_borrow(&r);
  for (int64_t i = 0; i < n_main + n_impact; i++)
    same &= titles[i] != NULL;
  if (r.bad || !same) {
    free(titles);
    if (!r.bad)
      site->cache_pos = (size_t)(r.p - data);
    return;
  }
  site->cached_titles = titles;
  site->n_cached_main = (size_t)n_main;
  site->n_cached_impact = (size_t)n_impact;
  site->cache_pos = (size_t)(r.p - data);
}

/* A record's body: the summary, but for the sections, read when first
 * needed (ss_site_sections). */
uint64_t ss_site_content_key(const ss_site *site, const ss_page *p,
                             const char *text, size_t len,
                             const ss_site_dep *deps, size_t n_deps) {
  uint64_t k = ss_digest(site->options_key, p->docname, strlen(p->docname) + 1);
  k = ss_digest(k, text, len);
  for (size_t i = 0; i < n_deps; i++) {
    k = ss_digest(k, deps[i].path, strlen(deps[i].path) + 1);
    int64_t stamp[2] = {deps[i].size, deps[i].mtime_ns};
    k = ss_digest(k, stamp, sizeof stamp);
  }
  return k & 0x7fffffffffffffffULL; /* as the cache stores it */
}

void ss_site_dep_stamp(ss_site_dep *dep) {
  struct stat sb;
  bool there = stat(dep->path, &sb) == 0;
  dep->size = there ? (int64_t)sb.st_size : -1;
  dep->mtime_ns =
      there ? (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec : -1;
}

/* Whether every file a cached page included is as it was (a missing one
 * still missing). */
static bool S_deps_unchanged(const ss_site_summary *sum) {
  for (size_t i = 0; i < sum->n_deps; i++) {
    ss_site_dep now = {(char *)sum->deps[i].path, 0, 0};
    ss_site_dep_stamp(&now);
    if (now.size != sum->deps[i].size || now.mtime_ns != sum->deps[i].mtime_ns)
      return false;
  }
  return true;
}

/* A page whose size and mtime differ from its record's may still have
 * the same bytes (touched, or checked out again): its content key says.
 * Only read when the size is the record's. */
static bool S_same_content(const ss_site *site, const ss_page *p, int64_t size,
                           uint64_t content_key, const ss_site_summary *sum) {
  if (p->size != size)
    return false;
  size_t len = 0;
  char *text = ss_read_file(p->fspath, &len);
  bool same = text && ss_site_content_key(site, p, text, len, sum->deps,
                                          sum->n_deps) == content_key;
  free(text);
  return same;
}

static void S_read_body(S_reader *r, ss_site_summary *sum) {
  sum->borrowed = true;
  sum->title = S_borrow(r);
  sum->blueprint = S_borrow(r);
  sum->assignee = S_borrow(r);
  /* The entry itself is in the last searchindex.js. */
  sum->search_len = (size_t)S_read_num(r);
  sum->search_digest = (uint64_t)S_read_num(r);
  sum->listing_digest = (uint64_t)S_read_num(r);
  sum->messages = S_borrow(r);
  sum->warnings = (int)S_read_num(r);
  int64_t flags = S_read_num(r);
  sum->lists_pages = flags & 1;
  sum->orphan = (flags & 2) != 0;
  const char *blob;
  size_t blob_len;
  if (S_next(r, &blob, &blob_len)) {
    sum->sections_blob = blob;
    sum->sections_blob_len = blob_len;
  }
  size_t nr = S_read_count(r);
  sum->refs = nr ? ss_xcalloc(nr, sizeof *sum->refs) : NULL;
  for (size_t k = 0; !r->bad && k < nr; k++) {
    ss_site_ref *ref = &sum->refs[sum->n_refs++];
    ref->path = S_borrow(r);
    ref->uri = S_borrow(r);
    ref->line = (int)S_read_num(r);
    int64_t flags = S_read_num(r);
    ref->scaled = flags & 1;
    ref->download = (flags & 2) != 0;
  }
  size_t nd = S_read_count(r);
  sum->deps = nd ? ss_xcalloc(nd, sizeof *sum->deps) : NULL;
  for (size_t k = 0; !r->bad && k < nd; k++) {
    ss_site_dep *dep = &sum->deps[sum->n_deps++];
    dep->path = S_borrow(r);
    dep->size = S_read_num(r);
    dep->mtime_ns = S_read_num(r);
    if (!dep->path)
      r->bad = true;
  }
  size_t nl = S_read_count(r);
  sum->labels = nl ? ss_xcalloc(nl, sizeof *sum->labels) : NULL;
  for (size_t k = 0; !r->bad && k < nl; k++) {
    ss_site_label *l = &sum->labels[sum->n_labels++];
    l->name = S_borrow(r);
    l->id = S_borrow(r);
    l->title = S_borrow(r);
    l->line = (int)S_read_num(r);
    l->titled = S_read_num(r) != 0;
    if (!l->name || !l->id || !l->title)
      r->bad = true;
  }
  size_t nt = S_read_count(r);
  sum->toctrees = nt ? ss_xcalloc(nt, sizeof *sum->toctrees) : NULL;
  for (size_t k = 0; !r->bad && k < nt; k++) {
    ss_site_toctree *t = &sum->toctrees[sum->n_toctrees++];
    t->after = (int)S_read_num(r);
    t->level = (int)S_read_num(r);
    t->line = (int)S_read_num(r);
    int64_t bits = S_read_num(r);
    t->glob = bits & 1;
    t->hidden = (bits & 2) != 0;
    t->reversed = (bits & 4) != 0;
    t->entries = S_borrow(r);
    if (!t->entries)
      r->bad = true;
  }
  size_t nc = S_read_count(r);
  sum->citations = nc ? ss_xcalloc(nc, sizeof *sum->citations) : NULL;
  for (size_t k = 0; !r->bad && k < nc; k++) {
    ss_site_label *c = &sum->citations[sum->n_citations++];
    c->name = S_borrow(r);
    c->id = S_borrow(r);
    c->line = (int)S_read_num(r);
    c->title = (char *)"";
    c->titled = true;
    if (!c->name || !c->id)
      r->bad = true;
  }
  size_t no = S_read_count(r);
  sum->objects = no ? ss_xcalloc(no, sizeof *sum->objects) : NULL;
  for (size_t k = 0; !r->bad && k < no; k++) {
    ss_site_object *o = &sum->objects[sum->n_objects++];
    o->name = S_borrow(r);
    o->type = S_borrow(r);
    o->anchor = S_borrow(r);
    o->line = (int)S_read_num(r);
    if (!o->name || !o->type || !o->anchor)
      r->bad = true;
  }
}

void ss_site_sections(ss_site_summary *sum) {
  if (sum->sections || !sum->sections_blob)
    return;
  /* "<count>\0", then per section "<bits>\0<title>\0<anchor>\0"; the
   * field's own NUL ends it. Anything amiss: no sections. */
  const char *p = sum->sections_blob, *end = p + sum->sections_blob_len;
  sum->sections_blob = NULL;
  size_t n = (size_t)strtoul(p, NULL, 10);
  p += strlen(p) + 1;
  if (n == 0 || n > (size_t)(end - p))
    return;
  ss_site_section *secs = ss_xcalloc(n, sizeof *secs);
  size_t k = 0;
  for (; k < n && p < end; k++) {
    long long bits = strtoll(p, NULL, 10);
    p += strlen(p) + 1;
    if (p >= end)
      break;
    secs[k].title = (char *)p;
    p += strlen(p) + 1;
    if (p >= end)
      break;
    secs[k].anchor = (char *)p;
    p += strlen(p) + 1;
    secs[k].main = bits & 1;
    secs[k].says_something = (bits & 2) != 0;
    secs[k].level = (int)((bits >> 2) & 0x3fff);
    secs[k].canon = (int)(bits >> 16) - 1;
  }
  if (k < n || p > end) {
    free(secs);
    return;
  }
  sum->sections = secs;
  sum->n_sections = n;
}

/* OUT/.specsite/outputs: every file of the last site, a file of its own
 * so that a rebuild that changed a file or two but no summary rewrites
 * it alone (the cache proper, some hundreds of KB, stays as it is). */
static void S_read_outputs(ss_site *site) {
  char *path = ss_path_join(site->out, S_OUTPUTS_FILE);
  site->outputs_data = ss_fs_map(path, &site->outputs_len);
  free(path);
  const char *data = site->outputs_data;
  size_t ml = strlen(S_OUTPUTS_MAGIC);
  if (!data || site->outputs_len < ml || memcmp(data, S_OUTPUTS_MAGIC, ml))
    return;
  S_reader r = {data + ml, data + site->outputs_len, false};
  int64_t n_out = S_read_num(&r);
  if (!r.bad && n_out > 0 && n_out < 10000000)
    site->last_outputs = ss_xmalloc((size_t)n_out * sizeof *site->last_outputs);
  for (int64_t i = 0; !r.bad && i < n_out && site->last_outputs; i++) {
    char *name = S_borrow(&r);
    uint64_t key = (uint64_t)S_read_num(&r);
    uint64_t ino = (uint64_t)S_read_num(&r);
    if (r.bad || !name)
      break;
    site->last_outputs[site->n_last_outputs++] =
        (ss_site_output){name, key, ino};
  }
  if (r.bad || site->n_last_outputs != (size_t)n_out) {
    site->n_last_outputs = 0; /* all or nothing */
    return;
  }
  int64_t n_stamps = S_read_num(&r);
  if (r.bad || n_stamps <= 0 || n_stamps > n_out + 1)
    return;
  site->last_stamps = ss_xmalloc((size_t)n_stamps * sizeof *site->last_stamps);
  for (int64_t i = 0; !r.bad && i < n_stamps; i++) {
    char *dir = S_borrow(&r);
    uint64_t ino = (uint64_t)S_read_num(&r);
    int64_t ctime_ns = S_read_num(&r);
    if (r.bad || !dir)
      break;
    site->last_stamps[site->n_last_stamps++] =
        (ss_site_stamp){dir, ino, ctime_ns};
  }
  if (r.bad || site->n_last_stamps != (size_t)n_stamps)
    site->n_last_stamps = 0;
}

void ss_site_cache_load(ss_site *site) {
  if (!site->cache_data || !site->cache_pos)
    return;
  S_reader r = {site->cache_data + site->cache_pos,
                site->cache_data + site->cache_len, false};
  int64_t n_pages = S_read_num(&r);
  if (n_pages < 0 || n_pages > 10000000)
    r.bad = true;
  /* The page of each record, for the search offsets after them. */
  ss_page **of_record = ss_xcalloc(!r.bad && n_pages > 0 ? (size_t)n_pages : 1,
                                   sizeof *of_record);
  size_t hint = 0; /* pages come in the order the last build had them */
  for (int64_t i = 0; !r.bad && i < n_pages; i++) {
    const char *record = r.p;
    const char *docname = S_borrow(&r);
    uint64_t key = (uint64_t)S_read_num(&r);
    uint64_t content_key = (uint64_t)S_read_num(&r);
    int64_t size = S_read_num(&r);
    const char *body;
    size_t body_len;
    if (!S_next(&r, &body, &body_len) || !docname)
      break;
    ss_page *page = NULL;
    for (size_t k = 0; k < site->n_pages; k++) {
      size_t at = (hint + k) % site->n_pages;
      if (strcmp(site->pages[at].docname, docname) == 0) {
        page = &site->pages[at];
        hint = at + 1;
        break;
      }
    }
    if (!page || page->cached)
      continue; /* gone: its body is not even read */
    S_reader br = {body, body + body_len + 1, false};
    ss_site_summary sum = {0};
    S_read_body(&br, &sum);
    bool touched = page->key != key;
    if (br.bad || !S_deps_unchanged(&sum) ||
        (touched && !S_same_content(site, page, size, content_key, &sum))) {
      ss_site_summary_free(&sum); /* changed */
      continue;
    }
    if (sum.title && sum.search_len > 0) {
      page->sum = sum;
      page->cached = true;
      page->content_key = content_key;
      /* A touched page keeps its record as it was, old size and mtime
       * included: its bytes are read again next time, which costs less
       * than a cache written for nothing. (Its date is still its mtime,
       * as a full build would make it: without git, a touched spec's
       * page shows the new date.) */
      page->record = record;
      page->record_len = (size_t)(r.p - record);
      of_record[i] = page;
    } else {
      ss_site_summary_free(&sum);
    }
  }
  /* Where each record's search entry is in the last searchindex.js: a
   * list of its own, so that records are copied as they are. */
  int64_t n_at = r.bad ? 0 : S_read_num(&r);
  if (n_at != n_pages)
    r.bad = true;
  for (int64_t i = 0; !r.bad && i < n_at; i++) {
    int64_t at = S_read_num(&r);
    if (of_record[i])
      of_record[i]->sum.search_at = at;
  }
  site->last_search_index_size = r.bad ? -1 : S_read_num(&r);
  free(of_record);
  for (size_t i = 0; r.bad && i < site->n_pages; i++)
    if (site->pages[i].cached) {
      ss_site_summary_free(&site->pages[i].sum);
      memset(&site->pages[i].sum, 0, sizeof site->pages[i].sum);
      site->pages[i].cached = false;
      site->pages[i].record = NULL;
    }
  S_read_outputs(site);
  /* Dates from git, and the commit they are for (dates.c). */
  site->last_git_key = r.bad ? NULL : S_borrow(&r);
  int64_t n_dated = r.bad ? 0 : S_read_num(&r);
  if (!r.bad && n_dated > 0 && n_dated < 10000000)
    site->last_git_dates =
        ss_xmalloc((size_t)n_dated * sizeof *site->last_git_dates);
  for (int64_t i = 0; !r.bad && i < n_dated && site->last_git_dates; i++) {
    const char *docname = S_borrow(&r);
    int64_t date = S_read_num(&r);
    if (!r.bad && docname)
      site->last_git_dates[site->n_last_git_dates++] =
          (ss_site_dated){docname, date};
  }
  if (r.bad) {
    site->last_git_key = NULL;
    site->n_last_git_dates = 0;
  }
  /* Summaries name their search entries in the last searchindex.js:
   * without that very file (removed, replaced), they are of no use. */
  ss_site_output *index = NULL;
  for (size_t i = 0; i < site->n_last_outputs && !index; i++)
    if (strcmp(site->last_outputs[i].name, SS_SITE_SEARCH_INDEX) == 0)
      index = &site->last_outputs[i];
  char *index_path = ss_path_join(site->out, SS_SITE_SEARCH_INDEX);
  struct stat sb;
  bool index_ok = index && lstat(index_path, &sb) == 0 && S_ISREG(sb.st_mode) &&
                  ((uint64_t)sb.st_ino & 0x7fffffffffffffffULL) == index->ino &&
                  (int64_t)sb.st_size == site->last_search_index_size;
  free(index_path);
  /* Nor is the file itself, then: it is made again, not kept. */
  if (index && !index_ok)
    index->ino = 0;
  for (size_t i = 0; !index_ok && i < site->n_pages; i++)
    if (site->pages[i].cached) {
      ss_site_summary_free(&site->pages[i].sum);
      memset(&site->pages[i].sum, 0, sizeof site->pages[i].sum);
      site->pages[i].cached = false;
      site->pages[i].record = NULL;
    }
}

void ss_site_cache_note_output(ss_site *site, const char *name, uint64_t key,
                               uint64_t ino) {
  if (site->n_records % 256 == 0)
    site->records = ss_xrealloc(site->records, (site->n_records + 256) *
                                                   sizeof *site->records);
  site->records[site->n_records++] =
      (ss_site_record){ss_xstrdup(name), key, ino, NULL};
}

const ss_site_output *ss_site_cache_unchanged(ss_site *site, const char *name,
                                              uint64_t key) {
  key &= 0x7fffffffffffffffULL; /* as the cache writes it */
  /* Outputs are written in a stable order: the next expected one first,
   * then a search. */
  const ss_site_output *o = site->last_outputs;
  size_t n = site->n_last_outputs, h = site->last_hint;
  if (h < n && strcmp(o[h].name, name) == 0) {
    site->last_hint = h + 1;
    return o[h].key == key ? &o[h] : NULL;
  }
  for (size_t i = 0; i < n; i++)
    if (strcmp(o[i].name, name) == 0) {
      site->last_hint = i + 1;
      return o[i].key == key ? &o[i] : NULL;
    }
  return NULL;
}

/* Writes `b` as the file `name` of the new site, unless a rebuild in
 * place finds the same bytes in the last one (`old`): a rebuild that
 * changed nothing there writes and commits nothing. */
static bool S_save(ss_site *site, const char *name, const ss_buf *b,
                   const char *old, size_t old_len) {
  if (site->in_place && old && b->len == old_len &&
      memcmp(b->data, old, b->len) == 0)
    return true;
  char *path = ss_site_output_path(site, name);
  bool ok = ss_fs_write(path, b->data ? b->data : "", b->len);
  free(path);
  return ok;
}

/* The new cache, made of pieces; while they are the last cache's bytes
 * (an unchanged page's record is those very bytes), nothing is copied:
 * a rebuild that changes no summary neither copies nor compares the
 * cache's some hundreds of KB. `same`: how far it is the last one. */
typedef struct {
  ss_buf b; /* once it differs: every byte */
  const char *old;
  size_t old_len, same;
  bool differs;
} S_out;

static void S_out_put(S_out *o, const char *data, size_t len) {
  if (!o->differs) {
    if (o->same + len <= o->old_len &&
        (data == o->old + o->same ||
         memcmp(o->old + o->same, data, len) == 0)) {
      o->same += len;
      return;
    }
    o->differs = true;
    ss_buf_put(&o->b, o->old, o->same);
  }
  ss_buf_put(&o->b, data, len);
}

static void S_out_piece(S_out *o, ss_buf *piece) {
  S_out_put(o, piece->data ? piece->data : "", piece->len);
  ss_buf_clear(piece);
}

bool ss_site_cache_save(ss_site *site) {
  S_out out = {.old = site->cache_data, .old_len = site->cache_len};
  if (!site->in_place)
    out.old_len = 0; /* a new site gets a cache of its own */
  ss_buf b = SS_BUF_INIT;
  bool ok = true;
  ss_buf_puts(&b, S_MAGIC);
  /* The built-in theme comes compiled: only a theme of the site's own is
   * kept. */
  ss_buf theme = SS_BUF_INIT;
  if (site->theme_dir)
    ss_theme_save(site->theme, &theme);
  S_field(&b, theme.data ? theme.data : "", theme.len);
  ss_buf_free(&theme);
  S_str(&b, site->template_path);
  for (int i = 0; i < 3; i++)
    S_num(&b, site->template_stamp[i]);
  S_num(&b, (int64_t)site->n_main_titles);
  S_num(&b, (int64_t)site->n_impact_titles);
  for (size_t i = 0; i < site->n_main_titles; i++)
    S_str(&b, site->main_titles[i]);
  for (size_t i = 0; i < site->n_impact_titles; i++)
    S_str(&b, site->impact_titles[i]);
  int64_t n = (int64_t)site->n_pages;
  S_num(&b, n);
  S_out_piece(&out, &b);
  ss_buf body = SS_BUF_INIT, blob = SS_BUF_INIT;
  for (size_t i = 0; ok && i < site->n_pages; i++) {
    ss_page *p = &site->pages[i];
    ss_site_summary *s = &p->sum;
    if (p->cached && p->record) {
      /* As the last cache had it: same key, same bytes. */
      S_out_put(&out, p->record, p->record_len);
      continue;
    }
    S_str(&b, p->docname);
    S_num(&b, (int64_t)p->key);
    S_num(&b, (int64_t)p->content_key);
    S_num(&b, p->size);
    ss_buf_clear(&body);
    S_str(&body, s->title);
    S_str(&body, s->blueprint);
    S_str(&body, s->assignee);
    S_num(&body, (int64_t)s->search_len);
    /* The cache stores it as a signed decimal: keep it in range. */
    S_num(&body, (int64_t)(s->search_digest & 0x7fffffffffffffffULL));
    S_num(&body, (int64_t)s->listing_digest);
    S_str(&body, s->messages);
    S_num(&body, s->warnings);
    S_num(&body, s->lists_pages | s->orphan << 1);
    ss_site_sections(s);
    ss_buf_clear(&blob);
    ss_buf_printf(&blob, "%zu", s->n_sections);
    ss_buf_putc(&blob, '\0');
    for (size_t k = 0; k < s->n_sections; k++) {
      const ss_site_section *sec = &s->sections[k];
      ss_buf_printf(&blob, "%lld", (long long)S_section_bits(sec));
      ss_buf_putc(&blob, '\0');
      ss_buf_put(&blob, sec->title, strlen(sec->title) + 1);
      ss_buf_put(&blob, sec->anchor, strlen(sec->anchor) + 1);
    }
    S_field(&body, blob.data, blob.len);
    S_num(&body, (int64_t)s->n_refs);
    for (size_t k = 0; k < s->n_refs; k++) {
      S_str(&body, s->refs[k].path);
      S_str(&body, s->refs[k].uri);
      S_num(&body, s->refs[k].line);
      S_num(&body, s->refs[k].scaled | s->refs[k].download << 1);
    }
    S_num(&body, (int64_t)s->n_deps);
    for (size_t k = 0; k < s->n_deps; k++) {
      S_str(&body, s->deps[k].path);
      S_num(&body, s->deps[k].size);
      S_num(&body, s->deps[k].mtime_ns);
    }
    S_num(&body, (int64_t)s->n_labels);
    for (size_t k = 0; k < s->n_labels; k++) {
      S_str(&body, s->labels[k].name);
      S_str(&body, s->labels[k].id);
      S_str(&body, s->labels[k].title);
      S_num(&body, s->labels[k].line);
      S_num(&body, s->labels[k].titled);
    }
    S_num(&body, (int64_t)s->n_toctrees);
    for (size_t k = 0; k < s->n_toctrees; k++) {
      const ss_site_toctree *t = &s->toctrees[k];
      S_num(&body, t->after);
      S_num(&body, t->level);
      S_num(&body, t->line);
      S_num(&body, t->glob | t->hidden << 1 | t->reversed << 2);
      S_str(&body, t->entries);
    }
    S_num(&body, (int64_t)s->n_citations);
    for (size_t k = 0; k < s->n_citations; k++) {
      S_str(&body, s->citations[k].name);
      S_str(&body, s->citations[k].id);
      S_num(&body, s->citations[k].line);
    }
    S_num(&body, (int64_t)s->n_objects);
    for (size_t k = 0; k < s->n_objects; k++) {
      S_str(&body, s->objects[k].name);
      S_str(&body, s->objects[k].type);
      S_str(&body, s->objects[k].anchor);
      S_num(&body, s->objects[k].line);
    }
    S_field(&b, body.data ? body.data : "", body.len);
    S_out_piece(&out, &b);
  }
  ss_buf_free(&body);
  ss_buf_free(&blob);
  S_num(&b, n);
  for (size_t i = 0; i < site->n_pages; i++)
    S_num(&b, site->pages[i].sum.search_at);
  S_num(&b, site->search_index_size);
  S_str(&b, site->git_key);
  int64_t n_dated = 0;
  for (size_t i = 0; site->git_key && i < site->n_pages; i++)
    n_dated += site->pages[i].git_dated;
  S_num(&b, n_dated);
  for (size_t i = 0; site->git_key && i < site->n_pages; i++)
    if (site->pages[i].git_dated) {
      S_str(&b, site->pages[i].docname);
      S_num(&b, site->pages[i].date);
    }
  S_out_piece(&out, &b);
  ss_buf_free(&b);
  if (!out.differs && out.same < out.old_len)
    ss_buf_put(&out.b, out.old, out.same); /* a shorter cache */
  ss_buf outs = SS_BUF_INIT;
  ss_buf_puts(&outs, S_OUTPUTS_MAGIC);
  S_num(&outs, (int64_t)site->n_records);
  for (size_t i = 0; i < site->n_records; i++) {
    const ss_site_record *rec = &site->records[i];
    S_str(&outs, rec->name);
    S_num(&outs, (int64_t)(rec->key & 0x7fffffffffffffffULL));
    S_num(&outs, (int64_t)(rec->ino & 0x7fffffffffffffffULL));
  }
  int64_t n_stamps = 0;
  for (size_t i = 0; i < site->n_listings; i++)
    n_stamps += site->listings[i].stamped;
  S_num(&outs, n_stamps);
  for (size_t i = 0; i < site->n_listings; i++) {
    const ss_site_stamp *st = &site->listings[i].stamp;
    if (!site->listings[i].stamped)
      continue;
    S_str(&outs, st->dir);
    S_num(&outs, (int64_t)(st->ino & 0x7fffffffffffffffULL));
    S_num(&outs, st->ctime_ns);
  }
  /* Unchanged: nothing to write. */
  if (ok && (out.differs || out.same != out.old_len))
    ok = S_save(site, SS_SITE_STATE_DIR "/cache", &out.b, NULL, 0);
  ok = ok && S_save(site, S_OUTPUTS_FILE, &outs, site->outputs_data,
                    site->outputs_len);
  ss_buf_free(&out.b);
  ss_buf_free(&outs);
  return ok;
}

void ss_site_cache_free(ss_site *site) {
  free(site->last_git_dates); /* names borrowed from cache_data */
  site->last_git_dates = NULL;
  site->n_last_git_dates = 0;
  site->last_git_key = NULL;
  free(site->git_key);
  site->git_key = NULL;
  for (size_t i = 0; i < site->n_records; i++)
    free(site->records[i].name);
  free(site->records);
  site->records = NULL;
  site->n_records = 0;
  ss_site_listings_free(site);
  free(site->last_outputs); /* names borrowed from outputs_data */
  site->last_outputs = NULL;
  site->n_last_outputs = 0;
  free(site->last_stamps); /* so are these */
  site->last_stamps = NULL;
  site->n_last_stamps = 0;
  ss_fs_unmap(site->cache_data, site->cache_len);
  site->cache_data = NULL;
  ss_fs_unmap(site->outputs_data, site->outputs_len);
  site->outputs_data = NULL;
  site->cache_theme = NULL;
  site->cache_pos = 0;
  ss_fs_unmap(site->search_data, site->search_data_len);
  site->search_data = NULL;
}
