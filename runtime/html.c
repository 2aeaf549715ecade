/*
 * html.c -- the self-contained HTML report: the web UI's page with every
 * file it loads inlined and the --json result embedded (see html.h).
 *
 * The page (runtime/page/index.html) loads its style sheet and two scripts
 * with four tags that this module finds by their exact text and replaces:
 *
 *   <title>Swarm</title>                      -> a CSP forbidding any network
 *                                                access, and the report's title
 *   <link rel="stylesheet" href="style.css">  -> <style>style.css</style>
 *   <script src="chart.min.js"></script>      -> <script>Chart.js</script>
 *   <script src="app.js"></script>            -> <script>window.SWARM_REPORT =
 *                                                JSON;</script><script>app.js</script>
 *
 * Each tag must appear exactly once; otherwise rendering fails rather than
 * produce a report that would quietly reach for the network.
 */
#include "html.h"
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>

#include "assets.h"

enum { TAG_TITLE, TAG_CSS, TAG_CHART, TAG_APP, NTAGS };

static const char *const tag_text[NTAGS] = {
    "<title>Swarm</title>",
    "<link rel=\"stylesheet\" href=\"style.css\">",
    "<script src=\"chart.min.js\"></script>",
    "<script src=\"app.js\"></script>",
};

static const char report_head[] =
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
    "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:\">\n"
    "<title>Swarm report</title>";

/* Find needle in hay[0..len): its offset, or -1. */
static long find(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle), i;
    if (n == 0 || n > len)
        return -1;
    for (i = 0; i + n <= len; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
            return (long)i;
    return -1;
}

/* Append text[0..len) as the content of a raw-text element (<script> or
 * <style>, named by elem): "</elem" (any case) becomes "<\/elem" and "<!--"
 * becomes "<\!--", so that the content can neither end the element nor
 * open a comment state in it. Both rewrites mean the same inside a JS or
 * CSS string. Returns 0 or -1. */
static int add_raw(struct evbuffer *out, const unsigned char *text, size_t len, const char *elem)
{
    size_t el = strlen(elem), start = 0, i;
    int rc = 0;
    for (i = 0; i < len; i++) {
        if (text[i] != '<')
            continue;
        int close = i + 2 + el <= len && text[i + 1] == '/' &&
                    strncasecmp((const char *)text + i + 2, elem, el) == 0;
        int comment = i + 4 <= len && memcmp(text + i + 1, "!--", 3) == 0;
        if (!close && !comment)
            continue;
        rc |= evbuffer_add(out, text + start, i + 1 - start);   /* up to '<' */
        rc |= evbuffer_add(out, "\\", 1);
        start = i + 1;
    }
    rc |= evbuffer_add(out, text + start, len - start);
    return rc ? -1 : 0;
}

/* Append JSON text with every '<' written as \u003c (a '<' can only be
 * inside a JSON string, where the escape means the same). Returns 0 or -1. */
static int add_json(struct evbuffer *out, const char *json, size_t len)
{
    size_t start = 0, i;
    int rc = 0;
    for (i = 0; i < len; i++) {
        if (json[i] != '<')
            continue;
        rc |= evbuffer_add(out, json + start, i - start);
        rc |= evbuffer_add(out, "\\u003c", 6);
        start = i + 1;
    }
    rc |= evbuffer_add(out, json + start, len - start);
    return rc ? -1 : 0;
}

/* Append the replacement of tag t. Returns 0 or -1. */
static int add_tag(struct evbuffer *out, int t, const sw_asset *css, const sw_asset *chart,
                   const sw_asset *app, const char *json, size_t jlen)
{
    int rc = 0;
    switch (t) {
    case TAG_TITLE:
        rc |= evbuffer_add(out, report_head, sizeof report_head - 1);
        break;
    case TAG_CSS:
        rc |= evbuffer_add(out, "<style>\n", 8);
        rc |= add_raw(out, css->data, css->len, "style");
        rc |= evbuffer_add(out, "\n</style>", 9);
        break;
    case TAG_CHART:
        rc |= evbuffer_add(out, "<script>\n", 9);
        rc |= add_raw(out, chart->data, chart->len, "script");
        rc |= evbuffer_add(out, "\n</script>", 10);
        break;
    default:
        rc |= evbuffer_add(out, "<script>window.SWARM_REPORT = ", 30);
        rc |= add_json(out, json, jlen);
        rc |= evbuffer_add(out, ";</script>\n<script>\n", 20);
        rc |= add_raw(out, app->data, app->len, "script");
        rc |= evbuffer_add(out, "\n</script>", 10);
        break;
    }
    return rc ? -1 : 0;
}

int sw_html_render(struct evbuffer *out, const char *json, size_t len)
{
    const sw_asset *page = sw_asset_find("/");
    const sw_asset *css = sw_asset_find("/style.css");
    const sw_asset *chart = sw_asset_find("/chart.min.js");
    const sw_asset *app = sw_asset_find("/app.js");
    long at[NTAGS];
    int t, order[NTAGS], n;

    if (!out || !json || len == 0 || !page || !css || !chart || !app)
        return -1;
    const char *text = (const char *)page->data;
    for (t = 0; t < NTAGS; t++) {
        at[t] = find(text, page->len, tag_text[t]);
        if (at[t] < 0)
            return -1;
        size_t after = (size_t)at[t] + strlen(tag_text[t]);
        if (find(text + after, page->len - after, tag_text[t]) >= 0)
            return -1;                          /* twice: ambiguous */
    }
    /* The tags in page order (insertion sort of four). */
    for (n = 0; n < NTAGS; n++) {
        int j = n;
        while (j > 0 && at[order[j - 1]] > at[n]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = n;
    }
    size_t pos = 0;
    for (n = 0; n < NTAGS; n++) {
        t = order[n];
        if ((size_t)at[t] < pos)
            return -1;                          /* overlapping tags */
        if (evbuffer_add(out, text + pos, (size_t)at[t] - pos) != 0 ||
            add_tag(out, t, css, chart, app, json, len) != 0)
            return -1;
        pos = (size_t)at[t] + strlen(tag_text[t]);
    }
    return evbuffer_add(out, text + pos, page->len - pos) == 0 ? 0 : -1;
}

/* The --json result of c and run as a malloc'd string; NULL when out of
 * memory. */
static char *result_json(const sw_export_ctx *c, const sw_export_run *run, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f)
        return NULL;
    sw_export_result(f, c, run);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int sw_html_report(struct evbuffer *out, const sw_export_ctx *c, const sw_export_run *run)
{
    size_t len = 0;
    char *json = result_json(c, run, &len);
    if (!json)
        return -1;
    int rc = sw_html_render(out, json, len);
    free(json);
    return rc;
}

static void evbuffer_body(FILE *f, const void *arg)
{
    struct evbuffer *buf = (struct evbuffer *)arg;
    size_t n = evbuffer_get_length(buf);
    if (n)
        fwrite(evbuffer_pullup(buf, -1), 1, n, f);   /* errors: ferror(f) */
}

int sw_html_write(const char *path, const sw_export_ctx *c, const sw_export_run *run)
{
    struct evbuffer *buf = evbuffer_new();
    int rc = -1, err = ENOMEM;
    if (!buf)
        goto done;
    if (sw_html_report(buf, c, run) != 0) {
        err = EINVAL;
        goto done;
    }
    rc = sw_file_write(path, NULL, evbuffer_body, buf);
    err = errno;
done:
    if (buf)
        evbuffer_free(buf);
    if (rc != 0)
        errno = err;
    return rc;
}
