/*
 * runner.c -- run control: on test start, hatching users evenly spaced and
 * interleaved by class weight, re-scaling, stopping, on test stop.
 *
 * Phases of one run:
 *   P_TEST_START  the hook runs; no user yet
 *   P_USERS       hatching / running / users stopping
 *   P_TEST_STOP   every user is gone; the hook runs
 * The stopped callback is called through `done_ev`, from a clean stack.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "co.h"
#include "runner.h"
#include "stats.h"
#include "user.h"
#include "arrival.h"

enum { P_NONE, P_TEST_START, P_USERS, P_TEST_STOP };

static struct {
    sw_run_state state;         /* what sw_runner_state reports */
    int phase;                  /* P_* */
    sw_runner_stopped_fn stopped; void *stopped_arg; /* main's callback */
    sw_user **users;            /* every user not yet gone, oldest first */
    int nusers, cap;            /* used / allocated entries of users */
    int nclasses;               /* script classes */
    int *target;                /* per class: users wanted */
    int *live;                  /* per class: started and not stopping */
    int want;                   /* sum of target */
    double rate;                /* users per second */
    int next_id;                /* next user id */
    struct event *hatch;        /* hatch step timer */
    double hatch_t0;            /* sw_clock_ms when this hatch began */
    int hatch_k;                /* steps taken since */
    struct event *done_ev;      /* deferred end of a stop */
    sw_co *hook;                /* on test start / on test stop */
    sw_co_list hook_spawns;     /* spawn blocks of the hooks */
    int quiet;                  /* slave: counts come in steps; no per-step log */
} R;

static const sw_runner_remote *REMOTE;   /* master: users run on the slaves (kept over init) */

/* ------------------------------------------------------------ arithmetic */

void sw_runner_split(const int *weights, int n, int users, int *out)
{
    double total = 0;
    for (int i = 0; i < n; i++) {
        out[i] = 0;
        if (weights[i] > 0)
            total += weights[i];
    }
    if (total <= 0 || users <= 0)
        return;
    int given = 0;
    for (int i = 0; i < n; i++) {
        if (weights[i] > 0) {
            out[i] = (int)floor((double)users * weights[i] / total);
            given += out[i];
        }
    }
    /* the remaining seats go to the largest remainders, lower index first */
    while (given < users) {
        int best = -1;
        double best_rem = -1;
        for (int i = 0; i < n; i++) {
            if (weights[i] <= 0)
                continue;
            double rem = (double)users * weights[i] / total - out[i];
            if (rem > best_rem + 1e-12) {
                best = i;
                best_rem = rem;
            }
        }
        out[best]++;
        given++;
    }
}

/* The class furthest from its proportional share once one user is added
 * (dir = +1: among classes below target, the furthest behind) or removed
 * (dir = -1: among classes above target, the furthest ahead). -1 when none. */
static int pick(const int *target, const int *live, int n, int dir)
{
    long tot = 0, have = 0;
    for (int i = 0; i < n; i++) {
        tot += target[i];
        have += live[i];
    }
    int best = -1;
    double best_gap = 0;
    for (int i = 0; i < n; i++) {
        if (dir * (target[i] - live[i]) <= 0)
            continue;
        double share = tot > 0 ? (double)target[i] * (double)(have + dir) / (double)tot : 0;
        double gap = dir * (share - live[i]);
        if (best < 0 || gap > best_gap + 1e-9) {
            best = i;
            best_gap = gap;
        }
    }
    return best;
}

int sw_runner_pick_add(const int *target, const int *live, int n)
{
    return pick(target, live, n, +1);
}

int sw_runner_pick_remove(const int *target, const int *live, int n)
{
    return pick(target, live, n, -1);
}

double sw_runner_hatch_at_ms(int k, double rate)
{
    return (double)k * 1000.0 / rate;
}

int sw_runner_hatch_due(double elapsed_ms, double rate)
{
    if (elapsed_ms < 0)
        return 0;
    double steps = elapsed_ms * rate / 1000.0;
    if (steps > 2e9)
        return 2000000000;
    return (int)floor(steps + 1e-9) + 1;
}

