/*
 * control.h -- `stop user`, `quit [STATUS]` and `record` (issue 9,
 * control.c); the functions generated code calls are in sw.h.
 *
 * Cluster seam (for the cluster work, issue 7): a slave must not end the run
 * by itself; it sets sw_ctl_quit_hook to a function that sends the status
 * to the master, which stops every slave and exits with that status (the
 * master then calls sw_ctl_quit_local). Standalone, the hook is NULL and
 * quit stops this process's run.
 */
#ifndef SW_CONTROL_H
#define SW_CONTROL_H

/* Set by a cluster slave: called (from the event loop) instead of stopping
 * the local run. */
extern void (*sw_ctl_quit_hook)(int status);

/* Stop the local run (as SIGTERM does) and make status the exit status;
 * the first quit wins. */
void sw_ctl_quit_local(int status);
/* The status a quit asked for, or -1 when none did. */
int sw_ctl_quit_status(void);

#endif /* SW_CONTROL_H */
