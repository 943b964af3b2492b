/*
** lgaussreg.c -- the Lua binding of gaussreg (module "gaussianreg.core").
**
** The binding converts Lua values (numbers, nested tables, gaussianreg.array
** buffers) into gaussreg_array views and results back; it does no math of its
** own. Lua errors longjmp, so every temporary buffer is a Lua userdata (the
** garbage collector frees it) and the one external object, the gaussreg
** itself, is owned by a userdata with __gc that exists before it is created.
** The core allocates through the Lua state's allocator (lua_getallocf),
** wrapped so that the live bytes are counted per state (core._memory()).
*/
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

/* The host helpers of lgaussreg.h stay inside whatever links this file: a
** gaussianreg.core module exports luaopen_gaussianreg_core only. */
#if !defined(LGAUSSREG_API) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(_WIN32) && !defined(__CYGWIN__)
#define LGAUSSREG_API __attribute__((visibility("hidden")))
#endif

#include "gaussreg.h"
#include "lgaussreg.h"
#include "lgaussreg_compat.h"

#define LGR_REG_T LGAUSSREG_REG_T
#define LGR_ARRAY_T LGAUSSREG_ARRAY_T
#define LGR_HEAP_KEY "gaussianreg.heap"

/* Tunable: the largest result that may come back as a Lua table (tables
** are indexed by int in the C API). Larger results need a gaussianreg.array. */
#if !defined(LGR_MAX_TABLE_NUMEL)
#define LGR_MAX_TABLE_NUMEL 0x7fffffff
#endif

/* {======================================================================
** Per-state heap: the allocator handed to the core, and the default ISA
** ======================================================================= */

/* Every block the core allocates carries this header and is linked into
** its state's heap. Lua may drop a finalizer it could not call (a memory
** error while calling it, under persistent allocation failure), and then
** the object's core memory would never be freed: the heap's own finalizer,
** which runs last at lua_close (finalizers run in reverse order of marking,
** and the heap is marked before any object), frees whatever is left. */
typedef struct lgr_block {
  struct lgr_block *prev, *next;
  size_t size; /* bytes the core asked for */
} lgr_block;
#define LGR_HDR ((sizeof(lgr_block) + 15) & ~(size_t)15)

/* One per lua_State, kept in the registry and as upvalue 1 of every
** function; the core's objects point at it through their allocator. */
typedef struct lgr_heap {
  lua_Alloc f;
  void *ud;
  size_t bytes;      /* live bytes the core holds */
  size_t blocks;     /* live blocks */
  gaussreg_isa isa;  /* forced on new objects (AUTO: none) */
  lgr_block live;    /* sentinel of the list of live blocks */
} lgr_heap;

static void lgr_link(lgr_heap *h, lgr_block *b, size_t size) {
  b->size = size;
  b->prev = &h->live;
  b->next = h->live.next;
  h->live.next->prev = b;
  h->live.next = b;
  h->bytes += size;
  h->blocks++;
}

static void lgr_unlink(lgr_heap *h, lgr_block *b) {
  b->prev->next = b->next;
  b->next->prev = b->prev;
  h->bytes -= b->size;
  h->blocks--;
}

static void *lgr_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  lgr_heap *h = (lgr_heap *)ud;
  lgr_block *b = ptr != NULL ? (lgr_block *)((char *)ptr - LGR_HDR) : NULL;
  lgr_block *nb;
  (void)osize; /* the header knows */
  if (b != NULL) lgr_unlink(h, b);
  if (nsize == 0) {
    if (b != NULL) h->f(h->ud, b, b->size + LGR_HDR, 0);
    return NULL;
  }
  nb = nsize > (size_t)-1 - LGR_HDR
           ? NULL
           : (lgr_block *)h->f(h->ud, b, b != NULL ? b->size + LGR_HDR : 0,
                               nsize + LGR_HDR);
  if (nb == NULL) { /* failure: ptr is unchanged and stays live */
    if (b != NULL) lgr_link(h, b, b->size);
    return NULL;
  }
  lgr_link(h, nb, nsize);
  return (char *)nb + LGR_HDR;
}

/* __gc of the heap: frees the blocks of objects Lua could not finalize. */
static int lgr_heap_gc(lua_State *L) {
  lgr_heap *h = (lgr_heap *)lua_touserdata(L, 1);
  while (h->live.next != &h->live) {
    lgr_block *b = h->live.next;
    lgr_unlink(h, b);
    h->f(h->ud, b, b->size + LGR_HDR, 0);
  }
  return 0;
}

#define lgr_heapof(L) ((lgr_heap *)lua_touserdata(L, lua_upvalueindex(1)))

static void lgr_allocator(lua_State *L, gaussreg_allocator *a) {
  a->alloc = lgr_alloc;
  a->ud = lgr_heapof(L);
}

/* }====================================================================== */

/* {======================================================================
** Errors
** ======================================================================= */

/* Raises the error of a failed core call. A core error about argument
** `cname` becomes "bad argument #arg" when cname is the one this call maps
** to a Lua argument. prefix: the core's argument name goes before the
** message ("std must be >= 0, got -1", "std shape (3) does not ..."). */
static int lgr_raise(lua_State *L, const gaussreg_error *e, int arg,
                     int prefix) {
  char msg[300];
  if (e->code == GAUSSREG_EFIXED) return luaL_error(L, "%s", e->msg);
  if (e->code == GAUSSREG_ENOMEM) return luaL_error(L, "not enough memory");
  if (prefix && e->arg[0] != '\0')
    snprintf(msg, sizeof msg, "%s %s", e->arg, e->msg);
  else
    snprintf(msg, sizeof msg, "%s", e->msg);
  if (arg > 0) return luaL_argerror(L, arg, msg);
  return luaL_error(L, "%s", msg);
}

/* The error of changing a fixed regularizer (checked before converting
** the new value, so that the cause is named first). */
static int lgr_fixed(lua_State *L) {
  return luaL_error(L, "%s", gaussreg_strerror(GAUSSREG_EFIXED));
}

/* A bad argument arg, or a plain error when arg is 0 (metamethods). */
static int lgr_argerr(lua_State *L, int arg, const char *msg) {
  if (arg > 0) return luaL_argerror(L, arg, msg);
  return luaL_error(L, "%s", msg);
}

/* }====================================================================== */

/* {======================================================================
** Arrays: header + data in one userdata, or a header viewing memory
** ======================================================================= */

/* An owned array keeps its data inline, after the header (data points
** there); a view's data is memory it does not own (lgr_pushview), and the
** userdata's user value keeps its owner, if any, alive. One type, one
** metatable: everything that takes an array takes a view. */
typedef struct lgr_array {
  void *data;
  gaussreg_dtype dtype;
  int ndim;
  int view; /* 1: data is not ours */
  int64_t shape[GAUSSREG_MAX_DIMS];
  size_t numel;
} lgr_array;

/* Data starts at a 16-byte boundary of the block (userdata blocks are
** aligned to the platform's max alignment; the kernels load unaligned). */
#define LGR_ARRAY_HDR ((sizeof(lgr_array) + 15) & ~(size_t)15)
#define lgr_adata(a) ((a)->data)
#define lgr_esize(t) ((t) == GAUSSREG_F32 ? sizeof(float) : sizeof(double))

static lgr_array *lgr_toarray(lua_State *L, int i) {
  return (lgr_array *)lgr_testudata(L, i, LGR_ARRAY_T);
}

static lgr_array *lgr_checkarray(lua_State *L, int i) {
  return (lgr_array *)luaL_checkudata(L, i, LGR_ARRAY_T);
}

/* Fills the header of a; shape validated by the caller. */
static void lgr_setshape(lgr_array *a, gaussreg_dtype t, int nd,
                         const int64_t *shape, size_t n) {
  int i;
  a->dtype = t;
  a->ndim = nd;
  memset(a->shape, 0, sizeof a->shape);
  for (i = 0; i < nd; i++) a->shape[i] = shape[i];
  a->numel = n;
}

/* Pushes a new, uninitialised array; shape validated by the caller. */
static lgr_array *lgr_newarray(lua_State *L, gaussreg_dtype t, int nd,
                               const int64_t *shape) {
  size_t n = 1, es = lgr_esize(t);
  int i;
  lgr_array *a;
  for (i = 0; i < nd; i++) {
    if (shape[i] != 0 && n > ((size_t)-1 - LGR_ARRAY_HDR) / es /
                                 (size_t)shape[i])
      luaL_error(L, "array of %d dimensions is too large", nd);
    n *= (size_t)shape[i];
  }
  a = (lgr_array *)lua_newuserdata(L, LGR_ARRAY_HDR + n * es);
  a->data = (char *)a + LGR_ARRAY_HDR;
  a->view = 0;
  lgr_setshape(a, t, nd, shape, n);
  luaL_getmetatable(L, LGR_ARRAY_T);
  lua_setmetatable(L, -2);
  return a;
}

/* Pushes a view of p (nd dims of shape, validated by the caller, n
** elements); owner: stack index of a value to keep alive, 0 for none.
** Checks that non-empty data is not NULL and is aligned for its dtype;
** errors name argument arg (0: a plain error). */
static lgr_array *lgr_pushview(lua_State *L, void *p, gaussreg_dtype t,
                               int nd, const int64_t *shape, size_t n,
                               int owner, int arg) {
  lgr_array *a;
  if (owner != 0) owner = lgr_absindex(L, owner);
  if (p == NULL && n > 0)
    lgr_argerr(L, arg, "NULL pointer for a non-empty view");
  if ((uintptr_t)p % lgr_esize(t) != 0)
    lgr_argerr(L, arg,
               lua_pushfstring(L, "address %p is not aligned for %s "
                                  "(%d bytes)",
                               p, t == GAUSSREG_F32 ? "float32" : "float64",
                               (int)lgr_esize(t)));
  luaL_getmetatable(L, LGR_ARRAY_T);
  if (lua_isnil(L, -1))
    luaL_error(L, "gaussianreg.core is not open in this Lua state");
  a = (lgr_array *)lua_newuserdata(L, sizeof(lgr_array));
  a->data = p;
  a->view = 1;
  lgr_setshape(a, t, nd, shape, n);
  lua_insert(L, -2);
  lua_setmetatable(L, -2);
  if (owner != 0) {
    lua_pushvalue(L, owner);
    lgr_setuservalue(L, -2);
  }
  return a;
}

