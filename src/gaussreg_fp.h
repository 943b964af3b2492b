/*
** gaussreg_fp.h -- what makes the core's arithmetic give the same bits
** whatever the compiler and its flags; not installed. Every unit of the core
** includes it (through gaussreg_internal.h or kernels/gaussreg_kernels.h)
** before its first function.
**
** The core's results are bit-identical across builds because every
** floating-point step is one correctly rounded IEEE-754 double operation.
** Three things a compiler may do would break that, so this header rules
** each out in the sources rather than trusting the command line:
**
** 1. FMA contraction: fusing a*b + c into one rounding. GCC contracts
**    across statements in its GNU modes (-std=gnu*, the default: LuaRocks'
**    plain -O2 -fPIC) wherever the target has FMA (aarch64 always, x86 with
**    -march=native); clang contracts within an expression by default and
**    everywhere with -ffp-contract=fast, ignoring every pragma then.
**    So (a) the rest of the translation unit gets the pragma each compiler
**    honours -- GCC's optimize("fp-contract=off") (per function, stronger
**    than any -ffp-contract on the command line), the standard STDC
**    FP_CONTRACT for clang and others, MSVC's fp_contract -- and (b) every
**    product that feeds a sum is written gaussreg__rounded(a * b): an empty
**    asm statement that hands the rounded product over in a register the
**    compiler cannot see into, so nothing can fuse it, whatever the flags
**    (GCC and clang on x86 and aarch64; wasm has no FMA instruction).
** 2. Extended evaluation: double evaluated in a wider format (x87,
**    FLT_EVAL_METHOD 2) rounds twice. Rejected below; FLT_EVAL_METHOD 16
**    (GNU C with AVX512-FP16 or Arm FP16: _Float16 evaluated as float),
**    32, 33, 64, 1 and 0 all evaluate double as double and are accepted.
** 3. -ffast-math and -ffinite-math-only: reassociation undoes the
**    compensated sums, and NaN/Inf tests are compiled away. Rejected.
*/
#ifndef gaussreg_fp_h
#define gaussreg_fp_h

#include <float.h>

/* 1a. No contraction in the rest of this translation unit. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#elif defined(_MSC_VER)
#pragma fp_contract(off)
#else
#pragma STDC FP_CONTRACT OFF
#endif

/* 2. Double must be evaluated as double. FLT_EVAL_METHOD: 2 is "everything
** as long double"; N > 64 (65 _Float64x, 128, 129) is "narrower types as
** _FloatN(x)", wider than double. i386 code on the x87 is refused whatever
** the compiler reports. */
#if defined(FLT_EVAL_METHOD) && (FLT_EVAL_METHOD == 2 || FLT_EVAL_METHOD > 64)
#error "gaussreg needs double evaluated as double: FLT_EVAL_METHOD says it is evaluated in a wider format (x87?); build with SSE2 math (-msse2 -mfpmath=sse)"
#endif
#if defined(__i386__) && !defined(__SSE2_MATH__) && !defined(__EMSCRIPTEN__)
#error "gaussreg needs double evaluated as double: x87 math on i386; build with -msse2 -mfpmath=sse"
#endif

/* 3. IEEE semantics. */
#if defined(__FAST_MATH__) ||                                              \
    (defined(__FINITE_MATH_ONLY__) && __FINITE_MATH_ONLY__ > 0)
#error "gaussreg needs IEEE floating point: build its sources without -ffast-math, -Ofast or -ffinite-math-only"
#endif

/* 1b. The register class of a double (and of its SIMD vectors) for the
** fence: SSE on x86, the FP/SIMD registers on aarch64. */
#if (defined(__GNUC__) || defined(__clang__)) &&                           \
    (defined(__x86_64__) || defined(__i386__)) && !defined(__EMSCRIPTEN__)
#define GAUSSREG__FENCE_REG "x"
#elif (defined(__GNUC__) || defined(__clang__)) && defined(__aarch64__)
#define GAUSSREG__FENCE_REG "w"
#endif

/* v, already rounded to double, opaque to the optimizer: an operation that
** consumes the result cannot be fused with the one that produced it. Costs
** no instruction (the value is in such a register anyway). */
static inline double gaussreg__rounded(double v) {
#if defined(GAUSSREG__FENCE_REG)
  __asm__("" : "+" GAUSSREG__FENCE_REG(v));
#endif
  return v;
}

#endif
