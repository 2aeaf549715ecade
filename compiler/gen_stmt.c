/*
 * gen_stmt.c -- statements and body functions (see the layout comment at
 * the top of gen.c).
 */
#include <stdlib.h>
#include <string.h>

#include "gen_priv.h"

static void gen_stmts(gen *g, const ast *l);

/* ---------------------------------------------------------- frame, jumps */

typedef struct mem_key {
    const gen_body *b;
    const ast *n;
    int role;
} mem_key;

static int mem_has(const void *ctx, int i)
{
    const mem_key *k = ctx;
    return k->b->mem[i].node == k->n && k->b->mem[i].role == k->role;
}

/* Add a frame slot for (node, role) unless the body has it already. */
void gen_add_member(gen *g, const ast *n, int role)
{
    gen_body *b = g->b;
    mem_key key = { b, n, role };
    uint64_t hv = gen_hash(&n, sizeof n, 0);
    hv = gen_hash(&role, sizeof role, hv);
    if (gen_hix_find(&b->memh, hv, mem_has, &key) >= 0)
        return;
    gen_hix_add(&b->memh, hv, b->nmem);
    if (b->nmem == b->cmem) {
        b->cmem = b->cmem ? 2 * b->cmem : 8;
        b->mem = gen_alloc(b->mem, b->cmem * sizeof *b->mem);
    }
    b->mem[b->nmem].node = n;
    b->mem[b->nmem].role = role;
    b->nmem++;
}

void gen_push_ctx(gen *g, int kind, const ast *n)
{
    gen_body *b = g->b;
    if (b->nctx == b->cctx) {
        b->cctx = b->cctx ? 2 * b->cctx : 8;
        b->ctx = gen_alloc(b->ctx, b->cctx * sizeof *b->ctx);
    }
    memset(&b->ctx[b->nctx], 0, sizeof b->ctx[0]);
    b->ctx[b->nctx].kind = kind;
    b->ctx[b->nctx].node = n;
    b->nctx++;
}

/* Write "sw_ref(F->r_...)" for a response slot. */
void gen_ref_slot(gen *g, const ast *req)
{
    fputs("sw_ref(", g->o);
    gen_slot(g, req, ROLE_VAL);
    fputc(')', g->o);
}

/* Settle the response blocks open above context index `down` (exclusive)
 * that the current function owns, innermost first: what break/continue/
 * return do before leaving them (an enclosing function settles its own). */
void gen_settle_above(gen *g, int down)
{
    for (int i = g->b->nctx - 1; i > down && i >= g->b->fn->base; i--) {
        if (g->b->ctx[i].kind != CTX_RESP)
            continue;
        gen_ind(g);
        fputs("sw_settle(co, ", g->o);
        gen_ref_slot(g, g->b->ctx[i].node);
        fputs(");\n", g->o);
    }
}

/* Write the jump to the current error path (no newline): the innermost
 * open response block's fail label when this function owns it, else the
 * body function's fail label, else (a block function) BLK_FAIL for the
 * caller to act on. */
void gen_err_jump(gen *g)
{
    gen_fn *fn = g->b->fn;
    for (int i = g->b->nctx - 1; i >= fn->base; i--) {
        if (g->b->ctx[i].kind == CTX_RESP) {
            g->b->ctx[i].fail = 1;
            fprintf(g->o, "goto fail_%d;", gen_id(g, g->b->ctx[i].node));
            return;
        }
    }
    if (fn->up) {
        fn->can_fail = 1;
        fputs("return BLK_FAIL;", g->o);
        return;
    }
    fn->used_fail = 1;
    fputs("goto fail;", g->o);
}

void gen_check(gen *g)
{
    gen_ind(g);
    fputs("if (sw_failed(co)) ", g->o);
    gen_err_jump(g);
    fputc('\n', g->o);
}

static const char *const exit_name[] = { "BREAK", "CONTINUE", "END" };
static const char *const exit_label[] = { "brk", "cont", "end" };

