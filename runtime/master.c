/*
 * master.c -- the master role (see master.h).
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "arrival.h"
#include "cli.h"
#include "clx.h"
#include "control.h"
#include "export.h"
#include "master.h"
#include "mdist.h"
#include "mnode.h"
#include "msg.h"
#include "runner.h"
#include "selfcheck.h"
#include "stats.h"
#include "wstats.h"
#include "zsock.h"

typedef sw_mn_node node;

static struct {
    sw_zs *zs;                      /* ROUTER */
    int port;                       /* bound port */
    sw_mn_table t;                  /* every node ever seen (mnode.h) */
    int nclasses;
    int *class_target;              /* per class: users of the run */
    int want;                       /* users of the run (cluster-wide) */
    double rate;                    /* users/s, cluster-wide */
    int running;                    /* a run is on: the steps distribute users */
    int ramping;                    /* steps are changing counts */
    double next_step_ms;            /* earliest next step (sw_clock_ms) */
    double spawn_ts;                /* last spawn timestamp sent */
    struct event *step, *tick;
    void (*stop_done)(void);        /* runner waits for the slaves to stop */
    double stop_deadline_ms;        /* give up waiting for them then */
    char **bad_ids; int nbad;       /* unknown senders already logged (owned) */
    int bad_overflow;               /* more unknown senders than remembered */
    int waiting;                    /* sw_master_wait: slaves wanted (0: not waiting) */
    int quitting;                   /* sw_master_quit: waiting for quits */
    unsigned long frames_logged;    /* bad-frame-count drops already logged */
} M;

static void kick(void);
static void check_stopped(void);

/* ---------------------------------------------------------------- sending */

static void send_w(const node *n, sw_msg_w *w)
{
    sw_zs_send(M.zs, n->id, w->sb.data, w->sb.size);
    sw_msg_w_free(w);
}

static void send_nil(const node *n, const char *type)
{
    sw_msg_w w;
    sw_msg_w_begin(&w, type);
    msgpack_pack_nil(&w.pk);
    sw_msg_w_end(&w, n->id);
    send_w(n, &w);
}

static double share(const node *n);

/* The open model is on (users go to Swarm slaves only: mdist.h). */
static int open_model(void)
{
    return sw_arr_enabled();
}

static void send_spawn(node *n)
{
    double now = sw_wall();
    M.spawn_ts = now > M.spawn_ts ? now : M.spawn_ts + 1e-6;
    const char *host = sw_rt.opts.host ? sw_rt.opts.host : sw_rt.script->host;
    int open = open_model();
    sw_msg_w w;
    sw_msg_w_begin(&w, "spawn");
    msgpack_pack_map(&w.pk, open ? 7 : 6);
    sw_msg_kv_dbl(&w.pk, "timestamp", M.spawn_ts);
    /* data rows: slave k of the n taking users hands out rows k, k + n, ... (data.h) */
    int nn, k = sw_md_rank(&M.t, n, open, &nn);
    sw_msg_pack_str(&w.pk, "swarm_stride");
    msgpack_pack_array(&w.pk, 2);
    msgpack_pack_int(&w.pk, k);
    msgpack_pack_int(&w.pk, nn > k ? nn : k + 1);
    sw_msg_pack_str(&w.pk, "user_classes_count");
    msgpack_pack_map(&w.pk, (size_t)M.nclasses);
    for (int c = 0; c < M.nclasses; c++)
        sw_msg_kv_int(&w.pk, sw_rt.script->classes[c].name, n->assign[c]);
    sw_msg_kv_str(&w.pk, "host", host);
    sw_msg_kv_dbl(&w.pk, "stop_timeout", sw_rt.opts.stop_timeout_ms / 1000.0);
    sw_msg_pack_str(&w.pk, "parsed_options");
    msgpack_pack_map(&w.pk, 0);
    if (open) {                     /* the open model: this slave's share of the rate */
        n->x.arrival_rate = share(n);
        sw_msg_pack_str(&w.pk, "swarm_arrival");
        msgpack_pack_map(&w.pk, 2);
        sw_msg_kv_dbl(&w.pk, "rate", n->x.arrival_rate);
        sw_msg_pack_str(&w.pk, "poisson");
        sw_arr_stats a;
        sw_arr_get(&a);
        if (a.poisson)
            msgpack_pack_true(&w.pk);
        else
            msgpack_pack_false(&w.pk);
    }
    sw_msg_w_end(&w, n->id);
    send_w(n, &w);
}

