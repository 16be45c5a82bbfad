/* inventory.c — objects.inv, Sphinx's inventory of what a site holds.
 *
 * Other projects' intersphinx links into the specs (`:doc:`, `:ref:` to
 * a label, an http:get route) resolve against this file, so it lists
 * what Sphinx's lists, in Sphinx's format (version 2): four header
 * lines, then zlib-compressed lines "name domain:type priority uri
 * dispname", domains in name order and each domain's objects sorted as
 * Python sorts its tuples (name, dispname, type, docname, anchor,
 * priority). An anchor ending with the name is shortened to "$", a
 * dispname equal to the name written "-". */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "internal.h"

typedef struct {
  const char *domain, *name, *dispname, *type, *docname, *anchor;
  int prio;
} S_entry;

static int S_cmp(const void *a, const void *b) {
  const S_entry *x = a, *y = b;
  int c = strcmp(x->domain, y->domain);
  if (!c)
    c = strcmp(x->name, y->name);
  if (!c)
    c = strcmp(x->dispname, y->dispname);
  if (!c)
    c = strcmp(x->type, y->type);
  if (!c)
    c = strcmp(x->docname, y->docname);
  if (!c)
    c = strcmp(x->anchor, y->anchor);
  return c ? c : (x->prio > y->prio) - (x->prio < y->prio);
}

typedef struct {
  S_entry *items;
  size_t n, cap;
} S_list;

static void S_add(S_list *l, S_entry e) {
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 256;
    l->items = ss_xrealloc(l->items, l->cap * sizeof *l->items);
  }
  l->items[l->n++] = e;
}

static const char *S_docname(const ss_site *site, const ss_site_xlabel *l) {
  return l->page >= 0 ? site->pages[l->page].docname : l->doc;
}

/* Sphinx's escape(): runs of white space as one space. */
static void S_header_value(ss_buf *out, const char *s) {
  bool space = false;
  for (; *s; s++) {
    if (strchr(" \t\n\r\f\v", *s)) {
      space = true;
      continue;
    }
    if (space)
      ss_buf_putc(out, ' ');
    space = false;
    ss_buf_putc(out, *s);
  }
  if (space)
    ss_buf_putc(out, ' ');
}

