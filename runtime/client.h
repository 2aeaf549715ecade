/*
 * client.h -- an owner's HTTP client: picks the engine for each request.
 *
 * One sw_client per connection owner (a user's main line, or a spawned block,
 * as co.c/user.c hand them out). It holds that owner's native connections
 * (h1.c; one per origin, at most SW_CLIENT_ORIGINS, made on first use) and
 * its libcurl easy handle (http.c, made on first use), and sends each
 * request to one of them:
 *
 *   auto    plain http:// without a proxy variable in the environment goes to
 *           the native engine; everything else (https://, proxies) to curl
 *   native  every request on the native engine (https:// then fails)
 *   curl    every request on libcurl
 *
 * The mode is process-wide: sw_client_set_mode (from --http-engine), else
 * the SWARM_HTTP_ENGINE environment variable, else auto. One transfer at a
 * time per client; the callbacks are those of http.h, and the result's
 * `engine` says which engine carried it. Every sw_client_start and
 * sw_client_fail ends in exactly one callback, done (always from the event
 * loop) or drop (aborted), whatever fails: a request no connection can be
 * made for (out of memory) completes as the failure "Out of memory", on an
 * event the client made beforehand.
 *
 * Ownership: the client owns its connections; the sw_http / sw_h1 engines it
 * was made with are borrowed and must outlive it.
 */
#ifndef SW_CLIENT_H
#define SW_CLIENT_H

#include <stdint.h>
#include <stdio.h>
#include "http.h"

struct event_base;
struct sw_h1;
typedef struct sw_client sw_client;

enum { SW_ENGINE_AUTO, SW_ENGINE_NATIVE, SW_ENGINE_CURL, SW_ENGINE_COUNT };
#define SW_CLIENT_ORIGINS 4     /* native connections kept per owner */

/* "auto" / "native" / "curl" -> SW_ENGINE_*, or -1. */
int sw_client_parse_mode(const char *s);
const char *sw_client_engine_name(int engine);
void sw_client_set_mode(int mode);
/* The mode in force (set, else SWARM_HTTP_ENGINE, else auto). */
int sw_client_mode(void);
/* The engine a request to url goes to under mode. */
int sw_client_engine_for(const char *url, int mode);
/* Requests completed so far on engine (SW_ENGINE_NATIVE / SW_ENGINE_CURL). */
uint64_t sw_client_count(int engine);

/* The run's engines and average phase times (ms): connect over requests
 * that opened a connection, tls over those with a handshake, ttfb (request
 * sent to first byte) and download (first byte to end) over those that got
 * a response byte. */
typedef struct sw_client_phase_avg {
    uint64_t native, curl;      /* requests completed on each engine */
    uint64_t connections;       /* requests that opened a connection */
    double connect_ms, tls_ms, ttfb_ms, download_ms;
} sw_client_phase_avg;
void sw_client_phases(sw_client_phase_avg *out);
/* That as the JSON object of --json's "http" key. */
void sw_client_json(FILE *f);

/* A client on base; curl and h1 may be NULL (then every request sent to
 * that engine fails as "Out of memory"). NULL when out of memory. */
sw_client *sw_client_new(struct event_base *base, sw_http *curl, struct sw_h1 *h1);
/* Aborts a transfer in flight (drop, no done), closes its connections. */
void sw_client_free(sw_client *c);
void sw_client_abort(sw_client *c);
void sw_client_start(sw_client *c, const sw_http_req *rq, sw_conn_done_fn done,
                     sw_conn_drop_fn drop, void *arg);
/* Completes a transfer on c as the failure msg (copied), from the loop,
 * without touching the network; counted on the engine the mode names
 * (curl under --http-engine curl, else native). */
void sw_client_fail(sw_client *c, const char *msg, sw_conn_done_fn done,
                    sw_conn_drop_fn drop, void *arg);
int sw_client_busy(const sw_client *c);
/* Open native sockets of c (for the tests). */
int sw_client_open_conns(const sw_client *c);

#endif /* SW_CLIENT_H */
