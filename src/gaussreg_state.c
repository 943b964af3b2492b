/*
** gaussreg_state.c -- checkpoints: gaussreg_state_size/save/restore.
**
** Format version 1, every integer little-endian whatever the host, written
** byte by byte (no struct is ever copied):
**
**   offset  size  field
**   0       4     magic "GREG"
**   4       4     u32 format version (1)
**   8       4     u32 flags: bit 0 = fit_hyper; other bits must be 0
**   12      4     u32 log mode (0 per precision, 1 per element)
**   16      8     f64 weight (IEEE-754 bits as u64)
**   24      4     u32 mean ndim (0..8)
**           8*nd  u64 mean shape
**           8*n   f64 mean values, row-major
**           4     u32 precision ndim (0..8)
**           8*nd  u64 precision shape
**           8*n   f64 precision values (the stored precision, not std:
**                 nothing is recomputed, so no bit is lost)
**           32    u64 x 4 generator state (xoshiro256++ words 0..3)
**           8     u64 FNV-1a 64 checksum of every byte before it
**
** Restore trusts nothing: it walks the string with bounds checks, derives
** the exact length the header implies and compares it with the length given
** before allocating anything, then checks the checksum and the values.
*/
#include <stdlib.h>
#include <string.h>

#include "gaussreg_internal.h"

#define STATE_VERSION 1u
#define HEADER_BYTES 24u
#define TRAILER_BYTES 40u /* generator + checksum */

static const unsigned char MAGIC[4] = {'G', 'R', 'E', 'G'};

/* {====================================================================
** little-endian bytes
** ===================================================================== */

