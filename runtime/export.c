/*
 * export.c -- JSON and Prometheus text of the statistics (see export.h).
 *
 * Conventions: times are milliseconds, rates per second, wall-clock times
 * Unix seconds; doubles are written with up to 15 significant digits,
 * never as NaN or infinity (written as 0). A response time (min, max,
 * median, percentiles) is stats.h's time text: two decimals under 10 ms,
 * whole ms from 10 (averages stay exact doubles). Per-entry arrays are sorted
 * like the CSV files (by name, then method) with the aggregate last.
 */
#include "export.h"
#include "threshold.h"
#include "cancelled.h"
#include "plan.h"
#include "arrival.h"
#include "selfcheck.h"
#include "client.h"
#include "file.h"
#include "cli.h"
#include "hist.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const double sw_export_bounds[SW_EXPORT_NBOUNDS] = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30 };

/* ---------------------------------------------------------------- JSON bits */

static void num(FILE *f, double x)
{
    if (!isfinite(x))
        x = 0;
    fprintf(f, "%.15g", x);
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid. */
static int utf8_len(const unsigned char *p)
{
    unsigned c = p[0];
    int n;
    unsigned min;
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) { n = 2; min = 0x80; c &= 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 3; min = 0x800; c &= 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 4; min = 0x10000; c &= 0x07; }
    else return 0;
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    return n;
}

void sw_export_json_str(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    fputc('"', f);
    while (*p) {
        if (*p == '"' || *p == '\\') {
            fputc('\\', f);
            fputc(*p++, f);
        } else if (*p < 0x20 || *p == 0x7f) {
            switch (*p) {
            case '\n': fputs("\\n", f); break;
            case '\r': fputs("\\r", f); break;
            case '\t': fputs("\\t", f); break;
            default: fprintf(f, "\\u%04x", *p); break;
            }
            p++;
        } else {
            int n = utf8_len(p);
            if (n == 0) {
                fputs("\\ufffd", f);
                p++;
            } else {
                fwrite(p, 1, (size_t)n, f);
                p += n;
            }
        }
    }
    fputc('"', f);
}

static void key(FILE *f, const char *k)
{
    sw_export_json_str(f, k);
    fputc(':', f);
}

/* ---------------------------------------------------------------- entries */

/* Percentile q of e (q <= 0 the min, q >= 1 the max) as a time text. */
static void pct(FILE *f, const sw_stats_entry *e, double q)
{
    sw_time_put(f, sw_stats_percentile_us(e, q), sw_stats_pct_dir(q));
}

/* The fields of one /stats/requests entry (no braces). */
static void entry_fields(FILE *f, const sw_stats *s, const sw_stats_entry *e,
                         int aggregate, double now_s)
{
    sw_stats_info in;
    sw_stats_entry_info(e, &in);
    key(f, "method"); sw_export_json_str(f, aggregate ? "" : in.method);
    fputc(',', f); key(f, "name"); sw_export_json_str(f, aggregate ? "Aggregated" : in.name);
    fprintf(f, ",\"num_requests\":%" PRIu64 ",\"num_failures\":%" PRIu64,
            in.num_requests, in.num_failures);
    fputs(",\"avg_response_time\":", f); num(f, sw_stats_avg_ms(e));
    fputs(",\"min_response_time\":", f); pct(f, e, 0);
    fputs(",\"max_response_time\":", f); pct(f, e, 1);
    fputs(",\"median_response_time\":", f); pct(f, e, 0.5);
    fputs(",\"current_rps\":", f); num(f, sw_stats_current_rps(s, e, now_s));
    fputs(",\"current_fail_per_sec\":", f); num(f, sw_stats_current_fail_per_sec(s, e, now_s));
    fputs(",\"avg_content_length\":", f); num(f, sw_stats_avg_bytes(e));
    fputs(",\"response_time_percentile_0.95\":", f); pct(f, e, 0.95);
    fputs(",\"response_time_percentile_0.99\":", f); pct(f, e, 0.99);
}

/* The extra fields of a --json entry: percentiles, whole-run rates and the
 * histogram itself. */
