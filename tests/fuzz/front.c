/*
 * front.c -- fuzz harness for the swarmc front end: the input is a .swarm
 * source; it is scanned, parsed (with error recovery), checked, and when it
 * has no errors translated to C (written to /dev/null). Diagnostics are
 * printed to /dev/null too, so every path that formats them runs.
 * Invariant: a file with errors never reaches the generator, and one
 * without errors always generates.
 */
#include "fuzz.h"

#include "ast.h"
#include "check.h"
#include "diag.h"
#include "front.h"
#include "gen.h"

static void fz_one(char *data, size_t len)
{
    FILE *sink = fopen("/dev/null", "w");
    char *src = malloc(len + 1);
    ast_file f;
    diag d;
    if (!sink || !src)
        abort();
    memcpy(src, data, len + 1);
    memset(&f, 0, sizeof f);
    f.path = "fuzz.swarm";
    f.src = src;                  /* front_release frees it */
    f.src_len = len;
    diag_init(&d, f.path, f.src, f.src_len);
    d.out = sink;
    front_parse(&f, &d);
    check_file(&f, &d);
    diag_finish(&d);
    if (d.errors == 0)
        fz_assert(gen_program(&f, sink) == 0);
    front_release(&f);
    fclose(sink);
}
