/*
 * dns.c -- cached name resolution (see dns.h).
 */
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

#define SW_DNS_MAX_ADDRS 8          /* addresses kept per name */

typedef struct dns_entry {
    char *host;                     /* the name as asked (owned) */
    int port;                       /* the port the addresses carry */
    int n;                          /* addresses */
    sw_addr addrs[SW_DNS_MAX_ADDRS];
    struct dns_entry *next;
} dns_entry;

static dns_entry *cache;

static void set_port(sw_addr *a, int port)
{
    if (a->sa.ss_family == AF_INET)
        ((struct sockaddr_in *)&a->sa)->sin_port = htons((uint16_t)port);
    else if (a->sa.ss_family == AF_INET6)
        ((struct sockaddr_in6 *)&a->sa)->sin6_port = htons((uint16_t)port);
}

const sw_addr *sw_dns_lookup(const char *host, int port, int *n)
{
    *n = 0;
    if (!host || !*host)
        return NULL;
    for (dns_entry *e = cache; e; e = e->next) {
        if (strcmp(e->host, host) == 0) {
            if (e->port != port) {
                for (int i = 0; i < e->n; i++)
                    set_port(&e->addrs[i], port);
                e->port = port;
            }
            *n = e->n;
            return e->addrs;
        }
    }
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST;
    if (getaddrinfo(host, NULL, &hints, &res) != 0) {
        hints.ai_flags = AI_ADDRCONFIG;
        res = NULL;
        if (getaddrinfo(host, NULL, &hints, &res) != 0) {
            hints.ai_flags = 0;       /* e.g. ::1 on a host without IPv6 addresses */
            res = NULL;
            if (getaddrinfo(host, NULL, &hints, &res) != 0)
                return NULL;
        }
    }
    dns_entry *e = calloc(1, sizeof *e);
    if (!e || !(e->host = strdup(host))) {
        free(e);
        freeaddrinfo(res);
        return NULL;
    }
    for (struct addrinfo *ai = res; ai && e->n < SW_DNS_MAX_ADDRS; ai = ai->ai_next) {
        if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
            ai->ai_addrlen > sizeof e->addrs[0].sa)
            continue;
        memcpy(&e->addrs[e->n].sa, ai->ai_addr, ai->ai_addrlen);
        e->addrs[e->n].len = ai->ai_addrlen;
        set_port(&e->addrs[e->n], port);
        e->n++;
    }
    freeaddrinfo(res);
    if (e->n == 0) {
        free(e->host);
        free(e);
        return NULL;
    }
    e->port = port;
    e->next = cache;
    cache = e;
    *n = e->n;
    return e->addrs;
}

void sw_dns_clear(void)
{
    while (cache) {
        dns_entry *e = cache;
        cache = e->next;
        free(e->host);
        free(e);
    }
}
