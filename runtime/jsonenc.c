/*
 * jsonenc.c -- encoding values as JSON text (declared in json.h): strings
 * escaped (control characters as \u00XX, other bytes as they are), floats
 * that are not finite as null, lists and objects recursively, a JSON view
 * as its own text without the whitespace between tokens (json.c), a
 * response as null, and null, booleans and ints as their str().
 */
#include <math.h>

#include "json.h"
#include "rt.h"
#include "value.h"

/* Append s[0..n) as a JSON string. */
static void encode_str(sw_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, run = 0;
    sw_buf_addc(b, '"');
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[6];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        sw_buf_add(b, s + run, i - run);
        run = i + 1;
        esc[0] = '\\';
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            sw_buf_add(b, esc, 6);
            continue;
        }
        sw_buf_add(b, esc, 2);
    }
    sw_buf_add(b, s + run, n - run);
    sw_buf_addc(b, '"');
}

void sw_json_encode_into(sw_buf *b, sw_val v)
{
    size_t i;
    switch (v.t) {
    case SW_T_FLOAT:
        if (!isfinite(v.u.f)) {
            sw_buf_add(b, "null", 4);
            break;
        }
        sw_buf_add_str(b, v);
        break;
    case SW_T_STR:
        encode_str(b, SW_AS_STR(v)->s, SW_AS_STR(v)->len);
        break;
    case SW_T_LIST: {
        const sw_vlist *l = SW_AS_LIST(v);
        sw_buf_addc(b, '[');
        for (i = 0; i < l->n; i++) {
            if (i)
                sw_buf_addc(b, ',');
            sw_json_encode_into(b, l->v[i]);
        }
        sw_buf_addc(b, ']');
        break;
    }
    case SW_T_OBJ: {
        const sw_vobj *o = SW_AS_OBJ(v);
        sw_buf_addc(b, '{');
        for (i = 0; i < o->n; i++) {
            if (i)
                sw_buf_addc(b, ',');
            sw_json_encode_into(b, o->k[i]);
            sw_buf_addc(b, ':');
            sw_json_encode_into(b, o->v[i]);
        }
        sw_buf_addc(b, '}');
        break;
    }
    case SW_T_JSON:
        sw_json_view_compact(b, v.u.h);
        break;
    case SW_T_RESP:
        sw_buf_add(b, "null", 4);
        break;
    default: /* null, bool, int: their str() is their JSON */
        sw_buf_add_str(b, v);
        break;
    }
}

sw_val sw_json_encode(sw_val v)
{
    sw_buf b;
    sw_buf_init(&b);
    sw_json_encode_into(&b, v);
    sw_unref(v);
    return sw_buf_finish(&b);
}