/* Leave by `kind` (EX_*; node is the loop of a break/continue, the
 * S_REQUEST whose block an expect ends): settle the response blocks this
 * function owns that are left, then jump to the label when this function
 * owns the target, else return the status to the caller. An EX_END whose
 * block is not open anywhere in the body ends the body, like return. */
void gen_leave(gen *g, int kind, const ast *node)
{
    gen_body *b = g->b;
    gen_fn *fn = b->fn;
    int i = -1;
    if (kind == EX_FAIL) {
        gen_ind(g);
        gen_err_jump(g);
        fputc('\n', g->o);
        return;
    }
    if (kind != EX_RETURN) {
        for (i = b->nctx - 1; i >= 0; i--)
            if (b->ctx[i].node == node &&
                b->ctx[i].kind == (kind == EX_END ? CTX_RESP : CTX_LOOP))
                break;
        if (i < 0)
            kind = EX_RETURN;
    }
    gen_settle_above(g, i);
    if (kind == EX_RETURN) {
        if (fn->up) {
            fn->can_return = 1;
            gen_line(g, "return BLK_RETURN;");
        } else {
            gen_line(g, "return SW_DONE;");
        }
        return;
    }
    if (i >= fn->base) {
        if (kind == EX_BREAK)
            b->ctx[i].brk = 1;
        else if (kind == EX_CONTINUE)
            b->ctx[i].cont = 1;
        else
            b->ctx[i].end = 1;
        gen_line(g, "goto %s_%d;", exit_label[kind], gen_id(g, node));
        return;
    }
    int k;
    for (k = 0; k < fn->nex; k++)
        if (fn->ex[k].kind == kind && fn->ex[k].node == node)
            break;
    if (k == fn->nex) {
        if (fn->nex == fn->cex) {
            fn->cex = fn->cex ? 2 * fn->cex : 4;
            fn->ex = gen_alloc(fn->ex, fn->cex * sizeof *fn->ex);
        }
        fn->ex[fn->nex].kind = kind;
        fn->ex[fn->nex].node = node;
        fn->nex++;
    }
    gen_line(g, "return BLK_%s(%d);", exit_name[kind], gen_id(g, node));
}

/* A wait point: writes "pc = k;" (the body's F->h.pc, or the block
 * function's F->bp_<id>); the code that starts the wait must follow. */
int gen_new_pc(gen *g)
{
    gen_fn *fn = g->b->fn;
    int pc = ++fn->npc;
    fn->used_f = 1;
    if (fn->up)
        gen_line(g, "F->bp_%d = sw_int(%d);", gen_id(g, fn->node), pc);
    else
        gen_line(g, "F->h.pc = %d;", pc);
    return pc;
}

void gen_wait_return(gen *g, int pc)
{
    gen_line(g, g->b->fn->up ? "return BLK_WAIT;" : "return SW_WAIT;");
    gen_label(g, "resume_%d", pc);
}

/* Open a function record writing to its own stream. */
static void fn_open(gen *g, gen_fn *fn, gen_fn *up, const ast *node)
{
    memset(fn, 0, sizeof *fn);
    fn->up = up;
    fn->node = node;
    fn->base = g->b ? g->b->nctx : 0;
    fn->o = open_memstream(&fn->buf, &fn->len);
    if (!fn->o)
        gen_alloc(NULL, (size_t)-1);
}

/* Write the function's head (frame pointer, vars pointer, resume
 * dispatch) and its statements to the functions section, and free it. */
static void fn_write(gen *g, gen_fn *fn, const char *pcvar)
{
    FILE *o = g->s_func;
    fprintf(o, "    struct %s_frame *F = sw_frame_of(co);\n", g->b->cname);
    if (fn->used_v && g->vars_type)
        fprintf(o, "    struct %s *V = sw_vars_of(co);\n", g->vars_type);
    if (!fn->used_f)
        fputs("    (void)F;\n", o);
    for (int k = 1; k <= fn->npc; k++)
        fprintf(o, "    if (%s == %d) goto resume_%d;\n", pcvar, k, k);
    fwrite(fn->buf, 1, fn->len, o);
    fputs("}\n\n", o);
    free(fn->buf);
}

