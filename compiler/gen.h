/*
 * gen.h -- the code generator: one checked .swarm syntax tree in, one C
 * translation unit out (it includes only "sw.h" and follows the execution
 * model documented in runtime/sw.h).
 *
 * Ownership: gen_program only reads the tree; everything it allocates is
 * released before it returns.
 */
#ifndef GEN_H
#define GEN_H

#include <stdio.h>
#include "ast.h"

/* Write the C translation of f (which has passed the checker) to out.
 * The output depends only on f (same input, same bytes).
 * Returns 0, or -1 when out could not be written. */
int gen_program(const ast_file *f, FILE *out);

#endif /* GEN_H */
