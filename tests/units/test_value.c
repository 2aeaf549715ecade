/*
 * test_value.c -- values and operators: arithmetic and type rules, string
 * concatenation and str() forms, comparisons and equality, field/index on
 * lists and objects, iteration, repeat counters, errors raised.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "values.h"
#include "json.h"
#include "rt.h"
#include "value.h"

/* str() of v (consumed) equals s. */
static int str_is(sw_val v, const char *s)
{
    return is_str(sw_to_str(v), s);
}

/* Did the last operation raise an error containing `what`? Clears it. */
static int raised(const char *what)
{
    int ok = strstr(sw_last_error(), what) != NULL;
    if (!ok)
        printf("# last error: \"%s\", want \"%s\"\n", sw_last_error(), what);
    sw_clear_last_error();
    return ok;
}

static int no_error(void)
{
    int ok = sw_last_error()[0] == '\0';
    if (!ok)
        printf("# unexpected error: %s\n", sw_last_error());
    sw_clear_last_error();
    return ok;
}

static void test_arith(void)
{
    sw_val r;
    CHECK(is_int(sw_add(sw_int(2), sw_int(3)), 5), "2 + 3 == 5 (int)");
    CHECK(is_float(sw_add(sw_int(2), sw_float(0.5)), 2.5), "2 + 0.5 == 2.5 (float)");
    CHECK(is_int(sw_sub(sw_int(2), sw_int(7)), -5), "2 - 7 == -5");
    CHECK(is_int(sw_mul(sw_int(-4), sw_int(6)), -24), "-4 * 6 == -24");
    CHECK(is_float(sw_mul(sw_float(1.5), sw_int(4)), 6.0), "1.5 * 4 == 6.0 float");
    CHECK(is_float(sw_div(sw_int(3), sw_int(2)), 1.5), "3 / 2 == 1.5");
    CHECK(is_float(sw_div(sw_int(6), sw_int(2)), 3.0), "6 / 2 is float 3.0");
    CHECK(is_float(sw_div(sw_float(1.0), sw_int(4)), 0.25), "1.0 / 4 == 0.25");
    CHECK(is_int(sw_mod(sw_int(7), sw_int(3)), 1), "7 %% 3 == 1");
    CHECK(is_int(sw_mod(sw_int(-7), sw_int(3)), 2), "-7 %% 3 == 2 (sign of divisor)");
    CHECK(is_int(sw_mod(sw_int(7), sw_int(-3)), -2), "7 %% -3 == -2");
    CHECK(is_int(sw_mod(sw_int(INT64_MIN), sw_int(-1)), 0), "INT64_MIN %% -1 == 0");
    CHECK(is_float(sw_mod(sw_float(5.5), sw_int(2)), 1.5), "5.5 %% 2 == 1.5");
    CHECK(is_float(sw_mod(sw_float(-1.0), sw_int(3)), 2.0), "-1.0 %% 3 == 2.0");
    CHECK(is_int(sw_neg(sw_int(5)), -5), "-(5)");
    CHECK(is_float(sw_neg(sw_float(2.5)), -2.5), "-(2.5)");
    CHECK(no_error(), "no error from valid arithmetic");

    sw_clear_last_error();
    r = sw_div(sw_int(1), sw_int(0));
    CHECK(r.t == SW_T_NULL && raised("division by zero"), "1 / 0 raises division by zero");
    r = sw_div(sw_float(1), sw_float(0.0));
    CHECK(r.t == SW_T_NULL && raised("division by zero"), "1.0 / 0.0 raises");
    r = sw_mod(sw_int(1), sw_int(0));
    CHECK(r.t == SW_T_NULL && raised("by zero"), "1 %% 0 raises");
    r = sw_add(sw_int(INT64_MAX), sw_int(1));
    CHECK(r.t == SW_T_NULL && raised("integer overflow"), "INT64_MAX + 1 raises integer overflow");
    r = sw_sub(sw_int(INT64_MIN), sw_int(1));
    CHECK(r.t == SW_T_NULL && raised("integer overflow"), "INT64_MIN - 1 raises");
    r = sw_mul(sw_int(INT64_MAX / 2 + 1), sw_int(2));
    CHECK(r.t == SW_T_NULL && raised("integer overflow"), "(2^62) * 2 raises");
    r = sw_mul(sw_int(INT64_MIN), sw_int(-1));
    CHECK(r.t == SW_T_NULL && raised("integer overflow"), "INT64_MIN * -1 raises");
    CHECK(is_int(sw_mul(sw_int(-3037000499LL), sw_int(3037000499LL)), -9223372030926249001LL),
          "large product within range is exact");
    r = sw_neg(sw_int(INT64_MIN));
    CHECK(r.t == SW_T_NULL && raised("integer overflow"), "-INT64_MIN raises");
    r = sw_sub(S("a"), sw_int(1));
    CHECK(r.t == SW_T_NULL && raised("unsupported operand"), "\"a\" - 1 raises");
    r = sw_mul(sw_list(0), sw_int(2));
    CHECK(r.t == SW_T_NULL && raised("list"), "[] * 2 raises naming list");
    r = sw_add(sw_int(1), SW_NULL);
    CHECK(r.t == SW_T_NULL && raised("null"), "1 + null raises");
    r = sw_div(S("6"), sw_int(2));
    CHECK(r.t == SW_T_NULL && raised("unsupported"), "\"6\" / 2 raises");
    r = sw_neg(S("x"));
    CHECK(r.t == SW_T_NULL && raised("unary"), "-\"x\" raises");
}

