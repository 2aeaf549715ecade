/*
 * test_web.c -- the pure parts of the web server and its outputs: reading
 * POST /swarm bodies (every accepted spelling, every rejection, random
 * bytes), basic-auth and Origin checks, loopback addresses, the history's
 * rows against the statistics they come from (interval counts and
 * percentiles, totals, folding, the row cap), and JSON / Prometheus
 * escaping.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "export.h"
#include "hist.h"
#include "history.h"
#include "stats.h"
#include "web.h"
#include "webreq.h"

/* ---- POST /swarm bodies */

static int parse(const char *body, const char *ct, sw_swarm_args *a, char *msg)
{
    return sw_webreq_swarm(body, strlen(body), ct, 1.5, a, msg, 300);
}

static void ok_body(const char *body, const char *ct, int users, double rate,
                    const char *host, double run_ms)
{
    sw_swarm_args a;
    char msg[300] = "";
    int rc = parse(body, ct, &a, msg);
    CHECK(rc == 0 && a.users == users && fabs(a.rate - rate) < 1e-9
          && ((!host && !a.host) || (host && a.host && strcmp(host, a.host) == 0))
          && a.run_time_ms == run_ms,
          "accepted: %s -> %d users at %g/s (%s)", body, a.users, a.rate, rc ? msg : "ok");
    sw_webreq_free(&a);
}

static void bad_body(const char *body, const char *ct, const char *word)
{
    sw_swarm_args a;
    char msg[300] = "";
    int rc = parse(body, ct, &a, msg);
    CHECK(rc == -1 && strstr(msg, word) && !a.host, "rejected: %.60s -> %s", body, msg);
}

static void test_bodies(void)
{
    ok_body("{\"locust_count\": 3, \"hatch_rate\": 1}", "application/json", 3, 1, NULL, -1);
    ok_body("user_count=3&spawn_rate=1", NULL, 3, 1, NULL, -1);
    ok_body("user_count=3&spawn_rate=1", "application/x-www-form-urlencoded", 3, 1, NULL, -1);
    ok_body("  {\"user_count\": \"7\", \"spawn_rate\": \"2.5\"}", NULL, 7, 2.5, NULL, -1);
    ok_body("{\"user_count\": 0}", NULL, 0, 1.5, NULL, -1);
    ok_body("{\"user_count\": 4e1, \"spawn_rate\": 1E-1}", NULL, 40, 0.1, NULL, -1);
    ok_body("{\"user_count\": 2, \"extra\": {\"a\": [1, {\"b\": null}], \"c\": \"\\u00e9\\ud83d\\ude00\"}}",
            NULL, 2, 1.5, NULL, -1);
    ok_body("{\"user_count\": 2, \"host\": \"http://127.0.0.1:9\", \"run_time\": \"1m30s\"}",
            NULL, 2, 1.5, "http://127.0.0.1:9", 90000);
    ok_body("user_count=5&spawn_rate=2&host=http%3A%2F%2F127.0.0.1%3A9%2Fab&run_time=",
            NULL, 5, 2, "http://127.0.0.1:9/ab", -1);
    ok_body("user_count=5&spawn_rate=2&host=&run_time=10", NULL, 5, 2, NULL, 10000);
    ok_body("user_count=1&locust_count=9&spawn_rate=3&hatch_rate=9", NULL, 1, 3, NULL, -1);
    ok_body("{\"user_count\": null, \"locust_count\": 6}", NULL, 6, 1.5, NULL, -1);
    ok_body("user_count=1000000&spawn_rate=100000", NULL, 1000000, 100000, NULL, -1);
    ok_body("user_count=007&spawn_rate=0.001", NULL, 7, 0.001, NULL, -1);
}

