/*
 * mnode.h -- a master's node table (master.h): every slave or Locust worker
 * ever seen, found by its ZeroMQ identity, and each node's state machine.
 * No socket and no timer here: master.c feeds in the events (messages, the
 * stop it sends, silence) and acts on the states.
 *
 * A node's life (state; the kind is known from its first heartbeat: a
 * Swarm slave's carries a "swarm" key, a Locust worker's does not):
 *
 *   client_ready          -> READY  (also a restarted node: it runs nothing)
 *   spawn sent / spawning -> SPAWNING
 *   spawning_complete     -> RUNNING
 *   stop sent             -> STOPPING
 *   client_stopped        -> GONE (reported users 0); client_ready next
 *   quit                  -> GONE for good
 *   silent for SW_MASTER_MISSING_MS -> MISSING; any message brings it back
 *   refused (script hash, protocol) -> REFUSED, and its messages are ignored
 *
 * The stop wait (field `wait`), the same for both kinds: a stop is over for
 * a node once it confirmed it (client_stopped) and its last numbers reached
 * the master.
 *
 *   stop sent:      NONE -> AWAIT_STOPPED
 *   client_stopped: AWAIT_STOPPED -> AWAIT_FINAL_STATS when the node's
 *                   kind sends its last numbers after client_stopped, else
 *                   NONE (sw_mn_final_after_stop: a Locust worker answers
 *                   stop with client_stopped and client_ready at once and
 *                   sends its last numbers with its next periodic report;
 *                   a Swarm slave sends them just before client_stopped)
 *   stats:          AWAIT_FINAL_STATS -> NONE
 *   client_ready:   AWAIT_STOPPED -> NONE (the node restarted: it runs
 *                   nothing); AWAIT_FINAL_STATS is kept
 *   quit, missing:  -> NONE (nothing more will come, or it comes back
 *                   told its new share)
 * sw_mn_awaited says whether the master still waits for a node.
 *
 * Ownership: the table owns its nodes (ids, per-class assignments) and its
 * id index; sw_mn_free releases them. Node pointers stay valid until the
 * next sw_mn_add (which may move the array).
 */
#ifndef SW_MNODE_H
#define SW_MNODE_H

#include <stdio.h>

#include "clx.h"

typedef enum sw_mn_kind { SW_MN_UNKNOWN, SW_MN_SWARM, SW_MN_LOCUST } sw_mn_kind;

typedef enum sw_mn_state {          /* ordered: <= RUNNING takes users */
    SW_MN_READY, SW_MN_SPAWNING, SW_MN_RUNNING, SW_MN_STOPPING, SW_MN_MISSING, SW_MN_GONE,
    SW_MN_REFUSED
} sw_mn_state;

typedef enum sw_mn_wait { SW_MN_NO_WAIT, SW_MN_AWAIT_STOPPED, SW_MN_AWAIT_FINAL_STATS } sw_mn_wait;

typedef struct sw_mn_node {
    char *id;                       /* node id == ZeroMQ identity (owned) */
    int index;                      /* stable, 0-based, in order of arrival */
    sw_mn_state state;              /* see above */
    sw_mn_kind kind;                /* known from the first heartbeat */
    sw_mn_wait wait;                /* the stop wait (see above) */
    int *assign;                    /* per class: users this node was told to run (owned) */
    int total;                      /* sum of assign */
    int reported;                   /* user_count it last reported */
    double cpu;                     /* % of one core */
    long long mem;                  /* bytes */
    double seen_ms;                 /* sw_clock_ms of its last valid message */
    double report_s;                /* sw_wall of its last stats */
    int quit_wait;                  /* asked to quit, its quit not yet seen */
    int lost;                       /* times it went missing */
    sw_clx_node x;                  /* a Swarm slave's extra report; its share of the rate */
    int overload_logged;            /* its overload was logged */
    int open_logged;                /* a Locust worker: told it gets no users (open model) */
} sw_mn_node;

typedef struct sw_mn_table {
    sw_mn_node *v; int n, cap;      /* every node ever seen, by arrival */
    int *slot; int nslot;           /* open addressing: node index + 1 by id hash (0: empty) */
    int nclasses;                   /* length of each node's assign */
    int max;                        /* nodes remembered at most; more are refused */
} sw_mn_table;

/* An empty table for nodes with nclasses user classes, holding at most max
 * nodes. Returns 0, or -1 out of memory. */
int sw_mn_init(sw_mn_table *t, int nclasses, int max);
void sw_mn_free(sw_mn_table *t);
/* The node with this id, or NULL. */
sw_mn_node *sw_mn_find(const sw_mn_table *t, const char *id);
/* A new node (state READY, kind unknown), or NULL when the table is full
 * or out of memory. */
sw_mn_node *sw_mn_add(sw_mn_table *t, const char *id);
/* Its assignment set to no user. */
void sw_mn_zero(const sw_mn_table *t, sw_mn_node *n);

/* A known node able to run users (READY, SPAWNING or RUNNING). */
int sw_mn_takes_users(const sw_mn_node *n);
/* How many nodes take users (--expect-slaves counts these). */
int sw_mn_ready_count(const sw_mn_table *t);
const char *sw_mn_state_name(sw_mn_state s);   /* "ready", ..., "stopped" for GONE */

/* ---- the stop wait (events; see above) ---- */
int sw_mn_final_after_stop(sw_mn_kind k);
void sw_mn_stop_sent(sw_mn_node *n);
void sw_mn_got_stopped(sw_mn_node *n);      /* client_stopped */
void sw_mn_got_ready(sw_mn_node *n);        /* client_ready (the state too) */
void sw_mn_got_stats(sw_mn_node *n);        /* a valid stats report */
void sw_mn_wait_over(sw_mn_node *n);        /* quit, missing: nothing more to wait for */
/* The master still waits for this node to finish its stop. */
int sw_mn_awaited(const sw_mn_node *n);

/* ---- views ---- */

/* JSON: ",\"workers\":[...],\"worker_count\":N" for /stats/requests
 * (result = 0: nodes gone or refused left out) or ",\"slaves\":[...],
 * \"lost_slaves\":N" for --json; open: each node's share of the rate too. */
void sw_mn_json(const sw_mn_table *t, FILE *f, int result, int open);
/* /metrics: gauges per node, labelled by its id and index. */
void sw_mn_metrics(const sw_mn_table *t, FILE *f);

#endif /* SW_MNODE_H */
