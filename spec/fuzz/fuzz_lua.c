/*
** fuzz_lua.c -- libFuzzer harness for the Lua binding: random Lua values
** into every function and method of gaussianreg in an embedded Lua 5.4
** state (gaussianreg.core linked statically, the façade preloaded from
** lua/gaussianreg/init.lua; see lua_host.h).
**
** Each input gets a fresh state whose allocator (fuzz_common.h) counts every
** block and refuses blocks over 64 MB (so huge shapes end in Lua memory
** errors instead of exhausting the fuzzer); one input in eight also makes every request from the k-th on fail.
** The input drives up to 64 actions over a pool of 12 Lua values:
**   - call a module function (new, GaussianReg, from_state, array, zeros,
**     is_array, isa, isa_supported, set_isa, _memory, view, _view) or a method
**     (loss, grad, loss_and_grad, hyper_grad, sample_init, reset_value, seed,
**     state, isa, set_isa, close, totable) with a self from the pool (right
**     type, wrong type, closed) and 0..4 random arguments (so out= gets
**     arrays, views, tables and junk);
**   - read or assign a field (reg.mean, reg.weight = v, arr[i] = v, a.shape),
**     #v, tostring(v), a <close> variable, a garbage collection step;
** all under pcall. Random values are nil, booleans, integers (0, huge,
** negative, mininteger), floats (NaN, +-Inf, -0, subnormals, 2^53..),
** strings (dtype/form/isa names, garbage), functions, userdata of a foreign
** type, flat and nested tables (rectangular, ragged, with holes, deep,
** wrong element types), config tables with random (and unknown) keys, shape
** tables, gaussianreg.arrays, views (of a buffer the harness owns: raw
** pointers are not fuzzed, every view fits the buffer, and views of it alias
** each other, exactly or partly), hyper_grad out tables, state strings
** (saved, truncated, corrupted).
** Checks besides ASan/UBSan: every error value is a string, and after
** lua_close the allocator has no block left (no leak in any error path).
*/
#include <stdint.h>

#include "fuzz_common.h"
#include "lua_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define POOL 12
#define MAX_ACTIONS 64

/* Lua helpers: field access, length, tostring, <close>, and callers. */
static const char HELPERS[] =
    "local gr = require('gaussianreg')\n"
    "local H = {gr = gr}\n"
    "function H.get(o, k) return o[k] end\n"
    "function H.set(o, k, v) o[k] = v end\n"
    "function H.len(o) return #o end\n"
    "function H.str(o) return tostring(o) end\n"
    "function H.close(o) local c <close> = o end\n"
    "function H.method(o, name, ...) return o[name](o, ...) end\n"
    "function H.call(f, ...) return f(...) end\n"
    "function H.state_of(o) return o:state() end\n"
    "H.funcs = {'new', 'GaussianReg', 'from_state', 'array', 'zeros',\n"
    "  'is_array', 'isa', 'isa_supported', 'set_isa', '_memory', 'view',\n"
    "  '_view'}\n"
    "H.methods = {'loss', 'grad', 'loss_and_grad', 'hyper_grad',\n"
    "  'sample_init', 'reset_value', 'seed', 'state', 'isa', 'set_isa',\n"
    "  'close', 'totable'}\n"
    "H.keys = {'mean', 'precision', 'weight', 'fit_hyper', 'log_mode',\n"
    "  'shape', 'dtype', 'ndim', 'std', 'loss', 1, 2, 0, -1, 1.5}\n"
    "H.words = {'float64', 'float32', 'table', 'array', 'per_element',\n"
    "  'per_precision', 'scalar', 'sse2', 'avx2', 'neon', 'wasm128', 'auto',\n"
    "  'mean', 'std', '', 'x\\0y', '1e400', '3'}\n"
    "return H\n";

/* The harness's own memory that views look at (BUF_BYTES, in a userdata
** that every view keeps alive as its owner). */
#define BUF_BYTES 512

typedef struct fl_ctx {
  lua_State *L;
  fz_reader *r;
  int helpers; /* absolute stack index of H */
  int pool;    /* absolute stack index of the pool table */
  int buf;     /* absolute stack index of the buffer userdata */
} fl_ctx;

