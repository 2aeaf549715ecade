/*
 * test_runner.c -- the weighted split between user classes, the hatch
 * schedule, and whole runs of hand-written bodies on the real event loop
 * (no HTTP): hook order, interleaving, spacing, sequential tasks, stop
 * with and without --stop-timeout, spawned blocks, runtime errors, re-scale.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "builtins.h"
#include "check.h"
#include "cli.h"
#include "co.h"
#include "err.h"
#include "runner.h"
#include "stats.h"

/* ------------------------------------------------------------ arithmetic */

static void test_split(void)
{
    int w2[] = { 1, 3 }, out[8];
    sw_runner_split(w2, 2, 8, out);
    CHECK(out[0] == 2 && out[1] == 6, "8 users at 1:3 -> 2 and 6 (got %d, %d)", out[0], out[1]);
    sw_runner_split(w2, 2, 1, out);
    CHECK(out[0] == 0 && out[1] == 1, "1 user at 1:3 goes to the heavier class");
    int w3[] = { 1, 1, 1 };
    sw_runner_split(w3, 3, 10, out);
    CHECK(out[0] == 4 && out[1] == 3 && out[2] == 3, "10 at 1:1:1 -> 4,3,3 (ties to the first)");
    sw_runner_split(w3, 3, 2, out);
    CHECK(out[0] == 1 && out[1] == 1 && out[2] == 0, "2 at 1:1:1 -> 1,1,0");
    int wz[] = { 0, 5, 0 };
    sw_runner_split(wz, 3, 7, out);
    CHECK(out[0] == 0 && out[1] == 7 && out[2] == 0, "weight 0 classes get nobody");
    int wl[] = { 2, 3, 5 };
    sw_runner_split(wl, 3, 7, out);  /* quotas 1.4, 2.1, 3.5 -> 1,2,3 + largest rem (3.5) */
    CHECK(out[0] == 1 && out[1] == 2 && out[2] == 4, "7 at 2:3:5 -> 1,2,4 (largest remainder)");
    sw_runner_split(wl, 3, 0, out);
    CHECK(out[0] == 0 && out[1] == 0 && out[2] == 0, "0 users -> none");
    /* always sums to the total, never more than one off the exact quota */
    int ok = 1;
    int wr[] = { 7, 1, 13, 2 };
    for (int n = 0; n < 300; n++) {
        sw_runner_split(wr, 4, n, out);
        int s = 0;
        for (int i = 0; i < 4; i++) {
            s += out[i];
            double q = n * wr[i] / 23.0;
            if (fabs(out[i] - q) >= 1.0)
                ok = 0;
        }
        if (s != n)
            ok = 0;
    }
    CHECK(ok, "split sums to the total and stays within 1 of the quota for 0..299 users");
}

static void test_interleave(void)
{
    int target[] = { 2, 6 }, live[] = { 0, 0 };
    char seq[16];
    for (int k = 0; k < 8; k++) {
        int c = sw_runner_pick_add(target, live, 2);
        seq[k] = c < 0 ? '?' : (char)('A' + c);
        if (c >= 0)
            live[c]++;
    }
    seq[8] = '\0';
    CHECK(live[0] == 2 && live[1] == 6, "hatching 8 at 2:6 ends exactly at 2 and 6 (%s)", seq);
    CHECK(strchr(seq, 'A') && strchr(seq, 'A') - seq < 4, "class A starts within the first 4 users (%s)", seq);
    CHECK(strcmp(seq, "BABBBABB") == 0, "interleaved order BABBBABB (got %s)", seq);
    CHECK(sw_runner_pick_add(target, live, 2) == -1, "nothing to add at the target");
    /* proportional at every prefix: within 1 of the share */
    int t3[] = { 10, 20, 30 }, l3[] = { 0, 0, 0 }, ok = 1;
    for (int k = 1; k <= 60; k++) {
        int c = sw_runner_pick_add(t3, l3, 3);
        if (c < 0) { ok = 0; break; }
        l3[c]++;
        for (int i = 0; i < 3; i++)
            if (fabs(l3[i] - t3[i] * k / 60.0) > 1.0)
                ok = 0;
    }
    CHECK(ok && l3[0] == 10 && l3[1] == 20 && l3[2] == 30, "60 at 1:2:3 stays proportional at every step");
    /* lowering: 16 (4, 12) to 8 (2, 6) */
    int tl[] = { 2, 6 }, ll[] = { 4, 12 };
    for (int k = 0; k < 8; k++) {
        int c = sw_runner_pick_remove(tl, ll, 2);
        if (c >= 0)
            ll[c]--;
    }
    CHECK(ll[0] == 2 && ll[1] == 6, "lowering 16 -> 8 at 1:3 ends at 2 and 6");
    CHECK(sw_runner_pick_remove(tl, ll, 2) == -1, "nothing to remove at the target");
}

