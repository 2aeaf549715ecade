/*
 * test_session.c -- session.c: cookie storage and matching (host-only and
 * Domain cookies, default path and Path, Secure, Max-Age / Expires and
 * deletion, the newest value wins), default headers and how the request's
 * own headers override them, r.cookies, URL joining for redirects and
 * requests-style re-quoting.
 */
#include <string.h>

#include "check.h"
#include "session.h"
#include "values.h"

/* The lines sw_sess_headers adds for url, joined with '|'. */
static const char *lines_for(sw_sess *s, const char *url, const char *own, int nown,
                             double now)
{
    static char out[1024];
    sw_buf b;
    sw_buf_init(&b);
    int n = sw_sess_headers(s, url, own, nown, now, &b);
    const char *p = sw_buf_bytes(&b);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(out, "|");
        strncat(out, p, sizeof out - strlen(out) - 2);
        p += strlen(p) + 1;
    }
    sw_buf_free(&b);
    return out;
}

#define HDR(s) s, sizeof(s) - 1

static void test_cookies(void)
{
    sw_sess *s = sw_sess_new();
    double now = 1.7e9;             /* 2023 */
    sw_sess_absorb(s, "http://shop.example.com/a/b/login",
                   HDR("Content-Type: text/html\r\n"
                       "Set-Cookie: sid=abc; Path=/; HttpOnly\r\n"
                       "set-cookie: pre=t1\r\n"
                       "Set-Cookie: wide=1; Domain=.example.com; Path=/\r\n"
                       "Set-Cookie: evil=1; Domain=other.org\r\n"
                       "Set-Cookie: sec=1; Secure; Path=/\r\n"
                       "Set-Cookie: noeq\r\n"), now);
    CHECK(sw_sess_ncookies(s) == 4, "4 cookies stored (another site's Domain and a bad line refused)");
    CHECK(!strcmp(lines_for(s, "http://shop.example.com/a/b/x", "", 0, now),
                  "Cookie: pre=t1; sid=abc; wide=1"),
          "longest path first; Secure not sent over http (%s)",
          lines_for(s, "http://shop.example.com/a/b/x", "", 0, now));
    CHECK(!strcmp(lines_for(s, "https://shop.example.com/", "", 0, now),
                  "Cookie: sid=abc; wide=1; sec=1"),
          "default path /a/b is not sent to /, Secure sent over https (%s)",
          lines_for(s, "https://shop.example.com/", "", 0, now));
    CHECK(!strcmp(lines_for(s, "http://api.example.com/", "", 0, now), "Cookie: wide=1"),
          "a Domain cookie goes to subdomains, a host-only one does not");
    CHECK(!strcmp(lines_for(s, "http://example.org/", "", 0, now), ""), "nothing to another site");
    CHECK(!strcmp(lines_for(s, "http://shop.example.com/a/bc", "", 0, now),
                  "Cookie: sid=abc; wide=1"), "path /a/b does not match /a/bc");
    CHECK(!strcmp(lines_for(s, "http://shop.example.com/", "Cookie: mine=1", 1, now), ""),
          "the request's own Cookie header wins");
    CHECK(!strcmp(sw_sess_cookie(s, "sid", now), "abc"), "cookie(\"sid\")");
    CHECK(sw_sess_cookie(s, "nope", now) == NULL, "cookie of an unknown name is NULL");

    sw_sess_absorb(s, "http://shop.example.com/", HDR("Set-Cookie: sid=new; Path=/\r\n"), now);
    CHECK(!strcmp(sw_sess_cookie(s, "sid", now), "new") && sw_sess_ncookies(s) == 4,
          "same name, domain and path: replaced");
    sw_sess_absorb(s, "http://shop.example.com/", HDR("Set-Cookie: sid=; Max-Age=0; Path=/\r\n"),
                   now);
    CHECK(sw_sess_cookie(s, "sid", now) == NULL && sw_sess_ncookies(s) == 3,
          "Max-Age=0 deletes");
    sw_sess_absorb(s, "http://shop.example.com/",
                   HDR("Set-Cookie: t=1; Max-Age=10\r\n"
                       "Set-Cookie: old=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT\r\n"
                       "Set-Cookie: fut=1; Expires=Fri, 01-Jan-2100 00:00:00 GMT\r\n"), now);
    CHECK(sw_sess_cookie(s, "t", now + 9) != NULL, "Max-Age=10 alive after 9 s");
    CHECK(sw_sess_cookie(s, "t", now + 11) == NULL, "and gone after 11 s");
    CHECK(sw_sess_cookie(s, "old", now) == NULL, "an Expires in the past is not stored");
    CHECK(sw_sess_cookie(s, "fut", now) != NULL, "an Expires in the future is");
    sw_sess_clear_cookies(s);
    CHECK(sw_sess_ncookies(s) == 0, "clear_cookies empties the jar");
    sw_sess_free(s);
}

