/*
 * gen.c -- the code generator's driver: program layout, user classes and
 * the runtime tables. Expressions are in gen_expr.c, statements and body
 * functions in gen_stmt.c.
 *
 * Layout of a generated file (sections are built in memory streams and
 * written out in this order, so the output depends only on the tree):
 *   1. #include "sw.h"
 *   2. string constants  static sw_str K<n> = SW_STR_LIT("...");
 *   3. locations         static const sw_loc LOC_<n> = { line, col };
 *   4. frame structs     struct <body>_frame { sw_frame h; sw_val ...; };
 *   5. globals g_<name>, per-class var structs vars_<class>
 *   6. prototypes and   static const sw_body BODY_<body> = {...};
 *   7. body functions (tasks, hooks, spawn blocks) each preceded by its
 *      block functions (response blocks, poll loops), init_vars functions
 *   8. task arrays, CLASSES, script_init, SCRIPT, main()
 * (between 3 and 4, when there are block functions: the BLK_* statuses)
 *
 * Bodies. Every task, hook and spawn block is one function
 * `static sw_step NAME(sw_co *co)` over its frame F (sw.h's model): the
 * function starts with `if (F->h.pc == k) goto resume_k;` lines and every
 * wait point is `F->h.pc = k; <start wait>; } return SW_WAIT; resume_k:;`.
 * No C local lives across a wait: C locals are confined to a brace block
 * that closes before the `return SW_WAIT`. No C switch anywhere.
 *
 * Block functions. Every response block and every poll loop is its own
 * function `static int resp_<id>(sw_co *co)` / `poll_<id>` over the SAME
 * frame as the body containing it (struct <body>_frame: the body's frame
 * holds every local of its blocks). Its resume point is the frame slot
 * bp_<id> (an sw_int; dispatch `if (F->bp_<id>.u.i == k) goto resume_k;`,
 * wait points `F->bp_<id> = sw_int(k); ... return BLK_WAIT; resume_k:;`).
 * The caller (the body or an enclosing block function) resets bp_<id> to
 * 0, records its own resume point and calls it there:
 *     F->bp_7 = sw_int(0); F->h.pc = 3; resume_3:; { int st = resp_7(co);
 *     if (st == BLK_WAIT) return SW_WAIT; ... }
 * so on resumption it calls the block again, which resumes at its own pc.
 * Statuses: BLK_NEXT (fell through), BLK_WAIT, BLK_RETURN (leave the
 * body), BLK_FAIL (a runtime error for the caller's error path),
 * BLK_BREAK(loop id) / BLK_CONTINUE(loop id) (a loop outside the block),
 * BLK_END(request id) (an expect ending an enclosing response block). The
 * caller tests only the statuses the block can return and acts on each as
 * if the statement had been its own: a goto to its label, or the same
 * status returned one level up. A response block function ends with
 * sw_settle (label end_<id>, where a failed expect jumps) and, when an
 * error can happen in it, fail_<id>: sw_settle_error; both return
 * BLK_NEXT. A poll function evaluates its durations and start clock, then
 * runs `for (;;) { body; cont_<id>: [LIMIT: last wait cut to what is left,
 * timeout block, return BLK_NEXT] wait EVERY }`; jumping into that loop at
 * a resume label is plain C (no VLAs). State that spans waits lives in
 * frame slots (response r_..., poll start ps_..., non-literal every/limit
 * pe_... and pl_...). break/continue are `goto brk_<id>` / `goto
 * cont_<id>` inside the function owning the loop (never C break/continue),
 * and they, like `return`, first sw_settle every response block they
 * leave: each function settles the ones it owns, innermost first, before
 * returning the status to its caller.
 *
 * Errors. After each statement that can raise: `if (sw_failed(co)) goto
 * fail_<id>;` inside a response block function, `return BLK_FAIL;` in a
 * poll function (its caller takes its own error path), else `goto fail;`
 * (the body's tail: sw_exception, return SW_DONE). Only used labels are
 * emitted.
 *
 * Names: frame members l_<name>_<id>, r_<name>_<id>, n_/fl_/fi_/ps_/pe_/pl_
 * /bp_<id>; ids number the statements in source order (assigned here, so they
 * do not depend on the checker). Bodies: task_<name>, on_start, ...,
 * spawn_<id>, block functions resp_<id>, poll_<id>; inside `user X`: u_X_task_<name>, u_X_on_start. Every
 * script identifier is prefixed, so C keywords cannot clash.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "numbers.h"
#include "gen_priv.h"

/* Part of the script hash: generated code of another layout is another script. */
#define GEN_HASH_SALT "swarmc 0.1.0 proto 1\n"

