/*
 * parser.y -- the .swarm grammar (LANGUAGE.md). A pure, reentrant bison
 * parser driven by grammar/lexer.l. Actions only build AST nodes; every
 * node lives in the ast_file's arena, so nothing needs freeing on error.
 *
 * Locations are ast_loc (line/col of the first and last character plus
 * byte offsets) so later passes can quote the source of an expression.
 * Syntax errors are reported through diag and recovered from at the
 * statement / declaration level so that later errors are still found.
 */
%define api.pure full
%define parse.error custom
%define api.location.type {ast_loc}
%locations
%expect 0
%param {void *scanner}
%parse-param {ast_file *file} {diag *dg}

%code requires {
#include <stdint.h>
#include "ast.h"
#include "diag.h"

typedef struct ast_list { ast *head, *tail; } ast_list;   /* O(1) append */
typedef struct lex_text { const char *s; size_t n; } lex_text;
struct lex_state;          /* the scanner's private state (lexer.l) */

#define YYLLOC_DEFAULT(Cur, Rhs, N) do {                                \
        if (N) {                                                        \
            (Cur).line = YYRHSLOC(Rhs, 1).line;                         \
            (Cur).col = YYRHSLOC(Rhs, 1).col;                           \
            (Cur).off = YYRHSLOC(Rhs, 1).off;                           \
            (Cur).end_line = YYRHSLOC(Rhs, N).end_line;                 \
            (Cur).end_col = YYRHSLOC(Rhs, N).end_col;                   \
            (Cur).end_off = YYRHSLOC(Rhs, N).end_off;                   \
        } else {                                                        \
            (Cur).line = (Cur).end_line = YYRHSLOC(Rhs, 0).end_line;    \
            (Cur).col = (Cur).end_col = YYRHSLOC(Rhs, 0).end_col;       \
            (Cur).off = (Cur).end_off = YYRHSLOC(Rhs, 0).end_off;       \
        }                                                               \
    } while (0)
}

%union {
    ast *node;
    ast_list list;
    lex_text str;
    int64_t i;
    double f;
}

%code {
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lexer.h"

static void yyerror(YYLTYPE *loc, void *scanner, ast_file *file, diag *dg,
                    const char *msg);

#define N(kind, loc) ast_new(file, (kind), (loc))

static ast_list lst_add(ast_list l, ast *n)
{
    if (!n)
        return l;
    if (!l.head)
        l.head = n;
    else
        l.tail->next = n;
    l.tail = n;
    return l;
}

static ast_list lst_empty(void)
{
    ast_list l = { NULL, NULL };
    return l;
}

static ast *mk2(ast_file *file, ast_kind k, ast_loc loc, ast *a, ast *b)
{
    ast *n = ast_new(file, k, loc);
    n->a = a;
    n->b = b;
    return n;
}

static ast *mk_bin(ast_file *file, int op, ast_loc loc, ast *a, ast *b)
{
    ast *n = mk2(file, E_BINARY, loc, a, b);
    n->op = op;
    return n;
}

static ast *mk_named(ast_file *file, ast_kind k, ast_loc loc, lex_text t)
{
    ast *n = ast_new(file, k, loc);
    n->name = (char *)t.s;
    n->len = t.n;
    return n;
}

/* A location covering a through b. */
static ast_loc span(ast_loc a, ast_loc b)
{
    a.end_line = b.end_line;
    a.end_col = b.end_col;
    a.end_off = b.end_off;
    return a;
}

/* Finish a string: `parts` holds E_STRLIT and interpolated expressions;
 * `tail` is the literal text before the closing quote. Builds the
 * reporting template (each ${expr} as {expr-source}). */
static ast *mk_string(ast_file *file, ast_loc loc, ast_list parts,
                      lex_text tail, ast_loc tail_loc)
{
    if (tail.n)
        parts = lst_add(parts, mk_named(file, E_STRLIT, tail_loc, tail));
    size_t len = 0;
    for (ast *p = parts.head; p; p = p->next)
        len += p->kind == E_STRLIT ? p->len
               : (size_t)(p->loc.end_off - p->loc.off) + 2;
    char *tmp = malloc(len + 1), *w = tmp;
    if (!tmp) {
        fputs("swarmc: out of memory\n", stderr);
        exit(1);
    }
    for (ast *p = parts.head; p; p = p->next) {
        if (p->kind == E_STRLIT) {
            memcpy(w, p->name, p->len);
            w += p->len;
        } else {
            size_t n = (size_t)(p->loc.end_off - p->loc.off);
            *w++ = '{';
            memcpy(w, file->src + p->loc.off, n);
            w += n;
            *w++ = '}';
        }
    }
    ast *s = ast_new(file, E_STRING, loc);
    s->a = parts.head;
    s->name = ast_strdup(file, tmp, len);
    free(tmp);
    s->len = len;
    return s;
}
}