static void entry_more(FILE *f, const sw_stats *s, const sw_stats_entry *e)
{
    sw_stats_info in;
    sw_stats_entry_info(e, &in);
    fputs(",\"percentiles\":{", f);
    for (int i = 0; i < SW_STATS_NPCT; i++) {
        char k[16];
        snprintf(k, sizeof k, "%g", sw_stats_pcts[i]);
        if (i)
            fputc(',', f);
        key(f, strcmp(k, "1") == 0 ? "1.0" : k);
        pct(f, e, sw_stats_pcts[i]);
    }
    fputs("},\"fail_ratio\":", f); num(f, sw_stats_fail_ratio(e));
    fprintf(f, ",\"num_cancelled\":%" PRIu64, in.method && in.method[0]
            ? sw_cancel_get(in.method, in.name) : sw_cancel_total());
    fputs(",\"total_rps\":", f); num(f, sw_stats_total_rps(s, e));
    fputs(",\"total_fail_per_sec\":", f); num(f, sw_stats_total_fail_per_sec(s, e));
    fprintf(f, ",\"total_response_time_us\":%" PRIu64 ",\"total_content_length\":%" PRIu64,
            in.total_us, in.total_bytes);
    fputs(",\"start_time\":", f); num(f, in.start_s);
    fputs(",\"last_request_time\":", f); num(f, in.last_s);
    fprintf(f, ",\"histogram\":{\"unit\":\"us\",\"count\":%" PRIu64 ",\"min\":%" PRIu64
               ",\"max\":%" PRIu64 ",\"buckets\":[",
            sw_hist_count(in.hist), sw_hist_min(in.hist), sw_hist_max(in.hist));
    sw_hist_iter it;
    sw_hist_iter_init(&it);
    int idx;
    uint64_t cnt;
    for (int first = 1; sw_hist_next(in.hist, &it, &idx, &cnt); first = 0)
        fprintf(f, "%s[%d,%" PRIu64 ",%" PRIu64 ",%" PRIu64 "]", first ? "" : ",", idx, cnt,
                sw_hist_bucket_lo(idx), sw_hist_bucket_hi(idx));
    fputs("]}", f);
}

/* "stats": [...] with every entry and the aggregate; full != 0 for --json. */
static void stats_array(FILE *f, const sw_stats *s, double now_s, int full)
{
    const sw_stats_entry **v;
    size_t n = sw_stats_entries(s, &v);
    fputs("\"stats\":[", f);
    for (size_t i = 0; i <= n; i++) {
        const sw_stats_entry *e = i < n ? v[i] : sw_stats_aggregated(s);
        fputs(i ? ",{" : "{", f);
        entry_fields(f, s, e, i == n, now_s);
        if (full)
            entry_more(f, s, e);
        fputc('}', f);
    }
    fputc(']', f);
    free(v);
}

static void errors_array(FILE *f, const sw_stats *s)
{
    sw_stats_error *v;
    size_t n = sw_stats_failures(s, &v);
    fputs("\"errors\":[", f);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",{" : "{", f);
        key(f, "method"); sw_export_json_str(f, v[i].method);
        fputc(',', f); key(f, "name"); sw_export_json_str(f, v[i].name);
        fputc(',', f); key(f, "error"); sw_export_json_str(f, v[i].message);
        fprintf(f, ",\"occurrences\":%" PRIu64 "}", v[i].count);
    }
    fputc(']', f);
    free(v);
}

static void exceptions_array(FILE *f, const sw_stats *s)
{
    sw_stats_error *v;
    size_t n = sw_stats_exceptions(s, &v);
    fputs("\"exceptions\":[", f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s{\"count\":%" PRIu64 ",", i ? "," : "", v[i].count);
        key(f, "message"); sw_export_json_str(f, v[i].message);
        fputc(',', f); key(f, "traceback"); sw_export_json_str(f, v[i].where);
        fputs(",\"nodes\":\"local\"}", f);
    }
    fputc(']', f);
    free(v);
}

