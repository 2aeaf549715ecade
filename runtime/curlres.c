/*
 * curlres.c -- what a finished libcurl transfer means (see curlres.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <curl/curl.h>

#include "curlres.h"
#include "h1msg.h"
#include "neterr.h"

/* Removes " after N ms" / " after N milliseconds with ... received" from
 * curl's error text so equal failures get equal messages. */
static void normalise_error(char *s)
{
    char *p = s;
    while ((p = strstr(p, " after ")) != NULL) {
        char *q = p + 7;
        if (*q < '0' || *q > '9') {
            p = q;
            continue;
        }
        while (*q >= '0' && *q <= '9')
            q++;
        if (strncmp(q, " milliseconds", 13) == 0)
            q += 13;
        else if (strncmp(q, " ms", 3) == 0)
            q += 3;
        else {
            p = q;
            continue;
        }
        if (strncmp(q, " with ", 6) == 0) {
            char *r = strstr(q, " received");
            if (r)
                q = r + 9;
        }
        memmove(p, q, strlen(q) + 1);
    }
}

/* The neterr.h kind of a failed transfer, or -1 to keep curl's own text. */
static int error_kind(const char *err, CURL *easy, CURLcode code, const sw_cres_seen *seen,
                      long timeout_ms)
{
    if (seen->too_big)
        return SW_NE_BODY_BIG;
    if (seen->hdr_too_big)
        return SW_NE_HEADERS_BIG;
    if (seen->sock_errno == EMFILE || seen->sock_errno == ENFILE)
        return SW_NE_EMFILE;
    if (seen->upgrade)
        return SW_NE_UPGRADE;
    switch (code) {
    case CURLE_COULDNT_CONNECT: return SW_NE_CONNECT;
    case CURLE_COULDNT_RESOLVE_HOST: return SW_NE_RESOLVE;
    case CURLE_SEND_ERROR: return SW_NE_SEND;
    case CURLE_RECV_ERROR: return strstr(err, "chunk") ? SW_NE_CHUNK : SW_NE_RECV;
    case CURLE_GOT_NOTHING: return SW_NE_EMPTY;
    case CURLE_WEIRD_SERVER_REPLY: return SW_NE_WEIRD;
    case CURLE_PARTIAL_FILE: return SW_NE_PARTIAL;
    case CURLE_BAD_CONTENT_ENCODING: return SW_NE_DECODE;
    case CURLE_URL_MALFORMAT: return SW_NE_BAD_URL;
    case CURLE_OUT_OF_MEMORY:   /* what curl says of a header over its 100 KB */
        return !seen->hdr_done ? SW_NE_HEADERS_BIG : SW_NE_NOMEM;
    case CURLE_UNSUPPORTED_PROTOCOL:
        return strstr(err, "HTTP/0.9") ? SW_NE_WEIRD : SW_NE_PROTOCOL;
    case CURLE_OPERATION_TIMEDOUT: {
        curl_off_t conn_us = 0, total_us = 0;
        curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &conn_us);
        curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &total_us);
        if (conn_us == 0 && !(timeout_ms > 0 && total_us / 1000 >= timeout_ms - 1))
            return SW_NE_CONNECT_TIMEOUT;
        return SW_NE_TIMEOUT;
    }
    default: return -1;
    }
}

void sw_cres_error(char *err, size_t n, CURL *easy, CURLcode code, const sw_cres_seen *seen,
                   long timeout_ms)
{
    int kind = error_kind(err, easy, code, seen, timeout_ms);
    if (kind < 0) {
        if (!err[0])
            snprintf(err, n, "%s", curl_easy_strerror(code));
        normalise_error(err);
    } else {
        char *eff = NULL;
        sw_h1_url u;
        curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &eff);
        if (!eff || sw_h1_parse_url(eff, &u) != 0)
            memset(&u, 0, sizeof u);
        if (kind == SW_NE_PROTOCOL && !u.scheme[0] && eff) {
            const char *e = strstr(eff, "://");     /* e.g. a scheme curl refused */
            size_t sl = e ? (size_t)(e - eff) : 0;
            if (sl < sizeof u.scheme) {
                memcpy(u.scheme, eff, sl);
                u.scheme[sl] = '\0';
            }
        }
        sw_ne_format(err, n, (sw_neterr)kind, kind == SW_NE_PROTOCOL ? u.scheme : u.host,
                     u.port);
    }
    if (code == CURLE_PEER_FAILED_VERIFICATION) {   /* issue 9: say what to pass */
        size_t l = strlen(err);
        snprintf(err + l, n - l, " (to trust this server pass "
                 "--ca-file PATH or set SSL_CERT_FILE to its CA; to skip the "
                 "check pass --insecure or write `tls verify false`)");
    }
}

void sw_cres_phases(CURL *easy, sw_http_result *r)
{
    curl_off_t conn = 0, app = 0, pre = 0, first = 0, total = 0, size = 0;
    curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &conn);
    curl_easy_getinfo(easy, CURLINFO_APPCONNECT_TIME_T, &app);
    curl_easy_getinfo(easy, CURLINFO_PRETRANSFER_TIME_T, &pre);
    curl_easy_getinfo(easy, CURLINFO_STARTTRANSFER_TIME_T, &first);
    curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &total);
    curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &size);
    r->connect_ms = (double)conn / 1000.0;
    r->tls_ms = app > conn ? (double)(app - conn) / 1000.0 : 0;
    r->ttfb_ms = first > pre ? (double)(first - pre) / 1000.0 : 0;
    r->download_ms = total > first && first > 0 ? (double)(total - first) / 1000.0 : 0;
    r->wire_len = (size_t)size;
}