static void test_concat(void)
{
    CHECK(is_str(sw_add(S("ab"), S("cd")), "abcd"), "\"ab\" + \"cd\"");
    CHECK(is_str(sw_add(S("n="), sw_int(42)), "n=42"), "string + int");
    CHECK(is_str(sw_add(sw_float(1.5), S("x")), "1.5x"), "float + string");
    CHECK(is_str(sw_add(S("v:"), SW_NULL), "v:null"), "string + null");
    CHECK(is_str(sw_add(S(""), sw_bool(1)), "true"), "\"\" + true");
    CHECK(is_str(sw_add(S("l"), sw_list(2, sw_int(1), S("a"))), "l[1,\"a\"]"),
          "string + list concatenates JSON text");
    CHECK(is_str(sw_add(S("x"), sw_div(sw_int(6), sw_int(2))), "x3"),
          "6/2 concatenates as 3, not 3.0");
    CHECK(is_str(sw_interp(4, S("/items/"), sw_int(7), S("?q="), sw_float(0.1)),
                 "/items/7?q=0.1"), "interpolation of mixed values");
    CHECK(is_str(sw_interp(0), ""), "empty interpolation");
    {
        sw_val l = sw_add(sw_list(1, sw_int(1)), sw_list(2, sw_int(2), sw_int(3)));
        CHECK(str_is(l, "[1,2,3]"), "list + list concatenates");
    }
    {
        static sw_str lit = SW_STR_LIT("static");
        sw_val v = sw_sval(&lit);
        CHECK(is_str(sw_add(sw_ref(v), sw_ref(v)), "staticstatic"), "immortal literal + itself");
        CHECK(lit.h.rc == -1, "immortal literal keeps rc -1");
    }
    CHECK(no_error(), "no error from concatenation");
}