%token <i> T_METHOD "request method" T_FACT "run-time fact"
%token <i> T_INT "integer"
%token <f> T_FLOAT "number" T_DURATION "duration"
%token <str> T_IDENT "identifier" T_FIELD "field name"
%token <str> T_STR_END "end of string" T_INTERP_BEGIN "'${'"
%token T_STR_BEGIN "string" T_INTERP_END "'}' closing '${'"
%token T_FSUCCESS "field 'success'" T_FFAILURE "field 'failure'"
%token T_HOST "'host'" T_WAIT "'wait'" T_BETWEEN "'between'"
%token T_PACING "'pacing'" T_THROUGHPUT "'throughput'"
%token T_MIN_WAIT "'min_wait'" T_MAX_WAIT "'max_wait'"
%token T_GLOBAL "'global'" T_VAR "'var'" T_TASK "'task'" T_WEIGHT "'weight'"
%token T_ON "'on'" T_START "'start'" T_STOP "'stop'" T_TEST "'test'"
%token T_USER "'user'" T_SEQUENTIAL "'sequential'"
%token T_AS "'as'" T_NAME "'name'" T_HEADERS "'headers'" T_QUERY "'query'"
%token T_JSON "'json'" T_BODY "'body'" T_FORM "'form'"
%token T_TIMEOUT "'timeout'" T_REDIRECTS "'redirects'"
%token T_LET "'let'" T_IF "'if'" T_ELSE "'else'" T_WHILE "'while'"
%token T_REPEAT "'repeat'" T_FOR "'for'" T_IN "'in'"
%token T_BREAK "'break'" T_CONTINUE "'continue'" T_RETURN "'return'"
%token T_SLEEP "'sleep'" T_SPAWN "'spawn'" T_POLL "'poll'" T_EVERY "'every'"
%token T_LOG "'log'" T_SUCCESS "'success'" T_FAILURE "'failure'"
%token T_EXPECT "'expect'" T_NULL "'null'" T_TRUE "'true'" T_FALSE "'false'"
%token T_EQ "'=='" T_NE "'!='" T_LE "'<='" T_GE "'>='"
%token T_AND "'and'" T_OR "'or'" T_NOT "'not'"
%token <str> T_THRESHOLD "'threshold'" T_ARRIVAL "'arrival'"
%token T_HEADER "'header'" T_QUIT "'quit'" T_RECORD "'record'" T_FN "'fn'"
%token T_DATA "'data'" T_TAG "'tag'" T_SHAPE "'shape'" T_STAGE "'stage'" T_TLS "'tls'"

%precedence NO_FAILURE           /* `record ... time X` then a `failure` statement */
%precedence T_FAILURE
%precedence NO_VALUE             /* `return` then a statement starting with a name */
%precedence T_IDENT
%left T_OR
%left T_AND
%precedence T_NOT
%nonassoc T_EQ T_NE '<' T_LE '>' T_GE
%left '+' '-'
%left '*' '/' '%'
%precedence UMINUS

%type <list> decls stmts pairs pairlist exprlist items args opts parts params idlist
%type <node> decl weight wnum dur block stmt if_stmt request opt limit
%type <node> ptimeout resp expr postfix primary string pair stmt9 stage
%type <list> tags taglist stages clauses
%type <str> as field
%type <i> seq

%%

file: decls                         { file->decls = $1.head; }
    ;

decls: %empty                       { $$ = lst_empty(); }
     | decls decl                   { $$ = lst_add($1, $2); }
     | decls error                  { $$ = $1; }
     ;

