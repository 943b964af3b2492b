/*
** test_simd.c -- every instruction set this CPU and build support against
** the scalar kernels and the long-double oracle (eval_ref.h): awkward sizes
** (0..3*width+1, block edges), unaligned starts, negative/zero/odd strides,
** float32 in and out, size-1 broadcast axes, 0-d arrays, NaN/Inf in x; and
** accuracy at large n against a compensated reference.
**
** Elementwise outputs (grad of a full-shape x) must be bit-identical to the
** scalar path (same formulas, no FMA); sums must stay within 1e-14 of the sum
** of |terms| (the oracle's scale). loss(x) and loss_and_grad(x) must give the
** same bits in every set, whatever the layout of the gradient output
** (contiguous, strided, reversed, in place).
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "eval_ref.h"
#include "gaussreg.h"

static const gaussreg_isa all_isas[] = {GAUSSREG_ISA_SCALAR, GAUSSREG_ISA_SSE2,
                                        GAUSSREG_ISA_AVX2, GAUSSREG_ISA_NEON,
                                        GAUSSREG_ISA_WASM128};
#define NISA ((int)(sizeof all_isas / sizeof all_isas[0]))

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static double urand(void) { /* xorshift64*, uniform in [0, 1) */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (double)((rng_state * 2685821657736338717ull) >> 11) * 0x1p-53;
}

static gaussreg *make(int mnd, const int64_t *ms, double *m, int snd,
                      const int64_t *ss, double *s, double w) {
  gaussreg_config cfg;
  gaussreg_array ma, sa;
  gaussreg *g = NULL;
  gaussreg_error err;
  if (gaussreg_array_init(&ma, m, GAUSSREG_F64, mnd, ms, &err) ||
      gaussreg_array_init(&sa, s, GAUSSREG_F64, snd, ss, &err)) {
    fprintf(stderr, "array_init: %s\n", err.msg);
    exit(2);
  }
  gaussreg_config_init(&cfg);
  cfg.mean = &ma;
  cfg.std = &sa;
  cfg.weight = w;
  cfg.fit_hyper = 1;
  if (gaussreg_create(&cfg, &g, &err) != GAUSSREG_OK) {
    fprintf(stderr, "create: %s\n", err.msg);
    exit(2);
  }
  return g;
}

static int n_configs;

/* The element offset of the i-th element (row-major order) of a. */
static int64_t offset_of(const gaussreg_array *a, int64_t i) {
  int64_t off = 0;
  int d;
  for (d = a->ndim - 1; d >= 0; d--) {
    off += (i % a->shape[d]) * a->strides[d];
    i /= a->shape[d];
  }
  return off;
}

/* loss_and_grad of x into outputs laid out otherwise than gx (strided,
** reversed) and in place: the loss has loss's bits whether the pass is
** fused or not, and the gradient is gx's, element for element. */
static int check_out_layouts(gaussreg *g, const gaussreg_array *x,
                             double loss, const double *gx, int64_t nx) {
  double *buf = (double *)calloc((size_t)(2 * nx + 2), sizeof(double));
  gaussreg_array go;
  int64_t i, st[GAUSSREG_MAX_DIMS];
  int lay, d, bad = 0, contiguous = 1;
  for (lay = 0; lay < 2 && x->ndim > 0 && nx > 0; lay++) {
    double l3 = 0;
    gaussreg_array_init(&go, buf, GAUSSREG_F64, x->ndim, x->shape, NULL);
    for (d = 0; d < x->ndim; d++)
      go.strides[d] = lay == 0 ? 2 * go.strides[d] : -go.strides[d];
    if (lay == 1) go.data = buf + (nx - 1);
    bad += !CHECK(gaussreg_loss_and_grad(g, x, &l3, &go, NULL) ==
                  GAUSSREG_OK);
    bad += !CHECK(same_bits(&l3, &loss, 1));
    for (i = 0; i < nx; i++)
      bad += !CHECK(
          same_bits(&((const double *)go.data)[offset_of(&go, i)], &gx[i], 1));
  }
  /* in place, for a contiguous float64 x */
  gaussreg_array_init(&go, buf, GAUSSREG_F64, x->ndim, x->shape, NULL);
  memcpy(st, go.strides, sizeof st);
  for (d = 0; d < x->ndim; d++)
    if (x->shape[d] > 1 && x->strides[d] != st[d]) contiguous = 0;
  if (x->dtype == GAUSSREG_F64 && contiguous && nx > 0) {
    double l4 = 0;
    memcpy(buf, x->data, sizeof(double) * (size_t)nx);
    bad += !CHECK(gaussreg_loss_and_grad(g, &go, &l4, &go, NULL) ==
                  GAUSSREG_OK);
    bad += !CHECK(same_bits(&l4, &loss, 1));
    bad += !CHECK(same_bits(buf, gx, (size_t)nx));
  }
  free(buf);
  return bad;
}

