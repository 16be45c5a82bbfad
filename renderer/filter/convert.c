/* convert.c — ss_node <-> Lua tables.
 *
 * A node crosses into Lua as a fresh table on every call and comes back
 * as a fresh tree, so Lua never holds a pointer into the C tree. The way
 * back is where a filter could break things, so it checks everything:
 * known kinds, strings where strings belong, lists where lists belong, no
 * table used twice (which also catches cycles), and a bounded depth. Both
 * directions walk without C recursion.
 *
 * The tables a filter function gets are lazy: kind, line and text are
 * there at once; attributes and children are read from the C node the
 * first time they are looked at (a metatable), so a bottom-up walk does
 * not copy each subtree again at every ancestor, and a function that
 * only looks at n.kind costs one small table. A lazy table holds no
 * pointer: a weak table maps it to an index into fs->handles, and
 * ss_filter__flush, which runs before the C tree changes under it, turns
 * every lazy table still reachable into a whole copy and empties both.
 * On the way back, a field never read is copied from the C node. */
#include <lauxlib.h>
#include <stdint.h>
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

/* Registry and table keys (addresses only: nothing here is written). */
static const char S_PENDING_KEY = 'p';    /* weak values: handle -> table */
static const char S_NODE_META_KEY = 'm';  /* metatable of lazy tables */
static const char S_TEXT_META_KEY = 't';  /* metatable of text tables */
static const char S_KINDS_KEY = 'k';      /* kind names by kind + 1 */
static const char S_LISTS_META_KEY = 'l'; /* = SS_FILTER_LISTS_META's */

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

/* Pushes node's attributes as a table: list attributes as lists. */
static void S_push_attrs(lua_State *L, const ss_node *node) {
  /* Room for every item (more than the names) and a list or two made on
   * first use: growing a Lua table rehashes it. */
  int n = 2;
  for (const ss_attr *a = node->attrs; a; a = a->next)
    n++;
  lua_createtable(L, 0, n);
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
  lua_rawgetp(L, LUA_REGISTRYINDEX, &S_LISTS_META_KEY);
  lua_setmetatable(L, -2);
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
    lua_rawgetp(L, LUA_REGISTRYINDEX, &S_LISTS_META_KEY);
    lua_setmetatable(L, -2);
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

/* --- lazy tables --------------------------------------------------- */

/* Pushes the pending list; false (and nil pushed) when there is none. */
static bool S_pending(lua_State *L) {
  return lua_rawgetp(L, LUA_REGISTRYINDEX, &S_PENDING_KEY) == LUA_TTABLE;
}

/* The handle map: a lazy table's address -> its handle + 1, open
 * addressing. A table is found by its address (lua_topointer) rather
 * than by a key stored in it, which would cost a hash insert per table
 * and show in next(). An address may outlive its table and be reused;
 * the pending list, whose values are weak, tells the real one. */
static size_t S_slot(const void *p, size_t mask) {
  uintptr_t x = (uintptr_t)p >> 4;
  return (size_t)(x * 0x9E3779B97F4A7C15ULL >> 20) & mask;
}

static void S_map_put(ss_filter_set *fs, const void *p, size_t h) {
  if (2 * (fs->nhandles + 1) > fs->map_cap) {
    size_t cap = fs->map_cap ? 2 * fs->map_cap : 1024;
    free(fs->map);
    fs->map = ss_xcalloc(cap, sizeof *fs->map);
    fs->map_cap = cap;
    /* In order, so that of two handles with one address (a dead table
     * and a newer one) the newer wins, as in a put. */
    for (size_t i = 0; i < fs->nhandles; i++) {
      const void *q = fs->handles[i].table;
      size_t j = S_slot(q, cap - 1);
      while (fs->map[j] && fs->handles[fs->map[j] - 1].table != q)
        j = (j + 1) & (cap - 1);
      fs->map[j] = (uint32_t)i + 1;
    }
  }
  size_t mask = fs->map_cap - 1, j = S_slot(p, mask);
  /* (an entry with this address belongs to a dead table: replace it) */
  while (fs->map[j] && fs->handles[fs->map[j] - 1].table != p)
    j = (j + 1) & mask;
  fs->map[j] = (uint32_t)h + 1;
}

long ss_filter__lazy(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TTABLE)
    return -1;
  ss_filter_set *fs = ss_filter__set(L);
  if (fs->nhandles == 0)
    return -1;
  const void *p = lua_topointer(L, idx);
  size_t mask = fs->map_cap - 1, j = S_slot(p, mask);
  while (fs->map[j] && fs->handles[fs->map[j] - 1].table != p)
    j = (j + 1) & mask;
  if (!fs->map[j])
    return -1;
  long h = (long)fs->map[j] - 1;
  /* The table at that address may be a newer one. */
  idx = lua_absindex(L, idx);
  bool ours = false;
  if (S_pending(L)) {
    lua_rawgeti(L, -1, h + 1);
    ours = lua_rawequal(L, -1, idx);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return ours ? h : -1;
}

/* What making lazy tables needs at hand, pushed once per walk (or per
 * children list) rather than looked up per node. */
enum {
  S_CTX_PENDING,
  S_CTX_NODE_META,
  S_CTX_TEXT_META,
  S_CTX_KINDS, /* kind names by kind + 1 */
  S_CTX_KIND,  /* the keys "kind", "line", "text" */
  S_CTX_LINE,
  S_CTX_TEXT,
  S_CTX_SIZE
};

int ss_filter__lazy_ctx(lua_State *L) {
  if (!lua_checkstack(L, S_CTX_SIZE + 8))
    luaL_error(L, "document too deep to convert");
  int base = lua_gettop(L) + 1;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &S_PENDING_KEY);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &S_NODE_META_KEY);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &S_TEXT_META_KEY);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &S_KINDS_KEY);
  lua_pushliteral(L, "kind");
  lua_pushliteral(L, "line");
  lua_pushliteral(L, "text");
  return base;
}

