/*
 * test_json.c -- JSON views (field/index on nested documents, missing ->
 * null, unicode escapes, large documents), rejection of invalid text, and
 * encode/parse round trips.
 */
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "values.h"
#include "json.h"
#include "rt.h"
#include "value.h"

/* v.name for a C string name (v consumed, like sw_field). */
static sw_val fld(sw_val v, const char *name)
{
    sw_str k = { { -1, SW_T_STR }, strlen(name), name };
    return sw_field(v, &k);
}

/* v[i] (v consumed). */
static sw_val idx(sw_val v, int64_t i)
{
    return sw_index(v, sw_int(i));
}

/* Parses text; 1 when it raised "not valid JSON" (or, for nesting, "JSON
 * nested deeper than") and returned null. */
static int rejected(const char *text)
{
    sw_val v;
    int ok;
    sw_clear_last_error();
    v = sw_json_parse(S(text));
    ok = v.t == SW_T_NULL && (strstr(sw_last_error(), "not valid JSON") != NULL ||
                              strstr(sw_last_error(), "JSON nested deeper than") != NULL);
    if (!ok)
        printf("# accepted: %s\n", text);
    sw_unref(v);
    sw_clear_last_error();
    return ok;
}

static int accepted(const char *text)
{
    sw_val v;
    int ok;
    sw_clear_last_error();
    v = sw_json_parse(S(text));
    ok = sw_last_error()[0] == '\0';
    if (!ok)
        printf("# rejected: %s (%s)\n", text, sw_last_error());
    sw_unref(v);
    sw_clear_last_error();
    return ok;
}

/* encode(v) is exactly `want`. */
static int encodes(sw_val v, const char *want)
{
    return is_str(sw_json_encode(v), want);
}

