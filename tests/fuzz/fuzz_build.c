/* fuzz_build.c — `specsite build` on a small repository made of the
 * input: its parts, split at lines "%%", are two specs of a release, a
 * spec of another, the template, specsite.conf and an included file.
 * The site is built twice (the second from the cache, after one spec
 * changed), then removed. */
#include <string.h>

#include "fuzz.h"
#include "site/site.h"

static const char *const S_files[] = {
    "repo/specs/1.0/a.rst", "repo/specs/1.0/b.rst",
    "repo/specs/2.0/c.rst", "repo/specs/template.rst",
    "repo/specsite.conf",   "repo/specs/1.0/inc.txt"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ss_fuzz_remove("repo");
  size_t n = sizeof S_files / sizeof *S_files, part = 0;
  const char *p = (const char *)data, *end = p + size;
  while (part < n) {
    const char *cut = NULL;
    for (const char *q = p; q + 3 <= end; q++)
      if ((q == (const char *)data || q[-1] == '\n') && q[0] == '%' &&
          q[1] == '%' && (q + 2 == end || q[2] == '\n')) {
        cut = q;
        break;
      }
    const char *stop = cut ? cut : end;
    ss_fuzz_write(S_files[part++], p, (size_t)(stop - p));
    if (!cut)
      break;
    p = cut + 3 > end ? end : cut + 3;
  }
  char src[512], out[512];
  snprintf(src, sizeof src, "%s/repo", ss_fuzz_dir());
  snprintf(out, sizeof out, "%s/out", ss_fuzz_dir());
  ss_site_options o = {.src = src, .out = out, .quiet = true, .jobs = 1};
  ss_site_build(&o, NULL);
  ss_fuzz_write(S_files[0], "=\nA\n=\n\nchanged\n", 15);
  ss_site_build(&o, NULL);
  ss_fuzz_remove("out");
  return 0;
}
