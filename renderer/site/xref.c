/* xref.c — cross-references across the site, as Sphinx resolves them.
 *
 * Sphinx's standard domain notes every explicit label of every document
 * as it reads them, in docname order (StandardDomain.process_doc): a
 * label noted again belongs to the later document, with Sphinx's
 * warning; one on an element without a title (a paragraph, a list) can
 * only be named by a :ref: with a title of its own. genindex, modindex
 * and search are labels from the start. Here the same table is made
 * from the pages' summaries (the transforms list each page's labels),
 * once per build, and every :doc: and :ref: the transforms left pending
 * is resolved against it. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Sphinx's own labels: the standard domain's, the Python domain's
 * module index, httpdomain's routing table. */
static const ss_site_xlabel S_builtin[] = {
    {"genindex", -1, "genindex", "", "Index", true, 0},
    {"modindex", -1, "py-modindex", "", "Module Index", true, 0},
    {"search", -1, "search", "", "Search Page", true, 0},
    {"py-modindex", -1, "py-modindex", "", "Python Module Index", true, 0},
    {"http-routingtable", -1, "http-routingtable", "", "HTTP Routing Table",
     true, 0},
    {"routingtable", -1, "http-routingtable", "", "HTTP Routing Table", true,
     0},
};

static int S_by_name_then_seq(const void *a, const void *b) {
  const ss_site_xlabel *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Sphinx's citation domain: citations are the project's, noted in
 * reading order; a label noted again is the later page's, with Sphinx's
 * warning. */
static void S_citations(ss_site *site) {
  size_t n = 0;
  for (size_t i = 0; i < site->n_pages; i++)
    n += site->pages[i].sum.n_citations;
  ss_site_xlabel *all = ss_xmalloc((n ? n : 1) * sizeof *all);
  size_t k = 0;
  for (size_t r = 0; r < site->n_pages; r++) {
    int d = site->by_name[r];
    const ss_site_summary *sum = &site->pages[d].sum;
    for (size_t i = 0; i < sum->n_citations; i++, k++)
      all[k] = (ss_site_xlabel){
          sum->citations[i].name, d, NULL, sum->citations[i].id, "", true, k};
  }
  qsort(all, n, sizeof *all, S_by_name_then_seq);
  site->citations = ss_xmalloc((n ? n : 1) * sizeof *site->citations);
  site->n_citations = 0;
  ss_buf msg = SS_BUF_INIT;
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && strcmp(all[i].name, all[i - 1].name) == 0) {
      const ss_page *p = &site->pages[all[i].page];
      ss_buf_clear(&msg);
      ss_buf_printf(&msg, "duplicate citation %s, other instance in %s",
                    all[i].name, site->pages[all[i - 1].page].source);
      int line = 0;
      for (size_t q = 0; q < p->sum.n_citations; q++)
        if (p->sum.citations[q].name == all[i].name)
          line = p->sum.citations[q].line;
      ss_diag_report(&site->diag, p->source, line, SS_LEVEL_WARNING, msg.data);
    }
    if (i + 1 == n || strcmp(all[i].name, all[i + 1].name) != 0)
      site->citations[site->n_citations++] = all[i];
  }
  ss_buf_free(&msg);
  free(all);
}

/* Sphinx's glossary terms: the standard domain's objects, by the term as
 * written (one noted again is the later page's, with Sphinx's warning),
 * and by the term in lower case, for :term: written otherwise. */
static void S_lower(ss_buf *out, const char *s) {
  for (; *s; s++)
    ss_buf_putc(out, (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s));
}