static void test_access(void)
{
    sw_val d = sw_json_parse(S(
        "{ \"id\": 42, \"status\": \"ACTIVE\", \"ratio\": 0.25, \"big\": 12345678901234567890,\n"
        "  \"neg\": -7, \"exp\": 1e3, \"t\": true, \"f\": false, \"n\": null,\n"
        "  \"items\": [ {\"name\": \"a\", \"tags\": [\"x\", \"y\"]}, {\"name\": \"b\", \"tags\": []}, 3 ],\n"
        "  \"query\": {\"timeout\": {\"ms\": 1500}}, \"body\": \"kw\", \"\": \"empty key\" }"));
    sw_val items, v;
    CHECK(d.t == SW_T_JSON, "object document parses to a view");
    CHECK(is_int(fld(sw_ref(d), "id"), 42), "r.json.id == 42 (int)");
    CHECK(IS_STR(fld(sw_ref(d), "status"), "ACTIVE"), "r.json.status == \"ACTIVE\"");
    CHECK(is_float(fld(sw_ref(d), "ratio"), 0.25), "float field");
    CHECK(is_float(fld(sw_ref(d), "big"), 12345678901234567890.0), "integer beyond int64 reads as float");
    CHECK(is_int(fld(sw_ref(d), "neg"), -7), "negative int");
    CHECK(is_float(fld(sw_ref(d), "exp"), 1000.0), "1e3 is a float");
    v = fld(sw_ref(d), "t");
    CHECK(v.t == SW_T_BOOL && v.u.b == 1, "true");
    v = fld(sw_ref(d), "f");
    CHECK(v.t == SW_T_BOOL && v.u.b == 0, "false");
    CHECK(is_null(fld(sw_ref(d), "n")), "null field");
    CHECK(is_null(fld(sw_ref(d), "missing")), "missing field is null");
    CHECK(is_null(fld(fld(sw_ref(d), "missing"), "deeper")), "field of missing field is null");
    CHECK(is_int(fld(fld(fld(sw_ref(d), "query"), "timeout"), "ms"), 1500), "r.json.query.timeout.ms");
    CHECK(IS_STR(fld(sw_ref(d), "body"), "kw"), "field named like a keyword");
    CHECK(IS_STR(sw_index(sw_ref(d), S("")), "empty key"), "empty key by index");
    CHECK(IS_STR(sw_index(sw_ref(d), S("status")), "ACTIVE"), "r.json[\"status\"]");
    items = fld(sw_ref(d), "items");
    CHECK(is_int(sw_b_len(sw_ref(items)), 3), "len(items) == 3");
    CHECK(IS_STR(fld(idx(sw_ref(items), 0), "name"), "a"), "items[0].name");
    CHECK(IS_STR(idx(fld(idx(sw_ref(items), 0), "tags"), 1), "y"), "items[0].tags[1]");
    CHECK(IS_STR(idx(fld(idx(sw_ref(items), 0), "tags"), -1), "y"), "items[0].tags[-1]");
    CHECK(IS_STR(fld(idx(sw_ref(items), 1), "name"), "b"), "items[1].name skips the previous subtree");
    CHECK(is_int(idx(sw_ref(items), 2), 3), "items[2] after nested objects");
    CHECK(is_int(idx(sw_ref(items), -1), 3), "items[-1]");
    CHECK(is_null(idx(sw_ref(items), 3)), "items[3] out of range is null");
    CHECK(is_null(idx(sw_ref(items), -4)), "items[-4] is null");
    CHECK(is_null(idx(fld(idx(sw_ref(items), 1), "tags"), 0)), "empty array [0] is null");
    CHECK(is_null(fld(sw_ref(items), "name")), "field of an array is null");
    CHECK(is_null(idx(sw_ref(d), 0)), "int index of an object is null");
    CHECK(is_int(sw_b_len(sw_ref(d)), 13), "len(object) == 13 keys");
    CHECK(sw_truthy(sw_b_contains(sw_ref(d), S("ratio"))), "contains(object, key)");
    CHECK(!sw_truthy(sw_b_contains(sw_ref(d), S("nope"))), "contains(object, missing key)");
    CHECK(sw_truthy(sw_b_contains(fld(idx(sw_ref(items), 0), "tags"), S("x"))), "contains(array, item)");
    CHECK(!sw_truthy(sw_b_contains(fld(idx(sw_ref(items), 0), "tags"), S("z"))), "contains(array, absent)");
    CHECK(sw_truthy(sw_b_contains(sw_ref(items), sw_float(3.0))), "contains(array, 3.0) finds 3");
    CHECK(sw_truthy(sw_eq(idx(sw_ref(items), 1), sw_json_parse(S("{\"tags\":[],\"name\":\"b\"}")))),
          "views compare by materialised value");
    CHECK(sw_last_error()[0] == '\0', "no error while reading");
    sw_unref(items);
    sw_unref(d);
}

static void test_iteration(void)
{
    sw_val d = sw_json_parse(S("{\"a\": [10, {\"x\": [1,2]}, 30, \"s\"], \"k1\": 1, \"k2\": {\"z\": 0}}"));
    sw_val arr = fld(sw_ref(d), "a"), i = SW_NULL, x = SW_NULL;
    char buf[64] = "";
    int n = 0;
    while (sw_iter(sw_ref(arr), &i, &x)) {
        sw_val s = sw_to_str(sw_ref(x));
        strncat(buf, SW_AS_STR(s)->s, sizeof buf - strlen(buf) - 1);
        strncat(buf, "|", sizeof buf - strlen(buf) - 1);
        sw_unref(s);
        n++;
    }
    CHECK(n == 4 && strcmp(buf, "10|{\"x\":[1,2]}|30|s|") == 0, "for x in JSON array yields items");
    sw_set(&i, SW_NULL);
    buf[0] = '\0';
    while (sw_iter(sw_ref(d), &i, &x)) {
        strncat(buf, SW_AS_STR(x)->s, sizeof buf - strlen(buf) - 1);
        strncat(buf, ",", sizeof buf - strlen(buf) - 1);
    }
    CHECK(strcmp(buf, "a,k1,k2,") == 0, "for k in JSON object yields keys in order");
    sw_set(&i, SW_NULL);
    sw_set(&x, SW_NULL);
    x = sw_b_choice(sw_ref(arr));
    CHECK(x.t == SW_T_INT || x.t == SW_T_JSON || x.t == SW_T_STR, "choice of a JSON array");
    sw_set(&x, SW_NULL);
    sw_unref(arr);
    sw_unref(d);
}

