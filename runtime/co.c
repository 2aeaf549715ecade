/*
 * co.c -- coroutines: running bodies over explicit frames, sleep, spawn,
 * the pending runtime error of each (raised by err.c), log lines from
 * scripts.
 *
 * A body is a C function that returns SW_WAIT at each wait point and is
 * called again (sw_co_resume) when the wait is over. sw_co_resume never
 * recurses into a body that is already running: it defers the call through
 * the event loop (the coroutine's `kick` event), which is also how spawned
 * blocks start and how finished spawned coroutines get freed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "co.h"
#include "client.h"
#include "err.h"
#include "session.h"
#include "stats.h"
#include "user.h"
#include "value.h"

struct sw_co {
    const sw_body *body;        /* the body running, NULL before the first */
    void *frame;                /* calloc'd frame; NULL when not active */
    size_t frame_size;          /* size of frame */
    sw_co_kind kind;            /* main / spawn / hook */
    struct sw_user *user;       /* owner; NULL for hooks and their spawns */
    char *err;                  /* pending error message (owned) or NULL */
    sw_loc err_loc;             /* where the pending error happened */
    sw_loc at;                  /* the statement running (last sw_at) */
    struct event *timer;        /* sleep timer */
    struct event *kick;         /* deferred resume / start / reap */
    struct sw_client *conn;       /* connection for requests (maybe NULL) */
    int own_conn;               /* 1 when conn was made here */
    int running;                /* 1 while inside body->fn */
    int zombie;                 /* spawned body done: free at next kick */
    unsigned iters;             /* sw_yield calls (the clock is read every 64) */
    double slice_t0;            /* sw_clock_ms when the body was last resumed */
    sw_co_done_fn done;         /* owner's callback when the body ends */
    void *done_arg;             /* its argument */
    sw_co_list *spawns;         /* where spawn blocks go */
    sw_co_list *list;           /* the list this (spawned) coroutine is in */
    sw_co *next, *prev;         /* siblings in list */
    struct sw_call *calls;      /* issue 9: frames of fn calls in progress */
    int ncalls, ccalls;         /* pushed / allocated */
    int cursor;                 /* the frame running: 0 body, k calls[k-1] */
    sw_val ret;                 /* the last finished call's return value */
};

typedef struct sw_call {        /* one fn call in progress */
    const sw_body *body;        /* the fn */
    void *frame;                /* its frame (calloc'd; slot 0 = return value) */
    size_t frame_size;
} sw_call_t;
#define SW_MAX_CALL_DEPTH 200


/* The offset of the first sw_val slot in a frame. */
#define SW_FRAME_VALS offsetof(struct { sw_frame h; sw_val v; }, v)

static void co_timer_cb(evutil_socket_t fd, short what, void *arg);
static void co_kick_cb(evutil_socket_t fd, short what, void *arg);

/* ------------------------------------------------------------ lifecycle */

sw_co *sw_co_new(sw_co_kind kind, struct sw_user *user, struct sw_client *conn,
                 sw_co_list *spawns, sw_co_done_fn done, void *done_arg)
{
    sw_co *co = calloc(1, sizeof *co);
    if (!co) {
        fputs("swarm: out of memory\n", stderr);
        abort();
    }
    co->kind = kind;
    co->user = user;
    co->conn = conn;
    co->spawns = spawns;
    co->done = done;
    co->done_arg = done_arg;
    co->timer = evtimer_new(sw_rt.base, co_timer_cb, co);
    co->kick = event_new(sw_rt.base, -1, 0, co_kick_cb, co);
    if (!co->timer || !co->kick) {
        fputs("swarm: cannot create a timer event\n", stderr);
        abort();
    }
    return co;
}

void sw_co_release_vals(void *p, size_t size, size_t off)
{
    if (!p)
        return;
    if (size > off) {
        sw_val *v = (sw_val *)(void *)((char *)p + off);
        size_t n = (size - off) / sizeof(sw_val);
        for (size_t i = 0; i < n; i++)
            sw_unref(v[i]);
    }
    free(p);
}

