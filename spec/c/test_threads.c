/*
** test_threads.c -- gaussianreg from several threads at once.
**
** 1. Independent objects: every thread creates its own regularizer (its own
**    prior, seed and allocator) and runs a fixed job -- sample_init,
**    loss_and_grad, hyper_grad, reseeding, set_mean, state save/restore,
**    destroy. The same jobs run first concurrently (all threads released
**    together by a barrier, before anything else touched the library, so
**    any lazy one-time initialisation happens under contention) and then
**    serially; the results must be bit-identical.
** 2. One shared object: the const functions (loss, grad, hyper_grad,
**    state_save) run on it from every thread at once and must agree with
**    the serial answers.
** 3. Objects with threads of their own (issue 15): a shared object with a
**    pool of 3 threads takes loss, grad and hyper_grad calls large enough to
**    be split from every thread at once (one call gets the workers, the
**    others run on their own thread); another hands its work to an executor
**    running tasks on threads of the test's own; the pool is resized and
**    destroyed between rounds. Every answer must be the one-thread bits.
** Built as part of `make test-c`; `make test-tsan` runs it under
** ThreadSanitizer, which reports any data race inside the library.
*/
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "exec_threads.h"
#include "gaussreg_internal.h"

enum { NTHREADS = 4, N = 96, ROUNDS = 12, STATE_MAX = 4096 };

/* A per-thread counting allocator: no shared mutable state. */
typedef struct counter {
  size_t live, blocks;
} counter;

static void *count_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  counter *c = (counter *)ud;
  void *p;
  if (ptr == NULL) osize = 0;
  if (nsize == 0) {
    if (ptr != NULL) {
      c->live -= osize;
      c->blocks--;
      free(ptr);
    }
    return NULL;
  }
  p = realloc(ptr, nsize);
  if (p == NULL) return NULL;
  if (ptr == NULL) c->blocks++;
  c->live = c->live - osize + nsize;
  return p;
}

/* What one job produces; compared bit for bit between runs. */
typedef struct result {
  int status;              /* first failing status, GAUSSREG_OK if none */
  double losses[ROUNDS];
  double gweights[ROUNDS];
  double sample[N];        /* last draws */
  double grad[N];          /* last gradient */
  double gmean[N];         /* last mean gradient */
  unsigned char state[STATE_MAX];
  size_t state_len;
  counter mem;             /* must end at zero */
} result;

typedef struct job {
  int id;
  pthread_barrier_t *barrier;  /* NULL when run serially */
  const gaussreg *shared;      /* part 2: the shared object */
  const double *shared_value;
  result *res;
  double shared_loss;          /* part 2 outputs */
  double shared_grad[N];
  double shared_gprec[N];
  unsigned char shared_state[STATE_MAX];
  size_t shared_state_len;
} job;

#define TRY(call)                              \
  do {                                         \
    int try_rc_ = (call);                      \
    if (try_rc_ != GAUSSREG_OK) {              \
      r->status = try_rc_;                     \
      goto done;                               \
    }                                          \
  } while (0)

/* The independent job of thread `id`. */
static void run_job(int id, result *r) {
  const int64_t shape[1] = {N};
  double mean[N], std[N], newmean[N];
  gaussreg_array am, as, x, gx, gm;
  gaussreg_config cfg;
  gaussreg_allocator alloc;
  gaussreg *g = NULL, *h = NULL;
  size_t len;
  int i, k;

  memset(r, 0, sizeof *r);
  for (i = 0; i < N; i++) {
    mean[i] = 0.1 * id - 0.01 * i;
    std[i] = 0.5 + 0.25 * id + 0.001 * i;
    newmean[i] = -mean[i];
  }
  alloc.alloc = count_alloc;
  alloc.ud = &r->mem;
  gaussreg_config_init(&cfg);
  TRY(gaussreg_array_init(&am, mean, GAUSSREG_F64, 1, shape, NULL));
  TRY(gaussreg_array_init(&as, std, GAUSSREG_F64, 1, shape, NULL));
  TRY(gaussreg_array_init(&x, r->sample, GAUSSREG_F64, 1, shape, NULL));
  TRY(gaussreg_array_init(&gx, r->grad, GAUSSREG_F64, 1, shape, NULL));
  TRY(gaussreg_array_init(&gm, r->gmean, GAUSSREG_F64, 1, shape, NULL));
  cfg.mean = &am;
  cfg.std = &as;
  cfg.weight = 0.25 + id;
  cfg.fit_hyper = 1;
  cfg.log_mode = id % 2 ? GAUSSREG_LOG_PER_ELEMENT : GAUSSREG_LOG_PER_PRECISION;
  cfg.seed = 1000u + (uint64_t)id;
  cfg.allocator = &alloc;
  TRY(gaussreg_create(&cfg, &g, NULL));
  for (k = 0; k < ROUNDS; k++) {
    if (k % 4 == 3) gaussreg_seed(g, 7u * (uint64_t)k + (uint64_t)id);
    if (k == 6) TRY(gaussreg_set_mean(g, &am, NULL));
    if (k == 8) {
      gaussreg_array an;
      TRY(gaussreg_array_init(&an, newmean, GAUSSREG_F64, 1, shape, NULL));
      TRY(gaussreg_set_mean(g, &an, NULL));
    }
    TRY(gaussreg_sample_init(g, 1, shape, &x, NULL));
    TRY(gaussreg_loss_and_grad(g, &x, &r->losses[k], &gx, NULL));
    TRY(gaussreg_hyper_grad(g, &x, &gm, NULL, &r->gweights[k], NULL));
    if (k % 5 == 4) { /* checkpoint, continue from the restored copy */
      len = gaussreg_state_size(g);
      if (len > STATE_MAX) {
        r->status = GAUSSREG_ESHAPE;
        goto done;
      }
      TRY(gaussreg_state_save(g, r->state, STATE_MAX, &r->state_len, NULL));
      TRY(gaussreg_state_restore(r->state, r->state_len, &alloc, &h, NULL));
      gaussreg_destroy(g);
      g = h;
      h = NULL;
    }
  }
done:
  gaussreg_destroy(g);
  gaussreg_destroy(h);
}