static void test_strings(void)
{
    sw_val d = sw_json_parse(S(
        "[\"caf\\u00e9\", \"\\ud83d\\ude00\", \"\\ud800x\", \"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\f\","
        " \"\\u20AC\", \"\\u0000z\", \"plain \xc3\xa9\"]"));
    CHECK(IS_STR(idx(sw_ref(d), 0), "caf\xc3\xa9"), "\\u00e9 -> UTF-8 e-acute");
    CHECK(IS_STR(idx(sw_ref(d), 1), "\xf0\x9f\x98\x80"), "surrogate pair -> 4-byte UTF-8");
    CHECK(IS_STR(idx(sw_ref(d), 2), "\xef\xbf\xbdx"), "lone surrogate -> U+FFFD");
    CHECK(IS_STR(idx(sw_ref(d), 3), "a\"b\\c/d\n\t\r\b\f"), "simple escapes");
    CHECK(IS_STR(idx(sw_ref(d), 4), "\xe2\x82\xac"), "\\u20AC -> euro sign");
    CHECK(IS_STR(idx(sw_ref(d), 5), "\0z"), "\\u0000 keeps an embedded NUL");
    CHECK(IS_STR(idx(sw_ref(d), 6), "plain \xc3\xa9"), "raw UTF-8 passes through");
    sw_unref(d);
    d = sw_json_parse(S("{\"k\\u0065y\": 1, \"key\": 2, \"x\": 3}"));
    CHECK(is_int(fld(sw_ref(d), "key"), 2), "escaped duplicate key: the last one wins");
    sw_unref(d);
    d = sw_json_parse(S("{\"\\u00e9t\\u00e9\": \"summer\"}"));
    CHECK(IS_STR(fld(sw_ref(d), "\xc3\xa9t\xc3\xa9"), "summer"), "escaped key matches its UTF-8 name");
    sw_unref(d);
}

