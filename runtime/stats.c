/*
 * stats.c -- request statistics (see stats.h).
 *
 * An sw_stats holds three chained hash tables (entries by (method, name),
 * failures by (method, name, message), exceptions by (where, message)) and
 * the Aggregated entry. Every sw_stats made by sw_stats_new also carries a
 * "pending" sw_stats that records the same things; sw_stats_delta hands it
 * out and starts a fresh one. Merging is exact: sums add, min/max combine,
 * histograms add bucket by bucket, per-second counters add by second.
 */
#include "stats.h"
#include "hist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OTHER_ERRORS "(other errors)"

/* A hash table node; the first member of every stored record. */
typedef struct node {
    struct node *next;             /* chain */
    uint32_t hash;
} node;

typedef struct table {
    node **b;                      /* buckets, cap a power of two */
    size_t cap, n;
} table;

struct sw_stats_entry {
    node h;                        /* must be first */
    char *method, *name;
    int overflow;                  /* the "(other names)" entry of a method */
    uint64_t num_requests, num_failures, total_us, min_us, max_us, total_bytes;
    double start_s, last_s;        /* first / last request, 0 = none */
    sw_hist hist;
    sw_stats_sec ring[SW_STATS_RING]; /* slot sec % RING; empty when counts 0 */
};

typedef struct err_rec {           /* a failure or an exception */
    node h;                        /* must be first */
    char *a, *b;                   /* failure: method, name; exception: where, NULL */
    char *msg;
    uint64_t count;
} err_rec;

struct sw_stats {
    table entries;                 /* sw_stats_entry */
    size_t regular;                /* entries excluding overflow ones */
    sw_stats_entry total;          /* the Aggregated entry (not in the table) */
    table failures;                /* err_rec with a, b */
    table exceptions;              /* err_rec with a only */
    sw_stats *pending;             /* records since the last delta, or NULL */
};

static int warned_cap;             /* the entry-cap warning was printed */

/* ---- small helpers ------------------------------------------------- */

static uint32_t hash_add(uint32_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
        h = (h ^ *p) * 16777619u;
    return (h ^ 0xffu) * 16777619u;   /* separator, so ("ab","c") != ("a","bc") */
}

static uint32_t hash3(const char *a, const char *b, const char *c)
{
    return hash_add(hash_add(hash_add(2166136261u, a), b), c);
}

