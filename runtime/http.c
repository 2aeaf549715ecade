/*
 * http.c -- libcurl's multi_socket interface driven by libevent.
 *
 * curl tells us which sockets to watch (sock_cb) and when to wake it up
 * (timer_cb); libevent tells curl when a socket is ready (event_cb) or the
 * timer fired (timeout_cb), through curl_multi_socket_action. After each
 * action, finished transfers are collected with curl_multi_info_read and
 * completed (conn_finish). curl_multi_perform is never called.
 *
 * Each sw_conn owns one easy handle for its whole life, with its options that
 * never change set once (conn_setup); per transfer only the request's own
 * options are set (conn_apply). Idle connections live in the multi's
 * connection cache and are reused by the next transfer to the same host.
 *
 * curl stops watching a connection's socket when its transfer ends
 * (CURL_POLL_REMOVE) and watches it again when the next transfer reuses it.
 * For the sockets of connections that curl opened and will close through
 * open_cb/close_cb, a read-only event is kept registered while idle instead
 * of being deleted and made again, which saves two epoll_ctl calls and the
 * event's allocation per keep-alive request. An idle event that fires
 * (the peer closed or sent something) is only deleted: curl's own liveness
 * check at reuse sees the same socket state it would have seen anyway.
 *
 * What a finished transfer means (failure message, phase times) is
 * curlres.c's; the per-owner private connections are curlown.c's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <curl/curl.h>
#include <event2/event.h>

#include "curlown.h"
#include "curlres.h"
#include "hdrline.h"
#include "h1.h"
#include "http.h"
#include "neterr.h"
#include "xbuf.h"

#define SW_HTTP_MAXCONNECTS 100000L   /* idle connections curl may keep */
#define SW_BODY_KEEP        (1u << 20) /* a larger body buffer is not kept */
#define SW_BODY_MAX         SW_NE_BODY_MAX /* a larger response body fails the request */

typedef struct sw_sock sw_sock;
struct sw_sock {                /* one socket curl asked us to watch */
    sw_http *h;                 /* owner */
    struct event *ev;           /* persistent event for it */
    curl_socket_t fd;           /* the socket */
    int armed;                  /* ev is added to the loop */
    int idle;                   /* curl no longer watches it (kept for reuse) */
    sw_sock *prev, *next;       /* in sw_http.socks */
};

typedef struct sw_fd {          /* what we know of one socket number */
    sw_sock *sock;              /* its watcher, or NULL */
    int own;                    /* opened by open_cb, not closed yet */
} sw_fd;

struct sw_http {
    struct event_base *base;    /* the loop everything runs on (borrowed) */
    CURLM *multi;               /* every transfer */
    CURLSH *share;              /* DNS cache and TLS sessions for the run */
    struct event *timer;        /* curl's timeout */
    sw_sock *socks;             /* watched sockets (to free leftovers) */
    sw_fd *fds;                 /* indexed by socket number */
    size_t nfds;                /* entries in fds */
    int no_env_proxy;           /* no proxy variable set: tell curl so */
    int running;                /* transfers in flight (incl. pending failures) */
    int tls_noverify;           /* issue 9: skip certificate checks */
    char *tls_ca;               /* issue 9: CA bundle (owned), or NULL */
};


struct sw_conn {
    sw_http *h;                 /* owner of the multi */
    CURL *easy;                 /* kept for the conn's life */
    int busy;                   /* a transfer or a pending fail is in flight */
    int in_multi;               /* easy is added to the multi */
    sw_conn_done_fn done;       /* completion of the current transfer */
    sw_conn_drop_fn drop;       /* release on abort, may be NULL */
    void *arg;                  /* for done/drop */
    sw_xb body;                 /* response body */
    sw_xb hdrs;                 /* final response's header lines */
    char reason[64];            /* reason phrase of the last status line */
    CURLU *cu;                  /* the last URL, parsed (CURLOPT_CURLU) */
    char *cu_url;               /* its text; NULL when cu holds none */
    int plain_get;              /* the method options set are a plain GET's */
    long set_timeout;           /* CURLOPT_TIMEOUT_MS as set; -1: unknown */
    struct curl_slist *nodes;   /* header list storage, reused */
    int nnodes_cap;             /* allocated nodes */
    struct event *fail_ev;      /* completes a failure to start via the loop */
    char err[CURL_ERROR_SIZE];  /* CURLOPT_ERRORBUFFER / that failure's text */
    sw_cres_seen seen;          /* what the callbacks saw of the transfer */
    sw_cown own;                /* this conn's private connections (curlown.h) */
};

