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
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
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

/* Where the build's reports go: stderr, or what `collect` keeps. */
static FILE *S_reports(const ss_site *site) {
  return site->diag.out ? site->diag.out : stderr;
}

static void S_error(ss_site *site, const char *fmt, const char *arg) {
  ss_buf m = SS_BUF_INIT;
  ss_buf_printf(&m, fmt, arg);
  fprintf(S_reports(site), "specsite: %s\n", m.data);
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

/* Where this build stages its site (beside OUT, named after it) and
 * where the last site goes to be removed (inside the new one). */
static void S_output_names(ss_site *site) {
  char *dir = ss_path_dir(site->out);
  const char *base = strrchr(site->out, '/');
  base = base ? base + 1 : site->out;
  ss_buf st = SS_BUF_INIT;
  if (*dir)
    ss_buf_printf(&st, "%s/", dir);
  ss_buf_printf(&st, ".%s.specsite-new", base);
  site->staging = ss_buf_detach(&st);
  /* The last site, once swapped out, is moved into the new one's state
   * folder to be removed there: nothing appears beside OUT. */
  site->trash_prefix = ss_path_join(site->out, SS_SITE_STATE_DIR "/trash");
  free(dir);
}

/* Two builds into the same OUT would share the staging folder: the
 * second waits for the first (a lock on OUT's parent folder, held until
 * the build ends). */
static int S_lock(ss_site *site) {
  char *dir = ss_path_dir(site->out);
  int fd = open(*dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  free(dir);
  if (fd < 0)
    return -1; /* OUT's folder does not exist yet: made later, unshared */
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (!site->opts->quiet)
      fprintf(stderr,
              "specsite: another build is writing beside %s; "
              "waiting for it\n",
              site->out);
    flock(fd, LOCK_EX);
  }
  return fd;
}

/* Checks that OUT may be written: a folder specsite or Sphinx made, or
 * an empty one, not holding the sources. Removes an interrupted build's
 * staging folder. */
static bool S_check_output(ss_site *site) {
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
  bool ok = ss_fs_mkdirs(*dir ? dir : ".");
  free(dir);
  if (!ok) {
    S_error(site, "cannot make the folder of %s", site->out);
    return false;
  }
  if (S_exists(site->staging)) {
    /* An interrupted build's: ours only when it has the marker. */
    if (!S_has(site->staging, S_MARKER)) {
      S_error(site, "%s exists and is not specsite's staging folder: remove it",
              site->staging);
      return false;
    }
    ok = ss_fs_remove_tree(site->staging);
  }
  return ok;
}

/* A fresh staging folder beside OUT, for a whole new site. */
static bool S_make_staging(ss_site *site) {
  bool ok = mkdir(site->staging, 0777) == 0;
  char *marker = ss_path_join(site->staging, S_MARKER);
  if (ok)
    ok = ss_fs_write(marker, "specsite " SPECSITE_VERSION "\n",
                     strlen("specsite " SPECSITE_VERSION "\n"));
  free(marker);
  if (!ok)
    S_error(site, "cannot make the staging folder %s", site->staging);
  return ok;
}

/* Moves the last site, once swapped out, to OUT/.specsite/trash.<pid>,
 * which a child process removes (S_remove_trash) once the build has
 * freed its memory: the new site is in place already, and removing
 * hundreds of files is no reason to keep the user waiting. A removal
 * that did not finish (the machine stopped) is finished by the next
 * build (S_sweep). */
static void S_discard(ss_site *site) {
  ss_buf trash = SS_BUF_INIT;
  ss_buf_printf(&trash, "%s.%ld", site->trash_prefix, (long)getpid());
  if (rename(site->staging, trash.data) != 0) {
    ss_fs_remove_tree(site->staging);
    ss_buf_free(&trash);
    return;
  }
  site->trash = ss_buf_detach(&trash);
}

/* A child process removes the trash, so the new site's user does not
 * wait for it. Forked last: after a fork every page the parent writes
 * is copied first, and freeing the build's memory after one cost more
 * than the rest of a rebuild. */
static void S_remove_trash(char *trash) {
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
    ss_fs_remove_tree(trash);
    _exit(0);
  }
  if (pid < 0)
    ss_fs_remove_tree(trash);
  free(trash);
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

/* --- the in-place commit ---------------------------------------------
 *
 * A rebuild that changes a few files of a site specsite made does not
 * swap whole trees (hard-linking every unchanged file into the staging
 * folder cost more than the rest of the rebuild). The changed files are
 * written to OUT/.specsite/new, flat and numbered; then a journal naming
 * them (and the files that are gone) is renamed into
 * OUT/.specsite/journal, which is the commit point, and applied with
 * signals held off. A build that finds a journal (the machine stopped
 * during those milliseconds) applies it before anything else, so OUT
 * always ends as one whole site or the other. A failed build never
 * writes a journal: OUT is untouched.
 *
 * Each new file is exchanged with the old one (renameat2
 * RENAME_EXCHANGE): readers of OUT see one or the other, never none.
 * The old one lands in its numbered place and is removed. A journal
 * line names the new file's inode, so that applying it twice does not
 * exchange the files back. On ext4 here, a plain rename over the old
 * file cost ten times more (it writes the new file's blocks out and
 * frees the old one's before it returns: 0.6-1.4 ms a file), and making
 * and removing a staging folder's sub-folders 0.5 ms each: the numbered
 * folder stays between builds. */

#define S_JOURNAL SS_SITE_STATE_DIR "/journal"
#define S_NEW SS_SITE_STATE_DIR "/new"

static int S_cmp_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *S_new_path(const ss_site *site, size_t i) {
  ss_buf p = SS_BUF_INIT;
  ss_buf_printf(&p, "%s/" S_NEW "/%zu", site->out, i);
  return ss_buf_detach(&p);
}

char *ss_site_output_path(ss_site *site, const char *name) {
  if (!site->in_place)
    return ss_path_join(site->staging, name);
  site->puts = ss_xrealloc(site->puts, (site->n_puts + 1) * sizeof *site->puts);
  site->puts[site->n_puts] = ss_xstrdup(name);
  return S_new_path(site, site->n_puts++);
}

/* Removes what OUT/.specsite/new holds (the old files of the last
 * commit, or an interrupted build's new ones), keeping the folder. */
static bool S_empty_new(const ss_site *site) {
  char *dir = ss_path_join(site->out, S_NEW);
  bool ok = ss_fs_mkdirs(dir);
  DIR *d = ok ? opendir(dir) : NULL;
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (e->d_name[0] != '.')
      unlinkat(dirfd(d), e->d_name, 0);
  if (d)
    closedir(d);
  free(dir);
  return ok && d;
}

/* "put INODE NUMBER NAME": OUT/.specsite/new/NUMBER, the file with that
 * inode, goes to OUT/NAME (nothing to do once OUT/NAME is that file). */
static bool S_journal_put(ss_site *site, size_t number, const char *name,
                          unsigned long ino) {
  char *from = S_new_path(site, number);
  char *to = ss_path_join(site->out, name);
  struct stat in_out, staged;
  bool ok = true;
  if (lstat(to, &in_out) == 0 && (unsigned long)in_out.st_ino == ino)
    ok = true; /* applied already */
  else if (lstat(from, &staged) != 0 || (unsigned long)staged.st_ino != ino)
    ok = false; /* neither place has it: the journal is not ours */
  else if (S_exists(to))
    ok = renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE) == 0;
  else
    ok = rename(from, to) == 0 ||
         (errno == ENOENT && ss_fs_mkdirs_for(to) && rename(from, to) == 0);
  free(from);
  free(to);
  return ok;
}

