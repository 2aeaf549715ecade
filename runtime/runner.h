/*
 * runner.h -- run control: the interface the headless mode drives now and a
 * web UI or a master will drive later. Start (or re-scale) to N users at R
 * users per second, stop, state, user count. Statistics are read through
 * stats.h (sw_stats_clone / sw_stats_delta / sw_stats_merge on sw_rt.stats).
 *
 * Ownership: the runner owns every user and the test-hook coroutine it
 * makes; sw_runner_free releases them all (aborting transfers in flight).
 * It reads sw_rt (base, script, opts) and must be set up after it.
 */
#ifndef SW_RUNNER_H
#define SW_RUNNER_H

#include "rt.h"

typedef enum sw_run_state {
    SW_RUN_READY,       /* nothing started yet */
    SW_RUN_HATCHING,    /* on test start, or users being started/stopped */
    SW_RUN_RUNNING,     /* the requested number of users runs */
    SW_RUN_STOPPING,    /* users stopping, on stop / on test stop running */
    SW_RUN_STOPPED      /* all done; may be started again */
} sw_run_state;

/* Called (from the event loop) each time a run reached SW_RUN_STOPPED. */
typedef void (*sw_runner_stopped_fn)(void *arg);

void sw_runner_init(sw_runner_stopped_fn stopped, void *arg);
void sw_runner_free(void);

/* Start a test with `users` users at `rate` users per second, or re-scale a
 * running one (up or down, at the new rate). Returns 0, or -1 when the
 * arguments are invalid (users < 0, rate <= 0) or the runner is stopping. */
int sw_runner_start(int users, double rate);
/* Stop cleanly: the open model's schedule ends at once (sw_arr_end), users
 * stop (see sw_user_stop, --stop-timeout), then on test stop runs, then
 * the stopped callback. */
void sw_runner_stop(void);
/* Cancel everything at once (a second Ctrl-C): no on stop, no hooks; the
 * open model's schedule ends too (sw_arr_end). */
void sw_runner_kill(void);

/* Issue 9 (control.c calls these from the event loop, never from inside a
 * body): `stop user` ends user u for good -- it leaves the class's target,
 * so it is not replaced; nothing when u is gone or stopping already. */
struct sw_user;
void sw_runner_stop_user(struct sw_user *u);

sw_run_state sw_runner_state(void);
const char *sw_runner_state_name(sw_run_state s);   /* "ready", "hatching", ... */
/* Users started and not stopping. */
int sw_runner_user_count(void);

/* ---- cluster (issue 7) ---- */

/* A master's users run on its slaves: once set (after sw_runner_init), a
 * start runs on test start here, then calls start(users, rate) instead of
 * hatching local users; a stop calls stop(done) and runs on test stop when
 * done is called (stop(NULL): cancel at once); user_count() is the
 * cluster's. The struct is borrowed and must outlive the runner. */
typedef struct sw_runner_remote {
    void (*start)(int users, double rate);
    void (*stop)(void (*done)(void));
    int (*user_count)(void);
} sw_runner_remote;
void sw_runner_set_remote(const sw_runner_remote *remote);

/* A slave: run counts[i] users of class i (absolute targets from the
 * master), starting or stopping them at rate users/s; starts a test (on
 * test start) when none runs. Returns 0, or -1 for a negative count, a
 * rate <= 0, or while stopping. */
int sw_runner_start_counts(const int *counts, double rate);
/* The id the next user gets (user_id), so that ids are unique over a
 * cluster: a slave uses its index times SW_RUNNER_ID_STRIDE. */
#define SW_RUNNER_ID_STRIDE 1000000
void sw_runner_set_id_base(int base);

/* ---- pure arithmetic, exposed for tests ---- */

/* Largest-remainder apportionment of `users` over n weights (weights <= 0
 * get none; ties go to the lower index). Writes out[0..n-1]. */
void sw_runner_split(const int *weights, int n, int users, int *out);
/* The class the next started user belongs to: among classes with
 * live[i] < target[i], the one furthest behind its proportional share
 * target[i] * (sum(live) + 1) / sum(target). -1 when none. */
int sw_runner_pick_add(const int *target, const int *live, int n);
/* The class to stop a user of: among classes with live[i] > target[i], the
 * one furthest above its share. -1 when none. */
int sw_runner_pick_remove(const int *target, const int *live, int n);
/* Milliseconds after the hatch start at which step k (0-based) happens:
 * k * 1000 / rate. */
double sw_runner_hatch_at_ms(int k, double rate);
/* How many steps are due `elapsed_ms` after the hatch start. */
int sw_runner_hatch_due(double elapsed_ms, double rate);

#endif /* SW_RUNNER_H */
