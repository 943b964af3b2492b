/*
** lgaussreg_compat.h -- the few Lua C API differences lgaussreg.c meets
** between Lua 5.1 (and LuaJIT 2.1), 5.2, 5.3 and 5.4. Every shim has an
** lgr_ prefix, so nothing here collides with the lua_/luaL_ names that
** LuaJIT or another compatibility layer may also define.
*/
#ifndef lgaussreg_compat_h
#define lgaussreg_compat_h

#include "lua.h"
#include "lauxlib.h"

#if !defined(LUA_VERSION_NUM) || LUA_VERSION_NUM < 501
#error "gaussianreg needs Lua 5.1 or newer (or LuaJIT)"
#endif

/* Lua's headers do not mark the raising functions as not returning; tell
** the static analyzer (make check), so that it does not follow paths past
** a raise. Compilers never see this. */
#if defined(__clang_analyzer__)
int lua_error(lua_State *L) __attribute__((noreturn));
int luaL_error(lua_State *L, const char *fmt, ...) __attribute__((noreturn));
int luaL_argerror(lua_State *L, int arg, const char *extramsg)
    __attribute__((noreturn));
#endif

/* Length of a table or userdata without metamethods. */
#if LUA_VERSION_NUM == 501
#define lgr_rawlen(L, i) lua_objlen(L, (i))
#else
#define lgr_rawlen(L, i) lua_rawlen(L, (i))
#endif

/* luaL_setfuncs: registers l into the table on top of the stack below nup
** upvalues, each function getting those upvalues (5.2 semantics). */
#if LUA_VERSION_NUM == 501
static void lgr_setfuncs(lua_State *L, const luaL_Reg *l, int nup) {
  int i;
  luaL_checkstack(L, nup + 1, "too many upvalues");
  for (; l->name != NULL; l++) {
    for (i = 0; i < nup; i++) lua_pushvalue(L, -nup);
    lua_pushcclosure(L, l->func, nup);
    lua_setfield(L, -(nup + 2), l->name);
  }
  lua_pop(L, nup);
}
#else
#define lgr_setfuncs(L, l, nup) luaL_setfuncs(L, (l), (nup))
#endif

/* luaL_testudata: the userdata at i if its metatable is tname's, else NULL. */
#if LUA_VERSION_NUM == 501
static void *lgr_testudata(lua_State *L, int i, const char *tname) {
  void *p = lua_touserdata(L, i);
  int same;
  if (p == NULL || !lua_getmetatable(L, i)) return NULL;
  luaL_getmetatable(L, tname);
  same = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return same ? p : NULL;
}
#else
#define lgr_testudata(L, i, tname) luaL_testudata(L, (i), (tname))
#endif

/* lua_rawgeti returning the type of the pushed value (5.3+ does). */
#if LUA_VERSION_NUM >= 503
#define lgr_rawgeti(L, t, i) lua_rawgeti(L, (t), (i))
#else
#define lgr_rawgeti(L, t, i) (lua_rawgeti(L, (t), (i)), lua_type(L, -1))
#endif

/* Integers: 5.3 and newer have a separate integer subtype. */
#if LUA_VERSION_NUM >= 503
#define lgr_isinteger(L, i) lua_isinteger(L, (i))
#else
#define lgr_isinteger(L, i) 0
#endif

/* lua_absindex (5.2+). */
#if LUA_VERSION_NUM == 501
#define lgr_absindex(L, i) \
  ((i) > 0 || (i) <= LUA_REGISTRYINDEX ? (i) : lua_gettop(L) + (i) + 1)
#else
#define lgr_absindex(L, i) lua_absindex(L, (i))
#endif

/* Sets the value on top of the stack (popped) as the user value of the
** userdata at i. 5.3+ take any value; 5.2's user value and 5.1's
** environment must be a table, so there the value goes into one, at [1]. */
#if LUA_VERSION_NUM >= 503
#define lgr_setuservalue(L, i) lua_setuservalue(L, (i))
#else
static void lgr_setuservalue(lua_State *L, int i) {
  i = lgr_absindex(L, i);
  lua_createtable(L, 1, 0);
  lua_insert(L, -2);
  lua_rawseti(L, -2, 1);
#if LUA_VERSION_NUM == 501
  lua_setfenv(L, i);
#else
  lua_setuservalue(L, i);
#endif
}
#endif

#endif
