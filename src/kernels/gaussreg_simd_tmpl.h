/*
** gaussreg_simd_tmpl.h -- the SIMD kernels, written once over a small vector
** vocabulary and stamped out per instruction set (xxHash's template habit).
** Not a normal header: a kernel file defines the vocabulary below, then
** includes this file once.
**
**   GAUSSREG__T(name)   the per-set name, e.g. gaussreg__name_avx2
**   GAUSSREG__T_ISA     the gaussreg_isa value
**   GAUSSREG__T_ATTR    attributes of every function (e.g. target("avx2"))
**   VT, VW              vector of float64 and its lane count
**   V_LOAD(p)  V_LOADF(p)   VW doubles / VW floats (converted), unaligned
**   V_STORE(p, v)  V_STOREF(p, v)   VW doubles / VW floats (rounded)
**   V_SET1(d) V_ZERO() V_ADD(a, b) V_SUB(a, b) V_MUL(a, b) V_HSUM(v)
**   V_FENCE(v)  v unchanged, opaque to the optimizer (gaussreg__rounded for
**               vectors): a fenced product is never fused into an FMA
**
** The body functions take the dtype and stride cases as constant arguments
** and are always inlined, so every case compiles to its own branch-free loop.
** Formulas and rounding match gaussreg_scalar.c term for term, so elementwise
** results are the same bits in every set.
*/
#if defined(__GNUC__) || defined(__clang__)
#define GAUSSREG__T_INLINE                                                 \
  static inline GAUSSREG__T_ATTR __attribute__((always_inline))
#elif defined(_MSC_VER)
#define GAUSSREG__T_INLINE static __forceinline
#else
#define GAUSSREG__T_INLINE static inline
#endif

/* The terms of the VW elements at i (kind K); with store, also their
** gradient 2*w*t written to g (loss kind). Loads x before storing g: g may
** alias x exactly. Products that feed a sum pass V_FENCE (no FMA). */
GAUSSREG__T_INLINE VT GAUSSREG__T(step)(const int kind, const int store,
                                        int64_t i, const double *xd,
                                        const float *xf, const int xf32,
                                        const double *m, const int sm,
                                        const double *p, const int sp,
                                        VT m0, VT p0, double *gd, float *gf,
                                        const int gf32, VT wv) {
  VT xv = xf32 ? V_LOADF(xf + i) : V_LOAD(xd + i);
  VT d = V_SUB(xv, sm ? V_LOAD(m + i) : m0), t;
  if (kind == GAUSSREG__K_DD) return V_FENCE(V_MUL(d, d));
  t = V_MUL(sp ? V_LOAD(p + i) : p0, d);
  if (kind == GAUSSREG__K_PD) return V_FENCE(t);
  if (store) {
    VT u = V_FENCE(V_MUL(wv, t));
    VT v = V_ADD(u, u); /* 2*(w*t): exact doubling, no overflow of 2*w */
    if (gf32)
      V_STOREF(gf + i, v);
    else
      V_STORE(gd + i, v);
  }
  return V_FENCE(V_MUL(t, d));
}

/* One element of the tail, as gaussreg_scalar.c computes it. */
GAUSSREG__T_INLINE double GAUSSREG__T(step1)(
    const int kind, const int store, int64_t i, const double *xd,
    const float *xf, const int xf32, const double *m, const int sm,
    const double *p, const int sp, double *gd, float *gf, const int gf32,
    double w) {
  double d = (xf32 ? (double)xf[i] : xd[i]) - m[sm ? i : 0], t;
  if (kind == GAUSSREG__K_DD) return gaussreg__rounded(d * d);
  t = p[sp ? i : 0] * d;
  if (kind == GAUSSREG__K_PD) return gaussreg__rounded(t);
  if (store) {
    double u = gaussreg__rounded(w * t), v = u + u;
    if (gf32)
      gf[i] = (float)v;
    else
      gd[i] = v;
  }
  return gaussreg__rounded(t * d);
}

