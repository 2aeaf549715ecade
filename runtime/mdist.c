/*
 * mdist.c -- spreading users and the open model's rate over a master's
 * nodes (see mdist.h).
 */
#include <stdlib.h>

#include "mdist.h"
#include "runner.h"

int sw_md_gets_users(const sw_mn_node *n, int open)
{
    return sw_mn_takes_users(n) && !(open && n->kind == SW_MN_LOCUST);
}

int sw_md_rank(const sw_mn_table *t, const sw_mn_node *n, int open, int *count)
{
    int k = 0, rank = 0;
    for (int i = 0; i < t->n; i++)
        if (sw_md_gets_users(&t->v[i], open)) {
            if (&t->v[i] == n)
                rank = k;
            k++;
        }
    *count = k;
    return rank;
}

int sw_md_users(const sw_mn_table *t, int open)
{
    int k = 0;
    for (int i = 0; i < t->n; i++)
        if (sw_md_gets_users(&t->v[i], open))
            k += t->v[i].total;
    return k;
}

/* Per class: users assigned over the nodes that get users. */
static void class_totals(const sw_mn_table *t, int open, int *tot)
{
    for (int c = 0; c < t->nclasses; c++)
        tot[c] = 0;
    for (int i = 0; i < t->n; i++)
        if (sw_md_gets_users(&t->v[i], open))
            for (int c = 0; c < t->nclasses; c++)
                tot[c] += t->v[i].assign[c];
}

/* The node with the fewest users (dir < 0) or the most (dir > 0, among
 * those running a user of class c when c >= 0). Ties: lowest index. */
static sw_mn_node *extreme(sw_mn_table *t, int open, int dir, int c)
{
    sw_mn_node *best = NULL;
    for (int i = 0; i < t->n; i++) {
        sw_mn_node *n = &t->v[i];
        if (!sw_md_gets_users(n, open) || (c >= 0 && n->assign[c] <= 0))
            continue;
        if (!best || (dir < 0 ? n->total < best->total : n->total > best->total))
            best = n;
    }
    return best;
}

int sw_md_step(sw_mn_table *t, const int *class_target, int want, int open, char *changed)
{
    int *tot = calloc((size_t)t->nclasses + 1, sizeof *tot);
    int total = 0, did = 0;
    if (!tot)
        return 0;
    class_totals(t, open, tot);
    for (int c = 0; c < t->nclasses; c++)
        total += tot[c];
    sw_mn_node *lo = extreme(t, open, -1, -1), *hi = extreme(t, open, +1, -1);
    if (!lo)
        goto out;
    if (total < want) {
        int c = sw_runner_pick_add(class_target, tot, t->nclasses);
        if (c >= 0) {
            lo->assign[c]++;
            lo->total++;
            changed[lo - t->v] = 1;
            did = 1;
        }
    } else if (total > want) {
        int c = sw_runner_pick_remove(class_target, tot, t->nclasses);
        sw_mn_node *n = c >= 0 ? extreme(t, open, +1, c) : NULL;
        if (n) {
            n->assign[c]--;
            n->total--;
            changed[n - t->v] = 1;
            did = 1;
        }
    } else if (hi && hi->total - lo->total > 1) {
        /* move one user of the class the emptiest node lacks most */
        int best = -1, gap = 0;
        for (int c = 0; c < t->nclasses; c++)
            if (hi->assign[c] > 0 && (best < 0 || hi->assign[c] - lo->assign[c] > gap)) {
                best = c;
                gap = hi->assign[c] - lo->assign[c];
            }
        if (best >= 0) {
            hi->assign[best]--;
            hi->total--;
            lo->assign[best]++;
            lo->total++;
            changed[hi - t->v] = changed[lo - t->v] = 1;
            did = 1;
        }
    }
out:
    free(tot);
    return did;
}

double sw_md_share(const sw_mn_table *t, const sw_mn_node *n, int want, int open, double rate)
{
    if (!open || want <= 0 || !sw_md_gets_users(n, open))
        return 0;
    int k, rank = sw_md_rank(t, n, open, &k);
    int users = sw_md_users(t, open) == want ? n->total : want / k + (rank < want % k);
    return rate * users / want;
}
