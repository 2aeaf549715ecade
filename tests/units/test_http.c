/*
 * test_http.c -- the HTTP clients (client.c over h1.c and http.c) against a
 * real HTTP server: a libevent evhttp server on an ephemeral 127.0.0.1 port,
 * in this process, on the same event loop as the client. The whole suite
 * runs on the engine SWARM_HTTP_ENGINE names (tests/run.sh runs it once with
 * "native" and once with "curl"); every check is the same for both.
 *
 * Routes: /json (200, JSON body, X-Test header), /missing (404), /teapot
 * (418 with its own reason), /slow?ms=N (answers after N ms), /redirect
 * (302 to /json: the client hands it over, request.c follows it), /echo
 * (method, peer port, some request headers, body).
 * Part two drives request.c through a real coroutine (co.c) and stats.c.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "check.h"
#include "co.h"
#include "client.h"
#include "h1.h"
#include "http.h"
#include "report.h"
#include "request.h"
#include "rt.h"
#include "stats.h"
#include "value.h"

static struct event_base *base;
static sw_http *H;                  /* the two engines */
static sw_h1 *H1;
static int port;
static char url_buf[256];

/* ------------------------------------------------------------- server */

typedef struct slow_req {           /* a /slow request waiting to answer */
    struct evhttp_request *req;
    struct evhttp_connection *evcon;
    struct event *ev;
} slow_req;

static int slow_pending;

static void slow_closed(struct evhttp_connection *evcon, void *arg)
{
    slow_req *s = arg;
    (void)evcon;
    event_free(s->ev);
    free(s);
    slow_pending--;
}

static void slow_fire(evutil_socket_t fd, short what, void *arg)
{
    slow_req *s = arg;
    (void)fd;
    (void)what;
    evhttp_connection_set_closecb(s->evcon, NULL, NULL);
    struct evbuffer *b = evbuffer_new();
    evbuffer_add_printf(b, "slow");
    evhttp_send_reply(s->req, 200, "OK", b);
    evbuffer_free(b);
    event_free(s->ev);
    free(s);
    slow_pending--;
}

static const char *hdr(struct evhttp_request *req, const char *name)
{
    const char *v = evhttp_find_header(evhttp_request_get_input_headers(req), name);
    return v ? v : "-";
}

static void serve(struct evhttp_request *req, void *arg)
{
    (void)arg;
    const char *uri = evhttp_request_get_uri(req);
    struct evkeyvalq *out = evhttp_request_get_output_headers(req);
    struct evbuffer *b = evbuffer_new();
    if (strcmp(uri, "/json") == 0) {
        evhttp_add_header(out, "Content-Type", "application/json");
        evhttp_add_header(out, "X-Test", "first");
        evhttp_add_header(out, "X-Test", "second");
        evbuffer_add_printf(b, "{\"ok\": true, \"n\": 42}");
        evhttp_send_reply(req, 200, "OK", b);
    } else if (strcmp(uri, "/missing") == 0) {
        evbuffer_add_printf(b, "nothing here");
        evhttp_send_reply(req, 404, "Not Found", b);
    } else if (strcmp(uri, "/teapot") == 0) {
        evhttp_send_reply(req, 418, "I'm a teapot", b);
    } else if (strncmp(uri, "/slow?ms=", 9) == 0) {
        slow_req *s = calloc(1, sizeof *s);
        long ms = atol(uri + 9);
        struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
        s->req = req;
        s->evcon = evhttp_request_get_connection(req);
        s->ev = evtimer_new(base, slow_fire, s);
        evhttp_connection_set_closecb(s->evcon, slow_closed, s);
        evtimer_add(s->ev, &tv);
        slow_pending++;
    } else if (strcmp(uri, "/redirect") == 0) {
        evhttp_add_header(out, "Location", "/json");
        evhttp_send_reply(req, 302, "Found", b);
    } else if (strncmp(uri, "/echo", 5) == 0 || strncmp(uri, "/api/echo", 9) == 0) {
        static const char *const names[] = {
            "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE",
            "CONNECT", "PATCH"
        };
        int cmd = (int)evhttp_request_get_command(req), i = 0;
        while (i < 9 && cmd != (1 << i))
            i++;
        char *peer = NULL;
        ev_uint16_t pport = 0;
        evhttp_connection_get_peer(evhttp_request_get_connection(req), &peer, &pport);
        struct evbuffer *in = evhttp_request_get_input_buffer(req);
        evbuffer_add_printf(b, "uri=%s\nmethod=%s\nport=%u\nx-echo=%s\nctype=%s\nclen=%s\nbody=",
                            uri, i < 9 ? names[i] : "?", (unsigned)pport, hdr(req, "X-Echo"),
                            hdr(req, "Content-Type"), hdr(req, "Content-Length"));
        evbuffer_add_buffer(b, in);
        evhttp_send_reply(req, 200, "OK", b);
    } else {
        evhttp_send_reply(req, 500, "Unknown Route", b);
    }
    evbuffer_free(b);
}