static int streq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static char *dup(const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Unix second of t, or INT64_MIN when t is not a sane time. */
static int64_t sec_of(double t)
{
    if (!(t > -1e15 && t < 1e15))
        return INT64_MIN;
    return (int64_t)floor(t);
}

/* ---- hash tables ----------------------------------------------------- */

static node *table_first(const table *t, uint32_t hash)
{
    return t->cap ? t->b[hash & (t->cap - 1)] : NULL;
}

/* Adds n (hash already set). Returns 0 or -1 when out of memory. */
static int table_add(table *t, node *n)
{
    if ((t->n + 1) * 4 > t->cap * 3) {   /* keep the load at most 3/4 */
        size_t cap = t->cap ? t->cap * 2 : 16;
        node **b = calloc(cap, sizeof *b);
        if (!b)
            return -1;
        for (size_t i = 0; i < t->cap; i++)
            for (node *x = t->b[i], *nx; x; x = nx) {
                nx = x->next;
                x->next = b[x->hash & (cap - 1)];
                b[x->hash & (cap - 1)] = x;
            }
        free(t->b);
        t->b = b;
        t->cap = cap;
    }
    n->next = t->b[n->hash & (t->cap - 1)];
    t->b[n->hash & (t->cap - 1)] = n;
    t->n++;
    return 0;
}

static void entry_free(sw_stats_entry *e)
{
    sw_hist_free(&e->hist);
    free(e->method);
    free(e->name);
    free(e);
}

static void err_free(err_rec *r)
{
    free(r->a);
    free(r->b);
    free(r->msg);
    free(r);
}

static void table_clear(table *t, int entries)
{
    for (size_t i = 0; i < t->cap; i++)
        for (node *x = t->b[i], *nx; x; x = nx) {
            nx = x->next;
            if (entries)
                entry_free((sw_stats_entry *)x);
            else
                err_free((err_rec *)x);
        }
    free(t->b);
    memset(t, 0, sizeof *t);
}

/* Loops x over every node of t (in table order). */
#define TABLE_EACH(t, x) \
    for (size_t i_ = 0; i_ < (t)->cap; i_++) \
        for (node *x = (t)->b[i_]; x; x = x->next)

/* ---- entries ----------------------------------------------------------- */

static void entry_reset(sw_stats_entry *e)
{
    sw_hist_free(&e->hist);
    e->num_requests = e->num_failures = e->total_us = 0;
    e->min_us = e->max_us = e->total_bytes = 0;
    e->start_s = e->last_s = 0;
    memset(e->ring, 0, sizeof e->ring);
}

static void ring_add(sw_stats_entry *e, int64_t sec, uint64_t reqs, uint64_t fails)
{
    if (sec == INT64_MIN || (reqs == 0 && fails == 0))
        return;
    sw_stats_sec *slot = &e->ring[((sec % SW_STATS_RING) + SW_STATS_RING) % SW_STATS_RING];
    int empty = slot->reqs == 0 && slot->fails == 0;
    if (!empty && slot->sec == sec) {
        slot->reqs += reqs;
        slot->fails += fails;
    } else if (empty || slot->sec < sec) {   /* a newer second replaces an old one */
        slot->sec = sec;
        slot->reqs = reqs;
        slot->fails = fails;
    }                                        /* else older than the ring: dropped */
}

static void entry_record(sw_stats_entry *e, uint64_t us, uint64_t bytes, int failed, double now_s)
{
    if (e->num_requests == 0 || us < e->min_us)
        e->min_us = us;
    if (e->num_requests == 0 || us > e->max_us)
        e->max_us = us;
    e->num_requests++;
    e->num_failures += failed != 0;
    e->total_us += us;
    e->total_bytes += bytes;
    if (sec_of(now_s) != INT64_MIN) {
        if (e->start_s == 0 || now_s < e->start_s)
            e->start_s = now_s;
        if (now_s > e->last_s)
            e->last_s = now_s;
    }
    sw_hist_record(&e->hist, us);
    ring_add(e, sec_of(now_s), 1, failed != 0);
}

/* Adds src's numbers into dst (not the names). Returns 0 or -1. */
static int entry_merge(sw_stats_entry *dst, const sw_stats_entry *src)
{
    if (src->num_requests) {
        if (dst->num_requests == 0 || src->min_us < dst->min_us)
            dst->min_us = src->min_us;
        if (dst->num_requests == 0 || src->max_us > dst->max_us)
            dst->max_us = src->max_us;
    }
    dst->num_requests += src->num_requests;
    dst->num_failures += src->num_failures;
    dst->total_us += src->total_us;
    dst->total_bytes += src->total_bytes;
    if (src->start_s != 0 && (dst->start_s == 0 || src->start_s < dst->start_s))
        dst->start_s = src->start_s;
    if (src->last_s > dst->last_s)
        dst->last_s = src->last_s;
    for (int i = 0; i < SW_STATS_RING; i++)
        ring_add(dst, src->ring[i].sec, src->ring[i].reqs, src->ring[i].fails);
    return sw_hist_merge(&dst->hist, &src->hist);
}

static sw_stats_entry *entry_lookup(const sw_stats *s, const char *method, const char *name)
{
    uint32_t h = hash3(method, name, NULL);
    for (node *x = table_first(&s->entries, h); x; x = x->next) {
        sw_stats_entry *e = (sw_stats_entry *)x;
        if (x->hash == h && streq(e->method, method) && streq(e->name, name))
            return e;
    }
    return NULL;
}

static sw_stats_entry *entry_create(sw_stats *s, const char *method, const char *name, int overflow)
{
    sw_stats_entry *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->method = dup(method);
    e->name = dup(name);
    e->overflow = overflow;
    e->h.hash = hash3(method, name, NULL);
    if (!e->method || !e->name || table_add(&s->entries, &e->h) < 0) {
        entry_free(e);
        return NULL;
    }
    if (!overflow)
        s->regular++;
    return e;
}

static void warn_stderr(const char *msg) { fprintf(stderr, "%s\n", msg); }
void (*sw_stats_warn)(const char *msg) = warn_stderr;

/* The entry requests for (method, name) go to: the existing one, a new one,
 * or beyond the cap the method's overflow entry. NULL when out of memory. */
static sw_stats_entry *entry_get(sw_stats *s, const char *method, const char *name, int warn)
{
    sw_stats_entry *e = entry_lookup(s, method, name);
    if (e)
        return e;
    int overflow = streq(name, SW_STATS_OTHER_NAMES);
    if (!overflow && s->regular >= SW_STATS_MAX_ENTRIES) {
        if (warn && !warned_cap) {
            warned_cap = 1;
            char msg[160];
            snprintf(msg, sizeof msg, "stats: more than %d distinct request names; further "
                     "names are counted under '%s'", SW_STATS_MAX_ENTRIES, SW_STATS_OTHER_NAMES);
            (sw_stats_warn ? sw_stats_warn : warn_stderr)(msg);
        }
        name = SW_STATS_OTHER_NAMES;
        overflow = 1;
        if ((e = entry_lookup(s, method, name)))
            return e;
    }
    return entry_create(s, method, name, overflow);
}

/* ---- failures and exceptions -------------------------------------------- */

/* msg, or its capped form written into buf (see SW_STATS_MSG_MAX). */
static const char *cap_msg(const char *msg, char buf[SW_STATS_MSG_MAX])
{
    size_t n = strnlen(msg, SW_STATS_MSG_MAX);
    if (n < SW_STATS_MSG_MAX)
        return msg;
    size_t keep = SW_STATS_MSG_MAX - sizeof SW_STATS_MSG_CUT;
    while (keep > 0 && ((unsigned char)msg[keep] & 0xC0) == 0x80)
        keep--;                         /* not inside a UTF-8 sequence */
    memcpy(buf, msg, keep);
    memcpy(buf + keep, SW_STATS_MSG_CUT, sizeof SW_STATS_MSG_CUT);
    return buf;
}

/* Adds count to the record (a, b, msg) of t, or, beyond the cap, to
 * (a, b, "(other errors)"). b is NULL for exceptions. */
static int err_add(table *t, const char *a, const char *b, const char *msg, uint64_t count)
{
    for (int pass = 0; pass < 2; pass++) {
        uint32_t h = hash3(a, b ? b : "\x01", msg);
        for (node *x = table_first(t, h); x; x = x->next) {
            err_rec *r = (err_rec *)x;
            if (x->hash == h && streq(r->a, a) && (b ? r->b && streq(r->b, b) : !r->b)
                && streq(r->msg, msg)) {
                r->count += count;
                return 0;
            }
        }
        if (t->n >= SW_STATS_MAX_ERRORS && pass == 0 && !streq(msg, OTHER_ERRORS)) {
            msg = OTHER_ERRORS;
            continue;
        }
        err_rec *r = calloc(1, sizeof *r);
        if (!r)
            return -1;
        r->a = dup(a);
        r->b = b ? dup(b) : NULL;
        r->msg = dup(msg);
        r->count = count;
        r->h.hash = h;
        if (!r->a || (b && !r->b) || !r->msg || table_add(t, &r->h) < 0) {
            err_free(r);
            return -1;
        }
        return 0;
    }
    return 0;
}

/* ---- lifecycle ----------------------------------------------------------- */

static sw_stats *stats_alloc(void)
{
    sw_stats *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->total.method = dup("");
    s->total.name = dup("Aggregated");
    if (!s->total.method || !s->total.name) {
        free(s->total.method);
        free(s->total.name);
        free(s);
        return NULL;
    }
    return s;
}

sw_stats *sw_stats_new(void)
{
    sw_stats *s = stats_alloc();
    if (s && !(s->pending = stats_alloc())) {
        sw_stats_free(s);
        return NULL;
    }
    return s;
}

void sw_stats_free(sw_stats *s)
{
    if (!s)
        return;
    sw_stats_free(s->pending);
    table_clear(&s->entries, 1);
    table_clear(&s->failures, 0);
    table_clear(&s->exceptions, 0);
    sw_hist_free(&s->total.hist);
    free(s->total.method);
    free(s->total.name);
    free(s);
}

/* Empties s itself (not its pending). */
static void stats_clear(sw_stats *s)
{
    table_clear(&s->entries, 1);
    table_clear(&s->failures, 0);
    table_clear(&s->exceptions, 0);
    s->regular = 0;
    entry_reset(&s->total);
}

void sw_stats_reset(sw_stats *s)
{
    if (!s)
        return;
    stats_clear(s);
    if (s->pending)
        stats_clear(s->pending);
}

/* ---- recording ----------------------------------------------------------- */

static void record_one(sw_stats *s, const char *method, const char *name, uint64_t us,
                       uint64_t bytes, const char *fail_msg, double now_s, int warn)
{
    sw_stats_entry *e = entry_get(s, method, name, warn);
    if (e)
        entry_record(e, us, bytes, fail_msg != NULL, now_s);
    entry_record(&s->total, us, bytes, fail_msg != NULL, now_s);
    if (fail_msg) {
        char cut[SW_STATS_MSG_MAX];
        err_add(&s->failures, method, e ? e->name : name, cap_msg(fail_msg, cut), 1);
    }
}

void sw_stats_request(sw_stats *s, const char *method, const char *name,
                      uint64_t us, uint64_t bytes, const char *fail_msg,
                      double now_s)
{
    if (!s)
        return;
    if (!method)
        method = "";
    if (!name)
        name = "";
    record_one(s, method, name, us, bytes, fail_msg, now_s, 1);
    if (s->pending)
        record_one(s->pending, method, name, us, bytes, fail_msg, now_s, 0);
}

void sw_stats_exception(sw_stats *s, const char *msg, const char *where)
{
    if (!s)
        return;
    char cut[SW_STATS_MSG_MAX];
    msg = cap_msg(msg ? msg : "", cut);
    err_add(&s->exceptions, where ? where : "", NULL, msg, 1);
    if (s->pending)
        err_add(&s->pending->exceptions, where ? where : "", NULL, msg, 1);
}

void sw_stats_mark_start(sw_stats *s, double now_s)
{
    if (!s || sec_of(now_s) == INT64_MIN)
        return;
    for (sw_stats *t = s; t; t = t->pending)
        if (t->total.start_s == 0 || now_s < t->total.start_s)
            t->total.start_s = now_s;
}

double sw_stats_start(const sw_stats *s)
{
    return s ? s->total.start_s : 0;
}

/* ---- delta, merge, clone ------------------------------------------------- */

/* Adds everything of src (not its pending) into dst alone. */
static int merge_into(sw_stats *dst, const sw_stats *src)
{
    int rc = 0;
    TABLE_EACH(&src->entries, x) {
        const sw_stats_entry *se = (const sw_stats_entry *)x;
        sw_stats_entry *de = entry_get(dst, se->method, se->name, 0);
        if (!de || entry_merge(de, se) < 0)
            rc = -1;
    }
    if (entry_merge(&dst->total, &src->total) < 0)
        rc = -1;
    TABLE_EACH(&src->failures, x) {
        const err_rec *r = (const err_rec *)x;
        if (err_add(&dst->failures, r->a, r->b, r->msg, r->count) < 0)
            rc = -1;
    }
    TABLE_EACH(&src->exceptions, x) {
        const err_rec *r = (const err_rec *)x;
        if (err_add(&dst->exceptions, r->a, NULL, r->msg, r->count) < 0)
            rc = -1;
    }
    return rc;
}

void sw_stats_merge(sw_stats *dst, const sw_stats *src)
{
    if (!dst || !src || dst == src)
        return;
    merge_into(dst, src);
    if (dst->pending)
        merge_into(dst->pending, src);
}

sw_stats *sw_stats_delta(sw_stats *s)
{
    if (!s)
        return NULL;
    if (!s->pending)             /* a delta or clone of one: nothing tracked */
        return stats_alloc();
    sw_stats *fresh = stats_alloc();
    if (!fresh)
        return NULL;             /* the data stays pending for the next call */
    sw_stats *d = s->pending;
    s->pending = fresh;
    return d;
}

/* A deep copy of s alone (without pending). */
static sw_stats *clone_one(const sw_stats *s)
{
    sw_stats *c = stats_alloc();
    if (!c)
        return NULL;
    if (merge_into(c, s) < 0) {  /* into an empty one: an exact copy */
        sw_stats_free(c);
        return NULL;
    }
    return c;
}

sw_stats *sw_stats_clone(const sw_stats *s)
{
    if (!s)
        return NULL;
    sw_stats *c = clone_one(s);
    if (c && s->pending && !(c->pending = clone_one(s->pending))) {
        sw_stats_free(c);
        return NULL;
    }
    return c;
}

/* ---- totals ----------------------------------------------------------------- */

uint64_t sw_stats_total_requests(const sw_stats *s) { return s ? s->total.num_requests : 0; }
uint64_t sw_stats_total_failures(const sw_stats *s) { return s ? s->total.num_failures : 0; }

uint64_t sw_stats_total_exceptions(const sw_stats *s)
{
    uint64_t n = 0;
    if (s)
        TABLE_EACH(&s->exceptions, x)
            n += ((const err_rec *)x)->count;
    return n;
}

/* ---- read access ----------------------------------------------------------- */

const sw_stats_entry *sw_stats_aggregated(const sw_stats *s)
{
    return s ? &s->total : NULL;
}

const sw_stats_entry *sw_stats_find(const sw_stats *s, const char *method, const char *name)
{
    return s ? entry_lookup(s, method ? method : "", name ? name : "") : NULL;
}

static int cmp_entry(const void *a, const void *b)
{
    const sw_stats_entry *x = *(const sw_stats_entry *const *)a;
    const sw_stats_entry *y = *(const sw_stats_entry *const *)b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->method, y->method);
}

