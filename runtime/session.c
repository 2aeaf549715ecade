/*
 * session.c -- per-user HTTP sessions: cookie jar and default headers (see
 * session.h), and URL joining / re-quoting for redirects and interpolated
 * URLs.
 *
 * The jar is a small array (a user holds a handful of cookies); a cookie is
 * identified by (name, domain, path) as RFC 6265 section 5.3 says, a newer
 * one replaces an older one, and one that is already expired deletes it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "h1msg.h"
#include "session.h"

#define SW_SESS_MAX_COOKIES 300     /* per user; the oldest goes beyond this */

typedef struct sw_cookie {
    char *name, *value;             /* owned */
    char *domain;                   /* lower case, no leading dot (owned) */
    char *path;                     /* owned, starts with '/' */
    int host_only;                  /* no Domain attribute: exact host only */
    int secure;                     /* sent on https only */
    double expires;                 /* Unix s; 0: session cookie */
    unsigned long seq;              /* creation order */
} sw_cookie;

typedef struct sw_hdr {
    char *name, *value;             /* owned */
} sw_hdr;

struct sw_sess {
    sw_cookie *c;                   /* the jar */
    int nc, cc;                     /* used / allocated */
    sw_hdr *h;                      /* default headers, in setting order */
    int nh, ch;                     /* used / allocated */
    unsigned long seq;              /* next cookie's creation number */
};

sw_sess *sw_sess_new(void)
{
    sw_sess *s = sw_xmalloc(sizeof *s);
    memset(s, 0, sizeof *s);
    return s;
}

static void cookie_free(sw_cookie *c)
{
    free(c->name);
    free(c->value);
    free(c->domain);
    free(c->path);
}

void sw_sess_clear_cookies(sw_sess *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nc; i++)
        cookie_free(&s->c[i]);
    s->nc = 0;
}

void sw_sess_free(sw_sess *s)
{
    if (!s)
        return;
    sw_sess_clear_cookies(s);
    free(s->c);
    for (int i = 0; i < s->nh; i++) {
        free(s->h[i].name);
        free(s->h[i].value);
    }
    free(s->h);
    free(s);
}

int sw_sess_ncookies(const sw_sess *s)
{
    return s ? s->nc : 0;
}

static char *xstrndup(const char *p, size_t n)
{
    char *d = sw_xmalloc(n + 1);
    memcpy(d, p, n);
    d[n] = '\0';
    return d;
}

/* ------------------------------------------------------------- URLs */

/* The parts of an absolute URL: scheme, host (lower-cased into host, no
 * port, brackets kept off for IPv6) and the path (up to '?' or '#'). */
typedef struct url_parts {
    int https;                      /* scheme is https */
    char host[256];                 /* lower case */
    const char *path;               /* into the URL */
    size_t path_len;                /* 0: "/" */
} url_parts;

static int url_split(const char *url, url_parts *u)
{
    sw_h1_url h;
    memset(u, 0, sizeof *u);
    if (sw_h1_parse_url(url, &h) != 0)
        return -1;
    u->https = strcmp(h.scheme, "https") == 0;
    for (size_t i = 0; h.host[i]; i++)
        u->host[i] = (char)tolower((unsigned char)h.host[i]);
    u->path = h.path;
    u->path_len = *h.path == '/' ? strcspn(h.path, "?#") : 0;
    return 0;
}

static int is_ip(const char *host)
{
    return strchr(host, ':') != NULL || strspn(host, "0123456789.") == strlen(host);
}

/* RFC 6265 5.1.3 domain-match of a request host against a cookie domain. */
static int domain_match(const char *host, const char *dom)
{
    size_t hl = strlen(host), dl = strlen(dom);
    if (hl == dl)
        return strcmp(host, dom) == 0;
    return hl > dl && !is_ip(host) && host[hl - dl - 1] == '.' &&
           strcmp(host + hl - dl, dom) == 0;
}

/* RFC 6265 5.1.4 path-match. */
static int path_match(const char *rpath, size_t rlen, const char *cpath)
{
    size_t cl = strlen(cpath);
    if (rlen < cl || strncmp(rpath, cpath, cl) != 0)
        return 0;
    return rlen == cl || cpath[cl - 1] == '/' || rpath[cl] == '/';
}

void sw_url_requote(const char *s, size_t n, sw_buf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c && (isalnum(c) || strchr("-._~!#$&'()*+,/:;=?@[]", c))) {
            sw_buf_addc(out, (char)c);
        } else if (c == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
                   isxdigit((unsigned char)s[i + 2])) {
            sw_buf_addc(out, '%');
        } else {
            char e[3] = { '%', hex[c >> 4], hex[c & 15] };
            sw_buf_add(out, e, 3);
        }
    }
}

