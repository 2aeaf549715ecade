/*
 * h1.c -- the native HTTP/1.1 client engine (see h1.h).
 *
 * A conn is a non-blocking socket with one persistent read event for the
 * socket's life, a write event used only while connecting or when the kernel
 * did not take the whole request at once, and one timer (the request's
 * deadline, or a zero delay for failures that must complete from the loop).
 * A keep-alive request therefore costs one sendmsg and one read (plus the
 * loop's epoll_wait, shared by every ready socket).
 *
 * Responses are parsed by http_parser (joyent's, as wrk uses) straight from
 * a process-wide read buffer: header lines and the body are appended to the
 * conn's own buffers, a body in gzip/deflate through zlib. The request is
 * written into a process-wide scratch buffer and sent from there; only the
 * part the kernel did not take is copied into the conn.
 *
 * A request on a reused connection that the server had closed meanwhile
 * (EOF, reset or EPIPE before any response byte) is retried once on a new
 * connection, as curl does.
 */
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <event2/event.h>

#include "dns.h"
#include "h1.h"
#include "h1msg.h"
#include "neterr.h"
#include "sw.h"

#define H1_READ_BUF   (64u << 10)  /* shared read buffer */


struct sw_h1 {
    struct event_base *base;    /* borrowed */
    char *rbuf;                 /* H1_READ_BUF bytes, shared by every conn */
    sw_xb wbuf;                 /* request head scratch */
    int running;                /* transfers in flight */
    long connects;              /* sockets connected so far */
};

enum { ST_IDLE, ST_CONNECTING, ST_SENDING, ST_READING, ST_FAILING };

struct sw_h1_conn {
    sw_h1 *h;                   /* owner of the shared buffers */
    int fd;                     /* socket, -1 when closed */
    int state;                  /* ST_* */
    struct event *rev;          /* persistent read watch on fd */
    struct event *wev;          /* write watch: connect / rest of the request */
    struct event *tev;          /* deadline, or async failure */
    char origin[272];           /* "host:port" of fd */
    /* the transfer */
    int busy;
    sw_conn_done_fn done;
    sw_conn_drop_fn drop;
    void *arg;
    int method;                 /* SW_HTTP_* */
    sw_h1_url u;                /* the URL's parts (point into the request's) */
    const char *const *headers; /* borrowed from the request */
    int nheaders;
    const char *req_body;       /* borrowed, or NULL */
    size_t req_body_len;
    double deadline;            /* monotonic ms; 0: none */
    double conn_deadline;       /* connect attempt's deadline; 0: none */
    int addr_i;                 /* address being tried */
    int reused, retried;        /* on a kept-alive socket / retried once */
    char *out;                  /* request bytes the kernel has not taken */
    size_t out_len, out_off;
    double t_start, t_conn, t_connected, t_sent, t_first;
    long new_conns;
    int is_head;                /* the request is a HEAD */
    int got_bytes;              /* bytes received on this attempt */
    sw_h1m_resp r;              /* the response being read */
    int in_start;               /* inside sw_h1_start: complete via the loop */
    char err[320];              /* failure text */
};


/* ------------------------------------------------------------- buffers */

/* ---------------------------------------------------------------- URLs */

/* --------------------------------------------------------------- sw_h1 */

sw_h1 *sw_h1_new(struct event_base *base)
{
    sw_h1 *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->base = base;
    h->rbuf = malloc(H1_READ_BUF);
    if (!h->rbuf) {
        free(h);
        return NULL;
    }
    return h;
}

void sw_h1_free(sw_h1 *h)
{
    if (!h)
        return;
    free(h->rbuf);
    free(h->wbuf.p);
    free(h);
}

int sw_h1_running(const sw_h1 *h) { return h ? h->running : 0; }
long sw_h1_connects(const sw_h1 *h) { return h ? h->connects : 0; }

/* ------------------------------------------------------- conn plumbing */

static void on_read(evutil_socket_t fd, short what, void *arg);
static void await_response(sw_h1_conn *c);
static void on_write(evutil_socket_t fd, short what, void *arg);
static void on_timer(evutil_socket_t fd, short what, void *arg);
static void attempt(sw_h1_conn *c);

static void close_fd(sw_h1_conn *c)
{
    if (c->fd >= 0) {
        event_del(c->rev);
        event_del(c->wev);
        close(c->fd);
        c->fd = -1;
    }
    free(c->out);
    c->out = NULL;
    c->out_len = c->out_off = 0;
}

sw_h1_conn *sw_h1_conn_new(sw_h1 *h)
{
    if (!h)
        return NULL;
    sw_h1_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->h = h;
    c->fd = -1;
    c->rev = event_new(h->base, -1, EV_READ | EV_PERSIST, on_read, c);
    c->wev = event_new(h->base, -1, EV_WRITE, on_write, c);
    c->tev = evtimer_new(h->base, on_timer, c);
    if (!c->rev || !c->wev || !c->tev) {
        sw_h1_conn_free(c);
        return NULL;
    }
    return c;
}

