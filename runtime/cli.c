/*
 * cli.c -- command-line parsing for the load binary. Table driven: one row
 * per option with its spellings, the kind of value it takes and its help
 * line. Parsing never exits; it returns a status and a one-line message.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "thrspec.h"
#include "client.h"

typedef enum opt_id {
    O_USERS, O_RATE, O_TIME, O_HOST, O_HEADLESS, O_WEB, O_WEB_HOST, O_WEB_PORT, O_WEB_AUTH,
    O_STOP_TIMEOUT, O_CSV, O_HTML, O_JSON, O_PRINT_STATS, O_ONLY_SUMMARY,
    O_EXIT_CODE, O_SEED, O_LOGLEVEL, O_MASTER, O_MBIND_HOST, O_MBIND_PORT,
    O_EXPECT, O_SLAVE, O_MASTER_HOST, O_MASTER_PORT, O_VERSION, O_HELP,
    O_EXPECT_WAIT, O_PROCESSES,     /* cluster (issue 7) */
    O_THRESHOLD, O_JUNIT, O_ARRIVAL,    /* issue 10 */
    O_DATA_DIR, O_TAGS, O_EXCLUDE_TAGS, O_INSECURE, O_CA_FILE, O_CONFIG, O_LOGFILE,
    O_RESET_STATS, /* issue 9 */
    O_HTTP_ENGINE  /* issue 8 */
} opt_id;

typedef struct opt_def {
    opt_id id;
    char shrt;                  /* short letter, or 0 */
    const char *names[3];       /* long spellings without "--"; NULL ends */
    const char *arg;            /* value placeholder, NULL for a flag */
    const char *help;           /* one line */
} opt_def;

