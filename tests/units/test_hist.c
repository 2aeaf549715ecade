/*
 * test_hist.c -- the latency histogram against exact ground truth: bucket
 * geometry, percentiles within 1% of the sorted samples over 1 us .. 30 min
 * for several distributions, exact merge, shipping by buckets.
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hist.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)                  /* xorshift64* */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

static double rnd01(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }

#define MAX_US 1800000000ull                /* 30 minutes */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sample generators, all within [1 us, 30 min] or [0, ...]. */
static uint64_t gen_uniform(void) { return 1 + rnd() % MAX_US; }
static uint64_t gen_logu(void) { return (uint64_t)exp(rnd01() * log((double)MAX_US)); }
static uint64_t gen_exp(void)
{
    double v = -log(1.0 - rnd01()) * 50000.0;   /* mean 50 ms */
    return v > MAX_US ? MAX_US : (uint64_t)v + 1;
}
static uint64_t gen_bimodal(void)
{
    return rnd() % 10 ? 2000 + rnd() % 3000 : 900000000 + rnd() % 1000000;
}
static uint64_t gen_small(void) { return rnd() % 300; }
static uint64_t gen_const(void) { return 123456789; }

/* Quantiles as exact fractions num/1e6 so the ground truth rank is integer. */
static const uint64_t qnum[] = { 0, 1, 10000, 500000, 660000, 750000, 800000,
    900000, 950000, 980000, 990000, 999000, 999900, 999999, 1000000 };
#define NQ (sizeof qnum / sizeof qnum[0])

/* Checks every quantile of sorted v against h; returns the number of
 * violations of the 1% bound (and prints the first). */
static int compare_all(const sw_hist *h, const uint64_t *v, uint64_t n, const char *what)
{
    int bad = 0;
    for (size_t i = 0; i < NQ; i++) {
        uint64_t rank = (qnum[i] * n + 999999) / 1000000;   /* ceil */
        if (rank < 1) rank = 1;
        uint64_t truth = v[rank - 1];
        uint64_t got = sw_hist_percentile(h, (double)qnum[i] / 1e6);
        double err = fabs((double)got - (double)truth);
        if (err > 0.01 * (double)truth) {
            if (!bad)
                printf("# %s n=%" PRIu64 " q=%g: got %" PRIu64 " want %" PRIu64 "\n",
                       what, n, (double)qnum[i] / 1e6, got, truth);
            bad++;
        }
    }
    /* random quantiles too */
    for (int i = 0; i < 200; i++) {
        uint64_t num = rnd() % 1000001;
        uint64_t rank = (num * n + 999999) / 1000000;
        if (rank < 1) rank = 1;
        uint64_t truth = v[rank - 1];
        uint64_t got = sw_hist_percentile(h, (double)num / 1e6);
        if (fabs((double)got - (double)truth) > 0.01 * (double)truth) {
            if (!bad)
                printf("# %s n=%" PRIu64 " q=%g: got %" PRIu64 " want %" PRIu64 "\n",
                       what, n, (double)num / 1e6, got, truth);
            bad++;
        }
    }
    return bad;
}

