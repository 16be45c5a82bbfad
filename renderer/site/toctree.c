/* toctree.c — toctrees resolved as Sphinx resolves them.
 *
 * Sphinx keeps, for every document, its table of contents (env.tocs): a
 * bullet list of its sections, nested as they are, with a copy of each
 * toctree node where the toctree stands among them. A toctree is
 * resolved (TocTree.resolve) into the tables of contents of the
 * documents it names, each one's own toctrees resolved in turn inside
 * it (but hidden ones), then marked toctree-l1, toctree-l2, ... and cut
 * to :maxdepth:. The same here, step for step, on trees built from the
 * summaries (summary.c keeps each page's sections and toctrees), so
 * that a page from the cache needs no tree of its own.
 *
 * What an entry names (Sphinx's toctree['entries']: globs expanded over
 * the site's documents, in docname order, each document once) is worked
 * out once per toctree and build; the warnings Sphinx gives when it
 * reads a toctree are given for a page's own toctrees. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../html/escape.h"
#include "internal.h"

/* Python's repr of a list of strings or of tuples of them, as the
 * toctree node keeps its entries: ['a', "b <c>"] or [(None, 'a'),
 * ('Title', 'b')]. Items come out flat, None as NULL. */
static size_t S_parse_pylist(const char *s, char ***out) {
  size_t n = 0;
  *out = NULL;
  for (const char *p = s; p && *p;) {
    bool none = strncmp(p, "None", 4) == 0;
    if (*p != '\'' && *p != '"' && !none) {
      p++;
      continue;
    }
    char *item = NULL;
    if (none) {
      p += 4;
    } else {
      char q = *p++;
      ss_buf b = SS_BUF_INIT;
      while (*p && *p != q) {
        if (*p == '\\' && p[1])
          p++;
        ss_buf_putc(&b, *p++);
      }
      if (*p)
        p++;
      item = b.data ? ss_buf_detach(&b) : ss_xstrdup("");
    }
    *out = ss_xrealloc(*out, (n + 1) * sizeof **out);
    (*out)[n++] = item;
  }
  return n;
}

char *ss_site_docname_join(const char *dir, const char *target) {
  /* posixpath.normpath(posixpath.join('/' + dir, target))[1:] */
  ss_buf path = SS_BUF_INIT;
  if (target[0] != '/') {
    ss_buf_puts(&path, dir);
    ss_buf_putc(&path, '/');
  }
  ss_buf_puts(&path, target);
  size_t pl = path.len;
  if (pl > 4 && strcmp(path.data + pl - 4, ".rst") == 0)
    path.data[pl - 4] = '\0';
  ss_buf out = SS_BUF_INIT;
  for (char *p = path.data; p && *p;) {
    char *slash = strchr(p, '/');
    size_t l = slash ? (size_t)(slash - p) : strlen(p);
    if (l == 2 && p[0] == '.' && p[1] == '.') {
      char *up = out.data ? strrchr(out.data, '/') : NULL;
      out.len = up ? (size_t)(up - out.data) : 0;
      if (out.data)
        out.data[out.len] = '\0';
    } else if (l > 0 && !(l == 1 && p[0] == '.')) {
      if (out.len)
        ss_buf_putc(&out, '/');
      ss_buf_put(&out, p, l);
    }
    p = slash ? slash + 1 : p + l;
  }
  ss_buf_free(&path);
  return out.data ? ss_buf_detach(&out) : ss_xstrdup("");
}

/* Sphinx's url_re: something, then "://". */
static bool S_is_url(const char *s) {
  const char *p = strstr(s, "://");
  return p && p > s;
}

/* The pages Sphinx makes itself, which toctrees may name. */
static const char *S_generated_title(const char *ref) {
  if (strcmp(ref, "genindex") == 0)
    return "Index";
  if (strcmp(ref, "modindex") == 0)
    return "Module Index";
  if (strcmp(ref, "search") == 0)
    return "Search Page";
  return NULL;
}

static void S_warn(ss_diag *diag, const ss_page *p, int line, const char *fmt,
                   const char *arg) {
  if (!diag)
    return;
  ss_buf m = SS_BUF_INIT;
  ss_buf_printf(&m, fmt, arg);
  ss_diag_report(diag, p->source, line, SS_LEVEL_WARNING, m.data);
  ss_buf_free(&m);
}

