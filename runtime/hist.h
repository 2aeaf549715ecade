/*
 * hist.h -- a mergeable latency histogram over microseconds (uint64).
 *
 * Log-linear buckets, in the manner of HdrHistogram: values below
 * 2*SW_HIST_SUB (128) have a bucket each (exact); above, every power-of-two
 * range [2^k, 2^(k+1)) is split into SW_HIST_SUB (64) equal sub-buckets, so
 * a bucket is never wider than 1/64 of its lower bound. A percentile is
 * reported as its bucket's midpoint clamped to the exact min/max, which is
 * within 1/128 (< 0.8%) of the true sample. The whole uint64 range is
 * covered (SW_HIST_BUCKETS buckets in all).
 *
 * Counters are kept in 64-counter chunks (one per power of two) allocated on
 * first use, so a histogram whose samples span a few decades holds a few KB.
 * Bucket indices are stable and identical in every process: merging adds
 * counts bucket by bucket, and the histogram of A and B merged is
 * bit-for-bit the histogram of the union of their samples. Shipping a
 * histogram elsewhere: iterate its non-empty (index, count) buckets, send
 * them with min and max, rebuild with sw_hist_add_bucket + sw_hist_set_minmax.
 *
 * Ownership: an sw_hist owns its chunks; sw_hist_free releases them (the
 * struct itself is the caller's, usually embedded). A zeroed struct is a
 * valid empty histogram, as is one after sw_hist_init.
 */
#ifndef SW_HIST_H
#define SW_HIST_H

#include <stddef.h>
#include <stdint.h>

#define SW_HIST_SUB_BITS 6
#define SW_HIST_SUB      (1 << SW_HIST_SUB_BITS)           /* 64 sub-buckets per power of two */
#define SW_HIST_CHUNKS   (64 - SW_HIST_SUB_BITS)           /* chunk 0: [0,128); chunk j: [2^(6+j), 2^(7+j)) */
#define SW_HIST_BUCKETS  ((SW_HIST_CHUNKS + 1) * SW_HIST_SUB)  /* 3776 indices */

typedef struct sw_hist {
    uint64_t count;                  /* samples recorded */
    uint64_t min, max;               /* exact extremes (0, 0 when empty) */
    uint64_t *chunk[SW_HIST_CHUNKS]; /* counters; chunk 0 has 128, others 64; NULL until used */
} sw_hist;

/* Iterator over the non-empty buckets, lowest first. Zero-initialize (or
 * sw_hist_iter_init) before the first sw_hist_next. */
typedef struct sw_hist_iter {
    int index;                       /* next bucket index to examine */
} sw_hist_iter;

void sw_hist_init(sw_hist *h);
void sw_hist_free(sw_hist *h);
/* Empty the histogram (keeps its chunks allocated, zeroed). */
void sw_hist_reset(sw_hist *h);

/* Add one sample. O(1). Returns 0, or -1 when a chunk could not be
 * allocated (the sample is then not recorded anywhere). */
int sw_hist_record(sw_hist *h, uint64_t us);
/* Add src's counts into dst exactly. Returns 0 or -1 (out of memory; dst is
 * then partly merged). */
int sw_hist_merge(sw_hist *dst, const sw_hist *src);
/* dst := a deep copy of src (dst must be initialized; its old contents are
 * released). Returns 0 or -1. */
int sw_hist_copy(sw_hist *dst, const sw_hist *src);

uint64_t sw_hist_count(const sw_hist *h);
uint64_t sw_hist_min(const sw_hist *h);
uint64_t sw_hist_max(const sw_hist *h);

/* Nearest-rank percentile, q in [0,1] (clamped): the value of the sample of
 * rank max(1, ceil(q*n)) in sorted order, i.e. the smallest v such that at
 * least that many samples are <= v. Reported as its bucket's midpoint
 * clamped to [min, max]; ranks 1 and n give min and max exactly (so q=0 is
 * min, q=1 is max). 0 when empty. */
uint64_t sw_hist_percentile(const sw_hist *h, double q);

/* The nearest rank used above, in 1..n (0 when n is 0). */
uint64_t sw_hist_rank(uint64_t n, double q);

/* Bucket geometry: the index a value falls into, and a bucket's inclusive
 * range. Index must be in [0, SW_HIST_BUCKETS). */
int sw_hist_index(uint64_t us);
uint64_t sw_hist_bucket_lo(int index);
uint64_t sw_hist_bucket_hi(int index);

void sw_hist_iter_init(sw_hist_iter *it);
/* Next non-empty bucket: stores its index and count, returns 1; 0 at end. */
int sw_hist_next(const sw_hist *h, sw_hist_iter *it, int *index, uint64_t *count);

/* Rebuilding from shipped buckets: add count samples to bucket index
 * (count and min/max are updated from the bucket's bounds), then
 * sw_hist_set_minmax with the shipped exact extremes. Returns 0, or -1 for
 * a bad index or out of memory. */
int sw_hist_add_bucket(sw_hist *h, int index, uint64_t count);
void sw_hist_set_minmax(sw_hist *h, uint64_t min, uint64_t max);

/* 1 when both hold the same count, min, max and bucket counts. */
int sw_hist_equal(const sw_hist *a, const sw_hist *b);

#endif /* SW_HIST_H */
