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
struct sw_h1_url;
typedef struct sw_http sw_http;
typedef struct sw_conn sw_conn;

sw_http *sw_http_new(struct event_base *base);
void sw_http_free(sw_http *h);

/* TLS settings for every connection made after this call (issue 9):
 * verify 0 skips certificate and host name checks (--insecure, `tls verify
 * false`); ca_file (copied; NULL: the system's) is the CA bundle to trust
 * (--ca-file, SSL_CERT_FILE). A certificate failure's message then says
 * what to pass. */
void sw_http_tls(sw_http *h, int verify, const char *ca_file);

sw_conn *sw_conn_new(sw_http *h);
/* Aborts a transfer in flight (no callback, nothing reported), then frees. */
void sw_conn_free(sw_conn *c);
/* Aborts a transfer in flight, if any: no callback, nothing reported. */
void sw_conn_abort(sw_conn *c);
/* Number of transfers in flight in the whole process. */
int sw_http_running(const sw_http *h);

/* ---- one transfer (added by HTTP for request.c and the tests) ----
 *
 * A transfer is described by an sw_http_req whose strings are BORROWED until
 * the transfer completes or is aborted (curl copies the URL, the native
 * engine reads it while sending, as the body and header lines). Exactly one of `done` (completion,
 * always from the event loop, never from inside sw_conn_start) or `drop`
 * (the transfer was aborted by sw_conn_abort/sw_conn_free: release `arg`,
 * report nothing) is called per transfer; `drop` may be NULL. No engine
 * follows redirects: a 3xx is the transfer's result (request.c follows
 * them, with its own rules, for both engines). */

enum { SW_HTTP_GET, SW_HTTP_POST, SW_HTTP_PUT, SW_HTTP_PATCH, SW_HTTP_DELETE,
       SW_HTTP_HEAD, SW_HTTP_OPTIONS };  /* same order as sw_method */

typedef struct sw_http_req {
    int method;                 /* SW_HTTP_* (== sw_method) */
    const char *url;            /* absolute http(s) URL */
    const char *const *headers; /* "Name: value" lines ("Name:" removes one) */
    int nheaders;               /* number of header lines */
    const char *body;           /* request body, or NULL for none */
    size_t body_len;            /* bytes of body */
    long timeout_ms;            /* whole-transfer timeout; <= 0: none */
    const struct sw_h1_url *url_parts; /* url split by sw_h1_parse_url (h1msg.h), valid
                                  during the start call only; NULL: the engine splits it */
} sw_http_req;

/* A finished transfer. Everything is borrowed from the sw_conn and valid
 * only during the `done` callback, until the conn is reused or freed:
 * copy what you keep before starting anything else. */
typedef struct sw_http_result {
    long status;                /* final HTTP status; 0 on transport error */
    const char *reason;         /* reason phrase of the final status line, "" if none */
    const char *body;           /* response body (NUL-terminated copy) */
    size_t body_len;            /* bytes of body */
    const char *headers;        /* final response's header lines, each "Name: value\r\n" */
    size_t headers_len;         /* bytes of headers */
    const char *error;          /* NULL on success, else the transport error text */
    long new_conns;             /* connections this transfer had to open (0: reused) */
    size_t wire_len;            /* body bytes as received (before gzip/deflate decoding) */
    double connect_ms;          /* phase times, ms: name look-up + TCP connect (0: reused) */
    double tls_ms;              /*   TLS handshake (0: none) */
    double ttfb_ms;             /*   request sent until the first response byte */
    double download_ms;         /*   first response byte until the end */
    int engine;                 /* SW_ENGINE_* that carried it (set by client.c) */
} sw_http_result;

/* Limits and messages every engine shares (docs/runtime.md, "Limits"): a
 * response whose header section breaks a limit fails with
 * SW_HTTP_ERR_HDR_TOO_LARGE (never "Out of memory"); a socket that cannot
 * be made because the process is out of descriptors fails with
 * SW_HTTP_ERR_EMFILE (never "Couldn't connect to server"). */
#define SW_HTTP_HDR_LINE_MAX  (64 * 1024)    /* bytes in one header line */
#define SW_HTTP_HDR_TOTAL_MAX (256 * 1024)   /* bytes of one response's header lines */
#define SW_HTTP_ERR_HDR_TOO_LARGE \
    "response header too large (a line over 64 KB or over 256 KB in all)"
#define SW_HTTP_ERR_EMFILE \
    "too many open files (EMFILE): raise the descriptor limit with `ulimit -n` or run fewer users"

typedef void (*sw_conn_done_fn)(void *arg, const sw_http_result *r);
typedef void (*sw_conn_drop_fn)(void *arg);

/* Starts a transfer on c (which must be idle). Failures to start (bad URL,
 * curl refusing the handle) complete as transport errors via the loop. */
void sw_conn_start(sw_conn *c, const sw_http_req *rq, sw_conn_done_fn done,
                   sw_conn_drop_fn drop, void *arg);
/* 1 while a transfer is in flight on c. */
int sw_conn_busy(const sw_conn *c);

#endif /* SW_HTTP_H */
