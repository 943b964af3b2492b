/*
** gaussreg_pool.c -- an object's worker threads and the parallel loop that
** loss, the gradients and sample_init run their chunks through.
**
** A parallel job is n units (chunks of a walk, blocks of draws) and one
** function; each unit writes only its own outputs and its own slot of a
** result array, so which thread runs a unit never changes a bit. Threads
** claim units from a shared counter until none is left.
**
** The pool: threads - 1 workers, started on the first parallel call (under
** the pool's mutex), then asleep on a condition variable between calls. A
** call takes the pool (busy), publishes its job, works on it too, and waits
** until every worker has seen the job (the job lives on the caller's stack)
** before it gives the pool back. A concurrent call that finds the pool busy
** runs its units on its own thread. A worker that cannot be started is not
** retried: the pool runs with the workers it has.
**
** An executor (gaussreg_config.executor) replaces the pool: the job is
** handed to it as ntasks tasks that claim units the same way; whatever its
** tasks left is run by the caller afterwards.
**
** Threads are POSIX threads, or Windows threads on Windows; builds without
** either (the wasm builds, -DGAUSSREG_NO_THREADS) run everything inline.
** This unit depends on no other unit of the core: it allocates through the
** gaussreg_allocator it is given.
*/
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#if defined(__APPLE__) && !defined(_DARWIN_C_SOURCE)
#define _DARWIN_C_SOURCE /* _SC_NPROCESSORS_ONLN */
#endif

#include "gaussreg_internal.h"

#include <stddef.h>
#include <string.h>

/* Which threads, and the atomic add the units are claimed with. */
#if defined(GAUSSREG_NO_THREADS)
#define GAUSSREG__THREADS 0
#elif defined(_WIN32)
#define GAUSSREG__THREADS 2
#elif defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define GAUSSREG__THREADS 0
#elif defined(__unix__) || defined(__unix) || defined(__APPLE__)
#define GAUSSREG__THREADS 1
#else
#define GAUSSREG__THREADS 0
#endif

#if defined(__GNUC__) || defined(__clang__)
#define CLAIM(p) __atomic_fetch_add((p), 1, __ATOMIC_RELAXED)
#define HAVE_CLAIM 1
#elif defined(_MSC_VER)
#include <intrin.h>
#define CLAIM(p) (_InterlockedExchangeAdd((volatile long *)(p), 1))
#define HAVE_CLAIM 1
#else
#define HAVE_CLAIM 0 /* no atomics: executors are not used, no threads */
#undef GAUSSREG__THREADS
#define GAUSSREG__THREADS 0
#endif

#if GAUSSREG__THREADS == 1
#include <pthread.h>
#include <unistd.h>
typedef pthread_mutex_t mutex_t;
typedef pthread_cond_t cond_t;
typedef pthread_t thread_t;
#define THREAD_FN(name, arg) static void *name(void *arg)
#define THREAD_RET return NULL
#elif GAUSSREG__THREADS == 2
#define WIN32_LEAN_AND_MEAN
#include <process.h>
#include <windows.h>
typedef SRWLOCK mutex_t;
typedef CONDITION_VARIABLE cond_t;
typedef HANDLE thread_t;
#define THREAD_FN(name, arg) static unsigned __stdcall name(void *arg)
#define THREAD_RET return 0
#endif

/* Units per round of one job: claims are ints whatever n is. */
#define ROUND_MAX (1 << 24)

/* {====================================================================
** Jobs
** ===================================================================== */

typedef struct job {
  gaussreg__unit_fn fn;
  void *ctx;
  int64_t first; /* unit number of claim 0 */
  int n;         /* units in this round */
  int next;      /* the next unclaimed unit (atomic) */
} job;

#if HAVE_CLAIM
/* Runs units of j until none is left. */
static void work(job *j) {
  for (;;) {
    int u = CLAIM(&j->next);
    if (u >= j->n) return;
    j->fn(j->ctx, j->first + u);
  }
}

static void exec_task(void *arg, int i) {
  (void)i;
  work((job *)arg);
}
#endif

/* }==================================================================== */

/* {====================================================================
** Threads
** ===================================================================== */

int gaussreg__threads_native(void) { return GAUSSREG__THREADS != 0; }

