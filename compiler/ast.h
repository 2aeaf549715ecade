/*
 * ast.h -- the syntax tree shared by the parser, the checker and the
 * code generator.
 *
 * One node type for everything (as in jq): a kind, a location, and a few
 * generic fields whose meaning depends on the kind (see the table below).
 * Lists (statements, declarations, arguments, options, pairs, string parts)
 * are chained through `next`.
 *
 * Ownership: every node belongs to the arena of its ast_file; ast_file_free
 * releases them all. Strings in nodes are owned by the same arena.
 *
 * Who writes what:
 *   parser.y  builds nodes (kind, loc, a/b/c, next, name/len, i, f, op, flags)
 *   check.c   fills `sym` and `id` and never changes the shape of the tree
 *   gen.c     only reads
 */
#ifndef AST_H
#define AST_H

#include <stddef.h>
#include <stdint.h>

typedef struct ast_loc {
    int line, col;          /* 1-based, of the first character */
    int end_line, end_col;  /* of the last character (inclusive) */
    int off, end_off;       /* byte offsets into the source: [off, end_off) */
} ast_loc;

typedef enum ast_kind {
    /* ---- expressions ---- */
    E_NULL,         /* null */
    E_BOOL,         /* i = 0/1 */
    E_INT,          /* i */
    E_FLOAT,        /* f */
    E_DURATION,     /* f = milliseconds (900ms, 1.5s, 2m, 1h) */
    E_STRING,       /* a = parts (E_STRLIT or any expression for ${...});
                       name/len = the reporting template: literal text with each
                       ${expr} written {expr} (expr's source text, trimmed) */
    E_STRLIT,       /* name/len = decoded literal bytes (one part of a string) */
    E_LIST,         /* a = items */
    E_OBJECT,       /* a = E_PAIR list */
    E_PAIR,         /* a = key expression (usually E_STRING), b = value */
    E_NAME,         /* name; check: sym = declaring node (S_LET, S_FOR, D_VAR,
                       D_GLOBAL, or S_REQUEST for `as NAME`) */
    E_FACT,         /* op = FACT_* (user_id, is_master, is_slave, is_standalone) */
    E_FIELD,        /* a = object, name = field (any word, keywords included) */
    E_INDEX,        /* a = object, b = index */
    E_CALL,         /* name = built-in, a = arguments */
    E_METHOD,       /* a = receiver, name = method (only `header` on a
                       response), b = arguments */
    E_UNARY,        /* op = '-' or OP_NOT, a */
    E_BINARY,       /* op = '+','-','*','/','%', OP_EQ, OP_NE, '<', OP_LE, '>',
                       OP_GE, OP_AND, OP_OR; a, b */

    /* ---- statements ---- */
    S_BLOCK,        /* a = statements */
    S_REQUEST,      /* op = SW_GET..SW_OPTIONS (sw_method order), a = URL
                       (E_STRING), b = options (O_*), name = `as` name or NULL,
                       c = response block (S_BLOCK) or NULL */
    S_LET,          /* name, a = value */
    S_ASSIGN,       /* name, a = value; check: sym = declaring node */
    S_IF,           /* a = condition, b = then (S_BLOCK), c = else (S_BLOCK,
                       or S_IF for `else if`) or NULL */
    S_WHILE,        /* a = condition, b = body */
    S_REPEAT,       /* a = count, b = body */
    S_FOR,          /* name = loop variable, a = collection, b = body */
    S_BREAK,        /* check: sym = the loop (S_WHILE/S_REPEAT/S_FOR/S_POLL) */
    S_CONTINUE,     /* check: sym = the loop */
    S_RETURN,       /* a = value (issue 9: only in a fn) or NULL */
    S_SLEEP,        /* a = duration expression (ms) */
    S_SPAWN,        /* a = body (S_BLOCK) */
    S_POLL,         /* a = every (ms), b = limit (ms) or NULL, c = body,
                       d = timeout block or NULL */
    S_LOG,          /* a = expressions */
    S_SUCCESS,      /* name = NAME in NAME.success, or NULL for bare;
                       check: sym = the S_REQUEST decided */
    S_FAILURE,      /* a = message, name as S_SUCCESS; check: sym as S_SUCCESS */
    S_EXPECT,       /* a = condition, b = message or NULL (default: the
                       condition's source text); check: sym = the S_REQUEST */
    S_EXPR,         /* a = expression evaluated for effect (a call) */
    S_HEADER,       /* issue 9: header NAME = EXPR; a = name (E_STRING), b = value */
    S_STOP_USER,    /* issue 9: stop user */
    S_QUIT,         /* issue 9: quit [STATUS]; a = status or NULL (0) */
    S_RECORD,       /* issue 9: record NAME time MS [failure MSG]; a = name,
                       b = time (ms), c = failure message or NULL; name = the
                       word between (must be `time`), d = a node at its place */

    /* ---- request options (in S_REQUEST.b) ---- */
    O_NAME,         /* a = string */
    O_HEADERS,      /* a = E_PAIR list */
    O_QUERY,        /* a = E_PAIR list */
    O_FORM,         /* a = E_PAIR list */
    O_JSON,         /* a = expression */
    O_BODY,         /* a = expression */
    O_TIMEOUT,      /* a = duration expression (ms) */
    O_REDIRECTS,    /* a = boolean expression */

    /* ---- declarations (top level or inside `user`) ---- */
    D_HOST,         /* a = string */
    D_WAIT,         /* op = WAIT_CONST/WAIT_BETWEEN/WAIT_PACING/WAIT_THROUGHPUT,
                       a, b (b only for between) */
    D_MIN_WAIT,     /* a = number (ms) */
    D_MAX_WAIT,     /* a = number (ms) */
    D_GLOBAL,       /* name, a = initial value */
    D_VAR,          /* name, a = initial value */
    D_TASK,         /* name, i = weight (1 by default), a = body (S_BLOCK),
                       c = tags (E_STRING list, issue 9) or NULL */
    D_ON,           /* op = ON_START/ON_STOP/ON_TEST_START/ON_TEST_STOP,
                       a = body */
    D_USER,         /* name, i = weight, flags = AST_SEQUENTIAL, a = declarations */
    D_THRESHOLD,    /* name/len = the whole line from the keyword `threshold`
                       (parsed by runtime/thrspec.c; compiler/numbers.c) */
    D_ARRIVAL,      /* name/len = the whole line from `arrival` (likewise) */
    D_FN,           /* issue 9: fn NAME(PARAMS) { }; name, a = body, b = D_PARAM list;
                       a call (E_CALL) to it has sym = the D_FN */
    D_PARAM,        /* issue 9: a fn parameter; name */
    D_SHAPE,        /* issue 9: shape { stages }; a = D_STAGE list */
    D_TLS,          /* issue 9: tls verify true|false; name = the word, i = value */
    D_STAGE,        /* issue 9: stage D users N [rate R] [arrival A [per second]];
                       a = D, b = N, c = the word before N (E_NAME), d = the words
                       (E_NAME) and numbers after N in order (issue 10) */
    D_DATA,         /* issue 9: data NAME = csv|json "F"; name, a = path (E_STRING),
                       op = 0 csv (b = the format word, E_NAME) or 1 json */

    AST_KIND_COUNT
} ast_kind;

