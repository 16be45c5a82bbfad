/* code.c — Sphinx's code directives (sphinx/directives/code.py):
 * code-block (with sourcecode and Sphinx's `code`) and literalinclude.
 *
 * Both build a literal_block as Sphinx's reader leaves it: the text
 * kept plain (no Pygments tokens), `highlight_args`, and with
 * :caption: a `container` holding a caption and the block. Their line
 * specifications (:emphasize-lines:, :lines:) are read by one
 * parselinenos, their :dedent: by one dedent_lines, as Sphinx shares
 * them. literalinclude reads its file through include.c (kept inside
 * the repository, noted as a dependency) and cuts it with Sphinx's
 * filters, in Sphinx's order; :diff: is difflib's unified_diff.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/utf8.h"
#include "directives.h"

/* --- lines as Python's str.splitlines(True) makes them ------------------ */

typedef struct S_lines {
  char **text; /* each NUL-terminated, its line end kept */
  size_t *len;
  int n, cap;
} S_lines;

static void S_lines_add(S_lines *l, int at, const char *s, size_t len) {
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 16;
    l->text = ss_xrealloc(l->text, sizeof *l->text * (size_t)l->cap);
    l->len = ss_xrealloc(l->len, sizeof *l->len * (size_t)l->cap);
  }
  memmove(l->text + at + 1, l->text + at,
          sizeof *l->text * (size_t)(l->n - at));
  memmove(l->len + at + 1, l->len + at, sizeof *l->len * (size_t)(l->n - at));
  l->text[at] = ss_xstrndup(s, len);
  l->len[at] = len;
  l->n++;
}

static void S_lines_free(S_lines *l) {
  for (int i = 0; i < l->n; i++)
    free(l->text[i]);
  free(l->text);
  free(l->len);
  *l = (S_lines){0};
}

/* Keeps lines [from, to) only. */
static void S_lines_slice(S_lines *l, int from, int to) {
  for (int i = 0; i < l->n; i++)
    if (i < from || i >= to)
      free(l->text[i]);
  int n = to > from ? to - from : 0;
  memmove(l->text, l->text + from, sizeof *l->text * (size_t)n);
  memmove(l->len, l->len + from, sizeof *l->len * (size_t)n);
  l->n = n;
}

/* The length of the line end at s[k] (Python's line boundaries, "\r"
 * gone already with universal newlines), or 0. */
static size_t S_line_end(const char *s, size_t len, size_t k) {
  unsigned char c = (unsigned char)s[k];
  if (c == '\n' || c == '\v' || c == '\f' || c == '\r' ||
      (c >= 0x1C && c <= 0x1E))
    return 1;
  if (c == 0xC2 && k + 1 < len && (unsigned char)s[k + 1] == 0x85)
    return 2;
  if (c == 0xE2 && k + 2 < len && (unsigned char)s[k + 1] == 0x80 &&
      ((unsigned char)s[k + 2] == 0xA8 || (unsigned char)s[k + 2] == 0xA9))
    return 3;
  return 0;
}

static void S_split(const char *s, size_t len, S_lines *out) {
  size_t from = 0;
  for (size_t k = 0; k < len;) {
    size_t e = S_line_end(s, len, k);
    if (!e) {
      k++;
      continue;
    }
    k += e;
    S_lines_add(out, out->n, s + from, k - from);
    from = k;
  }
  if (from < len)
    S_lines_add(out, out->n, s + from, len - from);
}

static void S_join(const S_lines *l, ss_buf *out) {
  for (int i = 0; i < l->n; i++)
    ss_buf_put(out, l->text[i], l->len[i]);
  if (!out->data)
    ss_buf_puts(out, "");
}

/* --- Sphinx's parselinenos ------------------------------------------------ */

/* 0-based line numbers from <= n < to, in the order the spec lists
 * them (a range is kept whole: "1-999999" costs nothing). */
typedef struct S_range {
  long long from, to;
} S_range;

static bool S_int_part(const char *s, size_t len, long long *v) {
  return rst_py_int(s, len, v);
}

/* "1,3-5,8-" (with `total` lines: "8-" runs to the last). False where
 * Sphinx raises 'invalid line number spec'. */
static bool S_parselinenos(const char *spec, long long total, S_range **out,
                           int *n) {
  *out = NULL;
  *n = 0;
  for (const char *part = spec;;) {
    const char *comma = strchr(part, ',');
    size_t plen = comma ? (size_t)(comma - part) : strlen(part);
    /* part.strip().split('-') */
    const char *b = part, *e = part + plen;
    int k;
    while (b < e && (k = rst_space_len(b, (size_t)(e - b))))
      b += k;
    while (e > b) {
      const char *last = e - 1;
      while (last > b && ((unsigned char)*last & 0xC0) == 0x80)
        last--;
      if (rst_space_len(last, (size_t)(e - last)) != e - last)
        break;
      e = last;
    }
    const char *dash = memchr(b, '-', (size_t)(e - b));
    S_range r;
    bool ok;
    if (!dash) {
      long long v;
      ok = S_int_part(b, (size_t)(e - b), &v);
      r = (S_range){v - 1, v};
    } else if (memchr(dash + 1, '-', (size_t)(e - dash - 1))) {
      ok = false;
    } else if (dash == b && dash + 1 == e) {
      ok = false; /* "-" */
    } else {
      long long from = 1, to = 0;
      ok = dash == b || S_int_part(b, (size_t)(dash - b), &from);
      if (ok && dash + 1 == e)
        to = from > total ? from : total;
      else
        ok = ok && S_int_part(dash + 1, (size_t)(e - dash - 1), &to);
      ok = ok && from <= to;
      r = (S_range){from - 1, to};
    }
    if (!ok) {
      free(*out);
      *out = NULL;
      *n = 0;
      return false;
    }
    *out = ss_xrealloc(*out, sizeof **out * (size_t)(*n + 1));
    (*out)[(*n)++] = r;
    if (!comma)
      return true;
    part = comma + 1;
  }
}

