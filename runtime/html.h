/*
 * html.h -- the self-contained HTML report (--html FILE, GET /stats/report).
 *
 * The report is the web UI's own page (runtime/page/index.html, embedded by
 * scripts/embed.sh) with its style sheet, Chart.js and app.js inlined and the
 * --json result document (export.h's sw_export_result) embedded as
 * `<script>window.SWARM_REPORT = {...};</script>`. app.js sees SWARM_REPORT
 * and draws the final tables and charts from it, making no request; a
 * Content-Security-Policy in the report forbids any network access anyway.
 * Embedded text is escaped so that nothing in it can close its <script> or
 * <style> element ("<" in the JSON becomes \u003c; "</script" in the
 * scripts becomes "<\/script").
 *
 * Ownership: everything read is borrowed; output goes to the caller's
 * evbuffer or file.
 */
#ifndef SW_HTML_H
#define SW_HTML_H

#include <stddef.h>

#include "export.h"

struct evbuffer;

/* Append the report page embedding the JSON text json[0..len) to out. The
 * JSON is not checked, only escaped. Returns 0, or -1 when an embedded asset
 * is missing or lacks one of the tags it replaces (nothing useful was
 * written then) or out of memory. */
int sw_html_render(struct evbuffer *out, const char *json, size_t len);

/* Append the report of the run described by c and run to out (GET
 * /stats/report: the run so far). Returns 0 or -1 as sw_html_render. */
int sw_html_report(struct evbuffer *out, const sw_export_ctx *c, const sw_export_run *run);

/* Write the report to path (--html FILE), through a temporary file renamed
 * into place. Returns 0, or -1 with errno set. */
int sw_html_write(const char *path, const sw_export_ctx *c, const sw_export_run *run);

#endif /* SW_HTML_H */
