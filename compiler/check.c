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
#include "check_priv.h"

static void check_host(chk *c, ast *e);

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
binding *chk_lookup(symtab *t, const char *name)
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
void chk_pop_to(chk *c, symtab *t, size_t mark)
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
void chk_declare(chk *c, ast *node)
{
    binding *old = c->recovering ? NULL : chk_lookup(&c->vars, node->name);
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

const char *chk_where(chk *c)
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

ast_loc chk_head_loc(ast_loc l, size_t n)
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

int chk_count(ast *list)
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
    ast_loc at = chk_head_loc(e->loc, e->len);
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        const struct builtin *b = &builtins[i];
        if (strcmp(b->name, e->name) != 0)
            continue;
        int n = chk_count(e->a);
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
    binding *b = chk_lookup(&c->vars, e->name);
    if (!b) {
        if (!c->recovering)
            diag_error(c->d, e->loc, "unknown variable '%s'", e->name);
        return;
    }
    if (b->node->kind == D_VAR && c->ctx != CTX_USER)
        diag_error(c->d, e->loc, "per-user variable '%s' cannot be used in %s",
                   e->name, chk_where(c));
    b->reads++;
    e->sym = b->node;
}

/* Check an expression tree (NULL is fine). */
void check_expr(chk *c, ast *e)
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
            diag_error(c->d, e->loc, "'user_id' cannot be used in %s", chk_where(c));
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
        else if (chk_count(e->b) != 1)
            diag_error(c->d, e->loc, "'header' takes 1 argument, got %d",
                       chk_count(e->b));
        break;
    default:
        break;
    }
    c->depth--;
}

/* A block is a scope: its lets end with it. */
void check_block(chk *c, ast *blk)
{
    if (!blk || !enter(c, blk))
        return;
    size_t mark = c->vars.n;
    c->level++;
    for (ast *s = blk->a; s; s = s->next)
        check_stmt(c, s);
    chk_pop_to(c, &c->vars, mark);
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
    binding *b = chk_lookup(&c->vars, s->name);
    if (!b || b->node->kind != S_REQUEST) {
        if (!c->recovering)
            diag_error(c->d, chk_head_loc(s->loc, strlen(s->name)),
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
        chk_declare(c, s);
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
    binding *b = chk_lookup(&c->vars, s->name);
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
                   s->name, chk_where(c));
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
void check_stmt(chk *c, ast *s)
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
        chk_declare(c, s);
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
        chk_declare(c, s);
        loop_body(c, s, s->b);
        chk_pop_to(c, &c->vars, mark);
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
        if (chk_const_ms(s->a, &every) && every <= 0)
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

int chk_is_builtin(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return 1;
    return 0;
}

int chk_const_ms(const ast *e, double *v)
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
    else if (minw && minw->a && maxw->a && chk_const_ms(minw->a, &a)
             && chk_const_ms(maxw->a, &b) && a > b) {
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
             && chk_const_ms(wait->a, &a) && a <= 0)
        diag_error(c->d, wait->a->loc, "'wait throughput' needs a positive "
                   "number of iterations per second");
    if (wait && wait->op == WAIT_BETWEEN && wait->a && wait->b
        && chk_const_ms(wait->a, &a) && chk_const_ms(wait->b, &b) && a > b)
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
            binding *old = chk_lookup(&c->fns, d->name);
            if (!old || old->level != c->level)
                push(&c->fns, d->name, d, c->level);
        }
    for (ast *d = decls; d; d = d->next)
        if (d->kind == D_VAR) {
            d->id = ++c->ids;
            chk_declare(c, d);
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
            binding *old = chk_lookup(&c->names, d->name);
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
    chk_pop_to(c, &c->vars, vmark);
    chk_pop_to(c, &c->names, nmark);
    if (!top)
        chk_pop_to(c, &c->fns, fmark);
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
            chk_declare(c, g);
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
        binding *old = chk_lookup(&c->names, u->name);
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
