/*
 * cancelled.c -- the table of requests cancelled at stop (see cancelled.h).
 * A small array searched linearly: it holds one row per entry that had a
 * request cancelled, which stays small (entries are capped by stats.h).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cancelled.h"
#include "export.h"

typedef struct row {
    char *method, *name;           /* owned */
    uint64_t count;
} row;

static row *C_v;
static size_t C_n, C_cap;
static uint64_t C_total;

static row *find(const char *method, const char *name)
{
    for (size_t i = 0; i < C_n; i++)
        if (strcmp(C_v[i].method, method) == 0 && strcmp(C_v[i].name, name) == 0)
            return &C_v[i];
    return NULL;
}

int sw_cancel_add(const char *method, const char *name, uint64_t n)
{
    method = method ? method : "";
    name = name ? name : "";
    row *r = find(method, name);
    if (!r) {
        if (C_n == C_cap) {
            size_t nc = C_cap ? 2 * C_cap : 16;
            row *v = realloc(C_v, nc * sizeof *v);
            if (!v)
                return -1;
            C_v = v;
            C_cap = nc;
        }
        char *m = strdup(method), *s = strdup(name);
        if (!m || !s) {
            free(m);
            free(s);
            return -1;
        }
        r = &C_v[C_n++];
        r->method = m;
        r->name = s;
        r->count = 0;
    }
    r->count += n;
    C_total += n;
    return 0;
}

uint64_t sw_cancel_total(void)
{
    return C_total;
}

uint64_t sw_cancel_get(const char *method, const char *name)
{
    const row *r = find(method ? method : "", name ? name : "");
    return r ? r->count : 0;
}

static int by_name(const void *a, const void *b)
{
    const sw_cancel_row *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->method, y->method);
}

size_t sw_cancel_list(sw_cancel_row **out)
{
    *out = NULL;
    if (!C_n)
        return 0;
    sw_cancel_row *v = malloc(C_n * sizeof *v);
    if (!v)
        return 0;
    for (size_t i = 0; i < C_n; i++) {
        v[i].method = C_v[i].method;
        v[i].name = C_v[i].name;
        v[i].count = C_v[i].count;
    }
    qsort(v, C_n, sizeof *v, by_name);
    *out = v;
    return C_n;
}

void sw_cancel_reset(void)
{
    for (size_t i = 0; i < C_n; i++) {
        free(C_v[i].method);
        free(C_v[i].name);
    }
    C_n = 0;
    C_total = 0;
}

void sw_cancel_free(void)
{
    sw_cancel_reset();
    free(C_v);
    C_v = NULL;
    C_cap = 0;
}

void sw_cancel_report(FILE *f)
{
    sw_cancel_row *v;
    size_t n = sw_cancel_list(&v);
    if (!C_total)
        return;
    fprintf(f, "%" PRIu64 " requests in flight cancelled at stop (not in the tables above):\n",
            C_total);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "  %-8s %-40s %10" PRIu64 "\n", v[i].method, v[i].name, v[i].count);
    fputc('\n', f);
    free(v);
}

void sw_cancel_json(FILE *f)
{
    sw_cancel_row *v;
    size_t n = sw_cancel_list(&v);
    fprintf(f, "\"cancelled_at_stop\":{\"total\":%" PRIu64 ",\"entries\":[", C_total);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",{\"method\":" : "{\"method\":", f);
        sw_export_json_str(f, v[i].method);
        fputs(",\"name\":", f);
        sw_export_json_str(f, v[i].name);
        fprintf(f, ",\"count\":%" PRIu64 "}", v[i].count);
    }
    fputs("]}", f);
    free(v);
}
