/*
 * report.c -- the console tables and CSV files, in Locust's shapes (see
 * report.h and ../shared/CLI.md). Every number comes from stats.h's derived
 * accessors, so console, CSV and the other outputs agree.
 *
 * Conventions: times are milliseconds, rounded half up from microseconds;
 * percentiles are nearest-rank from the histogram. The requests table shows
 * current RPS for now_s > 0 and whole-run RPS (Locust's final summary) for
 * now_s <= 0. The Name column is as wide as the longest name, at least 20
 * and at most 60 columns; longer names keep their start and end around
 * "...". CSV rows end in "\n"; fields with a comma, quote or line break are
 * quoted with doubled quotes.
 */
#include "report.h"
#include "file.h"
#include "hist.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TYPE_W     8
#define NAME_MIN_W 20
#define NAME_MAX_W 60

#define NPCT ((size_t)SW_STATS_NPCT)    /* the shared list, stats.h */

/* ---- text cells ------------------------------------------------------ */

/* Display width of UTF-8 text: one column per code point. */
static size_t text_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Writes n code points of s starting at code point `from`, control
 * characters shown as '?'. */
static void put_span(FILE *out, const char *s, size_t from, size_t n)
{
    size_t cp = 0;
    for (; *s; s++) {
        int cont = ((unsigned char)*s & 0xC0) == 0x80;
        if (!cont)
            cp++;
        if (cp <= from || cp > from + n)
            continue;
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, out);
    }
}

/* s left-aligned in exactly w columns; longer text keeps its start and end
 * around "..." (or is cut when w is small). */
static void put_cell(FILE *out, const char *s, size_t w)
{
    size_t len = text_width(s ? s : "");
    if (!s)
        s = "";
    if (len <= w) {
        put_span(out, s, 0, len);
        for (size_t i = len; i < w; i++)
            fputc(' ', out);
    } else if (w < 10) {
        put_span(out, s, 0, w);
    } else {
        size_t tail = (w - 3) / 2, head = w - 3 - tail;
        put_span(out, s, 0, head);
        fputs("...", out);
        put_span(out, s, len - tail, tail);
    }
}

static void dashes(FILE *out, size_t n)
{
    while (n--)
        fputc('-', out);
}

/* Width of the Name column for these entries. */
static size_t name_width(const sw_stats_entry *const *v, size_t n)
{
    size_t w = NAME_MIN_W;
    for (size_t i = 0; i < n; i++) {
        sw_stats_info in;
        sw_stats_entry_info(v[i], &in);
        size_t l = text_width(in.name);
        if (l > w)
            w = l;
    }
    return w > NAME_MAX_W ? NAME_MAX_W : w;
}

static uint64_t round_ms(double ms)
{
    return ms > 0 ? (uint64_t)floor(ms + 0.5) : 0;
}

/* ---- the requests table ------------------------------------------------ */

static void table_row(FILE *out, const sw_stats *s, const sw_stats_entry *e, size_t w, double now_s)
{
    sw_stats_info in;
    sw_stats_entry_info(e, &in);
    char fails[64];
    snprintf(fails, sizeof fails, "%" PRIu64 "(%.2f%%)", in.num_failures,
             sw_stats_fail_ratio(e) * 100.0);
    double rps = now_s > 0 ? sw_stats_current_rps(s, e, now_s) : sw_stats_total_rps(s, e);
    double fps = now_s > 0 ? sw_stats_current_fail_per_sec(s, e, now_s)
                           : sw_stats_total_fail_per_sec(s, e);
    put_cell(out, in.method, TYPE_W);
    fputc(' ', out);
    put_cell(out, in.name, w);
    fprintf(out, " %7" PRIu64 " %12s |%7" PRIu64 " %7" PRIu64 " %7" PRIu64 "%7" PRIu64
            " | %7.2f %11.2f\n", in.num_requests, fails, round_ms(sw_stats_avg_ms(e)),
            sw_stats_min_ms(e), sw_stats_max_ms(e), sw_stats_median_ms(e), rps, fps);
}

static void table_separator(FILE *out, size_t w)
{
    static const int cols[] = { 7, 13, 7, 7, 7, 7, 8, 11 };
    dashes(out, TYPE_W);
    fputc('|', out);
    dashes(out, w);
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        fputc('|', out);
        dashes(out, (size_t)cols[i]);
    }
    fputc('\n', out);
}

