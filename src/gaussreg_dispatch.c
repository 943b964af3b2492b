/*
** gaussreg_dispatch.c -- which instruction sets this build and CPU can run,
** their names, and the kernel table of each.
**
** Callers resolve the set once, at creation or set_isa, and keep it in the
** object. cpuid traps to the hypervisor in a VM (about 30 us a call measured
** here), so the answer is kept in the library's one piece of global state: a
** write-once cache that every thread fills with the same value, read and
** written with relaxed atomics (no data race). AVX2 needs the CPU bit (cpuid leaf 7) and the
** OS saving the YMM registers (OSXSAVE + xgetbv), as aklomp/base64 checks.
** This file must be compiled with baseline flags (never -mavx2).
*/
#include <string.h>

#include "kernels/gaussreg_kernels.h"

#if GAUSSREG__HAVE_AVX2
#if defined(_MSC_VER) && !defined(__clang__)
/* MSVC (never tested: MinGW-w64 is the tested Windows toolchain): the same
** checks through its intrinsics. */
#include <intrin.h>

static int gaussreg__cpu_has_avx2(void) {
  int r[4];
  __cpuid(r, 1);
  if ((r[2] & (1 << 27)) == 0 || (r[2] & (1 << 28)) == 0) return 0;
  if ((_xgetbv(0) & 6u) != 6u) return 0;
  __cpuid(r, 0);
  if (r[0] < 7) return 0;
  __cpuidex(r, 7, 0);
  return (r[1] & (1 << 5)) != 0; /* AVX2 */
}
#else
#include <cpuid.h>

static int gaussreg__cpu_has_avx2(void) {
  unsigned a, b, c, d, lo, hi;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  /* OSXSAVE (ecx bit 27) and AVX (ecx bit 28) */
  if ((c & (1u << 27)) == 0 || (c & (1u << 28)) == 0) return 0;
  /* xgetbv(0): the OS saves XMM (bit 1) and YMM (bit 2) state */
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  (void)hi;
  if ((lo & 6u) != 6u) return 0;
  if (__get_cpuid_max(0, NULL) < 7) return 0;
  __cpuid_count(7, 0, a, b, c, d);
  return (b & (1u << 5)) != 0; /* AVX2 */
}
#endif

/* 0: not yet known; 1: no; 2: yes. */
static int gaussreg__avx2_cache;

static int gaussreg__has_avx2(void) {
#if defined(__GNUC__) || defined(__clang__)
  int v = __atomic_load_n(&gaussreg__avx2_cache, __ATOMIC_RELAXED);
  if (v == 0) {
    v = gaussreg__cpu_has_avx2() ? 2 : 1;
    __atomic_store_n(&gaussreg__avx2_cache, v, __ATOMIC_RELAXED);
  }
  return v == 2;
#else
  return gaussreg__cpu_has_avx2();
#endif
}
#endif

int gaussreg_isa_supported(gaussreg_isa isa) {
  switch (isa) {
    case GAUSSREG_ISA_AUTO:
    case GAUSSREG_ISA_SCALAR:
      return 1;
    case GAUSSREG_ISA_SSE2:
      return GAUSSREG__HAVE_SSE2;
    case GAUSSREG_ISA_AVX2:
#if GAUSSREG__HAVE_AVX2
      return gaussreg__has_avx2();
#else
      return 0;
#endif
    case GAUSSREG_ISA_NEON:
      return GAUSSREG__HAVE_NEON;
    case GAUSSREG_ISA_WASM128:
      return GAUSSREG__HAVE_WASM128;
  }
  return 0;
}

gaussreg_isa gaussreg_isa_best(void) {
  if (gaussreg_isa_supported(GAUSSREG_ISA_AVX2)) return GAUSSREG_ISA_AVX2;
  if (gaussreg_isa_supported(GAUSSREG_ISA_SSE2)) return GAUSSREG_ISA_SSE2;
  if (gaussreg_isa_supported(GAUSSREG_ISA_NEON)) return GAUSSREG_ISA_NEON;
  if (gaussreg_isa_supported(GAUSSREG_ISA_WASM128))
    return GAUSSREG_ISA_WASM128;
  return GAUSSREG_ISA_SCALAR;
}

static const char *const gaussreg__isa_names[] = {"auto", "scalar", "sse2",
                                                  "avx2", "neon", "wasm128"};
#define GAUSSREG__NISA                                                     \
  ((int)(sizeof gaussreg__isa_names / sizeof gaussreg__isa_names[0]))

const char *gaussreg_isa_name(gaussreg_isa isa) {
  int i = (int)isa;
  return i >= 0 && i < GAUSSREG__NISA ? gaussreg__isa_names[i] : NULL;
}

int gaussreg_isa_from_name(const char *name) {
  int i;
  if (name == NULL) return -1;
  for (i = 0; i < GAUSSREG__NISA; i++)
    if (strcmp(name, gaussreg__isa_names[i]) == 0) return i;
  return -1;
}

const gaussreg__kernels *gaussreg__kernels_get(gaussreg_isa isa) {
  if (isa == GAUSSREG_ISA_AUTO) isa = gaussreg_isa_best();
  switch (isa) {
#if GAUSSREG__HAVE_SSE2
    case GAUSSREG_ISA_SSE2:
      return &gaussreg__kernels_sse2;
#endif
#if GAUSSREG__HAVE_AVX2
    case GAUSSREG_ISA_AVX2:
      /* g->isa was checked by gaussreg_isa_supported when it was set;
         no cpuid here (it traps to the hypervisor in VMs) */
      return &gaussreg__kernels_avx2;
#endif
#if GAUSSREG__HAVE_WASM128
    case GAUSSREG_ISA_WASM128:
      return &gaussreg__kernels_wasm128;
#endif
#if GAUSSREG__HAVE_NEON
    case GAUSSREG_ISA_NEON:
      return &gaussreg__kernels_neon;
#endif
    default:
      return &gaussreg__kernels_scalar;
  }
}
