/*
 * slave.c -- the slave role (see slave.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "arrival.h"
#include "cli.h"
#include "clx.h"
#include "control.h"
#include "data.h"
#include "msg.h"
#include "procs.h"
#include "report.h"
#include "runner.h"
#include "selfcheck.h"
#include "slave.h"
#include "stats.h"
#include "wstats.h"
#include "zsock.h"

#define MAX_WARNED 32               /* unknown class names warned about */

static struct {
    sw_zs *zs;                      /* DEALER to the master */
    char endpoint[300];             /* tcp://host:port */
    int acked;                      /* the master answered client_ready */
    int index;                      /* from ack */
    int swarm_master;               /* the ack carried Swarm's key */
    double last_spawn_ts;           /* newest applied spawn timestamp */
    double last_heard_ms;           /* sw_clock_ms of the master's last message */
    int link_up;                    /* the connection to the master is up (zsock's monitor) */
    double link_down_ms;            /* sw_clock_ms since which it is down */
    struct event *hb, *report, *ready, *watch, *sigint, *sigterm;
    int signals;                    /* SIGINT/SIGTERM received */
    int quitting;                   /* leave once the users stopped */
    int reply_stopped;              /* the master asked stop: answer when stopped */
    int lost_master;                /* stopping because the master is gone */
    int status;                     /* exit status decided so far (-1: by the stats) */
    int *counts;                    /* per class: users asked for */
    int pending;                    /* counts came while users were stopping: apply after */
    char *host;                     /* host from the master's spawn (owned) */
    char *warned[MAX_WARNED]; int nwarned;  /* unknown class names (owned) */
    int bad_logged;                 /* a malformed message from the master was logged */
} S;

static char NODE_ID[SW_MSG_ID_MAX];

const char *sw_slave_node_id(void)
{
    if (NODE_ID[0])
        return NODE_ID;
    char host[128] = "localhost";
    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = '\0';
    for (char *p = host; *p; p++)
        if (*p == '_' || (unsigned char)*p < 33)
            *p = '-';
    unsigned char rnd[16];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, rnd, sizeof rnd) : -1;
    if (fd >= 0)
        close(fd);
    if (got != (ssize_t)sizeof rnd) {
        uint64_t x = (uint64_t)getpid() * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(sw_wall() * 1e6);
        for (size_t i = 0; i < sizeof rnd; i++) {
            x ^= x >> 29; x *= 0xbf58476d1ce4e5b9ULL;
            rnd[i] = (unsigned char)(x >> 56);
        }
    }
    int n = snprintf(NODE_ID, sizeof NODE_ID, "%s_", host);
    for (size_t i = 0; i < sizeof rnd && n + 2 < (int)sizeof NODE_ID; i++)
        n += snprintf(NODE_ID + n, sizeof NODE_ID - (size_t)n, "%02x", rnd[i]);
    return NODE_ID;
}

/* ---- sending ---- */

static void send_w(sw_msg_w *w)
{
    if (S.zs)
        sw_zs_send(S.zs, NULL, w->sb.data, w->sb.size);
    sw_msg_w_free(w);
}

static void send_nil(const char *type)
{
    sw_msg_w w;
    sw_msg_w_begin(&w, type);
    msgpack_pack_nil(&w.pk);
    sw_msg_w_end(&w, sw_slave_node_id());
    send_w(&w);
}

static void send_ready(void)
{
    sw_msg_w w;
    sw_msg_w_begin(&w, "client_ready");
    msgpack_pack_int(&w.pk, -1);            /* skips Locust's version check */
    sw_msg_w_end(&w, sw_slave_node_id());
    send_w(&w);
}

static const char *state_word(void)
{
    switch (sw_runner_state()) {
    case SW_RUN_HATCHING: return "spawning";
    case SW_RUN_RUNNING: return "running";
    case SW_RUN_STOPPING: return "stopping";
    default: return "ready";
    }
}

/* CPU (the self-check's last second, selfcheck.h) and resident memory. */
static void usage(double *cpu, int64_t *mem)
{
    *cpu = sw_self_cpu_percent();
    *mem = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, rss = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &rss) == 2)
            *mem = (int64_t)rss * sysconf(_SC_PAGESIZE);
        fclose(f);
    }
}

