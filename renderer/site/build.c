/* build.c — ss_site_build: the stages in order, the staging folder and
 * the swap that publishes the site.
 *
 * Safety of the output folder. The site is written to a staging folder
 * beside OUT (".OUT.specsite-new") and swapped with OUT in one
 * renameat2(RENAME_EXCHANGE); then the staging name holds the old site
 * and is removed. So a failed or interrupted build leaves the last good
 * site in place, and what specsite deletes is only OUT's old content or
 * a staging folder carrying its own marker. OUT itself must be empty, a
 * site specsite made (the marker), or a Sphinx build (.buildinfo), and
 * may not hold the sources: anything else is refused, not replaced. */
#define _GNU_SOURCE /* renameat2 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#ifndef SPECSITE_VERSION
#define SPECSITE_VERSION "unknown"
#endif

#define S_MARKER SS_SITE_STATE_DIR "/marker"

static bool S_exists(const char *path) {
  struct stat sb;
  return lstat(path, &sb) == 0;
}

static bool S_has(const char *dir, const char *name) {
  char *p = ss_path_join(dir, name);
  bool yes = S_exists(p);
  free(p);
  return yes;
}

static bool S_empty_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return false;
  struct dirent *e;
  bool empty = true;
  while (empty && (e = readdir(d)))
    empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
  closedir(d);
  return empty;
}

/* True when `inner` is `outer` or below it (both existing paths). */
static bool S_within(const char *inner, const char *outer) {
  char *a = realpath(inner, NULL), *b = realpath(outer, NULL);
  bool yes = false;
  if (a && b) {
    size_t n = strlen(b);
    yes = strncmp(a, b, n) == 0 &&
          (a[n] == '\0' || a[n] == '/' || strcmp(b, "/") == 0);
  }
  free(a);
  free(b);
  return yes;
}

static void S_error(ss_site *site, const char *fmt, const char *arg) {
  (void)site;
  ss_buf m = SS_BUF_INIT;
  ss_buf_printf(&m, fmt, arg);
  fprintf(stderr, "specsite: %s\n", m.data);
  ss_buf_free(&m);
}

/* OUT as given may end in '/' or be a symlink to the folder: the site
 * is swapped at the folder itself, not at the link. */
static bool S_settle_output(ss_site *site) {
  size_t n = strlen(site->out);
  while (n > 1 && site->out[n - 1] == '/')
    site->out[--n] = '\0';
  struct stat sb;
  if (lstat(site->out, &sb) == 0 && S_ISLNK(sb.st_mode)) {
    char *real = realpath(site->out, NULL);
    if (!real) {
      S_error(site, "%s is a symbolic link to nothing", site->out);
      return false;
    }
    free(site->out);
    site->out = real;
  }
  return true;
}

static void S_sweep(ss_site *site);

/* Checks OUT and makes a fresh staging folder beside it. */
static bool S_prepare_output(ss_site *site) {
  if (S_exists(site->out)) {
    struct stat sb;
    if (stat(site->out, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
      S_error(site, "%s exists and is not a folder", site->out);
      return false;
    }
    if (S_within(site->src, site->out) || S_within(site->root, site->out)) {
      S_error(site, "the output folder %s holds the sources: choose another -o",
              site->out);
      return false;
    }
    if (!S_has(site->out, S_MARKER) && !S_has(site->out, ".buildinfo") &&
        !S_empty_dir(site->out)) {
      S_error(site,
              "%s is not empty and was not built by specsite or Sphinx: "
              "specsite will not replace it (remove it or choose another -o)",
              site->out);
      return false;
    }
  }
  char *dir = ss_path_dir(site->out);
  const char *base = strrchr(site->out, '/');
  base = base ? base + 1 : site->out;
  ss_buf st = SS_BUF_INIT;
  if (*dir)
    ss_buf_printf(&st, "%s/", dir);
  ss_buf_printf(&st, ".%s.specsite-new", base);
  site->staging = ss_buf_detach(&st);
  ss_buf_clear(&st);
  if (*dir)
    ss_buf_printf(&st, "%s/", dir);
  ss_buf_printf(&st, ".%s.specsite-old", base);
  site->trash_prefix = ss_buf_detach(&st);
  S_sweep(site);
  bool ok = ss_fs_mkdirs(*dir ? dir : ".");
  free(dir);
  if (ok && S_exists(site->staging)) {
    /* An interrupted build's: ours only when it has the marker. */
    if (!S_has(site->staging, S_MARKER)) {
      S_error(site, "%s exists and is not specsite's staging folder: remove it",
              site->staging);
      return false;
    }
    ok = ss_fs_remove_tree(site->staging);
  }
  if (ok)
    ok = mkdir(site->staging, 0777) == 0;
  char *marker = ss_path_join(site->staging, S_MARKER);
  if (ok)
    ok = ss_fs_write(marker, "specsite " SPECSITE_VERSION "\n",
                     strlen("specsite " SPECSITE_VERSION "\n"));
  free(marker);
  if (!ok)
    S_error(site, "cannot make the staging folder %s", site->staging);
  return ok;
}

/* The last site, once swapped out, is renamed to a name of its own and
 * removed by a child process: the new site is in place already, and
 * removing hundreds of files is no reason to keep the user waiting. A
 * removal that did not finish (the machine stopped) is finished by the
 * next build (S_sweep). */
static void S_discard(ss_site *site) {
  ss_buf trash = SS_BUF_INIT;
  ss_buf_printf(&trash, "%s.%ld", site->trash_prefix, (long)getpid());
  if (rename(site->staging, trash.data) != 0) {
    ss_fs_remove_tree(site->staging);
    ss_buf_free(&trash);
    return;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    /* Nothing inherited may keep a pipe of the caller open. */
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
      dup2(null, 0);
      dup2(null, 1);
      dup2(null, 2);
    }
    setsid();
    ss_fs_remove_tree(trash.data);
    _exit(0);
  }
  if (pid < 0)
    ss_fs_remove_tree(trash.data);
  ss_buf_free(&trash);
}

