/*
 * main.c -- sw_main: the generated main() calls it. Parses the command
 * line, sets up sw_rt (event loop, HTTP, statistics, RNG), runs the
 * script's global initialisation, then a run: headless (start the users,
 * print the table every 2 s, stop at --run-time or on SIGINT/SIGTERM) or
 * with the web UI (serve, start from the browser or POST /swarm, or at once
 * with --users; keep serving after a run stops, until SIGINT/SIGTERM). Then
 * the summary, the files, free everything, return the exit status.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "builtins.h"
#include "cli.h"
#include "client.h"
#include "co.h"
#include "err.h"
#include "control.h"
#include "data.h"
#include "plan.h"
#include "conf.h"
#include "export.h"
#include "guard.h"
#include "history.h"
#include "html.h"
#include "dns.h"
#include "h1.h"
#include "http.h"
#include "master.h"
#include "procs.h"
#include "report.h"
#include "request.h"
#include "runner.h"
#include "slave.h"
#include "stats.h"
#include "threshold.h"
#include "cancelled.h"
#include "arrival.h"
#include "selfcheck.h"
#include "web.h"

#define SW_PRINT_EVERY_S 2

/* The events and records of a run (owned here, freed in events_free and
 * at the end of sw_main). */
typedef struct run_events {
    struct event *sigint, *sigterm;  /* stop, then kill */
    struct event *print;             /* stats table every 2 s */
    struct event *deadline;          /* --run-time, or run_time of POST /swarm */
    int signals;                     /* signals received so far */
    int web;                         /* serving the web UI */
    int exiting;                     /* a signal came: leave once stopped */
    sw_history *history;             /* one aggregated row per second */
    sw_export_run run;               /* options and times, for --json/--html */
    char *host;                      /* host given by POST /swarm (owned) */
    char *next_host;                 /* given while running: for the next start */
} run_events;

static run_events EV;


static int is_active(sw_run_state st)
{
    return st == SW_RUN_HATCHING || st == SW_RUN_RUNNING;
}

static void on_stopped(void *arg)
{
    run_events *ev = arg;
    sw_history_stop(ev->history);
    ev->run.end_time = sw_wall();
    if (ev->deadline)
        event_del(ev->deadline);
    sw_plan_shape_stop();                   /* issue 9 */
    if (!ev->web || ev->exiting || sw_ctl_quit_status() >= 0)   /* issue 9: quit */
        event_base_loopexit(sw_rt.base, NULL);
    else
        sw_logf(SW_LOG_INFO, "The test stopped; the web UI keeps serving (Ctrl-C to quit)");
}

static void on_signal(evutil_socket_t fd, short what, void *arg)
{
    run_events *ev = arg;
    (void)what;
    ev->exiting = 1;
    sw_run_state st = sw_runner_state();
    if (++ev->signals == 1 && is_active(st)) {
        sw_logf(SW_LOG_INFO, "Got %s, stopping (press Ctrl-C again to cancel everything at once)",
                fd == SIGINT ? "SIGINT" : "SIGTERM");
        sw_runner_stop();
    } else if (ev->signals == 1 && st != SW_RUN_STOPPING) {
        sw_logf(SW_LOG_INFO, "Got %s, shutting down", fd == SIGINT ? "SIGINT" : "SIGTERM");
        event_base_loopexit(sw_rt.base, NULL);
    } else {
        sw_logf(SW_LOG_WARNING, "Got a second signal, cancelling everything");
        sw_runner_kill();
        event_base_loopexit(sw_rt.base, NULL);
    }
}

/* ---- the web UI's hooks (see web.h) ---- */