/* ------------------------------------------------------------- helpers */

/* realloc that never returns NULL (the compiler gives up when out of
 * memory). */
void *gen_alloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("swarmc: out of memory\n", stderr);
        exit(1);
    }
    return q;
}

static size_t hash_ptr(const void *p, size_t cap)
{
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= (uintptr_t)0x9E3779B97F4A7C15u;
    x ^= x >> 29;
    return (size_t)x & (cap - 1);
}

static void id_put(gen *g, const ast *n, int id)
{
    size_t i = hash_ptr(n, g->idcap);
    while (g->idk[i])
        i = (i + 1) & (g->idcap - 1);
    g->idk[i] = n;
    g->idv[i] = id;
}

/* The number of a statement that owns names in the C (0 if it has none). */
int gen_id(gen *g, const ast *n)
{
    if (!g->idcap)
        return 0;
    size_t i = hash_ptr(n, g->idcap);
    while (g->idk[i]) {
        if (g->idk[i] == n)
            return g->idv[i];
        i = (i + 1) & (g->idcap - 1);
    }
    return 0;
}

static int numbered(const ast *n)
{
    switch (n->kind) {
    case S_LET: case S_FOR: case S_REQUEST: case S_REPEAT: case S_WHILE:
    case S_POLL: case S_SPAWN: case D_PARAM:
        return 1;
    default:
        return 0;
    }
}

static void count_nodes(const ast *n, size_t *c)
{
    for (; n; n = n->next) {
        if (numbered(n))
            (*c)++;
        count_nodes(n->a, c);
        count_nodes(n->b, c);
        count_nodes(n->c, c);
        count_nodes(n->d, c);
    }
}

static void number_nodes(gen *g, const ast *n)
{
    for (; n; n = n->next) {
        if (numbered(n))
            id_put(g, n, ++g->nid);
        number_nodes(g, n->a);
        number_nodes(g, n->b);
        number_nodes(g, n->c);
        number_nodes(g, n->d);
    }
}

void gen_ind(gen *g)
{
    for (int i = 0; i < g->ind; i++)
        fputs("    ", g->o);
}

void gen_line(gen *g, const char *fmt, ...)
{
    va_list ap;
    gen_ind(g);
    va_start(ap, fmt);
    vfprintf(g->o, fmt, ap);
    va_end(ap);
    fputc('\n', g->o);
}

void gen_label(gen *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(g->o, fmt, ap);
    va_end(ap);
    fputs(":;\n", g->o);
}

/* Bytes as a C string literal. Octal escapes are always three digits, and
 * '?' is escaped so no trigraph can form. */
void gen_cstring(FILE *o, const char *s, size_t len)
{
    fputc('"', o);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\' || c == '?')
            fprintf(o, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", o);
        else if (c == '\t')
            fputs("\\t", o);
        else if (c == '\r')
            fputs("\\r", o);
        else if (c < 0x20 || c >= 0x7f)
            fprintf(o, "\\%03o", c);
        else
            fputc(c, o);
    }
    fputc('"', o);
}

/* Bytes inside a C comment: printable ASCII only, no comment delimiters,
 * no trigraphs or line splices. */
void gen_comment_text(FILE *o, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x7f || c == '\\' || c == '?')
            c = '_';
        else if ((c == '*' && i + 1 < len && s[i + 1] == '/') ||
                 (c == '/' && i + 1 < len && s[i + 1] == '*'))
            c = '_';
        fputc(c, o);
    }
}

void gen_lineinfo(gen *g, const ast *n)
{
    fprintf(g->o, "#line %d ", n->loc.line > 0 ? n->loc.line : 1);
    gen_cstring(g->o, g->f->path, strlen(g->f->path));
    fputc('\n', g->o);
}

/* FNV-1a over n bytes, continuing from seed (0 to start). */
uint64_t gen_hash(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *s = p;
    uint64_t h = seed ? seed : 1469598103934665603u;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211u;
    }
    return h;
}