static bool S_apply_journal(ss_site *site, const char *journal) {
  size_t len = 0;
  char *text = ss_read_file(journal, &len);
  if (!text)
    return false;
  bool ok = true;
  for (char *line = text; line < text + len;) {
    char *nl = memchr(line, '\n', (size_t)(text + len - line));
    if (!nl)
      break; /* a journal is renamed into place whole: never cut */
    *nl = '\0';
    unsigned long ino = 0, number = 0;
    char *name = NULL;
    if (strncmp(line, "put ", 4) == 0) {
      ino = strtoul(line + 4, &name, 10);
      if (*name == ' ')
        number = strtoul(name + 1, &name, 10);
      name = *name == ' ' ? name + 1 : NULL;
    } else if (strncmp(line, "del ", 4) == 0) {
      name = line + 4;
    }
    /* Only names inside OUT. */
    char *safe = name ? ss_path_normalize(name) : NULL;
    if (safe && *safe && strcmp(safe, name) == 0) {
      char *to = ss_path_join(site->out, name);
      if (line[0] == 'p')
        ok = S_journal_put(site, number, name, ino) && ok;
      else
        unlink(to);
      free(to);
    }
    free(safe);
    line = nl + 1;
  }
  free(text);
  return unlink(journal) == 0 && ok;
}