static bool S_out_of_range(const S_range *r, int n, long long total) {
  for (int i = 0; i < n; i++)
    if (r[i].to > r[i].from && r[i].to - 1 >= total)
      return true;
  return false;
}

/* Sphinx's hl_lines: [x + 1 for x in lines if x < total], as the
 * Python list repr. */
static void S_hl_repr(const S_range *r, int n, long long total, ss_buf *out) {
  bool first = true;
  ss_buf_putc(out, '[');
  for (int i = 0; i < n; i++)
    for (long long x = r[i].from; x < r[i].to && x < total; x++) {
      ss_buf_printf(out, first ? "%lld" : ", %lld", x + 1);
      first = false;
    }
  ss_buf_putc(out, ']');
}

/* Sphinx's message for a spec parselinenos rejects. */
static void S_spec_error(const char *spec, ss_buf *msg) {
  ss_buf_puts(msg, "invalid line number spec: ");
  rst_py_repr(spec, strlen(spec), msg);
}

/* --- Sphinx's dedent_lines ------------------------------------------------ */

/* textwrap.dedent on the text the lines make: lines of spaces and tabs
 * only are emptied, then the longest run of spaces and tabs that starts
 * every other line goes. Lines are "\n"-separated here. */
static void S_textwrap_dedent(S_lines *l) {
  ss_buf text = SS_BUF_INIT, out = SS_BUF_INIT;
  S_join(l, &text);
  const char *s = text.data;
  size_t len = text.len;
  /* The margin: a prefix of spaces and tabs, as a span of some line. */
  const char *margin = NULL;
  size_t mlen = 0;
  for (size_t k = 0; k < len;) {
    const char *nl = memchr(s + k, '\n', len - k);
    size_t e = nl ? (size_t)(nl - s) : len;
    size_t w = k;
    while (w < e && (s[w] == ' ' || s[w] == '\t'))
      w++;
    if (w < e) { /* a line with something else */
      size_t ilen = w - k;
      if (!margin) {
        margin = s + k, mlen = ilen;
      } else {
        size_t c = 0;
        while (c < mlen && c < ilen && margin[c] == s[k + c])
          c++;
        mlen = c;
      }
    }
    k = nl ? e + 1 : len;
  }
  for (size_t k = 0; k < len;) {
    const char *nl = memchr(s + k, '\n', len - k);
    size_t e = nl ? (size_t)(nl - s) : len;
    size_t w = k;
    while (w < e && (s[w] == ' ' || s[w] == '\t'))
      w++;
    if (w == e) /* blank: emptied */
      k = e;
    else if (margin && e - k >= mlen && !memcmp(s + k, margin, mlen))
      k += mlen;
    ss_buf_put(&out, s + k, (nl ? e + 1 : len) - k);
    k = nl ? e + 1 : len;
  }
  S_lines_free(l);
  S_split(out.data ? out.data : "", out.len, l);
  ss_buf_free(&text);
  ss_buf_free(&out);
}

/* The byte length of the first `chars` characters of s[0..len). */
static size_t S_chars(const char *s, size_t len, long chars) {
  size_t k = 0;
  for (long c = 0; c < chars && k < len; c++) {
    int32_t cp;
    k += ss_utf8_decode(s + k, len - k, &cp);
  }
  return k;
}

/* line[cut:] on every line (a line end left alone stays); warns, as
 * Sphinx does, when that strips more than whitespace. */
static void S_dedent_cut(rst_parser *p, int lineno, S_lines *l, long cut) {
  bool stripped = false;
  for (int i = 0; i < l->n; i++) {
    size_t k = S_chars(l->text[i], l->len[i], cut);
    for (size_t q = 0; q < k && !stripped;) {
      int sp = rst_space_len(l->text[i] + q, k - q);
      stripped = !sp;
      q += sp ? (size_t)sp : 1;
    }
    bool ends = l->len[i] && l->text[i][l->len[i] - 1] == '\n';
    if (k == l->len[i] && ends)
      k = l->len[i] - 1; /* "keep CRLF": the line end stays */
    memmove(l->text[i], l->text[i] + k, l->len[i] - k + 1);
    l->len[i] -= k;
  }
  if (stripped)
    rst_warn(p, lineno, "non-whitespace stripped by dedent");
}

/* --- options both directives read ------------------------------------------
 */

/* Sphinx's optional_int for :dedent:: no value means textwrap.dedent
 * (*has_cut false); a negative one is an error. */
static bool S_dedent_option(rst_parser *p, const rst_directive *d,
                            ss_node *parent, bool *has_cut, long *cut) {
  const char *v = rst_dir_option(d, "dedent");
  *has_cut = false;
  if (!v || !*v)
    return true;
  bool bad = false;
  if (!rst_dir_int_option(p, d, parent, "dedent", cut, &bad))
    return false;
  if (*cut < 0) {
    ss_buf msg = SS_BUF_INIT;
    ss_buf_puts(&msg, "invalid option value: (option: \"dedent\"; value: ");
    rst_py_repr(v, strlen(v), &msg);
    ss_buf_puts(&msg, ")\nnegative value; must be positive or zero.");
    rst_dir_error(p, d, parent, msg.data);
    ss_buf_free(&msg);
    return false;
  }
  *has_cut = true;
  return true;
}

