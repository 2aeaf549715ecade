/*
 * client.c -- engine choice per request (see client.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client.h"
#include "h1.h"
#include "neterr.h"
#include "sw.h"

struct sw_client {
    sw_http *curl_h;            /* borrowed engines */
    struct sw_h1 *h1;
    sw_conn *curl;              /* made on first use */
    sw_h1_conn *nat[SW_CLIENT_ORIGINS]; /* made on first use, per origin */
    unsigned long used[SW_CLIENT_ORIGINS]; /* last use, for eviction */
    unsigned long uses;
    int cur;                    /* engine of the transfer in flight, 0: none */
    int cur_i;                  /* its native slot */
    sw_conn_done_fn done;       /* the owner's callbacks */
    sw_conn_drop_fn drop;
    void *arg;
    /* redirects, followed here for both engines */
    sw_http_req rq;             /* the current leg (strings borrowed or below) */
    char *url;                  /* URL of a redirected leg (owned) */
    const char **lines;         /* header lines of a leg without Content-Type */
    int lines_cap;
    int follow;                 /* the owner asked to follow redirects */
    int redirects;              /* followed so far */
    long timeout_ms;            /* the whole request's, 0: none */
    double t0;                  /* monotonic ms when the request started */
    sw_http_result sum;         /* phase times and connections of earlier legs */
    char err[320];              /* a failure of the client itself */
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

sw_client *sw_client_new(sw_http *curl, struct sw_h1 *h1)
{
    sw_client *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->curl_h = curl;
    c->h1 = h1;
    return c;
}

void sw_client_abort(sw_client *c)
{
    if (!c || !c->cur)
        return;
    if (c->cur == SW_ENGINE_CURL)
        sw_conn_abort(c->curl);
    else
        sw_h1_abort(c->nat[c->cur_i]);
}