static void S_push(ss_site_toctree *t, const char *title, int page,
                   const char *ref) {
  t->resolved =
      ss_xrealloc(t->resolved, (t->n_resolved + 1) * sizeof *t->resolved);
  t->resolved[t->n_resolved++] = (ss_site_toc_entry){
      title ? ss_xstrdup(title) : NULL, page, ref ? ss_xstrdup(ref) : NULL};
}

static void S_clear_entries(ss_site_toctree *t) {
  for (size_t i = 0; i < t->n_resolved; i++) {
    free(t->resolved[i].title);
    free(t->resolved[i].ref);
  }
  free(t->resolved);
  t->resolved = NULL;
  t->n_resolved = 0;
}

/* "Title <target>": Sphinx's explicit_title_re. Splits `entry` in place. */
static bool S_explicit(char *entry, char **title, char **target) {
  size_t el = strlen(entry);
  if (el < 3 || entry[el - 1] != '>')
    return false;
  char *lt = strrchr(entry, '<');
  if (!lt || lt == entry)
    return false;
  entry[el - 1] = '\0';
  *target = lt + 1;
  char *end = lt;
  while (end > entry && strchr(" \t\n", end[-1]))
    end--;
  if (end == entry) { /* the title may not be empty */
    entry[el - 1] = '>';
    return false;
  }
  *end = '\0';
  *title = entry;
  return true;
}

/* Sphinx's TocTree.parse_content: what toctree `t` of page `from`
 * names, into t->resolved; its warnings to diag (NULL: none). */
static void S_resolve_entries(ss_site *site, int from, ss_site_toctree *t,
                              ss_diag *diag) {
  const ss_page *page = &site->pages[from];
  S_clear_entries(t);
  char **items = NULL;
  size_t n_items = S_parse_pylist(t->entries, &items);
  /* A document is listed once: globs skip those already listed. */
  bool *taken = ss_xcalloc(site->n_pages + 1, sizeof *taken);
  taken[from] = true;
  char *dir = ss_path_dir(page->docname);
  size_t n = t->glob ? n_items : n_items / 2;
  for (size_t i = 0; i < n; i++) {
    char *entry = t->glob ? items[i] : items[2 * i + 1];
    char *title = t->glob ? NULL : items[2 * i];
    if (!entry || !*entry)
      continue;
    char *ref = entry;
    bool explicit_ = t->glob ? S_explicit(entry, &title, &ref) : title != NULL;
    if (t->glob && !explicit_ && !S_is_url(entry) && strpbrk(entry, "*?[")) {
      char *pattern = ss_site_docname_join(dir, entry);
      bool any = false;
      /* Only the pages whose names start with the pattern's literal part
       * can match: in by_name's order they are one run, found by a
       * binary search (a repository's index globs each release's folder:
       * every page against every glob was the rebuild's largest cost). */
      size_t lit = strcspn(pattern, "*?[");
      size_t lo = 0, hi = site->n_pages;
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strncmp(site->pages[site->by_name[mid]].docname, pattern, lit) < 0)
          lo = mid + 1;
        else
          hi = mid;
      }
      for (size_t k = lo; k < site->n_pages; k++) {
        int d = site->by_name[k];
        if (strncmp(site->pages[d].docname, pattern, lit) != 0)
          break;
        if (taken[d] || !ss_path_match(pattern, site->pages[d].docname))
          continue;
        taken[d] = true;
        any = true;
        S_push(t, NULL, d, NULL);
      }
      /* The pages Sphinx makes are candidates too, never listed. */
      static const char *const generated[] = {"genindex", "modindex", "search"};
      for (size_t k = 0; k < 3 && !any; k++)
        any = ss_path_match(pattern, generated[k]);
      free(pattern);
      if (!any)
        S_warn(diag, page, t->line,
               "toctree glob pattern '%s' didn't match any documents", entry);
      continue;
    }
    if (S_is_url(ref) || strcmp(ref, "self") == 0) {
      S_push(t, title, -1, ref);
      continue;
    }
    char *docname = ss_site_docname_join(dir, ref);
    int d = ss_site_find_page(site, docname);
    if (d >= 0) {
      if (taken[d] && d != from)
        S_warn(diag, page, t->line, "duplicated entry found in toctree: %s",
               docname);
      taken[d] = true;
      S_push(t, title, d, NULL);
    } else if (S_generated_title(docname)) {
      S_push(t, title, -1, docname);
    } else {
      ss_buf file = SS_BUF_INIT;
      ss_buf_printf(&file, "%s.rst", docname);
      S_warn(diag, page, t->line,
             ss_site_excluded(site, file.data)
                 ? "toctree contains reference to excluded document '%s'"
                 : "toctree contains reference to nonexisting document '%s'",
             docname);
      ss_buf_free(&file);
    }
    free(docname);
  }
  if (t->reversed)
    for (size_t i = 0; i < t->n_resolved / 2; i++) {
      ss_site_toc_entry e = t->resolved[i];
      t->resolved[i] = t->resolved[t->n_resolved - 1 - i];
      t->resolved[t->n_resolved - 1 - i] = e;
    }
  free(dir);
  free(taken);
  for (size_t i = 0; i < n_items; i++)
    free(items[i]);
  free(items);
}

