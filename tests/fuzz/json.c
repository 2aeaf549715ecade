/*
 * json.c -- fuzz harness for the JSON reader (runtime/json.c): the input is
 * a response body. It is parsed as `r.json` parses it, every node of the
 * document is visited through the same accessors scripts use (iteration,
 * index, field, len), and the document is encoded again.
 * Invariants: parsing never raises for text it accepts; encode(parse(t))
 * parses again and encodes to the same text (a fixed point); the
 * non-raising parser agrees with the raising one.
 */
#include "fuzz.h"

#include "json.h"
#include "rt.h"
#include "value.h"

/* Visit v (consumed) and everything below it; depth only bounds the walk. */
static void walk(sw_val v, int depth)
{
    if (depth > 600) {
        sw_unref(v);
        return;
    }
    if (v.t == SW_T_JSON || v.t == SW_T_LIST || v.t == SW_T_OBJ) {
        sw_val i = SW_NULL, x = SW_NULL;
        int64_t n = 0;
        while (sw_iter(sw_ref(v), &i, &x)) {
            if (x.t == SW_T_STR) {        /* an object's key, or a string item */
                sw_val item = sw_index(sw_ref(v), sw_ref(x));
                walk(item, depth + 1);
                sw_str k = { { -1, SW_T_STR }, SW_AS_STR(x)->len, SW_AS_STR(x)->s };
                sw_unref(sw_field(sw_ref(v), &k));
            }
            walk(sw_ref(x), depth + 1);
            n++;
        }
        sw_unref(i);
        sw_unref(x);
        sw_unref(sw_index(sw_ref(v), sw_int(n)));    /* one past the end: null */
        sw_unref(sw_index(sw_ref(v), sw_int(-1)));
    }
    sw_unref(v);
}

static void fz_one(char *text, size_t len)
{
    const char *why = NULL;

    sw_clear_last_error();
    sw_val doc = sw_json_parse(sw_strn(text, len));
    int raised = sw_last_error()[0] != '\0';
    sw_clear_last_error();
    sw_val doc2 = sw_json_parse_why(sw_strn(text, len), -1, &why);
    fz_assert(raised == (why != NULL));
    fz_assert(sw_last_error()[0] == '\0');
    sw_unref(doc2);

    if (!raised) {
        sw_val enc = sw_json_encode(sw_ref(doc));
        fz_assert(enc.t == SW_T_STR);
        sw_val again = sw_json_parse_why(sw_ref(enc), -1, &why);
        fz_assert(why == NULL);
        sw_val enc2 = sw_json_encode(again);
        fz_assert(SW_AS_STR(enc2)->len == SW_AS_STR(enc)->len
                  && memcmp(SW_AS_STR(enc2)->s, SW_AS_STR(enc)->s, SW_AS_STR(enc)->len) == 0);
        sw_unref(enc2);
        sw_unref(enc);
        walk(sw_ref(doc), 0);
    }
    sw_unref(doc);
    sw_clear_last_error();
}
