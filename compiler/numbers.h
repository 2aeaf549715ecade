/*
 * numbers.h -- the compiler's side of issue 10's declarations: `threshold`
 * and `arrival` lines (LANGUAGE.md 10). The line after the keyword is parsed
 * by runtime/thrspec.c, the same parser the load binary uses for
 * --threshold, so both accept exactly the same expressions.
 *
 * Contract: numbers_check reports every error through diag (with a caret
 * under the offending part of the line); numbers_gen_* only read the tree
 * and assume it checked clean. Nothing is allocated.
 */
#ifndef NUMBERS_H
#define NUMBERS_H

#include <stdio.h>
#include "ast.h"
#include "diag.h"

/* Check every D_THRESHOLD / D_ARRIVAL of the file (top level only; one
 * `arrival` at most). */
void numbers_check(ast_file *f, diag *d);

/* The text after the keyword of a D_THRESHOLD / D_ARRIVAL node; *skip is
 * the keyword's length (the text's offset in the node's name). */
const char *numbers_tail(const ast *d, size_t *skip);

/* gen_numbers.c: the tables the SCRIPT initializer points to (before it). */
void numbers_gen_tables(FILE *out, const ast_file *f);
/* The SCRIPT initializer's fields (".thresholds = ...," lines). */
void numbers_gen_fields(FILE *out, const ast_file *f);

#endif /* NUMBERS_H */
