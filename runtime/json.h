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

/* Encode any value as JSON text (a string value). Consumes v. */
sw_val sw_json_encode(sw_val v);

#endif /* SW_JSON_H */
