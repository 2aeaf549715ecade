/*
 * plan.h -- what a run runs (issue 9, plan.c): task selection by tags
 * (--tags / --exclude-tags) and the load shape (`shape { stage ... }`).
 *
 * Ownership: plan.c keeps the parsed tag lists (from the options) and the
 * shape's timer; sw_plan_free releases them.
 */
#ifndef SW_PLAN_H
#define SW_PLAN_H

#include "sw.h"

/* Parse --tags / --exclude-tags (comma lists, NULL when not given) and make
 * sure some task can run: 0, or -1 with a one-line message in err. */
int sw_plan_init(const char *tags, const char *exclude, const sw_script *s,
                 char *err, size_t cap);
void sw_plan_free(void);
/* Whether task t may run under --tags / --exclude-tags. */
int sw_plan_task_enabled(const sw_task *t);

/* The script has a shape: starting the run follows its stages instead of
 * --users/--hatch-rate (sw_runner_start per stage), and the run stops after
 * the last one. */
int sw_plan_has_shape(void);
void sw_plan_shape_start(void);
void sw_plan_shape_stop(void);
/* issue 10: some stage says `arrival A`: the open model is on (at the
 * script's or --rate's rate, else 0) and those stages ramp its rate
 * linearly to A over their duration, one step every SW_PLAN_RAMP_MS, each
 * through sw_arr_steer (the one seam a cluster's master routes). */
#define SW_PLAN_RAMP_MS 100.0
int sw_plan_shape_arrival(const sw_script *s);
/* The stage running (1-based; 0 before the first / after the last) and
 * the number of stages, for the web UI and --json. */
int sw_plan_shape_stage(void);
int sw_plan_shape_stages(void);

#endif /* SW_PLAN_H */
