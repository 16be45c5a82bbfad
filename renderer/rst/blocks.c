/* blocks.c — the line-level parser of reStructuredText.
 *
 * Each construct of the specification has one function S_<construct>
 * that, given the index of its first line, appends its nodes and returns
 * the index of the first line it did not take (or -1 when the line turns
 * out not to be that construct, and the next candidate is tried). The
 * order of candidates is Docutils' Body state transitions, so that the
 * same input makes the same tree.
 *
 * Nested bodies (list items, block quotes, definitions, directive
 * content) are parsed by rst_parse_body on new line views with their
 * indentation cut off; p->depth bounds that recursion.
 */
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "parser.h"

typedef struct S_ctx {
  rst_parser *p;
  const rst_line *L;
  int n;
  ss_node *parent; /* body container when not at section level */
  bool sections;   /* section titles allowed: append to p->section_cur */
  bool attached;   /* the container is in Docutils' document as the body
                      is parsed (see S_attached) */
  bool list_parse; /* the last construct is one Docutils follows with a
                      nested state machine on the lines after its first
                      item (lists, line blocks of more lines than one,
                      explicit markup): when it took every line of the
                      body, that machine runs on nothing */
} S_ctx;

/* The line a node gets that Docutils gives none of its own: the one its
 * state machine stands at when the node is appended (`line`), which
 * setup_child takes only when the container is in the document. */
static int S_cur(const S_ctx *c, int line) { return c->attached ? line : 0; }

static ss_node *S_container(S_ctx *c) {
  return c->sections ? c->p->section_cur : c->parent;
}

static ss_node *S_add(S_ctx *c, ss_node *node) {
  return ss_node_append(S_container(c), node);
}

/* Moves the messages collected while parsing inline text to the body,
 * after the element they belong to. */
static void S_flush_messages(S_ctx *c, ss_node *messages) {
  ss_node_move_children(messages, S_container(c));
}

static bool S_blank(const rst_line *l) { return l->len == 0; }

/* Leading whitespace as Python's lstrip() takes it (Unicode spaces
 * too): its length in bytes, and in characters in *cols. */
static int S_lead(const rst_line *l, int *cols) {
  int i = 0, n = 0, w;
  while (i < l->len &&
         (w = rst_space_len(l->text + i, (size_t)(l->len - i))) > 0)
    i += w, n++;
  if (cols)
    *cols = n;
  return i;
}

/* A line is indented, as Docutils sees it, when it starts with a space;
 * its indentation is then all of its leading whitespace (lstrip). In
 * bytes; 0 for a line that is not indented or blank. */
static int S_indent(const rst_line *l) {
  if (!l->len || l->text[0] != ' ')
    return 0;
  return S_lead(l, NULL);
}

/* The same in characters, the unit Docutils measures and cuts
 * indentation in. */
static int S_indent_cols(const rst_line *l) {
  int cols = 0;
  if (l->len && l->text[0] == ' ')
    S_lead(l, &cols);
  return cols;
}

static bool S_starts(const rst_line *l, const char *s) {
  size_t n = strlen(s);
  return (size_t)l->len >= n && memcmp(l->text, s, n) == 0;
}

/* A view of `l` with its first `k` bytes cut off. */
static rst_line S_cut(const rst_line *l, int k) {
  rst_line v = *l;
  if (k >= v.len) {
    v.text += v.len;
    v.len = 0;
  } else {
    v.text += k;
    v.len -= k;
  }
  return v;
}

/* A view of `l` with its first `cols` characters cut off. */
static rst_line S_cut_cols(const rst_line *l, int cols) {
  int k = 0;
  for (; cols > 0 && k < l->len; cols--) {
    k++;
    while (k < l->len && ((unsigned char)l->text[k] & 0xC0) == 0x80)
      k++;
  }
  return S_cut(l, k);
}

/* Characters in the first `bytes` bytes of `l`. */
static int S_cols_of(const rst_line *l, int bytes) {
  int cols = 0;
  for (int k = 0; k < bytes && k < l->len; k++)
    cols += ((unsigned char)l->text[k] & 0xC0) != 0x80;
  return cols;
}

static void S_join(const rst_line *lines, int n, ss_buf *out) {
  for (int i = 0; i < n; i++) {
    if (i)
      ss_buf_putc(out, '\n');
    ss_buf_put(out, lines[i].text, (size_t)lines[i].len);
  }
}

/* --- indented blocks (Docutils' StringList.get_indented) ------------ */

typedef struct S_block {
  rst_line *lines; /* owned views */
  int n;
  int end;    /* index after the last line taken from the source */
  int indent; /* indentation removed from the following lines, in
                 characters */
  bool blank_finish;
} S_block;

/* Takes lines from `start` while they are blank or indented (by at least
 * `block_indent` when >= 0). With first_indent >= 0 the first line is
 * taken whatever it holds and cut at that column; the others lose their
 * common indentation. With until_blank the block stops at a blank line.
 * first_indent and block_indent are byte columns of the first line; the
 * other lines are measured and cut in characters, as Docutils does. */
static S_block S_get_indented(const rst_line *L, int n, int start,
                              bool until_blank, int first_indent,
                              int block_indent) {
  S_block b = {0};
  int end = start;
  int block_cols = -1;
  if (block_indent >= 0) {
    block_cols = S_cols_of(&L[start], block_indent);
    if (first_indent < 0)
      first_indent = block_indent;
  }
  int indent = block_cols;
  if (first_indent >= 0)
    end++;
  b.blank_finish = true;
  while (end < n) {
    const rst_line *l = &L[end];
    if (!S_blank(l) && (l->text[0] != ' ' ||
                        (block_cols >= 0 && S_indent_cols(l) < block_cols))) {
      b.blank_finish = end > start && S_blank(&L[end - 1]);
      break;
    }
    if (S_blank(l)) {
      if (until_blank) {
        b.blank_finish = true;
        break;
      }
    } else if (block_cols < 0) {
      int li = S_indent_cols(l);
      if (indent < 0 || li < indent)
        indent = li;
    }
    end++;
  }
  b.end = end;
  b.n = end - start;
  b.indent = indent < 0 ? 0 : indent;
  b.lines = ss_xmalloc(sizeof(rst_line) * (size_t)(b.n ? b.n : 1));
  for (int i = 0; i < b.n; i++) {
    if (i == 0 && first_indent >= 0)
      b.lines[i] = S_cut(&L[start], first_indent);
    else
      b.lines[i] = S_cut_cols(&L[start + i], b.indent);
  }
  return b;
}

static void S_trim_blank_edges(S_block *b, int *first) {
  int skip = 0;
  while (skip < b->n && S_blank(&b->lines[skip]))
    skip++;
  if (skip) {
    memmove(b->lines, b->lines + skip,
            sizeof(rst_line) * (size_t)(b->n - skip));
    b->n -= skip;
  }
  if (first)
    *first = skip;
  while (b->n > 0 && S_blank(&b->lines[b->n - 1]))
    b->n--;
}

/* Parses a nested body, bounding the depth. */
static void S_nested(S_ctx *c, const rst_line *lines, int n, ss_node *node) {
  rst_parse_body(c->p, lines, n, node);
}

static ss_node *S_unindent_warning(S_ctx *c, const char *what, int lineno) {
  return rst_report(c->p, SS_LEVEL_WARNING, lineno, NULL,
                    "%s ends without a blank line; unexpected unindent.", what);
}

/* --- inline text --------------------------------------------------- */

static ss_node *S_inline_node(S_ctx *c, ss_kind kind, const char *text,
                              size_t len, int lineno, ss_node *messages) {
  ss_node *node = ss_node_new(kind, lineno);
  rst_parse_inline(c->p, text, len, lineno, node, messages);
  return node;
}

/* --- adornments ---------------------------------------------------- */

static bool S_is_adornment_char(char ch) {
  return (ch >= '!' && ch <= '/') || (ch >= ':' && ch <= '@') ||
         (ch >= '[' && ch <= '`') || (ch >= '{' && ch <= '~');
}

/* Docutils' "line" pattern: one punctuation character repeated, then
 * optional spaces (already stripped). */
static bool S_is_adornment(const rst_line *l) {
  if (l->len == 0 || l->text[0] == ' ' || !S_is_adornment_char(l->text[0]))
    return false;
  for (int i = 1; i < l->len; i++)
    if (l->text[i] != l->text[0])
      return false;
  return true;
}

static int S_title_width(const char *s, int len) {
  return (int)ss_utf8_width(s, (size_t)len);
}

/* --- sections ------------------------------------------------------ */

static int S_section_level(const ss_node *n) {
  int level = 0;
  for (; n; n = n->parent)
    if (n->kind == SS_SECTION)
      level++;
  return level;
}

/* Opens a section for a title of `style`; returns false (after a
 * report) when the level is inconsistent. `lineno` is the title's line,
 * which its inline markup and messages are reported at. The section and
 * its title carry it too: Docutils gives them the underline's (where its
 * state machine stands when it appends them), always the next line,
 * which the transforms count (tx_source_line); the linter and filters
 * point at the title's text. */
static bool S_open_section(S_ctx *c, rst_title_style style, const char *title,
                           int titlelen, const char *source, int lineno,
                           ss_node *pending_messages) {
  rst_parser *p = c->p;
  int mylevel = S_section_level(p->section_cur);
  int level = 0;
  for (int i = 0; i < p->nstyles; i++)
    if (p->styles[i].over == style.over && p->styles[i].under == style.under)
      level = i + 1;
  if (level == 0) {
    if (p->nstyles == mylevel && p->nstyles < 32) {
      p->styles[p->nstyles++] = style;
      level = p->nstyles;
    } else {
      S_add(c, rst_report(p, SS_LEVEL_SEVERE, lineno, source,
                          "Title level inconsistent:"));
      return false;
    }
  } else if (level > mylevel + 1) {
    S_add(c, rst_report(p, SS_LEVEL_SEVERE, lineno, source,
                        "Title level inconsistent:"));
    return false;
  }
  while (S_section_level(p->section_cur) >= level)
    p->section_cur = p->section_cur->parent;
  ss_node *sec =
      ss_node_append(p->section_cur, ss_node_new(SS_SECTION, lineno));
  ss_node *messages = ss_node_new(SS_DOCUMENT, lineno);
  ss_node_append(sec, S_inline_node(c, SS_TITLE, title, (size_t)titlelen,
                                    lineno, messages));
  if (pending_messages)
    ss_node_move_children(pending_messages, sec);
  ss_node_move_children(messages, sec);
  ss_node_free(messages);
  p->section_cur = sec;
  return true;
}

