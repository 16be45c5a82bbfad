/* generate.c — every file of the site, from the pages' summaries and
 * bodies: spec pages poured into the theme, the index, release pages,
 * the section index, the search page, sources, assets and images.
 *
 * Everything here runs on the main thread in page order, so the site is
 * the same bytes whatever the number of workers. Each file goes through
 * ss_site_emit, which hard-links the last site's file when the bytes
 * are the same: a rebuild writes only what changed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../html/escape.h"
#include "../transforms/transforms.h"
#include "internal.h"

void ss_site_escape(ss_buf *out, const char *s) {
  if (s)
    ss_html_escape(out, s, strlen(s));
}

/* --- the last site's files --------------------------------------------
 *
 * A file of the last site is reused when it was made from the same key
 * and is still the file specsite wrote: the same inode at that name.
 * One removed or replaced since (an editor's save, rsync, cp to a new
 * file) is made again; one edited in place is not noticed (Sphinx
 * notices neither; --full rewrites everything). Inodes come from the
 * folders' listings: a rebuild would otherwise stat every file of the
 * site, a third of its system calls. A folder whose change time is the
 * one stamped when it was last listed is not even listed: adding,
 * removing, renaming or replacing a file in it would have moved that
 * time (which, unlike the modification time, no one can set back). */

/* The stamp the last build left for OUT's folder `dir`, or NULL. */
static const ss_site_stamp *S_last_stamp(const ss_site *site, const char *dir) {
  for (size_t i = 0; i < site->n_last_stamps; i++)
    if (strcmp(site->last_stamps[i].dir, dir) == 0)
      return &site->last_stamps[i];
  return NULL;
}

static const ss_site_listing *S_listing(ss_site *site, const char *dir,
                                        size_t dir_len) {
  for (size_t i = 0; i < site->n_listings; i++) {
    const ss_site_listing *l = &site->listings[i];
    if (strlen(l->dir) == dir_len && memcmp(l->dir, dir, dir_len) == 0)
      return l;
  }
  site->listings = ss_xrealloc(site->listings,
                               (site->n_listings + 1) * sizeof *site->listings);
  ss_site_listing *l = &site->listings[site->n_listings++];
  *l = (ss_site_listing){.dir = ss_xstrndup(dir, dir_len)};
  char *path =
      dir_len ? ss_path_join(site->out, l->dir) : ss_xstrdup(site->out);
  /* The clock first: a change after it gets a later time (the kernel
   * stamps with this coarse clock, or finer). */
  struct timespec now;
  clock_gettime(CLOCK_REALTIME_COARSE, &now);
  struct stat sb;
  if (stat(path, &sb) == 0) {
    l->stamp = (ss_site_stamp){l->dir, (uint64_t)sb.st_ino,
                               (int64_t)sb.st_ctim.tv_sec * 1000000000 +
                                   sb.st_ctim.tv_nsec};
    const ss_site_stamp *last = S_last_stamp(site, l->dir);
    l->unchanged = last && last->ino == l->stamp.ino &&
                   last->ctime_ns == l->stamp.ctime_ns;
    /* A change within the same tick of the clock would leave the time as
     * it is: only a time before the clock's can vouch for the listing. */
    l->stamped =
        l->unchanged ||
        l->stamp.ctime_ns < (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
  }
  int fd = l->unchanged ? -1 : open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  free(path);
  if (fd >= 0) {
    l->n = ss_fs_read_dir(fd, &l->entries);
    close(fd);
  }
  return l;
}

/* Whether OUT/name is still the file with inode `ino`. */
static bool S_still_there(ss_site *site, const char *name, uint64_t ino) {
  if (site->opts->private_out)
    return true; /* nobody else writes there */
  const char *slash = strrchr(name, '/');
  size_t dir_len = slash ? (size_t)(slash - name) : 0;
  const ss_site_listing *l = S_listing(site, name, dir_len);
  if (l->unchanged)
    return true;
  ss_fs_entry want = {(char *)(slash ? slash + 1 : name), 0, 0};
  const ss_fs_entry *hit = l->n ? bsearch(&want, l->entries, l->n,
                                          sizeof *l->entries, ss_fs_entry_cmp)
                                : NULL;
  return hit && hit->ino == ino;
}

void ss_site_listings_free(ss_site *site) {
  for (size_t i = 0; i < site->n_listings; i++) {
    ss_fs_entries_free(site->listings[i].entries, site->listings[i].n);
    free(site->listings[i].dir);
  }
  free(site->listings);
  site->listings = NULL;
  site->n_listings = 0;
}

/* The inode of the last site's file `name`, when it was made from `key`
 * and is still there; else 0. */
static uint64_t S_old_usable(ss_site *site, const char *name, uint64_t key) {
  const ss_site_output *o = ss_site_cache_unchanged(site, name, key);
  if (!o || !o->ino)
    return 0;
  return S_still_there(site, name, o->ino) ? o->ino : 0;
}

/* Keeps the last site's file `name` (found usable: inode `ino`) in the
 * new site. */
static bool S_keep(ss_site *site, const char *name, uint64_t key,
                   uint64_t ino) {
  if (site->in_place) {
    /* The file stays where it is: the commit only adds and removes. */
    ss_site_cache_note_output(site, name, key, ino);
    site->linked++;
    return true;
  }
  char *old = ss_path_join(site->out, name);
  char *dst = ss_path_join(site->staging, name);
  bool linked =
      link(old, dst) == 0 ||
      (errno == ENOENT && ss_fs_mkdirs_for(dst) && link(old, dst) == 0);
  bool ok = linked || ss_fs_link_or_copy(old, dst);
  struct stat now;
  /* A copy (no hard links here) is a file of its own. */
  if (ok && !linked)
    ok = stat(dst, &now) == 0 && (ino = (uint64_t)now.st_ino) != 0;
  free(old);
  free(dst);
  if (ok) {
    ss_site_cache_note_output(site, name, key, ino);
    site->linked++;
  }
  return ok;
}

bool ss_site_reuse(ss_site *site, const char *name, uint64_t key) {
  uint64_t ino = S_old_usable(site, name, key);
  return ino && S_keep(site, name, key, ino);
}

bool ss_site_emit_owned(ss_site *site, const char *name, uint64_t key,
                        char *data, size_t len) {
  if (ss_site_reuse(site, name, key)) {
    free(data);
    return true;
  }
  /* The record now, its inode when written (ss_site_emit_finish). */
  ss_site_cache_note_output(site, name, key, 0);
  char *dst = ss_site_output_path(site, name);
  site->records[site->n_records - 1].job =
      ss_site_writer_put(site->writer, dst, data, len);
  site->written++;
  return true;
}

bool ss_site_emit(ss_site *site, const char *name, uint64_t key,
                  const char *data, size_t len) {
  if (ss_site_reuse(site, name, key))
    return true;
  char *copy = ss_xmalloc(len ? len : 1);
  memcpy(copy, data, len);
  return ss_site_emit_owned(site, name, key, copy, len);
}

bool ss_site_emit_finish(ss_site *site) {
  ss_site_writer_finish(site->writer);
  site->writer = NULL;
  bool ok = true;
  for (size_t i = 0; i < site->n_records; i++) {
    ss_site_record *rec = &site->records[i];
    if (!rec->job)
      continue;
    char *path;
    rec->ino = ss_site_write_done(rec->job, &path);
    rec->job = NULL;
    if (!rec->ino) {
      ok = false;
      ss_buf m = SS_BUF_INIT;
      ss_buf_printf(&m, "cannot write %s", path);
      ss_diag_report(&site->diag, NULL, 0, SS_LEVEL_SEVERE, m.data);
      ss_buf_free(&m);
    }
    free(path);
  }
  return ok;
}

bool ss_site_emit_bytes(ss_site *site, const char *name, const char *data,
                        size_t len) {
  return ss_site_emit(site, name, ss_digest(SS_DIGEST_INIT, data, len), data,
                      len);
}

/* --- URLs ------------------------------------------------------------------
 */

static void S_link(ss_buf *out, const char *from, const char *to,
                   const char *anchor, const char *attrs, const char *text) {
  ss_buf_puts(out, "<a href=\"");
  ss_buf rel = SS_BUF_INIT, url = SS_BUF_INIT;
  ss_path_relative(from, to, &rel);
  ss_path_url(&url, rel.data ? rel.data : "");
  ss_site_escape(out, url.data);
  ss_buf_free(&rel);
  ss_buf_free(&url);
  if (anchor && *anchor) {
    ss_buf_putc(out, '#');
    ss_site_escape(out, anchor);
  }
  ss_buf_putc(out, '"');
  if (attrs)
    ss_buf_puts(out, attrs);
  ss_buf_putc(out, '>');
  ss_site_escape(out, text);
  ss_buf_puts(out, "</a>");
}

/* --- the slots every page shares --------------------------------------- */

typedef struct {
  ss_buf title, project, body, outline, sections, breadcrumbs, prev, next,
      blueprint, source, releases, updated;
} S_slots;

static void S_slots_clear(S_slots *s) {
  ss_buf *all[] = {&s->title,     &s->project,     &s->body,     &s->outline,
                   &s->sections,  &s->breadcrumbs, &s->prev,     &s->next,
                   &s->blueprint, &s->source,      &s->releases, &s->updated};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++)
    ss_buf_clear(all[i]);
}