/* Ends the transfer's bookkeeping; c is idle afterwards. */
static void release(sw_h1_conn *c)
{
    evtimer_del(c->tev);
    event_del(c->wev);
    c->busy = 0;
    c->state = ST_IDLE;
    c->done = NULL;
    c->drop = NULL;
    c->arg = NULL;
    c->headers = NULL;
    c->req_body = NULL;
    c->h->running--;
}

void sw_h1_abort(sw_h1_conn *c)
{
    if (!c || !c->busy)
        return;
    sw_conn_drop_fn drop = c->drop;
    void *arg = c->arg;
    if (c->state != ST_IDLE && c->state != ST_FAILING)
        close_fd(c);            /* a half-done exchange cannot be reused */
    release(c);
    if (drop)
        drop(arg);
}

void sw_h1_conn_free(sw_h1_conn *c)
{
    if (!c)
        return;
    sw_h1_abort(c);
    close_fd(c);
    if (c->rev)
        event_free(c->rev);
    if (c->wev)
        event_free(c->wev);
    if (c->tev)
        event_free(c->tev);
    sw_h1m_free(&c->r);
    free(c);
}

int sw_h1_busy(const sw_h1_conn *c) { return c ? c->busy : 0; }
const char *sw_h1_origin(const sw_h1_conn *c) { return c ? c->origin : ""; }
int sw_h1_open(const sw_h1_conn *c) { return c && c->fd >= 0; }

/* ------------------------------------------------------------ finishing */

/* Delivers the result (success or c->err) to the owner. */
static void deliver(sw_h1_conn *c, int ok)
{
    sw_http_result r;
    memset(&r, 0, sizeof r);
    double now = sw_clock_ms();
    if (ok) {
        r.status = (long)sw_h1m_status(&c->r);
        r.reason = c->r.reason;
        r.body = c->r.body.p ? c->r.body.p : "";
        r.body_len = c->r.body.len;
        r.headers = c->r.hdrs.p ? c->r.hdrs.p : "";
        r.headers_len = c->r.hdrs.len;
        r.wire_len = c->r.wire;
        if (!c->r.keep_alive)
            close_fd(c);
    } else {
        r.reason = r.body = r.headers = "";
        r.error = c->err;
        r.wire_len = c->r.wire; /* what arrived before the failure, as curl counts */
    }
    r.new_conns = c->new_conns;
    if (c->t_connected > 0)
        r.connect_ms = c->t_connected - c->t_conn;
    if (c->t_first > 0) {
        r.ttfb_ms = c->t_first - (c->t_sent > 0 ? c->t_sent : c->t_start);
        r.download_ms = now - c->t_first;
    }
    sw_conn_done_fn done = c->done;
    void *arg = c->arg;
    release(c);
    if (done)
        done(arg, &r);
    if (!c->busy)               /* idle: a mostly-idle user keeps no buffers */
        sw_h1m_clear(&c->r, 0);
}

/* Fails from the loop (used where the caller must not be called back). */
static void fail_later(sw_h1_conn *c, const char *msg)
{
    static const struct timeval zero = { 0, 0 };
    if (msg != c->err)
        snprintf(c->err, sizeof c->err, "%s", msg);
    c->state = ST_FAILING;
    evtimer_del(c->tev);
    evtimer_add(c->tev, &zero);
}

/* Fails the transfer with kind's message; the socket is closed (whatever
 * it held is unusable). From inside sw_h1_start, completes via the loop. */
static void fail(sw_h1_conn *c, sw_neterr kind)
{
    sw_ne_format(c->err, sizeof c->err, kind,
                 kind == SW_NE_PROTOCOL ? c->u.scheme : c->u.host, c->u.port);
    close_fd(c);
    if (c->in_start)
        fail_later(c, c->err);
    else
        deliver(c, 0);
}

static void arm_timer(sw_h1_conn *c)
{
    double t = c->deadline;
    if (c->conn_deadline > 0 && (t <= 0 || c->conn_deadline < t))
        t = c->conn_deadline;
    if (t <= 0) {
        evtimer_del(c->tev);
        return;
    }
    double ms = t - sw_clock_ms();
    if (ms < 0)
        ms = 0;
    struct timeval tv = { (time_t)(ms / 1000), (suseconds_t)((ms - (double)(time_t)(ms / 1000) * 1000) * 1000) };
    evtimer_add(c->tev, &tv);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    sw_h1_conn *c = arg;
    (void)fd;
    (void)what;
    if (!c->busy)
        return;
    if (c->state == ST_FAILING) {
        deliver(c, 0);
        return;
    }
    double now = sw_clock_ms();
    if (c->deadline > 0 && now >= c->deadline - 0.5) {
        fail(c, SW_NE_TIMEOUT);
    } else if (c->state == ST_CONNECTING && c->conn_deadline > 0 &&
               now >= c->conn_deadline - 0.5) {
        fail(c, SW_NE_CONNECT_TIMEOUT);
    } else {
        arm_timer(c);           /* woken early: wait for the rest */
    }
}

