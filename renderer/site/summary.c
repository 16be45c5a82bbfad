/* summary.c — what the generated pages need of a spec, read off its tree
 * once: title, sections (outline, main-section bar, impact index,
 * search), blueprint, primary assignee, referenced images.
 *
 * One walk; sections are numbered by nesting (the page's title section
 * is level 0), and each section's own text (without its subsections)
 * is gathered for the search words and the "says more than None"
 * test of impact sections. */
#define _GNU_SOURCE /* strcasestr */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../html/html.h"
#include "internal.h"

void ss_site_summary_free(ss_site_summary *sum) {
  if (!sum->borrowed) {
    free(sum->title);
    free(sum->blueprint);
    free(sum->assignee);
    free(sum->search);
    free(sum->messages);
    for (size_t i = 0; i < sum->n_sections; i++) {
      free(sum->sections[i].title);
      free(sum->sections[i].anchor);
    }
    for (size_t i = 0; i < sum->n_refs; i++) {
      free(sum->refs[i].path);
      free(sum->refs[i].uri);
    }
    for (size_t i = 0; i < sum->n_deps; i++)
      free(sum->deps[i].path);
    for (size_t i = 0; i < sum->n_labels; i++) {
      free(sum->labels[i].name);
      free(sum->labels[i].id);
      free(sum->labels[i].title);
    }
    for (size_t i = 0; i < sum->n_citations; i++) {
      free(sum->citations[i].name);
      free(sum->citations[i].id);
      free(sum->citations[i].title);
    }
    for (size_t i = 0; i < sum->n_objects; i++) {
      free(sum->objects[i].name);
      free(sum->objects[i].type);
      free(sum->objects[i].anchor);
    }
  }
  free(sum->objects);
  free(sum->citations);
  ss_site_toctrees_free(sum->toctrees, sum->n_toctrees, sum->borrowed);
  free(sum->sections);
  free(sum->refs);
  free(sum->deps);
  free(sum->labels);
  free(sum->body);
  memset(sum, 0, sizeof *sum);
}

/* --- words --------------------------------------------------------------- */

void ss_site_words(const char *text, size_t len, ss_buf *out) {
  size_t i = 0;
  while (i < len) {
    while (i < len &&
           !(isalnum((unsigned char)text[i]) || (unsigned char)text[i] >= 0x80))
      i++;
    size_t start = i;
    while (i < len &&
           (isalnum((unsigned char)text[i]) || (unsigned char)text[i] >= 0x80))
      i++;
    if (i - start < 2)
      continue;
    if (out->len)
      ss_buf_putc(out, ' ');
    for (size_t k = start; k < i; k++)
      ss_buf_putc(out, (char)tolower((unsigned char)text[k]));
  }
}

/* The words of a text, each once, in the order they first appear: an
 * open-addressing set over the word list (sorting the words of every
 * section cost more than all the rest of the summary). */
static char *S_unique_words(const char *text, size_t len) {
  ss_buf all = SS_BUF_INIT;
  ss_site_words(text, len, &all);
  if (!all.len) {
    ss_buf_free(&all);
    return ss_xstrdup("");
  }
  size_t n = 1;
  for (size_t i = 0; i < all.len; i++)
    n += all.data[i] == ' ';
  size_t cap = 16;
  while (cap < 2 * n)
    cap *= 2;
  /* Slots hold a word's offset + 1 in `all` (0 = empty). */
  size_t *slot = ss_xcalloc(cap, sizeof *slot);
  ss_buf out = SS_BUF_INIT;
  for (size_t start = 0; start < all.len;) {
    const char *w = all.data + start;
    const char *sp = memchr(w, ' ', all.len - start);
    size_t wl = sp ? (size_t)(sp - w) : all.len - start;
    uint64_t h = ss_digest(SS_DIGEST_INIT, w, wl);
    size_t i = (size_t)h & (cap - 1);
    bool seen = false;
    while (slot[i]) {
      const char *o = all.data + slot[i] - 1;
      if (strncmp(o, w, wl) == 0 && (o[wl] == ' ' || o[wl] == '\0')) {
        seen = true;
        break;
      }
      i = (i + 1) & (cap - 1);
    }
    if (!seen) {
      slot[i] = start + 1;
      if (out.len)
        ss_buf_putc(&out, ' ');
      ss_buf_put(&out, w, wl);
    }
    start += wl + 1;
  }
  free(slot);
  ss_buf_free(&all);
  return out.data ? ss_buf_detach(&out) : ss_xstrdup("");
}

