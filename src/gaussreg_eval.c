/*
** gaussreg_eval.c -- loss, grad, loss_and_grad and hyper_grad: validation
** and the broadcast walk that feeds the 1-D kernels (kernels/).
**
** Every entry point validates, then walks the broadcast shape B of x, mean
** and precision (gaussreg_walk.c: dimensions in memory order, coalesced).
** The innermost run goes to a kernel; runs are combined in a compensated
** accumulator. Nothing allocates: the walks live on the stack.
**
** Outputs smaller than B (grad of a broadcast x, grad of mean or precision)
** are reductions: B's dimensions split into the output's own ("kept", outer)
** and the others ("reduced", inner); each output element is the compensated
** sum over its reduced sub-block, written once, after its sub-block is read.
**
** Chunks (the determinism contract, docs/numerics.md): a sum over a walk of
** more than GAUSSREG_CHUNK elements is cut, in the walk's order, into
** chunks of GAUSSREG_CHUNK elements (a run cut by a chunk boundary is handed
** to the kernel in two pieces, each blocked from its own start); each chunk
** sums into an accumulator of its own, and the chunk sums are added in
** chunk order into a compensated total. The cut depends on the walk only,
** never on the thread count, so chunks may run on any thread (one round of
** at most ROUND chunk sums at a time, kept on the caller's stack) and the
** bits stay those of one thread. A walk of one chunk sums as it always did.
** Elementwise outputs are cut the same way (their bits cannot depend on
** it). Reductions are parallel either over output elements (many of them)
** or over the chunks of each element's own sum (few, large ones): each
** element's value is its chunked sum either way.
*/
#include <stdint.h>
#include <string.h>

#include "kernels/gaussreg_kernels.h"

#include "gaussreg_walk.h"

#define MAXD GAUSSREG_MAX_DIMS
#define OX GAUSSREG__OX
#define OM GAUSSREG__OM
#define OP GAUSSREG__OP
#define OO GAUSSREG__OO
#define NOP GAUSSREG__NOP
#define CHUNK GAUSSREG_CHUNK

/* Chunk sums per round of a parallel sum (on the caller's stack). */
#define ROUND 512

typedef gaussreg__plan plan;
typedef gaussreg__walk walk;

/* What a walk's runs do. */
typedef struct task {
  const gaussreg__kernels *k;
  const void *x;
  gaussreg_dtype xt;
  const double *m, *p, *raw; /* mean, prec_eff, stored precision */
  void *o;
  gaussreg_dtype ot;
  gaussreg__acc *acc;
  int kind;     /* GAUSSREG__K_* of the sum */
  int hyper;    /* 0 grad of x, 1 grad of mean, 2 grad of precision */
  double w, c;
} task;

/* ---- shapes ------------------------------------------------------------- */

static int same_shape(const gaussreg_array *a, int nd, const int64_t *shape) {
  int d;
  if (a->ndim != nd) return 0;
  for (d = 0; d < nd; d++)
    if (a->shape[d] != shape[d]) return 0;
  return 1;
}

/* The bytes an array spans: [lo, hi). Empty arrays span nothing. */
static void extent(const gaussreg_array *a, uintptr_t *lo, uintptr_t *hi) {
  int64_t mn = 0, mx = 0;
  size_t es = a->dtype == GAUSSREG_F64 ? 8 : 4;
  int d;
  if (gaussreg__numel(a->ndim, a->shape) == 0) {
    *lo = *hi = 0;
    return;
  }
  for (d = 0; d < a->ndim; d++) {
    int64_t r = (a->shape[d] - 1) * a->strides[d];
    if (r < 0)
      mn += r;
    else
      mx += r;
  }
  *lo = (uintptr_t)a->data + (uintptr_t)(mn * (int64_t)es);
  *hi = (uintptr_t)a->data + (uintptr_t)((mx + 1) * (int64_t)es);
}

static int overlap(const gaussreg_array *a, const gaussreg_array *b) {
  uintptr_t alo, ahi, blo, bhi;
  extent(a, &alo, &ahi);
  extent(b, &blo, &bhi);
  return alo < ahi && blo < bhi && alo < bhi && blo < ahi;
}

