/*
** test_core.c -- the object's lifetime, validation and error messages,
** hyperparameter getters and setters, allocators and ISA selection.
*/
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "test_alloc.h"
#include "gaussreg.h"


static gaussreg_array vec(double *d, int64_t n) {
  gaussreg_array a;
  gaussreg_array_init(&a, d, GAUSSREG_F64, 1, &n, NULL);
  return a;
}

static gaussreg_array scalar(double *d) {
  gaussreg_array a;
  gaussreg_array_init(&a, d, GAUSSREG_F64, 0, NULL, NULL);
  return a;
}

static void test_strings(void) {
  char buf[64];
  int64_t s[2] = {4, 3};
  CHECK_STR(gaussreg_strerror(GAUSSREG_OK), "ok");
  CHECK_STR(gaussreg_strerror(GAUSSREG_ENOMEM), "out of memory");
  CHECK_STR(gaussreg_strerror(GAUSSREG_EFIXED),
            "hyperparameters are fixed: construct with fit_hyper = true");
  CHECK_STR(gaussreg_strerror(12345), "unknown error");
  CHECK_STR(gaussreg_format_shape(buf, sizeof buf, 2, s), "(4,3)");
  CHECK_STR(gaussreg_format_shape(buf, sizeof buf, 1, s), "(4)");
  CHECK_STR(gaussreg_format_shape(buf, sizeof buf, 0, NULL), "()");
  CHECK_STR(gaussreg_format_shape(buf, 4, 2, s), "(4,");
}

static void test_array_init(void) {
  gaussreg_array a;
  gaussreg_error e;
  int64_t s3[3] = {2, 3, 4}, neg[2] = {2, -1};
  int64_t huge[3] = {(int64_t)1 << 32, (int64_t)1 << 32, (int64_t)1 << 32};
  int64_t s9[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1}, zero[2] = {0, (int64_t)1 << 40};
  double d[24];
  CHECK_EQ_INT(gaussreg_array_init(&a, d, GAUSSREG_F64, 3, s3, &e), GAUSSREG_OK);
  CHECK_EQ_INT(a.strides[0], 12);
  CHECK_EQ_INT(a.strides[1], 4);
  CHECK_EQ_INT(a.strides[2], 1);
  CHECK_EQ_INT(gaussreg_array_numel(&a), 24);
  CHECK_EQ_INT(gaussreg_array_init(&a, d, GAUSSREG_F64, 9, s9, &e), GAUSSREG_ESHAPE);
  CHECK_STR(e.msg, "has 9 dimensions (at most 8)");
  CHECK_EQ_INT(gaussreg_array_init(&a, d, GAUSSREG_F64, -1, s9, &e), GAUSSREG_ESHAPE);
  CHECK_EQ_INT(gaussreg_array_init(&a, d, GAUSSREG_F64, 2, neg, &e), GAUSSREG_ESHAPE);
  CHECK_STR(e.msg, "negative dimension -1 at axis 2");
  CHECK_EQ_INT(gaussreg_array_init(&a, d, GAUSSREG_F64, 3, huge, &e), GAUSSREG_ESHAPE);
  CHECK_STR(e.msg, "shape (4294967296,4294967296,4294967296) has too many elements (more than 9007199254740992)");
  CHECK_EQ_INT(gaussreg_array_init(&a, d, (gaussreg_dtype)7, 1, s3, &e), GAUSSREG_EINVAL);
  CHECK_STR(e.msg, "unknown dtype 7");
  /* a zero dimension makes the array empty whatever the others are */
  CHECK_EQ_INT(gaussreg_array_init(&a, NULL, GAUSSREG_F32, 2, zero, &e), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_array_numel(&a), 0);
  /* ... but its other dims still have to fit: the strides multiply them */
  {
    int64_t z3[3] = {0, (int64_t)1 << 41, (int64_t)1 << 41};
    CHECK_EQ_INT(gaussreg_array_init(&a, NULL, GAUSSREG_F64, 3, z3, &e), GAUSSREG_ESHAPE);
    CHECK_STR(e.msg, "shape (0,2199023255552,2199023255552) has too many elements (more than 9007199254740992)");
  }
  CHECK_EQ_INT(gaussreg_array_init(NULL, d, GAUSSREG_F64, 0, NULL, NULL), GAUSSREG_EINVAL);
}

