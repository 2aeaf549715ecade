/*
 * resp.c -- response values (SW_T_RESP): made from a finished transfer,
 * read by scripts (fields, headers), decided and reported to the stats.
 *
 * A response is reported exactly once: at completion when it has no block,
 * else when decided (sw_decide, sw_settle, sw_resp_fail). A response freed
 * undecided (its coroutine was cancelled) is not reported in the statistics
 * but counted as cancelled (cancelled.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"
#include "value.h"
#include "json.h"
#include "stats.h"
#include "cancelled.h"
#include "session.h"
#include "co.h"
#include "neterr.h"
#include "hdrline.h"
#include "resp.h"

typedef struct sw_resp {
    sw_heap h;
    int status;                 /* HTTP status, 0 on transport error */
    int decided;                /* reported already */
    int has_block;              /* decided by a block (else at completion) */
    int json_done;              /* json holds the parsed body */
    sw_method method;
    sw_val text;                /* body (string value) */
    sw_val json;                /* cached parse of text */
    sw_val name;                /* entry name (string value) */
    sw_val url;                 /* final URL, after redirects (string value) */
    double issue_ms;            /* monotonic ms when issued */
    double time_ms;             /* response time */
    size_t size;                /* body bytes */
    char reason[48];            /* status line reason phrase */
    const char *error;          /* transport error text (in data), or NULL */
    size_t hdrs_len;            /* bytes of header lines in data */
    char data[];                /* header lines, NUL, then error text, NUL */
} sw_resp;

static const char *std_reason(int status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 418: return "I'm a teapot";
    case 422: return "Unprocessable Entity";
    case 425: return "Too Early";
    case 426: return "Upgrade Required";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default:  return "";
    }
}

static sw_resp *as_resp(sw_val v)
{
    return v.t == SW_T_RESP ? (sw_resp *)(void *)v.u.h : NULL;
}

/* Records one request in the statistics: duration from issue_ms to now_ms,
 * size bytes, fail_msg NULL for a success. */
static void record(sw_method method, sw_val name, double issue_ms, double now_ms,
                   uint64_t size, const char *fail_msg)
{
    if (!sw_rt.stats)
        return;
    double ms = now_ms - issue_ms;
    uint64_t us = ms > 0 ? (uint64_t)(ms * 1000.0 + 0.5) : 0;
    sw_stats_request(sw_rt.stats, sw_ne_methods[method], SW_AS_STR(name)->s,
                     us, size, fail_msg, sw_wall());
}

/* Marks r decided and records it: duration from issue to now_ms. */
static void report(sw_resp *r, double now_ms, const char *fail_msg)
{
    r->decided = 1;
    record(r->method, r->name, r->issue_ms, now_ms, r->size, fail_msg);
}

/* The default rule's verdict: NULL (success) without transport error and
 * status < 400, else the failure message (error, or "HTTP 404 Not Found"
 * written into msg). reason is cut to fit sw_resp's reason field, as a
 * response stores it. */
static const char *default_verdict(const char *error, int status, const char *reason,
                                   char *msg, size_t msgsz)
{
    if (error)
        return error;
    if (status < 400)
        return NULL;
    const char *why = reason && reason[0] ? reason : std_reason(status);
    int wl = (int)strnlen(why, sizeof ((sw_resp *)0)->reason - 1);
    snprintf(msg, msgsz, "HTTP %d%s%.*s", status, *why ? " " : "", wl, why);
    return msg;
}

/* The default rule: success without transport error and status < 400. */
static void report_default(sw_resp *r, double now_ms)
{
    char msg[96];
    report(r, now_ms, default_verdict(r->error, r->status, r->reason, msg, sizeof msg));
}

/* The transport error of a finished transfer, as every engine reports it:
 * the engine's own, or for a final 1xx status (101 Switching Protocols:
 * the server switched the connection to another protocol, which Swarm
 * does not speak) a message written into buf; NULL when there is none. */
const char *sw_resp_final_error(const sw_http_result *res, char *buf, size_t n)
{
    if (res->error)
        return res->error;
    if (res->status >= 100 && res->status < 200) {
        if (res->status == 101)
            snprintf(buf, n, "HTTP 101 Switching Protocols: protocol upgrades "
                             "(WebSocket, h2c) are not supported");
        else
            snprintf(buf, n, "HTTP %ld: an informational (1xx) response is not a final "
                             "response", res->status);
        return buf;
    }
    return NULL;
}

