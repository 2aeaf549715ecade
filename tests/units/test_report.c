/*
 * test_report.c -- the console tables and CSV files, parsed back and checked
 * against ground truth kept by the test itself (sorted samples, counts,
 * synthetic timestamps), plus Locust's exact row layout and CSV quoting.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "report.h"

static uint64_t rng_state = 0x1234567887654321ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Ground truth for one (method, name). */
typedef struct truth {
    const char *method, *name;
    uint64_t *v;                 /* samples (us), sorted after recording */
    uint64_t n, fails, sum, bytes;
    uint64_t per_sec[40], fail_sec[40];   /* by second - 2000 */
} truth;

#define T0 2000.0

static uint64_t ms_round(double ms) { return (uint64_t)floor(ms + 0.5); }
/* The reported min and max: floor and ceiling of the exact microseconds. */
static uint64_t ms_floor(uint64_t us) { return us / 1000; }
static uint64_t ms_ceil(uint64_t us) { return (us + 999) / 1000; }

/* Exact nearest-rank percentile q = num/den, rounded to ms. */
static uint64_t exact_pct_ms(const truth *t, uint64_t num, uint64_t den)
{
    uint64_t r = (num * t->n + den - 1) / den;
    if (r < 1) r = 1;
    return ms_round((double)t->v[r - 1] / 1000.0);
}

static int close_ms(uint64_t got, uint64_t want)
{
    double d = fabs((double)got - (double)want);
    return d <= 1 || d <= 0.011 * (double)want;   /* 1% bucket + ms rounding */
}

static char *slurp(FILE *f)
{
    fflush(f);
    long n = ftell(f);
    char *b = malloc((size_t)n + 1);
    rewind(f);
    size_t got = fread(b, 1, (size_t)n, f);
    b[got] = 0;
    return b;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    char *b = slurp(f);
    fclose(f);
    return b;
}

/* Next line of *p (without '\n'), advancing *p; NULL at end. Modifies buffer. */
static char *dupstr(const char *s)
{
    char *d = malloc(strlen(s) + 1);
    strcpy(d, s);
    return d;
}

static char *next_line(char **p)
{
    if (!*p || !**p)
        return NULL;
    char *l = *p, *nl = strchr(l, '\n');
    if (nl) {
        *nl = 0;
        *p = nl + 1;
    } else {
        *p = l + strlen(l);
    }
    return l;
}

static void rtrim(char *s)
{
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        s[--n] = 0;
}

/* One CSV record from *p into fields (malloc'd), RFC 4180 quoting. Returns
 * the field count, 0 at end. */
static int csv_record(const char **p, char **fields, int max)
{
    const char *s = *p;
    if (!*s)
        return 0;
    int n = 0;
    for (;;) {
        char *out = malloc(strlen(s) + 1), *o = out;
        if (*s == '"') {
            s++;
            for (;;) {
                if (*s == '"' && s[1] == '"') { *o++ = '"'; s += 2; }
                else if (*s == '"') { s++; break; }
                else if (!*s) break;
                else *o++ = *s++;
            }
        } else {
            while (*s && *s != ',' && *s != '\n')
                *o++ = *s++;
        }
        *o = 0;
        if (n < max) fields[n++] = out; else free(out);
        if (*s == ',') { s++; continue; }
        if (*s == '\n') s++;
        break;
    }
    *p = s;
    return n;
}

static void free_fields(char **f, int n)
{
    for (int i = 0; i < n; i++)
        free(f[i]);
}

enum { NT = 4 };
static truth tr[NT] = {
    { "GET", "/resources/{id}", 0, 0, 0, 0, 0, { 0 }, { 0 } },
    { "POST", "/login", 0, 0, 0, 0, 0, { 0 }, { 0 } },
    { "GET", "/search?q=a,b \"quoted\"\nline", 0, 0, 0, 0, 0, { 0 }, { 0 } },
    { "DELETE", "/x", 0, 0, 0, 0, 0, { 0 }, { 0 } },
};
static truth agg = { "", "Aggregated", 0, 0, 0, 0, 0, { 0 }, { 0 } };