int gen_hix_find(const gen_hix *h, uint64_t hv, int (*eq)(const void *ctx, int i),
                 const void *ctx)
{
    if (!h->cap)
        return -1;
    for (size_t k = (size_t)hv & (h->cap - 1); h->idx[k]; k = (k + 1) & (h->cap - 1))
        if (h->hv[k] == hv && eq(ctx, h->idx[k] - 1))
            return h->idx[k] - 1;
    return -1;
}

static void hix_put(int *idx, uint64_t *hvs, size_t cap, uint64_t hv, int i)
{
    size_t k = (size_t)hv & (cap - 1);
    while (idx[k])
        k = (k + 1) & (cap - 1);
    idx[k] = i + 1;
    hvs[k] = hv;
}

/* Add entry i (hash hv); the table stays at most half full. */
void gen_hix_add(gen_hix *h, uint64_t hv, int i)
{
    if (2 * (h->n + 1) > h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 64;
        int *idx = gen_alloc(NULL, cap * sizeof *idx);
        uint64_t *hvs = gen_alloc(NULL, cap * sizeof *hvs);
        memset(idx, 0, cap * sizeof *idx);
        for (size_t k = 0; k < h->cap; k++)
            if (h->idx[k])
                hix_put(idx, hvs, cap, h->hv[k], h->idx[k] - 1);
        free(h->idx);
        free(h->hv);
        h->idx = idx;
        h->hv = hvs;
        h->cap = cap;
    }
    hix_put(h->idx, h->hv, h->cap, hv, i);
    h->n++;
}

void gen_hix_free(gen_hix *h)
{
    free(h->idx);
    free(h->hv);
    memset(h, 0, sizeof *h);
}

/* ------------------------------------------------------------- classes */

typedef struct gen_class {
    const char *name;           /* as reported */
    size_t namelen;
    char cname[96];             /* C identifier part */
    const ast *user;            /* D_USER, or NULL for the file's class */
    int weight, sequential;
    const ast *host;            /* class-level D_HOST or NULL */
    const ast *wait, *minw, *maxw; /* effective wait declarations */
    const ast *on_start, *on_stop;
    const ast **vars;           /* D_VAR */
    int nvars;
    const ast **tasks;          /* D_TASK */
    int ntasks;
} gen_class;

static int var_eq(const void *ctx, int i)
{
    const void *const *kv = ctx;     /* { gen_class *, name } */
    const gen_class *c = kv[0];
    return !strcmp(c->vars[i]->name, kv[1]);
}

/* Collect the declarations of one list into c (later ones win). */
static void class_decls(gen_class *c, const ast *d)
{
    gen_hix vh;
    memset(&vh, 0, sizeof vh);
    for (int i = 0; i < c->nvars; i++)
        gen_hix_add(&vh, gen_hash(c->vars[i]->name, strlen(c->vars[i]->name), 0), i);
    for (; d; d = d->next) {
        switch (d->kind) {
        case D_HOST: c->host = d; break;
        case D_WAIT: c->wait = d; c->minw = c->maxw = NULL; break;
        case D_MIN_WAIT: c->minw = d; c->wait = NULL; break;
        case D_MAX_WAIT: c->maxw = d; c->wait = NULL; break;
        case D_ON:
            if (d->op == ON_START && !c->on_start)
                c->on_start = d;
            else if (d->op == ON_STOP && !c->on_stop)
                c->on_stop = d;
            break;
        case D_VAR: {
            const void *kv[2] = { c, d->name };
            uint64_t hv = gen_hash(d->name, strlen(d->name), 0);
            int i = gen_hix_find(&vh, hv, var_eq, kv);
            if (i >= 0) {
                c->vars[i] = d;
            } else {
                if ((c->nvars & (c->nvars - 1)) == 0)   /* 0, 1, 2, 4...: grow */
                    c->vars = gen_alloc(c->vars, 2 * (c->nvars + 1) * sizeof *c->vars);
                gen_hix_add(&vh, hv, c->nvars);
                c->vars[c->nvars++] = d;
            }
            break;
        }
        case D_TASK:
            if ((c->ntasks & (c->ntasks - 1)) == 0)
                c->tasks = gen_alloc(c->tasks, 2 * (c->ntasks + 1) * sizeof *c->tasks);
            c->tasks[c->ntasks++] = d;
            break;
        default: break;
        }
    }
    gen_hix_free(&vh);
}

