/*
 * hostile.c -- a hostile HTTP/1.1 server for the engine tests: it answers each
 * request with a canned, often broken, response chosen by the path, written
 * byte for byte as given (no HTTP library in the way).
 *
 *   hostile-target [--port N] [--port-file FILE]
 *
 * Routes (GET unless said; every other path is 404):
 *   /ok            200, Content-Length, keep-alive
 *   /chunked       200, body in three chunks
 *   /eof           200, no length: the body ends when the server closes
 *   /http10        HTTP/1.0 200 without a length, then close
 *   /continue      100 Continue, then 200
 *   /switch        101 Switching Protocols
 *   /nocontent     204;  /notmodified 304 (with a Content-Length, no body)
 *   /garbage       a status line that is not HTTP
 *   /badchunk      chunked with a chunk size that is not hex
 *   /short         Content-Length 100, 10 bytes, close
 *   /long          Content-Length 5, 10 bytes sent (the rest is ignored)
 *   /hugeheader    a 100 KB header line
 *   /reset         Content-Length 1000, 100 bytes, then a reset (RST)
 *   /empty         closes without a byte
 *   /slow          200 "slow bytes", one byte every 5 ms
 *   /gzip /deflate /rawdeflate   "hello hello hello ..." (64 bytes) compressed
 *   /r303 /r307 /r302 /r308      redirect (that status) to /method
 *   /loop          302 to itself, forever
 *   /xhost         302 to /method on another host name: http://localhost:PORT
 *   /method        echoes "METHOD clen=N ctype=T auth=A" of the request
 *   /close         200 with Connection: close
 *
 * Ownership: each connection's state is owned by its bufferevent callbacks
 * and freed when the connection closes.
 */
#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <zlib.h>

typedef struct hconn {
    struct bufferevent *bev;    /* owned */
    struct event *drip;         /* /slow: one byte per tick */
    const char *rest;           /* /slow: bytes still to send (static) */
    int closing;                /* close once the output is flushed */
} hconn;

static struct event_base *base;

static void hconn_free(hconn *h)
{
    if (h->drip)
        event_free(h->drip);
    bufferevent_free(h->bev);
    free(h);
}

static void out(hconn *h, const char *s)
{
    bufferevent_write(h->bev, s, strlen(s));
}

