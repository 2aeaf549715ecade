/*
 * test_msg.c -- the cluster's wire format: envelope round trip and
 * validation (msg.c), the stats report (wstats.c) shipped and merged
 * exactly (the merged histogram is bit-for-bit the histogram of every
 * sample), Locust's bucket rounding, and a mutation fuzz of the decoder and
 * the report loader (SWARM_FUZZ_ITERS=N for a longer run; the default is
 * short enough for make check). A crash or sanitizer report fails it.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hist.h"
#include "msg.h"
#include "stats.h"
#include "wstats.h"

static uint64_t rs = 0x243F6A8885A308D3ull;
static uint64_t rnd(void)
{
    rs ^= rs >> 12; rs ^= rs << 25; rs ^= rs >> 27;
    return rs * 2685821657736338717ull;
}

/* A stats report of `st` as a whole message; caller frees with sw_msg_w_free. */
static void report_of(sw_msg_w *w, const sw_stats *st)
{
    const char *names[2] = { "A", "B" };
    int counts[2] = { 3, 1 };
    sw_msg_w_begin(w, "stats");
    sw_wstats_pack(&w->pk, st, names, counts, 2, 1);
    sw_msg_w_end(w, "host_0123456789abcdef0123456789abcdef");
}

static void fill(sw_stats *s, int n, uint64_t seed)
{
    rs = seed;
    for (int i = 0; i < n; i++) {
        uint64_t us = 50 + rnd() % 3000000;
        const char *name = (rnd() & 1) ? "/a" : "/b{id}";
        sw_stats_request(s, "GET", name, us, rnd() % 5000, (rnd() % 7 == 0) ? "HTTP 500" : NULL,
                         1796000000.0 + i / 100.0);
    }
    sw_stats_exception(s, "x.swarm:3:5", "division by zero");
}

static int load(sw_stats *dst, const void *buf, size_t len, char *why, size_t whylen)
{
    sw_msg m;
    if (sw_msg_decode(&m, buf, len, why, whylen) != 0)
        return -1;
    uint64_t users = 0;
    int swarm = 0;
    int rc = strcmp(m.type, "stats") == 0
                 ? sw_wstats_load(dst, m.data, &users, &swarm, why, whylen) : -1;
    sw_msg_free(&m);
    return rc;
}

static void test_envelope(void)
{
    char why[200];
    sw_msg_w w;
    sw_msg_w_begin(&w, "heartbeat");
    msgpack_pack_map(&w.pk, 2);
    sw_msg_kv_str(&w.pk, "state", "running");
    sw_msg_kv_dbl(&w.pk, "current_cpu_usage", 12.5);
    sw_msg_w_end(&w, "h_1");
    sw_msg m;
    CHECK(sw_msg_decode(&m, w.sb.data, w.sb.size, why, sizeof why) == 0, "a heartbeat decodes");
    double cpu = 0;
    const char *s = NULL;
    size_t n = 0;
    CHECK(strcmp(m.type, "heartbeat") == 0 && strcmp(m.node_id, "h_1") == 0, "type and node id");
    CHECK(sw_msg_num(sw_msg_get(m.data, "current_cpu_usage"), &cpu) == 0 && cpu == 12.5, "a float field");
    CHECK(sw_msg_str(sw_msg_get(m.data, "state"), &s, &n) == 0 && n == 7, "a str field");
    CHECK(sw_msg_get(m.data, "nope") == NULL, "an absent key is NULL");
    sw_msg_free(&m);
    /* trailing byte, truncation */
    char *buf = malloc(w.sb.size + 1);
    memcpy(buf, w.sb.data, w.sb.size);
    buf[w.sb.size] = 0;
    CHECK(sw_msg_decode(&m, buf, w.sb.size + 1, why, sizeof why) != 0, "a trailing byte is refused (%s)", why);
    CHECK(sw_msg_decode(&m, buf, w.sb.size - 1, why, sizeof why) != 0, "a truncated frame is refused (%s)", why);
    free(buf);
    sw_msg_w_free(&w);

    static const unsigned char claims[] = { 0x93, 0xa1, 'x', 0xdd, 0xff, 0xff, 0xff, 0xff };
    CHECK(sw_msg_scan(claims, sizeof claims, why, sizeof why) != 0,
          "an array claiming 4 billion elements in 4 bytes is refused before unpacking (%s)", why);
    static const unsigned char bin_type[] = { 0x93, 0xc4, 0x01, 'x', 0xc0, 0xa1, 'y' };
    CHECK(sw_msg_decode(&m, bin_type, sizeof bin_type, why, sizeof why) != 0,
          "a bin type instead of str is refused (%s)", why);
    static const unsigned char two[] = { 0x92, 0xa1, 'x', 0xc0 };
    CHECK(sw_msg_decode(&m, two, sizeof two, why, sizeof why) != 0, "an array of 2 is refused (%s)", why);
    static const unsigned char c1[] = { 0x93, 0xc1, 0xc0, 0xa1, 'y' };
    CHECK(sw_msg_scan(c1, sizeof c1, why, sizeof why) != 0, "the reserved byte 0xc1 is refused");
    unsigned char deep[64];
    for (int i = 0; i < 63; i++)
        deep[i] = 0x91;
    deep[63] = 0xc0;
    CHECK(sw_msg_scan(deep, sizeof deep, why, sizeof why) != 0, "nesting 63 deep is refused (%s)", why);
    static const unsigned char empty_id[] = { 0x93, 0xa1, 'x', 0xc0, 0xa0 };
    CHECK(sw_msg_decode(&m, empty_id, sizeof empty_id, why, sizeof why) != 0, "an empty node id is refused");
}