/* Generate statement s (a request with a response block, or a poll) as the
 * block function resp_<id> / poll_<id> over the current body's frame, with
 * emit writing the block's code, and call it here: on BLK_WAIT this
 * function records its resume point at the call and waits too; on
 * resumption it calls the block again, which resumes at its own pc
 * (F->bp_<id>, reset before the first call). The other statuses are acted
 * on here as if the block's break/continue/return/error happened here. */
void gen_block_fn(gen *g, const ast *s, void (*emit)(gen *g, const ast *s))
{
    gen_fn fn, *up = g->b->fn;
    FILE *save_o = g->o;
    int save_ind = g->ind, id = gen_id(g, s);
    const char *what = s->kind == S_POLL ? "poll" : "resp";
    char pcvar[64];
    fn_open(g, &fn, up, s);
    g->b->fn = &fn;
    g->o = fn.o;
    g->ind = 1;
    gen_lineinfo(g, s);
    emit(g, s);
    fclose(fn.o);
    g->b->fn = up;
    g->o = save_o;
    g->ind = save_ind;
    g->nblk++;

    fprintf(g->s_proto, "static int %s_%d(sw_co *co);\n", what, id);
    fprintf(g->s_func, "/* %s %d of %s: the %s at line %d */\nstatic int %s_%d(sw_co *co)\n{\n",
            what, id, g->b->cname, s->kind == S_POLL ? "poll loop" : "response block",
            s->loc.line, what, id);
    snprintf(pcvar, sizeof pcvar, "F->bp_%d.u.i", id);
    int waits = fn.npc > 0;
    if (waits)
        gen_add_member(g, s, ROLE_PC);
    fn_write(g, &fn, pcvar);

    /* the call */
    int pc = 0;
    if (waits) {
        up->used_f = 1;
        gen_line(g, "F->bp_%d = sw_int(0);", id);
        pc = gen_new_pc(g);
        gen_label(g, "resume_%d", pc);
    }
    if (!waits && !fn.can_return && !fn.can_fail && !fn.nex) {
        gen_line(g, "(void)%s_%d(co);", what, id);
        free(fn.ex);
        return;
    }
    gen_line(g, "{");
    g->ind++;
    gen_line(g, "int st = %s_%d(co);", what, id);
    if (waits)
        gen_line(g, up->up ? "if (st == BLK_WAIT) return BLK_WAIT;"
                           : "if (st == BLK_WAIT) return SW_WAIT;");
    if (fn.can_fail) {
        gen_line(g, "if (st == BLK_FAIL) {");
        g->ind++;
        gen_leave(g, EX_FAIL, NULL);
        g->ind--;
        gen_line(g, "}");
    }
    if (fn.can_return) {
        gen_line(g, "if (st == BLK_RETURN) {");
        g->ind++;
        gen_leave(g, EX_RETURN, NULL);
        g->ind--;
        gen_line(g, "}");
    }
    for (int k = 0; k < fn.nex; k++) {
        gen_line(g, "if (st == BLK_%s(%d)) {", exit_name[fn.ex[k].kind],
                 gen_id(g, fn.ex[k].node));
        g->ind++;
        gen_leave(g, fn.ex[k].kind, fn.ex[k].node);
        g->ind--;
        gen_line(g, "}");
    }
    g->ind--;
    gen_line(g, "}");
    free(fn.ex);
}

/* A condition as a C int: sw_truthy(X) when X cannot raise, else
 * sw_cond(co, X), which is false whenever an error is pending, so the
 * caller's `sw_failed` test right after the false branch takes the error
 * path (an error never passes as true). With at: "(sw_at(...), ...)" for
 * conditions evaluated away from their statement's sw_at (else if). */