static void test_scalars_and_invalid(void)
{
    CHECK(is_int(sw_json_parse(S(" 17 ")), 17), "scalar document 17");
    CHECK(is_float(sw_json_parse(S("-2.5e-1")), -0.25), "scalar document -2.5e-1");
    CHECK(IS_STR(sw_json_parse(S("\"hi\\n\"")), "hi\n"), "string document");
    CHECK(is_null(sw_json_parse(S("null"))), "null document");
    {
        sw_val t = sw_json_parse(S("true"));
        CHECK(t.t == SW_T_BOOL && t.u.b, "true document");
    }
    CHECK(is_int(sw_json_parse(S("-9223372036854775808")), INT64_MIN), "INT64_MIN reads as int");
    CHECK(is_float(sw_json_parse(S("9223372036854775808")), 9223372036854775808.0), "2^63 reads as float");
    CHECK(accepted("[]") && accepted("{}") && accepted(" [ [ ], { } ] ") &&
          accepted("{\"a\":[1,{\"b\":null}],\"c\":\"\"}") && accepted("[0, -0, 0.5, 1E+2, 1e-2]"),
          "valid documents are accepted");
    CHECK(rejected(""), "empty text rejected");
    CHECK(rejected("   "), "blank text rejected");
    CHECK(rejected("<html>oops</html>"), "HTML rejected");
    CHECK(rejected("{\"a\":1"), "unterminated object rejected");
    CHECK(rejected("[1,2"), "unterminated array rejected");
    CHECK(rejected("[1 2]"), "missing comma rejected");
    CHECK(rejected("[1,]"), "trailing comma rejected");
    CHECK(rejected("[,1]"), "leading comma rejected");
    CHECK(rejected("{\"a\" 1}"), "missing colon rejected");
    CHECK(rejected("{\"a\"}"), "key without value rejected");
    CHECK(rejected("{\"a\":1,}"), "trailing comma in object rejected");
    CHECK(rejected("{1:2}"), "non-string key rejected");
    CHECK(rejected("[\"a\":1]"), "colon in array rejected");
    CHECK(rejected("[tru]"), "bad literal rejected");
    CHECK(rejected("[01]"), "leading zero rejected");
    CHECK(rejected("[1.]"), "1. rejected");
    CHECK(rejected("[.5]"), ".5 rejected");
    CHECK(rejected("[1e]"), "1e rejected");
    CHECK(rejected("[\"a\\x\"]"), "bad escape rejected");
    CHECK(rejected("[\"tab\there\"]"), "raw control character in string rejected");
    CHECK(rejected("{} {}"), "two documents rejected");
    CHECK(rejected("[1] x"), "trailing garbage rejected");
    CHECK(rejected("nul"), "bad scalar rejected");
    CHECK(rejected("1 2"), "two scalars rejected");
    CHECK(rejected("\"abc"), "unterminated string rejected");
    CHECK(rejected("[1]]"), "extra bracket rejected");
    CHECK(rejected("[1}"), "mismatched bracket rejected");
    {
        sw_val t = sw_strn("[1,\0 2]", 7);
        sw_clear_last_error();
        CHECK(is_null(sw_json_parse(t)) && strstr(sw_last_error(), "JSON"), "embedded NUL rejected");
        sw_clear_last_error();
        CHECK(is_null(sw_json_parse(SW_NULL)) && strstr(sw_last_error(), "JSON"), "parse(null) raises");
        sw_clear_last_error();
    }
    {
        /* deep nesting is bounded, not a stack overflow */
        char deep[4001];
        memset(deep, '[', 2000);
        memset(deep + 2000, ']', 2000);
        deep[4000] = '\0';
        CHECK(rejected(deep), "2000-deep nesting rejected");
        memset(deep, '[', 100);
        memset(deep + 100, ']', 100);
        deep[200] = '\0';
        CHECK(accepted(deep), "100-deep nesting accepted");
    }
    {
        /* hostile nesting: refused by the pre-scan with its own message */
        size_t n = 100000;
        char *t = malloc(9 * n + 8);
        memset(t, '[', n);
        t[n] = '\0';
        sw_clear_last_error();
        CHECK(is_null(sw_json_parse(sw_cstr(t))) &&
              strcmp(sw_last_error(), "JSON nested deeper than 512") == 0,
              "100,000 '[' raise 'JSON nested deeper than 512' (%s)", sw_last_error());
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            memcpy(t + k, "{\"a\":", 5);
            k += 5;
        }
        memcpy(t + k, "1", 1);
        k += 1;
        memset(t + k, '}', n);
        t[k + n] = '\0';
        sw_clear_last_error();
        CHECK(is_null(sw_json_parse(sw_cstr(t))) &&
              strcmp(sw_last_error(), "JSON nested deeper than 512") == 0,
              "100,000 nested objects raise 'JSON nested deeper than 512' (%s)", sw_last_error());
        /* the limit: the root plus 512 levels below it */
        memset(t, '[', 513);
        memset(t + 513, ']', 513);
        t[1026] = '\0';
        CHECK(accepted(t), "513 nested arrays (512 below the root) accepted");
        memset(t, '[', 514);
        memset(t + 514, ']', 514);
        t[1028] = '\0';
        CHECK(rejected(t), "514 nested arrays rejected");
        /* brackets inside strings (escaped quotes too) are not nesting */
        memcpy(t, "[\"\\\"", 4);
        memset(t + 4, '[', 2000);
        memcpy(t + 2004, "\"]", 3);
        CHECK(accepted(t), "brackets inside a string do not count as nesting");
        free(t);
        sw_clear_last_error();
    }
    {
        /* the non-raising parse: a reason per failure, a lower depth limit */
        static const struct { const char *text, *why; } cases[] = {
            { "{\"a\": 1} x", "text after" }, { "{\"a\": 1} {}", "text after" },
            { "{\"a\": [1, 2", "ends before" }, { "[1,]", "','" }, { "[1 2]", "','" },
            { "{\"a\" 1}", NULL }, { "[tru]", "not a JSON" }, { "[\"a\tb\"]", "control" },
            { "[[[1]]]", "nested too deeply" }, { "[[[", "nested too deeply" }, { "  ", "empty" },
        };
        const char *why = "unset";
        size_t i;
        int ok = 1;
        sw_clear_last_error();
        for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            sw_val v = sw_json_parse_why(sw_cstr(cases[i].text), 1, &why);
            if (!is_null(v) || !why || (cases[i].why && !strstr(why, cases[i].why))) {
                printf("# %s -> %s\n", cases[i].text, why ? why : "accepted");
                ok = 0;
            }
            sw_unref(v);
        }
        CHECK(ok && sw_last_error()[0] == '\0', "parse_why: each rejection says why, none raises");
        sw_val v = sw_json_parse_why(sw_cstr("[[1], {\"b\": 2}]"), 1, &why);
        CHECK(v.t == SW_T_JSON && why == NULL, "parse_why: depth 1 below the root is allowed");
        sw_unref(v);
        v = sw_json_parse_why(sw_cstr(" null "), 0, &why);
        CHECK(is_null(v) && why == NULL, "parse_why: the document null parses (why is NULL)");
    }
}

