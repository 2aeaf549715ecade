/*
 * gen_expr.c -- expressions: every expression becomes one C expression
 * whose value is an owned sw_val (see the ownership rule in sw.h).
 */
#include <stdlib.h>
#include <string.h>

#include "gen_priv.h"

typedef struct strkey {
    const gen *g;
    const char *s;
    size_t len;
} strkey;

static int str_eq(const void *ctx, int i)
{
    const strkey *k = ctx;
    return k->g->strs[i].len == k->len && memcmp(k->g->strs[i].s, k->s, k->len) == 0;
}

/* Index (1-based) of the string constant K<n> holding these bytes; equal
 * byte strings share one constant (found through g->strh). */
int gen_strk(gen *g, const char *s, size_t len)
{
    strkey k = { g, s, len };
    uint64_t hv = gen_hash(s, len, 0);
    int found = gen_hix_find(&g->strh, hv, str_eq, &k);
    if (found >= 0)
        return found + 1;
    gen_hix_add(&g->strh, hv, g->nstr);
    if (g->nstr == g->cstr) {
        g->cstr = g->cstr ? 2 * g->cstr : 16;
        g->strs = gen_alloc(g->strs, g->cstr * sizeof *g->strs);
    }
    char *c = gen_alloc(NULL, len + 1);
    if (len)
        memcpy(c, s, len);
    c[len] = 0;
    g->strs[g->nstr].s = c;
    g->strs[g->nstr].len = len;
    return ++g->nstr;
}

typedef struct lockey {
    const gen *g;
    int line, col;
} lockey;

static int loc_eq(const void *ctx, int i)
{
    const lockey *k = ctx;
    return k->g->locs[2 * i] == k->line && k->g->locs[2 * i + 1] == k->col;
}

/* Index (1-based) of the location constant LOC_<n> for (line, col). */
int gen_lock(gen *g, int line, int col)
{
    lockey k = { g, line, col };
    int lc[2] = { line, col };
    uint64_t hv = gen_hash(lc, sizeof lc, 0);
    int found = gen_hix_find(&g->loch, hv, loc_eq, &k);
    if (found >= 0)
        return found + 1;
    gen_hix_add(&g->loch, hv, g->nloc);
    if (g->nloc == g->cloc) {
        g->cloc = g->cloc ? 2 * g->cloc : 32;
        g->locs = gen_alloc(g->locs, 2 * g->cloc * sizeof *g->locs);
    }
    g->locs[2 * g->nloc] = line;
    g->locs[2 * g->nloc + 1] = col;
    return ++g->nloc;
}

/* Is v a whole number small enough to print as an integer? (no libm: the
 * Makefile links swarmc without -lm) */
static int whole(double v)
{
    return v > -1e15 && v < 1e15 && v == (double)(long long)v;
}

/* A C literal for v that reads back as exactly v (shortest form). */
void gen_num(FILE *o, double v)
{
    char buf[64];
    if (!(v - v == 0)) {
        fputs(v < 0 ? "-1e308" : "1e308", o);
        return;
    }
    if (whole(v)) {
        fprintf(o, "%.0f", v);
        return;
    }
    for (int p = 15; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, o);
    if (!strpbrk(buf, ".eE"))
        fputs(".0", o);
}

/* Nonzero when e is a literal usable as milliseconds; *ms gets it. */
int gen_const_ms(const ast *e, double *ms)
{
    if (!e)
        return 0;
    switch (e->kind) {
    case E_INT: *ms = (double)e->i; return 1;
    case E_FLOAT: case E_DURATION: *ms = e->f; return 1;
    case E_UNARY:
        if (e->op == '-' && gen_const_ms(e->a, ms)) {
            *ms = -*ms;
            return 1;
        }
        return 0;
    default: return 0;
    }
}

static int list_can_raise(const ast *l)
{
    for (; l; l = l->next)
        if (gen_can_raise(l))
            return 1;
    return 0;
}

/* Nonzero when evaluating e may raise a runtime error (conservative). */
int gen_can_raise(const ast *e)
{
    if (!e)
        return 0;
    switch (e->kind) {
    case E_NULL: case E_BOOL: case E_INT: case E_FLOAT: case E_DURATION:
    case E_STRLIT: case E_NAME: case E_FACT:
        return 0;
    case E_STRING: case E_LIST:
        return list_can_raise(e->a);
    case E_OBJECT:
        return list_can_raise(e->a);
    case E_PAIR:
        return gen_can_raise(e->a) || gen_can_raise(e->b);
    case E_BINARY:
        if (e->op == OP_AND || e->op == OP_OR || e->op == OP_EQ || e->op == OP_NE)
            return gen_can_raise(e->a) || gen_can_raise(e->b);
        return 1;
    case E_UNARY:
        return e->op == OP_NOT ? gen_can_raise(e->a) : 1;
    case E_CALL:
        if (e->name && (!strcmp(e->name, "random_float") || !strcmp(e->name, "uuid") ||
                        !strcmp(e->name, "now")))
            return 0;
        return 1;
    default:
        return 1;
    }
}

