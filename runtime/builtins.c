/*
 * builtins.c -- the seeded RNG and the script's built-in functions.
 *
 * RNG: xoshiro256** (Blackman & Vigna), its state filled from the seed by
 * splitmix64, as its authors recommend. Without sw_rng_seed it behaves as if
 * seeded with 0. One generator per process: everything runs on one thread.
 * sw_rng_range rejects the few draws that would bias the modulo.
 *
 * Conversions: int(x) truncates floats toward zero and reads strings as
 * decimal integers (surrounding whitespace allowed; a decimal float text
 * such as "4.7" is read and truncated); float(x) reads strings with the
 * JSON/C number syntax. Both raise on anything else.
 *
 * Also here: the helpers generated statements call (sw_ms for durations,
 * sw_iter for `for`, sw_countdown for `repeat`).
 */
#include "builtins.h"
#include "strfn.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "rt.h"
#include "value.h"

/* ------------------------------------------------------------ RNG */

static uint64_t rng_s[4];
static int rng_ready;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void sw_rng_seed(uint64_t seed)
{
    int k;
    for (k = 0; k < 4; k++)
        rng_s[k] = splitmix64(&seed);
    rng_ready = 1;
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t sw_rng_u64(void)
{
    uint64_t r, t;
    if (!rng_ready)
        sw_rng_seed(0);
    r = rotl(rng_s[1] * 5, 7) * 9;
    t = rng_s[1] << 17;
    rng_s[2] ^= rng_s[0];
    rng_s[3] ^= rng_s[1];
    rng_s[1] ^= rng_s[2];
    rng_s[0] ^= rng_s[3];
    rng_s[2] ^= t;
    rng_s[3] = rotl(rng_s[3], 45);
    return r;
}

double sw_rng_uniform(void)
{
    return (double)(sw_rng_u64() >> 11) * 0x1.0p-53;
}

int64_t sw_rng_range(int64_t a, int64_t b)
{
    uint64_t span, rem, r;
    if (a >= b)
        return a;
    span = (uint64_t)b - (uint64_t)a + 1;   /* 0: the whole 64-bit range */
    if (span == 0)
        return (int64_t)sw_rng_u64();
    rem = (0 - span) % span;                /* 2^64 mod span: draws above
                                               UINT64_MAX - rem would bias */
    do
        r = sw_rng_u64();
    while (r > UINT64_MAX - rem);
    r = (uint64_t)a + r % span;
    return r > (uint64_t)INT64_MAX ? -(int64_t)(~r) - 1 : (int64_t)r;
}

/* ------------------------------------------------------------ helpers */

/* A number argument as an int64 (ints, integral floats); raises otherwise. */
static int int_arg(const char *fn, sw_val v, int64_t *out)
{
    if (v.t == SW_T_INT) {
        *out = v.u.i;
        return 1;
    }
    if (v.t == SW_T_FLOAT && v.u.f == trunc(v.u.f) &&
        v.u.f >= -9223372036854775808.0 && v.u.f < 9223372036854775808.0) {
        *out = (int64_t)v.u.f;
        return 1;
    }
    sw_raise("%s() expects an integer, got %s", fn, sw_type_name(v));
    return 0;
}

/* ------------------------------------------------------------ built-ins */

sw_val sw_b_random(sw_val a, sw_val b)
{
    int64_t x, y;
    int ok = int_arg("random", a, &x) && int_arg("random", b, &y);
    sw_unref(a);
    sw_unref(b);
    if (!ok)
        return SW_NULL;
    if (x > y) {
        sw_raise("random(a, b) needs a <= b");
        return SW_NULL;
    }
    return sw_int(sw_rng_range(x, y));
}

sw_val sw_b_random_float(void)
{
    return sw_float(sw_rng_uniform());
}

sw_val sw_b_uuid(void)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char u[16];
    char out[36];
    uint64_t r1 = sw_rng_u64(), r2 = sw_rng_u64();
    int k, o = 0;
    for (k = 0; k < 8; k++) {
        u[k] = (unsigned char)(r1 >> (8 * k));
        u[8 + k] = (unsigned char)(r2 >> (8 * k));
    }
    u[6] = (unsigned char)((u[6] & 0x0F) | 0x40);   /* version 4 */
    u[8] = (unsigned char)((u[8] & 0x3F) | 0x80);   /* RFC 4122 variant */
    for (k = 0; k < 16; k++) {
        if (k == 4 || k == 6 || k == 8 || k == 10)
            out[o++] = '-';
        out[o++] = hex[u[k] >> 4];
        out[o++] = hex[u[k] & 15];
    }
    return sw_strn(out, 36);
}

sw_val sw_b_choice(sw_val list)
{
    sw_val r = SW_NULL;
    int64_t n;
    if (list.t == SW_T_LIST) {
        n = (int64_t)SW_AS_LIST(list)->n;
        if (n > 0)
            r = sw_ref(SW_AS_LIST(list)->v[sw_rng_range(0, n - 1)]);
    } else if (list.t == SW_T_JSON && sw_json_kind(list.u.h) == SW_T_LIST) {
        n = sw_json_len(list.u.h);
        if (n > 0)
            r = sw_json_index(list.u.h, sw_rng_range(0, n - 1));
    } else {
        sw_raise("choice() expects a list, got %s", sw_type_name(list));
        sw_unref(list);
        return SW_NULL;
    }
    if (n == 0)
        sw_raise("choice() of an empty list");
    sw_unref(list);
    return r;
}