/* ------------------------------------------------------------- parsing */

/* A complete final response: delivered (redirects are followed by
 * request.c's req_redirect, above both engines). */
static void complete(sw_h1_conn *c)
{
    deliver(c, 1);
}

/* ------------------------------------------------------------- reading */

/* Retries the request on a new connection after a reused one turned out
 * dead; 1 when it did. */
static int retry_dead(sw_h1_conn *c)
{
    if (!c->reused || c->retried || c->got_bytes)
        return 0;
    c->retried = 1;
    close_fd(c);
    attempt(c);
    return 1;
}

static void on_eof(sw_h1_conn *c)
{
    if (retry_dead(c))
        return;
    if (!c->got_bytes) {
        fail(c, SW_NE_EMPTY);
        return;
    }
    if (sw_h1m_eof(&c->r) == SW_H1M_DONE)
        complete(c);
    else
        fail(c, c->r.fail_kind);
}

static void on_read(evutil_socket_t fd, short what, void *arg)
{
    sw_h1_conn *c = arg;
    (void)what;
    if (c->busy && c->state == ST_SENDING) {
        /* an early answer (e.g. 413 before the whole body): read it */
        event_del(c->wev);
        free(c->out);
        c->out = NULL;
        c->out_len = c->out_off = 0;
        await_response(c);
    }
    if (!c->busy || c->state != ST_READING) {
        /* idle keep-alive socket: the peer closed it or sent junk */
        close_fd(c);
        return;
    }
    ssize_t n = read(fd, c->h->rbuf, H1_READ_BUF);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return;
        if (!retry_dead(c))
            fail(c, SW_NE_RECV);
        return;
    }
    if (n == 0) {
        on_eof(c);
        return;
    }
    if (!c->got_bytes) {
        c->got_bytes = 1;
        c->t_first = sw_clock_ms();
    }
    int st = sw_h1m_feed(&c->r, c->h->rbuf, (size_t)n);
    if (st == SW_H1M_DONE)
        complete(c);
    else if (st == SW_H1M_ERROR)
        fail(c, c->r.fail_kind);
}

/* ------------------------------------------------------------- writing */

/* Starts reading the response. */
static void await_response(sw_h1_conn *c)
{
    c->state = ST_READING;
    c->t_sent = sw_clock_ms();
    sw_h1m_begin(&c->r, c->is_head);
}

/* Sends what is left in c->out; waits for writability when the kernel
 * takes only part. */
static void flush_out(sw_h1_conn *c)
{
    while (c->out_off < c->out_len) {
        ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                event_add(c->wev, NULL);
                return;
            }
            if (!retry_dead(c))
                fail(c, SW_NE_SEND);
            return;
        }
        c->out_off += (size_t)n;
    }
    free(c->out);
    c->out = NULL;
    c->out_len = c->out_off = 0;
    await_response(c);
}

/* Sends the request on the connected socket: head and body in one sendmsg. */
static void send_request(sw_h1_conn *c)
{
    if (sw_h1m_head(&c->h->wbuf, c->method, &c->u, c->headers, c->nheaders,
                    c->req_body, c->req_body_len) != 0) {
        fail(c, SW_NE_NOMEM);
        return;
    }
    c->state = ST_SENDING;
    c->got_bytes = 0;
    c->r.wire = 0;
    sw_xb *b = &c->h->wbuf;
    size_t blen = c->req_body ? c->req_body_len : 0;
    struct iovec iov[2] = { { b->p, b->len }, { (void *)(uintptr_t)c->req_body, blen } };
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = iov;
    mh.msg_iovlen = blen ? 2 : 1;
    ssize_t n;
    do
        n = sendmsg(c->fd, &mh, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        if (!retry_dead(c))
            fail(c, SW_NE_SEND);
        return;
    }
    size_t sent = n > 0 ? (size_t)n : 0, total = b->len + blen;
    if (sent == total) {
        await_response(c);
        return;
    }
    c->out = malloc(total - sent);
    if (!c->out) {
        fail(c, SW_NE_NOMEM);
        return;
    }
    c->out_len = total - sent;
    c->out_off = 0;
    if (sent < b->len) {
        memcpy(c->out, b->p + sent, b->len - sent);
        if (blen)
            memcpy(c->out + b->len - sent, c->req_body, blen);
    } else {
        memcpy(c->out, c->req_body + (sent - b->len), total - sent);
    }
    event_add(c->wev, NULL);
}

