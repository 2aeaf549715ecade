/*
 * sess_routes.h -- the demo target's session routes (issue 9): a login form
 * with a hidden CSRF field and a CSRF cookie, a login that sets a session
 * cookie and redirects, a cookie-protected page, a header/URI echo and a
 * cookie setter, with their own counters (GET /s/__stats).
 */
#ifndef SESS_ROUTES_H
#define SESS_ROUTES_H

#include <event2/http.h>

/* Answer req when path is one of the /s/ routes; 1 when answered, else 0.
 * post: the method is POST. */
int sess_route(struct evhttp_request *req, const char *path, int post);

#endif /* SESS_ROUTES_H */
