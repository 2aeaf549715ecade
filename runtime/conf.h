/*
 * conf.h -- options from a config file and the environment (issue 9,
 * conf.c), merged into one argument vector for cli.c so that one parser
 * applies every rule: precedence command line > environment > config file
 * > script (later arguments win).
 *
 * Ownership: the vector and its strings are allocated once and live until
 * the process ends (sw_opts borrows from them); sw_conf_free releases them.
 */
#ifndef SW_CONF_H
#define SW_CONF_H

#include <stddef.h>

/* Build *out_argv (prog, config file options, LOCUST_* then SWARM_*
 * environment options, then argv[1..] without --config FILE). 0, or -1
 * with one line in err (unreadable config file, bad line: FILE:LINE). */
int sw_conf_argv(int argc, char **argv, int *out_argc, char ***out_argv,
                 char *err, size_t cap);
void sw_conf_free(void);

/* One config file's text into arguments appended to *args (for tests):
 * `key = value`, `key: value` or `key value`; `#`/`;` comments; [sections]
 * ignored; true/false for flags; unknown keys skipped with a warning on
 * stderr. -1 with "LINE: what" in err on a malformed line. */
int sw_conf_parse_text(const char *text, char ***args, int *n, char *err, size_t cap);

#endif /* SW_CONF_H */
