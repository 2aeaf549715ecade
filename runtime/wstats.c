/*
 * wstats.c -- encoding and loading the cluster's `stats` report (wstats.h).
 */
#include <fenv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hist.h"
#include "wstats.h"

#define MAX_SECS 64          /* per-second counters read from one entry */

uint64_t sw_wstats_locust_bucket(double ms)
{
    double scale = ms < 100 ? 1 : ms < 1000 ? 10 : ms < 10000 ? 100 : 1000;
    if (!(ms >= 0))
        return 0;
    if (ms > 1e15)
        return (uint64_t)1e15;
    return (uint64_t)(nearbyint(ms / scale) * scale);   /* FE_TONEAREST: halves to even */
}

/* ---- encoding -------------------------------------------------------- */

static void pack_counts(msgpack_packer *pk, const sw_stats_sec *secs, size_t n, int fails)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += (fails ? secs[i].fails : secs[i].reqs) != 0;
    msgpack_pack_map(pk, k);
    for (size_t i = 0; i < n; i++) {
        uint64_t c = fails ? secs[i].fails : secs[i].reqs;
        if (c) {
            msgpack_pack_int64(pk, secs[i].sec);
            msgpack_pack_uint64(pk, c);
        }
    }
}

/* Locust's {bucket_ms: count}: every histogram bucket's midpoint (clamped
 * to the exact extremes) rounded as Locust rounds one sample. Keys come
 * out non-decreasing, so equal keys are adjacent and summed. */
/* Locust's bucket key of histogram bucket idx: its middle, clamped to the
 * exact min/max, rounded as Locust rounds a response time. */
static uint64_t locust_key(const sw_hist *h, int idx)
{
    uint64_t lo = sw_hist_bucket_lo(idx), hi = sw_hist_bucket_hi(idx);
    uint64_t mid = lo + (hi - lo) / 2;
    if (mid < h->min)
        mid = h->min;
    if (mid > h->max)
        mid = h->max;
    return sw_wstats_locust_bucket((double)mid / 1000.0);
}

static void pack_locust_buckets(msgpack_packer *pk, const sw_hist *h)
{
    sw_hist_iter it;
    int idx;
    uint64_t cnt, last = UINT64_MAX;
    size_t n = 0;
    sw_hist_iter_init(&it);
    while (sw_hist_next(h, &it, &idx, &cnt)) {
        uint64_t key = locust_key(h, idx);
        n += key != last;
        last = key;
    }
    msgpack_pack_map(pk, n);
    last = UINT64_MAX;
    uint64_t sum = 0;
    sw_hist_iter_init(&it);
    while (sw_hist_next(h, &it, &idx, &cnt)) {
        uint64_t key = locust_key(h, idx);
        if (key != last && last != UINT64_MAX) {
            msgpack_pack_uint64(pk, last);
            msgpack_pack_uint64(pk, sum);
            sum = 0;
        }
        last = key;
        sum += cnt;
    }
    if (last != UINT64_MAX) {
        msgpack_pack_uint64(pk, last);
        msgpack_pack_uint64(pk, sum);
    }
}

