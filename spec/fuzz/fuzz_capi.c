/*
** fuzz_capi.c -- libFuzzer harness for the C API (src/gaussreg.h).
**
** The input is read as a stream of choices (fuzz_common.h): a config (mean
** and std arrays of random dtype, rank, shape, strides and values, weight,
** fit_hyper, log mode, seed, an allocator that may fail its k-th request),
** then up to 48 operations on the object: loss, grad, loss_and_grad,
** hyper_grad, sample_shape/sample_init, seed, the setters, set_isa, state
** save / restore of saved, corrupted, truncated and raw strings.
**
** Arrays are views over buffers the harness owns, with strides (negative and
** zero too) that stay inside them, or deliberately broken descriptions (NULL,
** unknown dtype, 9 dimensions, negative or overflowing dimensions, NULL data)
** that the API must reject before touching memory. Besides ASan/UBSan, the
** harness checks:
**   - every failure fills err consistently (code == status, arg and msg set)
**     and never leaves *out set;
**   - loss, grad and hyper_grad against a naive long-double reference of the
**     formula with numpy broadcasting (finite, moderate inputs), and loss
**     against the scalar instruction set;
**   - loss_and_grad agrees with loss and grad;
**   - sample_init: reseeding repeats the draws, values lie within 40 std of
**     the mean, restore of a saved state gives the same next draws;
**   - restore never asks for a block larger than 3 * len + 1024 bytes, nor
**     holds more than 4 * len + 1024 live (so it validates lengths before
**     allocating), and re-saving a restored state gives back the bytes it
**     was restored from (corrupted strings get a valid checksum most of the
**     time, so the value checks behind it are reached);
**   - every object's allocator is back to zero blocks when it is destroyed.
** A violated check calls abort(), which libFuzzer reports as a crash.
**
** Build (mk/hardening.mk): clang -fsanitize=fuzzer,address,undefined with the
** core sources. -DFUZZ_STANDALONE gives a main() that replays files instead.
*/
#include "gaussreg.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Limits that keep one input fast. */
#define MAX_NUMEL 512   /* elements of a generated array */
#define MAX_REF 8192    /* broadcast elements the reference walks */
#define MAX_OPS 48

/* {====================================================================
** Arrays over owned buffers
** ===================================================================== */

typedef struct fz_array {
  gaussreg_array a;
  void *buf;     /* owned (plain malloc), may be NULL */
  int valid;     /* a description the API should be able to accept */
  int is_null;   /* pass NULL instead of &a */
} fz_array;

static void fa_free(fz_array *f) {
  free(f->buf);
  f->buf = NULL;
}

static gaussreg_array *fa_ptr(fz_array *f) {
  return f->is_null ? NULL : &f->a;
}

static size_t dsize(gaussreg_dtype t) { return t == GAUSSREG_F32 ? 4 : 8; }

/* Lays out a view of (nd, shape) with random strides inside a new buffer and
** fills it with values from r (finite only when finite_only). */
static void fa_layout(fz_reader *r, fz_array *f, gaussreg_dtype dt, int nd,
                      const int64_t *shape, int contiguous, int finite_only) {
  int64_t lo = 0, hi = 0, n = 1, st = 1;
  int i;
  memset(f, 0, sizeof *f);
  f->valid = 1;
  f->a.dtype = dt;
  f->a.ndim = nd;
  for (i = nd - 1; i >= 0; i--) {
    int64_t s;
    f->a.shape[i] = shape[i];
    if (contiguous) {
      s = st;
    } else {
      unsigned c = fz_pick(r, 8);
      /* 0..3: contiguous-ish; 4: zero; 5: negative; 6,7: padded */
      s = c < 4 ? st : c == 4 ? 0 : c == 5 ? -st : st * (int64_t)(1 + c - 5);
    }
    f->a.strides[i] = s;
    st *= shape[i] > 0 ? shape[i] : 1;
    n *= shape[i];
  }
  if (n > 0)
    for (i = 0; i < nd; i++) {
      int64_t ext = f->a.strides[i] * (shape[i] - 1);
      if (ext < 0) lo += ext; else hi += ext;
    }
  {
    size_t span = n > 0 ? (size_t)(hi - lo + 1) : 1, k;
    unsigned char *b = (unsigned char *)malloc(span * dsize(dt));
    f->buf = b;
    for (k = 0; k < span; k++) {
      double v = finite_only ? fz_finite(r) : fz_double(r);
      if (dt == GAUSSREG_F64)
        memcpy(b + k * 8, &v, 8);
      else {
        float fv = (float)v;
        memcpy(b + k * 4, &fv, 4);
      }
    }
    f->a.data = b + (size_t)(-lo) * dsize(dt);
  }
}

