/*
 * webconn.h -- the web UI server's guards on its connections (evhttp):
 *
 *  - Out of descriptors: when accept() fails with EMFILE/ENFILE (or any
 *    other non-retriable error), the listener closes its spare descriptor,
 *    accepts and closes one pending connection with it (so a client is
 *    refused instead of waiting), takes the spare again and pauses
 *    accepting for SW_WEBCONN_BACKOFF_MS; one log line per
 *    SW_WEBCONN_LOG_PERIOD_S says how many accepts failed. No busy loop,
 *    no log flood.
 *  - Slow clients: a request must arrive complete within
 *    SW_WEBCONN_REQUEST_S seconds of the connection opening or of the
 *    previous response on it being sent; else the connection is closed
 *    (a client sending one header line every 10 s is dropped). Checked
 *    once a second.
 *
 * Ownership: module state inside webconn.c; sw_webconn_attach makes it for
 * one evhttp and its bound socket, sw_webconn_free (after evhttp_free)
 * releases it.
 */
#ifndef SW_WEBCONN_H
#define SW_WEBCONN_H

struct event_base;
struct evhttp;
struct evhttp_bound_socket;
struct evhttp_request;

#define SW_WEBCONN_REQUEST_S    10    /* a request must be complete within this */
#define SW_WEBCONN_BACKOFF_MS   250   /* accepting pauses this long on EMFILE */
#define SW_WEBCONN_LOG_PERIOD_S 10    /* at most one accept-error line per period */

/* Install the guards on http (before it accepts) and its listener bs.
 * Returns 0, or -1 when out of memory. */
int sw_webconn_attach(struct event_base *base, struct evhttp *http,
                      struct evhttp_bound_socket *bs);
/* A complete request arrived (call first thing in the request callback):
 * its connection's deadline is off until the response has been sent. */
void sw_webconn_request(struct evhttp_request *req);
/* Release everything; call after evhttp_free. */
void sw_webconn_free(void);

#endif /* SW_WEBCONN_H */
