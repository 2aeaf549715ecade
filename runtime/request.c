/*
 * request.c -- requests under construction (sw_req): URL joining,
 * query/form encoding, headers, bodies, issuing on the coroutine's
 * sw_client (client.c), following redirects; the finished transfer goes to
 * resp.c (response values, reports).
 *
 * An sw_req lives from sw_req_new until its transfer completes (or is
 * aborted), because the engines read its URL, body and header lines while
 * sending; then it goes back to a free list with its buffers, so a steady
 * load makes no allocations for requests beyond the response value itself.
 * An aborted transfer is counted as cancelled (cancelled.h).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <event2/event.h>

#include "rt.h"
#include "value.h"
#include "json.h"
#include "client.h"
#include "request.h"
#include "resp.h"
#include "cancelled.h"
#include "session.h"
#include "co.h"
#include "user.h"
#include "neterr.h"
#include "hdrline.h"
#include "h1msg.h"

#define SW_DEFAULT_TIMEOUT_MS 60000.0

enum { BODY_NONE, BODY_RAW, BODY_JSON };

struct sw_req {
    sw_co *co;                  /* the issuing coroutine */
    sw_method method;
    sw_val name;                /* entry name (string value, owned) */
    sw_val url;                 /* URL as given (owned) */
    sw_buf query;               /* encoded k=v&k=v */
    sw_buf form;                /* encoded k=v&k=v */
    sw_buf hdr;                 /* header lines, each NUL-terminated */
    int nhdr;                   /* lines in hdr */
    int has_ctype;              /* the script set Content-Type */
    sw_val body;                /* raw or JSON-encoded body (owned), or null */
    int body_kind;              /* BODY_* */
    double timeout_ms;          /* whole request */
    int follow;                 /* redirects */
    sw_buf full;                /* the URL sent */
    const char **lines;         /* pointers into hdr, for sw_http_req */
    int lines_cap;              /* allocated lines */
    sw_val *slot;               /* where the response goes, or NULL */
    int has_block;              /* decided by a response block */
    double issue_ms;            /* monotonic issue time */
    size_t own_n;               /* session.c: bytes of hdr the script set */
    int own_lines;              /* session.c: lines of hdr the script set */
    int hops;                   /* redirects followed so far */
    int no_auth;                /* a redirect left the origin: no Authorization from here on */
    sw_method send_method;      /* method of this hop (a redirect may change it) */
    sw_req *next;               /* free list */
};

static sw_req *free_reqs;       /* idle sw_reqs with their buffers */


/* ------------------------------------------------------------- bytes */

/* The request's buffers are value.h's sw_buf, kept across requests (n reset
 * to 0); sw_buf_bytes NUL-terminates them for curl. */

/* Appends s URL-encoded: unreserved bytes as is, space as '+' when plus. */
static void buf_add_enc(sw_buf *b, const char *s, size_t n, int plus)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            sw_buf_addc(b, (char)c);
        } else if (c == ' ' && plus) {
            sw_buf_addc(b, '+');
        } else {
            char e[3] = { '%', hex[c >> 4], hex[c & 15] };
            sw_buf_add(b, e, 3);
        }
    }
}

/* ------------------------------------------------- building requests */

/* str() of v as an owned string value (v consumed). */
static sw_val as_str(sw_val v)
{
    return v.t == SW_T_STR ? v : sw_to_str(v);
}

/* A request under construction, from the free list when one is idle. url and
 * name are consumed (converted with str() when not strings). */
sw_req *sw_req_new(sw_co *co, sw_method m, sw_val url, sw_val name)
{
    sw_req *q = free_reqs;
    if (q) {
        free_reqs = q->next;
    } else {
        q = sw_xmalloc(sizeof *q);
        memset(q, 0, sizeof *q);
    }
    q->co = co;
    q->method = m >= SW_GET && m <= SW_OPTIONS ? m : SW_GET;
    q->url = as_str(url);
    q->name = as_str(name);
    q->query.n = q->form.n = q->hdr.n = q->full.n = 0;
    q->nhdr = 0;
    q->has_ctype = 0;
    q->body = SW_NULL;
    q->body_kind = BODY_NONE;
    q->timeout_ms = SW_DEFAULT_TIMEOUT_MS;
    q->follow = 1;
    q->slot = NULL;
    q->has_block = 0;
    q->next = NULL;
    return q;
}

