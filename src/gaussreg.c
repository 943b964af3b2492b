/*
** gaussreg.c -- errors, array validation, broadcasting, the object's
** lifetime, its hyperparameters and its display. The math lives in
** gaussreg_eval.c and the kernels, sampling in gaussreg_sample.c, the
** generator in gaussreg_rng.c and checkpoints in gaussreg_state.c.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaussreg_internal.h"

/* {====================================================================
** Errors
** ===================================================================== */

const char *gaussreg_version(void) { return GAUSSREG_VERSION_STRING; }

const char *gaussreg_strerror(int code) {
  switch (code) {
    case GAUSSREG_OK: return "ok";
    case GAUSSREG_EINVAL: return "invalid argument";
    case GAUSSREG_ESHAPE: return "bad shape";
    case GAUSSREG_ENOMEM: return "out of memory";
    case GAUSSREG_EFIXED:
      return "hyperparameters are fixed: construct with fit_hyper = true";
    case GAUSSREG_ESTATE: return "bad state";
    case GAUSSREG_EISA: return "instruction set not available";
    default: return "unknown error";
  }
}

int gaussreg__fail(gaussreg_error *err, int code, const char *arg,
                   const char *fmt, ...) {
  if (err != NULL) {
    va_list ap;
    err->code = code;
    err->arg = arg != NULL ? arg : "";
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return code;
}

int gaussreg__fail_fixed(gaussreg_error *err, const char *arg) {
  return gaussreg__fail(err, GAUSSREG_EFIXED, arg, "%s",
                        gaussreg_strerror(GAUSSREG_EFIXED));
}

char *gaussreg_format_shape(char *buf, size_t size, int ndim,
                            const int64_t *shape) {
  size_t len = 0;
  int i;
  if (buf == NULL || size == 0) return buf;
  buf[0] = '\0';
  len += (size_t)snprintf(buf, size, "(");
  for (i = 0; i < ndim && shape != NULL && len < size; i++)
    len += (size_t)snprintf(buf + len, size - len, i ? ",%lld" : "%lld",
                            (long long)shape[i]);
  if (len < size) snprintf(buf + len, size - len, ")");
  return buf;
}

/* }==================================================================== */

/* {====================================================================
** Arrays and shapes
** ===================================================================== */

int64_t gaussreg__numel(int nd, const int64_t *shape) {
  int64_t n = 1;
  int i;
  for (i = 0; i < nd; i++) n *= shape[i];
  return n;
}

size_t gaussreg_array_numel(const gaussreg_array *a) {
  return a == NULL ? 0 : (size_t)gaussreg__numel(a->ndim, a->shape);
}

int gaussreg__check_shape(int ndim, const int64_t *shape, size_t elsize,
                          const char *arg, gaussreg_error *err) {
  int64_t n = 1, limit = GAUSSREG_MAX_NUMEL;
  int i;
  if ((uint64_t)limit > SIZE_MAX / elsize) limit = (int64_t)(SIZE_MAX / elsize);
  if (ndim < 0 || ndim > GAUSSREG_MAX_DIMS)
    return gaussreg__fail(err, GAUSSREG_ESHAPE, arg,
                          "has %d dimensions (at most %d)", ndim,
                          GAUSSREG_MAX_DIMS);
  if (ndim > 0 && shape == NULL)
    return gaussreg__fail(err, GAUSSREG_EINVAL, arg,
                          "is NULL with %d dimensions", ndim);
  for (i = 0; i < ndim; i++)
    if (shape[i] < 0)
      return gaussreg__fail(err, GAUSSREG_ESHAPE, arg,
                            "negative dimension %lld at axis %d",
                            (long long)shape[i], i + 1);
  /* The non-zero dims must fit even when a zero dim empties the array: the
  ** strides are products of them. */
  for (i = 0; i < ndim; i++) {
    int64_t d = shape[i] > 0 ? shape[i] : 1;
    if (d > limit / n) {
      char buf[200];
      return gaussreg__fail(err, GAUSSREG_ESHAPE, arg,
                            "shape %s has too many elements (more than %lld)",
                            gaussreg_format_shape(buf, sizeof buf, ndim, shape),
                            (long long)limit);
    }
    n *= d;
  }
  return GAUSSREG_OK;
}

void gaussreg__contiguous(int nd, const int64_t *shape, int64_t *strides) {
  int64_t s = 1;
  int i;
  for (i = nd - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] > 0 ? shape[i] : 1;
  }
}