/* ---------------------------------------------------------------- bad senders */

/* One log line per misbehaving sender (by id), then silence. */
static void log_bad(const char *id, size_t idlen, const char *what)
{
    char sid[80];
    size_t k = 0;
    for (size_t i = 0; i < idlen && k < sizeof sid - 4; i++) {
        unsigned char ch = ((const unsigned char *)id)[i];
        sid[k++] = ch >= 32 && ch < 127 ? (char)ch : '?';
    }
    sid[k] = '\0';
    for (int i = 0; i < M.nbad; i++)
        if (strcmp(M.bad_ids[i], sid) == 0)
            return;
    if (M.nbad >= 1024) {
        if (!M.bad_overflow++)
            sw_logf(SW_LOG_WARNING, "more than 1024 senders sent malformed messages; no more "
                    "are logged");
        return;
    }
    char **p = realloc(M.bad_ids, (size_t)(M.nbad + 1) * sizeof *p);
    if (p) {
        M.bad_ids = p;
        M.bad_ids[M.nbad] = strdup(sid);
        if (M.bad_ids[M.nbad])
            M.nbad++;
    }
    sw_logf(SW_LOG_WARNING, "dropped a message from '%s': %s (further ones from it are dropped "
            "silently)", sid, what);
}

/* Ready slaves: counted for --expect-slaves. */
int sw_master_ready_count(void)
{
    return sw_mn_ready_count(&M.t);
}

/* ---------------------------------------------------------------- distribution */

static int cluster_users(void)
{
    return sw_md_users(&M.t, open_model());
}

/* A node's share of the open model's rate (mdist.h); 0 between runs. */
static double share(const node *n)
{
    return M.running ? sw_md_share(&M.t, n, M.want, open_model(), sw_arr_rate()) : 0;
}

/* Mark the nodes whose share of the rate changed since they were told. */
static void mark_shares(char *changed)
{
    if (!open_model() || !M.running)
        return;
    for (int i = 0; i < M.t.n; i++)
        if (sw_md_gets_users(&M.t.v[i], open_model())
            && fabs(share(&M.t.v[i]) - M.t.v[i].x.arrival_rate) > 1e-9)
            changed[i] = 1;
}

/* sw_arr_rate_hook: the rate was re-scaled: tell every slave its share. */
static void on_rate(double rate)
{
    (void)rate;
    char *changed = calloc((size_t)M.t.n + 1, 1);
    if (!changed)
        return;
    mark_shares(changed);
    for (int i = 0; i < M.t.n; i++)
        if (changed[i])
            send_spawn(&M.t.v[i]);
    free(changed);
}

static void on_step(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what; (void)arg;
    if (!M.running || M.t.n == 0)
        return;
    char *changed = calloc((size_t)M.t.n, 1);
    if (!changed)
        return;
    int per = M.rate >= 1 ? (int)floor(M.rate) : 1, did = 0;
    for (int k = 0; k < per; k++) {
        if (!sw_md_step(&M.t, M.class_target, M.want, open_model(), changed))
            break;
        did++;
    }
    mark_shares(changed);
    for (int i = 0; i < M.t.n; i++)
        if (changed[i]) {
            send_spawn(&M.t.v[i]);
            if (M.t.v[i].state == SW_MN_READY)
                M.t.v[i].state = SW_MN_SPAWNING;
        }
    free(changed);
    if (did) {
        M.ramping = 1;
        double gap = (double)per * 1000.0 / M.rate;
        M.next_step_ms = sw_clock_ms() + gap;
        sw_timer_ms(M.step, gap);
    } else if (M.ramping) {
        M.ramping = 0;
        sw_logf(SW_LOG_INFO, "All users hatched: %d users on %d slaves", cluster_users(),
                sw_master_ready_count());
    }
}

