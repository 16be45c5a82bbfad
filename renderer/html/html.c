/* html.c — the HTML writer: one walk over the finished tree with ss_iter,
 * one switch on the node kind, in the conventions Sphinx's and Docutils'
 * HTML5 writers use (so their stylesheets and readers' habits carry over).
 *
 * Nothing recurses: what an EXIT must close is decided again from the node
 * and its neighbours, and the little state that cannot be (heading depth,
 * table columns) lives in the writer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/diag.h"
#include "escape.h"
#include "html.h"

/* Per-tgroup state: which columns are stubs, which are still covered by a
 * cell spanning rows from above. Nested tables push a new one. */
typedef struct S_table {
  size_t ncols;
  unsigned char *stub;
  long *busy; /* rows a cell from above still covers, per column */
  size_t col;
  int row;
  bool cell_is_th; /* for the current entry's EXIT */
  struct S_table *outer;
} S_table;

typedef struct {
  ss_buf *out;
  int section_depth;
  int heading_offset; /* 1 when the document has its own title (h1) */
  S_table *table;
  bool raw_enabled; /* ss_html_options.raw_enabled */
} S_writer;

enum { S_SPANS_BEFORE = 1 }; /* extra-id spans go before the element */

/* --- small writers ------------------------------------------------- */

static void S_lit(S_writer *w, const char *s) { ss_buf_puts(w->out, s); }
/* The same for a string literal, whose length is known when compiling. */
#define S_LIT(w, lit) ss_buf_put((w)->out, "" lit, sizeof(lit) - 1)

static void S_esc(S_writer *w, const char *s) {
  if (s)
    ss_html_escape(w->out, s, strlen(s));
}

static void S_attr(S_writer *w, const char *name, const char *value) {
  ss_buf_putc(w->out, ' ');
  ss_buf_puts(w->out, name);
  ss_buf_put(w->out, "=\"", 2);
  S_esc(w, value);
  ss_buf_putc(w->out, '"');
}

/* True when the space-separated word list `list` holds `word`. */
static bool S_has_word(const char *list, const char *word) {
  size_t wl = strlen(word);
  for (const char *p = list; p && *p;) {
    while (*p == ' ')
      p++;
    const char *e = p;
    while (*e && *e != ' ')
      e++;
    if ((size_t)(e - p) == wl && wl && strncmp(p, word, wl) == 0)
      return true;
    p = e;
  }
  return false;
}

/* class="base node-classes", each class once; nothing when empty. */
static void S_classes(S_writer *w, const ss_node *n, const char *base) {
  const ss_attr *first = ss_node_attr_next(n, "classes", NULL);
  if (!first) { /* the common case: no list to merge */
    if (base && *base)
      S_attr(w, "class", base);
    return;
  }
  ss_buf cls = SS_BUF_INIT;
  if (base)
    ss_buf_puts(&cls, base);
  for (const ss_attr *a = ss_node_attr_next(n, "classes", NULL); a;
       a = ss_node_attr_next(n, "classes", a)) {
    if (!*a->value || S_has_word(cls.data, a->value))
      continue;
    if (cls.len)
      ss_buf_putc(&cls, ' ');
    ss_buf_puts(&cls, a->value);
  }
  if (cls.len)
    S_attr(w, "class", cls.data);
  ss_buf_free(&cls);
}

/* An element has one id; Docutils nodes may have several. The others
 * become empty spans, as Sphinx writes them, so every anchor works. */
static void S_extra_ids(S_writer *w, const ss_node *n) {
  const ss_attr *first = ss_node_attr_next(n, "ids", NULL);
  if (!first)
    return;
  for (const ss_attr *a = ss_node_attr_next(n, "ids", first); a;
       a = ss_node_attr_next(n, "ids", a)) {
    S_LIT(w, "<span");
    S_attr(w, "id", a->value);
    S_LIT(w, "></span>");
  }
}

/* Every id as an empty span: for nodes that have no element. */
static void S_anchors(S_writer *w, const ss_node *n) {
  for (const ss_attr *a = ss_node_attr_next(n, "ids", NULL); a;
       a = ss_node_attr_next(n, "ids", a)) {
    S_LIT(w, "<span");
    S_attr(w, "id", a->value);
    S_LIT(w, "></span>");
  }
}

/* Writes "<tag id=... class=..." without the closing '>', so callers can
 * add attributes; S_finish ends it. */
static void S_start(S_writer *w, const ss_node *n, const char *tag,
                    const char *base, int flags) {
  if (flags & S_SPANS_BEFORE)
    S_extra_ids(w, n);
  ss_buf_putc(w->out, '<');
  ss_buf_puts(w->out, tag);
  const char *id = ss_node_attr_get(n, "ids");
  if (id)
    S_attr(w, "id", id);
  S_classes(w, n, base);
}

static void S_finish(S_writer *w, const ss_node *n, int flags) {
  S_LIT(w, ">");
  if (!(flags & S_SPANS_BEFORE))
    S_extra_ids(w, n);
}

static void S_open(S_writer *w, const ss_node *n, const char *tag,
                   const char *base, int flags) {
  S_start(w, n, tag, base, flags);
  S_finish(w, n, flags);
}

static void S_close(S_writer *w, const char *tag, bool newline) {
  /* Literal pieces, not printf: this runs for every element. */
  ss_buf_put(w->out, "</", 2);
  ss_buf_puts(w->out, tag);
  ss_buf_put(w->out, ">\n", newline ? 2 : 1);
}

/* href for a link target; unsafe targets (see ss_html_uri_is_safe) get
 * no href at all: the text stays, but there is nothing to follow. */
static void S_href(S_writer *w, const char *uri) {
  if (uri && ss_html_uri_is_safe(uri, false))
    S_attr(w, "href", uri);
}

static void S_href_id(S_writer *w, const char *id) {
  ss_buf_puts(w->out, " href=\"#");
  S_esc(w, id);
  ss_buf_putc(w->out, '"');
}

static bool S_prev_is(const ss_node *n, ss_kind k) {
  return n->prev && n->prev->kind == k;
}

