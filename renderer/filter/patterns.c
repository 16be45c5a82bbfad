/* patterns.c — string.find, match, gmatch and gsub for the sandbox, with
 * Lua 5.4's pattern semantics (the reference manual, section 6.4.1) and
 * a cost paid as it is spent.
 *
 * Lua's own matcher runs inside one C call, where the count hook never
 * fires: a backtracking pattern (30 'a*' against 30 'a') or a quadratic
 * one on a long text runs for hours past every bound. Here each step of
 * the matcher (an attempt at a pattern item, a character tried by a
 * repetition or a balance) is charged to the document's instruction
 * count, and the clock is looked at with it, so the filter bounds hold
 * inside a match too. Unsafe filters keep Lua's own functions. */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <lauxlib.h>
#include <lualib.h>
#include <string.h>

#include "internal.h"

/* Charged in batches: a call into filter.c per step would cost more
 * than the step. */
#define S_BATCH 4096
/* Recursion of the matcher (Lua's MAXCCALLS): each item nests once. */
#define S_MAX_RECURSION 200
#define S_MAXCAPTURES 32
#define S_UNFINISHED (-1)
#define S_POSITION (-2)
#define S_SPECIALS "^$*+?.([%-"

typedef struct {
  const char *src, *src_end, *pat_end;
  lua_State *L;
  int depth; /* recursion left */
  int level; /* captures open or closed */
  struct {
    const char *init;
    ptrdiff_t len; /* or S_UNFINISHED, S_POSITION */
  } cap[S_MAXCAPTURES];
  size_t steps; /* not charged yet */
} S_ms;

static void S_step(S_ms *ms) {
  if (++ms->steps < S_BATCH)
    return;
  ss_filter__charge(ms->L, ms->steps);
  ms->steps = 0;
}

static void S_reset(S_ms *ms) {
  ms->level = 0;
  ms->depth = S_MAX_RECURSION;
}

static void S_init(S_ms *ms, lua_State *L, const char *s, size_t ls,
                   const char *p, size_t lp) {
  ms->L = L;
  ms->src = s;
  ms->src_end = s + ls;
  ms->pat_end = p + lp;
  ms->steps = 0;
  S_reset(ms);
}

/* What was not charged yet, before the results go back to Lua. */
static void S_settle(S_ms *ms) {
  if (ms->steps)
    ss_filter__charge(ms->L, ms->steps);
  ms->steps = 0;
}

/* --- single characters -------------------------------------------- */

static bool S_class(int c, int cl) {
  bool r;
  switch (tolower(cl)) {
  case 'a':
    r = isalpha(c);
    break;
  case 'c':
    r = iscntrl(c);
    break;
  case 'd':
    r = isdigit(c);
    break;
  case 'g':
    r = isgraph(c);
    break;
  case 'l':
    r = islower(c);
    break;
  case 'p':
    r = ispunct(c);
    break;
  case 's':
    r = isspace(c);
    break;
  case 'u':
    r = isupper(c);
    break;
  case 'w':
    r = isalnum(c);
    break;
  case 'x':
    r = isxdigit(c);
    break;
  case 'z': /* deprecated, still in Lua 5.4 */
    r = c == 0;
    break;
  default:
    return cl == c;
  }
  return isupper(cl) ? !r : r;
}

/* c against the set [p .. end], end at its ']'. */
static bool S_in_set(int c, const char *p, const char *end) {
  bool want = true;
  if (p[1] == '^') {
    want = false;
    p++;
  }
  while (++p < end) {
    if (*p == '%') {
      p++;
      if (S_class(c, (unsigned char)*p))
        return want;
    } else if (p[1] == '-' && p + 2 < end) {
      if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
        return want;
      p += 2;
    } else if ((unsigned char)*p == c) {
      return want;
    }
  }
  return !want;
}

/* The end of the single-character class at p. */
static const char *S_class_end(S_ms *ms, const char *p) {
  char c = *p++;
  if (c == '%') {
    if (p >= ms->pat_end)
      luaL_error(ms->L, "malformed pattern (ends with '%%')");
    return p + 1;
  }
  if (c == '[') {
    if (*p == '^')
      p++;
    do { /* a ']' first is one of the set */
      if (p >= ms->pat_end)
        luaL_error(ms->L, "malformed pattern (missing ']')");
      if (*p++ == '%' && p < ms->pat_end)
        p++;
    } while (*p != ']');
    return p + 1;
  }
  return p;
}

static bool S_single(S_ms *ms, const char *s, const char *p, const char *ep) {
  if (s >= ms->src_end)
    return false;
  int c = (unsigned char)*s;
  switch (*p) {
  case '.':
    return true;
  case '%':
    return S_class(c, (unsigned char)p[1]);
  case '[':
    return S_in_set(c, p, ep - 1);
  default:
    return (unsigned char)*p == c;
  }
}