/* Docutils' reporter.warning(exc, line=lineno): what Sphinx returns
 * instead of the block when it cannot build it. */
static void S_warning(rst_parser *p, const rst_directive *d, ss_node *parent,
                      const char *msg) {
  ss_node_append(parent,
                 rst_report(p, SS_LEVEL_WARNING, d->lineno, NULL, "%s", msg));
}

/* Sphinx's container_wrapper when :caption: is given (the container
 * takes the block's name), else the block itself, appended. Sphinx
 * parses the caption as a body of its own source '', and the container
 * is appended where that leaves the state machine: a source that is
 * empty, no line, so its parent's counts; the caption takes the
 * block's line. */
static void S_append_block(rst_parser *p, const rst_directive *d,
                           const char *caption, ss_node *lit, ss_node *parent) {
  if (!caption) {
    rst_dir_add_name(lit, d);
    ss_node_append(parent, lit);
    return;
  }
  ss_node *wrap = ss_node_append(parent, ss_node_new(SS_CONTAINER, 0));
  ss_node_attr_add(wrap, "classes", "literal-block-wrapper");
  rst_dir_add_name(wrap, d);
  ss_node_attr_set(wrap, "literal_block", "True");
  ss_node *cap = ss_node_append(wrap, ss_node_new(SS_CAPTION, lit->line));
  rst_parse_inline(p, caption, strlen(caption), d->content_lineno, cap, parent);
  ss_node_append(wrap, lit);
}

/* --- code-block ---------------------------------------------------------- */

static void S_run_code(rst_parser *p, const rst_dspec *spec,
                       const rst_directive *d, ss_node *parent) {
  (void)spec;
  bool bad = false, has_cut;
  long start = 0, cut = 0;
  bool has_start =
      rst_dir_int_option(p, d, parent, "lineno-start", &start, &bad);
  if (bad || !S_dedent_option(p, d, parent, &has_cut, &cut))
    return;
  /* Sphinx writes an empty block for a code-block without content. */
  ss_buf text = SS_BUF_INIT, hl_lines = SS_BUF_INIT;
  rst_dir_join(d->content, d->ncontent, &text);
  const char *hl = rst_dir_option(d, "emphasize-lines");
  if (hl) {
    S_range *r;
    int nr;
    if (!S_parselinenos(hl, d->ncontent, &r, &nr)) {
      ss_buf msg = SS_BUF_INIT;
      S_spec_error(hl, &msg);
      S_warning(p, d, parent, msg.data);
      ss_buf_free(&msg);
      ss_buf_free(&text);
      return;
    }
    if (S_out_of_range(r, nr, d->ncontent)) {
      ss_buf spec_repr = SS_BUF_INIT;
      rst_py_repr(hl, strlen(hl), &spec_repr);
      rst_warn(p, d->lineno, "line number spec is out of range(1-%d): %s",
               d->ncontent, spec_repr.data);
      ss_buf_free(&spec_repr);
    }
    S_hl_repr(r, nr, d->ncontent, &hl_lines);
    free(r);
  }
  if (rst_dir_option(d, "dedent")) {
    S_lines l = {0};
    S_split(text.data ? text.data : "", text.len, &l);
    if (has_cut)
      S_dedent_cut(p, d->lineno, &l, cut);
    else
      S_textwrap_dedent(&l);
    ss_buf_clear(&text);
    S_join(&l, &text);
    S_lines_free(&l);
  }
  /* Sphinx's CodeBlock and Code: set_source_info, the directive's line. */
  ss_node *lit = ss_node_new(SS_LITERAL_BLOCK, d->lineno);
  rst_dir_add_classes(lit, rst_dir_option(d, "class"));
  ss_node_attr_set(lit, "force", rst_dir_option(d, "force") ? "True" : "False");
  ss_buf args = SS_BUF_INIT;
  ss_buf_putc(&args, '{');
  if (hl)
    ss_buf_printf(&args, "'hl_lines': %s", hl_lines.data);
  if (has_start)
    ss_buf_printf(&args, "%s'linenostart': %ld", hl ? ", " : "", start);
  ss_buf_putc(&args, '}');
  ss_node_attr_set(lit, "highlight_args", args.data);
  const char *lang = d->args && *d->args     ? d->args
                     : p->highlight_language ? p->highlight_language
                                             : "default";
  ss_node_attr_set(lit, "language", lang);
  ss_node_attr_set(lit, "linenos",
                   rst_dir_option(d, "linenos") || has_start ||
                           rst_dir_option(d, "number-lines")
                       ? "True"
                       : "False");
  ss_node_append(lit, ss_text_new(text.data ? text.data : "", text.len,
                                  d->content_lineno));
  S_append_block(p, d, rst_dir_option(d, "caption"), lit, parent);
  ss_buf_free(&args);
  ss_buf_free(&hl_lines);
  ss_buf_free(&text);
}

/* --- difflib's unified_diff, for literalinclude's :diff: --------------------
 */

/* Lines as small integers, equal lines equal numbers (an interning
 * table of both files' lines). */