/* Same elements at the same places (shapes are already known equal). */
static int exact_alias(const gaussreg_array *a, const gaussreg_array *b) {
  int d;
  if (a->data != b->data || a->dtype != b->dtype || a->ndim != b->ndim)
    return 0;
  for (d = 0; d < a->ndim; d++)
    if (a->shape[d] > 1 && a->strides[d] != b->strides[d]) return 0;
  return 1;
}

/* ---- runs --------------------------------------------------------------- */

static const void *xat(const task *t, int64_t off) {
  return t->xt == GAUSSREG_F64 ? (const void *)((const double *)t->x + off)
                               : (const void *)((const float *)t->x + off);
}

static void *oat(const task *t, int64_t off) {
  return t->ot == GAUSSREG_F64 ? (void *)((double *)t->o + off)
                               : (void *)((float *)t->o + off);
}

static void put(const task *t, int64_t off, double v) {
  if (t->ot == GAUSSREG_F64)
    ((double *)t->o)[off] = v;
  else
    ((float *)t->o)[off] = (float)v;
}

static void run_sum(const void *ctx, int64_t n, const int64_t *off,
                    const int64_t *st) {
  const task *t = (const task *)ctx;
  t->k->sum(t->acc, t->kind, n, xat(t, off[OX]), t->xt, st[OX],
            t->m + off[OM], st[OM], t->p + off[OP], st[OP]);
}

static void run_grad(const void *ctx, int64_t n, const int64_t *off,
                     const int64_t *st) {
  const task *t = (const task *)ctx;
  t->k->grad(t->acc, n, xat(t, off[OX]), t->xt, st[OX], t->m + off[OM],
             st[OM], t->p + off[OP], st[OP], oat(t, off[OO]), t->ot, st[OO],
             t->w);
}

/* The final value of a hyper output element from its sum s. */
static double finish(const task *t, double s, int64_t poff) {
  double u = gaussreg__rounded(t->w * s); /* doubled: 2*w may overflow */
  if (t->hyper == 0) return u + u;
  if (t->hyper == 1) return -(u + u);
  if (!(t->raw[poff] > 0.0)) return 0.0;
  return t->w * (s - t->c / t->p[poff]);
}

/* Elementwise hyper outputs (the output has B's shape): scalar. */
static void run_hyper_ew(const void *ctx, int64_t n, const int64_t *off,
                         const int64_t *st) {
  const task *t = (const task *)ctx;
  int64_t i;
  for (i = 0; i < n; i++) {
    int64_t xo = off[OX] + i * st[OX], po = off[OP] + i * st[OP];
    double x = gaussreg__get(t->x, t->xt, xo);
    double d = x - t->m[off[OM] + i * st[OM]];
    double s = t->hyper == 2 ? d * d : t->p[po] * d;
    put(t, off[OO] + i * st[OO], finish(t, s, po));
  }
}

/* ---- chunks --------------------------------------------------------------- */

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

/* A walk cut into chunks, and what its runs do. */
typedef struct chunked {
  const walk *w;
  const int64_t *base;
  int64_t n;           /* elements of w */
  const task *t;       /* template: acc is set per chunk */
  gaussreg__run_fn fn; /* run_sum, run_grad, run_hyper_ew */
  int64_t first;       /* the round's first chunk */
  double *vals;        /* the round's chunk sums */
} chunked;

/* Chunk first + u summed into vals[u]. */
static void sum_unit(void *ctx, int64_t u) {
  const chunked *c = (const chunked *)ctx;
  int64_t start = (c->first + u) * CHUNK;
  gaussreg__acc acc = {0.0, 0.0};
  task t = *c->t;
  t.acc = &acc;
  gaussreg__walk_range(c->w, c->base, start, min64(CHUNK, c->n - start),
                       c->fn, &t);
  c->vals[u] = gaussreg__acc_get(&acc);
}

