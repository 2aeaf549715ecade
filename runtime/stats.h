/*
 * stats.h -- request statistics: per (method, name) entries plus the
 * aggregate, failures keyed by (method, name, message), exceptions keyed by
 * script location. Everything merges exactly (see hist.h).
 *
 * Ownership: an sw_stats owns its entries, histograms and strings; callers
 * pass borrowed C strings, which are copied when first seen.
 * Times are recorded in microseconds; reports print milliseconds.
 */
#ifndef SW_STATS_H
#define SW_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "timetext.h"

typedef struct sw_stats sw_stats;

#define SW_STATS_MAX_ENTRIES 1000  /* distinct (method, name); beyond: one overflow entry */

sw_stats *sw_stats_new(void);
void sw_stats_free(sw_stats *s);

/* One finished request. fail_msg NULL for a success. now_s is the wall
 * clock (Unix seconds) at completion; it drives current RPS. */
void sw_stats_request(sw_stats *s, const char *method, const char *name,
                      uint64_t us, uint64_t bytes, const char *fail_msg,
                      double now_s);

/* One runtime error outside a response block, by script location
 * ("file.swarm:12:5") and message. */
void sw_stats_exception(sw_stats *s, const char *msg, const char *where);

void sw_stats_reset(sw_stats *s);

/* Everything recorded since the previous call (or since creation), as a new
 * sw_stats the caller frees; s itself keeps its totals. */
sw_stats *sw_stats_delta(sw_stats *s);
/* Add src into dst exactly (counts, sums, min/max, histograms, failures,
 * exceptions, per-second counters). */
void sw_stats_merge(sw_stats *dst, const sw_stats *src);
/* A deep copy. */
sw_stats *sw_stats_clone(const sw_stats *s);

/* Totals for exit status and tests. */
uint64_t sw_stats_total_requests(const sw_stats *s);
uint64_t sw_stats_total_failures(const sw_stats *s);
uint64_t sw_stats_total_exceptions(const sw_stats *s);


/* ---- Read access, derived numbers, shipping (added by the stats module) --
 * Everything below reads an sw_stats without changing it; pointers and
 * strings handed out are borrowed and stay valid until the next call that
 * changes s (request, exception, reset, delta, merge, load, free). */

struct sw_hist;
typedef struct sw_stats_entry sw_stats_entry;

#define SW_STATS_OTHER_NAMES "(other names)"   /* the overflow entry's name */
#define SW_STATS_MAX_ERRORS 1000   /* distinct failures / exceptions; beyond: "(other errors)" */
/* A failure or exception message longer than SW_STATS_MSG_MAX - 1 bytes is
 * kept as its first bytes (cut on a UTF-8 boundary) followed by
 * SW_STATS_MSG_CUT, SW_STATS_MSG_MAX - 1 bytes in all, so equal prefixes
 * count together and a huge `failure "..." + r.text` costs no memory. */
#define SW_STATS_MSG_MAX 1024
#define SW_STATS_MSG_CUT " [... cut at 1 KB]"
#define SW_STATS_RING 20           /* per-second counters kept per entry */
#define SW_STATS_RPS_WINDOW 10     /* seconds averaged for current RPS */

typedef struct sw_stats_info {
    const char *method;            /* "" for the aggregate */
    const char *name;              /* "Aggregated" for the aggregate */
    uint64_t num_requests;         /* including failures */
    uint64_t num_failures;
    uint64_t total_us;             /* exact sum of response times */
    uint64_t min_us, max_us;       /* 0, 0 when no requests */
    uint64_t total_bytes;          /* sum of content lengths */
    double start_s, last_s;        /* first / last request (Unix s); 0 = none */
    const struct sw_hist *hist;    /* every response time */
} sw_stats_info;

typedef struct sw_stats_sec {
    int64_t sec;                   /* Unix second */
    uint64_t reqs, fails;          /* requests / failures completed in it */
} sw_stats_sec;

typedef struct sw_stats_error {
    const char *method, *name;     /* failures: the request; exceptions: NULL */
    const char *where;             /* exceptions: script location; failures: NULL */
    const char *message;
    uint64_t count;                /* occurrences */
} sw_stats_error;

/* The percentiles every report shows (console table, CSV, history rows,
 * JSON), as fractions, CSV column names and JSON keys. */
#define SW_STATS_NPCT 11
extern const double sw_stats_pcts[SW_STATS_NPCT];          /* 0.50 ... 1.0 */
extern const char *const sw_stats_pct_names[SW_STATS_NPCT]; /* "50%" ... "100%" */
extern const char *const sw_stats_pct_keys[SW_STATS_NPCT];  /* "p50" ... "p100" */

/* Where the entry-cap warning goes: a hook called with the message (no
 * trailing newline). main sets it to route through its logger; NULL or the
 * default prints the message and a newline to stderr. */
extern void (*sw_stats_warn)(const char *msg);

/* The Aggregated entry (always present, possibly empty). */
const sw_stats_entry *sw_stats_aggregated(const sw_stats *s);
/* The entry for (method, name), or NULL. */
const sw_stats_entry *sw_stats_find(const sw_stats *s, const char *method,
                                    const char *name);
