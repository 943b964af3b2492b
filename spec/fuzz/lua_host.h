/*
** lua_host.h -- an embedded Lua 5.4 state for the hardening tests
** (spec/fuzz/fuzz_lua.c, spec/oom_lua.c): gaussianreg.core registered
** statically in package.preload, the façade lua/gaussianreg/init.lua loaded
** from its file (FACADE_PATH, relative to the project root) and preloaded as
** "gaussianreg", so require("gaussianreg") works with no search path.
*/
#ifndef lua_host_h
#define lua_host_h

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

#include "lgaussreg.h" /* luaopen_gaussianreg_core, lgaussreg_pushview */

#if !defined(FACADE_PATH)
#define FACADE_PATH "lua/gaussianreg/init.lua"
#endif

/* Registers the module in L (already opened with luaL_openlibs); returns
** LUA_OK or the status of loading the façade (message on the stack). */
static inline int host_preload(lua_State *L) {
  int rc;
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "preload");
  lua_pushcfunction(L, luaopen_gaussianreg_core);
  lua_setfield(L, -2, "gaussianreg.core");
  rc = luaL_loadfile(L, FACADE_PATH);
  if (rc != LUA_OK) {
    lua_replace(L, -3);
    lua_pop(L, 1);
    return rc;
  }
  lua_setfield(L, -2, "gaussianreg");
  lua_pop(L, 2);
  return LUA_OK;
}

#endif