static void S_intern(const S_lines *a, const S_lines *b, int *ia, int *ib) {
  int total = a->n + b->n;
  size_t cap = 16;
  while (cap < (size_t)total * 2)
    cap *= 2;
  int *slot = ss_xmalloc(sizeof *slot * cap); /* a line's index, -1 none */
  for (size_t k = 0; k < cap; k++)
    slot[k] = -1;
  for (int t = 0; t < total; t++) {
    const S_lines *l = t < a->n ? a : b;
    int i = t < a->n ? t : t - a->n;
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t k = 0; k < l->len[i]; k++)
      h = (h ^ (unsigned char)l->text[i][k]) * 1099511628211ULL;
    size_t k = (size_t)h & (cap - 1);
    int *out = t < a->n ? &ia[i] : &ib[i];
    for (;; k = (k + 1) & (cap - 1)) {
      if (slot[k] < 0) {
        slot[k] = t;
        *out = t;
        break;
      }
      const S_lines *o = slot[k] < a->n ? a : b;
      int j = slot[k] < a->n ? slot[k] : slot[k] - a->n;
      if (o->len[j] == l->len[i] &&
          !memcmp(o->text[j], l->text[i], l->len[i])) {
        *out = slot[k];
        break;
      }
    }
  }
  free(slot);
}

typedef struct S_match {
  int i, j, size;
} S_match;

typedef struct S_differ {
  const int *a, *b;
  int la, lb;
  int **b2j; /* per interned number: ascending positions in b; NULL */
  int *nb2j;
  /* find_longest_match's j2len, the row being made and the one before:
   * entries stamped with their row's number, counted over every call,
   * so that nothing from an earlier call or row is read. */
  int *len[2];
  long *stamp[2];
  long row;
} S_differ;

/* SequenceMatcher.find_longest_match (no junk; popular lines are not
 * in b2j but still extend a match). */
static S_match S_longest(S_differ *m, int alo, int ahi, int blo, int bhi) {
  int besti = alo, bestj = blo, bestsize = 0;
  for (int i = alo; i < ahi; i++) {
    long row = ++m->row;
    int cur = (int)(row & 1), prev = cur ^ 1;
    const int *js = m->b2j[m->a[i]];
    for (int q = 0; js && q < m->nb2j[m->a[i]]; q++) {
      int j = js[q];
      if (j < blo)
        continue;
      if (j >= bhi)
        break;
      int k = (i > alo && j > 0 && m->stamp[prev][j - 1] == row - 1
                   ? m->len[prev][j - 1]
                   : 0) +
              1;
      m->len[cur][j] = k;
      m->stamp[cur][j] = row;
      if (k > bestsize)
        besti = i - k + 1, bestj = j - k + 1, bestsize = k;
    }
  }
  while (besti > alo && bestj > blo && m->a[besti - 1] == m->b[bestj - 1])
    besti--, bestj--, bestsize++;
  while (besti + bestsize < ahi && bestj + bestsize < bhi &&
         m->a[besti + bestsize] == m->b[bestj + bestsize])
    bestsize++;
  return (S_match){besti, bestj, bestsize};
}

static int S_by_position(const void *x, const void *y) {
  const S_match *a = x, *b = y;
  return a->i != b->i ? (a->i > b->i) - (a->i < b->i)
                      : (a->j > b->j) - (a->j < b->j);
}

/* get_matching_blocks: the blocks found by splitting around each
 * longest match (a queue, not recursion), sorted, adjacent ones merged,
 * then the sentinel (la, lb, 0). */
static S_match *S_matching_blocks(S_differ *m, int *n) {
  int cap = 16, nq = 1, nm = 0;
  int(*queue)[4] = ss_xmalloc(sizeof *queue * (size_t)(m->la + m->lb + 2));
  S_match *found = ss_xmalloc(sizeof *found * (size_t)cap);
  queue[0][0] = 0, queue[0][1] = m->la, queue[0][2] = 0, queue[0][3] = m->lb;
  while (nq) {
    int *q = queue[--nq];
    int alo = q[0], ahi = q[1], blo = q[2], bhi = q[3];
    S_match x = S_longest(m, alo, ahi, blo, bhi);
    if (!x.size)
      continue;
    if (nm == cap)
      found = ss_xrealloc(found, sizeof *found * (size_t)(cap *= 2));
    found[nm++] = x;
    if (alo < x.i && blo < x.j)
      queue[nq][0] = alo, queue[nq][1] = x.i, queue[nq][2] = blo,
      queue[nq++][3] = x.j;
    if (x.i + x.size < ahi && x.j + x.size < bhi)
      queue[nq][0] = x.i + x.size, queue[nq][1] = ahi,
      queue[nq][2] = x.j + x.size, queue[nq++][3] = bhi;
  }
  free(queue);
  qsort(found, (size_t)nm, sizeof *found, S_by_position);
  S_match *out = ss_xmalloc(sizeof *out * (size_t)(nm + 1));
  int no = 0;
  S_match run = {0, 0, 0};
  for (int k = 0; k < nm; k++) {
    if (run.i + run.size == found[k].i && run.j + run.size == found[k].j) {
      run.size += found[k].size;
    } else {
      if (run.size)
        out[no++] = run;
      run = found[k];
    }
  }
  if (run.size)
    out[no++] = run;
  out[no++] = (S_match){m->la, m->lb, 0};
  free(found);
  *n = no;
  return out;
}

typedef struct S_opcode {
  char tag; /* 'e'qual, 'r'eplace, 'd'elete, 'i'nsert */
  int i1, i2, j1, j2;
} S_opcode;

