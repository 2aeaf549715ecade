/*
 * value.c -- values, operators, field/index access and the string form.
 *
 * Representation: null/bool/int/float live in the sw_val itself; strings,
 * lists, objects, JSON views and responses are refcounted heap objects
 * (sw_heap first). A heap string made here is one allocation (header, then
 * the bytes and a NUL), so freeing it is one free(). Lists hold their items
 * inline; objects keep keys in insertion order, linearly searched while
 * small and hashed (open addressing) once they pass SW_OBJ_HASH_MIN keys.
 *
 * Numbers: int op int stays int (+ - * % raise "integer overflow" instead of
 * wrapping), anything with a float is float, '/' always gives a float.
 * '%' follows Python (the result has the sign of the divisor), as a Locust
 * user would expect: -7 % 3 == 2.
 *
 * String form (str(), interpolation, '+' with a string): ints in decimal;
 * floats in the shortest text that reads back to the same double ("0.1",
 * "1.5", "1e+300"), except that a float with an integral value inside the
 * int64 range prints like an int ("3", not "3.0"), so 6 / 2 interpolates as
 * "3"; non-finite floats print "inf", "-inf", "nan"; null "null"; booleans
 * "true"/"false"; lists, objects and JSON views as compact JSON text;
 * a response as "<response STATUS>".
 */
#include "value.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "rt.h"

#define SW_OBJ_HASH_MIN 8   /* objects with more keys than this get a hash index */

/* ------------------------------------------------------------ memory */

void *sw_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("swarm: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *sw_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("swarm: out of memory\n", stderr);
        abort();
    }
    return q;
}

