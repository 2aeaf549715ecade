/*
 * arrival.c -- the open model's scheduler (see arrival.h): a timer at each
 * arrival slot, a stack of free users, a FIFO backlog of intended start
 * times (a ring of doubles).
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "arrival.h"
#include "builtins.h"
#include "user.h"

static struct {
    int on;                        /* the open model is chosen */
    double rate;                   /* iterations/s; 0 with on: no arrivals for now */
    int poisson;
    int running;                   /* the schedule is on */
    int rose;                      /* the rate rose from 0 before the run began:
                                      the first arrival is one gap after it */
    double peak;                   /* the highest rate of this run */
    struct event *timer;
    double next_ms;                /* intended start of the next arrival (sw_clock_ms) */
    struct sw_user **idle;         /* free users (borrowed), a stack */
    int nidle, cidle;
    double *ring;                  /* backlog: intended starts, oldest at head */
    size_t head, len, cap;
    sw_arr_stats st;
} A;

void sw_arr_configure(double rate, int poisson)
{
    A.rate = rate > 0 && isfinite(rate) ? rate : 0;
    A.on = A.rate > 0;
    A.poisson = poisson;
}

void sw_arr_enable(void)
{
    A.on = 1;
}

int sw_arr_enabled(void)
{
    return A.on;
}

double sw_arr_rate(void)
{
    return A.rate;
}

static size_t bound(void)
{
    double b = ceil(A.rate * SW_ARR_BACKLOG_S);
    return b < SW_ARR_BACKLOG_MIN ? SW_ARR_BACKLOG_MIN : b > 1e7 ? 10000000 : (size_t)b;
}

/* The gap to the next arrival, ms. */
static double gap_ms(void)
{
    if (!A.poisson)
        return 1000.0 / A.rate;
    double u = sw_rng_uniform();
    return -log(1.0 - u) * 1000.0 / A.rate;
}

void (*sw_arr_rate_hook)(double rate);

/* Switch to rate (>= 0) keeping the schedule's phase: the part of the
 * pending gap still to run is stretched by old/new, so a ramp of small
 * steps starts iterations as its continuous curve would (and, with poisson,
 * stays a Poisson process of the new intensity). From 0 the next arrival is
 * one gap away; at 0 the timer is off until the rate rises again. */
static void change_rate(double rate)
{
    double old = A.rate;
    A.rate = rate;
    if (sw_arr_rate_hook)
        sw_arr_rate_hook(rate);
    if (rate > A.peak)
        A.peak = rate;
    if (!A.running) {
        A.rose = !(old > 0) && rate > 0;
        return;
    }
    double now = sw_clock_ms();
    if (!(rate > 0)) {
        event_del(A.timer);
        return;
    }
    if (old > 0 && A.next_ms > now)
        A.next_ms = now + (A.next_ms - now) * old / rate;
    else if (!(old > 0))
        A.next_ms = now + gap_ms();
    sw_timer_ms(A.timer, A.next_ms > now ? A.next_ms - now : 0);
}

int sw_arr_set_rate(double rate)
{
    if (!(rate > 0) || !isfinite(rate))
        return -1;
    change_rate(rate);
    return 0;
}

int sw_arr_steer(double rate)
{
    if (!(rate >= 0) || !isfinite(rate) || !A.on)
        return -1;
    if (rate != A.rate)
        change_rate(rate);
    return 0;
}

static void push_backlog(double t)
{
    if (A.len >= bound()) {
        A.st.dropped++;
        return;
    }
    if (A.len == A.cap) {
        size_t nc = A.cap ? 2 * A.cap : 256;
        double *r = malloc(nc * sizeof *r);
        if (!r) {
            A.st.dropped++;
            return;
        }
        for (size_t i = 0; i < A.len; i++)
            r[i] = A.ring[(A.head + i) % A.cap];
        free(A.ring);
        A.ring = r;
        A.head = 0;
        A.cap = nc;
    }
    A.ring[(A.head + A.len) % A.cap] = t;
    A.len++;
    if (A.len > A.st.max_backlog)
        A.st.max_backlog = A.len;
}

/* Start the iteration intended at t on u (from_backlog: it waited for a
 * free user). */
static void run_on(struct sw_user *u, double t, int from_backlog)
{
    double late = sw_clock_ms() - t;
    if (sw_user_iterate(u, t) != 0) {
        push_backlog(t);            /* cannot happen: u was free */
        return;
    }
    A.st.started++;
    if (!from_backlog)
        return;
    A.st.waited++;
    if (late > A.st.max_wait_ms)
        A.st.max_wait_ms = late;
}

