/* xml.c — the tree as Docutils XML, written with libxml2's xmlwriter
 * (which owns all escaping). libxml2 is loaded on first use
 * (util/xmllib.h): only this command needs it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/xmllib.h"
#include "tree.h"

/* Elements whose text is kept exactly, as Docutils marks them (its
 * FixedTextElement kinds; Sphinx's manpage is one). */
static bool S_preserves_space(ss_kind kind) {
  return kind == SS_LITERAL_BLOCK || kind == SS_DOCTEST_BLOCK ||
         kind == SS_COMMENT || kind == SS_RAW || kind == SS_MATH_BLOCK ||
         kind == SS_MANPAGE;
}

/* Docutils indents the children of an element unless it is a text
 * element (paragraph, title, inline markup, ...): there, added
 * whitespace would change the content. */
static bool S_is_block_container(const ss_node *n) {
  if (S_preserves_space(n->kind) || ss_kind_is_inline(n->kind))
    return false;
  switch (n->kind) {
  case SS_PARAGRAPH:
  case SS_TITLE:
  case SS_SUBTITLE:
  case SS_RUBRIC:
  case SS_TERM:
  case SS_CLASSIFIER:
  case SS_FIELD_NAME:
  case SS_ATTRIBUTION:
  case SS_LABEL:
  case SS_CAPTION:
  case SS_LINE:
  case SS_OPTION_STRING:
  case SS_OPTION_ARGUMENT:
  case SS_TARGET:
  case SS_SUBSTITUTION_DEFINITION:
  case SS_COMPACT_PARAGRAPH:
  case SS_DESC_NAME:
  case SS_DESC_ADDNAME:
  case SS_DESC_PARAMETER:
  case SS_DESC_SIGNATURE:
  case SS_DESC_PARAMETERLIST:
  case SS_DESC_ANNOTATION:
  case SS_DESC_OPTIONAL:
  case SS_DESC_RETURNS:
  case SS_DESC_SIG_SPACE:
  case SS_DESC_SIG_NAME:
  case SS_DESC_SIG_OPERATOR:
  case SS_DESC_SIG_PUNCTUATION:
  case SS_DESC_SIG_KEYWORD:
  case SS_DESC_SIG_LITERAL_NUMBER:
  case SS_DESC_SIG_LITERAL_STRING:
  case SS_CENTERED:
    return false;
  default:
    return true;
  }
}

/* One list attribute: items joined by spaces, spaces and backslashes
 * inside an item escaped with a backslash (Docutils' serial form). */
static void S_join_list(const ss_node *n, const char *name, ss_buf *out) {
  bool first = true;
  for (const ss_attr *a = ss_node_attr_next(n, name, NULL); a;
       a = ss_node_attr_next(n, name, a)) {
    if (!first)
      ss_buf_putc(out, ' ');
    first = false;
    for (const char *p = a->value; *p; p++) {
      if (*p == ' ' || *p == '\\')
        ss_buf_putc(out, '\\');
      ss_buf_putc(out, *p);
    }
  }
}

static const char *S_xml_safe(const char *s, ss_buf *scratch);

static int S_by_name(const void *a, const void *b) {
  return strcmp((*(const ss_attr *const *)a)->name,
                (*(const ss_attr *const *)b)->name);
}

/* Whether a name is among the first `count` attributes kept: few names,
 * where looking a list's first item up from the start walks past every
 * item before it (20,000 ids before the first name). */
static bool S_taken(const ss_attr *const *order, size_t count,
                    const char *name) {
  for (size_t i = 0; i < count; i++)
    if (strcmp(order[i]->name, name) == 0)
      return true;
  return false;
}

/* Whether an attribute name may be written as one: an ASCII XML Name.
 * The names are the reader's, but meta takes its attributes from the
 * spec (":desc/i=ption: d" names one "desc/i"), which Docutils writes
 * as they are, and the XML would then not parse. */
static bool S_xml_name(const char *name) {
  const unsigned char *p = (const unsigned char *)name;
  if (!(isalpha(*p) || *p == '_' || *p == ':'))
    return false;
  for (p++; *p; p++)
    if (!(isalnum(*p) || *p == '_' || *p == ':' || *p == '-' || *p == '.'))
      return false;
  return true;
}

/* Attributes in name order, as Docutils writes them; a list attribute
 * once, at its first item; specsite's own ("ss-...") not at all, nor one
 * whose name is not an XML name. */
static void S_write_attrs(const ss_xmllib *x, xmlTextWriterPtr w,
                          const ss_node *n) {
  ss_buf joined = SS_BUF_INIT, scratch = SS_BUF_INIT;
  const ss_attr *small[16];
  const ss_attr **order = small;
  size_t count = 0, cap = 16;
  for (const ss_attr *a = n->attrs; a; a = a->next) {
    if ((ss_attr_is_list(a->name) && S_taken(order, count, a->name)) ||
        strncmp(a->name, "ss-", 3) == 0 || !S_xml_name(a->name))
      continue;
    if (count == cap) {
      cap *= 2;
      const ss_attr **bigger = ss_xmalloc(cap * sizeof *bigger);
      memcpy(bigger, order, count * sizeof *order);
      if (order != small)
        free(order);
      order = bigger;
    }
    order[count++] = a;
  }
  qsort(order, count, sizeof *order, S_by_name);
  for (size_t i = 0; i < count; i++) {
    const ss_attr *a = order[i];
    const char *value = a->value;
    if (ss_attr_is_list(a->name)) {
      ss_buf_clear(&joined);
      S_join_list(n, a->name, &joined);
      value = joined.data ? joined.data : "";
    }
    x->xmlTextWriterWriteAttribute(w, BAD_CAST a->name,
                                   BAD_CAST S_xml_safe(value, &scratch));
  }
  if (order != small)
    free(order);
  if (S_preserves_space(n->kind))
    x->xmlTextWriterWriteAttribute(w, BAD_CAST "xml:space",
                                   BAD_CAST "preserve");
  ss_buf_free(&joined);
  ss_buf_free(&scratch);
}

