/*
 * request.h -- requests (request.c), internal seams.
 *
 * The public API (sw_req_*) is in sw.h; response values are resp.h's. This
 * header adds a shutdown hook for the request pool.
 */
#ifndef SW_REQUEST_H
#define SW_REQUEST_H

#include "sw.h"

/* Frees the pool of idle request buffers (at process end; optional). */
void sw_req_shutdown(void);

#endif /* SW_REQUEST_H */