/* Frees a heap object whose count reached zero, releasing what it holds. */
void sw_unref_heap(sw_heap *h)
{
    size_t i;
    switch ((sw_type)h->type) {
    case SW_T_STR:
        free(h);
        break;
    case SW_T_LIST: {
        sw_vlist *l = (sw_vlist *)(void *)h;
        for (i = 0; i < l->n; i++)
            sw_unref(l->v[i]);
        free(l);
        break;
    }
    case SW_T_OBJ: {
        sw_vobj *o = (sw_vobj *)(void *)h;
        for (i = 0; i < o->n; i++) {
            sw_unref(o->k[i]);
            sw_unref(o->v[i]);
        }
        free(o->k);
        free(o->v);
        free(o->idx);
        free(o);
        break;
    }
    case SW_T_JSON:
        sw_json_free(h);
        break;
    case SW_T_RESP:
        sw_resp_free(h);
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------ strings */

sw_val sw_strn(const char *s, size_t len)
{
    sw_str *str = sw_xmalloc(sizeof *str + len + 1);
    char *p = (char *)(str + 1);
    str->h.rc = 1;
    str->h.type = SW_T_STR;
    str->len = len;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    str->s = p;
    return sw_sval(str);
}

sw_val sw_cstr(const char *s)
{
    return sw_strn(s, strlen(s));
}

void sw_buf_init(sw_buf *b)
{
    b->p = NULL;
    b->n = 0;
    b->cap = 0;
}

/* Makes room for `more` bytes after the ones written. */
static void buf_reserve(sw_buf *b, size_t more)
{
    size_t need = b->n + more, cap;
    if (b->p && need <= b->cap)
        return;
    cap = b->cap ? b->cap : 48;
    while (cap < need)
        cap *= 2;
    b->p = sw_xrealloc(b->p, sizeof(sw_str) + cap + 1);
    b->cap = cap;
}

void sw_buf_add(sw_buf *b, const void *s, size_t n)
{
    buf_reserve(b, n);
    if (n)
        memcpy(b->p + sizeof(sw_str) + b->n, s, n);
    b->n += n;
}

void sw_buf_addc(sw_buf *b, char c)
{
    buf_reserve(b, 1);
    b->p[sizeof(sw_str) + b->n++] = c;
}

char *sw_buf_bytes(sw_buf *b)
{
    buf_reserve(b, 0);
    return b->p + sizeof(sw_str);
}

sw_val sw_buf_finish(sw_buf *b)
{
    sw_str *str;
    buf_reserve(b, 0);
    str = sw_xrealloc(b->p, sizeof(sw_str) + b->n + 1);
    str->h.rc = 1;
    str->h.type = SW_T_STR;
    str->len = b->n;
    str->s = (char *)(str + 1);
    ((char *)(str + 1))[b->n] = '\0';
    sw_buf_init(b);
    return sw_sval(str);
}

void sw_buf_free(sw_buf *b)
{
    free(b->p);
    sw_buf_init(b);
}

size_t sw_fmt_float(double f, char *buf)
{
    int prec, n = 0;
    if (isnan(f))
        return (size_t)snprintf(buf, 32, "nan");
    if (isinf(f))
        return (size_t)snprintf(buf, 32, f < 0 ? "-inf" : "inf");
    if (f == trunc(f) && f >= -9223372036854775808.0 && f < 9223372036854775808.0)
        return (size_t)snprintf(buf, 32, "%" PRId64, (int64_t)f);
    /* a normal double printed with 15 significant digits is already its
     * shortest form when that round-trips (%g drops trailing zeros);
     * subnormals carry fewer digits, so search from 1 for them */
    for (prec = fabs(f) < DBL_MIN ? 1 : 15; prec <= 17; prec++) {
        n = snprintf(buf, 32, "%.*g", prec, f);
        if (strtod(buf, NULL) == f)
            break;
    }
    return (size_t)n;
}

void sw_buf_add_str(sw_buf *b, sw_val v)
{
    char tmp[48];
    size_t n;
    switch (v.t) {
    case SW_T_NULL:
        sw_buf_add(b, "null", 4);
        break;
    case SW_T_BOOL:
        if (v.u.b)
            sw_buf_add(b, "true", 4);
        else
            sw_buf_add(b, "false", 5);
        break;
    case SW_T_INT:
        n = (size_t)snprintf(tmp, sizeof tmp, "%" PRId64, v.u.i);
        sw_buf_add(b, tmp, n);
        break;
    case SW_T_FLOAT:
        n = sw_fmt_float(v.u.f, tmp);
        sw_buf_add(b, tmp, n);
        break;
    case SW_T_STR:
        sw_buf_add(b, SW_AS_STR(v)->s, SW_AS_STR(v)->len);
        break;
    case SW_T_LIST:
    case SW_T_OBJ:
    case SW_T_JSON:
        sw_json_encode_into(b, v);
        break;
    case SW_T_RESP: {
        sw_val st = sw_resp_field(v.u.h, "status", 6);
        sw_buf_add(b, "<response ", 10);
        sw_buf_add_str(b, st);
        sw_buf_addc(b, '>');
        sw_unref(st);
        break;
    }
    }
}

sw_val sw_to_str(sw_val v)
{
    sw_buf b;
    if (v.t == SW_T_STR)
        return v;
    sw_buf_init(&b);
    sw_buf_add_str(&b, v);
    sw_unref(v);
    return sw_buf_finish(&b);
}

const char *sw_type_name(sw_val v)
{
    switch (v.t) {
    case SW_T_NULL: return "null";
    case SW_T_BOOL: return "bool";
    case SW_T_INT: return "int";
    case SW_T_FLOAT: return "float";
    case SW_T_STR: return "string";
    case SW_T_LIST: return "list";
    case SW_T_OBJ: return "object";
    case SW_T_JSON: return sw_json_kind(v.u.h) == SW_T_LIST ? "list" : "object";
    case SW_T_RESP: return "response";
    }
    return "value";
}

/* ------------------------------------------------------ lists, objects */

sw_val sw_vlist_new(size_t n)
{
    sw_vlist *l = sw_xmalloc(sizeof *l + n * sizeof(sw_val));
    size_t i;
    l->h.rc = 1;
    l->h.type = SW_T_LIST;
    l->n = n;
    for (i = 0; i < n; i++)
        l->v[i] = SW_NULL;
    return (sw_val){ .t = SW_T_LIST, .u.h = &l->h };
}

sw_val sw_vobj_new(size_t cap)
{
    sw_vobj *o = sw_xmalloc(sizeof *o);
    o->h.rc = 1;
    o->h.type = SW_T_OBJ;
    o->n = 0;
    o->cap = cap;
    o->k = cap ? sw_xmalloc(cap * sizeof(sw_val)) : NULL;
    o->v = cap ? sw_xmalloc(cap * sizeof(sw_val)) : NULL;
    o->idx = NULL;
    o->icap = 0;
    return (sw_val){ .t = SW_T_OBJ, .u.h = &o->h };
}

/* FNV-1a over the key bytes. */
static uint32_t key_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static void obj_index_insert(sw_vobj *o, size_t e)
{
    const sw_str *k = SW_AS_STR(o->k[e]);
    size_t mask = o->icap - 1, h = key_hash(k->s, k->len) & mask;
    while (o->idx[h])
        h = (h + 1) & mask;
    o->idx[h] = (uint32_t)(e + 1);
}

static void obj_reindex(sw_vobj *o, size_t icap)
{
    size_t e;
    free(o->idx);
    o->idx = sw_xmalloc(icap * sizeof(uint32_t));
    memset(o->idx, 0, icap * sizeof(uint32_t));
    o->icap = icap;
    for (e = 0; e < o->n; e++)
        obj_index_insert(o, e);
}

long sw_vobj_find(const sw_vobj *o, const char *key, size_t klen)
{
    size_t i;
    if (!o->idx) {
        for (i = 0; i < o->n; i++) {
            const sw_str *k = SW_AS_STR(o->k[i]);
            if (k->len == klen && memcmp(k->s, key, klen) == 0)
                return (long)i;
        }
        return -1;
    }
    {
        size_t mask = o->icap - 1, h = key_hash(key, klen) & mask;
        while (o->idx[h]) {
            size_t e = o->idx[h] - 1;
            const sw_str *k = SW_AS_STR(o->k[e]);
            if (k->len == klen && memcmp(k->s, key, klen) == 0)
                return (long)e;
            h = (h + 1) & mask;
        }
    }
    return -1;
}

void sw_vobj_put(sw_val obj, sw_val key, sw_val val)
{
    sw_vobj *o = SW_AS_OBJ(obj);
    long e;
    if (key.t != SW_T_STR)
        key = sw_to_str(key);
    e = sw_vobj_find(o, SW_AS_STR(key)->s, SW_AS_STR(key)->len);
    if (e >= 0) {
        sw_set(&o->v[e], val);
        sw_unref(key);
        return;
    }
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 4;
        o->k = sw_xrealloc(o->k, o->cap * sizeof(sw_val));
        o->v = sw_xrealloc(o->v, o->cap * sizeof(sw_val));
    }
    o->k[o->n] = key;
    o->v[o->n] = val;
    o->n++;
    if (o->n > SW_OBJ_HASH_MIN) {
        if (!o->idx || o->n * 2 > o->icap)
            obj_reindex(o, o->icap ? o->icap * 2 : 32);
        else
            obj_index_insert(o, o->n - 1);
    }
}

sw_val sw_list(int n, ...)
{
    va_list ap;
    sw_val l = sw_vlist_new(n > 0 ? (size_t)n : 0);
    int i;
    va_start(ap, n);
    for (i = 0; i < n; i++)
        SW_AS_LIST(l)->v[i] = va_arg(ap, sw_val);
    va_end(ap);
    return l;
}

sw_val sw_obj(int n, ...)
{
    va_list ap;
    sw_val o = sw_vobj_new(n > 0 ? (size_t)n : 0);
    int i;
    va_start(ap, n);
    for (i = 0; i < n; i++) {
        sw_val k = va_arg(ap, sw_val);
        sw_val v = va_arg(ap, sw_val);
        sw_vobj_put(o, k, v);
    }
    va_end(ap);
    return o;
}

sw_val sw_interp(int n, ...)
{
    va_list ap;
    sw_buf b;
    int i;
    sw_buf_init(&b);
    va_start(ap, n);
    for (i = 0; i < n; i++) {
        sw_val v = va_arg(ap, sw_val);
        sw_buf_add_str(&b, v);
        sw_unref(v);
    }
    va_end(ap);
    return sw_buf_finish(&b);
}

/* ------------------------------------------------------------ numbers */

static int is_num(sw_val v)
{
    return v.t == SW_T_INT || v.t == SW_T_FLOAT;
}

static double num_f(sw_val v)
{
    return v.t == SW_T_INT ? (double)v.u.i : v.u.f;
}

/* Exact comparison of an int with a float: -1, 0, 1, or 2 if f is NaN. */
static int int_float_cmp(int64_t i, double f)
{
    double t;
    int64_t fi;
    if (isnan(f))
        return 2;
    if (f >= 9223372036854775808.0)
        return -1;
    if (f < -9223372036854775808.0)
        return 1;
    t = trunc(f);
    fi = (int64_t)t;
    if (i != fi)
        return i < fi ? -1 : 1;
    return f > t ? -1 : f < t ? 1 : 0;
}

/* Numeric comparison across int/float: -1, 0, 1, or 2 when unordered. */
static int num_cmp(sw_val a, sw_val b)
{
    int r;
    if (a.t == SW_T_INT && b.t == SW_T_INT)
        return (a.u.i > b.u.i) - (a.u.i < b.u.i);
    if (a.t == SW_T_FLOAT && b.t == SW_T_FLOAT) {
        if (isnan(a.u.f) || isnan(b.u.f))
            return 2;
        return (a.u.f > b.u.f) - (a.u.f < b.u.f);
    }
    if (a.t == SW_T_INT)
        return int_float_cmp(a.u.i, b.u.f);
    r = int_float_cmp(b.u.i, a.u.f);
    return r == 2 ? 2 : -r;
}

enum { OP_ADD, OP_SUB, OP_MUL, OP_MOD };

/* int op int with overflow detection; returns 0 and raises on overflow. */
static int int_op(int op, int64_t a, int64_t b, int64_t *out)
{
    switch (op) {
    case OP_ADD:
        if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
            goto overflow;
        *out = a + b;
        return 1;
    case OP_SUB:
        if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b))
            goto overflow;
        *out = a - b;
        return 1;
    case OP_MUL:
        if (a > 0) {
            if (b > 0 ? a > INT64_MAX / b : b < INT64_MIN / a)
                goto overflow;
        } else if (a < 0) {
            if (b > 0 ? a < INT64_MIN / b : b < INT64_MAX / a)
                goto overflow;
        }
        *out = a * b;
        return 1;
    default: /* OP_MOD, b != 0 */
        if (b == -1) {
            *out = 0;
            return 1;
        }
        *out = a % b;
        if (*out != 0 && ((*out < 0) != (b < 0)))
            *out += b;
        return 1;
    }
