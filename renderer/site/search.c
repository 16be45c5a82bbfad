/* search.c — searchindex.js: the search index, loaded by the theme's
 * script with a <script> element so that search works from file://.
 *
 *   window.specsiteSearch = {"pages": [
 *     [url, title, release, [[anchor, section title, "words ..."], ...]],
 *     ...]};
 *
 * A page's entry is made by the worker that read the page and kept in
 * the cache, so a rebuild joins strings instead of indexing the site
 * again. Words are each section's own text (and title) as lower-case
 * alphanumeric runs of two characters or more, each once; the script
 * matches query words against them (prefix on the last one) and a hit
 * opens the spec at the section. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A JSON string that is also safe inside a <script>: no "</", and the
 * two line separators JavaScript once refused in strings escaped. */
void ss_site_json(ss_buf *out, const char *s) {
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

void ss_site_search_index(const ss_site *site, ss_buf *out) {
  ss_buf_puts(out, "window.specsiteSearch={\"pages\":[\n");
  for (size_t i = 0; i < site->n_pages; i++) {
    if (i)
      ss_buf_puts(out, ",\n");
    ss_buf_puts(out, site->pages[i].sum.search);
  }
  ss_buf_puts(out, "]};\n");
}
