/*
 * thrspec.h -- the text form of a threshold and of an arrival rate, parsed
 * by one parser shared by swarmc (compile-time errors with a caret) and the
 * load binary (--threshold, and the script's lines at start-up).
 *
 *   threshold: TARGET METRIC OP VALUE [abort]
 *     TARGET  all | "METHOD NAME"            (a stats entry, e.g. "GET /items/{id}")
 *     METRIC  pN (0 < N <= 100, e.g. p95, p99.9) | avg | min | max | med
 *             | fail_ratio | rps
 *     OP      < | <= | > | >=
 *     VALUE   times: a duration (300ms, 1.5s, 2m; a bare number is ms);
 *             fail_ratio: a percentage (1%) or a fraction from 0 to 1;
 *             rps: requests per second (a number, optionally "/s")
 *   arrival:  rate R per (second | minute) [poisson]   (LANGUAGE.md 10)
 *
 * Pure C over the C library: no allocation, no global state, so the
 * compiler links the same object (see the Makefile) as the runtime.
 * Ownership: a spec holds copies of what it needs (fixed-size fields).
 */
#ifndef SW_THRSPEC_H
#define SW_THRSPEC_H

#include <stddef.h>

typedef enum sw_thr_metric {
    SW_THR_PCT,          /* percentile q of the response times */
    SW_THR_AVG, SW_THR_MIN, SW_THR_MAX,
    SW_THR_FAIL_RATIO,   /* failures / requests */
    SW_THR_RPS           /* requests per second over the whole run */
} sw_thr_metric;

typedef enum sw_thr_op { SW_THR_LT, SW_THR_LE, SW_THR_GT, SW_THR_GE } sw_thr_op;

#define SW_THR_TEXT_MAX 256    /* longest threshold text (bytes) */

typedef struct sw_thr_spec {
    int all;                    /* 1: the Aggregated entry */
    char method[32];            /* else: the entry's method ... */
    char name[SW_THR_TEXT_MAX]; /* ... and name */
    sw_thr_metric metric;
    double q;                   /* SW_THR_PCT: the percentile as a fraction (0.95) */
    sw_thr_op op;
    double value;               /* ms for times, a fraction for fail_ratio, 1/s for rps */
    int abort;                  /* stop the run as soon as it fails */
    char text[SW_THR_TEXT_MAX]; /* the expression, trimmed (what reports show) */
} sw_thr_spec;

/* Parse one threshold expression (without the `threshold` keyword). Returns
 * 0 and fills *out; or -1 with a sentence in err (errlen bytes, no
 * trailing period) and, in *errcol / *errlen_out, the 0-based byte offset and
 * length of the offending part of s (for a caret). errcol/errspan may be
 * NULL. s ends at its NUL or at an unquoted '#' (a comment). */
int sw_thr_parse(const char *s, sw_thr_spec *out, char *err, size_t errlen,
                 int *errcol, int *errspan);

/* The operator as text: "<", "<=", ">", ">=". */
const char *sw_thr_op_text(sw_thr_op op);
/* The metric as written: "p95", "p99.9", "avg", "fail_ratio", ... into buf. */
void sw_thr_metric_text(const sw_thr_spec *t, char *buf, size_t n);

typedef struct sw_arr_spec {
    double rate;                /* iterations per second (> 0) */
    int poisson;                /* exponential spacing instead of constant */
} sw_arr_spec;

/* Parse an arrival declaration (without the `arrival` keyword): "rate R per
 * second [poisson]". Same error contract as sw_thr_parse. */
int sw_arr_parse(const char *s, sw_arr_spec *out, char *err, size_t errlen,
                 int *errcol, int *errspan);

#endif /* SW_THRSPEC_H */
