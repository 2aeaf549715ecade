/*
 * xbuf.h -- the byte buffers of an HTTP transfer, shared by both engines
 * (http.c on libcurl, h1.c/h1msg.c native): always NUL-terminated once
 * allocated (headers and bodies are read as C strings too), and an append
 * that runs out of memory fails with -1, so that only that transfer fails
 * (value.h's sw_buf, which builds script strings, aborts instead).
 *
 * Ownership: a sw_xb owns p; free it with free(b.p) or keep reusing it
 * with sw_xb_reset. A zeroed sw_xb is empty and valid.
 */
#ifndef SW_XBUF_H
#define SW_XBUF_H

#include <stddef.h>

typedef struct sw_xb {
    char *p;                    /* bytes, NUL-terminated when p != NULL */
    size_t len, cap;            /* used / allocated (cap counts the NUL) */
} sw_xb;

/* Appends n bytes (0, or -1 out of memory: b unchanged). */
int sw_xb_add(sw_xb *b, const char *s, size_t n);
int sw_xb_str(sw_xb *b, const char *s);
/* Empties b, freeing its memory when it grew past keep bytes. */
void sw_xb_reset(sw_xb *b, size_t keep);

#endif /* SW_XBUF_H */
