/*
 * test_hdrline.c -- header lines matched by name (hdrline.c): request lines
 * in curl's conventions, NUL-separated line buffers, response header blocks.
 */
#include <string.h>

#include "check.h"
#include "hdrline.h"

int main(void)
{
    /* request lines: the name in any case, then ':' or ';' */
    CHECK(sw_hl_is("content-TYPE: text/x", "Content-Type", 12), "a line matches in any case");
    CHECK(sw_hl_is("Content-Type;", "Content-Type", 12), "\"Name;\" (sent empty) matches");
    CHECK(sw_hl_is("Content-Type:", "Content-Type", 12), "\"Name:\" (removed) matches");
    CHECK(!sw_hl_is("Content-Typex: a", "Content-Type", 12), "a longer name does not match");
    CHECK(!sw_hl_is("Content", "Content-Type", 12), "a shorter line does not match");
    const char *lines[] = { "X-A: 1", "user-agent: me", "Accept;" };
    CHECK(sw_hl_has(lines, 3, "User-Agent") && sw_hl_has(lines, 3, "Accept"),
          "sw_hl_has finds sent and empty lines");
    CHECK(!sw_hl_has(lines, 3, "X") && !sw_hl_has(lines, 0, "X-A"),
          "sw_hl_has: no prefix match, nothing in no lines");

    /* NUL-separated lines: drop some by name */
    char b[] = "Content-Type: a\0X-Keep: 1\0content-length: 3\0Authorization;\0X-Last: 2";
    size_t n = sizeof b;            /* with the last line's NUL */
    static const char *const names[] = { "content-type", "Content-Length", "authorization" };
    int left = sw_hl_drop(b, &n, names, 3);
    CHECK(left == 2 && n == sizeof "X-Keep: 1" + sizeof "X-Last: 2" &&
          strcmp(b, "X-Keep: 1") == 0 && strcmp(b + sizeof "X-Keep: 1", "X-Last: 2") == 0,
          "sw_hl_drop keeps the other lines in order (%d left, %zu bytes)", left, n);

    /* response blocks: the last value, trimmed */
    const char blk[] = "Location:  /a \r\nX-Y: 1\r\nlocation:\t/b\t\r\nEmpty:\r\nLast: z";
    size_t vl = 0;
    const char *v = sw_hl_value(blk, sizeof blk - 1, "LOCATION", 8, &vl);
    CHECK(v && vl == 2 && memcmp(v, "/b", 2) == 0, "sw_hl_value: the last one, trimmed");
    v = sw_hl_value(blk, sizeof blk - 1, "Empty", 5, &vl);
    CHECK(v && vl == 0, "sw_hl_value: an empty value is found, empty");
    v = sw_hl_value(blk, sizeof blk - 1, "Last", 4, &vl);
    CHECK(v && vl == 1 && *v == 'z', "sw_hl_value: a last line without its end");
    CHECK(!sw_hl_value(blk, sizeof blk - 1, "X", 1, &vl) &&
          !sw_hl_value(NULL, 0, "X", 1, &vl), "sw_hl_value: no prefix match, no block");
    return CHECK_DONE();
}