static const char *url(const char *path)
{
    snprintf(url_buf, sizeof url_buf, "http://127.0.0.1:%d%s", port, path);
    return url_buf;
}

/* --------------------------------------------------------------- client */

typedef struct result {             /* a copy of one sw_http_result */
    int done, dropped;
    long status, new_conns;
    int engine;
    size_t wire_len;
    char reason[64];
    char body[1024];
    size_t body_len;
    char headers[2048];
    char error[512];
    int has_error;
    double ms;                      /* from start to completion */
} result;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void on_done(void *arg, const sw_http_result *r)
{
    result *x = arg;
    x->done++;
    x->ms = now_ms() - x->ms;
    x->status = r->status;
    x->new_conns = r->new_conns;
    x->engine = r->engine;
    x->wire_len = r->wire_len;
    snprintf(x->reason, sizeof x->reason, "%s", r->reason);
    x->body_len = r->body_len;
    snprintf(x->body, sizeof x->body, "%.*s", (int)r->body_len, r->body);
    snprintf(x->headers, sizeof x->headers, "%.*s", (int)r->headers_len, r->headers);
    x->has_error = r->error != NULL;
    snprintf(x->error, sizeof x->error, "%s", r->error ? r->error : "");
}

static void on_drop(void *arg)
{
    ((result *)arg)->dropped++;
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    *(int *)arg = 1;
}

/* Runs the loop until *flag is set or ms have passed (bounded either way). */
static void run_until(int *flag, long ms)
{
    int expired = 0;
    struct event *t = evtimer_new(base, on_deadline, &expired);
    struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
    evtimer_add(t, &tv);
    while (!expired && !(flag && *flag))
        event_base_loop(base, EVLOOP_ONCE);
    event_free(t);
}

/* One transfer on c, waited for (at most 5 s). */
static void fetch(sw_client *c, result *x, int method, const char *u,
                  const char *const *headers, int nheaders,
                  const char *body, long timeout_ms)
{
    sw_http_req rq = { method, u, headers, nheaders, body, body ? strlen(body) : 0,
                       timeout_ms, NULL };
    memset(x, 0, sizeof *x);
    x->ms = now_ms();
    sw_client_start(c, &rq, on_done, on_drop, x);
    run_until(&x->done, 5000);
}

static int body_has(const result *x, const char *s)
{
    return strstr(x->body, s) != NULL;
}

static long echo_port(const result *x)
{
    const char *p = strstr(x->body, "port=");
    return p ? atol(p + 5) : -1;
}

/* A port on 127.0.0.1 with nothing listening: bound, then closed. */
static int dead_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, (struct sockaddr *)&a, sizeof a);
    getsockname(fd, (struct sockaddr *)&a, &len);
    close(fd);
    return ntohs(a.sin_port);
}

/* A client without engines cannot make a connection, as a client out of
 * memory cannot: every request still ends in exactly one callback. */
static void no_conn_tests(int want)
{
    sw_client *none = sw_client_new(base, NULL, NULL);
    CHECK(none != NULL, "a client without engines can be made");
    if (!none)
        return;
    result x;
    sw_http_req rq = { SW_HTTP_GET, url("/json"), NULL, 0, NULL, 0, 5000, NULL };
    memset(&x, 0, sizeof x);
    sw_client_start(none, &rq, on_done, on_drop, &x);
    CHECK(x.done == 0 && x.dropped == 0 && sw_client_busy(none),
          "no connection: nothing is called back from inside sw_client_start");
    run_until(&x.done, 2000);
    run_until(NULL, 50);
    CHECK(x.done == 1 && x.dropped == 0 && x.status == 0 &&
          strcmp(x.error, "Out of memory") == 0 && x.engine == want && !sw_client_busy(none),
          "no connection: completes once as '%s' on the %s engine", x.error,
          sw_client_engine_name(want));
    memset(&x, 0, sizeof x);
    sw_client_fail(none, "no host", on_done, on_drop, &x);
    run_until(&x.done, 2000);
    run_until(NULL, 50);
    CHECK(x.done == 1 && x.dropped == 0 && strcmp(x.error, "no host") == 0,
          "no connection: sw_client_fail completes once with its message");
    memset(&x, 0, sizeof x);
    sw_client_start(none, &rq, on_done, on_drop, &x);
    sw_client_free(none);
    run_until(NULL, 50);
    CHECK(x.done == 0 && x.dropped == 1, "no connection: freed while pending, dropped once");
}

/* ------------------------------------------------- request.c end to end
 *
 * A hand-written body in the shape swarmc generates drives sw_req_* on a
 * real coroutine (co.c) against the same server; results are read back
 * through the response's fields and the stats (stats.c). */

enum { ACT_NONE, ACT_SETTLE, ACT_OK, ACT_FAIL, ACT_TWICE };

static struct plan {                /* what body_req does */
    sw_method method;
    const char *url, *name;
    const char *hk, *hv;            /* one header, or NULL */
    const char *qk, *qv;            /* one query pair, or NULL */
    const char *fk, *fv;            /* one form pair, or NULL */
    int json;                       /* send json {"a": 1, "b": "x"} */
    const char *body;               /* raw body, or NULL */
    double timeout_ms;              /* 0: default */
    int no_redirects;
    int block;                      /* has a response block */
    double sleep_ms;                /* in the block, before acting */
    int act;                        /* ACT_* at the end of the block */
} P;

