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
**
** The body functions take the dtype and stride cases as constant arguments
** and are always inlined, so every case compiles to its own branch-free loop.
** Formulas and rounding match gaussreg_scalar.c term for term.
*/
#if defined(__GNUC__) || defined(__clang__)
#define GAUSSREG__T_INLINE                                                 \
  static inline GAUSSREG__T_ATTR __attribute__((always_inline))
#elif defined(_MSC_VER)
#define GAUSSREG__T_INLINE static __forceinline
#else
#define GAUSSREG__T_INLINE static inline
#endif

GAUSSREG__T_INLINE VT GAUSSREG__T(term)(const int kind, const double *xd,
                                        const float *xf, const int xf32,
                                        const double *m, const int sm,
                                        const double *p, const int sp,
                                        VT m0, VT p0, int64_t i) {
  VT xv = xf32 ? V_LOADF(xf + i) : V_LOAD(xd + i);
  VT mv = sm ? V_LOAD(m + i) : m0;
  VT pv = sp ? V_LOAD(p + i) : p0;
  VT d = V_SUB(xv, mv);
  if (kind == GAUSSREG__K_LOSS) return V_MUL(V_MUL(pv, d), d);
  if (kind == GAUSSREG__K_PD) return V_MUL(pv, d);
  return V_MUL(d, d);
}

GAUSSREG__T_INLINE void GAUSSREG__T(sum_body)(gaussreg__acc *acc,
                                              const int kind, int64_t n,
                                              const void *x, const int xf32,
                                              const double *m, const int sm,
                                              const double *p, const int sp) {
  const double *xd = (const double *)x;
  const float *xf = (const float *)x;
  VT m0 = V_SET1(m[0]), p0 = V_SET1(p[0]);
  int64_t i = 0;
  while (i < n) {
    int64_t end = n - i > GAUSSREG__BLOCK ? i + GAUSSREG__BLOCK : n;
    VT a0 = V_ZERO(), a1 = V_ZERO(), a2 = V_ZERO(), a3 = V_ZERO();
    double s;
    for (; i + 4 * VW <= end; i += 4 * VW) {
      a0 = V_ADD(a0, GAUSSREG__T(term)(kind, xd, xf, xf32, m, sm, p, sp, m0,
                                       p0, i));
      a1 = V_ADD(a1, GAUSSREG__T(term)(kind, xd, xf, xf32, m, sm, p, sp, m0,
                                       p0, i + VW));
      a2 = V_ADD(a2, GAUSSREG__T(term)(kind, xd, xf, xf32, m, sm, p, sp, m0,
                                       p0, i + 2 * VW));
      a3 = V_ADD(a3, GAUSSREG__T(term)(kind, xd, xf, xf32, m, sm, p, sp, m0,
                                       p0, i + 3 * VW));
    }
    for (; i + VW <= end; i += VW)
      a0 = V_ADD(a0, GAUSSREG__T(term)(kind, xd, xf, xf32, m, sm, p, sp, m0,
                                       p0, i));
    s = V_HSUM(V_ADD(V_ADD(a0, a1), V_ADD(a2, a3)));
    for (; i < end; i++) {
      double d = (xf32 ? (double)xf[i] : xd[i]) - m[sm ? i : 0];
      double pp = p[sp ? i : 0];
      if (kind == GAUSSREG__K_LOSS)
        s += (pp * d) * d;
      else if (kind == GAUSSREG__K_PD)
        s += pp * d;
      else
        s += d * d;
    }
    gaussreg__acc_add(acc, s);
  }
}

GAUSSREG__T_INLINE VT GAUSSREG__T(gstep)(const double *xd, const float *xf,
                                         const int xf32, const double *m,
                                         const int sm, const double *p,
                                         const int sp, VT m0, VT p0,
                                         double *gd, float *gf,
                                         const int gf32, VT wv, int64_t i,
                                         VT *dout) {
  VT xv = xf32 ? V_LOADF(xf + i) : V_LOAD(xd + i);
  VT mv = sm ? V_LOAD(m + i) : m0;
  VT pv = sp ? V_LOAD(p + i) : p0;
  VT d = V_SUB(xv, mv);
  VT t = V_MUL(pv, d);
  VT u = V_MUL(wv, t);
  VT v = V_ADD(u, u); /* 2*(w*t): exact doubling, no overflow of 2*w */
  if (gf32)
    V_STOREF(gf + i, v);
  else
    V_STORE(gd + i, v);
  *dout = d;
  return t;
}

GAUSSREG__T_INLINE void GAUSSREG__T(grad_body)(
    gaussreg__acc *acc, const int want, int64_t n, const void *x,
    const int xf32, const double *m, const int sm, const double *p,
    const int sp, void *g, const int gf32, double w) {
  const double *xd = (const double *)x;
  const float *xf = (const float *)x;
  double *gd = (double *)g;
  float *gf = (float *)g;
  VT m0 = V_SET1(m[0]), p0 = V_SET1(p[0]), wv = V_SET1(w);
  int64_t i = 0;
  while (i < n) {
    int64_t end = n - i > GAUSSREG__BLOCK ? i + GAUSSREG__BLOCK : n;
    VT a0 = V_ZERO(), a1 = V_ZERO(), d0, d1, t0, t1;
    double s = 0.0;
    /* each step loads its x before storing g: g may alias x exactly */
    for (; i + 2 * VW <= end; i += 2 * VW) {
      t0 = GAUSSREG__T(gstep)(xd, xf, xf32, m, sm, p, sp, m0, p0, gd, gf,
                              gf32, wv, i, &d0);
      t1 = GAUSSREG__T(gstep)(xd, xf, xf32, m, sm, p, sp, m0, p0, gd, gf,
                              gf32, wv, i + VW, &d1);
      if (want) {
        a0 = V_ADD(a0, V_MUL(t0, d0));
        a1 = V_ADD(a1, V_MUL(t1, d1));
      }
    }
    for (; i + VW <= end; i += VW) {
      t0 = GAUSSREG__T(gstep)(xd, xf, xf32, m, sm, p, sp, m0, p0, gd, gf,
                              gf32, wv, i, &d0);
      if (want) a0 = V_ADD(a0, V_MUL(t0, d0));
    }
    if (want) s = V_HSUM(V_ADD(a0, a1));
    for (; i < end; i++) {
      double d = (xf32 ? (double)xf[i] : xd[i]) - m[sm ? i : 0];
      double t = p[sp ? i : 0] * d;
      double u = w * t, v = u + u;
      if (gf32)
        gf[i] = (float)v;
      else
        gd[i] = v;
      s += t * d;
    }
    if (want) gaussreg__acc_add(acc, s);
  }
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
    GAUSSREG__T(sum_body)(acc, K, n, x, XF, m, SM, p, SP);                \
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
  if (sx != 1 || sg != 1 || sm < 0 || sm > 1 || sp < 0 || sp > 1) {
    gaussreg__grad_scalar(acc, n, x, xt, sx, m, sm, p, sp, g, gt, sg, w);
    return;
  }
#define GAUSSREG__T_C(W, XF, GF, SM, SP)                                   \
  case (W) * 16 + (XF) * 8 + (GF) * 4 + (SM) * 2 + (SP):                   \
    GAUSSREG__T(grad_body)(acc, W, n, x, XF, m, SM, p, SP, g, GF, w);    \
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
