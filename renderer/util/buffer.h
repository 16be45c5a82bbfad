/* buffer.h — growable byte strings, the one string type of specsite.
 *
 * A buffer always keeps a terminating NUL after its `len` bytes, so
 * `buf.data` can be passed to C string functions when the content has no
 * NUL of its own. Allocation failure aborts: specsite has no useful way to
 * continue without memory, and checking every append would bury the logic.
 */
#ifndef SS_BUFFER_H
#define SS_BUFFER_H

#include <stdarg.h>
#include <stddef.h>

typedef struct ss_buf {
  char *data; /* NUL-terminated; NULL until the first append */
  size_t len;
  size_t cap;
} ss_buf;

#define SS_BUF_INIT                                                            \
  { NULL, 0, 0 }

/* Reallocates so that `extra` more bytes (plus the NUL) fit; the slow
 * path of ss_buf_grow, for the inline helpers below. */
void ss_buf_grow_slow(ss_buf *b, size_t extra);

/* Makes room for `extra` more bytes (plus the NUL). Inline: the renderer
 * appends to buffers a few million times per corpus, and almost every
 * call finds room already. */
static inline void ss_buf_grow(ss_buf *b, size_t extra) {
  if (b->len + extra + 1 > b->cap)
    ss_buf_grow_slow(b, extra);
}
/* Appends `len` bytes. */
void ss_buf_put(ss_buf *b, const char *s, size_t len);
/* Appends a NUL-terminated string. */
void ss_buf_puts(ss_buf *b, const char *s);
/* Appends one byte. Inline for the same reason as ss_buf_grow. */
static inline void ss_buf_putc(ss_buf *b, char c) {
  if (b->len + 2 > b->cap)
    ss_buf_grow_slow(b, 1);
  b->data[b->len++] = c;
  b->data[b->len] = '\0';
}
/* Appends printf-formatted text. */
void ss_buf_printf(ss_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ss_buf_vprintf(ss_buf *b, const char *fmt, va_list ap);
/* Appends a number in decimal (what printf's %ld writes, without
 * printf's cost: writers print line numbers and levels often). */
void ss_buf_put_long(ss_buf *b, long v);

/* Appends `s` as a JSON string, quoted; also safe inside an HTML
 * <script> ("</" and the line separators U+2028/9 escaped). NULL is "". */
void ss_buf_put_json(ss_buf *out, const char *s);
/* Empties the buffer, keeping its storage. */
void ss_buf_clear(ss_buf *b);
/* Returns the content as a heap string the caller owns; the buffer is
 * left empty. Never returns NULL. */
char *ss_buf_detach(ss_buf *b);
/* Frees the storage. */
void ss_buf_free(ss_buf *b);

/* Heap helpers that abort on failure. */
void *ss_xmalloc(size_t n);
void *ss_xcalloc(size_t n, size_t size);
void *ss_xrealloc(void *p, size_t n);
char *ss_xstrdup(const char *s);
char *ss_xstrndup(const char *s, size_t n);

/* The most a file read whole may hold: a hostile repository's special
 * file (/dev/zero, a /proc file) is an error, not all the memory. */
#define SS_READ_MAX ((size_t)256 << 20)

/* Reads a whole regular file (at most SS_READ_MAX bytes; NUL-terminated,
 * *len its length); returns NULL, errno set, on failure: EISDIR for a
 * folder, EINVAL for a FIFO, device or socket (opened without blocking,
 * never read), EFBIG past the limit. Every file of a repository is read
 * so. */
char *ss_read_file(const char *path, size_t *len);
/* Reads what `fd` gives to its end (standard input, a pipe the user
 * named), within the same limit. */
char *ss_read_stream(int fd, size_t *len);

#endif
