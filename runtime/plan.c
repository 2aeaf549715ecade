/*
 * plan.c -- task selection by tags and the load shape (issue 9; see
 * plan.h). Locust's --tags/--exclude-tags: with --tags, only tasks carrying
 * one of them run; --exclude-tags removes tasks carrying one of those. A
 * user whose class has no enabled task idles. The shape plays its stages
 * one after another with a timer, re-scaling the runner at each; a stage
 * with `arrival A` (issue 10) also ramps the open model's rate linearly
 * to A with a second timer, one step every SW_PLAN_RAMP_MS.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "rt.h"
#include "arrival.h"
#include "plan.h"
#include "runner.h"

typedef struct tag_list {
    char **t;                   /* owned tag strings */
    int n;
} tag_list;

static tag_list want, skip;     /* --tags, --exclude-tags */
static int have_want;           /* --tags was given */

static struct {
    struct event *ev;           /* end of the current stage */
    int stage;                  /* 1-based; 0 when not running */
    int prev_users;             /* the previous stage's target */
    struct event *ramp;         /* issue 10: the next step of an arrival ramp */
    int ramping;                /* the current stage ramps the arrival rate */
    double from, to;            /* ... from this rate to that one (iterations/s) */
    double t0, ms;              /* ... starting at t0 (sw_clock_ms) over ms */
    double rate0;               /* the open model's rate when the shape first started */
    int rate0_set;
} SH;

static void list_free(tag_list *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->t[i]);
    free(l->t);
    l->t = NULL;
    l->n = 0;
}

/* Split a comma list into l (empty items dropped). */
static void list_parse(tag_list *l, const char *s)
{
    while (s && *s) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        while (n && (*s == ' ')) {
            s++;
            n--;
        }
        while (n && s[n - 1] == ' ')
            n--;
        if (n) {
            char *t = malloc(n + 1);
            char **a = realloc(l->t, (size_t)(l->n + 1) * sizeof *a);
            if (!t || !a) {
                fputs("swarm: out of memory\n", stderr);
                abort();
            }
            memcpy(t, s, n);
            t[n] = '\0';
            l->t = a;
            l->t[l->n++] = t;
        }
        s = e ? e + 1 : NULL;
    }
}

static int has_any(const sw_task *t, const tag_list *l)
{
    for (int i = 0; i < t->ntags; i++)
        for (int k = 0; k < l->n; k++)
            if (strcmp(t->tags[i], l->t[k]) == 0)
                return 1;
    return 0;
}

int sw_plan_task_enabled(const sw_task *t)
{
    if (have_want && !has_any(t, &want))
        return 0;
    return !(skip.n && has_any(t, &skip));
}

int sw_plan_init(const char *tags, const char *exclude, const sw_script *s,
                 char *err, size_t cap)
{
    sw_plan_free();
    have_want = tags != NULL;
    list_parse(&want, tags);
    list_parse(&skip, exclude);
    if (!tags && !exclude)
        return 0;
    int any = 0, total = 0;
    for (int c = 0; s && c < s->nclasses; c++)
        for (int i = 0; i < s->classes[c].ntasks; i++) {
            total++;
            any |= sw_plan_task_enabled(&s->classes[c].tasks[i]);
        }
    if (!any && total) {
        snprintf(err, cap, "swarm: no task is left to run with %s%s%s%s%s; "
                 "check the tags in the script", tags ? "--tags " : "", tags ? tags : "",
                 tags && exclude ? " and " : "", exclude ? "--exclude-tags " : "",
                 exclude ? exclude : "");
        return -1;
    }
    return 0;
}

void sw_plan_free(void)
{
    list_free(&want);
    list_free(&skip);
    have_want = 0;
    if (SH.ev)
        event_free(SH.ev);
    if (SH.ramp)
        event_free(SH.ramp);
    memset(&SH, 0, sizeof SH);
}

/* ---------------------------------------------------------------- shape */

int sw_plan_has_shape(void)
{
    return sw_rt.script && sw_rt.script->nstages > 0;
}

int sw_plan_shape_stage(void) { return SH.stage; }
int sw_plan_shape_stages(void) { return sw_rt.script ? sw_rt.script->nstages : 0; }

int sw_plan_shape_arrival(const sw_script *s)
{
    for (int i = 0; s && i < s->nstages; i++)
        if (s->stages[i].arrival >= 0)
            return 1;
    return 0;
}

