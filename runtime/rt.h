/*
 * rt.h -- the runtime's process-wide state and the seams between its modules.
 *
 * Modules (one .c/.h pair each unless noted, prefix in brackets), every
 * runtime/NAME.c file and the one generated file:
 *   value.c    [sw_]        values, field/index access, string form (sw.h, value.h)
 *   lit.c      [sw_lit_]    big literals built from static tables (sw.h, lit.h)
 *   ops.c      [sw_]        the operators on values (sw.h; no header of its own)
 *   json.c     [sw_json_]   lazy JSON views over jsmn tokens (json.h)
 *   jsonenc.c  [sw_json_encode*]  values as JSON text (json.h)
 *   builtins.c [sw_b_, sw_rng_]  built-in functions, the seeded RNG
 *   wait.c     [sw_wait_]   think-time distributions
 *   hist.c     [sw_hist_]   mergeable latency histogram
 *   stats.c    [sw_stats_]  request/failure/exception statistics
 *   timetext.c [sw_time_]   response times as text: two decimals under 10 ms (JSON, HTML, UI)
 *   history.c  [sw_history_] one aggregated row per second of a run
 *   report.c   [sw_report_] console tables and CSV files
 *   export.c   [sw_export_] JSON and Prometheus text of the statistics
 *   html.c     [sw_html_]   the self-contained HTML report
 *   file.c     [sw_file_]   whole-file writes through a temporary file
 *   http.c     [sw_http_, sw_conn_]  libcurl multi_socket driven by libevent
 *   curlres.c  [sw_cres_]   a finished curl transfer: failure message, phase times
 *   curlown.c  [sw_cown_]   per-owner private connections on curl's pool (CONNECT_TO)
 *   h1.c       [sw_h1_]     the native HTTP/1.1 engine: connections (libevent)
 *   h1msg.c    [sw_h1m_, sw_h1_parse_url]  its messages: URLs, request head, response reader (http_parser, zlib)
 *   dns.c      [sw_dns_]    cached name resolution for h1.c
 *   neterr.c   [sw_ne_]     transport error messages shared by both engines
 *   hdrline.c  [sw_hl_]     header lines matched by name (request lines, response blocks)
 *   xbuf.c     [sw_xb_]     transfer byte buffers shared by both engines (fail softly)
 *   client.c   [sw_client_] an owner's connections, engine choice per request
 *   request.c  [sw_req_]    requests: building, issuing, following redirects
 *   resp.c     [sw_resp_, sw_decide, sw_settle]  response values: fields, decisions, reports
 *   rt.c       sw_rt        the one process-wide state record (this header)
 *   err.c      [sw_err_]    runtime errors: sw_raise, the most recent error
 *                           (sw_last_error); the running coroutine keeps it
 *   co.c       [sw_co_]     coroutines: running bodies, sleep, spawn, their
 *                           pending errors, the monotonic clock
 *   user.c     [sw_user_]   simulated users: task choice, waits, on start/stop
 *   runner.c   [sw_runner_] control: start, re-scale, stop, hatching, hooks
 *   web.c      [sw_web_]    the web UI's HTTP server (evhttp), its header checks
 *   webreq.c   [sw_webreq_] the body of POST /swarm (pure functions over bytes)
 *   cli.c      [sw_cli_]    command-line options
 *   guard.c    [sw_guard_]  descriptor limit, reserve fd/memory, last gasp on abort
 *   session.c  [sw_sess_, sw_url_]  cookie jar, default headers, URL joining
 *   strfn.c    [sw_str_, sw_re_]    string and regular-expression built-ins
 *   control.c  [sw_ctl_]    stop user, quit (with the cluster seam), record
 *   data.c     [sw_data_]   test data files (csv, json) and next()
 *   plan.c     [sw_plan_]   task selection by tags, the load shape (and its
 *                           arrival ramps, through sw_arr_steer)
 *   conf.c     [sw_conf_]   options from --config FILE and SWARM_ / LOCUST_ variables
 *   log.c      [sw_log]     log lines, the wall clock, arming timers (log.h, rt.h)
 *   webconn.c  [sw_webconn_] web UI connections: accept back-off on EMFILE, request deadline
 *   main.c     sw_main      wiring, the headless run, exit status
 * Cluster (issue 7; docs/distributed.md):
 *   msg.c      [sw_msg_]    MessagePack envelope: scan, validated decode, writer
 *   wstats.c   [sw_wstats_] the `stats` report: sw_stats <-> Locust's fields + exact histogram
 *   zsock.c    [sw_zs_]     ZeroMQ socket on the libevent loop (ZMQ_FD, edge-triggered),
 *                           and a DEALER's connection monitor
 *   master.c   [sw_master_] --master: socket, messages, pacing, merge, failures
 *   mnode.c    [sw_mn_]     the master's node table, each node's state machine
 *                           (stop wait included), per-node JSON and /metrics
 *   mdist.c    [sw_md_]     spreading users and the open model's rate over the nodes
 *   slave.c    [sw_slave_]  --slave/--worker: the worker side of the protocol
 *   procs.c    [sw_procs_]  --processes: forking slaves, reaping them
 * Thresholds and stop accounting (issue 10):
 *   thrspec.c  [sw_thr_parse, sw_arr_parse] threshold/arrival text (shared with swarmc)
 *   threshold.c [sw_thr_]   thresholds: evaluation, abort, report, JUnit, exit 3
 *   cancelled.c [sw_cancel_] requests cancelled at stop, per entry
 *   arrival.c  [sw_arr_]    the open model: arrival schedule, free users, backlog
 *   selfcheck.c [sw_self_]  event-loop lag and CPU: is Swarm the bottleneck?
 *   clx.c      [sw_clx_]    a Swarm slave's extra report to its master: cancelled,
 *                           open-model counters, self-check (`swarm_report`)
 * Generated:
 *   build/gen/assets.c [sw_assets]  the web UI's files, generated by
 *                           scripts/embed.sh (assets.h)
 *
 * Process-wide state. Everything runs on one thread, inside one event loop;
 * these are all the mutable globals of libswarm.a (nm: B/b/D symbols), each
 * touched only by the module that defines it unless said otherwise:
 *   sw_rt            rt.c defines it; main.c creates and frees what it points
 *                    to (event base, http, stats, script, options); every
 *                    module reads it, co.c sets sw_rt.cur
 *   R                runner.c: the run's state (users, live counts per class,
 *                    hatch timer); owned and freed by runner.c
 *   W                web.c: the web server (evhttp, routes' context); made by
 *                    sw_web_start, freed by sw_web_free
 *   EV               main.c: its events (signals, run-time timer), the
 *                    history, the host POST /swarm gave
 *   rng_s, rng_ready builtins.c: the seeded RNG (seeded once by main.c
 *                    through sw_rng_seed)
 *   last_error, last_error_at, outside_at
 *                    err.c: the most recent sw_raise, read through
 *                    sw_last_error / cleared by sw_clear_last_error
 *   t0, have_t0      co.c (in sw_clock_ms): the monotonic clock's origin
 *   unref_work       value.c: values waiting to be released (sw_unref_heap's
 *                    work list, so release never recurses)
 *   free_reqs        request.c: idle requests kept for reuse, freed by
 *                    sw_req_shutdown
 *   global_done      http.c: curl_global_init ran once
 *   reserve_fd, reserve_mem, abort_fn, warned
 *                    guard.c: what is held back for the end of a run and the
 *                    last gasp on an out-of-memory abort
 *   sw_stats_warn, warned_cap
 *                    stats.c: the warning hook (main.c points it at the log)
 *                    and whether the entry-cap warning was given
 *   REMOTE           runner.c: on a master, where users run (the slaves);
 *                    set by master.c through the runner's API
 *   sw_export_cluster export.c: hook adding the cluster's part to the JSON
 *                    result; set by master.c
 *   M, tick          master.c: the master's slaves (their node table, made
 *                    and freed through mnode.c) and distribution; the tick
 *                    counter that paces heartbeats
 *   S, NODE_ID       slave.c: the worker side's state and its node id
 *   CTX              zsock.c: the one ZeroMQ context
 *   KIDS, NKIDS, IS_CHILD, GOT
 *                    procs.c: forked slaves not yet reaped, whether this
 *                    process is one, the SIGCHLD flag (sig_atomic_t)
 *   T                threshold.c: the parsed thresholds and their state
 *   C_v, C_n, C_cap, C_total
 *                    cancelled.c: requests cancelled at stop, per entry
 *   re_cache, re_next, re_md
 *                    strfn.c: compiled regular expressions (round robin)
 *                    and the shared match data
 *   want, skip, have_want, SH
 *                    plan.c: --tags / --exclude-tags, the load shape's stage
 *                    and arrival ramp
 *   stride_index, stride_count
 *                    data.c: which rows of a data file this process takes
 *                    (set by the cluster through sw_data_stride)
 *   sw_ctl_quit_hook control.c: the cluster's seam for quit() (NULL: none)
 *   merged, nmerged  conf.c: the argument vector merged from --config and
 *                    the environment (owned, handed out to main.c)
 *   A, sw_arr_rate_hook
 *                    arrival.c: the open model's schedule, free users, backlog;
 *                    the master's seam for re-splitting a new rate
 *   S                selfcheck.c: the lag probe, CPU samples and their verdict
 *   SENT             clx.c: the open-model counters a slave already reported
 *   sw_log_file      log.c: where log lines go (--logfile; stderr when NULL)
 * Function-local statics with the same standing: hooks in sw_co_sess (co.c,
 * the session the test hooks share), next and sess_lines (request.c,
 * scratch buffers reused by every request), next_id (curlown.c, the
 * private connect-to names handed out).
 * Read-only tables (OPTS, ROUTES, FIELD, sw_assets, ...) are const.
 */
