/*
** test_rng.c -- the generator and gaussreg_sample_init: published reference
** outputs of xoshiro256++/splitmix64, golden values of the normal sampler
** (any platform or build drift fails here), the sampler's own exp/log
** against libm, moments and a Kolmogorov-Smirnov bound, broadcasting,
** strides, dtypes, reseeding, independence and every error path.
*/
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gaussreg_internal.h"

static gaussreg_array arr(double *d, int nd, const int64_t *shape) {
  gaussreg_array a;
  gaussreg_array_init(&a, d, GAUSSREG_F64, nd, shape, NULL);
  return a;
}

/* A regularizer from f64 mean/std buffers. */
static gaussreg *make(double *m, int ndm, const int64_t *sm, double *s,
                      int nds, const int64_t *ss, uint64_t seed) {
  gaussreg_config cfg;
  gaussreg_array am = arr(m, ndm, sm), as = arr(s, nds, ss);
  gaussreg *g = NULL;
  gaussreg_error err;
  gaussreg_config_init(&cfg);
  cfg.mean = &am;
  cfg.std = &as;
  cfg.seed = seed;
  if (gaussreg_create(&cfg, &g, &err) != GAUSSREG_OK)
    fprintf(stderr, "create: %s %s\n", err.arg, err.msg);
  return g;
}

static gaussreg *make_scalar(double m, double s, uint64_t seed) {
  return make(&m, 0, NULL, &s, 0, NULL, seed);
}

static uint64_t bits(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return u;
}

/* ---- the integer generator --------------------------------------------- */

static void test_xoshiro_reference(void) {
  /* xoshiro256++ from the state {0, 0, 0, 1}: the first ten outputs, as
  ** published with the DSCF-1224/xoshiro-fortran test data (they follow
  ** from the reference xoshiro256plusplus.c). */
  static const uint64_t want[10] = {
      UINT64_C(0x0000000000800000), UINT64_C(0x0000000000800011),
      UINT64_C(0x0002200000800011), UINT64_C(0x0002200044000020),
      UINT64_C(0x00022000448008A1), UINT64_C(0x01102100802208A0),
      UINT64_C(0x0114002284200880), UINT64_C(0x0402896644A64095),
      UINT64_C(0x8A14A0A244ACC891), UINT64_C(0x8C88BA4680B20495)};
  /* splitmix64-seeded xoshiro256++ with seed 1234567890 (XoshiroCpp's
  ** default seed; its published first three outputs). */
  static const uint64_t want_seeded[3] = {UINT64_C(10656210946825422025),
                                          UINT64_C(3029598875750717312),
                                          UINT64_C(8253387787243700537)};
  uint64_t s[4] = {0, 0, 0, 1};
  int i;
  for (i = 0; i < 10; i++) CHECK(gaussreg__rng_next(s) == want[i]);
  gaussreg__rng_seed(s, UINT64_C(1234567890));
  for (i = 0; i < 3; i++) CHECK(gaussreg__rng_next(s) == want_seeded[i]);
  /* seeding never gives the all-zero state, even from seed 0 */
  gaussreg__rng_seed(s, 0);
  CHECK((s[0] | s[1] | s[2] | s[3]) != 0);
  /* splitmix64(0) first output (0x9e3779b97f4a7c15 mixed) */
  CHECK(s[0] == UINT64_C(0xe220a8397b1dcdaf));
}

/* ---- exp / log ----------------------------------------------------------- */

