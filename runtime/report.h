/*
 * report.h -- what a person or a tool reads: the console tables and the CSV
 * files, in Locust's shapes (see ../shared/CLI.md). All read an sw_stats and
 * write nothing else. now_s is the wall clock used for current RPS.
 */
#ifndef SW_REPORT_H
#define SW_REPORT_H

#include <stdio.h>
#include "stats.h"

/* The requests table (Type, Name, # reqs, # fails, Avg, Min, Max, Med,
 * req/s, failures/s) with the Aggregated row. now_s <= 0 prints whole-run
 * rates (the final summary, as Locust's); otherwise current rates. */
void sw_report_table(FILE *out, const sw_stats *s, double now_s);
/* The response-time percentile table (50 .. 100 %). */
void sw_report_percentiles(FILE *out, const sw_stats *s);
/* The failures table (occurrences, method, name, message); nothing when none.
 * Also the exceptions, if any. */
void sw_report_failures(FILE *out, const sw_stats *s);

/* The bodies of the three CSV files, to any stream (the web UI serves them). */
void sw_report_stats_csv(FILE *f, const sw_stats *s);
void sw_report_failures_csv(FILE *f, const sw_stats *s);
void sw_report_exceptions_csv(FILE *f, const sw_stats *s);

/* PREFIX_stats.csv, PREFIX_failures.csv, PREFIX_exceptions.csv.
 * Returns 0, or -1 with errno set when a file cannot be written. */
int sw_report_csv(const char *prefix, const sw_stats *s, double now_s);

#endif /* SW_REPORT_H */
