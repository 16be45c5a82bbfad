/* main.c — the `specsite` command: argument parsing, help, and the
 * pipeline reader -> transforms -> writer for one file.
 *
 * The help texts are the manual most people read: each says what the
 * command does, its options, examples and the exit statuses, and
 * docs/cli.rst says the same at more length. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark.h>
#include <lua.h>
#include <microhttpd.h>
#include <zlib.h>

#include "../html/html.h"
#include "../rst/rst.h"
#include "../transforms/transforms.h"
#include "../tree/tree.h"
#include "../util/buffer.h"
#include "../util/diag.h"
#include "../util/xmllib.h"
#include "cli.h"

#ifndef SPECSITE_VERSION
#define SPECSITE_VERSION "unknown"
#endif

/* --halt none: above every level, so nothing makes the run fail. */
#define S_HALT_NEVER (SS_LEVEL_SEVERE + 1)

typedef enum { S_CMD_RENDER, S_CMD_AST } S_command;

#define S_MAX_FILTERS 64

typedef struct {
  S_command command;
  const char *input;  /* FILE, "-" for standard input */
  const char *output; /* NULL or "-": standard output */
  int halt;           /* exit 1 when a report reached this level */
  bool quiet;
  bool raw_enabled;
  const char *filters[S_MAX_FILTERS]; /* --filter, in order */
  int nfilters;
  bool unsafe_filters;
  const char *root; /* --root: the source tree includes are read from */
} S_args;

static const char S_help_main[] =
    "specsite - render reStructuredText design specs, fast and safely\n"
    "\n"
    "Usage:\n"
    "  specsite render FILE [-o OUT] [options]  one spec as a standalone "
    "HTML page\n"
    "  specsite ast FILE [-o OUT] [options]     its document tree as "
    "Docutils XML\n"
    "  specsite build [SRC] [-o OUT]            the spec site of a "
    "repository\n"
    "  specsite serve [SRC | FILE]              preview the site, "
    "rebuilt on save\n"
    "  specsite check [SRC | FILE...]           lint specs against their "
    "template\n"
    "  specsite help [COMMAND]                  help for a command\n"
    "  specsite --version                       the version, and its "
    "libraries'\n"
    "  specsite --man                           this manual as a man page "
    "(roff)\n"
    "\n"
    "FILE '-' reads standard input. Problems are reported on standard "
    "error the\n"
    "way Sphinx reports them:\n"
    "  specs/9.0/foo.rst:42: WARNING: Title underline too short.\n"
    "\n"
    "Examples:\n"
    "  specsite render examples/example-spec.rst -o example.html\n"
    "  specsite render -W specs/9.0/foo.rst -o /dev/null   "
    "# lint: fail on warnings\n"
    "  specsite ast specs/9.0/foo.rst | less\n"
    "\n"
    "Exit status:\n"
    "  0  success\n"
    "  1  a problem reached the --halt level (or WARNING with -W); the "
    "output\n"
    "     is still written in full\n"
    "  2  bad usage, unreadable input or unwritable output\n"
    "\n"
    "Run 'specsite help render' or 'specsite help ast' for the options.\n";

static const char S_help_options[] =
    "Options:\n"
    "  -o, --output OUT  write to OUT instead of standard output ('-': "
    "standard\n"
    "                    output). A file is replaced atomically: written "
    "beside\n"
    "                    OUT, then renamed, so nobody sees half a page.\n"
    "  -W                warnings are errors: exit 1 when a WARNING or "
    "worse was\n"
    "                    reported (the same as --halt warning)\n"
    "  --halt LEVEL      exit 1 when a problem of LEVEL or worse was "
    "reported:\n"
    "                    info, warning, error, severe or none "
    "(default: severe)\n"
    "  --root DIR        the source tree: includes are read inside it, and "
    "an\n"
    "                    include's \"/x\" is DIR/x (default: the file's "
    "folder;\n"
    "                    standard input has none, so it includes "
    "nothing)\n"
    "  -q, --quiet       print no problem reports (the exit status still "
    "counts\n"
    "                    them)\n"
    "  --enable-raw      allow the 'raw' directive; off by default, as "
    "raw HTML\n"
    "                    in a spec could run scripts in its readers' "
    "browsers\n"
    "  --filter FILE     run a Lua filter on the tree before writing it "
    "(repeat\n"
    "                    for several: they run in order); see "
    "docs/filters.rst.\n"
    "                    A failing filter stops the run: exit 1, nothing "
    "written\n"
    "  --unsafe-filters  give filters os, io, require, package and debug "
    "(off by\n"
    "                    default: filters are untrusted)\n"
    "  -h, --help        this help\n"
    "\n"
    "Exit status: 0 success; 1 a problem reached the --halt level (the "
    "output is\n"
    "still written in full); 2 bad usage, unreadable input or unwritable "
    "output.\n";