static void send_heartbeat(void)
{
    double cpu;
    int64_t mem;
    usage(&cpu, &mem);
    sw_msg_w w;
    sw_msg_w_begin(&w, "heartbeat");
    msgpack_pack_map(&w.pk, 4);
    sw_msg_kv_str(&w.pk, "state", state_word());
    sw_msg_kv_dbl(&w.pk, "current_cpu_usage", cpu);
    sw_msg_kv_int(&w.pk, "current_memory_usage", mem);
    sw_msg_pack_str(&w.pk, "swarm");
    msgpack_pack_map(&w.pk, 3);
    sw_msg_kv_int(&w.pk, "proto", SW_MSG_PROTO);
    sw_msg_kv_str(&w.pk, "version", SW_VERSION);
    sw_msg_kv_str(&w.pk, "script", sw_rt.script->hash ? sw_rt.script->hash : "");
    sw_msg_w_end(&w, sw_slave_node_id());
    send_w(&w);
}

/* Exceptions go to a Locust master as `exception` messages (one per
 * occurrence, at most 100 per report); a Swarm master gets them inside
 * the report, with their counts. */
static void send_exceptions(const sw_stats *d)
{
    sw_stats_error *xs = NULL;
    size_t n = sw_stats_exceptions(d, &xs);
    int sent = 0;
    for (size_t i = 0; i < n; i++) {
        for (uint64_t k = 0; k < xs[i].count && sent < 100; k++, sent++) {
            sw_msg_w w;
            sw_msg_w_begin(&w, "exception");
            msgpack_pack_map(&w.pk, 2);
            sw_msg_kv_str(&w.pk, "msg", xs[i].message ? xs[i].message : "");
            sw_msg_kv_str(&w.pk, "traceback", xs[i].where ? xs[i].where : "");
            sw_msg_w_end(&w, sw_slave_node_id());
            send_w(&w);
        }
    }
    free(xs);
}

/* A Swarm master's extra report (clx.h), right after the stats. */
static void send_extras(void)
{
    sw_msg_w w;
    sw_msg_w_begin(&w, SW_CLX_TYPE);
    sw_clx_pack(&w.pk);
    sw_msg_w_end(&w, sw_slave_node_id());
    send_w(&w);
}

/* The delta since the last report, sent (or dropped when the master it
 * belonged to is gone). */
static void send_stats(void)
{
    sw_stats *d = sw_stats_delta(sw_rt.stats);
    if (!d)
        return;
    if (!S.lost_master) {
        int n = sw_rt.script->nclasses;
        const char **names = calloc((size_t)n + 1, sizeof *names);
        int *live = calloc((size_t)n + 1, sizeof *live);
        if (names && live) {
            int users = sw_runner_user_count();
            for (int i = 0; i < n; i++) {
                names[i] = sw_rt.script->classes[i].name;
                live[i] = S.counts[i];
            }
            /* the counts asked for, capped at the users that run */
            int sum = 0;
            for (int i = 0; i < n; i++) {
                if (sum + live[i] > users)
                    live[i] = users - sum > 0 ? users - sum : 0;
                sum += live[i];
            }
            sw_msg_w w;
            sw_msg_w_begin(&w, "stats");
            sw_wstats_pack(&w.pk, d, names, live, n, S.swarm_master);
            sw_msg_w_end(&w, sw_slave_node_id());
            send_w(&w);
            if (!S.swarm_master)
                send_exceptions(d);
            else
                send_extras();
        }
        free(names);
        free(live);
    }
    sw_stats_free(d);
}

/* ---- the socket ---- */

static void on_message(void *arg, const void *id, size_t idlen, const void *data, size_t len);

/* The connection to the master went up or down (zsock's monitor; a lost
 * connection includes 4 s without an answer to ZeroMQ's heartbeats). */
static void on_link(void *arg, int up)
{
    (void)arg;
    S.link_up = up;
    if (up)
        return;
    S.link_down_ms = sw_clock_ms();
    if (S.acked)
        sw_logf(SW_LOG_INFO, "Lost the connection to the master at %s", S.endpoint);
}

