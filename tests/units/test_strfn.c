/*
 * test_strfn.c -- the string and regular-expression built-ins (strfn.c,
 * issue 9): results on ASCII and UTF-8 text, Python-like edge cases, and
 * the errors they raise.
 */
#include <string.h>

#include "check.h"
#include "rt.h"
#include "strfn.h"
#include "values.h"

static int raised(sw_val v, const char *what)
{
    int ok = v.t == SW_T_NULL && strstr(sw_last_error(), what) != NULL;
    if (!ok)
        printf("# last error: \"%s\", want \"%s\"\n", sw_last_error(), what);
    sw_unref(v);
    sw_clear_last_error();
    return ok;
}

/* str() of v equals want (v consumed). */
static int shows(sw_val v, const char *want)
{
    return is_str(sw_to_str(v), want);
}

static void test_regex(void)
{
    const char *form = "<input type=\"hidden\" name=\"csrf\" value=\"tok123\">";
    CHECK(is_str(sw_b_match(S(form), S("name=\"csrf\" value=\"([^\"]+)\"")), "tok123"),
          "match returns group 1");
    CHECK(is_str(sw_b_match(S("order 42 shipped"), S("\\d+")), "42"),
          "match without groups returns the whole match");
    CHECK(is_null(sw_b_match(S("nothing"), S("\\d+"))), "no match is null");
    CHECK(is_null(sw_b_match(S("ab"), S("a(x)?b"))), "an unused group 1 is null");
    CHECK(is_str(sw_b_match(S("caf\xc3\xa9!"), S("f(.)")), "\xc3\xa9"),
          "UTF mode: . matches one character");
    CHECK(is_str(sw_b_match(S("Hello"), S("(?i)hello")), "Hello"), "inline flags (Python syntax)");
    CHECK(shows(sw_b_match_all(S("a1b22c333"), S("\\d+")), "[\"1\",\"22\",\"333\"]"),
          "match_all: every match");
    CHECK(shows(sw_b_match_all(S("k=1;j=2"), S("(\\w)=(\\d)")), "[[\"k\",\"1\"],[\"j\",\"2\"]]"),
          "match_all with several groups: lists of groups, like findall");
    CHECK(shows(sw_b_match_all(S("abc"), S("x*")), "[\"\",\"\",\"\",\"\"]"),
          "match_all with empty matches steps forward (as Python)");
    CHECK(shows(sw_b_match_all(S("none"), S("\\d")), "[]"), "match_all without a match: []");
    CHECK(raised(sw_b_match(S("x"), S("(")), "bad regular expression"),
          "a bad pattern raises at run time");
    CHECK(raised(sw_b_match(sw_int(1), S("x")), "match() expects a string"),
          "match of a non-string raises");
    /* the cache: the same pattern many times, and many patterns */
    int ok = 1;
    for (int i = 0; i < 600; i++) {
        char p[32], s[32];
        snprintf(p, sizeof p, "v(%d)", i % 300);
        snprintf(s, sizeof s, "xv%dy", i % 300);
        char want[16];
        snprintf(want, sizeof want, "%d", i % 300);
        ok &= is_str(sw_b_match(S(s), S(p)), want);
    }
    CHECK(ok, "600 matches over 300 patterns (more than the cache holds)");
}