/* ------------------------------------------------------ curl callbacks */

static size_t write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    sw_conn *c = userdata;
    size_t n = size * nmemb;
    if (c->body.len + n > SW_BODY_MAX) {
        c->seen.too_big = 1;         /* a runaway response must not eat memory */
        return 0;
    }
    return sw_xb_add(&c->body, ptr, n) ? 0 : n;
}

/* A new status line starts a new response (after a 1xx): forget the
 * previous one's headers and body, remember its reason phrase. */
static void start_response(sw_conn *c, const char *line, size_t n)
{
    sw_xb_reset(&c->hdrs, SW_BODY_KEEP);
    sw_xb_reset(&c->body, SW_BODY_KEEP);
    c->reason[0] = '\0';
    c->seen.hdr_done = 0;
    size_t i = 0;
    while (i < n && line[i] != ' ')        /* HTTP/x.y */
        i++;
    while (i < n && line[i] == ' ')
        i++;
    while (i < n && line[i] >= '0' && line[i] <= '9')  /* code */
        i++;
    while (i < n && line[i] == ' ')
        i++;
    size_t e = n;
    while (e > i && (line[e - 1] == '\r' || line[e - 1] == '\n' || line[e - 1] == ' '))
        e--;
    size_t len = e - i < sizeof c->reason - 1 ? e - i : sizeof c->reason - 1;
    memcpy(c->reason, line + i, len);
    c->reason[len] = '\0';
}

static size_t header_cb(char *ptr, size_t size, size_t nitems, void *userdata)
{
    sw_conn *c = userdata;
    size_t n = size * nitems;
    if (n >= 5 && memcmp(ptr, "HTTP/", 5) == 0) {
        const char *sp = memchr(ptr, ' ', n);
        if (sp && ptr + n - sp > 4 && memcmp(sp + 1, "101", 3) == 0 && (sp[4] == ' ' || sp[4] == '\r')) {
            c->seen.upgrade = 1;     /* 101 Switching Protocols: not an HTTP answer */
            return 0;
        }
        start_response(c, ptr, n);
        return n;
    }
    if (n == 0 || ptr[0] == '\r' || ptr[0] == '\n') { /* end of headers */
        c->seen.hdr_done = 1;
        return n;
    }
    if (n > SW_HTTP_HDR_LINE_MAX || c->hdrs.len + n > SW_HTTP_HDR_TOTAL_MAX) {
        c->seen.hdr_too_big = 1;
        return 0;
    }
    return sw_xb_add(&c->hdrs, ptr, n) ? 0 : n;
}

/* ------------------------------------------------ completing transfers */

/* Delivers the result of c's transfer: c is idle before `done` runs, and
 * nothing here touches c after it (done may start another transfer on c,
 * or free it). */
static void conn_deliver(sw_conn *c, sw_http_result *r)
{
    sw_conn_done_fn done = c->done;
    void *arg = c->arg;
    c->busy = 0;
    c->done = NULL;
    c->drop = NULL;
    c->arg = NULL;
    c->h->running--;
    if (done)
        done(arg, r);
}