/* A contiguous view of an array (its shape is already valid). */
static void lgr_aview(lgr_array *a, gaussreg_array *v) {
  gaussreg_array_init(v, lgr_adata(a), a->dtype, a->ndim, a->shape, NULL);
}

/* Casts to float the IEEE way: out-of-range finite values become +-inf
** (a plain C cast would be undefined behaviour there). */
static float lgr_tof32(double d) {
  if (d >= 0x1.ffffffp127) return (float)HUGE_VAL;
  if (d <= -0x1.ffffffp127) return -(float)HUGE_VAL;
  return (float)d;
}

static double lgr_aget(const lgr_array *a, size_t i) {
  const void *d = a->data;
  return a->dtype == GAUSSREG_F32 ? (double)((const float *)d)[i]
                                  : ((const double *)d)[i];
}

static void lgr_aset(lgr_array *a, size_t i, double v) {
  void *d = lgr_adata(a);
  if (a->dtype == GAUSSREG_F32)
    ((float *)d)[i] = lgr_tof32(v);
  else
    ((double *)d)[i] = v;
}

/* }====================================================================== */

/* {======================================================================
** Shapes and numbers from Lua
** ======================================================================= */

/* An integral number in [lo, hi] at index i, else -1 (range/kind error). */
static int lgr_getint(lua_State *L, int i, double lo, double hi,
                      int64_t *out) {
  lua_Number d;
  if (lua_type(L, i) != LUA_TNUMBER) return -1;
#if LUA_VERSION_NUM >= 503
  if (lgr_isinteger(L, i)) {
    lua_Integer k = lua_tointeger(L, i);
    if ((double)k < lo || (double)k > hi) return -1;
    *out = (int64_t)k;
    return 0;
  }
#endif
  d = lua_tonumber(L, i);
  if (!(d >= lo && d <= hi) || d != (lua_Number)(int64_t)d) return -1;
  *out = (int64_t)d;
  return 0;
}

/* Reads the shape at stack index i: an integer n (shape (n)) or a table
** {d1, ..., dk}; errors name argument arg. */
static int lgr_checkshape(lua_State *L, int i, int arg, int64_t *shape) {
  int64_t v = 0;
  int nd, k;
  if (lua_type(L, i) == LUA_TNUMBER) {
    if (lgr_getint(L, i, 0, 9007199254740992.0, &v))
      return luaL_argerror(
          L, arg,
          lua_pushfstring(L, "dimension must be a non-negative integer, got %s",
                          lua_tostring(L, i)));
    shape[0] = v;
    return 1;
  }
  if (lua_type(L, i) != LUA_TTABLE)
    return luaL_argerror(
        L, arg,
        lua_pushfstring(L, "shape (integer or table of integers) expected, "
                           "got %s", luaL_typename(L, i)));
  if (lgr_rawlen(L, i) > GAUSSREG_MAX_DIMS)
    return luaL_argerror(
        L, arg,
        lua_pushfstring(L, "shape has %d dimensions (at most %d)",
                        (int)lgr_rawlen(L, i), GAUSSREG_MAX_DIMS));
  nd = (int)lgr_rawlen(L, i);
  for (k = 0; k < nd; k++) {
    lua_rawgeti(L, i, k + 1);
    if (lgr_getint(L, -1, 0, 9007199254740992.0, &v))
      return luaL_argerror(
          L, arg,
          lua_pushfstring(L,
                          "dimension %d must be a non-negative integer, "
                          "got %s",
                          k + 1,
                          lua_type(L, -1) == LUA_TNUMBER
                              ? lua_tostring(L, -1)
                              : luaL_typename(L, -1)));
    lua_pop(L, 1);
    shape[k] = v;
  }
  /* # may stop at any border of a table with holes (LuaJIT picks 1 for
  ** {2, nil, 3}): an integer key past nd means dimension nd+1 is missing */
  lua_pushnil(L);
  while (lua_next(L, i)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TNUMBER && lua_tonumber(L, -1) > nd &&
        lua_tonumber(L, -1) == floor(lua_tonumber(L, -1)))
      return luaL_argerror(
          L, arg,
          lua_pushfstring(L,
                          "dimension %d must be a non-negative integer, "
                          "got nil",
                          nd + 1));
  }
  return nd;
}

static const char *const lgr_dtypes[] = {"float64", "float32", NULL};

/* The dtype name at stack index i (nil or none: def); errors name argument
** arg, prefixed with `what` when the value is a table field. */
static gaussreg_dtype lgr_dtypeat(lua_State *L, int i, int arg,
                                  const char *what, gaussreg_dtype def) {
  const char *s;
  int k;
  if (lua_isnoneornil(L, i)) return def;
  if (i == arg) {
    s = luaL_checkstring(L, arg);
  } else {
    if (lua_type(L, i) != LUA_TSTRING)
      luaL_argerror(L, arg,
                    lua_pushfstring(L, "%sstring expected, got %s", what,
                                    luaL_typename(L, i)));
    s = lua_tostring(L, i);
  }
  for (k = 0; lgr_dtypes[k] != NULL; k++)
    if (strcmp(s, lgr_dtypes[k]) == 0) return (gaussreg_dtype)k;
  return (gaussreg_dtype)luaL_argerror(
      L, arg,
      lua_pushfstring(L, "%sinvalid dtype '%s' (expected 'float64' or "
                         "'float32')",
                      what, s));
}

#define lgr_checkdtype(L, arg, def) lgr_dtypeat(L, (arg), (arg), "", (def))

/* }====================================================================== */

/* {======================================================================
** Values: number, nested table or array -> view
** ======================================================================= */

enum { LGR_NUMBER, LGR_TABLE, LGR_ARRAY };

typedef struct lgr_value {
  gaussreg_array view;
  int form;     /* LGR_NUMBER, LGR_TABLE or LGR_ARRAY */
  double num;   /* the storage of a number */
  size_t numel;
} lgr_value;

typedef struct lgr_conv {
  lua_State *L;
  int arg;             /* Lua argument, for errors (0: plain error) */
  const char *prefix;  /* "" or "mean: " (a field of a table argument) */
  int ndim;
  int64_t shape[GAUSSREG_MAX_DIMS];
  lua_Integer path[GAUSSREG_MAX_DIMS];
  double *out;
  size_t pos;
} lgr_conv;

/* "[2][1]" for the path of depth n into buf. */
static const char *lgr_path(lgr_conv *c, int n, char *buf, size_t size) {
  size_t len = 0;
  int i;
  buf[0] = '\0';
  for (i = 0; i < n && len < size; i++)
    len += (size_t)snprintf(buf + len, size - len, "[%ld]", (long)c->path[i]);
  return buf;
}

static int lgr_converr(lgr_conv *c, const char *fmt, const char *a,
                       const char *b) {
  char msg[200];
  snprintf(msg, sizeof msg, fmt, a, b);
  return lgr_argerr(c->L, c->arg,
                    lua_pushfstring(c->L, "%s%s", c->prefix, msg));
}

/* The length operator may stop at any border of a table with holes (Lua
** and LuaJIT choose differently), so after reading t[1..n] this looks at
** every key for an integer past n. The walk starts at the first key:
** lua_next's order is the array part, then the hash part in node order,
** so a walk started from key n misses the hash keys stored before it
** (t[6] = 100; t[3] = 3; t[2] = 2; t[1] = 1 kept 6 out of sight). */
static void lgr_checkholes(lgr_conv *c, int t, lua_Integer n, int lv) {
  lua_State *L = c->L;
  char p[120];
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TNUMBER) {
      lua_Number k = lua_tonumber(L, -1);
      if (k > (lua_Number)n && k == floor(k)) {
        c->path[lv] = n + 1;
        lgr_converr(c, "hole at index %s%s",
                    lv == 0 ? lua_pushfstring(L, "%d", (int)(n + 1))
                            : lgr_path(c, lv + 1, p, sizeof p),
                    "");
      }
    }
  }
}

/* The innermost level of the table at t, n numbers into out, in one walk
** over its keys: the integer keys 1..n must all hold numbers and no
** integer key may lie past n (other keys are ignored). Returns 0 when
** that holds; otherwise the caller reads again in index order, for the
** error that names the first bad index. */
static int lgr_readleaf(lua_State *L, int t, lua_Integer n, double *out) {
  lua_Integer seen = 0, k = 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    int data = 0;
#if LUA_VERSION_NUM >= 503
    if (lua_isinteger(L, -2)) {
      k = lua_tointeger(L, -2);
      data = k >= 1;
      if (k > n) data = -1;
    } else
#endif
    if (lua_type(L, -2) == LUA_TNUMBER) { /* (5.3+: a float key is integral
                                             only past the integers) */
      lua_Number d = lua_tonumber(L, -2);
      if (d >= 1 && d <= (lua_Number)n) {
        k = (lua_Integer)d;
        data = (lua_Number)k == d;
      } else if (d > (lua_Number)n && d == floor(d)) {
        data = -1;
      }
    }
    if (data < 0 || (data && lua_type(L, -1) != LUA_TNUMBER)) {
      lua_pop(L, 2); /* past the end, or not a number: the caller says */
      return -1;
    }
    if (data) {
      out[k - 1] = (double)lua_tonumber(L, -1);
      seen++;
    }
    lua_pop(L, 1);
  }
  return seen == n ? 0 : -1;
}

