/*
 * http.h -- libcurl's multi_socket interface driven by libevent.
 *
 * One sw_http per process: a CURLM, a CURLSH sharing the DNS cache for the
 * run, one persistent libevent event per socket curl asks to watch, and one
 * timer for curl's timeout. curl_multi_perform is never called.
 *
 * An sw_conn is one easy handle kept for the life of its owner (a user, or a
 * spawned block), so the owner keeps its keep-alive connection, as Locust's
 * per-user session does. One transfer at a time per sw_conn.
 *
 * Ownership: sw_http owns the multi and share handles; each sw_conn is owned
 * by whoever made it and must be freed before sw_http_free.
 */
#ifndef SW_HTTP_H
#define SW_HTTP_H

#include <stddef.h>

struct event_base;
typedef struct sw_http sw_http;
typedef struct sw_conn sw_conn;

sw_http *sw_http_new(struct event_base *base);
void sw_http_free(sw_http *h);

sw_conn *sw_conn_new(sw_http *h);
/* Aborts a transfer in flight (no callback, nothing reported), then frees. */
void sw_conn_free(sw_conn *c);
/* Aborts a transfer in flight, if any: no callback, nothing reported. */
void sw_conn_abort(sw_conn *c);
/* Number of transfers in flight in the whole process. */
int sw_http_running(const sw_http *h);

#endif /* SW_HTTP_H */