/* Appends path with "." and ".." segments removed (RFC 3986 5.2.4). */
static void add_clean_path(sw_buf *out, const char *p, size_t n)
{
    size_t start = out->n;
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && p[j] != '/')
            j++;
        const char *seg = p + i + 1;            /* p[i] == '/' */
        size_t sl = j - i - 1;
        if (sl == 1 && seg[0] == '.') {
            if (j == n)
                sw_buf_addc(out, '/');
        } else if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
            char *b = sw_buf_bytes(out);
            while (out->n > start && b[out->n - 1] != '/')
                out->n--;
            if (out->n > start)
                out->n--;
            if (j == n)
                sw_buf_addc(out, '/');
        } else {
            sw_buf_add(out, p + i, j - i);
        }
        i = j;
    }
    if (out->n == start)
        sw_buf_addc(out, '/');
}

void sw_url_join(const char *base, const char *ref, size_t rl, sw_buf *out)
{
    size_t i = 0;
    while (i < rl && (isalnum((unsigned char)ref[i]) || ref[i] == '+' || ref[i] == '-' ||
                      ref[i] == '.'))
        i++;
    if (i > 0 && i < rl && ref[i] == ':' && isalpha((unsigned char)ref[0])) {
        sw_buf_add(out, ref, rl);               /* absolute */
        return;
    }
    const char *sep = strstr(base, "://");
    size_t scheme_end = sep ? (size_t)(sep - base) + 3 : 0;
    size_t auth_end = scheme_end + strcspn(base + scheme_end, "/?#");
    if (rl >= 2 && ref[0] == '/' && ref[1] == '/') {
        sw_buf_add(out, base, scheme_end ? scheme_end - 2 : 0);
        sw_buf_add(out, ref, rl);
        return;
    }
    sw_buf_add(out, base, auth_end);
    const char *bpath = base + auth_end;
    size_t bplen = strcspn(bpath, "?#");
    if (rl == 0) {
        sw_buf_add(out, bpath, strcspn(bpath, "#"));
        return;
    }
    if (ref[0] == '?' || ref[0] == '#') {
        sw_buf_add(out, bpath, ref[0] == '?' ? bplen : strcspn(bpath, "#"));
        sw_buf_add(out, ref, rl);
        return;
    }
    size_t rpath = 0;
    while (rpath < rl && ref[rpath] != '?' && ref[rpath] != '#')
        rpath++;
    sw_buf tmp;
    sw_buf_init(&tmp);
    if (ref[0] == '/') {
        sw_buf_add(&tmp, ref, rpath);
    } else {
        size_t dir = bplen;
        while (dir > 0 && bpath[dir - 1] != '/')
            dir--;
        if (dir == 0)
            sw_buf_addc(&tmp, '/');
        else
            sw_buf_add(&tmp, bpath, dir);
        sw_buf_add(&tmp, ref, rpath);
    }
    add_clean_path(out, sw_buf_bytes(&tmp), tmp.n);
    sw_buf_free(&tmp);
    sw_buf_add(out, ref + rpath, rl - rpath);
}

/* ------------------------------------------------------- Set-Cookie */