void gen_cond(gen *g, const ast *c, const ast *at)
{
    int raise = gen_can_raise(c);
    if (at && raise)
        fprintf(g->o, "(sw_at(co, &LOC_%d), ", gen_lock(g, at->loc.line, at->loc.col));
    fputs(raise ? "sw_cond(co, " : "sw_truthy(", g->o);
    gen_expr(g, c);
    fputs(at && raise ? "))" : ")", g->o);
}

void gen_block(gen *g, const ast *blk)
{
    g->ind++;
    if (blk)
        gen_stmts(g, blk->kind == S_BLOCK ? blk->a : blk);
    g->ind--;
}

/* ------------------------------------------------------------ statements */

static void gen_if(gen *g, const ast *s)
{
    const ast *cur = s;
    int first = 1;
    for (;;) {
        if (!first)
            gen_lineinfo(g, cur);
        gen_ind(g);
        fputs(first ? "if (" : "} else if (", g->o);
        gen_cond(g, cur->a, first ? NULL : cur);
        fputs(") {\n", g->o);
        gen_block(g, cur->b);
        if (gen_can_raise(cur->a)) {
            gen_line(g, "} else if (sw_failed(co)) {");
            g->ind++;
            gen_ind(g);
            gen_err_jump(g);
            fputc('\n', g->o);
            g->ind--;
        }
        if (!cur->c)
            break;
        if (cur->c->kind == S_IF) {
            cur = cur->c;
            first = 0;
            continue;
        }
        gen_line(g, "} else {");
        gen_block(g, cur->c);
        break;
    }
    gen_line(g, "}");
}

/* Open loop `n` in the context stack, generate body, close it, and write
 * the continue label when used (at the end of the C loop body). Then,
 * except for poll (which waits on every round anyway), the back-edge's
 * time-slice check: when sw_yield says the body has run for its slice, it
 * waits (a zero timer) so the event loop runs timers, signals and the web
 * UI before the loop goes round again. */
static gen_ctx loop_body(gen *g, const ast *n, const ast *body)
{
    gen_push_ctx(g, CTX_LOOP, n);
    gen_block(g, body);
    gen_ctx c = g->b->ctx[--g->b->nctx];
    if (c.cont)
        gen_label(g, "cont_%d", gen_id(g, n));
    if (n->kind != S_POLL) {
        g->ind++;
        gen_line(g, "if (sw_yield(co)) {");
        g->ind++;
        int pc = gen_new_pc(g);
        gen_wait_return(g, pc);
        g->ind--;
        gen_line(g, "}");
        g->ind--;
    }
    return c;
}

static void gen_while(gen *g, const ast *s)
{
    gen_ind(g);
    fputs("while (", g->o);
    gen_cond(g, s->a, s);
    fputs(") {\n", g->o);
    gen_ctx c = loop_body(g, s, s->b);
    gen_line(g, "}");
    if (gen_can_raise(s->a))
        gen_check(g);
    if (c.brk)
        gen_label(g, "brk_%d", gen_id(g, s));
}

static void gen_repeat(gen *g, const ast *s)
{
    char n[64];
    gen_add_member(g, s, ROLE_VAL);
    gen_member_name(g, s, ROLE_VAL, n, sizeof n);
    gen_ind(g);
    fprintf(g->o, "sw_set(&F->%s, ", n);
    gen_expr(g, s->a);
    fputs(");\n", g->o);
    if (gen_can_raise(s->a))
        gen_check(g);
    gen_line(g, "while (sw_countdown(&F->%s)) {", n);
    gen_ctx c = loop_body(g, s, s->b);
    gen_line(g, "}");
    if (!s->a || s->a->kind != E_INT)
        gen_check(g);
    if (c.brk)
        gen_label(g, "brk_%d", gen_id(g, s));
}