enum { OP_EQ = 256, OP_NE, OP_LE, OP_GE, OP_AND, OP_OR, OP_NOT };
enum { FACT_USER_ID, FACT_IS_MASTER, FACT_IS_SLAVE, FACT_IS_STANDALONE };
enum { WAIT_CONST, WAIT_BETWEEN, WAIT_PACING, WAIT_THROUGHPUT };
enum { ON_START, ON_STOP, ON_TEST_START, ON_TEST_STOP };
enum { AST_SEQUENTIAL = 1 };
enum { AST_BARE = 2 };      /* issue 9: a number written where a duration goes */

typedef struct ast ast;
struct ast {
    ast_kind kind;
    ast_loc loc;
    ast *a, *b, *c, *d;     /* children, by kind (see above) */
    ast *next;              /* next node in a list */
    char *name;             /* identifier or decoded string bytes */
    size_t len;             /* length of name (strings may hold NULs) */
    int64_t i;
    double f;
    int op;
    int flags;
    /* filled by check.c */
    ast *sym;               /* resolution (see kinds) */
    int id;                 /* unique number of a declaring node (S_LET, S_FOR,
                               S_REQUEST, D_VAR, D_GLOBAL) and of every loop,
                               request, spawn and poll, for names in the C */
};

typedef struct ast_file {
    const char *path;       /* as given on the command line */
    const char *src;        /* the whole source, NUL-terminated */
    size_t src_len;
    ast *decls;             /* top-level declarations */
    void *arena;            /* owner of every node and string */
} ast_file;

ast *ast_new(ast_file *f, ast_kind kind, ast_loc loc);
char *ast_strdup(ast_file *f, const char *s, size_t len);
/* Append list b to list a; returns the head. */
ast *ast_append(ast *a, ast *b);
void ast_file_free(ast_file *f);

#endif /* AST_H */
