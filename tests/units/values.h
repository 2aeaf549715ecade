/*
 * values.h -- checks on sw_val results shared by the value, JSON and
 * built-in unit tests. Each consumes the value it is given and says whether
 * it is what was wanted, printing what it got when it is not.
 */
#ifndef VALUES_H
#define VALUES_H

#include <stdio.h>
#include <string.h>

#include "value.h"

#define S(x) sw_cstr(x)

/* v is the string of the n bytes at s. */
static inline int is_strn(sw_val v, const char *s, size_t n)
{
    int ok = v.t == SW_T_STR && SW_AS_STR(v)->len == n && memcmp(SW_AS_STR(v)->s, s, n) == 0;
    if (!ok && v.t == SW_T_STR)
        printf("# got \"%s\", want \"%.*s\"\n", SW_AS_STR(v)->s, (int)n, s);
    sw_unref(v);
    return ok;
}

static inline int is_str(sw_val v, const char *s) { return is_strn(v, s, strlen(s)); }

/* A literal that may hold NULs. */
#define IS_STR(v, lit) is_strn((v), (lit), sizeof(lit) - 1)

static inline int is_int(sw_val v, int64_t i)
{
    int ok = v.t == SW_T_INT && v.u.i == i;
    if (!ok && v.t == SW_T_INT)
        printf("# got %lld, want %lld\n", (long long)v.u.i, (long long)i);
    sw_unref(v);
    return ok;
}

static inline int is_float(sw_val v, double f)
{
    int ok = v.t == SW_T_FLOAT && v.u.f == f;
    sw_unref(v);
    return ok;
}

static inline int is_bool(sw_val v, int b)
{
    int ok = v.t == SW_T_BOOL && v.u.b == b;
    sw_unref(v);
    return ok;
}

static inline int is_null(sw_val v)
{
    int ok = v.t == SW_T_NULL;
    sw_unref(v);
    return ok;
}

#endif /* VALUES_H */