static int create(gaussreg_array *mean, gaussreg_array *std, double w, int fit,
                  gaussreg **g, gaussreg_error *e) {
  gaussreg_config c;
  gaussreg_config_init(&c);
  c.mean = mean;
  c.std = std;
  c.weight = w;
  c.fit_hyper = fit;
  return gaussreg_create(&c, g, e);
}

static void test_create_errors(void) {
  double m[3] = {0, 1, 2}, s[3] = {1, 2, 3}, bad[2] = {0, NAN};
  double negs[2] = {1, -1}, inf = INFINITY;
  gaussreg_array am = vec(m, 2), as3 = vec(s, 3), anan = vec(bad, 2);
  gaussreg_array aneg = vec(negs, 2), ainf = scalar(&inf), as = vec(s, 2);
  gaussreg *g = (gaussreg *)&g;
  gaussreg_error e;
  gaussreg_config c;

  CHECK_EQ_INT(gaussreg_create(NULL, &g, &e), GAUSSREG_EINVAL);
  CHECK(g == NULL);
  CHECK_STR(e.arg, "config");
  CHECK_EQ_INT(create(NULL, &as, 1, 0, &g, &e), GAUSSREG_EINVAL);
  CHECK_STR(e.arg, "mean");
  CHECK_STR(e.msg, "is NULL");
  CHECK_EQ_INT(create(&am, &as3, 1, 0, &g, &e), GAUSSREG_ESHAPE);
  CHECK_STR(e.arg, "std");
  CHECK_STR(e.msg, "shape (3) does not broadcast with mean shape (2)");
  CHECK_EQ_INT(create(&anan, &as, 1, 0, &g, &e), GAUSSREG_EINVAL);
  CHECK_STR(e.arg, "mean");
  CHECK_STR(e.msg, "must be finite, got nan");
  CHECK_EQ_INT(create(&am, &aneg, 1, 0, &g, &e), GAUSSREG_EINVAL);
  CHECK_STR(e.arg, "std");
  CHECK_STR(e.msg, "must be >= 0, got -1");
  CHECK_EQ_INT(create(&am, &ainf, 1, 0, &g, &e), GAUSSREG_EINVAL);
  CHECK_STR(e.msg, "must be finite, got inf");
  CHECK_EQ_INT(create(&am, &as, NAN, 0, &g, &e), GAUSSREG_EINVAL);
  CHECK_STR(e.arg, "weight");
  CHECK_STR(e.msg, "must be finite, got nan");
  CHECK(g == NULL);
  /* a NULL data pointer with elements to read */
  as.data = NULL;
  CHECK_EQ_INT(create(&am, &as, 1, 0, &g, &e), GAUSSREG_EINVAL);
  CHECK_STR(e.arg, "std");
  CHECK_STR(e.msg, "data is NULL");
  as.data = s;
  gaussreg_config_init(&c);
  c.mean = &am;
  c.std = &as;
  c.log_mode = (gaussreg_log_mode)3;
  CHECK_EQ_INT(gaussreg_create(&c, &g, &e), GAUSSREG_EINVAL);
  CHECK_STR(e.arg, "log_mode");
  CHECK_EQ_INT(gaussreg_create(&c, NULL, NULL), GAUSSREG_EINVAL);
}