static void gen_for(gen *g, const ast *s)
{
    char l[64], i[64], x[160];
    gen_add_member(g, s, ROLE_LIST);
    gen_add_member(g, s, ROLE_IDX);
    gen_add_member(g, s, ROLE_VAL);
    gen_member_name(g, s, ROLE_LIST, l, sizeof l);
    gen_member_name(g, s, ROLE_IDX, i, sizeof i);
    gen_member_name(g, s, ROLE_VAL, x, sizeof x);
    gen_ind(g);
    fprintf(g->o, "sw_set(&F->%s, ", l);
    gen_expr(g, s->a);
    fputs(");\n", g->o);
    if (gen_can_raise(s->a))
        gen_check(g);
    gen_line(g, "sw_set(&F->%s, SW_NULL);", i);
    gen_line(g, "while (sw_iter(sw_ref(F->%s), &F->%s, &F->%s)) {", l, i, x);
    gen_ctx c = loop_body(g, s, s->b);
    gen_line(g, "}");
    gen_check(g);
    if (c.brk)
        gen_label(g, "brk_%d", gen_id(g, s));
}

/* Find the open loop a break/continue targets (its sym, else innermost). */
static int find_loop(gen *g, const ast *s)
{
    for (int i = g->b->nctx - 1; i >= 0; i--)
        if (g->b->ctx[i].kind == CTX_LOOP && (!s->sym || g->b->ctx[i].node == s->sym))
            return i;
    return -1;
}

static void gen_jump(gen *g, const ast *s)
{
    int i = find_loop(g, s);
    if (i < 0) {
        gen_line(g, "/* %s outside a loop */", s->kind == S_BREAK ? "break" : "continue");
        return;
    }
    gen_leave(g, s->kind == S_BREAK ? EX_BREAK : EX_CONTINUE, g->b->ctx[i].node);
}

static void gen_sleep(gen *g, const ast *s)
{
    double ms;
    int pc;
    if (gen_const_ms(s->a, &ms)) {
        pc = gen_new_pc(g);
        gen_ind(g);
        fputs("sw_sleep(co, ", g->o);
        gen_num(g->o, ms);
        fputs(");\n", g->o);
    } else {
        gen_line(g, "{");
        g->ind++;
        gen_ind(g);
        fputs("double ms = ", g->o);
        gen_ms(g, s->a);
        fputs(";\n", g->o);
        gen_check(g);
        pc = gen_new_pc(g);
        gen_line(g, "sw_sleep(co, ms);");
        g->ind--;
        gen_line(g, "}");
    }
    gen_wait_return(g, pc);
}

/* Store a non-literal poll duration once: F->slot = float(ms). */
static void poll_value(gen *g, const ast *s, const ast *e, int role)
{
    char n[64];
    gen_add_member(g, s, role);
    gen_member_name(g, s, role, n, sizeof n);
    gen_ind(g);
    fprintf(g->o, "sw_set(&F->%s, sw_float(", n);
    gen_ms(g, e);
    fputs("));\n", g->o);
    gen_check(g);
}

static void poll_ms(gen *g, const ast *s, const ast *e, int role)
{
    double ms;
    char n[64];
    if (gen_const_ms(e, &ms)) {
        gen_num(g->o, ms);
        return;
    }
    gen_member_name(g, s, role, n, sizeof n);
    fprintf(g->o, "sw_ms(sw_ref(F->%s))", n);
}

/* The poll loop, as the body of its block function poll_<id>: durations
 * and start clock, then `for (;;) { body; cont_<id>: [limit: last wait cut
 * to what remains, timeout block, done]; wait EVERY }`. */
