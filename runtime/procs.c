/*
 * procs.c -- forking and reaping --processes slaves (see procs.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "procs.h"

static pid_t *KIDS;            /* children not yet reaped (0: reaped) */
static int NKIDS;
static int IS_CHILD;

int sw_procs_is_child(void)
{
    return IS_CHILD;
}

static int status_of(int ws)
{
    if (WIFEXITED(ws))
        return WEXITSTATUS(ws);
    return 1;
}

static void kill_all(void)
{
    for (int i = 0; i < NKIDS; i++)
        if (KIDS[i] > 0) {
            kill(KIDS[i], SIGKILL);
            waitpid(KIDS[i], NULL, 0);
            KIDS[i] = 0;
        }
}

int sw_procs_fork(sw_opts *o, char *err, size_t errlen)
{
    int n = o->processes;
    if (n < 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        n = cores > 0 ? (int)cores : 1;
    }
    KIDS = calloc((size_t)n, sizeof *KIDS);
    if (!KIDS) {
        snprintf(err, errlen, "swarm: out of memory forking %d slaves", n);
        return -1;
    }
    pid_t parent = getpid();
    fflush(NULL);
    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            snprintf(err, errlen, "swarm: cannot fork slave %d of %d (%s); lower --processes",
                     i + 1, n, strerror(errno));
            kill_all();
            return -1;
        }
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent)
                _exit(1);           /* the parent died before the line above */
            IS_CHILD = 1;
            free(KIDS);
            KIDS = NULL;
            NKIDS = 0;
            if (o->role != SW_SLAVE) {
                const char *b = o->master_bind_host;
                o->master_host = (!b || strcmp(b, "*") == 0 || strcmp(b, "0.0.0.0") == 0)
                                     ? "127.0.0.1" : strcmp(b, "::") == 0 ? "::1" : b;
                o->master_port = o->master_bind_port;
            }
            o->role = SW_SLAVE;
            o->processes = 0;
            o->csv_prefix = o->html_file = o->json_file = NULL;
            o->web = 0;
            return 1;
        }
        KIDS[NKIDS++] = pid;
    }
    if (o->role != SW_SLAVE) {
        o->role = SW_MASTER;
        if (o->expect_slaves < n)
            o->expect_slaves = n;
    }
    return 0;
}

static volatile sig_atomic_t GOT;

static void on_sig(int sig)
{
    GOT = sig;
}

int sw_procs_supervise(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sig;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    int worst = 0, left = NKIDS;
    while (left > 0) {
        int ws;
        pid_t pid = waitpid(-1, &ws, 0);
        if (pid < 0 && errno == EINTR) {
            for (int i = 0; i < NKIDS; i++)
                if (KIDS[i] > 0)
                    kill(KIDS[i], GOT ? GOT : SIGTERM);
            GOT = 0;
            continue;
        }
        if (pid < 0)
            break;
        for (int i = 0; i < NKIDS; i++)
            if (KIDS[i] == pid) {
                KIDS[i] = 0;
                left--;
                int st = status_of(ws);
                if (st > worst)
                    worst = st;
            }
    }
    free(KIDS);
    KIDS = NULL;
    NKIDS = 0;
    return worst;
}

void sw_procs_reap(double wait_ms)
{
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        int left = 0;
        for (int i = 0; i < NKIDS; i++) {
            if (KIDS[i] > 0 && waitpid(KIDS[i], NULL, WNOHANG) == KIDS[i])
                KIDS[i] = 0;
            left += KIDS[i] > 0;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        double ms = (double)(now.tv_sec - t0.tv_sec) * 1e3 + (double)(now.tv_nsec - t0.tv_nsec) / 1e6;
        if (!left || ms >= wait_ms)
            break;
        struct timespec nap = { 0, 20 * 1000000L };
        nanosleep(&nap, NULL);
    }
    kill_all();
    free(KIDS);
    KIDS = NULL;
    NKIDS = 0;
}