static void conn_finish(sw_conn *c, CURLcode code)
{
    sw_http_result r;
    long status = 0, conns = 0;
    memset(&r, 0, sizeof r);
    curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(c->easy, CURLINFO_NUM_CONNECTS, &conns);
    sw_cres_phases(c->easy, &r);
    curl_multi_remove_handle(c->h->multi, c->easy);
    c->in_multi = 0;
    sw_cown_loaded(&c->own, c->easy);
    if (code != CURLE_OK) {
        sw_cres_error(c->err, sizeof c->err, c->easy, code, &c->seen, c->set_timeout);
        r.error = c->err;
        status = 0;
    }
    r.status = status;
    r.reason = status ? c->reason : "";
    r.body = c->body.p ? c->body.p : "";
    r.body_len = c->body.len;
    r.headers = c->hdrs.p ? c->hdrs.p : "";
    r.headers_len = c->hdrs.len;
    r.new_conns = conns;
    conn_deliver(c, &r);
}

static void check_done(sw_http *h)
{
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
        if (m->msg != CURLMSG_DONE)
            continue;
        sw_conn *c = NULL;
        CURLcode code = m->data.result;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&c);
        if (c)
            conn_finish(c, code);
        else
            curl_multi_remove_handle(h->multi, m->easy_handle);
    }
}

/* ------------------------------------------------ libevent <-> curl */

static void event_cb(evutil_socket_t fd, short what, void *arg)
{
    sw_sock *s = arg;
    sw_http *h = s->h;
    int running = 0;
    if (s->idle) {              /* nobody waits on it: stop watching */
        event_del(s->ev);
        s->armed = 0;
        return;
    }
    int action = ((what & EV_READ) ? CURL_CSELECT_IN : 0) |
                 ((what & EV_WRITE) ? CURL_CSELECT_OUT : 0);
    curl_multi_socket_action(h->multi, fd, action, &running);
    check_done(h);
}

static void timeout_cb(evutil_socket_t fd, short what, void *arg)
{
    sw_http *h = arg;
    int running = 0;
    (void)fd;
    (void)what;
    curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    check_done(h);
}

/* CURLMOPT_TIMERFUNCTION: -1 deletes the timer; anything else (0 too)
 * re-arms it, so curl is always called back from the loop. */
static int timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
    sw_http *h = userp;
    (void)multi;
    if (timeout_ms < 0) {
        evtimer_del(h->timer);
        return 0;
    }
    struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
    evtimer_add(h->timer, &tv);
    return 0;
}

/* The entry for socket fd, growing the table; NULL when fd is out of
 * range or memory is short. */
static sw_fd *fd_slot(sw_http *h, curl_socket_t fd)
{
    if (fd < 0)
        return NULL;
    size_t i = (size_t)fd;
    if (i >= h->nfds) {
        size_t n = h->nfds ? h->nfds : 64;
        while (n <= i)
            n *= 2;
        sw_fd *p = realloc(h->fds, n * sizeof *p);
        if (!p)
            return NULL;
        memset(p + h->nfds, 0, (n - h->nfds) * sizeof *p);
        h->fds = p;
        h->nfds = n;
    }
    return &h->fds[i];
}

static void sock_free(sw_http *h, sw_sock *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        h->socks = s->next;
    if (s->next)
        s->next->prev = s->prev;
    if (s->fd >= 0 && (size_t)s->fd < h->nfds && h->fds[s->fd].sock == s)
        h->fds[s->fd].sock = NULL;
    event_free(s->ev);
    free(s);
}

/* CURLMOPT_SOCKETFUNCTION: one persistent event per socket, kept in curl's
 * per-socket pointer; re-assigned when the wanted events change. On
 * CURL_POLL_REMOVE, a read-only watch on a socket curl closes through
 * close_cb stays registered, idle, until curl watches it again or closes it. */
