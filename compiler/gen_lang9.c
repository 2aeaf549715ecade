/*
 * gen_lang9.c -- code for the statements of LANGUAGE.md section 9 (issue 9):
 * `header NAME = EXPR`, `stop user`, `quit [STATUS]`, `record NAME time MS
 * [failure MSG]`. Kept apart from gen_stmt.c so other work on the generator
 * merges cleanly.
 */
#include <stdlib.h>
#include <string.h>

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
    case S_RETURN:                      /* return VALUE: slot 0 of the fn's frame */
        gen_ind(g);
        fputs("sw_set(&F->ret, ", g->o);
        gen_expr(g, s->a);
        fputs(");\n", g->o);
        g->b->fn->used_f = 1;
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

/* ------------------------------------------------------------ functions */

static int count_list(const ast *l)
{
    int n = 0;
    for (; l; l = l->next)
        n++;
    return n;
}

/* The C name of fn d's body: fn_NAME, or u_CLASS_fn_NAME for a fn declared
 * in a user class (found by looking for d among the classes' declarations). */
static void fn_cname(gen *g, const ast *d, char *buf, size_t cap)
{
    for (const ast *u = g->f->decls; u; u = u->next) {
        if (u->kind != D_USER)
            continue;
        for (const ast *x = u->a; x; x = x->next)
            if (x == d) {
                snprintf(buf, cap, "u_%s_fn_%s", u->name, d->name);
                return;
            }
    }
    snprintf(buf, cap, "fn_%s", d->name);
}

int gen_fn_call(gen *g, const ast *s, const ast *target)
{
    const ast *call = s->a;
    if (!call || call->kind != E_CALL || !call->sym || call->sym->kind != D_FN)
        return 0;
    char cname[256];
    int n = count_list(call->a), k = 0, raise = 0;
    fn_cname(g, call->sym, cname, sizeof cname);
    gen_line(g, "/* call %s */", call->sym->name);
    gen_line(g, "{");
    g->ind++;
    for (const ast *a = call->a; a; a = a->next) {
        gen_ind(g);
        fprintf(g->o, "sw_val a%d = ", k++);
        gen_expr(g, a);
        fputs(";\n", g->o);
        raise |= gen_can_raise(a);
    }
    if (raise) {
        gen_line(g, "if (sw_failed(co)) {");
        g->ind++;
        for (int i = 0; i < n; i++)
            gen_line(g, "sw_unref(a%d);", i);
        gen_ind(g);
        gen_err_jump(g);
        fputc('\n', g->o);
        g->ind--;
        gen_line(g, "}");
    }
    int pc = gen_new_pc(g);
    gen_ind(g);
    fprintf(g->o, "sw_call(co, &BODY_%s, %d", cname, n);
    for (int i = 0; i < n; i++)
        fprintf(g->o, ", a%d", i);
    fputs(");\n", g->o);
    g->ind--;
    gen_line(g, "}");
    gen_label(g, "resume_%d", pc);
    gen_line(g, "if (sw_call_step(co) == SW_WAIT)");
    gen_line(g, g->b->fn->up ? "    return BLK_WAIT;" : "    return SW_WAIT;");
    gen_ind(g);
    if (target) {
        fputs("sw_set(&", g->o);
        gen_slot(g, target, ROLE_VAL);
        fputs(", sw_call_result(co));\n", g->o);
    } else {
        fputs("sw_unref(sw_call_result(co));\n", g->o);
    }
    gen_check(g);
    return 1;
}

void gen_fns(gen *g, const ast *decls, const char *prefix)
{
    for (const ast *d = decls; d; d = d->next) {
        if (d->kind != D_FN)
            continue;
        char cname[256], title[200];
        int n = count_list(d->b), k = 0;
        gen_member *caps = gen_alloc(NULL, (size_t)(n + 1) * sizeof *caps);
        caps[k].node = d;                   /* slot 0: the return value */
        caps[k++].role = ROLE_RET;
        for (const ast *p = d->b; p; p = p->next) {
            caps[k].node = p;               /* then the arguments, in order */
            caps[k++].role = ROLE_VAL;
        }
        snprintf(cname, sizeof cname, "%sfn_%s", prefix, d->name);
        snprintf(title, sizeof title, "fn %s", d->name);
        g->fn_body = 1;
        gen_body_fn(g, cname, title, d->a, NULL, caps, k);
        free(caps);
    }
}

/* ---- the load shape (issue 9; `arrival` issue 10) ---- */

/* A stage's `rate R` (users/s) and `arrival A [per second|minute]`
 * (iterations/s), left as they are when absent; check.c made sure each
 * word is followed by its number. */
static void stage_clauses(const ast *s, double *rate, double *arrival)
{
    for (const ast *w = s->d; w && w->next; w = w->next) {
        if (w->kind != E_NAME)
            continue;
        double v = 0;
        gen_const_ms(w->next, &v);
        if (strcmp(w->name, "rate") == 0) {
            *rate = v;
        } else if (strcmp(w->name, "arrival") == 0) {
            const ast *per = w->next->next;
            if (per && per->kind == E_NAME && strcmp(per->name, "per") == 0
                && per->next && strcmp(per->next->name, "minute") == 0)
                v /= 60.0;
            *arrival = v;
        }
    }
}

int gen_stages(FILE *globals, const ast *shape)
{
    int n = 0;
    fputs("static const sw_stage STAGES[] = {\n", globals);
    for (const ast *s = shape->a; s; s = s->next) {
        double ms = 0, rate = -1, arrival = -1;
        gen_const_ms(s->a, &ms);
        stage_clauses(s, &rate, &arrival);
        fputs("    { ", globals);
        gen_num(globals, ms);
        fprintf(globals, ", %lld, ", (long long)s->b->i);
        gen_num(globals, rate);
        fputs(", ", globals);
        gen_num(globals, arrival);
        fputs(" },\n", globals);
        n++;
    }
    fputs("};\n", globals);
    return n;
}
