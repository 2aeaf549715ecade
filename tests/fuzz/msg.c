/*
 * msg.c -- fuzz harness for the cluster's message decoder (runtime/msg.c):
 * the input is one frame as it arrives from a peer. It is scanned,
 * decoded, and every reader the master and slave use is applied to the
 * data and to the values under the keys they look for.
 * Invariants (msg.h): a frame that decodes also passes the scan; a decoded
 * type and node id are NUL-terminated within their bounds; numbers read
 * are finite.
 */
#include <math.h>

#include "fuzz.h"

#include "msg.h"

/* Apply every reader to o (which may be NULL). */
static void read_all(const msgpack_object *o)
{
    const char *s;
    size_t n;
    double d;
    uint64_t u;
    (void)sw_msg_is_nil(o);
    (void)sw_msg_str(o, &s, &n);
    free(sw_msg_strdup(o));
    if (sw_msg_num(o, &d) == 0)
        fz_assert(isfinite(d));
    (void)sw_msg_u64(o, &u);
}

static void fz_one(char *data, size_t len)
{
    static const char *const keys[] = {
        "user_count", "spawn_rate", "host", "state", "current_cpu_usage",
        "stats", "stats_total", "errors", "num_requests", "response_times",
        "user_classes_count", "proto", "message", "",
    };
    char why[256];
    sw_msg m;
    int scanned = sw_msg_scan(data, len, why, sizeof why) == 0;
    if (sw_msg_decode(&m, data, len, why, sizeof why) != 0)
        return;
    fz_assert(scanned);
    fz_assert(memchr(m.type, '\0', sizeof m.type) != NULL);
    fz_assert(memchr(m.node_id, '\0', sizeof m.node_id) != NULL);
    read_all(m.data);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        read_all(sw_msg_get(m.data, keys[i]));
    sw_msg_free(&m);
}
