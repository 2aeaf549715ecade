/*
 * web.c -- the web UI's HTTP server (see web.h and docs/web-api.md).
 *
 * One generic evhttp callback routes every request: basic auth (when
 * configured), the Host check (a loopback server answers only to loopback
 * names, against DNS rebinding), the route table (unknown paths: the
 * embedded assets, else 404; a known path with another method: 405), the
 * cross-site check for state-changing routes (Origin / Sec-Fetch-Site),
 * then the handler. Every API answer is JSON (or CSV / Prometheus text);
 * errors are {"success": false, "message": "..."}.
 *
 * Bodies are read through a memory stream (open_memstream): the exporters
 * write to a FILE *, and the bytes go into the reply's evbuffer.
 */
#include "web.h"
#include "arrival.h"
#include "assets.h"
#include "builtins.h"
#include "cli.h"
#include "export.h"
#include "html.h"
#include "report.h"
#include "runner.h"
#include "webconn.h"
#include "webreq.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#define HARD_MAX_BODY (1024 * 1024)  /* above: evhttp's own 413 */
#define MAX_HEADERS   (32 * 1024)
#define CONN_TIMEOUT  60             /* seconds an idle connection stays open */

enum { M_GET = 1, M_POST = 2 };      /* methods a route takes (HEAD with GET) */

static struct {
    struct evhttp *http;             /* the server, or NULL */
    int port;                        /* the bound port */
    sw_web_config cfg;               /* borrowed strings and history */
    char *auth_token;                /* base64 of cfg.auth (owned), or NULL */
} W;

/* ---------------------------------------------------------------- replies */

static const char *reason(int code)
{
    switch (code) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 500: return "Internal Server Error";
    }
    return "Error";
}

/* A reply body being written. */
typedef struct mem {
    char *buf;                       /* open_memstream's buffer */
    size_t len;
    FILE *f;                         /* NULL when it could not be opened */
} mem;

static FILE *mem_open(mem *m)
{
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
    return m->f;
}

static void send_raw(struct evhttp_request *req, int code, const char *ctype,
                     const void *data, size_t len)
{
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_add_header(h, "Content-Type", ctype);
    evhttp_add_header(h, "Cache-Control", "no-store");
    evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
    evhttp_add_header(h, "X-Frame-Options", "DENY");
    evhttp_add_header(h, "Referrer-Policy", "no-referrer");
    struct evbuffer *b = evbuffer_new();
    if (b && len)
        evbuffer_add(b, data, len);
    evhttp_send_reply(req, code, reason(code), b);
    if (b)
        evbuffer_free(b);
}

static const char OOM[] = "{\"success\":false,\"message\":\"out of memory\"}\n";

/* Close m's stream and send what was written (500 when it failed). */
static void mem_send(struct evhttp_request *req, int code, const char *ctype, mem *m)
{
    int bad = !m->f;
    if (m->f) {
        bad = ferror(m->f);
        bad |= fclose(m->f) != 0;
    }
    if (bad)
        send_raw(req, 500, "application/json", OOM, sizeof OOM - 1);
    else
        send_raw(req, code, ctype, m->buf, m->len);
    free(m->buf);
}

/* {"success": ok, "message": msg} plus extra fields (already JSON, starting
 * with a comma) or NULL. */
static void send_msg(struct evhttp_request *req, int code, const char *msg, const char *extra)
{
    mem m;
    FILE *f = mem_open(&m);
    if (f) {
        fprintf(f, "{\"success\":%s,\"message\":", code == 200 ? "true" : "false");
        sw_export_json_str(f, msg);
        fprintf(f, "%s}\n", extra ? extra : "");
    }
    mem_send(req, code, "application/json", &m);
}

static void send_errf(struct evhttp_request *req, int code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    send_msg(req, code, msg, NULL);
}

/* ---------------------------------------------------------------- context */

static const char *effective_host(void)
{
    if (sw_rt.opts.host)
        return sw_rt.opts.host;
    return sw_rt.script && sw_rt.script->host ? sw_rt.script->host : "";
}