bool ss_site_write_inventory(ss_site *site) {
  /* What it lists is what listings are made of (titles, labels, the
   * objects of each page): compressed again only when that changed. */
  uint64_t key =
      ss_digest(site->listing_key, SS_SITE_INVENTORY, sizeof SS_SITE_INVENTORY);
  key = key ? key : 1;
  if (ss_site_reuse(site, SS_SITE_INVENTORY, key))
    return true;
  S_list l = {0};
  for (size_t i = 0; i < site->n_pages; i++) {
    const ss_page *p = &site->pages[i];
    S_add(&l, (S_entry){"std", p->docname, p->sum.title, "doc", p->docname, "",
                        -1});
    for (size_t k = 0; k < p->sum.n_objects; k++) {
      const ss_site_object *o = &p->sum.objects[k];
      const char *colon = strchr(o->type, ':');
      if (!colon)
        continue;
      /* The domain's part of the type: "http:get" is domain http. The
       * standard domain's terms search with priority -1, others 1. */
      bool std = strncmp(o->type, "std:", 4) == 0;
      S_add(&l, (S_entry){o->type, o->name, o->name, colon + 1, p->docname,
                          o->anchor, std ? -1 : 1});
    }
  }
  for (size_t i = 0; i < site->n_labels; i++) {
    const ss_site_xlabel *x = &site->labels[i];
    S_add(&l, (S_entry){"std", x->name, x->title, "label", S_docname(site, x),
                        x->id, -1});
  }
  /* Labels only a titled :ref: can name are listed by their name. */
  for (size_t i = 0, j = 0; i < site->n_anonlabels; i++) {
    const ss_site_xlabel *x = &site->anonlabels[i];
    while (j < site->n_labels && strcmp(site->labels[j].name, x->name) < 0)
      j++;
    if (j < site->n_labels && strcmp(site->labels[j].name, x->name) == 0)
      continue;
    S_add(&l, (S_entry){"std", x->name, x->name, "label", S_docname(site, x),
                        x->id, -1});
  }
  /* Entries of a domain's objects carry their domain in `domain` as
   * "http:get": cut it to the domain now, for the sort. */
  char **owned = ss_xmalloc((l.n ? l.n : 1) * sizeof *owned);
  size_t n_owned = 0;
  for (size_t i = 0; i < l.n; i++) {
    const char *colon = strchr(l.items[i].domain, ':');
    if (colon) {
      owned[n_owned] =
          ss_xstrndup(l.items[i].domain, (size_t)(colon - l.items[i].domain));
      l.items[i].domain = owned[n_owned++];
    }
  }
  if (l.n > 1)
    qsort(l.items, l.n, sizeof *l.items, S_cmp);
  /* An object described twice (two routes alike) is listed once, as the
   * domain's table keeps one: the later page's. */
  ss_buf body = SS_BUF_INIT;
  for (size_t i = 0; i < l.n; i++) {
    const S_entry *e = &l.items[i];
    const S_entry *next = i + 1 < l.n ? &l.items[i + 1] : NULL;
    if (next &&
        (strcmp(e->domain, "std") != 0 || strcmp(e->type, "term") == 0) &&
        strcmp(next->domain, e->domain) == 0 &&
        strcmp(next->name, e->name) == 0 && strcmp(next->type, e->type) == 0)
      continue;
    size_t nl = strlen(e->name), al = strlen(e->anchor);
    ss_buf_puts(&body, e->name);
    ss_buf_putc(&body, ' ');
    ss_buf_puts(&body, e->domain);
    ss_buf_putc(&body, ':');
    ss_buf_puts(&body, e->type);
    ss_buf_printf(&body, " %d ", e->prio);
    ss_buf_puts(&body, e->docname);
    ss_buf_puts(&body, ".html");
    if (al) {
      ss_buf_putc(&body, '#');
      if (al >= nl && strcmp(e->anchor + al - nl, e->name) == 0) {
        ss_buf_put(&body, e->anchor, al - nl);
        ss_buf_putc(&body, '$');
      } else {
        ss_buf_puts(&body, e->anchor);
      }
    }
    ss_buf_putc(&body, ' ');
    ss_buf_puts(&body, strcmp(e->dispname, e->name) == 0 ? "-" : e->dispname);
    ss_buf_putc(&body, '\n');
  }
  for (size_t i = 0; i < n_owned; i++)
    free(owned[i]);
  free(owned);
  free(l.items);

  ss_buf file = SS_BUF_INIT;
  ss_buf_puts(&file, "# Sphinx inventory version 2\n# Project: ");
  S_header_value(&file, site->project);
  ss_buf_puts(&file, "\n# Version: ");
  S_header_value(&file, site->version ? site->version : "");
  ss_buf_puts(&file, "\n# The remainder of this file is compressed using "
                     "zlib.\n");
  uLongf zlen = compressBound((uLong)body.len);
  size_t head = file.len;
  ss_buf_grow(&file, (size_t)zlen);
  bool ok = compress2((Bytef *)file.data + head, &zlen,
                      (const Bytef *)(body.data ? body.data : ""),
                      (uLong)body.len, 9) == Z_OK;
  ss_buf_free(&body);
  if (ok) {
    file.len = head + (size_t)zlen;
    size_t len = file.len;
    ok = ss_site_emit_owned(site, SS_SITE_INVENTORY, key, ss_buf_detach(&file),
                            len);
  } else {
    ss_diag_report(&site->diag, NULL, 0, SS_LEVEL_SEVERE,
                   "cannot compress " SS_SITE_INVENTORY);
    ss_buf_free(&file);
  }
  return ok;
}