void sw_report_table(FILE *out, const sw_stats *s, double now_s)
{
    if (!out || !s)
        return;
    const sw_stats_entry **v;
    size_t n = sw_stats_entries(s, &v);
    size_t w = name_width(v, n);
    put_cell(out, "Type", TYPE_W);
    fputc(' ', out);
    put_cell(out, "Name", w);
    fprintf(out, " %7s %12s |%7s %7s %7s%7s | %7s %11s\n", "# reqs", "# fails", "Avg", "Min",
            "Max", "Med", "req/s", "failures/s");
    table_separator(out, w);
    for (size_t i = 0; i < n; i++)
        table_row(out, s, v[i], w, now_s);
    table_separator(out, w);
    table_row(out, s, sw_stats_aggregated(s), w, now_s);
    fputc('\n', out);
    free(v);
}

/* ---- the percentile table ------------------------------------------------ */

static void pct_row(FILE *out, const sw_stats_entry *e, size_t w)
{
    sw_stats_info in;
    sw_stats_entry_info(e, &in);
    if (in.num_requests == 0)
        return;
    put_cell(out, in.method, TYPE_W);
    fputc(' ', out);
    put_cell(out, in.name, w);
    for (size_t i = 0; i < NPCT; i++)
        fprintf(out, i ? " %6" PRIu64 : " %8" PRIu64, sw_stats_percentile_ms(e, sw_stats_pcts[i]));
    fprintf(out, " %6" PRIu64 "\n", in.num_requests);
}

static void pct_separator(FILE *out, size_t w)
{
    dashes(out, TYPE_W);
    fputc('|', out);
    dashes(out, w);
    fputc('|', out);
    dashes(out, 8);
    for (size_t i = 0; i < NPCT; i++) {
        fputc('|', out);
        dashes(out, 6);
    }
    fputc('\n', out);
}

void sw_report_percentiles(FILE *out, const sw_stats *s)
{
    if (!out || !s)
        return;
    const sw_stats_entry **v;
    size_t n = sw_stats_entries(s, &v);
    size_t w = name_width(v, n);
    fputs("Response time percentiles (approximated)\n", out);
    put_cell(out, "Type", TYPE_W);
    fputc(' ', out);
    put_cell(out, "Name", w);
    for (size_t i = 0; i < NPCT; i++)
        fprintf(out, i ? " %6s" : " %8s", sw_stats_pct_names[i]);
    fprintf(out, " %6s\n", "# reqs");
    pct_separator(out, w);
    for (size_t i = 0; i < n; i++)
        pct_row(out, v[i], w);
    pct_separator(out, w);
    pct_row(out, sw_stats_aggregated(s), w);
    fputc('\n', out);
    free(v);
}

/* ---- failures and exceptions ---------------------------------------------- */

/* Sorts by occurrences, most first, keeping the given order among ties. */
static void sort_by_count(sw_stats_error *v, size_t n)
{
    /* insertion sort: stable, and these lists are short */
    for (size_t i = 1; i < n; i++) {
        sw_stats_error t = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1].count < t.count) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = t;
    }
}

static void error_header(FILE *out, const char *title, const char *col)
{
    fprintf(out, "%s\n%-18s %s\n", title, "# occurrences", col);
    dashes(out, 18);
    fputc('|', out);
    dashes(out, 80);
    fputc('\n', out);
}

static void error_footer(FILE *out)
{
    dashes(out, 18);
    fputc('|', out);
    dashes(out, 80);
    fputs("\n\n", out);
}

/* Writes text with control characters shown as spaces (one-line rows). */
static void put_line_text(FILE *out, const char *s)
{
    for (; s && *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, out);
}

void sw_report_failures(FILE *out, const sw_stats *s)
{
    if (!out || !s)
        return;
    sw_stats_error *v;
    size_t n = sw_stats_failures(s, &v);
    if (n) {
        sort_by_count(v, n);
        error_header(out, "Error report", "Error");
        for (size_t i = 0; i < n; i++) {
            fprintf(out, "%6" PRIu64 "%13s", v[i].count, "");
            put_line_text(out, v[i].method);
            fputc(' ', out);
            put_line_text(out, v[i].name);
            fputs(": ", out);
            put_line_text(out, v[i].message);
            fputc('\n', out);
        }
        error_footer(out);
    }
    free(v);
    n = sw_stats_exceptions(s, &v);
    if (n) {
        sort_by_count(v, n);
        error_header(out, "Exceptions", "Location: Message");
        for (size_t i = 0; i < n; i++) {
            fprintf(out, "%6" PRIu64 "%13s", v[i].count, "");
            put_line_text(out, v[i].where);
            fputs(": ", out);
            put_line_text(out, v[i].message);
            fputc('\n', out);
        }
        error_footer(out);
    }
    free(v);
}