/* Old sites whose removal was cut short: ours by the marker, and not
 * being removed now (no such process). */
static void S_sweep(ss_site *site) {
  char *dir = ss_path_dir(site->trash_prefix);
  const char *base = strrchr(site->trash_prefix, '/');
  base = base ? base + 1 : site->trash_prefix;
  size_t bl = strlen(base);
  DIR *d = opendir(*dir ? dir : ".");
  struct dirent *e;
  while (d && (e = readdir(d))) {
    if (strncmp(e->d_name, base, bl) != 0 || e->d_name[bl] != '.')
      continue;
    char *end;
    long pid = strtol(e->d_name + bl + 1, &end, 10);
    if (*end || pid <= 0 || (kill((pid_t)pid, 0) == 0 || errno == EPERM))
      continue;
    char *path = ss_path_join(dir, e->d_name);
    if (S_has(path, S_MARKER))
      ss_fs_remove_tree(path);
    free(path);
  }
  if (d)
    closedir(d);
  free(dir);
}

static bool S_publish(ss_site *site) {
  if (!S_exists(site->out))
    return rename(site->staging, site->out) == 0;
  if (renameat2(AT_FDCWD, site->staging, AT_FDCWD, site->out,
                RENAME_EXCHANGE) != 0)
    return false;
  /* The staging name now holds the last site. */
  S_discard(site);
  return true;
}

static uint64_t S_file_digest(uint64_t h, const char *path) {
  size_t len = 0;
  char *data = path ? ss_read_file(path, &len) : NULL;
  h = ss_digest(h, path ? path : "", path ? strlen(path) + 1 : 0);
  if (data)
    h = ss_digest(h, data, len);
  free(data);
  return h;
}

/* What every body and summary depends on besides its own source. */
static void S_keys(ss_site *site) {
  uint64_t h = SS_DIGEST_INIT;
  const char *stamp = "specsite " SPECSITE_VERSION " " __DATE__ " " __TIME__;
  h = ss_digest(h, stamp, strlen(stamp));
  unsigned char flags[3] = {site->opts->raw_enabled, site->opts->unsafe_filters,
                            site->sphinx};
  h = ss_digest(h, flags, sizeof flags);
  for (size_t i = 0; i < site->n_filters; i++)
    h = S_file_digest(h, site->filters[i]);
  char *conf = site->opts->config ? ss_xstrdup(site->opts->config)
                                  : ss_path_join(site->src, "specsite.conf");
  h = S_file_digest(h, conf);
  free(conf);
  for (size_t i = 0; i < site->n_main_titles; i++)
    h = ss_digest(h, site->main_titles[i], strlen(site->main_titles[i]) + 1);
  for (size_t i = 0; i < site->n_impact_titles; i++)
    h = ss_digest(h, site->impact_titles[i],
                  strlen(site->impact_titles[i]) + 1);
  h = ss_digest(h, site->root, strlen(site->root) + 1);
  site->options_key = h;
  for (size_t i = 0; i < site->n_pages; i++) {
    ss_page *p = &site->pages[i];
    uint64_t k = ss_digest(h, p->docname, strlen(p->docname) + 1);
    k = ss_digest(k, &p->size, sizeof p->size);
    k = ss_digest(k, &p->mtime_ns, sizeof p->mtime_ns);
    /* The cache stores it as a signed decimal: keep it in range. */
    p->key = k & 0x7fffffffffffffffULL;
  }
}

