/*
 * data.c -- `data NAME = csv "F"` / `json "F"` (LANGUAGE.md section 9,
 * issue 9): files read once per process before the run, rows handed out by
 * next() in order, strided over the slaves of a cluster (see data.h), and
 * wrapping around once every row was handed out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"
#include "data.h"
#include "json.h"
#include "value.h"

#define SW_DATA_MAX_BYTES (1u << 30)   /* a larger data file is refused */

static int stride_index = 0, stride_count = 1;

void sw_data_stride(int index, int count)
{
    if (count >= 1 && index >= 0 && index < count) {
        stride_index = index;
        stride_count = count;
    }
}

sw_val sw_data_rows(sw_data *d)
{
    return d ? sw_ref(d->rows) : SW_NULL;
}

static int64_t nrows(sw_val rows)
{
    if (rows.t == SW_T_LIST)
        return (int64_t)SW_AS_LIST(rows)->n;
    if (rows.t == SW_T_JSON)
        return sw_json_len(rows.u.h);
    return 0;
}

sw_val sw_data_next(sw_data *d)
{
    int64_t n = d ? nrows(d->rows) : 0;
    if (n <= 0) {
        sw_raise("next(%s): the data source has no rows", d ? d->name : "?");
        return SW_NULL;
    }
    uint64_t k = d->taken++;
    int64_t i = (int64_t)(((uint64_t)stride_index + k * (uint64_t)stride_count) % (uint64_t)n);
    if (d->rows.t == SW_T_LIST)
        return sw_ref(SW_AS_LIST(d->rows)->v[i]);
    return sw_json_index(d->rows.u.h, i);
}

/* ---------------------------------------------------------------- CSV */

/* One field of CSV at *p (line counting in *line) into b; sets *end_row at
 * the end of a row. 0, or -1 for an unterminated quote. */
static int csv_field(const char **p, const char *end, int *line, sw_buf *b, int *end_row)
{
    const char *s = *p;
    b->n = 0;
    *end_row = 0;
    if (s < end && *s == '"') {
        s++;
        for (;;) {
            if (s >= end)
                return -1;
            if (*s == '"') {
                if (s + 1 < end && s[1] == '"') {
                    sw_buf_addc(b, '"');
                    s += 2;
                    continue;
                }
                s++;
                break;
            }
            if (*s == '\n')
                (*line)++;
            sw_buf_addc(b, *s++);
        }
        while (s < end && *s != ',' && *s != '\n' && *s != '\r')
            s++;                                /* junk after a closing quote is dropped */
    } else {
        while (s < end && *s != ',' && *s != '\n' && *s != '\r')
            sw_buf_addc(b, *s++);
    }
    if (s < end && *s == ',') {
        s++;
    } else {
        if (s < end && *s == '\r')
            s++;
        if (s < end && *s == '\n')
            s++;
        (*line)++;
        *end_row = 1;
    }
    *p = s;
    return 0;
}

/* Fields of one row into an array (grown as needed). n fields, -1 on error. */
static int csv_row(const char **p, const char *end, int *line, sw_val **f, int *cap,
                   sw_buf *b)
{
    int n = 0, end_row = 0;
    while (!end_row) {
        if (csv_field(p, end, line, b, &end_row) != 0) {
            for (int i = 0; i < n; i++)
                sw_unref((*f)[i]);
            return -1;
        }
        if (n == *cap) {
            *cap = *cap ? 2 * *cap : 16;
            *f = sw_xrealloc(*f, (size_t)*cap * sizeof **f);
        }
        (*f)[n++] = sw_strn(sw_buf_bytes(b), b->n);
        if (*p >= end)
            end_row = 1;
    }
    return n;
}

