/*
 * rt.h -- the runtime's process-wide state and the seams between its modules.
 *
 * Modules (one .c/.h pair each, prefix in brackets):
 *   value.c    [sw_]        values and operators (sw.h)
 *   json.c     [sw_json_]   lazy JSON views over jsmn tokens, JSON encoding
 *   builtins.c [sw_b_, sw_rng_]  built-in functions, the seeded RNG
 *   wait.c     [sw_wait_]   think-time distributions
 *   hist.c     [sw_hist_]   mergeable latency histogram
 *   stats.c    [sw_stats_]  request/failure/exception statistics
 *   report.c   [sw_report_] console tables and CSV files
 *   http.c     [sw_http_, sw_conn_]  libcurl multi_socket driven by libevent
 *   request.c  [sw_req_, sw_resp_]   requests and response values
 *   co.c       [sw_co_]     coroutines: running bodies, sleep, spawn, errors
 *   user.c     [sw_user_]   simulated users: task choice, waits, on start/stop
 *   runner.c   [sw_runner_] control: start, re-scale, stop, hatching, hooks
 *   cli.c      [sw_cli_]    command-line options
 *   guard.c    [sw_guard_]  descriptor limit, reserve fd/memory, last gasp on abort
 *   main.c     sw_main      wiring, the headless run, exit status
 * Cluster (issue 7; docs/distributed.md):
 *   msg.c      [sw_msg_]    MessagePack envelope: scan, validated decode, writer
 *   wstats.c   [sw_wstats_] the `stats` report: sw_stats <-> Locust's fields + exact histogram
 *   zsock.c    [sw_zs_]     ZeroMQ socket on the libevent loop (ZMQ_FD, edge-triggered)
 *   master.c   [sw_master_] --master: slaves, distribution, merge, failures
 *   slave.c    [sw_slave_]  --slave/--worker: the worker side of the protocol
 *   procs.c    [sw_procs_]  --processes: forking slaves, reaping them
 *   thrspec.c  [sw_thr_parse, sw_arr_parse] threshold/arrival text (shared with swarmc)
 *   threshold.c [sw_thr_]   thresholds: evaluation, abort, report, JUnit, exit 3
 *   cancelled.c [sw_cancel_] requests cancelled at stop, per entry
 *   arrival.c  [sw_arr_]    the open model: arrival schedule, free users, backlog
 *   selfcheck.c [sw_self_]  event-loop lag and CPU: is Swarm the bottleneck?
 *
 * Ownership: sw_rt is the single global (defined in co.c); main.c creates and frees
 * what it points to. Everything runs on one thread, inside one event loop.
 */
#ifndef SW_RT_H
#define SW_RT_H

#include <stdio.h>
#include "sw.h"

struct event_base;
struct sw_http;
struct sw_stats;

typedef enum sw_role { SW_STANDALONE, SW_MASTER, SW_SLAVE } sw_role;

#define SW_OPTS_MAX_THR 32     /* --threshold options at most */

/* Command-line options (filled by cli.c). Durations in milliseconds;
 * a negative value means "not given". */
typedef struct sw_opts {
    int users;                 /* -u; -1 when not given */
    double hatch_rate;         /* -r, users per second; default 1 */
    double run_time_ms;        /* -t; < 0: until stopped */
    const char *host;          /* -H; NULL: the script's */
    int headless;              /* --headless or --users without --web */
    int web;                   /* --web */
    const char *web_host;      /* default 127.0.0.1 */
    int web_port;              /* default 8089 */
    const char *web_auth;      /* --web-auth USER:PASS (borrowed from argv), NULL when not given */
    double stop_timeout_ms;    /* default 0 */
    const char *csv_prefix;    /* NULL when not given */
    const char *html_file, *json_file;
    int only_summary;          /* --only-summary */
    int print_stats;           /* --print-stats */
    int exit_code_on_error;    /* default 1 */
    uint64_t seed;             /* --seed, or from the clock */
    int seed_given;
    int loglevel;              /* SW_LOG_* */
    sw_role role;
    const char *master_bind_host; int master_bind_port;
    const char *master_host; int master_port;
    int expect_slaves;
    double expect_wait_ms;     /* --expect-slaves-max-wait; < 0: forever */
    int processes;             /* --processes; 0: not given, -1: one per core */
    /* issue 10 (threshold.c, arrival.c): --threshold (repeatable, checked by
     * thrspec.c's parser), --junit, --rate */
    const char *thresholds[SW_OPTS_MAX_THR];  /* borrowed from argv */
    int nthresholds;
    const char *junit_file;    /* NULL when not given */
    double arrival_rate;       /* --rate, iterations/s; <= 0: not given */
} sw_opts;

enum { SW_LOG_DEBUG, SW_LOG_INFO, SW_LOG_WARNING, SW_LOG_ERROR };

typedef struct sw_runtime {
    struct event_base *base;   /* the one event loop */
    struct sw_http *http;      /* curl multi + share */
    struct sw_stats *stats;    /* everything recorded in this process */
    sw_script *script;
    sw_opts opts;
    sw_co *cur;                /* the coroutine whose body is running, or NULL */
    double t0;                 /* wall clock (Unix s) when the process started */
} sw_runtime;

extern sw_runtime sw_rt;

/* log.c-style messages: "[2026-11-27 08:47:15] LEVEL/swarm: message" on stderr */
void sw_logf(int level, const char *fmt, ...);

/* log.c: wall clock in Unix seconds (float). */
double sw_wall(void);

/* log.c: arm a libevent timer to fire ms milliseconds from now (NaN or
 * negative: at once; clamped to 1e12). */
struct event;
void sw_timer_ms(struct event *ev, double ms);

/* ---- seams between modules (each implemented where its prefix says) ---- */

/* value.c -> json.c / request.c when the last reference goes */
void sw_json_free(sw_heap *h);
void sw_resp_free(sw_heap *h);
/* value.c -> json.c / request.c for field and index access */
sw_val sw_json_field(sw_heap *h, const char *key, size_t klen);
sw_val sw_json_index(sw_heap *h, int64_t i);
sw_val sw_resp_field(sw_heap *h, const char *key, size_t klen);
/* value.c: string form of any value (JSON text for lists, objects, JSON
 * views; "null", "true"...); str(x) uses it. Returns an owned string value. */
sw_val sw_to_str(sw_val v);

/* co.c -> request.c: the connection this coroutine issues requests on (the
 * user's own for its main coroutine, a lazily made one for a spawned block),
 * and the base URL relative URLs join to. */
struct sw_conn;
struct sw_conn *sw_co_conn(sw_co *co);
const char *sw_co_host(sw_co *co);
/* request.c/co.c -> co.c: the wait is over, run the body on. */
void sw_co_resume(sw_co *co);
/* co.c: the message of the most recent sw_raise (whether or not a coroutine
 * was running; "" when none) and clearing it. Tests and code that runs
 * outside any coroutine (global initialisers) read errors through these. */
const char *sw_last_error(void);
void sw_clear_last_error(void);

#endif /* SW_RT_H */
