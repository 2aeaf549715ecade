/*
 * mnode.c -- a master's node table and each node's state machine (see
 * mnode.h).
 */
#include <stdlib.h>
#include <string.h>

#include "co.h"
#include "export.h"
#include "mnode.h"

static const char *const STATE_NAME[] = { "ready", "spawning", "running", "stopping", "missing",
                                          "stopped", "refused" };

/* ---------------------------------------------------------------- the table */

int sw_mn_init(sw_mn_table *t, int nclasses, int max)
{
    memset(t, 0, sizeof *t);
    t->nclasses = nclasses;
    t->max = max;
    t->nslot = 16;                  /* a power of two > 2 * max: the index never fills */
    while (t->nslot <= 2 * max)
        t->nslot *= 2;
    t->slot = calloc((size_t)t->nslot, sizeof *t->slot);
    return t->slot ? 0 : -1;
}

void sw_mn_free(sw_mn_table *t)
{
    for (int i = 0; i < t->n; i++) {
        free(t->v[i].id);
        free(t->v[i].assign);
    }
    free(t->v);
    free(t->slot);
    memset(t, 0, sizeof *t);
}

static unsigned id_hash(const char *id)
{
    unsigned h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

sw_mn_node *sw_mn_find(const sw_mn_table *t, const char *id)
{
    if (!t->nslot)
        return NULL;
    unsigned mask = (unsigned)(t->nslot - 1);
    for (unsigned i = id_hash(id) & mask;; i = (i + 1) & mask) {
        int k = t->slot[i];
        if (!k)
            return NULL;
        if (strcmp(t->v[k - 1].id, id) == 0)
            return &t->v[k - 1];
    }
}

sw_mn_node *sw_mn_add(sw_mn_table *t, const char *id)
{
    if (t->n >= t->max)
        return NULL;
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 16;
        sw_mn_node *p = realloc(t->v, (size_t)cap * sizeof *p);
        if (!p)
            return NULL;
        t->v = p;
        t->cap = cap;
    }
    sw_mn_node *n = &t->v[t->n];
    memset(n, 0, sizeof *n);
    n->id = strdup(id);
    n->assign = calloc((size_t)t->nclasses + 1, sizeof *n->assign);
    if (!n->id || !n->assign) {
        free(n->id);
        free(n->assign);
        return NULL;
    }
    n->state = SW_MN_READY;
    n->kind = SW_MN_UNKNOWN;
    n->wait = SW_MN_NO_WAIT;
    n->index = t->n++;
    unsigned mask = (unsigned)(t->nslot - 1), i = id_hash(id) & mask;
    while (t->slot[i])
        i = (i + 1) & mask;
    t->slot[i] = n->index + 1;
    return n;
}

void sw_mn_zero(const sw_mn_table *t, sw_mn_node *n)
{
    for (int c = 0; c < t->nclasses; c++)
        n->assign[c] = 0;
    n->total = 0;
}

int sw_mn_takes_users(const sw_mn_node *n)
{
    return n->kind != SW_MN_UNKNOWN && n->state <= SW_MN_RUNNING;
}

int sw_mn_ready_count(const sw_mn_table *t)
{
    int k = 0;
    for (int i = 0; i < t->n; i++)
        k += sw_mn_takes_users(&t->v[i]);
    return k;
}

const char *sw_mn_state_name(sw_mn_state s)
{
    return (unsigned)s < sizeof STATE_NAME / sizeof STATE_NAME[0] ? STATE_NAME[s] : "unknown";
}

/* ---------------------------------------------------------------- the stop wait */

int sw_mn_final_after_stop(sw_mn_kind k)
{
    return k == SW_MN_LOCUST;
}

void sw_mn_stop_sent(sw_mn_node *n)
{
    n->state = SW_MN_STOPPING;
    n->wait = SW_MN_AWAIT_STOPPED;
}

void sw_mn_got_stopped(sw_mn_node *n)
{
    n->state = SW_MN_GONE;
    n->reported = 0;
    if (n->wait == SW_MN_AWAIT_STOPPED)
        n->wait = sw_mn_final_after_stop(n->kind) ? SW_MN_AWAIT_FINAL_STATS : SW_MN_NO_WAIT;
}

