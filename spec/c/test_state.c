/*
** test_state.c -- checkpoints: the byte layout, round trips (same loss, same
** later samples, same everything), and restore's distrust: every truncation,
** every flipped byte, crafted headers with a valid checksum, allocation
** only after validation, allocator failures.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "test_alloc.h"
#include "gaussreg_internal.h"


static gaussreg_array arr(double *d, int nd, const int64_t *shape) {
  gaussreg_array a;
  gaussreg_array_init(&a, d, GAUSSREG_F64, nd, shape, NULL);
  return a;
}

/* mean (2,3), std (3), weight 0.75, fit_hyper, per-element log mode. */
static gaussreg *make_full(uint64_t seed) {
  static double m[6] = {0.5, -1.25, 3.0, 1e-300, -7.5, 2.0};
  static double s[3] = {0.3, 1.0, 4.0};
  int64_t sm[2] = {2, 3}, ss = 3;
  gaussreg_array am = arr(m, 2, sm), as = arr(s, 1, &ss);
  gaussreg_config cfg;
  gaussreg *g = NULL;
  gaussreg_config_init(&cfg);
  cfg.mean = &am;
  cfg.std = &as;
  cfg.weight = 0.75;
  cfg.fit_hyper = 1;
  cfg.log_mode = GAUSSREG_LOG_PER_ELEMENT;
  cfg.seed = seed;
  gaussreg_create(&cfg, &g, NULL);
  return g;
}

/* mean 0.5 (scalar), std 2 (scalar), defaults otherwise: 88 bytes. */
static gaussreg *make_small(void) {
  double m = 0.5, s = 2.0;
  gaussreg_array am = arr(&m, 0, NULL), as = arr(&s, 0, NULL);
  gaussreg_config cfg;
  gaussreg *g = NULL;
  gaussreg_config_init(&cfg);
  cfg.mean = &am;
  cfg.std = &as;
  cfg.seed = 1;
  gaussreg_create(&cfg, &g, NULL);
  return g;
}