int sw_data_parse_csv(const char *text, size_t len, sw_val *rows, char *err, size_t cap)
{
    const char *p = text, *end = text + len;
    int line = 1, ncap = 0, nh, ret = -1;
    sw_val *f = NULL, *head = NULL, list = SW_NULL;
    sw_val items_buf = SW_NULL;
    size_t nitems = 0, icap = 0;
    sw_val *items = NULL;
    sw_buf b;
    sw_buf_init(&b);
    (void)items_buf;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;                                 /* a UTF-8 byte order mark */
    while (p < end && (*p == '\n' || *p == '\r')) {
        if (*p == '\n')
            line++;
        p++;
    }
    if (p >= end) {
        snprintf(err, cap, "%d: no header row (the file is empty)", line);
        goto out;
    }
    int hline = line;
    nh = csv_row(&p, end, &line, &f, &ncap, &b);
    if (nh < 0) {
        snprintf(err, cap, "%d: unterminated quoted field", hline);
        goto out;
    }
    head = f;
    f = NULL;
    ncap = 0;
    for (int i = 0; i < nh; i++)
        if (SW_AS_STR(head[i])->len == 0) {
            snprintf(err, cap, "%d: column %d of the header row has no name", hline, i + 1);
            goto out_head;
        }
    while (p < end) {
        if (*p == '\n' || *p == '\r') {         /* blank line */
            if (*p == '\n')
                line++;
            p++;
            continue;
        }
        int rline = line;
        int n = csv_row(&p, end, &line, &f, &ncap, &b);
        if (n < 0) {
            snprintf(err, cap, "%d: unterminated quoted field", rline);
            goto out_items;
        }
        if (n != nh) {
            for (int i = 0; i < n; i++)
                sw_unref(f[i]);
            snprintf(err, cap, "%d: the row has %d field%s, the header has %d", rline, n,
                     n == 1 ? "" : "s", nh);
            goto out_items;
        }
        sw_val o = sw_vobj_new((size_t)nh);
        for (int i = 0; i < nh; i++)
            sw_vobj_put(o, sw_ref(head[i]), f[i]);
        if (nitems == icap) {
            icap = icap ? 2 * icap : 64;
            items = sw_xrealloc(items, icap * sizeof *items);
        }
        items[nitems++] = o;
    }
    list = sw_vlist_new(nitems);
    for (size_t i = 0; i < nitems; i++)
        SW_AS_LIST(list)->v[i] = items[i];
    nitems = 0;
    *rows = list;
    ret = 0;
out_items:
    for (size_t i = 0; i < nitems; i++)
        sw_unref(items[i]);
    free(items);
out_head:
    for (int i = 0; i < nh; i++)
        sw_unref(head[i]);
    free(head);
out:
    free(f);
    sw_buf_free(&b);
    return ret;
}

/* --------------------------------------------------------------- JSON */

typedef struct jscan {
    const char *p, *end, *start;
    int depth;
} jscan;

static void jws(jscan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static int jvalue(jscan *s);

static int jlit(jscan *s, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
        return -1;
    s->p += n;
    return 0;
}

static int jstring(jscan *s)
{
    if (s->p >= s->end || *s->p != '"')
        return -1;
    s->p++;
    while (s->p < s->end && *s->p != '"') {
        if ((unsigned char)*s->p < 0x20)
            return -1;
        if (*s->p == '\\')
            s->p++;
        s->p++;
    }
    if (s->p >= s->end)
        return -1;
    s->p++;
    return 0;
}

static int jnumber(jscan *s)
{
    const char *q = s->p;
    if (q < s->end && *q == '-')
        q++;
    const char *d = q;
    while (q < s->end && ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E' ||
                          *q == '+' || *q == '-'))
        q++;
    if (q == d)
        return -1;
    s->p = q;
    return 0;
}