static void test_buckets(void)
{
    CHECK(sw_wstats_locust_bucket(125) == 120 && sw_wstats_locust_bucket(135) == 140,
          "Locust's buckets round halves to even (125 -> 120, 135 -> 140)");
    CHECK(sw_wstats_locust_bucket(99.4) == 99 && sw_wstats_locust_bucket(147) == 150
          && sw_wstats_locust_bucket(3432) == 3400 && sw_wstats_locust_bucket(58760) == 59000,
          "1 ms under 100 ms, 10 ms under 1 s, 100 ms under 10 s, 1 s above");
}

/* Two slaves' deltas shipped and merged == one process holding every sample. */
static void test_exact_merge(void)
{
    char why[200];
    sw_stats *a = sw_stats_new(), *b = sw_stats_new(), *all = sw_stats_new(), *m = sw_stats_new();
    fill(a, 3000, 1);
    fill(b, 2000, 2);
    fill(all, 3000, 1);
    fill(all, 2000, 2);
    sw_stats *da = sw_stats_delta(a), *db = sw_stats_delta(b);
    sw_msg_w wa, wb;
    report_of(&wa, da);
    report_of(&wb, db);
    int ra = load(m, wa.sb.data, wa.sb.size, why, sizeof why);
    int rb = load(m, wb.sb.data, wb.sb.size, why, sizeof why);
    CHECK(ra == 0 && rb == 0, "both reports load (%s)", ra || rb ? why : "ok");
    CHECK(sw_stats_total_requests(m) == 5000 && sw_stats_total_failures(m) == sw_stats_total_failures(all),
          "merged counts equal the single process's (%" PRIu64 ")", sw_stats_total_requests(m));
    CHECK(sw_stats_total_exceptions(m) == 2, "exceptions travel with their counts");
    sw_stats_info im, ia;
    sw_stats_entry_info(sw_stats_aggregated(m), &im);
    sw_stats_entry_info(sw_stats_aggregated(all), &ia);
    CHECK(sw_hist_equal(im.hist, ia.hist), "the merged Aggregated histogram is bit-for-bit the single one");
    CHECK(im.total_us == ia.total_us && im.min_us == ia.min_us && im.max_us == ia.max_us,
          "exact sums and extremes");
    int same = 1;
    for (int k = 0; k < SW_STATS_NPCT; k++)
        same &= sw_stats_percentile_ms(sw_stats_aggregated(m), sw_stats_pcts[k])
                == sw_stats_percentile_ms(sw_stats_aggregated(all), sw_stats_pcts[k]);
    CHECK(same, "every reported percentile equals the single process's");
    const sw_stats_entry *ea = sw_stats_find(m, "GET", "/b{id}"), *eb = sw_stats_find(all, "GET", "/b{id}");
    sw_stats_entry_info(ea, &im);
    sw_stats_entry_info(eb, &ia);
    CHECK(ea && im.num_requests == ia.num_requests && sw_hist_equal(im.hist, ia.hist),
          "per-entry histograms merge exactly too");
    sw_msg_w_free(&wa);
    sw_msg_w_free(&wb);
    sw_stats_free(da); sw_stats_free(db);
    sw_stats_free(a); sw_stats_free(b); sw_stats_free(all); sw_stats_free(m);
}

/* Mutations of valid messages: flips, truncations, splices, random bytes. */
static void test_fuzz(void)
{
    long iters = 20000;
    const char *e = getenv("SWARM_FUZZ_ITERS");
    if (e && atol(e) > 0)
        iters = atol(e);
    sw_stats *s = sw_stats_new(), *dst = sw_stats_new();
    fill(s, 200, 7);
    sw_stats *d = sw_stats_delta(s);
    sw_msg_w w;
    report_of(&w, d);
    size_t n0 = w.sb.size;
    unsigned char *buf = malloc(n0 + 64);
    char why[200];
    long ok = 0;
    rs = 99;
    for (long i = 0; i < iters; i++) {
        size_t n = n0;
        memcpy(buf, w.sb.data, n0);
        int kind = (int)(rnd() % 5);
        int edits = 1 + (int)(rnd() % 8);
        for (int k = 0; k < edits; k++) {
            size_t at = (size_t)(rnd() % n);
            switch (kind) {
            case 0: buf[at] ^= (unsigned char)(1u << (rnd() % 8)); break;
            case 1: buf[at] = (unsigned char)rnd(); break;
            case 2: n = at + 1; break;
            case 3: buf[at] = (unsigned char[]){ 0xc0, 0xc4, 0xdd, 0xdf, 0xcb, 0xa0, 0xff, 0x7f }[rnd() % 8]; break;
            default: {
                size_t from = (size_t)(rnd() % n0), len = (size_t)(rnd() % 16);
                if (at + len <= n && from + len <= n0)
                    memcpy(buf + at, (const unsigned char *)w.sb.data + from, len);
            }
            }
        }
        if (load(dst, buf, n, why, sizeof why) == 0)
            ok++;
    }
    CHECK(1, "fuzz: %ld mutated reports decoded without a crash (%ld still valid)", iters, ok);
    sw_msg_w_free(&w);
    free(buf);
    sw_stats_free(d);
    sw_stats_free(s);
    sw_stats_free(dst);
}

int main(void)
{
    test_envelope();
    test_buckets();
    test_exact_merge();
    test_fuzz();
    return CHECK_DONE();
}
