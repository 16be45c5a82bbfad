/* table_directives.c — Docutils' table directives: `table` (a title and
 * options for a grid or simple table), `list-table` (a two-level bullet
 * list) and `csv-table` (CSV text, inline or from a file inside the
 * source tree, parsed as Python's csv module does).
 *
 * All three end in the same `table` > `tgroup` > `colspec`s, `thead`,
 * `tbody` tree that Docutils builds; cells are parsed as body elements.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "directives.h"

/* Bound on columns and rows a directive table may have: beyond, the
 * input is refused as Docutils would refuse something malformed. */
#define S_MAX_COLS 1000

/* --- shared -------------------------------------------------------- */

/* Parses a non-negative integer option; returns -1 when malformed. */
static int S_int_option(const char *v) {
  if (!v)
    return 0;
  while (*v == ' ')
    v++;
  if (!*v)
    return -1;
  long n = 0;
  for (; *v >= '0' && *v <= '9'; v++)
    if ((n = n * 10 + (*v - '0')) > INT_MAX / 10)
      return -1;
  while (*v == ' ')
    v++;
  return *v ? -1 : (int)n;
}

/* ":widths:" as a list of positive integers (commas or spaces), or
 * "auto". Returns the count, 0 when absent, -1 when malformed; *autow
 * for "auto". */
static int S_widths(const char *v, int **out, bool *autow) {
  *out = NULL, *autow = false;
  if (!v)
    return 0;
  while (*v == ' ')
    v++;
  if (strcmp(v, "auto") == 0)
    return *autow = true, 0;
  int n = 0;
  while (*v) {
    while (*v == ' ' || *v == ',' || *v == '\n')
      v++;
    if (!*v)
      break;
    long w = 0;
    const char *s = v;
    for (; *v >= '0' && *v <= '9'; v++)
      if ((w = w * 10 + (*v - '0')) > INT_MAX / 10)
        break;
    if (v == s || w <= 0 || (*v && *v != ' ' && *v != ',' && *v != '\n') ||
        n >= S_MAX_COLS) {
      free(*out);
      *out = NULL;
      return -1;
    }
    *out = ss_xrealloc(*out, sizeof **out * (size_t)(n + 1));
    (*out)[n++] = (int)w;
  }
  return n ? n : -1;
}

static void S_fail(rst_parser *p, const rst_directive *d, ss_node *parent,
                   const char *fmt, int a, int b, int c) {
  ss_buf msg = SS_BUF_INIT;
  ss_buf_printf(&msg, fmt, a, b, c);
  rst_dir_error(p, d, parent, msg.data);
  ss_buf_free(&msg);
}

/* The table node with its title, classes, name, align and width. Its
 * title has the directive's line; the table takes the state machine's
 * when it is appended, and what is built inside it has none. */
static ss_node *S_table(rst_parser *p, const rst_directive *d,
                        ss_node *messages, bool autow, bool given) {
  ss_node *table = ss_node_new(SS_TABLE, RST_ATTACH_LINE);
  const char *align = rst_dir_option(d, "align");
  if (align)
    ss_node_attr_set(table, "align", align);
  if (autow)
    ss_node_attr_add(table, "classes", "colwidths-auto");
  else if (given)
    ss_node_attr_add(table, "classes", "colwidths-given");
  rst_dir_add_classes(table, rst_dir_option(d, "class"));
  rst_dir_add_name(table, d);
  const char *width = rst_dir_option(d, "width");
  if (width) {
    ss_buf w = SS_BUF_INIT;
    for (const char *s = width; *s; s++)
      if (*s != ' ' && *s != '\n')
        ss_buf_putc(&w, *s);
    ss_node_attr_set(table, "width", w.data ? w.data : "");
    ss_buf_free(&w);
  }
  if (d->args && *d->args) {
    ss_node *title = ss_node_append(table, ss_node_new(SS_TITLE, d->lineno));
    rst_dir_inline(p, d->args, d->lineno, title, messages);
  }
  return table;
}

