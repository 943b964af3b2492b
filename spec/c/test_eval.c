/*
** test_eval.c -- loss, grad, loss_and_grad, hyper_grad: the parity fixture
** (spec/fixtures/gaussianreg-vectors.json via parity_vectors.h), hand-computed
** values, central finite differences, the per-element log mode, float32
** inputs and outputs, broadcasting, aliasing and every error path.
*/
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "eval_ref.h"
#include "gaussreg.h"
#include "parity_vectors.h"

static gaussreg_array view(void *data, gaussreg_dtype t, int nd,
                           const int64_t *shape) {
  gaussreg_array a;
  gaussreg_error err;
  int rc = gaussreg_array_init(&a, data, t, nd, shape, &err);
  if (rc != GAUSSREG_OK) {
    fprintf(stderr, "array_init: %s\n", err.msg);
    exit(2);
  }
  return a;
}

static gaussreg *make(int mnd, const int64_t *ms, double *m, int snd,
                      const int64_t *ss, double *s, double w, int fit,
                      gaussreg_log_mode mode) {
  gaussreg_config cfg;
  gaussreg_array ma = view(m, GAUSSREG_F64, mnd, ms);
  gaussreg_array sa = view(s, GAUSSREG_F64, snd, ss);
  gaussreg *g = NULL;
  gaussreg_error err;
  gaussreg_config_init(&cfg);
  cfg.mean = &ma;
  cfg.std = &sa;
  cfg.weight = w;
  cfg.fit_hyper = fit;
  cfg.log_mode = mode;
  if (gaussreg_create(&cfg, &g, &err) != GAUSSREG_OK) {
    fprintf(stderr, "create: %s: %s\n", err.arg, err.msg);
    exit(2);
  }
  return g;
}

static double scale_of(const double *a, int n) {
  double s = 0.0;
  int i;
  for (i = 0; i < n; i++)
    if (fabs(a[i]) > s) s = fabs(a[i]);
  return s;
}

/* ---- the parity fixture ------------------------------------------------- */

static void check_arr(const parity_arr *want, const double *got,
                      const char *what, const char *name) {
  double sc = scale_of(want->data, want->n);
  int i;
  for (i = 0; i < want->n; i++)
    if (!CHECK(ref_close(got[i], want->data[i], sc, 1e-12)))
      fprintf(stderr, "    %s %s[%d]: %.17g vs %.17g\n", name, what, i,
              got[i], want->data[i]);
}

static void test_parity(void) {
  int k, i;
  for (k = 0; k < PARITY_NCASES; k++) {
    const parity_case *c = &parity_cases[k];
    double mbuf[64], sbuf[64];
    gaussreg *g;
    memcpy(mbuf, c->mean.data, sizeof(double) * (size_t)c->mean.n);
    memcpy(sbuf, c->std.data, sizeof(double) * (size_t)c->std.n);
    g = make(c->mean.ndim, c->mean.shape, mbuf, c->std.ndim, c->std.shape,
             sbuf, c->weight, 1, GAUSSREG_LOG_PER_PRECISION);
    double *xv = (double *)malloc(sizeof(double) * (size_t)c->value.n);
    double *gx = (double *)malloc(sizeof(double) * (size_t)c->value.n);
    double *gm = (double *)malloc(sizeof(double) * (size_t)c->mean.n);
    double *gp = (double *)malloc(sizeof(double) * (size_t)c->precision.n);
    float *xf = (float *)malloc(sizeof(float) * (size_t)c->value.n);
    double loss = 0, loss2 = 0, gw = 0;
    gaussreg_array x, gxa, gma, gpa;
    gaussreg_error err;
    const double *prec = (const double *)gaussreg_precision(g)->data;
    memcpy(xv, c->value.data, sizeof(double) * (size_t)c->value.n);
    x = view(xv, GAUSSREG_F64, c->value.ndim, c->value.shape);
    gxa = view(gx, GAUSSREG_F64, c->value.ndim, c->value.shape);
    gma = view(gm, GAUSSREG_F64, c->mean.ndim, c->mean.shape);
    gpa = view(gp, GAUSSREG_F64, c->precision.ndim, c->precision.shape);
    for (i = 0; i < c->precision.n; i++)
      CHECK_NEAR(prec[i], c->precision.data[i], 1e-15);
    CHECK_EQ_INT(gaussreg_loss(g, &x, &loss, &err), GAUSSREG_OK);
    CHECK_NEAR(loss, c->loss, 1e-12);
    memset(gx, 0, sizeof(double) * (size_t)c->value.n);
    CHECK_EQ_INT(gaussreg_grad(g, &x, &gxa, &err), GAUSSREG_OK);
    check_arr(&c->grad, gx, "grad", c->name);
    memset(gx, 0, sizeof(double) * (size_t)c->value.n);
    CHECK_EQ_INT(gaussreg_loss_and_grad(g, &x, &loss2, &gxa, &err),
                 GAUSSREG_OK);
    CHECK_NEAR(loss2, c->loss, 1e-12);
    check_arr(&c->grad, gx, "loss_and_grad", c->name);
    CHECK_EQ_INT(gaussreg_hyper_grad(g, &x, &gma, &gpa, &gw, &err),
                 GAUSSREG_OK);
    check_arr(&c->grad_mean, gm, "grad_mean", c->name);
    check_arr(&c->grad_precision, gp, "grad_precision", c->name);
    CHECK_NEAR(gw, c->grad_weight, 1e-12);
    /* float32 value: same as the float64 loss of the rounded values */
    {
      double lf = 0, lr = 0;
      gaussreg_array xa32 = view(xf, GAUSSREG_F32, c->value.ndim,
                                 c->value.shape);
      for (i = 0; i < c->value.n; i++) {
        xf[i] = (float)xv[i];
        xv[i] = (double)xf[i];
      }
      CHECK_EQ_INT(gaussreg_loss(g, &xa32, &lf, &err), GAUSSREG_OK);
      CHECK_EQ_INT(gaussreg_loss(g, &x, &lr, &err), GAUSSREG_OK);
      CHECK_NEAR(lf, lr, 1e-15);
    }
    free(xv);
    free(gx);
    free(gm);
    free(gp);
    free(xf);
    gaussreg_destroy(g);
  }
}