/* Makes sure the pending list (in the context) has room for handle h.
 * Lua would put items past its array part in its hash part first and
 * grow by rehashing; a list made with room to spare keeps each store
 * an array store. */
static void S_pending_room(lua_State *L, ss_filter_set *fs, size_t h, int ctx) {
  int list = ctx + S_CTX_PENDING;
  /* The context's copy is stale when another context (the __index of a
   * node, making its children) grew the list meanwhile: the registry
   * has the current one, whose address fs->pending remembers. (A stale
   * copy on the stack keeps the old list alive, so the address of the
   * current one cannot be the old one's.) */
  if (lua_topointer(L, list) != fs->pending || !fs->pending) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &S_PENDING_KEY);
    lua_replace(L, list);
  }
  bool have = lua_istable(L, list);
  if (have && h < fs->pending_cap)
    return;
  size_t cap = fs->pending_cap && have ? 2 * fs->pending_cap : 1024;
  lua_createtable(L, (int)cap, 0);
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "v");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  if (have)
    for (size_t i = 1; i <= h; i++) {
      lua_rawgeti(L, list, (lua_Integer)i);
      lua_rawseti(L, -2, (lua_Integer)i);
    }
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &S_PENDING_KEY);
  fs->pending = lua_topointer(L, -1);
  lua_replace(L, list);
  fs->pending_cap = cap;
}

/* __index of text node tables: their attributes are always empty (text
 * has none in the tree), made on first use; no handle needed. */
static int S_text_index(lua_State *L) {
  if (lua_type(L, 2) != LUA_TSTRING || strcmp(lua_tostring(L, 2), "attributes"))
    return 0;
  lua_createtable(L, 0, 1);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &S_LISTS_META_KEY);
  lua_setmetatable(L, -2);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, -2);
  lua_rawset(L, 1);
  return 1;
}

void ss_filter__push_lazy(lua_State *L, ss_node *node, int ctx) {
  ss_filter_set *fs = ss_filter__set(L);
  bool own = ctx == 0;
  if (own)
    ctx = ss_filter__lazy_ctx(L);
  if (node->kind == SS_TEXT) {
    lua_createtable(L, 0, 3);
    lua_pushvalue(L, ctx + S_CTX_KIND);
    lua_pushvalue(L, ctx + S_CTX_TEXT);
    lua_rawset(L, -3);
    lua_pushvalue(L, ctx + S_CTX_LINE);
    lua_pushinteger(L, node->line);
    lua_rawset(L, -3);
    lua_pushvalue(L, ctx + S_CTX_TEXT);
    lua_pushlstring(L, node->text ? node->text : "", node->text_len);
    lua_rawset(L, -3);
    lua_pushvalue(L, ctx + S_CTX_TEXT_META);
    lua_setmetatable(L, -2);
  } else {
    size_t h = fs->nhandles;
    S_pending_room(L, fs, h, ctx);
    /* kind now; line, attributes and children when first read. */
    lua_createtable(L, 0, 4);
    lua_pushvalue(L, ctx + S_CTX_KIND);
    lua_rawgeti(L, ctx + S_CTX_KINDS, node->kind + 1);
    lua_rawset(L, -3);
    if (h == fs->handles_cap) {
      fs->handles_cap = fs->handles_cap ? 2 * fs->handles_cap : 256;
      fs->handles =
          ss_xrealloc(fs->handles, fs->handles_cap * sizeof *fs->handles);
    }
    lua_pushvalue(L, -1);
    lua_rawseti(L, ctx + S_CTX_PENDING, (lua_Integer)h + 1);
    /* Nothing below raises: the handle and its table go together. */
    fs->handles[h].node = node;
    fs->handles[h].table = lua_topointer(L, -1);
    fs->handles[h].lazy = SS_LAZY_ATTRS | SS_LAZY_CHILDREN | SS_LAZY_LINE;
    S_map_put(fs, fs->handles[h].table, h);
    fs->nhandles++;
    lua_pushvalue(L, ctx + S_CTX_NODE_META);
    lua_setmetatable(L, -2);
  }
  if (own) {
    lua_replace(L, ctx);
    lua_settop(L, ctx);
  }
}