static const char *skip_ws(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

static const char *trim_end(const char *p, const char *e)
{
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        e--;
    return e;
}

/* A cookie date (RFC 6265 5.1.1, tolerant): day, month name, year,
 * hh:mm:ss in any order. Returns Unix s, or -1. */
static double parse_date(const char *p, const char *e)
{
    static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
    int day = -1, mon = -1, year = -1, hh = -1, mi = 0, ss = 0;
    while (p < e) {
        while (p < e && !isalnum((unsigned char)*p) && *p != ':')
            p++;
        const char *t = p;
        while (p < e && (isalnum((unsigned char)*p) || *p == ':'))
            p++;
        size_t n = (size_t)(p - t);
        if (n == 0)
            break;
        if (hh < 0 && memchr(t, ':', n)) {
            if (sscanf(t, "%d:%d:%d", &hh, &mi, &ss) < 2)
                hh = -1;
        } else if (isdigit((unsigned char)t[0]) && (n == 1 || n == 2) && day < 0) {
            day = atoi(t);
        } else if (isdigit((unsigned char)t[0]) && (n == 2 || n == 4) && year < 0) {
            year = atoi(t);
        } else if (isalpha((unsigned char)t[0]) && n >= 3 && mon < 0) {
            for (int m = 0; m < 12; m++)
                if (strncasecmp(t, months + 3 * m, 3) == 0)
                    mon = m;
        }
    }
    if (year >= 0 && year < 70)
        year += 2000;
    else if (year >= 70 && year < 100)
        year += 1900;
    if (day < 1 || day > 31 || mon < 0 || year < 1601 || hh < 0 || hh > 23 ||
        mi > 59 || ss > 59)
        return -1;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = year - 1900;
    tm.tm_mon = mon;
    tm.tm_mday = day;
    tm.tm_hour = hh;
    tm.tm_min = mi;
    tm.tm_sec = ss;
    return (double)timegm(&tm);
}

/* The name=value pair of a Set-Cookie value [p, e): 0, or -1 when it has
 * no '=' or an empty name. */
static int cookie_pair(const char *p, const char *e, const char **n, size_t *nl,
                       const char **v, size_t *vl)
{
    const char *semi = memchr(p, ';', (size_t)(e - p));
    const char *pe = semi ? semi : e;
    const char *eq = memchr(p, '=', (size_t)(pe - p));
    if (!eq)
        return -1;
    const char *ns = skip_ws(p, eq), *ne = trim_end(ns, eq);
    const char *vs = skip_ws(eq + 1, pe), *ve = trim_end(vs, pe);
    if (ne == ns)
        return -1;
    if (ve - vs >= 2 && vs[0] == '"' && ve[-1] == '"') {
        vs++;
        ve--;
    }
    *n = ns;
    *nl = (size_t)(ne - ns);
    *v = vs;
    *vl = (size_t)(ve - vs);
    return 0;
}

static void jar_remove(sw_sess *s, int i)
{
    cookie_free(&s->c[i]);
    memmove(&s->c[i], &s->c[i + 1], (size_t)(s->nc - i - 1) * sizeof *s->c);
    s->nc--;
}

/* Stores one Set-Cookie value [p, e) received from u. */
static void absorb_one(sw_sess *s, const url_parts *u, const char *p, const char *e,
                       double now)
{
    const char *n, *v;
    size_t nl, vl;
    if (cookie_pair(p, e, &n, &nl, &v, &vl) != 0)
        return;
    sw_cookie c;
    memset(&c, 0, sizeof c);
    double max_age = 0, expires = 0;
    int have_max_age = 0, have_expires = 0;
    char *domain = NULL, *path = NULL;
    const char *a = memchr(p, ';', (size_t)(e - p));
    while (a && a < e) {
        const char *as = skip_ws(a + 1, e);
        const char *ae = memchr(as, ';', (size_t)(e - as));
        a = ae;
        if (!ae)
            ae = e;
        const char *eq = memchr(as, '=', (size_t)(ae - as));
        const char *ke = trim_end(as, eq ? eq : ae);
        const char *vs = eq ? skip_ws(eq + 1, ae) : ae, *ve = trim_end(vs, ae);
        size_t kl = (size_t)(ke - as);
#define KEY(k) (kl == sizeof(k) - 1 && strncasecmp(as, k, kl) == 0)
        if (KEY("max-age") && ve > vs) {
            char buf[32];
            size_t bl = (size_t)(ve - vs) < sizeof buf - 1 ? (size_t)(ve - vs) : sizeof buf - 1;
            memcpy(buf, vs, bl);
            buf[bl] = '\0';
            char *end;
            double x = strtod(buf, &end);
            if (*end == '\0' && (isdigit((unsigned char)buf[0]) || buf[0] == '-')) {
                max_age = x;
                have_max_age = 1;
            }
        } else if (KEY("expires")) {
            double t = parse_date(vs, ve);
            if (t >= 0) {
                expires = t;
                have_expires = 1;
            }
        } else if (KEY("domain") && ve > vs) {
            if (*vs == '.')
                vs++;
            free(domain);
            domain = xstrndup(vs, (size_t)(ve - vs));
            for (char *d = domain; *d; d++)
                *d = (char)tolower((unsigned char)*d);
        } else if (KEY("path")) {
            free(path);
            path = ve > vs && *vs == '/' ? xstrndup(vs, (size_t)(ve - vs)) : NULL;
        } else if (KEY("secure")) {
            c.secure = 1;
        }
#undef KEY
    }
    if (domain && *domain) {
        if (!domain_match(u->host, domain)) {   /* another site's cookie: refused */
            free(domain);
            free(path);
            return;
        }
        c.domain = domain;
    } else {
        free(domain);
        c.domain = xstrndup(u->host, strlen(u->host));
        c.host_only = 1;
    }
    if (!path) {                                /* default-path (5.1.4) */
        size_t dl = u->path_len;
        while (dl > 0 && u->path[dl - 1] != '/')
            dl--;
        if (dl > 1)
            dl--;                                /* up to, not including, the last '/' */
        path = dl >= 1 && u->path_len && u->path[0] == '/' ? xstrndup(u->path, dl)
                                                           : xstrndup("/", 1);
    }
    c.path = path;
    if (have_max_age)
        c.expires = max_age <= 0 ? -1 : now + max_age;
    else if (have_expires)
        c.expires = expires <= now ? -1 : expires;
    c.name = xstrndup(n, nl);
    c.value = xstrndup(v, vl);
    for (int i = 0; i < s->nc; i++)
        if (!strcmp(s->c[i].name, c.name) && !strcmp(s->c[i].domain, c.domain) &&
            !strcmp(s->c[i].path, c.path)) {
            jar_remove(s, i);
            break;
        }
    if (c.expires < 0) {                        /* expired: a deletion */
        cookie_free(&c);
        return;
    }
    if (s->nc >= SW_SESS_MAX_COOKIES)
        jar_remove(s, 0);
    if (s->nc == s->cc) {
        s->cc = s->cc ? 2 * s->cc : 8;
        s->c = sw_xrealloc(s->c, (size_t)s->cc * sizeof *s->c);
    }
    c.seq = s->seq++;
    s->c[s->nc++] = c;
}

/* Calls fn for the value of every Set-Cookie line of a header block. */
static void each_set_cookie(const char *h, size_t len,
                            void (*fn)(const char *v, const char *ve, void *arg), void *arg)
{
    const char *p = h, *end = h + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *next = eol ? eol + 1 : end;
        if (next - p > 11 && strncasecmp(p, "set-cookie:", 11) == 0) {
            const char *v = skip_ws(p + 11, next);
            fn(v, trim_end(v, next), arg);
        }
        p = next;
    }
}