static void test_values(void) {
  /* mean given with a negative stride and as float32; std as a column */
  double m[3] = {2.0, 1.0, 0.0};
  float sf[2] = {0.5f, 2.0f};
  gaussreg_array am, as;
  gaussreg *g = NULL;
  gaussreg_error e;
  const gaussreg_array *p, *mm;
  int64_t col[2] = {2, 1};
  const double *pd, *md;
  am = vec(m + 2, 3);
  am.strides[0] = -1;
  gaussreg_array_init(&as, sf, GAUSSREG_F32, 2, col, NULL);
  CHECK_EQ_INT(create(&am, &as, 0.25, 0, &g, &e), GAUSSREG_OK);
  if (g == NULL) return;
  mm = gaussreg_mean(g);
  md = (const double *)mm->data;
  CHECK_EQ_INT(mm->ndim, 1);
  CHECK_EQ_INT(mm->shape[0], 3);
  CHECK(md[0] == 0.0 && md[1] == 1.0 && md[2] == 2.0);
  p = gaussreg_precision(g);
  pd = (const double *)p->data;
  CHECK_EQ_INT(p->ndim, 2);
  CHECK_EQ_INT(p->shape[0], 2);
  CHECK_EQ_INT(p->shape[1], 1);
  CHECK_EQ_INT(p->strides[0], 1);
  CHECK(pd[0] == 1.0 / (0.25 + 1e-8));
  CHECK(pd[1] == 1.0 / (4.0 + 1e-8));
  CHECK(gaussreg_weight(g) == 0.25);
  CHECK_EQ_INT(gaussreg_fit_hyper(g), 0);
  CHECK_EQ_INT(gaussreg_get_log_mode(g), GAUSSREG_LOG_PER_PRECISION);
  /* std = 0 gives the largest finite precision, 1e8 */
  gaussreg_destroy(g);
  {
    double z = 0.0, zm = 3.0;
    gaussreg_array az = scalar(&z), azm = scalar(&zm);
    CHECK_EQ_INT(create(&azm, &az, 1, 0, &g, &e), GAUSSREG_OK);
    CHECK_NEAR(((const double *)gaussreg_precision(g)->data)[0], 1e8, 1e-15);
    gaussreg_destroy(g);
  }
  gaussreg_destroy(NULL);
}

static void test_setters(void) {
  double m = 0.0, s = 1.0, m2[4] = {1, 2, 3, 4}, p2[2] = {-1.0, 4.0};
  double nan = NAN, m3[3] = {0, 0, 0};
  gaussreg_array am = scalar(&m), as = scalar(&s), am2 = vec(m2, 4);
  gaussreg_array ap2 = vec(p2, 2), anan = scalar(&nan), am3 = vec(m3, 3);
  gaussreg *g = NULL, *f = NULL;
  gaussreg_error e;
  int64_t col[2] = {2, 1};
  CHECK_EQ_INT(create(&am, &as, 1, 0, &f, &e), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_set_mean(f, &am2, &e), GAUSSREG_EFIXED);
  CHECK_STR(e.arg, "mean");
  CHECK_STR(e.msg, "hyperparameters are fixed: construct with fit_hyper = true");
  CHECK_EQ_INT(gaussreg_set_precision(f, &am2, &e), GAUSSREG_EFIXED);
  CHECK_STR(e.arg, "precision");
  CHECK_EQ_INT(gaussreg_set_weight(f, 2.0, &e), GAUSSREG_EFIXED);
  CHECK_STR(e.arg, "weight");
  /* the log mode is a modelling choice: settable without fit_hyper */
  CHECK_EQ_INT(gaussreg_set_log_mode(f, GAUSSREG_LOG_PER_ELEMENT, &e), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_get_log_mode(f), GAUSSREG_LOG_PER_ELEMENT);
  CHECK_EQ_INT(gaussreg_set_log_mode(f, (gaussreg_log_mode)9, &e), GAUSSREG_EINVAL);
  gaussreg_destroy(f);

  CHECK_EQ_INT(create(&am, &as, 1, 1, &g, &e), GAUSSREG_OK);
  if (g == NULL) return;
  CHECK_EQ_INT(gaussreg_set_mean(g, &am2, &e), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_mean(g)->shape[0], 4);
  CHECK(((const double *)gaussreg_mean(g)->data)[3] == 4.0);
  /* precision as a column (2,1) broadcasts with mean (4); negatives allowed */
  gaussreg_array_init(&ap2, p2, GAUSSREG_F64, 2, col, NULL);
  CHECK_EQ_INT(gaussreg_set_precision(g, &ap2, &e), GAUSSREG_OK);
  CHECK(((const double *)gaussreg_precision(g)->data)[0] == -1.0);
  CHECK_EQ_INT(gaussreg_precision(g)->ndim, 2);
  /* a mean that does not broadcast with the precision: g unchanged */
  am3 = vec(m3, 3);
  CHECK_EQ_INT(gaussreg_set_mean(g, &am3, &e), GAUSSREG_OK);
  ap2 = vec(p2, 2);
  CHECK_EQ_INT(gaussreg_set_precision(g, &ap2, &e), GAUSSREG_ESHAPE);
  CHECK_STR(e.arg, "precision");
  CHECK_STR(e.msg, "shape (2) does not broadcast with mean shape (3)");
  {
    int64_t s41[2] = {4, 1};
    gaussreg_array a41;
    gaussreg_array_init(&a41, m2, GAUSSREG_F64, 2, s41, NULL);
    CHECK_EQ_INT(gaussreg_set_mean(g, &a41, &e), GAUSSREG_ESHAPE);
    CHECK_STR(e.arg, "mean");
    CHECK_STR(e.msg, "shape (4,1) does not broadcast with precision shape (2,1)");
  }
  CHECK_EQ_INT(gaussreg_mean(g)->shape[0], 3);
  CHECK_EQ_INT(gaussreg_set_precision(g, &anan, &e), GAUSSREG_EINVAL);
  CHECK_STR(e.msg, "must be finite, got nan");
  CHECK_EQ_INT(gaussreg_set_weight(g, INFINITY, &e), GAUSSREG_EINVAL);
  CHECK_STR(e.arg, "weight");
  CHECK_EQ_INT(gaussreg_set_weight(g, 3.5, &e), GAUSSREG_OK);
  CHECK(gaussreg_weight(g) == 3.5);
  CHECK_EQ_INT(gaussreg_set_mean(NULL, &am, &e), GAUSSREG_EINVAL);
  CHECK_STR(e.arg, "self");
  gaussreg_destroy(g);
}

