/*
 * thrspec.c -- parsing thresholds and arrival rates (see thrspec.h). A
 * small hand-written scanner: words, numbers with their unit, quoted
 * strings, comparison operators; each parse step reports the span it
 * rejected so swarmc can put a caret under it.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "thrspec.h"

typedef enum tok_kind { TK_END, TK_WORD, TK_NUM, TK_STR, TK_OP, TK_BAD } tok_kind;

typedef struct tok {
    tok_kind kind;
    int off, len;               /* span in the source */
    double num;                 /* TK_NUM: the value */
    char unit[8];               /* TK_NUM: what follows the digits ("ms", "%", "") */
    char text[SW_THR_TEXT_MAX]; /* TK_WORD / TK_STR (decoded) / TK_OP */
} tok;

typedef struct scan {
    const char *s;
    int pos, end;               /* end: the NUL or an unquoted '#' */
    char *err; size_t errlen;
    int *errcol, *errspan;
} scan;

static int bad(scan *c, int off, int len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, c->errlen, fmt, ap);
    va_end(ap);
    if (c->errcol)
        *c->errcol = off;
    if (c->errspan)
        *c->errspan = len > 0 ? len : 1;
    return -1;
}

/* Where the expression ends: its NUL, or a '#' outside quotes. */
static int find_end(const char *s)
{
    int q = 0, i = 0;
    for (; s[i]; i++) {
        if (q && s[i] == '\\' && s[i + 1])
            i++;
        else if (s[i] == '"')
            q = !q;
        else if (!q && s[i] == '#')
            break;
    }
    return i;
}

/* The next token; TK_BAD with an error already set on a malformed one. */
static tok next(scan *c)
{
    tok t;
    memset(&t, 0, sizeof t);
    while (c->pos < c->end && (c->s[c->pos] == ' ' || c->s[c->pos] == '\t'))
        c->pos++;
    t.off = c->pos;
    if (c->pos >= c->end) {
        t.kind = TK_END;
        t.len = 1;
        return t;
    }
    const char *p = c->s + c->pos;
    if (isalpha((unsigned char)*p) || *p == '_') {
        int n = 0;
        while (c->pos + n < c->end && (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '.'))
            n++;
        t.kind = TK_WORD;
        t.len = n;
        snprintf(t.text, sizeof t.text, "%.*s", n, p);
    } else if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
        int n = 0, u;
        while (c->pos + n < c->end && (isdigit((unsigned char)p[n]) || p[n] == '.'))
            n++;
        char buf[64];
        snprintf(buf, sizeof buf, "%.*s", n < 63 ? n : 63, p);
        char *e;
        t.num = strtod(buf, &e);
        u = n;
        while (c->pos + u < c->end && (isalpha((unsigned char)p[u]) || p[u] == '%' || p[u] == '/'))
            u++;
        t.kind = (*e || n >= 63 || u - n >= (int)sizeof t.unit) ? TK_BAD : TK_NUM;
        t.len = u;
        snprintf(t.unit, sizeof t.unit, "%.*s", u - n, p + n);
        if (t.kind == TK_BAD)
            bad(c, t.off, t.len, "'%.*s' is not a number", u > 40 ? 40 : u, p);
    } else if (*p == '"') {
        int n = 1, w = 0;
        while (c->pos + n < c->end && p[n] != '"') {
            if (p[n] == '\\' && c->pos + n + 1 < c->end)
                n++;
            if (w < (int)sizeof t.text - 1)
                t.text[w++] = p[n];
            n++;
        }
        t.text[w] = '\0';
        if (c->pos + n >= c->end) {
            t.kind = TK_BAD;
            t.len = n;
            bad(c, t.off, 1, "unterminated string (a quote '\"' is missing)");
        } else {
            t.kind = TK_STR;
            t.len = n + 1;
        }
    } else if (*p == '<' || *p == '>' || *p == '=' || *p == '!') {
        int n = (p[1] == '=') ? 2 : 1;
        t.kind = TK_OP;
        t.len = n;
        snprintf(t.text, sizeof t.text, "%.*s", n, p);
    } else {
        t.kind = TK_BAD;
        t.len = 1;
        if (isprint((unsigned char)*p))
            bad(c, t.off, 1, "unexpected character '%c'", *p);
        else
            bad(c, t.off, 1, "unexpected byte 0x%02X", (unsigned)(unsigned char)*p);
    }
    c->pos = t.off + t.len;
    return t;
}

static void scan_init(scan *c, const char *s, char *err, size_t errlen, int *errcol,
                      int *errspan)
{
    c->s = s ? s : "";
    c->pos = 0;
    c->end = find_end(c->s);
    c->err = err;
    c->errlen = errlen;
    c->errcol = errcol;
    c->errspan = errspan;
    if (errlen)
        err[0] = '\0';
}