int gaussreg_array_init(gaussreg_array *a, void *data, gaussreg_dtype dtype,
                        int ndim, const int64_t *shape, gaussreg_error *err) {
  int rc;
  if (a == NULL) return gaussreg__fail(err, GAUSSREG_EINVAL, "array", "is NULL");
  if (dtype != GAUSSREG_F64 && dtype != GAUSSREG_F32)
    return gaussreg__fail(err, GAUSSREG_EINVAL, "array", "unknown dtype %d",
                          (int)dtype);
  rc = gaussreg__check_shape(ndim, shape, dtype == GAUSSREG_F64 ? 8 : 4, "array",
                            err);
  if (rc != GAUSSREG_OK) return rc;
  memset(a, 0, sizeof *a);
  a->data = data;
  a->dtype = dtype;
  a->ndim = ndim;
  if (ndim > 0) memcpy(a->shape, shape, sizeof(int64_t) * (size_t)ndim);
  gaussreg__contiguous(ndim, a->shape, a->strides);
  return GAUSSREG_OK;
}

/* For outputs: with the dimensions longer than 1 ordered by |stride|, each
** stride must step over everything the inner ones can reach. */
static int overlaps(const gaussreg_array *a) {
  int idx[GAUSSREG_MAX_DIMS], n = 0, i, j;
  int64_t reach = 1;
  for (i = 0; i < a->ndim; i++)
    if (a->shape[i] > 1) idx[n++] = i;
  for (i = 1; i < n; i++) /* insertion sort by |stride| */
    for (j = i; j > 0 && llabs((long long)a->strides[idx[j]]) <
                             llabs((long long)a->strides[idx[j - 1]]); j--) {
      int t = idx[j];
      idx[j] = idx[j - 1];
      idx[j - 1] = t;
    }
  for (i = 0; i < n; i++) {
    int64_t s = a->strides[idx[i]];
    if (s < 0) s = -s;
    if (s < reach) return 1;
    reach = s * (a->shape[idx[i]] - 1) + reach;
  }
  return 0;
}

int gaussreg__check_array(const gaussreg_array *a, const char *arg,
                          int is_output, gaussreg_error *err) {
  int rc;
  if (a == NULL) return gaussreg__fail(err, GAUSSREG_EINVAL, arg, "is NULL");
  if (a->dtype != GAUSSREG_F64 && a->dtype != GAUSSREG_F32)
    return gaussreg__fail(err, GAUSSREG_EINVAL, arg, "unknown dtype %d",
                          (int)a->dtype);
  rc = gaussreg__check_shape(a->ndim, a->shape,
                             a->dtype == GAUSSREG_F64 ? 8 : 4, arg, err);
  if (rc != GAUSSREG_OK) return rc;
  if (a->data == NULL && gaussreg__numel(a->ndim, a->shape) > 0)
    return gaussreg__fail(err, GAUSSREG_EINVAL, arg, "data is NULL");
  if (is_output && overlaps(a))
    return gaussreg__fail(err, GAUSSREG_ESHAPE, arg,
                          "strides make elements overlap");
  return GAUSSREG_OK;
}

int gaussreg__broadcast(int nda, const int64_t *a, int ndb, const int64_t *b,
                        int *nd_out, int64_t *out) {
  int nd = nda > ndb ? nda : ndb, i;
  int64_t tmp[GAUSSREG_MAX_DIMS] = {0};
  for (i = 0; i < nd; i++) { /* right-aligned, as numpy */
    int ia = i - (nd - nda), ib = i - (nd - ndb);
    int64_t da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
    if (da != db && da != 1 && db != 1) return -1;
    tmp[i] = da == 1 ? db : da;
  }
  memcpy(out, tmp, sizeof(int64_t) * (size_t)nd);
  *nd_out = nd;
  return 0;
}

static int broadcast_fail(gaussreg_error *err, const char *arg, int nd,
                          const int64_t *shape, const char *other,
                          int ndo, const int64_t *oshape) {
  char a[200], b[200];
  return gaussreg__fail(err, GAUSSREG_ESHAPE, arg,
                        "shape %s does not broadcast with %s shape %s",
                        gaussreg_format_shape(a, sizeof a, nd, shape), other,
                        gaussreg_format_shape(b, sizeof b, ndo, oshape));
}