static void S_slots_free(S_slots *s) {
  ss_buf *all[] = {&s->title,     &s->project,     &s->body,     &s->outline,
                   &s->sections,  &s->breadcrumbs, &s->prev,     &s->next,
                   &s->blueprint, &s->source,      &s->releases, &s->updated};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++)
    ss_buf_free(all[i]);
}

static void S_common(ss_site *site, S_slots *s, const char *url,
                     const char *title) {
  ss_site_escape(&s->title, title);
  if (strcmp(title, site->project) != 0) {
    ss_buf_puts(&s->title, " \xe2\x80\x94 "); /* an em dash */
    ss_site_escape(&s->title, site->project);
  }
  ss_site_escape(&s->project, site->project);
  for (size_t k = 0; k < site->n_releases; k++) {
    const char *ru = site->releases[k].url;
    ss_buf_puts(&s->releases, "<li>");
    S_link(&s->releases, url, ru, NULL,
           strcmp(ru, url) == 0 ? " aria-current=\"page\"" : NULL,
           site->releases[k].name);
    ss_buf_puts(&s->releases, "</li>");
  }
  ss_buf_puts(&s->breadcrumbs, "<li>");
  if (strcmp(url, "index.html") == 0)
    ss_buf_puts(&s->breadcrumbs, "<span aria-current=\"page\">");
  S_link(&s->breadcrumbs, url, "index.html", NULL, NULL, site->project);
  if (strcmp(url, "index.html") == 0)
    ss_buf_puts(&s->breadcrumbs, "</span>");
  ss_buf_puts(&s->breadcrumbs, "</li>");
}

