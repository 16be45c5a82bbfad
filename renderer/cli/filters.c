/* filters.c — `--filter FILE` on render and ast: one Lua state for the
 * run, the filters applied after the transforms, before the writer. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../filter/filter.h"
#include "cli.h"

int ss_cli_filter(ss_node **doc, const char *path, const char *output,
                  const char *const *filters, int nfilters, bool unsafe,
                  ss_diag *diag) {
  /* An unreadable filter is like an unreadable input: bad usage. */
  for (int i = 0; i < nfilters; i++) {
    FILE *f = fopen(filters[i], "r");
    if (!f) {
      fprintf(stderr, "specsite: cannot read filter %s: %s\n", filters[i],
              strerror(errno));
      return SS_EXIT_USAGE;
    }
    fclose(f);
  }
  ss_filter_options fo = {.unsafe = unsafe, .diag = diag};
  ss_filter_set *fs = ss_filter_set_new(&fo);
  if (!fs) {
    fputs("specsite: cannot start Lua for the filters\n", stderr);
    return SS_EXIT_PROBLEM;
  }
  int rc = SS_EXIT_OK;
  for (int i = 0; i < nfilters && rc == SS_EXIT_OK; i++) {
    if (!ss_filter_set_load(fs, filters[i])) {
      fprintf(stderr, "specsite: %s\n", ss_filter_error(fs));
      rc = SS_EXIT_PROBLEM;
    }
  }
  if (rc == SS_EXIT_OK) {
    ss_buf release = SS_BUF_INIT, title = SS_BUF_INIT;
    ss_filter_release_of(path, &release);
    ss_filter_page_title(*doc, &title);
    bool to_stdout = !output || strcmp(output, "-") == 0;
    ss_filter_page page = {.source = path,
                           .url = to_stdout ? "" : output,
                           .release = release.data ? release.data : "",
                           .title = title.data ? title.data : ""};
    if (!ss_filter_set_run(fs, doc, &page)) {
      fprintf(stderr, "specsite: %s\n", ss_filter_error(fs));
      rc = SS_EXIT_PROBLEM;
    }
    ss_buf_free(&release);
    ss_buf_free(&title);
  }
  ss_filter_set_free(fs);
  return rc;
}
