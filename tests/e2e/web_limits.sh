#!/usr/bin/env bash
# tests/e2e/web_limits.sh -- the web UI's listener under hostile clients:
# out of descriptors (ulimit -n 40 and 80 connections held open) it neither
# spins (CPU time stays low) nor floods the log (one line per 10 s), and it
# serves again once the connections go; a slow client that sends one header
# line every second never completing its request is dropped after the
# documented 10 s (webconn.h), while a normal request still works. A script
# without any host: the web UI warns and POST /swarm needs a host (400).
. "$(dirname "$0")/lib.sh"
e2e_init web_limits
swarm_script wl <<'SW' || e2e_finish
host "http://127.0.0.1:1"
wait 1s
task t { get "/" }
SW
port=$(free_port)
WEB="http://127.0.0.1:$port"
# the binary itself is $pid (its CPU time is read from /proc); the trap
# below ends it if the test stops early
(
    ulimit -n 40 || exit 99
    exec "$E2E_TMP/wl" -P "$port"
) >"$E2E_TMP/wl.out" 2>"$E2E_TMP/wl.err" &
pid=$!
trap 'kill -KILL "$pid" 2>/dev/null; e2e_cleanup' EXIT
( sleep 120; kill -KILL "$pid" 2>/dev/null ) >/dev/null 2>&1 &
watchdog=$!
for i in $(seq 100); do
    curl -s -m 1 -o /dev/null "$WEB/stats/requests" && break
    sleep 0.1
done
timeout 60 python3 - "$port" "$pid" <<'PY'
import socket, sys, time
port, pid = int(sys.argv[1]), sys.argv[2]
def ticks():
    f = open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])
held = []
for i in range(80):                       # more than the 40 descriptors
    try:
        held.append(socket.create_connection(("127.0.0.1", port), timeout=2))
    except OSError:
        pass
t0 = ticks()
time.sleep(3)
used = ticks() - t0                       # clock ticks (1/100 s) in 3 s
print("ok - web_limits: out of descriptors: no busy loop (%d ticks of CPU in 3 s)" % used
      if used < 30 else
      "not ok - web_limits: out of descriptors: busy loop (%d ticks of CPU in 3 s)" % used)
for s in held:
    s.close()
PY
sleep 1
t_eq "after the connections went: the UI answers again" \
    "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$WEB/stats/requests")" 200
lines=$(grep -c 'cannot accept connections' "$E2E_TMP/wl.err")
t_py "out of descriptors: logged, at most once per 10 s ($lines lines)" '1 <= n <= 2' n="$lines"
t_check "out of descriptors: the line points at ulimit -n" grep -q 'cannot accept connections (Too many open files.*ulimit -n' "$E2E_TMP/wl.err"
t_eq "the log stays small (no flood)" "$(wc -l <"$E2E_TMP/wl.err" | awk '{ print ($1 < 20) }')" 1

# a slow client: one header line per second, never the blank line
timeout 40 python3 - "$port" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"GET /stats/requests HTTP/1.1\r\nHost: 127.0.0.1\r\n")
t0 = time.time()
closed = None
while time.time() - t0 < 25:
    try:
        s.sendall(b"X-Slow: %d\r\n" % int(time.time() - t0))
        s.settimeout(1)
        try:
            d = s.recv(100)
            if not d:
                closed = time.time() - t0
                break
        except socket.timeout:
            pass
    except OSError:
        closed = time.time() - t0
        break
if closed is not None and closed < 20:
    print("ok - web_limits: a slow client is dropped (after %.1f s)" % closed)
else:
    print("not ok - web_limits: a slow client is still connected after 25 s")
PY
t_eq "after the slow client: the UI answers" \
    "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$WEB/stats/requests")" 200
kill -INT "$pid" 2>/dev/null
wait "$pid"
t_eq "exit status 0 after SIGINT" "$?" 0
kill "$watchdog" 2>/dev/null

# no host anywhere: the web UI waits, warns, and refuses a start without one
swarm_script nohost <<'SW' || e2e_finish
wait 1s
task t { get "/" }
SW
port=$(free_port)
timeout -k 5 60 "$E2E_TMP/nohost" -P "$port" >"$E2E_TMP/nh.out" 2>"$E2E_TMP/nh.err" &
pid=$!
for i in $(seq 100); do
    curl -s -m 1 -o /dev/null "http://127.0.0.1:$port/stats/requests" && break
    sleep 0.1
done
t_check "no host: a warning at start" grep -q 'WARNING.*no host is set' "$E2E_TMP/nh.err"
code=$(curl -s -m 5 -o "$E2E_TMP/nh.body" -w '%{http_code}' -d 'user_count=1&spawn_rate=1' \
    "http://127.0.0.1:$port/swarm")
t_eq "no host: POST /swarm without host is 400" "$code" 400
t_check "no host: the message says to send host" grep -q 'no host to send requests to.*send host=' "$E2E_TMP/nh.body"
code=$(curl -s -m 5 -o "$E2E_TMP/nh.body" -w '%{http_code}' \
    -d 'user_count=1&spawn_rate=1&host=http%3A%2F%2F127.0.0.1%3A1' "http://127.0.0.1:$port/swarm")
t_eq "no host: POST /swarm with a host starts (200)" "$code" 200
kill -INT "$pid" 2>/dev/null
wait "$pid"
e2e_finish
