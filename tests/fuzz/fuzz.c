/* fuzz.c — the shared part of the fuzz targets (fuzz.h). */
#define _GNU_SOURCE
#include "fuzz.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

ss_node *ss_fuzz_document(const uint8_t *data, size_t size, ss_diag *diag) {
  ss_diag_init(diag);
  diag->quiet = 1;
  ss_rst_options ro = {.path = "fuzz.rst",
                       .no_tree = true,
                       .report_level = SS_LEVEL_WARNING,
                       .diag = diag};
  ss_node *doc = ss_rst_parse((const char *)data, size, &ro);
  ss_transform_options to = {.path = "fuzz.rst", .diag = diag};
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
