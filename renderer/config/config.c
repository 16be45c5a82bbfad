/* config.c — the specsite.conf reader (see config.h). */
#include "config.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *S_trim(const char *s, const char *end,
                          const char **out_end) {
  while (s < end && (*s == ' ' || *s == '\t'))
    s++;
  while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
    end--;
  *out_end = end;
  return s;
}

static void S_add(ss_config *cfg, const char *section, const char *k,
                  size_t klen, const char *v, size_t vlen, int line) {
  if (cfg->len == cfg->cap) {
    cfg->cap = cfg->cap ? cfg->cap * 2 : 16;
    cfg->items = ss_xrealloc(cfg->items, cfg->cap * sizeof *cfg->items);
  }
  cfg->items[cfg->len++] = (ss_config_entry){
      .section = ss_xstrdup(section),
      .key = ss_xstrndup(k, klen),
      .value = ss_xstrndup(v, vlen),
      .line = line,
  };
}

static void S_error(ss_config *cfg, int line, const char *msg) {
  cfg->errors =
      ss_xrealloc(cfg->errors, (cfg->n_errors + 1) * sizeof *cfg->errors);
  cfg->errors[cfg->n_errors++] =
      (ss_config_error){.line = line, .message = ss_xstrdup(msg)};
}

static void S_set_path(ss_config *cfg, const char *path) {
  cfg->path = ss_xstrdup(path ? path : "specsite.conf");
  const char *slash = strrchr(cfg->path, '/');
  cfg->dir = slash ? ss_xstrndup(cfg->path, (size_t)(slash - cfg->path) +
                                                (slash == cfg->path))
                   : ss_xstrdup(".");
}

int ss_config_parse(ss_config *cfg, const char *text, size_t len,
                    const char *path) {
  *cfg = (ss_config){0};
  S_set_path(cfg, path);
  char *section = ss_xstrdup("");
  int nerr = 0, line = 0;
  bool continues = false; /* the last line was a key's */
  const char *p = text, *end = text + len;
  while (p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
      eol = end;
    line++;
    const char *e;
    const char *s = S_trim(p, eol, &e);
    bool indented = s > p;
    p = eol < end ? eol + 1 : end;
    if (s == e || *s == '#' || *s == ';') {
      continues = false;
      continue;
    }
    if (continues && indented && !memchr(s, '=', (size_t)(e - s))) {
      /* an indented line without '=' continues a long value (a licence
       * text), as in Python's configparser */
      ss_config_entry *last = &cfg->items[cfg->len - 1];
      ss_buf b = SS_BUF_INIT;
      ss_buf_printf(&b, "%s %.*s", last->value, (int)(e - s), s);
      free(last->value);
      last->value = ss_buf_detach(&b);
      continue;
    }
    continues = false;
    if (*s == '[') {
      if (e[-1] != ']' || e - s < 3) {
        S_error(cfg, line, "section header must be '[name]'");
        nerr++;
        continue;
      }
      free(section);
      section = ss_xstrndup(s + 1, (size_t)(e - s - 2));
      continue;
    }
    const char *eq = memchr(s, '=', (size_t)(e - s));
    if (!eq) {
      S_error(cfg, line, "expected 'key = value'");
      nerr++;
      continue;
    }
    const char *ke, *ve;
    const char *k = S_trim(s, eq, &ke);
    const char *v = S_trim(eq + 1, e, &ve);
    if (k == ke) {
      S_error(cfg, line, "missing key before '='");
      nerr++;
      continue;
    }
    if (*section == '\0') {
      S_error(cfg, line,
              "key outside a section (start with a header such as "
              "'[check]')");
      nerr++;
      continue;
    }
    S_add(cfg, section, k, (size_t)(ke - k), v, (size_t)(ve - v), line);
    continues = true;
  }
  free(section);
  return nerr;
}

int ss_config_load(ss_config *cfg, const char *path) {
  size_t len = 0;
  char *text = ss_read_file(path, &len);
  if (!text) {
    *cfg = (ss_config){0};
    S_set_path(cfg, path);
    return -1;
  }
  int n = ss_config_parse(cfg, text, len, path);
  free(text);
  return n;
}

void ss_config_free(ss_config *cfg) {
  for (size_t i = 0; i < cfg->len; i++) {
    free(cfg->items[i].section);
    free(cfg->items[i].key);
    free(cfg->items[i].value);
  }
  free(cfg->items);
  for (size_t i = 0; i < cfg->n_errors; i++)
    free(cfg->errors[i].message);
  free(cfg->errors);
  free(cfg->path);
  free(cfg->dir);
  *cfg = (ss_config){0};
}

int ss_release_cmp(const char *a, const char *b) {
  while (*a && *b) {
    if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
      while (*a == '0' && isdigit((unsigned char)a[1]))
        a++;
      while (*b == '0' && isdigit((unsigned char)b[1]))
        b++;
      size_t na = 0, nb = 0;
      while (isdigit((unsigned char)a[na]))
        na++;
      while (isdigit((unsigned char)b[nb]))
        nb++;
      if (na != nb)
        return na < nb ? -1 : 1;
      int c = strncmp(a, b, na);
      if (c)
        return c < 0 ? -1 : 1;
      a += na;
      b += nb;
    } else {
      if (*a != *b)
        return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
      a++;
      b++;
    }
  }
  return *a ? 1 : *b ? -1 : 0;
}

/* A version for ranges: digits and dots, starting with a digit. */
static bool S_is_version(const char *s, size_t n) {
  if (n == 0 || !isdigit((unsigned char)s[0]))
    return false;
  for (size_t i = 0; i < n; i++)
    if (!isdigit((unsigned char)s[i]) && s[i] != '.')
      return false;
  return true;
}

bool ss_release_match(const char *pattern, const char *release) {
  if (!pattern[0] || strcmp(pattern, "*") == 0)
    return true;
  const char *dash = strchr(pattern, '-');
  if (dash && S_is_version(pattern, (size_t)(dash - pattern)) &&
      S_is_version(dash + 1, strlen(dash + 1))) {
    char *lo = ss_xstrndup(pattern, (size_t)(dash - pattern));
    bool in = ss_release_cmp(lo, release) <= 0 &&
              ss_release_cmp(release, dash + 1) <= 0;
    free(lo);
    return in;
  }
  return fnmatch(pattern, release, 0) == 0;
}

bool ss_config_bool(const char *v, bool *ok) {
  static const char *const yes[] = {"yes", "true", "on", "1"};
  static const char *const no[] = {"no", "false", "off", "0"};
  *ok = true;
  for (size_t i = 0; i < 4; i++) {
    if (strcasecmp(v, yes[i]) == 0)
      return true;
    if (strcasecmp(v, no[i]) == 0)
      return false;
  }
  *ok = false;
  return false;
}