static void S_terms(ss_site *site) {
  size_t n = 0;
  for (size_t i = 0; i < site->n_pages; i++)
    for (size_t k = 0; k < site->pages[i].sum.n_objects; k++)
      n += strcmp(site->pages[i].sum.objects[k].type, "std:term") == 0;
  ss_site_xlabel *all = ss_xmalloc((n ? n : 1) * sizeof *all);
  site->lower_terms = ss_xmalloc((n ? n : 1) * sizeof *site->lower_terms);
  size_t k = 0;
  for (size_t r = 0; r < site->n_pages; r++) {
    int d = site->by_name[r];
    const ss_site_summary *sum = &site->pages[d].sum;
    for (size_t i = 0; i < sum->n_objects; i++) {
      const ss_site_object *o = &sum->objects[i];
      if (strcmp(o->type, "std:term") != 0)
        continue;
      all[k] = (ss_site_xlabel){o->name, d, NULL, o->anchor, "", true, k};
      ss_buf low = SS_BUF_INIT;
      S_lower(&low, o->name);
      site->lower_terms[k] = all[k];
      site->lower_terms[k].name =
          low.data ? ss_buf_detach(&low) : ss_xstrdup("");
      k++;
    }
  }
  qsort(all, n, sizeof *all, S_by_name_then_seq);
  qsort(site->lower_terms, n, sizeof *site->lower_terms, S_by_name_then_seq);
  site->terms = ss_xmalloc((n ? n : 1) * sizeof *site->terms);
  site->n_terms = 0;
  ss_buf msg = SS_BUF_INIT;
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && strcmp(all[i].name, all[i - 1].name) == 0) {
      const ss_page *p = &site->pages[all[i].page];
      int line = 0;
      for (size_t q = 0; q < p->sum.n_objects; q++)
        if (p->sum.objects[q].name == all[i].name)
          line = p->sum.objects[q].line;
      ss_buf_clear(&msg);
      ss_buf_printf(&msg,
                    "duplicate term description of %s, other instance in %s",
                    all[i].name, site->pages[all[i - 1].page].docname);
      ss_diag_report(&site->diag, p->source, line, SS_LEVEL_WARNING, msg.data);
    }
    if (i + 1 == n || strcmp(all[i].name, all[i + 1].name) != 0)
      site->terms[site->n_terms++] = all[i];
  }
  /* Lower case: the last of each name, as Sphinx's _terms keeps it. */
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (i + 1 < n &&
        strcmp(site->lower_terms[i].name, site->lower_terms[i + 1].name) == 0) {
      free((char *)site->lower_terms[i].name);
      continue;
    }
    site->lower_terms[m++] = site->lower_terms[i];
  }
  site->n_lower_terms = m;
  ss_buf_free(&msg);
  free(all);
}

void ss_site_labels(ss_site *site) {
  size_t builtin = sizeof S_builtin / sizeof *S_builtin;
  if (!site->httpdomain)
    builtin -= 2;
  size_t n = builtin;
  for (size_t i = 0; i < site->n_pages; i++)
    n += site->pages[i].sum.n_labels;
  ss_site_xlabel *all = ss_xmalloc(n * sizeof *all);
  size_t k = 0;
  for (size_t i = 0; i < builtin; i++)
    all[k++] = S_builtin[i];
  for (size_t r = 0; r < site->n_pages; r++) {
    int d = site->by_name[r];
    const ss_site_summary *sum = &site->pages[d].sum;
    for (size_t i = 0; i < sum->n_labels; i++) {
      const ss_site_label *l = &sum->labels[i];
      all[k] =
          (ss_site_xlabel){l->name, d, NULL, l->id, l->title, l->titled, k};
      k++;
    }
  }
  qsort(all, n, sizeof *all, S_by_name_then_seq);
  /* Per name, in reading order: the last with a title is what :ref:
   * shows, the last of all what :ref:`text <name>` links to. */
  site->labels = ss_xmalloc((n ? n : 1) * sizeof *site->labels);
  site->anonlabels = ss_xmalloc((n ? n : 1) * sizeof *site->anonlabels);
  site->n_labels = site->n_anonlabels = 0;
  ss_buf msg = SS_BUF_INIT;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    const ss_site_xlabel *titled = NULL;
    for (; j < n && strcmp(all[j].name, all[i].name) == 0; j++) {
      const ss_site_xlabel *l = &all[j];
      if (titled && l->page >= 0) {
        const ss_page *other =
            titled->page >= 0 ? &site->pages[titled->page] : NULL;
        ss_buf_clear(&msg);
        ss_buf_printf(&msg, "duplicate label %s, other instance in %s", l->name,
                      other ? other->source : titled->doc);
        const ss_page *p = &site->pages[l->page];
        const ss_site_label *own = NULL;
        for (size_t q = 0; q < p->sum.n_labels && !own; q++)
          if (p->sum.labels[q].name == l->name)
            own = &p->sum.labels[q];
        ss_diag_report(&site->diag, p->source, own ? own->line : 0,
                       SS_LEVEL_WARNING, msg.data);
      }
      if (l->titled)
        titled = l;
    }
    if (titled)
      site->labels[site->n_labels++] = *titled;
    site->anonlabels[site->n_anonlabels++] = all[j - 1];
    i = j;
  }
  ss_buf_free(&msg);
  free(all);
  S_citations(site);
  S_terms(site);
}