/* ---- hand-computed values ----------------------------------------------- */

static void test_hand(void) {
  /* mean 1, std 0.5: precision = 1/(0.25 + 1e-8), prec = that + 1e-6;
     x = (2, 0, 1, 3): sum (x-m)^2 = 1 + 1 + 0 + 4 = 6 */
  double m = 1.0, s = 0.5, xv[4] = {2, 0, 1, 3}, gx[4], loss = 0;
  double prec = 1.0 / (0.25 + 1e-8) + 1e-6;
  int64_t n4 = 4;
  gaussreg *g = make(0, NULL, &m, 0, NULL, &s, 0.5, 1,
                     GAUSSREG_LOG_PER_PRECISION);
  gaussreg_array x = view(xv, GAUSSREG_F64, 1, &n4);
  gaussreg_array ga = view(gx, GAUSSREG_F64, 1, &n4);
  double gm = 0, gp = 0, gw = 0;
  gaussreg_array gma = view(&gm, GAUSSREG_F64, 0, NULL);
  gaussreg_array gpa = view(&gp, GAUSSREG_F64, 0, NULL);
  CHECK_EQ_INT(gaussreg_loss(g, &x, &loss, NULL), GAUSSREG_OK);
  CHECK_NEAR(loss, 0.5 * (prec * 6.0 - log(prec)), 1e-15);
  CHECK_NEAR(loss, 11.3068528194400555 + 0.5 * (6.0 * (prec - 4.0)) -
                       0.5 * (log(prec) - log(4.0)), 1e-12);
  CHECK_EQ_INT(gaussreg_grad(g, &x, &ga, NULL), GAUSSREG_OK);
  CHECK_NEAR(gx[0], 0.5 * 2.0 * prec * 1.0, 1e-15);
  CHECK_NEAR(gx[1], -prec, 1e-15);
  CHECK(gx[2] == 0.0);
  CHECK_NEAR(gx[3], 2.0 * prec, 1e-15);
  CHECK_EQ_INT(gaussreg_hyper_grad(g, &x, &gma, &gpa, &gw, NULL),
               GAUSSREG_OK);
  /* dL/dmean = -sum grad = -(1 - 1 + 0 + 2) * prec */
  CHECK_NEAR(gm, -2.0 * prec, 1e-15);
  CHECK_NEAR(gp, 0.5 * (6.0 - 1.0 / prec), 1e-15);
  CHECK_NEAR(gw, prec * 6.0 - log(prec), 1e-15);
  /* per-element mode: the log term counts 4 times */
  CHECK_EQ_INT(gaussreg_set_log_mode(g, GAUSSREG_LOG_PER_ELEMENT, NULL),
               GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_loss(g, &x, &loss, NULL), GAUSSREG_OK);
  CHECK_NEAR(loss, 0.5 * (prec * 6.0 - 4.0 * log(prec)), 1e-15);
  CHECK_EQ_INT(gaussreg_hyper_grad(g, &x, &gma, &gpa, &gw, NULL),
               GAUSSREG_OK);
  CHECK_NEAR(gp, 0.5 * (6.0 - 4.0 / prec), 1e-15);
  CHECK_NEAR(gw, prec * 6.0 - 4.0 * log(prec), 1e-15);
  gaussreg_destroy(g);
}