static S_opcode *S_opcodes(const S_match *mb, int nmb, int *n) {
  S_opcode *ops = ss_xmalloc(sizeof *ops * (size_t)(2 * nmb + 1));
  int no = 0, i = 0, j = 0;
  for (int k = 0; k < nmb; k++) {
    int ai = mb[k].i, bj = mb[k].j, size = mb[k].size;
    char tag = i < ai && j < bj ? 'r' : i < ai ? 'd' : j < bj ? 'i' : 0;
    if (tag)
      ops[no++] = (S_opcode){tag, i, ai, j, bj};
    i = ai + size, j = bj + size;
    if (size)
      ops[no++] = (S_opcode){'e', ai, i, bj, j};
  }
  if (!no)
    ops[no++] = (S_opcode){'e', 0, 1, 0, 1};
  *n = no;
  return ops;
}

/* _format_range_unified */
static void S_range_unified(int start, int stop, ss_buf *out) {
  int beginning = start + 1, length = stop - start;
  if (length == 1)
    ss_buf_printf(out, "%d", beginning);
  else
    ss_buf_printf(out, "%d,%d", length ? beginning : beginning - 1, length);
}

static void S_emit_group(const S_lines *a, const S_lines *b, const S_opcode *g,
                         int ng, S_lines *out) {
  ss_buf head = SS_BUF_INIT;
  ss_buf_puts(&head, "@@ -");
  S_range_unified(g[0].i1, g[ng - 1].i2, &head);
  ss_buf_puts(&head, " +");
  S_range_unified(g[0].j1, g[ng - 1].j2, &head);
  ss_buf_puts(&head, " @@\n");
  S_lines_add(out, out->n, head.data, head.len);
  ss_buf line = SS_BUF_INIT;
  for (int k = 0; k < ng; k++) {
    const S_opcode *o = &g[k];
    for (int s = 0; s < 2; s++) {
      const S_lines *l = s == 0 ? a : b;
      int from = s == 0 ? o->i1 : o->j1, to = s == 0 ? o->i2 : o->j2;
      char mark = o->tag == 'e' ? ' ' : s == 0 ? '-' : '+';
      if ((o->tag == 'e' && s == 1) || (o->tag == 'd' && s == 1) ||
          (o->tag == 'i' && s == 0))
        continue;
      for (int x = from; x < to; x++) {
        ss_buf_clear(&line);
        ss_buf_putc(&line, mark);
        ss_buf_put(&line, l->text[x], l->len[x]);
        S_lines_add(out, out->n, line.data, line.len);
      }
    }
  }
  ss_buf_free(&line);
  ss_buf_free(&head);
}

/* difflib.unified_diff(a, b, from, to) with three lines of context,
 * each line it yields one of `out`. */
static void S_unified_diff(const S_lines *a, const S_lines *b, const char *from,
                           const char *to, S_lines *out) {
  int *ia = ss_xmalloc(sizeof *ia * (size_t)(a->n + 1));
  int *ib = ss_xmalloc(sizeof *ib * (size_t)(b->n + 1));
  S_intern(a, b, ia, ib);
  int nums = a->n + b->n + 1;
  S_differ m = {ia,
                ib,
                a->n,
                b->n,
                ss_xcalloc((size_t)nums, sizeof(int *)),
                ss_xcalloc((size_t)nums, sizeof(int)),
                {NULL, NULL},
                {NULL, NULL},
                0};
  for (int j = 0; j < b->n; j++) {
    int v = ib[j];
    m.b2j[v] = ss_xrealloc(m.b2j[v], sizeof(int) * (size_t)(m.nb2j[v] + 1));
    m.b2j[v][m.nb2j[v]++] = j;
  }
  if (b->n >= 200) { /* autojunk: lines in more than 1% of b + 1 */
    int ntest = b->n / 100 + 1;
    for (int v = 0; v < nums; v++)
      if (m.nb2j[v] > ntest) {
        free(m.b2j[v]);
        m.b2j[v] = NULL;
        m.nb2j[v] = 0;
      }
  }
  for (int r = 0; r < 2; r++) {
    m.len[r] = ss_xcalloc((size_t)b->n + 1, sizeof(int));
    m.stamp[r] = ss_xcalloc((size_t)b->n + 1, sizeof(long));
  }
  int nmb, nops;
  S_match *mb = S_matching_blocks(&m, &nmb);
  S_opcode *ops = S_opcodes(mb, nmb, &nops);
  /* get_grouped_opcodes(3) */
  const int n = 3;
  if (ops[0].tag == 'e') {
    ops[0].i1 = ops[0].i1 > ops[0].i2 - n ? ops[0].i1 : ops[0].i2 - n;
    ops[0].j1 = ops[0].j1 > ops[0].j2 - n ? ops[0].j1 : ops[0].j2 - n;
  }
  S_opcode *last = &ops[nops - 1];
  if (last->tag == 'e') {
    last->i2 = last->i2 < last->i1 + n ? last->i2 : last->i1 + n;
    last->j2 = last->j2 < last->j1 + n ? last->j2 : last->j1 + n;
  }
  S_opcode *group = ss_xmalloc(sizeof *group * (size_t)(nops + 1));
  int ng = 0;
  bool started = false;
  for (int k = 0; k <= nops; k++) {
    bool flush = k == nops;
    S_opcode o = flush ? (S_opcode){0} : ops[k];
    if (!flush && o.tag == 'e' && o.i2 - o.i1 > 2 * n) {
      S_opcode head = {'e', o.i1, o.i2 < o.i1 + n ? o.i2 : o.i1 + n, o.j1,
                       o.j2 < o.j1 + n ? o.j2 : o.j1 + n};
      group[ng++] = head;
      flush = true;
      o.i1 = o.i1 > o.i2 - n ? o.i1 : o.i2 - n;
      o.j1 = o.j1 > o.j2 - n ? o.j1 : o.j2 - n;
    }
    if (flush && ng && !(ng == 1 && group[0].tag == 'e')) {
      if (!started) {
        ss_buf h = SS_BUF_INIT;
        ss_buf_printf(&h, "--- %s\n", from);
        S_lines_add(out, out->n, h.data, h.len);
        ss_buf_clear(&h);
        ss_buf_printf(&h, "+++ %s\n", to);
        S_lines_add(out, out->n, h.data, h.len);
        ss_buf_free(&h);
        started = true;
      }
      S_emit_group(a, b, group, ng, out);
    }
    if (flush)
      ng = 0;
    if (k < nops)
      group[ng++] = o;
  }
  free(group);
  free(ops);
  free(mb);
  for (int v = 0; v < nums; v++)
    free(m.b2j[v]);
  free(m.b2j);
  free(m.nb2j);
  for (int r = 0; r < 2; r++) {
    free(m.len[r]);
    free(m.stamp[r]);
  }
  free(ia);
  free(ib);
}

