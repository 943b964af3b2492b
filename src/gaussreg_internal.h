/*
** gaussreg_internal.h -- what the core's files share; not installed.
**
** Every unit of the core includes its system headers first, then this
** header (or kernels/gaussreg_kernels.h) before any other inclusion of
** gaussreg.h: that makes all its symbols hidden (see gaussreg.h), so only
** the GAUSSREG_API functions of a shared build are exported.
*/
#ifndef gaussreg_internal_h
#define gaussreg_internal_h

#include "gaussreg.h"
#include "gaussreg_fp.h"

/* Tunable: the largest element count any array may have (2^53, so that
** counts convert to double exactly). Override with -D. */
#if !defined(GAUSSREG_MAX_NUMEL)
#define GAUSSREG_MAX_NUMEL ((int64_t)1 << 53)
#endif

/* The regularizer. mean and precision are owned, float64, C-contiguous;
** prec_eff and std_eff are derived from precision on every change. */
struct gaussreg {
  gaussreg_allocator alloc;
  double weight;
  int fit_hyper;
  gaussreg_log_mode log_mode;
  gaussreg_isa isa;          /* resolved: never GAUSSREG_ISA_AUTO */
  gaussreg_array mean;       /* data owned */
  gaussreg_array precision;  /* data owned: one block holding precision,
                                prec_eff and std_eff, numel each */
  double *prec_eff;          /* relu(precision) + GAUSSREG_PREC_EPS */
  double *std_eff;           /* 1/sqrt(relu(precision) + GAUSSREG_SAMPLE_EPS) */
  double log_sum;            /* sum of log(prec_eff), compensated */
  uint64_t rng[4];           /* generator state (gaussreg_rng.c) */
};

/* ---- gaussreg.c: errors, arrays, shapes, memory -------------------------- */

/* Records code/arg/printf-style message in err (if not NULL); returns code.
** Formats must mean the same to every C runtime, Windows' too: on MinGW the
** `printf` archetype checks against msvcrt's printf, which has no %zu/%zd/
** %jd, so sizes are cast to unsigned long long and printed with %llu. */
int gaussreg__fail(gaussreg_error *err, int code, const char *arg,
                   const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* Validates a shape named arg: ndim 0..8, dims >= 0, and the product of
** the non-zero dims at most GAUSSREG_MAX_NUMEL and SIZE_MAX / elsize
** (elsize 1: count only). */
int gaussreg__check_shape(int ndim, const int64_t *shape, size_t elsize,
                          const char *arg, gaussreg_error *err);
/* Validates an array argument named arg: not NULL, known dtype, ndim 0..8,
** dims >= 0, numel <= GAUSSREG_MAX_NUMEL and bytes fit size_t, data not
** NULL when numel > 0. For outputs (is_output != 0) also rejects a zero or
** overlapping stride on a dimension longer than 1. */
int gaussreg__check_array(const gaussreg_array *a, const char *arg,
                          int is_output, gaussreg_error *err);
/* numpy broadcast of two shapes into out (GAUSSREG_MAX_DIMS entries);
** returns 0, or -1 when they do not broadcast. */
int gaussreg__broadcast(int nda, const int64_t *a, int ndb, const int64_t *b,
                        int *nd_out, int64_t *out);
/* Broadcast of value shape with mean and precision; on failure the error
** names arg: "shape (4,3) does not broadcast with mean shape (2)". */
int gaussreg__broadcast3(const gaussreg *g, int nd, const int64_t *shape,
                         const char *arg, int *nd_out, int64_t *out,
                         gaussreg_error *err);
/* strides = the C-contiguous (row-major) strides, in elements, of shape;
** zero dims count as 1 so that strides stay meaningful. */
void gaussreg__contiguous(int nd, const int64_t *shape, int64_t *strides);
/* The error of a call that needs fit_hyper on an object without it. */
int gaussreg__fail_fixed(gaussreg_error *err, const char *arg);
/* Copies a validated array, in row-major order, into contiguous float64. */
int gaussreg__to_f64(const gaussreg_array *a, double *out);
/* Element count of a shape (caller has validated it). */
int64_t gaussreg__numel(int nd, const int64_t *shape);
/* Creates an object from stored precision (not std): what
** gaussreg_create does after converting std, and what restore uses. alloc may
** be NULL (malloc/free). The generator is seeded with 0. */
int gaussreg__create_from_precision(const gaussreg_allocator *alloc,
                                    const gaussreg_array *mean,
                                    const gaussreg_array *precision,
                                    double weight, int fit_hyper,
                                    gaussreg_log_mode mode, gaussreg **out,
                                    gaussreg_error *err);
/* malloc/free as a gaussreg_allocator: what a NULL allocator means. */
extern const gaussreg_allocator gaussreg__std_allocator;
/* Allocation through g's allocator. */
void *gaussreg__alloc(const gaussreg_allocator *a, size_t n);
void gaussreg__free(const gaussreg_allocator *a, void *p, size_t n);
/* Reads element i (a flat, validated offset in elements) as double. */
static inline double gaussreg__get(const void *data, gaussreg_dtype t,
                                   int64_t off) {
  return t == GAUSSREG_F64 ? ((const double *)data)[off]
                           : (double)((const float *)data)[off];
}

/* ---- gaussreg_eval.c / kernels: loss, grad, hyper_grad ------------------- */
/* (public functions only; kernel tables are private to eval/dispatch) */

/* ---- gaussreg_rng.c: generator ------------------------------------------- */

/* Seeds a generator state from a 64-bit seed (same everywhere). */
void gaussreg__rng_seed(uint64_t s[4], uint64_t seed);
/* The next 64-bit output (xoshiro256++). */
uint64_t gaussreg__rng_next(uint64_t s[4]);
/* One standard normal draw (256-layer ziggurat, correctly-rounded ops only). */
double gaussreg__rng_normal(uint64_t s[4]);
/* buf[0..n) = the next n standard normals, in order (the fast loop). */
void gaussreg__rng_normals(uint64_t s[4], double *buf, size_t n);
/* exp and log from + - * / only: the same bits on every platform. */
double gaussreg__rng_exp(double x);
double gaussreg__rng_log(double x);

#endif