/* Something changed (target, a node came or went): step, at the cadence. */
static void kick(void)
{
    if (!M.running || event_pending(M.step, EV_TIMEOUT, NULL))
        return;
    double now = sw_clock_ms();
    sw_timer_ms(M.step, M.next_step_ms > now ? M.next_step_ms - now : 0);
}

/* ---------------------------------------------------------------- the runner's remote */

static void remote_start(int users, double rate)
{
    int *w = calloc((size_t)M.nclasses + 1, sizeof *w);
    if (!w)
        return;
    for (int c = 0; c < M.nclasses; c++)
        w[c] = sw_rt.script->classes[c].weight;
    sw_runner_split(w, M.nclasses, users, M.class_target);
    free(w);
    M.want = users;
    M.rate = rate;
    M.running = 1;
    int n = sw_master_ready_count();
    sw_logf(SW_LOG_INFO, "Ramping to %d users at %.2f users/s over %d slave%s", users, rate, n,
            n == 1 ? "" : "s");
    if (open_model())
        sw_logf(SW_LOG_INFO, "Open model: %.2f iterations/s split over the Swarm slaves in "
                "proportion to their users", sw_arr_rate());
    if (n == 0)
        sw_logf(SW_LOG_WARNING, "no slave is connected yet; users start when one joins");
    kick();
}

static void remote_stop(void (*done)(void))
{
    M.running = 0;
    M.ramping = 0;
    event_del(M.step);
    M.stop_done = done;
    M.stop_deadline_ms = sw_clock_ms() + sw_rt.opts.stop_timeout_ms + 15000;
    for (int i = 0; i < M.t.n; i++) {
        node *n = &M.t.v[i];
        sw_mn_zero(&M.t, n);
        sw_mn_wait_over(n);
        if (n->kind != SW_MN_UNKNOWN && n->state <= SW_MN_STOPPING) {
            send_nil(n, "stop");
            sw_mn_stop_sent(n);
        }
    }
    if (!done)
        M.stop_done = NULL;
    check_stopped();
}

static int remote_users(void)
{
    return cluster_users();
}

static const sw_runner_remote REMOTE = { remote_start, remote_stop, remote_users };

/* Every slave answered the stop (or is missing, or the wait is over). */
static void check_stopped(void)
{
    if (!M.stop_done)
        return;
    int waiting = 0;
    for (int i = 0; i < M.t.n; i++)
        waiting += sw_mn_awaited(&M.t.v[i]);
    if (waiting && sw_clock_ms() < M.stop_deadline_ms)
        return;
    if (waiting)
        sw_logf(SW_LOG_WARNING, "%d slave(s) did not confirm the stop in time", waiting);
    void (*done)(void) = M.stop_done;
    M.stop_done = NULL;
    done();
}

/* ---------------------------------------------------------------- receiving */

static void refuse(node *n, const char *reason)
{
    sw_logf(SW_LOG_ERROR, "refused slave %s: %s", n->id, reason);
    sw_msg_w w;
    sw_msg_w_begin(&w, "swarm_refuse");
    msgpack_pack_map(&w.pk, 1);
    sw_msg_kv_str(&w.pk, "reason", reason);
    sw_msg_w_end(&w, n->id);
    send_w(n, &w);
    n->state = SW_MN_REFUSED;
    sw_mn_zero(&M.t, n);
    kick();
}

static void went_missing(node *n)
{
    int had = n->total;
    n->state = SW_MN_MISSING;
    n->lost++;
    sw_mn_wait_over(n);
    sw_mn_zero(&M.t, n);
    sw_logf(SW_LOG_WARNING, "Slave %s (index %d) sent nothing for %d s: missing; %s", n->id,
            n->index, SW_MASTER_MISSING_MS / 1000,
            had && M.running ? "its users go to the other slaves at the hatch rate"
                             : "it had no users");
    kick();
    check_stopped();
}