/* --- helpers ------------------------------------------------------------- */

/* Text with runs of white space made one space, trimmed. */
static char *S_collapse(const char *s, size_t len) {
  ss_buf out = SS_BUF_INIT;
  bool space = false;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (isspace(c)) {
      space = out.len > 0;
      continue;
    }
    if (space)
      ss_buf_putc(&out, ' ');
    space = false;
    ss_buf_putc(&out, (char)c);
  }
  return out.data ? ss_buf_detach(&out) : ss_xstrdup("");
}

/* "None", "None.", "N/A", "No impact" and empty say nothing. */
static bool S_says_something(const char *text, size_t len) {
  ss_buf key = SS_BUF_INIT;
  for (size_t i = 0; i < len; i++)
    if (isalnum((unsigned char)text[i]) || (unsigned char)text[i] >= 0x80)
      ss_buf_putc(&key, (char)tolower((unsigned char)text[i]));
  const char *k = key.data ? key.data : "";
  bool nothing = !*k || strcmp(k, "none") == 0 || strcmp(k, "na") == 0 ||
                 strcmp(k, "noimpact") == 0 || strcmp(k, "nothing") == 0;
  ss_buf_free(&key);
  return !nothing;
}

/* The definition or field body that follows a term naming the primary
 * assignee, collapsed; or the text after "Primary assignee:" in a
 * paragraph. */
