/* filter.c — the Lua state of a run: sandbox, bounds, loading filters
 * and walking the tree with them.
 *
 * One state serves every document of a run (creating one costs more
 * than filtering a small spec). Everything that touches Lua runs inside
 * one lua_pcall per document, so a Lua error (including running out of
 * the memory bound) unwinds to one place; C nodes under construction
 * hang from fs->holders meanwhile so the unwind leaks nothing. */
#include <errno.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* The count hook runs every this many VM instructions: often enough to
 * stop a runaway loop quickly, rarely enough to cost nothing. */
#define S_HOOK_STEP 1000

#define S_FILTERS_KEY "specsite.filters"

ss_filter_set *ss_filter__set(lua_State *L) {
  return *(ss_filter_set **)lua_getextraspace(L);
}

ss_node *ss_filter__holder(ss_filter_set *fs) {
  return ss_node_append(fs->holders, ss_node_new(SS_CONTAINER, 0));
}

void ss_filter__release(ss_node *holder) { ss_node_free(holder); }

/* "file:line" of the innermost Lua function running, into buf. */
static void S_where(lua_State *L, char *buf, size_t size) {
  lua_Debug ar;
  buf[0] = '\0';
  for (int level = 0; lua_getstack(L, level, &ar); level++) {
    if (!lua_getinfo(L, "Sl", &ar))
      break;
    if (ar.currentline > 0) {
      snprintf(buf, size, "%s:%d", ar.short_src, ar.currentline);
      return;
    }
  }
}

/* --- bounds -------------------------------------------------------- */

/* Small blocks come from the set's own free lists, one per 16-byte
 * size class: filters make a few small tables per node, and the C
 * allocator's general path costs several times a list pop. The lists
 * only ever hold what was freed, so their size is bounded by the peak
 * of the state's memory (itself bounded), not by the number of
 * documents. Under AddressSanitizer every block goes to malloc, which
 * then checks Lua's use of it. */
#if defined(__SANITIZE_ADDRESS__)
#define S_POOLED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define S_POOLED 0
#endif
#endif
#ifndef S_POOLED
#define S_POOLED 1
#endif

typedef struct S_chunk {
  struct S_chunk *next;
  max_align_t align[]; /* blocks follow */
} S_chunk;

#define S_CHUNK_BYTES (64 * 1024)

static size_t S_class(size_t n) {
  return n <= SS_FILTER_POOL_MAX ? (n + 15) / 16 : 0;
}

static void *S_pool_get(ss_filter_pool *p, size_t c) {
  ss_filter_block *b = p->free[c];
  if (b) {
    p->free[c] = b->next;
    return b;
  }
  size_t size = c * 16;
  if (p->left < size) {
    S_chunk *ch = malloc(S_CHUNK_BYTES);
    if (!ch)
      return NULL;
    ch->next = p->chunks;
    p->chunks = ch;
    p->bump = (char *)ch->align;
    p->left = S_CHUNK_BYTES - offsetof(S_chunk, align);
  }
  void *r = p->bump;
  p->bump += size;
  p->left -= size;
  return r;
}

static void S_pool_put(ss_filter_pool *p, void *ptr, size_t c) {
  ss_filter_block *b = ptr;
  b->next = p->free[c];
  p->free[c] = b;
}

static void S_pool_free(ss_filter_pool *p) {
  for (S_chunk *ch = p->chunks, *next; ch; ch = next) {
    next = ch->next;
    free(ch);
  }
}

/* realloc in the pool or in malloc, whichever each size belongs to. */
static void *S_realloc(ss_filter_pool *p, void *ptr, size_t old, size_t nsize) {
  size_t oc = S_POOLED && ptr ? S_class(old) : 0;
  size_t nc = S_POOLED ? S_class(nsize) : 0;
  if (nsize == 0) {
    if (oc)
      S_pool_put(p, ptr, oc);
    else
      free(ptr);
    return NULL;
  }
  if (!oc && !nc)
    return realloc(ptr, nsize);
  if (oc && oc == nc)
    return ptr;
  void *r = nc ? S_pool_get(p, nc) : malloc(nsize);
  if (!r)
    return NULL;
  if (ptr) {
    memcpy(r, ptr, old < nsize ? old : nsize);
    if (oc)
      S_pool_put(p, ptr, oc);
    else
      free(ptr);
  }
  return r;
}