/* key 0: the page's bytes are its key (generated pages). */
static bool S_fill(ss_site *site, ss_layout layout, const char *url, S_slots *s,
                   uint64_t key) {
  const char *values[SS_SLOT__COUNT] = {0};
  values[SS_SLOT_TITLE] = s->title.data;
  values[SS_SLOT_PROJECT] = s->project.data;
  values[SS_SLOT_BODY] = s->body.data;
  values[SS_SLOT_OUTLINE] = s->outline.data;
  values[SS_SLOT_SECTIONS] = s->sections.data;
  values[SS_SLOT_BREADCRUMBS] = s->breadcrumbs.data;
  values[SS_SLOT_PREV] = s->prev.data;
  values[SS_SLOT_NEXT] = s->next.data;
  values[SS_SLOT_BLUEPRINT] = s->blueprint.data;
  values[SS_SLOT_SOURCE] = s->source.data;
  values[SS_SLOT_RELEASES] = s->releases.data;
  values[SS_SLOT_UPDATED] = s->updated.data;
  ss_buf root = SS_BUF_INIT, page = SS_BUF_INIT;
  ss_path_root_of(url, &root);
  ss_theme_fill(site->theme, layout, root.data ? root.data : "", values, &page);
  if (!key)
    key = ss_digest(SS_DIGEST_INIT, page.data ? page.data : "", page.len);
  size_t len = page.len;
  char *bytes = page.data ? ss_buf_detach(&page) : ss_xstrdup("");
  ss_buf_free(&root);
  return ss_site_emit_owned(site, url, key ? key : 1, bytes, len);
}

/* --- a document's page --------------------------------------------------- */

static void S_outline(const ss_page *p, ss_buf *out) {
  /* Levels 1 and 2 as nested lists; the page title (level 0) is the
   * page itself. */
  int open = 0; /* lists open */
  for (size_t i = 0; i < p->sum.n_sections; i++) {
    const ss_site_section *s = &p->sum.sections[i];
    if (s->level < 1 || s->level > 2 || !*s->anchor)
      continue;
    if (s->level > open) {
      while (open < s->level) {
        ss_buf_puts(out, open ? "<ul>" : "<ul>");
        open++;
        if (open < s->level)
          ss_buf_puts(out, "<li>");
      }
    } else {
      ss_buf_puts(out, "</li>");
      while (open > s->level) {
        ss_buf_puts(out, "</ul></li>");
        open--;
      }
    }
    ss_buf_puts(out, "<li><a href=\"#");
    ss_site_escape(out, s->anchor);
    ss_buf_puts(out, "\">");
    ss_site_escape(out, s->title);
    ss_buf_puts(out, "</a>");
  }
  while (open > 0) {
    ss_buf_puts(out, "</li></ul>");
    open--;
  }
}

static void S_section_bar(const ss_page *p, ss_buf *out) {
  bool any = false;
  for (size_t i = 0; i < p->sum.n_sections; i++) {
    const ss_site_section *s = &p->sum.sections[i];
    if (!s->main || !*s->anchor)
      continue;
    ss_buf_puts(out, any ? "<li>" : "<ul><li>");
    any = true;
    ss_buf_puts(out, "<a href=\"#");
    ss_site_escape(out, s->anchor);
    ss_buf_puts(out, "\">");
    ss_site_escape(out, s->title);
    ss_buf_puts(out, "</a></li>");
  }
  if (any)
    ss_buf_puts(out, "</ul>");
}

static void S_date(int64_t t, ss_buf *out) {
  char day[32];
  if (t <= 0)
    return;
  ss_site_utc(t, false, day);
  ss_buf_printf(out, "<time datetime=\"%s\">%s</time>", day, day);
}

/* What a document's page is made of besides its body and summary
 * (both covered by page->key): neighbours, releases, project, theme. */
/* What every document's page shows besides its own: the releases, the
 * project, the theme (S_page_key's start, made once per build). */
static uint64_t S_pages_key(const ss_site *site) {
  uint64_t h = SS_DIGEST_INIT;
  for (size_t k = 0; k < site->n_releases; k++)
    h = ss_digest(h, site->releases[k].url, strlen(site->releases[k].url) + 1);
  h = ss_digest(h, site->project, strlen(site->project) + 1);
  uint64_t theme = ss_theme_digest(site->theme);
  return ss_digest(h, &theme, sizeof theme);
}

static uint64_t S_page_key(const ss_site *site, uint64_t pages_key,
                           const ss_page *p, const char *url) {
  uint64_t h = ss_digest(pages_key, &p->content_key, sizeof p->content_key);
  /* The page shows the day (S_date), not the second: a spec touched
   * again the same day has the same page. */
  int64_t day = p->date > 0 ? p->date / 86400 : 0;
  h = ss_digest(h, &day, sizeof day);
  h = ss_digest(h, url, strlen(url) + 1);
  int near[2] = {p->prev, p->next};
  for (int i = 0; i < 2; i++) {
    const ss_page *o = near[i] >= 0 ? &site->pages[near[i]] : NULL;
    h = ss_digest(h, o ? o->url : "", o ? strlen(o->url) + 1 : 1);
    h = ss_digest(h, o ? o->sum.title : "", o ? strlen(o->sum.title) + 1 : 1);
  }
  /* Toctrees list other pages' titles and sections. */
  if (p->sum.lists_pages)
    h = ss_digest(h, &site->listing_key, sizeof site->listing_key);
  return h ? h : 1;
}

const char *ss_site_page_url(const ss_site *site, const ss_page *p) {
  (void)site;
  return p->url;
}

void ss_site_doc_uri(const ss_site *site, const ss_page *from, int to,
                     const char *doc, const char *anchor, ss_buf *out) {
  ss_buf name = SS_BUF_INIT, rel = SS_BUF_INIT;
  if (site->opts->xml) {
    /* Sphinx's xml builder: docnames, relative (relative_uri), none for
     * the page itself. */
    const char *target = to >= 0 ? site->pages[to].docname : doc;
    if (strcmp(target, from->docname) != 0)
      ss_path_relative(from->docname, target, out);
  } else {
    if (to < 0)
      ss_buf_printf(&name, "%s.html", doc);
    ss_path_relative(from->url, to >= 0 ? site->pages[to].url : name.data,
                     &rel);
    ss_path_url(out, rel.data ? rel.data : "");
  }
  if (anchor && *anchor) {
    if (anchor[0] != '#')
      ss_buf_putc(out, '#');
    ss_buf_puts(out, anchor);
  }
  ss_buf_free(&name);
  ss_buf_free(&rel);
}

