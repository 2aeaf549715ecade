/*
 * curlown.c -- per-owner connections on curl's shared pool (see curlown.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <curl/curl.h>

#include "curlown.h"
#include "dns.h"

CURLcode sw_cown_apply(sw_cown *o, CURL *easy, const sw_h1_url *u)
{
    static unsigned long next_id;
    char origin[320], name[64], line[400], addr[INET6_ADDRSTRLEN + 2];
    snprintf(origin, sizeof origin, "%s:%d", u->host, u->port);
    if (o->origin && strcmp(o->origin, origin) == 0)
        return CURLE_OK;
    int n = 0;
    const sw_addr *as = sw_dns_lookup(u->host, u->port, &n);
    if (!as)
        return CURLE_OK;        /* curl reports the failed look-up itself */
    const void *ip = as[0].sa.ss_family == AF_INET6
        ? (const void *)&((const struct sockaddr_in6 *)&as[0].sa)->sin6_addr
        : (const void *)&((const struct sockaddr_in *)&as[0].sa)->sin_addr;
    char *a = addr + (as[0].sa.ss_family == AF_INET6);
    if (!inet_ntop(as[0].sa.ss_family, ip, a, INET6_ADDRSTRLEN))
        return CURLE_OK;
    if (as[0].sa.ss_family == AF_INET6) {
        addr[0] = '[';
        strcat(addr, "]");
    }
    if (!o->id)
        o->id = ++next_id;
    snprintf(name, sizeof name, "c%lu.swarm.invalid", o->id);
    curl_slist_free_all(o->to);
    curl_slist_free_all(o->res);
    free(o->origin);
    snprintf(line, sizeof line, "::%s:", name);
    o->to = curl_slist_append(NULL, line);
    snprintf(line, sizeof line, "%s:%d:%s", name, u->port, addr);
    o->res = curl_slist_append(NULL, line);
    o->origin = strdup(origin);
    if (!o->to || !o->res || !o->origin) {    /* easy must not keep freed lists */
        curl_easy_setopt(easy, CURLOPT_CONNECT_TO, (struct curl_slist *)NULL);
        curl_easy_setopt(easy, CURLOPT_RESOLVE, (struct curl_slist *)NULL);
        sw_cown_free(o);
        return CURLE_OUT_OF_MEMORY;
    }
    CURLcode rc = curl_easy_setopt(easy, CURLOPT_CONNECT_TO, o->to);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(easy, CURLOPT_RESOLVE, o->res);
    o->loaded = 0;
    return rc;
}

void sw_cown_loaded(sw_cown *o, CURL *easy)
{
    if (o->res && !o->loaded) {
        curl_easy_setopt(easy, CURLOPT_RESOLVE, (struct curl_slist *)NULL);
        o->loaded = 1;
    }
}

void sw_cown_free(sw_cown *o)
{
    curl_slist_free_all(o->to);
    curl_slist_free_all(o->res);
    free(o->origin);
    memset(o, 0, sizeof *o);
}
