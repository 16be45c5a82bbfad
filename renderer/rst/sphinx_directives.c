/* sphinx_directives.c — the directives Sphinx (and sphinx.ext.todo) adds
 * to Docutils' set, building Sphinx's nodes: toctree, versionadded /
 * versionchanged / deprecated, todo, only, centered, hlist, math,
 * glossary, the author directives and tabularcolumns.
 *
 * The toctree is left as Sphinx's reader leaves it (a `toctree` node in
 * a `compound` wrapper): resolving it into a list of links needs the
 * whole site, which is the site stage's business.
 */
#include <stdlib.h>
#include <string.h>

#include "directives.h"

/* --- toctree ------------------------------------------------------- */

/* Python's repr of a string, single-quoted. */
static void S_repr(const char *s, size_t len, ss_buf *out) {
  ss_buf_putc(out, '\'');
  for (size_t k = 0; k < len; k++) {
    if (s[k] == '\'' || s[k] == '\\')
      ss_buf_putc(out, '\\');
    ss_buf_putc(out, s[k]);
  }
  ss_buf_putc(out, '\'');
}

static bool S_is_url(const char *s, size_t len) {
  size_t k = 0;
  while (k < len &&
         ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
          (s[k] >= '0' && s[k] <= '9') || s[k] == '+' || s[k] == '-' ||
          s[k] == '.'))
    k++;
  return k > 0 && k + 2 < len && s[k] == ':' && s[k + 1] == '/' &&
         s[k + 2] == '/';
}

/* One entry: "doc", "Title <doc>", "self" or a URL. Appends
 * "(title, ref)" to entries and, for documents, ref to includefiles. */
static void S_toc_entry(const char *s, size_t len, ss_buf *entries,
                        ss_buf *files, bool glob) {
  const char *title = NULL, *ref = s;
  size_t tlen = 0, rlen = len;
  if (len > 2 && s[len - 1] == '>') {
    const char *lt = NULL;
    for (size_t k = len - 1; k > 0; k--)
      if (s[k - 1] == '<') {
        lt = s + k - 1;
        break;
      }
    if (lt && lt > s && (lt[-1] == ' ' || lt[-1] == '\n')) {
      title = s;
      tlen = (size_t)(lt - s);
      while (tlen && (title[tlen - 1] == ' ' || title[tlen - 1] == '\n'))
        tlen--;
      ref = lt + 1;
      rlen = (size_t)(s + len - 1 - ref);
    }
  }
  bool url = S_is_url(ref, rlen);
  bool self = rlen == 4 && memcmp(ref, "self", 4) == 0;
  /* Documents are named without their source suffix. */
  if (!url && !self && rlen > 4 && memcmp(ref + rlen - 4, ".rst", 4) == 0)
    rlen -= 4;
  if (glob && !title && !url && !self &&
      (memchr(ref, '*', rlen) || memchr(ref, '?', rlen) ||
       memchr(ref, '[', rlen)))
    return; /* a pattern: its matches are known to the site only */
  if (entries->len > 1)
    ss_buf_puts(entries, ", ");
  ss_buf_putc(entries, '(');
  if (title)
    S_repr(title, tlen, entries);
  else
    ss_buf_puts(entries, "None");
  ss_buf_puts(entries, ", ");
  S_repr(ref, rlen, entries);
  ss_buf_putc(entries, ')');
  if (!url && !self) {
    if (files->len > 1)
      ss_buf_puts(files, ", ");
    S_repr(ref, rlen, files);
  }
}

