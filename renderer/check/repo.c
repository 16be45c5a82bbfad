/* repo.c — finding the files of a repository and checking them
 * (check.h): the spec layout, files globs, doc8's folder walk; the
 * checks run on worker threads, their problems reported in the walk's
 * order. What the configuration says is settings.c's. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/buffer.h"
#include "settings.h"

/* Folders are followed this deep at most. */
#define S_MAX_DIR_DEPTH 16

/* One file's check, or one problem of the walk: `check` says whether its
 * text is read and checked (with `f`); `r` holds its problems. */
typedef struct ss_check_job {
  char *path;
  ss_check_file_rules f;
  bool has_rules, check, unreadable;
  ss_check_report r;
} S_job;

/* A new job at the end of the list; an index, since the list moves. */
static size_t S_job_new(ss_check_run *run, const char *path) {
  if (run->n_jobs == run->cap_jobs) {
    run->cap_jobs = run->cap_jobs ? run->cap_jobs * 2 : 64;
    run->jobs = ss_xrealloc(run->jobs, run->cap_jobs * sizeof *run->jobs);
  }
  run->jobs[run->n_jobs] = (S_job){.path = ss_xstrdup(path)};
  return run->n_jobs++;
}

static void S_explain(ss_check_run *run, const char *path,
                      const ss_check_file_rules *f) {
  ss_buf_printf(&run->explain, "%s:\n", path);
  ss_check_explain(&f->rules, &run->explain);
}

/* Checks one file: `release` names its folder below specs/ (NULL for a
 * document outside specs/<release>/), `rel` its path below the root. */
static void S_check_file_at(ss_check_run *run, ss_check_root *root,
                            const char *release, const char *rel,
                            const char *path) {
  size_t ji = S_job_new(run, path); /* it may move the list */
  S_job *j = &run->jobs[ji];
  ss_check_rules_for(run, root, release, rel, path, &j->f);
  j->has_rules = true;
  if (run->opts->explain)
    S_explain(run, path, &j->f);
  /* A spec is .rst; a .txt one is still read as doc8 reads it */
  if (release && !ss_check_ends_with(path, ".rst") &&
      ss_check_enabled(&j->f.rules, "F001"))
    ss_check_report_add(
        &j->r, path, 0, 0,
        ss_check_severity_of(&j->f.rules, "F001", SS_CHECK_ERROR), "F001",
        "spec files end in .rst");
  j->check =
      ss_check_ends_with(path, ".rst") || ss_check_ends_with(path, ".txt");
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
  ss_check_run *run;
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
static void S_run_jobs(ss_check_run *run) {
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
      ss_check_rules_free(&j->f);
    free(j->path);
  }
  free(run->jobs);
  run->jobs = NULL;
  run->n_jobs = run->cap_jobs = 0;
}

/* A problem of a folder entry as a whole (a file or folder where
 * something else belongs), with the rules of its place. */
static void S_report_entry(ss_check_run *run, ss_check_root *root,
                           const char *release, const char *rel,
                           const char *path, const char *code,
                           const char *message) {
  size_t ji = S_job_new(run, path); /* it may move the list */
  S_job *j = &run->jobs[ji];
  ss_check_rules_for(run, root, release, rel, path, &j->f);
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
  ss_check_run *run;
  ss_check_root *root;
  bool globbed; /* the files key (or doc8's default) chooses */
} S_walk;

/* Whether a `files` glob of the configuration passes `match` for rel;
 * *any says whether there is any `files` key at all. */
static bool S_files_glob(const S_walk *w, const char *rel,
                         bool (*match)(const char *, const char *), bool *any) {
  *any = false;
  for (size_t i = 0; i < w->root->cfg.len; i++) {
    const ss_config_entry *e = &w->root->cfg.items[i];
    if (strcmp(e->section, "check") != 0 || strcmp(e->key, "files") != 0)
      continue;
    *any = true;
    if (match(e->value, rel))
      return true;
  }
  return false;
}

static bool S_selected(const S_walk *w, const char *rel) {
  bool any;
  if (S_files_glob(w, rel, ss_check_glob, &any))
    return true;
  /* no files key: doc8's default, every .rst and .txt file */
  return !any &&
         (ss_check_glob("**/*.rst", rel) || ss_check_glob("**/*.txt", rel));
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
  bool any;
  return S_files_glob(w, rel, S_could_match, &any) ||
         !any; /* doc8's default reaches everywhere */
}

