/*
 * target.c -- the demo target: a small HTTP server on libevent's evhttp that
 * samples, the demo and the end-to-end tests run against. It listens on
 * 127.0.0.1 only and counts what it served (GET /__stats), including the
 * distinct client ports (connections) that sent requests ("peer_ports").
 *
 *   demo-target [--port N] [--port-file FILE] [--active-delay MS] [--error-every N]
 *
 * Routes: GET /, GET /resources/{id}, POST /things, GET /things/{id},
 * POST /login, GET /status/{code}, GET /delay/{ms}, GET /garbage, ANY /echo,
 * GET /bytes/{n}, the session routes under /s/ (sess_routes.c),
 * GET /__stats, POST /__reset, GET /__log, POST /__stall/{ms} (these are
 * not counted; the last two: tlog.h).
 *
 * Ownership: requests held across a timer (GET /delay) are on a pending list
 * owned by this file until answered; everything else is answered at once.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/util.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "tlog.h"
#include "tstats.h"
#include "sess_routes.h"

#define TG_MAX_BODY    (1024 * 1024)  /* bigger request bodies get 413 */
#define TG_MAX_HEADERS (64 * 1024)
#define TG_MAX_DELAY   600000         /* ms; /delay/{ms} above this is 400 */

typedef struct tg_opts {
    int port;                         /* 0: ephemeral */
    const char *port_file;            /* NULL: none */
    double active_delay_ms;
    long error_every;
} tg_opts;

/* A request answered later by a timer (GET /delay/{ms}). */
typedef struct tg_pending {
    struct evhttp_request *req;       /* borrowed from evhttp until answered */
    struct event *timer;              /* owned */
    double arrive_ms;                 /* when it arrived (tlog) */
    int stalled;                      /* held by a stall: dispatch when it ends */
    int m; ts_route r; const char *arg;  /* what to dispatch then (arg: in req's URI) */
    struct tg_pending *prev, *next;   /* the pending list */
} tg_pending;

static struct event_base *tg_base;
static tg_pending *tg_pending_list;
static unsigned long long tg_logins;  /* tokens handed out */
static double tg_arrive_ms;           /* arrival of the request being answered (tlog) */

/* ------------------------------------------------------------ replies */

/* Send status with body (may be NULL) and content type; counts the status.
 * Takes no ownership of body. */
static void reply(struct evhttp_request *req, int status, const char *ctype,
                  struct evbuffer *body, int counted)
{
    if (ctype)
        evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", ctype);
    if (counted) {
        ts_count_status(status);
        tl_record(evhttp_request_get_uri(req), tg_arrive_ms, ts_mono_ms());
    }
    evhttp_send_reply(req, status, NULL, body);
}

/* Send a JSON body built from a printf format. */
static void reply_json(struct evhttp_request *req, int status, int counted,
                       const char *fmt, ...)
{
    struct evbuffer *b = evbuffer_new();
    if (!b) {
        reply(req, 500, NULL, NULL, counted);
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    evbuffer_add_vprintf(b, fmt, ap);
    va_end(ap);
    reply(req, status, "application/json", b, counted);
    evbuffer_free(b);
}

/* ------------------------------------------------------------- helpers */

/* Parse a decimal integer made only of digits (1 to 18 of them), else -1. */
static long long parse_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 18 || strspn(s, "0123456789") != n)
        return -1;
    return strtoll(s, NULL, 10);
}

/* Index of a method bit in ts_method_name's order. */
static int method_index(enum evhttp_cmd_type cmd)
{
    for (int i = 0; i < TS_NMETHODS - 1; i++)
        if ((unsigned)cmd == (1u << i))
            return i;
    return TS_NMETHODS - 1;
}

/* The request body as a NUL-terminated string (may contain NULs before len);
 * owned by the input buffer. */
static const char *body_of(struct evhttp_request *req, size_t *len)
{
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    *len = evbuffer_get_length(in);
    const char *p = NULL;
    if (evbuffer_add(in, "", 1) == 0)
        p = (const char *)evbuffer_pullup(in, -1);
    if (!p)
        *len = 0;
    return p ? p : "";
}