overflow:
    sw_raise("integer overflow");
    return 0;
}

static const char *op_sym[] = { "+", "-", "*", "%" };

/* + - * % on two numbers (consumed by the caller's contract: numbers). */
static sw_val arith(int op, sw_val a, sw_val b)
{
    if (!is_num(a) || !is_num(b)) {
        sw_raise("unsupported operand types for %s: %s and %s",
                 op_sym[op], sw_type_name(a), sw_type_name(b));
        sw_unref(a);
        sw_unref(b);
        return SW_NULL;
    }
    if (op == OP_MOD && ((b.t == SW_T_INT && b.u.i == 0) ||
                         (b.t == SW_T_FLOAT && b.u.f == 0.0))) {
        sw_raise("modulo by zero");
        return SW_NULL;
    }
    if (a.t == SW_T_INT && b.t == SW_T_INT) {
        int64_t r;
        return int_op(op, a.u.i, b.u.i, &r) ? sw_int(r) : SW_NULL;
    } else {
        double x = num_f(a), y = num_f(b), r;
        switch (op) {
        case OP_ADD: r = x + y; break;
        case OP_SUB: r = x - y; break;
        case OP_MUL: r = x * y; break;
        default:
            r = fmod(x, y);
            if (r != 0 && ((r < 0) != (y < 0)))
                r += y;
            break;
        }
        return sw_float(r);
    }
}

