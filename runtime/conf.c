/*
 * conf.c -- Locust-style configuration (issue 9; see conf.h): a locust.conf
 * file given with --config, and SWARM_* / LOCUST_* environment variables
 * (SWARM_USERS=10, LOCUST_RUN_TIME=1m, LOCUST_HEADLESS=true), turned into
 * command-line arguments placed before the real ones.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "conf.h"

extern char **environ;

static char **merged;           /* the vector handed out (owned) */
static int nmerged;

static void push(char ***v, int *n, const char *s, size_t len)
{
    char *c = malloc(len + 1);
    char **nv = realloc(*v, (size_t)(*n + 2) * sizeof *nv);
    if (!c || !nv) {
        fputs("swarm: out of memory\n", stderr);
        abort();
    }
    memcpy(c, s, len);
    c[len] = '\0';
    *v = nv;
    (*v)[(*n)++] = c;
    (*v)[*n] = NULL;
}

static int truthy(const char *v, size_t n)
{
    return (n == 4 && strncasecmp(v, "true", 4) == 0) || (n == 3 && strncasecmp(v, "yes", 3) == 0)
           || (n == 1 && (*v == '1' || *v == 'y' || *v == 'Y')) || (n == 2 && strncasecmp(v, "on", 2) == 0);
}

static int falsy(const char *v, size_t n)
{
    return (n == 5 && strncasecmp(v, "false", 5) == 0) || (n == 2 && strncasecmp(v, "no", 2) == 0)
           || (n == 1 && (*v == '0' || *v == 'n' || *v == 'N')) || (n == 3 && strncasecmp(v, "off", 3) == 0);
}

/* Append "--key" [value] for one option; key may use '_' for '-'. Returns
 * 0, 1 when the key is unknown, -1 when a flag has a value that is neither
 * true nor false. */
static int add_option(char ***args, int *n, const char *key, size_t klen,
                      const char *val, size_t vlen)
{
    char name[128];
    if (klen + 3 > sizeof name)
        return 1;
    name[0] = name[1] = '-';
    for (size_t i = 0; i < klen; i++)
        name[2 + i] = key[i] == '_' ? '-' : (char)tolower((unsigned char)key[i]);
    name[2 + klen] = '\0';
    int kind = sw_cli_option_kind(name + 2, klen);
    if (kind < 0 || !strcmp(name, "--config"))
        return 1;
    if (kind == 0) {
        if (vlen == 0 || truthy(val, vlen)) {
            push(args, n, name, klen + 2);
            return 0;
        }
        return falsy(val, vlen) ? 0 : -1;
    }
    push(args, n, name, klen + 2);
    push(args, n, val, vlen);
    return 0;
}

int sw_conf_parse_text(const char *text, char ***args, int *n, char *err, size_t cap)
{
    int line = 0;
    const char *p = text;
    while (p && *p) {
        line++;
        const char *eol = strchr(p, '\n');
        const char *e = eol ? eol : p + strlen(p);
        const char *next = eol ? eol + 1 : NULL;
        while (p < e && isspace((unsigned char)*p))
            p++;
        while (e > p && isspace((unsigned char)e[-1]))
            e--;
        if (p == e || *p == '#' || *p == ';' || *p == '[') {
            p = next;
            continue;
        }
        const char *k = p;
        while (p < e && !isspace((unsigned char)*p) && *p != '=' && *p != ':')
            p++;
        size_t klen = (size_t)(p - k);
        while (p < e && isspace((unsigned char)*p))
            p++;
        if (p < e && (*p == '=' || *p == ':'))
            p++;
        while (p < e && isspace((unsigned char)*p))
            p++;
        size_t vlen = (size_t)(e - p);
        if (vlen >= 2 && ((*p == '"' && e[-1] == '"') || (*p == '\'' && e[-1] == '\''))) {
            p++;
            vlen -= 2;
        }
        int r = klen ? add_option(args, n, k, klen, p, vlen) : -1;
        if (r < 0) {
            snprintf(err, cap, "%d: cannot read '%.*s' (write key = value, true/false for a flag)",
                     line, (int)(e - k > 60 ? 60 : e - k), k);
            return -1;
        }
        if (r > 0)
            fprintf(stderr, "swarm: config line %d: unknown option '%.*s' ignored\n", line,
                    (int)klen, k);
        p = next;
    }
    return 0;
}

/* SWARM_X or LOCUST_X variables (prefix given) into arguments. */
static int from_env(const char *prefix, char ***args, int *n, char *err, size_t cap)
{
    size_t pl = strlen(prefix);
    for (char **e = environ; e && *e; e++) {
        if (strncmp(*e, prefix, pl) != 0)
            continue;
        const char *eq = strchr(*e, '=');
        if (!eq || eq == *e + pl)
            continue;
        const char *key = *e + pl;
        size_t klen = (size_t)(eq - key);
        if (add_option(args, n, key, klen, eq + 1, strlen(eq + 1)) < 0) {
            snprintf(err, cap, "swarm: %.*s must be true or false for a flag, got '%s'",
                     (int)(eq - *e), *e, eq + 1);
            return -1;
        }
    }
    return 0;
}

int sw_conf_argv(int argc, char **argv, int *out_argc, char ***out_argv,
                 char *err, size_t cap)
{
    char **v = NULL;
    int n = 0;
    const char *config = NULL;
    sw_conf_free();
    push(&v, &n, argc > 0 && argv[0] ? argv[0] : "swarm", argc > 0 && argv[0] ? strlen(argv[0]) : 5);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            config = argv[i + 1];
        else if (!strncmp(argv[i], "--config=", 9))
            config = argv[i] + 9;
    }
    if (config) {
        FILE *f = fopen(config, "rb");
        if (!f) {
            snprintf(err, cap, "swarm: cannot read the config file %s: %s", config, strerror(errno));
            goto fail;
        }
        char *text = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&text, &len);
        char buf[4096];
        size_t got;
        while (m && (got = fread(buf, 1, sizeof buf, f)) > 0)
            fwrite(buf, 1, got, m);
        fclose(f);
        if (m)
            fclose(m);
        char why[200];
        int r = text ? sw_conf_parse_text(text, &v, &n, why, sizeof why) : -1;
        free(text);
        if (r != 0) {
            snprintf(err, cap, "swarm: %s:%s", config, text ? why : " cannot read it");
            goto fail;
        }
    }
    if (from_env("LOCUST_", &v, &n, err, cap) != 0 || from_env("SWARM_", &v, &n, err, cap) != 0)
        goto fail;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc) {
            i++;
            continue;
        }
        if (!strncmp(argv[i], "--config=", 9))
            continue;
        push(&v, &n, argv[i], strlen(argv[i]));
    }
    merged = v;
    nmerged = n;
    *out_argc = n;
    *out_argv = v;
    return 0;
fail:
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
    return -1;
}

void sw_conf_free(void)
{
    for (int i = 0; i < nmerged; i++)
        free(merged[i]);
    free(merged);
    merged = NULL;
    nmerged = 0;
}