int gaussreg__broadcast3(const gaussreg *g, int nd, const int64_t *shape,
                         const char *arg, int *nd_out, int64_t *out,
                         gaussreg_error *err) {
  int ndm;
  int64_t m[GAUSSREG_MAX_DIMS];
  if (gaussreg__broadcast(nd, shape, g->mean.ndim, g->mean.shape, &ndm, m))
    return broadcast_fail(err, arg, nd, shape, "mean", g->mean.ndim,
                          g->mean.shape);
  if (gaussreg__broadcast(ndm, m, g->precision.ndim, g->precision.shape,
                          nd_out, out))
    return broadcast_fail(err, arg, nd, shape, "precision",
                          g->precision.ndim, g->precision.shape);
  return GAUSSREG_OK;
}

/* Moves the row-major multi-index idx of a one element on, keeping off (its
** offset in elements) in step: an odometer over the dims. */
static void step(const gaussreg_array *a, int64_t *idx, int64_t *off) {
  int d;
  for (d = a->ndim - 1; d >= 0; d--) {
    *off += a->strides[d];
    if (++idx[d] < a->shape[d]) return;
    *off -= a->strides[d] * a->shape[d];
    idx[d] = 0;
  }
}

int gaussreg__to_f64(const gaussreg_array *a, double *out) {
  int64_t idx[GAUSSREG_MAX_DIMS] = {0}, off = 0, n, k;
  n = gaussreg__numel(a->ndim, a->shape);
  for (k = 0; k < n; k++) {
    out[k] = gaussreg__get(a->data, a->dtype, off);
    step(a, idx, &off);
  }
  return GAUSSREG_OK;
}

/* }==================================================================== */

/* {====================================================================
** Memory
** ===================================================================== */

static void *default_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  (void)osize;
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, nsize);
}

const gaussreg_allocator gaussreg__std_allocator = {default_alloc, NULL};

void *gaussreg__alloc(const gaussreg_allocator *a, size_t n) {
  return a->alloc(a->ud, NULL, 0, n > 0 ? n : 1);
}

void gaussreg__free(const gaussreg_allocator *a, void *p, size_t n) {
  if (p != NULL) a->alloc(a->ud, p, n > 0 ? n : 1, 0);
}

/* }==================================================================== */

/* {====================================================================
** Hyperparameters
** ===================================================================== */

/* "nan" whatever its sign bit, so messages read the same on every libc. */
static double shown(double v) { return isnan(v) ? NAN : v; }

/* Checks every element of a (read as double) with a predicate. */
static int check_values(const gaussreg_array *a, const char *arg,
                        int nonnegative, gaussreg_error *err) {
  int64_t idx[GAUSSREG_MAX_DIMS] = {0}, off = 0, n, k;
  n = gaussreg__numel(a->ndim, a->shape);
  for (k = 0; k < n; k++) {
    double v = gaussreg__get(a->data, a->dtype, off);
    if (!isfinite(v))
      return gaussreg__fail(err, GAUSSREG_EINVAL, arg,
                            "must be finite, got %g", shown(v));
    if (nonnegative && v < 0)
      return gaussreg__fail(err, GAUSSREG_EINVAL, arg,
                            "must be >= 0, got %g", v);
    step(a, idx, &off);
  }
  return GAUSSREG_OK;
}

static int check_weight(double w, gaussreg_error *err) {
  if (!isfinite(w))
    return gaussreg__fail(err, GAUSSREG_EINVAL, "weight",
                          "must be finite, got %g", shown(w));
  return GAUSSREG_OK;
}

static size_t bytes_of(const gaussreg_array *a, size_t per) {
  size_t n = (size_t)gaussreg__numel(a->ndim, a->shape);
  return n * per * sizeof(double);
}

/* A contiguous float64 array header for a block we own. */
static void own_array(gaussreg_array *dst, double *data,
                      const gaussreg_array *like) {
  memset(dst, 0, sizeof *dst);
  dst->data = data;
  dst->dtype = GAUSSREG_F64;
  dst->ndim = like->ndim;
  memcpy(dst->shape, like->shape, sizeof dst->shape);
  gaussreg__contiguous(dst->ndim, dst->shape, dst->strides);
}

