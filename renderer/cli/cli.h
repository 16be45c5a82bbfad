/* cli.h — what the parts of the `specsite` command share (internal).
 *
 *   main.c  argument parsing, help texts, the commands
 *   io.c    reading the input, writing the output atomically
 *   filters.c  --filter: the Lua filters between transforms and writer
 *   cmd_check.c  `specsite check`, the spec linter
 *   cmd_build.c  `specsite build`, the spec site
 *   cmd_serve.c  `specsite serve`, its live preview
 *   memory.c   how the process asks the system for memory
 */
#ifndef SS_CLI_H
#define SS_CLI_H

#include <stddef.h>

/* Exit statuses: the contract with scripts and CI (docs/cli.rst). */
enum {
  SS_EXIT_OK = 0,      /* done; no problem reached the halt level */
  SS_EXIT_PROBLEM = 1, /* output written in full, but a problem reached
                          the --halt level (or WARNING with -W) */
  SS_EXIT_USAGE = 2    /* bad usage, unreadable input, unwritable output */
};

/* Reads FILE, or standard input when `path` is "-". On failure prints
 * "specsite: cannot read FILE: reason" and returns NULL. */
char *ss_cli_read_input(const char *path, size_t *len);

/* Writes `len` bytes to `path`: standard output when it is NULL or "-";
 * a regular file is replaced atomically (a temporary file in the same
 * folder, then rename), so a reader never sees half a page; anything
 * else (/dev/null, a pipe) is written in place. On failure prints
 * "specsite: cannot write OUT: reason" and returns -1. */
int ss_cli_write_output(const char *path, const char *data, size_t len);

/* Runs the --filter files on *doc (filters.c); prints any failure and
 * returns the exit status: 0, 1 (a filter failed; nothing is written)
 * or 2 (a filter file is unreadable). */
struct ss_node;
struct ss_diag;
int ss_cli_filter(struct ss_node **doc, const char *path, const char *output,
                  const char *const *filters, int nfilters, _Bool unsafe,
                  struct ss_diag *diag);

/* `specsite check ...` (argv[1] is "check"): returns the exit status. */
int ss_cli_check(int argc, char **argv);
/* Its help text. */
extern const char ss_cli_check_help[];

/* Heap growth in large steps and transparent huge pages (memory.c):
 * called first thing in main. */
void ss_cli_tune_memory(void);

/* `specsite build ...` (cmd_build.c): returns the exit status. */
int ss_cli_build(int argc, char **argv);
extern const char ss_cli_build_help[];

/* The options `build` and `serve` share (-o, --theme, --config,
 * --filter, -j, -b, --unsafe-filters, --enable-raw, -q, --timings): argv[*at]
 * is one of them (its value may move *at on) → 1; not one → 0; a bad one → -1,
 * after saying why. */
#define SS_CLI_MAX_FILTERS 64
typedef struct ss_cli_filters {
  const char *paths[SS_CLI_MAX_FILTERS];
  size_t n;
} ss_cli_filters;
struct ss_site_options;
int ss_cli_site_option(const char *command, int argc, char **argv, int *at,
                       struct ss_site_options *o, ss_cli_filters *filters);

/* `specsite serve ...` (cmd_serve.c): returns the exit status. */
int ss_cli_serve(int argc, char **argv);
extern const char ss_cli_serve_help[];

#endif
