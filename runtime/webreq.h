/*
 * webreq.h -- reading the body of POST /swarm: a urlencoded form or a JSON
 * object with Locust's old and new field names (user_count / locust_count,
 * spawn_rate / hatch_rate) and the optional host, run_time and rate (the
 * open model's iterations per second). Pure
 * functions over bytes, so that every bad input can be tested without a
 * server (see docs/web-api.md for the rules).
 *
 * Ownership: sw_swarm_args.host is malloc'd and owned by the args;
 * sw_webreq_free releases it.
 */
#ifndef SW_WEBREQ_H
#define SW_WEBREQ_H

#include <stddef.h>

typedef struct sw_swarm_args {
    int users;                       /* >= 0 */
    double rate;                     /* > 0, users per second */
    char *host;                      /* a valid http(s) URL, or NULL (unchanged) */
    double run_time_ms;              /* >= 0, or -1 when not given */
    double arrival_rate;             /* "rate": open model iterations/s, or -1 (issue 10) */
} sw_swarm_args;

/* Parse body[0..len) (content_type may be NULL: the body's first byte
 * decides; '{' means JSON). default_rate is used when no rate is given.
 * Returns 0 with *out filled, or -1 with one sentence in msg saying what is
 * wrong (and *out empty). */
int sw_webreq_swarm(const char *body, size_t len, const char *content_type,
                    double default_rate, sw_swarm_args *out, char *msg, size_t msglen);
void sw_webreq_free(sw_swarm_args *a);

#endif /* SW_WEBREQ_H */
