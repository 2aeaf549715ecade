/*
 * co.h -- coroutines: one running body (task, on start/stop, test hook or
 * spawned block) over its explicit frame, with its sleep timer, its pending
 * runtime error and the connection it issues requests on.
 *
 * Ownership: whoever makes an sw_co with sw_co_new frees it with sw_co_free,
 * except spawned coroutines, which belong to the sw_co_list they were linked
 * into (sw_spawn) and free themselves when their body ends (deferred through
 * the event loop), or are freed by sw_co_list_cancel. A coroutine owns its
 * frame and, when it made one, its own sw_client; a main coroutine borrows its
 * user's conn. The done callback must not free the coroutine synchronously
 * unless the caller of sw_co_resume is known not to touch it afterwards.
 */
#ifndef SW_CO_H
#define SW_CO_H

#include "rt.h"

struct sw_user;
struct sw_client;

typedef enum sw_co_kind {
    SW_CO_MAIN,      /* a user's main line: on start, tasks, on stop */
    SW_CO_SPAWN,     /* a spawn { } block */
    SW_CO_HOOK       /* on test start / on test stop */
} sw_co_kind;

/* Called when the body returned SW_DONE (never on cancel). */
typedef void (*sw_co_done_fn)(sw_co *co, void *arg);

/* A list of spawned coroutines (per user, and one for the test hooks). */
typedef struct sw_co_list {
    sw_co *head;     /* first coroutine, or NULL */
    int n;           /* coroutines in the list */
} sw_co_list;

/* A new idle coroutine. user: owner (NULL for hooks); conn: borrowed
 * connection (NULL: make one lazily on first request); spawns: the list its
 * spawn blocks go to. Aborts the process when out of memory. */
sw_co *sw_co_new(sw_co_kind kind, struct sw_user *user, struct sw_client *conn,
                 sw_co_list *spawns, sw_co_done_fn done, void *done_arg);
/* Cancel (see sw_co_cancel) and free, with its own conn if any. */
void sw_co_free(sw_co *co);

/* Prepare body to run from its start: releases any previous frame, makes a
 * fresh zeroed frame and clears the pending error. Does not run it. */
void sw_co_begin(sw_co *co, const sw_body *body);
/* Stop a body where it is: aborts the conn's transfer in flight (nothing is
 * reported), deletes the timers, releases the frame. No done callback. */
void sw_co_cancel(sw_co *co);
/* 1 while a body is started and not finished or cancelled. */
int sw_co_active(const sw_co *co);

/* Run code outside any body (var initialisers) as this coroutine: sets
 * sw_rt.cur, so raised errors land on it. */
sw_co *sw_co_enter(sw_co *co);       /* returns the previous sw_rt.cur */
void sw_co_leave(sw_co *prev);

struct sw_user *sw_co_user(const sw_co *co);

/* Cancel and free every coroutine of the list. */
void sw_co_list_cancel(sw_co_list *l);

/* Pending runtime errors (err.c raises, co.c keeps): the statement a
 * coroutine runs (its last sw_at); make msg (copied) its pending error
 * unless one is pending already; the pending error (NULL: none) and
 * dropping it once an error path took it (request.c: sw_settle_error). */
sw_loc sw_co_at(const sw_co *co);
void sw_co_raised(sw_co *co, const char *msg);
const char *sw_co_error(const sw_co *co);
void sw_co_clear_error(sw_co *co);

/* Release every sw_val slot of a struct whose sw_vals start at offset off
 * and run to size (frames, var structs), then free it. NULL is fine. */
void sw_co_release_vals(void *p, size_t size, size_t off);

#endif /* SW_CO_H */