static void S_source3(ss_buf *b, const rst_line *a, const rst_line *t,
                      const rst_line *u) {
  ss_buf_clear(b);
  if (a) {
    ss_buf_put(b, a->text, (size_t)a->len);
    ss_buf_putc(b, '\n');
  }
  ss_buf_put(b, t->text, (size_t)t->len);
  if (u) {
    ss_buf_putc(b, '\n');
    ss_buf_put(b, u->text, (size_t)u->len);
  }
}

/* A line of punctuation at the start of a block: overline of a title,
 * or a transition. Returns -1 to treat it as text. */
static int S_line(S_ctx *c, int i) {
  rst_parser *p = c->p;
  const rst_line *over = &c->L[i];
  ss_buf src = SS_BUF_INIT;
  int result = -1;
  if (!c->sections) {
    if (over->len == 2 && memcmp(over->text, "::", 2) == 0)
      return -1;
    if (over->len < 4) {
      S_add(c, rst_report(p, SS_LEVEL_INFO, over->lineno, NULL,
                          "Unexpected possible title overline or "
                          "transition.\nTreating it as ordinary text "
                          "because it's so short."));
      return -1;
    }
    S_source3(&src, NULL, over, NULL);
    S_add(c, rst_report(p, SS_LEVEL_SEVERE, over->lineno, src.data,
                        "Unexpected section title or transition."));
    ss_buf_free(&src);
    return i + 1;
  }
  /* Transition: followed by a blank line or the end. */
  if (i + 1 >= c->n || S_blank(&c->L[i + 1])) {
    if (over->len < 4)
      return -1;
    S_add(c, ss_node_new(SS_TRANSITION, over->lineno));
    return i + 1;
  }
  const rst_line *title = &c->L[i + 1];
  if (i + 2 >= c->n) {
    if (over->len < 4)
      goto short_overline;
    S_source3(&src, over, title, NULL);
    S_add(c, rst_report(p, SS_LEVEL_SEVERE, over->lineno, src.data,
                        "Incomplete section title."));
    result = i + 2;
    goto done;
  }
  const rst_line *under = &c->L[i + 2];
  S_source3(&src, over, title, under);
  if (!S_is_adornment(under)) {
    if (over->len < 4)
      goto short_overline;
    S_add(c, rst_report(p, SS_LEVEL_SEVERE, over->lineno, src.data,
                        "Missing matching underline for section title "
                        "overline."));
    result = i + 3;
    goto done;
  }
  if (under->len != over->len || under->text[0] != over->text[0]) {
    if (over->len < 4)
      goto short_overline;
    S_add(c, rst_report(p, SS_LEVEL_SEVERE, over->lineno, src.data,
                        "Title overline & underline mismatch."));
    result = i + 3;
    goto done;
  }
  {
    rst_line t = S_cut(title, S_lead(title, NULL)); /* Docutils: lstrip() */
    ss_node *messages = ss_node_new(SS_DOCUMENT, over->lineno);
    if (S_title_width(title->text, title->len) > over->len) {
      if (over->len < 4)
        goto short_overline_free;
      ss_node_append(messages,
                     rst_report(p, SS_LEVEL_WARNING, over->lineno, src.data,
                                "Title overline too short."));
    }
    rst_title_style style = {over->text[0], under->text[0]};
    S_open_section(c, style, t.text, t.len, src.data, title->lineno, messages);
    ss_node_free(messages);
    result = i + 3;
    goto done;
  short_overline_free:
    ss_node_free(messages);
  }
short_overline:
  S_add(c, rst_report(p, SS_LEVEL_INFO, over->lineno, NULL,
                      "Possible incomplete section title.\nTreating the "
                      "overline as ordinary text because it's so short."));
  result = -1;
done:
  ss_buf_free(&src);
  return result;
}

/* --- paragraphs and literal blocks ---------------------------------- */

/* True when text ends with an unescaped "::". */
static bool S_ends_with_literal_marker(const char *s, size_t len) {
  if (len < 2 || s[len - 1] != ':' || s[len - 2] != ':')
    return false;
  size_t backslashes = 0;
  while (backslashes < len - 2 && s[len - 3 - backslashes] == '\\')
    backslashes++;
  return backslashes % 2 == 0;
}

static int S_literal_block(S_ctx *c, int i);

/* Appends a paragraph made of lines[0..n); returns true when a literal
 * block is announced by a final "::". */
static bool S_paragraph(S_ctx *c, const rst_line *lines, int n) {
  ss_buf data = SS_BUF_INIT;
  S_join(lines, n, &data);
  while (data.len &&
         (data.data[data.len - 1] == ' ' || data.data[data.len - 1] == '\n'))
    data.len--;
  size_t textlen = data.len;
  bool literal_next = false;
  if (S_ends_with_literal_marker(data.data, data.len)) {
    literal_next = true;
    if (data.len == 2) {
      ss_buf_free(&data);
      return true;
    }
    if (data.data[data.len - 3] == ' ' || data.data[data.len - 3] == '\n') {
      textlen = data.len - 3;
      while (textlen &&
             (data.data[textlen - 1] == ' ' || data.data[textlen - 1] == '\n'))
        textlen--;
    } else {
      textlen = data.len - 1;
    }
  }
  /* A holder for the inline parser's messages, on the stack: every
   * paragraph needs one, and it ends empty (its children are moved). */
  ss_node messages = {.kind = SS_DOCUMENT, .line = lines[0].lineno};
  S_add(c, S_inline_node(c, SS_PARAGRAPH, data.data, textlen, lines[0].lineno,
                         &messages));
  S_flush_messages(c, &messages);
  ss_buf_free(&data);
  return literal_next;
}

/* Sphinx gives every literal block the language of the last
 * `highlight` directive ("default" before any), as its
 * HighlightLanguageTransform does. */
static void S_highlight(S_ctx *c, ss_node *lit) {
  ss_node_attr_set(lit, "force", "False");
  ss_node_attr_set(lit, "language",
                   c->p->highlight_language ? c->p->highlight_language
                                            : "default");
  ss_node_attr_set(lit, "linenos", "False");
}

/* A literal block after "::": the indented lines starting at i (blank
 * lines first are skipped), or a quoted block at the same indentation. */
static int S_literal_block(S_ctx *c, int i) {
  S_block b = S_get_indented(c->L, c->n, i, false, -1, -1);
  int first;
  S_trim_blank_edges(&b, &first);
  if (b.n > 0) {
    ss_buf data = SS_BUF_INIT;
    S_join(b.lines, b.n, &data);
    ss_node *lit = S_add(c, ss_node_new(SS_LITERAL_BLOCK, b.lines[0].lineno));
    S_highlight(c, lit);
    ss_node_append(lit, ss_text_new(data.data, data.len, b.lines[0].lineno));
    ss_buf_free(&data);
    int end = b.end;
    if (!b.blank_finish)
      S_add(c,
            S_unindent_warning(c, "Literal block", c->L[end - 1].lineno + 1));
    free(b.lines);
    return end;
  }
  free(b.lines);
  /* Quoted literal block: lines at this level starting with the same
   * punctuation character, up to a blank line. Another line ends it with
   * an error (an indented one starts a block quote), and parsing goes on
   * at that line, as in Docutils' QuotedLiteralBlock state. */
  int j = i;
  while (j < c->n && S_blank(&c->L[j]))
    j++;
  if (j < c->n && S_indent(&c->L[j]) == 0 &&
      S_is_adornment_char(c->L[j].text[0])) {
    char q = c->L[j].text[0];
    int k = j;
    while (k < c->n && !S_blank(&c->L[k]) && c->L[k].text[0] == q)
      k++;
    ss_buf data = SS_BUF_INIT;
    S_join(c->L + j, k - j, &data);
    ss_node *lit = S_add(c, ss_node_new(SS_LITERAL_BLOCK, c->L[j].lineno));
    S_highlight(c, lit);
    ss_node_append(lit, ss_text_new(data.data, data.len, c->L[j].lineno));
    ss_buf_free(&data);
    if (k < c->n && !S_blank(&c->L[k]))
      S_add(c, rst_report(c->p, SS_LEVEL_ERROR, c->L[k].lineno, NULL,
                          c->L[k].text[0] == ' '
                              ? "Unexpected indentation."
                              : "Inconsistent literal block quoting."));
    return k;
  }
  /* At the end of the block, Docutils reports the line after it. */
  S_add(c, rst_report(c->p, SS_LEVEL_WARNING,
                      j < c->n ? c->L[j].lineno
                               : (c->n ? c->L[c->n - 1].lineno + 1 : 1),
                      NULL, "Literal block expected; none found."));
  return i;
}

/* --- definition lists --------------------------------------------- */

/* The term, read at `lineno` (the item's line), and its classifiers,
 * which have no line (Docutils makes them before they are attached). */
static ss_node *S_term(S_ctx *c, const rst_line *termline, int lineno,
                       ss_node *item, ss_node *messages) {
  /* Classifiers follow the term after " : "; the split happens on the
   * parsed text so that markup keeps its colons. */
  ss_node *term = S_inline_node(c, SS_TERM, termline->text,
                                (size_t)termline->len, lineno, messages);
  ss_node_append(item, term);
  ss_node *target = term;
  for (ss_node *t = term->first; t;) {
    ss_node *next = t->next;
    if (t->kind == SS_TEXT && t->parent == target) {
      const char *s = t->text;
      const char *hit = NULL;
      size_t hitlen = 0;
      for (size_t k = 0; k < t->text_len; k++) {
        if (s[k] != ' ')
          continue;
        size_t a = k;
        while (a < t->text_len && s[a] == ' ')
          a++;
        if (a < t->text_len && s[a] == ':' && a + 1 < t->text_len &&
            s[a + 1] == ' ') {
          size_t e = a + 1;
          while (e < t->text_len && s[e] == ' ')
            e++;
          hit = s + k;
          hitlen = e - k;
          break;
        }
      }
      if (hit) {
        size_t before = (size_t)(hit - s);
        size_t after = t->text_len - before - hitlen;
        char *rest = ss_xstrndup(hit + hitlen, after);
        ss_text_set(t, s, before);
        if (before == 0) {
          ss_node_free(t);
        }
        ss_node *cls = ss_node_append(item, ss_node_new(SS_CLASSIFIER, 0));
        /* Move the following siblings into the classifier. */
        while (next) {
          ss_node *after_next = next->next;
          ss_node_append(cls, ss_node_unlink(next));
          next = after_next;
        }
        if (after)
          ss_node_prepend(cls, ss_text_new(rest, after, termline->lineno));
        free(rest);
        target = cls;
        next = cls->first;
        if (after)
          next = cls->first; /* re-scan the rest for more classifiers */
      }
    }
    t = next;
  }
  return term;
}

static bool S_starts_other_construct(const rst_line *l);

/* Docutils appends the list after its first item's definition is parsed
 * (no line); an item and its term get the line before the last one of
 * the definition's block, blank lines included (definition_list_item
 * takes abs_line_number() - 1 after get_indented), and their inline
 * markup is read at that line too; the definition has none. */
