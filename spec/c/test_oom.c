/*
** test_oom.c -- out-of-memory injection, as SQLite does it.
**
** A full scenario (create with threads 2, set_mean/set_precision to new
** shapes, set_threads to 3, loss, grad,
** loss_and_grad, hyper_grad, sample_init, state save into a buffer from the
** same allocator, restore, loss on the restored object, destroy) runs once
** with a counting allocator to learn how many allocation requests it makes
** (N). Then, for every k in 1..N, it runs again with the k-th request failing
** (once, and again with every request from the k-th on failing): each run
** must end with GAUSSREG_ENOMEM reported with "out of memory", the objects
** that exist at that point must still be intact and usable, and after
** cleanup the allocator must have no block left. loss, grad, hyper_grad and
** sample_init must not allocate at all (the header promises it).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gaussreg.h"
#include "../fuzz/fuzz_common.h"

typedef struct scenario_out {
  double loss, loss_restored;
  double sample[12];
  int failed_at_step; /* which step reported ENOMEM (0: none) */
} scenario_out;

static const double MEAN[6] = {0.5, -1.0, 2.0, 0.0, 1.5, -0.25};
static const double STD[3] = {1.0, 0.5, 2.0};
static const double MEAN2[2] = {0.25, -0.75};
static const double PREC2[2] = {2.0, 4.0};
static const double XV[24] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                              -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12};

/* An allocation the scenario itself makes (the state buffer), through the
** same allocator, as a binding would. */
static void *own_alloc(fz_alloc *a, size_t n) {
  return fz_alloc_fn(a, NULL, 0, n);
}
static void own_free(fz_alloc *a, void *p, size_t n) {
  if (p != NULL) fz_alloc_fn(a, p, n, 0);
}

/* A failure of step `step` must be ENOMEM with the standard message. */
static int oom(int rc, const gaussreg_error *err, int step, scenario_out *o) {
  if (rc == GAUSSREG_OK) return 0;
  CHECK_EQ_INT(rc, GAUSSREG_ENOMEM);
  CHECK_EQ_INT(err->code, GAUSSREG_ENOMEM);
  CHECK_STR(err->msg, "out of memory");
  o->failed_at_step = step;
  return 1;
}

