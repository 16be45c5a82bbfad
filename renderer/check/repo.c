/* repo.c — finding the specs of a repository, the template and rules
 * that apply to each release, and the [check] section of specsite.conf
 * (check.h). Configuration and templates are read once per run. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../config/config.h"
#include "../util/buffer.h"
#include "check.h"

/* Folders below specs/<release>/ are followed this deep at most. */
#define S_MAX_DIR_DEPTH 8

typedef struct S_root {
  char *root; /* repository root as the user reached it ("." or a path) */
  ss_config cfg;
  bool has_cfg;
  bool warn_extra;
  struct S_root *next;
} S_root;

typedef struct S_tmpl {
  char *path;
  ss_check_template *t; /* NULL: unreadable */
  struct S_tmpl *next;
} S_tmpl;

typedef struct {
  const ss_check_options *opts;
  ss_check_report *r;
  S_root *roots;
  S_tmpl *tmpls;
  bool ok;
} S_run;

static char *S_join(const char *dir, const char *name) {
  if (!dir[0] || strcmp(dir, ".") == 0 || name[0] == '/')
    return ss_xstrdup(name);
  ss_buf b = SS_BUF_INIT;
  size_t n = strlen(dir);
  ss_buf_printf(&b, "%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name);
  return ss_buf_detach(&b);
}

static bool S_is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool S_ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static const ss_check_template *S_template(S_run *run, const char *path) {
  for (S_tmpl *t = run->tmpls; t; t = t->next)
    if (strcmp(t->path, path) == 0)
      return t->t;
  S_tmpl *t = ss_xcalloc(1, sizeof *t);
  t->path = ss_xstrdup(path);
  size_t len = 0;
  char *text = ss_read_file(path, &len);
  if (text) {
    t->t = ss_check_template_new(text, len, path);
    free(text);
  }
  t->next = run->tmpls;
  run->tmpls = t;
  return t->t;
}

static void S_config_problem(S_run *run, const ss_config *cfg,
                             const ss_config_entry *e, const char *fmt,
                             const char *arg) {
  ss_buf b = SS_BUF_INIT;
  ss_buf_printf(&b, fmt, arg);
  ss_check_report_add(run->r, cfg->path, e->line, 0, SS_CHECK_ERROR, b.data);
  ss_buf_free(&b);
}

/* Checks the [check] keys once, when the file is read, so that a typo
 * is reported once and not per spec. */
static void S_validate_config(S_run *run, S_root *root) {
  for (size_t i = 0; i < root->cfg.len; i++) {
    const ss_config_entry *e = &root->cfg.items[i];
    if (strcmp(e->section, "check") != 0)
      continue; /* other commands' sections */
    if (strcmp(e->key, "warn-extra-sections") == 0) {
      bool ok;
      root->warn_extra = ss_config_bool(e->value, &ok);
      if (!ok)
        S_config_problem(run, &root->cfg, e,
                         "warn-extra-sections takes yes or no, not '%s'",
                         e->value);
    } else if (strcmp(e->key, "template") == 0 ||
               strncmp(e->key, "template.", 9) == 0) {
      char *p = S_join(root->cfg.dir, e->value);
      if (!e->value[0] || !S_is_file(p))
        S_config_problem(run, &root->cfg, e, "cannot read template '%s'", p);
      else
        S_template(run, p);
      free(p);
    } else if (strcmp(e->key, "lines") == 0 ||
               strncmp(e->key, "lines.", 6) == 0) {
      bool ok;
      ss_config_bool(e->value, &ok);
      if (!ok)
        S_config_problem(run, &root->cfg, e, "lines takes yes or no, not '%s'",
                         e->value);
    } else if (strcmp(e->key, "optional") == 0 ||
               strncmp(e->key, "optional.", 9) == 0) {
      if (!e->value[0])
        S_config_problem(run, &root->cfg, e, "%s",
                         "optional needs a section path such as "
                         "'Proposed changes/Plugins'");
    } else {
      S_config_problem(run, &root->cfg, e,
                       "unknown key '%s' in [check] (known: template, "
                       "optional, lines, warn-extra-sections)",
                       e->key);
    }
  }
}

static S_root *S_root_get(S_run *run, const char *root) {
  for (S_root *r = run->roots; r; r = r->next)
    if (strcmp(r->root, root) == 0)
      return r;
  S_root *r = ss_xcalloc(1, sizeof *r);
  r->root = ss_xstrdup(root);
  r->next = run->roots;
  run->roots = r;
  char *path = run->opts->config ? ss_xstrdup(run->opts->config)
                                 : S_join(root, "specsite.conf");
  int n = ss_config_load(&r->cfg, path);
  if (n < 0 && run->opts->config) {
    ss_check_report_add(run->r, path, 0, 0, SS_CHECK_ERROR,
                        "cannot read the configuration file");
    run->ok = false;
  }
  r->has_cfg = n >= 0;
  for (size_t i = 0; i < r->cfg.n_errors; i++)
    ss_check_report_add(run->r, r->cfg.path, r->cfg.errors[i].line, 0,
                        SS_CHECK_ERROR, r->cfg.errors[i].message);
  free(path);
  if (r->has_cfg)
    S_validate_config(run, r);
  return r;
}

static bool S_key_for(const char *key, const char *base, const char *release) {
  size_t n = strlen(base);
  if (strncmp(key, base, n) != 0)
    return false;
  if (key[n] == '\0')
    return true;
  return key[n] == '.' && ss_release_match(key + n + 1, release);
}

/* The template of a release: the configuration's last matching
 * template line, else specs/<release>-template.rst, else
 * specs/<release>/template.rst, else specs/template.rst. */
static char *S_template_path(S_root *root, const char *release) {
  const char *chosen = NULL;
  for (size_t i = 0; i < root->cfg.len; i++) {
    const ss_config_entry *e = &root->cfg.items[i];
    if (strcmp(e->section, "check") == 0 &&
        S_key_for(e->key, "template", release) && e->value[0])
      chosen = e->value;
  }
  if (chosen)
    return S_join(root->cfg.dir, chosen);
  ss_buf b = SS_BUF_INIT;
  const char *forms[] = {"specs/%s-template.rst", "specs/%s/template.rst",
                         "specs/template.rst"};
  for (size_t i = 0; i < 3; i++) {
    ss_buf_clear(&b);
    ss_buf_printf(&b, forms[i], release);
    char *p = S_join(root->root, b.data);
    if (S_is_file(p)) {
      ss_buf_free(&b);
      return p;
    }
    free(p);
  }
  ss_buf_free(&b);
  return NULL;
}

/* Is `path` one of the configured templates? Those are not specs. */
static bool S_is_configured_template(S_root *root, const char *path) {
  for (size_t i = 0; i < root->cfg.len; i++) {
    const ss_config_entry *e = &root->cfg.items[i];
    if (strcmp(e->section, "check") != 0 ||
        (strcmp(e->key, "template") != 0 &&
         strncmp(e->key, "template.", 9) != 0))
      continue;
    char *p = S_join(root->cfg.dir, e->value);
    bool same = strcmp(p, path) == 0;
    free(p);
    if (same)
      return true;
  }
  return false;
}

static void S_check_spec(S_run *run, S_root *root, const char *release,
                         const char *path) {
  if (!S_ends_with(path, ".rst")) {
    ss_check_report_add(run->r, path, 0, 0, SS_CHECK_ERROR,
                        "spec files end in .rst");
    return;
  }
  size_t len = 0;
  char *text = ss_read_file(path, &len);
  if (!text) {
    ss_buf b = SS_BUF_INIT;
    ss_buf_printf(&b, "cannot read: %s", strerror(errno));
    ss_check_report_add(run->r, path, 0, 0, SS_CHECK_ERROR, b.data);
    ss_buf_free(&b);
    run->ok = false;
    return;
  }
  const char *optional[64];
  size_t n_optional = 0;
  bool lines = true, ok;
  for (size_t i = 0; i < root->cfg.len; i++) {
    const ss_config_entry *e = &root->cfg.items[i];
    if (strcmp(e->section, "check") != 0)
      continue;
    if (S_key_for(e->key, "optional", release) && n_optional < 64)
      optional[n_optional++] = e->value;
    else if (S_key_for(e->key, "lines", release)) {
      bool v = ss_config_bool(e->value, &ok);
      if (ok)
        lines = v;
    }
  }
  char *tpath = S_template_path(root, release);
  ss_check_rules rules = {
      .tmpl = tpath ? S_template(run, tpath) : NULL,
      .optional = optional,
      .n_optional = n_optional,
      .warn_extra_sections = root->warn_extra,
      .skip_line_rules = !lines,
      .warnings_are_errors = run->opts->warnings_are_errors,
  };
  ss_check_text(text, len, path, &rules, run->r);
  free(tpath);
  free(text);
}

static int S_strcmp_p(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of a folder, sorted, without hidden ones. */
static char **S_list(const char *dir, size_t *n) {
  *n = 0;
  DIR *d = opendir(dir);
  if (!d)
    return NULL;
  size_t cap = 16;
  char **names = ss_xmalloc(cap * sizeof *names);
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (de->d_name[0] == '.')
      continue;
    if (*n == cap) {
      cap *= 2;
      names = ss_xrealloc(names, cap * sizeof *names);
    }
    names[(*n)++] = ss_xstrdup(de->d_name);
  }
  closedir(d);
  qsort(names, *n, sizeof *names, S_strcmp_p);
  return names;
}

static void S_free_list(char **names, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

/* A release folder: .rst files at any depth are specs; other files
 * directly in it are misnamed specs; deeper ones are assets (images).
 * Not specs: its template.rst, its index.rst (the release's toctree
 * page, as in nova-specs) and its redirects file (moved specs). */
static bool S_release_file_is_not_spec(const char *name) {
  return strcmp(name, "template.rst") == 0 ||
         strcmp(name, "index.rst") == 0 || strcmp(name, "redirects") == 0;
}

static void S_walk_release(S_run *run, S_root *root, const char *release,
                           const char *dir, int depth) {
  size_t n;
  char **names = S_list(dir, &n);
  for (size_t i = 0; i < n; i++) {
    char *p = S_join(dir, names[i]);
    struct stat st;
    if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
      if (depth < S_MAX_DIR_DEPTH)
        S_walk_release(run, root, release, p, depth + 1);
    } else if (!(depth == 0 && S_release_file_is_not_spec(names[i])) &&
               !S_is_configured_template(root, p) &&
               (depth == 0 || S_ends_with(p, ".rst"))) {
      S_check_spec(run, root, release, p);
    }
    free(p);
  }
  S_free_list(names, n);
}

static void S_check_root(S_run *run, const char *dir) {
  S_root *root = S_root_get(run, dir);
  char *specs = S_join(dir, "specs");
  size_t n;
  char **names = S_list(specs, &n);
  if (!names) {
    ss_check_report_add(run->r, dir, 0, 0, SS_CHECK_ERROR,
                        "no specs/ folder here");
    run->ok = false;
  }
  for (size_t i = 0; i < n; i++) {
    char *p = S_join(specs, names[i]);
    struct stat st;
    if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
      S_walk_release(run, root, names[i], p, 0);
    free(p);
  }
  S_free_list(names, n);
  free(specs);
}

/* A file named on the command line: a spec when its path goes through
 * specs/<release>/; the folder holding specs/ is its root. */
static void S_check_file(S_run *run, const char *path) {
  const char *specs = NULL;
  for (const char *p = path; (p = strstr(p, "specs/")) != NULL; p++)
    if (p == path || p[-1] == '/')
      specs = p;
  if (!specs)
    return; /* outside specs/: not a spec */
  const char *release = specs + 6;
  const char *slash = strchr(release, '/');
  if (!slash || !slash[1])
    return; /* specs/<file>: templates live there, specs do not */
  char *root = specs == path ? ss_xstrdup(".")
                             : ss_xstrndup(path, (size_t)(specs - path - 1));
  if (!root[0]) {
    free(root);
    root = ss_xstrdup("/");
  }
  char *rel = ss_xstrndup(release, (size_t)(slash - release));
  S_root *r = S_root_get(run, root);
  const char *base = strrchr(path, '/') + 1;
  bool depth0 = strchr(slash + 1, '/') == NULL;
  if (!(depth0 && S_release_file_is_not_spec(base)) &&
      !S_is_configured_template(r, path))
    S_check_spec(run, r, rel, path);
  free(rel);
  free(root);
}

bool ss_check_paths(const char *const *paths, size_t n,
                    const ss_check_options *opts, ss_check_report *r) {
  static const char *const here[] = {"."};
  S_run run = {.opts = opts, .r = r, .ok = true};
  if (n == 0) {
    paths = here;
    n = 1;
  }
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (stat(paths[i], &st) != 0) {
      ss_buf b = SS_BUF_INIT;
      ss_buf_printf(&b, "cannot read: %s", strerror(errno));
      ss_check_report_add(r, paths[i], 0, 0, SS_CHECK_ERROR, b.data);
      ss_buf_free(&b);
      run.ok = false;
    } else if (S_ISDIR(st.st_mode)) {
      S_check_root(&run, paths[i]);
    } else {
      S_check_file(&run, paths[i]);
    }
  }
  while (run.roots) {
    S_root *next = run.roots->next;
    ss_config_free(&run.roots->cfg);
    free(run.roots->root);
    free(run.roots);
    run.roots = next;
  }
  while (run.tmpls) {
    S_tmpl *next = run.tmpls->next;
    ss_check_template_free(run.tmpls->t);
    free(run.tmpls->path);
    free(run.tmpls);
    run.tmpls = next;
  }
  return run.ok;
}