static void S_run_toctree(rst_parser *p, const rst_dspec *spec,
                          const rst_directive *d, ss_node *parent) {
  (void)p, (void)spec;
  /* The toctree has the directive's line (set_source_info); the wrapper
   * takes the state machine's when it is appended. */
  ss_node *wrap =
      ss_node_append(parent, ss_node_new(SS_COMPOUND, RST_ATTACH_LINE));
  ss_node_attr_add(wrap, "classes", "toctree-wrapper");
  rst_dir_add_classes(wrap, rst_dir_option(d, "class"));
  rst_dir_add_name(wrap, d);
  ss_node *toc = ss_node_append(wrap, ss_node_new(SS_TOCTREE, d->lineno));
  bool glob = rst_dir_option(d, "glob") != NULL;
  ss_buf entries = SS_BUF_INIT, files = SS_BUF_INIT, raw = SS_BUF_INIT;
  ss_buf_putc(&entries, '[');
  ss_buf_putc(&files, '[');
  ss_buf_putc(&raw, '[');
  for (int i = 0; i < d->ncontent; i++) {
    const rst_line *l = &d->content[i];
    int b = 0, e = l->len;
    while (b < e && l->text[b] == ' ')
      b++;
    if (b == e)
      continue;
    if (glob) {
      if (raw.len > 1)
        ss_buf_puts(&raw, ", ");
      S_repr(l->text + b, (size_t)(e - b), &raw);
    }
    S_toc_entry(l->text + b, (size_t)(e - b), &entries, &files, glob);
  }
  ss_buf_putc(&entries, ']');
  ss_buf_putc(&files, ']');
  ss_buf_putc(&raw, ']');
  const char *caption = rst_dir_option(d, "caption");
  if (caption)
    ss_node_attr_set(toc, "caption", caption);
  ss_node_attr_set(toc, "entries", entries.data);
  ss_node_attr_set(toc, "glob", glob ? "True" : "False");
  ss_node_attr_set(toc, "hidden",
                   rst_dir_option(d, "hidden") ? "True" : "False");
  ss_node_attr_set(toc, "includefiles", files.data);
  ss_node_attr_set(toc, "includehidden",
                   rst_dir_option(d, "includehidden") ? "True" : "False");
  const char *maxdepth = rst_dir_option(d, "maxdepth");
  ss_node_attr_set(toc, "maxdepth", maxdepth && *maxdepth ? maxdepth : "-1");
  const char *numbered = rst_dir_option(d, "numbered");
  /* :numbered: alone means all levels: Sphinx stores 999. */
  ss_node_attr_set(toc, "numbered",
                   !numbered   ? "0"
                   : *numbered ? numbered
                               : "999");
  if (glob)
    ss_node_attr_set(toc, "rawentries", raw.data);
  ss_node_attr_set(toc, "titlesonly",
                   rst_dir_option(d, "titlesonly") ? "True" : "False");
  /* Sphinx reverses its entries (the site does, once globs are known);
   * the node keeps no attribute for it, so this one is specsite's own,
   * dropped from the XML as Sphinx has none. */
  if (rst_dir_option(d, "reversed"))
    ss_node_attr_set(toc, "ss-reversed", "True");
  ss_buf_free(&entries);
  ss_buf_free(&files);
  ss_buf_free(&raw);
}

/* --- versionadded, versionchanged, deprecated ------------------------ */

static void S_run_version(rst_parser *p, const rst_dspec *spec,
                          const rst_directive *d, ss_node *parent) {
  ss_node *node =
      ss_node_append(parent, ss_node_new(SS_VERSIONMODIFIED, d->lineno));
  /* The version is the first word; the rest of the line is text. */
  const char *a = d->args;
  size_t vlen = 0;
  while (a[vlen] && a[vlen] != ' ')
    vlen++;
  char *version = ss_xstrndup(a, vlen);
  const char *rest = a + vlen;
  while (*rest == ' ')
    rest++;
  ss_node_attr_set(node, "type", d->name);
  ss_node_attr_set(node, "version", version);
  ss_node *messages = ss_node_new(SS_DOCUMENT, d->lineno);
  if (*rest) {
    ss_node *para = ss_node_append(node, ss_node_new(SS_PARAGRAPH, d->lineno));
    ss_node_attr_set(para, "translatable", "False");
    /* Sphinx reads it at the line after the directive's. */
    rst_dir_inline(p, rest, d->lineno + 1, para, messages);
  }
  rst_dir_content(p, d, node);
  /* What Sphinx puts in next goes into a node in the document (its
   * node.document is set): it takes the state machine's line, past the
   * content when there is some, else the block's last. */
  int cur = d->ncontent ? p->parse_end : d->block[d->nblock - 1].lineno;
  ss_buf label = SS_BUF_INIT;
  ss_buf_printf(&label, "%s %s", spec->klass, version);
  const char *cls = strcmp(d->name, "versionadded") == 0     ? "added"
                    : strcmp(d->name, "versionchanged") == 0 ? "changed"
                                                             : "deprecated";
  ss_node *in = ss_node_new(SS_INLINE, cur);
  ss_node_attr_add(in, "classes", "versionmodified");
  ss_node_attr_add(in, "classes", cls);
  if (node->first) {
    ss_buf_puts(&label, ": ");
    /* Sphinx replaces a first paragraph by a new one (the old one's
     * content in an inline of its line, which is not in our tree). */
    if (node->first->kind == SS_PARAGRAPH) {
      ss_node_attr_set(node->first, "translatable", "False");
      node->first->line = cur;
    }
    ss_node_prepend(node->first, in);
  } else {
    ss_buf_putc(&label, '.');
    in->line = 0;
    ss_node *para = ss_node_append(node, ss_node_new(SS_PARAGRAPH, cur));
    ss_node_attr_set(para, "translatable", "False");
    ss_node_append(para, in);
  }
  ss_node_append(in, ss_text_new(label.data, label.len, d->lineno));
  ss_node_move_children(messages, parent);
  ss_node_free(messages);
  ss_buf_free(&label);
  free(version);
}

