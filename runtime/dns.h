/*
 * dns.h -- cached name resolution for the native HTTP engine (h1.c).
 *
 * One process-wide cache of host -> addresses, kept for the whole run (as
 * curl's DNS cache is configured in http.c: entries never expire). Numeric
 * addresses (127.0.0.1, ::1) are converted without any look-up; a name is
 * resolved once, with the system resolver (getaddrinfo, blocking: /etc/hosts
 * or the configured DNS servers), at its first use. A failed look-up is not
 * cached.
 *
 * Ownership: the returned list belongs to the cache and stays valid until
 * sw_dns_clear (at process end).
 */
#ifndef SW_DNS_H
#define SW_DNS_H

#include <stddef.h>
#include <sys/socket.h>

typedef struct sw_addr {
    struct sockaddr_storage sa; /* address with the port filled in */
    socklen_t len;              /* bytes of sa */
} sw_addr;

/* The addresses of host (no brackets for IPv6) with port set, in the
 * resolver's order; *n receives their number. NULL when host cannot be
 * resolved. */
const sw_addr *sw_dns_lookup(const char *host, int port, int *n);

/* Forgets every cached entry. */
void sw_dns_clear(void);

#endif /* SW_DNS_H */
