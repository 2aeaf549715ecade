/*
 * session.h -- a user's HTTP session, independent of the HTTP engine: the
 * cookie jar (RFC 6265 storage and matching: domain, host-only, path,
 * secure, Expires/Max-Age) and the default headers set by `header NAME =
 * EXPR`. Also the URL helpers an engine-independent redirect loop needs.
 *
 * An engine (request.c over curl, or a native one) talks to a session
 * through two calls only:
 *   sw_sess_headers  the header lines to add to a request for a URL
 *                    (default headers the request does not set itself, and
 *                    one Cookie line);
 *   sw_sess_absorb   store the Set-Cookie lines of a response to a URL.
 *
 * Ownership: whoever makes an sw_sess with sw_sess_new frees it with
 * sw_sess_free (user.c: one per user, freed when the user goes; co.c: one
 * for the test hooks). Strings passed in are copied; strings returned are
 * borrowed from the session until its next change.
 */
#ifndef SW_SESSION_H
#define SW_SESSION_H

#include <stddef.h>
#include "value.h"

typedef struct sw_sess sw_sess;

sw_sess *sw_sess_new(void);
void sw_sess_free(sw_sess *s);          /* NULL is fine */

/* Appends to out, as NUL-terminated "Name: value" lines, the default
 * headers whose name is not among the request's own lines (own: nown lines,
 * each NUL-terminated, back to back), then "Cookie: a=1; b=2" with the jar's
 * cookies for url (longest path first) unless the request sets Cookie
 * itself. now: wall clock (Unix s). Returns the number of lines added. */
int sw_sess_headers(sw_sess *s, const char *url, const char *own, int nown,
                    double now, sw_buf *out);

/* Stores every "Set-Cookie:" line of a response header block (lines
 * "Name: value\r\n") received from url. now: wall clock (Unix s). */
void sw_sess_absorb(sw_sess *s, const char *url, const char *hdrs, size_t len,
                    double now);

/* The value of the cookie `name` in the jar (any domain/path, unexpired),
 * or NULL. */
const char *sw_sess_cookie(sw_sess *s, const char *name, double now);
/* Empties the jar (default headers stay). */
void sw_sess_clear_cookies(sw_sess *s);
/* Sets (value != NULL) or removes (NULL) a default header. */
void sw_sess_set_header(sw_sess *s, const char *name, const char *value);
/* Number of cookies stored (tests). */
int sw_sess_ncookies(const sw_sess *s);

/* An object value {name: value} of the cookies the Set-Cookie lines of a
 * header block set (r.cookies). */
sw_val sw_sess_set_cookies(const char *hdrs, size_t len);

/* Appends to out the URL `ref` (a Location header) resolved against the
 * absolute URL base (RFC 3986: absolute, //authority, /path, ?query,
 * relative path with . and .. segments). */
void sw_url_join(const char *base, const char *ref, size_t reflen, sw_buf *out);
/* Appends s to out with every byte that may not appear in a URL
 * percent-encoded, as python-requests' requote_uri does: unreserved and
 * reserved characters stay, '%' stays when two hex digits follow. */
void sw_url_requote(const char *s, size_t n, sw_buf *out);

#endif /* SW_SESSION_H */
