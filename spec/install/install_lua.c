/*
** install_lua.c -- make test-install: an engine-like host built against an
** installed gaussreg. It compiles the installed binding source with its own
** Lua (5.4 or LuaJIT: the make rule builds it twice), registers
** gaussianreg.core through package.preload (every Lua version has it),
** finds the installed façade on package.path, and hands two host buffers to
** a script as views (lgaussreg.h): the value (float64) and the gradient's
** destination (float32). The script computes loss_and_grad into the view;
** the host checks the buffer, then reads the script's regularizer back with
** lgaussreg_toreg and computes with the C API directly.
**
** usage: install_lua LUA_DIR   (the installed façade's directory)
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

#include <lgaussreg.h>

/* The reference vector "col_mean_row_std" (as in install_capi.c). */
static const double value[6] = {-1.901222739800844, -1.289537739784976,
                                -1.8417350377917323, -0.23509113107468127,
                                -1.2674464814437032, 0.2712643588217015};
static const double want_loss = 21.872568310556517;
static const double want_grad[6] = {-11.604893396230498, -2.289540006427339,
                                    -0.7104365994068864, 3.05963611822473,
                                    -0.2674467462157199, 0.317817360175244};

static const char script[] =
    "local gr = require('gaussianreg')\n"
    "local x, out = ...\n"
    "assert(gr.is_array(x) and gr.is_array(out))\n"
    "assert(tostring(out) == 'gaussianreg.array(float32, (2,3), view)')\n"
    "local reg = gr.new({ mean = { { 1 }, { -1 } }, std = { 0.5, 1, 2 },\n"
    "                     weight = 0.5 })\n"
    "local loss, g = reg:loss_and_grad(x, out)\n"
    "assert(rawequal(g, out), 'out= returns out')\n"
    "return loss, reg\n";

int main(int argc, char **argv) {
  static const int64_t shape[2] = {2, 3};
  double x[6], loss = 0, cl = 0;
  float g[6];
  gaussreg_array ax, view;
  gaussreg *reg;
  lua_State *L = luaL_newstate();
  int i, ok;
  if (L == NULL || argc < 2) return 2;
  memcpy(x, value, sizeof x);
  memset(g, 0, sizeof g);
  luaL_openlibs(L);
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "preload");
  lua_pushcfunction(L, luaopen_gaussianreg_core);
  lua_setfield(L, -2, "gaussianreg.core");
  lua_pop(L, 1);
  lua_pushfstring(L, "%s/?/init.lua", argv[1]);
  lua_setfield(L, -2, "path");
  lua_pushliteral(L, "");
  lua_setfield(L, -2, "cpath");
  lua_pop(L, 1);
  /* the module must be open before views are pushed (metatables) */
  if (luaL_dostring(L, "require('gaussianreg.core')") != 0) {
    fprintf(stderr, "install_lua: %s\n", lua_tostring(L, -1));
    return 1;
  }
  if (luaL_loadbuffer(L, script, sizeof script - 1, "=script") != 0) {
    fprintf(stderr, "install_lua: %s\n", lua_tostring(L, -1));
    return 1;
  }
  lgaussreg_pushview(L, x, GAUSSREG_F64, 2, shape, 0);
  lgaussreg_pushview(L, g, GAUSSREG_F32, 2, shape, 0);
  if (!lgaussreg_toarray(L, -1, &view) || view.data != (void *)g) {
    fprintf(stderr, "install_lua: lgaussreg_toarray does not see the view\n");
    return 1;
  }
  if (lua_pcall(L, 2, 2, 0) != 0) {
    fprintf(stderr, "install_lua: %s\n", lua_tostring(L, -1));
    return 1;
  }
  loss = lua_tonumber(L, -2);
  ok = fabs(loss - want_loss) <= 1e-12 * want_loss;
  for (i = 0; i < 6; i++) /* float32: within its rounding */
    ok = ok && fabs(g[i] - want_grad[i]) <= 1e-6 * fabs(want_grad[i]);
  reg = lgaussreg_toreg(L, -1);
  gaussreg_array_init(&ax, x, GAUSSREG_F64, 2, shape, NULL);
  ok = ok && reg != NULL && lgaussreg_toreg(L, -2) == NULL &&
       gaussreg_loss(reg, &ax, &cl, NULL) == GAUSSREG_OK && cl == loss;
#if defined(LUA_JITLIBNAME)
#define HOST_LUA "LuaJIT (" LUA_RELEASE " API)"
#else
#define HOST_LUA LUA_RELEASE
#endif
  printf("install_lua: %s: loss %.17g into the host's float32 buffer: "
         "%.9g ... %.9g; C API on the script's object: %.17g\n",
         HOST_LUA, loss, (double)g[0], (double)g[5], cl);
  lua_close(L);
  if (!ok) fprintf(stderr, "install_lua: wrong results\n");
  return ok ? 0 : 1;
}
