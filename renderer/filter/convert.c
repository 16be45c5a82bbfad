/* convert.c — ss_node <-> Lua tables.
 *
 * A node crosses into Lua as a fresh table on every call and comes back
 * as a fresh tree, so Lua never holds a pointer into the C tree. The way
 * back is where a filter could break things, so it checks everything:
 * known kinds, strings where strings belong, lists where lists belong, no
 * table used twice (which also catches cycles), and a bounded depth. Both
 * directions walk without C recursion. */
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "internal.h"

/* Most attributes a node may carry back from Lua; Docutils nodes have a
 * handful, so a table with more is a mistake, not a document. */
#define S_MAX_ATTRS 64

const char *ss_filter__kind_name(ss_kind kind) {
  return kind == SS_TEXT ? "text" : ss_kind_name(kind);
}

bool ss_filter__kind_from_name(const char *name, ss_kind *kind) {
  if (strcmp(name, "text") == 0 || strcmp(name, "#text") == 0) {
    *kind = SS_TEXT;
    return true;
  }
  return ss_kind_from_name(name, kind);
}

/* --- C -> Lua ------------------------------------------------------ */

/* __index of attribute tables: a missing list attribute is an empty list,
 * stored on first use so that appending to it sticks. */
static int S_lists_index(lua_State *L) {
  const char *name = lua_tostring(L, 2);
  if (lua_type(L, 2) != LUA_TSTRING || !ss_attr_is_list(name))
    return 0;
  lua_newtable(L);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, -2);
  lua_rawset(L, 1);
  return 1;
}

void ss_filter__open_convert(lua_State *L) {
  luaL_newmetatable(L, SS_FILTER_LISTS_META);
  lua_pushcfunction(L, S_lists_index);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}

/* Pushes node's attributes as a table: list attributes as lists. */
static void S_push_attrs(lua_State *L, const ss_node *node) {
  lua_newtable(L);
  for (const ss_attr *a = node->attrs; a; a = a->next) {
    if (!ss_attr_is_list(a->name)) {
      lua_pushstring(L, a->value);
      lua_setfield(L, -2, a->name);
      continue;
    }
    if (lua_getfield(L, -1, a->name) != LUA_TTABLE) {
      lua_pop(L, 1);
      lua_newtable(L);
      lua_pushvalue(L, -1);
      lua_setfield(L, -3, a->name);
    }
    lua_pushstring(L, a->value);
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    lua_pop(L, 1);
  }
  /* Every node has the five lists, as in Docutils, so a filter can
   * append to n.attributes.classes without checking; the empty ones are
   * made on first use (ss_filter__lists_meta), as most nodes never
   * have their lists looked at and tables are the cost of a call. */
  luaL_setmetatable(L, SS_FILTER_LISTS_META);
}

/* Pushes the table of one node; for an element also its (empty)
 * children list, which stays on the stack above the node. */
static void S_push_one(lua_State *L, const ss_node *node) {
  if (!lua_checkstack(L, 8))
    luaL_error(L, "document too deep to convert");
  lua_createtable(L, 0, 5);
  lua_pushstring(L, ss_filter__kind_name(node->kind));
  lua_setfield(L, -2, "kind");
  lua_pushinteger(L, node->line);
  lua_setfield(L, -2, "line");
  if (node->kind == SS_TEXT) {
    lua_pushlstring(L, node->text ? node->text : "", node->text_len);
    lua_setfield(L, -2, "text");
    lua_newtable(L);
    luaL_setmetatable(L, SS_FILTER_LISTS_META);
    lua_setfield(L, -2, "attributes");
    return;
  }
  S_push_attrs(L, node);
  lua_setfield(L, -2, "attributes");
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "children");
}

void ss_filter__push_node(lua_State *L, const ss_node *node) {
  ss_iter it;
  ss_iter_init(&it, (ss_node *)node);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    const ss_node *n = it.node;
    if (ev == SS_EVENT_ENTER) {
      S_push_one(L, n);
      continue;
    }
    if (n->kind != SS_TEXT)
      lua_pop(L, 1); /* its children list */
    if (n != node)   /* into the parent's children list, below it */
      lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
  }
}

/* --- Lua -> C ------------------------------------------------------ */

/* Lua strings are any bytes; the tree holds UTF-8 without NULs, as the
 * readers leave it and the writers expect. Repaired into `out` (pure C:
 * no Lua error can come between the copy and its use). */
static void S_clean(lua_State *L, int idx, ss_buf *out) {
  size_t len;
  const char *s = lua_tolstring(L, idx, &len);
  ss_buf_clear(out);
  ss_utf8_repair(s, len, out);
  /* Terminated even when empty (repair may only have grown it). */
  ss_buf_grow(out, 0);
  out->data[out->len] = '\0';
}

