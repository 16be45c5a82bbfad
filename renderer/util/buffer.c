#include "buffer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void S_out_of_memory(void) {
  fputs("specsite: out of memory\n", stderr);
  abort();
}

void *ss_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    S_out_of_memory();
  return p;
}

void *ss_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p)
    S_out_of_memory();
  return p;
}

void *ss_xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p)
    S_out_of_memory();
  return p;
}

char *ss_xstrdup(const char *s) { return ss_xstrndup(s, strlen(s)); }

char *ss_xstrndup(const char *s, size_t n) {
  char *p = ss_xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

void ss_buf_grow_slow(ss_buf *b, size_t extra) {
  size_t need = b->len + extra + 1;
  if (need <= b->cap)
    return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need)
    cap *= 2;
  bool fresh = !b->data;
  b->data = ss_xrealloc(b->data, cap);
  b->cap = cap;
  /* Data is a string whenever there is any: room made before anything
   * is written (a writer reserving its output) must not leave garbage
   * for a reader of an empty result (an empty page's body). */
  if (fresh)
    b->data[b->len] = '\0';
}

void ss_buf_put(ss_buf *b, const char *s, size_t len) {
  ss_buf_grow(b, len);
  if (len)
    memcpy(b->data + b->len, s, len);
  b->len += len;
  b->data[b->len] = '\0';
}

void ss_buf_puts(ss_buf *b, const char *s) { ss_buf_put(b, s, strlen(s)); }

/* Formats straight into the spare room, which is usually enough, so most
 * calls format once instead of measuring first. */
void ss_buf_vprintf(ss_buf *b, const char *fmt, va_list ap) {
  if (!strchr(fmt, '%')) { /* a fixed message: nothing to format */
    ss_buf_puts(b, fmt);
    return;
  }
  ss_buf_grow(b, 64);
  size_t room = b->cap - b->len;
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(b->data + b->len, room, fmt, copy);
  va_end(copy);
  if (n < 0) {
    b->data[b->len] = '\0';
    return;
  }
  if ((size_t)n >= room) {
    ss_buf_grow(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  }
  b->len += (size_t)n;
}

void ss_buf_put_long(ss_buf *b, long v) {
  char digits[24];
  size_t i = sizeof digits;
  /* Through unsigned, so that LONG_MIN negates without overflow. */
  unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
  do {
    digits[--i] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0)
    digits[--i] = '-';
  ss_buf_put(b, digits + i, sizeof digits - i);
}

void ss_buf_printf(ss_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ss_buf_vprintf(b, fmt, ap);
  va_end(ap);
}

void ss_buf_clear(ss_buf *b) {
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

char *ss_buf_detach(ss_buf *b) {
  char *s = b->data ? b->data : ss_xstrdup("");
  b->data = NULL;
  b->len = b->cap = 0;
  return s;
}

void ss_buf_free(ss_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

/* Reads `fd` to its end, `regular` when it is a regular file of
 * `size` bytes: one allocation, one read into it (a read shorter than
 * asked is the end), no stdio, which stats the file again and reads it a
 * buffer at a time. Streams grow as they come. More than SS_READ_MAX
 * bytes (a /proc file says it has none) is EFBIG. */
static char *S_read_fd(int fd, bool regular, off_t size, size_t *len) {
  ss_buf b = SS_BUF_INIT;
  ss_buf_grow(&b, regular && size > 0 && size < (off_t)SS_READ_MAX
                      ? (size_t)size + 1
                      : 4096);
  int err = 0;
  for (;;) {
    if (b.len >= SS_READ_MAX) {
      err = EFBIG;
      break;
    }
    if (b.len + 1 >= b.cap)
      ss_buf_grow(&b, 65536);
    size_t want = b.cap - b.len - 1;
    ssize_t n = read(fd, b.data + b.len, want);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      err = n < 0 ? EIO : 0;
      break;
    }
    b.len += (size_t)n;
    if (regular && size > 0 && (size_t)n < want)
      break;
  }
  if (err) {
    ss_buf_free(&b);
    errno = err;
    return NULL;
  }
  b.data[b.len] = '\0';
  if (len)
    *len = b.len;
  return ss_buf_detach(&b);
}

char *ss_read_file(const char *path, size_t *len) {
  /* Without blocking: opening a FIFO would wait for a writer forever. */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return NULL;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    int err = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
    close(fd);
    errno = err;
    return NULL;
  }
  char *text = S_read_fd(fd, true, st.st_size, len);
  int err = errno;
  close(fd);
  errno = err;
  return text;
}

char *ss_read_stream(int fd, size_t *len) {
  struct stat st;
  bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  return S_read_fd(fd, regular, regular ? st.st_size : 0, len);
}

/* A JSON string that is also safe inside a <script>: no "</", and the
 * two line separators JavaScript once refused in strings escaped. */
void ss_buf_put_json(ss_buf *out, const char *s) {
  const unsigned char *start = (const unsigned char *)(s ? s : "");
  ss_buf_putc(out, '"');
  for (const unsigned char *p = start; *p; p++) {
    if (*p == '"' || *p == '\\') {
      ss_buf_putc(out, '\\');
      ss_buf_putc(out, (char)*p);
    } else if (*p < 0x20) {
      ss_buf_printf(out, "\\u%04x", *p);
    } else if (*p == '/' && p > start && p[-1] == '<') {
      ss_buf_puts(out, "\\/");
    } else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
      ss_buf_printf(out, "\\u%04x", p[2] == 0xa8 ? 0x2028 : 0x2029);
      p += 2;
    } else {
      ss_buf_putc(out, (char)*p);
    }
  }
  ss_buf_putc(out, '"');
}
