/*
** eval_ref.h -- the C tests' oracle for loss/grad/hyper_grad: a plain loop
** over every broadcast element, summing in long double, with per-output
** sums of |term| so tests can bound reduction errors. Slow on purpose.
*/
#ifndef eval_ref_h
#define eval_ref_h

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gaussreg.h"

typedef struct ref_result {
  double S, Sabs;    /* sum prec*(x-m)^2 (all terms are >= 0) */
  double loss;       /* weight * (S - c * sum log prec) */
  double gweight;    /* the bracket */
  double *gx, *gxa;  /* x's logical C order; gxa: sum |terms| */
  double *gm, *gma;  /* mean's shape */
  double *gp, *gpa;  /* precision's shape */
  int64_t nx, nm, np, nb;
} ref_result;

static inline double ref_x(const gaussreg_array *x, const int64_t *idx) {
  int64_t off = 0;
  int d;
  for (d = 0; d < x->ndim; d++) off += idx[d] * x->strides[d];
  return x->dtype == GAUSSREG_F64 ? ((const double *)x->data)[off]
                                  : (double)((const float *)x->data)[off];
}

/* Flat C-order index in an operand of shape (ndo, so) of B index bidx. */
static inline int64_t ref_flat(int nd, const int64_t *bidx, int ndo,
                               const int64_t *so) {
  int64_t f = 0;
  int d;
  for (d = 0; d < ndo; d++) {
    int64_t i = so[d] == 1 ? 0 : bidx[d + nd - ndo];
    f = f * so[d] + i;
  }
  return f;
}

static inline int64_t ref_numel(int nd, const int64_t *s) {
  int64_t n = 1;
  int d;
  for (d = 0; d < nd; d++) n *= s[d];
  return n;
}