/* A random small shape: rank 0..4 (rarely up to 8 with ones), dims 0..5,
** at most MAX_NUMEL elements. */
static int rand_shape(fz_reader *r, int64_t *shape) {
  int nd = (int)fz_pick(r, 5), i;
  int64_t n = 1;
  if (fz_pick(r, 16) == 0) nd = 5 + (int)fz_pick(r, 4);
  for (i = 0; i < nd; i++) {
    static const int64_t dims[] = {1, 2, 3, 1, 4, 5, 0, 2};
    int64_t d = dims[fz_pick(r, 8)];
    if (n * d > MAX_NUMEL) d = 1;
    shape[i] = d;
    n *= d;
  }
  return nd;
}

/* A shape we can lay out: rank 0..8, dims 0..4*MAX_NUMEL, few elements. */
static int small_shape(const gaussreg_array *a) {
  int i;
  int64_t n = 1;
  if (a->ndim < 0 || a->ndim > GAUSSREG_MAX_DIMS) return 0;
  for (i = 0; i < a->ndim; i++) {
    if (a->shape[i] < 0 || a->shape[i] > 4 * MAX_NUMEL) return 0;
    n *= a->shape[i] > 0 ? a->shape[i] : 1;
    if (n > 4 * MAX_NUMEL) return 0;
  }
  return 1;
}

/* An array argument: mostly a valid random view; sometimes one of the
** descriptions the API must refuse without touching data. like (optional)
** proposes a shape to copy (for outputs). */
static void fa_random(fz_reader *r, fz_array *f, const gaussreg_array *like,
                      int finite_only) {
  int64_t shape[GAUSSREG_MAX_DIMS];
  int nd, kind = (int)fz_pick(r, 32);
  gaussreg_dtype dt = fz_pick(r, 3) == 0 ? GAUSSREG_F32 : GAUSSREG_F64;
  if (like != NULL && !small_shape(like)) like = NULL;
  if (like != NULL && kind >= 8) {
    nd = like->ndim;
    memcpy(shape, like->shape, sizeof shape);
  } else {
    nd = rand_shape(r, shape);
  }
  fa_layout(r, f, dt, nd, shape, fz_pick(r, 3) == 0, finite_only);
  switch (kind) {
    case 0: f->is_null = 1; f->valid = 0; break;
    case 1: f->a.dtype = (gaussreg_dtype)(2 + (int)fz_pick(r, 200)); f->valid = 0; break;
    case 2: f->a.ndim = fz_pick(r, 2) ? GAUSSREG_MAX_DIMS + 1 : -1; f->valid = 0; break;
    case 3: /* a negative dimension */
      if (f->a.ndim == 0) { f->a.ndim = 1; f->a.strides[0] = 1; }
      f->a.shape[fz_pick(r, (unsigned)f->a.ndim)] = -(int64_t)(1 + fz_pick(r, 3));
      f->valid = 0;
      break;
    case 4: { /* dimensions whose product overflows */
      int i;
      f->a.ndim = 2 + (int)fz_pick(r, 7);
      for (i = 0; i < f->a.ndim; i++) {
        f->a.shape[i] = (int64_t)1 << (40 + fz_pick(r, 23));
        f->a.strides[i] = 1;
      }
      f->valid = 0;
      break;
    }
    case 5: /* NULL data with elements */
      if (f->a.ndim == 0 || gaussreg_array_numel(&f->a) > 0) {
        f->a.data = NULL;
        f->valid = 0;
      }
      break;
    case 6: { /* zero elements, huge other dimensions: valid, never read */
      int i, zero;
      f->a.ndim = 2 + (int)fz_pick(r, 3);
      zero = (int)fz_pick(r, (unsigned)f->a.ndim);
      for (i = 0; i < f->a.ndim; i++) {
        f->a.shape[i] = i == zero ? 0 : (int64_t)1 << (1 + fz_pick(r, 62));
        f->a.strides[i] = 1;
      }
      if (fz_pick(r, 2)) f->a.data = NULL;
      break;
    }
    default: break;
  }
}

/* }==================================================================== */

/* {====================================================================
** Checks of statuses and a reference of the formula
** ===================================================================== */

/* Prints an array description (for the report of a failed check). */
static void describe(const char *name, const fz_array *f) {
  int i;
  if (f->is_null) {
    fprintf(stderr, "  %s: NULL\n", name);
    return;
  }
  fprintf(stderr, "  %s: valid %d dtype %d ndim %d data %p shape", name,
          f->valid, (int)f->a.dtype, f->a.ndim, f->a.data);
  for (i = 0; i < f->a.ndim && i < GAUSSREG_MAX_DIMS; i++)
    fprintf(stderr, " %lld", (long long)f->a.shape[i]);
  fprintf(stderr, " strides");
  for (i = 0; i < f->a.ndim && i < GAUSSREG_MAX_DIMS; i++)
    fprintf(stderr, " %lld", (long long)f->a.strides[i]);
  fprintf(stderr, "\n");
}

static void check_status(int rc, const gaussreg_error *err) {
  FZ_CHECK(rc <= 0 && rc >= GAUSSREG_EISA);
  if (rc != GAUSSREG_OK) {
    FZ_CHECK(err->code == rc);
    FZ_CHECK(err->arg != NULL);
    FZ_CHECK(err->msg[0] != '\0');
    FZ_CHECK(memchr(err->msg, '\0', sizeof err->msg) != NULL);
  }
}