size_t sw_stats_entries(const sw_stats *s, const sw_stats_entry ***out)
{
    *out = NULL;
    if (!s || s->entries.n == 0)
        return 0;
    const sw_stats_entry **v = malloc(s->entries.n * sizeof *v);
    if (!v)
        return 0;
    size_t n = 0;
    TABLE_EACH(&s->entries, x)
        v[n++] = (const sw_stats_entry *)x;
    qsort(v, n, sizeof *v, cmp_entry);
    *out = v;
    return n;
}

void sw_stats_entry_info(const sw_stats_entry *e, sw_stats_info *out)
{
    memset(out, 0, sizeof *out);
    if (!e)
        return;
    out->method = e->method;
    out->name = e->name;
    out->num_requests = e->num_requests;
    out->num_failures = e->num_failures;
    out->total_us = e->total_us;
    out->min_us = e->min_us;
    out->max_us = e->max_us;
    out->total_bytes = e->total_bytes;
    out->start_s = e->start_s;
    out->last_s = e->last_s;
    out->hist = &e->hist;
}

static int cmp_sec(const void *a, const void *b)
{
    int64_t x = ((const sw_stats_sec *)a)->sec, y = ((const sw_stats_sec *)b)->sec;
    return x < y ? -1 : x > y;
}

size_t sw_stats_entry_seconds(const sw_stats_entry *e, sw_stats_sec out[SW_STATS_RING])
{
    size_t n = 0;
    for (int i = 0; e && i < SW_STATS_RING; i++)
        if (e->ring[i].reqs || e->ring[i].fails)
            out[n++] = e->ring[i];
    qsort(out, n, sizeof *out, cmp_sec);
    return n;
}

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_failure(const void *a, const void *b)
{
    const sw_stats_error *x = a, *y = b;
    int c = cmp_str(x->name, y->name);
    if (!c) c = cmp_str(x->method, y->method);
    return c ? c : cmp_str(x->message, y->message);
}

