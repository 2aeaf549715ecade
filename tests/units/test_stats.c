/*
 * test_stats.c -- request statistics against shadow bookkeeping: exact
 * counts/sums/min/max, failures and exceptions keyed correctly, delta +
 * merge reproducing the totals exactly, clone, the entry cap, current and
 * total RPS with synthetic timestamps, reset, shipping by parts.
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "hist.h"
#include "stats.h"

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

static const char *methods[] = { "GET", "POST" };
static const char *names[] = { "/a", "/b/{id}", "/c,with comma" };
static const char *msgs[] = { "HTTP 500", "HTTP 404", "timeout" };

typedef struct shadow {
    uint64_t n, fails, sum, min, max, bytes;
} shadow;

static void shadow_add(shadow *s, uint64_t us, uint64_t bytes, int failed)
{
    if (s->n == 0 || us < s->min) s->min = us;
    if (s->n == 0 || us > s->max) s->max = us;
    s->n++;
    s->fails += failed != 0;
    s->sum += us;
    s->bytes += bytes;
}

static int info_matches(const sw_stats_entry *e, const shadow *sh)
{
    sw_stats_info in;
    sw_stats_entry_info(e, &in);
    return e && in.num_requests == sh->n && in.num_failures == sh->fails && in.total_us == sh->sum
        && in.min_us == sh->min && in.max_us == sh->max && in.total_bytes == sh->bytes
        && sw_hist_count(in.hist) == sh->n;
}

/* Entry-by-entry equality of two statistics, including histograms and the
 * per-second counters, failures and exceptions. */
static int entry_same(const sw_stats_entry *a, const sw_stats_entry *b)
{
    sw_stats_info x, y;
    sw_stats_entry_info(a, &x);
    sw_stats_entry_info(b, &y);
    if (strcmp(x.method, y.method) || strcmp(x.name, y.name) || x.num_requests != y.num_requests
        || x.num_failures != y.num_failures || x.total_us != y.total_us || x.min_us != y.min_us
        || x.max_us != y.max_us || x.total_bytes != y.total_bytes || x.start_s != y.start_s
        || x.last_s != y.last_s || !sw_hist_equal(x.hist, y.hist))
        return 0;
    sw_stats_sec sa[SW_STATS_RING], sb[SW_STATS_RING];
    size_t na = sw_stats_entry_seconds(a, sa), nb = sw_stats_entry_seconds(b, sb);
    return na == nb && memcmp(sa, sb, na * sizeof sa[0]) == 0;
}

static int errors_same(const sw_stats_error *a, size_t na, const sw_stats_error *b, size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++) {
        if (a[i].count != b[i].count || strcmp(a[i].message, b[i].message))
            return 0;
        if ((a[i].where || b[i].where) && (!a[i].where || !b[i].where || strcmp(a[i].where, b[i].where)))
            return 0;
        if (a[i].name && (strcmp(a[i].name, b[i].name) || strcmp(a[i].method, b[i].method)))
            return 0;
    }
    return 1;
}

static int stats_same(const sw_stats *a, const sw_stats *b)
{
    const sw_stats_entry **ea, **eb;
    size_t na = sw_stats_entries(a, &ea), nb = sw_stats_entries(b, &eb);
    int ok = na == nb && entry_same(sw_stats_aggregated(a), sw_stats_aggregated(b));
    for (size_t i = 0; ok && i < na; i++)
        ok = entry_same(ea[i], eb[i]);
    free(ea);
    free(eb);
    sw_stats_error *fa, *fb;
    na = sw_stats_failures(a, &fa);
    nb = sw_stats_failures(b, &fb);
    ok = ok && errors_same(fa, na, fb, nb);
    free(fa);
    free(fb);
    na = sw_stats_exceptions(a, &fa);
    nb = sw_stats_exceptions(b, &fb);
    ok = ok && errors_same(fa, na, fb, nb);
    free(fa);
    free(fb);
    return ok;
}