static void sanitize(char *dst, size_t cap, const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        char ch = s[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                 (ch >= '0' && ch <= '9') || ch == '_';
        dst[n++] = ok ? ch : '_';
    }
    dst[n] = 0;
}

/* Does a wait operand need the init function? */
static int dyn_ms(const ast *e)
{
    double ms;
    return e && !gen_const_ms(e, &ms);
}

/* A host is a string literal (check.c's check_host): its parts are all
 * E_STRLIT. */
static void host_literal(FILE *o, const ast *e)
{
    size_t len;
    char *s = gen_literal_bytes(e, &len);
    if (s)
        gen_cstring(o, s, strnlen(s, len));
    else
        fputs("NULL", o);
    free(s);
}

static void wait_init(FILE *o, const gen_class *c)
{
    const ast *w = c->wait;
    double a = 0, b = 0;
    const char *kind = "SW_WAIT_NONE";
    if (w) {
        static const char *const kinds[] = {
            "SW_WAIT_CONST", "SW_WAIT_BETWEEN", "SW_WAIT_PACING", "SW_WAIT_THROUGHPUT"
        };
        kind = w->op >= 0 && w->op <= 3 ? kinds[w->op] : "SW_WAIT_NONE";
        gen_const_ms(w->a, &a);
        if (w->op == WAIT_BETWEEN)
            gen_const_ms(w->b, &b);
    } else if (c->minw && c->maxw) {   /* check.c: never one alone */
        kind = "SW_WAIT_BETWEEN";
        gen_const_ms(c->minw->a, &a);
        gen_const_ms(c->maxw->a, &b);
    }
    fprintf(o, "{ %s, ", kind);
    gen_num(o, a);
    fputs(", ", o);
    gen_num(o, b);
    fputs(" }", o);
}

/* init code for one non-literal wait operand */
static void wait_dyn(gen *g, int k, const char *field, const ast *e)
{
    if (!dyn_ms(e))
        return;
    gen_lineinfo(g, e);
    gen_line(g, "sw_at(NULL, &LOC_%d);", gen_lock(g, e->loc.line, e->loc.col));
    gen_ind(g);
    fprintf(g->o, "CLASSES[%d].wait.%s = ", k, field);
    gen_ms(g, e);
    fputs(";\n", g->o);
}

/* Variables per init function: a class with more gets parts
 * init_vars_<class>_<j> of this many each (a C compiler's time is not
 * linear in the size of one function). */
#define GEN_VARS_PART 256

/* The initialisers of vars [from, to) of c, as statements into g->s_func. */
static void init_vars_stmts(gen *g, const gen_class *c, int from, int to)
{
    FILE *o = g->s_func;
    for (int i = from; i < to; i++) {
        const ast *d = c->vars[i];
        gen_lineinfo(g, d);
        gen_line(g, "sw_at(co, &LOC_%d);", gen_lock(g, d->loc.line, d->loc.col));
        gen_ind(g);
        fprintf(o, "sw_set(&V->v_%s, ", d->name);
        gen_expr(g, d->a);
        fputs(");\n", o);
        if (gen_can_raise(d->a))
            gen_line(g, "if (sw_failed(co))\n        sw_exception(co);");
    }
}

static void gen_init_vars(gen *g, const gen_class *c)
{
    FILE *o = g->s_func;
    int parts = c->nvars > GEN_VARS_PART ? (c->nvars + GEN_VARS_PART - 1) / GEN_VARS_PART : 0;
    g->o = o;
    g->ind = 1;
    g->mode = GM_VARS;
    for (int j = 0; j < parts; j++) {
        int from = j * GEN_VARS_PART;
        int to = from + GEN_VARS_PART < c->nvars ? from + GEN_VARS_PART : c->nvars;
        fprintf(o, "static void init_vars_%s_%d(sw_co *co, struct vars_%s *V)\n{\n",
                c->cname, j + 1, c->cname);
        init_vars_stmts(g, c, from, to);
        fputs("}\n\n", o);
    }
    fprintf(o, "/* per-user variables of %s */\nstatic void init_vars_%s(sw_co *co, void *vars)\n{\n",
            c->cname, c->cname);
    fprintf(o, "    struct vars_%s *V = vars;\n", c->cname);
    if (!parts)
        init_vars_stmts(g, c, 0, c->nvars);
    for (int j = 0; j < parts; j++)
        fprintf(o, "    init_vars_%s_%d(co, V);\n", c->cname, j + 1);
    fputs("}\n\n", o);
}

