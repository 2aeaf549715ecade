/*
 * value.c -- values, field/index access and the string form (the
 * operators are in ops.c).
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

/* ---- releasing: iterative, so no nesting depth can overflow the stack
 * (i6-compiler's part of issue 6; self-contained). Objects whose count
 * reached zero while another is being released wait in a work list
 * instead of being released recursively. */
static struct {
    sw_heap **v;         /* objects waiting to be released */
    size_t n, cap;
    int draining;        /* 1 while sw_unref_heap's loop runs */
} unref_work;

static void unref_defer(sw_heap *h)
{
    if (unref_work.n == unref_work.cap) {
        unref_work.cap = unref_work.cap ? 2 * unref_work.cap : 64;
        unref_work.v = sw_xrealloc(unref_work.v, unref_work.cap * sizeof *unref_work.v);
    }
    unref_work.v[unref_work.n++] = h;
}

/* Release what h holds (children that reach zero are deferred), free it. */
static void unref_one(sw_heap *h)
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

/* Frees a heap object whose count reached zero, releasing what it holds:
 * strings at once, containers through the work list (a loop, not
 * recursion). */
void sw_unref_heap(sw_heap *h)
{
    if (h->type == SW_T_STR) {
        free(h);
        return;
    }
    if (unref_work.draining) {
        unref_defer(h);
        return;
    }
    unref_work.draining = 1;
    unref_one(h);
    while (unref_work.n)
        unref_one(unref_work.v[--unref_work.n]);
    unref_work.draining = 0;
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
    buf_reserve(b, 0);                  /* always leaves room for the NUL */
    b->p[sizeof(sw_str) + b->n] = '\0';
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