static void poll_code(gen *g, const ast *s)
{
    double ms;
    char st[64];
    int id = gen_id(g, s);
    if (!gen_const_ms(s->a, &ms))
        poll_value(g, s, s->a, ROLE_EVERY);
    if (s->b && !gen_const_ms(s->b, &ms))
        poll_value(g, s, s->b, ROLE_LIMIT);
    if (s->b) {
        gen_add_member(g, s, ROLE_START);
        gen_member_name(g, s, ROLE_START, st, sizeof st);
        gen_line(g, "sw_set(&F->%s, sw_float(sw_clock_ms()));", st);
    }
    gen_line(g, "for (;;) {");
    gen_ctx c = loop_body(g, s, s->c);
    g->ind++;
    if (s->b) {
        /* The last wait is cut to what remains of LIMIT (never negative),
           and the timeout block runs right after it: no body run past LIMIT. */
        gen_ind(g);
        fprintf(g->o, "if (sw_clock_ms() + ");
        poll_ms(g, s, s->a, ROLE_EVERY);
        fprintf(g->o, " >= sw_ms(sw_ref(F->%s)) + ", st);
        poll_ms(g, s, s->b, ROLE_LIMIT);
        fputs(") {\n", g->o);
        g->ind++;
        int last = gen_new_pc(g);
        gen_ind(g);
        fprintf(g->o, "{ double left = sw_ms(sw_ref(F->%s)) + ", st);
        poll_ms(g, s, s->b, ROLE_LIMIT);
        fputs(" - sw_clock_ms(); sw_sleep(co, left > 0 ? left : 0); }\n", g->o);
        gen_wait_return(g, last);
        g->ind--;
        if (s->d) {
            g->ind++;
            gen_line(g, "/* timeout of the poll */");
            g->ind--;
            gen_block(g, s->d);
        }
        g->ind++;
        gen_line(g, "return BLK_NEXT;");
        g->ind--;
        gen_line(g, "}");
    }
    int pc = gen_new_pc(g);
    gen_ind(g);
    fputs("sw_sleep(co, ", g->o);
    poll_ms(g, s, s->a, ROLE_EVERY);
    fputs(");\n", g->o);
    gen_wait_return(g, pc);
    g->ind--;
    gen_line(g, "}");
    if (c.brk)
        gen_label(g, "brk_%d", id);
    gen_line(g, "return BLK_NEXT;");
}

static void gen_poll(gen *g, const ast *s)
{
    gen_block_fn(g, s, poll_code);
}

/* Collect into set the declarations a subtree refers to (deep). */
static void refs(gen *g, const ast *n, const ast ***set, int *nset, int *cap)
{
    for (; n; n = n->next) {
        const ast *d = NULL;
        if (n->kind == E_NAME || n->kind == S_ASSIGN)
            d = gen_decl_of(g, n);
        else if (n->kind == S_SUCCESS || n->kind == S_FAILURE || n->kind == S_EXPECT)
            d = n->sym;
        if (d) {
            if (*nset == *cap) {
                *cap = *cap ? 2 * *cap : 16;
                *set = gen_alloc(*set, *cap * sizeof **set);
            }
            (*set)[(*nset)++] = d;
        }
        refs(g, n->a, set, nset, cap);
        refs(g, n->b, set, nset, cap);
        refs(g, n->c, set, nset, cap);
        refs(g, n->d, set, nset, cap);
    }
}

static int ptr_eq(const void *ctx, int i)
{
    const void *const *k = ctx;     /* { set, node } */
    const ast *const *set = k[0];
    return set[i] == k[1];
}

