/*
 * file.c -- whole-file writes through a temporary file (see file.h).
 */
#include "file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int sw_file_write(const char *prefix, const char *suffix, sw_file_body body,
                  const void *arg)
{
    if (!prefix || !*prefix) {
        errno = EINVAL;
        return -1;
    }
    if (!suffix)
        suffix = "";
    size_t len = strlen(prefix) + strlen(suffix) + sizeof ".tmp";
    char *path = malloc(len), *tmp = malloc(len);
    int rc = -1, err = ENOMEM;
    FILE *f = NULL;
    if (!path || !tmp)
        goto out;
    snprintf(path, len, "%s%s", prefix, suffix);
    snprintf(tmp, len, "%s%s.tmp", prefix, suffix);
    if (!(f = fopen(tmp, "w"))) {
        err = errno;
        goto out;
    }
    errno = 0;
    body(f, arg);
    int bad = ferror(f);
    err = errno ? errno : EIO;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    if (!bad && rename(tmp, path) != 0) {
        bad = 1;
        err = errno;
    }
    if (bad)
        remove(tmp);
    else
        rc = 0;
out:
    free(path);
    free(tmp);
    if (rc)
        errno = err;
    return rc;
}