sw_val sw_add(sw_val a, sw_val b)
{
    if (a.t == SW_T_STR || b.t == SW_T_STR) {
        sw_buf buf;
        sw_buf_init(&buf);
        sw_buf_add_str(&buf, a);
        sw_buf_add_str(&buf, b);
        sw_unref(a);
        sw_unref(b);
        return sw_buf_finish(&buf);
    }
    if (a.t == SW_T_LIST && b.t == SW_T_LIST) {
        const sw_vlist *x = SW_AS_LIST(a), *y = SW_AS_LIST(b);
        sw_val r = sw_vlist_new(x->n + y->n);
        size_t i;
        for (i = 0; i < x->n; i++)
            SW_AS_LIST(r)->v[i] = sw_ref(x->v[i]);
        for (i = 0; i < y->n; i++)
            SW_AS_LIST(r)->v[x->n + i] = sw_ref(y->v[i]);
        sw_unref(a);
        sw_unref(b);
        return r;
    }
    return arith(OP_ADD, a, b);
}

sw_val sw_sub(sw_val a, sw_val b) { return arith(OP_SUB, a, b); }
sw_val sw_mul(sw_val a, sw_val b) { return arith(OP_MUL, a, b); }
sw_val sw_mod(sw_val a, sw_val b) { return arith(OP_MOD, a, b); }