static const char S_help_render[] =
    "Usage: specsite render FILE [-o OUT] [options]\n"
    "\n"
    "Renders one reStructuredText file to a standalone HTML5 page: the "
    "tree\n"
    "Sphinx would build (sections, anchors, lists, tables, footnotes, "
    "literal\n"
    "blocks kept byte for byte), every text escaped, javascript: links "
    "dropped.\n"
    "\n"
    "Examples:\n"
    "  specsite render examples/example-spec.rst -o example.html\n"
    "  specsite render -W specs/9.0/foo.rst -o /dev/null   "
    "# lint: fail on warnings\n"
    "  cat foo.rst | specsite render - > foo.html\n"
    "\n";

static const char S_help_ast[] =
    "Usage: specsite ast FILE [-o OUT] [options]\n"
    "\n"
    "Writes the document tree of one reStructuredText file as Docutils "
    "XML, the\n"
    "format of Sphinx's xml builder (sphinx-build -b xml): element names "
    "are the\n"
    "Docutils node kinds that Lua filters and the HTML writer see. Use "
    "it to see\n"
    "why a page looks the way it does, or to compare with Sphinx.\n"
    "\n"
    "Examples:\n"
    "  specsite ast examples/example-spec.rst | less\n"
    "  specsite ast specs/9.0/foo.rst -o foo.xml && \\\n"
    "    doctree-diff sphinx-out/specs/9.0/foo.xml foo.xml\n"
    "\n";

static void S_print_help(FILE *f, const char *command) {
  if (!command) {
    fputs(S_help_main, f);
    return;
  }
  fputs(strcmp(command, "ast") == 0 ? S_help_ast : S_help_render, f);
  fputs(S_help_options, f);
}

/* The versions of what specsite is made of: a bug report needs them. */
static void S_print_version(void) {
  printf("specsite %s\n", SPECSITE_VERSION);
  printf("  cmark %s, %s, zlib %s, libmicrohttpd %s,\n"
         "  libxml2 %s (built with its headers; loaded on first use)\n",
         cmark_version_string(), LUA_RELEASE, zlibVersion(), MHD_get_version(),
         LIBXML_DOTTED_VERSION);
}

/* One help text as roff: kept as written (.nf), with what roff would
 * read as its own escaped (a backslash; a dot or quote opening a line). */
static void S_man_text(FILE *f, const char *text) {
  fputs(".nf\n", f);
  bool line_start = true;
  for (const char *p = text; *p; p++) {
    if (line_start && (*p == '.' || *p == '\''))
      fputs("\\&", f);
    if (*p == '\\')
      fputs("\\e", f);
    else
      fputc(*p, f);
    line_start = *p == '\n';
  }
  fputs(".fi\n", f);
}

/* `specsite --man`: the manual page, made of the help texts (one
 * source: what --help says is what man says). */
static void S_print_man(FILE *f) {
  fprintf(f, ".TH SPECSITE 1 \"\" \"specsite %s\" \"User Commands\"\n",
          SPECSITE_VERSION);
  fputs(".SH NAME\nspecsite \\- render reStructuredText design specs, "
        "fast and safely\n.SH SYNOPSIS\n",
        f);
  S_man_text(f, S_help_main);
  const struct {
    const char *name, *text, *more;
  } commands[] = {{"render", S_help_render, S_help_options},
                  {"ast", S_help_ast, S_help_options},
                  {"build", ss_cli_build_help, NULL},
                  {"serve", ss_cli_serve_help, NULL},
                  {"check", ss_cli_check_help, NULL}};
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
    fprintf(f, ".SH \"SPECSITE %s\"\n", commands[i].name);
    S_man_text(f, commands[i].text);
    if (commands[i].more)
      S_man_text(f, commands[i].more);
  }
  fputs(".SH \"SEE ALSO\"\nThe documentation in docs/ of the source, "
        "built with specsite build docs.\n",
        f);
}

