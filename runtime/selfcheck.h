/*
 * selfcheck.h -- is Swarm itself the bottleneck? (issue 10)
 *
 * A probe timer armed every SW_SELF_PROBE_MS measures the event loop's lag
 * (how late it fires: the time a response or a timer waits before Swarm
 * gets to it); every second getrusage gives the process's CPU use. Over the
 * last SW_SELF_WINDOW_S seconds: when the lag's p99 exceeds
 * SW_SELF_LAG_LIMIT_MS, or the CPU use stayed above SW_SELF_CPU_LIMIT
 * percent in each of those seconds, the run is marked (a warning once on
 * the console; the summary says "results include up to N ms of Swarm's own
 * delay", N the largest lag seen while marked or after). Figures: JSON
 * "self_check" (so /stats/requests, --json, the HTML report), /metrics.
 *
 * Cluster: the probe runs in every process (standalone, master, slave). A
 * slave ships its figures to a Swarm master in its extra report (clx.h);
 * the master shows them per slave and folds the worst of them into its own
 * (sw_self_set_remote), so its summary is marked when any slave was.
 *
 * Ownership: one process-wide probe (sw_self_start / sw_self_stop).
 */
#ifndef SW_SELFCHECK_H
#define SW_SELFCHECK_H

#include <stdio.h>

#define SW_SELF_PROBE_MS 10.0
#define SW_SELF_WINDOW_S 5
#define SW_SELF_LAG_LIMIT_MS 10.0
#define SW_SELF_CPU_LIMIT 90.0

struct event_base;

/* The decision, apart from the clock and getrusage (so that a test can feed
 * it samples: tests/units/test_selfcheck.c). A window holds the probe lags
 * of the current second and of the SW_SELF_WINDOW_S - 1 before it, and the
 * CPU use of the last SW_SELF_WINDOW_S closed seconds. Plain data: zeroed
 * by sw_self_win_reset, owns nothing. */
#define SW_SELF_PER_S 110          /* lags kept per second (1000 / SW_SELF_PROBE_MS, and spare) */
enum { SW_SELF_LAG_HIGH = 1, SW_SELF_CPU_HIGH = 2 };  /* sw_self_win_second's verdict bits */
typedef struct sw_self_win {
    double lag[SW_SELF_WINDOW_S][SW_SELF_PER_S];  /* ms, per second of the ring */
    int nlag[SW_SELF_WINDOW_S];    /* lags kept per second (extra ones dropped) */
    double cpu[SW_SELF_WINDOW_S];  /* percent of one core, per closed second */
    int ncpu;                      /* closed seconds so far (stops at the window) */
    int slot;                      /* the current second's index in the ring */
} sw_self_win;
void sw_self_win_reset(sw_self_win *w);
/* One probe's lateness (ms) in the current second. */
void sw_self_win_lag(sw_self_win *w, double lag_ms);
/* Close the current second with the CPU use it had; returns the verdict:
 * SW_SELF_LAG_HIGH when the p99 of the window's lags exceeds
 * SW_SELF_LAG_LIMIT_MS (the p99 a full window's nearest rank gives: the lag
 * with 5 of them above it, also while the window fills), SW_SELF_CPU_HIGH when each of the last
 * SW_SELF_WINDOW_S closed seconds had more than SW_SELF_CPU_LIMIT percent
 * (so never before SW_SELF_WINDOW_S seconds). *lag_p99 (may be NULL) gets
 * that p99, 0 without lags. Then opens the next second (its slot emptied). */
int sw_self_win_second(sw_self_win *w, double cpu_percent, double *lag_p99);

/* Start probing (idempotent). Returns 0 or -1 (no memory). */
int sw_self_start(struct event_base *base);
void sw_self_stop(void);
/* Forget the run's figures (a new test, a reset). */
void sw_self_reset(void);

typedef struct sw_self_stats {
    double lag_p99_ms;             /* over the last window */
    double lag_max_ms;             /* the whole run */
    double lag_run_p99_ms;         /* the whole run */
    double cpu_percent;            /* the last second */
    double cpu_max_percent;        /* the whole run */
    int overloaded;                /* the limits were exceeded */
    double own_delay_ms;           /* N of "up to N ms": the largest lag since marked */
    int overloaded_slaves;         /* a master: slaves that reported being overloaded */
    int marked_by;                 /* this process: the verdict that first marked it (SW_SELF_*) */
} sw_self_stats;
void sw_self_get(sw_self_stats *out);
double sw_self_cpu_percent(void);
/* A master: the worst of its slaves' figures, recomputed on each of their
 * reports (n overloaded slaves, their largest own delay and lag); merged
 * into sw_self_get. Cleared by sw_self_reset. */
void sw_self_set_remote(int n, double own_delay_ms, double lag_max_ms);

/* Console: the marking sentence (nothing when not overloaded). */
void sw_self_report(FILE *f);
/* JSON: "self_check":{...} (no surrounding comma). */
void sw_self_json(FILE *f);
/* Prometheus: gauges swarm_event_loop_lag_seconds, swarm_cpu_usage_percent. */
void sw_self_metrics(FILE *f);

#endif /* SW_SELFCHECK_H */
