/* settings.c — the [site] and [sections] parts of specsite.conf, and the
 * template's sections that the pages navigate by.
 *
 *   [site]
 *   project = Fuel Specs           the name in headers (default: the
 *                                  repository folder's name)
 *   base-url = https://specs.example.org/   sitemap and feed links
 *   theme = themes/mine            a theme folder (default: built in)
 *   filter = filters/badges.lua    repeatable; after --filter ones
 *   release-order = 11.0 10.0 9.0  releases listed first, in this order
 *   template = specs/template.rst  where the main and impact sections
 *                                  come from (default: specs/template.rst)
 *
 *   [sections]
 *   Proposed change = Proposed changes   a spec title = the template's
 *
 * Titles also match when they differ only in case, punctuation or a
 * plural "s" ("Proposed change" / "Proposed changes", "Testing, QA" /
 * "Testing QA"), so most repositories need no [sections] at all. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../check/check.h"
#include "../config/config.h"
#include "internal.h"

/* The seed template's sections, for repositories without a template. */
static const char *const S_default_main[] = {
    "Problem description", "Proposed change", "Alternatives",
    "Implementation",      "Testing",         "Documentation impact",
    "References"};
static const char *const S_default_impacts[] = {
    "Data model impact",     "REST API impact",       "Upgrade impact",
    "Security impact",       "Notifications impact",  "Other end user impact",
    "Performance impact",    "Other deployer impact", "Developer impact",
    "Infrastructure impact", "Documentation impact"};

/* The key titles compare by: lower-case letters and digits, without a
 * final plural "s". */
static void S_title_key(const char *title, ss_buf *out) {
  ss_buf_clear(out);
  for (const unsigned char *p = (const unsigned char *)title; *p; p++)
    if (isalnum(*p))
      ss_buf_putc(out, (char)tolower(*p));
  if (out->len > 1 && out->data[out->len - 1] == 's')
    out->data[--out->len] = '\0';
}

int ss_site_canonical_title(const ss_site *site, const char *title) {
  for (size_t i = 0; i < site->n_aliases; i++)
    if (strcmp(site->aliases[i].from, title) == 0) {
      title = site->aliases[i].to;
      break;
    }
  ss_buf key = SS_BUF_INIT;
  S_title_key(title, &key);
  int found = -1;
  size_t n = site->n_main_titles + site->n_impact_titles;
  for (size_t i = 0; i < n && found < 0; i++)
    if (strcmp(site->title_keys[i], key.data ? key.data : "") == 0)
      found = (int)i;
  ss_buf_free(&key);
  return found;
}

static void S_push(char ***list, size_t *n, const char *s) {
  *list = ss_xrealloc(*list, (*n + 1) * sizeof **list);
  (*list)[(*n)++] = ss_xstrdup(s);
}

static bool S_is_impact(const char *title) {
  size_t n = strlen(title);
  return n >= 6 && strcasecmp(title + n - 6, "impact") == 0;
}

/* Main sections: the template's first-level sections that are not
 * impacts; impacts: its sections at any level named "... impact". */
static void S_template_sections(ss_site *site, const char *path) {
  size_t len = 0;
  char *text = path ? ss_read_file(path, &len) : NULL;
  ss_check_template *t = text ? ss_check_template_new(text, len, path) : NULL;
  free(text);
  if (t && t->len > 1) {
    for (size_t i = 1; i < t->len; i++) {
      const ss_check_section *s = &t->sections[i];
      if (S_is_impact(s->title))
        S_push(&site->impact_titles, &site->n_impact_titles, s->title);
      else if (s->parent == 0)
        S_push(&site->main_titles, &site->n_main_titles, s->title);
    }
  } else {
    for (size_t i = 0; i < sizeof S_default_main / sizeof *S_default_main; i++)
      S_push(&site->main_titles, &site->n_main_titles, S_default_main[i]);
    for (size_t i = 0; i < sizeof S_default_impacts / sizeof *S_default_impacts;
         i++)
      S_push(&site->impact_titles, &site->n_impact_titles,
             S_default_impacts[i]);
  }
  if (t)
    ss_check_template_free(t);
}

