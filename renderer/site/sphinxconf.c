/* sphinxconf.c — what a Sphinx layout's conf.py says about the site,
 * read as data (config/confpy.h), never run.
 *
 *   project, version         the name in headers; objects.inv's header
 *   root_doc / master_doc    the document toctrees start from
 *   exclude_patterns         sources that are no documents (Sphinx's
 *                            Matcher: "**" crosses folders, "**\/x" also
 *                            matches "x")
 *   html_extra_path          copied to the site's root (.htaccess)
 *   html_static_path         copied to _static/
 *   html_use_index           genindex.html
 *   keep_warnings            problems shown in pages too
 *   todo_include_todos       todo boxes shown
 *   extensions               sphinxcontrib.httpdomain's labels
 *
 * A setting the file assigns in a way that is not a literal (a call, a
 * loop, a value read from a file) is an INFO line naming it, and its
 * default applies, as it would for an unset one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../config/confpy.h"
#include "internal.h"

/* Sphinx's own: never documents (sphinx.project.EXCLUDE_PATHS). */
static const char *const S_always_excluded[] = {"**/_sources", ".#*", "**/.#*",
                                                "*.lproj/**"};

static void S_push(char ***list, size_t *n, const char *s) {
  *list = ss_xrealloc(*list, (*n + 1) * sizeof **list);
  (*list)[(*n)++] = ss_xstrdup(s);
}

/* INFO, as Sphinx's own notes are: printed, never counted a warning. */
static void S_unreadable(const ss_site *site, const char *path,
                         const ss_confpy *c, const char *name) {
  int line = ss_confpy_unreadable(c, name);
  if (!line || site->opts->quiet)
    return;
  fprintf(stderr,
          "%s:%d: INFO: %s is not a literal value: specsite does not run "
          "conf.py, and uses the default\n",
          path, line, name);
}

static size_t S_strings(const ss_site *site, const char *path,
                        const ss_confpy *c, const char *name,
                        const char *const **out) {
  S_unreadable(site, path, c, name);
  return ss_confpy_strings(c, name, out);
}

void ss_site_read_conf_py(ss_site *site) {
  site->root_doc_name = ss_xstrdup("index");
  site->html_use_index = true;
  site->todo_include_todos = true; /* specsite's default without Sphinx */
  char *path = ss_path_join(site->src, "doc/source/conf.py");
  size_t len = 0;
  char *text = ss_read_file(path, &len);
  if (!text) {
    free(path);
    return;
  }
  site->conf_py = true;
  ss_confpy *c = ss_confpy_parse(text, len);
  free(text);
  static const char *const names[] = {
      "project",        "version",       "root_doc",          "master_doc",
      "html_use_index", "keep_warnings", "todo_include_todos"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    S_unreadable(site, path, c, names[i]);
  const char *s;
  if ((s = ss_confpy_str(c, "project")))
    site->conf_project = ss_xstrdup(s);
  if ((s = ss_confpy_str(c, "version")))
    site->version = ss_xstrdup(s);
  /* root_doc is Sphinx 4's name for master_doc; the latter still works. */
  if ((s = ss_confpy_str(c, "root_doc")) ||
      (s = ss_confpy_str(c, "master_doc"))) {
    free(site->root_doc_name);
    site->root_doc_name = ss_xstrdup(s);
  }
  site->html_use_index = ss_confpy_bool(c, "html_use_index", true);
  site->keep_warnings = ss_confpy_bool(c, "keep_warnings", false);
  site->todo_include_todos = ss_confpy_bool(c, "todo_include_todos", false);

  const char *const *list;
  size_t n = S_strings(site, path, c, "exclude_patterns", &list);
  for (size_t i = 0; i < n; i++) {
    S_push(&site->exclude, &site->n_exclude, list[i]);
    /* Sphinx's Matcher: "**\/index.rst" matches "index.rst" too. */
    if (strncmp(list[i], "**/", 3) == 0)
      S_push(&site->exclude, &site->n_exclude, list[i] + 3);
  }
  for (size_t i = 0; i < sizeof S_always_excluded / sizeof *S_always_excluded;
       i++)
    S_push(&site->exclude, &site->n_exclude, S_always_excluded[i]);
  char *confdir = ss_path_join(site->src, "doc/source");
  n = S_strings(site, path, c, "html_extra_path", &list);
  for (size_t i = 0; i < n; i++) {
    char *p = ss_path_join(confdir, list[i]);
    S_push(&site->extra_paths, &site->n_extra_paths, p);
    free(p);
  }
  n = S_strings(site, path, c, "html_static_path", &list);
  for (size_t i = 0; i < n; i++) {
    char *p = ss_path_join(confdir, list[i]);
    S_push(&site->static_paths, &site->n_static_paths, p);
    free(p);
  }
  free(confdir);
  n = S_strings(site, path, c, "extensions", &list);
  for (size_t i = 0; i < n; i++)
    if (strcmp(list[i], "sphinxcontrib.httpdomain") == 0)
      site->httpdomain = true;
  ss_confpy_free(c);
  free(path);
}

bool ss_site_excluded(const ss_site *site, const char *rel) {
  for (size_t i = 0; i < site->n_exclude; i++)
    if (ss_path_match(site->exclude[i], rel))
      return true;
  return false;
}

void ss_site_conf_py_free(ss_site *site) {
  free(site->conf_project);
  free(site->root_doc_name);
  site->conf_project = site->root_doc_name = NULL;
  char **lists[] = {site->exclude, site->extra_paths, site->static_paths};
  size_t lens[] = {site->n_exclude, site->n_extra_paths, site->n_static_paths};
  for (size_t l = 0; l < 3; l++) {
    for (size_t i = 0; i < lens[l]; i++)
      free(lists[l][i]);
    free(lists[l]);
  }
  site->exclude = site->extra_paths = site->static_paths = NULL;
  site->n_exclude = site->n_extra_paths = site->n_static_paths = 0;
}