static void test_str_forms(void)
{
    CHECK(str_is(sw_int(-12345), "-12345"), "str(-12345)");
    CHECK(str_is(sw_int(INT64_MIN), "-9223372036854775808"), "str(INT64_MIN)");
    CHECK(str_is(sw_float(1.5), "1.5"), "str(1.5)");
    CHECK(str_is(sw_float(0.1), "0.1"), "str(0.1) shortest");
    CHECK(str_is(sw_float(1.0 / 3.0), "0.3333333333333333"), "str(1/3) round-trips");
    CHECK(str_is(sw_float(3.0), "3"), "str(3.0) == \"3\"");
    CHECK(str_is(sw_float(-0.0), "0"), "str(-0.0) == \"0\"");
    CHECK(str_is(sw_float(1e15), "1000000000000000"), "str(1e15) integral");
    CHECK(str_is(sw_float(1e300), "1e+300"), "str(1e300) outside int64");
    CHECK(str_is(sw_float(2.5e-7), "2.5e-07"), "str(2.5e-7)");
    CHECK(str_is(sw_float(5e-324), "5e-324"), "str(smallest subnormal) is shortest");
    CHECK(str_is(sw_float(0.1 + 0.2), "0.30000000000000004"), "str(0.1 + 0.2) needs 17 digits");
    CHECK(str_is(sw_float(-123.456), "-123.456"), "str(-123.456)");
    CHECK(str_is(sw_float(INFINITY), "inf"), "str(inf)");
    CHECK(str_is(sw_float(-INFINITY), "-inf"), "str(-inf)");
    CHECK(str_is(sw_float(NAN), "nan"), "str(nan)");
    CHECK(str_is(SW_NULL, "null"), "str(null)");
    CHECK(str_is(sw_bool(1), "true"), "str(true)");
    CHECK(str_is(sw_bool(0), "false"), "str(false)");
    CHECK(str_is(S("he\"llo"), "he\"llo"), "str of a string is itself");
    CHECK(str_is(sw_list(3, sw_int(1), sw_float(2.5), SW_NULL), "[1,2.5,null]"), "str(list)");
    CHECK(str_is(sw_obj(2, S("a"), sw_int(1), S("b"), sw_list(1, S("x\ny"))),
                 "{\"a\":1,\"b\":[\"x\\ny\"]}"), "str(object) compact, escaped");
    CHECK(str_is(sw_list(0), "[]"), "str([])");
    CHECK(str_is(sw_obj(0), "{}"), "str({})");
    {
        /* every float prints in a form that reads back exactly */
        double vals[] = { 0.1 + 0.2, 123456.789, 1e-300, 5e-324, 1.7976931348623157e308, -2.2250738585072014e-308 };
        size_t i;
        int ok = 1;
        for (i = 0; i < sizeof vals / sizeof vals[0]; i++) {
            sw_val s = sw_to_str(sw_float(vals[i]));
            ok = ok && strtod(SW_AS_STR(s)->s, NULL) == vals[i];
            sw_unref(s);
        }
        CHECK(ok, "float str() round-trips");
    }
}

static void test_compare(void)
{
    sw_val r;
    CHECK(is_bool(sw_eq(sw_int(1), sw_float(1.0)), 1), "1 == 1.0");
    CHECK(is_bool(sw_eq(sw_int(1), S("1")), 0), "1 == \"1\" is false");
    CHECK(is_bool(sw_ne(sw_int(1), S("1")), 1), "1 != \"1\"");
    CHECK(is_bool(sw_eq(SW_NULL, SW_NULL), 1), "null == null");
    CHECK(is_bool(sw_eq(SW_NULL, sw_bool(0)), 0), "null == false is false");
    CHECK(is_bool(sw_eq(sw_bool(1), sw_int(1)), 0), "true == 1 is false (types differ)");
    CHECK(is_bool(sw_eq(S("abc"), S("abc")), 1), "string equality");
    CHECK(is_bool(sw_eq(sw_strn("a\0b", 3), sw_strn("a\0c", 3)), 0), "strings with NULs compare by bytes");
    CHECK(is_bool(sw_eq(sw_list(2, sw_int(1), S("x")), sw_list(2, sw_float(1.0), S("x"))), 1),
          "deep list equality");
    CHECK(is_bool(sw_eq(sw_list(2, sw_int(1), S("x")), sw_list(1, sw_int(1))), 0),
          "lists of different lengths differ");
    CHECK(is_bool(sw_eq(sw_obj(2, S("a"), sw_int(1), S("b"), sw_int(2)),
                        sw_obj(2, S("b"), sw_int(2), S("a"), sw_int(1))), 1),
          "object equality ignores key order");
    CHECK(is_bool(sw_eq(sw_obj(1, S("a"), sw_int(1)), sw_obj(1, S("a"), sw_int(2))), 0),
          "objects with different values differ");
    CHECK(is_bool(sw_eq(sw_float(NAN), sw_float(NAN)), 0), "nan != nan");
    CHECK(is_bool(sw_lt(sw_int(1), sw_float(1.5)), 1), "1 < 1.5");
    CHECK(is_bool(sw_lt(sw_int(INT64_MAX), sw_float(9223372036854775808.0)), 1),
          "INT64_MAX < 2^63 exactly");
    CHECK(is_bool(sw_eq(sw_int(INT64_MAX), sw_float(9223372036854775808.0)), 0),
          "INT64_MAX != 2^63 float");
    CHECK(is_bool(sw_eq(sw_int((1LL << 53) + 1), sw_float(9007199254740992.0)), 0),
          "2^53+1 != float 2^53 (no rounding)");
    CHECK(is_bool(sw_le(sw_int(2), sw_int(2)), 1), "2 <= 2");
    CHECK(is_bool(sw_gt(sw_float(-0.5), sw_int(-1)), 1), "-0.5 > -1");
    CHECK(is_bool(sw_ge(sw_int(1), sw_int(2)), 0), "1 >= 2 false");
    CHECK(is_bool(sw_lt(S("abc"), S("abd")), 1), "\"abc\" < \"abd\"");
    CHECK(is_bool(sw_lt(S("ab"), S("abc")), 1), "prefix sorts first");
    CHECK(is_bool(sw_gt(S("b"), S("abc")), 1), "\"b\" > \"abc\"");
    CHECK(is_bool(sw_lt(S("\xc3\xa9"), S("z")), 0), "bytewise: UTF-8 e-acute > z");
    CHECK(is_bool(sw_lt(sw_float(NAN), sw_int(1)), 0), "nan < 1 false");
    CHECK(no_error(), "no error from valid comparisons");
    r = sw_lt(sw_int(1), S("2"));
    CHECK(is_bool(r, 0) && raised("cannot compare"), "1 < \"2\" raises");
    r = sw_ge(SW_NULL, SW_NULL);
    CHECK(is_bool(r, 0) && raised("cannot compare"), "null >= null raises");
    r = sw_lt(sw_list(0), sw_list(0));
    CHECK(is_bool(r, 0) && raised("list"), "[] < [] raises");
}