void sw_resp_report_result(const sw_http_result *res, sw_method method, sw_val name,
                           double issue_ms, double now_ms)
{
    char msg[96];
    int status = res->status > 0 && res->status < 1000 && !res->error ? (int)res->status : 0;
    record(method, name, issue_ms, now_ms, res->wire_len,
           default_verdict(res->error, status, res->reason, msg, sizeof msg));
}

sw_val sw_resp_new(const sw_http_result *res, sw_method method, sw_val name,
                   const char *url, size_t url_len, double issue_ms, double now_ms,
                   int has_block)
{
    size_t elen = res->error ? strlen(res->error) : 0;
    sw_resp *r = sw_xmalloc(sizeof *r + res->headers_len + elen + 2);
    memset(r, 0, sizeof *r);
    r->h.rc = 1;
    r->h.type = SW_T_RESP;
    r->status = res->status > 0 && res->status < 1000 ? (int)res->status : 0;
    r->has_block = has_block;
    r->method = method;
    r->text = sw_strn(res->body ? res->body : "", res->body_len);
    r->json = SW_NULL;
    r->name = name;
    r->url = sw_strn(url, url_len);
    r->issue_ms = issue_ms;
    r->time_ms = now_ms - issue_ms;
    r->size = res->wire_len;   /* bytes on the wire (before decoding) */
    if (res->reason) {              /* a copy cut to fit, as snprintf would */
        size_t rl = strlen(res->reason);
        if (rl >= sizeof r->reason)
            rl = sizeof r->reason - 1;
        memcpy(r->reason, res->reason, rl);
        r->reason[rl] = '\0';
    }
    r->hdrs_len = res->headers_len;
    if (res->headers_len)
        memcpy(r->data, res->headers, res->headers_len);
    r->data[res->headers_len] = '\0';
    if (res->error) {
        char *e = r->data + res->headers_len + 1;
        memcpy(e, res->error, elen + 1);
        r->error = e;
        r->status = 0;
    }
    if (!has_block)
        report_default(r, now_ms);
    return (sw_val){ .t = SW_T_RESP, .u.h = &r->h };
}

void sw_resp_free(sw_heap *h)
{
    sw_resp *r = (sw_resp *)(void *)h;
    if (!r->decided)            /* its block was cancelled before deciding */
        sw_cancel_add(sw_ne_methods[r->method], SW_AS_STR(r->name)->s, 1);
    sw_unref(r->text);
    sw_unref(r->json);
    sw_unref(r->name);
    sw_unref(r->url);
    free(r);
}

int sw_resp_undecided(sw_val resp)
{
    sw_resp *r = as_resp(resp);
    return r && !r->decided;
}

void sw_resp_fail(sw_val resp, const char *msg)
{
    sw_resp *r = as_resp(resp);
    if (r && !r->decided)
        report(r, sw_clock_ms(), msg && *msg ? msg : "failure");
}

/* success / failure MSG: reports resp now (duration from its issue); a
 * second decision raises and reports nothing. */
void sw_decide(sw_co *co, sw_val resp, int ok, sw_val msg)
{
    sw_resp *r = as_resp(resp);
    (void)co;
    if (!r) {
        sw_raise("success/failure on a %s, not a response",
                 resp.t == SW_T_NULL ? "null" : "non-response value");
    } else if (r->decided) {
        sw_raise("response already decided");
    } else if (ok) {
        report(r, sw_clock_ms(), NULL);
    } else {
        sw_val m = msg.t == SW_T_STR ? sw_ref(msg) : sw_to_str(sw_ref(msg));
        report(r, sw_clock_ms(), SW_AS_STR(m)->len ? SW_AS_STR(m)->s : "failure");
        sw_unref(m);
    }
    sw_unref(msg);
    sw_unref(resp);
}

/* A runtime error is pending at the end of (or on leaving) a response
 * block: it fails the response if nothing decided it yet, else it is
 * counted as an exception, so it is never lost. */
void sw_settle_error(sw_co *co, sw_val resp)
{
    const char *err = sw_co_error(co);
    if (err) {
        if (resp.t == SW_T_RESP && sw_resp_undecided(resp)) {
            sw_resp_fail(resp, err);
            sw_co_clear_error(co);
        } else {
            sw_exception(co);   /* already decided: do not lose the error */
        }
    }
    sw_unref(resp);
}