/* t[name] without metamethods: nothing a filter wrote runs while C is
 * converting. */
static int S_rawfield(lua_State *L, int idx, const char *name) {
  idx = lua_absindex(L, idx);
  lua_pushstring(L, name);
  return lua_rawget(L, idx);
}

/* Raises "<where><what>: <message>". */
static int S_fail(lua_State *L, const char *what, const char *fmt,
                  const char *arg) {
  luaL_where(L, 1);
  lua_pushfstring(L, "%s: ", what);
  lua_pushfstring(L, fmt, arg);
  lua_concat(L, 3);
  return lua_error(L);
}

/* XML-safe names; no ':' (the writer adds xml:space itself, and a
 * namespace prefix of a filter's choosing would make invalid XML). */
static bool S_attr_name_ok(const char *s) {
  if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
    return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '.'))
      return false;
  return true;
}

/* Docutils' common attributes first, in its order, then the others by
 * name: a stable order for the XML writer, whatever Lua's hash does. */
static int S_attr_rank(const char *name) {
  static const char *const first[] = {"ids", "classes", "names", "dupnames",
                                      "backrefs"};
  for (int i = 0; i < 5; i++)
    if (strcmp(name, first[i]) == 0)
      return i;
  return 5;
}

static int S_attr_cmp(const void *a, const void *b) {
  const char *x = *(const char *const *)a, *y = *(const char *const *)b;
  int rx = S_attr_rank(x), ry = S_attr_rank(y);
  return rx != ry ? rx - ry : strcmp(x, y);
}

/* One attribute value, at the top of the stack, for node. */
static void S_set_attr(lua_State *L, ss_node *node, const char *name,
                       const char *what) {
  if (!ss_attr_is_list(name)) {
    int t = lua_type(L, -1);
    if (t != LUA_TSTRING && t != LUA_TNUMBER)
      S_fail(L, what, "attribute '%s' must be a string", name);
    ss_buf v = SS_BUF_INIT;
    S_clean(L, -1, &v);
    ss_node_attr_set(node, name, v.data);
    ss_buf_free(&v);
    return;
  }
  if (!lua_istable(L, -1) || S_rawfield(L, -1, "kind") != LUA_TNIL)
    S_fail(L, what, "attribute '%s' must be a list of strings", name);
  lua_pop(L, 1);
  lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
  for (lua_Integer i = 1; i <= n; i++) {
    int t = lua_rawgeti(L, -1, i);
    if (t != LUA_TSTRING && t != LUA_TNUMBER)
      S_fail(L, what, "attribute '%s' must be a list of strings", name);
    ss_buf v = SS_BUF_INIT;
    S_clean(L, -1, &v);
    ss_node_attr_add(node, name, v.data);
    ss_buf_free(&v);
    lua_pop(L, 1);
  }
}

/* The attributes table at the top of the stack, onto node. */
static void S_set_attrs(lua_State *L, ss_node *node, const char *what) {
  const char *names[S_MAX_ATTRS];
  size_t count = 0;
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING)
      S_fail(L, what, "%s", "attribute names must be strings");
    const char *name = lua_tostring(L, -1);
    if (!S_attr_name_ok(name))
      S_fail(L, what, "invalid attribute name '%s'", name);
    if (count == S_MAX_ATTRS)
      S_fail(L, what, "%s", "more than 64 attributes on one node");
    names[count++] = name; /* anchored: the table holds the key */
  }
  qsort(names, count, sizeof *names, S_attr_cmp);
  for (size_t i = 0; i < count; i++) {
    S_rawfield(L, -1, names[i]);
    S_set_attr(L, node, names[i], what);
    lua_pop(L, 1);
  }
}

/* Checks that the table at the top was not seen before in this
 * conversion (table `seen` at index `seen`), then marks it. */
static void S_mark_seen(lua_State *L, int seen, const char *what) {
  lua_pushvalue(L, -1);
  if (lua_rawget(L, seen) != LUA_TNIL)
    S_fail(L, what, "%s",
           "the same node table appears twice (shared or nested in itself)");
  lua_pop(L, 1);
  lua_pushvalue(L, -1);
  lua_pushboolean(L, 1);
  lua_rawset(L, seen);
}

/* Converts the node at the top of the stack into a new C node appended
 * to parent, and replaces it on the stack by its children list (true
 * returned) or pops it (false: no children to walk). */
