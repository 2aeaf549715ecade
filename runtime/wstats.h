/*
 * wstats.h -- the `stats` report of the cluster protocol: a delta of
 * sw_stats encoded as Locust's worker report, and a received report
 * (from a Swarm slave or a Locust worker) loaded into sw_stats.
 *
 * Encoding: Locust's fields (its rounded response-time buckets in ms,
 * per-second counters, errors keyed by method/name/message), so a Locust
 * master shows the numbers; plus, per entry, the extra key "swarm_hist"
 * {"total_us", "min_us", "max_us", "b": {bucket index: count}} holding the
 * exact histogram (hist.h), and at the top "swarm" {"proto",
 * "exceptions": [[where, message, count]...]}. A Swarm master uses the
 * extra keys when present, so its merge is exact; from a Locust worker it
 * rebuilds a histogram from Locust's buckets.
 *
 * Decoding is all-or-nothing: a report is checked completely (a dry pass
 * over the tree) before anything is added to the destination.
 *
 * Ownership: nothing is kept; the caller owns every sw_stats.
 */
#ifndef SW_WSTATS_H
#define SW_WSTATS_H

#include <stddef.h>
#include <stdint.h>

#include "msg.h"
#include "stats.h"

/* Pack the report's data map for delta d. class_names/class_counts: the
 * slave's users per class (n of them); with_exceptions: put d's exceptions
 * in the "swarm" key (for a Swarm master). */
void sw_wstats_pack(msgpack_packer *pk, const sw_stats *d, const char *const *class_names,
                    const int *class_counts, int n, int with_exceptions);

/* Locust's bucket key (ms) for a response time of us microseconds:
 * rounded to 1 ms under 100 ms, 10 ms under 1 s, 100 ms under 10 s, 1 s
 * above, halves to even as Python's round(). */
uint64_t sw_wstats_locust_bucket(double ms);

/* Check report `data` and add it into dst. *user_count gets the sender's
 * user_count. *swarm_sender: 1 when it carried Swarm's extra keys. Returns
 * 0, or -1 with a phrase in why (dst unchanged). */
int sw_wstats_load(sw_stats *dst, const msgpack_object *data, uint64_t *user_count,
                   int *swarm_sender, char *why, size_t whylen);

#endif /* SW_WSTATS_H */
