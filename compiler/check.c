/*
 * check.c -- the semantic pass: resolves every name to its declaring node,
 * numbers declaring nodes, loops, requests, spawns and polls, and reports
 * what LANGUAGE.md says is a compile error.
 *
 * Scopes live in a symbol table (hash buckets chaining into one binding
 * stack): entering a scope records the stack height, leaving it pops the
 * bindings back, so lookups always see the innermost declaration first.
 * Task and user-class names use a second table of the same kind.
 * Recursion depth is capped (CHK_MAX_DEPTH) so absurd nesting is an error,
 * not a stack overflow.
 *
 * After syntax errors the tree is what the parser's recovery kept: whole
 * nodes (each built by a completed grammar rule, so their required children
 * are there), but a statement or declaration that failed to parse is
 * missing and the statements of a broken block may have landed in the
 * enclosing one. The checker then still reports what a node shows by
 * itself, but not what such lost structure can cause (unknown or
 * redeclared names, break outside a loop, deciding outside a response
 * block, duplicates, orphans) nor warnings: c->recovering.
 */
#include "check.h"
#include "numbers.h"
#include "regex.h"

#include <stdlib.h>
#include <string.h>

enum { NBUCKET = 4096, CHK_MAX_DEPTH = 2000 };
enum { CTX_USER, CTX_TEST_HOOK, CTX_GLOBAL_INIT };

typedef struct binding {
    const char *name;       /* the declared name (NUL-terminated) */
    ast *node;              /* declaring node */
    int level;              /* scope level it was declared in */
    int reads;              /* times read (for unused-variable warnings) */
    int older;              /* index+1 of the previous binding in the bucket */
} binding;

typedef struct symtab {
    binding *b;             /* binding stack */
    size_t n, cap;
    int bucket[NBUCKET];    /* index+1 of the newest binding per bucket */
} symtab;

typedef struct chk {
    ast_file *f;
    diag *d;
    symtab vars;            /* variables: globals, vars, lets, for, `as` */
    symtab names;           /* task and user-class names */
    int level;              /* current scope level */
    int ctx;                /* CTX_*: where the code runs */
    ast *loop;              /* innermost loop inside the current spawn */
    int loop_hidden;        /* a spawn boundary hides an outer loop */
    ast **resp;             /* requests whose response block encloses us */
    size_t nresp, cresp;
    int depth, too_deep;    /* recursion depth, reported once */
    int ids;                /* last id handed out */
    ast *top_minw, *top_maxw;   /* top-level min_wait/max_wait (inherited) */
    int recovering;         /* syntax errors came first: see the top */
    symtab fns;             /* issue 9: fns in scope (class ones shadow top ones) */
    ast *call_ok;           /* the call a let/assignment/statement may make */
    int in_fn;              /* checking a fn body */
} chk;

static void check_block(chk *c, ast *blk);
static void check_stmt(chk *c, ast *s);
static void check_expr(chk *c, ast *e);
static int const_ms(const ast *e, double *v);
static void check_call9(chk *c, ast *e);
static void warn_bare(chk *c, const ast *e);
static int check_fn_call(chk *c, ast *e);
static void check_body(chk *c, ast *body, int ctx);
static void check_data(chk *c, ast *d);
static void check_next(chk *c, ast *e);
static void check_tags(chk *c, ast *tags);
static void check_shape(chk *c, ast *d);
static void check_host(chk *c, ast *e);
static void check_fn(chk *c, ast *d, ast *decls);
static void check_stmt9(chk *c, ast *s);

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fputs("swarmc: out of memory\n", stderr);
        exit(1);
    }
    return q;
}

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h % NBUCKET;
}

/* The innermost binding of name, or NULL. */
static binding *lookup(symtab *t, const char *name)
{
    for (int i = t->bucket[hash(name)]; i; i = t->b[i - 1].older)
        if (strcmp(t->b[i - 1].name, name) == 0)
            return &t->b[i - 1];
    return NULL;
}

/* Bind name to node at scope `level` (shadowing any older binding). */
static void push(symtab *t, const char *name, ast *node, int level)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->b = xrealloc(t->b, t->cap * sizeof *t->b);
    }
    unsigned h = hash(name);
    binding *b = &t->b[t->n++];
    b->name = name;
    b->node = node;
    b->level = level;
    b->reads = 0;
    b->older = t->bucket[h];
    t->bucket[h] = (int)t->n;
}

