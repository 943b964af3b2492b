/*
** bench_rng.c -- normals per second of gaussreg_sample_init into a
** contiguous float64 array of 1e7 (scalar prior: mean 0, std 1), best of
** several runs. With an argument (numpy's figure in normals/s, measured by
** bench/rng_numpy.py in the same `make bench-rng` run) it prints the ratio.
*/
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>

#include "gaussreg.h"
#include "roofline.h"

#define N 10000000
#define REPS 7

static double bench_one(gaussreg *g, gaussreg_array *out, const char *what) {
  double best = 1e30, sum = 0.0;
  int r;
  int64_t shape[1] = {N};
  for (r = 0; r < REPS; r++) {
    gaussreg_error err;
    double t = now();
    if (gaussreg_sample_init(g, 1, shape, out, &err) != GAUSSREG_OK) {
      fprintf(stderr, "bench_rng: %s: %s\n", err.arg, err.msg);
      exit(1);
    }
    t = now() - t;
    if (t < best) best = t;
  }
  sum = ((double *)out->data)[N / 2]; /* keep the work observable */
  if (sum != sum) printf("nan\n");
  printf("gaussreg sample_init %-22s %8.1f M normals/s (%.2f ms for 1e7)\n",
         what, N / best / 1e6, best * 1e3);
  return N / best;
}

int main(int argc, char **argv) {
  gaussreg_config cfg;
  gaussreg *g = NULL, *gv = NULL;
  gaussreg_array mean, std, out, vmean, vstd;
  gaussreg_error err;
  double zero = 0.0, one = 1.0, rate;
  double *buf = malloc(sizeof(double) * N);
  double *vm = malloc(sizeof(double) * N), *vs = malloc(sizeof(double) * N);
  int64_t shape[1] = {N};
  int i;
  if (!buf || !vm || !vs) {
    free(buf);
    free(vm);
    free(vs);
    return 1;
  }
  for (i = 0; i < N; i++) {
    buf[i] = 0.0;
    vm[i] = 0.001 * (i % 1000);
    vs[i] = 1.0 + 0.001 * (i % 7);
  }
  gaussreg_array_init(&mean, &zero, GAUSSREG_F64, 0, NULL, NULL);
  gaussreg_array_init(&std, &one, GAUSSREG_F64, 0, NULL, NULL);
  gaussreg_array_init(&out, buf, GAUSSREG_F64, 1, shape, NULL);
  gaussreg_config_init(&cfg);
  cfg.mean = &mean;
  cfg.std = &std;
  cfg.seed = 42;
  if (gaussreg_create(&cfg, &g, &err) != GAUSSREG_OK) {
    fprintf(stderr, "bench_rng: %s\n", err.msg);
    exit(1);
  }
  rate = bench_one(g, &out, "(scalar prior)");
  gaussreg_array_init(&vmean, vm, GAUSSREG_F64, 1, shape, NULL);
  gaussreg_array_init(&vstd, vs, GAUSSREG_F64, 1, shape, NULL);
  cfg.mean = &vmean;
  cfg.std = &vstd;
  if (gaussreg_create(&cfg, &gv, &err) != GAUSSREG_OK) {
    fprintf(stderr, "bench_rng: %s\n", err.msg);
    exit(1);
  }
  bench_one(gv, &out, "(per-element prior)");
  if (argc > 1) {
    double ref = atof(argv[1]);
    if (ref > 0) {
      printf("numpy default_rng().standard_normal    %8.1f M normals/s\n",
             ref / 1e6);
      printf("ratio gaussreg / numpy (scalar prior):  %.2fx (goal >= 1.30x)\n",
             rate / ref);
    }
  }
  gaussreg_destroy(g);
  gaussreg_destroy(gv);
  free(buf);
  free(vm);
  free(vs);
  return 0;
}