static void test_geometry(void)
{
    int ok = 1;
    CHECK(sw_hist_index(0) == 0, "index(0) is 0");
    CHECK(sw_hist_index(UINT64_MAX) == SW_HIST_BUCKETS - 1, "index(UINT64_MAX) is the last bucket");
    CHECK(sw_hist_bucket_hi(SW_HIST_BUCKETS - 1) == UINT64_MAX, "last bucket ends at UINT64_MAX");
    for (int i = 0; i + 1 < SW_HIST_BUCKETS; i++)
        if (sw_hist_bucket_hi(i) + 1 != sw_hist_bucket_lo(i + 1) || sw_hist_bucket_lo(i) > sw_hist_bucket_hi(i))
            ok = 0;
    CHECK(ok, "buckets are contiguous and ordered");
    ok = 1;
    for (int i = 0; i < 200000 && ok; i++) {
        uint64_t v = i < 1000 ? (uint64_t)i : rnd() >> (rnd() % 64);
        int x = sw_hist_index(v);
        if (x < 0 || x >= SW_HIST_BUCKETS || sw_hist_bucket_lo(x) > v || sw_hist_bucket_hi(x) < v) {
            printf("# value %" PRIu64 " index %d\n", v, x);
            ok = 0;
        }
        /* width at most lo/64 above the exact range */
        if (x >= 128 && (sw_hist_bucket_hi(x) - sw_hist_bucket_lo(x) + 1) * 64 > sw_hist_bucket_lo(x))
            ok = 0;
    }
    CHECK(ok, "every value lies in its bucket, buckets at most 1/64 wide");
    ok = 1;
    for (uint64_t v = 0; v < 128; v++)
        if (sw_hist_bucket_lo(sw_hist_index(v)) != v || sw_hist_bucket_hi(sw_hist_index(v)) != v)
            ok = 0;
    CHECK(ok, "values below 128 have exact buckets");
    CHECK(sw_hist_index(3600000000ull) < SW_HIST_BUCKETS, "one hour is covered");
}

static void test_distribution(const char *name, uint64_t (*gen)(void), uint64_t n)
{
    uint64_t *v = malloc(n * sizeof *v);
    sw_hist h;
    sw_hist_init(&h);
    for (uint64_t i = 0; i < n; i++) {
        v[i] = gen();
        sw_hist_record(&h, v[i]);
    }
    qsort(v, n, sizeof *v, cmp_u64);
    CHECK(sw_hist_count(&h) == n, "%s n=%" PRIu64 ": count", name, n);
    CHECK(sw_hist_min(&h) == v[0] && sw_hist_max(&h) == v[n - 1], "%s n=%" PRIu64 ": exact min/max", name, n);
    CHECK(sw_hist_percentile(&h, 0) == v[0] && sw_hist_percentile(&h, 1) == v[n - 1],
          "%s n=%" PRIu64 ": q=0 is min, q=1 is max", name, n);
    int bad = compare_all(&h, v, n, name);
    CHECK(bad == 0, "%s n=%" PRIu64 ": all percentiles within 1%% of exact (%d off)", name, n, bad);
    sw_hist_free(&h);
    free(v);
}

static void test_small_exact(void)
{
    uint64_t v[1000];
    sw_hist h;
    sw_hist_init(&h);
    for (int i = 0; i < 1000; i++) {
        v[i] = rnd() % 128;
        sw_hist_record(&h, v[i]);
    }
    qsort(v, 1000, sizeof v[0], cmp_u64);
    int ok = 1;
    for (uint64_t k = 0; k <= 1000; k++) {
        uint64_t rank = k ? k : 1;          /* q = k/1000, n = 1000 */
        if (sw_hist_percentile(&h, (double)k / 1000.0) != v[rank - 1])
            ok = 0;
    }
    CHECK(ok, "samples below 128 us give exact nearest-rank percentiles");
    sw_hist_free(&h);
}

static void test_merge(uint64_t (*gen)(void), const char *name)
{
    enum { N = 50000 };
    sw_hist a, b, all, m;
    sw_hist_init(&a); sw_hist_init(&b); sw_hist_init(&all); sw_hist_init(&m);
    for (int i = 0; i < N; i++) {
        uint64_t x = gen();
        sw_hist_record(rnd() % 3 ? &a : &b, x);
        sw_hist_record(&all, x);
    }
    CHECK(sw_hist_merge(&m, &a) == 0 && sw_hist_merge(&m, &b) == 0, "%s: merge succeeds", name);
    CHECK(sw_hist_equal(&m, &all), "%s: hist(A)+hist(B) == hist(A u B) bucket for bucket", name);
    int same = 1;
    for (int i = 0; i <= 1000; i++)
        if (sw_hist_percentile(&m, i / 1000.0) != sw_hist_percentile(&all, i / 1000.0))
            same = 0;
    CHECK(same, "%s: merged percentiles equal the single histogram's", name);
    /* order does not matter */
    sw_hist m2;
    sw_hist_init(&m2);
    sw_hist_merge(&m2, &b);
    sw_hist_merge(&m2, &a);
    CHECK(sw_hist_equal(&m2, &all), "%s: merge is order independent", name);
    /* merging an empty histogram changes nothing */
    sw_hist empty;
    sw_hist_init(&empty);
    sw_hist_merge(&m2, &empty);
    CHECK(sw_hist_equal(&m2, &all), "%s: merging empty is a no-op", name);
    CHECK(!sw_hist_equal(&a, &all), "%s: sw_hist_equal can say no", name);
    sw_hist_free(&a); sw_hist_free(&b); sw_hist_free(&all); sw_hist_free(&m); sw_hist_free(&m2);
    sw_hist_free(&empty);
}