/* Pop t back to height `mark`, warning about `let`s never read. */
static void pop_to(chk *c, symtab *t, size_t mark)
{
    for (size_t i = mark; t == &c->vars && !c->recovering && i < t->n; i++)
        if (t->b[i].node->kind == S_LET && t->b[i].reads == 0)
            diag_warning(c->d, t->b[i].node->loc,
                         "variable '%s' is never read", t->b[i].name);
    while (t->n > mark) {
        binding *b = &t->b[--t->n];
        t->bucket[hash(b->name)] = b->older;
    }
}

/* Declare node's name in the current scope, reporting a redeclaration
 * (re-using an `as` name for a later request is allowed). */
static void declare(chk *c, ast *node)
{
    binding *old = c->recovering ? NULL : lookup(&c->vars, node->name);
    if (old && old->node->kind == D_GLOBAL && node->kind == D_VAR) {
        diag_error(c->d, node->loc, "'%s' is already declared as a global",
                   node->name);
        diag_note(c->d, old->node->loc, "the global is declared here");
    } else if (old && old->level == c->level
               && !(old->node->kind == S_REQUEST && node->kind == S_REQUEST)) {
        diag_error(c->d, node->loc, "'%s' is already declared in this scope",
                   node->name);
        diag_note(c->d, old->node->loc, "first declared here");
        old->reads++;           /* one report about this name is enough */
    }
    push(&c->vars, node->name, node, c->level);
}

/* Count one level of recursion; 0 (reported once) when too deep. The
 * caller decrements c->depth when it returns. */
static int enter(chk *c, ast *n)
{
    if (c->depth >= CHK_MAX_DEPTH) {
        if (!c->too_deep)
            diag_error(c->d, n->loc, "nesting too deep (more than %d levels)",
                       CHK_MAX_DEPTH);
        c->too_deep = 1;
        return 0;
    }
    c->depth++;
    return 1;
}

static const char *where(chk *c)
{
    return c->ctx == CTX_GLOBAL_INIT ? "a global's initial value"
                                     : "a test hook";
}

/* The location of the last n bytes of loc (a field name after '.'). */
static ast_loc tail_loc(ast_loc l, size_t n)
{
    if (l.end_off - l.off >= (int)n && l.end_col >= (int)n) {
        l.off = l.end_off - (int)n;
        l.line = l.end_line;
        l.col = l.end_col - (int)n + 1;
    }
    return l;
}

static ast_loc head_loc(ast_loc l, size_t n)
{
    if (l.end_off - l.off > (int)n) {
        l.end_off = l.off + (int)n;
        l.end_line = l.line;
        l.end_col = l.col + (int)n - 1;
    }
    return l;
}

static const struct builtin {
    const char *name;
    int min, max;           /* argument count range */
} builtins[] = {
    { "random", 2, 2 }, { "random_float", 0, 0 }, { "uuid", 0, 0 },
    { "choice", 1, 1 }, { "len", 1, 1 }, { "str", 1, 1 }, { "int", 1, 1 },
    { "float", 1, 1 }, { "contains", 2, 2 }, { "env", 1, 2 }, { "now", 0, 0 },
    { "urlencode", 1, 1 }, { "base64", 1, 1 },
    /* issue 9: sessions, strings and regular expressions */
    { "cookie", 1, 1 }, { "clear_cookies", 0, 0 },
    { "match", 2, 2 }, { "match_all", 2, 2 }, { "split", 2, 2 }, { "join", 2, 2 },
    { "lower", 1, 1 }, { "upper", 1, 1 }, { "trim", 1, 1 }, { "replace", 3, 3 },
    { "starts_with", 2, 2 }, { "ends_with", 2, 2 }, { "find", 2, 2 },
    { "slice", 2, 3 }, { "next", 1, 1 },
};

static const char *const resp_fields[] = {
    "status", "ok", "text", "json", "time", "size", "error",
    "url", "headers", "cookies",
};

static int count(ast *list)
{
    int n = 0;
    for (; list; list = list->next)
        n++;
    return n;
}

static void check_list(chk *c, ast *list)
{
    for (; list; list = list->next)
        check_expr(c, list);
}