static void S_free_site(ss_site *site) {
  for (size_t i = 0; i < site->n_pages; i++) {
    ss_page *p = &site->pages[i];
    free(p->docname);
    free(p->source);
    free(p->fspath);
    free(p->url);
    free(p->release);
    free(p->status);
    if (p->tree)
      ss_node_free(p->tree);
    ss_site_summary_free(&p->sum);
  }
  free(site->pages);
  for (size_t i = 0; i < site->n_releases; i++) {
    free(site->releases[i].name);
    free(site->releases[i].url);
    free(site->releases[i].pages);
  }
  free(site->releases);
  size_t n_titles = site->n_main_titles + site->n_impact_titles;
  char **lists[] = {site->filters, site->release_order, site->main_titles,
                    site->impact_titles, site->title_keys};
  size_t lens[] = {site->n_filters, site->n_release_order, site->n_main_titles,
                   site->n_impact_titles, site->title_keys ? n_titles : 0};
  for (size_t l = 0; l < sizeof lists / sizeof *lists; l++) {
    for (size_t i = 0; i < lens[l]; i++)
      free(lists[l][i]);
    free(lists[l]);
  }
  for (size_t i = 0; i < site->n_aliases; i++) {
    free(site->aliases[i].from);
    free(site->aliases[i].to);
  }
  free(site->aliases);
  if (site->theme)
    ss_theme_free(site->theme);
  ss_site_cache_free(site);
  free(site->src);
  free(site->src_real);
  free(site->root);
  free(site->staging);
  free(site->trash_prefix);
  free(site->project);
  free(site->base_url);
  free(site->theme_dir);
}

static double S_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int ss_site_build(const ss_site_options *opts, ss_site_stats *stats) {
  double start = S_now();
  ss_site site = {0};
  site.opts = opts;
  ss_diag_init(&site.diag);
  site.diag.quiet = opts->quiet;
  site.src = ss_xstrdup(opts->src ? opts->src : ".");
  site.out = opts->out ? ss_xstrdup(opts->out) : NULL;
  int rc = 2;
  bool staged = false;
  struct stat sb;

  if (stat(site.src, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
    S_error(&site, "%s is not a folder (give a spec repository's root)",
            site.src);
    goto done;
  }
  site.src_real = realpath(site.src, NULL);
  if (!ss_site_configure(&site) || !ss_site_discover(&site) ||
      !S_settle_output(&site))
    goto done;
  site.theme = site.theme_dir ? ss_theme_load(site.theme_dir, &site.diag)
                              : ss_theme_load_builtin();
  if (!site.theme) {
    S_error(&site, "the theme in %s cannot be used", site.theme_dir);
    goto done;
  }
  if (!S_prepare_output(&site))
    goto done;
  staged = true;
  S_keys(&site);
  ss_site_cache_load(&site);
  ss_site_git_dates(&site);
  ss_site_order(&site);
  if (!ss_site_render_pages(&site))
    goto done; /* a filter failed: its message is printed */
  /* Now that every title is known: cached pages whose page must be
   * made again need their body, so they are read again. */
  if (ss_site_mark_stale(&site) > 0 && !ss_site_render_pages(&site))
    goto done;
  ss_site_expand_toctrees(&site);

  int warnings = 0, rendered = 0, reused = 0, specs = 0;
  for (size_t i = 0; i < site.n_pages; i++) {
    const ss_page *p = &site.pages[i];
    if (!opts->quiet && p->sum.messages)
      fputs(p->sum.messages, stderr);
    warnings += p->sum.warnings;
    rendered += !p->cached;
    reused += p->cached;
    specs += p->release != NULL;
  }
  bool ok = ss_site_generate(&site) && ss_site_cache_save(&site);
  warnings += site.diag.counts[SS_LEVEL_WARNING] +
              site.diag.counts[SS_LEVEL_ERROR] +
              site.diag.counts[SS_LEVEL_SEVERE];
  if (!ok)
    goto done;
  if (opts->warnings_are_errors && warnings > 0) {
    if (!opts->quiet)
      fprintf(stderr,
              "build failed: %d warning%s, treated as errors (-W); the last "
              "site in %s was kept.\n",
              warnings, warnings == 1 ? "" : "s", site.out);
    rc = 1;
    goto done;
  }
  if (!S_publish(&site)) {
    S_error(&site, "cannot move the new site into %s", site.out);
    goto done;
  }
  staged = false;
  rc = 0;
  double seconds = S_now() - start;
  if (!opts->quiet)
    fprintf(stderr,
            "build succeeded, %d warning%s: %zu pages (%d specs in %zu "
            "releases), %d rendered, %d from the cache, %d files written, "
            "in %.2f s.\nThe HTML pages are in %s.\n",
            warnings, warnings == 1 ? "" : "s", site.n_pages, specs,
            site.n_releases, rendered, reused, site.written, seconds, site.out);
  if (stats) {
    stats->pages = (int)site.n_pages;
    stats->specs = specs;
    stats->rendered = rendered;
    stats->reused = reused;
    stats->written = site.written;
    stats->warnings = warnings;
    stats->seconds = seconds;
    stats->out = ss_xstrdup(site.out);
  }

done:
  if (staged && site.staging && !ss_fs_remove_tree(site.staging))
    S_error(&site, "cannot remove the staging folder %s", site.staging);
  free(site.out);
  S_free_site(&site);
  return rc;
}
