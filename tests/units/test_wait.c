/*
 * test_wait.c -- think-time distributions: constant, between (bounds, mean,
 * spread, repeatability), pacing and throughput arithmetic.
 */
#include <math.h>

#include "builtins.h"
#include "check.h"
#include "wait.h"

static void test_between(void)
{
    sw_wait w = { SW_WAIT_BETWEEN, 900, 1100 };
    sw_wait rev = { SW_WAIT_BETWEEN, 1100, 900 };
    double sum = 0, sq = 0, lo = 1e9, hi = -1e9, mean, sd, first[10];
    int i, n = 100000, inside = 1, same = 1, buckets[4] = { 0 };

    sw_rng_seed(1234);
    for (i = 0; i < n; i++) {
        double x = sw_wait_next(&w, 50);
        inside = inside && x >= 900 && x <= 1100;
        sum += x;
        sq += x * x;
        if (x < lo) lo = x;
        if (x > hi) hi = x;
        if (x >= 900 && x <= 1100)
            buckets[x >= 1100 ? 3 : (int)((x - 900) / 50)]++;
    }
    mean = sum / n;
    sd = sqrt(sq / n - mean * mean);
    CHECK(inside, "between 900 and 1100 stays within [900, 1100]");
    CHECK(fabs(mean - 1000) < 3, "between mean %.2f near 1000", mean);
    CHECK(fabs(sd - 200 / sqrt(12)) < 3, "between spread %.2f near 57.7 (uniform)", sd);
    CHECK(lo < 901 && hi > 1099, "between reaches near both ends (%.2f, %.2f)", lo, hi);
    CHECK(buckets[0] > 24000 && buckets[0] < 26000 && buckets[3] > 24000 && buckets[3] < 26000,
          "between quarters equally filled: %d %d %d %d", buckets[0], buckets[1], buckets[2], buckets[3]);

    sw_rng_seed(5);
    for (i = 0; i < 10; i++)
        first[i] = sw_wait_next(&w, 0);
    sw_rng_seed(5);
    for (i = 0; i < 10; i++)
        same = same && sw_wait_next(&w, 0) == first[i];
    CHECK(same, "between is repeatable with the seed");

    inside = 1;
    for (i = 0; i < 1000; i++) {
        double x = sw_wait_next(&rev, 0);
        inside = inside && x >= 900 && x <= 1100;
    }
    CHECK(inside, "between with reversed bounds stays in [900, 1100]");
    w.a = w.b = 500;
    CHECK(sw_wait_next(&w, 10) == 500, "between 500 and 500 is 500");
}

static void test_fixed(void)
{
    sw_wait none = { SW_WAIT_NONE, 123, 456 };
    sw_wait c = { SW_WAIT_CONST, 250, 0 };
    sw_wait neg = { SW_WAIT_CONST, -5, 0 };
    sw_wait pace = { SW_WAIT_PACING, 1000, 0 };
    sw_wait tp = { SW_WAIT_THROUGHPUT, 4, 0 };
    sw_wait tp0 = { SW_WAIT_THROUGHPUT, 0, 0 };
    sw_wait tpf = { SW_WAIT_THROUGHPUT, 0.5, 0 };

    CHECK(sw_wait_next(&none, 100) == 0, "no wait declared: 0");
    CHECK(sw_wait_next(NULL, 100) == 0, "NULL wait: 0");
    CHECK(sw_wait_next(&c, 0) == 250 && sw_wait_next(&c, 5000) == 250, "constant 250 whatever the task took");
    CHECK(sw_wait_next(&neg, 0) == 0, "negative constant clamps to 0");
    CHECK(sw_wait_next(&pace, 300) == 700, "pacing 1s after a 300ms task waits 700ms");
    CHECK(sw_wait_next(&pace, 0) == 1000, "pacing 1s after an instant task waits 1s");
    CHECK(sw_wait_next(&pace, 1000) == 0, "pacing 1s after a 1s task waits 0");
    CHECK(sw_wait_next(&pace, 1500) == 0, "pacing 1s after a 1.5s task waits 0");
    CHECK(sw_wait_next(&tp, 100) == 150, "throughput 4/s after a 100ms task waits 150ms");
    CHECK(sw_wait_next(&tp, 300) == 0, "throughput 4/s after a 300ms task waits 0");
    CHECK(sw_wait_next(&tpf, 500) == 1500, "throughput 0.5/s after 500ms waits 1500ms");
    CHECK(sw_wait_next(&tp0, 0) == 0, "throughput 0 waits 0 (no division by zero)");
    CHECK(sw_wait_next(&pace, NAN) == 1000, "NaN task time counts as 0");
}

int main(void)
{
    test_between();
    test_fixed();
    return CHECK_DONE();
}
