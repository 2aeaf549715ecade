/*
 * h1_harness.h -- one fuzz input through the native engine's message code
 * (runtime/h1msg.c), shared by the stand-alone harness (h1.c, for
 * afl-fuzz or replaying a file) and the corpus replay in make check
 * (tests/units/test_h1fuzz.c).
 *
 * Input layout: byte 0 = flags (bit 0: answer to a HEAD; bits 1..4: the
 * size of the pieces the bytes are fed in, 1..16, 0 = all at once; bit 5:
 * the first line, up to a newline, is a URL to split and write a request
 * head for), then the bytes a server would send. After the input, the peer "closes" (sw_h1m_eof).
 * Besides crashes (and sanitizer reports), the harness aborts when an
 * invariant of the reader breaks.
 */
#ifndef H1_HARNESS_H
#define H1_HARNESS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "h1msg.h"
#include "http.h"

#define H1F_CHECK(c) do { if (!(c)) abort(); } while (0)

static void h1f_url(const uint8_t *data, size_t n)
{
    const uint8_t *nl = memchr(data, '\n', n);
    size_t len = nl ? (size_t)(nl - data) : n;
    char *url = malloc(len + 1);
    if (!url)
        return;
    memcpy(url, data, len);
    url[len] = '\0';
    sw_h1_url u;
    if (sw_h1_parse_url(url, &u) == 0) {
        H1F_CHECK(u.port >= 1 && u.port <= 65535 && u.host[0]);
        H1F_CHECK(u.path >= url && u.path + u.path_len <= url + len);
        sw_xb b = { 0 };
        const char *hl[] = { "X-A: 1", "Accept:", "X-Empty;" };
        H1F_CHECK(sw_h1m_head(&b, SW_HTTP_POST, &u, hl, 3, "xy", 2) == 0);
        H1F_CHECK(b.len > 4 && memcmp(b.p + b.len - 4, "\r\n\r\n", 4) == 0);
        H1F_CHECK(strstr(b.p, "Accept: */*") == NULL);
        free(b.p);
    }
    free(url);
}

/* Runs one input; returns the reader's last verdict (SW_H1M_*). */
static int h1_fuzz_one(const uint8_t *data, size_t n)
{
    if (n == 0)
        return SW_H1M_MORE;
    int flags = data[0];
    size_t piece = (size_t)((flags >> 1) & 15);
    data++;
    n--;
    if (flags & 32) {           /* the URL line, then the response */
        h1f_url(data, n);
        const uint8_t *nl = memchr(data, '\n', n);
        if (nl) {
            n -= (size_t)(nl + 1 - data);
            data = nl + 1;
        }
    }
    sw_h1m_resp r;
    memset(&r, 0, sizeof r);
    sw_h1m_begin(&r, flags & 1);
    int st = SW_H1M_MORE;
    size_t off = 0;
    while (off < n && st == SW_H1M_MORE) {
        size_t k = piece && piece < n - off ? piece : n - off;
        st = sw_h1m_feed(&r, (const char *)data + off, k);
        off += k;
    }
    if (st == SW_H1M_MORE)
        st = sw_h1m_eof(&r);
    H1F_CHECK(st == SW_H1M_DONE || st == SW_H1M_ERROR);
    H1F_CHECK(r.body.len <= SW_NE_BODY_MAX);
    H1F_CHECK(r.hdrs.len <= SW_HTTP_HDR_TOTAL_MAX + 4);
    H1F_CHECK(r.reason_len < sizeof r.reason && strlen(r.reason) == r.reason_len);
    if (st == SW_H1M_DONE) {
        int code = sw_h1m_status(&r);
        H1F_CHECK(code >= 100 && code <= 999 && code != 101);
        H1F_CHECK(!(flags & 1) || r.body.len == 0);
        if (!r.enc)
            H1F_CHECK(r.body.len == r.wire);
    } else {
        H1F_CHECK((int)r.fail_kind >= 0 && r.fail_kind < SW_NE_COUNT);
    }
    sw_h1m_free(&r);
    return st;
}

#endif /* H1_HARNESS_H */