/* The shared-object job: only const functions. */
static void run_shared(job *j) {
  const int64_t shape[1] = {N};
  gaussreg_array x, gx, gp;
  double value[N];
  memcpy(value, j->shared_value, sizeof value);
  gaussreg_array_init(&x, value, GAUSSREG_F64, 1, shape, NULL);
  gaussreg_array_init(&gx, j->shared_grad, GAUSSREG_F64, 1, shape, NULL);
  gaussreg_array_init(&gp, j->shared_gprec, GAUSSREG_F64, 1, shape, NULL);
  j->shared_loss = 0;
  if (gaussreg_loss(j->shared, &x, &j->shared_loss, NULL) != GAUSSREG_OK ||
      gaussreg_grad(j->shared, &x, &gx, NULL) != GAUSSREG_OK ||
      gaussreg_hyper_grad(j->shared, &x, NULL, &gp, NULL, NULL) !=
          GAUSSREG_OK ||
      gaussreg_state_save(j->shared, j->shared_state, STATE_MAX,
                          &j->shared_state_len, NULL) != GAUSSREG_OK)
    j->shared_loss = -1; /* a loss here is always > 0: flags failure */
}

static void *thread_main(void *arg) {
  job *j = (job *)arg;
  if (j->barrier) pthread_barrier_wait(j->barrier);
  run_job(j->id, j->res);
  if (j->barrier) pthread_barrier_wait(j->barrier);
  run_shared(j);
  return NULL;
}

static int same_result(const result *a, const result *b) {
  return a->status == b->status && same_bits(a->losses, b->losses, ROUNDS) &&
         same_bits(a->gweights, b->gweights, ROUNDS) &&
         same_bits(a->sample, b->sample, N) &&
         same_bits(a->grad, b->grad, N) && same_bits(a->gmean, b->gmean, N) &&
         a->state_len == b->state_len &&
         memcmp(a->state, b->state, a->state_len) == 0;
}

/* ---- part 3: objects with threads of their own ------------------------- */

enum { BIG = 3 * GAUSSREG_CHUNK + 517, ROUNDS3 = 3 };

typedef struct big_out {
  double loss, gweight;
  double *grad; /* BIG */
  double gmean[3];
} big_out;

typedef struct big_job {
  const gaussreg *g;
  const double *x;
  pthread_barrier_t *barrier;
  big_out out[ROUNDS3];
  int status;
} big_job;

/* x is (BIG/3... ) = (n3, 3) with a mean of shape (3): loss, grad of x
** (elementwise), hyper_grad's gmean (a reduction per column) and gweight. */
static int big_ops(const gaussreg *g, const double *x, big_out *o) {
  const int64_t shape[2] = {BIG / 3, 3}, ms[1] = {3};
  gaussreg_array ax, ag, am;
  int rc;
  gaussreg_array_init(&ax, (void *)(uintptr_t)x, GAUSSREG_F64, 2, shape, NULL);
  gaussreg_array_init(&ag, o->grad, GAUSSREG_F64, 2, shape, NULL);
  gaussreg_array_init(&am, o->gmean, GAUSSREG_F64, 1, ms, NULL);
  if ((rc = gaussreg_loss(g, &ax, &o->loss, NULL)) != GAUSSREG_OK) return rc;
  if ((rc = gaussreg_grad(g, &ax, &ag, NULL)) != GAUSSREG_OK) return rc;
  return gaussreg_hyper_grad(g, &ax, &am, NULL, &o->gweight, NULL);
}

