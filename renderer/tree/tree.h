/* tree.h — the document tree: the only thing specsite's stages share.
 *
 * Node kinds and attribute names are those of the Docutils doctree (and
 * Sphinx's few additions), so that `specsite ast`, the Lua filter API and
 * the HTML writer all speak the same words. The tree does not know which
 * reader built it.
 *
 * Ownership: a node owns its children, its attributes and its text.
 * Freeing a node frees its whole subtree (without recursion).
 *
 * Attributes are (name, value) string pairs. The Docutils list attributes
 * (ids, names, classes, dupnames, backrefs) are stored as one pair per
 * item, in order: ss_node_attr_add appends an item, ss_node_attr_get
 * returns the first, ss_node_attr_next walks them all.
 */
#ifndef SS_TREE_H
#define SS_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/buffer.h"
#include "../util/diag.h"

/* X(enum suffix, Docutils name). Order is part of no contract. */
#define SS_NODE_KINDS(X)                                                       \
  X(TEXT, "#text")                                                             \
  X(DOCUMENT, "document")                                                      \
  /* structure */                                                              \
  X(SECTION, "section")                                                        \
  X(TITLE, "title")                                                            \
  X(SUBTITLE, "subtitle")                                                      \
  X(TRANSITION, "transition")                                                  \
  X(TOPIC, "topic")                                                            \
  X(SIDEBAR, "sidebar")                                                        \
  X(RUBRIC, "rubric")                                                          \
  /* body */                                                                   \
  X(PARAGRAPH, "paragraph")                                                    \
  X(BULLET_LIST, "bullet_list")                                                \
  X(ENUMERATED_LIST, "enumerated_list")                                        \
  X(LIST_ITEM, "list_item")                                                    \
  X(DEFINITION_LIST, "definition_list")                                        \
  X(DEFINITION_LIST_ITEM, "definition_list_item")                              \
  X(TERM, "term")                                                              \
  X(CLASSIFIER, "classifier")                                                  \
  X(DEFINITION, "definition")                                                  \
  X(FIELD_LIST, "field_list")                                                  \
  X(FIELD, "field")                                                            \
  X(FIELD_NAME, "field_name")                                                  \
  X(FIELD_BODY, "field_body")                                                  \
  X(OPTION_LIST, "option_list")                                                \
  X(OPTION_LIST_ITEM, "option_list_item")                                      \
  X(OPTION_GROUP, "option_group")                                              \
  X(OPTION, "option")                                                          \
  X(OPTION_STRING, "option_string")                                            \
  X(OPTION_ARGUMENT, "option_argument")                                        \
  X(DESCRIPTION, "description")                                                \
  X(LITERAL_BLOCK, "literal_block")                                            \
  X(LINE_BLOCK, "line_block")                                                  \
  X(LINE, "line")                                                              \
  X(BLOCK_QUOTE, "block_quote")                                                \
  X(ATTRIBUTION, "attribution")                                                \
  X(DOCTEST_BLOCK, "doctest_block")                                            \
  X(TABLE, "table")                                                            \
  X(TGROUP, "tgroup")                                                          \
  X(COLSPEC, "colspec")                                                        \
  X(THEAD, "thead")                                                            \
  X(TBODY, "tbody")                                                            \
  X(ROW, "row")                                                                \
  X(ENTRY, "entry")                                                            \
  X(COMMENT, "comment")                                                        \
  X(TARGET, "target")                                                          \
  X(FOOTNOTE, "footnote")                                                      \
  X(CITATION, "citation")                                                      \
  X(LABEL, "label")                                                            \
  X(SUBSTITUTION_DEFINITION, "substitution_definition")                        \
  X(IMAGE, "image")                                                            \
  X(FIGURE, "figure")                                                          \
  X(CAPTION, "caption")                                                        \
  X(LEGEND, "legend")                                                          \
  X(COMPOUND, "compound")                                                      \
  X(CONTAINER, "container")                                                    \
  X(RAW, "raw")                                                                \
  X(MATH_BLOCK, "math_block")                                                  \
  X(PENDING, "pending")                                                        \
  X(DECORATION, "decoration")                                                  \
  X(HEADER, "header")                                                          \
  X(FOOTER, "footer")                                                          \
  X(META, "meta")                                                              \
  X(SYSTEM_MESSAGE, "system_message")                                          \
  /* admonitions */                                                            \
  X(ADMONITION, "admonition")                                                  \
  X(ATTENTION, "attention")                                                    \
  X(CAUTION, "caution")                                                        \
  X(DANGER, "danger")                                                          \
  X(ERROR, "error")                                                            \
  X(HINT, "hint")                                                              \
  X(IMPORTANT, "important")                                                    \
  X(NOTE, "note")                                                              \
  X(TIP, "tip")                                                                \
  X(WARNING, "warning")                                                        \
  X(SEEALSO, "seealso")                                                        \
  X(TODO_NODE, "todo_node")                                                    \
  /* inline */                                                                 \
  X(EMPHASIS, "emphasis")                                                      \
  X(STRONG, "strong")                                                          \
  X(LITERAL, "literal")                                                        \
  X(REFERENCE, "reference")                                                    \
  X(FOOTNOTE_REFERENCE, "footnote_reference")                                  \
  X(CITATION_REFERENCE, "citation_reference")                                  \
  X(SUBSTITUTION_REFERENCE, "substitution_reference")                          \
  X(TITLE_REFERENCE, "title_reference")                                        \
  X(ABBREVIATION, "abbreviation")                                              \
  X(ACRONYM, "acronym")                                                        \
  X(SUPERSCRIPT, "superscript")                                                \
  X(SUBSCRIPT, "subscript")                                                    \
  X(MATH, "math")                                                              \
  X(INLINE, "inline")                                                          \
  X(PROBLEMATIC, "problematic")                                                \
  X(GENERATED, "generated")                                                    \
  /* Sphinx additions */                                                       \
  X(COMPACT_PARAGRAPH, "compact_paragraph")                                    \
  X(PENDING_XREF, "pending_xref")                                              \
  X(INDEX, "index")                                                            \
  X(TOCTREE, "toctree")                                                        \
  X(DESC, "desc")                                                              \
  X(DESC_SIGNATURE, "desc_signature")                                          \
  X(DESC_NAME, "desc_name")                                                    \
  X(DESC_ADDNAME, "desc_addname")                                              \
  X(DESC_PARAMETERLIST, "desc_parameterlist")                                  \
  X(DESC_PARAMETER, "desc_parameter")                                          \
  X(DESC_CONTENT, "desc_content")                                              \
  X(DESC_ANNOTATION, "desc_annotation")                                        \
  X(DESC_INLINE, "desc_inline")                                                \
  X(DESC_OPTIONAL, "desc_optional")                                            \
  X(DESC_RETURNS, "desc_returns")                                              \
  X(DESC_SIG_SPACE, "desc_sig_space")                                          \
  X(DESC_SIG_NAME, "desc_sig_name")                                            \
  X(DESC_SIG_OPERATOR, "desc_sig_operator")                                    \
  X(DESC_SIG_PUNCTUATION, "desc_sig_punctuation")                              \
  X(DESC_SIG_KEYWORD, "desc_sig_keyword")                                      \
  X(DESC_SIG_LITERAL_NUMBER, "desc_sig_literal_number")                        \
  X(DESC_SIG_LITERAL_STRING, "desc_sig_literal_string")                        \
  X(LITERAL_STRONG, "literal_strong")                                          \
  X(LITERAL_EMPHASIS, "literal_emphasis")                                      \
  X(HLIST, "hlist")                                                            \
  X(HLISTCOL, "hlistcol")                                                      \
  X(ONLY, "only")                                                              \
  X(VERSIONMODIFIED, "versionmodified")                                        \
  X(CENTERED, "centered")                                                      \
  X(GLOSSARY, "glossary")                                                      \
  X(DOWNLOAD_REFERENCE, "download_reference")                                  \
  X(MANPAGE, "manpage")                                                        \
  X(TABULAR_COL_SPEC, "tabular_col_spec")

