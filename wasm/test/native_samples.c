/*
** native_samples.c -- prints, as JSON, what the native library computes for
** the cases of wasm/test/parity.test.js: sample_init draws (bit patterns in
** hex), loss and grad (%.17g) and the state bytes after sampling. The test
** runs the same cases through both wasm builds and compares. The last line,
** "blocked", is a request above GAUSSREG_SAMPLE_SPLIT drawn and summed on
** two threads (issue 15): an FNV-1a hash of the draws' bytes, the loss at
** 3 sin(i + 1) and the state after, which the single-threaded wasm builds
** must reproduce.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gaussreg.h"

typedef struct pcase {
  const char *name;
  int mean_nd, std_nd;
  int64_t mean_shape[2], std_shape[2];
  double mean[4], std[4];
  double weight;
  int log_mode;
  uint64_t seed;
  int sample_nd;
  int64_t sample_shape[2];
} pcase;

static const pcase cases[] = {
    {"scalar", 0, 0, {0}, {0}, {0.0}, {1.0}, 0.01, 0, 42u, 1, {1000, 0}},
    {"vector", 1, 1, {3}, {3}, {0.0, 1.0, 2.0}, {0.5, 1.0, 2.0}, 0.5, 0, 7u,
     2, {4, 3}},
    {"per_element", 0, 0, {0}, {0}, {1.5}, {0.3}, 2.0, 1,
     ((uint64_t)1 << 40) + 5u, 1, {257, 0}},
    {"column", 2, 1, {2, 1}, {3}, {-1.0, 1.0}, {1.0, 0.25, 4.0}, 1.0, 0, 123u,
     2, {2, 3}},
};

static void print_hex(const double *v, size_t n) {
  size_t i;
  printf("[");
  for (i = 0; i < n; i++) {
    uint64_t b;
    memcpy(&b, &v[i], sizeof b);
    printf("%s\"%016llx\"", i ? "," : "", (unsigned long long)b);
  }
  printf("]");
}

static void print_num(const double *v, size_t n) {
  size_t i;
  printf("[");
  for (i = 0; i < n; i++) printf("%s%.17g", i ? "," : "", v[i]);
  printf("]");
}

static int run(const pcase *c) {
  static double samples[4096], value[4096], grad[4096];
  static unsigned char state[8192];
  gaussreg_array mean, std, out, x, gx;
  gaussreg_config cfg;
  gaussreg_error err;
  gaussreg *g = NULL;
  int nd = 0, i;
  int64_t shape[GAUSSREG_MAX_DIMS];
  size_t n, written = 0;
  double loss = 0, mv[4], sv[4];

  memcpy(mv, c->mean, sizeof mv);
  memcpy(sv, c->std, sizeof sv);
  gaussreg_array_init(&mean, mv, GAUSSREG_F64, c->mean_nd,
                      c->mean_shape, &err);
  gaussreg_array_init(&std, sv, GAUSSREG_F64, c->std_nd,
                      c->std_shape, &err);
  gaussreg_config_init(&cfg);
  cfg.mean = &mean;
  cfg.std = &std;
  cfg.weight = c->weight;
  cfg.log_mode = (gaussreg_log_mode)c->log_mode;
  cfg.seed = c->seed;
  if (gaussreg_create(&cfg, &g, &err) != GAUSSREG_OK ||
      gaussreg_sample_shape(g, c->sample_nd, c->sample_shape, &nd, shape,
                            &err) != GAUSSREG_OK ||
      gaussreg_array_init(&out, samples, GAUSSREG_F64, nd, shape, &err) !=
          GAUSSREG_OK ||
      gaussreg_sample_init(g, c->sample_nd, c->sample_shape, &out, &err) !=
          GAUSSREG_OK) {
    fprintf(stderr, "native_samples: %s: %s %s\n", c->name, err.arg, err.msg);
    gaussreg_destroy(g);
    return 1;
  }
  n = gaussreg_array_numel(&out);
  /* value_i = 3 sin(i + 1): the same formula in the JS test */
  for (i = 0; i < (int)n; i++) value[i] = 3.0 * sin((double)i + 1.0);
  gaussreg_array_init(&x, value, GAUSSREG_F64, nd, shape, &err);
  gaussreg_array_init(&gx, grad, GAUSSREG_F64, nd, shape, &err);
  if (gaussreg_loss_and_grad(g, &x, &loss, &gx, &err) != GAUSSREG_OK ||
      gaussreg_state_save(g, state, sizeof state, &written, &err) !=
          GAUSSREG_OK) {
    fprintf(stderr, "native_samples: %s: %s %s\n", c->name, err.arg, err.msg);
    gaussreg_destroy(g);
    return 1;
  }
  printf("{\"name\":\"%s\",\"shape\":[", c->name);
  for (i = 0; i < nd; i++) printf("%s%lld", i ? "," : "", (long long)shape[i]);
  printf("],\"samples\":");
  print_hex(samples, n);
  printf(",\"loss\":%.17g,\"grad\":", loss);
  print_num(grad, n);
  printf(",\"state\":\"");
  for (i = 0; i < (int)written; i++) printf("%02x", state[i]);
  printf("\"}\n");
  gaussreg_destroy(g);
  return 0;
}

