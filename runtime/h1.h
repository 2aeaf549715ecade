/*
 * h1.h -- the native HTTP/1.1 client engine: libevent + joyent's http_parser.
 *
 * An sw_h1_conn is one TCP connection owned by one owner (a user's main line
 * or a spawned block, through client.c) for its whole life: opened by its
 * first request, kept alive and reused by the next ones to the same origin,
 * closed when the server says `Connection: close`, when a request goes to
 * another origin, or when the owner frees it. No other owner ever writes on
 * it. One transfer at a time.
 *
 * It speaks plain http:// only (client.c sends everything else to libcurl):
 * keep-alive and close, Content-Length / chunked / close-delimited bodies,
 * 1xx (skipped; 101 is a failure), HEAD/204/304, request bodies, connect and
 * whole-request timeouts,
 * cached DNS (dns.c), IPv4 and IPv6, basic auth from the URL's userinfo,
 * gzip/deflate bodies (zlib; the result's wire_len counts the bytes as
 * received), the 64 MB body cap, and the transport error texts of neterr.h.
 *
 * It does not follow redirects (request.c does, for both engines). Requests
 * and results are http.h's sw_http_req / sw_http_result, with the
 * same rules as sw_conn_start: rq's strings are BORROWED until the transfer
 * completes or is aborted; exactly one of done (always from the event loop)
 * or drop (abort/free) is called per transfer; the result is borrowed for
 * the duration of the done callback.
 *
 * Ownership: sw_h1 (one per process) owns the shared read and write scratch
 * buffers; every sw_h1_conn must be freed before sw_h1_free.
 */
#ifndef SW_H1_H
#define SW_H1_H

#include "h1msg.h"
#include "http.h"

typedef struct sw_h1 sw_h1;
typedef struct sw_h1_conn sw_h1_conn;

#define SW_H1_CONNECT_TIMEOUT_MS 10000L /* per connection attempt (capped by the request's) */

sw_h1 *sw_h1_new(struct event_base *base);
void sw_h1_free(sw_h1 *h);
/* Transfers in flight on every conn of h. */
int sw_h1_running(const sw_h1 *h);
/* TCP connections h opened so far. */
long sw_h1_connects(const sw_h1 *h);

sw_h1_conn *sw_h1_conn_new(sw_h1 *h);
/* Aborts a transfer in flight (drop, no done), closes the socket, frees. */
void sw_h1_conn_free(sw_h1_conn *c);
/* Aborts a transfer in flight, if any (drop, no done); the socket is closed
 * (the response may be half read). */
void sw_h1_abort(sw_h1_conn *c);
void sw_h1_start(sw_h1_conn *c, const sw_http_req *rq, sw_conn_done_fn done,
                 sw_conn_drop_fn drop, void *arg);
int sw_h1_busy(const sw_h1_conn *c);
/* "host:port" of the origin c is connected (or last connected) to; "" if none. */
const char *sw_h1_origin(const sw_h1_conn *c);
/* 1 when c holds an open socket. */
int sw_h1_open(const sw_h1_conn *c);

#endif /* SW_H1_H */