static int cmp_exception(const void *a, const void *b)
{
    const sw_stats_error *x = a, *y = b;
    int c = cmp_str(x->where, y->where);
    return c ? c : cmp_str(x->message, y->message);
}

static size_t errors_list(const table *t, int failures, sw_stats_error **out)
{
    *out = NULL;
    if (t->n == 0)
        return 0;
    sw_stats_error *v = calloc(t->n, sizeof *v);
    if (!v)
        return 0;
    size_t n = 0;
    TABLE_EACH(t, x) {
        const err_rec *r = (const err_rec *)x;
        if (failures) {
            v[n].method = r->a;
            v[n].name = r->b;
        } else {
            v[n].where = r->a;
        }
        v[n].message = r->msg;
        v[n++].count = r->count;
    }
    qsort(v, n, sizeof *v, failures ? cmp_failure : cmp_exception);
    *out = v;
    return n;
}

size_t sw_stats_failures(const sw_stats *s, sw_stats_error **out)
{
    *out = NULL;
    return s ? errors_list(&s->failures, 1, out) : 0;
}

size_t sw_stats_exceptions(const sw_stats *s, sw_stats_error **out)
{
    *out = NULL;
    return s ? errors_list(&s->exceptions, 0, out) : 0;
}

/* ---- derived numbers --------------------------------------------------------- */

