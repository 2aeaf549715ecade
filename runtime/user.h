/*
 * user.h -- one simulated user: its class, id, `var` struct, connection,
 * main coroutine and spawned blocks, and its life: on start, then tasks
 * with think times between them, then (when stopped) on stop.
 *
 * Ownership: the runner makes users with sw_user_new and frees them with
 * sw_user_free, after the user said it is gone (the gone callback, always
 * called from its own event, never from inside a body) or after
 * sw_user_kill. A user owns its vars, conn and coroutines.
 */
#ifndef SW_USER_H
#define SW_USER_H

#include "rt.h"

typedef struct sw_user sw_user;

/* Called (from the event loop) when a stopped user finished its on stop. */
typedef void (*sw_user_gone_fn)(sw_user *u, void *arg);

sw_user *sw_user_new(sw_user_class *cls, int id, sw_user_gone_fn gone, void *arg);
void sw_user_free(sw_user *u);

/* Initialise the vars, run on start, then loop over tasks. */
void sw_user_start(sw_user *u);
/* Stop: cancel spawned blocks; cancel the running task now (timeout_ms <= 0)
 * or let it finish for up to timeout_ms; then on stop (at most 30 s); then
 * the gone callback. A second call does nothing. */
void sw_user_stop(sw_user *u, double timeout_ms);
/* Cancel everything at once; no on stop, no gone callback. */
void sw_user_kill(sw_user *u);
/* 1 once sw_user_stop or sw_user_kill was called. */
int sw_user_stopping(const sw_user *u);

/* ---- the open model (arrival.c) ----
 * sw_user_set_open (before sw_user_start): instead of thinking and picking
 * its next task, the user calls fn(u, 1, arg) whenever it is free for an
 * iteration, and fn(u, 0, arg) once it no longer is (stopping, killed,
 * freed). sw_user_iterate runs one task iteration on a free user, intended
 * to start at intended_ms (sw_clock_ms); 0, or -1 when the user is not free.
 * sw_user_take_intended: the intended start for the iteration's first
 * request (then 0: later requests are timed from their own issue), or 0. */
typedef void (*sw_user_free_fn)(sw_user *u, int free_now, void *arg);
void sw_user_set_open(sw_user *u, sw_user_free_fn fn, void *arg);
int sw_user_iterate(sw_user *u, double intended_ms);
double sw_user_take_intended(sw_user *u);

int sw_user_id_of(const sw_user *u);
sw_user_class *sw_user_class_of(const sw_user *u);
void *sw_user_vars(sw_user *u);
struct sw_client *sw_user_conn(sw_user *u);
/* The user's session (session.c), made on first use, freed with the user. */
struct sw_sess *sw_user_sess(sw_user *u);

#endif /* SW_USER_H */
