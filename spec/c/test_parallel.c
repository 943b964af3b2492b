/*
** test_parallel.c -- threads and executors give the bits of one thread
** (issue 15).
**
** 1. Every op (loss, grad, loss_and_grad out of place and in place,
**    hyper_grad's three outputs, sample_init) on shapes around the chunk,
**    block and threshold sizes, broadcast and reduced shapes, float32 and
**    float64, strided and negative-stride inputs, with threads 1, 2, 3, 8
**    and four executors (reverse order on the calling thread, one pthread
**    per task, one that runs only task 0, one that runs nothing): all the
**    same bits as threads 1. Most objects get the internal threshold
**    lowered to 0 so that small inputs run in parallel too; the default
**    threshold is checked at its edge.
** 2. The contract itself (docs/numerics.md): a sum over several chunks is
**    the compensated sum of the chunk sums, each what a one-chunk call
**    gives; a large sample is drawn in blocks from generators seeded
**    r + 4 j phi, r the object's next output, and the object moves on by
**    one output.
** 3. The API: thread counts, errors, an executor's task counts, thread
**    start-up failures (the test hook) and pool allocation failures.
*/
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "exec_threads.h"
#include "gaussreg_internal.h"
#include "test_alloc.h"

#define CHUNK GAUSSREG_CHUNK
#define PHI UINT64_C(0x9e3779b97f4a7c15)

/* ---- executors ----------------------------------------------------------- */

typedef struct exec_stats {
  long calls, tasks_max, tasks_run;
  int mode; /* 0 reverse, 1 one pthread per task, 2 task 0 only, 3 none */
} exec_stats;

static void exec_run(void *ud, int ntasks, gaussreg_task_fn task, void *arg) {
  exec_stats *s = (exec_stats *)ud;
  int i;
  s->calls++;
  if (ntasks > s->tasks_max) s->tasks_max = ntasks;
  switch (s->mode) {
    case 0:
      for (i = ntasks - 1; i >= 0; i--) task(arg, i);
      s->tasks_run += ntasks;
      break;
    case 1:
      exec_on_threads(ntasks, task, arg);
      s->tasks_run += ntasks;
      break;
    case 2:
      task(arg, 0);
      s->tasks_run++;
      break;
    default:
      break;
  }
}

/* ---- data ------------------------------------------------------------------ */

/* Deterministic values: a xorshift stream of the test's own. */
static uint64_t ust = UINT64_C(0x9e3779b97f4a7c15);
static double urand(void) {
  ust ^= ust >> 12;
  ust ^= ust << 25;
  ust ^= ust >> 27;
  return (double)((ust * UINT64_C(2685821657736338717)) >> 11) * 0x1p-53;
}

static void *xalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (p == NULL) {
    fprintf(stderr, "test_parallel: out of memory\n");
    exit(2);
  }
  return p;
}

static int64_t numel(int nd, const int64_t *shape) {
  int64_t n = 1;
  int d;
  for (d = 0; d < nd; d++) n *= shape[d];
  return n;
}

/* ---- configurations -------------------------------------------------------- */

enum { NCONF = 8 };
static const char *conf_name[NCONF] = {
    "threads 1", "threads 2", "threads 3", "threads 8",
    "executor reverse", "executor pthreads", "executor task 0 only",
    "executor none"};
static exec_stats estats[NCONF];

/* A regularizer with prior (mean, std) in configuration c; low: threshold
** lowered to 0. */
static gaussreg *make(int c, const gaussreg_array *mean,
                      const gaussreg_array *std, int low) {
  static const int threads[NCONF] = {1, 2, 3, 8, 3, 4, 2, 5};
  gaussreg_config cfg;
  gaussreg_executor ex;
  gaussreg *g = NULL;
  gaussreg_error err;
  gaussreg_config_init(&cfg);
  cfg.mean = mean;
  cfg.std = std;
  cfg.weight = 0.375;
  cfg.fit_hyper = 1;
  cfg.seed = 4242;
  cfg.threads = threads[c];
  if (c >= 4) {
    estats[c].mode = c - 4;
    ex.run = exec_run;
    ex.ud = &estats[c];
    cfg.executor = &ex;
  }
  CHECK_EQ_INT(gaussreg_create(&cfg, &g, &err), GAUSSREG_OK);
  if (g == NULL) {
    fprintf(stderr, "create: %s: %s\n", err.arg, err.msg);
    exit(1);
  }
  CHECK_EQ_INT(gaussreg_get_threads(g), threads[c]);
  if (low) g->parallel_min = 0;
  return g;
}

/* ---- one case: every op -------------------------------------------------- */

typedef struct tcase {
  const char *name;
  int xnd;
  int64_t xshape[3];
  int xf32;   /* x (and the gradient) in float32 */
  int xrev;   /* x read backwards along its last axis (negative stride) */
  int mnd;
  int64_t mshape[3];
  int snd;
  int64_t sshape[3];
} tcase;

typedef struct results {
  double loss, lg_loss, lg_loss_inplace, gweight;
  double *grad, *lg_grad, *inplace, *gmean, *gprec;
} results;

