/*
** glue.c -- the small C layer between the JavaScript wrapper and the core.
**
** JavaScript never needs to know the layout of gaussreg_array or
** gaussreg_error: it asks for one context block per wasm instance
** (gr_ctx_new), gets the addresses of its parts from the accessors below, and
** passes shapes as float64 element counts (exact up to 2^53) in ctx->dims.
** Nothing here is global: all state lives in the context the caller owns.
*/
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gaussreg.h"

#define GR_EXPORT __attribute__((used, visibility("default")))
#define GR_SLOTS 4

typedef struct gr_ctx {
  gaussreg_error err;
  gaussreg_array arr[GR_SLOTS];   /* argument slots for one call */
  double dims[GAUSSREG_MAX_DIMS]; /* shape in / shape out */
  double out[4];                  /* scalar results and scalar inputs */
  int64_t shape[GAUSSREG_MAX_DIMS];
  size_t written;
} gr_ctx;

GR_EXPORT gr_ctx *gr_ctx_new(void);
GR_EXPORT void gr_ctx_free(gr_ctx *c);
GR_EXPORT gaussreg_array *gr_ctx_array(gr_ctx *c, int i);
GR_EXPORT double *gr_ctx_dims(gr_ctx *c);
GR_EXPORT double *gr_ctx_out(gr_ctx *c);
GR_EXPORT gaussreg_error *gr_ctx_err(gr_ctx *c);
GR_EXPORT int gr_err_code(const gr_ctx *c);
GR_EXPORT const char *gr_err_arg(const gr_ctx *c);
GR_EXPORT const char *gr_err_msg(const gr_ctx *c);
GR_EXPORT int gr_array_set(gr_ctx *c, int i, void *data, int dtype, int ndim);
GR_EXPORT void *gr_array_data(const gaussreg_array *a);
GR_EXPORT int gr_array_ndim(const gaussreg_array *a);
GR_EXPORT double gr_array_dim(const gaussreg_array *a, int i);
GR_EXPORT gaussreg *gr_create(gr_ctx *c, double weight, int fit_hyper,
                              int log_mode, uint32_t seed_lo,
                              uint32_t seed_hi);
GR_EXPORT void gr_seed(gaussreg *g, uint32_t seed_lo, uint32_t seed_hi);
GR_EXPORT int gr_sample_shape(gr_ctx *c, const gaussreg *g, int ndim);
GR_EXPORT int gr_sample_init(gr_ctx *c, gaussreg *g, int ndim,
                             gaussreg_array *out);
GR_EXPORT int gr_state_save(gr_ctx *c, const gaussreg *g, void *buf,
                            size_t cap);
GR_EXPORT double gr_state_written(const gr_ctx *c);
GR_EXPORT gaussreg *gr_state_restore(gr_ctx *c, const void *buf, size_t len);
GR_EXPORT double gr_heap_used(void);
GR_EXPORT int gr_build_simd(void);

gr_ctx *gr_ctx_new(void) { return (gr_ctx *)calloc(1, sizeof(gr_ctx)); }

void gr_ctx_free(gr_ctx *c) { free(c); }

gaussreg_array *gr_ctx_array(gr_ctx *c, int i) {
  return (i >= 0 && i < GR_SLOTS) ? &c->arr[i] : NULL;
}

double *gr_ctx_dims(gr_ctx *c) { return c->dims; }
double *gr_ctx_out(gr_ctx *c) { return c->out; }
gaussreg_error *gr_ctx_err(gr_ctx *c) { return &c->err; }
int gr_err_code(const gr_ctx *c) { return c->err.code; }
const char *gr_err_arg(const gr_ctx *c) {
  return c->err.arg ? c->err.arg : "";
}
const char *gr_err_msg(const gr_ctx *c) { return c->err.msg; }

static int fail_dims(gr_ctx *c, int ndim) {
  c->err.code = GAUSSREG_ESHAPE;
  c->err.arg = "shape";
  strcpy(c->err.msg, ndim < 0 ? "negative ndim" : "more than 8 dimensions");
  return GAUSSREG_ESHAPE;
}