struct absorb_arg {
    sw_sess *s;
    url_parts u;
    double now;
};

static void absorb_cb(const char *v, const char *ve, void *arg)
{
    struct absorb_arg *a = arg;
    absorb_one(a->s, &a->u, v, ve, a->now);
}

void sw_sess_absorb(sw_sess *s, const char *url, const char *hdrs, size_t len, double now)
{
    struct absorb_arg a;
    if (!s || !url || !hdrs || url_split(url, &a.u) != 0)
        return;
    a.s = s;
    a.now = now;
    each_set_cookie(hdrs, len, absorb_cb, &a);
}

static void set_cookies_cb(const char *v, const char *ve, void *arg)
{
    const char *n, *val;
    size_t nl, vl;
    if (cookie_pair(v, ve, &n, &nl, &val, &vl) == 0)
        sw_vobj_put(*(sw_val *)arg, sw_strn(n, nl), sw_strn(val, vl));
}

sw_val sw_sess_set_cookies(const char *hdrs, size_t len)
{
    sw_val o = sw_vobj_new(4);
    if (hdrs)
        each_set_cookie(hdrs, len, set_cookies_cb, &o);
    return o;
}

/* --------------------------------------------------------- requests */

const char *sw_sess_cookie(sw_sess *s, const char *name, double now)
{
    const char *best = NULL;
    unsigned long seq = 0;
    for (int i = 0; s && i < s->nc; i++) {
        sw_cookie *c = &s->c[i];
        if (strcmp(c->name, name) != 0 || (c->expires > 0 && c->expires <= now))
            continue;
        if (!best || c->seq > seq) {            /* the newest of that name */
            best = c->value;
            seq = c->seq;
        }
    }
    return best;
}

void sw_sess_set_header(sw_sess *s, const char *name, const char *value)
{
    if (!s || !name)
        return;
    for (int i = 0; i < s->nh; i++)
        if (strcasecmp(s->h[i].name, name) == 0) {
            free(s->h[i].value);
            if (value) {
                s->h[i].value = xstrndup(value, strlen(value));
            } else {
                free(s->h[i].name);
                memmove(&s->h[i], &s->h[i + 1], (size_t)(s->nh - i - 1) * sizeof *s->h);
                s->nh--;
            }
            return;
        }
    if (!value)
        return;
    if (s->nh == s->ch) {
        s->ch = s->ch ? 2 * s->ch : 4;
        s->h = sw_xrealloc(s->h, (size_t)s->ch * sizeof *s->h);
    }
    s->h[s->nh].name = xstrndup(name, strlen(name));
    s->h[s->nh].value = xstrndup(value, strlen(value));
    s->nh++;
}