/* Start a test, or re-scale the running one. */
static int web_start(int users, double rate, const char *host, double run_time_ms, void *arg)
{
    run_events *ev = arg;
    sw_run_state st = sw_runner_state();
    int fresh = st == SW_RUN_READY || st == SW_RUN_STOPPED;
    if (st == SW_RUN_STOPPING)
        return -1;
    char *copy = host ? strdup(host) : NULL;
    if (host && !copy)
        return -1;
    if (fresh) {
        if (copy || ev->next_host) {
            free(ev->host);
            ev->host = copy ? copy : ev->next_host;
            if (copy)
                free(ev->next_host);
            ev->next_host = NULL;
            copy = NULL;
            sw_rt.opts.host = ev->host;
        }
        sw_stats_reset(sw_rt.stats);         /* a new test starts from zero, as Locust's */
        sw_cancel_reset();
        sw_arr_reset();
        sw_self_reset();
        sw_history_reset(ev->history);
    } else if (copy) {
        free(ev->next_host);                 /* the running test keeps its host */
        ev->next_host = copy;
        copy = NULL;
    }
    free(copy);
    if (fresh)
        sw_logf(SW_LOG_INFO, "Starting %d users at %.2f users/s (from the web UI)", users, rate);
    sw_guard_fd_limit(users);
    if (fresh && sw_plan_has_shape())        /* issue 9: the shape decides the counts */
        sw_plan_shape_start();
    else if (sw_runner_start(users, rate) != 0)
        return -1;
    sw_rt.opts.users = users;
    sw_rt.opts.hatch_rate = rate;
    if (fresh) {
        ev->run.start_time = sw_wall();
        ev->run.end_time = 0;
        sw_history_start(ev->history);
        if (ev->deadline)
            event_del(ev->deadline);
        sw_rt.opts.run_time_ms = -1;
    }
    ev->run.host = sw_rt.opts.host ? sw_rt.opts.host : sw_rt.script->host;
    if (run_time_ms >= 0 && ev->deadline) {
        sw_rt.opts.run_time_ms = run_time_ms;
        sw_timer_ms(ev->deadline, run_time_ms);
    }
    return 0;
}

static void web_stop(void *arg)
{
    (void)arg;
    sw_runner_stop();
}

static void web_reset(void *arg)
{
    run_events *ev = arg;
    sw_stats_reset(sw_rt.stats);
    sw_cancel_reset();
    sw_arr_reset();
    sw_self_reset();
    sw_history_reset(ev->history);
    if (is_active(sw_runner_state()))
        sw_stats_mark_start(sw_rt.stats, sw_wall());
}

static void on_print(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what; (void)arg;
    sw_report_table(stdout, sw_rt.stats, sw_wall());
    fflush(stdout);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what; (void)arg;
    sw_logf(SW_LOG_INFO, "--run-time limit reached, stopping the test");
    sw_runner_stop();
}

/* issue 10: an `abort` threshold failed while the run is active. */
static void on_threshold_abort(const char *text, void *arg)
{
    (void)arg;
    sw_logf(SW_LOG_WARNING, "threshold '%s' failed, aborting the run", text);
    if (is_active(sw_runner_state()))
        sw_runner_stop();
}

static void events_free(run_events *ev)
{
    if (ev->sigint) event_free(ev->sigint);
    if (ev->sigterm) event_free(ev->sigterm);
    if (ev->print) event_free(ev->print);
    if (ev->deadline) event_free(ev->deadline);
    ev->sigint = ev->sigterm = ev->print = ev->deadline = NULL;
}

static void rt_free(void)
{
    if (sw_rt.http)
        sw_http_free(sw_rt.http);
    sw_h1_free(sw_rt.h1);
    sw_rt.h1 = NULL;
    sw_dns_clear();
    if (sw_rt.stats)
        sw_stats_free(sw_rt.stats);
    if (sw_rt.base)
        event_base_free(sw_rt.base);
    sw_rt.http = NULL;
    sw_rt.stats = NULL;
    sw_rt.base = NULL;
    sw_thr_free();
    sw_cancel_free();
    sw_arr_free();
    sw_self_stop();
    sw_req_shutdown();
    sw_guard_release();
    sw_data_free_all(sw_rt.script);     /* issue 9 */
    sw_plan_free();
    curl_global_cleanup();
    libevent_global_shutdown();
}