/* --- items ---------------------------------------------------------- */

static const char *S_match(S_ms *ms, const char *s, const char *p);

static const char *S_balance(S_ms *ms, const char *s, const char *p) {
  if (p + 1 >= ms->pat_end)
    luaL_error(ms->L, "malformed pattern (missing arguments to '%%b')");
  if (s >= ms->src_end || *s != p[0])
    return NULL;
  int open = 1;
  while (++s < ms->src_end) {
    S_step(ms);
    if (*s == p[1]) {
      if (--open == 0)
        return s + 1;
    } else if (*s == p[0]) {
      open++;
    }
  }
  return NULL;
}

static const char *S_longest(S_ms *ms, const char *s, const char *p,
                             const char *ep) {
  ptrdiff_t n = 0;
  while (S_single(ms, s + n, p, ep)) {
    S_step(ms);
    n++;
  }
  for (; n >= 0; n--) {
    const char *r = S_match(ms, s + n, ep + 1);
    if (r)
      return r;
  }
  return NULL;
}

static const char *S_shortest(S_ms *ms, const char *s, const char *p,
                              const char *ep) {
  for (;;) {
    const char *r = S_match(ms, s, ep + 1);
    if (r)
      return r;
    if (!S_single(ms, s, p, ep))
      return NULL;
    S_step(ms);
    s++;
  }
}

static const char *S_open_capture(S_ms *ms, const char *s, const char *p,
                                  ptrdiff_t what) {
  if (ms->level >= S_MAXCAPTURES)
    luaL_error(ms->L, "too many captures");
  ms->cap[ms->level].init = s;
  ms->cap[ms->level].len = what;
  ms->level++;
  const char *r = S_match(ms, s, p);
  if (!r)
    ms->level--;
  return r;
}

static const char *S_close_capture(S_ms *ms, const char *s, const char *p) {
  int l = ms->level - 1;
  while (l >= 0 && ms->cap[l].len != S_UNFINISHED)
    l--;
  if (l < 0)
    luaL_error(ms->L, "invalid pattern capture");
  ms->cap[l].len = s - ms->cap[l].init;
  const char *r = S_match(ms, s, p);
  if (!r)
    ms->cap[l].len = S_UNFINISHED;
  return r;
}

static int S_capture_index(S_ms *ms, int digit) {
  int l = digit - '1';
  if (l < 0 || l >= ms->level || ms->cap[l].len == S_UNFINISHED)
    luaL_error(ms->L, "invalid capture index %%%d", l + 1);
  return l;
}

static const char *S_backref(S_ms *ms, const char *s, int digit) {
  int l = S_capture_index(ms, digit);
  ptrdiff_t len = ms->cap[l].len;
  if (len < 0 || ms->src_end - s < len)
    return NULL; /* a position capture matches nothing, as in Lua */
  return memcmp(ms->cap[l].init, s, (size_t)len) == 0 ? s + len : NULL;
}

/* The end of the match of p[..] at s, or NULL. */
static const char *S_match(S_ms *ms, const char *s, const char *p) {
  if (ms->depth-- == 0)
    luaL_error(ms->L, "pattern too complex");
  for (;;) {
    S_step(ms);
    if (p == ms->pat_end)
      break;
    if (*p == '(') {
      s = p[1] == ')' ? S_open_capture(ms, s, p + 2, S_POSITION)
                      : S_open_capture(ms, s, p + 1, S_UNFINISHED);
      break;
    }
    if (*p == ')') {
      s = S_close_capture(ms, s, p + 1);
      break;
    }
    if (*p == '$' && p + 1 == ms->pat_end) {
      if (s != ms->src_end)
        s = NULL;
      break;
    }
    if (*p == '%' && p[1] == 'b') {
      s = S_balance(ms, s, p + 2);
      if (!s)
        break;
      p += 4;
      continue;
    }
    if (*p == '%' && p[1] == 'f') {
      p += 2;
      if (*p != '[')
        luaL_error(ms->L, "missing '[' after '%%f' in pattern");
      const char *ep = S_class_end(ms, p);
      int before = s == ms->src ? 0 : (unsigned char)s[-1];
      int at = s < ms->src_end ? (unsigned char)*s : 0;
      if (S_in_set(before, p, ep - 1) || !S_in_set(at, p, ep - 1)) {
        s = NULL;
        break;
      }
      p = ep;
      continue;
    }
    if (*p == '%' && isdigit((unsigned char)p[1])) {
      s = S_backref(ms, s, (unsigned char)p[1]);
      if (!s)
        break;
      p += 2;
      continue;
    }
    const char *ep = S_class_end(ms, p);
    if (!S_single(ms, s, p, ep)) {
      if (*ep == '*' || *ep == '?' || *ep == '-') { /* may match none */
        p = ep + 1;
        continue;
      }
      s = NULL;
      break;
    }
    if (*ep == '?') {
      const char *r = S_match(ms, s + 1, ep + 1);
      if (r) {
        s = r;
        break;
      }
      p = ep + 1;
      continue;
    }
    if (*ep == '+') {
      s = S_longest(ms, s + 1, p, ep);
      break;
    }
    if (*ep == '*') {
      s = S_longest(ms, s, p, ep);
      break;
    }
    if (*ep == '-') {
      s = S_shortest(ms, s, p, ep);
      break;
    }
    s++;
    p = ep;
  }
  ms->depth++;
  return s;
}

