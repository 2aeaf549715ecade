/*
 * tlog.c -- the demo target's request log and stall switch (see tlog.h).
 */
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "tlog.h"
#include "tstats.h"

typedef struct tl_rec {
    double arrive_ms, send_ms;
    char *uri;                        /* owned */
} tl_rec;

static tl_rec *tl_v;
static size_t tl_n, tl_cap;
static double tl_until;

int tl_record(const char *uri, double arrive_ms, double send_ms)
{
    if (tl_n == tl_cap) {
        size_t nc = tl_cap ? 2 * tl_cap : 1024;
        tl_rec *v = realloc(tl_v, nc * sizeof *v);
        if (!v)
            return -1;
        tl_v = v;
        tl_cap = nc;
    }
    char *u = strdup(uri ? uri : "");
    if (!u)
        return -1;
    tl_v[tl_n].arrive_ms = arrive_ms;
    tl_v[tl_n].send_ms = send_ms;
    tl_v[tl_n].uri = u;
    tl_n++;
    return 0;
}

void tl_json(struct evbuffer *out, double now_ms)
{
    evbuffer_add_printf(out, "{\"now_ms\": %.3f, \"records\": [", now_ms);
    for (size_t i = 0; i < tl_n; i++) {
        evbuffer_add_printf(out, "%s[%.3f, %.3f, ", i ? ",\n" : "\n", tl_v[i].arrive_ms,
                            tl_v[i].send_ms);
        ts_json_str(out, tl_v[i].uri, strlen(tl_v[i].uri));
        evbuffer_add(out, "]", 1);
    }
    evbuffer_add_printf(out, "]}\n");
}

void tl_reset(void)
{
    for (size_t i = 0; i < tl_n; i++)
        free(tl_v[i].uri);
    tl_n = 0;
}

void tl_free(void)
{
    tl_reset();
    free(tl_v);
    tl_v = NULL;
    tl_cap = 0;
}

void tl_stall(double until_ms)
{
    tl_until = until_ms;
}

double tl_stall_left(double now_ms)
{
    return now_ms < tl_until ? tl_until - now_ms : 0;
}