/* End of a response block: the default rule, if nothing decided it; a
 * runtime error still pending takes the error path (sw_settle_error), so
 * it can never end as a success. */
void sw_settle(sw_co *co, sw_val resp)
{
    sw_resp *r = as_resp(resp);
    if (sw_failed(co)) {
        sw_settle_error(co, resp);
        return;
    }
    if (r && !r->decided)
        report_default(r, sw_clock_ms());
    sw_unref(resp);
}

/* Whether text is the JSON document `null` (so a null parse is no error). */
static int is_json_null(const sw_str *s)
{
    size_t a = 0, z = s->len;
    while (a < z && isspace((unsigned char)s->s[a]))
        a++;
    while (z > a && isspace((unsigned char)s->s[z - 1]))
        z--;
    return z - a == 4 && memcmp(s->s + a, "null", 4) == 0;
}

/* r.headers: every header of the final response, names lower-cased; a
 * repeated header's values joined with ", " (as python-requests does). */
static sw_val resp_headers(const sw_resp *r)
{
    sw_val o = sw_vobj_new(8);
    const char *p = r->data, *end = r->data + r->hdrs_len;
    char name[128];
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *next = eol ? eol + 1 : end;
        const char *colon = memchr(p, ':', (size_t)(next - p));
        size_t nl = colon ? (size_t)(colon - p) : 0;
        if (colon && nl > 0 && nl < sizeof name) {
            for (size_t i = 0; i < nl; i++)
                name[i] = (char)tolower((unsigned char)p[i]);
            const char *v = colon + 1, *ve = next;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == '\n' || ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            long at = sw_vobj_find(SW_AS_OBJ(o), name, nl);
            sw_val val = sw_strn(v, (size_t)(ve - v));
            if (at >= 0)
                val = sw_interp(3, sw_ref(SW_AS_OBJ(o)->v[at]), sw_cstr(", "), val);
            sw_vobj_put(o, sw_strn(name, nl), val);
        }
        p = next;
    }
    return o;
}

/* r.status, r.ok, r.text, r.json (parsed once, then cached; a parse error
 * raises each time and is not cached), r.time, r.size, r.error; h borrowed,
 * the result owned; unknown names give null. */
sw_val sw_resp_field(sw_heap *h, const char *key, size_t klen)
{
    sw_resp *r = (sw_resp *)(void *)h;
#define IS(k) (klen == sizeof(k) - 1 && memcmp(key, k, klen) == 0)
    if (IS("status"))
        return sw_int(r->status);
    if (IS("ok"))
        return sw_bool(!r->error && r->status > 0 && r->status < 400);
    if (IS("text"))
        return sw_ref(r->text);
    if (IS("json")) {
        if (!r->json_done) {
            sw_val j = sw_json_parse(sw_ref(r->text));
            if (j.t == SW_T_NULL && !is_json_null(SW_AS_STR(r->text)))
                return j;               /* raised: do not cache the failure */
            r->json = j;
            r->json_done = 1;
        }
        return sw_ref(r->json);
    }
    if (IS("time"))
        return sw_float(r->time_ms);
    if (IS("size"))
        return sw_int((int64_t)r->size);
    if (IS("error"))
        return r->error ? sw_cstr(r->error) : SW_NULL;
    if (IS("url"))
        return sw_ref(r->url);
    if (IS("headers"))
        return resp_headers(r);
    if (IS("cookies"))
        return sw_sess_set_cookies(r->data, r->hdrs_len);
#undef IS
    return SW_NULL;
}

/* r.header(name): the last header line whose name matches, case-insensitive. */
sw_val sw_resp_header(sw_val resp, sw_val name)
{
    sw_resp *r = as_resp(resp);
    sw_val out = SW_NULL;
    if (r && name.t == SW_T_STR) {
        size_t vl = 0;
        const char *v = sw_hl_value(r->data, r->hdrs_len, SW_AS_STR(name)->s,
                                    SW_AS_STR(name)->len, &vl);
        if (v)
            out = sw_strn(v, vl);
    }
    sw_unref(resp);
    sw_unref(name);
    return out;
}
