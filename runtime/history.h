/*
 * history.h -- the run's history: one aggregated row per second while a
 * test runs (the rows of PREFIX_stats_history.csv, GET /stats/history, the
 * charts and the "history" of --json), and the response-time percentiles of
 * the last SW_HISTORY_WINDOW seconds (the "current" percentiles of
 * GET /stats/requests).
 *
 * How a row is made: a libevent timer fires at each whole wall-clock second
 * while the history runs and takes sw_stats_delta(stats): everything
 * recorded since the previous row, exactly, with its own histogram. The
 * row's rates and percentiles are over that interval (normally one second);
 * its totals are the whole statistics' at that moment. sw_history_stop adds
 * a last (usually partial) row, so the last row's totals are the run's.
 * The history is therefore the one consumer of sw_stats_delta on the
 * statistics it watches (a slave, which ships deltas, keeps no history).
 *
 * At most SW_HISTORY_MAX_ROWS rows (24 hours) are kept; beyond, the oldest
 * rows are dropped, so a longer run's history CSV holds its last 24 hours.
 *
 * Ownership: an sw_history owns its rows, its timer and its window of
 * histograms; the sw_stats and the event base are borrowed and must
 * outlive it. Rows handed out are borrowed until the next call that
 * changes the history (tick, start, stop, reset, free).
 */
#ifndef SW_HISTORY_H
#define SW_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "stats.h"

struct event_base;

#define SW_HISTORY_MAX_ROWS (24 * 3600)  /* rows kept in memory */
#define SW_HISTORY_WINDOW 10             /* seconds of the current percentiles */
#define SW_HISTORY_NPCT SW_STATS_NPCT    /* percentiles per row */

/* The percentiles of a row, in column order: 0.5 .. 1.0, and their names
 * as CSV columns ("50%") and as JSON keys ("p50"): the one list of stats.h,
 * under the names this module has always used. */
#define sw_history_pcts sw_stats_pcts
#define sw_history_pct_csv sw_stats_pct_names
#define sw_history_pct_json sw_stats_pct_keys

typedef struct sw_history_row {
    double time;                     /* Unix s when the row was taken */
    int user_count;                  /* users running then */
    double rps, fail_per_sec;        /* over the row's interval */
    uint64_t pct_us[SW_HISTORY_NPCT]; /* us (stats.h's precise values), over the interval; 0 when none */
    uint64_t requests;               /* requests in the interval */
    uint64_t total_requests, total_failures;  /* cumulative (Aggregated) */
    uint64_t total_median_us, total_min_us, total_max_us;  /* us, precise (stats.h) */
    double total_avg;                /* ms */
    double total_avg_content_length; /* bytes */
} sw_history_row;

typedef struct sw_history sw_history;

/* Users running now (the runner's count); a function so that tests and a
 * master can supply their own. */
typedef int (*sw_history_users_fn)(void);

/* A history of stats, ticking on base. Returns NULL when out of memory. */
sw_history *sw_history_new(struct event_base *base, sw_stats *stats,
                           sw_history_users_fn users);
void sw_history_free(sw_history *h);

/* Begin taking rows (a test started). Drops what was recorded before as
 * far as rows are concerned (the first row covers from now). No-op when
 * already running. */
void sw_history_start(sw_history *h);
/* Take a last row now and stop ticking (the test stopped). No-op when not
 * running. */
void sw_history_stop(sw_history *h);
/* Forget every row and the window (statistics were reset). Keeps running
 * if it was. */
void sw_history_reset(sw_history *h);
/* Take a row now, as the timer does (exposed for tests). */
void sw_history_tick(sw_history *h, double now_s);
int sw_history_running(const sw_history *h);

/* Rows kept, oldest first: row i in [0, count). */
size_t sw_history_count(const sw_history *h);
const sw_history_row *sw_history_row_at(const sw_history *h, size_t i);

/* Percentile q of the response times of the last SW_HISTORY_WINDOW rows
 * (us, the precise value of stats.h; 0 when none). */
uint64_t sw_history_current_percentile_us(const sw_history *h, double q);

/* The body of PREFIX_stats_history.csv (header and one row per row), with
 * whole milliseconds as Locust's (the JSON history has two decimals under
 * 10 ms: export.c). */
void sw_history_csv(FILE *f, const sw_history *h);
/* Write PREFIX_stats_history.csv. Returns 0, or -1 with errno set. */
int sw_history_write_csv(const sw_history *h, const char *prefix);

#endif /* SW_HISTORY_H */