/* A built-in call: known name and argument count. */
static void check_call(chk *c, ast *e)
{
    check_list(c, e->a);
    if (check_fn_call(c, e))
        return;
    ast_loc at = head_loc(e->loc, e->len);
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        const struct builtin *b = &builtins[i];
        if (strcmp(b->name, e->name) != 0)
            continue;
        int n = count(e->a);
        if (n < b->min || n > b->max) {
            if (b->min == b->max)
                diag_error(c->d, at, "'%s' takes %d argument%s, got %d",
                           b->name, b->min, b->min == 1 ? "" : "s", n);
            else
                diag_error(c->d, at, "'%s' takes %d or %d arguments, got %d",
                           b->name, b->min, b->max, n);
        } else {
            check_call9(c, e);
            if (strcmp(e->name, "next") == 0)
                check_next(c, e);
        }
        return;
    }
    diag_error(c->d, at, "unknown function or built-in '%s'", e->name);
}

/* Resolve a variable read; per-user variables are off limits in hooks. */
static void check_name(chk *c, ast *e)
{
    binding *b = lookup(&c->vars, e->name);
    if (!b) {
        if (!c->recovering)
            diag_error(c->d, e->loc, "unknown variable '%s'", e->name);
        return;
    }
    if (b->node->kind == D_VAR && c->ctx != CTX_USER)
        diag_error(c->d, e->loc, "per-user variable '%s' cannot be used in %s",
                   e->name, where(c));
    b->reads++;
    e->sym = b->node;
}

/* Check an expression tree (NULL is fine). */
static void check_expr(chk *c, ast *e)
{
    if (!e || !enter(c, e))
        return;
    switch (e->kind) {
    case E_STRING: case E_LIST: case E_OBJECT:
        check_list(c, e->a);
        break;
    case E_PAIR: case E_INDEX: case E_BINARY:
        check_expr(c, e->a);
        check_expr(c, e->b);
        break;
    case E_UNARY:
        check_expr(c, e->a);
        break;
    case E_NAME:
        check_name(c, e);
        break;
    case E_FACT:
        if (e->op == FACT_USER_ID && c->ctx != CTX_USER)
            diag_error(c->d, e->loc, "'user_id' cannot be used in %s", where(c));
        break;
    case E_CALL:
        check_call(c, e);
        break;
    case E_FIELD:
        check_expr(c, e->a);
        if (e->a->kind == E_NAME && e->a->sym && e->a->sym->kind == S_REQUEST) {
            size_t i, n = sizeof resp_fields / sizeof resp_fields[0];
            for (i = 0; i < n && strcmp(resp_fields[i], e->name) != 0; i++)
                ;
            if (i == n)
                diag_error(c->d, tail_loc(e->loc, e->len),
                           "unknown response field '%s' (a response has status, "
                           "ok, text, json, time, size, error, url, headers, "
                           "cookies, header(NAME))",
                           e->name);
        }
        break;
    case E_METHOD:
        check_expr(c, e->a);
        check_list(c, e->b);
        if (strcmp(e->name, "header") != 0)
            diag_error(c->d, e->loc, "unknown method '%s' (only a response's "
                       "header(NAME) can be called)", e->name);
        else if (count(e->b) != 1)
            diag_error(c->d, e->loc, "'header' takes 1 argument, got %d",
                       count(e->b));
        break;
    default:
        break;
    }
    c->depth--;
}

/* A block is a scope: its lets end with it. */
static void check_block(chk *c, ast *blk)
{
    if (!blk || !enter(c, blk))
        return;
    size_t mark = c->vars.n;
    c->level++;
    for (ast *s = blk->a; s; s = s->next)
        check_stmt(c, s);
    pop_to(c, &c->vars, mark);
    c->level--;
    c->depth--;
}

/* Resolve the request a success/failure/expect decides. */
static void decide(chk *c, ast *s, const char *what)
{
    if (!s->name) {
        if (c->nresp > 0)
            s->sym = c->resp[c->nresp - 1];
        else if (!c->recovering)
            diag_error(c->d, s->loc, "'%s' outside a response block", what);
        return;
    }
    binding *b = lookup(&c->vars, s->name);
    if (!b || b->node->kind != S_REQUEST) {
        if (!c->recovering)
            diag_error(c->d, head_loc(s->loc, strlen(s->name)),
                       "'%s' is not a response in scope", s->name);
        return;
    }
    for (size_t i = 0; i < c->nresp; i++)
        if (c->resp[i] == b->node) {
            s->sym = b->node;
            return;
        }
    if (!c->recovering)
        diag_error(c->d, s->loc, "'%s.%s' outside the response block of '%s'",
                   s->name, what, s->name);
}

