/*
 * test_data.c -- data.c: CSV rows (quoting, CRLF, blank lines, BOM, errors
 * with their line), the line of a JSON syntax error, next() order and the
 * cluster stride.
 */
#include <string.h>

#include "check.h"
#include "data.h"
#include "rt.h"
#include "values.h"

static int csv_ok(const char *text, const char *want_json)
{
    sw_val rows = SW_NULL;
    char err[200] = "";
    if (sw_data_parse_csv(text, strlen(text), &rows, err, sizeof err) != 0) {
        printf("# error: %s\n", err);
        return 0;
    }
    return is_str(sw_to_str(rows), want_json);
}

static int csv_err(const char *text, const char *want)
{
    sw_val rows = SW_NULL;
    char err[200] = "";
    int r = sw_data_parse_csv(text, strlen(text), &rows, err, sizeof err);
    if (r == 0 || strcmp(err, want) != 0) {
        printf("# got %d \"%s\", want \"%s\"\n", r, err, want);
        sw_unref(rows);
        return 0;
    }
    return 1;
}

int main(void)
{
    CHECK(csv_ok("user,password\nu1,p1\nu2,p2\n",
                 "[{\"user\":\"u1\",\"password\":\"p1\"},{\"user\":\"u2\",\"password\":\"p2\"}]"),
          "rows are objects keyed by the header");
    CHECK(csv_ok("\xEF\xBB\xBF" "a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\r\n\r\n\"multi\nline\",\r\n",
                 "[{\"a\":\"x,1\",\"b\":\"say \\\"hi\\\"\"},{\"a\":\"multi\\nline\",\"b\":\"\"}]"),
          "BOM, CRLF, quotes, doubled quotes, a blank line, a newline in a field, an empty field");
    CHECK(csv_ok("a\n", "[]"), "a header alone: no rows");
    CHECK(csv_ok("a,b\n1,2", "[{\"a\":\"1\",\"b\":\"2\"}]"), "no newline at the end");
    CHECK(csv_err("", "1: no header row (the file is empty)"), "an empty file is an error");
    CHECK(csv_err("a,b\n1,2\n3\n", "3: the row has 1 field, the header has 2"),
          "a short row, with its line");
    CHECK(csv_err("a,b\n1,2\n\"3,4\n5,6\n", "3: unterminated quoted field"),
          "an unterminated quote, with the line it starts on");
    CHECK(csv_err("a,,c\n", "1: column 2 of the header row has no name"), "an unnamed column");

    CHECK(sw_data_json_error_line("[1, 2]", 6) == 0, "valid JSON: no error line");
    CHECK(sw_data_json_error_line("[\n1,\n2,\n}", 9) == 4, "the line of the bad '}'");
    CHECK(sw_data_json_error_line("[1] x", 5) == 1, "text after the value");
    CHECK(sw_data_json_error_line("{\"a\": tru}", 10) == 1, "a bad literal");

    sw_data d = { "rows", "x.csv", SW_DATA_CSV, SW_NULL, 0 };
    sw_data_parse_csv("n\n0\n1\n2\n3\n4\n", 12, &d.rows, (char[64]){ 0 }, 64);
    char got[64] = "";
    for (int i = 0; i < 7; i++) {
        sw_val r = sw_data_next(&d);
        sw_val n = sw_field(r, &(sw_str)SW_STR_LIT("n"));
        strcat(got, SW_AS_STR(n)->s);
        sw_unref(n);
    }
    CHECK(!strcmp(got, "0123401"), "next() in order, then wraps (%s)", got);
    sw_data_stride(1, 2);               /* slave 1 of 2 */
    d.taken = 0;
    got[0] = '\0';
    for (int i = 0; i < 5; i++) {
        sw_val r = sw_data_next(&d);
        sw_val n = sw_field(r, &(sw_str)SW_STR_LIT("n"));
        strcat(got, SW_AS_STR(n)->s);
        sw_unref(n);
    }
    CHECK(!strcmp(got, "13024"), "slave 1 of 2 takes rows 1, 3, then wraps (%s)", got);
    sw_data_stride(0, 1);
    sw_set(&d.rows, SW_NULL);
    CHECK(sw_data_next(&d).t == SW_T_NULL && strstr(sw_last_error(), "no rows"),
          "next() of a source without rows raises");
    return CHECK_DONE();
}
