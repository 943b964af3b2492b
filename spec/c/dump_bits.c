/*
** dump_bits.c -- prints a fingerprint of the library's results, so that
** builds with other compilers and flags (mk/flags.mk: make test-flags) and
** on another architecture (mk/cross.mk) can be compared with the reference
** build bit for bit.
**
** One line per result: a tag, a label, the element count, an FNV-1a hash of
** the bits and the first value in hex. Tags say how far a result must agree:
**   P  the same bits on every platform and with every instruction set:
**      draws, the generator's exp/log, elementwise gradients, and the sums of
**      the scalar kernels (fixed order, no libm);
**   S  sums of one SIMD set (summation order is the set's): the same bits
**      with every flag set on one machine;
**   L  results with the log term (libm's log): the same on one platform.
** The program also checks what must hold within one build and exits 1 if
** not: elementwise gradients equal across every instruction set, and
** loss(x) and loss_and_grad(x) giving the same bits.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaussreg_internal.h"

static int failures;

static uint64_t fnv(const void *p, size_t n) {
  const unsigned char *b = (const unsigned char *)p;
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  size_t i;
  for (i = 0; i < n; i++) {
    h ^= b[i];
    h *= UINT64_C(0x100000001b3);
  }
  return h;
}

static uint64_t bits(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return u;
}

static void line_f64(char tag, const char *label, const double *v,
                     size_t n) {
  printf("%c %s n=%lu h=%016llx first=%016llx\n", tag, label,
         (unsigned long)n, (unsigned long long)fnv(v, n * sizeof *v),
         (unsigned long long)(n ? bits(v[0]) : 0));
}

static void line_f32(char tag, const char *label, const float *v, size_t n) {
  uint32_t u = 0;
  if (n) memcpy(&u, v, sizeof u);
  printf("%c %s n=%lu h=%016llx first=%08lx\n", tag, label,
         (unsigned long)n, (unsigned long long)fnv(v, n * sizeof *v),
         (unsigned long)u);
}

static void fail(const char *what, const char *label) {
  fprintf(stderr, "dump_bits: %s: %s\n", label, what);
  failures++;
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (p == NULL) {
    fprintf(stderr, "dump_bits: out of memory\n");
    exit(2);
  }
  return p;
}

/* The test's own uniform numbers (xorshift64*), independent of the core. */
static uint64_t ustate = UINT64_C(0x243f6a8885a308d3);
static double urand(void) {
  ustate ^= ustate >> 12;
  ustate ^= ustate << 25;
  ustate ^= ustate >> 27;
  return (double)((ustate * UINT64_C(2685821657736338717)) >> 11) * 0x1p-53;
}

static gaussreg *make(int mnd, const int64_t *ms, const double *m, int snd,
                      const int64_t *ss, const double *s, double w,
                      uint64_t seed) {
  gaussreg_config cfg;
  gaussreg_array ma, sa;
  gaussreg *g = NULL;
  gaussreg_error err;
  gaussreg_array_init(&ma, (void *)(uintptr_t)m, GAUSSREG_F64, mnd, ms,
                      NULL);
  gaussreg_array_init(&sa, (void *)(uintptr_t)s, GAUSSREG_F64, snd, ss,
                      NULL);
  gaussreg_config_init(&cfg);
  cfg.mean = &ma;
  cfg.std = &sa;
  cfg.weight = w;
  cfg.fit_hyper = 1;
  cfg.seed = seed;
  if (gaussreg_create(&cfg, &g, &err) != GAUSSREG_OK) {
    fprintf(stderr, "dump_bits: create: %s %s\n", err.arg, err.msg);
    exit(2);
  }
  return g;
}

/* ---- the generator's exp and log ---------------------------------------- */

static void dump_explog(void) {
  enum { NE = 6000, NL = 6000 };
  static double v[NE > NL ? NE : NL];
  int i;
  for (i = 0; i < NE; i++) /* dense on the sampler's [-6.7, 0], then wide */
    v[i] = i < 4000 ? -6.7 * urand() : -720.0 + 1430.0 * urand();
  for (i = 0; i < NE; i++) v[i] = gaussreg__rng_exp(v[i]);
  line_f64('P', "rng_exp", v, NE);
  for (i = 0; i < NL; i++)
    v[i] = i < 4000 ? urand() : ldexp(0.5 + urand(), (i % 120) - 60);
  for (i = 0; i < NL; i++) v[i] = gaussreg__rng_log(v[i] > 0 ? v[i] : 0.5);
  line_f64('P', "rng_log", v, NL);
}

