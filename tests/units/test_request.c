/*
 * test_request.c -- request.c and resp.c end to end: a hand-written body in
 * the shape swarmc generates drives sw_req_* on a real coroutine (co.c)
 * against a real HTTP server (httpsrv.h), through the client of the engine
 * SWARM_HTTP_ENGINE names (tests/run.sh runs it on both); results are read
 * back through the response's fields and the stats (stats.c). Redirects
 * are followed here, by request.c, and tested here only.
 */
#include "httpsrv.h"
#include "client.h"
#include "co.h"
#include "report.h"
#include "request.h"
#include "rt.h"
#include "stats.h"
#include "value.h"

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
    struct evhttp *srv = srv_start();
    if (!srv || !H || !H1)
        return CHECK_DONE();
    printf("# engine: %s\n", sw_client_engine_name(sw_client_mode() == SW_ENGINE_CURL
                                                     ? SW_ENGINE_CURL : SW_ENGINE_NATIVE));
    request_tests(H);
    srv_stop(srv);
    return CHECK_DONE();
}
