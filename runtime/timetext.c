/*
 * timetext.c -- response times as text by the two-decimal rule (see
 * timetext.h).
 */
#include "timetext.h"

#include <inttypes.h>
#include <math.h>

uint64_t sw_time_round_ms(uint64_t us, int dir)
{
    uint64_t ms = us / 1000, rest = us % 1000;
    return ms + (dir < 0 ? 0 : dir > 0 ? rest != 0 : rest >= 500);
}

/* us / 10 (hundredths of a ms) rounded in direction dir. */
static uint64_t hundredths(uint64_t us, int dir)
{
    return us / 10 + (dir < 0 ? 0 : dir > 0 ? us % 10 != 0 : us % 10 >= 5);
}

/* The hundredths of a ms h printed with two decimals when under 10 ms; at
 * or above, the whole ms w. Every time text goes through here. */
static char *text(char *buf, uint64_t h, uint64_t w)
{
    if (h < 1000)
        snprintf(buf, SW_TIME_TEXT_MAX, "%u.%02u", (unsigned)(h / 100), (unsigned)(h % 100));
    else
        snprintf(buf, SW_TIME_TEXT_MAX, "%" PRIu64, w);
    return buf;
}

/* The hundredths reach 1000 exactly when the whole ms, rounded the same
 * way, reach 10 (down: us >= 10000; half up: us >= 9995; up: us > 9990),
 * so the switch between the two forms never goes backwards. */
char *sw_time_text(char *buf, uint64_t us, int dir)
{
    return text(buf, hundredths(us, dir), sw_time_round_ms(us, dir));
}

char *sw_time_ms_text(char *buf, double ms)
{
    if (!isfinite(ms) || ms < 0)
        ms = 0;
    if (ms >= 1e15)                                  /* beyond any uint64 us */
        ms = 1e15;
    return text(buf, (uint64_t)floor(ms * 100.0 + 0.5), (uint64_t)floor(ms + 0.5));
}

void sw_time_put(FILE *f, uint64_t us, int dir)
{
    char b[SW_TIME_TEXT_MAX];
    fputs(sw_time_text(b, us, dir), f);
}