static const ss_site_toctree *S_entries(ss_site *site, int from,
                                        ss_site_toctree *t) {
  if (!t->is_resolved) {
    S_resolve_entries(site, from, t, NULL);
    t->is_resolved = true;
  }
  return t;
}

void ss_site_toctrees_free(ss_site_toctree *t, size_t n, bool borrowed) {
  for (size_t i = 0; i < n; i++) {
    S_clear_entries(&t[i]);
    if (!borrowed)
      free(t[i].entries);
  }
  free(t);
}

/* --- tables of contents ------------------------------------------------ */

/* Nodes of a table of contents carry where they point as Sphinx's do
 * (refuri = the docname, anchorname) until the end, when their URL is
 * made relative to the page they are on; toctree placeholders name the
 * page and which of its toctrees they stand for. */
#define S_REFDOC "ss-refdoc"
#define S_PAGE "ss-page"
#define S_INDEX "ss-toctree"

static ss_node *S_item(int line, const char *title, const char *refdoc,
                       const char *uri, const char *anchor) {
  ss_node *item = ss_node_new(SS_LIST_ITEM, line);
  ss_node *para = ss_node_append(item, ss_node_new(SS_COMPACT_PARAGRAPH, line));
  ss_node *ref = ss_node_append(para, ss_node_new(SS_REFERENCE, line));
  ss_node_attr_set(ref, "anchorname", anchor ? anchor : "");
  ss_node_attr_set(ref, "internal", refdoc ? "True" : "False");
  ss_node_attr_set(ref, "refuri", uri);
  if (refdoc)
    ss_node_attr_set(ref, S_REFDOC, refdoc);
  ss_node_append_text(ref, title, strlen(title), line);
  return item;
}

/* The list below a table-of-contents item, made when first needed. */
static ss_node *S_sublist(ss_node *item) {
  if (item->last && item->last->kind == SS_BULLET_LIST)
    return item->last;
  return ss_node_append(item, ss_node_new(SS_BULLET_LIST, item->line));
}

static ss_node *S_placeholder(int page, size_t k, const ss_site_toctree *t) {
  ss_node *n = ss_node_new(SS_TOCTREE, t->line);
  char num[24];
  snprintf(num, sizeof num, "%d", page);
  ss_node_attr_set(n, S_PAGE, num);
  snprintf(num, sizeof num, "%zu", k);
  ss_node_attr_set(n, S_INDEX, num);
  ss_node_attr_set(n, "hidden", t->hidden ? "True" : "False");
  return n;
}

