/* http.c — the server: libmicrohttpd on one socket we bind ourselves
 * (so that "port in use" is told as such, and port 0 names the port it
 * got), one internal thread polling every connection (epoll): a slow or
 * silent client costs a descriptor, never a thread, and is dropped
 * after S_TIMEOUT seconds.
 *
 * An open page's event stream is a response read from a callback that,
 * with nothing to send, suspends its connection: it leaves the event
 * loop until a build (or the heartbeat) resumes it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/buffer.h"
#include "internal.h"

#define S_TIMEOUT 15 /* seconds a connection may say nothing */
#define S_MAX_CONNECTIONS 1024
#define S_MAX_STREAMS 256      /* open pages listening for builds */
#define S_MAX_PAGE (64u << 20) /* an HTML page read to add the script */

typedef struct S_stream S_stream;

struct ss_serve_http {
  struct MHD_Daemon *daemon;
  int listen_fd;
  int port;
  char *root;
  ss_serve_state *state;
  pthread_mutex_t lock; /* the state, the streams */
  S_stream *streams;    /* open event streams, a list */
  size_t n_streams;
  bool stopping;
};

struct S_stream {
  ss_serve_http *http;
  struct MHD_Connection *connection;
  char *page;
  unsigned long since; /* the build the page came from */
  unsigned long sent;  /* the last build told */
  bool suspended, ping;
  ss_buf pending;
  size_t pending_at;
  S_stream *next;
};

/* --- streams ---------------------------------------------------------- */

static ssize_t S_stream_read(void *cls, uint64_t pos, char *buf, size_t max) {
  (void)pos;
  S_stream *s = cls;
  ss_serve_http *h = s->http;
  pthread_mutex_lock(&h->lock);
  if (h->stopping) {
    pthread_mutex_unlock(&h->lock);
    return MHD_CONTENT_READER_END_OF_STREAM;
  }
  if (s->pending_at >= s->pending.len) {
    ss_buf_clear(&s->pending);
    s->pending_at = 0;
    unsigned long build = ss_serve_state_build(h->state);
    if (s->sent < build) {
      char *event = ss_serve_event(h->state, s->page, s->since);
      ss_buf_printf(&s->pending, "event: build\nid: %lu\ndata: %s\n\n", build,
                    event);
      free(event);
      s->sent = build;
    } else if (s->ping) {
      ss_buf_puts(&s->pending, ": ping\n\n");
      s->ping = false;
    } else {
      /* Nothing to say: out of the event loop until a build. */
      s->suspended = true;
      MHD_suspend_connection(s->connection);
      pthread_mutex_unlock(&h->lock);
      return 0;
    }
  }
  size_t n = s->pending.len - s->pending_at;
  if (n > max)
    n = max;
  memcpy(buf, s->pending.data + s->pending_at, n);
  s->pending_at += n;
  pthread_mutex_unlock(&h->lock);
  return (ssize_t)n;
}

static void S_stream_free(void *cls) {
  S_stream *s = cls;
  ss_serve_http *h = s->http;
  pthread_mutex_lock(&h->lock);
  for (S_stream **p = &h->streams; *p; p = &(*p)->next)
    if (*p == s) {
      *p = s->next;
      h->n_streams--;
      break;
    }
  pthread_mutex_unlock(&h->lock);
  free(s->page);
  ss_buf_free(&s->pending);
  free(s);
}

static void S_resume_all(ss_serve_http *h, bool ping) {
  for (S_stream *s = h->streams; s; s = s->next) {
    s->ping = s->ping || ping;
    if (s->suspended) {
      s->suspended = false;
      MHD_resume_connection(s->connection);
    }
  }
}

void ss_serve_http_notify(ss_serve_http *h) {
  pthread_mutex_lock(&h->lock);
  S_resume_all(h, false);
  pthread_mutex_unlock(&h->lock);
}

void ss_serve_http_ping(ss_serve_http *h) {
  pthread_mutex_lock(&h->lock);
  S_resume_all(h, true);
  pthread_mutex_unlock(&h->lock);
}

