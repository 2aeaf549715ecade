/*
 * slave.h -- the slave (--slave / --worker) role: connects a DEALER socket
 * to the master, speaks Locust's worker protocol (shared/DISTRIBUTED.md),
 * runs the users the master assigns, reports every 3 s.
 *
 * Behaviour: client_ready until ack (every 5 s); then a heartbeat every
 * second, carrying the extra key "swarm" {proto, version, script} by
 * which a Swarm master recognises a Swarm slave and checks the script
 * hash. spawn: absolute per-class counts, applied at once (the master
 * ramps); class names the script lacks are mapped onto its classes by
 * weight, with one warning per name. stats: a delta every 3 s, also when
 * idle; one more before client_stopped and before quitting. The master
 * is gone when a Swarm master (its ack says "swarm"; it heartbeats every
 * second) sent nothing for 5 s, or when the connection to a Locust master
 * (which sends no heartbeats, so silence proves nothing) has been down
 * for 5 s (zsock's monitor; a peer that stops answering ZeroMQ's own
 * heartbeats counts as down). Then the slave stops its users, drops the
 * unsent numbers, makes a fresh socket and sends client_ready until a
 * master answers.
 * user_id: index * SW_RUNNER_ID_STRIDE + n, unique over the cluster.
 *
 * Ownership: module state inside slave.c, made and released by
 * sw_slave_main, which runs on sw_rt (set up by main).
 */
#ifndef SW_SLAVE_H
#define SW_SLAVE_H

#define SW_SLAVE_REPORT_MS 3000     /* stats every 3 s */
#define SW_SLAVE_HEARTBEAT_MS 1000
#define SW_SLAVE_READY_MS 5000      /* client_ready again until ack */
#define SW_SLAVE_MASTER_GONE_MS 5000

/* Run as a slave until the master says quit, SIGINT/SIGTERM, or the master
 * refuses this slave. Returns the exit status (2: refused or cannot
 * connect; 1 when a request failed; else 0). */
int sw_slave_main(void);

/* This process's node id "<hostname>_<32 hex>" (hostname's '_' replaced);
 * made on first call. */
const char *sw_slave_node_id(void);

#endif /* SW_SLAVE_H */
