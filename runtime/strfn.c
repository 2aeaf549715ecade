/*
 * strfn.c -- the string and regular-expression built-ins of LANGUAGE.md
 * section 9 (issue 9): match, match_all, split, join, lower, upper, trim,
 * replace, starts_with, ends_with, find, slice, and len's character count.
 *
 * Strings are UTF-8; positions (find, slice) and len count characters
 * (code points), as Python does. lower/upper map every letter by Unicode's
 * simple (one-to-one) case mapping, C.UTF-8's towlower_l/towupper_l (ASCII
 * only if that locale is missing); trim strips what Python's str.strip()
 * strips (Unicode whitespace). Bytes that are not UTF-8 pass through
 * unchanged. Patterns are PCRE2 with UTF mode (the
 * compiler checks literal ones with the same options, compiler/regex.c);
 * compiled patterns are cached by their text for the whole process.
 *
 * Ownership: as sw.h says, arguments are consumed and results owned. The
 * regex cache owns its compiled patterns (freed by sw_re_shutdown).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <locale.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "rt.h"
#include "json.h"
#include "value.h"
#include "strfn.h"

#define SW_RE_CACHE 256     /* patterns kept compiled (then the oldest goes) */

/* ------------------------------------------------------------- UTF-8 */

/* Characters in s[0..n): bytes that do not continue a sequence. */
size_t sw_str_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* Byte offset of character index k (clamped to n). */
static size_t char_off(const char *s, size_t n, size_t k)
{
    size_t i = 0;
    while (i < n && k > 0) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        k--;
    }
    return i;
}

/* A string argument, or a raise naming the function (then 0). */
static int str_arg(const char *fn, sw_val v, const sw_str **out)
{
    if (v.t != SW_T_STR) {
        sw_raise("%s() expects a string, got %s", fn, sw_type_name(v));
        return 0;
    }
    *out = SW_AS_STR(v);
    return 1;
}

/* -------------------------------------------------------------- cache */

typedef struct re_entry {
    char *pat;              /* the pattern text (owned) */
    size_t len;
    pcre2_code *code;       /* compiled (owned) */
} re_entry;

static re_entry re_cache[SW_RE_CACHE];
static int re_next;         /* slot to reuse when full (round robin) */
static pcre2_match_data *re_md;

/* The compiled pattern (borrowed from the cache), or NULL after a raise. */
static pcre2_code *re_get(const sw_str *p)
{
    for (int i = 0; i < SW_RE_CACHE && re_cache[i].pat; i++)
        if (re_cache[i].len == p->len && memcmp(re_cache[i].pat, p->s, p->len) == 0)
            return re_cache[i].code;
    int err = 0;
    PCRE2_SIZE at = 0;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)p->s, p->len,
                                     PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &at, NULL);
    if (!code) {
        PCRE2_UCHAR msg[200];
        pcre2_get_error_message(err, msg, sizeof msg);
        sw_raise("bad regular expression at offset %zu: %s", (size_t)at, (char *)msg);
        return NULL;
    }
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);   /* best effort */
    re_entry *e = NULL;
    for (int i = 0; i < SW_RE_CACHE && !e; i++)
        if (!re_cache[i].pat)
            e = &re_cache[i];
    if (!e) {
        e = &re_cache[re_next];
        re_next = (re_next + 1) % SW_RE_CACHE;
        free(e->pat);
        pcre2_code_free(e->code);
    }
    e->pat = sw_xmalloc(p->len + 1);
    memcpy(e->pat, p->s, p->len);
    e->pat[p->len] = '\0';
    e->len = p->len;
    e->code = code;
    return code;
}

void sw_re_shutdown(void)
{
    for (int i = 0; i < SW_RE_CACHE; i++) {
        free(re_cache[i].pat);
        pcre2_code_free(re_cache[i].code);
        re_cache[i].pat = NULL;
        re_cache[i].code = NULL;
    }
    pcre2_match_data_free(re_md);
    re_md = NULL;
}

/* Group g of the last match as a string value, or null when it did not
 * take part. */
static sw_val group(const sw_str *s, PCRE2_SIZE *ov, int rc, int g)
{
    if (g >= rc || ov[2 * g] == PCRE2_UNSET)
        return SW_NULL;
    return sw_strn(s->s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
}

/* One match of code in s from byte start: rc > 0 with the offsets, 0 when
 * none, < 0 after a raise. */
static int re_exec(pcre2_code *code, const sw_str *s, size_t start, PCRE2_SIZE **ov)
{
    if (!re_md)
        re_md = pcre2_match_data_create(32, NULL);
    if (!re_md) {
        sw_raise("out of memory for a regular expression match");
        return -1;
    }
    int rc = pcre2_match(code, (PCRE2_SPTR)s->s, s->len, start, 0, re_md, NULL);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0) {
        PCRE2_UCHAR msg[200];
        pcre2_get_error_message(rc, msg, sizeof msg);
        sw_raise("regular expression match failed: %s", (char *)msg);
        return -1;
    }
    if (rc == 0)                    /* more groups than the match data holds */
        rc = (int)pcre2_get_ovector_count(re_md);
    *ov = pcre2_get_ovector_pointer(re_md);
    return rc;
}