static int S_definition_list(S_ctx *c, int i) {
  ss_node *dl = S_add(c, ss_node_new(SS_DEFINITION_LIST, 0));
  bool blank_finish = true;
  int end = i;
  while (i + 1 < c->n && !S_blank(&c->L[i]) && S_indent(&c->L[i]) == 0 &&
         !S_blank(&c->L[i + 1]) && S_indent(&c->L[i + 1]) > 0) {
    const rst_line *termline = &c->L[i];
    S_block b = S_get_indented(c->L, c->n, i + 1, false, -1, -1);
    int itemline = c->L[b.end - 2].lineno;
    ss_node *item =
        ss_node_append(dl, ss_node_new(SS_DEFINITION_LIST_ITEM, itemline));
    ss_node *messages = ss_node_new(SS_DOCUMENT, itemline);
    S_term(c, termline, itemline, item, messages);
    ss_node *dd = ss_node_append(item, ss_node_new(SS_DEFINITION, 0));
    ss_node_move_children(messages, dd);
    ss_node_free(messages);
    if (termline->len >= 2 &&
        memcmp(termline->text + termline->len - 2, "::", 2) == 0)
      ss_node_append(dd, rst_report(c->p, SS_LEVEL_INFO, c->L[b.end - 1].lineno,
                                    NULL,
                                    "Blank line missing before literal block "
                                    "(after the \"::\")? Interpreted as a "
                                    "definition list item."));
    S_nested(c, b.lines, b.n, dd);
    if (item == dl->first)
      dl->line = S_cur(c, c->p->parse_end);
    free(b.lines);
    blank_finish = b.blank_finish;
    end = i = b.end;
    /* Blank lines between items belong to the list. */
    while (i < c->n && S_blank(&c->L[i]))
      i++;
    if (!(i + 1 < c->n && S_indent(&c->L[i]) == 0 && !S_blank(&c->L[i + 1]) &&
          S_indent(&c->L[i + 1]) > 0 && !S_starts_other_construct(&c->L[i])))
      break;
    end = i;
  }
  if (!blank_finish && end < c->n)
    S_add(c, S_unindent_warning(c, "Definition list", c->L[end].lineno));
  return end;
}

/* --- text: paragraphs, titles, definition lists -------------------- */

static int S_text(S_ctx *c, int i) {
  const rst_line *first = &c->L[i];
  if (i + 1 < c->n) {
    const rst_line *next = &c->L[i + 1];
    if (!S_blank(next) && S_indent(next) == 0 && S_is_adornment(next)) {
      /* Possible section title. */
      int titlew = S_title_width(first->text, first->len);
      bool is_title = true;
      ss_node *messages = ss_node_new(SS_DOCUMENT, first->lineno);
      ss_buf src = SS_BUF_INIT;
      S_source3(&src, NULL, first, next);
      if (titlew > next->len) {
        if (next->len < 4) {
          if (c->sections)
            S_add(c, rst_report(c->p, SS_LEVEL_INFO, next->lineno, NULL,
                                "Possible title underline, too short for the "
                                "title.\nTreating it as ordinary text because "
                                "it's so short."));
          is_title = false;
        } else {
          ss_node_append(messages,
                         rst_report(c->p, SS_LEVEL_WARNING, next->lineno,
                                    src.data, "Title underline too short."));
        }
      }
      if (is_title) {
        int result = i + 2;
        if (!c->sections) {
          S_flush_messages(c, messages);
          S_add(c, rst_report(c->p, SS_LEVEL_SEVERE, next->lineno, src.data,
                              "Unexpected section title."));
        } else {
          rst_title_style style = {0, next->text[0]};
          S_open_section(c, style, first->text, first->len, src.data,
                         first->lineno, messages);
        }
        ss_node_free(messages);
        ss_buf_free(&src);
        return result;
      }
      ss_node_free(messages);
      ss_buf_free(&src);
    } else if (!S_blank(next) && S_indent(next) > 0) {
      c->list_parse = true;
      return S_definition_list(c, i);
    }
  }
  /* Paragraph: lines up to a blank line; an indented line ends it with
   * an error and starts a block quote. */
  int j = i + 1;
  bool unexpected_indent = false;
  while (j < c->n && !S_blank(&c->L[j])) {
    if (S_indent(&c->L[j]) > 0) {
      unexpected_indent = true;
      break;
    }
    j++;
  }
  bool literal_next = S_paragraph(c, c->L + i, j - i);
  if (unexpected_indent)
    S_add(c, rst_report(c->p, SS_LEVEL_ERROR, c->L[j].lineno, NULL,
                        "Unexpected indentation."));
  if (literal_next)
    return S_literal_block(c, j);
  return j;
}

/* --- block quotes -------------------------------------------------- */

/* Returns the index where an attribution starts in b, or -1. */
static int S_find_attribution(const S_block *b, int *a_end, int *a_indent,
                              int *marker_len) {
  int blank = -1;
  bool nonblank_seen = false;
  for (int i = 0; i < b->n; i++) {
    const rst_line *l = &b->lines[i];
    if (S_blank(l)) {
      blank = i;
      continue;
    }
    if (nonblank_seen && blank == i - 1) {
      int m = 0;
      if (S_starts(l, "\xe2\x80\x94"))
        m = 3;
      else if (S_starts(l, "---") && !(l->len > 3 && l->text[3] == '-'))
        m = 3;
      else if (S_starts(l, "--") && !(l->len > 2 && l->text[2] == '-'))
        m = 2;
      if (m) {
        while (m < l->len && l->text[m] == ' ')
          m++;
        if (m < l->len) {
          int indent = -1, k;
          bool ok = true;
          for (k = i + 1; k < b->n; k++) {
            const rst_line *x = &b->lines[k];
            if (S_blank(x))
              break;
            /* Docutils' check_attribution: lstrip() in characters. */
            int xi;
            S_lead(x, &xi);
            if (indent < 0)
              indent = xi;
            else if (xi != indent) {
              ok = false;
              break;
            }
          }
          if (ok) {
            *a_end = k;
            *a_indent = indent < 0 ? 0 : indent;
            *marker_len = m;
            return i;
          }
        }
      }
    }
    nonblank_seen = true;
  }
  return -1;
}

static int S_block_quote(S_ctx *c, int i) {
  S_block b = S_get_indented(c->L, c->n, i, false, -1, -1);
  rst_line *lines = b.lines;
  int n = b.n;
  while (n > 0) {
    S_block part = {.lines = lines, .n = n};
    int a_end, a_indent, marker;
    int a = S_find_attribution(&part, &a_end, &a_indent, &marker);
    int body_n = a >= 0 ? a : n;
    ss_node *bq = S_add(c, ss_node_new(SS_BLOCK_QUOTE, lines[0].lineno));
    S_nested(c, lines, body_n, bq);
    if (a >= 0) {
      ss_buf text = SS_BUF_INIT;
      for (int k = a; k < a_end; k++) {
        rst_line l =
            k == a ? S_cut(&lines[k], marker) : S_cut_cols(&lines[k], a_indent);
        if (k > a)
          ss_buf_putc(&text, '\n');
        ss_buf_put(&text, l.text, (size_t)l.len);
      }
      ss_node *messages = ss_node_new(SS_DOCUMENT, lines[a].lineno);
      ss_node_append(bq, S_inline_node(c, SS_ATTRIBUTION, text.data, text.len,
                                       lines[a].lineno, messages));
      S_flush_messages(c, messages);
      ss_node_free(messages);
      ss_buf_free(&text);
      lines += a_end;
      n -= a_end;
      while (n > 0 && S_blank(&lines[0]))
        lines++, n--;
    } else {
      n = 0;
    }
  }
  if (!b.blank_finish && b.end < c->n)
    S_add(c, S_unindent_warning(c, "Block quote", c->L[b.end].lineno));
  free(b.lines);
  return b.end;
}

/* --- lists --------------------------------------------------------- */

/* Bullet characters: - + * and U+2022 U+2023 U+2043. Returns the marker
 * length in bytes, 0 when none. */
static int S_bullet(const rst_line *l) {
  int m = 0;
  if (l->len >= 1 &&
      (l->text[0] == '-' || l->text[0] == '+' || l->text[0] == '*'))
    m = 1;
  else if (S_starts(l, "\xe2\x80\xa2") || S_starts(l, "\xe2\x80\xa3") ||
           S_starts(l, "\xe2\x81\x83"))
    m = 3;
  if (!m)
    return 0;
  if (m < l->len && l->text[m] != ' ')
    return 0;
  return m;
}

/* Column where the item text starts after a marker of `m` bytes. */
static int S_after_marker(const rst_line *l, int m) {
  while (m < l->len && l->text[m] == ' ')
    m++;
  return m;
}

/* A list item: its body is the rest of the first line plus the indented
 * lines that follow. Returns the item; *end and *blank_finish set.
 * Docutils appends the item after parsing its body, which leaves it no
 * line; an item with no body takes the last line of its block. */
static ss_node *S_list_item(S_ctx *c, int i, int text_col, int *end,
                            bool *blank_finish) {
  /* With text after the marker, the body is what is indented at least
   * to that text; with the marker alone, whatever is indented. */
  bool text_follows = text_col < c->L[i].len;
  S_block b = text_follows ? S_get_indented(c->L, c->n, i, false, -1, text_col)
                           : S_get_indented(c->L, c->n, i, false, text_col, -1);
  bool body = false;
  for (int k = 0; k < b.n; k++)
    body = body || !S_blank(&b.lines[k]);
  ss_node *item = ss_node_new(SS_LIST_ITEM, 0);
  S_nested(c, b.lines, b.n, item);
  item->line = S_cur(c, body ? c->p->parse_end : c->L[b.end - 1].lineno);
  *end = b.end;
  *blank_finish = b.blank_finish;
  free(b.lines);
  return item;
}

static int S_bullet_list(S_ctx *c, int i) {
  int m = S_bullet(&c->L[i]);
  if (!m)
    return -1;
  char bullet[4] = {0};
  memcpy(bullet, c->L[i].text, (size_t)m);
  ss_node *list = S_add(c, ss_node_new(SS_BULLET_LIST, c->L[i].lineno));
  ss_node_attr_set(list, "bullet", bullet);
  int end = i;
  bool blank_finish = true;
  for (;;) {
    ss_node_append(list, S_list_item(c, i, S_after_marker(&c->L[i], m), &end,
                                     &blank_finish));
    i = end;
    while (i < c->n && S_blank(&c->L[i]))
      i++;
    if (i >= c->n || S_indent(&c->L[i]) != 0 || S_bullet(&c->L[i]) != m ||
        memcmp(c->L[i].text, bullet, (size_t)m) != 0)
      break;
    end = i;
  }
  if (!blank_finish && end < c->n)
    S_add(c, S_unindent_warning(c, "Bullet list", c->L[end].lineno));
  return end;
}