void ss_serve_http_lock(ss_serve_http *h) { pthread_mutex_lock(&h->lock); }
void ss_serve_http_unlock(ss_serve_http *h) { pthread_mutex_unlock(&h->lock); }

/* --- responses ------------------------------------------------------- */

static enum MHD_Result S_queue(struct MHD_Connection *c, unsigned status,
                               struct MHD_Response *r) {
  if (!r)
    return MHD_NO;
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
  enum MHD_Result ok = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return ok;
}

static enum MHD_Result S_text(struct MHD_Connection *c, unsigned status,
                              const char *type, const char *text) {
  struct MHD_Response *r = MHD_create_response_from_buffer(
      strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
  if (r)
    MHD_add_response_header(r, "Content-Type", type);
  return S_queue(c, status, r);
}

static enum MHD_Result S_events(ss_serve_http *h, struct MHD_Connection *c) {
  const char *page =
      MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "page");
  const char *since =
      MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
  pthread_mutex_lock(&h->lock);
  bool full = h->n_streams >= S_MAX_STREAMS || h->stopping;
  pthread_mutex_unlock(&h->lock);
  if (full)
    return S_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain",
                  "too many open pages\n");
  S_stream *s = ss_xcalloc(1, sizeof *s);
  s->http = h;
  s->connection = c;
  s->page = ss_xstrdup(page && page[0] == '/' ? page : "/");
  s->since = since ? strtoul(since, NULL, 10) : 0;
  /* Reconnect quickly when the server comes back. */
  ss_buf_puts(&s->pending, "retry: 500\n\n");
  struct MHD_Response *r = MHD_create_response_from_callback(
      MHD_SIZE_UNKNOWN, 4096, S_stream_read, s, S_stream_free);
  if (!r) {
    S_stream_free(s);
    return MHD_NO;
  }
  pthread_mutex_lock(&h->lock);
  s->next = h->streams;
  h->streams = s;
  h->n_streams++;
  pthread_mutex_unlock(&h->lock);
  MHD_add_response_header(r, "Content-Type", "text/event-stream");
  MHD_add_response_header(r, "Cache-Control", "no-store");
  return S_queue(c, MHD_HTTP_OK, r);
}

/* An HTML file with the script added; NULL when it cannot be read. */
static char *S_page(ss_serve_http *h, int fd, size_t size, bool at_root,
                    size_t *len) {
  if (size > S_MAX_PAGE)
    return NULL;
  char *html = ss_xmalloc(size + 1);
  size_t got = 0;
  while (got < size) {
    ssize_t n = read(fd, html + got, size - got);
    if (n <= 0)
      break;
    got += (size_t)n;
  }
  pthread_mutex_lock(&h->lock);
  unsigned long build = ss_serve_state_build(h->state);
  pthread_mutex_unlock(&h->lock);
  char *out = ss_serve_inject(html, got, build, ss_serve_state_server(h->state),
                              at_root, len);
  free(html);
  return out;
}

static bool S_is_html(const char *name) {
  const char *dot = strrchr(name, '.');
  return dot && (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0);
}