int ss_site_mark_stale(ss_site *site) {
  /* Decide for every page first: a page's key reads its neighbours'
   * summaries, which a stale neighbour loses below. */
  bool *stale = ss_xcalloc(site->n_pages ? site->n_pages : 1, sizeof *stale);
  int n = 0;
  uint64_t pages_key = S_pages_key(site);
  for (size_t i = 0; i < site->n_pages; i++) {
    ss_page *p = &site->pages[i];
    if (!p->cached)
      continue;
    const char *url = ss_site_page_url(site, p);
    /* Remembered: generating the page need not look again. */
    p->kept_key = S_page_key(site, pages_key, p, url);
    p->kept_ino = S_old_usable(site, url, p->kept_key);
    stale[i] = !p->kept_ino;
  }
  for (size_t i = 0; i < site->n_pages; i++)
    if (stale[i]) {
      ss_site_summary_free(&site->pages[i].sum);
      site->pages[i].cached = false;
      n++;
    }
  free(stale);
  site->last_hint = 0;
  return n;
}

static bool S_document_page(ss_site *site, uint64_t pages_key, ss_page *p,
                            S_slots *s, const char *url) {
  if (ss_site_find_move(site, url))
    return true; /* a redirect takes its place, as the extension writes */
  if (p->kept_ino)
    return S_keep(site, url, p->kept_key, p->kept_ino);
  uint64_t key = S_page_key(site, pages_key, p, url);
  if (key && ss_site_reuse(site, url, key))
    return true;
  if (!p->sum.body) {
    /* ss_site_mark_stale found the last page reusable: it is gone now. */
    ss_buf m = SS_BUF_INIT;
    ss_buf_printf(&m, "%s changed during the build; build again", url);
    ss_diag_report(&site->diag, p->source, 0, SS_LEVEL_SEVERE, m.data);
    ss_buf_free(&m);
    return false;
  }
  S_common(site, s, url, p->sum.title);
  ss_buf_puts(&s->body, p->sum.body);
  ss_site_sections(&p->sum);
  S_outline(p, &s->outline);
  S_section_bar(p, &s->sections);
  if (p->release) {
    for (size_t k = 0; k < site->n_releases; k++)
      if (strcmp(site->releases[k].name, p->release) == 0) {
        ss_buf_puts(&s->breadcrumbs, "<li>");
        S_link(&s->breadcrumbs, url, site->releases[k].url, NULL, NULL,
               p->release);
        ss_buf_puts(&s->breadcrumbs, "</li>");
      }
  }
  if (strcmp(url, "index.html") != 0) {
    ss_buf_puts(&s->breadcrumbs, "<li aria-current=\"page\">");
    ss_site_escape(&s->breadcrumbs, p->sum.title);
    ss_buf_puts(&s->breadcrumbs, "</li>");
  }
  if (p->prev >= 0) {
    const ss_page *o = &site->pages[p->prev];
    S_link(&s->prev, url, o->url, NULL, " rel=\"prev\"", o->sum.title);
  }
  if (p->next >= 0) {
    const ss_page *o = &site->pages[p->next];
    S_link(&s->next, url, o->url, NULL, " rel=\"next\"", o->sum.title);
  }
  if (p->sum.blueprint) {
    const char *bp = p->sum.blueprint;
    const char *name = strrchr(bp, '/');
    /* ".../+spec/name" and ".../+spec/name/" both show "name". */
    ss_buf nm = SS_BUF_INIT;
    if (name && name[1] == '\0') {
      const char *q = name;
      while (q > bp && q[-1] != '/')
        q--;
      ss_buf_put(&nm, q, (size_t)(name - q));
    } else {
      ss_buf_puts(&nm, name ? name + 1 : bp);
    }
    ss_buf_puts(&s->blueprint, "<a class=\"blueprint\" href=\"");
    ss_site_escape(&s->blueprint, bp);
    ss_buf_puts(&s->blueprint, "\">");
    ss_site_escape(&s->blueprint, nm.data ? nm.data : bp);
    ss_buf_puts(&s->blueprint, "</a>");
    ss_buf_free(&nm);
  }
  ss_buf src = SS_BUF_INIT;
  ss_buf_printf(&src, SS_SITE_SOURCES_DIR "/%s.rst.txt", p->docname);
  S_link(&s->source, url, src.data, NULL,
         " rel=\"alternate\" type=\"text/plain\"", "Source");
  ss_buf_free(&src);
  S_date(p->date, &s->updated);
  return S_fill(site, SS_LAYOUT_PAGE, url, s, key);
}

/* --- generated pages ----------------------------------------------------- */

static void S_spec_meta(const ss_page *p, ss_buf *out) {
  if (p->status) {
    ss_buf_puts(out, " <span class=\"spec-status\">");
    ss_site_escape(out, p->status);
    ss_buf_puts(out, "</span>");
  }
  if (p->sum.assignee) {
    ss_buf_puts(out, " <span class=\"spec-meta\">");
    ss_site_escape(out, p->sum.assignee);
    ss_buf_puts(out, "</span>");
  }
}

/* What the generated pages show of the site: each page's place and
 * listing digest (its title, blueprint, assignee, sections), the
 * releases, the project, the theme. A generated page is keyed by this
 * and its name: a rebuild that changed nothing they list makes none of
 * them. */
