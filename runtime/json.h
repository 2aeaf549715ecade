/*
 * json.h -- JSON for response bodies (read lazily) and request bodies.
 *
 * Parsing tokenises once with jsmn; a JSON value is a view (SW_T_JSON) that
 * holds a reference to the parsed document and a token index. Reading a
 * field or index walks tokens; only leaves read as scalars or strings are
 * materialised (numbers become int or float, strings are unescaped).
 */
#ifndef SW_JSON_H
#define SW_JSON_H

#include "sw.h"

/* Parse a string value (consumed) as JSON. Returns a view of the root (or a
 * scalar value for a scalar document); raises "response body is not JSON"
 * (or similar) and returns null when the text is not JSON. */
sw_val sw_json_parse(sw_val text);

/* sw_json_parse without raising, for runtime code that reports errors its
 * own way: *why (why may be NULL) becomes NULL when text is JSON, else a
 * short static reason ("there is text after the JSON value", "the JSON is
 * nested too deeply", ...) and the result is null. Containers may nest
 * max_depth levels below the root (capped at the parser's own limit, 512;
 * a negative max_depth means that limit). Consumes text. */
sw_val sw_json_parse_why(sw_val text, int max_depth, const char **why);

/* Encode any value as JSON text (a string value). Consumes v. (jsonenc.c) */
sw_val sw_json_encode(sw_val v);

/* ---- runtime-private helpers for value.c (views borrowed, h of type SW_T_JSON) ---- */

struct sw_buf;

/* SW_T_LIST when the view is an array, SW_T_OBJ when an object. */
int sw_json_kind(const sw_heap *h);
/* Number of items (array) or keys (object). */
int64_t sw_json_len(const sw_heap *h);
/* Iteration: *pos starts null (a private cursor afterwards). Sets *out (the
 * old value released) to the next item (array) or key (object); returns 0
 * when there is none. */
int sw_json_iter(const sw_heap *h, sw_val *pos, sw_val *out);
/* Deep copy of a view into lists and objects. */
sw_val sw_json_materialise(const sw_heap *h);
/* contains(): membership (array, needle borrowed, by ==) or key (object). */
int sw_json_contains(const sw_heap *h, sw_val needle);
/* Append the compact JSON of v (borrowed) to b. (jsonenc.c) */
void sw_json_encode_into(struct sw_buf *b, sw_val v);
/* Append the text of view h without the whitespace between its tokens
 * (for jsonenc.c). */
void sw_json_view_compact(struct sw_buf *b, const sw_heap *h);

#endif /* SW_JSON_H */
