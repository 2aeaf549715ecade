/*
 * gen_req.c -- requests, their inline response blocks, and the decisions
 * (success / failure / expect) made in them (see the layout comment at the
 * top of gen.c).
 */
#include <stdlib.h>
#include <string.h>

#include "gen_priv.h"

static const char *const methods[] = {
    "SW_GET", "SW_POST", "SW_PUT", "SW_PATCH", "SW_DELETE", "SW_HEAD", "SW_OPTIONS"
};

/* Does the request's construction evaluate anything that can raise? */
static int req_can_raise(const ast *s)
{
    double ms;
    if (gen_can_raise(s->a))
        return 1;
    for (const ast *o = s->b; o; o = o->next) {
        if (o->kind == O_TIMEOUT && !gen_const_ms(o->a, &ms))
            return 1;
        if (o->kind == O_HEADERS || o->kind == O_QUERY || o->kind == O_FORM) {
            for (const ast *p = o->a; p; p = p->next)
                if (gen_can_raise(p))
                    return 1;
        } else if (gen_can_raise(o->a)) {
            return 1;
        }
    }
    return 0;
}

/* One option's call on q; with temps, values were stored in a<k>/t<k>. */
static void req_option(gen *g, const ast *o, int temps, int *k)
{
    static const char *const pairfn[] = { "sw_req_header", "sw_req_query", "sw_req_form" };
    FILE *out = g->o;
    if (o->kind == O_HEADERS || o->kind == O_QUERY || o->kind == O_FORM) {
        for (const ast *p = o->a; p; p = p->next) {
            gen_ind(g);
            fprintf(out, "%s(q, ", pairfn[o->kind - O_HEADERS]);
            if (temps) {
                fprintf(out, "a%d, a%d);\n", *k, *k + 1);
                *k += 2;
                continue;
            }
            gen_expr(g, p->a);
            fputs(", ", out);
            gen_expr(g, p->b);
            fputs(");\n", out);
        }
        return;
    }
    if (o->kind == O_NAME)
        return;
    gen_ind(g);
    if (o->kind == O_JSON || o->kind == O_BODY) {
        fprintf(out, "%s(q, ", o->kind == O_JSON ? "sw_req_json" : "sw_req_body");
        if (temps)
            fprintf(out, "a%d", (*k)++);
        else
            gen_expr(g, o->a);
    } else if (o->kind == O_TIMEOUT) {
        fputs("sw_req_timeout(q, ", out);
        if (temps)
            fprintf(out, "t%d", (*k)++);
        else
            gen_ms(g, o->a);
    } else {
        fputs("sw_req_redirects(q, ", out);
        if (temps) {
            fprintf(out, "f%d", (*k)++);
        } else if (o->a && o->a->kind == E_BOOL) {
            fprintf(out, "%d", o->a->i != 0);
        } else {
            fputs("sw_truthy(", out);
            gen_expr(g, o->a);
            fputc(')', out);
        }
    }
    fputs(");\n", out);
}

/* Temporaries (evaluated before the request exists, so a raise can still
 * release them): a<k> sw_val, t<k> double timeout, f<k> int redirects. */
static void req_temps(gen *g, const ast *o)
{
    int k = 0;
    for (; o; o = o->next) {
        if (o->kind == O_HEADERS || o->kind == O_QUERY || o->kind == O_FORM) {
            for (const ast *p = o->a; p; p = p->next) {
                gen_ind(g);
                fprintf(g->o, "sw_val a%d = ", k++);
                gen_expr(g, p->a);
                fprintf(g->o, ", a%d = ", k++);
                gen_expr(g, p->b);
                fputs(";\n", g->o);
            }
        } else if (o->kind == O_JSON || o->kind == O_BODY) {
            gen_ind(g);
            fprintf(g->o, "sw_val a%d = ", k++);
            gen_expr(g, o->a);
            fputs(";\n", g->o);
        } else if (o->kind == O_TIMEOUT) {
            gen_ind(g);
            fprintf(g->o, "double t%d = ", k++);
            gen_ms(g, o->a);
            fputs(";\n", g->o);
        } else if (o->kind == O_REDIRECTS) {
            gen_ind(g);
            fprintf(g->o, "int f%d = sw_truthy(", k++);
            gen_expr(g, o->a);
            fputs(");\n", g->o);
        }
    }
}

/* The response block of request s, as the body of its block function
 * resp_<id>: the statements, then sw_settle (end_<id>: where an expect
 * that failed jumps); a runtime error jumps to fail_<id>: sw_settle_error.
 * Either way the caller continues after the block. */
static void resp_code(gen *g, const ast *s)
{
    int id = gen_id(g, s);
    gen_ind(g);
    fputs("/* response block of ", g->o);
    gen_slot(g, s, ROLE_VAL);
    fputs(" */\n", g->o);
    gen_push_ctx(g, CTX_RESP, s);
    g->ind--;
    gen_block(g, s->c);
    g->ind++;
    gen_ctx c = g->b->ctx[--g->b->nctx];
    if (c.end)
        gen_label(g, "end_%d", id);
    gen_ind(g);
    fputs("sw_settle(co, ", g->o);
    gen_ref_slot(g, s);
    fputs(");\n", g->o);
    gen_line(g, "return BLK_NEXT;");
    if (c.fail) {
        gen_label(g, "fail_%d", id);
        gen_ind(g);
        fputs("sw_settle_error(co, ", g->o);
        gen_ref_slot(g, s);
        fputs(");\n", g->o);
        gen_line(g, "return BLK_NEXT;");
    }
}