const double sw_stats_pcts[SW_STATS_NPCT] = {
    0.50, 0.66, 0.75, 0.80, 0.90, 0.95, 0.98, 0.99, 0.999, 0.9999, 1.0 };
const char *const sw_stats_pct_names[SW_STATS_NPCT] = {
    "50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%" };
const char *const sw_stats_pct_keys[SW_STATS_NPCT] = {
    "p50", "p66", "p75", "p80", "p90", "p95", "p98", "p99", "p999", "p9999", "p100" };

uint64_t sw_stats_ms(uint64_t us) { return sw_time_round_ms(us, SW_TIME_NEAR); }
uint64_t sw_stats_floor_ms(uint64_t us) { return sw_time_round_ms(us, SW_TIME_DOWN); }
uint64_t sw_stats_ceil_ms(uint64_t us) { return sw_time_round_ms(us, SW_TIME_UP); }

int sw_stats_pct_dir(double q) { return q <= 0 ? SW_TIME_DOWN : q >= 1 ? SW_TIME_UP : SW_TIME_NEAR; }

uint64_t sw_stats_round_ms(uint64_t us, int dir) { return sw_time_round_ms(us, dir); }

double sw_stats_avg_ms(const sw_stats_entry *e)
{ return e && e->num_requests ? (double)e->total_us / (double)e->num_requests / 1000.0 : 0; }

