/*
 * history.c -- one aggregated row per second while a test runs (see
 * history.h).
 *
 * Rows live in a ring of at most SW_HISTORY_MAX_ROWS, grown as needed. The
 * histograms of the last SW_HISTORY_WINDOW rows live in a second ring; the
 * newest one is also what the last row folds into when it falls in the same
 * wall-clock second as the previous row (so timestamps stay one per second,
 * and a stop a few milliseconds after a tick makes no row whose rate is
 * noise). Ticks are timed for whole seconds; a timer firing a little early
 * counts as the second it was armed for.
 */
#include "history.h"
#include "rt.h"
#include "file.h"
#include "hist.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#define MIN_ROW_S  0.2    /* a tick this soon after the start waits a second */
#define FOLD_S     0.2    /* a last row shorter than this joins the previous */

struct sw_history {
    struct event_base *base;         /* borrowed */
    sw_stats *stats;                 /* borrowed; we take its deltas */
    sw_history_users_fn users;       /* users running now, or NULL */
    struct event *timer;             /* the next whole second */
    int running;
    double last_t;                   /* when the previous row (or start) was taken */
    double next_sec;                 /* the whole second the timer is armed for */
    double row_from;                 /* when the newest row's interval began */
    uint64_t last_fails;             /* failures in the newest row's interval */
    sw_history_row *rows;            /* ring */
    size_t cap, head, n;             /* allocated, index of oldest, kept */
    sw_hist win[SW_HISTORY_WINDOW];  /* histograms of the newest rows (ring) */
    size_t win_head, win_n;          /* index of newest, how many used */
};

/* ---------------------------------------------------------------- rows */

static sw_history_row *row_newest(sw_history *h)
{
    return h->n ? &h->rows[(h->head + h->n - 1) % h->cap] : NULL;
}

/* A new row at the end of the ring (the oldest dropped when full). NULL when
 * out of memory. */
static sw_history_row *row_push(sw_history *h)
{
    if (h->n == h->cap && h->cap < SW_HISTORY_MAX_ROWS) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        if (cap > SW_HISTORY_MAX_ROWS)
            cap = SW_HISTORY_MAX_ROWS;
        sw_history_row *r = malloc(cap * sizeof *r);
        if (!r)
            return NULL;
        for (size_t i = 0; i < h->n; i++)      /* unroll the ring */
            r[i] = h->rows[(h->head + i) % h->cap];
        free(h->rows);
        h->rows = r;
        h->cap = cap;
        h->head = 0;
    }
    if (h->n == h->cap) {                       /* full at the cap: drop the oldest */
        h->head = (h->head + 1) % h->cap;
        h->n--;
    }
    sw_history_row *row = &h->rows[(h->head + h->n) % h->cap];
    h->n++;
    memset(row, 0, sizeof *row);
    return row;
}

/* The cumulative columns of row from the whole statistics. */
static void fill_totals(sw_history *h, sw_history_row *row)
{
    const sw_stats_entry *a = sw_stats_aggregated(h->stats);
    sw_stats_info in;
    sw_stats_entry_info(a, &in);
    row->total_requests = in.num_requests;
    row->total_failures = in.num_failures;
    row->total_median_us = sw_stats_percentile_us(a, 0.5);
    row->total_avg = sw_stats_avg_ms(a);
    row->total_min_us = sw_stats_min_us(a);
    row->total_max_us = sw_stats_max_us(a);
    row->total_avg_content_length = sw_stats_avg_bytes(a);
}

/* The interval columns of row from hist, count and failures over [from, to]. */
static void fill_interval(sw_history_row *row, const sw_hist *hist, uint64_t fails,
                          double from, double to)
{
    double span = to - from;
    if (!(span > 0.001))
        span = 0.001;
    row->requests = sw_hist_count(hist);
    row->rps = (double)row->requests / span;
    row->fail_per_sec = (double)fails / span;
    for (int i = 0; i < SW_HISTORY_NPCT; i++)
        row->pct_us[i] = row->requests ? sw_stats_hist_percentile_us(hist, sw_history_pcts[i]) : 0;
}

/* ---------------------------------------------------------------- ticks */

static void arm(sw_history *h, double now)
{
    double next = floor(now) + 1.0;
    double d = next - now;
    h->next_sec = next;
    if (d < 0.001)
        d = 0.001;
    sw_timer_ms(h->timer, d * 1000.0);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    sw_history *h = arg;
    (void)fd; (void)what;
    double now = sw_wall();
    if (now < h->next_sec)
        now = h->next_sec;      /* the timer may fire a little early */
    if (now - h->last_t >= MIN_ROW_S)
        sw_history_tick(h, now);
    if (h->running)
        arm(h, now);
}