/* A view of part of the buffer: a random dtype, offset (a multiple of the
** element size) and shape of 0..3 dims that fits in what remains. */
static void push_view(fl_ctx *c) {
  lua_State *L = c->L;
  gaussreg_dtype t = fz_pick(c->r, 2) ? GAUSSREG_F64 : GAUSSREG_F32;
  size_t es = t == GAUSSREG_F64 ? 8 : 4;
  size_t off = fz_pick(c->r, 8) * es, room = (BUF_BYTES - off) / es, n = 1;
  int64_t shape[3];
  int nd = (int)fz_pick(c->r, 4), i;
  for (i = 0; i < nd; i++) {
    shape[i] = (int64_t)fz_pick(c->r, 6);
    if (n * (size_t)shape[i] > room) shape[i] = 1;
    n *= (size_t)shape[i];
  }
  lgaussreg_pushview(L, (char *)lua_touserdata(L, c->buf) + off, t, nd, shape,
                     c->buf);
}

static void push_value(fl_ctx *c, int depth);

/* A number: integer or float, ordinary or extreme. */
static void push_number(fl_ctx *c) {
  lua_State *L = c->L;
  switch (fz_pick(c->r, 10)) {
    case 0: lua_pushinteger(L, (lua_Integer)fz_pick(c->r, 6)); break;
    case 1: lua_pushinteger(L, -(lua_Integer)fz_pick(c->r, 4) - 1); break;
    case 2: lua_pushinteger(L, LUA_MININTEGER); break;
    case 3: lua_pushinteger(L, LUA_MAXINTEGER); break;
    case 4: lua_pushinteger(L, ((lua_Integer)1 << (fz_pick(c->r, 63)))); break;
    case 5: lua_pushnumber(L, ldexp(1.0, (int)fz_pick(c->r, 80))); break;
    case 6: lua_pushnumber(L, (lua_Number)fz_pick(c->r, 8) + 0.5); break;
    default: lua_pushnumber(L, (lua_Number)fz_double(c->r)); break;
  }
}

/* A nested table of numbers of the given depth; `flaw` occasionally makes it
** ragged, holed or mistyped somewhere. */
static void push_nested(fl_ctx *c, int depth, int flaw) {
  lua_State *L = c->L;
  int n = (int)fz_pick(c->r, 5), i;
  luaL_checkstack(L, 4, "nested");
  lua_createtable(L, n, 0);
  for (i = 1; i <= n; i++) {
    unsigned f = flaw ? fz_pick(c->r, 12) : 99;
    if (f == 0) continue; /* a hole */
    if (f == 1) lua_pushstring(L, "x");
    else if (f == 2) lua_pushboolean(L, 1);
    else if (depth > 1 && f == 3) push_number(c);   /* ragged: number */
    else if (depth == 1 && f == 3) lua_newtable(L); /* ragged: table */
    else if (depth > 1) push_nested(c, depth - 1, flaw);
    else push_number(c);
    lua_rawseti(L, -2, i);
  }
}

/* A string: a known word, a state string (maybe damaged), or bytes. */
static void push_string(fl_ctx *c) {
  lua_State *L = c->L;
  unsigned k = fz_pick(c->r, 4);
  if (k <= 1) {
    lua_getfield(L, c->helpers, "words");
    lua_rawgeti(L, -1, 1 + (int)fz_pick(c->r, 18));
    lua_remove(L, -2);
  } else if (k == 2) { /* the state of a pool object, damaged */
    size_t len = 0;
    const char *s;
    lua_getfield(L, c->helpers, "state_of");
    lua_rawgeti(L, c->pool, 1 + (int)fz_pick(c->r, POOL));
    if (lua_pcall(L, 1, 1, 0) != LUA_OK || !lua_isstring(L, -1)) {
      lua_pop(L, 1);
      lua_pushliteral(L, "GREG");
      return;
    }
    s = lua_tolstring(L, -1, &len);
    if (len > 0) {
      /* a userdata, not malloc: pushing the result may raise a memory
      ** error, and the collector must still own the copy then */
      char *b = (char *)lua_newuserdata(L, len);
      size_t cut = len;
      memcpy(b, s, len);
      switch (fz_pick(c->r, 4)) {
        case 0: break; /* intact */
        case 1: b[fz_u64(c->r) % len] ^= (char)(1 + fz_u8(c->r)); break;
        case 2: cut = (size_t)(fz_u64(c->r) % len); break;
        default: /* the version */
          if (len > 4) b[4] = (char)fz_u8(c->r);
          break;
      }
      lua_pushlstring(L, b, cut);
      lua_replace(L, -3); /* over the original string */
      lua_pop(L, 1);      /* the copy */
    }
  } else {
    char b[16];
    size_t n = fz_pick(c->r, 16), i;
    for (i = 0; i < n; i++) b[i] = (char)fz_u8(c->r);
    lua_pushlstring(L, b, n);
  }
}