static void test_ship(void)
{
    sw_hist h, r;
    sw_hist_init(&h);
    sw_hist_init(&r);
    for (int i = 0; i < 20000; i++)
        sw_hist_record(&h, gen_logu());
    sw_hist_iter it;
    sw_hist_iter_init(&it);
    int idx, nb = 0, ordered = 1, last = -1;
    uint64_t cnt, total = 0;
    while (sw_hist_next(&h, &it, &idx, &cnt)) {
        if (idx <= last || cnt == 0)
            ordered = 0;
        last = idx;
        total += cnt;
        nb++;
        sw_hist_add_bucket(&r, idx, cnt);
    }
    CHECK(ordered && total == sw_hist_count(&h), "iterator visits non-empty buckets in order (%d)", nb);
    sw_hist_set_minmax(&r, sw_hist_min(&h), sw_hist_max(&h));
    CHECK(sw_hist_equal(&r, &h), "histogram rebuilt from (index, count) buckets is identical");
    CHECK(sw_hist_add_bucket(&r, -1, 1) == -1 && sw_hist_add_bucket(&r, SW_HIST_BUCKETS, 1) == -1,
          "bad bucket index refused");
    sw_hist c;
    sw_hist_init(&c);
    sw_hist_record(&c, 5);
    CHECK(sw_hist_copy(&c, &h) == 0 && sw_hist_equal(&c, &h), "copy is identical");
    sw_hist_reset(&c);
    CHECK(sw_hist_count(&c) == 0 && sw_hist_percentile(&c, 0.5) == 0, "reset empties");
    sw_hist_record(&c, 77);
    CHECK(sw_hist_count(&c) == 1 && sw_hist_percentile(&c, 0.5) == 77 && sw_hist_min(&c) == 77,
          "record after reset");
    sw_hist_free(&h); sw_hist_free(&r); sw_hist_free(&c);
}

static void test_rank(void)
{
    CHECK(sw_hist_rank(0, 0.5) == 0, "rank of empty is 0");
    CHECK(sw_hist_rank(100, 0.07) == 7, "rank(100, 0.07) is 7 despite float noise");
    CHECK(sw_hist_rank(4, 0.5) == 2 && sw_hist_rank(5, 0.5) == 3, "median rank is ceil(n/2)");
    CHECK(sw_hist_rank(10, 0) == 1 && sw_hist_rank(10, 1) == 10 && sw_hist_rank(10, 2) == 10
          && sw_hist_rank(10, -1) == 1 && sw_hist_rank(10, NAN) == 1, "rank clamps");
}

int main(void)
{
    test_geometry();
    test_rank();
    static const struct { const char *name; uint64_t (*gen)(void); } d[] = {
        { "uniform", gen_uniform }, { "log-uniform", gen_logu }, { "exponential", gen_exp },
        { "bimodal", gen_bimodal }, { "small", gen_small }, { "constant", gen_const },
    };
    static const uint64_t sizes[] = { 1, 2, 7, 1000, 200000 };
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        for (size_t j = 0; j < sizeof sizes / sizeof sizes[0]; j++)
            test_distribution(d[i].name, d[i].gen, sizes[j]);
    test_small_exact();
    test_merge(gen_logu, "log-uniform");
    test_merge(gen_bimodal, "bimodal");
    test_ship();
    return CHECK_DONE();
}