void ss_site_listing_key(ss_site *site) {
  uint64_t h =
      ss_digest(SS_DIGEST_INIT, &site->options_key, sizeof site->options_key);
  h = ss_digest(h, site->project, strlen(site->project) + 1);
  h = ss_digest(h, site->base_url, strlen(site->base_url) + 1);
  uint64_t theme = ss_theme_digest(site->theme);
  h = ss_digest(h, &theme, sizeof theme);
  for (size_t i = 0; i < site->n_pages; i++) {
    const ss_page *p = &site->pages[i];
    h = ss_digest(h, p->docname, strlen(p->docname) + 1);
    h = ss_digest(h, p->url, strlen(p->url) + 1);
    h = ss_digest(h, p->release ? p->release : "",
                  p->release ? strlen(p->release) + 1 : 0);
    h = ss_digest(h, p->status ? p->status : "",
                  p->status ? strlen(p->status) + 1 : 0);
    int64_t facts[3] = {p->template_file, (int)i == site->index_page,
                        (int64_t)p->sum.listing_digest};
    h = ss_digest(h, facts, sizeof facts);
  }
  for (size_t k = 0; k < site->n_releases; k++) {
    const ss_site_release *r = &site->releases[k];
    h = ss_digest(h, r->name, strlen(r->name) + 1);
    h = ss_digest(h, r->pages, r->n_pages * sizeof *r->pages);
  }
  site->listing_key = h;
}

static uint64_t S_generated_key(const ss_site *site, const char *url) {
  uint64_t h = ss_digest(site->listing_key, url, strlen(url) + 1);
  return h ? h : 1;
}

static bool S_index(ss_site *site, S_slots *s) {
  const char *url = "index.html";
  uint64_t key = S_generated_key(site, url);
  if (ss_site_reuse(site, url, key))
    return true;
  S_common(site, s, url, site->project);
  ss_buf *b = &s->body;
  ss_buf_puts(b, "<h1>");
  ss_site_escape(b, site->project);
  ss_buf_puts(b, "</h1>\n");
  ss_buf_printf(b,
                "<p class=\"site-summary\">%zu releases. <a "
                "href=\"sections.html\">Which specs touch security, upgrades, "
                "performance&#8230;</a></p>\n",
                site->n_releases);
  for (size_t k = 0; k < site->n_releases; k++) {
    const ss_site_release *r = &site->releases[k];
    ss_buf_puts(b, "<section class=\"release\" id=\"release-");
    ss_site_escape(b, r->name);
    ss_buf_puts(b, "\">\n<h2>");
    S_link(b, url, r->url, NULL, NULL, r->name);
    ss_buf_printf(b, " <span class=\"count\">%zu specs</span></h2>\n",
                  r->n_pages);
    ss_buf_puts(b, "<ul class=\"spec-list\">\n");
    for (size_t j = 0; j < r->n_pages; j++) {
      const ss_page *p = &site->pages[r->pages[j]];
      ss_buf_puts(b, "<li>");
      S_link(b, url, p->url, NULL, NULL, p->sum.title);
      S_spec_meta(p, b);
      ss_buf_puts(b, "</li>\n");
    }
    ss_buf_puts(b, "</ul>\n</section>\n");
  }
  /* Policy documents, templates, anything that is not a spec. */
  bool any = false;
  for (size_t i = 0; i < site->n_pages; i++) {
    const ss_page *p = &site->pages[i];
    if (p->release || (int)i == site->index_page)
      continue;
    if (!any)
      ss_buf_puts(b, "<section class=\"release\" id=\"other-documents\">\n"
                     "<h2>Other documents</h2>\n<ul class=\"spec-list\">\n");
    any = true;
    ss_buf_puts(b, "<li>");
    S_link(b, url, p->url, NULL, NULL, p->sum.title);
    if (p->template_file)
      ss_buf_puts(b, " <span class=\"spec-status\">template</span>");
    ss_buf_puts(b, "</li>\n");
  }
  if (any)
    ss_buf_puts(b, "</ul>\n</section>\n");
  return S_fill(site, SS_LAYOUT_INDEX, url, s, key);
}

/* The first section of `p` standing for template title `canon`. */
static const ss_site_section *S_find_section(ss_page *p, int canon) {
  ss_site_sections(&p->sum);
  for (size_t i = 0; i < p->sum.n_sections; i++) {
    const ss_site_section *s = &p->sum.sections[i];
    if (s->level >= 1 && *s->anchor && s->canon == canon)
      return s;
  }
  return NULL;
}

/* The three sections a reviewer opens: Problem description, Proposed
 * change, Implementation, as the template names them; else its first
 * three main sections. */
static void S_key_sections(const ss_site *site, int key[3]) {
  static const char *const wanted[3] = {"Problem description",
                                        "Proposed change", "Implementation"};
  bool all = true;
  for (int i = 0; i < 3; i++) {
    key[i] = ss_site_canonical_title(site, wanted[i]);
    all &= key[i] >= 0 && (size_t)key[i] < site->n_main_titles;
  }
  for (int i = 0; !all && i < 3; i++)
    key[i] = (size_t)i < site->n_main_titles ? i : -1;
}

