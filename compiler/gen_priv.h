/*
 * gen_priv.h -- internals shared by the generator's files:
 *   gen.c       program layout, user classes, tables, pools, ids
 *   gen_expr.c  expressions and constants
 *   gen_stmt.c  statements and body functions
 *   gen_req.c   requests, response blocks, decisions
 *   gen_lit.c   big literals as static tables
 *
 * Ownership: a gen owns its section streams, pools and maps; gen_program
 * creates one and frees everything before returning. Body records live on
 * the C stack of gen_body_fn while their function is generated.
 */
#ifndef GEN_PRIV_H
#define GEN_PRIV_H

#include <stdint.h>
#include <stdio.h>
#include "ast.h"

/* What a frame slot holds for its declaring node. */
enum { ROLE_VAL, ROLE_LIST, ROLE_IDX, ROLE_START, ROLE_EVERY, ROLE_LIMIT, ROLE_PC,
       ROLE_RET /* issue 9: a fn's return value, slot 0 of its frame */ };
/* Open constructs a jump may leave. */
enum { CTX_LOOP, CTX_RESP };
/* Ways to leave a block function other than falling through or waiting
 * (the generated BLK_* statuses). */
enum { EX_BREAK, EX_CONTINUE, EX_END, EX_RETURN, EX_FAIL };
/* What the code being generated can use: a body (co, F, V), the script's
 * init function (nothing), a class's init_vars function (co, V). */
enum { GM_BODY, GM_INIT, GM_VARS };

/* A hash index over the entries of an array owned elsewhere: open
 * addressing, each slot the entry's index + 1 (0 empty) with its hash.
 * Keeps the generator linear in distinct strings, locations and slots. */
typedef struct gen_hix {
    int *idx;                   /* entry index + 1, 0 for an empty slot */
    uint64_t *hv;               /* the hash of each slot's entry */
    size_t cap, n;              /* slots (a power of two), entries */
} gen_hix;

typedef struct gen_member {
    const ast *node;            /* declaring node */
    int role;                   /* ROLE_* */
} gen_member;

typedef struct gen_ctx {
    int kind;                   /* CTX_LOOP or CTX_RESP */
    const ast *node;            /* the loop / the S_REQUEST */
    int brk, cont;              /* loop labels jumped to */
    int fail, end;              /* response block labels jumped to */
} gen_ctx;

typedef struct gen_exit {
    int kind;                   /* EX_BREAK, EX_CONTINUE or EX_END */
    const ast *node;            /* the loop / the S_REQUEST left */
} gen_exit;

/* One C function being generated: a body's own function, or the function
 * of a response block or poll loop inside it (over the same frame). */
typedef struct gen_fn {
    struct gen_fn *up;          /* enclosing function of the body, or NULL */
    const ast *node;            /* S_REQUEST / S_POLL, or NULL for the body */
    int base;                   /* first ctx index this function owns */
    int npc;                    /* wait points so far */
    int used_f, used_v, used_fail;
    int can_return, can_fail;   /* block: returns BLK_RETURN / BLK_FAIL */
    gen_exit *ex;               /* block: BLK_BREAK/CONTINUE/END it returns */
    int nex, cex;
    FILE *o;                    /* the function's statements */
    char *buf;                  /* open_memstream buffer of o */
    size_t len;
} gen_fn;

typedef struct gen_body {
    struct gen_body *parent;    /* body a spawn block sits in, or NULL */
    const char *cname;          /* C name; the frame is struct <cname>_frame */
    gen_member *mem;            /* frame slots, in declaration order */
    int nmem, cmem;
    gen_hix memh;               /* (node, role) -> mem index */
    gen_ctx *ctx;               /* open loops and response blocks */
    int nctx, cctx;
    gen_fn *fn;                 /* function being generated */
} gen_body;

typedef struct gen_str {
    char *s;                    /* bytes (owned) */
    size_t len;
} gen_str;


typedef struct gen {
    const ast_file *f;
    FILE *o;                    /* where code goes now */
    int ind;                    /* indentation depth of o */
    gen_body *b;                /* body being generated (GM_BODY) */
    int mode;                   /* GM_* */
    const char *vars_type;      /* "vars_X" of the current class, or NULL */
    FILE *s_struct, *s_proto, *s_func, *s_tail; /* sections */
    char *b_struct, *b_proto, *b_func, *b_tail;
    size_t l_struct, l_proto, l_func, l_tail;
    gen_str *strs;              /* string constants K1.. */
    int nstr, cstr;
    gen_hix strh;               /* bytes -> strs index */
    int *locs;                  /* (line, col) pairs of LOC_1.. */
    int nloc, cloc;
    gen_hix loch;               /* (line, col) -> locs index */
    const ast **idk;            /* node -> id map (open addressing) */
    int *idv;
    size_t idcap;
    int nid;
    int nblk;                   /* block functions generated */
    int fn_body;                /* issue 9: the next gen_body_fn is a fn's */
    FILE *s_lit;                /* big literals: tables and helpers */
    char *b_lit;
    size_t l_lit;
    int nlit;                   /* LIT_<k> tables so far */
} gen;

