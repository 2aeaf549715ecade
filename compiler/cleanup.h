/*
 * cleanup.h -- what swarmc leaves behind when it is killed mid-compile
 * [cln_]: nothing. SIGINT, SIGTERM and SIGHUP stop the C compiler it runs
 * (SIGTERM, then wait), remove the registered files (the half-written
 * binary next to -o) and swarmc's private temporary directory (the
 * generated C and, since cc runs with TMPDIR pointing there, cc's own
 * temporaries), then end the process by the same signal.
 *
 * Ownership: paths are copied into fixed static buffers (the handler must
 * not allocate); at most CLN_MAX_FILES files are registered at once.
 */
#ifndef CLEANUP_H
#define CLEANUP_H

#include <stddef.h>
#include <sys/types.h>

#define CLN_MAX_FILES 4

void cln_install(void);                   /* the signal handlers */
/* Make the private directory $TMPDIR/swarmc-XXXXXX (TMPDIR default /tmp)
 * and point TMPDIR at it for child processes; its path into buf. 0 ok. */
int cln_tmpdir(char *buf, size_t cap);
/* Remove the private directory and anything directly in it (normal end). */
void cln_tmpdir_remove(void);
void cln_add_file(const char *path);      /* remove it if killed */
void cln_forget_file(const char *path);   /* it is kept after all */
void cln_child(pid_t pid);                /* the running cc, 0 when none */

#endif /* CLEANUP_H */