static void pack_entry(msgpack_packer *pk, const sw_stats_entry *e, int aggregate, double now)
{
    sw_stats_info in;
    sw_stats_sec secs[SW_STATS_RING];
    sw_stats_entry_info(e, &in);
    size_t ns = sw_stats_entry_seconds(e, secs);
    msgpack_pack_map(pk, 15);
    sw_msg_kv_str(pk, "name", aggregate ? "Aggregated" : in.name);
    sw_msg_kv_str(pk, "method", aggregate ? "" : in.method);
    sw_msg_pack_str(pk, "last_request_timestamp");
    if (in.last_s > 0)
        msgpack_pack_double(pk, in.last_s);
    else
        msgpack_pack_nil(pk);
    sw_msg_kv_dbl(pk, "start_time", in.start_s > 0 ? in.start_s : now);
    sw_msg_kv_int(pk, "num_requests", (int64_t)in.num_requests);
    sw_msg_kv_int(pk, "num_none_requests", 0);
    sw_msg_kv_int(pk, "num_failures", (int64_t)in.num_failures);
    sw_msg_kv_dbl(pk, "total_response_time", (double)in.total_us / 1000.0);
    sw_msg_kv_dbl(pk, "max_response_time", (double)in.max_us / 1000.0);
    sw_msg_pack_str(pk, "min_response_time");
    if (in.num_requests)
        msgpack_pack_double(pk, (double)in.min_us / 1000.0);
    else
        msgpack_pack_nil(pk);
    sw_msg_kv_int(pk, "total_content_length", (int64_t)in.total_bytes);
    sw_msg_pack_str(pk, "response_times");
    pack_locust_buckets(pk, in.hist);
    sw_msg_pack_str(pk, "num_reqs_per_sec");
    pack_counts(pk, secs, ns, 0);
    sw_msg_pack_str(pk, "num_fail_per_sec");
    pack_counts(pk, secs, ns, 1);
    /* the exact histogram, for a Swarm master */
    sw_msg_pack_str(pk, "swarm_hist");
    msgpack_pack_map(pk, 4);
    sw_msg_kv_int(pk, "total_us", (int64_t)in.total_us);
    sw_msg_kv_int(pk, "min_us", (int64_t)in.min_us);
    sw_msg_kv_int(pk, "max_us", (int64_t)in.max_us);
    sw_msg_pack_str(pk, "b");
    sw_hist_iter it;
    int idx;
    uint64_t cnt;
    size_t nb = 0;
    sw_hist_iter_init(&it);
    while (sw_hist_next(in.hist, &it, &idx, &cnt))
        nb++;
    msgpack_pack_map(pk, nb);
    sw_hist_iter_init(&it);
    while (sw_hist_next(in.hist, &it, &idx, &cnt)) {
        msgpack_pack_int(pk, idx);
        msgpack_pack_uint64(pk, cnt);
    }
}

void sw_wstats_pack(msgpack_packer *pk, const sw_stats *d, const char *const *class_names,
                    const int *class_counts, int n, int with_exceptions)
{
    double now = 0;
    const sw_stats_entry **es = NULL;
    size_t ne = sw_stats_entries(d, &es);
    sw_stats_info in;
    msgpack_pack_map(pk, 6);
    sw_msg_pack_str(pk, "stats");
    size_t live = 0;
    for (size_t i = 0; i < ne; i++) {
        sw_stats_entry_info(es[i], &in);
        live += in.num_requests || in.num_failures;
        if (in.last_s > now)
            now = in.last_s;
    }
    if (now == 0)
        now = (double)time(NULL);
    msgpack_pack_array(pk, live);
    for (size_t i = 0; i < ne; i++) {
        sw_stats_entry_info(es[i], &in);
        if (in.num_requests || in.num_failures)
            pack_entry(pk, es[i], 0, now);
    }
    free(es);
    sw_msg_pack_str(pk, "stats_total");
    pack_entry(pk, sw_stats_aggregated(d), 1, now);

    sw_stats_error *errs = NULL;
    size_t nf = sw_stats_failures(d, &errs);
    sw_msg_pack_str(pk, "errors");
    msgpack_pack_map(pk, nf);
    for (size_t i = 0; i < nf; i++) {
        char key[40];                   /* stable per error, as Locust's */
        uint64_t hsh = 14695981039346656037ULL;
        const char *parts[3] = { errs[i].method, errs[i].name, errs[i].message };
        for (int k = 0; k < 3; k++) {
            for (const unsigned char *c = (const unsigned char *)(parts[k] ? parts[k] : ""); *c; c++)
                hsh = (hsh ^ *c) * 1099511628211ULL;
            hsh = (hsh ^ 0xffu) * 1099511628211ULL;
        }
        snprintf(key, sizeof key, "%016llx", (unsigned long long)hsh);
        sw_msg_pack_str(pk, key);
        msgpack_pack_map(pk, 4);
        sw_msg_kv_str(pk, "name", errs[i].name);
        sw_msg_kv_str(pk, "method", errs[i].method);
        sw_msg_kv_str(pk, "error", errs[i].message);
        sw_msg_kv_int(pk, "occurrences", (int64_t)errs[i].count);
    }
    free(errs);

    int total = 0;
    sw_msg_pack_str(pk, "user_classes_count");
    msgpack_pack_map(pk, (size_t)n);
    for (int i = 0; i < n; i++) {
        sw_msg_kv_int(pk, class_names[i], class_counts[i]);
        total += class_counts[i];
    }
    sw_msg_kv_int(pk, "user_count", total);

    sw_msg_pack_str(pk, "swarm");
    msgpack_pack_map(pk, 2);
    sw_msg_kv_int(pk, "proto", SW_MSG_PROTO);
    sw_msg_pack_str(pk, "exceptions");
    size_t nx = with_exceptions ? sw_stats_exceptions(d, &errs) : 0;
    msgpack_pack_array(pk, nx);
    for (size_t i = 0; i < nx; i++) {
        msgpack_pack_array(pk, 3);
        sw_msg_pack_str(pk, errs[i].where ? errs[i].where : "");
        sw_msg_pack_str(pk, errs[i].message ? errs[i].message : "");
        msgpack_pack_uint64(pk, errs[i].count);
    }
    if (nx)
        free(errs);
}