typedef enum {
#define SS_KIND_ENUM(e, name) SS_##e,
  SS_NODE_KINDS(SS_KIND_ENUM)
#undef SS_KIND_ENUM
      SS_KIND_COUNT
} ss_kind;

typedef struct ss_attr {
  char *name;
  char *value;
  struct ss_attr *next;
} ss_attr;

typedef struct ss_node {
  ss_kind kind;
  int line;   /* 1-based source line; 0 when unknown */
  char *text; /* SS_TEXT only: the text, NUL-terminated; may share the
                 node's allocation, so change it only with ss_text_set
                 (never free or realloc it) */
  size_t text_len;
  ss_attr *attrs;
  ss_attr *attrs_last; /* so that appending an item takes constant time:
                          a footnote may carry 40,000 backrefs */
  unsigned long long attrs_seen; /* a bit per name hash ever added: asking
                                    for an attribute a node lacks does not
                                    walk past 40,000 ids */
  struct ss_node *parent, *first, *last, *prev, *next;
} ss_node;

/* --- kinds --------------------------------------------------------- */

/* The Docutils name of a kind ("literal_block"); "#text" for text. */
const char *ss_kind_name(ss_kind kind);
/* The kind for a Docutils name; returns false when unknown. */
bool ss_kind_from_name(const char *name, ss_kind *kind);
/* True for inline (TextElement-content) kinds: emphasis, reference, ... */
bool ss_kind_is_inline(ss_kind kind);
/* True for the admonition kinds (note, warning, ..., admonition). */
bool ss_kind_is_admonition(ss_kind kind);

