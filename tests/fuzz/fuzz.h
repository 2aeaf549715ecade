/*
 * fuzz.h -- shared by the fuzz harnesses in tests/fuzz/NAME.c (see
 * docs/testing.md, "Fuzzing"). A harness defines
 *     static void fz_one(char *data, size_t len);
 * which runs one input through the code under test, and includes this
 * header, which supplies main: a plain program that reads one input -- the
 * file named by argv[1], or stdin when there is none or it is "-" -- calls
 * fz_one and exits 0 whatever the input was. Only a crash, a sanitizer
 * report or a broken invariant (fz_assert: abort) is a finding. The same
 * source builds with the suite's compiler (the replay in `make check`) and
 * with afl-cc (`make fuzz`), where main runs fz_one in AFL++'s persistent
 * mode: many inputs per process, so fz_one must leave no state behind.
 *
 * Ownership: data is a malloc'd copy, NUL-terminated after len bytes, that
 * fz_one may modify but does not free.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef __AFL_FUZZ_TESTCASE_LEN
/* Read the whole input; exits 2 with a message when it cannot. */
static char *fz_read(int argc, char **argv, size_t *len)
{
    const char *path = argc > 1 && strcmp(argv[1], "-") != 0 ? argv[1] : NULL;
    FILE *fp = path ? fopen(path, "rb") : stdin;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    if (!fp || !buf) {
        fprintf(stderr, "fuzz: cannot read %s\n", path ? path : "stdin");
        exit(2);
    }
    for (;;) {
        if (cap - n < 2) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                fprintf(stderr, "fuzz: out of memory\n");
                exit(2);
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, fp);
        if (got == 0)
            break;
        n += got;
    }
    if (path)
        fclose(fp);
    buf[n] = '\0';
    *len = n;
    return buf;
}
#endif

/* An invariant of the code under test: abort (a finding) when it fails. */
#define fz_assert(cond)                                                     \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,      \
                    __LINE__, #cond);                                       \
            abort();                                                        \
        }                                                                   \
    } while (0)

static void fz_one(char *data, size_t len);

#ifdef __AFL_FUZZ_TESTCASE_LEN
__AFL_FUZZ_INIT();

int main(void)
{
    __AFL_INIT();
    unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
    while (__AFL_LOOP(2000)) {
        size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
        char *copy = malloc(len + 1);
        if (!copy)
            abort();
        memcpy(copy, buf, len);
        copy[len] = '\0';
        fz_one(copy, len);
        free(copy);
    }
    return 0;
}
#else
int main(int argc, char **argv)
{
    size_t len;
    char *data = fz_read(argc, argv, &len);
    fz_one(data, len);
    free(data);
    return 0;
}
#endif

#endif /* FUZZ_H */