/* env.tocs[docname] for page `d`, from its summary. */
static ss_node *S_doc_toc(ss_site *site, int d) {
  ss_page *p = &site->pages[d];
  ss_site_sections(&p->sum);
  const ss_site_summary *sum = &p->sum;
  ss_node *root = ss_node_new(SS_BULLET_LIST, 0);
  /* The last item made at each level, whose list deeper items go in. */
  enum { S_MAX_LEVELS = 64 };
  ss_node *last[S_MAX_LEVELS] = {0};
  ss_buf anchor = SS_BUF_INIT;
  size_t k = 0;
  for (size_t i = 0; i <= sum->n_sections; i++) {
    for (; k < sum->n_toctrees && (size_t)sum->toctrees[k].after <= i; k++) {
      const ss_site_toctree *t = &sum->toctrees[k];
      ss_node *list =
          t->level < 0 || t->level >= S_MAX_LEVELS || !last[t->level]
              ? root
              : S_sublist(last[t->level]);
      ss_node_append(list, S_placeholder(d, k, t));
    }
    if (i == sum->n_sections)
      break;
    const ss_site_section *s = &sum->sections[i];
    if (s->level < 0 || s->level >= S_MAX_LEVELS)
      continue;
    ss_node *list = s->level == 0 || !last[s->level - 1]
                        ? root
                        : S_sublist(last[s->level - 1]);
    /* The first entry links to the page itself, the others to their
     * section (Sphinx's _make_anchor_name). */
    ss_buf_clear(&anchor);
    if (i > 0) {
      ss_buf_putc(&anchor, '#');
      ss_buf_puts(&anchor, s->anchor);
    }
    last[s->level] = ss_node_append(
        list, S_item(0, s->title, p->docname, p->docname, anchor.data));
    for (int l = s->level + 1; l < S_MAX_LEVELS && last[l]; l++)
      last[l] = NULL;
  }
  ss_buf_free(&anchor);
  return root;
}

typedef struct {
  ss_site *site;
  int page;           /* the page whose toctree is resolved */
  ss_diag *diag;      /* its log */
  bool titles_only;   /* :titlesonly: */
  bool includehidden; /* :includehidden: */
} S_resolve;

/* Every toctree placeholder below `n`, in document order. */
static size_t S_placeholders(ss_node *n, ss_node ***out) {
  size_t k = 0;
  *out = NULL;
  for (ss_node *c = n; c; c = ss_node_next_in(n, c))
    if (c->kind == SS_TOCTREE) {
      *out = ss_xrealloc(*out, (k + 1) * sizeof **out);
      (*out)[k++] = c;
    }
  return k;
}

static void S_entries_from_toctree(S_resolve *r, int from, ss_site_toctree *t,
                                   const int *parents, size_t n_parents,
                                   ss_node *out);

/* Sphinx's _entries_from_toctree for one document entry: its table of
 * contents, sub-toctrees resolved, appended to `out`. */
static void S_doc_entries(S_resolve *r, int from, const ss_site_toctree *t,
                          const ss_site_toc_entry *e, const int *parents,
                          size_t n_parents, ss_node *out) {
  ss_site *site = r->site;
  int d = e->page;
  for (size_t i = 0; i < n_parents; i++)
    if (parents[i] == d) {
      ss_buf chain = SS_BUF_INIT;
      ss_buf_printf(&chain, "%s <- ", site->pages[d].docname);
      for (size_t j = 0; j < n_parents; j++)
        ss_buf_printf(&chain, j ? " <- %s" : "%s",
                      site->pages[parents[j]].docname);
      S_warn(r->diag, &site->pages[r->page], 0,
             "circular toctree references detected, ignoring: %s", chain.data);
      ss_buf_free(&chain);
      return;
    }
  ss_node *toc = S_doc_toc(site, d);
  const char *docname = site->pages[d].docname;
  if (e->title && toc->first && toc->first == toc->last) {
    for (ss_node *c = toc->first; c; c = ss_node_next_in(toc->first, c)) {
      const char *anchor = ss_node_attr_get(c, "anchorname");
      if (c->kind == SS_REFERENCE && anchor && !*anchor &&
          strcmp(ss_node_attr_get(c, "refuri"), docname) == 0) {
        while (c->first)
          ss_node_free(c->first);
        ss_node_append_text(c, e->title, strlen(e->title), c->line);
      }
    }
  }
  if (!toc->first)
    S_warn(from == r->page ? r->diag : NULL, &site->pages[from], t->line,
           "toctree contains reference to document '%s' that doesn't have a "
           "title: no link will be generated",
           docname);
  if (r->titles_only) {
    /* Only the top-level titles, and the toctrees below them. */
    for (ss_node *top = toc->first; top; top = top->next) {
      ss_node *sub = top->first ? top->first->next : NULL;
      if (!sub)
        continue;
      ss_node **found;
      size_t nf = S_placeholders(sub, &found);
      for (size_t i = 0; i < nf; i++)
        ss_node_unlink(found[i]);
      while (sub->first)
        ss_node_free(sub->first);
      for (size_t i = 0; i < nf; i++)
        ss_node_append(sub, found[i]);
      if (!nf)
        ss_node_free(sub);
      free(found);
    }
  }
  ss_node **subs;
  size_t ns = S_placeholders(toc, &subs);
  int *chain = ss_xmalloc((n_parents + 1) * sizeof *chain);
  chain[0] = d;
  if (n_parents)
    memcpy(chain + 1, parents, n_parents * sizeof *chain);
  for (size_t i = 0; i < ns; i++) {
    ss_node *sub = subs[i];
    const char *hidden = ss_node_attr_get(sub, "hidden");
    if (hidden && strcmp(hidden, "True") == 0 && !r->includehidden)
      continue;
    int sp = atoi(ss_node_attr_get(sub, S_PAGE));
    size_t sk = (size_t)atol(ss_node_attr_get(sub, S_INDEX));
    ss_site_toctree *st = &site->pages[sp].sum.toctrees[sk];
    ss_node *entries = ss_node_new(SS_BULLET_LIST, 0);
    S_entries_from_toctree(r, sp, st, chain, n_parents + 1, entries);
    while (entries->last)
      ss_node_insert_after(sub, ss_node_unlink(entries->last));
    ss_node_free(entries);
    ss_node_free(sub);
  }
  free(subs);
  free(chain);
  ss_node_move_children(toc, out);
  ss_node_free(toc);
}

