/*
 * zsock.h -- one ZeroMQ socket driven by the libevent loop, no thread and
 * no polling timer.
 *
 * ZeroMQ exposes a socket's readiness through ZMQ_FD, an edge-triggered
 * file descriptor: it signals "something changed", and the truth is in
 * ZMQ_EVENTS. So: the fd is watched for reading; on every wake-up and after
 * every send, messages are received while ZMQ_EVENTS says ZMQ_POLLIN
 * (a send can consume the edge that announced a pending message, which is
 * why draining after a send matters). Delivery after a send happens from a
 * deferred event, never re-entrantly inside sw_zs_send.
 *
 * ROUTER sockets deliver [identity, payload]; DEALER sockets [payload].
 * Messages with another frame count are dropped and counted
 * (sw_zs_dropped) for the caller to log.
 *
 * A DEALER can also report whether its connection is up
 * (sw_zs_monitor): zmq_socket_monitor publishes the socket's events on an
 * inproc endpoint; a PAIR socket reads them, driven by its own ZMQ_FD on
 * the same loop in the same way. "Up" is a finished ZMTP handshake (so a
 * port taken over by something that is not ZeroMQ stays "down"); "down"
 * is a lost connection (the peer closed, reset, or missed the ZMTP
 * heartbeats: a monitored DEALER PINGs its peer every
 * SW_ZS_HEARTBEAT_IVL_MS, and drops the connection after
 * SW_ZS_HEARTBEAT_TIMEOUT_MS without any traffic back; the peer's libzmq
 * answers PINGs by itself, whatever its application is doing).
 *
 * Ownership: a sw_zs owns its ZeroMQ socket, its monitor socket and events; the ZeroMQ
 * context is shared per process (sw_zs_ctx, freed by sw_zs_term). Frames
 * handed to the receive callback are borrowed for the call's duration.
 */
#ifndef SW_ZSOCK_H
#define SW_ZSOCK_H

#include <stddef.h>

struct event_base;
typedef struct sw_zs sw_zs;

/* One received message. id/idlen: the ROUTER's peer identity (NULL, 0 on a
 * DEALER). */
typedef void (*sw_zs_recv_fn)(void *arg, const void *id, size_t idlen,
                              const void *data, size_t len);
/* The connection went up (up = 1) or down (0); called from the loop, once
 * per change. */
typedef void (*sw_zs_link_fn)(void *arg, int up);

#define SW_ZS_HEARTBEAT_IVL_MS 1000       /* ZMTP PING on a monitored DEALER */
#define SW_ZS_HEARTBEAT_TIMEOUT_MS 4000   /* no traffic after a PING: connection dropped */

/* The process's ZeroMQ context (made on first use), and its end. */
void *sw_zs_ctx(void);
void sw_zs_term(void);

/* A ROUTER (router != 0) or DEALER socket. identity: the DEALER's routing
 * id (NULL: none). Returns NULL with errno set. */
sw_zs *sw_zs_new(struct event_base *base, int router, const char *identity,
                 sw_zs_recv_fn fn, void *arg);
/* Watch a DEALER's connection: call before sw_zs_connect; fn hears each
 * change (the first is "up" once a peer completed the handshake). Also
 * turns on the ZMTP heartbeats above. Returns 0, or -1 with zmq_errno()
 * set. */
int sw_zs_monitor(sw_zs *z, sw_zs_link_fn fn, void *arg);
/* "tcp://host:port". Return 0, or -1 with zmq_errno() set. */
int sw_zs_bind(sw_zs *z, const char *endpoint);
int sw_zs_connect(sw_zs *z, const char *endpoint);
/* The port a bind to port 0 chose (or the bound port); 0 when unknown. */
int sw_zs_bound_port(sw_zs *z);
/* Send one message (ROUTER: to peer id). Never blocks: returns 0, or -1
 * when the message could not be queued (no peer, queue full). */
int sw_zs_send(sw_zs *z, const char *id, const void *data, size_t len);
/* The last ZeroMQ error, as a phrase. */
const char *sw_zs_strerror(void);
/* How many received messages had an unexpected frame count. */
unsigned long sw_zs_dropped(const sw_zs *z);
/* Close: linger_ms bounds how long queued messages may still be flushed
 * (by zmq_ctx_term in sw_zs_term). */
void sw_zs_free(sw_zs *z, int linger_ms);

#endif /* SW_ZSOCK_H */
