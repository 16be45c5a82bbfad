/* fuzz.c — the shared part of the fuzz targets (fuzz.h). */
#define _GNU_SOURCE
#include "fuzz.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The files a fuzzed document may include: the source tree it is read
 * in, so that include and literalinclude (and their options) are
 * reached. */
static const char *S_tree_path(void) {
  static char path[600];
  if (!path[0]) {
    static const char code[] =
        "import os\n\n\nclass Foo(object):\n    \"\"\"Doc.\"\"\"\n\n"
        "    def bar(self, x):\n        return x + 1\n\n\n"
        "def baz():\n    # start here\n    pass\n    # end here\n";
    static const char rst[] = "Included\n--------\n\nText *with* `a link`_.\n"
                              "\n.. _a link: https://example.org/\n";
    ss_fuzz_write("tree/code.py", code, sizeof code - 1);
    ss_fuzz_write("tree/inc.rst", rst, sizeof rst - 1);
    ss_fuzz_write("tree/data.csv", "a,b\n1,\"2, 3\"\n", 14);
    ss_fuzz_write("tree/x.json", "{\"a\": [1, 2]}\n", 15);
    ss_fuzz_write("tree/sub/deep.txt", "deep\n\tline\n", 12);
    snprintf(path, sizeof path, "%s/tree/fuzz.rst", ss_fuzz_dir());
  }
  return path;
}

ss_node *ss_fuzz_document(const uint8_t *data, size_t size, ss_diag *diag) {
  ss_diag_init(diag);
  diag->quiet = 1;
  const char *path = S_tree_path();
  ss_rst_options ro = {
      .path = path, .report_level = SS_LEVEL_WARNING, .diag = diag};
  ss_node *doc = ss_rst_parse((const char *)data, size, &ro);
  ss_transform_options to = {.path = path, .diag = diag};
  ss_transform_document(doc, &to);
  return doc;
}

static char S_dir[64];

static int S_remove_one(const char *path, const struct stat *sb, int type,
                        struct FTW *ftw) {
  (void)sb;
  (void)ftw;
  return type == FTW_DP ? rmdir(path) : unlink(path);
}

static void S_cleanup(void) {
  if (S_dir[0])
    nftw(S_dir, S_remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *ss_fuzz_dir(void) {
  if (!S_dir[0]) {
    const char *tmp = getenv("TMPDIR");
    snprintf(S_dir, sizeof S_dir, "%s/specsite-fuzz.XXXXXX",
             tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
    if (!mkdtemp(S_dir))
      abort();
    atexit(S_cleanup);
  }
  return S_dir;
}

static void S_mkdirs_for(char *path) {
  for (char *p = path + 1; *p; p++)
    if (*p == '/') {
      *p = '\0';
      mkdir(path, 0777);
      *p = '/';
    }
}

void ss_fuzz_write(const char *name, const void *data, size_t len) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", ss_fuzz_dir(), name);
  S_mkdirs_for(path);
  FILE *f = fopen(path, "wb");
  if (!f)
    abort();
  if (len)
    fwrite(data, 1, len, f);
  fclose(f);
}

void ss_fuzz_remove(const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", ss_fuzz_dir(), name);
  nftw(path, S_remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