/* The declaring node of a name use (E_NAME, S_ASSIGN): the checker's sym
 * (the checker resolves every name of a program it accepts). */
const ast *gen_decl_of(gen *g, const ast *n)
{
    (void)g;
    return n->sym;
}

/* The frame member name of a slot: l_NAME_ID for let/for variables,
 * r_NAME_ID (or r_ID) for responses, fl_/fi_ for a for loop's list and
 * index, n_ID for a repeat counter, ps_/pe_/pl_ for a poll. */
void gen_member_name(gen *g, const ast *n, int role, char *buf, size_t cap)
{
    int id = gen_id(g, n);
    switch (role) {
    case ROLE_LIST: snprintf(buf, cap, "fl_%d", id); return;
    case ROLE_IDX: snprintf(buf, cap, "fi_%d", id); return;
    case ROLE_START: snprintf(buf, cap, "ps_%d", id); return;
    case ROLE_EVERY: snprintf(buf, cap, "pe_%d", id); return;
    case ROLE_LIMIT: snprintf(buf, cap, "pl_%d", id); return;
    case ROLE_PC: snprintf(buf, cap, "bp_%d", id); return;
    case ROLE_RET: snprintf(buf, cap, "ret"); return;
    default: break;
    }
    if (n->kind == S_REPEAT)
        snprintf(buf, cap, "n_%d", id);
    else if (n->kind == S_REQUEST)
        n->name ? snprintf(buf, cap, "r_%s_%d", n->name, id)
                : snprintf(buf, cap, "r_%d", id);
    else
        snprintf(buf, cap, "l_%s_%d", n->name ? n->name : "", id);
}

/* Write the lvalue holding decl's value: F->member, V->v_NAME or g_NAME. */
void gen_slot(gen *g, const ast *decl, int role)
{
    char buf[160];
    if (decl->kind == D_GLOBAL) {
        fprintf(g->o, "g_%s", decl->name);
    } else if (decl->kind == D_VAR) {
        if (g->b)
            g->b->fn->used_v = 1;
        fprintf(g->o, "V->v_%s", decl->name);
    } else {
        if (g->b)
            g->b->fn->used_f = 1;
        gen_member_name(g, decl, role, buf, sizeof buf);
        fprintf(g->o, "F->%s", buf);
    }
}

/* Can the current code read this declaration? (vars need a class, locals
 * a frame) */
static int readable(gen *g, const ast *d)
{
    if (!d)
        return 0;
    if (d->kind == D_GLOBAL)
        return 1;
    if (d->kind == D_VAR)
        return g->vars_type != NULL && g->mode != GM_INIT;
    return g->mode == GM_BODY;
}

static void gen_args(gen *g, const ast *l, int n)
{
    for (int i = 0; i < n; i++) {
        fputs(", ", g->o);
        if (l) {
            gen_expr(g, l);
            l = l->next;
        } else {
            fputs("SW_NULL", g->o);
        }
    }
}

static const struct {
    const char *name, *fn;
    int nargs;
    int co;                     /* takes the coroutine first (issue 9) */
} builtins[] = {
    { "random", "sw_b_random", 2, 0 }, { "random_float", "sw_b_random_float", 0, 0 },
    { "uuid", "sw_b_uuid", 0, 0 }, { "choice", "sw_b_choice", 1, 0 },
    { "len", "sw_b_len", 1, 0 }, { "str", "sw_b_str", 1, 0 },
    { "int", "sw_b_int", 1, 0 }, { "float", "sw_b_float", 1, 0 },
    { "contains", "sw_b_contains", 2, 0 }, { "env", "sw_b_env", 2, 0 },
    { "now", "sw_b_now", 0, 0 }, { "urlencode", "sw_b_urlencode", 1, 0 },
    { "base64", "sw_b_base64", 1, 0 },
    /* issue 9: sessions, strings, regular expressions */
    { "cookie", "sw_b_cookie", 1, 1 }, { "clear_cookies", "sw_b_clear_cookies", 0, 1 },
    { "match", "sw_b_match", 2, 0 }, { "match_all", "sw_b_match_all", 2, 0 },
    { "split", "sw_b_split", 2, 0 }, { "join", "sw_b_join", 2, 0 },
    { "lower", "sw_b_lower", 1, 0 }, { "upper", "sw_b_upper", 1, 0 },
    { "trim", "sw_b_trim", 1, 0 }, { "replace", "sw_b_replace", 3, 0 },
    { "starts_with", "sw_b_starts_with", 2, 0 }, { "ends_with", "sw_b_ends_with", 2, 0 },
    { "find", "sw_b_find", 2, 0 }, { "slice", "sw_b_slice", 3, 0 },
};

