/*
** gaussreg_neon.c -- 2-lane float64 kernels for AArch64 (Advanced SIMD is
** part of the baseline there). Compiles to nothing elsewhere.
*/
#include "kernels/gaussreg_kernels.h"

#if GAUSSREG__HAVE_NEON
#include <arm_neon.h>

#define GAUSSREG__T(name) gaussreg__##name##_neon
#define GAUSSREG__T_ISA GAUSSREG_ISA_NEON
#define GAUSSREG__T_ATTR

#define VT float64x2_t
#define VW 2
#define V_LOAD(p) vld1q_f64(p)
#define V_LOADF(p) vcvt_f64_f32(vld1_f32(p))
#define V_STORE(p, v) vst1q_f64((p), (v))
#define V_STOREF(p, v) vst1_f32((p), vcvt_f32_f64(v))
#define V_SET1(d) vdupq_n_f64(d)
#define V_ZERO() vdupq_n_f64(0.0)
#define V_ADD(a, b) vaddq_f64((a), (b))
#define V_SUB(a, b) vsubq_f64((a), (b))
#define V_MUL(a, b) vmulq_f64((a), (b))
#define V_HSUM(v) (vgetq_lane_f64((v), 0) + vgetq_lane_f64((v), 1))
#define V_FENCE(v) gaussreg__fence_neon(v)

static inline float64x2_t gaussreg__fence_neon(float64x2_t v) {
  __asm__("" : "+w"(v));
  return v;
}

#include "kernels/gaussreg_simd_tmpl.h"

#else
typedef int gaussreg__neon_unavailable; /* ISO C: no empty file */
#endif