static void test_exp_log(void) {
  double worst_e = 0.0, worst_l = 0.0, x;
  int i;
  for (i = 0; i <= 200000; i++) { /* the sampler's range and beyond */
    double e, r;
    x = -40.0 + 40.0 * i / 200000.0;
    e = gaussreg__rng_exp(x);
    r = fabs(e - exp(x)) / exp(x);
    if (r > worst_e) worst_e = r;
  }
  for (i = 1; i <= 200000; i++) {
    double l, r;
    x = ldexp((double)i / 200000.0, -(i % 60)); /* (0, 1] across binades */
    l = gaussreg__rng_log(x);
    r = x == 1.0 ? fabs(l) : fabs(l - log(x)) / fabs(log(x));
    if (r > worst_l) worst_l = r;
  }
  CHECK(worst_e < 4 * DBL_EPSILON);
  CHECK(worst_l < 4 * DBL_EPSILON);
  CHECK(gaussreg__rng_exp(0.0) == 1.0);
  CHECK(gaussreg__rng_log(1.0) == 0.0);
  CHECK(gaussreg__rng_exp(-800.0) == 0.0);
  CHECK(isinf(gaussreg__rng_exp(800.0)));
  CHECK(isinf(gaussreg__rng_log(0.0)) && gaussreg__rng_log(0.0) < 0);
  CHECK(isnan(gaussreg__rng_log(-1.0)));
  CHECK_NEAR(gaussreg__rng_log(0x1p-53), -53 * log(2.0), 2 * DBL_EPSILON);
  CHECK_NEAR(gaussreg__rng_log(8.0), 3 * log(2.0), 2 * DBL_EPSILON);
  CHECK_NEAR(gaussreg__rng_exp(5.5), exp(5.5), 4 * DBL_EPSILON);
}

/* ---- golden values ------------------------------------------------------- */

static void test_golden(void) {
  /* The first normals of seed 12345: the same bits on every platform and
  ** build. A change here changes every user's samples. */
  static const double want[8] = {
      -0x1.e21f4ec3ebd09p-1, 0x1.152ab92b92496p-2,  -0x1.279193d705168p-3,
      -0x1.5cdc93e29e012p-3, 0x1.e525f411dd95ep-3,  0x1.146ced9b88837p+0,
      0x1.03ecd96767132p-1,  -0x1.9b91de003e27p+0};
  uint64_t s[4], h = UINT64_C(0xcbf29ce484222325);
  int i, k;
  gaussreg__rng_seed(s, 12345);
  for (i = 0; i < 8; i++) CHECK(bits(gaussreg__rng_normal(s)) == bits(want[i]));
  /* FNV-1a of the bits of the first 10^6 normals of seed 2024: pins the
  ** wedge and tail paths (and so the own exp/log) too; then the state. */
  gaussreg__rng_seed(s, 2024);
  for (i = 0; i < 1000000; i++) {
    uint64_t u = bits(gaussreg__rng_normal(s));
    for (k = 0; k < 8; k++) {
      h ^= (u >> (8 * k)) & 0xff;
      h *= UINT64_C(0x100000001b3);
    }
  }
  CHECK(h == UINT64_C(0x4a36e0add3f93375));
  CHECK(s[0] == UINT64_C(0x0ef29668ada7f8af));
  CHECK(s[3] == UINT64_C(0xca7c03dca80682c9));

  /* sample_init applies mean + std_eff * z in double: golden too */
  {
    gaussreg *g = make_scalar(0.5, 2.0, 12345);
    double out[8];
    int64_t n = 8;
    gaussreg_array ao = arr(out, 1, &n);
    double sd = 1.0 / sqrt(1.0 / (4.0 + 1e-8) + 1e-8);
    CHECK(gaussreg_sample_init(g, 1, &n, &ao, NULL) == GAUSSREG_OK);
    for (i = 0; i < 8; i++) CHECK(bits(out[i]) == bits(0.5 + sd * want[i]));
    CHECK_NEAR(out[0], 0.5 + 2.0 * -0.94164510861983886, 1e-7);
    gaussreg_destroy(g);
  }
}

/* ---- statistics ---------------------------------------------------------- */

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double normal_cdf(double x) { return 0.5 * erfc(-x / sqrt(2.0)); }

