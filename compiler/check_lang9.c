/*
 * check_lang9.c -- the checks of LANGUAGE.md section 9 (issue 9): the
 * built-ins added there and bare calls, test data and next(), tags, the
 * load shape and its stages, user functions and their calls.
 */
#include "check_priv.h"

/* ---- issue 9 (LANGUAGE.md section 9) ---- */

/* A regular-expression built-in with a literal pattern: the pattern is
 * compiled now (regex.c) so that a bad one is a compile error. */
void check_call9(chk *c, ast *e)
{
    static const char *const re_fns[] = { "match", "match_all" };
    for (size_t i = 0; i < sizeof re_fns / sizeof re_fns[0]; i++) {
        if (strcmp(e->name, re_fns[i]) != 0 || !e->a || !e->a->next)
            continue;
        ast *pat = e->a->next;
        if (pat->kind != E_STRING)
            return;
        for (ast *p = pat->a; p; p = p->next)
            if (p->kind != E_STRLIT)
                return;             /* interpolated: checked at run time */
        char msg[256];
        size_t off = 0;
        if (check_regex(pat->name, pat->len, msg, sizeof msg, &off) != 0) {
            ast_loc at = pat->loc;
            /* point at the offending character when the pattern has no
             * escapes (source bytes == pattern bytes), else at the string */
            if ((size_t)(pat->loc.end_off - pat->loc.off) == pat->len + 2
                && pat->loc.line == pat->loc.end_line && off <= pat->len) {
                at.col += 1 + (int)off;
                at.off += 1 + (int)off;
                at.end_col = at.col;
                at.end_off = at.off + 1;
            }
            diag_error(c->d, at, "bad regular expression: %s", msg);
        }
        return;
    }
}

/* A bare number where a duration goes stays milliseconds (LANGUAGE.md
 * section 2) but is easy to misread as seconds: warn, with the two ways to
 * say it (0 needs no unit). */
void warn_bare(chk *c, const ast *e)
{
    if (!e || !(e->flags & AST_BARE) || c->recovering)
        return;
    double v = e->kind == E_INT ? (double)e->i : e->f;
    if (v == 0)
        return;
    int n = e->loc.end_off - e->loc.off;
    const char *t = c->f->src + e->loc.off;
    diag_warning(c->d, e->loc, "%.*s ms; write %.*ss or %.*sms", n, t, n, t, n, t);
}

/* header NAME = EXPR, stop user, quit [STATUS], record NAME time MS
 * [failure MSG]. */
void check_stmt9(chk *c, ast *s)
{
    switch (s->kind) {
    case S_HEADER:
        check_expr(c, s->a);
        check_expr(c, s->b);
        break;
    case S_STOP_USER:
        if (c->ctx != CTX_USER)
            diag_error(c->d, s->loc, "'stop user' cannot be used in %s", chk_where(c));
        break;
    case S_QUIT:
        check_expr(c, s->a);
        if (s->a && s->a->kind == E_INT && (s->a->i < 0 || s->a->i > 255))
            diag_error(c->d, s->a->loc, "exit status must be in 0..255");
        break;
    case S_RECORD:
        if (!s->name || strcmp(s->name, "time") != 0)
            diag_error(c->d, s->d ? s->d->loc : s->loc,
                       "expected 'time' after the name of a record "
                       "(record NAME time MS [failure MSG])");
        check_expr(c, s->a);
        check_expr(c, s->b);
        check_expr(c, s->c);
        break;
    default:
        break;
    }
}

/* ---- issue 9: test data ---- */

/* data NAME = csv "F" / json "F": a known format, a literal path, a name
 * declared once (readable everywhere, like a global). */
void check_data(chk *c, ast *d)
{
    d->id = ++c->ids;
    if (d->op == 0 && d->b && strcmp(d->b->name, "csv") != 0)
        diag_error(c->d, d->b->loc, "unknown data format '%s' (use csv or json)",
                   d->b->name);
    int literal = d->a && d->a->kind == E_STRING;
    for (ast *p = literal ? d->a->a : NULL; p; p = p->next)
        if (p->kind != E_STRLIT)
            literal = 0;
    if (!literal || d->a->len == 0 || memchr(d->a->name, '\0', d->a->len))
        diag_error(c->d, d->a ? d->a->loc : d->loc,
                   "a data file is a literal, non-empty path");
    chk_declare(c, d);
}

/* next(NAME): NAME must be a data source. */
void check_next(chk *c, ast *e)
{
    ast *a = e->a;
    if (a && !a->next && (a->kind != E_NAME || !a->sym || a->sym->kind != D_DATA)
        && !c->recovering)
        diag_error(c->d, a->loc, "next() takes the name of a 'data' declaration");
}

/* ---- issue 9: tags and the load shape ---- */

/* task NAME tag "a", "b": literal, non-empty, no ',' (--tags splits on it). */
void check_tags(chk *c, ast *tags)
{
    for (ast *t = tags; t; t = t->next) {
        int literal = t->kind == E_STRING;
        for (ast *p = literal ? t->a : NULL; p; p = p->next)
            if (p->kind != E_STRLIT)
                literal = 0;
        if (!literal || t->len == 0 || memchr(t->name, ',', t->len)
            || memchr(t->name, '\0', t->len))
            diag_error(c->d, t->loc, "a tag is a literal, non-empty string without ','");
    }
}

/* issue 10: the clauses after `users N`, in either order, each at most
 * once: `rate R` (users/s > 0) and `arrival A [per second|minute]`
 * (iterations/s >= 0). */