/* Take a row now; fold != 0 adds the interval into the newest row instead. */
static void take_row(sw_history *h, double now, int fold)
{
    sw_stats *d = sw_stats_delta(h->stats);
    if (!d)
        return;                                 /* out of memory: next time */
    const sw_stats_entry *a = sw_stats_aggregated(d);
    sw_stats_info in;
    sw_stats_entry_info(a, &in);
    sw_history_row *row = fold ? row_newest(h) : NULL;
    fold = row != NULL;
    if (row) {
        sw_hist *w = &h->win[h->win_head];
        sw_hist_merge(w, in.hist);
        h->last_fails += in.num_failures;
        fill_interval(row, w, h->last_fails, h->row_from, now);
    } else if ((row = row_push(h)) != NULL) {
        h->win_head = (h->win_head + 1) % SW_HISTORY_WINDOW;
        if (h->win_n < SW_HISTORY_WINDOW)
            h->win_n++;
        sw_hist_copy(&h->win[h->win_head], in.hist);
        h->last_fails = in.num_failures;
        h->row_from = h->last_t;
        fill_interval(row, in.hist, in.num_failures, h->row_from, now);
    }
    if (row) {
        row->time = now;
        if (!fold)               /* a folded row keeps its second's user count */
            row->user_count = h->users ? h->users() : 0;
        fill_totals(h, row);
    }
    h->last_t = now;
    sw_stats_free(d);
}

void sw_history_tick(sw_history *h, double now_s)
{
    if (h)
        take_row(h, now_s, 0);
}

/* ---------------------------------------------------------------- control */

sw_history *sw_history_new(struct event_base *base, sw_stats *stats,
                           sw_history_users_fn users)
{
    sw_history *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->base = base;
    h->stats = stats;
    h->users = users;
    for (int i = 0; i < SW_HISTORY_WINDOW; i++)
        sw_hist_init(&h->win[i]);
    if (base && !(h->timer = evtimer_new(base, on_timer, h))) {
        free(h);
        return NULL;
    }
    return h;
}

void sw_history_free(sw_history *h)
{
    if (!h)
        return;
    if (h->timer)
        event_free(h->timer);
    for (int i = 0; i < SW_HISTORY_WINDOW; i++)
        sw_hist_free(&h->win[i]);
    free(h->rows);
    free(h);
}

void sw_history_start(sw_history *h)
{
    if (!h || h->running)
        return;
    double now = sw_wall();
    sw_stats_free(sw_stats_delta(h->stats));    /* rows cover from now on */
    h->last_t = now;
    h->running = 1;
    if (h->timer)
        arm(h, now);
}

void sw_history_stop(sw_history *h)
{
    if (!h || !h->running)
        return;
    double now = sw_wall();
    const sw_history_row *prev = row_newest(h);
    if (prev && now < prev->time)
        now = prev->time;
    /* a row in the same wall second as the previous one (or a few ms after
     * it) joins it, so rows stay one per second */
    take_row(h, now, prev && (floor(now) == floor(prev->time) || now - h->last_t < FOLD_S));
    h->running = 0;
    if (h->timer)
        event_del(h->timer);
}

void sw_history_reset(sw_history *h)
{
    if (!h)
        return;
    h->n = 0;
    h->head = 0;
    for (int i = 0; i < SW_HISTORY_WINDOW; i++)
        sw_hist_reset(&h->win[i]);
    h->win_n = 0;
    sw_stats_free(sw_stats_delta(h->stats));
    h->last_t = sw_wall();
}

int sw_history_running(const sw_history *h)
{
    return h && h->running;
}

size_t sw_history_count(const sw_history *h)
{
    return h ? h->n : 0;
}

const sw_history_row *sw_history_row_at(const sw_history *h, size_t i)
{
    if (!h || i >= h->n)
        return NULL;
    return &h->rows[(h->head + i) % h->cap];
}

uint64_t sw_history_current_percentile_us(const sw_history *h, double q)
{
    if (!h || !h->win_n)
        return 0;
    sw_hist m;
    sw_hist_init(&m);
    for (size_t k = 0; k < h->win_n; k++)
        sw_hist_merge(&m, &h->win[(h->win_head + SW_HISTORY_WINDOW - k) % SW_HISTORY_WINDOW]);
    uint64_t v = sw_stats_hist_percentile_us(&m, q);
    sw_hist_free(&m);
    return v;
}

/* ---------------------------------------------------------------- CSV */

void sw_history_csv(FILE *f, const sw_history *h)
{
    fputs("Timestamp,User Count,Type,Name,Requests/s,Failures/s", f);
    for (int i = 0; i < SW_HISTORY_NPCT; i++)
        fprintf(f, ",%s", sw_history_pct_csv[i]);
    fputs(",Total Request Count,Total Failure Count,Total Median Response Time,"
          "Total Average Response Time,Total Min Response Time,Total Max Response Time,"
          "Total Average Content Size\n", f);
    size_t n = sw_history_count(h);
    for (size_t i = 0; i < n; i++) {
        const sw_history_row *r = sw_history_row_at(h, i);
        fprintf(f, "%lld,%d,,Aggregated,%.2f,%.2f", (long long)floor(r->time),
                r->user_count, r->rps, r->fail_per_sec);
        for (int k = 0; k < SW_HISTORY_NPCT; k++)
            fprintf(f, ",%" PRIu64, sw_stats_round_ms(r->pct_us[k], sw_stats_pct_dir(sw_history_pcts[k])));
        fprintf(f, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.2f,%" PRIu64 ",%" PRIu64 ",%.2f\n",
                r->total_requests, r->total_failures, sw_stats_ms(r->total_median_us), r->total_avg,
                sw_stats_floor_ms(r->total_min_us), sw_stats_ceil_ms(r->total_max_us),
                r->total_avg_content_length);
    }
}

static void csv_body(FILE *f, const void *h) { sw_history_csv(f, h); }

int sw_history_write_csv(const sw_history *h, const char *prefix)
{
    return sw_file_write(prefix, "_stats_history.csv", csv_body, h);
}
