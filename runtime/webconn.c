/*
 * webconn.c -- accept back-off and request deadlines for the web UI's
 * evhttp server (see webconn.h).
 *
 * Each connection's bufferevent is made here (evhttp_set_bevcb) and one
 * reference to it is kept, with a deadline, in a list. evhttp frees a
 * connection with bufferevent_free, which clears its callbacks; the
 * reference keeps the (closed) bufferevent's memory valid until the
 * once-a-second sweep sees the cleared event callback and lets it go.
 * evhttp sets its event callback on a live connection at all times, so
 * "event callback set" means "evhttp still owns it". A live connection
 * past its deadline is shut down (shutdown(2)): evhttp sees the end of
 * the stream and frees it its own way.
 */
#include "webconn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#include "rt.h"

typedef struct wconn {
    struct bufferevent *bev;    /* one reference held */
    double deadline;            /* monotonic ms; 0: a request is being answered */
    struct wconn *next;
} wconn;

static struct {
    struct event_base *base;    /* borrowed */
    struct evconnlistener *lev; /* the listener (owned by evhttp) */
    struct event *sweep;        /* once a second: deadlines, freed connections */
    struct event *resume;       /* re-enables accepting after a back-off */
    wconn *conns;               /* every connection made, until swept */
    int spare;                  /* a descriptor kept for EMFILE, or -1 */
    double log_at;              /* monotonic ms of the last accept-error line */
    unsigned long failed;       /* accept errors since that line */
} C = { .spare = -1 };

static struct bufferevent *make_bev(struct event_base *base, void *arg)
{
    (void)arg;
    struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
    wconn *w = bev ? malloc(sizeof *w) : NULL;
    if (w) {
        bufferevent_incref(bev);
        w->bev = bev;
        w->deadline = sw_clock_ms() + SW_WEBCONN_REQUEST_S * 1000.0;
        w->next = C.conns;
        C.conns = w;
    }
    return bev;                 /* without w: served without a deadline */
}

static int alive(const wconn *w)
{
    bufferevent_event_cb ev = NULL;
    bufferevent_getcb(w->bev, NULL, NULL, &ev, NULL);
    return ev != NULL;
}

static void on_sweep(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what; (void)arg;
    double now = sw_clock_ms();
    wconn **pp = &C.conns;
    while (*pp) {
        wconn *w = *pp;
        if (!alive(w)) {
            *pp = w->next;
            bufferevent_decref(w->bev);
            free(w);
            continue;
        }
        if (w->deadline > 0 && now > w->deadline) {
            evutil_socket_t s = bufferevent_getfd(w->bev);
            if (s >= 0)
                shutdown(s, SHUT_RDWR);
            w->deadline = 0;    /* once */
            sw_logf(SW_LOG_DEBUG, "web UI: closed a connection whose request was not complete "
                    "within %d s", SW_WEBCONN_REQUEST_S);
        }
        pp = &w->next;
    }
}

static wconn *find(struct bufferevent *bev)
{
    for (wconn *w = C.conns; w; w = w->next)
        if (w->bev == bev)
            return w;
    return NULL;
}

static void on_sent(struct evhttp_request *req, void *arg)
{
    (void)req;
    wconn *w = arg;             /* swept only after evhttp freed the connection */
    w->deadline = sw_clock_ms() + SW_WEBCONN_REQUEST_S * 1000.0;
}

void sw_webconn_request(struct evhttp_request *req)
{
    struct evhttp_connection *con = evhttp_request_get_connection(req);
    wconn *w = con ? find(evhttp_connection_get_bufferevent(con)) : NULL;
    if (w) {
        w->deadline = 0;
        evhttp_request_set_on_complete_cb(req, on_sent, w);
    }
}

static void on_resume(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what; (void)arg;
    if (C.lev)
        evconnlistener_enable(C.lev);
}

static void on_accept_error(struct evconnlistener *lev, void *arg)
{
    int e = errno;
    (void)arg;
    if ((e == EMFILE || e == ENFILE) && C.spare >= 0) {
        close(C.spare);         /* refuse one waiting client rather than let it hang */
        int fd = accept(evconnlistener_get_fd(lev), NULL, NULL);
        if (fd >= 0)
            close(fd);
        C.spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
    }
    C.failed++;
    double now = sw_clock_ms();
    if (C.log_at == 0 || now - C.log_at >= SW_WEBCONN_LOG_PERIOD_S * 1000.0) {
        sw_logf(SW_LOG_WARNING, "web UI: cannot accept connections (%s; %lu failed accept%s "
                "since the last report)%s", strerror(e), C.failed, C.failed == 1 ? "" : "s",
                e == EMFILE || e == ENFILE ? ": out of descriptors, raise the limit with "
                "`ulimit -n`" : "");
        C.log_at = now;
        C.failed = 0;
    }
    evconnlistener_disable(lev);
    struct timeval tv = { 0, SW_WEBCONN_BACKOFF_MS * 1000 };
    if (!C.resume || evtimer_add(C.resume, &tv) != 0)
        evconnlistener_enable(lev);     /* no timer: keep serving regardless */
}

int sw_webconn_attach(struct event_base *base, struct evhttp *http,
                      struct evhttp_bound_socket *bs)
{
    sw_webconn_free();
    C.base = base;
    C.sweep = event_new(base, -1, EV_PERSIST, on_sweep, NULL);
    C.resume = evtimer_new(base, on_resume, NULL);
    if (!C.sweep || !C.resume) {
        sw_webconn_free();
        return -1;
    }
    struct timeval sec = { 1, 0 };
    event_add(C.sweep, &sec);
    C.spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
    evhttp_set_bevcb(http, make_bev, NULL);
    C.lev = bs ? evhttp_bound_socket_get_listener(bs) : NULL;
    if (C.lev)
        evconnlistener_set_error_cb(C.lev, on_accept_error);
    return 0;
}

void sw_webconn_free(void)
{
    while (C.conns) {
        wconn *w = C.conns;
        C.conns = w->next;
        bufferevent_decref(w->bev);
        free(w);
    }
    if (C.sweep)
        event_free(C.sweep);
    if (C.resume)
        event_free(C.resume);
    if (C.spare >= 0)
        close(C.spare);
    memset(&C, 0, sizeof C);
    C.spare = -1;
}