static void add_sample(truth *t, uint64_t us, uint64_t bytes, int failed, int sec)
{
    t->v[t->n++] = us;
    t->fails += failed;
    t->sum += us;
    t->bytes += bytes;
    t->per_sec[sec]++;
    t->fail_sec[sec] += failed;
}

static sw_stats *build(void)
{
    sw_stats *s = sw_stats_new();
    enum { N = 6000 };
    agg.v = malloc(N * sizeof(uint64_t));
    for (int i = 0; i < NT; i++)
        tr[i].v = malloc(N * sizeof(uint64_t));
    for (int i = 0; i < N; i++) {
        int k = (int)(rnd() % NT), f = rnd() % (k == 1 ? 4 : 50) == 0;
        uint64_t us = k == 3 ? 100 + rnd() % 400 : 1000 + rnd() % (k == 0 ? 90000 : 4000000);
        uint64_t bytes = rnd() % 2000;
        double t = T0 + 30.0 * i / N;
        int sec = (int)(t - T0);
        sw_stats_request(s, tr[k].method, tr[k].name, us, bytes, f ? (k == 1 ? "HTTP 500" : "timeout, \"slow\"") : NULL, t);
        add_sample(&tr[k], us, bytes, f, sec);
        add_sample(&agg, us, bytes, f, sec);
    }
    for (int i = 0; i < NT; i++)
        qsort(tr[i].v, tr[i].n, sizeof(uint64_t), cmp_u64);
    qsort(agg.v, agg.n, sizeof(uint64_t), cmp_u64);
    sw_stats_exception(s, "division by zero", "t.swarm:7:3");
    sw_stats_exception(s, "division by zero", "t.swarm:7:3");
    sw_stats_exception(s, "bad, \"json\"", "t.swarm:9:1");
    return s;
}

static truth *truth_for(const char *method, const char *name)
{
    if (!strcmp(name, "Aggregated") && !*method)
        return &agg;
    for (int i = 0; i < NT; i++)
        if (!strcmp(tr[i].method, method) && !strncmp(tr[i].name, name, 8))
            return &tr[i];
    return NULL;
}

static double truth_current_rps(const truth *t, int now_sec, int fails)
{
    uint64_t sum = 0;
    for (int k = now_sec - 10; k < now_sec; k++)
        sum += fails ? t->fail_sec[k] : t->per_sec[k];
    return (double)sum / 10.0;
}

