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

void ss_site_search_index(const ss_site *site, ss_buf *out) {
  ss_buf_puts(out, "window.specsiteSearch={\"pages\":[\n");
  for (size_t i = 0; i < site->n_pages; i++) {
    if (i)
      ss_buf_puts(out, ",\n");
    ss_buf_puts(out, site->pages[i].sum.search);
  }
  ss_buf_puts(out, "]};\n");
}