/* Enumerators. */
typedef enum {
  S_ARABIC,
  S_LOWERALPHA,
  S_UPPERALPHA,
  S_LOWERROMAN,
  S_UPPERROMAN,
  S_AUTO
} S_seq;
static const char *const S_seq_names[] = {
    "arabic", "loweralpha", "upperalpha", "lowerroman", "upperroman", "arabic"};
typedef enum { S_PERIOD, S_PARENS, S_RPAREN } S_format;

typedef struct S_enum {
  S_format format;
  S_seq seq;
  int ordinal;  /* -1 when invalid (bad roman numeral) */
  int text_col; /* where the item text starts */
  char text[32];
} S_enum;

static int S_roman_value(const char *s, int len, bool upper) {
  static const char *const syms[] = {"m",  "cm", "d",  "cd", "c",  "xc", "l",
                                     "xl", "x",  "ix", "v",  "iv", "i"};
  static const int vals[] = {1000, 900, 500, 400, 100, 90, 50,
                             40,   10,  9,   5,   4,   1};
  char lower[32];
  if (len <= 0 || len >= 32)
    return -1;
  for (int k = 0; k < len; k++) {
    char ch = s[k];
    if (upper)
      ch = (char)(ch - 'A' + 'a');
    lower[k] = ch;
  }
  lower[len] = 0;
  /* Convert, then check that the canonical spelling is what was given. */
  int value = 0, pos = 0;
  for (int k = 0; k < 13 && pos < len; k++) {
    size_t sl = strlen(syms[k]);
    int reps = 0;
    while (pos + (int)sl <= len && memcmp(lower + pos, syms[k], sl) == 0 &&
           reps < 3) {
      value += vals[k];
      pos += (int)sl;
      reps++;
      if (sl == 2 || vals[k] == 5 || vals[k] == 50 || vals[k] == 500)
        break;
    }
  }
  if (pos != len || value <= 0 || value >= 5000)
    return -1;
  return value;
}

static bool S_all_in(const char *s, int len, const char *set) {
  for (int k = 0; k < len; k++)
    if (!strchr(set, s[k]))
      return false;
  return len > 0;
}

/* Parses an enumerator at the start of l; `expected` is the sequence of
 * the list being continued (or -1). */
static bool S_parse_enum(const rst_line *l, int expected, S_enum *e) {
  const char *s = l->text;
  int len = l->len, k = 0, start;
  bool parens = false;
  if (len < 2)
    return false;
  if (s[0] == '(') {
    parens = true;
    k = 1;
  }
  start = k;
  if (k < len && s[k] == '#') {
    k++;
  } else {
    while (k < len && k - start < 30 &&
           ((s[k] >= '0' && s[k] <= '9') || (s[k] >= 'a' && s[k] <= 'z') ||
            (s[k] >= 'A' && s[k] <= 'Z')))
      k++;
  }
  int tlen = k - start;
  if (tlen == 0 || k >= len)
    return false;
  if (parens) {
    if (s[k] != ')')
      return false;
    e->format = S_PARENS;
  } else if (s[k] == ')') {
    e->format = S_RPAREN;
  } else if (s[k] == '.') {
    e->format = S_PERIOD;
  } else {
    return false;
  }
  k++;
  if (k < len && s[k] != ' ')
    return false;
  const char *t = s + start;
  memcpy(e->text, t, (size_t)tlen);
  e->text[tlen] = 0;
  int seq = -1;
  if (tlen == 1 && t[0] == '#')
    seq = S_AUTO;
  else if (expected >= 0 && expected != S_AUTO) {
    bool ok = false;
    switch (expected) {
    case S_ARABIC:
      ok = S_all_in(t, tlen, "0123456789");
      break;
    case S_LOWERALPHA:
      ok = tlen == 1 && t[0] >= 'a' && t[0] <= 'z';
      break;
    case S_UPPERALPHA:
      ok = tlen == 1 && t[0] >= 'A' && t[0] <= 'Z';
      break;
    case S_LOWERROMAN:
      ok = S_all_in(t, tlen, "ivxlcdm");
      break;
    case S_UPPERROMAN:
      ok = S_all_in(t, tlen, "IVXLCDM");
      break;
    }
    if (ok)
      seq = expected;
  }
  if (seq < 0 && tlen == 1 && t[0] == 'i')
    seq = S_LOWERROMAN;
  if (seq < 0 && tlen == 1 && t[0] == 'I')
    seq = S_UPPERROMAN;
  if (seq < 0) {
    if (S_all_in(t, tlen, "0123456789"))
      seq = S_ARABIC;
    else if (tlen == 1 && t[0] >= 'a' && t[0] <= 'z')
      seq = S_LOWERALPHA;
    else if (tlen == 1 && t[0] >= 'A' && t[0] <= 'Z')
      seq = S_UPPERALPHA;
    else if (S_all_in(t, tlen, "ivxlcdm"))
      seq = S_LOWERROMAN;
    else if (S_all_in(t, tlen, "IVXLCDM"))
      seq = S_UPPERROMAN;
    else
      return false;
  }
  e->seq = (S_seq)seq;
  switch (e->seq) {
  case S_AUTO:
    e->ordinal = 1;
    break;
  case S_ARABIC:
    e->ordinal = tlen > 9 ? -1 : atoi(t);
    break;
  case S_LOWERALPHA:
    e->ordinal = t[0] - 'a' + 1;
    break;
  case S_UPPERALPHA:
    e->ordinal = t[0] - 'A' + 1;
    break;
  case S_LOWERROMAN:
    e->ordinal = S_roman_value(t, tlen, false);
    break;
  case S_UPPERROMAN:
    e->ordinal = S_roman_value(t, tlen, true);
    break;
  }
  e->text_col = S_after_marker(l, k);
  return true;
}

/* The enumerator text for `ordinal` in a sequence and format. */
static void S_make_enum(int ordinal, S_seq seq, S_format format, ss_buf *out) {
  ss_buf_clear(out);
  if (format == S_PARENS)
    ss_buf_putc(out, '(');
  switch (seq) {
  case S_AUTO:
    ss_buf_putc(out, '#');
    break;
  case S_ARABIC:
    ss_buf_printf(out, "%d", ordinal);
    break;
  case S_LOWERALPHA:
  case S_UPPERALPHA:
    if (ordinal > 26) {
      ss_buf_clear(out);
      return;
    }
    ss_buf_putc(out, (char)((seq == S_LOWERALPHA ? 'a' : 'A') + ordinal - 1));
    break;
  case S_LOWERROMAN:
  case S_UPPERROMAN: {
    static const char *const syms[] = {"m",  "cm", "d",  "cd", "c",  "xc", "l",
                                       "xl", "x",  "ix", "v",  "iv", "i"};
    static const int vals[] = {1000, 900, 500, 400, 100, 90, 50,
                               40,   10,  9,   5,   4,   1};
    if (ordinal >= 5000) {
      ss_buf_clear(out);
      return;
    }
    for (int k = 0; k < 13; k++)
      while (ordinal >= vals[k]) {
        for (const char *q = syms[k]; *q; q++)
          ss_buf_putc(out, seq == S_UPPERROMAN ? (char)(*q - 'a' + 'A') : *q);
        ordinal -= vals[k];
      }
    break;
  }
  }
  ss_buf_putc(out, format == S_PERIOD ? '.' : ')');
}

/* Docutils accepts an enumerator only when the next line is blank,
 * indented, or the next enumerator: "A. Einstein ..." stays text. */
static bool S_is_enum_item(S_ctx *c, int i, const S_enum *e) {
  if (e->ordinal < 0)
    return false;
  if (i + 1 >= c->n)
    return true;
  const rst_line *next = &c->L[i + 1];
  if (S_blank(next) || next->text[0] == ' ')
    return true;
  ss_buf want = SS_BUF_INIT;
  bool ok = false;
  /* Docutils compares with the enumerator and a space: "2." alone on
   * the next line does not continue the list. */
  S_make_enum(e->ordinal + 1, e->seq, e->format, &want);
  if (want.len) {
    ss_buf_putc(&want, ' ');
    if (S_starts(next, want.data))
      ok = true;
  }
  S_make_enum(0, S_AUTO, e->format, &want);
  ss_buf_putc(&want, ' ');
  if (S_starts(next, want.data))
    ok = true;
  ss_buf_free(&want);
  return ok;
}

static int S_enumerated_list(S_ctx *c, int i) {
  S_enum e;
  if (!S_parse_enum(&c->L[i], -1, &e) || !S_is_enum_item(c, i, &e))
    return -1;
  static const char *const prefixes[] = {"", "(", ""};
  static const char *const suffixes[] = {".", ")", ")"};
  /* No line of its own: its first line, where it is appended. */
  ss_node *list =
      S_add(c, ss_node_new(SS_ENUMERATED_LIST, S_cur(c, c->L[i].lineno)));
  ss_node_attr_set(list, "enumtype", S_seq_names[e.seq]);
  ss_node_attr_set(list, "prefix", prefixes[e.format]);
  ss_node_attr_set(list, "suffix", suffixes[e.format]);
  if (e.ordinal != 1) {
    char num[16];
    snprintf(num, sizeof num, "%d", e.ordinal);
    ss_node_attr_set(list, "start", num);
    S_add(c, rst_report(c->p, SS_LEVEL_INFO, c->L[i].lineno, NULL,
                        "Enumerated list start value not ordinal-1: \"%s\" "
                        "(ordinal %d)",
                        e.text, e.ordinal));
  }
  S_seq listseq = e.seq;
  bool autoseq = e.seq == S_AUTO;
  int last = e.ordinal;
  int end = i;
  bool blank_finish = true;
  for (;;) {
    ss_node_append(list, S_list_item(c, i, e.text_col, &end, &blank_finish));
    i = end;
    while (i < c->n && S_blank(&c->L[i]))
      i++;
    if (i >= c->n || S_indent(&c->L[i]) != 0)
      break;
    S_enum next;
    S_format fmt = e.format;
    if (!S_parse_enum(&c->L[i], listseq == S_AUTO ? S_ARABIC : (int)listseq,
                      &next))
      break;
    if (next.format != fmt ||
        (next.seq != S_AUTO &&
         (next.seq != listseq || autoseq || next.ordinal != last + 1)) ||
        !S_is_enum_item(c, i, &next))
      break;
    if (next.seq == S_AUTO)
      autoseq = true;
    last = next.ordinal;
    e = next;
    end = i;
  }
  if (!blank_finish && end < c->n)
    S_add(c, S_unindent_warning(c, "Enumerated list", c->L[end].lineno));
  return end;
}

/* --- field lists --------------------------------------------------- */