/* Precision <= 0 (std huge -> tiny positive; set_precision negative): the
** relu zeroes the precision gradient and prec = 1e-6 exactly. */
static void test_relu(void) {
  double m[2] = {0, 0}, s[2] = {1, 1}, pr[2] = {-3.0, 2.0};
  double xv[2] = {1.0, -2.0}, gp[2] = {9, 9}, loss = 0;
  int64_t n2 = 2;
  gaussreg *g = make(1, &n2, m, 1, &n2, s, 1.0, 1, GAUSSREG_LOG_PER_PRECISION);
  gaussreg_array pa = view(pr, GAUSSREG_F64, 1, &n2);
  gaussreg_array x = view(xv, GAUSSREG_F64, 1, &n2);
  gaussreg_array gpa = view(gp, GAUSSREG_F64, 1, &n2);
  gaussreg_error err;
  int rc = gaussreg_set_precision(g, &pa, &err);
  CHECK_EQ_INT(rc, GAUSSREG_OK);
  if (rc == GAUSSREG_OK) {
    double p1 = 2.0 + 1e-6;
    CHECK_EQ_INT(gaussreg_loss(g, &x, &loss, NULL), GAUSSREG_OK);
    CHECK_NEAR(loss, 1e-6 * 1.0 + p1 * 4.0 - log(1e-6) - log(p1), 1e-14);
    CHECK_EQ_INT(gaussreg_hyper_grad(g, &x, NULL, &gpa, NULL, NULL),
                 GAUSSREG_OK);
    CHECK(gp[0] == 0.0);
    CHECK_NEAR(gp[1], 4.0 - 1.0 / p1, 1e-15);
  }
  gaussreg_destroy(g);
}

/* ---- finite differences ------------------------------------------------- */

static double loss_of(const gaussreg *g, const gaussreg_array *x) {
  double l = NAN;
  CHECK_EQ_INT(gaussreg_loss(g, x, &l, NULL), GAUSSREG_OK);
  return l;
}