/* Copies the table at stack index t (nesting level lv) into c->out; with
** c->out NULL, only checks that the levels above the numbers are
** rectangular (done before allocating, so a ragged table claiming a huge
** shape costs nothing). */
static void lgr_fill(lgr_conv *c, int t, int lv) {
  lua_State *L = c->L;
  lua_Integer n = (lua_Integer)c->shape[lv], i;
  char p[120];
  if (lv + 1 == c->ndim) { /* the innermost level: numbers */
    double *out;
    if (c->out == NULL) return; /* the checking pass stops above the leaves */
    out = c->out + c->pos;
    if (lgr_readleaf(L, t, n, out) == 0) {
      c->pos += (size_t)n;
      return;
    }
    for (i = 1; i <= n; i++) { /* the first bad index, in order */
      if (lgr_rawgeti(L, t, (int)i) != LUA_TNUMBER) {
        c->path[lv] = i;
        if (lua_isnil(L, -1))
          lgr_converr(c, "hole at index %s%s",
                      lv == 0 ? lua_pushfstring(L, "%d", (int)i)
                              : lgr_path(c, lv + 1, p, sizeof p),
                      "");
        lgr_converr(c, "expected number at %s, got %s",
                    lgr_path(c, lv + 1, p, sizeof p), luaL_typename(L, -1));
      }
      lua_pop(L, 1);
    }
    lgr_checkholes(c, t, n, lv); /* raises: a key past n */
    luaL_error(L, "gaussianreg: inconsistent table"); /* not reached */
    return;
  }
  for (i = 1; i <= n; i++) {
    c->path[lv] = i;
    lua_rawgeti(L, t, (int)i);
    if (lua_type(L, -1) != LUA_TTABLE) {
      if (lua_isnil(L, -1))
        lgr_converr(c, "hole at index %s%s", lgr_path(c, lv + 1, p, sizeof p),
                    "");
      lgr_converr(c, "ragged nesting: expected table at %s, got %s",
                  lgr_path(c, lv + 1, p, sizeof p), luaL_typename(L, -1));
    }
    if ((lua_Integer)lgr_rawlen(L, -1) != (lua_Integer)c->shape[lv + 1]) {
      char want[32];
      /* a shorter border may just be a hole */
      lgr_checkholes(c, lua_gettop(L), (lua_Integer)lgr_rawlen(L, -1), lv + 1);
      snprintf(want, sizeof want, "length %ld, expected %ld",
               (long)lgr_rawlen(L, -1), (long)c->shape[lv + 1]);
      lgr_converr(c, "ragged nesting: %s has %s",
                  lgr_path(c, lv + 1, p, sizeof p), want);
    }
    lgr_fill(c, lua_gettop(L), lv + 1);
    lua_pop(L, 1);
  }
  lgr_checkholes(c, t, n, lv);
}

/* Reads the table at index arg: infers the shape from the first elements,
** then checks it is rectangular and all numbers while copying into a new
** float64 userdata (pushed). */
static void lgr_fromtable(lua_State *L, int idx, int arg, const char *prefix,
                          lgr_value *v) {
  lgr_conv c;
  gaussreg_error e;
  int top = lua_gettop(L), i;
  size_t n = 1;
  c.L = L;
  c.arg = arg;
  c.prefix = prefix;
  c.ndim = 0;
  c.pos = 0;
  luaL_checkstack(L, 2 * GAUSSREG_MAX_DIMS + 8, "nesting too deep");
  lua_pushvalue(L, idx);
  for (;;) { /* shape: the lengths along the first elements */
    size_t len = lgr_rawlen(L, -1);
    if (c.ndim == GAUSSREG_MAX_DIMS) {
      lua_settop(L, top);
      lgr_argerr(L, arg,
                 lua_pushfstring(L, "%stoo many nesting levels (at most %d)",
                                 prefix, GAUSSREG_MAX_DIMS));
    }
    c.shape[c.ndim++] = (int64_t)len;
    if (len == 0) break;
    lua_rawgeti(L, -1, 1);
    if (lua_type(L, -1) != LUA_TTABLE) break;
  }
  lua_settop(L, top);
  if (gaussreg_array_init(&v->view, NULL, GAUSSREG_F64, c.ndim, c.shape,
                          &e) != GAUSSREG_OK) /* the count must fit */
    lgr_argerr(L, arg, lua_pushfstring(L, "%stable %s", prefix, e.msg));
  for (i = 0; i < c.ndim; i++) n *= (size_t)c.shape[i];
  c.out = NULL;
  lgr_fill(&c, idx, 0);
  c.out = (double *)lua_newuserdata(L, n * sizeof(double) + 1);
  lgr_fill(&c, idx, 0);
  gaussreg_array_init(&v->view, c.out, GAUSSREG_F64, c.ndim, c.shape, NULL);
  v->form = LGR_TABLE;
  v->numel = n;
}

/* Converts the value at stack index idx into v; errors name argument arg
** (0: plain errors) with prefix. May push one userdata (a table's copy). */
static void lgr_tovalue(lua_State *L, int idx, int arg, const char *prefix,
                        lgr_value *v) {
  lgr_array *a;
  switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
      v->num = (double)lua_tonumber(L, idx);
      gaussreg_array_init(&v->view, &v->num, GAUSSREG_F64, 0, NULL, NULL);
      v->form = LGR_NUMBER;
      v->numel = 1;
      return;
    case LUA_TTABLE:
      lgr_fromtable(L, idx, arg, prefix, v);
      return;
    default:
      if ((a = lgr_toarray(L, idx)) != NULL) {
        lgr_aview(a, &v->view);
        v->form = LGR_ARRAY;
        v->numel = a->numel;
        return;
      }
      lgr_argerr(L, arg,
                 lua_pushfstring(L, "%snumber, table or gaussianreg.array "
                                    "expected, got %s",
                                 prefix, luaL_typename(L, idx)));
  }
}

/* }====================================================================== */

/* {======================================================================
** Results: view -> number, nested table or array
** ======================================================================= */

static void lgr_pushtable_rec(lua_State *L, const double *d, int nd,
                              const int64_t *shape, size_t *pos) {
  int n = (int)shape[0], i;
  lua_createtable(L, n, 0);
  if (nd == 1) {
    for (i = 0; i < n; i++) {
      lua_pushnumber(L, (lua_Number)d[(*pos)++]);
      lua_rawseti(L, -2, i + 1);
    }
    return;
  }
  for (i = 0; i < n; i++) {
    lgr_pushtable_rec(L, d, nd - 1, shape + 1, pos);
    lua_rawseti(L, -2, i + 1);
  }
}

/* Pushes float64 contiguous data of a shape as a number (0-d) or table. */
static void lgr_pushtable(lua_State *L, const double *d, int nd,
                          const int64_t *shape) {
  size_t pos = 0;
  if (nd == 0) {
    lua_pushnumber(L, (lua_Number)d[0]);
    return;
  }
  luaL_checkstack(L, GAUSSREG_MAX_DIMS + 4, "nesting too deep");
  lgr_pushtable_rec(L, d, nd, shape, &pos);
}

/* Checks a result of nd/shape can be a Lua table. */
static void lgr_checktablesize(lua_State *L, int nd, const int64_t *shape) {
  int64_t n = 1;
  int i;
  for (i = 0; i < nd; i++) {
    if (shape[i] == 0) return;
    if (shape[i] > LGR_MAX_TABLE_NUMEL / n) {
      char b[200];
      luaL_error(L, "result of shape %s is too large for a table (use "
                    "\"array\")",
                 gaussreg_format_shape(b, sizeof b, nd, shape));
    }
    n *= shape[i];
  }
}

/* An output of a given shape in the form of the input: a new array
** (pushed, `out` views it) or float64 scratch (pushed as userdata). */
typedef struct lgr_out {
  gaussreg_array view;
  int form;
  int idx; /* stack index of the userdata */
} lgr_out;

static void lgr_newout(lua_State *L, int form, gaussreg_dtype t, int nd,
                       const int64_t *shape, lgr_out *o) {
  o->form = form;
  if (form == LGR_ARRAY) {
    lgr_array *a = lgr_newarray(L, t, nd, shape);
    lgr_aview(a, &o->view);
  } else {
    size_t n = 1;
    int i;
    double *d;
    lgr_checktablesize(L, nd, shape);
    for (i = 0; i < nd; i++) n *= (size_t)shape[i];
    d = (double *)lua_newuserdata(L, n * sizeof(double) + 1);
    gaussreg_array_init(&o->view, d, GAUSSREG_F64, nd, shape, NULL);
  }
  o->idx = lua_gettop(L);
}

/* Pushes the result held by o. */
static void lgr_pushout(lua_State *L, lgr_out *o) {
  if (o->form == LGR_ARRAY)
    lua_pushvalue(L, o->idx);
  else
    lgr_pushtable(L, (const double *)o->view.data, o->view.ndim,
                  o->view.shape);
}

/* }====================================================================== */

/* {======================================================================
** GaussianReg objects
** ======================================================================= */

typedef struct lgr_reg {
  gaussreg *g;
} lgr_reg;

static gaussreg *lgr_checkreg(lua_State *L) {
  lgr_reg *r = (lgr_reg *)luaL_checkudata(L, 1, LGR_REG_T);
  luaL_argcheck(L, r->g != NULL, 1, "closed regularizer");
  return r->g;
}