static void check_stage_clauses(chk *c, const ast *s)
{
    static const char usage[] = "(stage D users N [rate R] [arrival A])";
    const ast *seen[2] = { NULL, NULL };        /* rate, arrival */
    for (const ast *w = s->d; w; w = w->next) {
        int k = w->kind != E_NAME ? -1 : strcmp(w->name, "rate") == 0 ? 0
                : strcmp(w->name, "arrival") == 0 ? 1 : -1;
        if (k < 0) {
            diag_error(c->d, w->loc, "expected 'rate' or 'arrival' %s", usage);
            if (w->kind == E_NAME && w->next && w->next->kind != E_NAME)
                w = w->next;                    /* its number */
            continue;
        }
        if (seen[k]) {
            diag_error(c->d, w->loc, "duplicate '%s' in a stage", w->name);
            diag_note(c->d, seen[k]->loc, "first given here");
        } else {
            seen[k] = w;
        }
        const ast *n = w->next;
        if (!n || n->kind == E_NAME) {
            diag_error(c->d, n ? n->loc : w->loc, k ? "'arrival' needs a number of iterations "
                       "per second >= 0" : "'rate' needs a number of users per second > 0");
            if (n && strcmp(n->name, "rate") != 0 && strcmp(n->name, "arrival") != 0)
                w = n;                          /* the word in the number's place */
            continue;
        }
        w = n;
        double v = 0;
        int num = chk_const_ms(n, &v) && n->kind != E_DURATION;
        if (k == 0 && !(num && v > 0))
            diag_error(c->d, n->loc, "a stage's rate is a number of users per second > 0");
        if (k == 1 && !(num && v >= 0))
            diag_error(c->d, n->loc, "a stage's arrival is a number of iterations per second >= 0");
        const ast *per = n->next;
        if (k == 1 && per && per->kind == E_NAME && strcmp(per->name, "per") == 0) {
            const ast *u = per->next;
            if (!u || u->kind != E_NAME
                || (strcmp(u->name, "second") != 0 && strcmp(u->name, "minute") != 0)) {
                diag_error(c->d, u ? u->loc : per->loc, "expected 'second' or 'minute' after 'per'");
                w = u && u->kind == E_NAME ? u : per;
            } else {
                w = u;
            }
        }
    }
}

/* shape { stage D users N [rate R] [arrival A] ... }: at least one stage; D
 * a positive literal duration, N a whole number of users >= 0. */
void check_shape(chk *c, ast *d)
{
    if (!d->a)
        diag_error(c->d, d->loc, "a shape needs at least one 'stage D users N'");
    for (ast *s = d->a; s; s = s->next) {
        double ms;
        if (!chk_const_ms(s->a, &ms) || ms <= 0)
            diag_error(c->d, s->a->loc, "a stage lasts a positive literal duration (30s, 2m)");
        if (s->c && strcmp(s->c->name, "users") != 0)
            diag_error(c->d, s->c->loc, "expected 'users' (stage D users N [rate R] [arrival A])");
        if (s->b->kind != E_INT || s->b->i < 0)
            diag_error(c->d, s->b->loc, "a stage's users is a whole number >= 0");
        check_stage_clauses(c, s);
    }
}

/* ---- issue 9: functions ---- */

/* The fn `name` visible here: the current class's, else a top-level one. */
static ast *find_fn(chk *c, const char *name)
{
    binding *b = chk_lookup(&c->fns, name);
    return b ? b->node : NULL;
}

/* A call of a user function: resolve it (sym), check the arity and where
 * the call stands. 0 when name is no function (then it is a built-in). */
int check_fn_call(chk *c, ast *e)
{
    ast *fn = find_fn(c, e->name);
    if (!fn)
        return 0;
    ast_loc at = chk_head_loc(e->loc, e->len);
    int want = chk_count(fn->b), got = chk_count(e->a);
    e->sym = fn;
    if (want != got) {
        diag_error(c->d, at, "function '%s' takes %d argument%s, got %d", fn->name,
                   want, want == 1 ? "" : "s", got);
        diag_note(c->d, fn->loc, "'%s' is declared here", fn->name);
    } else if (c->call_ok != e) {
        diag_error(c->d, at, "call '%s' as a statement or as the whole value of "
                   "'let' or an assignment (a function may wait)", fn->name);
    }
    return 1;
}

/* fn NAME(PARAMS) { ... }: a unique name that is no built-in, distinct
 * parameters, the body checked with the parameters in scope. */
void check_fn(chk *c, ast *d, ast *decls)
{
    d->id = ++c->ids;
    (void)decls;
    binding *first = chk_lookup(&c->fns, d->name);
    if (first && first->node != d && first->level == c->level) {
        diag_error(c->d, d->loc, "duplicate function '%s'", d->name);
        diag_note(c->d, first->node->loc, "first declared here");
    }
    if (chk_is_builtin(d->name))
        diag_error(c->d, d->loc, "function '%s' has the name of a built-in", d->name);
    size_t mark = c->vars.n;
    int saved_ctx = c->ctx;
    c->level++;
    for (ast *p = d->b; p; p = p->next) {
        p->id = ++c->ids;
        chk_declare(c, p);
        binding *b = chk_lookup(&c->vars, p->name);
        if (b)
            b->reads++;         /* an unused parameter is no warning */
    }
    c->in_fn = 1;
    check_body(c, d->a, CTX_USER);
    c->in_fn = 0;
    chk_pop_to(c, &c->vars, mark);
    c->level--;
    c->ctx = saved_ctx;
}

/* A body run by the runtime (task, hook): fresh loop/response context. */
void check_body(chk *c, ast *body, int ctx)
{
    int saved = c->ctx;
    c->ctx = ctx;
    c->loop = NULL;
    c->loop_hidden = 0;
    c->nresp = 0;
    check_block(c, body);
    c->ctx = saved;
}

/* The value of a literal number or duration; 0 when not constant. */