static void ctx_now(sw_export_ctx *c)
{
    c->stats = sw_rt.stats;
    c->history = W.cfg.history;
    c->state = sw_runner_state_name(sw_runner_state());
    c->user_count = sw_runner_user_count();
    c->now_s = sw_wall();
}

/* ---------------------------------------------------------------- handlers */

static void h_swarm(struct evhttp_request *req)
{
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t len = evbuffer_get_length(in);
    if (len > SW_WEB_MAX_BODY) {
        send_errf(req, 400, "the request body has %zu bytes; at most %d are accepted",
                  len, SW_WEB_MAX_BODY);
        return;
    }
    const char *body = len ? (const char *)evbuffer_pullup(in, -1) : "";
    const char *ct = evhttp_find_header(evhttp_request_get_input_headers(req), "Content-Type");
    sw_swarm_args a;
    char msg[300];
    if (!body || sw_webreq_swarm(body, len, ct, sw_rt.opts.hatch_rate, &a, msg, sizeof msg) != 0) {
        send_msg(req, 400, body ? msg : "out of memory", NULL);
        return;
    }
    sw_run_state st = sw_runner_state();
    int active = st == SW_RUN_HATCHING || st == SW_RUN_RUNNING || st == SW_RUN_STOPPING;
    if (a.arrival_rate > 0 && active && !sw_arr_enabled()) {
        send_msg(req, 400, "rate applies to the open model: this test runs the closed model; "
                 "stop it first, or start the binary with --rate", NULL);
        sw_webreq_free(&a);
        return;
    }
    if (a.arrival_rate > 0) {                /* issue 10: the open model's rate */
        if (sw_arr_enabled())
            sw_arr_set_rate(a.arrival_rate);
        else
            sw_arr_configure(a.arrival_rate, 0);
    }
    if (sw_rt.script && sw_cli_missing_host(sw_rt.script, a.host ? a.host : sw_rt.opts.host)) {
        send_msg(req, 400, "no host to send requests to: the script sets none and no --host was "
                           "given; send host=http://HOST:PORT", NULL);
    } else if (!W.cfg.hooks.start
        || W.cfg.hooks.start(a.users, a.rate, a.host, a.run_time_ms, W.cfg.hooks.arg) != 0) {
        send_msg(req, 409, "the test is stopping; start again once it has stopped", NULL);
    } else {
        mem m;
        FILE *f = mem_open(&m);
        if (f) {
            fputs("{\"success\":true,\"message\":\"Swarming started\",\"host\":", f);
            sw_export_json_str(f, effective_host());
            fprintf(f, ",\"user_count\":%d,\"spawn_rate\":%.15g}\n", a.users, a.rate);
        }
        mem_send(req, 200, "application/json", &m);
    }
    sw_webreq_free(&a);
}

static void h_stop(struct evhttp_request *req)
{
    sw_run_state st = sw_runner_state();
    int running = st == SW_RUN_HATCHING || st == SW_RUN_RUNNING;
    if (running && W.cfg.hooks.stop)
        W.cfg.hooks.stop(W.cfg.hooks.arg);
    send_msg(req, 200, running ? "Test stopped" : "No test is running", NULL);
}

static void h_reset(struct evhttp_request *req)
{
    if (W.cfg.hooks.reset)
        W.cfg.hooks.reset(W.cfg.hooks.arg);
    send_msg(req, 200, "Statistics reset", NULL);
}

static void h_requests(struct evhttp_request *req)
{
    sw_export_ctx c;
    ctx_now(&c);
    mem m;
    if (mem_open(&m))
        sw_export_requests(m.f, &c);
    mem_send(req, 200, "application/json", &m);
}

static void h_history(struct evhttp_request *req)
{
    mem m;
    if (mem_open(&m))
        sw_export_history(m.f, W.cfg.history);
    mem_send(req, 200, "application/json", &m);
}

static void h_exceptions(struct evhttp_request *req)
{
    mem m;
    if (mem_open(&m))
        sw_export_exceptions(m.f, sw_rt.stats);
    mem_send(req, 200, "application/json", &m);
}

