/*
 * cleanup.c -- swarmc killed mid-compile leaves no temporary files (see
 * cleanup.h). The handler uses only async-signal-safe calls (kill,
 * waitpid, unlink, rmdir, signal, raise) on state fixed before it runs.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"

#define CLN_PATH 4096

static char files[CLN_MAX_FILES][CLN_PATH];   /* "" when free */
static char dir[CLN_PATH];                    /* private dir, "" when none */
static volatile pid_t child;                  /* the running cc, or 0 */

static void on_signal(int sig)
{
    pid_t c = child;
    if (c > 0) {
        kill(c, SIGTERM);
        waitpid(c, NULL, 0);
    }
    for (int i = 0; i < CLN_MAX_FILES; i++)
        if (files[i][0])
            unlink(files[i]);
    if (dir[0]) {
        /* the generated C has a fixed name; cc removes its own temporaries
           when signalled, so the directory is then empty */
        char c_file[CLN_PATH + 16];
        size_t n = strlen(dir);
        memcpy(c_file, dir, n);
        memcpy(c_file + n, "/script.c", 10);
        unlink(c_file);
        rmdir(dir);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

void cln_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGHUP);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

/* Run with the three signals blocked, so the handler never sees a
 * half-updated path. */
static void block(int on, sigset_t *old)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGHUP);
    sigprocmask(on ? SIG_BLOCK : SIG_SETMASK, on ? &s : old, on ? old : NULL);
}

int cln_tmpdir(char *buf, size_t cap)
{
    const char *t = getenv("TMPDIR");
    char tmpl[CLN_PATH];
    sigset_t old;
    if (snprintf(tmpl, sizeof tmpl, "%s/swarmc-XXXXXX", t && *t ? t : "/tmp") >= (int)sizeof tmpl)
        return -1;
    block(1, &old);
    char *d = mkdtemp(tmpl);
    if (d)
        snprintf(dir, sizeof dir, "%s", d);
    block(0, &old);
    if (!d || snprintf(buf, cap, "%s", d) >= (int)cap)
        return -1;
    return setenv("TMPDIR", d, 1);
}

void cln_tmpdir_remove(void)
{
    sigset_t old;
    if (!dir[0])
        return;
    DIR *dp = opendir(dir);
    if (dp) {
        struct dirent *e;
        char p[CLN_PATH + 260];
        while ((e = readdir(dp)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(dp);
    }
    block(1, &old);
    rmdir(dir);
    dir[0] = '\0';
    block(0, &old);
}

void cln_add_file(const char *path)
{
    sigset_t old;
    block(1, &old);
    for (int i = 0; i < CLN_MAX_FILES; i++)
        if (!files[i][0]) {
            snprintf(files[i], CLN_PATH, "%s", path);
            break;
        }
    block(0, &old);
}

void cln_forget_file(const char *path)
{
    sigset_t old;
    block(1, &old);
    for (int i = 0; i < CLN_MAX_FILES; i++)
        if (!strcmp(files[i], path))
            files[i][0] = '\0';
    block(0, &old);
}

void cln_child(pid_t pid)
{
    child = pid;
}