bool ss_site_recover(ss_site *site) {
  char *journal = ss_path_join(site->out, S_JOURNAL);
  bool ok = true;
  if (S_exists(journal)) {
    ok = S_apply_journal(site, journal) && S_empty_new(site);
    if (!ok)
      S_error(site, "cannot finish the last build's commit (%s)", journal);
  }
  free(journal);
  return ok;
}

static void S_journal_line(ss_site *site, ss_buf *j, size_t number) {
  char *path = S_new_path(site, number);
  struct stat sb;
  if (lstat(path, &sb) == 0)
    ss_buf_printf(j, "put %lu %zu %s\n", (unsigned long)sb.st_ino, number,
                  site->puts[number]);
  free(path);
}

static bool S_commit_in_place(ss_site *site) {
  ss_buf j = SS_BUF_INIT;
  for (size_t i = 0; i < site->n_puts; i++)
    S_journal_line(site, &j, i);
  /* What the last site had and this one has not: removed. */
  char **names = ss_xmalloc((site->n_records + 1) * sizeof *names);
  for (size_t i = 0; i < site->n_records; i++)
    names[i] = site->records[i].name;
  qsort(names, site->n_records, sizeof *names, S_cmp_name);
  for (size_t i = 0; i < site->n_last_outputs; i++) {
    const char *old = site->last_outputs[i].name;
    if (!bsearch(&old, names, site->n_records, sizeof *names, S_cmp_name)) {
      ss_buf_printf(&j, "del %s\n", old);
      site->dels =
          ss_xrealloc(site->dels, (site->n_dels + 1) * sizeof *site->dels);
      site->dels[site->n_dels++] = ss_xstrdup(old);
    }
  }
  free(names);
  if (!j.len) {
    /* Nothing changed: nothing to commit. */
    ss_buf_free(&j);
    return true;
  }

  char *staged = ss_path_join(site->out, S_NEW "/journal");
  char *journal = ss_path_join(site->out, S_JOURNAL);
  bool ok = ss_fs_write(staged, j.data, j.len);
  sigset_t all, before;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &before);
  ok = ok && rename(staged, journal) == 0;
  if (ok)
    ok = S_apply_journal(site, journal);
  pthread_sigmask(SIG_SETMASK, &before, NULL);
  free(staged);
  free(journal);
  ss_buf_free(&j);
  /* The old files, now in their numbered places. */
  return ok && S_empty_new(site);
}

static bool S_publish(ss_site *site) {
  if (site->in_place)
    return S_commit_in_place(site);
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
  const char *stamp = "specsite " SPECSITE_VERSION;
  h = ss_digest(h, stamp, strlen(stamp));
  /* The program itself: a rebuilt specsite may render differently under
   * the same version (a developer's build). */
  struct stat self;
  if (stat("/proc/self/exe", &self) == 0) {
    int64_t id[2] = {(int64_t)self.st_size,
                     (int64_t)self.st_mtim.tv_sec * 1000000000 +
                         self.st_mtim.tv_nsec};
    h = ss_digest(h, id, sizeof id);
  }
  unsigned char flags[4] = {site->opts->raw_enabled, site->opts->unsafe_filters,
                            site->sphinx, site->opts->xml};
  h = ss_digest(h, flags, sizeof flags);
  for (size_t i = 0; i < site->n_filters; i++)
    h = S_file_digest(h, site->filters[i]);
  char *conf = site->opts->config ? ss_xstrdup(site->opts->config)
                                  : ss_path_join(site->src, "specsite.conf");
  h = S_file_digest(h, conf);
  free(conf);
  /* conf.py's settings change pages too (todo_include_todos, ...). */
  conf = ss_path_join(site->src, "doc/source/conf.py");
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
  free(site->by_name);
  ss_site_labels_free(site);
  ss_site_images_free(site);
  ss_site_moves_free(site);
  for (size_t i = 0; i < site->n_releases; i++) {
    free(site->releases[i].name);
    free(site->releases[i].url);
    free(site->releases[i].pages);
  }
  free(site->releases);
  size_t n_titles = site->n_main_titles + site->n_impact_titles;
  char **lists[] = {site->filters,       site->release_order, site->main_titles,
                    site->impact_titles, site->title_keys,    site->redirects};
  size_t lens[] = {site->n_filters,
                   site->n_release_order,
                   site->n_main_titles,
                   site->n_impact_titles,
                   site->title_keys ? n_titles : 0,
                   site->n_redirects};
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
  free(site->template_path);
  free((void *)site->cached_titles); /* the titles are the cache's */
  free(site->src_real);
  free(site->root);
  free(site->staging);
  free(site->trash_prefix);
  for (size_t i = 0; i < site->n_puts; i++)
    free(site->puts[i]);
  free(site->puts);
  for (size_t i = 0; i < site->n_dels; i++)
    free(site->dels[i]);
  free(site->dels);
  free(site->project);
  free(site->version);
  ss_site_conf_py_free(site);
  free(site->base_url);
  free(site->theme_dir);
}

