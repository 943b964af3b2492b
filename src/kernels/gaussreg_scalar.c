/*
** gaussreg_scalar.c -- the reference kernels: plain C, any strides, every
** dtype. The SIMD sets fall back to these for the cases they do not take.
**
** The sum and the grad kernel run one loop (body below), so the loss sum
** of loss_and_grad has the bits of loss's: per block of GAUSSREG__BLOCK
** elements, four accumulators take interleaved elements (a0 the 1st, 5th,
** ..., a3 the 4th, 8th, ...), the last n % 4 elements go to a0, and the
** block adds (a0 + a1) + (a2 + a3) to acc.
*/
#include "kernels/gaussreg_kernels.h"

#if defined(__GNUC__) || defined(__clang__)
#define GAUSSREG__INLINE static inline __attribute__((always_inline))
#else
#define GAUSSREG__INLINE static inline
#endif

#define RND gaussreg__rounded

/* The term of element i (kind K); with store, also g[i] = 2*w*t for the
** loss kind. Reads x[i] before writing g[i]: g may alias x exactly. */
GAUSSREG__INLINE double step(const int kind, const int store, int64_t i,
                             const void *x, gaussreg_dtype xt, int64_t sx,
                             const double *m, int64_t sm, const double *p,
                             int64_t sp, void *g, gaussreg_dtype gt,
                             int64_t sg, double w) {
  double xi = xt == GAUSSREG_F32 ? (double)((const float *)x)[i * sx]
                                 : ((const double *)x)[i * sx];
  double d = xi - m[i * sm], t;
  if (kind == GAUSSREG__K_DD) return RND(d * d);
  t = p[i * sp] * d;
  if (kind == GAUSSREG__K_PD) return RND(t);
  if (store) {
    double u = RND(w * t), v = u + u; /* 2*(w*t): 2*w may overflow */
    if (gt == GAUSSREG_F64)
      ((double *)g)[i * sg] = v;
    else
      ((float *)g)[i * sg] = (float)v;
  }
  return RND(t * d);
}

#define STEP(j)                                                            \
  step(kind, store, (j), x, xt, sx, m, sm, p, sp, g, gt, sg, w)

/* The one loop of both kernels; want: add the sums to acc. */
GAUSSREG__INLINE void body(gaussreg__acc *acc, const int kind,
                           const int store, const int want, int64_t n,
                           const void *x, gaussreg_dtype xt, int64_t sx,
                           const double *m, int64_t sm, const double *p,
                           int64_t sp, void *g, gaussreg_dtype gt,
                           int64_t sg, double w) {
  int64_t i = 0;
  while (i < n) {
    int64_t end = n - i > GAUSSREG__BLOCK ? i + GAUSSREG__BLOCK : n;
    double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;
    for (; i + 4 <= end; i += 4) {
      double e0 = STEP(i), e1 = STEP(i + 1), e2 = STEP(i + 2),
             e3 = STEP(i + 3);
      if (want) {
        a0 += e0;
        a1 += e1;
        a2 += e2;
        a3 += e3;
      }
    }
    for (; i < end; i++) {
      double e0 = STEP(i);
      if (want) a0 += e0;
    }
    if (want) gaussreg__acc_add(acc, (a0 + a1) + (a2 + a3));
  }
}

#undef STEP

void gaussreg__sum_scalar(gaussreg__acc *acc, int kind, int64_t n,
                          const void *x, gaussreg_dtype xt, int64_t sx,
                          const double *m, int64_t sm, const double *p,
                          int64_t sp) {
  if (kind == GAUSSREG__K_LOSS)
    body(acc, GAUSSREG__K_LOSS, 0, 1, n, x, xt, sx, m, sm, p, sp, NULL, xt,
         0, 0.0);
  else if (kind == GAUSSREG__K_PD)
    body(acc, GAUSSREG__K_PD, 0, 1, n, x, xt, sx, m, sm, p, sp, NULL, xt, 0,
         0.0);
  else
    body(acc, GAUSSREG__K_DD, 0, 1, n, x, xt, sx, m, sm, p, sp, NULL, xt, 0,
         0.0);
}

void gaussreg__grad_scalar(gaussreg__acc *acc, int64_t n, const void *x,
                           gaussreg_dtype xt, int64_t sx, const double *m,
                           int64_t sm, const double *p, int64_t sp, void *g,
                           gaussreg_dtype gt, int64_t sg, double w) {
  gaussreg__acc none = {0.0, 0.0}; /* want 0: never touched */
  if (acc)
    body(acc, GAUSSREG__K_LOSS, 1, 1, n, x, xt, sx, m, sm, p, sp, g, gt, sg,
         w);
  else
    body(&none, GAUSSREG__K_LOSS, 1, 0, n, x, xt, sx, m, sm, p, sp, g, gt,
         sg, w);
}

const gaussreg__kernels gaussreg__kernels_scalar = {
    GAUSSREG_ISA_SCALAR, gaussreg__sum_scalar, gaussreg__grad_scalar};
