/*
 * hist.c -- the log-linear latency histogram (see hist.h for the layout).
 *
 * Index of a value v: v itself below 128; otherwise, with k = floor(log2 v)
 * and shift = k - 6, (shift * 64) + (v >> shift), which runs from 128 up.
 * Chunk c holds indices [base(c), base(c) + size(c)): chunk 0 is [0,128),
 * chunk c >= 1 is [(c+1)*64, (c+2)*64) and covers [2^(6+c), 2^(7+c)).
 */
#include "hist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EXACT_LIMIT ((uint64_t)2 * SW_HIST_SUB)   /* values below are exact */

static int chunk_size(int c) { return c == 0 ? 2 * SW_HIST_SUB : SW_HIST_SUB; }
static int chunk_base(int c) { return c == 0 ? 0 : (c + 1) * SW_HIST_SUB; }

/* floor(log2(v)) for v > 0. */
static int log2_floor(uint64_t v)
{
#if defined(__GNUC__) || defined(__clang__)
    return 63 - __builtin_clzll(v);
#else
    int k = 0;
    while (v >>= 1)
        k++;
    return k;
#endif
}

int sw_hist_index(uint64_t us)
{
    if (us < EXACT_LIMIT)
        return (int)us;
    int shift = log2_floor(us) - SW_HIST_SUB_BITS;
    return shift * SW_HIST_SUB + (int)(us >> shift);
}

/* Chunk and offset of a valid index. */
static void split_index(int index, int *c, int *off)
{
    if (index < (int)EXACT_LIMIT) {
        *c = 0;
        *off = index;
    } else {
        *c = index / SW_HIST_SUB - 1;
        *off = index % SW_HIST_SUB;
    }
}

uint64_t sw_hist_bucket_lo(int index)
{
    if (index >= SW_HIST_BUCKETS)    /* out of contract: clamp, never UB */
        index = SW_HIST_BUCKETS - 1;
    if (index < (int)EXACT_LIMIT)
        return (uint64_t)(index < 0 ? 0 : index);
    int c, off;
    split_index(index, &c, &off);
    return ((uint64_t)SW_HIST_SUB + (uint64_t)off) << c;
}

uint64_t sw_hist_bucket_hi(int index)
{
    if (index >= SW_HIST_BUCKETS)
        index = SW_HIST_BUCKETS - 1;
    if (index < (int)EXACT_LIMIT)
        return (uint64_t)(index < 0 ? 0 : index);
    int c, off;
    split_index(index, &c, &off);
    return sw_hist_bucket_lo(index) + (((uint64_t)1 << c) - 1);
}

/* The value a percentile in this bucket reports (before clamping). */
static uint64_t bucket_mid(int index)
{
    uint64_t lo = sw_hist_bucket_lo(index), hi = sw_hist_bucket_hi(index);
    return lo + (hi - lo + 1) / 2;
}

void sw_hist_init(sw_hist *h)
{
    memset(h, 0, sizeof *h);
}

void sw_hist_free(sw_hist *h)
{
    for (int c = 0; c < SW_HIST_CHUNKS; c++)
        free(h->chunk[c]);
    memset(h, 0, sizeof *h);
}

void sw_hist_reset(sw_hist *h)
{
    for (int c = 0; c < SW_HIST_CHUNKS; c++)
        if (h->chunk[c])
            memset(h->chunk[c], 0, (size_t)chunk_size(c) * sizeof(uint64_t));
    h->count = h->min = h->max = 0;
}

/* The counters of chunk c, allocated on first use; NULL when out of memory. */
static uint64_t *chunk_get(sw_hist *h, int c)
{
    if (!h->chunk[c])
        h->chunk[c] = calloc((size_t)chunk_size(c), sizeof(uint64_t));
    return h->chunk[c];
}

static void note_range(sw_hist *h, uint64_t lo, uint64_t hi)
{
    if (h->count == 0) {
        h->min = lo;
        h->max = hi;
    } else {
        if (lo < h->min) h->min = lo;
        if (hi > h->max) h->max = hi;
    }
}

int sw_hist_record(sw_hist *h, uint64_t us)
{
    int c, off;
    split_index(sw_hist_index(us), &c, &off);
    uint64_t *k = chunk_get(h, c);
    if (!k)
        return -1;
    k[off]++;
    note_range(h, us, us);
    h->count++;
    return 0;
}

