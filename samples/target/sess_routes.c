/*
 * sess_routes.c -- the /s/ routes of the demo target (see sess_routes.h):
 *
 *   GET  /s/login    HTML form: <input type="hidden" name="csrf" value="T">
 *                    and Set-Cookie: pre=T; Path=/s (like Django's csrftoken)
 *   POST /s/login    form user, password, csrf: accepted when csrf was handed
 *                    out, equals the `pre` cookie, and password is "pw-"+user;
 *                    then 302 to /s/home with Set-Cookie: sid=...; Path=/.
 *                    Else 403.
 *   GET  /s/home     200 {"name": user} with a valid sid cookie, else 401
 *   GET  /s/logout   deletes the sid cookie (Max-Age=0)
 *   GET  /s/headers  {"x_client": ..., "cookie": ..., "uri": ...} (null when absent)
 *   GET  /s/set?name=N&value=V&attrs=A   Set-Cookie: N=V; A
 *   GET  /s/__stats  {"logins_ok", "logins_bad", "home_ok", "home_denied"}
 *
 * State: fixed rings of handed-out tokens and sessions (oldest forgotten).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <sys/queue.h>
#include <event2/keyvalq_struct.h>

#include "sess_routes.h"

#define SR_RING 8192

static char sr_tokens[SR_RING][24];     /* CSRF tokens handed out */
static char sr_sids[SR_RING][24];       /* session ids */
static char sr_users[SR_RING][64];      /* their users */
static unsigned long sr_ntok, sr_nsid;
static unsigned long sr_ok, sr_bad, sr_home_ok, sr_home_denied;

static void sr_reply(struct evhttp_request *req, int code, const char *ctype,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void sr_reply(struct evhttp_request *req, int code, const char *ctype,
                     const char *fmt, ...)
{
    struct evbuffer *b = evbuffer_new();
    va_list ap;
    va_start(ap, fmt);
    if (b)
        evbuffer_add_vprintf(b, fmt, ap);
    va_end(ap);
    if (ctype)
        evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", ctype);
    evhttp_send_reply(req, code, NULL, b);
    if (b)
        evbuffer_free(b);
}

/* The value of cookie name in the request's Cookie header into out. */
static int cookie_of(struct evhttp_request *req, const char *name, char *out, size_t cap)
{
    const char *h = evhttp_find_header(evhttp_request_get_input_headers(req), "Cookie");
    size_t nl = strlen(name);
    while (h && *h) {
        while (*h == ' ' || *h == ';')
            h++;
        const char *end = strchr(h, ';');
        size_t len = end ? (size_t)(end - h) : strlen(h);
        if (len > nl && strncmp(h, name, nl) == 0 && h[nl] == '=') {
            size_t vl = len - nl - 1 < cap - 1 ? len - nl - 1 : cap - 1;
            memcpy(out, h + nl + 1, vl);
            out[vl] = '\0';
            return 1;
        }
        h = end;
    }
    return 0;
}

/* A JSON string literal of s (or null) into out. */
static void json_str(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    if (!s) {
        snprintf(out, cap, "null");
        return;
    }
    out[n++] = '"';
    for (; *s && n + 8 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[n++] = '\\';
            out[n++] = (char)c;
        } else if (c < 0x20) {
            n += (size_t)snprintf(out + n, cap - n, "\\u%04x", c);
        } else {
            out[n++] = (char)c;
        }
    }
    out[n++] = '"';
    out[n] = '\0';
}

static void do_login_form(struct evhttp_request *req)
{
    char *t = sr_tokens[sr_ntok++ % SR_RING];
    snprintf(t, sizeof sr_tokens[0], "c%08lx%06x", sr_ntok, (unsigned)(rand() & 0xffffff));
    char cookie[64];
    snprintf(cookie, sizeof cookie, "pre=%s; Path=/s", t);
    evhttp_add_header(evhttp_request_get_output_headers(req), "Set-Cookie", cookie);
    sr_reply(req, 200, "text/html; charset=utf-8",
             "<html><body><form method=\"post\" action=\"/s/login\">\n"
             "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
             "<input name=\"user\"><input name=\"password\" type=\"password\">\n"
             "</form></body></html>\n", t);
}

static int token_known(const char *t)
{
    for (unsigned long i = 0; i < SR_RING && i < sr_ntok; i++)
        if (strcmp(sr_tokens[i], t) == 0)
            return 1;
    return 0;
}