static void test_truthy(void)
{
    CHECK(!sw_truthy(SW_NULL) && !sw_truthy(sw_bool(0)) && !sw_truthy(sw_int(0)) &&
          !sw_truthy(sw_float(0.0)) && !sw_truthy(S("")) && !sw_truthy(sw_list(0)) &&
          !sw_truthy(sw_obj(0)), "falsy values");
    CHECK(sw_truthy(sw_bool(1)) && sw_truthy(sw_int(-1)) && sw_truthy(sw_float(0.1)) &&
          sw_truthy(S("0")) && sw_truthy(sw_list(1, SW_NULL)) &&
          sw_truthy(sw_obj(1, S("a"), SW_NULL)), "truthy values");
    CHECK(is_bool(sw_not(sw_int(0)), 1) && is_bool(sw_not(S("x")), 0), "not");
}

static void test_access(void)
{
    static sw_str ka = SW_STR_LIT("a"), kz = SW_STR_LIT("zz");
    sw_val l = sw_list(3, sw_int(10), S("b"), sw_list(1, sw_int(7)));
    sw_val o = sw_obj(2, S("a"), sw_int(1), S("nested"), sw_obj(1, S("a"), S("deep")));
    sw_val big = sw_vobj_new(0);
    int i, ok = 1;
    CHECK(is_int(sw_index(sw_ref(l), sw_int(0)), 10), "list[0]");
    CHECK(is_str(sw_index(sw_ref(l), sw_int(-2)), "b"), "list[-2]");
    CHECK(is_int(sw_index(sw_index(sw_ref(l), sw_int(2)), sw_int(0)), 7), "list[2][0]");
    CHECK(sw_index(sw_ref(l), sw_int(3)).t == SW_T_NULL, "list[3] out of range is null");
    CHECK(sw_index(sw_ref(l), sw_int(-4)).t == SW_T_NULL, "list[-4] is null");
    CHECK(is_int(sw_index(sw_ref(l), sw_float(1.0 - 1.0)), 10), "list[0.0] indexes");
    CHECK(sw_index(sw_ref(l), sw_float(0.5)).t == SW_T_NULL, "list[0.5] is null");
    CHECK(sw_index(sw_ref(l), S("a")).t == SW_T_NULL, "list[\"a\"] is null");
    CHECK(is_int(sw_field(sw_ref(o), &ka), 1), "obj.a");
    CHECK(sw_field(sw_ref(o), &kz).t == SW_T_NULL, "obj.zz missing is null");
    CHECK(is_str(sw_field(sw_index(sw_ref(o), S("nested")), &ka), "deep"), "obj[\"nested\"].a");
    CHECK(sw_field(sw_field(sw_ref(o), &kz), &ka).t == SW_T_NULL, "field on null is null");
    CHECK(sw_index(SW_NULL, sw_int(0)).t == SW_T_NULL, "null[0] is null");
    CHECK(sw_field(sw_int(5), &ka).t == SW_T_NULL, "field of an int is null");
    CHECK(is_str(sw_index(S("hey"), sw_int(-1)), "y"), "\"hey\"[-1]");
    CHECK(sw_index(S("hey"), sw_int(3)).t == SW_T_NULL, "\"hey\"[3] is null");
    CHECK(no_error(), "no error from access");

    /* duplicate keys: position of the first, value of the last */
    CHECK(str_is(sw_obj(3, S("k"), sw_int(1), S("j"), sw_int(2), S("k"), sw_int(3)),
                 "{\"k\":3,\"j\":2}"), "duplicate key: last value wins, first position");
    CHECK(str_is(sw_obj(1, sw_int(5), S("v")), "{\"5\":\"v\"}"), "non-string key converted by str()");

    /* a large object uses the hash index */
    for (i = 0; i < 1000; i++)
        sw_vobj_put(big, sw_interp(2, S("key"), sw_int(i)), sw_int(i * 3));
    for (i = 0; i < 1000; i++) {
        sw_val k = sw_interp(2, S("key"), sw_int(i));
        sw_val v = sw_index(sw_ref(big), k);
        ok = ok && v.t == SW_T_INT && v.u.i == i * 3;
    }
    CHECK(ok, "1000-key object: every key found with its value");
    CHECK(sw_index(sw_ref(big), S("key1000")).t == SW_T_NULL, "missing key in large object");
    CHECK(SW_AS_OBJ(big)->n == 1000 && is_str(sw_index(sw_ref(SW_AS_OBJ(big)->k[999]), sw_int(0)), "k"),
          "large object keeps order");
    sw_vobj_put(big, S("key500"), S("replaced"));
    CHECK(SW_AS_OBJ(big)->n == 1000 && is_str(sw_index(sw_ref(big), S("key500")), "replaced"),
          "put of an existing key replaces in a hashed object");
    sw_unref(big);
    sw_unref(l);
    sw_unref(o);
}