static void results_init(results *r, int64_t nx, int64_t nm, int64_t np) {
  memset(r, 0, sizeof *r);
  r->grad = (double *)xalloc(sizeof(double) * (size_t)nx);
  r->lg_grad = (double *)xalloc(sizeof(double) * (size_t)nx);
  r->inplace = (double *)xalloc(sizeof(double) * (size_t)nx);
  r->gmean = (double *)xalloc(sizeof(double) * (size_t)nm);
  r->gprec = (double *)xalloc(sizeof(double) * (size_t)np);
}

static void results_free(results *r) {
  free(r->grad);
  free(r->lg_grad);
  free(r->inplace);
  free(r->gmean);
  free(r->gprec);
}

/* An array over data (float64 or float32 storage) of shape, reversed along
** its last axis when rev. */
static gaussreg_array view(void *data, int f32, int nd, const int64_t *shape,
                           int rev) {
  gaussreg_array a;
  gaussreg_array_init(&a, data, f32 ? GAUSSREG_F32 : GAUSSREG_F64, nd, shape,
                      NULL);
  if (rev && nd > 0 && shape[nd - 1] > 1) {
    int64_t last = shape[nd - 1] - 1;
    a.data = f32 ? (void *)((float *)data + last)
                 : (void *)((double *)data + last);
    a.strides[nd - 1] = -1;
  }
  return a;
}

/* Widens n elements of an output buffer to double for comparison. */
static void widen(const void *src, int f32, int64_t n, double *dst) {
  int64_t i;
  for (i = 0; i < n; i++)
    dst[i] = f32 ? (double)((const float *)src)[i] : ((const double *)src)[i];
}

static void run_ops(gaussreg *g, const tcase *tc, const void *xdata,
                    results *r) {
  int64_t nx = numel(tc->xnd, tc->xshape);
  int64_t nm = numel(tc->mnd, tc->mshape), np = numel(tc->snd, tc->sshape);
  size_t es = tc->xf32 ? sizeof(float) : sizeof(double);
  void *buf = xalloc(es * (size_t)nx), *copy = xalloc(es * (size_t)nx);
  gaussreg_array x, o, gm, gp;
  gaussreg_error err;
  memcpy(copy, xdata, es * (size_t)nx);
  x = view(copy, tc->xf32, tc->xnd, tc->xshape, tc->xrev);
  o = view(buf, tc->xf32, tc->xnd, tc->xshape, 0);
  CHECK_EQ_INT(gaussreg_loss(g, &x, &r->loss, &err), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_grad(g, &x, &o, &err), GAUSSREG_OK);
  widen(buf, tc->xf32, nx, r->grad);
  memset(buf, 0, es * (size_t)nx);
  CHECK_EQ_INT(gaussreg_loss_and_grad(g, &x, &r->lg_loss, &o, &err),
               GAUSSREG_OK);
  widen(buf, tc->xf32, nx, r->lg_grad);
  gaussreg_array_init(&gm, r->gmean, GAUSSREG_F64, tc->mnd, tc->mshape, NULL);
  gaussreg_array_init(&gp, r->gprec, GAUSSREG_F64, tc->snd, tc->sshape, NULL);
  CHECK_EQ_INT(gaussreg_hyper_grad(g, &x, &gm, &gp, &r->gweight, &err),
               GAUSSREG_OK);
  /* in place: the gradient over x itself (x's own view, so the alias is
     exact), after every read of x above */
  CHECK_EQ_INT(gaussreg_loss_and_grad(g, &x, &r->lg_loss_inplace, &x, &err),
               GAUSSREG_OK);
  widen(copy, tc->xf32, nx, r->inplace);
  (void)nm;
  (void)np;
  free(buf);
  free(copy);
}

static int same_results(const results *a, const results *b, int64_t nx,
                        int64_t nm, int64_t np) {
  return same_bits(&a->loss, &b->loss, 1) &&
         same_bits(&a->lg_loss, &b->lg_loss, 1) &&
         same_bits(&a->lg_loss_inplace, &b->lg_loss_inplace, 1) &&
         same_bits(&a->gweight, &b->gweight, 1) &&
         same_bits(a->grad, b->grad, (size_t)nx) &&
         same_bits(a->lg_grad, b->lg_grad, (size_t)nx) &&
         same_bits(a->inplace, b->inplace, (size_t)nx) &&
         same_bits(a->gmean, b->gmean, (size_t)nm) &&
         same_bits(a->gprec, b->gprec, (size_t)np);
}

/* The loss of case tc with a long-double oracle (relative bound). */
static void check_oracle(const tcase *tc, const double *mean,
                         const double *std, const void *xdata,
                         const results *r) {
  /* only the plain 1-D cases with a scalar or same-shape prior */
  int64_t n = numel(tc->xnd, tc->xshape), i, np = numel(tc->snd, tc->sshape);
  long double s = 0, l = 0;
  if (tc->xnd != 1 || tc->xrev) return;
  for (i = 0; i < n; i++) {
    int64_t mi = tc->mnd == 0 ? 0 : i, si = tc->snd == 0 ? 0 : i;
    long double x = tc->xf32 ? (long double)((const float *)xdata)[i]
                             : (long double)((const double *)xdata)[i];
    double pr = 1.0 / (std[si] * std[si] + 1e-8) + 1e-6;
    long double d = x - mean[mi];
    s += (long double)pr * d * d;
  }
  for (i = 0; i < np; i++) l += logl((long double)(1.0 / (std[i] * std[i] + 1e-8) + 1e-6));
  CHECK_NEAR(r->loss, (double)(0.375L * (s - l)), 1e-12);
}