/* Copies ctx->dims[0..ndim) into ctx->shape; -1 if ndim is out of range. */
static int load_shape(gr_ctx *c, int ndim) {
  int i;
  if (ndim < 0 || ndim > GAUSSREG_MAX_DIMS) return -1;
  for (i = 0; i < ndim; i++) c->shape[i] = (int64_t)c->dims[i];
  return 0;
}

/* Slot i becomes a C-contiguous view of data with shape ctx->dims. */
int gr_array_set(gr_ctx *c, int i, void *data, int dtype, int ndim) {
  if (i < 0 || i >= GR_SLOTS || load_shape(c, ndim) != 0)
    return fail_dims(c, ndim);
  return gaussreg_array_init(&c->arr[i], data, (gaussreg_dtype)dtype, ndim,
                             c->shape, &c->err);
}

void *gr_array_data(const gaussreg_array *a) { return a->data; }
int gr_array_ndim(const gaussreg_array *a) { return a->ndim; }
double gr_array_dim(const gaussreg_array *a, int i) {
  return (double)a->shape[i];
}

static uint64_t seed64(uint32_t lo, uint32_t hi) {
  return ((uint64_t)hi << 32) | (uint64_t)lo;
}

/* Creates a regularizer from slot 0 (mean) and slot 1 (std). */
gaussreg *gr_create(gr_ctx *c, double weight, int fit_hyper, int log_mode,
                    uint32_t seed_lo, uint32_t seed_hi) {
  gaussreg_config cfg;
  gaussreg *g = NULL;
  gaussreg_config_init(&cfg);
  cfg.mean = &c->arr[0];
  cfg.std = &c->arr[1];
  cfg.weight = weight;
  cfg.fit_hyper = fit_hyper;
  cfg.log_mode = (gaussreg_log_mode)log_mode;
  cfg.seed = seed64(seed_lo, seed_hi);
  if (gaussreg_create(&cfg, &g, &c->err) != GAUSSREG_OK) return NULL;
  return g;
}

void gr_seed(gaussreg *g, uint32_t seed_lo, uint32_t seed_hi) {
  gaussreg_seed(g, seed64(seed_lo, seed_hi));
}

/* ctx->dims (ndim entries) -> ctx->dims = the sample shape; returns its ndim
** (>= 0) or a negative status. */
int gr_sample_shape(gr_ctx *c, const gaussreg *g, int ndim) {
  int64_t out[GAUSSREG_MAX_DIMS];
  int nd = 0, i, rc;
  if (load_shape(c, ndim) != 0) return fail_dims(c, ndim);
  rc = gaussreg_sample_shape(g, ndim, c->shape, &nd, out, &c->err);
  if (rc != GAUSSREG_OK) return rc;
  for (i = 0; i < nd; i++) c->dims[i] = (double)out[i];
  return nd;
}

/* Samples the request shape ctx->dims (ndim entries) into out (a slot). */
int gr_sample_init(gr_ctx *c, gaussreg *g, int ndim, gaussreg_array *out) {
  if (load_shape(c, ndim) != 0) return fail_dims(c, ndim);
  return gaussreg_sample_init(g, ndim, c->shape, out, &c->err);
}

int gr_state_save(gr_ctx *c, const gaussreg *g, void *buf, size_t cap) {
  c->written = 0;
  return gaussreg_state_save(g, buf, cap, &c->written, &c->err);
}

double gr_state_written(const gr_ctx *c) { return (double)c->written; }

gaussreg *gr_state_restore(gr_ctx *c, const void *buf, size_t len) {
  gaussreg *g = NULL;
  if (gaussreg_state_restore(buf, len, NULL, &g, &c->err) != GAUSSREG_OK)
    return NULL;
  return g;
}

/* Bytes of the wasm heap in use (dlmalloc's count): the leak tests watch it. */
double gr_heap_used(void) {
  struct mallinfo mi = mallinfo();
  return (double)mi.uordblks;
}

int gr_build_simd(void) {
#if defined(__wasm_simd128__)
  return 1;
#else
  return 0;
#endif
}
