/*
 * test_cli.c -- command-line parsing: defaults, both spellings, aliases,
 * --opt=value, durations, and one-sentence errors for bad input.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "cli.h"

static char err[512];

/* Parse a NULL-terminated list of arguments (after the program name). */
static sw_cli_status parse(sw_opts *o, const char *a0, ...)
{
    char *argv[64];
    int argc = 0;
    argv[argc++] = "swarm";
    va_list ap;
    va_start(ap, a0);
    for (const char *a = a0; a && argc < 63; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    return sw_cli_parse(argc, argv, o, err, sizeof err);
}

static int one_line(const char *s)
{
    return s[0] && strchr(s, '\n') == NULL && strncmp(s, "swarm: ", 7) == 0;
}

static void expect_error(const char *what, const char *needle, sw_cli_status st)
{
    CHECK(st == SW_CLI_ERROR, "%s is an error", what);
    CHECK(one_line(err), "%s: one line starting 'swarm: ' (%s)", what, err);
    CHECK(strstr(err, needle) != NULL, "%s: message mentions '%s' (%s)", what, needle, err);
}

static void test_durations(void)
{
    double ms = -1;
    CHECK(sw_cli_duration("90", &ms) == 0 && ms == 90000, "bare 90 is 90 s");
    CHECK(sw_cli_duration("30s", &ms) == 0 && ms == 30000, "30s");
    CHECK(sw_cli_duration("5m", &ms) == 0 && ms == 300000, "5m");
    CHECK(sw_cli_duration("1h30m", &ms) == 0 && ms == 5400000, "1h30m");
    CHECK(sw_cli_duration("1.5s", &ms) == 0 && fabs(ms - 1500) < 1e-9, "1.5s");
    CHECK(sw_cli_duration("250ms", &ms) == 0 && ms == 250, "250ms");
    CHECK(sw_cli_duration("1m30s", &ms) == 0 && ms == 90000, "1m30s");
    CHECK(sw_cli_duration("0", &ms) == 0 && ms == 0, "0");
    CHECK(sw_cli_duration("", &ms) != 0, "empty duration rejected");
    CHECK(sw_cli_duration("-5s", &ms) != 0, "negative duration rejected");
    CHECK(sw_cli_duration("5x", &ms) != 0, "unknown unit rejected");
    CHECK(sw_cli_duration("abc", &ms) != 0, "word rejected");
    CHECK(sw_cli_duration("5m30", &ms) != 0, "trailing bare number rejected");
    CHECK(sw_cli_duration("s", &ms) != 0, "unit alone rejected");
    CHECK(sw_cli_duration("1s1s", &ms) != 0, "a repeated unit rejected");
    CHECK(sw_cli_duration("30s5m", &ms) != 0, "units out of order rejected");
}

static void test_defaults(void)
{
    sw_opts o;
    CHECK(parse(&o, NULL) == SW_CLI_OK, "no options parse");
    CHECK(o.users == -1 && o.hatch_rate == 1 && o.run_time_ms < 0, "defaults: users, rate, run time");
    CHECK(o.headless == 0 && o.web_port == 8089 && strcmp(o.web_host, "127.0.0.1") == 0,
          "defaults: web UI 127.0.0.1:8089, not headless");
    CHECK(o.stop_timeout_ms == 0 && o.exit_code_on_error == 1 && o.loglevel == SW_LOG_INFO,
          "defaults: stop timeout 0, exit code 1, INFO");
    CHECK(o.role == SW_STANDALONE && o.master_port == 5557 && o.master_bind_port == 5557 &&
          o.expect_slaves == 1 && strcmp(o.master_bind_host, "*") == 0 &&
          strcmp(o.master_host, "127.0.0.1") == 0, "defaults: cluster options");
    CHECK(!o.seed_given && !o.csv_prefix && !o.host && !o.only_summary, "defaults: nothing else set");
}

static void test_spellings(void)
{
    sw_opts o;
    CHECK(parse(&o, "-u", "10", "-r", "2.5", "-t", "1m", NULL) == SW_CLI_OK, "short options parse");
    CHECK(o.users == 10 && o.hatch_rate == 2.5 && o.run_time_ms == 60000 && o.headless,
          "-u 10 -r 2.5 -t 1m: values and headless");
    CHECK(parse(&o, "--users=7", "--spawn-rate=3", "--run-time=90", NULL) == SW_CLI_OK,
          "--opt=value and --spawn-rate parse");
    CHECK(o.users == 7 && o.hatch_rate == 3 && o.run_time_ms == 90000, "--users=7 --spawn-rate=3 --run-time=90");
    CHECK(parse(&o, "--users", "5", "--hatch-rate", "5", "--web", NULL) == SW_CLI_OK && !o.headless && o.web,
          "--web keeps the web UI with --users");
    CHECK(parse(&o, "--headless", NULL) == SW_CLI_OK && o.headless && o.users == 1,
          "--headless without --users runs one user (as Locust)");
    CHECK(parse(&o, "-H", "http://127.0.0.1:8000", NULL) == SW_CLI_OK && strcmp(o.host, "http://127.0.0.1:8000") == 0,
          "-H URL");
    CHECK(parse(&o, "--host=https://example.test/api", NULL) == SW_CLI_OK, "--host=https URL");
    CHECK(parse(&o, "-P", "9000", "--web-host", "0.0.0.0", NULL) == SW_CLI_OK &&
          o.web_port == 9000 && strcmp(o.web_host, "0.0.0.0") == 0, "-P and --web-host");
    CHECK(parse(&o, "--stop-timeout", "10s", "--csv", "out/run", "--html", "r.html", "--json", "r.json", NULL) == SW_CLI_OK &&
          o.stop_timeout_ms == 10000 && strcmp(o.csv_prefix, "out/run") == 0 &&
          strcmp(o.html_file, "r.html") == 0 && strcmp(o.json_file, "r.json") == 0,
          "--stop-timeout, --csv, --html, --json");
    CHECK(parse(&o, "--print-stats", "--only-summary", "--exit-code-on-error", "3", NULL) == SW_CLI_OK &&
          o.print_stats && o.only_summary && o.exit_code_on_error == 3, "--print-stats --only-summary --exit-code-on-error 3");
    CHECK(parse(&o, "--seed", "18446744073709551615", NULL) == SW_CLI_OK && o.seed_given &&
          o.seed == UINT64_MAX, "--seed takes the full 64-bit range");
    CHECK(parse(&o, "-L", "debug", NULL) == SW_CLI_OK && o.loglevel == SW_LOG_DEBUG, "-L debug (any case)");
    CHECK(parse(&o, "--loglevel=WARNING", NULL) == SW_CLI_OK && o.loglevel == SW_LOG_WARNING, "--loglevel=WARNING");
    CHECK(parse(&o, "--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", "6000",
                "--expect-workers", "3", NULL) == SW_CLI_OK && o.role == SW_MASTER &&
          o.master_bind_port == 6000 && o.expect_slaves == 3, "master options and --expect-workers");
    CHECK(parse(&o, "--expect-slaves", "2", NULL) == SW_CLI_OK && o.expect_slaves == 2, "--expect-slaves");
    CHECK(parse(&o, "--worker", "--master-host", "::1", "--master-port", "7000", NULL) == SW_CLI_OK &&
          o.role == SW_SLAVE && o.master_port == 7000 && strcmp(o.master_host, "::1") == 0,
          "--worker is --slave, with master host and port");
    CHECK(parse(&o, "--slave", NULL) == SW_CLI_OK && o.role == SW_SLAVE, "--slave");
    CHECK(parse(&o, "-u5", NULL) == SW_CLI_OK && o.users == 5, "-u5 (attached short value)");
    CHECK(parse(&o, "--users", "0", NULL) == SW_CLI_OK && o.users == 0, "zero users is allowed");
    CHECK(parse(&o, "--version", NULL) == SW_CLI_VERSION, "--version");
    CHECK(parse(&o, "-h", NULL) == SW_CLI_HELP && parse(&o, "--help", NULL) == SW_CLI_HELP, "-h and --help");
}

static void test_errors(void)
{
    sw_opts o;
    expect_error("--users abc", "--users expects a whole number", parse(&o, "--users", "abc", NULL));
    expect_error("-u -3", "-u must be a whole number", parse(&o, "-u", "-3", NULL));
    expect_error("--users 1.5", "whole number", parse(&o, "--users", "1.5", NULL));
    expect_error("--hatch-rate 0", "greater than 0", parse(&o, "-u", "1", "--hatch-rate", "0", NULL));
    expect_error("--spawn-rate -1", "--spawn-rate must be greater than 0", parse(&o, "--spawn-rate=-1", NULL));
    expect_error("-r x", "-r expects a number", parse(&o, "-r", "x", NULL));
    expect_error("unknown option", "unknown option '--frobnicate'", parse(&o, "--frobnicate", NULL));
    expect_error("unknown short", "unknown option '-z'", parse(&o, "-z", NULL));
    expect_error("missing value", "--users needs a value", parse(&o, "--users", NULL));
    expect_error("missing value of -t", "-t needs a value", parse(&o, "-u", "2", "-t", NULL));
    expect_error("bad host", "http:// or https://", parse(&o, "--host", "ftp://x", NULL));
    expect_error("host without scheme", "http:// or https://", parse(&o, "-H", "localhost:8000", NULL));
    expect_error("host without host part", "http:// or https://", parse(&o, "-H", "http://", NULL));
    expect_error("host with port 99999", "http:// or https://", parse(&o, "-H", "http://127.0.0.1:99999", NULL));
    expect_error("host with port 0", "http:// or https://", parse(&o, "-H", "http://127.0.0.1:0/x", NULL));
    expect_error("host with an empty port", "http:// or https://", parse(&o, "-H", "http://h:/", NULL));
    CHECK(parse(&o, "-H", "http://[::1]:8080/api", NULL) == SW_CLI_OK, "-H with an IPv6 literal and a port");
    CHECK(parse(&o, "-H", "https://example.test", NULL) == SW_CLI_OK, "-H without a port");
    expect_error("bad log level", "DEBUG, INFO, WARNING or ERROR", parse(&o, "-L", "LOUD", NULL));
    expect_error("bad run time", "--run-time expects a duration", parse(&o, "--run-time", "soon", NULL));
    expect_error("bad stop timeout", "--stop-timeout expects a duration", parse(&o, "--stop-timeout", "-1", NULL));
    expect_error("bad port", "port number", parse(&o, "--web-port", "70000", NULL));
    expect_error("bad exit code", "exit status", parse(&o, "--exit-code-on-error", "300", NULL));
    expect_error("bad seed", "--seed expects", parse(&o, "--seed", "-1", NULL));
    expect_error("flag with value", "--headless takes no value", parse(&o, "--headless=yes", NULL));
    expect_error("positional argument", "unexpected argument 'extra'", parse(&o, "extra", NULL));
    expect_error("master and slave", "cannot be used together", parse(&o, "--master", "--slave", NULL));
    expect_error("huge users", "must be a whole number", parse(&o, "--users", "99999999999999999999", NULL));
    /* decimal digits and plain decimals only, within the documented bounds */
    expect_error("--users 0x10", "decimal digits", parse(&o, "--users", "0x10", NULL));
    expect_error("--users 1e3", "decimal digits", parse(&o, "--users", "1e3", NULL));
    expect_error("--users +3", "decimal digits", parse(&o, "--users", "+3", NULL));
    expect_error("--users 1000001", "from 0 to 1000000", parse(&o, "--users", "1000001", NULL));
    CHECK(parse(&o, "--users", "1000000", NULL) == SW_CLI_OK && o.users == 1000000, "--users 1000000 is the maximum");
    expect_error("-r 0x10", "plain decimal", parse(&o, "-r", "0x10", NULL));
    expect_error("-r 1e3", "plain decimal", parse(&o, "-r", "1e3", NULL));
    expect_error("-r 1e-300", "plain decimal", parse(&o, "-r", "1e-300", NULL));
    expect_error("-r inf", "plain decimal", parse(&o, "-r", "inf", NULL));
    expect_error("-r .5", "plain decimal", parse(&o, "-r", ".5", NULL));
    expect_error("-r 0.0009", "at least 0.001", parse(&o, "-r", "0.0009", NULL));
    expect_error("-r 100000.5", "at most 100000", parse(&o, "-r", "100000.5", NULL));
    CHECK(parse(&o, "-r", "0.001", NULL) == SW_CLI_OK && o.hatch_rate == 0.001, "-r 0.001 is the minimum");
    CHECK(parse(&o, "-r", "100000", NULL) == SW_CLI_OK && o.hatch_rate == 100000, "-r 100000 is the maximum");
}

static void test_help(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sw_cli_help(f, "prog");
    fclose(f);
    const char *want[] = { "--users", "--hatch-rate", "--spawn-rate", "--run-time", "--host",
                           "--headless", "--web", "--web-host", "--web-port", "--stop-timeout",
                           "--csv", "--html", "--json", "--print-stats", "--only-summary",
                           "--exit-code-on-error", "--seed", "--loglevel", "--master",
                           "--master-bind-host", "--master-bind-port", "--expect-slaves",
                           "--expect-workers", "--slave", "--worker", "--master-host",
                           "--master-port", "--version", "--help", "-u, ", "-r, ", "-t, ",
                           "-H, ", "-P, ", "-L, ", "-h, " };
    int all = 1;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(buf, want[i])) {
            printf("# help lacks %s\n", want[i]);
            all = 0;
        }
    CHECK(all, "--help lists every option and short form");
    free(buf);
}

int main(void)
{
    test_durations();
    test_defaults();
    test_spellings();
    test_errors();
    test_help();
    return CHECK_DONE();
}