static char *S_assignee(ss_node *section) {
  ss_iter it;
  ss_iter_init(&it, section);
  ss_buf t = SS_BUF_INIT;
  char *found = NULL;
  ss_event ev;
  while (!found && (ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (ev != SS_EVENT_ENTER)
      continue;
    if (n->kind == SS_TERM || n->kind == SS_FIELD_NAME) {
      ss_buf_clear(&t);
      ss_node_text_content(n, &t);
      if (t.len >= 16 && strncasecmp(t.data, "primary assignee", 16) == 0) {
        ss_node *body = n->kind == SS_TERM ? n->parent->last : n->next;
        if (body && body != n) {
          ss_buf_clear(&t);
          ss_node_text_content(body, &t);
          found = S_collapse(t.data ? t.data : "", t.len);
        }
      }
      ss_iter_skip_children(&it);
    } else if (n->kind == SS_PARAGRAPH) {
      ss_buf_clear(&t);
      ss_node_text_content(n, &t);
      const char *p = t.data ? strcasestr(t.data, "primary assignee") : NULL;
      const char *colon = p ? strchr(p, ':') : NULL;
      if (colon) {
        const char *end = strchr(colon, '\n');
        if (!end)
          end = t.data + t.len;
        found = S_collapse(colon + 1, (size_t)(end - colon - 1));
      }
      ss_iter_skip_children(&it);
    }
  }
  ss_buf_free(&t);
  if (found && !*found) {
    free(found);
    found = NULL;
  }
  return found;
}

/* An object a domain directive describes, as its domain lists it:
 * httpdomain by its path, the others by their qualified name. */
static void S_note_object(ss_site_summary *sum, const ss_node *sig) {
  const ss_node *desc = sig->parent;
  const char *domain = ss_node_attr_get(desc, "domain");
  const char *objtype = ss_node_attr_get(desc, "objtype");
  const char *noindex = ss_node_attr_get(desc, "noindex");
  const char *ids = ss_node_attr_get(sig, "ids");
  const char *name = ss_node_attr_get(sig, "path");
  if (!name || (domain && strcmp(domain, "http") != 0))
    name = ss_node_attr_get(sig, "fullname");
  if (!domain || !objtype || !ids || !*ids || !name || !*name ||
      (noindex && strcmp(noindex, "True") == 0))
    return;
  const char *sp = strchr(ids, ' ');
  ss_buf type = SS_BUF_INIT;
  ss_buf_printf(&type, "%s:%s", domain, objtype);
  sum->objects =
      ss_xrealloc(sum->objects, (sum->n_objects + 1) * sizeof *sum->objects);
  sum->objects[sum->n_objects++] = (ss_site_object){
      ss_xstrdup(name), ss_buf_detach(&type),
      sp ? ss_xstrndup(ids, (size_t)(sp - ids)) : ss_xstrdup(ids), sig->line};
}

/* A glossary's term, which Sphinx's standard domain notes as an object
 * (:term: names it, objects.inv lists it). */
static void S_note_term(ss_site_summary *sum, const ss_node *term) {
  const ss_node *up = term->parent;
  while (up && up->kind != SS_GLOSSARY)
    up = up->parent;
  const char *ids = ss_node_attr_get(term, "ids");
  if (!up || !ids || !*ids)
    return;
  ss_buf text = SS_BUF_INIT;
  ss_node_text_content(term, &text);
  sum->objects =
      ss_xrealloc(sum->objects, (sum->n_objects + 1) * sizeof *sum->objects);
  sum->objects[sum->n_objects++] = (ss_site_object){
      text.data ? ss_buf_detach(&text) : ss_xstrdup(""), ss_xstrdup("std:term"),
      ss_xstrndup(ids, strcspn(ids, " ")), term->line};
}

/* --- the walk ----------------------------------------------------------- */

typedef struct {
  ss_site_section *items;
  size_t len, cap;
} S_sections;

static void S_section_text(ss_node *section, ss_buf *out) {
  for (ss_node *c = section->first; c; c = c->next)
    if (c->kind != SS_SECTION && c->kind != SS_TITLE) {
      ss_node_text_content(c, out);
      ss_buf_putc(out, ' ');
    }
}

void ss_site_summarize(const ss_site *site, ss_page *page, ss_node *doc,
                       const char *url) {
  ss_site_summary *sum = &page->sum;
  S_sections secs = {0};
  ss_buf text = SS_BUF_INIT;
  ss_buf search = SS_BUF_INIT; /* the sections' part of the search entry */
  ss_node *assignee_section = NULL;
  ss_buf key_a = SS_BUF_INIT;

  /* Text before the first section belongs to no section: search still
   * finds the page by its title. */
  ss_iter it;
  ss_iter_init(&it, doc);
  int level = -1;
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (n->kind == SS_SECTION) {
      if (ev == SS_EVENT_EXIT) {
        level--;
        continue;
      }
      level++;
      ss_node *title = ss_node_child(n, SS_TITLE);
      const char *id = ss_node_attr_get(n, "ids");
      ss_buf_clear(&text);
      if (title)
        ss_node_text_content(title, &text);
      char *t = S_collapse(text.data ? text.data : "", text.len);
      if (!sum->title && level == 0)
        sum->title = ss_xstrdup(t);
      if (secs.len == secs.cap) {
        secs.cap = secs.cap ? 2 * secs.cap : 16;
        secs.items = ss_xrealloc(secs.items, secs.cap * sizeof *secs.items);
      }
      ss_site_section *s = &secs.items[secs.len++];
      memset(s, 0, sizeof *s);
      s->title = t;
      /* ids is a list: the first is the section's own anchor. */
      const char *sp = id ? strchr(id, ' ') : NULL;
      s->anchor =
          id ? (sp ? ss_xstrndup(id, (size_t)(sp - id)) : ss_xstrdup(id))
             : ss_xstrdup("");
      s->level = level;
      s->canon = ss_site_canonical_title(site, t);
      s->main =
          level == 1 && s->canon >= 0 && (size_t)s->canon < site->n_main_titles;
      ss_buf_clear(&text);
      ss_buf_puts(&text, t);
      ss_buf_putc(&text, ' ');
      S_section_text(n, &text);
      if (s->canon >= 0 && (size_t)s->canon >= site->n_main_titles) {
        size_t tl = strlen(t);
        s->says_something =
            S_says_something(text.data + tl + 1, text.len - tl - 1);
      }
      if (*s->anchor) {
        char *words = S_unique_words(text.data, text.len);
        if (search.len)
          ss_buf_putc(&search, ',');
        ss_buf_putc(&search, '[');
        ss_buf_put_json(&search, s->anchor);
        ss_buf_putc(&search, ',');
        ss_buf_put_json(&search, s->title);
        ss_buf_putc(&search, ',');
        ss_buf_put_json(&search, words);
        ss_buf_putc(&search, ']');
        free(words);
      }
      /* "Assignee(s)", or what the repository's aliases make of it. */
      if (!assignee_section) {
        ss_buf_clear(&key_a);
        for (const char *p = t; *p; p++)
          if (isalpha((unsigned char)*p))
            ss_buf_putc(&key_a, (char)tolower((unsigned char)*p));
        if (key_a.len >= 8 && strncmp(key_a.data, "assignee", 8) == 0)
          assignee_section = n;
      }
      continue;
    }
    if (ev != SS_EVENT_ENTER)
      continue;
    if (n->kind == SS_TOCTREE) {
      /* Where the page's table of contents has it (toctree.c). */
      sum->toctrees = ss_xrealloc(sum->toctrees, (sum->n_toctrees + 1) *
                                                     sizeof *sum->toctrees);
      const char *glob = ss_node_attr_get(n, "glob");
      const char *hidden = ss_node_attr_get(n, "hidden");
      const char *reversed = ss_node_attr_get(n, "ss-reversed");
      ss_site_toctree *t = &sum->toctrees[sum->n_toctrees++];
      *t = (ss_site_toctree){.after = (int)secs.len,
                             .level = level,
                             .line = n->line,
                             .glob = glob && strcmp(glob, "True") == 0,
                             .hidden = hidden && strcmp(hidden, "True") == 0,
                             .reversed =
                                 reversed && strcmp(reversed, "True") == 0};
      const char *entries =
          ss_node_attr_get(n, t->glob ? "rawentries" : "entries");
      t->entries = ss_xstrdup(entries ? entries : "[]");
    } else if (n->kind == SS_DESC_SIGNATURE && n->parent &&
               n->parent->kind == SS_DESC) {
      S_note_object(sum, n);
    } else if (n->kind == SS_TERM) {
      S_note_term(sum, n);
    } else if (n->kind == SS_DOWNLOAD_REFERENCE &&
               !ss_node_attr_get(n, "refuri")) {
      /* A file the page offers: copied to _downloads/ (images.c). */
      const char *target = ss_node_attr_get(n, "reftarget");
      char *path = ss_site_download_path(page->docname, target);
      sum->refs = ss_xrealloc(sum->refs, (sum->n_refs + 1) * sizeof *sum->refs);
      sum->refs[sum->n_refs++] =
          (ss_site_ref){.path = path,
                        .uri = ss_xstrdup(target ? target : ""),
                        .line = n->line,
                        .download = true};
    } else if (n->kind == SS_REFERENCE && !sum->blueprint) {
      const char *uri = ss_node_attr_get(n, "refuri");
      if (uri && strstr(uri, "blueprints.launchpad.net/") &&
          ss_html_uri_is_safe(uri, false))
        sum->blueprint = ss_xstrdup(uri);
    } else if (n->kind == SS_IMAGE) {
      const char *uri = ss_node_attr_get(n, "uri");
      char *dir = ss_path_dir(page->docname);
      char *path = ss_site_image_path(dir, uri);
      free(dir);
      /* One climbing out of the source root: its path is NULL. */
      if (path || (uri && strncmp(uri, "..", 2) == 0)) {
        sum->refs =
            ss_xrealloc(sum->refs, (sum->n_refs + 1) * sizeof *sum->refs);
        sum->refs[sum->n_refs++] =
            (ss_site_ref){.path = path,
                          .uri = ss_xstrdup(uri),
                          .line = n->line,
                          .scaled = ss_node_attr_get(n, "scale") &&
                                    !(ss_node_attr_get(n, "width") &&
                                      ss_node_attr_get(n, "height"))};
      }
    }
  }
  if (assignee_section)
    sum->assignee = S_assignee(assignee_section);
  if (!sum->title)
    sum->title = ss_xstrdup(page->docname);
  sum->sections = secs.items;
  sum->n_sections = secs.len;
  sum->listing_digest = ss_site_listing_digest(sum);
  ss_buf entry = SS_BUF_INIT;
  ss_buf_putc(&entry, '[');
  ss_buf enc = SS_BUF_INIT;
  ss_path_url(&enc, url);
  ss_buf_put_json(&entry, enc.data ? enc.data : "");
  ss_buf_free(&enc);
  ss_buf_putc(&entry, ',');
  ss_buf_put_json(&entry, sum->title);
  ss_buf_putc(&entry, ',');
  ss_buf_put_json(&entry, page->release ? page->release : "");
  ss_buf_puts(&entry, ",[");
  ss_buf_put(&entry, search.data ? search.data : "", search.len);
  ss_buf_puts(&entry, "]]");
  sum->search_digest = ss_digest(SS_DIGEST_INIT, entry.data, entry.len);
  sum->search_len = entry.len;
  sum->search = ss_buf_detach(&entry);
  ss_buf_free(&search);
  ss_buf_free(&text);
  ss_buf_free(&key_a);
}