static const opt_def OPTS[] = {
    { O_USERS, 'u', { "users", "clients", NULL }, "N", "number of users to run (headless unless --web)" },
    { O_RATE, 'r', { "hatch-rate", "spawn-rate", NULL }, "R", "users started per second, evenly spaced (default 1)" },
    { O_TIME, 't', { "run-time", NULL, NULL }, "T", "stop after T: 90, 30s, 5m, 1h30m (default: until stopped)" },
    { O_HOST, 'H', { "host", NULL, NULL }, "URL", "base URL (http:// or https://), overrides the script's host" },
    { O_HEADLESS, 0, { "headless", "no-web", NULL }, NULL, "run without the web UI (on when --users is given)" },
    { O_WEB, 0, { "web", NULL, NULL }, NULL, "serve the web UI even with --users" },
    { O_WEB_HOST, 0, { "web-host", NULL, NULL }, "ADDR", "web UI address (default 127.0.0.1)" },
    { O_WEB_PORT, 'P', { "web-port", NULL, NULL }, "PORT", "web UI port (default 8089)" },
    { O_WEB_AUTH, 0, { "web-auth", NULL, NULL }, "USER:PASS", "require HTTP basic auth for the web UI and API" },
    { O_STOP_TIMEOUT, 0, { "stop-timeout", NULL, NULL }, "T", "at stop, let running tasks finish for up to T (default 0: cancel)" },
    { O_CSV, 0, { "csv", NULL, NULL }, "PREFIX", "write PREFIX_stats.csv, _failures.csv, _exceptions.csv, _stats_history.csv" },
    { O_HTML, 0, { "html", NULL, NULL }, "FILE", "write a self-contained HTML report" },
    { O_JSON, 0, { "json", NULL, NULL }, "FILE", "write the result as JSON" },
    { O_PRINT_STATS, 0, { "print-stats", NULL, NULL }, NULL, "print the stats table every 2 s (default when headless)" },
    { O_ONLY_SUMMARY, 0, { "only-summary", NULL, NULL }, NULL, "print only the final summary" },
    { O_EXIT_CODE, 0, { "exit-code-on-error", NULL, NULL }, "N", "exit status when a request failed or a runtime error happened (default 1)" },
    { O_SEED, 0, { "seed", NULL, NULL }, "N", "seed for every random choice, for repeatable runs (default: the clock)" },
    { O_LOGLEVEL, 'L', { "loglevel", NULL, NULL }, "LEVEL", "DEBUG, INFO, WARNING or ERROR (default INFO)" },
    { O_MASTER, 0, { "master", NULL, NULL }, NULL, "run as the master of a cluster" },
    { O_MBIND_HOST, 0, { "master-bind-host", NULL, NULL }, "ADDR", "master: address to listen on (default *)" },
    { O_MBIND_PORT, 0, { "master-bind-port", NULL, NULL }, "PORT", "master: port to listen on (default 5557)" },
    { O_EXPECT, 0, { "expect-slaves", "expect-workers", NULL }, "N", "master: wait for N slaves before a headless run (default 1)" },
    { O_SLAVE, 0, { "slave", "worker", NULL }, NULL, "run as a slave of a master" },
    { O_MASTER_HOST, 0, { "master-host", NULL, NULL }, "ADDR", "slave: the master's address (default 127.0.0.1)" },
    { O_MASTER_PORT, 0, { "master-port", NULL, NULL }, "PORT", "slave: the master's port (default 5557)" },
    { O_EXPECT_WAIT, 0, { "expect-slaves-max-wait", "expect-workers-max-wait", NULL }, "T", "master: give up (exit 1) when the slaves have not come after T (default: wait forever)" },
    { O_PROCESSES, 0, { "processes", NULL, NULL }, "N", "fork N slaves on this machine (-1: one per core) and be their master (with --slave: only fork slaves)" },
    { O_ARRIVAL, 0, { "rate", NULL, NULL }, "R", "open model: R task iterations per second from a pool of --users users" },
    { O_THRESHOLD, 0, { "threshold", NULL, NULL }, "EXPR", "a threshold, as in the script: 'all p95 < 300ms' (repeatable; failing: exit 3)" },
    { O_JUNIT, 0, { "junit", NULL, NULL }, "FILE", "write JUnit XML: one test case per threshold and one for no failed request" },
    { O_DATA_DIR, 0, { "data-dir", NULL, NULL }, "DIR", "where the script's data files are read (default: the working directory)" },
    { O_TAGS, 'T', { "tags", NULL, NULL }, "T,...", "run only the tasks tagged with one of these" },
    { O_EXCLUDE_TAGS, 'E', { "exclude-tags", NULL, NULL }, "T,...", "never run the tasks tagged with one of these" },
    { O_INSECURE, 0, { "insecure", NULL, NULL }, NULL, "TLS: do not check server certificates" },
    { O_CA_FILE, 0, { "ca-file", NULL, NULL }, "PATH", "TLS: trust the CAs in this file (default: SSL_CERT_FILE, else the system's)" },
    { O_CONFIG, 0, { "config", NULL, NULL }, "FILE", "read options from FILE (locust.conf format: users = 10)" },
    { O_LOGFILE, 0, { "logfile", NULL, NULL }, "FILE", "write the log to FILE instead of stderr" },
    { O_RESET_STATS, 0, { "reset-stats", NULL, NULL }, NULL, "reset the statistics once the ramp completes" },
    { O_HTTP_ENGINE, 0, { "http-engine", NULL, NULL }, "E", "auto, native or curl: which HTTP engine carries requests (default auto)" },
    { O_VERSION, 0, { "version", NULL, NULL }, NULL, "print the version and exit" },
    { O_HELP, 'h', { "help", NULL, NULL }, NULL, "print this help and exit" },
};
#define NOPTS (sizeof OPTS / sizeof OPTS[0])


int sw_cli_option_kind(const char *name, size_t len)
{
    for (size_t i = 0; i < NOPTS; i++)
        for (int k = 0; k < 3 && OPTS[i].names[k]; k++)
            if (strlen(OPTS[i].names[k]) == len && strncmp(OPTS[i].names[k], name, len) == 0)
                return OPTS[i].arg ? 1 : 0;
    return -1;
}

static sw_cli_status fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return SW_CLI_ERROR;
}

void sw_cli_defaults(sw_opts *o)
{
    memset(o, 0, sizeof *o);
    o->users = -1;
    o->http_engine = -1;
    o->hatch_rate = 1;
    o->run_time_ms = -1;
    o->web_host = "127.0.0.1";
    o->web_port = 8089;
    o->stop_timeout_ms = 0;
    o->exit_code_on_error = 1;
    o->loglevel = SW_LOG_INFO;
    o->role = SW_STANDALONE;
    o->master_bind_host = "*";
    o->master_bind_port = 5557;
    o->master_host = "127.0.0.1";
    o->master_port = 5557;
    o->expect_slaves = 1;
    o->expect_wait_ms = -1;
}