/* --- literalinclude ------------------------------------------------------ */

/* os.path.normpath(os.path.abspath(path)), lexically: Sphinx names the
 * file by its absolute path (relfn2path). */
static void S_abspath(const char *path, ss_buf *out) {
  ss_buf full = SS_BUF_INIT;
  if (path[0] != '/') {
    char cwd[PATH_MAX];
    ss_buf_puts(&full, getcwd(cwd, sizeof cwd) ? cwd : ".");
    ss_buf_putc(&full, '/');
  }
  ss_buf_puts(&full, path);
  size_t *starts = ss_xmalloc(sizeof *starts * (full.len + 1));
  int depth = 0;
  ss_buf_clear(out);
  for (const char *s = full.data; *s;) {
    while (*s == '/')
      s++;
    const char *e = s;
    while (*e && *e != '/')
      e++;
    size_t len = (size_t)(e - s);
    if (len == 2 && s[0] == '.' && s[1] == '.') {
      if (depth)
        out->len = starts[--depth];
    } else if (len && !(len == 1 && s[0] == '.')) {
      starts[depth++] = out->len;
      ss_buf_putc(out, '/');
      ss_buf_put(out, s, len);
    }
    s = e;
  }
  if (!out->len)
    ss_buf_putc(out, '/');
  out->data[out->len] = '\0';
  free(starts);
  ss_buf_free(&full);
}

typedef struct S_include {
  rst_parser *p;
  const rst_directive *d;
  ss_buf filename; /* absolute, as Sphinx names it */
  bool has_tab_width;
  long tab_width;
  long lineno_start;
  ss_buf error; /* the exception's text when reading failed */
} S_include;

/* LiteralIncludeReader.read_file: the file's lines, tabs expanded when
 * :tab-width: is given. False with the error set. */
static bool S_read_file(S_include *r, const char *arg, ss_buf *abs,
                        S_lines *out) {
  ss_buf path = SS_BUF_INIT;
  size_t len = 0;
  rst_file_status status;
  char *raw = rst_read_included(r->p, arg, &path, &len, &status);
  S_abspath(path.data, abs);
  ss_buf_free(&path);
  if (!raw) {
    ss_buf_puts(&r->error, "Include file ");
    rst_py_repr(abs->data, abs->len, &r->error);
    ss_buf_puts(&r->error, status == RST_FILE_OUTSIDE
                               ? " is outside the source tree (specsite "
                                 "reads files inside the repository only)"
                               : " not found or reading it failed");
    return false;
  }
  const char *enc = rst_dir_option(r->d, "encoding");
  ss_buf text = SS_BUF_INIT;
  bool valid = rst_decode_text(enc, raw, len, &text);
  free(raw);
  if (!valid) {
    const char *shown = enc ? enc : "utf-8-sig";
    ss_buf_puts(&r->error, "Encoding ");
    rst_py_repr(shown, strlen(shown), &r->error);
    ss_buf_puts(&r->error, " used for reading included file ");
    rst_py_repr(abs->data, abs->len, &r->error);
    ss_buf_puts(&r->error,
                " seems to be wrong, try giving an :encoding: option");
    ss_buf_free(&text);
    return false;
  }
  if (r->has_tab_width) {
    ss_buf expanded = SS_BUF_INIT;
    rst_expand_tabs(text.data, text.len, r->tab_width, &expanded);
    S_split(expanded.data, expanded.len, out);
    ss_buf_free(&expanded);
  } else {
    S_split(text.data, text.len, out);
  }
  ss_buf_free(&text);
  return true;
}

static bool S_contains(const char *line, size_t len, const char *pat) {
  size_t plen = strlen(pat);
  for (size_t k = 0; k + plen <= len; k++)
    if (!memcmp(line + k, pat, plen))
      return true;
  return false;
}

static bool S_has(const rst_directive *d, const char *name) {
  return rst_dir_option(d, name) != NULL;
}

/* start_filter: from the first line holding :start-at: (kept) or
 * :start-after: (dropped). */
