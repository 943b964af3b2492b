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
** those names. The archive is built against Lua 5.4's headers.
*/
#ifndef gaussianreg_lua_h
#define gaussianreg_lua_h

#include "lua.h"

/* luaopen_gaussianreg_core and the host helpers (views of the host's
** buffers, access to scripts' regularizers and arrays). */
#include "lgaussreg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The module "gaussianreg": runs the facade (lua/gaussianreg/init.lua,
** compiled into the library) and returns its table. Registers
** luaopen_gaussianreg_core in package.preload first unless
** "gaussianreg.core" is already loaded or preloaded. */
int luaopen_gaussianreg(lua_State *L);

#ifdef __cplusplus
}
#endif

#endif
