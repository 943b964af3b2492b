/*
** install_capi.c -- make test-install: a C program built against an
** installed gaussreg with nothing but `pkg-config --cflags --libs gaussreg`
** (or --static). It checks the reference vector "col_mean_row_std" (a (2,1)
** mean and a (3) std over a (2,3) value, weight 0.5, from
** spec/fixtures/gaussianreg-vectors.json) and, given the path of the shared
** library it must have loaded, that the dynamic linker took that one.
**
** usage: install_capi [path/to/libgaussreg.so.N]
*/
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gaussreg.h>

static const double mean[2] = {1.0, -1.0};
static const double stdv[3] = {0.5, 1.0, 2.0};
static const double value[6] = {-1.901222739800844, -1.289537739784976,
                                -1.8417350377917323, -0.23509113107468127,
                                -1.2674464814437032, 0.2712643588217015};
static const double want_loss = 21.872568310556517;
static const double want_grad[6] = {-11.604893396230498, -2.289540006427339,
                                    -0.7104365994068864, 3.05963611822473,
                                    -0.2674467462157199, 0.317817360175244};

static int close_to(double a, double b) {
  return fabs(a - b) <= 1e-12 * fmax(fabs(a), fabs(b));
}

int main(int argc, char **argv) {
  static const int64_t ms[2] = {2, 1}, ss[1] = {3}, vs[2] = {2, 3};
  double m[2], s[3], x[6], g[6], loss = 0;
  gaussreg_array am, as, ax, ag;
  gaussreg_config cfg;
  gaussreg_error err;
  gaussreg *reg = NULL;
  int i, ok;
  memcpy(m, mean, sizeof m);
  memcpy(s, stdv, sizeof s);
  memcpy(x, value, sizeof x);
  gaussreg_array_init(&am, m, GAUSSREG_F64, 2, ms, NULL);
  gaussreg_array_init(&as, s, GAUSSREG_F64, 1, ss, NULL);
  gaussreg_array_init(&ax, x, GAUSSREG_F64, 2, vs, NULL);
  gaussreg_array_init(&ag, g, GAUSSREG_F64, 2, vs, NULL);
  gaussreg_config_init(&cfg);
  cfg.mean = &am;
  cfg.std = &as;
  cfg.weight = 0.5;
  if (gaussreg_create(&cfg, &reg, &err) != GAUSSREG_OK ||
      gaussreg_loss_and_grad(reg, &ax, &loss, &ag, &err) != GAUSSREG_OK) {
    fprintf(stderr, "install_capi: %s: %s\n", err.arg, err.msg);
    return 1;
  }
  ok = close_to(loss, want_loss) &&
       strcmp(gaussreg_version(), GAUSSREG_VERSION_STRING) == 0;
  for (i = 0; i < 6; i++) ok = ok && close_to(g[i], want_grad[i]);
  printf("install_capi: gaussreg %s, loss %.17g (reference %.17g), isa %s\n",
         gaussreg_version(), loss, want_loss,
         gaussreg_isa_name(gaussreg_get_isa(reg)));
  gaussreg_destroy(reg);
  if (argc > 1) { /* the shared library the loader took */
    Dl_info info;
    char a[PATH_MAX], b[PATH_MAX];
    void *sym = dlsym(RTLD_DEFAULT, "gaussreg_loss");
    int same = sym != NULL && dladdr(sym, &info) != 0 &&
               info.dli_fname != NULL &&
               realpath(info.dli_fname, a) != NULL &&
               realpath(argv[1], b) != NULL && strcmp(a, b) == 0;
    printf("install_capi: gaussreg_loss from %s\n",
           same ? argv[1] : "elsewhere");
    ok = ok && same;
  }
  if (!ok) fprintf(stderr, "install_capi: wrong results\n");
  return ok ? 0 : 1;
}
