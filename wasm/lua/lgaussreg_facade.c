/*
** lgaussreg_facade.c -- luaopen_gaussianreg: the Lua facade of the module
** (lua/gaussianreg/init.lua, turned into a C array at build time) as a C
** opener, so that a program that links gaussianreg statically needs no Lua
** file on disk (or in a virtual file system) to `require("gaussianreg")`.
*/
#include "lua.h"
#include "lauxlib.h"

#include "gaussianreg_lua.h"
#include "gaussianreg_init_lua.h" /* generated from the facade by bin2c */

int luaopen_gaussianreg(lua_State *L) {
  const char *name = luaL_optstring(L, 1, "gaussianreg");
  /* package.loaded["gaussianreg.core"] or package.preload[...], else ours. */
  lua_getfield(L, LUA_REGISTRYINDEX, "_LOADED");
  lua_getfield(L, -1, "gaussianreg.core");
  if (lua_isnil(L, -1)) {
    lua_getfield(L, -2, "package");
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "preload");
      if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "gaussianreg.core");
        if (lua_isnil(L, -1)) {
          lua_pushcfunction(L, luaopen_gaussianreg_core);
          lua_setfield(L, -3, "gaussianreg.core");
        }
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 2);
  if (luaL_loadbuffer(L, (const char *)gaussianreg_init_lua, gaussianreg_init_lua_LEN,
                      "=gaussianreg/init.lua") != 0)
    return lua_error(L);
  lua_pushstring(L, name);
  lua_call(L, 1, 1);
  return 1;
}
