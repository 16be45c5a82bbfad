/* dates.c — each page's date: its file's last commit when the
 * repository is a git work tree, else its mtime (set by discover.c).
 *
 * One `git log` over the history names every file's last commit, run
 * without a shell. It reads the whole history, so its cost grows with
 * the repository's age, and a rebuild would pay it every time; but its
 * answer depends only on the commit HEAD names. So the dates are kept
 * in the cache with that commit's id, which is read from .git's files
 * without running anything: git runs again only when HEAD has moved,
 * or when its id cannot be read that way (then every build asks git,
 * as before). */
#include <ctype.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

extern char **environ;

/* Runs git with `args` in `dir`, returns its standard output (NULL when
 * git is missing or fails). */
static char *S_git(const char *dir, const char *const *args, size_t *len) {
  int fds[2];
  if (pipe(fds) != 0)
    return NULL;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", 0, 0);
  const char *argv[16] = {"git", "-C", dir};
  size_t n = 3;
  for (; args[n - 3] && n < 15; n++)
    argv[n] = args[n - 3];
  argv[n] = NULL;
  pid_t pid;
  int rc = posix_spawnp(&pid, "git", &fa, NULL, (char *const *)argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return NULL;
  }
  ss_buf out = SS_BUF_INIT;
  char chunk[65536];
  ssize_t r;
  while ((r = read(fds[0], chunk, sizeof chunk)) > 0)
    ss_buf_put(&out, chunk, (size_t)r);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ss_buf_free(&out);
    return NULL;
  }
  *len = out.len;
  return out.data ? ss_buf_detach(&out) : ss_xstrdup("");
}

/* The .git of the work tree `dir` is in (it, or a folder above has
 * it), malloc'd; NULL outside a work tree. */
static char *S_find_git(const char *dir) {
  char *real = realpath(dir, NULL);
  char *found = NULL;
  for (char *end = real ? real + strlen(real) : NULL; end && !found;) {
    *end = '\0';
    char *g = ss_path_join(*real ? real : "/", ".git");
    if (access(g, F_OK) == 0)
      found = g;
    else
      free(g);
    char *slash = strrchr(real, '/');
    end = slash && slash != real + strlen(real) ? slash : NULL;
    if (end == real)
      end = NULL;
  }
  free(real);
  return found;
}

/* A small file's first line, without its newline; NULL when absent. */
static char *S_first_line(const char *path) {
  size_t len = 0;
  char *text = ss_read_file(path, &len);
  if (!text)
    return NULL;
  char *nl = memchr(text, '\n', len);
  if (nl)
    *nl = '\0';
  return text;
}

static char *S_first_line_in(const char *dir, const char *name) {
  char *path = ss_path_join(dir, name);
  char *line = S_first_line(path);
  free(path);
  return line;
}

/* A commit id: 40 (SHA-1) or 64 (SHA-256) lower-case hex digits. */
static bool S_is_id(const char *s, size_t len) {
  if (len != 40 && len != 64)
    return false;
  for (size_t i = 0; i < len; i++)
    if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
      return false;
  return true;
}

/* `ref` ("refs/heads/main") in a git folder: its loose file, else its
 * line in packed-refs. */
static char *S_ref(const char *dir, const char *ref) {
  char *id = S_first_line_in(dir, ref);
  if (id && S_is_id(id, strlen(id)))
    return id;
  free(id);
  id = NULL;
  char *path = ss_path_join(dir, "packed-refs");
  size_t len = 0;
  char *packed = ss_read_file(path, &len);
  free(path);
  size_t rl = strlen(ref);
  for (char *line = packed; packed && !id && line < packed + len;) {
    char *nl = memchr(line, '\n', (size_t)(packed + len - line));
    size_t ll = nl ? (size_t)(nl - line) : (size_t)(packed + len - line);
    char *space = memchr(line, ' ', ll);
    if (space && (size_t)(line + ll - space - 1) == rl &&
        memcmp(space + 1, ref, rl) == 0 &&
        S_is_id(line, (size_t)(space - line)))
      id = ss_xstrndup(line, (size_t)(space - line));
    line = nl ? nl + 1 : packed + len;
  }
  free(packed);
  return id;
}

/* The id of the commit HEAD names, from the files of `dot_git` (a
 * folder, or a file "gitdir: X" as in worktrees and submodules). NULL
 * when it cannot be told this way. */
static char *S_head_commit(const char *dot_git) {
  struct stat sb;
  char *dir = NULL;
  if (stat(dot_git, &sb) == 0 && S_ISDIR(sb.st_mode)) {
    dir = ss_xstrdup(dot_git);
  } else {
    char *line = S_first_line(dot_git);
    if (line && strncmp(line, "gitdir: ", 8) == 0) {
      char *parent = ss_path_dir(dot_git);
      dir = line[8] == '/' ? ss_xstrdup(line + 8)
                           : ss_path_join(parent, line + 8);
      free(parent);
    }
    free(line);
  }
  char *head = dir ? S_first_line_in(dir, "HEAD") : NULL;
  char *id = NULL;
  if (head && strncmp(head, "ref: refs/", 10) == 0 && !strstr(head, "..")) {
    id = S_ref(dir, head + 5);
    /* A worktree keeps its refs in the common folder. */
    char *common = id ? NULL : S_first_line_in(dir, "commondir");
    if (common) {
      char *cdir =
          common[0] == '/' ? ss_xstrdup(common) : ss_path_join(dir, common);
      id = S_ref(cdir, head + 5);
      free(cdir);
      free(common);
    }
  } else if (head && S_is_id(head, strlen(head))) {
    id = ss_xstrdup(head);
  }
  free(head);
  free(dir);
  return id;
}

