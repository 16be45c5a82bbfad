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

#define S_HEAD "window.specsiteSearch={\"pages\":[\n"
#define S_SEPARATOR ",\n"
#define S_TAIL "]};\n"

void ss_site_search_index(const ss_site *site, ss_buf *out) {
  ss_buf_puts(out, S_HEAD);
  for (size_t i = 0; i < site->n_pages; i++) {
    if (i)
      ss_buf_puts(out, S_SEPARATOR);
    ss_buf_put(out, site->pages[i].sum.search, site->pages[i].sum.search_len);
  }
  ss_buf_puts(out, S_TAIL);
}

void ss_site_search_layout(ss_site *site) {
  int64_t at = (int64_t)strlen(S_HEAD);
  for (size_t i = 0; i < site->n_pages; i++) {
    if (i)
      at += (int64_t)strlen(S_SEPARATOR);
    site->pages[i].sum.search_at = at;
    at += (int64_t)site->pages[i].sum.search_len;
  }
  site->search_index_size = at + (int64_t)strlen(S_TAIL);
}

bool ss_site_search_borrow(ss_site *site) {
  if (!site->search_data) {
    char *path = ss_path_join(site->out, SS_SITE_SEARCH_INDEX);
    site->search_data = ss_fs_map(path, &site->search_data_len);
    free(path);
  }
  for (size_t i = 0; i < site->n_pages; i++) {
    ss_site_summary *sum = &site->pages[i].sum;
    if (sum->search)
      continue;
    /* Cheap checks that it is the file the cache describes: the entry
     * fits, and is a JSON array. */
    if (!site->search_data || sum->search_at < 0 || sum->search_len < 2 ||
        (uint64_t)sum->search_at + sum->search_len > site->search_data_len)
      return false;
    char *entry = site->search_data + sum->search_at;
    if (entry[0] != '[' || entry[sum->search_len - 1] != ']')
      return false;
    sum->search = entry;
  }
  return true;
}