sw_val sw_b_match(sw_val s, sw_val re)
{
    const sw_str *ss, *rs;
    sw_val out = SW_NULL;
    pcre2_code *code;
    PCRE2_SIZE *ov;
    if (str_arg("match", s, &ss) && str_arg("match", re, &rs) && (code = re_get(rs))) {
        uint32_t groups = 0;
        pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups);
        int rc = re_exec(code, ss, 0, &ov);
        if (rc > 0)
            out = group(ss, ov, rc, groups ? 1 : 0);
    }
    sw_unref(s);
    sw_unref(re);
    return out;
}

sw_val sw_b_match_all(sw_val s, sw_val re)
{
    const sw_str *ss, *rs;
    pcre2_code *code;
    PCRE2_SIZE *ov;
    sw_val items[64], out = SW_NULL;
    size_t n = 0, cap = 64;
    sw_val *v = items;
    if (str_arg("match_all", s, &ss) && str_arg("match_all", re, &rs) && (code = re_get(rs))) {
        uint32_t groups = 0;
        pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups);
        size_t at = 0;
        int rc = 0;
        while (at <= ss->len && (rc = re_exec(code, ss, at, &ov)) > 0) {
            sw_val item;
            if (groups <= 1) {
                item = group(ss, ov, rc, groups ? 1 : 0);
            } else {            /* several groups: a list of them, like findall */
                item = sw_vlist_new(groups);
                for (uint32_t gi = 1; gi <= groups; gi++)
                    SW_AS_LIST(item)->v[gi - 1] = group(ss, ov, rc, (int)gi);
            }
            if (n == cap) {
                cap *= 2;
                sw_val *nv = sw_xmalloc(cap * sizeof *nv);
                memcpy(nv, v, n * sizeof *nv);
                if (v != items)
                    free(v);
                v = nv;
            }
            v[n++] = item;
            size_t end = ov[1];
            if (end == ov[0]) {         /* empty match: step one character */
                end++;
                while (end < ss->len && ((unsigned char)ss->s[end] & 0xC0) == 0x80)
                    end++;
            }
            at = end;
        }
        if (rc >= 0) {
            out = sw_vlist_new(n);
            for (size_t i = 0; i < n; i++)
                SW_AS_LIST(out)->v[i] = v[i];
            n = 0;
        }
    }
    for (size_t i = 0; i < n; i++)
        sw_unref(v[i]);
    if (v != items)
        free(v);
    sw_unref(s);
    sw_unref(re);
    return out;
}

/* ------------------------------------------------------------ strings */

sw_val sw_b_split(sw_val s, sw_val sep)
{
    const sw_str *ss, *ps;
    sw_val out = SW_NULL;
    if (str_arg("split", s, &ss) && str_arg("split", sep, &ps)) {
        if (ps->len == 0) {
            sw_raise("split() with an empty separator");
        } else {
            size_t n = 1;
            for (size_t i = 0; i + ps->len <= ss->len;)
                if (memcmp(ss->s + i, ps->s, ps->len) == 0) {
                    n++;
                    i += ps->len;
                } else {
                    i++;
                }
            out = sw_vlist_new(n);
            size_t k = 0, from = 0;
            for (size_t i = 0; i + ps->len <= ss->len;)
                if (memcmp(ss->s + i, ps->s, ps->len) == 0) {
                    SW_AS_LIST(out)->v[k++] = sw_strn(ss->s + from, i - from);
                    i += ps->len;
                    from = i;
                } else {
                    i++;
                }
            SW_AS_LIST(out)->v[k] = sw_strn(ss->s + from, ss->len - from);
        }
    }
    sw_unref(s);
    sw_unref(sep);
    return out;
}

sw_val sw_b_join(sw_val list, sw_val sep)
{
    const sw_str *ps;
    sw_val out = SW_NULL;
    int json = list.t == SW_T_JSON && sw_json_kind(list.u.h) == SW_T_LIST;
    if (list.t != SW_T_LIST && !json) {
        sw_raise("join() expects a list, got %s", sw_type_name(list));
    } else if (str_arg("join", sep, &ps)) {
        int64_t n = json ? sw_json_len(list.u.h) : (int64_t)SW_AS_LIST(list)->n;
        sw_buf b;
        sw_buf_init(&b);
        for (int64_t i = 0; i < n; i++) {
            if (i)
                sw_buf_add(&b, ps->s, ps->len);
            sw_val item = json ? sw_json_index(list.u.h, i) : sw_ref(SW_AS_LIST(list)->v[i]);
            sw_buf_add_str(&b, item);
            sw_unref(item);
        }
        out = sw_buf_finish(&b);
    }
    sw_unref(list);
    sw_unref(sep);
    return out;
}

