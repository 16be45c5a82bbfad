/* repo.c — finding the files of a repository, the template and rules
 * that apply to each, and the [check] section of specsite.conf
 * (check.h). Configuration and templates are read once per run. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../config/config.h"
#include "../util/buffer.h"
#include "check.h"

/* Folders are followed this deep at most. */
#define S_MAX_DIR_DEPTH 16

/* The keys of [check]. A key may carry a scope, "key.<scope>", when it
 * applies to some files only: a release pattern (ss_release_match), or
 * a glob over the path below the root when the scope holds a '/'. */
typedef enum {
  S_PATH,   /* a file below the configuration's folder */
  S_TEXT,   /* any text but empty */
  S_BOOL,   /* yes or no */
  S_INT,    /* a positive number */
  S_CODES,  /* rule codes or prefixes */
  S_EXTRA,  /* allowed, warning or error */
  S_OPTOUT, /* WORD: CODES */
  S_SPACES, /* any or spaces */
} S_kind;

typedef struct {
  const char *name;
  S_kind kind;
  bool scoped;
} S_key;

static const S_key S_keys[] = {
    {"template", S_PATH, true},
    {"optional", S_TEXT, true},
    {"required", S_TEXT, true},
    {"extra-sections", S_EXTRA, true},
    {"extra-sections-depth", S_INT, true},
    {"extra-allowed-in", S_TEXT, true},
    {"section-depth", S_INT, true},
    {"max-line-length", S_INT, true},
    {"atom-length", S_INT, true},
    {"allow-url-lines", S_BOOL, true},
    {"allow-long-titles", S_BOOL, true},
    {"allow-literal-lines", S_BOOL, true},
    {"allow-one-word-lines", S_BOOL, true},
    {"trailing-whitespace", S_SPACES, true},
    {"release-entries", S_TEXT, true},
    {"licence", S_TEXT, true},
    {"tracker", S_TEXT, true},
    {"blueprint", S_TEXT, true},
    {"opt-out", S_OPTOUT, false},
    {"select", S_CODES, true},
    {"ignore", S_CODES, true},
    {"error", S_CODES, true},
    {"warning", S_CODES, true},
    {"files", S_TEXT, false},
    {"exclude", S_TEXT, false},
};

typedef struct S_root {
  char *root; /* repository root as the user reached it ("." or a path) */
  ss_config cfg;
  bool has_cfg;
  bool spec_layout; /* the root holds specs/ */
  struct S_root *next;
} S_root;

typedef struct S_tmpl {
  char *path;
  ss_check_template *t; /* NULL: unreadable */
  struct S_tmpl *next;
} S_tmpl;

struct S_job;

