/* cmd_build.c — `specsite build`: the spec site (renderer/site/). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../site/site.h"
#include "cli.h"

const char ss_cli_build_help[] =
    "Usage: specsite build [SRC] [-o OUT] [options]\n"
    "\n"
    "Builds the spec site of the repository at SRC (default: the current\n"
    "folder): every spec as a page with its outline, a bar of the "
    "template's\n"
    "main sections, breadcrumbs and previous/next links; an index by "
    "release\n"
    "(or doc/source/index.rst's toctrees, as Sphinx reads them); a page per\n"
    "release with blueprints and assignees; an impact index (which specs\n"
    "touch security, upgrades, ...); search that needs no server; an Atom\n"
    "feed, a sitemap (with base-url) and redirects.\n"
    "\n"
    "Layouts: a Sphinx doc/source/ (conf.py, symlinked specs/) builds like\n"
    "`tox -e docs`, into doc/build/html with the same URLs; otherwise the\n"
    ".rst files below specs/ and policy/ are built into _site/. Pages are\n"
    "specs/<release>/*.rst and specs/<release>/<status>/*.rst.\n"
    "\n"
    "Rebuilds are incremental: only the specs that changed are read again\n"
    "(the cache is OUT/.specsite). The site is written beside OUT and\n"
    "swapped in at the end, so a failed or interrupted build leaves the\n"
    "last site as it was.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT    the site folder (default: see above)\n"
    "  -b, --builder B     html (the site, the default) or xml: every\n"
    "                      document's tree as Docutils XML, as Sphinx's\n"
    "                      xml builder writes it (OUT/<docname>.xml; by\n"
    "                      default doc/build/xml or _xml), after the whole\n"
    "                      project is read: references across documents,\n"
    "                      toctrees and citations resolved\n"
    "  --theme DIR         a theme folder (default: the built-in theme)\n"
    "  --config FILE       the configuration (default: SRC/specsite.conf)\n"
    "  --filter FILE       a Lua filter, before the configured ones "
    "(repeatable)\n"
    "  --unsafe-filters    give filters os, io and require\n"
    "  --enable-raw        allow the raw directive (off: untrusted input)\n"
    "  -j, --jobs N        worker threads (default: one per core)\n"
    "  --full              ignore the cache: read every spec again\n"
    "  -W                  warnings fail the build (the last site is kept)\n"
    "  -q, --quiet         no warnings, no progress, no summary\n"
    "  --timings           how long each stage took, on standard error\n"
    "  -h, --help          this help\n"
    "\n"
    "Examples:\n"
    "  specsite build                       # the repository here\n"
    "  specsite build ../fuel-specs -o /tmp/site\n"
    "  specsite build -W --filter filters/todo-warn.lua\n"
    "  specsite build -b xml -o /tmp/trees  # compare with sphinx-build -b "
    "xml\n"
    "\n"
    "Exit status: 0 built; 1 a warning with -W (nothing published); 2 the\n"
    "build could not be done (bad usage, configuration, theme, output).\n";

static int S_usage(const char *command, const char *fmt, const char *arg) {
  fprintf(stderr, "specsite %s: ", command);
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'specsite %s --help'.\n", command);
  return SS_EXIT_USAGE;
}

int ss_cli_site_option(const char *command, int argc, char **argv, int *at,
                       ss_site_options *o, ss_cli_filters *filters) {
  int i = *at;
  const char *a = argv[i];
  /* Options that take a value, as "-o X", "--output X" or
   * "--output=X". */
  const char *names[][2] = {{"-o", "--output"}, {NULL, "--theme"},
                            {NULL, "--config"}, {NULL, "--filter"},
                            {"-j", "--jobs"},   {"-b", "--builder"}};
  const char *value = NULL;
  int which = -1;
  for (int k = 0; k < 6 && which < 0; k++) {
    const char *s = names[k][0], *l = names[k][1];
    size_t ll = strlen(l);
    if ((s && strcmp(a, s) == 0) || strcmp(a, l) == 0) {
      if (i + 1 >= argc) {
        S_usage(command, "%s needs a value", a);
        return -1;
      }
      value = argv[++i];
      which = k;
    } else if (strncmp(a, l, ll) == 0 && a[ll] == '=') {
      value = a + ll + 1;
      which = k;
    }
  }
  *at = i;
  if (which >= 0 && !*value) {
    S_usage(command, "%s needs a value, not an empty one", a);
    return -1;
  }
  switch (which) {
  case 0:
    o->out = value;
    return 1;
  case 1:
    o->theme_dir = value;
    return 1;
  case 2:
    o->config = value;
    return 1;
  case 3:
    if (filters->n == SS_CLI_MAX_FILTERS) {
      S_usage(command, "too many --filter options%s", "");
      return -1;
    }
    if (access(value, R_OK) != 0) {
      fprintf(stderr, "specsite: cannot read filter %s\n", value);
      return -1;
    }
    filters->paths[filters->n++] = value;
    o->filters = filters->paths;
    o->n_filters = filters->n;
    return 1;
  case 4: {
    char *end;
    long n = strtol(value, &end, 10);
    if (*end || n < 1 || n > 64) {
      S_usage(command, "-j wants a number from 1 to 64, not '%s'", value);
      return -1;
    }
    o->jobs = (int)n;
    return 1;
  }
  case 5:
    if (strcmp(value, "xml") != 0 && strcmp(value, "html") != 0) {
      S_usage(command,
              "-b wants html (the site) or xml (each document's tree), not "
              "'%s'",
              value);
      return -1;
    }
    o->xml = strcmp(value, "xml") == 0;
    return 1;
  default:
    break;
  }
  if (strcmp(a, "--unsafe-filters") == 0)
    o->unsafe_filters = true;
  else if (strcmp(a, "--enable-raw") == 0)
    o->raw_enabled = true;
  else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
    o->quiet = true;
  else if (strcmp(a, "--timings") == 0)
    o->timings = true;
  else
    return 0;
  return 1;
}

int ss_cli_build(int argc, char **argv) {
  ss_site_options o = {0};
  ss_cli_filters filters = {0};
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    int taken = ss_cli_site_option("build", argc, argv, &i, &o, &filters);
    if (taken < 0)
      return SS_EXIT_USAGE;
    if (taken)
      continue;
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(ss_cli_build_help, stdout);
      return SS_EXIT_OK;
    } else if (strcmp(a, "-W") == 0) {
      o.warnings_are_errors = true;
    } else if (strcmp(a, "--full") == 0) {
      o.full = true;
    } else if (a[0] == '-' && a[1]) {
      return S_usage("build", "unknown option '%s'", a);
    } else if (!o.src) {
      o.src = a;
    } else {
      return S_usage("build", "one SRC only (got another: '%s')", a);
    }
  }
  o.progress = !o.quiet && isatty(2);
  return ss_site_build(&o, NULL);
}