/* Chunk u of an elementwise pass (no sum: t's acc is used as it is). */
static void each_unit(void *ctx, int64_t u) {
  const chunked *c = (const chunked *)ctx;
  int64_t start = u * CHUNK;
  gaussreg__walk_range(c->w, c->base, start, min64(CHUNK, c->n - start),
                       c->fn, c->t);
}

static void chunked_init(chunked *c, const walk *w, const int64_t *base,
                         const task *t, gaussreg__run_fn fn) {
  c->w = w;
  c->base = base;
  c->n = gaussreg__walk_numel(w);
  c->t = t;
  c->fn = fn;
  c->first = 0;
  c->vals = NULL;
}

/* The chunked sum of fn's runs over w (see the top of the file); par: run
** the chunks through g's threads. */
static double chunked_sum(const gaussreg *g, const walk *w,
                          const int64_t *base, const task *t,
                          gaussreg__run_fn fn, int par) {
  double vals[ROUND];
  gaussreg__acc total = {0.0, 0.0};
  chunked c;
  int64_t nc, k, i;
  chunked_init(&c, w, base, t, fn);
  c.vals = vals;
  if (c.n <= CHUNK) { /* one chunk: its sum is the total */
    sum_unit(&c, 0);
    return vals[0];
  }
  nc = (c.n + CHUNK - 1) / CHUNK;
  for (c.first = 0; c.first < nc; c.first += k) {
    k = min64(ROUND, nc - c.first);
    if (par)
      gaussreg__parallel(g, k, sum_unit, &c);
    else
      for (i = 0; i < k; i++) sum_unit(&c, i);
    for (i = 0; i < k; i++) gaussreg__acc_add(&total, vals[i]);
  }
  return gaussreg__acc_get(&total);
}

/* fn over every run of w, chunk by chunk (elementwise: no sum). */
static void chunked_each(const gaussreg *g, const walk *w,
                         const int64_t *base, const task *t,
                         gaussreg__run_fn fn, int par) {
  chunked c;
  chunked_init(&c, w, base, t, fn);
  if (par)
    gaussreg__parallel(g, (c.n + CHUNK - 1) / CHUNK, each_unit, &c);
  else
    gaussreg__walk_each(w, base, fn, t);
}

/* ---- reductions --------------------------------------------------------- */

typedef struct reducer {
  const gaussreg *g;
  const task *t;
  const walk *kept, *red; /* the output's dimensions; the reduced ones */
  const int64_t *base;
  int64_t nkept, nred;    /* their elements */
  int64_t per_unit;       /* output elements per unit (over elements) */
  int within;             /* each element's chunks through g's threads */
} reducer;

/* Kept run of a reduction: each of its n output elements sums its block. */
static void run_reduce(const void *ctx, int64_t n, const int64_t *off,
                       const int64_t *st) {
  const reducer *r = (const reducer *)ctx;
  const task *t = r->t;
  int64_t i, base[NOP];
  int op;
  for (i = 0; i < n; i++) {
    double s = 0.0;
    for (op = 0; op < NOP; op++) base[op] = off[op] + i * st[op];
    if (r->nred > 0)
      s = chunked_sum(r->g, r->red, base, t, run_sum, r->within);
    put(t, base[OO], finish(t, s, base[OP]));
  }
}

/* Output elements u*per_unit .. of a reduction. */
static void reduce_unit(void *ctx, int64_t u) {
  const reducer *r = (const reducer *)ctx;
  int64_t start = u * r->per_unit;
  gaussreg__walk_range(r->kept, r->base, start,
                       min64(r->per_unit, r->nkept - start), run_reduce, r);
}

