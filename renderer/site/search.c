/* search.c — searchindex.js: the search index, loaded by the theme's
 * script with a <script> element so that search works from file://.
 *
 *   window.specsiteSearch = {
 *     "pages":    [[url, title, release], ...],
 *     "sections": [[page, anchor, title], ...],
 *     "terms":    {"word": [section, ...], ...}
 *   };
 *
 * Terms are every section's words (lower-case alphanumeric runs of two
 * characters or more), in byte order, each with the ascending list of
 * sections holding it: a hit opens the spec at the section. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A JSON string that is also safe inside a <script>: no "</", and the
 * two line separators JavaScript once refused in strings escaped. */
static void S_json(ss_buf *out, const char *s) {
  const unsigned char *start = (const unsigned char *)(s ? s : "");
  ss_buf_putc(out, '"');
  for (const unsigned char *p = start; *p; p++) {
    if (*p == '"' || *p == '\\') {
      ss_buf_putc(out, '\\');
      ss_buf_putc(out, (char)*p);
    } else if (*p < 0x20) {
      ss_buf_printf(out, "\\u%04x", *p);
    } else if (*p == '/' && p > start && p[-1] == '<') {
      ss_buf_puts(out, "\\/");
    } else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
      ss_buf_printf(out, "\\u%04x", p[2] == 0xa8 ? 0x2028 : 0x2029);
      p += 2;
    } else {
      ss_buf_putc(out, (char)*p);
    }
  }
  ss_buf_putc(out, '"');
}

typedef struct {
  const char *word; /* into a section's words (NUL-split copy) */
  size_t len;
  int section;
} S_posting;

static int S_posting_cmp(const void *a, const void *b) {
  const S_posting *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->word, y->word, n);
  if (c)
    return c;
  if (x->len != y->len)
    return x->len < y->len ? -1 : 1;
  return (x->section > y->section) - (x->section < y->section);
}

void ss_site_search_index(const ss_site *site, ss_buf *out) {
  ss_buf_puts(out, "window.specsiteSearch={\"pages\":[");
  for (size_t i = 0; i < site->n_pages; i++) {
    const ss_page *p = &site->pages[i];
    if (i)
      ss_buf_putc(out, ',');
    ss_buf_putc(out, '[');
    S_json(out, (int)i == site->index_page ? "index.html" : p->url);
    ss_buf_putc(out, ',');
    S_json(out, p->sum.title);
    ss_buf_putc(out, ',');
    S_json(out, p->release ? p->release : "");
    ss_buf_putc(out, ']');
  }
  ss_buf_puts(out, "],\n\"sections\":[");
  S_posting *post = NULL;
  size_t n_post = 0, cap_post = 0;
  int n_sections = 0;
  for (size_t i = 0; i < site->n_pages; i++) {
    const ss_page *p = &site->pages[i];
    for (size_t k = 0; k < p->sum.n_sections; k++) {
      const ss_site_section *s = &p->sum.sections[k];
      if (!*s->anchor)
        continue;
      if (n_sections)
        ss_buf_putc(out, ',');
      ss_buf_printf(out, "[%zu,", i);
      S_json(out, s->anchor);
      ss_buf_putc(out, ',');
      S_json(out, s->title);
      ss_buf_putc(out, ']');
      for (const char *w = s->words; w && *w;) {
        const char *e = strchr(w, ' ');
        size_t len = e ? (size_t)(e - w) : strlen(w);
        if (n_post == cap_post)
          post = ss_xrealloc(post, (cap_post = cap_post ? 2 * cap_post : 4096) *
                                       sizeof *post);
        post[n_post++] = (S_posting){w, len, n_sections};
        w += len + (e != NULL);
      }
      n_sections++;
    }
  }
  ss_buf_puts(out, "],\n\"terms\":{");
  if (n_post)
    qsort(post, n_post, sizeof *post, S_posting_cmp);
  ss_buf word = SS_BUF_INIT;
  for (size_t i = 0; i < n_post; i++) {
    bool first = i == 0 || post[i].len != post[i - 1].len ||
                 memcmp(post[i].word, post[i - 1].word, post[i].len) != 0;
    if (first) {
      if (i)
        ss_buf_puts(out, "],");
      ss_buf_clear(&word);
      ss_buf_put(&word, post[i].word, post[i].len);
      S_json(out, word.data);
      ss_buf_puts(out, ":[");
    } else if (post[i].section == post[i - 1].section) {
      continue;
    } else {
      ss_buf_putc(out, ',');
    }
    ss_buf_printf(out, "%d", post[i].section);
  }
  if (n_post)
    ss_buf_putc(out, ']');
  ss_buf_puts(out, "}};\n");
  ss_buf_free(&word);
  free(post);
}
