/*
 * check.h -- the semantic pass (LANGUAGE.md section 5 and the rules of
 * sections 3-4): names, scopes, contexts, declarations.
 *
 * check_file fills ast.sym and ast.id as ast.h documents and never changes
 * the shape of the tree. Every problem goes through diag (errors, and
 * warnings such as an unused `let`). The tree may come from a parse that
 * recovered from syntax errors: when d already holds errors, check_file
 * reports only what the kept nodes show by themselves (no warnings, no
 * errors that the missing parts could cause; see check.c).
 *
 * Extra convention (parser.y): D_TASK.b / D_USER.b hold the weight literal
 * node when a `weight` was written (for diagnostics), else NULL.
 */
#ifndef CHECK_H
#define CHECK_H

#include "ast.h"
#include "diag.h"

/* Check f; returns the number of errors found (0 = ok). */
int check_file(ast_file *f, diag *d);

#endif /* CHECK_H */
