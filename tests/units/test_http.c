/*
 * test_http.c -- the HTTP client (client.c over h1.c and http.c) against a
 * real HTTP server (httpsrv.h: evhttp on an ephemeral 127.0.0.1 port, on the
 * same event loop). The whole suite runs on the engine SWARM_HTTP_ENGINE
 * names (tests/run.sh runs it once with "native" and once with "curl");
 * every check is the same for both. The client follows no redirect: a 302
 * is its result (request.c follows them: test_request.c).
 */
#include "httpsrv.h"
#include "client.h"

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

int main(void)
{
    struct evhttp *srv = srv_start();
    if (!srv || !H || !H1)
        return CHECK_DONE();
    sw_http *h = H;
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
    srv_stop(srv);
    return CHECK_DONE();
}

