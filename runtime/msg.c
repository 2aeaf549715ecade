/*
 * msg.c -- MessagePack envelope of the cluster protocol: structural scan,
 * decode with validation, typed readers, writer helpers (see msg.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

static int why_f(char *why, size_t n, const char *fmt, ...)
{
    if (why && n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static uint64_t be(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* Size of the header at p (1 + length/extra bytes), the payload bytes that
 * follow it, and the number of child objects; -1 for the reserved 0xc1. */
static int head(unsigned c, int *hdr, int *lenbytes, uint64_t *fixed, int *kids_mul, uint64_t *kids)
{
    *hdr = 1; *lenbytes = 0; *fixed = 0; *kids_mul = 0; *kids = 0;
    if (c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3)
        return 0;
    if (c >= 0x80 && c <= 0x8f) { *kids = c & 0x0f; *kids_mul = 2; return 0; }
    if (c >= 0x90 && c <= 0x9f) { *kids = c & 0x0f; *kids_mul = 1; return 0; }
    if (c >= 0xa0 && c <= 0xbf) { *fixed = c & 0x1f; return 0; }
    switch (c) {
    case 0xc4: case 0xd9: *lenbytes = 1; return 0;              /* bin8, str8 */
    case 0xc5: case 0xda: *lenbytes = 2; return 0;
    case 0xc6: case 0xdb: *lenbytes = 4; return 0;
    case 0xc7: *lenbytes = 1; *fixed = 1; return 0;               /* ext: +type byte */
    case 0xc8: *lenbytes = 2; *fixed = 1; return 0;
    case 0xc9: *lenbytes = 4; *fixed = 1; return 0;
    case 0xca: *fixed = 4; return 0;
    case 0xcb: *fixed = 8; return 0;
    case 0xcc: case 0xd0: *fixed = 1; return 0;
    case 0xcd: case 0xd1: *fixed = 2; return 0;
    case 0xce: case 0xd2: *fixed = 4; return 0;
    case 0xcf: case 0xd3: *fixed = 8; return 0;
    case 0xd4: *fixed = 2; return 0;
    case 0xd5: *fixed = 3; return 0;
    case 0xd6: *fixed = 5; return 0;
    case 0xd7: *fixed = 9; return 0;
    case 0xd8: *fixed = 17; return 0;
    case 0xdc: *lenbytes = 2; *kids_mul = 1; return 0;
    case 0xdd: *lenbytes = 4; *kids_mul = 1; return 0;
    case 0xde: *lenbytes = 2; *kids_mul = 2; return 0;
    case 0xdf: *lenbytes = 4; *kids_mul = 2; return 0;
    }
    return -1;                                                    /* 0xc1 */
}

/* Walks the bytes with an explicit stack of "objects still to read" per
 * open container; each object needs at least one byte, so a container
 * claiming more children than bytes left is rejected before msgpack-c
 * would allocate room for them. */
int sw_msg_scan(const void *buf, size_t len, char *why, size_t whylen)
{
    const unsigned char *p = buf;
    size_t off = 0;
    uint64_t todo[SW_MSG_MAX_DEPTH + 1];
    int depth = 0;
    todo[0] = 1;
    if (!buf || len == 0)
        return why_f(why, whylen, "empty frame");
    while (depth >= 0) {
        if (todo[depth] == 0) {
            depth--;
            continue;
        }
        todo[depth]--;
        if (off >= len)
            return why_f(why, whylen, "truncated at byte %zu", off);
        int hdr, lb, mul;
        uint64_t fixed, kids;
        if (head(p[off], &hdr, &lb, &fixed, &mul, &kids) < 0)
            return why_f(why, whylen, "reserved byte 0xc1 at byte %zu", off);
        if (len - off < (size_t)(hdr + lb))
            return why_f(why, whylen, "truncated at byte %zu", off);
        uint64_t n = lb ? be(p + off + 1, lb) : 0;
        off += (size_t)(hdr + lb);
        if (mul) {
            if (lb)
                kids = n;
            kids *= (uint64_t)mul;
            if (kids > len - off)
                return why_f(why, whylen, "a container claims %llu elements with %zu bytes left",
                             (unsigned long long)kids, len - off);
            if (kids) {
                if (depth == SW_MSG_MAX_DEPTH)
                    return why_f(why, whylen, "nested deeper than %d", SW_MSG_MAX_DEPTH);
                todo[++depth] = kids;
            }
        } else {
            uint64_t body = fixed + (lb ? n : 0);
            if (body > len - off)
                return why_f(why, whylen, "a value claims %llu bytes with %zu left",
                             (unsigned long long)body, len - off);
            off += (size_t)body;
        }
    }
    if (off != len)
        return why_f(why, whylen, "%zu bytes after the message", len - off);
    return 0;
}

static int copy_str(const msgpack_object *o, char *dst, size_t cap)
{
    const char *s;
    size_t n;
    if (sw_msg_str(o, &s, &n) < 0 || n == 0 || n >= cap || memchr(s, 0, n))
        return -1;
    memcpy(dst, s, n);
    dst[n] = '\0';
    return 0;
}