static void test_case(const tcase *tc) {
  int64_t nx = numel(tc->xnd, tc->xshape), nm = numel(tc->mnd, tc->mshape);
  int64_t np = numel(tc->snd, tc->sshape), i;
  double *mean = (double *)xalloc(sizeof(double) * (size_t)nm);
  double *std = (double *)xalloc(sizeof(double) * (size_t)np);
  size_t es = tc->xf32 ? sizeof(float) : sizeof(double);
  void *xdata = xalloc(es * (size_t)nx);
  gaussreg_array am, as;
  results ref, got;
  int c, low;
  for (i = 0; i < nm; i++) mean[i] = urand() - 0.5;
  for (i = 0; i < np; i++) std[i] = 0.25 + urand();
  for (i = 0; i < nx; i++) {
    double v = 4 * urand() - 2;
    if (tc->xf32)
      ((float *)xdata)[i] = (float)v;
    else
      ((double *)xdata)[i] = v;
  }
  gaussreg_array_init(&am, mean, GAUSSREG_F64, tc->mnd, tc->mshape, NULL);
  gaussreg_array_init(&as, std, GAUSSREG_F64, tc->snd, tc->sshape, NULL);
  results_init(&ref, nx, nm, np);
  results_init(&got, nx, nm, np);
  {
    gaussreg *g = make(0, &am, &as, 0);
    run_ops(g, tc, xdata, &ref);
    gaussreg_destroy(g);
  }
  check_oracle(tc, mean, std, xdata, &ref);
  CHECK(same_bits(&ref.loss, &ref.lg_loss, 1));
  CHECK(same_bits(ref.grad, ref.lg_grad, (size_t)nx));
  for (low = 0; low < 2; low++)
    for (c = 0; c < NCONF; c++) {
      gaussreg *g = make(c, &am, &as, low);
      run_ops(g, tc, xdata, &got);
      /* the workers did start where the work was split */
      if (c >= 1 && c <= 3 && (low || nx >= GAUSSREG_PARALLEL_MIN) &&
          nx >= 2 * CHUNK)
        CHECK_EQ_INT(gaussreg__pool_started(g->pool), gaussreg_get_threads(g) - 1);
      if (!CHECK(same_results(&ref, &got, nx, nm, np)))
        fprintf(stderr, "    case %s, %s, threshold %s\n", tc->name,
                conf_name[c], low ? "0" : "default");
      gaussreg_destroy(g);
    }
  results_free(&ref);
  results_free(&got);
  free(mean);
  free(std);
  free(xdata);
}

static void test_ops(void) {
  /* name, x (nd, shape, f32, rev), mean (nd, shape), std (nd, shape) */
  static const tcase cases[] = {
      {"1 element", 1, {1}, 0, 0, 0, {0}, 0, {0}},
      {"chunk - 1", 1, {CHUNK - 1}, 0, 0, 0, {0}, 0, {0}},
      {"chunk", 1, {CHUNK}, 0, 0, 0, {0}, 0, {0}},
      {"chunk + 1", 1, {CHUNK + 1}, 0, 0, 0, {0}, 0, {0}},
      {"2 chunks + 3, f32", 1, {2 * CHUNK + 3}, 1, 0, 0, {0}, 0, {0}},
      {"5 chunks - 7, per-element prior", 1, {5 * CHUNK - 7}, 0, 0, 1,
       {5 * CHUNK - 7}, 1, {5 * CHUNK - 7}},
      {"threshold - 1", 1, {GAUSSREG_PARALLEL_MIN - 1}, 0, 0, 0, {0}, 0, {0}},
      {"threshold", 1, {GAUSSREG_PARALLEL_MIN}, 0, 0, 0, {0}, 0, {0}},
      {"threshold + 1, f32, reversed", 1, {GAUSSREG_PARALLEL_MIN + 1}, 1, 1,
       0, {0}, 0, {0}},
      /* rows of 1000 (runs that chunk boundaries cut), mean per column */
      {"(397,1000) x, (1000) mean", 2, {397, 1000}, 0, 0, 1, {1000}, 0, {0}},
      /* a reversed inner axis: the strided kernels */
      {"(300,777) reversed, (777) std", 2, {300, 777}, 0, 1, 0, {0}, 1,
       {777}},
      /* x broadcast: grad of x reduces over mean's columns (many outputs) */
      {"(5003,1) x, (5003,64) mean", 2, {5003, 1}, 0, 0, 2, {5003, 64}, 0,
       {0}},
      /* x broadcast over few outputs: each output sums over 2^17 + */
      {"(3,1) x, (3,140001) std", 2, {3, 1}, 1, 0, 0, {0}, 2, {3, 140001}},
      /* hyper reductions: few large (mean (3)), many small (std (64)) */
      {"(70001,3) x, (3) mean", 2, {70001, 3}, 0, 0, 1, {3}, 0, {0}},
      {"(4099,64) x, (64) std, (64) mean", 2, {4099, 64}, 0, 0, 1, {64}, 1,
       {64}},
      {"(2,3,44444) x, (3,1) mean, (2,1,1) std", 3, {2, 3, 44444}, 1, 1, 2,
       {3, 1}, 3, {2, 1, 1}},
  };
  unsigned k;
  for (k = 0; k < sizeof cases / sizeof cases[0]; k++) test_case(&cases[k]);
}