/* Fills precision's derived arrays and the cached log sum (Neumaier). */
static void derive(gaussreg *g) {
  size_t n = gaussreg_array_numel(&g->precision), i;
  const double *p = (const double *)g->precision.data;
  double s = 0.0, c = 0.0;
  for (i = 0; i < n; i++) {
    double r = p[i] > 0.0 ? p[i] : 0.0, l, t;
    g->prec_eff[i] = r + GAUSSREG_PREC_EPS;
    g->std_eff[i] = 1.0 / sqrt(r + GAUSSREG_SAMPLE_EPS);
    l = log(g->prec_eff[i]);
    t = s + l;
    c += fabs(s) >= fabs(l) ? (s - t) + l : (l - t) + s;
    s = t;
  }
  g->log_sum = s + c;
}

/* Replaces g's mean by a copy of src (validated). */
static int put_mean(gaussreg *g, const gaussreg_array *src,
                    gaussreg_error *err) {
  size_t nb = bytes_of(src, 1), ob = bytes_of(&g->mean, 1);
  double *d = (double *)g->mean.data;
  if (d == NULL || nb != ob) {
    d = (double *)gaussreg__alloc(&g->alloc, nb);
    if (d == NULL)
      return gaussreg__fail(err, GAUSSREG_ENOMEM, "mean", "out of memory");
    gaussreg__free(&g->alloc, g->mean.data, ob);
  }
  gaussreg__to_f64(src, d);
  own_array(&g->mean, d, src);
  return GAUSSREG_OK;
}

/* Replaces g's precision by src, or by 1/(src^2 + eps) when from_std. */
static int put_precision(gaussreg *g, const gaussreg_array *src, int from_std,
                         gaussreg_error *err) {
  size_t nb = bytes_of(src, 3), ob = bytes_of(&g->precision, 3), n, i;
  double *d = (double *)g->precision.data;
  if (d == NULL || nb != ob) {
    d = (double *)gaussreg__alloc(&g->alloc, nb);
    if (d == NULL)
      return gaussreg__fail(err, GAUSSREG_ENOMEM, from_std ? "std" : "precision",
                            "out of memory");
    gaussreg__free(&g->alloc, g->precision.data, ob);
  }
  gaussreg__to_f64(src, d);
  own_array(&g->precision, d, src);
  n = gaussreg_array_numel(src);
  if (from_std)
    for (i = 0; i < n; i++)
      d[i] = 1.0 / (gaussreg__rounded(d[i] * d[i]) + GAUSSREG_STD_EPS);
  g->prec_eff = d + n;
  g->std_eff = d + 2 * n;
  derive(g);
  return GAUSSREG_OK;
}

/* mean and precision (or std) must broadcast with each other. */
static int check_pair(const gaussreg_array *mean, const gaussreg_array *prec,
                      const char *arg, const char *other, gaussreg_error *err) {
  int nd;
  int64_t out[GAUSSREG_MAX_DIMS];
  const gaussreg_array *a = arg[0] == 'm' ? mean : prec;
  const gaussreg_array *b = arg[0] == 'm' ? prec : mean;
  if (gaussreg__broadcast(mean->ndim, mean->shape, prec->ndim, prec->shape,
                          &nd, out))
    return broadcast_fail(err, arg, a->ndim, a->shape, other, b->ndim,
                          b->shape);
  return GAUSSREG_OK;
}