/* --- todo ---------------------------------------------------------- */

static void S_run_todo(rst_parser *p, const rst_dspec *spec,
                       const rst_directive *d, ss_node *parent) {
  (void)spec;
  if (rst_dir_need_content(p, d, parent))
    return;
  ss_node *node = ss_node_append(parent, ss_node_new(SS_TODO_NODE, d->lineno));
  ss_node_attr_add(node, "classes", "admonition-todo");
  rst_dir_add_classes(node, rst_dir_option(d, "class"));
  rst_dir_add_name(node, d);
  /* The title has none: Sphinx gives it the todo's. */
  ss_node *title = ss_node_append(node, ss_node_new(SS_TITLE, 0));
  ss_node_append(title, ss_text_new("Todo", 4, d->lineno));
  rst_dir_content(p, d, node);
}

/* --- only, centered, hlist ----------------------------------------- */

static void S_run_only(rst_parser *p, const rst_dspec *spec,
                       const rst_directive *d, ss_node *parent) {
  (void)spec;
  ss_node *node = ss_node_append(parent, ss_node_new(SS_ONLY, d->lineno));
  ss_node_attr_set(node, "expr", d->args);
  rst_dir_content(p, d, node);
}

static void S_run_centered(rst_parser *p, const rst_dspec *spec,
                           const rst_directive *d, ss_node *parent) {
  (void)spec;
  if (!*d->args)
    return;
  ss_node *node =
      ss_node_append(parent, ss_node_new(SS_CENTERED, RST_ATTACH_LINE));
  rst_dir_inline(p, d->args, d->lineno, node, parent);
}

static void S_run_hlist(rst_parser *p, const rst_dspec *spec,
                        const rst_directive *d, ss_node *parent) {
  (void)spec;
  const char *cols = rst_dir_option(d, "columns");
  int ncols = cols ? atoi(cols) : 2;
  if (ncols < 1 || ncols > 1000) {
    rst_dir_error(p, d, parent,
                  "invalid option value: (option: "
                  "\"columns\"); positive integer expected.");
    return;
  }
  /* Sphinx parses the content into a node in the document (its
   * node.document is set): an hlist here, for the reader's S_attached. */
  ss_node *body = ss_node_new(SS_HLIST, 0);
  rst_dir_content(p, d, body);
  ss_node *list = body->first;
  if (!list || list->kind != SS_BULLET_LIST || list->next) {
    ss_node_free(body);
    rst_dir_error(p, d, parent, ".. hlist content is not a list");
    return;
  }
  ss_node *hl = ss_node_append(parent, ss_node_new(SS_HLIST, RST_ATTACH_LINE));
  char buf[16];
  snprintf(buf, sizeof buf, "%d", ncols);
  rst_dir_add_classes(hl, rst_dir_option(d, "class"));
  ss_node_attr_set(hl, "ncolumns", buf);
  int n = 0;
  for (ss_node *c = list->first; c; c = c->next)
    n++;
  /* Items in order, the first (n % ncols) columns one longer. */
  int per = n / ncols, more = n % ncols;
  for (int c = 0; c < ncols; c++) {
    ss_node *col = ss_node_append(hl, ss_node_new(SS_HLISTCOL, 0));
    ss_node *bl = ss_node_append(col, ss_node_new(SS_BULLET_LIST, 0));
    for (int k = per + (c < more); k > 0 && list->first; k--)
      ss_node_append(bl, ss_node_unlink(list->first));
  }
  ss_node_free(body);
}