static void stage_cb(evutil_socket_t fd, short what, void *arg);

/* One step of the arrival ramp: the rate for the next SW_PLAN_RAMP_MS is
 * the ramp's value in the middle of that step (so the iterations started
 * over the stage are the ramp's integral), set through sw_arr_steer. */
static void ramp_step(void)
{
    double el = sw_clock_ms() - SH.t0;
    if (el >= SH.ms) {
        SH.ramping = 0;
        sw_arr_steer(SH.to);
        return;
    }
    double mid = el + SW_PLAN_RAMP_MS / 2.0, half = (el + SH.ms) / 2.0;
    if (mid > half)
        mid = half;                 /* the last, shorter step */
    sw_arr_steer(SH.from + (SH.to - SH.from) * mid / SH.ms);
    if (el + SW_PLAN_RAMP_MS < SH.ms)
        sw_timer_ms(SH.ramp, SW_PLAN_RAMP_MS);
}

static void ramp_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
    if (SH.ramping)
        ramp_step();
}

/* End the current stage's ramp at its target (the rate in force for the
 * next stage). */
static void ramp_end(void)
{
    if (SH.ramp)
        event_del(SH.ramp);
    if (SH.ramping)
        sw_arr_steer(SH.to);
    SH.ramping = 0;
}

/* Start stage SH.stage + 1, or stop the run after the last. */
static void next_stage(void)
{
    const sw_script *s = sw_rt.script;
    ramp_end();
    if (SH.stage >= s->nstages) {
        SH.stage = 0;
        sw_logf(SW_LOG_INFO, "The shape's last stage ended; stopping the test");
        sw_runner_stop();
        return;
    }
    const sw_stage *st = &s->stages[SH.stage++];
    double secs = st->ms / 1000.0;
    double rate = st->rate > 0 ? st->rate
                  : secs > 0 ? fabs((double)(st->users - SH.prev_users)) / secs : 0;
    if (!(rate > 0))
        rate = st->users > 0 ? (double)st->users : 1;   /* no change of count */
    SH.prev_users = st->users;
    char arr[96] = "";
    if (sw_arr_enabled() && st->arrival >= 0)
        snprintf(arr, sizeof arr, "; arrivals from %.2f to %.2f iterations/s",
                 sw_arr_rate(), st->arrival);
    else if (sw_arr_enabled())
        snprintf(arr, sizeof arr, "; arrivals kept at %.2f iterations/s", sw_arr_rate());
    sw_logf(SW_LOG_INFO, "Shape stage %d of %d: %d users at %.2f users/s for %.3g s%s",
            SH.stage, s->nstages, st->users, rate, secs, arr);
    sw_runner_start(st->users, rate);
    sw_timer_ms(SH.ev, st->ms);
    if (sw_arr_enabled() && st->arrival >= 0 && SH.ramp) {
        SH.ramping = 1;
        SH.from = sw_arr_rate();
        SH.to = st->arrival;
        SH.t0 = sw_clock_ms();
        SH.ms = st->ms;
        ramp_step();
    }
}

static void stage_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
    if (SH.stage > 0)
        next_stage();
}

void sw_plan_shape_start(void)
{
    if (!sw_plan_has_shape() || !sw_rt.base)
        return;
    if (!SH.ev)
        SH.ev = evtimer_new(sw_rt.base, stage_cb, NULL);
    if (!SH.ramp)
        SH.ramp = evtimer_new(sw_rt.base, ramp_cb, NULL);
    if (!SH.ev || !SH.ramp) {
        fputs("swarm: cannot create the shape's timer\n", stderr);
        abort();
    }
    event_del(SH.ev);
    event_del(SH.ramp);
    SH.ramping = 0;
    SH.stage = 0;
    SH.prev_users = 0;
    if (!SH.rate0_set) {            /* each run's shape ramps from the same rate */
        SH.rate0 = sw_arr_rate();
        SH.rate0_set = 1;
    } else if (sw_plan_shape_arrival(sw_rt.script)) {
        sw_arr_steer(SH.rate0);
    }
    next_stage();
}

void sw_plan_shape_stop(void)
{
    if (SH.ev)
        event_del(SH.ev);
    if (SH.ramp)
        event_del(SH.ramp);
    SH.ramping = 0;
    SH.stage = 0;
}