static double get_el(const gaussreg_array *a, int64_t off) {
  return a->dtype == GAUSSREG_F64 ? ((const double *)a->data)[off]
                                  : (double)((const float *)a->data)[off];
}

static int bcast(int nda, const int64_t *a, int ndb, const int64_t *b,
                 int *nd, int64_t *out) {
  int n = nda > ndb ? nda : ndb, i;
  for (i = 0; i < n; i++) {
    int ia = i - (n - nda), ib = i - (n - ndb);
    int64_t da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
    if (da != db && da != 1 && db != 1) return -1;
    out[i] = da == 1 ? db : da;
  }
  *nd = n;
  return 0;
}

/* Offset (in elements) in a of the broadcast index idx (nd dims), and the
** row-major logical index of the element in a's own shape. */
static int64_t off_of(const gaussreg_array *a, int nd, const int64_t *idx,
                      int64_t *logical) {
  int i, k = nd - a->ndim;
  int64_t off = 0, lg = 0;
  for (i = 0; i < a->ndim; i++) {
    int64_t j = a->shape[i] == 1 ? 0 : idx[i + k];
    off += j * a->strides[i];
    lg = lg * a->shape[i] + j;
  }
  if (logical) *logical = lg;
  return off;
}

static int all_moderate(const gaussreg_array *a) {
  int64_t idx[GAUSSREG_MAX_DIMS] = {0};
  size_t n = gaussreg_array_numel(a), k;
  int d;
  for (k = 0; k < n; k++) {
    double v = get_el(a, off_of(a, a->ndim, idx, NULL));
    if (!isfinite(v) || fabs(v) > 1e100) return 0;
    for (d = a->ndim - 1; d >= 0; d--) {
      if (++idx[d] < a->shape[d]) break;
      idx[d] = 0;
    }
  }
  return 1;
}

/* The reference: loss, and optionally grad_x (numel(x), logical order),
** grad_mean, grad_precision, grad_weight, each with a scale (sum of |terms|)
** for the tolerance. Returns 0 when the case is out of the reference's
** range (too big, not moderate). */
typedef struct ref_out {
  long double loss, loss_scale, gw;
  long double *gx, *gx_scale, *gm, *gm_scale, *gp, *gp_scale;
} ref_out;

static int reference(const gaussreg *g, const gaussreg_array *x, ref_out *o) {
  const gaussreg_array *m = gaussreg_mean(g), *p = gaussreg_precision(g);
  int64_t bs[GAUSSREG_MAX_DIMS], t[GAUSSREG_MAX_DIMS], idx[GAUSSREG_MAX_DIMS];
  int nd, nd1, d;
  int64_t nb, np, k;
  long double w = gaussreg_weight(g), c, sum = 0, abs_sum = 0, logs = 0,
              abs_logs = 0;
  if (bcast(x->ndim, x->shape, m->ndim, m->shape, &nd1, t) ||
      bcast(nd1, t, p->ndim, p->shape, &nd, bs))
    return 0;
  nb = 1;
  for (d = 0; d < nd; d++) nb *= bs[d];
  np = (int64_t)gaussreg_array_numel(p);
  if (nb > MAX_REF || np == 0 || !all_moderate(x) || !all_moderate(m) ||
      !all_moderate(p))
    return 0;
  c = gaussreg_get_log_mode(g) == GAUSSREG_LOG_PER_ELEMENT
          ? (long double)nb / (long double)np : 1.0L;
  memset(idx, 0, sizeof idx);
  for (k = 0; k < nb; k++) {
    int64_t lx, lm, lp;
    double xv = get_el(x, off_of(x, nd, idx, &lx));
    double mv = get_el(m, off_of(m, nd, idx, &lm));
    double pv = get_el(p, off_of(p, nd, idx, &lp));
    long double pe = (long double)(pv > 0 ? pv : 0.0) + 1e-6L;
    long double dd = (long double)xv - (long double)mv;
    long double term = pe * dd * dd, gt = 2.0L * w * pe * dd;
    sum += term;
    abs_sum += fabsl(term);
    if (o->gx) { o->gx[lx] += gt; o->gx_scale[lx] += fabsl(gt); }
    if (o->gm) { o->gm[lm] -= gt; o->gm_scale[lm] += fabsl(gt); }
    if (o->gp && pv > 0) {
      o->gp[lp] += w * dd * dd;
      o->gp_scale[lp] += fabsl(w * dd * dd);
    }
    for (d = nd - 1; d >= 0; d--) {
      if (++idx[d] < bs[d]) break;
      idx[d] = 0;
    }
  }
  for (k = 0; k < np; k++) {
    double pv = ((const double *)p->data)[k];
    long double pe = (long double)(pv > 0 ? pv : 0.0) + 1e-6L;
    logs += logl(pe);
    abs_logs += fabsl(logl(pe));
    if (o->gp && pv > 0) {
      o->gp[k] -= w * c / pe;
      o->gp_scale[k] += fabsl(w * c / pe);
    }
  }
  o->gw = sum - c * logs;
  o->loss = w * o->gw;
  o->loss_scale = fabsl(w) * (abs_sum + c * abs_logs);
  return isfinite((double)o->loss) && isfinite((double)o->loss_scale);
}