sw_val sw_div(sw_val a, sw_val b)
{
    double y;
    if (!is_num(a) || !is_num(b)) {
        sw_raise("unsupported operand types for /: %s and %s",
                 sw_type_name(a), sw_type_name(b));
        sw_unref(a);
        sw_unref(b);
        return SW_NULL;
    }
    y = num_f(b);
    if (y == 0.0) {
        sw_raise("division by zero");
        return SW_NULL;
    }
    return sw_float(num_f(a) / y);
}

sw_val sw_neg(sw_val a)
{
    if (a.t == SW_T_INT) {
        if (a.u.i == INT64_MIN) {
            sw_raise("integer overflow");
            return SW_NULL;
        }
        return sw_int(-a.u.i);
    }
    if (a.t == SW_T_FLOAT)
        return sw_float(-a.u.f);
    sw_raise("unsupported operand type for unary -: %s", sw_type_name(a));
    sw_unref(a);
    return SW_NULL;
}

int sw_truthy(sw_val v)
{
    int t = 1;
    switch (v.t) {
    case SW_T_NULL: t = 0; break;
    case SW_T_BOOL: t = v.u.b; break;
    case SW_T_INT: t = v.u.i != 0; break;
    case SW_T_FLOAT: t = v.u.f != 0.0; break;
    case SW_T_STR: t = SW_AS_STR(v)->len != 0; break;
    case SW_T_LIST: t = SW_AS_LIST(v)->n != 0; break;
    case SW_T_OBJ: t = SW_AS_OBJ(v)->n != 0; break;
    case SW_T_JSON: t = sw_json_len(v.u.h) != 0; break;
    case SW_T_RESP: t = 1; break;
    }
    sw_unref(v);
    return t;
}

sw_val sw_not(sw_val a)
{
    return sw_bool(!sw_truthy(a));
}

/* ------------------------------------------------------------ comparison */

int sw_val_equal(sw_val a, sw_val b)
{
    size_t i;
    if (is_num(a) && is_num(b))
        return num_cmp(a, b) == 0;
    if (a.t == SW_T_JSON || b.t == SW_T_JSON) {
        sw_val x, y;
        int r;
        if (a.t == b.t && a.u.h == b.u.h)
            return 1;
        x = a.t == SW_T_JSON ? sw_json_materialise(a.u.h) : sw_ref(a);
        y = b.t == SW_T_JSON ? sw_json_materialise(b.u.h) : sw_ref(b);
        r = sw_val_equal(x, y);
        sw_unref(x);
        sw_unref(y);
        return r;
    }
    if (a.t != b.t)
        return 0;
    switch (a.t) {
    case SW_T_NULL:
        return 1;
    case SW_T_BOOL:
        return a.u.b == b.u.b;
    case SW_T_STR: {
        const sw_str *x = SW_AS_STR(a), *y = SW_AS_STR(b);
        return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
    }
    case SW_T_LIST: {
        const sw_vlist *x = SW_AS_LIST(a), *y = SW_AS_LIST(b);
        if (x->n != y->n)
            return 0;
        for (i = 0; i < x->n; i++)
            if (!sw_val_equal(x->v[i], y->v[i]))
                return 0;
        return 1;
    }
    case SW_T_OBJ: {
        const sw_vobj *x = SW_AS_OBJ(a), *y = SW_AS_OBJ(b);
        if (x->n != y->n)
            return 0;
        for (i = 0; i < x->n; i++) {
            const sw_str *k = SW_AS_STR(x->k[i]);
            long e = sw_vobj_find(y, k->s, k->len);
            if (e < 0 || !sw_val_equal(x->v[i], y->v[e]))
                return 0;
        }
        return 1;
    }
    default:
        return a.u.h == b.u.h;
    }
}

sw_val sw_eq(sw_val a, sw_val b)
{
    int r = sw_val_equal(a, b);
    sw_unref(a);
    sw_unref(b);
    return sw_bool(r);
}