static bool S_next_is(const ss_node *n, ss_kind k) {
  return n->next && n->next->kind == k;
}

static bool S_parent_is(const ss_node *n, ss_kind k) {
  return n->parent && n->parent->kind == k;
}

/* A non-negative integer attribute, clamped to [0, max]; `def` when
 * absent or malformed. */
static long S_int_attr(const ss_node *n, const char *name, long def, long max) {
  const char *s = ss_node_attr_get(n, name);
  if (!s || !*s)
    return def;
  char *end;
  long v = strtol(s, &end, 10);
  if (*end)
    return def;
  return v < 0 ? 0 : v > max ? max : v;
}

/* --- lengths (image and figure sizes) ------------------------------ */

/* Parses a Docutils length ("200", "200px", "50%", "1.5em") into number
 * and unit. Anything else is refused: the value goes into a style
 * attribute and must not smuggle in other CSS. */
static bool S_length(const char *s, double *num, char unit[4]) {
  static const char *const units[] = {"",    "px", "%",  "em", "ex",
                                      "rem", "pt", "pc", "cm", "mm",
                                      "in",  "ch", "vw", "vh"};
  if (!s)
    return false;
  char *end;
  double v = strtod(s, &end);
  if (end == s || !(v >= 0) || v > 1e6 || *s == '+' || *s == '-' || *s == ' ')
    return false;
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
    if (strcmp(end, units[i]) == 0) {
      *num = v;
      snprintf(unit, 4, "%s", units[i]);
      return true;
    }
  return false;
}

/* width/height of an image: whole pixels as attributes (what <img>
 * expects), other units as inline style. `scale` is a percentage. */
static void S_size(S_writer *w, const ss_node *n, const char *name, long scale,
                   ss_buf *style) {
  double v;
  char unit[4];
  if (!S_length(ss_node_attr_get(n, name), &v, unit))
    return;
  if (scale != 100)
    v = v * (double)scale / 100.0;
  if (!unit[0] || strcmp(unit, "px") == 0) {
    ss_buf_printf(w->out, " %s=\"%ld\"", name, (long)(v + 0.5));
  } else {
    ss_buf_printf(style, "%s: %g%s;", name, v, unit);
  }
}

static void S_align_class(const ss_node *n, ss_buf *cls) {
  const char *align = ss_node_attr_get(n, "align");
  if (align && (strcmp(align, "left") == 0 || strcmp(align, "right") == 0 ||
                strcmp(align, "center") == 0 || strcmp(align, "top") == 0 ||
                strcmp(align, "middle") == 0 || strcmp(align, "bottom") == 0))
    ss_buf_printf(cls, "align-%s", align);
}

static void S_image(S_writer *w, const ss_node *n) {
  ss_buf cls = SS_BUF_INIT, style = SS_BUF_INIT;
  S_align_class(n, &cls);
  S_start(w, n, "img", cls.data, 0);
  const char *uri = ss_node_attr_get(n, "uri");
  const char *alt = ss_node_attr_get(n, "alt");
  /* Docutils uses the URI as alternative text when none is given. */
  S_attr(w, "alt", alt ? alt : uri ? uri : "");
  /* An unsafe source is left out: the alt text shows instead. */
  if (uri && ss_html_uri_is_safe(uri, true))
    S_attr(w, "src", uri);
  long scale = S_int_attr(n, "scale", 100, 100000);
  S_size(w, n, "width", scale, &style);
  S_size(w, n, "height", scale, &style);
  if (style.len)
    S_attr(w, "style", style.data);
  S_finish(w, n, 0);
  ss_buf_free(&cls);
  ss_buf_free(&style);
}

/* --- structure ----------------------------------------------------- */

static int S_heading_level(const S_writer *w) {
  int level = w->section_depth + w->heading_offset;
  return level < 1 ? 1 : level > 6 ? 6 : level;
}

static const char *S_admonition_label(ss_kind k) {
  switch (k) {
  case SS_ATTENTION:
    return "Attention";
  case SS_CAUTION:
    return "Caution";
  case SS_DANGER:
    return "Danger";
  case SS_ERROR:
    return "Error";
  case SS_HINT:
    return "Hint";
  case SS_IMPORTANT:
    return "Important";
  case SS_NOTE:
    return "Note";
  case SS_TIP:
    return "Tip";
  case SS_WARNING:
    return "Warning";
  case SS_SEEALSO:
    return "See also";
  case SS_TODO_NODE:
    return "Todo";
  default:
    return "Admonition";
  }
}

static void S_title(S_writer *w, const ss_node *n, bool enter) {
  const ss_node *p = n->parent;
  ss_kind pk = p ? p->kind : SS_DOCUMENT;
  if (pk == SS_SECTION) {
    int level = S_heading_level(w);
    if (enter) {
      char tag[3] = {'h', (char)('0' + level), 0};
      S_open(w, n, tag, NULL, 0);
      return;
    }
    /* Sphinx's permalink: the section's own id, shown on hover. */
    const char *id = ss_node_attr_get(p, "ids");
    if (id) {
      S_LIT(w, "<a class=\"headerlink\"");
      S_href_id(w, id);
      S_LIT(w, " title=\"Permalink to this heading\">\xC2\xB6</a>");
    }
    S_LIT(w, "</h");
    ss_buf_put_long(w->out, level);
    S_LIT(w, ">\n");
    return;
  }
  const char *tag = "p", *cls = "title";
  if (pk == SS_COMPACT_PARAGRAPH) {
    /* A resolved toctree's :caption:, as Sphinx writes it. */
    if (enter)
      S_LIT(w, "<p class=\"caption\" role=\"heading\"><span "
               "class=\"caption-text\">");
    else
      S_LIT(w, "</span></p>\n");
    return;
  }
  if (pk == SS_DOCUMENT) {
    tag = "h1";
  } else if (pk == SS_TABLE) {
    tag = "caption";
    cls = NULL;
  } else if (pk == SS_TOPIC) {
    cls = "topic-title";
  } else if (pk == SS_SIDEBAR) {
    cls = "sidebar-title";
  } else if (ss_kind_is_admonition(pk)) {
    cls = "admonition-title";
  }
  if (enter)
    S_open(w, n, tag, cls, 0);
  else
    S_close(w, tag, true);
}

