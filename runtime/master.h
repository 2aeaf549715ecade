/*
 * master.h -- the master (--master) role: binds a ROUTER socket, speaks
 * Locust's master protocol (shared/DISTRIBUTED.md) to Swarm slaves and
 * Locust workers, generates no load, and merges every report into
 * sw_rt.stats, from which every output is written.
 *
 * Distribution: the run's users are split per class by the script's
 * weights; each step of the ramp (max(1, floor(rate)) users, one step
 * every that/rate s, so the whole cluster starts `rate` users per second)
 * gives one user to the slave with the fewest (lowest index first) or,
 * going down, takes one from the slave with the most, so 10 users on 3
 * slaves are 4/3/3. A step may also move one user from the fullest to the
 * emptiest slave (a slave that joined, or came back): joins and losses are
 * rebalanced at the hatch rate, every time. Each changed slave gets a
 * spawn with its absolute per-class counts.
 *
 * Failures: a slave silent for 3 s is missing (logged, listed in the
 * reports); its users go to the others at the hatch rate; its reported
 * numbers stay. A missing slave that speaks again is told its new share
 * (nothing) at once and then refilled at the hatch rate. Malformed
 * messages are dropped with one log line per sender; the master never
 * stops listening. Swarm slaves get a heartbeat every 2 s (so they can
 * tell the master is gone) and are refused, with a reason on both sides,
 * when their script hash or protocol differs.
 *
 * Each node (slave or Locust worker) goes through one state machine,
 * whatever its kind: mnode.h lists its states and the stop wait (a stop is
 * over for a node once it confirmed it with client_stopped AND its last
 * numbers arrived: a Swarm slave sends them just before client_stopped, a
 * Locust worker with its next report after it). The step arithmetic is
 * mdist.h's; this module owns the socket, the timers, the messages and the
 * runner's remote.
 *
 * Ownership: module state inside master.c (its node table, mnode.h, is
 * part of it); sw_master_setup makes it (on sw_rt), sw_master_free
 * releases it. It installs itself as the runner's remote (runner.h) and as
 * export.h's cluster writer.
 */
#ifndef SW_MASTER_H
#define SW_MASTER_H

#include <stddef.h>
#include <stdio.h>

#define SW_MASTER_MISSING_MS 3000   /* silence after which a slave is missing */
#define SW_MASTER_TICK_MS 500       /* liveness checks */
#define SW_MASTER_HEARTBEAT_MS 2000 /* to each Swarm slave (it gives up after 5 s) */
#define SW_MASTER_MAX_NODES 5000    /* slaves remembered; more are refused */

/* Bind and install. Returns 0, or -1 with one sentence in err. */
int sw_master_setup(char *err, size_t errlen);
/* Headless start: run the loop until `expect` slaves are ready. Returns 0,
 * or 1 after logging how many came (max_wait_ms >= 0 passed, or a signal). */
int sw_master_wait(int expect, double max_wait_ms);
/* Tell every slave to quit and wait (at most 3 s) for their last reports. */
void sw_master_quit(void);
void sw_master_free(void);

/* The port bound (useful with --master-bind-port 0). */
int sw_master_port(void);
/* Slaves ready to take users now. */
int sw_master_ready_count(void);

#endif /* SW_MASTER_H */