/* Back to the free list, releasing its values (buffers are kept). */
static void req_release(sw_req *q)
{
    sw_set(&q->url, SW_NULL);
    sw_set(&q->name, SW_NULL);
    sw_set(&q->body, SW_NULL);
    q->co = NULL;
    q->slot = NULL;
    q->next = free_reqs;
    free_reqs = q;
}

void sw_req_shutdown(void)
{
    while (free_reqs) {
        sw_req *q = free_reqs;
        free_reqs = q->next;
        sw_buf_free(&q->query);
        sw_buf_free(&q->form);
        sw_buf_free(&q->hdr);
        sw_buf_free(&q->full);
        free(q->lines);
        free(q);
    }
}

/* Appends "k=v" (both encoded) to a query or form buffer; null values are
 * left out, as python-requests does. */
static void add_pair(sw_buf *b, sw_val key, sw_val value, int plus)
{
    if (value.t == SW_T_NULL) {
        sw_unref(key);
        return;
    }
    sw_val k = as_str(key), v = as_str(value);
    if (b->n)
        sw_buf_addc(b, '&');
    buf_add_enc(b, SW_AS_STR(k)->s, SW_AS_STR(k)->len, plus);
    sw_buf_addc(b, '=');
    buf_add_enc(b, SW_AS_STR(v)->s, SW_AS_STR(v)->len, plus);
    sw_unref(k);
    sw_unref(v);
}

/* Adds a header line "Key: value"; CR/LF become spaces (no injection), an
 * empty value is sent as "Key;" (curl's way to send it empty), a null value
 * sends nothing. */
void sw_req_header(sw_req *q, sw_val key, sw_val value)
{
    if (!q || value.t == SW_T_NULL) {
        sw_unref(key);
        sw_unref(value);
        return;
    }
    sw_val k = as_str(key), v = as_str(value);
    sw_str *ks = SW_AS_STR(k), *vs = SW_AS_STR(v);
    size_t start = q->hdr.n, klen = 0;
    for (size_t i = 0; i < ks->len; i++) {
        char c = ks->s[i];
        if (c > ' ' && c != ':' && c != ';' && c != 0x7f) {
            sw_buf_addc(&q->hdr, c);
            klen++;
        }
    }
    if (klen == 0) {
        q->hdr.n = start;
    } else {
        if (klen == 12 && strncasecmp(sw_buf_bytes(&q->hdr) + start, "content-type", 12) == 0)
            q->has_ctype = 1;
        sw_buf_add(&q->hdr, vs->len ? ": " : ";", vs->len ? 2 : 1);
        for (size_t i = 0; i < vs->len; i++) {
            char c = vs->s[i];
            sw_buf_addc(&q->hdr, c == '\r' || c == '\n' || c == '\0' ? ' ' : c);
        }
        sw_buf_addc(&q->hdr, '\0');    /* lines are NUL-separated */
        q->nhdr++;
    }
    sw_unref(k);
    sw_unref(v);
}

void sw_req_query(sw_req *q, sw_val key, sw_val value)
{
    if (!q) {
        sw_unref(key);
        sw_unref(value);
        return;
    }
    add_pair(&q->query, key, value, 0);
}

void sw_req_form(sw_req *q, sw_val key, sw_val value)
{
    if (!q) {
        sw_unref(key);
        sw_unref(value);
        return;
    }
    add_pair(&q->form, key, value, 1);
}

void sw_req_json(sw_req *q, sw_val body)
{
    if (!q) {
        sw_unref(body);
        return;
    }
    sw_set(&q->body, sw_json_encode(body));
    q->body_kind = q->body.t == SW_T_STR ? BODY_JSON : BODY_NONE;
}

