/*
 * hdrline.h -- matching HTTP header lines by name: the one place that does.
 *
 * Two forms of header lines go through the runtime:
 *   request lines, as both engines take them (curl's conventions, http.h):
 *     "Name: value" sends it, "Name:" removes a default, "Name;" sends it
 *     empty -- a line is for header `name` when it starts with the name in
 *     any case followed by ':' or ';';
 *   a response's header block, as both engines deliver it (sw_http_result):
 *     "Name: value\r\n" lines, one after the other.
 *
 * Pure functions over bytes; nothing is allocated. Ownership: every pointer
 * returned points into the caller's bytes.
 */
#ifndef SW_HDRLINE_H
#define SW_HDRLINE_H

#include <stddef.h>

/* 1 when request line `line` is for header name (len bytes). */
int sw_hl_is(const char *line, const char *name, size_t len);

/* 1 when one of lines[0, n) is for header name (NUL-terminated). */
int sw_hl_has(const char *const *lines, int n, const char *name);

/* Removes the lines for the headers names[0, k) from the NUL-separated
 * request lines in b[0, *n); updates *n and returns the lines left. */
int sw_hl_drop(char *b, size_t *n, const char *const *names, size_t k);

/* The value of the last header name (len bytes, any case) in the response
 * header block h[0, hlen), without surrounding blanks and line end; its
 * length in *vlen. NULL when there is none. */
const char *sw_hl_value(const char *h, size_t hlen, const char *name, size_t len,
                        size_t *vlen);

#endif /* SW_HDRLINE_H */
