/*
** lua_host.c -- the program inside gaussreg-lua*.wasm: Lua 5.4 with its
** standard libraries and the gaussianreg module (libgaussianreg_lua.a,
** registered as the README's engine recipe does), driven from JavaScript
** (wasm/src/lua-core.js) through the exports below. The module is a WASI
** reactor: the host's imports decide where output goes and which files
** exist (lua_wasi.c), and nothing of Emscripten's JavaScript glue is needed.
**
** A state is a lua_State; everything per run lives in it. Errors inside a
** run are caught by lua_pcall (Lua's longjmp is wasm exception handling
** here, -sSUPPORT_LONGJMP=wasm), so a failing script leaves the instance and
** the state usable. os.exit ends the whole instance (proc_exit).
*/
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

#include "gaussianreg_lua.h"

#define LH_EXPORT(name) __attribute__((used, export_name(#name)))

/* glua_run flags */
#define LH_TRACEBACK 1 /* append a stack traceback to the error message */

LH_EXPORT(glua_new) lua_State *glua_new(void);
LH_EXPORT(glua_close) void glua_close(lua_State *L);
LH_EXPORT(glua_arg) int glua_arg(lua_State *L, int i, const char *s, size_t len);
LH_EXPORT(glua_run) int glua_run(lua_State *L, const char *code, size_t len,
                                 const char *name, int nargs, int flags, double limit_ms);
LH_EXPORT(glua_message) const char *glua_message(lua_State *L, size_t *len);
LH_EXPORT(glua_stdout_buffering) void glua_stdout_buffering(int mode);
LH_EXPORT(glua_simd) int glua_simd(void);

/* Opens the libraries in protected mode (a memory error is a status). */
static int open_state(lua_State *L) {
  luaL_openlibs(L);
  /* The engine recipe (README, docs/lua-wasm.md). */
  luaL_requiref(L, "gaussianreg.core", luaopen_gaussianreg_core, 0);
  lua_pop(L, 1);
  luaL_requiref(L, "gaussianreg", luaopen_gaussianreg, 0);
  lua_pop(L, 1);
  /* No C modules: there is no dynamic loader. Lua files are found in the
  ** host's directories as usual (package.path). */
  lua_getglobal(L, "package");
  lua_pushliteral(L, "");
  lua_setfield(L, -2, "cpath");
  lua_pop(L, 1);
  return 0;
}

/* A new state, or NULL when memory runs out. */
lua_State *glua_new(void) {
  lua_State *L = luaL_newstate();
  if (L == NULL) return NULL;
  lua_pushcfunction(L, open_state);
  if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
    lua_close(L);
    return NULL;
  }
  return L;
}

void glua_close(lua_State *L) { lua_close(L); }

/* 1 in the build with the wasm SIMD kernels. */
int glua_simd(void) {
#if defined(__wasm_simd128__)
  return 1;
#else
  return 0;
#endif
}

/* How stdout is buffered, before anything is written: 0 not at all (output
** reaches JavaScript in the order it is written, stderr included), 1 by line
** (a terminal), otherwise fully (Emscripten's libc default, a pipe's). */
void glua_stdout_buffering(int mode) {
  if (mode == 0) setvbuf(stdout, NULL, _IONBF, 0);
  else if (mode == 1) setvbuf(stdout, NULL, _IOLBF, BUFSIZ);
}

/* arg[i] = s, creating the global table arg if needed (as lua.c does).
** Everything that may raise (a memory error, a metamethod a script put on
** _G) runs under lua_pcall: an error outside it would abort. */
typedef struct lh_arg {
  lua_Integer i;
  const char *s;
  size_t len;
} lh_arg;

static int set_arg(lua_State *L) {
  const lh_arg *a = (const lh_arg *)lua_touserdata(L, 1);
  if (lua_getglobal(L, "arg") != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setglobal(L, "arg");
  }
  lua_pushlstring(L, a->s, a->len);
  lua_rawseti(L, -2, a->i);
  return 0;
}

int glua_arg(lua_State *L, int i, const char *s, size_t len) {
  lh_arg a;
  a.i = i;
  a.s = s;
  a.len = len;
  lua_settop(L, 0);
  lua_pushcfunction(L, set_arg);
  lua_pushlightuserdata(L, &a);
  return lua_pcall(L, 1, 0, 0);
}