/* tgroup with colspecs: the given widths, else 100 / columns each. */
static ss_node *S_tgroup(ss_node *table, int ncols, const int *widths,
                         int stubs) {
  ss_node *tg = ss_node_append(table, ss_node_new(SS_TGROUP, 0));
  char buf[32];
  snprintf(buf, sizeof buf, "%d", ncols);
  ss_node_attr_set(tg, "cols", buf);
  for (int c = 0; c < ncols; c++) {
    ss_node *cs = ss_node_append(tg, ss_node_new(SS_COLSPEC, 0));
    snprintf(buf, sizeof buf, "%d", widths ? widths[c] : 100 / ncols);
    ss_node_attr_set(cs, "colwidth", buf);
    if (c < stubs)
      ss_node_attr_set(cs, "stub", "1");
  }
  return tg;
}

/* Moves rows (children of `rows`) into thead (the first `header`) and
 * tbody. */
static void S_rows(ss_node *tg, ss_node *rows, int header) {
  ss_node *thead = header ? ss_node_append(tg, ss_node_new(SS_THEAD, 0)) : NULL;
  ss_node *tbody = ss_node_append(tg, ss_node_new(SS_TBODY, 0));
  int k = 0;
  while (rows->first) {
    ss_node *row = ss_node_unlink(rows->first);
    ss_node_append(k++ < header ? thead : tbody, row);
  }
}

/* Checks header-rows and stub-columns against the table's size. */
static bool S_check_size(rst_parser *p, const rst_directive *d, ss_node *parent,
                         int header, int stubs, int nrows, int ncols) {
  if (header < 0 || stubs < 0) {
    rst_dir_error(p, d, parent,
                  "invalid option value: (option: "
                  "\"header-rows\" or \"stub-columns\"); "
                  "non-negative integer expected.");
    return false;
  }
  ss_buf msg = SS_BUF_INIT;
  if (header >= nrows && nrows)
    ss_buf_printf(&msg,
                  "%d header row(s) specified but only %d row(s) of data "
                  "supplied (\"%s\" directive).",
                  header, nrows, d->name);
  else if (stubs > ncols)
    ss_buf_printf(&msg,
                  "%d stub column(s) specified but only %d columns(s) of "
                  "data supplied (\"%s\" directive).",
                  stubs, ncols, d->name);
  if (msg.len)
    rst_dir_error(p, d, parent, msg.data);
  bool ok = msg.len == 0;
  ss_buf_free(&msg);
  return ok;
}

/* --- table --------------------------------------------------------- */

static void S_run_table(rst_parser *p, const rst_dspec *spec,
                        const rst_directive *d, ss_node *parent) {
  (void)spec;
  if (rst_dir_need_content(p, d, parent))
    return;
  ss_node *body = ss_node_new(SS_DOCUMENT, d->content_lineno);
  rst_dir_content(p, d, body);
  ss_node *table = body->first;
  if (!table || table->kind != SS_TABLE || table->next) {
    ss_node_free(body);
    rst_dir_error(p, d, parent,
                  "Error parsing content block for the \"table\" directive: "
                  "exactly one table expected.");
    return;
  }
  int *widths = NULL;
  bool autow = false;
  int nw = S_widths(rst_dir_option(d, "widths"), &widths, &autow);
  ss_node *tg = ss_node_child(table, SS_TGROUP);
  int ncols = 0;
  for (ss_node *c = tg ? tg->first : NULL; c; c = c->next)
    ncols += c->kind == SS_COLSPEC;
  if (nw < 0 || (nw > 0 && nw != ncols)) {
    free(widths);
    ss_node_free(body);
    rst_dir_error(p, d, parent,
                  nw < 0 ? "invalid option value: (option: \"widths\")."
                         : "\"table\" widths do not match the number of "
                           "columns in table.");
    return;
  }
  ss_node *messages = ss_node_new(SS_DOCUMENT, d->lineno);
  ss_node *head = S_table(p, d, messages, autow, nw > 0);
  /* The parsed table keeps its tgroup; the directive's attributes and
   * title go on it. */
  for (const ss_attr *a = head->attrs; a; a = a->next)
    ss_node_attr_add(table, a->name, a->value);
  if (head->first)
    ss_node_prepend(table, ss_node_unlink(head->first));
  ss_node_free(head);
  int c = 0;
  for (ss_node *cs = tg ? tg->first : NULL; cs && nw > 0; cs = cs->next)
    if (cs->kind == SS_COLSPEC) {
      char buf[32];
      snprintf(buf, sizeof buf, "%d", widths[c++]);
      ss_node_attr_set(cs, "colwidth", buf);
    }
  free(widths);
  table->line = RST_ATTACH_LINE;
  ss_node_append(parent, ss_node_unlink(table));
  ss_node_move_children(body, parent);
  ss_node_move_children(messages, parent);
  ss_node_free(messages);
  ss_node_free(body);
}

