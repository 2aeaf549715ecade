/*
 * threshold.h -- thresholds (LANGUAGE.md 10, CLI.md --threshold / --junit):
 * the script's `threshold` lines and every --threshold, evaluated on the
 * whole run's statistics (sw_rt.stats: on a master, the merged statistics of
 * all slaves, so a cluster needs nothing more), shown in the console
 * summary, the JSON documents (so the HTML report and the web UI), written
 * as JUnit XML, and deciding exit status 3.
 *
 * Evaluation: see docs/measurement.md. Latency metrics with no request in
 * the entry fail ("no requests"); fail_ratio with none is 0; rps is the
 * whole-run rate (requests / (last request - start)). `abort` thresholds are
 * checked every second while the run is active (rps only at the end: it
 * would fail during the ramp-up) and stop the run when one fails.
 *
 * Ownership: the module keeps the parsed list (fixed-size copies) in static
 * storage until sw_thr_free; strings passed in are only read.
 */
#ifndef SW_THRESHOLD_H
#define SW_THRESHOLD_H

#include <stdio.h>

#include "rt.h"
#include "stats.h"
#include "thrspec.h"

#define SW_THR_LIMIT 64             /* thresholds per run (script + command line) */

typedef struct sw_thr_result {
    const sw_thr_spec *spec;       /* borrowed from the module's list */
    int has_data;                  /* the entry exists and has requests */
    double observed;               /* in the spec's unit (ms, fraction, 1/s) */
    int passed;
    int aborted;                   /* this threshold stopped the run */
    int from_cli;                  /* given with --threshold */
} sw_thr_result;

/* Parse the script's lines then the command line's. Returns 0, or -1 with
 * one sentence in err (exit 2: a script compiled by another swarmc version,
 * or too many). */
int sw_thr_setup(const sw_script *s, const sw_opts *o, char *err, size_t errlen);
void sw_thr_free(void);
int sw_thr_count(void);

/* Evaluate every threshold on st; fills out[0..count-1] (out may be NULL)
 * and returns how many failed. */
int sw_thr_eval(const sw_stats *st, sw_thr_result *out);

/* Start checking the `abort` thresholds every second on sw_rt.stats; the
 * first one that fails is marked aborted and on_abort(text) is called once.
 * No-op when there is none. Returns 0 or -1 (no memory). */
int sw_thr_watch(struct event_base *base, void (*on_abort)(const char *text, void *arg),
                 void *arg);
void sw_thr_unwatch(void);

/* Console: "Thresholds" and one line per threshold (nothing when none). */
void sw_thr_report(FILE *f, const sw_stats *st);
/* JSON: "thresholds":[...] (no surrounding comma). */
void sw_thr_json(FILE *f, const sw_stats *st);
/* JUnit XML: one testcase per threshold plus "no failed requests". Written
 * through a temporary file. Returns 0, or -1 with errno set. */
int sw_thr_junit(const char *path, const sw_stats *st, double duration_s);

#endif /* SW_THRESHOLD_H */
