/*
 * json.c -- lazy JSON views over jsmn tokens, and JSON encoding.
 *
 * A parsed body is one refcounted document: the text (a string value), the
 * jsmn tokens, and next[i], the index of the first token after token i's
 * subtree (for an object key: after its value), so walking to a child skips
 * whole subtrees in O(1) per sibling. A view (SW_T_JSON) is a heap object
 * holding a reference to the document and the index of an object or array
 * token. Scalars are materialised as they are read: numbers without
 * fraction or exponent that fit int64 become ints, other numbers floats;
 * strings are unescaped (\uXXXX with surrogate pairs to UTF-8, a lone
 * surrogate to U+FFFD). When an object has a key twice, the last one wins.
 *
 * jsmn (strict, with parent links so closing brackets are O(depth)) is
 * lenient about separators, so the token tree is validated once after
 * tokenising: exact separators between tokens, keys are strings with one
 * value, literals are true/false/null or JSON numbers, no raw control
 * characters in strings, nothing after the root, depth <= SW_JSON_MAX_DEPTH
 * (or the caller's lower limit; checked over the tokens jsmn made even when
 * it failed, so an unclosed, too deep text is reported as too deep). Each
 * rejection keeps a short reason for sw_json_parse_why. Before jsmn runs, a
 * linear pre-scan (depth_exceeds) refuses a text that opens too many
 * brackets, so hostile nesting costs one pass; sw_json_parse then raises
 * "JSON nested deeper than 512".
 *
 * Encoding values as JSON is jsonenc.c's; it copies a view's text through
 * sw_json_view_compact.
 */
#define JSMN_STATIC
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>

#include "json.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"
#include "value.h"

#define SW_JSON_MAX_DEPTH 512

/* The reason for a text nested deeper than allowed (one object, so that
 * sw_json_parse can tell it apart by address). */
static const char TOO_DEEP[] = "the JSON is nested too deeply";

typedef struct sw_json_doc {
    int rc;              /* views referencing the document */
    sw_val text;         /* the JSON text (owned string value) */
    jsmntok_t *tok;      /* tokens in document order */
    int *next;           /* next[i]: first token after i's subtree */
    int ntok;            /* number of tokens */
    int *eidx;           /* eidx[i]: where array i's element tokens start in
                            elems, -1 not listed yet (NULL until the first
                            deep index: l[i] is O(1) after one walk) */
    int *elems;          /* element token indices of the listed arrays */
    int nelems;          /* used entries of elems (at most ntok) */
    int max_depth;       /* while parsing: the deepest container allowed */
    const char *why;     /* while parsing: what validation found wrong */
} sw_json_doc;

typedef struct sw_json {
    sw_heap h;           /* type SW_T_JSON */
    sw_json_doc *doc;    /* shared document (one reference) */
    int i;               /* index of an object or array token */
} sw_json;

#define VIEW(h) ((sw_json *)(void *)(h))

static void doc_unref(sw_json_doc *d)
{
    if (--d->rc > 0)
        return;
    sw_unref(d->text);
    free(d->tok);
    free(d->next);
    free(d->eidx);
    free(d->elems);
    free(d);
}

void sw_json_free(sw_heap *h)
{
    doc_unref(VIEW(h)->doc);
    free(h);
}

static sw_val view_new(sw_json_doc *d, int i)
{
    sw_json *v = sw_xmalloc(sizeof *v);
    v->h.rc = 1;
    v->h.type = SW_T_JSON;
    v->doc = d;
    v->i = i;
    d->rc++;
    return (sw_val){ .t = SW_T_JSON, .u.h = &v->h };
}

