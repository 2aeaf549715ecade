/*
 * diag.h -- compiler diagnostics: one path for every error and warning.
 *
 * Each diagnostic is printed at once, gcc-style:
 *     file:line:col: error: message
 *        12 | the source line
 *           |     ^~~~
 * Errors beyond DIAG_MAX_ERRORS are counted but not printed; diag_finish
 * prints one closing line saying how many were suppressed.
 *
 * Ownership: a diag borrows path and src (the ast_file keeps them alive).
 */
#ifndef DIAG_H
#define DIAG_H

#include <stdio.h>
#include <stddef.h>

#include "ast.h"

enum { DIAG_MAX_ERRORS = 50 };

typedef struct diag {
    const char *path;       /* file name as given on the command line */
    const char *src;        /* whole source text (may contain NULs) */
    size_t src_len;         /* its length */
    FILE *out;              /* where diagnostics go (stderr) */
    int errors;             /* errors reported, printed or not */
    int warnings;           /* warnings printed */
    int last_shown;         /* the last error/warning was printed */
} diag;

#if defined(__GNUC__)
#define DIAG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DIAG_PRINTF(a, b)
#endif

void diag_init(diag *d, const char *path, const char *src, size_t src_len);
void diag_error(diag *d, ast_loc loc, const char *fmt, ...) DIAG_PRINTF(3, 4);
void diag_warning(diag *d, ast_loc loc, const char *fmt, ...) DIAG_PRINTF(3, 4);
/* A note attached to the previous diagnostic (e.g. "first declared here");
 * printed only when that diagnostic was. */
void diag_note(diag *d, ast_loc loc, const char *fmt, ...) DIAG_PRINTF(3, 4);
/* An error without a source location ("file: error: ..."). */
void diag_plain(diag *d, const char *fmt, ...) DIAG_PRINTF(2, 3);
/* Print the "N more errors" line if errors were suppressed. */
void diag_finish(diag *d);

#endif /* DIAG_H */