static void co_release_frame(sw_co *co)
{
    while (co->ncalls > 0) {    /* fn calls in progress go with their body */
        sw_call_t *c = &co->calls[--co->ncalls];
        void *cf = c->frame;
        c->frame = NULL;
        sw_co_release_vals(cf, c->frame_size, SW_FRAME_VALS);
    }
    co->cursor = 0;
    sw_set(&co->ret, SW_NULL);
    void *f = co->frame;
    co->frame = NULL;   /* before releasing: freeing values must not see it */
    sw_co_release_vals(f, co->frame_size, SW_FRAME_VALS);
}

static void co_clear_error(sw_co *co)
{
    free(co->err);
    co->err = NULL;
}

void sw_co_begin(sw_co *co, const sw_body *body)
{
    sw_co_cancel(co);
    co->body = body;
    co->frame_size = body->frame_size < sizeof(sw_frame) ? sizeof(sw_frame)
                                                          : body->frame_size;
    co->frame = calloc(1, co->frame_size);
    if (!co->frame) {
        fputs("swarm: out of memory\n", stderr);
        abort();
    }
    co->at = (sw_loc){ 0, 0 };
}

void sw_co_cancel(sw_co *co)
{
    if (!co)
        return;
    if (co->conn && co->frame)
        sw_client_abort(co->conn);
    event_del(co->timer);
    if (!co->zombie)
        event_del(co->kick);
    co_release_frame(co);
    co_clear_error(co);
}

static void co_unlink(sw_co *co)
{
    sw_co_list *l = co->list;
    if (!l)
        return;
    if (co->prev)
        co->prev->next = co->next;
    else
        l->head = co->next;
    if (co->next)
        co->next->prev = co->prev;
    l->n--;
    co->list = NULL;
    co->next = co->prev = NULL;
}

void sw_co_free(sw_co *co)
{
    if (!co)
        return;
    co->zombie = 0;
    sw_co_cancel(co);
    co_unlink(co);
    if (co->own_conn)
        sw_client_free(co->conn);
    event_free(co->timer);
    event_free(co->kick);
    free(co->calls);
    free(co);
}

int sw_co_active(const sw_co *co)
{
    return co && co->frame != NULL;
}

struct sw_user *sw_co_user(const sw_co *co)
{
    return co ? co->user : NULL;
}

sw_co *sw_co_enter(sw_co *co)
{
    sw_co *prev = sw_rt.cur;
    sw_rt.cur = co;
    return prev;
}

void sw_co_leave(sw_co *prev)
{
    sw_rt.cur = prev;
}

void sw_co_list_cancel(sw_co_list *l)
{
    while (l->head)
        sw_co_free(l->head);   /* unlinks itself */
}

/* ------------------------------------------------------------ running */

/* Run the body until it waits or ends. On SW_DONE: count an error the body
 * left pending, release the frame, then tell the owner (or, for a spawned
 * block, schedule its own freeing). */
void sw_co_resume(sw_co *co)
{
    if (!co || !co->frame || co->zombie)
        return;
    if (co->running) {
        event_active(co->kick, 0, 0);
        return;
    }
    sw_co *prev = sw_rt.cur;
    sw_rt.cur = co;
    co->running = 1;
    co->slice_t0 = sw_clock_ms();
    co->cursor = 0;
    sw_step st = co->body->fn(co);
    co->running = 0;
    sw_rt.cur = prev;
    if (st != SW_DONE || !co->frame)
        return;
    if (co->err)
        sw_exception(co);
    co_release_frame(co);
    if (co->kind == SW_CO_SPAWN) {
        co->zombie = 1;
        event_active(co->kick, 0, 0);
        return;
    }
    if (co->done)
        co->done(co, co->done_arg);
}

static void co_timer_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what;
    sw_co_resume(arg);
}

static void co_kick_cb(evutil_socket_t fd, short what, void *arg)
{
    sw_co *co = arg;
    (void)fd; (void)what;
    if (co->zombie) {
        sw_co_free(co);
        return;
    }
    sw_co_resume(co);
}

/* ------------------------------------------------------------ sw.h API */