typedef struct {
  const ss_check_options *opts;
  ss_check_report *r;
  S_root *roots;
  S_tmpl *tmpls;
  bool ok;
  /* what the walk found, in report order; checked afterwards by worker
   * threads, the problems joining r in this order */
  struct S_job *jobs;
  size_t n_jobs, cap_jobs;
  ss_buf explain; /* --explain's text, r->explain at the end */
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

static bool S_is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
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

/* --- globs -------------------------------------------------------------- */

/* A glob over a relative path: '*', '?' and [...] within one folder
 * name (a leading dot is matched only by a dot, as in the shell), "**"
 * for any number of folders. */
static bool S_glob(const char *pat, const char *path) {
  /* "./README.rst", or "/README.rst" as "ignore./README.rst" scopes it:
   * a path from the root */
  while (pat[0] == '/' || (pat[0] == '.' && pat[1] == '/'))
    pat += pat[0] == '/' ? 1 : 2;
  if (strncmp(pat, "**", 2) == 0 && (pat[2] == '/' || !pat[2])) {
    if (!pat[2])
      return true;
    for (const char *p = path; p; p = strchr(p, '/'), p = p ? p + 1 : NULL)
      if (S_glob(pat + 3, p))
        return true;
    return false;
  }
  const char *ps = strchr(pat, '/'), *fs = strchr(path, '/');
  size_t pl = ps ? (size_t)(ps - pat) : strlen(pat);
  size_t fl = fs ? (size_t)(fs - path) : strlen(path);
  char seg[256], name[256];
  if (pl >= sizeof seg || fl >= sizeof name)
    return false;
  memcpy(seg, pat, pl);
  seg[pl] = '\0';
  memcpy(name, path, fl);
  name[fl] = '\0';
  if (fnmatch(seg, name, FNM_PERIOD) != 0)
    return false;
  if (!ps || !fs)
    return !ps && !fs;
  return S_glob(ps + 1, fs + 1);
}

/* --- configuration ------------------------------------------------------- */

static void S_config_problem(S_run *run, const ss_config *cfg,
                             const ss_config_entry *e, const char *fmt,
                             const char *arg) {
  ss_buf b = SS_BUF_INIT;
  ss_buf_printf(&b, fmt, arg);
  ss_check_report_add(run->r, cfg->path, e->line, 0, SS_CHECK_ERROR, NULL,
                      b.data);
  ss_buf_free(&b);
}

static const S_key *S_key_of(const char *key) {
  for (size_t i = 0; i < sizeof S_keys / sizeof *S_keys; i++) {
    size_t n = strlen(S_keys[i].name);
    if (strncmp(key, S_keys[i].name, n) == 0 &&
        (key[n] == '\0' || (key[n] == '.' && S_keys[i].scoped && key[n + 1])))
      return &S_keys[i];
  }
  return NULL;
}

/* Every token names a rule or a prefix of some. */
static const char *S_bad_code(const char *v, ss_buf *tok) {
  while (*v) {
    v += strspn(v, ", \t");
    size_t n = strcspn(v, ", \t");
    if (!n)
      break;
    bool known = false;
    for (const ss_check_rule *r = ss_check_rule_table; r->code && !known; r++)
      known = strncmp(r->code, v, n) == 0;
    if (!known) {
      ss_buf_clear(tok);
      ss_buf_put(tok, v, n);
      return tok->data;
    }
    v += n;
  }
  return NULL;
}

static int S_extra_value(const char *v) {
  if (strcmp(v, "allowed") == 0)
    return SS_CHECK_EXTRA_ALLOWED;
  if (strcmp(v, "warning") == 0)
    return SS_CHECK_EXTRA_WARNING;
  if (strcmp(v, "error") == 0)
    return SS_CHECK_EXTRA_ERROR;
  return -1;
}

static int S_int_value(const char *v) {
  char *end;
  long n = strtol(v, &end, 10);
  return *v && !*end && n > 0 && n < 100000 ? (int)n : -1;
}

/* Checks the [check] keys once, when the file is read, so that a typo
 * is reported once and not per spec. */
static void S_validate_config(S_run *run, S_root *root) {
  ss_buf tok = SS_BUF_INIT;
  for (size_t i = 0; i < root->cfg.len; i++) {
    const ss_config_entry *e = &root->cfg.items[i];
    if (strcmp(e->section, "check") != 0)
      continue; /* other commands' sections */
    const S_key *k = S_key_of(e->key);
    if (!k) {
      S_config_problem(run, &root->cfg, e,
                       "unknown key '%s' in [check] (docs/check.rst lists "
                       "the keys)",
                       e->key);
      continue;
    }
    bool ok = true;
    const char *bad;
    switch (k->kind) {
    case S_PATH: {
      char *p = S_join(root->cfg.dir, e->value);
      if (!e->value[0] || !S_is_file(p))
        S_config_problem(run, &root->cfg, e, "cannot read template '%s'", p);
      else
        S_template(run, p);
      free(p);
      break;
    }
    case S_TEXT:
      if (!e->value[0])
        S_config_problem(run, &root->cfg, e, "%s needs a value", k->name);
      break;
    case S_BOOL:
      ss_config_bool(e->value, &ok);
      if (!ok)
        S_config_problem(run, &root->cfg, e, "%s takes yes or no", k->name);
      break;
    case S_INT:
      if (S_int_value(e->value) < 0)
        S_config_problem(run, &root->cfg, e, "%s takes a positive number",
                         k->name);
      break;
    case S_EXTRA:
      if (S_extra_value(e->value) < 0)
        S_config_problem(run, &root->cfg, e,
                         "extra-sections takes allowed, warning or error, "
                         "not '%s'",
                         e->value);
      break;
    case S_CODES:
      if ((bad = S_bad_code(e->value, &tok)) != NULL || !e->value[0])
        S_config_problem(run, &root->cfg, e,
                         "'%s' is not a rule code (specsite check "
                         "--explain lists them)",
                         bad ? bad : "");
      break;
    case S_SPACES:
      if (strcmp(e->value, "any") != 0 && strcmp(e->value, "spaces") != 0)
        S_config_problem(run, &root->cfg, e,
                         "trailing-whitespace takes any or spaces, not '%s'",
                         e->value);
      break;
    case S_OPTOUT: {
      const char *colon = strchr(e->value, ':');
      if (!colon || colon == e->value ||
          (bad = S_bad_code(colon + 1, &tok)) != NULL)
        S_config_problem(run, &root->cfg, e,
                         "opt-out takes 'WORD: CODES', not '%s'", e->value);
      break;
    }
    }
  }
  ss_buf_free(&tok);
}

static S_root *S_root_get(S_run *run, const char *root) {
  for (S_root *r = run->roots; r; r = r->next)
    if (strcmp(r->root, root) == 0)
      return r;
  S_root *r = ss_xcalloc(1, sizeof *r);
  r->root = ss_xstrdup(root);
  r->next = run->roots;
  run->roots = r;
  /* a real folder: Sphinx's doc/source often links to specs/, and
   * doc/source is then checked as doc8 checks it, without the link */
  char *specs = S_join(root, "specs");
  struct stat st;
  r->spec_layout = lstat(specs, &st) == 0 && S_ISDIR(st.st_mode);
  free(specs);
  char *path = run->opts->config ? ss_xstrdup(run->opts->config)
                                 : S_join(root, "specsite.conf");
  int n = ss_config_load(&r->cfg, path);
  if (n < 0 && run->opts->config) {
    ss_check_report_add(run->r, path, 0, 0, SS_CHECK_ERROR, NULL,
                        "cannot read the configuration file");
    run->ok = false;
  }
  r->has_cfg = n >= 0;
  for (size_t i = 0; i < r->cfg.n_errors; i++)
    ss_check_report_add(run->r, r->cfg.path, r->cfg.errors[i].line, 0,
                        SS_CHECK_ERROR, NULL, r->cfg.errors[i].message);
  free(path);
  if (r->has_cfg)
    S_validate_config(run, r);
  return r;
}

/* Does `key` (base or base.<scope>) apply to a file of `release` (NULL
 * outside specs/<release>/) at `rel` (its path below the root)? */
static bool S_key_for(const char *key, const char *base, const char *release,
                      const char *rel) {
  size_t n = strlen(base);
  if (strncmp(key, base, n) != 0)
    return false;
  if (key[n] == '\0')
    return true;
  if (key[n] != '.')
    return false;
  const char *scope = key + n + 1;
  if (strchr(scope, '/'))
    return rel && S_glob(scope, rel);
  return release && ss_release_match(scope, release);
}

/* --- the rules of one file --------------------------------------------- */

/* The lists of a file's rules point into the configuration; `pool`
 * holds them (one slot per configuration line is always enough). */
typedef struct {
  ss_check_rules rules;
  const char **pool;
  char *tmpl_path;
} S_file_rules;

static ss_check_list S_collect(const S_root *root, const char *base,
                               const char *release, const char *rel,
                               const char ***pool) {
  ss_check_list l = {.items = *pool};
  for (size_t i = 0; i < root->cfg.len; i++) {
    const ss_config_entry *e = &root->cfg.items[i];
    if (strcmp(e->section, "check") == 0 &&
        S_key_for(e->key, base, release, rel) && e->value[0])
      (*pool)[l.len++] = e->value;
  }
  *pool += l.len;
  return l;
}

/* The value of the last matching line, or NULL. */
static const char *S_last(const S_root *root, const char *base,
                          const char *release, const char *rel) {
  const char *v = NULL;
  for (size_t i = 0; i < root->cfg.len; i++) {
    const ss_config_entry *e = &root->cfg.items[i];
    if (strcmp(e->section, "check") == 0 &&
        S_key_for(e->key, base, release, rel))
      v = e->value;
  }
  return v;
}

/* The template of a release: the configuration's last matching
 * template line, else specs/<release>-template.rst, else
 * specs/<release>/template.rst, else specs/template.rst. Files outside
 * specs/<release>/ have only a configured one. */
static char *S_template_path(S_root *root, const char *release,
                             const char *rel) {
  const char *chosen = S_last(root, "template", release, rel);
  if (chosen && chosen[0])
    return S_join(root->cfg.dir, chosen);
  if (!release)
    return NULL;
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

static void S_rules_for(S_run *run, S_root *root, const char *release,
                        const char *rel, const char *path, S_file_rules *f) {
  const ss_check_options *o = run->opts;
  size_t slots = root->cfg.len + o->select.len + o->ignore.len + 1;
  f->pool = ss_xmalloc(slots * sizeof *f->pool);
  const char **pool = f->pool;
  ss_check_rules *r = &f->rules;
  *r = (ss_check_rules){0};
  f->tmpl_path = S_template_path(root, release, rel);
  r->tmpl = f->tmpl_path ? S_template(run, f->tmpl_path) : NULL;
  r->optional = S_collect(root, "optional", release, rel, &pool);
  r->required = S_collect(root, "required", release, rel, &pool);
  r->extra_allowed_in =
      S_collect(root, "extra-allowed-in", release, rel, &pool);
  r->trackers = S_collect(root, "tracker", release, rel, &pool);
  r->blueprints = S_collect(root, "blueprint", release, rel, &pool);
  r->opt_outs = S_collect(root, "opt-out", release, rel, &pool);
  r->as_error = S_collect(root, "error", release, rel, &pool);
  r->as_warning = S_collect(root, "warning", release, rel, &pool);
  r->ignore = S_collect(root, "ignore", release, rel, &pool);
  for (size_t i = 0; i < o->ignore.len; i++)
    pool[r->ignore.len++] = o->ignore.items[i];
  pool += o->ignore.len;
  const char *v;
  if (o->select.len) {
    r->select = o->select;
  } else if ((v = S_last(root, "select", release, rel)) != NULL && v[0]) {
    pool[0] = v;
    r->select = (ss_check_list){.items = pool, .len = 1};
  }
  if ((v = S_last(root, "extra-sections", release, rel)) &&
      S_extra_value(v) >= 0)
    r->extra_sections = (ss_check_extra)S_extra_value(v);
  if ((v = S_last(root, "extra-sections-depth", release, rel)))
    r->extra_depth = S_int_value(v) > 0 ? S_int_value(v) : 0;
  if ((v = S_last(root, "section-depth", release, rel)))
    r->section_depth = S_int_value(v) > 0 ? S_int_value(v) : 0;
  if ((v = S_last(root, "max-line-length", release, rel)))
    r->max_line_length = S_int_value(v) > 0 ? S_int_value(v) : 0;
  if ((v = S_last(root, "atom-length", release, rel)))
    r->atom_length = S_int_value(v) > 0 ? S_int_value(v) : 0;
  bool ok;
  if ((v = S_last(root, "allow-url-lines", release, rel)))
    r->url_lines = ss_config_bool(v, &ok);
  if ((v = S_last(root, "allow-long-titles", release, rel)))
    r->allow_long_titles = ss_config_bool(v, &ok);
  if ((v = S_last(root, "allow-literal-lines", release, rel)))
    r->allow_literal_lines = ss_config_bool(v, &ok);
  if ((v = S_last(root, "allow-one-word-lines", release, rel)))
    r->allow_one_word_lines = ss_config_bool(v, &ok);
  if ((v = S_last(root, "trailing-whitespace", release, rel)))
    r->trailing_spaces_only = strcmp(v, "spaces") == 0;
  if ((v = S_last(root, "licence", release, rel)) && v[0])
    r->licence = v;
  r->warnings_are_errors = o->warnings_are_errors;
  r->plain_text = S_ends_with(path, ".txt");
}

static void S_rules_free(S_file_rules *f) {
  free(f->pool);
  free(f->tmpl_path);
}

/* One file's check, or one problem of the walk: `check` says whether its
 * text is read and checked (with `f`); `r` holds its problems. */
typedef struct S_job {
  char *path;
  S_file_rules f;
  bool has_rules, check, unreadable;
  ss_check_report r;
} S_job;

/* A new job at the end of the list; an index, since the list moves. */
static size_t S_job_new(S_run *run, const char *path) {
  if (run->n_jobs == run->cap_jobs) {
    run->cap_jobs = run->cap_jobs ? run->cap_jobs * 2 : 64;
    run->jobs = ss_xrealloc(run->jobs, run->cap_jobs * sizeof *run->jobs);
  }
  run->jobs[run->n_jobs] = (S_job){.path = ss_xstrdup(path)};
  return run->n_jobs++;
}

static void S_explain(S_run *run, const char *path, const S_file_rules *f) {
  ss_buf_printf(&run->explain, "%s:\n", path);
  ss_check_explain(&f->rules, &run->explain);
}

/* Checks one file: `release` names its folder below specs/ (NULL for a
 * document outside specs/<release>/), `rel` its path below the root. */
static void S_check_file_at(S_run *run, S_root *root, const char *release,
                            const char *rel, const char *path) {
  size_t ji = S_job_new(run, path); /* it may move the list */
  S_job *j = &run->jobs[ji];
  S_rules_for(run, root, release, rel, path, &j->f);
  j->has_rules = true;
  if (run->opts->explain)
    S_explain(run, path, &j->f);
  /* A spec is .rst; a .txt one is still read as doc8 reads it */
  if (release && !S_ends_with(path, ".rst") &&
      ss_check_enabled(&j->f.rules, "F001"))
    ss_check_report_add(
        &j->r, path, 0, 0,
        ss_check_severity_of(&j->f.rules, "F001", SS_CHECK_ERROR), "F001",
        "spec files end in .rst");
  j->check = S_ends_with(path, ".rst") || S_ends_with(path, ".txt");
}

/* Reads and checks a job's file (on any thread). */
static void S_run_job(S_job *j) {
  if (!j->check)
    return;
  size_t len = 0;
  char *text = ss_read_file(j->path, &len);
  if (!text) {
    ss_buf b = SS_BUF_INIT;
    ss_buf_printf(&b, "cannot read: %s", strerror(errno));
    ss_check_report_add(&j->r, j->path, 0, 0, SS_CHECK_ERROR, NULL, b.data);
    ss_buf_free(&b);
    j->unreadable = true;
    return;
  }
  ss_check_text(text, len, j->path, &j->f.rules, &j->r);
  free(text);
}

typedef struct {
  S_run *run;
  atomic_size_t next;
} S_pool;

static void *S_worker(void *arg) {
  S_pool *p = arg;
  for (size_t i; (i = atomic_fetch_add(&p->next, 1)) < p->run->n_jobs;)
    S_run_job(&p->run->jobs[i]);
  return NULL;
}

/* Checks the jobs on a few threads (files are independent; templates
 * and configuration are only read by then), then adds their problems to
 * the report in the walk's order. */
static void S_run_jobs(S_run *run) {
  S_pool pool = {.run = run};
  atomic_init(&pool.next, 0);
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  size_t n = cpus > 1 ? (size_t)cpus : 1;
  if (n > 8)
    n = 8;
  if (n > run->n_jobs / 32 + 1)
    n = run->n_jobs / 32 + 1; /* a thread is worth a few dozen files */
  pthread_t threads[8];
  size_t started = 0;
  while (started + 1 < n &&
         pthread_create(&threads[started], NULL, S_worker, &pool) == 0)
    started++;
  S_worker(&pool);
  for (size_t i = 0; i < started; i++)
    pthread_join(threads[i], NULL);
  for (size_t i = 0; i < run->n_jobs; i++) {
    S_job *j = &run->jobs[i];
    for (size_t k = 0; k < j->r.len; k++) {
      const ss_check_problem *p = &j->r.items[k];
      ss_check_report_add(run->r, p->path, p->line, p->col, p->severity,
                          p->code, p->message);
    }
    run->r->files += j->r.files;
    run->ok &= !j->unreadable;
    ss_check_report_free(&j->r);
    if (j->has_rules)
      S_rules_free(&j->f);
    free(j->path);
  }
  free(run->jobs);
  run->jobs = NULL;
  run->n_jobs = run->cap_jobs = 0;
}

/* A problem of a folder entry as a whole (a file or folder where
 * something else belongs), with the rules of its place. */
static void S_report_entry(S_run *run, S_root *root, const char *release,
                           const char *rel, const char *path, const char *code,
                           const char *message) {
  size_t ji = S_job_new(run, path); /* it may move the list */
  S_job *j = &run->jobs[ji];
  S_rules_for(run, root, release, rel, path, &j->f);
  j->has_rules = true;
  if (ss_check_enabled(&j->f.rules, code))
    ss_check_report_add(&j->r, path, 0, 0,
                        ss_check_severity_of(&j->f.rules, code, SS_CHECK_ERROR),
                        code, message);
}

/* --- walking ---------------------------------------------------------- */

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

/* Is `rel` or a folder above it excluded? */
static bool S_excluded(const S_root *root, const char *rel) {
  for (size_t i = 0; i < root->cfg.len; i++) {
    const ss_config_entry *e = &root->cfg.items[i];
    if (strcmp(e->section, "check") != 0 || strcmp(e->key, "exclude") != 0)
      continue;
    char *p = ss_xstrdup(rel);
    for (;;) {
      if (S_glob(e->value, p)) {
        free(p);
        return true;
      }
      char *slash = strrchr(p, '/');
      if (!slash)
        break;
      *slash = '\0';
    }
    free(p);
  }
  return false;
}

/* Is `path` one of the configured templates? Those are not specs. */
static bool S_is_configured_template(S_root *root, const char *path) {
  for (size_t i = 0; i < root->cfg.len; i++) {
    const ss_config_entry *e = &root->cfg.items[i];
    if (strcmp(e->section, "check") != 0 || !S_key_of(e->key) ||
        S_key_of(e->key)->kind != S_PATH)
      continue;
    char *p = S_join(root->cfg.dir, e->value);
    bool same = strcmp(p, path) == 0;
    free(p);
    if (same)
      return true;
  }
  return false;
}

/* The release of a path below the root: its folder below specs/. */
static char *S_release_of(const char *rel) {
  if (strncmp(rel, "specs/", 6) != 0)
    return NULL;
  const char *slash = strchr(rel + 6, '/');
  return slash ? ss_xstrndup(rel + 6, (size_t)(slash - rel - 6)) : NULL;
}

/* A release folder: .rst files at any depth are specs; other files
 * directly in it are misnamed specs; deeper ones are assets (images).
 * Not specs: its template.rst, its index.rst (the release's toctree
 * page, as in nova-specs) and its redirects file (moved specs). */
static bool S_release_file_is_not_spec(const char *name) {
  return strcmp(name, "template.rst") == 0 || strcmp(name, "index.rst") == 0 ||
         strcmp(name, "redirects") == 0;
}

typedef struct {
  S_run *run;
  S_root *root;
  bool globbed; /* the files key (or doc8's default) chooses */
} S_walk;

static bool S_selected(const S_walk *w, const char *rel) {
  bool any = false;
  for (size_t i = 0; i < w->root->cfg.len; i++) {
    const ss_config_entry *e = &w->root->cfg.items[i];
    if (strcmp(e->section, "check") != 0 || strcmp(e->key, "files") != 0)
      continue;
    any = true;
    if (S_glob(e->value, rel))
      return true;
  }
  /* no files key: doc8's default, every .rst and .txt file */
  return !any && (S_glob("**/*.rst", rel) || S_glob("**/*.txt", rel));
}

/* Can a glob match a path below folder `dir` (a path below the root)?
 * Compared name by name, so that a walk skips folders no files glob can
 * reach (doc/build, a site's output). */
static bool S_could_match(const char *pat, const char *dir) {
  while (*dir) {
    if (strncmp(pat, "**", 2) == 0 && (pat[2] == '/' || !pat[2]))
      return true;
    const char *ps = strchr(pat, '/'), *ds = strchr(dir, '/');
    if (!ps)
      return false; /* the glob ends here: a file, not below dir */
    size_t pl = (size_t)(ps - pat);
    size_t dl = ds ? (size_t)(ds - dir) : strlen(dir);
    char seg[256], name[256];
    if (pl >= sizeof seg || dl >= sizeof name)
      return true;
    memcpy(seg, pat, pl);
    seg[pl] = '\0';
    memcpy(name, dir, dl);
    name[dl] = '\0';
    if (fnmatch(seg, name, FNM_PERIOD) != 0)
      return false;
    pat = ps + 1;
    dir = ds ? ds + 1 : dir + dl;
  }
  return true;
}

static bool S_worth_walking(const S_walk *w, const char *rel) {
  bool any = false;
  for (size_t i = 0; i < w->root->cfg.len; i++) {
    const ss_config_entry *e = &w->root->cfg.items[i];
    if (strcmp(e->section, "check") != 0 || strcmp(e->key, "files") != 0)
      continue;
    any = true;
    if (S_could_match(e->value, rel))
      return true;
  }
  return !any; /* doc8's default reaches everywhere */
}

/* Walks a folder below the root; `rel` is its path below it ("" for the
 * root), `depth` its depth below specs/<release>/ in the spec layout. */
static void S_walk_dir(S_walk *w, const char *dir, const char *rel, int depth) {
  size_t n;
  char **names = S_list(dir, &n);
  for (size_t i = 0; i < n; i++) {
    char *p = S_join(dir, names[i]);
    char *r = rel[0] ? S_join(rel, names[i]) : ss_xstrdup(names[i]);
    struct stat st, lst;
    bool is_dir = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
    /* doc8 (os.walk) does not follow linked folders; the spec layout
     * does, as the repositories' own walkers did */
    bool linked = lstat(p, &lst) == 0 && S_ISLNK(lst.st_mode);
    if (S_excluded(w->root, r)) {
      /* never checked */
    } else if (is_dir) {
      char *release = w->globbed ? S_release_of(r) : NULL;
      /* the suites' globs list folders too, and a folder fails their
       * ".rst" test */
      if (release && S_selected(w, r))
        S_report_entry(w->run, w->root, release, r, p, "F001",
                       "a folder where the files globs expect a spec (spec "
                       "files end in .rst)");
      free(release);
      if (depth < S_MAX_DIR_DEPTH && !(w->globbed && linked) &&
          (!w->globbed || S_worth_walking(w, r)))
        S_walk_dir(w, p, r, depth + 1);
    } else if (w->globbed) {
      char *release = S_release_of(r);
      if (S_selected(w, r))
        S_check_file_at(w->run, w->root, release, r, p);
      free(release);
    } else {
      char *release = S_release_of(r);
      if (release && !(depth == 1 && S_release_file_is_not_spec(names[i])) &&
          !S_is_configured_template(w->root, p) &&
          (depth == 1 || S_ends_with(p, ".rst")))
        S_check_file_at(w->run, w->root, release, r, p);
      free(release);
    }
    free(r);
    free(p);
  }
  S_free_list(names, n);
}

static bool S_has_files_key(const S_root *root) {
  for (size_t i = 0; i < root->cfg.len; i++)
    if (strcmp(root->cfg.items[i].section, "check") == 0 &&
        strcmp(root->cfg.items[i].key, "files") == 0)
      return true;
  return false;
}

/* F005: with release-entries configured, the names a release folder
 * may hold (nova-specs: approved, implemented, redirects); any other is
 * reported at its path. */
static bool S_named(const char *const *lists, size_t nl, const char *name) {
  for (size_t k = 0; k < nl; k++)
    for (const char *s = lists[k]; *s;) {
      s += strspn(s, ", \t");
      size_t len = strcspn(s, ", \t");
      if (len && len == strlen(name) && strncmp(s, name, len) == 0)
        return true;
      s += len;
    }
  return false;
}

static void S_check_release_entries(S_run *run, S_root *root, const char *dir) {
  char *specs = S_join(dir, "specs");
  size_t n;
  char **releases = S_list(specs, &n);
  const char **lists = ss_xmalloc((root->cfg.len + 1) * sizeof *lists);
  for (size_t i = 0; i < n; i++) {
    char *p = S_join(specs, releases[i]);
    char *rel = S_join("specs", releases[i]);
    size_t nl = 0;
    for (size_t k = 0; k < root->cfg.len; k++) {
      const ss_config_entry *e = &root->cfg.items[k];
      if (strcmp(e->section, "check") == 0 &&
          S_key_for(e->key, "release-entries", releases[i], rel))
        lists[nl++] = e->value;
    }
    size_t m = 0;
    char **names =
        nl && S_is_dir(p) && !S_excluded(root, rel) ? S_list(p, &m) : NULL;
    for (size_t j = 0; j < m; j++) {
      if (S_named(lists, nl, names[j]))
        continue;
      char *path = S_join(p, names[j]);
      char *r = S_join(rel, names[j]);
      S_report_entry(
          run, root, releases[i], r, path, "F005",
          "a release folder holds only the names release-entries lists");
      free(r);
      free(path);
    }
    if (names)
      S_free_list(names, m);
    free(rel);
    free(p);
  }
  free(lists);
  if (releases)
    S_free_list(releases, n);
  free(specs);
}

static void S_check_root(S_run *run, const char *dir) {
  S_root *root = S_root_get(run, dir);
  S_walk w = {.run = run, .root = root};
  if (root->spec_layout)
    S_check_release_entries(run, root, dir);
  if (root->spec_layout && !S_has_files_key(root)) {
    /* specs/<release>/...: depth 1 is a release folder's own files */
    char *specs = S_join(dir, "specs");
    size_t n;
    char **names = S_list(specs, &n);
    for (size_t i = 0; i < n; i++) {
      char *p = S_join(specs, names[i]);
      char *r = S_join("specs", names[i]);
      if (S_is_dir(p) && !S_excluded(root, r))
        S_walk_dir(&w, p, r, 1);
      free(r);
      free(p);
    }
    S_free_list(names, n);
    free(specs);
    return;
  }
  w.globbed = true;
  S_walk_dir(&w, dir, "", 0);
}

/* A file named on the command line: a spec when its path goes through
 * specs/<release>/; the folder holding specs/ is its root. */
static void S_check_named_file(S_run *run, const char *path) {
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
    S_check_file_at(run, r, rel, specs, path);
  free(rel);
  free(root);
}

bool ss_check_paths(const char *const *paths, size_t n,
                    const ss_check_options *opts, ss_check_report *r) {
  static const char *const here[] = {"."};
  S_run run = {.opts = opts, .r = r, .ok = true, .explain = SS_BUF_INIT};
  if (n == 0) {
    paths = here;
    n = 1;
  }
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (stat(paths[i], &st) != 0) {
      ss_buf b = SS_BUF_INIT;
      ss_buf_printf(&b, "cannot read: %s", strerror(errno));
      size_t ji = S_job_new(&run, paths[i]);
      S_job *j = &run.jobs[ji];
      ss_check_report_add(&j->r, paths[i], 0, 0, SS_CHECK_ERROR, NULL, b.data);
      j->unreadable = true;
      ss_buf_free(&b);
    } else if (S_ISDIR(st.st_mode)) {
      S_check_root(&run, paths[i]);
    } else {
      S_check_named_file(&run, paths[i]);
    }
  }
  S_run_jobs(&run);
  if (run.explain.len)
    r->explain = ss_buf_detach(&run.explain);
  ss_buf_free(&run.explain);
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