/* Runs loss, grad (f64 and f32 out), loss_and_grad and hyper_grad on x with
** g's current ISA; checks them against the oracle and, elementwise, against
** the scalar ISA bit for bit. */
static void run_config(gaussreg *g, gaussreg_isa isa, const gaussreg_array *x,
                       const char *what) {
  ref_result r;
  int64_t i, nx;
  double loss = 0, loss2 = 0, gw = 0, *gx, *gxs, *gm, *gp;
  float *gx32, *gx32s;
  gaussreg_array ga, gas, ga32, ga32s, gma, gpa;
  const gaussreg_array *mean = gaussreg_mean(g), *prec = gaussreg_precision(g);
  int full, bad = 0;
  n_configs++;
  if (ref_eval(g, x, &r) != 0) {
    CHECK(0);
    return;
  }
  nx = r.nx;
  full = r.nx == r.nb;
  gx = (double *)calloc((size_t)nx + 1, sizeof(double));
  gxs = (double *)calloc((size_t)nx + 1, sizeof(double));
  gx32 = (float *)calloc((size_t)nx + 1, sizeof(float));
  gx32s = (float *)calloc((size_t)nx + 1, sizeof(float));
  gm = (double *)calloc((size_t)r.nm + 1, sizeof(double));
  gp = (double *)calloc((size_t)r.np + 1, sizeof(double));
  gaussreg_array_init(&ga, gx, GAUSSREG_F64, x->ndim, x->shape, NULL);
  gaussreg_array_init(&gas, gxs, GAUSSREG_F64, x->ndim, x->shape, NULL);
  gaussreg_array_init(&ga32, gx32, GAUSSREG_F32, x->ndim, x->shape, NULL);
  gaussreg_array_init(&ga32s, gx32s, GAUSSREG_F32, x->ndim, x->shape, NULL);
  gaussreg_array_init(&gma, gm, GAUSSREG_F64, mean->ndim, mean->shape, NULL);
  gaussreg_array_init(&gpa, gp, GAUSSREG_F64, prec->ndim, prec->shape, NULL);

  /* the scalar path's elementwise outputs */
  CHECK_EQ_INT(gaussreg_set_isa(g, GAUSSREG_ISA_SCALAR, NULL), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_grad(g, x, &gas, NULL), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_grad(g, x, &ga32s, NULL), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_set_isa(g, isa, NULL), GAUSSREG_OK);

  bad += !CHECK(gaussreg_loss(g, x, &loss, NULL) == GAUSSREG_OK);
  bad += !CHECK(ref_close(loss, r.loss, fabs(r.loss) + r.Sabs, 1e-14));
  bad += !CHECK(gaussreg_loss_and_grad(g, x, &loss2, &ga, NULL) ==
                GAUSSREG_OK);
  bad += !CHECK(ref_close(loss2, r.loss, fabs(r.loss) + r.Sabs, 1e-14));
  bad += !CHECK(same_bits(&loss, &loss2, 1)); /* loss == loss_and_grad */
  for (i = 0; i < nx; i++) {
    if (full)
      bad += !CHECK(same_bits(&gx[i], &gxs[i], 1));
    bad += !CHECK(ref_close(gx[i], r.gx[i], r.gxa[i], 1e-14));
  }
  bad += check_out_layouts(g, x, loss, gx, nx);
  memset(gx, 0, sizeof(double) * (size_t)nx);
  bad += !CHECK(gaussreg_grad(g, x, &ga, NULL) == GAUSSREG_OK);
  bad += !CHECK(gaussreg_grad(g, x, &ga32, NULL) == GAUSSREG_OK);
  for (i = 0; i < nx; i++) {
    if (full) bad += !CHECK(same_bits(&gx[i], &gxs[i], 1));
    bad += !CHECK(ref_close(gx[i], r.gx[i], r.gxa[i], 1e-14));
    bad += !CHECK(gx32[i] == (float)gx[i] ||
                  (isnan(gx32[i]) && isnan(gx[i])));
    if (full) bad += !CHECK(memcmp(&gx32[i], &gx32s[i], sizeof(float)) == 0);
  }
  bad += !CHECK(gaussreg_hyper_grad(g, x, &gma, &gpa, &gw, NULL) ==
                GAUSSREG_OK);
  bad += !CHECK(ref_close(gw, r.gweight, fabs(r.gweight) + r.Sabs, 1e-14));
  for (i = 0; i < r.nm; i++)
    bad += !CHECK(ref_close(gm[i], r.gm[i], r.gma[i], 1e-14));
  for (i = 0; i < r.np; i++)
    bad += !CHECK(ref_close(gp[i], r.gp[i], r.gpa[i], 1e-14));
  if (bad)
    fprintf(stderr, "    in %s, isa %s, x ndim %d numel %lld\n", what,
            gaussreg_isa_name(isa), x->ndim, (long long)nx);
  ref_free(&r);
  free(gx);
  free(gxs);
  free(gx32);
  free(gx32s);
  free(gm);
  free(gp);
}

