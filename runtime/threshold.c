/*
 * threshold.c -- parsing, evaluating and reporting thresholds (see
 * threshold.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <event2/event.h>

#include "export.h"
#include "file.h"
#include "hist.h"
#include "threshold.h"

static struct {
    sw_thr_spec spec[SW_THR_LIMIT];
    int from_cli[SW_THR_LIMIT];
    int aborted[SW_THR_LIMIT];
    int n;
    struct event *timer;           /* the abort check, every second */
    void (*on_abort)(const char *text, void *arg);
    void *arg;
    int fired;
} T;

int sw_thr_setup(const sw_script *s, const sw_opts *o, char *err, size_t errlen)
{
    char why[256];
    sw_thr_free();
    int ns = s ? s->nthresholds : 0, no = o ? o->nthresholds : 0;
    if (ns + no > SW_THR_LIMIT) {
        snprintf(err, errlen, "swarm: %d thresholds given, at most %d are supported; "
                 "remove some", ns + no, SW_THR_LIMIT);
        return -1;
    }
    for (int i = 0; i < ns + no; i++) {
        const char *text = i < ns ? s->thresholds[i] : o->thresholds[i - ns];
        if (sw_thr_parse(text, &T.spec[T.n], why, sizeof why, NULL, NULL) != 0) {
            snprintf(err, errlen, "swarm: %s '%s': %s", i < ns ? "the script's threshold"
                     : "--threshold", text, why);
            return -1;
        }
        T.from_cli[T.n++] = i >= ns;
    }
    return 0;
}

void sw_thr_unwatch(void)
{
    if (T.timer)
        event_free(T.timer);
    T.timer = NULL;
}

void sw_thr_free(void)
{
    sw_thr_unwatch();
    memset(&T, 0, sizeof T);
}

int sw_thr_count(void)
{
    return T.n;
}

/* The entry a threshold reads, or NULL. */
static const sw_stats_entry *entry_of(const sw_stats *st, const sw_thr_spec *t)
{
    return t->all ? sw_stats_aggregated(st) : sw_stats_find(st, t->method, t->name);
}

/* Evaluate one threshold. */
static void eval_one(const sw_stats *st, int i, sw_thr_result *r)
{
    const sw_thr_spec *t = &T.spec[i];
    const sw_stats_entry *e = entry_of(st, t);
    sw_stats_info in;
    memset(r, 0, sizeof *r);
    memset(&in, 0, sizeof in);
    r->spec = t;
    r->from_cli = T.from_cli[i];
    r->aborted = T.aborted[i];
    if (e)
        sw_stats_entry_info(e, &in);
    r->has_data = in.num_requests > 0;
    switch (t->metric) {
    case SW_THR_PCT:
        r->observed = t->q >= 1 ? in.max_us / 1000.0
                      : in.hist ? sw_hist_percentile(in.hist, t->q) / 1000.0 : 0;
        break;
    case SW_THR_AVG:
        r->observed = in.num_requests ? (double)in.total_us / in.num_requests / 1000.0 : 0;
        break;
    case SW_THR_MIN: r->observed = in.min_us / 1000.0; break;
    case SW_THR_MAX: r->observed = in.max_us / 1000.0; break;
    case SW_THR_FAIL_RATIO: r->observed = e ? sw_stats_fail_ratio(e) : 0; break;
    case SW_THR_RPS: r->observed = e ? sw_stats_total_rps(st, e) : 0; break;
    }
    double v = r->observed, lim = t->value;
    int ok = t->op == SW_THR_LT ? v < lim : t->op == SW_THR_LE ? v <= lim
             : t->op == SW_THR_GT ? v > lim : v >= lim;
    int needs_data = t->metric != SW_THR_FAIL_RATIO && t->metric != SW_THR_RPS;
    r->passed = ok && (r->has_data || !needs_data) && !r->aborted;
}

int sw_thr_eval(const sw_stats *st, sw_thr_result *out)
{
    int failed = 0;
    for (int i = 0; i < T.n; i++) {
        sw_thr_result r;
        eval_one(st, i, &r);
        failed += !r.passed;
        if (out)
            out[i] = r;
    }
    return failed;
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what; (void)arg;
    if (T.fired)
        return;
    for (int i = 0; i < T.n; i++) {
        sw_thr_result r;
        if (!T.spec[i].abort || T.spec[i].metric == SW_THR_RPS)
            continue;
        eval_one(sw_rt.stats, i, &r);
        if (r.has_data && !r.passed) {
            T.aborted[i] = 1;
            T.fired = 1;
            if (T.on_abort)
                T.on_abort(T.spec[i].text, T.arg);
            return;
        }
    }
}

int sw_thr_watch(struct event_base *base, void (*on_abort)(const char *text, void *arg),
                 void *arg)
{
    int any = 0;
    for (int i = 0; i < T.n; i++)
        any |= T.spec[i].abort && T.spec[i].metric != SW_THR_RPS;
    if (!any)
        return 0;
    sw_thr_unwatch();
    T.on_abort = on_abort;
    T.arg = arg;
    T.fired = 0;
    T.timer = event_new(base, -1, EV_PERSIST, on_tick, NULL);
    if (!T.timer)
        return -1;
    sw_timer_ms(T.timer, 1000);
    return 0;
}

