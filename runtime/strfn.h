/*
 * strfn.h -- string and regular-expression built-ins (strfn.c, issue 9);
 * the functions generated code calls are declared in sw.h. This header adds
 * the helpers other runtime modules use.
 *
 * Ownership: the regex cache belongs to strfn.c; sw_re_shutdown frees it.
 */
#ifndef SW_STRFN_H
#define SW_STRFN_H

#include <stddef.h>

/* Characters (UTF-8 code points) in s[0..n). */
size_t sw_str_chars(const char *s, size_t n);
/* Frees the compiled-pattern cache (at process end; optional). */
void sw_re_shutdown(void);

#endif /* SW_STRFN_H */