static struct seen {                /* what body_req saw */
    int resumed, resumed_inside_send, done;
    long status, size, json_n;
    int ok, error_null, hdr_null, loc_null;
    char text[1024], error[512], hdr[128], hdr_missing[16], raised[128], url[256];
    double time;
    uint64_t reqs_at_resume;        /* total requests when resumed */
} S;

static int in_send;

typedef struct req_frame {
    sw_frame h;
    sw_val r;
} req_frame;

static sw_str K_status = SW_STR_LIT("status"), K_ok = SW_STR_LIT("ok"),
    K_text = SW_STR_LIT("text"), K_json = SW_STR_LIT("json"), K_time = SW_STR_LIT("time"),
    K_size = SW_STR_LIT("size"), K_error = SW_STR_LIT("error"), K_n = SW_STR_LIT("n"),
    K_nope = SW_STR_LIT("nope"), K_url = SW_STR_LIT("url");

static void copy_str(char *dst, size_t cap, sw_val v)
{
    if (v.t == SW_T_STR)
        snprintf(dst, cap, "%.*s", (int)SW_AS_STR(v)->len, SW_AS_STR(v)->s);
    else
        dst[0] = '\0';
    sw_unref(v);
}

/* Reads every field of the response r (borrowed) into S. */
static void observe(sw_val r)
{
    sw_val v = sw_field(sw_ref(r), &K_status);
    S.status = v.t == SW_T_INT ? (long)v.u.i : -1;
    v = sw_field(sw_ref(r), &K_ok);
    S.ok = v.t == SW_T_BOOL ? v.u.b : -1;
    copy_str(S.text, sizeof S.text, sw_field(sw_ref(r), &K_text));
    v = sw_field(sw_ref(r), &K_time);
    S.time = v.t == SW_T_FLOAT ? v.u.f : -1;
    v = sw_field(sw_ref(r), &K_size);
    S.size = v.t == SW_T_INT ? (long)v.u.i : -1;
    v = sw_field(sw_ref(r), &K_error);
    S.error_null = v.t == SW_T_NULL;
    copy_str(S.error, sizeof S.error, v);
    v = sw_resp_header(sw_ref(r), sw_cstr("x-TEST"));
    S.hdr_null = v.t == SW_T_NULL;
    copy_str(S.hdr, sizeof S.hdr, v);
    v = sw_resp_header(sw_ref(r), sw_cstr("X-Missing"));
    snprintf(S.hdr_missing, sizeof S.hdr_missing, "%s", v.t == SW_T_NULL ? "null" : "set");
    sw_unref(v);
    v = sw_resp_header(sw_ref(r), sw_cstr("Location"));
    S.loc_null = v.t == SW_T_NULL;
    sw_unref(v);
    copy_str(S.url, sizeof S.url, sw_field(sw_ref(r), &K_url));
    S.json_n = -1;
    if (strstr(S.text, "\"n\"")) {
        sw_val j = sw_field(sw_ref(r), &K_json);
        sw_val n = sw_field(sw_ref(j), &K_n);
        S.json_n = n.t == SW_T_INT ? (long)n.u.i : -2;
        sw_val j2 = sw_field(sw_ref(r), &K_json);   /* cached: the same view */
        if (j2.t != j.t || (j.t >= SW_T_STR && j2.u.h != j.u.h))
            S.json_n = -3;
        sw_unref(sw_field(sw_ref(j), &K_nope));
        sw_unref(j2);
        sw_unref(j);
    }
}

static sw_step body_req(sw_co *co)
{
    req_frame *F = sw_frame_of(co);
    if (F->h.pc == 1) goto resume_1;
    if (F->h.pc == 2) goto resume_2;
    sw_req *q = sw_req_new(co, P.method, sw_cstr(P.url), sw_cstr(P.name));
    if (P.hk)
        sw_req_header(q, sw_cstr(P.hk), sw_cstr(P.hv));
    sw_req_header(q, sw_cstr("X-Null"), SW_NULL);
    if (P.qk)
        sw_req_query(q, sw_cstr(P.qk), sw_cstr(P.qv));
    if (P.fk) {
        sw_req_form(q, sw_cstr(P.fk), sw_cstr(P.fv));
        sw_req_form(q, sw_cstr("n"), sw_int(7));
    }
    if (P.json)
        sw_req_json(q, sw_obj(2, sw_cstr("a"), sw_int(1), sw_cstr("b"), sw_cstr("x")));
    if (P.body)
        sw_req_body(q, sw_cstr(P.body));
    if (P.timeout_ms > 0)
        sw_req_timeout(q, P.timeout_ms);
    if (P.no_redirects)
        sw_req_redirects(q, 0);
    in_send = 1;
    sw_req_send(q, &F->r, P.block);
    in_send = 0;
    F->h.pc = 1;
    return SW_WAIT;
resume_1:
    S.resumed++;
    S.resumed_inside_send = in_send;
    S.reqs_at_resume = sw_stats_total_requests(sw_rt.stats);
    observe(F->r);
    if (!P.block)
        return SW_DONE;
    if (P.sleep_ms > 0) {
        F->h.pc = 2;
        sw_sleep(co, P.sleep_ms);
        return SW_WAIT;
    }
resume_2:
    if (P.act == ACT_SETTLE)
        sw_settle(co, sw_ref(F->r));
    else if (P.act == ACT_OK)
        sw_decide(co, sw_ref(F->r), 1, SW_NULL);
    else if (P.act == ACT_FAIL)
        sw_decide(co, sw_ref(F->r), 0, sw_cstr("Saw ERROR status"));
    else if (P.act == ACT_TWICE) {
        sw_clear_last_error();
        sw_decide(co, sw_ref(F->r), 1, SW_NULL);
        sw_decide(co, sw_ref(F->r), 0, sw_cstr("again"));
        snprintf(S.raised, sizeof S.raised, "%s", sw_last_error());
    }
    return SW_DONE;
}

