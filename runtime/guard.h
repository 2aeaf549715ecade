/*
 * guard.h -- keeping the results when the process runs short of
 * descriptors or memory (docs/runtime.md, "Limits and hostile input").
 *
 *  - sw_guard_fd_limit: before a run of N users, raise the soft
 *    RLIMIT_NOFILE towards what N users need (N + SW_GUARD_FD_ROOM, capped
 *    by the hard limit) and warn once when it stays below that.
 *  - sw_guard_reserve / sw_guard_release: one descriptor (and a block of
 *    address space) held from the start and given back just before the
 *    result files are written, so they can be written even when the users
 *    used up every descriptor or the heap.
 *  - sw_guard_on_abort: a best-effort last gasp: when the process aborts
 *    (out of memory: sw_xmalloc prints "swarm: out of memory" and calls
 *    abort()), the reserve is released and fn runs once to write what it
 *    can, bounded by a 10 s alarm; then the abort goes on (status 134).
 *
 * Ownership: module state inside guard.c; sw_guard_release frees it.
 */
#ifndef SW_GUARD_H
#define SW_GUARD_H

#define SW_GUARD_FD_ROOM 64   /* descriptors beyond one per user: loop, web UI, files */

/* Check (and raise when allowed) the descriptor limit for users users;
 * logs one warning when it stays too low. Returns 1 when it is enough. */
int sw_guard_fd_limit(int users);

/* Hold the reserve descriptor and memory; harmless to call twice. */
void sw_guard_reserve(void);
/* Give the reserve back (before writing the result files). */
void sw_guard_release(void);

/* Run fn once, best effort, if the process aborts (SIGABRT). fn NULL
 * uninstalls. */
void sw_guard_on_abort(void (*fn)(void));

#endif /* SW_GUARD_H */
