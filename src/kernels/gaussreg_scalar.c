/*
** gaussreg_scalar.c -- the reference kernels: plain C, any strides, every
** dtype. The SIMD sets fall back to these for the cases they do not take.
*/
#include "kernels/gaussreg_kernels.h"

#define XAT(i) (xt == GAUSSREG_F32 ? (double)xf[(i) * sx] : xd[(i) * sx])

/* Sums over the run in blocks; within a block four accumulators take
** interleaved elements. The term is written once per kind so that the loop
** bodies stay branch-free. */
#define GAUSSREG__SUM_LOOP(TERM)                                           \
  while (i < n) {                                                          \
    int64_t end = n - i > GAUSSREG__BLOCK ? i + GAUSSREG__BLOCK : n;       \
    double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;                        \
    for (; i + 4 <= end; i += 4) {                                         \
      a0 += TERM(i);                                                       \
      a1 += TERM(i + 1);                                                   \
      a2 += TERM(i + 2);                                                   \
      a3 += TERM(i + 3);                                                   \
    }                                                                      \
    for (; i < end; i++) a0 += TERM(i);                                    \
    gaussreg__acc_add(acc, (a0 + a1) + (a2 + a3));                         \
  }

static inline double term_loss(double x, double m, double p) {
  double d = x - m, t = p * d;
  return t * d;
}
static inline double term_pd(double x, double m, double p) {
  return p * (x - m);
}
static inline double term_dd(double x, double m, double p) {
  double d = x - m;
  (void)p;
  return d * d;
}

#define T_LOSS(i) term_loss(XAT(i), m[(i) * sm], p[(i) * sp])
#define T_PD(i) term_pd(XAT(i), m[(i) * sm], p[(i) * sp])
#define T_DD(i) term_dd(XAT(i), m[(i) * sm], p[(i) * sp])

void gaussreg__sum_scalar(gaussreg__acc *acc, int kind, int64_t n,
                          const void *x, gaussreg_dtype xt, int64_t sx,
                          const double *m, int64_t sm, const double *p,
                          int64_t sp) {
  const double *xd = (const double *)x; /* read as xt says */
  const float *xf = (const float *)x;
  int64_t i = 0;
  if (kind == GAUSSREG__K_LOSS) {
    GAUSSREG__SUM_LOOP(T_LOSS)
  } else if (kind == GAUSSREG__K_PD) {
    GAUSSREG__SUM_LOOP(T_PD)
  } else {
    GAUSSREG__SUM_LOOP(T_DD)
  }
}

void gaussreg__grad_scalar(gaussreg__acc *acc, int64_t n, const void *x,
                           gaussreg_dtype xt, int64_t sx, const double *m,
                           int64_t sm, const double *p, int64_t sp, void *g,
                           gaussreg_dtype gt, int64_t sg, double w) {
  const double *xd = (const double *)x; /* read as xt says */
  const float *xf = (const float *)x;
  double *gd = (double *)g; /* written as gt says */
  float *gf = (float *)g;
  int64_t i = 0;
  while (i < n) {
    int64_t end = n - i > GAUSSREG__BLOCK ? i + GAUSSREG__BLOCK : n;
    double a[4] = {0.0, 0.0, 0.0, 0.0};
    for (; i < end; i++) {
      /* read everything before writing: g may alias x exactly */
      double d = XAT(i) - m[i * sm];
      double t = p[i * sp] * d;
      double u = w * t, v = u + u; /* 2*(w*t): 2*w may overflow */
      if (gt == GAUSSREG_F64)
        gd[i * sg] = v;
      else
        gf[i * sg] = (float)v;
      a[i & 3] += t * d;
    }
    if (acc) gaussreg__acc_add(acc, (a[0] + a[1]) + (a[2] + a[3]));
  }
}

const gaussreg__kernels gaussreg__kernels_scalar = {
    GAUSSREG_ISA_SCALAR, gaussreg__sum_scalar, gaussreg__grad_scalar};