static int sock_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
    sw_http *h = userp;
    sw_sock *s = socketp;
    (void)easy;
    if (what == CURL_POLL_REMOVE) {
        if (s) {
            curl_multi_assign(h->multi, fd, NULL);
            sw_fd *f = (size_t)fd < h->nfds ? &h->fds[fd] : NULL;
            if (f && f->own && f->sock == s &&
                event_get_events(s->ev) == (EV_PERSIST | EV_READ))
                s->idle = 1;
            else
                sock_free(h, s);
        }
        return 0;
    }
    short kind = EV_PERSIST | ((what & CURL_POLL_IN) ? EV_READ : 0) |
                 ((what & CURL_POLL_OUT) ? EV_WRITE : 0);
    if (!s && fd >= 0 && (size_t)fd < h->nfds && h->fds[fd].sock &&
        h->fds[fd].sock->idle) {
        s = h->fds[fd].sock;       /* a kept-alive connection's watch */
        s->idle = 0;
        curl_multi_assign(h->multi, fd, s);
    }
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s)
            return -1;
        s->h = h;
        s->fd = fd;
        s->ev = event_new(h->base, fd, kind, event_cb, s);
        if (!s->ev) {
            free(s);
            return -1;
        }
        s->next = h->socks;
        if (h->socks)
            h->socks->prev = s;
        h->socks = s;
        sw_fd *f = fd_slot(h, fd);
        if (f && !f->sock)
            f->sock = s;
        curl_multi_assign(h->multi, fd, s);
    } else if (event_get_events(s->ev) != kind) {
        event_del(s->ev);
        event_assign(s->ev, h->base, fd, kind, event_cb, s);
        s->armed = 0;
    } else if (s->armed) {
        return 0;                  /* already watching exactly that */
    }
    if (event_add(s->ev, NULL) == 0)
        s->armed = 1;
    return 0;
}

/* CURLOPT_OPENSOCKETFUNCTION: what curl does by default, noting the socket
 * as one that close_cb will see closed. */
static curl_socket_t open_cb(void *clientp, curlsocktype purpose,
                             struct curl_sockaddr *addr)
{
    sw_conn *c = clientp;
    sw_http *h = c->h;
    (void)purpose;
    curl_socket_t fd = socket(addr->family, addr->socktype, addr->protocol);
    if (fd == CURL_SOCKET_BAD)
        c->seen.sock_errno = errno;  /* EMFILE gets its own message */
    if (fd != CURL_SOCKET_BAD) {
        sw_fd *f = fd_slot(h, fd);
        if (f) {
            if (f->sock && f->sock->idle)   /* stale: its socket is gone */
                sock_free(h, f->sock);
            f->own = 1;
        }
    }
    return fd;
}

/* CURLOPT_CLOSESOCKETFUNCTION: drops the socket's idle watch, then closes. */
static int close_cb(void *clientp, curl_socket_t fd)
{
    sw_http *h = clientp;
    if (fd >= 0 && (size_t)fd < h->nfds) {
        sw_fd *f = &h->fds[fd];
        if (f->sock && f->sock->idle)   /* curl removed any live watch first */
            sock_free(h, f->sock);
        f->own = 0;
    }
    return close(fd);
}

/* ------------------------------------------------------------- sw_http */

/* TLS verification and CA file for every later transfer. */
void sw_http_tls(sw_http *h, int verify, const char *ca_file)
{
    if (!h)
        return;
    h->tls_noverify = !verify;
    free(h->tls_ca);
    h->tls_ca = ca_file ? strdup(ca_file) : NULL;
}

/* Creates the process's multi and share handles on base. NULL on failure. */
sw_http *sw_http_new(struct event_base *base)
{
    static int global_done;
    if (!global_done) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return NULL;
        global_done = 1;
    }
    sw_http *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->base = base;
    /* curl reads these on every transfer; when none is set, saying "no
     * proxy" once per handle gives the same result without the look-ups. */
    static const char *const proxy_vars[] = {
        "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
        "ALL_PROXY", "no_proxy", "NO_PROXY"
    };
    h->no_env_proxy = 1;
    for (size_t i = 0; i < sizeof proxy_vars / sizeof proxy_vars[0]; i++)
        if (getenv(proxy_vars[i]))
            h->no_env_proxy = 0;
    h->multi = curl_multi_init();
    h->share = curl_share_init();
    h->timer = evtimer_new(base, timeout_cb, h);
    if (!h->multi || !h->share || !h->timer) {
        sw_http_free(h);
        return NULL;
    }
    curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
    curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, SW_HTTP_MAXCONNECTS);
    curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
    curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
    curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_NOTHING);
    return h;
}