static void *big_main(void *arg) {
  big_job *j = (big_job *)arg;
  int r;
  for (r = 0; r < ROUNDS3; r++) {
    if (j->barrier) pthread_barrier_wait(j->barrier);
    if (big_ops(j->g, j->x, &j->out[r]) != GAUSSREG_OK) j->status = -1;
  }
  return NULL;
}

static int same_big(const big_out *a, const big_out *b) {
  return same_bits(&a->loss, &b->loss, 1) &&
         same_bits(&a->gweight, &b->gweight, 1) &&
         same_bits(a->grad, b->grad, BIG / 3 * 3) &&
         same_bits(a->gmean, b->gmean, 3);
}

/* An executor whose tasks run on threads of their own, all at once,
** counting its calls (from concurrent callers). */
static void ex_run(void *ud, int ntasks, gaussreg_task_fn fn, void *arg) {
  long *calls = (long *)ud;
  __atomic_fetch_add(calls, 1, __ATOMIC_RELAXED);
  exec_on_threads(ntasks, fn, arg);
}

static void part3(void) {
  const int64_t ms[1] = {3};
  double mean[3] = {0.5, -1.0, 2.0}, std[3] = {1.0, 0.25, 3.0};
  double *x = (double *)malloc(sizeof(double) * BIG);
  gaussreg_array am, as;
  gaussreg_config cfg;
  gaussreg_executor ex;
  gaussreg *ref = NULL, *pooled = NULL, *exec = NULL;
  static big_job jobs[NTHREADS];
  big_out want;
  pthread_t tid[NTHREADS];
  pthread_barrier_t barrier;
  long calls = 0;
  int i, r, k, round;
  want.grad = (double *)malloc(sizeof(double) * BIG);
  if (x == NULL || want.grad == NULL) {
    CHECK(0);
    return;
  }
  for (i = 0; i < BIG; i++) x[i] = 0.001 * (i % 2001) - 1.0;
  gaussreg_array_init(&am, mean, GAUSSREG_F64, 1, ms, NULL);
  gaussreg_array_init(&as, std, GAUSSREG_F64, 1, ms, NULL);
  gaussreg_config_init(&cfg);
  cfg.mean = &am;
  cfg.std = &as;
  cfg.weight = 1.5;
  cfg.fit_hyper = 1;
  CHECK_EQ_INT(gaussreg_create(&cfg, &ref, NULL), GAUSSREG_OK);
  cfg.threads = 3;
  CHECK_EQ_INT(gaussreg_create(&cfg, &pooled, NULL), GAUSSREG_OK);
  ex.run = ex_run;
  ex.ud = &calls;
  cfg.executor = &ex;
  CHECK_EQ_INT(gaussreg_create(&cfg, &exec, NULL), GAUSSREG_OK);
  if (ref == NULL || pooled == NULL || exec == NULL) return;
  /* split even below the default threshold (a quicker run under TSan) */
  pooled->parallel_min = 0;
  exec->parallel_min = 0;
  CHECK_EQ_INT(big_ops(ref, x, &want), GAUSSREG_OK);
  for (i = 0; i < NTHREADS; i++)
    for (r = 0; r < ROUNDS3; r++) {
      jobs[i].out[r].grad = (double *)malloc(sizeof(double) * BIG);
      if (jobs[i].out[r].grad == NULL) return;
    }
  for (round = 0; round < 3; round++) {
    /* round 1: a new pool of 2; round 2: the executor object */
    const gaussreg *g = round == 2 ? exec : pooled;
    if (round == 1) {
      CHECK_EQ_INT(gaussreg_set_threads(pooled, 2, NULL), GAUSSREG_OK);
      pooled->parallel_min = 0;
    }
    CHECK_EQ_INT(pthread_barrier_init(&barrier, NULL, NTHREADS), 0);
    for (i = 0, k = 0; i < NTHREADS; i++) {
      jobs[i].g = g;
      jobs[i].x = x;
      jobs[i].barrier = &barrier;
      jobs[i].status = 0;
      if (pthread_create(&tid[i], NULL, big_main, &jobs[i]) == 0) k++;
    }
    CHECK_EQ_INT(k, NTHREADS);
    if (k != NTHREADS) return; /* the barrier would hang */
    for (i = 0; i < NTHREADS; i++) pthread_join(tid[i], NULL);
    pthread_barrier_destroy(&barrier);
    for (i = 0; i < NTHREADS; i++) {
      CHECK_EQ_INT(jobs[i].status, 0);
      for (r = 0; r < ROUNDS3; r++) CHECK(same_big(&jobs[i].out[r], &want));
    }
    if (round < 2)
      CHECK_EQ_INT(gaussreg__pool_started(pooled->pool), 2 - round);
  }
  CHECK(calls >= ROUNDS3);
  /* a real value: the gradient of x, 2*w*prec*(x - mean) */
  for (i = 0; i < BIG; i += 4099) {
    int c = i % 3;
    double prec = 1.0 / (std[c] * std[c] + 1e-8) + 1e-6;
    CHECK_NEAR(want.grad[i], 2 * 1.5 * prec * (x[i] - mean[c]), 1e-12);
  }
  for (i = 0; i < NTHREADS; i++)
    for (r = 0; r < ROUNDS3; r++) free(jobs[i].out[r].grad);
  gaussreg_destroy(ref);
  gaussreg_destroy(pooled);
  gaussreg_destroy(exec);
  free(want.grad);
  free(x);
}

