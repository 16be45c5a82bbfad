/* settings.h — what repo.c (finding files, checking them) and
 * settings.c (the [check] section of specsite.conf: its keys, their
 * scopes, the rules of each file) share. Internal to check/. */
#ifndef SS_CHECK_SETTINGS_H
#define SS_CHECK_SETTINGS_H

#include "../config/config.h"
#include "check.h"

/* The lists of a file's rules point into the configuration; `pool`
 * holds them (one slot per configuration line is always enough). */
typedef struct {
  ss_check_rules rules;
  const char **pool;
  size_t slots; /* of pool */
  char *tmpl_path;
} ss_check_file_rules;

/* A repository root and its configuration, read once per run. */
typedef struct ss_check_root {
  char *root; /* repository root as the user reached it ("." or a path) */
  ss_config cfg;
  bool has_cfg;
  bool spec_layout; /* the root holds specs/ */
  /* Without path scopes (a key scoped by a glob over paths) a file's rules
   * depend on its release and kind (.txt or not) alone: the last file's rules
   * are kept and copied while those stay the same (ss_check_rules_for). */
  int path_scoped; /* -1: not looked at yet */
  bool has_memo, memo_txt;
  char *memo_release;
  ss_check_file_rules memo;
  struct ss_check_root *next;
} ss_check_root;

typedef struct ss_check_tmpl {
  char *path;
  ss_check_template *t; /* NULL: unreadable */
  struct ss_check_tmpl *next;
} ss_check_tmpl;

struct ss_check_job;

/* One run of the check: its options, report, the roots and templates
 * read so far, and the files found (repo.c). */
typedef struct ss_check_run {
  const ss_check_options *opts;
  ss_check_report *r;
  ss_check_root *roots;
  ss_check_tmpl *tmpls;
  bool ok;
  /* what the walk found, in report order; checked afterwards by worker
   * threads, the problems joining r in this order */
  struct ss_check_job *jobs;
  size_t n_jobs, cap_jobs;
  ss_buf explain; /* --explain's text, r->explain at the end */
} ss_check_run;

/* Paths: `name` below `dir` ("." and "" add nothing); tests. */
char *ss_check_join(const char *dir, const char *name);
bool ss_check_is_file(const char *path);
bool ss_check_is_dir(const char *path);
bool ss_check_ends_with(const char *s, const char *suffix);

/* A glob over a path below the root (see settings.c). */
bool ss_check_glob(const char *pat, const char *path);

/* A template, read once per run; NULL when it cannot be read. */
const ss_check_template *ss_check_template_at(ss_check_run *run,
                                              const char *path);

/* The root at `dir`, its configuration read and checked the first time
 * (its problems reported then). */
ss_check_root *ss_check_root_get(ss_check_run *run, const char *dir);

/* Does `key` (base or base.<scope>) apply to a file of `release` (NULL
 * outside specs/<release>/) at `rel` (its path below the root)? */
bool ss_check_key_for(const char *key, const char *base, const char *release,
                      const char *rel);

/* The rules of one file; ss_check_rules_free releases them. */
void ss_check_rules_for(ss_check_run *run, ss_check_root *root,
                        const char *release, const char *rel, const char *path,
                        ss_check_file_rules *f);
void ss_check_rules_free(ss_check_file_rules *f);
/* What a root keeps between files (its memo); not the root itself. */
void ss_check_root_free_memo(ss_check_root *root);

/* Is `rel` (or a folder above it) excluded? Is `path` a configured
 * template (not a spec, in the spec layout)? */
bool ss_check_excluded(const ss_check_root *root, const char *rel);
bool ss_check_is_template(const ss_check_root *root, const char *path);

#endif
