/*
 * ops.c -- the operators on values: arithmetic (+ - * / % and unary -),
 * truthiness and not, equality and ordering. Split from value.c, whose
 * interface (value.h, sw.h) it shares; the rules are those stated there.
 *
 * Numbers: int op int stays int (+ - * % raise "integer overflow" instead of
 * wrapping), anything with a float is float, '/' always gives a float.
 * '%' follows Python (the result has the sign of the divisor), as a Locust
 * user would expect: -7 % 3 == 2. '+' with a string concatenates the string
 * forms (value.c's sw_buf_add_str).
 */
#include "value.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

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