static void test_exact(void)
{
    sw_stats *s = sw_stats_new();
    shadow sh[2][3], total;
    memset(sh, 0, sizeof sh);
    memset(&total, 0, sizeof total);
    uint64_t failcount[2][3][3] = { { { 0 } } };
    for (int i = 0; i < 20000; i++) {
        int m = (int)(rnd() % 2), n = (int)(rnd() % 3), f = rnd() % 7 == 0;
        int msg = (int)(rnd() % 3);
        uint64_t us = 1 + rnd() % 5000000, bytes = rnd() % 100000;
        sw_stats_request(s, methods[m], names[n], us, bytes, f ? msgs[msg] : NULL, 1000.0 + i * 0.001);
        shadow_add(&sh[m][n], us, bytes, f);
        shadow_add(&total, us, bytes, f);
        if (f)
            failcount[m][n][msg]++;
    }
    int ok = 1;
    for (int m = 0; m < 2; m++)
        for (int n = 0; n < 3; n++)
            ok &= info_matches(sw_stats_find(s, methods[m], names[n]), &sh[m][n]);
    CHECK(ok, "per-entry counts, failures, sums, min, max, bytes are exact");
    CHECK(info_matches(sw_stats_aggregated(s), &total), "aggregated entry is exact");
    CHECK(sw_stats_total_requests(s) == total.n && sw_stats_total_failures(s) == total.fails,
          "totals: %" PRIu64 " requests, %" PRIu64 " failures", total.n, total.fails);
    const sw_stats_entry *e = sw_stats_find(s, "GET", "/a");
    CHECK(fabs(sw_stats_avg_ms(e) - (double)sh[0][0].sum / (double)sh[0][0].n / 1000.0) < 1e-9,
          "mean in ms is sum / count");
    CHECK(sw_stats_min_ms(e) == sh[0][0].min / 1000 && sw_stats_max_ms(e) == (sh[0][0].max + 999) / 1000,
          "min ms is the floor, max ms the ceiling of the exact microseconds");
    CHECK(fabs(sw_stats_avg_bytes(e) - (double)sh[0][0].bytes / (double)sh[0][0].n) < 1e-9, "average content size");
    CHECK(fabs(sw_stats_fail_ratio(e) - (double)sh[0][0].fails / (double)sh[0][0].n) < 1e-12, "fail ratio");
    CHECK(sw_stats_find(s, "PUT", "/a") == NULL, "unknown entry not found");

    const sw_stats_entry **list;
    size_t n = sw_stats_entries(s, &list);
    int sorted = n == 6;
    for (size_t i = 0; sorted && i + 1 < n; i++) {
        sw_stats_info a, b;
        sw_stats_entry_info(list[i], &a);
        sw_stats_entry_info(list[i + 1], &b);
        int c = strcmp(a.name, b.name);
        sorted = c < 0 || (c == 0 && strcmp(a.method, b.method) < 0);
    }
    free(list);
    CHECK(sorted, "entries listed sorted by name then method (%zu)", n);

    sw_stats_error *fl;
    size_t nf = sw_stats_failures(s, &fl);
    int fok = 1, seen = 0;
    for (size_t i = 0; i < nf; i++) {
        int m = -1, nm = -1, mg = -1;
        for (int k = 0; k < 3; k++) {
            if (k < 2 && !strcmp(fl[i].method, methods[k])) m = k;
            if (!strcmp(fl[i].name, names[k])) nm = k;
            if (!strcmp(fl[i].message, msgs[k])) mg = k;
        }
        if (m < 0 || nm < 0 || mg < 0 || failcount[m][nm][mg] != fl[i].count || fl[i].where)
            fok = 0;
        seen++;
    }
    int expect = 0;
    for (int m = 0; m < 2; m++)
        for (int k = 0; k < 3; k++)
            for (int g = 0; g < 3; g++)
                expect += failcount[m][k][g] != 0;
    free(fl);
    CHECK(fok && seen == expect, "failures keyed by (method, name, message) with occurrences (%d)", seen);
    sw_stats_free(s);
}