uint64_t sw_stats_min_ms(const sw_stats_entry *e) { return e ? sw_stats_floor_ms(e->min_us) : 0; }
uint64_t sw_stats_max_ms(const sw_stats_entry *e) { return e ? sw_stats_ceil_ms(e->max_us) : 0; }

uint64_t sw_stats_min_us(const sw_stats_entry *e) { return e ? e->min_us : 0; }
uint64_t sw_stats_max_us(const sw_stats_entry *e) { return e ? e->max_us : 0; }

uint64_t sw_stats_hist_percentile_us(const sw_hist *h, double q)
{
    if (!h || sw_hist_count(h) == 0)
        return 0;
    return q <= 0 ? sw_hist_min(h) : q >= 1 ? sw_hist_max(h) : sw_hist_percentile(h, q);
}

uint64_t sw_stats_percentile_us(const sw_stats_entry *e, double q)
{
    if (!e || e->num_requests == 0)
        return 0;
    return q <= 0 ? e->min_us : q >= 1 ? e->max_us : sw_stats_hist_percentile_us(&e->hist, q);
}

/* The ends map to floor(min) and ceil(max), as the min and max columns; a
 * middle percentile lies in [min_us, max_us] (hist.h), so its rounding lies
 * in [floor(min_us), ceil(max_us)] and the column stays monotonic. The same
 * holds for the two-decimal text: each rounding is monotonic in us. */
uint64_t sw_stats_hist_percentile_ms(const sw_hist *h, double q)
{
    return sw_stats_round_ms(sw_stats_hist_percentile_us(h, q), sw_stats_pct_dir(q));
}

uint64_t sw_stats_percentile_ms(const sw_stats_entry *e, double q)
{
    return sw_stats_round_ms(sw_stats_percentile_us(e, q), sw_stats_pct_dir(q));
}

uint64_t sw_stats_median_ms(const sw_stats_entry *e) { return sw_stats_percentile_ms(e, 0.5); }

double sw_stats_avg_bytes(const sw_stats_entry *e)
{ return e && e->num_requests ? (double)e->total_bytes / (double)e->num_requests : 0; }