void sw_req_body(sw_req *q, sw_val body)
{
    if (!q) {
        sw_unref(body);
        return;
    }
    sw_set(&q->body, as_str(body));
    q->body_kind = BODY_RAW;
}

void sw_req_timeout(sw_req *q, double ms)
{
    if (q)
        q->timeout_ms = ms;
}

void sw_req_redirects(sw_req *q, int follow)
{
    if (q)
        q->follow = !!follow;
}

#define URL_NO_HOST "no host: set `host` in the script or pass --host"
#define URL_NUL     "the URL contains a NUL byte (\\u0000); it was not sent"

/* q->full = the absolute URL plus the query. NULL, or why the request
 * cannot be sent: no host to join a relative URL to, or a NUL byte in the
 * URL (it would cut the URL short: the request is a failure instead). */
static const char *build_url(sw_req *q)
{
    const char *u = SW_AS_STR(q->url)->s;
    size_t ulen = SW_AS_STR(q->url)->len;
    if (memchr(u, '\0', ulen))
        return URL_NUL;
    const char *colon = memchr(u, ':', ulen);
    const char *slash = memchr(u, '/', ulen);
    int absolute = colon && (!slash || colon < slash) && colon + 2 < u + ulen &&
                   colon[1] == '/' && colon[2] == '/';
    if (absolute) {
        sw_url_requote(u, ulen, &q->full);
    } else {
        const char *host = sw_co_host(q->co);
        if (!host || !*host)
            return URL_NO_HOST;
        size_t hlen = strlen(host);
        while (hlen && host[hlen - 1] == '/')
            hlen--;
        sw_buf_add(&q->full, host, hlen);
        if (ulen && u[0] != '/' && u[0] != '?')
            sw_buf_addc(&q->full, '/');
        sw_url_requote(u, ulen, &q->full);
    }
    if (q->query.n) {
        sw_buf_addc(&q->full, memchr(sw_buf_bytes(&q->full), '?', q->full.n) ? '&' : '?');
        sw_buf_add(&q->full, sw_buf_bytes(&q->query), q->query.n);
    }
    return NULL;
}

/* Adds the runtime's own header lines, then points q->lines at them all.
 * "Expect:" stops curl's "Expect: 100-continue" on a large body; without a
 * body curl sends no Expect, so the line is left out (one header less for
 * curl to go through). */
static void build_headers(sw_req *q, const char *ctype, int has_body)
{
    if (has_body) {
        sw_buf_add(&q->hdr, "Expect:", 8);   /* with its NUL */
        q->nhdr++;
    }
    if (ctype) {
        sw_buf_add(&q->hdr, ctype, strlen(ctype) + 1);
        q->nhdr++;
    }
    if (q->nhdr > q->lines_cap) {
        q->lines_cap = q->nhdr * 2;
        q->lines = sw_xrealloc(q->lines, (size_t)q->lines_cap * sizeof *q->lines);
    }
    const char *p = sw_buf_bytes(&q->hdr);
    for (int i = 0; i < q->nhdr; i++) {
        q->lines[i] = p;
        p += strlen(p) + 1;
    }
}

static void req_done(void *arg, const sw_http_result *r);
static void req_drop(void *arg);

/* Completes q as a transport error via the loop when it has no conn. */
static void orphan_fail(evutil_socket_t fd, short what, void *arg)
{
    sw_http_result r;
    (void)fd;
    (void)what;
    memset(&r, 0, sizeof r);
    r.reason = r.body = r.headers = "";
    r.error = "no connection for this request";
    req_done(arg, &r);
}

/* Starts (or, after a redirect, restarts) q's transfer to q->full on conn
 * c: the script's header lines, then the session's (default headers, cookies
 * for this URL), the body, and the runtime's own lines. Redirects are
 * followed here, not by the engine, so that each hop's cookies are stored
 * and the next hop gets its own (req_redirect). */