/* The one loop of the sum kernel (store 0) and the grad kernel (store 1,
** loss kind; want: also sum the loss). Per block of GAUSSREG__BLOCK
** elements: four vector accumulators take 4*VW elements a step, whole
** vectors left over go to a0, the lanes of (a0 + a1) + (a2 + a3) are summed
** (V_HSUM), the last n % VW elements are added one by one, and the block's
** sum goes to acc. Sum and grad share it, so loss and loss_and_grad give
** the same bits. */
GAUSSREG__T_INLINE void GAUSSREG__T(body)(
    gaussreg__acc *acc, const int kind, const int store, const int want,
    int64_t n, const void *x, const int xf32, const double *m, const int sm,
    const double *p, const int sp, void *g, const int gf32, double w) {
  const double *xd = (const double *)x;
  const float *xf = (const float *)x;
  double *gd = (double *)g;
  float *gf = (float *)g;
  VT m0 = V_SET1(m[0]), p0 = V_SET1(p[0]), wv = V_SET1(w);
  int64_t i = 0;
#define GAUSSREG__T_STEP(j)                                                \
  GAUSSREG__T(step)(kind, store, (j), xd, xf, xf32, m, sm, p, sp, m0, p0,  \
                    gd, gf, gf32, wv)
  while (i < n) {
    int64_t end = n - i > GAUSSREG__BLOCK ? i + GAUSSREG__BLOCK : n;
    VT a0 = V_ZERO(), a1 = V_ZERO(), a2 = V_ZERO(), a3 = V_ZERO();
    double s;
    for (; i + 4 * VW <= end; i += 4 * VW) {
      VT e0 = GAUSSREG__T_STEP(i), e1 = GAUSSREG__T_STEP(i + VW);
      VT e2 = GAUSSREG__T_STEP(i + 2 * VW), e3 = GAUSSREG__T_STEP(i + 3 * VW);
      if (want) {
        a0 = V_ADD(a0, e0);
        a1 = V_ADD(a1, e1);
        a2 = V_ADD(a2, e2);
        a3 = V_ADD(a3, e3);
      }
    }
    for (; i + VW <= end; i += VW) {
      VT e0 = GAUSSREG__T_STEP(i);
      if (want) a0 = V_ADD(a0, e0);
    }
    s = want ? V_HSUM(V_ADD(V_ADD(a0, a1), V_ADD(a2, a3))) : 0.0;
    for (; i < end; i++) {
      double e = GAUSSREG__T(step1)(kind, store, i, xd, xf, xf32, m, sm, p,
                                    sp, gd, gf, gf32, w);
      if (want) s += e;
    }
    if (want) gaussreg__acc_add(acc, s);
  }
#undef GAUSSREG__T_STEP
}

static GAUSSREG__T_ATTR void GAUSSREG__T(sum)(
    gaussreg__acc *acc, int kind, int64_t n, const void *x, gaussreg_dtype xt,
    int64_t sx, const double *m, int64_t sm, const double *p, int64_t sp) {
  int xf32 = xt == GAUSSREG_F32;
  if (n <= 0) return;
  if (sx != 1 || sm < 0 || sm > 1 || sp < 0 || sp > 1) {
    gaussreg__sum_scalar(acc, kind, n, x, xt, sx, m, sm, p, sp);
    return;
  }
#define GAUSSREG__T_C(K, XF, SM, SP)                                       \
  case (K) * 8 + (XF) * 4 + (SM) * 2 + (SP):                               \
    GAUSSREG__T(body)(acc, K, 0, 1, n, x, XF, m, SM, p, SP, NULL, 0, 0.0); \
    break;
#define GAUSSREG__T_C4(K, XF)                                              \
  GAUSSREG__T_C(K, XF, 0, 0) GAUSSREG__T_C(K, XF, 0, 1)                    \
  GAUSSREG__T_C(K, XF, 1, 0) GAUSSREG__T_C(K, XF, 1, 1)
  switch (kind * 8 + xf32 * 4 + (int)sm * 2 + (int)sp) {
    GAUSSREG__T_C4(GAUSSREG__K_LOSS, 0)
    GAUSSREG__T_C4(GAUSSREG__K_LOSS, 1)
    GAUSSREG__T_C4(GAUSSREG__K_PD, 0)
    GAUSSREG__T_C4(GAUSSREG__K_PD, 1)
    GAUSSREG__T_C4(GAUSSREG__K_DD, 0)
    GAUSSREG__T_C4(GAUSSREG__K_DD, 1)
    default:
      gaussreg__sum_scalar(acc, kind, n, x, xt, sx, m, sm, p, sp);
      break;
  }
#undef GAUSSREG__T_C
#undef GAUSSREG__T_C4
}

