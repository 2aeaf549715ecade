/*
 * gen_lit.c -- big literals. A list, object or interpolation with more
 * than GEN_LIT_INLINE elements is not one variadic C call with N
 * arguments (which C compilers take superlinear time over): its items,
 * flattened (an object's as key, value, key, value...), become
 *     static const sw_val LIT_<k>[N] = { constant items, null holes };
 * and the expression is sw_lit_list(N, LIT_<k>) when every item is a
 * constant, else a call of the helper
 *     static sw_val lit_<k>(sw_co *co, void *f, void *v)
 * that makes the list from the table and calls the parts
 * lit_<k>_<j>(co, f, v, l), each filling up to GEN_LIT_PART holes with one
 * statement sw_lit_set(l, i, <item>) apiece. An object is then sw_lit_obj(list),
 * an interpolation sw_lit_join(list). Tables and helpers go to the s_lit
 * section, after the frame structs and prototypes, before the bodies.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gen_priv.h"

/* Write the static initializer of a constant item; 0 when e is not one. */
static int const_item(gen *g, FILE *o, const ast *e)
{
    size_t len;
    char *s;
    switch (e->kind) {
    case E_NULL: fputs("{ .t = SW_T_NULL }", o); return 1;
    case E_BOOL: fprintf(o, "{ .t = SW_T_BOOL, .u.b = %d }", e->i != 0); return 1;
    case E_INT:
        if (e->i == INT64_MIN)
            fputs("{ .t = SW_T_INT, .u.i = INT64_MIN }", o);
        else
            fprintf(o, "{ .t = SW_T_INT, .u.i = INT64_C(%lld) }", (long long)e->i);
        return 1;
    case E_DURATION:
    case E_FLOAT: {
        double ms;
        gen_const_ms(e, &ms);
        if (e->kind == E_DURATION && ms > -1e15 && ms < 1e15 && ms == (double)(long long)ms) {
            fprintf(o, "{ .t = SW_T_INT, .u.i = INT64_C(%lld) }", (long long)ms);
            return 1;
        }
        fputs("{ .t = SW_T_FLOAT, .u.f = ", o);
        gen_num(o, ms);
        fputs(" }", o);
        return 1;
    }
    case E_STRLIT:
        fprintf(o, "{ .t = SW_T_STR, .u.h = &K%d.h }", gen_strk(g, e->name, e->len));
        return 1;
    case E_STRING:
        s = gen_literal_bytes(e, &len);
        if (!s)
            return 0;
        fprintf(o, "{ .t = SW_T_STR, .u.h = &K%d.h }", gen_strk(g, s, len));
        free(s);
        return 1;
    default:
        return 0;
    }
}

/* The items of e, flattened, into a malloc'd array; *n gets the count. */
static const ast **flatten(const ast *e, int *n)
{
    int c = 0;
    for (const ast *p = e->a; p; p = p->next)
        c += p->kind == E_PAIR ? 2 : 1;
    const ast **v = gen_alloc(NULL, (size_t)(c ? c : 1) * sizeof *v);
    c = 0;
    for (const ast *p = e->a; p; p = p->next) {
        if (p->kind == E_PAIR) {
            v[c++] = p->a;
            v[c++] = p->b;
        } else {
            v[c++] = p;
        }
    }
    *n = c;
    return v;
}

/* Statements per part function of a helper. */
#define GEN_LIT_PART 256

/* The pointers a part function's items may use. */
static void lit_locals(gen *g, FILE *h)
{
    if (g->mode == GM_BODY && g->b)
        fprintf(h, "    struct %s_frame *F = f;\n    (void)F;\n", g->b->cname);
    if (g->vars_type && g->mode != GM_INIT)
        fprintf(h, "    struct %s *V = v;\n    (void)V;\n", g->vars_type);
    fputs("    (void)co; (void)f; (void)v;\n", h);
}

void gen_big_literal(gen *g, const ast *e)
{
    int n, k = ++g->nlit, holes = 0;
    const ast **items = flatten(e, &n);
    char *hole = gen_alloc(NULL, (size_t)(n ? n : 1));
    const char *wrap = e->kind == E_OBJECT ? "sw_lit_obj" : e->kind == E_STRING ? "sw_lit_join" : NULL;

    /* the table */
    FILE *t = g->s_lit;
    fprintf(t, "/* the %s at line %d: %d items */\nstatic const sw_val LIT_%d[%d] = {\n",
            e->kind == E_OBJECT ? "object" : e->kind == E_STRING ? "string" : "list",
            e->loc.line, n, k, n);
    for (int i = 0; i < n; i++) {
        fputs("    ", t);
        hole[i] = !const_item(g, t, items[i]);
        if (hole[i]) {
            fputs("{ .t = SW_T_NULL }", t);
            holes++;
        }
        fputs(",\n", t);
    }
    fputs("};\n\n", t);

    if (!holes) {
        fprintf(g->o, "%s%ssw_lit_list(%d, LIT_%d)%s", wrap ? wrap : "", wrap ? "(" : "",
                n, k, wrap ? ")" : "");
        free(items);
        free(hole);
        return;
    }

    /* the helper, generated into its own stream (its items may hold
     * further big literals, whose tables and helpers must come first);
     * the holes are filled by parts of GEN_LIT_PART statements each, so
     * no C function grows with the literal (register allocation is not
     * linear in a function's size) */
    char *buf;
    size_t len;
    FILE *h = open_memstream(&buf, &len), *save_o = g->o;
    int save_ind = g->ind, nparts = 0, done = 0;
    if (!h)
        gen_alloc(NULL, (size_t)-1);
    g->o = h;
    g->ind = 1;
    for (int i = 0; i < n; i++) {
        if (!hole[i])
            continue;
        if (done % GEN_LIT_PART == 0) {
            if (done)
                fputs("}\n\n", h);
            fprintf(h, "static void lit_%d_%d(sw_co *co, void *f, void *v, sw_val l)\n{\n",
                    k, ++nparts);
            lit_locals(g, h);
        }
        fprintf(h, "    sw_lit_set(l, %d, ", i);
        gen_expr(g, items[i]);
        fputs(");\n", h);
        done++;
    }
    fputs("}\n\n", h);
    fprintf(h, "static sw_val lit_%d(sw_co *co, void *f, void *v)\n{\n"
               "    sw_val l = sw_lit_list(%d, LIT_%d);\n", k, n, k);
    for (int j = 1; j <= nparts; j++)
        fprintf(h, "    lit_%d_%d(co, f, v, l);\n", k, j);
    fprintf(h, "    return %s%sl%s;\n}\n\n", wrap ? wrap : "", wrap ? "(" : "", wrap ? ")" : "");
    fclose(h);
    g->o = save_o;
    g->ind = save_ind;
    fwrite(buf, 1, len, g->s_lit);
    free(buf);
    if (g->mode == GM_BODY)
        fprintf(g->o, "lit_%d(co, sw_frame_of(co), sw_vars_of(co))", k);
    else if (g->mode == GM_VARS)
        fprintf(g->o, "lit_%d(co, NULL, V)", k);
    else
        fprintf(g->o, "lit_%d(NULL, NULL, NULL)", k);
    free(items);
    free(hole);
}