/* A table for gr.new{...}: some of the known keys, maybe an unknown one. */
static void push_config(fl_ctx *c, int depth) {
  static const char *const keys[] = {"mean", "std", "weight", "fit_hyper",
                                     "seed", "log_mode", "bogus"};
  lua_State *L = c->L;
  int i;
  lua_newtable(L);
  for (i = 0; i < 7; i++) {
    unsigned k = fz_pick(c->r, 4);
    if (k == 0 && i != 0) continue;
    if (k == 1 || (i == 6 && k != 3)) {
      if (i == 6) continue;
      push_value(c, depth + 1);
    } else if (i <= 1) {
      push_number(c);
    } else if (i == 2) {
      push_number(c);
    } else if (i == 3) {
      lua_pushboolean(L, (int)fz_pick(c->r, 2));
    } else if (i == 4) {
      lua_pushinteger(L, (lua_Integer)fz_u64(c->r));
    } else {
      push_string(c);
    }
    lua_setfield(L, -2, keys[i]);
  }
}

/* Any Lua value (depth limits recursion). */
static void push_value(fl_ctx *c, int depth) {
  lua_State *L = c->L;
  unsigned k = fz_pick(c->r, depth > 2 ? 6 : 18);
  luaL_checkstack(L, 8, "value");
  switch (k) {
    case 0: lua_pushnil(L); break;
    case 1: lua_pushboolean(L, (int)fz_pick(c->r, 2)); break;
    case 2: case 3: push_number(c); break;
    case 4: push_string(c); break;
    case 5: /* a pool value */
      lua_rawgeti(L, c->pool, 1 + (int)fz_pick(c->r, POOL));
      break;
    case 6: lua_getfield(L, c->helpers, "len"); break; /* a function */
    case 7: lua_newuserdata(L, 8); break;               /* foreign userdata */
    case 8: case 9: push_nested(c, 1 + (int)fz_pick(c->r, 4), 0); break;
    case 10: push_nested(c, 1 + (int)fz_pick(c->r, 4), 1); break;
    case 11: push_config(c, depth); break;
    case 12: { /* a shape table */
      int n = (int)fz_pick(c->r, 10), i;
      lua_createtable(L, n, 0);
      for (i = 1; i <= n; i++) {
        if (fz_pick(c->r, 4)) lua_pushinteger(L, (lua_Integer)fz_pick(c->r, 4));
        else push_number(c);
        lua_rawseti(L, -2, i);
      }
      break;
    }
    case 13: { /* a gaussianreg.array built from something random */
      lua_getfield(L, c->helpers, "gr");
      lua_getfield(L, -1, "array");
      lua_remove(L, -2);
      push_value(c, depth + 1);
      if (fz_pick(c->r, 2)) lua_pushstring(L, "float32"); else lua_pushnil(L);
      if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
        FZ_CHECK(lua_type(L, -1) == LUA_TSTRING);
        lua_pop(L, 1);
        lua_pushnil(L);
      }
      break;
    }
    case 14: { /* a deep nest, up to and past the 8 levels allowed */
      int d = 1 + (int)fz_pick(c->r, 11), i;
      push_number(c);
      for (i = 0; i < d; i++) {
        lua_createtable(L, 1, 0);
        lua_insert(L, -2);
        lua_rawseti(L, -2, 1);
      }
      break;
    }
    case 16: push_view(c); break;
    case 17: { /* an out table for hyper_grad: views, arrays, junk */
      static const char *const keys[] = {"mean", "precision", "weight",
                                         "prec"};
      int i;
      lua_newtable(L);
      for (i = 0; i < 4; i++) {
        unsigned f = fz_pick(c->r, 4);
        if (f == 0 || (i == 3 && f != 3)) continue;
        if (f == 1) push_view(c); else push_value(c, depth + 1);
        lua_setfield(L, -2, keys[i]);
      }
      break;
    }
    default: { /* a table with a metatable that errors (binding reads raw) */
      push_nested(c, 1, 0);
      lua_newtable(L);
      lua_getfield(L, c->helpers, "len");
      lua_setfield(L, -2, "__index");
      lua_getfield(L, c->helpers, "len");
      lua_setfield(L, -2, "__len");
      lua_setmetatable(L, -2);
      break;
    }
  }
}