/* Pushes an empty regularizer userdata (g NULL) with its metatable. */
static lgr_reg *lgr_newreg(lua_State *L) {
  lgr_reg *r = (lgr_reg *)lua_newuserdata(L, sizeof(lgr_reg));
  r->g = NULL;
  luaL_getmetatable(L, LGR_REG_T);
  lua_setmetatable(L, -2);
  return r;
}

/* Common end of construction: forced ISA and a GC step for the memory the
** core holds outside Lua's accounting. */
static void lgr_adopt(lua_State *L, lgr_reg *r) {
  lgr_heap *h = lgr_heapof(L);
  size_t kb = (gaussreg_array_numel(gaussreg_mean(r->g)) +
               3 * gaussreg_array_numel(gaussreg_precision(r->g))) *
              sizeof(double) / 1024;
  if (h->isa != GAUSSREG_ISA_AUTO) gaussreg_set_isa(r->g, h->isa, NULL);
  if (kb > 0) lua_gc(L, LUA_GCSTEP, kb > 0x10000 ? 0x10000 : (int)kb);
}

static int lgr_checkseed(lua_State *L, int i, int arg, const char *prefix,
                         uint64_t *seed) {
  int64_t v = 0;
#if LUA_VERSION_NUM >= 503
  if (lgr_isinteger(L, i) && lua_tointeger(L, i) >= 0) {
    *seed = (uint64_t)lua_tointeger(L, i);
    return 0;
  }
#endif
  if (lgr_getint(L, i, 0, 9007199254740992.0, &v))
    return luaL_argerror(
        L, arg,
        lua_pushfstring(L, "%sseed must be a non-negative integer, got %s",
                        prefix,
                        lua_type(L, i) == LUA_TNUMBER ? lua_tostring(L, i)
                                                      : luaL_typename(L, i)));
  *seed = (uint64_t)v;
  return 0;
}

static const char *const lgr_logmodes[] = {"per_precision", "per_element",
                                           NULL};

static gaussreg_log_mode lgr_checklogmode(lua_State *L, int i, int arg) {
  const char *s = lua_tostring(L, i);
  int k;
  if (lua_type(L, i) == LUA_TSTRING)
    for (k = 0; lgr_logmodes[k] != NULL; k++)
      if (strcmp(s, lgr_logmodes[k]) == 0) return (gaussreg_log_mode)k;
  return (gaussreg_log_mode)luaL_argerror(
      L, arg,
      lua_pushfstring(L, "log_mode must be 'per_precision' or "
                         "'per_element', got %s",
                      lua_type(L, i) == LUA_TSTRING
                          ? lua_pushfstring(L, "'%s'", s)
                          : luaL_typename(L, i)));
}

static double lgr_checkweight(lua_State *L, int i, int arg,
                              const char *prefix) {
  if (lua_type(L, i) != LUA_TNUMBER)
    luaL_argerror(L, arg,
                  lua_pushfstring(L, "%sweight must be a number, got %s",
                                  prefix, luaL_typename(L, i)));
  return (double)lua_tonumber(L, i);
}

static int lgr_checkbool(lua_State *L, int i, int arg, const char *what) {
  if (lua_isnoneornil(L, i)) return 0;
  if (lua_type(L, i) != LUA_TBOOLEAN)
    luaL_argerror(L, arg,
                  lua_pushfstring(L, "%s must be a boolean, got %s", what,
                                  luaL_typename(L, i)));
  return lua_toboolean(L, i);
}

/* threads: an integer 0..GAUSSREG_MAX_THREADS at index i; raises as
** argument arg, or (arg 0: an assignment) as a plain error. */
static int lgr_checkthreads(lua_State *L, int i, int arg) {
  int64_t v = 0;
  const char *msg;
  if (lgr_getint(L, i, 0, GAUSSREG_MAX_THREADS, &v) == 0) return (int)v;
  msg = lua_pushfstring(
      L, "threads must be an integer from 0 (one per core) to %d, got %s",
      GAUSSREG_MAX_THREADS,
      lua_type(L, i) == LUA_TNUMBER ? lua_tostring(L, i) : luaL_typename(L, i));
  return arg ? luaL_argerror(L, arg, msg) : luaL_error(L, "%s", msg);
}

static const char *const lgr_options[] = {"mean",   "std",  "weight",
                                          "fit_hyper", "seed", "log_mode",
                                          "threads", NULL};

/* A table argument is an options table when it has one of the options'
** keys, or when its first key is a string (data tables start at 1): so
** new{weight = 1} names the missing option instead of taking the table as
** a mean. */
static int lgr_isconfig(lua_State *L, int i) {
  int k, yes = 0;
  if (lua_type(L, i) != LUA_TTABLE) return 0;
  for (k = 0; !yes && lgr_options[k] != NULL; k++) {
    lua_getfield(L, i, lgr_options[k]);
    yes = !lua_isnil(L, -1);
    lua_pop(L, 1);
  }
  if (yes) return 1;
  lua_pushnil(L);
  if (lua_next(L, i)) {
    yes = lua_type(L, -2) == LUA_TSTRING;
    lua_pop(L, 2);
  }
  return yes;
}

/* new(mean, std [, weight [, fit_hyper]]) or new{mean=, std=, weight=,
** fit_hyper=, seed=, log_mode=, threads=} */
static int lgr_new(lua_State *L) {
  gaussreg_config cfg;
  gaussreg_allocator alloc;
  gaussreg_error err;
  lgr_value mean, std;
  lgr_reg *r;
  int rc, argm, args, argw, table = lgr_isconfig(L, 1);
  gaussreg_config_init(&cfg);
  if (table) { /* options: validate every key, then move them to 2..8 */
    int k;
    luaL_checkstack(L, 10, NULL);
    lua_settop(L, 1);
    lua_pushnil(L);
    while (lua_next(L, 1)) {
      int known = 0;
      lua_pop(L, 1);
      if (lua_type(L, -1) == LUA_TSTRING)
        for (k = 0; lgr_options[k] != NULL; k++)
          if (strcmp(lua_tostring(L, -1), lgr_options[k]) == 0) known = 1;
      if (!known)
        return luaL_argerror(
            L, 1,
            lua_pushfstring(L, "unknown option %s",
                            lua_type(L, -1) == LUA_TSTRING
                                ? lua_pushfstring(L, "'%s'", lua_tostring(L, -1))
                                : luaL_typename(L, -1)));
    }
    for (k = 0; lgr_options[k] != NULL; k++) lua_getfield(L, 1, lgr_options[k]);
    argm = args = argw = 1;
    if (lua_isnil(L, 2))
      return luaL_argerror(L, 1, "option 'mean' is required");
    if (lua_isnil(L, 3))
      return luaL_argerror(L, 1, "option 'std' is required");
    lgr_tovalue(L, 2, 1, "mean: ", &mean);
    lgr_tovalue(L, 3, 1, "std: ", &std);
    if (!lua_isnil(L, 4)) cfg.weight = lgr_checkweight(L, 4, 1, "");
    if (!lua_isnil(L, 5)) {
      if (lua_type(L, 5) != LUA_TBOOLEAN)
        return luaL_argerror(
            L, 1,
            lua_pushfstring(L, "fit_hyper must be a boolean, got %s",
                            luaL_typename(L, 5)));
      cfg.fit_hyper = lua_toboolean(L, 5);
    }
    if (!lua_isnil(L, 6)) lgr_checkseed(L, 6, 1, "", &cfg.seed);
    if (!lua_isnil(L, 7)) cfg.log_mode = lgr_checklogmode(L, 7, 1);
    if (!lua_isnil(L, 8)) cfg.threads = lgr_checkthreads(L, 8, 1);
  } else {
    argm = 1;
    args = 2;
    argw = 3;
    if (lua_isnoneornil(L, 1))
      return luaL_argerror(L, 1, "mean expected (number, table or "
                                 "gaussianreg.array)");
    if (lua_isnoneornil(L, 2))
      return luaL_argerror(L, 2, "std expected (number, table or "
                                 "gaussianreg.array)");
    if (lua_gettop(L) > 4)
      return luaL_argerror(L, 5, "too many arguments (mean, std, weight, "
                                 "fit_hyper)");
    lua_settop(L, 4);
    lgr_tovalue(L, 1, 1, "", &mean);
    lgr_tovalue(L, 2, 2, "", &std);
    if (!lua_isnil(L, 3)) cfg.weight = lgr_checkweight(L, 3, 3, "");
    cfg.fit_hyper = lgr_checkbool(L, 4, 4, "fit_hyper");
  }
  cfg.mean = &mean.view;
  cfg.std = &std.view;
  lgr_allocator(L, &alloc);
  cfg.allocator = &alloc;
  r = lgr_newreg(L);
  rc = gaussreg_create(&cfg, &r->g, &err);
  if (rc != GAUSSREG_OK) {
    int arg = strcmp(err.arg, "std") == 0      ? args
              : strcmp(err.arg, "weight") == 0 ? argw
                                               : argm;
    return lgr_raise(L, &err, arg, 1);
  }
  lgr_adopt(L, r);
  return 1;
}

static int lgr_from_state(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  gaussreg_allocator alloc;
  gaussreg_error err;
  lgr_reg *r;
  lgr_allocator(L, &alloc);
  r = lgr_newreg(L);
  if (gaussreg_state_restore(s, len, &alloc, &r->g, &err) != GAUSSREG_OK)
    return lgr_raise(L, &err, 1, 0);
  lgr_adopt(L, r);
  return 1;
}

static int lgr_loss(lua_State *L) {
  const gaussreg *g = lgr_checkreg(L);
  lgr_value v;
  gaussreg_error err;
  double loss;
  lgr_tovalue(L, 2, 2, "", &v);
  if (gaussreg_loss(g, &v.view, &loss, &err) != GAUSSREG_OK)
    return lgr_raise(L, &err, 2, 0);
  lua_pushnumber(L, (lua_Number)loss);
  return 1;
}

