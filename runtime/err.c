/*
 * err.c -- runtime errors: sw_raise and the process's most recent error
 * (contract in err.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "co.h"
#include "err.h"
#include "rt.h"

static char last_error[SW_ERR_MAX];
static sw_loc outside_at;       /* last sw_at(NULL, ...): global initialisers */
static sw_loc last_error_at;    /* where the last raise happened, if known */

void sw_err_outside_at(const sw_loc *loc)
{
    outside_at = *loc;
}

/* Formats the message, keeps it as the most recent error and makes it the
 * running coroutine's pending error (the first one wins there). */
void sw_raise(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    sw_co *co = sw_rt.cur;
    last_error_at = co ? sw_co_at(co) : outside_at;
    if (co)
        sw_co_raised(co, last_error);
}

const char *sw_last_error(void)
{
    return last_error;
}

void sw_clear_last_error(void)
{
    last_error[0] = '\0';
    last_error_at = (sw_loc){ 0, 0 };
}

sw_loc sw_last_error_loc(void)
{
    return last_error_at;
}