static void req_issue(sw_req *q, sw_client *c)
{
    static sw_buf sess_lines;   /* scratch: lines from the session */
    const char *ctype = NULL;
    const char *body = NULL;
    size_t blen = 0;
    q->hdr.n = q->own_n;
    q->nhdr = q->own_lines;
    sw_sess *ss = sw_co_sess(q->co);
    if (ss) {
        sess_lines.n = 0;
        int n = sw_sess_headers(ss, sw_buf_bytes(&q->full), sw_buf_bytes(&q->hdr),
                                q->nhdr, sw_wall(), &sess_lines);
        if (n && q->no_auth) {          /* a default Authorization stays behind too */
            static const char *const auth[] = { "authorization" };
            n = sw_hl_drop(sw_buf_bytes(&sess_lines), &sess_lines.n, auth, 1);
        }
        if (n) {
            sw_buf_add(&q->hdr, sw_buf_bytes(&sess_lines), sess_lines.n);
            q->nhdr += n;
        }
    }
    if (q->body_kind != BODY_NONE) {
        body = SW_AS_STR(q->body)->s;
        blen = SW_AS_STR(q->body)->len;
        ctype = q->body_kind == BODY_JSON ? "Content-Type: application/json" : "Content-Type:";
    } else if (q->form.n || q->send_method == SW_POST) {
        body = sw_buf_bytes(&q->form);
        blen = q->form.n;
        ctype = q->form.n ? "Content-Type: application/x-www-form-urlencoded" : "Content-Type:";
    }
    if (q->has_ctype)
        ctype = NULL;
    build_headers(q, ctype, body != NULL);
    double t = q->timeout_ms;
    if (q->hops > 0 && t > 0) {     /* the timeout covers every hop */
        t -= sw_clock_ms() - q->issue_ms;
        if (t < 1)
            t = 1;
    }
    sw_http_req rq = {
        (int)q->send_method, sw_buf_bytes(&q->full), q->lines, q->nhdr, body, blen,
        t > 0 ? (t < 1 ? 1L : (t > 1e9 ? 1000000000L : (long)ceil(t))) : 0L, NULL
    };
    sw_client_start(c, &rq, req_done, req_drop, q);
}

/* Issues q on the coroutine's conn; q then belongs to the transfer. Every
 * outcome, including "cannot start", completes later from the event loop
 * (req_done), never from inside this call. */
void sw_req_send(sw_req *q, sw_val *slot, int has_block)
{
    if (!q)
        return;
    q->slot = slot;
    q->has_block = has_block;
    q->issue_ms = sw_clock_ms();
    q->hops = 0;
    q->no_auth = 0;
    q->send_method = q->method;
    q->own_n = q->hdr.n;
    q->own_lines = q->nhdr;
    if (q->co && sw_co_user(q->co)) {   /* open model: timed from the intended start */
        double t = sw_user_take_intended(sw_co_user(q->co));
        if (t > 0 && t < q->issue_ms)
            q->issue_ms = t;
    }
    sw_client *c = sw_co_conn(q->co);
    if (!c) {
        if (!sw_rt.base || event_base_once(sw_rt.base, -1, EV_TIMEOUT, orphan_fail, q, NULL) != 0)
            req_release(q);        /* nothing can ever resume it */
        return;
    }
    const char *bad = build_url(q);
    if (bad) {
        sw_client_fail(c, bad, req_done, req_drop, q);
        return;
    }
    req_issue(q, c);
}

/* Remove the script's own header lines named in names[0, k) from q. */
static void drop_own_lines(sw_req *q, const char *const *names, size_t k)
{
    q->own_lines = q->nhdr = sw_hl_drop(sw_buf_bytes(&q->hdr), &q->own_n, names, k);
    q->hdr.n = q->own_n;
}

/* A redirect turned q into a GET without a body: the script's own lines that
 * describe the body (Content-Type, Content-Length, Transfer-Encoding) go
 * too, as browsers and python-requests drop them. */
static void drop_body_headers(sw_req *q)
{
    static const char *const names[] = { "content-type", "content-length",
                                         "transfer-encoding" };
    q->has_ctype = 0;
    drop_own_lines(q, names, 3);
}

/* Whether a redirect from URL a to URL b must not carry Authorization
 * (python-requests' rule): another host, another port, or another scheme,
 * except http to https on the default ports of the same host. A URL that
 * does not parse strips it too. */
