/*
 * user.c -- a simulated user's life, as Locust runs one:
 *   vars; on start; loop { pick a task; run it; think time } ;
 *   stop -> cancel spawned blocks, finish or cancel the task, on stop; gone.
 *
 * Everything happens on the user's main coroutine (one body at a time, a
 * fresh frame each) and three timers: the think time, the stop deadline
 * (--stop-timeout, then the 30 s cap of on stop) and a `reap` event through
 * which the runner hears that the user is gone, from a clean stack.
 */
#include <stdio.h>
#include <stdlib.h>

#include <event2/event.h>

#include "builtins.h"
#include "co.h"
#include "client.h"
#include "http.h"
#include "session.h"
#include "plan.h"
#include "user.h"
#include "wait.h"

#define SW_ON_STOP_CAP_MS 30000.0   /* longest on stop may run */

typedef enum u_state {
    U_NEW,          /* made, not started */
    U_ON_START,     /* on start running */
    U_TASK,         /* a task running */
    U_WAIT,         /* think time */
    U_DRAIN,        /* stopping: the current task may finish */
    U_ON_STOP,      /* on stop running */
    U_GONE          /* finished; gone reported or about to be */
} u_state;

struct sw_user {
    sw_user_class *cls;         /* its class (borrowed from the script) */
    int id;                     /* 0-based, unique in the process */
    void *vars;                 /* calloc'd struct of sw_vals (or NULL) */
    struct sw_client *conn;     /* keep-alive connections (client.c) for the main line */
    sw_sess *sess;              /* cookies and default headers, or NULL */
    sw_co *main;                /* on start, tasks, on stop */
    sw_co_list spawned;         /* running spawn blocks */
    struct event *wait_timer;   /* think time, then the next task */
    struct event *stop_timer;   /* --stop-timeout / on stop cap */
    struct event *reap;         /* tells the runner, from a clean stack */
    u_state state;              /* see u_state */
    int stopping;               /* stop or kill was called */
    int seq_idx, seq_rep;       /* sequential: task index, runs of it so far */
    double task_t0;             /* sw_clock_ms when the task started */
    double due;                 /* sw_clock_ms when the wait ends */
    sw_user_gone_fn gone;       /* runner's callback */
    void *gone_arg;             /* its argument */
    sw_user_free_fn open_fn;    /* open model (arrival.c): free-user callback, or NULL */
    void *open_arg;             /* its argument */
    double intended_ms;         /* open model: intended start of the iteration's first request */
};

static void user_main_done(sw_co *co, void *arg);
static void user_wait_cb(evutil_socket_t fd, short what, void *arg);
static void user_stop_cb(evutil_socket_t fd, short what, void *arg);
static void user_reap_cb(evutil_socket_t fd, short what, void *arg);


sw_user *sw_user_new(sw_user_class *cls, int id, sw_user_gone_fn gone, void *arg)
{
    sw_user *u = calloc(1, sizeof *u);
    if (!u)
        goto oom;
    u->cls = cls;
    u->id = id;
    u->gone = gone;
    u->gone_arg = arg;
    if (cls->vars_size) {
        u->vars = calloc(1, cls->vars_size);
        if (!u->vars)
            goto oom;
    }
    if (sw_rt.http || sw_rt.h1)
        u->conn = sw_client_new(sw_rt.base, sw_rt.http, sw_rt.h1);
    u->main = sw_co_new(SW_CO_MAIN, u, u->conn, &u->spawned, user_main_done, u);
    u->wait_timer = evtimer_new(sw_rt.base, user_wait_cb, u);
    u->stop_timer = evtimer_new(sw_rt.base, user_stop_cb, u);
    u->reap = event_new(sw_rt.base, -1, 0, user_reap_cb, u);
    if (!u->wait_timer || !u->stop_timer || !u->reap)
        goto oom;
    return u;
oom:
    fputs("swarm: out of memory\n", stderr);
    abort();
}

/* Open model: tell the scheduler u is no longer available. */
static void open_leave(sw_user *u)
{
    if (u->open_fn)
        u->open_fn(u, 0, u->open_arg);
}