static void test_table(const sw_stats *s)
{
    FILE *f = tmpfile();
    double now = T0 + 25.5;
    sw_report_table(f, s, now);
    char *buf = slurp(f), *orig = dupstr(buf), *p = buf, *l;
    fclose(f);
    l = next_line(&p);
    /* the Name column: longest name is the 27-column "/search..." one */
    char want[256];
    snprintf(want, sizeof want, "%-8s %-27s %7s %12s |%7s %7s %7s%7s | %7s %11s", "Type", "Name",
             "# reqs", "# fails", "Avg", "Min", "Max", "Med", "req/s", "failures/s");
    CHECK(l && !strcmp(l, want), "table header in Locust's layout");
    l = next_line(&p);
    CHECK(l && strspn(l, "-|") == strlen(l) && strlen(l) == strlen(want), "separator line as wide as the header");
    int rows = 0, ok = 1, layout = 1, sorted = 1, seen_sep = 0, agg_last = 0;
    char prev[64] = "";
    while ((l = next_line(&p)) && *l) {
        if (l[0] == '-') { seen_sep++; continue; }
        char type[16], name[64];
        memcpy(type, l, 8); type[8] = 0; rtrim(type);
        memcpy(name, l + 9, 27); name[27] = 0; rtrim(name);
        uint64_t n, fails, avg, mn, mx, med;
        double ratio, rps, fps;
        if (sscanf(l + 37, "%" SCNu64 " %" SCNu64 "(%lf%%) |%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " | %lf %lf",
                   &n, &fails, &ratio, &avg, &mn, &mx, &med, &rps, &fps) != 9) {
            printf("# unparsable: %s\n", l);
            ok = 0;
            continue;
        }
        truth *t = truth_for(type, name);
        if (!t) { ok = 0; continue; }
        rows++;
        agg_last = t == &agg && seen_sep == 1;
        if (t != &agg) {
            if (strcmp(prev, name) > 0) sorted = 0;
            snprintf(prev, sizeof prev, "%s", name);
        }
        uint64_t wmed = exact_pct_ms(t, 1, 2);
        double wrps = truth_current_rps(t, 25, 0), wfps = truth_current_rps(t, 25, 1);
        if (n != t->n || fails != t->fails || fabs(ratio - 100.0 * (double)t->fails / (double)t->n) > 0.006
            || avg != ms_round((double)t->sum / (double)t->n / 1000.0)
            || mn != ms_floor(t->v[0]) || mx != ms_ceil(t->v[t->n - 1])
            || !close_ms(med, wmed) || fabs(rps - wrps) > 0.006 || fabs(fps - wfps) > 0.006) {
            printf("# row mismatch: %s (want n=%" PRIu64 " med=%" PRIu64 " rps=%.2f)\n", l, t->n, wmed, wrps);
            ok = 0;
        }
        /* the whole row re-created with Locust's format string */
        if (t != &tr[2]) {
            char fl[64], row[256];
            snprintf(fl, sizeof fl, "%" PRIu64 "(%.2f%%)", fails, ratio);
            snprintf(row, sizeof row, "%-8s %-27s %7" PRIu64 " %12s |%7" PRIu64 " %7" PRIu64 " %7" PRIu64 "%7" PRIu64 " | %7.2f %11.2f",
                     t->method, t->name, n, fl, avg, mn, mx, med, rps, fps);
            if (strcmp(row, l)) { printf("# layout: %s\n#   want: %s\n", l, row); layout = 0; }
        }
    }
    CHECK(rows == NT + 1 && ok, "every row's values match the ground truth (%d rows)", rows);
    CHECK(layout, "rows follow Locust's column layout exactly");
    CHECK(sorted && agg_last && seen_sep == 1, "rows sorted by name, separator, then Aggregated");
    CHECK(strstr(orig, "/search?q=a,b \"quoted\"?line") != NULL, "control characters in names are neutralised");
    free(buf);
    free(orig);

    /* whole-run rates when now_s <= 0 */
    f = tmpfile();
    sw_report_table(f, s, 0);
    buf = slurp(f);
    fclose(f);
    const sw_stats_entry *a = sw_stats_aggregated(s);
    sw_stats_info in;
    sw_stats_entry_info(a, &in);
    char tail[64];
    snprintf(tail, sizeof tail, "| %7.2f %11.2f\n", (double)agg.n / (in.last_s - in.start_s),
             (double)agg.fails / (in.last_s - in.start_s));
    char *last = strstr(buf, "         Aggregated");
    CHECK(last && strstr(last, tail), "final table shows whole-run req/s and failures/s");
    free(buf);
}

