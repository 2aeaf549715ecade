/*
 * clx.c -- the `swarm_report` message (see clx.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrival.h"
#include "cancelled.h"
#include "clx.h"
#include "selfcheck.h"

static sw_arr_stats SENT;          /* arrival counters already reported */

/* now - before for a counter that a reset may have brought back to 0. */
static uint64_t delta(uint64_t now, uint64_t before)
{
    return now >= before ? now - before : now;
}

static void pack_u64(msgpack_packer *pk, const char *k, uint64_t v)
{
    sw_msg_pack_str(pk, k);
    msgpack_pack_uint64(pk, v);
}

void sw_clx_pack(msgpack_packer *pk)
{
    msgpack_pack_map(pk, 3);
    sw_cancel_row *rows = NULL;
    size_t n = sw_cancel_list(&rows);
    sw_msg_pack_str(pk, "cancelled");
    msgpack_pack_array(pk, n);
    for (size_t i = 0; i < n; i++) {
        msgpack_pack_array(pk, 3);
        sw_msg_pack_str(pk, rows[i].method);
        sw_msg_pack_str(pk, rows[i].name);
        msgpack_pack_uint64(pk, rows[i].count);
    }
    free(rows);
    sw_cancel_reset();              /* sent: the master counts them from now on */

    sw_msg_pack_str(pk, "arrival");
    if (!sw_arr_enabled()) {
        msgpack_pack_nil(pk);
    } else {
        sw_arr_stats a;
        sw_arr_get(&a);
        msgpack_pack_map(pk, 6);
        pack_u64(pk, "started", delta(a.started, SENT.started));
        pack_u64(pk, "waited", delta(a.waited, SENT.waited));
        pack_u64(pk, "dropped", delta(a.dropped, SENT.dropped));
        pack_u64(pk, "not_started", delta(a.not_started, SENT.not_started));
        sw_msg_kv_dbl(pk, "max_wait_ms", a.max_wait_ms);
        pack_u64(pk, "max_backlog", a.max_backlog);
        SENT = a;
    }

    sw_self_stats s;
    sw_self_get(&s);
    sw_msg_pack_str(pk, "self_check");
    msgpack_pack_map(pk, 5);
    sw_msg_kv_dbl(pk, "lag_p99_ms", s.lag_p99_ms);
    sw_msg_kv_dbl(pk, "lag_max_ms", s.lag_max_ms);
    sw_msg_kv_dbl(pk, "cpu_max_percent", s.cpu_max_percent);
    sw_msg_pack_str(pk, "overloaded");
    if (s.overloaded)
        msgpack_pack_true(pk);
    else
        msgpack_pack_false(pk);
    sw_msg_kv_dbl(pk, "max_lag_ms", s.own_delay_ms);
}

static int fail(char *why, size_t n, const char *what)
{
    snprintf(why, n, "%s", what);
    return -1;
}

/* A finite number >= 0 (and below 1e12: a day of milliseconds is 8.6e7). */
static int get_num(const msgpack_object *m, const char *k, double *v)
{
    return sw_msg_num(sw_msg_get(m, k), v) == 0 && *v >= 0 && *v < 1e12 ? 0 : -1;
}

/* The cancelled rows: checked (dry) or added. */
static int load_cancelled(const msgpack_object *c, int dry, char *why, size_t whylen)
{
    if (!c || c->type != MSGPACK_OBJECT_ARRAY)
        return fail(why, whylen, "a swarm_report without a cancelled array");
    for (uint32_t i = 0; i < c->via.array.size; i++) {
        const msgpack_object *r = &c->via.array.ptr[i];
        const char *m, *nm;
        size_t ml, nl;
        uint64_t k;
        if (r->type != MSGPACK_OBJECT_ARRAY || r->via.array.size != 3
            || sw_msg_str(&r->via.array.ptr[0], &m, &ml) < 0 || ml > 63
            || sw_msg_str(&r->via.array.ptr[1], &nm, &nl) < 0 || nl > 1023
            || sw_msg_u64(&r->via.array.ptr[2], &k) < 0 || k > (1ULL << 48)
            || memchr(m, 0, ml) || memchr(nm, 0, nl))
            return fail(why, whylen, "a cancelled row of a swarm_report is malformed");
        if (dry)
            continue;
        char method[64], name[1024];
        memcpy(method, m, ml);
        method[ml] = '\0';
        memcpy(name, nm, nl);
        name[nl] = '\0';
        sw_cancel_add(method, name, k);
    }
    return 0;
}

int sw_clx_load(const msgpack_object *d, sw_clx_node *n, char *why, size_t whylen)
{
    if (!d || d->type != MSGPACK_OBJECT_MAP)
        return fail(why, whylen, "a swarm_report that is not a map");
    if (load_cancelled(sw_msg_get(d, "cancelled"), 1, why, whylen) < 0)
        return -1;
    const msgpack_object *a = sw_msg_get(d, "arrival");
    sw_arr_stats as;
    memset(&as, 0, sizeof as);
    if (a && !sw_msg_is_nil(a)) {
        uint64_t max_backlog;
        if (sw_msg_u64(sw_msg_get(a, "started"), &as.started) < 0
            || sw_msg_u64(sw_msg_get(a, "waited"), &as.waited) < 0
            || sw_msg_u64(sw_msg_get(a, "dropped"), &as.dropped) < 0
            || sw_msg_u64(sw_msg_get(a, "not_started"), &as.not_started) < 0
            || get_num(a, "max_wait_ms", &as.max_wait_ms) < 0
            || sw_msg_u64(sw_msg_get(a, "max_backlog"), &max_backlog) < 0)
            return fail(why, whylen, "the arrival map of a swarm_report is malformed");
        as.max_backlog = (size_t)max_backlog;
    }
    const msgpack_object *s = sw_msg_get(d, "self_check");
    const msgpack_object *ov = sw_msg_get(s, "overloaded");
    sw_clx_node got;
    memset(&got, 0, sizeof got);
    if (get_num(s, "lag_p99_ms", &got.lag_p99_ms) < 0
        || get_num(s, "lag_max_ms", &got.lag_max_ms) < 0
        || get_num(s, "cpu_max_percent", &got.cpu_max_percent) < 0
        || get_num(s, "max_lag_ms", &got.own_delay_ms) < 0
        || !ov || ov->type != MSGPACK_OBJECT_BOOLEAN)
        return fail(why, whylen, "the self_check map of a swarm_report is malformed");
    got.overloaded = ov->via.boolean;
    /* checked: add */
    load_cancelled(sw_msg_get(d, "cancelled"), 0, why, whylen);
    sw_arr_merge(&as);
    got.arrival_rate = n->arrival_rate;
    *n = got;
    return 0;
}