/* Every output element of a reduction. Parallel over output elements when
** there are many (at least 8 per thread) or each is small (under two
** chunks), else over each element's chunks, one element after another. */
static void reduce(const gaussreg *g, const task *t, const walk *kept,
                   const walk *red, const int64_t *base) {
  reducer r;
  r.g = g;
  r.t = t;
  r.kept = kept;
  r.red = red;
  r.base = base;
  r.nkept = gaussreg__walk_numel(kept);
  r.nred = red->shape[0] == 0 ? 0 : gaussreg__walk_numel(red);
  r.per_unit = 1;
  r.within = 0;
  if (r.nred == 0 || !gaussreg__parallel_ok(g, r.nkept * r.nred)) {
    gaussreg__walk_each(kept, base, run_reduce, &r);
  } else if (r.nkept >= 8 * (int64_t)g->threads || r.nred < 2 * CHUNK) {
    r.per_unit = r.nred >= CHUNK ? 1 : CHUNK / r.nred;
    gaussreg__parallel(g, (r.nkept + r.per_unit - 1) / r.per_unit,
                       reduce_unit, &r);
  } else {
    r.within = 1;
    gaussreg__walk_each(kept, base, run_reduce, &r);
  }
}

/* ---- passes ------------------------------------------------------------- */

static void task_init(task *t, const gaussreg *g, const gaussreg_array *x,
                      const plan *pl) {
  memset(t, 0, sizeof *t);
  t->k = gaussreg__kernels_get(g->isa);
  t->x = x->data;
  t->xt = x->dtype;
  t->m = (const double *)g->mean.data;
  t->p = g->prec_eff;
  t->raw = (const double *)g->precision.data;
  t->w = g->weight;
  (void)pl;
}

/* c of the log term. */
static double log_count(const gaussreg *g, int64_t nb) {
  int64_t np;
  if (g->log_mode != GAUSSREG_LOG_PER_ELEMENT) return 1.0;
  np = gaussreg__numel(g->precision.ndim, g->precision.shape);
  return np > 0 ? (double)nb / (double)np : 0.0;
}

static int all_dims(int *dims, int nd) {
  int d;
  for (d = 0; d < nd; d++) dims[d] = d;
  return nd;
}

/* The walk of a sum over B (no output): pl becomes its plan. */
static void sum_walk(walk *w, plan *pl) {
  int dims[MAXD];
  memset(pl->st[OO], 0, sizeof pl->st[OO]);
  gaussreg__walk_build(w, pl, dims, all_dims(dims, pl->nd), 1);
}

/* Whether walks a (plan pa) and b (plan pb) hand the kernels the same runs
** of x, mean and precision, in the same order. */
static int same_runs(const walk *a, const plan *pa, const walk *b,
                     const plan *pb) {
  int d, op;
  if (a->nd != b->nd) return 0;
  for (d = 0; d < a->nd; d++)
    if (a->shape[d] != b->shape[d]) return 0;
  for (op = 0; op < OO; op++) {
    if (pa->base[op] != pb->base[op]) return 0;
    for (d = 0; d < a->nd; d++)
      if (a->st[op][d] != b->st[op][d]) return 0;
  }
  return 1;
}

/* sum over B of the term kind. */
static double pass_sum(const gaussreg *g, const gaussreg_array *x,
                       const plan *pl0, int kind) {
  plan pl = *pl0;
  walk w;
  task t;
  int64_t nb = gaussreg__numel(pl.nd, pl.shape);
  if (nb == 0) return 0.0;
  sum_walk(&w, &pl);
  task_init(&t, g, x, &pl);
  t.kind = kind;
  return chunked_sum(g, &w, pl.base, &t, run_sum,
                     gaussreg__parallel_ok(g, nb));
}

