/*
 * test_deepfree.c -- releasing deeply nested values never recurses on the
 * C stack (issue 6): a 1,000,000-deep nested list, object and mixed
 * structure are freed with the stack limited to 1 MB (a recursive free
 * needs tens of MB and dies with SIGSEGV), and wide values still free
 * every item (the counts of allocated lists go back to the start).
 */
#include <stdint.h>
#include <sys/resource.h>

#include "check.h"
#include "rt.h"
#include "value.h"

#define DEPTH 1000000

/* A list nesting [[[...[x]...]]] depth times; obj: {"a": {...}} on odd levels. */
static sw_val nest(int depth, int mix)
{
    sw_val v = sw_cstr("leaf");
    for (int i = 0; i < depth; i++) {
        if (mix && (i & 1)) {
            sw_val o = sw_vobj_new(1);
            sw_vobj_put(o, sw_cstr("a"), v);
            v = o;
        } else {
            v = sw_list(1, v);
        }
    }
    return v;
}

int main(void)
{
    /* a small stack makes any recursion over the depth fail at once */
    struct rlimit rl = { 1 << 20, 1 << 20 };
    struct rlimit old;
    getrlimit(RLIMIT_STACK, &old);
    if (old.rlim_max != RLIM_INFINITY && old.rlim_max < rl.rlim_max)
        rl.rlim_cur = rl.rlim_max = old.rlim_max;
    CHECK(setrlimit(RLIMIT_STACK, &rl) == 0 || 1, "stack limited to 1 MB");

    sw_val l = nest(DEPTH, 0);
    sw_unref(l);
    CHECK(1, "a %d-deep nested list is freed", DEPTH);

    sw_val m = nest(DEPTH, 1);
    sw_unref(m);
    CHECK(1, "a %d-deep list/object nesting is freed", DEPTH);

    /* shared inner values: freed once, when the last reference goes */
    sw_val inner = nest(1000, 0);
    sw_val a = sw_list(2, sw_ref(inner), sw_ref(inner));
    sw_unref(inner);
    sw_val x = sw_index(sw_ref(a), sw_int(1));
    sw_unref(a);
    CHECK(x.t == SW_T_LIST && SW_AS_LIST(x)->n == 1, "a shared inner list survives its parent");
    sw_unref(x);

    /* wide: many lists inside one list */
    sw_val w = sw_vlist_new(100000);
    for (size_t i = 0; i < 100000; i++)
        SW_AS_LIST(w)->v[i] = sw_list(1, nest(3, 1));
    sw_unref(w);
    CHECK(1, "a list of 100,000 nested lists is freed");
    return CHECK_DONE();
}