/* ------------------------------------------------------------ helpers */


static int live_total(void)
{
    int n = 0;
    for (int i = 0; i < R.nclasses; i++)
        n += R.live[i];
    return n;
}

static int class_index(const sw_user *u)
{
    return (int)(sw_user_class_of(u) - sw_rt.script->classes);
}

static void user_gone(sw_user *u, void *arg);

static void add_user(void)
{
    int c = sw_runner_pick_add(R.target, R.live, R.nclasses);
    if (c < 0)
        return;
    if (R.nusers == R.cap) {
        int cap = R.cap ? R.cap * 2 : 64;
        sw_user **p = realloc(R.users, (size_t)cap * sizeof *p);
        if (!p) {
            fputs("swarm: out of memory\n", stderr);
            abort();
        }
        R.users = p;
        R.cap = cap;
    }
    sw_user *u = sw_user_new(&sw_rt.script->classes[c], R.next_id++, user_gone, NULL);
    sw_arr_adopt(u);                /* open model: the scheduler gives it iterations */
    R.users[R.nusers++] = u;
    R.live[c]++;
    sw_user_start(u);
}

static void remove_user(void)
{
    int c = sw_runner_pick_remove(R.target, R.live, R.nclasses);
    if (c < 0)
        return;
    for (int i = R.nusers - 1; i >= 0; i--) {
        sw_user *u = R.users[i];
        if (!sw_user_stopping(u) && class_index(u) == c) {
            R.live[c]--;
            sw_user_stop(u, sw_rt.opts.stop_timeout_ms);
            return;
        }
    }
    R.live[c] = 0;      /* cannot happen: counts and users disagree */
}

static void log_hatched(void)
{
    char buf[512];
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < R.nclasses && n < sizeof buf - 64; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s: %d", i ? ", " : "",
                              sw_rt.script->classes[i].name, R.live[i]);
    sw_logf(SW_LOG_INFO, "All users hatched: %s (%d total users)", buf, live_total());
}

/* Take every hatch step that is due; re-arm for the next one. */
static void hatch_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what; (void)arg;
    if (R.phase != P_USERS || R.state == SW_RUN_STOPPING)
        return;
    double now = sw_clock_ms();
    while (live_total() != R.want) {
        double due = R.hatch_t0 + sw_runner_hatch_at_ms(R.hatch_k, R.rate);
        if (due > now) {
            sw_timer_ms(R.hatch, due - now);
            return;
        }
        int before = live_total();
        if (before < R.want) {
            add_user();
            /* The runtime's own record of the schedule (tests/e2e/hatch.sh):
             * when the step was due and when it ran, from the ramp's start. */
            if (live_total() > before)
                sw_logf(SW_LOG_DEBUG, "hatch: user %d started at %.1f ms, due at %.1f ms",
                        R.next_id - 1, now - R.hatch_t0, due - R.hatch_t0);
        } else {
            remove_user();
        }
        R.hatch_k++;
        if (live_total() == before)
            break;      /* no class can take the step */
    }
    if (R.state == SW_RUN_HATCHING) {
        R.state = SW_RUN_RUNNING;
        if (!R.quiet)
            log_hatched();
        if (sw_rt.opts.reset_stats && sw_rt.stats) {     /* issue 9: --reset-stats */
            sw_logf(SW_LOG_INFO, "Resetting stats (--reset-stats)");
            sw_stats_reset(sw_rt.stats);
        }
    }
}

static void begin_hatch(void)
{
    R.phase = P_USERS;
    if (REMOTE) {             /* a master: the slaves run the users */
        REMOTE->start(R.want, R.rate);
        R.state = SW_RUN_RUNNING;
        return;
    }
    sw_arr_begin();                 /* open model: iterations start arriving */
    R.hatch_t0 = sw_clock_ms();
    R.hatch_k = 0;
    if (!R.quiet)
        sw_logf(SW_LOG_INFO, "Ramping to %d users at a rate of %.2f per second", R.want, R.rate);
    sw_timer_ms(R.hatch, 0);
}

