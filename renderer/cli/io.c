/* io.c — the command's input and output.
 *
 * Output to a file is written to a temporary file in the same folder and
 * renamed over the target: a web server or a second build reading the
 * page never sees half of it, and a failed run leaves the old page. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/buffer.h"
#include "cli.h"

static const char *S_shown(const char *path) {
  return strcmp(path, "-") == 0 ? "standard input" : path;
}

char *ss_cli_read_input(const char *path, size_t *len) {
  bool from_stdin = strcmp(path, "-") == 0;
  struct stat st;
  char *text = NULL;
  /* Standard input, or a pipe the user names (`render <(cmd)`), is read
   * as it comes; anything else must be a regular file. */
  if (from_stdin) {
    text = ss_read_stream(0, len);
  } else if (stat(path, &st) == 0 && S_ISFIFO(st.st_mode)) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    text = fd >= 0 ? ss_read_stream(fd, len) : NULL;
    if (fd >= 0)
      close(fd);
  } else {
    text = ss_read_file(path, len);
  }
  if (!text)
    fprintf(stderr, "specsite: cannot read %s: %s\n", S_shown(path),
            strerror(errno));
  return text;
}

static int S_write_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    data += n;
    len -= (size_t)n;
  }
  return 0;
}

/* Devices, pipes and symbolic links are written through in place:
 * renaming over /dev/null or over a link would replace it. */
static int S_write_in_place(const char *path, const char *data, size_t len) {
  int fd = open(path, O_WRONLY | O_TRUNC);
  if (fd < 0)
    return -1;
  int rc = S_write_all(fd, data, len);
  int saved = errno;
  if (close(fd) != 0 && rc == 0)
    return -1;
  errno = saved;
  return rc;
}

static int S_write_atomic(const char *path, const struct stat *old,
                          const char *data, size_t len) {
  ss_buf tmp = SS_BUF_INIT;
  const char *slash = strrchr(path, '/');
  if (slash)
    ss_buf_put(&tmp, path, (size_t)(slash - path) + 1);
  ss_buf_printf(&tmp, ".%s.XXXXXX", slash ? slash + 1 : path);
  int fd = mkstemp(tmp.data);
  if (fd < 0) {
    ss_buf_free(&tmp);
    return -1;
  }
  /* mkstemp makes the file private (0600); give it the mode the page
   * would have had if written directly, or the one it already has. */
  mode_t mask = umask(0);
  umask(mask);
  mode_t mode = old ? (old->st_mode & 07777) : (0666 & ~mask);
  int rc = fchmod(fd, mode);
  if (rc == 0)
    rc = S_write_all(fd, data, len);
  if (close(fd) != 0)
    rc = -1;
  if (rc == 0)
    rc = rename(tmp.data, path);
  if (rc != 0) {
    int saved = errno;
    unlink(tmp.data);
    errno = saved;
  }
  ss_buf_free(&tmp);
  return rc;
}

int ss_cli_write_output(const char *path, const char *data, size_t len) {
  int rc;
  if (!path || strcmp(path, "-") == 0) {
    rc = (fwrite(data, 1, len, stdout) == len && fflush(stdout) == 0) ? 0 : -1;
    path = "standard output";
  } else {
    struct stat st;
    if (lstat(path, &st) != 0)
      rc = errno == ENOENT ? S_write_atomic(path, NULL, data, len) : -1;
    else if (S_ISDIR(st.st_mode)) {
      errno = EISDIR;
      rc = -1;
    } else if (S_ISREG(st.st_mode))
      rc = S_write_atomic(path, &st, data, len);
    else
      rc = S_write_in_place(path, data, len);
  }
  if (rc != 0)
    fprintf(stderr, "specsite: cannot write %s: %s\n", path, strerror(errno));
  return rc;
}
