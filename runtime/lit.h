/*
 * lit.h -- big literals [sw_lit_]: lists, objects and interpolations with
 * many elements, built from a static table (owned by i6-compiler's part of
 * issue 6). The API generated code calls is in sw.h (sw_lit_list,
 * sw_lit_set, sw_lit_obj, sw_lit_join); this header only names the module
 * for rt.h's map. Ownership: the sw.h rule (arguments consumed, results
 * owned); a table passed to sw_lit_list is borrowed.
 */
#ifndef SW_LIT_H
#define SW_LIT_H

#include "sw.h"

#endif /* SW_LIT_H */