/* 1-D runs: sizes around every vector width and block edge, four prior
** layouts, float64/float32, strides 1 (aligned and not), -1, 3 and 0. */
static void test_runs(gaussreg_isa isa) {
  static const int64_t sizes[] = {0,   1,   2,    3,    4,    5,    7,   8,
                                  9,   11,  12,   13,   15,   16,   17,  23,
                                  24,  25,  31,   33,   63,   65,   100, 1023,
                                  1024, 1025, 1041, 2047, 2049, 4103};
  int si, prior, dt, lay;
  for (si = 0; si < (int)(sizeof sizes / sizeof sizes[0]); si++) {
    int64_t n = sizes[si], i;
    size_t cap = (size_t)(3 * n + 8);
    double *m = (double *)malloc(sizeof(double) * ((size_t)n + 1));
    double *s = (double *)malloc(sizeof(double) * ((size_t)n + 1));
    double *xd = (double *)malloc(sizeof(double) * cap);
    float *xf = (float *)malloc(sizeof(float) * cap);
    for (i = 0; i < n + 1; i++) {
      m[i] = urand() * 2 - 1;
      s[i] = 0.2 + urand();
    }
    for (i = 0; i < (int64_t)cap; i++) {
      xd[i] = urand() * 6 - 3;
      xf[i] = (float)(urand() * 6 - 3);
    }
    for (prior = 0; prior < 4; prior++) {
      /* 0: scalar mean and std; 1: both (n); 2: mean (n); 3: std (n) */
      int mnd = prior == 1 || prior == 2, snd = prior == 1 || prior == 3;
      gaussreg *g = make(mnd, &n, m, snd, &n, s, 0.75);
      for (dt = 0; dt < 2; dt++)
        for (lay = 0; lay < 6; lay++) {
          gaussreg_array x;
          void *base = dt ? (void *)xf : (void *)xd;
          int64_t off = 0, st = 1;
          switch (lay) {
            case 0: off = 0; st = 1; break;       /* contiguous */
            case 1: off = 1; st = 1; break;       /* unaligned start */
            case 2: off = 3; st = 1; break;
            case 3: off = n > 0 ? n : 0; st = -1; break; /* reversed */
            case 4: off = 2; st = 3; break;       /* strided */
            default: off = 5; st = 0; break;      /* one element repeated */
          }
          gaussreg_array_init(&x, base, dt ? GAUSSREG_F32 : GAUSSREG_F64, 1,
                              &n, NULL);
          x.data = dt ? (void *)(xf + off) : (void *)(xd + off);
          x.strides[0] = st;
          run_config(g, isa, &x, "1-d run");
        }
      gaussreg_destroy(g);
    }
    free(m);
    free(s);
    free(xd);
    free(xf);
  }
}