/* ---- sampling ---------------------------------------------------------------- */

static void sample_case(int nd, const int64_t *shape, int f32, int rev,
                        int mnd, const int64_t *mshape) {
  int64_t n = numel(nd, shape), nm = numel(mnd, mshape), i;
  double *mean = (double *)xalloc(sizeof(double) * (size_t)nm), stdv = 0.5;
  double *ref[2], *got = (double *)xalloc(sizeof(double) * (size_t)n);
  void *buf = xalloc((f32 ? 4 : 8) * (size_t)n);
  gaussreg_array am, as, o;
  uint64_t st_ref[2][4];
  int c, low, r;
  ref[0] = (double *)xalloc(sizeof(double) * (size_t)n);
  ref[1] = (double *)xalloc(sizeof(double) * (size_t)n);
  for (i = 0; i < nm; i++) mean[i] = (double)i;
  gaussreg_array_init(&am, mean, GAUSSREG_F64, mnd, mshape, NULL);
  gaussreg_array_init(&as, &stdv, GAUSSREG_F64, 0, NULL, NULL);
  for (low = 0; low < 2; low++)
    for (c = 0; c < NCONF; c++) {
      gaussreg *g = make(c, &am, &as, low);
      int first = c == 0 && low == 0; /* threads 1: the reference */
      for (r = 0; r < 2; r++) { /* twice: the state moves on alike */
        o = view(buf, f32, nd, shape, rev);
        CHECK_EQ_INT(gaussreg_sample_init(g, nd, shape, &o, NULL),
                     GAUSSREG_OK);
        widen(buf, f32, n, first ? ref[r] : got);
        if (first) {
          memcpy(st_ref[r], g->rng, sizeof st_ref[r]);
        } else {
          if (!CHECK(same_bits(ref[r], got, (size_t)n)))
            fprintf(stderr, "    sample n=%lld round %d, %s, threshold %s\n",
                    (long long)n, r, conf_name[c], low ? "0" : "default");
          CHECK(memcmp(st_ref[r], g->rng, sizeof st_ref[r]) == 0);
        }
      }
      gaussreg_destroy(g);
    }
  CHECK(!same_bits(ref[0], ref[1], 1)); /* the stream moved on */
  /* mean + 0.5 z: finite and around the mean */
  if (mnd == 0)
    for (i = 0; i < n; i += 9973) CHECK(fabs(ref[0][i] - mean[0]) < 4);
  free(mean);
  free(ref[0]);
  free(ref[1]);
  free(got);
  free(buf);
}

static void test_sampling(void) {
  int64_t s1[1] = {GAUSSREG_SAMPLE_SPLIT + 1};
  int64_t s2[1] = {4 * GAUSSREG_SAMPLE_BLOCK + 5};
  int64_t s3[2] = {600, 777}, m3[1] = {777};
  int64_t s4[3] = {3, 2, 100003}, m4[2] = {2, 1};
  int64_t s5[1] = {GAUSSREG_SAMPLE_SPLIT}; /* the single stream */
  sample_case(1, s1, 0, 0, 0, NULL);
  sample_case(1, s2, 1, 1, 0, NULL);
  sample_case(2, s3, 0, 1, 1, m3);
  sample_case(3, s4, 1, 0, 2, m4);
  sample_case(1, s5, 0, 0, 0, NULL);
}

/* ---- the contract ----------------------------------------------------------- */