/* Frees h; every sw_conn must have been freed already. */
void sw_http_free(sw_http *h)
{
    if (!h)
        return;
    if (h->multi)
        curl_multi_cleanup(h->multi);   /* closes cached connections */
    if (h->share)
        curl_share_cleanup(h->share);
    while (h->socks)
        sock_free(h, h->socks);
    if (h->timer)
        event_free(h->timer);
    free(h->fds);
    free(h->tls_ca);
    free(h);
}

int sw_http_running(const sw_http *h)
{
    return h ? h->running : 0;
}

/* ------------------------------------------------------------- sw_conn */

static void fail_cb(evutil_socket_t fd, short what, void *arg)
{
    sw_conn *c = arg;
    sw_http_result r;
    (void)fd;
    (void)what;
    memset(&r, 0, sizeof r);
    r.reason = "";
    r.body = "";
    r.headers = "";
    r.error = c->err;
    conn_deliver(c, &r);
}

/* The options that never change for c's easy handle. */
static int conn_setup(sw_conn *c)
{
    CURL *e = c->easy;
    int bad = 0;
    bad |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)c) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_WRITEDATA, c) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_HEADERDATA, c) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, c->err) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_cb) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, c) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, close_cb) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, c->h) != CURLE_OK;
    if (c->h->no_env_proxy) {
        bad |= curl_easy_setopt(e, CURLOPT_PROXY, "") != CURLE_OK;
        bad |= curl_easy_setopt(e, CURLOPT_NOPROXY, "") != CURLE_OK;
    }
    bad |= curl_easy_setopt(e, CURLOPT_SHARE, c->h->share) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_DNS_CACHE_TIMEOUT, -1L) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "gzip, deflate") != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, SW_H1_CONNECT_TIMEOUT_MS) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
                            (long)CURL_HTTP_VERSION_1_1) != CURLE_OK;
    if (c->h->tls_noverify) {           /* issue 9: TLS options */
        bad |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L) != CURLE_OK;
        bad |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L) != CURLE_OK;
    }
    if (c->h->tls_ca)
        bad |= curl_easy_setopt(e, CURLOPT_CAINFO, c->h->tls_ca) != CURLE_OK;
#if LIBCURL_VERSION_NUM >= 0x075500   /* 7.85: the _STR forms */
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    return bad ? -1 : 0;
}

/* Makes a connection owner on h: one easy handle for its whole life. */
sw_conn *sw_conn_new(sw_http *h)
{
    if (!h)
        return NULL;
    sw_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->h = h;
    c->set_timeout = -1;
    c->easy = curl_easy_init();
    c->fail_ev = evtimer_new(h->base, fail_cb, c);
    if (!c->easy || !c->fail_ev || conn_setup(c) != 0) {
        sw_conn_free(c);
        return NULL;
    }
    return c;
}

void sw_conn_abort(sw_conn *c)
{
    if (!c || !c->busy)
        return;
    sw_conn_drop_fn drop = c->drop;
    void *arg = c->arg;
    if (c->in_multi) {
        curl_multi_remove_handle(c->h->multi, c->easy);
        c->in_multi = 0;
    }
    evtimer_del(c->fail_ev);
    c->busy = 0;
    c->done = NULL;
    c->drop = NULL;
    c->arg = NULL;
    c->h->running--;
    if (drop)
        drop(arg);
}