static bool S_is_contents(const ss_node *n) {
  return ss_node_attr_has(n, "classes", "contents");
}

/* Docutils' "simple" lists: every item is at most one paragraph (plus
 * nested lists), so CSS may drop the paragraph margins. */
static bool S_is_simple_list(const ss_node *list) {
  for (const ss_node *item = list->first; item; item = item->next) {
    int paragraphs = 0;
    for (const ss_node *c = item->first; c; c = c->next) {
      if (c->kind == SS_PARAGRAPH || c->kind == SS_COMPACT_PARAGRAPH)
        paragraphs++;
      else if (c->kind != SS_BULLET_LIST && c->kind != SS_ENUMERATED_LIST)
        return false;
    }
    if (paragraphs > 1)
      return false;
  }
  return true;
}

static void S_enumerated_list(S_writer *w, const ss_node *n) {
  static const struct {
    const char *name, *type;
  } types[] = {{"arabic", "1"},
               {"loweralpha", "a"},
               {"upperalpha", "A"},
               {"lowerroman", "i"},
               {"upperroman", "I"}};
  const char *enumtype = ss_node_attr_get(n, "enumtype");
  const char *type = NULL;
  for (size_t i = 0; enumtype && i < sizeof types / sizeof types[0]; i++)
    if (strcmp(enumtype, types[i].name) == 0) {
      type = types[i].type;
      enumtype = types[i].name; /* a known word: safe in class */
    }
  ss_buf cls = SS_BUF_INIT;
  if (type)
    ss_buf_puts(&cls, enumtype);
  if (S_is_simple_list(n))
    ss_buf_puts(&cls, cls.len ? " simple" : "simple");
  S_start(w, n, "ol", cls.data, S_SPANS_BEFORE);
  if (type && strcmp(type, "1") != 0)
    S_attr(w, "type", type);
  long start = S_int_attr(n, "start", 1, INT32_MAX);
  if (start != 1)
    ss_buf_printf(w->out, " start=\"%ld\"", start);
  S_finish(w, n, S_SPANS_BEFORE);
  S_LIT(w, "\n");
  ss_buf_free(&cls);
}

/* --- tables -------------------------------------------------------- */

static void S_tgroup_enter(S_writer *w, const ss_node *n) {
  S_table *t = ss_xcalloc(1, sizeof *t);
  double total = 0;
  bool widths = true;
  for (const ss_node *c = n->first; c; c = c->next)
    if (c->kind == SS_COLSPEC) {
      t->ncols++;
      double v;
      char unit[4];
      if (S_length(ss_node_attr_get(c, "colwidth"), &v, unit) && !unit[0])
        total += v;
      else
        widths = false;
    }
  t->stub = ss_xcalloc(t->ncols ? t->ncols : 1, 1);
  t->busy = ss_xcalloc(t->ncols ? t->ncols : 1, sizeof *t->busy);
  t->outer = w->table;
  w->table = t;
  if (!t->ncols)
    return;
  /* Widths are relative, as in Docutils: written as percentages. */
  const ss_node *table = n->parent;
  bool given = table && ss_node_attr_has(table, "classes", "colwidths-given");
  S_LIT(w, "<colgroup>\n");
  size_t i = 0;
  for (const ss_node *c = n->first; c; c = c->next) {
    if (c->kind != SS_COLSPEC)
      continue;
    t->stub[i++] = S_int_attr(c, "stub", 0, 1) != 0;
    double v;
    char unit[4];
    S_LIT(w, "<col");
    if (given && widths && total > 0 &&
        S_length(ss_node_attr_get(c, "colwidth"), &v, unit))
      ss_buf_printf(w->out, " style=\"width: %ld%%\"",
                    (long)(v * 100.0 / total + 0.5));
    S_LIT(w, ">\n");
  }
  S_LIT(w, "</colgroup>\n");
}

static void S_tgroup_exit(S_writer *w) {
  S_table *t = w->table;
  if (!t)
    return;
  w->table = t->outer;
  free(t->stub);
  free(t->busy);
  free(t);
}

/* Moves past columns that a cell from an earlier row still covers. */
static void S_skip_busy(S_table *t) {
  while (t->col < t->ncols && t->busy[t->col] > 0) {
    t->busy[t->col]--;
    t->col++;
  }
}

static void S_entry_enter(S_writer *w, const ss_node *n) {
  S_table *t = w->table;
  bool head = n->parent && S_parent_is(n->parent, SS_THEAD);
  bool stub = false;
  long morerows = S_int_attr(n, "morerows", 0, 65533);
  long morecols = S_int_attr(n, "morecols", 0, 999);
  if (t) {
    S_skip_busy(t);
    stub = t->col < t->ncols && t->stub[t->col];
    for (long c = 0; c <= morecols && t->col < t->ncols; c++)
      t->busy[t->col++] = morerows;
    t->cell_is_th = head || stub;
  }
  const char *cls = head && stub ? "head stub"
                    : head       ? "head"
                    : stub       ? "stub"
                                 : NULL;
  S_start(w, n, head || stub ? "th" : "td", cls, 0);
  if (morerows)
    ss_buf_printf(w->out, " rowspan=\"%ld\"", morerows + 1);
  if (morecols)
    ss_buf_printf(w->out, " colspan=\"%ld\"", morecols + 1);
  S_finish(w, n, 0);
}

static void S_entry_exit(S_writer *w, const ss_node *n) {
  bool th = w->table ? w->table->cell_is_th
                     : (n->parent && S_parent_is(n->parent, SS_THEAD));
  S_close(w, th ? "th" : "td", true);
}

static void S_row_enter(S_writer *w, const ss_node *n) {
  const char *cls = "row-odd";
  if (w->table) {
    w->table->col = 0;
    cls = w->table->row++ % 2 ? "row-even" : "row-odd";
  }
  S_open(w, n, "tr", cls, S_SPANS_BEFORE);
  S_LIT(w, "\n");
}