static void *S_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  ss_filter_set *fs = ud;
  size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    S_realloc(&fs->pool, ptr, old, 0);
    fs->mem_used -= old;
    return NULL;
  }
  if (nsize > old &&
      (fs->mem_exceeded || nsize - old > fs->mem_limit - fs->mem_used)) {
    /* Sticky: a filter that catches the error with pcall gets no more
     * memory, and the run fails anyway once it returns. */
    if (!fs->mem_exceeded && fs->L)
      S_where(fs->L, fs->mem_where, sizeof fs->mem_where);
    fs->mem_exceeded = true;
    return NULL;
  }
  void *p = S_realloc(&fs->pool, ptr, old, nsize);
  if (p)
    fs->mem_used = fs->mem_used - old + nsize;
  return p;
}

static double S_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void S_hook(lua_State *L, lua_Debug *ar);

/* The count, then the clock (a vDSO call, some 20 ns against the
 * microseconds a step of S_HOOK_STEP instructions takes). */
void ss_filter__charge(lua_State *L, size_t cost) {
  ss_filter_set *fs = ss_filter__set(L);
  fs->instructions += cost;
  if (!fs->instr_exceeded && !fs->time_exceeded) {
    if (fs->instructions > fs->opts.max_instructions)
      fs->instr_exceeded = true;
    else if (S_now() > fs->deadline)
      fs->time_exceeded = true;
    else
      return;
  }
  /* From now on every instruction raises, so a pcall loop in the filter
   * cannot outlast the bound. */
  lua_sethook(L, S_hook, LUA_MASKCOUNT, 1);
  char where[128];
  S_where(L, where, sizeof where);
  /* lua_error, not luaL_error: called from a C function (a pattern
   * match), luaL_error would name the Lua line a second time. */
  if (fs->instr_exceeded)
    lua_pushfstring(L, "%s: instruction limit reached (%I per document)", where,
                    (lua_Integer)fs->opts.max_instructions);
  else
    lua_pushfstring(L, "%s: time limit reached (%f s per document)", where,
                    (lua_Number)fs->opts.max_seconds);
  lua_error(L);
}

static void S_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  ss_filter__charge(L, S_HOOK_STEP);
}

static void S_reset_bounds(ss_filter_set *fs) {
  fs->instructions = 0;
  fs->instr_exceeded = fs->time_exceeded = false;
  fs->deadline = S_now() + fs->opts.max_seconds;
  lua_sethook(fs->L, S_hook, LUA_MASKCOUNT, S_HOOK_STEP);
}

/* --- sandbox ------------------------------------------------------- */

/* load(chunk [, chunkname [, mode [, env]]]) in text mode only. */
static int S_load_text(lua_State *L) {
  int n = lua_gettop(L);
  if (n >= 3 && !lua_isnil(L, 3) && strcmp(luaL_checkstring(L, 3), "t"))
    return luaL_error(L, "load: binary chunks are not allowed (mode 't')");
  if (n < 3)
    lua_settop(L, n = 3);
  lua_pushliteral(L, "t");
  lua_replace(L, 3);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, n, LUA_MULTRET);
  return lua_gettop(L);
}

/* setmetatable without finalizers: Lua runs __gc with hooks off, so a
 * finalizer would be outside every bound (an endless loop in one hangs
 * the run for good). Any __gc at all is refused, since a placeholder
 * marks the object and a function put there later would run. */
