/*
 * xbuf.c -- transfer buffers (see xbuf.h).
 */
#include <stdlib.h>
#include <string.h>

#include "xbuf.h"

int sw_xb_add(sw_xb *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 512;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

int sw_xb_str(sw_xb *b, const char *s)
{
    return sw_xb_add(b, s, strlen(s));
}

void sw_xb_reset(sw_xb *b, size_t keep)
{
    if (b->cap > keep) {
        free(b->p);
        b->p = NULL;
        b->cap = 0;
    }
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}
