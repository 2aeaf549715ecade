/*
 * test_mnode.c -- a master's node table and state machine (mnode.h) and
 * the spreading of users and rate over it (mdist.h), without sockets:
 * the stop wait of a Swarm slave and of a Locust worker, ramps to a split
 * such as 10 users on 3 slaves = 4/3/3, rebalancing after a join, the
 * open model leaving Locust workers out, rate shares adding up.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "mdist.h"
#include "mnode.h"

static sw_mn_node *ready_node(sw_mn_table *t, const char *id, sw_mn_kind kind)
{
    sw_mn_node *n = sw_mn_add(t, id);
    if (n) {
        n->kind = kind;
        sw_mn_got_ready(n);
    }
    return n;
}

/* Steps until nothing changes (at most limit); returns how many changed. */
static int ramp(sw_mn_table *t, const int *target, int want, int open, int limit)
{
    char changed[16];
    int k = 0;
    while (k < limit && sw_md_step(t, target, want, open, changed))
        k++;
    return k;
}

static void test_table(void)
{
    sw_mn_table t;
    CHECK(sw_mn_init(&t, 2, 3) == 0, "a table for 3 nodes of 2 classes");
    sw_mn_node *a = sw_mn_add(&t, "a");
    CHECK(a && a->index == 0 && a->state == SW_MN_READY && a->kind == SW_MN_UNKNOWN,
          "a new node is ready, of unknown kind, index 0");
    sw_mn_add(&t, "b");
    sw_mn_add(&t, "c");
    CHECK(sw_mn_add(&t, "d") == NULL, "a fourth node is refused (table full)");
    CHECK(sw_mn_find(&t, "b") == &t.v[1] && sw_mn_find(&t, "x") == NULL,
          "nodes are found by id, unknown ids are not");
    CHECK(sw_mn_ready_count(&t) == 0, "nodes of unknown kind take no users");
    t.v[0].kind = SW_MN_SWARM;
    t.v[1].kind = SW_MN_LOCUST;
    t.v[2].kind = SW_MN_SWARM;
    t.v[2].state = SW_MN_MISSING;
    CHECK(sw_mn_ready_count(&t) == 2, "known nodes that are not missing take users");
    CHECK(strcmp(sw_mn_state_name(SW_MN_GONE), "stopped") == 0, "GONE shows as stopped");
    sw_mn_free(&t);
}

/* The same events in each kind's order: a stop is over once client_stopped
 * and the last numbers both arrived. */
static void test_stop_wait(void)
{
    sw_mn_table t;
    sw_mn_init(&t, 1, 8);
    sw_mn_node *s = ready_node(&t, "swarm", SW_MN_SWARM);
    sw_mn_node *l = ready_node(&t, "locust", SW_MN_LOCUST);

    /* a Swarm slave: stats, client_stopped, client_ready */
    sw_mn_stop_sent(s);
    CHECK(s->state == SW_MN_STOPPING && sw_mn_awaited(s), "Swarm slave: awaited after stop");
    sw_mn_got_stats(s);
    CHECK(sw_mn_awaited(s), "Swarm slave: its last stats alone do not end the wait");
    sw_mn_got_stopped(s);
    CHECK(!sw_mn_awaited(s) && s->state == SW_MN_GONE, "Swarm slave: client_stopped ends it");
    sw_mn_got_ready(s);
    CHECK(!sw_mn_awaited(s) && s->state == SW_MN_READY, "Swarm slave: ready again");

    /* a Locust worker: client_stopped, client_ready, then stats */
    sw_mn_stop_sent(l);
    sw_mn_got_stopped(l);
    CHECK(sw_mn_awaited(l) && l->wait == SW_MN_AWAIT_FINAL_STATS,
          "Locust worker: after client_stopped its last numbers are awaited");
    sw_mn_got_ready(l);
    CHECK(sw_mn_awaited(l) && l->state == SW_MN_READY,
          "Locust worker: client_ready does not end the wait for its last numbers");
    sw_mn_got_stats(l);
    CHECK(!sw_mn_awaited(l), "Locust worker: its next stats end the wait");

    /* a node that restarts (client_ready before client_stopped) runs nothing */
    sw_mn_stop_sent(l);
    sw_mn_got_ready(l);
    CHECK(!sw_mn_awaited(l), "a node that restarted during the stop is not awaited");

    /* missing: not awaited; quit: the wait is over */
    sw_mn_stop_sent(s);
    s->state = SW_MN_MISSING;
    CHECK(!sw_mn_awaited(s), "a missing node is not awaited");
    sw_mn_stop_sent(s);
    sw_mn_wait_over(s);
    CHECK(!sw_mn_awaited(s), "quit ends the wait");
    sw_mn_free(&t);
}

