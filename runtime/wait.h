/*
 * wait.h -- think time between two tasks of a user (Locust's wait_time).
 */
#ifndef SW_WAIT_H
#define SW_WAIT_H

#include "sw.h"

/* Milliseconds to wait after a task that took task_ms:
 * none: 0; const: a; between: uniform in [a, b] (seeded RNG);
 * pacing: max(0, a - task_ms); throughput: max(0, 1000/a - task_ms). */
double sw_wait_next(const sw_wait *w, double task_ms);

#endif /* SW_WAIT_H */
