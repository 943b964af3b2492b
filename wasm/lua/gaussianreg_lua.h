/*
** gaussianreg_lua.h -- the Lua module gaussianreg linked into a program
** (an engine's Emscripten build, or any host that links Lua statically),
** from libgaussianreg_lua.a: the binding (gaussianreg.core), the core, and
** the Lua facade compiled in.
**
**   luaL_requiref(L, "gaussianreg.core", luaopen_gaussianreg_core, 0); lua_pop(L, 1);
**   luaL_requiref(L, "gaussianreg", luaopen_gaussianreg, 0); lua_pop(L, 1);
**
** after which scripts `require("gaussianreg")` with no files. Or, loading
** on first require instead: store both functions in package.preload under
** those names.
*/
#ifndef gaussianreg_lua_h
#define gaussianreg_lua_h

#include "lua.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The binding, the module "gaussianreg.core" (src/lua/lgaussreg.c).
** TODO(issue 11): include src/lua/lgaussreg.h, its public header, instead
** once that is merged. */
int luaopen_gaussianreg_core(lua_State *L);

/* The module "gaussianreg": runs the facade (lua/gaussianreg/init.lua,
** compiled into the library) and returns its table. Registers
** luaopen_gaussianreg_core in package.preload first unless
** "gaussianreg.core" is already loaded or preloaded. */
int luaopen_gaussianreg(lua_State *L);

#ifdef __cplusplus
}
#endif

#endif