static int S_setmetatable(lua_State *L) {
  if (lua_type(L, 2) == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL)
      return luaL_error(L, "setmetatable: __gc is not allowed in filters "
                           "(finalizers run outside the bounds)");
    lua_pop(L, 1);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

/* Two library loops are bounded by a count, not by memory, and run in
 * one C call the hook never interrupts: string.rep of an empty string
 * (with an empty separator) copies nothing 1e15 times, table.move of
 * nils moves nothing as often. The first answers "" at once; the
 * second pays for what it moves before it starts. */
static int S_rep(lua_State *L) {
  size_t l, lsep;
  luaL_checklstring(L, 1, &l);
  luaL_checkinteger(L, 2);
  luaL_optlstring(L, 3, "", &lsep);
  if (l + lsep == 0) {
    lua_pushliteral(L, "");
    return 1;
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

static int S_move(lua_State *L) {
  lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
  if (e >= f) /* the count as unsigned: e - f may not fit a lua_Integer */
    ss_filter__charge(L, (size_t)((lua_Unsigned)e - (lua_Unsigned)f) + 1);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

/* table.insert, remove and sort walk #t elements in C, through __index
 * and __newindex when the table has them: with C functions there
 * (rawequal, rawget) and a __len of 2^62 nothing is allocated and the
 * hook never runs. They pay for #t (sort for n log n) first. */
static int S_walks_length(lua_State *L) {
  if (lua_type(L, 1) == LUA_TTABLE) {
    lua_Integer n = luaL_len(L, 1);
    if (n > 0) {
      size_t cost = (size_t)n, log = 1;
      if (lua_toboolean(L, lua_upvalueindex(2)))
        while ((lua_Unsigned)n >> log)
          log++;
      ss_filter__charge(L, cost > SIZE_MAX / log ? SIZE_MAX : cost * log);
    }
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

/* Replaces lib.name by fn, with the original as its upvalue. */
static void S_wrap(lua_State *L, const char *lib, const char *name,
                   lua_CFunction fn) {
  lua_getglobal(L, lib);
  lua_getfield(L, -1, name);
  lua_pushcclosure(L, fn, 1);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

/* print goes to standard error: standard output may be the page. */
static int S_print(lua_State *L) {
  int n = lua_gettop(L);
  for (int i = 1; i <= n; i++) {
    size_t len;
    const char *s = luaL_tolstring(L, i, &len);
    if (i > 1)
      fputc('\t', stderr);
    fwrite(s, 1, len, stderr);
    lua_pop(L, 1);
  }
  fputc('\n', stderr);
  return 0;
}

static int S_open_libs(lua_State *L) {
  bool unsafe = lua_toboolean(L, 1);
  if (unsafe) {
    luaL_openlibs(L);
  } else {
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string},
        {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
        {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL}};
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
      luaL_requiref(L, lib->name, lib->func, 1);
      lua_pop(L, 1);
    }
    lua_pushnil(L);
    lua_setglobal(L, "dofile");
    lua_pushnil(L);
    lua_setglobal(L, "loadfile");
    lua_getglobal(L, "load");
    lua_pushcclosure(L, S_load_text, 1);
    lua_setglobal(L, "load");
    lua_getglobal(L, "setmetatable");
    lua_pushcclosure(L, S_setmetatable, 1);
    lua_setglobal(L, "setmetatable");
    ss_filter__open_patterns(L);
    S_wrap(L, LUA_STRLIBNAME, "rep", S_rep);
    S_wrap(L, LUA_TABLIBNAME, "move", S_move);
    static const char *const walks[] = {"insert", "remove", "sort"};
    for (int i = 0; i < 3; i++) {
      lua_getglobal(L, LUA_TABLIBNAME);
      lua_getfield(L, -1, walks[i]);
      lua_pushboolean(L, i == 2); /* sort: n log n */
      lua_pushcclosure(L, S_walks_length, 2);
      lua_setfield(L, -2, walks[i]);
      lua_pop(L, 1);
    }
  }
  lua_pushcfunction(L, S_print);
  lua_setglobal(L, "print");
  ss_filter__open_convert(L);
  ss_filter__open_api(L);
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, S_FILTERS_KEY);
  return 0;
}

ss_filter_set *ss_filter_set_new(const ss_filter_options *opts) {
  ss_filter_set *fs = ss_xcalloc(1, sizeof *fs);
  fs->opts = *opts;
  if (!fs->opts.max_instructions)
    fs->opts.max_instructions = SS_FILTER_MAX_INSTRUCTIONS;
  if (!fs->opts.max_memory)
    fs->opts.max_memory = SS_FILTER_MAX_MEMORY;
  if (!(fs->opts.max_seconds > 0))
    fs->opts.max_seconds = SS_FILTER_MAX_SECONDS;
  fs->mem_limit = fs->opts.max_memory;
  fs->holders = ss_node_new(SS_CONTAINER, 0);
  fs->doc_path = "<no document>"; /* while filters load */
  lua_State *L = lua_newstate(S_alloc, fs);
  if (!L) {
    ss_filter_set_free(fs);
    return NULL;
  }
  fs->L = L;
  *(ss_filter_set **)lua_getextraspace(L) = fs;
  lua_pushcfunction(L, S_open_libs);
  lua_pushboolean(L, fs->opts.unsafe);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    ss_filter_set_free(fs);
    return NULL;
  }
  /* A collection cycle starts when the heap has grown by this much: a
   * walk makes a table per node, nearly all garbage at once, and the
   * live heap (filters, the list of lazy tables) would otherwise be
   * traversed again every few hundred KB. The memory bound still
   * holds: Lua collects in full before it fails an allocation. */
  lua_gc(L, LUA_GCINC, 400, 0, 0);
  S_reset_bounds(fs);
  return fs;
}

void ss_filter_set_free(ss_filter_set *fs) {
  if (!fs)
    return;
  if (fs->L)
    lua_close(fs->L);
  S_pool_free(&fs->pool);
  ss_node_free(fs->holders);
  free(fs->filters);
  free(fs->handles);
  free(fs->map);
  free(fs->deferred);
  ss_buf_free(&fs->scratch);
  ss_buf_free(&fs->error);
  free(fs);
}

const char *ss_filter_error(const ss_filter_set *fs) {
  return fs->error.data ? fs->error.data : "";
}

/* --- errors -------------------------------------------------------- */

/* Message handler: gives a message without a position the position of
 * the Lua code that raised it. */
static int S_msgh(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (!msg)
    msg =
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  char where[128];
  S_where(L, where, sizeof where);
  /* Lua's own messages start "file:line:"; keep those as they are. */
  const char *colon = strrchr(where, ':');
  size_t flen = colon ? (size_t)(colon - where) : 0;
  if (flen && !(strncmp(msg, where, flen) == 0 && msg[flen] == ':'))
    lua_pushfstring(L, "%s: %s", where, msg);
  else
    lua_pushstring(L, msg);
  return 1;
}

/* Records the failure of a protected call (its message on the stack). */
static void S_failed(ss_filter_set *fs, int status, const char *prefix) {
  lua_State *L = fs->L;
  ss_buf_clear(&fs->error);
  ss_buf_puts(&fs->error, prefix);
  if (status == LUA_ERRMEM || (fs->mem_exceeded && status != LUA_OK)) {
    ss_buf_printf(&fs->error, "%s%smemory limit reached (%zu bytes)",
                  fs->mem_where, fs->mem_where[0] ? ": " : "",
                  fs->opts.max_memory);
  } else if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    ss_buf_puts(&fs->error, msg ? msg : "(error object is not a string)");
  } else if (fs->instr_exceeded || fs->time_exceeded) {
    ss_buf_printf(&fs->error,
                  "%s limit reached (the filter caught the error and went "
                  "on)",
                  fs->instr_exceeded ? "instruction" : "time");
  } else {
    ss_buf_printf(&fs->error, "%s%smemory limit reached (%zu bytes)",
                  fs->mem_where, fs->mem_where[0] ? ": " : "",
                  fs->opts.max_memory);
  }
  /* Whatever was being built when Lua unwound. */
  while (fs->holders->first)
    ss_node_free(fs->holders->first);
}

/* --- loading ------------------------------------------------------- */

/* The loaded chunk's table at -1, checked; then appended to the chain as
 * {fns = table, path = name, topdown = bool}. */
static int S_register(lua_State *L) {
  const char *name = lua_tostring(L, 2);
  if (!lua_istable(L, 1))
    return luaL_error(L,
                      "%s: a filter must return a table of functions, "
                      "not %s",
                      name, luaL_typename(L, 1));
  bool topdown = false;
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    if (lua_type(L, -2) != LUA_TSTRING)
      return luaL_error(L,
                        "%s: the filter's table has a key that is not "
                        "a string",
                        name);
    const char *key = lua_tostring(L, -2);
    ss_kind kind;
    if (strcmp(key, "traverse") == 0) {
      const char *v = lua_tostring(L, -1);
      if (!v || (strcmp(v, "topdown") && strcmp(v, "bottomup")))
        return luaL_error(L,
                          "%s: traverse must be \"topdown\" or "
                          "\"bottomup\"",
                          name);
      topdown = strcmp(v, "topdown") == 0;
    } else if (!ss_filter__kind_from_name(key, &kind)) {
      return luaL_error(L,
                        "%s: unknown node kind '%s' (the kinds are "
                        "those 'specsite ast' prints)",
                        name, key);
    } else if (!lua_isfunction(L, -1)) {
      return luaL_error(L, "%s: '%s' must be a function", name, key);
    }
    lua_pop(L, 1);
  }
  /* The functions by kind (index kind + 1), so that the walk asks a C
   * array whether a node has one and Lua only for those that do. The
   * table is read once: a filter that changes it later changes nothing,
   * as before (the keys were checked once). */
  ss_filter_set *fs = ss_filter__set(L);
  ss_filter_info info = {.topdown = topdown};
  lua_createtable(L, SS_KIND_COUNT, 0);
  for (int k = 0; k < SS_KIND_COUNT; k++) {
    if (k == SS_DOCUMENT)
      continue;
    if (lua_getfield(L, 1, ss_filter__kind_name((ss_kind)k)) == LUA_TFUNCTION)
      info.has[k] = true;
    lua_rawseti(L, -2, k + 1);
  }
  lua_getfield(L, LUA_REGISTRYINDEX, S_FILTERS_KEY);
  lua_createtable(L, 0, 3);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "fns");
  lua_pushvalue(L, -3);
  lua_setfield(L, -2, "bykind");
  lua_pushvalue(L, 2);
  lua_setfield(L, -2, "path");
  lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
  fs->filters = ss_xrealloc(fs->filters,
                            (size_t)(fs->nfilters + 1) * sizeof *fs->filters);
  fs->filters[fs->nfilters] = info;
  return 0;
}