/* Which route a path is, and the text after the route's prefix in *arg. */
static ts_route route_of(const char *path, const char **arg)
{
    static const struct { const char *prefix; ts_route r; } pre[] = {
        { "/resources/", TS_R_RESOURCE }, { "/things/", TS_R_THING },
        { "/status/", TS_R_STATUS }, { "/delay/", TS_R_DELAY },
        { "/bytes/", TS_R_BYTES },
    };
    static const struct { const char *path; ts_route r; } exact[] = {
        { "/", TS_R_ROOT }, { "/things", TS_R_THINGS }, { "/login", TS_R_LOGIN },
        { "/garbage", TS_R_GARBAGE }, { "/echo", TS_R_ECHO },
    };
    *arg = "";
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (strcmp(path, exact[i].path) == 0)
            return exact[i].r;
    for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++) {
        size_t n = strlen(pre[i].prefix);
        if (strncmp(path, pre[i].prefix, n) == 0) {
            *arg = path + n;
            return pre[i].r;
        }
    }
    return TS_R_OTHER;
}

/* ------------------------------------------------------------- routes */

static int dispatch(struct evhttp_request *req, int m, ts_route r, const char *arg);

static void on_delay_timer(evutil_socket_t fd, short what, void *arg)
{
    tg_pending *p = arg;
    (void)fd; (void)what;
    if (p->prev) p->prev->next = p->next; else tg_pending_list = p->next;
    if (p->next) p->next->prev = p->prev;
    tg_arrive_ms = p->arrive_ms;
    if (p->stalled) {
        if (dispatch(p->req, p->m, p->r, p->arg) < 0)
            reply_json(p->req, 405, 1, "{\"error\": \"method not allowed\"}\n");
    } else {
        reply_json(p->req, 200, 1, "{\"delayed\": true}\n");
    }
    event_free(p->timer);
    free(p);
}

static void do_delay(struct evhttp_request *req, const char *arg)
{
    long long ms = parse_id(arg);
    if (ms < 0 || ms > TG_MAX_DELAY) {
        reply_json(req, 400, 1, "{\"error\": \"delay must be 0..%d ms\"}\n", TG_MAX_DELAY);
        return;
    }
    tg_pending *p = calloc(1, sizeof *p);
    if (!p || !(p->timer = evtimer_new(tg_base, on_delay_timer, p))) {
        free(p);
        reply_json(req, 500, 1, "{\"error\": \"out of memory\"}\n");
        return;
    }
    p->req = req;
    p->arrive_ms = tg_arrive_ms;
    p->next = tg_pending_list;
    if (tg_pending_list)
        tg_pending_list->prev = p;
    tg_pending_list = p;
    struct timeval tv = { (time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000 };
    /* libevent counts a timeout from the loop's cached time, taken when it
     * woke up, before this request was read and its arrival logged: without
     * a fresh time the hold could end a few ms short of ms after arrival */
    event_base_update_cache_time(tg_base);
    evtimer_add(p->timer, &tv);
}

/* Answer every pending request at shutdown, before evhttp_free. */
static void pending_flush(void)
{
    while (tg_pending_list) {
        tg_pending *p = tg_pending_list;
        tg_pending_list = p->next;
        event_free(p->timer);
        tg_arrive_ms = p->arrive_ms;
        reply_json(p->req, 503, 1, "{\"error\": \"shutting down\"}\n");
        free(p);
    }
}

/* The value of a "key" string in a flat JSON body, naively; NULL if absent.
 * Returns a malloc'd copy; an escape keeps the character after the backslash. */
static char *json_str_field(const char *body, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\"", key);
    const char *p = strstr(body, pat);
    if (!p)
        return NULL;
    p += strlen(pat);
    p += strspn(p, " \t\r\n");
    if (*p++ != ':')
        return NULL;
    p += strspn(p, " \t\r\n");
    if (*p++ != '"')
        return NULL;
    char *s = malloc(strlen(p) + 1);
    size_t n = 0;
    if (!s)
        return NULL;
    for (; *p && *p != '"'; p++) {
        if (*p == '\\' && p[1])         /* keep the escaped character only */
            p++;
        s[n++] = *p;
    }
    s[n] = '\0';
    return s;
}