/* The out= argument at arg: nil (none) or a gaussianreg.array (owned or a
** view) whose contiguous view goes into *o. */
static int lgr_optout(lua_State *L, int arg, gaussreg_array *o) {
  lgr_array *a;
  if (lua_isnoneornil(L, arg)) return 0;
  a = lgr_toarray(L, arg);
  if (a == NULL)
    luaL_argerror(L, arg,
                  lua_pushfstring(L, "out must be a gaussianreg.array, got %s",
                                  luaL_typename(L, arg)));
  lgr_aview(a, o);
  return 1;
}

/* Raises a core error of a call with an out= argument at outarg: errors
** about "out" name that argument, the others the value (argument 2). */
static int lgr_raiseout(lua_State *L, const gaussreg_error *e, int outarg) {
  if (strcmp(e->arg, "out") == 0) return lgr_raise(L, e, outarg, 1);
  return lgr_raise(L, e, 2, 0);
}

/* grad(x [, out]) and loss_and_grad(x [, out]): the gradient has x's shape,
** and x's form (number, table, array of x's dtype) unless out, an array of
** x's shape (float64 or float32; x itself for an in-place gradient), is
** given: then it is written there and returned, and nothing is allocated
** when x is an array too. */
static int lgr_grad_common(lua_State *L, int with_loss) {
  const gaussreg *g = lgr_checkreg(L);
  lgr_value v;
  lgr_out o;
  gaussreg_array ov;
  gaussreg_error err;
  double loss = 0;
  int rc, has_out;
  lua_settop(L, 3);
  has_out = lgr_optout(L, 3, &ov);
  lgr_tovalue(L, 2, 2, "", &v);
  if (has_out) {
    rc = with_loss ? gaussreg_loss_and_grad(g, &v.view, &loss, &ov, &err)
                   : gaussreg_grad(g, &v.view, &ov, &err);
    if (rc != GAUSSREG_OK) return lgr_raiseout(L, &err, 3);
    if (with_loss) lua_pushnumber(L, (lua_Number)loss);
    lua_pushvalue(L, 3);
    return with_loss ? 2 : 1;
  }
  if (v.form == LGR_NUMBER) {
    double gx = 0;
    gaussreg_array gv;
    gaussreg_array_init(&gv, &gx, GAUSSREG_F64, 0, NULL, NULL);
    rc = with_loss ? gaussreg_loss_and_grad(g, &v.view, &loss, &gv, &err)
                   : gaussreg_grad(g, &v.view, &gv, &err);
    if (rc != GAUSSREG_OK) return lgr_raise(L, &err, 2, 0);
    if (with_loss) lua_pushnumber(L, (lua_Number)loss);
    lua_pushnumber(L, (lua_Number)gx);
    return with_loss ? 2 : 1;
  }
  lgr_newout(L, v.form, v.view.dtype, v.view.ndim, v.view.shape, &o);
  rc = with_loss ? gaussreg_loss_and_grad(g, &v.view, &loss, &o.view, &err)
                 : gaussreg_grad(g, &v.view, &o.view, &err);
  if (rc != GAUSSREG_OK) return lgr_raise(L, &err, 2, 0);
  if (with_loss) lua_pushnumber(L, (lua_Number)loss);
  lgr_pushout(L, &o);
  return with_loss ? 2 : 1;
}

static int lgr_grad(lua_State *L) { return lgr_grad_common(L, 0); }
static int lgr_loss_and_grad(lua_State *L) { return lgr_grad_common(L, 1); }

/* The out table of hyper_grad at 3: its fields mean and precision are
** gaussianreg.arrays or nil (that gradient is then not computed), weight
** anything (overwritten); no other key. */
static void lgr_hyperout(lua_State *L, gaussreg_array *om, int *has_m,
                         gaussreg_array *op, int *has_p) {
  static const char *const keys[] = {"mean", "precision", "weight", NULL};
  int k, top = lua_gettop(L);
  if (lua_type(L, 3) != LUA_TTABLE)
    luaL_argerror(L, 3,
                  lua_pushfstring(L, "out must be a table {mean = array, "
                                     "precision = array}, got %s",
                                  luaL_typename(L, 3)));
  lua_pushnil(L);
  while (lua_next(L, 3)) {
    int known = 0;
    lua_pop(L, 1);
    for (k = 0; !known && keys[k] != NULL; k++)
      known = lua_type(L, -1) == LUA_TSTRING &&
              strcmp(lua_tostring(L, -1), keys[k]) == 0;
    if (!known)
      luaL_argerror(
          L, 3,
          lua_pushfstring(L, "out has an unknown field %s (expected mean, "
                             "precision and weight)",
                          lua_type(L, -1) == LUA_TSTRING
                              ? lua_pushfstring(L, "'%s'", lua_tostring(L, -1))
                              : luaL_typename(L, -1)));
  }
  for (k = 0; k < 2; k++) {
    lgr_array *a;
    lua_pushstring(L, keys[k]);
    lua_rawget(L, 3); /* raw, as every table the binding reads */
    a = lgr_toarray(L, -1);
    if (a == NULL && !lua_isnil(L, -1))
      luaL_argerror(L, 3,
                    lua_pushfstring(L, "out.%s must be a gaussianreg.array "
                                       "or nil, got %s",
                                    keys[k], luaL_typename(L, -1)));
    if (a != NULL) lgr_aview(a, k == 0 ? om : op);
    *(k == 0 ? has_m : has_p) = a != NULL;
  }
  lua_settop(L, top);
}

/* hyper_grad(x [, out]): {mean =, precision =, weight =} in x's form (a
** table of arrays when x is an array), or written into out's arrays. */
static int lgr_hyper_grad(lua_State *L) {
  const gaussreg *g = lgr_checkreg(L);
  const gaussreg_array *m = gaussreg_mean(g), *p = gaussreg_precision(g);
  lgr_value v;
  lgr_out om, op;
  gaussreg_array am, ap;
  gaussreg_error err;
  double gw = 0;
  int form, has_m = 0, has_p = 0;
  if (!gaussreg_fit_hyper(g)) return lgr_fixed(L);
  lua_settop(L, 3);
  if (!lua_isnil(L, 3)) {
    lgr_hyperout(L, &am, &has_m, &ap, &has_p);
    lgr_tovalue(L, 2, 2, "", &v);
    if (gaussreg_hyper_grad(g, &v.view, has_m ? &am : NULL,
                            has_p ? &ap : NULL, &gw, &err) != GAUSSREG_OK) {
      if (strcmp(err.arg, "gmean") == 0 || strcmp(err.arg, "gprec") == 0) {
        gaussreg_error e = err;
        e.arg = err.arg[1] == 'm' ? "out.mean" : "out.precision";
        return lgr_raise(L, &e, 3, 1);
      }
      return lgr_raise(L, &err, 2, 0);
    }
    lua_pushliteral(L, "weight");
    lua_pushnumber(L, (lua_Number)gw);
    lua_rawset(L, 3);
    lua_pushvalue(L, 3);
    return 1;
  }
  lgr_tovalue(L, 2, 2, "", &v);
  form = v.form == LGR_ARRAY ? LGR_ARRAY : LGR_TABLE;
  lgr_newout(L, form, GAUSSREG_F64, m->ndim, m->shape, &om);
  lgr_newout(L, form, GAUSSREG_F64, p->ndim, p->shape, &op);
  if (gaussreg_hyper_grad(g, &v.view, &om.view, &op.view, &gw, &err) !=
      GAUSSREG_OK)
    return lgr_raise(L, &err, 2, 0);
  lua_createtable(L, 0, 3);
  lgr_pushout(L, &om);
  lua_setfield(L, -2, "mean");
  lgr_pushout(L, &op);
  lua_setfield(L, -2, "precision");
  lua_pushnumber(L, (lua_Number)gw);
  lua_setfield(L, -2, "weight");
  return 1;
}

/* The optional result-form argument of sample_init/reset_value: nil or
** "table" (numbers for 0-d), "array" (a new gaussianreg.array). */
static int lgr_checkform(lua_State *L, int arg) {
  static const char *const forms[] = {"table", "array", NULL};
  /* LuaJIT's luaL_checkoption takes any non-string as the default */
  if (!lua_isnoneornil(L, arg)) luaL_checkstring(L, arg);
  return luaL_checkoption(L, arg, "table", forms) == 1 ? LGR_ARRAY
                                                       : LGR_TABLE;
}

/* sample_init(shape [, form | out]): draws of the broadcast of shape with
** the prior, as a table, a new array, or written into out (an array of
** that shape, float64 or float32) and returned, allocating nothing. */
static int lgr_sample_init(lua_State *L) {
  gaussreg *g = lgr_checkreg(L);
  int64_t shape[GAUSSREG_MAX_DIMS], oshape[GAUSSREG_MAX_DIMS];
  int nd, ond, form;
  gaussreg_error err;
  gaussreg_array ov;
  lgr_out o;
  lua_settop(L, 3);
  nd = lgr_checkshape(L, 2, 2, shape);
  if (lgr_toarray(L, 3) != NULL) {
    lgr_optout(L, 3, &ov);
    if (gaussreg_sample_init(g, nd, shape, &ov, &err) != GAUSSREG_OK)
      return lgr_raiseout(L, &err, 3);
    lua_pushvalue(L, 3);
    return 1;
  }
  if (!lua_isnil(L, 3) && lua_type(L, 3) != LUA_TSTRING)
    return luaL_argerror(
        L, 3,
        lua_pushfstring(L, "'table', 'array' or a gaussianreg.array "
                           "expected, got %s",
                        luaL_typename(L, 3)));
  form = lgr_checkform(L, 3);
  if (gaussreg_sample_shape(g, nd, shape, &ond, oshape, &err) != GAUSSREG_OK)
    return lgr_raise(L, &err, 2, 0);
  lgr_newout(L, form, GAUSSREG_F64, ond, oshape, &o);
  if (gaussreg_sample_init(g, nd, shape, &o.view, &err) != GAUSSREG_OK)
    return lgr_raise(L, &err, 2, 0);
  lgr_pushout(L, &o);
  return 1;
}