static void on_heartbeat(node *n, const msgpack_object *d)
{
    const char *st;
    size_t sl;
    double cpu;
    if (sw_msg_str(sw_msg_get(d, "state"), &st, &sl) < 0
        || sw_msg_num(sw_msg_get(d, "current_cpu_usage"), &cpu) < 0) {
        log_bad(n->id, strlen(n->id), "a heartbeat without state or current_cpu_usage");
        return;
    }
    n->cpu = cpu;
    double mem;
    if (sw_msg_num(sw_msg_get(d, "current_memory_usage"), &mem) == 0)
        n->mem = (long long)mem;
    const msgpack_object *sx = sw_msg_get(d, "swarm");
    if (n->kind == SW_MN_UNKNOWN) {
        if (sx) {
            const char *h = "";
            size_t hl = 0;
            uint64_t proto = 0;
            const char *mine = sw_rt.script->hash ? sw_rt.script->hash : "";
            char why[300];
            sw_msg_str(sw_msg_get(sx, "script"), &h, &hl);
            if (sw_msg_u64(sw_msg_get(sx, "proto"), &proto) < 0 || proto != SW_MSG_PROTO) {
                snprintf(why, sizeof why, "it speaks cluster protocol %llu, this master %d; "
                         "use the same Swarm version", (unsigned long long)proto, SW_MSG_PROTO);
                refuse(n, why);
                return;
            }
            if (strlen(mine) != hl || memcmp(mine, h, hl) != 0) {
                snprintf(why, sizeof why, "it was built from another script (hash %.*s, this "
                         "master's %s); build both from the same .swarm file",
                         (int)(hl > 40 ? 40 : hl), h, mine);
                refuse(n, why);
                return;
            }
            n->kind = SW_MN_SWARM;
        } else {
            n->kind = SW_MN_LOCUST;
        }
        sw_logf(SW_LOG_INFO, "%s %s (index %d) joined; %d slave%s ready",
                n->kind == SW_MN_SWARM ? "Slave" : "Locust worker", n->id, n->index,
                sw_master_ready_count(), sw_master_ready_count() == 1 ? "" : "s");
        if (n->kind == SW_MN_LOCUST && open_model() && !n->open_logged++)
            sw_logf(SW_LOG_WARNING, "Locust worker %s has no open model (--rate / arrival "
                    "rate): it gets no users; the rate goes to the Swarm slaves", n->id);
        kick();
    }
    if (n->state == SW_MN_MISSING) {
        sw_logf(SW_LOG_INFO, "Slave %s (index %d) is back; told its new share", n->id, n->index);
        n->state = SW_MN_READY;
        sw_mn_zero(&M.t, n);
        send_spawn(n);              /* nothing, at once: its old users must stop */
        kick();
    }
}

static void on_ready_msg(node *n, const msgpack_object *d, int fresh)
{
    (void)d;    /* version string, "" (Debian's Locust) or -1: all accepted */
    if (n->state == SW_MN_REFUSED)
        return;
    int was = n->state;
    if (!fresh && n->total && M.running && was <= SW_MN_RUNNING)
        sw_logf(SW_LOG_INFO, "Slave %s (index %d) reconnected; its users are given again",
                n->id, n->index);
    sw_mn_got_ready(n);             /* a wait for its last numbers goes on */
    sw_mn_zero(&M.t, n);
    sw_msg_w w;
    sw_msg_w_begin(&w, "ack");
    msgpack_pack_map(&w.pk, 2);
    sw_msg_kv_int(&w.pk, "index", n->index);
    sw_msg_kv_str(&w.pk, "swarm", SW_VERSION);
    sw_msg_w_end(&w, n->id);
    send_w(n, &w);
    if (n->kind != SW_MN_UNKNOWN)
        kick();
    check_stopped();
}

