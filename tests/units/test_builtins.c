/*
 * test_builtins.c -- the seeded RNG (repeatability, ranges, uniformity,
 * no modulo bias) and every built-in function, including the errors they
 * raise.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "builtins.h"
#include "check.h"
#include "values.h"
#include "json.h"
#include "rt.h"
#include "value.h"

/* The value is null and the last error mentions `what`; clears the error. */
static int raised(sw_val v, const char *what)
{
    int ok = v.t == SW_T_NULL && strstr(sw_last_error(), what) != NULL;
    if (!ok)
        printf("# last error: \"%s\", want \"%s\"\n", sw_last_error(), what);
    sw_unref(v);
    sw_clear_last_error();
    return ok;
}

static void test_rng(void)
{
    uint64_t a[100], b;
    int i, same = 1, differ = 0, inrange = 1, hit_lo = 0, hit_hi = 0;
    double sum = 0;
    long counts[10] = { 0 }, low = 0;
    double chi = 0;

    sw_rng_seed(42);
    for (i = 0; i < 100; i++)
        a[i] = sw_rng_u64();
    sw_rng_seed(42);
    for (i = 0; i < 100; i++)
        same = same && sw_rng_u64() == a[i];
    CHECK(same, "same seed, same sequence");
    sw_rng_seed(43);
    for (i = 0; i < 100; i++)
        differ += sw_rng_u64() != a[i];
    CHECK(differ > 95, "another seed, another sequence");
    b = a[0];
    for (i = 1; i < 100; i++)
        b |= a[i];
    CHECK(b == UINT64_MAX, "all 64 bits get used");

    for (i = 0; i < 100000; i++) {
        double u = sw_rng_uniform();
        inrange = inrange && u >= 0.0 && u < 1.0;
        sum += u;
    }
    CHECK(inrange, "uniform() in [0, 1)");
    CHECK(fabs(sum / 100000 - 0.5) < 0.01, "uniform() mean %.4f near 0.5", sum / 100000);

    for (i = 0; i < 10000; i++) {
        int64_t r = sw_rng_range(-3, 3);
        inrange = inrange && r >= -3 && r <= 3;
        hit_lo += r == -3;
        hit_hi += r == 3;
    }
    CHECK(inrange && hit_lo > 0 && hit_hi > 0, "range(-3, 3) stays inside and reaches both ends");
    CHECK(sw_rng_range(7, 7) == 7, "range(7, 7) == 7");
    {
        int64_t r = sw_rng_range(INT64_MIN, INT64_MAX), r2 = sw_rng_range(INT64_MAX - 1, INT64_MAX);
        (void)r;
        CHECK(r2 == INT64_MAX - 1 || r2 == INT64_MAX, "range at the top of int64");
        r2 = sw_rng_range(INT64_MIN, INT64_MIN + 1);
        CHECK(r2 == INT64_MIN || r2 == INT64_MIN + 1, "range at the bottom of int64");
    }

    /* chi-square of random(1, 10) over 100k draws: 9 degrees of freedom,
     * p = 0.001 critical value 27.9; the bound is generous */
    sw_rng_seed(7);
    for (i = 0; i < 100000; i++) {
        sw_val v = sw_b_random(sw_int(1), sw_int(10));
        if (v.t == SW_T_INT && v.u.i >= 1 && v.u.i <= 10)
            counts[v.u.i - 1]++;
    }
    for (i = 0; i < 10; i++)
        chi += (counts[i] - 10000.0) * (counts[i] - 10000.0) / 10000.0;
    CHECK(chi < 40.0, "random(1, 10) uniform: chi-square %.2f < 40", chi);
    {
        long total = 0;
        for (i = 0; i < 10; i++)
            total += counts[i];
        CHECK(total == 100000, "random(1, 10) always in [1, 10]");
    }

    /* no modulo bias: range(INT64_MIN, 2^62 - 1) spans 3 * 2^62 values; a
     * plain modulo of a 64-bit draw puts half the results in the first
     * quarter of 2^64 (below INT64_MIN / 2), an unbiased draw a third */
    for (i = 0; i < 30000; i++)
        low += sw_rng_range(INT64_MIN, ((int64_t)1 << 62) - 1) < INT64_MIN / 2;
    CHECK(fabs(low / 30000.0 - 1.0 / 3.0) < 0.02, "range over 3*2^62 values is unbiased (%.3f ~ 0.333)",
          low / 30000.0);
}

