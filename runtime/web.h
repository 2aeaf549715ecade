/*
 * web.h -- the web UI's HTTP server and control API inside the load binary
 * (libevent's evhttp): the embedded page, POST /swarm, GET /stop,
 * /stats/..., /exceptions, /metrics. Routes and shapes: docs/web-api.md.
 *
 * The server does not drive the run itself: it validates a request and
 * calls the hooks main.c gives it, so a headless run and a web run start,
 * re-scale, stop and reset in the same way.
 *
 * Ownership: one server per process, module state inside web.c, made by
 * sw_web_start and released by sw_web_free (which closes the listener and
 * every open connection). The config's strings and history are borrowed
 * and must outlive the server.
 */
#ifndef SW_WEB_H
#define SW_WEB_H

#include <stddef.h>

#include "export.h"
#include "history.h"

struct event_base;

#define SW_WEB_MAX_BODY (64 * 1024)    /* larger POST bodies get 400 */

typedef struct sw_web_hooks {
    /* Start a test (when none runs) or re-scale the running one to users at
     * rate users/s. host: the new base URL for a start (NULL: unchanged);
     * run_time_ms >= 0: stop that long from now (< 0: no limit / unchanged).
     * Returns 0, or -1 when the runner refuses (it is stopping). */
    int (*start)(int users, double rate, const char *host, double run_time_ms, void *arg);
    void (*stop)(void *arg);            /* stop the test, if any runs */
    void (*reset)(void *arg);           /* reset statistics and history */
    void *arg;
} sw_web_hooks;

typedef struct sw_web_config {
    const char *host;                   /* address to bind, e.g. "127.0.0.1" */
    int port;                           /* 0: an ephemeral port */
    const char *auth;                   /* "user:pass" for basic auth, or NULL */
    sw_history *history;                /* for /stats/history; may be NULL */
    const sw_export_run *run;           /* the run's options and times, kept
                                           current by the caller (for
                                           /stats/report); may be NULL */
    sw_web_hooks hooks;
} sw_web_config;

/* Listen and serve on base. Returns 0, or -1 with one sentence in err
 * ("swarm: cannot listen on ...; ...") when the address cannot be used. */
int sw_web_start(struct event_base *base, const sw_web_config *cfg, char *err, size_t errlen);
/* The port actually bound (useful with port 0), or 0 when not serving. */
int sw_web_port(void);
void sw_web_free(void);

/* 1 when addr (a literal address or "localhost") is a loopback address. */
int sw_web_is_loopback(const char *addr);

/* The token a Basic Authorization header carries for "user:pass" (its
 * base64), malloc'd (the caller frees it), or NULL when out of memory.
 * sw_web_start makes it once for cfg.auth. */
char *sw_web_auth_token(const char *userpass);
/* Constant-time check of an Authorization header value (the Basic scheme,
 * any case, spaces around the token allowed) against want, a token from
 * sw_web_auth_token. Returns 1 when it matches. */
int sw_web_auth_match(const char *header, const char *want);

/* 1 when the Origin header value names the same host and port as the Host
 * header value (scheme http). NULL origin counts as the same. */
int sw_web_same_origin(const char *origin, const char *host);

#endif /* SW_WEB_H */