/* --- list-table ---------------------------------------------------- */

static void S_list_error(rst_parser *p, const rst_directive *d, ss_node *parent,
                         const char *detail, int a, int b, int c) {
  ss_buf msg = SS_BUF_INIT;
  ss_buf_puts(&msg, "Error parsing content block for the \"list-table\" "
                    "directive: uniform two-level bullet list expected, but ");
  ss_buf_printf(&msg, detail, a, b, c);
  rst_dir_error(p, d, parent, msg.data);
  ss_buf_free(&msg);
}

static void S_run_list_table(rst_parser *p, const rst_dspec *spec,
                             const rst_directive *d, ss_node *parent) {
  (void)spec;
  if (rst_dir_need_content(p, d, parent))
    return;
  ss_node *body = ss_node_new(SS_DOCUMENT, d->content_lineno);
  rst_dir_content(p, d, body);
  ss_node *list = body->first;
  if (!list || list->kind != SS_BULLET_LIST || list->next) {
    ss_node_free(body);
    rst_dir_error(p, d, parent,
                  "Error parsing content block for the \"list-table\" "
                  "directive: exactly one bullet list expected.");
    return;
  }
  int nrows = 0, ncols = 0, r = 0;
  for (ss_node *item = list->first; item; item = item->next, r++) {
    ss_node *sub = item->first;
    if (!sub || sub->kind != SS_BULLET_LIST || sub->next) {
      ss_node_free(body);
      S_list_error(p, d, parent,
                   "item %d does not contain a single nested bullet list.",
                   r + 1, 0, 0);
      return;
    }
    int n = 0;
    for (ss_node *c = sub->first; c; c = c->next)
      n++;
    if (r == 0)
      ncols = n;
    else if (n != ncols) {
      ss_node_free(body);
      S_list_error(p, d, parent,
                   "row %d does not contain the same number of items as "
                   "row 1 (%d vs %d).",
                   r + 1, n, ncols);
      return;
    }
    nrows++;
  }
  int *widths = NULL;
  bool autow = false;
  int nw = S_widths(rst_dir_option(d, "widths"), &widths, &autow);
  int header = S_int_option(rst_dir_option(d, "header-rows"));
  int stubs = S_int_option(rst_dir_option(d, "stub-columns"));
  if (nw < 0 || (nw > 0 && nw != ncols)) {
    free(widths);
    ss_node_free(body);
    if (nw < 0)
      rst_dir_error(p, d, parent,
                    "invalid option value: (option: "
                    "\"widths\").");
    else
      S_fail(p, d, parent,
             "\"list-table\" widths do not match the number of columns in "
             "table (%d).",
             ncols, 0, 0);
    return;
  }
  if (!S_check_size(p, d, parent, header, stubs, nrows, ncols)) {
    free(widths);
    ss_node_free(body);
    return;
  }
  ss_node *messages = ss_node_new(SS_DOCUMENT, d->lineno);
  ss_node *table = S_table(p, d, messages, autow, nw > 0);
  ss_node *tg = S_tgroup(table, ncols, nw > 0 ? widths : NULL, stubs);
  ss_node *rows = ss_node_new(SS_DOCUMENT, d->lineno);
  for (ss_node *item = list->first; item; item = item->next) {
    ss_node *row = ss_node_append(rows, ss_node_new(SS_ROW, 0));
    for (ss_node *c = item->first->first; c; c = c->next) {
      ss_node *entry = ss_node_append(row, ss_node_new(SS_ENTRY, 0));
      ss_node_move_children(c, entry);
    }
  }
  S_rows(tg, rows, header);
  ss_node_free(rows);
  free(widths);
  ss_node_free(body);
  ss_node_append(parent, table);
  ss_node_move_children(messages, parent);
  ss_node_free(messages);
}