static void test_large(void)
{
    sw_buf b;
    sw_val d, v, last;
    int i, ok = 1;
    clock_t t0;
    double secs;
    sw_buf_init(&b);
    sw_buf_add(&b, "{\"rows\": [", 10);
    for (i = 0; i < 50000; i++) {
        char row[128];
        int n = snprintf(row, sizeof row, "%s{\"id\": %d, \"name\": \"row %d\", \"vals\": [%d, %d.5]}",
                         i ? ", " : "", i, i, i * 2, i);
        sw_buf_add(&b, row, (size_t)n);
    }
    sw_buf_add(&b, "], \"total\": 50000}", 18);
    t0 = clock();
    d = sw_json_parse(sw_buf_finish(&b));
    CHECK(d.t == SW_T_JSON, "50000-row document parses");
    CHECK(is_int(fld(sw_ref(d), "total"), 50000), "field after a 50000-row array");
    v = fld(sw_ref(d), "rows");
    CHECK(is_int(sw_b_len(sw_ref(v)), 50000), "len(rows) == 50000");
    last = idx(sw_ref(v), -1);
    CHECK(is_int(fld(sw_ref(last), "id"), 49999), "rows[-1].id == 49999");
    CHECK(is_float(idx(fld(sw_ref(last), "vals"), 1), 49999.5), "rows[-1].vals[1] == 49999.5");
    sw_unref(last);
    for (i = 0; i < 50000; i += 997) {
        sw_val row = idx(sw_ref(v), i);
        ok = ok && is_int(fld(sw_ref(row), "id"), i) && is_int(idx(fld(sw_ref(row), "vals"), 0), 2 * i);
        sw_unref(row);
    }
    CHECK(ok, "sampled rows read back their ids and values");
    {
        sw_val it = SW_NULL, x = SW_NULL;
        int64_t sum = 0;
        while (sw_iter(sw_ref(v), &it, &x)) {
            sw_val id = fld(sw_ref(x), "id");
            sum += id.u.i;
        }
        sw_unref(it);
        sw_unref(x);
        CHECK(sum == (int64_t)49999 * 50000 / 2, "iterating 50000 rows sums the ids");
    }
    secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(secs < 5.0, "large document work took %.2fs (< 5s)", secs);
    sw_unref(v);
    sw_unref(d);
}