static void S_row_exit(S_writer *w) {
  S_table *t = w->table;
  if (t) /* covered columns after the last cell count this row too */
    for (; t->col < t->ncols; t->col++)
      if (t->busy[t->col] > 0)
        t->busy[t->col]--;
  S_close(w, "tr", true);
}

/* --- footnotes, citations, messages -------------------------------- */

static size_t S_count_attr(const ss_node *n, const char *name) {
  size_t k = 0;
  for (const ss_attr *a = ss_node_attr_next(n, name, NULL); a;
       a = ss_node_attr_next(n, name, a))
    k++;
  return k;
}

/* The label of a footnote or citation: one back reference makes the label
 * itself the link back; several are listed after it, numbered. */
static void S_label(S_writer *w, const ss_node *n, bool enter) {
  const ss_node *note = n->parent;
  size_t backrefs = S_count_attr(note, "backrefs");
  if (enter) {
    S_open(w, n, "span", "label", 0);
    S_LIT(w, "<span class=\"fn-bracket\">[</span>");
    if (backrefs == 1) {
      S_LIT(w, "<a role=\"doc-backlink\"");
      S_href_id(w, ss_node_attr_get(note, "backrefs"));
      S_LIT(w, ">");
    }
    return;
  }
  if (backrefs == 1)
    S_LIT(w, "</a>");
  S_LIT(w, "<span class=\"fn-bracket\">]</span></span>\n");
  if (backrefs > 1) {
    S_LIT(w, "<span class=\"backrefs\">(");
    size_t i = 0;
    for (const ss_attr *a = ss_node_attr_next(note, "backrefs", NULL); a;
         a = ss_node_attr_next(note, "backrefs", a)) {
      if (i)
        S_LIT(w, ",");
      S_LIT(w, "<a role=\"doc-backlink\"");
      S_href_id(w, a->value);
      ss_buf_printf(w->out, ">%zu</a>", ++i);
    }
    S_LIT(w, ")</span>\n");
  }
}

/* Docutils' heading for a problem: "System Message: WARNING/2 (file, line
 * 3)", with links back to the problematic text. */
static void S_system_message(S_writer *w, const ss_node *n) {
  S_open(w, n, "div", "system-message", 0);
  long level = S_int_attr(n, "level", 2, 4);
  const char *type = ss_node_attr_get(n, "type");
  if (!type)
    type = ss_level_name((ss_level)level);
  S_LIT(w, "\n<p class=\"system-message-title\">System Message: ");
  S_esc(w, type);
  S_LIT(w, "/");
  ss_buf_put_long(w->out, level);
  const char *source = ss_node_attr_get(n, "source");
  long line = S_int_attr(n, "line", n->line > 0 ? n->line : 0, INT32_MAX);
  if (source || line > 0) {
    S_LIT(w, " (");
    if (source) {
      S_LIT(w, "<span class=\"docutils literal\">");
      S_esc(w, source);
      S_LIT(w, "</span>");
    }
    if (line > 0) {
      S_lit(w, source ? ", line " : "line ");
      ss_buf_put_long(w->out, line);
    }
    S_LIT(w, ")");
  }
  size_t backrefs = S_count_attr(n, "backrefs"), i = 0;
  for (const ss_attr *a = ss_node_attr_next(n, "backrefs", NULL); a;
       a = ss_node_attr_next(n, "backrefs", a)) {
    S_lit(w, i ? ", " : "; <em>");
    S_LIT(w, "<a");
    S_href_id(w, a->value);
    if (backrefs == 1)
      S_LIT(w, ">backlink</a>");
    else
      ss_buf_printf(w->out, ">backlink %zu</a>", i + 1);
    i++;
  }
  if (backrefs)
    S_LIT(w, "</em>");
  S_LIT(w, "</p>\n");
}

/* raw passes through only for HTML (the reader keeps raw nodes only when
 * the user enabled the directive); other formats mean nothing here. */
static bool S_raw_is_html(const ss_node *n) {
  return S_has_word(ss_node_attr_get(n, "format"), "html");
}

static void S_raw(S_writer *w, const ss_node *n) {
  if (!w->raw_enabled || !S_raw_is_html(n))
    return;
  for (const ss_node *c = n->first; c; c = c->next)
    if (c->kind == SS_TEXT)
      ss_buf_put(w->out, c->text, c->text_len);
  S_LIT(w, "\n");
}

/* <pre> content is kept byte for byte; an HTML parser drops one newline
 * straight after <pre>, so a block starting with one gets an extra. A
 * diagram wider than the page scrolls sideways, and only a region that
 * takes the focus scrolls from the keyboard: tabindex="0" (axe's
 * scrollable-region-focusable). */
static void S_pre(S_writer *w, const ss_node *n, const char *base) {
  ss_buf cls = SS_BUF_INIT;
  ss_buf_puts(&cls, base);
  const char *lang = ss_node_attr_get(n, "language");
  if (lang && *lang) {
    ss_buf_puts(&cls, " code language-");
    ss_buf_puts(&cls, lang);
  }
  S_start(w, n, "pre", cls.data, 0);
  S_LIT(w, " tabindex=\"0\"");
  S_finish(w, n, 0);
  if (n->first && n->first->kind == SS_TEXT && n->first->text_len &&
      n->first->text[0] == '\n')
    S_LIT(w, "\n");
  ss_buf_free(&cls);
}

/* --- the walk ------------------------------------------------------ */

/* Inline kinds that become a plain element with the node's classes. */
static const char *S_simple_inline_tag(ss_kind k) {
  switch (k) {
  case SS_EMPHASIS:
  case SS_LITERAL_EMPHASIS:
  case SS_MANPAGE: /* Sphinx writes it as literal emphasis */
    return "em";
  case SS_STRONG:
  case SS_LITERAL_STRONG:
    return "strong";
  case SS_TITLE_REFERENCE:
    return "cite";
  case SS_SUBSCRIPT:
    return "sub";
  case SS_SUPERSCRIPT:
    return "sup";
  default:
    return NULL;
  }
}

