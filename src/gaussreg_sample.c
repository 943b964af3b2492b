/*
** gaussreg_sample.c -- seeding, gaussreg_sample_shape and
** gaussreg_sample_init: mean + std_eff * N(0,1) over the broadcast of the
** requested shape with mean and precision.
**
** The draws come from the object's generator (gaussreg_rng.c) in row-major
** order of the output, whatever its strides: the walk keeps B's dimension
** order (it only drops length-1 dimensions and coalesces neighbours), so the
** same seed fills the same logical element with the same draw everywhere.
*/
#include <string.h>

#include "gaussreg_walk.h"

#define OM GAUSSREG__OM
#define OP GAUSSREG__OP
#define OO GAUSSREG__OO

/* sd * z is rounded before mean is added (no FMA, whatever the flags). */
#define RND gaussreg__rounded

/* Normals are drawn into a stack buffer this many at a time. */
#define SAMPLE_CHUNK 256

void gaussreg_seed(gaussreg *g, uint64_t seed) {
  if (g) gaussreg__rng_seed(g->rng, seed);
}

int gaussreg_sample_shape(const gaussreg *g, int ndim, const int64_t *shape,
                          int *out_ndim, int64_t *out_shape,
                          gaussreg_error *err) {
  int rc;
  if (g == NULL)
    return gaussreg__fail(err, GAUSSREG_EINVAL, "self", "is NULL");
  if (out_ndim == NULL || out_shape == NULL)
    return gaussreg__fail(err, GAUSSREG_EINVAL, "out_shape", "is NULL");
  rc = gaussreg__check_shape(ndim, shape, 1, "shape", err);
  if (rc != GAUSSREG_OK) return rc;
  return gaussreg__broadcast3(g, ndim, shape, "shape", out_ndim, out_shape,
                              err);
}

typedef struct sampler {
  uint64_t *rng;
  const double *mean, *sd; /* the mean and std_eff */
  void *out;
  gaussreg_dtype ot;
} sampler;

/* One run: n draws, out[i] = mean[i] + sd[i] * z[i] along the strides. */
static void run_sample(const void *ctx, int64_t n, const int64_t *off,
                       const int64_t *st) {
  const sampler *s = (const sampler *)ctx;
  const int64_t os = st[OO], ms = st[OM], ss = st[OP];
  const double *m = s->mean + off[OM], *sd = s->sd + off[OP];
  double z[SAMPLE_CHUNK];
  int64_t done, j;
  for (done = 0; done < n; done += SAMPLE_CHUNK) {
    int64_t c = n - done < SAMPLE_CHUNK ? n - done : SAMPLE_CHUNK;
    const double *mc = m + done * ms, *sc = sd + done * ss;
    gaussreg__rng_normals(s->rng, z, (size_t)c);
    if (s->ot == GAUSSREG_F64) {
      double *o = (double *)s->out + off[OO] + done * os;
      if (ms == 0 && ss == 0 && os == 1) {
        const double m0 = mc[0], s0 = sc[0];
        for (j = 0; j < c; j++) o[j] = m0 + RND(s0 * z[j]);
      } else if (ms == 1 && ss == 1 && os == 1) {
        for (j = 0; j < c; j++) o[j] = mc[j] + RND(sc[j] * z[j]);
      } else {
        for (j = 0; j < c; j++)
          o[j * os] = mc[j * ms] + RND(sc[j * ss] * z[j]);
      }
    } else {
      float *o = (float *)s->out + off[OO] + done * os;
      for (j = 0; j < c; j++)
        o[j * os] = (float)(mc[j * ms] + RND(sc[j * ss] * z[j]));
    }
  }
}

int gaussreg_sample_init(gaussreg *g, int ndim, const int64_t *shape,
                         gaussreg_array *out, gaussreg_error *err) {
  int nd = 0, rc, d, dims[GAUSSREG_MAX_DIMS];
  int64_t bshape[GAUSSREG_MAX_DIMS];
  gaussreg__plan pl;
  gaussreg__walk w;
  sampler s;
  memset(bshape, 0, sizeof bshape);
  rc = gaussreg_sample_shape(g, ndim, shape, &nd, bshape, err);
  if (rc != GAUSSREG_OK) return rc;
  rc = gaussreg__check_array(out, "out", 1, err);
  if (rc != GAUSSREG_OK) return rc;
  if (out->ndim != nd ||
      (nd > 0 &&
       memcmp(out->shape, bshape, (size_t)nd * sizeof *bshape) != 0)) {
    char a[200], b[200];
    return gaussreg__fail(
        err, GAUSSREG_ESHAPE, "out",
        "shape %s does not match sample shape %s",
        gaussreg_format_shape(a, sizeof a, out->ndim, out->shape),
        gaussreg_format_shape(b, sizeof b, nd, bshape));
  }
  if (gaussreg__numel(nd, bshape) == 0) return GAUSSREG_OK;
  gaussreg__plan_init(&pl, g, NULL, nd, bshape);
  gaussreg__plan_out(&pl, out);
  for (d = 0; d < nd; d++) dims[d] = d;
  gaussreg__walk_build(&w, &pl, dims, nd, 0); /* row-major: draw order */
  s.rng = g->rng;
  s.mean = (const double *)g->mean.data;
  s.sd = g->std_eff;
  s.out = out->data;
  s.ot = out->dtype;
  gaussreg__walk_each(&w, pl.base, run_sample, &s);
  return GAUSSREG_OK;
}
