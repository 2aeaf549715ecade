/*
 * cancelled.h -- requests that never completed because their coroutine was
 * cancelled (a user stopped with --stop-timeout 0 or past it, a spawned block
 * or a poll cancelled at stop, a user removed by a re-scale down): counted
 * per (method, name) so that nothing vanishes (issue 10). Counted when the
 * transfer is aborted (request.c's drop) or when a response whose block never
 * decided it is freed; never counted in the request statistics themselves
 * (they have no response time), shown beside them: the console summary,
 * "cancelled_at_stop" in the JSON documents (so the HTML report and the web
 * UI) and "num_cancelled" per entry in --json.
 *
 * Cluster: a slave ships sw_cancel_list's rows in its swarm_report and
 * clears them; the master adds them with sw_cancel_add (clx.h). Reset with
 * the statistics (sw_cancel_reset).
 *
 * Ownership: one process-wide table inside cancelled.c; names are copied.
 */
#ifndef SW_CANCELLED_H
#define SW_CANCELLED_H

#include <stdint.h>
#include <stdio.h>

typedef struct sw_cancel_row {
    const char *method, *name;     /* borrowed from the table */
    uint64_t count;
} sw_cancel_row;

/* Count n cancelled requests of (method, name). Returns 0 or -1 (no memory). */
int sw_cancel_add(const char *method, const char *name, uint64_t n);
uint64_t sw_cancel_total(void);
/* Cancelled requests of one entry (0 when none). */
uint64_t sw_cancel_get(const char *method, const char *name);
/* Rows sorted by name then method, as a malloc'd array the caller frees;
 * returns the count (*out NULL when 0). Valid until the next add/reset. */
size_t sw_cancel_list(sw_cancel_row **out);
void sw_cancel_reset(void);
void sw_cancel_free(void);

/* Console: "N requests in flight cancelled at stop" and one line per entry
 * (nothing when none). */
void sw_cancel_report(FILE *f);
/* JSON: "cancelled_at_stop":{"total":N,"entries":[{method,name,count}]}. */
void sw_cancel_json(FILE *f);

#endif /* SW_CANCELLED_H */