/* ------------------------------------------------------------- program */

static void body_of(gen *g, const gen_class *c, const char *what, const char *title,
                    const ast *d, char *cname, size_t cap)
{
    if (c->user)
        snprintf(cname, cap, "u_%s_%s", c->cname, what);
    else
        snprintf(cname, cap, "%s", what);
    gen_body_fn(g, cname, title, d->a, NULL, NULL, 0);
}

/* The var struct, init_vars, hooks and tasks of one class; the task array
 * goes to `tables`. */
static void gen_class_bodies(gen *g, gen_class *c, FILE *tables)
{
    char cname[256], title[160], what[160];
    g->vars_type = NULL;
    if (c->nvars) {
        static char vt[128];
        snprintf(vt, sizeof vt, "vars_%s", c->cname);
        g->vars_type = vt;
        fprintf(g->s_struct, "/* per-user variables of %s */\nstruct vars_%s {\n", c->cname, c->cname);
        for (int i = 0; i < c->nvars; i++)
            fprintf(g->s_struct, "    sw_val v_%s;\n", c->vars[i]->name);
        fputs("};\n\n", g->s_struct);
        gen_init_vars(g, c);
    }
    if (c->on_start)
        body_of(g, c, "on_start", "on start", c->on_start, cname, sizeof cname);
    if (c->on_stop)
        body_of(g, c, "on_stop", "on stop", c->on_stop, cname, sizeof cname);
    if (c->user) {                      /* issue 9: the class's functions */
        snprintf(what, sizeof what, "u_%s_", c->cname);
        gen_fns(g, c->user->a, what);
    } else {                            /* no user classes: the file's */
        gen_fns(g, g->f->decls, "");
    }
    for (int i = 0; i < c->ntasks; i++) {     /* issue 9: task tags */
        const ast *t = c->tasks[i];
        if (!t->c)
            continue;
        fprintf(tables, "static const char *const TAGS_%s_%s[] = {", c->cname, t->name);
        for (const ast *s = t->c; s; s = s->next) {
            fputc(' ', tables);
            gen_cstring(tables, s->name ? s->name : "", s->name ? strnlen(s->name, s->len) : 0);
            fputc(',', tables);
        }
        fputs(" };\n", tables);
    }
    if (c->ntasks)
        fprintf(tables, "static const sw_task TASKS_%s[] = {\n", c->cname);
    for (int i = 0; i < c->ntasks; i++) {
        const ast *t = c->tasks[i];
        int ntags = 0;
        for (const ast *s = t->c; s; s = s->next)
            ntags++;
        snprintf(what, sizeof what, "task_%s", t->name);
        snprintf(title, sizeof title, "task %s", t->name);
        body_of(g, c, what, title, t, cname, sizeof cname);
        if (ntags)
            fprintf(tables, "    { &BODY_%s, %lld, TAGS_%s_%s, %d },\n", cname,
                    (long long)t->i, c->cname, t->name, ntags);
        else
            fprintf(tables, "    { &BODY_%s, %lld, NULL, 0 },\n", cname, (long long)t->i);
    }
    if (c->ntasks)
        fputs("};\n\n", tables);
}

static void class_row(FILE *o, const gen_class *c)
{
    fputs("    {\n        .name = ", o);
    gen_cstring(o, c->name, c->namelen);
    fprintf(o, ",\n        .weight = %d,\n        .sequential = %d,\n        .host = ",
            c->weight, c->sequential);
    if (c->host)
        host_literal(o, c->host->a);
    else
        fputs("NULL", o);
    fputs(",\n        .wait = ", o);
    wait_init(o, c);
    const char *pre = c->user ? "u_" : "", *sep = c->user ? "_" : "";
    const char *cn = c->user ? c->cname : "";
    if (c->on_start)
        fprintf(o, ",\n        .on_start = &BODY_%s%s%son_start", pre, cn, sep);
    else
        fputs(",\n        .on_start = NULL", o);
    if (c->on_stop)
        fprintf(o, ",\n        .on_stop = &BODY_%s%s%son_stop", pre, cn, sep);
    else
        fputs(",\n        .on_stop = NULL", o);
    if (c->ntasks)
        fprintf(o, ",\n        .tasks = TASKS_%s,\n        .ntasks = %d", c->cname, c->ntasks);
    else
        fputs(",\n        .tasks = NULL,\n        .ntasks = 0", o);
    if (c->nvars)
        fprintf(o, ",\n        .vars_size = sizeof(struct vars_%s),\n        .init_vars = init_vars_%s",
                c->cname, c->cname);
    else
        fputs(",\n        .vars_size = 0,\n        .init_vars = NULL", o);
    fputs(",\n    },\n", o);
}

