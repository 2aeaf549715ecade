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
 * Cluster (issue 7): the probe runs in a standalone process and on a master
 * (run()); a slave's heartbeat carries its own CPU use as current_cpu_usage
 * (slave.c), shown per slave by the master. Not yet: starting the probe in
 * sw_slave_main and shipping its lag (sw_self_get) in the heartbeat.
 *
 * Ownership: one process-wide probe (sw_self_start / sw_self_stop).
 */
#ifndef SW_SELFCHECK_H
#define SW_SELFCHECK_H

#include <stdio.h>

#define SW_SELF_PROBE_MS 100.0
#define SW_SELF_WINDOW_S 5
#define SW_SELF_LAG_LIMIT_MS 10.0
#define SW_SELF_CPU_LIMIT 90.0

struct event_base;

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
} sw_self_stats;
void sw_self_get(sw_self_stats *out);
double sw_self_cpu_percent(void);

/* Console: the marking sentence (nothing when not overloaded). */
void sw_self_report(FILE *f);
/* JSON: "self_check":{...} (no surrounding comma). */
void sw_self_json(FILE *f);
/* Prometheus: gauges swarm_event_loop_lag_seconds, swarm_cpu_usage_percent. */
void sw_self_metrics(FILE *f);

#endif /* SW_SELFCHECK_H */