static void test_moments_and_ks(void) {
  enum { N = 1000000 };
  double *z = malloc(sizeof(double) * N);
  double m1 = 0, m2 = 0, m3 = 0, m4 = 0, d = 0, mu = 1.5, sd;
  long tail = 0, far = 0;
  int64_t n = N;
  gaussreg *g = make_scalar(mu, 3.0, 777);
  gaussreg_array ao = arr(z, 1, &n);
  int i;
  if (z == NULL || g == NULL) {
    CHECK(0);
    return;
  }
  sd = g->std_eff[0];
  CHECK(gaussreg_sample_init(g, 1, &n, &ao, NULL) == GAUSSREG_OK);
  for (i = 0; i < N; i++) {
    double u = (z[i] - mu) / sd;
    m1 += u;
    m2 += u * u;
    m3 += u * u * u;
    m4 += u * u * u * u;
    if (fabs(u) > 3.6541528853610088) tail++;
    if (fabs(u) > 4.0) far++;
    z[i] = u;
  }
  m1 /= N;
  m2 /= N;
  m3 /= N;
  m4 /= N;
  /* 5 sigma bounds: sd of the sample moments of N(0,1) are sqrt(1/N),
  ** sqrt(2/N), sqrt(15/N), sqrt(96/N) */
  CHECK(fabs(m1) < 5 * sqrt(1.0 / N));
  CHECK(fabs(m2 - 1) < 5 * sqrt(2.0 / N));
  CHECK(fabs(m3) < 5 * sqrt(15.0 / N));
  CHECK(fabs(m4 - 3) < 5 * sqrt(96.0 / N));
  /* the tail path: P(|z| > R) = 2.5839e-4, P(|z| > 4) = 6.3342e-5 */
  {
    double pt = 2 * normal_cdf(-3.6541528853610088), pf = 2 * normal_cdf(-4);
    CHECK(fabs(tail - N * pt) < 5 * sqrt(N * pt));
    CHECK(fabs(far - N * pf) < 5 * sqrt(N * pf));
  }
  /* Kolmogorov-Smirnov: sqrt(N) D < 1.95 (p = 0.001) */
  qsort(z, N, sizeof *z, cmp_double);
  for (i = 0; i < N; i++) {
    double c = normal_cdf(z[i]);
    double a = fabs(c - (double)i / N), b = fabs((double)(i + 1) / N - c);
    if (a > d) d = a;
    if (b > d) d = b;
  }
  CHECK(sqrt((double)N) * d < 1.95);
  /* and the 20 quantile bins of width 0.05 hold N/20 each (chi-square,
  ** 19 dof, < 43.8 is p = 0.001) */
  {
    double chi = 0;
    long cnt[20] = {0};
    for (i = 0; i < N; i++) {
      int b = (int)(normal_cdf(z[i]) * 20);
      cnt[b < 20 ? b : 19]++;
    }
    for (i = 0; i < 20; i++)
      chi += (cnt[i] - N / 20.0) * (cnt[i] - N / 20.0) / (N / 20.0);
    CHECK(chi < 43.8);
  }
  gaussreg_destroy(g);
  free(z);
}

/* ---- broadcasting, strides, dtypes --------------------------------------- */