/* Does one of the request's own lines set header `name`? */
static int own_has(const char *own, int nown, const char *name)
{
    size_t nl = strlen(name);
    for (int i = 0; i < nown; i++) {
        size_t ll = strlen(own);
        if (ll >= nl && strncasecmp(own, name, nl) == 0 && (own[nl] == ':' || own[nl] == ';'))
            return 1;
        own += ll + 1;
    }
    return 0;
}

static int by_path_len(const void *a, const void *b)
{
    const sw_cookie *x = *(const sw_cookie *const *)a, *y = *(const sw_cookie *const *)b;
    size_t xl = strlen(x->path), yl = strlen(y->path);
    if (xl != yl)
        return xl > yl ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int sw_sess_headers(sw_sess *s, const char *url, const char *own, int nown,
                    double now, sw_buf *out)
{
    int added = 0;
    if (!s)
        return 0;
    for (int i = 0; i < s->nh; i++) {
        if (own_has(own, nown, s->h[i].name))
            continue;
        sw_buf_add(out, s->h[i].name, strlen(s->h[i].name));
        if (*s->h[i].value) {
            sw_buf_add(out, ": ", 2);
            sw_buf_add(out, s->h[i].value, strlen(s->h[i].value));
        } else {
            sw_buf_addc(out, ';');              /* curl's way to send it empty */
        }
        sw_buf_addc(out, '\0');
        added++;
    }
    url_parts u;
    if (!s->nc || url_split(url, &u) != 0 || own_has(own, nown, "Cookie"))
        return added;
    const sw_cookie *pick[SW_SESS_MAX_COOKIES];
    int n = 0;
    for (int i = s->nc - 1; i >= 0; i--) {      /* drop the expired ones */
        if (s->c[i].expires > 0 && s->c[i].expires <= now)
            jar_remove(s, i);
    }
    for (int i = 0; i < s->nc; i++) {
        sw_cookie *c = &s->c[i];
        int dom = c->host_only ? strcmp(u.host, c->domain) == 0 : domain_match(u.host, c->domain);
        const char *rp = u.path_len ? u.path : "/";
        size_t rl = u.path_len ? u.path_len : 1;
        if (dom && path_match(rp, rl, c->path) && (!c->secure || u.https))
            pick[n++] = c;
    }
    if (!n)
        return added;
    qsort(pick, (size_t)n, sizeof pick[0], by_path_len);
    sw_buf_add(out, "Cookie: ", 8);
    for (int i = 0; i < n; i++) {
        if (i)
            sw_buf_add(out, "; ", 2);
        sw_buf_add(out, pick[i]->name, strlen(pick[i]->name));
        sw_buf_addc(out, '=');
        for (const char *v = pick[i]->value; *v; v++)
            sw_buf_addc(out, *v == '\r' || *v == '\n' ? ' ' : *v);
    }
    sw_buf_addc(out, '\0');
    return added + 1;
}

/* ------------------------------------------------- sw.h glue (issue 9) */

#include "rt.h"

void sw_header_set(sw_co *co, sw_val name, sw_val value)
{
    sw_val n = name.t == SW_T_STR ? name : sw_to_str(name);
    if (value.t == SW_T_NULL) {
        sw_sess_set_header(sw_co_sess(co), SW_AS_STR(n)->s, NULL);
    } else {
        sw_val v = value.t == SW_T_STR ? sw_ref(value) : sw_to_str(sw_ref(value));
        sw_sess_set_header(sw_co_sess(co), SW_AS_STR(n)->s, SW_AS_STR(v)->s);
        sw_unref(v);
    }
    sw_unref(n);
    sw_unref(value);
}

sw_val sw_b_cookie(sw_co *co, sw_val name)
{
    sw_val out = SW_NULL;
    if (name.t != SW_T_STR) {
        sw_raise("cookie() takes a string, got %s", sw_type_name(name));
    } else {
        const char *v = sw_sess_cookie(sw_co_sess(co), SW_AS_STR(name)->s, sw_wall());
        if (v)
            out = sw_cstr(v);
    }
    sw_unref(name);
    return out;
}

sw_val sw_b_clear_cookies(sw_co *co)
{
    sw_sess_clear_cookies(sw_co_sess(co));
    return SW_NULL;
}