static void test_percentiles(const sw_stats *s)
{
    static const uint64_t num[] = { 50, 66, 75, 80, 90, 95, 98, 99, 999, 9999, 1 };
    static const uint64_t den[] = { 100, 100, 100, 100, 100, 100, 100, 100, 1000, 10000, 1 };
    FILE *f = tmpfile();
    sw_report_percentiles(f, s);
    char *buf = slurp(f), *p = buf, *l;
    fclose(f);
    l = next_line(&p);
    CHECK(l && !strcmp(l, "Response time percentiles (approximated)"), "percentile title");
    l = next_line(&p);
    CHECK(l && !strcmp(l, "Type     Name                             50%    66%    75%    80%    90%    95%    98%    99%  99.9% 99.99%   100% # reqs"),
          "percentile header");
    int rows = 0, ok = 1;
    while ((l = next_line(&p)) && *l) {
        if (l[0] == '-')
            continue;
        char type[16], name[64];
        memcpy(type, l, 8); type[8] = 0; rtrim(type);
        memcpy(name, l + 9, 27); name[27] = 0; rtrim(name);
        truth *t = truth_for(type, name);
        uint64_t v[12];
        if (!t || sscanf(l + 36, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
                         " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64,
                         &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11]) != 12) {
            ok = 0;
            continue;
        }
        rows++;
        for (int i = 0; i < 11; i++)
            if (!close_ms(v[i], exact_pct_ms(t, num[i], den[i]))) {
                printf("# %s %s p%d: %" PRIu64 " want %" PRIu64 "\n", type, name, i, v[i], exact_pct_ms(t, num[i], den[i]));
                ok = 0;
            }
        if (v[10] != ms_ceil(t->v[t->n - 1]) || v[11] != t->n)
            ok = 0;
    }
    CHECK(ok && rows == NT + 1, "percentile rows match exact nearest-rank percentiles (%d rows)", rows);
    free(buf);
}

static void test_failures(const sw_stats *s)
{
    FILE *f = tmpfile();
    sw_report_failures(f, s);
    char *buf = slurp(f), *p = buf, *l;
    fclose(f);
    CHECK(strncmp(buf, "Error report\n# occurrences      Error\n", 38) == 0, "failure table header");
    int ok = 1, rows = 0, exc = 0;
    uint64_t sum = 0;
    while ((l = next_line(&p))) {
        if (!strcmp(l, "Exceptions")) exc = 1;
        uint64_t n;
        int off = 0;
        if (sscanf(l, "%" SCNu64 " %n", &n, &off) != 1 || off != 19)
            continue;
        rows++;
        if (exc) {
            ok &= (n == 2 && !strcmp(l + 19, "t.swarm:7:3: division by zero"))
                || (n == 1 && !strcmp(l + 19, "t.swarm:9:1: bad, \"json\""));
            continue;
        }
        sum += n;
        if (!strncmp(l + 19, "POST /login: HTTP 500", 21))
            ok &= n == tr[1].fails;
        else if (!strncmp(l + 19, "GET /resources/{id}: timeout", 28))
            ok &= n == tr[0].fails;
    }
    CHECK(ok && rows == 4 + 2 && sum == agg.fails, "failure and exception rows carry their occurrences (%d)", rows);
    free(buf);
    sw_stats *empty = sw_stats_new();
    f = tmpfile();
    sw_report_failures(f, empty);
    CHECK(ftell(f) == 0, "no failure table without failures");
    fclose(f);
    sw_stats_free(empty);
}