/* Docutils' field marker: ":name:" followed by spaces or the end; the
 * name does not start with a space or colon, does not end with a space,
 * and may hold escaped characters and colons not followed by space/`.
 * Returns the length of the name (between the colons), -1 if none. */
static int S_field_marker(const rst_line *l, int *text_col) {
  const char *s = l->text;
  int len = l->len;
  if (len < 3 || s[0] != ':' || s[1] == ':' || s[1] == ' ')
    return -1;
  for (int k = 1; k < len; k++) {
    if (s[k] == '\\') {
      k++;
      continue;
    }
    if (s[k] != ':')
      continue;
    bool closes = k + 1 == len || s[k + 1] == ' ';
    if (!closes) {
      if (s[k + 1] == '`')
        return -1;
      continue;
    }
    if (s[k - 1] == ' ' || k == 1)
      return -1;
    *text_col = S_after_marker(l, k + 1);
    return k - 1;
  }
  return -1;
}

static int S_field_list(S_ctx *c, int i) {
  int col;
  if (S_field_marker(&c->L[i], &col) < 0)
    return -1;
  /* No line of its own: its first line, where it is appended. */
  ss_node *list =
      S_add(c, ss_node_new(SS_FIELD_LIST, S_cur(c, c->L[i].lineno)));
  int end = i;
  bool blank_finish = true;
  for (;;) {
    int namelen = S_field_marker(&c->L[i], &col);
    ss_node *field =
        ss_node_append(list, ss_node_new(SS_FIELD, c->L[i].lineno));
    ss_node *messages = ss_node_new(SS_DOCUMENT, c->L[i].lineno);
    /* Name and body are made before the field is attached: no line. */
    ss_node *name = S_inline_node(c, SS_FIELD_NAME, c->L[i].text + 1,
                                  (size_t)namelen, c->L[i].lineno, messages);
    name->line = 0;
    ss_node_append(field, name);
    S_block b = S_get_indented(c->L, c->n, i, false, col, -1);
    ss_node *body = ss_node_append(field, ss_node_new(SS_FIELD_BODY, 0));
    S_nested(c, b.lines, b.n, body);
    ss_node_move_children(messages, body);
    ss_node_free(messages);
    end = i = b.end;
    blank_finish = b.blank_finish;
    free(b.lines);
    while (i < c->n && S_blank(&c->L[i]))
      i++;
    if (i >= c->n || S_indent(&c->L[i]) != 0 ||
        S_field_marker(&c->L[i], &col) < 0)
      break;
    end = i;
  }
  if (!blank_finish && end < c->n)
    S_add(c, S_unindent_warning(c, "Field list", c->L[end].lineno));
  return end;
}

/* --- option lists -------------------------------------------------- */

static bool S_optchar(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
         (ch >= '0' && ch <= '9');
}

/* Matches an option argument at s[k]; returns its end or -1. */
static int S_optarg(const char *s, int len, int k) {
  if (k < len && s[k] == '<') {
    int e = k + 1;
    while (e < len && s[e] != '>' && s[e] != '<')
      e++;
    return (e < len && s[e] == '>' && e > k + 1) ? e + 1 : -1;
  }
  if (k < len &&
      ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z'))) {
    int e = k + 1;
    while (e < len && (S_optchar(s[e]) || s[e] == '_' || s[e] == '-'))
      e++;
    return e;
  }
  return -1;
}

/* One option: -a, -a ARG, -aARG? (no), --long, --long=ARG, --long ARG,
 * /V. Fills the option-string and argument spans; returns the end. */
static int S_option(const char *s, int len, int k, int *str_end, int *arg_start,
                    int *arg_end, char *delim) {
  *arg_start = *arg_end = -1;
  *delim = 0;
  if (k + 1 < len && (s[k] == '-' || s[k] == '+') && S_optchar(s[k + 1]) &&
      !(s[k] == '-' && s[k + 1] == '-')) {
    *str_end = k + 2;
    int e = k + 2;
    if (e < len && s[e] == ' ' && S_optarg(s, len, e + 1) > 0) {
      *delim = ' ';
      *arg_start = e + 1;
      *arg_end = S_optarg(s, len, e + 1);
      return *arg_end;
    }
    if (e < len && S_optarg(s, len, e) > 0 && s[e] != ' ') {
      *arg_start = e;
      *arg_end = S_optarg(s, len, e);
      return *arg_end;
    }
    return e;
  }
  int p = k;
  if (k + 2 < len && s[k] == '-' && s[k + 1] == '-')
    p = k + 2;
  else if (k + 1 < len && s[k] == '/')
    p = k + 1;
  else
    return -1;
  if (p >= len || !S_optchar(s[p]))
    return -1;
  int e = p + 1;
  while (e < len && (S_optchar(s[e]) || s[e] == '_' || s[e] == '-'))
    e++;
  *str_end = e;
  if (e < len && (s[e] == '=' || s[e] == ' ') && S_optarg(s, len, e + 1) > 0) {
    *delim = s[e];
    *arg_start = e + 1;
    *arg_end = S_optarg(s, len, e + 1);
    return *arg_end;
  }
  return e;
}

/* Returns the column where the description starts (or len when on the
 * next lines), -1 when the line is not an option list item. */
static int S_option_marker(const rst_line *l) {
  const char *s = l->text;
  int len = l->len, k = 0;
  for (;;) {
    int se, as, ae;
    char d;
    int e = S_option(s, len, k, &se, &as, &ae, &d);
    if (e < 0)
      return -1;
    k = e;
    if (k + 1 < len && s[k] == ',' && s[k + 1] == ' ') {
      k += 2;
      continue;
    }
    break;
  }
  if (k == len)
    return len;
  if (k + 1 == len && s[k] == ' ')
    return len;
  if (k + 1 < len && s[k] == ' ' && s[k + 1] == ' ')
    return S_after_marker(l, k);
  return -1;
}

static void S_option_group(const rst_line *l, int upto, ss_node *group) {
  const char *s = l->text;
  int k = 0;
  while (k < upto) {
    int se, as, ae;
    char d;
    int e = S_option(s, l->len, k, &se, &as, &ae, &d);
    if (e < 0)
      break;
    ss_node *opt = ss_node_append(group, ss_node_new(SS_OPTION, 0));
    ss_node *str = ss_node_append(opt, ss_node_new(SS_OPTION_STRING, 0));
    ss_node_append(str, ss_text_new(s + k, (size_t)(se - k), l->lineno));
    if (as >= 0) {
      ss_node *arg = ss_node_append(opt, ss_node_new(SS_OPTION_ARGUMENT, 0));
      char delim[2] = {d ? d : ' ', 0};
      if (d)
        ss_node_attr_set(arg, "delimiter", delim);
      else
        ss_node_attr_set(arg, "delimiter", "");
      ss_node_append(arg, ss_text_new(s + as, (size_t)(ae - as), l->lineno));
    }
    k = e;
    if (k + 1 < l->len && s[k] == ',' && s[k + 1] == ' ')
      k += 2;
    else
      break;
  }
}

/* Docutils takes an option marker for an option list item only when a
 * description follows it (on its line or indented below); a marker
 * alone ("-1", "/v1") is text (its TransitionCorrection('text')). */
static bool S_option_item(S_ctx *c, int i) {
  int col = S_option_marker(&c->L[i]);
  if (col < 0)
    return false;
  if (col < c->L[i].len)
    return true;
  S_block b = S_get_indented(c->L, c->n, i, false, col, -1);
  bool described = false;
  for (int k = 0; k < b.n && !described; k++)
    described = !S_blank(&b.lines[k]);
  free(b.lines);
  return described;
}

static int S_option_list(S_ctx *c, int i) {
  if (!S_option_item(c, i))
    return -1;
  ss_node *list = S_add(c, ss_node_new(SS_OPTION_LIST, c->L[i].lineno));
  int end = i;
  bool blank_finish = true;
  for (;;) {
    int col = S_option_marker(&c->L[i]);
    /* Docutils appends the item after parsing its description: no line;
     * what is inside was made before it was attached: none either. */
    ss_node *item = ss_node_append(list, ss_node_new(SS_OPTION_LIST_ITEM, 0));
    ss_node *group = ss_node_append(item, ss_node_new(SS_OPTION_GROUP, 0));
    S_option_group(&c->L[i], col, group);
    S_block b = S_get_indented(c->L, c->n, i, false, col, -1);
    ss_node *desc = ss_node_append(item, ss_node_new(SS_DESCRIPTION, 0));
    S_nested(c, b.lines, b.n, desc);
    item->line = S_cur(c, c->p->parse_end);
    end = i = b.end;
    blank_finish = b.blank_finish;
    free(b.lines);
    while (i < c->n && S_blank(&c->L[i]))
      i++;
    if (i >= c->n || S_indent(&c->L[i]) != 0 || !S_option_item(c, i))
      break;
    end = i;
  }
  if (!blank_finish && end < c->n)
    S_add(c, S_unindent_warning(c, "Option list", c->L[end].lineno));
  return end;
}

/* --- doctest blocks and line blocks -------------------------------- */

static int S_doctest(S_ctx *c, int i) {
  const rst_line *l = &c->L[i];
  if (!(S_starts(l, ">>>") && (l->len == 3 || l->text[3] == ' ')))
    return -1;
  int j = i;
  while (j < c->n && !S_blank(&c->L[j]))
    j++;
  ss_buf data = SS_BUF_INIT;
  S_join(c->L + i, j - i, &data);
  /* Appended once get_text_block has read it: at its last line. */
  ss_node *d =
      S_add(c, ss_node_new(SS_DOCTEST_BLOCK, S_cur(c, c->L[j - 1].lineno)));
  ss_node_append(d, ss_text_new(data.data, data.len, l->lineno));
  ss_buf_free(&data);
  return j;
}

/* Nests lines of a line block by indentation, as Docutils does: runs of
 * lines indented more than the least go into a nested line_block. Uses
 * an explicit stack instead of recursion. The blocks nested in `block`
 * itself get `line` (Docutils puts them in once the whole block is
 * read); deeper ones are made before they are attached: no line. */
void rst_nest_line_block(ss_node *block, const rst_lbline *items, int n,
                         int line) {
  typedef struct {
    ss_node *block;
    int least;
  } frame;
  frame stack[RST_MAX_DEPTH];
  int top = 0;
  int least = items[0].indent;
  for (int k = 1; k < n; k++)
    if (items[k].indent < least)
      least = items[k].indent;
  stack[0] = (frame){block, least};
  for (int k = 0; k < n; k++) {
    int ind = items[k].indent;
    while (top > 0 && ind <= stack[top - 1].least && ind < stack[top].least)
      top--;
    while (top > 0 && ind < stack[top].least)
      top--;
    if (ind > stack[top].least && top + 1 < RST_MAX_DEPTH) {
      ss_node *nested = ss_node_append(
          stack[top].block, ss_node_new(SS_LINE_BLOCK, top ? 0 : line));
      /* The nested block's least indent: the smallest indent of the run
       * of lines deeper than the current level. */
      int run_least = ind;
      for (int r = k; r < n && items[r].indent > stack[top].least; r++)
        if (items[r].indent < run_least)
          run_least = items[r].indent;
      stack[++top] = (frame){nested, run_least};
      k--; /* place this line again at the new level */
      continue;
    }
    ss_node_append(stack[top].block, items[k].node);
  }
}

