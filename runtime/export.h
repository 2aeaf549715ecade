/*
 * export.h -- the machine-readable outputs: the JSON of the web API
 * (GET /stats/requests, /stats/history, /exceptions) and of --json, and the
 * Prometheus text of GET /metrics. Shapes: docs/results-json.md and
 * docs/web-api.md. Every number comes from stats.h's derived functions
 * (or history.h's rows), so these agree with the console and the CSV files.
 *
 * Everything writes to a FILE * (a file, or open_memstream for HTTP) and
 * reads borrowed data; nothing is kept.
 */
#ifndef SW_EXPORT_H
#define SW_EXPORT_H

#include <stdio.h>

#include "history.h"
#include "rt.h"
#include "stats.h"

/* What the outputs read about the run at one moment. */
typedef struct sw_export_ctx {
    const sw_stats *stats;           /* the statistics */
    const sw_history *history;       /* NULL: no rows, no current percentiles */
    const char *state;               /* "ready", "hatching", "running", ... */
    int user_count;                  /* users running now */
    double now_s;                    /* wall clock for current rates */
} sw_export_ctx;

/* What --json adds: the run's options and times. */
typedef struct sw_export_run {
    const sw_opts *opts;             /* the options of the run */
    const char *script;              /* the .swarm file */
    const char *host;                /* the host in effect, or NULL */
    double start_time, end_time;     /* Unix s; 0 when unknown */
} sw_export_run;

/* A JSON string literal for the bytes of s (quotes included): ", \ and
 * control characters escaped, invalid UTF-8 replaced by U+FFFD. */
void sw_export_json_str(FILE *f, const char *s);

/* GET /stats/requests. */
void sw_export_requests(FILE *f, const sw_export_ctx *c);
/* GET /stats/history: {"history": [rows]}. */
void sw_export_history(FILE *f, const sw_history *h);
/* GET /exceptions: {"exceptions": [...]}. */
void sw_export_exceptions(FILE *f, const sw_stats *s);
/* The --json result. */
void sw_export_result(FILE *f, const sw_export_ctx *c, const sw_export_run *run);
/* Write the --json result to path (through a temporary file renamed into
 * place). Returns 0, or -1 with errno set. */
int sw_export_result_file(const char *path, const sw_export_ctx *c, const sw_export_run *run);

/* GET /metrics: Prometheus text exposition format 0.0.4. */
void sw_export_metrics(FILE *f, const sw_export_ctx *c);
/* The upper bounds (seconds) of the response-time histogram's buckets,
 * +Inf not included. */
#define SW_EXPORT_NBOUNDS 14
extern const double sw_export_bounds[SW_EXPORT_NBOUNDS];

/* Cluster (issue 7): a master sets this to add its slaves to
 * /stats/requests (result = 0: ,"workers":[...],"worker_count":N), to
 * the --json result (result = 1: ,"slaves":[...],"lost_slaves":N) and to
 * /metrics (result = 2: per-slave gauges). NULL elsewhere. */
extern void (*sw_export_cluster)(FILE *f, int result);

/* Prometheus: k="v" with v escaped (backslash, quote, newline). */
void sw_export_prom_label(FILE *f, const char *k, const char *v);

#endif /* SW_EXPORT_H */
