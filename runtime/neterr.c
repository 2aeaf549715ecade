/*
 * neterr.c -- the transport error messages (see neterr.h).
 */
#include <stdio.h>

#include "http.h"
#include "neterr.h"

const char *const sw_ne_methods[7] = {
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"
};

/* printf formats; %s is the host (or scheme), %d the port. */
static const char *const formats[SW_NE_COUNT] = {
    [SW_NE_BAD_URL] = "URL using bad/illegal format or missing URL",
    [SW_NE_PROTOCOL] = "Protocol \"%s\" not supported",
    [SW_NE_RESOLVE] = "Could not resolve host: %s",
    [SW_NE_CONNECT] = "Failed to connect to %s port %d: Couldn't connect to server",
    [SW_NE_TIMEOUT] = "Operation timed out",
    [SW_NE_CONNECT_TIMEOUT] = "Connection timed out",
    [SW_NE_SEND] = "Failure when sending data to the peer",
    [SW_NE_RECV] = "Failure when receiving data from the peer",
    [SW_NE_EMPTY] = "Empty reply from server",
    [SW_NE_WEIRD] = "Weird server reply",
    [SW_NE_PARTIAL] = "Transferred a partial file",
    [SW_NE_CHUNK] = "Bad chunked encoding in the response",
    [SW_NE_HEADERS_BIG] = SW_HTTP_ERR_HDR_TOO_LARGE,
    [SW_NE_BODY_BIG] = "response body larger than %d MB",
    [SW_NE_DECODE] = "Error while processing content unencoding",
    [SW_NE_UPGRADE] = "HTTP 101 Switching Protocols: protocol upgrades "
                      "(WebSocket, h2c) are not supported",
    [SW_NE_NOMEM] = "Out of memory",
    [SW_NE_EMFILE] = SW_HTTP_ERR_EMFILE,
};

char *sw_ne_format(char *buf, size_t n, sw_neterr e, const char *host, int port)
{
    if (!buf || n == 0)
        return buf;
    if ((int)e < 0 || e >= SW_NE_COUNT) {
        snprintf(buf, n, "request failed");
        return buf;
    }
    const char *h = host && *host ? host : "?";
    switch (e) {
    case SW_NE_PROTOCOL:
    case SW_NE_RESOLVE:
        snprintf(buf, n, formats[e], h);
        break;
    case SW_NE_CONNECT:
        if (port > 0)
            snprintf(buf, n, formats[e], h, port);
        else
            snprintf(buf, n, "Failed to connect to %s: Couldn't connect to server", h);
        break;
    case SW_NE_BODY_BIG:
        snprintf(buf, n, formats[e], (int)(SW_NE_BODY_MAX >> 20));
        break;
    default:
        snprintf(buf, n, "%s", formats[e]);
        break;
    }
    return buf;
}