/* ---- loading --------------------------------------------------------- */

static int fail(char *why, size_t n, const char *what)
{
    snprintf(why, n, "%s", what);
    return -1;
}

/* Copy a str into a bounded NUL-terminated buffer. */
static int str_to(const msgpack_object *o, char *buf, size_t cap)
{
    const char *s;
    size_t n;
    if (sw_msg_str(o, &s, &n) < 0 || n >= cap || memchr(s, 0, n))
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return 0;
}

static int load_secs(const msgpack_object *reqs, const msgpack_object *fails,
                     sw_stats_sec *out, size_t *n)
{
    *n = 0;
    for (int pass = 0; pass < 2; pass++) {
        const msgpack_object *m = pass ? fails : reqs;
        if (!m || m->type != MSGPACK_OBJECT_MAP)
            return -1;
        for (uint32_t i = 0; i < m->via.map.size; i++) {
            double sec;
            uint64_t c;
            if (sw_msg_num(&m->via.map.ptr[i].key, &sec) < 0
                || sw_msg_u64(&m->via.map.ptr[i].val, &c) < 0 || sec < 0 || sec > 1e11)
                return -1;
            size_t j = 0;
            while (j < *n && out[j].sec != (int64_t)sec)
                j++;
            if (j == *n) {
                if (*n == MAX_SECS)
                    continue;           /* older than anything shown: ignored */
                out[j].sec = (int64_t)sec;
                out[j].reqs = out[j].fails = 0;
                (*n)++;
            }
            if (pass) out[j].fails += c; else out[j].reqs += c;
        }
    }
    return 0;
}