decl: T_HOST expr                   { $$ = mk2(file, D_HOST, @2, $2, NULL); }
    | T_WAIT T_BETWEEN dur T_AND dur
        { $$ = mk2(file, D_WAIT, @1, $3, $5); $$->op = WAIT_BETWEEN; }
    | T_WAIT dur
        { $$ = mk2(file, D_WAIT, @1, $2, NULL); $$->op = WAIT_CONST; }
    | T_WAIT T_PACING dur
        { $$ = mk2(file, D_WAIT, @1, $3, NULL); $$->op = WAIT_PACING; }
    | T_WAIT T_THROUGHPUT dur
        { $$ = mk2(file, D_WAIT, @1, $3, NULL); $$->op = WAIT_THROUGHPUT; }
    | T_MIN_WAIT dur                { $$ = mk2(file, D_MIN_WAIT, @1, $2, NULL); }
    | T_MAX_WAIT dur                { $$ = mk2(file, D_MAX_WAIT, @1, $2, NULL); }
    | T_GLOBAL T_IDENT '=' expr
        { $$ = mk_named(file, D_GLOBAL, @2, $2); $$->a = $4; }
    | T_VAR T_IDENT '=' expr
        { $$ = mk_named(file, D_VAR, @2, $2); $$->a = $4; }
    | T_TASK T_IDENT weight tags block
        { $$ = mk_named(file, D_TASK, @2, $2); $$->a = $5; $$->b = $3; $$->c = $4.head;
          $$->i = $3 && $3->kind == E_INT ? $3->i : ($3 ? 0 : 1); }
    | T_ON T_START block
        { $$ = mk2(file, D_ON, span(@1, @2), $3, NULL); $$->op = ON_START; }
    | T_ON T_STOP block
        { $$ = mk2(file, D_ON, span(@1, @2), $3, NULL); $$->op = ON_STOP; }
    | T_ON T_TEST T_START block
        { $$ = mk2(file, D_ON, span(@1, @3), $4, NULL); $$->op = ON_TEST_START; }
    | T_ON T_TEST T_STOP block
        { $$ = mk2(file, D_ON, span(@1, @3), $4, NULL); $$->op = ON_TEST_STOP; }
    | T_USER T_IDENT weight seq '{' decls '}'
        { $$ = mk_named(file, D_USER, @2, $2); $$->a = $6.head; $$->b = $3;
          $$->i = $3 && $3->kind == E_INT ? $3->i : ($3 ? 0 : 1);
          $$->flags = (int)$4; }
    | T_THRESHOLD                   { $$ = mk_named(file, D_THRESHOLD, @1, $1); }
    | T_ARRIVAL                     { $$ = mk_named(file, D_ARRIVAL, @1, $1); }
    | T_DATA T_IDENT '=' T_IDENT string        /* issue 9: data NAME = csv "F" */
        { $$ = mk_named(file, D_DATA, @2, $2); $$->a = $5;
          $$->b = mk_named(file, E_NAME, @4, $4); $$->op = 0; }
    | T_DATA T_IDENT '=' T_JSON string         /* issue 9: data NAME = json "F" */
        { $$ = mk_named(file, D_DATA, @2, $2); $$->a = $5; $$->op = 1; }
    | T_TLS T_IDENT T_TRUE                     /* issue 9: tls verify true|false */
        { $$ = mk_named(file, D_TLS, @2, $2); $$->i = 1; }
    | T_TLS T_IDENT T_FALSE
        { $$ = mk_named(file, D_TLS, @2, $2); $$->i = 0; }
    | T_SHAPE '{' stages '}'                   /* issue 9: load shape */
        { $$ = mk2(file, D_SHAPE, @1, $3.head, NULL); }
    | T_FN T_IDENT '(' params ')' block       /* issue 9: functions */
        { $$ = mk_named(file, D_FN, @2, $2); $$->a = $6; $$->b = $4.head; }
    | ';'                           { $$ = NULL; }
    ;

/* issue 9: task tags and the load shape */
tags: %empty                        { $$ = lst_empty(); }
    | T_TAG taglist                 { $$ = $2; }
    ;

taglist: string                     { $$ = lst_add(lst_empty(), $1); }
       | taglist ',' string         { $$ = lst_add($1, $3); }
       ;

