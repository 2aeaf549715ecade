/*
 * webreq.c -- the body of POST /swarm (see webreq.h).
 *
 * The JSON reader is small and strict (RFC 8259 grammar, nesting at most 32
 * deep): it keeps the top-level fields it knows, checks and skips every
 * other value. Form bodies go through evhttp_parse_query_str ('+' and %XX
 * decoded). Numbers may come as JSON numbers or as strings.
 */
#include "webreq.h"
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#define MAX_USERS 1000000000.0
#define MAX_RATE  1000000.0
#define NOT_OBJECT "the JSON body is not an object"

/* A value shown inside a message: at most 40 bytes. */
static const char *shown(const char *v, char *buf, size_t n)
{
    snprintf(buf, n, "%.40s%s", v, strlen(v) > 40 ? "..." : "");
    return buf;
}

/* The fields POST /swarm reads; both spellings of each. */
enum { F_USER_COUNT, F_LOCUST_COUNT, F_SPAWN_RATE, F_HATCH_RATE, F_HOST, F_RUN_TIME, NF };
static const char *const FIELD[NF] = {
    "user_count", "locust_count", "spawn_rate", "hatch_rate", "host", "run_time" };

typedef struct fields {
    char *v[NF];                     /* owned text; NULL when absent or null */
    int bad[NF];                     /* JSON: given as true/false/object/array */
} fields;

static void fields_free(fields *fs)
{
    for (int i = 0; i < NF; i++)
        free(fs->v[i]);
}

static int field_index(const char *k)
{
    for (int i = 0; i < NF; i++)
        if (strcmp(k, FIELD[i]) == 0)
            return i;
    return -1;
}

/* A tiny strict JSON reader: enough to take the top-level scalar fields of
 * one object and to check (and skip) everything else. */
typedef struct jr {
    const char *p;                   /* next byte */
    const char *err;                 /* the first problem, or NULL */
} jr;

static void jws(jr *j)
{
    while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
        j->p++;
}

static int jfail(jr *j, const char *msg)
{
    if (!j->err)
        j->err = msg;
    return -1;
}

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int c = (unsigned char)p[i], d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return -1;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return 0;
}