static void gen_call(gen *g, const ast *e)
{
    if (e->name && !strcmp(e->name, "next")) {  /* issue 9: next(DATA) */
        const ast *d = e->a && e->a->kind == E_NAME ? gen_decl_of(g, e->a) : NULL;
        if (d && d->kind == D_DATA)
            fprintf(g->o, "sw_data_next(&DATA_%s)", d->name);
        else
            fputs("SW_NULL /* next() of no data */", g->o);
        return;
    }
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        if (!e->name || strcmp(e->name, builtins[i].name))
            continue;
        fprintf(g->o, "%s(", builtins[i].fn);
        if (builtins[i].co)
            fputs(g->mode == GM_INIT ? "NULL" : "co", g->o);
        if (builtins[i].co && builtins[i].nargs)
            fputs(", ", g->o);
        if (builtins[i].nargs) {
            gen_expr(g, e->a);
            gen_args(g, e->a ? e->a->next : NULL, builtins[i].nargs - 1);
        }
        fputc(')', g->o);
        return;
    }
    fputs("SW_NULL /* unknown built-in */", g->o);
}

static const char *binop_fn(int op)
{
    switch (op) {
    case '+': return "sw_add";
    case '-': return "sw_sub";
    case '*': return "sw_mul";
    case '/': return "sw_div";
    case '%': return "sw_mod";
    case OP_EQ: return "sw_eq";
    case OP_NE: return "sw_ne";
    case '<': return "sw_lt";
    case OP_LE: return "sw_le";
    case '>': return "sw_gt";
    case OP_GE: return "sw_ge";
    default: return NULL;
    }
}

static void gen_list_items(gen *g, const ast *l)
{
    for (; l; l = l->next) {
        fputs(", ", g->o);
        if (l->kind == E_PAIR) {
            gen_expr(g, l->a);
            fputs(", ", g->o);
            gen_expr(g, l->b);
        } else {
            gen_expr(g, l);
        }
    }
}

static int count(const ast *l)
{
    int n = 0;
    for (; l; l = l->next)
        n++;
    return n;
}

char *gen_literal_bytes(const ast *e, size_t *lenp)
{
    size_t len = 0;
    for (const ast *p = e->a; p; p = p->next) {
        if (p->kind != E_STRLIT)
            return NULL;
        len += p->len;
    }
    char *s = gen_alloc(NULL, len + 1);
    len = 0;
    for (const ast *p = e->a; p; p = p->next) {
        if (p->len)
            memcpy(s + len, p->name, p->len);
        len += p->len;
    }
    s[len] = '\0';
    *lenp = len;
    return s;
}

static void gen_string(gen *g, const ast *e)
{
    size_t len;
    char *s = gen_literal_bytes(e, &len);
    if (s) {                    /* all literal: one constant */
        fprintf(g->o, "sw_sval(&K%d)", gen_strk(g, s, len));
        free(s);
        return;
    }
    if (count(e->a) > GEN_LIT_INLINE) {
        gen_big_literal(g, e);
        return;
    }
    fprintf(g->o, "sw_interp(%d", count(e->a));
    gen_list_items(g, e->a);
    fputc(')', g->o);
}