stages: %empty                      { $$ = lst_empty(); }
      | stages stage                { $$ = lst_add($1, $2); }
      | stages error                { $$ = $1; }
      ;

/* stage D users N [rate R] [arrival A [per second]]: the words and numbers
 * after N are a flat list (d) that check.c reads clause by clause */
stage: T_STAGE dur T_IDENT wnum clauses
         { $$ = mk2(file, D_STAGE, @1, $2, $4); $$->c = mk_named(file, E_NAME, @3, $3);
           $$->d = $5.head; }
     ;

clauses: %empty                     { $$ = lst_empty(); }
       | clauses T_IDENT            { $$ = lst_add($1, mk_named(file, E_NAME, @2, $2)); }
       | clauses wnum               { $$ = lst_add($1, $2); }
       ;

params: %empty                      { $$ = lst_empty(); }
      | idlist
      ;

idlist: T_IDENT                     { $$ = lst_add(lst_empty(), mk_named(file, D_PARAM, @1, $1)); }
      | idlist ',' T_IDENT          { $$ = lst_add($1, mk_named(file, D_PARAM, @3, $3)); }
      ;

weight: %empty                      { $$ = NULL; }
      | T_WEIGHT wnum               { $$ = $2; }
      ;

wnum: T_INT                         { $$ = N(E_INT, @1); $$->i = $1; }
    | '-' T_INT                     { $$ = N(E_INT, @$); $$->i = -$2; }
    | T_FLOAT                       { $$ = N(E_FLOAT, @1); $$->f = $1; }
    | '-' T_FLOAT                   { $$ = N(E_FLOAT, @$); $$->f = -$2; }
    | T_DURATION                    { $$ = N(E_DURATION, @1); $$->f = $1; }
    ;

seq: %empty                         { $$ = 0; }
   | T_SEQUENTIAL                   { $$ = AST_SEQUENTIAL; }
   ;

/* D, DURATION, LIMIT: a duration, a bare number (ms) or (expression). */
dur: T_DURATION                     { $$ = N(E_DURATION, @1); $$->f = $1; }
   | T_INT                          { $$ = N(E_INT, @1); $$->i = $1; $$->flags = AST_BARE; }
   | T_FLOAT                        { $$ = N(E_FLOAT, @1); $$->f = $1; $$->flags = AST_BARE; }
   | '(' expr ')'                   { $$ = $2; $$->loc = @$; }
   ;

block: '{' stmts '}'                { $$ = mk2(file, S_BLOCK, @$, $2.head, NULL); }
     ;

stmts: %empty                       { $$ = lst_empty(); }
     | stmts stmt                   { $$ = lst_add($1, $2); }
     | stmts error                  { $$ = $1; }
     ;

stmt: request
    | if_stmt
    | T_LET T_IDENT '=' expr        { $$ = mk_named(file, S_LET, @2, $2); $$->a = $4; }
    | T_IDENT '=' expr              { $$ = mk_named(file, S_ASSIGN, @1, $1); $$->a = $3; }
    | T_WHILE expr block            { $$ = mk2(file, S_WHILE, @1, $2, $3); }
    | T_REPEAT expr block           { $$ = mk2(file, S_REPEAT, @1, $2, $3); }
    | T_FOR T_IDENT T_IN expr block
        { $$ = mk_named(file, S_FOR, @2, $2); $$->a = $4; $$->b = $5; }
    | T_BREAK                       { $$ = N(S_BREAK, @1); }
    | T_CONTINUE                    { $$ = N(S_CONTINUE, @1); }
    | T_RETURN %prec NO_VALUE       { $$ = N(S_RETURN, @1); }
    | T_RETURN expr                 { $$ = mk2(file, S_RETURN, @1, $2, NULL); }
    | T_SLEEP dur                   { $$ = mk2(file, S_SLEEP, @1, $2, NULL); }
    | T_SPAWN block                 { $$ = mk2(file, S_SPAWN, @1, $2, NULL); }
    | T_POLL T_EVERY dur limit block ptimeout
        { $$ = mk2(file, S_POLL, @1, $3, $4); $$->c = $5; $$->d = $6; }
    | T_LOG exprlist                { $$ = mk2(file, S_LOG, @1, $2.head, NULL); }
    | T_SUCCESS                     { $$ = N(S_SUCCESS, @1); }
    | T_FAILURE expr                { $$ = mk2(file, S_FAILURE, @1, $2, NULL); }
    | T_EXPECT expr                 { $$ = mk2(file, S_EXPECT, @1, $2, NULL); }
    | T_EXPECT expr T_ELSE expr     { $$ = mk2(file, S_EXPECT, @1, $2, $4); }
    | T_IDENT '.' T_FSUCCESS
        { $$ = mk_named(file, S_SUCCESS, @$, $1); }
    | T_IDENT '.' T_FFAILURE expr
        { $$ = mk_named(file, S_FAILURE, span(@1, @3), $1); $$->a = $4; }
    | T_IDENT '(' args ')'
        { ast *c = mk_named(file, E_CALL, @$, $1); c->a = $3.head;
          $$ = mk2(file, S_EXPR, @$, c, NULL); }
    | stmt9
    | ';'                           { $$ = NULL; }
    ;