/* With prec_eff exactly 1 (log 0) and weight 1, loss(x) is the sum itself:
** a multi-chunk loss must be the compensated sum of the one-chunk losses of
** its chunks, in order. */
static void test_chunk_contract(void) {
  enum { N = 3 * CHUNK + 1234 };
  double *x = (double *)xalloc(sizeof(double) * N), zero = 0.0, one = 1.0;
  double p = 1.0 - GAUSSREG_PREC_EPS, total, part, s, c, t, want;
  gaussreg_array am, as, ap, ax;
  gaussreg_config cfg;
  gaussreg *g = NULL;
  int64_t n = N, k;
  int th;
  for (k = 0; k < N; k++) x[k] = 3 * urand() - 1;
  /* the precision whose prec_eff is exactly 1 */
  while (p + GAUSSREG_PREC_EPS != 1.0)
    p = p + GAUSSREG_PREC_EPS < 1.0 ? nextafter(p, 2.0) : nextafter(p, 0.0);
  gaussreg_array_init(&am, &zero, GAUSSREG_F64, 0, NULL, NULL);
  gaussreg_array_init(&as, &one, GAUSSREG_F64, 0, NULL, NULL);
  gaussreg_array_init(&ap, &p, GAUSSREG_F64, 0, NULL, NULL);
  gaussreg_config_init(&cfg);
  cfg.mean = &am;
  cfg.std = &as;
  cfg.fit_hyper = 1;
  CHECK_EQ_INT(gaussreg_create(&cfg, &g, NULL), GAUSSREG_OK);
  if (g == NULL) return;
  CHECK_EQ_INT(gaussreg_set_precision(g, &ap, NULL), GAUSSREG_OK);
  CHECK(g->log_sum == 0.0);
  s = c = 0.0;
  for (k = 0; k < N; k += CHUNK) {
    int64_t m = N - k < CHUNK ? N - k : CHUNK;
    gaussreg_array_init(&ax, x + k, GAUSSREG_F64, 1, &m, NULL);
    CHECK_EQ_INT(gaussreg_loss(g, &ax, &part, NULL), GAUSSREG_OK);
    /* Neumaier, as gaussreg__acc_add */
    t = s + part;
    if (fabs(s) >= fabs(part))
      c += (s - t) + part;
    else
      c += (part - t) + s;
    s = t;
  }
  want = s + c;
  gaussreg_array_init(&ax, x, GAUSSREG_F64, 1, &n, NULL);
  for (th = 1; th <= 3; th++) {
    CHECK_EQ_INT(gaussreg_set_threads(g, th, NULL), GAUSSREG_OK);
    g->parallel_min = 0;
    CHECK_EQ_INT(gaussreg_loss(g, &ax, &total, NULL), GAUSSREG_OK);
    CHECK(same_bits(&total, &want, 1));
  }
  gaussreg_destroy(g);
  free(x);
}

/* A large request: block j is what an object seeded r + 4 j phi draws, r
** the object's next 64-bit output; afterwards the object is one output on. */
static void test_sample_contract(void) {
  enum { N = 5 * GAUSSREG_SAMPLE_BLOCK + 11 }; /* 6 blocks, the last of 11 */
  double *out = (double *)xalloc(sizeof(double) * N);
  double *blk = (double *)xalloc(sizeof(double) * GAUSSREG_SAMPLE_BLOCK);
  double mu = 0.25, sd = 2.0;
  gaussreg_array am, as, ao;
  gaussreg_config cfg;
  gaussreg *g = NULL, *h = NULL;
  uint64_t st[4], r;
  int64_t n = N, j;
  gaussreg_array_init(&am, &mu, GAUSSREG_F64, 0, NULL, NULL);
  gaussreg_array_init(&as, &sd, GAUSSREG_F64, 0, NULL, NULL);
  gaussreg_config_init(&cfg);
  cfg.mean = &am;
  cfg.std = &as;
  cfg.seed = 99;
  cfg.threads = 2;
  CHECK_EQ_INT(gaussreg_create(&cfg, &g, NULL), GAUSSREG_OK);
  cfg.threads = 1;
  CHECK_EQ_INT(gaussreg_create(&cfg, &h, NULL), GAUSSREG_OK);
  if (g == NULL || h == NULL) return;
  memcpy(st, g->rng, sizeof st);
  r = gaussreg__rng_next(st);
  gaussreg_array_init(&ao, out, GAUSSREG_F64, 1, &n, NULL);
  CHECK_EQ_INT(gaussreg_sample_init(g, 1, &n, &ao, NULL), GAUSSREG_OK);
  CHECK(memcmp(st, g->rng, sizeof st) == 0);
  for (j = 0; j * GAUSSREG_SAMPLE_BLOCK < N; j++) {
    int64_t m = N - j * GAUSSREG_SAMPLE_BLOCK;
    if (m > GAUSSREG_SAMPLE_BLOCK) m = GAUSSREG_SAMPLE_BLOCK;
    gaussreg_seed(h, r + (uint64_t)j * 4u * PHI);
    gaussreg_array_init(&ao, blk, GAUSSREG_F64, 1, &m, NULL);
    CHECK_EQ_INT(gaussreg_sample_init(h, 1, &m, &ao, NULL), GAUSSREG_OK);
    CHECK(same_bits(blk, out + j * GAUSSREG_SAMPLE_BLOCK, (size_t)m));
  }
  CHECK_EQ_INT(j, 6);
  /* the draws are N(mu, sd^2) across the blocks: 5-sigma bounds */
  {
    double m1 = 0, m2 = 0;
    for (j = 0; j < N; j++) m1 += out[j];
    m1 /= N;
    for (j = 0; j < N; j++) m2 += (out[j] - m1) * (out[j] - m1);
    m2 /= N;
    CHECK(fabs(m1 - mu) < 5 * sd / sqrt((double)N));
    CHECK(fabs(m2 / (sd * sd) - 1) < 5 * sqrt(2.0 / N));
    /* distinct blocks are not copies of each other */
    CHECK(out[0] != out[GAUSSREG_SAMPLE_BLOCK] &&
          out[1] != out[GAUSSREG_SAMPLE_BLOCK + 1]);
  }
  /* up to the split, one stream: a request of SPLIT then one of 1 give the
     draws of one request of SPLIT + 1 only up to the split (different
     schemes), while SPLIT = SPLIT/2 + SPLIT/2 exactly */
  {
    int64_t a = GAUSSREG_SAMPLE_SPLIT, b2 = GAUSSREG_SAMPLE_SPLIT / 2;
    double *o2 = (double *)xalloc(sizeof(double) * (size_t)a);
    gaussreg_seed(g, 5);
    gaussreg_array_init(&ao, out, GAUSSREG_F64, 1, &a, NULL);
    CHECK_EQ_INT(gaussreg_sample_init(g, 1, &a, &ao, NULL), GAUSSREG_OK);
    gaussreg_seed(h, 5);
    gaussreg_array_init(&ao, o2, GAUSSREG_F64, 1, &b2, NULL);
    CHECK_EQ_INT(gaussreg_sample_init(h, 1, &b2, &ao, NULL), GAUSSREG_OK);
    gaussreg_array_init(&ao, o2 + b2, GAUSSREG_F64, 1, &b2, NULL);
    CHECK_EQ_INT(gaussreg_sample_init(h, 1, &b2, &ao, NULL), GAUSSREG_OK);
    CHECK(same_bits(out, o2, (size_t)a));
    free(o2);
  }
  gaussreg_destroy(g);
  gaussreg_destroy(h);
  free(out);
  free(blk);
}

