/*
 * test_conf.c -- conf.c: a locust.conf text into command-line arguments
 * (separators, comments, sections, quotes, flags as true/false, unknown
 * keys skipped) and its errors.
 */
#include <string.h>

#include "check.h"
#include "conf.h"

/* The arguments made from text, joined with '|', or "ERR:<message>". */
static const char *args_of(const char *text)
{
    static char out[512];
    char **a = NULL, err[200];
    int n = 0;
    out[0] = '\0';
    if (sw_conf_parse_text(text, &a, &n, err, sizeof err) != 0)
        snprintf(out, sizeof out, "ERR:%s", err);
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(out, "|");
        strncat(out, a[i], sizeof out - strlen(out) - 2);
        free(a[i]);
    }
    free(a);
    return out;
}

int main(void)
{
    CHECK(!strcmp(args_of("users = 10\nspawn-rate: 2\nrun_time 30s\n"),
                  "--users|10|--spawn-rate|2|--run-time|30s"),
          "key = value, key: value, key value; '_' is '-' (%s)",
          args_of("users = 10\nspawn-rate: 2\nrun_time 30s\n"));
    CHECK(!strcmp(args_of("# c\n; c\n[locust]\n\nhost = \"http://h:1\"\n"), "--host|http://h:1"),
          "comments, sections, blank lines, quotes");
    CHECK(!strcmp(args_of("headless = true\nonly-summary = false\ninsecure\n"),
                  "--headless|--insecure"), "flags: true adds, false leaves out, bare adds");
    CHECK(!strcmp(args_of("locustfile = x.py\nusers = 1\n"), "--users|1"),
          "an unknown key is skipped");
    CHECK(!strncmp(args_of("users = 1\nheadless = maybe\n"), "ERR:2: cannot read", 18),
          "a flag that is neither true nor false: error at its line");
    return CHECK_DONE();
}