/* Sphinx's _entries_from_toctree (separate=False): the entries of
 * toctree `t` of page `from`, appended to `out`. */
static void S_entries_from_toctree(S_resolve *r, int from, ss_site_toctree *t,
                                   const int *parents, size_t n_parents,
                                   ss_node *out) {
  ss_site *site = r->site;
  const ss_page *fp = &site->pages[from];
  S_entries(site, from, t);
  for (size_t i = 0; i < t->n_resolved; i++) {
    const ss_site_toc_entry *e = &t->resolved[i];
    if (e->page >= 0) {
      S_doc_entries(r, from, t, e, parents, n_parents, out);
      continue;
    }
    const char *generated = S_generated_title(e->ref);
    if (S_is_url(e->ref)) {
      if (ss_html_uri_is_safe(e->ref, false))
        ss_node_append(out, S_item(t->line, e->title ? e->title : e->ref, NULL,
                                   e->ref, ""));
    } else if (generated) {
      ss_node_append(out, S_item(t->line, e->title ? e->title : generated,
                                 e->ref, e->ref, ""));
    } else { /* self: the page the toctree is on, without its sections */
      ss_node_append(out, S_item(t->line, e->title ? e->title : fp->sum.title,
                                 fp->docname, fp->docname, ""));
    }
  }
}

/* Sphinx's _toctree_add_classes. */
static void S_add_classes(ss_node *node, int depth) {
  char cls[32];
  for (ss_node *c = node->first; c; c = c->next) {
    if (c->kind == SS_COMPACT_PARAGRAPH || c->kind == SS_LIST_ITEM) {
      snprintf(cls, sizeof cls, "toctree-l%d", depth - 1);
      ss_node_attr_add(c, "classes", cls);
      S_add_classes(c, depth);
    } else if (c->kind == SS_BULLET_LIST) {
      S_add_classes(c, depth + 1);
    }
  }
}

/* Sphinx's _toctree_prune (no collapse): lists deeper than maxdepth go. */
static void S_prune(ss_node *node, int depth, int maxdepth) {
  for (ss_node *c = node->first, *next; c; c = next) {
    next = c->next;
    if (c->kind == SS_COMPACT_PARAGRAPH || c->kind == SS_LIST_ITEM)
      S_prune(c, depth, maxdepth);
    else if (c->kind == SS_BULLET_LIST) {
      if (maxdepth > 0 && depth > maxdepth)
        ss_node_free(c);
      else
        S_prune(c, depth + 1, maxdepth);
    }
  }
}

/* The URL a table-of-contents reference gets on page `on`. */
static void S_set_uris(ss_site *site, const ss_page *on, ss_node *root) {
  ss_buf url = SS_BUF_INIT;
  for (ss_node *c = root; c; c = ss_node_next_in(root, c)) {
    if (c->kind != SS_REFERENCE)
      continue;
    const char *refdoc = ss_node_attr_get(c, S_REFDOC);
    if (!refdoc)
      continue;
    ss_buf_clear(&url);
    ss_site_doc_uri(site, on, ss_site_find_page(site, refdoc), refdoc,
                    ss_node_attr_get(c, "anchorname"), &url);
    ss_node_attr_set(c, "refuri", url.data ? url.data : "");
    ss_node_attr_remove(c, S_REFDOC);
    if (!site->opts->xml)
      ss_node_attr_remove(c, "anchorname");
  }
  ss_buf_free(&url);
}

