/* tables.c — grid and simple tables, read the way Docutils 0.19 reads
 * them, so that the tree (column widths, spans, cell bodies, and the
 * "Malformed table." errors) is the one Sphinx builds.
 *
 * Columns are counted in characters, with East Asian wide and full-width
 * characters taking two: as in Docutils, each of them is followed by a
 * padding place (S_PAD) before the table is measured, and cell text is
 * cut back out of the original line, which drops the padding again.
 * Combining characters take a place of their own in grid tables and none
 * in simple tables' margins, as in Docutils.
 *
 * Cells are parsed as bodies (rst_parse_body) from views into the
 * original line texts, so a cell line keeps its source line number.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "parser.h"

/* Python's str.isspace(): what Docutils' strip() and rstrip() remove. */
static bool S_is_space(int32_t cp) {
  return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) ||
         (cp >= 0x1C && cp <= 0x1F) || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* A line with nothing but whitespace (Python's `not line.strip()`). */
static bool S_blank(const rst_line *l) {
  size_t i = 0, len = (size_t)l->len;
  while (i < len) {
    int32_t cp;
    i += ss_utf8_decode(l->text + i, len - i, &cp);
    if (!S_is_space(cp))
      return false;
  }
  return true;
}

#define S_GROW(arr, n, cap)                                                    \
  do {                                                                         \
    if ((n) >= (cap)) {                                                        \
      (cap) = (cap) ? 2 * (cap) : 16;                                          \
      (arr) = ss_xrealloc((arr), (size_t)(cap) * sizeof *(arr));               \
    }                                                                          \
  } while (0)

/* --- measured lines ---------------------------------------------------- */

#define S_PAD (-1) /* the second column of a wide character */

typedef struct S_line {
  const rst_line *src;
  const char *text; /* where place 0 starts (after a stripped margin) */
  int32_t *cp;      /* places: characters, S_PAD after each wide one */
  int *off;         /* byte offset of each place in text; a PAD's is that
                       of the next character; off[len] = byte length */
  int *ci;          /* places of the non-combining characters, in order
                       (Docutils' column_indices) */
  int len, nci;
} S_line;

static void S_line_init(S_line *l, const rst_line *src, bool strip) {
  size_t cap = (size_t)src->len + 1;
  l->src = src;
  l->text = src->text;
  l->cp = ss_xmalloc(cap * sizeof *l->cp);
  l->off = ss_xmalloc(cap * sizeof *l->off);
  l->ci = ss_xmalloc(cap * sizeof *l->ci);
  int n = 0;
  size_t i = 0, len = (size_t)src->len;
  while (i < len) {
    int32_t c;
    l->off[n] = (int)i;
    i += ss_utf8_decode(src->text + i, len - i, &c);
    l->cp[n++] = c;
    if (ss_uc_is_wide(c)) { /* a wide character is >= 3 bytes: room enough */
      l->off[n] = (int)i;
      l->cp[n++] = S_PAD;
    }
  }
  l->off[n] = (int)len;
  int a = 0, b = n;
  if (strip) {
    while (a < b && S_is_space(l->cp[a]))
      a++;
    while (b > a && S_is_space(l->cp[b - 1]))
      b--;
  }
  if (a > 0 || b < n) {
    int base = l->off[a];
    for (int k = a; k <= b; k++) {
      l->cp[k - a] = l->cp[k];
      l->off[k - a] = l->off[k] - base;
    }
    l->text += base;
  }
  l->len = b - a;
  l->nci = 0;
  for (int k = 0; k < l->len; k++)
    if (!ss_uc_is_combining(l->cp[k]))
      l->ci[l->nci++] = k;
}

static S_line *S_lines_new(const rst_line *lines, int n, bool strip) {
  S_line *ls = ss_xcalloc((size_t)(n > 0 ? n : 1), sizeof *ls);
  for (int i = 0; i < n; i++)
    S_line_init(&ls[i], &lines[i], strip);
  return ls;
}

static void S_lines_free(S_line *ls, int n) {
  for (int i = 0; i < n; i++) {
    free(ls[i].cp);
    free(ls[i].off);
    free(ls[i].ci);
  }
  free(ls);
}

static int32_t S_at(const S_line *l, int i) {
  return i >= 0 && i < l->len ? l->cp[i] : 0;
}

/* Places [a, b) of a line as a view into its text: padding vanishes. */
static rst_line S_view(const S_line *l, int a, int b) {
  if (a > l->len)
    a = l->len;
  if (b > l->len)
    b = l->len;
  if (b < a)
    b = a;
  rst_line v = {l->text + l->off[a], l->off[b] - l->off[a], l->src->lineno};
  return v;
}

/* The lines as the error message shows them. */
static char *S_literal(const S_line *ls, int n) {
  ss_buf b = SS_BUF_INIT;
  for (int i = 0; i < n; i++) {
    if (i)
      ss_buf_putc(&b, '\n');
    ss_buf_put(&b, ls[i].text, (size_t)ls[i].off[ls[i].len]);
  }
  return ss_buf_detach(&b);
}

static void S_malformed(rst_parser *p, const S_line *ls, int n, int lineno,
                        const char *detail, ss_node *messages) {
  char *literal = S_literal(ls, n);
  ss_node *err = detail ? rst_report(p, SS_LEVEL_ERROR, lineno, literal,
                                     "Malformed table.\n%s", detail)
                        : rst_report(p, SS_LEVEL_ERROR, lineno, literal,
                                     "Malformed table.");
  free(literal);
  if (messages)
    ss_node_append(messages, err);
  else
    ss_node_free(err);
}

/* --- the table as both parsers describe it -------------------------- */

typedef struct S_entry {
  int morerows, morecols;
  int view, nview; /* its lines in S_table.views */
  bool text;       /* any text at all (else an empty entry) */
} S_entry;

typedef struct S_table {
  int *widths;
  int ncols, capcols;
  S_entry *entries;
  int nentries, capentries;
  int *rows; /* first entry of each row; rows[nrows] = nentries */
  int nrows, caprows;
  int nhead;
  rst_line *views;
  int nviews, capviews;
} S_table;

static void S_table_free(S_table *t) {
  free(t->widths);
  free(t->entries);
  free(t->rows);
  free(t->views);
}

static void S_add_width(S_table *t, int w) {
  S_GROW(t->widths, t->ncols, t->capcols);
  t->widths[t->ncols++] = w;
}

static void S_start_row(S_table *t) {
  S_GROW(t->rows, t->nrows + 1, t->caprows);
  t->rows[t->nrows++] = t->nentries;
}

/* Docutils' StringList.get_2D_block on lines ls[0..n), places [left,
 * right): each line cut and right-stripped, then the common indentation
 * of the non-empty ones removed. Column limits map past combining
 * characters line by line, and like Docutils' loop, the mapped limits
 * carry over to the next line. Appends an entry (without spans). */
static S_entry *S_add_entry(S_table *t, const S_line *ls, int n, int left,
                            int right) {
  S_GROW(t->entries, t->nentries, t->capentries);
  S_entry *e = &t->entries[t->nentries++];
  memset(e, 0, sizeof *e);
  e->view = t->nviews;
  e->nview = n;
  while (t->nviews + n >= t->capviews) {
    t->capviews = t->capviews ? 2 * t->capviews : 64;
    t->views = ss_xrealloc(t->views, (size_t)t->capviews * sizeof *t->views);
  }
  int *cut = ss_xmalloc((size_t)(2 * n + 1) * sizeof *cut);
  int indent = right;
  for (int i = 0; i < n; i++) {
    const S_line *l = &ls[i];
    left = left < l->nci ? l->ci[left] : left + (l->len - l->nci);
    right = right < l->nci ? l->ci[right] : right + (l->len - l->nci);
    int a = left < l->len ? left : l->len;
    int b = right < l->len ? right : l->len;
    if (b < a)
      b = a;
    while (b > a && S_is_space(l->cp[b - 1]))
      b--;
    if (b > a) {
      int k = a;
      while (k < b && S_is_space(l->cp[k]))
        k++;
      if (k - a < indent)
        indent = k - a;
    }
    cut[2 * i] = a;
    cut[2 * i + 1] = b;
  }
  for (int i = 0; i < n; i++) {
    int a = cut[2 * i], b = cut[2 * i + 1];
    if (indent > 0 && indent < right)
      a = a + indent < b ? a + indent : b;
    rst_line v = S_view(&ls[i], a, b);
    if (v.len > 0)
      e->text = true;
    t->views[t->nviews++] = v;
  }
  free(cut);
  return e;
}

static void S_set_int(ss_node *n, const char *name, int v) {
  char num[16];
  snprintf(num, sizeof num, "%d", v);
  ss_node_attr_set(n, name, num);
}

/* table > tgroup > colspec*, thead?, tbody, as Docutils' build_table.
 * All of it is made before it is attached, so only the table gets a line
 * when it is: none after a cell was parsed (the state machine then
 * stands past the end of that cell), else `lineno`, where the state
 * machine stopped reading the table. */
static ss_node *S_build(rst_parser *p, S_table *t, int lineno) {
  ss_node *table = ss_node_new(SS_TABLE, lineno);
  ss_node *tgroup = ss_node_append(table, ss_node_new(SS_TGROUP, 0));
  S_set_int(tgroup, "cols", t->ncols);
  for (int i = 0; i < t->ncols; i++) {
    ss_node *cs = ss_node_append(tgroup, ss_node_new(SS_COLSPEC, 0));
    S_set_int(cs, "colwidth", t->widths[i]);
  }
  ss_node *thead = NULL;
  if (t->nhead > 0)
    thead = ss_node_append(tgroup, ss_node_new(SS_THEAD, 0));
  ss_node *tbody = ss_node_append(tgroup, ss_node_new(SS_TBODY, 0));
  for (int r = 0; r < t->nrows; r++) {
    int first = t->rows[r];
    int end = r + 1 < t->nrows ? t->rows[r + 1] : t->nentries;
    ss_node *row = ss_node_new(SS_ROW, 0);
    ss_node_append(r < t->nhead ? thead : tbody, row);
    for (int i = first; i < end; i++) {
      S_entry *e = &t->entries[i];
      ss_node *entry = ss_node_append(row, ss_node_new(SS_ENTRY, 0));
      if (e->morerows)
        S_set_int(entry, "morerows", e->morerows);
      if (e->morecols)
        S_set_int(entry, "morecols", e->morecols);
      if (e->text) {
        rst_parse_body(p, t->views + e->view, e->nview, entry);
        table->line = p->parse_end;
      }
    }
  }
  return table;
}

/* --- grid tables ------------------------------------------------------ */

/* `+-[-+]+-+ *$`: a top or bottom border (lines are stripped). */
static bool S_grid_border(const S_line *l) {
  int n = l->len;
  while (n > 0 && l->cp[n - 1] == ' ')
    n--;
  if (n < 5 || l->cp[0] != '+' || l->cp[1] != '-' || l->cp[n - 2] != '-' ||
      l->cp[n - 1] != '+')
    return false;
  for (int i = 2; i < n - 2; i++)
    if (l->cp[i] != '-' && l->cp[i] != '+')
      return false;
  return true;
}

/* `+=[=+]+=+ *$`: the head/body separator. */
/* Finds the one head/body separator line (-1 when none), turning its
 * '=' into '-' so that it reads as an ordinary row border afterwards.
 * Both table kinds share Docutils' two errors about it; returns false
 * after reporting one. */
static bool S_head_separator(rst_parser *p, S_line *ls, int n, int lineno,
                             ss_node *messages,
                             bool (*is_separator)(const S_line *),
                             int *head_sep) {
  *head_sep = -1;
  for (int i = 0; i < n; i++) {
    if (!is_separator(&ls[i]))
      continue;
    if (*head_sep > 0) {
      char detail[128];
      snprintf(detail, sizeof detail,
               "Multiple head/body row separators (table lines %d and %d); "
               "only one allowed.",
               *head_sep + 1, i + 1);
      S_malformed(p, ls, n, lineno + i, detail, messages);
      return false;
    }
    *head_sep = i;
    for (int k = 0; k < ls[i].len; k++)
      if (ls[i].cp[k] == '=')
        ls[i].cp[k] = '-';
  }
  if (*head_sep == 0 || *head_sep == n - 1) {
    S_malformed(p, ls, n, lineno + n - 1,
                "The head/body row separator may not be the first or last "
                "line of the table.",
                messages);
    return false;
  }
  return true;
}

static bool S_grid_head_sep(const S_line *l) {
  int n = l->len;
  while (n > 0 && l->cp[n - 1] == ' ')
    n--;
  if (n < 5 || l->cp[0] != '+' || l->cp[1] != '=' || l->cp[n - 2] != '=' ||
      l->cp[n - 1] != '+')
    return false;
  for (int i = 2; i < n - 2; i++)
    if (l->cp[i] != '=' && l->cp[i] != '+')
      return false;
  return true;
}

typedef struct S_grid {
  S_line *ls;
  int bottom, right; /* last line, last place */
  int *done;         /* per place: last line seen of that text column */
  bool *rowsep, *colsep;
  int32_t *cells; /* top, left, bottom, right of each cell found */
  int ncells, capcells;
  int64_t *heap; /* upper-left corners still to try, smallest first */
  int nheap, capheap;
} S_grid;

static int32_t S_gc(const S_grid *g, int line, int col) {
  return S_at(&g->ls[line], col);
}

static void S_heap_push(S_grid *g, int top, int left) {
  S_GROW(g->heap, g->nheap, g->capheap);
  int64_t key = (int64_t)top * ((int64_t)g->right + 2) + left;
  int i = g->nheap++;
  while (i > 0 && g->heap[(i - 1) / 2] > key) {
    g->heap[i] = g->heap[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  g->heap[i] = key;
}

static void S_heap_pop(S_grid *g, int *top, int *left) {
  int64_t key = g->heap[0], last = g->heap[--g->nheap];
  int i = 0;
  for (;;) {
    int c = 2 * i + 1;
    if (c >= g->nheap)
      break;
    if (c + 1 < g->nheap && g->heap[c + 1] < g->heap[c])
      c++;
    if (g->heap[c] >= last)
      break;
    g->heap[i] = g->heap[c];
    i = c;
  }
  if (g->nheap > 0)
    g->heap[i] = last;
  *top = (int)(key / ((int64_t)g->right + 2));
  *left = (int)(key % ((int64_t)g->right + 2));
}

/* Along the left edge from the bottom-left corner back up to `top`. */
static bool S_scan_up(const S_grid *g, int top, int left, int bottom) {
  for (int i = bottom - 1; i > top; i--) {
    int32_t c = S_gc(g, i, left);
    if (c != '+' && c != '|')
      return false;
  }
  return true;
}

/* Along the bottom edge to the bottom-left corner, which must line up. */
static bool S_scan_left(const S_grid *g, int top, int left, int bottom,
                        int right) {
  for (int i = right - 1; i > left; i--) {
    int32_t c = S_gc(g, bottom, i);
    if (c != '+' && c != '-')
      return false;
  }
  return S_gc(g, bottom, left) == '+' && S_scan_up(g, top, left, bottom);
}

/* Down the right edge: the first corner that closes the cell. */
static int S_scan_down(const S_grid *g, int top, int left, int right) {
  for (int i = top + 1; i <= g->bottom; i++) {
    int32_t c = S_gc(g, i, right);
    if (c == '+') {
      if (S_scan_left(g, top, left, i, right))
        return i;
    } else if (c != '|') {
      return -1;
    }
  }
  return -1;
}

/* Traces the cell whose upper-left corner is (top, left): along the top
 * edge, each '+' is a candidate upper-right corner. */
static bool S_scan_cell(const S_grid *g, int top, int left, int *bottom,
                        int *right) {
  for (int i = left + 1; i <= g->right; i++) {
    int32_t c = S_gc(g, top, i);
    if (c == '+') {
      int b = S_scan_down(g, top, left, i);
      if (b >= 0) {
        *bottom = b;
        *right = i;
        return true;
      }
    } else if (c != '-') {
      return false;
    }
  }
  return false;
}

/* Row and column boundaries a traced cell shows: every '+' met on its
 * edges (on the top edge, also those of corners tried in vain). */
static void S_note_seps(S_grid *g, int top, int left, int bottom, int right) {
  for (int i = left + 1; i <= right; i++)
    if (S_gc(g, top, i) == '+')
      g->colsep[i] = true;
  for (int i = left + 1; i < right; i++)
    if (S_gc(g, bottom, i) == '+')
      g->colsep[i] = true;
  for (int i = top + 1; i <= bottom; i++)
    if (S_gc(g, i, right) == '+')
      g->rowsep[i] = true;
  for (int i = top + 1; i < bottom; i++)
    if (S_gc(g, i, left) == '+')
      g->rowsep[i] = true;
}

/* Finds all cells, top to bottom, from the queue of upper-left corners
 * (Docutils' parse_table); false when the table is not fully covered. */
static bool S_grid_trace(S_grid *g) {
  S_heap_push(g, 0, 0);
  while (g->nheap > 0) {
    int top, left, bottom, right;
    S_heap_pop(g, &top, &left);
    if (top == g->bottom || left == g->right || top <= g->done[left])
      continue;
    if (!S_scan_cell(g, top, left, &bottom, &right))
      continue;
    S_note_seps(g, top, left, bottom, right);
    for (int c = left; c < right; c++) {
      if (g->done[c] != top - 1)
        return false; /* overlapping cells */
      g->done[c] = bottom - 1;
    }
    S_GROW(g->cells, g->ncells + 3, g->capcells);
    g->cells[g->ncells++] = top;
    g->cells[g->ncells++] = left;
    g->cells[g->ncells++] = bottom;
    g->cells[g->ncells++] = right;
    S_heap_push(g, top, right);
    S_heap_push(g, bottom, left);
  }
  for (int c = 0; c < g->right; c++)
    if (g->done[c] != g->bottom - 1)
      return false;
  return true;
}

typedef struct S_slot {
  int row, col, cell;
} S_slot;

static int S_slot_cmp(const void *a, const void *b) {
  const S_slot *x = a, *y = b;
  if (x->row != y->row)
    return x->row < y->row ? -1 : 1;
  if (x->col != y->col)
    return x->col < y->col ? -1 : 1;
  return 0;
}

/* Rows and columns from the boundaries found (structure_from_cells). */
static bool S_grid_structure(S_grid *g, int head_sep, S_table *t) {
  int n = g->bottom + 1, w = g->right + 1;
  int *rowidx = ss_xmalloc((size_t)n * sizeof *rowidx);
  int *colidx = ss_xmalloc((size_t)w * sizeof *colidx);
  int nrows = -1, ncols = -1, prev = -1;
  for (int i = 0; i < n; i++)
    rowidx[i] = g->rowsep[i] ? ++nrows : -1;
  for (int i = 0; i < w; i++) {
    if (!g->colsep[i])
      continue;
    colidx[i] = ++ncols;
    if (prev >= 0)
      S_add_width(t, i - prev - 1);
    prev = i;
  }
  int count = g->ncells / 4;
  S_slot *slots = ss_xmalloc((size_t)(count > 0 ? count : 1) * sizeof *slots);
  long long area = 0;
  for (int k = 0; k < count; k++) {
    int32_t *c = &g->cells[4 * k];
    slots[k].row = rowidx[c[0]];
    slots[k].col = colidx[c[1]];
    slots[k].cell = k;
    area += (long long)(rowidx[c[2]] - rowidx[c[0]]) *
            (colidx[c[3]] - colidx[c[1]]);
  }
  qsort(slots, (size_t)count, sizeof *slots, S_slot_cmp);
  bool ok = area == (long long)nrows * ncols;
  for (int k = 1; ok && k < count; k++)
    if (S_slot_cmp(&slots[k - 1], &slots[k]) == 0)
      ok = false;
  if (ok) {
    t->nhead = 0;
    if (head_sep > 0) {
      int i = head_sep;
      while (i < n && !g->rowsep[i])
        i++;
      t->nhead = i < n ? rowidx[i] : nrows;
    }
    int k = 0;
    for (int r = 0; r < nrows; r++) {
      S_start_row(t);
      for (; k < count && slots[k].row == r; k++) {
        int32_t *c = &g->cells[4 * slots[k].cell];
        S_entry *e =
            S_add_entry(t, g->ls + c[0] + 1, c[2] - c[0] - 1, c[1] + 1, c[3]);
        e->morerows = rowidx[c[2]] - rowidx[c[0]] - 1;
        e->morecols = colidx[c[3]] - colidx[c[1]] - 1;
      }
    }
  }
  free(slots);
  free(rowidx);
  free(colidx);
  return ok;
}

/* Parses the isolated grid table ls[0..n) (stripped lines). Errors are
 * reported at `lineno` plus the offending table line, as Docutils does
 * (whose table start is sometimes off: see rst_read_grid_table). */
static ss_node *S_grid_parse(rst_parser *p, S_line *ls, int n, int lineno,
                             ss_node *messages) {
  bool shape = n >= 1 && S_grid_border(&ls[0]) && S_grid_border(&ls[n - 1]);
  for (int i = 0; shape && i < n; i++)
    shape = ls[i].len == ls[0].len &&
            (ls[i].cp[0] == '+' || ls[i].cp[0] == '|') &&
            (ls[i].cp[ls[i].len - 1] == '+' || ls[i].cp[ls[i].len - 1] == '|');
  if (!shape) {
    S_malformed(p, ls, n, lineno, NULL, messages);
    return NULL;
  }
  int head_sep;
  if (!S_head_separator(p, ls, n, lineno, messages, S_grid_head_sep, &head_sep))
    return NULL;

  S_grid g = {.ls = ls, .bottom = n - 1, .right = ls[0].len - 1};
  g.done = ss_xmalloc((size_t)ls[0].len * sizeof *g.done);
  for (int i = 0; i < ls[0].len; i++)
    g.done[i] = -1;
  g.rowsep = ss_xcalloc((size_t)n, sizeof *g.rowsep);
  g.colsep = ss_xcalloc((size_t)ls[0].len, sizeof *g.colsep);
  g.rowsep[0] = g.colsep[0] = true;
  S_table t = {0};
  ss_node *table = NULL;
  if (S_grid_trace(&g) && S_grid_structure(&g, head_sep, &t))
    table = S_build(p, &t, ls[n - 1].src->lineno);
  else
    S_malformed(p, ls, n, lineno, "Malformed table; parse incomplete.",
                messages);
  S_table_free(&t);
  free(g.done);
  free(g.rowsep);
  free(g.colsep);
  free(g.cells);
  free(g.heap);
  return table;
}

ss_node *rst_parse_grid_table(rst_parser *p, const rst_line *lines, int n,
                              ss_node *messages) {
  S_line *ls = S_lines_new(lines, n, true);
  ss_node *table =
      S_grid_parse(p, ls, n, n > 0 ? lines[0].lineno : 0, messages);
  S_lines_free(ls, n);
  return table;
}

/* --- simple tables ---------------------------------------------------- */

/* `=+[ =]*$` on the raw line: a simple table border. */
static bool S_simple_border_text(const rst_line *l) {
  if (l->len < 1 || l->text[0] != '=')
    return false;
  for (int i = 1; i < l->len; i++)
    if (l->text[i] != '=' && l->text[i] != ' ')
      return false;
  return true;
}

/* `=+( +=+)+ *$`: a top border, two columns at least. */
static bool S_simple_top_text(const rst_line *l) {
  if (!S_simple_border_text(l))
    return false;
  int n = l->len;
  while (n > 0 && l->text[n - 1] == ' ')
    n--;
  return memchr(l->text, ' ', (size_t)n) != NULL;
}

/* `c[ c]*$` from place 0: a border ('=') or span underline ('-'). */
static bool S_simple_rule(const S_line *l, int32_t c) {
  if (l->len < 1 || l->cp[0] != c)
    return false;
  for (int i = 1; i < l->len; i++)
    if (l->cp[i] != c && l->cp[i] != ' ')
      return false;
  return true;
}

static bool S_simple_head_rule(const S_line *l) {
  return S_simple_rule(l, '=');
}

typedef struct S_simple {
  rst_parser *p;
  S_line *ls;
  int n, lineno;
  ss_node *messages;
  int (*cols)[2]; /* the table's columns [start, end) */
  int ncols, capcols;
  int border_end;
  int (*span)[2]; /* the current row's columns */
  int nspan, capspan;
  int *rowstart; /* table line of each row's first line */
  int caprowstart;
  S_table t;
  bool failed;
} S_simple;

static void S_simple_error(S_simple *s, int offset, const char *fmt, int n) {
  char detail[128];
  snprintf(detail, sizeof detail, fmt, n);
  S_malformed(s->p, s->ls, s->n, s->lineno + offset, detail, s->messages);
  s->failed = true;
}

/* Column limits from a border or span underline: runs of non-spaces
 * (parse_columns). A span underline must reach the table's right end;
 * its last column takes the table's (possibly widened) last column. */
static bool S_simple_columns(S_simple *s, const S_line *l, int offset,
                             bool underline) {
  int len = l->len;
  while (len > 0 && S_is_space(l->cp[len - 1]))
    len--;
  s->nspan = 0;
  int end = 0;
  for (;;) {
    int begin = end;
    while (begin < len && l->cp[begin] != '-')
      begin++;
    if (begin >= len)
      break;
    end = begin;
    while (end < len && l->cp[end] != ' ')
      end++;
    S_GROW(s->span, s->nspan, s->capspan);
    s->span[s->nspan][0] = begin;
    s->span[s->nspan][1] = end;
    s->nspan++;
  }
  if (!underline || s->nspan == 0)
    return true;
  if (s->span[s->nspan - 1][1] != s->border_end) {
    S_simple_error(s, offset, "Column span incomplete in table line %d.",
                   offset + 1);
    return false;
  }
  s->span[s->nspan - 1][1] = s->cols[s->ncols - 1][1];
  return true;
}

/* Text beyond a column: an error in a margin; past the last column it
 * widens that column (check_columns). Places here skip combining
 * characters, as Docutils strips them first. */
static bool S_simple_margins(S_simple *s, int first, int nlines) {
  for (int i = 0; i < s->nspan; i++) {
    int start = s->span[i][0], end = s->span[i][1];
    bool last = i == s->nspan - 1;
    int nextstart = last ? INT_MAX : s->span[i + 1][0];
    for (int k = 0; k < nlines; k++) {
      const S_line *l = &s->ls[first + k];
      int j = end;
      while (j < l->nci && S_is_space(l->cp[l->ci[j]]))
        j++;
      if (j >= l->nci)
        continue; /* nothing after the column */
      if (last) {
        int e = l->nci;
        while (e > start && S_is_space(l->cp[l->ci[e - 1]]))
          e--;
        int new_end = e > start ? e : start;
        int *lastcol = s->cols[s->ncols - 1];
        s->span[i][1] = lastcol[1] > new_end ? lastcol[1] : new_end;
        if (new_end > lastcol[1])
          lastcol[1] = new_end;
      } else if (j < nextstart) {
        S_simple_error(s, first + k, "Text in column margin in table line %d.",
                       first + k + 1);
        return false;
      }
    }
  }
  return true;
}

/* One row from table lines [first, first + nlines), its columns being
 * the table's or those of the span underline at table line `under`. */
static bool S_simple_row(S_simple *s, int first, int nlines, int under) {
  if (nlines == 0 && under < 0)
    return true; /* blank lines only */
  if (under >= 0) {
    if (!S_simple_columns(s, &s->ls[under], under, true))
      return false;
  } else {
    s->nspan = 0;
    for (int i = 0; i < s->ncols; i++) {
      S_GROW(s->span, s->nspan, s->capspan);
      s->span[s->nspan][0] = s->cols[i][0];
      s->span[s->nspan][1] = s->cols[i][1];
      s->nspan++;
    }
  }
  if (!S_simple_margins(s, first, nlines))
    return false;
  /* Each span must start on a column start and end on a column end. */
  int c = 0;
  int *morecols = ss_xmalloc((size_t)s->nspan * sizeof *morecols);
  for (int i = 0; i < s->nspan; i++) {
    morecols[i] = 0;
    bool ok = c < s->ncols && s->span[i][0] == s->cols[c][0];
    while (ok && s->span[i][1] != s->cols[c][1]) {
      c++;
      morecols[i]++;
      ok = c < s->ncols;
    }
    if (!ok) {
      free(morecols);
      S_simple_error(s, first + 1,
                     "Column span alignment problem in table line %d.",
                     first + 2);
      return false;
    }
    c++;
  }
  S_start_row(&s->t);
  S_GROW(s->rowstart, s->t.nrows, s->caprowstart);
  s->rowstart[s->t.nrows - 1] = first;
  for (int i = 0; i < s->nspan; i++) {
    S_entry *e =
        S_add_entry(&s->t, s->ls + first, nlines, s->span[i][0], s->span[i][1]);
    e->morecols = morecols[i];
  }
  free(morecols);
  return true;
}

/* Rows: a line with text in the first column starts one, a span
 * underline (or the bottom border) ends one (parse_table). */
static void S_simple_rows(S_simple *s) {
  int firststart = s->cols[0][0], firstend = s->cols[0][1];
  int start = 1;
  bool text_found = false;
  for (int offset = 1; offset < s->n && !s->failed; offset++) {
    const S_line *l = &s->ls[offset];
    bool first_text = false;
    for (int k = firststart; k < firstend && k < l->len; k++)
      if (!S_is_space(l->cp[k]))
        first_text = true;
    if (S_simple_rule(l, '-')) {
      S_simple_row(s, start, offset - start, offset);
      start = offset + 1;
      text_found = false;
    } else if (first_text) {
      if (text_found && offset != start)
        S_simple_row(s, start, offset - start, -1);
      start = offset;
      text_found = true;
    } else if (!text_found) {
      start = offset + 1;
    }
  }
}

static ss_node *S_simple_parse(rst_parser *p, S_line *ls, int n, int lineno,
                               ss_node *messages) {
  if (n < 2 || !S_simple_top_text(ls[0].src) ||
      !S_simple_border_text(ls[n - 1].src)) {
    S_malformed(p, ls, n, lineno, "No bottom table border found.", messages);
    return NULL;
  }
  S_simple s = {
      .p = p, .ls = ls, .n = n, .lineno = lineno, .messages = messages};
  for (int k = 0; k < ls[0].len; k++)
    if (ls[0].cp[k] == '=')
      ls[0].cp[k] = '-';
  for (int k = 0; k < ls[n - 1].len; k++)
    if (ls[n - 1].cp[k] == '=')
      ls[n - 1].cp[k] = '-';
  int head_sep;
  if (!S_head_separator(p, ls, n, lineno, messages, S_simple_head_rule,
                        &head_sep))
    return NULL;
  S_simple_columns(&s, &ls[0], 0, false);
  for (int i = 0; i < s.nspan; i++) {
    S_GROW(s.cols, s.ncols, s.capcols);
    s.cols[s.ncols][0] = s.span[i][0];
    s.cols[s.ncols][1] = s.span[i][1];
    s.ncols++;
  }
  ss_node *table = NULL;
  if (s.ncols > 0) {
    s.border_end = s.cols[s.ncols - 1][1];
    S_simple_rows(&s);
  } else {
    s.failed = true; /* cannot happen after the top-border check */
  }
  if (!s.failed) {
    for (int i = 0; i < s.ncols; i++)
      S_add_width(&s.t, s.cols[i][1] - s.cols[i][0]);
    s.t.nhead = 0;
    if (head_sep > 0)
      for (int r = 0; r < s.t.nrows; r++)
        if (s.rowstart[r] > head_sep) {
          s.t.nhead = r;
          break;
        }
    table = S_build(p, &s.t, ls[n - 1].src->lineno);
  }
  S_table_free(&s.t);
  free(s.cols);
  free(s.span);
  free(s.rowstart);
  return table;
}

ss_node *rst_parse_simple_table(rst_parser *p, const rst_line *lines, int n,
                                ss_node *messages) {
  S_line *ls = S_lines_new(lines, n, false);
  ss_node *table =
      S_simple_parse(p, ls, n, n > 0 ? lines[0].lineno : 0, messages);
  S_lines_free(ls, n);
  return table;
}

/* --- isolating a table from what follows ------------------------------ */

static void S_blank_required(rst_parser *p, const rst_line *lines, int taken,
                             ss_node *parent) {
  ss_node_append(parent,
                 rst_report(p, SS_LEVEL_WARNING, lines[taken - 1].lineno + 1,
                            NULL, "Blank line required after table."));
}

int rst_read_grid_table(rst_parser *p, const rst_line *lines, int n,
                        ss_node *parent) {
  if (n <= 0)
    return 0;
  /* The text block, which must stay flush left. */
  int m = 0;
  ss_node *indent_error = NULL;
  while (m < n && !S_blank(&lines[m])) {
    if (m > 0 && lines[m].len > 0 && lines[m].text[0] == ' ') {
      indent_error = rst_report(p, SS_LEVEL_ERROR, lines[m].lineno, NULL,
                                "Unexpected indentation.");
      break;
    }
    m++;
  }
  bool blank_finish = indent_error == NULL;
  int taken = m, lineno = lines[0].lineno, nls = m;
  S_line *ls = S_lines_new(lines, m, true);
  int width = m > 0 ? ls[0].len : 0;
  for (int i = 0; i < m; i++) {
    if (ls[i].len == 0 || (ls[i].cp[0] != '+' && ls[i].cp[0] != '|')) {
      blank_finish = false;
      m = taken = i; /* the table ends where its left edge does */
      break;
    }
  }
  if (m == 0) { /* not a table at all: the caller's mistake */
    ss_node_free(indent_error);
    S_lines_free(ls, nls);
    S_malformed(p, NULL, 0, lines[0].lineno, NULL, parent);
    return 1;
  }
  bool ok = true;
  if (!S_grid_border(&ls[m - 1])) {
    /* Ends at the last border line; Docutils then goes on reading two
     * lines before it (and counts the table's lines from there). */
    blank_finish = false;
    ok = false;
    for (int i = m - 2; i > 1; i--) {
      if (S_grid_border(&ls[i])) {
        m = i + 1;
        taken = i - 1;
        lineno -= 2;
        ok = true;
        break;
      }
    }
  }
  for (int i = 0; ok && i < m; i++)
    ok = ls[i].len == width &&
         (ls[i].cp[width - 1] == '+' || ls[i].cp[width - 1] == '|');
  if (!ok) {
    if (indent_error)
      ss_node_append(parent, indent_error);
    indent_error = NULL;
    S_malformed(p, ls, m, lineno, NULL, parent);
  } else {
    ss_node *table = S_grid_parse(p, ls, m, lineno, parent);
    if (table)
      ss_node_append(parent, table);
  }
  if (indent_error)
    ss_node_append(parent, indent_error);
  if (!blank_finish)
    S_blank_required(p, lines, taken, parent);
  S_lines_free(ls, nls);
  return taken;
}

int rst_read_simple_table(rst_parser *p, const rst_line *lines, int n,
                          ss_node *parent) {
  if (n <= 0)
    return 0;
  int toplen = lines[0].len;
  while (toplen > 0 && lines[0].text[toplen - 1] == ' ')
    toplen--;
  int found = 0, found_at = -1, end = -1;
  const char *detail = NULL;
  bool blank_finish = true;
  for (int i = 1; i < n; i++) {
    if (!S_simple_border_text(&lines[i]))
      continue;
    int len = lines[i].len;
    while (len > 0 && lines[i].text[len - 1] == ' ')
      len--;
    bool next_blank = i == n - 1 || S_blank(&lines[i + 1]);
    if (len != toplen) {
      end = i;
      detail = "Bottom/header table border does not match top border.";
      blank_finish = next_blank;
      break;
    }
    found++;
    found_at = i;
    if (found == 2 || next_blank) {
      end = i;
      blank_finish = next_blank;
      break;
    }
  }
  if (end < 0) {
    if (found) {
      end = found_at;
      detail = "No bottom table border found or no blank line after table "
               "bottom.";
      blank_finish = false;
    } else {
      end = n - 1;
      detail = "No bottom table border found.";
    }
  }
  int taken = end + 1;
  S_line *ls = S_lines_new(lines, taken, false);
  if (detail) {
    S_malformed(p, ls, taken, lines[0].lineno, detail, parent);
  } else {
    ss_node *table = S_simple_parse(p, ls, taken, lines[0].lineno, parent);
    if (table)
      ss_node_append(parent, table);
  }
  S_lines_free(ls, taken);
  if (!blank_finish)
    S_blank_required(p, lines, taken, parent);
  return taken;
}
