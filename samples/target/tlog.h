/*
 * tlog.h -- what the demo target knows of its own delays (issue 10's ground
 * truth): for every counted request, when it arrived and when its response
 * was sent (monotonic ms since the target started), and a stall switch that
 * holds every request arriving before a moment until that moment.
 *
 *   POST /__stall/{ms}   hold every request arriving in the next ms ms
 *   GET  /__log          {"now_ms": ..., "records": [[arrive_ms, send_ms, "uri"], ...]}
 *
 * Ownership: one process-wide log inside tlog.c (tl_free releases it);
 * strings passed in are copied.
 */
#ifndef TLOG_H
#define TLOG_H

struct evbuffer;

/* Record one answered request. Returns 0 or -1 (out of memory: dropped). */
int tl_record(const char *uri, double arrive_ms, double send_ms);
void tl_json(struct evbuffer *out, double now_ms);
void tl_reset(void);
void tl_free(void);

/* Stall: requests arriving before until_ms are held until then. */
void tl_stall(double until_ms);
/* How long a request arriving at now_ms must wait (0: none). */
double tl_stall_left(double now_ms);

#endif /* TLOG_H */
