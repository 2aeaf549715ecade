/*
 * main.c -- sw_main: the generated main() calls it. Parses the command
 * line, sets up sw_rt (event loop, HTTP, statistics, RNG), runs the
 * script's global initialisation, then a headless run: start the users,
 * print the table every 2 s, stop at --run-time or on SIGINT/SIGTERM, print
 * the summary, write the files, free everything, return the exit status.
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
#include "co.h"
#include "http.h"
#include "report.h"
#include "request.h"
#include "runner.h"
#include "stats.h"

#define SW_PRINT_EVERY_S 2

/* The events of a headless run (owned here, freed in run_free). */
typedef struct run_events {
    struct event *sigint, *sigterm;  /* stop, then kill */
    struct event *print;             /* stats table every 2 s */
    struct event *deadline;          /* --run-time */
    int signals;                     /* signals received so far */
} run_events;

static void on_stopped(void *arg)
{
    (void)arg;
    event_base_loopexit(sw_rt.base, NULL);
}

static void on_signal(evutil_socket_t fd, short what, void *arg)
{
    run_events *ev = arg;
    (void)what;
    if (++ev->signals == 1 && sw_runner_state() != SW_RUN_STOPPING) {
        sw_logf(SW_LOG_INFO, "Got %s, stopping (press Ctrl-C again to cancel everything at once)",
                fd == SIGINT ? "SIGINT" : "SIGTERM");
        sw_runner_stop();
    } else {
        sw_logf(SW_LOG_WARNING, "Got a second signal, cancelling everything");
        sw_runner_kill();
    }
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

static void events_free(run_events *ev)
{
    if (ev->sigint) event_free(ev->sigint);
    if (ev->sigterm) event_free(ev->sigterm);
    if (ev->print) event_free(ev->print);
    if (ev->deadline) event_free(ev->deadline);
}

static void rt_free(void)
{
    if (sw_rt.http)
        sw_http_free(sw_rt.http);
    if (sw_rt.stats)
        sw_stats_free(sw_rt.stats);
    if (sw_rt.base)
        event_base_free(sw_rt.base);
    sw_rt.http = NULL;
    sw_rt.stats = NULL;
    sw_rt.base = NULL;
    sw_req_shutdown();
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

static void summary(void)
{
    double now = sw_wall();
    sw_report_table(stdout, sw_rt.stats, now);
    sw_report_percentiles(stdout, sw_rt.stats);
    sw_report_failures(stdout, sw_rt.stats);
    fflush(stdout);
    if (sw_rt.opts.csv_prefix && sw_report_csv(sw_rt.opts.csv_prefix, sw_rt.stats, now) != 0)
        sw_logf(SW_LOG_ERROR, "cannot write the CSV files %s_*.csv: %s",
                sw_rt.opts.csv_prefix, strerror(errno));
    if (sw_rt.opts.html_file)
        sw_logf(SW_LOG_WARNING, "--html is not supported yet; %s was not written", sw_rt.opts.html_file);
    if (sw_rt.opts.json_file)
        sw_logf(SW_LOG_WARNING, "--json is not supported yet; %s was not written", sw_rt.opts.json_file);
}

static void arm_s(struct event *ev, double s)
{
    struct timeval tv;
    tv.tv_sec = (time_t)s;
    tv.tv_usec = (suseconds_t)((s - (double)tv.tv_sec) * 1e6);
    if (tv.tv_usec < 0) tv.tv_usec = 0;
    if (tv.tv_usec > 999999) tv.tv_usec = 999999;
    evtimer_add(ev, &tv);
}

/* The headless run; returns the exit status. */
static int headless(void)
{
    run_events ev;
    memset(&ev, 0, sizeof ev);
    sw_runner_init(on_stopped, NULL);
    ev.sigint = evsignal_new(sw_rt.base, SIGINT, on_signal, &ev);
    ev.sigterm = evsignal_new(sw_rt.base, SIGTERM, on_signal, &ev);
    if (!ev.sigint || !ev.sigterm || evsignal_add(ev.sigint, NULL) || evsignal_add(ev.sigterm, NULL)) {
        fprintf(stderr, "swarm: cannot install the signal handlers\n");
        events_free(&ev);
        sw_runner_free();
        return 2;
    }
    if (!sw_rt.opts.only_summary) {
        ev.print = event_new(sw_rt.base, -1, EV_PERSIST, on_print, NULL);
        if (ev.print)
            arm_s(ev.print, SW_PRINT_EVERY_S);
    }
    if (sw_rt.opts.run_time_ms >= 0) {
        ev.deadline = evtimer_new(sw_rt.base, on_deadline, NULL);
        if (ev.deadline)
            arm_s(ev.deadline, sw_rt.opts.run_time_ms / 1000.0);
    }
    sw_logf(SW_LOG_INFO, "Starting %s: %d users at %.2f users/s%s", sw_rt.script->file,
            sw_rt.opts.users, sw_rt.opts.hatch_rate,
            sw_rt.opts.run_time_ms >= 0 ? "" : " until stopped (Ctrl-C)");
    if (sw_runner_start(sw_rt.opts.users, sw_rt.opts.hatch_rate) != 0) {
        fprintf(stderr, "swarm: the run could not start\n");
        events_free(&ev);
        sw_runner_free();
        return 2;
    }
    if (sw_runner_state() != SW_RUN_STOPPED)
        event_base_dispatch(sw_rt.base);
    if (ev.print)
        event_del(ev.print);
    sw_runner_free();           /* aborts whatever is still in flight */
    events_free(&ev);
    summary();
    uint64_t fails = sw_stats_total_failures(sw_rt.stats);
    uint64_t errs = sw_stats_total_exceptions(sw_rt.stats);
    int status = (fails || errs) ? sw_rt.opts.exit_code_on_error : 0;
    sw_logf(SW_LOG_INFO, "Shutting down (exit code %d)", status);
    return status;
}

int sw_main(sw_script *script, int argc, char **argv)
{
    char err[512];
    sw_opts o;
    sw_cli_status st = sw_cli_parse(argc, argv, &o, err, sizeof err);
    if (st == SW_CLI_HELP) {
        const char *prog = argc > 0 && argv[0] ? strrchr(argv[0], '/') : NULL;
        sw_cli_help(stdout, prog ? prog + 1 : (argc > 0 ? argv[0] : NULL));
        return 0;
    }
    if (st == SW_CLI_VERSION) {
        sw_cli_version(stdout);
        return 0;
    }
    if (st == SW_CLI_ERROR) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    if (o.role == SW_MASTER || o.role == SW_SLAVE) {
        fprintf(stderr, "swarm: %s is not available yet in this version; run without it (pass --users N to run headless)\n",
                o.role == SW_MASTER ? "running as a master (--master)" : "running as a slave (--slave/--worker)");
        return 2;
    }
    if (!o.headless) {
        fprintf(stderr, "swarm: the web UI is not available yet; pass --users N (and --hatch-rate R, --run-time T) to run headless\n");
        return 2;
    }
    memset(&sw_rt, 0, sizeof sw_rt);
    sw_rt.opts = o;
    sw_rt.script = script;
    sw_rt.t0 = sw_wall();
    (void)sw_clock_ms();        /* starts the monotonic clock */
    if (!script_runnable(script))
        return 2;
    if (!sw_rt.opts.seed_given)
        sw_rt.opts.seed = clock_seed();
    sw_rng_seed(sw_rt.opts.seed);
    sw_logf(SW_LOG_DEBUG, "random seed %llu (pass --seed %llu to repeat this run)",
            (unsigned long long)sw_rt.opts.seed, (unsigned long long)sw_rt.opts.seed);

    sw_rt.base = event_base_new();
    sw_rt.http = sw_rt.base ? sw_http_new(sw_rt.base) : NULL;
    sw_rt.stats = sw_stats_new();
    if (!sw_rt.base || !sw_rt.http || !sw_rt.stats) {
        fprintf(stderr, "swarm: cannot set up the event loop and HTTP client; the run could not start\n");
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
    int status = headless();
    rt_free();
    return status;
}