static void S_problem(ss_site *site, const char *path, int line,
                      const char *fmt, const char *arg) {
  ss_buf m = SS_BUF_INIT;
  ss_buf_printf(&m, fmt, arg);
  ss_diag_report(&site->diag, path, line, SS_LEVEL_ERROR, m.data);
  ss_buf_free(&m);
}

/* A path the configuration names: relative to its folder, or absolute. */
static char *S_conf_path(const char *dir, const char *value) {
  return value[0] == '/' ? ss_xstrdup(value) : ss_path_join(dir, value);
}

/* Whether a file the repository's own configuration names may be used:
 * one that exists must be inside the repository (a symbolic link out of
 * it is not the repository's to publish or run). A configuration given
 * with --config is the user's own choice: its paths are taken as they
 * are. One that does not exist is left to the code that opens it, which
 * says so. */
static bool S_confined(ss_site *site, bool own_config, const char *conf,
                       int line, const char *key, const char *path) {
  struct stat sb;
  if (own_config || lstat(path, &sb) != 0 || ss_fs_inside(path, site->src_real))
    return true;
  ss_buf m = SS_BUF_INIT;
  ss_buf_printf(&m,
                "%s = %s is outside the repository (or a symbolic link out "
                "of it): not used; name it on the command line to use it",
                key, path);
  ss_diag_report(&site->diag, conf, line, SS_LEVEL_ERROR, m.data);
  ss_buf_free(&m);
  return false;
}

/* base-url: an http or https URL, or nothing: it is written into the
 * feed and the sitemap that readers' programs follow. */
static bool S_is_web_url(const char *url) {
  return strncasecmp(url, "https://", 8) == 0 ||
         strncasecmp(url, "http://", 7) == 0;
}