/* Runs the function and nargs arguments on the stack under pcall; stores
** the first result (if any) in a pool slot. */
static void protected_call(fl_ctx *c, int nargs) {
  lua_State *L = c->L;
  int base = lua_gettop(L) - nargs - 1, st;
  st = lua_pcall(L, nargs, LUA_MULTRET, 0);
  if (st != LUA_OK) {
    /* every error value the binding raises is a message */
    FZ_CHECK(lua_type(L, -1) == LUA_TSTRING);
    lua_settop(L, base);
    return;
  }
  if (lua_gettop(L) > base && fz_pick(c->r, 2)) {
    lua_pushvalue(L, base + 1);
    lua_rawseti(L, c->pool, 1 + (int)fz_pick(c->r, POOL));
  }
  lua_settop(L, base);
}

static void action(fl_ctx *c) {
  lua_State *L = c->L;
  int nargs, i;
  switch (fz_pick(c->r, 10)) {
    case 0: case 1: case 2: { /* a module function */
      lua_getfield(L, c->helpers, "funcs");
      lua_rawgeti(L, -1, 1 + (int)fz_pick(c->r, 12));
      lua_getfield(L, c->helpers, "gr");
      lua_insert(L, -2);
      lua_gettable(L, -2);
      lua_remove(L, -2);
      lua_remove(L, -2);
      nargs = (int)fz_pick(c->r, 5);
      for (i = 0; i < nargs; i++) push_value(c, 0);
      protected_call(c, nargs);
      break;
    }
    case 3: case 4: case 5: case 6: { /* a method on a pool value */
      lua_getfield(L, c->helpers, "method");
      lua_rawgeti(L, c->pool, 1 + (int)fz_pick(c->r, POOL));
      lua_getfield(L, c->helpers, "methods");
      lua_rawgeti(L, -1, 1 + (int)fz_pick(c->r, 12));
      lua_remove(L, -2);
      nargs = (int)fz_pick(c->r, 4);
      for (i = 0; i < nargs; i++) push_value(c, 0);
      protected_call(c, nargs + 2);
      break;
    }
    case 7: { /* a field read or write */
      int set = (int)fz_pick(c->r, 2);
      lua_getfield(L, c->helpers, set ? "set" : "get");
      lua_rawgeti(L, c->pool, 1 + (int)fz_pick(c->r, POOL));
      if (fz_pick(c->r, 3)) {
        lua_getfield(L, c->helpers, "keys");
        lua_rawgeti(L, -1, 1 + (int)fz_pick(c->r, 15));
        lua_remove(L, -2);
      } else {
        push_value(c, 0);
      }
      if (set) push_value(c, 0);
      protected_call(c, set ? 3 : 2);
      break;
    }
    case 8: { /* #, tostring, <close> */
      static const char *const f[] = {"len", "str", "close"};
      lua_getfield(L, c->helpers, f[fz_pick(c->r, 3)]);
      lua_rawgeti(L, c->pool, 1 + (int)fz_pick(c->r, POOL));
      protected_call(c, 1);
      break;
    }
    default: /* a new pool value, or a collection */
      if (fz_pick(c->r, 4) == 0) {
        lua_gc(L, fz_pick(c->r, 2) ? LUA_GCCOLLECT : LUA_GCSTEP, 0);
      } else {
        int slot = 1 + (int)fz_pick(c->r, POOL);
        push_value(c, 0);
        lua_rawseti(L, c->pool, slot);
      }
      break;
  }
}