/* 2-d and 3-d broadcasting with size-1 axes; x broadcast (reductions); a
** 0-d x; negative strides on a matrix. */
static void test_shapes(gaussreg_isa isa) {
  static const int64_t dims[] = {1, 2, 3, 5, 9, 17};
  int a, b, dt;
  double m[400], s[400], xd[1200];
  float xf[1200];
  int i;
  for (i = 0; i < 400; i++) {
    m[i] = urand() - 0.5;
    s[i] = 0.3 + urand();
  }
  for (i = 0; i < 1200; i++) {
    xd[i] = urand() * 4 - 2;
    xf[i] = (float)(urand() * 4 - 2);
  }
  for (a = 0; a < 6; a++)
    for (b = 0; b < 6; b++)
      for (dt = 0; dt < 2; dt++) {
        int64_t r = dims[a], c = dims[b];
        int64_t xs[2] = {r, c}, ms[1] = {c}, ss[2] = {r, 1}, row[2] = {1, c};
        int64_t ms2[2] = {r, c}, xs3[3] = {2, r, c}, ms3[3] = {1, 1, c};
        gaussreg_dtype t = dt ? GAUSSREG_F32 : GAUSSREG_F64;
        void *xp = dt ? (void *)xf : (void *)xd;
        gaussreg_array x;
        gaussreg *g = make(1, ms, m, 2, ss, s, 1.25);
        gaussreg_array_init(&x, xp, t, 2, xs, NULL);
        run_config(g, isa, &x, "x (r,c), mean (c), std (r,1)");
        /* the same x transposed in memory, then both strides negative */
        x.strides[0] = 1;
        x.strides[1] = r;
        run_config(g, isa, &x, "transposed x");
        x.data = dt ? (void *)(xf + r * c - 1) : (void *)(xd + r * c - 1);
        x.strides[0] = -c;
        x.strides[1] = -1;
        run_config(g, isa, &x, "reversed x");
        gaussreg_destroy(g);
        /* x (1,c) and x () against a (r,c) mean: reductions over r */
        g = make(2, ms2, m, 0, NULL, s, 0.5);
        gaussreg_array_init(&x, xp, t, 2, row, NULL);
        run_config(g, isa, &x, "x (1,c) vs mean (r,c)");
        gaussreg_array_init(&x, xp, t, 0, NULL, NULL);
        run_config(g, isa, &x, "x () vs mean (r,c)");
        gaussreg_destroy(g);
        /* x (2,r,c) with mean (1,1,c) and std (r,1) */
        g = make(3, ms3, m, 2, ss, s, 2.0);
        gaussreg_array_init(&x, xp, t, 3, xs3, NULL);
        run_config(g, isa, &x, "x (2,r,c)");
        gaussreg_destroy(g);
      }
}

/* NaN and Inf in every lane position propagate like the scalar path. */
static void test_nonfinite(gaussreg_isa isa) {
  double m = 0.5, s = 1.0, xd[37];
  int64_t n = 37;
  int k, i;
  gaussreg *g = make(0, NULL, &m, 0, NULL, &s, 1.0);
  for (k = 0; k < 37; k += 4) {
    gaussreg_array x;
    for (i = 0; i < 37; i++) xd[i] = urand() * 2 - 1;
    xd[k] = NAN;
    if (k + 2 < 37) xd[k + 2] = INFINITY;
    gaussreg_array_init(&x, xd, GAUSSREG_F64, 1, &n, NULL);
    run_config(g, isa, &x, "NaN/Inf in x");
    xd[k] = -INFINITY;
    run_config(g, isa, &x, "Inf in x");
  }
  gaussreg_destroy(g);
}