void sw_client_free(sw_client *c)
{
    if (!c)
        return;
    sw_client_abort(c);
    sw_conn_free(c->curl);
    for (int i = 0; i < SW_CLIENT_ORIGINS; i++)
        sw_h1_conn_free(c->nat[i]);
    free(c->url);
    free(c->lines);
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

static int start_leg(sw_client *c);

/* Hands r to the owner; c is idle before the callback runs. */
static void finish(sw_client *c, sw_http_result *res)
{
    sw_conn_done_fn done = c->done;
    void *a = c->arg;
    res->engine = c->cur;
    res->new_conns += c->sum.new_conns;
    res->connect_ms += c->sum.connect_ms;
    res->tls_ms += c->sum.tls_ms;
    res->ttfb_ms += c->sum.ttfb_ms;
    res->download_ms += c->sum.download_ms;
    counts[c->cur]++;
    if (res->new_conns > 0) {
        phases.conns++;
        phases.connect_ms += res->connect_ms;
    }
    if (res->tls_ms > 0) {
        phases.tls++;
        phases.tls_ms += res->tls_ms;
    }
    if (res->ttfb_ms > 0 || res->download_ms > 0) {
        phases.firsts++;
        phases.ttfb_ms += res->ttfb_ms;
        phases.download_ms += res->download_ms;
    }
    c->cur = 0;
    c->done = NULL;
    c->drop = NULL;
    c->arg = NULL;
    if (done)
        done(a, res);
}

static int is_redirect(long status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* The value of the last header `name` in a block of "Name: value\r\n"
 * lines; its length in *vlen; NULL when absent. */
static const char *header_value(const char *h, size_t hlen, const char *name, size_t *vlen)
{
    size_t nl = strlen(name);
    const char *found = NULL, *end = h + hlen;
    while (h < end) {
        const char *eol = memchr(h, '\n', (size_t)(end - h));
        const char *next = eol ? eol + 1 : end;
        const char *ve = eol ? eol : end;
        if ((size_t)(ve - h) > nl && h[nl] == ':' && strncasecmp(h, name, nl) == 0) {
            const char *v = h + nl + 1;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            found = v;
            *vlen = (size_t)(ve - v);
        }
        h = next;
    }
    return found;
}

/* Location (n bytes) resolved against base: a new malloc'd URL, or NULL. */
static char *join_url(const char *base, const char *loc, size_t n)
{
    sw_h1_url u;
    if (sw_h1_parse_url(base, &u) != 0)
        return NULL;
    const char *colon = memchr(loc, ':', n), *slash = memchr(loc, '/', n);
    size_t prefix, dir = 0;
    int root = 0;                                       /* add a "/" */
    if (colon && (!slash || colon < slash)) {
        prefix = 0;                                     /* absolute */
    } else if (n >= 2 && loc[0] == '/' && loc[1] == '/') {
        prefix = strlen(u.scheme) + 1;                  /* "scheme:" + //host/... */
    } else {
        prefix = (size_t)(u.path - base);               /* "scheme://authority" */
        if (n == 0 || loc[0] != '/') {
            dir = strcspn(u.path, "?#");                /* "?q": the same path */
            if (n == 0 || loc[0] != '?')
                while (dir > 0 && u.path[dir - 1] != '/')
                    dir--;                              /* "x": the path's directory */
            root = dir == 0;
        }
    }
    char *out = malloc(prefix + dir + (size_t)root + n + 1);
    if (!out)
        return NULL;
    memcpy(out, base, prefix);
    memcpy(out + prefix, u.path, dir);
    if (root)
        out[prefix + dir] = '/';
    memcpy(out + prefix + dir + root, loc, n);
    out[prefix + dir + root + n] = '\0';
    return out;
}

/* Completes the request as the transport error kind (the URL names the host). */
static void finish_error(sw_client *c, sw_neterr kind, const char *url)
{
    sw_h1_url u;
    sw_http_result r;
    if (!url || sw_h1_parse_url(url, &u) != 0)
        memset(&u, 0, sizeof u);
    sw_ne_format(c->err, sizeof c->err, kind, u.host, u.port);
    memset(&r, 0, sizeof r);
    r.reason = r.body = r.headers = "";
    r.error = c->err;
    finish(c, &r);
}

/* One leg done: follow a redirect (301/302/303 turn anything but HEAD --
 * for 301/302 only a POST -- into a GET without body and Content-Type;
 * 307/308 resend as is), or hand the result over. */
static void client_done(void *arg, const sw_http_result *r)
{
    sw_client *c = arg;
    sw_http_result res = *r;
    size_t ll = 0;
    const char *loc = c->follow && !r->error && is_redirect(r->status)
        ? header_value(r->headers, r->headers_len, "Location", &ll) : NULL;
    if (!loc || ll == 0) {
        finish(c, &res);
        return;
    }
    if (++c->redirects > SW_NE_MAX_REDIRS) {
        finish_error(c, SW_NE_REDIRECTS, c->rq.url);
        return;
    }
    char *next = join_url(c->rq.url, loc, ll);
    if (!next) {
        finish_error(c, SW_NE_BAD_URL, NULL);
        return;
    }
    free(c->url);
    c->url = next;
    c->rq.url = next;
    if ((r->status == 303 && c->rq.method != SW_HTTP_HEAD) ||
        ((r->status == 301 || r->status == 302) && c->rq.method == SW_HTTP_POST)) {
        c->rq.method = SW_HTTP_GET;
        c->rq.body = NULL;
        c->rq.body_len = 0;
        int n = 0;
        if (c->rq.nheaders > c->lines_cap) {
            const char **p = realloc(c->lines, (size_t)c->rq.nheaders * sizeof *p);
            if (!p) {
                finish_error(c, SW_NE_NOMEM, NULL);
                return;
            }
            c->lines = p;
            c->lines_cap = c->rq.nheaders;
        }
        for (int i = 0; i < c->rq.nheaders; i++) {
            const char *l = c->rq.headers[i];
            if (strncasecmp(l, "Content-Type", 12) == 0 && (l[12] == ':' || l[12] == ';'))
                continue;
            c->lines[n++] = l;
        }
        c->rq.headers = c->lines;
        c->rq.nheaders = n;
    }
    c->sum.new_conns += r->new_conns;
    c->sum.connect_ms += r->connect_ms;
    c->sum.tls_ms += r->tls_ms;
    c->sum.ttfb_ms += r->ttfb_ms;
    c->sum.download_ms += r->download_ms;
    if (c->timeout_ms > 0) {
        double left = (double)c->timeout_ms - (sw_clock_ms() - c->t0);
        if (left < 1) {
            finish_error(c, SW_NE_TIMEOUT, NULL);
            return;
        }
        c->rq.timeout_ms = (long)left;
    }
    int prev = c->cur;
    c->cur = 0;
    if (start_leg(c) != 0) {
        c->cur = prev;
        finish_error(c, SW_NE_NOMEM, NULL);
    }
}

static void client_drop(void *arg)
{
    sw_client *c = arg;
    sw_conn_drop_fn drop = c->drop;
    void *a = c->arg;
    c->cur = 0;
    c->done = NULL;
    c->drop = NULL;
    c->arg = NULL;
    if (drop)
        drop(a);
}

/* The native conn for url's origin: the one connected there, else a free
 * slot, else the least recently used (its socket is closed on reuse). */
static int native_slot(sw_client *c, const char *url)
{
    sw_h1_url u;
    char origin[300];
    int pick = -1;
    if (sw_h1_parse_url(url, &u) == 0) {
        snprintf(origin, sizeof origin, "%s:%d", u.host, u.port);
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

/* Claims c for a transfer on engine; 0, or -1 when no connection could be
 * made for it. */
static int claim(sw_client *c, int engine, const char *url, sw_conn_done_fn done,
                 sw_conn_drop_fn drop, void *arg)
{
    sw_client_abort(c);
    c->done = done;
    c->drop = drop;
    c->arg = arg;
    if (engine == SW_ENGINE_CURL) {
        if (!c->curl)
            c->curl = sw_conn_new(c->curl_h);
        if (!c->curl)
            return -1;
    } else {
        c->cur_i = c->h1 ? native_slot(c, url ? url : "") : -1;
        if (c->cur_i < 0)
            return -1;
    }
    c->cur = engine;
    return 0;
}

/* Starts c->rq on the engine its URL calls for. 0, or -1 when no
 * connection could be made (nothing started). */
static int start_leg(sw_client *c)
{
    int engine = sw_client_engine_for(c->rq.url, sw_client_mode());
    if (!c->cur && !c->done)
        return -1;
    sw_conn_done_fn done = c->done;
    sw_conn_drop_fn drop = c->drop;
    void *arg = c->arg;
    if (claim(c, engine, c->rq.url, done, drop, arg) != 0)
        return -1;
    if (engine == SW_ENGINE_CURL)
        sw_conn_start(c->curl, &c->rq, client_done, client_drop, c);
    else
        sw_h1_start(c->nat[c->cur_i], &c->rq, client_done, client_drop, c);
    return 0;
}

void sw_client_start(sw_client *c, const sw_http_req *rq, sw_conn_done_fn done,
                     sw_conn_drop_fn drop, void *arg)
{
    if (!c)
        return;
    sw_client_abort(c);
    c->rq = *rq;
    c->follow = rq->follow;
    c->rq.follow = 0;           /* followed here, not by the engines */
    c->redirects = 0;
    c->timeout_ms = rq->timeout_ms > 0 ? rq->timeout_ms : 0;
    c->t0 = sw_clock_ms();
    memset(&c->sum, 0, sizeof c->sum);
    c->done = done;
    c->drop = drop;
    c->arg = arg;
    if (start_leg(c) == 0)
        return;
    /* no connection could be made: the other engine reports the failure */
    int engine = sw_client_engine_for(c->rq.url, sw_client_mode()) == SW_ENGINE_CURL
        ? SW_ENGINE_NATIVE : SW_ENGINE_CURL;
    if (claim(c, engine, c->rq.url, done, drop, arg) != 0)
        return;
    if (engine == SW_ENGINE_CURL)
        sw_conn_fail(c->curl, "Out of memory", client_done, client_drop, c);
    else
        sw_h1_fail(c->nat[c->cur_i], "Out of memory", client_done, client_drop, c);
}

void sw_client_fail(sw_client *c, const char *msg, sw_conn_done_fn done,
                    sw_conn_drop_fn drop, void *arg)
{
    if (!c)
        return;
    int engine = sw_client_mode() == SW_ENGINE_CURL ? SW_ENGINE_CURL : SW_ENGINE_NATIVE;
    c->follow = 0;
    memset(&c->sum, 0, sizeof c->sum);
    if (claim(c, engine, NULL, done, drop, arg) != 0)
        return;
    if (engine == SW_ENGINE_CURL)
        sw_conn_fail(c->curl, msg, client_done, client_drop, c);
    else
        sw_h1_fail(c->nat[c->cur_i], msg, client_done, client_drop, c);
}