int sw_cli_duration(const char *s, double *ms)
{
    if (!s || !*s)
        return -1;
    double total = 0, last_unit = 1e300;
    const char *p = s;
    int parts = 0;
    while (*p) {
        if (!isdigit((unsigned char)*p) && *p != '.')
            return -1;
        char *end;
        errno = 0;
        double v = strtod(p, &end);
        if (end == p || errno || !isfinite(v) || v < 0)
            return -1;
        p = end;
        double unit;
        if (*p == '\0') {
            if (parts > 0)
                return -1;      /* "5m30": a bare number only alone */
            unit = 1000;        /* bare: seconds */
        } else if (p[0] == 'm' && p[1] == 's') {
            unit = 1;
            p += 2;
        } else if (*p == 's') {
            unit = 1000;
            p++;
        } else if (*p == 'm') {
            unit = 60000;
            p++;
        } else if (*p == 'h') {
            unit = 3600000;
            p++;
        } else {
            return -1;
        }
        if (unit >= last_unit)
            return -1;          /* "1s1s", "5s2m": each unit once, largest first */
        last_unit = unit;
        total += v * unit;
        parts++;
    }
    if (!isfinite(total) || total > 1e15)
        return -1;
    *ms = total;
    return 0;
}

/* A whole number in [lo, hi]; 0 or -1 (not a number), -2 (out of range). */
static int parse_int(const char *s, long long lo, long long hi, long long *out)
{
    if (!*s)
        return -1;
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    if (!*p)
        return -1;
    for (const char *q = p; *q; q++)
        if (!isdigit((unsigned char)*q))
            return -1;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno == ERANGE || v < lo || v > hi)
        return -2;
    *out = v;
    return 0;
}

/* Length of the run of decimal digits at s. */
static size_t digits(const char *s)
{
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9')
        n++;
    return n;
}

sw_num_status sw_cli_users_value(const char *s, int *out)
{
    int neg = s[0] == '-';
    size_t n = digits(s + neg);
    if (n == 0 || s[neg + n] != '\0')
        return SW_NUM_SYNTAX;
    if (neg)
        return strspn(s + 1, "0") == n ? (*out = 0, SW_NUM_OK) : SW_NUM_NEGATIVE;
    const char *d = s + strspn(s, "0");       /* leading zeros */
    if (strlen(d) > 7 || strtol(s, NULL, 10) > SW_MAX_USERS)
        return SW_NUM_HIGH;
    *out = (int)strtol(s, NULL, 10);
    return SW_NUM_OK;
}

sw_num_status sw_cli_rate_value(const char *s, double *out)
{
    int neg = s[0] == '-';
    const char *p = s + neg;
    size_t n = digits(p);
    if (n == 0)
        return SW_NUM_SYNTAX;
    if (p[n] == '.') {
        size_t f = digits(p + n + 1);
        if (f == 0)
            return SW_NUM_SYNTAX;
        n += 1 + f;
    }
    if (p[n] != '\0')
        return SW_NUM_SYNTAX;
    double x = strtod(p, NULL);
    if (neg && x > 0)
        return SW_NUM_NEGATIVE;
    if (x < SW_MIN_RATE)
        return SW_NUM_LOW;
    if (x > SW_MAX_RATE)
        return SW_NUM_HIGH;
    *out = x;
    return SW_NUM_OK;
}

int sw_cli_valid_url(const char *s)
{
    const char *rest;
    if (strncasecmp(s, "http://", 7) == 0)
        rest = s + 7;
    else if (strncasecmp(s, "https://", 8) == 0)
        rest = s + 8;
    else
        return 0;
    if (!*rest || *rest == '/' || *rest == '?' || *rest == '#')
        return 0;
    for (const char *p = s; *p; p++)
        if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p))
            return 0;
    /* An explicit port (after the host, outside an [IPv6] literal) must be
     * 1..65535. */
    size_t hostlen = strcspn(rest, "/?#");
    const char *colon = NULL;
    for (const char *p = rest; p < rest + hostlen; p++) {
        if (*p == ']')
            colon = NULL;
        else if (*p == ':')
            colon = p;
    }
    if (colon) {
        const char *d = colon + 1, *end = rest + hostlen;
        long port = 0;
        if (d == end)
            return 0;
        for (; d < end; d++) {
            if (!isdigit((unsigned char)*d) || (port = port * 10 + (*d - '0')) > 65535)
                return 0;
        }
        if (port < 1)
            return 0;
    }
    return 1;
}