static void test_broadcast(void) {
  double m[3] = {-1.0, 0.0, 10.0}, s[3] = {0.5, 1.0, 2.0}, out[12];
  double sc_m = 0.0, sc_s = 1.0;
  int64_t s3 = 3, s43[2] = {4, 3}, got[GAUSSREG_MAX_DIMS];
  int nd, i, j;
  uint64_t st[4];
  gaussreg_array ao = arr(out, 2, s43);
  gaussreg *g = make(m, 1, &s3, s, 1, &s3, 5);
  gaussreg_error err;

  CHECK(gaussreg_sample_shape(g, 2, s43, &nd, got, NULL) == GAUSSREG_OK);
  CHECK_EQ_INT(nd, 2);
  CHECK(got[0] == 4 && got[1] == 3);
  CHECK(gaussreg_sample_shape(g, 0, NULL, &nd, got, NULL) == GAUSSREG_OK);
  CHECK(nd == 1 && got[0] == 3);

  /* out[i][j] = mean[j] + std_eff[j] * z_(3i+j), row-major draws */
  memcpy(st, g->rng, sizeof st);
  CHECK(gaussreg_sample_init(g, 2, s43, &ao, &err) == GAUSSREG_OK);
  for (i = 0; i < 4; i++)
    for (j = 0; j < 3; j++) {
      double z = gaussreg__rng_normal(st);
      CHECK(bits(out[3 * i + j]) == bits(m[j] + g->std_eff[j] * z));
    }
  CHECK(memcmp(st, g->rng, sizeof st) == 0);
  /* std_eff = 1/sqrt(precision + 1e-8) with precision = 1/(std^2 + 1e-8) */
  for (j = 0; j < 3; j++)
    CHECK_NEAR(g->std_eff[j], s[j], 1e-7);
  /* a per-element std really scales: column 2 spreads 4x column 0 */
  gaussreg_destroy(g);

  /* mean (4,1) x std (3) -> (4,3); shape (2,1,1) -> (2,4,3) */
  {
    double m41[4] = {1, 2, 3, 4}, o[24];
    int64_t s41[2] = {4, 1}, s211[3] = {2, 1, 1}, s243[3] = {2, 4, 3};
    gaussreg_array a243 = arr(o, 3, s243);
    g = make(m41, 2, s41, s, 1, &s3, 6);
    memcpy(st, g->rng, sizeof st);
    CHECK(gaussreg_sample_init(g, 3, s211, &a243, &err) == GAUSSREG_OK);
    for (i = 0; i < 24; i++) {
      double z = gaussreg__rng_normal(st);
      int r = (i / 3) % 4, c = i % 3;
      CHECK(bits(o[i]) == bits(m41[r] + g->std_eff[c] * z));
    }
    /* the (4,3) shape is compatible; (4,2) and (5,1) are not */
    {
      int64_t bad1[2] = {4, 2}, bad2[2] = {5, 1};
      CHECK_EQ_INT(gaussreg_sample_shape(g, 2, bad1, &nd, got, &err),
                   GAUSSREG_ESHAPE);
      CHECK_STR(err.arg, "shape");
      CHECK_STR(err.msg, "shape (4,2) does not broadcast with precision shape (3)");
      CHECK_EQ_INT(gaussreg_sample_init(g, 2, bad2, &a243, &err),
                   GAUSSREG_ESHAPE);
      CHECK_STR(err.msg, "shape (5,1) does not broadcast with mean shape (4,1)");
    }
    gaussreg_destroy(g);
  }

  /* the brief's example: mean (2) with a (4,3) shape */
  {
    double m2[2] = {0, 1}, one = 1.0;
    int64_t s2 = 2;
    g = make(m2, 1, &s2, &one, 0, NULL, 1);
    CHECK_EQ_INT(gaussreg_sample_init(g, 2, s43, &ao, &err), GAUSSREG_ESHAPE);
    CHECK_STR(err.arg, "shape");
    CHECK_STR(err.msg, "shape (4,3) does not broadcast with mean shape (2)");
    gaussreg_destroy(g);
  }

  /* scalar prior, scalar shape: one draw */
  g = make(&sc_m, 0, NULL, &sc_s, 0, NULL, 9);
  {
    double one_out = 0;
    gaussreg_array a0 = arr(&one_out, 0, NULL);
    memcpy(st, g->rng, sizeof st);
    CHECK(gaussreg_sample_init(g, 0, NULL, &a0, NULL) == GAUSSREG_OK);
    CHECK(bits(one_out) == bits(0.0 + g->std_eff[0] * gaussreg__rng_normal(st)));
  }
  gaussreg_destroy(g);
}