/* --- math ---------------------------------------------------------- */

static void S_run_math(rst_parser *p, const rst_dspec *spec,
                       const rst_directive *d, ss_node *parent) {
  (void)p, (void)spec;
  ss_buf latex = SS_BUF_INIT;
  if (*d->args) {
    ss_buf_puts(&latex, d->args_raw ? d->args_raw : d->args);
    ss_buf_puts(&latex, "\n\n");
  }
  rst_dir_join(d->content, d->ncontent, &latex);
  const char *label = rst_dir_option(d, "label");
  if (!label)
    label = rst_dir_option(d, "name");
  ss_node *math = ss_node_new(SS_MATH_BLOCK, d->lineno);
  rst_dir_add_classes(math, rst_dir_option(d, "class"));
  if (label && *label) {
    ss_buf id = SS_BUF_INIT;
    ss_buf_printf(&id, "equation-%s", label);
    ss_node *target =
        ss_node_append(parent, ss_node_new(SS_TARGET, RST_ATTACH_LINE));
    ss_node_attr_set(target, "refid", id.data);
    ss_node_attr_add(math, "ids", id.data);
    ss_node_attr_set(math, "label", label);
    ss_buf_free(&id);
  }
  ss_node_attr_set(math, "nowrap",
                   rst_dir_option(d, "nowrap") ? "True" : "False");
  ss_node_append(
      math, ss_text_new(latex.data ? latex.data : "", latex.len, d->lineno));
  ss_node_append(parent, math);
  ss_buf_free(&latex);
}

/* --- glossary ------------------------------------------------------ */

/* Entries are separated by blank lines: the unindented lines are terms,
 * the indented ones after them the definition. */
static void S_run_glossary(rst_parser *p, const rst_dspec *spec,
                           const rst_directive *d, ss_node *parent) {
  (void)spec;
  /* The glossary takes the state machine's line when it is appended; the
   * list and its items none. Sphinx gives a term (and its index) the
   * 0-based offset of its line, which reads as the line before, and
   * reads its markup there. */
  ss_node *gl =
      ss_node_append(parent, ss_node_new(SS_GLOSSARY, RST_ATTACH_LINE));
  ss_node_attr_set(gl, "sorted",
                   rst_dir_option(d, "sorted") ? "True" : "False");
  ss_node *dl = ss_node_append(gl, ss_node_new(SS_DEFINITION_LIST, 0));
  ss_node_attr_add(dl, "classes", "glossary");
  rst_dir_add_classes(dl, rst_dir_option(d, "class"));
  const rst_line *c = d->content;
  int n = d->ncontent, i = 0;
  while (i < n) {
    while (i < n && !c[i].len)
      i++;
    if (i >= n)
      break;
    ss_node *item = ss_node_append(dl, ss_node_new(SS_DEFINITION_LIST_ITEM, 0));
    while (i < n && c[i].len && c[i].text[0] != ' ') {
      ss_node *term =
          ss_node_append(item, ss_node_new(SS_TERM, c[i].lineno - 1));
      char *text = ss_xstrndup(c[i].text, (size_t)c[i].len);
      rst_dir_inline(p, text, c[i].lineno - 1, term, parent);
      free(text);
      /* make_glossary_term: the id made of the term's text, case kept
       * ("term-Foo-Bar"; "term-N" when taken or empty), and its main
       * index entry. */
      ss_buf termtext = SS_BUF_INIT, id = SS_BUF_INIT;
      ss_node_text_content(term, &termtext);
      rst_sphinx_id(p, "term", termtext.data ? termtext.data : "", &id);
      ss_node_attr_add(term, "ids", id.data);
      ss_node *index = ss_node_append(term, rst_index_new(c[i].lineno - 1));
      rst_index_add(index, "single", termtext.data ? termtext.data : "",
                    id.data, "main", NULL);
      ss_buf_free(&termtext);
      ss_buf_free(&id);
      i++;
    }
    int b = i;
    while (i < n && (!c[i].len || c[i].text[0] == ' '))
      i++;
    int e = i;
    while (e > b && !c[e - 1].len)
      e--;
    ss_node *def = ss_node_append(item, ss_node_new(SS_DEFINITION, 0));
    if (e > b) {
      /* The definition's common indentation goes. */
      int ind = 1 << 30;
      for (int k = b; k < e; k++) {
        int s = 0;
        while (s < c[k].len && c[k].text[s] == ' ')
          s++;
        if (s < c[k].len && s < ind)
          ind = s;
      }
      rst_line *lines = ss_xmalloc(sizeof *lines * (size_t)(e - b));
      for (int k = b; k < e; k++) {
        lines[k - b] = c[k];
        int cut = c[k].len < ind ? c[k].len : ind;
        lines[k - b].text += cut;
        lines[k - b].len -= cut;
      }
      rst_parse_body(p, lines, e - b, def);
      free(lines);
    }
  }
}