/* A slave's self-check arrived: log its first overload, and fold the
 * worst of the slaves into the master's own figures (selfcheck.h). */
static void on_self_report(node *n)
{
    if (n->x.overloaded && !n->overload_logged++)
        sw_logf(SW_LOG_WARNING, "Slave %s (index %d) is a bottleneck: event-loop lag p99 %.1f "
                "ms, up to %.0f ms of its own delay in its results; give it fewer users or add "
                "slaves", n->id, n->index, n->x.lag_p99_ms, ceil(n->x.own_delay_ms));
    int k = 0;
    double delay = 0, lag = 0;
    for (int i = 0; i < M.t.n; i++) {
        const sw_clx_node *x = &M.t.v[i].x;
        k += x->overloaded;
        if (x->overloaded && x->own_delay_ms > delay)
            delay = x->own_delay_ms;
        if (x->lag_max_ms > lag)
            lag = x->lag_max_ms;
    }
    sw_self_set_remote(k, delay, lag);
}

static void on_message(void *arg, const void *id, size_t idlen, const void *data, size_t len)
{
    (void)arg;
    sw_msg m;
    char why[200];
    if (sw_msg_decode(&m, data, len, why, sizeof why) != 0) {
        log_bad(id, idlen, why);
        return;
    }
    if (strlen(m.node_id) != idlen || memcmp(m.node_id, id, idlen) != 0) {
        log_bad(id, idlen, "its node id is not its connection's identity");
        sw_msg_free(&m);
        return;
    }
    node *n = sw_mn_find(&M.t, m.node_id);
    int fresh = 0;
    if (!n && strcmp(m.type, "client_ready") == 0) {
        n = sw_mn_add(&M.t, m.node_id);
        fresh = 1;
        if (!n) {
            log_bad(id, idlen, "too many slaves");
            sw_msg_free(&m);
            return;
        }
    }
    if (!n) {
        log_bad(id, idlen, "unknown node id (no client_ready first)");
        sw_msg_free(&m);
        return;
    }
    if (n->state == SW_MN_REFUSED) {
        sw_msg_free(&m);
        return;
    }
    n->seen_ms = sw_clock_ms();
    const char *t = m.type;
    if (strcmp(t, "client_ready") == 0) {
        on_ready_msg(n, m.data, fresh);
    } else if (strcmp(t, "heartbeat") == 0) {
        on_heartbeat(n, m.data);
    } else if (strcmp(t, "stats") == 0) {
        uint64_t users;
        int swarm;
        if (sw_wstats_load(sw_rt.stats, m.data, &users, &swarm, why, sizeof why) != 0) {
            log_bad(id, idlen, why);
        } else {
            n->reported = (int)(users > 10000000 ? 10000000 : users);
            n->report_s = sw_wall();
            sw_mn_got_stats(n);
        }
    } else if (strcmp(t, SW_CLX_TYPE) == 0) {
        if (n->kind != SW_MN_SWARM)
            log_bad(id, idlen, "a swarm_report from a node that is not a Swarm slave");
        else if (sw_clx_load(m.data, &n->x, why, sizeof why) != 0)
            log_bad(id, idlen, why);
        else
            on_self_report(n);
    } else if (strcmp(t, "spawning") == 0) {
        if (n->state == SW_MN_READY)
            n->state = SW_MN_SPAWNING;
    } else if (strcmp(t, "spawning_complete") == 0) {
        if (n->state == SW_MN_SPAWNING || n->state == SW_MN_READY)
            n->state = SW_MN_RUNNING;
        uint64_t u;
        if (sw_msg_u64(sw_msg_get(m.data, "user_count"), &u) == 0)
            n->reported = (int)(u > 10000000 ? 10000000 : u);
    } else if (strcmp(t, "client_stopped") == 0) {
        sw_mn_got_stopped(n);
    } else if (strcmp(t, "quit") == 0) {
        if (n->state != SW_MN_GONE || n->total)
            sw_logf(SW_LOG_INFO, "Slave %s (index %d) quit", n->id, n->index);
        n->state = SW_MN_GONE;
        sw_mn_wait_over(n);
        n->quit_wait = 0;
        sw_mn_zero(&M.t, n);
        kick();
    } else if (strcmp(t, "swarm_quit") == 0) {
        uint64_t st;
        if (sw_msg_u64(sw_msg_get(m.data, "status"), &st) < 0 || st > 255) {
            log_bad(id, idlen, "a swarm_quit without a status from 0 to 255");
        } else if (n->kind == SW_MN_SWARM) {
            sw_logf(SW_LOG_INFO, "Slave %s (index %d): the script quits with status %d; ending "
                    "the run", n->id, n->index, (int)st);
            sw_ctl_quit_local((int)st);
        }
    } else if (strcmp(t, "exception") == 0) {
        const char *msg, *tb;
        size_t ml, tl;
        if (sw_msg_str(sw_msg_get(m.data, "msg"), &msg, &ml) < 0
            || sw_msg_str(sw_msg_get(m.data, "traceback"), &tb, &tl) < 0) {
            log_bad(id, idlen, "an exception without msg or traceback");
        } else {
            char *a = strndup(msg, ml > 2000 ? 2000 : ml), *b = strndup(tb, tl > 500 ? 500 : tl);
            if (a && b)
                sw_stats_load_exception(sw_rt.stats, b, a, 1);
            free(a);
            free(b);
        }
    }
    /* anything else (newer Locust's messages, custom ones): ignored */
    sw_msg_free(&m);
    check_stopped();
    if (M.waiting && sw_master_ready_count() >= M.waiting)
        event_base_loopbreak(sw_rt.base);
    if (M.quitting) {
        int left = 0;
        for (int i = 0; i < M.t.n; i++)
            left += M.t.v[i].quit_wait;
        if (!left)
            event_base_loopbreak(sw_rt.base);
    }
}