typedef struct {
  const char *name, *code;
} S_load_args;

static int S_load_protected(lua_State *L) {
  const S_load_args *a = lua_touserdata(L, 1);
  lua_pushfstring(L, "@%s", a->name);
  /* A file is read as every file of a repository is (a regular file,
   * within the limit: not /dev/zero); a first line starting with '#' is
   * skipped, as luaL_loadfile skips it, its newline kept for the line
   * numbers. */
  size_t len = 0;
  char *text = a->code ? NULL : ss_read_file(a->name, &len);
  if (!a->code && !text)
    return luaL_error(L, "cannot read %s: %s", a->name,
                      errno == EINVAL ? "not a regular file" : strerror(errno));
  const char *code = a->code ? a->code : text;
  size_t code_len = a->code ? strlen(a->code) : len;
  if (text && code_len > 0 && code[0] == '#') {
    const char *nl = memchr(code, '\n', code_len);
    code_len -= nl ? (size_t)(nl - code) : code_len;
    code = nl ? nl : code + code_len;
  }
  int status = luaL_loadbufferx(L, code, code_len, lua_tostring(L, -1), "t");
  free(text);
  if (status != LUA_OK)
    return lua_error(L);
  lua_call(L, 0, 1);
  lua_pushcfunction(L, S_register);
  lua_insert(L, -2);
  lua_pushstring(L, a->name);
  lua_call(L, 2, 0);
  return 0;
}

