/*
 * lit.c -- big literals: swarmc emits a list, object or interpolation of
 * more than a few dozen elements as a static table of its constant items
 * (holes for the others) plus, when some are not constant, a helper
 * function that fills the holes one statement at a time. A C compiler
 * handles that in linear time, unlike one variadic call with N arguments.
 */
#include "lit.h"
#include "value.h"

sw_val sw_lit_list(int n, const sw_val *tab)
{
    sw_val l = sw_vlist_new(n > 0 ? (size_t)n : 0);
    for (int i = 0; i < n; i++)
        SW_AS_LIST(l)->v[i] = sw_ref(tab[i]);
    return l;
}

void sw_lit_set(sw_val list, int i, sw_val v)
{
    if (list.t != SW_T_LIST || i < 0 || (size_t)i >= SW_AS_LIST(list)->n) {
        sw_unref(v);
        return;
    }
    sw_set(&SW_AS_LIST(list)->v[i], v);
}

sw_val sw_lit_obj(sw_val pairs)
{
    size_t n = pairs.t == SW_T_LIST ? SW_AS_LIST(pairs)->n / 2 : 0;
    sw_val o = sw_vobj_new(n);
    for (size_t i = 0; i < n; i++)
        sw_vobj_put(o, sw_ref(SW_AS_LIST(pairs)->v[2 * i]),
                    sw_ref(SW_AS_LIST(pairs)->v[2 * i + 1]));
    sw_unref(pairs);
    return o;
}

sw_val sw_lit_join(sw_val parts)
{
    sw_buf b;
    sw_buf_init(&b);
    if (parts.t == SW_T_LIST)
        for (size_t i = 0; i < SW_AS_LIST(parts)->n; i++)
            sw_buf_add_str(&b, SW_AS_LIST(parts)->v[i]);
    sw_unref(parts);
    return sw_buf_finish(&b);
}