static void history_array(FILE *f, const sw_history *h)
{
    size_t n = sw_history_count(h);
    fputs("\"history\":[", f);
    for (size_t i = 0; i < n; i++) {
        const sw_history_row *r = sw_history_row_at(h, i);
        fputs(i ? ",{\"time\":" : "{\"time\":", f);
        num(f, r->time);
        fprintf(f, ",\"user_count\":%d,\"rps\":", r->user_count);
        num(f, r->rps);
        fputs(",\"fail_per_sec\":", f);
        num(f, r->fail_per_sec);
        for (int k = 0; k < SW_STATS_NPCT; k++) {
            fprintf(f, ",\"%s\":", sw_stats_pct_keys[k]);
            sw_time_put(f, r->pct_us[k], sw_stats_pct_dir(sw_stats_pcts[k]));
        }
        fprintf(f, ",\"total_requests\":%" PRIu64 ",\"total_failures\":%" PRIu64
                   ",\"total_median\":", r->total_requests, r->total_failures);
        sw_time_put(f, r->total_median_us, SW_TIME_NEAR);
        fputs(",\"total_avg\":", f);
        num(f, r->total_avg);
        fputs(",\"total_min\":", f);
        sw_time_put(f, r->total_min_us, SW_TIME_DOWN);
        fputs(",\"total_max\":", f);
        sw_time_put(f, r->total_max_us, SW_TIME_UP);
        fputs(",\"total_avg_content_length\":", f);
        num(f, r->total_avg_content_length);
        fputc('}', f);
    }
    fputc(']', f);
}

/* ---------------------------------------------------------------- documents */

/* The head fields shared by /stats/requests and --json (no braces). */
static void head_fields(FILE *f, const sw_export_ctx *c)
{
    const sw_stats_entry *a = sw_stats_aggregated(c->stats);
    key(f, "state"); sw_export_json_str(f, c->state ? c->state : "ready");
    fprintf(f, ",\"user_count\":%d,\"total_rps\":", c->user_count);
    num(f, sw_stats_current_rps(c->stats, a, c->now_s));
    fputs(",\"total_fail_per_sec\":", f);
    num(f, sw_stats_current_fail_per_sec(c->stats, a, c->now_s));
    fputs(",\"fail_ratio\":", f);
    num(f, sw_stats_fail_ratio(a));
    fputc(',', f);
    sw_thr_json(f, c->stats);              /* issue 10 */
    fputc(',', f);
    sw_cancel_json(f);
    if (sw_plan_shape_stages() > 0)         /* issue 9: the load shape's progress */
        fprintf(f, ",\"shape_stage\":%d,\"shape_stages\":%d", sw_plan_shape_stage(),
                sw_plan_shape_stages());
    fputc(',', f);
    sw_arr_json(f);
    fputc(',', f);
    sw_self_json(f);
    fputs(",\"current_response_time_percentile_50\":", f);
    sw_time_put(f, sw_history_current_percentile_us(c->history, 0.5), SW_TIME_NEAR);
    fputs(",\"current_response_time_percentile_95\":", f);
    sw_time_put(f, sw_history_current_percentile_us(c->history, 0.95), SW_TIME_NEAR);
    fputc(',', f);
}

void sw_export_requests(FILE *f, const sw_export_ctx *c)
{
    fputc('{', f);
    head_fields(f, c);
    stats_array(f, c->stats, c->now_s, 0);
    fputc(',', f);
    errors_array(f, c->stats);
    fputc(',', f);
    exceptions_array(f, c->stats);
    if (sw_export_cluster)
        sw_export_cluster(f, 0);
    fputs("}\n", f);
}

void (*sw_export_cluster)(FILE *f, int result);

void sw_export_history(FILE *f, const sw_history *h)
{
    fputc('{', f);
    history_array(f, h);
    fputs("}\n", f);
}

void sw_export_exceptions(FILE *f, const sw_stats *s)
{
    fputc('{', f);
    exceptions_array(f, s);
    fputs("}\n", f);
}

static void opt_str(FILE *f, const char *k, const char *v)
{
    fprintf(f, ",\"%s\":", k);
    if (v)
        sw_export_json_str(f, v);
    else
        fputs("null", f);
}