/* --- sectionauthor, moduleauthor, codeauthor, tabularcolumns ------------- */

/* Sphinx's Author: nothing unless show_authors, which is off by
 * default (specsite reads no conf.py into the reader). */
static void S_run_author(rst_parser *p, const rst_dspec *spec,
                         const rst_directive *d, ss_node *parent) {
  (void)p, (void)spec, (void)d, (void)parent;
}

/* Sphinx's TabularColumns: the LaTeX column spec, kept for the LaTeX
 * writer, at the directive's line. */
static void S_run_tabularcolumns(rst_parser *p, const rst_dspec *spec,
                                 const rst_directive *d, ss_node *parent) {
  (void)p, (void)spec;
  ss_node *node =
      ss_node_append(parent, ss_node_new(SS_TABULAR_COL_SPEC, d->lineno));
  ss_node_attr_set(node, "spec", d->args);
}

/* Docutils' target-notes: footnotes for the external targets, made by a
 * transform once every target is known; the reader leaves it pending. */
static void S_run_target_notes(rst_parser *p, const rst_dspec *spec,
                               const rst_directive *d, ss_node *parent) {
  (void)p, (void)spec;
  ss_node *pending =
      ss_node_append(parent, ss_node_new(SS_PENDING, RST_ATTACH_LINE));
  ss_node_attr_set(pending, "transform", "target-notes");
  rst_dir_add_classes(pending, rst_dir_option(d, "class"));
}

const rst_dspec rst_sphinx_dspecs[] = {
    {"target-notes", 0, 0, false, true, false, S_run_target_notes, SS_PENDING,
     NULL},
    {"toctree", 0, 0, false, true, true, S_run_toctree, SS_TOCTREE, NULL},
    {"versionadded", 1, 1, true, false, true, S_run_version, SS_VERSIONMODIFIED,
     "New in version"},
    {"versionchanged", 1, 1, true, false, true, S_run_version,
     SS_VERSIONMODIFIED, "Changed in version"},
    {"deprecated", 1, 1, true, false, true, S_run_version, SS_VERSIONMODIFIED,
     "Deprecated since version"},
    {"todo", 0, 0, false, true, true, S_run_todo, SS_TODO_NODE, NULL},
    {"only", 1, 0, true, false, true, S_run_only, SS_ONLY, NULL},
    {"centered", 0, 1, true, false, false, S_run_centered, SS_CENTERED, NULL},
    {"hlist", 0, 0, false, true, true, S_run_hlist, SS_HLIST, NULL},
    {"math", 0, 1, true, true, true, S_run_math, SS_MATH_BLOCK, NULL},
    {"glossary", 0, 0, false, true, true, S_run_glossary, SS_GLOSSARY, NULL},
    {"sectionauthor", 1, 0, true, false, false, S_run_author, SS_PARAGRAPH,
     NULL},
    {"moduleauthor", 1, 0, true, false, false, S_run_author, SS_PARAGRAPH,
     NULL},
    {"codeauthor", 1, 0, true, false, false, S_run_author, SS_PARAGRAPH, NULL},
    {"tabularcolumns", 1, 0, true, false, false, S_run_tabularcolumns,
     SS_TABULAR_COL_SPEC, NULL},
    {NULL, 0, 0, false, false, false, NULL, SS_TEXT, NULL},
};