const sw_user_class *sw_cli_missing_host(const sw_script *s, const char *host)
{
    if ((host && *host) || (s->host && *s->host))
        return NULL;
    for (int i = 0; i < s->nclasses; i++)
        if (s->classes[i].weight > 0 && !(s->classes[i].host && *s->classes[i].host))
            return &s->classes[i];
    return NULL;
}

static sw_cli_status port_value(const char *name, const char *v, int *out,
                                char *err, size_t errlen)
{
    long long n;
    if (parse_int(v, 1, 65535, &n) != 0)
        return fail(err, errlen, "swarm: %s expects a port number from 1 to 65535, got '%s'", name, v);
    *out = (int)n;
    return SW_CLI_OK;
}

/* Apply one option with its value (NULL for flags). name: as typed. */
static sw_cli_status apply(const opt_def *d, const char *name, const char *v,
                           sw_opts *o, int *users_given, char *err, size_t errlen)
{
    long long n;
    switch (d->id) {
    case O_USERS:
        switch (sw_cli_users_value(v, &o->users)) {
        case SW_NUM_OK: break;
        case SW_NUM_SYNTAX:
            return fail(err, errlen, "swarm: %s expects a whole number of users in decimal digits, got '%.40s'", name, v);
        default:
            return fail(err, errlen, "swarm: %s must be a whole number from 0 to %d, got '%.40s'", name, SW_MAX_USERS, v);
        }
        *users_given = 1;
        break;
    case O_RATE:
        switch (sw_cli_rate_value(v, &o->hatch_rate)) {
        case SW_NUM_OK: break;
        case SW_NUM_SYNTAX:
            return fail(err, errlen, "swarm: %s expects a number of users per second written as a plain decimal such as 2 or 0.5, got '%.40s'", name, v);
        case SW_NUM_HIGH:
            return fail(err, errlen, "swarm: %s must be at most %g users per second, got '%.40s'", name, SW_MAX_RATE, v);
        default:
            return fail(err, errlen, "swarm: %s must be greater than 0 users per second (at least %g), got '%.40s'", name, SW_MIN_RATE, v);
        }
        break;
    case O_TIME:
        if (sw_cli_duration(v, &o->run_time_ms) != 0)
            return fail(err, errlen, "swarm: %s expects a duration such as 90, 30s, 5m or 1h30m, got '%s'", name, v);
        if (o->run_time_ms == 0)
            o->run_time_ms = -1;        /* issue 9: -t 0 means no limit, as in Locust */
        break;
    case O_STOP_TIMEOUT:
        if (sw_cli_duration(v, &o->stop_timeout_ms) != 0)
            return fail(err, errlen, "swarm: %s expects a duration such as 0, 10s or 1m, got '%s'", name, v);
        break;
    case O_HOST:
        if (!sw_cli_valid_url(v))
            return fail(err, errlen, "swarm: %s expects a URL starting with http:// or https://, got '%s'", name, v);
        o->host = v;
        break;
    case O_HEADLESS: o->headless = 1; break;
    case O_WEB: o->web = 1; break;
    case O_WEB_HOST: o->web_host = v; break;
    case O_WEB_PORT: return port_value(name, v, &o->web_port, err, errlen);
    case O_WEB_AUTH: {
        const char *colon = strchr(v, ':');
        if (!colon || colon == v)
            return fail(err, errlen, "swarm: %s expects USER:PASS (a user name, a colon, then the password)", name);
        o->web_auth = v;
        break;
    }
    case O_CSV:
        if (!*v)
            return fail(err, errlen, "swarm: %s expects a file name prefix, got an empty one", name);
        o->csv_prefix = v;
        break;
    case O_HTML:
    case O_JSON:
        if (!*v)
            return fail(err, errlen, "swarm: %s expects a file name, got an empty one", name);
        if (d->id == O_HTML)
            o->html_file = v;
        else
            o->json_file = v;
        break;
    case O_DATA_DIR:
        if (!*v)
            return fail(err, errlen, "swarm: %s expects a directory, got an empty one", name);
        o->data_dir = v;
        break;
    case O_INSECURE: o->insecure = 1; break;
    case O_CA_FILE:
        if (!*v)
            return fail(err, errlen, "swarm: %s expects a file, got an empty name", name);
        o->ca_file = v;
        break;
    case O_CONFIG: break;               /* read before parsing (conf.c) */
    case O_LOGFILE:
        if (!*v)
            return fail(err, errlen, "swarm: %s expects a file, got an empty name", name);
        o->logfile = v;
        break;
    case O_RESET_STATS: o->reset_stats = 1; break;
    case O_TAGS: o->tags = v; break;
    case O_EXCLUDE_TAGS: o->exclude_tags = v; break;
    case O_PRINT_STATS: o->print_stats = 1; break;
    case O_ONLY_SUMMARY: o->only_summary = 1; break;
    case O_EXIT_CODE:
        if (parse_int(v, 0, 255, &n) != 0)
            return fail(err, errlen, "swarm: %s expects an exit status from 0 to 255, got '%s'", name, v);
        o->exit_code_on_error = (int)n;
        break;
    case O_SEED: {
        for (const char *p = v; *p; p++)
            if (!isdigit((unsigned char)*p))
                return fail(err, errlen, "swarm: %s expects a non-negative whole number, got '%s'", name, v);
        errno = 0;
        unsigned long long s = strtoull(v, NULL, 10);
        if (!*v || errno == ERANGE)
            return fail(err, errlen, "swarm: %s expects a whole number from 0 to 18446744073709551615, got '%s'", name, v);
        o->seed = (uint64_t)s;
        o->seed_given = 1;
        break;
    }
    case O_LOGLEVEL:
        if (strcasecmp(v, "DEBUG") == 0) o->loglevel = SW_LOG_DEBUG;
        else if (strcasecmp(v, "INFO") == 0) o->loglevel = SW_LOG_INFO;
        else if (strcasecmp(v, "WARNING") == 0 || strcasecmp(v, "WARN") == 0) o->loglevel = SW_LOG_WARNING;
        else if (strcasecmp(v, "ERROR") == 0 || strcasecmp(v, "CRITICAL") == 0) o->loglevel = SW_LOG_ERROR;
        else
            return fail(err, errlen, "swarm: %s expects DEBUG, INFO, WARNING or ERROR, got '%s'", name, v);
        break;
    case O_MASTER: o->role = SW_MASTER; break;
    case O_SLAVE: o->role = SW_SLAVE; break;
    case O_MBIND_HOST: o->master_bind_host = v; break;
    case O_MBIND_PORT: return port_value(name, v, &o->master_bind_port, err, errlen);
    case O_MASTER_HOST: o->master_host = v; break;
    case O_MASTER_PORT: return port_value(name, v, &o->master_port, err, errlen);
    case O_EXPECT:
        if (parse_int(v, 1, 100000, &n) != 0)
            return fail(err, errlen, "swarm: %s expects a whole number of slaves from 1 to 100000, got '%s'", name, v);
        o->expect_slaves = (int)n;
        break;
    case O_EXPECT_WAIT:
        if (sw_cli_duration(v, &o->expect_wait_ms) != 0)
            return fail(err, errlen, "swarm: %s expects a duration such as 30s or 5m, got '%s'", name, v);
        break;
    case O_PROCESSES:
        if (parse_int(v, -1, 1024, &n) != 0 || n == 0)
            return fail(err, errlen, "swarm: %s expects a number of processes from 1 to 1024, or -1 for one per core, got '%s'", name, v);
        o->processes = (int)n;
        break;
    case O_THRESHOLD: {
        sw_thr_spec t;
        char why[256];
        if (o->nthresholds >= SW_OPTS_MAX_THR)
            return fail(err, errlen, "swarm: at most %d %s options are supported", SW_OPTS_MAX_THR, name);
        if (sw_thr_parse(v, &t, why, sizeof why, NULL, NULL) != 0)
            return fail(err, errlen, "swarm: %s '%s': %s; write it as in the script, e.g. 'all p95 < 300ms'",
                        name, v, why);
        o->thresholds[o->nthresholds++] = v;
        break;
    }
    case O_JUNIT:
        if (!*v)
            return fail(err, errlen, "swarm: %s expects a file name, got an empty one", name);
        o->junit_file = v;
        break;
    case O_ARRIVAL: {
        char *end;
        errno = 0;
        double x = strtod(v, &end);
        if (!*v || *end || errno || !isfinite(x) || x <= 0 || x > 1e7)
            return fail(err, errlen, "swarm: %s expects a number of iterations per second greater than 0, got '%s'", name, v);
        o->arrival_rate = x;
        break;
    }
    case O_HTTP_ENGINE:
        o->http_engine = sw_client_parse_mode(v);
        if (o->http_engine < 0)
            return fail(err, errlen, "swarm: %s expects auto, native or curl, got '%s'", name, v);
        break;
    case O_VERSION: return SW_CLI_VERSION;
    case O_HELP: return SW_CLI_HELP;
    }
    return SW_CLI_OK;
}

