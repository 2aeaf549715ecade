/*
 * test_clx.c -- the `swarm_report` a Swarm slave sends its master (clx.c):
 * cancelled rows and open-model counters travel as deltas (a second report
 * with nothing new adds nothing), the self-check figures land in the
 * node, and a malformed report is refused whole (nothing added). The same
 * process plays both sides: pack takes the rows out of the table, load
 * puts them back.
 */
#include <stdio.h>
#include <string.h>

#include "arrival.h"
#include "cancelled.h"
#include "check.h"
#include "clx.h"
#include "msg.h"

/* Pack a report of the process's tables now. */
static void pack(sw_msg_w *w)
{
    sw_msg_w_begin(w, SW_CLX_TYPE);
    sw_clx_pack(&w->pk);
    sw_msg_w_end(w, "host_0123456789abcdef0123456789abcdef");
}

static int load(const sw_msg_w *w, sw_clx_node *n, char *why, size_t whylen)
{
    sw_msg m;
    if (sw_msg_decode(&m, w->sb.data, w->sb.size, why, whylen) != 0)
        return -1;
    int rc = sw_clx_load(m.data, n, why, whylen);
    sw_msg_free(&m);
    return rc;
}

/* A report whose data map is built by hand: cancelled rows as given. */
static void bad_report(sw_msg_w *w, int variant)
{
    sw_msg_w_begin(w, SW_CLX_TYPE);
    msgpack_packer *pk = &w->pk;
    msgpack_pack_map(pk, 3);
    sw_msg_pack_str(pk, "cancelled");
    msgpack_pack_array(pk, 2);
    msgpack_pack_array(pk, 3);                       /* a good row first */
    sw_msg_pack_str(pk, "GET");
    sw_msg_pack_str(pk, "/good");
    msgpack_pack_uint64(pk, 5);
    msgpack_pack_array(pk, 3);
    sw_msg_pack_str(pk, "GET");
    sw_msg_pack_str(pk, "/bad");
    if (variant == 0)
        msgpack_pack_int64(pk, -1);                  /* a negative count */
    else
        msgpack_pack_uint64(pk, 1);
    sw_msg_pack_str(pk, "arrival");
    msgpack_pack_nil(pk);
    sw_msg_pack_str(pk, "self_check");
    msgpack_pack_map(pk, 5);
    sw_msg_kv_dbl(pk, "lag_p99_ms", 1);
    sw_msg_kv_dbl(pk, "lag_max_ms", variant == 1 ? -3 : 2);   /* a negative lag */
    sw_msg_kv_dbl(pk, "cpu_max_percent", 50);
    sw_msg_pack_str(pk, "overloaded");
    msgpack_pack_false(pk);
    sw_msg_kv_dbl(pk, "max_lag_ms", 0);
    sw_msg_w_end(w, "host_0123456789abcdef0123456789abcdef");
}

int main(void)
{
    char why[200];
    sw_clx_node node;
    memset(&node, 0, sizeof node);

    /* the slave side: three cancelled requests and an open model */
    sw_cancel_add("GET", "/slow", 2);
    sw_cancel_add("POST", "/things", 1);
    sw_arr_configure(50, 0);
    sw_msg_w w;
    pack(&w);
    CHECK(sw_cancel_total() == 0, "packing takes the cancelled rows out of the slave's table");
    /* the master side */
    CHECK(load(&w, &node, why, sizeof why) == 0, "a report loads (%s)", why);
    sw_msg_w_free(&w);
    CHECK(sw_cancel_total() == 3 && sw_cancel_get("GET", "/slow") == 2
              && sw_cancel_get("POST", "/things") == 1,
          "the master counts every cancelled row, per entry");
    CHECK(!node.overloaded && node.lag_max_ms == 0, "the self-check figures land in the node");

    /* a second report with nothing new adds nothing */
    sw_cancel_reset();
    sw_cancel_add("GET", "/slow", 2);
    pack(&w);
    sw_cancel_reset();
    CHECK(load(&w, &node, why, sizeof why) == 0, "a second report loads");
    sw_msg_w_free(&w);
    pack(&w);
    CHECK(load(&w, &node, why, sizeof why) == 0, "an empty report loads");
    sw_msg_w_free(&w);
    CHECK(sw_cancel_total() == 2, "deltas: rows already sent are not sent twice (%llu)",
          (unsigned long long)sw_cancel_total());

    /* open-model counters merge as deltas and maxima */
    sw_arr_stats a;
    memset(&a, 0, sizeof a);
    a.started = 7;
    a.dropped = 2;
    a.max_wait_ms = 12.5;
    sw_arr_merge(&a);
    sw_arr_merge(&a);
    sw_arr_stats got;
    sw_arr_get(&got);
    CHECK(got.started == 14 && got.dropped == 4 && got.max_wait_ms == 12.5,
          "arrival counters add up, the longest wait is a maximum");

    /* malformed: refused whole */
    sw_cancel_reset();
    for (int v = 0; v < 2; v++) {
        bad_report(&w, v);
        why[0] = '\0';
        CHECK(load(&w, &node, why, sizeof why) != 0 && why[0],
              "a malformed report is refused (%s)", why);
        sw_msg_w_free(&w);
        CHECK(sw_cancel_total() == 0, "... and nothing of it is added");
    }
    bad_report(&w, 2);
    node.lag_max_ms = node.cpu_max_percent = -1;     /* sentinels: load must overwrite */
    node.overloaded = 1;
    CHECK(load(&w, &node, why, sizeof why) == 0 && sw_cancel_total() == 6,
          "the same report, well formed, adds its rows");
    CHECK(node.lag_max_ms == 2 && node.lag_p99_ms == 1 && node.cpu_max_percent == 50
              && !node.overloaded,
          "... and its self-check figures replace the node's");
    sw_msg_w_free(&w);

    sw_cancel_free();
    sw_arr_free();
    return CHECK_DONE();
}