static int S_usage_error(const char *command, const char *fmt,
                         const char *what) {
  fprintf(stderr, "specsite%s%s: ", command ? " " : "", command ? command : "");
  fprintf(stderr, fmt, what);
  fprintf(stderr, "\nTry 'specsite help%s%s'.\n", command ? " " : "",
          command ? command : "");
  return SS_EXIT_USAGE;
}

static bool S_parse_halt(const char *s, int *level) {
  static const char *const names[] = {"debug", "info",   "warning",
                                      "error", "severe", "none"};
  for (int i = 0; i <= S_HALT_NEVER; i++) {
    /* Docutils also takes the numbers 1-5. */
    if (strcasecmp(s, names[i]) == 0 ||
        (i > 0 && s[0] == '0' + i && s[1] == '\0')) {
      *level = i;
      return true;
    }
  }
  return false;
}

/* The value of an option written "--name VALUE", "--name=VALUE" or, for
 * a short one, "-oVALUE"; NULL when it is missing. Advances *i past it. */
static const char *S_option_value(int argc, char **argv, int *i,
                                  size_t name_len) {
  const char *arg = argv[*i];
  if (arg[name_len] == '=')
    return arg + name_len + 1;
  if (arg[1] != '-' && arg[name_len] != '\0')
    return arg + name_len;
  if (*i + 1 < argc)
    return argv[++*i];
  return NULL;
}

static bool S_is_option(const char *arg, const char *name) {
  size_t n = strlen(name);
  return strncmp(arg, name, n) == 0 &&
         (arg[n] == '\0' || arg[n] == '=' || (name[1] != '-' && n == 2));
}

/* Returns -1 when the arguments are fine, else the exit status. */
static int S_parse_args(int argc, char **argv, const char *name, S_args *a) {
  bool options_done = false;
  for (int i = 2; i < argc; i++) {
    const char *arg = argv[i];
    if (options_done || arg[0] != '-' || strcmp(arg, "-") == 0) {
      if (a->input)
        return S_usage_error(name, "unexpected argument '%s'", arg);
      a->input = arg;
    } else if (strcmp(arg, "--") == 0) {
      options_done = true;
    } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
      S_print_help(stdout, name);
      return SS_EXIT_OK;
    } else if (S_is_option(arg, "-o") || S_is_option(arg, "--output")) {
      a->output = S_option_value(argc, argv, &i, arg[1] == '-' ? 8 : 2);
      if (!a->output || !*a->output)
        return S_usage_error(name, "option '%s' needs a file", arg);
    } else if (S_is_option(arg, "--root")) {
      a->root = S_option_value(argc, argv, &i, 6);
      if (!a->root || !*a->root)
        return S_usage_error(name, "option '%s' needs a folder", arg);
    } else if (S_is_option(arg, "--halt")) {
      const char *v = S_option_value(argc, argv, &i, 6);
      if (!v || !S_parse_halt(v, &a->halt))
        return S_usage_error(name, "%s",
                             "--halt takes info, warning, error, severe or "
                             "none");
    } else if (strcmp(arg, "-W") == 0) {
      if (a->halt > SS_LEVEL_WARNING)
        a->halt = SS_LEVEL_WARNING;
    } else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
      a->quiet = true;
    } else if (strcmp(arg, "--enable-raw") == 0) {
      a->raw_enabled = true;
    } else if (S_is_option(arg, "--filter")) {
      const char *v = S_option_value(argc, argv, &i, 8);
      if (!v)
        return S_usage_error(name, "option '%s' needs a file", arg);
      if (a->nfilters == S_MAX_FILTERS)
        return S_usage_error(name, "%s", "more than 64 --filter options");
      a->filters[a->nfilters++] = v;
    } else if (strcmp(arg, "--unsafe-filters") == 0) {
      a->unsafe_filters = true;
    } else {
      return S_usage_error(name, "unknown option '%s'", arg);
    }
  }
  if (!a->input)
    return S_usage_error(name, "%s",
                         "missing FILE (use '-' for standard input)");
  return -1;
}

static bool S_halt_reached(const ss_diag *diag, int halt) {
  for (int level = halt; level <= SS_LEVEL_SEVERE; level++)
    if (diag->counts[level] > 0)
      return true;
  return false;
}

