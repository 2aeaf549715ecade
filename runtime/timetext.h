/*
 * timetext.h -- response times as text for the JSON outputs, the HTML
 * report and the web UI (the console table and the CSV files keep Locust's
 * whole milliseconds: stats.h's sw_stats_ms and friends).
 *
 * The rule (docs/measurement.md, "Rounding"): milliseconds with two
 * decimals under 10 ms ("0.37", "9.99", "0.00"), whole milliseconds from
 * 10 ms on ("10", "1523"). A time is rounded at the resolution printed, in
 * a direction: down for a minimum, up for a maximum, half up for anything
 * else, so 9,994 us is "9.99" and 9,995 us "10". Every text is a JSON
 * number. runtime/page/app.js (fmtMs) applies the same rule to what it
 * shows.
 *
 * Ownership: the caller's buffer of SW_TIME_TEXT_MAX bytes; nothing kept.
 */
#ifndef SW_TIMETEXT_H
#define SW_TIMETEXT_H

#include <stdint.h>
#include <stdio.h>

#define SW_TIME_DOWN (-1)           /* a minimum */
#define SW_TIME_NEAR 0              /* half up: medians, percentiles */
#define SW_TIME_UP 1                /* a maximum, the 100% percentile */
#define SW_TIME_TEXT_MAX 32         /* bytes of a text, NUL included */

/* us to whole ms in direction dir (floor, half up, ceiling). */
uint64_t sw_time_round_ms(uint64_t us, int dir);
/* The text of a time of us microseconds, rounded in direction dir; returns
 * buf. */
char *sw_time_text(char *buf, uint64_t us, int dir);
/* The same for a time already in (fractional) ms, rounded half up: an
 * average. Not finite or negative counts as 0. */
char *sw_time_ms_text(char *buf, double ms);
/* Write the text of sw_time_text to f. */
void sw_time_put(FILE *f, uint64_t us, int dir);

#endif /* SW_TIMETEXT_H */