/* Something to run and a usable host? Else one sentence, and 0. */
static int script_runnable(const sw_script *s)
{
    int weight = 0;
    for (int i = 0; i < s->nclasses; i++) {
        const sw_user_class *c = &s->classes[i];
        if (c->weight > 0)
            weight += c->weight;
        if (c->host && !sw_cli_valid_url(c->host) && !sw_rt.opts.host) {
            fprintf(stderr, "swarm: user %s has host '%s', which is not an http:// or https:// URL; "
                            "fix the script or pass --host URL\n", c->name, c->host);
            return 0;
        }
    }
    if (weight <= 0) {
        fprintf(stderr, "swarm: the script defines no user with a positive weight, so there is "
                        "nothing to run; add a task or a user block\n");
        return 0;
    }
    if (s->host && !sw_cli_valid_url(s->host) && !sw_rt.opts.host) {
        fprintf(stderr, "swarm: the script's host '%s' is not an http:// or https:// URL; "
                        "fix the script or pass --host URL\n", s->host);
        return 0;
    }
    /* No host: every relative URL would fail. A run that starts now cannot
     * start; the web UI may still get one from its form. */
    const sw_user_class *nohost = sw_cli_missing_host(s, sw_rt.opts.host);
    if (nohost && (sw_rt.opts.headless || sw_rt.opts.users >= 0)) {
        fprintf(stderr, "swarm: no host to send requests to: pass --host http://HOST:PORT or add "
                        "host \"http://HOST:PORT\" to the script\n");
        return 0;
    }
    if (nohost && sw_rt.opts.role != SW_SLAVE)
        sw_logf(SW_LOG_WARNING, "no host is set (no --host, no host in the script): give one "
                "in the web UI's Host field when you start");
    return 1;
}

static uint64_t clock_seed(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    uint64_t x = (uint64_t)t.tv_sec * 1000000007ULL ^ (uint64_t)t.tv_nsec;
    x ^= (uint64_t)getpid() << 40;
    x ^= x >> 31;
    x *= 0x9e3779b97f4a7c15ULL;
    return x ^ (x >> 29);
}

/* The final summary (whole-run rates, as Locust's) and every requested
 * file, all from the same statistics. Returns the number of result files
 * (CSV set, JSON, HTML) that could not be written; each is logged. */
static int summary(run_events *ev)
{
    int failed = 0;
    double now = ev->run.end_time > 0 ? ev->run.end_time : sw_wall();
    sw_report_table(stdout, sw_rt.stats, 0);
    sw_report_percentiles(stdout, sw_rt.stats);
    sw_report_failures(stdout, sw_rt.stats);
    sw_cancel_report(stdout);
    sw_arr_report(stdout);
    sw_self_report(stdout);
    sw_thr_report(stdout, sw_rt.stats);
    fflush(stdout);
    const char *csv = sw_rt.opts.csv_prefix;
    if (csv && (sw_report_csv(csv, sw_rt.stats, now) != 0
                || sw_history_write_csv(ev->history, csv) != 0)) {
        sw_logf(SW_LOG_ERROR, "cannot write the CSV files %s_*.csv: %s", csv, strerror(errno));
        failed++;
    }
    /* the runner is gone by now: the test has stopped (or never started) */
    sw_export_ctx c = { sw_rt.stats, ev->history, ev->run.start_time > 0 ? "stopped" : "ready",
                        0, now };
    if (sw_rt.opts.json_file && sw_export_result_file(sw_rt.opts.json_file, &c, &ev->run) != 0) {
        sw_logf(SW_LOG_ERROR, "cannot write the JSON result %s: %s", sw_rt.opts.json_file,
                strerror(errno));
        failed++;
    }
    if (sw_rt.opts.html_file && sw_html_write(sw_rt.opts.html_file, &c, &ev->run) != 0) {
        sw_logf(SW_LOG_ERROR, "cannot write the HTML report %s: %s", sw_rt.opts.html_file,
                strerror(errno));
        failed++;
    }
    double dur = ev->run.start_time > 0 ? now - ev->run.start_time : 0;
    if (sw_rt.opts.junit_file && sw_thr_junit(sw_rt.opts.junit_file, sw_rt.stats, dur) != 0) {
        sw_logf(SW_LOG_ERROR, "cannot write the JUnit XML %s: %s", sw_rt.opts.junit_file,
                strerror(errno));
        failed++;
    }
    return failed;
}