static void options_object(FILE *f, const sw_export_run *run)
{
    const sw_opts *o = run->opts;
    fputs("\"options\":{", f);
    if (!o) {
        fputs("}", f);
        return;
    }
    fprintf(f, "\"users\":%d,\"hatch_rate\":", o->users);
    num(f, o->hatch_rate);
    fputs(",\"run_time_ms\":", f);
    if (o->run_time_ms >= 0)
        num(f, o->run_time_ms);
    else
        fputs("null", f);
    opt_str(f, "host", run->host);
    fprintf(f, ",\"seed\":%" PRIu64 ",\"seed_given\":%s,\"stop_timeout_ms\":",
            o->seed, o->seed_given ? "true" : "false");
    num(f, o->stop_timeout_ms);
    fprintf(f, ",\"headless\":%s,\"web\":%s", o->headless ? "true" : "false",
            o->web ? "true" : "false");
    opt_str(f, "web_host", o->web_host);
    fprintf(f, ",\"web_port\":%d", o->web_port);
    opt_str(f, "csv", o->csv_prefix);
    opt_str(f, "html", o->html_file);
    opt_str(f, "json", o->json_file);
    fprintf(f, ",\"exit_code_on_error\":%d}", o->exit_code_on_error);
}

void sw_export_result(FILE *f, const sw_export_ctx *c, const sw_export_run *run)
{
    fputs("{\"swarm_version\":", f);
    sw_export_json_str(f, SW_VERSION);
    fputs(",\"script\":", f);
    sw_export_json_str(f, run && run->script ? run->script : "");
    fputc(',', f);
    sw_export_run none = { 0 };
    options_object(f, run ? run : &none);
    fputs(",\"start_time\":", f);
    num(f, run ? run->start_time : 0);
    fputs(",\"end_time\":", f);
    num(f, run ? run->end_time : 0);
    fprintf(f, ",\"total_requests\":%" PRIu64 ",\"total_failures\":%" PRIu64
               ",\"total_exceptions\":%" PRIu64 ",",
            sw_stats_total_requests(c->stats), sw_stats_total_failures(c->stats),
            sw_stats_total_exceptions(c->stats));
    fputs("\"http\":", f);         /* engines and phase times (client.c) */
    sw_client_json(f);
    fputc(',', f);
    head_fields(f, c);
    stats_array(f, c->stats, c->now_s, 1);
    fputc(',', f);
    errors_array(f, c->stats);
    fputc(',', f);
    exceptions_array(f, c->stats);
    fputc(',', f);
    history_array(f, c->history);
    if (sw_export_cluster)
        sw_export_cluster(f, 1);
    fputs("}\n", f);
}

typedef struct result_args {
    const sw_export_ctx *c;
    const sw_export_run *run;
} result_args;

static void result_body(FILE *f, const void *arg)
{
    const result_args *a = arg;
    sw_export_result(f, a->c, a->run);
}

int sw_export_result_file(const char *path, const sw_export_ctx *c, const sw_export_run *run)
{
    result_args a = { c, run };
    return sw_file_write(path, NULL, result_body, &a);
}

/* ---------------------------------------------------------------- Prometheus */