/* Runs only while the schedule is on (sw_arr_end deletes the timer) and
 * the rate is > 0 (change_rate deletes it at 0). */
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what; (void)arg;
    if (!A.running || !(A.rate > 0))
        return;                     /* cannot happen: the timer is off then */
    double now = sw_clock_ms();
    while (A.next_ms <= now) {
        double t = A.next_ms;
        A.next_ms += gap_ms();
        if (A.nidle > 0 && A.len == 0)
            run_on(A.idle[--A.nidle], t, 0);
        else
            push_backlog(t);
    }
    sw_timer_ms(A.timer, A.next_ms - now);
}

void sw_arr_begin(void)
{
    if (!A.on || A.running)
        return;
    if (!A.timer && !(A.timer = evtimer_new(sw_rt.base, on_tick, NULL)))
        return;
    A.running = 1;
    A.next_ms = sw_clock_ms() + (A.rose && A.rate > 0 ? gap_ms() : 0);
    A.rose = 0;
    A.peak = A.rate;
    if (A.rate > 0)
        sw_timer_ms(A.timer, 0);
}

void sw_arr_end(void)
{
    if (!A.running)
        return;
    A.running = 0;
    event_del(A.timer);
    A.st.not_started += A.len;
    A.len = 0;
    A.nidle = 0;
}

/* user.c's callback: u is free (free != 0) or no longer available. */
static void on_user(struct sw_user *u, int free_now, void *arg)
{
    (void)arg;
    for (int i = 0; i < A.nidle; i++)
        if (A.idle[i] == u) {
            A.idle[i] = A.idle[--A.nidle];
            break;
        }
    if (!free_now || !A.running)
        return;
    if (A.len > 0) {
        double t = A.ring[A.head];
        A.head = (A.head + 1) % A.cap;
        A.len--;
        run_on(u, t, 1);
        return;
    }
    if (A.nidle == A.cidle) {
        int nc = A.cidle ? 2 * A.cidle : 64;
        struct sw_user **v = realloc(A.idle, (size_t)nc * sizeof *v);
        if (!v)
            return;                 /* the user idles until stopped */
        A.idle = v;
        A.cidle = nc;
    }
    A.idle[A.nidle++] = u;
}

void sw_arr_adopt(struct sw_user *u)
{
    if (A.on)
        sw_user_set_open(u, on_user, NULL);
}

void sw_arr_reset(void)
{
    memset(&A.st, 0, sizeof A.st);  /* rate and poisson are filled in by sw_arr_get */
}

void sw_arr_free(void)
{
    if (A.timer)
        event_free(A.timer);
    free(A.idle);
    free(A.ring);
    memset(&A, 0, sizeof A);
}

void sw_arr_get(sw_arr_stats *out)
{
    *out = A.st;
    out->rate = A.rate;
    out->peak_rate = A.peak > A.rate ? A.peak : A.rate;
    out->poisson = A.poisson;
    out->backlog = A.len;
    out->bound = bound();
}

void sw_arr_merge(const sw_arr_stats *d)
{
    A.st.started += d->started;
    A.st.waited += d->waited;
    A.st.dropped += d->dropped;
    A.st.not_started += d->not_started;
    if (d->max_wait_ms > A.st.max_wait_ms)
        A.st.max_wait_ms = d->max_wait_ms;
    if (d->max_backlog > A.st.max_backlog)
        A.st.max_backlog = d->max_backlog;
}

void sw_arr_report(FILE *f)
{
    if (!A.on)
        return;
    sw_arr_stats s;
    sw_arr_get(&s);
    char peak[48] = "";
    if (s.peak_rate > s.rate)
        snprintf(peak, sizeof peak, " now, %.2f/s at most", s.peak_rate);
    fprintf(f, "Open model: %" PRIu64 " iterations started at %.2f/s%s (%s); %" PRIu64
               " waited for a free user (longest %.0f ms, backlog up to %zu of %zu); %" PRIu64
               " dropped (backlog full); %" PRIu64 " not started at stop\n\n",
            s.started, s.rate, peak, s.poisson ? "poisson" : "constant", s.waited, s.max_wait_ms,
            s.max_backlog, s.bound, s.dropped, s.not_started);
}

void sw_arr_json(FILE *f)
{
    if (!A.on) {
        fputs("\"arrival\":null", f);
        return;
    }
    sw_arr_stats s;
    sw_arr_get(&s);
    fprintf(f, "\"arrival\":{\"rate\":%.15g,\"peak_rate\":%.15g,\"poisson\":%s,\"started\":%" PRIu64
               ",\"waited\":%" PRIu64 ",\"max_wait_ms\":%.3f,\"dropped\":%" PRIu64
               ",\"not_started\":%" PRIu64 ",\"backlog\":%zu,\"max_backlog\":%zu,"
               "\"backlog_bound\":%zu}",
            s.rate, s.peak_rate, s.poisson ? "true" : "false", s.started, s.waited, s.max_wait_ms, s.dropped,
            s.not_started, s.backlog, s.max_backlog, s.bound);
}
