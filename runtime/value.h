/*
 * value.h -- runtime-private value internals shared by value.c, json.c,
 * builtins.c (and any runtime module that builds lists, objects or strings).
 *
 * Ownership: the sw.h rule holds here too (sw_val arguments are consumed,
 * returned sw_vals are owned) except where a comment says "borrowed".
 * Lists and objects are immutable once built; the *_new / sw_vobj_put
 * functions are for the builder only, before the value is shared.
 */
#ifndef SW_VALUE_H
#define SW_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include "sw.h"

/* SW_T_LIST: n items inline. */
typedef struct sw_vlist {
    sw_heap h;
    size_t n;            /* number of items */
    sw_val v[];          /* the items (owned) */
} sw_vlist;

/* SW_T_OBJ: keys in insertion order, with a hash index once it grows. */
typedef struct sw_vobj {
    sw_heap h;
    size_t n;            /* number of entries */
    size_t cap;          /* allocated entries */
    sw_val *k;           /* keys (owned string values) */
    sw_val *v;           /* values (owned) */
    uint32_t *idx;       /* open-addressing slots: entry index + 1, 0 empty; NULL when small */
    size_t icap;         /* slots in idx (a power of two), 0 when none */
} sw_vobj;

#define SW_AS_STR(val)  ((sw_str *)(void *)(val).u.h)
#define SW_AS_LIST(val) ((sw_vlist *)(void *)(val).u.h)
#define SW_AS_OBJ(val)  ((sw_vobj *)(void *)(val).u.h)

/* Allocation that aborts the process with a message when memory runs out. */
void *sw_xmalloc(size_t n);
void *sw_xrealloc(void *p, size_t n);

/* A new list of n null items; the builder fills SW_AS_LIST(v)->v[i]. */
sw_val sw_vlist_new(size_t n);
/* A new empty object with room for cap entries. */
sw_val sw_vobj_new(size_t cap);
/* Builder: add key (string value) -> val, both consumed; an existing key
 * keeps its position and takes the new value (last one wins). */
void sw_vobj_put(sw_val obj, sw_val key, sw_val val);
/* Lookup (obj borrowed): the entry's index, or -1. */
long sw_vobj_find(const sw_vobj *o, const char *key, size_t klen);

/* Deep equality of two borrowed values (== semantics, never raises). */
int sw_val_equal(sw_val a, sw_val b);
/* "null", "bool", "int", "float", "string", "list", "object", "json", "response" */
const char *sw_type_name(sw_val v);

/* Shortest round-trip text of a float into buf (>= 32 bytes); integral
 * values within int64 range print as integers ("3", not "3.0"); non-finite
 * ones as "inf", "-inf", "nan". Returns the length. */
size_t sw_fmt_float(double f, char *buf);

/* A growable byte buffer that turns into a string value without a copy. */
typedef struct sw_buf {
    char *p;             /* allocation: room for an sw_str header, then bytes */
    size_t n;            /* bytes written */
    size_t cap;          /* bytes available after the header */
} sw_buf;

void sw_buf_init(sw_buf *b);
void sw_buf_add(sw_buf *b, const void *s, size_t n);
void sw_buf_addc(sw_buf *b, char c);
/* The bytes written so far, NUL-terminated (the NUL is not counted in n;
 * valid until the next add, finish or free). Clearing for reuse: n = 0. */
char *sw_buf_bytes(sw_buf *b);
sw_val sw_buf_finish(sw_buf *b);    /* the string value; b is reset */
void sw_buf_free(sw_buf *b);        /* discard */

/* Append str(v) (v borrowed) to b. */
void sw_buf_add_str(sw_buf *b, sw_val v);

#endif /* SW_VALUE_H */