static int close_to(double got, long double want, long double scale) {
  long double tol = 1e-10L * scale + 1e-290L;
  if (!isfinite((double)want)) return 1;
  return fabsl((long double)got - want) <= tol;
}

/* Compares an output array (a's shape, any strides) with reference values in
** logical order, relative tolerance on the scale (looser for float32). */
static void check_array_ref(const gaussreg_array *a, const long double *want,
                            const long double *scale) {
  int64_t idx[GAUSSREG_MAX_DIMS] = {0}, k, n = (int64_t)gaussreg_array_numel(a);
  int d;
  for (k = 0; k < n; k++) {
    int64_t lg;
    double v = get_el(a, off_of(a, a->ndim, idx, &lg));
    FZ_CHECK(lg == k);
    if (a->dtype == GAUSSREG_F64) {
      FZ_CHECK(close_to(v, want[k], scale[k]));
    } else if (fabsl(want[k]) < 1e30L) {
      if (!(fabsl((long double)v - want[k]) <= 1e-6L * scale[k] + 1e-30L))
        fprintf(stderr, "element %lld: got %.9g, want %.17Lg (scale %.17Lg)\n",
                (long long)k, v, want[k], scale[k]);
      FZ_CHECK(fabsl((long double)v - want[k]) <=
               1e-6L * scale[k] + 1e-30L);
    }
    for (d = a->ndim - 1; d >= 0; d--) {
      if (++idx[d] < a->shape[d]) break;
      idx[d] = 0;
    }
  }
}

/* }==================================================================== */

/* {====================================================================
** Operations
** ===================================================================== */

typedef struct fz_ctx {
  fz_reader *r;
  gaussreg *g;
  fz_alloc *al;
} fz_ctx;

static long double *zeros(int64_t n) {
  return (long double *)calloc((size_t)(n > 0 ? n : 1), sizeof(long double));
}

static void op_loss(fz_ctx *c) {
  fz_array x;
  gaussreg_error err;
  double loss = NAN;
  int rc;
  fa_random(c->r, &x, gaussreg_mean(c->g), fz_pick(c->r, 2));
  rc = gaussreg_loss(c->g, fa_ptr(&x), &loss, &err);
  check_status(rc, &err);
  if (!x.valid && rc == GAUSSREG_OK) {
    describe("x", &x);
    FZ_CHECK(rc != GAUSSREG_OK);
  }
  if (rc == GAUSSREG_OK) {
    ref_out o;
    memset(&o, 0, sizeof o);
    if (reference(c->g, &x.a, &o)) FZ_CHECK(close_to(loss, o.loss, o.loss_scale));
    if (gaussreg_get_isa(c->g) != GAUSSREG_ISA_SCALAR) {
      gaussreg_isa was = gaussreg_get_isa(c->g);
      double l2 = NAN;
      FZ_CHECK(gaussreg_set_isa(c->g, GAUSSREG_ISA_SCALAR, &err) == GAUSSREG_OK);
      FZ_CHECK(gaussreg_loss(c->g, &x.a, &l2, &err) == GAUSSREG_OK);
      FZ_CHECK(gaussreg_set_isa(c->g, was, &err) == GAUSSREG_OK);
      if (isfinite(loss) && isfinite(l2)) {
        ref_out o2;
        memset(&o2, 0, sizeof o2);
        if (reference(c->g, &x.a, &o2))
          FZ_CHECK(fabs(loss - l2) <= 1e-12 * (double)o2.loss_scale + 1e-290);
      } else {
        FZ_CHECK(isnan(loss) == isnan(l2));
      }
    }
  }
  fa_free(&x);
}

static void op_grad(fz_ctx *c, int fused) {
  fz_array x, gx;
  gaussreg_error err;
  double loss = NAN;
  int rc;
  fa_random(c->r, &x, gaussreg_mean(c->g), fz_pick(c->r, 2));
  fa_random(c->r, &gx, x.is_null ? NULL : &x.a, 0);
  if (fused)
    rc = gaussreg_loss_and_grad(c->g, fa_ptr(&x), &loss, fa_ptr(&gx), &err);
  else
    rc = gaussreg_grad(c->g, fa_ptr(&x), fa_ptr(&gx), &err);
  check_status(rc, &err);
  if ((!x.valid || !gx.valid) && rc == GAUSSREG_OK) {
    describe("x", &x);
    describe("gx", &gx);
    FZ_CHECK(rc != GAUSSREG_OK);
  }
  if (rc == GAUSSREG_OK) {
    int64_t nx = (int64_t)gaussreg_array_numel(&x.a);
    ref_out o;
    memset(&o, 0, sizeof o);
    FZ_CHECK(gx.a.ndim == x.a.ndim);
    o.gx = zeros(nx);
    o.gx_scale = zeros(nx);
    if (reference(c->g, &x.a, &o)) {
      check_array_ref(&gx.a, o.gx, o.gx_scale);
      if (fused) FZ_CHECK(close_to(loss, o.loss, o.loss_scale));
    }
    if (fused) {
      double l2 = NAN;
      FZ_CHECK(gaussreg_loss(c->g, &x.a, &l2, &err) == GAUSSREG_OK);
      FZ_CHECK(isnan(l2) == isnan(loss));
    }
    free(o.gx);
    free(o.gx_scale);
  }
  fa_free(&x);
  fa_free(&gx);
}