/* gen.c */
void *gen_alloc(void *p, size_t n);                 /* realloc or die */
int gen_id(gen *g, const ast *n);                   /* 0 when not numbered */
void gen_ind(gen *g);                               /* indentation */
void gen_line(gen *g, const char *fmt, ...);        /* indented line */
void gen_label(gen *g, const char *fmt, ...);       /* "name:;" at column 0 */
void gen_lineinfo(gen *g, const ast *n);            /* #line directive */
void gen_cstring(FILE *o, const char *s, size_t len); /* "..." escaped */
/* The bytes of a string made only of literal parts (malloc'd, NUL-added,
 * length in *len), or NULL when it interpolates anything. */
char *gen_literal_bytes(const ast *e, size_t *len);
void gen_comment_text(FILE *o, const char *s, size_t len);
/* gen_hix: hash of bytes; the entry whose hash is h and for which
 * eq(ctx, index) holds, or -1; add entry index i with hash h; free. */
uint64_t gen_hash(const void *p, size_t n, uint64_t seed);
int gen_hix_find(const gen_hix *h, uint64_t hv, int (*eq)(const void *ctx, int i),
                 const void *ctx);
void gen_hix_add(gen_hix *h, uint64_t hv, int i);
void gen_hix_free(gen_hix *h);

/* gen_expr.c */
int gen_strk(gen *g, const char *s, size_t len);    /* K index of bytes */
int gen_lock(gen *g, int line, int col);            /* LOC index */
void gen_num(FILE *o, double v);                    /* C double literal */
int gen_const_ms(const ast *e, double *ms);         /* literal D value? */
int gen_can_raise(const ast *e);
void gen_expr(gen *g, const ast *e);                /* owned sw_val */
void gen_ms(gen *g, const ast *e);                  /* double (ms) */
const ast *gen_decl_of(gen *g, const ast *n);       /* the checker's sym */
void gen_member_name(gen *g, const ast *n, int role, char *buf, size_t cap);
void gen_slot(gen *g, const ast *decl, int role);   /* an lvalue */
void gen_template(gen *g, const ast *url, const char **s, size_t *len,
                  char **owned);
/* Literals with more items than this become a static table (gen_lit.c). */
#define GEN_LIT_INLINE 32
/* gen_lit.c: e (E_LIST, E_OBJECT or an interpolating E_STRING) as a
 * static table plus, for non-constant items, a helper function. */
void gen_big_literal(gen *g, const ast *e);

/* gen_stmt.c: shared statement helpers */
void gen_add_member(gen *g, const ast *n, int role);  /* frame slot */
void gen_push_ctx(gen *g, int kind, const ast *n);
void gen_ref_slot(gen *g, const ast *req);          /* sw_ref(F->r_...) */
void gen_settle_above(gen *g, int down);            /* settle left blocks */
void gen_err_jump(gen *g);                          /* goto error path */
void gen_leave(gen *g, int kind, const ast *node);  /* break/continue/... */
void gen_block_fn(gen *g, const ast *s,             /* block as a function */
                  void (*emit)(gen *g, const ast *s));
void gen_check(gen *g);                             /* if failed -> error */
int gen_new_pc(gen *g);                             /* next wait point: "pc = k;" */
void gen_wait_return(gen *g, int pc);               /* return + label */
void gen_cond(gen *g, const ast *c, const ast *at); /* sw_truthy(...) */
void gen_block(gen *g, const ast *blk);             /* indented block */
/* gen_req.c */
void gen_request(gen *g, const ast *s);
void gen_decide(gen *g, const ast *s);
/* gen_lang9.c: issue 9 statements (header, stop user, quit, record,
 * return VALUE), calls of user functions and their bodies */
void gen_stmt9(gen *g, const ast *s);
/* s is a let / assignment / call statement whose value is a call of a user
 * fn: generate the call (and the store into target's slot, if any). */
int gen_fn_call(gen *g, const ast *s, const ast *target);
/* The fns among decls, as bodies fn_NAME (prefix "u_CLASS_" in a class). */
void gen_fns(gen *g, const ast *decls, const char *prefix);
/* The shape's `static const sw_stage STAGES[]` (rate and arrival -1 when a
 * stage has none); returns the number of stages. */
int gen_stages(FILE *globals, const ast *shape);
/* gen_stmt.c */
void gen_body_fn(gen *g, const char *cname, const char *title,
                 const ast *block, gen_body *parent,
                 const gen_member *caps, int ncaps);

#endif /* GEN_PRIV_H */