static size_t put_utf8(char *o, unsigned c)
{
    if (c < 0x80) { o[0] = (char)c; return 1; }
    if (c < 0x800) { o[0] = (char)(0xC0 | c >> 6); o[1] = (char)(0x80 | (c & 0x3F)); return 2; }
    if (c < 0x10000) {
        o[0] = (char)(0xE0 | c >> 12); o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | c >> 18); o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((c >> 6) & 0x3F)); o[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* A string at j->p (the opening quote); *out (when out) gets the decoded
 * text, malloc'd. */
static int jstring(jr *j, char **out)
{
    const char *q = ++j->p;
    while (*q && *q != '"')
        q += (*q == '\\' && q[1]) ? 2 : 1;
    if (*q != '"')
        return jfail(j, "a string is not closed");
    char *o = out ? malloc((size_t)(q - j->p) + 1) : NULL;
    size_t n = 0;
    if (out && !o)
        return jfail(j, "out of memory");
    while (j->p < q) {
        unsigned char c = (unsigned char)*j->p++;
        if (c < 0x20) {
            free(o);
            return jfail(j, "a string holds a raw control character");
        }
        if (c != '\\') {
            if (o) o[n++] = (char)c;
            continue;
        }
        c = (unsigned char)*j->p++;
        const char *esc = strchr("\"\\/bfnrt", c);
        if (c && esc) {
            if (o) o[n++] = "\"\\/\b\f\n\r\t"[esc - "\"\\/bfnrt"];
            continue;
        }
        unsigned u, lo;
        if (c != 'u' || hex4(j->p, &u) != 0) {
            free(o);
            return jfail(j, "a string holds a bad escape");
        }
        j->p += 4;
        if (u >= 0xD800 && u <= 0xDBFF && j->p[0] == '\\' && j->p[1] == 'u'
            && hex4(j->p + 2, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            j->p += 6;
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            u = 0xFFFD;
        } else if (u == 0) {
            free(o);
            return jfail(j, "a string holds \\u0000");
        }
        if (o) n += put_utf8(o + n, u);
    }
    j->p = q + 1;
    if (o) {
        o[n] = '\0';
        *out = o;
    }
    return 0;
}

/* A number at j->p; its text is [start, j->p). */
static int jnumber(jr *j)
{
    const char *p = j->p;
    if (*p == '-') p++;
    if (*p == '0') p++;
    else if (isdigit((unsigned char)*p)) while (isdigit((unsigned char)*p)) p++;
    else return jfail(j, "a value is not valid JSON");
    if (*p == '.') {
        if (!isdigit((unsigned char)*++p)) return jfail(j, "a number has no digits after '.'");
        while (isdigit((unsigned char)*p)) p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!isdigit((unsigned char)*p)) return jfail(j, "a number has a bad exponent");
        while (isdigit((unsigned char)*p)) p++;
    }
    j->p = p;
    return 0;
}

static int jvalue(jr *j, int depth);

static int jcontainer(jr *j, int depth)
{
    char close = *j->p == '{' ? '}' : ']';
    int obj = close == '}';
    if (depth > 32)
        return jfail(j, "the JSON is nested too deeply");
    j->p++;
    jws(j);
    if (*j->p == close) {
        j->p++;
        return 0;
    }
    for (;;) {
        if (obj) {
            if (*j->p != '"' || jstring(j, NULL) != 0)
                return jfail(j, "an object key is not a string");
            jws(j);
            if (*j->p++ != ':')
                return jfail(j, "an object key is not followed by ':'");
            jws(j);
        }
        if (jvalue(j, depth + 1) != 0)
            return -1;
        jws(j);
        if (*j->p == close) {
            j->p++;
            return 0;
        }
        if (*j->p++ != ',')
            return jfail(j, "items are not separated by ','");
        jws(j);
    }
}

static int jvalue(jr *j, int depth)
{
    const char *p = j->p;
    if (*p == '"') return jstring(j, NULL);
    if (*p == '{' || *p == '[') return jcontainer(j, depth);
    if (strncmp(p, "true", 4) == 0) { j->p += 4; return 0; }
    if (strncmp(p, "false", 5) == 0) { j->p += 5; return 0; }
    if (strncmp(p, "null", 4) == 0) { j->p += 4; return 0; }
    return jnumber(j);
}

/* Parse a JSON object body into fs. Returns NULL, or what is wrong. */
static const char *parse_json(const char *body, fields *fs)
{
    jr j = { body, NULL };
    jws(&j);
    if (*j.p != '{')
        return NOT_OBJECT;
    j.p++;
    jws(&j);
    if (*j.p == '}')
        j.p++;
    else for (;;) {
        char *k = NULL;
        if (*j.p != '"' || jstring(&j, &k) != 0)
            return j.err ? j.err : "an object key is not a string";
        int fi = field_index(k);
        free(k);
        jws(&j);
        if (*j.p++ != ':')
            return "an object key is not followed by ':'";
        jws(&j);
        const char *v0 = j.p;
        if (fi >= 0 && *v0 == '"') {
            char *v = NULL;
            if (jstring(&j, &v) != 0)
                return j.err;
            free(fs->v[fi]);
            fs->v[fi] = v;
        } else {
            if (jvalue(&j, 1) != 0)
                return j.err;
            if (fi >= 0) {
                free(fs->v[fi]);
                fs->v[fi] = NULL;
                fs->bad[fi] = *v0 == 't' || *v0 == 'f' || *v0 == '{' || *v0 == '[';
                if (*v0 == '-' || isdigit((unsigned char)*v0)) {
                    size_t n = (size_t)(j.p - v0);
                    if (!(fs->v[fi] = malloc(n + 1)))
                        return "out of memory";
                    memcpy(fs->v[fi], v0, n);
                    fs->v[fi][n] = '\0';
                }
            }
        }
        jws(&j);
        if (*j.p == '}') {
            j.p++;
            break;
        }
        if (*j.p++ != ',')
            return "fields are not separated by ','";
        jws(&j);
    }
    jws(&j);
    return *j.p ? "there is text after the JSON object" : NULL;
}

/* Parse an application/x-www-form-urlencoded body into fs. */
static const char *parse_form(const char *body, fields *fs)
{
    struct evkeyvalq q;
    q.tqh_first = NULL;
    q.tqh_last = &q.tqh_first;
    if (evhttp_parse_query_str(body, &q) != 0) {
        evhttp_clear_headers(&q);
        return "the form body is malformed (expected name=value pairs joined by '&')";
    }
    for (int i = 0; i < NF; i++) {
        const char *v = evhttp_find_header(&q, FIELD[i]);
        if (v && !(fs->v[i] = strdup(v))) {
            evhttp_clear_headers(&q);
            return "out of memory";
        }
    }
    evhttp_clear_headers(&q);
    return NULL;
}

/* A whole number of users from text. Returns 0, or a message in msg. */
static int users_value(const char *k, const char *v, int *out, char *msg, size_t n)
{
    char b[64];
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (!*v || isspace((unsigned char)*v) || *end || errno == ERANGE || !isfinite(x))
        snprintf(msg, n, "%s must be a whole number of users, got '%s'", k, shown(v, b, sizeof b));
    else if (x < 0)
        snprintf(msg, n, "%s must not be negative, got '%s'", k, shown(v, b, sizeof b));
    else if (x != floor(x))
        snprintf(msg, n, "%s must be a whole number of users, got '%s'", k, shown(v, b, sizeof b));
    else if (x > MAX_USERS)
        snprintf(msg, n, "%s must be at most %.0f, got '%s'", k, MAX_USERS, shown(v, b, sizeof b));
    else {
        *out = (int)x;
        return 0;
    }
    return -1;
}

static int rate_value(const char *k, const char *v, double *out, char *msg, size_t n)
{
    char b[64];
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (!*v || isspace((unsigned char)*v) || *end || errno == ERANGE || !isfinite(x))
        snprintf(msg, n, "%s must be a number of users per second, got '%s'", k, shown(v, b, sizeof b));
    else if (x <= 0)
        snprintf(msg, n, "%s must be greater than 0 users per second, got '%s'", k, shown(v, b, sizeof b));
    else if (x > MAX_RATE)
        snprintf(msg, n, "%s must be at most %.0f users per second, got '%s'", k, MAX_RATE, shown(v, b, sizeof b));
    else {
        *out = x;
        return 0;
    }
    return -1;
}

/* Check fs and fill a. Returns 0, or -1 with msg. */
static int swarm_args(const fields *fs, double default_rate, sw_swarm_args *a,
                      char *msg, size_t n)
{
    char b[64];
    for (int i = 0; i < NF; i++)
        if (fs->bad[i]) {
            snprintf(msg, n, "%s must be %s", FIELD[i], i >= F_HOST ? "a string" : "a number");
            return -1;
        }
    int ui = fs->v[F_USER_COUNT] ? F_USER_COUNT : F_LOCUST_COUNT;
    int ri = fs->v[F_SPAWN_RATE] ? F_SPAWN_RATE : F_HATCH_RATE;
    if (!fs->v[ui]) {
        snprintf(msg, n, "user_count is missing; send user_count (or locust_count) and "
                         "spawn_rate (or hatch_rate)");
        return -1;
    }
    if (users_value(FIELD[ui], fs->v[ui], &a->users, msg, n) != 0)
        return -1;
    a->rate = default_rate > 0 ? default_rate : 1;
    if (fs->v[ri] && rate_value(FIELD[ri], fs->v[ri], &a->rate, msg, n) != 0)
        return -1;
    const char *host = fs->v[F_HOST];
    if (host && *host) {
        if (strlen(host) > 2000 || !sw_cli_valid_url(host)) {
            snprintf(msg, n, "host must be a URL starting with http:// or https://, got '%s'",
                     shown(host, b, sizeof b));
            return -1;
        }
        if (!(a->host = strdup(host))) {
            snprintf(msg, n, "out of memory");
            return -1;
        }
    }
    const char *t = fs->v[F_RUN_TIME];
    if (t && *t && sw_cli_duration(t, &a->run_time_ms) != 0) {
        snprintf(msg, n, "run_time must be a duration such as 90, 30s, 5m or 1h30m, got '%s'",
                 shown(t, b, sizeof b));
        return -1;
    }
    return 0;
}

int sw_webreq_swarm(const char *body, size_t len, const char *content_type,
                    double default_rate, sw_swarm_args *out, char *msg, size_t msglen)
{
    memset(out, 0, sizeof *out);
    out->run_time_ms = -1;
    if (len == 0) {
        snprintf(msg, msglen, "the request body is empty; send user_count and spawn_rate "
                              "as a form or a JSON object");
        return -1;
    }
    if (memchr(body, '\0', len)) {
        snprintf(msg, msglen, "the request body holds a NUL byte");
        return -1;
    }
    char *text = malloc(len + 1);
    if (!text) {
        snprintf(msg, msglen, "out of memory");
        return -1;
    }
    memcpy(text, body, len);
    text[len] = '\0';
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    fields fs;
    memset(&fs, 0, sizeof fs);
    const char *err;
    const char *ct = content_type;
    int json = 0;
    if (ct && strncasecmp(ct, "multipart/", 10) == 0)
        err = "multipart bodies are not accepted; send a urlencoded form or JSON";
    else if ((json = (ct && strstr(ct, "json")) || *p == '{' || *p == '['))
        err = parse_json(text, &fs);
    else
        err = parse_form(text, &fs);
    int rc = -1;
    if (err && json && strcmp(err, NOT_OBJECT) != 0 && strcmp(err, "out of memory") != 0)
        snprintf(msg, msglen, "the JSON body is malformed: %s", err);
    else if (err)
        snprintf(msg, msglen, "%s", err);
    else
        rc = swarm_args(&fs, default_rate, out, msg, msglen);
    if (rc != 0)
        sw_webreq_free(out);
    fields_free(&fs);
    free(text);
    return rc;
}

void sw_webreq_free(sw_swarm_args *a)
{
    free(a->host);
    a->host = NULL;
}