/* The element for kinds handled the same on ENTER and EXIT: tag, base
 * class, whether a newline follows the close tag, extra-id placement. */
typedef struct {
  const char *tag, *cls;
  bool block;
  int flags;
} S_elem;

static bool S_plain_element(const ss_node *n, S_elem *e) {
  *e = (S_elem){NULL, NULL, true, 0};
  switch (n->kind) {
  case SS_PARAGRAPH:
    e->tag = "p";
    break;
  case SS_SECTION:
    e->tag = "section";
    break;
  case SS_LIST_ITEM:
    e->tag = "li";
    break;
  case SS_DEFINITION:
  case SS_DESCRIPTION:
  case SS_FIELD_BODY:
  case SS_DESC_CONTENT:
    e->tag = "dd";
    break;
  case SS_FIELD_NAME:
    e->tag = "dt";
    break;
  case SS_DEFINITION_LIST:
    e->tag = "dl";
    e->flags = S_SPANS_BEFORE;
    break;
  case SS_FIELD_LIST:
    e->tag = "dl";
    e->cls = "field-list";
    e->flags = S_SPANS_BEFORE;
    break;
  case SS_OPTION_LIST:
    e->tag = "dl";
    e->cls = "option-list";
    e->flags = S_SPANS_BEFORE;
    break;
  case SS_BLOCK_QUOTE:
    e->tag = "blockquote";
    break;
  case SS_ATTRIBUTION:
    e->tag = "p";
    e->cls = "attribution";
    break;
  case SS_LINE_BLOCK:
    e->tag = "div";
    e->cls = "line-block";
    break;
  case SS_LINE:
    e->tag = "div";
    e->cls = "line";
    break;
  case SS_TABLE:
    e->tag = "table";
    e->cls = "docutils";
    e->flags = S_SPANS_BEFORE;
    break;
  case SS_THEAD:
    e->tag = "thead";
    e->flags = S_SPANS_BEFORE;
    break;
  case SS_TBODY:
    e->tag = "tbody";
    e->flags = S_SPANS_BEFORE;
    break;
  case SS_RUBRIC:
    e->tag = "p";
    e->cls = "rubric";
    break;
  case SS_SUBTITLE:
    e->tag = "p";
    e->cls = S_parent_is(n, SS_SIDEBAR) ? "sidebar-subtitle" : "subtitle";
    break;
  case SS_TOPIC:
    e->tag = S_is_contents(n) ? "nav" : "div";
    e->cls = "topic";
    break;
  case SS_SIDEBAR:
    e->tag = "aside";
    e->cls = "sidebar";
    break;
  case SS_COMPOUND:
    e->tag = "div";
    e->cls = "compound";
    break;
  case SS_CONTAINER:
    e->tag = "div";
    e->cls = "docutils container";
    break;
  case SS_DOCTEST_BLOCK:
  case SS_LITERAL_BLOCK:
  case SS_MATH_BLOCK:
    e->tag = "pre";
    break;
  case SS_LEGEND:
    e->tag = "div";
    e->cls = "legend";
    break;
  case SS_HLIST:
    e->tag = "table";
    e->cls = "hlist";
    e->flags = S_SPANS_BEFORE;
    break;
  case SS_HLISTCOL:
    e->tag = "td";
    break;
  case SS_DESC:
    e->tag = "dl";
    e->flags = S_SPANS_BEFORE;
    break;
  case SS_DESC_SIGNATURE:
    e->tag = "dt";
    e->cls = "sig sig-object";
    break;
  case SS_OPTION:
    e->tag = "span";
    e->cls = "option";
    e->block = false;
    break;
  case SS_LITERAL:
    e->tag = "code";
    e->cls = "docutils literal notranslate";
    e->block = false;
    break;
  case SS_MATH:
    e->tag = "span";
    e->cls = "math";
    e->block = false;
    break;
  case SS_ABBREVIATION:
  case SS_ACRONYM:
    e->tag = "abbr";
    e->block = false;
    break;
  case SS_DESC_NAME:
    e->tag = "span";
    e->cls = "sig-name descname";
    e->block = false;
    break;
  case SS_DESC_ADDNAME:
    e->tag = "span";
    e->cls = "sig-prename descclassname";
    e->block = false;
    break;
  case SS_DESC_PARAMETER:
    e->tag = "em";
    e->cls = "sig-param";
    e->block = false;
    break;
  case SS_DESC_INLINE:
    e->tag = "span";
    e->cls = "sig sig-inline";
    e->block = false;
    break;
  case SS_PENDING_XREF:
    e->tag = "span";
    e->cls = "xref";
    e->block = false;
    break;
  case SS_CLASSIFIER:
    e->tag = "span";
    e->cls = "classifier";
    e->block = false;
    break;
  default:
    if ((e->tag = S_simple_inline_tag(n->kind)))
      e->block = false;
    break;
  }
  return e->tag != NULL;
}

/* What a node of a kind this writer has no rule for becomes: its
 * children, inside a div or span naming the kind. Never dropped. */
static void S_fallback(S_elem *e, const ss_node *n) {
  bool inline_ = ss_kind_is_inline(n->kind) ||
                 (n->parent && (n->parent->kind == SS_PARAGRAPH ||
                                ss_kind_is_inline(n->parent->kind)));
  *e = (S_elem){inline_ ? "span" : "div", ss_kind_name(n->kind), !inline_, 0};
}

/* Containers of blocks get a newline after their start tag, for readable
 * source; elements holding text (and li/dd, as Sphinx writes them) do not,
 * since a newline there would be part of their content. */
static bool S_newline_after_open(ss_kind k) {
  switch (k) {
  case SS_PARAGRAPH:
  case SS_FIELD_NAME:
  case SS_LINE:
  case SS_ATTRIBUTION:
  case SS_RUBRIC:
  case SS_SUBTITLE:
  case SS_DESC_SIGNATURE:
  case SS_LIST_ITEM:
  case SS_DEFINITION:
  case SS_DESCRIPTION:
  case SS_FIELD_BODY:
  case SS_DESC_CONTENT:
  case SS_HLISTCOL:
    return false;
  default:
    return true;
  }
}