static const sw_body BODY_REQ = { "test body", body_req, sizeof(req_frame) };

static void co_done(sw_co *co, void *arg)
{
    (void)co;
    ((struct seen *)arg)->done = 1;
}

/* Runs body_req with plan P on a fresh hook coroutine, at most ms. */
static sw_co *start_plan(void)
{
    memset(&S, 0, sizeof S);
    sw_co *co = sw_co_new(SW_CO_HOOK, NULL, NULL, NULL, co_done, &S);
    sw_co_begin(co, &BODY_REQ);
    sw_co_resume(co);
    return co;
}

static void run_plan(long ms)
{
    sw_co *co = start_plan();
    run_until(&S.done, ms);
    sw_co_free(co);
}

/* Transfers in flight on both engines. */
static int running(void)
{
    return sw_http_running(H) + sw_h1_running(H1);
}

static uint64_t reqs(void) { return sw_stats_total_requests(sw_rt.stats); }
static uint64_t fails(void) { return sw_stats_total_failures(sw_rt.stats); }

/* The failures table as text (for failure messages). */
static int failures_mention(const char *needle)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return 0;
    sw_report_failures(f, sw_rt.stats);
    fclose(f);
    int found = buf && strstr(buf, needle) != NULL;
    free(buf);
    return found;
}

/* The Avg column (ms) of the requests-table row named name, or -1. */
static double table_avg(const char *name)
{
    char *buf = NULL;
    size_t len = 0;
    double avg = -1;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return -1;
    sw_report_table(f, sw_rt.stats, 0);
    fclose(f);
    for (char *line = buf; line && *line; ) {
        char *eol = strchr(line, '\n');
        if (eol)
            *eol = '\0';
        char *bar = strchr(line, '|');
        if (strstr(line, name) && bar)
            avg = strtod(bar + 1, NULL);
        line = eol ? eol + 1 : NULL;
    }
    free(buf);
    return avg;
}

