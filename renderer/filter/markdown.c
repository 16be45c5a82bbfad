/* markdown.c — specsite.read(text, "markdown"): CommonMark through
 * libcmark, its tree turned into ours with the kinds the rst reader
 * uses, so filters and the writer need no second vocabulary.
 *
 * Headings at the top level open sections (a deeper level nests, an
 * equal or higher one closes), the way a document's titles do; a heading
 * inside a list or quote has no section to open and becomes a rubric.
 * Raw HTML is dropped: filters are for specs, not for smuggling markup.
 * Both walks are flat (cmark's iterator, then parent pointers). */
#include <cmark.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../transforms/transforms.h"
#include "internal.h"

#define S_MAX_LEVEL 6

typedef struct {
  ss_node *root;
  ss_node *sections[S_MAX_LEVEL + 1]; /* open section per heading level */
  ss_node *cur;                       /* where content goes */
  ss_node *image;                     /* collecting an image's alt text */
  cmark_node *image_c;                /* ... for this cmark image */
  ss_buf alt;
} S_md;

/* The innermost open section, or the root. */
static ss_node *S_top(S_md *md) {
  for (int l = S_MAX_LEVEL; l >= 1; l--)
    if (md->sections[l])
      return md->sections[l];
  return md->root;
}

static ss_node *S_open(S_md *md, ss_kind kind, cmark_node *c) {
  ss_node *n = ss_node_new(kind, cmark_node_get_start_line(c));
  ss_node_append(md->cur, n);
  md->cur = n;
  return n;
}

static void S_open_section(S_md *md, cmark_node *c) {
  int level = cmark_node_get_heading_level(c);
  if (level < 1 || level > S_MAX_LEVEL)
    level = S_MAX_LEVEL;
  for (int l = level; l <= S_MAX_LEVEL; l++)
    md->sections[l] = NULL;
  ss_node *parent = S_top(md);
  ss_node *section = ss_node_new(SS_SECTION, cmark_node_get_start_line(c));
  ss_node_append(parent, section);
  md->sections[level] = section;
  md->cur = section;
  S_open(md, SS_TITLE, c);
}

/* The section's ids and names from its finished title. */
static void S_name_section(ss_node *section) {
  ss_buf text = SS_BUF_INIT, id = SS_BUF_INIT;
  ss_node_text_content(section->first, &text);
  for (size_t i = 0; i < text.len; i++)
    text.data[i] = (char)tolower((unsigned char)text.data[i]);
  ss_make_id(text.data ? text.data : "", &id);
  if (id.len)
    ss_node_attr_add(section, "ids", id.data);
  if (text.len)
    ss_node_attr_add(section, "names", text.data);
  ss_buf_free(&text);
  ss_buf_free(&id);
}

static void S_leaf(S_md *md, cmark_node *c) {
  const char *lit = cmark_node_get_literal(c);
  int line = cmark_node_get_start_line(c);
  switch (cmark_node_get_type(c)) {
  case CMARK_NODE_TEXT:
  case CMARK_NODE_CODE:
    if (md->image) {
      ss_buf_puts(&md->alt, lit ? lit : "");
    } else if (cmark_node_get_type(c) == CMARK_NODE_CODE) {
      ss_node *n = ss_node_append(md->cur, ss_node_new(SS_LITERAL, line));
      ss_node_append_text(n, lit ? lit : "", lit ? strlen(lit) : 0, line);
    } else {
      ss_node_append_text(md->cur, lit ? lit : "", lit ? strlen(lit) : 0, line);
    }
    break;
  case CMARK_NODE_SOFTBREAK:
  case CMARK_NODE_LINEBREAK:
    if (md->image)
      ss_buf_putc(&md->alt, ' ');
    else
      ss_node_append_text(md->cur, "\n", 1, line);
    break;
  case CMARK_NODE_CODE_BLOCK: {
    ss_node *n = ss_node_new(SS_LITERAL_BLOCK, line);
    ss_node_append(md->cur, n);
    const char *info = cmark_node_get_fence_info(c);
    size_t ilen = info ? strcspn(info, " \t") : 0;
    if (ilen) {
      char *lang = ss_xstrndup(info, ilen);
      ss_node_attr_set(n, "language", lang);
      free(lang);
    }
    size_t len = lit ? strlen(lit) : 0;
    if (len && lit[len - 1] == '\n')
      len--;
    ss_node_append(n, ss_text_new(lit ? lit : "", len, line));
    break;
  }
  case CMARK_NODE_THEMATIC_BREAK:
    ss_node_append(md->cur, ss_node_new(SS_TRANSITION, line));
    break;
  default: /* raw HTML, custom nodes: dropped */
    break;
  }
}

