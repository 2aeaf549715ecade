/*
 * guard.c -- descriptor limit, reserve descriptor and memory, last gasp on
 * abort (see guard.h).
 */
#include "guard.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "rt.h"

#define RESERVE_BYTES (4u << 20)      /* address space given back on abort */

static int reserve_fd = -1;           /* /dev/null, held until the files are written */
static void *reserve_mem;             /* untouched malloc block */
static void (*abort_fn)(void);        /* the last gasp, or NULL */
static int warned;                    /* the limit warning was given */

int sw_guard_fd_limit(int users)
{
    struct rlimit rl;
    if (users < 0 || getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 1;
    rlim_t need = (rlim_t)users + SW_GUARD_FD_ROOM;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
        struct rlimit up = rl;
        up.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
        if (up.rlim_cur > rl.rlim_cur && setrlimit(RLIMIT_NOFILE, &up) == 0)
            rl = up;
    }
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
        return 1;
    if (!warned)
        sw_logf(SW_LOG_WARNING, "%d users need about %llu open files but the limit is %llu "
                "(hard limit %llu): requests beyond it fail with EMFILE; raise it with "
                "`ulimit -n %llu` or run fewer users", users, (unsigned long long)need,
                (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max,
                (unsigned long long)need);
    warned = 1;
    return 0;
}

void sw_guard_reserve(void)
{
    if (reserve_fd < 0)
        reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (!reserve_mem)
        reserve_mem = malloc(RESERVE_BYTES);
}

void sw_guard_release(void)
{
    if (reserve_fd >= 0)
        close(reserve_fd);
    reserve_fd = -1;
    free(reserve_mem);
    reserve_mem = NULL;
}

static void on_abort(int sig)
{
    void (*fn)(void) = abort_fn;
    abort_fn = NULL;
    signal(sig, SIG_DFL);             /* a second abort ends the process */
    if (fn) {
        signal(SIGALRM, SIG_DFL);
        alarm(10);                    /* a wedged heap must not hang the exit */
        sw_guard_release();
        fn();
    }
    raise(sig);
}

void sw_guard_on_abort(void (*fn)(void))
{
    abort_fn = fn;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn ? on_abort : SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGABRT, &sa, NULL);
}