/* The message handler of lua.c: a non-string error object is shown by its
** __tostring or by its type; with traceback, the stack is appended. */
static int message(lua_State *L, int traceback) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      msg = lua_tostring(L, -1);
    else
      msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  if (traceback) luaL_traceback(L, L, msg, 1);
  else lua_pushstring(L, msg);
  return 1;
}
static int message_plain(lua_State *L) { return message(L, 0); }
static int message_traceback(lua_State *L) { return message(L, 1); }

/* call_chunk(chunk, n): calls the chunk with arg[1..n] as its varargs. */
static int call_chunk(lua_State *L) {
  int i, n = (int)lua_tointeger(L, 2);
  lua_settop(L, 1);
  if (lua_getglobal(L, "arg") != LUA_TTABLE) n = 0;
  luaL_checkstack(L, n, "too many arguments to script");
  for (i = 1; i <= n; i++) lua_rawgeti(L, 2, i);
  lua_remove(L, 2);
  lua_call(L, n, 0);
  return 0;
}

/* {======================================================================
** Time limit: a count hook compares the monotonic clock with a deadline
** kept in the registry, and raises a Lua error (with the running line)
** once it has passed. A script may catch that error; the host's own limit
** (a Worker it terminates) is the backstop.
** ======================================================================= */
#define LH_DEADLINE "gaussianreg-lua.deadline"
#define LH_HOOK_COUNT 10000 /* instructions between two looks at the clock */

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void deadline_hook(lua_State *L, lua_Debug *ar) {
  double deadline, limit;
  (void)ar;
  lua_getfield(L, LUA_REGISTRYINDEX, LH_DEADLINE);
  deadline = lua_tonumber(L, -1);
  lua_pop(L, 1);
  if (now_ms() <= deadline) return;
  lua_getfield(L, LUA_REGISTRYINDEX, LH_DEADLINE ".ms");
  limit = lua_tonumber(L, -1);
  lua_pop(L, 1);
  /* Level 0 in a hook is the running function: its line leads the message. */
  luaL_where(L, 0);
  lua_pushfstring(L, "time limit exceeded (the script ran for more than %d ms)", (int)limit);
  lua_concat(L, 2);
  lua_error(L);
}

static int set_deadline(lua_State *L) {
  double limit = lua_tonumber(L, 1);
  lua_pushnumber(L, now_ms() + limit);
  lua_setfield(L, LUA_REGISTRYINDEX, LH_DEADLINE);
  lua_pushnumber(L, limit);
  lua_setfield(L, LUA_REGISTRYINDEX, LH_DEADLINE ".ms");
  return 0;
}
/* }====================================================================== */

/* Runs a chunk: code[0..len) named name ("@file" or "=label"), with
** arg[1..nargs] as its varargs, for at most limit_ms milliseconds if
** limit_ms > 0. A first line starting with '#' (a Unix
** "#!" line) is skipped, as lua.c does, keeping the line count. Returns
** LUA_OK or Lua's error status; the message is then glua_message(). Buffered
** output is flushed either way. */
int glua_run(lua_State *L, const char *code, size_t len, const char *name, int nargs,
             int flags, double limit_ms) {
  int status;
  lua_settop(L, 0);
  if (limit_ms > 0) {
    lua_pushcfunction(L, set_deadline);
    lua_pushnumber(L, limit_ms);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) return LUA_ERRMEM; /* message on top */
    lua_sethook(L, deadline_hook, LUA_MASKCOUNT, LH_HOOK_COUNT);
  }
  lua_pushcfunction(L, (flags & LH_TRACEBACK) ? message_traceback : message_plain);
  if (len > 0 && code[0] == '#') {
    const char *nl = memchr(code, '\n', len);
    size_t skip = nl != NULL ? (size_t)(nl - code) : len;
    code += skip;
    len -= skip;
  }
  status = luaL_loadbufferx(L, code, len, name, NULL);
  if (status == LUA_OK) {
    lua_pushcfunction(L, call_chunk); /* no allocation outside lua_pcall */
    lua_insert(L, 2);
    lua_pushinteger(L, nargs);
    status = lua_pcall(L, 2, 0, 1);
  }
  lua_sethook(L, NULL, 0, 0);
  /* else a syntax (or memory) error: its message, a string, is on top */
  fflush(stdout);
  fflush(stderr);
  return status;
}

/* The message of the last failed glua_run (valid until the next call). */
const char *glua_message(lua_State *L, size_t *len) {
  const char *s = lua_gettop(L) > 0 ? lua_tolstring(L, -1, len) : NULL;
  if (s == NULL) {
    *len = 0;
    return "";
  }
  return s;
}