static int open_socket(void)
{
    if (S.zs)
        sw_zs_free(S.zs, 0);
    S.link_up = 0;
    S.link_down_ms = sw_clock_ms();
    S.zs = sw_zs_new(sw_rt.base, 0, sw_slave_node_id(), on_message, NULL);
    if (S.zs && sw_zs_monitor(S.zs, on_link, NULL) != 0)
        sw_logf(SW_LOG_WARNING, "cannot watch the connection to the master (%s): a dead Locust "
                "master will not be noticed", sw_zs_strerror());
    if (!S.zs || sw_zs_connect(S.zs, S.endpoint) != 0) {
        fprintf(stderr, "swarm: cannot connect to the master at %s: %s; check --master-host "
                "and --master-port\n", S.endpoint, sw_zs_strerror());
        return -1;
    }
    S.acked = 0;
    send_ready();
    sw_timer_ms(S.ready, SW_SLAVE_READY_MS);
    return 0;
}

static void finish(void)
{
    event_base_loopexit(sw_rt.base, NULL);
}

static int active(void);

/* Counts that came while users were stopping, applied now. */
static void apply_pending(void)
{
    if (!S.pending || S.quitting)
        return;
    S.pending = 0;
    int asked = 0;
    for (int i = 0; i < sw_rt.script->nclasses; i++)
        asked += S.counts[i];
    if (asked > 0)
        sw_runner_start_counts(S.counts, 1e9);
}

/* The runner stopped: answer the master, or leave. */
static void on_stopped(void *arg)
{
    (void)arg;
    if (S.lost_master) {
        sw_stats *d = sw_stats_delta(sw_rt.stats);   /* nobody to send it to */
        sw_stats_free(d);
        S.lost_master = 0;
        apply_pending();
        return;
    }
    send_stats();
    if (S.quitting) {
        send_nil("quit");
        finish();
        return;
    }
    if (S.reply_stopped) {
        S.reply_stopped = 0;
        send_nil("client_stopped");
        send_ready();
    }
    apply_pending();
}

static int active(void)
{
    sw_run_state st = sw_runner_state();
    return st == SW_RUN_HATCHING || st == SW_RUN_RUNNING || st == SW_RUN_STOPPING;
}

static void quit_now(void)
{
    S.quitting = 1;
    if (active())
        sw_runner_stop();
    else
        on_stopped(NULL);
}

static int class_by_name(const char *s, size_t n)
{
    for (int i = 0; i < sw_rt.script->nclasses; i++) {
        const char *c = sw_rt.script->classes[i].name;
        if (strlen(c) == n && memcmp(c, s, n) == 0)
            return i;
    }
    return -1;
}

static void warn_unknown(const char *s, size_t n)
{
    for (int i = 0; i < S.nwarned; i++)
        if (strlen(S.warned[i]) == n && memcmp(S.warned[i], s, n) == 0)
            return;
    if (S.nwarned < MAX_WARNED) {
        S.warned[S.nwarned] = strndup(s, n);
        if (S.warned[S.nwarned])
            S.nwarned++;
    }
    sw_logf(SW_LOG_WARNING, "the master asks for user class '%.*s', which this script does not "
            "have; its users run as the script's classes, by weight", (int)(n > 100 ? 100 : n), s);
}

/* A Swarm master's open model: this slave's share of the rate (before its
 * users start, so they join the pool). A share of 0 (no users here, or a
 * shape's `arrival` ramp at 0) keeps the open model on with no arrivals
 * for now (sw_arr_steer). */
static void arrival_share(const msgpack_object *a)
{
    double r;
    if (!a || sw_msg_num(sw_msg_get(a, "rate"), &r) < 0 || !(r >= 0) || r > 1e7)
        return;
    const msgpack_object *p = sw_msg_get(a, "poisson");
    int poisson = p && p->type == MSGPACK_OBJECT_BOOLEAN && p->via.boolean;
    if (!sw_arr_enabled()) {
        sw_arr_configure(r, poisson);
        sw_arr_enable();
        sw_logf(SW_LOG_INFO, "Open model: %.2f iterations/s on this slave", r);
    } else if (fabs(r - sw_arr_rate()) > 1e-9) {
        sw_arr_steer(r);
    }
}