/* --- csv-table ----------------------------------------------------- */

typedef struct {
  char delim, quote, escape; /* escape 0: none */
  bool skipspace;
} S_dialect;

typedef struct {
  char **cells;
  int ncells;
} S_row;

/* Python csv's reader (excel dialect, strict off) over text whose
 * records end in '\n'. Appends rows; bounded by S_MAX_COLS cells a row. */
static int S_csv(const char *text, size_t len, const S_dialect *dl,
                 S_row **rows) {
  int nrows = 0;
  size_t i = 0;
  while (i < len) {
    S_row row = {NULL, 0};
    ss_buf cell = SS_BUF_INIT;
    enum { START, FIELD, QUOTED, QUOTE_IN_QUOTED } st = START;
    bool any = false; /* the record has something (empty lines give []) */
    for (; i < len; i++) {
      char c = text[i];
      if (c == '\n' && st != QUOTED) {
        i++;
        break;
      }
      any = true;
      if (st == START && c == ' ' && dl->skipspace)
        continue;
      if (dl->escape && c == dl->escape && i + 1 < len) {
        ss_buf_putc(&cell, text[++i]);
        if (st == START)
          st = FIELD;
        continue;
      }
      if (st == QUOTED) {
        if (c == dl->quote)
          st = QUOTE_IN_QUOTED;
        else
          ss_buf_putc(&cell, c);
        continue;
      }
      if (st == QUOTE_IN_QUOTED && c == dl->quote) {
        ss_buf_putc(&cell, c); /* a doubled quote */
        st = QUOTED;
        continue;
      }
      if (c == dl->delim) {
        if (row.ncells < S_MAX_COLS) {
          row.cells = ss_xrealloc(row.cells,
                                  sizeof *row.cells * (size_t)(row.ncells + 1));
          row.cells[row.ncells++] = ss_xstrdup(cell.data ? cell.data : "");
        }
        ss_buf_clear(&cell);
        st = START;
        continue;
      }
      if (st == START && c == dl->quote) {
        st = QUOTED;
        continue;
      }
      st = FIELD; /* also after a closing quote: the rest is kept */
      ss_buf_putc(&cell, c);
    }
    if (any || row.ncells) {
      if (row.ncells < S_MAX_COLS) {
        row.cells = ss_xrealloc(row.cells,
                                sizeof *row.cells * (size_t)(row.ncells + 1));
        row.cells[row.ncells++] = ss_xstrdup(cell.data ? cell.data : "");
      }
    }
    ss_buf_free(&cell);
    *rows = ss_xrealloc(*rows, sizeof **rows * (size_t)(nrows + 1));
    (*rows)[nrows++] = row;
  }
  return nrows;
}

static void S_free_rows(S_row *rows, int n) {
  for (int r = 0; r < n; r++) {
    for (int c = 0; c < rows[r].ncells; c++)
      free(rows[r].cells[c]);
    free(rows[r].cells);
  }
  free(rows);
}