static int make(const gaussreg_allocator *alloc, const gaussreg_array *mean,
                const gaussreg_array *prec, int from_std, double weight,
                int fit_hyper, gaussreg_log_mode mode, uint64_t seed,
                gaussreg **out, gaussreg_error *err) {
  const char *parg = from_std ? "std" : "precision";
  gaussreg *g;
  int rc;
  if (out == NULL) return gaussreg__fail(err, GAUSSREG_EINVAL, "out", "is NULL");
  *out = NULL;
  if (alloc != NULL && alloc->alloc == NULL)
    return gaussreg__fail(err, GAUSSREG_EINVAL, "allocator",
                          "has no alloc function");
  if ((rc = gaussreg__check_array(mean, "mean", 0, err)) != GAUSSREG_OK ||
      (rc = gaussreg__check_array(prec, parg, 0, err)) != GAUSSREG_OK ||
      (rc = check_pair(mean, prec, parg, "mean", err)) != GAUSSREG_OK ||
      (rc = check_values(mean, "mean", 0, err)) != GAUSSREG_OK ||
      (rc = check_values(prec, parg, from_std, err)) != GAUSSREG_OK ||
      (rc = check_weight(weight, err)) != GAUSSREG_OK)
    return rc;
  if (mode != GAUSSREG_LOG_PER_PRECISION && mode != GAUSSREG_LOG_PER_ELEMENT)
    return gaussreg__fail(err, GAUSSREG_EINVAL, "log_mode",
                          "unknown log mode %d", (int)mode);
  {
    gaussreg_allocator a = alloc != NULL ? *alloc : gaussreg__std_allocator;
    g = (gaussreg *)gaussreg__alloc(&a, sizeof *g);
    if (g == NULL)
      return gaussreg__fail(err, GAUSSREG_ENOMEM, "", "out of memory");
    memset(g, 0, sizeof *g);
    g->alloc = a;
  }
  g->weight = weight;
  g->fit_hyper = fit_hyper != 0;
  g->log_mode = mode;
  g->isa = gaussreg_isa_best();
  gaussreg__rng_seed(g->rng, seed);
  if ((rc = put_mean(g, mean, err)) != GAUSSREG_OK ||
      (rc = put_precision(g, prec, from_std, err)) != GAUSSREG_OK) {
    gaussreg_destroy(g);
    return rc;
  }
  *out = g;
  return GAUSSREG_OK;
}

void gaussreg_config_init(gaussreg_config *cfg) {
  if (cfg == NULL) return;
  memset(cfg, 0, sizeof *cfg);
  cfg->weight = 1.0;
  cfg->log_mode = GAUSSREG_LOG_PER_PRECISION;
}

int gaussreg_create(const gaussreg_config *cfg, gaussreg **out,
                    gaussreg_error *err) {
  if (out != NULL) *out = NULL;
  if (cfg == NULL) return gaussreg__fail(err, GAUSSREG_EINVAL, "config", "is NULL");
  return make(cfg->allocator, cfg->mean, cfg->std, 1, cfg->weight,
              cfg->fit_hyper, cfg->log_mode, cfg->seed, out, err);
}

int gaussreg__create_from_precision(const gaussreg_allocator *alloc,
                                    const gaussreg_array *mean,
                                    const gaussreg_array *precision,
                                    double weight, int fit_hyper,
                                    gaussreg_log_mode mode, gaussreg **out,
                                    gaussreg_error *err) {
  return make(alloc, mean, precision, 0, weight, fit_hyper, mode, 0, out, err);
}

void gaussreg_destroy(gaussreg *g) {
  gaussreg_allocator a;
  if (g == NULL) return;
  a = g->alloc;
  gaussreg__free(&a, g->mean.data, bytes_of(&g->mean, 1));
  gaussreg__free(&a, g->precision.data, bytes_of(&g->precision, 3));
  gaussreg__free(&a, g, sizeof *g);
}

const gaussreg_array *gaussreg_mean(const gaussreg *g) { return &g->mean; }
const gaussreg_array *gaussreg_precision(const gaussreg *g) {
  return &g->precision;
}
double gaussreg_weight(const gaussreg *g) { return g->weight; }
int gaussreg_fit_hyper(const gaussreg *g) { return g->fit_hyper; }
gaussreg_log_mode gaussreg_get_log_mode(const gaussreg *g) {
  return g->log_mode;
}

static int check_self(const gaussreg *g, int needs_fit, const char *arg,
                      gaussreg_error *err) {
  if (g == NULL) return gaussreg__fail(err, GAUSSREG_EINVAL, "self", "is NULL");
  if (needs_fit && !g->fit_hyper) return gaussreg__fail_fixed(err, arg);
  return GAUSSREG_OK;
}

int gaussreg_set_mean(gaussreg *g, const gaussreg_array *mean,
                      gaussreg_error *err) {
  int rc;
  if ((rc = check_self(g, 1, "mean", err)) != GAUSSREG_OK ||
      (rc = gaussreg__check_array(mean, "mean", 0, err)) != GAUSSREG_OK ||
      (rc = check_pair(mean, &g->precision, "mean", "precision", err)) !=
          GAUSSREG_OK ||
      (rc = check_values(mean, "mean", 0, err)) != GAUSSREG_OK)
    return rc;
  return put_mean(g, mean, err);
}

