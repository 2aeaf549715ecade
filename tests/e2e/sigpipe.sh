#!/usr/bin/env bash
# tests/e2e/sigpipe.sh -- SIGPIPE never ends a run: stdout closed early
# (`... | head -c 100`) and web clients that hang up mid-download of
# /chart.min.js, /stats/report and the CSV routes. The run ends normally
# (exit 0/1, never 141) and every result file is written.
. "$(dirname "$0")/lib.sh"
e2e_init sigpipe
target_start
swarm_script pipe <<'SW' || e2e_finish
wait 50ms
task t { get "/resources/1" name "/r" }
SW
B="$E2E_TMP/pipe"

files_written() {  # PREFIX: the CSV, JSON and HTML results are all there
    [ -s "$1_stats.csv" ] && [ -s "$1_failures.csv" ] && [ -s "$1_stats_history.csv" ] &&
        [ -s "$1.json" ] && [ -s "$1.html" ] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1.json"
}

# 1. stdout closed after 100 bytes
timeout -k 5 60 "$B" --users 2 --run-time 3s --host "$TARGET_URL" --csv "$E2E_TMP/a" \
    --json "$E2E_TMP/a.json" --html "$E2E_TMP/a.html" 2>"$E2E_TMP/a.err" | head -c 100 >/dev/null
rc=${PIPESTATUS[0]}
t_eq "stdout closed early: exit status 0" "$rc" 0
t_check "stdout closed early: every result file written" files_written "$E2E_TMP/a"

# 2. web clients hanging up mid-download
port=$(free_port)
timeout -k 5 60 "$B" --users 2 --web -P "$port" --host "$TARGET_URL" --csv "$E2E_TMP/b" \
    --json "$E2E_TMP/b.json" --html "$E2E_TMP/b.html" >"$E2E_TMP/b.out" 2>"$E2E_TMP/b.err" &
pid=$!
for i in $(seq 100); do
    curl -s -m 1 -o /dev/null "http://127.0.0.1:$port/stats/requests" && break
    sleep 0.05
done
timeout 30 python3 - "$port" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
# A small receive window keeps the server writing; the client reads what has
# come, then closes: the server's next write meets a closed peer (EPIPE).
for path in ["/chart.min.js", "/stats/report", "/stats/requests/csv",
             "/stats/failures/csv", "/stats/history/csv", "/chart.min.js", "/stats/report"] * 4:
    try:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        s.connect(("127.0.0.1", port))
        s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % (path, port)).encode())
        s.recv(100)
        s.setblocking(False)
        try:
            while s.recv(65536):
                pass
        except OSError:
            pass
        s.shutdown(socket.SHUT_RDWR)
        s.close()
    except OSError as e:
        print("# %s: %s" % (path, e))
    time.sleep(0.1)
PY
sleep 1
t_check "web hang-ups: the process is still running" kill -0 "$pid"
t_eq "web hang-ups: the UI still answers" \
    "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/stats/requests")" 200
kill -INT "$pid" 2>/dev/null
wait "$pid"
rc=$?
t_eq "web hang-ups: exit status 0 after SIGINT" "$rc" 0
t_check "web hang-ups: every result file written" files_written "$E2E_TMP/b"
e2e_finish