int gaussreg__online_cores(void) {
  long n = 1;
#if GAUSSREG__THREADS == 1 && defined(_SC_NPROCESSORS_ONLN)
  n = sysconf(_SC_NPROCESSORS_ONLN);
#elif GAUSSREG__THREADS == 2
  {
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    n = (long)si.dwNumberOfProcessors;
  }
#endif
  if (n < 1) n = 1;
  if (n > GAUSSREG_MAX_THREADS) n = GAUSSREG_MAX_THREADS;
  return (int)n;
}

#if GAUSSREG__THREADS

#if GAUSSREG__THREADS == 1
static int mutex_init(mutex_t *m) { return pthread_mutex_init(m, NULL); }
static void mutex_destroy(mutex_t *m) { pthread_mutex_destroy(m); }
static void lock(mutex_t *m) { pthread_mutex_lock(m); }
static void unlock(mutex_t *m) { pthread_mutex_unlock(m); }
static int cond_init(cond_t *c) { return pthread_cond_init(c, NULL); }
static void cond_destroy(cond_t *c) { pthread_cond_destroy(c); }
static void cv_wait(cond_t *c, mutex_t *m) { pthread_cond_wait(c, m); }
static void cv_signal(cond_t *c) { pthread_cond_signal(c); }
static void cv_broadcast(cond_t *c) { pthread_cond_broadcast(c); }
static int thread_start(thread_t *t, void *(*fn)(void *), void *arg) {
  return pthread_create(t, NULL, fn, arg);
}
static void thread_join(thread_t t) { pthread_join(t, NULL); }
#else
static int mutex_init(mutex_t *m) {
  InitializeSRWLock(m);
  return 0;
}
static void mutex_destroy(mutex_t *m) { (void)m; }
static void lock(mutex_t *m) { AcquireSRWLockExclusive(m); }
static void unlock(mutex_t *m) { ReleaseSRWLockExclusive(m); }
static int cond_init(cond_t *c) {
  InitializeConditionVariable(c);
  return 0;
}
static void cond_destroy(cond_t *c) { (void)c; }
static void cv_wait(cond_t *c, mutex_t *m) {
  SleepConditionVariableSRW(c, m, INFINITE, 0);
}
static void cv_signal(cond_t *c) { WakeConditionVariable(c); }
static void cv_broadcast(cond_t *c) { WakeAllConditionVariable(c); }
static int thread_start(thread_t *t, unsigned(__stdcall *fn)(void *),
                        void *arg) {
  uintptr_t h = _beginthreadex(NULL, 0, fn, arg, 0, NULL);
  *t = (HANDLE)h;
  return h == 0;
}
static void thread_join(thread_t t) {
  WaitForSingleObject(t, INFINITE);
  CloseHandle(t);
}
#endif

typedef struct worker {
  thread_t th;
  struct gaussreg__pool *pool;
  uint64_t seen; /* the generation of the last job it took */
} worker;

struct gaussreg__pool {
  gaussreg_allocator alloc;
  size_t size;     /* bytes of this block */
  int nworkers;    /* threads - 1 */
  int started;     /* workers running */
  int start_failed;
  int starts, fail_at; /* start attempts; the test hook */
  int busy;        /* a call holds the pool */
  int shutdown;
  int pending;     /* workers yet to finish the current job */
  uint64_t gen;    /* jobs published */
  job *cur;
  mutex_t m;
  cond_t work_cv, done_cv;
  worker w[1];     /* nworkers of them (at least one allocated) */
};

THREAD_FN(worker_main, arg) {
  worker *self = (worker *)arg;
  gaussreg__pool *p = self->pool;
  lock(&p->m);
  for (;;) {
    job *j;
    while (!p->shutdown && p->gen == self->seen) cv_wait(&p->work_cv, &p->m);
    if (p->shutdown) break;
    self->seen = p->gen;
    j = p->cur;
    unlock(&p->m);
    work(j);
    lock(&p->m);
    if (--p->pending == 0) cv_signal(&p->done_cv);
  }
  unlock(&p->m);
  THREAD_RET;
}

gaussreg__pool *gaussreg__pool_new(const gaussreg_allocator *a, int threads) {
  int nw = threads > 1 ? threads - 1 : 1;
  size_t size = offsetof(gaussreg__pool, w) + sizeof(worker) * (size_t)nw;
  gaussreg__pool *p = (gaussreg__pool *)a->alloc(a->ud, NULL, 0, size);
  if (p == NULL) return NULL;
  memset(p, 0, size);
  p->alloc = *a;
  p->size = size;
  p->nworkers = threads - 1;
  if (mutex_init(&p->m) != 0) {
    a->alloc(a->ud, p, size, 0);
    return NULL;
  }
  if (cond_init(&p->work_cv) != 0) {
    mutex_destroy(&p->m);
    a->alloc(a->ud, p, size, 0);
    return NULL;
  }
  if (cond_init(&p->done_cv) != 0) {
    cond_destroy(&p->work_cv);
    mutex_destroy(&p->m);
    a->alloc(a->ud, p, size, 0);
    return NULL;
  }
  return p;
}

