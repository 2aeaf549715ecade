/*
 * test_html.c -- the embedded assets (scripts/embed.sh's output) and the
 * self-contained HTML report (html.c): every asset is served at its path
 * with its bytes, the report inlines everything the page loads, embeds the
 * result JSON, and nothing embedded can close its <script> element.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "assets.h"
#include "check.h"
#include "export.h"
#include "html.h"

/* Occurrences of needle in hay (non-overlapping). */
static int count(const char *hay, const char *needle)
{
    int n = 0;
    size_t l = strlen(needle);
    for (const char *p = strstr(hay, needle); p; p = strstr(p + l, needle))
        n++;
    return n;
}

/* The evbuffer's bytes as a NUL-terminated malloc'd string. */
static char *drain(struct evbuffer *b)
{
    size_t n = evbuffer_get_length(b);
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    evbuffer_remove(b, s, n);
    s[n] = '\0';
    return s;
}

static void test_assets(void)
{
    const sw_asset *page = sw_asset_find("/");
    CHECK(page != NULL, "index.html is served at /");
    CHECK(page && strstr(page->type, "text/html") != NULL, "/ is text/html");
    CHECK(page && page->len > 100 && page->data[page->len] == '\0',
          "/ holds the page's bytes, NUL-terminated after len");
    CHECK(page && memcmp(page->data, "<!DOCTYPE html>", 15) == 0, "/ starts with the doctype");
    const sw_asset *app = sw_asset_find("/app.js");
    CHECK(app && strstr(app->type, "javascript") != NULL, "app.js is served as JavaScript");
    const sw_asset *css = sw_asset_find("/style.css");
    CHECK(css && strstr(css->type, "text/css") != NULL, "style.css is served as text/css");
    const sw_asset *chart = sw_asset_find("/chart.min.js");
    CHECK(chart && chart->len > 100000 && strstr((const char *)chart->data, "Chart.js") != NULL,
          "Chart.js is embedded at /chart.min.js (%zu bytes)", chart ? chart->len : (size_t)0);
    CHECK(sw_asset_find("/index.html") == NULL && sw_asset_find("/nope") == NULL &&
          sw_asset_find("") == NULL && sw_asset_find(NULL) == NULL,
          "unknown paths find nothing");
    CHECK(sw_nassets >= 4, "at least four assets (%zu)", sw_nassets);
    for (size_t i = 0; i < sw_nassets; i++)
        CHECK(sw_asset_find(sw_assets[i].path) == &sw_assets[i] &&
              strlen((const char *)sw_assets[i].data) <= sw_assets[i].len,
              "asset %s is found at its own path", sw_assets[i].path);
}

static void test_render(void)
{
    const char *json = "{\"script\":\"</script><script>alert(1)</script><!-- x\",\"n\":1}";
    struct evbuffer *b = evbuffer_new();
    int rc = sw_html_render(b, json, strlen(json));
    char *s = drain(b);
    CHECK(rc == 0 && s, "the report renders");
    if (!s) {
        evbuffer_free(b);
        return;
    }
    const sw_asset *chart = sw_asset_find("/chart.min.js");
    CHECK(strstr(s, "window.SWARM_REPORT = {\"script\":\"\\u003c/script>\\u003cscript>alert(1)"
                    "\\u003c/script>\\u003c!-- x\",\"n\":1};</script>") != NULL,
          "the JSON is embedded with every '<' escaped");
    CHECK(count(s, "</script>") == 3 && count(s, "<script>") == 3,
          "exactly three script elements, none closed early (%d opened, %d closed)",
          count(s, "<script>"), count(s, "</script>"));
    CHECK(strstr(s, "src=\"") == NULL && strstr(s, "<link rel=\"stylesheet") == NULL && strstr(s, "href=\"http") == NULL,
          "nothing is loaded from elsewhere (no src=, no <link>)");
    CHECK(strstr(s, "Content-Security-Policy") != NULL && strstr(s, "default-src 'none'") != NULL,
          "a CSP forbids network access");
    CHECK(strstr(s, "<title>Swarm report</title>") != NULL, "the report has its own title");
    CHECK(count(s, "<style>") == 1 && strstr(s, ".grid") != NULL, "the style sheet is inlined");
    CHECK(chart && strlen(s) > chart->len && strstr(s, "Chart.js v") != NULL,
          "Chart.js is inlined");
    CHECK(strstr(s, "swarmCharts") != NULL, "app.js is inlined");
    CHECK(strstr(s, "<!--") == strstr(s, "<!--\n  Swarm's web UI"),
          "no comment opens inside the inlined text");
    CHECK(strstr(s, "</body>\n</html>") != NULL, "the page is complete");
    free(s);

    CHECK(sw_html_render(b, "", 0) == -1 && evbuffer_get_length(b) == 0,
          "an empty document is refused and nothing is written");
    CHECK(sw_html_render(NULL, json, strlen(json)) == -1, "no buffer: refused");
    evbuffer_free(b);
}