static void S_enter(S_md *md, cmark_node *c) {
  cmark_node *parent = cmark_node_parent(c);
  bool top = parent && cmark_node_get_type(parent) == CMARK_NODE_DOCUMENT;
  /* Inside an image everything is alt text: no nodes. */
  if (md->image) {
    S_leaf(md, c);
    return;
  }
  if (top)
    md->cur = S_top(md);
  switch (cmark_node_get_type(c)) {
  case CMARK_NODE_DOCUMENT:
    break;
  case CMARK_NODE_BLOCK_QUOTE:
    S_open(md, SS_BLOCK_QUOTE, c);
    break;
  case CMARK_NODE_LIST: {
    bool ordered = cmark_node_get_list_type(c) == CMARK_ORDERED_LIST;
    ss_node *n = S_open(md, ordered ? SS_ENUMERATED_LIST : SS_BULLET_LIST, c);
    if (!ordered) {
      ss_node_attr_set(n, "bullet", "*");
      break;
    }
    ss_node_attr_set(n, "enumtype", "arabic");
    ss_node_attr_set(n, "prefix", "");
    ss_node_attr_set(n, "suffix",
                     cmark_node_get_list_delim(c) == CMARK_PAREN_DELIM ? ")"
                                                                       : ".");
    int start = cmark_node_get_list_start(c);
    if (start != 1) {
      char buf[24];
      snprintf(buf, sizeof buf, "%d", start);
      ss_node_attr_set(n, "start", buf);
    }
    break;
  }
  case CMARK_NODE_ITEM:
    S_open(md, SS_LIST_ITEM, c);
    break;
  case CMARK_NODE_PARAGRAPH:
    S_open(md, SS_PARAGRAPH, c);
    break;
  case CMARK_NODE_HEADING:
    if (top)
      S_open_section(md, c);
    else
      S_open(md, SS_RUBRIC, c);
    break;
  case CMARK_NODE_EMPH:
    S_open(md, SS_EMPHASIS, c);
    break;
  case CMARK_NODE_STRONG:
    S_open(md, SS_STRONG, c);
    break;
  case CMARK_NODE_LINK: {
    ss_node *n = S_open(md, SS_REFERENCE, c);
    const char *url = cmark_node_get_url(c);
    ss_node_attr_set(n, "refuri", url ? url : "");
    break;
  }
  case CMARK_NODE_IMAGE: {
    ss_node *n = S_open(md, SS_IMAGE, c);
    const char *url = cmark_node_get_url(c);
    ss_node_attr_set(n, "uri", url ? url : "");
    md->image = n;
    md->image_c = c;
    ss_buf_clear(&md->alt);
    break;
  }
  default:
    S_leaf(md, c);
    break;
  }
}

static void S_exit(S_md *md, cmark_node *c) {
  if (md->image && c != md->image_c)
    return;
  switch (cmark_node_get_type(c)) {
  case CMARK_NODE_DOCUMENT:
    return;
  case CMARK_NODE_HEADING:
    if (md->cur->kind == SS_TITLE && md->cur->parent->kind == SS_SECTION) {
      S_name_section(md->cur->parent);
      md->cur = md->cur->parent;
      return;
    }
    break;
  case CMARK_NODE_IMAGE:
    ss_node_attr_set(md->cur, "alt", md->alt.data ? md->alt.data : "");
    md->image = NULL;
    md->image_c = NULL;
    break;
  default:
    break;
  }
  md->cur = md->cur->parent;
}

void ss_filter__read_markdown(const char *text, size_t len, ss_node *parent) {
  cmark_node *doc = cmark_parse_document(text, len, CMARK_OPT_DEFAULT);
  if (!doc)
    return;
  S_md md = {.root = parent, .cur = parent, .alt = SS_BUF_INIT};
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *c = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_ENTER)
      S_enter(&md, c);
    else
      S_exit(&md, c);
  }
  cmark_iter_free(it);
  cmark_node_free(doc);
  ss_buf_free(&md.alt);
}