static void test_schedule(void)
{
    CHECK(sw_runner_hatch_at_ms(0, 10) == 0, "the first user starts at once");
    CHECK(fabs(sw_runner_hatch_at_ms(5, 10) - 500) < 1e-9, "user 5 at 10/s starts at 500 ms");
    CHECK(fabs(sw_runner_hatch_at_ms(3, 0.5) - 6000) < 1e-9, "user 3 at 0.5/s starts at 6 s");
    CHECK(sw_runner_hatch_due(0, 10) == 1, "1 user due at 0 ms");
    CHECK(sw_runner_hatch_due(99, 10) == 1, "still 1 at 99 ms");
    CHECK(sw_runner_hatch_due(100, 10) == 2, "2 due at 100 ms");
    CHECK(sw_runner_hatch_due(950, 10) == 10, "10 due at 950 ms");
    CHECK(sw_runner_hatch_due(1000, 3) == 4, "4 due at 1 s at 3/s");
    CHECK(sw_runner_hatch_due(-1, 3) == 0, "none due before the start");
}

/* ------------------------------------------------------------ live runs */

enum { E_TSTART, E_TSTOP, E_ONSTART, E_ONSTOP, E_BEGIN, E_END, E_SPAWN_END };

typedef struct rec { int kind, uid, tag; double t; } rec;
static rec recs[4096];
static int nrecs;
static double t_base;            /* sw_clock_ms at the start of a run */
static double task_ms = 10;      /* how long the test tasks sleep */
static double tstart_done;       /* sw_clock_ms when `on test start` ended */
static int raise_in_task;        /* task A raises an error instead */

static void note(sw_co *co, int kind, int tag)
{
    if (nrecs >= 4096)
        return;
    sw_val id = co ? sw_user_id(co) : SW_NULL;
    recs[nrecs++] = (rec){ kind, id.t == SW_T_INT ? (int)id.u.i : -1, tag, sw_clock_ms() };
}

typedef struct frame2 { sw_frame h; sw_val a; sw_val b; } frame2;

