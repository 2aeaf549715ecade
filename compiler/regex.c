/*
 * regex.c -- compile a literal pattern with PCRE2 to report a bad one at
 * compile time (see regex.h). Options must match runtime/strings.c.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "regex.h"

int check_regex(const char *pat, size_t len, char *msg, size_t cap, size_t *off)
{
    int err = 0;
    PCRE2_SIZE at = 0;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, len, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
                                   &err, &at, NULL);
    if (re) {
        pcre2_code_free(re);
        return 0;
    }
    if (cap)
        pcre2_get_error_message(err, (PCRE2_UCHAR *)msg, cap);
    *off = at;
    return -1;
}
