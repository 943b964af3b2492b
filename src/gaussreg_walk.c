/*
** gaussreg_walk.c -- the broadcast plan and the n-d walk (see
** gaussreg_walk.h): the one iterator behind loss, the gradients and
** sample_init.
*/
#include <string.h>

#include "gaussreg_walk.h"

#define MAXD GAUSSREG_MAX_DIMS
#define NOP GAUSSREG__NOP

/* Strides of operand (ndo, shape, strides) aligned to B's nd dimensions. */
static void align(int nd, int ndo, const int64_t *shape,
                  const int64_t *strides, int64_t *out) {
  int d;
  for (d = 0; d < nd; d++) {
    int od = d - (nd - ndo);
    out[d] = (od < 0 || shape[od] == 1) ? 0 : strides[od];
  }
}

void gaussreg__plan_init(gaussreg__plan *pl, const gaussreg *g,
                         const gaussreg_array *x, int nd,
                         const int64_t *shape) {
  int64_t st[MAXD];
  memset(pl, 0, sizeof *pl);
  pl->nd = nd;
  memcpy(pl->shape, shape, sizeof(int64_t) * (size_t)nd);
  if (x != NULL)
    align(nd, x->ndim, x->shape, x->strides, pl->st[GAUSSREG__OX]);
  gaussreg__contiguous(g->mean.ndim, g->mean.shape, st);
  align(nd, g->mean.ndim, g->mean.shape, st, pl->st[GAUSSREG__OM]);
  gaussreg__contiguous(g->precision.ndim, g->precision.shape, st);
  align(nd, g->precision.ndim, g->precision.shape, st, pl->st[GAUSSREG__OP]);
}

void gaussreg__plan_out(gaussreg__plan *pl, const gaussreg_array *o) {
  align(pl->nd, o->ndim, o->shape, o->strides, pl->st[GAUSSREG__OO]);
  pl->base[GAUSSREG__OO] = 0;
}

static int64_t iabs64(int64_t v) { return v < 0 ? -v : v; }

/* Whether dimension outer should go inside dimension inner: the first
** operand (x first) that moves along both decides, as numpy's nditer. */
static int should_swap(const gaussreg__plan *pl, int outer, int inner) {
  int op;
  for (op = 0; op < NOP; op++) {
    int64_t a = iabs64(pl->st[op][outer]), b = iabs64(pl->st[op][inner]);
    if (a != 0 && b != 0 && a != b) return a < b;
  }
  return 0;
}

/* Flips the dimensions where x steps backwards and no other operand steps
** forwards, then sorts dims by decreasing |stride| (innermost smallest). */
static void memory_order(gaussreg__plan *pl, int *order, int n) {
  int i, j, k, op;
  for (i = 0; i < n; i++) {
    int d = order[i], ok = pl->st[GAUSSREG__OX][d] < 0;
    for (op = 1; op < NOP && ok; op++)
      if (pl->st[op][d] > 0) ok = 0;
    if (ok && pl->shape[d] > 1)
      for (op = 0; op < NOP; op++) {
        pl->base[op] += (pl->shape[d] - 1) * pl->st[op][d];
        pl->st[op][d] = -pl->st[op][d];
      }
  }
  for (i = 1; i < n; i++) /* insertion sort */
    for (j = i; j > 0 && should_swap(pl, order[j - 1], order[j]); j--) {
      k = order[j];
      order[j] = order[j - 1];
      order[j - 1] = k;
    }
}

int gaussreg__walk_build(gaussreg__walk *w, gaussreg__plan *pl,
                         const int *dims, int n, int sorted) {
  int order[MAXD], i, op;
  for (i = 0; i < n; i++) order[i] = dims[i];
  if (sorted) memory_order(pl, order, n);
  w->nd = 0;
  for (i = 0; i < n; i++) {
    int d = order[i], merge = w->nd > 0;
    if (pl->shape[d] == 1) continue;
    for (op = 0; op < NOP && merge; op++)
      if (w->st[op][w->nd - 1] != pl->st[op][d] * pl->shape[d]) merge = 0;
    if (merge) {
      w->shape[w->nd - 1] *= pl->shape[d];
      for (op = 0; op < NOP; op++) w->st[op][w->nd - 1] = pl->st[op][d];
    } else {
      w->shape[w->nd] = pl->shape[d];
      for (op = 0; op < NOP; op++) w->st[op][w->nd] = pl->st[op][d];
      w->nd++;
    }
  }
  if (w->nd == 0) {
    w->nd = 1;
    w->shape[0] = 1;
    for (op = 0; op < NOP; op++) w->st[op][0] = 0;
    return 0;
  }
  return w->nd;
}

void gaussreg__walk_each(const gaussreg__walk *w, const int64_t *base,
                         gaussreg__run_fn fn, const void *ctx) {
  int64_t idx[MAXD] = {0}, off[NOP], st[NOP];
  int nd = w->nd, d, op;
  for (op = 0; op < NOP; op++) {
    off[op] = base[op];
    st[op] = w->st[op][nd - 1];
  }
  for (;;) {
    fn(ctx, w->shape[nd - 1], off, st);
    for (d = nd - 2; d >= 0; d--) {
      for (op = 0; op < NOP; op++) off[op] += w->st[op][d];
      if (++idx[d] < w->shape[d]) break;
      for (op = 0; op < NOP; op++) off[op] -= w->st[op][d] * w->shape[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

int64_t gaussreg__walk_numel(const gaussreg__walk *w) {
  return gaussreg__numel(w->nd, w->shape);
}

void gaussreg__walk_range(const gaussreg__walk *w, const int64_t *base,
                          int64_t start, int64_t count, gaussreg__run_fn fn,
                          const void *ctx) {
  int64_t idx[MAXD] = {0}, off[NOP], st[NOP], rem = start;
  int nd = w->nd, d, op;
  for (op = 0; op < NOP; op++) {
    off[op] = base[op];
    st[op] = w->st[op][nd - 1];
  }
  for (d = nd - 1; d >= 0; d--) { /* the multi-index of start */
    idx[d] = rem % w->shape[d];
    rem /= w->shape[d];
    for (op = 0; op < NOP; op++) off[op] += idx[d] * w->st[op][d];
  }
  for (;;) {
    int64_t n = w->shape[nd - 1] - idx[nd - 1];
    if (n > count) n = count;
    fn(ctx, n, off, st);
    count -= n;
    if (count <= 0) return;
    for (op = 0; op < NOP; op++) off[op] -= idx[nd - 1] * st[op];
    idx[nd - 1] = 0; /* the next run starts at its beginning */
    for (d = nd - 2; d >= 0; d--) {
      for (op = 0; op < NOP; op++) off[op] += w->st[op][d];
      if (++idx[d] < w->shape[d]) break;
      for (op = 0; op < NOP; op++) off[op] -= w->st[op][d] * w->shape[d];
      idx[d] = 0;
    }
  }
}
