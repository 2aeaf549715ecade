/*
 * front.h -- reading and parsing a .swarm file into an ast_file.
 *
 * Ownership: front_load allocates f->src (freed by front_release together
 * with the arena); f->path is borrowed from the caller.
 */
#ifndef FRONT_H
#define FRONT_H

#include "ast.h"
#include "diag.h"

/* Read `path` into f->src (NUL-terminated). Returns 0, or -1 with errno set. */
int front_load(ast_file *f, const char *path);

/* Parse f->src into f->decls, reporting every syntax and lexical error
 * through d. Returns the number of errors found (0 = success). */
int front_parse(ast_file *f, diag *d);

/* Release f->src and every node. */
void front_release(ast_file *f);

/* Provided by grammar/lexer.l: scan and parse f->src with a fresh
 * reentrant scanner; every error goes through d. Returns d's new errors. */
int front_scan_parse(ast_file *f, diag *d);

#endif /* FRONT_H */