/* Pushes a copy of a stored float64 contiguous array in a form. */
static void lgr_pushstored(lua_State *L, const gaussreg_array *s, int form) {
  if (form == LGR_ARRAY) {
    lgr_array *a = lgr_newarray(L, GAUSSREG_F64, s->ndim, s->shape);
    memcpy(lgr_adata(a), s->data, a->numel * sizeof(double));
  } else {
    lgr_checktablesize(L, s->ndim, s->shape);
    lgr_pushtable(L, (const double *)s->data, s->ndim, s->shape);
  }
}

static int lgr_reset_value(lua_State *L) {
  const gaussreg *g = lgr_checkreg(L);
  lgr_pushstored(L, gaussreg_mean(g), lgr_checkform(L, 2));
  return 1;
}

static int lgr_seed(lua_State *L) {
  gaussreg *g = lgr_checkreg(L);
  uint64_t seed = 0;
  lgr_checkseed(L, 2, 2, "", &seed);
  gaussreg_seed(g, seed);
  return 0;
}

static int lgr_state(lua_State *L) {
  const gaussreg *g = lgr_checkreg(L);
  size_t n = gaussreg_state_size(g), w = 0;
  void *buf = lua_newuserdata(L, n > 0 ? n : 1);
  gaussreg_error err;
  if (gaussreg_state_save(g, buf, n, &w, &err) != GAUSSREG_OK)
    return lgr_raise(L, &err, 0, 0);
  lua_pushlstring(L, (const char *)buf, w);
  return 1;
}

static gaussreg_isa lgr_checkisa(lua_State *L, int arg) {
  const char *s = luaL_checkstring(L, arg);
  int isa = gaussreg_isa_from_name(s);
  if (isa < 0)
    luaL_argerror(L, arg, lua_pushfstring(L, "unknown instruction set '%s'",
                                          s));
  if (!gaussreg_isa_supported((gaussreg_isa)isa))
    luaL_argerror(L, arg,
                  lua_pushfstring(L, "instruction set '%s' is not available "
                                     "on this CPU or build",
                                  s));
  return (gaussreg_isa)isa;
}

static int lgr_reg_isa(lua_State *L) {
  const gaussreg *g = lgr_checkreg(L);
  lua_pushstring(L, gaussreg_isa_name(gaussreg_get_isa(g)));
  return 1;
}

static int lgr_reg_set_isa(lua_State *L) {
  gaussreg *g = lgr_checkreg(L);
  gaussreg_isa isa = lgr_checkisa(L, 2);
  gaussreg_error err;
  if (gaussreg_set_isa(g, isa, &err) != GAUSSREG_OK)
    return lgr_raise(L, &err, 2, 0);
  lua_settop(L, 1);
  return 1;
}

/* close(), __gc and __close: idempotent release. */
static int lgr_close(lua_State *L) {
  lgr_reg *r = (lgr_reg *)luaL_checkudata(L, 1, LGR_REG_T);
  gaussreg_destroy(r->g);
  r->g = NULL;
  return 0;
}

static int lgr_gc(lua_State *L) {
  lgr_reg *r = (lgr_reg *)lua_touserdata(L, 1);
  gaussreg_destroy(r->g);
  r->g = NULL;
  return 0;
}

/* tostring: the core's description (GaussianReg(closed) once closed). */
static int lgr_tostring(lua_State *L) {
  lgr_reg *r = (lgr_reg *)luaL_checkudata(L, 1, LGR_REG_T);
  char b[600];
  if (r->g == NULL)
    lua_pushliteral(L, "GaussianReg(closed)");
  else
    lua_pushstring(L, gaussreg_format(r->g, b, sizeof b));
  return 1;
}

/* __index: methods (upvalue 2) first, then the fields. */
static int lgr_index(lua_State *L) {
  lgr_reg *r = (lgr_reg *)luaL_checkudata(L, 1, LGR_REG_T);
  const char *k;
  lua_settop(L, 2);
  lua_pushvalue(L, 2);
  lua_rawget(L, lua_upvalueindex(2));
  if (!lua_isnil(L, -1) || lua_type(L, 2) != LUA_TSTRING) return 1;
  k = lua_tostring(L, 2);
  if (strcmp(k, "mean") != 0 && strcmp(k, "precision") != 0 &&
      strcmp(k, "weight") != 0 && strcmp(k, "fit_hyper") != 0 &&
      strcmp(k, "log_mode") != 0 && strcmp(k, "threads") != 0)
    return 1; /* nil */
  if (r->g == NULL) return luaL_error(L, "closed regularizer");
  if (k[0] == 't')
    lua_pushinteger(L, (lua_Integer)gaussreg_get_threads(r->g));
  else if (k[0] == 'm')
    lgr_pushstored(L, gaussreg_mean(r->g), LGR_TABLE);
  else if (k[0] == 'p')
    lgr_pushstored(L, gaussreg_precision(r->g), LGR_TABLE);
  else if (k[0] == 'w')
    lua_pushnumber(L, (lua_Number)gaussreg_weight(r->g));
  else if (k[0] == 'f')
    lua_pushboolean(L, gaussreg_fit_hyper(r->g));
  else
    lua_pushstring(L, lgr_logmodes[gaussreg_get_log_mode(r->g)]);
  return 1;
}

/* __newindex: mean, precision, weight (fit_hyper only), log_mode and
** threads. */
static int lgr_newindex(lua_State *L) {
  lgr_reg *r = (lgr_reg *)luaL_checkudata(L, 1, LGR_REG_T);
  const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
  gaussreg_error err;
  int rc;
  lua_settop(L, 3);
  if (k == NULL || (strcmp(k, "mean") != 0 && strcmp(k, "precision") != 0 &&
                    strcmp(k, "weight") != 0 && strcmp(k, "log_mode") != 0 &&
                    strcmp(k, "threads") != 0)) {
    if (k != NULL && strcmp(k, "fit_hyper") == 0)
      return luaL_error(L, "field 'fit_hyper' is read-only");
    return luaL_error(L, "GaussianReg has no assignable field %s",
                      k != NULL ? lua_pushfstring(L, "'%s'", k)
                                : luaL_typename(L, 2));
  }
  if (r->g == NULL) return luaL_error(L, "closed regularizer");
  if (k[0] == 't') { /* not a hyperparameter: settable without fit_hyper */
    rc = gaussreg_set_threads(r->g, lgr_checkthreads(L, 3, 0), &err);
    if (rc != GAUSSREG_OK) return lgr_raise(L, &err, 0, 1);
    return 0;
  }
  if (k[0] == 'l') {
    gaussreg_log_mode mode;
    const char *s = lua_tostring(L, 3);
    if (lua_type(L, 3) != LUA_TSTRING ||
        (strcmp(s, "per_precision") != 0 && strcmp(s, "per_element") != 0))
      return luaL_error(L, "log_mode must be 'per_precision' or "
                           "'per_element'");
    mode = s[4] == 'p' ? GAUSSREG_LOG_PER_PRECISION : GAUSSREG_LOG_PER_ELEMENT;
    gaussreg_set_log_mode(r->g, mode, NULL);
    return 0;
  }
  if (!gaussreg_fit_hyper(r->g)) return lgr_fixed(L);
  if (k[0] == 'w') {
    if (lua_type(L, 3) != LUA_TNUMBER)
      return luaL_error(L, "weight must be a number, got %s",
                        luaL_typename(L, 3));
    rc = gaussreg_set_weight(r->g, (double)lua_tonumber(L, 3), &err);
  } else {
    lgr_value v;
    const char *what = k[0] == 'm' ? "mean: " : "precision: ";
    lgr_tovalue(L, 3, 0, what, &v);
    rc = k[0] == 'm' ? gaussreg_set_mean(r->g, &v.view, &err)
                     : gaussreg_set_precision(r->g, &v.view, &err);
  }
  if (rc != GAUSSREG_OK) return lgr_raise(L, &err, 0, 1);
  return 0;
}

static const luaL_Reg lgr_reg_methods[] = {
    {"loss", lgr_loss},
    {"grad", lgr_grad},
    {"loss_and_grad", lgr_loss_and_grad},
    {"hyper_grad", lgr_hyper_grad},
    {"sample_init", lgr_sample_init},
    {"reset_value", lgr_reset_value},
    {"seed", lgr_seed},
    {"state", lgr_state},
    {"isa", lgr_reg_isa},
    {"set_isa", lgr_reg_set_isa},
    {"close", lgr_close},
    {NULL, NULL}};

static const luaL_Reg lgr_reg_meta[] = {{"__gc", lgr_gc},
#if LUA_VERSION_NUM >= 504
                                        {"__close", lgr_gc},
#endif
                                        {"__tostring", lgr_tostring},
                                        {"__newindex", lgr_newindex},
                                        {NULL, NULL}};

/* }====================================================================== */

/* {======================================================================
** gaussianreg.array
** ======================================================================= */