bool ss_site_configure(ss_site *site) {
  const ss_site_options *o = site->opts;
  char *path = o->config ? ss_xstrdup(o->config)
                         : ss_path_join(site->src, "specsite.conf");
  ss_config cfg;
  bool ok = true;
  char *tmpl = NULL;
  int tmpl_line = 0; /* of a configured one */
  struct stat sb;
  if (!o->config && lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode) &&
      !ss_fs_inside(path, site->src_real)) {
    /* The repository's own specsite.conf, linked to a file elsewhere:
     * whoever wrote the repository does not decide what is read. */
    S_problem(site, path, 0,
              "specsite.conf is a symbolic link out of the repository: not "
              "read (give it with --config to use it)%s",
              "");
    memset(&cfg, 0, sizeof cfg);
    free(path);
    return false;
  }
  if (o->config || stat(path, &sb) == 0) {
    int n = ss_config_load(&cfg, path);
    if (n < 0) {
      S_problem(site, path, 0, "cannot read the configuration file%s", "");
      ok = false;
    }
    for (size_t i = 0; n > 0 && i < cfg.n_errors; i++) {
      S_problem(site, path, cfg.errors[i].line, "%s", cfg.errors[i].message);
      ok = false;
    }
  } else {
    memset(&cfg, 0, sizeof cfg);
  }
  for (size_t i = 0; i < o->n_filters; i++)
    S_push(&site->filters, &site->n_filters, o->filters[i]);
  bool own = o->config != NULL; /* the user's, not the repository's */
  for (size_t i = 0; i < cfg.len; i++) {
    const ss_config_entry *e = &cfg.items[i];
    if (strcmp(e->section, "sections") == 0) {
      site->aliases = ss_xrealloc(site->aliases, (site->n_aliases + 1) *
                                                     sizeof *site->aliases);
      site->aliases[site->n_aliases++] =
          (ss_site_alias){ss_xstrdup(e->key), ss_xstrdup(e->value)};
      continue;
    }
    if (strcmp(e->section, "site") != 0)
      continue; /* [check] and others belong to other commands */
    const char *dir = cfg.dir ? cfg.dir : ".";
    if (strcmp(e->key, "project") == 0) {
      free(site->project);
      site->project = ss_xstrdup(e->value);
    } else if (strcmp(e->key, "base-url") == 0 && *e->value &&
               !S_is_web_url(e->value)) {
      ss_diag_report(&site->diag, path, e->line, SS_LEVEL_WARNING,
                     "base-url must be an http:// or https:// URL: not used");
    } else if (strcmp(e->key, "base-url") == 0) {
      free(site->base_url);
      size_t n = strlen(e->value);
      ss_buf u = SS_BUF_INIT;
      ss_buf_puts(&u, e->value);
      if (n == 0 || e->value[n - 1] != '/')
        ss_buf_putc(&u, '/');
      site->base_url = ss_buf_detach(&u);
    } else if (strcmp(e->key, "theme") == 0) {
      char *t = S_conf_path(dir, e->value);
      if (!o->theme_dir && S_confined(site, own, path, e->line, e->key, t)) {
        free(site->theme_dir);
        site->theme_dir = t;
        t = NULL;
      } else if (!o->theme_dir) {
        ok = false;
      }
      free(t);
    } else if (strcmp(e->key, "filter") == 0) {
      char *f = S_conf_path(dir, e->value);
      if (S_confined(site, own, path, e->line, e->key, f))
        S_push(&site->filters, &site->n_filters, f);
      else
        ok = false;
      free(f);
    } else if (strcmp(e->key, "release-order") == 0) {
      char *copy = ss_xstrdup(e->value), *save = NULL;
      for (char *t = strtok_r(copy, " \t,", &save); t;
           t = strtok_r(NULL, " \t,", &save))
        S_push(&site->release_order, &site->n_release_order, t);
      free(copy);
    } else if (strcmp(e->key, "template") == 0) {
      char *t = S_conf_path(dir, e->value);
      if (S_confined(site, own, path, e->line, e->key, t)) {
        free(tmpl);
        tmpl = t;
        tmpl_line = e->line;
      } else {
        free(t);
        ok = false;
      }
    } else {
      ss_buf m = SS_BUF_INIT;
      ss_buf_printf(&m,
                    "unknown key '%s' in [site] (known: project, base-url, "
                    "theme, filter, release-order, template)",
                    e->key);
      ss_diag_report(&site->diag, path, e->line, SS_LEVEL_WARNING, m.data);
      ss_buf_free(&m);
    }
  }
  if (!tmpl)
    tmpl = ss_path_join(site->src, "specs/template.rst");
  if (stat(tmpl, &sb) == 0) {
    site->template_path = tmpl;
    site->template_stamp[0] = (int64_t)sb.st_size;
    site->template_stamp[1] =
        (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
    site->template_stamp[2] = (int64_t)sb.st_ino;
  } else {
    if (tmpl_line)
      ss_diag_report(&site->diag, path, tmpl_line, SS_LEVEL_WARNING,
                     "the template file cannot be read: the seed "
                     "template's sections are used");
    free(tmpl);
  }
  ss_site_read_conf_py(site);
  if (!site->project && site->conf_project)
    site->project = ss_xstrdup(site->conf_project);
  if (!site->project) {
    /* The repository folder's name, as a reader would call it. */
    char *real = realpath(site->src, NULL);
    const char *base = real ? strrchr(real, '/') : NULL;
    site->project = ss_xstrdup(base && base[1] ? base + 1 : "Specs");
    free(real);
  }
  if (!site->base_url)
    site->base_url = ss_xstrdup("");
  if (!site->theme_dir && o->theme_dir)
    site->theme_dir = ss_xstrdup(o->theme_dir);
  ss_config_free(&cfg);
  free(path);
  return ok;
}

void ss_site_template_titles(ss_site *site) {
  if (site->cached_titles) {
    for (size_t i = 0; i < site->n_cached_main; i++)
      S_push(&site->main_titles, &site->n_main_titles, site->cached_titles[i]);
    for (size_t i = 0; i < site->n_cached_impact; i++)
      S_push(&site->impact_titles, &site->n_impact_titles,
             site->cached_titles[site->n_cached_main + i]);
  } else {
    S_template_sections(site, site->template_path);
  }
  size_t nt = site->n_main_titles + site->n_impact_titles;
  site->title_keys = ss_xmalloc((nt ? nt : 1) * sizeof *site->title_keys);
  for (size_t i = 0; i < nt; i++) {
    ss_buf key = SS_BUF_INIT;
    S_title_key(i < site->n_main_titles
                    ? site->main_titles[i]
                    : site->impact_titles[i - site->n_main_titles],
                &key);
    site->title_keys[i] = key.data ? ss_buf_detach(&key) : ss_xstrdup("");
  }
}
