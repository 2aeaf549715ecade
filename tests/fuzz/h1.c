/*
 * h1.c -- the native engine's response reader on one input: a file
 * named on the command line, else stdin (afl-fuzz's @@ or stdin mode).
 * Exit 0; a broken invariant aborts (see h1_harness.h).
 *
 *   make fuzzers && build/fuzz/h1 tests/fuzz/h1/corpus/chunked
 *   make fuzz FUZZ=h1 FUZZ_TIME=600          # a long afl-fuzz run
 */
#include <stdio.h>
#include <stdlib.h>

#include "h1_harness.h"

int main(int argc, char **argv)
{
    FILE *f = argc > 1 ? fopen(argv[1], "rb") : stdin;
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    for (size_t k; buf && (k = fread(buf + n, 1, cap - n, f)) > 0; ) {
        n += k;
        if (n == cap) {
            uint8_t *p = cap < (64u << 20) ? realloc(buf, cap * 2) : NULL;
            if (!p)
                break;
            buf = p;
            cap *= 2;
        }
    }
    if (f != stdin)
        fclose(f);
    if (buf)
        h1_fuzz_one(buf, n);
    free(buf);
    return 0;
}