void *sw_frame_of(sw_co *co)
{
    if (co && co->cursor > 0 && co->cursor <= co->ncalls)
        return co->calls[co->cursor - 1].frame;
    return co ? co->frame : NULL;
}

/* ------------------------------------------------ fn calls (issue 9) */

void sw_call(sw_co *co, const sw_body *fn, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    if (!co || co->ncalls >= SW_MAX_CALL_DEPTH || co->cursor != co->ncalls) {
        sw_raise("functions nested more than %d calls deep", SW_MAX_CALL_DEPTH);
        for (int i = 0; i < n; i++)
            sw_unref(va_arg(ap, sw_val));
        va_end(ap);
        return;
    }
    if (co->ncalls == co->ccalls) {
        co->ccalls = co->ccalls ? 2 * co->ccalls : 4;
        co->calls = realloc(co->calls, (size_t)co->ccalls * sizeof *co->calls);
        if (!co->calls) {
            fputs("swarm: out of memory\n", stderr);
            abort();
        }
    }
    size_t need = SW_FRAME_VALS + (size_t)(n + 1) * sizeof(sw_val);
    size_t size = fn->frame_size > need ? fn->frame_size : need;
    sw_call_t *c = &co->calls[co->ncalls];
    c->body = fn;
    c->frame_size = size;
    c->frame = calloc(1, size);
    if (!c->frame) {
        fputs("swarm: out of memory\n", stderr);
        abort();
    }
    sw_val *slots = (sw_val *)(void *)((char *)c->frame + SW_FRAME_VALS);
    for (int i = 0; i < n; i++)
        slots[1 + i] = va_arg(ap, sw_val);
    va_end(ap);
    co->ncalls++;
}

sw_step sw_call_step(sw_co *co)
{
    if (!co || co->cursor >= co->ncalls)
        return SW_DONE;         /* the call did not start (it raised) */
    int level = ++co->cursor;
    sw_step st = co->calls[level - 1].body->fn(co);
    co->cursor = level - 1;
    if (st == SW_WAIT)
        return SW_WAIT;
    sw_call_t *c = &co->calls[level - 1];
    sw_val *slots = (sw_val *)(void *)((char *)c->frame + SW_FRAME_VALS);
    sw_set(&co->ret, slots[0]);
    slots[0] = SW_NULL;
    void *f = c->frame;
    c->frame = NULL;
    co->ncalls = level - 1;
    sw_co_release_vals(f, c->frame_size, SW_FRAME_VALS);
    return SW_DONE;
}

sw_val sw_call_result(sw_co *co)
{
    if (!co)
        return SW_NULL;
    sw_val v = co->ret;
    co->ret = SW_NULL;
    return v;
}

void *sw_vars_of(sw_co *co)
{
    return co && co->user ? sw_user_vars(co->user) : NULL;
}

void sw_at(sw_co *co, const sw_loc *loc)
{
    if (co && loc)
        co->at = *loc;
    else if (loc)
        sw_err_outside_at(loc);
}

sw_loc sw_co_at(const sw_co *co)
{
    return co->at;
}

void sw_co_raised(sw_co *co, const char *msg)
{
    if (co->err)
        return;                 /* the first error wins */
    co->err = strdup(msg);
    if (!co->err) {
        fputs("swarm: out of memory\n", stderr);
        abort();
    }
    co->err_loc = co->at;
}

const char *sw_co_error(const sw_co *co)
{
    return co ? co->err : NULL;
}

void sw_co_clear_error(sw_co *co)
{
    co_clear_error(co);
}

int sw_failed(sw_co *co)
{
    return co && co->err != NULL;
}

int sw_cond(sw_co *co, sw_val v)
{
    int t = sw_truthy(v);
    return t && !sw_failed(co);
}

void sw_exception(sw_co *co)
{
    if (!co || !co->err)
        return;
    char where[512];
    const char *file = sw_rt.script && sw_rt.script->file ? sw_rt.script->file : "?";
    snprintf(where, sizeof where, "%s:%d:%d", file, co->err_loc.line, co->err_loc.col);
    if (sw_rt.stats)
        sw_stats_exception(sw_rt.stats, co->err, where);
    sw_logf(SW_LOG_ERROR, "%s: %s", where, co->err);
    co_clear_error(co);
}