static void test_iter(void)
{
    sw_val l = sw_list(3, sw_int(1), sw_int(2), sw_int(3));
    sw_val o = sw_obj(2, S("x"), sw_int(1), S("y"), sw_int(2));
    sw_val i = SW_NULL, x = SW_NULL, n;
    int64_t sum = 0;
    int count = 0;
    char keys[8] = "";
    while (sw_iter(sw_ref(l), &i, &x))
        sum += x.u.i;
    CHECK(sum == 6, "for x in [1,2,3] sums to 6");
    sw_set(&i, SW_NULL);
    while (sw_iter(sw_ref(o), &i, &x))
        strncat(keys, SW_AS_STR(x)->s, 1);
    CHECK(strcmp(keys, "xy") == 0, "for k in object yields keys in order");
    sw_set(&i, SW_NULL);
    keys[0] = '\0';
    while (sw_iter(S("abc"), &i, &x))
        strncat(keys, SW_AS_STR(x)->s, 1);
    CHECK(strcmp(keys, "abc") == 0, "for c in string yields characters");
    sw_set(&i, SW_NULL);
    CHECK(!sw_iter(SW_NULL, &i, &x), "for x in null: no iteration");
    CHECK(!sw_iter(sw_int(3), &i, &x) && raised("cannot iterate"), "for x in 3 raises");
    sw_set(&i, SW_NULL);
    sw_set(&x, SW_NULL);

    n = sw_int(4);
    while (sw_countdown(&n))
        count++;
    CHECK(count == 4, "repeat 4 runs 4 times");
    n = sw_int(-2);
    count = 0;
    while (sw_countdown(&n))
        count++;
    CHECK(count == 0, "repeat -2 runs 0 times");
    n = sw_float(2.7);
    count = 0;
    while (sw_countdown(&n))
        count++;
    CHECK(count == 2, "repeat 2.7 runs 2 times");
    n = S("3");
    CHECK(!sw_countdown(&n) && raised("repeat count"), "repeat \"3\" raises");
    sw_set(&n, SW_NULL);

    CHECK(sw_ms(sw_int(1500)) == 1500.0 && sw_ms(sw_float(2.5)) == 2.5, "sw_ms of numbers");
    CHECK(sw_ms(S("1s")) == 0.0 && raised("milliseconds"), "sw_ms of a string raises");
    sw_unref(l);
    sw_unref(o);
}