static double S_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --timings: the time since the last mark, per stage, so that a slow
 * build says where its time goes. */
static void S_mark(const ss_site *site, double *last, const char *stage) {
  if (!site->opts->timings)
    return;
  double now = S_now();
  fprintf(stderr, "timing: %-10s %7.2f ms\n", stage, (now - *last) * 1e3);
  *last = now;
}

/* A page's reports, as its reader printed them; with -q only the lines
 * of errors. */
static void S_print_messages(FILE *to, const char *text, bool quiet) {
  if (!quiet) {
    fputs(text, to);
    return;
  }
  for (const char *line = text; *line;) {
    const char *nl = strchr(line, '\n');
    size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);
    if (memmem(line, len, ": ERROR: ", 9) ||
        memmem(line, len, ": SEVERE: ", 10))
      fwrite(line, 1, len, to);
    line += len;
  }
}

/* What `collect` keeps of a build that is about to be freed. */
static void S_collect(const ss_site *site, bool published,
                      ss_site_stats *stats) {
  stats->page_reports =
      ss_xmalloc((site->n_pages + 1) * sizeof *stats->page_reports);
  for (size_t i = 0; i < site->n_pages; i++) {
    const ss_page *p = &site->pages[i];
    stats->page_reports[i].url = ss_xstrdup(p->url);
    stats->page_reports[i].source = ss_xstrdup(p->source);
    stats->page_reports[i].path = ss_xstrdup(p->fspath);
  }
  stats->n_page_reports = site->n_pages;
  if (!published)
    return;
  stats->all_changed = !site->in_place;
  size_t n = site->n_puts + site->n_dels;
  stats->changed = ss_xmalloc((n + 1) * sizeof *stats->changed);
  for (size_t i = 0; i < site->n_puts; i++)
    stats->changed[stats->n_changed++] = ss_xstrdup(site->puts[i]);
  for (size_t i = 0; i < site->n_dels; i++)
    stats->changed[stats->n_changed++] = ss_xstrdup(site->dels[i]);
}

void ss_site_stats_free(ss_site_stats *stats) {
  free(stats->out);
  for (size_t i = 0; i < stats->n_page_reports; i++) {
    free(stats->page_reports[i].url);
    free(stats->page_reports[i].source);
    free(stats->page_reports[i].path);
  }
  free(stats->page_reports);
  free(stats->messages);
  for (size_t i = 0; i < stats->n_changed; i++)
    free(stats->changed[i]);
  free(stats->changed);
  memset(stats, 0, sizeof *stats);
}