static void do_login(struct evhttp_request *req)
{
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t len = evbuffer_get_length(in);
    char *body = malloc(len + 1);
    struct evkeyvalq q;
    TAILQ_INIT(&q);
    if (body) {
        evbuffer_copyout(in, body, len);
        body[len] = '\0';
        evhttp_parse_query_str(body, &q);
    }
    const char *user = evhttp_find_header(&q, "user");
    const char *pw = evhttp_find_header(&q, "password");
    const char *csrf = evhttp_find_header(&q, "csrf");
    char pre[64], want[96];
    int ok = user && pw && csrf && *user && strlen(user) < sizeof sr_users[0]
             && token_known(csrf) && cookie_of(req, "pre", pre, sizeof pre)
             && strcmp(pre, csrf) == 0;
    if (ok) {
        snprintf(want, sizeof want, "pw-%s", user);
        ok = strcmp(pw, want) == 0;
    }
    if (!ok) {
        sr_bad++;
        sr_reply(req, 403, "text/plain", "login refused\n");
    } else {
        unsigned long k = sr_nsid++ % SR_RING;
        snprintf(sr_sids[k], sizeof sr_sids[0], "s%08lx%06x", sr_nsid,
                 (unsigned)(rand() & 0xffffff));
        snprintf(sr_users[k], sizeof sr_users[0], "%s", user);
        char cookie[96];
        snprintf(cookie, sizeof cookie, "sid=%s; Path=/; HttpOnly", sr_sids[k]);
        struct evkeyvalq *out = evhttp_request_get_output_headers(req);
        evhttp_add_header(out, "Set-Cookie", cookie);
        evhttp_add_header(out, "Location", "/s/home");
        sr_ok++;
        sr_reply(req, 302, "text/plain", "welcome\n");
    }
    evhttp_clear_headers(&q);
    free(body);
}

static void do_home(struct evhttp_request *req)
{
    char sid[64], name[160];
    if (cookie_of(req, "sid", sid, sizeof sid))
        for (unsigned long i = 0; i < SR_RING && i < sr_nsid; i++)
            if (strcmp(sr_sids[i], sid) == 0) {
                sr_home_ok++;
                json_str(sr_users[i], name, sizeof name);
                sr_reply(req, 200, "application/json", "{\"name\": %s}\n", name);
                return;
            }
    sr_home_denied++;
    sr_reply(req, 401, "application/json", "{\"error\": \"log in first\"}\n");
}

static void do_headers(struct evhttp_request *req)
{
    struct evkeyvalq *h = evhttp_request_get_input_headers(req);
    char xc[512], ck[2048], uri[2048];
    json_str(evhttp_find_header(h, "X-Client"), xc, sizeof xc);
    json_str(evhttp_find_header(h, "Cookie"), ck, sizeof ck);
    json_str(evhttp_request_get_uri(req), uri, sizeof uri);
    sr_reply(req, 200, "application/json", "{\"x_client\": %s, \"cookie\": %s, \"uri\": %s}\n",
             xc, ck, uri);
}

static void do_set(struct evhttp_request *req)
{
    struct evkeyvalq q;
    TAILQ_INIT(&q);
    const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
    if (query)
        evhttp_parse_query_str(query, &q);
    const char *n = evhttp_find_header(&q, "name"), *v = evhttp_find_header(&q, "value");
    const char *a = evhttp_find_header(&q, "attrs");
    char line[1024];
    if (n && v) {
        snprintf(line, sizeof line, "%s=%s%s%s", n, v, a ? "; " : "", a ? a : "");
        evhttp_add_header(evhttp_request_get_output_headers(req), "Set-Cookie", line);
    }
    sr_reply(req, n && v ? 200 : 400, "text/plain", "set\n");
    evhttp_clear_headers(&q);
}

int sess_route(struct evhttp_request *req, const char *path, int post)
{
    if (strncmp(path, "/s/", 3) != 0)
        return 0;
    if (strcmp(path, "/s/login") == 0)
        post ? do_login(req) : do_login_form(req);
    else if (strcmp(path, "/s/home") == 0)
        do_home(req);
    else if (strcmp(path, "/s/logout") == 0) {
        evhttp_add_header(evhttp_request_get_output_headers(req), "Set-Cookie",
                          "sid=; Max-Age=0; Path=/");
        sr_reply(req, 200, "text/plain", "bye\n");
    } else if (strcmp(path, "/s/headers") == 0 || strncmp(path, "/s/headers/", 11) == 0)
        do_headers(req);
    else if (strcmp(path, "/s/set") == 0)
        do_set(req);
    else if (strcmp(path, "/s/__stats") == 0)
        sr_reply(req, 200, "application/json",
                 "{\"logins_ok\": %lu, \"logins_bad\": %lu, \"home_ok\": %lu, "
                 "\"home_denied\": %lu}\n", sr_ok, sr_bad, sr_home_ok, sr_home_denied);
    else
        sr_reply(req, 404, "text/plain", "no such /s/ route\n");
    return 1;
}
