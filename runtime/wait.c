/*
 * wait.c -- think time between two tasks of a user (Locust's wait_time).
 *
 * Every random draw comes from the seeded RNG (builtins.h), so a run with
 * --seed is repeatable. Negative or NaN configurations never produce a
 * negative wait: the result is always a finite number >= 0.
 */
#include "wait.h"

#include <math.h>

#include "builtins.h"

/* max(0, x), with NaN mapped to 0. */
static double nonneg(double x)
{
    return x > 0 ? x : 0;
}

double sw_wait_next(const sw_wait *w, double task_ms)
{
    double lo, hi;
    if (!w)
        return 0;
    if (!(task_ms >= 0))
        task_ms = 0;
    switch (w->kind) {
    case SW_WAIT_CONST:
        return nonneg(w->a);
    case SW_WAIT_BETWEEN:
        lo = nonneg(w->a < w->b ? w->a : w->b);
        hi = nonneg(w->a < w->b ? w->b : w->a);
        /* uniform in [lo, hi]: the top is reachable within rounding */
        return lo + (hi - lo) * sw_rng_uniform();
    case SW_WAIT_PACING:
        return nonneg(w->a - task_ms);
    case SW_WAIT_THROUGHPUT:
        if (!(w->a > 0) || isinf(w->a))
            return 0;
        return nonneg(1000.0 / w->a - task_ms);
    case SW_WAIT_NONE:
    default:
        return 0;
    }
}
