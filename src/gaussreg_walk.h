/*
** gaussreg_walk.h -- the broadcast plan and the n-d walk that feed the 1-D
** kernels (gaussreg_eval.c) and the sampler (gaussreg_sample.c); not
** installed.
**
** A plan aligns up to four operands -- the value x, the mean, the
** precision (or anything laid out like it: prec_eff, std_eff) and an output
** -- to the broadcast shape B, with stride 0 along the dimensions an operand
** is stretched on. A walk is built from some of B's dimensions: length-1
** dimensions dropped, optionally reordered for memory order, and adjacent
** dimensions coalesced when every operand steps through them as one. Its
** innermost dimension is the run handed to a callback. Nothing allocates:
** plans and walks live on the caller's stack.
*/
#ifndef gaussreg_walk_h
#define gaussreg_walk_h

#include "gaussreg_internal.h"

/* Operands of a plan. */
enum {
  GAUSSREG__OX = 0, /* the value */
  GAUSSREG__OM = 1, /* the mean */
  GAUSSREG__OP = 2, /* precision-shaped arrays */
  GAUSSREG__OO = 3, /* the output */
  GAUSSREG__NOP = 4
};

typedef struct gaussreg__plan {
  int nd;
  int64_t shape[GAUSSREG_MAX_DIMS];                   /* B */
  int64_t st[GAUSSREG__NOP][GAUSSREG_MAX_DIMS];       /* aligned strides */
  int64_t base[GAUSSREG__NOP]; /* element offsets of the first element */
} gaussreg__plan;

typedef struct gaussreg__walk {
  int nd; /* >= 1 */
  int64_t shape[GAUSSREG_MAX_DIMS];
  int64_t st[GAUSSREG__NOP][GAUSSREG_MAX_DIMS];
} gaussreg__walk;

/* Called on every innermost run: n elements, starting at element offsets
** off[op] and stepping st[op], for each operand. */
typedef void (*gaussreg__run_fn)(const void *ctx, int64_t n,
                                 const int64_t *off, const int64_t *st);

/* A plan over B = (nd, shape) for x (may be NULL: stride 0) and g's mean
** and precision; the output operand starts at stride 0 everywhere. */
void gaussreg__plan_init(gaussreg__plan *pl, const gaussreg *g,
                         const gaussreg_array *x, int nd,
                         const int64_t *shape);
/* Sets the output operand: an array whose shape broadcasts into B. */
void gaussreg__plan_out(gaussreg__plan *pl, const gaussreg_array *o);
/* Builds w from B's dimensions dims[0..n) (outer to inner). sorted != 0
** reorders them for memory order (and may flip dimensions, moving pl's base
** offsets) -- only for sums and elementwise writes, whose result does not
** depend on the order; sorted == 0 keeps row-major order. Returns the
** dimensions kept; w has one dimension of length 1 when that is 0. */
int gaussreg__walk_build(gaussreg__walk *w, gaussreg__plan *pl,
                         const int *dims, int n, int sorted);
/* Calls fn on every innermost run of w, starting at element offsets base. */
void gaussreg__walk_each(const gaussreg__walk *w, const int64_t *base,
                         gaussreg__run_fn fn, const void *ctx);
/* Elements of w (the product of its shape). */
int64_t gaussreg__walk_numel(const gaussreg__walk *w);
/* Calls fn on the pieces of runs that hold elements start .. start+count-1
** of w's order (count >= 1, start + count <= its numel): a run cut by
** either end is handed over in part. */
void gaussreg__walk_range(const gaussreg__walk *w, const int64_t *base,
                          int64_t start, int64_t count, gaussreg__run_fn fn,
                          const void *ctx);

#endif