static void test_errors(void)
{
    sw_stats *s = sw_stats_new();
    sw_stats_request(s, "GET", "/x", 1000, 0, "HTTP 500", 10);
    sw_stats_request(s, "GET", "/x", 1000, 0, "HTTP 500", 10);
    sw_stats_request(s, "GET", "/x", 1000, 0, "HTTP 502", 10);
    sw_stats_request(s, "POST", "/x", 1000, 0, "HTTP 500", 10);
    sw_stats_request(s, "GET", "/y", 1000, 0, NULL, 10);
    sw_stats_exception(s, "boom", "t.swarm:3:5");
    sw_stats_exception(s, "boom", "t.swarm:3:5");
    sw_stats_exception(s, "boom", "t.swarm:9:1");
    sw_stats_exception(s, "bang", "t.swarm:3:5");
    sw_stats_error *v;
    size_t n = sw_stats_failures(s, &v);
    CHECK(n == 3 && !strcmp(v[0].method, "GET") && !strcmp(v[0].message, "HTTP 500") && v[0].count == 2
          && !strcmp(v[1].message, "HTTP 502") && v[1].count == 1
          && !strcmp(v[2].method, "POST") && v[2].count == 1, "three distinct failures with their counts");
    free(v);
    n = sw_stats_exceptions(s, &v);
    CHECK(n == 3 && !strcmp(v[0].where, "t.swarm:3:5") && !strcmp(v[0].message, "bang") && v[0].count == 1
          && !strcmp(v[1].message, "boom") && v[1].count == 2 && !strcmp(v[2].where, "t.swarm:9:1")
          && v[2].method == NULL, "exceptions keyed by (location, message)");
    free(v);
    CHECK(sw_stats_total_exceptions(s) == 4, "total exceptions");
    CHECK(sw_stats_total_failures(s) == 4 && sw_stats_total_requests(s) == 5, "failures count as requests");
    sw_stats_free(s);
}

static void test_delta_merge(void)
{
    sw_stats *s = sw_stats_new(), *m = sw_stats_new(), *two = sw_stats_new();
    sw_stats *half1 = sw_stats_new(), *half2 = sw_stats_new();
    int deltas = 0;
    for (int i = 0; i < 30000; i++) {
        int mi = (int)(rnd() % 2), n = (int)(rnd() % 3), f = rnd() % 5 == 0;
        uint64_t us = rnd() % 3000000, bytes = rnd() % 5000;
        double t = 5000.0 + i * 0.0005;      /* 15 s, fits the per-second ring */
        sw_stats_request(s, methods[mi], names[n], us, bytes, f ? msgs[rnd() % 3] : NULL, t);
        sw_stats_request(rnd() % 2 ? half1 : half2, methods[mi], names[n], us, bytes, NULL, t);
        sw_stats_request(two, methods[mi], names[n], us, bytes, NULL, t);
        if (rnd() % 1000 == 0)
            sw_stats_exception(s, "oops", rnd() % 2 ? "a.swarm:1:1" : "a.swarm:2:2");
        if (rnd() % 2000 == 0) {
            sw_stats *d = sw_stats_delta(s);
            sw_stats_merge(m, d);
            sw_stats_free(d);
            deltas++;
        }
    }
    sw_stats *d = sw_stats_delta(s);
    sw_stats_merge(m, d);
    sw_stats_free(d);
    CHECK(deltas > 3, "took %d deltas", deltas);
    CHECK(stats_same(s, m), "merging every delta reproduces the statistics exactly");
    d = sw_stats_delta(s);
    CHECK(d && sw_stats_total_requests(d) == 0 && sw_stats_total_exceptions(d) == 0,
          "a delta right after a delta is empty");
    sw_stats_free(d);
    CHECK(sw_stats_total_requests(s) == 30000, "delta leaves the totals in place");

    sw_stats_merge(half1, half2);
    CHECK(stats_same(half1, two), "merge(A, B) equals the statistics of A and B recorded together");
    const sw_stats_entry *e = sw_stats_find(two, "GET", "/a");
    sw_stats_info in;
    sw_stats_entry_info(e, &in);
    CHECK(sw_stats_percentile_ms(sw_stats_find(half1, "GET", "/a"), 0.95) == sw_stats_percentile_ms(e, 0.95)
          && sw_stats_median_ms(sw_stats_find(half1, "GET", "/a")) == sw_stats_median_ms(e),
          "merged percentiles equal the single process's");

    sw_stats *c = sw_stats_clone(s);
    CHECK(c && stats_same(c, s), "clone is identical");
    sw_stats_request(c, "GET", "/new", 5, 5, NULL, 5001);
    CHECK(!stats_same(c, s) && sw_stats_find(s, "GET", "/new") == NULL, "clone is independent");
    sw_stats_free(c);

    /* shipping by parts: entries, histograms, seconds, failures, exceptions */
    sw_stats *r = sw_stats_new();
    const sw_stats_entry **list;
    size_t n = sw_stats_entries(s, &list);
    for (size_t i = 0; i <= n; i++) {
        const sw_stats_entry *x = i < n ? list[i] : sw_stats_aggregated(s);
        sw_stats_info info;
        sw_stats_entry_info(x, &info);
        sw_hist h;                       /* rebuild the histogram from buckets */
        sw_hist_init(&h);
        sw_hist_iter it;
        sw_hist_iter_init(&it);
        int idx;
        uint64_t cnt;
        while (sw_hist_next(info.hist, &it, &idx, &cnt))
            sw_hist_add_bucket(&h, idx, cnt);
        sw_hist_set_minmax(&h, sw_hist_min(info.hist), sw_hist_max(info.hist));
        info.hist = &h;
        sw_stats_sec secs[SW_STATS_RING];
        size_t ns = sw_stats_entry_seconds(x, secs);
        sw_stats_load_entry(r, &info, secs, ns, i == n);
        sw_hist_free(&h);
    }
    free(list);
    sw_stats_error *v;
    n = sw_stats_failures(s, &v);
    for (size_t i = 0; i < n; i++)
        sw_stats_load_failure(r, v[i].method, v[i].name, v[i].message, v[i].count);
    free(v);
    n = sw_stats_exceptions(s, &v);
    for (size_t i = 0; i < n; i++)
        sw_stats_load_exception(r, v[i].where, v[i].message, v[i].count);
    free(v);
    CHECK(stats_same(r, s), "statistics rebuilt from shipped parts are identical");
    d = sw_stats_delta(r);
    CHECK(stats_same(d, s), "loaded parts also reach the pending delta");
    sw_stats_free(d);

    sw_stats_reset(s);
    CHECK(sw_stats_total_requests(s) == 0 && sw_stats_total_exceptions(s) == 0
          && sw_stats_entries(s, &list) == 0 && sw_stats_failures(s, &v) == 0
          && sw_stats_start(s) == 0, "reset clears everything");
    d = sw_stats_delta(s);
    CHECK(sw_stats_total_requests(d) == 0, "reset clears the pending delta");
    sw_stats_free(d);
    sw_stats_request(s, "GET", "/z", 2000, 1, NULL, 7000);
    CHECK(sw_stats_total_requests(s) == 1 && sw_stats_median_ms(sw_stats_find(s, "GET", "/z")) == 2,
          "recording after reset");
    sw_stats_free(s); sw_stats_free(m); sw_stats_free(two); sw_stats_free(half1);
    sw_stats_free(half2); sw_stats_free(r);
}