void sw_conn_free(sw_conn *c)
{
    if (!c)
        return;
    sw_conn_abort(c);
    if (c->easy)
        curl_easy_cleanup(c->easy);
    if (c->fail_ev)
        event_free(c->fail_ev);
    free(c->body.p);
    free(c->hdrs.p);
    free(c->nodes);
    curl_url_cleanup(c->cu);
    sw_cown_free(&c->own);
    free(c->cu_url);
    free(c);
}

int sw_conn_busy(const sw_conn *c)
{
    return c ? c->busy : 0;
}

/* Marks c busy with a new transfer's callbacks (aborting any previous one). */
static void conn_claim(sw_conn *c, sw_conn_done_fn done, sw_conn_drop_fn drop, void *arg)
{
    if (c->busy)
        sw_conn_abort(c);
    c->busy = 1;
    c->done = done;
    c->drop = drop;
    c->arg = arg;
    c->h->running++;
    c->err[0] = '\0';
    memset(&c->seen, 0, sizeof c->seen);
}

static void conn_fail_later(sw_conn *c, const char *msg)
{
    static const struct timeval zero = { 0, 0 };
    snprintf(c->err, sizeof c->err, "%s", msg ? msg : "request failed");
    evtimer_add(c->fail_ev, &zero);
}

/* Sets the header list: our User-Agent line unless rq has its own, then
 * rq's lines, in c's reusable nodes. As a header line rather than
 * CURLOPT_USERAGENT (which curl would format anew for every transfer) it
 * costs curl less; it goes out right after curl's Accept line instead of
 * just before it. */
static int conn_headers(sw_conn *c, const sw_http_req *rq)
{
    static const char ua[] = "User-Agent: " SW_NE_USER_AGENT;
    int n = rq->nheaders > 0 && rq->headers ? rq->nheaders : 0;
    int own_ua = !sw_hl_has(rq->headers, n, "User-Agent");
    int total = n + own_ua;
    if (total > c->nnodes_cap) {
        struct curl_slist *p = realloc(c->nodes, (size_t)total * sizeof *p);
        if (!p)
            return CURLE_OUT_OF_MEMORY;
        c->nodes = p;
        c->nnodes_cap = total;
    }
    if (own_ua)
        c->nodes[0].data = (char *)ua;
    for (int i = 0; i < n; i++)
        c->nodes[own_ua + i].data = (char *)rq->headers[i];
    for (int i = 0; i < total; i++)
        c->nodes[i].next = i + 1 < total ? &c->nodes[i + 1] : NULL;
    return curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, c->nodes);
}

/* Sets the URL. A URL that curl parses as it would have parsed CURLOPT_URL
 * (same flags) is handed over parsed (CURLOPT_CURLU) and kept with its text,
 * so a conn that requests the same URL again skips curl's parse and
 * re-formatting; anything else goes through CURLOPT_URL, so curl reports its
 * own errors for it. When the URL changes, CURLOPT_URL is reset to NULL
 * first: curl keeps the text of the URL it formatted from the CURLU (for a
 * retry on a dead keep-alive connection, for instance) until then. */