static FILE *section(char **buf, size_t *len)
{
    FILE *o = open_memstream(buf, len);
    if (!o)
        gen_alloc(NULL, (size_t)-1);
    return o;
}

/* Build the classes: one per `user` block, or one for the whole file. */
static int build_classes(const ast_file *f, gen_class **out)
{
    gen_class top;
    int n = 0;
    memset(&top, 0, sizeof top);
    for (const ast *d = f->decls; d; d = d->next)
        if (d->kind == D_USER)
            n++;
    /* top-level host/wait act as defaults of every class; with user
     * blocks, top-level var/task/on start/on stop belong to no class (the
     * checker does not let a class see them) */
    class_decls(&top, f->decls);
    gen_class *cs = gen_alloc(NULL, (n ? n : 1) * sizeof *cs);
    if (!n) {
        const char *base = strrchr(f->path, '/') ? strrchr(f->path, '/') + 1 : f->path;
        size_t bl = strlen(base);
        if (bl > 6 && !strcmp(base + bl - 6, ".swarm"))
            bl -= 6;
        cs[0] = top;
        cs[0].host = NULL;          /* the script's host */
        cs[0].name = base;
        cs[0].namelen = bl;
        sanitize(cs[0].cname, sizeof cs[0].cname, base, bl);
        cs[0].weight = 1;
        *out = cs;
        return 1;
    }
    int k = 0;
    for (const ast *d = f->decls; d; d = d->next) {
        if (d->kind != D_USER)
            continue;
        gen_class *c = &cs[k++];
        memset(c, 0, sizeof *c);
        c->wait = top.wait;
        c->minw = top.minw;
        c->maxw = top.maxw;
        class_decls(c, d->a);
        c->user = d;
        c->name = d->name ? d->name : "user";
        c->namelen = strlen(c->name);
        sanitize(c->cname, sizeof c->cname, c->name, strlen(c->name));
        c->weight = (int)d->i;
        c->sequential = (d->flags & AST_SEQUENTIAL) != 0;
    }
    free(top.vars);
    free(top.tasks);
    *out = cs;
    return n;
}

/* FNV-1a (64 bits) of the source text and the generator's version: a
 * cluster's master compares it with its slaves' (runtime/slave.h). */
static uint64_t source_hash(const ast_file *f)
{
    uint64_t h = 14695981039346656037ULL;
    const char *parts[2] = { GEN_HASH_SALT, f->src ? f->src : "" };
    size_t lens[2] = { strlen(GEN_HASH_SALT), f->src ? f->src_len : 0 };
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < lens[k]; i++)
            h = (h ^ (unsigned char)parts[k][i]) * 1099511628211ULL;
    return h;
}