sw_val sw_b_len(sw_val x)
{
    int64_t n = 0;
    switch (x.t) {
    case SW_T_STR: n = (int64_t)sw_str_chars(SW_AS_STR(x)->s, SW_AS_STR(x)->len); break;
    case SW_T_LIST: n = (int64_t)SW_AS_LIST(x)->n; break;
    case SW_T_OBJ: n = (int64_t)SW_AS_OBJ(x)->n; break;
    case SW_T_JSON: n = sw_json_len(x.u.h); break;
    default:
        sw_raise("len() of %s", sw_type_name(x));
        sw_unref(x);
        return SW_NULL;
    }
    sw_unref(x);
    return sw_int(n);
}

sw_val sw_b_str(sw_val x)
{
    return sw_to_str(x);
}

/* Copies a string value's text without surrounding whitespace into buf. */
static const char *trimmed(const sw_str *s, char *buf, size_t cap)
{
    size_t a = 0, z = s->len;
    while (a < z && strchr(" \t\r\n", s->s[a]) && s->s[a])
        a++;
    while (z > a && strchr(" \t\r\n", s->s[z - 1]) && s->s[z - 1])
        z--;
    if (z - a >= cap || memchr(s->s + a, '\0', z - a))
        return NULL;
    memcpy(buf, s->s + a, z - a);
    buf[z - a] = '\0';
    return buf;
}

/* Reads a whole decimal float text; 0 when it is not one. */
static int parse_float(const sw_str *s, double *out)
{
    char buf[512], *end;
    const char *t = trimmed(s, buf, sizeof buf);
    if (!t || !*t || strpbrk(t, "xX"))
        return 0;
    errno = 0;
    *out = strtod(t, &end);
    return *end == '\0';
}