static void S_elem_enter(S_writer *w, const ss_node *n, const S_elem *e) {
  if (n->kind == SS_LITERAL_BLOCK) {
    S_pre(w, n, "literal-block");
    return;
  }
  if (n->kind == SS_DOCTEST_BLOCK) {
    S_pre(w, n, "doctest-block");
    return;
  }
  if (n->kind == SS_MATH_BLOCK) {
    S_pre(w, n, "math");
    return;
  }
  const char *base = e->cls;
  ss_buf cls = SS_BUF_INIT;
  if (n->kind == SS_DESC && !ss_node_attr_get(n, "classes")) {
    /* Sphinx's class pair: "http get" for the HTTP domain's GET. */
    const char *domain = ss_node_attr_get(n, "domain");
    const char *objtype = ss_node_attr_get(n, "objtype");
    if (!objtype)
      objtype = ss_node_attr_get(n, "desctype");
    ss_buf_printf(&cls, "%s%s%s", domain ? domain : "",
                  domain && objtype ? " " : "", objtype ? objtype : "");
    base = cls.len ? cls.data : NULL;
  } else if ((n->kind == SS_BULLET_LIST) && S_is_simple_list(n)) {
    base = "simple";
  } else if (n->kind == SS_TABLE) {
    ss_buf_puts(&cls, "docutils ");
    size_t before = cls.len;
    S_align_class(n, &cls);
    if (cls.len == before)
      ss_buf_puts(&cls, "align-default");
    base = cls.data;
  }
  S_start(w, n, e->tag, base, e->flags);
  if (n->kind == SS_ABBREVIATION || n->kind == SS_ACRONYM) {
    const char *title = ss_node_attr_get(n, "explanation");
    if (!title)
      title = ss_node_attr_get(n, "title");
    if (title)
      S_attr(w, "title", title);
  } else if (n->kind == SS_TOPIC && S_is_contents(n)) {
    S_attr(w, "role", "doc-toc");
  }
  S_finish(w, n, e->flags);
  if (e->block && S_newline_after_open(n->kind))
    S_LIT(w, "\n");
  if (n->kind == SS_ATTRIBUTION)
    S_LIT(w, "\xE2\x80\x94"); /* an em dash, as Docutils writes it */
  ss_buf_free(&cls);
}

static void S_elem_exit(S_writer *w, const ss_node *n, const S_elem *e) {
  if (n->kind == SS_FIELD_NAME)
    S_LIT(w, "<span class=\"colon\">:</span>");
  else if (n->kind == SS_LINE && !n->first)
    S_LIT(w, "<br>"); /* an empty line keeps its height */
  else if (n->kind == SS_DESC_SIGNATURE && ss_node_attr_get(n, "ids")) {
    S_LIT(w, "<a class=\"headerlink\"");
    S_href_id(w, ss_node_attr_get(n, "ids"));
    S_LIT(w, " title=\"Permalink to this definition\">\xC2\xB6</a>");
  }
  S_close(w, e->tag, e->block);
}

/* ENTER/EXIT for kinds whose output is not a single element. Returns
 * false when the kind is not one of them. */
