/*
 * tstats.c -- the demo target's counters, user table and things.
 * See tstats.h. Everything is bounded: the user table and the thing table
 * stop growing at a fixed size instead of exhausting memory.
 */
#include "tstats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>

#define TS_MAX_USERS   100000      /* distinct X-User-Id values remembered */
#define TS_MAX_USERLEN 128         /* longer ids are cut to this length */
#define TS_MAX_THINGS  10000000    /* things created before POST answers 503 */
#define TS_MAX_STATUS  1000        /* statuses counted: 0 .. 999 */

typedef struct ts_user {
    char *id;                      /* owned, NUL-terminated; NULL = empty slot */
    double first_seen;             /* Unix seconds */
} ts_user;

typedef struct ts_thing {
    double created_ms;             /* monotonic ms at creation */
    unsigned char ends_error;      /* final status is ERROR, not ACTIVE */
    unsigned char seen_active;     /* GET has reported it ACTIVE */
} ts_thing;

static struct {
    double active_delay_ms;        /* PENDING -> final after this long */
    long error_every;              /* every Nth thing ends ERROR; 0 never */
    uint64_t requests[TS_NMETHODS][TS_NROUTES];  /* since the last reset */
    uint64_t statuses[TS_MAX_STATUS];            /* since the last reset */
    ts_user *users;                /* open addressing table, cap_users slots */
    size_t cap_users, nusers;
    ts_thing *things;              /* things[id - 1] */
    size_t cap_things, nthings;
    size_t things_base;            /* first index counted since the last reset */
    uint8_t peer_seen[65536 / 8];  /* client ports seen since the last reset */
    uint64_t peer_ports;           /* how many distinct ones */
} T;

static const char *const route_tpl[TS_NROUTES] = {
    "/", "/resources/{id}", "/things", "/things/{id}", "/login",
    "/status/{code}", "/delay/{ms}", "/garbage", "/echo", "/bytes/{n}", "(unmatched)"
};

static const char *const method_names[TS_NMETHODS] = {
    "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT",
    "PATCH", "OTHER"
};

const char *ts_route_template(ts_route r)
{
    return (r >= 0 && r < TS_NROUTES) ? route_tpl[r] : route_tpl[TS_R_OTHER];
}

const char *ts_method_name(int m)
{
    return (m >= 0 && m < TS_NMETHODS) ? method_names[m] : "OTHER";
}

double ts_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

double ts_wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int ts_init(double active_delay_ms, long error_every)
{
    memset(&T, 0, sizeof T);
    T.active_delay_ms = active_delay_ms;
    T.error_every = error_every;
    T.cap_users = 1024;
    T.users = calloc(T.cap_users, sizeof *T.users);
    return T.users ? 0 : -1;
}

static void users_clear(void)
{
    for (size_t i = 0; i < T.cap_users; i++) {
        free(T.users[i].id);
        T.users[i].id = NULL;
    }
    T.nusers = 0;
}

void ts_free(void)
{
    if (T.users)
        users_clear();
    free(T.users);
    free(T.things);
    memset(&T, 0, sizeof T);
}

/* FNV-1a over the id bytes. */
static size_t hash_str(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return (size_t)h;
}

/* The slot holding id, or the empty slot where it would go. */
static ts_user *users_slot(ts_user *tab, size_t cap, const char *id, size_t len)
{
    size_t i = hash_str(id, len) & (cap - 1);
    while (tab[i].id && !(strlen(tab[i].id) == len && memcmp(tab[i].id, id, len) == 0))
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

/* Double the table; returns -1 (table unchanged) when out of memory. */
static int users_grow(void)
{
    size_t ncap = T.cap_users * 2;
    ts_user *nt = calloc(ncap, sizeof *nt);
    if (!nt)
        return -1;
    for (size_t i = 0; i < T.cap_users; i++)
        if (T.users[i].id)
            *users_slot(nt, ncap, T.users[i].id, strlen(T.users[i].id)) = T.users[i];
    free(T.users);
    T.users = nt;
    T.cap_users = ncap;
    return 0;
}

static void users_see(const char *id)
{
    size_t len = strnlen(id, TS_MAX_USERLEN);
    ts_user *u = users_slot(T.users, T.cap_users, id, len);
    if (u->id || T.nusers >= TS_MAX_USERS)
        return;
    if ((T.nusers + 1) * 2 > T.cap_users) {   /* keep the load under 1/2 */
        if (users_grow() < 0)
            return;
        u = users_slot(T.users, T.cap_users, id, len);
    }
    u->id = malloc(len + 1);
    if (!u->id)
        return;
    memcpy(u->id, id, len);
    u->id[len] = '\0';
    u->first_seen = ts_wall_s();
    T.nusers++;
}

void ts_count_request(int method, ts_route r, const char *user_id)
{
    if (method < 0 || method >= TS_NMETHODS)
        method = TS_NMETHODS - 1;
    if (r < 0 || r >= TS_NROUTES)
        r = TS_R_OTHER;
    T.requests[method][r]++;
    if (user_id && *user_id)
        users_see(user_id);
}

void ts_count_status(int status)
{
    if (status >= 0 && status < TS_MAX_STATUS)
        T.statuses[status]++;
}

int64_t ts_thing_create(void)
{
    if (T.nthings >= TS_MAX_THINGS)
        return 0;
    if (T.nthings == T.cap_things) {
        size_t ncap = T.cap_things ? T.cap_things * 2 : 256;
        ts_thing *nt = realloc(T.things, ncap * sizeof *nt);
        if (!nt)
            return 0;
        T.things = nt;
        T.cap_things = ncap;
    }
    int64_t id = (int64_t)T.nthings + 1;
    ts_thing *t = &T.things[T.nthings++];
    t->created_ms = ts_mono_ms();
    t->ends_error = T.error_every > 0 && id % T.error_every == 0;
    t->seen_active = 0;
    return id;
}

static ts_tstatus thing_now(const ts_thing *t, double now_ms)
{
    if (now_ms - t->created_ms < T.active_delay_ms)
        return TS_PENDING;
    return t->ends_error ? TS_ERROR : TS_ACTIVE;
}

int ts_thing_status(int64_t id, ts_tstatus *out)
{
    if (id < 1 || (uint64_t)id > T.nthings)
        return -1;
    ts_thing *t = &T.things[id - 1];
    *out = thing_now(t, ts_mono_ms());
    if (*out == TS_ACTIVE)
        t->seen_active = 1;
    return 0;
}

const char *ts_thing_status_name(ts_tstatus st)
{
    switch (st) {
    case TS_ACTIVE: return "ACTIVE";
    case TS_ERROR: return "ERROR";
    default: return "PENDING";
    }
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len;
    uint32_t cp;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) { len = 2; cp = s[0] & 0x1F; }
    else if (s[0] >= 0xE0 && s[0] <= 0xEF) { len = 3; cp = s[0] & 0x0F; }
    else if (s[0] >= 0xF0 && s[0] <= 0xF4) { len = 4; cp = s[0] & 0x07; }
    else return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
        || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return len;
}

