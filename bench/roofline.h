/*
** roofline.h -- what every C benchmark times against (bench_loss.c,
** bench_threads.c, bench_rng.c): a monotonic clock, and the plain loops over
** the same memory as the kernels, which are the roofline a kernel at memory
** speed reaches:
**   sum1   a sum over x (loss, scalar prior: read 1)
**   sum3   a sum over x, mean and precision (loss, per-element prior: read 3)
**   scale  y = 2*x (grad, scalar prior: read 1, write 1)
**   axpy3  y = p*(x-m) (grad, per-element prior: read 3, write 1)
** AVX2 on x86-64 with GCC or clang (target attributes, no -mavx2 needed;
** REF_NAME says which), plain C elsewhere. Static inline functions: each benchmark
** includes this once. Needs _POSIX_C_SOURCE >= 199309L for clock_gettime.
*/
#ifndef roofline_h
#define roofline_h

#include <stdint.h>
#include <time.h>

static inline double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_AVX2_REF 1
#define REF_NAME "AVX2 loops"
__attribute__((target("avx2"))) static inline double sum1(const double *x,
                                                   int64_t n) {
  __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
  double s[4];
  int64_t i;
  for (i = 0; i + 16 <= n; i += 16) {
    a0 = _mm256_add_pd(a0, _mm256_loadu_pd(x + i));
    a1 = _mm256_add_pd(a1, _mm256_loadu_pd(x + i + 4));
    a2 = _mm256_add_pd(a2, _mm256_loadu_pd(x + i + 8));
    a3 = _mm256_add_pd(a3, _mm256_loadu_pd(x + i + 12));
  }
  _mm256_storeu_pd(s, _mm256_add_pd(_mm256_add_pd(a0, a1),
                                    _mm256_add_pd(a2, a3)));
  for (; i < n; i++) s[0] += x[i];
  return s[0] + s[1] + s[2] + s[3];
}
__attribute__((target("avx2"))) static inline double sum3(const double *x,
                                                   const double *m,
                                                   const double *p,
                                                   int64_t n) {
  __m256d a0 = _mm256_setzero_pd(), a1 = a0;
  double s[4];
  int64_t i;
  for (i = 0; i + 8 <= n; i += 8) {
    a0 = _mm256_add_pd(a0, _mm256_add_pd(_mm256_loadu_pd(x + i),
                                         _mm256_add_pd(_mm256_loadu_pd(m + i),
                                                       _mm256_loadu_pd(p + i))));
    a1 = _mm256_add_pd(
        a1, _mm256_add_pd(_mm256_loadu_pd(x + i + 4),
                          _mm256_add_pd(_mm256_loadu_pd(m + i + 4),
                                        _mm256_loadu_pd(p + i + 4))));
  }
  _mm256_storeu_pd(s, _mm256_add_pd(a0, a1));
  for (; i < n; i++) s[0] += x[i] + m[i] + p[i];
  return s[0] + s[1] + s[2] + s[3];
}
__attribute__((target("avx2"))) static inline void scale(double *y, const double *x,
                                                  int64_t n) {
  __m256d two = _mm256_set1_pd(2.0);
  int64_t i;
  for (i = 0; i + 4 <= n; i += 4)
    _mm256_storeu_pd(y + i, _mm256_mul_pd(two, _mm256_loadu_pd(x + i)));
  for (; i < n; i++) y[i] = 2.0 * x[i];
}
__attribute__((target("avx2"))) static inline void axpy3(double *y, const double *x,
                                                  const double *m,
                                                  const double *p,
                                                  int64_t n) {
  int64_t i;
  for (i = 0; i + 4 <= n; i += 4)
    _mm256_storeu_pd(y + i, _mm256_mul_pd(_mm256_loadu_pd(p + i),
                                          _mm256_sub_pd(_mm256_loadu_pd(x + i),
                                                        _mm256_loadu_pd(m + i))));
  for (; i < n; i++) y[i] = p[i] * (x[i] - m[i]);
}
#else
#define HAVE_AVX2_REF 0
#define REF_NAME "plain C loops"
static inline double sum1(const double *x, int64_t n) {
  double s = 0;
  int64_t i;
  for (i = 0; i < n; i++) s += x[i];
  return s;
}
static inline double sum3(const double *x, const double *m, const double *p,
                   int64_t n) {
  double s = 0;
  int64_t i;
  for (i = 0; i < n; i++) s += x[i] + m[i] + p[i];
  return s;
}
static inline void scale(double *y, const double *x, int64_t n) {
  int64_t i;
  for (i = 0; i < n; i++) y[i] = 2.0 * x[i];
}
static inline void axpy3(double *y, const double *x, const double *m,
                  const double *p, int64_t n) {
  int64_t i;
  for (i = 0; i < n; i++) y[i] = p[i] * (x[i] - m[i]);
}
#endif

#endif