sw_val sw_b_int(sw_val x)
{
    double f;
    switch (x.t) {
    case SW_T_INT:
        return x;
    case SW_T_BOOL:
        return sw_int(x.u.b);
    case SW_T_FLOAT:
        f = x.u.f;
        break;
    case SW_T_STR: {
        char buf[512], *end;
        const char *t = trimmed(SW_AS_STR(x), buf, sizeof buf);
        long long v;
        if (t && *t) {
            errno = 0;
            v = strtoll(t, &end, 10);
            if (*end == '\0') {
                sw_unref(x);
                if (errno == ERANGE) {
                    sw_raise("integer overflow");
                    return SW_NULL;
                }
                return sw_int((int64_t)v);
            }
        }
        if (!parse_float(SW_AS_STR(x), &f)) {
            sw_raise("int(): not a number: \"%.60s\"", SW_AS_STR(x)->s);
            sw_unref(x);
            return SW_NULL;
        }
        sw_unref(x);
        break;
    }
    default:
        sw_raise("int() of %s", sw_type_name(x));
        sw_unref(x);
        return SW_NULL;
    }
    if (isnan(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0) {
        sw_raise("int(): %g does not fit in an integer", f);
        return SW_NULL;
    }
    return sw_int((int64_t)f);
}

sw_val sw_b_float(sw_val x)
{
    double f;
    switch (x.t) {
    case SW_T_FLOAT:
        return x;
    case SW_T_INT:
        return sw_float((double)x.u.i);
    case SW_T_BOOL:
        return sw_float(x.u.b);
    case SW_T_STR:
        if (!parse_float(SW_AS_STR(x), &f)) {
            sw_raise("float(): not a number: \"%.60s\"", SW_AS_STR(x)->s);
            sw_unref(x);
            return SW_NULL;
        }
        sw_unref(x);
        return sw_float(f);
    default:
        sw_raise("float() of %s", sw_type_name(x));
        sw_unref(x);
        return SW_NULL;
    }
}

/* Is n[0..nl) a substring of h[0..hl)? */
static int has_substr(const char *h, size_t hl, const char *n, size_t nl)
{
    size_t i;
    if (nl == 0)
        return 1;
    for (i = 0; i + nl <= hl; i++) {
        const char *p = memchr(h + i, n[0], hl - nl + 1 - i);
        if (!p)
            return 0;
        i = (size_t)(p - h);
        if (memcmp(p, n, nl) == 0)
            return 1;
    }
    return 0;
}

sw_val sw_b_contains(sw_val haystack, sw_val needle)
{
    int r = 0;
    size_t i;
    switch (haystack.t) {
    case SW_T_NULL:
        break;
    case SW_T_STR:
        needle = sw_to_str(needle);
        r = has_substr(SW_AS_STR(haystack)->s, SW_AS_STR(haystack)->len,
                       SW_AS_STR(needle)->s, SW_AS_STR(needle)->len);
        break;
    case SW_T_LIST:
        for (i = 0; i < SW_AS_LIST(haystack)->n && !r; i++)
            r = sw_val_equal(SW_AS_LIST(haystack)->v[i], needle);
        break;
    case SW_T_OBJ:
        r = needle.t == SW_T_STR &&
            sw_vobj_find(SW_AS_OBJ(haystack), SW_AS_STR(needle)->s,
                         SW_AS_STR(needle)->len) >= 0;
        break;
    case SW_T_JSON:
        r = sw_json_contains(haystack.u.h, needle);
        break;
    default:
        sw_raise("contains() cannot search in %s", sw_type_name(haystack));
        break;
    }
    sw_unref(haystack);
    sw_unref(needle);
    return sw_bool(r);
}

sw_val sw_b_env(sw_val name, sw_val dflt)
{
    const char *v;
    if (name.t != SW_T_STR || memchr(SW_AS_STR(name)->s, '\0', SW_AS_STR(name)->len)) {
        sw_raise("env() expects a variable name (string), got %s", sw_type_name(name));
        sw_unref(name);
        sw_unref(dflt);
        return SW_NULL;
    }
    v = getenv(SW_AS_STR(name)->s);
    sw_unref(name);
    if (!v)
        return dflt;
    sw_unref(dflt);
    return sw_cstr(v);
}

sw_val sw_b_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return sw_float((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

sw_val sw_b_urlencode(sw_val s)
{
    static const char hex[] = "0123456789ABCDEF";
    sw_val t = sw_to_str(s);
    const sw_str *in = SW_AS_STR(t);
    sw_buf b;
    size_t i;
    sw_buf_init(&b);
    for (i = 0; i < in->len; i++) {
        unsigned char c = (unsigned char)in->s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            sw_buf_addc(&b, (char)c);
        } else {
            char e[3] = { '%', hex[c >> 4], hex[c & 15] };
            sw_buf_add(&b, e, 3);
        }
    }
    sw_unref(t);
    return sw_buf_finish(&b);
}

size_t sw_base64_encode(const void *in, size_t n, char *out)
{
    static const char al[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = in;
    char *q = out;
    size_t i;
    for (i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        *q++ = al[v >> 18];
        *q++ = al[(v >> 12) & 63];
        *q++ = i + 1 < n ? al[(v >> 6) & 63] : '=';
        *q++ = i + 2 < n ? al[v & 63] : '=';
    }
    *q = '\0';
    return (size_t)(q - out);
}

sw_val sw_b_base64(sw_val s)
{
    sw_val t = sw_to_str(s);
    size_t n = SW_AS_STR(t)->len;
    char *o = sw_xmalloc(SW_BASE64_SIZE(n));
    sw_val r = sw_strn(o, sw_base64_encode(SW_AS_STR(t)->s, n, o));
    free(o);
    sw_unref(t);
    return r;
}

/* ------------------------------------------- statement helpers (sw.h) */

double sw_ms(sw_val v)
{
    if (v.t == SW_T_INT)
        return (double)v.u.i;
    if (v.t == SW_T_FLOAT)
        return v.u.f;
    sw_raise("expected a number of milliseconds, got %s", sw_type_name(v));
    sw_unref(v);
    return 0;
}

int sw_iter(sw_val coll, sw_val *idx, sw_val *out)
{
    int64_t i = idx->t == SW_T_INT ? idx->u.i : 0;
    int more = 0;
    switch (coll.t) {
    case SW_T_NULL:
        break;
    case SW_T_LIST:
        if (i >= 0 && (uint64_t)i < SW_AS_LIST(coll)->n) {
            sw_set(out, sw_ref(SW_AS_LIST(coll)->v[i]));
            more = 1;
        }
        break;
    case SW_T_OBJ:
        if (i >= 0 && (uint64_t)i < SW_AS_OBJ(coll)->n) {
            sw_set(out, sw_ref(SW_AS_OBJ(coll)->k[i]));
            more = 1;
        }
        break;
    case SW_T_STR:
        if (i >= 0 && (uint64_t)i < SW_AS_STR(coll)->len) {
            sw_set(out, sw_strn(SW_AS_STR(coll)->s + i, 1));
            more = 1;
        }
        break;
    case SW_T_JSON:
        more = sw_json_iter(coll.u.h, idx, out);
        sw_unref(coll);
        return more;
    default:
        sw_raise("cannot iterate over %s", sw_type_name(coll));
        break;
    }
    if (more)
        sw_set(idx, sw_int(i + 1));
    sw_unref(coll);
    return more;
}

int sw_countdown(sw_val *counter)
{
    if (counter->t == SW_T_FLOAT) {
        double f = counter->u.f;
        *counter = sw_int(!(f > 0) ? 0 : f >= 9.2e18 ? INT64_MAX : (int64_t)f);
    }
    if (counter->t != SW_T_INT) {
        sw_raise("repeat count must be a number, got %s", sw_type_name(*counter));
        sw_set(counter, sw_int(0));
        return 0;
    }
    if (counter->u.i <= 0)
        return 0;
    counter->u.i--;
    return 1;
}