/* gaussreg_format: what the bindings' tostring shows. */
static void test_format(void) {
  double m = -1.5, s = 3.0, m2[2] = {0, 1}, s2[2] = {1, 2}, p = 0.25, z = 0;
  gaussreg_array am = scalar(&m), as = scalar(&s), am2 = vec(m2, 2);
  gaussreg_array as2 = vec(s2, 2), ap = scalar(&p), az = scalar(&z);
  gaussreg *g = NULL, *h = NULL;
  gaussreg_error e;
  char buf[200], tiny[12];
  CHECK_STR(gaussreg_format(NULL, buf, sizeof buf), "GaussianReg(NULL)");
  CHECK_EQ_INT(create(&am, &as, 1e-3, 1, &g, &e), GAUSSREG_OK);
  CHECK_EQ_INT(create(&am2, &as2, 1, 0, &h, &e), GAUSSREG_OK);
  if (g == NULL || h == NULL) return;
  CHECK_STR(gaussreg_format(g, buf, sizeof buf),
            "GaussianReg(mean=-1.5, std=3, weight=0.001, fit_hyper=true)");
  /* the std is rebuilt from the stored precision: sqrt(1/p - 1e-8) */
  CHECK_EQ_INT(gaussreg_set_precision(g, &ap, &e), GAUSSREG_OK);
  CHECK_STR(gaussreg_format(g, buf, sizeof buf),
            "GaussianReg(mean=-1.5, std=1.9999999975, weight=0.001, "
            "fit_hyper=true)");
  CHECK_EQ_INT(gaussreg_set_precision(g, &az, &e), GAUSSREG_OK);
  CHECK_STR(gaussreg_format(g, buf, sizeof buf),
            "GaussianReg(mean=-1.5, std=inf, weight=0.001, fit_hyper=true)");
  CHECK_EQ_INT(gaussreg_set_log_mode(h, GAUSSREG_LOG_PER_ELEMENT, &e),
               GAUSSREG_OK);
  CHECK_STR(gaussreg_format(h, buf, sizeof buf),
            "GaussianReg(mean=<array (2)>, std=<array (2)>, weight=1, "
            "fit_hyper=false, log_mode=per_element)");
  /* truncated, still terminated; a zero size writes nothing */
  CHECK_STR(gaussreg_format(h, tiny, sizeof tiny), "GaussianReg");
  tiny[0] = 'x';
  CHECK(gaussreg_format(h, tiny, 0) == tiny && tiny[0] == 'x');
  gaussreg_destroy(g);
  gaussreg_destroy(h);
}