static void test_csv(const sw_stats *s)
{
    char dir[] = "/tmp/test_reportXXXXXX";
    CHECK(mkdtemp(dir) != NULL, "temp dir");
    char prefix[128], path[160];
    snprintf(prefix, sizeof prefix, "%s/run", dir);
    CHECK(sw_report_csv(prefix, s, T0 + 30) == 0, "CSV files written");
    snprintf(path, sizeof path, "%s_stats.csv", prefix);
    char *buf = read_file(path);
    const char *p = buf;
    char *fl[32];
    int n = csv_record(&p, fl, 32);
    const char *hdr[] = { "Type", "Name", "Request Count", "Failure Count", "Median Response Time",
        "Average Response Time", "Min Response Time", "Max Response Time", "Average Content Size",
        "Requests/s", "Failures/s", "50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%",
        "99.99%", "100%" };
    int ok = n == 22;
    for (int i = 0; ok && i < 22; i++)
        ok = !strcmp(fl[i], hdr[i]);
    free_fields(fl, n);
    CHECK(ok, "_stats.csv header is exactly Locust's");
    int rows = 0, good = 1, order = 1;
    const sw_stats_entry *a = sw_stats_aggregated(s);
    sw_stats_info in;
    sw_stats_entry_info(a, &in);
    double span = in.last_s - in.start_s;
    char prevn[128] = "", prevm[16] = "";
    while ((n = csv_record(&p, fl, 32)) > 0) {
        rows++;
        truth *t = NULL;
        for (int i = 0; i < NT; i++)
            if (n == 22 && !strcmp(fl[0], tr[i].method) && !strcmp(fl[1], tr[i].name))
                t = &tr[i];
        if (n == 22 && !fl[0][0] && !strcmp(fl[1], "Aggregated"))
            t = &agg;
        if (!t) { good = 0; free_fields(fl, n); continue; }
        if (t != &agg) {
            int c = strcmp(prevn, fl[1]);
            if (c > 0 || (c == 0 && strcmp(prevm, fl[0]) >= 0)) order = 0;
            snprintf(prevn, sizeof prevn, "%s", fl[1]);
            snprintf(prevm, sizeof prevm, "%s", fl[0]);
        } else if (rows != NT + 1) {
            order = 0;
        }
        good &= strtoull(fl[2], NULL, 10) == t->n && strtoull(fl[3], NULL, 10) == t->fails
            && close_ms(strtoull(fl[4], NULL, 10), exact_pct_ms(t, 1, 2))
            && fabs(strtod(fl[5], NULL) - (double)t->sum / (double)t->n / 1000.0) <= 0.005
            && strtoull(fl[6], NULL, 10) == ms_floor(t->v[0])
            && strtoull(fl[7], NULL, 10) == ms_ceil(t->v[t->n - 1])
            && fabs(strtod(fl[8], NULL) - (double)t->bytes / (double)t->n) <= 0.005
            && fabs(strtod(fl[9], NULL) - (double)t->n / span) <= 0.005
            && fabs(strtod(fl[10], NULL) - (double)t->fails / span) <= 0.005
            && close_ms(strtoull(fl[11], NULL, 10), exact_pct_ms(t, 1, 2))
            && close_ms(strtoull(fl[20], NULL, 10), exact_pct_ms(t, 9999, 10000))
            && strtoull(fl[21], NULL, 10) == ms_ceil(t->v[t->n - 1]);
        free_fields(fl, n);
    }
    CHECK(rows == NT + 1 && good, "_stats.csv rows match the ground truth (%d rows)", rows);
    CHECK(order, "_stats.csv sorted by name then method, Aggregated last with empty Type");
    CHECK(strstr(buf, "\"/search?q=a,b \"\"quoted\"\"\nline\"") != NULL, "CSV quotes commas, quotes and newlines");
    free(buf);

    snprintf(path, sizeof path, "%s_failures.csv", prefix);
    buf = read_file(path);
    p = buf;
    n = csv_record(&p, fl, 8);
    ok = n == 4 && !strcmp(fl[0], "Method") && !strcmp(fl[1], "Name") && !strcmp(fl[2], "Error")
        && !strcmp(fl[3], "Occurrences");
    free_fields(fl, n);
    CHECK(ok, "_failures.csv header");
    uint64_t sum = 0;
    rows = 0;
    good = 1;
    while ((n = csv_record(&p, fl, 8)) > 0) {
        rows++;
        truth *t = NULL;
        for (int i = 0; i < NT; i++)
            if (n == 4 && !strcmp(fl[0], tr[i].method) && !strcmp(fl[1], tr[i].name))
                t = &tr[i];
        if (!t || strtoull(fl[3], NULL, 10) != t->fails
            || strcmp(fl[2], t == &tr[1] ? "HTTP 500" : "timeout, \"slow\""))
            good = 0;
        sum += n == 4 ? strtoull(fl[3], NULL, 10) : 0;
        free_fields(fl, n);
    }
    CHECK(good && rows == 4 && sum == agg.fails, "_failures.csv rows (method, name, error, occurrences)");
    free(buf);

    snprintf(path, sizeof path, "%s_exceptions.csv", prefix);
    buf = read_file(path);
    CHECK(buf && !strcmp(buf, "Count,Message,Traceback,Nodes\n"
                               "2,division by zero,t.swarm:7:3,local\n"
                               "1,\"bad, \"\"json\"\"\",t.swarm:9:1,local\n"), "_exceptions.csv rows");
    free(buf);

    snprintf(path, sizeof path, "%s_stats.csv.tmp", prefix);
    CHECK(access(path, F_OK) != 0, "no temporary file left behind");
    for (int i = 0; i < 3; i++) {
        static const char *suf[] = { "_stats.csv", "_failures.csv", "_exceptions.csv" };
        snprintf(path, sizeof path, "%s%s", prefix, suf[i]);
        unlink(path);
    }
    rmdir(dir);

    snprintf(prefix, sizeof prefix, "%s/missing/run", dir);
    errno = 0;
    CHECK(sw_report_csv(prefix, s, 0) == -1 && errno == ENOENT, "unwritable prefix: -1 with errno");
}

