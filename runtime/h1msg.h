/*
 * h1msg.h -- HTTP/1.1 messages for the native engine (h1.c), without any
 * socket: URL splitting, the request head writer, and the response reader
 * (joyent's http_parser, as wrk uses: a small, allocation-free, callback
 * parser kept in Debian; zlib inflates gzip/deflate bodies). Being pure, the
 * reader is what tests/fuzz feeds with arbitrary bytes.
 *
 * Ownership: a sw_h1m_resp owns its header and body buffers and inflater
 * (sw_h1m_free releases them); sw_h1_url points into the URL it split.
 */
#ifndef SW_H1MSG_H
#define SW_H1MSG_H

#include <stddef.h>
#include <http_parser.h>

#include "neterr.h"
#include "xbuf.h"

#define SW_H1M_KEEP 4096u       /* larger buffers are freed between responses */

/* ---- URLs ---- */
typedef struct sw_h1_url {
    char scheme[16];            /* lower-cased, e.g. "http" */
    char host[256];             /* without brackets */
    int port;                   /* explicit or the scheme's default */
    int ipv6;                   /* host was bracketed */
    const char *user;           /* userinfo start in the URL, or NULL */
    size_t user_len;            /* bytes of userinfo (before '@') */
    const char *authority;      /* host[:port] as written (after userinfo) */
    size_t authority_len;
    const char *path;           /* path and query, "" when absent */
    size_t path_len;            /* up to '#' or the end */
} sw_h1_url;

/* Splits an absolute URL. 0, or -1 when it is malformed (no scheme, empty
 * host, bad port, spaces or control bytes). */
int sw_h1_parse_url(const char *url, sw_h1_url *u);

/* ---- the request head ----
 * "METHOD path HTTP/1.1", Host, User-Agent, Accept, Accept-Encoding: gzip,
 * deflate, Authorization: Basic from the URL's userinfo, then the caller's
 * lines (curl's conventions: "Name: value" sent, replacing a default of that
 * name; "Name:" removes it; "Name;" sends it empty), then Content-Type (a
 * POST without one gets application/x-www-form-urlencoded, as curl does)
 * and Content-Length when there is a body or the method is POST. Into b
 * (emptied first). 0, or -1 out of memory. */
int sw_h1m_head(sw_xb *b, int method, const sw_h1_url *u, const char *const *headers,
                int nheaders, const char *body, size_t body_len);

/* ---- the response reader ---- */
typedef struct sw_h1m_resp {
    http_parser p;              /* p.data points back here */
    sw_xb hdrs;                 /* final response's "Name: value\r\n" lines */
    sw_xb body;                 /* decoded body */
    char reason[64];            /* reason phrase (cut to fit) */
    size_t reason_len;
    int in_value;               /* the last header callback was a value */
    size_t line_start;          /* offset in hdrs of the header line being read */
    int headers_done;           /* the final response's headers are complete */
    int complete;               /* the final response is complete */
    int keep_alive;             /* the connection may carry another request */
    int is_head;                /* answer to a HEAD: no body */
    size_t wire;                /* body bytes as received (before decoding) */
    int enc;                    /* content coding being undone */
    void *z;                    /* z_stream, when decoding */
    int z_raw_tried;            /* deflate: fell back to a raw stream */
    sw_neterr fail_kind;        /* why it failed */
    int failed_in_cb;           /* the failure came from a callback */
} sw_h1m_resp;

enum { SW_H1M_MORE, SW_H1M_DONE, SW_H1M_ERROR };

/* Starts reading a response (buffers kept; 1xx are skipped, 101 fails). */
void sw_h1m_begin(sw_h1m_resp *r, int is_head);
/* Feeds n received bytes: SW_H1M_MORE, SW_H1M_DONE (complete; keep_alive
 * says whether the connection is reusable) or SW_H1M_ERROR (fail_kind). */
int sw_h1m_feed(sw_h1m_resp *r, const char *data, size_t n);
/* The peer closed: SW_H1M_DONE (a close-delimited body ended) or
 * SW_H1M_ERROR (fail_kind: partial, weird...). */
int sw_h1m_eof(sw_h1m_resp *r);
/* The final status code. */
int sw_h1m_status(const sw_h1m_resp *r);
/* Empties the buffers (freeing those past keep) and the inflater. */
void sw_h1m_clear(sw_h1m_resp *r, size_t keep);
void sw_h1m_free(sw_h1m_resp *r);

#endif /* SW_H1MSG_H */
