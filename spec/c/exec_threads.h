/*
** exec_threads.h -- a test executor (gaussreg_config.executor) that runs
** each task on a POSIX thread of its own, all at once, as an engine's job
** system would; a task whose thread cannot be started runs on the caller.
** Shared by test_parallel.c and test_threads.c.
*/
#ifndef exec_threads_h
#define exec_threads_h

#include <pthread.h>

#include "gaussreg.h"

typedef struct exec_task {
  gaussreg_task_fn fn;
  void *arg;
  int i;
} exec_task;

static void *exec_task_main(void *p) {
  exec_task *t = (exec_task *)p;
  t->fn(t->arg, t->i);
  return NULL;
}

/* Runs tasks 0..ntasks-1 (at most GAUSSREG_MAX_THREADS) concurrently. */
static void exec_on_threads(int ntasks, gaussreg_task_fn fn, void *arg) {
  pthread_t th[GAUSSREG_MAX_THREADS];
  exec_task t[GAUSSREG_MAX_THREADS];
  int started[GAUSSREG_MAX_THREADS], i;
  for (i = 0; i < ntasks && i < GAUSSREG_MAX_THREADS; i++) {
    t[i].fn = fn;
    t[i].arg = arg;
    t[i].i = i;
    started[i] = pthread_create(&th[i], NULL, exec_task_main, &t[i]) == 0;
    if (!started[i]) fn(arg, i);
  }
  for (i = 0; i < ntasks && i < GAUSSREG_MAX_THREADS; i++)
    if (started[i]) pthread_join(th[i], NULL);
}

#endif