/* The table form of array(): data at 1, 2, ... (nested for more
** dimensions) and the options shape and dtype, each optional. With shape
** and no data: zeros; with data: the data, reshaped to shape if one is
** given (the element counts must agree). Any other string key raises. */
static int lgr_array_fromtable(lua_State *L) {
  static const char *const keys[] = {"shape", "dtype", NULL};
  int64_t shape[GAUSSREG_MAX_DIMS];
  gaussreg_dtype t;
  gaussreg_error err;
  gaussreg_array chk;
  lgr_array *a;
  size_t i;
  int nd = 0, k, data = 0;
  memset(&chk, 0, sizeof chk);
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    int known = 0;
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) {
      data = 1;
      continue;
    }
    for (k = 0; keys[k] != NULL; k++)
      if (strcmp(lua_tostring(L, -1), keys[k]) == 0) known = 1;
    if (!known)
      return luaL_argerror(
          L, 1,
          lua_pushfstring(L, "unknown key '%s' (expected data at 1, 2, ... "
                             "and the options 'shape' and 'dtype')",
                          lua_tostring(L, -1)));
  }
  lua_getfield(L, 1, "dtype"); /* 3 */
  lua_getfield(L, 1, "shape"); /* 4 */
  t = lgr_dtypeat(L, 3, 1, "field 'dtype': ", GAUSSREG_F64);
  if (!lua_isnil(L, 2)) {
    gaussreg_dtype t2 = lgr_checkdtype(L, 2, GAUSSREG_F64);
    if (!lua_isnil(L, 3) && t2 != t)
      return luaL_argerror(
          L, 2,
          lua_pushfstring(L, "dtype '%s' contradicts the table's dtype '%s'",
                          lgr_dtypes[t2], lgr_dtypes[t]));
    t = t2;
  }
  if (!lua_isnil(L, 4)) {
    nd = lgr_checkshape(L, 4, 1, shape);
    if (gaussreg_array_init(&chk, NULL, t, nd, shape, &err) != GAUSSREG_OK)
      return luaL_argerror(L, 1, err.msg);
  }
  if (data || lua_isnil(L, 4)) { /* the data, maybe reshaped */
    lgr_value v;
    const double *d;
    lgr_tovalue(L, 1, 1, "", &v);
    d = (const double *)v.view.data;
    if (lua_isnil(L, 4)) {
      nd = v.view.ndim;
      memcpy(shape, v.view.shape, sizeof shape);
    } else if (v.numel != gaussreg_array_numel(&chk)) {
      char b1[200], b2[200];
      return luaL_argerror(
          L, 1,
          lua_pushfstring(L, "data of shape %s (%d elements) does not fit "
                             "shape %s (%d elements)",
                          gaussreg_format_shape(b1, sizeof b1, v.view.ndim,
                                                v.view.shape),
                          (int)v.numel,
                          gaussreg_format_shape(b2, sizeof b2, nd, shape),
                          (int)gaussreg_array_numel(&chk)));
    }
    a = lgr_newarray(L, t, nd, shape);
    if (t == GAUSSREG_F64)
      memcpy(lgr_adata(a), d, a->numel * sizeof(double));
    else
      for (i = 0; i < a->numel; i++) lgr_aset(a, i, d[i]);
    return 1;
  }
  a = lgr_newarray(L, t, nd, shape); /* zeros of shape */
  memset(lgr_adata(a), 0, a->numel * lgr_esize(t));
  return 1;
}

/* array(n | shape/data table | array [, dtype]) */
static int lgr_array_new(lua_State *L) {
  lgr_array *src = lgr_toarray(L, 1), *a;
  int64_t shape[GAUSSREG_MAX_DIMS];
  gaussreg_dtype t;
  gaussreg_error err;
  gaussreg_array chk;
  size_t i;
  int nd;
  lua_settop(L, 2);
  if (src != NULL) { /* a copy, converting dtype */
    t = lgr_checkdtype(L, 2, src->dtype);
    a = lgr_newarray(L, t, src->ndim, src->shape);
    if (t == src->dtype)
      memcpy(lgr_adata(a), lgr_adata(src), a->numel * lgr_esize(t));
    else
      for (i = 0; i < a->numel; i++) lgr_aset(a, i, lgr_aget(src, i));
    return 1;
  }
  if (lua_type(L, 1) == LUA_TTABLE) return lgr_array_fromtable(L);
  if (lua_type(L, 1) != LUA_TNUMBER)
    return luaL_argerror(
        L, 1,
        lua_pushfstring(L, "length, table or gaussianreg.array expected, "
                           "got %s",
                        luaL_typename(L, 1)));
  t = lgr_checkdtype(L, 2, GAUSSREG_F64);
  nd = lgr_checkshape(L, 1, 1, shape);
  if (gaussreg_array_init(&chk, NULL, t, nd, shape, &err) != GAUSSREG_OK)
    return luaL_argerror(L, 1, err.msg);
  a = lgr_newarray(L, t, nd, shape);
  memset(lgr_adata(a), 0, a->numel * lgr_esize(t));
  return 1;
}

static void lgr_pushshape(lua_State *L, const lgr_array *a) {
  int i;
  lua_createtable(L, a->ndim, 0);
  for (i = 0; i < a->ndim; i++) {
    lua_pushinteger(L, (lua_Integer)a->shape[i]);
    lua_rawseti(L, -2, i + 1);
  }
}

/* The flat 0-based element index of key k (1-based in Lua), or raises. */
static size_t lgr_aindex(lua_State *L, const lgr_array *a, int k) {
  int64_t i = 0;
  if (lgr_getint(L, k, 1, (double)a->numel, &i)) {
    char n[32];
    snprintf(n, sizeof n, "%lu", (unsigned long)a->numel);
    luaL_error(L, "gaussianreg.array index %s out of range (%s)",
               lua_tostring(L, k),
               a->numel == 0 ? "the array is empty"
                             : lua_pushfstring(L, "1..%s", n));
  }
  return (size_t)(i - 1);
}

static int lgr_array_index(lua_State *L) {
  lgr_array *a = lgr_checkarray(L, 1);
  if (lua_type(L, 2) == LUA_TNUMBER) {
    lua_pushnumber(L, (lua_Number)lgr_aget(a, lgr_aindex(L, a, 2)));
    return 1;
  }
  if (lua_type(L, 2) == LUA_TSTRING) {
    const char *k = lua_tostring(L, 2);
    if (strcmp(k, "shape") == 0) {
      lgr_pushshape(L, a);
      return 1;
    }
    if (strcmp(k, "dtype") == 0) {
      lua_pushstring(L, lgr_dtypes[a->dtype]);
      return 1;
    }
    if (strcmp(k, "ndim") == 0) {
      lua_pushinteger(L, a->ndim);
      return 1;
    }
  }
  lua_pushvalue(L, 2);
  lua_rawget(L, lua_upvalueindex(2));
  return 1;
}

static int lgr_array_newindex(lua_State *L) {
  lgr_array *a = lgr_checkarray(L, 1);
  size_t i;
  if (lua_type(L, 2) != LUA_TNUMBER)
    return luaL_error(L, "gaussianreg.array has no assignable field %s",
                      lua_type(L, 2) == LUA_TSTRING
                          ? lua_pushfstring(L, "'%s'", lua_tostring(L, 2))
                          : luaL_typename(L, 2));
  i = lgr_aindex(L, a, 2);
  if (lua_type(L, 3) != LUA_TNUMBER)
    return luaL_error(L, "gaussianreg.array element must be a number, got %s",
                      luaL_typename(L, 3));
  lgr_aset(a, i, (double)lua_tonumber(L, 3));
  return 0;
}

static int lgr_array_len(lua_State *L) {
  lgr_array *a = lgr_checkarray(L, 1);
  lua_pushinteger(L, (lua_Integer)a->numel);
  return 1;
}

static int lgr_array_totable(lua_State *L) {
  lgr_array *a = lgr_checkarray(L, 1);
  double *d;
  size_t i;
  lgr_checktablesize(L, a->ndim, a->shape);
  if (a->dtype == GAUSSREG_F64) {
    d = (double *)lgr_adata(a);
  } else {
    d = (double *)lua_newuserdata(L, a->numel * sizeof(double) + 1);
    for (i = 0; i < a->numel; i++) d[i] = lgr_aget(a, i);
  }
  lgr_pushtable(L, d, a->ndim, a->shape);
  return 1;
}

static int lgr_array_tostring(lua_State *L) {
  lgr_array *a = lgr_checkarray(L, 1);
  char b[200];
  lua_pushfstring(L, "gaussianreg.array(%s, %s%s)", lgr_dtypes[a->dtype],
                  gaussreg_format_shape(b, sizeof b, a->ndim, a->shape),
                  a->view ? ", view" : "");
  return 1;
}

/* What a view is to look like: the shape (argument 2) and dtype (argument
** 3) of the view functions, checked by the core. */
typedef struct lgr_viewspec {
  int ndim;
  int64_t shape[GAUSSREG_MAX_DIMS];
  gaussreg_dtype dtype;
  size_t numel;
} lgr_viewspec;

/* Reads a view's shape and dtype: like's shape when argument 2 is nil and
** like is given, dtype def when argument 3 is nil. */
static void lgr_checkviewspec(lua_State *L, const lgr_array *like,
                              gaussreg_dtype def, lgr_viewspec *v) {
  gaussreg_array chk;
  gaussreg_error err;
  if (like != NULL && lua_isnil(L, 2)) {
    v->ndim = like->ndim;
    memcpy(v->shape, like->shape, sizeof v->shape);
  } else {
    v->ndim = lgr_checkshape(L, 2, 2, v->shape);
  }
  v->dtype = lgr_checkdtype(L, 3, def);
  if (gaussreg_array_init(&chk, NULL, v->dtype, v->ndim, v->shape, &err) !=
      GAUSSREG_OK)
    luaL_argerror(L, 2, err.msg);
  v->numel = gaussreg_array_numel(&chk);
}