/* Large n: loss and hyper sums within 1e-13 of a Neumaier reference of the
** same terms (the spec bound), float64 and float32. */
static void test_accuracy(gaussreg_isa isa, int64_t n) {
  double *x = (double *)malloc(sizeof(double) * (size_t)n);
  double *mm = (double *)malloc(sizeof(double) * (size_t)n);
  double *ss = (double *)malloc(sizeof(double) * (size_t)n);
  double m0 = 0.25, s0 = 0.8, loss = 0, gw = 0, gm = 0, gp = 0;
  double sc = 0, cc = 0, sa = 0, sd = 0, cd = 0, p0, lp;
  int64_t i;
  gaussreg *g = make(0, NULL, &m0, 0, NULL, &s0, 1.0);
  gaussreg_array xa, gma, gpa;
  p0 = *(const double *)gaussreg_precision(g)->data + GAUSSREG_PREC_EPS;
  lp = log(p0);
  for (i = 0; i < n; i++) {
    /* a wide dynamic range, so a naive running sum would drift */
    x[i] = (urand() - 0.3) * (i % 17 == 0 ? 1e3 : 1.0);
    mm[i] = urand();
    ss[i] = 0.5 + urand();
  }
#define NEU(S, C, V)                                                       \
  do {                                                                     \
    double v_ = (V), t_ = S + v_;                                          \
    C += fabs(S) >= fabs(v_) ? (S - t_) + v_ : (v_ - t_) + S;              \
    S = t_;                                                                \
  } while (0)
  for (i = 0; i < n; i++) {
    double d = x[i] - m0, t = p0 * d;
    NEU(sc, cc, t * d);
    NEU(sd, cd, t);
    sa += fabs(t);
  }
  CHECK_EQ_INT(gaussreg_set_isa(g, isa, NULL), GAUSSREG_OK);
  gaussreg_array_init(&xa, x, GAUSSREG_F64, 1, &n, NULL);
  gaussreg_array_init(&gma, &gm, GAUSSREG_F64, 0, NULL, NULL);
  gaussreg_array_init(&gpa, &gp, GAUSSREG_F64, 0, NULL, NULL);
  CHECK_EQ_INT(gaussreg_loss(g, &xa, &loss, NULL), GAUSSREG_OK);
  CHECK_NEAR(loss, (sc + cc) - lp, 1e-13);
  CHECK_EQ_INT(gaussreg_hyper_grad(g, &xa, &gma, &gpa, &gw, NULL),
               GAUSSREG_OK);
  CHECK_NEAR(gw, (sc + cc) - lp, 1e-13);
  CHECK(fabs(gm - -2.0 * (sd + cd)) <= 1e-13 * 2.0 * sa);
  {
    /* float32 x, per-element prior */
    float *xf = (float *)malloc(sizeof(float) * (size_t)n);
    const double *pp;
    gaussreg *g2 = make(1, &n, mm, 1, &n, ss, 1.0);
    gaussreg_array xfa;
    double ls = 0, lc = 0;
    pp = (const double *)gaussreg_precision(g2)->data;
    sc = cc = 0;
    for (i = 0; i < n; i++) {
      double pe = pp[i] + GAUSSREG_PREC_EPS, d, t;
      xf[i] = (float)x[i];
      d = (double)xf[i] - mm[i];
      t = pe * d;
      NEU(sc, cc, t * d);
      NEU(ls, lc, log(pe));
    }
    CHECK_EQ_INT(gaussreg_set_isa(g2, isa, NULL), GAUSSREG_OK);
    gaussreg_array_init(&xfa, xf, GAUSSREG_F32, 1, &n, NULL);
    CHECK_EQ_INT(gaussreg_loss(g2, &xfa, &loss, NULL), GAUSSREG_OK);
    CHECK_NEAR(loss, (sc + cc) - (ls + lc), 1e-13);
    CHECK_NEAR(sc + cc, loss + (ls + lc), 1e-13);
    gaussreg_destroy(g2);
    free(xf);
  }
#undef NEU
  gaussreg_destroy(g);
  free(x);
  free(mm);
  free(ss);
}