sw_val sw_user_id(sw_co *co)
{
    if (!co || !co->user)
        return SW_NULL;
    return sw_int(sw_user_id_of(co->user));
}

sw_val sw_is_master(void) { return sw_bool(sw_rt.opts.role == SW_MASTER); }
sw_val sw_is_slave(void) { return sw_bool(sw_rt.opts.role == SW_SLAVE); }
sw_val sw_is_standalone(void) { return sw_bool(sw_rt.opts.role == SW_STANDALONE); }

void sw_log(sw_co *co, int n, ...)
{
    sw_buf b;
    sw_buf_init(&b);
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        sw_val v = va_arg(ap, sw_val);
        if (i)
            sw_buf_addc(&b, ' ');
        sw_buf_add_str(&b, v);
        sw_unref(v);
    }
    va_end(ap);
    sw_buf_addc(&b, '\0');
    if (co && sw_failed(co))
        ;                       /* an argument raised: the error is the news */
    else if (co && co->user)
        sw_logf(SW_LOG_INFO, "[user %d] %s", sw_user_id_of(co->user), sw_buf_bytes(&b));
    else
        sw_logf(SW_LOG_INFO, "[test] %s", sw_buf_bytes(&b));
    sw_buf_free(&b);
}

void sw_sleep(sw_co *co, double ms)
{
    if (co)
        sw_timer_ms(co->timer, ms);
}

int sw_yield(sw_co *co)
{
    if (!co || (++co->iters & 63u))
        return 0;
    if (sw_clock_ms() - co->slice_t0 < SW_SLICE_MS)
        return 0;
    sw_timer_ms(co->timer, 0);
    return 1;
}

double sw_clock_ms(void)
{
    static struct timespec t0;
    static int have_t0;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    if (!have_t0) {
        t0 = t;
        have_t0 = 1;
    }
    return (double)(t.tv_sec - t0.tv_sec) * 1000.0 + (double)(t.tv_nsec - t0.tv_nsec) / 1e6;
}

sw_co *sw_spawn(sw_co *parent, const sw_body *body)
{
    sw_co_list *l = parent ? parent->spawns : NULL;
    if (l && l->n >= SW_SPAWN_MAX) {
        sw_raise("too many spawned blocks (at most %d alive per user)", SW_SPAWN_MAX);
        return NULL;
    }
    sw_co *c = sw_co_new(SW_CO_SPAWN, parent ? parent->user : NULL, NULL, l, NULL, NULL);
    sw_co_begin(c, body);
    if (l) {
        c->list = l;
        c->next = l->head;
        if (l->head)
            l->head->prev = c;
        l->head = c;
        l->n++;
    }
    return c;
}

void sw_spawn_start(sw_co *child)
{
    if (child && child->frame)
        event_active(child->kick, 0, 0);
}

/* ------------------------------------------------------------ seams */

struct sw_client *sw_co_conn(sw_co *co)
{
    if (!co)
        return NULL;
    if (!co->conn && (sw_rt.http || sw_rt.h1)) {
        co->conn = sw_client_new(sw_rt.base, sw_rt.http, sw_rt.h1);
        co->own_conn = co->conn != NULL;
    }
    return co->conn;
}

/* The session of the coroutine's user; the test hooks (and their spawns)
 * share one for the process, made on first use. */
struct sw_sess *sw_co_sess(sw_co *co)
{
    static sw_sess *hooks;
    if (co && co->user)
        return sw_user_sess(co->user);
    if (!hooks)
        hooks = sw_sess_new();
    return hooks;
}

/* --host wins over a class's host, which wins over the script's. */
const char *sw_co_host(sw_co *co)
{
    if (sw_rt.opts.host)
        return sw_rt.opts.host;
    if (co && co->user) {
        sw_user_class *cls = sw_user_class_of(co->user);
        if (cls && cls->host)
            return cls->host;
    }
    return sw_rt.script ? sw_rt.script->host : NULL;
}