static bool S_special(S_writer *w, ss_iter *it, ss_node *n, bool enter) {
  switch (n->kind) {
  case SS_TEXT:
    if (enter)
      ss_html_escape(w->out, n->text, n->text_len);
    return true;
  case SS_DOCUMENT:
    return true; /* the page wrapper is written around the walk */
  case SS_COMMENT:
  case SS_SUBSTITUTION_DEFINITION:
  case SS_INDEX:
  case SS_TABULAR_COL_SPEC: /* for LaTeX only */
  case SS_COLSPEC:          /* written with its tgroup */
    if (enter)
      ss_iter_skip_children(it);
    return true;
  case SS_RAW:
    if (enter) {
      S_raw(w, n);
      ss_iter_skip_children(it);
    }
    return true;
  case SS_SECTION:
    if (enter)
      w->section_depth++;
    else
      w->section_depth--;
    return false; /* and the plain <section> element */
  case SS_TITLE:
    S_title(w, n, enter);
    return true;
  case SS_TRANSITION:
    if (enter) {
      S_open(w, n, "hr", "docutils", 0);
      S_LIT(w, "\n");
    }
    return true;
  case SS_IMAGE:
    if (enter)
      S_image(w, n);
    return true;
  case SS_BULLET_LIST:
    if (enter) {
      S_open(w, n, "ul", S_is_simple_list(n) ? "simple" : NULL, S_SPANS_BEFORE);
      S_LIT(w, "\n");
    } else {
      S_close(w, "ul", true);
    }
    return true;
  case SS_ENUMERATED_LIST:
    if (enter)
      S_enumerated_list(w, n);
    else
      S_close(w, "ol", true);
    return true;
  case SS_DEFINITION_LIST_ITEM:
  case SS_FIELD:
  case SS_OPTION_LIST_ITEM:
  case SS_COMPACT_PARAGRAPH:
  case SS_ONLY:
  case SS_PENDING:
    /* No element of their own (the children are dt/dd pairs, or inline
     * content); their ids still get anchors. */
    if (enter)
      S_anchors(w, n);
    return true;
  case SS_TERM:
    /* <dt> stays open for the classifiers that follow the term. */
    if (enter)
      S_open(w, n, "dt", NULL, 0);
    else if (!S_next_is(n, SS_CLASSIFIER))
      S_close(w, "dt", true);
    return true;
  case SS_CLASSIFIER:
    return false; /* the span; the dt is closed below, on EXIT */
  case SS_OPTION_GROUP:
    if (enter)
      S_LIT(w, "<dt><kbd>");
    else
      S_LIT(w, "</kbd></dt>\n");
    return true;
  case SS_OPTION:
    if (enter && S_prev_is(n, SS_OPTION))
      S_LIT(w, ", ");
    return false;
  case SS_OPTION_STRING:
    return true; /* its text only */
  case SS_OPTION_ARGUMENT:
    if (enter) {
      const char *delim = ss_node_attr_get(n, "delimiter");
      S_esc(w, delim ? delim : " ");
      S_open(w, n, "var", NULL, 0);
    } else {
      S_close(w, "var", false);
    }
    return true;
  case SS_DESC_PARAMETERLIST:
    if (enter)
      S_LIT(w, "<span class=\"sig-paren\">(</span>");
    else
      S_LIT(w, "<span class=\"sig-paren\">)</span>");
    return true;
  case SS_DESC_PARAMETER:
    if (enter && S_prev_is(n, SS_DESC_PARAMETER))
      S_LIT(w, ", ");
    return false;
  case SS_TGROUP:
    if (enter)
      S_tgroup_enter(w, n);
    else
      S_tgroup_exit(w);
    return true;
  case SS_ROW:
    if (enter)
      S_row_enter(w, n);
    else
      S_row_exit(w);
    return true;
  case SS_ENTRY:
    if (enter)
      S_entry_enter(w, n);
    else
      S_entry_exit(w, n);
    return true;
  case SS_HLIST:
    if (!enter)
      S_LIT(w, "</tr>");
    return false;
  case SS_FOOTNOTE:
  case SS_CITATION: {
    bool fn = n->kind == SS_FOOTNOTE;
    if (enter) {
      if (!S_prev_is(n, n->kind))
        S_lit(w, fn ? "<aside class=\"footnote-list brackets\">\n"
                    : "<div role=\"list\" class=\"citation-list\">\n");
      S_start(w, n, fn ? "aside" : "div", fn ? "footnote brackets" : "citation",
              0);
      S_attr(w, "role", fn ? "note" : "doc-biblioentry");
      S_finish(w, n, 0);
      S_LIT(w, "\n");
    } else {
      S_close(w, fn ? "aside" : "div", true);
      if (!S_next_is(n, n->kind))
        S_close(w, fn ? "aside" : "div", true);
    }
    return true;
  }
  case SS_LABEL:
    if (S_parent_is(n, SS_FOOTNOTE) || S_parent_is(n, SS_CITATION)) {
      S_label(w, n, enter);
      return true;
    }
    return false;
  case SS_FOOTNOTE_REFERENCE:
  case SS_CITATION_REFERENCE: {
    bool fn = n->kind == SS_FOOTNOTE_REFERENCE;
    if (enter) {
      S_start(w, n, "a",
              fn ? "footnote-reference brackets" : "citation-reference", 0);
      const char *refid = ss_node_attr_get(n, "refid");
      if (refid)
        S_href_id(w, refid);
      S_attr(w, "role", fn ? "doc-noteref" : "doc-biblioref");
      S_finish(w, n, 0);
      S_lit(w, fn ? "<span class=\"fn-bracket\">[</span>" : "[");
    } else {
      S_lit(w, fn ? "<span class=\"fn-bracket\">]</span></a>" : "]</a>");
    }
    return true;
  }
  case SS_REFERENCE:
    if (enter) {
      const char *refuri = ss_node_attr_get(n, "refuri");
      const char *refid = ss_node_attr_get(n, "refid");
      /* Docutils: internal when marked so (Sphinx's toctree and
       * cross-document links) or when it points into the page. */
      const char *internal = ss_node_attr_get(n, "internal");
      bool is_internal = internal && strcmp(internal, "True") == 0;
      S_start(w, n, "a",
              refuri && !is_internal ? "reference external"
              : refuri || refid      ? "reference internal"
                                     : "reference",
              0);
      if (refuri)
        S_href(w, refuri);
      else if (refid)
        S_href_id(w, refid);
      S_finish(w, n, 0);
    } else {
      S_close(w, "a", false);
    }
    return true;
  case SS_DOWNLOAD_REFERENCE: {
    /* Sphinx's writer: a link once the file is found (refuri: the site's
     * copy, or a URL, which is external), else the literal alone. */
    const char *refuri = ss_node_attr_get(n, "refuri");
    if (refuri && enter) {
      S_start(w, n, "a",
              strstr(refuri, "://") ? "reference download external"
                                    : "reference download internal",
              0);
      S_LIT(w, " download=\"\"");
      S_href(w, refuri);
      S_finish(w, n, 0);
    } else if (refuri) {
      S_close(w, "a", false);
    }
    return true;
  }
  case SS_TARGET: {
    /* A target that points elsewhere is no element (its ids were moved
     * to what it points at); one that is only an anchor is a span. */
    bool pointer = ss_node_attr_get(n, "refuri") ||
                   ss_node_attr_get(n, "refid") ||
                   ss_node_attr_get(n, "refname");
    if (!pointer) {
      if (enter)
        S_open(w, n, "span", "target", 0);
      else
        S_close(w, "span", false);
    }
    return true;
  }
  case SS_PROBLEMATIC: {
    const char *refid = ss_node_attr_get(n, "refid");
    if (enter) {
      if (refid) {
        S_LIT(w, "<a");
        S_href_id(w, refid);
        S_LIT(w, ">");
      }
      S_open(w, n, "span", "problematic", 0);
    } else {
      S_lit(w, refid ? "</span></a>" : "</span>");
    }
    return true;
  }
  case SS_SYSTEM_MESSAGE:
    if (enter)
      S_system_message(w, n);
    else
      S_close(w, "div", true);
    return true;
  case SS_FIGURE:
    if (enter) {
      ss_buf cls = SS_BUF_INIT, style = SS_BUF_INIT;
      S_align_class(n, &cls);
      S_start(w, n, "figure", cls.data, 0);
      double v;
      char unit[4];
      if (S_length(ss_node_attr_get(n, "width"), &v, unit))
        ss_buf_printf(&style, "width: %g%s;", v, unit[0] ? unit : "px");
      if (style.len)
        S_attr(w, "style", style.data);
      S_finish(w, n, 0);
      S_LIT(w, "\n");
      ss_buf_free(&cls);
      ss_buf_free(&style);
    } else {
      S_close(w, "figure", true);
    }
    return true;
  case SS_CAPTION:
    /* caption and legend share one <figcaption>. */
    if (enter) {
      S_LIT(w, "<figcaption>\n");
      S_open(w, n, "p", NULL, 0);
    } else {
      S_close(w, "p", true);
      if (!S_next_is(n, SS_LEGEND))
        S_close(w, "figcaption", true);
    }
    return true;
  case SS_LEGEND:
    if (enter && !S_prev_is(n, SS_CAPTION))
      S_LIT(w, "<figcaption>\n");
    if (!enter) {
      S_close(w, "div", true);
      S_close(w, "figcaption", true);
      return true;
    }
    return false;
  default:
    break;
  }
  if (ss_kind_is_admonition(n->kind)) {
    if (enter) {
      ss_buf cls = SS_BUF_INIT;
      ss_buf_puts(&cls, "admonition");
      if (n->kind != SS_ADMONITION) {
        ss_buf_putc(&cls, ' ');
        ss_buf_puts(&cls,
                    n->kind == SS_TODO_NODE ? "todo" : ss_kind_name(n->kind));
      }
      S_open(w, n, "div", cls.data, 0);
      S_LIT(w, "\n");
      if (!(n->first && n->first->kind == SS_TITLE)) {
        S_LIT(w, "<p class=\"admonition-title\">");
        S_lit(w, S_admonition_label(n->kind));
        S_LIT(w, "</p>\n");
      }
      ss_buf_free(&cls);
    } else {
      S_close(w, "div", true);
    }
    return true;
  }
  if (n->kind == SS_INLINE || n->kind == SS_GENERATED ||
      n->kind == SS_SUBSTITUTION_REFERENCE) {
    if (enter)
      S_open(w, n, "span", NULL, 0);
    else
      S_close(w, "span", false);
    return true;
  }
  return false;
}