/* ---- the API --------------------------------------------------------------- */

static void test_api(void) {
  double zero = 0.0, one = 1.0;
  gaussreg_array am, as, ax;
  gaussreg_config cfg;
  gaussreg_executor ex;
  gaussreg_error err;
  gaussreg *g = NULL;
  exec_stats es;
  double *x = (double *)xalloc(sizeof(double) * GAUSSREG_PARALLEL_MIN), l;
  int64_t n, i;
  for (i = 0; i < GAUSSREG_PARALLEL_MIN; i++) x[i] = (double)(i % 7);
  gaussreg_array_init(&am, &zero, GAUSSREG_F64, 0, NULL, NULL);
  gaussreg_array_init(&as, &one, GAUSSREG_F64, 0, NULL, NULL);
  gaussreg_config_init(&cfg);
  CHECK_EQ_INT(cfg.threads, 1);
  CHECK(cfg.executor == NULL);
  cfg.mean = &am;
  cfg.std = &as;

  /* counts */
  cfg.threads = -1;
  CHECK_EQ_INT(gaussreg_create(&cfg, &g, &err), GAUSSREG_EINVAL);
  CHECK(g == NULL);
  CHECK_STR(err.arg, "threads");
  CHECK_STR(err.msg, "must be 0 (one per core) or 1..256, got -1");
  cfg.threads = GAUSSREG_MAX_THREADS + 1;
  CHECK_EQ_INT(gaussreg_create(&cfg, &g, &err), GAUSSREG_EINVAL);
  CHECK_STR(err.msg, "must be 0 (one per core) or 1..256, got 257");
  cfg.threads = 0;
  CHECK_EQ_INT(gaussreg_create(&cfg, &g, &err), GAUSSREG_OK);
  if (g == NULL) return;
  CHECK_EQ_INT(gaussreg_get_threads(g), gaussreg__online_cores());
  CHECK(gaussreg__online_cores() >= 1);
  CHECK_EQ_INT(gaussreg_set_threads(g, 4, &err), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_get_threads(g), 4);
  CHECK(g->pool != NULL);
  CHECK_EQ_INT(gaussreg__pool_started(g->pool), 0); /* lazily */
  n = 1000; /* below the threshold: no worker starts */
  gaussreg_array_init(&ax, x, GAUSSREG_F64, 1, &n, NULL);
  CHECK_EQ_INT(gaussreg_loss(g, &ax, &l, NULL), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg__pool_started(g->pool), 0);
  n = GAUSSREG_PARALLEL_MIN;
  gaussreg_array_init(&ax, x, GAUSSREG_F64, 1, &n, NULL);
  CHECK_EQ_INT(gaussreg_loss(g, &ax, &l, NULL), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg__pool_started(g->pool), 3);
  /* sum of prec*x^2, x = i % 7, prec = 1/(1+1e-8) + 1e-6; log term (the
     count of each x^2 is exact, so the oracle is a short exact sum) */
  {
    double pr = 1.0 / (1.0 + 1e-8) + 1e-6, cnt[7] = {0}, s = 0;
    for (i = 0; i < n; i++) cnt[i % 7] += 1;
    for (i = 0; i < 7; i++) s += cnt[i] * (double)(i * i);
    CHECK_NEAR(l, pr * s - log(pr), 1e-14);
  }
  CHECK_EQ_INT(gaussreg_set_threads(g, -2, &err), GAUSSREG_EINVAL);
  CHECK_STR(err.arg, "threads");
  CHECK_EQ_INT(gaussreg_get_threads(g), 4); /* unchanged */
  CHECK_EQ_INT(gaussreg_set_threads(g, 4, &err), GAUSSREG_OK); /* no-op */
  CHECK_EQ_INT(gaussreg__pool_started(g->pool), 3);
  CHECK_EQ_INT(gaussreg_set_threads(g, 1, &err), GAUSSREG_OK);
  CHECK(g->pool == NULL);
  CHECK_EQ_INT(gaussreg_set_threads(NULL, 1, &err), GAUSSREG_EINVAL);
  CHECK_STR(err.arg, "self");
  CHECK_EQ_INT(gaussreg_get_threads(NULL), 1);
  gaussreg_destroy(g);
  g = NULL;

  /* an executor: called only above the threshold, with at most threads
     tasks; no pool */
  memset(&es, 0, sizeof es);
  ex.run = exec_run;
  ex.ud = &es;
  cfg.executor = &ex;
  cfg.threads = 3;
  CHECK_EQ_INT(gaussreg_create(&cfg, &g, &err), GAUSSREG_OK);
  if (g == NULL) return;
  CHECK(g->pool == NULL);
  CHECK_EQ_INT(gaussreg_get_threads(g), 3);
  n = GAUSSREG_PARALLEL_MIN - 1;
  gaussreg_array_init(&ax, x, GAUSSREG_F64, 1, &n, NULL);
  CHECK_EQ_INT(gaussreg_loss(g, &ax, &l, NULL), GAUSSREG_OK);
  CHECK_EQ_INT(es.calls, 0);
  n = GAUSSREG_PARALLEL_MIN;
  gaussreg_array_init(&ax, x, GAUSSREG_F64, 1, &n, NULL);
  CHECK_EQ_INT(gaussreg_loss(g, &ax, &l, NULL), GAUSSREG_OK);
  CHECK_EQ_INT(es.calls, 1);
  CHECK_EQ_INT(es.tasks_max, 3);
  CHECK_EQ_INT(gaussreg_set_threads(g, 1, &err), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_loss(g, &ax, &l, NULL), GAUSSREG_OK);
  CHECK_EQ_INT(es.calls, 1); /* threads 1: never the executor */
  CHECK_EQ_INT(gaussreg_set_threads(g, 0, &err), GAUSSREG_OK);
  CHECK_EQ_INT(gaussreg_get_threads(g), gaussreg__online_cores());
  CHECK(g->pool == NULL);
  gaussreg_destroy(g);
  g = NULL;
  ex.run = NULL;
  CHECK_EQ_INT(gaussreg_create(&cfg, &g, &err), GAUSSREG_EINVAL);
  CHECK_STR(err.arg, "executor");
  CHECK_STR(err.msg, "has no run function");
  free(x);
}

