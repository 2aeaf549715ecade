/*
 * test_selfcheck.c -- the self-check's decision (selfcheck.h, sw_self_win_*)
 * fed with known samples: the CPU path (above SW_SELF_CPU_LIMIT percent in
 * each of the last SW_SELF_WINDOW_S seconds, strictly, and only once that
 * many seconds have been seen), the lag path (the window's p99 above
 * SW_SELF_LAG_LIMIT_MS, old lags leaving the window), both at once, and a
 * reset.
 */
#include <string.h>

#include "check.h"
#include "selfcheck.h"

/* Close n seconds, each with probes lags of lag ms and CPU cpu; the
 * verdict of the last one. */
static int seconds(sw_self_win *w, int n, double cpu, double lag, double *p99)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < (int)(1000 / SW_SELF_PROBE_MS); k++)
            sw_self_win_lag(w, lag);
        v = sw_self_win_second(w, cpu, p99);
    }
    return v;
}

static void cpu_path(void)
{
    sw_self_win w;
    double p99 = -1;
    sw_self_win_reset(&w);
    int v = seconds(&w, SW_SELF_WINDOW_S - 1, 100, 0.2, &p99);
    CHECK(v == 0, "cpu: %d seconds at 100%% do not mark (verdict %d)", SW_SELF_WINDOW_S - 1, v);
    v = seconds(&w, 1, 100, 0.2, &p99);
    CHECK(v == SW_SELF_CPU_HIGH, "cpu: the %dth second at 100%% marks by CPU only (verdict %d)",
          SW_SELF_WINDOW_S, v);
    CHECK(p99 > 0.19 && p99 < 0.21, "cpu: the lag p99 is the probes' 0.2 ms (%g)", p99);
    v = seconds(&w, 1, 95, 0.2, NULL);
    CHECK(v == SW_SELF_CPU_HIGH, "cpu: still marked while every second stays above the limit");

    /* One second at the limit (not above) breaks the run of seconds until
     * it leaves the window. */
    v = seconds(&w, 1, SW_SELF_CPU_LIMIT, 0.2, NULL);
    CHECK(v == 0, "cpu: a second at exactly %g%% clears the verdict (verdict %d)", SW_SELF_CPU_LIMIT, v);
    v = seconds(&w, SW_SELF_WINDOW_S - 1, 100, 0.2, NULL);
    CHECK(v == 0, "cpu: %d more seconds at 100%% still see that second (verdict %d)",
          SW_SELF_WINDOW_S - 1, v);
    v = seconds(&w, 1, 100, 0.2, NULL);
    CHECK(v == SW_SELF_CPU_HIGH, "cpu: once it left the window the verdict is back (verdict %d)", v);

    /* Just above the limit counts. */
    sw_self_win_reset(&w);
    v = seconds(&w, SW_SELF_WINDOW_S, SW_SELF_CPU_LIMIT + 0.1, 0, NULL);
    CHECK(v == SW_SELF_CPU_HIGH, "cpu: %d seconds at %g%% mark (verdict %d)", SW_SELF_WINDOW_S,
          SW_SELF_CPU_LIMIT + 0.1, v);

    /* A busy-idle alternation never marks, however long. */
    sw_self_win_reset(&w);
    int any = 0;
    for (int i = 0; i < 40; i++)
        any |= seconds(&w, 1, i % 2 ? 100 : 40, 0.1, NULL);
    CHECK(any == 0, "cpu: 40 s alternating 100%% and 40%% never mark (verdict bits %d)", any);

    /* A reset forgets the seconds seen. */
    sw_self_win_reset(&w);
    seconds(&w, SW_SELF_WINDOW_S - 1, 100, 0, NULL);
    sw_self_win_reset(&w);
    v = seconds(&w, 1, 100, 0, NULL);
    CHECK(v == 0 && w.ncpu == 1, "cpu: after a reset one busy second does not mark (verdict %d)", v);
}