static void test_cap(void)
{
    char path[] = "/tmp/test_stats_errXXXXXX";
    int fd = mkstemp(path);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    sw_stats *s = sw_stats_new();
    char name[32];
    for (int i = 0; i < SW_STATS_MAX_ENTRIES + 5; i++) {
        snprintf(name, sizeof name, "/n%d", i);
        sw_stats_request(s, "GET", name, 100, 0, i == SW_STATS_MAX_ENTRIES + 4 ? "bad" : NULL, 1);
    }
    sw_stats_request(s, "GET", "/n0", 100, 0, NULL, 1);
    sw_stats_request(s, "POST", "/late", 100, 0, NULL, 1);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char buf[512] = "";
    FILE *f = fopen(path, "r");
    size_t got = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[got] = 0;
    if (f) fclose(f);
    unlink(path);
    close(fd);
    const sw_stats_entry **list;
    size_t n = sw_stats_entries(s, &list);
    free(list);
    sw_stats_info o, z;
    sw_stats_entry_info(sw_stats_find(s, "GET", SW_STATS_OTHER_NAMES), &o);
    sw_stats_entry_info(sw_stats_find(s, "GET", "/n0"), &z);
    CHECK(n == SW_STATS_MAX_ENTRIES + 2, "entries capped: %zu = cap + GET and POST overflow", n);
    CHECK(o.num_requests == 5 && o.num_failures == 1, "overflow entry counts the excess names");
    CHECK(z.num_requests == 2, "existing names still counted under their own entry");
    CHECK(sw_stats_find(s, "POST", SW_STATS_OTHER_NAMES) && !sw_stats_find(s, "POST", "/late"),
          "overflow entry is per method");
    CHECK(sw_stats_total_requests(s) == SW_STATS_MAX_ENTRIES + 7, "aggregate counts everything");
    const char *warn = "stats: more than 1000 distinct request names; further names are counted under '(other names)'\n";
    CHECK(strcmp(buf, warn) == 0, "warning printed exactly once");
    sw_stats_error *v;
    size_t nf = sw_stats_failures(s, &v);
    CHECK(nf == 1 && !strcmp(v[0].name, SW_STATS_OTHER_NAMES), "failure of an overflowed name is keyed by the overflow name");
    free(v);
    /* merging into a capped statistics also respects the cap */
    sw_stats *o2 = sw_stats_new();
    sw_stats_request(o2, "GET", "/brand-new", 100, 0, NULL, 1);
    sw_stats_merge(s, o2);
    sw_stats_entry_info(sw_stats_find(s, "GET", SW_STATS_OTHER_NAMES), &o);
    CHECK(o.num_requests == 6 && !sw_stats_find(s, "GET", "/brand-new"), "merge respects the cap");
    sw_stats_free(o2);
    sw_stats_free(s);
}

