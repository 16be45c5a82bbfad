/* api.c — the `specsite` global: what a filter can ask of specsite.
 *
 * Functions that build nodes check their arguments at once, so a mistake
 * is reported at the filter's line rather than when the result comes
 * back. Anything that builds C nodes does it under a holder (see
 * internal.h): a Lua error in the middle leaks nothing. */
#include <lauxlib.h>
#include <string.h>

#include "../rst/rst.h"
#include "../transforms/transforms.h"
#include "internal.h"

/* specsite.node(kind, attributes?, children?) */
static int S_node(lua_State *L) {
  /* Missing arguments as nils: the node's table must not be taken for
   * one of them. */
  lua_settop(L, 3);
  const char *name = luaL_checkstring(L, 1);
  ss_kind kind;
  if (!ss_filter__kind_from_name(name, &kind))
    return luaL_error(L, "specsite.node: unknown node kind '%s'", name);
  if (kind == SS_TEXT)
    return luaL_error(L, "specsite.node: use specsite.text for text");
  if (kind == SS_DOCUMENT)
    return luaL_error(L, "specsite.node: a document cannot be built");
  if (!lua_isnoneornil(L, 2))
    luaL_checktype(L, 2, LUA_TTABLE);
  if (!lua_isnoneornil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_pushliteral(L, "kind");
    if (lua_rawget(L, 3) != LUA_TNIL)
      return luaL_error(L, "specsite.node: a node given where a list of "
                           "children is expected");
    lua_pop(L, 1);
  }
  lua_createtable(L, 0, 4);
  lua_pushstring(L, name);
  lua_setfield(L, -2, "kind");
  lua_pushinteger(L, 0);
  lua_setfield(L, -2, "line");
  if (lua_istable(L, 2))
    lua_pushvalue(L, 2);
  else
    lua_newtable(L);
  /* Empty lists on first use, as on the nodes a filter gets. */
  if (!lua_getmetatable(L, -1))
    luaL_setmetatable(L, SS_FILTER_LISTS_META);
  else
    lua_pop(L, 1);
  lua_setfield(L, -2, "attributes");
  if (lua_istable(L, 3))
    lua_pushvalue(L, 3);
  else
    lua_newtable(L);
  lua_setfield(L, -2, "children");
  return 1;
}

/* specsite.text(string) */
static int S_text(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_createtable(L, 0, 4);
  lua_pushliteral(L, "text");
  lua_setfield(L, -2, "kind");
  lua_pushlstring(L, s, len);
  lua_setfield(L, -2, "text");
  lua_pushinteger(L, 0);
  lua_setfield(L, -2, "line");
  lua_newtable(L);
  luaL_setmetatable(L, SS_FILTER_LISTS_META);
  lua_setfield(L, -2, "attributes");
  return 1;
}