static void test_bad_bodies(void)
{
    bad_body("", NULL, "empty");
    bad_body("user_count=-1", NULL, "negative");
    bad_body("user_count=abc", NULL, "whole number");
    bad_body("user_count=1.5", NULL, "whole number");
    bad_body("user_count=%201", NULL, "whole number");
    bad_body("user_count=1e300", NULL, "decimal digits");
    bad_body("user_count=0x10", NULL, "decimal digits");
    bad_body("user_count=1e3", NULL, "decimal digits");
    bad_body("user_count=+3", NULL, "decimal digits");
    bad_body("user_count=1000001", NULL, "at most 1000000");
    bad_body("{\"user_count\": \"1e3\"}", NULL, "decimal digits");
    bad_body("{\"user_count\": 1e9}", NULL, "at most 1000000");
    bad_body("{\"user_count\": 2.5}", NULL, "decimal digits");
    bad_body("user_count=1&spawn_rate=1e-300", NULL, "plain decimal");
    bad_body("user_count=1&spawn_rate=0x10", NULL, "plain decimal");
    bad_body("user_count=1&spawn_rate=1e3", NULL, "plain decimal");
    bad_body("user_count=1&spawn_rate=0.0001", NULL, "at least 0.001");
    bad_body("user_count=1&spawn_rate=100001", NULL, "at most 100000");
    bad_body("{\"user_count\": 1, \"spawn_rate\": 1e-300}", NULL, "plain decimal");
    bad_body("user_count=nan", NULL, "whole number");
    bad_body("user_count=inf", NULL, "whole number");
    bad_body("user_count=", NULL, "whole number");
    bad_body("spawn_rate=1", NULL, "missing");
    bad_body("user_count=1&spawn_rate=0", NULL, "greater than 0");
    bad_body("user_count=1&hatch_rate=-1", NULL, "greater than 0");
    bad_body("user_count=1&spawn_rate=x", NULL, "per second");
    bad_body("user_count=1&spawn_rate=1000000000", NULL, "at most");
    bad_body("user_count", NULL, "malformed");
    bad_body("=3", NULL, "malformed");
    bad_body("user_count=1&host=ftp://x", NULL, "host");
    bad_body("user_count=1&host=http://a%20b", NULL, "host");
    bad_body("user_count=1&run_time=5parsecs", NULL, "run_time");
    bad_body("{\"user_count\": 3", NULL, "malformed");
    bad_body("{\"user_count\": 3,}", NULL, "malformed");
    bad_body("{\"user_count\": 03}", NULL, "malformed");
    bad_body("{\"user_count\": -}", NULL, "malformed");
    bad_body("{\"user_count\": 1.}", NULL, "malformed");
    bad_body("{\"user_count\": \"3}", NULL, "malformed");
    bad_body("{\"user_count\": \"\\x\"}", NULL, "malformed");
    bad_body("{\"user_count\": \"3\\u0000\"}", NULL, "malformed");
    bad_body("{\"user_count\": \"a\tb\"}", NULL, "malformed");
    bad_body("{user_count: 3}", NULL, "malformed");
    bad_body("{\"user_count\" 3}", NULL, "malformed");
    bad_body("{\"user_count\": 3} {}", NULL, "after");
    bad_body("[3]", NULL, "not an object");
    bad_body("3", "application/json", "not an object");
    bad_body("{\"user_count\": true}", NULL, "must be a number");
    bad_body("{\"user_count\": [3]}", NULL, "must be a number");
    bad_body("{\"user_count\": 1, \"host\": 5}", NULL, "host must be");
    bad_body("{\"user_count\": 1, \"host\": {}}", NULL, "must be a string");
    bad_body("{\"user_count\": 1, \"x\": tru}", NULL, "malformed");
    bad_body("user_count=1", "multipart/form-data; boundary=x", "multipart");
    char deep[200];
    memset(deep, '[', sizeof deep - 1);
    deep[sizeof deep - 1] = '\0';
    char body[300];
    snprintf(body, sizeof body, "{\"x\": %s", deep);
    bad_body(body, NULL, "deeply");
    /* the limit itself: 32 containers inside the body's object, not 33 */
    for (int d = 32; d <= 33; d++) {
        int n = snprintf(body, sizeof body, "{\"user_count\": 2, \"x\": %.*s1", d, deep);
        for (int k = 0; k < d; k++)
            body[n++] = ']';
        snprintf(body + n, sizeof body - (size_t)n, "}");
        if (d == 32)
            ok_body(body, NULL, 2, 1.5, NULL, -1);
        else
            bad_body(body, NULL, "deeply");
    }
    bad_body("{\"user_count\": 2, \"host\": \"http://h\\u0000x\"}", NULL, "u0000");
    sw_swarm_args a;
    char msg[300];
    CHECK(sw_webreq_swarm("user_count=1\0x", 14, NULL, 1, &a, msg, sizeof msg) == -1
          && strstr(msg, "NUL"), "a NUL byte in the body is rejected");

    /* random bytes and random mutations of a valid body: never a crash, and
     * a rejection always says why */
    static const char seed[] = "{\"user_count\": 12, \"spawn_rate\": 2.5, \"host\": \"http://h\", \"x\": [1, {\"y\": \"\\u00e9\"}]}";
    uint64_t r = 88172645463325252ull;
    int sane = 1;
    for (int i = 0; i < 20000; i++) {
        char buf[sizeof seed + 8];
        size_t n = sizeof seed - 1;
        memcpy(buf, seed, n + 1);
        for (int k = 0; k < 1 + i % 4; k++) {
            r ^= r << 13; r ^= r >> 7; r ^= r << 17;
            buf[r % n] = (char)(i & 1 ? (r >> 20) % 128 : (r >> 24) % 256);
        }
        if (i % 5 == 0)
            n = (size_t)(r >> 33) % n;
        buf[n] = '\0';
        msg[0] = '\0';
        int rc = sw_webreq_swarm(buf, strlen(buf), i % 3 ? NULL : "application/json", 1, &a, msg, sizeof msg);
        if (rc == 0) {
            if (a.users < 0 || !(a.rate > 0))
                sane = 0;
            sw_webreq_free(&a);
        } else if (!msg[0] || a.host) {
            sane = 0;
        }
    }
    CHECK(sane, "20000 mutated bodies: each accepted with sane values or rejected with a message");
}

