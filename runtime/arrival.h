/*
 * arrival.h -- the open model (LANGUAGE.md 10, CLI.md --rate): task
 * iterations start at a rate R per second (constant spacing 1/R, or
 * exponential gaps with mean 1/R with `poisson`) whatever the target does,
 * each on a free user of the pool of --users users. An iteration's intended
 * start is its slot in that schedule; the first request it makes is timed
 * from the intended start (wrk2's correction for coordinated omission), so
 * time spent waiting for a free user counts in its response time.
 *
 * When no user is free an iteration waits in a FIFO backlog; the backlog
 * holds at most SW_ARR_BACKLOG_S seconds of iterations at the current rate
 * (at least SW_ARR_BACKLOG_MIN); beyond that the newest is dropped and
 * counted. Users of the open model have no think time (their class's `wait`
 * is not used); when the run stops, iterations still in the backlog are
 * counted as not started. Statistics: sw_arr_json / sw_arr_report.
 *
 * Seams: runner.c calls sw_arr_begin when users start hatching,
 * sw_arr_adopt for each new user, and sw_arr_end where the run stops or is
 * killed (the scheduler never asks the runner for its state: it is told); user.c reports free users through the
 * callback installed by sw_arr_adopt; request.c asks user.c for the
 * intended start (sw_user_take_intended). Cluster: a master never runs the
 * schedule; it splits the rate over its slaves (master.c, told of every
 * change through sw_arr_rate_hook) and adds their reports (sw_arr_merge);
 * a slave runs the schedule at the share its master sends.
 *
 * Getters (sw_arr_enabled, sw_arr_rate, sw_arr_get, sw_arr_report,
 * sw_arr_json) only read: they never change the schedule or its counters.
 *
 * Ownership: one process-wide scheduler; it borrows the users it lists
 * (each tells it when it stops being available) and owns its timer and
 * backlog (sw_arr_free).
 */
#ifndef SW_ARRIVAL_H
#define SW_ARRIVAL_H

#include <stdint.h>
#include <stdio.h>

#define SW_ARR_BACKLOG_S 10.0      /* backlog bound, in seconds of arrivals */
#define SW_ARR_BACKLOG_MIN 100     /* ... but at least this many iterations */

struct sw_user;

/* Choose the open model at rate iterations/s (0: the closed model).
 * Before a run starts only. */
void sw_arr_configure(double rate, int poisson);
/* Turn the open model on even at rate 0 (a shape's `arrival` stages will
 * raise it: no iteration starts while the rate is 0). Before a run. */
void sw_arr_enable(void);
int sw_arr_enabled(void);
/* Change the rate of the open model, also while running (the pending gap
 * is stretched by old/new, so the next arrival comes at most 1/rate from
 * now). Returns 0, or -1 when rate <= 0 (the web API's contract). */
int sw_arr_set_rate(double rate);
/* The load shape's rate (plan.c calls it for every change an `arrival`
 * stage makes, about every 100 ms while it ramps; the ONE seam for a
 * cluster's master to split the shape's rate over its slaves): like
 * sw_arr_set_rate but 0 is allowed and means "no arrivals for now" with
 * the open model still on. Returns 0, or -1 when rate < 0 or the open model
 * is off. */
int sw_arr_steer(double rate);
double sw_arr_rate(void);

/* Runner: users start hatching (starts the schedule once per run). */
void sw_arr_begin(void);
/* Runner: the run stops (sw_runner_stop) or is killed (sw_runner_kill):
 * no iteration starts any more, the backlog is counted as not started and
 * emptied, the free users are forgotten. Nothing when the schedule is off;
 * the next sw_arr_begin starts it again. */
void sw_arr_end(void);
/* Runner: a new user of the pool (before sw_user_start). */
void sw_arr_adopt(struct sw_user *u);
/* Forget the statistics (a new test, a reset). */
void sw_arr_reset(void);
void sw_arr_free(void);

typedef struct sw_arr_stats {
    double rate;                   /* iterations/s now */
    double peak_rate;              /* the highest rate of the run (a shape varies it) */
    int poisson;
    uint64_t started;              /* iterations started */
    uint64_t waited;               /* of those, waited in the backlog for a free user */
    double max_wait_ms;            /* the longest wait for a free user */
    uint64_t dropped;              /* backlog full */
    uint64_t not_started;          /* still in the backlog when the run stopped */
    size_t backlog, max_backlog, bound;
} sw_arr_stats;
void sw_arr_get(sw_arr_stats *out);

/* Called after every change of the rate by sw_arr_set_rate or sw_arr_steer
 * (NULL: none); a master installs it to re-split the rate over its slaves. */
extern void (*sw_arr_rate_hook)(double rate);

/* A master: add a slave's report: counters are added, maxima kept. */
void sw_arr_merge(const sw_arr_stats *d);

/* Console: one line (nothing in the closed model). */
void sw_arr_report(FILE *f);
/* JSON: "arrival":null or {...} (no surrounding comma). */
void sw_arr_json(FILE *f);

#endif /* SW_ARRIVAL_H */