/* One entry of "stats" (aggregate = 0) or "stats_total" (1) into tmp. */
static int load_entry(sw_stats *tmp, const msgpack_object *e, int aggregate, int *swarm,
                      int dry, char *why, size_t whylen)
{
    char name[1024], method[64];
    uint64_t nreq, nfail, bytes;
    double total_ms, max_ms, min_ms = 0, start, last = 0;
    if (!e || e->type != MSGPACK_OBJECT_MAP)
        return fail(why, whylen, "a stats entry is not a map");
    const msgpack_object *mo = sw_msg_get(e, "method");
    method[0] = '\0';              /* Locust's total has method None */
    if (str_to(sw_msg_get(e, "name"), name, sizeof name) < 0
        || (!sw_msg_is_nil(mo) && str_to(mo, method, sizeof method) < 0))
        return fail(why, whylen, "a stats entry lacks a str name or method");
    const msgpack_object *mn = sw_msg_get(e, "min_response_time");
    const msgpack_object *lr = sw_msg_get(e, "last_request_timestamp");
    if (sw_msg_u64(sw_msg_get(e, "num_requests"), &nreq) < 0
        || sw_msg_u64(sw_msg_get(e, "num_failures"), &nfail) < 0
        || sw_msg_u64(sw_msg_get(e, "total_content_length"), &bytes) < 0
        || sw_msg_num(sw_msg_get(e, "total_response_time"), &total_ms) < 0
        || sw_msg_num(sw_msg_get(e, "max_response_time"), &max_ms) < 0
        || sw_msg_num(sw_msg_get(e, "start_time"), &start) < 0
        || (!sw_msg_is_nil(mn) && sw_msg_num(mn, &min_ms) < 0)
        || (!sw_msg_is_nil(lr) && sw_msg_num(lr, &last) < 0)
        || total_ms < 0 || max_ms < 0 || min_ms < 0 || nfail > nreq)
        return fail(why, whylen, "a stats entry has a missing or mistyped counter");
    sw_stats_sec secs[MAX_SECS];
    size_t ns;
    if (load_secs(sw_msg_get(e, "num_reqs_per_sec"), sw_msg_get(e, "num_fail_per_sec"),
                  secs, &ns) < 0)
        return fail(why, whylen, "a stats entry has bad per-second counters");
    sw_hist h;
    sw_hist_init(&h);
    sw_stats_info in;
    memset(&in, 0, sizeof in);
    in.method = method;
    in.name = name;
    in.num_requests = nreq;
    in.num_failures = nfail;
    in.total_bytes = bytes;
    in.start_s = start;
    in.last_s = last;
    in.hist = &h;
    const msgpack_object *sh = sw_msg_get(e, "swarm_hist");
    int rc = 0;
    if (sh) {
        const msgpack_object *b = sw_msg_get(sh, "b");
        if (sw_msg_u64(sw_msg_get(sh, "total_us"), &in.total_us) < 0
            || sw_msg_u64(sw_msg_get(sh, "min_us"), &in.min_us) < 0
            || sw_msg_u64(sw_msg_get(sh, "max_us"), &in.max_us) < 0
            || !b || b->type != MSGPACK_OBJECT_MAP)
            rc = fail(why, whylen, "a swarm_hist is malformed");
        for (uint32_t i = 0; rc == 0 && i < b->via.map.size; i++) {
            uint64_t idx, c;
            if (sw_msg_u64(&b->via.map.ptr[i].key, &idx) < 0 || idx >= SW_HIST_BUCKETS
                || sw_msg_u64(&b->via.map.ptr[i].val, &c) < 0
                || (!dry && sw_hist_add_bucket(&h, (int)idx, c) < 0))
                rc = fail(why, whylen, "a swarm_hist bucket is malformed");
        }
        *swarm = 1;
    } else {
        const msgpack_object *rt = sw_msg_get(e, "response_times");
        if (!rt || rt->type != MSGPACK_OBJECT_MAP)
            rc = fail(why, whylen, "a stats entry lacks response_times");
        for (uint32_t i = 0; rc == 0 && i < rt->via.map.size; i++) {
            double ms;
            uint64_t c;
            if (sw_msg_num(&rt->via.map.ptr[i].key, &ms) < 0 || ms < 0 || ms > 1e12
                || sw_msg_u64(&rt->via.map.ptr[i].val, &c) < 0
                || (!dry && sw_hist_add_bucket(&h, sw_hist_index((uint64_t)llround(ms * 1000.0)), c) < 0))
                rc = fail(why, whylen, "a response_times bucket is malformed");
        }
        in.total_us = (uint64_t)llround(total_ms * 1000.0);
        in.min_us = (uint64_t)llround(min_ms * 1000.0);
        in.max_us = (uint64_t)llround(max_ms * 1000.0);
    }
    if (rc == 0 && !dry) {
        if (nreq == 0)
            in.min_us = in.max_us = 0;
        sw_hist_set_minmax(&h, in.min_us, in.max_us);
        if (sw_stats_load_entry(tmp, &in, secs, ns, aggregate) < 0)
            rc = fail(why, whylen, "out of memory");
    }
    sw_hist_free(&h);
    return rc;
}