/* The field of a lazy flag. */
static const char *S_field_name(unsigned field) {
  return field == SS_LAZY_ATTRS  ? "attributes"
         : field == SS_LAZY_LINE ? "line"
                                 : "children";
}

/* Fills in one field of the lazy table at idx (handle h) from its C
 * node: lazy children when !deep, whole copies when deep. A table with
 * nothing left to fill becomes a plain table. */
static void S_fill(lua_State *L, int idx, long h, unsigned field, bool deep) {
  ss_filter_set *fs = ss_filter__set(L);
  const ss_node *node = fs->handles[h].node;
  idx = lua_absindex(L, idx);
  if (field == SS_LAZY_LINE) {
    lua_pushinteger(L, node->line);
  } else if (field == SS_LAZY_ATTRS) {
    S_push_attrs(L, node);
  } else {
    int ctx = deep ? 0 : ss_filter__lazy_ctx(L);
    lua_createtable(L, 0, 0);
    lua_Integer i = 1;
    for (ss_node *c = node->first; c; c = c->next) {
      if (deep)
        ss_filter__push_node(L, c);
      else
        ss_filter__push_lazy(L, c, ctx);
      lua_rawseti(L, -2, i++);
    }
    if (ctx) {
      lua_replace(L, ctx);
      lua_settop(L, ctx);
    }
  }
  /* (handles may have moved, and Lua code may have run meanwhile) */
  if (!(fs->handles[h].lazy & field)) {
    lua_pop(L, 1);
    return;
  }
  lua_pushstring(L, S_field_name(field));
  lua_insert(L, -2);
  lua_rawset(L, idx);
  fs->handles[h].lazy &= ~field;
  if (fs->handles[h].lazy == 0) { /* a plain table from now on */
    lua_pushnil(L);
    lua_setmetatable(L, idx);
  }
}

/* "attributes" -> SS_LAZY_ATTRS, "children" -> SS_LAZY_CHILDREN, else 0. */
static unsigned S_field_of(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TSTRING)
    return 0;
  const char *k = lua_tostring(L, idx);
  return strcmp(k, "attributes") == 0 ? SS_LAZY_ATTRS
         : strcmp(k, "children") == 0 ? SS_LAZY_CHILDREN
         : strcmp(k, "line") == 0     ? SS_LAZY_LINE
                                      : 0;
}

static int S_node_index(lua_State *L) {
  unsigned field = S_field_of(L, 2);
  long h = field ? ss_filter__lazy(L, 1) : -1;
  if (h < 0 || !(ss_filter__set(L)->handles[h].lazy & field))
    return 0;
  S_fill(L, 1, h, field, false);
  lua_settop(L, 2);
  lua_rawget(L, 1);
  return 1;
}

/* Assigning a field not yet read: the C node's value is no longer
 * wanted (even when the new value is nil). */
static int S_node_newindex(lua_State *L) {
  unsigned field = S_field_of(L, 2);
  long h = field ? ss_filter__lazy(L, 1) : -1;
  if (h >= 0)
    ss_filter__set(L)->handles[h].lazy &= ~field;
  lua_settop(L, 3);
  lua_rawset(L, 1);
  return 0;
}

/* Fills in every field of the lazy table at idx (deep: whole copies). */
static void S_fill_all(lua_State *L, int idx, bool deep) {
  long h = ss_filter__lazy(L, idx);
  for (unsigned f = SS_LAZY_ATTRS; h >= 0 && f <= SS_LAZY_LINE; f <<= 1)
    if (ss_filter__set(L)->handles[h].lazy & f)
      S_fill(L, idx, h, f, deep);
}

/* next(t, k) for __pairs, whatever the filter did to the global. */
static int S_next(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  if (lua_next(L, 1))
    return 2;
  lua_pushnil(L);
  return 1;
}

