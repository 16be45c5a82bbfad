/* settings.c — the [check] section of specsite.conf (settings.h): its
 * keys and their checks, scopes, and the rules of each file; the paths,
 * globs and templates they name. Configuration and templates are read
 * once per run. */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/buffer.h"
#include "settings.h"

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

char *ss_check_join(const char *dir, const char *name) {
  if (!dir[0] || strcmp(dir, ".") == 0 || name[0] == '/')
    return ss_xstrdup(name);
  ss_buf b = SS_BUF_INIT;
  size_t n = strlen(dir);
  ss_buf_printf(&b, "%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name);
  return ss_buf_detach(&b);
}

bool ss_check_is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool ss_check_is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool ss_check_ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

const ss_check_template *ss_check_template_at(ss_check_run *run,
                                              const char *path) {
  for (ss_check_tmpl *t = run->tmpls; t; t = t->next)
    if (strcmp(t->path, path) == 0)
      return t->t;
  ss_check_tmpl *t = ss_xcalloc(1, sizeof *t);
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
bool ss_check_glob(const char *pat, const char *path) {
  /* "./README.rst", or "/README.rst" as "ignore./README.rst" scopes it:
   * a path from the root */
  while (pat[0] == '/' || (pat[0] == '.' && pat[1] == '/'))
    pat += pat[0] == '/' ? 1 : 2;
  if (strncmp(pat, "**", 2) == 0 && (pat[2] == '/' || !pat[2])) {
    if (!pat[2])
      return true;
    for (const char *p = path; p; p = strchr(p, '/'), p = p ? p + 1 : NULL)
      if (ss_check_glob(pat + 3, p))
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
  return ss_check_glob(ps + 1, fs + 1);
}

/* --- configuration ------------------------------------------------------- */

static void S_config_problem(ss_check_run *run, const ss_config *cfg,
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
static void S_validate_config(ss_check_run *run, ss_check_root *root) {
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
      char *p = ss_check_join(root->cfg.dir, e->value);
      if (!e->value[0] || !ss_check_is_file(p))
        S_config_problem(run, &root->cfg, e, "cannot read template '%s'", p);
      else
        ss_check_template_at(run, p);
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

ss_check_root *ss_check_root_get(ss_check_run *run, const char *root) {
  for (ss_check_root *r = run->roots; r; r = r->next)
    if (strcmp(r->root, root) == 0)
      return r;
  ss_check_root *r = ss_xcalloc(1, sizeof *r);
  r->root = ss_xstrdup(root);
  r->path_scoped = -1;
  r->next = run->roots;
  run->roots = r;
  /* a real folder: Sphinx's doc/source often links to specs/, and
   * doc/source is then checked as doc8 checks it, without the link */
  char *specs = ss_check_join(root, "specs");
  struct stat st;
  r->spec_layout = lstat(specs, &st) == 0 && S_ISDIR(st.st_mode);
  free(specs);
  char *path = run->opts->config ? ss_xstrdup(run->opts->config)
                                 : ss_check_join(root, "specsite.conf");
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
bool ss_check_key_for(const char *key, const char *base, const char *release,
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
    return rel && ss_check_glob(scope, rel);
  return release && ss_release_match(scope, release);
}

/* --- the rules of one file --------------------------------------------- */

static ss_check_list S_collect(const ss_check_root *root, const char *base,
                               const char *release, const char *rel,
                               const char ***pool) {
  ss_check_list l = {.items = *pool};
  for (size_t i = 0; i < root->cfg.len; i++) {
    const ss_config_entry *e = &root->cfg.items[i];
    if (strcmp(e->section, "check") == 0 &&
        ss_check_key_for(e->key, base, release, rel) && e->value[0])
      (*pool)[l.len++] = e->value;
  }
  *pool += l.len;
  return l;
}

/* The value of the last matching line, or NULL. */
static const char *S_last(const ss_check_root *root, const char *base,
                          const char *release, const char *rel) {
  const char *v = NULL;
  for (size_t i = 0; i < root->cfg.len; i++) {
    const ss_config_entry *e = &root->cfg.items[i];
    if (strcmp(e->section, "check") == 0 &&
        ss_check_key_for(e->key, base, release, rel))
      v = e->value;
  }
  return v;
}

/* The template of a release: the configuration's last matching
 * template line, else specs/<release>-template.rst, else
 * specs/<release>/template.rst, else specs/template.rst. Files outside
 * specs/<release>/ have only a configured one. */
static char *S_template_path(ss_check_root *root, const char *release,
                             const char *rel) {
  const char *chosen = S_last(root, "template", release, rel);
  if (chosen && chosen[0])
    return ss_check_join(root->cfg.dir, chosen);
  if (!release)
    return NULL;
  ss_buf b = SS_BUF_INIT;
  const char *forms[] = {"specs/%s-template.rst", "specs/%s/template.rst",
                         "specs/template.rst"};
  for (size_t i = 0; i < 3; i++) {
    ss_buf_clear(&b);
    ss_buf_printf(&b, forms[i], release);
    char *p = ss_check_join(root->root, b.data);
    if (ss_check_is_file(p)) {
      ss_buf_free(&b);
      return p;
    }
    free(p);
  }
  ss_buf_free(&b);
  return NULL;
}

/* A list of `from` that points into its pool points at the same slots
 * of `to`'s. */
static ss_check_list S_rebase(ss_check_list l, const ss_check_file_rules *from,
                              const ss_check_file_rules *to) {
  if (l.items >= from->pool && l.items < from->pool + from->slots)
    l.items = to->pool + (l.items - from->pool);
  return l;
}

static void S_rules_copy(const ss_check_file_rules *from,
                         ss_check_file_rules *to) {
  *to = *from;
  to->pool = ss_xmalloc(from->slots * sizeof *to->pool);
  memcpy(to->pool, from->pool, from->slots * sizeof *to->pool);
  to->tmpl_path = from->tmpl_path ? ss_xstrdup(from->tmpl_path) : NULL;
  ss_check_list *lists[] = {&to->rules.optional,   &to->rules.extra_allowed_in,
                            &to->rules.required,   &to->rules.trackers,
                            &to->rules.blueprints, &to->rules.opt_outs,
                            &to->rules.select,     &to->rules.ignore,
                            &to->rules.as_error,   &to->rules.as_warning};
  for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
    *lists[i] = S_rebase(*lists[i], from, to);
}

static bool S_path_scoped(ss_check_root *root) {
  if (root->path_scoped < 0) {
    root->path_scoped = 0;
    for (size_t i = 0; i < root->cfg.len; i++) {
      const ss_config_entry *e = &root->cfg.items[i];
      const char *dot = strchr(e->key, '.');
      if (strcmp(e->section, "check") == 0 && dot && strchr(dot, '/'))
        root->path_scoped = 1;
    }
  }
  return root->path_scoped;
}

static bool S_same_release(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

void ss_check_root_free_memo(ss_check_root *root) {
  if (root->has_memo)
    ss_check_rules_free(&root->memo);
  free(root->memo_release);
  root->has_memo = false;
  root->memo_release = NULL;
}

static void S_rules_for(ss_check_run *run, ss_check_root *root,
                        const char *release, const char *rel, const char *path,
                        ss_check_file_rules *f);

void ss_check_rules_for(ss_check_run *run, ss_check_root *root,
                        const char *release, const char *rel, const char *path,
                        ss_check_file_rules *f) {
  /* Some 250 key matches and three stats per file otherwise: a tenth of
   * a structure-only check's own work. */
  bool txt = ss_check_ends_with(path, ".txt");
  if (S_path_scoped(root)) {
    S_rules_for(run, root, release, rel, path, f);
    return;
  }
  if (!root->has_memo || root->memo_txt != txt ||
      !S_same_release(root->memo_release, release)) {
    ss_check_root_free_memo(root);
    S_rules_for(run, root, release, rel, path, &root->memo);
    root->has_memo = true;
    root->memo_txt = txt;
    root->memo_release = release ? ss_xstrdup(release) : NULL;
  }
  S_rules_copy(&root->memo, f);
}

static void S_rules_for(ss_check_run *run, ss_check_root *root,
                        const char *release, const char *rel, const char *path,
                        ss_check_file_rules *f) {
  const ss_check_options *o = run->opts;
  size_t slots = root->cfg.len + o->select.len + o->ignore.len + 1;
  f->slots = slots;
  f->pool = ss_xmalloc(slots * sizeof *f->pool);
  const char **pool = f->pool;
  ss_check_rules *r = &f->rules;
  *r = (ss_check_rules){0};
  f->tmpl_path = S_template_path(root, release, rel);
  r->tmpl = f->tmpl_path ? ss_check_template_at(run, f->tmpl_path) : NULL;
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
  r->plain_text = ss_check_ends_with(path, ".txt");
}

void ss_check_rules_free(ss_check_file_rules *f) {
  free(f->pool);
  free(f->tmpl_path);
}

bool ss_check_excluded(const ss_check_root *root, const char *rel) {
  for (size_t i = 0; i < root->cfg.len; i++) {
    const ss_config_entry *e = &root->cfg.items[i];
    if (strcmp(e->section, "check") != 0 || strcmp(e->key, "exclude") != 0)
      continue;
    char *p = ss_xstrdup(rel);
    for (;;) {
      if (ss_check_glob(e->value, p)) {
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

bool ss_check_is_template(const ss_check_root *root, const char *path) {
  for (size_t i = 0; i < root->cfg.len; i++) {
    const ss_config_entry *e = &root->cfg.items[i];
    if (strcmp(e->section, "check") != 0 || !S_key_of(e->key) ||
        S_key_of(e->key)->kind != S_PATH)
      continue;
    char *p = ss_check_join(root->cfg.dir, e->value);
    bool same = strcmp(p, path) == 0;
    free(p);
    if (same)
      return true;
  }
  return false;
}