static void test_random_builtins(void)
{
    sw_val u1, u2;
    int i, ok = 1;
    const char *p;
    CHECK(raised(sw_b_random(sw_int(5), sw_int(1)), "a <= b"), "random(5, 1) raises");
    CHECK(raised(sw_b_random(S("1"), sw_int(3)), "integer"), "random(\"1\", 3) raises");
    CHECK(is_int(sw_b_random(sw_float(4.0), sw_float(4.0)), 4), "random(4.0, 4.0) == 4");
    for (i = 0; i < 1000; i++) {
        sw_val f = sw_b_random_float();
        ok = ok && f.t == SW_T_FLOAT && f.u.f >= 0 && f.u.f < 1;
    }
    CHECK(ok, "random_float() in [0, 1)");

    sw_rng_seed(99);
    u1 = sw_b_uuid();
    p = SW_AS_STR(u1)->s;
    ok = SW_AS_STR(u1)->len == 36;
    for (i = 0; ok && i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23)
            ok = p[i] == '-';
        else
            ok = (p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f');
    }
    CHECK(ok, "uuid() is 8-4-4-4-12 lowercase hex: %s", p);
    CHECK(p[14] == '4', "uuid() version 4");
    CHECK(strchr("89ab", p[19]) != NULL, "uuid() RFC 4122 variant");
    u2 = sw_b_uuid();
    CHECK(!sw_val_equal(u1, u2), "two uuids differ");
    sw_unref(u2);
    sw_rng_seed(99);
    u2 = sw_b_uuid();
    CHECK(sw_val_equal(u1, u2), "uuid() repeatable with the seed");
    sw_unref(u1);
    sw_unref(u2);

    {
        sw_val l = sw_list(3, S("a"), S("b"), S("c"));
        long c[3] = { 0 };
        for (i = 0; i < 30000; i++) {
            sw_val x = sw_b_choice(sw_ref(l));
            if (x.t == SW_T_STR)
                c[SW_AS_STR(x)->s[0] - 'a']++;
            sw_unref(x);
        }
        CHECK(c[0] + c[1] + c[2] == 30000 && labs(c[0] - 10000) < 500 && labs(c[1] - 10000) < 500 &&
              labs(c[2] - 10000) < 500, "choice() uniform over 3 items: %ld %ld %ld", c[0], c[1], c[2]);
        sw_unref(l);
    }
    CHECK(raised(sw_b_choice(sw_list(0)), "empty"), "choice([]) raises");
    CHECK(raised(sw_b_choice(sw_json_parse(S("[]"))), "empty"), "choice(empty JSON array) raises");
    CHECK(raised(sw_b_choice(S("abc")), "expects a list"), "choice(\"abc\") raises");
    CHECK(is_int(sw_b_choice(sw_json_parse(S("[5]"))), 5), "choice of a one-item JSON array");
}

