/*
 * control.c -- control statements of LANGUAGE.md section 9 (issue 9):
 * `stop user`, `quit [STATUS]`, `record NAME time MS [failure MSG]`.
 *
 * stop user and quit act from the event loop (a one-shot event), never from
 * inside the body that asked: stopping cancels coroutines, and the asking
 * body is still running when it asks (its generated code returns right
 * after the call).
 */
#include <event2/event.h>

#include "rt.h"
#include "co.h"
#include "control.h"
#include "runner.h"
#include "stats.h"
#include "user.h"
#include "value.h"

void (*sw_ctl_quit_hook)(int status);
static int quit_status = -1;     /* -1: no quit */

int sw_ctl_quit_status(void)
{
    return quit_status;
}

static void stop_user_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    sw_runner_stop_user(arg);   /* nothing when that user is gone already */
}

void sw_stop_user(sw_co *co)
{
    struct sw_user *u = sw_co_user(co);
    if (!u || !sw_rt.base) {
        sw_raise("'stop user' outside a user");
        return;
    }
    if (event_base_once(sw_rt.base, -1, EV_TIMEOUT, stop_user_cb, u, NULL) != 0)
        sw_raise("cannot schedule 'stop user'");
}

static void quit_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
    sw_logf(SW_LOG_INFO, "The script asked to quit (exit status %d); stopping the test",
            quit_status);
    sw_runner_stop();
}

void sw_ctl_quit_local(int status)
{
    if (quit_status >= 0)
        return;
    quit_status = status;
    if (sw_rt.base)
        event_base_once(sw_rt.base, -1, EV_TIMEOUT, quit_cb, NULL, NULL);
}

void sw_quit(sw_co *co, sw_val status)
{
    (void)co;
    int64_t st = 0;
    if (status.t == SW_T_INT)
        st = status.u.i;
    else if (status.t == SW_T_FLOAT && status.u.f == (double)(int64_t)status.u.f)
        st = (int64_t)status.u.f;
    else
        st = -1;
    if (st < 0 || st > 255) {
        sw_raise("quit takes an exit status in 0..255, got %s", sw_type_name(status));
        sw_unref(status);
        return;
    }
    if (sw_ctl_quit_hook)
        sw_ctl_quit_hook((int)st);
    else
        sw_ctl_quit_local((int)st);
}

void sw_record(sw_co *co, sw_val name, sw_val ms, sw_val msg)
{
    (void)co;
    sw_val n = name.t == SW_T_STR ? name : sw_to_str(name);
    double t = sw_ms(ms);
    if (!sw_failed(sw_rt.cur) || !sw_rt.cur) {
        sw_val m = msg.t == SW_T_NULL ? SW_NULL : msg.t == SW_T_STR ? sw_ref(msg)
                                                 : sw_to_str(sw_ref(msg));
        uint64_t us = t > 0 ? (uint64_t)(t * 1000.0 + 0.5) : 0;
        if (sw_rt.stats)
            sw_stats_request(sw_rt.stats, "CUSTOM", SW_AS_STR(n)->s, us, 0,
                             m.t == SW_T_NULL ? NULL
                             : SW_AS_STR(m)->len ? SW_AS_STR(m)->s : "failure",
                             sw_wall());
        sw_unref(m);
    }
    sw_unref(n);
    sw_unref(msg);
}