static void finish_stop(void)
{
    R.phase = P_NONE;
    event_active(R.done_ev, 0, 0);
}

static void done_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what; (void)arg;
    sw_co_cancel(R.hook);
    sw_co_list_cancel(&R.hook_spawns);
    R.state = SW_RUN_STOPPED;
    if (R.stopped)
        R.stopped(R.stopped_arg);
}

static void users_all_gone(void)
{
    R.phase = P_TEST_STOP;
    sw_co_list_cancel(&R.hook_spawns);
    if (sw_rt.script->on_test_stop) {
        sw_co_begin(R.hook, sw_rt.script->on_test_stop);
        sw_co_resume(R.hook);
    } else {
        finish_stop();
    }
}

static void hook_done(sw_co *co, void *arg)
{
    (void)co; (void)arg;
    if (R.phase == P_TEST_START)
        begin_hatch();
    else if (R.phase == P_TEST_STOP)
        finish_stop();
}

static void user_gone(sw_user *u, void *arg)
{
    (void)arg;
    for (int i = 0; i < R.nusers; i++) {
        if (R.users[i] == u) {
            memmove(&R.users[i], &R.users[i + 1], (size_t)(R.nusers - i - 1) * sizeof *R.users);
            R.nusers--;
            break;
        }
    }
    sw_user_free(u);
    if (R.state == SW_RUN_STOPPING && R.nusers == 0 && R.phase == P_USERS)
        users_all_gone();
}

/* ------------------------------------------------------------ control */

void sw_runner_init(sw_runner_stopped_fn stopped, void *arg)
{
    memset(&R, 0, sizeof R);
    R.state = SW_RUN_READY;
    R.stopped = stopped;
    R.stopped_arg = arg;
    R.nclasses = sw_rt.script->nclasses;
    R.target = calloc((size_t)R.nclasses + 1, sizeof *R.target);
    R.live = calloc((size_t)R.nclasses + 1, sizeof *R.live);
    R.hatch = evtimer_new(sw_rt.base, hatch_cb, NULL);
    R.done_ev = event_new(sw_rt.base, -1, 0, done_cb, NULL);
    if (!R.target || !R.live || !R.hatch || !R.done_ev) {
        fputs("swarm: out of memory\n", stderr);
        abort();
    }
    R.hook = sw_co_new(SW_CO_HOOK, NULL, NULL, &R.hook_spawns, hook_done, NULL);
}

void sw_runner_set_remote(const sw_runner_remote *remote)
{
    REMOTE = remote;
}

static void kill_users(void)
{
    for (int i = 0; i < R.nusers; i++) {
        sw_user_kill(R.users[i]);
        sw_user_free(R.users[i]);
    }
    R.nusers = 0;
    for (int i = 0; i < R.nclasses; i++)
        R.live[i] = 0;
}

void sw_runner_free(void)
{
    if (!R.hatch)
        return;
    kill_users();
    sw_co_list_cancel(&R.hook_spawns);
    sw_co_free(R.hook);
    sw_co_list_cancel(&R.hook_spawns);
    event_free(R.hatch);
    event_free(R.done_ev);
    free(R.users);
    free(R.target);
    free(R.live);
    memset(&R, 0, sizeof R);
}

int sw_runner_start(int users, double rate)
{
    if (users < 0 || !(rate > 0) || R.state == SW_RUN_STOPPING)
        return -1;
    int *w = calloc((size_t)R.nclasses + 1, sizeof *w);
    if (!w)
        return -1;
    for (int i = 0; i < R.nclasses; i++)
        w[i] = sw_rt.script->classes[i].weight;
    sw_runner_split(w, R.nclasses, users, R.target);
    free(w);
    R.want = 0;
    for (int i = 0; i < R.nclasses; i++)
        R.want += R.target[i];
    R.rate = rate;
    if (R.state == SW_RUN_READY || R.state == SW_RUN_STOPPED) {
        R.state = SW_RUN_HATCHING;
        if (sw_rt.stats)
            sw_stats_mark_start(sw_rt.stats, sw_wall());
        if (sw_rt.script->on_test_start) {
            R.phase = P_TEST_START;
            sw_co_begin(R.hook, sw_rt.script->on_test_start);
            sw_co_resume(R.hook);
        } else {
            begin_hatch();
        }
        return 0;
    }
    /* re-scale a running test */
    R.state = SW_RUN_HATCHING;
    if (R.phase == P_USERS)
        begin_hatch();
    return 0;
}