#ifndef SW_RT_H
#define SW_RT_H

#include <stdio.h>
#include "sw.h"

struct event_base;
struct sw_http;
struct sw_h1;
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
    /* issue 9 */
    const char *data_dir;      /* --data-dir: where `data` files are read; NULL: cwd */
    const char *tags;          /* --tags T,...: only tasks with one of these; NULL: all */
    const char *exclude_tags;  /* --exclude-tags T,...: never these; NULL: none */
    int insecure;              /* --insecure: no TLS certificate checks */
    const char *ca_file;       /* --ca-file PATH; NULL: SSL_CERT_FILE or the system's */
    const char *logfile;       /* --logfile FILE; NULL: log to stderr */
    int reset_stats;           /* --reset-stats: reset when the ramp completes */
    int http_engine;           /* --http-engine: SW_ENGINE_* (client.h); -1: not given */
} sw_opts;

enum { SW_LOG_DEBUG, SW_LOG_INFO, SW_LOG_WARNING, SW_LOG_ERROR };

typedef struct sw_runtime {
    struct event_base *base;   /* the one event loop */
    struct sw_http *http;      /* curl multi + share */
    struct sw_h1 *h1;          /* the native HTTP/1.1 engine */
    struct sw_stats *stats;    /* everything recorded in this process */
    sw_script *script;
    sw_opts opts;
    sw_co *cur;                /* the coroutine whose body is running, or NULL */
    double t0;                 /* wall clock (Unix s) when the process started */
} sw_runtime;