/* Placeholders left (hidden toctrees below a listed page) show nothing. */
static void S_drop_placeholders(ss_node *root) {
  ss_node **found;
  size_t n = S_placeholders(root, &found);
  for (size_t i = 0; i < n; i++)
    ss_node_free(found[i]);
  free(found);
}

static bool S_flag(const ss_node *n, const char *name) {
  const char *v = ss_node_attr_get(n, name);
  return v && strcmp(v, "True") == 0;
}

/* Sphinx's TocTree.resolve for the page's own toctree node `toc`, the
 * k-th of the page (its summary has it as toctrees[k]): what takes its
 * place, or NULL. */
static ss_node *S_resolve_one(ss_site *site, int page, ss_node *toc, size_t k,
                              ss_diag *diag) {
  ss_page *p = &site->pages[page];
  ss_site_toctree *t = &p->sum.toctrees[k];
  /* The page's own reading of its toctree: Sphinx warns then. */
  S_resolve_entries(site, page, t, diag);
  t->is_resolved = true;
  S_resolve r = {site, page, diag, S_flag(toc, "titlesonly"),
                 S_flag(toc, "includehidden")};
  if (t->hidden && !r.includehidden)
    return NULL;
  const char *md = ss_node_attr_get(toc, "maxdepth");
  int maxdepth = md ? atoi(md) : -1;
  ss_node *newnode = ss_node_new(SS_COMPACT_PARAGRAPH, toc->line);
  ss_node_attr_set(newnode, "toctree", "True");
  const char *caption = ss_node_attr_get(toc, "caption");
  if (caption && *caption) {
    ss_node *title = ss_node_append(newnode, ss_node_new(SS_TITLE, toc->line));
    ss_node_append_text(title, caption, strlen(caption), toc->line);
  }
  ss_node *list =
      ss_node_append(newnode, ss_node_new(SS_BULLET_LIST, toc->line));
  S_entries_from_toctree(&r, page, t, NULL, 0, list);
  S_add_classes(newnode, 1);
  S_prune(newnode, 1, maxdepth);
  if (!newnode->last || !newnode->last->first) {
    ss_node_free(newnode);
    return NULL;
  }
  S_drop_placeholders(newnode);
  S_set_uris(site, p, newnode);
  return newnode;
}

void ss_site_resolve_toctrees(ss_site *site, ss_page *p, ss_diag *diag) {
  int page = (int)(p - site->pages);
  ss_node **tocs;
  size_t n = S_placeholders(p->tree, &tocs);
  for (size_t k = 0; k < n && k < p->sum.n_toctrees; k++) {
    ss_node *done = S_resolve_one(site, page, tocs[k], k, diag);
    if (done)
      ss_node_insert_before(tocs[k], done);
    ss_node_free(tocs[k]);
  }
  free(tocs);
}

void ss_site_check_toctrees(ss_site *site) {
  if (site->root_doc < 0)
    return; /* no root document to start from (a conf.py that writes it) */
  bool *listed = ss_xcalloc(site->n_pages + 1, sizeof *listed);
  listed[site->root_doc] = true;
  for (size_t i = 0; i < site->n_pages; i++) {
    ss_site_summary *sum = &site->pages[i].sum;
    for (size_t k = 0; k < sum->n_toctrees; k++) {
      const ss_site_toctree *t = S_entries(site, (int)i, &sum->toctrees[k]);
      for (size_t e = 0; e < t->n_resolved; e++)
        if (t->resolved[e].page >= 0)
          listed[t->resolved[e].page] = true;
    }
  }
  for (size_t r = 0; r < site->n_pages; r++) {
    const ss_page *p = &site->pages[site->by_name[r]];
    if (!listed[site->by_name[r]] && !p->sum.orphan)
      ss_diag_report(&site->diag, p->source, 0, SS_LEVEL_WARNING,
                     "document isn't included in any toctree");
  }
  free(listed);
}