static int jvalue(jscan *s)
{
    jws(s);
    if (s->p >= s->end || ++s->depth > 512)
        return -1;
    int r = 0;
    char c = *s->p;
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        s->p++;
        jws(s);
        if (s->p < s->end && *s->p == close) {
            s->p++;
        } else {
            for (;;) {
                if (c == '{') {
                    jws(s);
                    if (jstring(s) != 0)
                        return -1;
                    jws(s);
                    if (s->p >= s->end || *s->p != ':')
                        return -1;
                    s->p++;
                }
                if (jvalue(s) != 0)
                    return -1;
                jws(s);
                if (s->p < s->end && *s->p == ',') {
                    s->p++;
                    continue;
                }
                if (s->p < s->end && *s->p == close) {
                    s->p++;
                    break;
                }
                return -1;
            }
        }
    } else if (c == '"') {
        r = jstring(s);
    } else if (c == 't') {
        r = jlit(s, "true");
    } else if (c == 'f') {
        r = jlit(s, "false");
    } else if (c == 'n') {
        r = jlit(s, "null");
    } else {
        r = jnumber(s);
    }
    s->depth--;
    return r;
}

int sw_data_json_error_line(const char *text, size_t len)
{
    jscan s = { text, text + len, text, 0 };
    int bad = jvalue(&s) != 0;
    if (!bad) {
        jws(&s);
        bad = s.p < s.end;
    }
    if (!bad)
        return 0;
    int line = 1;
    for (const char *q = text; q < s.p && q < s.end; q++)
        line += *q == '\n';
    return line;
}

/* ---------------------------------------------------------------- files */

static char *read_file(const char *path, size_t *len, char *err, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, cap, "%s: cannot read the data file: %s", path, strerror(errno));
        return NULL;
    }
    sw_buf b;
    sw_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.n <= SW_DATA_MAX_BYTES)
        sw_buf_add(&b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad || b.n > SW_DATA_MAX_BYTES) {
        snprintf(err, cap, "%s: %s", path, bad ? "read error" : "data file larger than 1 GB");
        sw_buf_free(&b);
        return NULL;
    }
    char *out = sw_xmalloc(b.n + 1);
    memcpy(out, sw_buf_bytes(&b), b.n);
    out[b.n] = '\0';
    *len = b.n;
    sw_buf_free(&b);
    return out;
}

static int load_one(sw_data *d, const char *dir, char *err, size_t cap)
{
    char path[4096];
    if (dir && *dir && d->path[0] != '/')
        snprintf(path, sizeof path, "%s/%s", dir, d->path);
    else
        snprintf(path, sizeof path, "%s", d->path);
    size_t len = 0;
    char *text = read_file(path, &len, err, cap);
    if (!text)
        return -1;
    char why[256];
    int ret = 0;
    if (d->format == SW_DATA_CSV) {
        sw_val rows = SW_NULL;
        if (sw_data_parse_csv(text, len, &rows, why, sizeof why) != 0) {
            snprintf(err, cap, "%s:%s", path, why);
            ret = -1;
        } else {
            sw_set(&d->rows, rows);
        }
    } else {
        int line = sw_data_json_error_line(text, len);
        const char *reason = NULL;
        sw_val v = line ? SW_NULL : sw_json_parse_why(sw_strn(text, len), -1, &reason);
        if (line || reason) {
            snprintf(err, cap, "%s:%d: not valid JSON%s%s", path, line ? line : 1,
                     reason ? ": " : "", reason ? reason : "");
            ret = -1;
        } else if (!(v.t == SW_T_JSON && sw_json_kind(v.u.h) == SW_T_LIST)) {
            snprintf(err, cap, "%s:1: a JSON data file must hold a list (of rows)", path);
            ret = -1;
        } else {
            sw_set(&d->rows, sw_ref(v));
        }
        sw_unref(v);
    }
    free(text);
    return ret;
}

int sw_data_load_all(sw_script *script, const char *dir, char *err, size_t cap)
{
    for (int i = 0; script && i < script->ndata; i++) {
        sw_data *d = script->data[i];
        d->taken = 0;
        if (load_one(d, dir, err, cap) != 0)
            return -1;
        sw_logf(SW_LOG_DEBUG, "data %s: %lld rows from %s", d->name,
                (long long)nrows(d->rows), d->path);
    }
    return 0;
}

void sw_data_free_all(sw_script *script)
{
    for (int i = 0; script && i < script->ndata; i++)
        sw_set(&script->data[i]->rows, SW_NULL);
}