static bool S_start_filter(S_include *r, S_lines *l) {
  bool at = S_has(r->d, "start-at");
  const char *start = rst_dir_option(r->d, at ? "start-at" : "start-after");
  if (!start || !*start)
    return true;
  for (int k = 0; k < l->n; k++)
    if (S_contains(l->text[k], l->len[k], start)) {
      int from = at ? k : k + 1;
      if (S_has(r->d, "lineno-match"))
        r->lineno_start += from;
      S_lines_slice(l, from, l->n);
      return true;
    }
  ss_buf_printf(&r->error, "%s pattern not found: %s",
                at ? "start-at" : "start-after", start);
  return false;
}

/* end_filter: up to the first line holding :end-at: (kept) or
 * :end-before: (dropped; never the first line). */
static bool S_end_filter(S_include *r, S_lines *l) {
  bool at = S_has(r->d, "end-at");
  const char *end = rst_dir_option(r->d, at ? "end-at" : "end-before");
  if (!end || !*end)
    return true;
  for (int k = 0; k < l->n; k++)
    if (S_contains(l->text[k], l->len[k], end) && (at || k > 0)) {
      S_lines_slice(l, 0, at ? k + 1 : k);
      return true;
    }
  ss_buf_printf(&r->error, "%s pattern not found: %s",
                at ? "end-at" : "end-before", end);
  return false;
}

/* lines_filter: the lines :lines: lists, in its order; a number past
 * the end is skipped (with Sphinx's warning), -1 ("0") is Python's
 * last line. */
static bool S_lines_filter(S_include *r, S_lines *l) {
  const char *spec = rst_dir_option(r->d, "lines");
  if (!spec || !*spec)
    return true;
  S_range *rs;
  int nr;
  if (!S_parselinenos(spec, l->n, &rs, &nr)) {
    S_spec_error(spec, &r->error);
    return false;
  }
  bool ok = true;
  if (S_out_of_range(rs, nr, l->n)) {
    ss_buf spec_repr = SS_BUF_INIT;
    rst_py_repr(spec, strlen(spec), &spec_repr);
    rst_warn(r->p, r->d->lineno, "line number spec is out of range(1-%d): %s",
             l->n, spec_repr.data);
    ss_buf_free(&spec_repr);
  }
  if (S_has(r->d, "lineno-match")) {
    /* Only a run of consecutive lines keeps its numbers. */
    long long next = rs[0].from;
    for (int i = 0; i < nr && ok; i++) {
      ok = rs[i].from == next;
      next = rs[i].to;
    }
    if (!ok)
      ss_buf_puts(
          &r->error,
          "Cannot use \"lineno-match\" with a disjoint set of \"lines\"");
    else
      r->lineno_start += (long)rs[0].from;
  }
  S_lines picked = {0};
  for (int i = 0; i < nr && ok; i++)
    for (long long x = rs[i].from; x < rs[i].to && x < l->n && ok; x++) {
      long long at = x < 0 ? x + l->n : x;
      if (at < 0) {
        ss_buf_puts(&r->error, "list index out of range");
        ok = false;
      } else {
        S_lines_add(&picked, picked.n, l->text[at], l->len[at]);
      }
    }
  free(rs);
  if (ok && !picked.n) {
    ss_buf_puts(&r->error, "Line spec ");
    rst_py_repr(spec, strlen(spec), &r->error);
    ss_buf_puts(&r->error, ": no lines pulled from include file ");
    rst_py_repr(r->filename.data, r->filename.len, &r->error);
    ok = false;
  }
  S_lines_free(l);
  *l = picked;
  return ok;
}

/* LiteralIncludeReader.read: the file's lines, or with :diff: the
 * unified diff against the other file. False with the error set. */
static bool S_read(S_include *r, bool has_cut, long cut, S_lines *out) {
  const rst_directive *d = r->d;
  const char *diff = rst_dir_option(d, "diff");
  if (diff) {
    S_lines old = {0}, new_ = {0};
    ss_buf old_name = SS_BUF_INIT;
    bool ok = S_read_file(r, d->args, &r->filename, &new_) &&
              S_read_file(r, diff, &old_name, &old);
    if (ok)
      S_unified_diff(&old, &new_, old_name.data, r->filename.data, out);
    ss_buf_free(&old_name);
    S_lines_free(&old);
    S_lines_free(&new_);
    return ok;
  }
  if (!S_read_file(r, d->args, &r->filename, out))
    return false;
  const char *pyobject = rst_dir_option(d, "pyobject");
  if (pyobject && *pyobject) {
    /* Sphinx finds the object with its Python parser; specsite has
     * none, so it says so rather than show the wrong lines. */
    ss_buf_puts(&r->error, "Option \"pyobject\" is not supported: specsite "
                           "does not parse Python (object ");
    rst_py_repr(pyobject, strlen(pyobject), &r->error);
    ss_buf_puts(&r->error, " in include file ");
    rst_py_repr(r->filename.data, r->filename.len, &r->error);
    ss_buf_putc(&r->error, ')');
    return false;
  }
  if (!S_start_filter(r, out) || !S_end_filter(r, out) ||
      !S_lines_filter(r, out))
    return false;
  if (S_has(d, "dedent")) {
    if (has_cut)
      S_dedent_cut(r->p, d->lineno, out, cut);
    else
      S_textwrap_dedent(out);
  }
  const char *prepend = rst_dir_option(d, "prepend");
  const char *append = rst_dir_option(d, "append");
  ss_buf extra = SS_BUF_INIT;
  if (prepend && *prepend) {
    ss_buf_printf(&extra, "%s\n", prepend);
    S_lines_add(out, 0, extra.data, extra.len);
  }
  if (append && *append) {
    ss_buf_clear(&extra);
    ss_buf_printf(&extra, "%s\n", append);
    S_lines_add(out, out->n, extra.data, extra.len);
  }
  ss_buf_free(&extra);
  return true;
}