/* ---------------------------------------------------------- connecting */

/* Tries the addresses of the origin from c->addr_i on. */
static void connect_next(sw_h1_conn *c)
{
    int n = 0;
    const sw_addr *as = sw_dns_lookup(c->u.host, c->u.port, &n);
    if (!as) {
        fail(c, SW_NE_RESOLVE);
        return;
    }
    for (; c->addr_i < n; c->addr_i++) {
        sw_addr a = as[c->addr_i];
        int fd = socket(a.sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE) {
                fail(c, SW_NE_EMFILE);  /* out of descriptors: its own message */
                return;
            }
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        int rc = connect(fd, (struct sockaddr *)&a.sa, a.len);
        if (rc == 0 || errno == EINPROGRESS) {
            c->fd = fd;
            event_assign(c->rev, c->h->base, fd, EV_READ | EV_PERSIST, on_read, c);
            event_assign(c->wev, c->h->base, fd, EV_WRITE, on_write, c);
            c->state = ST_CONNECTING;
            event_add(c->wev, NULL);
            return;
        }
        close(fd);
    }
    fail(c, SW_NE_CONNECT);
}

static void on_write(evutil_socket_t fd, short what, void *arg)
{
    sw_h1_conn *c = arg;
    (void)what;
    if (!c->busy)
        return;
    if (c->state == ST_SENDING) {
        flush_out(c);
        return;
    }
    if (c->state != ST_CONNECTING)
        return;
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        err = errno;
    if (err) {
        close_fd(c);
        c->addr_i++;
        connect_next(c);
        return;
    }
    c->t_connected = sw_clock_ms();
    c->h->connects++;
    c->new_conns++;
    c->conn_deadline = 0;
    arm_timer(c);
    event_add(c->rev, NULL);
    send_request(c);
}

/* One attempt at the current URL: on the open socket when it is to the same
 * origin, else on a new connection. */
static void attempt(sw_h1_conn *c)
{
    char origin[sizeof c->origin];
    snprintf(origin, sizeof origin, "%s:%d", c->u.host, c->u.port);
    if (c->fd >= 0 && strcmp(origin, c->origin) == 0) {
        c->reused = 1;
        send_request(c);
        return;
    }
    close_fd(c);
    memcpy(c->origin, origin, sizeof origin);
    c->reused = 0;
    c->addr_i = 0;
    c->t_conn = sw_clock_ms();
    c->t_connected = 0;
    long ct = SW_H1_CONNECT_TIMEOUT_MS;
    c->conn_deadline = c->t_conn + (double)ct;
    arm_timer(c);
    connect_next(c);
}

/* ------------------------------------------------------------ starting */

static void claim(sw_h1_conn *c, sw_conn_done_fn done, sw_conn_drop_fn drop, void *arg)
{
    if (c->busy)
        sw_h1_abort(c);
    c->busy = 1;
    c->done = done;
    c->drop = drop;
    c->arg = arg;
    c->h->running++;
    c->err[0] = '\0';
}

void sw_h1_start(sw_h1_conn *c, const sw_http_req *rq, sw_conn_done_fn done,
                 sw_conn_drop_fn drop, void *arg)
{
    char msg[320];
    if (!c)
        return;
    claim(c, done, drop, arg);
    c->new_conns = 0;
    c->t_start = sw_clock_ms();
    c->t_sent = c->t_first = c->t_connected = 0;
    c->retried = 0;
    c->r.wire = 0;
    if (rq && rq->url_parts) {
        c->u = *rq->url_parts;      /* split by client.c; points into rq->url */
    } else if (!rq || sw_h1_parse_url(rq->url, &c->u) != 0) {
        fail_later(c, sw_ne_format(msg, sizeof msg, SW_NE_BAD_URL, NULL, 0));
        return;
    }
    if (strcmp(c->u.scheme, "http") != 0) {
        fail_later(c, sw_ne_format(msg, sizeof msg, SW_NE_PROTOCOL, c->u.scheme, 0));
        return;
    }
    c->method = rq->method;
    c->headers = rq->nheaders > 0 ? rq->headers : NULL;
    c->nheaders = rq->nheaders > 0 && rq->headers ? rq->nheaders : 0;
    c->req_body = rq->body;
    c->req_body_len = rq->body ? rq->body_len : 0;
    c->is_head = rq->method == SW_HTTP_HEAD;
    c->deadline = rq->timeout_ms > 0 ? c->t_start + (double)rq->timeout_ms : 0;
    c->conn_deadline = 0;
    arm_timer(c);
    c->in_start = 1;
    attempt(c);
    c->in_start = 0;
}