static void on_spawn(const msgpack_object *d)
{
    send_nil("spawning");
    double ts;
    const msgpack_object *ucc = sw_msg_get(d, "user_classes_count");
    if (sw_msg_num(sw_msg_get(d, "timestamp"), &ts) < 0 || !ucc || ucc->type != MSGPACK_OBJECT_MAP) {
        if (!S.bad_logged++)
            sw_logf(SW_LOG_WARNING, "the master sent a spawn without timestamp or "
                    "user_classes_count; ignored");
        return;
    }
    if (ts <= S.last_spawn_ts)
        return;                             /* older or equal: as Locust's workers */
    int n = sw_rt.script->nclasses;
    int *c = calloc((size_t)n + 1, sizeof *c), *w = calloc((size_t)n + 1, sizeof *w);
    int *part = calloc((size_t)n + 1, sizeof *part);
    if (!c || !w || !part)
        goto out;
    for (int i = 0; i < n; i++)
        w[i] = sw_rt.script->classes[i].weight;
    for (uint32_t i = 0; i < ucc->via.map.size; i++) {
        const char *s;
        size_t sl;
        uint64_t k;
        if (sw_msg_str(&ucc->via.map.ptr[i].key, &s, &sl) < 0
            || sw_msg_u64(&ucc->via.map.ptr[i].val, &k) < 0 || k > 10000000)
            continue;
        int ci = class_by_name(s, sl);
        if (ci >= 0) {
            c[ci] += (int)k;
        } else if (k > 0) {
            warn_unknown(s, sl);
            sw_runner_split(w, n, (int)k, part);
            for (int j = 0; j < n; j++)
                c[j] += part[j];
        }
    }
    S.last_spawn_ts = ts;
    const msgpack_object *h = sw_msg_get(d, "host");
    char *host = sw_msg_strdup(h);
    if (host && sw_cli_valid_url(host)) {
        free(S.host);
        S.host = host;
        sw_rt.opts.host = S.host;
    } else {
        free(host);
    }
    const msgpack_object *sd = sw_msg_get(d, "swarm_stride");   /* a Swarm master's: [k, n] */
    uint64_t k, nn;
    if (sd && sd->type == MSGPACK_OBJECT_ARRAY && sd->via.array.size == 2
        && sw_msg_u64(&sd->via.array.ptr[0], &k) == 0 && sw_msg_u64(&sd->via.array.ptr[1], &nn) == 0
        && k < nn && nn <= 100000)
        sw_data_stride((int)k, (int)nn);
    double st;
    if (sw_msg_num(sw_msg_get(d, "stop_timeout"), &st) == 0 && st >= 0 && st < 1e6)
        sw_rt.opts.stop_timeout_ms = st * 1000.0;
    arrival_share(sw_msg_get(d, "swarm_arrival"));
    memcpy(S.counts, c, (size_t)n * sizeof *c);
    int asked = 0;
    for (int i = 0; i < n; i++)
        asked += c[i];
    S.pending = 0;
    if (sw_runner_state() == SW_RUN_STOPPING)
        S.pending = 1;                      /* applied once the stop is over */
    else if (asked > 0 || active()) {       /* nothing asked of an idle slave: no test starts */
        if (!active())
            sw_self_reset();                /* a new test: its own self-check */
        sw_runner_start_counts(c, 1e9);     /* the master ramps: apply at once */
    }
    int total = 0;
    sw_msg_w m;
    sw_msg_w_begin(&m, "spawning_complete");
    msgpack_pack_map(&m.pk, 2);
    sw_msg_pack_str(&m.pk, "user_classes_count");
    msgpack_pack_map(&m.pk, (size_t)n);
    for (int i = 0; i < n; i++) {
        sw_msg_kv_int(&m.pk, sw_rt.script->classes[i].name, c[i]);
        total += c[i];
    }
    sw_msg_kv_int(&m.pk, "user_count", total);
    sw_msg_w_end(&m, sw_slave_node_id());
    send_w(&m);
out:
    free(c);
    free(w);
    free(part);
}