/* The observed value with its unit ("12.34 ms", "0.50%", "51.2/s"). */
static void observed_text(const sw_thr_result *r, char *buf, size_t n)
{
    const sw_thr_spec *t = r->spec;
    if (t->metric == SW_THR_FAIL_RATIO)
        snprintf(buf, n, "%.2f%%", r->observed * 100.0);
    else if (t->metric == SW_THR_RPS)
        snprintf(buf, n, "%.2f/s", r->observed);
    else if (!r->has_data)
        snprintf(buf, n, "no requests");
    else {                          /* stats.h's time text, as in the JSON */
        char t[SW_TIME_TEXT_MAX];
        snprintf(buf, n, "%s ms", sw_time_ms_text(t, r->observed));
    }
}

void sw_thr_report(FILE *f, const sw_stats *st)
{
    if (!T.n)
        return;
    sw_thr_result r[SW_THR_LIMIT];
    int failed = sw_thr_eval(st, r);
    fprintf(f, "Thresholds: %d passed, %d failed\n", T.n - failed, failed);
    for (int i = 0; i < T.n; i++) {
        char m[32], obs[64];
        sw_thr_metric_text(r[i].spec, m, sizeof m);
        observed_text(&r[i], obs, sizeof obs);
        fprintf(f, "  %s  %-44s %s = %s%s\n", r[i].passed ? "PASS" : "FAIL", r[i].spec->text,
                m, obs, r[i].aborted ? " (aborted the run)" : "");
    }
    fputc('\n', f);
}

static void num(FILE *f, double x)
{
    fprintf(f, "%.15g", isfinite(x) ? x : 0);
}

void sw_thr_json(FILE *f, const sw_stats *st)
{
    sw_thr_result r[SW_THR_LIMIT];
    sw_thr_eval(st, r);
    fputs("\"thresholds\":[", f);
    for (int i = 0; i < T.n; i++) {
        const sw_thr_spec *t = r[i].spec;
        char m[32], entry[SW_THR_TEXT_MAX + 40];
        sw_thr_metric_text(t, m, sizeof m);
        if (t->all)
            snprintf(entry, sizeof entry, "Aggregated");
        else
            snprintf(entry, sizeof entry, "%s %s", t->method, t->name);
        fputs(i ? ",{\"threshold\":" : "{\"threshold\":", f);
        sw_export_json_str(f, t->text);
        fputs(",\"entry\":", f);
        sw_export_json_str(f, entry);
        fprintf(f, ",\"metric\":\"%s\",\"op\":\"%s\",\"limit\":", m, sw_thr_op_text(t->op));
        num(f, t->value);
        fputs(",\"observed\":", f);
        if (r[i].has_data || t->metric == SW_THR_FAIL_RATIO || t->metric == SW_THR_RPS)
            num(f, r[i].observed);
        else
            fputs("null", f);
        fprintf(f, ",\"unit\":\"%s\",\"passed\":%s,\"abort\":%s,\"aborted\":%s,\"source\":\"%s\"}",
                t->metric == SW_THR_FAIL_RATIO ? "ratio" : t->metric == SW_THR_RPS ? "1/s" : "ms",
                r[i].passed ? "true" : "false", t->abort ? "true" : "false",
                r[i].aborted ? "true" : "false", r[i].from_cli ? "command line" : "script");
    }
    fputc(']', f);
}

/* XML text with &, <, >, " escaped and control bytes dropped. */
static void xml(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '&') fputs("&amp;", f);
        else if (c == '<') fputs("&lt;", f);
        else if (c == '>') fputs("&gt;", f);
        else if (c == '"') fputs("&quot;", f);
        else if (c >= 0x20 || c == '\t' || c == '\n') fputc(c, f);
    }
}

typedef struct junit_args {
    const sw_stats *st;
    double duration_s;
} junit_args;

static void junit_body(FILE *f, const void *arg)
{
    const junit_args *a = arg;
    sw_thr_result r[SW_THR_LIMIT];
    int failed = sw_thr_eval(a->st, r);
    uint64_t reqs = sw_stats_total_requests(a->st), fails = sw_stats_total_failures(a->st);
    failed += fails > 0;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<testsuites name=\"swarm\" tests=\"%d\" failures=\"%d\" time=\"%.3f\">\n"
               "  <testsuite name=\"", T.n + 1, failed, a->duration_s);
    xml(f, sw_rt.script && sw_rt.script->file ? sw_rt.script->file : "swarm");
    fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"0\" time=\"%.3f\">\n", T.n + 1, failed,
            a->duration_s);
    for (int i = 0; i < T.n; i++) {
        char m[32], obs[64];
        sw_thr_metric_text(r[i].spec, m, sizeof m);
        observed_text(&r[i], obs, sizeof obs);
        fputs("    <testcase classname=\"swarm.thresholds\" name=\"", f);
        xml(f, r[i].spec->text);
        fputs("\" time=\"0\"", f);
        if (r[i].passed) {
            fputs("/>\n", f);
            continue;
        }
        fputs(">\n      <failure message=\"", f);
        xml(f, m);
        fputs(" = ", f);
        xml(f, obs);
        fputs(r[i].aborted ? " (aborted the run)" : "", f);
        fputs("\" type=\"threshold\"/>\n    </testcase>\n", f);
    }
    fputs("    <testcase classname=\"swarm.requests\" name=\"no failed requests\" time=\"0\"", f);
    if (fails)
        fprintf(f, ">\n      <failure message=\"%" PRIu64 " of %" PRIu64 " requests failed\" "
                   "type=\"requests\"/>\n    </testcase>\n", fails, reqs);
    else
        fputs("/>\n", f);
    fputs("  </testsuite>\n</testsuites>\n", f);
}

int sw_thr_junit(const char *path, const sw_stats *st, double duration_s)
{
    junit_args a = { st, duration_s };
    return sw_file_write(path, NULL, junit_body, &a);
}