/* ---- draws ---------------------------------------------------------------- */

static void dump_draws(void) {
  static const uint64_t seeds[] = {0, 1, 12345, UINT64_C(0xffffffffffffffff)};
  char label[96];
  int k;
  { /* scalar prior: 4 x 50000 float64 draws (wedges and tails included) */
    double m = 0.5, s = 2.0;
    int64_t n = 50000;
    double *o = (double *)xmalloc(sizeof(double) * (size_t)n);
    gaussreg_array oa;
    for (k = 0; k < 4; k++) {
      gaussreg *g = make(0, NULL, &m, 0, NULL, &s, 1.0, seeds[k]);
      gaussreg_array_init(&oa, o, GAUSSREG_F64, 1, &n, NULL);
      if (gaussreg_sample_init(g, 1, &n, &oa, NULL) != GAUSSREG_OK)
        fail("sample_init failed", "draws");
      snprintf(label, sizeof label, "draws scalar-prior seed=%d f64", k);
      line_f64('P', label, o, (size_t)n);
      gaussreg_destroy(g);
    }
    free(o);
  }
  { /* broadcast mean (7,1) and std (1,13) into (3,7,13): f64, f32, and a
       reversed strided float64 output */
    double m[7], s[13];
    int64_t ms[2] = {7, 1}, ss[2] = {1, 13}, sh[3] = {3, 7, 13};
    double o[3 * 7 * 13], big[2 * 3 * 7 * 13];
    float of[3 * 7 * 13];
    gaussreg_array oa;
    gaussreg *g;
    int i;
    for (i = 0; i < 7; i++) m[i] = urand() * 4 - 2;
    for (i = 0; i < 13; i++) s[i] = i == 5 ? 0.0 : 0.1 + 3 * urand();
    g = make(2, ms, m, 2, ss, s, 1.0, 99);
    gaussreg_array_init(&oa, o, GAUSSREG_F64, 3, sh, NULL);
    if (gaussreg_sample_init(g, 3, sh, &oa, NULL) != GAUSSREG_OK)
      fail("sample_init failed", "draws broadcast");
    line_f64('P', "draws broadcast f64", o, sizeof o / sizeof o[0]);
    gaussreg_array_init(&oa, of, GAUSSREG_F32, 3, sh, NULL);
    if (gaussreg_sample_init(g, 3, sh, &oa, NULL) != GAUSSREG_OK)
      fail("sample_init failed", "draws broadcast f32");
    line_f32('P', "draws broadcast f32", of, sizeof of / sizeof of[0]);
    gaussreg_array_init(&oa, big, GAUSSREG_F64, 3, sh, NULL);
    oa.data = big + 2 * 3 * 7 * 13 - 2;
    oa.strides[0] = -2 * 7 * 13;
    oa.strides[1] = -2 * 13;
    oa.strides[2] = -2;
    memset(big, 0, sizeof big);
    if (gaussreg_sample_init(g, 3, sh, &oa, NULL) != GAUSSREG_OK)
      fail("sample_init failed", "draws strided");
    line_f64('P', "draws reversed-strided f64", big,
             sizeof big / sizeof big[0]);
    gaussreg_destroy(g);
  }
}

/* ---- loss and gradients ---------------------------------------------------- */

static const gaussreg_isa isas[] = {GAUSSREG_ISA_SCALAR, GAUSSREG_ISA_SSE2,
                                    GAUSSREG_ISA_AVX2, GAUSSREG_ISA_NEON,
                                    GAUSSREG_ISA_WASM128};
#define NISA ((int)(sizeof isas / sizeof isas[0]))