static void test_rps(void)
{
    sw_stats *s = sw_stats_new();
    /* second 1000+k gets k+1 requests, every third of them a failure */
    uint64_t reqs[30], fails[30];
    for (int k = 0; k < 30; k++) {
        reqs[k] = (uint64_t)k + 1;
        fails[k] = 0;
        for (int j = 0; j <= k; j++) {
            int f = j % 3 == 0;
            fails[k] += f;
            sw_stats_request(s, "GET", "/r", 1000, 0, f ? "x" : NULL, 1000 + k + (j + 0.5) / (k + 2.0));
        }
    }
    const sw_stats_entry *e = sw_stats_find(s, "GET", "/r"), *tot = sw_stats_aggregated(s);
    double want = 0, wantf = 0;
    for (int k = 20; k < 30; k++) {
        want += (double)reqs[k];
        wantf += (double)fails[k];
    }
    CHECK(fabs(sw_stats_current_rps(s, e, 1030.5) - want / 10) < 1e-9,
          "current RPS averages the last 10 complete seconds (%g)", sw_stats_current_rps(s, e, 1030.5));
    CHECK(fabs(sw_stats_current_fail_per_sec(s, e, 1030.5) - wantf / 10) < 1e-9, "current failures/s likewise");
    CHECK(fabs(sw_stats_current_rps(s, tot, 1030.5) - want / 10) < 1e-9, "aggregate current RPS");
    /* early: only the complete seconds since the start count */
    double early = (double)(reqs[0] + reqs[1] + reqs[2] + reqs[3]) / 4;
    sw_stats *s2 = sw_stats_new();
    for (int k = 0; k < 5; k++)
        for (int j = 0; j <= k; j++)
            sw_stats_request(s2, "GET", "/r", 1000, 0, NULL, 1000 + k + (j + 0.5) / (k + 2.0));
    CHECK(fabs(sw_stats_current_rps(s2, sw_stats_find(s2, "GET", "/r"), 1004.2) - early) < 1e-9,
          "current RPS over fewer seconds when started < 10 s ago");
    CHECK(sw_stats_current_rps(s2, sw_stats_find(s2, "GET", "/r"), 1000.7) == 0,
          "no complete second yet: 0 (divided by at least 1)");
    CHECK(fabs(sw_stats_current_rps(s, e, 1035.5) - (double)(reqs[25] + reqs[26] + reqs[27] + reqs[28] + reqs[29]) / 10) < 1e-9,
          "seconds without requests count as zero");
    CHECK(sw_stats_current_rps(s, e, 1100) == 0, "long after: 0");
    sw_stats_info in;
    sw_stats_entry_info(tot, &in);
    double span = in.last_s - in.start_s;
    CHECK(span > 0 && fabs(sw_stats_total_rps(s, e) - 465.0 / span) < 1e-9,
          "total RPS = requests / (last - start)");
    sw_stats_mark_start(s, 990);
    sw_stats_entry_info(tot, &in);
    CHECK(sw_stats_start(s) == 990 && fabs(sw_stats_total_rps(s, e) - 465.0 / (in.last_s - 990)) < 1e-9,
          "a marked start earlier than the first request is the start");
    sw_stats *one = sw_stats_new();
    sw_stats_request(one, "GET", "/", 5, 0, NULL, 50);
    CHECK(sw_stats_total_rps(one, sw_stats_aggregated(one)) == 0, "total RPS 0 when the span is 0");
    sw_stats_free(one);
    sw_stats_free(s2);
    sw_stats_free(s);
}