static void gen_spawn(gen *g, const ast *s)
{
    const ast **set = NULL;
    int nset = 0, cap = 0, ncap = 0;
    char cname[64], title[64], m[160];
    gen_hix seth;
    memset(&seth, 0, sizeof seth);
    refs(g, s->a, &set, &nset, &cap);
    for (int j = 0; j < nset; j++)
        gen_hix_add(&seth, gen_hash(&set[j], sizeof set[j], 0), j);
    /* the captured slots: the parent's value members the block refers to */
    gen_member *caps = gen_alloc(NULL, (g->b->nmem + 1) * sizeof *caps);
    for (int i = 0; i < g->b->nmem; i++) {
        gen_member mb = g->b->mem[i];
        const void *key[2] = { set, mb.node };
        if (mb.role == ROLE_VAL &&
            gen_hix_find(&seth, gen_hash(&mb.node, sizeof mb.node, 0), ptr_eq, key) >= 0)
            caps[ncap++] = mb;
    }
    gen_hix_free(&seth);
    snprintf(cname, sizeof cname, "spawn_%d", gen_id(g, s));
    snprintf(title, sizeof title, "spawn at %d:%d", s->loc.line, s->loc.col);
    gen_body_fn(g, cname, title, s->a, g->b, caps, ncap);
    if (!ncap) {
        gen_line(g, "sw_spawn_start(sw_spawn(co, &BODY_%s));", cname);
    } else {
        gen_line(g, "{");
        g->ind++;
        gen_line(g, "sw_co *c = sw_spawn(co, &BODY_%s);", cname);
        gen_line(g, "if (c) {");
        g->ind++;
        gen_line(g, "struct %s_frame *G = sw_frame_of(c);", cname);
        for (int i = 0; i < ncap; i++) {
            gen_member_name(g, caps[i].node, caps[i].role, m, sizeof m);
            gen_line(g, "G->%s = sw_ref(F->%s);", m, m);
        }
        gen_line(g, "sw_spawn_start(c);");
        g->ind--;
        gen_line(g, "}");
        g->ind--;
        gen_line(g, "}");
        g->b->fn->used_f = 1;
    }
    gen_check(g);           /* beyond SW_SPAWN_MAX, sw_spawn raised */
    free(caps);
    free(set);
}

/* Generate one statement: #line, sw_at, its code, its error check. */
/* `let` and assignment: the value of e into decl's slot, then the check
 * for a raised error when e can raise. */
static void gen_store(gen *g, const ast *decl, const ast *e)
{
    gen_ind(g);
    fputs("sw_set(&", g->o);
    gen_slot(g, decl, ROLE_VAL);
    fputs(", ", g->o);
    gen_expr(g, e);
    fputs(");\n", g->o);
    if (gen_can_raise(e))
        gen_check(g);
}

static void gen_stmt(gen *g, const ast *s)
{
    const ast *d;
    gen_lineinfo(g, s);
    gen_line(g, "sw_at(co, &LOC_%d);", gen_lock(g, s->loc.line, s->loc.col));
    switch (s->kind) {
    case S_BLOCK:
        gen_line(g, "{");
        gen_block(g, s);
        gen_line(g, "}");
        break;
    case S_REQUEST: gen_request(g, s); break;
    case S_LET:
        gen_add_member(g, s, ROLE_VAL);
        if (!gen_fn_call(g, s, s))
            gen_store(g, s, s->a);
        break;
    case S_ASSIGN:
        d = gen_decl_of(g, s);
        if (!d || (d->kind == D_VAR && !g->vars_type)) {
            gen_line(g, "/* assignment to unknown '%s' */", s->name ? s->name : "");
            break;
        }
        if (!gen_fn_call(g, s, d))
            gen_store(g, d, s->a);
        break;
    case S_IF: gen_if(g, s); break;
    case S_WHILE: gen_while(g, s); break;
    case S_REPEAT: gen_repeat(g, s); break;
    case S_FOR: gen_for(g, s); break;
    case S_BREAK: case S_CONTINUE: gen_jump(g, s); break;
    case S_RETURN:
        if (s->a) {
            gen_stmt9(g, s);            /* issue 9: return VALUE from a fn */
            break;
        }
        gen_leave(g, EX_RETURN, NULL);
        break;
    case S_SLEEP: gen_sleep(g, s); break;
    case S_SPAWN: gen_spawn(g, s); break;
    case S_POLL: gen_poll(g, s); break;
    case S_LOG: {
        int n = 0;
        for (const ast *e = s->a; e; e = e->next)
            n++;
        gen_ind(g);
        fprintf(g->o, "sw_log(co, %d", n);
        for (const ast *e = s->a; e; e = e->next) {
            fputs(", ", g->o);
            gen_expr(g, e);
        }
        fputs(");\n", g->o);
        for (const ast *e = s->a; e; e = e->next)
            if (gen_can_raise(e)) {
                gen_check(g);
                break;
            }
        break;
    }
    case S_SUCCESS: case S_FAILURE: case S_EXPECT: gen_decide(g, s); break;
    case S_HEADER: case S_STOP_USER: case S_QUIT: case S_RECORD:
        gen_stmt9(g, s);
        break;
    case S_EXPR:
        if (gen_fn_call(g, s, NULL))
            break;
        gen_ind(g);
        fputs("sw_unref(", g->o);
        gen_expr(g, s->a);
        fputs(");\n", g->o);
        if (gen_can_raise(s->a))
            gen_check(g);
        break;
    default:
        gen_line(g, "/* unsupported statement */");
        break;
    }
}