/* Every result of g on x, for every instruction set of this build. */
static void dump_eval(gaussreg *g, const gaussreg_array *x, const char *what) {
  const gaussreg_array *mean = gaussreg_mean(g), *prec = gaussreg_precision(g);
  int64_t nx = gaussreg_array_numel(x), nm = gaussreg_array_numel(mean),
          np = gaussreg_array_numel(prec);
  double *gx = (double *)xmalloc(sizeof(double) * (size_t)nx);
  double *gx2 = (double *)xmalloc(sizeof(double) * (size_t)nx);
  double *gx0 = (double *)xmalloc(sizeof(double) * (size_t)nx);
  float *gf = (float *)xmalloc(sizeof(float) * (size_t)nx);
  float *gf0 = (float *)xmalloc(sizeof(float) * (size_t)nx);
  double *gm = (double *)xmalloc(sizeof(double) * (size_t)nm);
  double *gp = (double *)xmalloc(sizeof(double) * (size_t)np);
  gaussreg_array ga, ga2, gfa, gma, gpa;
  char label[160];
  int k, nd, full;
  int64_t bs[GAUSSREG_MAX_DIMS];
  /* elementwise when x has the broadcast shape; otherwise a reduction */
  full = gaussreg_sample_shape(g, x->ndim, x->shape, &nd, bs, NULL) ==
             GAUSSREG_OK &&
         gaussreg__numel(nd, bs) == nx;
  gaussreg_array_init(&ga, gx, GAUSSREG_F64, x->ndim, x->shape, NULL);
  gaussreg_array_init(&ga2, gx2, GAUSSREG_F64, x->ndim, x->shape, NULL);
  gaussreg_array_init(&gfa, gf, GAUSSREG_F32, x->ndim, x->shape, NULL);
  gaussreg_array_init(&gma, gm, GAUSSREG_F64, mean->ndim, mean->shape, NULL);
  gaussreg_array_init(&gpa, gp, GAUSSREG_F64, prec->ndim, prec->shape, NULL);
  for (k = 0; k < NISA; k++) {
    const char *isa = gaussreg_isa_name(isas[k]);
    char tag = isas[k] == GAUSSREG_ISA_SCALAR ? 'P' : 'S';
    double loss = 0, loss2 = 0, gw = 0;
    if (!gaussreg_isa_supported(isas[k])) continue;
    if (gaussreg_set_isa(g, isas[k], NULL) != GAUSSREG_OK ||
        gaussreg_loss(g, x, &loss, NULL) != GAUSSREG_OK ||
        gaussreg_grad(g, x, &ga, NULL) != GAUSSREG_OK ||
        gaussreg_grad(g, x, &gfa, NULL) != GAUSSREG_OK ||
        gaussreg_loss_and_grad(g, x, &loss2, &ga2, NULL) != GAUSSREG_OK ||
        gaussreg_hyper_grad(g, x, &gma, &gpa, &gw, NULL) != GAUSSREG_OK) {
      fail("a call failed", what);
      continue;
    }
    if (bits(loss) != bits(loss2))
      fail("loss and loss_and_grad differ", what);
    if (memcmp(gx, gx2, sizeof(double) * (size_t)nx) != 0)
      fail("grad and loss_and_grad differ", what);
    if (full && isas[k] == GAUSSREG_ISA_SCALAR) {
      memcpy(gx0, gx, sizeof(double) * (size_t)nx);
      memcpy(gf0, gf, sizeof(float) * (size_t)nx);
      snprintf(label, sizeof label, "%s grad f64", what);
      line_f64('P', label, gx, (size_t)nx);
      snprintf(label, sizeof label, "%s grad f32", what);
      line_f32('P', label, gf, (size_t)nx);
    } else if (full) {
      if (memcmp(gx, gx0, sizeof(double) * (size_t)nx) != 0)
        fail("elementwise grad f64 differs from the scalar set's", what);
      if (memcmp(gf, gf0, sizeof(float) * (size_t)nx) != 0)
        fail("elementwise grad f32 differs from the scalar set's", what);
    } else { /* x broadcast: its gradient is a sum */
      snprintf(label, sizeof label, "%s grad %s", what, isa);
      line_f64(tag, label, gx, (size_t)nx);
    }
    snprintf(label, sizeof label, "%s gmean %s", what, isa);
    line_f64(tag, label, gm, (size_t)nm);
    snprintf(label, sizeof label, "%s gprec %s", what, isa);
    line_f64(tag, label, gp, (size_t)np);
    snprintf(label, sizeof label, "%s loss %s", what, isa);
    line_f64('L', label, &loss, 1);
    snprintf(label, sizeof label, "%s gweight %s", what, isa);
    line_f64('L', label, &gw, 1);
  }
  free(gx);
  free(gx2);
  free(gx0);
  free(gf);
  free(gf0);
  free(gm);
  free(gp);
}

