/*
** lgaussreg.h -- the C side of the Lua module gaussianreg.core, for hosts
** (game engines, applications) that embed Lua and link the module in.
**
** The binding (lgaussreg.c) is compiled by the host against its own Lua
** headers -- Lua 5.1 to 5.4 or LuaJIT 2.1 -- and linked with libgaussreg
** (pkg-config --cflags --libs gaussreg gives the core's flags; add the
** host's Lua flags). Register it with
**
**   luaL_requiref(L, "gaussianreg.core", luaopen_gaussianreg_core, 0);
**
** (Lua 5.2+), or by storing luaopen_gaussianreg_core in
** package.preload["gaussianreg.core"] (any version), and preload the façade
** lua/gaussianreg/init.lua as "gaussianreg" (or install it on package.path).
**
** The functions below let the host hand its own buffers to scripts without a
** copy, and read the regularizers and arrays scripts created. Each one
** needs luaopen_gaussianreg_core to have run in the state first (it
** registers the metatables): lgaussreg_pushview raises otherwise, and the
** others find no object.
**
** Lifetime of views: a view reads and writes the host's memory in place and
** does not own it. The memory must stay valid (not freed, not moved) for as
** long as any Lua value refers to the view: keep the view out of scripts'
** reach, or keep the buffer alive, until the state is closed or the view has
** been collected. Passing `owner` makes the view keep that Lua value alive
** (e.g. the full userdata or FFI array the memory belongs to).
*/
#ifndef lgaussreg_h
#define lgaussreg_h

#include "lua.h"

#include "gaussreg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The one exported symbol of a gaussianreg.core shared module. */
#if !defined(LGAUSSREG_EXPORT)
#if defined(_WIN32)
#define LGAUSSREG_EXPORT __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#define LGAUSSREG_EXPORT __attribute__((visibility("default")))
#else
#define LGAUSSREG_EXPORT
#endif
#endif

/* The helpers below: plain external functions for a host that links the
** binding in. lgaussreg.c defines this as hidden visibility where it can, so
** that a gaussianreg.core module built from it (make, LuaRocks) still
** exports luaopen_gaussianreg_core only; define it yourself (-D) to export
** them from a shared library of your own. */
#if !defined(LGAUSSREG_API)
#define LGAUSSREG_API
#endif

/* The metatable names (luaL_checkudata/luaL_testudata work with them). */
#define LGAUSSREG_REG_T "gaussianreg.GaussianReg"
#define LGAUSSREG_ARRAY_T "gaussianreg.array"

/* Opens the module: returns 1, the module table, on the stack. */
LGAUSSREG_EXPORT int luaopen_gaussianreg_core(lua_State *L);

/* The gaussreg object of the regularizer at idx, or NULL when the value
** there is not a gaussianreg regularizer or has been closed. The object
** belongs to the Lua value: it lives until that value is closed or
** collected; the host may compute with it (loss, grad, ...) but must not
** destroy it. */
LGAUSSREG_API gaussreg *lgaussreg_toreg(lua_State *L, int idx);

/* The same, raising Lua's standard argument error ("bad argument #arg
** ... (gaussianreg.GaussianReg expected, got number)", or "closed
** regularizer") instead of returning NULL. */
LGAUSSREG_API gaussreg *lgaussreg_checkreg(lua_State *L, int arg);

/* When the value at idx is a gaussianreg.array (owned or a view), fills
** *out with a contiguous view of its memory and returns 1; returns 0 (and
** leaves *out alone) otherwise. out->data is valid while that Lua value
** lives (for a view, while its memory does). */
LGAUSSREG_API int lgaussreg_toarray(lua_State *L, int idx,
                                    gaussreg_array *out);

/* Pushes a gaussianreg.array that views `data` (C-contiguous, row-major,
** `ndim` dims of `shape`, dtype float64 or float32) without copying it:
** scripts read and write the host's memory, and may pass it anywhere an
** array goes (inputs, out= arguments). owner: a stack index whose value the
** view keeps alive (its user value), or 0 for none. Raises a Lua error
** (after pushing nothing) on a bad dtype or shape, NULL data for a
** non-empty shape, data not aligned for its dtype, or a state where
** luaopen_gaussianreg_core has not run. */
LGAUSSREG_API void lgaussreg_pushview(lua_State *L, void *data,
                                      gaussreg_dtype dtype, int ndim,
                                      const int64_t *shape, int owner);

#ifdef __cplusplus
}
#endif

#endif