static void do_login(struct evhttp_request *req)
{
    size_t len;
    const char *body = body_of(req, &len);
    const char *ctype = evhttp_find_header(evhttp_request_get_input_headers(req), "Content-Type");
    char *user = NULL;
    if (ctype && strncmp(ctype, "application/x-www-form-urlencoded", 33) == 0) {
        struct evkeyvalq q;
        if (evhttp_parse_query_str(body, &q) == 0) {
            const char *u = evhttp_find_header(&q, "username");
            user = u ? strdup(u) : NULL;
        }
        evhttp_clear_headers(&q);
    } else {
        user = json_str_field(body, "username");
    }
    struct evbuffer *b = evbuffer_new();
    if (!b) {
        free(user);
        reply(req, 500, NULL, NULL, 1);
        return;
    }
    evbuffer_add_printf(b, "{\"token\": \"tok-%llu\", \"username\": ", ++tg_logins);
    if (user)
        ts_json_str(b, user, strlen(user));
    else
        evbuffer_add_printf(b, "null");
    evbuffer_add_printf(b, "}\n");
    reply(req, 200, "application/json", b, 1);
    evbuffer_free(b);
    free(user);
}

static void do_echo(struct evhttp_request *req)
{
    struct evbuffer *b = evbuffer_new();
    if (!b) {
        reply(req, 500, NULL, NULL, 1);
        return;
    }
    const char *uri = evhttp_request_get_uri(req);
    evbuffer_add_printf(b, "{\"method\": \"%s\", \"uri\": ",
                        ts_method_name(method_index(evhttp_request_get_command(req))));
    ts_json_str(b, uri, strlen(uri));
    evbuffer_add_printf(b, ", \"headers\": {");
    struct evkeyval *h;
    const char *sep = "";
    for (h = evhttp_request_get_input_headers(req)->tqh_first; h; h = h->next.tqe_next) {
        evbuffer_add_printf(b, "%s", sep);
        ts_json_str(b, h->key, strlen(h->key));
        evbuffer_add_printf(b, ": ");
        ts_json_str(b, h->value, strlen(h->value));
        sep = ", ";
    }
    size_t len;
    const char *body = body_of(req, &len);
    evbuffer_add_printf(b, "}, \"body\": ");
    ts_json_str(b, body, len);
    evbuffer_add_printf(b, "}\n");
    reply(req, 200, "application/json", b, 1);
    evbuffer_free(b);
}

/* GET /bytes/{n}: n bytes of 'x' (at most 128 MB), for response-size limits. */
static void do_bytes(struct evhttp_request *req, const char *arg)
{
    long long n = parse_id(arg);
    if (n < 0 || n > (128LL << 20)) {
        reply_json(req, 400, 1, "{\"error\": \"n must be 0..134217728\"}\n");
        return;
    }
    struct evbuffer *b = evbuffer_new();
    char chunk[4096];
    memset(chunk, 'x', sizeof chunk);
    for (long long left = n; b && left > 0; left -= (long long)sizeof chunk)
        evbuffer_add(b, chunk, left < (long long)sizeof chunk ? (size_t)left : sizeof chunk);
    reply(req, 200, "application/octet-stream", b, 1);
    if (b)
        evbuffer_free(b);
}

static void do_root(struct evhttp_request *req)
{
    struct evbuffer *b = evbuffer_new();
    if (!b) {
        reply(req, 500, NULL, NULL, 1);
        return;
    }
    evbuffer_add_printf(b, "<!doctype html>\n<title>Swarm demo target</title>\n"
        "<h1>Swarm demo target</h1>\n<p>Routes: /resources/{id}, POST /things, "
        "/things/{id}, POST /login, /status/{code}, /delay/{ms}, /garbage, /echo, "
        "/__stats, POST /__reset</p>\n");
    reply(req, 200, "text/html; charset=utf-8", b, 1);
    evbuffer_free(b);
}