/* Returns GAUSSREG_OK or GAUSSREG_ENOMEM; everything is freed either way. */
static int scenario(fz_alloc *al, scenario_out *o) {
  gaussreg_allocator allocator;
  gaussreg_config cfg;
  gaussreg_error err;
  gaussreg_array mean, std, m2, p2, x, gx, gm, gp, out;
  int64_t s23[2] = {2, 3}, s3[1] = {3}, s21[2] = {2, 1}, s2[1] = {2};
  int64_t s423[3] = {4, 2, 2}, s322[3] = {3, 2, 2};
  double gxv[16], gmv[2], gpv[2], gw, loss2, samples[12];
  gaussreg *g = NULL, *g2 = NULL;
  unsigned char *buf = NULL;
  size_t cap = 0, written = 0;
  long before;
  int rc = GAUSSREG_OK;

  memset(o, 0, sizeof *o);
  allocator.alloc = fz_alloc_fn;
  allocator.ud = al;
  gaussreg_array_init(&mean, (void *)(uintptr_t)MEAN, GAUSSREG_F64, 2, s23, NULL);
  gaussreg_array_init(&std, (void *)(uintptr_t)STD, GAUSSREG_F64, 1, s3, NULL);
  gaussreg_config_init(&cfg);
  cfg.mean = &mean;
  cfg.std = &std;
  cfg.weight = 0.5;
  cfg.fit_hyper = 1;
  cfg.seed = 42;
  cfg.allocator = &allocator;
  cfg.threads = 2; /* the pool's block is one more request of create */

  /* step 1: create */
  rc = gaussreg_create(&cfg, &g, &err);
  if (oom(rc, &err, 1, o)) {
    CHECK(g == NULL);
    goto done;
  }
  /* steps 2, 3: new shapes for the hyperparameters (reallocation); on
  ** failure the object is unchanged */
  gaussreg_array_init(&m2, (void *)(uintptr_t)MEAN2, GAUSSREG_F64, 2, s21, NULL);
  rc = gaussreg_set_mean(g, &m2, &err);
  if (oom(rc, &err, 2, o)) {
    const gaussreg_array *m = gaussreg_mean(g);
    CHECK_EQ_INT(m->ndim, 2);
    CHECK_EQ_INT(m->shape[1], 3);
    CHECK(memcmp(m->data, MEAN, sizeof MEAN) == 0);
    goto done;
  }
  gaussreg_array_init(&p2, (void *)(uintptr_t)PREC2, GAUSSREG_F64, 1, s2, NULL);
  rc = gaussreg_set_precision(g, &p2, &err);
  if (oom(rc, &err, 3, o)) {
    const gaussreg_array *p = gaussreg_precision(g);
    CHECK_EQ_INT(p->ndim, 1);
    CHECK_EQ_INT(p->shape[0], 3);
    CHECK_NEAR(((const double *)p->data)[1], 1.0 / (0.25 + 1e-8), 1e-15);
    goto done;
  }

  /* step 11: a new thread count is a new pool; on failure the old stays */
  rc = gaussreg_set_threads(g, 3, &err);
  if (rc != GAUSSREG_OK) {
    CHECK_STR(err.arg, "threads");
    if (oom(rc, &err, 11, o)) CHECK_EQ_INT(gaussreg_get_threads(g), 2);
    goto done;
  }
  CHECK_EQ_INT(gaussreg_get_threads(g), 3);

  /* steps 4..8: the math never allocates */
  before = al->count;
  gaussreg_array_init(&x, (void *)(uintptr_t)XV, GAUSSREG_F64, 3, s423, NULL);
  gaussreg_array_init(&gx, gxv, GAUSSREG_F64, 3, s423, NULL);
  gaussreg_array_init(&gm, gmv, GAUSSREG_F64, 2, s21, NULL);
  gaussreg_array_init(&gp, gpv, GAUSSREG_F64, 1, s2, NULL);
  gaussreg_array_init(&out, samples, GAUSSREG_F64, 3, s322, NULL);
  CHECK_EQ_INT(gaussreg_loss(g, &x, &o->loss, &err), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_grad(g, &x, &gx, &err), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_loss_and_grad(g, &x, &loss2, &gx, &err), GAUSSREG_OK);
  CHECK_NEAR(loss2, o->loss, 1e-14);
  CHECK_EQ_INT(gaussreg_hyper_grad(g, &x, &gm, &gp, &gw, &err), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_sample_init(g, 3, s322, &out, &err), GAUSSREG_OK);
  memcpy(o->sample, samples, sizeof o->sample);
  CHECK_EQ_INT(al->count, before);

  /* step 9: the state, into a buffer of the same allocator */
  cap = gaussreg_state_size(g);
  buf = (unsigned char *)own_alloc(al, cap);
  if (buf == NULL) {
    rc = GAUSSREG_ENOMEM;
    o->failed_at_step = 9;
    goto done;
  }
  CHECK_EQ_INT(gaussreg_state_save(g, buf, cap, &written, &err), GAUSSREG_OK);
  CHECK_EQ_INT(written, cap);

  /* step 10: restore through the same allocator */
  rc = gaussreg_state_restore(buf, written, &allocator, &g2, &err);
  if (oom(rc, &err, 10, o)) {
    CHECK(g2 == NULL);
    goto done;
  }
  before = al->count;
  CHECK_EQ_INT(gaussreg_loss(g2, &x, &o->loss_restored, &err), GAUSSREG_OK);
  CHECK_EQ_INT(al->count, before);
  rc = GAUSSREG_OK;

done:
  if (g != NULL) { /* whatever failed, g still computes the same loss */
    double l = 0;
    gaussreg_array xs;
    gaussreg_array_init(&xs, (void *)(uintptr_t)XV, GAUSSREG_F64, 0, NULL, NULL);
    CHECK_EQ_INT(gaussreg_loss(g, &xs, &l, &err), GAUSSREG_OK);
    CHECK(isfinite(l));
  }
  own_free(al, buf, cap);
  gaussreg_destroy(g2);
  gaussreg_destroy(g);
  return rc;
}

int main(void) {
  fz_alloc al;
  scenario_out ref, o;
  long n, k;
  int mode, runs = 0;

  memset(&al, 0, sizeof al);
  CHECK_EQ_INT(scenario(&al, &ref), GAUSSREG_OK);
  CHECK_EQ_INT(al.live, 0);
  CHECK_EQ_INT(al.bytes, 0);
  CHECK(!al.size_error);
  CHECK(ref.loss == ref.loss_restored);
  n = al.count;
  /* create: object + mean + precision + pool; two setters; set_threads;
  ** state buffer; restore: temporary + object + mean + precision */
  CHECK(n >= 10);

  for (mode = 0; mode < 2; mode++) {
    for (k = 1; k <= n; k++) {
      memset(&al, 0, sizeof al);
      al.fail_at = k;
      al.persistent = mode;
      CHECK_EQ_INT(scenario(&al, &o), GAUSSREG_ENOMEM);
      CHECK(o.failed_at_step > 0);
      CHECK_EQ_INT(al.live, 0);
      CHECK_EQ_INT(al.bytes, 0);
      CHECK(!al.size_error);
      runs++;
    }
  }
  /* failing beyond the last request changes nothing */
  memset(&al, 0, sizeof al);
  al.fail_at = n + 1;
  CHECK_EQ_INT(scenario(&al, &o), GAUSSREG_OK);
  CHECK(o.loss == ref.loss);
  CHECK(memcmp(o.sample, ref.sample, sizeof o.sample) == 0);
  printf("test_oom: %ld allocation requests per scenario, %d failing runs\n",
         n, runs);
  return check_done("test_oom");
}