static void op_hyper_grad(fz_ctx *c) {
  fz_array x, gm, gp;
  gaussreg_error err;
  double gw = NAN;
  int rc, want_gm = (int)fz_pick(c->r, 4), want_gp = (int)fz_pick(c->r, 4),
      want_gw = (int)fz_pick(c->r, 4);
  fa_random(c->r, &x, gaussreg_mean(c->g), fz_pick(c->r, 2));
  fa_random(c->r, &gm, gaussreg_mean(c->g), 0);
  fa_random(c->r, &gp, gaussreg_precision(c->g), 0);
  rc = gaussreg_hyper_grad(c->g, fa_ptr(&x), want_gm ? fa_ptr(&gm) : NULL,
                           want_gp ? fa_ptr(&gp) : NULL,
                           want_gw ? &gw : NULL, &err);
  check_status(rc, &err);
  if (!gaussreg_fit_hyper(c->g)) FZ_CHECK(rc != GAUSSREG_OK);
  /* (NULL outputs are allowed: "any output may be NULL") */
  if ((!x.valid || (want_gm && !gm.valid && !gm.is_null) ||
       (want_gp && !gp.valid && !gp.is_null)) &&
      rc == GAUSSREG_OK) {
    describe("x", &x);
    describe(want_gm ? "gmean" : "gmean (not passed)", &gm);
    describe(want_gp ? "gprec" : "gprec (not passed)", &gp);
    FZ_CHECK(rc != GAUSSREG_OK);
  }
  if (rc == GAUSSREG_OK) {
    int64_t nm = (int64_t)gaussreg_array_numel(gaussreg_mean(c->g));
    int64_t np = (int64_t)gaussreg_array_numel(gaussreg_precision(c->g));
    ref_out o;
    memset(&o, 0, sizeof o);
    o.gm = zeros(nm);
    o.gm_scale = zeros(nm);
    o.gp = zeros(np);
    o.gp_scale = zeros(np);
    if (reference(c->g, &x.a, &o)) {
      if (want_gm && !gm.is_null) check_array_ref(&gm.a, o.gm, o.gm_scale);
      if (want_gp && !gp.is_null) check_array_ref(&gp.a, o.gp, o.gp_scale);
      if (want_gw && fabs(gaussreg_weight(c->g)) > 0)
        FZ_CHECK(close_to(gw, o.gw, o.loss_scale / fabs(gaussreg_weight(c->g))));
    }
    free(o.gm);
    free(o.gm_scale);
    free(o.gp);
    free(o.gp_scale);
  }
  fa_free(&x);
  fa_free(&gm);
  fa_free(&gp);
}

/* Shape argument of sample_init: random, or broken. */
static int sample_arg(fz_reader *r, int64_t *shape) {
  int nd = rand_shape(r, shape);
  switch (fz_pick(r, 16)) {
    case 0: return -1 - (int)fz_pick(r, 3);
    case 1: return GAUSSREG_MAX_DIMS + 1;
    case 2: if (nd > 0) shape[0] = -1; break;
    case 3: {
      int i;
      nd = 3;
      for (i = 0; i < nd; i++) shape[i] = (int64_t)1 << (30 + fz_pick(r, 33));
      break;
    }
    default: break;
  }
  return nd;
}

/* Checks every drawn value lies within 40 std of its mean. */
static void check_draws(const gaussreg *g, const gaussreg_array *out) {
  const gaussreg_array *m = gaussreg_mean(g), *p = gaussreg_precision(g);
  int64_t idx[GAUSSREG_MAX_DIMS] = {0}, k, n = (int64_t)gaussreg_array_numel(out);
  int d;
  if (n > MAX_REF) return;
  for (k = 0; k < n; k++) {
    double v = get_el(out, off_of(out, out->ndim, idx, NULL));
    double mv = get_el(m, off_of(m, out->ndim, idx, NULL));
    double pv = get_el(p, off_of(p, out->ndim, idx, NULL));
    double sd = 1.0 / sqrt((pv > 0 ? pv : 0.0) + 1e-8);
    if (fabs(mv) < 1e300) {
      double tol = 40.0 * sd + (out->dtype == GAUSSREG_F32 ? 1e-6 * fabs(mv) + 1e-30 : 0);
      if (out->dtype == GAUSSREG_F32 && fabs(mv) > 1e38) tol = INFINITY;
      FZ_CHECK(fabs(v - mv) <= tol);
    }
    for (d = out->ndim - 1; d >= 0; d--) {
      if (++idx[d] < out->shape[d]) break;
      idx[d] = 0;
    }
  }
}

