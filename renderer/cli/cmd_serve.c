/* cmd_serve.c — `specsite serve`: the live preview (renderer/serve/). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../serve/serve.h"
#include "cli.h"

const char ss_cli_serve_help[] =
    "Usage: specsite serve [SRC | FILE] [--port N] [--host H] [--open] "
    "[options]\n"
    "\n"
    "Builds the spec site of the repository at SRC (default: the current\n"
    "folder) into a private temporary folder, serves it over HTTP and\n"
    "rebuilds it whenever a source changes: specs, included files, "
    "images,\n"
    "the theme, filters, conf.py, specsite.conf; new, removed and renamed\n"
    "files too. Open pages reload by themselves when a rebuild changed "
    "them,\n"
    "at the section they showed. A spec's problems are printed here, as\n"
    "`specsite build` prints them, and shown over its page until fixed; a\n"
    "build that fails keeps the last good site.\n"
    "\n"
    "With FILE, that spec's page is the one to open, in the site of the\n"
    "repository it is in (the nearest folder above it with specsite.conf,\n"
    "doc/source/conf.py or .git).\n"
    "\n"
    "It listens on 127.0.0.1 only, unless --host names another address.\n"
    "It serves the site's files and nothing else. Ctrl-C stops it and\n"
    "removes the temporary folder.\n"
    "\n"
    "Options:\n"
    "  -p, --port N        the port (default: 8000; 0: any free port)\n"
    "  --host H            the address to listen on (default: 127.0.0.1;\n"
    "                      another one lets other machines read the site)\n"
    "  --open              open the page in the browser (xdg-open)\n"
    "  --theme DIR         a theme folder (default: the built-in theme)\n"
    "  --config FILE       the configuration (default: SRC/specsite.conf)\n"
    "  --filter FILE       a Lua filter, before the configured ones "
    "(repeatable)\n"
    "  --unsafe-filters    give filters os, io and require\n"
    "  --enable-raw        allow the raw directive (off: untrusted input)\n"
    "  -j, --jobs N        worker threads (default: one per core)\n"
    "  -q, --quiet         no line per rebuild\n"
    "  --timings           how long each stage of each build took\n"
    "  -h, --help          this help\n"
    "\n"
    "Examples:\n"
    "  specsite serve                          # the repository here\n"
    "  specsite serve specs/9.0/my-spec.rst --open\n"
    "  specsite serve ../nova-specs --port 0\n"
    "\n"
    "Exit status: 0 stopped by Ctrl-C or SIGTERM; 2 it could not start\n"
    "(bad usage, the port in use, the first build impossible).\n";

static int S_usage(const char *fmt, const char *arg) {
  fputs("specsite serve: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\nTry 'specsite serve --help'.\n", stderr);
  return SS_EXIT_USAGE;
}

int ss_cli_serve(int argc, char **argv) {
  ss_serve_options o = {.port = 8000};
  ss_cli_filters filters = {0};
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    const char *value = NULL;
    bool port = false, host = false;
    if (strcmp(a, "-p") == 0 || strcmp(a, "--port") == 0 ||
        strcmp(a, "--host") == 0) {
      if (i + 1 >= argc)
        return S_usage("%s needs a value", a);
      value = argv[++i];
      port = a[2] != 'h';
      host = !port;
    } else if (strncmp(a, "--port=", 7) == 0) {
      value = a + 7;
      port = true;
    } else if (strncmp(a, "--host=", 7) == 0) {
      value = a + 7;
      host = true;
    }
    if (port) {
      char *end;
      long n = strtol(value, &end, 10);
      if (!*value || *end || n < 0 || n > 65535)
        return S_usage("--port wants a number from 0 to 65535, not '%s'",
                       value);
      o.port = (int)n;
      continue;
    }
    if (host) {
      if (!*value)
        return S_usage("--host wants an address%s", "");
      o.host = value;
      continue;
    }
    if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 ||
        strncmp(a, "--output=", 9) == 0 || strcmp(a, "-b") == 0 ||
        strncmp(a, "--builder", 9) == 0)
      return S_usage("'%s' is build's: serve builds into a folder of its own",
                     a);
    int taken = ss_cli_site_option("serve", argc, argv, &i, &o.site, &filters);
    if (taken < 0)
      return SS_EXIT_USAGE;
    if (taken) {
      o.quiet = o.site.quiet;
      o.site.quiet = false; /* the problems are still printed */
      continue;
    }
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(ss_cli_serve_help, stdout);
      return SS_EXIT_OK;
    } else if (strcmp(a, "--open") == 0) {
      o.open_browser = true;
    } else if (a[0] == '-' && a[1]) {
      return S_usage("unknown option '%s'", a);
    } else if (!o.site.src) {
      o.site.src = a;
    } else {
      return S_usage("one SRC or FILE only (got another: '%s')", a);
    }
  }
  return ss_serve_run(&o);
}
