/*
 * gen_numbers.c -- generating the tables of `threshold` and `arrival` lines
 * (see numbers.h); the runtime parses the threshold texts again with the
 * same parser.
 */
#include <string.h>

#include "gen_priv.h"
#include "numbers.h"
#include "../runtime/thrspec.h"   /* shared with the load binary */

void numbers_gen_tables(FILE *out, const ast_file *f)
{
    int n = 0;
    for (const ast *x = f->decls; x; x = x->next) {
        sw_thr_spec s;
        size_t skip;
        char err[8];
        if (x->kind != D_THRESHOLD || sw_thr_parse(numbers_tail(x, &skip), &s, err, sizeof err,
                                                   NULL, NULL) != 0)
            continue;
        if (!n++)
            fputs("/* thresholds (parsed again at start by the runtime's parser) */\n"
                  "static const char *const THRESHOLDS[] = {\n", out);
        fputs("    ", out);
        gen_cstring(out, s.text, strlen(s.text));
        fputs(",\n", out);
    }
    if (n)
        fputs("};\n\n", out);
}

void numbers_gen_fields(FILE *out, const ast_file *f)
{
    int n = 0;
    const ast *arrival = NULL;      /* the last one counts (numbers.c warns) */
    for (const ast *x = f->decls; x; x = x->next) {
        size_t skip;
        char err[8];
        if (x->kind == D_THRESHOLD) {
            sw_thr_spec s;
            n += sw_thr_parse(numbers_tail(x, &skip), &s, err, sizeof err, NULL, NULL) == 0;
        } else if (x->kind == D_ARRIVAL) {
            arrival = x;
        }
    }
    if (arrival) {
        size_t skip;
        char err[8];
        sw_arr_spec a;
        if (sw_arr_parse(numbers_tail(arrival, &skip), &a, err, sizeof err, NULL, NULL) == 0)
            fprintf(out, "    .arrival_rate = %.17g,\n    .arrival_poisson = %d,\n",
                    a.rate, a.poisson);
    }
    if (n)
        fprintf(out, "    .thresholds = THRESHOLDS,\n    .nthresholds = %d,\n", n);
}