static bool S_load(ss_filter_set *fs, const char *name, const char *code) {
  lua_State *L = fs->L;
  S_load_args a = {name, code};
  S_reset_bounds(fs);
  lua_pushcfunction(L, S_msgh);
  lua_pushcfunction(L, S_load_protected);
  lua_pushlightuserdata(L, &a);
  int status = lua_pcall(L, 1, 0, -3);
  if (status != LUA_OK || fs->mem_exceeded || fs->instr_exceeded ||
      fs->time_exceeded) {
    S_failed(fs, status, "cannot load filter: ");
    /* A filter registered before the bound was noticed is dropped. */
    if (lua_getfield(L, LUA_REGISTRYINDEX, S_FILTERS_KEY) == LUA_TTABLE)
      for (lua_Integer n = (lua_Integer)lua_rawlen(L, -1); n > fs->nfilters;
           n--) {
        lua_pushnil(L);
        lua_rawseti(L, -2, n);
      }
    lua_pop(L, 1);
    if (status != LUA_OK)
      lua_pop(L, 1);
    lua_pop(L, 1);
    return false;
  }
  lua_pop(L, 1);
  fs->nfilters++;
  return true;
}

bool ss_filter_set_load(ss_filter_set *fs, const char *path) {
  return S_load(fs, path, NULL);
}

bool ss_filter_set_load_string(ss_filter_set *fs, const char *name,
                               const char *code) {
  return S_load(fs, name, code);
}

/* --- running ------------------------------------------------------- */

/* Converts what a function returned (at the top of the stack, above a
 * copy of the function) into new nodes under a fresh holder; NULL when
 * it returned nil. */