/* A broadcast case: x (3,1,4) with mean (5,1) and std (4) -> B (3,5,4);
** gradients of x, mean, precision and weight vs central differences. */
static void fd_case(gaussreg_log_mode mode) {
  int64_t xs[3] = {3, 1, 4}, ms[2] = {5, 1}, ss[1] = {4};
  double xv[12], m[5], s[4], gx[12], gm[5], gp[4], gw = 0;
  double h = 1e-6;
  int i;
  gaussreg *g;
  gaussreg_array x, ga, gma, gpa;
  for (i = 0; i < 12; i++) xv[i] = sin(1.7 * i) * 1.3;
  for (i = 0; i < 5; i++) m[i] = 0.2 * i - 0.4;
  for (i = 0; i < 4; i++) s[i] = 0.6 + 0.3 * i;
  g = make(2, ms, m, 1, ss, s, 0.7, 1, mode);
  x = view(xv, GAUSSREG_F64, 3, xs);
  ga = view(gx, GAUSSREG_F64, 3, xs);
  gma = view(gm, GAUSSREG_F64, 2, ms);
  gpa = view(gp, GAUSSREG_F64, 1, ss);
  CHECK_EQ_INT(gaussreg_grad(g, &x, &ga, NULL), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_hyper_grad(g, &x, &gma, &gpa, &gw, NULL),
               GAUSSREG_OK);
  for (i = 0; i < 12; i++) {
    double o = xv[i], lp, lm;
    xv[i] = o + h;
    lp = loss_of(g, &x);
    xv[i] = o - h;
    lm = loss_of(g, &x);
    xv[i] = o;
    CHECK(ref_close(gx[i], (lp - lm) / (2 * h), fabs(gx[i]) + 0.1, 1e-6));
  }
  for (i = 0; i < 5; i++) {
    double mm[5], lp, lm;
    gaussreg_array mv = view(mm, GAUSSREG_F64, 2, ms);
    memcpy(mm, gaussreg_mean(g)->data, sizeof mm);
    mm[i] += h;
    CHECK_EQ_INT(gaussreg_set_mean(g, &mv, NULL), GAUSSREG_OK);
    lp = loss_of(g, &x);
    mm[i] -= 2 * h;
    CHECK_EQ_INT(gaussreg_set_mean(g, &mv, NULL), GAUSSREG_OK);
    lm = loss_of(g, &x);
    mm[i] += h;
    CHECK_EQ_INT(gaussreg_set_mean(g, &mv, NULL), GAUSSREG_OK);
    CHECK(ref_close(gm[i], (lp - lm) / (2 * h), fabs(gm[i]) + 0.1, 1e-6));
  }
  for (i = 0; i < 4; i++) {
    double pp[4], lp, lm, hp;
    gaussreg_array pv = view(pp, GAUSSREG_F64, 1, ss);
    memcpy(pp, gaussreg_precision(g)->data, sizeof pp);
    hp = 1e-6 * pp[i];
    pp[i] += hp;
    CHECK_EQ_INT(gaussreg_set_precision(g, &pv, NULL), GAUSSREG_OK);
    lp = loss_of(g, &x);
    pp[i] -= 2 * hp;
    CHECK_EQ_INT(gaussreg_set_precision(g, &pv, NULL), GAUSSREG_OK);
    lm = loss_of(g, &x);
    pp[i] += hp;
    CHECK_EQ_INT(gaussreg_set_precision(g, &pv, NULL), GAUSSREG_OK);
    CHECK_NEAR(gp[i], (lp - lm) / (2 * hp), 1e-6);
  }
  {
    double lp, lm;
    CHECK_EQ_INT(gaussreg_set_weight(g, 0.7 + h, NULL), GAUSSREG_OK);
    lp = loss_of(g, &x);
    CHECK_EQ_INT(gaussreg_set_weight(g, 0.7 - h, NULL), GAUSSREG_OK);
    lm = loss_of(g, &x);
    CHECK_NEAR(gw, (lp - lm) / (2 * h), 1e-7);
  }
  gaussreg_destroy(g);
}

static void test_fd(void) {
  fd_case(GAUSSREG_LOG_PER_PRECISION);
  fd_case(GAUSSREG_LOG_PER_ELEMENT);
}

/* ---- broadcasting and layouts vs the oracle ----------------------------- */

static void compare_ref(gaussreg *g, const gaussreg_array *x) {
  ref_result r;
  double loss = 0, loss2 = 0, gw = 0;
  int64_t nx, i;
  double *gx, *gm, *gp;
  float *gx32;
  gaussreg_array ga, ga32, gma, gpa;
  const gaussreg_array *mean = gaussreg_mean(g), *prec = gaussreg_precision(g);
  CHECK_EQ_INT(ref_eval(g, x, &r), 0);
  nx = r.nx;
  gx = (double *)calloc((size_t)nx + 1, sizeof(double));
  gx32 = (float *)calloc((size_t)nx + 1, sizeof(float));
  gm = (double *)calloc((size_t)r.nm + 1, sizeof(double));
  gp = (double *)calloc((size_t)r.np + 1, sizeof(double));
  ga = view(gx, GAUSSREG_F64, x->ndim, x->shape);
  ga32 = view(gx32, GAUSSREG_F32, x->ndim, x->shape);
  gma = view(gm, GAUSSREG_F64, mean->ndim, mean->shape);
  gpa = view(gp, GAUSSREG_F64, prec->ndim, prec->shape);
  CHECK_EQ_INT(gaussreg_loss(g, x, &loss, NULL), GAUSSREG_OK);
  if (!CHECK(ref_close(loss, r.loss, fabs(r.loss) + r.Sabs, 1e-14)))
    fprintf(stderr, "    loss %.17g vs %.17g\n", loss, r.loss);
  CHECK_EQ_INT(gaussreg_loss_and_grad(g, x, &loss2, &ga, NULL), GAUSSREG_OK);
  CHECK(ref_close(loss2, r.loss, fabs(r.loss) + r.Sabs, 1e-14));
  for (i = 0; i < nx; i++)
    if (!CHECK(ref_close(gx[i], r.gx[i], r.gxa[i], 1e-14)))
      fprintf(stderr, "    gx[%lld] %.17g vs %.17g\n", (long long)i, gx[i],
              r.gx[i]);
  CHECK_EQ_INT(gaussreg_grad(g, x, &ga32, NULL), GAUSSREG_OK);
  for (i = 0; i < nx; i++) CHECK(gx32[i] == (float)gx[i]);
  if (gaussreg_fit_hyper(g)) {
    CHECK_EQ_INT(gaussreg_hyper_grad(g, x, &gma, &gpa, &gw, NULL),
                 GAUSSREG_OK);
    CHECK(ref_close(gw, r.gweight, fabs(r.gweight) + r.Sabs, 1e-14));
    for (i = 0; i < r.nm; i++)
      CHECK(ref_close(gm[i], r.gm[i], r.gma[i], 1e-14));
    for (i = 0; i < r.np; i++)
      CHECK(ref_close(gp[i], r.gp[i], r.gpa[i], 1e-14));
  }
  ref_free(&r);
  free(gx);
  free(gx32);
  free(gm);
  free(gp);
}

