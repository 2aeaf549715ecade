/*
 * log.c -- log lines: "[2026-11-27 08:47:15] LEVEL/swarm: message" on stderr,
 * filtered by sw_rt.opts.loglevel; and the wall clock.
 */
#include <stdarg.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

#include "log.h"

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
    fprintf(stderr, "[%s] %s/swarm: %s\n", stamp, sw_log_level_name(level), msg);
}

double sw_wall(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}