static bool S_release_page(ss_site *site, const ss_site_release *r,
                           S_slots *s) {
  const char *url = r->url;
  uint64_t page_key = S_generated_key(site, url);
  if (ss_site_reuse(site, url, page_key))
    return true;
  int key[3];
  S_key_sections(site, key);
  ss_buf t = SS_BUF_INIT;
  ss_buf_printf(&t, "%s specs", r->name);
  S_common(site, s, url, t.data);
  ss_buf_puts(&s->breadcrumbs, "<li aria-current=\"page\">");
  ss_site_escape(&s->breadcrumbs, r->name);
  ss_buf_puts(&s->breadcrumbs, "</li>");
  ss_buf *b = &s->body;
  ss_buf_puts(b, "<h1>");
  ss_site_escape(b, t.data);
  ss_buf_puts(b, "</h1>\n<table class=\"spec-table\">\n<thead><tr><th "
                 "scope=\"col\">Spec</th><th scope=\"col\">Blueprint</th><th "
                 "scope=\"col\">Assignee</th><th "
                 "scope=\"col\">Sections</th></tr></thead>\n<tbody>\n");
  for (size_t j = 0; j < r->n_pages; j++) {
    ss_page *p = &site->pages[r->pages[j]];
    ss_buf_puts(b, "<tr><td>");
    S_link(b, url, p->url, NULL, NULL, p->sum.title);
    if (p->status) {
      ss_buf_puts(b, " <span class=\"spec-status\">");
      ss_site_escape(b, p->status);
      ss_buf_puts(b, "</span>");
    }
    ss_buf_puts(b, "</td><td>");
    if (p->sum.blueprint) {
      const char *bp = p->sum.blueprint;
      const char *slash = strrchr(bp, '/');
      ss_buf_puts(b, "<a class=\"blueprint\" href=\"");
      ss_site_escape(b, bp);
      ss_buf_puts(b, "\">");
      ss_site_escape(b, slash && slash[1] ? slash + 1 : bp);
      ss_buf_puts(b, "</a>");
    }
    ss_buf_puts(b, "</td><td>");
    ss_site_escape(b, p->sum.assignee);
    ss_buf_puts(b, "</td><td>");
    bool first = true;
    for (size_t m = 0; m < 3; m++) {
      const ss_site_section *sec =
          key[m] >= 0 ? S_find_section(p, key[m]) : NULL;
      if (!sec)
        continue;
      if (!first)
        ss_buf_puts(b, " &#183; ");
      first = false;
      S_link(b, url, p->url, sec->anchor, NULL, sec->title);
    }
    ss_buf_puts(b, "</td></tr>\n");
  }
  ss_buf_puts(b, "</tbody>\n</table>\n");
  bool ok = S_fill(site, SS_LAYOUT_INDEX, url, s, page_key);
  ss_buf_free(&t);
  return ok;
}

/* For each impact section of the template, the specs that say more
 * than "None" in it, newest release first. */
static bool S_sections_page(ss_site *site, S_slots *s) {
  const char *url = "sections.html";
  uint64_t key = S_generated_key(site, url);
  if (ss_site_reuse(site, url, key))
    return true;
  S_common(site, s, url, "Impact index");
  ss_buf_puts(&s->breadcrumbs, "<li aria-current=\"page\">Impact index</li>");
  ss_buf *b = &s->body;
  ss_buf_puts(b, "<h1>Impact index</h1>\n<p>For each impact section of the "
                 "template, the specs whose section says more than "
                 "&#8220;None&#8221;.</p>\n");
  ss_buf_puts(b, "<nav aria-label=\"Impacts\"><ul class=\"impact-nav\">");
  ss_buf id = SS_BUF_INIT;
  for (size_t t = 0; t < site->n_impact_titles; t++) {
    ss_buf_clear(&id);
    ss_buf_puts(&id, "impact-");
    ss_make_id(site->impact_titles[t], &id);
    ss_buf_puts(b, "<li><a href=\"#");
    ss_site_escape(b, id.data);
    ss_buf_puts(b, "\">");
    ss_site_escape(b, site->impact_titles[t]);
    ss_buf_puts(b, "</a></li>");
  }
  ss_buf_puts(b, "</ul></nav>\n");
  for (size_t t = 0; t < site->n_impact_titles; t++) {
    const char *title = site->impact_titles[t];
    ss_buf_clear(&id);
    ss_buf_puts(&id, "impact-");
    ss_make_id(title, &id);
    ss_buf_puts(b, "<section class=\"impact\" id=\"");
    ss_site_escape(b, id.data);
    ss_buf_puts(b, "\">\n<h2>");
    ss_site_escape(b, title);
    ss_buf_puts(b, "</h2>\n");
    size_t count = 0;
    ss_buf list = SS_BUF_INIT;
    for (size_t k = 0; k < site->n_releases; k++) {
      const ss_site_release *r = &site->releases[k];
      for (size_t j = 0; j < r->n_pages; j++) {
        ss_page *p = &site->pages[r->pages[j]];
        const ss_site_section *sec =
            S_find_section(p, (int)(site->n_main_titles + t));
        if (!sec || !sec->says_something)
          continue;
        count++;
        ss_buf_puts(&list, "<li>");
        S_link(&list, url, p->url, sec->anchor, NULL, p->sum.title);
        ss_buf_puts(&list, " <span class=\"spec-status\">");
        ss_site_escape(&list, r->name);
        ss_buf_puts(&list, "</span></li>\n");
      }
    }
    if (count) {
      ss_buf_printf(b,
                    "<p class=\"count\">%zu specs</p>\n<ul "
                    "class=\"spec-list\">\n",
                    count);
      ss_buf_put(b, list.data, list.len);
      ss_buf_puts(b, "</ul>\n");
    } else {
      ss_buf_puts(b, "<p class=\"count\">No spec says anything here.</p>\n");
    }
    ss_buf_free(&list);
    ss_buf_puts(b, "</section>\n");
  }
  ss_buf_free(&id);
  return S_fill(site, SS_LAYOUT_INDEX, url, s, key);
}

static bool S_search_page(ss_site *site, S_slots *s) {
  const char *url = "search.html";
  uint64_t key = S_generated_key(site, url);
  if (ss_site_reuse(site, url, key))
    return true;
  S_common(site, s, url, "Search");
  ss_buf_puts(&s->breadcrumbs, "<li aria-current=\"page\">Search</li>");
  /* Sphinx's page has these ids: links into it keep working. */
  ss_buf_puts(&s->body,
              "<h1 id=\"search-documentation\">Search</h1>\n<p "
              "id=\"search-progress\"></p>\n<div id=\"search-results\" "
              "aria-live=\"polite\"></div>\n<noscript><p>Search needs "
              "JavaScript; the <a href=\"index.html\">index</a> lists every "
              "spec.</p></noscript>\n");
  return S_fill(site, SS_LAYOUT_INDEX, url, s, key);
}

