/*
 * mdist.h -- how a master spreads a run over its node table (mnode.h):
 * users per class, one step at a time, and the open model's rate in
 * proportion to users. Pure arithmetic over the table: no socket, no timer,
 * no message; master.c paces the steps at the hatch rate and tells every
 * changed node its new counts.
 *
 * Who gets users: a node that takes users (sw_mn_takes_users) and, in the
 * open model (`open`), only a Swarm slave (a Locust worker has no open
 * model: it would run its users closed).
 *
 * A step gives one user to the node with the fewest (lowest index first)
 * of the class furthest behind its share (sw_runner_pick_add) or, going
 * down, takes one of the class furthest ahead from the node with the most
 * of that class; when the total is right it may move one user from the
 * fullest to the emptiest node (a node that joined or came back), so 10
 * users on 3 nodes end as 4/3/3 and joins and losses are rebalanced.
 *
 * Ownership: nothing is kept; the table and the targets are borrowed.
 */
#ifndef SW_MDIST_H
#define SW_MDIST_H

#include "mnode.h"

/* n gets users in this run (see above). */
int sw_md_gets_users(const sw_mn_node *n, int open);
/* n's rank among the nodes that get users (0 when it gets none); *count:
 * how many of them there are. */
int sw_md_rank(const sw_mn_table *t, const sw_mn_node *n, int open, int *count);
/* Users assigned over the nodes that get users. */
int sw_md_users(const sw_mn_table *t, int open);
/* One user more, less, or moved towards want users split per class as
 * class_target[0..t->nclasses-1]. Returns 1 when an assignment changed,
 * and marks changed[i] for each node i whose counts changed. */
int sw_md_step(sw_mn_table *t, const int *class_target, int want, int open, char *changed);
/* The open model: n's share of rate (iterations/s), in proportion to the
 * users it has once the ramp reached want (the split the steps settled on,
 * which after a loss and a return need not follow the ranks), or, while
 * the ramp is on, to those it will have (want split evenly over the nodes
 * that get users, the lowest ranks taking the remainder); so every user of
 * the cluster sees the same rate. 0 when !open, want <= 0, or n gets no
 * users. */
double sw_md_share(const sw_mn_table *t, const sw_mn_node *n, int want, int open, double rate);

#endif /* SW_MDIST_H */