/* ---- auth, origin, loopback */

/* sw_web_auth_match against the token made for userpass. */
static int auth_ok(const char *header, const char *userpass)
{
    char *want = sw_web_auth_token(userpass);
    int ok = want && sw_web_auth_match(header, want);
    free(want);
    return ok;
}

static void test_checks(void)
{
    /* "ann:s3cret" in base64 is YW5uOnMzY3JldA== */
    char *tok = sw_web_auth_token("ann:s3cret");
    CHECK(tok && strcmp(tok, "YW5uOnMzY3JldA==") == 0, "basic auth: the token made once (%s)",
          tok ? tok : "NULL");
    free(tok);
    CHECK(auth_ok("Basic YW5uOnMzY3JldA==", "ann:s3cret"), "basic auth: the right credentials");
    CHECK(auth_ok("basic   YW5uOnMzY3JldA== ", "ann:s3cret"), "basic auth: scheme case, spaces");
    CHECK(!auth_ok("Basic YW5uOnMzY3JldA", "ann:s3cret"), "basic auth: a truncated token");
    CHECK(!auth_ok("Basic YW5uOnMzY3JldA==AA", "ann:s3cret"), "basic auth: a longer token");
    CHECK(!auth_ok("Basic YW5uOnMzY3JldB==", "ann:s3cret"), "basic auth: one character off");
    CHECK(!auth_ok("Bearer YW5uOnMzY3JldA==", "ann:s3cret"), "basic auth: another scheme");
    CHECK(!auth_ok("Basic ", "ann:s3cret") && !auth_ok(NULL, "ann:s3cret"),
          "basic auth: empty or missing");
    CHECK(auth_ok("Basic YTpi", "a:b") && auth_ok("Basic YTpiYw==", "a:bc"),
          "basic auth: base64 padding");

    CHECK(sw_web_same_origin(NULL, "127.0.0.1:8089"), "origin: none is fine");
    CHECK(sw_web_same_origin("http://127.0.0.1:8089", "127.0.0.1:8089"), "origin: the same host:port");
    CHECK(sw_web_same_origin("http://LocalHost:8089", "localhost:8089"), "origin: case-insensitive");
    CHECK(sw_web_same_origin("http://127.0.0.1", "127.0.0.1:80"), "origin: default port 80");
    CHECK(sw_web_same_origin("http://[::1]:8089", "[::1]:8089"), "origin: IPv6");
    CHECK(!sw_web_same_origin("http://127.0.0.1:8090", "127.0.0.1:8089"), "origin: another port");
    CHECK(!sw_web_same_origin("http://evil.example", "127.0.0.1:8089"), "origin: another host");
    CHECK(!sw_web_same_origin("https://127.0.0.1:8089", "127.0.0.1:8089"), "origin: another scheme");
    CHECK(!sw_web_same_origin("null", "127.0.0.1:8089"), "origin: null");
    CHECK(!sw_web_same_origin("http://127.0.0.1:8089", NULL), "origin without a Host");
    CHECK(!sw_web_same_origin("http://127.0.0.1:8089.evil.example", "127.0.0.1:8089"),
          "origin: a longer host");

    CHECK(sw_web_is_loopback("127.0.0.1") && sw_web_is_loopback("127.1.2.3")
          && sw_web_is_loopback("::1") && sw_web_is_loopback("localhost"), "loopback addresses");
    CHECK(!sw_web_is_loopback("0.0.0.0") && !sw_web_is_loopback("::")
          && !sw_web_is_loopback("10.0.0.1") && !sw_web_is_loopback("example.com")
          && !sw_web_is_loopback(NULL), "non-loopback addresses");
}