static bool S_make(lua_State *L, ss_node *parent, int seen, bool is_root,
                   bool allow_document, const char *what) {
  if (!lua_istable(L, -1))
    S_fail(L, what, "expected a node (a table), got %s", luaL_typename(L, -1));
  S_mark_seen(L, seen, what);
  if (S_rawfield(L, -1, "kind") != LUA_TSTRING) {
    if (lua_isnil(L, -1))
      S_fail(L, what, "%s", "a list given where a node is expected");
    S_fail(L, what, "%s", "a node's kind must be a string");
  }
  ss_kind kind;
  if (!ss_filter__kind_from_name(lua_tostring(L, -1), &kind))
    S_fail(L, what, "unknown node kind '%s'", lua_tostring(L, -1));
  if (kind == SS_DOCUMENT && !(is_root && allow_document))
    S_fail(L, what, "%s", "a document node can only be the whole document");
  lua_pop(L, 1);

  int line = 0;
  int t = S_rawfield(L, -1, "line");
  if (t == LUA_TNUMBER && lua_isinteger(L, -1)) {
    lua_Integer v = lua_tointeger(L, -1);
    line = v < 0 ? 0 : v > 0x7fffffff ? 0x7fffffff : (int)v;
  } else if (t != LUA_TNIL) {
    S_fail(L, what, "%s", "a node's line must be an integer");
  }
  lua_pop(L, 1);

  t = S_rawfield(L, -1, "children");
  if (t != LUA_TNIL && t != LUA_TTABLE)
    S_fail(L, what, "%s", "children must be a list of nodes");
  if (t == LUA_TTABLE) {
    if (S_rawfield(L, -1, "kind") != LUA_TNIL)
      S_fail(L, what, "%s", "children must be a list of nodes, not a node");
    lua_pop(L, 1);
  }
  /* stack: node, children-or-nil */

  if (kind == SS_TEXT) {
    if (t == LUA_TTABLE && lua_rawlen(L, -1) > 0)
      S_fail(L, what, "%s", "a text node cannot have children");
    if (S_rawfield(L, -2, "text") != LUA_TSTRING)
      S_fail(L, what, "%s", "a text node needs a string 'text'");
    ss_buf v = SS_BUF_INIT;
    S_clean(L, -1, &v);
    ss_node_append(parent, ss_text_new(v.data, v.len, line));
    ss_buf_free(&v);
    lua_pop(L, 3);
    return false;
  }

  ss_node *node = ss_node_append(parent, ss_node_new(kind, line));
  t = S_rawfield(L, -2, "attributes");
  if (t == LUA_TTABLE)
    S_set_attrs(L, node, what);
  else if (t != LUA_TNIL)
    S_fail(L, what, "%s", "attributes must be a table");
  lua_pop(L, 1);
  lua_remove(L, -2); /* the node table: its children list stays */
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return false;
  }
  return true;
}

typedef struct {
  ss_node *node;
  int list; /* stack index of its children list */
  lua_Integer i, n;
} S_frame;

/* Converts the value at `idx` (a node, or a list when `as_list`). */
static void S_convert(lua_State *L, int idx, ss_node *parent, bool as_list,
                      bool allow_document, const char *what) {
  S_frame frames[SS_FILTER_MAX_DEPTH + 1];
  int depth = 0;
  idx = lua_absindex(L, idx);
  if (!lua_checkstack(L, SS_FILTER_MAX_DEPTH + 16))
    luaL_error(L, "out of Lua stack");
  lua_newtable(L);
  int seen = lua_gettop(L);
  lua_pushvalue(L, idx);
  if (as_list) {
    if (!lua_istable(L, -1))
      S_fail(L, what, "expected a list of nodes, got %s", luaL_typename(L, -1));
    if (S_rawfield(L, -1, "kind") != LUA_TNIL)
      S_fail(L, what, "%s", "a node given where a list is expected");
    lua_pop(L, 1);
    frames[depth++] =
        (S_frame){parent, lua_gettop(L), 1, (lua_Integer)lua_rawlen(L, -1)};
  } else if (S_make(L, parent, seen, true, allow_document, what)) {
    frames[depth++] = (S_frame){parent->last, lua_gettop(L), 1,
                                (lua_Integer)lua_rawlen(L, -1)};
  }
  while (depth > 0) {
    S_frame *f = &frames[depth - 1];
    if (f->i > f->n) {
      lua_pop(L, 1);
      depth--;
      continue;
    }
    lua_rawgeti(L, f->list, f->i++);
    if (!S_make(L, f->node, seen, false, false, what))
      continue;
    if (depth == SS_FILTER_MAX_DEPTH)
      S_fail(L, what, "%s", "nodes nested deeper than 256 levels");
    frames[depth++] = (S_frame){f->node->last, lua_gettop(L), 1,
                                (lua_Integer)lua_rawlen(L, -1)};
  }
  lua_pop(L, 1); /* seen */
}

void ss_filter__to_node(lua_State *L, int idx, ss_node *parent,
                        bool allow_document, const char *what) {
  S_convert(L, idx, parent, false, allow_document, what);
}

void ss_filter__to_nodes(lua_State *L, int idx, ss_node *parent,
                         const char *what) {
  S_convert(L, idx, parent, true, false, what);
}