/* dry != 0: check everything, change nothing; else add into tmp. */
static int load_all(sw_stats *tmp, const msgpack_object *data, uint64_t *users, int *swarm,
                    int dry, char *why, size_t whylen)
{
    const msgpack_object *st = sw_msg_get(data, "stats");
    const msgpack_object *errs = sw_msg_get(data, "errors");
    if (!data || data->type != MSGPACK_OBJECT_MAP)
        return fail(why, whylen, "the report is not a map");
    if (!st || st->type != MSGPACK_OBJECT_ARRAY)
        return fail(why, whylen, "the report lacks a stats array");
    if (!errs || errs->type != MSGPACK_OBJECT_MAP)
        return fail(why, whylen, "the report lacks an errors map");
    if (sw_msg_u64(sw_msg_get(data, "user_count"), users) < 0)
        return fail(why, whylen, "the report lacks user_count");
    for (uint32_t i = 0; i < st->via.array.size; i++)
        if (load_entry(tmp, &st->via.array.ptr[i], 0, swarm, dry, why, whylen) < 0)
            return -1;
    if (load_entry(tmp, sw_msg_get(data, "stats_total"), 1, swarm, dry, why, whylen) < 0)
        return -1;
    for (uint32_t i = 0; i < errs->via.map.size; i++) {
        const msgpack_object *e = &errs->via.map.ptr[i].val;
        char name[1024], method[64], msg[2048];
        uint64_t occ;
        if (str_to(sw_msg_get(e, "name"), name, sizeof name) < 0
            || str_to(sw_msg_get(e, "method"), method, sizeof method) < 0
            || str_to(sw_msg_get(e, "error"), msg, sizeof msg) < 0
            || sw_msg_u64(sw_msg_get(e, "occurrences"), &occ) < 0)
            return fail(why, whylen, "an error entry is malformed");
        if (!dry && sw_stats_load_failure(tmp, method, name, msg, occ) < 0)
            return fail(why, whylen, "out of memory");
    }
    const msgpack_object *sx = sw_msg_get(data, "swarm");
    if (sx) {
        const msgpack_object *xs = sw_msg_get(sx, "exceptions");
        if (!xs || xs->type != MSGPACK_OBJECT_ARRAY)
            return fail(why, whylen, "the swarm key is malformed");
        for (uint32_t i = 0; i < xs->via.array.size; i++) {
            const msgpack_object *x = &xs->via.array.ptr[i];
            char where[512], msg[2048];
            uint64_t c;
            if (x->type != MSGPACK_OBJECT_ARRAY || x->via.array.size != 3
                || str_to(&x->via.array.ptr[0], where, sizeof where) < 0
                || str_to(&x->via.array.ptr[1], msg, sizeof msg) < 0
                || sw_msg_u64(&x->via.array.ptr[2], &c) < 0)
                return fail(why, whylen, "an exception entry is malformed");
            if (!dry && sw_stats_load_exception(tmp, where, msg, c) < 0)
                return fail(why, whylen, "out of memory");
        }
        *swarm = 1;
    }
    return 0;
}

int sw_wstats_load(sw_stats *dst, const msgpack_object *data, uint64_t *user_count,
                   int *swarm_sender, char *why, size_t whylen)
{
    uint64_t users = 0;
    int swarm = 0;
    /* all or nothing: check the whole report, then add it straight into dst */
    if (load_all(dst, data, &users, &swarm, 1, why, whylen) < 0)
        return -1;
    if (load_all(dst, data, &users, &swarm, 0, why, whylen) < 0)
        return -1;          /* out of memory only: dst may be partly added */
    *user_count = users;
    *swarm_sender = swarm;
    return 0;
}
