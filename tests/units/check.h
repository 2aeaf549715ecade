/*
 * check.h -- the unit tests' only harness. Each CHECK prints one TAP-style
 * line, "ok - what" or "not ok - what (file:line)"; tests/run.sh counts them.
 * A test program exits 1 when any check failed.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <stdlib.h>

static int check_failed_count;

#define CHECK(cond, ...) do {                                           \
        int check_ok_ = !!(cond);                                       \
        printf(check_ok_ ? "ok - " : "not ok - ");                      \
        printf(__VA_ARGS__);                                            \
        if (!check_ok_) {                                               \
            printf(" (%s:%d: %s)", __FILE__, __LINE__, #cond);          \
            check_failed_count++;                                       \
        }                                                               \
        printf("\n");                                                   \
    } while (0)

#define CHECK_DONE() (fflush(stdout), check_failed_count ? 1 : 0)

#endif /* CHECK_H */
