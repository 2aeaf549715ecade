/*
 * clx.h -- what a Swarm slave tells a Swarm master beyond Locust's `stats`
 * report (the cluster side of issue 10): requests cancelled at stop, the
 * open model's counters, and the slave's self-check.
 *
 * Message: `swarm_report`, sent by a slave right after each `stats` when its
 * master is a Swarm master (a Locust master would log it as unknown), data
 *   {"cancelled": [[method, name, count], ...],          deltas
 *    "arrival": nil | {"started", "waited", "dropped", "not_started",
 *                      "max_wait_ms", "max_backlog"},  deltas / maxima
 *    "self_check": {"lag_p99_ms", "lag_max_ms", "cpu_max_percent",
 *                   "overloaded", "max_lag_ms"}}       the slave's run so far
 * Counters are deltas since the previous report (cancelled rows are taken
 * out of the slave's table: the master owns them once sent), so a master
 * adds them as it adds the stats deltas.
 *
 * Ownership: the slave side keeps the last arrival counters it sent (module
 * state); a master keeps each slave's figures in the sw_clx_node it passes.
 */
#ifndef SW_CLX_H
#define SW_CLX_H

#include <stddef.h>

#include "msg.h"

#define SW_CLX_TYPE "swarm_report"

/* A slave's figures as its master keeps them. */
typedef struct sw_clx_node {
    double lag_p99_ms;              /* event-loop lag, p99 of its last 5 s */
    double lag_max_ms;              /* the largest lag of its run */
    double cpu_max_percent;         /* its highest CPU second */
    int overloaded;                 /* it marked its run */
    double own_delay_ms;            /* its "up to N ms" */
    double arrival_rate;            /* the share of the open model it was sent */
} sw_clx_node;

/* A slave: pack the report's data (one map). */
void sw_clx_pack(msgpack_packer *pk);

/* A master: check report d completely, then add its counters into the
 * process's tables (cancelled.h, arrival.h) and keep its self-check in n.
 * Returns 0, or -1 with a phrase in why (nothing added). */
int sw_clx_load(const msgpack_object *d, sw_clx_node *n, char *why, size_t whylen);

#endif /* SW_CLX_H */
