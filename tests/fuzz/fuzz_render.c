/* fuzz_render.c — reader, transforms and HTML writer on any bytes, as
 * `specsite render` runs them: a whole page, then a body alone. */
#include "fuzz.h"
#include "html/html.h"
#include "util/buffer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ss_diag diag;
  ss_node *doc = ss_fuzz_document(data, size, &diag);
  ss_buf out = SS_BUF_INIT;
  ss_html_options page = {0};
  ss_html_render(doc, &page, &out);
  ss_buf_clear(&out);
  ss_html_options body = {.fragment = true};
  ss_html_render(doc, &body, &out);
  ss_buf_free(&out);
  ss_node_free(doc);
  return 0;
}