static void h_metrics(struct evhttp_request *req)
{
    sw_export_ctx c;
    ctx_now(&c);
    mem m;
    if (mem_open(&m))
        sw_export_metrics(m.f, &c);
    mem_send(req, 200, "text/plain; version=0.0.4; charset=utf-8", &m);
}

/* A CSV download named swarm_<what>.csv. */
static void send_csv(struct evhttp_request *req, const char *what, mem *m)
{
    char cd[96];
    snprintf(cd, sizeof cd, "attachment; filename=\"swarm_%s.csv\"", what);
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Disposition", cd);
    mem_send(req, 200, "text/csv; charset=utf-8", m);
}

static void h_stats_csv(struct evhttp_request *req)
{
    mem m;
    if (mem_open(&m))
        sw_report_stats_csv(m.f, sw_rt.stats);
    send_csv(req, "stats", &m);
}

static void h_failures_csv(struct evhttp_request *req)
{
    mem m;
    if (mem_open(&m))
        sw_report_failures_csv(m.f, sw_rt.stats);
    send_csv(req, "failures", &m);
}

static void h_exceptions_csv(struct evhttp_request *req)
{
    mem m;
    if (mem_open(&m))
        sw_report_exceptions_csv(m.f, sw_rt.stats);
    send_csv(req, "exceptions", &m);
}

static void h_history_csv(struct evhttp_request *req)
{
    mem m;
    if (mem_open(&m))
        sw_history_csv(m.f, W.cfg.history);
    send_csv(req, "stats_history", &m);
}

static void h_report(struct evhttp_request *req)
{
    sw_export_ctx c;
    ctx_now(&c);
    sw_export_run none = { 0 };
    struct evbuffer *b = evbuffer_new();
    if (!b || sw_html_report(b, &c, W.cfg.run ? W.cfg.run : &none) != 0) {
        if (b)
            evbuffer_free(b);
        send_msg(req, 500, "the HTML report could not be made (see the process's log)", NULL);
        return;
    }
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_add_header(h, "Content-Type", "text/html; charset=utf-8");
    evhttp_add_header(h, "Cache-Control", "no-store");
    evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
    evhttp_add_header(h, "Content-Disposition", "inline; filename=\"swarm_report.html\"");
    evhttp_send_reply(req, 200, "OK", b);
    evbuffer_free(b);
}

/* ---------------------------------------------------------------- checks */

char *sw_web_auth_token(const char *userpass)
{
    size_t n = strlen(userpass);
    char *o = malloc(SW_BASE64_SIZE(n));
    if (o)
        sw_base64_encode(userpass, n, o);
    return o;
}

int sw_web_auth_match(const char *header, const char *want)
{
    if (!header || !want || strncasecmp(header, "Basic ", 6) != 0)
        return 0;
    const char *tok = header + 6;
    while (*tok == ' ')
        tok++;
    size_t wn = strlen(want), tn = strlen(tok);
    while (tn && tok[tn - 1] == ' ')
        tn--;
    /* every byte of want is compared whatever the token holds */
    unsigned diff = (unsigned)(wn ^ tn);
    for (size_t i = 0; i < wn; i++)
        diff |= (unsigned)(unsigned char)want[i] ^ (unsigned)(unsigned char)(i < tn ? tok[i] : 0);
    return diff == 0;
}

/* "host:port" of an authority (lowercase; default port 80) into out. */
static int authority(const char *a, size_t n, char *out, size_t outlen)
{
    if (n == 0 || n >= outlen - 4)
        return -1;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)tolower((unsigned char)a[i]);
    out[n] = '\0';
    const char *end_host = out[0] == '[' ? strchr(out, ']') : out;
    if (!end_host)
        return -1;
    if (!strchr(end_host, ':'))
        strcat(out, ":80");
    return 0;
}

int sw_web_same_origin(const char *origin, const char *host)
{
    if (!origin)
        return 1;
    if (!host || strncasecmp(origin, "http://", 7) != 0)
        return 0;
    const char *a = origin + 7;
    size_t an = strcspn(a, "/");
    if (a[an] && strcmp(a + an, "/") != 0)
        return 0;
    char x[300], y[300];
    if (authority(a, an, x, sizeof x) != 0 || authority(host, strlen(host), y, sizeof y) != 0)
        return 0;
    return strcmp(x, y) == 0;
}