static void S_walk(S_writer *w, ss_node *root) {
  ss_iter it;
  ss_iter_init(&it, root);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    bool enter = ev == SS_EVENT_ENTER;
    if (S_special(w, &it, n, enter))
      continue;
    S_elem e;
    if (!S_plain_element(n, &e))
      S_fallback(&e, n);
    if (enter) {
      S_elem_enter(w, n, &e);
      if (n->kind == SS_HLIST)
        S_LIT(w, "<tr>");
    } else {
      S_elem_exit(w, n, &e);
      if (n->kind == SS_CLASSIFIER && !S_next_is(n, SS_CLASSIFIER))
        S_close(w, "dt", true);
    }
  }
  while (w->table) /* a malformed tree may leave tables open */
    S_tgroup_exit(w);
}

/* --- the page ------------------------------------------------------ */

/* The page title: the document's title, else the first section title. */
static void S_page_title(const ss_node *doc, ss_buf *out) {
  const char *attr = ss_node_attr_get(doc, "title");
  if (attr) {
    ss_buf_puts(out, attr);
    return;
  }
  ss_iter it;
  ss_iter_init(&it, (ss_node *)doc);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (ev == SS_EVENT_ENTER && n->kind == SS_TITLE && n->parent &&
        (n->parent->kind == SS_SECTION || n->parent->kind == SS_DOCUMENT)) {
      ss_node_text_content(n, out);
      return;
    }
  }
}

/* Makes room for the whole page at once, from a generous estimate (a
 * page is about twice its text, plus tags): one allocation instead of a
 * doubling buffer, whose copies touch fresh memory each time. Room that
 * is never written costs nothing. */
static void S_reserve(ss_buf *out, const ss_node *doc) {
  size_t text = 0, nodes = 0;
  for (const ss_node *n = doc; n; n = ss_node_next_in(doc, n)) {
    nodes++;
    text += n->text_len;
  }
  ss_buf_grow(out, 2 * text + 64 * nodes + 16384);
}

/* The skip link's target. Docutils and Sphinx ids start with a letter,
 * so a leading underscore cannot clash with a section's id. */
#define S_MAIN_ID "_main"

void ss_html_render(const ss_node *document, const ss_html_options *opts,
                    ss_buf *out) {
  ss_html_options none = {0};
  if (!opts)
    opts = &none;
  S_writer w = {out, 0, 0, NULL, opts->raw_enabled};
  if (!document)
    return;
  S_reserve(out, document);
  if (document->kind == SS_DOCUMENT && ss_node_child(document, SS_TITLE))
    w.heading_offset = 1;
  if (!opts->fragment) {
    ss_buf title = SS_BUF_INIT;
    if (opts->title)
      ss_buf_puts(&title, opts->title);
    else
      S_page_title(document, &title);
    S_lit(&w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
              "<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, "
              "initial-scale=1\">\n"
              "<meta name=\"generator\" content=\"specsite\">\n<title>");
    if (title.len)
      ss_html_escape(out, title.data, title.len);
    else
      S_LIT(&w, "Untitled");
    S_LIT(&w, "</title>\n");
    ss_buf_free(&title);
    if (opts->stylesheet && ss_html_uri_is_safe(opts->stylesheet, false)) {
      S_LIT(&w, "<link rel=\"stylesheet\"");
      S_attr(&w, "href", opts->stylesheet);
      S_LIT(&w, ">\n");
    } else {
      /* Our own text, known to hold no "</style". */
      S_LIT(&w, "<style>\n");
      S_lit(&w, ss_html_default_css);
      S_LIT(&w, "</style>\n");
    }
    S_lit(&w, "</head>\n<body>\n<a class=\"skip-link\" href=\"#" S_MAIN_ID
              "\">Skip to content</a>\n<main id=\"" S_MAIN_ID
              "\" class=\"document\">\n");
  }
  if (document->kind == SS_DOCUMENT) {
    /* The document element itself has no tag: its ids become anchors. */
    S_anchors(&w, document);
  }
  S_walk(&w, (ss_node *)document);
  if (!opts->fragment)
    S_LIT(&w, "</main>\n</body>\n</html>\n");
}
