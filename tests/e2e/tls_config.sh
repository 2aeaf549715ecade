#!/usr/bin/env bash
# tests/e2e/tls_config.sh -- TLS options and configuration (issue 9):
#  - against an HTTPS server with a self-signed certificate made here with
#    openssl: by default the request fails and the message says what to
#    pass; --insecure, `tls verify false`, --ca-file and SSL_CERT_FILE work;
#  - --config FILE (locust.conf format), SWARM_* and LOCUST_* variables,
#    precedence command line > environment > config file; a bad config
#    line is exit 2 with FILE:LINE;
#  - --logfile, --reset-stats, -t 0 (no limit).
. "$(dirname "$0")/lib.sh"
e2e_init tls_config
target_start
T=$E2E_TMP
if ! command -v openssl > /dev/null; then
    t_fail "openssl is needed to make a test certificate"
    e2e_finish
fi
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 1 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 > /dev/null 2>&1
cat > "$T/tls.py" <<'PY'
import http.server, ssl, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"tls ok\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
open(sys.argv[3], "w").write(str(srv.server_address[1]))
srv.serve_forever()
PY
timeout -s KILL 300 python3 "$T/tls.py" "$T/cert.pem" "$T/key.pem" "$T/tls.port" 2> "$T/tls.log" &
TLS_PID=$!
trap 'kill "$TLS_PID" 2>/dev/null; e2e_cleanup' EXIT
for i in $(seq 100); do [ -s "$T/tls.port" ] && break; sleep 0.05; done
TLS_URL="https://127.0.0.1:$(cat "$T/tls.port")"

swarm_script tls <<'SW' || e2e_finish
host "http://127.0.0.1:1"
wait 100ms
task t { get "/" }
SW
swarm_run 30 "$T/tls" --users 1 --run-time 1s --host "$TLS_URL" --csv "$T/a"
t_eq "self-signed certificate: the requests fail (exit 1)" "$RUN_RC" 1
t_check "the failure says what to pass" \
    grep -q "certificate.*pass --ca-file PATH or set SSL_CERT_FILE.*--insecure" "$T/a_failures.csv"
swarm_run 30 "$T/tls" --users 1 --run-time 1s --host "$TLS_URL" --insecure --csv "$T/b"
t_eq "--insecure: exit 0" "$RUN_RC" 0
t_py "--insecure: requests made" 'n > 0' n="$(csv_get "$T/b_stats.csv" "Request Count" Name=Aggregated)"
swarm_run 30 "$T/tls" --users 1 --run-time 1s --host "$TLS_URL" --ca-file "$T/cert.pem"
t_eq "--ca-file with the certificate: exit 0" "$RUN_RC" 0
SSL_CERT_FILE="$T/cert.pem" swarm_run 30 "$T/tls" --users 1 --run-time 1s --host "$TLS_URL"
t_eq "SSL_CERT_FILE with the certificate: exit 0" "$RUN_RC" 0
swarm_script tlsoff <<'SW' || e2e_finish
host "http://127.0.0.1:1"
tls verify false
wait 100ms
task t { get "/" }
SW
swarm_run 30 "$T/tlsoff" --users 1 --run-time 1s --host "$TLS_URL"
t_eq "tls verify false in the script: exit 0" "$RUN_RC" 0
kill "$TLS_PID" 2>/dev/null; wait "$TLS_PID" 2>/dev/null

# ---- configuration
swarm_script conf <<'SW' || e2e_finish
host "http://127.0.0.1:1"
wait 100ms
task t { get "/resources/3" }
SW
cat > "$T/locust.conf" <<'CONF'
# a Locust config file
[swarm]
locustfile = conf.py
headless = true
users = 3
spawn-rate: 30
run_time = 1s
only-summary = false
CONF
hatched() { grep -o 'All users hatched: conf: [0-9]*' "$RUN_ERR" | tail -1 | awk '{print $NF}'; }
swarm_run 30 "$T/conf" --config "$T/locust.conf" --host "$TARGET_URL"
t_eq "--config: exit 0" "$RUN_RC" 0
t_eq "--config: users = 3 from the file" "$(hatched)" 3
t_check "--config: an unknown key is ignored with a warning" grep -q "unknown option 'locustfile' ignored" "$RUN_ERR"
LOCUST_USERS=4 swarm_run 30 "$T/conf" --config "$T/locust.conf" --host "$TARGET_URL"
t_eq "LOCUST_USERS beats the config file" "$(hatched)" 4
LOCUST_USERS=4 SWARM_USERS=2 swarm_run 30 "$T/conf" --config "$T/locust.conf" --host "$TARGET_URL"
t_eq "SWARM_USERS beats LOCUST_USERS" "$(hatched)" 2
SWARM_USERS=2 swarm_run 30 "$T/conf" --config "$T/locust.conf" --host "$TARGET_URL" -u 1
t_eq "the command line beats the environment" "$(hatched)" 1
printf 'users = 2\nheadless = maybe\n' > "$T/bad.conf"
swarm_run 30 "$T/conf" --config "$T/bad.conf" --host "$TARGET_URL"
t_eq "a bad config line: exit 2" "$RUN_RC" 2
t_check "naming file and line" grep -q "bad.conf:2: cannot read 'headless = maybe'" "$RUN_ERR"
swarm_run 30 "$T/conf" --config "$T/none.conf" --host "$TARGET_URL"
t_eq "a missing config file: exit 2" "$RUN_RC" 2

swarm_run 30 "$T/conf" -u 1 -t 1s --host "$TARGET_URL" --logfile "$T/run.log"
t_eq "--logfile: exit 0" "$RUN_RC" 0
t_check "--logfile: the log is in the file" grep -q "All users hatched" "$T/run.log"
t_check "--logfile: and not on stderr" bash -c "! grep -q 'All users hatched' '$RUN_ERR'"

swarm_run 3 "$T/conf" -u 1 -t 0 --host "$TARGET_URL"
t_check "-t 0: no limit (runs until stopped)" grep -q "until stopped" "$RUN_ERR"
t_eq "-t 0: it was still running when stopped from outside" "$RUN_RC" 124

swarm_script reset <<'SW' || e2e_finish
host "http://127.0.0.1:1"
on start { get "/resources/1" name "warmup" }
task t { get "/resources/2" name "steady" sleep 100ms }
SW
swarm_run 30 "$T/reset" -u 2 -r 1 -t 2500ms --host "$TARGET_URL" --csv "$T/r0"
t_eq "without --reset-stats both warm-ups are counted" \
    "$(csv_get "$T/r0_stats.csv" "Request Count" Name=warmup)" 2
swarm_run 30 "$T/reset" -u 2 -r 1 -t 2500ms --host "$TARGET_URL" --csv "$T/r1" --reset-stats
t_check "--reset-stats: reset when the ramp completed" grep -q "Resetting stats" "$RUN_ERR"
t_py "--reset-stats: the first user's warm-up (before the ramp ended) is gone" 'w <= 1' \
    w="$(csv_get "$T/r1_stats.csv" "Request Count" Name=warmup || echo 0)"
e2e_finish