static void S_indent(const ss_xmllib *x, xmlTextWriterPtr w, int depth) {
  char pad[1 + 4 * 64 + 1];
  int spaces = depth > 64 ? 256 : depth * 4;
  pad[0] = '\n';
  memset(pad + 1, ' ', (size_t)spaces);
  pad[1 + spaces] = '\0';
  x->xmlTextWriterWriteString(w, BAD_CAST pad);
}

/* XML 1.0 cannot carry C0 controls (but tab, newline, carriage
 * return), U+FFFE or U+FFFF. The reader already replaced NULs and
 * invalid UTF-8; whatever else a tree holds (a filter may put anything
 * there) is dropped here, so the output always parses. Returns `s` when
 * it is clean, else a cleaned copy kept in `scratch`. */
static const char *S_xml_safe(const char *s, ss_buf *scratch) {
  const unsigned char *u = (const unsigned char *)s;
  size_t k = 0;
  for (; u[k]; k++) {
    if ((u[k] < 0x20 && u[k] != '\t' && u[k] != '\n' && u[k] != '\r') ||
        (u[k] == 0xEF && u[k + 1] == 0xBF &&
         (u[k + 2] == 0xBE || u[k + 2] == 0xBF)))
      break;
  }
  if (!u[k])
    return s;
  ss_buf_clear(scratch);
  ss_buf_put(scratch, s, k);
  for (; u[k]; k++) {
    if (u[k] < 0x20 && u[k] != '\t' && u[k] != '\n' && u[k] != '\r')
      continue;
    if (u[k] == 0xEF && u[k + 1] == 0xBF &&
        (u[k + 2] == 0xBE || u[k + 2] == 0xBF)) {
      k += 2;
      continue;
    }
    ss_buf_putc(scratch, (char)u[k]);
  }
  return scratch->data ? scratch->data : "";
}

static void S_write_text(const ss_xmllib *x, xmlTextWriterPtr w,
                         const ss_node *t, ss_buf *scratch) {
  x->xmlTextWriterWriteString(w, BAD_CAST S_xml_safe(t->text, scratch));
}

/* xmlwriter output goes straight into the caller's buffer: linear,
 * whatever the size of the document. */
static int S_sink(void *ctx, const char *data, int len) {
  ss_buf_put((ss_buf *)ctx, data, (size_t)len);
  return len;
}

bool ss_tree_write_xml(const ss_node *root, ss_buf *out) {
  const ss_xmllib *x = ss_xmllib_load();
  if (!x)
    return false; /* the caller reports ss_xmllib_error() */
  xmlOutputBufferPtr sink = x->xmlOutputBufferCreateIO(S_sink, NULL, out, NULL);
  xmlTextWriterPtr w = x->xmlNewTextWriter(sink);
  if (!w) {
    fputs("specsite: out of memory\n", stderr);
    abort(); /* as ss_xmalloc does */
  }
  ss_buf scratch = SS_BUF_INIT;
  x->xmlTextWriterStartDocument(w, "1.0", "utf-8", NULL);
  x->xmlTextWriterWriteDTD(
      w, BAD_CAST "document",
      BAD_CAST "+//IDN docutils.sourceforge.net//DTD Docutils Generic//EN//XML",
      BAD_CAST "http://docutils.sourceforge.net/docs/ref/docutils.dtd", NULL);
  x->xmlTextWriterWriteString(w, BAD_CAST "\n");
  x->xmlTextWriterWriteComment(w, BAD_CAST " Generated by specsite ");
  x->xmlTextWriterWriteString(w, BAD_CAST "\n");

  ss_iter it;
  ss_iter_init(&it, (ss_node *)root);
  ss_event ev;
  int depth = -1; /* of the current element below root */
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    const ss_node *n = it.node;
    const ss_node *parent = n == root ? NULL : n->parent;
    bool indented = parent && S_is_block_container(parent);
    if (n->kind == SS_TEXT) {
      if (ev == SS_EVENT_ENTER)
        S_write_text(x, w, n, &scratch);
      continue;
    }
    if (ev == SS_EVENT_ENTER) {
      depth++;
      if (indented)
        S_indent(x, w, depth);
      x->xmlTextWriterStartElement(w, BAD_CAST ss_kind_name(n->kind));
      S_write_attrs(x, w, n);
    } else {
      if (n->first && S_is_block_container(n))
        S_indent(x, w, depth);
      depth--;
      /* Full end tags keep empty elements readable as Docutils writes
       * them only for text elements; xmlwriter decides the short form. */
      x->xmlTextWriterEndElement(w);
    }
  }
  x->xmlTextWriterEndDocument(w);
  x->xmlFreeTextWriter(w); /* flushes and frees the sink */
  ss_buf_free(&scratch);
  return true;
}