/* The option pairs Sphinx refuses together. */
static const char *const S_invalid_pairs[][2] = {
    {"lineno-match", "lineno-start"},
    {"lineno-match", "append"},
    {"lineno-match", "prepend"},
    {"start-after", "start-at"},
    {"end-before", "end-at"},
    {"diff", "pyobject"},
    {"diff", "lineno-start"},
    {"diff", "lineno-match"},
    {"diff", "lines"},
    {"diff", "start-after"},
    {"diff", "end-before"},
    {"diff", "start-at"},
    {"diff", "end-at"}};

static void S_run_literalinclude(rst_parser *p, const rst_dspec *spec,
                                 const rst_directive *d, ss_node *parent) {
  (void)spec;
  /* Docutils converts the options first: their errors come before. */
  bool bad = false, has_cut;
  long start = 1, cut = 0, width = 8;
  bool has_start =
      rst_dir_int_option(p, d, parent, "lineno-start", &start, &bad);
  bool has_width =
      !bad && rst_dir_int_option(p, d, parent, "tab-width", &width, &bad);
  if (bad || !S_dedent_option(p, d, parent, &has_cut, &cut))
    return;
  const char *enc = rst_dir_option(d, "encoding");
  if (!rst_encoding_known(enc)) {
    rst_encoding_error(p, d, parent, enc);
    return;
  }
  S_include r = {
      p, d, SS_BUF_INIT, has_width, width, has_start ? start : 1, SS_BUF_INIT};
  S_lines lines = {0};
  for (size_t k = 0; k < sizeof S_invalid_pairs / sizeof *S_invalid_pairs; k++)
    if (S_has(d, S_invalid_pairs[k][0]) && S_has(d, S_invalid_pairs[k][1])) {
      ss_buf_printf(&r.error, "Cannot use both \"%s\" and \"%s\" options",
                    S_invalid_pairs[k][0], S_invalid_pairs[k][1]);
      break;
    }
  if (r.error.len || !S_read(&r, has_cut, cut, &lines)) {
    S_warning(p, d, parent, r.error.data);
    goto done;
  }
  ss_buf text = SS_BUF_INIT, args = SS_BUF_INIT;
  S_join(&lines, &text);
  ss_buf_printf(&args, "{");
  const char *hl = rst_dir_option(d, "emphasize-lines");
  if (hl) {
    S_range *rs;
    int nr;
    if (!S_parselinenos(hl, lines.n, &rs, &nr)) {
      ss_buf msg = SS_BUF_INIT;
      S_spec_error(hl, &msg);
      S_warning(p, d, parent, msg.data);
      ss_buf_free(&msg);
      ss_buf_free(&text);
      ss_buf_free(&args);
      goto done;
    }
    if (S_out_of_range(rs, nr, lines.n)) {
      ss_buf spec_repr = SS_BUF_INIT;
      rst_py_repr(hl, strlen(hl), &spec_repr);
      rst_warn(p, d->lineno, "line number spec is out of range(1-%d): %s",
               lines.n, spec_repr.data);
      ss_buf_free(&spec_repr);
    }
    ss_buf_puts(&args, "'hl_lines': ");
    S_hl_repr(rs, nr, lines.n, &args);
    ss_buf_puts(&args, ", ");
    free(rs);
  }
  ss_buf_printf(&args, "'linenostart': %ld}", r.lineno_start);
  /* Sphinx's LiteralInclude: set_source_info, the directive's line. */
  ss_node *lit = ss_node_new(SS_LITERAL_BLOCK, d->lineno);
  ss_node_attr_set(lit, "source", r.filename.data);
  rst_dir_add_classes(lit, rst_dir_option(d, "class"));
  const char *lang =
      rst_dir_option(d, "diff") ? "udiff" : rst_dir_option(d, "language");
  /* Without a language, Sphinx's highlight transform gives the block
   * the current one, and its force. */
  ss_node_attr_set(lit, "force", lang && S_has(d, "force") ? "True" : "False");
  ss_node_attr_set(lit, "language",
                   lang                    ? lang
                   : p->highlight_language ? p->highlight_language
                                           : "default");
  ss_node_attr_set(lit, "linenos",
                   has_start || S_has(d, "linenos") || S_has(d, "lineno-match")
                       ? "True"
                       : "False");
  ss_node_attr_set(lit, "highlight_args", args.data);
  ss_node_append(lit, ss_text_new(text.data, text.len, d->lineno));
  const char *caption = rst_dir_option(d, "caption");
  S_append_block(p, d, caption ? (*caption ? caption : d->args) : NULL, lit,
                 parent);
  ss_buf_free(&text);
  ss_buf_free(&args);
done:
  S_lines_free(&lines);
  ss_buf_free(&r.filename);
  ss_buf_free(&r.error);
}

const rst_dspec rst_code_dspecs[] = {
    {"code-block", 0, 1, false, true, true, S_run_code, SS_LITERAL_BLOCK, NULL},
    {"sourcecode", 0, 1, false, true, true, S_run_code, SS_LITERAL_BLOCK, NULL},
    {"code", 0, 1, false, true, true, S_run_code, SS_LITERAL_BLOCK, NULL},
    {"literalinclude", 1, 0, true, true, false, S_run_literalinclude,
     SS_LITERAL_BLOCK, NULL},
    {NULL, 0, 0, false, false, false, NULL, SS_TEXT, NULL},
};