/* A request: URL, options (each at most once), the `as` name, then the
 * response block with this request as the innermost one being decided. */
static void check_request(chk *c, ast *s)
{
    static const char *const opt_names[] = {
        "name", "headers", "query", "form", "json", "body", "timeout",
        "redirects",
    };
    const unsigned payload = 1u << (O_FORM - O_NAME) | 1u << (O_JSON - O_NAME)
                             | 1u << (O_BODY - O_NAME);
    unsigned seen = 0;
    s->id = ++c->ids;
    check_expr(c, s->a);
    for (ast *o = s->b; o; o = o->next) {
        unsigned bit = 1u << (o->kind - O_NAME);
        if (seen & bit)
            diag_error(c->d, o->loc, "option '%s' given twice",
                       opt_names[o->kind - O_NAME]);
        else if ((bit & payload) && (seen & payload))
            diag_error(c->d, o->loc,
                       "only one of 'json', 'body' or 'form' per request");
        seen |= bit;
        if (o->kind == O_HEADERS || o->kind == O_QUERY || o->kind == O_FORM)
            check_list(c, o->a);
        else
            check_expr(c, o->a);
        if (o->kind == O_TIMEOUT)
            warn_bare(c, o->a);
    }
    if (s->name)
        declare(c, s);
    if (s->c) {
        if (c->nresp == c->cresp) {
            c->cresp = c->cresp ? c->cresp * 2 : 8;
            c->resp = xrealloc(c->resp, c->cresp * sizeof *c->resp);
        }
        c->resp[c->nresp++] = s;
        check_block(c, s->c);
        c->nresp--;
    }
}

/* NAME = EXPR: NAME must exist and be writable here. */
static void check_assign(chk *c, ast *s)
{
    c->call_ok = s->a;
    check_expr(c, s->a);
    c->call_ok = NULL;
    binding *b = lookup(&c->vars, s->name);
    if (!b) {
        if (!c->recovering)
            diag_error(c->d, s->loc, "assignment to undeclared variable '%s'",
                       s->name);
        return;
    }
    s->sym = b->node;
    /* a global may be assigned anywhere (LANGUAGE.md section 9: one value
     * per process) */
    if (b->node->kind == D_VAR && c->ctx != CTX_USER)
        diag_error(c->d, s->loc, "per-user variable '%s' cannot be used in %s",
                   s->name, where(c));
    else if (b->node->kind == S_REQUEST)
        diag_error(c->d, s->loc, "cannot assign to response '%s'", s->name);
    else if (b->node->kind == D_DATA || b->node->kind == D_FN)
        diag_error(c->d, s->loc, "cannot assign to data '%s' (read rows with "
                   "next(%s))", s->name, s->name);
}

/* Run a loop body with `loop` as the target of break/continue. */
static void loop_body(chk *c, ast *loop, ast *body)
{
    ast *saved = c->loop;
    c->loop = loop;
    check_block(c, body);
    c->loop = saved;
}