/* All entries except the aggregate, sorted by name then method, as a
 * malloc'd array the caller frees (the entries stay borrowed). Returns the
 * count; *out is NULL when 0 (or out of memory). */
size_t sw_stats_entries(const sw_stats *s, const sw_stats_entry ***out);
void sw_stats_entry_info(const sw_stats_entry *e, sw_stats_info *out);
/* The non-empty per-second counters, oldest first; returns how many
 * (at most SW_STATS_RING). */
size_t sw_stats_entry_seconds(const sw_stats_entry *e,
                              sw_stats_sec out[SW_STATS_RING]);
/* Failures sorted by name, method, message; exceptions by where, message.
 * A malloc'd array the caller frees; *out NULL when 0. */
size_t sw_stats_failures(const sw_stats *s, sw_stats_error **out);
size_t sw_stats_exceptions(const sw_stats *s, sw_stats_error **out);

/* Derived numbers. Every output uses these, so all agree. The minimum is
 * the floor and the maximum the ceiling of the exact microsecond extremes,
 * so min <= average <= max always holds; other times (percentiles, the
 * median) are rounded half up, which keeps them within [min, max]. */
uint64_t sw_stats_ms(uint64_t us);                     /* rounded half up */
uint64_t sw_stats_floor_ms(uint64_t us);
uint64_t sw_stats_ceil_ms(uint64_t us);
double sw_stats_avg_ms(const sw_stats_entry *e);       /* 0 when no requests */
uint64_t sw_stats_min_ms(const sw_stats_entry *e);
uint64_t sw_stats_max_ms(const sw_stats_entry *e);
/* Nearest-rank percentile (see hist.h), q in [0,1]; median is q = 0.5.
 * q <= 0 is exactly the reported min and q >= 1 the reported max; every
 * other q lies between them. */
uint64_t sw_stats_percentile_ms(const sw_stats_entry *e, double q);
/* The same for any histogram (interval rows); 0 when h is NULL or empty. */
uint64_t sw_stats_hist_percentile_ms(const struct sw_hist *h, double q);
uint64_t sw_stats_median_ms(const sw_stats_entry *e);

/* The exact values behind those times, in microseconds: the extremes as
 * recorded, a middle percentile as hist.h reports it (bucket midpoint
 * clamped to [min, max]); 0 when empty. q <= 0 is min_us, q >= 1 max_us. */
uint64_t sw_stats_min_us(const sw_stats_entry *e);
uint64_t sw_stats_max_us(const sw_stats_entry *e);
uint64_t sw_stats_percentile_us(const sw_stats_entry *e, double q);
uint64_t sw_stats_hist_percentile_us(const struct sw_hist *h, double q);
/* How a time is rounded, whatever the resolution (timetext.h's
 * directions): down for a minimum (q <= 0), up for a maximum (q >= 1),
 * half up for anything else. The JSON, HTML and web UI texts of these
 * times: timetext.h. */
int sw_stats_pct_dir(double q);
/* us to whole ms in direction dir (the console table and CSV files). */
uint64_t sw_stats_round_ms(uint64_t us, int dir);
double sw_stats_avg_bytes(const sw_stats_entry *e);
double sw_stats_fail_ratio(const sw_stats_entry *e);   /* failures / requests */
/* Current rates (Locust's current_rps): the per-second counts of e averaged
 * over the complete seconds [max(t-10, start), t-1], t = floor(now_s),
 * start = the second the statistics started; divided by at least 1. */
double sw_stats_current_rps(const sw_stats *s, const sw_stats_entry *e, double now_s);
double sw_stats_current_fail_per_sec(const sw_stats *s, const sw_stats_entry *e,
                                     double now_s);
/* Whole-run rates: count / (last request - start) of the whole statistics;
 * 0 when that span is not positive. */
double sw_stats_total_rps(const sw_stats *s, const sw_stats_entry *e);
double sw_stats_total_fail_per_sec(const sw_stats *s, const sw_stats_entry *e);

/* The statistics' start: the earlier of the first request and any marked
 * time (the runner marks the run's start and resets). 0 when neither. */
void sw_stats_mark_start(sw_stats *s, double now_s);
double sw_stats_start(const sw_stats *s);

/* Rebuilding statistics shipped from another process: add an entry (its
 * counters, histogram and per-second counts) into s, as sw_stats_merge
 * would; aggregate != 0 adds into the Aggregated entry (info's method and
 * name are then ignored). Failures and exceptions likewise. Return 0, or -1
 * when out of memory or given NULLs. */
int sw_stats_load_entry(sw_stats *s, const sw_stats_info *info,
                        const sw_stats_sec *secs, size_t nsecs, int aggregate);
int sw_stats_load_failure(sw_stats *s, const char *method, const char *name,
                          const char *message, uint64_t count);
int sw_stats_load_exception(sw_stats *s, const char *where, const char *message,
                            uint64_t count);

#endif /* SW_STATS_H */
