/*
 * test_thrspec.c -- the threshold / arrival parser shared by swarmc and the
 * load binary (runtime/thrspec.c): every metric and unit, the error spans
 * swarmc puts its caret under, and the arrival line.
 */
#include <math.h>
#include <string.h>

#include "check.h"
#include "thrspec.h"

static int near(double a, double b) { return fabs(a - b) < 1e-9; }

static void test_ok(void)
{
    sw_thr_spec t;
    char err[256];
    CHECK(sw_thr_parse("all p95 < 300ms", &t, err, sizeof err, NULL, NULL) == 0 && t.all
          && t.metric == SW_THR_PCT && near(t.q, 0.95) && t.op == SW_THR_LT && near(t.value, 300)
          && !t.abort && strcmp(t.text, "all p95 < 300ms") == 0, "all p95 < 300ms");
    CHECK(sw_thr_parse("  \"get /items/{id}\" p99.99 <= 1.5s abort  # note", &t, err, sizeof err,
                       NULL, NULL) == 0 && !t.all && strcmp(t.method, "GET") == 0
          && strcmp(t.name, "/items/{id}") == 0 && near(t.q, 0.9999) && t.op == SW_THR_LE
          && near(t.value, 1500) && t.abort
          && strcmp(t.text, "\"get /items/{id}\" p99.99 <= 1.5s abort") == 0,
          "quoted entry, method upper-cased, p99.99, seconds, abort, comment cut");
    CHECK(sw_thr_parse("all fail_ratio < 1%", &t, err, sizeof err, NULL, NULL) == 0
          && t.metric == SW_THR_FAIL_RATIO && near(t.value, 0.01), "fail_ratio in percent");
    CHECK(sw_thr_parse("all fail_ratio <= 0.05", &t, err, sizeof err, NULL, NULL) == 0
          && near(t.value, 0.05), "fail_ratio as a fraction");
    CHECK(sw_thr_parse("all rps > 50/s", &t, err, sizeof err, NULL, NULL) == 0
          && t.metric == SW_THR_RPS && t.op == SW_THR_GT && near(t.value, 50), "rps with /s");
    CHECK(sw_thr_parse("all avg >= 2m", &t, err, sizeof err, NULL, NULL) == 0
          && t.metric == SW_THR_AVG && t.op == SW_THR_GE && near(t.value, 120000), "avg in minutes");
    CHECK(sw_thr_parse("all max < 120", &t, err, sizeof err, NULL, NULL) == 0
          && t.metric == SW_THR_MAX && near(t.value, 120), "a bare number is ms");
    CHECK(sw_thr_parse("all p100 < 1s", &t, err, sizeof err, NULL, NULL) == 0 && near(t.q, 1),
          "p100 is the max");
    char m[32];
    sw_thr_parse("all p99.9 < 1s", &t, err, sizeof err, NULL, NULL);
    sw_thr_metric_text(&t, m, sizeof m);
    CHECK(strcmp(m, "p99.9") == 0, "metric text p99.9 (%s)", m);
}

static void bad(const char *s, int col, int span, const char *want)
{
    sw_thr_spec t;
    char err[256];
    int c = -1, n = -1;
    int rc = sw_thr_parse(s, &t, err, sizeof err, &c, &n);
    CHECK(rc == -1 && c == col && n == span && strstr(err, want),
          "'%s': error at %d+%d containing '%s' (got %d+%d '%s')", s, col, span, want, c, n, err);
}

static void test_errors(void)
{
    bad("all p95 < 30%", 10, 3, "takes a duration");
    bad("\"GET/x\" avg < 1s", 0, 7, "no space");
    bad("all rps > 5 abort extra", 18, 5, "only 'abort'");
    bad("all", 3, 1, "expected a metric");
    bad("any p95 < 1s", 0, 3, "starts with 'all'");
    bad("all p0 < 1s", 4, 2, "not a percentile");
    bad("all fail_ratio < 5", 17, 1, "fraction from 0 to 1");
    bad("all fail_ratio < 101%", 17, 4, "at most 100%");
    bad("all p95 == 1s", 8, 2, "comparison");
    bad("\"GET /x p95 < 1s", 0, 1, "unterminated");
    bad("all p95 < 1.2.3s", 10, 6, "not a number");
    bad("all p95 <", 9, 1, "expected a value");
}

static void test_arrival(void)
{
    sw_arr_spec a;
    char err[256];
    int c = -1, n = -1;
    CHECK(sw_arr_parse("rate 200 per second", &a, err, sizeof err, NULL, NULL) == 0
          && near(a.rate, 200) && !a.poisson, "rate 200 per second");
    CHECK(sw_arr_parse(" rate 30 per minute poisson", &a, err, sizeof err, NULL, NULL) == 0
          && near(a.rate, 0.5) && a.poisson, "per minute, poisson");
    CHECK(sw_arr_parse("rate 0 per second", &a, err, sizeof err, &c, &n) == -1 && c == 5,
          "rate 0 refused at its number");
    CHECK(sw_arr_parse("rate 5 per hour", &a, err, sizeof err, &c, &n) == -1 && c == 11
          && strstr(err, "'second' or 'minute'"), "per hour refused");
    CHECK(sw_arr_parse("rate 5 per second uniform", &a, err, sizeof err, &c, &n) == -1 && c == 18,
          "trailing word refused");
}

int main(void)
{
    test_ok();
    test_errors();
    test_arrival();
    return CHECK_DONE();
}