/* --- results -------------------------------------------------------- */

/* Capture i, or the whole match s..e when there are none. */
static void S_push_capture(S_ms *ms, int i, const char *s, const char *e) {
  if (i >= ms->level) {
    if (i != 0)
      luaL_error(ms->L, "invalid capture index %%%d", i + 1);
    lua_pushlstring(ms->L, s, (size_t)(e - s));
    return;
  }
  ptrdiff_t len = ms->cap[i].len;
  if (len == S_UNFINISHED)
    luaL_error(ms->L, "unfinished capture");
  if (len == S_POSITION)
    lua_pushinteger(ms->L, (ms->cap[i].init - ms->src) + 1);
  else
    lua_pushlstring(ms->L, ms->cap[i].init, (size_t)len);
}

static int S_push_captures(S_ms *ms, const char *s, const char *e) {
  int n = ms->level == 0 && s ? 1 : ms->level;
  luaL_checkstack(ms->L, n, "too many captures");
  for (int i = 0; i < n; i++)
    S_push_capture(ms, i, s, e);
  return n;
}

/* Lua's posrelatI: a 1-based position from the start, negative from the
 * end, clipped at 1. */
static size_t S_start(lua_Integer pos, size_t len) {
  if (pos > 0)
    return (size_t)pos;
  if (pos == 0 || pos < -(lua_Integer)len)
    return 1;
  return len + (size_t)pos + 1;
}

static bool S_plain(const char *p, size_t lp) {
  for (size_t i = 0; i < lp; i++)
    if (p[i] && strchr(S_SPECIALS, p[i]))
      return false;
  return true;
}

static const char *S_memfind(const char *s, size_t ls, const char *p,
                             size_t lp) {
  if (lp == 0)
    return s;
  if (lp > ls)
    return NULL;
  return memmem(s, ls, p, lp); /* linear in glibc (two-way) */
}

static int S_find_aux(lua_State *L, bool find) {
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  size_t init = S_start(luaL_optinteger(L, 3, 1), ls) - 1;
  if (init > ls) {
    luaL_pushfail(L);
    return 1;
  }
  if (find && (lua_toboolean(L, 4) || S_plain(p, lp))) {
    const char *at = S_memfind(s + init, ls - init, p, lp);
    if (!at) {
      luaL_pushfail(L);
      return 1;
    }
    lua_pushinteger(L, (at - s) + 1);
    lua_pushinteger(L, (at - s) + (lua_Integer)lp);
    return 2;
  }
  S_ms ms;
  bool anchor = lp && *p == '^';
  if (anchor) {
    p++;
    lp--;
  }
  S_init(&ms, L, s, ls, p, lp);
  const char *from = s + init;
  do {
    S_reset(&ms);
    const char *e = S_match(&ms, from, p);
    if (e) {
      S_settle(&ms);
      if (!find)
        return S_push_captures(&ms, from, e);
      lua_pushinteger(L, (from - s) + 1);
      lua_pushinteger(L, e - s);
      return S_push_captures(&ms, NULL, NULL) + 2;
    }
  } while (from++ < ms.src_end && !anchor);
  S_settle(&ms);
  luaL_pushfail(L);
  return 1;
}

static int S_find(lua_State *L) { return S_find_aux(L, true); }
static int S_str_match(lua_State *L) { return S_find_aux(L, false); }

/* --- gmatch --------------------------------------------------------- */

typedef struct {
  S_ms ms;
  const char *pat;
  const char *from, *last; /* where to go on; end of the last match */
} S_gmatch_state;