int gaussreg_set_precision(gaussreg *g, const gaussreg_array *precision,
                           gaussreg_error *err) {
  int rc;
  if ((rc = check_self(g, 1, "precision", err)) != GAUSSREG_OK ||
      (rc = gaussreg__check_array(precision, "precision", 0, err)) !=
          GAUSSREG_OK ||
      (rc = check_pair(&g->mean, precision, "precision", "mean", err)) !=
          GAUSSREG_OK ||
      (rc = check_values(precision, "precision", 0, err)) != GAUSSREG_OK)
    return rc;
  return put_precision(g, precision, 0, err);
}

int gaussreg_set_weight(gaussreg *g, double weight, gaussreg_error *err) {
  int rc;
  if ((rc = check_self(g, 1, "weight", err)) != GAUSSREG_OK ||
      (rc = check_weight(weight, err)) != GAUSSREG_OK)
    return rc;
  g->weight = weight;
  return GAUSSREG_OK;
}

int gaussreg_set_log_mode(gaussreg *g, gaussreg_log_mode mode,
                          gaussreg_error *err) {
  int rc = check_self(g, 0, "log_mode", err);
  if (rc != GAUSSREG_OK) return rc;
  if (mode != GAUSSREG_LOG_PER_PRECISION && mode != GAUSSREG_LOG_PER_ELEMENT)
    return gaussreg__fail(err, GAUSSREG_EINVAL, "log_mode",
                          "unknown log mode %d", (int)mode);
  g->log_mode = mode;
  return GAUSSREG_OK;
}

int gaussreg_set_isa(gaussreg *g, gaussreg_isa isa, gaussreg_error *err) {
  int rc = check_self(g, 0, "isa", err);
  if (rc != GAUSSREG_OK) return rc;
  if (gaussreg_isa_name(isa) == NULL)
    return gaussreg__fail(err, GAUSSREG_EINVAL, "isa", "unknown isa %d",
                          (int)isa);
  if (!gaussreg_isa_supported(isa))
    return gaussreg__fail(err, GAUSSREG_EISA, "isa",
                          "%s is not available on this CPU or build",
                          gaussreg_isa_name(isa));
  g->isa = isa == GAUSSREG_ISA_AUTO ? gaussreg_isa_best() : isa;
  return GAUSSREG_OK;
}

gaussreg_isa gaussreg_get_isa(const gaussreg *g) { return g->isa; }

/* }==================================================================== */

/* {====================================================================
** Display
** ===================================================================== */

/* A scalar as Lua prints numbers (%.14g), an array by its shape. */
static void show_param(char *buf, size_t size, const gaussreg_array *a,
                       double v) {
  char b[200];
  if (a->ndim == 0)
    snprintf(buf, size, "%.14g", shown(v));
  else
    snprintf(buf, size, "<array %s>",
             gaussreg_format_shape(b, sizeof b, a->ndim, a->shape));
}

/* The std a stored precision stands for: the exact inverse of
** precision = 1/(std^2 + 1e-8); inf when precision <= 0 (no finite std). */
static double std_of(double precision) {
  double v;
  if (!(precision > 0.0)) return HUGE_VAL;
  v = 1.0 / precision - GAUSSREG_STD_EPS;
  return v > 0.0 ? sqrt(v) : 0.0;
}

char *gaussreg_format(const gaussreg *g, char *buf, size_t size) {
  char m[240], sd[240], w[64];
  if (buf == NULL || size == 0) return buf;
  if (g == NULL) {
    snprintf(buf, size, "GaussianReg(NULL)");
    return buf;
  }
  show_param(m, sizeof m, &g->mean,
             g->mean.ndim == 0 ? ((const double *)g->mean.data)[0] : 0.0);
  show_param(sd, sizeof sd, &g->precision,
             g->precision.ndim == 0
                 ? std_of(((const double *)g->precision.data)[0])
                 : 0.0);
  snprintf(w, sizeof w, "%.14g", g->weight);
  snprintf(buf, size, "GaussianReg(mean=%s, std=%s, weight=%s, fit_hyper=%s%s)",
           m, sd, w, g->fit_hyper ? "true" : "false",
           g->log_mode == GAUSSREG_LOG_PER_ELEMENT ? ", log_mode=per_element"
                                                   : "");
  return buf;
}

/* }==================================================================== */
