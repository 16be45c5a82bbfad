/* fuzz_theme.c — the theme compiler on any layout: the bytes are the
 * theme's page.html and index.html; a theme that loads is filled with
 * slots (text with markup in it) and saved and loaded again. */
#include <string.h>

#include "fuzz.h"
#include "theme/theme.h"
#include "util/buffer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ss_fuzz_write("theme/page.html", data, size);
  ss_fuzz_write("theme/index.html", data, size);
  char dir[512];
  snprintf(dir, sizeof dir, "%s/theme", ss_fuzz_dir());
  ss_diag diag;
  ss_diag_init(&diag);
  diag.quiet = 1;
  ss_theme *t = ss_theme_load(dir, &diag);
  if (t) {
    ss_buf saved = SS_BUF_INIT;
    ss_theme_save(t, &saved);
    ss_theme *again = ss_theme_load_saved(dir, saved.data, saved.len, &diag);
    if (again)
      ss_theme_free(again);
    ss_buf_free(&saved);
    ss_theme_free(t);
  }
  return 0;
}
