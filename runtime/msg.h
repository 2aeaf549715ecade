/*
 * msg.h -- the cluster's wire messages: MessagePack encoding and validated
 * decoding of Locust's master/worker envelope [type, data, node_id]
 * (shared/DISTRIBUTED.md).
 *
 * Decoding never trusts the bytes: a frame is first scanned structurally
 * (sw_msg_scan: every container's claimed size fits in what is left, depth
 * bounded, no reserved byte, nothing after the object), then unpacked with
 * msgpack-c, then the envelope is checked (an array of 3, type and node id
 * MessagePack str of bounded length). The readers below return -1 on any
 * type mismatch, so the master/slave code can drop one bad message and go
 * on. Nothing here logs; callers say what was wrong using `why`.
 *
 * Ownership: an sw_msg owns its unpacked tree (msgpack zone) until
 * sw_msg_free; every msgpack_object pointer handed out borrows from it.
 * An sw_msg_w owns its buffer until sw_msg_w_free.
 */
#ifndef SW_MSG_H
#define SW_MSG_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#define SW_MSG_MAX_BYTES (8u << 20)   /* a larger frame is dropped unread */
#define SW_MSG_MAX_DEPTH 16           /* nesting of arrays/maps */
#define SW_MSG_TYPE_MAX 64            /* longest message type (bytes, with NUL) */
#define SW_MSG_ID_MAX 256             /* longest node id (bytes, with NUL) */
#define SW_MSG_PROTO 1                /* Swarm's own extensions' version */

typedef struct sw_msg {
    msgpack_unpacked up;              /* owns the tree */
    char type[SW_MSG_TYPE_MAX];       /* e.g. "heartbeat" */
    char node_id[SW_MSG_ID_MAX];      /* the sender (slave) or recipient */
    const msgpack_object *data;       /* the second element (may be nil) */
} sw_msg;

/* Structural check of one MessagePack object filling buf exactly. Returns
 * 0, or -1 with one phrase in why ("truncated", "array claims 4294967295
 * elements in 3 bytes", ...). */
int sw_msg_scan(const void *buf, size_t len, char *why, size_t whylen);

/* Decode one frame. Returns 0 (free m with sw_msg_free), or -1 with the
 * reason in why (m needs no freeing then). */
int sw_msg_decode(sw_msg *m, const void *buf, size_t len, char *why, size_t whylen);
void sw_msg_free(sw_msg *m);

/* ---- readers: 0 on success, -1 when o is NULL or of another type ---- */

/* The value under a str key of map o (NULL when o is not a map or lacks it). */
const msgpack_object *sw_msg_get(const msgpack_object *o, const char *key);
int sw_msg_is_nil(const msgpack_object *o);
/* A str (never bin): pointer into the tree and length (not NUL-terminated). */
int sw_msg_str(const msgpack_object *o, const char **s, size_t *n);
/* A malloc'd NUL-terminated copy of a str without NUL bytes, or NULL. */
char *sw_msg_strdup(const msgpack_object *o);
/* Any number (int, uint, float) as a finite double. */
int sw_msg_num(const msgpack_object *o, double *v);
/* A non-negative integer (an integral float is accepted: Locust 2.12
 * sends some keys as 120.0). */
int sw_msg_u64(const msgpack_object *o, uint64_t *v);

/* ---- writer ---- */

typedef struct sw_msg_w {
    msgpack_sbuffer sb;               /* the encoded bytes */
    msgpack_packer pk;                /* packs into sb */
} sw_msg_w;

/* Start a message: the array header and the type. The caller then packs
 * exactly one data object with pk, and ends with sw_msg_w_end. */
void sw_msg_w_begin(sw_msg_w *w, const char *type);
void sw_msg_w_end(sw_msg_w *w, const char *node_id);
void sw_msg_w_free(sw_msg_w *w);

/* Pack helpers: a str, and key/value pairs of a map being packed. */
void sw_msg_pack_str(msgpack_packer *pk, const char *s);
void sw_msg_kv_str(msgpack_packer *pk, const char *k, const char *v);  /* v NULL: nil */
void sw_msg_kv_int(msgpack_packer *pk, const char *k, int64_t v);
void sw_msg_kv_dbl(msgpack_packer *pk, const char *k, double v);

#endif /* SW_MSG_H */
