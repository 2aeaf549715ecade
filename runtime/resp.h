/*
 * resp.h -- response values (resp.c): what a finished transfer becomes.
 *
 * request.c hands every finished transfer (after its redirects) here: as a
 * response value (sw_resp_new) when a script sees it, else reported
 * straight from the transfer result (sw_resp_report_result). The script
 * API on responses (sw_decide, sw_settle, sw_settle_error, sw_resp_header)
 * is in sw.h, sw_resp_free / sw_resp_field in rt.h.
 *
 * Reporting: a response is reported to the stats exactly once, at its
 * making when it has no block, else when decided; freed undecided, it is
 * counted as cancelled (cancelled.h) instead.
 *
 * Ownership: the functions here BORROW their sw_val arguments unless said
 * otherwise (unlike sw.h); the transfer result is borrowed and copied from.
 */
#ifndef SW_RESP_H
#define SW_RESP_H

#include "http.h"
#include "sw.h"

/* The transport error of a finished transfer, as every engine reports it:
 * the engine's own, or for a final 1xx status a message written into buf
 * (n bytes); NULL when there is none. */
const char *sw_resp_final_error(const sw_http_result *res, char *buf, size_t n);

/* Reports a transfer nobody sees (no slot, no block) by the default rule
 * (success without transport error and status < 400), straight from its
 * result, as a response value would be: duration from issue_ms to now_ms. */
void sw_resp_report_result(const sw_http_result *res, sw_method method, sw_val name,
                           double issue_ms, double now_ms);

/* A response value (owned, refcount 1) from res; name is CONSUMED; url
 * (url_len bytes) is the final URL. Without a block it is reported at once
 * by the default rule, else when decided. */
sw_val sw_resp_new(const sw_http_result *res, sw_method method, sw_val name,
                   const char *url, size_t url_len, double issue_ms, double now_ms,
                   int has_block);

/* 1 when resp is a response that has not been decided (reported) yet. */
int sw_resp_undecided(sw_val resp);

/* Decide resp as a failure with message msg (copied) if it is undecided;
 * the reported duration runs from its issue until now. */
void sw_resp_fail(sw_val resp, const char *msg);

#endif /* SW_RESP_H */