static const opt_def *find_long(const char *name, size_t len)
{
    for (size_t i = 0; i < NOPTS; i++)
        for (int k = 0; k < 3 && OPTS[i].names[k]; k++)
            if (strlen(OPTS[i].names[k]) == len && strncmp(OPTS[i].names[k], name, len) == 0)
                return &OPTS[i];
    return NULL;
}

static const opt_def *find_short(char c)
{
    for (size_t i = 0; i < NOPTS; i++)
        if (OPTS[i].shrt && OPTS[i].shrt == c)
            return &OPTS[i];
    return NULL;
}

sw_cli_status sw_cli_parse(int argc, char **argv, sw_opts *o, char *err, size_t errlen)
{
    int users_given = 0, master = 0, slave = 0;
    sw_cli_defaults(o);
    if (errlen)
        err[0] = '\0';
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const opt_def *d = NULL;
        const char *v = NULL;
        char name[64];
        if (a[0] == '-' && a[1] == '-' && a[2]) {
            const char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
            d = find_long(a + 2, len);
            snprintf(name, sizeof name, "--%.*s", (int)(len > 40 ? 40 : len), a + 2);
            if (!d)
                return fail(err, errlen, "swarm: unknown option '%s'; run with --help to see the options", name);
            if (eq) {
                if (!d->arg)
                    return fail(err, errlen, "swarm: %s takes no value; write just %s", name, name);
                v = eq + 1;
            }
        } else if (a[0] == '-' && a[1] && a[1] != '-') {
            d = find_short(a[1]);
            snprintf(name, sizeof name, "-%c", a[1]);
            if (!d)
                return fail(err, errlen, "swarm: unknown option '%.40s'; run with --help to see the options", a);
            if (a[2]) {
                if (!d->arg)
                    return fail(err, errlen, "swarm: unknown option '%.40s'; run with --help to see the options", a);
                v = a + 2 + (a[2] == '=');
            }
        } else {
            return fail(err, errlen, "swarm: unexpected argument '%.60s'; options start with - or -- (see --help)", a);
        }
        if (d->arg && !v) {
            if (i + 1 >= argc)
                return fail(err, errlen, "swarm: %s needs a value, e.g. %s %s", name, name, d->arg);
            v = argv[++i];
        }
        sw_cli_status st = apply(d, name, v, o, &users_given, err, errlen);
        if (st != SW_CLI_OK)
            return st;
        if (d->id == O_MASTER) master = 1;
        if (d->id == O_SLAVE) slave = 1;
    }
    if (master && slave)
        return fail(err, errlen, "swarm: --master and --slave cannot be used together; pick one role per process");
    if (o->headless && !users_given)
        o->users = 1;                /* as Locust: headless defaults to one user */
    o->headless = (o->headless || users_given) && !o->web;
    return SW_CLI_OK;
}