static const ss_site_xlabel *S_find(const ss_site_xlabel *table, size_t n,
                                    const char *name) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(table[mid].name, name);
    if (c == 0)
      return &table[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

void ss_site_labels_free(ss_site *site) {
  free(site->labels);
  free(site->anonlabels);
  free(site->citations);
  free(site->terms);
  for (size_t i = 0; i < site->n_lower_terms; i++)
    free((char *)site->lower_terms[i].name);
  free(site->lower_terms);
  site->terms = site->lower_terms = NULL;
  site->n_terms = site->n_lower_terms = 0;
  site->labels = site->anonlabels = site->citations = NULL;
  site->n_labels = site->n_anonlabels = site->n_citations = 0;
}

/* The reference a resolved cross-reference becomes on page `from`
 * (Sphinx's make_refnode): refid within the page, else refuri. */
static ss_node *S_refnode(ss_site *site, const ss_page *from, int to,
                          const char *doc, const char *id, int line) {
  ss_node *ref = ss_node_new(SS_REFERENCE, line);
  ss_node_attr_set(ref, "internal", "True");
  if (to >= 0 && &site->pages[to] == from && id && *id) {
    ss_node_attr_set(ref, "refid", id);
    return ref;
  }
  ss_buf url = SS_BUF_INIT;
  ss_site_doc_uri(site, from, to, doc, id, &url);
  ss_node_attr_set(ref, "refuri", url.data ? url.data : "");
  ss_buf_free(&url);
  return ref;
}

/* Docutils' replace_self: the node taking a pending_xref's place keeps
 * its ids, classes and names (a citation reference's id, which the
 * citation links back to). */
static void S_take_attrs(ss_node *to, const ss_node *from) {
  if (!to || to->kind == SS_TEXT)
    return;
  static const char *const names[] = {"ids", "classes", "names", "dupnames"};
  for (size_t k = 0; k < sizeof names / sizeof *names; k++)
    for (const ss_attr *a = ss_node_attr_next(from, names[k], NULL); a;
         a = ss_node_attr_next(from, names[k], a))
      if (!ss_node_attr_has(to, names[k], a->value))
        ss_node_attr_add(to, names[k], a->value);
}

/* What a pending reference names, once looked up. */
typedef struct {
  const char *role;  /* "doc", "std:ref", "std:term", "citation" */
  int page;          /* -1 for the pages Sphinx makes */
  const char *doc;   /* then their name */
  const char *id;    /* the anchor, or NULL */
  const char *title; /* the text :doc: and :ref: show; NULL: the role's */
} S_hit;

/* Looks `target` up as `role` does, from page `page` (folder `dir`);
 * `lower` is the target in lower case (:ref: and :any: use it). */
static bool S_lookup(const ss_site *site, const char *dir, const char *role,
                     const char *target, const char *lower, bool explicit_,
                     S_hit *hit) {
  *hit = (S_hit){role, -1, NULL, NULL, NULL};
  if (strcmp(role, "doc") == 0) {
    char *name = ss_site_docname_join(dir, target);
    hit->page = ss_site_find_page(site, name);
    free(name);
    if (hit->page < 0)
      return false;
    hit->title = site->pages[hit->page].sum.title;
    return true;
  }
  const ss_site_xlabel *l = NULL;
  if (strcmp(role, "std:ref") == 0) {
    l = explicit_ ? S_find(site->anonlabels, site->n_anonlabels, target)
                  : S_find(site->labels, site->n_labels, target);
    if (l)
      hit->title = l->title;
  } else if (strcmp(role, "std:term") == 0) {
    /* Sphinx's _resolve_term_xref: as written, else in lower case. */
    l = S_find(site->terms, site->n_terms, target);
    if (!l && lower)
      l = S_find(site->lower_terms, site->n_lower_terms, lower);
  } else if (strcmp(role, "citation") == 0) {
    l = S_find(site->citations, site->n_citations, target);
  }
  if (!l)
    return false;
  hit->page = l->page, hit->doc = l->doc, hit->id = l->id;
  return true;
}

/* The message Sphinx gives for a reference `role` finds nothing for. */
static void S_missing(ss_buf *msg, const char *type, const char *role,
                      const char *target) {
  if (strcmp(type, "any") == 0)
    ss_buf_printf(msg, "'any' reference target not found: %s", target);
  else if (strcmp(role, "doc") == 0)
    ss_buf_printf(msg, "unknown document: '%s'", target);
  else if (strcmp(role, "std:term") == 0)
    ss_buf_printf(msg, "term not in glossary: '%s'", target);
  else if (strcmp(role, "citation") == 0)
    ss_buf_printf(msg, "citation not found: %s", target);
  else
    ss_buf_printf(msg, "undefined label: '%s'", target);
}

void ss_site_resolve_refs(ss_site *site, ss_page *page, ss_diag *diag) {
  ss_node **refs = NULL;
  size_t n = 0;
  for (ss_node *c = page->tree; c; c = ss_node_next_in(page->tree, c))
    if (c->kind == SS_PENDING_XREF) {
      refs = ss_xrealloc(refs, (n + 1) * sizeof *refs);
      refs[n++] = c;
    }
  char *dir = ss_path_dir(page->docname);
  ss_buf msg = SS_BUF_INIT, lower = SS_BUF_INIT;
  for (size_t i = 0; i < n; i++) {
    ss_node *x = refs[i];
    const char *target = ss_node_attr_get(x, "reftarget");
    const char *type = ss_node_attr_get(x, "reftype");
    const char *domain = ss_node_attr_get(x, "refdomain");
    const char *explicit_ = ss_node_attr_get(x, "refexplicit");
    bool is_explicit = explicit_ && strcmp(explicit_, "True") == 0;
    target = target ? target : "";
    type = type ? type : "";
    ss_buf_clear(&lower);
    S_lower(&lower, target);
    const char *low = lower.data ? lower.data : "";
    /* The roles to try, in Sphinx's order: :any: tries the document,
     * then the standard domain (a label, a term), then the others. */
    const char *roles[4];
    size_t nr = 0;
    if (domain && strcmp(domain, "citation") == 0)
      roles[nr++] = "citation";
    else if (strcmp(type, "any") == 0) {
      roles[nr++] = "doc";
      roles[nr++] = "std:ref";
      roles[nr++] = "std:term";
      roles[nr++] = "citation";
    } else
      roles[nr++] = strcmp(type, "doc") == 0    ? "doc"
                    : strcmp(type, "term") == 0 ? "std:term"
                                                : "std:ref";
    bool any = strcmp(type, "any") == 0;
    S_hit hits[4], hit;
    size_t nh = 0;
    for (size_t r = 0; r < nr; r++) {
      /* :any: looks a label and a term up in lower case (only a term
       * written so matches); :term: falls back to lower case. */
      bool lowered = any && (strcmp(roles[r], "std:ref") == 0 ||
                             strcmp(roles[r], "std:term") == 0);
      const char *t = lowered ? low : target;
      if (S_lookup(site, dir, roles[r], t, any ? NULL : low, is_explicit, &hit))
        hits[nh++] = hit;
    }
    if (nh == 0) {
      ss_buf_clear(&msg);
      S_missing(&msg, type, roles[0], target);
      ss_diag_report(diag, page->source, x->line, SS_LEVEL_WARNING, msg.data);
      S_take_attrs(x->first, x);
      while (x->first)
        ss_node_insert_before(x, ss_node_unlink(x->first));
      ss_node_free(x);
      continue;
    }
    if (nh > 1) {
      ss_buf_clear(&msg);
      ss_buf_printf(&msg,
                    "more than one target found for 'any' cross-reference "
                    "'%s': could be ",
                    target);
      for (size_t h = 0; h < nh; h++)
        ss_buf_printf(&msg, "%s:%s:`%s`", h ? " or " : "", hits[h].role,
                      target);
      ss_diag_report(diag, page->source, x->line, SS_LEVEL_WARNING, msg.data);
    }
    hit = hits[0];
    ss_node *ref = S_refnode(site, page, hit.page, hit.doc, hit.id, x->line);
    S_take_attrs(ref, x);
    if (hit.title) {
      /* As Sphinx makes :doc: and :ref:: the text the reference gives,
       * else the page's or the label's title, in an inline of class
       * "doc" or "std std-ref". */
      ss_buf_clear(&msg);
      if (is_explicit)
        ss_node_text_content(x, &msg);
      else
        ss_buf_puts(&msg, hit.title);
      ss_node *inl = ss_node_append(ref, ss_node_new(SS_INLINE, x->line));
      bool doc = strcmp(hit.role, "doc") == 0;
      ss_node_attr_add(inl, "classes", doc ? "doc" : "std");
      if (!doc)
        ss_node_attr_add(inl, "classes", "std-ref");
      ss_node_append(inl,
                     ss_text_new(msg.data ? msg.data : "", msg.len, x->line));
    } else {
      ss_node_move_children(x, ref); /* the role's own inline */
    }
    /* :any: takes the class of what it found (ReferencesResolver). */
    if (any && ref->first && ref->first->kind != SS_TEXT) {
      const char *colon = strchr(hit.role, ':');
      ss_buf_clear(&msg);
      ss_buf_put(&msg, hit.role,
                 colon ? (size_t)(colon - hit.role) : strlen(hit.role));
      ss_node_attr_add(ref->first, "classes", msg.data);
      ss_buf_clear(&msg);
      for (const char *c = hit.role; *c; c++)
        ss_buf_putc(&msg, *c == ':' ? '-' : *c);
      ss_node_attr_add(ref->first, "classes", msg.data);
    }
    ss_node_insert_before(x, ref);
    ss_node_free(x);
  }
  ss_buf_free(&msg);
  ss_buf_free(&lower);
  free(dir);
  free(refs);
}
