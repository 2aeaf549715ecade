/*
 * hdrline.c -- matching HTTP header lines by name (see hdrline.h).
 */
#include <string.h>
#include <strings.h>

#include "hdrline.h"

int sw_hl_is(const char *line, const char *name, size_t len)
{
    return strncasecmp(line, name, len) == 0 && (line[len] == ':' || line[len] == ';');
}

int sw_hl_has(const char *const *lines, int n, const char *name)
{
    size_t len = strlen(name);
    for (int i = 0; i < n; i++)
        if (sw_hl_is(lines[i], name, len))
            return 1;
    return 0;
}

int sw_hl_drop(char *b, size_t *n, const char *const *names, size_t k)
{
    size_t r = 0, w = 0;
    int lines = 0;
    while (r < *n) {
        size_t len = strlen(b + r) + 1;
        int drop = 0;
        for (size_t i = 0; i < k && !drop; i++)
            drop = sw_hl_is(b + r, names[i], strlen(names[i]));
        if (!drop) {
            memmove(b + w, b + r, len);
            w += len;
            lines++;
        }
        r += len;
    }
    *n = w;
    return lines;
}

const char *sw_hl_value(const char *h, size_t hlen, const char *name, size_t len,
                        size_t *vlen)
{
    const char *found = NULL, *end = h ? h + hlen : NULL;
    while (h && h < end) {
        const char *eol = memchr(h, '\n', (size_t)(end - h));
        const char *next = eol ? eol + 1 : end;
        const char *ve = eol ? eol : end;
        if ((size_t)(ve - h) > len && h[len] == ':' && strncasecmp(h, name, len) == 0) {
            const char *v = h + len + 1;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            found = v;
            *vlen = (size_t)(ve - v);
        }
        h = next;
    }
    return found;
}