/* Runs the whole input inside a protected C function, so that a memory
** error while building values is caught too. */
static int run_input(lua_State *L) {
  fz_reader *r = (fz_reader *)lua_touserdata(L, 1);
  fz_alloc *a = (fz_alloc *)lua_touserdata(L, 2);
  fl_ctx c;
  int i, n;
  c.L = L;
  c.r = r;
  if (luaL_loadbuffer(L, HELPERS, sizeof HELPERS - 1, "=helpers") != LUA_OK)
    return lua_error(L);
  lua_call(L, 0, 1);
  c.helpers = lua_gettop(L);
  lua_createtable(L, POOL, 0);
  c.pool = lua_gettop(L);
  memset(lua_newuserdata(L, BUF_BYTES), 0, BUF_BYTES);
  c.buf = lua_gettop(L);
  /* a regularizer to start from, in a few slots */
  lua_getfield(L, c.helpers, "gr");
  lua_getfield(L, -1, "new");
  lua_pushliteral(L, "mean");
  lua_pushnumber(L, 0.5);
  lua_newtable(L);
  lua_insert(L, -3);
  lua_settable(L, -3);
  lua_pushnumber(L, 2.0);
  lua_setfield(L, -2, "std");
  lua_pushboolean(L, (int)fz_pick(r, 2));
  lua_setfield(L, -2, "fit_hyper");
  lua_call(L, 1, 1);
  lua_pushvalue(L, -1);
  lua_rawseti(L, c.pool, 1);
  lua_rawseti(L, c.pool, 2);
  lua_pop(L, 1);
  /* arm the allocator now (setup done): one input in eight */
  if (fz_pick(r, 8) == 0) {
    a->fail_at = a->count + 1 + (long)fz_pick(r, 255);
    a->persistent = 1;
  }
  n = 0;
  for (i = 0; i < MAX_ACTIONS && r->n > 0; i++, n++) action(&c);
  a->fail_at = 0;
  lua_pushinteger(L, n);
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_reader r;
  fz_alloc a;
  lua_State *L;
  int st;
  r.p = data;
  r.n = size;
  memset(&a, 0, sizeof a);
  a.limit = (size_t)64 << 20; /* "huge" arrays fail as out of memory */
  /* and so do results made of millions of small tables (a shape like
  ** (3e6, 1) asks for one table per row): each input's state may hold at
  ** most 128 MiB, well inside libFuzzer's RSS limit with ASan's overhead */
  a.total = (size_t)128 << 20;
  L = lua_newstate(fz_alloc_fn, &a);
  FZ_CHECK(L != NULL);
  luaL_openlibs(L);
  if (host_preload(L) != LUA_OK) {
    fprintf(stderr, "fuzz_lua: %s (run from the project root)\n",
            lua_tostring(L, -1));
    abort();
  }
  lua_pushcfunction(L, run_input);
  lua_pushlightuserdata(L, &r);
  lua_pushlightuserdata(L, &a);
  st = lua_pcall(L, 2, 1, 0);
  a.fail_at = 0;
  /* only an injected memory failure may escape the protected actions */
  if (st != LUA_OK) {
    if (!(st == LUA_ERRMEM ||
          (lua_type(L, -1) == LUA_TSTRING &&
           strstr(lua_tostring(L, -1), "not enough memory") != NULL)))
      fprintf(stderr, "fuzz_lua: %s\n", lua_tostring(L, -1));
    FZ_CHECK(st == LUA_ERRMEM ||
             (lua_type(L, -1) == LUA_TSTRING &&
              strstr(lua_tostring(L, -1), "not enough memory") != NULL));
  }
  lua_close(L);
  FZ_CHECK(a.live == 0 && a.bytes == 0);
  FZ_CHECK(!a.size_error);
  return 0;
}