/* The bytes a view spans (as a lua_Number: compared with sizes from Lua). */
static lua_Number lgr_viewbytes(const lgr_viewspec *v) {
  return (lua_Number)v->numel * (lua_Number)lgr_esize(v->dtype);
}

/* view(ptr, shape [, dtype [, owner]]): an array over memory it does not
** own. ptr is a light userdata (from the host, or LÖVE's Data:getPointer);
** the façade turns LuaJIT FFI cdata into a call of _view_box. */
static int lgr_view(lua_State *L) {
  lgr_viewspec v;
  lua_settop(L, 4);
  if (lua_type(L, 1) != LUA_TLIGHTUSERDATA)
    return luaL_argerror(
        L, 1,
        lua_pushfstring(L, "light userdata or FFI cdata expected, got %s%s",
                        luaL_typename(L, 1),
                        strcmp(luaL_typename(L, 1), "cdata") == 0
                            ? " (cdata goes through require('gaussianreg')"
                              ".view)"
                            : ""));
  lgr_checkviewspec(L, NULL, GAUSSREG_F64, &v);
  lgr_pushview(L, lua_touserdata(L, 1), v.dtype, v.ndim, v.shape, v.numel,
               lua_isnil(L, 4) ? 0 : 4, 1);
  return 1;
}

/* _view_box(box, shape, dtype, owner [, bytes]): view() for the façade's
** LuaJIT FFI path. box is a cdata `double *[1]` or `float *[1]` holding
** the address (lua_topointer gives a cdata's payload); bytes, when the
** cdata was an array, is its size, which the view must fit in. Not for
** scripts: a wrong box is read as an address. */
static int lgr_view_box(lua_State *L) {
  lgr_viewspec v;
  void *const *slot;
  lua_settop(L, 5);
  lgr_checkviewspec(L, NULL, GAUSSREG_F64, &v);
  if (strcmp(luaL_typename(L, 1), "cdata") != 0 ||
      (slot = (void *const *)lua_topointer(L, 1)) == NULL)
    return luaL_argerror(L, 1, "FFI cdata expected");
  if (!lua_isnil(L, 5)) {
    lua_Number bytes = luaL_checknumber(L, 5);
    if (lgr_viewbytes(&v) > bytes) {
      char b[200];
      return luaL_argerror(
          L, 1,
          lua_pushfstring(L, "a %s view of shape %s needs %f bytes, the "
                             "cdata has %f",
                          lgr_dtypes[v.dtype],
                          gaussreg_format_shape(b, sizeof b, v.ndim, v.shape),
                          lgr_viewbytes(&v), bytes));
    }
  }
  lgr_pushview(L, *slot, v.dtype, v.ndim, v.shape, v.numel,
               lua_isnil(L, 4) ? 0 : 4, 1);
  return 1;
}

/* _view(a [, shape [, dtype]]): a view of array a's own memory, a its
** owner, checked to fit in it (shape and dtype default to a's). What the
** specs use on interpreters without an FFI: no raw address reaches Lua. */
static int lgr_view_of(lua_State *L) {
  lgr_array *a = lgr_checkarray(L, 1);
  lgr_viewspec v;
  lua_settop(L, 3);
  lgr_checkviewspec(L, a, a->dtype, &v);
  if (lgr_viewbytes(&v) >
      (lua_Number)a->numel * (lua_Number)lgr_esize(a->dtype)) {
    char b[200];
    return luaL_argerror(
        L, 2,
        lua_pushfstring(L, "a %s view of shape %s does not fit in the array",
                        lgr_dtypes[v.dtype],
                        gaussreg_format_shape(b, sizeof b, v.ndim, v.shape)));
  }
  lgr_pushview(L, a->data, v.dtype, v.ndim, v.shape, v.numel, 1, 1);
  return 1;
}

static const luaL_Reg lgr_array_methods[] = {{"totable", lgr_array_totable},
                                             {NULL, NULL}};

static const luaL_Reg lgr_array_meta[] = {{"__newindex", lgr_array_newindex},
                                          {"__len", lgr_array_len},
                                          {"__tostring", lgr_array_tostring},
                                          {NULL, NULL}};

/* }====================================================================== */

/* {======================================================================
** Module
** ======================================================================= */

/* is_array(v): whether v is a gaussianreg.array (by its metatable). */
static int lgr_is_array(lua_State *L) {
  luaL_checkany(L, 1);
  lua_pushboolean(L, lgr_toarray(L, 1) != NULL);
  return 1;
}

static int lgr_isa(lua_State *L) {
  lua_pushstring(L, gaussreg_isa_name(gaussreg_isa_best()));
  return 1;
}

static int lgr_isa_supported(lua_State *L) {
  int isa = gaussreg_isa_from_name(luaL_checkstring(L, 1));
  lua_pushboolean(L, isa >= 0 && gaussreg_isa_supported((gaussreg_isa)isa));
  return 1;
}

/* set_isa(name): the instruction set forced on objects created from now on
** in this Lua state ("auto": none). Returns the previous setting. */
static int lgr_set_default_isa(lua_State *L) {
  lgr_heap *h = lgr_heapof(L);
  gaussreg_isa isa = lgr_checkisa(L, 1);
  lua_pushstring(L, gaussreg_isa_name(h->isa));
  h->isa = isa;
  return 1;
}

/* _memory(): bytes and blocks the core holds in this state (tests). */
static int lgr_memory(lua_State *L) {
  lgr_heap *h = lgr_heapof(L);
  lua_pushinteger(L, (lua_Integer)h->bytes);
  lua_pushinteger(L, (lua_Integer)h->blocks);
  return 2;
}

static const luaL_Reg lgr_funcs[] = {{"new", lgr_new},
                                     {"from_state", lgr_from_state},
                                     {"array", lgr_array_new},
                                     {"view", lgr_view},
                                     {"_view_box", lgr_view_box},
                                     {"_view", lgr_view_of},
                                     {"is_array", lgr_is_array},
                                     {"isa", lgr_isa},
                                     {"isa_supported", lgr_isa_supported},
                                     {"set_isa", lgr_set_default_isa},
                                     {"_memory", lgr_memory},
                                     {NULL, NULL}};

/* The heap of this state: created once, kept in the registry. */
static void lgr_pushheap(lua_State *L) {
  lgr_heap *h;
  lua_getfield(L, LUA_REGISTRYINDEX, LGR_HEAP_KEY);
  if (!lua_isnil(L, -1)) return;
  lua_pop(L, 1);
  h = (lgr_heap *)lua_newuserdata(L, sizeof(lgr_heap));
  h->f = lua_getallocf(L, &h->ud);
  h->bytes = h->blocks = 0;
  h->isa = GAUSSREG_ISA_AUTO;
  h->live.prev = h->live.next = &h->live;
  lua_newtable(L); /* marked for finalization before any object exists */
  lua_pushcfunction(L, lgr_heap_gc);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, LGR_HEAP_KEY);
}

/* Makes metatable tname with methods (as __index closure upvalue 2, heap
** upvalue 1) and metamethods; leaves nothing on the stack. */
static void lgr_newclass(lua_State *L, const char *tname,
                         const luaL_Reg *methods, const luaL_Reg *meta,
                         lua_CFunction index) {
  luaL_newmetatable(L, tname);
  lgr_pushheap(L);
  lgr_setfuncs(L, meta, 1);
  lgr_pushheap(L);
  lua_newtable(L); /* methods */
  lgr_pushheap(L);
  lgr_setfuncs(L, methods, 1);
  lua_pushcclosure(L, index, 2);
  lua_setfield(L, -2, "__index");
  lua_pushliteral(L, "locked");
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 1);
}

/* {======================================================================
** Host helpers (lgaussreg.h)
** ======================================================================= */

gaussreg *lgaussreg_toreg(lua_State *L, int idx) {
  lgr_reg *r = (lgr_reg *)lgr_testudata(L, idx, LGR_REG_T);
  return r != NULL ? r->g : NULL;
}

gaussreg *lgaussreg_checkreg(lua_State *L, int arg) {
  lgr_reg *r = (lgr_reg *)luaL_checkudata(L, arg, LGR_REG_T);
  luaL_argcheck(L, r->g != NULL, arg, "closed regularizer");
  return r->g;
}

int lgaussreg_toarray(lua_State *L, int idx, gaussreg_array *out) {
  lgr_array *a = lgr_toarray(L, idx);
  if (a == NULL) return 0;
  lgr_aview(a, out);
  return 1;
}

void lgaussreg_pushview(lua_State *L, void *data, gaussreg_dtype dtype,
                        int ndim, const int64_t *shape, int owner) {
  gaussreg_array chk;
  gaussreg_error err;
  if (gaussreg_array_init(&chk, data, dtype, ndim, shape, &err) !=
      GAUSSREG_OK)
    luaL_error(L, "gaussianreg view: %s", err.msg);
  lgr_pushview(L, data, dtype, ndim, shape, gaussreg_array_numel(&chk), owner,
               0);
}

/* }====================================================================== */

LGAUSSREG_EXPORT int luaopen_gaussianreg_core(lua_State *L) {
  lgr_newclass(L, LGR_REG_T, lgr_reg_methods, lgr_reg_meta, lgr_index);
  lgr_newclass(L, LGR_ARRAY_T, lgr_array_methods, lgr_array_meta,
               lgr_array_index);
  lua_newtable(L);
  lgr_pushheap(L);
  lgr_setfuncs(L, lgr_funcs, 1);
  lua_getfield(L, -1, "new");
  lua_setfield(L, -2, "GaussianReg");
  lua_pushliteral(L, GAUSSREG_VERSION_STRING);
  lua_setfield(L, -2, "_VERSION");
  return 1;
}

/* }====================================================================== */