static unsigned char *put_u32(unsigned char *p, uint32_t v) {
  int i;
  for (i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
  return p + 4;
}

static unsigned char *put_u64(unsigned char *p, uint64_t v) {
  int i;
  for (i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
  return p + 8;
}

static unsigned char *put_f64(unsigned char *p, double d) {
  uint64_t v;
  memcpy(&v, &d, sizeof v);
  return put_u64(p, v);
}

static uint32_t get_u32(const unsigned char *p) {
  uint32_t v = 0;
  int i;
  for (i = 3; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

static uint64_t get_u64(const unsigned char *p) {
  uint64_t v = 0;
  int i;
  for (i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

static double get_f64(const unsigned char *p) {
  uint64_t v = get_u64(p);
  double d;
  memcpy(&d, &v, sizeof d);
  return d;
}

static int finite_bits(uint64_t v) {
  return ((v >> 52) & 0x7ff) != 0x7ff;
}

static uint64_t fnv1a64(const unsigned char *p, size_t n) {
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  size_t i;
  for (i = 0; i < n; i++) {
    h ^= p[i];
    h *= UINT64_C(0x100000001b3);
  }
  return h;
}

/* }====================================================================== */

/* {====================================================================
** save
** ===================================================================== */

static uint64_t array_bytes(const gaussreg_array *a) {
  return 4u + 8u * (uint64_t)a->ndim +
         8u * (uint64_t)gaussreg__numel(a->ndim, a->shape);
}

size_t gaussreg_state_size(const gaussreg *g) {
  uint64_t n;
  if (g == NULL) return 0;
  n = HEADER_BYTES + array_bytes(&g->mean) + array_bytes(&g->precision) +
      TRAILER_BYTES;
  return n > (uint64_t)SIZE_MAX ? SIZE_MAX : (size_t)n;
}

static unsigned char *put_array(unsigned char *p, const gaussreg_array *a) {
  int64_t n = gaussreg__numel(a->ndim, a->shape), i;
  const double *d = (const double *)a->data;
  int k;
  p = put_u32(p, (uint32_t)a->ndim);
  for (k = 0; k < a->ndim; k++) p = put_u64(p, (uint64_t)a->shape[k]);
  for (i = 0; i < n; i++) p = put_f64(p, d[i]);
  return p;
}

int gaussreg_state_save(const gaussreg *g, void *buf, size_t cap,
                        size_t *written, gaussreg_error *err) {
  size_t need;
  unsigned char *p, *start;
  int i;
  if (written != NULL) *written = 0;
  if (g == NULL) return gaussreg__fail(err, GAUSSREG_EINVAL, "self", "is NULL");
  need = gaussreg_state_size(g);
  if (buf == NULL || cap < need)
    return gaussreg__fail(err, GAUSSREG_ESHAPE, "state",
                          "buffer too small: need %llu bytes, got %llu",
                          (unsigned long long)need,
                          (unsigned long long)(buf == NULL ? 0 : cap));
  start = p = (unsigned char *)buf;
  memcpy(p, MAGIC, 4);
  p += 4;
  p = put_u32(p, STATE_VERSION);
  p = put_u32(p, g->fit_hyper ? 1u : 0u);
  p = put_u32(p, (uint32_t)g->log_mode);
  p = put_f64(p, g->weight);
  p = put_array(p, &g->mean);
  p = put_array(p, &g->precision);
  for (i = 0; i < 4; i++) p = put_u64(p, g->rng[i]);
  p = put_u64(p, fnv1a64(start, (size_t)(p - start)));
  if (written != NULL) *written = (size_t)(p - start);
  return GAUSSREG_OK;
}

/* }====================================================================== */

/* {====================================================================
** restore
** ===================================================================== */

#define BAD(...) gaussreg__fail(err, GAUSSREG_ESTATE, "state", __VA_ARGS__)

/* An array section parsed (not yet decoded): where its values start. */
typedef struct parsed_array {
  int ndim;
  int64_t shape[GAUSSREG_MAX_DIMS];
  int64_t numel;
  uint64_t values; /* offset of the first value */
} parsed_array;

/* Parses the array section at *off named what; on success *off is past it. */
static int parse_array(const unsigned char *b, uint64_t len, uint64_t *off,
                       const char *what, parsed_array *pa,
                       gaussreg_error *err) {
  uint32_t nd;
  int k;
  uint64_t need;
  if (*off + 4 > len)
    return BAD("truncated: need at least %llu bytes, got %llu",
               (unsigned long long)(*off + 4 + TRAILER_BYTES),
               (unsigned long long)len);
  nd = get_u32(b + *off);
  *off += 4;
  if (nd > GAUSSREG_MAX_DIMS)
    return BAD("%s has %lu dimensions (at most %d)", what, (unsigned long)nd,
               GAUSSREG_MAX_DIMS);
  if (*off + 8u * nd > len)
    return BAD("truncated: need at least %llu bytes, got %llu",
               (unsigned long long)(*off + 8u * nd + TRAILER_BYTES),
               (unsigned long long)len);
  pa->ndim = (int)nd;
  pa->numel = 1;
  for (k = 0; k < (int)nd; k++) {
    uint64_t d = get_u64(b + *off);
    *off += 8;
    if (d > (uint64_t)GAUSSREG_MAX_NUMEL)
      return BAD("%s dimension %d is too large (%llu)", what, k,
                 (unsigned long long)d);
    pa->shape[k] = (int64_t)d;
  }
  { /* the same bound as every array (non-zero dims included) */
    gaussreg_error e;
    if (gaussreg__check_shape(pa->ndim, pa->shape, sizeof(double), what, &e) !=
        GAUSSREG_OK)
      return BAD("%s %s", what, e.msg);
  }
  pa->numel = gaussreg__numel(pa->ndim, pa->shape);
  pa->values = *off;
  need = *off + 8u * (uint64_t)pa->numel; /* < 2^57: no overflow */
  if (need > len)
    return BAD("truncated: need at least %llu bytes, got %llu",
               (unsigned long long)(need + TRAILER_BYTES),
               (unsigned long long)len);
  *off = need;
  return GAUSSREG_OK;
}

/* Every value of a parsed array must be finite. */
static int check_finite(const unsigned char *b, const parsed_array *pa,
                        const char *what, gaussreg_error *err) {
  int64_t i;
  for (i = 0; i < pa->numel; i++) {
    if (!finite_bits(get_u64(b + pa->values + 8u * (uint64_t)i)))
      return BAD("%s value %lld is not finite", what, (long long)i);
  }
  return GAUSSREG_OK;
}

static void decode(const unsigned char *b, const parsed_array *pa,
                   double *dst, gaussreg_array *a) {
  int64_t i;
  for (i = 0; i < pa->numel; i++)
    dst[i] = get_f64(b + pa->values + 8u * (uint64_t)i);
  memset(a, 0, sizeof *a);
  a->data = dst;
  a->dtype = GAUSSREG_F64;
  a->ndim = pa->ndim;
  memcpy(a->shape, pa->shape, sizeof a->shape);
  gaussreg__contiguous(a->ndim, a->shape, a->strides);
}

int gaussreg_state_restore(const void *buf, size_t len,
                           const gaussreg_allocator *allocator, gaussreg **out,
                           gaussreg_error *err) {
  const unsigned char *b = (const unsigned char *)buf;
  const uint64_t n = (uint64_t)len;
  uint64_t off, stored, computed, rng[4], wbits;
  uint32_t version, flags, mode;
  parsed_array pm, pp;
  gaussreg_allocator a;
  gaussreg_array am, ap;
  gaussreg *g = NULL;
  gaussreg_error e2;
  double *tmp, one = 0.0;
  size_t tmp_bytes;
  uint64_t total;
  int rc, i;

  if (out == NULL) return gaussreg__fail(err, GAUSSREG_EINVAL, "out", "is NULL");
  *out = NULL;
  memset(&e2, 0, sizeof e2);
  memset(&pm, 0, sizeof pm);
  memset(&pp, 0, sizeof pp);
  e2.arg = "";
  if (buf == NULL)
    return gaussreg__fail(err, GAUSSREG_EINVAL, "state", "is NULL");
  if (allocator != NULL && allocator->alloc == NULL)
    return gaussreg__fail(err, GAUSSREG_EINVAL, "allocator",
                          "has no alloc function");

  /* structure: header, two arrays, trailer, exact length */
  if (n < 4 || memcmp(b, MAGIC, 4) != 0) {
    if (n < 4 && memcmp(b, MAGIC, (size_t)n) == 0)
      return BAD("truncated: need at least %u bytes, got %llu",
                 HEADER_BYTES + 8u + TRAILER_BYTES, (unsigned long long)n);
    return BAD("bad magic: not a gaussianreg state");
  }
  if (n < 8)
    return BAD("truncated: need at least %u bytes, got %llu",
               HEADER_BYTES + 8u + TRAILER_BYTES, (unsigned long long)n);
  version = get_u32(b + 4);
  if (version != STATE_VERSION)
    return BAD("unsupported version %lu (this build reads version %u)",
               (unsigned long)version, STATE_VERSION);
  if (n < HEADER_BYTES)
    return BAD("truncated: need at least %u bytes, got %llu",
               HEADER_BYTES + 8u + TRAILER_BYTES, (unsigned long long)n);
  off = HEADER_BYTES;
  if ((rc = parse_array(b, n, &off, "mean", &pm, err)) != GAUSSREG_OK ||
      (rc = parse_array(b, n, &off, "precision", &pp, err)) != GAUSSREG_OK)
    return rc;
  if (off + TRAILER_BYTES != n) {
    if (off + TRAILER_BYTES > n)
      return BAD("truncated: need %llu bytes, got %llu",
                 (unsigned long long)(off + TRAILER_BYTES),
                 (unsigned long long)n);
    return BAD("%llu trailing bytes after the %llu of the state",
               (unsigned long long)(n - off - TRAILER_BYTES),
               (unsigned long long)(off + TRAILER_BYTES));
  }

  /* integrity */
  stored = get_u64(b + n - 8);
  computed = fnv1a64(b, (size_t)(n - 8));
  if (stored != computed)
    return BAD("checksum mismatch (stored %016llx, computed %016llx)",
               (unsigned long long)stored, (unsigned long long)computed);

  /* values */
  flags = get_u32(b + 8);
  mode = get_u32(b + 12);
  wbits = get_u64(b + 16);
  if (flags & ~1u) return BAD("unknown flags 0x%lx", (unsigned long)flags);
  if (mode != GAUSSREG_LOG_PER_PRECISION && mode != GAUSSREG_LOG_PER_ELEMENT)
    return BAD("unknown log mode %lu", (unsigned long)mode);
  if (!finite_bits(wbits)) return BAD("weight is not finite");
  if ((rc = check_finite(b, &pm, "mean", err)) != GAUSSREG_OK ||
      (rc = check_finite(b, &pp, "precision", err)) != GAUSSREG_OK)
    return rc;
  {
    int nd;
    int64_t sh[GAUSSREG_MAX_DIMS];
    if (gaussreg__broadcast(pm.ndim, pm.shape, pp.ndim, pp.shape, &nd, sh))
      return BAD("mean and precision shapes do not broadcast");
  }
  for (i = 0; i < 4; i++) rng[i] = get_u64(b + off + 8u * (uint64_t)i);
  if ((rng[0] | rng[1] | rng[2] | rng[3]) == 0)
    return BAD("generator state is all zero");

  /* decode into a temporary block (the header validated the sizes) */
  a = allocator != NULL ? *allocator : gaussreg__std_allocator;
  total = (uint64_t)(pm.numel + pp.numel);
  if (total > (uint64_t)(SIZE_MAX / sizeof(double)))
    return gaussreg__fail(err, GAUSSREG_ENOMEM, "state",
                          "state of %llu values does not fit in memory",
                          (unsigned long long)total);
  tmp_bytes = (size_t)total * sizeof(double);
  tmp = NULL;
  if (tmp_bytes > 0) {
    tmp = (double *)gaussreg__alloc(&a, tmp_bytes);
    if (tmp == NULL)
      return gaussreg__fail(err, GAUSSREG_ENOMEM, "state", "out of memory");
  }
  decode(b, &pm, tmp != NULL && pm.numel > 0 ? tmp : &one, &am);
  decode(b, &pp, tmp != NULL && pp.numel > 0 ? tmp + pm.numel : &one, &ap);
  rc = gaussreg__create_from_precision(allocator, &am, &ap, get_f64(b + 16),
                                       (int)(flags & 1u),
                                       (gaussreg_log_mode)mode, &g, &e2);
  if (tmp != NULL) gaussreg__free(&a, tmp, tmp_bytes);
  if (rc != GAUSSREG_OK) {
    if (rc == GAUSSREG_ENOMEM)
      return gaussreg__fail(err, rc, "state", "out of memory");
    return BAD("invalid hyperparameters: %s %s", e2.arg, e2.msg);
  }
  for (i = 0; i < 4; i++) g->rng[i] = rng[i];
  *out = g;
  return GAUSSREG_OK;
}

/* }====================================================================== */
