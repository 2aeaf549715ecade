/*
 * client.c -- engine choice per request (see client.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/event.h>

#include "client.h"
#include "h1.h"
#include "neterr.h"

struct sw_client {
    sw_http *curl_h;            /* borrowed engines */
    struct sw_h1 *h1;
    struct event *fail_ev;      /* completes the failures c reports itself */
    sw_conn *curl;              /* made on first use */
    sw_h1_conn *nat[SW_CLIENT_ORIGINS]; /* made on first use, per origin */
    unsigned long used[SW_CLIENT_ORIGINS]; /* last use, for eviction */
    unsigned long uses;
    int cur;                    /* engine of the transfer in flight, 0: none */
    int cur_i;                  /* its native slot */
    int own;                    /* the transfer in flight is c's own failure */
    sw_conn_done_fn done;       /* the owner's callbacks */
    sw_conn_drop_fn drop;
    void *arg;
    char err[320];              /* message of c's own failure */
};

static int mode_set = -1;       /* sw_client_set_mode, -1: not set */
static int env_mode = -2;       /* SWARM_HTTP_ENGINE, -2: not read yet */
static uint64_t counts[SW_ENGINE_COUNT];
static struct {                 /* per-phase times of every completed request */
    uint64_t conns;             /* requests that opened a connection */
    double connect_ms;          /* summed over those */
    uint64_t tls;               /* requests with a TLS handshake */
    double tls_ms;
    uint64_t firsts;            /* requests that got a first byte */
    double ttfb_ms, download_ms;
} phases;