static int S_gmatch_next(lua_State *L) {
  S_gmatch_state *g = lua_touserdata(L, lua_upvalueindex(3));
  g->ms.L = L;
  for (const char *from = g->from; from <= g->ms.src_end; from++) {
    S_reset(&g->ms);
    const char *e = S_match(&g->ms, from, g->pat);
    if (e && e != g->last) {
      g->from = g->last = e;
      S_settle(&g->ms);
      return S_push_captures(&g->ms, from, e);
    }
  }
  S_settle(&g->ms);
  return 0;
}

static int S_gmatch(lua_State *L) {
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  size_t init = S_start(luaL_optinteger(L, 3, 1), ls) - 1;
  if (init > ls)
    init = ls + 1; /* past the end: no match */
  lua_settop(L, 2);
  S_gmatch_state *g = lua_newuserdatauv(L, sizeof *g, 0);
  S_init(&g->ms, L, s, ls, p, lp);
  g->pat = p;
  g->from = s + init;
  g->last = NULL;
  lua_pushcclosure(L, S_gmatch_next, 3); /* the strings stay alive */
  return 1;
}

/* --- gsub ----------------------------------------------------------- */

static void S_add_string(S_ms *ms, luaL_Buffer *b, const char *s,
                         const char *e) {
  size_t l;
  const char *r = lua_tolstring(ms->L, 3, &l);
  for (const char *q; (q = memchr(r, '%', l)) != NULL;) {
    luaL_addlstring(b, r, (size_t)(q - r));
    q++;
    if (*q == '%') {
      luaL_addchar(b, '%');
    } else if (isdigit((unsigned char)*q)) {
      if (*q == '0') {
        luaL_addlstring(b, s, (size_t)(e - s));
      } else {
        S_push_capture(ms, *q - '1', s, e);
        luaL_tolstring(ms->L, -1, NULL);
        lua_remove(ms->L, -2);
        luaL_addvalue(b);
      }
    } else {
      luaL_error(ms->L, "invalid use of '%c' in replacement string", '%');
    }
    l -= (size_t)(q + 1 - r);
    r = q + 1;
  }
  luaL_addlstring(b, r, l);
}

/* The replacement of s..e; false when the match stays as it was. */
static bool S_add_value(S_ms *ms, luaL_Buffer *b, const char *s, const char *e,
                        int tr) {
  lua_State *L = ms->L;
  if (tr == LUA_TFUNCTION) {
    lua_pushvalue(L, 3);
    int n = S_push_captures(ms, s, e);
    lua_call(L, n, 1);
  } else if (tr == LUA_TTABLE) {
    S_push_capture(ms, 0, s, e);
    lua_gettable(L, 3);
  } else {
    S_add_string(ms, b, s, e);
    return true;
  }
  if (!lua_toboolean(L, -1)) {
    lua_pop(L, 1);
    luaL_addlstring(b, s, (size_t)(e - s));
    return false;
  }
  if (!lua_isstring(L, -1))
    return luaL_error(L, "invalid replacement value (a %s)",
                      luaL_typename(L, -1));
  luaL_addvalue(b);
  return true;
}

static int S_gsub(lua_State *L) {
  size_t ls, lp;
  const char *src = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  const char *last = NULL;
  int tr = lua_type(L, 3);
  lua_Integer max_n = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
  luaL_argexpected(L,
                   tr == LUA_TNUMBER || tr == LUA_TSTRING ||
                       tr == LUA_TFUNCTION || tr == LUA_TTABLE,
                   3, "string/function/table");
  bool anchor = lp && *p == '^';
  if (anchor) {
    p++;
    lp--;
  }
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  S_ms ms;
  S_init(&ms, L, src, ls, p, lp);
  lua_Integer n = 0;
  bool changed = false;
  while (n < max_n) {
    S_reset(&ms);
    const char *e = S_match(&ms, src, p);
    if (e && e != last) {
      n++;
      S_settle(&ms);
      changed = S_add_value(&ms, &b, src, e, tr) || changed;
      src = last = e;
    } else if (src < ms.src_end) {
      luaL_addchar(&b, *src++);
    } else {
      break;
    }
    if (anchor)
      break;
  }
  S_settle(&ms);
  if (!changed) {
    lua_pushvalue(L, 1);
  } else {
    luaL_addlstring(&b, src, (size_t)(ms.src_end - src));
    luaL_pushresult(&b);
  }
  lua_pushinteger(L, n);
  return 2;
}

void ss_filter__open_patterns(lua_State *L) {
  static const luaL_Reg fns[] = {{"find", S_find},
                                 {"match", S_str_match},
                                 {"gmatch", S_gmatch},
                                 {"gsub", S_gsub},
                                 {NULL, NULL}};
  lua_getglobal(L, LUA_STRLIBNAME);
  luaL_setfuncs(L, fns, 0);
  lua_pop(L, 1);
}