#define BODY(NAME, KIND, TAG, SLEEP)                                       \
    static sw_step NAME##_fn(sw_co *co)                                    \
    {                                                                      \
        frame2 *F = sw_frame_of(co);                                       \
        if (F->h.pc == 1) goto resume_1;                                   \
        note(co, KIND, TAG);                                               \
        sw_set(&F->a, sw_cstr("a value held across a wait"));              \
        F->h.pc = 1; sw_sleep(co, SLEEP); return SW_WAIT;                  \
    resume_1:                                                              \
        if (KIND == E_BEGIN) note(co, E_END, TAG);                         \
        if (KIND == E_TSTART) tstart_done = sw_clock_ms();                 \
        return SW_DONE;                                                    \
    }                                                                      \
    static const sw_body NAME = { #NAME, NAME##_fn, sizeof(frame2) };

BODY(b_tstart, E_TSTART, 0, 20)
BODY(b_tstop, E_TSTOP, 0, 5)
BODY(b_onstart, E_ONSTART, 0, 1)
BODY(b_onstop, E_ONSTOP, 0, 1)
BODY(b_t2, E_BEGIN, 2, 1)
BODY(b_t3, E_BEGIN, 3, 1)

static sw_step spawned_fn(sw_co *co)
{
    frame2 *F = sw_frame_of(co);
    if (F->h.pc == 1) goto resume_1;
    F->h.pc = 1; sw_sleep(co, 5000); return SW_WAIT;
resume_1:
    note(co, E_SPAWN_END, 0);
    return SW_DONE;
}
static const sw_body b_spawned = { "spawned", spawned_fn, sizeof(frame2) };

/* Task 1 (tag 1 for class A, via the class): sleeps task_ms, optionally
 * raises first, and spawns a long block holding a copy of a value. */
static sw_step t1_fn(sw_co *co)
{
    frame2 *F = sw_frame_of(co);
    static const sw_loc L7 = { 7, 3 };
    if (F->h.pc == 1) goto resume_1;
    note(co, E_BEGIN, 1);
    sw_set(&F->a, sw_cstr("captured"));
    {
        sw_co *c = sw_spawn(co, &b_spawned);
        frame2 *G = sw_frame_of(c);
        G->a = sw_ref(F->a);
        sw_spawn_start(c);
    }
    if (raise_in_task) {
        sw_at(co, &L7);
        sw_raise("boom %d", 42);
        if (sw_failed(co)) { sw_exception(co); return SW_DONE; }
    }
    F->h.pc = 1; sw_sleep(co, task_ms); return SW_WAIT;
resume_1:
    note(co, E_END, 1);
    return SW_DONE;
}
static const sw_body b_t1 = { "t1", t1_fn, sizeof(frame2) };

static void init_vars(sw_co *co, void *vars)
{
    (void)co;
    sw_val *v = vars;
    v[0] = sw_cstr("per-user var");
}

static sw_task tasks_a[] = { { &b_t1, 1, NULL, 0 } };
static sw_task tasks_b[] = { { &b_t2, 1, NULL, 0 } };
static sw_task tasks_seq[] = { { &b_t2, 2, NULL, 0 }, { &b_t3, 1, NULL, 0 } };

static sw_user_class classes[2];
static sw_script script;

static void stopped(void *arg) { (void)arg; event_base_loopexit(sw_rt.base, NULL); }
static void stop_cb(evutil_socket_t fd, short w, void *arg) { (void)fd; (void)w; (void)arg; sw_runner_stop(); }
static void rescale_cb(evutil_socket_t fd, short w, void *arg) { (void)fd; (void)w; sw_runner_start(*(int *)arg, 100); }

static void at_ms(double ms, event_callback_fn fn, void *arg)
{
    struct timeval tv = { (time_t)(ms / 1000), (suseconds_t)(fmod(ms, 1000) * 1000) };
    event_base_once(sw_rt.base, -1, EV_TIMEOUT, fn, arg, &tv);
}

static void run_setup(void)
{
    nrecs = 0;
    t_base = sw_clock_ms();
    memset(&sw_rt, 0, sizeof sw_rt);
    sw_cli_defaults(&sw_rt.opts);
    sw_rt.opts.loglevel = SW_LOG_ERROR + 1;   /* quiet */
    sw_rt.base = event_base_new();
    sw_rt.stats = sw_stats_new();
    sw_rt.script = &script;
    sw_rng_seed(7);
    sw_runner_init(stopped, NULL);
}

static void run_teardown(void)
{
    sw_runner_free();
    sw_stats_free(sw_rt.stats);
    event_base_free(sw_rt.base);
    memset(&sw_rt, 0, sizeof sw_rt);
}

static int count(int kind, int tag)
{
    int n = 0;
    for (int i = 0; i < nrecs; i++)
        if (recs[i].kind == kind && (tag < 0 || recs[i].tag == tag))
            n++;
    return n;
}

static int find(int kind, int uid)   /* first index, or -1 */
{
    for (int i = 0; i < nrecs; i++)
        if (recs[i].kind == kind && (uid < -1 || recs[i].uid == uid))
            return i;
    return -1;
}

static void test_full_run(void)
{
    classes[0] = (sw_user_class){ .name = "A", .weight = 1, .wait = { SW_WAIT_CONST, 5, 0 },
                                  .on_start = &b_onstart, .on_stop = &b_onstop,
                                  .tasks = tasks_a, .ntasks = 1,
                                  .vars_size = sizeof(sw_val), .init_vars = init_vars };
    classes[1] = (sw_user_class){ .name = "B", .weight = 3, .on_stop = &b_onstop,
                                  .wait = { SW_WAIT_CONST, 10, 0 },
                                  .tasks = tasks_b, .ntasks = 1 };
    script = (sw_script){ .file = "t.swarm", .classes = classes, .nclasses = 2,
                          .on_test_start = &b_tstart, .on_test_stop = &b_tstop };
    task_ms = 10;
    raise_in_task = 0;
    run_setup();
    CHECK(sw_runner_state() == SW_RUN_READY, "runner starts READY");
    tstart_done = 0;
    CHECK(sw_runner_start(8, 50) == 0, "start 8 users at 50/s");
    at_ms(400, stop_cb, NULL);
    event_base_dispatch(sw_rt.base);
    CHECK(sw_runner_state() == SW_RUN_STOPPED && sw_runner_user_count() == 0, "stopped with no user left");

    int ts = find(E_TSTART, -2), te = find(E_TSTOP, -2);
    int first_user = nrecs, last_stop = -1, ids = 0, bad_ids = 0;
    for (int i = 0; i < nrecs; i++) {
        if (recs[i].kind != E_TSTART && recs[i].kind != E_TSTOP && recs[i].kind != E_SPAWN_END && i < first_user)
            first_user = i;
        if (recs[i].kind == E_ONSTOP)
            last_stop = i;
    }
    CHECK(ts == 0 && first_user > ts, "on test start ran before the first user");
    CHECK(te > last_stop && te == nrecs - 1, "on test stop ran after the last on stop");
    for (int id = 0; id < 8; id++)
        if (find(E_BEGIN, id) >= 0) ids++;
    for (int i = 0; i < nrecs; i++)
        if (recs[i].kind == E_BEGIN && (recs[i].uid < 0 || recs[i].uid > 7)) bad_ids++;
    CHECK(ids == 8 && bad_ids == 0, "user ids 0..7, each ran a task");
    /* class of user id: A runs tag 1, B tag 2 */
    int na = 0, nb = 0, a_pos = -1;
    for (int id = 0; id < 8; id++) {
        int i = find(E_BEGIN, id);
        if (i < 0)
            continue;
        if (recs[i].tag == 1) { na++; if (a_pos < 0) a_pos = id; }
        else nb++;
    }
    CHECK(na == 2 && nb == 6, "2 users of A and 6 of B (got %d, %d)", na, nb);
    CHECK(a_pos >= 0 && a_pos < 4, "A users interleaved (first A is user %d)", a_pos);
    CHECK(count(E_ONSTART, -1) == 2, "on start ran for both A users");
    CHECK(count(E_ONSTOP, -1) == 8, "on stop ran for all 8 users (got %d)", count(E_ONSTOP, -1));
    /* spacing: user k's first record 20 ms * k after the hatch began (the
     * runner's schedule is absolute: k / rate from the moment `on test
     * start` ended): never early; late by at most 100 ms (a loaded machine
     * may not run the test process at once, which is no fault of the
     * runner's spacing; a rate off by 2x is still caught). Measured from
     * that moment, not from user 0's record, so that user 0 being late does
     * not make the others look early. */
    int spaced = 1;
    for (int id = 0; id < 8 && ids == 8; id++) {
        int i = find(recs[find(E_BEGIN, id)].tag == 1 ? E_ONSTART : E_BEGIN, id);
        double dt = recs[i].t - tstart_done;
        if (dt < id * 20 - 1 || dt > id * 20 + 100) {
            printf("# user %d started at %.1f ms\n", id, dt);
            spaced = 0;
        }
    }
    CHECK(tstart_done > 0 && spaced, "users start evenly spaced, one every 20 ms at 50/s");
    CHECK(count(E_SPAWN_END, -1) == 0, "spawned 5 s blocks were cancelled at stop");
    CHECK(count(E_BEGIN, 1) >= 4, "A users loop over tasks (%d runs)", count(E_BEGIN, 1));
    run_teardown();
}

static void test_sequential_and_errors(void)
{
    classes[0] = (sw_user_class){ .name = "S", .weight = 1, .sequential = 1,
                                  .tasks = tasks_seq, .ntasks = 2 };
    classes[1] = (sw_user_class){ .name = "E", .weight = 1, .tasks = tasks_a, .ntasks = 1,
                                  .wait = { SW_WAIT_CONST, 20, 0 } };
    script = (sw_script){ .file = "t.swarm", .classes = classes, .nclasses = 2 };
    raise_in_task = 1;
    task_ms = 10;
    run_setup();
    sw_runner_start(2, 100);
    at_ms(150, stop_cb, NULL);
    event_base_dispatch(sw_rt.base);
    char seq[64];
    int n = 0;
    for (int i = 0; i < nrecs && n < 9; i++)
        if (recs[i].kind == E_BEGIN && recs[i].tag != 1)
            seq[n++] = (char)('0' + recs[i].tag);
    seq[n] = '\0';
    CHECK(n >= 6 && strncmp(seq, "223223223", (size_t)n) == 0, "sequential: weight 2 task twice, then the next (%s)", seq);
    uint64_t ex = sw_stats_total_exceptions(sw_rt.stats);
    int runs = count(E_BEGIN, 1);
    CHECK(runs >= 3 && ex == (uint64_t)runs, "a runtime error ends the task and the user goes on (%d runs, %llu exceptions)",
          runs, (unsigned long long)ex);
    CHECK(count(E_END, 1) == 0, "an errored task does not continue");
    CHECK(strcmp(sw_last_error(), "boom 42") == 0, "sw_last_error keeps the message");
    sw_clear_last_error();
    CHECK(sw_last_error()[0] == '\0', "sw_clear_last_error clears it");
    {
        static const sw_loc LG = { 3, 14 };
        sw_at(NULL, &LG);
        sw_raise("outside %s", "any coroutine");
        sw_loc at = sw_last_error_loc();
        CHECK(strcmp(sw_last_error(), "outside any coroutine") == 0 && at.line == 3 && at.col == 14,
              "an error outside any coroutine keeps its message and the last sw_at(NULL)");
        sw_clear_last_error();
    }
    run_teardown();
    raise_in_task = 0;
}

static void test_stop_timeout(double timeout_ms, int expect_end)
{
    classes[0] = (sw_user_class){ .name = "A", .weight = 1, .on_stop = &b_onstop,
                                  .tasks = tasks_a, .ntasks = 1 };
    script = (sw_script){ .file = "t.swarm", .classes = classes, .nclasses = 1 };
    task_ms = 100;
    run_setup();
    sw_rt.opts.stop_timeout_ms = timeout_ms;
    sw_runner_start(1, 100);
    at_ms(30, stop_cb, NULL);
    event_base_dispatch(sw_rt.base);
    int ends = count(E_END, 1), stops = count(E_ONSTOP, -1);
    int e = find(E_END, 0), s = find(E_ONSTOP, 0);
    if (expect_end)
        CHECK(ends == 1 && stops == 1 && e < s && count(E_BEGIN, 1) == 1,
              "--stop-timeout %.0f ms: the task finishes, no new one starts, then on stop", timeout_ms);
    else
        CHECK(ends == 0 && stops == 1,
              "--stop-timeout %.0f ms: the task is cancelled, on stop still runs", timeout_ms);
    run_teardown();
}

static void test_rescale(void)
{
    static int two = 2;
    classes[0] = (sw_user_class){ .name = "A", .weight = 1, .on_stop = &b_onstop,
                                  .wait = { SW_WAIT_CONST, 10, 0 },
                                  .tasks = tasks_b, .ntasks = 1 };
    script = (sw_script){ .file = "t.swarm", .classes = classes, .nclasses = 1 };
    run_setup();
    sw_runner_start(4, 200);
    at_ms(100, rescale_cb, &two);
    at_ms(250, stop_cb, NULL);
    event_base_dispatch(sw_rt.base);
    int s3 = find(E_ONSTOP, 3), s2 = find(E_ONSTOP, 2), s1 = find(E_ONSTOP, 1);
    if (s1 < 0 || s2 < 0 || s3 < 0) {
        CHECK(0, "every user ran on stop");
        run_teardown();
        return;
    }
    CHECK(s3 >= 0 && s2 >= 0 && s1 > s2 && s2 > s3, "lowering 4 -> 2 stops users 3 then 2 (newest first)");
    CHECK(recs[s2].t - t_base < 200 && recs[s1].t - t_base > 240, "the re-scale stopped them before the end of the test");
    run_teardown();
}

int main(void)
{
    test_split();
    test_interleave();
    test_schedule();
    test_full_run();
    test_sequential_and_errors();
    test_stop_timeout(0, 0);
    test_stop_timeout(500, 1);
    test_rescale();
    libevent_global_shutdown();
    return CHECK_DONE();
}