static int same_values(const gaussreg_array *a, const gaussreg_array *b) {
  int64_t idx[GAUSSREG_MAX_DIMS] = {0}, k, n = (int64_t)gaussreg_array_numel(a);
  int d;
  for (k = 0; k < n; k++) {
    double x = get_el(a, off_of(a, a->ndim, idx, NULL));
    double y = get_el(b, off_of(b, b->ndim, idx, NULL));
    if (memcmp(&x, &y, sizeof x) != 0) return 0;
    for (d = a->ndim - 1; d >= 0; d--) {
      if (++idx[d] < a->shape[d]) break;
      idx[d] = 0;
    }
  }
  return 1;
}

static void op_sample(fz_ctx *c) {
  int64_t shape[GAUSSREG_MAX_DIMS], oshape[GAUSSREG_MAX_DIMS];
  int nd = sample_arg(c->r, shape), ond = -1, rc;
  gaussreg_error err;
  fz_array out;
  rc = gaussreg_sample_shape(c->g, nd, shape, &ond, oshape, &err);
  check_status(rc, &err);
  if (nd < 0 || nd > GAUSSREG_MAX_DIMS) FZ_CHECK(rc != GAUSSREG_OK);
  if (rc == GAUSSREG_OK) {
    int64_t n = 1;
    int i;
    for (i = 0; i < ond; i++) n *= oshape[i];
    if (n > 4 * MAX_NUMEL) return; /* too big for one fuzz input */
    {
      gaussreg_array like;
      memset(&like, 0, sizeof like);
      like.ndim = ond;
      memcpy(like.shape, oshape, sizeof oshape);
      fa_random(c->r, &out, &like, 0);
    }
  } else {
    fa_random(c->r, &out, NULL, 0);
  }
  {
    uint64_t seed = fz_u64(c->r);
    gaussreg_seed(c->g, seed);
    rc = gaussreg_sample_init(c->g, nd, shape, fa_ptr(&out), &err);
    check_status(rc, &err);
    if (!out.valid) FZ_CHECK(rc != GAUSSREG_OK);
    if (rc == GAUSSREG_OK) {
      fz_array again;
      check_draws(c->g, &out.a);
      /* the same seed, a contiguous output: the same draws */
      fa_layout(c->r, &again, out.a.dtype, out.a.ndim, out.a.shape, 1, 1);
      gaussreg_seed(c->g, seed);
      FZ_CHECK(gaussreg_sample_init(c->g, nd, shape, &again.a, &err) ==
               GAUSSREG_OK);
      FZ_CHECK(same_values(&out.a, &again.a));
      fa_free(&again);
    }
  }
  fa_free(&out);
}

static void op_setter(fz_ctx *c) {
  gaussreg_error err;
  unsigned which = fz_pick(c->r, 4);
  int rc, fit = gaussreg_fit_hyper(c->g);
  if (which == 3) {
    rc = gaussreg_set_weight(c->g, fz_double(c->r), &err);
    check_status(rc, &err);
    if (!fit) FZ_CHECK(rc == GAUSSREG_EFIXED);
  } else if (which == 2) {
    int mode = (int)fz_pick(c->r, 3);
    rc = gaussreg_set_log_mode(c->g, (gaussreg_log_mode)(mode == 2 ? 7 : mode),
                               &err);
    check_status(rc, &err);
    FZ_CHECK((rc == GAUSSREG_OK) == (mode != 2));
  } else {
    fz_array v;
    const gaussreg_array *now = which ? gaussreg_precision(c->g) : gaussreg_mean(c->g);
    fa_random(c->r, &v, fz_pick(c->r, 2) ? now : NULL, fz_pick(c->r, 2));
    rc = which ? gaussreg_set_precision(c->g, fa_ptr(&v), &err)
               : gaussreg_set_mean(c->g, fa_ptr(&v), &err);
    check_status(rc, &err);
    if (!fit || !v.valid) FZ_CHECK(rc != GAUSSREG_OK);
    if (rc == GAUSSREG_OK) { /* the stored copy reads back */
      const gaussreg_array *got = which ? gaussreg_precision(c->g)
                                        : gaussreg_mean(c->g);
      FZ_CHECK(got->ndim == v.a.ndim);
      FZ_CHECK(got->dtype == GAUSSREG_F64);
      FZ_CHECK(same_values(got, &v.a) || v.a.dtype == GAUSSREG_F32);
    }
    fa_free(&v);
  }
}

static void op_isa(fz_ctx *c) {
  gaussreg_error err;
  int isa = (int)fz_pick(c->r, 8) - 1;
  int rc = gaussreg_set_isa(c->g, (gaussreg_isa)isa, &err);
  check_status(rc, &err);
  if (isa >= 0 && isa <= GAUSSREG_ISA_WASM128 &&
      gaussreg_isa_supported((gaussreg_isa)isa))
    FZ_CHECK(rc == GAUSSREG_OK);
  else
    FZ_CHECK(rc != GAUSSREG_OK);
  FZ_CHECK(gaussreg_get_isa(c->g) != GAUSSREG_ISA_AUTO);
}