/* pairs(node) sees every field. */
static int S_node_pairs(lua_State *L) {
  S_fill_all(L, 1, false);
  lua_pushcfunction(L, S_next);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

void ss_filter__flush(lua_State *L) {
  ss_filter_set *fs = ss_filter__set(L);
  if (fs->nhandles == 0)
    return;
  /* Only tables still reachable need copying: collect first. Then no
   * collection (so no finalizer, no Lua code) while copying. */
  lua_gc(L, LUA_GCCOLLECT);
  lua_gc(L, LUA_GCSTOP);
  if (S_pending(L)) {
    for (size_t h = 0; h < fs->nhandles; h++) {
      if (lua_rawgeti(L, -1, (lua_Integer)h + 1) == LUA_TTABLE)
        S_fill_all(L, -1, true);
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  ss_filter__forget(L);
  lua_gc(L, LUA_GCRESTART);
}

void ss_filter__forget(lua_State *L) {
  lua_pushnil(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &S_PENDING_KEY);
  ss_filter_set *fs = ss_filter__set(L);
  if (fs->nhandles && fs->map)
    memset(fs->map, 0, fs->map_cap * sizeof *fs->map);
  fs->nhandles = 0;
  fs->pending_cap = 0;
  fs->pending = NULL;
}

void ss_filter__open_convert(lua_State *L) {
  luaL_newmetatable(L, SS_FILTER_LISTS_META);
  lua_pushcfunction(L, S_lists_index);
  lua_setfield(L, -2, "__index");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &S_LISTS_META_KEY);
  lua_createtable(L, SS_KIND_COUNT, 0);
  for (int k = 0; k < SS_KIND_COUNT; k++) {
    lua_pushstring(L, ss_filter__kind_name((ss_kind)k));
    lua_rawseti(L, -2, k + 1);
  }
  lua_rawsetp(L, LUA_REGISTRYINDEX, &S_KINDS_KEY);
  lua_createtable(L, 0, 4);
  lua_pushcfunction(L, S_node_index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, S_node_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushcfunction(L, S_node_pairs);
  lua_setfield(L, -2, "__pairs");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &S_NODE_META_KEY);
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, S_text_index);
  lua_setfield(L, -2, "__index");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &S_TEXT_META_KEY);
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

/* Elements on the longest path down from an element (itself included),
 * as the depth bound counts them. */
static int S_height(const ss_node *node) {
  int depth = 0, height = 0;
  ss_iter it;
  ss_iter_init(&it, (ss_node *)node);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    if (it.node->kind == SS_TEXT)
      continue;
    if (ev == SS_EVENT_ENTER && ++depth > height)
      height = depth;
    else if (ev == SS_EVENT_EXIT)
      depth--;
  }
  return height;
}

/* A C node's attributes onto a new node, in their order. */
static void S_copy_attrs(ss_node *node, const ss_node *from) {
  for (const ss_attr *a = from->attrs; a; a = a->next) {
    if (ss_attr_is_list(a->name))
      ss_node_attr_add(node, a->name, a->value);
    else
      ss_node_attr_set(node, a->name, a->value);
  }
}

/* Converts the node at the top of the stack into a new C node appended
 * to parent, and replaces it on the stack by its children list (true
 * returned) or pops it (false: no children to walk). */
static bool S_make(lua_State *L, ss_node *parent, int seen, int depth,
                   bool allow_document, const char *what) {
  bool is_root = depth == 0;
  if (!lua_istable(L, -1))
    S_fail(L, what, "expected a node (a table), got %s", luaL_typename(L, -1));
  S_mark_seen(L, seen, what);
  /* Fields of a lazy table never read come from its C node. */
  long h = ss_filter__lazy(L, -1);
  unsigned lazy = h >= 0 ? ss_filter__set(L)->handles[h].lazy : 0;
  const ss_node *orig = h >= 0 ? ss_filter__set(L)->handles[h].node : NULL;
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

  int line = lazy & SS_LAZY_LINE ? orig->line : 0;
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
    if ((t == LUA_TTABLE && lua_rawlen(L, -1) > 0) ||
        ((lazy & SS_LAZY_CHILDREN) && orig->first))
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

  if ((lazy & SS_LAZY_CHILDREN) && depth + S_height(orig) > SS_FILTER_MAX_DEPTH)
    S_fail(L, what, "%s", "nodes nested deeper than 256 levels");
  ss_node *node = ss_node_append(parent, ss_node_new(kind, line));
  if (lazy & SS_LAZY_ATTRS) {
    S_copy_attrs(node, orig);
  } else {
    t = S_rawfield(L, -2, "attributes");
    if (t == LUA_TTABLE)
      S_set_attrs(L, node, what);
    else if (t != LUA_TNIL)
      S_fail(L, what, "%s", "attributes must be a table");
    lua_pop(L, 1);
  }
  if (lazy & SS_LAZY_CHILDREN) {
    for (const ss_node *c = orig->first; c; c = c->next)
      ss_node_append(node, ss_node_clone(c));
    lua_pop(L, 2);
    return false;
  }
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
  } else if (S_make(L, parent, seen, 0, allow_document, what)) {
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
    if (!S_make(L, f->node, seen, depth, false, what))
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