/* --- building ------------------------------------------------------ */

ss_node *ss_node_new(ss_kind kind, int line);
/* A text node holding a copy of `len` bytes of `s`. */
ss_node *ss_text_new(const char *s, size_t len, int line);
/* Frees a node and its subtree; unlinks it first. NULL is fine. */
void ss_node_free(ss_node *node);

/* Appends `child` (which must be unlinked) as last child; returns it. */
ss_node *ss_node_append(ss_node *parent, ss_node *child);
/* Prepends `child` as first child; returns it. */
ss_node *ss_node_prepend(ss_node *parent, ss_node *child);
/* Inserts `node` before / after `sibling`; returns node. */
ss_node *ss_node_insert_before(ss_node *sibling, ss_node *node);
ss_node *ss_node_insert_after(ss_node *sibling, ss_node *node);
/* Detaches a node from its parent and siblings; returns it. */
ss_node *ss_node_unlink(ss_node *node);
/* Moves all children of `from` to the end of `to`. */
void ss_node_move_children(ss_node *from, ss_node *to);
/* Appends text to the parent, merging with a trailing text node. */
void ss_node_append_text(ss_node *parent, const char *s, size_t len, int line);
/* Deep copy of a subtree. */
ss_node *ss_node_clone(const ss_node *node);
/* Replaces a text node's text. */
void ss_text_set(ss_node *text, const char *s, size_t len);

/* A problem as a node, the way Docutils records one: a system_message
 * with level, line (when > 0), source (when not NULL) and type
 * attributes, holding the message as a paragraph. */
ss_node *ss_system_message_new(ss_level level, int line, const char *source,
                               const char *message, size_t len);

/* --- attributes ---------------------------------------------------- */

/* Value of the first attribute `name`, or NULL. */
const char *ss_node_attr_get(const ss_node *node, const char *name);
/* Next attribute item after `prev` with the same name (NULL: the first). */
const ss_attr *ss_node_attr_next(const ss_node *node, const char *name,
                                 const ss_attr *prev);
/* Sets a single-valued attribute, replacing all items of that name. */
void ss_node_attr_set(ss_node *node, const char *name, const char *value);
/* Appends one item to a list attribute (ids, names, classes, ...). */
void ss_node_attr_add(ss_node *node, const char *name, const char *value);
/* True when list attribute `name` has the item `value`. */
bool ss_node_attr_has(const ss_node *node, const char *name, const char *value);
/* Removes the first item `value` of list attribute `name`. */
void ss_node_attr_remove_item(ss_node *node, const char *name,
                              const char *value);
/* Removes every item of attribute `name`. */
void ss_node_attr_remove(ss_node *node, const char *name);
/* True for the Docutils list attributes. */
bool ss_attr_is_list(const char *name);

/* --- reading ------------------------------------------------------- */

/* Concatenated text of all text nodes below `node` (astext()). */
void ss_node_text_content(const ss_node *node, ss_buf *out);
/* First child of a kind, or NULL. */
ss_node *ss_node_child(const ss_node *node, ss_kind kind);

