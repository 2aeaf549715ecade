/*
 * front.c -- load a .swarm file and run the scanner/parser over it.
 */
#include "front.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Read the whole file; the buffer gets a terminating NUL after src_len. */
int front_load(ast_file *f, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    int err = 0;
    while (buf) {
        if (cap - len < 2) {
            char *nb = cap > ((size_t)1 << 30) ? NULL : realloc(buf, cap * 2);
            if (!nb) {
                err = buf ? EFBIG : ENOMEM;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, fp);
        len += n;
        if (n == 0) {
            if (ferror(fp))
                err = errno ? errno : EIO;
            break;
        }
    }
    fclose(fp);
    if (!buf || err) {
        free(buf);
        errno = err ? err : ENOMEM;
        return -1;
    }
    buf[len] = '\0';
    f->path = path;
    f->src = buf;
    f->src_len = len;
    return 0;
}

int front_parse(ast_file *f, diag *d)
{
    if ((size_t)(int)f->src_len != f->src_len) {
        diag_plain(d, "file too large");
        return 1;
    }
    return front_scan_parse(f, d);
}

void front_release(ast_file *f)
{
    ast_file_free(f);
    free((char *)f->src);
    f->src = NULL;
}
