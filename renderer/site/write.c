/* write.c — output files written by threads of their own while the main
 * thread makes the next ones.
 *
 * A full build writes some four hundred files, and on ext4 here creating
 * one costs more than making its bytes (about 120 us of the kernel's
 * time each): written by the main thread alone, they were half of a full
 * build, with the other core idle. The main thread still decides
 * everything in order (names, keys, the cache's records); only the
 * writing is handed over, and each file's inode, which the cache
 * records, is read from its job once the writers are done. A rebuild
 * that writes a file or two starts no thread: starting them (stacks,
 * an arena each, a wake-up) costs more than the writes. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

struct ss_site_write {
  char *path, *data; /* owned */
  size_t len;
  uint64_t ino; /* once written; 0 when it could not be */
  struct ss_site_write *next;
};

struct ss_site_writer {
  pthread_mutex_t lock;
  pthread_cond_t ready;
  ss_site_write *head, *tail; /* waiting to be written */
  bool closing;
  size_t queued;      /* before any thread started */
  pthread_t *threads; /* started once S_START_AT files wait */
  int n_threads, want;
};

/* Files waiting before writer threads are worth starting. */
enum { S_START_AT = 4 };

/* Writes a whole file, creating its folder; its inode, or 0. */
static uint64_t S_write(const char *path, const char *data, size_t len) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0 && errno == ENOENT && ss_fs_mkdirs_for(path))
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0)
    return 0;
  bool ok = true;
  for (size_t done = 0; ok && done < len;) {
    ssize_t w = write(fd, data + done, len - done);
    if (w < 0 && errno == EINTR)
      continue;
    ok = w >= 0;
    done += ok ? (size_t)w : 0;
  }
  struct stat sb;
  ok = ok && fstat(fd, &sb) == 0;
  ok = close(fd) == 0 && ok;
  return ok ? (uint64_t)sb.st_ino : 0;
}

static void *S_writer(void *arg) {
  ss_site_writer *w = arg;
  pthread_mutex_lock(&w->lock);
  for (;;) {
    while (!w->head && !w->closing)
      pthread_cond_wait(&w->ready, &w->lock);
    ss_site_write *job = w->head;
    if (!job)
      break; /* closing, and nothing left */
    w->head = job->next;
    if (!w->head)
      w->tail = NULL;
    pthread_mutex_unlock(&w->lock);
    job->ino = S_write(job->path, job->data, job->len);
    free(job->data);
    job->data = NULL;
    pthread_mutex_lock(&w->lock);
  }
  pthread_mutex_unlock(&w->lock);
  return NULL;
}

ss_site_writer *ss_site_writer_start(int threads) {
  ss_site_writer *w = ss_xcalloc(1, sizeof *w);
  pthread_mutex_init(&w->lock, NULL);
  pthread_cond_init(&w->ready, NULL);
  w->want = threads;
  return w;
}

ss_site_write *ss_site_writer_put(ss_site_writer *w, char *path, char *data,
                                  size_t len) {
  ss_site_write *job = ss_xcalloc(1, sizeof *job);
  *job = (ss_site_write){path, data, len, 0, NULL};
  if (w && w->want > 0 && !w->threads) {
    /* No thread yet: the file waits in the queue, until enough do. */
    if (w->tail)
      w->tail->next = job;
    else
      w->head = job;
    w->tail = job;
    if (++w->queued < S_START_AT)
      return job;
    w->threads = ss_xcalloc((size_t)w->want, sizeof *w->threads);
    for (int i = 0; i < w->want; i++)
      if (pthread_create(&w->threads[w->n_threads], NULL, S_writer, w) == 0)
        w->n_threads++;
    return job; /* the threads take the queue (or finish writes it) */
  }
  if (!w || w->n_threads == 0) {
    /* No thread could be started: written here. */
    job->ino = S_write(path, data, len);
    free(job->data);
    job->data = NULL;
    return job;
  }
  pthread_mutex_lock(&w->lock);
  if (w->tail)
    w->tail->next = job;
  else
    w->head = job;
  w->tail = job;
  pthread_cond_signal(&w->ready);
  pthread_mutex_unlock(&w->lock);
  return job;
}

void ss_site_writer_finish(ss_site_writer *w) {
  if (!w)
    return;
  pthread_mutex_lock(&w->lock);
  w->closing = true;
  pthread_cond_broadcast(&w->ready);
  pthread_mutex_unlock(&w->lock);
  for (int i = 0; i < w->n_threads; i++)
    pthread_join(w->threads[i], NULL);
  /* What no thread wrote (none was started): written here. */
  for (ss_site_write *job = w->head; job; job = job->next) {
    job->ino = S_write(job->path, job->data, job->len);
    free(job->data);
    job->data = NULL;
  }
  pthread_mutex_destroy(&w->lock);
  pthread_cond_destroy(&w->ready);
  free(w->threads);
  free(w);
}

uint64_t ss_site_write_done(ss_site_write *job, char **path) {
  uint64_t ino = job->ino;
  *path = job->path;
  free(job);
  return ino;
}
