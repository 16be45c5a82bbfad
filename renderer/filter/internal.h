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
#include <stdint.h>

#include "filter.h"

/* A lazy node table's link to the C node it copies (convert.c): which
 * fields are still to be filled in from it. */
#define SS_LAZY_ATTRS 1
#define SS_LAZY_CHILDREN 2
#define SS_LAZY_LINE 4
typedef struct {
  ss_node *node;
  const void *table; /* the Lua table's address (lua_topointer) */
  unsigned lazy;
} ss_filter_handle;

/* What a walk needs of one loaded filter without asking Lua. */
typedef struct {
  bool topdown;
  bool has[SS_KIND_COUNT]; /* a function for this kind */
} ss_filter_info;

/* A top-down replacement, applied when the walk is over. */
typedef struct {
  ss_node *target, *holder;
} ss_filter_deferred;

/* The Lua state's allocator for small blocks (filter.c). */
#define SS_FILTER_POOL_MAX 256 /* bytes: larger blocks go to malloc */
typedef struct ss_filter_block {
  struct ss_filter_block *next;
} ss_filter_block;
typedef struct {
  ss_filter_block *free[SS_FILTER_POOL_MAX / 16 + 1]; /* by size / 16 */
  void *chunks;
  char *bump; /* the unused end of the newest chunk */
  size_t left;
} ss_filter_pool;

struct ss_filter_set {
  lua_State *L;
  ss_filter_options opts;
  int nfilters;
  ss_filter_pool pool;
  /* Memory accounting (the lua_Alloc's user data). */
  size_t mem_used, mem_limit;
  bool mem_exceeded;
  char mem_where[128]; /* "file:line" where the bound was reached */
  /* Instruction and time accounting, per document. */
  size_t instructions;
  bool instr_exceeded;
  double deadline; /* CLOCK_MONOTONIC seconds */
  bool time_exceeded;
  /* The document being filtered, for messages. */
  const char *doc_path;
  /* Nodes under construction while Lua may raise an error live under
   * this container (one child holder per conversion in progress), so a
   * longjmp leaks nothing: the protected caller empties it. */
  ss_node *holders;
  /* The loaded filters, in order (their functions are in Lua). */
  ss_filter_info *filters;
  /* Handles of the lazy tables made since the last flush. */
  ss_filter_handle *handles;
  size_t nhandles, handles_cap;
  size_t pending_cap;  /* room in Lua's list of lazy tables */
  const void *pending; /* that list's address (lua_topointer) */
  uint32_t *map;       /* table address -> handle + 1 (convert.c) */
  size_t map_cap;
  ss_filter_deferred *deferred;
  size_t ndeferred, deferred_cap;
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
/* Pushes a lazy copy of node: kind, line and text at once, attributes
 * and children on first use, read from the C node. The C node must stay
 * as it is, and alive, until the next ss_filter__flush. */
void ss_filter__push_lazy(lua_State *L, ss_node *node, int ctx);
/* Pushes what ss_filter__push_lazy needs (a few values) and returns the
 * index of the first; pass it as `ctx` (or 0: looked up per call) while
 * those values stay on the stack. */
int ss_filter__lazy_ctx(lua_State *L);
/* The handle index of the lazy table at idx; -1 for any other value. */
long ss_filter__lazy(lua_State *L, int idx);
/* Before the C tree changes under lazy tables or is freed: every lazy
 * table still reachable from Lua becomes a whole copy; then no table
 * refers to the C tree. */
void ss_filter__flush(lua_State *L);
/* After a failure: lazy tables forget their C nodes (they read as if
 * their unread fields were absent). Allocates nothing. */
void ss_filter__forget(lua_State *L);
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
/* Charges `cost` instructions to the document and looks at the clock;
 * raises the bound's error when one is reached (filter.c). */
void ss_filter__charge(lua_State *L, size_t cost);
/* The sandbox's string.find, match, gmatch and gsub, which pay as they
 * go (patterns.c). */
void ss_filter__open_patterns(lua_State *L);
/* Sets specsite.page. */
void ss_filter__set_page(lua_State *L, const ss_filter_page *page);

/* Parses CommonMark into block nodes appended to `parent`. */
void ss_filter__read_markdown(const char *text, size_t len, ss_node *parent);

#endif
