/*
 * log.c -- log lines: "[2026-11-27 08:47:15] LEVEL/swarm: message" on stderr,
 * filtered by sw_rt.opts.loglevel; the wall clock; arming timers.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

#include <event2/event.h>

#include "log.h"

FILE *sw_log_file;

const char *sw_log_level_name(int level)
{
    switch (level) {
    case SW_LOG_DEBUG: return "DEBUG";
    case SW_LOG_INFO: return "INFO";
    case SW_LOG_WARNING: return "WARNING";
    default: return "ERROR";
    }
}

void sw_logf(int level, const char *fmt, ...)
{
    if (level < sw_rt.opts.loglevel)
        return;
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    time_t t = time(NULL);
    struct tm tm;
    char stamp[32] = "";
    if (localtime_r(&t, &tm))
        strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
    FILE *to = sw_log_file ? sw_log_file : stderr;     /* issue 9: --logfile */
    fprintf(to, "[%s] %s/swarm: %s\n", stamp, sw_log_level_name(level), msg);
    if (sw_log_file)
        fflush(sw_log_file);
}

double sw_wall(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Exact timers: the deadline is computed from the clock read now (not the
 * loop's cached time, which is older by however long the current callbacks
 * have run), rounded up to the microsecond; sw_event_base_new's precise
 * monotonic clock then never fires it early. */
void sw_timer_ms(struct event *ev, double ms)
{
    if (!(ms > 0))              /* also NaN */
        ms = 0;
    if (ms > 1e12)
        ms = 1e12;
    struct timeval tv;
    double us = ceil(ms * 1000.0);
    tv.tv_sec = (time_t)(us / 1e6);
    tv.tv_usec = (suseconds_t)(us - (double)tv.tv_sec * 1e6);
    if (tv.tv_usec < 0)
        tv.tv_usec = 0;
    if (tv.tv_usec > 999999)
        tv.tv_usec = 999999;
    if (ms > 0)
        event_base_update_cache_time(event_get_base(ev));
    evtimer_add(ev, &tv);
}

/* The loop: CLOCK_MONOTONIC itself (EVENT_BASE_FLAG_PRECISE_TIMER) rather
 * than the coarse clock libevent uses by default, whose 4 ms ticks made
 * waits end up to 4 ms early. */
struct event_base *sw_event_base_new(void)
{
    struct event_config *cfg = event_config_new();
    struct event_base *b = NULL;
    if (cfg) {
        event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER);
        b = event_base_new_with_config(cfg);
        event_config_free(cfg);
    }
    return b ? b : event_base_new();
}
