/*
 * httpsrv.h -- the HTTP unit tests' server and loop helpers (test_http.c,
 * test_request.c): a libevent evhttp server on an ephemeral 127.0.0.1 port,
 * in the test's process, on the same event loop as the clients, and both
 * engines made on that loop.
 *
 * Routes: /json (200, JSON body, X-Test header twice), /missing (404),
 * /teapot (418 with its own reason), /slow?ms=N (answers after N ms),
 * /redirect (302 to /json), /echo and /api/echo (method, peer port, some
 * request headers, body).
 */
#ifndef HTTPSRV_H
#define HTTPSRV_H

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
#include "h1.h"
#include "http.h"

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

static inline void slow_closed(struct evhttp_connection *evcon, void *arg)
{
    slow_req *s = arg;
    (void)evcon;
    event_free(s->ev);
    free(s);
    slow_pending--;
}

static inline void slow_fire(evutil_socket_t fd, short what, void *arg)
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

static inline const char *hdr(struct evhttp_request *req, const char *name)
{
    const char *v = evhttp_find_header(evhttp_request_get_input_headers(req), name);
    return v ? v : "-";
}

static inline void serve(struct evhttp_request *req, void *arg)
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

static inline const char *url(const char *path)
{
    snprintf(url_buf, sizeof url_buf, "http://127.0.0.1:%d%s", port, path);
    return url_buf;
}

static inline double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static inline void on_deadline(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    *(int *)arg = 1;
}

/* Runs the loop until *flag is set or ms have passed (bounded either way). */
static inline void run_until(int *flag, long ms)
{
    int expired = 0;
    struct event *t = evtimer_new(base, on_deadline, &expired);
    struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
    evtimer_add(t, &tv);
    while (!expired && !(flag && *flag))
        event_base_loop(base, EVLOOP_ONCE);
    event_free(t);
}

/* A port on 127.0.0.1 with nothing listening: bound, then closed. */
static inline int dead_port(void)
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

/* Transfers in flight on both engines. */
static inline int running(void)
{
    return sw_http_running(H) + sw_h1_running(H1);
}

/* Starts the server and both engines on a new loop (base, port, H, H1);
 * the server, or NULL when it cannot listen. */
static inline struct evhttp *srv_start(void)
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
        return NULL;
    struct sockaddr_in sa;
    socklen_t salen = sizeof sa;
    getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&sa, &salen);
    port = ntohs(sa.sin_port);
    H = sw_http_new(base);
    CHECK(H != NULL, "sw_http_new");
    H1 = sw_h1_new(base);
    CHECK(H1 != NULL, "sw_h1_new");
    return srv;
}

/* Frees the engines, lets the server see the closes, frees it and the loop. */
static inline void srv_stop(struct evhttp *srv)
{
    sw_http_free(H);
    sw_h1_free(H1);
    run_until(NULL, 50);
    evhttp_free(srv);
    event_base_free(base);
}

#endif /* HTTPSRV_H */
