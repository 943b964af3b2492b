/*
** gaussreg_wasm128.c -- 2-lane float64 kernels for WebAssembly SIMD
** (Emscripten/clang with -msimd128). Compiles to nothing elsewhere; the
** non-SIMD .wasm uses the scalar kernels.
*/
#include "kernels/gaussreg_kernels.h"

#if GAUSSREG__HAVE_WASM128
#include <wasm_simd128.h>

#define GAUSSREG__T(name) gaussreg__##name##_wasm128
#define GAUSSREG__T_ISA GAUSSREG_ISA_WASM128
#define GAUSSREG__T_ATTR

#define VT v128_t
#define VW 2
#define V_LOAD(p) wasm_v128_load(p)
#define V_LOADF(p) wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(p))
#define V_STORE(p, v) wasm_v128_store((p), (v))
#define V_STOREF(p, v)                                                     \
  wasm_v128_store64_lane((p), wasm_f32x4_demote_f64x2_zero(v), 0)
#define V_SET1(d) wasm_f64x2_splat(d)
#define V_ZERO() wasm_f64x2_splat(0.0)
#define V_ADD(a, b) wasm_f64x2_add((a), (b))
#define V_SUB(a, b) wasm_f64x2_sub((a), (b))
#define V_MUL(a, b) wasm_f64x2_mul((a), (b))
#define V_HSUM(v)                                                          \
  (wasm_f64x2_extract_lane((v), 0) + wasm_f64x2_extract_lane((v), 1))
/* wasm SIMD has no fused multiply-add (only relaxed-simd's, not enabled):
** nothing to fence */
#define V_FENCE(v) (v)

#include "kernels/gaussreg_simd_tmpl.h"

#else
typedef int gaussreg__wasm128_unavailable; /* ISO C: no empty file */
#endif
