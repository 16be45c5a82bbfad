/* serve.c — ss_serve_run: the private site folder, the first build, the
 * server, and the loop that turns bursts of changes into rebuilds. */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../util/buffer.h"
#include "internal.h"

/* A burst of events is over when none came for S_QUIET_MS; a long one
 * (a checkout) is built at least every S_BURST_MS. */
#define S_QUIET_MS 4
#define S_BURST_MS 300
#define S_HEARTBEAT_MS 20000

static double S_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static bool S_is_loopback(const char *host) {
  return strcmp(host, "127.0.0.1") == 0 || strcmp(host, "localhost") == 0 ||
         strcmp(host, "::1") == 0 || strncmp(host, "127.", 4) == 0;
}

static int S_remove_one(const char *path, const struct stat *sb, int type,
                        struct FTW *ftw) {
  (void)sb;
  (void)ftw;
  int rc = type == FTW_DP ? rmdir(path) : unlink(path);
  return rc == 0 || errno == ENOENT ? 0 : -1;
}

/* Our private folder, whole; no symbolic link followed. */
static bool S_remove_tree(const char *path) {
  return nftw(path, S_remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0;
}

/* The lines of `now` that `before` does not have: what a rebuild found
 * that the terminal has not shown yet. */
static void S_print_new_problems(const char *before, const char *now) {
  for (const char *line = now; line && *line;) {
    const char *nl = strchr(line, '\n');
    size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);
    bool seen = false;
    for (const char *b = before; b && *b && !seen;) {
      const char *bnl = strchr(b, '\n');
      size_t blen = bnl ? (size_t)(bnl - b + 1) : strlen(b);
      seen = blen == len && memcmp(b, line, len) == 0;
      b += blen;
    }
    if (!seen)
      fwrite(line, 1, len, stderr);
    line += len;
  }
}

/* The repository a file is in: the nearest folder above it with a
 * specsite.conf, a doc/source/conf.py or a .git; else its own folder. */
static char *S_repository_of(const char *file) {
  char *real = realpath(file, NULL);
  if (!real)
    return NULL;
  char *dir = ss_xstrdup(real);
  char *slash = strrchr(dir, '/');
  if (slash)
    *(slash == dir ? slash + 1 : slash) = '\0';
  char *own = ss_xstrdup(dir);
  for (;;) {
    static const char *const marks[] = {"specsite.conf", "doc/source/conf.py",
                                        ".git"};
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
      ss_buf p = SS_BUF_INIT;
      ss_buf_printf(&p, "%s/%s", strcmp(dir, "/") ? dir : "", marks[i]);
      struct stat sb;
      bool yes = stat(p.data, &sb) == 0;
      ss_buf_free(&p);
      if (yes) {
        free(real);
        free(own);
        return dir;
      }
    }
    char *up = strrchr(dir, '/');
    if (!up || strcmp(dir, "/") == 0)
      break;
    *(up == dir ? up + 1 : up) = '\0';
  }
  free(real);
  free(dir);
  return own;
}

/* The site's page for the file: its URL path, or NULL. */
static char *S_page_of(const ss_site_stats *st, const char *file) {
  char *want = realpath(file, NULL);
  char *url = NULL;
  for (size_t i = 0; want && !url && i < st->n_page_reports; i++) {
    char *have = realpath(st->page_reports[i].path, NULL);
    if (have && strcmp(have, want) == 0) {
      ss_buf u = SS_BUF_INIT;
      ss_buf_printf(&u, "/%s", st->page_reports[i].url);
      url = ss_buf_detach(&u);
    }
    free(have);
  }
  free(want);
  return url;
}

/* xdg-open, not a child of ours (a browser it starts may run for as
 * long as the user likes: stopping must not wait for it). */
static void S_open_browser(const char *url, const sigset_t *before) {
  pid_t pid = fork();
  if (pid == 0) {
    if (fork() == 0) {
      pthread_sigmask(SIG_SETMASK, before, NULL);
      setsid();
      execlp("xdg-open", "xdg-open", url, (char *)NULL);
      fprintf(stderr, "specsite serve: no xdg-open: open %s yourself\n", url);
      _exit(127);
    }
    _exit(0);
  }
  if (pid > 0)
    waitpid(pid, NULL, 0);
}

