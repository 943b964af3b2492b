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
  const walk *red; /* the reduced dimensions (reductions) */
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

/* Kept run of a reduction: each of its n output elements sums its block. */
static void run_reduce(const void *ctx, int64_t n, const int64_t *off,
                       const int64_t *st) {
  const task *t = (const task *)ctx;
  int64_t i, base[NOP];
  int op;
  for (i = 0; i < n; i++) {
    gaussreg__acc acc = {0.0, 0.0};
    task sub = *t;
    for (op = 0; op < NOP; op++) base[op] = off[op] + i * st[op];
    sub.acc = &acc;
    if (t->red->shape[0] > 0) gaussreg__walk_each(t->red, base, run_sum, &sub);
    put(t, base[OO], finish(t, gaussreg__acc_get(&acc), base[OP]));
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
  gaussreg__acc acc = {0.0, 0.0};
  if (gaussreg__numel(pl.nd, pl.shape) == 0) return 0.0;
  sum_walk(&w, &pl);
  task_init(&t, g, x, &pl);
  t.acc = &acc;
  t.kind = kind;
  gaussreg__walk_each(&w, pl.base, run_sum, &t);
  return gaussreg__acc_get(&acc);
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
      gaussreg__acc acc = {0.0, 0.0};
      if (loss) {
        plan ps = *pl0;
        walk ws;
        sum_walk(&ws, &ps);
        if (same_runs(&w, &pl, &ws, &ps))
          t.acc = &acc; /* fused */
        else
          *loss = pass_sum(g, x, pl0, GAUSSREG__K_LOSS);
      }
      gaussreg__walk_each(&w, pl.base, run_grad, &t);
      if (t.acc) *loss = gaussreg__acc_get(&acc);
      return;
    }
    gaussreg__walk_each(&w, pl.base, run_hyper_ew, &t);
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
  t.red = &red;
  t.kind = hyper == 2 ? GAUSSREG__K_DD : GAUSSREG__K_PD;
  gaussreg__walk_each(&w, pl.base, run_reduce, &t);
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