sw_val sw_ne(sw_val a, sw_val b)
{
    int r = sw_val_equal(a, b);
    sw_unref(a);
    sw_unref(b);
    return sw_bool(!r);
}

/* Ordering for < <= > >=: -1/0/1, 2 when unordered (NaN), 3 after raising. */
static int order(sw_val a, sw_val b, const char *op)
{
    int r;
    if (is_num(a) && is_num(b)) {
        r = num_cmp(a, b);
    } else if (a.t == SW_T_STR && b.t == SW_T_STR) {
        const sw_str *x = SW_AS_STR(a), *y = SW_AS_STR(b);
        size_t n = x->len < y->len ? x->len : y->len;
        int c = n ? memcmp(x->s, y->s, n) : 0;
        if (c == 0)
            c = (x->len > y->len) - (x->len < y->len);
        r = (c > 0) - (c < 0);
    } else {
        sw_raise("cannot compare %s %s %s", sw_type_name(a), op, sw_type_name(b));
        r = 3;
    }
    sw_unref(a);
    sw_unref(b);
    return r;
}

sw_val sw_lt(sw_val a, sw_val b) { int r = order(a, b, "<"); return sw_bool(r == -1); }
sw_val sw_le(sw_val a, sw_val b) { int r = order(a, b, "<="); return sw_bool(r == -1 || r == 0); }
sw_val sw_gt(sw_val a, sw_val b) { int r = order(a, b, ">"); return sw_bool(r == 1); }
sw_val sw_ge(sw_val a, sw_val b) { int r = order(a, b, ">="); return sw_bool(r == 1 || r == 0); }

/* ------------------------------------------------------ field and index */

sw_val sw_field(sw_val obj, sw_str *key)
{
    sw_val r = SW_NULL;
    switch (obj.t) {
    case SW_T_OBJ: {
        long e = sw_vobj_find(SW_AS_OBJ(obj), key->s, key->len);
        if (e >= 0)
            r = sw_ref(SW_AS_OBJ(obj)->v[e]);
        break;
    }
    case SW_T_JSON:
        r = sw_json_field(obj.u.h, key->s, key->len);
        break;
    case SW_T_RESP:
        r = sw_resp_field(obj.u.h, key->s, key->len);
        break;
    default:
        break;
    }
    sw_unref(obj);
    return r;
}

/* An index value as an int64: ints, and floats with an integral value. */
static int as_index(sw_val v, int64_t *out)
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
    return 0;
}

/* Resolves a possibly negative index against n; 0 when out of range. */
static int norm_index(int64_t i, size_t n, size_t *out)
{
    if (i < 0)
        i += (int64_t)n;
    if (i < 0 || (uint64_t)i >= n)
        return 0;
    *out = (size_t)i;
    return 1;
}

sw_val sw_index(sw_val obj, sw_val idx)
{
    sw_val r = SW_NULL;
    int64_t i;
    size_t at;
    switch (obj.t) {
    case SW_T_LIST:
        if (as_index(idx, &i) && norm_index(i, SW_AS_LIST(obj)->n, &at))
            r = sw_ref(SW_AS_LIST(obj)->v[at]);
        break;
    case SW_T_STR:
        if (as_index(idx, &i) && norm_index(i, SW_AS_STR(obj)->len, &at))
            r = sw_strn(SW_AS_STR(obj)->s + at, 1);
        break;
    case SW_T_OBJ:
        if (idx.t == SW_T_STR) {
            long e = sw_vobj_find(SW_AS_OBJ(obj), SW_AS_STR(idx)->s, SW_AS_STR(idx)->len);
            if (e >= 0)
                r = sw_ref(SW_AS_OBJ(obj)->v[e]);
        }
        break;
    case SW_T_JSON:
        if (idx.t == SW_T_STR)
            r = sw_json_field(obj.u.h, SW_AS_STR(idx)->s, SW_AS_STR(idx)->len);
        else if (as_index(idx, &i))
            r = sw_json_index(obj.u.h, i);
        break;
    case SW_T_RESP:
        if (idx.t == SW_T_STR)
            r = sw_resp_field(obj.u.h, SW_AS_STR(idx)->s, SW_AS_STR(idx)->len);
        break;
    default:
        break;
    }
    sw_unref(obj);
    sw_unref(idx);
    return r;
}