int sw_web_is_loopback(const char *addr)
{
    struct in_addr v4;
    struct in6_addr v6;
    if (!addr)
        return 0;
    if (strcasecmp(addr, "localhost") == 0)
        return 1;
    if (inet_pton(AF_INET, addr, &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, addr, &v6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&v6);
    return 0;
}

/* A loopback server answers only requests addressed to a loopback name
 * (a web page whose DNS name was rebound to 127.0.0.1 sends its own). */
static int host_allowed(const char *host)
{
    if (!host || !sw_web_is_loopback(W.cfg.host))
        return 1;
    char h[300];
    size_t n = strlen(host);
    if (n >= sizeof h)
        return 0;
    memcpy(h, host, n + 1);
    char *colon = h[0] == '[' ? strchr(h, ']') : strrchr(h, ':');
    if (h[0] == '[') {
        if (!colon)
            return 0;
        *colon = '\0';
        return sw_web_is_loopback(h + 1);
    }
    if (colon)
        *colon = '\0';
    return sw_web_is_loopback(h) || strcasecmp(h, W.cfg.host) == 0;
}

/* A request that changes the run must come from this server's own page or
 * from a non-browser client. */
static int same_site(struct evkeyvalq *in)
{
    const char *sfs = evhttp_find_header(in, "Sec-Fetch-Site");
    if (sfs && strcasecmp(sfs, "same-origin") != 0 && strcasecmp(sfs, "none") != 0)
        return 0;
    return sw_web_same_origin(evhttp_find_header(in, "Origin"), evhttp_find_header(in, "Host"));
}

/* ---------------------------------------------------------------- routing */

typedef struct route {
    const char *path;
    int methods;                     /* M_* */
    int changes;                     /* changes the run: same-site only */
    void (*fn)(struct evhttp_request *req);
} route;

static const route ROUTES[] = {
    { "/swarm", M_POST, 1, h_swarm },
    { "/stop", M_GET, 1, h_stop },
    { "/stats/reset", M_GET, 1, h_reset },
    { "/stats/requests", M_GET, 0, h_requests },
    { "/stats/history", M_GET, 0, h_history },
    { "/stats/requests/csv", M_GET, 0, h_stats_csv },
    { "/stats/failures/csv", M_GET, 0, h_failures_csv },
    { "/stats/history/csv", M_GET, 0, h_history_csv },
    { "/exceptions", M_GET, 0, h_exceptions },
    { "/exceptions/csv", M_GET, 0, h_exceptions_csv },
    { "/stats/exceptions/csv", M_GET, 0, h_exceptions_csv },
    { "/stats/report", M_GET, 0, h_report },
    { "/metrics", M_GET, 0, h_metrics },
};

static int method_of(struct evhttp_request *req)
{
    switch (evhttp_request_get_command(req)) {
    case EVHTTP_REQ_GET:
    case EVHTTP_REQ_HEAD: return M_GET;
    case EVHTTP_REQ_POST: return M_POST;
    default: return 0;
    }
}

static void send_asset(struct evhttp_request *req, const sw_asset *a)
{
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_add_header(h, "Content-Type", a->type);
    evhttp_add_header(h, "Cache-Control", "no-cache");
    evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
    evhttp_add_header(h, "X-Frame-Options", "DENY");
    evhttp_add_header(h, "Referrer-Policy", "no-referrer");
    struct evbuffer *b = evbuffer_new();
    if (b)
        evbuffer_add_reference(b, a->data, a->len, NULL, NULL);
    evhttp_send_reply(req, 200, "OK", b);
    if (b)
        evbuffer_free(b);
}

static void on_request(struct evhttp_request *req, void *arg)
{
    (void)arg;
    sw_webconn_request(req);
    struct evkeyvalq *in = evhttp_request_get_input_headers(req);
    if (W.auth_token && !sw_web_auth_match(evhttp_find_header(in, "Authorization"), W.auth_token)) {
        evhttp_add_header(evhttp_request_get_output_headers(req), "WWW-Authenticate",
                          "Basic realm=\"swarm\", charset=\"UTF-8\"");
        send_msg(req, 401, "authentication required (--web-auth is set)", NULL);
        return;
    }
    if (!host_allowed(evhttp_find_header(in, "Host"))) {
        send_msg(req, 403, "this server answers only to a loopback Host "
                           "(127.0.0.1, ::1 or localhost)", NULL);
        return;
    }
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
    if (!path || !*path)
        path = "/";
    int m = method_of(req);
    for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++) {
        const route *r = &ROUTES[i];
        if (strcmp(path, r->path) != 0)
            continue;
        if (!(m & r->methods) || (r->changes && evhttp_request_get_command(req) == EVHTTP_REQ_HEAD)) {
            evhttp_add_header(evhttp_request_get_output_headers(req), "Allow",
                              r->methods == M_POST ? "POST" : r->changes ? "GET" : "GET, HEAD");
            send_errf(req, 405, "%s takes %s", r->path, r->methods == M_POST ? "POST" : "GET");
            return;
        }
        if (r->changes && !same_site(in)) {
            send_errf(req, 403, "%s refused: the request comes from another site (Origin)", r->path);
            return;
        }
        r->fn(req);
        return;
    }
    const sw_asset *a = sw_asset_find(path);
    if (a && m == M_GET) {
        send_asset(req, a);
        return;
    }
    if (a) {
        evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET, HEAD");
        send_errf(req, 405, "%.100s takes GET", path);
        return;
    }
    send_errf(req, 404, "no such route: %.100s (see docs/web-api.md)", path);
}