static void test_robust(void)
{
    sw_stats_request(NULL, "GET", "/", 1, 1, NULL, 1);
    sw_stats_exception(NULL, "x", "y");
    sw_stats *s = sw_stats_new();
    sw_stats_request(s, NULL, NULL, 1, 1, NULL, NAN);
    sw_stats_request(s, "GET", "/", UINT64_MAX / 4, 0, "", INFINITY);
    sw_stats_exception(s, NULL, NULL);
    sw_stats_merge(s, s);
    CHECK(sw_stats_total_requests(s) == 2 && sw_stats_total_exceptions(s) == 1, "NULLs and odd times tolerated");
    CHECK(sw_stats_current_rps(s, sw_stats_aggregated(s), NAN) == 0 && sw_stats_total_rps(s, NULL) == 0,
          "rates of odd inputs are 0");
    sw_stats_free(s);
    sw_stats_free(NULL);
    CHECK(sw_stats_total_requests(NULL) == 0, "NULL stats reads as empty");
}

/* min <= avg <= max and min = p0 <= p50 <= ... <= p100 = max for e, with
 * min and max the floor and ceiling of the exact extremes lo_us, hi_us. */
static int ordered(const sw_stats_entry *e, uint64_t lo_us, uint64_t hi_us)
{
    uint64_t mn = sw_stats_min_ms(e), mx = sw_stats_max_ms(e);
    double avg = sw_stats_avg_ms(e);
    int ok = mn == lo_us / 1000 && mx == (hi_us + 999) / 1000
             && (double)mn <= avg && avg <= (double)mx
             && sw_stats_percentile_ms(e, 0) == mn && sw_stats_percentile_ms(e, 1) == mx;
    uint64_t prev = mn;
    for (int i = 0; i < SW_STATS_NPCT; i++) {
        uint64_t p = sw_stats_percentile_ms(e, sw_stats_pcts[i]);
        ok &= p >= prev && p <= mx;
        prev = p;
    }
    ok &= sw_stats_pcts[SW_STATS_NPCT - 1] == 1.0 && sw_stats_percentile_ms(e, sw_stats_pcts[SW_STATS_NPCT - 1]) == mx;
    return ok;
}

static void test_submillisecond(void)
{
    /* the reported case: one 560 us request read avg 0.56, min 1 */
    sw_stats *s = sw_stats_new();
    sw_stats_request(s, "GET", "/one", 560, 0, NULL, 1);
    const sw_stats_entry *e = sw_stats_find(s, "GET", "/one");
    CHECK(sw_stats_min_ms(e) == 0 && sw_stats_max_ms(e) == 1 && fabs(sw_stats_avg_ms(e) - 0.56) < 1e-9
          && sw_stats_percentile_ms(e, 0) == 0 && sw_stats_percentile_ms(e, 1) == 1,
          "560 us: min 0 <= avg 0.56 <= max 1, p0 = min, p100 = max");
    CHECK(ordered(e, 560, 560), "one sub-ms sample keeps min <= avg <= max and ordered percentiles");
    sw_stats_free(s);

    /* random sub-millisecond (and a bit above) samples, many seeds */
    int ok = 1, trials = 0;
    for (unsigned seed = 1; seed <= 300; seed++) {
        srand(seed);
        s = sw_stats_new();
        int n = 1 + rand() % 50;
        uint64_t span = seed % 3 == 0 ? 1000 : seed % 3 == 1 ? 2500 : 40000;
        uint64_t lo = UINT64_MAX, hi = 0;
        sw_hist h;
        sw_hist_init(&h);
        for (int i = 0; i < n; i++) {
            uint64_t us = 1 + (uint64_t)rand() % span;
            lo = us < lo ? us : lo;
            hi = us > hi ? us : hi;
            sw_stats_request(s, "GET", "/r", us, 0, NULL, 1);
            sw_hist_record(&h, us);
        }
        ok &= ordered(sw_stats_find(s, "GET", "/r"), lo, hi);
        ok &= ordered(sw_stats_aggregated(s), lo, hi);
        /* interval rows (history) use the same rules on a bare histogram */
        ok &= sw_stats_hist_percentile_ms(&h, 0) == lo / 1000
              && sw_stats_hist_percentile_ms(&h, 1) == (hi + 999) / 1000
              && sw_stats_hist_percentile_ms(&h, 0.5) >= lo / 1000
              && sw_stats_hist_percentile_ms(&h, 0.5) <= (hi + 999) / 1000;
        sw_hist_free(&h);
        sw_stats_free(s);
        trials++;
    }
    CHECK(ok && trials == 300, "sub-ms samples: min <= avg <= max, p0 = min <= ... <= p100 = max (%d sets)", trials);
    CHECK(sw_stats_hist_percentile_ms(NULL, 0.5) == 0 && sw_stats_percentile_ms(NULL, 1) == 0,
          "percentiles of nothing are 0");
}

