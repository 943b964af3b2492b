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
** the pool's mutex). A call takes the pool (busy), publishes its job (the
** job pointer, the job opened, then a new generation number), and works on
** it too. A worker that sees the new generation joins the job if it is
** still open (one atomic word holds the open flag and the count of workers
** inside), runs units, and leaves. When the caller has run out of units it
** closes the job -- a worker that wakes later finds it closed and does not
** touch it (the job lives on the caller's stack) -- and waits only for the
** workers inside. So a worker the system is slow to schedule costs the call
** nothing: at worst the call runs at one thread's speed. Waiting is
** spin-then-sleep, as OpenMP runtimes do: a worker watches the generation
** for GAUSSREG_SPIN pauses (about 25 us on x86; a yield every 64th, in case
** the thread it waits for is queued on its processor) before it sleeps on a
** condition variable, and the caller watches the count likewise, so that
** calls in quick succession pay no sleep and wake-up. A concurrent call that
** finds the pool busy runs its units on its own thread. A worker that cannot
** be started is not retried: the pool runs with the workers it has.
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
#define LOAD(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define DECREMENT(p) __atomic_sub_fetch((p), 1, __ATOMIC_ACQ_REL)
#define CLEAR(p, bits) __atomic_and_fetch((p), ~(bits), __ATOMIC_ACQ_REL)
/* *p = want if *p == *old (1), else *old = *p (0) */
#define CAS(p, old, want)                                                  \
  __atomic_compare_exchange_n((p), (old), (want), 0, __ATOMIC_ACQ_REL,     \
                              __ATOMIC_ACQUIRE)
#define HAVE_CLAIM 1
#elif defined(_MSC_VER)
#include <intrin.h>
#define CLAIM(p) (_InterlockedExchangeAdd((volatile long *)(p), 1))
#define LOAD(p) ((int)_InterlockedOr((volatile long *)(p), 0))
#define STORE(p, v) ((void)_InterlockedExchange((volatile long *)(p), (v)))
#define DECREMENT(p) ((int)_InterlockedDecrement((volatile long *)(p)))
#define CLEAR(p, bits)                                                     \
  ((int)_InterlockedAnd((volatile long *)(p), ~(long)(bits)) & ~(bits))
static int gaussreg__cas(volatile long *p, int *old, int want) {
  long seen = _InterlockedCompareExchange(p, want, *old);
  if (seen == *old) return 1;
  *old = (int)seen;
  return 0;
}
#define CAS(p, old, want) gaussreg__cas((volatile long *)(p), (old), (want))
#define HAVE_CLAIM 1
#else
#define HAVE_CLAIM 0 /* no atomics: executors are not used, no threads */
#undef GAUSSREG__THREADS
#define GAUSSREG__THREADS 0
#endif

#if GAUSSREG__THREADS == 1
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
typedef pthread_mutex_t mutex_t;
typedef pthread_cond_t cond_t;
typedef pthread_t thread_t;
typedef void *thread_ret;
#define THREAD_CC
#define THREAD_RET return NULL
#elif GAUSSREG__THREADS == 2
#define WIN32_LEAN_AND_MEAN
#include <process.h>
#include <windows.h>
typedef SRWLOCK mutex_t;
typedef CONDITION_VARIABLE cond_t;
typedef HANDLE thread_t;
typedef unsigned thread_ret;
#define THREAD_CC __stdcall
#define THREAD_RET return 0
#endif

/* System headers first: gaussreg.h hides every declaration that follows it
** in a unit of the core. */
#include <stddef.h>
#include <string.h>

#include "gaussreg_internal.h"

/* Units per round of one job: claims are ints whatever n is. */
#define ROUND_MAX (1 << 24)

/* Pauses a waiting thread spins before it sleeps. */
#if !defined(GAUSSREG_SPIN)
#define GAUSSREG_SPIN 1000
#endif
#if (defined(__GNUC__) || defined(__clang__)) &&                           \
    (defined(__x86_64__) || defined(__i386__))
#define PAUSE() __builtin_ia32_pause()
#elif (defined(__GNUC__) || defined(__clang__)) && defined(__aarch64__)
#define PAUSE() __asm__ __volatile__("yield")
#elif defined(_MSC_VER)
#define PAUSE() YieldProcessor()
#else
#define PAUSE() ((void)0)
#endif

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
static void yield(void) { sched_yield(); }
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
static void yield(void) { SwitchToThread(); }
#endif

typedef struct worker {
  thread_t th;
  struct gaussreg__pool *pool;
  int seen; /* the generation current when it started */
} worker;

/* The fields marked atomic are read without the mutex (LOAD) and written
** with STORE/DECREMENT; the others are the mutex's. */
struct gaussreg__pool {
  gaussreg_allocator alloc;
  size_t size;     /* bytes of this block */
  int nworkers;    /* threads - 1 */
  int started;     /* workers running */
  int start_failed;
  int starts, fail_at; /* start attempts; the test hook */
  int busy;        /* a call holds the pool */
  int sleepers;    /* workers asleep on work_cv */
  int shutdown;    /* atomic */
  int gen;         /* atomic: jobs published (mod 2^30) */
  int state;       /* atomic: OPEN while the job takes workers, plus the
                      count of workers inside it */
  job *cur;        /* written before the job opens, read after joining */
  mutex_t m;
  cond_t work_cv, done_cv;
  worker w[1];     /* nworkers of them (at least one allocated) */
};

/* One step of a spin: a pause, and every 64th a yield of the processor (a
** thread we wait for may be queued on ours when the machine is busy). */
static void spin_step(int i) {
  if ((i & 63) == 63)
    yield();
  else
    PAUSE();
}

/* The open flag of pool->state. */
#define OPEN 0x40000000

/* Enters the current job if it is still open. */
static int join(gaussreg__pool *p) {
  int st = LOAD(&p->state);
  while (st & OPEN)
    if (CAS(&p->state, &st, st + 1)) return 1;
  return 0;
}

/* Whether worker state `seen` must keep waiting. */
static int idle(gaussreg__pool *p, int seen) {
  return LOAD(&p->gen) == seen && !LOAD(&p->shutdown);
}

static thread_ret THREAD_CC worker_main(void *arg) {
  worker *self = (worker *)arg;
  gaussreg__pool *p = self->pool;
  int seen = self->seen, spin = 0;
  for (;;) {
    int i;
    /* after a job it worked on, watch for the next one a while; after one
       it came too late for, sleep at once: it was probably queued on the
       caller's processor, where spinning would only slow the caller */
    for (i = 0; i < spin && idle(p, seen); i++) spin_step(i);
    if (idle(p, seen)) {
      lock(&p->m);
      p->sleepers++;
      while (idle(p, seen)) cv_wait(&p->work_cv, &p->m);
      p->sleepers--;
      unlock(&p->m);
    }
    if (LOAD(&p->shutdown)) break;
    seen = LOAD(&p->gen);
    spin = 0;
    if (!join(p)) continue; /* closed already: the caller did it all */
    spin = GAUSSREG_SPIN;
    work(p->cur);
    if (DECREMENT(&p->state) == 0) { /* closed, and the last one out */
      lock(&p->m);
      cv_signal(&p->done_cv);
      unlock(&p->m);
    }
  }
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
  STORE(&p->shutdown, 1);
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
    w->seen = LOAD(&p->gen);
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
  int i;
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
  STORE(&p->state, OPEN);
  STORE(&p->gen, (LOAD(&p->gen) + 1) & 0x3fffffff);
  if (p->sleepers > 0) cv_broadcast(&p->work_cv);
  unlock(&p->m);
  work(j);
  /* no unit is left to claim: close the job, wait for those inside */
  if (CLEAR(&p->state, OPEN) != 0) {
    for (i = 0; i < GAUSSREG_SPIN && LOAD(&p->state) != 0; i++) spin_step(i);
    lock(&p->m);
    while (LOAD(&p->state) != 0) cv_wait(&p->done_cv, &p->m);
    unlock(&p->m);
  }
  lock(&p->m);
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