void sw_user_free(sw_user *u)
{
    if (!u)
        return;
    open_leave(u);
    sw_co_list_cancel(&u->spawned);
    sw_co_free(u->main);        /* aborts a transfer on conn first */
    sw_co_list_cancel(&u->spawned);
    sw_co_release_vals(u->vars, u->cls->vars_size, 0);
    if (u->conn)
        sw_client_free(u->conn);
    sw_sess_free(u->sess);      /* the jar empties when the user goes */
    event_free(u->wait_timer);
    event_free(u->stop_timer);
    event_free(u->reap);
    free(u);
}

int sw_user_id_of(const sw_user *u) { return u->id; }
sw_user_class *sw_user_class_of(const sw_user *u) { return u->cls; }
void *sw_user_vars(sw_user *u) { return u->vars; }
struct sw_client *sw_user_conn(sw_user *u) { return u->conn; }

sw_sess *sw_user_sess(sw_user *u)
{
    if (!u->sess)
        u->sess = sw_sess_new();
    return u->sess;
}
int sw_user_stopping(const sw_user *u) { return u->stopping; }

/* The next task by weight (or in order when sequential); NULL when the
 * class has no runnable task. */
static const sw_task *pick_task(sw_user *u)
{
    const sw_user_class *c = u->cls;
    if (c->ntasks <= 0)
        return NULL;
    if (c->sequential) {
        for (int tries = 0; tries <= c->ntasks; tries++) {
            if (u->seq_idx >= c->ntasks)
                u->seq_idx = 0;
            const sw_task *t = &c->tasks[u->seq_idx];
            if (t->weight > 0 && u->seq_rep < t->weight && sw_plan_task_enabled(t)) {
                if (++u->seq_rep >= t->weight) {
                    u->seq_idx++;
                    u->seq_rep = 0;
                }
                return t;
            }
            u->seq_idx++;
            u->seq_rep = 0;
        }
        return NULL;
    }
    int64_t total = 0;
    for (int i = 0; i < c->ntasks; i++)
        if (c->tasks[i].weight > 0 && sw_plan_task_enabled(&c->tasks[i]))
            total += c->tasks[i].weight;
    if (total <= 0)
        return NULL;
    int64_t r = sw_rng_range(0, total - 1);
    for (int i = 0; i < c->ntasks; i++) {
        if (c->tasks[i].weight <= 0 || !sw_plan_task_enabled(&c->tasks[i]))
            continue;
        if (r < c->tasks[i].weight)
            return &c->tasks[i];
        r -= c->tasks[i].weight;
    }
    return NULL;
}

/* Tell the runner, later, from the event loop. */
static void user_finish(sw_user *u)
{
    u->state = U_GONE;
    event_del(u->wait_timer);
    event_del(u->stop_timer);
    sw_co_list_cancel(&u->spawned);
    event_active(u->reap, 0, 0);
}

static void user_on_stop(sw_user *u)
{
    event_del(u->wait_timer);
    event_del(u->stop_timer);
    sw_co_cancel(u->main);
    sw_co_list_cancel(&u->spawned);
    if (!u->cls->on_stop) {
        user_finish(u);
        return;
    }
    u->state = U_ON_STOP;
    sw_timer_ms(u->stop_timer, SW_ON_STOP_CAP_MS);
    sw_co_begin(u->main, u->cls->on_stop);
    sw_co_resume(u->main);
}

/* Start the next task now (or idle when there is none). */
static void user_next_task(sw_user *u)
{
    const sw_task *t = pick_task(u);
    if (!t) {
        u->state = U_WAIT;      /* nothing to do: idle until stopped */
        return;
    }
    u->state = U_TASK;
    u->task_t0 = sw_clock_ms();
    sw_co_begin(u->main, t->body);
    sw_co_resume(u->main);
}