/* Thread start-up refused (the test hook) at every position, and pool
** allocations failing: the same bits, nothing leaked, nothing failed. */
static void test_failures(void) {
  enum { N = 5 * CHUNK + 3 };
  double *x = (double *)xalloc(sizeof(double) * N), zero = 0.0, one = 1.0;
  double *gx = (double *)xalloc(sizeof(double) * N);
  double *gref = (double *)xalloc(sizeof(double) * N), lref = 0, l;
  gaussreg_array am, as, ax, ag;
  gaussreg_config cfg;
  gaussreg_allocator alloc;
  gaussreg_error err;
  counting cnt;
  gaussreg *g = NULL;
  int64_t n = N, i;
  int k;
  for (i = 0; i < N; i++) x[i] = urand() - 0.25;
  gaussreg_array_init(&am, &zero, GAUSSREG_F64, 0, NULL, NULL);
  gaussreg_array_init(&as, &one, GAUSSREG_F64, 0, NULL, NULL);
  gaussreg_array_init(&ax, x, GAUSSREG_F64, 1, &n, NULL);
  gaussreg_array_init(&ag, gx, GAUSSREG_F64, 1, &n, NULL);
  gaussreg_config_init(&cfg);
  cfg.mean = &am;
  cfg.std = &as;
  memset(&cnt, 0, sizeof cnt);
  alloc.alloc = counting_alloc;
  alloc.ud = &cnt;
  cfg.allocator = &alloc;
  CHECK_EQ_INT(gaussreg_create(&cfg, &g, NULL), GAUSSREG_OK);
  if (g == NULL) return;
  CHECK_EQ_INT(gaussreg_loss_and_grad(g, &ax, &lref, &ag, NULL), GAUSSREG_OK);
  memcpy(gref, gx, sizeof(double) * N);
  gaussreg_destroy(g);
  g = NULL;
  CHECK_EQ_INT(cnt.live_blocks, 0);

  for (k = 1; k <= 8; k++) {
    cfg.threads = 8;
    CHECK_EQ_INT(gaussreg_create(&cfg, &g, NULL), GAUSSREG_OK);
    if (g == NULL) return;
    g->parallel_min = 0;
    gaussreg__pool_fail_start(g->pool, k);
    memset(gx, 0, sizeof(double) * N);
    CHECK_EQ_INT(gaussreg_loss_and_grad(g, &ax, &l, &ag, NULL), GAUSSREG_OK);
    CHECK(same_bits(&l, &lref, 1) && same_bits(gx, gref, N));
    /* the workers before the refused one run; no retry afterwards */
    CHECK_EQ_INT(gaussreg__pool_started(g->pool), k - 1);
    CHECK_EQ_INT(gaussreg_loss_and_grad(g, &ax, &l, &ag, NULL), GAUSSREG_OK);
    CHECK(same_bits(&l, &lref, 1));
    CHECK_EQ_INT(gaussreg__pool_started(g->pool), k - 1);
    /* a new count gives a new pool that tries again */
    CHECK_EQ_INT(gaussreg_set_threads(g, 2, &err), GAUSSREG_OK);
    g->parallel_min = 0;
    CHECK_EQ_INT(gaussreg_loss(g, &ax, &l, NULL), GAUSSREG_OK);
    CHECK(same_bits(&l, &lref, 1));
    CHECK_EQ_INT(gaussreg__pool_started(g->pool), 1);
    gaussreg_destroy(g);
    g = NULL;
    CHECK_EQ_INT(cnt.live_blocks, 0);
    CHECK_EQ_INT(cnt.live_bytes, 0);
  }

  /* the pool's allocation failing: create reports ENOMEM, set_threads
     reports ENOMEM and leaves the object as it was */
  cfg.threads = 2;
  cnt.calls = 0;
  cnt.fail_at = 4; /* object, mean, precision, then the pool */
  CHECK_EQ_INT(gaussreg_create(&cfg, &g, &err), GAUSSREG_ENOMEM);
  CHECK(g == NULL);
  CHECK_STR(err.arg, "threads");
  CHECK_STR(err.msg, "out of memory");
  CHECK_EQ_INT(cnt.live_blocks, 0);
  cnt.fail_at = 0;
  CHECK_EQ_INT(gaussreg_create(&cfg, &g, &err), GAUSSREG_OK);
  if (g == NULL) return;
  cnt.calls = 0;
  cnt.fail_at = 1;
  CHECK_EQ_INT(gaussreg_set_threads(g, 3, &err), GAUSSREG_ENOMEM);
  CHECK_STR(err.arg, "threads");
  CHECK_EQ_INT(gaussreg_get_threads(g), 2);
  cnt.fail_at = 0;
  g->parallel_min = 0;
  CHECK_EQ_INT(gaussreg_loss(g, &ax, &l, NULL), GAUSSREG_OK);
  CHECK(same_bits(&l, &lref, 1));
  CHECK_EQ_INT(gaussreg__pool_started(g->pool), 1);
  gaussreg_destroy(g);
  CHECK_EQ_INT(cnt.live_blocks, 0);
  CHECK_EQ_INT(cnt.live_bytes, 0);
  free(x);
  free(gx);
  free(gref);
}