static void test_conversions(void)
{
    CHECK(is_int(sw_b_len(S("abc")), 3), "len(\"abc\")");
    CHECK(is_int(sw_b_len(S("\xc3\xa9")), 1), "len counts characters, not bytes (issue 9)");
    CHECK(is_int(sw_b_len(sw_list(2, SW_NULL, SW_NULL)), 2), "len(list)");
    CHECK(is_int(sw_b_len(sw_obj(1, S("k"), SW_NULL)), 1), "len(object)");
    CHECK(is_int(sw_b_len(sw_json_parse(S("[1,[2,3],{\"a\":4}]"))), 3), "len(JSON array) counts items only");
    CHECK(raised(sw_b_len(sw_int(5)), "len() of int"), "len(5) raises");
    CHECK(raised(sw_b_len(SW_NULL), "len() of null"), "len(null) raises");

    CHECK(IS_STR(sw_b_str(sw_int(12)), "12"), "str(12)");
    CHECK(IS_STR(sw_b_str(sw_float(2.0)), "2"), "str(2.0)");
    CHECK(IS_STR(sw_b_str(sw_json_parse(S(" [ 1 , \"a\" ] "))), "[1,\"a\"]"), "str(JSON view)");

    CHECK(is_int(sw_b_int(sw_float(3.9)), 3), "int(3.9) == 3");
    CHECK(is_int(sw_b_int(sw_float(-3.9)), -3), "int(-3.9) == -3");
    CHECK(is_int(sw_b_int(S("42")), 42), "int(\"42\")");
    CHECK(is_int(sw_b_int(S(" -17\n")), -17), "int(\" -17\\n\")");
    CHECK(is_int(sw_b_int(S("4.7")), 4), "int(\"4.7\") == 4");
    CHECK(is_int(sw_b_int(sw_bool(1)), 1), "int(true) == 1");
    CHECK(is_int(sw_b_int(sw_int(-5)), -5), "int(-5)");
    CHECK(is_int(sw_b_int(S("-9223372036854775808")), INT64_MIN), "int(\"INT64_MIN\")");
    CHECK(raised(sw_b_int(S("abc")), "not a number"), "int(\"abc\") raises");
    CHECK(raised(sw_b_int(S("")), "not a number"), "int(\"\") raises");
    CHECK(raised(sw_b_int(S("12abc")), "not a number"), "int(\"12abc\") raises");
    CHECK(raised(sw_b_int(S("0x10")), "not a number"), "int(\"0x10\") raises");
    CHECK(raised(sw_b_int(S("99999999999999999999")), "overflow"), "int of a too-large decimal raises");
    CHECK(raised(sw_b_int(sw_float(1e300)), "fit"), "int(1e300) raises");
    CHECK(raised(sw_b_int(sw_float(NAN)), "fit"), "int(nan) raises");
    CHECK(raised(sw_b_int(SW_NULL), "int() of null"), "int(null) raises");
    CHECK(raised(sw_b_int(sw_list(0)), "int() of list"), "int([]) raises");

    CHECK(is_float(sw_b_float(sw_int(3)), 3.0), "float(3)");
    CHECK(is_float(sw_b_float(S(" 2.5 ")), 2.5), "float(\" 2.5 \")");
    CHECK(is_float(sw_b_float(S("-1e3")), -1000.0), "float(\"-1e3\")");
    CHECK(is_float(sw_b_float(sw_bool(0)), 0.0), "float(false)");
    CHECK(is_float(sw_b_float(sw_float(0.5)), 0.5), "float(0.5)");
    CHECK(raised(sw_b_float(S("x1")), "not a number"), "float(\"x1\") raises");
    CHECK(raised(sw_b_float(S("1.5 2")), "not a number"), "float(\"1.5 2\") raises");
    CHECK(raised(sw_b_float(SW_NULL), "float() of null"), "float(null) raises");
}

static void test_contains(void)
{
    sw_val js = sw_json_parse(S("{\"tags\": [\"x\", 2, null]}"));
    static sw_str kt = SW_STR_LIT("tags");
    CHECK(is_bool(sw_b_contains(S("hello world"), S("o w")), 1), "substring found");
    CHECK(is_bool(sw_b_contains(S("aaab"), S("aab")), 1), "overlapping prefix substring found");
    CHECK(is_bool(sw_b_contains(S("abc"), S("abcd")), 0), "longer needle not found");
    CHECK(is_bool(sw_b_contains(S("abc"), S("")), 1), "empty needle found");
    CHECK(is_bool(sw_b_contains(S("abc"), S("ac")), 0), "non-substring not found");
    CHECK(is_bool(sw_b_contains(S("id=42;"), sw_int(42)), 1), "number needle in a string by str()");
    CHECK(is_bool(sw_b_contains(sw_list(2, sw_int(1), S("a")), sw_float(1.0)), 1), "list membership by ==");
    CHECK(is_bool(sw_b_contains(sw_list(2, sw_int(1), S("a")), S("b")), 0), "list non-member");
    CHECK(is_bool(sw_b_contains(sw_list(1, sw_list(1, sw_int(1))), sw_list(1, sw_int(1))), 1),
          "list membership is deep");
    CHECK(is_bool(sw_b_contains(sw_obj(1, S("k"), sw_int(0)), S("k")), 1), "object key");
    CHECK(is_bool(sw_b_contains(sw_obj(1, S("k"), sw_int(0)), sw_int(0)), 0), "object values are not keys");
    CHECK(is_bool(sw_b_contains(sw_field(sw_ref(js), &kt), SW_NULL), 1), "JSON array contains null");
    CHECK(is_bool(sw_b_contains(sw_field(sw_ref(js), &kt), sw_int(2)), 1), "JSON array contains 2");
    CHECK(is_bool(sw_b_contains(sw_ref(js), S("tags")), 1), "JSON object has key");
    CHECK(is_bool(sw_b_contains(SW_NULL, S("x")), 0), "contains(null, x) is false");
    CHECK(sw_last_error()[0] == '\0', "no error so far");
    sw_b_contains(sw_int(5), sw_int(5));
    CHECK(raised(SW_NULL, "cannot search in int"), "contains(5, 5) raises");
    sw_unref(js);
}