void ts_json_str(struct evbuffer *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    evbuffer_add(out, "\"", 1);
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        size_t n;
        if (c == '"' || c == '\\') {
            char esc[2] = { '\\', (char)c };
            evbuffer_add(out, esc, 2);
            i++;
        } else if (c == '\n') { evbuffer_add(out, "\\n", 2); i++; }
        else if (c == '\r') { evbuffer_add(out, "\\r", 2); i++; }
        else if (c == '\t') { evbuffer_add(out, "\\t", 2); i++; }
        else if (c < 0x20 || c == 0x7F || (n = utf8_len(p + i, len - i)) == 0) {
            evbuffer_add_printf(out, "\\u%04x", c);
            i++;
        } else {
            evbuffer_add(out, p + i, n);
            i += n;
        }
    }
    evbuffer_add(out, "\"", 1);
}

void ts_stats_json(struct evbuffer *out)
{
    const char *sep = "";
    evbuffer_add_printf(out, "{\"requests\": {");
    for (int m = 0; m < TS_NMETHODS; m++)
        for (int r = 0; r < TS_NROUTES; r++) {
            if (!T.requests[m][r])
                continue;
            evbuffer_add_printf(out, "%s\"%s %s\": %llu", sep, method_names[m],
                                route_tpl[r], (unsigned long long)T.requests[m][r]);
            sep = ", ";
        }
    evbuffer_add_printf(out, "}, \"statuses\": {");
    sep = "";
    for (int st = 0; st < TS_MAX_STATUS; st++) {
        if (!T.statuses[st])
            continue;
        evbuffer_add_printf(out, "%s\"%d\": %llu", sep, st, (unsigned long long)T.statuses[st]);
        sep = ", ";
    }
    evbuffer_add_printf(out, "}, \"users\": {");
    sep = "";
    for (size_t i = 0; i < T.cap_users; i++) {
        if (!T.users[i].id)
            continue;
        evbuffer_add_printf(out, "%s", sep);
        ts_json_str(out, T.users[i].id, strlen(T.users[i].id));
        evbuffer_add_printf(out, ": %.6f", T.users[i].first_seen);
        sep = ", ";
    }
    uint64_t active = 0, error = 0, seen = 0;
    double now = ts_mono_ms();
    for (size_t i = T.things_base; i < T.nthings; i++) {
        ts_tstatus st = thing_now(&T.things[i], now);
        active += st == TS_ACTIVE;
        error += st == TS_ERROR;
        seen += T.things[i].seen_active;
    }
    evbuffer_add_printf(out, "}, \"things\": {\"created\": %llu, \"active\": %llu, "
                        "\"error\": %llu, \"seen_active\": %llu}, \"peer_ports\": %llu}\n",
                        (unsigned long long)(T.nthings - T.things_base),
                        (unsigned long long)active, (unsigned long long)error,
                        (unsigned long long)seen, (unsigned long long)T.peer_ports);
}

void ts_count_peer(unsigned port)
{
    port &= 0xffff;
    uint8_t bit = (uint8_t)(1u << (port & 7));
    if (!(T.peer_seen[port >> 3] & bit)) {
        T.peer_seen[port >> 3] |= bit;
        T.peer_ports++;
    }
}

void ts_reset(void)
{
    memset(T.peer_seen, 0, sizeof T.peer_seen);
    T.peer_ports = 0;
    memset(T.requests, 0, sizeof T.requests);
    memset(T.statuses, 0, sizeof T.statuses);
    users_clear();
    T.things_base = T.nthings;
}