/* --- walking: the iterator ------------------------------------------

 * A flat loop over ENTER/EXIT events, without recursion, so deep input
 * cannot exhaust the stack:
 *
 *   ss_iter it; ss_iter_init(&it, root);
 *   ss_event ev;
 *   while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
 *     ss_node *n = it.node; ...
 *   }
 *
 * Text nodes and other leaves get an ENTER and an EXIT like any node.
 * The current node's attributes and children may be edited on ENTER.
 * To unlink or free the current node, call ss_iter_skip_to_next first:
 * the walk then goes on with its next sibling (or its parent's EXIT). */
typedef enum { SS_EVENT_DONE = 0, SS_EVENT_ENTER, SS_EVENT_EXIT } ss_event;

typedef struct ss_iter {
  ss_node *root;
  ss_node *node;          /* the current node */
  ss_event event;         /* the current event */
  ss_node *resume_next;   /* after skip_to_next: node to ENTER next */
  ss_node *resume_parent; /* ... or, when it is NULL, node to EXIT */
  bool resuming;
} ss_iter;

void ss_iter_init(ss_iter *it, ss_node *root);
/* Inline: every pass of every stage calls it once per node and event. */
static inline ss_event ss_iter_next(ss_iter *it) {
  if (it->resuming) {
    it->resuming = false;
    if (it->resume_next) {
      it->node = it->resume_next;
      return it->event = SS_EVENT_ENTER;
    }
    if (!it->resume_parent) {
      it->node = it->root = NULL;
      return it->event = SS_EVENT_DONE;
    }
    it->node = it->resume_parent;
    return it->event = SS_EVENT_EXIT;
  }
  if (it->event == SS_EVENT_DONE && it->node == NULL) {
    if (!it->root)
      return SS_EVENT_DONE;
    it->node = it->root;
    return it->event = SS_EVENT_ENTER;
  }
  ss_node *n = it->node;
  if (it->event == SS_EVENT_ENTER) {
    if (n->first) {
      it->node = n->first;
      return it->event = SS_EVENT_ENTER;
    }
    return it->event = SS_EVENT_EXIT;
  }
  if (it->event == SS_EVENT_EXIT) {
    if (n == it->root) {
      it->node = NULL;
      it->root = NULL;
      return it->event = SS_EVENT_DONE;
    }
    if (n->next) {
      it->node = n->next;
      return it->event = SS_EVENT_ENTER;
    }
    it->node = n->parent;
    return it->event = SS_EVENT_EXIT;
  }
  return SS_EVENT_DONE;
}

/* Does not descend into the current (ENTERed) node: its EXIT comes next. */
void ss_iter_skip_children(ss_iter *it);
/* Before unlinking or freeing the current node (on ENTER or EXIT): the
 * walk continues with its next sibling, or its parent's EXIT. The current
 * node gets no further events. */
void ss_iter_skip_to_next(ss_iter *it);

/* The node after `n` in document order (pre-order) inside `root`, or
 * NULL after the last: a lighter walk than ss_iter (no EXIT events), for
 * loops that only look at nodes on the way in and change no links:
 *
 *   for (ss_node *n = root; n; n = ss_node_next_in(root, n)) ...  */
static inline ss_node *ss_node_next_in(const ss_node *root, const ss_node *n) {
  if (n->first)
    return n->first;
  for (; n != root; n = n->parent)
    if (n->next)
      return n->next;
  return NULL;
}

/* Depth of a node (root = 0). */
int ss_node_depth(const ss_node *node);

/* Frees every system_message below `root` whose level is under `keep`
 * (Docutils' report_level, Sphinx's FilterSystemMessages). */
void ss_node_drop_messages(ss_node *root, int keep);

/* --- output -------------------------------------------------------- */

/* Writes the tree as Docutils XML, the format of Sphinx's `xml` builder
 * and `specsite ast`: XML declaration, DOCTYPE, one element per node,
 * list attributes space-separated (spaces inside an item escaped as
 * "\ "), attributes named "ss-..." (specsite's own notes between stages)
 * left out, block content indented by four spaces, text elements and
 * literal blocks left exactly as they are. Uses libxml2's xmlwriter,
 * loaded on first use: false, and nothing written, when it cannot be
 * (ss_xmllib_error in util/xmllib.h says why). */
bool ss_tree_write_xml(const ss_node *root, ss_buf *out);

#endif