static void test_empty(void)
{
    sw_stats *s = sw_stats_new();
    FILE *f = tmpfile();
    sw_report_table(f, s, 100);
    sw_report_percentiles(f, s);
    char *buf = slurp(f);
    fclose(f);
    CHECK(strstr(buf, "         Aggregated                 0     0(0.00%) |      0       0       0      0 |    0.00        0.00\n") != NULL,
          "empty statistics: a zero Aggregated row");
    free(buf);
    char dir[] = "/tmp/test_reportXXXXXX", prefix[128], path[160];
    mkdtemp(dir);
    snprintf(prefix, sizeof prefix, "%s/e", dir);
    sw_report_csv(prefix, s, 0);
    snprintf(path, sizeof path, "%s_stats.csv", prefix);
    buf = read_file(path);
    CHECK(buf && strstr(buf, "\n,Aggregated,0,0,0,0.00,0,0,0.00,0.00,0.00,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A\n"),
          "empty statistics: N/A percentiles in CSV");
    free(buf);
    unlink(path);
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s%s", prefix, i ? "_failures.csv" : "_exceptions.csv");
        unlink(path);
    }
    rmdir(dir);
    sw_report_table(NULL, s, 0);
    sw_report_table(stdout, NULL, 0);
    CHECK(sw_report_csv(NULL, s, 0) == -1, "NULL prefix refused");
    sw_stats_free(s);
}

static void test_long_names(void)
{
    sw_stats *s = sw_stats_new();
    char longname[200];
    memset(longname, 'x', sizeof longname);
    memcpy(longname, "/start", 6);
    memcpy(longname + 190, "/end.html", 9);
    longname[199] = 0;
    sw_stats_request(s, "GET", longname, 1000, 0, NULL, 1);
    sw_stats_request(s, "GET", "/caf\xc3\xa9", 1000, 0, NULL, 1);
    FILE *f = tmpfile();
    sw_report_table(f, s, 0);
    char *buf = slurp(f), *orig = dupstr(buf), *p = buf, *l;
    fclose(f);
    size_t hdr = strlen(next_line(&p));
    int ok = 1;
    while ((l = next_line(&p)) && *l) {
        size_t cols = 0;
        for (char *c = l; *c; c++)
            cols += ((unsigned char)*c & 0xC0) != 0x80;
        if (cols != hdr) ok = 0;
    }
    CHECK(ok, "long and UTF-8 names keep every row as wide as the header");
    CHECK(strstr(orig, "GET      /startxxxxxxxxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxxx/end.html ") != NULL,
          "long names keep their start and end around ...");
    free(buf);
    free(orig);
    sw_stats_free(s);
}

int main(void)
{
    sw_stats *s = build();
    test_table(s);
    test_percentiles(s);
    test_failures(s);
    test_csv(s);
    test_empty();
    test_long_names();
    sw_stats_free(s);
    free(agg.v);
    for (int i = 0; i < NT; i++)
        free(tr[i].v);
    return CHECK_DONE();
}
