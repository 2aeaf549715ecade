/*
 * webreq.c -- the body of POST /swarm (see webreq.h).
 *
 * JSON bodies go through the runtime's JSON module (json.h: strict RFC 8259,
 * here nested at most MAX_DEPTH deep); the fields it knows are read from
 * the parsed object, every other value is only validated. Form bodies go
 * through evhttp_parse_query_str ('+' and %XX decoded). Numbers may come as
 * JSON numbers or as strings; both are checked as text.
 */
#include "webreq.h"
#include "cli.h"
#include "json.h"
#include "rt.h"
#include "value.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#define NOT_OBJECT "the JSON body is not an object"
#define MAX_DEPTH 32                 /* containers nested inside the body's object */

/* A value shown inside a message: at most 40 bytes. */
static const char *shown(const char *v, char *buf, size_t n)
{
    snprintf(buf, n, "%.40s%s", v, strlen(v) > 40 ? "..." : "");
    return buf;
}

/* The fields POST /swarm reads; both spellings of each. */
enum { F_USER_COUNT, F_LOCUST_COUNT, F_SPAWN_RATE, F_HATCH_RATE, F_RATE, F_HOST, F_RUN_TIME, NF };
static const char *const FIELD[NF] = {
    "user_count", "locust_count", "spawn_rate", "hatch_rate", "rate", "host", "run_time" };

typedef struct fields {
    char *v[NF];                     /* owned text; NULL when absent or null */
    int bad[NF];                     /* JSON: given as true/false/object/array */
} fields;

static void fields_free(fields *fs)
{
    for (int i = 0; i < NF; i++)
        free(fs->v[i]);
}

/* Keep field i of a JSON body from v (consumed): strings as they are,
 * numbers as text (they are checked as form values are), null as absent,
 * anything else marked bad. Returns NULL, or what is wrong. */
static const char *take_field(fields *fs, int i, sw_val v)
{
    char num[40];
    const char *text = NULL, *err = NULL;
    free(fs->v[i]);
    fs->v[i] = NULL;
    fs->bad[i] = 0;
    switch (v.t) {
    case SW_T_NULL:
        break;
    case SW_T_STR:
        if (memchr(SW_AS_STR(v)->s, '\0', SW_AS_STR(v)->len))
            err = "a string holds \\u0000";
        text = SW_AS_STR(v)->s;
        break;
    case SW_T_INT:
        snprintf(num, sizeof num, "%" PRId64, v.u.i);
        text = num;
        break;
    case SW_T_FLOAT:                 /* 4e1 is 40; the text is then checked */
        if (v.u.f == floor(v.u.f) && fabs(v.u.f) < 1e15)
            snprintf(num, sizeof num, "%.0f", v.u.f);
        else
            snprintf(num, sizeof num, "%.17g", v.u.f);
        text = num;
        break;
    default:                         /* true, false, an object or an array */
        fs->bad[i] = 1;
        break;
    }
    if (text && !err && !(fs->v[i] = strdup(text)))
        err = "out of memory";
    sw_unref(v);
    return err;
}

/* Parse a JSON object body (text[0..len)) into fs. Returns NULL, or what is
 * wrong. */
static const char *parse_json(const char *text, size_t len, fields *fs)
{
    const char *err;
    sw_val root = sw_json_parse_why(sw_strn(text, len), MAX_DEPTH, &err);
    if (err)
        return err;
    if (root.t != SW_T_JSON || sw_json_kind(root.u.h) != SW_T_OBJ)
        err = NOT_OBJECT;
    for (int i = 0; i < NF && !err; i++)
        err = take_field(fs, i, sw_json_field(root.u.h, FIELD[i], strlen(FIELD[i])));
    sw_unref(root);
    return err;
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

/* A whole number of users from text (cli.h's rule: decimal digits,
 * 0..SW_MAX_USERS). Returns 0, or -1 with a message in msg. */
static int users_value(const char *k, const char *v, int *out, char *msg, size_t n)
{
    char b[64];
    switch (sw_cli_users_value(v, out)) {
    case SW_NUM_OK:
        return 0;
    case SW_NUM_NEGATIVE:
        snprintf(msg, n, "%s must not be negative, got '%s'", k, shown(v, b, sizeof b));
        break;
    case SW_NUM_HIGH:
        snprintf(msg, n, "%s must be at most %d, got '%s'", k, SW_MAX_USERS, shown(v, b, sizeof b));
        break;
    default:
        snprintf(msg, n, "%s must be a whole number of users in decimal digits (0 to %d), got '%s'",
                 k, SW_MAX_USERS, shown(v, b, sizeof b));
        break;
    }
    return -1;
}

/* Users per second from text (cli.h's rule: a plain decimal,
 * SW_MIN_RATE..SW_MAX_RATE). Returns 0, or -1 with a message in msg. */
static int rate_value(const char *k, const char *v, double *out, char *msg, size_t n)
{
    char b[64];
    switch (sw_cli_rate_value(v, out)) {
    case SW_NUM_OK:
        return 0;
    case SW_NUM_HIGH:
        snprintf(msg, n, "%s must be at most %g users per second, got '%s'", k, SW_MAX_RATE,
                 shown(v, b, sizeof b));
        break;
    case SW_NUM_LOW:
    case SW_NUM_NEGATIVE:
        snprintf(msg, n, "%s must be greater than 0 users per second (at least %g), got '%s'", k,
                 SW_MIN_RATE, shown(v, b, sizeof b));
        break;
    default:
        snprintf(msg, n, "%s must be a number of users per second written as a plain decimal "
                 "such as 2 or 0.5, got '%s'", k, shown(v, b, sizeof b));
        break;
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
    a->arrival_rate = -1;           /* issue 10: the open model's rate */
    if (fs->v[F_RATE] && *fs->v[F_RATE]) {
        char *end;
        errno = 0;
        double x = strtod(fs->v[F_RATE], &end);
        if (*end || errno == ERANGE || !isfinite(x) || x <= 0 || x > 1e7) {
            snprintf(msg, n, "rate must be a number of iterations per second greater than 0, "
                     "got '%s'", shown(fs->v[F_RATE], b, sizeof b));
            return -1;
        }
        a->arrival_rate = x;
    }
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
        err = parse_json(text, len, &fs);
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
