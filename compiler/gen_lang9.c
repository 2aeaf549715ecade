/*
 * gen_lang9.c -- code for the statements of LANGUAGE.md section 9 (issue 9):
 * `header NAME = EXPR`, `stop user`, `quit [STATUS]`, `record NAME time MS
 * [failure MSG]`. Kept apart from gen_stmt.c so other work on the generator
 * merges cleanly.
 */
#include "gen_priv.h"

void gen_stmt9(gen *g, const ast *s)
{
    switch (s->kind) {
    case S_HEADER:
        gen_ind(g);
        fputs("sw_header_set(co, ", g->o);
        gen_expr(g, s->a);
        fputs(", ", g->o);
        gen_expr(g, s->b);
        fputs(");\n", g->o);
        if (gen_can_raise(s->a) || gen_can_raise(s->b))
            gen_check(g);
        break;
    case S_STOP_USER:
        /* the user stops after this body ends, which it does now */
        gen_line(g, "sw_stop_user(co);");
        gen_leave(g, EX_RETURN, NULL);
        break;
    case S_QUIT:
        gen_ind(g);
        fputs("sw_quit(co, ", g->o);
        if (s->a)
            gen_expr(g, s->a);
        else
            fputs("sw_int(0)", g->o);
        fputs(");\n", g->o);
        if (gen_can_raise(s->a))
            gen_check(g);
        gen_leave(g, EX_RETURN, NULL);
        break;
    case S_RECORD:
        gen_ind(g);
        fputs("sw_record(co, ", g->o);
        gen_expr(g, s->a);
        fputs(", ", g->o);
        gen_expr(g, s->b);
        fputs(", ", g->o);
        gen_expr(g, s->c);
        fputs(");\n", g->o);
        if (gen_can_raise(s->a) || gen_can_raise(s->b) || gen_can_raise(s->c))
            gen_check(g);
        break;
    default:
        break;
    }
}
