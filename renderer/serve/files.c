/* files.c — which file of the site a request names, opening it without
 * leaving the site, and its Content-Type. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/buffer.h"
#include "serve.h"

char *ss_serve_file_name(const char *path) {
  if (!path || path[0] != '/')
    return NULL;
  ss_buf name = SS_BUF_INIT;
  const char *p = path + 1;
  while (*p) {
    const char *end = strchr(p, '/');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len == 0) { /* "//": not a name */
      if (!end)
        break;
      ss_buf_free(&name);
      return NULL;
    }
    /* ".", "..", ".specsite", ".buildinfo": not the site's to give. */
    bool bad = p[0] == '.';
    for (size_t i = 0; i < len && !bad; i++) {
      unsigned char c = (unsigned char)p[i];
      bad = c < 0x20 || c == 0x7f || c == '\\';
    }
    if (bad) {
      ss_buf_free(&name);
      return NULL;
    }
    if (name.len)
      ss_buf_putc(&name, '/');
    ss_buf_put(&name, p, len);
    if (!end)
      break;
    p = end + 1;
  }
  /* A folder's page: "/" and "/specs/" are their index.html. */
  size_t n = strlen(path);
  if (path[n - 1] == '/')
    ss_buf_puts(&name, name.len ? "/index.html" : "index.html");
  return ss_buf_detach(&name);
}

int ss_serve_open(int root_fd, const char *name) {
  /* Component by component, no symbolic link followed: the site
   * specsite writes has none, so one found is not the site's. */
  int dir = dup(root_fd);
  const char *p = name;
  while (dir >= 0) {
    const char *slash = strchr(p, '/');
    size_t len = slash ? (size_t)(slash - p) : strlen(p);
    char part[256];
    if (len == 0 || len >= sizeof part) {
      close(dir);
      return -1;
    }
    memcpy(part, p, len);
    part[len] = '\0';
    int fd = openat(dir, part,
                    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK |
                        (slash ? O_DIRECTORY : 0));
    close(dir);
    if (fd < 0 || !slash) {
      struct stat sb;
      if (fd >= 0 && (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))) {
        close(fd);
        fd = -1;
      }
      return fd;
    }
    dir = fd;
    p = slash + 1;
  }
  return -1;
}

const char *ss_serve_content_type(const char *name) {
  static const char *const types[][2] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".rst", "text/plain; charset=utf-8"},
      {".xml", "application/xml"},
      {".atom", "application/atom+xml"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".pdf", "application/pdf"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".otf", "font/otf"},
      {".eot", "application/vnd.ms-fontobject"},
      {".map", "application/json"},
      {".zip", "application/zip"},
      {".gz", "application/gzip"},
      {".csv", "text/csv; charset=utf-8"},
      {".py", "text/plain; charset=utf-8"},
      {".diff", "text/plain; charset=utf-8"},
      {".patch", "text/plain; charset=utf-8"},
      {".yaml", "text/plain; charset=utf-8"},
      {".yml", "text/plain; charset=utf-8"},
  };
  const char *slash = strrchr(name, '/');
  const char *base = slash ? slash + 1 : name;
  /* atom.xml is the feed. */
  if (strcmp(base, "atom.xml") == 0)
    return "application/atom+xml";
  const char *dot = strrchr(base, '.');
  if (dot)
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
      if (strcasecmp(dot, types[i][0]) == 0)
        return types[i][1];
  /* objects.inv and anything else: bytes, never sniffed as HTML. */
  return "application/octet-stream";
}
