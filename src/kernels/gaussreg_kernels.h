/*
** gaussreg_kernels.h -- the 1-D compute kernels behind loss/grad/hyper_grad
** and the table that binds one instruction set's kernels; not installed.
**
** gaussreg_eval.c walks the broadcast of x, mean and precision with an n-d
** iterator and hands every innermost run to one of two kernels:
**
**   sum   acc += sum over the run of a term (kind):
**           GAUSSREG__K_LOSS  p*d*d    (computed as t = p*d; t*d)
**           GAUSSREG__K_PD    p*d      (t)
**           GAUSSREG__K_DD    d*d
**         with d = x - m, p = prec_eff.
**   grad  g[i] = u + u    (u = weight*t, t = p*d: 2*weight*t without ever
**         forming 2*weight, which overflows for |weight| > DBL_MAX/2), and
**         when acc is not NULL also acc += sum t*d (the fused
**         loss_and_grad), summed exactly as sum sums the loss kind: both
**         kernels of a set run one loop and take the same cases.
**
** x is float64 or float32 (converted exactly to float64), strides are in
** elements and may be anything (negative, zero). Every kernel sums in float64
** with several accumulators over blocks of GAUSSREG__BLOCK elements and adds
** each block's sum to a Neumaier-compensated accumulator, so the error stays
** around (BLOCK/lanes + 2) ulps of the sum of |terms| whatever n is.
**
** The same formulas (t = p*d, term = t*d, g = w*t doubled) are used by every
** instruction set and no product is ever fused into an FMA (gaussreg_fp.h),
** so elementwise outputs are bit-identical across sets and sums differ only
** by summation order. SIMD kernels take the contiguous cases (x stride 1,
** mean and precision stride 0 or 1; any output stride) and pass everything
** else to the scalar kernels.
*/
#ifndef gaussreg_kernels_h
#define gaussreg_kernels_h

#include <math.h>
#include <stdint.h>

#include "gaussreg.h"
#include "gaussreg_fp.h"

/* Elements per block of the blocked summation (a multiple of 32). */
#if !defined(GAUSSREG__BLOCK)
#define GAUSSREG__BLOCK 1024
#endif

/* Term kinds of the sum kernel. */
#define GAUSSREG__K_LOSS 0
#define GAUSSREG__K_PD 1
#define GAUSSREG__K_DD 2

/* Which SIMD files compile to real kernels on this target/compiler. */
#if (defined(__x86_64__) || defined(_M_X64)) && !defined(__EMSCRIPTEN__)
#define GAUSSREG__HAVE_SSE2 1
#else
#define GAUSSREG__HAVE_SSE2 0
#endif
#if (defined(__x86_64__) || defined(__i386__)) &&                          \
    (defined(__GNUC__) || defined(__clang__)) && !defined(__EMSCRIPTEN__)
#define GAUSSREG__HAVE_AVX2 1
#elif defined(_MSC_VER) && defined(_M_X64)
/* MSVC compiles AVX2 intrinsics in any function; never tested (see
** docs/windows.md: MinGW-w64 is the tested Windows toolchain). */
#define GAUSSREG__HAVE_AVX2 1
#else
#define GAUSSREG__HAVE_AVX2 0
#endif
#if defined(__wasm_simd128__)
#define GAUSSREG__HAVE_WASM128 1
#else
#define GAUSSREG__HAVE_WASM128 0
#endif
#if defined(__aarch64__) && defined(__ARM_NEON) && !defined(__EMSCRIPTEN__)
#define GAUSSREG__HAVE_NEON 1
#else
#define GAUSSREG__HAVE_NEON 0
#endif

/* A Neumaier-compensated sum: the value is s + c. */
typedef struct gaussreg__acc {
  double s, c;
} gaussreg__acc;

static inline void gaussreg__acc_add(gaussreg__acc *a, double v) {
  double t = a->s + v;
  if (fabs(a->s) >= fabs(v))
    a->c += (a->s - t) + v;
  else
    a->c += (v - t) + a->s;
  a->s = t;
}

/* The value of an accumulator; an infinite or NaN sum is returned as is
** (its compensation would be NaN). */
static inline double gaussreg__acc_get(const gaussreg__acc *a) {
  return isfinite(a->s) ? a->s + a->c : a->s;
}

typedef void (*gaussreg__sum_fn)(gaussreg__acc *acc, int kind, int64_t n,
                                 const void *x, gaussreg_dtype xt, int64_t sx,
                                 const double *m, int64_t sm, const double *p,
                                 int64_t sp);
typedef void (*gaussreg__grad_fn)(gaussreg__acc *acc, int64_t n,
                                  const void *x, gaussreg_dtype xt, int64_t sx,
                                  const double *m, int64_t sm,
                                  const double *p, int64_t sp, void *g,
                                  gaussreg_dtype gt, int64_t sg, double w);

/* One instruction set's kernels. */
typedef struct gaussreg__kernels {
  gaussreg_isa isa;
  gaussreg__sum_fn sum;
  gaussreg__grad_fn grad;
} gaussreg__kernels;

/* gaussreg_scalar.c: the reference kernels (any strides). */
void gaussreg__sum_scalar(gaussreg__acc *acc, int kind, int64_t n,
                          const void *x, gaussreg_dtype xt, int64_t sx,
                          const double *m, int64_t sm, const double *p,
                          int64_t sp);
void gaussreg__grad_scalar(gaussreg__acc *acc, int64_t n, const void *x,
                           gaussreg_dtype xt, int64_t sx, const double *m,
                           int64_t sm, const double *p, int64_t sp, void *g,
                           gaussreg_dtype gt, int64_t sg, double w);
extern const gaussreg__kernels gaussreg__kernels_scalar;
#if GAUSSREG__HAVE_SSE2
extern const gaussreg__kernels gaussreg__kernels_sse2;
#endif
#if GAUSSREG__HAVE_AVX2
extern const gaussreg__kernels gaussreg__kernels_avx2;
#endif
#if GAUSSREG__HAVE_WASM128
extern const gaussreg__kernels gaussreg__kernels_wasm128;
#endif
#if GAUSSREG__HAVE_NEON
extern const gaussreg__kernels gaussreg__kernels_neon;
#endif

/* gaussreg_dispatch.c: the table of a supported set (AUTO: the best);
** the scalar table for anything else. */
const gaussreg__kernels *gaussreg__kernels_get(gaussreg_isa isa);

#endif