/* The two-decimal time text (JSON, HTML, web UI): boundaries of each
 * rounding direction, the switch to whole ms at 10, and text that stays
 * ordered as the values are. */
static void test_time_text(void)
{
    static const struct { uint64_t us; int dir; const char *want; } t[] = {
        { 0, SW_TIME_NEAR, "0.00" }, { 4, SW_TIME_NEAR, "0.00" }, { 5, SW_TIME_NEAR, "0.01" },
        { 370, SW_TIME_NEAR, "0.37" }, { 2054, SW_TIME_NEAR, "2.05" }, { 2055, SW_TIME_NEAR, "2.06" },
        { 1000, SW_TIME_NEAR, "1.00" }, { 9994, SW_TIME_NEAR, "9.99" }, { 9995, SW_TIME_NEAR, "10" },
        { 9996, SW_TIME_NEAR, "10" }, { 10400, SW_TIME_NEAR, "10" }, { 10500, SW_TIME_NEAR, "11" },
        { 1523499, SW_TIME_NEAR, "1523" },
        { 9999, SW_TIME_DOWN, "9.99" }, { 10000, SW_TIME_DOWN, "10" }, { 10999, SW_TIME_DOWN, "10" },
        { 2059, SW_TIME_DOWN, "2.05" }, { 1, SW_TIME_DOWN, "0.00" },
        { 1, SW_TIME_UP, "0.01" }, { 2051, SW_TIME_UP, "2.06" }, { 9990, SW_TIME_UP, "9.99" },
        { 9991, SW_TIME_UP, "10" }, { 10001, SW_TIME_UP, "11" }, { 20000, SW_TIME_UP, "20" },
        { UINT64_MAX, SW_TIME_NEAR, "18446744073709552" },
    };
    char b[SW_TIME_TEXT_MAX];
    int ok = 1;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(sw_time_text(b, t[i].us, t[i].dir), t[i].want)) {
            printf("# %" PRIu64 " us dir %d: \"%s\", want \"%s\"\n", t[i].us, t[i].dir, b, t[i].want);
            ok = 0;
        }
    CHECK(ok, "time text: two decimals under 10 ms, whole ms from 10, rounded down/half up/up at the resolution shown");

    static const struct { double ms; const char *want; } m[] = {
        { 0, "0.00" }, { 0.004, "0.00" }, { 0.37, "0.37" }, { 2.054, "2.05" }, { 9.994, "9.99" },
        { 9.996, "10" }, { 10.4, "10" }, { 10.5, "11" }, { 999.5, "1000" }, { -3, "0.00" },
        { NAN, "0.00" }, { INFINITY, "0.00" }, { 1e300, "1000000000000000" },
    };
    ok = 1;
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (strcmp(sw_time_ms_text(b, m[i].ms), m[i].want)) {
            printf("# %g ms: \"%s\", want \"%s\"\n", m[i].ms, b, m[i].want);
            ok = 0;
        }
    CHECK(ok, "ms text: 9.994 -> 9.99, 9.996 -> 10, 0 -> 0.00, 10.4 -> 10; odd doubles are 0");

    /* every us below 25 ms, each direction: the text's value is the us
     * rounded at its resolution, never decreasing, and down <= near <= up */
    ok = 1;
    double prev[3] = { -1, -1, -1 };
    for (uint64_t us = 0; us < 25000 && ok; us++) {
        double v[3];
        for (int d = -1; d <= 1; d++) {
            double x = strtod(sw_time_text(b, us, d), NULL), want;
            double ms = (double)us / 1000.0;
            uint64_t h = us / 10 + (d < 0 ? 0 : d > 0 ? us % 10 != 0 : us % 10 >= 5);
            want = h < 1000 ? (double)h / 100.0 : (double)sw_stats_round_ms(us, d);
            v[d + 1] = x;
            ok &= fabs(x - want) < 1e-9 && x >= prev[d + 1] && fabs(x - ms) <= (h < 1000 ? 0.01 : 1.0);
            prev[d + 1] = x;
        }
        ok &= v[0] <= v[1] && v[1] <= v[2];
        if (!ok)
            printf("# at %" PRIu64 " us: %g %g %g\n", us, v[0], v[1], v[2]);
    }
    CHECK(ok, "time text for 0..25 ms: monotonic, within its resolution of the value, down <= near <= up");

    /* an entry's texts: the precise values behind the whole-ms columns */
    sw_stats *s = sw_stats_new();
    sw_stats_request(s, "GET", "/f", 370, 0, NULL, 1);
    sw_stats_request(s, "GET", "/f", 412, 0, NULL, 1);
    sw_stats_request(s, "GET", "/f", 2049, 0, NULL, 1);
    const sw_stats_entry *e = sw_stats_find(s, "GET", "/f");
    char mn[SW_TIME_TEXT_MAX], md[SW_TIME_TEXT_MAX], mx[SW_TIME_TEXT_MAX];
    sw_time_text(mn, sw_stats_min_us(e), SW_TIME_DOWN);
    sw_time_text(md, sw_stats_percentile_us(e, 0.5), sw_stats_pct_dir(0.5));
    sw_time_text(mx, sw_stats_percentile_us(e, 1), sw_stats_pct_dir(1));
    CHECK(!strcmp(mn, "0.37") && !strcmp(md, "0.41") && !strcmp(mx, "2.05")
          && sw_stats_max_us(e) == 2049 && sw_stats_percentile_us(e, 0) == 370,
          "entry: min 0.37, median 0.41, max 2.05 (%s %s %s)", mn, md, mx);
    CHECK(sw_stats_percentile_ms(e, 0.5) == 0 && sw_stats_min_ms(e) == 0 && sw_stats_max_ms(e) == 3,
          "and the whole-ms columns stay as they were (0, 0, 3)");
    CHECK(sw_stats_percentile_us(NULL, 0.5) == 0 && sw_stats_hist_percentile_us(NULL, 0.5) == 0
          && sw_stats_min_us(NULL) == 0, "precise values of nothing are 0");
    sw_stats_free(s);
}