static void test_isa_api(void) {
  int i;
  CHECK(gaussreg_isa_supported(GAUSSREG_ISA_AUTO));
  CHECK(gaussreg_isa_supported(GAUSSREG_ISA_SCALAR));
  CHECK(!gaussreg_isa_supported((gaussreg_isa)99));
  CHECK(gaussreg_isa_best() != GAUSSREG_ISA_AUTO);
  CHECK(gaussreg_isa_supported(gaussreg_isa_best()));
#if defined(__x86_64__)
  CHECK(gaussreg_isa_supported(GAUSSREG_ISA_SSE2));
  CHECK(!gaussreg_isa_supported(GAUSSREG_ISA_NEON));
  CHECK(!gaussreg_isa_supported(GAUSSREG_ISA_WASM128));
  CHECK(gaussreg_isa_best() == GAUSSREG_ISA_SSE2 ||
        gaussreg_isa_best() == GAUSSREG_ISA_AVX2);
#endif
  CHECK_STR(gaussreg_isa_name(GAUSSREG_ISA_AUTO), "auto");
  CHECK_STR(gaussreg_isa_name(GAUSSREG_ISA_SCALAR), "scalar");
  CHECK_STR(gaussreg_isa_name(GAUSSREG_ISA_SSE2), "sse2");
  CHECK_STR(gaussreg_isa_name(GAUSSREG_ISA_AVX2), "avx2");
  CHECK_STR(gaussreg_isa_name(GAUSSREG_ISA_NEON), "neon");
  CHECK_STR(gaussreg_isa_name(GAUSSREG_ISA_WASM128), "wasm128");
  CHECK(gaussreg_isa_name((gaussreg_isa)6) == NULL);
  CHECK(gaussreg_isa_name((gaussreg_isa)-1) == NULL);
  for (i = 0; i <= 5; i++)
    CHECK_EQ_INT(gaussreg_isa_from_name(gaussreg_isa_name((gaussreg_isa)i)),
                 i);
  CHECK_EQ_INT(gaussreg_isa_from_name("AVX2"), -1);
  CHECK_EQ_INT(gaussreg_isa_from_name(""), -1);
  CHECK_EQ_INT(gaussreg_isa_from_name(NULL), -1);
  {
    double m = 0, s = 1;
    gaussreg *g = make(0, NULL, &m, 0, NULL, &s, 1.0);
    gaussreg_error err;
    CHECK(gaussreg_get_isa(g) == gaussreg_isa_best());
    for (i = 0; i < NISA; i++) {
      int rc = gaussreg_set_isa(g, all_isas[i], &err);
      if (gaussreg_isa_supported(all_isas[i])) {
        CHECK_EQ_INT(rc, GAUSSREG_OK);
        CHECK(gaussreg_get_isa(g) == all_isas[i]);
      } else {
        CHECK_EQ_INT(rc, GAUSSREG_EISA);
        CHECK_STR(err.arg, "isa");
      }
    }
    CHECK_EQ_INT(gaussreg_set_isa(g, GAUSSREG_ISA_AUTO, NULL), GAUSSREG_OK);
    CHECK(gaussreg_get_isa(g) == gaussreg_isa_best());
    gaussreg_destroy(g);
  }
}

int main(void) {
  int i;
  test_isa_api();
  for (i = 0; i < NISA; i++) {
    gaussreg_isa isa = all_isas[i];
    if (!gaussreg_isa_supported(isa)) {
      printf("test_simd: %s not supported here, skipped\n",
             gaussreg_isa_name(isa));
      continue;
    }
    n_configs = 0;
    test_runs(isa);
    test_shapes(isa);
    test_nonfinite(isa);
    test_accuracy(isa, isa == gaussreg_isa_best() ? 10000000 : 1000000);
    printf("test_simd: %s: %d layouts compared\n", gaussreg_isa_name(isa),
           n_configs);
  }
  return check_done("test_simd");
}