static GAUSSREG__T_ATTR void GAUSSREG__T(grad)(
    gaussreg__acc *acc, int64_t n, const void *x, gaussreg_dtype xt,
    int64_t sx, const double *m, int64_t sm, const double *p, int64_t sp,
    void *g, gaussreg_dtype gt, int64_t sg, double w) {
  int want = acc != NULL, xf32 = xt == GAUSSREG_F32, gf32 = gt == GAUSSREG_F32;
  if (n <= 0) return;
  /* the same cases as sum's, so that a run sums alike in both */
  if (sx != 1 || sm < 0 || sm > 1 || sp < 0 || sp > 1) {
    gaussreg__grad_scalar(acc, n, x, xt, sx, m, sm, p, sp, g, gt, sg, w);
    return;
  }
  if (sg != 1) {
    /* a strided output: block by block through a contiguous buffer, so the
       blocks, and the loss sum, are the direct path's (g cannot alias x) */
    double buf[GAUSSREG__BLOCK];
    int64_t i0, k;
    for (i0 = 0; i0 < n; i0 += GAUSSREG__BLOCK) {
      int64_t c = n - i0 < GAUSSREG__BLOCK ? n - i0 : GAUSSREG__BLOCK;
      const void *xc = xf32 ? (const void *)((const float *)x + i0)
                            : (const void *)((const double *)x + i0);
      GAUSSREG__T(grad)(acc, c, xc, xt, 1, m + i0 * sm, sm, p + i0 * sp, sp,
                        buf, GAUSSREG_F64, 1, w);
      for (k = 0; k < c; k++)
        if (gf32)
          ((float *)g)[(i0 + k) * sg] = (float)buf[k];
        else
          ((double *)g)[(i0 + k) * sg] = buf[k];
    }
    return;
  }
#define GAUSSREG__T_C(W, XF, GF, SM, SP)                                   \
  case (W) * 16 + (XF) * 8 + (GF) * 4 + (SM) * 2 + (SP):                   \
    GAUSSREG__T(body)(acc, GAUSSREG__K_LOSS, 1, W, n, x, XF, m, SM, p, SP, \
                      g, GF, w);                                           \
    break;
#define GAUSSREG__T_C4(W, XF, GF)                                          \
  GAUSSREG__T_C(W, XF, GF, 0, 0) GAUSSREG__T_C(W, XF, GF, 0, 1)            \
  GAUSSREG__T_C(W, XF, GF, 1, 0) GAUSSREG__T_C(W, XF, GF, 1, 1)
  switch (want * 16 + xf32 * 8 + gf32 * 4 + (int)sm * 2 + (int)sp) {
    GAUSSREG__T_C4(0, 0, 0)
    GAUSSREG__T_C4(0, 0, 1)
    GAUSSREG__T_C4(0, 1, 0)
    GAUSSREG__T_C4(0, 1, 1)
    GAUSSREG__T_C4(1, 0, 0)
    GAUSSREG__T_C4(1, 0, 1)
    GAUSSREG__T_C4(1, 1, 0)
    GAUSSREG__T_C4(1, 1, 1)
    default:
      gaussreg__grad_scalar(acc, n, x, xt, sx, m, sm, p, sp, g, gt, sg, w);
      break;
  }
#undef GAUSSREG__T_C
#undef GAUSSREG__T_C4
}

const gaussreg__kernels GAUSSREG__T(kernels) = {
    GAUSSREG__T_ISA, GAUSSREG__T(sum), GAUSSREG__T(grad)};

#undef GAUSSREG__T_INLINE
