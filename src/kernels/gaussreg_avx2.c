/*
** gaussreg_avx2.c -- 4-lane float64 kernels for x86 CPUs with AVX2, built
** with per-function target attributes so the file needs no -mavx2 (the
** dispatcher only calls them after cpuid + xgetbv say so). Compiles to
** nothing on other targets.
*/
#include "kernels/gaussreg_kernels.h"

#if GAUSSREG__HAVE_AVX2
#include <immintrin.h>

#define GAUSSREG__T(name) gaussreg__##name##_avx2
#define GAUSSREG__T_ISA GAUSSREG_ISA_AVX2
#if defined(__GNUC__) || defined(__clang__)
#define GAUSSREG__T_ATTR __attribute__((target("avx2")))
#else
#define GAUSSREG__T_ATTR /* MSVC: intrinsics need no target attribute */
#endif

#define VT __m256d
#define VW 4
#define V_LOAD(p) _mm256_loadu_pd(p)
#define V_LOADF(p) _mm256_cvtps_pd(_mm_loadu_ps(p))
#define V_STORE(p, v) _mm256_storeu_pd((p), (v))
#define V_STOREF(p, v) _mm_storeu_ps((p), _mm256_cvtpd_ps(v))
#define V_SET1(d) _mm256_set1_pd(d)
#define V_ZERO() _mm256_setzero_pd()
#define V_ADD(a, b) _mm256_add_pd((a), (b))
#define V_SUB(a, b) _mm256_sub_pd((a), (b))
#define V_MUL(a, b) _mm256_mul_pd((a), (b))
#define V_HSUM(v) gaussreg__hsum_avx2(v)
#define V_FENCE(v) gaussreg__fence_avx2(v)

static inline GAUSSREG__T_ATTR double gaussreg__hsum_avx2(__m256d v) {
  __m128d lo = _mm256_castpd256_pd128(v), hi = _mm256_extractf128_pd(v, 1);
  lo = _mm_add_pd(lo, hi);
  return _mm_cvtsd_f64(_mm_add_sd(lo, _mm_unpackhi_pd(lo, lo)));
}

static inline GAUSSREG__T_ATTR __m256d gaussreg__fence_avx2(__m256d v) {
  __asm__("" : "+x"(v));
  return v;
}

#include "kernels/gaussreg_simd_tmpl.h"

#else
typedef int gaussreg__avx2_unavailable; /* ISO C: no empty file */
#endif