static int S_run(const S_args *a) {
  size_t len = 0;
  char *text = ss_cli_read_input(a->input, &len);
  if (!text)
    return SS_EXIT_USAGE;
  bool from_stdin = strcmp(a->input, "-") == 0;
  const char *path = from_stdin ? "<stdin>" : a->input;

  ss_diag diag;
  ss_diag_init(&diag);
  diag.quiet = a->quiet;
  /* A level that can fail the run is always shown. */
  if (a->halt < (int)diag.threshold)
    diag.threshold = (ss_level)a->halt;

  /* Includes are read below the file's folder, or --root; standard
   * input has no folder: none unless --root names one. */
  ss_rst_options ro = {.path = path,
                       .root = a->root,
                       .confine = a->root,
                       .no_tree = from_stdin && !a->root,
                       .raw_enabled = a->raw_enabled,
                       .report_level = SS_LEVEL_WARNING,
                       .diag = &diag};
  ss_node *doc = ss_rst_parse(text, len, &ro);
  free(text); /* the tree holds copies: no need to keep both */
  ss_transform_options to = {.path = path, .diag = &diag};
  ss_transform_document(doc, &to);
  if (a->nfilters > 0) {
    int frc = ss_cli_filter(&doc, path, a->output, a->filters, a->nfilters,
                            a->unsafe_filters, &diag);
    if (frc != SS_EXIT_OK) {
      ss_node_free(doc);
      return frc;
    }
  }

  ss_buf out = SS_BUF_INIT;
  if (a->command == S_CMD_RENDER) {
    ss_html_options ho = {.raw_enabled = a->raw_enabled};
    ss_html_render(doc, &ho, &out);
  } else if (!ss_tree_write_xml(doc, &out)) {
    fprintf(stderr, "specsite: %s\n", ss_xmllib_error());
    ss_node_free(doc);
    ss_buf_free(&out);
    return SS_EXIT_USAGE;
  }
  ss_node_free(doc);
  int rc = ss_cli_write_output(a->output, out.data ? out.data : "", out.len);
  ss_buf_free(&out);
  if (rc != 0)
    return SS_EXIT_USAGE;
  return S_halt_reached(&diag, a->halt) ? SS_EXIT_PROBLEM : SS_EXIT_OK;
}

int main(int argc, char **argv) {
  ss_cli_tune_memory();
  if (argc < 2) {
    fputs("Usage: specsite render|ast FILE [-o OUT] [options]\n"
          "Try 'specsite --help'.\n",
          stderr);
    return SS_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
    S_print_version();
    return SS_EXIT_OK;
  }
  if (strcmp(cmd, "--man") == 0) {
    S_print_man(stdout);
    return SS_EXIT_OK;
  }
  if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
      strcmp(cmd, "help") == 0) {
    const char *topic = argc > 2 ? argv[2] : NULL;
    if (topic && strcmp(topic, "check") == 0) {
      fputs(ss_cli_check_help, stdout);
      return SS_EXIT_OK;
    }
    if (topic && strcmp(topic, "build") == 0) {
      fputs(ss_cli_build_help, stdout);
      return SS_EXIT_OK;
    }
    if (topic && strcmp(topic, "serve") == 0) {
      fputs(ss_cli_serve_help, stdout);
      return SS_EXIT_OK;
    }
    if (topic && strcmp(topic, "render") != 0 && strcmp(topic, "ast") != 0)
      return S_usage_error(NULL,
                           "no help for '%s': the commands are build, "
                           "serve, render, ast and check",
                           topic);
    S_print_help(stdout, topic);
    return SS_EXIT_OK;
  }
  if (strcmp(cmd, "check") == 0)
    return ss_cli_check(argc, argv);
  if (strcmp(cmd, "build") == 0)
    return ss_cli_build(argc, argv);
  if (strcmp(cmd, "serve") == 0)
    return ss_cli_serve(argc, argv);
  S_args a = {.halt = SS_LEVEL_SEVERE};
  if (strcmp(cmd, "render") == 0)
    a.command = S_CMD_RENDER;
  else if (strcmp(cmd, "ast") == 0)
    a.command = S_CMD_AST;
  else
    return S_usage_error(NULL,
                         "unknown command '%s' (the commands are "
                         "build, serve, render, ast and check)",
                         cmd);
  int rc = S_parse_args(argc, argv, cmd, &a);
  return rc >= 0 ? rc : S_run(&a);
}