void gen_request(gen *g, const ast *s)
{
    const ast *nameopt = NULL, *url = s->a;
    const char *tpl;
    size_t tlen;
    char *owned;
    int slot = s->name || s->c, temps = req_can_raise(s);
    int k = 0;
    for (const ast *o = s->b; o; o = o->next)
        if (o->kind == O_NAME)
            nameopt = o;
    gen_template(g, url, &tpl, &tlen, &owned);
    gen_ind(g);
    fprintf(g->o, "/* %s ", methods[s->op >= 0 && s->op < 7 ? s->op : 0] + 3);
    gen_comment_text(g->o, tpl, tlen);
    if (s->name)
        fprintf(g->o, " as %s", s->name);
    fputs(" */\n", g->o);
    if (slot)
        gen_add_member(g, s, ROLE_VAL);
    gen_line(g, "{");
    g->ind++;
    if (temps) {
        gen_ind(g);
        fputs("sw_val u = ", g->o);
        gen_expr(g, url);
        fputs(", n = ", g->o);
    } else {
        gen_ind(g);
        fprintf(g->o, "sw_req *q = sw_req_new(co, %s, ",
                methods[s->op >= 0 && s->op < 7 ? s->op : 0]);
        gen_expr(g, url);
        fputs(", ", g->o);
    }
    if (nameopt)
        gen_expr(g, nameopt->a);
    else
        fprintf(g->o, "sw_sval(&K%d)", gen_strk(g, tpl, tlen));
    fputs(temps ? ";\n" : ");\n", g->o);
    free(owned);
    if (temps) {
        req_temps(g, s->b);
        gen_line(g, "if (sw_failed(co)) {");
        g->ind++;
        gen_line(g, "sw_unref(u);");
        gen_line(g, "sw_unref(n);");
        /* release the sw_val temporaries (a<k>; t/f are plain C) */
        k = 0;
        for (const ast *o = s->b; o; o = o->next) {
            if (o->kind == O_HEADERS || o->kind == O_QUERY || o->kind == O_FORM) {
                for (const ast *p = o->a; p; p = p->next) {
                    gen_line(g, "sw_unref(a%d);", k++);
                    gen_line(g, "sw_unref(a%d);", k++);
                }
            } else if (o->kind == O_JSON || o->kind == O_BODY) {
                gen_line(g, "sw_unref(a%d);", k++);
            } else if (o->kind == O_TIMEOUT || o->kind == O_REDIRECTS) {
                gen_line(g, "(void)%c%d;", o->kind == O_TIMEOUT ? 't' : 'f', k++);
            }
        }
        gen_ind(g);
        gen_err_jump(g);
        fputc('\n', g->o);
        g->ind--;
        gen_line(g, "}");
        gen_line(g, "sw_req *q = sw_req_new(co, %s, u, n);",
                 methods[s->op >= 0 && s->op < 7 ? s->op : 0]);
    }
    k = 0;
    for (const ast *o = s->b; o; o = o->next)
        req_option(g, o, temps, &k);
    int pc = gen_new_pc(g);
    gen_ind(g);
    fputs("sw_req_send(q, ", g->o);
    if (slot) {
        fputc('&', g->o);
        gen_slot(g, s, ROLE_VAL);
    } else {
        fputs("NULL", g->o);
    }
    fprintf(g->o, ", %d);\n", s->c != NULL);
    g->ind--;
    gen_line(g, "}");
    gen_wait_return(g, pc);
    gen_check(g);
    if (!s->c)
        return;
    gen_block_fn(g, s, resp_code);
}

/* The response a success/failure/expect decides: the checker's sym (it
 * resolves every decision of a program it accepts). */
static const ast *decided(gen *g, const ast *s)
{
    (void)g;
    return s->sym;
}

void gen_decide(gen *g, const ast *s)
{
    const ast *r = decided(g, s);
    if (!r) {
        gen_line(g, "/* no response to decide */");
        return;
    }
    if (s->kind == S_EXPECT) {
        gen_ind(g);
        fputs("if (!", g->o);
        gen_cond(g, s->a, NULL);
        fputs(") {\n", g->o);
        g->ind++;
        if (gen_can_raise(s->a))
            gen_check(g);
    }
    gen_ind(g);
    fputs("sw_decide(co, ", g->o);
    gen_ref_slot(g, r);
    if (s->kind == S_SUCCESS) {
        fputs(", 1, SW_NULL);\n", g->o);
    } else if (s->kind == S_FAILURE || s->b) {
        fputs(", 0, ", g->o);
        gen_expr(g, s->kind == S_FAILURE ? s->a : s->b);
        fputs(");\n", g->o);
    } else {
        /* default message: the condition's source text */
        int a = s->a ? s->a->loc.off : 0, z = s->a ? s->a->loc.end_off : 0;
        if (a < 0 || z <= a || (size_t)z > g->f->src_len)
            fprintf(g->o, ", 0, sw_sval(&K%d));\n", gen_strk(g, "expect failed", 13));
        else
            fprintf(g->o, ", 0, sw_sval(&K%d));\n",
                    gen_strk(g, g->f->src + a, (size_t)(z - a)));
    }
    gen_check(g);
    if (s->kind != S_EXPECT)
        return;
    /* leave the response block: jump to its end (through the block
     * functions in between), or end the body when it is not open here */
    gen_leave(g, EX_END, r);
    g->ind--;
    gen_line(g, "}");
}

