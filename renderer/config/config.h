/* config.h — specsite.conf, the repository's configuration file.
 *
 * A small INI dialect, read by hand so that specsite needs no library
 * for it:
 *
 *   # a comment (also ';')
 *   [check]
 *   template.5.1-7.0 = templates/fuel-5.1-7.0.rst
 *   optional.8.0-10.0 = Proposed changes/Plugins
 *   extra-sections = warning
 *   licence = This work is licensed under a Creative Commons
 *     Attribution 3.0 Unported License.
 *
 * An indented line without '=' after a key's line continues its value
 * (joined with a space).
 * Each stage reads its own section ([check] today; the site build will
 * add its own) and says which keys it knows. Keys may repeat; the file
 * keeps every line in order. This module knows the syntax and release
 * patterns, nothing of what the keys mean.
 */
#ifndef SS_CONFIG_H
#define SS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/buffer.h"

typedef struct ss_config_entry {
  char *section; /* "" before any [section] header */
  char *key;
  char *value;
  int line; /* 1-based line in the file */
} ss_config_entry;

typedef struct ss_config_error {
  int line;
  char *message;
} ss_config_error;

typedef struct ss_config {
  char *path; /* as given; used in messages */
  char *dir;  /* the folder holding the file ("." when none): relative
                 paths in values are relative to it */
  ss_config_entry *items;
  size_t len, cap;
  ss_config_error *errors; /* syntax errors, in line order */
  size_t n_errors;
} ss_config;

/* Parses `len` bytes read from `path`. Syntax errors go to cfg->errors
 * (a caller prints them "path:line: error: message"); the lines that
 * parse are kept. Returns the number of errors. */
int ss_config_parse(ss_config *cfg, const char *text, size_t len,
                    const char *path);

/* Reads and parses a file. Returns -1 when it cannot be read (errno
 * set; cfg is then empty but valid), else the number of errors. */
int ss_config_load(ss_config *cfg, const char *path);

void ss_config_free(ss_config *cfg);

/* Compares two release names as versions ("9.0" < "10.0"): numeric runs
 * by value, other characters by byte. */
int ss_release_cmp(const char *a, const char *b);

/* True when `pattern` selects `release`: "*" or empty (every release),
 * a range "A-B" of versions (inclusive, compared by ss_release_cmp), a
 * glob ("9.*"), or the exact name. */
bool ss_release_match(const char *pattern, const char *release);

/* True for "yes", "true", "on", "1"; false for "no", "false", "off",
 * "0"; returns false in *ok for anything else. */
bool ss_config_bool(const char *value, bool *ok);

#endif