static int S_line_block(S_ctx *c, int i) {
  const rst_line *l = &c->L[i];
  if (!(l->len >= 1 && l->text[0] == '|' && (l->len == 1 || l->text[1] == ' ')))
    return -1;
  /* Each line starts with "|" and takes the indented lines after it;
   * any other line ends the block (a blank one as it should). */
  int j = i;
  while (j < c->n && !S_blank(&c->L[j]) &&
         (c->L[j].text[0] == ' ' || c->L[j].text[0] == '|'))
    j++;
  rst_lbline *items = ss_xmalloc(sizeof *items * (size_t)(j - i));
  int count = 0;
  /* No line of its own: its first line, where it is appended. */
  ss_node *block = S_add(c, ss_node_new(SS_LINE_BLOCK, S_cur(c, l->lineno)));
  ss_node *messages = ss_node_new(SS_DOCUMENT, l->lineno);
  for (int k = i; k < j;) {
    const rst_line *x = &c->L[k];
    if (!(x->text[0] == '|' && (x->len == 1 || x->text[1] == ' '))) {
      j = k; /* "|x": not a line of this block */
      break;
    }
    int col = 1;
    while (col < x->len && x->text[col] == ' ')
      col++;
    /* The continuation lines lose their common indentation (Docutils'
     * get_first_known_indented), keeping what is deeper. */
    S_block b = S_get_indented(c->L, j, k, true, col, -1);
    int e = b.end;
    ss_buf text = SS_BUF_INIT;
    S_join(b.lines, b.n, &text);
    free(b.lines);
    /* Appended once its continuation lines are read: at the last. */
    ss_node *line = ss_node_new(SS_LINE, S_cur(c, c->L[e - 1].lineno));
    if (text.len)
      rst_parse_inline(c->p, text.data, text.len, x->lineno, line, messages);
    items[count].node = line;
    /* Empty lines take the previous line's indentation. */
    items[count].indent =
        col < x->len ? col - 2 : (count ? items[count - 1].indent : 0);
    count++;
    ss_buf_free(&text);
    k = e;
  }
  /* After its first line Docutils reads the others with a nested state
   * machine (when no blank line follows the first), and nests the lines
   * once it is back at the last line of the block, or past the end of
   * the body when the block ends it. */
  c->list_parse = count > 1 || (j < c->n && !S_blank(&c->L[j]));
  if (count)
    rst_nest_line_block(block, items, count,
                        S_cur(c, j < c->n ? c->L[j - 1].lineno : RST_NO_LINE));
  free(items);
  S_flush_messages(c, messages);
  ss_node_free(messages);
  if (j < c->n && !S_blank(&c->L[j]))
    S_add(c, rst_report(c->p, SS_LEVEL_WARNING, l->lineno + 1, NULL,
                        "Line block ends without a blank line."));
  return j;
}

/* --- tables -------------------------------------------------------- */

static bool S_grid_top(const rst_line *l) {
  if (l->len < 4 || l->text[0] != '+' || l->text[1] != '-' ||
      l->text[l->len - 1] != '+' || l->text[l->len - 2] != '-')
    return false;
  for (int k = 0; k < l->len; k++)
    if (l->text[k] != '-' && l->text[k] != '+')
      return false;
  return true;
}

static bool S_simple_border(const rst_line *l) {
  if (l->len < 1 || l->text[0] != '=')
    return false;
  for (int k = 0; k < l->len; k++)
    if (l->text[k] != '=' && l->text[k] != ' ')
      return false;
  return true;
}

static bool S_simple_top(const rst_line *l) {
  if (!S_simple_border(l))
    return false;
  for (int k = 0; k < l->len; k++)
    if (l->text[k] == ' ')
      return true;
  return false;
}

/* Tables are isolated from what follows by tables.c, with Docutils'
 * quirks (where a table ends without a blank line, where a malformed one
 * resumes); it appends the table or the errors. */
/* A table is built before it is appended: only the table itself can
 * take the state machine's line (tables.c), when its container is in the
 * document. */
static void S_table_line(S_ctx *c, ss_node *before) {
  ss_node *in = S_container(c);
  for (ss_node *x = before ? before->next : in->first; x; x = x->next)
    if (x->kind == SS_TABLE && !c->attached)
      x->line = 0;
}

static int S_grid_table(S_ctx *c, int i) {
  if (!S_grid_top(&c->L[i]))
    return -1;
  ss_node *before = S_container(c)->last;
  int n = rst_read_grid_table(c->p, c->L + i, c->n - i, S_container(c));
  S_table_line(c, before);
  return i + n;
}

static int S_simple_table(S_ctx *c, int i) {
  if (!S_simple_top(&c->L[i]))
    return -1;
  ss_node *before = S_container(c)->last;
  int n = rst_read_simple_table(c->p, c->L + i, c->n - i, S_container(c));
  S_table_line(c, before);
  return i + n;
}

/* --- explicit markup ----------------------------------------------- */

static int S_comment(S_ctx *c, int i, const rst_line *l);

/* Docutils' target pattern on s[k..len), the text after ".. _": a
 * name, backquoted or not, whose last character is neither whitespace
 * nor an escaping backslash, with no unescaped colon just before the
 * end, then one optional space, the colon, and whitespace or the end of
 * the text. The name is the shortest that fits. Sets the name's span
 * [*name_start, *name_end); returns the index of the colon, or -1. */
static int S_target_name_end(const char *s, int len, int k, int *name_start,
                             int *name_end) {
  if (k >= len || s[k] == ' ' || s[k] == '_')
    return -1;
  bool quoted = s[k] == '`';
  int start = quoted ? k + 1 : k;
  if (start >= len || s[start] == ' ' || s[start] == '`')
    return -1;
  /* esc[p]: s[p] is a backslash that escapes the character after it. */
  bool *esc = ss_xmalloc((size_t)len + 1);
  memset(esc, 0, (size_t)len + 1);
  for (int p = k; p < len; p++)
    if (s[p] == '\\') {
      esc[p] = true;
      p++;
    }
  int result = -1;
  for (int e = start + 1; e <= len && result < 0; e++) {
    if (s[e - 1] == ' ' || esc[e - 1])
      continue;
    int q = e;
    if (quoted) {
      if (e >= len || s[e] != '`')
        continue;
      q = e + 1;
    } else if (s[q - 1] == ':' && !(q - 2 >= k && esc[q - 2])) {
      continue; /* "name::" */
    }
    int r = q < len && s[q] == ' ' ? q + 1 : q;
    if (r < len && s[r] == ':' && (r + 1 == len || s[r + 1] == ' ')) {
      *name_start = start;
      *name_end = e;
      result = r;
    }
  }
  free(esc);
  return result;
}

/* Length of the simple reference name (Docutils' simplename:
 * alphanumerics with isolated - . _ + : between them) starting s, 0
 * when none. */
static size_t S_simplename_len(const char *s, size_t len) {
  size_t k = 0, end = 0;
  bool word = false; /* the last character was alphanumeric */
  while (k < len) {
    int32_t cp;
    size_t w = ss_utf8_decode(s + k, len - k, &cp);
    if (ss_uc_is_alnum(cp)) {
      word = true;
      k += w;
      end = k;
    } else if (word && (cp == '-' || cp == '.' || cp == '_' || cp == '+' ||
                        cp == ':')) {
      word = false;
      k += w;
    } else {
      break;
    }
  }
  return end;
}

/* Is the character at s[k] a backslash that escapes the next one? */
static bool S_escaping(const char *s, size_t k) {
  size_t run = 0;
  while (run <= k && s[k - run] == '\\')
    run++;
  return run % 2 == 1;
}

/* Docutils' is_reference on text already whitespace-normalised: "name_"
 * with a simple name, or "`phrase`_" whose phrase neither starts with a
 * space nor ends with whitespace or an escape. Sets the name,
 * unescaped. */
static bool S_is_reference(const char *s, size_t len, ss_buf *name) {
  if (len < 2 || s[len - 1] != '_')
    return false;
  if (s[0] == '`') {
    if (len < 4 || s[len - 2] != '`' || s[1] == ' ' || s[len - 3] == ' ' ||
        S_escaping(s, len - 3))
      return false;
    rst_unescape(s + 1, len - 3, name);
    return true;
  }
  if (S_simplename_len(s, len - 1) != len - 1)
    return false;
  rst_unescape(s, len - 1, name);
  return true;
}

bool rst_parse_target(const char *text, size_t len, ss_buf *name, ss_buf *uri) {
  /* A reference when the last line ends with "_": the lines stripped
   * and joined, whitespace collapsed (Python's split(): Unicode spaces
   * too). */
  size_t last = len;
  while (last && (text[last - 1] == ' ' || text[last - 1] == '\n'))
    last--;
  if (last && text[last - 1] == '_') {
    ss_buf ref = SS_BUF_INIT;
    for (size_t k = 0; k < last;) {
      int w = rst_space_len(text + k, last - k);
      if (!w)
        ss_buf_putc(&ref, text[k++]);
      else if ((k += (size_t)w) && ref.len && ref.data[ref.len - 1] != ' ')
        ss_buf_putc(&ref, ' ');
    }
    while (ref.len && ref.data[ref.len - 1] == ' ')
      ref.len--;
    bool is_ref = S_is_reference(ref.data ? ref.data : "", ref.len, name);
    ss_buf_free(&ref);
    if (is_ref)
      return true;
  }
  /* A URI: the lines joined by spaces; whitespace goes, except an
   * escaped space or line end, which is one space; backslashes escape
   * what follows (split_escaped_whitespace, unescape, split). */
  for (size_t k = 0; k < len;) {
    bool escaped = text[k] == '\\';
    if (escaped && ++k >= len)
      break;
    if (escaped && (text[k] == ' ' || text[k] == '\n')) {
      ss_buf_putc(uri, ' ');
      k++;
      continue;
    }
    int w = rst_space_len(text + k, len - k);
    if (w)
      k += (size_t)w;
    else
      ss_buf_putc(uri, text[k++]);
  }
  return false;
}

static bool S_looks_like_email(const char *s) {
  const char *at = strchr(s, '@');
  return at && at != s && strchr(at, '.') && !strchr(s, ':') &&
         !strchr(s, ' ') && !strchr(s, '/');
}