/* Fills r (free with ref_free). Returns 0, or -1 when shapes do not
** broadcast. */
static inline int ref_eval(const gaussreg *g, const gaussreg_array *x,
                           ref_result *r) {
  const gaussreg_array *mean = gaussreg_mean(g), *prec = gaussreg_precision(g);
  const double *m = (const double *)mean->data;
  const double *p = (const double *)prec->data;
  double w = gaussreg_weight(g), c, lsum = 0.0;
  int nd = 0, d, ops;
  int64_t bs[8], bidx[8] = {0}, i;
  long double S = 0, Sa = 0, *ax, *aax, *am, *aam, *ap, *aap, L = 0;
  const gaussreg_array *all[3];
  memset(r, 0, sizeof *r);
  all[0] = x;
  all[1] = mean;
  all[2] = prec;
  for (ops = 0; ops < 3; ops++)
    if (all[ops]->ndim > nd) nd = all[ops]->ndim;
  for (d = 0; d < nd; d++) {
    bs[d] = 1;
    for (ops = 0; ops < 3; ops++) {
      int od = d - (nd - all[ops]->ndim);
      int64_t v = od >= 0 ? all[ops]->shape[od] : 1;
      if (v != 1) {
        if (bs[d] != 1 && bs[d] != v) return -1;
        bs[d] = v;
      }
    }
  }
  memset(r, 0, sizeof *r);
  r->nx = ref_numel(x->ndim, x->shape);
  r->nm = ref_numel(mean->ndim, mean->shape);
  r->np = ref_numel(prec->ndim, prec->shape);
  r->nb = ref_numel(nd, bs);
  ax = (long double *)calloc((size_t)r->nx + 1, sizeof *ax);
  aax = (long double *)calloc((size_t)r->nx + 1, sizeof *ax);
  am = (long double *)calloc((size_t)r->nm + 1, sizeof *ax);
  aam = (long double *)calloc((size_t)r->nm + 1, sizeof *ax);
  ap = (long double *)calloc((size_t)r->np + 1, sizeof *ax);
  aap = (long double *)calloc((size_t)r->np + 1, sizeof *ax);
  for (i = 0; i < r->nb; i++) {
    int64_t xi = ref_flat(nd, bidx, x->ndim, x->shape);
    int64_t mi = ref_flat(nd, bidx, mean->ndim, mean->shape);
    int64_t pi = ref_flat(nd, bidx, prec->ndim, prec->shape);
    int64_t xidx[8];
    double pe, dd, t;
    for (d = 0; d < x->ndim; d++)
      xidx[d] = x->shape[d] == 1 ? 0 : bidx[d + nd - x->ndim];
    pe = (p[pi] > 0 ? p[pi] : 0.0) + GAUSSREG_PREC_EPS;
    dd = ref_x(x, xidx) - m[mi];
    t = pe * dd;
    S += (long double)t * dd;
    Sa += fabsl((long double)t * dd);
    ax[xi] += t;
    aax[xi] += fabs(t);
    am[mi] += t;
    aam[mi] += fabs(t);
    ap[pi] += (long double)dd * dd;
    aap[pi] += (long double)dd * dd;
    for (d = nd - 1; d >= 0; d--) {
      if (++bidx[d] < bs[d]) break;
      bidx[d] = 0;
    }
  }
  for (i = 0; i < r->np; i++) { /* prec rounded to double, as stored */
    double pe = (p[i] > 0 ? p[i] : 0.0) + GAUSSREG_PREC_EPS;
    L += logl((long double)pe);
  }
  lsum = (double)L;
  c = gaussreg_get_log_mode(g) == GAUSSREG_LOG_PER_ELEMENT
          ? (r->np ? (double)r->nb / (double)r->np : 0.0)
          : 1.0;
  r->S = (double)S;
  r->Sabs = (double)Sa;
  r->gweight = (double)(S - (long double)c * lsum);
  r->loss = w * r->gweight;
  r->gx = (double *)malloc(sizeof(double) * ((size_t)r->nx + 1));
  r->gxa = (double *)malloc(sizeof(double) * ((size_t)r->nx + 1));
  r->gm = (double *)malloc(sizeof(double) * ((size_t)r->nm + 1));
  r->gma = (double *)malloc(sizeof(double) * ((size_t)r->nm + 1));
  r->gp = (double *)malloc(sizeof(double) * ((size_t)r->np + 1));
  r->gpa = (double *)malloc(sizeof(double) * ((size_t)r->np + 1));
  for (i = 0; i < r->nx; i++) {
    r->gx[i] = (double)(2.0L * w * ax[i]);
    r->gxa[i] = (double)(2.0L * fabs(w) * aax[i]);
  }
  for (i = 0; i < r->nm; i++) {
    r->gm[i] = (double)(-2.0L * w * am[i]);
    r->gma[i] = (double)(2.0L * fabs(w) * aam[i]);
  }
  for (i = 0; i < r->np; i++) {
    double pe = (p[i] > 0 ? p[i] : 0.0) + GAUSSREG_PREC_EPS;
    r->gp[i] = p[i] > 0 ? (double)(w * (ap[i] - c / pe)) : 0.0;
    r->gpa[i] = fabs(w) * ((double)aap[i] + c / pe);
  }
  free(ax);
  free(aax);
  free(am);
  free(aam);
  free(ap);
  free(aap);
  return 0;
}

static inline void ref_free(ref_result *r) {
  free(r->gx);
  free(r->gxa);
  free(r->gm);
  free(r->gma);
  free(r->gp);
  free(r->gpa);
}

/* |a - b| <= rel * scale, NaN only equals NaN, infinities must match. */
static inline int ref_close(double a, double b, double scale, double rel) {
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
  if (isinf(a) || isinf(b)) return a == b;
  return fabs(a - b) <= rel * (scale > 1e-300 ? scale : 1e-300);
}

/* Reads element i (logical C order) of any strided array as double. */
static inline double arr_get(const gaussreg_array *a, int64_t flat) {
  int64_t off = 0;
  int d;
  for (d = a->ndim - 1; d >= 0; d--) {
    off += (flat % a->shape[d]) * a->strides[d];
    flat /= a->shape[d];
  }
  return a->dtype == GAUSSREG_F64 ? ((const double *)a->data)[off]
                                  : (double)((const float *)a->data)[off];
}

#endif