/* The last gasp when the process aborts (out of memory): the files, as far
 * as they can still be written (guard.h). */
static void last_gasp(void)
{
    run_events *ev = &EV;
    fputs("swarm: aborting; writing what can still be written of the results\n", stderr);
    if (ev->run.start_time > 0 && ev->run.end_time <= 0)
        ev->run.end_time = sw_wall();
    if (ev->history)
        summary(ev);
}

/* Serve the web UI (web != 0); returns 0, or 2 after printing why not. */
static int serve(run_events *ev)
{
    char err[512];
    sw_web_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.host = sw_rt.opts.web_host;
    cfg.port = sw_rt.opts.web_port;
    cfg.auth = sw_rt.opts.web_auth;
    cfg.history = ev->history;
    cfg.run = &ev->run;
    cfg.hooks.start = web_start;
    cfg.hooks.stop = web_stop;
    cfg.hooks.reset = web_reset;
    cfg.hooks.arg = ev;
    if (sw_web_start(sw_rt.base, &cfg, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    if (!sw_web_is_loopback(cfg.host) && !cfg.auth)
        sw_logf(SW_LOG_WARNING, "the web UI listens on %s without --web-auth: anyone who can reach "
                "it can start a load test; pass --web-auth USER:PASS", cfg.host);
    const char *h = cfg.host;
    sw_logf(SW_LOG_INFO, "Web UI at http://%s%s%s:%d/", strchr(h, ':') ? "[" : "", h,
            strchr(h, ':') ? "]" : "", sw_web_port());
    return 0;
}

/* A headless run, or the web UI (starting at once with --users); returns
 * the exit status. */
static int run(int web)
{
    run_events *ev = &EV;
    int status = 2;
    memset(ev, 0, sizeof *ev);
    ev->web = web;
    ev->run.opts = &sw_rt.opts;
    ev->run.script = sw_rt.script->file;
    ev->run.host = sw_rt.opts.host ? sw_rt.opts.host : sw_rt.script->host;
    sw_runner_init(on_stopped, ev);
    ev->history = sw_history_new(sw_rt.base, sw_rt.stats, sw_runner_user_count);
    ev->sigint = evsignal_new(sw_rt.base, SIGINT, on_signal, ev);
    ev->sigterm = evsignal_new(sw_rt.base, SIGTERM, on_signal, ev);
    ev->deadline = evtimer_new(sw_rt.base, on_deadline, NULL);
    if (!ev->history || !ev->sigint || !ev->sigterm || !ev->deadline
        || evsignal_add(ev->sigint, NULL) || evsignal_add(ev->sigterm, NULL)) {
        fprintf(stderr, "swarm: cannot install the signal handlers and timers\n");
        goto out;
    }
    if (web && serve(ev) != 0)
        goto out;
    sw_guard_on_abort(last_gasp);
    if (web ? sw_rt.opts.print_stats : !sw_rt.opts.only_summary) {
        ev->print = event_new(sw_rt.base, -1, EV_PERSIST, on_print, NULL);
        if (ev->print)
            sw_timer_ms(ev->print, SW_PRINT_EVERY_S * 1000.0);
    }
    if (sw_thr_watch(sw_rt.base, on_threshold_abort, ev) != 0) {
        fprintf(stderr, "swarm: cannot install the threshold timer\n");
        goto out;
    }
    if (sw_self_start(sw_rt.base) != 0) {
        fprintf(stderr, "swarm: cannot start the self-check probe\n");
        goto out;
    }
    int start_now = !web || sw_rt.opts.users >= 0;
    if (start_now) {
        if (sw_rt.opts.run_time_ms >= 0)
            sw_timer_ms(ev->deadline, sw_rt.opts.run_time_ms);
        sw_logf(SW_LOG_INFO, "Starting %s: %d users at %.2f users/s%s", sw_rt.script->file,
                sw_rt.opts.users, sw_rt.opts.hatch_rate,
                sw_rt.opts.run_time_ms >= 0 ? "" : " until stopped (Ctrl-C)");
        if (sw_arr_enabled() && sw_plan_has_shape())   /* issue 10: the stages set both */
            sw_logf(SW_LOG_INFO, "Open model: %.2f iterations/s to begin with; the shape's "
                    "stages set the rate and the pool", sw_arr_rate());
        else if (sw_arr_enabled())
            sw_logf(SW_LOG_INFO, "Open model: %.2f iterations/s on a pool of %d users",
                    sw_arr_rate(), sw_rt.opts.users);
        ev->run.start_time = sw_wall();
        sw_history_start(ev->history);
        if (sw_plan_has_shape())            /* issue 9: stages replace --users */
            sw_plan_shape_start();
        else if (sw_runner_start(sw_rt.opts.users, sw_rt.opts.hatch_rate) != 0) {
            fprintf(stderr, "swarm: the run could not start\n");
            goto out;
        }
    }
    if (web || sw_runner_state() != SW_RUN_STOPPED)
        event_base_dispatch(sw_rt.base);
    if (ev->print)
        event_del(ev->print);
    /* From here on a late signal (a second Ctrl-C, `timeout` signalling the
     * whole process group) must not kill the process before the summary and
     * the files are written. */
    sigset_t both;
    sigemptyset(&both);
    sigaddset(&both, SIGINT);
    sigaddset(&both, SIGTERM);
    sigprocmask(SIG_BLOCK, &both, NULL);    /* no gap while the handlers change */
    event_free(ev->sigint);
    event_free(ev->sigterm);
    ev->sigint = ev->sigterm = NULL;
    signal(SIGINT, SIG_IGN);                /* also discards a pending one */
    signal(SIGTERM, SIG_IGN);
    sigprocmask(SIG_UNBLOCK, &both, NULL);
    sw_web_free();              /* no request is answered from here on */
    if (is_active(sw_runner_state()) || sw_runner_state() == SW_RUN_STOPPING) {
        sw_history_stop(ev->history);
        ev->run.end_time = sw_wall();
    }
    sw_runner_free();           /* aborts whatever is still in flight */
    /* Out of descriptors must not cost the results: close every connection
     * (curl's idle cache too) and give back the reserve before writing. */
    sw_http_free(sw_rt.http);
    sw_rt.http = NULL;
    sw_guard_on_abort(NULL);
    sw_guard_release();
    int unwritten = summary(ev);
    uint64_t fails = sw_stats_total_failures(sw_rt.stats);
    uint64_t errs = sw_stats_total_exceptions(sw_rt.stats);
    status = (fails || errs) ? sw_rt.opts.exit_code_on_error : 0;
    if (sw_thr_eval(sw_rt.stats, NULL) > 0)
        status = 3;             /* a failed threshold takes precedence over 1 */
    if (sw_ctl_quit_status() >= 0)          /* issue 9: `quit STATUS` is the script's word */
        status = sw_ctl_quit_status();
    if (unwritten)
        status = 2;             /* a result file asked for is missing: nothing else can be trusted */
    sw_logf(SW_LOG_INFO, "Shutting down (exit code %d)", status);
    /* The signals stay ignored until the process exits: `timeout` sends its
     * signal a second time to the whole group, possibly this late. */
out:
    sw_guard_on_abort(NULL);
    sw_web_free();
    sw_runner_free();
    sw_thr_unwatch();
    events_free(ev);
    sw_history_free(ev->history);
    free(ev->host);
    free(ev->next_host);
    sw_rt.opts.host = NULL;
    memset(ev, 0, sizeof *ev);
    return status;
}

/* Cluster (issue 7): the master listens, waits for --expect-slaves before
 * a run that starts at once, runs as usual (the runner hands the users to
 * the slaves), then tells the slaves to quit. */
static int master_run(int web)
{
    char err[512];
    int status = 2;
    if (sw_master_setup(err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        goto out;
    }
    status = 1;
    if ((!web || sw_rt.opts.users >= 0)
        && sw_master_wait(sw_rt.opts.expect_slaves, sw_rt.opts.expect_wait_ms) != 0)
        goto out;
    status = run(web);
out:
    sw_master_quit();
    sw_master_free();
    return status;
}

/* The directory a file named by an option will be written into must exist
 * and be writable, or the run would end without the files asked for. Says
 * which option to fix and returns 0 when it is not. */
static int dir_writable(const char *opt, const char *path)
{
    if (!path)
        return 1;
    size_t n = strlen(path);
    char *dir = malloc(n + 2);
    if (!dir)
        return 0;
    memcpy(dir, path, n + 1);
    char *slash = strrchr(dir, '/');
    if (!slash)
        strcpy(dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    int ok = access(dir, W_OK | X_OK) == 0;
    if (!ok)
        fprintf(stderr, "swarm: %s %s: cannot write into directory '%s' (%s); "
                "create it or choose another path\n", opt, path, dir, strerror(errno));
    free(dir);
    return ok;
}

static int outputs_writable(const sw_opts *o)
{
    return dir_writable("--csv", o->csv_prefix) && dir_writable("--json", o->json_file)
           && dir_writable("--html", o->html_file) && dir_writable("--junit", o->junit_file);
}

/* stats.h's warnings (the entry cap) go to the log like every other line. */
static void stats_warn(const char *msg)
{
    sw_logf(SW_LOG_WARNING, "%s", msg);
}

int sw_main(sw_script *script, int argc, char **argv)
{
    char err[512];
    sw_opts o;
    /* A peer that hangs up (a web client mid-download, `| head` on stdout)
     * makes a write fail with EPIPE; it must not end the run. */
    signal(SIGPIPE, SIG_IGN);
    if (sw_conf_argv(argc, argv, &argc, &argv, err, sizeof err) != 0) {   /* issue 9 */
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    sw_cli_status st = sw_cli_parse(argc, argv, &o, err, sizeof err);
    if (st == SW_CLI_HELP) {
        const char *prog = argc > 0 && argv[0] ? strrchr(argv[0], '/') : NULL;
        sw_cli_help(stdout, prog ? prog + 1 : (argc > 0 ? argv[0] : NULL));
        return 0;
    }
    if (st == SW_CLI_VERSION) {
        sw_cli_version(stdout);
        if (script->hash)           /* a cluster's slaves must show the same (issue 7) */
            printf("script hash %s\n", script->hash);
        return 0;
    }
    if (st == SW_CLI_ERROR) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    if (!outputs_writable(&o))
        return 2;
    if (o.logfile && !(sw_log_file = fopen(o.logfile, "a"))) {   /* issue 9 */
        fprintf(stderr, "swarm: cannot write the log file %s: %s\n", o.logfile, strerror(errno));
        return 2;
    }
    /* cluster (issue 7): --processes forks before anything else exists */
    if (o.processes) {
        int kid = sw_procs_fork(&o, err, sizeof err);
        if (kid < 0) {
            fprintf(stderr, "%s\n", err);
            return 2;
        }
        if (kid == 0 && o.role == SW_SLAVE)
            return sw_procs_supervise();
    }
    memset(&sw_rt, 0, sizeof sw_rt);
    sw_rt.opts = o;
    sw_rt.script = script;
    if (o.http_engine >= 0)
        sw_client_set_mode(o.http_engine);   /* else SWARM_HTTP_ENGINE, else auto */
    sw_rt.t0 = sw_wall();
    (void)sw_clock_ms();        /* starts the monotonic clock */
    if (!script_runnable(script))
        return 2;
    sw_guard_reserve();
    if (o.users >= 0)
        sw_guard_fd_limit(o.users);
    if (!sw_rt.opts.seed_given)
        sw_rt.opts.seed = clock_seed();
    sw_rng_seed(sw_rt.opts.seed);
    sw_logf(SW_LOG_DEBUG, "random seed %llu (pass --seed %llu to repeat this run)",
            (unsigned long long)sw_rt.opts.seed, (unsigned long long)sw_rt.opts.seed);

    if (sw_thr_setup(script, &sw_rt.opts, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    /* issue 10: the open model when --rate or the script's `arrival` says so;
     * a master splits it over its slaves, which run the share they are sent;
     * a shape's `arrival` stages turn it on too, at rate 0 until they raise it */
    if (o.arrival_rate > 0 && o.role == SW_SLAVE && !sw_procs_is_child()) {
        fprintf(stderr, "swarm: --rate belongs on the master's command line; a slave runs the "
                        "share of it that its master sends\n");
        return 2;
    }
    if (o.role != SW_SLAVE) {
        sw_arr_configure(o.arrival_rate > 0 ? o.arrival_rate : script->arrival_rate,
                         script->arrival_poisson);
        if (sw_plan_shape_arrival(script))
            sw_arr_enable();
    }
    sw_rt.base = sw_event_base_new();
    sw_rt.http = sw_rt.base ? sw_http_new(sw_rt.base) : NULL;
    sw_rt.h1 = sw_rt.base ? sw_h1_new(sw_rt.base) : NULL;
    sw_stats_warn = stats_warn;
    sw_rt.stats = sw_stats_new();
    if (sw_rt.http) {                   /* issue 9: TLS options */
        const char *ca = o.ca_file ? o.ca_file : getenv("SSL_CERT_FILE");
        sw_http_tls(sw_rt.http, !(o.insecure || script->tls_noverify), ca && *ca ? ca : NULL);
    }
    if (!sw_rt.base || !sw_rt.http || !sw_rt.h1 || !sw_rt.stats) {
        fprintf(stderr, "swarm: cannot set up the event loop and HTTP client; the run could not start\n");
        rt_free();
        return 2;
    }
    if (sw_data_load_all(script, o.data_dir, err, sizeof err) != 0) {   /* issue 9 */
        fprintf(stderr, "swarm: %s; the run could not start\n", err);
        rt_free();
        return 2;
    }
    if (sw_plan_init(o.tags, o.exclude_tags, script, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        rt_free();
        return 2;
    }
    if (script->init) {
        sw_clear_last_error();
        sw_rt.cur = NULL;
        script->init();
        if (sw_last_error()[0]) {
            sw_loc at = sw_last_error_loc();
            if (at.line > 0)
                fprintf(stderr, "swarm: %s:%d:%d: error in the script's global initialisation: %s\n",
                        script->file ? script->file : "script", at.line, at.col, sw_last_error());
            else
                fprintf(stderr, "swarm: %s: error in the script's global initialisation: %s\n",
                        script->file ? script->file : "script", sw_last_error());
            rt_free();
            return 2;
        }
    }
    int status = o.role == SW_SLAVE ? sw_slave_main()
               : o.role == SW_MASTER ? master_run(!o.headless) : run(!o.headless);
    rt_free();
    if (o.processes && !sw_procs_is_child())
        sw_procs_reap(5000);
    return status;
}