static CURLcode conn_url(sw_conn *c, const char *url)
{
    CURLcode rc = CURLE_OK;
    if (!c->cu_url || strcmp(c->cu_url, url) != 0) {
        free(c->cu_url);
        c->cu_url = NULL;
        if (!c->cu)
            c->cu = curl_url();
        if (c->cu && curl_url_set(c->cu, CURLUPART_URL, url,
                                  CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK)
            c->cu_url = strdup(url);
        rc = curl_easy_setopt(c->easy, CURLOPT_URL, c->cu_url ? (char *)NULL : url);
        if (rc == CURLE_OK)
            rc = curl_easy_setopt(c->easy, CURLOPT_CURLU, c->cu_url ? c->cu : (CURLU *)NULL);
        if (rc != CURLE_OK) {       /* set it all again next time */
            free(c->cu_url);
            c->cu_url = NULL;
        }
    }
    return rc;
}

/* Private connections for rq's origin (curlown.h), unless a proxy is in
 * the environment (then curl pools connections as it does). */
static CURLcode conn_own(sw_conn *c, const sw_http_req *rq)
{
    sw_h1_url split;
    const sw_h1_url *u = rq->url_parts;
    if (!c->h->no_env_proxy)
        return CURLE_OK;
    if (!u && sw_h1_parse_url(rq->url, &split) == 0)
        u = &split;
    return u ? sw_cown_apply(&c->own, c->easy, u) : CURLE_OK;
}

/* The per-request options; every one that a previous request may have set
 * is reset here, so a GET after a POST is a GET. Options already set to the
 * wanted value by the previous request on c (a plain GET after a plain GET,
 * the same timeout) are not set again. curl never follows redirects here
 * (CURLOPT_FOLLOWLOCATION keeps its default, off): see http.h. */
static CURLcode conn_apply(sw_conn *c, const sw_http_req *rq)
{
    CURL *e = c->easy;
    CURLcode rc = CURLE_OK;
    int m = rq->method >= 0 && rq->method <= SW_HTTP_OPTIONS ? rq->method : SW_HTTP_GET;
    int plain = m == SW_HTTP_GET && !rq->body;
    long timeout = rq->timeout_ms > 0 ? rq->timeout_ms : 0L;
#define SET(opt, val) do { if (rc == CURLE_OK) rc = curl_easy_setopt(e, opt, val); } while (0)
    rc = conn_url(c, rq->url);
    if (rc == CURLE_OK)
        rc = conn_own(c, rq);
    if (!plain || !c->plain_get) {
        c->plain_get = 0;
        SET(CURLOPT_POSTFIELDS, (char *)NULL);    /* before HTTPGET: it means POST */
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)-1);
        SET(CURLOPT_CUSTOMREQUEST, (char *)NULL);
        SET(CURLOPT_NOBODY, 0L);
        SET(CURLOPT_HTTPGET, 1L);
        if (m == SW_HTTP_HEAD) {
            SET(CURLOPT_NOBODY, 1L);
        } else if (m == SW_HTTP_POST || rq->body) {
            SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(rq->body ? rq->body_len : 0));
            SET(CURLOPT_POSTFIELDS, rq->body ? rq->body : "");
            if (m != SW_HTTP_POST)
                SET(CURLOPT_CUSTOMREQUEST, sw_ne_methods[m]);
        } else if (m != SW_HTTP_GET) {
            SET(CURLOPT_CUSTOMREQUEST, sw_ne_methods[m]);
        }
        c->plain_get = rc == CURLE_OK && plain;
    }
    if (timeout != c->set_timeout) {
        SET(CURLOPT_TIMEOUT_MS, timeout);
        c->set_timeout = rc == CURLE_OK ? timeout : -1;
    }
#undef SET
    if (rc == CURLE_OK)
        rc = (CURLcode)conn_headers(c, rq);
    return rc;
}

void sw_conn_start(sw_conn *c, const sw_http_req *rq, sw_conn_done_fn done,
                   sw_conn_drop_fn drop, void *arg)
{
    if (!c)
        return;
    conn_claim(c, done, drop, arg);
    if (!rq || !rq->url) {
        conn_fail_later(c, "no URL");
        return;
    }
    sw_xb_reset(&c->body, SW_BODY_KEEP);
    sw_xb_reset(&c->hdrs, SW_BODY_KEEP);
    c->reason[0] = '\0';
    CURLcode rc = conn_apply(c, rq);
    if (rc != CURLE_OK) {
        conn_fail_later(c, curl_easy_strerror(rc));
        return;
    }
    c->err[0] = '\0';
    CURLMcode mc = curl_multi_add_handle(c->h->multi, c->easy);
    if (mc != CURLM_OK) {
        conn_fail_later(c, curl_multi_strerror(mc));
        return;
    }
    c->in_multi = 1;
}