static void test_broadcast(void) {
  double buf[400], m[24], s[24];
  int i;
  for (i = 0; i < 400; i++) buf[i] = cos(0.37 * i) * (1 + i % 7);
  for (i = 0; i < 24; i++) {
    m[i] = 0.1 * i - 1;
    s[i] = 0.5 + 0.05 * i;
  }
  {
    /* x (2,3,4) contiguous / transposed / negative / zero strides,
       mean (3,1), std (4) */
    int64_t xs[3] = {2, 3, 4}, ms[2] = {3, 1}, ss[1] = {4};
    gaussreg *g = make(2, ms, m, 1, ss, s, 1.3, 1, GAUSSREG_LOG_PER_ELEMENT);
    gaussreg_array x = view(buf, GAUSSREG_F64, 3, xs);
    compare_ref(g, &x);
    x.strides[0] = 1; /* transposed layout */
    x.strides[1] = 2;
    x.strides[2] = 6;
    compare_ref(g, &x);
    x.data = buf + 399; /* every stride negative */
    x.strides[0] = -40;
    x.strides[1] = -9;
    x.strides[2] = -2;
    compare_ref(g, &x);
    x.data = buf + 5; /* a zero stride on a full dimension */
    x.strides[0] = 0;
    x.strides[1] = 7;
    x.strides[2] = -1;
    compare_ref(g, &x);
    gaussreg_destroy(g);
  }
  {
    /* x broadcast: x (3,1) and x () against mean (2,3,4): reductions */
    int64_t xs[2] = {3, 1}, ms[3] = {2, 3, 4};
    double one = 1.0;
    gaussreg *g = make(3, ms, m, 0, NULL, &one, 0.9, 1,
                       GAUSSREG_LOG_PER_PRECISION);
    gaussreg_array x = view(buf, GAUSSREG_F64, 2, xs);
    compare_ref(g, &x);
    x = view(buf, GAUSSREG_F64, 0, NULL);
    compare_ref(g, &x);
    x = view(buf, GAUSSREG_F64, 2, xs);
    x.strides[0] = -3;
    x.data = buf + 10;
    compare_ref(g, &x);
    gaussreg_destroy(g);
  }
  {
    /* a float32 x of shape (1,5) with size-1 axes on everything */
    float xf[5] = {1.5f, -2.25f, 0.125f, 3.0f, -0.5f};
    int64_t xs[2] = {1, 5}, ms[3] = {1, 1, 5}, ss[2] = {4, 1};
    gaussreg *g = make(3, ms, m, 2, ss, s, 2.0, 1, GAUSSREG_LOG_PER_ELEMENT);
    gaussreg_array x = view(xf, GAUSSREG_F32, 2, xs);
    compare_ref(g, &x);
    gaussreg_destroy(g);
  }
  {
    /* empty broadcast: mean (0,3), x (3) -> B (0,3): loss is the log term,
       gradients of x are 0 */
    int64_t xs[1] = {3}, ms[2] = {0, 3};
    double one = 1.0;
    gaussreg *g = make(2, ms, m, 0, NULL, &one, 1.0, 1,
                       GAUSSREG_LOG_PER_PRECISION);
    gaussreg_array x = view(buf, GAUSSREG_F64, 1, xs);
    compare_ref(g, &x);
    gaussreg_destroy(g);
  }
}

