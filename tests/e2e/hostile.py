#!/usr/bin/env python3
"""tests/e2e/hostile.py -- a raw-socket HTTP/1.1 server on 127.0.0.1 for
answers evhttp (the demo target) cannot give. Used by hostile.sh; not a suite.

    hostile.py PORT_FILE      listens on an ephemeral port, writes it to PORT_FILE

Routes (one request per connection, then close):
  /101            101 Switching Protocols (an upgrade nobody asked for)
  /hdr/N          200 with one header line of N bytes (N up to 200 MB)
  /manyhdr/K      200 with K header lines of 60,000 bytes each
  /ok             200 "ok"
Counts requests per first path segment; GET /__count answers them as JSON.
"""
import json, socket, sys, threading

COUNTS = {}
LOCK = threading.Lock()


def send_all(c, data):
    try:
        c.sendall(data)
        return True
    except OSError:
        return False


def handle(c):
    try:
        c.settimeout(30)
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            d = c.recv(4096)
            if not d:
                return
            data += d
        path = data.split(b" ")[1].decode("latin-1")
        seg = path.split("/")[1] if path.count("/") else path
        if path != "/__count":
            with LOCK:
                COUNTS[seg] = COUNTS.get(seg, 0) + 1
        if path == "/__count":
            body = json.dumps(COUNTS).encode()
            send_all(c, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
        elif path.startswith("/101"):
            send_all(c, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nhello")
        elif path.startswith("/hdr/"):
            n = min(int(path[5:]), 200 << 20)
            if not send_all(c, b"HTTP/1.1 200 OK\r\nX-Big: "):
                return
            chunk = b"a" * 65536
            while n > 0:
                if not send_all(c, chunk[:n]):
                    return
                n -= len(chunk)
            send_all(c, b"\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        elif path.startswith("/manyhdr/"):
            k = int(path[9:])
            send_all(c, b"HTTP/1.1 200 OK\r\n")
            for i in range(k):
                if not send_all(c, b"X-H%d: %s\r\n" % (i, b"b" * 60000)):
                    return
            send_all(c, b"Content-Length: 2\r\nConnection: close\r\n\r\nok")
        else:
            send_all(c, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        try:
            c.shutdown(socket.SHUT_WR)
            c.recv(1)
        except OSError:
            pass
    except Exception:
        pass
    finally:
        c.close()


def main():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(128)
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    import os
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    while True:
        c, _ = s.accept()
        threading.Thread(target=handle, args=(c,), daemon=True).start()


main()