/* ---- CSV ------------------------------------------------------------------ */

static void csv_str(FILE *f, const char *s)
{
    if (!s)
        s = "";
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_stats_row(FILE *f, const sw_stats *s, const sw_stats_entry *e, int aggregate)
{
    sw_stats_info in;
    sw_stats_entry_info(e, &in);
    csv_str(f, aggregate ? "" : in.method);
    fputc(',', f);
    csv_str(f, in.name);
    fprintf(f, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.2f,%" PRIu64 ",%" PRIu64 ",%.2f,%.2f,%.2f",
            in.num_requests, in.num_failures, sw_stats_median_ms(e), sw_stats_avg_ms(e),
            sw_stats_min_ms(e), sw_stats_max_ms(e), sw_stats_avg_bytes(e),
            sw_stats_total_rps(s, e), sw_stats_total_fail_per_sec(s, e));
    for (size_t i = 0; i < NPCT; i++) {
        if (in.num_requests)
            fprintf(f, ",%" PRIu64, sw_stats_percentile_ms(e, sw_stats_pcts[i]));
        else
            fputs(",N/A", f);
    }
    fputc('\n', f);
}

/* The body of PREFIX_stats.csv. */
void sw_report_stats_csv(FILE *f, const sw_stats *s)
{
    fputs("Type,Name,Request Count,Failure Count,Median Response Time,"
          "Average Response Time,Min Response Time,Max Response Time,"
          "Average Content Size,Requests/s,Failures/s", f);
    for (size_t i = 0; i < NPCT; i++)
        fprintf(f, ",%s", sw_stats_pct_names[i]);
    fputc('\n', f);
    const sw_stats_entry **v;
    size_t n = sw_stats_entries(s, &v);
    for (size_t i = 0; i < n; i++)
        csv_stats_row(f, s, v[i], 0);
    csv_stats_row(f, s, sw_stats_aggregated(s), 1);
    free(v);
}

/* The body of PREFIX_failures.csv. */
void sw_report_failures_csv(FILE *f, const sw_stats *s)
{
    fputs("Method,Name,Error,Occurrences\n", f);
    sw_stats_error *v;
    size_t n = sw_stats_failures(s, &v);
    for (size_t i = 0; i < n; i++) {
        csv_str(f, v[i].method);
        fputc(',', f);
        csv_str(f, v[i].name);
        fputc(',', f);
        csv_str(f, v[i].message);
        fprintf(f, ",%" PRIu64 "\n", v[i].count);
    }
    free(v);
}

/* The body of PREFIX_exceptions.csv. */
void sw_report_exceptions_csv(FILE *f, const sw_stats *s)
{
    fputs("Count,Message,Traceback,Nodes\n", f);
    sw_stats_error *v;
    size_t n = sw_stats_exceptions(s, &v);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%" PRIu64 ",", v[i].count);
        csv_str(f, v[i].message);
        fputc(',', f);
        csv_str(f, v[i].where);
        fputs(",local\n", f);
    }
    free(v);
}

/* sw_file_body adapters for the three CSV bodies. */
static void stats_body(FILE *f, const void *s) { sw_report_stats_csv(f, s); }
static void failures_body(FILE *f, const void *s) { sw_report_failures_csv(f, s); }
static void exceptions_body(FILE *f, const void *s) { sw_report_exceptions_csv(f, s); }

int sw_report_csv(const char *prefix, const sw_stats *s, double now_s)
{
    (void)now_s;                 /* the CSV files hold whole-run rates, as Locust's */
    if (!prefix || !s) {
        errno = EINVAL;
        return -1;
    }
    if (sw_file_write(prefix, "_stats.csv", stats_body, s) < 0
        || sw_file_write(prefix, "_failures.csv", failures_body, s) < 0
        || sw_file_write(prefix, "_exceptions.csv", exceptions_body, s) < 0)
        return -1;
    return 0;
}