/* Check one statement in the current scope and context. */
static void check_stmt(chk *c, ast *s)
{
    if (!enter(c, s))
        return;
    switch (s->kind) {
    case S_REQUEST:
        check_request(c, s);
        break;
    case S_LET:
        c->call_ok = s->a;
        check_expr(c, s->a);
        c->call_ok = NULL;
        s->id = ++c->ids;
        declare(c, s);
        break;
    case S_ASSIGN:
        check_assign(c, s);
        break;
    case S_IF:
        check_expr(c, s->a);
        check_block(c, s->b);
        if (s->c && s->c->kind == S_IF)
            check_stmt(c, s->c);
        else
            check_block(c, s->c);
        break;
    case S_WHILE: case S_REPEAT:
        s->id = ++c->ids;
        check_expr(c, s->a);
        loop_body(c, s, s->b);
        break;
    case S_FOR: {
        s->id = ++c->ids;
        check_expr(c, s->a);
        size_t mark = c->vars.n;
        c->level++;
        declare(c, s);
        loop_body(c, s, s->b);
        pop_to(c, &c->vars, mark);
        c->level--;
        break;
    }
    case S_BREAK: case S_CONTINUE: {
        const char *kw = s->kind == S_BREAK ? "break" : "continue";
        if (c->loop)
            s->sym = c->loop;
        else if (c->recovering)
            ;
        else if (c->loop_hidden)
            diag_error(c->d, s->loc, "'%s' cannot leave a spawn block "
                       "(the loop is outside it)", kw);
        else
            diag_error(c->d, s->loc, "'%s' outside a loop", kw);
        break;
    }
    case S_SLEEP:
        warn_bare(c, s->a);
        check_expr(c, s->a);
        break;
    case S_SPAWN: {
        ast *saved = c->loop;
        int hidden = c->loop_hidden;
        s->id = ++c->ids;
        c->loop_hidden = hidden || saved;
        c->loop = NULL;
        int in_fn = c->in_fn;          /* a spawn block returns no value */
        c->in_fn = 0;
        check_block(c, s->a);
        c->in_fn = in_fn;
        c->loop = saved;
        c->loop_hidden = hidden;
        break;
    }
    case S_POLL: {
        double every;
        if (const_ms(s->a, &every) && every <= 0)
            diag_error(c->d, s->a->loc, "'poll every' needs a positive interval");
        s->id = ++c->ids;
        warn_bare(c, s->a);
        warn_bare(c, s->b);
        check_expr(c, s->a);
        check_expr(c, s->b);
        loop_body(c, s, s->c);
        check_block(c, s->d);
        break;
    }
    case S_LOG:
        check_list(c, s->a);
        break;
    case S_SUCCESS:
        decide(c, s, "success");
        break;
    case S_FAILURE:
        check_expr(c, s->a);
        decide(c, s, "failure");
        break;
    case S_EXPECT:
        check_expr(c, s->a);
        check_expr(c, s->b);
        decide(c, s, "expect");
        break;
    case S_EXPR:
        c->call_ok = s->a;
        check_expr(c, s->a);
        c->call_ok = NULL;
        break;
    case S_RETURN:
        if (s->a && !c->in_fn)
            diag_error(c->d, s->a->loc, "'return' with a value outside a function "
                       "(a task, hook or spawn block returns nothing)");
        check_expr(c, s->a);
        break;
    case S_HEADER: case S_STOP_USER: case S_QUIT: case S_RECORD:
        check_stmt9(c, s);
        break;
    default:
        break;
    }
    c->depth--;
}

/* ---- issue 9 (LANGUAGE.md section 9) ---- */

/* A regular-expression built-in with a literal pattern: the pattern is
 * compiled now (regex.c) so that a bad one is a compile error. */