/* ---------------------------------------------------------------- server */

int sw_web_start(struct event_base *base, const sw_web_config *cfg, char *err, size_t errlen)
{
    sw_web_free();
    W.cfg = *cfg;
    if (!W.cfg.host)
        W.cfg.host = "127.0.0.1";
    if (W.cfg.auth && !(W.auth_token = sw_web_auth_token(W.cfg.auth))) {
        snprintf(err, errlen, "swarm: cannot set up the web server (out of memory)");
        return -1;
    }
    W.http = evhttp_new(base);
    if (!W.http) {
        sw_web_free();
        snprintf(err, errlen, "swarm: cannot set up the web server (out of memory)");
        return -1;
    }
    evhttp_set_max_body_size(W.http, HARD_MAX_BODY);
    evhttp_set_max_headers_size(W.http, MAX_HEADERS);
    evhttp_set_timeout(W.http, CONN_TIMEOUT);
    evhttp_set_allowed_methods(W.http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD
                               | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS
                               | EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
    evhttp_set_gencb(W.http, on_request, NULL);
    errno = 0;
    struct evhttp_bound_socket *bs =
        evhttp_bind_socket_with_handle(W.http, W.cfg.host, (ev_uint16_t)W.cfg.port);
    if (!bs) {
        int e = errno;
        if (e == EADDRINUSE)
            snprintf(err, errlen, "swarm: cannot serve the web UI on %s:%d: the port is already in "
                     "use; pass --web-port PORT with a free port", W.cfg.host, W.cfg.port);
        else
            snprintf(err, errlen, "swarm: cannot serve the web UI on %s:%d (%s); check --web-host "
                     "and --web-port", W.cfg.host, W.cfg.port, e ? strerror(e) : "cannot bind");
        sw_web_free();
        return -1;
    }
    if (sw_webconn_attach(base, W.http, bs) != 0) {
        snprintf(err, errlen, "swarm: cannot set up the web server (out of memory)");
        sw_web_free();
        return -1;
    }
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    W.port = W.cfg.port;
    if (getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&ss, &sl) == 0) {
        if (ss.ss_family == AF_INET)
            W.port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
        else if (ss.ss_family == AF_INET6)
            W.port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    }
    return 0;
}

int sw_web_port(void)
{
    return W.http ? W.port : 0;
}

void sw_web_free(void)
{
    if (W.http)
        evhttp_free(W.http);
    sw_webconn_free();          /* after evhttp_free: it drops the connections */
    free(W.auth_token);
    memset(&W, 0, sizeof W);
}