static ss_node *S_result(lua_State *L, ss_filter_set *fs, const char *kind) {
  if (lua_isnil(L, -1))
    return NULL;
  lua_Debug ar;
  lua_pushvalue(L, -2);
  lua_getinfo(L, ">S", &ar);
  const char *what = lua_pushfstring(L, "%s:%d: function '%s' returned",
                                     ar.short_src, ar.linedefined, kind);
  if (!lua_istable(L, -2))
    luaL_error(L, "%s %s: return nil, a node or a list of nodes", what,
               luaL_typename(L, -2));
  ss_node *holder = ss_filter__holder(fs);
  lua_pushliteral(L, "kind");
  bool is_node = lua_rawget(L, -3) != LUA_TNIL;
  lua_pop(L, 1);
  if (is_node)
    ss_filter__to_node(L, -2, holder, false, what);
  else
    ss_filter__to_nodes(L, -2, holder, what);
  lua_pop(L, 1); /* what */
  return holder;
}

/* Puts the nodes of holder in place of target and frees the holder;
 * target goes to `grave` (kept whole: lazy tables may read it) or, when
 * grave is NULL, is freed. */
static void S_replace(ss_node *target, ss_node *holder, ss_node *grave) {
  while (holder->first)
    ss_node_insert_before(target, ss_node_unlink(holder->first));
  if (grave)
    ss_node_append(grave, ss_node_unlink(target));
  else
    ss_node_free(target);
  ss_filter__release(holder);
}

/* The `document` function, if any, on the whole tree. */
static void S_apply_document(lua_State *L, ss_filter_set *fs, int fns,
                             ss_node **document) {
  if (lua_getfield(L, fns, "document") != LUA_TFUNCTION) {
    lua_pop(L, 1);
    return;
  }
  lua_pushvalue(L, -1);
  ss_filter__push_lazy(L, *document, 0);
  lua_call(L, 1, 1);
  ss_node *holder = NULL;
  if (!lua_isnil(L, -1)) {
    lua_Debug ar;
    lua_pushvalue(L, -2);
    lua_getinfo(L, ">S", &ar);
    const char *what = lua_pushfstring(L, "%s:%d: function 'document' returned",
                                       ar.short_src, ar.linedefined);
    holder = ss_filter__holder(fs);
    ss_filter__to_node(L, -2, holder, true, what);
    if (holder->first->kind != SS_DOCUMENT)
      luaL_error(L, "%s a %s: return nil or a document node", what,
                 ss_filter__kind_name(holder->first->kind));
    lua_pop(L, 1);
  }
  lua_pop(L, 2);
  /* Lazy tables may still read the old tree. */
  ss_filter__flush(L);
  if (holder) {
    ss_node_free(*document);
    *document = ss_node_unlink(holder->first);
    ss_filter__release(holder);
  }
}

/* One filter over the tree: a flat walk; each node's function is called
 * on EXIT (bottom-up: children first) or ENTER (top-down; a replaced
 * node's replacement is not walked into).
 *
 * Functions get lazy tables, which read the C tree until the flush at
 * the end, so the tree under them must not change meanwhile. Bottom-up,
 * a replacement only ever changes nodes after (in walk order) every node
 * handed out so far, outside their subtrees; the replaced node itself
 * waits in a holder, whole, until the flush. Top-down, a replacement
 * would change the subtree of an ancestor already handed out, so
 * replacements wait until the walk is over (nothing walks into them). */
static void S_walk(lua_State *L, ss_filter_set *fs, int bykind,
                   const ss_filter_info *info, ss_node *document) {
  bool topdown = info->topdown;
  ss_node *grave = ss_filter__holder(fs);
  fs->ndeferred = 0;
  int ctx = ss_filter__lazy_ctx(L);
  ss_iter it;
  ss_iter_init(&it, document);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if ((ev == SS_EVENT_ENTER) != topdown || !info->has[n->kind] ||
        n == document)
      continue;
    lua_rawgeti(L, bykind, n->kind + 1);
    lua_pushvalue(L, -1);
    ss_filter__push_lazy(L, n, ctx);
    lua_call(L, 1, 1);
    ss_node *holder = S_result(L, fs, ss_filter__kind_name(n->kind));
    lua_pop(L, 2);
    if (!holder)
      continue;
    if (!topdown) {
      ss_iter_skip_to_next(&it);
      S_replace(n, holder, grave);
      continue;
    }
    ss_iter_skip_children(&it);
    if (fs->ndeferred == fs->deferred_cap) {
      fs->deferred_cap = fs->deferred_cap ? 2 * fs->deferred_cap : 64;
      fs->deferred =
          ss_xrealloc(fs->deferred, fs->deferred_cap * sizeof *fs->deferred);
    }
    fs->deferred[fs->ndeferred++] = (ss_filter_deferred){n, holder};
  }
  lua_settop(L, ctx - 1);
  ss_filter__flush(L);
  for (size_t i = 0; i < fs->ndeferred; i++)
    S_replace(fs->deferred[i].target, fs->deferred[i].holder, NULL);
  fs->ndeferred = 0;
  ss_filter__release(grave);
}

