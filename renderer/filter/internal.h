/* internal.h — what the files of the Lua bridge share (not a contract).
 *
 *   filter.c    the Lua state, sandbox, bounds, loading, the tree walk
 *   convert.c   ss_node <-> Lua table, with every check on the way back
 *   api.c       the `specsite` global table
 *   markdown.c  specsite.read(text, "markdown"): cmark's tree to ours
 */
#ifndef SS_FILTER_INTERNAL_H
#define SS_FILTER_INTERNAL_H

#include <lua.h>

#include "filter.h"

struct ss_filter_set {
  lua_State *L;
  ss_filter_options opts;
  int nfilters;
  /* Memory accounting (the lua_Alloc's user data). */
  size_t mem_used, mem_limit;
  bool mem_exceeded;
  char mem_where[128]; /* "file:line" where the bound was reached */
  /* Instruction accounting, per document. */
  size_t instructions;
  bool instr_exceeded;
  /* The document being filtered, for messages. */
  const char *doc_path;
  /* Nodes under construction while Lua may raise an error live under
   * this container (one child holder per conversion in progress), so a
   * longjmp leaks nothing: the protected caller empties it. */
  ss_node *holders;
  ss_buf scratch;
  ss_buf error;
};

/* The set of a state (kept in its extra space). */
ss_filter_set *ss_filter__set(lua_State *L);

/* The metatable of attribute tables (empty lists made on first use). */
#define SS_FILTER_LISTS_META "specsite.attributes"
void ss_filter__open_convert(lua_State *L);

/* Pushes a node and its subtree as a Lua table. The walk is flat. */
void ss_filter__push_node(lua_State *L, const ss_node *node);
/* Converts the Lua node at `idx` to a new tree, appended to `parent`;
 * raises a Lua error (prefixed by `what`) when it is invalid. A
 * document node is accepted only when `allow_document`. */
void ss_filter__to_node(lua_State *L, int idx, ss_node *parent,
                        bool allow_document, const char *what);
/* Converts a list of Lua nodes at `idx`, appending each to `parent`. */
void ss_filter__to_nodes(lua_State *L, int idx, ss_node *parent,
                         const char *what);
/* Text a kind is known by in Lua: the Docutils name, "text" for text. */
const char *ss_filter__kind_name(ss_kind kind);
/* The kind for a Lua name; false when unknown. */
bool ss_filter__kind_from_name(const char *name, ss_kind *kind);

/* A fresh holder under fs->holders, and its release (which frees it
 * and whatever is still in it). */
ss_node *ss_filter__holder(ss_filter_set *fs);
void ss_filter__release(ss_node *holder);

/* Registers the `specsite` global. */
void ss_filter__open_api(lua_State *L);
/* Sets specsite.page. */
void ss_filter__set_page(lua_State *L, const ss_filter_page *page);

/* Parses CommonMark into block nodes appended to `parent`. */
void ss_filter__read_markdown(const char *text, size_t len, ss_node *parent);

#endif