static void on_message(void *arg, const void *id, size_t idlen, const void *data, size_t len)
{
    (void)arg; (void)id; (void)idlen;
    sw_msg m;
    char why[200];
    if (sw_msg_decode(&m, data, len, why, sizeof why) != 0) {
        if (!S.bad_logged++)
            sw_logf(SW_LOG_WARNING, "dropped a malformed message from the master: %s", why);
        return;
    }
    S.last_heard_ms = sw_clock_ms();
    if (strcmp(m.type, "ack") == 0) {
        uint64_t idx = 0;
        if (sw_msg_u64(sw_msg_get(m.data, "index"), &idx) == 0 && idx < 2000)
            S.index = (int)idx;
        int again = S.acked;
        S.acked = 1;
        S.swarm_master = sw_msg_get(m.data, "swarm") != NULL;
        event_del(S.ready);
        sw_runner_set_id_base(S.index * SW_RUNNER_ID_STRIDE);
        if (!again)
            sw_logf(SW_LOG_INFO, "Connected to the %s master at %s as %s (index %d)",
                    S.swarm_master ? "Swarm" : "Locust", S.endpoint, sw_slave_node_id(), S.index);
        send_heartbeat();
        sw_timer_ms(S.hb, SW_SLAVE_HEARTBEAT_MS);
    } else if (strcmp(m.type, "spawn") == 0) {
        on_spawn(m.data);
    } else if (strcmp(m.type, "stop") == 0) {
        S.pending = 0;
        if (active()) {
            S.reply_stopped = 1;
            sw_runner_stop();
        } else {
            S.reply_stopped = 1;
            on_stopped(NULL);
        }
    } else if (strcmp(m.type, "quit") == 0) {
        sw_logf(SW_LOG_INFO, "The master says quit; stopping");
        quit_now();
    } else if (strcmp(m.type, "reconnect") == 0) {
        sw_logf(SW_LOG_INFO, "The master asks for a new connection");
        open_socket();
    } else if (strcmp(m.type, "swarm_refuse") == 0) {
        const char *s = "";
        size_t n = 0;
        sw_msg_str(sw_msg_get(m.data, "reason"), &s, &n);
        sw_logf(SW_LOG_ERROR, "the master at %s refused this slave: %.*s", S.endpoint,
                (int)(n > 300 ? 300 : n), s);
        S.status = 2;
        if (active())
            sw_runner_kill();
        finish();
    }
    /* heartbeat, spawning_complete and anything newer: nothing to do */
    sw_msg_free(&m);
}

/* `quit STATUS` in the script (control.h's seam): a Swarm master ends the
 * whole run with that status; under a Locust master (which has no such
 * message) this slave leaves with it. */
static void quit_hook(int status)
{
    if (S.acked && S.swarm_master) {
        sw_logf(SW_LOG_INFO, "The script quits with status %d: asking the master to end the run",
                status);
        sw_msg_w w;
        sw_msg_w_begin(&w, "swarm_quit");
        msgpack_pack_map(&w.pk, 1);
        sw_msg_kv_int(&w.pk, "status", status);
        sw_msg_w_end(&w, sw_slave_node_id());
        send_w(&w);
        return;
    }
    sw_logf(SW_LOG_INFO, "The script quits with status %d; this slave leaves", status);
    if (S.status < 0)
        S.status = status;
    quit_now();
}

/* ---- timers and signals ---- */

static void on_hb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what; (void)arg;
    if (S.acked) {
        send_heartbeat();
        sw_timer_ms(S.hb, SW_SLAVE_HEARTBEAT_MS);
    }
}

static void on_report(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what; (void)arg;
    if (S.acked)
        send_stats();
}

static void on_ready(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what; (void)arg;
    if (!S.acked) {
        send_ready();
        sw_timer_ms(S.ready, SW_SLAVE_READY_MS);
    }
}

/* Is the master gone? A Swarm master heartbeats every second: silence
 * means gone. A Locust master sends nothing while it has nothing to say,
 * so only a lost connection counts: down for SW_SLAVE_MASTER_GONE_MS (and
 * nothing heard meanwhile, in case the monitor's news lags a message). */
static void on_watch(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what; (void)arg;
    double now = sw_clock_ms();
    if (!S.acked || now - S.last_heard_ms < SW_SLAVE_MASTER_GONE_MS)
        return;
    if (S.swarm_master)
        sw_logf(SW_LOG_WARNING, "The master at %s was silent for %d s: stopping the users and "
                "reconnecting", S.endpoint, SW_SLAVE_MASTER_GONE_MS / 1000);
    else if (!S.link_up && now - S.link_down_ms >= SW_SLAVE_MASTER_GONE_MS)
        sw_logf(SW_LOG_WARNING, "The connection to the master at %s was lost for %d s: stopping "
                "the users and reconnecting", S.endpoint, SW_SLAVE_MASTER_GONE_MS / 1000);
    else
        return;
    event_del(S.hb);
    if (active()) {
        S.lost_master = 1;
        sw_runner_stop();
    } else {
        sw_stats_free(sw_stats_delta(sw_rt.stats));
    }
    S.last_spawn_ts = 0;
    S.reply_stopped = 0;
    S.pending = 0;
    open_socket();
}

