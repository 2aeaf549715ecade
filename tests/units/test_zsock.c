/*
 * test_zsock.c -- a monitored DEALER (zsock.h) against real peers on
 * 127.0.0.1: "up" once a ROUTER answers the handshake, messages both ways,
 * "down" when the ROUTER is closed, "up" again when a new one binds the
 * same port, and "down" when the peer process is frozen (SIGSTOP: its
 * libzmq no longer answers the ZMTP heartbeats, and the TCP connection
 * itself stays open). Every wait is bounded.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <zmq.h>

#include "check.h"
#include "zsock.h"

static struct event_base *BASE;
static int UP = -1, CHANGES;            /* last reported state, how many reports */
static char GOT[64];                    /* last message received by the DEALER */
static char RGOT[64];                   /* last payload received by the ROUTER */

static void on_link(void *arg, int up)
{
    (void)arg;
    UP = up;
    CHANGES++;
}

static void on_dealer(void *arg, const void *id, size_t idlen, const void *data, size_t len)
{
    (void)arg; (void)id; (void)idlen;
    snprintf(GOT, sizeof GOT, "%.*s", (int)len, (const char *)data);
}

static void on_router(void *arg, const void *id, size_t idlen, const void *data, size_t len)
{
    (void)arg; (void)id; (void)idlen;
    snprintf(RGOT, sizeof RGOT, "%.*s", (int)len, (const char *)data);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Run the loop (10 ms slices) until *flag == want or secs passed; returns
 * the seconds it took, or -1. */
static double run_until(const int *flag, int want, double secs)
{
    double t0 = now_s();
    struct timeval tick = {0, 10000};
    while (now_s() - t0 < secs) {
        if (*flag == want)
            return now_s() - t0;
        event_base_loopexit(BASE, &tick);
        event_base_dispatch(BASE);
    }
    return *flag == want ? now_s() - t0 : -1;
}

static int run_until_str(const char *buf, const char *want, double secs)
{
    double t0 = now_s();
    struct timeval tick = {0, 10000};
    while (now_s() - t0 < secs) {
        if (strcmp(buf, want) == 0)
            return 1;
        event_base_loopexit(BASE, &tick);
        event_base_dispatch(BASE);
    }
    return strcmp(buf, want) == 0;
}

/* A ROUTER in a child process (its own context), bound to port; the child
 * writes one byte on ready_fd once bound, then sleeps until killed. */
static pid_t router_child(int port)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        void *ctx = zmq_ctx_new();
        void *r = zmq_socket(ctx, ZMQ_ROUTER);
        char ep[64];
        snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", port);
        if (!r || zmq_bind(r, ep) != 0)
            _exit(1);
        if (write(p[1], "r", 1) != 1)
            _exit(1);
        for (;;)
            pause();
    }
    close(p[1]);
    char c;
    int ok = pid > 0 && read(p[0], &c, 1) == 1;
    close(p[0]);
    if (!ok && pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return -1;
    }
    return pid;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    BASE = event_base_new();
    sw_zs *r = sw_zs_new(BASE, 1, NULL, on_router, NULL);
    CHECK(r && sw_zs_bind(r, "tcp://127.0.0.1:0") == 0, "a ROUTER binds an ephemeral port");
    int port = r ? sw_zs_bound_port(r) : 0;
    char ep[64];
    snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", port);

    sw_zs *d = sw_zs_new(BASE, 0, "dealer-1", on_dealer, NULL);
    CHECK(d && sw_zs_monitor(d, on_link, NULL) == 0, "a DEALER's connection can be monitored");
    CHECK(sw_zs_connect(d, ep) == 0, "it connects to %s", ep);
    CHECK(run_until(&UP, 1, 5) >= 0 && CHANGES == 1, "it reports up once (%d reports)", CHANGES);

    sw_zs_send(d, NULL, "hello", 5);
    CHECK(run_until_str(RGOT, "hello", 5), "the ROUTER gets the DEALER's message");
    sw_zs_send(r, "dealer-1", "back", 4);
    CHECK(run_until_str(GOT, "back", 5), "the DEALER gets the ROUTER's answer");

    sw_zs_free(r, 0);
    CHECK(run_until(&UP, 0, 5) >= 0 && CHANGES == 2, "the ROUTER closed: down (%d reports)",
          CHANGES);
    /* reconnection attempts fail meanwhile: still one "down" */
    run_until(&UP, 1, 0.5);
    CHECK(UP == 0 && CHANGES == 2, "no listener: it stays down without further reports (%d)",
          CHANGES);

    r = sw_zs_new(BASE, 1, NULL, on_router, NULL);
    CHECK(r && sw_zs_bind(r, ep) == 0, "a new ROUTER binds the same port");
    CHECK(run_until(&UP, 1, 5) >= 0 && CHANGES == 3, "the DEALER reconnects by itself: up");
    RGOT[0] = '\0';
    sw_zs_send(d, NULL, "again", 5);
    CHECK(run_until_str(RGOT, "again", 5), "messages flow over the new connection");
    sw_zs_free(r, 0);
    CHECK(run_until(&UP, 0, 5) >= 0, "down again once that ROUTER closes");
    sw_zs_free(d, 0);

    /* a peer that stops answering without closing the connection */
    pid_t kid = router_child(port);
    CHECK(kid > 0, "a ROUTER in a child process binds port %d", port);
    UP = -1;
    CHANGES = 0;
    d = sw_zs_new(BASE, 0, "dealer-2", on_dealer, NULL);
    CHECK(d && sw_zs_monitor(d, on_link, NULL) == 0 && sw_zs_connect(d, ep) == 0,
          "a second monitored DEALER connects to it");
    CHECK(run_until(&UP, 1, 5) >= 0, "up");
    run_until(&UP, 0, 2.5);
    CHECK(UP == 1, "a live peer answers the heartbeats: still up after 2.5 s");
    if (kid > 0)
        kill(kid, SIGSTOP);
    double took = run_until(&UP, 0, 15);
    CHECK(took >= 0, "the peer frozen (SIGSTOP): down after the heartbeat timeout (%.1f s)", took);
    if (kid > 0) {
        kill(kid, SIGKILL);
        kill(kid, SIGCONT);
        waitpid(kid, NULL, 0);
    }
    sw_zs_free(d, 0);
    sw_zs_term();
    event_base_free(BASE);
    return CHECK_DONE();
}