/* Issue 9 statements (LANGUAGE.md section 9), kept apart to ease merges. */
stmt9: T_HEADER string '=' expr     { $$ = mk2(file, S_HEADER, @1, $2, $4); }
     | T_STOP T_USER                { $$ = N(S_STOP_USER, span(@1, @2)); }
     | T_QUIT                       { $$ = N(S_QUIT, @1); }
     | T_QUIT T_INT
         { $$ = N(S_QUIT, @1); $$->a = N(E_INT, @2); $$->a->i = $2; }
     | T_QUIT '(' expr ')'          { $$ = mk2(file, S_QUIT, @1, $3, NULL); }
     | T_RECORD expr T_IDENT expr %prec NO_FAILURE
         { $$ = mk2(file, S_RECORD, @1, $2, $4); $$->name = (char *)$3.s;
           $$->len = $3.n; $$->d = N(E_NULL, @3); $$->d->loc = @3; }
     | T_RECORD expr T_IDENT expr T_FAILURE expr
         { $$ = mk2(file, S_RECORD, @1, $2, $4); $$->c = $6;
           $$->name = (char *)$3.s; $$->len = $3.n; $$->d = N(E_NULL, @3); }
     ;

if_stmt: T_IF expr block            { $$ = mk2(file, S_IF, @1, $2, $3); }
       | T_IF expr block T_ELSE block
           { $$ = mk2(file, S_IF, @1, $2, $3); $$->c = $5; }
       | T_IF expr block T_ELSE if_stmt
           { $$ = mk2(file, S_IF, @1, $2, $3); $$->c = $5; }
       ;

limit: %empty                       { $$ = NULL; }
     | T_FOR dur                    { $$ = $2; }
     ;

ptimeout: %empty                    { $$ = NULL; }
        | T_TIMEOUT block           { $$ = $2; }
        ;

request: T_METHOD string opts as resp
        { $$ = mk2(file, S_REQUEST, @1, $2, $3.head); $$->op = (int)$1;
          $$->name = (char *)$4.s; $$->len = $4.n; $$->c = $5; }
       ;

opts: %empty                        { $$ = lst_empty(); }
    | opts opt                      { $$ = lst_add($1, $2); }
    ;

opt: T_NAME string                  { $$ = mk2(file, O_NAME, @1, $2, NULL); }
   | T_HEADERS '{' pairs '}'        { $$ = mk2(file, O_HEADERS, @1, $3.head, NULL); }
   | T_QUERY '{' pairs '}'          { $$ = mk2(file, O_QUERY, @1, $3.head, NULL); }
   | T_FORM '{' pairs '}'           { $$ = mk2(file, O_FORM, @1, $3.head, NULL); }
   | T_JSON expr                    { $$ = mk2(file, O_JSON, @1, $2, NULL); }
   | T_BODY expr                    { $$ = mk2(file, O_BODY, @1, $2, NULL); }
   | T_TIMEOUT dur                  { $$ = mk2(file, O_TIMEOUT, @1, $2, NULL); }
   | T_REDIRECTS expr               { $$ = mk2(file, O_REDIRECTS, @1, $2, NULL); }
   ;