int ss_site_build(const ss_site_options *opts, ss_site_stats *stats) {
  double start = S_now(), mark = start;
  ss_site site = {0};
  site.opts = opts;
  ss_diag_init(&site.diag);
  if (stats)
    memset(stats, 0, sizeof *stats);
  /* collect: the reports go to memory, for the caller to print. */
  char *collected = NULL;
  size_t collected_len = 0;
  if (opts->collect && stats)
    site.diag.out = open_memstream(&collected, &collected_len);
  /* -q hides warnings and the summary, never an error. */
  if (opts->quiet)
    site.diag.threshold = SS_LEVEL_ERROR;
  site.src = ss_xstrdup(opts->src ? opts->src : ".");
  site.out = opts->out ? ss_xstrdup(opts->out) : NULL;
  int rc = 2;
  int lock = -1;
  bool staged = false;
  struct stat sb;

  if (stat(site.src, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
    S_error(&site, "%s is not a folder (give a spec repository's root)",
            site.src);
    goto done;
  }
  site.src_real = realpath(site.src, NULL);
  if (!ss_site_configure(&site))
    goto done;
  S_mark(&site, &mark, "configure");
  if (!ss_site_discover(&site) || !S_settle_output(&site))
    goto done;
  S_mark(&site, &mark, "discover");
  S_output_names(&site);
  lock = S_lock(&site);
  S_sweep(&site);
  if (!ss_site_recover(&site) || !S_check_output(&site))
    goto done;
  S_mark(&site, &mark, "prepare");
  /* The cache holds the compiled theme (the default one comes compiled):
   * a rebuild parses no layout. */
  ss_site_cache_open(&site);
  site.theme = site.theme_dir
                   ? ss_theme_load_saved(site.theme_dir, site.cache_theme,
                                         site.cache_theme_len, &site.diag)
                   : ss_theme_load_builtin();
  if (!site.theme) {
    S_error(&site, "the theme in %s cannot be used", site.theme_dir);
    goto done;
  }
  S_mark(&site, &mark, "theme");
  ss_site_template_titles(&site);
  S_keys(&site);
  ss_site_cache_load(&site);
  /* A site specsite made, most of it from the cache: commit the changes
   * in place; else build a whole new tree and swap. */
  int from_cache = 0;
  for (size_t i = 0; i < site.n_pages; i++)
    from_cache += site.pages[i].cached;
  site.in_place = site.n_last_outputs > 0 && S_has(site.out, S_MARKER) &&
                  2 * (size_t)from_cache >= site.n_pages;
  if (site.in_place ? !S_empty_new(&site) : !S_make_staging(&site))
    goto done;
  staged = !site.in_place;
  S_mark(&site, &mark, "cache");
  ss_site_git_dates(&site);
  ss_site_order(&site);
  ss_site_read_redirects(&site);
  S_mark(&site, &mark, "dates");
  if (!ss_site_render_pages(&site))
    goto done; /* a filter failed: its message is printed */
  /* Now that every title is known: cached pages whose page must be
   * made again need their body, so they are read again (a page with
   * toctrees, when a title or section it may list changed). */
  ss_site_listing_key(&site);
  if (ss_site_mark_stale(&site) > 0 && !ss_site_render_pages(&site))
    goto done;
  ss_site_finish_pages(&site);
  S_mark(&site, &mark, "render");
  int warnings = 0, rendered = 0, reused = 0, specs = 0;
  for (size_t i = 0; i < site.n_pages; i++) {
    const ss_page *p = &site.pages[i];
    if (p->sum.messages)
      S_print_messages(S_reports(&site), p->sum.messages, opts->quiet);
    warnings += p->sum.warnings;
    rendered += !p->cached;
    reused += p->cached;
    specs += p->release != NULL;
  }
  bool ok = ss_site_generate(&site);
  S_mark(&site, &mark, "generate");
  ok = ok && ss_site_cache_save(&site);
  S_mark(&site, &mark, "save");
  warnings += site.diag.counts[SS_LEVEL_WARNING] +
              site.diag.counts[SS_LEVEL_ERROR] +
              site.diag.counts[SS_LEVEL_SEVERE];
  if (!ok)
    goto done;
  if (opts->warnings_are_errors && warnings > 0) {
    if (!opts->quiet &&
        (S_has(site.out, S_MARKER) || S_has(site.out, ".buildinfo")))
      fprintf(stderr,
              "build failed: %d warning%s, treated as errors (-W); the last "
              "site in %s was kept.\n",
              warnings, warnings == 1 ? "" : "s", site.out);
    else if (!opts->quiet)
      fprintf(stderr,
              "build failed: %d warning%s, treated as errors (-W); nothing "
              "was written to %s.\n",
              warnings, warnings == 1 ? "" : "s", site.out);
    rc = 1;
    goto done;
  }
  if (!S_publish(&site)) {
    S_error(&site, "cannot move the new site into %s", site.out);
    goto done; /* a commit cut short keeps its files for the next build */
  }
  S_mark(&site, &mark, "publish");
  staged = false;
  rc = 0;
  double seconds = S_now() - start;
  if (!opts->quiet && !opts->collect)
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
  if (site.diag.out) {
    fclose(site.diag.out);
    site.diag.out = NULL;
    stats->messages = collected;
    S_collect(&site, rc == 0, stats);
  }
  free(site.out);
  char *trash = site.trash;
  S_free_site(&site);
  if (lock >= 0)
    close(lock); /* before the fork: the child must not hold it */
  S_mark(&site, &mark, "free");
  if (trash)
    S_remove_trash(trash);
  if (opts->timings)
    fprintf(stderr, "timing: %-10s %7.2f ms\n", "total",
            (S_now() - start) * 1e3);
  return rc;
}