static int strips_auth(const char *a, const char *b)
{
    sw_h1_url ua, ub;
    if (sw_h1_parse_url(a, &ua) != 0 || sw_h1_parse_url(b, &ub) != 0)
        return 1;
    if (strcasecmp(ua.host, ub.host) != 0)
        return 1;
    if (strcmp(ua.scheme, "http") == 0 && ua.port == 80 && strcmp(ub.scheme, "https") == 0 &&
        ub.port == 443)
        return 0;
    return strcmp(ua.scheme, ub.scheme) != 0 || ua.port != ub.port;
}

/* A redirect to follow (requests' rules): 301/302/303/307/308 with a
 * Location, while following is on and fewer than SW_NE_MAX_REDIRS hops were
 * made. Stores the hop's cookies, moves q->full to the new URL (303, and
 * 301/302 after a POST, become a GET without body) and reissues q.
 * Returns 1 when q was reissued. */
static int req_redirect(sw_req *q, const sw_http_result *res)
{
    static sw_buf next;
    long st = res->status;
    if (res->error || !q->follow || q->hops >= SW_NE_MAX_REDIRS ||
        !(st == 301 || st == 302 || st == 303 || st == 307 || st == 308))
        return 0;
    size_t ll = 0;
    const char *loc = sw_hl_value(res->headers, res->headers_len, "Location", 8, &ll);
    sw_client *c = sw_co_conn(q->co);
    if (!loc || ll == 0 || !c)
        return 0;
    next.n = 0;
    sw_url_join(sw_buf_bytes(&q->full), loc, ll, &next);
    if (!q->no_auth && strips_auth(sw_buf_bytes(&q->full), sw_buf_bytes(&next))) {
        static const char *const auth[] = { "authorization" };
        q->no_auth = 1;             /* this hop and every later one, from any header source */
        drop_own_lines(q, auth, 1);
    }
    q->full.n = 0;
    sw_url_requote(sw_buf_bytes(&next), next.n, &q->full);
    if (st == 303 ? q->send_method != SW_HEAD
                  : (st == 301 || st == 302) && q->send_method == SW_POST) {
        q->send_method = SW_GET;
        sw_set(&q->body, SW_NULL);
        q->body_kind = BODY_NONE;
        q->form.n = 0;
        drop_body_headers(q);
    }
    q->hops++;
    req_issue(q, c);
    return 1;
}

/* Transfer finished: follow a redirect, or hand the result over (resp.c:
 * a response value, or the report straight from the result when nobody
 * sees it), then resume the coroutine. */
static void req_done(void *arg, const sw_http_result *in)
{
    sw_req *q = arg;
    char why[128];
    sw_http_result fixed = *in;
    const sw_http_result *res = &fixed;
    fixed.error = sw_resp_final_error(in, why, sizeof why);
    if (!res->error && res->headers_len) {
        sw_sess *ss = sw_co_sess(q->co);
        if (ss)
            sw_sess_absorb(ss, sw_buf_bytes(&q->full), res->headers, res->headers_len,
                           sw_wall());
    }
    if (req_redirect(q, res))
        return;
    double now = sw_clock_ms();
    sw_co *co = q->co;
    if (!q->slot && !q->has_block) {
        sw_resp_report_result(res, q->method, q->name, q->issue_ms, now);
    } else {
        sw_val rv = sw_resp_new(res, q->method, q->name, sw_buf_bytes(&q->full), q->full.n,
                                q->issue_ms, now, q->has_block);
        q->name = SW_NULL;
        if (q->slot)
            sw_set(q->slot, rv);
        else
            sw_unref(rv);
    }
    req_release(q);
    if (co)
        sw_co_resume(co);
}

/* The transfer was aborted (its coroutine was cancelled): counted as
 * cancelled (cancelled.h), then released. */
static void req_drop(void *arg)
{
    sw_req *q = arg;
    sw_cancel_add(sw_ne_methods[q->method], SW_AS_STR(q->name)->s, 1);
    req_release(q);
}