static void test_isa(void) {
  double m = 0.0, s = 1.0;
  gaussreg_array am = scalar(&m), as = scalar(&s);
  gaussreg *g = NULL;
  gaussreg_error e;
  int i;
  CHECK(gaussreg_isa_supported(GAUSSREG_ISA_AUTO));
  CHECK(gaussreg_isa_supported(GAUSSREG_ISA_SCALAR));
  CHECK(gaussreg_isa_best() != GAUSSREG_ISA_AUTO);
  CHECK_STR(gaussreg_isa_name(GAUSSREG_ISA_SCALAR), "scalar");
  CHECK_EQ_INT(gaussreg_isa_from_name("avx2"), GAUSSREG_ISA_AVX2);
  CHECK_EQ_INT(gaussreg_isa_from_name("mmx"), -1);
  CHECK(gaussreg_isa_name((gaussreg_isa)42) == NULL);
  CHECK_EQ_INT(create(&am, &as, 1, 0, &g, &e), GAUSSREG_OK);
  if (g == NULL) return;
  CHECK_EQ_INT(gaussreg_get_isa(g), gaussreg_isa_best());
  for (i = GAUSSREG_ISA_SCALAR; i <= GAUSSREG_ISA_WASM128; i++) {
    int rc = gaussreg_set_isa(g, (gaussreg_isa)i, &e);
    if (gaussreg_isa_supported((gaussreg_isa)i)) {
      CHECK_EQ_INT(rc, GAUSSREG_OK);
      CHECK_EQ_INT(gaussreg_get_isa(g), i);
    } else {
      CHECK_EQ_INT(rc, GAUSSREG_EISA);
      CHECK_STR(e.arg, "isa");
    }
  }
  CHECK_EQ_INT(gaussreg_set_isa(g, GAUSSREG_ISA_AUTO, &e), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_get_isa(g), gaussreg_isa_best());
  CHECK_EQ_INT(gaussreg_set_isa(g, (gaussreg_isa)99, &e), GAUSSREG_EINVAL);
  gaussreg_destroy(g);
}

/* Every allocation of a create/set/destroy scenario fails in turn: each
** failure is ENOMEM, leaves nothing allocated and the object unchanged. */
static void test_allocator(void) {
  double m[3] = {0, 1, 2}, s[3] = {1, 2, 3}, m6[6] = {1, 1, 1, 1, 1, 1};
  int64_t s23[2] = {2, 3};
  gaussreg_array am = vec(m, 3), as = vec(s, 3), am6;
  gaussreg_allocator a;
  gaussreg_config c;
  gaussreg_error e;
  counting cnt;
  long k, total = 0;
  int failures = 0;
  gaussreg_array_init(&am6, m6, GAUSSREG_F64, 2, s23, NULL);
  a.alloc = counting_alloc;
  a.ud = &cnt;
  for (k = 1; k < 20; k++) {
    gaussreg *g = NULL;
    int rc;
    memset(&cnt, 0, sizeof cnt);
    cnt.fail_at = k;
    gaussreg_config_init(&c);
    c.mean = &am;
    c.std = &as;
    c.fit_hyper = 1;
    c.allocator = &a;
    rc = gaussreg_create(&c, &g, &e);
    if (rc == GAUSSREG_OK) {
      rc = gaussreg_set_mean(g, &am6, &e);
      if (rc == GAUSSREG_OK) {
        CHECK_EQ_INT(gaussreg_mean(g)->ndim, 2);
      } else {
        CHECK_EQ_INT(gaussreg_mean(g)->shape[0], 3);
      }
      gaussreg_destroy(g);
    }
    if (rc != GAUSSREG_OK) {
      failures++;
      CHECK_EQ_INT(rc, GAUSSREG_ENOMEM);
      CHECK_STR(e.msg, "out of memory");
    } else {
      total = cnt.calls;
    }
    CHECK_EQ_INT(cnt.live_bytes, 0);
    CHECK_EQ_INT(cnt.live_blocks, 0);
    if (rc == GAUSSREG_OK && cnt.calls < k) break;
  }
  CHECK_EQ_INT(failures, 4); /* object, mean, precision, new mean */
  CHECK_EQ_INT(total, 4);
  a.alloc = NULL;
  gaussreg_config_init(&c);
  c.mean = &am;
  c.std = &as;
  c.allocator = &a;
  {
    gaussreg *g = NULL;
    CHECK_EQ_INT(gaussreg_create(&c, &g, &e), GAUSSREG_EINVAL);
    CHECK_STR(e.arg, "allocator");
  }
}

int main(void) {
  test_strings();
  test_array_init();
  test_create_errors();
  test_values();
  test_setters();
  test_format();
  test_isa();
  test_allocator();
  return check_done("test_core");
}