/* Writes output o (shape broadcasting into B) for hyper = 0 (grad of x),
** 1 (mean) or 2 (precision). loss: when not NULL and o has B's size, gets
** the loss sum, exactly as pass_sum computes it: from the same pass when
** that walk hands the kernels the same runs as pass_sum's (the grad kernel
** sums like the sum kernel), else from pass_sum before o is written (o may
** alias x). Otherwise loss is untouched. */
static void pass_out(const gaussreg *g, const gaussreg_array *x,
                    const plan *pl0, const gaussreg_array *o, int hyper,
                    double *loss) {
  plan pl = *pl0;
  walk w, red;
  task t;
  int kept[MAXD], reduced[MAXD], nk = 0, nr = 0, d, ndo = o->ndim;
  int64_t nb = gaussreg__numel(pl.nd, pl.shape);
  int par = gaussreg__parallel_ok(g, nb);
  gaussreg__plan_out(&pl, o);
  for (d = 0; d < pl.nd; d++) {
    int od = d - (pl.nd - ndo);
    if (pl.shape[d] == 1) continue;
    if (od >= 0 && o->shape[od] == pl.shape[d])
      kept[nk++] = d;
    else
      reduced[nr++] = d;
  }
  task_init(&t, g, x, &pl);
  t.o = o->data;
  t.ot = o->dtype;
  t.hyper = hyper;
  t.c = log_count(g, nb);
  if (gaussreg__numel(o->ndim, o->shape) == 0) return;
  if (nr == 0) { /* elementwise */
    gaussreg__walk_build(&w, &pl, kept, nk, 1);
    if (hyper == 0) {
      if (loss) {
        plan ps = *pl0;
        walk ws;
        sum_walk(&ws, &ps);
        if (same_runs(&w, &pl, &ws, &ps)) { /* fused: loss's chunks */
          *loss = chunked_sum(g, &w, pl.base, &t, run_grad, par);
          return;
        }
        *loss = pass_sum(g, x, pl0, GAUSSREG__K_LOSS);
      }
      chunked_each(g, &w, pl.base, &t, run_grad, par);
      return;
    }
    chunked_each(g, &w, pl.base, &t, run_hyper_ew, par);
    return;
  }
  /* reduction: kept dims outside (output order), reduced inside */
  gaussreg__walk_build(&w, &pl, kept, nk, 0);
  if (nb == 0) {
    red.nd = 1;
    red.shape[0] = 0;
  } else {
    gaussreg__walk_build(&red, &pl, reduced, nr, 1);
  }
  t.kind = hyper == 2 ? GAUSSREG__K_DD : GAUSSREG__K_PD;
  reduce(g, &t, &w, &red, pl.base);
}

/* ---- entry points ------------------------------------------------------- */

static int check_self(const gaussreg *g, gaussreg_error *err) {
  if (g == NULL) return gaussreg__fail(err, GAUSSREG_EINVAL, "self", "is NULL");
  return GAUSSREG_OK;
}

/* Validates an output of the shape of ref (named what). */
static int check_out(const gaussreg_array *o, const char *arg,
                     const gaussreg_array *ref, const char *what,
                     gaussreg_error *err) {
  char a[200], b[200];
  int rc = gaussreg__check_array(o, arg, 1, err);
  if (rc != GAUSSREG_OK) return rc;
  if (!same_shape(o, ref->ndim, ref->shape))
    return gaussreg__fail(err, GAUSSREG_ESHAPE, arg,
                          "shape %s does not match %s shape %s",
                          gaussreg_format_shape(a, sizeof a, o->ndim, o->shape),
                          what,
                          gaussreg_format_shape(b, sizeof b, ref->ndim,
                                                ref->shape));
  return GAUSSREG_OK;
}

static int prepare(const gaussreg *g, const gaussreg_array *x, plan *pl,
                   gaussreg_error *err) {
  int rc, nd;
  int64_t shape[MAXD];
  if ((rc = gaussreg__check_array(x, "value", 0, err)) != GAUSSREG_OK)
    return rc;
  if ((rc = gaussreg__broadcast3(g, x->ndim, x->shape, "value", &nd, shape,
                                 err)) != GAUSSREG_OK)
    return rc;
  gaussreg__plan_init(pl, g, x, nd, shape);
  return GAUSSREG_OK;
}

static double bracket(const gaussreg *g, const plan *pl, double s) {
  double c = log_count(g, gaussreg__numel(pl->nd, pl->shape));
  return s - gaussreg__rounded(c * g->log_sum);
}

int gaussreg_loss(const gaussreg *g, const gaussreg_array *x, double *loss,
                  gaussreg_error *err) {
  plan pl;
  int rc;
  if ((rc = check_self(g, err)) != GAUSSREG_OK ||
      (rc = prepare(g, x, &pl, err)) != GAUSSREG_OK)
    return rc;
  if (loss == NULL)
    return gaussreg__fail(err, GAUSSREG_EINVAL, "loss", "is NULL");
  *loss = g->weight * bracket(g, &pl, pass_sum(g, x, &pl, GAUSSREG__K_LOSS));
  return GAUSSREG_OK;
}