/* gx may alias x exactly (in place), also when x is broadcast. */
static void test_alias(void) {
  double m[3] = {1, 2, 3}, s = 0.5, xv[3] = {0.5, 2.5, 2}, want[3];
  double loss = 0, loss2 = 0;
  int64_t n3 = 3, one = 1;
  int i;
  gaussreg *g = make(1, &n3, m, 0, NULL, &s, 1.5, 0,
                     GAUSSREG_LOG_PER_PRECISION);
  gaussreg_array x = view(xv, GAUSSREG_F64, 1, &n3);
  gaussreg_array o = view(want, GAUSSREG_F64, 1, &n3);
  CHECK_EQ_INT(gaussreg_loss_and_grad(g, &x, &loss, &o, NULL), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_loss_and_grad(g, &x, &loss2, &x, NULL), GAUSSREG_OK);
  CHECK(loss == loss2);
  for (i = 0; i < 3; i++) CHECK(xv[i] == want[i]);
  {
    double xb = 2.0, gb = 0.0, prec = 1.0 / (0.25 + 1e-8) + 1e-6;
    gaussreg_array x1 = view(&xb, GAUSSREG_F64, 1, &one);
    gaussreg_array g1 = view(&gb, GAUSSREG_F64, 1, &one);
    CHECK_EQ_INT(gaussreg_grad(g, &x1, &g1, NULL), GAUSSREG_OK);
    CHECK_NEAR(gb, 1.5 * 2.0 * prec * (1.0 + 0.0 - 1.0), 1e-15);
    CHECK_EQ_INT(gaussreg_loss_and_grad(g, &x1, &loss, &x1, NULL),
                 GAUSSREG_OK);
    CHECK(xb == gb);
    CHECK_NEAR(loss, 1.5 * (prec * 2.0 - log(prec)), 1e-15);
  }
  gaussreg_destroy(g);
}

/* NaN and Inf in x flow through (IEEE), they are not errors. */
static void test_nonfinite(void) {
  double m = 0, s = 1, xv[5] = {1, 2, NAN, 4, 5}, gx[5], loss = 0;
  int64_t n5 = 5;
  gaussreg *g = make(0, NULL, &m, 0, NULL, &s, 1.0, 0,
                     GAUSSREG_LOG_PER_PRECISION);
  gaussreg_array x = view(xv, GAUSSREG_F64, 1, &n5);
  gaussreg_array ga = view(gx, GAUSSREG_F64, 1, &n5);
  CHECK_EQ_INT(gaussreg_loss_and_grad(g, &x, &loss, &ga, NULL), GAUSSREG_OK);
  CHECK(isnan(loss));
  CHECK(isnan(gx[2]) && isfinite(gx[1]) && isfinite(gx[3]));
  xv[2] = INFINITY;
  CHECK_EQ_INT(gaussreg_loss(g, &x, &loss, NULL), GAUSSREG_OK);
  CHECK(isinf(loss) && loss > 0);
  xv[2] = -INFINITY;
  CHECK_EQ_INT(gaussreg_loss_and_grad(g, &x, &loss, &ga, NULL), GAUSSREG_OK);
  CHECK(isinf(loss) && loss > 0);
  CHECK(isinf(gx[2]) && gx[2] < 0);
  gaussreg_destroy(g);
}