/* Walks a folder below the root; `rel` is its path below it ("" for the
 * root), `depth` its depth below specs/<release>/ in the spec layout. */
static void S_walk_dir(S_walk *w, const char *dir, const char *rel, int depth) {
  size_t n;
  char **names = S_list(dir, &n);
  for (size_t i = 0; i < n; i++) {
    char *p = ss_check_join(dir, names[i]);
    char *r = rel[0] ? ss_check_join(rel, names[i]) : ss_xstrdup(names[i]);
    struct stat st;
    /* doc8 (os.walk) does not follow linked folders; the spec layout
     * does, as the repositories' own walkers did. One lstat, and a stat
     * only for a link: the walk is the serial part of a check. */
    bool seen = lstat(p, &st) == 0;
    bool linked = seen && S_ISLNK(st.st_mode);
    bool is_dir = seen && (!linked || stat(p, &st) == 0) && S_ISDIR(st.st_mode);
    if (ss_check_excluded(w->root, r)) {
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
          !ss_check_is_template(w->root, p) &&
          (depth == 1 || ss_check_ends_with(p, ".rst")))
        S_check_file_at(w->run, w->root, release, r, p);
      free(release);
    }
    free(r);
    free(p);
  }
  S_free_list(names, n);
}

static bool S_has_files_key(const ss_check_root *root) {
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

static void S_check_release_entries(ss_check_run *run, ss_check_root *root,
                                    const char *dir) {
  char *specs = ss_check_join(dir, "specs");
  size_t n;
  char **releases = S_list(specs, &n);
  const char **lists = ss_xmalloc((root->cfg.len + 1) * sizeof *lists);
  for (size_t i = 0; i < n; i++) {
    char *p = ss_check_join(specs, releases[i]);
    char *rel = ss_check_join("specs", releases[i]);
    size_t nl = 0;
    for (size_t k = 0; k < root->cfg.len; k++) {
      const ss_config_entry *e = &root->cfg.items[k];
      if (strcmp(e->section, "check") == 0 &&
          ss_check_key_for(e->key, "release-entries", releases[i], rel))
        lists[nl++] = e->value;
    }
    size_t m = 0;
    char **names = nl && ss_check_is_dir(p) && !ss_check_excluded(root, rel)
                       ? S_list(p, &m)
                       : NULL;
    for (size_t j = 0; j < m; j++) {
      if (S_named(lists, nl, names[j]))
        continue;
      char *path = ss_check_join(p, names[j]);
      char *r = ss_check_join(rel, names[j]);
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

static void S_check_root(ss_check_run *run, const char *dir) {
  ss_check_root *root = ss_check_root_get(run, dir);
  S_walk w = {.run = run, .root = root};
  if (root->spec_layout)
    S_check_release_entries(run, root, dir);
  if (root->spec_layout && !S_has_files_key(root)) {
    /* specs/<release>/...: depth 1 is a release folder's own files */
    char *specs = ss_check_join(dir, "specs");
    size_t n;
    char **names = S_list(specs, &n);
    for (size_t i = 0; i < n; i++) {
      char *p = ss_check_join(specs, names[i]);
      char *r = ss_check_join("specs", names[i]);
      if (ss_check_is_dir(p) && !ss_check_excluded(root, r))
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
static void S_check_named_file(ss_check_run *run, const char *path) {
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
  ss_check_root *r = ss_check_root_get(run, root);
  const char *base = strrchr(path, '/') + 1;
  bool depth0 = strchr(slash + 1, '/') == NULL;
  if (!(depth0 && S_release_file_is_not_spec(base)) &&
      !ss_check_is_template(r, path))
    S_check_file_at(run, r, rel, specs, path);
  free(rel);
  free(root);
}

bool ss_check_paths(const char *const *paths, size_t n,
                    const ss_check_options *opts, ss_check_report *r) {
  static const char *const here[] = {"."};
  ss_check_run run = {.opts = opts, .r = r, .ok = true, .explain = SS_BUF_INIT};
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
    ss_check_root *next = run.roots->next;
    ss_check_root_free_memo(run.roots);
    ss_config_free(&run.roots->cfg);
    free(run.roots->root);
    free(run.roots);
    run.roots = next;
  }
  while (run.tmpls) {
    ss_check_tmpl *next = run.tmpls->next;
    ss_check_template_free(run.tmpls->t);
    free(run.tmpls->path);
    free(run.tmpls);
    run.tmpls = next;
  }
  return run.ok;
}