static void request_tests(sw_http *h)
{
    char host[128], api[128];
    snprintf(host, sizeof host, "http://127.0.0.1:%d", port);
    snprintf(api, sizeof api, "http://127.0.0.1:%d/api/", port);
    sw_rt.base = base;
    sw_rt.http = h;
    sw_rt.h1 = H1;
    sw_rt.stats = sw_stats_new();
    sw_rt.opts.host = host;
    uint64_t r0, f0;

    /* plain GET without a block: reported at once by the default rule */
    memset(&P, 0, sizeof P);
    P.method = SW_GET; P.url = "/json"; P.name = "/json";
    r0 = reqs(); f0 = fails();
    run_plan(5000);
    CHECK(S.resumed == 1 && S.done && !S.resumed_inside_send,
          "req: the body resumes once, from the loop");
    CHECK(S.status == 200 && S.ok == 1 && S.size == 21 && strcmp(S.text, "{\"ok\": true, \"n\": 42}") == 0,
          "req: status, ok, size, text");
    CHECK(S.json_n == 42, "req: r.json.n == 42, parsed once (%ld)", S.json_n);
    CHECK(strcmp(S.hdr, "second") == 0 && strcmp(S.hdr_missing, "null") == 0,
          "req: header lookup is case-insensitive, last wins, null if absent ('%s')", S.hdr);
    CHECK(S.error_null && S.time > 0 && S.time < 5000, "req: error null, time %.2f ms", S.time);
    CHECK(S.reqs_at_resume == r0 + 1 && reqs() == r0 + 1 && fails() == f0,
          "req: one success reported before the body resumed");

    /* 404: failure "HTTP 404 Not Found" */
    P.url = "/missing"; P.name = "/missing";
    f0 = fails();
    run_plan(5000);
    CHECK(S.status == 404 && S.ok == 0 && S.error_null && strcmp(S.text, "nothing here") == 0,
          "req: 404 is a response, not a transport error");
    CHECK(fails() == f0 + 1 && failures_mention("HTTP 404 Not Found"),
          "req: 404 reported as 'HTTP 404 Not Found'");

    /* POST with json, a header, a query: joined to a host with a path prefix */
    sw_rt.opts.host = api;
    memset(&P, 0, sizeof P);
    P.method = SW_POST; P.url = "/echo"; P.name = "echo";
    P.hk = "X-Echo"; P.hv = "v1"; P.qk = "q k"; P.qv = "a b&c/é"; P.json = 1;
    run_plan(5000);
    CHECK(strstr(S.text, "uri=/api/echo?q%20k=a%20b%26c%2F%C3%A9\n") != NULL,
          "req: relative URL joined to the host's path, query encoded");
    CHECK(strstr(S.text, "method=POST\n") && strstr(S.text, "ctype=application/json\n") &&
          strstr(S.text, "x-echo=v1\n") && strstr(S.text, "\"a\"") && strstr(S.text, "\"b\""),
          "req: json body with Content-Type and the script's header");
    sw_rt.opts.host = host;

    /* form, and a script Content-Type wins over the runtime's */
    memset(&P, 0, sizeof P);
    P.method = SW_PUT; P.url = "/echo"; P.name = "echo"; P.fk = "k"; P.fv = "v w";
    run_plan(5000);
    CHECK(strstr(S.text, "method=PUT\n") && strstr(S.text, "body=k=v+w&n=7") &&
          strstr(S.text, "ctype=application/x-www-form-urlencoded\n"), "req: form body");
    memset(&P, 0, sizeof P);
    P.method = SW_PATCH; P.url = "/echo"; P.name = "echo"; P.body = "raw!";
    P.hk = "content-type"; P.hv = "text/plain";
    run_plan(5000);
    CHECK(strstr(S.text, "method=PATCH\n") && strstr(S.text, "body=raw!") &&
          strstr(S.text, "ctype=text/plain\n"), "req: raw body, the script's Content-Type");
    P.method = SW_GET; P.body = NULL; P.hk = NULL;
    run_plan(5000);
    CHECK(strstr(S.text, "method=GET\n") && strstr(S.text, "clen=-\n") &&
          strstr(S.text, "ctype=-\n"), "req: a GET after them is a plain GET");

    /* absolute URL, redirects off */
    char abs[160];
    snprintf(abs, sizeof abs, "%s/redirect", host);
    memset(&P, 0, sizeof P);
    P.method = SW_GET; P.url = abs; P.name = "redir"; P.no_redirects = 1;
    run_plan(5000);
    CHECK(S.status == 302 && S.ok == 1 && !S.loc_null,
          "req: absolute URL, redirects off gives the 302");

    /* redirects on (the default): followed here, above both engines */
    char final[160];
    snprintf(final, sizeof final, "%s/json", host);
    P.url = "/redirect"; P.no_redirects = 0;
    r0 = reqs(); f0 = fails();
    run_plan(5000);
    CHECK(S.status == 200 && S.json_n == 42 && strcmp(S.url, final) == 0,
          "req: redirect followed: the final response, r.url '%s'", S.url);
    CHECK(strcmp(S.hdr, "second") == 0 && S.loc_null,
          "req: redirect followed: the final response's headers only");
    CHECK(reqs() == r0 + 1 && fails() == f0, "req: a followed redirect is one request");

    /* transport errors: refused, timeout, no host */
    char dead[128];
    snprintf(dead, sizeof dead, "http://127.0.0.1:%d/x", dead_port());
    P.url = dead; P.no_redirects = 0;
    f0 = fails();
    run_plan(5000);
    CHECK(S.status == 0 && S.ok == 0 && !S.error_null && strstr(S.error, "Couldn't connect"),
          "req: connection refused: status 0, r.error '%s'", S.error);
    CHECK(fails() == f0 + 1 && failures_mention("Couldn't connect to server"),
          "req: refusal reported with curl's text");
    P.url = "/slow?ms=2000"; P.timeout_ms = 100;
    run_plan(5000);
    CHECK(S.status == 0 && strstr(S.error, "timed out") && S.time >= 90 && S.time < 1500,
          "req: timeout 100 ms: '%s' after %.0f ms", S.error, S.time);
    sw_rt.opts.host = NULL;
    P.url = "/json"; P.timeout_ms = 0;
    f0 = fails();
    run_plan(5000);
    CHECK(S.resumed == 1 && !S.resumed_inside_send && S.status == 0 &&
          strcmp(S.error, "no host: set `host` in the script or pass --host") == 0,
          "req: no host fails asynchronously: '%s'", S.error);
    CHECK(fails() == f0 + 1, "req: no host is reported as a failure");
    sw_rt.opts.host = host;

    /* response blocks: reported only when decided */
    memset(&P, 0, sizeof P);
    P.method = SW_GET; P.url = "/missing"; P.name = "blk"; P.block = 1; P.act = ACT_SETTLE;
    r0 = reqs(); f0 = fails();
    run_plan(5000);
    CHECK(S.reqs_at_resume == r0, "req: with a block nothing is reported at completion");
    CHECK(reqs() == r0 + 1 && fails() == f0 + 1, "req: settle applies the default rule");
    P.url = "/json"; P.name = "slept"; P.act = ACT_FAIL; P.sleep_ms = 100;
    r0 = reqs(); f0 = fails();
    run_plan(5000);
    CHECK(reqs() == r0 + 1 && fails() == f0 + 1 && failures_mention("Saw ERROR status"),
          "req: failure with the script's message, after a sleep");
    double avg = table_avg("slept");
    CHECK(avg >= 95 && avg < 2000, "req: duration runs until the decision (%.1f ms)", avg);
    P.name = "blk";
    P.act = ACT_OK; P.sleep_ms = 0;
    r0 = reqs(); f0 = fails();
    run_plan(5000);
    CHECK(reqs() == r0 + 1 && fails() == f0, "req: success on a 200");
    P.url = "/missing"; P.act = ACT_OK;
    r0 = reqs(); f0 = fails();
    run_plan(5000);
    CHECK(reqs() == r0 + 1 && fails() == f0, "req: success overrides a 404");
    P.act = ACT_TWICE;
    uint64_t e0 = sw_stats_total_exceptions(sw_rt.stats);
    r0 = reqs();
    run_plan(5000);
    CHECK(strcmp(S.raised, "response already decided") == 0 && reqs() == r0 + 1,
          "req: a second decision raises and is not reported ('%s')", S.raised);
    CHECK(sw_stats_total_exceptions(sw_rt.stats) == e0 + 1, "req: ... counted as an exception");

    /* cancelled in flight: no resume, nothing reported */
    memset(&P, 0, sizeof P);
    P.method = SW_GET; P.url = "/slow?ms=300"; P.name = "cancel";
    r0 = reqs();
    sw_co *co = start_plan();
    run_until(NULL, 50);
    sw_co_cancel(co);
    run_until(NULL, 400);
    CHECK(S.resumed == 0 && reqs() == r0 && running() == 0,
          "req: cancel in flight: no resume, nothing reported");
    sw_co_free(co);
    /* cancelled in its block before deciding: freed undecided, not reported */
    P.url = "/json"; P.block = 1; P.sleep_ms = 2000; P.act = ACT_OK;
    co = start_plan();
    run_until(&S.resumed, 2000);
    run_until(NULL, 50);
    sw_co_cancel(co);
    sw_co_free(co);
    CHECK(S.resumed == 1 && reqs() == r0, "req: undecided response freed unreported");

    sw_stats_free(sw_rt.stats);
    sw_rt.stats = NULL;
    sw_rt.opts.host = NULL;
    sw_req_shutdown();
}