/* 404.html: what static hosts (GitHub Pages, Netlify, `specsite serve`)
 * show for a page that is not there; its links are from the site's
 * root, where those hosts serve it for any path (serve adds <base>). */
static bool S_not_found_page(ss_site *site, S_slots *s) {
  const char *url = "404.html";
  for (size_t i = 0; i < site->n_pages; i++)
    if (strcmp(site->pages[i].url, url) == 0)
      return true; /* the repository has a page of that name */
  uint64_t key = S_generated_key(site, url);
  if (ss_site_reuse(site, url, key))
    return true;
  S_common(site, s, url, "Page not found");
  ss_buf_puts(&s->breadcrumbs, "<li aria-current=\"page\">Page not found</li>");
  ss_buf_puts(&s->body,
              "<h1 id=\"page-not-found\">Page not found</h1>\n<p>This site "
              "has no page at this address: it may have been renamed or "
              "removed. The <a href=\"index.html\">index</a> lists every "
              "spec; <a href=\"search.html\">search</a> finds them by "
              "their words.</p>\n");
  return S_fill(site, SS_LAYOUT_INDEX, url, s, key);
}

/* --- files ---------------------------------------------------------------- */

/* key: of what the file was made from; 0 = its bytes. */
static bool S_copy_file(ss_site *site, const char *from, const char *name,
                        uint64_t key) {
  if (key && ss_site_reuse(site, name, key))
    return true;
  size_t len = 0;
  char *data = ss_read_file(from, &len);
  if (!data)
    return false;
  if (!key)
    key = ss_digest(SS_DIGEST_INIT, data, len);
  return ss_site_emit_owned(site, name, key ? key : 1, data, len);
}

/* -b xml: each document's tree, and nothing else (Sphinx's xml builder
 * writes no index, search or assets). */
static bool S_xml_files(ss_site *site) {
  bool ok = true;
  uint64_t pages_key = S_pages_key(site);
  for (size_t i = 0; i < site->n_pages; i++) {
    ss_page *p = &site->pages[i];
    if (p->kept_ino) {
      ok &= S_keep(site, p->url, p->kept_key, p->kept_ino);
      continue;
    }
    uint64_t key = S_page_key(site, pages_key, p, p->url);
    if (ss_site_reuse(site, p->url, key))
      continue;
    if (!p->sum.body) {
      ss_diag_report(&site->diag, p->source, 0, SS_LEVEL_SEVERE,
                     "the last tree changed during the build; build again");
      ok = false;
      continue;
    }
    ok &= ss_site_emit(site, p->url, key, p->sum.body, strlen(p->sum.body));
  }
  return ss_site_emit_finish(site) && ok;
}

/* conf.py's html_extra_path (into the site's root) and html_static_path
 * (into _static/): every file below each, as Sphinx's copy_asset copies
 * them, but those exclude_patterns names (and, for static files, hidden
 * ones), nothing from outside the repository. A theme's file of the same
 * name gives way to the repository's, as in Sphinx. */
static bool S_copy_assets(ss_site *site, const char *from, const char *to,
                          bool hidden) {
  bool ok = true;
  struct stat sb;
  if (stat(from, &sb) != 0)
    return true; /* Sphinx skips a path that is not there */
  if (!ss_fs_inside(from, site->src_real)) {
    ss_diag_report(&site->diag, from, 0, SS_LEVEL_WARNING,
                   "the folder is outside the repository (a symbolic "
                   "link): not copied");
    return true;
  }
  /* A stack of (path on disk, name below `to`). */
  size_t n = 0, cap = 8;
  char **paths = ss_xmalloc(cap * sizeof *paths);
  char **rels = ss_xmalloc(cap * sizeof *rels);
  if (S_ISREG(sb.st_mode)) {
    const char *base = strrchr(from, '/');
    paths[n] = ss_xstrdup(from);
    rels[n++] = ss_xstrdup(base ? base + 1 : from);
  } else {
    paths[n] = ss_xstrdup(from);
    rels[n++] = ss_xstrdup("");
  }
  ss_buf name = SS_BUF_INIT;
  for (int guard = 0; n > 0 && guard < 100000; guard++) {
    char *path = paths[--n], *rel = rels[n];
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
      int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      ss_fs_entry *ents = NULL;
      size_t ne = fd >= 0 ? ss_fs_read_dir(fd, &ents) : 0;
      if (fd >= 0)
        close(fd);
      for (size_t i = ne; i-- > 0;) {
        char *child = ss_path_join(rel, ents[i].name);
        if (ss_site_excluded(site, child) ||
            (!hidden && ents[i].name[0] == '.')) {
          free(child);
          continue;
        }
        if (n == cap) {
          cap *= 2;
          paths = ss_xrealloc(paths, cap * sizeof *paths);
          rels = ss_xrealloc(rels, cap * sizeof *rels);
        }
        paths[n] = ss_path_join(path, ents[i].name);
        rels[n++] = child;
      }
      ss_fs_entries_free(ents, ne);
    } else if (S_ISREG(sb.st_mode) && ss_fs_inside(path, site->src_real)) {
      ss_buf_clear(&name);
      if (*to) {
        ss_buf_puts(&name, to);
        ss_buf_putc(&name, '/');
      }
      ss_buf_puts(&name, rel);
      if (strncmp(name.data, SS_SITE_STATE_DIR, strlen(SS_SITE_STATE_DIR)) !=
          0) {
        int64_t stamp[2] = {(int64_t)sb.st_size,
                            (int64_t)sb.st_mtim.tv_sec * 1000000000 +
                                sb.st_mtim.tv_nsec};
        uint64_t key = ss_digest(SS_DIGEST_INIT, stamp, sizeof stamp);
        key = ss_digest(key, path, strlen(path));
        ok &= S_copy_file(site, path, name.data, key ? key : 1);
      }
    }
    free(path);
    free(rel);
  }
  while (n > 0) {
    free(paths[--n]);
    free(rels[n]);
  }
  free(paths);
  free(rels);
  ss_buf_free(&name);
  return ok;
}