static void outf(hconn *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void outf(hconn *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    evbuffer_add_vprintf(bufferevent_get_output(h->bev), fmt, ap);
    va_end(ap);
}

/* Compresses the demo text: gzip (wbits 31), zlib (15) or raw (-15). */
static size_t squeeze(int wbits, unsigned char *dst, size_t cap)
{
    static const char text[] = "hello hello hello hello hello hello hello hello hello hello!!!!";
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return 0;
    z.next_in = (unsigned char *)text;
    z.avail_in = (uInt)(sizeof text - 1);
    z.next_out = dst;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    size_t n = cap - z.avail_out;
    deflateEnd(&z);
    return n;
}

static void reset_now(hconn *h)
{
    struct linger lg = { 1, 0 };
    evutil_socket_t fd = bufferevent_getfd(h->bev);
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    hconn_free(h);              /* close with linger 0: RST */
}

static void on_drip(evutil_socket_t fd, short what, void *arg)
{
    hconn *h = arg;
    (void)fd;
    (void)what;
    if (!h->rest || !*h->rest)
        return;
    bufferevent_write(h->bev, h->rest, 1);
    h->rest++;
    if (*h->rest) {
        struct timeval tv = { 0, 5000 };
        evtimer_add(h->drip, &tv);
    }
}

/* Header value of name in the request head (NUL-terminated), into v. */
static void header(const char *head, const char *name, char *v, size_t cap)
{
    size_t nl = strlen(name);
    snprintf(v, cap, "-");
    for (const char *p = strstr(head, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n")) {
        const char *l = p + 2;
        if (strncasecmp(l, name, nl) == 0 && l[nl] == ':') {
            const char *s = l + nl + 1;
            while (*s == ' ')
                s++;
            size_t n = strcspn(s, "\r\n");
            snprintf(v, cap, "%.*s", (int)(n < cap ? n : cap - 1), s);
        }
    }
}

/* Answers one complete request (head NUL-terminated, body of blen bytes). */
static void answer(hconn *h, const char *head, size_t blen)
{
    char method[16] = "", path[256] = "";
    sscanf(head, "%15s %255s", method, path);
    if (strcmp(path, "/ok") == 0) {
        out(h, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    } else if (strcmp(path, "/chunked") == 0) {
        out(h, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
               "5\r\nhello\r\n1\r\n \r\n5;ext=1\r\nworld\r\n0\r\nX-Trailer: 1\r\n\r\n");
    } else if (strcmp(path, "/eof") == 0) {
        out(h, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
        h->closing = 1;
    } else if (strcmp(path, "/http10") == 0) {
        out(h, "HTTP/1.0 200 OK\r\n\r\nold style");
        h->closing = 1;
    } else if (strcmp(path, "/continue") == 0) {
        out(h, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    } else if (strcmp(path, "/switch") == 0) {
        out(h, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: other\r\nConnection: Upgrade\r\n\r\n");
        h->closing = 1;
    } else if (strcmp(path, "/nocontent") == 0) {
        out(h, "HTTP/1.1 204 No Content\r\n\r\n");
    } else if (strcmp(path, "/notmodified") == 0) {
        out(h, "HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n");
    } else if (strcmp(path, "/garbage") == 0) {
        out(h, "FOO BAR BAZ\r\nthis is not http\r\n\r\n");
        h->closing = 1;
    } else if (strcmp(path, "/badchunk") == 0) {
        out(h, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
        h->closing = 1;
    } else if (strcmp(path, "/short") == 0) {
        out(h, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
        h->closing = 1;
    } else if (strcmp(path, "/long") == 0) {
        out(h, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhelloWORLD");
        h->closing = 1;
    } else if (strcmp(path, "/hugeheader") == 0) {
        out(h, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Huge: ");
        for (int i = 0; i < 100 * 1024 / 64; i++)
            out(h, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        out(h, "\r\n\r\nok");
        h->closing = 1;
    } else if (strcmp(path, "/reset") == 0) {
        evutil_socket_t fd = bufferevent_getfd(h->bev);
        char buf[200];
        int n = snprintf(buf, sizeof buf, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
        memset(buf + n, 'x', 100);
        if (write(fd, buf, (size_t)n + 100) < 0)
            perror("hostile: write");
        reset_now(h);
        return;
    } else if (strcmp(path, "/empty") == 0) {
        hconn_free(h);
        return;
    } else if (strcmp(path, "/slow") == 0) {
        out(h, "HTTP/1.1 200 OK\r\n");
        h->rest = "Content-Length: 10\r\n\r\nslow bytes";
        on_drip(-1, 0, h);
    } else if (strcmp(path, "/gzip") == 0 || strcmp(path, "/deflate") == 0 ||
               strcmp(path, "/rawdeflate") == 0) {
        unsigned char z[256];
        int gz = path[1] == 'g', raw = path[1] == 'r';
        size_t n = squeeze(gz ? 31 : raw ? -15 : 15, z, sizeof z);
        outf(h, "HTTP/1.1 200 OK\r\nContent-Encoding: %s\r\nContent-Length: %zu\r\n\r\n",
             gz ? "gzip" : "deflate", n);
        bufferevent_write(h->bev, z, n);
    } else if (strncmp(path, "/r30", 4) == 0 && strlen(path) == 5) {
        outf(h, "HTTP/1.1 %s Moved\r\nLocation: /method\r\nContent-Length: 0\r\n\r\n", path + 2);
    } else if (strcmp(path, "/xhost") == 0) {
        char hb[256];
        header(head, "Host", hb, sizeof hb);
        const char *port = strrchr(hb, ':');
        outf(h, "HTTP/1.1 302 Found\r\nLocation: http://localhost%s/method\r\n"
                "Content-Length: 0\r\n\r\n", port ? port : "");
    } else if (strcmp(path, "/loop") == 0) {
        out(h, "HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n");
    } else if (strcmp(path, "/method") == 0) {
        char ct[128], au[256], body[512];
        header(head, "Content-Type", ct, sizeof ct);
        header(head, "Authorization", au, sizeof au);
        int n = snprintf(body, sizeof body, "%s clen=%zu ctype=%s auth=%s", method, blen, ct, au);
        outf(h, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", n, body);
    } else if (strcmp(path, "/close") == 0) {
        out(h, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbye");
        h->closing = 1;
    } else {
        out(h, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    }
}

static void on_read(struct bufferevent *bev, void *arg)
{
    hconn *h = arg;
    struct evbuffer *in = bufferevent_get_input(bev);
    for (;;) {
        struct evbuffer_ptr end = evbuffer_search(in, "\r\n\r\n", 4, NULL);
        if (end.pos < 0)
            return;
        size_t hlen = (size_t)end.pos + 4;
        char *head = malloc(hlen + 1);
        if (!head)
            return;
        evbuffer_copyout(in, head, hlen);
        head[hlen] = '\0';
        char cl[32];
        header(head, "Content-Length", cl, sizeof cl);
        size_t blen = cl[0] == '-' ? 0 : (size_t)strtoul(cl, NULL, 10);
        if (evbuffer_get_length(in) < hlen + blen) {
            free(head);
            return;
        }
        evbuffer_drain(in, hlen + blen);
        int m = strncmp(head, "HEAD ", 5) == 0;
        (void)m;
        answer(h, head, blen);
        free(head);
        return;                 /* h may be gone; one request per read */
    }
}

static void on_write(struct bufferevent *bev, void *arg)
{
    hconn *h = arg;
    (void)bev;
    if (h->closing)
        hconn_free(h);
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
    (void)bev;
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
        hconn_free(arg);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
                      int len, void *arg)
{
    (void)l;
    (void)sa;
    (void)len;
    (void)arg;
    hconn *h = calloc(1, sizeof *h);
    if (!h) {
        close(fd);
        return;
    }
    h->bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
    h->drip = evtimer_new(base, on_drip, h);
    bufferevent_setcb(h->bev, on_read, on_write, on_event, h);
    bufferevent_enable(h->bev, EV_READ | EV_WRITE);
}

int main(int argc, char **argv)
{
    int port = 0;
    const char *port_file = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
            port = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--port-file") == 0 && i + 1 < argc) {
            port_file = argv[++i];
        } else {
            fprintf(stderr, "usage: hostile-target [--port N] [--port-file FILE]\n");
            return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    base = event_base_new();
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sin.sin_port = htons((uint16_t)port);
    struct evconnlistener *l = evconnlistener_new_bind(
        base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 128,
        (struct sockaddr *)&sin, sizeof sin);
    if (!l) {
        fprintf(stderr, "hostile-target: cannot listen: %s\n", strerror(errno));
        return 2;
    }
    socklen_t sl = sizeof sin;
    getsockname(evconnlistener_get_fd(l), (struct sockaddr *)&sin, &sl);
    if (port_file) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
        FILE *f = fopen(tmp, "w");
        if (!f || fprintf(f, "%d\n", ntohs(sin.sin_port)) < 0 || fclose(f) != 0 ||
            rename(tmp, port_file) != 0) {
            fprintf(stderr, "hostile-target: cannot write %s\n", port_file);
            return 1;
        }
    }
    event_base_dispatch(base);
    evconnlistener_free(l);
    event_base_free(base);
    return 0;
}