static void lag_path(void)
{
    sw_self_win w;
    double p99 = -1;
    sw_self_win_reset(&w);
    int v = seconds(&w, 3, 20, SW_SELF_LAG_LIMIT_MS, &p99);
    CHECK(v == 0 && p99 == SW_SELF_LAG_LIMIT_MS, "lag: lags of exactly %g ms do not mark (verdict %d, p99 %g)",
          SW_SELF_LAG_LIMIT_MS, v, p99);
    /* 100 probes a second over 5 s: 500 samples, so the p99 (nearest rank,
     * the 495th) is the 6th largest: five late probes in a full window are a
     * hiccup (the OS ran something else), six are a p99 over the limit. */
    sw_self_win_reset(&w);
    seconds(&w, SW_SELF_WINDOW_S - 1, 20, 0.5, NULL);
    for (int k = 0; k < 5; k++)
        sw_self_win_lag(&w, 37.5);
    for (int k = 5; k < (int)(1000 / SW_SELF_PROBE_MS); k++)
        sw_self_win_lag(&w, 0.5);
    v = sw_self_win_second(&w, 20, &p99);
    CHECK(v == 0 && p99 == 0.5, "lag: 5 probes 37.5 ms late among 500 do not mark (verdict %d, p99 %g)",
          v, p99);
    sw_self_win_reset(&w);
    seconds(&w, SW_SELF_WINDOW_S - 1, 20, 0.5, NULL);
    for (int k = 0; k < 6; k++)
        sw_self_win_lag(&w, 37.5);
    for (int k = 6; k < (int)(1000 / SW_SELF_PROBE_MS); k++)
        sw_self_win_lag(&w, 0.5);
    v = sw_self_win_second(&w, 20, &p99);
    CHECK(v == SW_SELF_LAG_HIGH && p99 == 37.5, "lag: 6 probes 37.5 ms late among 500 mark by lag (verdict %d, p99 %g)",
          v, p99);
    v = seconds(&w, SW_SELF_WINDOW_S - 1, 20, 0.5, &p99);
    CHECK(v == SW_SELF_LAG_HIGH && p99 == 37.5, "lag: they stay in the window %d more seconds (p99 %g)",
          SW_SELF_WINDOW_S - 1, p99);
    v = seconds(&w, 1, 20, 0.5, &p99);
    CHECK(v == 0 && p99 == 0.5, "lag: then they leave the window (verdict %d, p99 %g)", v, p99);

    /* A window still filling is no more sensitive than a full one: in the
     * first second (100 lags) 5 late probes do not mark, 6 do. */
    for (int late = 5; late <= 6; late++) {
        sw_self_win_reset(&w);
        for (int k = 0; k < (int)(1000 / SW_SELF_PROBE_MS); k++)
            sw_self_win_lag(&w, k < late ? 37.5 : 0.5);
        v = sw_self_win_second(&w, 20, &p99);
        CHECK(v == (late == 6 ? SW_SELF_LAG_HIGH : 0), "lag: the first second, %d late probes among 100: "
              "verdict %d (p99 %g)", late, v, p99);
    }

    /* More probes in a second than kept are dropped, not written past the
     * ring. */
    sw_self_win_reset(&w);
    for (int i = 0; i < 3 * SW_SELF_PER_S; i++)
        sw_self_win_lag(&w, i < SW_SELF_PER_S ? 1.0 : 99.0);
    v = sw_self_win_second(&w, 10, &p99);
    CHECK(w.nlag[(w.slot + SW_SELF_WINDOW_S - 1) % SW_SELF_WINDOW_S] == SW_SELF_PER_S && v == 0 && p99 == 1.0,
          "lag: probes beyond %d in a second are dropped (p99 %g)", SW_SELF_PER_S, p99);
    v = sw_self_win_second(&w, 10, &p99);
    CHECK(v == 0 && p99 == 1.0, "lag: a second without probes adds nothing (p99 %g)", p99);
    sw_self_win_reset(&w);
    v = sw_self_win_second(&w, 10, &p99);
    CHECK(v == 0 && p99 == 0, "lag: no probe at all is a p99 of 0 (%g)", p99);
}

static void both(void)
{
    sw_self_win w;
    sw_self_win_reset(&w);
    int v = seconds(&w, SW_SELF_WINDOW_S, 99, 12, NULL);
    CHECK(v == (SW_SELF_LAG_HIGH | SW_SELF_CPU_HIGH), "both: high lag and CPU give both bits (verdict %d)", v);
}

int main(void)
{
    cpu_path();
    lag_path();
    both();
    return CHECK_DONE();
}