typedef struct {
  const char *rel;
  size_t page;
} S_path_page;

static int S_path_page_cmp(const void *a, const void *b) {
  return strcmp(((const S_path_page *)a)->rel, ((const S_path_page *)b)->rel);
}

/* Dates from `git log`: for each page, the newest commit naming it. */
static void S_dates_from_git(ss_site *site) {
  const char *args[] = {"log",          "--format=%x01%ct", "--name-only",
                        "--no-renames", "--relative",       NULL};
  size_t len = 0;
  char *log = S_git(site->src, args, &len);
  if (!log)
    return;
  /* Each page's file relative to the repository root: through symlinks
   * for a Sphinx layout (doc/source/specs -> ../../specs); sorted, so
   * that each line of the log is looked up, not compared with all. */
  const char *src_real = site->src_real;
  size_t sl = src_real ? strlen(src_real) : 0;
  S_path_page *paths =
      ss_xcalloc(site->n_pages ? site->n_pages : 1, sizeof *paths);
  size_t n = 0;
  for (size_t i = 0; src_real && i < site->n_pages; i++) {
    char *real = realpath(site->pages[i].fspath, NULL);
    if (real && strncmp(real, src_real, sl) == 0 && real[sl] == '/')
      paths[n++] = (S_path_page){ss_xstrdup(real + sl + 1), i};
    free(real);
  }
  qsort(paths, n, sizeof *paths, S_path_page_cmp);
  /* Newest commit first: the first time a file appears is its date. */
  long long when = 0;
  for (char *line = log; line < log + len;) {
    char *nl = memchr(line, '\n', (size_t)(log + len - line));
    if (!nl)
      nl = log + len;
    *nl = '\0';
    if (line[0] == '\x01') {
      when = strtoll(line + 1, NULL, 10);
    } else if (*line) {
      S_path_page want = {line, 0};
      S_path_page *hit =
          bsearch(&want, paths, n, sizeof *paths, S_path_page_cmp);
      ss_page *p = hit ? &site->pages[hit->page] : NULL;
      if (p && !p->git_dated) {
        p->date = when;
        p->git_dated = true;
      }
    }
    line = nl + 1;
  }
  for (size_t i = 0; i < n; i++)
    free((char *)paths[i].rel);
  free(paths);
  free(log);
}

void ss_site_git_dates(ss_site *site) {
  char *dot_git = S_find_git(site->src);
  if (!dot_git)
    return; /* spawning git outside a work tree costs more than a rebuild */
  char *head = S_head_commit(dot_git);
  free(dot_git);
  if (head) {
    ss_buf key = SS_BUF_INIT;
    ss_buf_printf(&key, "%s\n%s", site->src_real ? site->src_real : "", head);
    site->git_key = ss_buf_detach(&key);
    free(head);
  }
  if (site->git_key && site->last_git_key &&
      strcmp(site->git_key, site->last_git_key) == 0) {
    /* The same commit as the last build: the same dates. */
    size_t hint = 0;
    for (size_t d = 0; d < site->n_last_git_dates; d++) {
      const ss_site_dated *old = &site->last_git_dates[d];
      for (size_t k = 0; k < site->n_pages; k++) {
        ss_page *p = &site->pages[(hint + k) % site->n_pages];
        if (strcmp(p->docname, old->docname) == 0) {
          p->date = old->date;
          p->git_dated = true;
          hint = (size_t)(p - site->pages) + 1;
          break;
        }
      }
    }
    return;
  }
  S_dates_from_git(site);
}

void ss_site_utc(int64_t t, bool time_of_day, char *out) {
  /* By hand: gmtime_r loads the time zone file first (six system calls),
   * which UTC does not need. Days to a civil date in the proleptic
   * Gregorian calendar, by 400-year eras of 146097 days. */
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  int64_t secs = t - days * 86400;
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097; /* 0..146096 */
  int64_t yoe =
      (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);     /* 0..365 */
  int64_t mp = (5 * doy + 2) / 153;                          /* from March */
  int64_t day = doy - (153 * mp + 2) / 5 + 1;
  int64_t month = mp < 10 ? mp + 3 : mp - 9;
  int64_t year = yoe + era * 400 + (month <= 2);
  /* Digits by hand: every field is in range (years outside 0-9999 are
   * cut to four digits), which snprintf cannot be told. */
  int64_t fields[6] = {year,        month,          day,
                       secs / 3600, secs / 60 % 60, secs % 60};
  static const char seps[6] = {'-', '-', 'T', ':', ':', 'Z'};
  size_t at = 0;
  for (int f = 0; f < (time_of_day ? 6 : 3); f++) {
    int width = f == 0 ? 4 : 2;
    uint64_t v = (uint64_t)(fields[f] < 0 ? -fields[f] : fields[f]);
    for (int k = width - 1; k >= 0; k--, v /= 10)
      out[at + (size_t)k] = (char)('0' + v % 10);
    at += (size_t)width;
    if (f < 2 || time_of_day)
      out[at++] = seps[f];
  }
  out[at] = '\0';
}
