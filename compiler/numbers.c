/*
 * numbers.c -- checking and generating `threshold` and `arrival` lines
 * (see numbers.h).
 */
#include <string.h>

#include "numbers.h"
#include "../runtime/thrspec.h"   /* shared with the load binary */

const char *numbers_tail(const ast *d, size_t *skip)
{
    size_t k = d->kind == D_THRESHOLD ? strlen("threshold") : strlen("arrival");
    if (k > d->len)
        k = d->len;
    *skip = k;
    return d->name + k;
}

/* A location inside the one-line directive d: byte offset col, span n. */
static ast_loc inside(const ast *d, size_t skip, int col, int n)
{
    ast_loc l = d->loc;
    int at = (int)skip + col;
    if (at > (int)d->len)
        at = (int)d->len;
    l.col += at;
    l.off += at;
    l.end_line = l.line;
    l.end_col = l.col + (n > 0 ? n : 1) - 1;
    l.end_off = l.off + (n > 0 ? n : 1);
    return l;
}

static void check_one(diag *dg, const ast *d, int top, const ast **arrival)
{
    char err[256];
    int col = 0, span = 1;
    size_t skip;
    const char *t = numbers_tail(d, &skip);
    const char *kw = d->kind == D_THRESHOLD ? "threshold" : "arrival";
    if (!top) {
        diag_error(dg, d->loc, "'%s' belongs at the top level, not inside a user class", kw);
        return;
    }
    if (d->kind == D_ARRIVAL) {
        if (*arrival) {             /* the last one counts, as a later setting would */
            diag_warning(dg, d->loc, "a second 'arrival' rate: this one replaces the first");
            diag_note(dg, (*arrival)->loc, "first declared here");
        }
        *arrival = d;
        sw_arr_spec a;
        if (sw_arr_parse(t, &a, err, sizeof err, &col, &span) != 0)
            diag_error(dg, inside(d, skip, col, span), "%s", err);
        return;
    }
    sw_thr_spec s;
    if (sw_thr_parse(t, &s, err, sizeof err, &col, &span) != 0)
        diag_error(dg, inside(d, skip, col, span), "%s", err);
}

void numbers_check(ast_file *f, diag *d)
{
    const ast *arrival = NULL;
    for (const ast *x = f->decls; x; x = x->next) {
        if (x->kind == D_THRESHOLD || x->kind == D_ARRIVAL)
            check_one(d, x, 1, &arrival);
        if (x->kind == D_USER)
            for (const ast *y = x->a; y; y = y->next)
                if (y->kind == D_THRESHOLD || y->kind == D_ARRIVAL)
                    check_one(d, y, 0, &arrival);
    }
}