/* Strings with their NUL, so that ("ab","c") and ("a","bc") differ;
 * NULL as a lone 0xff. */
static uint64_t S_digest_str(uint64_t h, const char *s) {
  return s ? ss_digest(h, s, strlen(s) + 1) : ss_digest(h, "\xff", 1);
}

uint64_t ss_site_listing_digest(const ss_site_summary *sum) {
  uint64_t h = S_digest_str(SS_DIGEST_INIT, sum->title);
  h = S_digest_str(h, sum->blueprint);
  h = S_digest_str(h, sum->assignee);
  for (size_t i = 0; i < sum->n_sections; i++) {
    const ss_site_section *sec = &sum->sections[i];
    int bits[4] = {sec->level, sec->canon, sec->main, sec->says_something};
    h = S_digest_str(h, sec->title);
    h = S_digest_str(h, sec->anchor);
    h = ss_digest(h, bits, sizeof bits);
  }
  /* Citations elsewhere may be this page's. */
  for (size_t i = 0; i < sum->n_citations; i++) {
    h = S_digest_str(h, sum->citations[i].name);
    h = S_digest_str(h, sum->citations[i].id);
  }
  /* objects.inv lists them. */
  for (size_t i = 0; i < sum->n_objects; i++) {
    h = S_digest_str(h, sum->objects[i].name);
    h = S_digest_str(h, sum->objects[i].type);
    h = S_digest_str(h, sum->objects[i].anchor);
  }
  /* Images are named by what every page shows (images.c). */
  for (size_t i = 0; i < sum->n_refs; i++)
    h = S_digest_str(h, sum->refs[i].path);
  /* Toctrees elsewhere that list the page list what its own list. */
  for (size_t i = 0; i < sum->n_toctrees; i++) {
    const ss_site_toctree *t = &sum->toctrees[i];
    int bits[6] = {t->after, t->level,  t->line,
                   t->glob,  t->hidden, t->reversed};
    h = ss_digest(h, bits, sizeof bits);
    h = S_digest_str(h, t->entries);
  }
  /* :ref: in other pages shows these. */
  for (size_t i = 0; i < sum->n_labels; i++) {
    h = S_digest_str(h, sum->labels[i].name);
    h = S_digest_str(h, sum->labels[i].id);
    h = S_digest_str(h, sum->labels[i].title);
    int bits[2] = {sum->labels[i].line, sum->labels[i].titled};
    h = ss_digest(h, bits, sizeof bits);
  }
  return h & 0x7fffffffffffffffULL; /* as the cache stores it */
}
