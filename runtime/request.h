/*
 * request.h -- requests and response values (request.c), internal seams.
 *
 * The public API (sw_req_*, sw_decide, sw_settle, sw_resp_header) is in
 * sw.h (sw_settle_error too: it is here, next to sw_settle); sw_resp_free /
 * sw_resp_field are in rt.h. This header adds the response decisions other
 * modules use, and a shutdown hook for the request pool.
 *
 * Ownership: the functions here BORROW their sw_val arguments (unlike sw.h).
 */
#ifndef SW_REQUEST_H
#define SW_REQUEST_H

#include "sw.h"

/* 1 when resp is a response that has not been decided (reported) yet. */
int sw_resp_undecided(sw_val resp);

/* Decide resp as a failure with message msg (copied) if it is undecided;
 * the reported duration runs from its issue until now. */
void sw_resp_fail(sw_val resp, const char *msg);

/* Frees the pool of idle request buffers (at process end; optional). */
void sw_req_shutdown(void);

#endif /* SW_REQUEST_H */