/* The code point of the well-formed UTF-8 sequence at s[0, n) and its
 * length in *len; -1 (with *len 1) for a byte that starts none. */
static long utf8_at(const unsigned char *s, size_t n, size_t *len)
{
    *len = 1;
    int k = s[0] < 0x80 ? 0 : (s[0] & 0xE0) == 0xC0 ? 1 : (s[0] & 0xF0) == 0xE0 ? 2
            : (s[0] & 0xF8) == 0xF0 ? 3 : -1;
    if (k == 0)
        return s[0];
    if (k < 0 || (size_t)k >= n)
        return -1;
    long c = s[0] & (0x3F >> k);
    for (int i = 1; i <= k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        c = (c << 6) | (s[i] & 0x3F);
    }
    static const long least[] = { 0, 0x80, 0x800, 0x10000 };
    if (c < least[k] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return -1;                  /* overlong, out of range, a surrogate */
    *len = (size_t)k + 1;
    return c;
}

static void utf8_put(sw_buf *b, long c)
{
    if (c < 0x80) {
        sw_buf_addc(b, (char)c);
    } else if (c < 0x800) {
        sw_buf_addc(b, (char)(0xC0 | (c >> 6)));
        sw_buf_addc(b, (char)(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        sw_buf_addc(b, (char)(0xE0 | (c >> 12)));
        sw_buf_addc(b, (char)(0x80 | ((c >> 6) & 0x3F)));
        sw_buf_addc(b, (char)(0x80 | (c & 0x3F)));
    } else {
        sw_buf_addc(b, (char)(0xF0 | (c >> 18)));
        sw_buf_addc(b, (char)(0x80 | ((c >> 12) & 0x3F)));
        sw_buf_addc(b, (char)(0x80 | ((c >> 6) & 0x3F)));
        sw_buf_addc(b, (char)(0x80 | (c & 0x3F)));
    }
}

/* C.UTF-8's case tables, made once (0: not available, ASCII only). */
static locale_t utf8_locale(void)
{
    static locale_t loc;
    static int tried;
    if (!tried) {
        tried = 1;
        loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    }
    return loc;
}

/* lower/upper: Unicode's simple case mapping, one code point to one. */
static sw_val change_case(const char *fn, sw_val s, int upper)
{
    const sw_str *ss;
    sw_val out = SW_NULL;
    if (str_arg(fn, s, &ss)) {
        locale_t loc = utf8_locale();
        const unsigned char *p = (const unsigned char *)ss->s;
        sw_buf b;
        sw_buf_init(&b);
        for (size_t i = 0, len; i < ss->len; i += len) {
            long c = utf8_at(p + i, ss->len - i, &len);
            if (c < 0) {
                sw_buf_addc(&b, (char)p[i]);
                continue;
            }
            if (loc)
                c = (long)(upper ? towupper_l((wint_t)c, loc) : towlower_l((wint_t)c, loc));
            else if (upper ? (c >= 'a' && c <= 'z') : (c >= 'A' && c <= 'Z'))
                c += upper ? 'A' - 'a' : 'a' - 'A';
            utf8_put(&b, c);
        }
        out = sw_buf_finish(&b);
    }
    sw_unref(s);
    return out;
}

sw_val sw_b_lower(sw_val s) { return change_case("lower", s, 0); }
sw_val sw_b_upper(sw_val s) { return change_case("upper", s, 1); }

/* Python's str.isspace(): ASCII whitespace and separators 0x1C-0x1F, NEL,
 * NBSP and Unicode's space separators. */
static int is_space(long c)
{
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0
           || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029
           || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* The length of the whitespace character ending at s[z) (0: none). */
static size_t space_before(const unsigned char *s, size_t a, size_t z)
{
    size_t st = z - 1, len;
    while (st > a && (s[st] & 0xC0) == 0x80 && z - st < 4)
        st--;
    long c = utf8_at(s + st, z - st, &len);
    return c >= 0 && st + len == z && is_space(c) ? len : 0;
}

sw_val sw_b_trim(sw_val s)
{
    const sw_str *ss;
    sw_val out = SW_NULL;
    if (str_arg("trim", s, &ss)) {
        const unsigned char *p = (const unsigned char *)ss->s;
        size_t a = 0, z = ss->len, len, k;
        while (a < z && is_space(utf8_at(p + a, z - a, &len)))
            a += len;
        while (z > a && (k = space_before(p, a, z)) > 0)
            z -= k;
        out = sw_strn(ss->s + a, z - a);
    }
    sw_unref(s);
    return out;
}

sw_val sw_b_replace(sw_val s, sw_val from, sw_val to)
{
    const sw_str *ss, *fs, *ts;
    sw_val out = SW_NULL;
    if (str_arg("replace", s, &ss) && str_arg("replace", from, &fs) &&
        str_arg("replace", to, &ts)) {
        sw_buf b;
        sw_buf_init(&b);
        if (fs->len == 0) {         /* Python: `to` before every character and at the end */
            for (size_t i = 0; i < ss->len; i++) {
                if (((unsigned char)ss->s[i] & 0xC0) != 0x80)
                    sw_buf_add(&b, ts->s, ts->len);
                sw_buf_addc(&b, ss->s[i]);
            }
            sw_buf_add(&b, ts->s, ts->len);
        } else {
            size_t i = 0;
            while (i < ss->len) {
                if (i + fs->len <= ss->len && memcmp(ss->s + i, fs->s, fs->len) == 0) {
                    sw_buf_add(&b, ts->s, ts->len);
                    i += fs->len;
                } else {
                    sw_buf_addc(&b, ss->s[i++]);
                }
            }
        }
        out = sw_buf_finish(&b);
    }
    sw_unref(s);
    sw_unref(from);
    sw_unref(to);
    return out;
}

static sw_val affix(const char *fn, sw_val s, sw_val x, int end)
{
    const sw_str *ss, *xs;
    sw_val out = SW_NULL;
    if (str_arg(fn, s, &ss) && str_arg(fn, x, &xs))
        out = sw_bool(xs->len <= ss->len &&
                      memcmp(ss->s + (end ? ss->len - xs->len : 0), xs->s, xs->len) == 0);
    sw_unref(s);
    sw_unref(x);
    return out;
}

sw_val sw_b_starts_with(sw_val s, sw_val x) { return affix("starts_with", s, x, 0); }
sw_val sw_b_ends_with(sw_val s, sw_val x) { return affix("ends_with", s, x, 1); }

sw_val sw_b_find(sw_val s, sw_val sub)
{
    const sw_str *ss, *us;
    sw_val out = SW_NULL;
    if (str_arg("find", s, &ss) && str_arg("find", sub, &us)) {
        int64_t at = -1;
        for (size_t i = 0; i + us->len <= ss->len; i++)
            if (memcmp(ss->s + i, us->s, us->len) == 0) {
                at = (int64_t)sw_str_chars(ss->s, i);
                break;
            }
        out = sw_int(at);
    }
    sw_unref(s);
    sw_unref(sub);
    return out;
}

/* Python's slice bounds: negative counts from the end, clamped to [0, n]. */
static int64_t bound(sw_val v, int64_t n, int64_t dflt, int *ok)
{
    int64_t k;
    if (v.t == SW_T_NULL)
        return dflt;
    if (v.t == SW_T_INT)
        k = v.u.i;
    else if (v.t == SW_T_FLOAT && v.u.f == (double)(int64_t)v.u.f)
        k = (int64_t)v.u.f;
    else {
        sw_raise("slice() bounds must be integers, got %s", sw_type_name(v));
        *ok = 0;
        return 0;
    }
    if (k < 0)
        k += n;
    return k < 0 ? 0 : k > n ? n : k;
}

sw_val sw_b_slice(sw_val x, sw_val from, sw_val to)
{
    sw_val out = SW_NULL;
    int ok = 1;
    int json = x.t == SW_T_JSON && sw_json_kind(x.u.h) == SW_T_LIST;
    if (x.t == SW_T_STR) {
        const sw_str *s = SW_AS_STR(x);
        int64_t n = (int64_t)sw_str_chars(s->s, s->len);
        int64_t a = bound(from, n, 0, &ok), z = bound(to, n, n, &ok);
        if (ok) {
            size_t ba = char_off(s->s, s->len, (size_t)a);
            size_t bz = z > a ? char_off(s->s, s->len, (size_t)z) : ba;
            out = sw_strn(s->s + ba, bz - ba);
        }
    } else if (x.t == SW_T_LIST || json) {
        int64_t n = json ? sw_json_len(x.u.h) : (int64_t)SW_AS_LIST(x)->n;
        int64_t a = bound(from, n, 0, &ok), z = bound(to, n, n, &ok);
        if (ok) {
            size_t m = z > a ? (size_t)(z - a) : 0;
            out = sw_vlist_new(m);
            for (size_t i = 0; i < m; i++)
                SW_AS_LIST(out)->v[i] = json ? sw_json_index(x.u.h, a + (int64_t)i)
                                             : sw_ref(SW_AS_LIST(x)->v[a + (int64_t)i]);
        }
    } else {
        sw_raise("slice() of %s", sw_type_name(x));
    }
    sw_unref(x);
    sw_unref(from);
    sw_unref(to);
    return out;
}