/* Write e as a C expression yielding an owned sw_val. */
void gen_expr(gen *g, const ast *e)
{
    FILE *o = g->o;
    const ast *d;
    if (!e) {
        fputs("SW_NULL", o);
        return;
    }
    switch (e->kind) {
    case E_NULL: fputs("SW_NULL", o); break;
    case E_BOOL: fprintf(o, "sw_bool(%d)", e->i != 0); break;
    case E_INT:
        if (e->i == INT64_MIN)
            fputs("sw_int(INT64_MIN)", o);
        else if (e->i > INT32_MAX || e->i < -INT32_MAX)
            fprintf(o, "sw_int(INT64_C(%lld))", (long long)e->i);
        else
            fprintf(o, "sw_int(%lld)", (long long)e->i);
        break;
    case E_DURATION:
        if (whole(e->f)) {
            fputs("sw_int(", o);
            gen_num(o, e->f);
            fputc(')', o);
            break;
        }
        /* fall through */
    case E_FLOAT:
        fputs("sw_float(", o);
        gen_num(o, e->f);
        fputc(')', o);
        break;
    case E_STRING: gen_string(g, e); break;
    case E_STRLIT: fprintf(o, "sw_sval(&K%d)", gen_strk(g, e->name, e->len)); break;
    case E_LIST:
        if (count(e->a) > GEN_LIT_INLINE) {
            gen_big_literal(g, e);
            break;
        }
        fprintf(o, "sw_list(%d", count(e->a));
        gen_list_items(g, e->a);
        fputc(')', o);
        break;
    case E_OBJECT:
        if (count(e->a) > GEN_LIT_INLINE) {
            gen_big_literal(g, e);
            break;
        }
        fprintf(o, "sw_obj(%d", count(e->a));
        gen_list_items(g, e->a);
        fputc(')', o);
        break;
    case E_NAME:
        d = gen_decl_of(g, e);
        if (d && d->kind == D_DATA) {       /* issue 9: the rows of a data source */
            fprintf(o, "sw_data_rows(&DATA_%s)", d->name);
            break;
        }
        if (!readable(g, d)) {
            fputs("SW_NULL", o);
            break;
        }
        fputs("sw_ref(", o);
        gen_slot(g, d, ROLE_VAL);
        fputc(')', o);
        break;
    case E_FACT:
        switch (e->op) {
        case FACT_USER_ID:
            fputs(g->mode == GM_INIT ? "SW_NULL" : "sw_user_id(co)", o);
            break;
        case FACT_IS_MASTER: fputs("sw_is_master()", o); break;
        case FACT_IS_SLAVE: fputs("sw_is_slave()", o); break;
        default: fputs("sw_is_standalone()", o); break;
        }
        break;
    case E_FIELD:
        fputs("sw_field(", o);
        gen_expr(g, e->a);
        fprintf(o, ", &K%d)", gen_strk(g, e->name ? e->name : "",
                                        e->name ? e->len : 0));
        break;
    case E_INDEX:
        fputs("sw_index(", o);
        gen_expr(g, e->a);
        fputs(", ", o);
        gen_expr(g, e->b);
        fputc(')', o);
        break;
    case E_CALL: gen_call(g, e); break;
    case E_METHOD:
        fputs("sw_resp_header(", o);
        gen_expr(g, e->a);
        gen_args(g, e->b, 1);
        fputc(')', o);
        break;
    case E_UNARY:
        fputs(e->op == OP_NOT ? "sw_not(" : "sw_neg(", o);
        gen_expr(g, e->a);
        fputc(')', o);
        break;
    case E_BINARY:
        if (e->op == OP_AND || e->op == OP_OR) {
            fputs("sw_bool(sw_truthy(", o);
            gen_expr(g, e->a);
            fputs(e->op == OP_AND ? ") && sw_truthy(" : ") || sw_truthy(", o);
            gen_expr(g, e->b);
            fputs("))", o);
            break;
        }
        fprintf(o, "%s(", binop_fn(e->op) ? binop_fn(e->op) : "sw_add");
        gen_expr(g, e->a);
        fputs(", ", o);
        gen_expr(g, e->b);
        fputc(')', o);
        break;
    default:
        fputs("SW_NULL", o);
        break;
    }
}

/* Write a double expression of milliseconds for a D position: the literal
 * itself, else sw_ms(expr) (which raises unless numeric). */
void gen_ms(gen *g, const ast *e)
{
    double ms;
    if (gen_const_ms(e, &ms)) {
        gen_num(g->o, ms);
        return;
    }
    fputs("sw_ms(", g->o);
    gen_expr(g, e);
    fputc(')', g->o);
}

/* The reporting template of a URL string: the parser's E_STRING name when
 * it filled it, else literal text with each ${expr} as {expr's source}.
 * *owned is set when the result had to be built (caller frees). */
void gen_template(gen *g, const ast *url, const char **s, size_t *len, char **owned)
{
    *owned = NULL;
    if (url->kind == E_STRING && url->name) {
        *s = url->name;
        *len = url->len;
        return;
    }
    size_t cap = 64, n = 0;
    char *b = gen_alloc(NULL, cap);
    const ast *p = url->kind == E_STRING ? url->a : url;
    for (; p; p = p->next) {
        const char *t;
        size_t tl;
        int brace = p->kind != E_STRLIT;
        if (!brace) {
            t = p->name ? p->name : "";
            tl = p->name ? p->len : 0;
        } else {
            int a = p->loc.off, z = p->loc.end_off;
            if (a < 0 || z < a || (size_t)z > g->f->src_len)
                a = z = 0;
            t = g->f->src + a;
            tl = (size_t)(z - a);
            while (tl && (*t == ' ' || *t == '\t' || *t == '\n')) {
                t++;
                tl--;
            }
            while (tl && (t[tl - 1] == ' ' || t[tl - 1] == '\t' || t[tl - 1] == '\n'))
                tl--;
        }
        while (n + tl + 3 > cap)
            cap *= 2;
        b = gen_alloc(b, cap);
        if (brace)
            b[n++] = '{';
        if (tl)
            memcpy(b + n, t, tl);
        n += tl;
        if (brace)
            b[n++] = '}';
        if (url->kind != E_STRING)
            break;
    }
    b[n] = 0;
    *s = *owned = b;
    *len = n;
}
