/*
 * procs.h -- --processes N: one command uses every core by forking N slave
 * processes on this machine. Alone, this process then becomes their master
 * (listening on --master-bind-port; the children connect to 127.0.0.1 or
 * the bind address); with --slave it only forks the slaves (connected to
 * --master-host/--master-port) and waits for them.
 *
 * The children die with the parent (PR_SET_PDEATHSIG SIGKILL, checked
 * right after the fork so a parent that died in between is noticed), stay
 * in its process group, and are reaped before the parent exits: nothing is
 * left running. The parent's exit status is the run's (the master's; for
 * --slave the worst child's).
 *
 * Ownership: module state inside procs.c (the children's pids). Forking
 * happens before the event loop, curl or ZeroMQ exist.
 */
#ifndef SW_PROCS_H
#define SW_PROCS_H

#include <stddef.h>
#include "rt.h"

/* Fork the slaves (o->processes, -1: one per core). In a child returns 1
 * with *o turned into a slave's options; in the parent 0 (with --master
 * implied unless o->role is SW_SLAVE); -1 with one sentence in err when a
 * fork failed (the children made so far are killed). */
int sw_procs_fork(sw_opts *o, char *err, size_t errlen);
/* 1 in a forked child. */
int sw_procs_is_child(void);
/* Parent with --slave: wait for every child, passing SIGINT/SIGTERM on;
 * returns the worst exit status. */
int sw_procs_supervise(void);
/* Parent: wait up to wait_ms for the children to exit, then SIGKILL and
 * reap the rest. */
void sw_procs_reap(double wait_ms);

#endif /* SW_PROCS_H */