void sw_cli_help(FILE *out, const char *prog)
{
    fprintf(out, "usage: %s [options]\n\n"
                 "Runs the compiled load test. Without --users it serves the web UI.\n\n"
                 "options:\n", prog ? prog : "swarm");
    for (size_t i = 0; i < NOPTS; i++) {
        const opt_def *d = &OPTS[i];
        char left[96];
        size_t n = 0;
        left[0] = '\0';
        if (d->shrt)
            n += (size_t)snprintf(left + n, sizeof left - n, "-%c, ", d->shrt);
        for (int k = 0; k < 3 && d->names[k] && n < sizeof left; k++)
            n += (size_t)snprintf(left + n, sizeof left - n, "%s--%s", k ? ", " : "", d->names[k]);
        if (d->arg && n < sizeof left)
            snprintf(left + n, sizeof left - n, " %s", d->arg);
        fprintf(out, "  %-36s %s\n", left, d->help);
    }
    fprintf(out, "\nexit status: 0 ok, 1 (--exit-code-on-error) when a request failed or a\n"
                 "runtime error happened, 2 for a bad command line, a run that cannot start\n"
                 "or a result file (--csv, --json, --html) that could not be written,\n"
                 "3 when a threshold failed (over 1).\n");
}

void sw_cli_version(FILE *out)
{
    fprintf(out, "swarm %s\n", SW_VERSION);
}
