/*
 * zsock.c -- ZeroMQ socket on the libevent loop via ZMQ_FD (see zsock.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <zmq.h>

#include "zsock.h"

#define SW_ZS_MAX_FRAMES 8        /* more frames than this: the message is dropped */
#define SW_ZS_BATCH 256           /* messages per wake-up before yielding to the loop */

struct sw_zs {
    void *sock;                   /* the ZeroMQ socket */
    int router;                   /* ROUTER (1) or DEALER (0) */
    struct event *rd;             /* ZMQ_FD readable */
    struct event *later;          /* deferred drain (after a send, or a full batch) */
    sw_zs_recv_fn fn; void *arg;  /* receiver */
    unsigned long dropped;        /* messages with a bad frame count */
    void *mon;                    /* PAIR reading the socket's events (NULL: not monitored) */
    struct event *mon_rd;         /* its ZMQ_FD readable */
    sw_zs_link_fn link_fn; void *link_arg;  /* hears "up"/"down" */
    int up;                       /* a peer is connected (handshake done) */
};

static void *CTX;

static void mon_stop(sw_zs *z);

void *sw_zs_ctx(void)
{
    if (!CTX)
        CTX = zmq_ctx_new();
    return CTX;
}

void sw_zs_term(void)
{
    if (CTX)
        zmq_ctx_term(CTX);
    CTX = NULL;
}

static int readable(sw_zs *z)
{
    int ev = 0;
    size_t n = sizeof ev;
    if (zmq_getsockopt(z->sock, ZMQ_EVENTS, &ev, &n) != 0)
        return 0;
    return (ev & ZMQ_POLLIN) != 0;
}

/* Receive one whole message (all its frames) and deliver it. Returns 0, or
 * -1 when nothing was there. */
static int recv_one(sw_zs *z)
{
    zmq_msg_t f[SW_ZS_MAX_FRAMES];
    int nf = 0, more = 1, overflow = 0;
    while (more) {
        zmq_msg_t tmp;
        zmq_msg_init(&tmp);
        if (zmq_msg_recv(&tmp, z->sock, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&tmp);
            if (nf == 0)
                return -1;
            break;      /* cannot happen: frames of a message arrive together */
        }
        more = zmq_msg_more(&tmp);
        if (nf < SW_ZS_MAX_FRAMES)
            f[nf++] = tmp;
        else {
            overflow = 1;
            zmq_msg_close(&tmp);
        }
    }
    int want = z->router ? 2 : 1;
    if (overflow || nf != want)
        z->dropped++;
    else if (z->router)
        z->fn(z->arg, zmq_msg_data(&f[0]), zmq_msg_size(&f[0]), zmq_msg_data(&f[1]),
              zmq_msg_size(&f[1]));
    else
        z->fn(z->arg, NULL, 0, zmq_msg_data(&f[0]), zmq_msg_size(&f[0]));
    for (int i = 0; i < nf; i++)
        zmq_msg_close(&f[i]);
    return 0;
}

/* Drain while ZMQ_EVENTS says there is more; after a batch, yield and come
 * back through the deferred event, so one busy peer cannot starve timers. */
static void drain(evutil_socket_t fd, short what, void *arg)
{
    sw_zs *z = arg;
    (void)fd; (void)what;
    for (int i = 0; i < SW_ZS_BATCH; i++) {
        if (!z->sock || !readable(z))
            return;
        if (recv_one(z) < 0)
            return;
    }
    event_active(z->later, 0, 0);
}

sw_zs *sw_zs_new(struct event_base *base, int router, const char *identity,
                 sw_zs_recv_fn fn, void *arg)
{
    sw_zs *z = calloc(1, sizeof *z);
    void *ctx = sw_zs_ctx();
    if (!z || !ctx) {
        free(z);
        errno = ENOMEM;
        return NULL;
    }
    z->router = router;
    z->fn = fn;
    z->arg = arg;
    z->sock = zmq_socket(ctx, router ? ZMQ_ROUTER : ZMQ_DEALER);
    if (!z->sock)
        goto fail;
    int linger = 0, one = 1, idle = 30;
    zmq_setsockopt(z->sock, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(z->sock, ZMQ_TCP_KEEPALIVE, &one, sizeof one);
    zmq_setsockopt(z->sock, ZMQ_TCP_KEEPALIVE_IDLE, &idle, sizeof idle);
    int64_t maxmsg = 16 << 20;         /* ZeroMQ drops larger frames and the peer */
    zmq_setsockopt(z->sock, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    if (identity && zmq_setsockopt(z->sock, ZMQ_ROUTING_ID, identity, strlen(identity)) != 0)
        goto fail;
    /* a peer that reconnects with a new socket (same identity) before its
     * old connection is gone takes over at once, instead of being ignored */
    if (router)
        zmq_setsockopt(z->sock, ZMQ_ROUTER_HANDOVER, &one, sizeof one);
    int fd;
    size_t n = sizeof fd;
    if (zmq_getsockopt(z->sock, ZMQ_FD, &fd, &n) != 0)
        goto fail;
    z->rd = event_new(base, fd, EV_READ | EV_PERSIST, drain, z);
    z->later = event_new(base, -1, 0, drain, z);
    if (!z->rd || !z->later || event_add(z->rd, NULL) != 0)
        goto fail;
    return z;
fail:
    sw_zs_free(z, 0);
    return NULL;
}

/* One event off the monitor: frame 1 is a 16-bit event number and a
 * 32-bit value, frame 2 the endpoint. Returns the event, 0 for a message
 * of another shape, -1 when nothing was there. */
static int mon_recv(sw_zs *z)
{
    int ev = 0, nf = 0, more = 1;
    while (more) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, z->mon, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&m);
            return nf == 0 ? -1 : 0;
        }
        more = zmq_msg_more(&m);
        if (nf++ == 0 && zmq_msg_size(&m) >= 2) {
            uint16_t e;
            memcpy(&e, zmq_msg_data(&m), sizeof e);
            ev = e;
        }
        zmq_msg_close(&m);
    }
    return nf == 2 ? ev : 0;
}

