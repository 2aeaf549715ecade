/*
 * tstats.h -- what the demo target remembers: per-route request counters,
 * status counters, the users it has seen (X-User-Id -> first-seen time) and
 * the "things" created by POST /things.
 *
 * Ownership: one process-wide state inside tstats.c, created by ts_init and
 * released by ts_free. Callers pass borrowed C strings; what must be kept is
 * copied. Output goes into the caller's evbuffer.
 */
#ifndef TSTATS_H
#define TSTATS_H

#include <stddef.h>
#include <stdint.h>

/* Route templates, as reported by GET /__stats ("GET /things/{id}"). */
typedef enum ts_route {
    TS_R_ROOT,          /* /                */
    TS_R_RESOURCE,      /* /resources/{id}  */
    TS_R_THINGS,        /* /things          */
    TS_R_THING,         /* /things/{id}     */
    TS_R_LOGIN,         /* /login           */
    TS_R_STATUS,        /* /status/{code}   */
    TS_R_DELAY,         /* /delay/{ms}      */
    TS_R_GARBAGE,       /* /garbage         */
    TS_R_ECHO,          /* /echo            */
    TS_R_BYTES,         /* /bytes/{n}       */
    TS_R_OTHER,         /* anything else    */
    TS_NROUTES
} ts_route;

/* Methods: index i is evhttp's method bit 1 << i; the last is "OTHER". */
enum { TS_M_GET = 0, TS_M_POST = 1, TS_M_HEAD = 2, TS_NMETHODS = 10 };

typedef enum ts_tstatus { TS_PENDING, TS_ACTIVE, TS_ERROR } ts_tstatus;

/* Set up empty state. active_delay_ms: time until a thing is final;
 * error_every: every Nth thing ends in ERROR (0: never). Returns 0 or -1. */
int ts_init(double active_delay_ms, long error_every);
void ts_free(void);

const char *ts_route_template(ts_route r);
const char *ts_method_name(int m);

/* Count one request (method index, route) and its user id (NULL: none). */
void ts_count_request(int method, ts_route r, const char *user_id);
/* Count the client port of one request: /__stats reports how many distinct
 * ports (= client connections, on one client address) sent requests. */
void ts_count_peer(unsigned port);
/* Count one response status. */
void ts_count_status(int status);

/* Create a thing; returns its id (> 0), or 0 when the table is full. */
int64_t ts_thing_create(void);
/* Status of thing id now; returns -1 when there is no such thing. Marks the
 * thing as seen ACTIVE when it is reported ACTIVE. */
int ts_thing_status(int64_t id, ts_tstatus *out);
const char *ts_thing_status_name(ts_tstatus st);

/* Append the /__stats JSON document to out. */
struct evbuffer;
void ts_stats_json(struct evbuffer *out);
/* POST /__reset: forget counters, users and things created so far (ids keep
 * increasing). */
void ts_reset(void);

/* Monotonic and wall clocks, in ms and Unix seconds. */
double ts_mono_ms(void);
double ts_wall_s(void);

/* Append JSON-escaped bytes (valid UTF-8 kept, other bytes as \u00XX) to a
 * growing buffer, quotes included; used for every string the target writes
 * into JSON. */
void ts_json_str(struct evbuffer *out, const char *s, size_t len);

#endif /* TSTATS_H */
