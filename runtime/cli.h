/*
 * cli.h -- the load binary's command line (see shared/CLI.md).
 *
 * Ownership: strings in sw_opts point into argv (borrowed); nothing is
 * allocated, so there is nothing to free.
 */
#ifndef SW_CLI_H
#define SW_CLI_H

#include <stddef.h>
#include <stdio.h>
#include "rt.h"

typedef enum sw_cli_status {
    SW_CLI_OK = 0,      /* run with the options */
    SW_CLI_HELP,        /* -h/--help: print sw_cli_help, exit 0 */
    SW_CLI_VERSION,     /* --version: print sw_cli_version, exit 0 */
    SW_CLI_ERROR        /* err holds one sentence; exit 2 */
} sw_cli_status;

#define SW_VERSION "0.1.0"

/* Fill o with the defaults, then parse argv[1..argc-1]. Both "--opt value"
 * and "--opt=value" work. On SW_CLI_ERROR, err (errlen bytes) holds one
 * line "swarm: what is wrong ...; how to fix it" without a newline. */
sw_cli_status sw_cli_parse(int argc, char **argv, sw_opts *o, char *err, size_t errlen);

void sw_cli_defaults(sw_opts *o);


/* A duration: "90" (seconds), "30s", "500ms", "5m", "1h30m", "1.5s".
 * Returns 0 and *ms, or -1 when s is not a non-negative duration. */
int sw_cli_duration(const char *s, double *ms);

/* Users and hatch rate, on the command line and in POST /swarm alike: the
 * user count is decimal digits only, 0..SW_MAX_USERS; the rate a plain
 * decimal ("2", "0.5": no sign, exponent, hex, inf or nan),
 * SW_MIN_RATE..SW_MAX_RATE users per second. */
#define SW_MAX_USERS 1000000
#define SW_MIN_RATE  0.001
#define SW_MAX_RATE  100000.0
typedef enum sw_num_status {
    SW_NUM_OK,          /* *out set */
    SW_NUM_SYNTAX,      /* not decimal digits / not a plain decimal */
    SW_NUM_NEGATIVE,    /* a minus sign before valid digits */
    SW_NUM_LOW,         /* rate: below SW_MIN_RATE (0 included) */
    SW_NUM_HIGH         /* above the maximum */
} sw_num_status;
sw_num_status sw_cli_users_value(const char *s, int *out);
sw_num_status sw_cli_rate_value(const char *s, double *out);

/* 1 when s is an http:// or https:// URL with a host part. */
int sw_cli_valid_url(const char *s);

/* The first user class with a positive weight that would have no host to
 * join relative URLs to, given host (--host or the web form's, may be
 * NULL), or NULL when every such class has one. */
const sw_user_class *sw_cli_missing_host(const sw_script *s, const char *host);
/* issue 9 (conf.c): whether a long option name (without "--") exists:
 * 1 when it takes a value, 0 for a flag, -1 when there is no such option. */
int sw_cli_option_kind(const char *name, size_t len);

void sw_cli_help(FILE *out, const char *prog);
void sw_cli_version(FILE *out);

#endif /* SW_CLI_H */
