/*
 * h1msg.c -- HTTP/1.1 messages for the native engine (see h1msg.h): URL
 * splitting, the request head writer, and the response reader over
 * joyent's http_parser with zlib for gzip/deflate bodies.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <http_parser.h>
#include <zlib.h>

#include "builtins.h"
#include "h1msg.h"
#include "hdrline.h"
#include "http.h"
#include "neterr.h"


enum { ENC_NONE, ENC_GZIP, ENC_DEFLATE };

/* ---------------------------------------------------------------- URLs */

int sw_h1_parse_url(const char *url, sw_h1_url *u)
{
    memset(u, 0, sizeof *u);
    if (!url)
        return -1;
    for (const char *s = url; *s; s++)
        if ((unsigned char)*s <= ' ' || *s == 0x7f)
            return -1;
    const char *colon = strstr(url, "://");
    if (!colon || colon == url || (size_t)(colon - url) >= sizeof u->scheme)
        return -1;
    for (size_t i = 0; url + i < colon; i++) {
        char ch = url[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (i && ((ch >= '0' && ch <= '9') || ch == '+' || ch == '-' || ch == '.'))))
            return -1;
        u->scheme[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    const char *a = colon + 3;
    size_t alen = strcspn(a, "/?#");
    const char *at = NULL;
    for (size_t i = 0; i < alen; i++)
        if (a[i] == '@')
            at = a + i;
    if (at) {
        u->user = a;
        u->user_len = (size_t)(at - a);
        alen -= (size_t)(at + 1 - a);
        a = at + 1;
    }
    u->authority = a;
    u->authority_len = alen;
    const char *hs = a, *he;
    const char *pp = NULL;
    if (alen && a[0] == '[') {
        const char *close = memchr(a, ']', alen);
        if (!close)
            return -1;
        hs = a + 1;
        he = close;
        u->ipv6 = 1;
        if (close + 1 < a + alen) {
            if (close[1] != ':')
                return -1;
            pp = close + 2;
        }
    } else {
        const char *c = memchr(a, ':', alen);
        he = c ? c : a + alen;
        pp = c ? c + 1 : NULL;
    }
    if (he <= hs || (size_t)(he - hs) >= sizeof u->host)
        return -1;
    memcpy(u->host, hs, (size_t)(he - hs));
    u->host[he - hs] = '\0';
    if (pp && pp < a + alen) {
        long port = 0;
        for (const char *q = pp; q < a + alen; q++) {
            if (*q < '0' || *q > '9' || port > 65535)
                return -1;
            port = port * 10 + (*q - '0');
        }
        if (port < 1 || port > 65535)
            return -1;
        u->port = (int)port;
    } else {
        u->port = strcmp(u->scheme, "https") == 0 ? 443 : 80;
    }
    u->path = a + alen;
    u->path_len = strcspn(u->path, "#");
    return 0;
}

/* --------------------------------------------------------- request head */

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Percent-decodes s[0..n) into out (cap bytes, NUL-terminated). Returns
 * the length. */
static size_t pct_decode(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        int hi = -1, lo = -1;
        if (s[i] == '%' && i + 2 < n + 1 && i + 2 <= n - 1 &&
            (hi = hexval(s[i + 1])) >= 0 && (lo = hexval(s[i + 2])) >= 0) {
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return o;
}

int sw_h1m_head(sw_xb *b, int method, const sw_h1_url *u, const char *const *headers,
                int nheaders, const char *body, size_t body_len)
{
    int m = method >= 0 && method <= SW_HTTP_OPTIONS ? method : SW_HTTP_GET;
    int rc = 0;
    b->len = 0;
    rc |= sw_xb_str(b, sw_ne_methods[m]);
    rc |= sw_xb_add(b, " ", 1);
    if (u->path_len == 0 || u->path[0] != '/')
        rc |= sw_xb_add(b, "/", 1);
    rc |= sw_xb_add(b, u->path, u->path_len);
    rc |= sw_xb_add(b, " HTTP/1.1\r\n", 11);
    if (!sw_hl_has(headers, nheaders, "Host")) {
        rc |= sw_xb_add(b, "Host: ", 6);
        rc |= sw_xb_add(b, u->authority, u->authority_len);
        rc |= sw_xb_add(b, "\r\n", 2);
    }
    if (!sw_hl_has(headers, nheaders, "User-Agent"))
        rc |= sw_xb_str(b, "User-Agent: " SW_NE_USER_AGENT "\r\n");
    if (!sw_hl_has(headers, nheaders, "Accept"))
        rc |= sw_xb_str(b, "Accept: */*\r\n");
    if (!sw_hl_has(headers, nheaders, "Accept-Encoding"))
        rc |= sw_xb_str(b, "Accept-Encoding: gzip, deflate\r\n");
    if (u->user && !sw_hl_has(headers, nheaders, "Authorization")) {
        char plain[512], enc[700];
        const char *colon = memchr(u->user, ':', u->user_len);
        size_t ul = colon ? (size_t)(colon - u->user) : u->user_len;
        size_t n = pct_decode(u->user, ul, plain, sizeof plain / 2);
        plain[n++] = ':';
        if (colon)
            n += pct_decode(colon + 1, u->user_len - ul - 1, plain + n, sizeof plain - n);
        if (SW_BASE64_SIZE(n) <= sizeof enc) {
            sw_base64_encode(plain, n, enc);
            rc |= sw_xb_str(b, "Authorization: Basic ");
            rc |= sw_xb_str(b, enc);
            rc |= sw_xb_add(b, "\r\n", 2);
        }
    }
    int has_body = body != NULL || m == SW_HTTP_POST;
    for (int i = 0; i < nheaders; i++) {
        const char *l = headers[i];
        size_t nl = strcspn(l, ":;");
        if (!l[nl] || (l[nl] == ':' && l[nl + 1] == '\0'))
            continue;                               /* "Name:" removes */
        rc |= sw_xb_add(b, l, nl);
        if (l[nl] == ';' && l[nl + 1] == '\0')
            rc |= sw_xb_add(b, ":", 1);               /* "Name;" sends it empty */
        else
            rc |= sw_xb_str(b, l + nl);
        rc |= sw_xb_add(b, "\r\n", 2);
    }
    if (has_body) {
        if (m == SW_HTTP_POST && !sw_hl_has(headers, nheaders, "Content-Type"))
            rc |= sw_xb_str(b, "Content-Type: application/x-www-form-urlencoded\r\n");
        if (!sw_hl_has(headers, nheaders, "Content-Length")) {
            char cl[48];
            snprintf(cl, sizeof cl, "Content-Length: %zu\r\n", body ? body_len : 0);
            rc |= sw_xb_str(b, cl);
        }
    }
    rc |= sw_xb_add(b, "\r\n", 2);
    return rc ? -1 : 0;
}

/* ------------------------------------------------------ response reader */

static void z_end(sw_h1m_resp *c)
{
    if (c->z) {
        inflateEnd((z_stream *)c->z);
        free(c->z);
        c->z = NULL;
    }
    c->enc = ENC_NONE;
    c->z_raw_tried = 0;
}

static int on_message_begin(http_parser *p)
{
    sw_h1m_resp *c = p->data;
    sw_xb_reset(&c->hdrs, SW_H1M_KEEP);
    sw_xb_reset(&c->body, SW_H1M_KEEP);
    c->reason_len = 0;
    c->reason[0] = '\0';
    c->in_value = 0;
    c->line_start = 0;
    c->headers_done = 0;
    c->wire = 0;
    z_end(c);
    return 0;
}

static int on_status(http_parser *p, const char *at, size_t n)
{
    sw_h1m_resp *c = p->data;
    size_t room = sizeof c->reason - 1 - c->reason_len;
    if (n > room)
        n = room;
    for (size_t i = 0; i < n; i++) {    /* control bytes would cut or garble it */
        unsigned char ch = (unsigned char)at[i];
        c->reason[c->reason_len++] = (char)(ch < 0x20 || ch == 0x7f ? ' ' : ch);
    }
    c->reason[c->reason_len] = '\0';
    return 0;
}

static int cb_fail(sw_h1m_resp *c, sw_neterr kind)
{
    c->fail_kind = kind;
    c->failed_in_cb = 1;
    return -1;
}

/* Appends header bytes within http.h's limits (one line, all lines; the
 * same as the curl engine's), else fails the response. */
static int add_header_bytes(sw_h1m_resp *c, const char *at, size_t n)
{
    if (c->hdrs.len + n - c->line_start + 2 > SW_HTTP_HDR_LINE_MAX ||
        c->hdrs.len + n > SW_HTTP_HDR_TOTAL_MAX)
        return cb_fail(c, SW_NE_HEADERS_BIG);
    return sw_xb_add(&c->hdrs, at, n) ? cb_fail(c, SW_NE_NOMEM) : 0;
}

static int on_header_field(http_parser *p, const char *at, size_t n)
{
    sw_h1m_resp *c = p->data;
    if (c->in_value || c->hdrs.len == 0) {
        if (c->in_value && sw_xb_add(&c->hdrs, "\r\n", 2))
            return cb_fail(c, SW_NE_NOMEM);
        c->in_value = 0;
        c->line_start = c->hdrs.len;
    }
    return add_header_bytes(c, at, n);
}

static int on_header_value(http_parser *p, const char *at, size_t n)
{
    sw_h1m_resp *c = p->data;
    if (!c->in_value) {
        if (sw_xb_add(&c->hdrs, ": ", 2))
            return cb_fail(c, SW_NE_NOMEM);
        c->in_value = 1;
    }
    return add_header_bytes(c, at, n);
}

static int on_headers_complete(http_parser *p)
{
    sw_h1m_resp *c = p->data;
    if (c->in_value && sw_xb_add(&c->hdrs, "\r\n", 2))
        return cb_fail(c, SW_NE_NOMEM);
    c->in_value = 0;
    if (p->status_code >= 200)
        c->headers_done = 1;
    if (p->status_code < 100 || p->status_code > 999)
        return cb_fail(c, SW_NE_WEIRD);     /* "HTTP/1.1 2 OK": not a status */
    if (p->status_code == 101)
        return cb_fail(c, SW_NE_UPGRADE);
    if (p->status_code >= 100 && p->status_code < 200)
        return 0;               /* no body; the next message follows */
    size_t vl = 0;
    const char *enc = sw_hl_value(c->hdrs.p, c->hdrs.len, "Content-Encoding", 16, &vl);
    if (enc && !c->is_head) {
        if (vl == 4 && strncasecmp(enc, "gzip", 4) == 0)
            c->enc = ENC_GZIP;
        else if (vl == 6 && strncasecmp(enc, "x-gzip", 6) == 0)
            c->enc = ENC_GZIP;
        else if (vl == 7 && strncasecmp(enc, "deflate", 7) == 0)
            c->enc = ENC_DEFLATE;
        if (c->enc != ENC_NONE) {
            c->z = calloc(1, sizeof(z_stream));
            if (!c->z || inflateInit2((z_stream *)c->z, c->enc == ENC_GZIP ? 15 + 32 : 15) != Z_OK) {
                free(c->z);
                c->z = NULL;
                return cb_fail(c, SW_NE_NOMEM);
            }
        }
    }
    if (!c->is_head && !c->z && p->content_length > 0 && p->content_length != ULLONG_MAX &&
        p->content_length <= SW_NE_BODY_MAX && p->content_length + 1 > c->body.cap) {
        char *q = realloc(c->body.p, (size_t)p->content_length + 1);   /* one allocation */
        if (q) {
            c->body.p = q;
            c->body.cap = (size_t)p->content_length + 1;
        }
    }
    /* http_parser would read a Content-Length body after a 204/304 */
    return c->is_head || p->status_code == 204 || p->status_code == 304 ? 1 : 0;
}

/* Inflates n bytes into the body. 0, or -1 with the failure set. */
static int inflate_into(sw_h1m_resp *c, const char *at, size_t n)
{
    char out[16384];
    z_stream *z = c->z;
    z->next_in = (Bytef *)(uintptr_t)at;
    z->avail_in = (uInt)n;
    while (z->avail_in > 0) {
        z->next_out = (Bytef *)out;
        z->avail_out = sizeof out;
        int rc = inflate(z, Z_NO_FLUSH);
        if (rc == Z_DATA_ERROR && c->enc == ENC_DEFLATE && !c->z_raw_tried &&
            z->total_out == 0) {
            /* "deflate" sent as a raw stream, as some servers do */
            c->z_raw_tried = 1;
            inflateEnd(z);
            memset(z, 0, sizeof *z);
            if (inflateInit2(z, -15) != Z_OK)
                return cb_fail(c, SW_NE_DECODE);
            z->next_in = (Bytef *)(uintptr_t)at;
            z->avail_in = (uInt)n;
            continue;
        }
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            return cb_fail(c, SW_NE_DECODE);
        size_t got = sizeof out - z->avail_out;
        if (c->body.len + got > SW_NE_BODY_MAX)
            return cb_fail(c, SW_NE_BODY_BIG);
        if (got && sw_xb_add(&c->body, out, got))
            return cb_fail(c, SW_NE_NOMEM);
        if (rc == Z_STREAM_END || (rc == Z_BUF_ERROR && got == 0))
            break;
    }
    return 0;
}

static int on_body(http_parser *p, const char *at, size_t n)
{
    sw_h1m_resp *c = p->data;
    c->wire += n;
    if (c->z)
        return inflate_into(c, at, n);
    if (c->body.len + n > SW_NE_BODY_MAX)
        return cb_fail(c, SW_NE_BODY_BIG);
    return sw_xb_add(&c->body, at, n) ? cb_fail(c, SW_NE_NOMEM) : 0;
}

static int on_message_complete(http_parser *p)
{
    sw_h1m_resp *c = p->data;
    if (p->status_code >= 100 && p->status_code < 200)
        return 0;               /* 100 Continue & co: read on */
    c->complete = 1;
    c->keep_alive = http_should_keep_alive(p);
    http_parser_pause(p, 1);
    return 0;
}

static const http_parser_settings settings = {
    .on_message_begin = on_message_begin,
    .on_status = on_status,
    .on_header_field = on_header_field,
    .on_header_value = on_header_value,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

/* The parser's verdict on a stop that was not ours. */
static sw_neterr parse_error_kind(sw_h1m_resp *c)
{
    enum http_errno e = HTTP_PARSER_ERRNO(&c->p);
    if (c->failed_in_cb)
        return c->fail_kind;
    switch (e) {
    case HPE_INVALID_CHUNK_SIZE:
        return SW_NE_CHUNK;
    case HPE_HEADER_OVERFLOW:
        return SW_NE_HEADERS_BIG;
    case HPE_INVALID_EOF_STATE:
        return SW_NE_PARTIAL;
    default:
        return SW_NE_WEIRD;
    }
}

void sw_h1m_begin(sw_h1m_resp *r, int is_head)
{
    static int limit_set;
    if (!limit_set) {           /* http_parser's own cap (80 KB) is below ours */
        http_parser_set_max_header_size(SW_HTTP_HDR_TOTAL_MAX + SW_HTTP_HDR_LINE_MAX);
        limit_set = 1;
    }
    http_parser_init(&r->p, HTTP_RESPONSE);
    r->p.data = r;
    r->is_head = is_head;
    r->complete = 0;
    r->keep_alive = 0;
    r->failed_in_cb = 0;
    r->fail_kind = SW_NE_WEIRD;
    r->wire = 0;
}

int sw_h1m_feed(sw_h1m_resp *r, const char *data, size_t n)
{
    size_t used = http_parser_execute(&r->p, &settings, data, n);
    if (r->complete) {
        if (used < n)
            r->keep_alive = 0;  /* bytes past the response: unusable */
        return SW_H1M_DONE;
    }
    if (HTTP_PARSER_ERRNO(&r->p) != HPE_OK || used != n) {
        r->fail_kind = parse_error_kind(r);
        return SW_H1M_ERROR;
    }
    return SW_H1M_MORE;
}

int sw_h1m_eof(sw_h1m_resp *r)
{
    if (r->complete)
        return SW_H1M_DONE;
    enum http_errno e0 = HTTP_PARSER_ERRNO(&r->p);
    if (e0 != HPE_OK) {
        r->fail_kind = parse_error_kind(r);
        return SW_H1M_ERROR;
    }
    http_parser_execute(&r->p, &settings, NULL, 0);
    if (r->complete) {
        r->keep_alive = 0;
        return SW_H1M_DONE;
    }
    enum http_errno e = HTTP_PARSER_ERRNO(&r->p);
    if (e != HPE_OK && e != HPE_PAUSED && e != HPE_INVALID_EOF_STATE)
        r->fail_kind = parse_error_kind(r);
    else    /* closed inside the headers or before the body's announced end */
        r->fail_kind = !r->headers_done ? SW_NE_WEIRD : SW_NE_PARTIAL;
    return SW_H1M_ERROR;
}

int sw_h1m_status(const sw_h1m_resp *r)
{
    return (int)r->p.status_code;
}

void sw_h1m_clear(sw_h1m_resp *r, size_t keep)
{
    sw_xb_reset(&r->hdrs, keep);
    sw_xb_reset(&r->body, keep);
    z_end(r);
}

void sw_h1m_free(sw_h1m_resp *r)
{
    z_end(r);
    free(r->hdrs.p);
    free(r->body.p);
    memset(&r->hdrs, 0, sizeof r->hdrs);
    memset(&r->body, 0, sizeof r->body);
}