/* specsite.stringify(node or list of nodes or string): text content. */
static int S_stringify(lua_State *L) {
  if (lua_type(L, 1) == LUA_TSTRING) {
    lua_settop(L, 1);
    return 1;
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  ss_filter_set *fs = ss_filter__set(L);
  /* A node whose children were never read: straight from the tree. */
  long h = ss_filter__lazy(L, 1);
  if (h >= 0 && (fs->handles[h].lazy & SS_LAZY_CHILDREN)) {
    ss_buf_clear(&fs->scratch);
    ss_node_text_content(fs->handles[h].node, &fs->scratch);
    lua_pushlstring(L, fs->scratch.data ? fs->scratch.data : "",
                    fs->scratch.len);
    return 1;
  }
  ss_node *holder = ss_filter__holder(fs);
  lua_pushliteral(L, "kind");
  bool is_node = lua_rawget(L, 1) != LUA_TNIL;
  lua_pop(L, 1);
  if (is_node)
    ss_filter__to_node(L, 1, holder, true, "specsite.stringify");
  else
    ss_filter__to_nodes(L, 1, holder, "specsite.stringify");
  ss_buf_clear(&fs->scratch);
  ss_node_text_content(holder, &fs->scratch);
  ss_filter__release(holder);
  lua_pushlstring(L, fs->scratch.data ? fs->scratch.data : "", fs->scratch.len);
  return 1;
}

/* specsite.read(text, format): a list of block nodes. */
static int S_read(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  const char *format = luaL_optstring(L, 2, "rst");
  ss_filter_set *fs = ss_filter__set(L);
  ss_node *holder = ss_filter__holder(fs);
  if (strcmp(format, "rst") == 0) {
    /* Problems stay in the tree as system_message nodes, as in any
     * document; a quiet diag keeps them off the run's report. */
    ss_diag quiet;
    ss_diag_init(&quiet);
    quiet.quiet = 1;
    ss_rst_options ro = {
        .path = fs->doc_path, .report_level = SS_LEVEL_WARNING, .diag = &quiet};
    ss_node *doc = ss_node_append(holder, ss_rst_parse(text, len, &ro));
    ss_transform_options to = {.path = fs->doc_path, .diag = &quiet};
    ss_transform_document(doc, &to);
    ss_node_move_children(doc, holder);
    ss_node_free(doc);
  } else if (strcmp(format, "markdown") == 0 ||
             strcmp(format, "commonmark") == 0) {
    ss_filter__read_markdown(text, len, holder);
  } else {
    return luaL_error(L,
                      "specsite.read: unknown format '%s' (rst or "
                      "markdown)",
                      format);
  }
  lua_newtable(L);
  lua_Integer i = 1;
  for (ss_node *c = holder->first; c; c = c->next) {
    ss_filter__push_node(L, c);
    lua_rawseti(L, -2, i++);
  }
  ss_filter__release(holder);
  return 1;
}

/* specsite.warn(message [, line or node]) */
static int S_warn(lua_State *L) {
  const char *msg = luaL_checkstring(L, 1);
  int line = 0;
  if (lua_isinteger(L, 2)) {
    line = (int)lua_tointeger(L, 2);
  } else if (lua_istable(L, 2)) {
    lua_pushliteral(L, "line");
    if (ss_filter__lazy(L, 2) >= 0)
      lua_gettable(L, 2); /* filled in from the tree */
    else
      lua_rawget(L, 2);
    if (lua_type(L, -1) == LUA_TNUMBER && lua_isinteger(L, -1))
      line = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
  }
  ss_filter_set *fs = ss_filter__set(L);
  /* luaL_where gives "file:line: "; the warning reads
   * "spec.rst:12: WARNING: message (filter todo-warn.lua:9)". */
  luaL_where(L, 1);
  size_t wlen;
  const char *where = lua_tolstring(L, -1, &wlen);
  while (wlen > 0 && (where[wlen - 1] == ' ' || where[wlen - 1] == ':'))
    wlen--;
  ss_buf_clear(&fs->scratch);
  ss_buf_puts(&fs->scratch, msg);
  if (wlen)
    ss_buf_printf(&fs->scratch, " (filter %.*s)", (int)wlen, where);
  if (fs->opts.diag)
    ss_diag_report(fs->opts.diag, fs->doc_path, line > 0 ? line : 0,
                   SS_LEVEL_WARNING, fs->scratch.data);
  return 0;
}

void ss_filter__open_api(lua_State *L) {
  static const luaL_Reg fns[] = {{"node", S_node},           {"text", S_text},
                                 {"stringify", S_stringify}, {"read", S_read},
                                 {"warn", S_warn},           {NULL, NULL}};
  luaL_newlib(L, fns);
  lua_newtable(L);
  lua_setfield(L, -2, "page");
  lua_setglobal(L, "specsite");
}

void ss_filter__set_page(lua_State *L, const ss_filter_page *page) {
  lua_getglobal(L, "specsite");
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    return;
  }
  lua_createtable(L, 0, 4);
  lua_pushstring(L, page->source ? page->source : "");
  lua_setfield(L, -2, "source");
  lua_pushstring(L, page->url ? page->url : "");
  lua_setfield(L, -2, "url");
  lua_pushstring(L, page->release ? page->release : "");
  lua_setfield(L, -2, "release");
  lua_pushstring(L, page->title ? page->title : "");
  lua_setfield(L, -2, "title");
  lua_setfield(L, -2, "page");
  lua_pop(L, 1);
}
