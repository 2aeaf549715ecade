/*
 * neterr.h -- the transport error messages and the method names: one table
 * each, shared by both HTTP engines and request.c.
 *
 * A request that gets no usable HTTP response fails with one of these
 * messages, whichever engine carried it (the native engine, h1.c, or libcurl,
 * http.c), so both report the same failures: the texts keep libcurl's
 * wording where there was one, without elapsed times or byte counts, so that
 * equal failures group into one row of the failures table.
 *
 * The header limits and their message, and the EMFILE message, are http.h's
 * (SW_HTTP_HDR_*, SW_HTTP_ERR_*), as request.c and the docs use them.
 *
 * Ownership: sw_ne_format writes into the caller's buffer.
 */
#ifndef SW_NETERR_H
#define SW_NETERR_H

#include <stddef.h>

/* "GET", "POST", ... indexed by sw_method (sw.h) = SW_HTTP_* (http.h): the
 * one table of HTTP method names in the runtime. */
extern const char *const sw_ne_methods[7];

typedef enum sw_neterr {
    SW_NE_BAD_URL,        /* the URL cannot be parsed */
    SW_NE_PROTOCOL,       /* scheme the engine does not speak: arg = scheme */
    SW_NE_RESOLVE,        /* name lookup failed: arg = host */
    SW_NE_CONNECT,        /* connection refused/unreachable: arg = host, port */
    SW_NE_TIMEOUT,        /* the whole-request timeout passed */
    SW_NE_CONNECT_TIMEOUT,/* the connect timeout passed */
    SW_NE_SEND,           /* writing the request failed */
    SW_NE_RECV,           /* reading failed (reset by peer...) */
    SW_NE_EMPTY,          /* closed before any response byte */
    SW_NE_WEIRD,          /* not an HTTP/1.x status line / header */
    SW_NE_PARTIAL,        /* closed before the body's announced end */
    SW_NE_CHUNK,          /* malformed chunked encoding */
    SW_NE_HEADERS_BIG,    /* a header line over SW_HTTP_HDR_LINE_MAX or all over SW_HTTP_HDR_TOTAL_MAX */
    SW_NE_BODY_BIG,       /* response body over SW_NE_BODY_MAX */
    SW_NE_DECODE,         /* gzip/deflate body does not inflate */
    SW_NE_UPGRADE,        /* 101 Switching Protocols: not an HTTP response */
    SW_NE_NOMEM,          /* out of memory */
    SW_NE_EMFILE,         /* no descriptor left for a socket */
    SW_NE_COUNT
} sw_neterr;

#define SW_NE_BODY_MAX   (64u << 20)  /* larger response bodies fail */
#define SW_NE_MAX_REDIRS 30           /* redirects request.c follows, as python-requests;
                                       * the next 3xx is the result */
#define SW_NE_USER_AGENT "swarm/1.0"  /* both engines' default User-Agent */

/* Writes the message for kind e into buf (size n); host/port are used by
 * the kinds that name them (port <= 0: left out). Returns buf. */
char *sw_ne_format(char *buf, size_t n, sw_neterr e, const char *host, int port);

#endif /* SW_NETERR_H */