static void do_thing(struct evhttp_request *req, const char *arg)
{
    long long id = parse_id(arg);
    ts_tstatus st;
    if (id < 0 || ts_thing_status(id, &st) < 0) {
        reply_json(req, 404, 1, "{\"error\": \"no such thing\"}\n");
        return;
    }
    reply_json(req, 200, 1, "{\"id\": %lld, \"status\": \"%s\"}\n", id,
               ts_thing_status_name(st));
}

static void do_create_thing(struct evhttp_request *req)
{
    int64_t id = ts_thing_create();
    if (id == 0) {
        reply_json(req, 503, 1, "{\"error\": \"too many things\"}\n");
        return;
    }
    reply_json(req, 201, 1, "{\"id\": %lld, \"status\": \"PENDING\"}\n", (long long)id);
}

/* Route a request that the method table allows; returns 0 when handled,
 * -1 when the method is not allowed on the route. */
static int dispatch(struct evhttp_request *req, int m, ts_route r, const char *arg)
{
    int get = m == TS_M_GET || m == TS_M_HEAD;
    long long n;
    switch (r) {
    case TS_R_ROOT: if (!get) return -1; do_root(req); return 0;
    case TS_R_RESOURCE:
        if (!get) return -1;
        if ((n = parse_id(arg)) < 0)
            reply_json(req, 404, 1, "{\"error\": \"no such resource\"}\n");
        else
            reply_json(req, 200, 1, "{\"id\": %lld, \"name\": \"resource %lld\"}\n", n, n);
        return 0;
    case TS_R_THINGS: if (m != TS_M_POST) return -1; do_create_thing(req); return 0;
    case TS_R_THING: if (!get) return -1; do_thing(req, arg); return 0;
    case TS_R_LOGIN: if (m != TS_M_POST) return -1; do_login(req); return 0;
    case TS_R_STATUS:
        if (!get) return -1;
        n = parse_id(arg);
        if (n < 200 || n > 599)
            reply_json(req, 400, 1, "{\"error\": \"status must be 200..599\"}\n");
        else
            reply_json(req, (int)n, 1, "{\"status\": %lld}\n", n);
        return 0;
    case TS_R_DELAY: if (!get) return -1; do_delay(req, arg); return 0;
    case TS_R_GARBAGE:
        if (!get) return -1;
        /* Claims JSON, is not: for scripts that must cope with bad bodies. */
        reply_json(req, 200, 1, "<html>this is {not: json]\n");
        return 0;
    case TS_R_ECHO: do_echo(req); return 0;
    case TS_R_BYTES: if (!get) return -1; do_bytes(req, arg); return 0;
    default:
        reply_json(req, 404, 1, "{\"error\": \"not found\"}\n");
        return 0;
    }
}

/* GET /__log, POST /__stall/{ms} (tlog.h); not counted. */
static void control_tlog(struct evhttp_request *req, int m, const char *path)
{
    if (path[3] == 'l') {
        struct evbuffer *b = m == TS_M_GET ? evbuffer_new() : NULL;
        if (b)
            tl_json(b, ts_mono_ms());
        reply(req, b ? 200 : 405, "application/json", b, 0);
        if (b)
            evbuffer_free(b);
        return;
    }
    long long ms = parse_id(path + 9);
    if (m != TS_M_POST || ms < 0 || ms > TG_MAX_DELAY) {
        reply_json(req, 400, 0, "{\"error\": \"POST /__stall/{ms}, ms 0..%d\"}\n", TG_MAX_DELAY);
        return;
    }
    tl_stall(ts_mono_ms() + (double)ms);
    reply_json(req, 200, 0, "{\"stall_ms\": %lld}\n", ms);
}

