/*
** fuzz_common.h -- what the fuzz harnesses share: a byte reader that turns
** the fuzz input into choices (zeros once it runs dry), a table of
** interesting doubles, and a counting allocator (gaussreg_alloc_fn and
** lua_Alloc have the same signature) that can fail its k-th allocation and
** records the live count, live bytes and the largest single request.
*/
#ifndef fuzz_common_h
#define fuzz_common_h

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A harness invariant: a violation aborts, which libFuzzer reports as a
** crash with the input that caused it. */
#define FZ_CHECK(c)                                                        \
  do {                                                                     \
    if (!(c)) {                                                            \
      fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, \
              #c);                                                         \
      abort();                                                             \
    }                                                                      \
  } while (0)

typedef struct fz_reader {
  const uint8_t *p;
  size_t n;
} fz_reader;

static inline unsigned fz_u8(fz_reader *r) {
  unsigned v;
  if (r->n == 0) return 0;
  v = r->p[0];
  r->p++;
  r->n--;
  return v;
}

static inline uint64_t fz_u64(fz_reader *r) {
  uint64_t v = 0;
  int i;
  for (i = 0; i < 8; i++) v |= (uint64_t)fz_u8(r) << (8 * i);
  return v;
}

/* A choice in 0..n-1. */
static inline unsigned fz_pick(fz_reader *r, unsigned n) {
  return n ? fz_u8(r) % n : 0;
}

/* Doubles that break things: specials, extremes, subnormals, and (for the
** high byte values) small "ordinary" numbers or raw bit patterns. */
static inline double fz_double(fz_reader *r) {
  static const double special[] = {
      0.0, 1.0, -1.0, 0.5, -0.0, 2.0, 3.0, 1e-4, 1e300, -1e300, 1e-310,
      4.9406564584124654e-324, 1.7976931348623157e308, 1e-8, 1e8, 0.1};
  unsigned b = fz_u8(r);
  if (b < 16) return special[b];
  if (b == 16) return NAN;
  if (b == 17) return -NAN;
  if (b == 18) return INFINITY;
  if (b == 19) return -INFINITY;
  if (b == 20) {
    uint64_t u = fz_u64(r);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
  }
  return ((double)b - 128.0) / 16.0;
}

/* A small "ordinary" double: only finite values in [-8, 8). */
static inline double fz_finite(fz_reader *r) {
  return ((double)fz_u8(r) - 128.0) / 16.0;
}

typedef struct fz_alloc {
  long count;      /* allocation requests (nsize > 0) so far */
  long fail_at;    /* the request number that fails (1-based); 0: never */
  int persistent;  /* when set, every request after fail_at fails too */
  long live;       /* blocks allocated and not freed */
  size_t bytes;    /* bytes live */
  size_t peak;     /* the most bytes live at once */
  size_t largest;  /* the largest single request */
  int size_error;  /* a free/realloc passed an osize that does not match */
  size_t limit;    /* requests above this fail (0: 2^40), a smaller machine */
  size_t total;    /* live bytes may not grow past this (0: no cap) */
} fz_alloc;

/* Each block carries a header with its size, so frees can be checked. */
#define FZ_HDR 16

static inline void *fz_alloc_fn(void *ud, void *ptr, size_t osize,
                                size_t nsize) {
  fz_alloc *a = (fz_alloc *)ud;
  unsigned char *blk = ptr ? (unsigned char *)ptr - FZ_HDR : NULL;
  if (blk != NULL) {
    size_t stored;
    memcpy(&stored, blk, sizeof stored);
    if (stored != osize) a->size_error = 1;
  }
  if (nsize == 0) {
    if (blk != NULL) {
      size_t stored;
      memcpy(&stored, blk, sizeof stored);
      a->live--;
      a->bytes -= stored;
      free(blk);
    }
    return NULL;
  }
  if (nsize > a->largest) a->largest = nsize;
  /* Only requests for more memory are counted and may fail: Lua absorbs a
  ** failed shrink (luaS_resize keeps the old table), and whether the GC
  ** shrinks at a given point depends on timing, so failing shrinks would
  ** make the k-th request a moving target. */
  if (blk == NULL || nsize > osize) {
    a->count++;
    if (a->fail_at > 0 &&
        (a->count == a->fail_at || (a->persistent && a->count > a->fail_at)))
      return NULL; /* the injected failure; ptr (if any) stays valid */
  }
  if (nsize > (a->limit ? a->limit : (size_t)1 << 40)) return NULL;
  {
    size_t old = 0;
    unsigned char *nb;
    if (blk != NULL) memcpy(&old, blk, sizeof old);
    if (a->total && nsize > old && a->bytes - old + nsize > a->total)
      return NULL; /* the machine is full: a memory error, not an RSS kill */
    nb = (unsigned char *)realloc(blk, nsize + FZ_HDR);
    if (nb == NULL) return NULL;
    if (blk == NULL) a->live++;
    a->bytes = a->bytes - old + nsize;
    if (a->bytes > a->peak) a->peak = a->bytes;
    memcpy(nb, &nsize, sizeof nsize);
    return nb + FZ_HDR;
  }
}

#endif