/* A label value: \, " and line feeds escaped. */
void sw_export_prom_label(FILE *f, const char *k, const char *v)
{
    fprintf(f, "%s=\"", k);
    for (const char *p = v ? v : ""; *p; p++) {
        if (*p == '\\' || *p == '"')
            fputc('\\', f);
        if (*p == '\n')
            fputs("\\n", f);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void labels(FILE *f, const sw_stats_info *in)
{
    sw_export_prom_label(f, "method", in->method);
    fputc(',', f);
    sw_export_prom_label(f, "name", in->name);
}

/* The cumulative bucket lines of one entry: each histogram bucket counts
 * at its reported value (midpoint clamped to min/max, as percentiles). */
static void metric_hist(FILE *f, const sw_stats_info *in)
{
    uint64_t cum[SW_EXPORT_NBOUNDS] = { 0 };
    uint64_t lo = sw_hist_min(in->hist), hi = sw_hist_max(in->hist);
    sw_hist_iter it;
    sw_hist_iter_init(&it);
    int idx;
    uint64_t cnt;
    while (sw_hist_next(in->hist, &it, &idx, &cnt)) {
        uint64_t a = sw_hist_bucket_lo(idx), b = sw_hist_bucket_hi(idx);
        uint64_t v = a + (b - a + 1) / 2;
        if (v < lo) v = lo;
        if (v > hi) v = hi;
        for (int k = 0; k < SW_EXPORT_NBOUNDS; k++)
            if ((double)v <= sw_export_bounds[k] * 1e6)
                cum[k] += cnt;
    }
    for (int k = 0; k < SW_EXPORT_NBOUNDS; k++) {
        fputs("swarm_response_time_seconds_bucket{", f);
        labels(f, in);
        fprintf(f, ",le=\"%g\"} %" PRIu64 "\n", sw_export_bounds[k], cum[k]);
    }
    fputs("swarm_response_time_seconds_bucket{", f);
    labels(f, in);
    fprintf(f, ",le=\"+Inf\"} %" PRIu64 "\n", sw_hist_count(in->hist));
    fputs("swarm_response_time_seconds_sum{", f);
    labels(f, in);
    fprintf(f, "} %.6f\n", (double)in->total_us / 1e6);
    fputs("swarm_response_time_seconds_count{", f);
    labels(f, in);
    fprintf(f, "} %" PRIu64 "\n", sw_hist_count(in->hist));
}

void sw_export_metrics(FILE *f, const sw_export_ctx *c)
{
    static const char *const states[] = { "ready", "hatching", "running", "stopping", "stopped" };
    const sw_stats_entry **v;
    size_t n = sw_stats_entries(c->stats, &v);
    sw_stats_info in;
    fputs("# HELP swarm_requests_total Requests completed, failures included.\n"
          "# TYPE swarm_requests_total counter\n", f);
    for (size_t i = 0; i < n; i++) {
        sw_stats_entry_info(v[i], &in);
        fputs("swarm_requests_total{", f);
        labels(f, &in);
        fprintf(f, "} %" PRIu64 "\n", in.num_requests);
    }
    fputs("# HELP swarm_failures_total Requests that failed.\n"
          "# TYPE swarm_failures_total counter\n", f);
    for (size_t i = 0; i < n; i++) {
        sw_stats_entry_info(v[i], &in);
        fputs("swarm_failures_total{", f);
        labels(f, &in);
        fprintf(f, "} %" PRIu64 "\n", in.num_failures);
    }
    fputs("# HELP swarm_response_time_seconds Response times.\n"
          "# TYPE swarm_response_time_seconds histogram\n", f);
    for (size_t i = 0; i < n; i++) {
        sw_stats_entry_info(v[i], &in);
        metric_hist(f, &in);
    }
    free(v);
    fputs("# HELP swarm_exceptions_total Runtime errors outside response blocks.\n"
          "# TYPE swarm_exceptions_total counter\n", f);
    fprintf(f, "swarm_exceptions_total %" PRIu64 "\n", sw_stats_total_exceptions(c->stats));
    fputs("# HELP swarm_users Users running.\n# TYPE swarm_users gauge\n", f);
    fprintf(f, "swarm_users %d\n", c->user_count);
    fputs("# HELP swarm_current_rps Requests per second over the last 10 s.\n"
          "# TYPE swarm_current_rps gauge\nswarm_current_rps ", f);
    num(f, sw_stats_current_rps(c->stats, sw_stats_aggregated(c->stats), c->now_s));
    fputs("\n# HELP swarm_state The run's state (1 for the current one).\n"
          "# TYPE swarm_state gauge\n", f);
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
        fprintf(f, "swarm_state{state=\"%s\"} %d\n", states[i],
                c->state && strcmp(c->state, states[i]) == 0);
    sw_self_metrics(f);                    /* issue 10 */
    if (sw_export_cluster)
        sw_export_cluster(f, 2);           /* a master: each slave's figures */
}