/* ------------------------------------------------------------ scalars */

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    int k;
    for (k = 0; k < 4; k++) {
        char c = p[k];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

static void put_utf8(sw_buf *b, unsigned cp)
{
    char u[4];
    if (cp < 0x80) {
        sw_buf_addc(b, (char)cp);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        sw_buf_add(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        sw_buf_add(b, u, 3);
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        sw_buf_add(b, u, 4);
    }
}

/* Unescapes the (already validated) string body s[0..n) into b. */
static void unescape_into(sw_buf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        unsigned cp, lo;
        while (run < n && s[run] != '\\')
            run++;
        sw_buf_add(b, s + i, run - i);
        i = run;
        if (i + 1 >= n)
            break;
        switch (s[i + 1]) {
        case 'b': sw_buf_addc(b, '\b'); break;
        case 'f': sw_buf_addc(b, '\f'); break;
        case 'n': sw_buf_addc(b, '\n'); break;
        case 'r': sw_buf_addc(b, '\r'); break;
        case 't': sw_buf_addc(b, '\t'); break;
        case 'u':
            if (i + 6 > n || !hex4(s + i + 2, &cp)) {
                i = n;
                continue;
            }
            i += 6;
            if (cp >= 0xD800 && cp < 0xDC00) {
                if (i + 6 <= n && s[i] == '\\' && s[i + 1] == 'u' &&
                    hex4(s + i + 2, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                } else {
                    cp = 0xFFFD;
                }
            } else if (cp >= 0xDC00 && cp < 0xE000) {
                cp = 0xFFFD;
            }
            put_utf8(b, cp);
            continue;
        default: /* \" \\ \/ */
            sw_buf_addc(b, s[i + 1]);
            break;
        }
        i += 2;
    }
}

static sw_val str_value(const char *s, size_t n)
{
    sw_buf b;
    if (!memchr(s, '\\', n))
        return sw_strn(s, n);
    sw_buf_init(&b);
    unescape_into(&b, s, n);
    return sw_buf_finish(&b);
}

/* A validated literal: true/false/null or a number. */
static sw_val prim_value(const char *s, size_t n)
{
    size_t k;
    int neg = 0;
    uint64_t acc = 0;
    if (s[0] == 't')
        return sw_bool(1);
    if (s[0] == 'f')
        return sw_bool(0);
    if (s[0] == 'n')
        return SW_NULL;
    for (k = 0; k < n; k++)
        if (s[k] == '.' || s[k] == 'e' || s[k] == 'E')
            return sw_float(strtod(s, NULL));
    k = 0;
    if (s[0] == '-') {
        neg = 1;
        k = 1;
    }
    for (; k < n; k++) {
        unsigned d = (unsigned)(s[k] - '0');
        if (acc > (UINT64_MAX - d) / 10)
            return sw_float(strtod(s, NULL));
        acc = acc * 10 + d;
    }
    if (!neg && acc <= (uint64_t)INT64_MAX)
        return sw_int((int64_t)acc);
    if (neg && acc <= (uint64_t)INT64_MAX + 1)
        return sw_int(acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)acc);
    return sw_float(strtod(s, NULL));
}

/* The value of token i: a view for containers, else the materialised scalar. */
static sw_val tok_value(sw_json_doc *d, int i)
{
    const jsmntok_t *t = &d->tok[i];
    const char *s = SW_AS_STR(d->text)->s + t->start;
    switch (t->type) {
    case JSMN_OBJECT:
    case JSMN_ARRAY:
        return view_new(d, i);
    case JSMN_STRING:
        return str_value(s, (size_t)(t->end - t->start));
    default:
        return prim_value(s, (size_t)(t->end - t->start));
    }
}

/* ------------------------------------------------------------ validation */

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Checks the JSON number grammar on s[0..n). */
static int valid_number(const char *s, size_t n)
{
    size_t k = 0, d;
    if (k < n && s[k] == '-')
        k++;
    if (k < n && s[k] == '0')
        k++;
    else {
        for (d = k; k < n && s[k] >= '0' && s[k] <= '9'; k++) {}
        if (k == d)
            return 0;
    }
    if (k < n && s[k] == '.') {
        for (d = ++k; k < n && s[k] >= '0' && s[k] <= '9'; k++) {}
        if (k == d)
            return 0;
    }
    if (k < n && (s[k] == 'e' || s[k] == 'E')) {
        k++;
        if (k < n && (s[k] == '+' || s[k] == '-'))
            k++;
        for (d = k; k < n && s[k] >= '0' && s[k] <= '9'; k++) {}
        if (k == d)
            return 0;
    }
    return k == n;
}

static int valid_literal(const char *s, size_t n)
{
    return (n == 4 && memcmp(s, "true", 4) == 0) ||
           (n == 5 && memcmp(s, "false", 5) == 0) ||
           (n == 4 && memcmp(s, "null", 4) == 0) || valid_number(s, n);
}

static int raw_start(const jsmntok_t *t) { return t->start - (t->type == JSMN_STRING); }
static int raw_end(const jsmntok_t *t) { return t->end + (t->type == JSMN_STRING); }

#define BAD_LITERAL "a value is not a JSON string, number, true, false or null"
#define BAD_CONTROL "a string holds a raw control character"
#define BAD_SEP     "a ',' is missing, doubled or trailing"
#define BAD_KEY     "an object key is not a string followed by ':' and a value"

/* Records why the document is invalid (the first reason wins); -1. */
static int invalid(sw_json_doc *d, const char *why)
{
    if (!d->why)
        d->why = why;
    return -1;
}

/* Validates the value at token i (text s); returns the index after its
 * subtree (filling next[]), or -1 with d->why when invalid. */
static int validate(sw_json_doc *d, const char *s, int i, int depth)
{
    const jsmntok_t *t = &d->tok[i];
    int k, c, pos, j;
    if (t->start < 0 || t->end < 0)
        return invalid(d, "the JSON text ends before its value is complete");
    if (t->type == JSMN_STRING || t->type == JSMN_PRIMITIVE) {
        if (t->size != 0)
            return invalid(d, BAD_KEY);
        if (t->type == JSMN_PRIMITIVE &&
            !valid_literal(s + t->start, (size_t)(t->end - t->start)))
            return invalid(d, BAD_LITERAL);
        if (t->type == JSMN_STRING)
            for (k = t->start; k < t->end; k++)
                if ((unsigned char)s[k] < 0x20)
                    return invalid(d, BAD_CONTROL);
        d->next[i] = i + 1;
        return i + 1;
    }
    if (depth > d->max_depth)
        return invalid(d, TOO_DEEP);
    pos = t->start + 1;
    j = i + 1;
    for (c = 0; c < t->size; c++) {
        if (j >= d->ntok)
            return invalid(d, "the JSON text ends before its value is complete");
        while (is_ws(s[pos]))
            pos++;
        if (c > 0) {
            if (s[pos++] != ',')
                return invalid(d, BAD_SEP);
            while (is_ws(s[pos]))
                pos++;
        }
        if (pos != raw_start(&d->tok[j]))
            return invalid(d, BAD_SEP);
        if (t->type == JSMN_OBJECT) {
            int key = j;
            if (d->tok[key].type != JSMN_STRING || d->tok[key].size != 1 ||
                key + 1 >= d->ntok)
                return invalid(d, BAD_KEY);
            for (k = d->tok[key].start; k < d->tok[key].end; k++)
                if ((unsigned char)s[k] < 0x20)
                    return invalid(d, BAD_CONTROL);
            pos = raw_end(&d->tok[key]);
            while (is_ws(s[pos]))
                pos++;
            if (s[pos++] != ':')
                return invalid(d, BAD_KEY);
            while (is_ws(s[pos]))
                pos++;
            j = key + 1;
            if (pos != raw_start(&d->tok[j]))
                return invalid(d, BAD_KEY);
            pos = raw_end(&d->tok[j]);
            j = validate(d, s, j, depth + 1);
            if (j < 0)
                return -1;
            d->next[key] = j;
        } else {
            pos = raw_end(&d->tok[j]);
            j = validate(d, s, j, depth + 1);
            if (j < 0)
                return -1;
        }
    }
    while (is_ws(s[pos]))
        pos++;
    if (pos != t->end - 1)
        return invalid(d, BAD_SEP);
    d->next[i] = j;
    return j;
}

/* 1 when token i is an object or array jsmn began (a token it allocated
 * just before failing has start -1 and no type yet). */
static int is_container(const sw_json_doc *d, int i)
{
    return d->tok[i].start >= 0 &&
           (d->tok[i].type == JSMN_OBJECT || d->tok[i].type == JSMN_ARRAY);
}

/* 1 when one of the first d->ntok tokens (complete or not) is a container
 * nested deeper than d->max_depth. Uses d->next as scratch: next[i] is the
 * number of containers above token i (keys do not count as a level). */
static int too_deep(sw_json_doc *d)
{
    int i, par;
    for (i = 0; i < d->ntok; i++) {
        par = d->tok[i].start >= 0 ? d->tok[i].parent : -1;
        d->next[i] = par < 0 || par >= i ? 0 : d->next[par] + is_container(d, par);
        if (is_container(d, i) && d->next[i] > d->max_depth)
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------ parsing */

/* The cheap pre-scan run before tokenising: 1 when s[0..len) opens more
 * than max_depth + 1 containers at once (the root is level 0, so that is a
 * container deeper than max_depth), counting brackets outside strings. One
 * pass, no allocation: a hostile 100,000-deep text is refused in linear time
 * before jsmn (whose work grows with depth) sees it. Unbalanced or otherwise
 * broken text is left to the tokeniser. */
static int depth_exceeds(const char *s, size_t len, int max_depth)
{
    long open = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '"') {
            for (i++; i < len && s[i] != '"'; i++)
                if (s[i] == '\\')
                    i++;
        } else if (c == '[' || c == '{') {
            if (++open > (long)max_depth + 1)
                return 1;
        } else if ((c == ']' || c == '}') && open > 0) {
            open--;
        }
    }
    return 0;
}

/* Releases text, sets *why, returns null. */
static sw_val not_json(sw_val text, const char **why, const char *reason)
{
    sw_unref(text);
    *why = reason;
    return SW_NULL;
}

/* Tokenises and validates the container document s[0..len) (its first
 * non-space byte at a, its last at z - 1); d->why says what is wrong when
 * it returns -1. */
static int tokenise(sw_json_doc *d, const char *s, size_t len, size_t z)
{
    jsmn_parser p;
    unsigned cap = (unsigned)(len / 8) + 16;
    int r, end;
    d->tok = sw_xmalloc(cap * sizeof(jsmntok_t));
    jsmn_init(&p);
    for (;;) {
        r = jsmn_parse(&p, s, len, d->tok, cap);
        if (r != JSMN_ERROR_NOMEM)
            break;
        cap *= 2;
        d->tok = sw_xrealloc(d->tok, cap * sizeof(jsmntok_t));
    }
    d->ntok = (int)p.toknext;
    d->next = sw_xmalloc((size_t)(d->ntok + 1) * sizeof(int));
    if (too_deep(d))
        return invalid(d, TOO_DEEP);
    if (d->ntok < 1 || d->tok[0].end < 0)
        return invalid(d, r == JSMN_ERROR_PART
                              ? "the JSON text ends before its value is complete"
                              : "the JSON text holds a character not allowed there");
    end = validate(d, s, 0, 0);
    if (end < 0)
        return -1;
    if (r < 0 || end != d->ntok || (size_t)raw_end(&d->tok[0]) != z)
        return invalid(d, "there is text after the JSON value");
    return 0;
}

sw_val sw_json_parse_why(sw_val text, int max_depth, const char **why)
{
    const char *s, *ignored;
    size_t len, a, z;
    sw_json_doc *d;
    sw_val root;

    if (!why)
        why = &ignored;
    *why = NULL;
    if (text.t != SW_T_STR)
        return not_json(text, why, "the value is not a string");
    s = SW_AS_STR(text)->s;
    len = SW_AS_STR(text)->len;
    if (len >= INT_MAX / 2)
        return not_json(text, why, "the JSON text is too long");
    if (memchr(s, '\0', len))
        return not_json(text, why, "the JSON text holds a NUL byte");
    for (a = 0; a < len && is_ws(s[a]); a++) {}
    for (z = len; z > a && is_ws(s[z - 1]); z--) {}
    if (a == z)
        return not_json(text, why, "the JSON text is empty");
    if (s[a] != '{' && s[a] != '[' && s[a] != '"') {
        /* a bare literal: jsmn's strict mode wants a delimiter after it */
        if (!valid_literal(s + a, z - a))
            return not_json(text, why, BAD_LITERAL);
        root = prim_value(s + a, z - a);
        sw_unref(text);
        return root;
    }

    if (max_depth < 0 || max_depth > SW_JSON_MAX_DEPTH)
        max_depth = SW_JSON_MAX_DEPTH;
    if (depth_exceeds(s + a, z - a, max_depth))
        return not_json(text, why, TOO_DEEP);
    d = sw_xmalloc(sizeof *d);
    d->rc = 1;
    d->text = text;
    d->max_depth = max_depth;
    d->why = NULL;
    d->tok = NULL;
    d->next = NULL;
    d->eidx = d->elems = NULL;
    d->nelems = 0;
    if (tokenise(d, s, len, z) != 0) {
        const char *reason = d->why;
        free(d->tok);
        free(d->next);
        free(d);
        return not_json(text, why, reason);
    }
    root = tok_value(d, 0);
    if (d->rc == 1) {
        /* a scalar (string) root: nothing references the document */
        doc_unref(d);
        return root;
    }
    d->rc--;
    return root;
}

sw_val sw_json_parse(sw_val text)
{
    const char *why;
    sw_val v = sw_json_parse_why(text, SW_JSON_MAX_DEPTH, &why);
    if (why == TOO_DEEP)
        sw_raise("JSON nested deeper than %d", SW_JSON_MAX_DEPTH);
    else if (why)
        sw_raise("body is not valid JSON");
    return v;
}

/* ------------------------------------------------------ access (views) */

/* Is the key token k equal to key[0..klen) once unescaped? */
static int key_eq(const sw_json_doc *d, int k, const char *key, size_t klen)
{
    const jsmntok_t *t = &d->tok[k];
    const char *s = SW_AS_STR(d->text)->s + t->start;
    size_t n = (size_t)(t->end - t->start);
    sw_buf b;
    int eq;
    if (!memchr(s, '\\', n))
        return n == klen && memcmp(s, key, n) == 0;
    sw_buf_init(&b);
    unescape_into(&b, s, n);
    eq = b.n == klen && memcmp(sw_buf_bytes(&b), key, klen) == 0;
    sw_buf_free(&b);
    return eq;
}

/* The value token of the last key equal to key in object token i, or -1. */
static int obj_find(const sw_json_doc *d, int i, const char *key, size_t klen)
{
    int k = i + 1, c, found = -1;
    for (c = 0; c < d->tok[i].size; c++) {
        if (key_eq(d, k, key, klen))
            found = k + 1;
        k = d->next[k];
    }
    return found;
}

sw_val sw_json_field(sw_heap *h, const char *key, size_t klen)
{
    sw_json_doc *d = VIEW(h)->doc;
    int i = VIEW(h)->i, v;
    if (d->tok[i].type != JSMN_OBJECT)
        return SW_NULL;
    v = obj_find(d, i, key, klen);
    return v < 0 ? SW_NULL : tok_value(d, v);
}

/* Where array token i's element tokens start in d->elems, listing them on
 * the first call (one walk over the array; every later index is O(1)). The
 * elements of all arrays together are fewer than the tokens, so elems never
 * needs more than ntok entries. */
static int array_elems(sw_json_doc *d, int i)
{
    if (!d->eidx) {
        d->eidx = sw_xmalloc((size_t)d->ntok * sizeof *d->eidx);
        d->elems = sw_xmalloc((size_t)d->ntok * sizeof *d->elems);
        for (int t = 0; t < d->ntok; t++)
            d->eidx[t] = -1;
        d->nelems = 0;
    }
    if (d->eidx[i] < 0) {
        d->eidx[i] = d->nelems;
        for (int k = i + 1, n = d->tok[i].size; n > 0; n--, k = d->next[k])
            d->elems[d->nelems++] = k;
    }
    return d->eidx[i];
}

sw_val sw_json_index(sw_heap *h, int64_t idx)
{
    sw_json_doc *d = VIEW(h)->doc;
    int i = VIEW(h)->i, k, n = d->tok[i].size;
    if (d->tok[i].type != JSMN_ARRAY)
        return SW_NULL;
    if (idx < 0)
        idx += n;
    if (idx < 0 || idx >= n)
        return SW_NULL;
    if (idx < 8) {              /* near the front: walking is cheapest */
        for (k = i + 1; idx > 0; idx--)
            k = d->next[k];
        return tok_value(d, k);
    }
    int at = array_elems(d, i);     /* may allocate d->elems: call it first */
    return tok_value(d, d->elems[at + idx]);
}

int sw_json_kind(const sw_heap *h)
{
    const sw_json *v = VIEW(h);
    return v->doc->tok[v->i].type == JSMN_ARRAY ? SW_T_LIST : SW_T_OBJ;
}

int64_t sw_json_len(const sw_heap *h)
{
    const sw_json *v = VIEW(h);
    return v->doc->tok[v->i].size;
}

int sw_json_iter(const sw_heap *h, sw_val *pos, sw_val *out)
{
    sw_json_doc *d = VIEW(h)->doc;
    int i = VIEW(h)->i;
    int64_t k = pos->t == SW_T_INT ? pos->u.i : i + 1;
    const jsmntok_t *t;
    if (k <= i || k >= d->next[i])
        return 0;
    t = &d->tok[k];
    if (d->tok[i].type == JSMN_OBJECT)
        sw_set(out, str_value(SW_AS_STR(d->text)->s + t->start,
                              (size_t)(t->end - t->start)));
    else
        sw_set(out, tok_value(d, (int)k));
    sw_set(pos, sw_int(d->next[k]));
    return 1;
}

/* Deep copy of token i into plain values. */
static sw_val materialise(sw_json_doc *d, int i)
{
    const jsmntok_t *t = &d->tok[i];
    int k = i + 1, c;
    sw_val r;
    if (t->type == JSMN_ARRAY) {
        r = sw_vlist_new((size_t)t->size);
        for (c = 0; c < t->size; c++) {
            SW_AS_LIST(r)->v[c] = materialise(d, k);
            k = d->next[k];
        }
        return r;
    }
    if (t->type == JSMN_OBJECT) {
        r = sw_vobj_new((size_t)t->size);
        for (c = 0; c < t->size; c++) {
            sw_vobj_put(r, tok_value(d, k), materialise(d, k + 1));
            k = d->next[k];
        }
        return r;
    }
    return tok_value(d, i);
}

sw_val sw_json_materialise(const sw_heap *h)
{
    return materialise(VIEW(h)->doc, VIEW(h)->i);
}

int sw_json_contains(const sw_heap *h, sw_val needle)
{
    sw_json_doc *d = VIEW(h)->doc;
    int i = VIEW(h)->i, k = i + 1, c, found = 0;
    if (d->tok[i].type == JSMN_OBJECT)
        return needle.t == SW_T_STR &&
               obj_find(d, i, SW_AS_STR(needle)->s, SW_AS_STR(needle)->len) >= 0;
    for (c = 0; c < d->tok[i].size && !found; c++) {
        sw_val item = tok_value(d, k);
        found = sw_val_equal(item, needle);
        sw_unref(item);
        k = d->next[k];
    }
    return found;
}

/* ------------------------------------------------------------ raw text */

void sw_json_view_compact(sw_buf *b, const sw_heap *h)
{
    const sw_json *v = VIEW(h);
    const jsmntok_t *t = &v->doc->tok[v->i];
    const char *s = SW_AS_STR(v->doc->text)->s;
    int k, in_str = 0, run = t->start;
    for (k = t->start; k < t->end; k++) {
        char c = s[k];
        if (in_str) {
            if (c == '\\')
                k++;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (is_ws(c)) {
            sw_buf_add(b, s + run, (size_t)(k - run));
            run = k + 1;
        }
    }
    sw_buf_add(b, s + run, (size_t)(t->end - run));
}