as: %empty                          { $$.s = NULL; $$.n = 0; }
  | T_AS T_IDENT                    { $$ = $2; }
  | T_AS T_FORM                     { $$.s = "form"; $$.n = 4; }  /* LANGUAGE.md 9 */
  ;

resp: %empty                        { $$ = NULL; }
    | block
    ;

pairs: %empty                       { $$ = lst_empty(); }
     | pairlist
     | pairlist ','
     ;

pairlist: pair                      { $$ = lst_add(lst_empty(), $1); }
        | pairlist ',' pair         { $$ = lst_add($1, $3); }
        ;

pair: string ':' expr               { $$ = mk2(file, E_PAIR, @$, $1, $3); }
    ;

expr: expr T_OR expr                { $$ = mk_bin(file, OP_OR, @$, $1, $3); }
    | expr T_AND expr               { $$ = mk_bin(file, OP_AND, @$, $1, $3); }
    | T_NOT expr                    { $$ = mk2(file, E_UNARY, @$, $2, NULL); $$->op = OP_NOT; }
    | expr T_EQ expr                { $$ = mk_bin(file, OP_EQ, @$, $1, $3); }
    | expr T_NE expr                { $$ = mk_bin(file, OP_NE, @$, $1, $3); }
    | expr '<' expr                 { $$ = mk_bin(file, '<', @$, $1, $3); }
    | expr T_LE expr                { $$ = mk_bin(file, OP_LE, @$, $1, $3); }
    | expr '>' expr                 { $$ = mk_bin(file, '>', @$, $1, $3); }
    | expr T_GE expr                { $$ = mk_bin(file, OP_GE, @$, $1, $3); }
    | expr '+' expr                 { $$ = mk_bin(file, '+', @$, $1, $3); }
    | expr '-' expr                 { $$ = mk_bin(file, '-', @$, $1, $3); }
    | expr '*' expr                 { $$ = mk_bin(file, '*', @$, $1, $3); }
    | expr '/' expr                 { $$ = mk_bin(file, '/', @$, $1, $3); }
    | expr '%' expr                 { $$ = mk_bin(file, '%', @$, $1, $3); }
    | '-' expr %prec UMINUS
        { if ($2->kind == E_INT || $2->kind == E_FLOAT) {
              $$ = $2; $$->i = -$$->i; $$->f = -$$->f; $$->loc = @$;
          } else {
              $$ = mk2(file, E_UNARY, @$, $2, NULL); $$->op = '-';
          } }
    | postfix
    ;

postfix: primary
       | postfix '.' field
           { $$ = mk_named(file, E_FIELD, @$, $3); $$->a = $1; }
       | postfix '.' field '(' args ')'
           { $$ = mk_named(file, E_METHOD, @$, $3); $$->a = $1; $$->b = $5.head; }
       | postfix '[' expr ']'       { $$ = mk2(file, E_INDEX, @$, $1, $3); }
       ;

field: T_FIELD
     | T_FSUCCESS                   { $$.s = "success"; $$.n = 7; }
     | T_FFAILURE                   { $$.s = "failure"; $$.n = 7; }
     ;

primary: T_INT                      { $$ = N(E_INT, @1); $$->i = $1; }
       | T_FLOAT                    { $$ = N(E_FLOAT, @1); $$->f = $1; }
       | T_DURATION                 { $$ = N(E_DURATION, @1); $$->f = $1; }
       | string
       | T_NULL                     { $$ = N(E_NULL, @1); }
       | T_TRUE                     { $$ = N(E_BOOL, @1); $$->i = 1; }
       | T_FALSE                    { $$ = N(E_BOOL, @1); $$->i = 0; }
       | T_IDENT                    { $$ = mk_named(file, E_NAME, @1, $1); }
       | T_FORM                     /* `as form` (LANGUAGE.md 9) read back */
           { lex_text t = { "form", 4 }; $$ = mk_named(file, E_NAME, @1, t); }
       | T_FACT                     { $$ = N(E_FACT, @1); $$->op = (int)$1; }
       | T_IDENT '(' args ')'
           { $$ = mk_named(file, E_CALL, @$, $1); $$->a = $3.head; }
       | '(' expr ')'               { $$ = $2; $$->loc = @$; }
       | '[' items ']'              { $$ = mk2(file, E_LIST, @$, $2.head, NULL); }
       | '{' pairs '}'              { $$ = mk2(file, E_OBJECT, @$, $2.head, NULL); }
       ;