static void gen_stmts(gen *g, const ast *l)
{
    for (; l; l = l->next)
        gen_stmt(g, l);
}

/* ------------------------------------------------------------ bodies */

/* Generate the body function `cname` for block (an S_BLOCK): its frame
 * struct, its prototype and sw_body, and the function itself. caps are the
 * slots a spawn block copies from its parent (they come first). */
void gen_body_fn(gen *g, const char *cname, const char *title, const ast *blk,
                 gen_body *parent, const gen_member *caps, int ncaps)
{
    gen_body b;
    gen_fn fn;
    char m[160];
    memset(&b, 0, sizeof b);
    b.parent = parent;
    b.cname = cname;
    FILE *save_o = g->o;
    gen_body *save_b = g->b;
    int save_ind = g->ind, save_mode = g->mode;
    int is_fn = g->fn_body;
    g->fn_body = 0;
    g->b = &b;
    fn_open(g, &fn, NULL, NULL);
    b.fn = &fn;
    g->o = fn.o;
    g->ind = 1;
    g->mode = GM_BODY;
    for (int i = 0; i < ncaps; i++)
        gen_add_member(g, caps[i].node, caps[i].role);
    if (blk)
        gen_stmts(g, blk->kind == S_BLOCK ? blk->a : blk);
    gen_line(g, "return SW_DONE;");
    if (fn.used_fail) {
        gen_label(g, "fail");
        if (!is_fn)                     /* a fn leaves the error to its caller */
            gen_line(g, "sw_exception(co);");
        gen_line(g, "return SW_DONE;");
    }
    fclose(fn.o);

    fprintf(g->s_struct, "/* frame of %s */\nstruct %s_frame {\n    sw_frame h;\n", title, cname);
    for (int i = 0; i < b.nmem; i++) {
        gen_member_name(g, b.mem[i].node, b.mem[i].role, m, sizeof m);
        fprintf(g->s_struct, "    sw_val %s;%s\n", m,
                b.mem[i].role == ROLE_PC ? "  /* resume point of a block function */" : "");
    }
    fputs("};\n\n", g->s_struct);
    fprintf(g->s_proto, "static sw_step %s(sw_co *co);\n", cname);
    fprintf(g->s_proto, "static const sw_body BODY_%s = { \"%s\", %s, sizeof(struct %s_frame) };\n",
            cname, title, cname, cname);

    fprintf(g->s_func, "/* %s (line %d) */\nstatic sw_step %s(sw_co *co)\n{\n", title,
            blk ? blk->loc.line : 0, cname);
    fn_write(g, &fn, "F->h.pc");
    free(fn.ex);
    free(b.mem);
    gen_hix_free(&b.memh);
    free(b.ctx);
    g->o = save_o;
    g->b = save_b;
    g->ind = save_ind;
    g->mode = save_mode;
}