/* Builds a hyperlink target from its block (the text after the colon). */
static void S_make_target(S_ctx *c, const char *name, size_t namelen,
                          bool anonymous, const rst_line *lines, int n,
                          int lineno) {
  ss_node *target = S_add(c, ss_node_new(SS_TARGET, lineno));
  ss_buf ref = SS_BUF_INIT, refname = SS_BUF_INIT;
  ss_buf joined = SS_BUF_INIT;
  for (int k = 0; k < n; k++) {
    if (k)
      ss_buf_putc(&joined, '\n');
    ss_buf_put(&joined, lines[k].text, (size_t)lines[k].len);
  }
  if (rst_parse_target(joined.data ? joined.data : "", joined.len, &refname,
                       &ref)) {
    ss_buf norm = SS_BUF_INIT;
    rst_normalize_name(refname.data, refname.len, &norm);
    ss_node_attr_set(target, "refname", norm.data ? norm.data : "");
    ss_buf_free(&norm);
  }
  if (!anonymous) {
    ss_buf unesc = SS_BUF_INIT, norm = SS_BUF_INIT;
    rst_unescape(name, namelen, &unesc);
    rst_normalize_name(unesc.data ? unesc.data : "", unesc.len, &norm);
    ss_node_attr_add(target, "names", norm.data ? norm.data : "");
    ss_buf_free(&unesc);
    ss_buf_free(&norm);
  }
  if (ref.len) {
    /* Docutils' adjust_uri, for named targets only. */
    if (!anonymous && S_looks_like_email(ref.data)) {
      ss_buf mail = SS_BUF_INIT;
      ss_buf_printf(&mail, "mailto:%s", ref.data);
      ss_node_attr_set(target, "refuri", mail.data);
      ss_buf_free(&mail);
    } else {
      ss_node_attr_set(target, "refuri", ref.data);
    }
  }
  if (anonymous)
    ss_node_attr_set(target, "anonymous", "1");
  ss_buf_free(&ref);
  ss_buf_free(&refname);
  ss_buf_free(&joined);
}

/* Index after ".." and the spaces that follow it. */
static int S_explicit_start(const rst_line *l) {
  int k = 2;
  while (k < l->len && l->text[k] == ' ')
    k++;
  return k;
}

static int S_footnote_or_citation(S_ctx *c, int i, const rst_line *l) {
  /* ".. [label] body" */
  const char *s = l->text;
  int k = 3;
  while (k < l->len && s[k] == ' ')
    k++;
  if (k >= l->len || s[k] != '[')
    return -1;
  int e = k + 1;
  while (e < l->len && s[e] != ']')
    e++;
  if (e >= l->len || e == k + 1 || (e + 1 < l->len && s[e + 1] != ' '))
    return -1;
  const char *label = s + k + 1;
  int labellen = e - k - 1;
  enum { NONE, NUMBER, AUTO, SYMBOL, CITATION } kind = NONE;
  bool digits = true;
  for (int q = 0; q < labellen; q++)
    if (label[q] < '0' || label[q] > '9')
      digits = false;
  if (digits)
    kind = NUMBER;
  else if (labellen == 1 && label[0] == '*')
    kind = SYMBOL;
  else if (label[0] == '#')
    kind = AUTO;
  else {
    /* Citation labels are simple reference names. */
    kind = CITATION;
    for (int q = 0; q < labellen; q++) {
      char ch = label[q];
      if (!(S_optchar(ch) || ch == '-' || ch == '_' || ch == '.' || ch == ':' ||
            ch == '+' || (unsigned char)ch >= 0x80))
        kind = NONE;
    }
    if (!S_optchar(label[0]) && (unsigned char)label[0] < 0x80)
      kind = NONE;
  }
  if (kind == NONE)
    return -1;
  int col = S_after_marker(l, e + 1);
  S_block b = S_get_indented(c->L, c->n, i, false, col, -1);
  ss_node *note = S_add(
      c, ss_node_new(kind == CITATION ? SS_CITATION : SS_FOOTNOTE, l->lineno));
  ss_buf norm = SS_BUF_INIT;
  switch (kind) {
  case AUTO:
    ss_node_attr_set(note, "auto", "1");
    if (labellen > 1) {
      rst_normalize_name(label + 1, (size_t)labellen - 1, &norm);
      ss_node_attr_add(note, "names", norm.data);
    }
    break;
  case SYMBOL:
    ss_node_attr_set(note, "auto", "*");
    break;
  default: {
    /* Made with the footnote, before it is attached: no line. */
    ss_node *lab = ss_node_append(note, ss_node_new(SS_LABEL, 0));
    ss_node_append(lab, ss_text_new(label, (size_t)labellen, l->lineno));
    rst_normalize_name(label, (size_t)labellen, &norm);
    ss_node_attr_add(note, "names", norm.data);
    break;
  }
  }
  ss_buf_free(&norm);
  S_nested(c, b.lines, b.n, note);
  free(b.lines);
  return b.end;
}

/* ".. _name: block". The name may go on over the following lines (they
 * are searched joined, as Docutils does); no name found makes a comment
 * and a warning. The block ends at a blank line. */
static int S_hyperlink_target(S_ctx *c, int i, const rst_line *l) {
  int m = S_explicit_start(l);
  if (!(m + 1 < l->len && l->text[m] == '_'))
    return -1;
  S_block b = S_get_indented(c->L, c->n, i, true, m, -1);
  ss_buf joined = SS_BUF_INIT;
  int *starts = ss_xmalloc(sizeof(int) * (size_t)(b.n + 1));
  for (int q = 0; q < b.n; q++) {
    starts[q] = (int)joined.len;
    const rst_line *src = q == 0 ? &b.lines[0] : &c->L[i + q];
    ss_buf_put(&joined, src->text, (size_t)src->len);
  }
  starts[b.n] = (int)joined.len;
  const char *s = joined.data;
  int len = (int)joined.len;
  bool anonymous = false;
  int colon = -1, name_start = 1, name_end = 1;
  if (len >= 2 && s[1] == '_') {
    /* ".. __: uri" (or ".. __ : uri"): anonymous. */
    anonymous = true;
    int r = len > 2 && s[2] == ' ' ? 3 : 2;
    if (r < len && s[r] == ':' && (r + 1 == len || s[r + 1] == ' '))
      colon = r;
  } else {
    colon = S_target_name_end(s, len, 1, &name_start, &name_end);
  }
  if (colon < 0) {
    ss_buf_free(&joined);
    free(starts);
    free(b.lines);
    int end = S_comment(c, i, l);
    S_add(c, rst_report(c->p, SS_LEVEL_WARNING, l->lineno, NULL,
                        "malformed hyperlink target."));
    return end;
  }
  /* The line holding the colon; the target's block starts after it. */
  int li = 0;
  while (li + 1 < b.n && starts[li + 1] <= colon)
    li++;
  int off = colon + 1 - starts[li];
  rst_line *rest = b.lines + li;
  if (li > 0) /* b.lines are dedented; c->L are not */
    off -= (c->L[i + li].len - b.lines[li].len);
  rest[0] = S_cut(&rest[0], off < 0 ? 0 : off);
  S_make_target(c, s + name_start, (size_t)(name_end - name_start), anonymous,
                rest, b.n - li, l->lineno);
  ss_buf_free(&joined);
  free(starts);
  free(b.lines);
  return b.end;
}

/* ".. |name| directive:: ..." */
static int S_substitution_definition(S_ctx *c, int i, const rst_line *l) {
  const char *s = l->text;
  int m = S_explicit_start(l);
  if (!(l->len > m + 1 && s[m] == '|' && s[m + 1] != ' '))
    return -1;
  int e = m + 1;
  while (e < l->len && !(s[e] == '|' && s[e - 1] != ' ' && s[e - 1] != '\\' &&
                         (e + 1 == l->len || s[e + 1] == ' ')))
    e++;
  if (e >= l->len)
    return -1;
  ss_buf name = SS_BUF_INIT;
  rst_unescape(s + m + 1, (size_t)(e - m - 1), &name);
  /* Whitespace-normalised, not lower-cased (Docutils'
   * whitespace_normalize_name). */
  ss_buf norm = SS_BUF_INIT;
  bool space = false;
  for (size_t q = 0; q < name.len; q++) {
    char ch = name.data[q];
    if (ch == ' ' || ch == '\n' || ch == '\t') {
      space = norm.len > 0;
      continue;
    }
    if (space)
      ss_buf_putc(&norm, ' ');
    space = false;
    ss_buf_putc(&norm, ch);
  }
  int col = S_after_marker(l, e + 1);
  S_block b = S_get_indented(c->L, c->n, i, false, col, -1);
  ss_node *def = ss_node_new(SS_SUBSTITUTION_DEFINITION, l->lineno);
  ss_node_attr_add(def, "names", norm.data ? norm.data : "");
  /* The rest is a directive: "name:: data". */
  ss_node *holder = ss_node_new(SS_DOCUMENT, l->lineno);
  bool has_content = false;
  for (int q = 0; q < b.n; q++)
    if (!S_blank(&b.lines[q]))
      has_content = true;
  if (b.n > 0) {
    const rst_line *d = &b.lines[0];
    int q = 0;
    while (q < d->len &&
           (S_optchar(d->text[q]) || d->text[q] == '-' || d->text[q] == '_' ||
            d->text[q] == '.' || d->text[q] == ':' || d->text[q] == '+'))
      q++;
    while (q > 0 && d->text[q - 1] == ':')
      q--;
    if (q > 0 && q + 1 < d->len + 1 && q + 2 <= d->len && d->text[q] == ':' &&
        d->text[q + 1] == ':' && (q + 2 == d->len || d->text[q + 2] == ' ')) {
      char *dname = ss_xstrndup(d->text, (size_t)q);
      for (char *z = dname; *z; z++)
        if (*z >= 'A' && *z <= 'Z')
          *z = (char)(*z - 'A' + 'a');
      rst_directive_block(c->p, dname, b.lines, b.n, q + 2, l->lineno, holder,
                          true);
      free(dname);
    }
  }
  /* What the directive marked the definition with (unicode's trims). */
  static const char *const marks[] = {"ltrim", "rtrim"};
  for (size_t k = 0; k < sizeof marks / sizeof *marks; k++)
    if (ss_node_attr_get(holder, marks[k]))
      ss_node_attr_set(def, marks[k], "1");
  /* Docutils' order: the directive's block-level output and messages
   * come first, then the definition with the inline content, which must
   * not be empty. */
  ss_buf src = SS_BUF_INIT;
  S_join(c->L + i, b.end - i, &src);
  /* Docutils' rawsource: the circular-definition error quotes it. */
  ss_node_attr_set(def, "ss-rawsource", src.data ? src.data : "");
  if (!has_content) {
    S_add(c, rst_report(c->p, SS_LEVEL_WARNING, l->lineno, src.data,
                        "Substitution definition \"%s\" missing contents.",
                        norm.data ? norm.data : ""));
    ss_node_free(def);
  } else {
    for (ss_node *x = holder->first; x;) {
      ss_node *next = x->next;
      if (x->kind == SS_PARAGRAPH) /* replace:: gives a paragraph's text */
        ss_node_move_children(x, def);
      else if (x->kind == SS_TEXT || ss_kind_is_inline(x->kind) ||
               x->kind == SS_IMAGE)
        ss_node_append(def, ss_node_unlink(x));
      else
        S_add(c, ss_node_unlink(x));
      x = next;
    }
    /* The definition's name is the preset `alt` of an image in it. */
    ss_iter it;
    ss_iter_init(&it, def);
    ss_event ev;
    while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE)
      if (ev == SS_EVENT_ENTER && it.node->kind == SS_IMAGE &&
          !ss_node_attr_get(it.node, "alt"))
        ss_node_attr_set(it.node, "alt", norm.data ? norm.data : "");
    if (!def->first) {
      S_add(c, rst_report(c->p, SS_LEVEL_WARNING, l->lineno, src.data,
                          "Substitution definition \"%s\" empty or invalid.",
                          norm.data ? norm.data : ""));
      ss_node_free(def);
    } else {
      S_add(c, def);
    }
  }
  ss_buf_free(&src);
  ss_node_free(holder);
  ss_buf_free(&name);
  ss_buf_free(&norm);
  free(b.lines);
  return b.end;
}