/* A weight near DBL_MAX: 2*weight overflows, the gradients need not
** (2*w*p*d with p*d = 0.25 is 0.5*DBL_MAX), and an empty value has zero
** hyper-gradients, not inf*0 = NaN. Found by fuzz_capi. */
static void test_huge_weight(void) {
  double m = 0, s = 1, xv[33], gx[33], gm = 1, gp = 1, gw = 1, want;
  int64_t n = 33, zero[2] = {3, 0};
  gaussreg *g = make(0, NULL, &m, 0, NULL, &s, DBL_MAX, 1,
                     GAUSSREG_LOG_PER_ELEMENT);
  gaussreg_array x = view(xv, GAUSSREG_F64, 1, &n);
  gaussreg_array ga = view(gx, GAUSSREG_F64, 1, &n);
  gaussreg_array empty = view(xv, GAUSSREG_F64, 2, zero);
  gaussreg_array gma = view(&gm, GAUSSREG_F64, 0, NULL);
  gaussreg_array gpa = view(&gp, GAUSSREG_F64, 0, NULL);
  int isa, i;
  for (i = 0; i < 33; i++) xv[i] = 0.25;
  want = 2.0 * (DBL_MAX * ((1.0 / (1.0 + 1e-8) + 1e-6) * 0.25));
  CHECK(isfinite(want));
  for (isa = GAUSSREG_ISA_SCALAR; isa <= GAUSSREG_ISA_WASM128; isa++) {
    if (!gaussreg_isa_supported((gaussreg_isa)isa)) continue;
    gaussreg_set_isa(g, (gaussreg_isa)isa, NULL);
    CHECK_EQ_INT(gaussreg_grad(g, &x, &ga, NULL), GAUSSREG_OK);
    CHECK(gx[0] == want && gx[32] == want); /* SIMD body and tail */
  }
  CHECK_EQ_INT(gaussreg_hyper_grad(g, &empty, &gma, &gpa, &gw, NULL),
               GAUSSREG_OK);
  CHECK(gm == 0.0 && gp == 0.0 && gw == 0.0);
  gaussreg_destroy(g);
}

/* ---- errors ------------------------------------------------------------- */

