/*
** gaussreg_sse2.c -- 2-lane float64 kernels for x86-64, whose baseline
** includes SSE2 (no run-time check needed). Compiles to nothing elsewhere.
*/
#include "kernels/gaussreg_kernels.h"

#if GAUSSREG__HAVE_SSE2
#include <emmintrin.h>

#define GAUSSREG__T(name) gaussreg__##name##_sse2
#define GAUSSREG__T_ISA GAUSSREG_ISA_SSE2
#define GAUSSREG__T_ATTR

#define VT __m128d
#define VW 2
#define V_LOAD(p) _mm_loadu_pd(p)
#define V_LOADF(p)                                                         \
  _mm_cvtps_pd(_mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)(p))))
#define V_STORE(p, v) _mm_storeu_pd((p), (v))
#define V_STOREF(p, v)                                                     \
  _mm_storel_epi64((__m128i *)(p), _mm_castps_si128(_mm_cvtpd_ps(v)))
#define V_SET1(d) _mm_set1_pd(d)
#define V_ZERO() _mm_setzero_pd()
#define V_ADD(a, b) _mm_add_pd((a), (b))
#define V_SUB(a, b) _mm_sub_pd((a), (b))
#define V_MUL(a, b) _mm_mul_pd((a), (b))
#define V_HSUM(v) gaussreg__hsum_sse2(v)
#define V_FENCE(v) gaussreg__fence_sse2(v)

static inline double gaussreg__hsum_sse2(__m128d v) {
  return _mm_cvtsd_f64(_mm_add_sd(v, _mm_unpackhi_pd(v, v)));
}

static inline __m128d gaussreg__fence_sse2(__m128d v) {
  __asm__("" : "+x"(v));
  return v;
}

#include "kernels/gaussreg_simd_tmpl.h"

#else
typedef int gaussreg__sse2_unavailable; /* ISO C: no empty file */
#endif