static int S_directive(S_ctx *c, int i, const rst_line *l) {
  const char *s = l->text;
  int k = 3;
  while (k < l->len && s[k] == ' ')
    k++;
  int start = k;
  while (k < l->len &&
         (S_optchar(s[k]) || ((s[k] == '-' || s[k] == '_' || s[k] == '.' ||
                               s[k] == ':' || s[k] == '+') &&
                              k + 1 < l->len && S_optchar(s[k + 1]))))
    k++;
  int name_end = k;
  /* Docutils' directive pattern allows one space before the "::"
   * (".. note ::"). */
  if (k > start && k + 2 < l->len && s[k] == ' ' && s[k + 1] == ':')
    k++;
  if (k == start || k + 2 > l->len || s[k] != ':' || s[k + 1] != ':' ||
      (k + 2 < l->len && s[k + 2] != ' '))
    return -1;
  char *name = ss_xstrndup(s + start, (size_t)(name_end - start));
  for (char *z = name; *z; z++)
    if (*z >= 'A' && *z <= 'Z')
      *z = (char)(*z - 'A' + 'a');
  S_block b = S_get_indented(c->L, c->n, i, false, k + 2, -1);
  ss_node *holder = ss_node_new(SS_DOCUMENT, l->lineno);
  /* The block given to the directive: its first line is the text after
   * "::"; the rest is dedented. */
  c->p->directive_container = S_container(c);
  c->p->directive_sections = c->sections;
  c->p->directive_attached = c->attached;
  rst_directive_block(c->p, name, b.lines, b.n, 0, l->lineno, holder, false);
  /* Sections from an include at section level must nest properly, so
   * the directive can also append to p->section_cur itself; plain
   * results land here. */
  ss_node_move_children(holder, S_container(c));
  ss_node_free(holder);
  free(name);
  free(b.lines);
  return b.end;
}

/* A comment is appended where the state machine stands once it has read
 * the comment's block: its last line, blank lines included (an empty
 * comment is not read further than its marker). */
static int S_comment(S_ctx *c, int i, const rst_line *l) {
  int col = S_after_marker(l, 2);
  if (col >= l->len && (i + 1 >= c->n || S_blank(&c->L[i + 1]))) {
    S_add(c, ss_node_new(SS_COMMENT, S_cur(c, l->lineno)));
    return i + 1;
  }
  S_block b = S_get_indented(c->L, c->n, i, false, col, -1);
  S_trim_blank_edges(&b, NULL);
  ss_buf data = SS_BUF_INIT;
  S_join(b.lines, b.n, &data);
  ss_node *com =
      S_add(c, ss_node_new(SS_COMMENT, S_cur(c, c->L[b.end - 1].lineno)));
  if (data.len)
    ss_node_append(com, ss_text_new(data.data, data.len, l->lineno));
  ss_buf_free(&data);
  free(b.lines);
  return b.end;
}

static int S_explicit(S_ctx *c, int i) {
  const rst_line *l = &c->L[i];
  if (!(S_starts(l, "..") && (l->len == 2 || l->text[2] == ' ')))
    return -1;
  int end = -1;
  if (l->len > 3) {
    end = S_footnote_or_citation(c, i, l);
    if (end < 0)
      end = S_hyperlink_target(c, i, l);
    if (end < 0)
      end = S_substitution_definition(c, i, l);
    if (end < 0)
      end = S_directive(c, i, l);
  }
  if (end < 0)
    end = S_comment(c, i, l);
  /* Explicit markup ends at a blank line; an unindented line right
   * after is reported like Docutils does. */
  const rst_line *after = end < c->n ? &c->L[end] : NULL;
  bool explicit_next =
      after &&
      ((S_starts(after, "..") && (after->len == 2 || after->text[2] == ' ')) ||
       (S_starts(after, "__") && (after->len == 2 || after->text[2] == ' ')));
  if (after && end > i && !S_blank(&c->L[end - 1]) && !S_blank(after) &&
      S_indent(after) == 0 && !explicit_next)
    S_add(c, S_unindent_warning(c, "Explicit markup", c->L[end].lineno));
  return end;
}

/* "__ uri": an anonymous target. */
static int S_anonymous(S_ctx *c, int i) {
  const rst_line *l = &c->L[i];
  if (!(S_starts(l, "__") && (l->len == 2 || l->text[2] == ' ')))
    return -1;
  int col = S_after_marker(l, 2);
  S_block b = S_get_indented(c->L, c->n, i, false, col, -1);
  S_make_target(c, "", 0, true, b.lines, b.n, l->lineno);
  free(b.lines);
  return b.end;
}

/* --- the body loop ------------------------------------------------- */

/* Does a line start a construct other than text? Inside a list, such a
 * line ends the list (Docutils' SpecializedBody), whatever follows. */
static bool S_starts_other_construct(const rst_line *l) {
  S_enum e;
  int col;
  return S_bullet(l) || S_parse_enum(l, -1, &e) ||
         S_field_marker(l, &col) >= 0 || S_option_marker(l) >= 0 ||
         (S_starts(l, ">>>") && (l->len == 3 || l->text[3] == ' ')) ||
         (l->text[0] == '|' && (l->len == 1 || l->text[1] == ' ')) ||
         S_grid_top(l) || S_simple_top(l) ||
         (S_starts(l, "..") && (l->len == 2 || l->text[2] == ' ')) ||
         (S_starts(l, "__") && (l->len == 2 || l->text[2] == ' ')) ||
         S_is_adornment(l);
}

static int S_body_element(S_ctx *c, int i) {
  const rst_line *l = &c->L[i];
  if (S_indent(l) > 0)
    return S_block_quote(c, i);
  int end;
  c->list_parse = true;
  if ((end = S_bullet_list(c, i)) >= 0)
    return end;
  if ((end = S_enumerated_list(c, i)) >= 0)
    return end;
  if ((end = S_field_list(c, i)) >= 0)
    return end;
  if ((end = S_option_list(c, i)) >= 0)
    return end;
  c->list_parse = false;
  if ((end = S_doctest(c, i)) >= 0)
    return end;
  if ((end = S_line_block(c, i)) >= 0)
    return end;
  if ((end = S_grid_table(c, i)) >= 0)
    return end;
  if ((end = S_simple_table(c, i)) >= 0)
    return end;
  c->list_parse = true;
  if ((end = S_explicit(c, i)) >= 0)
    return end;
  if ((end = S_anonymous(c, i)) >= 0)
    return end;
  c->list_parse = false;
  if (S_is_adornment(l) && (end = S_line(c, i)) >= 0)
    return end;
  return S_text(c, i);
}

/* Whether Docutils' container for a body is in its document while the
 * body is parsed, so that what is appended takes the state machine's
 * line (Node.setup_child does so only then). The document and sections
 * are; block quotes, list items, definitions, field bodies, option
 * descriptions, footnotes, citations, table entries and directives'
 * nodes are built first and attached after their body is parsed; but
 * Sphinx gives some directives' nodes the document at once (desc, only,
 * versionmodified, hlist's: `node.document = self.state.document`). */
static bool S_attached(const rst_parser *p, const ss_node *parent) {
  for (const ss_node *x = parent; x; x = x->parent) {
    if (x == p->document)
      return true;
    switch (x->kind) {
    case SS_DESC:
    case SS_ONLY:
    case SS_VERSIONMODIFIED:
    case SS_HLIST:
      return true;
    case SS_BLOCK_QUOTE:
    case SS_LIST_ITEM:
    case SS_DEFINITION:
    case SS_FIELD_BODY:
    case SS_DESCRIPTION:
    case SS_FOOTNOTE:
    case SS_CITATION:
    case SS_ENTRY:
      return false;
    default:
      break;
    }
  }
  return false;
}

void rst_parse_body(rst_parser *p, const rst_line *lines, int n,
                    ss_node *parent) {
  S_ctx c = {p, lines, n, parent, false, S_attached(p, parent), false};
  p->body_parses++;
  /* Section titles are allowed where the parent is the current section
   * container (the document or a section being read). */
  ss_node *saved_section = p->section_cur;
  if ((parent->kind == SS_DOCUMENT || parent->kind == SS_SECTION) &&
      parent == p->section_cur)
    c.sections = true;
  if (p->depth >= RST_MAX_DEPTH) {
    ss_buf text = SS_BUF_INIT;
    S_join(lines, n, &text);
    ss_node_append(parent,
                   rst_report(p, SS_LEVEL_ERROR, n ? lines[0].lineno : 0, NULL,
                              "Nesting deeper than %d levels; the "
                              "rest is kept as a literal block.",
                              RST_MAX_DEPTH));
    ss_node *lit = ss_node_append(
        parent, ss_node_new(SS_LITERAL_BLOCK, n ? lines[0].lineno : 0));
    ss_node_append_text(lit, text.data ? text.data : "", text.len, 0);
    ss_buf_free(&text);
    return;
  }
  p->depth++;
  int i = 0;
  bool bare = n == 0;
  while (i < n) {
    if (S_blank(&lines[i])) {
      i++;
      continue;
    }
    c.list_parse = false;
    int next = S_body_element(&c, i);
    bare = next >= n && c.list_parse;
    i = next > i ? next : i + 1;
  }
  p->depth--;
  p->parse_end = bare ? 0 : RST_NO_LINE;
  if (!c.sections)
    p->section_cur = saved_section;
}
