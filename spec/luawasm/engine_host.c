/*
** engine_host.c -- an Emscripten Lua host built the way an engine's web
** build is (LÖVE, Defold HTML5, any Lua-in-wasm game): Lua 5.4 compiled
** with Emscripten's default flags (its JavaScript setjmp/longjmp, its JS
** glue and in-memory file system), and gaussianreg linked in from
** libgaussianreg_lua.a with the two lines of the README's recipe. make
** test-luawasm runs it under Node on scripts embedded in its file system
** and compares the output with native Lua 5.4's.
**
**   engine-host.js script.lua [args...]
*/
#include <stdio.h>
#include <stdlib.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

#include "gaussianreg_lua.h"

static int traceback(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  luaL_traceback(L, L, msg != NULL ? msg : "(error object is not a string)", 1);
  return 1;
}

int main(int argc, char **argv) {
  lua_State *L;
  int i, status;
  if (argc < 2) {
    fprintf(stderr, "usage: engine-host script.lua [args...]\n");
    return 2;
  }
  L = luaL_newstate();
  if (L == NULL) return 1;
  luaL_openlibs(L);

  /* The recipe: */
  luaL_requiref(L, "gaussianreg.core", luaopen_gaussianreg_core, 0); lua_pop(L, 1);
  luaL_requiref(L, "gaussianreg", luaopen_gaussianreg, 0); lua_pop(L, 1);

  lua_pushcfunction(L, traceback);
  status = luaL_loadfile(L, argv[1]);
  if (status == LUA_OK) {
    for (i = 2; i < argc; i++) lua_pushstring(L, argv[i]);
    status = lua_pcall(L, argc - 2, 0, 1);
  }
  if (status != LUA_OK) fprintf(stderr, "engine-host: %s\n", lua_tostring(L, -1));
  lua_close(L);
  return status == LUA_OK ? 0 : 1;
}