typedef struct {
  ss_filter_set *fs;
  ss_node **document;
  const ss_filter_page *page;
} S_run_args;

static int S_run_protected(lua_State *L) {
  S_run_args *a = lua_touserdata(L, 1);
  ss_filter__set_page(L, a->page);
  lua_getfield(L, LUA_REGISTRYINDEX, S_FILTERS_KEY);
  int list = lua_gettop(L);
  for (int i = 0; i < a->fs->nfilters; i++) {
    lua_rawgeti(L, list, i + 1);
    lua_getfield(L, -1, "fns");
    lua_getfield(L, -2, "bykind");
    S_walk(L, a->fs, lua_gettop(L), &a->fs->filters[i], *a->document);
    S_apply_document(L, a->fs, lua_gettop(L) - 1, a->document);
    lua_pop(L, 3);
  }
  return 0;
}

bool ss_filter_set_run(ss_filter_set *fs, ss_node **document,
                       const ss_filter_page *page) {
  lua_State *L = fs->L;
  ss_filter_page none = {0};
  if (!page)
    page = &none;
  fs->doc_path = page->source ? page->source : "<document>";
  ss_buf_clear(&fs->error);
  if (fs->nfilters == 0)
    return true;
  S_reset_bounds(fs);
  /* The memory bound is sticky within a document; the next one starts
   * afresh, once the failed one's garbage is gone (a filter that keeps
   * too much in globals fails again by itself). */
  if (fs->mem_exceeded) {
    fs->mem_exceeded = false;
    fs->mem_where[0] = '\0';
    lua_gc(L, LUA_GCCOLLECT);
  }
  S_run_args a = {fs, document, page};
  lua_pushcfunction(L, S_msgh);
  lua_pushcfunction(L, S_run_protected);
  lua_pushlightuserdata(L, &a);
  int status = lua_pcall(L, 1, 0, -3);
  /* Whatever the outcome, no Lua table may read the tree from now on,
   * and the collector runs again (a failed flush leaves it stopped). */
  ss_filter__forget(L);
  lua_gc(L, LUA_GCRESTART);
  fs->ndeferred = 0;
  bool ok = status == LUA_OK && !fs->mem_exceeded && !fs->instr_exceeded &&
            !fs->time_exceeded;
  if (!ok) {
    ss_buf prefix = SS_BUF_INIT;
    ss_buf_printf(&prefix, "%s: filter error: ", fs->doc_path);
    S_failed(fs, status, prefix.data);
    ss_buf_free(&prefix);
  }
  lua_settop(L, 0);
  /* The caller's path may not outlive the call; a finalizer that warns
   * later (at lua_close) must not read it. */
  fs->doc_path = "<no document>";
  /* Collect now: the next document starts from a small heap. */
  if (ok)
    lua_gc(L, LUA_GCCOLLECT);
  return ok;
}

void ss_filter_page_title(ss_node *doc, ss_buf *out) {
  ss_iter it;
  ss_iter_init(&it, doc);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (ev == SS_EVENT_ENTER && n->kind == SS_TITLE && n->parent &&
        n->parent->kind == SS_SECTION) {
      ss_node_text_content(n, out);
      return;
    }
  }
}

void ss_filter_release_of(const char *path, ss_buf *out) {
  if (!path)
    return;
  const char *p = path;
  while (*p) {
    size_t n = strcspn(p, "/");
    if (n == 5 && strncmp(p, "specs", 5) == 0 && p[5] == '/') {
      const char *r = p + 6;
      size_t rn = strcspn(r, "/");
      if (r[rn] == '/' && rn > 0) { /* a folder, not the file itself */
        ss_buf_put(out, r, rn);
        return;
      }
    }
    p += n;
    while (*p == '/')
      p++;
  }
}
