/*
 * ast.c -- node allocation for the syntax tree.
 *
 * Every node and string of an ast_file lives in one arena: a chain of large
 * chunks freed together by ast_file_free. Allocation failure is fatal for the
 * compiler process (there is nothing useful to do without memory), so it
 * prints one line and exits 1 -- the only exit outside main.c.
 */
#include "ast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct chunk {
    struct chunk *prev;     /* previously filled chunk */
    size_t used, size;      /* bytes used / available in data */
    max_align_t data[];     /* the storage */
} chunk;

enum { CHUNK_MIN = 64 * 1024 };

/* Return `n` zeroed bytes from f's arena, suitably aligned. */
static void *arena_alloc(ast_file *f, size_t n)
{
    chunk *c = f->arena;
    size_t al = sizeof(max_align_t);
    n = (n + al - 1) / al * al;
    if (!c || c->size - c->used < n) {
        size_t size = n > CHUNK_MIN ? n : CHUNK_MIN;
        chunk *nc = malloc(sizeof *nc + size);
        if (!nc) {
            fputs("swarmc: out of memory\n", stderr);
            exit(1);
        }
        nc->prev = c;
        nc->used = 0;
        nc->size = size;
        f->arena = c = nc;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

ast *ast_new(ast_file *f, ast_kind kind, ast_loc loc)
{
    ast *n = arena_alloc(f, sizeof *n);
    n->kind = kind;
    n->loc = loc;
    return n;
}

/* Copy len bytes of s (which may contain NULs) plus a terminating NUL. */
char *ast_strdup(ast_file *f, const char *s, size_t len)
{
    char *p = arena_alloc(f, len + 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

ast *ast_append(ast *a, ast *b)
{
    if (!a)
        return b;
    ast *t = a;
    while (t->next)
        t = t->next;
    t->next = b;
    return a;
}

void ast_file_free(ast_file *f)
{
    chunk *c = f->arena;
    while (c) {
        chunk *p = c->prev;
        free(c);
        c = p;
    }
    f->arena = NULL;
    f->decls = NULL;
}