/* ---- history */

static int fake_users = 7;
static int users_fn(void) { return fake_users; }

static double wall_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_history(void)
{
    sw_stats *s = sw_stats_new();
    sw_history *h = sw_history_new(NULL, s, users_fn);
    double t = floor(wall_now()) + 10;       /* synthetic whole seconds ahead */
    sw_stats_request(s, "GET", "/before", 999000, 1, NULL, t - 20);   /* before the start */
    sw_history_start(h);
    CHECK(sw_history_running(h) && sw_history_count(h) == 0, "history: started, no row yet");

    /* second 1: 100 requests of 1..100 ms, 10 failures */
    sw_hist ref;
    sw_hist_init(&ref);
    for (int i = 1; i <= 100; i++) {
        sw_stats_request(s, "GET", "/a", (uint64_t)i * 1000, 10, i % 10 ? NULL : "boom", t - 0.5);
        sw_hist_record(&ref, (uint64_t)i * 1000);
    }
    sw_history_tick(h, t);
    const sw_history_row *r = sw_history_row_at(h, 0);
    CHECK(sw_history_count(h) == 1 && r && r->requests == 100 && r->user_count == 7,
          "history: one row with the second's 100 requests and the user count");
    int pct_ok = 1;
    for (int k = 0; k < SW_HISTORY_NPCT; k++)
        if (r->pct_us[k] != sw_hist_percentile(&ref, sw_history_pcts[k]))
            pct_ok = 0;
    CHECK(pct_ok && sw_stats_ms(r->pct_us[0]) == 50 && r->pct_us[SW_HISTORY_NPCT - 1] == 100000,
          "history: the row's percentiles are the second's own (p50 %llu us, p100 %llu us)",
          (unsigned long long)r->pct_us[0], (unsigned long long)r->pct_us[SW_HISTORY_NPCT - 1]);
    const sw_stats_entry *a = sw_stats_aggregated(s);
    CHECK(r->total_requests == 101 && r->total_failures == 10 && r->total_max_us == 999000
          && r->total_min_us == 1000 && r->total_median_us == sw_stats_percentile_us(a, 0.5)
          && sw_stats_ms(r->total_median_us) == sw_stats_median_ms(a) && r->total_avg == sw_stats_avg_ms(a),
          "history: totals are the whole statistics' (request before the start included)");

    /* second 2: 10 slow requests; its percentiles know nothing of second 1 */
    sw_hist_reset(&ref);
    for (int i = 0; i < 10; i++) {
        sw_stats_request(s, "POST", "/b", 500000 + (uint64_t)i * 1000, 0, NULL, t + 0.5);
        sw_hist_record(&ref, 500000 + (uint64_t)i * 1000);
    }
    sw_history_tick(h, t + 1);
    r = sw_history_row_at(h, 1);
    pct_ok = 1;
    for (int k = 0; k < SW_HISTORY_NPCT; k++)
        if (r->pct_us[k] != sw_hist_percentile(&ref, sw_history_pcts[k]))
            pct_ok = 0;
    CHECK(r && r->requests == 10 && pct_ok && r->pct_us[0] >= 500000 && r->pct_us[SW_HISTORY_NPCT - 1] == 509000
          && fabs(r->rps - 10) < 1e-9 && r->fail_per_sec == 0,
          "history: second 2 has its own 10 requests, rate 10/s, p50 %llu us",
          (unsigned long long)(r ? r->pct_us[0] : 0));
    CHECK(sw_history_current_percentile_us(h, 1.0) == 509000,
          "history: current percentiles over the window");
    CHECK(sw_stats_ms(sw_history_current_percentile_us(h, 0.5)) == 55,
          "history: current median over both seconds (110 samples) is 55 ms (got %llu us)",
          (unsigned long long)sw_history_current_percentile_us(h, 0.5));

    /* a stop in the same second folds into the last row */
    sw_stats_request(s, "POST", "/b", 600000, 0, NULL, t + 1.2);
    sw_history_stop(h);
    r = sw_history_row_at(h, 1);
    CHECK(sw_history_count(h) == 2 && !sw_history_running(h) && r->requests == 11
          && r->total_requests == 112, "history: the stop row folds into the same second's row");

    /* CSV */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sw_history_csv(f, h);
    fclose(f);
    int lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    CHECK(lines == 3 && strncmp(buf, "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,", 57) == 0
          && strstr(buf, ",7,,Aggregated,") && strstr(buf, ",50,66,75,80,90,95,98,99,100,100,100,101,10,"),
          "history CSV: header and rows");
    free(buf);

    /* reset, and the cap */
    sw_history_reset(h);
    CHECK(sw_history_count(h) == 0 && sw_history_current_percentile_us(h, 0.5) == 0, "history: reset");
    sw_history_start(h);
    for (int i = 0; i < SW_HISTORY_MAX_ROWS + 5; i++)
        sw_history_tick(h, t + 2 + i);
    CHECK(sw_history_count(h) == SW_HISTORY_MAX_ROWS
          && sw_history_row_at(h, 0)->time == t + 2 + 5
          && sw_history_row_at(h, SW_HISTORY_MAX_ROWS - 1)->time == t + 2 + SW_HISTORY_MAX_ROWS + 4,
          "history: at most %d rows, the oldest dropped", SW_HISTORY_MAX_ROWS);
    sw_hist_free(&ref);
    sw_history_free(h);
    sw_stats_free(s);
}