static void on_signal(evutil_socket_t fd, short what, void *arg)
{
    (void)what; (void)arg;
    if (++S.signals == 1) {
        sw_logf(SW_LOG_INFO, "Got %s, stopping the users and leaving the cluster",
                fd == SIGINT ? "SIGINT" : "SIGTERM");
        quit_now();
    } else {
        sw_logf(SW_LOG_WARNING, "Got a second signal, cancelling everything");
        sw_runner_kill();
        finish();
    }
}

int sw_slave_main(void)
{
    int n = sw_rt.script->nclasses;
    memset(&S, 0, sizeof S);
    S.status = -1;
    S.counts = calloc((size_t)n + 1, sizeof *S.counts);
    const char *h = sw_rt.opts.master_host;
    snprintf(S.endpoint, sizeof S.endpoint, strchr(h, ':') ? "tcp://[%s]:%d" : "tcp://%s:%d", h,
             sw_rt.opts.master_port);
    sw_runner_init(on_stopped, NULL);
    S.hb = evtimer_new(sw_rt.base, on_hb, NULL);
    S.report = event_new(sw_rt.base, -1, EV_PERSIST, on_report, NULL);
    S.ready = evtimer_new(sw_rt.base, on_ready, NULL);
    S.watch = event_new(sw_rt.base, -1, EV_PERSIST, on_watch, NULL);
    S.sigint = evsignal_new(sw_rt.base, SIGINT, on_signal, NULL);
    S.sigterm = evsignal_new(sw_rt.base, SIGTERM, on_signal, NULL);
    int status = 2;
    if (!S.counts || !S.hb || !S.report || !S.ready || !S.watch || !S.sigint || !S.sigterm
        || evsignal_add(S.sigint, NULL) || evsignal_add(S.sigterm, NULL)) {
        fprintf(stderr, "swarm: cannot set up the slave's timers; the run could not start\n");
        goto out;
    }
    sw_ctl_quit_hook = quit_hook;
    sw_logf(SW_LOG_INFO, "Slave %s connecting to the master at %s", sw_slave_node_id(), S.endpoint);
    if (open_socket() != 0)
        goto out;
    sw_timer_ms(S.report, SW_SLAVE_REPORT_MS);
    sw_timer_ms(S.watch, 1000);
    if (sw_self_start(sw_rt.base) != 0)     /* its figures go in each swarm_report */
        sw_logf(SW_LOG_WARNING, "cannot start the self-check probe; its figures stay 0");
    event_base_dispatch(sw_rt.base);
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    sw_runner_free();
    if (!sw_procs_is_child()) {             /* --processes: the master prints */
        sw_report_table(stdout, sw_rt.stats, 0);
        fflush(stdout);
    }
    uint64_t fails = sw_stats_total_failures(sw_rt.stats);
    uint64_t errs = sw_stats_total_exceptions(sw_rt.stats);
    status = S.status >= 0 ? S.status : (fails || errs) ? sw_rt.opts.exit_code_on_error : 0;
    sw_logf(SW_LOG_INFO, "Slave done: %llu requests, %llu failures (exit code %d)",
            (unsigned long long)sw_stats_total_requests(sw_rt.stats),
            (unsigned long long)fails, status);
out:
    sw_ctl_quit_hook = NULL;
    sw_runner_free();
    sw_self_stop();
    if (S.zs)
        sw_zs_free(S.zs, 2000);             /* lets the last report and quit go out */
    S.zs = NULL;
    sw_zs_term();
    event_free(S.hb);
    event_free(S.report);
    event_free(S.ready);
    event_free(S.watch);
    if (S.sigint) event_free(S.sigint);
    if (S.sigterm) event_free(S.sigterm);
    for (int i = 0; i < S.nwarned; i++)
        free(S.warned[i]);
    free(S.counts);
    if (sw_rt.opts.host == S.host)
        sw_rt.opts.host = NULL;
    free(S.host);
    memset(&S, 0, sizeof S);
    return status;
}