static void test_encode(void)
{
    sw_val v, back;
    CHECK(encodes(SW_NULL, "null") && encodes(sw_bool(1), "true") && encodes(sw_bool(0), "false"),
          "encode null/true/false");
    CHECK(encodes(sw_int(-42), "-42") && encodes(sw_float(1.5), "1.5") && encodes(sw_float(2.0), "2"),
          "encode numbers");
    CHECK(encodes(sw_float(NAN), "null") && encodes(sw_float(INFINITY), "null"),
          "non-finite floats encode as null");
    CHECK(encodes(S("q\"b\\s\n\t\x01/\xc3\xa9"), "\"q\\\"b\\\\s\\n\\t\\u0001/\xc3\xa9\""),
          "string escaping");
    CHECK(encodes(sw_strn("a\0b", 3), "\"a\\u0000b\""), "embedded NUL escaped");
    CHECK(encodes(sw_obj(2, S("kind"), S("widget"), S("n"), sw_list(2, sw_int(1), SW_NULL)),
                  "{\"kind\":\"widget\",\"n\":[1,null]}"), "encode object literal");
    v = sw_json_parse(S("{ \"a\" : [ 1 , \"x y\" , { \"b\" : \"c \\\" d\" } ] }"));
    CHECK(encodes(sw_ref(v), "{\"a\":[1,\"x y\",{\"b\":\"c \\\" d\"}]}"),
          "a view is copied through compactly, string spaces kept");
    CHECK(encodes(sw_list(2, fld(sw_ref(v), "a"), sw_int(5)), "[[1,\"x y\",{\"b\":\"c \\\" d\"}],5]"),
          "a view inside a list");
    sw_unref(v);

    /* round trips: encode(parse(encode(v))) is stable and equal to v */
    v = sw_obj(6, S("s"), S("\xf0\x9f\x98\x80 \"quoted\"\n"), S("i"), sw_int(INT64_MAX),
               S("f"), sw_float(0.1), S("l"), sw_list(3, sw_bool(1), SW_NULL, sw_list(0)),
               S("o"), sw_obj(1, S("nested"), sw_obj(0)), S("neg"), sw_float(-1e-9));
    back = sw_json_parse(sw_json_encode(sw_ref(v)));
    CHECK(sw_truthy(sw_eq(sw_ref(back), sw_ref(v))), "parse(encode(v)) == v");
    CHECK(sw_truthy(sw_eq(sw_json_encode(sw_ref(back)), sw_json_encode(sw_ref(v)))),
          "encode(parse(encode(v))) == encode(v)");
    CHECK(is_int(fld(sw_ref(back), "i"), INT64_MAX), "INT64_MAX survives a round trip as int");
    CHECK(is_float(fld(sw_ref(back), "f"), 0.1), "0.1 survives a round trip");
    sw_unref(back);
    sw_unref(v);
}

/* l[i] on a JSON list: every element reads right through the element
 * table built on the first deep index (issue 6: O(1) after one walk),
 * nested lists keep their own, and negative and out-of-range indices too. */
static void test_deep_index(void)
{
    char buf[64 * 1024];
    size_t n = 0;
    n += (size_t)snprintf(buf + n, sizeof buf - n, "[");
    for (int i = 0; i < 2000; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? "," : "",
                              i % 3 == 0 ? "[1,[2,3]]" : i % 3 == 1 ? "{\"a\":[4]}" : "7");
    n += (size_t)snprintf(buf + n, sizeof buf - n, ",[10,11,12,13,14,15,16,17,18,19,20]]");
    sw_val d = sw_json_parse(S(buf));
    int bad = 0;
    for (int i = 1999; i >= 0; i--) {          /* from the back: the table first */
        sw_val e = idx(sw_ref(d), i);
        int k = e.t == SW_T_JSON ? (int)sw_json_len(e.u.h) : -1;
        int want = i % 3 == 0 ? 2 : i % 3 == 1 ? 1 : -1;
        if (i % 3 == 2 ? !(e.t == SW_T_INT && e.u.i == 7) : k != want)
            bad++;
        sw_unref(e);
    }
    CHECK(bad == 0, "2,000 elements of one list read right by index (%d wrong)", bad);
    sw_val last = idx(sw_ref(d), 2000);
    CHECK(is_int(idx(sw_ref(last), 9), 19), "a nested list's own deep index (l[2000][9] == 19)");
    CHECK(is_int(idx(sw_ref(last), -1), 20), "a negative deep index counts from the end");
    CHECK(is_null(idx(sw_ref(last), 11)), "one past the end is null");
    CHECK(is_int(idx(idx(sw_ref(d), 1998), 0), 1), "a list inside the first list (l[1998][0])");
    sw_unref(last);
    sw_unref(d);
}

int main(void)
{
    sw_clear_last_error();
    test_access();
    test_deep_index();
    test_iteration();
    test_strings();
    test_scalars_and_invalid();
    test_large();
    test_encode();
    return CHECK_DONE();
}