int sw_client_parse_mode(const char *s)
{
    static const char *const names[] = { "auto", "native", "curl" };
    for (int i = 0; s && i < SW_ENGINE_COUNT; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

const char *sw_client_engine_name(int engine)
{
    return engine == SW_ENGINE_NATIVE ? "native" : engine == SW_ENGINE_CURL ? "curl" : "auto";
}

void sw_client_set_mode(int mode)
{
    mode_set = mode >= 0 && mode < SW_ENGINE_COUNT ? mode : -1;
}

int sw_client_mode(void)
{
    if (mode_set >= 0)
        return mode_set;
    if (env_mode == -2) {
        int m = sw_client_parse_mode(getenv("SWARM_HTTP_ENGINE"));
        env_mode = m < 0 ? SW_ENGINE_AUTO : m;
    }
    return env_mode;
}

/* 1 when a proxy variable that curl would apply to http:// is set. */
static int http_proxied(void)
{
    static int known = -1;
    if (known < 0) {
        const char *v;
        known = ((v = getenv("http_proxy")) && *v) || ((v = getenv("all_proxy")) && *v) ||
                ((v = getenv("ALL_PROXY")) && *v);
    }
    return known;
}

int sw_client_engine_for(const char *url, int mode)
{
    if (mode == SW_ENGINE_NATIVE || mode == SW_ENGINE_CURL)
        return mode;
    if (url && strncasecmp(url, "http://", 7) == 0 && !http_proxied())
        return SW_ENGINE_NATIVE;
    return SW_ENGINE_CURL;
}

uint64_t sw_client_count(int engine)
{
    return engine > 0 && engine < SW_ENGINE_COUNT ? counts[engine] : 0;
}

void sw_client_phases(sw_client_phase_avg *out)
{
    memset(out, 0, sizeof *out);
    out->native = counts[SW_ENGINE_NATIVE];
    out->curl = counts[SW_ENGINE_CURL];
    out->connections = phases.conns;
    if (phases.conns)
        out->connect_ms = phases.connect_ms / (double)phases.conns;
    if (phases.tls)
        out->tls_ms = phases.tls_ms / (double)phases.tls;
    if (phases.firsts) {
        out->ttfb_ms = phases.ttfb_ms / (double)phases.firsts;
        out->download_ms = phases.download_ms / (double)phases.firsts;
    }
}

void sw_client_json(FILE *f)
{
    sw_client_phase_avg a;
    sw_client_phases(&a);
    fprintf(f, "{\"mode\":\"%s\",\"requests\":{\"native\":%llu,\"curl\":%llu},"
               "\"connections_opened\":%llu,\"phases_ms\":{\"connect\":%.3f,\"tls\":%.3f,"
               "\"ttfb\":%.3f,\"download\":%.3f}}",
            sw_client_engine_name(sw_client_mode()), (unsigned long long)a.native,
            (unsigned long long)a.curl, (unsigned long long)a.connections,
            a.connect_ms, a.tls_ms, a.ttfb_ms, a.download_ms);
}

static void on_own_fail(evutil_socket_t fd, short what, void *arg);

sw_client *sw_client_new(struct event_base *base, sw_http *curl, struct sw_h1 *h1)
{
    sw_client *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->curl_h = curl;
    c->h1 = h1;
    c->fail_ev = base ? evtimer_new(base, on_own_fail, c) : NULL;
    if (!c->fail_ev) {
        free(c);
        return NULL;
    }
    return c;
}

/* Ends c's transfer: idle, the owner's callbacks forgotten (the caller
 * took what it calls). */
static void release(sw_client *c)
{
    c->cur = 0;
    c->own = 0;
    c->done = NULL;
    c->drop = NULL;
    c->arg = NULL;
}

/* The transfer in flight was aborted: tells the owner (drop), c is idle
 * before the callback runs. */
static void client_drop(void *arg)
{
    sw_client *c = arg;
    sw_conn_drop_fn drop = c->drop;
    void *a = c->arg;
    release(c);
    if (drop)
        drop(a);
}

void sw_client_abort(sw_client *c)
{
    if (!c || !c->cur)
        return;
    if (c->own) {
        evtimer_del(c->fail_ev);
        client_drop(c);
    } else if (c->cur == SW_ENGINE_CURL) {
        sw_conn_abort(c->curl);
    } else {
        sw_h1_abort(c->nat[c->cur_i]);
    }
}

void sw_client_free(sw_client *c)
{
    if (!c)
        return;
    sw_client_abort(c);
    sw_conn_free(c->curl);
    for (int i = 0; i < SW_CLIENT_ORIGINS; i++)
        sw_h1_conn_free(c->nat[i]);
    event_free(c->fail_ev);
    free(c);
}

int sw_client_busy(const sw_client *c)
{
    return c && c->cur != 0;
}

int sw_client_open_conns(const sw_client *c)
{
    int n = 0;
    for (int i = 0; c && i < SW_CLIENT_ORIGINS; i++)
        n += sw_h1_open(c->nat[i]);
    return n;
}

/* The transfer is complete: counts it, hands r to the owner; c is idle
 * before the callback runs. */
static void client_done(void *arg, const sw_http_result *r)
{
    sw_client *c = arg;
    sw_http_result res = *r;
    sw_conn_done_fn done = c->done;
    void *a = c->arg;
    res.engine = c->cur;
    counts[c->cur]++;
    if (res.new_conns > 0) {
        phases.conns++;
        phases.connect_ms += res.connect_ms;
    }
    if (res.tls_ms > 0) {
        phases.tls++;
        phases.tls_ms += res.tls_ms;
    }
    if (res.ttfb_ms > 0 || res.download_ms > 0) {
        phases.firsts++;
        phases.ttfb_ms += res.ttfb_ms;
        phases.download_ms += res.download_ms;
    }
    release(c);
    if (done)
        done(a, &res);
}

/* c's own failure is due: completes the transfer with c->err. */
static void on_own_fail(evutil_socket_t fd, short what, void *arg)
{
    sw_client *c = arg;
    sw_http_result r;
    (void)fd;
    (void)what;
    memset(&r, 0, sizeof r);
    r.reason = r.body = r.headers = "";
    r.error = c->err;
    client_done(c, &r);
}

/* The native conn for u's origin (u NULL: the URL does not parse): the one
 * connected there, else a free slot, else the least recently used (its
 * socket is closed on reuse). */
static int native_slot(sw_client *c, const sw_h1_url *u)
{
    char origin[320];
    int pick = -1;
    if (u) {
        snprintf(origin, sizeof origin, "%s:%d", u->host, u->port);
        for (int i = 0; i < SW_CLIENT_ORIGINS && pick < 0; i++)
            if (c->nat[i] && strcmp(sw_h1_origin(c->nat[i]), origin) == 0)
                pick = i;
    }
    for (int i = 0; i < SW_CLIENT_ORIGINS && pick < 0; i++)
        if (!c->nat[i] || !sw_h1_origin(c->nat[i])[0])
            pick = i;
    if (pick < 0) {
        pick = 0;
        for (int i = 1; i < SW_CLIENT_ORIGINS; i++)
            if (c->used[i] < c->used[pick])
                pick = i;
    }
    if (!c->nat[pick])
        c->nat[pick] = sw_h1_conn_new(c->h1);
    c->used[pick] = ++c->uses;
    return c->nat[pick] ? pick : -1;
}

/* Makes c busy with a new transfer on engine (aborting one in flight):
 * its callbacks are the owner's. Every transfer then ends in exactly one
 * client_done or client_drop. */
static void claim(sw_client *c, int engine, sw_conn_done_fn done, sw_conn_drop_fn drop,
                  void *arg)
{
    sw_client_abort(c);
    c->cur = engine;
    c->own = 0;
    c->done = done;
    c->drop = drop;
    c->arg = arg;
}

/* Completes c's transfer as the failure msg, from the loop, on c's own
 * event: the path that needs no connection, so it cannot fail itself. */
static void fail_later(sw_client *c, const char *msg)
{
    static const struct timeval zero = { 0, 0 };
    snprintf(c->err, sizeof c->err, "%s", msg);
    c->own = 1;
    evtimer_add(c->fail_ev, &zero);
}

/* Sends rq on the engine its URL calls for, with the URL split once here
 * for whichever engine carries it (url_parts). */
void sw_client_start(sw_client *c, const sw_http_req *rq, sw_conn_done_fn done,
                     sw_conn_drop_fn drop, void *arg)
{
    char msg[64];
    sw_h1_url u;
    if (!c)
        return;
    int engine = sw_client_engine_for(rq ? rq->url : NULL, sw_client_mode());
    claim(c, engine, done, drop, arg);
    if (!rq) {
        fail_later(c, sw_ne_format(msg, sizeof msg, SW_NE_BAD_URL, NULL, 0));
        return;
    }
    sw_http_req split = *rq;
    split.url_parts = sw_h1_parse_url(rq->url, &u) == 0 ? &u : NULL;
    if (engine == SW_ENGINE_CURL) {
        if (!c->curl)
            c->curl = sw_conn_new(c->curl_h);
        if (c->curl) {
            sw_conn_start(c->curl, &split, client_done, client_drop, c);
            return;
        }
    } else {
        c->cur_i = c->h1 ? native_slot(c, split.url_parts) : -1;
        if (c->cur_i >= 0) {
            sw_h1_start(c->nat[c->cur_i], &split, client_done, client_drop, c);
            return;
        }
    }
    /* no connection could be made for it (out of memory) */
    fail_later(c, sw_ne_format(msg, sizeof msg, SW_NE_NOMEM, NULL, 0));
}

void sw_client_fail(sw_client *c, const char *msg, sw_conn_done_fn done,
                    sw_conn_drop_fn drop, void *arg)
{
    if (!c)
        return;
    claim(c, sw_client_mode() == SW_ENGINE_CURL ? SW_ENGINE_CURL : SW_ENGINE_NATIVE,
          done, drop, arg);
    fail_later(c, msg ? msg : "request failed");
}