/* FNV-1a, 32 bits, of n bytes (the JS test computes the same). */
static uint32_t fnv32(const void *p, size_t n) {
  const unsigned char *b = (const unsigned char *)p;
  uint32_t h = 0x811c9dc5u;
  size_t i;
  for (i = 0; i < n; i++) {
    h ^= b[i];
    h *= 0x01000193u;
  }
  return h;
}

static int run_blocked(void) {
  enum { ROWS = 150001, N = 2 * ROWS };
  static double samples[N], value[N];
  static unsigned char state[256];
  const int64_t sshape[2] = {ROWS, 2}, mshape[1] = {2};
  double mv[2] = {0.5, -1.0}, sd = 0.75, loss = 0;
  gaussreg_array mean, std, out, x;
  gaussreg_config cfg;
  gaussreg_error err;
  gaussreg *g = NULL;
  size_t written = 0, i;
  gaussreg_array_init(&mean, mv, GAUSSREG_F64, 1, mshape, &err);
  gaussreg_array_init(&std, &sd, GAUSSREG_F64, 0, NULL, &err);
  gaussreg_array_init(&out, samples, GAUSSREG_F64, 2, sshape, &err);
  gaussreg_array_init(&x, value, GAUSSREG_F64, 2, sshape, &err);
  for (i = 0; i < N; i++) value[i] = 3.0 * sin((double)i + 1.0);
  gaussreg_config_init(&cfg);
  cfg.mean = &mean;
  cfg.std = &std;
  cfg.seed = 2024;
  cfg.threads = 2;
  if (gaussreg_create(&cfg, &g, &err) != GAUSSREG_OK ||
      gaussreg_sample_init(g, 2, sshape, &out, &err) != GAUSSREG_OK ||
      gaussreg_loss(g, &x, &loss, &err) != GAUSSREG_OK ||
      gaussreg_state_save(g, state, sizeof state, &written, &err) !=
          GAUSSREG_OK) {
    fprintf(stderr, "native_samples: blocked: %s %s\n", err.arg, err.msg);
    gaussreg_destroy(g);
    return 1;
  }
  printf("{\"name\":\"blocked\",\"fnv\":%lu,\"first\":",
         (unsigned long)fnv32(samples, sizeof samples));
  print_hex(samples, 2);
  printf(",\"loss\":%.17g,\"state\":\"", loss);
  for (i = 0; i < written; i++) printf("%02x", state[i]);
  printf("\"}\n");
  gaussreg_destroy(g);
  return 0;
}

int main(void) {
  size_t i;
  int rc = 0;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) rc |= run(&cases[i]);
  rc |= run_blocked();
  return rc;
}
