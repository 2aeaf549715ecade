/*
 * curlres.h -- what a finished libcurl transfer means in Swarm's terms
 * (http.c's curl engine): the failure message, the phase times.
 *
 * A failed transfer gets neterr.h's message for the failures both engines
 * know (so the same failure groups into the same failures row whichever
 * engine met it), else curl's own text without elapsed times; a failed
 * certificate check adds what to pass (issue 9).
 *
 * Ownership: nothing is kept; the easy handle is only read.
 */
#ifndef SW_CURLRES_H
#define SW_CURLRES_H

#include <stddef.h>
#include <curl/curl.h>

#include "http.h"

/* What http.c's callbacks saw of the transfer beyond its CURLcode. */
typedef struct sw_cres_seen {
    int too_big;                /* the body passed SW_NE_BODY_MAX: aborted */
    int hdr_too_big;            /* a header limit (http.h) was passed: aborted */
    int hdr_done;               /* the current response's headers ended */
    int sock_errno;             /* errno of a socket() that failed, else 0 */
    int upgrade;                /* a 101 status line: aborted */
} sw_cres_seen;

/* The message of the transfer on easy that failed with code, into err (n
 * bytes; on entry curl's CURLOPT_ERRORBUFFER text, possibly empty).
 * timeout_ms is the CURLOPT_TIMEOUT_MS the transfer ran with (<= 0: none,
 * or unknown), to tell the whole-request timeout from the connect one. */
void sw_cres_error(char *err, size_t n, CURL *easy, CURLcode code, const sw_cres_seen *seen,
                   long timeout_ms);

/* r's phase times (connect, tls, ttfb, download) and wire_len from easy,
 * as h1.c measures them. */
void sw_cres_phases(CURL *easy, sw_http_result *r);

#endif /* SW_CURLRES_H */