static void test_json_values(void)
{
    static sw_str kb = SW_STR_LIT("b");
    sw_val doc = sw_json_parse(S("{\"a\": [1, 2.5, \"x\"], \"b\": {\"c\": null}}"));
    sw_val lit = sw_list(3, sw_int(1), sw_float(2.5), S("x"));
    CHECK(is_bool(sw_eq(sw_index(sw_ref(doc), S("a")), sw_ref(lit)), 1),
          "JSON array view == equal list");
    CHECK(is_bool(sw_eq(sw_ref(lit), sw_index(sw_ref(doc), S("a"))), 1), "list == JSON view");
    CHECK(is_bool(sw_eq(sw_field(sw_ref(doc), &kb), sw_obj(1, S("c"), SW_NULL)), 1),
          "JSON object view == equal object");
    CHECK(is_bool(sw_eq(sw_field(sw_ref(doc), &kb), sw_obj(1, S("c"), sw_int(0))), 0),
          "JSON view != different object");
    CHECK(str_is(sw_ref(doc), "{\"a\":[1,2.5,\"x\"],\"b\":{\"c\":null}}"), "str(JSON view) compact");
    CHECK(is_str(sw_add(S("b="), sw_field(sw_ref(doc), &kb)), "b={\"c\":null}"), "string + JSON view");
    CHECK(sw_truthy(sw_ref(doc)) && !sw_truthy(sw_json_parse(S("[]"))), "truthiness of views");
    CHECK(no_error(), "no error with JSON values");
    sw_unref(lit);
    sw_unref(doc);
}

/* sw_buf: NUL-terminated bytes, reuse by n = 0 (as request.c does), and
 * a string value without a copy. */
static void test_buf(void)
{
    sw_buf b;
    sw_buf_init(&b);
    CHECK(strcmp(sw_buf_bytes(&b), "") == 0 && b.n == 0, "buf: empty reads as \"\"");
    for (int i = 0; i < 1000; i++)
        sw_buf_addc(&b, (char)('a' + i % 26));
    const char *p = sw_buf_bytes(&b);
    CHECK(b.n == 1000 && strlen(p) == 1000 && p[25] == 'z' && p[26] == 'a',
          "buf: 1000 bytes grown, NUL-terminated");
    b.n = 0;
    sw_buf_add(&b, "x\0y", 3);
    p = sw_buf_bytes(&b);
    CHECK(b.n == 3 && p[0] == 'x' && p[1] == '\0' && p[2] == 'y' && p[3] == '\0',
          "buf: reused after n = 0, embedded NUL kept, terminated after n");
    sw_val v = sw_buf_finish(&b);
    CHECK(v.t == SW_T_STR && SW_AS_STR(v)->len == 3 && memcmp(SW_AS_STR(v)->s, "x\0y", 4) == 0
          && b.p == NULL && b.n == 0, "buf: finish gives the string and resets the buffer");
    sw_unref(v);
    sw_buf_free(&b);
}

int main(void)
{
    sw_clear_last_error();
    test_arith();
    test_concat();
    test_str_forms();
    test_compare();
    test_truthy();
    test_access();
    test_iter();
    test_json_values();
    test_buf();
    return CHECK_DONE();
}
