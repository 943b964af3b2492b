/*
** check.h -- the C tests' tiny harness: CHECK(cond), CHECK_NEAR(a, b, rel),
** CHECK_EQ_INT(a, b). A failed check prints file:line and the values and is
** counted; check_done() prints "N passed, N failed" and gives the exit code.
*/
#ifndef check_h
#define check_h

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

static inline int check_report(int ok, const char *file, int line,
                               const char *what) {
  if (ok) {
    check_passed++;
  } else {
    check_failed++;
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
  }
  return ok;
}

/* |a - b| <= rel * max(|a|, |b|, tiny): relative closeness, NaN == NaN. */
static inline int check_close(double a, double b, double rel) {
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
  if (a == b) return 1;
  double m = fmax(fabs(a), fabs(b));
  return fabs(a - b) <= rel * (m > 1e-300 ? m : 1e-300);
}

/* Bit-for-bit equality of n doubles (memcmp on doubles is not a value test,
** but here the bits are the point). */
static inline int same_bits(const double *a, const double *b, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    uint64_t u, v;
    memcpy(&u, a + i, sizeof u);
    memcpy(&v, b + i, sizeof v);
    if (u != v) return 0;
  }
  return 1;
}

#define CHECK(c) check_report(!!(c), __FILE__, __LINE__, #c)
#define CHECK_NEAR(a, b, rel)                                              \
  do {                                                                     \
    double check_a_ = (a), check_b_ = (b);                                 \
    if (!check_report(check_close(check_a_, check_b_, (rel)), __FILE__,    \
                      __LINE__, #a " ~ " #b))                              \
      fprintf(stderr, "    %.17g vs %.17g (rel %.3g)\n", check_a_,         \
              check_b_, (double)(rel));                                    \
  } while (0)
#define CHECK_EQ_INT(a, b)                                                 \
  do {                                                                     \
    long long check_a_ = (long long)(a), check_b_ = (long long)(b);        \
    if (!check_report(check_a_ == check_b_, __FILE__, __LINE__,           \
                      #a " == " #b))                                       \
      fprintf(stderr, "    %lld vs %lld\n", check_a_, check_b_);           \
  } while (0)
#define CHECK_STR(a, b)                                                    \
  do {                                                                     \
    const char *check_a_ = (a), *check_b_ = (b);                           \
    if (!check_report(check_a_ && check_b_ && strcmp(check_a_, check_b_) == 0, \
                      __FILE__, __LINE__, #a " eq " #b))                   \
      fprintf(stderr, "    \"%s\" vs \"%s\"\n", check_a_ ? check_a_ : "(null)", \
              check_b_ ? check_b_ : "(null)");                             \
  } while (0)

static inline int check_done(const char *name) {
  printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
  return check_failed ? 1 : 0;
}

#endif