/* Every 500 ms: heartbeats to Swarm slaves, missing slaves, stop waits. */
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what; (void)arg;
    static int tick;
    double now = sw_clock_ms();
    int beat = tick++ % (SW_MASTER_HEARTBEAT_MS / SW_MASTER_TICK_MS) == 0;
    for (int i = 0; i < M.t.n; i++) {
        node *n = &M.t.v[i];
        if (n->state == SW_MN_REFUSED || n->state == SW_MN_GONE || n->state == SW_MN_MISSING)
            continue;
        if (now - n->seen_ms > SW_MASTER_MISSING_MS) {
            went_missing(n);
            continue;
        }
        if (beat && n->kind == SW_MN_SWARM)
            send_nil(n, "heartbeat");
    }
    unsigned long dropped = sw_zs_dropped(M.zs);
    if (dropped > M.frames_logged && M.frames_logged == 0)
        sw_logf(SW_LOG_WARNING, "dropped a message with an unexpected number of frames "
                "(one frame per message is the protocol; further ones are dropped silently)");
    M.frames_logged = dropped;
    check_stopped();
}

/* ---------------------------------------------------------------- reports */

static void export_hook(FILE *f, int result)
{
    if (result == 2)
        sw_mn_metrics(&M.t, f);
    else
        sw_mn_json(&M.t, f, result, open_model());
}

/* ---------------------------------------------------------------- life */

int sw_master_port(void)
{
    return M.port;
}