static void check_call9(chk *c, ast *e)
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
static void warn_bare(chk *c, const ast *e)
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
static void check_stmt9(chk *c, ast *s)
{
    switch (s->kind) {
    case S_HEADER:
        check_expr(c, s->a);
        check_expr(c, s->b);
        break;
    case S_STOP_USER:
        if (c->ctx != CTX_USER)
            diag_error(c->d, s->loc, "'stop user' cannot be used in %s", where(c));
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
static void check_data(chk *c, ast *d)
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
    declare(c, d);
}

/* next(NAME): NAME must be a data source. */
static void check_next(chk *c, ast *e)
{
    ast *a = e->a;
    if (a && !a->next && (a->kind != E_NAME || !a->sym || a->sym->kind != D_DATA)
        && !c->recovering)
        diag_error(c->d, a->loc, "next() takes the name of a 'data' declaration");
}

/* ---- issue 9: tags and the load shape ---- */

/* task NAME tag "a", "b": literal, non-empty, no ',' (--tags splits on it). */
static void check_tags(chk *c, ast *tags)
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
        int num = const_ms(n, &v) && n->kind != E_DURATION;
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
static void check_shape(chk *c, ast *d)
{
    if (!d->a)
        diag_error(c->d, d->loc, "a shape needs at least one 'stage D users N'");
    for (ast *s = d->a; s; s = s->next) {
        double ms;
        if (!const_ms(s->a, &ms) || ms <= 0)
            diag_error(c->d, s->a->loc, "a stage lasts a positive literal duration (30s, 2m)");
        if (s->c && strcmp(s->c->name, "users") != 0)
            diag_error(c->d, s->c->loc, "expected 'users' (stage D users N [rate R] [arrival A])");
        if (s->b->kind != E_INT || s->b->i < 0)
            diag_error(c->d, s->b->loc, "a stage's users is a whole number >= 0");
        check_stage_clauses(c, s);
    }
}

/* ---- issue 9: functions ---- */

static int is_builtin(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return 1;
    return 0;
}

/* The fn `name` visible here: the current class's, else a top-level one. */
static ast *find_fn(chk *c, const char *name)
{
    binding *b = lookup(&c->fns, name);
    return b ? b->node : NULL;
}

/* A call of a user function: resolve it (sym), check the arity and where
 * the call stands. 0 when name is no function (then it is a built-in). */
static int check_fn_call(chk *c, ast *e)
{
    ast *fn = find_fn(c, e->name);
    if (!fn)
        return 0;
    ast_loc at = head_loc(e->loc, e->len);
    int want = count(fn->b), got = count(e->a);
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
static void check_fn(chk *c, ast *d, ast *decls)
{
    d->id = ++c->ids;
    (void)decls;
    binding *first = lookup(&c->fns, d->name);
    if (first && first->node != d && first->level == c->level) {
        diag_error(c->d, d->loc, "duplicate function '%s'", d->name);
        diag_note(c->d, first->node->loc, "first declared here");
    }
    if (is_builtin(d->name))
        diag_error(c->d, d->loc, "function '%s' has the name of a built-in", d->name);
    size_t mark = c->vars.n;
    int saved_ctx = c->ctx;
    c->level++;
    for (ast *p = d->b; p; p = p->next) {
        p->id = ++c->ids;
        declare(c, p);
        binding *b = lookup(&c->vars, p->name);
        if (b)
            b->reads++;         /* an unused parameter is no warning */
    }
    c->in_fn = 1;
    check_body(c, d->a, CTX_USER);
    c->in_fn = 0;
    pop_to(c, &c->vars, mark);
    c->level--;
    c->ctx = saved_ctx;
}

/* A body run by the runtime (task, hook): fresh loop/response context. */
static void check_body(chk *c, ast *body, int ctx)
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
static int const_ms(const ast *e, double *v)
{
    if (e->kind == E_INT)
        *v = (double)e->i;
    else if (e->kind == E_FLOAT || e->kind == E_DURATION)
        *v = e->f;
    else
        return 0;
    return 1;
}

/* host must be a plain string literal starting http:// or https://. */
static void check_host(chk *c, ast *e)
{
    int literal = e->kind == E_STRING
                  && (!e->a || (e->a->kind == E_STRLIT && !e->a->next));
    const char *s = literal ? e->name : "";
    size_t n = literal ? e->len : 0;
    if (!((n > 7 && strncmp(s, "http://", 7) == 0)
          || (n > 8 && strncmp(s, "https://", 8) == 0))
        || memchr(s, '\0', n))
        diag_error(c->d, e->loc,
                   "host must be a literal http:// or https:// URL");
    else
        check_expr(c, e);
}

/* The largest weight (task or user class): the runtime keeps weights in
 * an int and sums them in 64 bits, so any bound far below INT32_MAX is
 * safe; 1,000,000 is documented in docs/language.md. */
#define CHECK_WEIGHT_MAX 1000000

static void check_weight(chk *c, ast *w)
{
    if (w && !(w->kind == E_INT && w->i > 0))
        diag_error(c->d, w->loc, "weight must be a positive integer");
    else if (w && w->i > CHECK_WEIGHT_MAX)
        diag_error(c->d, w->loc, "weight %lld is too large (at most %d)",
                   (long long)w->i, CHECK_WEIGHT_MAX);
}

/* Check the wait declarations of one class once all are known. A user
 * class declaring only one of min_wait/max_wait inherits the other from the
 * top level (as gen.c does); a class `wait` replaces both. */
static void check_waits(chk *c, ast *wait, ast *minw, ast *maxw, int top)
{
    double a, b;
    ast *own_min = minw, *own_max = maxw;
    if (!top && !wait && (minw || maxw)) {
        if (!minw)
            minw = c->top_minw;
        if (!maxw)
            maxw = c->top_maxw;
    }
    if (wait && (minw || maxw))
        diag_error(c->d, (minw ? minw : maxw)->loc,
                   "'min_wait'/'max_wait' conflict with the 'wait' declaration");
    else if (minw && !maxw)
        diag_error(c->d, minw->loc, "'min_wait' without 'max_wait'");
    else if (maxw && !minw)
        diag_error(c->d, maxw->loc, "'max_wait' without 'min_wait'");
    else if (minw && minw->a && maxw->a && const_ms(minw->a, &a)
             && const_ms(maxw->a, &b) && a > b) {
        ast *at = own_min ? own_min : maxw, *other = at == minw ? maxw : minw;
        diag_error(c->d, at->loc,
                   "'min_wait' (%g ms) is greater than 'max_wait' (%g ms)", a, b);
        if (!own_min || !own_max)
            diag_note(c->d, other->loc, "'%s' inherited from the top level",
                      other == minw ? "min_wait" : "max_wait");
    }
    if (wait && wait->op == WAIT_THROUGHPUT && wait->a
        && wait->a->kind == E_DURATION)
        diag_error(c->d, wait->a->loc, "'wait throughput' takes a number of "
                   "iterations per second, not a duration");
    else if (wait && wait->op == WAIT_THROUGHPUT && wait->a
             && const_ms(wait->a, &a) && a <= 0)
        diag_error(c->d, wait->a->loc, "'wait throughput' needs a positive "
                   "number of iterations per second");
    if (wait && wait->op == WAIT_BETWEEN && wait->a && wait->b
        && const_ms(wait->a, &a) && const_ms(wait->b, &b) && a > b)
        diag_error(c->d, wait->a->loc, "'wait between' bounds are reversed "
                   "(%g ms is greater than %g ms)", a, b);
}

/* Check the declarations of one user class (the top level when top). */
static void check_class(chk *c, ast *decls, int top)
{
    ast *host = NULL, *wait = NULL, *minw = NULL, *maxw = NULL, *shape = NULL;
    ast *hooks[4] = { NULL, NULL, NULL, NULL };
    size_t vmark = c->vars.n, nmark = c->names.n;
    c->level++;
    c->ctx = CTX_USER;
    size_t fmark = c->fns.n;
    for (ast *d = decls; d; d = d->next)        /* issue 9: the first of a name */
        if (d->kind == D_FN) {
            binding *old = lookup(&c->fns, d->name);
            if (!old || old->level != c->level)
                push(&c->fns, d->name, d, c->level);
        }
    for (ast *d = decls; d; d = d->next)
        if (d->kind == D_VAR) {
            d->id = ++c->ids;
            declare(c, d);
        }
    for (ast *d = decls; d; d = d->next) {
        switch (d->kind) {
        case D_HOST:
            if (host)
                diag_error(c->d, d->loc, "a user class has only one 'host'");
            host = d;
            check_host(c, d->a);
            break;
        case D_WAIT: case D_MIN_WAIT: case D_MAX_WAIT: {
            ast **slot = d->kind == D_WAIT ? &wait
                         : d->kind == D_MIN_WAIT ? &minw : &maxw;
            if (*slot)
                diag_error(c->d, d->loc, "a user class has only one '%s' "
                           "declaration", d->kind == D_WAIT ? "wait"
                           : d->kind == D_MIN_WAIT ? "min_wait" : "max_wait");
            else
                *slot = d;
            if (d->kind == D_WAIT && d->op != WAIT_THROUGHPUT) {
                warn_bare(c, d->a);
                warn_bare(c, d->b);
            }
            check_expr(c, d->a);
            check_expr(c, d->b);
            break;
        }
        case D_VAR:
            check_expr(c, d->a);
            break;
        case D_TASK: {
            d->id = ++c->ids;
            check_weight(c, d->b);
            binding *old = lookup(&c->names, d->name);
            if (old && old->level == c->level && !c->recovering) {
                diag_error(c->d, d->loc, "duplicate task '%s'", d->name);
                diag_note(c->d, old->node->loc, "first declared here");
            }
            push(&c->names, d->name, d, c->level);
            check_tags(c, d->c);
            check_body(c, d->a, CTX_USER);
            break;
        }
        case D_ON:
            d->id = ++c->ids;
            if (hooks[d->op])
                diag_error(c->d, d->loc, "duplicate '%s' hook",
                           d->op == ON_START ? "on start" : d->op == ON_STOP
                           ? "on stop" : d->op == ON_TEST_START
                           ? "on test start" : "on test stop");
            hooks[d->op] = d;
            if (d->op >= ON_TEST_START && !top)
                diag_error(c->d, d->loc, "test hooks belong at the top "
                           "level, not inside a user class");
            check_body(c, d->a, d->op >= ON_TEST_START ? CTX_TEST_HOOK
                                                      : CTX_USER);
            break;
        case D_FN:
            check_fn(c, d, decls);
            break;
        case D_GLOBAL:
            if (!top)
                diag_error(c->d, d->loc, "'global' belongs at the top level, "
                           "not inside a user class");
            break;
        case D_TLS:
            if (strcmp(d->name, "verify") != 0)
                diag_error(c->d, d->loc, "expected 'verify' (tls verify false)");
            if (!top)
                diag_error(c->d, d->loc, "'tls' belongs at the top level, "
                           "not inside a user class");
            break;
        case D_SHAPE:
            if (!top)
                diag_error(c->d, d->loc, "'shape' belongs at the top level, "
                           "not inside a user class");
            else if (shape)
                diag_error(c->d, d->loc, "a script has only one 'shape'");
            shape = d;
            check_shape(c, d);
            break;
        case D_DATA:
            if (!top)
                diag_error(c->d, d->loc, "'data' belongs at the top level, "
                           "not inside a user class");
            break;
        case D_USER:
            if (!top)
                diag_error(c->d, d->loc, "user classes cannot be nested");
            break;
        default:
            break;
        }
    }
    check_waits(c, wait, minw, maxw, top);
    if (top) {
        c->top_minw = minw;
        c->top_maxw = maxw;
    }
    pop_to(c, &c->vars, vmark);
    pop_to(c, &c->names, nmark);
    if (!top)
        pop_to(c, &c->fns, fmark);
    c->level--;
}

/* With user classes, the top level keeps only what classes share (host,
 * wait, globals, test hooks): a top-level task, var or per-user hook would
 * belong to no class and never run, so it is an error. */
static void check_orphans(chk *c, ast *decls)
{
    const ast *user = NULL;
    for (ast *d = decls; d && !user; d = d->next)
        if (d->kind == D_USER)
            user = d;
    if (!user || c->recovering)
        return;
    for (ast *d = decls; d; d = d->next) {
        const char *what = d->kind == D_TASK ? "task"
                         : d->kind == D_VAR ? "var"
                         : d->kind == D_ON && d->op == ON_START ? "'on start'"
                         : d->kind == D_ON && d->op == ON_STOP ? "'on stop'"
                         : NULL;
        if (!what)
            continue;
        diag_error(c->d, d->loc, "%s outside any user class: with user "
                   "classes, put it inside one of them", what);
        diag_note(c->d, user->loc, "first user class declared here");
    }
}

int check_file(ast_file *f, diag *d)
{
    chk *c = calloc(1, sizeof *c);
    if (!c) {
        fputs("swarmc: out of memory\n", stderr);
        exit(1);
    }
    int before = d->errors;
    c->f = f;
    c->d = d;
    c->recovering = before > 0;
    for (ast *g = f->decls; g; g = g->next)
        if (g->kind == D_GLOBAL) {
            g->id = ++c->ids;
            declare(c, g);
        }
    for (ast *g = f->decls; g; g = g->next)     /* issue 9: data sources */
        if (g->kind == D_DATA)
            check_data(c, g);
    c->ctx = CTX_GLOBAL_INIT;
    for (ast *g = f->decls; g; g = g->next)
        if (g->kind == D_GLOBAL)
            check_expr(c, g->a);
    check_class(c, f->decls, 1);
    check_orphans(c, f->decls);
    numbers_check(f, d);                /* threshold / arrival lines */
    for (ast *u = f->decls; u; u = u->next) {
        if (u->kind != D_USER)
            continue;
        u->id = ++c->ids;
        check_weight(c, u->b);
        binding *old = lookup(&c->names, u->name);
        if (old && !c->recovering) {
            diag_error(c->d, u->loc, "duplicate user class '%s'", u->name);
            diag_note(c->d, old->node->loc, "first declared here");
        }
        push(&c->names, u->name, u, c->level);
        check_class(c, u->a, 0);
    }
    free(c->vars.b);
    free(c->names.b);
    free(c->fns.b);
    free(c->resp);
    free(c);
    return d->errors - before;
}