void gaussreg__pool_free(gaussreg__pool *p) {
  gaussreg_allocator a;
  int i;
  if (p == NULL) return;
  lock(&p->m);
  p->shutdown = 1;
  cv_broadcast(&p->work_cv);
  unlock(&p->m);
  for (i = 0; i < p->started; i++) thread_join(p->w[i].th);
  cond_destroy(&p->done_cv);
  cond_destroy(&p->work_cv);
  mutex_destroy(&p->m);
  a = p->alloc;
  a.alloc(a.ud, p, p->size, 0);
}

void gaussreg__pool_fail_start(gaussreg__pool *p, int k) {
  if (p == NULL) return;
  lock(&p->m);
  p->fail_at = k;
  unlock(&p->m);
}

int gaussreg__pool_started(gaussreg__pool *p) {
  int n;
  if (p == NULL) return 0;
  lock(&p->m);
  n = p->started;
  unlock(&p->m);
  return n;
}

/* Starts the workers not yet running (p->m held); stops at the first that
** the system (or the test hook) refuses. */
static void start_workers(gaussreg__pool *p) {
  while (!p->start_failed && p->started < p->nworkers) {
    worker *w = &p->w[p->started];
    w->pool = p;
    w->seen = p->gen;
    if (++p->starts == p->fail_at ||
        thread_start(&w->th, worker_main, w) != 0) {
      p->start_failed = 1;
      break;
    }
    p->started++;
  }
}

/* Runs j on p's workers and the calling thread; 0 when p was busy (or has
** no worker) and j has not been run. */
static int pool_run(gaussreg__pool *p, job *j) {
  lock(&p->m);
  if (p->busy) {
    unlock(&p->m);
    return 0;
  }
  start_workers(p);
  if (p->started == 0) {
    unlock(&p->m);
    return 0;
  }
  p->busy = 1;
  p->cur = j;
  p->gen++;
  p->pending = p->started;
  cv_broadcast(&p->work_cv);
  unlock(&p->m);
  work(j);
  lock(&p->m);
  while (p->pending > 0) cv_wait(&p->done_cv, &p->m);
  p->cur = NULL;
  p->busy = 0;
  unlock(&p->m);
  return 1;
}

#else /* no threads */

struct gaussreg__pool {
  int unused;
};

gaussreg__pool *gaussreg__pool_new(const gaussreg_allocator *a, int threads) {
  (void)a;
  (void)threads;
  return NULL;
}
void gaussreg__pool_free(gaussreg__pool *p) { (void)p; }
void gaussreg__pool_fail_start(gaussreg__pool *p, int k) {
  (void)p;
  (void)k;
}
int gaussreg__pool_started(gaussreg__pool *p) {
  (void)p;
  return 0;
}

#endif

/* }==================================================================== */

/* {====================================================================
** The parallel loop
** ===================================================================== */

int gaussreg__parallel_ok(const gaussreg *g, int64_t nelem) {
  return g->threads > 1 && nelem >= g->parallel_min &&
         (g->has_executor || g->pool != NULL);
}

void gaussreg__parallel(const gaussreg *g, int64_t n, gaussreg__unit_fn fn,
                        void *ctx) {
  int64_t u = 0;
#if HAVE_CLAIM
  if (g->threads > 1 && n > 1 && (g->has_executor || g->pool != NULL)) {
    while (u < n) {
      job j;
      j.fn = fn;
      j.ctx = ctx;
      j.first = u;
      j.n = n - u < ROUND_MAX ? (int)(n - u) : ROUND_MAX;
      j.next = 0;
      if (g->has_executor) {
        int t = g->threads < j.n ? g->threads : j.n;
        g->executor.run(g->executor.ud, t, exec_task, &j);
        work(&j); /* what the tasks left, if anything */
      } else {
#if GAUSSREG__THREADS
        if (!pool_run(g->pool, &j)) work(&j);
#else
        work(&j);
#endif
      }
      u += j.n;
    }
    return;
  }
#endif
  for (; u < n; u++) fn(ctx, u);
}

/* }==================================================================== */
