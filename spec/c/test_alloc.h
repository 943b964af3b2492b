/*
** test_alloc.h -- the C tests' allocator: counts live bytes, blocks and
** requests, and fails the fail_at-th request (0: never), as SQLite's
** fault injection does.
*/
#ifndef test_alloc_h
#define test_alloc_h

#include <stdlib.h>

typedef struct counting {
  long live_bytes, live_blocks, calls, fail_at;
} counting;

static inline void *counting_alloc(void *ud, void *ptr, size_t osize,
                                   size_t nsize) {
  counting *c = (counting *)ud;
  if (nsize == 0) {
    if (ptr != NULL) {
      c->live_bytes -= (long)osize;
      c->live_blocks--;
    }
    free(ptr);
    return NULL;
  }
  if (++c->calls == c->fail_at) return NULL;
  ptr = realloc(ptr, nsize);
  if (ptr != NULL) {
    c->live_bytes += (long)nsize - (long)osize;
    if (osize == 0) c->live_blocks++;
  }
  return ptr;
}

#endif
