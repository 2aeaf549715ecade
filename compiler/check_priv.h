/*
 * check_priv.h -- what the checker's files share (check.c: scopes, names,
 * statements, classes; check_lang9.c: LANGUAGE.md section 9's functions,
 * data, tags and the load shape). Not for the rest of swarmc: check.h is
 * the pass's interface.
 *
 * Ownership: one chk lives for one check_file call; the symbol tables own
 * their binding stacks, the tree is borrowed (sym and id are filled in).
 */
#ifndef CHECK_PRIV_H
#define CHECK_PRIV_H

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "numbers.h"
#include "regex.h"

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


/* ---- check.c: scopes and the core checks ---- */
binding *chk_lookup(symtab *t, const char *name);
void chk_pop_to(chk *c, symtab *t, size_t mark);
void chk_declare(chk *c, ast *node);
const char *chk_where(chk *c);                  /* "in a task", ... for messages */
ast_loc chk_head_loc(ast_loc l, size_t n);      /* the first n columns of l */
int chk_count(ast *list);
int chk_const_ms(const ast *e, double *v);      /* a constant duration, ms */
int chk_is_builtin(const char *name);
void check_block(chk *c, ast *blk);
void check_stmt(chk *c, ast *s);
void check_expr(chk *c, ast *e);

/* ---- check_lang9.c: section 9 ---- */
void check_call9(chk *c, ast *e);
void warn_bare(chk *c, const ast *e);
int check_fn_call(chk *c, ast *e);
void check_body(chk *c, ast *body, int ctx);
void check_data(chk *c, ast *d);
void check_next(chk *c, ast *e);
void check_tags(chk *c, ast *tags);
void check_shape(chk *c, ast *d);
void check_fn(chk *c, ast *d, ast *decls);
void check_stmt9(chk *c, ast *s);

#endif /* CHECK_PRIV_H */