/* The state's trailer: FNV-1a 64 of every byte before the last 8. */
static void fix_checksum(unsigned char *b, size_t len) {
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  size_t i;
  if (len < 8) return;
  for (i = 0; i < len - 8; i++) {
    h ^= b[i];
    h *= UINT64_C(0x100000001b3);
  }
  for (i = 0; i < 8; i++) b[len - 8 + i] = (unsigned char)(h >> (8 * i));
}

/* Restores buf through a fresh counting allocator (failing at fail_at) and
** checks the allocation bound; returns the object or NULL. */
static gaussreg *restore_checked(const unsigned char *buf, size_t len,
                                 fz_alloc *ra, long fail_at) {
  gaussreg_allocator al;
  gaussreg_error err;
  gaussreg *g2 = (gaussreg *)(uintptr_t)1;
  int rc;
  memset(ra, 0, sizeof *ra);
  ra->fail_at = fail_at;
  al.alloc = fz_alloc_fn;
  al.ud = ra;
  rc = gaussreg_state_restore(buf, len, &al, &g2, &err);
  check_status(rc, &err);
  /* the string holds 8 bytes per value; the object keeps 8 per mean value
  ** and 24 per precision value, restore a temporary copy of both: so any
  ** block <= 3 * len and everything live <= 4 * len, plus the struct */
  FZ_CHECK(ra->largest <= 3 * len + 1024);
  FZ_CHECK(ra->peak <= 4 * len + 1024);
  FZ_CHECK(!ra->size_error);
  if (rc != GAUSSREG_OK) {
    FZ_CHECK(g2 == NULL);
    FZ_CHECK(ra->live == 0);
    return NULL;
  }
  FZ_CHECK(g2 != NULL);
  return g2;
}

static void destroy_checked(gaussreg *g, fz_alloc *a) {
  gaussreg_destroy(g);
  FZ_CHECK(a->live == 0 && a->bytes == 0 && !a->size_error);
}

static int small_enough(int nd, const int64_t *s) {
  int64_t n = 1;
  int i;
  for (i = 0; i < nd; i++) n *= s[i];
  return n <= 4 * MAX_NUMEL;
}

static void op_state(fz_ctx *c) {
  size_t n = gaussreg_state_size(c->g), written = 0, len;
  unsigned char *buf = (unsigned char *)malloc(n + 64);
  gaussreg_error err;
  unsigned mode = fz_pick(c->r, 4);
  int rc;
  fz_alloc ra;
  gaussreg *g2;
  /* too small a buffer is refused */
  if (n > 0) {
    rc = gaussreg_state_save(c->g, buf, n - 1, &written, &err);
    check_status(rc, &err);
    FZ_CHECK(rc == GAUSSREG_ESHAPE);
  }
  rc = gaussreg_state_save(c->g, buf, n + 64, &written, &err);
  FZ_CHECK(rc == GAUSSREG_OK && written == n);
  len = n;
  if (mode == 1) { /* corrupt a few bytes */
    unsigned k, times = 1 + fz_pick(c->r, 4);
    for (k = 0; k < times; k++) buf[fz_u64(c->r) % n] ^= (unsigned char)(1 + fz_u8(c->r));
  } else if (mode == 2) { /* truncate */
    len = (size_t)(fz_u64(c->r) % (n + 1));
  } else if (mode == 3) { /* trailing garbage */
    len = n + 1 + fz_pick(c->r, 63);
    memset(buf + n, (int)fz_u8(c->r), len - n);
  }
  if (mode != 0 && fz_pick(c->r, 4) != 0) fix_checksum(buf, len);
  g2 = restore_checked(buf, len, &ra, fz_pick(c->r, 4) == 0 ? 1 + (long)fz_pick(c->r, 4) : 0);
  if (mode == 0 && ra.fail_at == 0) FZ_CHECK(g2 != NULL);
  if (g2 != NULL) {
    size_t n2 = gaussreg_state_size(g2), w2 = 0;
    unsigned char *b2 = (unsigned char *)malloc(n2 + 1);
    FZ_CHECK(gaussreg_state_save(g2, b2, n2, &w2, &err) == GAUSSREG_OK);
    /* a restored state saves back to exactly what it was restored from */
    FZ_CHECK(w2 == len && memcmp(b2, buf, len) == 0);
    free(b2);
    /* and draws what the original would draw next (unmutated states) */
    if (mode == 0) {
      int64_t shape[1] = {5};
      int64_t os[GAUSSREG_MAX_DIMS];
      int ond;
      if (gaussreg_sample_shape(c->g, 1, shape, &ond, os, &err) == GAUSSREG_OK &&
          small_enough(ond, os)) {
        fz_array a1, a2;
        fa_layout(c->r, &a1, GAUSSREG_F64, ond, os, 1, 1);
        fa_layout(c->r, &a2, GAUSSREG_F64, ond, os, 1, 1);
        FZ_CHECK(gaussreg_sample_init(c->g, 1, shape, &a1.a, &err) == GAUSSREG_OK);
        FZ_CHECK(gaussreg_sample_init(g2, 1, shape, &a2.a, &err) == GAUSSREG_OK);
        FZ_CHECK(same_values(&a1.a, &a2.a));
        fa_free(&a1);
        fa_free(&a2);
      }
    }
    destroy_checked(g2, &ra);
  }
  free(buf);
}