static int grad_common(const gaussreg *g, const gaussreg_array *x,
                       double *loss, gaussreg_array *gx, int want_loss,
                       gaussreg_error *err) {
  plan pl;
  int rc;
  double s = 0.0;
  if ((rc = check_self(g, err)) != GAUSSREG_OK ||
      (rc = prepare(g, x, &pl, err)) != GAUSSREG_OK)
    return rc;
  if (want_loss && loss == NULL)
    return gaussreg__fail(err, GAUSSREG_EINVAL, "loss", "is NULL");
  if ((rc = check_out(gx, "out", x, "value", err)) != GAUSSREG_OK) return rc;
  if (overlap(gx, x) && !exact_alias(gx, x))
    return gaussreg__fail(err, GAUSSREG_ESHAPE, "out",
                          "overlaps value (only an exact alias is allowed)");
  /* with x broadcast, reading x for one output element touches that
     element only, so an exact alias is safe in the reduction too */
  if (want_loss && gaussreg__numel(x->ndim, x->shape) !=
                       gaussreg__numel(pl.nd, pl.shape))
    s = pass_sum(g, x, &pl, GAUSSREG__K_LOSS); /* before gx overwrites x */
  pass_out(g, x, &pl, gx, 0, want_loss ? &s : NULL);
  if (want_loss) *loss = g->weight * bracket(g, &pl, s);
  return GAUSSREG_OK;
}

int gaussreg_grad(const gaussreg *g, const gaussreg_array *x,
                  gaussreg_array *gx, gaussreg_error *err) {
  return grad_common(g, x, NULL, gx, 0, err);
}

int gaussreg_loss_and_grad(const gaussreg *g, const gaussreg_array *x,
                           double *loss, gaussreg_array *gx,
                           gaussreg_error *err) {
  return grad_common(g, x, loss, gx, 1, err);
}

int gaussreg_hyper_grad(const gaussreg *g, const gaussreg_array *x,
                        gaussreg_array *gmean, gaussreg_array *gprec,
                        double *gweight, gaussreg_error *err) {
  plan pl;
  int rc;
  if ((rc = check_self(g, err)) != GAUSSREG_OK) return rc;
  if (!g->fit_hyper) return gaussreg__fail_fixed(err, "self");
  if ((rc = prepare(g, x, &pl, err)) != GAUSSREG_OK) return rc;
  if (gmean &&
      (rc = check_out(gmean, "gmean", &g->mean, "mean", err)) != GAUSSREG_OK)
    return rc;
  if (gprec && (rc = check_out(gprec, "gprec", &g->precision, "precision",
                               err)) != GAUSSREG_OK)
    return rc;
  if (gmean && overlap(gmean, x))
    return gaussreg__fail(err, GAUSSREG_ESHAPE, "gmean", "overlaps value");
  if (gprec && overlap(gprec, x))
    return gaussreg__fail(err, GAUSSREG_ESHAPE, "gprec", "overlaps value");
  if (gmean && gprec && overlap(gmean, gprec))
    return gaussreg__fail(err, GAUSSREG_ESHAPE, "gprec", "overlaps gmean");
  if (gmean && (overlap(gmean, &g->mean) || overlap(gmean, &g->precision)))
    return gaussreg__fail(err, GAUSSREG_ESHAPE, "gmean",
                          "overlaps the regularizer's own arrays");
  if (gprec && (overlap(gprec, &g->mean) || overlap(gprec, &g->precision)))
    return gaussreg__fail(err, GAUSSREG_ESHAPE, "gprec",
                          "overlaps the regularizer's own arrays");
  if (gweight) *gweight = bracket(g, &pl, pass_sum(g, x, &pl, GAUSSREG__K_LOSS));
  if (gmean) pass_out(g, x, &pl, gmean, 1, NULL);
  if (gprec) pass_out(g, x, &pl, gprec, 2, NULL);
  return GAUSSREG_OK;
}