/* Hold a request that arrived during a stall; dispatch it wait ms later. */
static void hold(struct evhttp_request *req, int m, ts_route r, const char *arg, double wait)
{
    tg_pending *p = calloc(1, sizeof *p);
    if (!p || !(p->timer = evtimer_new(tg_base, on_delay_timer, p))) {
        free(p);
        reply_json(req, 500, 1, "{\"error\": \"out of memory\"}\n");
        return;
    }
    p->req = req;
    p->arrive_ms = tg_arrive_ms;
    p->stalled = 1;
    p->m = m;
    p->r = r;
    p->arg = arg;
    p->next = tg_pending_list;
    if (tg_pending_list)
        tg_pending_list->prev = p;
    tg_pending_list = p;
    long us = (long)(wait * 1000.0);
    struct timeval tv = { (time_t)(us / 1000000), (suseconds_t)(us % 1000000) };
    event_base_update_cache_time(tg_base);      /* as in do_delay */
    evtimer_add(p->timer, &tv);
}

static void on_request(struct evhttp_request *req, void *arg)
{
    (void)arg;
    int m = method_index(evhttp_request_get_command(req));
    const struct evhttp_uri *u = evhttp_request_get_evhttp_uri(req);
    const char *path = u ? evhttp_uri_get_path(u) : NULL;
    if (!path || !*path)
        path = "/";

    int stats = strcmp(path, "/__stats") == 0;
    if (stats || strcmp(path, "/__reset") == 0) {
        if (m != (stats ? TS_M_GET : TS_M_POST)) {
            reply_json(req, 405, 0, "{\"error\": \"method not allowed\"}\n");
        } else if (stats) {
            struct evbuffer *b = evbuffer_new();
            if (b)
                ts_stats_json(b);
            reply(req, b ? 200 : 500, "application/json", b, 0);
            if (b)
                evbuffer_free(b);
        } else {
            ts_reset();
            tl_reset();
            reply_json(req, 200, 0, "{\"reset\": true}\n");
        }
        return;
    }

    if (strcmp(path, "/__log") == 0 || strncmp(path, "/__stall/", 9) == 0) {
        control_tlog(req, m, path);
        return;
    }

    const char *rest;
    ts_route r = route_of(path, &rest);
    tg_arrive_ms = ts_mono_ms();
    ts_count_request(m, r, evhttp_find_header(evhttp_request_get_input_headers(req), "X-User-Id"));
    char *peer = NULL;
    ev_uint16_t pport = 0;
    evhttp_connection_get_peer(evhttp_request_get_connection(req), &peer, &pport);
    ts_count_peer(pport);
    if (sess_route(req, path, m == TS_M_POST))    /* issue 9: /s/ routes */
        return;
    double wait = tl_stall_left(tg_arrive_ms);
    if (wait > 0) {
        hold(req, m, r, rest, wait);
        return;
    }
    if (dispatch(req, m, r, rest) < 0)
        reply_json(req, 405, 1, "{\"error\": \"method not allowed\"}\n");
}

/* ------------------------------------------------------------- main */

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
    (void)sig; (void)what;
    event_base_loopexit(arg, NULL);
}

static void usage(FILE *out)
{
    fprintf(out, "usage: demo-target [--port N] [--port-file FILE] "
                 "[--active-delay MS] [--error-every N]\n");
}

/* A whole-string non-negative integer no larger than max, else -1. */
static long parse_num(const char *s, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > max)
        return -1;
    return v;
}

/* Fill o from argv; returns 0, 1 for --help, -1 with a message printed. */
static int parse_args(int argc, char **argv, tg_opts *o)
{
    static const char *const names[] = { "--port", "--port-file", "--active-delay", "--error-every" };
    static const long maxes[] = { 65535, 0, 3600000, LONG_MAX };
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
        int k = -1;
        const char *val = NULL;
        for (int j = 0; j < 4; j++) {
            size_t n = strlen(names[j]);
            if (strncmp(argv[i], names[j], n) == 0 && (argv[i][n] == '\0' || argv[i][n] == '=')) {
                k = j;
                val = argv[i][n] == '=' ? argv[i] + n + 1 : (i + 1 < argc ? argv[++i] : NULL);
            }
        }
        if (k < 0) {
            fprintf(stderr, "demo-target: unknown option '%s' (try --help)\n", argv[i]);
            return -1;
        }
        if (!val) {
            fprintf(stderr, "demo-target: %s needs a value\n", names[k]);
            return -1;
        }
        long v = k == 1 ? 0 : parse_num(val, maxes[k]);
        if (v < 0) {
            fprintf(stderr, "demo-target: bad value '%s' for %s\n", val, names[k]);
            return -1;
        }
        switch (k) {
        case 0: o->port = (int)v; break;
        case 1: o->port_file = val; break;
        case 2: o->active_delay_ms = (double)v; break;
        default: o->error_every = v; break;
        }
    }
    return 0;
}