/* 1-d x of n elements, float64 and float32, in three layouts, against a
** scalar prior, a per-element prior and a huge weight (2*w overflows). */
static void dump_runs(void) {
  static const int64_t sizes[] = {1, 3, 17, 1024, 1031, 4099, 65537};
  int si;
  for (si = 0; si < (int)(sizeof sizes / sizeof sizes[0]); si++) {
    int64_t n = sizes[si], i, cap = 3 * n + 4;
    double *m = (double *)xmalloc(sizeof(double) * (size_t)n);
    double *s = (double *)xmalloc(sizeof(double) * (size_t)n);
    double *xd = (double *)xmalloc(sizeof(double) * (size_t)cap);
    float *xf = (float *)xmalloc(sizeof(float) * (size_t)cap);
    double m0 = 0.25, s0 = 0.8;
    gaussreg *gs[3];
    int gi, dt, lay;
    for (i = 0; i < n; i++) {
      m[i] = urand() * 2 - 1;
      s[i] = 0.05 + 2 * urand();
    }
    for (i = 0; i < cap; i++) {
      xd[i] = (urand() * 6 - 3) * (i % 29 == 0 ? 1e3 : 1.0);
      xf[i] = (float)(urand() * 6 - 3);
    }
    gs[0] = make(0, NULL, &m0, 0, NULL, &s0, 1.5, 0);
    gs[1] = make(1, &n, m, 1, &n, s, 0.75, 0);
    gs[2] = make(0, NULL, &m0, 1, &n, s, 1.5e308, 0);
    for (gi = 0; gi < 3; gi++)
      for (dt = 0; dt < 2; dt++)
        for (lay = 0; lay < 3; lay++) {
          gaussreg_array x;
          char what[96];
          int64_t off = lay == 0 ? 0 : lay == 1 ? n - 1 : 1;
          gaussreg_array_init(&x, dt ? (void *)xf : (void *)xd,
                              dt ? GAUSSREG_F32 : GAUSSREG_F64, 1, &n, NULL);
          x.data = dt ? (void *)(xf + off) : (void *)(xd + off);
          x.strides[0] = lay == 0 ? 1 : lay == 1 ? -1 : 3;
          snprintf(what, sizeof what, "run n=%lld prior=%d %s layout=%d",
                   (long long)n, gi, dt ? "f32" : "f64", lay);
          dump_eval(gs[gi], &x, what);
        }
    for (gi = 0; gi < 3; gi++) gaussreg_destroy(gs[gi]);
    free(m);
    free(s);
    free(xd);
    free(xf);
  }
}

/* 2-d: mean (c), std (r,1) against x (r,c), its transpose in memory, and a
** broadcast x (1,c) against a (r,c) mean (reductions). */
static void dump_shapes(void) {
  static const int64_t dims[][2] = {{3, 5}, {17, 9}, {40, 130}, {1, 7}};
  int k;
  for (k = 0; k < 4; k++) {
    int64_t r = dims[k][0], c = dims[k][1], i;
    int64_t xs[2] = {r, c}, ms[1] = {c}, ss[2] = {r, 1}, row[2] = {1, c};
    double *m = (double *)xmalloc(sizeof(double) * (size_t)(r * c));
    double *s = (double *)xmalloc(sizeof(double) * (size_t)(r * c));
    double *xd = (double *)xmalloc(sizeof(double) * (size_t)(r * c));
    double s0 = 1.3;
    gaussreg_array x;
    gaussreg *g;
    char what[96];
    for (i = 0; i < r * c; i++) {
      m[i] = urand() - 0.5;
      s[i] = 0.3 + urand();
      xd[i] = urand() * 4 - 2;
    }
    g = make(1, ms, m, 2, ss, s, -2.5, 0);
    gaussreg_array_init(&x, xd, GAUSSREG_F64, 2, xs, NULL);
    snprintf(what, sizeof what, "2d %lldx%lld", (long long)r, (long long)c);
    dump_eval(g, &x, what);
    x.strides[0] = 1;
    x.strides[1] = r;
    snprintf(what, sizeof what, "2d %lldx%lld transposed", (long long)r,
             (long long)c);
    dump_eval(g, &x, what);
    gaussreg_destroy(g);
    g = make(2, xs, m, 0, NULL, &s0, 0.5, 0);
    gaussreg_array_init(&x, xd, GAUSSREG_F64, 2, row, NULL);
    snprintf(what, sizeof what, "2d %lldx%lld broadcast x", (long long)r,
             (long long)c);
    dump_eval(g, &x, what);
    gaussreg_destroy(g);
    free(m);
    free(s);
    free(xd);
  }
}

int main(void) {
  dump_explog();
  dump_draws();
  dump_runs();
  dump_shapes();
  if (failures) {
    fprintf(stderr, "dump_bits: %d failures\n", failures);
    return 1;
  }
  return 0;
}