static void test_spread(void)
{
    sw_mn_table t;
    sw_mn_init(&t, 2, 8);
    for (int i = 0; i < 3; i++) {
        char id[16];
        snprintf(id, sizeof id, "s%d", i);
        ready_node(&t, id, SW_MN_SWARM);
    }
    int target[2] = { 5, 5 };
    int steps = ramp(&t, target, 10, 0, 100);
    CHECK(steps == 10 && t.v[0].total == 4 && t.v[1].total == 3 && t.v[2].total == 3,
          "10 users on 3 slaves: 4/3/3 in 10 steps (got %d/%d/%d in %d)", t.v[0].total,
          t.v[1].total, t.v[2].total, steps);
    CHECK(t.v[0].assign[0] + t.v[1].assign[0] + t.v[2].assign[0] == 5
          && sw_md_users(&t, 0) == 10, "per class: 5 and 5");

    /* a fourth slave joins: users move to it, the total stays */
    ready_node(&t, "s3", SW_MN_SWARM);
    ramp(&t, target, 10, 0, 100);
    int lo = 99, hi = 0;
    for (int i = 0; i < 4; i++) {
        lo = t.v[i].total < lo ? t.v[i].total : lo;
        hi = t.v[i].total > hi ? t.v[i].total : hi;
    }
    CHECK(sw_md_users(&t, 0) == 10 && hi - lo <= 1 && t.v[3].total >= 2,
          "after a join: 10 users, at most one apart (newcomer %d)", t.v[3].total);

    /* one goes missing: its users go to the others */
    t.v[0].state = SW_MN_MISSING;
    sw_mn_zero(&t, &t.v[0]);
    ramp(&t, target, 10, 0, 100);
    CHECK(sw_md_users(&t, 0) == 10 && t.v[0].total == 0, "a missing slave's users are re-given");

    /* down to 4 users */
    target[0] = target[1] = 2;
    ramp(&t, target, 4, 0, 100);
    CHECK(sw_md_users(&t, 0) == 4, "re-scaled down to 4 users");
    sw_mn_free(&t);
}

static void test_open(void)
{
    sw_mn_table t;
    sw_mn_init(&t, 1, 8);
    sw_mn_node *a = ready_node(&t, "a", SW_MN_SWARM);
    sw_mn_node *l = ready_node(&t, "l", SW_MN_LOCUST);
    sw_mn_node *b = ready_node(&t, "b", SW_MN_SWARM);
    int target[1] = { 5 };
    ramp(&t, target, 5, 1, 100);
    CHECK(l->total == 0 && a->total + b->total == 5, "open model: a Locust worker gets no users");
    int k, r = sw_md_rank(&t, b, 1, &k);
    CHECK(r == 1 && k == 2, "open model: b is the second of 2 nodes with users");
    double sa = sw_md_share(&t, a, 5, 1, 100), sb = sw_md_share(&t, b, 5, 1, 100);
    CHECK(fabs(sa - 60) < 1e-9 && fabs(sb - 40) < 1e-9 && sw_md_share(&t, l, 5, 1, 100) == 0,
          "rate 100 over 3 + 2 users: 60 and 40, none to the worker (got %g, %g)", sa, sb);
    CHECK(sw_md_share(&t, a, 5, 0, 100) == 0, "closed model: no share");
    sw_mn_free(&t);

    /* 4 users on 3 slaves; the first goes missing and comes back: the steps
     * may settle on another split than the ranks predict (1/1/2 rather than
     * 2/1/1); the shares follow the users each one has, so every user still
     * sees the same rate and the shares add up to it */
    sw_mn_init(&t, 1, 8);
    for (int i = 0; i < 3; i++) {
        char id[16];
        snprintf(id, sizeof id, "s%d", i);
        ready_node(&t, id, SW_MN_SWARM);
    }
    target[0] = 4;
    ramp(&t, target, 4, 1, 100);
    t.v[0].state = SW_MN_MISSING;
    sw_mn_zero(&t, &t.v[0]);
    ramp(&t, target, 4, 1, 100);
    t.v[0].state = SW_MN_READY;
    ramp(&t, target, 4, 1, 100);
    double sum = 0;
    int even = 1;
    for (int i = 0; i < 3; i++) {
        double sh = sw_md_share(&t, &t.v[i], 4, 1, 100);
        sum += sh;
        even &= fabs(sh - 25.0 * t.v[i].total) < 1e-9;
    }
    CHECK(sw_md_users(&t, 1) == 4 && even && fabs(sum - 100) < 1e-9,
          "after a loss and a return (%d/%d/%d users): 25/s per user, %g in all",
          t.v[0].total, t.v[1].total, t.v[2].total, sum);
    sw_mn_free(&t);
}

int main(void)
{
    test_table();
    test_stop_wait();
    test_spread();
    test_open();
    return CHECK_DONE();
}
