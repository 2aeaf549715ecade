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

#endif /* SW_STATS_H */
