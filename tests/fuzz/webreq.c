/*
 * webreq.c -- fuzz harness for what the web UI's server reads from a
 * request before acting on it: the body of POST /swarm (runtime/webreq.c,
 * form or JSON) and the header checks of runtime/web.c (Basic auth, Origin
 * against Host, loopback addresses).
 *
 * Input: three lines, then the body (missing lines are empty):
 *     Content-Type value ("-": none, the body's first byte decides)
 *     a header value (tried as Authorization and as Origin)
 *     a Host value (also tried as a peer address)
 *     body...
 * Invariants (webreq.h): an accepted body gives users >= 0, a finite rate
 * > 0, run_time -1 or >= 0, a host NULL or an http(s) URL; a refused one
 * gives a non-empty message. (Schemes are case-insensitive: "HTTP://x" is
 * an http URL.)
 */
#include <math.h>
#include <strings.h>

#include "fuzz.h"

#include "web.h"
#include "webreq.h"

/* The next line of *p (up to '\n' or the end), NUL-terminated in place. */
static char *line(char **p, char *end)
{
    char *s = *p, *nl;
    if (s >= end)
        return "";
    nl = memchr(s, '\n', (size_t)(end - s));
    if (!nl)
        nl = end;
    *nl = '\0';
    *p = nl < end ? nl + 1 : end;
    return s;
}

static void fz_one(char *in, size_t len)
{
    char *p = in, *end = in + len;
    char *ctype = line(&p, end);
    char *header = line(&p, end);
    char *host = line(&p, end);
    sw_swarm_args a;
    char msg[256];

    memset(&a, 0, sizeof a);
    msg[0] = '\0';
    int rc = sw_webreq_swarm(p, (size_t)(end - p), strcmp(ctype, "-") ? ctype : NULL,
                             1.0, &a, msg, sizeof msg);
    if (rc == 0) {
        fz_assert(a.users >= 0);
        fz_assert(isfinite(a.rate) && a.rate > 0);
        fz_assert(a.run_time_ms == -1 || (isfinite(a.run_time_ms) && a.run_time_ms >= 0));
        fz_assert(!a.host || strncasecmp(a.host, "http://", 7) == 0
                  || strncasecmp(a.host, "https://", 8) == 0);
    } else {
        fz_assert(rc == -1 && msg[0] != '\0');
    }
    sw_webreq_free(&a);

    char *token = sw_web_auth_token("user:pa:ss");
    if (token) {
        (void)sw_web_auth_match(header, token);
        char good[128];
        snprintf(good, sizeof good, "Basic %s", token);
        fz_assert(sw_web_auth_match(good, token));
        fz_assert(!sw_web_auth_match("", token));
        free(token);
    }
    (void)sw_web_same_origin(header, host);
    (void)sw_web_is_loopback(host);
}