args: %empty                        { $$ = lst_empty(); }
    | exprlist
    ;

items: %empty                       { $$ = lst_empty(); }
     | exprlist
     | exprlist ','
     ;

exprlist: expr                      { $$ = lst_add(lst_empty(), $1); }
        | exprlist ',' expr         { $$ = lst_add($1, $3); }
        ;

string: T_STR_BEGIN parts T_STR_END { $$ = mk_string(file, @$, $2, $3, @3); }
      ;

parts: %empty                       { $$ = lst_empty(); }
     | parts T_INTERP_BEGIN expr T_INTERP_END
         { $$ = $1;
           if ($2.n)
               $$ = lst_add($$, mk_named(file, E_STRLIT, @2, $2));
           $$ = lst_add($$, $3); }
     ;

%%

static void yyerror(YYLTYPE *loc, void *scanner, ast_file *file, diag *dg,
                    const char *msg)
{
    (void)scanner;
    (void)file;
    if (strstr(msg, "memory exhausted"))
        diag_error(dg, *loc, "program nested too deeply (parser stack exhausted)");
    else
        diag_error(dg, *loc, "%s", msg);
}

/* Append `s` to the message buffer; names of the form 'x' or plain words
 * are used as bison gives them. */
static void msg_cat(char *buf, size_t cap, const char *s)
{
    size_t n = strlen(buf);
    if (n + 1 < cap)
        snprintf(buf + n, cap - n, "%s", s);
}

/* Report "unexpected X, expecting A, B or C" with the offending text. */
static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner,
                                 ast_file *file, diag *dg)
{
    (void)scanner;
    char msg[512] = "syntax error: unexpected ";
    yysymbol_kind_t tok = yypcontext_token(ctx);
    const YYLTYPE *loc = yypcontext_location(ctx);
    msg_cat(msg, sizeof msg, yysymbol_name(tok));
    if (tok == YYSYMBOL_T_IDENT || tok == YYSYMBOL_T_FIELD
        || tok == YYSYMBOL_T_INT || tok == YYSYMBOL_T_FLOAT
        || tok == YYSYMBOL_T_DURATION) {
        char text[48];
        int n = loc->end_off - loc->off;
        if (n > 40)
            n = 40;
        snprintf(text, sizeof text, " '%.*s'", n, file->src + loc->off);
        msg_cat(msg, sizeof msg, text);
    }
    yysymbol_kind_t exp[YYNTOKENS];
    int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS), closing = 0;
    int stmt = 0, decl = 0, expr = 0, brace = 0;
    for (int i = 0; i < n; i++) {
        closing |= exp[i] == YYTRANSLATE('}');
        brace |= exp[i] == YYTRANSLATE('{');
        stmt |= exp[i] == YYSYMBOL_T_LET;
        decl |= exp[i] == YYSYMBOL_T_TASK;
        expr |= exp[i] == YYSYMBOL_T_NOT;
    }
    if (n > 5) {
        msg_cat(msg, sizeof msg, stmt ? (closing ? ", expecting a statement or '}'"
                                                 : ", expecting a statement")
                                 : decl ? (closing ? ", expecting a declaration or '}'"
                                                   : ", expecting a declaration")
                                 : expr ? ", expecting an expression"
                                 : brace ? ", expecting an operator or '{'" : "");
        n = 0;
    }
    for (int i = 0; i < n; i++) {
        msg_cat(msg, sizeof msg, i == 0 ? ", expecting " : i == n - 1 ? " or " : ", ");
        msg_cat(msg, sizeof msg, yysymbol_name(exp[i]));
    }
    const char *tn = yysymbol_name(tok);
    int want_ident = 0;
    for (int i = 0; i < n; i++)
        want_ident |= exp[i] == YYSYMBOL_T_IDENT;
    if (want_ident && tn[0] == '\'' && tn[1] >= 'a' && tn[1] <= 'z') {
        msg_cat(msg, sizeof msg, " (");
        msg_cat(msg, sizeof msg, tn);
        msg_cat(msg, sizeof msg, " is a reserved word)");
    }
    diag_error(dg, *loc, "%s", msg);
    return 0;
}