int main(void) {
  static result par[NTHREADS], ser[NTHREADS];
  static job jobs[NTHREADS], serial_shared;
  pthread_t tid[NTHREADS];
  pthread_barrier_t barrier;
  const int64_t shape[1] = {N};
  double mean[N], std[N], value[N];
  gaussreg_array am, as;
  gaussreg_config cfg;
  gaussreg *shared = NULL;
  int i, started = 0;

  /* The shared object (created before the threads, used const only). */
  for (i = 0; i < N; i++) {
    mean[i] = 0.02 * i;
    std[i] = 1.0 + 0.01 * i;
    value[i] = 0.5 - 0.03 * i;
  }
  gaussreg_array_init(&am, mean, GAUSSREG_F64, 1, shape, NULL);
  gaussreg_array_init(&as, std, GAUSSREG_F64, 1, shape, NULL);
  gaussreg_config_init(&cfg);
  cfg.mean = &am;
  cfg.std = &as;
  cfg.weight = 0.75;
  cfg.fit_hyper = 1;
  CHECK_EQ_INT(gaussreg_create(&cfg, &shared, NULL), GAUSSREG_OK);
  if (shared == NULL) return check_done("threads");

  /* Concurrent first: nothing but gaussreg_create above ran before. */
  CHECK_EQ_INT(pthread_barrier_init(&barrier, NULL, NTHREADS), 0);
  for (i = 0; i < NTHREADS; i++) {
    jobs[i].id = i;
    jobs[i].barrier = &barrier;
    jobs[i].shared = shared;
    jobs[i].shared_value = value;
    jobs[i].res = &par[i];
    if (pthread_create(&tid[i], NULL, thread_main, &jobs[i]) == 0) started++;
  }
  CHECK_EQ_INT(started, NTHREADS);
  if (started != NTHREADS) return check_done("threads"); /* barrier would hang */
  for (i = 0; i < NTHREADS; i++) pthread_join(tid[i], NULL);
  pthread_barrier_destroy(&barrier);

  /* Then the same jobs one after another on this thread. */
  for (i = 0; i < NTHREADS; i++) run_job(i, &ser[i]);
  serial_shared.shared = shared;
  serial_shared.shared_value = value;
  run_shared(&serial_shared);

  for (i = 0; i < NTHREADS; i++) {
    CHECK_EQ_INT(par[i].status, GAUSSREG_OK);
    CHECK_EQ_INT(ser[i].status, GAUSSREG_OK);
    CHECK(same_result(&par[i], &ser[i]));
    CHECK(par[i].mem.live == 0 && par[i].mem.blocks == 0);
    CHECK(ser[i].mem.live == 0 && ser[i].mem.blocks == 0);
    /* the jobs really differ from each other (distinct priors and seeds) */
    if (i > 0) CHECK(par[i].losses[0] != par[0].losses[0]);
    /* and did real work: draws are finite and not all equal */
    CHECK(par[i].sample[0] == par[i].sample[0] &&
          par[i].sample[0] != par[i].sample[1]);

    CHECK(serial_shared.shared_loss > 0);
    CHECK(jobs[i].shared_loss == serial_shared.shared_loss);
    CHECK(same_bits(jobs[i].shared_grad, serial_shared.shared_grad, N));
    CHECK(same_bits(jobs[i].shared_gprec, serial_shared.shared_gprec, N));
    CHECK(jobs[i].shared_state_len == serial_shared.shared_state_len &&
          memcmp(jobs[i].shared_state, serial_shared.shared_state,
                 serial_shared.shared_state_len) == 0);
  }
  /* grad at the shared value, against the formula: 2*w*prec*(x-mean) */
  for (i = 0; i < N; i += 17) {
    double prec = 1.0 / (std[i] * std[i] + 1e-8) + 1e-6;
    CHECK_NEAR(serial_shared.shared_grad[i],
               2 * 0.75 * prec * (value[i] - mean[i]), 1e-12);
  }
  gaussreg_destroy(shared);
  part3();
  return check_done("threads");
}