/* A master's slaves all stopped their users. */
static void remote_stopped(void)
{
    if (R.state == SW_RUN_STOPPING && R.phase == P_USERS)
        users_all_gone();
}

void sw_runner_stop(void)
{
    if (R.state == SW_RUN_READY || R.state == SW_RUN_STOPPED || R.state == SW_RUN_STOPPING)
        return;
    R.state = SW_RUN_STOPPING;
    sw_arr_end();                   /* open model: no more arrivals */
    event_del(R.hatch);
    sw_co_list_cancel(&R.hook_spawns);
    if (R.phase == P_TEST_START)
        sw_co_cancel(R.hook);
    R.phase = P_USERS;
    for (int i = 0; i < R.nclasses; i++)
        R.live[i] = 0;
    /* newest first, so a sequence of stops mirrors the hatch order */
    for (int i = R.nusers - 1; i >= 0 && i < R.nusers; i--)
        sw_user_stop(R.users[i], sw_rt.opts.stop_timeout_ms);
    if (REMOTE)
        REMOTE->stop(remote_stopped);
    else if (R.nusers == 0)
        users_all_gone();
}

void sw_runner_kill(void)
{
    if (R.state == SW_RUN_READY || R.state == SW_RUN_STOPPED)
        return;
    sw_arr_end();
    event_del(R.hatch);
    event_del(R.done_ev);
    kill_users();
    if (REMOTE)
        REMOTE->stop(NULL);
    sw_co_cancel(R.hook);
    sw_co_list_cancel(&R.hook_spawns);
    R.phase = P_NONE;
    R.state = SW_RUN_STOPPED;
    if (R.stopped)
        R.stopped(R.stopped_arg);
}

void sw_runner_stop_user(sw_user *u)
{
    for (int i = 0; i < R.nusers; i++) {
        if (R.users[i] != u)
            continue;
        if (sw_user_stopping(u))
            return;
        int c = class_index(u);
        if (R.live[c] > 0)
            R.live[c]--;
        if (R.target[c] > 0) {
            R.target[c]--;
            R.want--;
        }
        sw_user_stop(u, 0);
        return;
    }
}

sw_run_state sw_runner_state(void)
{
    return R.state;
}

const char *sw_runner_state_name(sw_run_state s)
{
    switch (s) {
    case SW_RUN_READY: return "ready";
    case SW_RUN_HATCHING: return "hatching";
    case SW_RUN_RUNNING: return "running";
    case SW_RUN_STOPPING: return "stopping";
    case SW_RUN_STOPPED: return "stopped";
    }
    return "unknown";
}

int sw_runner_user_count(void)
{
    return REMOTE ? REMOTE->user_count() : live_total();
}

/* ---- a slave: per-class targets from its master ---- */

int sw_runner_start_counts(const int *counts, double rate)
{
    if (!(rate > 0) || R.state == SW_RUN_STOPPING)
        return -1;
    for (int i = 0; i < R.nclasses; i++)
        if (counts[i] < 0)
            return -1;
    int fresh = R.state == SW_RUN_READY || R.state == SW_RUN_STOPPED;
    R.quiet = 1;
    if (fresh) {
        int total = 0;
        for (int i = 0; i < R.nclasses; i++)
            total += counts[i];
        if (sw_runner_start(total, rate) != 0)
            return -1;
    }
    R.want = 0;
    for (int i = 0; i < R.nclasses; i++) {
        R.target[i] = counts[i];
        R.want += counts[i];
    }
    R.rate = rate;
    R.state = SW_RUN_HATCHING;
    if (R.phase == P_USERS)
        begin_hatch();
    return 0;
}

void sw_runner_set_id_base(int base)
{
    if (R.nusers == 0 || R.next_id < base)
        R.next_id = base;
}