/* ---- times in the JSON: two decimals under 10 ms, whole ms from 10 */

static char *capture(void (*fn)(FILE *, const void *), const void *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fn(f, arg);
    fclose(f);
    return buf;
}
static void requests_doc(FILE *f, const void *c) { sw_export_requests(f, c); }
static void history_doc(FILE *f, const void *h) { sw_export_history(f, h); }

static void test_json_times(void)
{
    sw_stats *s = sw_stats_new();
    sw_history *h = sw_history_new(NULL, s, users_fn);
    double t = floor(wall_now()) + 10;
    sw_history_start(h);
    sw_stats_request(s, "GET", "/fast", 370, 0, NULL, t - 0.5);
    sw_stats_request(s, "GET", "/fast", 412, 0, NULL, t - 0.5);
    sw_stats_request(s, "GET", "/fast", 2049, 0, NULL, t - 0.5);   /* bucket 2048..2079 */
    sw_stats_request(s, "GET", "/slow", 25000, 0, NULL, t - 0.4);
    sw_stats_request(s, "GET", "/slow", 30400, 0, NULL, t - 0.4);
    sw_history_tick(h, t);
    sw_export_ctx c = { s, h, "running", 1, t };
    char *j = capture(requests_doc, &c);
    CHECK(strstr(j, "\"name\":\"/fast\",\"num_requests\":3,\"num_failures\":0,\"avg_response_time\":0.943666666666667,"
                    "\"min_response_time\":0.37,\"max_response_time\":2.05,\"median_response_time\":0.41,") != NULL
          && strstr(j, "\"response_time_percentile_0.95\":2.05,\"response_time_percentile_0.99\":2.05") != NULL,
          "JSON: a sub-ms entry's min, max, median and percentiles with two decimals, avg exact");
    CHECK(strstr(j, "\"name\":\"/slow\",\"num_requests\":2,\"num_failures\":0,\"avg_response_time\":27.7,"
                    "\"min_response_time\":25,\"max_response_time\":31,\"median_response_time\":25,") != NULL
          && strstr(j, "\"response_time_percentile_0.95\":30,\"response_time_percentile_0.99\":30}") != NULL,
          "JSON: a slow entry's times in whole ms (min down, max up, percentiles half up)");
    CHECK(strstr(j, "\"current_response_time_percentile_50\":2.06,\"current_response_time_percentile_95\":30,") != NULL,
          "JSON: current percentiles by the same rule (median: 2049's bucket midpoint, 2064 us)");
    free(j);
    j = capture(history_doc, h);
    CHECK(strstr(j, "\"p50\":2.06,\"p66\":25,") && strstr(j, "\"p100\":31,")
          && strstr(j, "\"total_median\":2.06,") && strstr(j, "\"total_min\":0.37,\"total_max\":31,"),
          "JSON history rows by the same rule (%.200s)", j);
    free(j);
    sw_history_free(h);
    sw_stats_free(s);
}

