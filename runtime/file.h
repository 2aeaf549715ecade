/*
 * file.h -- writing a whole output file (CSV, JSON, HTML report) safely:
 * into "PATH.tmp", then renamed over PATH, so a reader never sees half a
 * file and a failed write leaves an earlier PATH as it was.
 */
#ifndef SW_FILE_H
#define SW_FILE_H

#include <stdio.h>

/* Writes the file's contents to f; errors are picked up from f afterwards. */
typedef void (*sw_file_body)(FILE *f, const void *arg);

/* Write the file named prefix followed by suffix (suffix may be NULL) with
 * body(f, arg). Returns 0, or -1 with errno set. */
int sw_file_write(const char *prefix, const char *suffix, sw_file_body body,
                  const void *arg);

#endif /* SW_FILE_H */