/* }==================================================================== */

/* The raw path: the rest of the input is a state string. */
static void raw_restore(fz_reader *r) {
  fz_alloc ra;
  int fix = (int)fz_pick(r, 4);
  unsigned char *copy = (unsigned char *)malloc(r->n + 1);
  gaussreg *g2;
  if (r->n > 0) memcpy(copy, r->p, r->n);
  if (fix) fix_checksum(copy, r->n); /* reach the checks behind it */
  g2 = restore_checked(copy, r->n, &ra, 0);
  if (g2 != NULL) {
    gaussreg_error err;
    size_t n2 = gaussreg_state_size(g2), w2 = 0;
    unsigned char *b2 = (unsigned char *)malloc(n2 + 1);
    FZ_CHECK(gaussreg_state_save(g2, b2, n2, &w2, &err) == GAUSSREG_OK);
    FZ_CHECK(w2 == r->n && memcmp(b2, copy, w2) == 0);
    free(b2);
    destroy_checked(g2, &ra);
  }
  free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_reader r;
  fz_alloc al;
  gaussreg_allocator allocator;
  gaussreg_config cfg;
  gaussreg_error err;
  fz_array mean, std;
  gaussreg *g = (gaussreg *)(uintptr_t)1;
  int rc, ops;
  r.p = data;
  r.n = size;
  if (fz_pick(&r, 8) == 0) { /* one input in 8 is a raw state string */
    raw_restore(&r);
    return 0;
  }
  memset(&al, 0, sizeof al);
  if (fz_pick(&r, 8) == 0) al.fail_at = 1 + (long)fz_pick(&r, 4);
  allocator.alloc = fz_alloc_fn;
  allocator.ud = &al;
  gaussreg_config_init(&cfg);
  fa_random(&r, &mean, NULL, fz_pick(&r, 2));
  fa_random(&r, &std, fz_pick(&r, 2) ? &mean.a : NULL, fz_pick(&r, 2));
  cfg.mean = fa_ptr(&mean);
  cfg.std = fa_ptr(&std);
  cfg.weight = fz_pick(&r, 2) ? fz_double(&r) : fz_finite(&r);
  cfg.fit_hyper = (int)fz_pick(&r, 3);
  cfg.log_mode = (gaussreg_log_mode)fz_pick(&r, 3);
  cfg.seed = fz_u64(&r);
  cfg.allocator = fz_pick(&r, 8) ? &allocator : NULL;
  rc = gaussreg_create(&cfg, &g, &err);
  check_status(rc, &err);
  if (!mean.valid || !std.valid || cfg.log_mode > 1) FZ_CHECK(rc != GAUSSREG_OK);
  if (rc != GAUSSREG_OK) {
    FZ_CHECK(g == NULL);
    FZ_CHECK(al.live == 0);
    fa_free(&mean);
    fa_free(&std);
    return 0;
  }
  FZ_CHECK(gaussreg_fit_hyper(g) == (cfg.fit_hyper != 0));
  fa_free(&mean);
  fa_free(&std);
  {
    fz_ctx c;
    c.r = &r;
    c.g = g;
    c.al = &al;
    for (ops = 0; ops < MAX_OPS && r.n > 0; ops++) {
      switch (fz_pick(&r, 9)) {
        case 0: op_loss(&c); break;
        case 1: op_grad(&c, 0); break;
        case 2: op_grad(&c, 1); break;
        case 3: op_hyper_grad(&c); break;
        case 4: op_sample(&c); break;
        case 5: op_setter(&c); break;
        case 6: op_isa(&c); break;
        case 7: op_state(&c); break;
        default: gaussreg_seed(g, fz_u64(&r)); break;
      }
    }
  }
  destroy_checked(g, &al);
  return 0;
}

#if defined(FUZZ_STANDALONE)
/* Replays the files named on the command line (no libFuzzer needed). */
int main(int argc, char **argv) {
  int i;
  for (i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    unsigned char *b;
    long n;
    if (f == NULL) { perror(argv[i]); return 1; }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b = (unsigned char *)malloc((size_t)n + 1);
    if (fread(b, 1, (size_t)n, f) != (size_t)n) { fclose(f); return 1; }
    fclose(f);
    LLVMFuzzerTestOneInput(b, (size_t)n);
    free(b);
  }
  printf("fuzz_capi: replayed %d inputs\n", argc - 1);
  return 0;
}
#endif