int gen_program(const ast_file *f, FILE *out)
{
    gen g;
    gen_class *cs;
    size_t nodes = 0;
    const ast *host = NULL, *test_start = NULL, *test_stop = NULL;
    int ndata = 0, nstages = 0;
    int nglob = 0;
    memset(&g, 0, sizeof g);
    g.f = f;
    count_nodes(f->decls, &nodes);
    for (g.idcap = 16; g.idcap < 2 * nodes + 2; g.idcap *= 2)
        ;
    g.idk = gen_alloc(NULL, g.idcap * sizeof *g.idk);
    g.idv = gen_alloc(NULL, g.idcap * sizeof *g.idv);
    memset(g.idk, 0, g.idcap * sizeof *g.idk);
    number_nodes(&g, f->decls);
    g.s_struct = section(&g.b_struct, &g.l_struct);
    g.s_proto = section(&g.b_proto, &g.l_proto);
    g.s_func = section(&g.b_func, &g.l_func);
    g.s_tail = section(&g.b_tail, &g.l_tail);
    g.s_lit = section(&g.b_lit, &g.l_lit);

    /* globals are visible everywhere */
    FILE *globals;
    char *b_glob;
    size_t l_glob;
    globals = section(&b_glob, &l_glob);
    for (const ast *d = f->decls; d; d = d->next) {
        if (d->kind == D_HOST)
            host = d;
        if (d->kind == D_ON && d->op == ON_TEST_START && !test_start)
            test_start = d;
        if (d->kind == D_ON && d->op == ON_TEST_STOP && !test_stop)
            test_stop = d;
        if (d->kind == D_GLOBAL) {
            fprintf(globals, "static sw_val g_%s;\n", d->name);
            nglob++;
        }
        if (d->kind == D_DATA) {            /* issue 9: loaded by the runtime at start */
            size_t plen;
            char *path = gen_literal_bytes(d->a, &plen);
            fprintf(globals, "static sw_data DATA_%s = { \"%s\", ", d->name, d->name);
            gen_cstring(globals, path ? path : "", path ? strnlen(path, plen) : 0);
            fprintf(globals, ", %s, { SW_T_NULL, { 0 } }, 0 };\n",
                    d->op == 1 ? "SW_DATA_JSON" : "SW_DATA_CSV");
            free(path);
            ndata++;
        }
    }
    for (const ast *d = f->decls; d; d = d->next) {
        if (d->kind != D_SHAPE || nstages)
            continue;
        nstages = gen_stages(globals, d);    /* issue 9 */
    }
    if (ndata) {
        fputs("static sw_data *DATAS[] = {", globals);
        for (const ast *d = f->decls; d; d = d->next)
            if (d->kind == D_DATA)
                fprintf(globals, " &DATA_%s,", d->name);
        fputs(" };\n", globals);
    }
    int nc = build_classes(f, &cs);

    /* bodies: test hooks, then each class */
    g.vars_type = NULL;
    if (test_start)
        gen_body_fn(&g, "on_test_start", "on test start", test_start->a, NULL, NULL, 0);
    if (test_stop)
        gen_body_fn(&g, "on_test_stop", "on test stop", test_stop->a, NULL, NULL, 0);
    if (cs[0].user)                     /* issue 9: functions shared by the classes */
        gen_fns(&g, f->decls, "");
    for (int k = 0; k < nc; k++)
        gen_class_bodies(&g, &cs[k], g.s_tail);

    /* the class table */
    fputs("static sw_user_class CLASSES[] = {\n", g.s_tail);
    for (int k = 0; k < nc; k++)
        class_row(g.s_tail, &cs[k]);
    fputs("};\n\n", g.s_tail);

    /* script_init: globals and computed waits (hosts are literals) */
    int need_init = nglob > 0;
    for (int k = 0; k < nc; k++)
        if ((cs[k].wait && (dyn_ms(cs[k].wait->a) || dyn_ms(cs[k].wait->b))) ||
            (cs[k].minw && dyn_ms(cs[k].minw->a)) || (cs[k].maxw && dyn_ms(cs[k].maxw->a)))
            need_init = 1;
    if (need_init) {
        g.o = g.s_tail;
        g.ind = 1;
        g.mode = GM_INIT;
        g.b = NULL;
        g.vars_type = NULL;
        fputs("/* globals and computed settings, before on test start */\n"
              "static void script_init(void)\n{\n", g.o);
        for (const ast *d = f->decls; d; d = d->next) {
            if (d->kind != D_GLOBAL)
                continue;
            gen_lineinfo(&g, d);
            gen_line(&g, "sw_at(NULL, &LOC_%d);", gen_lock(&g, d->loc.line, d->loc.col));
            gen_ind(&g);
            fprintf(g.o, "sw_set(&g_%s, ", d->name);
            gen_expr(&g, d->a);
            fputs(");\n", g.o);
        }
        for (int k = 0; k < nc; k++) {
            const gen_class *c = &cs[k];
            if (c->wait) {
                wait_dyn(&g, k, "a", c->wait->a);
                if (c->wait->op == WAIT_BETWEEN)
                    wait_dyn(&g, k, "b", c->wait->b);
            } else if (c->minw && c->maxw) {
                wait_dyn(&g, k, "a", c->minw->a);
                wait_dyn(&g, k, "b", c->maxw->a);
            }
        }
        fputs("}\n\n", g.o);
    }

    /* assemble */
    fputs("/* Generated by swarmc from ", out);
    gen_comment_text(out, f->path, strlen(f->path));
    fputs(". Do not edit. */\n#include \"sw.h\"\n\n", out);
    if (g.nstr)
        fputs("/* string constants */\n", out);
    for (int i = 0; i < g.nstr; i++) {
        fprintf(out, "static sw_str K%d = SW_STR_LIT(", i + 1);
        gen_cstring(out, g.strs[i].s, g.strs[i].len);
        fputs(");\n", out);
    }
    if (g.nloc)
        fputs("\n/* statement locations */\n", out);
    for (int i = 0; i < g.nloc; i++)
        fprintf(out, "static const sw_loc LOC_%d = { %d, %d };\n", i + 1, g.locs[2 * i],
                g.locs[2 * i + 1]);
    fputs("\n", out);
    fclose(globals);
    if (l_glob)
        fputs("/* globals */\n", out);
    fwrite(b_glob, 1, l_glob, out);
    if (l_glob)
        fputs("\n", out);
    fclose(g.s_struct);
    fclose(g.s_proto);
    fclose(g.s_func);
    fclose(g.s_tail);
    if (g.nblk)
        fputs("/* what a block function (response block, poll loop) returns to its caller */\n"
              "enum { BLK_NEXT = 0, BLK_WAIT = 1, BLK_RETURN = 2, BLK_FAIL = 3 };\n"
              "#define BLK_BREAK(loop) (4 + 3 * (loop))     /* break out of that loop */\n"
              "#define BLK_CONTINUE(loop) (5 + 3 * (loop))  /* continue that loop */\n"
              "#define BLK_END(req) (6 + 3 * (req))         /* end that response block */\n\n",
              out);
    fwrite(g.b_struct, 1, g.l_struct, out);
    fwrite(g.b_proto, 1, g.l_proto, out);
    fputs("\n", out);
    fclose(g.s_lit);
    fwrite(g.b_lit, 1, g.l_lit, out);
    fwrite(g.b_func, 1, g.l_func, out);
    fwrite(g.b_tail, 1, g.l_tail, out);
    if (need_init)
        fputs("static sw_script SCRIPT;\n\n", out);
    numbers_gen_tables(out, f);
    fputs("static sw_script SCRIPT = {\n    .file = ", out);
    gen_cstring(out, f->path, strlen(f->path));
    fputs(",\n    .host = ", out);
    if (host)
        host_literal(out, host->a);
    else
        fputs("NULL", out);
    fprintf(out, ",\n    .classes = CLASSES,\n    .nclasses = %d,\n", nc);
    numbers_gen_fields(out, f);
    fprintf(out, "    .on_test_start = %s,\n    .on_test_stop = %s,\n    .init = %s,\n",
            test_start ? "&BODY_on_test_start" : "NULL",
            test_stop ? "&BODY_on_test_stop" : "NULL", need_init ? "script_init" : "NULL");
    if (ndata)                          /* issue 9 */
        fprintf(out, "    .data = DATAS,\n    .ndata = %d,\n", ndata);
    if (nstages)
        fprintf(out, "    .stages = STAGES,\n    .nstages = %d,\n", nstages);
    for (const ast *d = f->decls; d; d = d->next)
        if (d->kind == D_TLS && !d->i) {
            fputs("    .tls_noverify = 1,\n", out);
            break;
        }
    fprintf(out, "    .hash = \"%016llx\",\n};\n\n", (unsigned long long)source_hash(f));
    fputs("int main(int argc, char **argv)\n{\n    return sw_main(&SCRIPT, argc, argv);\n}\n", out);

    for (int k = 0; k < nc; k++) {
        free(cs[k].vars);
        free(cs[k].tasks);
    }
    free(cs);
    for (int i = 0; i < g.nstr; i++)
        free(g.strs[i].s);
    free(g.strs);
    free(g.locs);
    gen_hix_free(&g.strh);
    gen_hix_free(&g.loch);
    free(g.idk);
    free(g.idv);
    free(g.b_struct);
    free(g.b_proto);
    free(g.b_func);
    free(g.b_tail);
    free(g.b_lit);
    free(b_glob);
    return ferror(out) ? -1 : 0;
}