double sw_stats_fail_ratio(const sw_stats_entry *e)
{
    if (!e)
        return 0;
    if (e->num_requests == 0)
        return e->num_failures ? 1.0 : 0.0;
    return (double)e->num_failures / (double)e->num_requests;
}

/* Average of e's per-second counts (failures when fails) over the window. */
static double current_rate(const sw_stats *s, const sw_stats_entry *e, double now_s, int fails)
{
    int64_t t = sec_of(now_s), start = sec_of(s ? s->total.start_s : 0);
    if (!s || !e || t == INT64_MIN || s->total.start_s == 0)
        return 0;
    int64_t lo = t - SW_STATS_RPS_WINDOW;
    if (start > lo)
        lo = start;
    int64_t span = t - lo;       /* seconds lo .. t-1 */
    if (span < 1)
        span = 1;
    uint64_t sum = 0;
    for (int i = 0; i < SW_STATS_RING; i++) {
        const sw_stats_sec *r = &e->ring[i];
        if ((r->reqs || r->fails) && r->sec >= lo && r->sec < t)
            sum += fails ? r->fails : r->reqs;
    }
    return (double)sum / (double)span;
}

double sw_stats_current_rps(const sw_stats *s, const sw_stats_entry *e, double now_s)
{ return current_rate(s, e, now_s, 0); }
double sw_stats_current_fail_per_sec(const sw_stats *s, const sw_stats_entry *e, double now_s)
{ return current_rate(s, e, now_s, 1); }

static double total_rate(const sw_stats *s, uint64_t count)
{
    if (!s || s->total.start_s == 0 || s->total.last_s == 0)
        return 0;
    double span = s->total.last_s - s->total.start_s;
    return span > 0 ? (double)count / span : 0;
}

double sw_stats_total_rps(const sw_stats *s, const sw_stats_entry *e)
{ return e ? total_rate(s, e->num_requests) : 0; }
double sw_stats_total_fail_per_sec(const sw_stats *s, const sw_stats_entry *e)
{ return e ? total_rate(s, e->num_failures) : 0; }

/* ---- loading shipped statistics ---------------------------------------------- */

int sw_stats_load_entry(sw_stats *s, const sw_stats_info *info,
                        const sw_stats_sec *secs, size_t nsecs, int aggregate)
{
    if (!s || !info || (nsecs && !secs))
        return -1;
    sw_stats_entry tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.num_requests = info->num_requests;
    tmp.num_failures = info->num_failures;
    tmp.total_us = info->total_us;
    tmp.min_us = info->min_us;
    tmp.max_us = info->max_us;
    tmp.total_bytes = info->total_bytes;
    tmp.start_s = sec_of(info->start_s) == INT64_MIN ? 0 : info->start_s;
    tmp.last_s = sec_of(info->last_s) == INT64_MIN ? 0 : info->last_s;
    if (info->hist)
        tmp.hist = *info->hist;     /* borrowed: entry_merge only reads it (no copy per entry) */
    int rc = 0;
    for (sw_stats *t = s; t; t = t->pending) {
        sw_stats_entry *e = aggregate ? &t->total
            : entry_get(t, info->method ? info->method : "", info->name ? info->name : "", 0);
        if (!e || entry_merge(e, &tmp) < 0) {
            rc = -1;
            continue;
        }
        for (size_t i = 0; i < nsecs; i++)
            ring_add(e, secs[i].sec, secs[i].reqs, secs[i].fails);
    }
    return rc;
}

int sw_stats_load_failure(sw_stats *s, const char *method, const char *name,
                          const char *message, uint64_t count)
{
    if (!s)
        return -1;
    int rc = 0;
    for (sw_stats *t = s; t; t = t->pending)
        if (err_add(&t->failures, method ? method : "", name ? name : "",
                    message ? message : "", count) < 0)
            rc = -1;
    return rc;
}

int sw_stats_load_exception(sw_stats *s, const char *where, const char *message,
                            uint64_t count)
{
    if (!s)
        return -1;
    int rc = 0;
    for (sw_stats *t = s; t; t = t->pending)
        if (err_add(&t->exceptions, where ? where : "", NULL, message ? message : "", count) < 0)
            rc = -1;
    return rc;
}