static uint64_t le64(const unsigned char *p) {
  uint64_t v = 0;
  int i;
  for (i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

static void put64(unsigned char *p, uint64_t v) {
  int i;
  for (i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t fnv(const unsigned char *p, size_t n) {
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  size_t i;
  for (i = 0; i < n; i++) {
    h ^= p[i];
    h *= UINT64_C(0x100000001b3);
  }
  return h;
}

/* Rewrites the trailing checksum so a crafted change passes integrity. */
static void reseal(unsigned char *b, size_t n) { put64(b + n - 8, fnv(b, n - 8)); }

static int restore_err(const unsigned char *b, size_t n, gaussreg_error *err) {
  gaussreg *g = (gaussreg *)&g; /* must be reset to NULL on failure */
  int rc = gaussreg_state_restore(b, n, NULL, &g, err);
  if (rc != GAUSSREG_OK && g != NULL) return 999;
  if (rc == GAUSSREG_OK) gaussreg_destroy(g);
  return rc;
}

/* ---- layout -------------------------------------------------------------- */

static void test_layout(void) {
  unsigned char b[200];
  size_t w = 0;
  gaussreg *g = make_small();
  double wgt = 1.0, prec = 1.0 / (4.0 + 1e-8);
  uint64_t u;
  CHECK_EQ_INT(gaussreg_state_size(g), 88);
  CHECK_EQ_INT(gaussreg_state_save(g, b, sizeof b, &w, NULL), GAUSSREG_OK);
  CHECK_EQ_INT(w, 88);
  CHECK(memcmp(b, "GREG", 4) == 0);
  CHECK(b[4] == 1 && b[5] == 0 && b[6] == 0 && b[7] == 0); /* version 1 LE */
  CHECK(le64(b + 8) == 0);                                 /* flags, mode */
  memcpy(&u, &wgt, 8);
  CHECK(le64(b + 16) == u);                                /* weight */
  CHECK(b[24] == 0 && b[25] == 0);                         /* mean ndim 0 */
  memcpy(&u, &(double){0.5}, 8);
  CHECK(le64(b + 28) == u);                                /* mean */
  CHECK(b[36] == 0);                                       /* prec ndim 0 */
  memcpy(&u, &prec, 8);
  CHECK(le64(b + 40) == u);           /* precision, not std */
  CHECK(le64(b + 48) == g->rng[0]);   /* generator */
  CHECK(le64(b + 72) == g->rng[3]);
  CHECK(le64(b + 80) == fnv(b, 80));  /* checksum */
  /* the whole string is pinned: a format change must be deliberate */
  CHECK(fnv(b, 88) == UINT64_C(0x38a00a74aa544e92));

  /* full: (2,3) mean and (3) precision, fit_hyper, per-element mode */
  gaussreg_destroy(g);
  g = make_full(5);
  CHECK_EQ_INT(gaussreg_state_size(g),
               24 + (4 + 16 + 48) + (4 + 8 + 24) + 40);
  CHECK_EQ_INT(gaussreg_state_save(g, b, sizeof b, &w, NULL), GAUSSREG_OK);
  CHECK(b[8] == 1 && b[12] == 1);           /* fit_hyper, per element */
  CHECK(b[24] == 2 && le64(b + 28) == 2 && le64(b + 36) == 3);
  CHECK(b[92] == 1 && le64(b + 96) == 3);
  gaussreg_destroy(g);
}

/* ---- round trips --------------------------------------------------------- */

static void test_round_trip(void) {
  unsigned char b[400];
  size_t w = 0, w2 = 0, n, i;
  double x[6] = {0.1, -1.0, 2.5, 0.0, -7.0, 3.0};
  double s1[60], s2[60], l1, l2;
  int64_t sx[2] = {2, 3};
  gaussreg_array ax = arr(x, 2, sx), o1, o2;
  gaussreg *g = make_full(77), *h = NULL;
  gaussreg_error err;
  counting c = {0, 0, 0, 0};
  gaussreg_allocator al = {counting_alloc, &c};
  int64_t s106[3] = {10, 2, 3};

  /* advance the generator, so the restored one must carry it */
  o1 = arr(s1, 3, s106);
  CHECK(gaussreg_sample_init(g, 1, s106, &o1, &err) != GAUSSREG_OK);
  CHECK(gaussreg_sample_init(g, 3, s106, &o1, &err) == GAUSSREG_OK);
  n = gaussreg_state_size(g);
  CHECK_EQ_INT(gaussreg_state_save(g, b, sizeof b, &w, &err), GAUSSREG_OK);
  CHECK_EQ_INT(w, n);
  CHECK_EQ_INT(gaussreg_state_restore(b, w, &al, &h, &err), GAUSSREG_OK);
  if (h == NULL) return;
  CHECK(c.live_blocks > 0); /* the object lives in the caller's allocator */

  /* everything is the same */
  CHECK(gaussreg_weight(h) == 0.75);
  CHECK_EQ_INT(gaussreg_fit_hyper(h), 1);
  CHECK_EQ_INT(gaussreg_get_log_mode(h), GAUSSREG_LOG_PER_ELEMENT);
  CHECK_EQ_INT(h->mean.ndim, 2);
  CHECK(memcmp(h->mean.shape, g->mean.shape, 2 * sizeof(int64_t)) == 0);
  CHECK(same_bits(h->mean.data, g->mean.data, 6));
  CHECK_EQ_INT(h->precision.ndim, 1);
  CHECK(same_bits(h->precision.data, g->precision.data, 3));
  CHECK(same_bits(h->std_eff, g->std_eff, 3));
  CHECK(h->log_sum == g->log_sum);
  CHECK(memcmp(h->rng, g->rng, sizeof g->rng) == 0);
  CHECK_EQ_INT(gaussreg_loss(g, &ax, &l1, &err), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_loss(h, &ax, &l2, &err), GAUSSREG_OK);
  CHECK(l1 == l2 && isfinite(l1));
  /* identical later samples */
  o1 = arr(s1, 3, s106);
  o2 = arr(s2, 3, s106);
  CHECK_EQ_INT(gaussreg_sample_init(g, 3, s106, &o1, &err), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_sample_init(h, 3, s106, &o2, &err), GAUSSREG_OK);
  CHECK(same_bits(s1, s2, 60));
  /* save(restore(save)) is the same string (after the same draws) */
  {
    unsigned char b2[400], b3[400];
    CHECK_EQ_INT(gaussreg_state_save(g, b2, sizeof b2, &w, NULL), GAUSSREG_OK);
    CHECK_EQ_INT(gaussreg_state_save(h, b3, sizeof b3, &w2, NULL), GAUSSREG_OK);
    CHECK(w == w2 && memcmp(b2, b3, w) == 0);
  }
  gaussreg_destroy(h);
  CHECK_EQ_INT(c.live_blocks, 0);
  CHECK_EQ_INT(c.live_bytes, 0);

  /* a state is a value: restoring it twice gives two equal, independent
  ** objects */
  {
    gaussreg *p = NULL, *q = NULL;
    CHECK_EQ_INT(gaussreg_state_restore(b, n, NULL, &p, NULL), GAUSSREG_OK);
    CHECK_EQ_INT(gaussreg_state_restore(b, n, NULL, &q, NULL), GAUSSREG_OK);
    o1 = arr(s1, 3, s106);
    o2 = arr(s2, 3, s106);
    CHECK_EQ_INT(gaussreg_sample_init(p, 3, s106, &o1, NULL), GAUSSREG_OK);
    CHECK_EQ_INT(gaussreg_sample_init(p, 3, s106, &o1, NULL), GAUSSREG_OK);
    CHECK_EQ_INT(gaussreg_sample_init(q, 3, s106, &o2, NULL), GAUSSREG_OK);
    CHECK(!same_bits(s1, s2, 60));
    gaussreg_destroy(p);
    gaussreg_destroy(q);
  }

  /* unaligned input: the string is read byte by byte */
  {
    unsigned char *u = malloc(n + 1);
    gaussreg *p = NULL;
    memcpy(u + 1, b, n);
    CHECK_EQ_INT(gaussreg_state_restore(u + 1, n, NULL, &p, NULL), GAUSSREG_OK);
    gaussreg_destroy(p);
    free(u);
  }

  /* an allocator failing at every step: ENOMEM, nothing leaks */
  for (i = 1; i <= 8; i++) {
    counting f = {0, 0, 0, (long)i};
    gaussreg_allocator fa = {counting_alloc, &f};
    gaussreg *p = NULL;
    int rc = gaussreg_state_restore(b, n, &fa, &p, &err);
    if (rc == GAUSSREG_OK) {
      gaussreg_destroy(p);
    } else {
      CHECK_EQ_INT(rc, GAUSSREG_ENOMEM);
      CHECK(p == NULL);
    }
    CHECK_EQ_INT(f.live_blocks, 0);
  }
  gaussreg_destroy(g);
}

/* ---- save errors --------------------------------------------------------- */

static void test_save_errors(void) {
  unsigned char b[88];
  size_t w = 123;
  gaussreg *g = make_small();
  gaussreg_error err;
  CHECK_EQ_INT(gaussreg_state_save(g, b, 87, &w, &err), GAUSSREG_ESHAPE);
  CHECK_STR(err.arg, "state");
  CHECK_STR(err.msg, "buffer too small: need 88 bytes, got 87");
  CHECK_EQ_INT(w, 0);
  CHECK_EQ_INT(gaussreg_state_save(g, NULL, 1000, &w, &err), GAUSSREG_ESHAPE);
  CHECK_STR(err.msg, "buffer too small: need 88 bytes, got 0");
  CHECK_EQ_INT(gaussreg_state_save(NULL, b, 88, &w, &err), GAUSSREG_EINVAL);
  CHECK_STR(err.arg, "self");
  CHECK_EQ_INT(gaussreg_state_save(g, b, 88, NULL, NULL), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_state_size(NULL), 0);
  gaussreg_destroy(g);
}

/* ---- restore's distrust -------------------------------------------------- */

static void test_corruption(void) {
  unsigned char b[400], t[400];
  size_t n, i, w;
  int bit, all = 1;
  gaussreg *g = make_full(3), *h = NULL;
  gaussreg_error err;
  counting c = {0, 0, 0, 0};
  gaussreg_allocator al = {counting_alloc, &c};

  CHECK_EQ_INT(gaussreg_state_save(g, b, sizeof b, &n, NULL), GAUSSREG_OK);
  CHECK_EQ_INT(n, 168);
  if (n != 168) return;

  /* every truncation: ESTATE "truncated: ...", no allocation at all */
  for (i = 0; i < n; i++) {
    int rc = gaussreg_state_restore(b, i, &al, &h, &err);
    all &= rc == GAUSSREG_ESTATE && h == NULL && strcmp(err.arg, "state") == 0 &&
           strncmp(err.msg, "truncated: need ", 16) == 0;
  }
  CHECK(all);
  CHECK_EQ_INT(c.calls, 0);
  CHECK_EQ_INT(restore_err(b, 30, &err), GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "truncated: need at least 84 bytes, got 30"); /* mean dims known */
  CHECK_EQ_INT(restore_err(b, 100, &err), GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "truncated: need at least 144 bytes, got 100");
  CHECK_EQ_INT(restore_err(b, n - 1, &err), GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "truncated: need 168 bytes, got 167");
  CHECK_EQ_INT(restore_err(b, 0, &err), GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "truncated: need at least 72 bytes, got 0");
  /* one byte too many */
  memcpy(t, b, n);
  t[n] = 0;
  CHECK_EQ_INT(restore_err(t, n + 1, &err), GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "1 trailing bytes after the 168 of the state");

  /* every byte flipped (all bits, then the low bit): always ESTATE */
  for (bit = 0; bit < 2; bit++) {
    all = 1;
    for (i = 0; i < n; i++) {
      int rc;
      memcpy(t, b, n);
      t[i] ^= bit ? 0x01 : 0xff;
      rc = gaussreg_state_restore(t, n, &al, &h, &err);
      all &= rc == GAUSSREG_ESTATE && h == NULL && strcmp(err.arg, "state") == 0;
    }
    CHECK(all);
  }
  CHECK_EQ_INT(c.live_blocks, 0);

  /* the specific messages */
  memcpy(t, b, n);
  t[0] = 'X';
  CHECK_EQ_INT(restore_err(t, n, &err), GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "bad magic: not a gaussianreg state");
  CHECK_EQ_INT(restore_err((const unsigned char *)"{\"json\": 1}", 11, &err),
               GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "bad magic: not a gaussianreg state");
  memcpy(t, b, n);
  t[4] = 9;
  CHECK_EQ_INT(restore_err(t, n, &err), GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "unsupported version 9 (this build reads version 1)");
  memcpy(t, b, n);
  t[50] ^= 4; /* a mean value */
  CHECK_EQ_INT(restore_err(t, n, &err), GAUSSREG_ESTATE);
  CHECK(strncmp(err.msg, "checksum mismatch (stored ", 26) == 0);

  /* crafted strings with a valid checksum */
  memcpy(t, b, n);
  t[24] = 9; /* mean ndim */
  reseal(t, n);
  CHECK_EQ_INT(restore_err(t, n, &err), GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "mean has 9 dimensions (at most 8)");
  memcpy(t, b, n);
  put64(t + 28, UINT64_C(1) << 60); /* a huge dimension */
  reseal(t, n);
  CHECK_EQ_INT(restore_err(t, n, &err), GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "mean dimension 0 is too large (1152921504606846976)");
  memcpy(t, b, n);
  put64(t + 28, UINT64_C(1) << 40); /* 2^40 x 3 values claimed: no alloc */
  reseal(t, n);
  c.calls = 0;
  CHECK_EQ_INT(gaussreg_state_restore(t, n, &al, &h, &err), GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "truncated: need at least 26388279066708 bytes, got 168");
  CHECK_EQ_INT(c.calls, 0);
  memcpy(t, b, n);
  put64(t + 28, UINT64_C(1) << 30);
  put64(t + 36, UINT64_C(1) << 30); /* 2^60 elements */
  reseal(t, n);
  CHECK_EQ_INT(restore_err(t, n, &err), GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "mean shape (1073741824,1073741824) has too many elements (more than 9007199254740992)");
  memcpy(t, b, n);
  put64(t + 44, UINT64_C(0x7ff8000000000000)); /* NaN mean[0] */
  reseal(t, n);
  CHECK_EQ_INT(restore_err(t, n, &err), GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "mean value 0 is not finite");
  memcpy(t, b, n);
  put64(t + 104 + 16, UINT64_C(0xfff0000000000000)); /* -inf precision[2] */
  reseal(t, n);
  CHECK_EQ_INT(restore_err(t, n, &err), GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "precision value 2 is not finite");
  memcpy(t, b, n);
  put64(t + 16, UINT64_C(0x7ff0000000000000)); /* weight inf */
  reseal(t, n);
  CHECK_EQ_INT(restore_err(t, n, &err), GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "weight is not finite");
  memcpy(t, b, n);
  t[8] = 3; /* unknown flag */
  reseal(t, n);
  CHECK_EQ_INT(restore_err(t, n, &err), GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "unknown flags 0x3");
  memcpy(t, b, n);
  t[12] = 2; /* unknown log mode */
  reseal(t, n);
  CHECK_EQ_INT(restore_err(t, n, &err), GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "unknown log mode 2");
  memcpy(t, b, n);
  memset(t + n - 40, 0, 32); /* all-zero generator */
  reseal(t, n);
  CHECK_EQ_INT(restore_err(t, n, &err), GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "generator state is all zero");
  memcpy(t, b, n);
  put64(t + 96, 2); /* precision (2) against mean (2,3), one value less */
  memmove(t + 120, t + 128, n - 128);
  reseal(t, n - 8);
  CHECK_EQ_INT(restore_err(t, n - 8, &err), GAUSSREG_ESTATE);
  CHECK_STR(err.msg, "mean and precision shapes do not broadcast");

  /* bad arguments */
  CHECK_EQ_INT(gaussreg_state_restore(b, n, NULL, NULL, &err), GAUSSREG_EINVAL);
  CHECK_STR(err.arg, "out");
  CHECK_EQ_INT(gaussreg_state_restore(NULL, n, NULL, &h, &err), GAUSSREG_EINVAL);
  CHECK_STR(err.arg, "state");
  {
    gaussreg_allocator bad = {NULL, NULL};
    CHECK_EQ_INT(gaussreg_state_restore(b, n, &bad, &h, &err), GAUSSREG_EINVAL);
    CHECK_STR(err.arg, "allocator");
  }
  /* and the untouched string still restores */
  CHECK_EQ_INT(gaussreg_state_restore(b, n, NULL, &h, &err), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_state_save(h, t, sizeof t, &w, NULL), GAUSSREG_OK);
  CHECK(w == n && memcmp(t, b, n) == 0);
  gaussreg_destroy(h);
  gaussreg_destroy(g);
}

/* A state written by hand, byte by byte, as another implementation (Lua,
** JS, a big-endian machine) would: it must restore. */
static void test_handmade(void) {
  unsigned char b[96];
  size_t k = 0;
  uint64_t u;
  double v, got;
  gaussreg *g = NULL;
  int i;
  memcpy(b, "GREG", 4);
  k = 4;
  b[k++] = 1, b[k++] = 0, b[k++] = 0, b[k++] = 0;  /* version */
  b[k++] = 1, b[k++] = 0, b[k++] = 0, b[k++] = 0;  /* fit_hyper */
  b[k++] = 0, b[k++] = 0, b[k++] = 0, b[k++] = 0;  /* per precision */
  v = 2.0;
  memcpy(&u, &v, 8);
  put64(b + k, u), k += 8;                         /* weight 2 */
  b[k++] = 1, b[k++] = 0, b[k++] = 0, b[k++] = 0;  /* mean ndim 1 */
  put64(b + k, 1), k += 8;                         /* shape (1) */
  v = -3.0;
  memcpy(&u, &v, 8);
  put64(b + k, u), k += 8;                         /* mean -3 */
  b[k++] = 0, b[k++] = 0, b[k++] = 0, b[k++] = 0;  /* precision scalar */
  v = 4.0;
  memcpy(&u, &v, 8);
  put64(b + k, u), k += 8;                         /* precision 4 */
  for (i = 0; i < 4; i++) put64(b + k, (uint64_t)i + 1), k += 8;
  put64(b + k, fnv(b, k)), k += 8;
  CHECK_EQ_INT(k, 96);
  CHECK_EQ_INT(gaussreg_state_restore(b, k, NULL, &g, NULL), GAUSSREG_OK);
  if (g == NULL) return;
  CHECK(gaussreg_weight(g) == 2.0 && gaussreg_fit_hyper(g) == 1);
  CHECK(((double *)g->mean.data)[0] == -3.0 && g->mean.ndim == 1);
  CHECK(((double *)g->precision.data)[0] == 4.0 && g->precision.ndim == 0);
  CHECK(g->rng[0] == 1 && g->rng[3] == 4);
  /* loss(x = -3 + 0.5) = 2 * (4.000001 * 0.25 - log(4.000001)) */
  {
    double x = -2.5;
    int64_t one = 1;
    gaussreg_array ax;
    gaussreg_array_init(&ax, &x, GAUSSREG_F64, 1, &one, NULL);
    CHECK_EQ_INT(gaussreg_loss(g, &ax, &got, NULL), GAUSSREG_OK);
    CHECK_NEAR(got, 2.0 * (4.000001 * 0.25 - log(4.000001)), 1e-14);
  }
  gaussreg_destroy(g);
}

int main(void) {
  test_layout();
  test_round_trip();
  test_save_errors();
  test_corruption();
  test_handmade();
  return check_done("test_state");
}