/* The file NAME of the site, with `status`; false when there is none. */
static enum MHD_Result S_file(ss_serve_http *h, struct MHD_Connection *c,
                              const char *name, unsigned status, bool *found) {
  *found = false;
  int root = open(h->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int fd = root >= 0 ? ss_serve_open(root, name) : -1;
  if (root >= 0)
    close(root);
  struct stat sb;
  if (fd < 0 || fstat(fd, &sb) != 0) {
    if (fd >= 0)
      close(fd);
    return MHD_NO;
  }
  *found = true;
  bool html = S_is_html(name);
  /* The page's identity: its file, and for a page the build it is
   * tagged with (the script carries it). */
  char etag[96];
  pthread_mutex_lock(&h->lock);
  unsigned long build = html ? ss_serve_state_build(h->state) : 0;
  pthread_mutex_unlock(&h->lock);
  snprintf(
      etag, sizeof etag, "\"%lx-%lx-%lx-%lx\"", (unsigned long)sb.st_ino,
      (unsigned long)sb.st_size,
      (unsigned long)(sb.st_mtim.tv_sec * 1000000000L + sb.st_mtim.tv_nsec),
      build);
  const char *match =
      MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
  if (status == MHD_HTTP_OK && match && strstr(match, etag)) {
    close(fd);
    struct MHD_Response *r =
        MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (r)
      MHD_add_response_header(r, "ETag", etag);
    return S_queue(c, MHD_HTTP_NOT_MODIFIED, r);
  }
  struct MHD_Response *r;
  if (html) {
    size_t len = 0;
    char *page =
        S_page(h, fd, (size_t)sb.st_size, status == MHD_HTTP_NOT_FOUND, &len);
    close(fd);
    if (!page)
      return S_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain",
                    "cannot read the page\n");
    r = MHD_create_response_from_buffer_with_free_callback(len, page, free);
    if (!r)
      free(page);
  } else {
    r = MHD_create_response_from_fd64((uint64_t)sb.st_size, fd);
    if (!r)
      close(fd);
  }
  if (r) {
    MHD_add_response_header(r, "Content-Type", ss_serve_content_type(name));
    MHD_add_response_header(r, "ETag", etag);
    MHD_add_response_header(r, "Cache-Control", "no-cache");
  }
  return S_queue(c, status, r);
}

static enum MHD_Result S_not_found(ss_serve_http *h, struct MHD_Connection *c) {
  bool found;
  enum MHD_Result ok = S_file(h, c, "404.html", MHD_HTTP_NOT_FOUND, &found);
  if (found)
    return ok;
  return S_text(c, MHD_HTTP_NOT_FOUND, "text/html; charset=utf-8",
                "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
                "charset=\"utf-8\"><title>Not found</title></head>\n<body><h1>"
                "Not found</h1><p>This site has no such page.</p>"
                "<p><a href=\"/\">The index</a></p></body></html>\n");
}

static enum MHD_Result S_handle(void *cls, struct MHD_Connection *c,
                                const char *url, const char *method,
                                const char *version, const char *upload,
                                size_t *upload_size, void **request) {
  (void)version;
  (void)upload;
  (void)request;
  ss_serve_http *h = cls;
  if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
      strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
    *upload_size = 0;
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen("only GET and HEAD\n"), (void *)"only GET and HEAD\n",
        MHD_RESPMEM_PERSISTENT);
    if (r) {
      MHD_add_response_header(r, "Allow", "GET, HEAD");
      MHD_add_response_header(r, "Content-Type", "text/plain");
    }
    return S_queue(c, MHD_HTTP_METHOD_NOT_ALLOWED, r);
  }
  if (strcmp(url, SS_SERVE_EVENTS_URL) == 0)
    return S_events(h, c);
  if (strcmp(url, SS_SERVE_SCRIPT_URL) == 0)
    return S_text(c, MHD_HTTP_OK, "text/javascript; charset=utf-8",
                  ss_serve_script);
  char *name = ss_serve_file_name(url);
  if (!name)
    return S_not_found(h, c);
  bool found;
  enum MHD_Result ok = S_file(h, c, name, MHD_HTTP_OK, &found);
  if (!found) {
    /* "/specs" names the folder: its page is "/specs/". */
    ss_buf dir = SS_BUF_INIT;
    ss_buf_printf(&dir, "%s/index.html", name);
    int root = open(h->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int fd = root >= 0 ? ss_serve_open(root, dir.data) : -1;
    if (root >= 0)
      close(root);
    if (fd >= 0) {
      close(fd);
      ss_buf_clear(&dir);
      ss_buf_printf(&dir, "%s/", url);
      struct MHD_Response *r =
          MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
      if (r)
        MHD_add_response_header(r, "Location", dir.data);
      ok = S_queue(c, MHD_HTTP_MOVED_PERMANENTLY, r);
    } else {
      ok = S_not_found(h, c);
    }
    ss_buf_free(&dir);
  }
  free(name);
  return ok;
}

/* --- the daemon ------------------------------------------------------ */