/* Drain the monitor entirely (its fd is edge-triggered too) and report
 * each change of state. */
static void mon_drain(evutil_socket_t fd, short what, void *arg)
{
    sw_zs *z = arg;
    (void)fd; (void)what;
    for (;;) {
        int ev = 0;
        size_t n = sizeof ev;
        if (!z->mon || zmq_getsockopt(z->mon, ZMQ_EVENTS, &ev, &n) != 0 || !(ev & ZMQ_POLLIN))
            return;
        int e = mon_recv(z);
        if (e < 0)
            return;
        int up = z->up;
        if (e == ZMQ_EVENT_HANDSHAKE_SUCCEEDED)
            up = 1;
        else if (e == ZMQ_EVENT_DISCONNECTED || e == ZMQ_EVENT_CLOSED
                 || e == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
                 || e == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
                 || e == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
            up = 0;
        if (up != z->up) {
            z->up = up;
            if (z->link_fn)
                z->link_fn(z->link_arg, up);
        }
    }
}

int sw_zs_monitor(sw_zs *z, sw_zs_link_fn fn, void *arg)
{
    static unsigned long seq;
    char ep[64];
    snprintf(ep, sizeof ep, "inproc://sw-zs-monitor-%lu", ++seq);
    int ivl = SW_ZS_HEARTBEAT_IVL_MS, tmo = SW_ZS_HEARTBEAT_TIMEOUT_MS;
    if (zmq_setsockopt(z->sock, ZMQ_HEARTBEAT_IVL, &ivl, sizeof ivl) != 0
        || zmq_setsockopt(z->sock, ZMQ_HEARTBEAT_TIMEOUT, &tmo, sizeof tmo) != 0)
        return -1;
    int mask = ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_CLOSED
               | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
               | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;
    if (zmq_socket_monitor(z->sock, ep, mask) != 0)
        return -1;
    z->mon = zmq_socket(sw_zs_ctx(), ZMQ_PAIR);
    int linger = 0, fd;
    size_t n = sizeof fd;
    if (!z->mon)
        goto fail;
    zmq_setsockopt(z->mon, ZMQ_LINGER, &linger, sizeof linger);
    /* connected before the DEALER connects, so no event is missed */
    if (zmq_connect(z->mon, ep) != 0 || zmq_getsockopt(z->mon, ZMQ_FD, &fd, &n) != 0)
        goto fail;
    z->mon_rd = event_new(event_get_base(z->rd), fd, EV_READ | EV_PERSIST, mon_drain, z);
    if (!z->mon_rd || event_add(z->mon_rd, NULL) != 0)
        goto fail;
    z->link_fn = fn;
    z->link_arg = arg;
    /* a first drain: until a receive found the pipe empty, ZeroMQ does not
     * signal the fd for new events */
    event_active(z->mon_rd, EV_READ, 0);
    return 0;
fail:
    mon_stop(z);
    return -1;
}

int sw_zs_bind(sw_zs *z, const char *endpoint)
{
    int rc = zmq_bind(z->sock, endpoint);
    event_active(z->later, 0, 0);
    return rc;
}

int sw_zs_connect(sw_zs *z, const char *endpoint)
{
    int rc = zmq_connect(z->sock, endpoint);
    event_active(z->later, 0, 0);
    return rc;
}

int sw_zs_bound_port(sw_zs *z)
{
    char ep[256];
    size_t n = sizeof ep;
    if (zmq_getsockopt(z->sock, ZMQ_LAST_ENDPOINT, ep, &n) != 0)
        return 0;
    ep[sizeof ep - 1] = '\0';
    char *colon = strrchr(ep, ':');
    return colon ? atoi(colon + 1) : 0;
}

int sw_zs_send(sw_zs *z, const char *id, const void *data, size_t len)
{
    int rc = 0;
    if (z->router && (!id || zmq_send(z->sock, id, strlen(id), ZMQ_DONTWAIT | ZMQ_SNDMORE) < 0))
        rc = -1;
    if (rc == 0 && zmq_send(z->sock, data, len, ZMQ_DONTWAIT) < 0)
        rc = -1;
    /* the send may have consumed the fd's edge: look again, from the loop */
    if (readable(z))
        event_active(z->later, 0, 0);
    return rc;
}

/* Stop monitoring; nothing more is reported. */
static void mon_stop(sw_zs *z)
{
    if (z->sock)
        zmq_socket_monitor(z->sock, NULL, 0);
    if (z->mon_rd)
        event_free(z->mon_rd);
    z->mon_rd = NULL;
    if (z->mon)
        zmq_close(z->mon);
    z->mon = NULL;
    z->link_fn = NULL;
}

const char *sw_zs_strerror(void)
{
    return zmq_strerror(zmq_errno());
}

unsigned long sw_zs_dropped(const sw_zs *z)
{
    return z->dropped;
}

void sw_zs_free(sw_zs *z, int linger_ms)
{
    if (!z)
        return;
    mon_stop(z);
    if (z->rd)
        event_free(z->rd);
    if (z->later)
        event_free(z->later);
    if (z->sock) {
        zmq_setsockopt(z->sock, ZMQ_LINGER, &linger_ms, sizeof linger_ms);
        zmq_close(z->sock);
    }
    free(z);
}