static void test_strings(void)
{
    CHECK(shows(sw_b_split(S("a,b,,c"), S(",")), "[\"a\",\"b\",\"\",\"c\"]"), "split keeps empty fields");
    CHECK(shows(sw_b_split(S("a--b"), S("--")), "[\"a\",\"b\"]"), "split on a longer separator");
    CHECK(shows(sw_b_split(S(""), S(",")), "[\"\"]"), "split of \"\" is [\"\"] (as Python)");
    CHECK(raised(sw_b_split(S("a"), S("")), "empty separator"), "split on \"\" raises");
    CHECK(is_str(sw_b_join(sw_list(3, S("a"), sw_int(1), SW_NULL), S("-")), "a-1-null"),
          "join converts items with str()");
    CHECK(is_str(sw_b_join(sw_list(0), S("-")), ""), "join of []");
    CHECK(raised(sw_b_join(S("ab"), S("-")), "join() expects a list"), "join of a string raises");
    CHECK(is_str(sw_b_lower(S("AbC-\xc3\x89")), "abc-\xc3\xa9"), "lower: ASCII and Latin-1 letters (\xc3\x89 to \xc3\xa9)");
    CHECK(is_str(sw_b_lower(S("\xce\xa3\xce\x91 \xd0\x96")), "\xcf\x83\xce\xb1 \xd0\xb6"),
          "lower: Greek and Cyrillic");
    CHECK(is_str(sw_b_upper(S("stra\xc3\x9f\xc3\xa9 \xf0\x9f\x98\x80")),
                 "STRA\xc3\x9f\xc3\x89 \xf0\x9f\x98\x80"),
          "upper: simple mapping (sharp s stays), 4-byte characters kept");
    CHECK(is_str(sw_b_lower(S("A\xff\xc3" "B")), "a\xff\xc3" "b"), "lower: bytes that are not UTF-8 pass through");
    CHECK(is_str(sw_b_trim(S("\xc2\xa0\xe2\x80\x83 x \xe3\x80\x80\n")), "x"),
          "trim: Unicode whitespace (NBSP, em space, ideographic space), as Python's strip()");
    CHECK(is_str(sw_b_trim(S("\xff x \x80")), "\xff x \x80"), "trim: stray bytes are not whitespace");
    CHECK(is_str(sw_b_upper(S("abc1")), "ABC1"), "upper");
    CHECK(is_str(sw_b_trim(S(" \t x y \r\n")), "x y"), "trim");
    CHECK(is_str(sw_b_replace(S("a.b.c"), S("."), S("::")), "a::b::c"), "replace every occurrence");
    CHECK(is_str(sw_b_replace(S("ab"), S(""), S("-")), "-a-b-"), "replace \"\" as Python");
    CHECK(is_bool(sw_b_starts_with(S("/api/x"), S("/api")), 1), "starts_with");
    CHECK(is_bool(sw_b_starts_with(S("/a"), S("/api")), 0), "starts_with a longer prefix");
    CHECK(is_bool(sw_b_ends_with(S("x.json"), S(".json")), 1), "ends_with");
    CHECK(is_int(sw_b_find(S("h\xc3\xa9llo"), S("llo")), 2), "find counts characters");
    CHECK(is_int(sw_b_find(S("abc"), S("z")), -1), "find: -1 when absent");
    CHECK(is_int(sw_b_find(S("abc"), S("")), 0), "find of \"\" is 0");
    CHECK(is_str(sw_b_slice(S("h\xc3\xa9llo"), sw_int(1), sw_int(3)), "\xc3\xa9l"),
          "slice a string by characters");
    CHECK(is_str(sw_b_slice(S("hello"), sw_int(-3), SW_NULL), "llo"), "slice from the end, to the end");
    CHECK(is_str(sw_b_slice(S("hello"), sw_int(4), sw_int(2)), ""), "an empty slice");
    CHECK(is_str(sw_b_slice(S("hello"), sw_int(-99), sw_int(99)), "hello"), "bounds clamped");
    CHECK(shows(sw_b_slice(sw_list(4, sw_int(1), sw_int(2), sw_int(3), sw_int(4)), sw_int(1),
                           sw_int(-1)), "[2,3]"), "slice a list");
    CHECK(raised(sw_b_slice(S("x"), S("1"), SW_NULL), "bounds must be integers"),
          "a string bound raises");
    CHECK(is_int(sw_b_len(S("\xe2\x82\xac\xc3\xa9" "a")), 3), "len counts characters");
    CHECK(raised(sw_b_lower(SW_NULL), "lower() expects a string"), "lower(null) raises");
    sw_re_shutdown();
}

int main(void)
{
    test_regex();
    test_strings();
    return CHECK_DONE();
}