static void test_strides_dtypes(void) {
  double ref[600], buf[1200], sc[6], tr[6];
  float f[600];
  int64_t n = 600, s23[2] = {2, 3};
  gaussreg *a = make_scalar(2.0, 0.25, 31), *b = make_scalar(2.0, 0.25, 31);
  gaussreg_array ao = arr(ref, 1, &n), as;
  gaussreg_error err;
  int i;

  /* 600 draws in one call == 100 + 500 (chunk boundaries do not matter) */
  CHECK(gaussreg_sample_init(a, 1, &n, &ao, NULL) == GAUSSREG_OK);
  {
    int64_t n1 = 100, n2 = 500;
    gaussreg_array p1 = arr(buf, 1, &n1), p2 = arr(buf + 100, 1, &n2);
    CHECK(gaussreg_sample_init(b, 1, &n1, &p1, NULL) == GAUSSREG_OK);
    CHECK(gaussreg_sample_init(b, 1, &n2, &p2, NULL) == GAUSSREG_OK);
    CHECK(same_bits(buf, ref, 600));
  }

  /* negative stride (every other element, backwards) */
  gaussreg_seed(a, 31);
  as = arr(buf + 1198, 1, &n);
  as.strides[0] = -2;
  CHECK(gaussreg_sample_init(a, 1, &n, &as, &err) == GAUSSREG_OK);
  for (i = 0; i < 600; i++) CHECK(bits(buf[1198 - 2 * i]) == bits(ref[i]));

  /* float32 output: the double value rounded once */
  gaussreg_seed(a, 31);
  as = arr(NULL, 1, &n);
  as.data = f;
  as.dtype = GAUSSREG_F32;
  CHECK(gaussreg_sample_init(a, 1, &n, &as, &err) == GAUSSREG_OK);
  {
    int same = 1;
    for (i = 0; i < 600; i++) same &= f[i] == (float)ref[i];
    CHECK(same);
  }

  /* a transposed (2,3) out: draws still follow the logical row-major order */
  gaussreg_seed(a, 31);
  as = arr(tr, 2, s23);
  as.strides[0] = 1;
  as.strides[1] = 2;
  CHECK(gaussreg_sample_init(a, 2, s23, &as, &err) == GAUSSREG_OK);
  gaussreg_seed(a, 31);
  as = arr(sc, 2, s23);
  CHECK(gaussreg_sample_init(a, 2, s23, &as, &err) == GAUSSREG_OK);
  {
    int r, c, same = 1;
    for (r = 0; r < 2; r++)
      for (c = 0; c < 3; c++) same &= tr[r + 2 * c] == sc[3 * r + c];
    CHECK(same);
    CHECK(sc[0] == ref[0] && sc[5] == ref[5]);
  }

  /* an empty shape draws nothing and leaves the generator alone */
  {
    int64_t e[2] = {0, 3};
    uint64_t st[4];
    gaussreg_array ae = arr(NULL, 2, e);
    memcpy(st, a->rng, sizeof st);
    CHECK(gaussreg_sample_init(a, 2, e, &ae, &err) == GAUSSREG_OK);
    CHECK(memcmp(st, a->rng, sizeof st) == 0);
  }
  gaussreg_destroy(a);
  gaussreg_destroy(b);
}

/* ---- seeding and independence ------------------------------------------- */

static void test_seed(void) {
  double x[64], y[64], z[64];
  int64_t n = 64;
  gaussreg_array ax = arr(x, 1, &n), ay = arr(y, 1, &n), az = arr(z, 1, &n);
  gaussreg *a = make_scalar(0, 1, 7), *b = make_scalar(0, 1, 7);
  gaussreg *c = make_scalar(0, 1, 8);

  /* same seed, same draws; interleaving one object does not disturb the
  ** other */
  CHECK(gaussreg_sample_init(a, 1, &n, &ax, NULL) == GAUSSREG_OK);
  CHECK(gaussreg_sample_init(c, 1, &n, &az, NULL) == GAUSSREG_OK);
  CHECK(gaussreg_sample_init(b, 1, &n, &ay, NULL) == GAUSSREG_OK);
  CHECK(same_bits(x, y, 64));
  CHECK(!same_bits(x, z, 64));
  /* the stream moves on... */
  CHECK(gaussreg_sample_init(a, 1, &n, &ay, NULL) == GAUSSREG_OK);
  CHECK(!same_bits(x, y, 64));
  /* ...and reseeding rewinds it */
  gaussreg_seed(a, 7);
  CHECK(gaussreg_sample_init(a, 1, &n, &ay, NULL) == GAUSSREG_OK);
  CHECK(same_bits(x, y, 64));
  gaussreg_seed(a, 7);
  gaussreg_seed(a, 7);
  CHECK(gaussreg_sample_init(a, 1, &n, &ay, NULL) == GAUSSREG_OK);
  CHECK(same_bits(x, y, 64));
  /* reseeding with the seed of another object gives its stream */
  gaussreg_seed(a, 8);
  CHECK(gaussreg_sample_init(a, 1, &n, &ay, NULL) == GAUSSREG_OK);
  CHECK(same_bits(z, y, 64));
  gaussreg_seed(NULL, 1); /* a no-op */
  gaussreg_destroy(a);
  gaussreg_destroy(b);
  gaussreg_destroy(c);
}

/* ---- errors ---------------------------------------------------------------- */