int sw_master_setup(char *err, size_t errlen)
{
    memset(&M, 0, sizeof M);
    M.nclasses = sw_rt.script->nclasses;
    M.class_target = calloc((size_t)M.nclasses + 1, sizeof *M.class_target);
    int table = sw_mn_init(&M.t, M.nclasses, SW_MASTER_MAX_NODES);
    M.step = evtimer_new(sw_rt.base, on_step, NULL);
    M.tick = event_new(sw_rt.base, -1, EV_PERSIST, on_tick, NULL);
    M.zs = sw_zs_new(sw_rt.base, 1, NULL, on_message, NULL);
    if (!M.class_target || table != 0 || !M.step || !M.tick || !M.zs) {
        snprintf(err, errlen, "swarm: cannot set up the master's socket and timers; the run "
                 "could not start");
        return -1;
    }
    const char *h = sw_rt.opts.master_bind_host;
    char ep[300];
    snprintf(ep, sizeof ep, strchr(h, ':') ? "tcp://[%s]:%d" : "tcp://%s:%d", h,
             sw_rt.opts.master_bind_port);
    if (sw_zs_bind(M.zs, ep) != 0) {
        snprintf(err, errlen, "swarm: cannot listen for slaves on %s (%s); pick another "
                 "--master-bind-port or stop what uses it", ep, sw_zs_strerror());
        return -1;
    }
    M.port = sw_zs_bound_port(M.zs);
    sw_timer_ms(M.tick, SW_MASTER_TICK_MS);
    sw_runner_set_remote(&REMOTE);
    sw_export_cluster = export_hook;
    sw_arr_rate_hook = on_rate;
    sw_logf(SW_LOG_INFO, "Master listening for slaves on %s:%d", h, M.port);
    return 0;
}

static void on_wait_over(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what;
    *(int *)arg = 1;
    event_base_loopbreak(sw_rt.base);
}

int sw_master_wait(int expect, double max_wait_ms)
{
    int over = 0;
    struct event *t = evtimer_new(sw_rt.base, on_wait_over, &over);
    struct event *si = evsignal_new(sw_rt.base, SIGINT, on_wait_over, &over);
    struct event *st = evsignal_new(sw_rt.base, SIGTERM, on_wait_over, &over);
    if (si) evsignal_add(si, NULL);
    if (st) evsignal_add(st, NULL);
    if (t && max_wait_ms >= 0)
        sw_timer_ms(t, max_wait_ms);
    sw_logf(SW_LOG_INFO, "Waiting for %d slave%s to connect", expect, expect == 1 ? "" : "s");
    M.waiting = expect;
    while (!over && sw_master_ready_count() < expect)
        event_base_dispatch(sw_rt.base);
    M.waiting = 0;
    if (t) event_free(t);
    if (si) event_free(si);
    if (st) event_free(st);
    int got = sw_master_ready_count();
    if (got >= expect)
        return 0;
    sw_logf(SW_LOG_ERROR, "only %d of the %d expected slaves connected%s; not starting", got,
            expect, max_wait_ms >= 0 ? " within --expect-slaves-max-wait" : "");
    return 1;
}

static void on_quit_over(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what; (void)arg;
    event_base_loopbreak(sw_rt.base);
}

void sw_master_quit(void)
{
    if (!M.zs)
        return;
    int left = 0;
    for (int i = 0; i < M.t.n; i++) {
        node *n = &M.t.v[i];
        if (n->state == SW_MN_REFUSED)
            continue;
        send_nil(n, "quit");
        n->quit_wait = n->state != SW_MN_MISSING && n->kind == SW_MN_SWARM;
        left += n->quit_wait;
    }
    if (!left)
        return;
    struct event *t = evtimer_new(sw_rt.base, on_quit_over, NULL);
    if (!t)
        return;
    sw_timer_ms(t, 3000);
    M.quitting = 1;
    event_base_dispatch(sw_rt.base);
    M.quitting = 0;
    event_free(t);
}

void sw_master_free(void)
{
    if (sw_export_cluster == export_hook)
        sw_export_cluster = NULL;
    if (sw_arr_rate_hook == on_rate)
        sw_arr_rate_hook = NULL;
    sw_runner_set_remote(NULL);
    if (M.zs)
        sw_zs_free(M.zs, 500);
    sw_zs_term();
    if (M.step) event_free(M.step);
    if (M.tick) event_free(M.tick);
    sw_mn_free(&M.t);
    for (int i = 0; i < M.nbad; i++)
        free(M.bad_ids[i]);
    free(M.bad_ids);
    free(M.class_target);
    memset(&M, 0, sizeof M);
}