/* ---- escaping */

static char *capture_json_str(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sw_export_json_str(f, s);
    fclose(f);
    return buf;
}

static void test_escaping(void)
{
    char *j = capture_json_str("a\"b\\c\n\x01\xc3\xa9\xff\xe2\x82");
    CHECK(strcmp(j, "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\\ufffd\\ufffd\\ufffd\"") == 0,
          "JSON strings: quotes, backslashes, controls escaped; valid UTF-8 kept; invalid bytes U+FFFD (%s)", j);
    free(j);

    sw_stats *s = sw_stats_new();
    sw_stats_request(s, "GET", "say \"hi\" \\ now\n", 1500, 0, NULL, 1000.5);
    sw_stats_request(s, "GET", "say \"hi\" \\ now\n", 30000, 0, "x", 1000.6);
    sw_export_ctx c = { s, NULL, "running", 3, 1001 };
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sw_export_metrics(f, &c);
    fclose(f);
    CHECK(strstr(buf, "swarm_requests_total{method=\"GET\",name=\"say \\\"hi\\\" \\\\ now\\n\"} 2\n")
          && strstr(buf, "swarm_failures_total{method=\"GET\",name=\"say \\\"hi\\\" \\\\ now\\n\"} 1\n"),
          "Prometheus: label values escaped");
    CHECK(strstr(buf, ",le=\"0.001\"} 0\n") && strstr(buf, ",le=\"0.0025\"} 1\n")
          && strstr(buf, ",le=\"0.025\"} 1\n") && strstr(buf, ",le=\"0.05\"} 2\n")
          && strstr(buf, ",le=\"+Inf\"} 2\n") && strstr(buf, "_sum{method=\"GET\",name=\"say \\\"hi\\\" \\\\ now\\n\"} 0.031500\n"),
          "Prometheus: cumulative buckets and the sum");
    CHECK(strstr(buf, "swarm_state{state=\"running\"} 1\n") && strstr(buf, "swarm_state{state=\"ready\"} 0\n")
          && strstr(buf, "swarm_users 3\n") && strstr(buf, "# TYPE swarm_response_time_seconds histogram\n"),
          "Prometheus: state, users, TYPE lines");
    free(buf);
    sw_stats_free(s);
}

int main(void)
{
    test_bodies();
    test_bad_bodies();
    test_checks();
    test_history();
    test_escaping();
    test_json_times();
    return CHECK_DONE();
}