static void S_watch_all(ss_serve_watch *w, const ss_site_options *site,
                        const char *src) {
  ss_serve_watch_tree(w, src);
  if (site->theme_dir)
    ss_serve_watch_file(w, site->theme_dir);
  if (site->config)
    ss_serve_watch_file(w, site->config);
  for (size_t i = 0; i < site->n_filters; i++)
    ss_serve_watch_file(w, site->filters[i]);
}

int ss_serve_run(const ss_serve_options *opts) {
  const char *host = opts->host ? opts->host : "127.0.0.1";
  if (!S_is_loopback(host))
    fprintf(stderr,
            "specsite serve: warning: listening on %s: anyone who can reach "
            "this machine can read the site\n",
            host);

  /* The source: a repository, or a file and the repository it is in. */
  ss_site_options site = opts->site;
  char *src = NULL, *file = NULL;
  struct stat sb;
  const char *given = site.src ? site.src : ".";
  if (stat(given, &sb) != 0) {
    fprintf(stderr, "specsite serve: cannot read %s: %s\n", given,
            strerror(errno));
    return 2;
  }
  if (S_ISDIR(sb.st_mode)) {
    src = ss_xstrdup(given);
  } else {
    file = ss_xstrdup(given);
    src = S_repository_of(given);
    if (!src) {
      fprintf(stderr, "specsite serve: cannot read %s\n", given);
      free(file);
      return 2;
    }
  }

  /* Signals are read from a descriptor, by the loop: blocked in every
   * thread, which inherit this mask. */
  sigset_t stop, before;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop, &before);
  int sigfd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);

  const char *tmp = getenv("TMPDIR");
  ss_buf dir = SS_BUF_INIT;
  ss_buf_printf(&dir, "%s/specsite-serve.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  int rc = 2;
  char *out = NULL;
  ss_serve_state *state = NULL;
  ss_serve_http *http = NULL;
  ss_serve_watch *watch = NULL;
  char *page = NULL;
  ss_site_memo *memo = NULL;
  bool made = false;
  if (!mkdtemp(dir.data)) {
    fprintf(stderr, "specsite serve: cannot make a folder in %s: %s\n",
            tmp && *tmp ? tmp : "/tmp", strerror(errno));
    goto done;
  }
  made = true;
  ss_buf site_dir = SS_BUF_INIT;
  ss_buf_printf(&site_dir, "%s/site", dir.data);
  out = ss_buf_detach(&site_dir);
  site.src = src;
  site.out = out;
  site.collect = true;
  site.progress = false;
  site.quiet = false;
  site.warnings_are_errors = false;
  site.xml = false;
  site.memo = memo = ss_site_memo_new();
  site.private_out = true; /* made by mkdtemp, ours alone */

  /* Watched before the first build: a save during it is not lost. */
  watch = ss_serve_watch_new();
  if (!watch) {
    fprintf(stderr, "specsite serve: cannot watch files: %s\n",
            strerror(errno));
    goto done;
  }
  S_watch_all(watch, &site, src);

  char server_id[32];
  snprintf(server_id, sizeof server_id, "%lx-%lx", (unsigned long)getpid(),
           (unsigned long)time(NULL));
  state = ss_serve_state_new(server_id);
  ss_site_stats stats;
  double t0 = S_now_ms();
  int built = ss_site_build(&site, &stats);
  fputs(stats.messages ? stats.messages : "", stderr);
  if (built == 2 && !stats.out) {
    fprintf(stderr, "specsite serve: the first build failed: nothing to "
                    "serve\n");
    ss_site_stats_free(&stats);
    goto done;
  }
  fprintf(stderr, "built %d pages in %.0f ms\n", stats.pages, S_now_ms() - t0);
  if (file)
    page = S_page_of(&stats, file);
  if (file && !page)
    fprintf(stderr,
            "specsite serve: %s is not a page of the site of %s: serving the "
            "site\n",
            file, src);
  ss_serve_state_add(state, &stats, built != 0);

  bool in_use = false;
  http = ss_serve_http_start(host, opts->port, out, state, &in_use);
  if (!http)
    goto done;
  ss_buf url = SS_BUF_INIT;
  bool v6 = strchr(host, ':') != NULL;
  ss_buf_printf(&url, "http://%s%s%s:%d%s", v6 ? "[" : "", host, v6 ? "]" : "",
                ss_serve_http_port(http), page ? page : "/");
  printf("Serving the site of %s at %s\n", src, url.data);
  printf("Pages reload when their sources change. Ctrl-C stops.\n");
  fflush(stdout);
  if (opts->open_browser)
    S_open_browser(url.data, &before);
  ss_buf_free(&url);

  /* The loop: a change starts a burst; when it is over, a build; the
   * pages it changed are told. */
  double last_beat = S_now_ms();
  for (;;) {
    struct pollfd fds[2] = {{.fd = sigfd, .events = POLLIN},
                            {.fd = ss_serve_watch_fd(watch), .events = POLLIN}};
    int n = poll(fds, 2, S_HEARTBEAT_MS);
    if (n < 0 && errno != EINTR)
      break;
    /* Children that ended (a build's remover of an old site, which
     * `build` leaves to end on its own): reaped between builds, so that
     * no build's own wait is disturbed. */
    while (waitpid(-1, NULL, WNOHANG) > 0)
      ;
    if (fds[0].revents & POLLIN)
      break; /* SIGINT, SIGTERM, SIGHUP: read below */
    if (S_now_ms() - last_beat >= S_HEARTBEAT_MS) {
      ss_serve_http_ping(http);
      last_beat = S_now_ms();
    }
    if (!(fds[1].revents & POLLIN))
      continue;
    double first = S_now_ms();
    ss_serve_changes burst = {0};
    int changes = ss_serve_watch_drain(watch, &burst);
    bool stopped = false;
    while (S_now_ms() - first < S_BURST_MS) {
      struct pollfd more[2] = {fds[0], fds[1]};
      if (poll(more, 2, S_QUIET_MS) <= 0)
        break;
      if (more[0].revents & POLLIN) {
        stopped = true;
        break;
      }
      changes += ss_serve_watch_drain(watch, &burst);
    }
    if (stopped || !changes) {
      ss_serve_changes_clear(&burst);
      if (stopped)
        break;
      continue;
    }
    double start = S_now_ms();
    ss_site_stats next;
    /* The files whose contents alone changed: the build need not walk
     * the tree to find them. */
    site.touched = burst.structural ? NULL : (const char *const *)burst.paths;
    site.n_touched = burst.structural ? 0 : burst.n;
    int result = ss_site_build(&site, &next);
    site.touched = NULL;
    site.n_touched = 0;
    ss_serve_changes_clear(&burst);
    double took = S_now_ms() - start;
    ss_serve_http_lock(http);
    const ss_site_stats *last = ss_serve_state_stats(state);
    S_print_new_problems(last->messages, next.messages);
    size_t n_changed = next.n_changed;
    bool all = next.all_changed;
    ss_serve_state_add(state, &next, result != 0);
    ss_serve_http_unlock(http);
    ss_serve_http_notify(http);
    if (!opts->quiet) {
      if (result != 0)
        fprintf(stderr,
                "rebuild failed in %.1f ms: the last good site is served\n",
                took);
      else if (all)
        fprintf(stderr, "rebuilt in %.1f ms: the whole site\n", took);
      else
        fprintf(stderr, "rebuilt in %.1f ms: %zu file%s changed\n", took,
                n_changed, n_changed == 1 ? "" : "s");
    }
  }
  /* Read, so that unblocking the signals at the end does not deliver
   * it again. */
  struct signalfd_siginfo info;
  while (read(sigfd, &info, sizeof info) == (ssize_t)sizeof info)
    ;
  rc = 0;
  fprintf(stderr, "specsite serve: stopped\n");

done:
  ss_serve_http_stop(http);
  ss_serve_watch_free(watch);
  ss_serve_state_free(state);
  ss_site_memo_free(memo);
  /* A build's remover of an old site may still run in the folder. */
  while (waitpid(-1, NULL, 0) > 0)
    ;
  if (made && !S_remove_tree(dir.data))
    fprintf(stderr, "specsite serve: cannot remove %s\n", dir.data);
  ss_buf_free(&dir);
  free(out);
  free(src);
  free(file);
  free(page);
  if (sigfd >= 0)
    close(sigfd);
  pthread_sigmask(SIG_SETMASK, &before, NULL);
  return rc;
}
