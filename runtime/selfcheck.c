/*
 * selfcheck.c -- the event-loop lag probe and CPU sampling (see
 * selfcheck.h). Lags are kept per second in a ring of the last
 * SW_SELF_WINDOW_S seconds (100 probes each; sw_self_win_*, the decision)
 * and in a whole-run histogram.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <event2/event.h>

#include "hist.h"
#include "rt.h"
#include "selfcheck.h"

static struct {
    struct event *probe;
    double due_ms;                 /* when the probe should fire (sw_clock_ms) */
    sw_self_win win;               /* the last SW_SELF_WINDOW_S seconds */
    double last_cpu_s, last_wall_ms;
    sw_hist run;                   /* every lag of the run (us) */
    sw_self_stats st;
    int warned;
    int remote_n;                  /* a master: overloaded slaves */
    double remote_delay_ms, remote_lag_max_ms;  /* ... their worst figures */
} S;

static double cpu_seconds(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec
           + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void sw_self_win_reset(sw_self_win *w)
{
    memset(w, 0, sizeof *w);
}

void sw_self_win_lag(sw_self_win *w, double lag_ms)
{
    if (w->nlag[w->slot] < SW_SELF_PER_S)
        w->lag[w->slot][w->nlag[w->slot]++] = lag_ms;
}

/* The window's p99: the value with as many lags above it as a full window's
 * nearest-rank p99 has (5 of 500), whatever the window holds, so that a
 * window still filling (the first seconds of a run, after a reset) is not
 * more sensitive than a full one: 5 late probes never mark, 6 do. The
 * smallest lag when there are no more than that many; 0 without any. */
static double window_p99(const sw_self_win *w)
{
    enum { FULL = SW_SELF_WINDOW_S * (int)(1000 / SW_SELF_PROBE_MS) };
    const int above = FULL - (FULL * 99 + 99) / 100;     /* FULL - ceil(0.99 FULL) */
    double v[SW_SELF_WINDOW_S * SW_SELF_PER_S];
    int n = 0;
    for (int s = 0; s < SW_SELF_WINDOW_S; s++)
        for (int i = 0; i < w->nlag[s]; i++)
            v[n++] = w->lag[s][i];
    if (!n)
        return 0;
    qsort(v, (size_t)n, sizeof v[0], cmp_d);
    return v[n - 1 - above > 0 ? n - 1 - above : 0];
}

int sw_self_win_second(sw_self_win *w, double cpu_percent, double *lag_p99)
{
    double p99 = window_p99(w);
    w->cpu[w->slot] = cpu_percent;
    if (w->ncpu < SW_SELF_WINDOW_S)
        w->ncpu++;
    int verdict = p99 > SW_SELF_LAG_LIMIT_MS ? SW_SELF_LAG_HIGH : 0;
    int cpu_high = w->ncpu == SW_SELF_WINDOW_S;
    for (int s = 0; s < SW_SELF_WINDOW_S; s++)
        cpu_high &= w->cpu[s] > SW_SELF_CPU_LIMIT;
    if (cpu_high)
        verdict |= SW_SELF_CPU_HIGH;
    w->slot = (w->slot + 1) % SW_SELF_WINDOW_S;
    w->nlag[w->slot] = 0;
    if (lag_p99)
        *lag_p99 = p99;
    return verdict;
}

/* The largest lag in the window, 0 without any. */
static double window_max(const sw_self_win *w)
{
    double m = 0;
    for (int s = 0; s < SW_SELF_WINDOW_S; s++)
        for (int i = 0; i < w->nlag[s]; i++)
            if (w->lag[s][i] > m)
                m = w->lag[s][i];
    return m;
}

/* Once a second: CPU use, the window's verdict. A master times no request
 * (its slaves do), so its own loop's lag and CPU are shown but never mark
 * its run; only its slaves' marks do (sw_self_set_remote). */
static void second_tick(double now_ms)
{
    double cpu = cpu_seconds(), dt = now_ms - S.last_wall_ms;
    double pct = dt > 0 ? (cpu - S.last_cpu_s) * 100000.0 / dt : 0;
    S.last_cpu_s = cpu;
    S.last_wall_ms = now_ms;
    S.st.cpu_percent = pct;
    if (pct > S.st.cpu_max_percent)
        S.st.cpu_max_percent = pct;
    double worst = window_max(&S.win);     /* before the next second empties a slot */
    int verdict = sw_self_win_second(&S.win, pct, &S.st.lag_p99_ms);
    if (verdict && sw_rt.opts.role != SW_MASTER) {
        if (!S.st.overloaded) {
            S.st.own_delay_ms = worst;      /* the lags that marked it are in the results too */
            S.st.marked_by = verdict;
        }
        S.st.overloaded = 1;
        if (!S.warned) {
            S.warned = 1;
            sw_logf(SW_LOG_WARNING, "Swarm itself is a bottleneck: event-loop lag p99 %.1f ms, "
                    "CPU %.0f%% over the last %d s (limits %.0f ms, %.0f%%); response times "
                    "include Swarm's own delay: use fewer users per process or more processes",
                    S.st.lag_p99_ms, pct, SW_SELF_WINDOW_S, SW_SELF_LAG_LIMIT_MS,
                    SW_SELF_CPU_LIMIT);
        }
    }
}

static void on_probe(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what; (void)arg;
    double now = sw_clock_ms(), lag = now - S.due_ms;
    if (lag < 0)
        lag = 0;
    sw_self_win_lag(&S.win, lag);
    sw_hist_record(&S.run, (uint64_t)(lag * 1000.0 + 0.5));
    if (lag > S.st.lag_max_ms)
        S.st.lag_max_ms = lag;
    if (S.st.overloaded && lag > S.st.own_delay_ms)
        S.st.own_delay_ms = lag;
    if (now - S.last_wall_ms >= 1000.0)
        second_tick(now);
    S.due_ms = now + SW_SELF_PROBE_MS;
    sw_timer_ms(S.probe, SW_SELF_PROBE_MS);
}

void sw_self_reset(void)
{
    sw_self_win_reset(&S.win);
    memset(&S.st, 0, sizeof S.st);
    sw_hist_reset(&S.run);
    S.warned = 0;
    S.remote_n = 0;
    S.remote_delay_ms = S.remote_lag_max_ms = 0;
}

void sw_self_set_remote(int n, double own_delay_ms, double lag_max_ms)
{
    S.remote_n = n;
    S.remote_delay_ms = own_delay_ms;
    S.remote_lag_max_ms = lag_max_ms;
}

int sw_self_start(struct event_base *base)
{
    if (S.probe)
        return 0;
    sw_hist_init(&S.run);
    S.probe = evtimer_new(base, on_probe, NULL);
    if (!S.probe)
        return -1;
    S.last_cpu_s = cpu_seconds();
    S.last_wall_ms = sw_clock_ms();
    S.due_ms = S.last_wall_ms + SW_SELF_PROBE_MS;
    sw_timer_ms(S.probe, SW_SELF_PROBE_MS);
    return 0;
}

void sw_self_stop(void)
{
    if (!S.probe)
        return;
    event_free(S.probe);
    sw_hist_free(&S.run);
    memset(&S, 0, sizeof S);
}

void sw_self_get(sw_self_stats *out)
{
    *out = S.st;
    out->lag_run_p99_ms = sw_hist_count(&S.run) ? sw_hist_percentile(&S.run, 0.99) / 1000.0 : 0;
    if (out->overloaded && out->own_delay_ms < out->lag_p99_ms)
        out->own_delay_ms = out->lag_p99_ms;
    out->overloaded_slaves = S.remote_n;
    if (S.remote_lag_max_ms > out->lag_max_ms)
        out->lag_max_ms = S.remote_lag_max_ms;
    if (S.remote_n) {
        out->overloaded = 1;
        if (S.remote_delay_ms > out->own_delay_ms)
            out->own_delay_ms = S.remote_delay_ms;
    }
}

double sw_self_cpu_percent(void)
{
    return S.st.cpu_percent;
}

void sw_self_report(FILE *f)
{
    sw_self_stats s;
    sw_self_get(&s);
    if (!s.overloaded)
        return;
    char on[64] = "";
    if (s.overloaded_slaves)
        snprintf(on, sizeof on, " on %d slave%s", s.overloaded_slaves,
                 s.overloaded_slaves == 1 ? "" : "s");
    fprintf(f, "Swarm was overloaded%s (event-loop lag p99 %.1f ms, max %.0f ms; CPU up to "
               "%.0f%%): results include up to %.0f ms of Swarm's own delay\n\n",
            on, s.lag_run_p99_ms, s.lag_max_ms, s.cpu_max_percent, ceil(s.own_delay_ms));
}

/* What marked the run, for the JSON: this process's first verdict, or its
 * slaves (a master), or nothing. */
static const char *marked_by_text(const sw_self_stats *s)
{
    switch (s->marked_by) {
    case SW_SELF_LAG_HIGH: return "\"lag\"";
    case SW_SELF_CPU_HIGH: return "\"cpu\"";
    case SW_SELF_LAG_HIGH | SW_SELF_CPU_HIGH: return "\"lag and cpu\"";
    default: return s->overloaded ? "\"slaves\"" : "null";
    }
}

void sw_self_json(FILE *f)
{
    sw_self_stats s;
    sw_self_get(&s);
    fprintf(f, "\"self_check\":{\"marked_by\":%s,\"lag_p99_ms\":%.3f,\"lag_run_p99_ms\":%.3f,\"lag_max_ms\":%.3f,"
               "\"cpu_percent\":%.1f,\"cpu_max_percent\":%.1f,\"overloaded\":%s,"
               "\"max_lag_ms\":%.3f,\"overloaded_slaves\":%d,\"limits\":{\"lag_p99_ms\":%g,"
               "\"cpu_percent\":%g,\"window_s\":%d}}",
            marked_by_text(&s), s.lag_p99_ms, s.lag_run_p99_ms, s.lag_max_ms, s.cpu_percent, s.cpu_max_percent,
            s.overloaded ? "true" : "false", s.own_delay_ms, s.overloaded_slaves,
            SW_SELF_LAG_LIMIT_MS, SW_SELF_CPU_LIMIT, SW_SELF_WINDOW_S);
}

void sw_self_metrics(FILE *f)
{
    sw_self_stats s;
    sw_self_get(&s);
    fprintf(f, "# HELP swarm_event_loop_lag_seconds Lateness of Swarm's probe timer, p99 over "
               "the last %d s.\n# TYPE swarm_event_loop_lag_seconds gauge\n"
               "swarm_event_loop_lag_seconds %.6f\n"
               "# HELP swarm_cpu_usage_percent CPU used by this process over the last second.\n"
               "# TYPE swarm_cpu_usage_percent gauge\nswarm_cpu_usage_percent %.1f\n"
               "# HELP swarm_overloaded 1 when Swarm's own delay exceeded its limits in this run.\n"
               "# TYPE swarm_overloaded gauge\nswarm_overloaded %d\n",
            SW_SELF_WINDOW_S, s.lag_p99_ms / 1000.0, s.cpu_percent, s.overloaded);
}
