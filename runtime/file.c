/*
 * file.c -- whole-file writes through a temporary file (see file.h).
 */
#include "file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Run body into f, close f, and say whether all of it went well (errno set
 * when not). */
static int finish(FILE *f, sw_file_body body, const void *arg)
{
    errno = 0;
    body(f, arg);
    int bad = ferror(f);
    int err = errno ? errno : EIO;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    if (bad)
        errno = err;
    return bad ? -1 : 0;
}

int sw_file_write(const char *prefix, const char *suffix, sw_file_body body,
                  const void *arg)
{
    if (!prefix || !*prefix) {
        errno = EINVAL;
        return -1;
    }
    if (!suffix)
        suffix = "";
    size_t len = strlen(prefix) + strlen(suffix) + sizeof ".XXXXXX";
    char *path = malloc(len), *tmp = malloc(len);
    int rc = -1, err = ENOMEM;
    if (!path || !tmp)
        goto out;
    snprintf(path, len, "%s%s", prefix, suffix);

    /* Anything but a regular file (a device such as /dev/stdout, a pipe, a
     * symbolic link) is written in place: renaming over it would replace the
     * link or the device node instead of writing to it. */
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        FILE *f = fopen(path, "w");
        if (!f) {
            err = errno;
            goto out;
        }
        rc = finish(f, body, arg);
        err = errno;
        goto out;
    }

    snprintf(tmp, len, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        err = errno;
        goto out;
    }
    (void)fchmod(fd, 0644);
    FILE *f = fdopen(fd, "w");
    if (!f) {
        err = errno;
        close(fd);
        remove(tmp);
        goto out;
    }
    if (finish(f, body, arg) != 0 || rename(tmp, path) != 0) {
        err = errno;
        remove(tmp);
        goto out;
    }
    rc = 0;
out:
    free(path);
    free(tmp);
    if (rc)
        errno = err;
    return rc;
}