static void test_write(void)
{
    sw_stats *st = sw_stats_new();
    double now = 1795760000.0;
    sw_stats_mark_start(st, now - 10);
    for (int i = 0; i < 50; i++)
        sw_stats_request(st, "GET", "/things/{id}", 1000u + 100u * (uint64_t)i, 52, NULL, now - 5);
    sw_stats_request(st, "POST", "/things", 3000, 10, "HTTP 500 Internal Server Error", now - 4);
    sw_stats_exception(st, "boom </script>", "t.swarm:3:5");
    sw_export_ctx c = { .stats = st, .history = NULL, .state = "stopped", .user_count = 0, .now_s = now };
    sw_export_run run = { .opts = NULL, .script = "t.swarm", .host = "http://127.0.0.1:1",
                          .start_time = now - 10, .end_time = now };

    char path[64];
    snprintf(path, sizeof path, "/tmp/swarm-test-html-%ld.html", (long)getpid());
    int rc = sw_html_write(path, &c, &run);
    CHECK(rc == 0, "sw_html_write writes %s", path);
    FILE *f = fopen(path, "rb");
    char *s = NULL;
    long n = 0;
    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (s = malloc((size_t)n + 1)) && fread(s, 1, (size_t)n, f) == (size_t)n)
        s[n] = '\0';
    else {
        free(s);
        s = NULL;
    }
    if (f)
        fclose(f);
    CHECK(s && strstr(s, "window.SWARM_REPORT = {") != NULL, "the file embeds the result");
    CHECK(s && strstr(s, "\"/things/{id}\"") && strstr(s, "\"Aggregated\"") &&
          strstr(s, "HTTP 500 Internal Server Error"),
          "the result holds the entries, the aggregate and the failure");
    CHECK(s && strstr(s, "boom \\u003c/script>") != NULL && count(s, "</script>") == 3,
          "an exception message cannot end the script element");
    char tmpname[96];
    snprintf(tmpname, sizeof tmpname, "%s.tmp%ld", path, (long)getpid());
    CHECK(access(tmpname, F_OK) != 0, "no temporary file is left behind");
    free(s);
    unlink(path);

    errno = 0;
    rc = sw_html_write("/nonexistent-dir-swarm/r.html", &c, &run);
    CHECK(rc == -1 && errno == ENOENT, "an unwritable path fails with errno (%d)", errno);
    CHECK(sw_html_write("", &c, &run) == -1 && errno == EINVAL, "an empty path is refused");

    struct evbuffer *b = evbuffer_new();
    CHECK(sw_html_report(b, &c, &run) == 0 && evbuffer_get_length(b) > 200000,
          "sw_html_report appends the report to an evbuffer");
    evbuffer_free(b);
    sw_stats_free(st);
}

int main(void)
{
    test_assets();
    test_render();
    test_write();
    return CHECK_DONE();
}