int main(void)
{
    base = event_base_new();
    struct evhttp *srv = evhttp_new(base);
    evhttp_set_allowed_methods(srv, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                               EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS |
                               EVHTTP_REQ_PATCH);
    evhttp_set_gencb(srv, serve, NULL);
    struct evhttp_bound_socket *bs = evhttp_bind_socket_with_handle(srv, "127.0.0.1", 0);
    CHECK(bs != NULL, "test server listens on 127.0.0.1");
    if (!bs)
        return CHECK_DONE();
    struct sockaddr_in sa;
    socklen_t salen = sizeof sa;
    getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&sa, &salen);
    port = ntohs(sa.sin_port);

    sw_http *h = sw_http_new(base);
    CHECK(h != NULL, "sw_http_new");
    H = h;
    H1 = sw_h1_new(base);
    CHECK(H1 != NULL, "sw_h1_new");
    int mode = sw_client_mode();
    int want = mode == SW_ENGINE_CURL ? SW_ENGINE_CURL : SW_ENGINE_NATIVE;
    printf("# engine: %s\n", sw_client_engine_name(want));
    sw_client *c = sw_client_new(base, h, H1);
    CHECK(c != NULL, "sw_client_new");
    result x, y;

    /* plain GET, JSON body, headers */
    fetch(c, &x, SW_HTTP_GET, url("/json"), NULL, 0, NULL, 5000);
    CHECK(x.done == 1 && x.status == 200, "GET /json gives 200 (got %ld)", x.status);
    CHECK(strcmp(x.body, "{\"ok\": true, \"n\": 42}") == 0 && x.body_len == 21,
          "GET /json body is the JSON text");
    CHECK(strcmp(x.reason, "OK") == 0, "reason phrase OK (got '%s')", x.reason);
    CHECK(strstr(x.headers, "X-Test: first\r\n") && strstr(x.headers, "X-Test: second\r\n") &&
          strstr(x.headers, "Content-Type: application/json\r\n"),
          "response header lines are collected");
    CHECK(strncmp(x.headers, "HTTP/", 5) != 0, "status line is not among the headers");
    CHECK(!x.has_error, "no error text on success");
    CHECK(x.new_conns == 1, "first request opens a connection (%ld)", x.new_conns);
    CHECK(x.engine == want, "carried by the %s engine (%d)", sw_client_engine_name(want), x.engine);
    CHECK(x.wire_len == 21, "wire size is the body's 21 bytes (%zu)", x.wire_len);
    CHECK(running() == 0 && !sw_client_busy(c), "idle after completion");

    /* keep-alive: the second request reuses the connection */
    fetch(c, &x, SW_HTTP_GET, url("/echo"), NULL, 0, NULL, 5000);
    fetch(c, &y, SW_HTTP_GET, url("/echo"), NULL, 0, NULL, 5000);
    CHECK(x.new_conns == 0 && y.new_conns == 0, "later requests open no connection");
    CHECK(echo_port(&x) > 0 && echo_port(&x) == echo_port(&y),
          "server sees the same client port twice (%ld, %ld)", echo_port(&x), echo_port(&y));

    /* 404 and a custom reason */
    fetch(c, &x, SW_HTTP_GET, url("/missing"), NULL, 0, NULL, 5000);
    CHECK(x.status == 404 && strcmp(x.reason, "Not Found") == 0 && !x.has_error,
          "404 with reason 'Not Found' is not a transport error");
    CHECK(strcmp(x.body, "nothing here") == 0, "404 body is kept");
    fetch(c, &x, SW_HTTP_GET, url("/teapot"), NULL, 0, NULL, 5000);
    CHECK(x.status == 418 && strcmp(x.reason, "I'm a teapot") == 0,
          "reason phrase comes from the status line ('%s')", x.reason);

    /* methods and bodies */
    const char *hl[] = { "X-Echo: hello there", "Expect:" };
    fetch(c, &x, SW_HTTP_POST, url("/echo"), hl, 2, "a=1&b=2", 5000);
    CHECK(body_has(&x, "method=POST\n") && body_has(&x, "body=a=1&b=2") &&
          body_has(&x, "clen=7\n"), "POST sends its body");
    CHECK(body_has(&x, "x-echo=hello there\n"), "request headers are sent");
    fetch(c, &x, SW_HTTP_POST, url("/echo"), NULL, 0, NULL, 5000);
    CHECK(body_has(&x, "method=POST\n") && body_has(&x, "clen=0\n"),
          "POST without a body sends Content-Length: 0");
    fetch(c, &x, SW_HTTP_GET, url("/echo"), NULL, 0, NULL, 5000);
    CHECK(body_has(&x, "method=GET\n") && body_has(&x, "clen=-\n") &&
          body_has(&x, "x-echo=-\n"), "a GET after a POST is a plain GET");
    const char *ct[] = { "Content-Type: application/json" };
    fetch(c, &x, SW_HTTP_PUT, url("/echo"), ct, 1, "{\"a\":1}", 5000);
    CHECK(body_has(&x, "method=PUT\n") && body_has(&x, "body={\"a\":1}") &&
          body_has(&x, "ctype=application/json\n"), "PUT sends its body and Content-Type");
    fetch(c, &x, SW_HTTP_PATCH, url("/echo"), NULL, 0, "p", 5000);
    CHECK(body_has(&x, "method=PATCH\n") && body_has(&x, "body=p"), "PATCH with a body");
    fetch(c, &x, SW_HTTP_DELETE, url("/echo"), NULL, 0, NULL, 5000);
    CHECK(body_has(&x, "method=DELETE\n") && body_has(&x, "clen=-\n"), "DELETE without a body");
    fetch(c, &x, SW_HTTP_OPTIONS, url("/echo"), NULL, 0, NULL, 5000);
    CHECK(body_has(&x, "method=OPTIONS\n"), "OPTIONS");
    fetch(c, &x, SW_HTTP_HEAD, url("/json"), NULL, 0, NULL, 5000);
    CHECK(x.status == 200 && x.body_len == 0 && strstr(x.headers, "X-Test: first"),
          "HEAD: status and headers, no body");
    fetch(c, &x, SW_HTTP_GET, url("/echo"), NULL, 0, NULL, 5000);
    CHECK(x.status == 200 && body_has(&x, "method=GET\n"), "a GET after a HEAD has a body");

    /* redirects are request.c's (see request_tests): the client hands the 3xx over */
    fetch(c, &x, SW_HTTP_GET, url("/redirect"), NULL, 0, NULL, 5000);
    CHECK(x.status == 302 && strstr(x.headers, "Location: /json") && x.new_conns == 0,
          "the client does not follow a redirect: the 302 is the result");

    /* timeout */
    fetch(c, &x, SW_HTTP_GET, url("/slow?ms=3000"), NULL, 0, NULL, 200);
    CHECK(x.done && x.status == 0 && x.has_error && strstr(x.error, "timed out"),
          "timeout is a transport error: '%s'", x.error);
    CHECK(x.ms >= 150 && x.ms < 1500, "timeout fires on time (%.0f ms)", x.ms);
    CHECK(!strstr(x.error, "milliseconds") && !strstr(x.error, " ms"),
          "error text has no elapsed time in it");
    fetch(c, &x, SW_HTTP_GET, url("/slow?ms=50"), NULL, 0, NULL, 5000);
    CHECK(x.status == 200 && strcmp(x.body, "slow") == 0 && x.ms >= 40,
          "slow route answers after its delay (%.0f ms)", x.ms);

    /* connection refused */
    char dead[128];
    snprintf(dead, sizeof dead, "http://127.0.0.1:%d/", dead_port());
    fetch(c, &x, SW_HTTP_GET, dead, NULL, 0, NULL, 5000);
    CHECK(x.done && x.status == 0 && strstr(x.error, "Couldn't connect to server") &&
          strstr(x.error, "Failed to connect to 127.0.0.1 port"),
          "connection refused: '%s'", x.error);
    CHECK(!strstr(x.error, " after "), "refusal text has no elapsed time");

    /* bad URLs fail asynchronously */
    sw_http_req bad = { SW_HTTP_GET, "ftp://127.0.0.1/x", NULL, 0, NULL, 0, 1000, NULL };
    memset(&x, 0, sizeof x);
    sw_client_start(c, &bad, on_done, on_drop, &x);
    CHECK(x.done == 0, "a failing start does not call back at once");
    run_until(&x.done, 2000);
    CHECK(x.done == 1 && x.status == 0 && x.has_error, "ftp URL refused: '%s'", x.error);
    bad.url = "http://";
    memset(&x, 0, sizeof x);
    sw_client_start(c, &bad, on_done, on_drop, &x);
    run_until(&x.done, 2000);
    CHECK(x.done == 1 && x.status == 0 && x.has_error, "malformed URL: '%s'", x.error);

    /* sw_client_fail */
    memset(&x, 0, sizeof x);
    sw_client_fail(c, "no host: set it", on_done, on_drop, &x);
    CHECK(x.done == 0 && sw_client_busy(c) && running() == 0,
          "sw_client_fail completes later, busy meanwhile, no engine involved");
    run_until(&x.done, 2000);
    CHECK(x.done == 1 && x.status == 0 && strcmp(x.error, "no host: set it") == 0 &&
          x.engine == want && !sw_client_busy(c),
          "sw_client_fail completes with its message, on the %s engine's count",
          sw_client_engine_name(want));

    /* abort: no callback, the conn is usable again */
    memset(&x, 0, sizeof x);
    sw_http_req slow = { SW_HTTP_GET, url("/slow?ms=200"), NULL, 0, NULL, 0, 5000, NULL };
    sw_client_start(c, &slow, on_done, on_drop, &x);
    run_until(NULL, 50);
    sw_client_abort(c);
    CHECK(x.dropped == 1 && running() == 0 && !sw_client_busy(c),
          "abort releases the transfer");
    run_until(NULL, 400);
    CHECK(x.done == 0, "abort gives no completion callback");
    memset(&x, 0, sizeof x);
    sw_client_fail(c, "x", on_done, on_drop, &x);
    sw_client_abort(c);
    run_until(NULL, 50);
    CHECK(x.done == 0 && x.dropped == 1, "abort cancels a pending sw_client_fail");
    fetch(c, &x, SW_HTTP_GET, url("/json"), NULL, 0, NULL, 5000);
    CHECK(x.status == 200, "the conn works after an abort");

    /* many conns at once */
    enum { N = 40 };
    sw_client *cs[N];
    result rs[N];
    double t0 = now_ms();
    sw_http_req par = { SW_HTTP_GET, url("/slow?ms=200"), NULL, 0, NULL, 0, 5000, NULL };
    for (int i = 0; i < N; i++) {
        cs[i] = sw_client_new(base, h, H1);
        memset(&rs[i], 0, sizeof rs[i]);
        sw_client_start(cs[i], &par, on_done, on_drop, &rs[i]);
    }
    CHECK(running() == N, "%d transfers in flight", N);
    int all = 0, ok = 0;
    for (long waited = 0; !all && waited < 5000; waited += 10) {
        run_until(NULL, 10);
        all = 1;
        for (int i = 0; i < N; i++)
            all &= rs[i].done == 1;
    }
    for (int i = 0; i < N; i++)
        ok += rs[i].status == 200 && strcmp(rs[i].body, "slow") == 0;
    CHECK(ok == N, "%d concurrent transfers all succeed (%d)", N, ok);
    CHECK(now_ms() - t0 < 1500, "they ran concurrently (%.0f ms)", now_ms() - t0);

    /* free while in flight: dropped, no callback */
    for (int i = 0; i < N; i++) {
        memset(&rs[i], 0, sizeof rs[i]);
        sw_client_start(cs[i], &par, on_done, on_drop, &rs[i]);
    }
    run_until(NULL, 30);
    for (int i = 0; i < N; i++)
        sw_client_free(cs[i]);
    run_until(NULL, 300);
    int dropped = 0, done = 0;
    for (int i = 0; i < N; i++) {
        dropped += rs[i].dropped;
        done += rs[i].done;
    }
    CHECK(dropped == N && done == 0 && running() == 0,
          "sw_conn_free in flight drops without callbacks (%d, %d)", dropped, done);

    sw_client_free(c);
    no_conn_tests(want);
    request_tests(h);
    sw_http_free(h);
    sw_h1_free(H1);
    run_until(NULL, 50);          /* let the server see the closes */
    evhttp_free(srv);
    event_base_free(base);
    return CHECK_DONE();
}