int sw_hist_merge(sw_hist *dst, const sw_hist *src)
{
    if (src->count == 0)
        return 0;
    for (int c = 0; c < SW_HIST_CHUNKS; c++) {
        if (!src->chunk[c])
            continue;
        uint64_t *d = chunk_get(dst, c);
        if (!d)
            return -1;
        for (int i = 0; i < chunk_size(c); i++)
            d[i] += src->chunk[c][i];
    }
    note_range(dst, src->min, src->max);
    dst->count += src->count;
    return 0;
}

int sw_hist_copy(sw_hist *dst, const sw_hist *src)
{
    if (dst == src)
        return 0;
    sw_hist_free(dst);
    for (int c = 0; c < SW_HIST_CHUNKS; c++) {
        if (!src->chunk[c])
            continue;
        size_t n = (size_t)chunk_size(c) * sizeof(uint64_t);
        if (!(dst->chunk[c] = malloc(n))) {
            sw_hist_free(dst);
            return -1;
        }
        memcpy(dst->chunk[c], src->chunk[c], n);
    }
    dst->count = src->count;
    dst->min = src->min;
    dst->max = src->max;
    return 0;
}

uint64_t sw_hist_count(const sw_hist *h) { return h->count; }
uint64_t sw_hist_min(const sw_hist *h) { return h->min; }
uint64_t sw_hist_max(const sw_hist *h) { return h->max; }

uint64_t sw_hist_rank(uint64_t n, double q)
{
    if (n == 0)
        return 0;
    if (!(q > 0))                /* also NaN */
        return 1;
    if (q >= 1)
        return n;
    /* ceil(q*n), forgiving floating-point noise such as 0.07*100 =
     * 7.000000000000001 */
    double x = q * (double)n;
    double r = ceil(x - x * 1e-12);
    if (r < 1)
        return 1;
    if (r >= (double)n)
        return n;
    return (uint64_t)r;
}

uint64_t sw_hist_percentile(const sw_hist *h, double q)
{
    uint64_t rank = sw_hist_rank(h->count, q), cum = 0;
    if (rank == 0)
        return 0;
    if (rank == 1)               /* the extremes are known exactly */
        return h->min;
    if (rank == h->count)
        return h->max;
    for (int c = 0; c < SW_HIST_CHUNKS; c++) {
        const uint64_t *k = h->chunk[c];
        if (!k)
            continue;
        for (int i = 0; i < chunk_size(c); i++) {
            cum += k[i];
            if (cum >= rank) {
                uint64_t v = bucket_mid(chunk_base(c) + i);
                if (v < h->min) v = h->min;
                if (v > h->max) v = h->max;
                return v;
            }
        }
    }
    return h->max;               /* counts inconsistent with h->count */
}

void sw_hist_iter_init(sw_hist_iter *it)
{
    it->index = 0;
}

int sw_hist_next(const sw_hist *h, sw_hist_iter *it, int *index, uint64_t *count)
{
    while (it->index >= 0 && it->index < SW_HIST_BUCKETS) {
        int c, off;
        split_index(it->index, &c, &off);
        if (!h->chunk[c]) {      /* skip the whole chunk */
            it->index = chunk_base(c) + chunk_size(c);
            continue;
        }
        int i = it->index++;
        if (h->chunk[c][off]) {
            *index = i;
            *count = h->chunk[c][off];
            return 1;
        }
    }
    return 0;
}

int sw_hist_add_bucket(sw_hist *h, int index, uint64_t count)
{
    if (index < 0 || index >= SW_HIST_BUCKETS)
        return -1;
    if (count == 0)
        return 0;
    int c, off;
    split_index(index, &c, &off);
    uint64_t *k = chunk_get(h, c);
    if (!k)
        return -1;
    k[off] += count;
    note_range(h, sw_hist_bucket_lo(index), sw_hist_bucket_hi(index));
    h->count += count;
    return 0;
}

void sw_hist_set_minmax(sw_hist *h, uint64_t min, uint64_t max)
{
    if (h->count == 0 || min > max)
        return;
    h->min = min;
    h->max = max;
}

int sw_hist_equal(const sw_hist *a, const sw_hist *b)
{
    if (a->count != b->count || a->min != b->min || a->max != b->max)
        return 0;
    for (int c = 0; c < SW_HIST_CHUNKS; c++) {
        const uint64_t *x = a->chunk[c], *y = b->chunk[c];
        for (int i = 0; i < chunk_size(c); i++)
            if ((x ? x[i] : 0) != (y ? y[i] : 0))
                return 0;
    }
    return 1;
}