/* Sphinx's genindex.html (html_use_index): the index of the site's
 * index entries; specs have none, so it is the page and its title. */
static bool S_genindex_page(ss_site *site, S_slots *s) {
  const char *url = "genindex.html";
  uint64_t key = S_generated_key(site, url);
  if (ss_site_reuse(site, url, key))
    return true;
  S_common(site, s, url, "Index");
  ss_buf_puts(&s->breadcrumbs, "<li aria-current=\"page\">Index</li>");
  ss_buf_puts(&s->body, "<h1 id=\"index\">Index</h1>\n");
  return S_fill(site, SS_LAYOUT_INDEX, url, s, key);
}

bool ss_site_generate(ss_site *site) {
  bool ok = true;
  site->writer = ss_site_writer_start(ss_site_threads(site));
  ss_site_listing_key(site);
  if (site->opts->xml) {
    ss_site_image_warnings(site);
    return S_xml_files(site);
  }
  S_slots s = {0};
  uint64_t pages_key = S_pages_key(site);
  for (size_t i = 0; i < site->n_pages; i++) {
    ss_page *p = &site->pages[i];
    S_slots_clear(&s);
    ok &= S_document_page(site, pages_key, p, &s, ss_site_page_url(site, p));
  }
  if (site->index_page < 0) {
    S_slots_clear(&s);
    ok &= S_index(site, &s);
  }
  for (size_t k = 0; k < site->n_releases; k++) {
    S_slots_clear(&s);
    ok &= S_release_page(site, &site->releases[k], &s);
  }
  S_slots_clear(&s);
  ok &= S_sections_page(site, &s);
  S_slots_clear(&s);
  ok &= S_search_page(site, &s);
  S_slots_clear(&s);
  ok &= S_not_found_page(site, &s);
  if (site->conf_py && site->html_use_index) {
    S_slots_clear(&s);
    ok &= S_genindex_page(site, &s);
  }
  S_slots_free(&s);

  /* The index is its entries: keyed by their digests, it is joined (a
   * megabyte for two hundred specs) only when one of them changed. */
  uint64_t search_key = SS_DIGEST_INIT;
  for (size_t i = 0; i < site->n_pages; i++) {
    uint64_t d = site->pages[i].sum.search_digest & 0x7fffffffffffffffULL;
    search_key = ss_digest(search_key, &d, sizeof d);
  }
  search_key = search_key ? search_key : 1;
  if (!ss_site_reuse(site, SS_SITE_SEARCH_INDEX, search_key)) {
    if (ss_site_search_borrow(site)) {
      ss_buf idx = SS_BUF_INIT;
      ss_site_search_index(site, &idx);
      size_t len = idx.len;
      ok &= ss_site_emit_owned(site, SS_SITE_SEARCH_INDEX, search_key,
                               ss_buf_detach(&idx), len);
    } else {
      ok = false;
      ss_diag_report(&site->diag, NULL, 0, SS_LEVEL_SEVERE,
                     SS_SITE_SEARCH_INDEX " changed during the build; "
                                          "build again");
    }
  }
  ss_site_search_layout(site);

  ss_buf name = SS_BUF_INIT;
  for (size_t i = 0; i < site->n_pages; i++) {
    ss_buf_clear(&name);
    ss_buf_puts(&name, SS_SITE_SOURCES_DIR "/");
    ss_buf_puts(&name, site->pages[i].docname);
    ss_buf_puts(&name, ".rst.txt");
    /* The source is the same when its bytes are. */
    uint64_t key = site->pages[i].content_key ^ 0x5eed5eed5eed5eedULL;
    ok &= S_copy_file(site, site->pages[i].fspath, name.data, key ? key : 1);
  }
  /* The repository's static files first: the theme's give way. */
  size_t before_static = site->n_records;
  for (size_t i = 0; i < site->n_static_paths; i++)
    ok &= S_copy_assets(site, site->static_paths[i], SS_SITE_STATIC_DIR, false);
  size_t after_static = site->n_records;
  for (size_t i = 0; i < ss_theme_asset_count(site->theme); i++) {
    size_t len = 0;
    const unsigned char *data = ss_theme_asset_data(site->theme, i, &len);
    ss_buf_clear(&name);
    ss_buf_printf(&name, SS_SITE_STATIC_DIR "/%s",
                  ss_theme_asset_name(site->theme, i));
    bool overridden = false;
    for (size_t r = before_static; r < after_static && !overridden; r++)
      overridden = strcmp(site->records[r].name, name.data) == 0;
    if (overridden)
      continue;
    uint64_t theme = ss_theme_digest(site->theme);
    uint64_t key = ss_digest(theme, name.data, name.len);
    if (!ss_site_reuse(site, name.data, key ? key : 1))
      ok &=
          ss_site_emit(site, name.data, key ? key : 1, (const char *)data, len);
  }
  ss_buf_free(&name);
  for (size_t i = 0; i < site->n_extra_paths; i++)
    ok &= S_copy_assets(site, site->extra_paths[i], "", true);
  ss_site_copy_images(site);
  ok &= ss_site_write_inventory(site);
  ok &= ss_site_write_feed(site);
  ok &= ss_site_write_sitemap(site);
  ok &= ss_site_write_redirects(site);
  ok &= ss_site_emit_finish(site);
  return ok;
}