int sw_msg_decode(sw_msg *m, const void *buf, size_t len, char *why, size_t whylen)
{
    memset(m, 0, sizeof *m);
    if (len > SW_MSG_MAX_BYTES)
        return why_f(why, whylen, "frame of %zu bytes is over the %u-byte limit", len,
                     SW_MSG_MAX_BYTES);
    if (sw_msg_scan(buf, len, why, whylen) < 0)
        return -1;
    msgpack_unpacked_init(&m->up);
    size_t off = 0;
    if (msgpack_unpack_next(&m->up, buf, len, &off) != MSGPACK_UNPACK_SUCCESS) {
        msgpack_unpacked_destroy(&m->up);
        return why_f(why, whylen, "not MessagePack");
    }
    const msgpack_object *o = &m->up.data;
    const char *bad = NULL;
    if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != 3)
        bad = "not an array of 3 elements [type, data, node_id]";
    else if (copy_str(&o->via.array.ptr[0], m->type, sizeof m->type) < 0)
        bad = "the type is not a short str";
    else if (copy_str(&o->via.array.ptr[2], m->node_id, sizeof m->node_id) < 0)
        bad = "the node id is not a short str";
    if (bad) {
        msgpack_unpacked_destroy(&m->up);
        return why_f(why, whylen, "%s", bad);
    }
    m->data = &o->via.array.ptr[1];
    return 0;
}

void sw_msg_free(sw_msg *m)
{
    msgpack_unpacked_destroy(&m->up);
    memset(m, 0, sizeof *m);
}

const msgpack_object *sw_msg_get(const msgpack_object *o, const char *key)
{
    if (!o || o->type != MSGPACK_OBJECT_MAP)
        return NULL;
    size_t kl = strlen(key);
    for (uint32_t i = 0; i < o->via.map.size; i++) {
        const msgpack_object *k = &o->via.map.ptr[i].key;
        if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == kl
            && memcmp(k->via.str.ptr, key, kl) == 0)
            return &o->via.map.ptr[i].val;
    }
    return NULL;
}

int sw_msg_is_nil(const msgpack_object *o)
{
    return o && o->type == MSGPACK_OBJECT_NIL;
}

int sw_msg_str(const msgpack_object *o, const char **s, size_t *n)
{
    if (!o || o->type != MSGPACK_OBJECT_STR)
        return -1;
    *s = o->via.str.ptr;
    *n = o->via.str.size;
    return 0;
}

char *sw_msg_strdup(const msgpack_object *o)
{
    const char *s;
    size_t n;
    if (sw_msg_str(o, &s, &n) < 0 || memchr(s, 0, n))
        return NULL;
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = '\0';
    }
    return r;
}

int sw_msg_num(const msgpack_object *o, double *v)
{
    if (!o)
        return -1;
    switch (o->type) {
    case MSGPACK_OBJECT_POSITIVE_INTEGER: *v = (double)o->via.u64; return 0;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER: *v = (double)o->via.i64; return 0;
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        if (!isfinite(o->via.f64))
            return -1;
        *v = o->via.f64;
        return 0;
    default: return -1;
    }
}

int sw_msg_u64(const msgpack_object *o, uint64_t *v)
{
    if (!o)
        return -1;
    if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
        *v = o->via.u64;
        return 0;
    }
    if ((o->type == MSGPACK_OBJECT_FLOAT64 || o->type == MSGPACK_OBJECT_FLOAT32)
        && o->via.f64 >= 0 && o->via.f64 < 1.8e19 && floor(o->via.f64) == o->via.f64) {
        *v = (uint64_t)o->via.f64;
        return 0;
    }
    return -1;
}

void sw_msg_pack_str(msgpack_packer *pk, const char *s)
{
    size_t n = strlen(s);
    msgpack_pack_str(pk, n);
    msgpack_pack_str_body(pk, s, n);
}

void sw_msg_w_begin(sw_msg_w *w, const char *type)
{
    msgpack_sbuffer_init(&w->sb);
    msgpack_packer_init(&w->pk, &w->sb, msgpack_sbuffer_write);
    msgpack_pack_array(&w->pk, 3);
    sw_msg_pack_str(&w->pk, type);
}

void sw_msg_w_end(sw_msg_w *w, const char *node_id)
{
    sw_msg_pack_str(&w->pk, node_id);
}

void sw_msg_w_free(sw_msg_w *w)
{
    msgpack_sbuffer_destroy(&w->sb);
}

void sw_msg_kv_str(msgpack_packer *pk, const char *k, const char *v)
{
    sw_msg_pack_str(pk, k);
    if (v)
        sw_msg_pack_str(pk, v);
    else
        msgpack_pack_nil(pk);
}

void sw_msg_kv_int(msgpack_packer *pk, const char *k, int64_t v)
{
    sw_msg_pack_str(pk, k);
    msgpack_pack_int64(pk, v);
}

void sw_msg_kv_dbl(msgpack_packer *pk, const char *k, double v)
{
    sw_msg_pack_str(pk, k);
    msgpack_pack_double(pk, v);
}
