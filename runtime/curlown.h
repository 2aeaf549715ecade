/*
 * curlown.h -- per-owner connections on curl's shared pool (http.c).
 *
 * curl reuses an idle connection only for a transfer with the same
 * connect-to host (CURLOPT_CONNECT_TO). Each sw_conn connects to its origin
 * through a name of its own, "c<id>.swarm.invalid", which CURLOPT_RESOLVE
 * maps to the origin's address (resolved by dns.c), so no two conns ever
 * share a connection, without a share object. The URL, Host header and TLS
 * name stay the origin's. Not for transfers through a proxy (the proxy
 * would have to resolve the private name): http.c does not call it then.
 *
 * Ownership: an sw_cown (inside its sw_conn) owns its lists and origin
 * text; sw_cown_free releases them, after the easy handle no longer uses
 * them (curl_easy_cleanup first).
 */
#ifndef SW_CURLOWN_H
#define SW_CURLOWN_H

#include <curl/curl.h>

#include "h1msg.h"

typedef struct sw_cown {
    unsigned long id;           /* names the private connect-to host, 0: none yet */
    char *origin;               /* "host:port" the lists below are for */
    struct curl_slist *to;      /* CURLOPT_CONNECT_TO */
    struct curl_slist *res;     /* CURLOPT_RESOLVE */
    int loaded;                 /* a transfer has loaded res into the DNS cache */
} sw_cown;

/* Points easy's next transfer, to u's origin, at o's private name (set up
 * anew when the origin changed). CURLE_OK also when the origin does not
 * resolve (curl then reports the failed look-up itself). */
CURLcode sw_cown_apply(sw_cown *o, CURL *easy, const sw_h1_url *u);

/* After a transfer on easy: the private name is in the (shared, never
 * expiring) DNS cache, so curl need not parse the list at every transfer. */
void sw_cown_loaded(sw_cown *o, CURL *easy);

void sw_cown_free(sw_cown *o);

#endif /* SW_CURLOWN_H */