static void test_errors(void) {
  double m[2] = {0, 1}, s[2] = {1, 1}, xv[12] = {0}, gx[12], loss = 0;
  int64_t n2 = 2, s43[2] = {4, 3}, s34[2] = {3, 4}, n3 = 3;
  gaussreg *g = make(1, &n2, m, 1, &n2, s, 1.0, 0, GAUSSREG_LOG_PER_PRECISION);
  gaussreg *gf = make(1, &n2, m, 1, &n2, s, 1.0, 1, GAUSSREG_LOG_PER_PRECISION);
  gaussreg_array x2 = view(xv, GAUSSREG_F64, 1, &n2);
  gaussreg_array x43 = view(xv, GAUSSREG_F64, 2, s43);
  gaussreg_array g2 = view(gx, GAUSSREG_F64, 1, &n2);
  gaussreg_array g3 = view(gx, GAUSSREG_F64, 1, &n3);
  gaussreg_array g34 = view(gx, GAUSSREG_F64, 2, s34);
  gaussreg_error err;

  memset(&err, 0, sizeof err);
  CHECK_EQ_INT(gaussreg_loss(NULL, &x2, &loss, &err), GAUSSREG_EINVAL);
  CHECK_STR(err.arg, "self");
  CHECK_EQ_INT(gaussreg_loss(g, NULL, &loss, &err), GAUSSREG_EINVAL);
  CHECK_STR(err.arg, "value");
  CHECK_STR(err.msg, "is NULL");
  CHECK_EQ_INT(gaussreg_loss(g, &x2, NULL, &err), GAUSSREG_EINVAL);
  CHECK_STR(err.arg, "loss");
  CHECK_EQ_INT(gaussreg_loss(g, &x43, &loss, &err), GAUSSREG_ESHAPE);
  CHECK_EQ_INT(err.code, GAUSSREG_ESHAPE);
  CHECK_STR(err.arg, "value");
  CHECK_STR(err.msg, "shape (4,3) does not broadcast with mean shape (2)");
  CHECK_EQ_INT(gaussreg_loss(g, &x43, &loss, NULL), GAUSSREG_ESHAPE);
  {
    gaussreg_array bad = x2;
    bad.ndim = 9;
    CHECK_EQ_INT(gaussreg_loss(g, &bad, &loss, &err), GAUSSREG_ESHAPE);
    CHECK_STR(err.arg, "value");
    bad = x2;
    bad.dtype = (gaussreg_dtype)7;
    CHECK_EQ_INT(gaussreg_grad(g, &bad, &g2, &err), GAUSSREG_EINVAL);
    CHECK_STR(err.arg, "value");
    bad = x2;
    bad.data = NULL;
    CHECK_EQ_INT(gaussreg_loss(g, &bad, &loss, &err), GAUSSREG_EINVAL);
    bad = x2;
    bad.shape[0] = -1;
    CHECK_EQ_INT(gaussreg_loss(g, &bad, &loss, &err), GAUSSREG_ESHAPE);
  }
  /* outputs */
  CHECK_EQ_INT(gaussreg_grad(g, &x2, NULL, &err), GAUSSREG_EINVAL);
  CHECK_STR(err.arg, "out");
  CHECK_STR(err.msg, "is NULL");
  CHECK_EQ_INT(gaussreg_grad(g, &x2, &g3, &err), GAUSSREG_ESHAPE);
  CHECK_STR(err.arg, "out");
  CHECK_STR(err.msg, "shape (3) does not match value shape (2)");
  CHECK_EQ_INT(gaussreg_loss_and_grad(g, &x43, &loss, &g34, &err),
               GAUSSREG_ESHAPE);
  CHECK_STR(err.arg, "value");
  CHECK_EQ_INT(gaussreg_loss_and_grad(g, &x2, NULL, &g2, &err),
               GAUSSREG_EINVAL);
  CHECK_STR(err.arg, "loss");
  {
    gaussreg_array z = g2;
    z.strides[0] = 0; /* an output may not repeat elements */
    CHECK_EQ_INT(gaussreg_grad(g, &x2, &z, &err), GAUSSREG_ESHAPE);
    CHECK_STR(err.arg, "out");
    z = view(xv + 1, GAUSSREG_F64, 1, &n2); /* overlaps x, not an alias */
    CHECK_EQ_INT(gaussreg_grad(g, &x2, &z, &err), GAUSSREG_ESHAPE);
    CHECK_STR(err.arg, "out");
    CHECK_STR(err.msg, "overlaps value (only an exact alias is allowed)");
  }
  /* hyper_grad */
  CHECK_EQ_INT(gaussreg_hyper_grad(g, &x2, &g2, NULL, NULL, &err),
               GAUSSREG_EFIXED);
  CHECK_EQ_INT(err.code, GAUSSREG_EFIXED);
  CHECK_STR(err.arg, "self");
  CHECK_STR(err.msg,
            "hyperparameters are fixed: construct with fit_hyper = true");
  CHECK_EQ_INT(gaussreg_hyper_grad(NULL, &x2, &g2, NULL, NULL, &err),
               GAUSSREG_EINVAL);
  CHECK_EQ_INT(gaussreg_hyper_grad(gf, &x43, NULL, NULL, NULL, &err),
               GAUSSREG_ESHAPE);
  CHECK_STR(err.msg, "shape (4,3) does not broadcast with mean shape (2)");
  CHECK_EQ_INT(gaussreg_hyper_grad(gf, &x2, &g3, NULL, NULL, &err),
               GAUSSREG_ESHAPE);
  CHECK_STR(err.arg, "gmean");
  CHECK_STR(err.msg, "shape (3) does not match mean shape (2)");
  CHECK_EQ_INT(gaussreg_hyper_grad(gf, &x2, NULL, &g34, NULL, &err),
               GAUSSREG_ESHAPE);
  CHECK_STR(err.arg, "gprec");
  CHECK_STR(err.msg, "shape (3,4) does not match precision shape (2)");
  {
    double other[2];
    gaussreg_array o2 = view(other, GAUSSREG_F64, 1, &n2);
    gaussreg_array ov = view(gx + 1, GAUSSREG_F64, 1, &n2);
    CHECK_EQ_INT(gaussreg_hyper_grad(gf, &x2, &x2, NULL, NULL, &err),
                 GAUSSREG_ESHAPE);
    CHECK_STR(err.arg, "gmean");
    CHECK_STR(err.msg, "overlaps value");
    CHECK_EQ_INT(gaussreg_hyper_grad(gf, &x2, &g2, &ov, NULL, &err),
                 GAUSSREG_ESHAPE);
    CHECK_STR(err.arg, "gprec");
    CHECK_STR(err.msg, "overlaps gmean");
    /* all outputs optional; NULLs are fine */
    CHECK_EQ_INT(gaussreg_hyper_grad(gf, &x2, NULL, &o2, NULL, &err),
                 GAUSSREG_OK);
    CHECK_EQ_INT(gaussreg_hyper_grad(gf, &x2, NULL, NULL, NULL, &err),
                 GAUSSREG_OK);
  }
  gaussreg_destroy(g);
  gaussreg_destroy(gf);
}

int main(void) {
  test_parity();
  test_hand();
  test_relu();
  test_fd();
  test_broadcast();
  test_alias();
  test_nonfinite();
  test_huge_weight();
  test_errors();
  return check_done("test_eval");
}