void sw_mn_got_ready(sw_mn_node *n)
{
    n->state = SW_MN_READY;
    if (n->wait == SW_MN_AWAIT_STOPPED)
        n->wait = SW_MN_NO_WAIT;
}

void sw_mn_got_stats(sw_mn_node *n)
{
    if (n->wait == SW_MN_AWAIT_FINAL_STATS)
        n->wait = SW_MN_NO_WAIT;
}

void sw_mn_wait_over(sw_mn_node *n)
{
    n->wait = SW_MN_NO_WAIT;
}

int sw_mn_awaited(const sw_mn_node *n)
{
    return n->wait != SW_MN_NO_WAIT && n->state != SW_MN_MISSING;
}

/* ---------------------------------------------------------------- views */

void sw_mn_json(const sw_mn_table *t, FILE *f, int result, int open)
{
    double now_ms = sw_clock_ms();
    int k = 0, lost = 0;
    fprintf(f, ",\"%s\":[", result ? "slaves" : "workers");
    for (int i = 0; i < t->n; i++) {
        const sw_mn_node *n = &t->v[i];
        if (!result && (n->state == SW_MN_GONE || n->state == SW_MN_REFUSED))
            continue;
        lost += n->lost > 0;
        fprintf(f, "%s{\"id\":", k++ ? "," : "");
        sw_export_json_str(f, n->id);
        fprintf(f, ",\"index\":%d,\"state\":\"%s\",\"kind\":\"%s\",\"user_count\":%d,"
                   "\"cpu_usage\":%.1f,\"memory_usage\":%lld,\"seconds_since_report\":%.1f,"
                   "\"times_missing\":%d",
                n->index, sw_mn_state_name(n->state),
                n->kind == SW_MN_SWARM ? "swarm" : n->kind == SW_MN_LOCUST ? "locust" : "unknown",
                n->state == SW_MN_MISSING ? 0 : n->reported, n->cpu, n->mem,
                (now_ms - n->seen_ms) / 1000.0, n->lost);
        if (n->kind == SW_MN_SWARM) /* its self-check (issue 10); a Locust worker has none */
            fprintf(f, ",\"lag_p99_ms\":%.3f,\"lag_max_ms\":%.3f,\"cpu_max_percent\":%.1f,"
                       "\"overloaded\":%s,\"max_lag_ms\":%.3f",
                    n->x.lag_p99_ms, n->x.lag_max_ms, n->x.cpu_max_percent,
                    n->x.overloaded ? "true" : "false", n->x.own_delay_ms);
        if (open)
            fprintf(f, ",\"arrival_rate\":%.6g", n->x.arrival_rate);
        fputc('}', f);
    }
    if (result)
        fprintf(f, "],\"lost_slaves\":%d", lost);
    else
        fprintf(f, "],\"worker_count\":%d", sw_mn_ready_count(t));
}

void sw_mn_metrics(const sw_mn_table *t, FILE *f)
{
    static const struct { const char *name, *help; } G[] = {
        { "swarm_slave_users", "Users a slave runs." },
        { "swarm_slave_cpu_usage_percent", "A slave's CPU use (its last heartbeat)." },
        { "swarm_slave_event_loop_lag_seconds", "A Swarm slave's probe lateness, p99 of its "
                                                "last 5 s." },
        { "swarm_slave_overloaded", "1 when a Swarm slave's own delay exceeded its limits." },
    };
    for (size_t g = 0; g < sizeof G / sizeof G[0]; g++) {
        fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", G[g].name, G[g].help, G[g].name);
        for (int i = 0; i < t->n; i++) {
            const sw_mn_node *n = &t->v[i];
            if (n->state == SW_MN_GONE || n->state == SW_MN_REFUSED
                || (g >= 2 && n->kind != SW_MN_SWARM))
                continue;
            char idx[16];
            snprintf(idx, sizeof idx, "%d", n->index);
            fprintf(f, "%s{", G[g].name);
            sw_export_prom_label(f, "slave", n->id);
            fputc(',', f);
            sw_export_prom_label(f, "index", idx);
            double v = g == 0 ? (n->state == SW_MN_MISSING ? 0 : n->reported)
                     : g == 1 ? n->cpu : g == 2 ? n->x.lag_p99_ms / 1000.0 : n->x.overloaded;
            fprintf(f, "} %.6g\n", v);
        }
    }
}