static void test_misc(void)
{
    sw_val v;
    double t;
    setenv("SWARM_TEST_ENV_X", "value x", 1);
    unsetenv("SWARM_TEST_ENV_MISSING");
    CHECK(IS_STR(sw_b_env(S("SWARM_TEST_ENV_X"), SW_NULL), "value x"), "env() of a set variable");
    CHECK(IS_STR(sw_b_env(S("SWARM_TEST_ENV_X"), S("d")), "value x"), "env() ignores the default when set");
    CHECK(IS_STR(sw_b_env(S("SWARM_TEST_ENV_MISSING"), S("dflt")), "dflt"), "env() default");
    CHECK(is_int(sw_b_env(S("SWARM_TEST_ENV_MISSING"), sw_int(3)), 3), "env() default of any type");
    v = sw_b_env(S("SWARM_TEST_ENV_MISSING"), SW_NULL);
    CHECK(v.t == SW_T_NULL && sw_last_error()[0] == '\0', "env() without default gives null");
    CHECK(raised(sw_b_env(sw_int(1), SW_NULL), "env()"), "env(1) raises");

    v = sw_b_now();
    t = (double)time(NULL);
    CHECK(v.t == SW_T_FLOAT && fabs(v.u.f - t) < 2.0, "now() is Unix seconds (%.3f vs %.0f)", v.u.f, t);

    CHECK(IS_STR(sw_b_urlencode(S("a b&c=d/\xc3\xa9~-._AZaz09")), "a%20b%26c%3Dd%2F%C3%A9~-._AZaz09"),
          "urlencode keeps unreserved, escapes the rest");
    CHECK(IS_STR(sw_b_urlencode(S("")), ""), "urlencode(\"\")");
    CHECK(IS_STR(sw_b_urlencode(sw_int(12)), "12"), "urlencode(12)");
    CHECK(IS_STR(sw_b_urlencode(sw_strn("\0+%", 3)), "%00%2B%25"), "urlencode of NUL, + and %%");

    CHECK(IS_STR(sw_b_base64(S("")), ""), "base64(\"\")");
    CHECK(IS_STR(sw_b_base64(S("f")), "Zg=="), "base64(f)");
    CHECK(IS_STR(sw_b_base64(S("fo")), "Zm8="), "base64(fo)");
    CHECK(IS_STR(sw_b_base64(S("foo")), "Zm9v"), "base64(foo)");
    CHECK(IS_STR(sw_b_base64(S("foob")), "Zm9vYg=="), "base64(foob)");
    CHECK(IS_STR(sw_b_base64(S("fooba")), "Zm9vYmE="), "base64(fooba)");
    CHECK(IS_STR(sw_b_base64(S("foobar")), "Zm9vYmFy"), "base64(foobar)");
    CHECK(IS_STR(sw_b_base64(sw_strn("\xff\xfe\0", 3)), "//4A"), "base64 of binary bytes");
    CHECK(IS_STR(sw_b_base64(S("user:pass")), "dXNlcjpwYXNz"), "base64(user:pass)");
    {
        /* the shared encoder itself: exact size, NUL-terminated, no overrun */
        char out[SW_BASE64_SIZE(7) + 1];
        memset(out, '#', sizeof out);
        size_t n = sw_base64_encode("\xfb\xff\xbf" "\x00" "ab:", 7, out);
        CHECK(n == 12 && strcmp(out, "+/+/AGFiOg==") == 0 && out[SW_BASE64_SIZE(7)] == '#',
              "sw_base64_encode: '+' and '/', 12 bytes, buffer of SW_BASE64_SIZE (%s)", out);
        CHECK(sw_base64_encode("", 0, out) == 0 && out[0] == '\0', "sw_base64_encode of nothing");
    }
}

int main(void)
{
    sw_clear_last_error();
    test_rng();
    test_random_builtins();
    test_conversions();
    test_contains();
    test_misc();
    return CHECK_DONE();
}