extern sw_runtime sw_rt;

/* log.c-style messages: "[2026-11-27 08:47:15] LEVEL/swarm: message" on stderr */
void sw_logf(int level, const char *fmt, ...);
/* log.c (issue 9): where log lines go instead of stderr (--logfile), or NULL. */
extern FILE *sw_log_file;

/* log.c: wall clock in Unix seconds (float). */
double sw_wall(void);

/* log.c: arm a libevent timer to fire ms milliseconds from now (NaN or
 * negative: at once; clamped to 1e12). */
struct event;
void sw_timer_ms(struct event *ev, double ms);
/* log.c: the event loop, on the precise monotonic clock (exact timers). */
struct event_base *sw_event_base_new(void);

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

/* co.c -> request.c: the client (client.c) this coroutine issues requests on
 * (the user's own for its main coroutine, a lazily made one for a spawned block),
 * and the base URL relative URLs join to. */
struct sw_client;
struct sw_client *sw_co_conn(sw_co *co);
const char *sw_co_host(sw_co *co);
/* co.c -> session.c (issue 9): the session (cookie jar, default headers) a
 * coroutine's requests use: its user's, or one shared by the test hooks. */
struct sw_sess;
struct sw_sess *sw_co_sess(sw_co *co);
/* request.c/co.c -> co.c: the wait is over, run the body on. */
void sw_co_resume(sw_co *co);
/* err.c: the message of the most recent sw_raise (whether or not a coroutine
 * was running; "" when none) and clearing it. Tests and code that runs
 * outside any coroutine (global initialisers) read errors through these. */
const char *sw_last_error(void);
void sw_clear_last_error(void);

#endif /* SW_RT_H */
