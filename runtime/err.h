/*
 * err.h -- runtime errors: sw_raise (sw.h) and the process's most recent
 * error (err.c).
 *
 * An operation that fails raises (sw_raise) and returns null; it never
 * unwinds. err.c formats the message, keeps it as the process's most recent
 * error (read by tests and by code outside any coroutine, such as global
 * initialisers) and hands it to the running coroutine (sw_rt.cur), where it
 * stays pending until the body's error path takes it (co.c: sw_failed,
 * sw_exception; request.c: sw_settle_error).
 *
 * Ownership: the texts returned are err.c's static buffer, valid until the
 * next sw_raise or sw_clear_last_error.
 */
#ifndef SW_ERR_H
#define SW_ERR_H

#include "sw.h"

#define SW_ERR_MAX 1024   /* bytes of a runtime error message, NUL included */

/* The location sw_raise records when no coroutine is running: the last
 * sw_at(NULL, loc) (co.c forwards it here). */
void sw_err_outside_at(const sw_loc *loc);

/* Where the last sw_raise happened: the running coroutine's last sw_at,
 * or, outside any coroutine, the last sw_at(NULL, loc). {0, 0} unknown. */
sw_loc sw_last_error_loc(void);

/* sw_last_error / sw_clear_last_error are declared in rt.h. */

#endif /* SW_ERR_H */