static void test_errors(void) {
  double out[4], one = 1.0, zero = 0.0;
  int64_t s4 = 4, shape[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1}, neg[2] = {2, -1};
  int64_t huge[3] = {INT64_C(1) << 30, INT64_C(1) << 30, 16}, got[8];
  gaussreg_array ao = arr(out, 1, &s4);
  gaussreg *g = make(&zero, 0, NULL, &one, 0, NULL, 3);
  gaussreg_error err;
  int nd;
  uint64_t st[4];
  memcpy(st, g->rng, sizeof st);

  CHECK_EQ_INT(gaussreg_sample_init(NULL, 1, &s4, &ao, &err), GAUSSREG_EINVAL);
  CHECK_STR(err.arg, "self");
  CHECK_EQ_INT(gaussreg_sample_init(g, 9, shape, &ao, &err), GAUSSREG_ESHAPE);
  CHECK_STR(err.arg, "shape");
  CHECK_STR(err.msg, "has 9 dimensions (at most 8)");
  CHECK_EQ_INT(gaussreg_sample_init(g, -1, shape, &ao, &err), GAUSSREG_ESHAPE);
  CHECK_STR(err.msg, "has -1 dimensions (at most 8)");
  CHECK_EQ_INT(gaussreg_sample_init(g, 2, NULL, &ao, &err), GAUSSREG_EINVAL);
  CHECK_STR(err.arg, "shape");
  CHECK_STR(err.msg, "is NULL with 2 dimensions");
  CHECK_EQ_INT(gaussreg_sample_init(g, 2, neg, &ao, &err), GAUSSREG_ESHAPE);
  CHECK_STR(err.msg, "negative dimension -1 at axis 2");
  CHECK_EQ_INT(gaussreg_sample_init(g, 3, huge, &ao, &err), GAUSSREG_ESHAPE);
  CHECK_STR(err.arg, "shape");
  CHECK_STR(err.msg, "shape (1073741824,1073741824,16) has too many elements "
                     "(more than 9007199254740992)");
  /* out: NULL, wrong shape, overlapping strides, bad dtype */
  CHECK_EQ_INT(gaussreg_sample_init(g, 1, &s4, NULL, &err), GAUSSREG_EINVAL);
  CHECK_STR(err.arg, "out");
  {
    int64_t s3 = 3, s22[2] = {2, 2};
    CHECK_EQ_INT(gaussreg_sample_init(g, 1, &s3, &ao, &err), GAUSSREG_ESHAPE);
    CHECK_STR(err.arg, "out");
    CHECK_STR(err.msg, "shape (4) does not match sample shape (3)");
    CHECK_EQ_INT(gaussreg_sample_init(g, 2, s22, &ao, &err), GAUSSREG_ESHAPE);
    CHECK_STR(err.msg, "shape (4) does not match sample shape (2,2)");
  }
  ao.strides[0] = 0;
  CHECK_EQ_INT(gaussreg_sample_init(g, 1, &s4, &ao, &err), GAUSSREG_ESHAPE);
  CHECK_STR(err.arg, "out");
  ao.strides[0] = 1;
  ao.dtype = (gaussreg_dtype)7;
  CHECK_EQ_INT(gaussreg_sample_init(g, 1, &s4, &ao, &err), GAUSSREG_EINVAL);
  CHECK_STR(err.arg, "out");
  ao.dtype = GAUSSREG_F64;
  /* failures draw nothing */
  CHECK(memcmp(st, g->rng, sizeof st) == 0);
  /* sample_shape's own pointers */
  CHECK_EQ_INT(gaussreg_sample_shape(g, 1, &s4, NULL, got, &err),
               GAUSSREG_EINVAL);
  CHECK_STR(err.arg, "out_shape");
  CHECK_EQ_INT(gaussreg_sample_shape(NULL, 1, &s4, &nd, got, &err),
               GAUSSREG_EINVAL);
  CHECK_EQ_INT(gaussreg_sample_shape(g, 1, &s4, &nd, got, NULL), GAUSSREG_OK);
  CHECK(nd == 1 && got[0] == 4);
  /* NULL err is fine on failure too */
  CHECK_EQ_INT(gaussreg_sample_init(g, 9, shape, &ao, NULL), GAUSSREG_ESHAPE);
  gaussreg_destroy(g);
}

int main(void) {
  test_xoshiro_reference();
  test_exp_log();
  test_golden();
  test_moments_and_ks();
  test_broadcast();
  test_strides_dtypes();
  test_seed();
  test_errors();
  return check_done("test_rng");
}