/* Percent-decoding of the path, as libmicrohttpd's own, except that a
 * "%00" stays as written: decoded, it would cut the path short
 * ("/%00/etc/passwd" would name "/"), so the name stays one no file
 * has. */
static int S_hex(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static size_t S_unescape(void *cls, struct MHD_Connection *c, char *s) {
  (void)cls;
  (void)c;
  char *out = s;
  for (const char *p = s; *p;) {
    int hi, lo;
    if (p[0] == '%' && (hi = S_hex(p[1])) >= 0 && (lo = S_hex(p[2])) >= 0 &&
        (hi || lo)) {
      *out++ = (char)(hi * 16 + lo);
      p += 3;
    } else {
      *out++ = *p++;
    }
  }
  *out = '\0';
  return (size_t)(out - s);
}

static int S_listen(const char *host, int port, bool *in_use) {
  struct addrinfo hints = {.ai_family = AF_UNSPEC,
                           .ai_socktype = SOCK_STREAM,
                           .ai_flags = AI_NUMERICSERV};
  struct addrinfo *found = NULL;
  char service[16];
  snprintf(service, sizeof service, "%d", port);
  int rc = getaddrinfo(host, service, &hints, &found);
  if (rc != 0) {
    fprintf(stderr, "specsite serve: cannot listen on %s: %s\n", host,
            gai_strerror(rc));
    return -1;
  }
  int fd = -1, err = 0;
  for (struct addrinfo *a = found; a && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      err = errno;
      continue;
    }
    int one = 1;
    /* A server just stopped leaves its port in TIME_WAIT: take it again
     * (Linux still refuses a port another program listens on). */
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, 512) != 0) {
      err = errno;
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) {
    *in_use = err == EADDRINUSE;
    if (*in_use)
      fprintf(stderr,
              "specsite serve: port %d is in use on %s (another server?): "
              "choose another with --port, or --port 0 for any free one\n",
              port, host);
    else
      fprintf(stderr, "specsite serve: cannot listen on %s port %d: %s\n", host,
              port, strerror(err));
  }
  return fd;
}

ss_serve_http *ss_serve_http_start(const char *host, int port, const char *root,
                                   ss_serve_state *state, bool *in_use) {
  *in_use = false;
  int fd = S_listen(host, port, in_use);
  if (fd < 0)
    return NULL;
  struct sockaddr_storage addr;
  socklen_t alen = sizeof addr;
  int got = port;
  if (getsockname(fd, (struct sockaddr *)&addr, &alen) == 0) {
    if (addr.ss_family == AF_INET)
      got = ntohs(((struct sockaddr_in *)&addr)->sin_port);
    else if (addr.ss_family == AF_INET6)
      got = ntohs(((struct sockaddr_in6 *)&addr)->sin6_port);
  }
  ss_serve_http *h = ss_xcalloc(1, sizeof *h);
  h->listen_fd = fd;
  h->port = got;
  h->root = ss_xstrdup(root);
  h->state = state;
  pthread_mutex_init(&h->lock, NULL);
  h->daemon = MHD_start_daemon(
      MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL,
      S_handle, h, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_UNESCAPE_CALLBACK,
      S_unescape, NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)S_TIMEOUT,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned int)S_MAX_CONNECTIONS,
      MHD_OPTION_END);
  if (!h->daemon) {
    fprintf(stderr, "specsite serve: the HTTP server could not start\n");
    close(fd);
    pthread_mutex_destroy(&h->lock);
    free(h->root);
    free(h);
    return NULL;
  }
  return h;
}

int ss_serve_http_port(const ss_serve_http *h) { return h->port; }

void ss_serve_http_stop(ss_serve_http *h) {
  if (!h)
    return;
  pthread_mutex_lock(&h->lock);
  h->stopping = true;
  S_resume_all(h, false);
  pthread_mutex_unlock(&h->lock);
  MHD_stop_daemon(h->daemon);
  close(h->listen_fd);
  pthread_mutex_destroy(&h->lock);
  free(h->root);
  free(h);
}