/* A one-character option (:delim:, :quote:, :escape:), with Docutils'
 * names "tab" and "space"; returns 0 when malformed. */
static char S_char_option(const char *v, char dflt) {
  if (!v)
    return dflt;
  if (strcmp(v, "tab") == 0)
    return '\t';
  if (strcmp(v, "space") == 0)
    return ' ';
  return strlen(v) == 1 ? v[0] : 0;
}

/* Reads :file: relative to the document ("/x" from the source root),
 * inside opts->confine (else the source root). */
static char *S_read_csv_file(rst_parser *p, const rst_directive *d,
                             ss_node *parent, const char *file, size_t *len) {
  const char *path = p->opts->path;
  const char *slash = path ? strrchr(path, '/') : NULL;
  char *dir =
      slash ? ss_xstrndup(path, (size_t)(slash - path)) : ss_xstrdup(".");
  const char *root = p->opts->root ? p->opts->root : dir;
  const char *confine = p->opts->confine ? p->opts->confine : root;
  ss_buf full = SS_BUF_INIT;
  if (file[0] == '/')
    ss_buf_printf(&full, "%s%s", root, file);
  else
    ss_buf_printf(&full, "%s/%s", dir, file);
  char rroot[PATH_MAX], rpath[PATH_MAX];
  char *text = NULL;
  bool inside = realpath(confine, rroot) && realpath(full.data, rpath);
  if (inside && strcmp(rroot, "/") != 0) {
    size_t n = strlen(rroot);
    inside =
        strncmp(rroot, rpath, n) == 0 && (rpath[n] == '/' || rpath[n] == 0);
  }
  if (inside)
    text = ss_read_file(rpath, len);
  if (!text) {
    ss_buf src = SS_BUF_INIT, msg = SS_BUF_INIT;
    rst_dir_source(d, &src);
    ss_node_append(parent,
                   rst_report(p, SS_LEVEL_SEVERE, d->lineno, src.data,
                              "Problems with \"csv-table\" directive path:\n"
                              "\"%s\" is missing or outside the source tree.",
                              file));
    ss_buf_free(&src);
    ss_buf_free(&msg);
  }
  ss_buf_free(&full);
  free(dir);
  return text;
}