/* Write the port to path atomically (temporary file, then rename). */
static int write_port_file(const char *path, int port)
{
    size_t n = strlen(path) + 5;
    char *tmp = malloc(n);
    if (!tmp)
        return -1;
    snprintf(tmp, n, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    int rc = -1;
    if (f) {
        int w = fprintf(f, "%d\n", port);
        if (fclose(f) == 0 && w > 0 && rename(tmp, path) == 0)
            rc = 0;
    }
    if (rc < 0)
        remove(tmp);
    free(tmp);
    return rc;
}

int main(int argc, char **argv)
{
    tg_opts o = { 8000, NULL, 2000, 0 };
    int rc = parse_args(argc, argv, &o);
    if (rc != 0) {
        usage(rc > 0 ? stdout : stderr);
        return rc > 0 ? 0 : 2;
    }
    signal(SIGPIPE, SIG_IGN);

    struct evhttp *http = NULL;
    struct event *sigint = NULL, *sigterm = NULL;
    int status = 1;
    /* a precise clock for timers: libevent's default (the coarse monotonic
     * clock) may end a /delay a few ms before the time the log shows */
    struct event_config *cfg = event_config_new();
    if (cfg) {
        event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER);
        tg_base = event_base_new_with_config(cfg);
        event_config_free(cfg);
    }
    if (!tg_base || ts_init(o.active_delay_ms, o.error_every) < 0) {
        fprintf(stderr, "demo-target: out of memory\n");
        goto out;
    }
    http = evhttp_new(tg_base);
    sigint = evsignal_new(tg_base, SIGINT, on_signal, tg_base);
    sigterm = evsignal_new(tg_base, SIGTERM, on_signal, tg_base);
    if (!http || !sigint || !sigterm) {
        fprintf(stderr, "demo-target: out of memory\n");
        goto out;
    }
    evsignal_add(sigint, NULL);
    evsignal_add(sigterm, NULL);
    evhttp_set_allowed_methods(http, 0x1FF);   /* every method evhttp knows */
    evhttp_set_max_body_size(http, TG_MAX_BODY);
    evhttp_set_max_headers_size(http, TG_MAX_HEADERS);
    evhttp_set_timeout(http, 60);
    evhttp_set_gencb(http, on_request, NULL);

    struct evhttp_bound_socket *bs = evhttp_bind_socket_with_handle(http, "127.0.0.1",
                                                                    (ev_uint16_t)o.port);
    if (!bs) {
        fprintf(stderr, "demo-target: cannot listen on 127.0.0.1:%d: %s "
                        "(port in use? try --port 0)\n", o.port, strerror(errno));
        status = 2;
        goto out;
    }
    struct sockaddr_storage ss;
    ev_socklen_t sl = sizeof ss;
    int port = o.port;
    if (getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&ss, &sl) == 0
        && ss.ss_family == AF_INET)
        port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
    if (o.port_file && write_port_file(o.port_file, port) < 0) {
        fprintf(stderr, "demo-target: cannot write %s: %s\n", o.port_file, strerror(errno));
        goto out;
    }
    fprintf(stderr, "demo-target: listening on http://127.0.0.1:%d\n", port);

    event_base_dispatch(tg_base);
    fprintf(stderr, "demo-target: stopped\n");
    status = 0;
out:
    pending_flush();
    if (http)
        evhttp_free(http);
    if (sigint)
        event_free(sigint);
    if (sigterm)
        event_free(sigterm);
    if (tg_base)
        event_base_free(tg_base);
    ts_free();
    tl_free();
    return status;
}