static void test_headers(void)
{
    sw_sess *s = sw_sess_new();
    sw_sess_set_header(s, "X-Client", "swarm/1");
    sw_sess_set_header(s, "Authorization", "Bearer t");
    CHECK(!strcmp(lines_for(s, "http://h/", "", 0, 0), "X-Client: swarm/1|Authorization: Bearer t"),
          "default headers in setting order");
    CHECK(!strcmp(lines_for(s, "http://h/", "authorization: other", 1, 0), "X-Client: swarm/1"),
          "the request's own header (any case) overrides the default");
    sw_sess_set_header(s, "x-client", "swarm/2");
    CHECK(!strcmp(lines_for(s, "http://h/", "", 0, 0), "X-Client: swarm/2|Authorization: Bearer t"),
          "setting again (any case) replaces");
    sw_sess_set_header(s, "X-CLIENT", NULL);
    CHECK(!strcmp(lines_for(s, "http://h/", "", 0, 0), "Authorization: Bearer t"), "null removes");
    sw_sess_free(s);
}

static void test_set_cookies_value(void)
{
    sw_val o = sw_sess_set_cookies(HDR("Set-Cookie: a=1; Path=/\r\nX: y\r\nSet-Cookie: b=\"q\"\r\n"));
    CHECK(is_str(sw_b_str(o), "{\"a\":\"1\",\"b\":\"q\"}"), "r.cookies is {name: value}");
}

static const char *join(const char *base, const char *ref)
{
    static char out[512];
    sw_buf b;
    sw_buf_init(&b);
    sw_url_join(base, ref, strlen(ref), &b);
    snprintf(out, sizeof out, "%s", sw_buf_bytes(&b));
    sw_buf_free(&b);
    return out;
}

static const char *requote(const char *s)
{
    static char out[512];
    sw_buf b;
    sw_buf_init(&b);
    sw_url_requote(s, strlen(s), &b);
    snprintf(out, sizeof out, "%s", sw_buf_bytes(&b));
    sw_buf_free(&b);
    return out;
}

static void test_urls(void)
{
    const char *base = "http://h:8/a/b/c?x=1";
    CHECK(!strcmp(join(base, "https://o/p"), "https://o/p"), "absolute Location");
    CHECK(!strcmp(join(base, "//o/p"), "http://o/p"), "scheme-relative");
    CHECK(!strcmp(join(base, "/home"), "http://h:8/home"), "absolute path");
    CHECK(!strcmp(join(base, "d"), "http://h:8/a/b/d"), "relative path");
    CHECK(!strcmp(join(base, "../d?y=2"), "http://h:8/a/d?y=2"), "dot-dot and a query");
    CHECK(!strcmp(join(base, "?y=2"), "http://h:8/a/b/c?y=2"), "query only");
    CHECK(!strcmp(join("http://h", "x"), "http://h/x"), "relative to a bare host");
    CHECK(!strcmp(requote("/p/new york?q=a b&c=%41%zz"), "/p/new%20york?q=a%20b&c=%41%25zz"),
          "spaces and a bad %% encoded, a good escape kept (%s)", requote("/p/new york?q=a b&c=%41%zz"));
    CHECK(!strcmp(requote("/caf\xc3\xa9\"<>"), "/caf%C3%A9%22%3C%3E"), "non-ASCII and quotes encoded");
}

int main(void)
{
    test_cookies();
    test_headers();
    test_set_cookies_value();
    test_urls();
    return CHECK_DONE();
}