static void S_run_csv_table(rst_parser *p, const rst_dspec *spec,
                            const rst_directive *d, ss_node *parent) {
  (void)spec;
  S_dialect dl = {S_char_option(rst_dir_option(d, "delim"), ','),
                  S_char_option(rst_dir_option(d, "quote"), '"'),
                  S_char_option(rst_dir_option(d, "escape"), 0),
                  rst_dir_option(d, "keepspace") == NULL};
  if (!dl.delim || !dl.quote || (rst_dir_option(d, "escape") && !dl.escape)) {
    rst_dir_error(p, d, parent,
                  "invalid option value: a single character "
                  "is required.");
    return;
  }
  const char *file = rst_dir_option(d, "file");
  if (rst_dir_option(d, "url")) {
    rst_dir_error(p, d, parent,
                  "\"url\" option not supported: specsite "
                  "does not fetch remote data.");
    return;
  }
  if (file && d->ncontent) {
    rst_dir_error(p, d, parent,
                  "\"csv-table\" directive may not both "
                  "specify an external file and have content.");
    return;
  }
  ss_buf data = SS_BUF_INIT;
  if (file) {
    size_t len;
    char *text = S_read_csv_file(p, d, parent, file, &len);
    if (!text)
      return;
    ss_buf_put(&data, text, len);
    free(text);
  } else if (d->ncontent) {
    rst_dir_join(d->content, d->ncontent, &data);
  } else {
    ss_buf_free(&data);
    rst_dir_error(p, d, parent,
                  "The \"csv-table\" directive requires "
                  "content; none supplied.");
    return;
  }
  if (!data.len || data.data[data.len - 1] != '\n')
    ss_buf_putc(&data, '\n');
  S_row *rows = NULL;
  int nhead = 0;
  const char *header = rst_dir_option(d, "header");
  if (header)
    nhead = S_csv(header, strlen(header), &dl, &rows);
  int nrows = nhead + 0;
  {
    S_row *body = NULL;
    int nbody = S_csv(data.data, data.len, &dl, &body);
    rows = ss_xrealloc(rows, sizeof *rows * (size_t)(nhead + nbody + 1));
    for (int k = 0; k < nbody; k++)
      rows[nrows++] = body[k];
    free(body);
  }
  ss_buf_free(&data);
  int ncols = 0;
  for (int r = 0; r < nrows; r++)
    if (rows[r].ncells > ncols)
      ncols = rows[r].ncells;
  int *widths = NULL;
  bool autow = false;
  int nw = S_widths(rst_dir_option(d, "widths"), &widths, &autow);
  int hrows = S_int_option(rst_dir_option(d, "header-rows"));
  int stubs = S_int_option(rst_dir_option(d, "stub-columns"));
  bool ok = true;
  if (nw < 0 || (nw > 0 && nw != ncols)) {
    if (nw < 0)
      rst_dir_error(p, d, parent,
                    "invalid option value: (option: "
                    "\"widths\").");
    else
      S_fail(p, d, parent,
             "\"csv-table\" widths do not match the number of columns in "
             "table (%d).",
             ncols, 0, 0);
    ok = false;
  } else if (!ncols) {
    rst_dir_error(p, d, parent, "No table data detected in CSV file.");
    ok = false;
  } else {
    ok = S_check_size(p, d, parent, hrows < 0 ? hrows : hrows + nhead, stubs,
                      nrows, ncols);
  }
  if (ok) {
    ss_node *messages = ss_node_new(SS_DOCUMENT, d->lineno);
    ss_node *table = S_table(p, d, messages, autow, nw > 0);
    ss_node *tg = S_tgroup(table, ncols, nw > 0 ? widths : NULL, stubs);
    ss_node *rownodes = ss_node_new(SS_DOCUMENT, d->lineno);
    for (int r = 0; r < nrows; r++) {
      ss_node *row = ss_node_append(rownodes, ss_node_new(SS_ROW, 0));
      for (int c = 0; c < ncols; c++) {
        ss_node *entry = ss_node_append(row, ss_node_new(SS_ENTRY, 0));
        const char *cell = c < rows[r].ncells ? rows[r].cells[c] : "";
        /* A cell is parsed as body elements, like a document. */
        ss_buf storage = SS_BUF_INIT;
        rst_line *lines = NULL;
        int n = rst_split_lines(p, cell, strlen(cell), &storage, &lines);
        /* Docutils makes each cell a text of its own (a StringList of
         * the cell's lines, numbered from 0): its lines are 1, 2, ... */
        for (int k = 0; k < n; k++)
          lines[k].lineno = k + 1;
        while (n && !lines[n - 1].len)
          n--;
        if (n)
          rst_parse_body(p, lines, n, entry);
        free(lines);
        ss_buf_free(&storage);
      }
    }
    S_rows(tg, rownodes, hrows + nhead);
    ss_node_free(rownodes);
    ss_node_append(parent, table);
    ss_node_move_children(messages, parent);
    ss_node_free(messages);
  }
  free(widths);
  S_free_rows(rows, nrows);
}

const rst_dspec rst_table_dspecs[] = {
    {"table", 0, 1, true, true, true, S_run_table, SS_TABLE, NULL},
    {"list-table", 0, 1, true, true, true, S_run_list_table, SS_TABLE, NULL},
    {"csv-table", 0, 1, true, true, true, S_run_csv_table, SS_TABLE, NULL},
    {NULL, 0, 0, false, false, false, NULL, SS_TEXT, NULL},
};