/* The main coroutine's body ended (on start, a task, or on stop). */
static void user_main_done(sw_co *co, void *arg)
{
    sw_user *u = arg;
    (void)co;
    switch (u->state) {
    case U_ON_START:
        u->state = U_WAIT;
        sw_timer_ms(u->wait_timer, 0);
        break;
    case U_TASK: {
        double now = sw_clock_ms(), took = now - u->task_t0;
        double wait = u->open_fn ? 0 : sw_wait_next(&u->cls->wait, took);
        u->state = U_WAIT;
        u->intended_ms = 0;
        u->due = u->open_fn ? 0 : now + (wait > 0 ? wait : 0);
        sw_timer_ms(u->wait_timer, wait);
        break;
    }
    case U_DRAIN:
        user_on_stop(u);
        break;
    case U_ON_STOP:
        user_finish(u);
        break;
    default:
        break;
    }
}

static void user_wait_cb(evutil_socket_t fd, short what, void *arg)
{
    sw_user *u = arg;
    (void)fd; (void)what;
    if (u->due > 0 && sw_rt.opts.loglevel <= SW_LOG_DEBUG)   /* bench/schedstat.py */
        sw_logf(SW_LOG_DEBUG, "wait: user %d started %.3f ms after its due time",
                u->id, sw_clock_ms() - u->due);
    if (u->state == U_WAIT && !u->stopping) {
        if (u->open_fn)
            u->open_fn(u, 1, u->open_arg);   /* free: the scheduler decides */
        else
            user_next_task(u);
    }
}

void sw_user_set_open(sw_user *u, sw_user_free_fn fn, void *arg)
{
    u->open_fn = fn;
    u->open_arg = arg;
}

int sw_user_iterate(sw_user *u, double intended_ms)
{
    if (u->state != U_WAIT || u->stopping)
        return -1;
    event_del(u->wait_timer);
    u->due = 0;
    u->intended_ms = intended_ms;
    user_next_task(u);
    return 0;
}

double sw_user_take_intended(sw_user *u)
{
    double t = u->intended_ms;
    u->intended_ms = 0;
    return t;
}

static void user_stop_cb(evutil_socket_t fd, short what, void *arg)
{
    sw_user *u = arg;
    (void)fd; (void)what;
    if (u->state == U_DRAIN)
        user_on_stop(u);            /* the task overran --stop-timeout */
    else if (u->state == U_ON_STOP) {
        sw_logf(SW_LOG_WARNING, "[user %d] on stop still running after %.0f s; cancelled",
                u->id, SW_ON_STOP_CAP_MS / 1000.0);
        sw_co_cancel(u->main);
        user_finish(u);
    }
}

static void user_reap_cb(evutil_socket_t fd, short what, void *arg)
{
    sw_user *u = arg;
    (void)fd; (void)what;
    if (u->gone)
        u->gone(u, u->gone_arg);
}

void sw_user_start(sw_user *u)
{
    if (u->state != U_NEW || u->stopping)
        return;
    if (u->cls->init_vars && u->vars) {
        sw_co *prev = sw_co_enter(u->main);
        u->cls->init_vars(u->main, u->vars);
        sw_co_leave(prev);
        if (sw_failed(u->main))
            sw_exception(u->main);
    }
    if (u->cls->on_start) {
        u->state = U_ON_START;
        sw_co_begin(u->main, u->cls->on_start);
        sw_co_resume(u->main);
    } else if (u->open_fn) {
        u->state = U_WAIT;
        sw_timer_ms(u->wait_timer, 0);       /* free, from a clean stack */
    } else {
        user_next_task(u);
    }
}

void sw_user_stop(sw_user *u, double timeout_ms)
{
    if (u->stopping)
        return;
    u->stopping = 1;
    open_leave(u);
    sw_co_list_cancel(&u->spawned);
    switch (u->state) {
    case U_ON_START:
    case U_TASK:
        if (timeout_ms > 0) {
            u->state = U_DRAIN;
            sw_timer_ms(u->stop_timer, timeout_ms);
        } else {
            user_on_stop(u);
        }
        break;
    case U_NEW:
    case U_WAIT:
        user_on_stop(u);
        break;
    default:
        break;
    }
}

void sw_user_kill(sw_user *u)
{
    open_leave(u);
    u->stopping = 1;
    u->state = U_GONE;
    event_del(u->wait_timer);
    event_del(u->stop_timer);
    event_del(u->reap);
    sw_co_cancel(u->main);
    sw_co_list_cancel(&u->spawned);
}