/* Failure and exception messages are capped at SW_STATS_MSG_MAX with a
 * marker: two 1 MB messages with the same first KB are one record. */
static void test_msg_cap(void)
{
    sw_stats *s = sw_stats_new();
    size_t big = 1 << 20;
    char *m = malloc(big + 1);
    memset(m, 'a', big);
    m[big] = '\0';
    sw_stats_request(s, "GET", "/x", 1000, 0, m, 10);
    m[big - 1] = 'b';
    sw_stats_request(s, "GET", "/x", 1000, 0, m, 10);
    sw_stats_exception(s, m, "t.swarm:1:1");
    /* a 2-byte UTF-8 character straddling the cut is left out whole */
    size_t keep = SW_STATS_MSG_MAX - sizeof SW_STATS_MSG_CUT;
    memcpy(m + keep - 1, "\xc3\xa9", 2);
    sw_stats_request(s, "GET", "/utf8", 1000, 0, m, 10);
    memset(m, 'c', SW_STATS_MSG_MAX - 1);
    m[SW_STATS_MSG_MAX - 1] = '\0';
    sw_stats_request(s, "GET", "/fits", 1000, 0, m, 10);
    sw_stats_error *v;
    size_t n = sw_stats_failures(s, &v);
    int ok = n == 3;
    for (size_t i = 0; ok && i < n; i++) {
        size_t len = strlen(v[i].message);
        if (!strcmp(v[i].name, "/x"))
            ok = v[i].count == 2 && len == SW_STATS_MSG_MAX - 1 &&
                 !strcmp(v[i].message + len - strlen(SW_STATS_MSG_CUT), SW_STATS_MSG_CUT);
        else if (!strcmp(v[i].name, "/utf8"))
            ok = len == SW_STATS_MSG_MAX - 2 && v[i].message[keep - 2] == 'a' &&
                 v[i].message[keep - 1] == ' ';
        else
            ok = len == SW_STATS_MSG_MAX - 1 && v[i].message[len - 1] == 'c';
        if (!ok)
            printf("# %s: count %llu, %zu bytes\n", v[i].name,
                   (unsigned long long)v[i].count, len);
    }
    CHECK(ok, "1 MB failure messages kept as 1 KB with the cut marker; equal prefixes merge");
    free(v);
    n = sw_stats_exceptions(s, &v);
    CHECK(n == 1 && strlen(v[0].message) == SW_STATS_MSG_MAX - 1, "exception messages capped too");
    free(v);
    free(m);
    sw_stats_free(s);
}

int main(void)
{
    test_msg_cap();
    test_exact();
    test_errors();
    test_delta_merge();
    test_cap();
    test_rps();
    test_robust();
    test_submillisecond();
    test_time_text();
    return CHECK_DONE();
}