/* A duration token in ms: number + ms/s/m/h, or a bare number (ms). */
static int duration_ms(const tok *t, double *ms)
{
    static const struct { const char *u; double f; } U[] = {
        { "", 1 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
    };
    for (size_t i = 0; i < sizeof U / sizeof U[0]; i++)
        if (strcmp(t->unit, U[i].u) == 0) {
            *ms = t->num * U[i].f;
            return 0;
        }
    return -1;
}

static int parse_metric(scan *c, const tok *t, sw_thr_spec *o)
{
    static const struct { const char *w; sw_thr_metric m; } M[] = {
        { "avg", SW_THR_AVG }, { "min", SW_THR_MIN }, { "max", SW_THR_MAX },
        { "fail_ratio", SW_THR_FAIL_RATIO }, { "rps", SW_THR_RPS },
    };
    if (t->kind == TK_WORD) {
        for (size_t i = 0; i < sizeof M / sizeof M[0]; i++)
            if (strcmp(t->text, M[i].w) == 0) {
                o->metric = M[i].m;
                return 0;
            }
        if (strcmp(t->text, "med") == 0 || strcmp(t->text, "median") == 0) {
            o->metric = SW_THR_PCT;
            o->q = 0.5;
            return 0;
        }
        if (t->text[0] == 'p' && isdigit((unsigned char)t->text[1])) {
            char *e;
            double v = strtod(t->text + 1, &e);
            if (*e || !(v > 0) || v > 100)
                return bad(c, t->off, t->len, "'%s' is not a percentile: write p followed by a "
                           "number above 0 and at most 100 (p50, p95, p99.9)", t->text);
            o->metric = SW_THR_PCT;
            o->q = v / 100.0;
            return 0;
        }
    }
    return bad(c, t->off, t->len, "expected a metric (p50 ... p99.99, avg, min, max, "
               "fail_ratio or rps)");
}

static int parse_value(scan *c, const tok *t, sw_thr_spec *o)
{
    char m[32];
    sw_thr_metric_text(o, m, sizeof m);
    if (t->kind != TK_NUM)
        return bad(c, t->off, t->len, "expected a value after the comparison (%s)",
                   o->metric == SW_THR_FAIL_RATIO ? "a percentage such as 1%"
                   : o->metric == SW_THR_RPS ? "requests per second such as 50"
                   : "a duration such as 300ms or 1s");
    switch (o->metric) {
    case SW_THR_FAIL_RATIO:
        if (strcmp(t->unit, "%") == 0) {
            if (t->num > 100)
                return bad(c, t->off, t->len, "a failure ratio is at most 100%%");
            o->value = t->num / 100.0;
        } else if (!t->unit[0]) {
            if (t->num > 1)
                return bad(c, t->off, t->len, "a failure ratio without '%%' is a fraction from 0 "
                           "to 1; write %g%% for a percentage", t->num);
            o->value = t->num;
        } else {
            return bad(c, t->off, t->len, "fail_ratio takes a percentage (1%%) or a fraction "
                       "(0.01), not '%s'", t->unit);
        }
        return 0;
    case SW_THR_RPS:
        if (t->unit[0] && strcmp(t->unit, "/s") != 0)
            return bad(c, t->off, t->len, "rps takes a number of requests per second (50 or "
                       "50/s), not a value in '%s'", t->unit);
        o->value = t->num;
        return 0;
    default:
        if (duration_ms(t, &o->value) != 0)
            return bad(c, t->off, t->len, "%s takes a duration (300ms, 1.5s, 2m; a bare number "
                       "is milliseconds), not a value in '%s'", m, t->unit);
        return 0;
    }
}

int sw_thr_parse(const char *s, sw_thr_spec *o, char *err, size_t errlen, int *errcol,
                 int *errspan)
{
    scan c;
    scan_init(&c, s, err, errlen, errcol, errspan);
    memset(o, 0, sizeof *o);
    tok t = next(&c);
    if (t.kind == TK_BAD)
        return -1;
    if (t.kind == TK_WORD && strcmp(t.text, "all") == 0) {
        o->all = 1;
    } else if (t.kind == TK_STR) {
        const char *sp = strchr(t.text, ' ');
        if (!sp || sp == t.text || !sp[1])
            return bad(&c, t.off, t.len, "a threshold's entry is \"METHOD NAME\", as the stats "
                       "show it (\"GET /items/{id}\"); this one has no space between the two");
        size_t ml = (size_t)(sp - t.text);
        if (ml >= sizeof o->method)
            return bad(&c, t.off, t.len, "the method in \"METHOD NAME\" is too long");
        memcpy(o->method, t.text, ml);
        o->method[ml] = '\0';
        for (char *p = o->method; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        snprintf(o->name, sizeof o->name, "%s", sp + 1);
    } else {
        return bad(&c, t.off, t.len, "a threshold starts with 'all' or a quoted entry "
                   "\"METHOD NAME\" (such as \"GET /items/{id}\")");
    }
    t = next(&c);
    if (t.kind == TK_BAD || parse_metric(&c, &t, o) != 0)
        return -1;
    t = next(&c);
    if (t.kind == TK_BAD)
        return -1;
    if (t.kind != TK_OP || !strcmp(t.text, "=") || !strcmp(t.text, "==")
        || t.text[0] == '!' || t.text[0] == '=')
        return bad(&c, t.off, t.len, "expected a comparison: <, <=, > or >=");
    o->op = !strcmp(t.text, "<") ? SW_THR_LT : !strcmp(t.text, "<=") ? SW_THR_LE
          : !strcmp(t.text, ">") ? SW_THR_GT : SW_THR_GE;
    t = next(&c);
    if (t.kind == TK_BAD || parse_value(&c, &t, o) != 0)
        return -1;
    t = next(&c);
    if (t.kind == TK_WORD && strcmp(t.text, "abort") == 0) {
        o->abort = 1;
        t = next(&c);
    }
    if (t.kind == TK_BAD)
        return -1;
    if (t.kind != TK_END)
        return bad(&c, t.off, t.len, "unexpected '%.*s' after the threshold (only 'abort' may "
                   "follow the value)", t.len > 40 ? 40 : t.len, c.s + t.off);
    int a = 0, b = c.end;
    while (a < b && (c.s[a] == ' ' || c.s[a] == '\t'))
        a++;
    while (b > a && (c.s[b - 1] == ' ' || c.s[b - 1] == '\t' || c.s[b - 1] == '\r'))
        b--;
    if (b - a >= SW_THR_TEXT_MAX)
        return bad(&c, a, b - a, "the threshold is longer than %d characters", SW_THR_TEXT_MAX - 1);
    memcpy(o->text, c.s + a, (size_t)(b - a));
    o->text[b - a] = '\0';
    return 0;
}

const char *sw_thr_op_text(sw_thr_op op)
{
    return op == SW_THR_LT ? "<" : op == SW_THR_LE ? "<=" : op == SW_THR_GT ? ">" : ">=";
}

void sw_thr_metric_text(const sw_thr_spec *t, char *buf, size_t n)
{
    switch (t->metric) {
    case SW_THR_PCT: snprintf(buf, n, "p%g", t->q * 100.0); break;
    case SW_THR_AVG: snprintf(buf, n, "avg"); break;
    case SW_THR_MIN: snprintf(buf, n, "min"); break;
    case SW_THR_MAX: snprintf(buf, n, "max"); break;
    case SW_THR_FAIL_RATIO: snprintf(buf, n, "fail_ratio"); break;
    case SW_THR_RPS: snprintf(buf, n, "rps"); break;
    }
}

int sw_arr_parse(const char *s, sw_arr_spec *o, char *err, size_t errlen, int *errcol,
                 int *errspan)
{
    scan c;
    scan_init(&c, s, err, errlen, errcol, errspan);
    memset(o, 0, sizeof *o);
    tok t = next(&c);
    if (t.kind == TK_BAD)
        return -1;
    if (t.kind != TK_WORD || strcmp(t.text, "rate") != 0)
        return bad(&c, t.off, t.len, "expected 'rate' (arrival rate R per second [poisson])");
    t = next(&c);
    if (t.kind == TK_BAD)
        return -1;
    if (t.kind != TK_NUM || t.unit[0] || !(t.num > 0) || !isfinite(t.num))
        return bad(&c, t.off, t.len, "expected a number of iterations greater than 0");
    o->rate = t.num;
    t = next(&c);
    if (t.kind == TK_BAD)
        return -1;
    if (t.kind != TK_WORD || strcmp(t.text, "per") != 0)
        return bad(&c, t.off, t.len, "expected 'per second' or 'per minute' after the rate");
    t = next(&c);
    if (t.kind == TK_BAD)
        return -1;
    if (t.kind == TK_WORD && strcmp(t.text, "minute") == 0)
        o->rate /= 60.0;
    else if (t.kind != TK_WORD || strcmp(t.text, "second") != 0)
        return bad(&c, t.off, t.len, "expected 'second' or 'minute'");
    t = next(&c);
    if (t.kind == TK_WORD && strcmp(t.text, "poisson") == 0) {
        o->poisson = 1;
        t = next(&c);
    }
    if (t.kind == TK_BAD)
        return -1;
    if (t.kind != TK_END)
        return bad(&c, t.off, t.len, "unexpected '%.*s' (only 'poisson' may follow the rate)",
                   t.len > 40 ? 40 : t.len, c.s + t.off);
    return 0;
}
