/*
 * test_timer.c -- exact timers: a timer armed with sw_timer_ms on the loop
 * of sw_event_base_new never fires before the time asked for has passed on
 * the runtime's own clock (sw_clock_ms, CLOCK_MONOTONIC), even when it is
 * armed from a callback that has already run for a while (libevent's cached
 * time is then stale). Waits, pacing and hatch steps all go through
 * sw_timer_ms. A control run with a default event base and evtimer_add
 * prints how often that fires early (information only: it depends on the
 * machine's clocks and load).
 */
#include <stdio.h>
#include <time.h>
#include <event2/event.h>

#include "check.h"
#include "rt.h"

#define ROUNDS 150

typedef struct run {
    struct event *ev;
    int n;                      /* fired so far */
    int precise;                /* sw_timer_ms, else plain evtimer_add */
    double armed, asked;        /* when armed (sw_clock_ms) and for how long */
    double min_slack, max_late; /* fired - armed - asked */
    int early;                  /* fired before armed + asked */
} run;

static const double delays[] = { 1.0, 2.5, 4.0, 7.3, 10.0, 0.3 };

/* Spins for ms on the monotonic clock (a callback doing work). */
static void spin(double ms)
{
    double t0 = sw_clock_ms();
    while (sw_clock_ms() - t0 < ms)
        ;
}

static void arm(run *r)
{
    spin((double)(r->n % 4));              /* 0..3 ms of work before arming */
    r->asked = delays[r->n % (int)(sizeof delays / sizeof delays[0])];
    r->armed = sw_clock_ms();
    if (r->precise) {
        sw_timer_ms(r->ev, r->asked);
    } else {
        struct timeval tv = { 0, (suseconds_t)(r->asked * 1000) };
        evtimer_add(r->ev, &tv);
    }
}

static void fired(evutil_socket_t fd, short what, void *arg)
{
    run *r = arg;
    (void)fd;
    (void)what;
    double slack = sw_clock_ms() - r->armed - r->asked;
    if (r->n == 0 || slack < r->min_slack)
        r->min_slack = slack;
    if (r->n == 0 || slack > r->max_late)
        r->max_late = slack;
    r->early += slack < 0;
    if (++r->n < ROUNDS)
        arm(r);
}

static void tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
}

/* Runs ROUNDS timers, with a 0.7 ms ticker beside them: as in a busy run,
 * other events make the loop go round (and refresh its time) between the
 * arming of a timer and its firing. */
static void measure(struct event_base *b, run *r)
{
    struct timeval tv = { 0, 700 };
    struct event *ticker = event_new(b, -1, EV_PERSIST, tick, NULL);
    event_add(ticker, &tv);
    r->ev = evtimer_new(b, fired, r);
    arm(r);
    while (r->n < ROUNDS)
        event_base_loop(b, EVLOOP_ONCE);
    event_free(r->ev);
    event_free(ticker);
}

int main(void)
{
    struct event_base *b = sw_event_base_new();
    CHECK(b != NULL, "sw_event_base_new");
    run p = { .precise = 1 };
    measure(b, &p);
    CHECK(p.n == ROUNDS, "%d timers fired", p.n);
    CHECK(p.early == 0 && p.min_slack >= 0,
          "no timer fired early: %d early, smallest slack %.3f ms, largest lateness %.3f ms",
          p.early, p.min_slack, p.max_late);
    event_base_free(b);

    struct event_base *d = event_base_new();
    run c = { .precise = 0 };
    measure(d, &c);
    printf("# control (default base, evtimer_add): %d of %d early, down to %.3f ms\n",
           c.early, c.n, c.min_slack);
    event_base_free(d);
    return CHECK_DONE();
}