/* Empty broadcasts with the threshold at 0: an empty reduction still writes
** its outputs (a sum over nothing is 0), nothing else runs. */
static void test_empty(void) {
  const int64_t ms[1] = {3}, xs[2] = {0, 3};
  double mean[3] = {1, 2, 3}, std[3] = {1, 1, 1}, gm[3], gp[3], gw = -1, l = -1;
  double xv[1] = {0}, gx[1] = {0};
  gaussreg_array am, as, ax, agm, agp, agx;
  int c;
  gaussreg_array_init(&am, mean, GAUSSREG_F64, 1, ms, NULL);
  gaussreg_array_init(&as, std, GAUSSREG_F64, 1, ms, NULL);
  gaussreg_array_init(&ax, xv, GAUSSREG_F64, 2, xs, NULL);
  gaussreg_array_init(&agx, gx, GAUSSREG_F64, 2, xs, NULL);
  gaussreg_array_init(&agm, gm, GAUSSREG_F64, 1, ms, NULL);
  gaussreg_array_init(&agp, gp, GAUSSREG_F64, 1, ms, NULL);
  for (c = 0; c < NCONF; c++) {
    gaussreg *g = make(c, &am, &as, 1);
    gm[0] = gm[1] = gm[2] = gp[0] = gp[1] = gp[2] = 7;
    CHECK_EQ_INT(gaussreg_hyper_grad(g, &ax, &agm, &agp, &gw, NULL),
                 GAUSSREG_OK);
    /* gmean: -2w * (sum over nothing) = -0; gprec: w * (0 - 1/prec) */
    CHECK(gm[0] == 0 && gm[1] == 0 && gm[2] == 0);
    CHECK_NEAR(gp[1], -0.375 / (1.0 / (1.0 + 1e-8) + 1e-6), 1e-15);
    CHECK_EQ_INT(gaussreg_loss_and_grad(g, &ax, &l, &agx, NULL), GAUSSREG_OK);
    CHECK_NEAR(l, 0.375 * -3 * log(1.0 / (1.0 + 1e-8) + 1e-6), 1e-12);
    CHECK(gw == l / 0.375);
    { /* an empty sample draws nothing: the generator stays */
      uint64_t st[4];
      memcpy(st, g->rng, sizeof st);
      CHECK_EQ_INT(gaussreg_sample_init(g, 2, xs, &agx, NULL), GAUSSREG_OK);
      CHECK(memcmp(st, g->rng, sizeof st) == 0);
    }
    gaussreg_destroy(g);
  }
}

/* Every executor was handed work, and its tasks never exceeded the
** object's thread count. */
static void check_executors(void) {
  static const int threads[4] = {3, 4, 2, 5};
  int c;
  for (c = 4; c < NCONF; c++) {
    CHECK(estats[c].calls > 10);
    CHECK(estats[c].tasks_max <= threads[c - 4]);
    CHECK(estats[c].tasks_max >= 2);
  }
}

int main(void) {
  test_api();
  test_chunk_contract();
  test_sample_contract();
  test_failures();
  test_empty();
  test_ops();
  test_sampling();
  check_executors();
  return check_done("test_parallel");
}
