#!/usr/bin/env bash
# tests/e2e/web_api.sh -- the web UI's HTTP API against a real binary and the
# demo target: Locust's JSON POST /swarm and the form variant, re-scaling up
# and down at the hatch rate (seen by the target and by /stats/requests),
# stop, reset, /stats/requests numbers equal to the target's own counts, the
# CSV and history routes, /metrics parsed as Prometheus text, every kind of
# bad input (400, nothing changes), 404/405, the Origin refusal, basic auth,
# a port in use, and --users with --web (starts at once, keeps serving).
# WEB_API_BIN=path runs the checks against another build of the same script
# (e.g. one compiled with -fsanitize=address,undefined).
. "$(dirname "$0")/lib.sh"
e2e_init web_api
target_start
swarm_script webt <<'SW' || e2e_finish
host "http://127.0.0.1:1"            # replaced by --host / POST /swarm host
wait between 100ms and 200ms

task resource weight 3 {
    get "/resources/${random(1, 100)}" name "/resources/{id}" headers {"X-User-Id": user_id}
}
task quoted {
    get "/" name "say \"hi\" \\ now" headers {"X-User-Id": user_id}
}
SW
BIN=${WEB_API_BIN:-$E2E_TMP/webt}
WEB_PID=

web_cleanup() {
    [ -n "$WEB_PID" ] && kill -KILL "$WEB_PID" 2>/dev/null
    e2e_cleanup
}
trap web_cleanup EXIT

# web_start PORT ARGS...: start BIN serving on PORT; waits until it answers.
web_start() {
    local port=$1; shift
    timeout -s KILL 600 "$BIN" -P "$port" "$@" >"$E2E_TMP/web.out" 2>"$E2E_TMP/web.err" &
    WEB_PID=$!
    WEB="http://127.0.0.1:$port"
    local i
    for i in $(seq 100); do
        curl -s -m 1 -o /dev/null "$WEB/stats/requests" && return 0
        sleep 0.05
    done
    t_fail "the web server on port $port did not answer: $(tail -n 2 "$E2E_TMP/web.err")"
    exit 1
}

# api METHOD PATH [CURL-ARGS...]: the status code; the body is in $E2E_TMP/body.
api() {
    local m=$1 p=$2; shift 2
    curl -s -m 5 -o "$E2E_TMP/body" -w '%{http_code}' -X "$m" "$@" "$WEB$p"
}

# jget EXPR [FILE]: evaluate EXPR over the JSON document d (default: the last
# body); entry(m, n) is the stats entry of (method, name).
jget() {
    timeout 10 python3 - "$1" "${2:-$E2E_TMP/body}" <<'PY' 2>&1
import json, sys
d = json.load(open(sys.argv[2]))
def entry(m, n):
    return next((e for e in d["stats"] if e["method"] == m and e["name"] == n), None)
v = eval(sys.argv[1])
print(round(v, 6) if isinstance(v, float) else v)
PY
}

users_now() { api GET /stats/requests >/dev/null; jget 'd["user_count"]'; }

# ramp_read RATE FROM TO: read the user count (U) and the range (DUE,
# "lo..hi") an even ramp from FROM toward TO at RATE users/s, its first step
# at once, may show at that moment, given that the runtime began it between
# $t_pre and $t_post (around the POST). Only the GET is timed, not the
# (slow) JSON read, so a busy machine cannot make a right count look wrong.
ramp_read() {
    local rate=$1 from=$2 to=$3 a b
    a=$(date +%s.%N); api GET /stats/requests >/dev/null; b=$(date +%s.%N)
    U=$(jget 'd["user_count"]')
    DUE=$(awk -v a="$a" -v b="$b" -v p0="$t_pre" -v p1="$t_post" -v r="$rate" \
              -v f="$from" -v t="$to" 'BEGIN {
        s = t >= f ? 1 : -1
        lo = f + s * (int((a - p1) * r) + 1); hi = f + s * (int((b - p0) * r) + 1)
        if (s > 0) { if (lo > t) lo = t; if (hi > t) hi = t }
        else { if (lo < t) lo = t; if (hi < t) hi = t; x = lo; lo = hi; hi = x }
        print lo ".." hi }')
}
in_due() { [ "$U" -ge "${DUE%..*}" ] && [ "$U" -le "${DUE#*..}" ]; }
state_now() { api GET /stats/requests >/dev/null; jget 'd["state"]'; }

# wait_state STATE SECS: poll until /stats/requests says STATE.
wait_state() {
    local i
    for i in $(seq $(( $2 * 10 ))); do
        [ "$(state_now)" = "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

WP=$(free_port)
web_start "$WP" --host "$TARGET_URL" --stop-timeout 5s
stats_reset

# ---- before any start
t_eq "GET /stats/requests before a start: 200" "$(api GET /stats/requests)" 200
t_eq "state ready, no users, only the Aggregated entry" \
    "$(jget '(d["state"], d["user_count"], [e["name"] for e in d["stats"]])')" "('ready', 0, ['Aggregated'])"
code=$(curl -s -m 5 -o "$E2E_TMP/index.html" -w '%{http_code} %{content_type}' "$WEB/")
t_eq "GET / serves the page" "$code" "200 text/html; charset=utf-8"

# ---- the seed's JSON start: 3 users at 1 user/s
run_t0=$(date +%s.%N)           # the history below has a row per second from here
t_pre=$(date +%s.%N)
code=$(api POST /swarm -H 'Content-Type: application/json' -d '{"locust_count": 3, "hatch_rate": 1}')
t_post=$(date +%s.%N)
t_eq "JSON POST /swarm {locust_count: 3, hatch_rate: 1}: 200" "$code" 200
t_eq "it answers success, a message and the host" \
    "$(jget '(d["success"], d["message"], d["host"])')" "(True, 'Swarming started', '$TARGET_URL')"
sleep 0.6
ramp_read 1 0 3
t_check "users hatch at 1/s: $U while $DUE are due (about 0.6 s in)" in_due
sleep 2.2
ramp_read 1 0 3
t_check "users hatch at 1/s: $U while $DUE are due (about 2.8 s in)" in_due
t_eq "all 3 users run at the end of the ramp" "$U" 3
stats_fetch "$E2E_TMP/t1.json"
t_eq "the target saw user ids 0..2" "$(stats_num "$E2E_TMP/t1.json" 'sorted(d["users"], key=int)')" "['0', '1', '2']"
span=$(stats_num "$E2E_TMP/t1.json" 'max(d["users"].values()) - min(d["users"].values())')
t_py "the target saw them start about 1 s apart (first to last: ${span}s)" '1.6 <= s <= 2.8' s="$span"

# ---- re-scale up with the form variant: 6 users at 2 users/s
t_pre=$(date +%s.%N)
code=$(api POST /swarm -d 'user_count=6&spawn_rate=2')
t_post=$(date +%s.%N)
t_eq "form POST /swarm user_count=6&spawn_rate=2: 200" "$code" 200
t_eq "the form answer is a success" "$(jget 'd["success"]')" True
sleep 0.3
ramp_read 2 3 6
t_check "re-scale up at 2/s: $U while $DUE are due (about 0.3 s in)" in_due
sleep 2.0
ramp_read 2 3 6
t_check "re-scale up at 2/s: $U while $DUE are due (about 2.3 s in)" in_due
t_eq "all 6 users run at the end of the ramp" "$U" 6
stats_fetch "$E2E_TMP/t2.json"
t_eq "the target saw user ids 0..5" "$(stats_num "$E2E_TMP/t2.json" 'sorted(d["users"], key=int)')" \
    "['0', '1', '2', '3', '4', '5']"
span=$(stats_num "$E2E_TMP/t2.json" 'd["users"]["5"] - d["users"]["3"]')
t_py "the new users 3..5 started 0.5 s apart (3 to 5: ${span}s)" '0.7 <= s <= 1.5' s="$span"

# ---- re-scale down: 2 users at 2 users/s
t_pre=$(date +%s.%N)
code=$(api POST /swarm -d 'user_count=2&spawn_rate=2')
t_post=$(date +%s.%N)
t_eq "POST /swarm user_count=2&spawn_rate=2: 200" "$code" 200
sleep 0.7
ramp_read 2 6 2
t_check "re-scale down at 2/s: $U while $DUE are due (about 0.7 s in)" in_due
sleep 2.0
ramp_read 2 6 2
t_check "re-scale down at 2/s: $U while $DUE are due (about 2.7 s in)" in_due
t_eq "2 users are left at the end of the ramp" "$U" 2

# ---- bad input: 400 with a message, nothing changes
stats_fetch "$E2E_TMP/t3.json"
bad() {  # DESC WORD-IN-MESSAGE CURL-ARGS...
    local desc=$1 word=$2; shift 2
    local code
    code=$(api POST /swarm "$@")
    if [ "$code" = 400 ] && [ "$(jget 'd["success"]')" = False ] \
        && jget 'd["message"]' | grep -qi -- "$word"; then
        t_ok "400 for $desc: $(jget 'd["message"]')"
    else
        t_fail "400 for $desc (got $code: $(head -c 200 "$E2E_TMP/body"))"
    fi
}
bad "a negative count" "negative" -d 'user_count=-1&spawn_rate=1'
bad "a count that is not a number" "whole number" -d 'user_count=abc&spawn_rate=1'
bad "a fractional count" "whole number" -d 'user_count=1.5&spawn_rate=1'
bad "a JSON count given as true" "number" -H 'Content-Type: application/json' -d '{"user_count": true}'
bad "a zero rate" "greater than 0" -d 'user_count=2&spawn_rate=0'
bad "a negative rate" "greater than 0" -d 'user_count=2&hatch_rate=-3'
bad "a rate that is not a number" "per second" -d 'user_count=2&spawn_rate=fast'
# (the same check without Python, which is slow to start on a busy machine)
bad_quick() {  # DESC WORD-IN-MESSAGE CURL-ARGS...
    local desc=$1 word=$2; shift 2
    local code
    code=$(api POST /swarm "$@")
    if [ "$code" = 400 ] && grep -q '"success":false' "$E2E_TMP/body" \
        && grep -qi -- "$word" "$E2E_TMP/body"; then
        t_ok "400 for $desc"
    else
        t_fail "400 for $desc (got $code: $(head -c 200 "$E2E_TMP/body"))"
    fi
}
bad_quick "a hexadecimal count" "decimal digits" -d 'user_count=0x10&spawn_rate=1'
bad_quick "a count with an exponent" "decimal digits" -d 'user_count=1e3&spawn_rate=1'
bad_quick "a count above 1000000" "at most 1000000" -d 'user_count=1000001&spawn_rate=1'
bad_quick "a rate of 1e-300" "plain decimal" -d 'user_count=2&spawn_rate=1e-300'
bad_quick "a rate below 0.001" "at least 0.001" -d 'user_count=2&spawn_rate=0.0001'
bad_quick "a rate above 100000" "at most 100000" -d 'user_count=2&spawn_rate=100001'
bad "a missing count" "missing" -d 'spawn_rate=1'
bad "an empty body" "empty" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary ''
bad "a malformed form" "malformed" -d 'user_count'
bad "truncated JSON" "JSON" -H 'Content-Type: application/json' -d '{"user_count": 3,'
bad "JSON with a missing value" "JSON" -H 'Content-Type: application/json' -d '{"user_count": }'
bad "JSON that is not an object" "object" -H 'Content-Type: application/json' -d '[1, 2]'
bad "JSON with trailing text" "after" -H 'Content-Type: application/json' -d '{"user_count": 1} x'
bad "a bad host URL" "host" -d 'user_count=2&spawn_rate=1&host=ftp://example'
bad "a bad run_time" "run_time" -d 'user_count=2&spawn_rate=1&run_time=soon'
head -c 70000 /dev/zero | tr '\0' 'a' | sed 's/^/user_count=1\&spawn_rate=1\&pad=/' >"$E2E_TMP/big"
bad "a body over 64 KB" "at most 65536" --data-binary @"$E2E_TMP/big"
sleep 0.6
stats_fetch "$E2E_TMP/t4.json"
t_eq "after the bad requests: still running 2 users" "$(state_now) $(users_now)" "running 2"
t_eq "the target saw no new user" "$(stats_num "$E2E_TMP/t4.json" 'len(d["users"])')" 6

# ---- routes and methods
t_eq "GET /nope: 404" "$(api GET /nope)" 404
t_eq "the 404 is JSON" "$(jget 'd["success"]')" False
t_eq "DELETE /stop: 405" "$(api DELETE /stop)" 405
t_eq "GET /swarm: 405" "$(api GET /swarm)" 405

# ---- another site's page cannot change the run
t_eq "POST /swarm with a foreign Origin: 403" \
    "$(api POST /swarm -H 'Origin: http://evil.example' -d 'user_count=9&spawn_rate=9')" 403
t_eq "GET /stop with a foreign Origin: 403" "$(api GET /stop -H 'Origin: http://127.0.0.1:1')" 403
t_eq "GET /stats/reset from a cross-site fetch: 403" "$(api GET /stats/reset -H 'Sec-Fetch-Site: cross-site')" 403
t_eq "a foreign Host (DNS rebinding): 403" "$(api GET /stats/requests -H 'Host: evil.example')" 403
sleep 0.3
t_eq "after the refusals: still running 2 users" "$(state_now) $(users_now)" "running 2"
t_eq "POST /swarm with the server's own Origin is allowed" \
    "$(api POST /swarm -H "Origin: http://127.0.0.1:$WP" -d 'user_count=2&spawn_rate=5')" 200

# ---- stop; the numbers equal the target's
t_eq "GET /stop: 200" "$(api GET /stop)" 200
run_t1=$(date +%s.%N)
t_check "the test stops within 7 s" wait_state stopped 7
stats_fetch "$E2E_TMP/t5.json"
api GET /stats/requests >/dev/null
cp "$E2E_TMP/body" "$E2E_TMP/req.json"
served=$(stats_num "$E2E_TMP/t5.json" 'req("GET /resources/{id}")')
t_eq "/stats/requests: GET /resources/{id} = the target's count ($served)" \
    "$(jget 'entry("GET", "/resources/{id}")["num_requests"]')" "$served"
served_root=$(stats_num "$E2E_TMP/t5.json" 'req("GET /")')
t_eq "/stats/requests: the quoted name = the target's GET / count ($served_root)" \
    "$(jget 'entry("GET", "say \"hi\" \\ now")["num_requests"]')" "$served_root"
t_eq "Aggregated = everything served" "$(jget 'entry("", "Aggregated")["num_requests"]')" \
    "$(stats_num "$E2E_TMP/t5.json" 'sum(d["requests"].values())')"
t_py "enough requests to mean something ($served)" 'n >= 40' n="$served"
t_eq "state stopped, no users" "$(jget '(d["state"], d["user_count"])')" "('stopped', 0)"
t_eq "every documented field is there" "$(jget '(
all(set(e) >= {"method", "name", "num_requests", "num_failures", "avg_response_time",
    "min_response_time", "max_response_time", "median_response_time", "current_rps",
    "current_fail_per_sec", "avg_content_length", "response_time_percentile_0.95",
    "response_time_percentile_0.99"} for e in d["stats"])
and set(d) >= {"stats", "errors", "exceptions", "total_rps", "fail_ratio", "state", "user_count",
    "current_response_time_percentile_50", "current_response_time_percentile_95"})')" True
t_eq "entries sorted by name, then the Aggregated one" "$(jget '[e["name"] for e in d["stats"]]')" \
    "['/resources/{id}', 'say \"hi\" \\\\ now', 'Aggregated']"
t_eq "min <= median <= p95 <= p99 <= max, avg within [min, max]" "$(jget '(
all(e["min_response_time"] <= e["median_response_time"] <= e["response_time_percentile_0.95"]
    <= e["response_time_percentile_0.99"] <= e["max_response_time"]
    and e["min_response_time"] - 1 <= e["avg_response_time"] <= e["max_response_time"] + 1
    for e in d["stats"]))')" True

# ---- CSV routes agree with the JSON
code=$(curl -s -m 5 -o "$E2E_TMP/s.csv" -w '%{http_code} %{content_type}' "$WEB/stats/requests/csv")
t_eq "GET /stats/requests/csv: 200 text/csv" "$code" "200 text/csv; charset=utf-8"
t_eq "its header is Locust's" "$(head -n 1 "$E2E_TMP/s.csv")" \
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
t_eq "its Aggregated count = the JSON's" "$(csv_get "$E2E_TMP/s.csv" "Request Count" Type= Name=Aggregated)" \
    "$(jget 'entry("", "Aggregated")["num_requests"]' "$E2E_TMP/req.json")"
t_eq "its quoted name survives CSV quoting" \
    "$(csv_get "$E2E_TMP/s.csv" "Request Count" Type=GET 'Name=say "hi" \ now')" "$served_root"
# the same exact value: whole ms in the CSV, two decimals under 10 ms in the JSON
c95=$(csv_get "$E2E_TMP/s.csv" "95%" Type=GET 'Name=/resources/{id}')
j95=$(jget 'entry("GET", "/resources/{id}")["response_time_percentile_0.95"]' "$E2E_TMP/req.json")
t_py "its 95% ($c95) = the JSON's ($j95) in whole ms" \
    'c == int(c) and abs(c - j) <= 0.505 and (j < 10 or c == j) and (j >= 10 or abs(j * 100 - round(j * 100)) < 1e-6)' \
    c="$c95" j="$j95"
t_eq "GET /stats/failures/csv: header" "$(curl -s -m 5 "$WEB/stats/failures/csv" | head -n 1)" \
    "Method,Name,Error,Occurrences"
t_eq "GET /exceptions/csv: header" "$(curl -s -m 5 "$WEB/exceptions/csv" | head -n 1)" \
    "Count,Message,Traceback,Nodes"
t_eq "GET /exceptions: JSON, none" "$(api GET /exceptions; echo " $(jget 'd["exceptions"]')")" "200 []"
t_eq "GET /stats/history: 200" "$(api GET /stats/history)" 200
cp "$E2E_TMP/body" "$E2E_TMP/hist.json"
t_py "about one history row per second of the run ($(jget 'len(d["history"])') rows)" \
    'secs - 3 <= n <= secs + 3' n="$(jget 'len(d["history"])')" secs="$(awk -v a="$run_t0" -v b="$run_t1" 'BEGIN { print b - a }')"
t_eq "the last history row's total = the Aggregated count" \
    "$(jget 'd["history"][-1]["total_requests"]')" "$(jget 'entry("", "Aggregated")["num_requests"]' "$E2E_TMP/req.json")"
t_eq "the history's user counts rose to 3, then 6, then fell to 2" \
    "$(jget '(lambda s: 3 in s and 6 in s and s.index(3) < s.index(6) and s[-1] == 2)([u for i, u in enumerate(r["user_count"] for r in d["history"][:-1]) if i == 0 or d["history"][i - 1]["user_count"] != u])')" True
t_eq "GET /stats/history/csv: header" "$(curl -s -m 5 "$WEB/stats/history/csv" | head -n 1 | cut -d, -f1-6)" \
    "Timestamp,User Count,Type,Name,Requests/s,Failures/s"
code=$(curl -s -m 10 -o "$E2E_TMP/report.html" -w '%{http_code} %{content_type}' "$WEB/stats/report")
t_eq "GET /stats/report: an HTML page" "$code" "200 text/html; charset=utf-8"

# ---- /metrics as Prometheus text
code=$(curl -s -m 5 -o "$E2E_TMP/metrics" -w '%{http_code} %{content_type}' "$WEB/metrics")
t_eq "GET /metrics: 200 in text format 0.0.4" "$code" "200 text/plain; version=0.0.4; charset=utf-8"
prom=$(timeout 10 python3 - "$E2E_TMP/metrics" "$E2E_TMP/req.json" <<'PY' 2>&1
import json, re, sys
text = open(sys.argv[1]).read()
req = json.load(open(sys.argv[2]))
samples, types, errs = [], {}, []
lab = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)')
for ln in text.splitlines():
    if ln.startswith("# TYPE "):
        _, _, name, t = ln.split(" ", 3); types[name] = t; continue
    if ln.startswith("#") or not ln.strip():
        continue
    m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$', ln)
    if not m:
        errs.append("bad line: " + ln); continue
    labels, rest = {}, m.group(2) or ""
    while rest:
        lm = lab.match(rest)
        if not lm:
            errs.append("bad labels: " + ln); break
        labels[lm.group(1)] = re.sub(r'\\(.)', lambda x: {"n": "\n"}.get(x.group(1), x.group(1)), lm.group(2))
        rest = rest[lm.end():]
    samples.append((m.group(1), labels, float(m.group(3))))
def get(metric, **lb):
    return [v for n, l, v in samples if n == metric and all(l.get(k) == x for k, x in lb.items())]
ent = {(e["method"], e["name"]): e for e in req["stats"]}
for (mth, nm), e in ent.items():
    if nm == "Aggregated":
        continue
    if get("swarm_requests_total", method=mth, name=nm) != [e["num_requests"]]:
        errs.append("requests_total %s %s" % (mth, nm))
    if get("swarm_failures_total", method=mth, name=nm) != [e["num_failures"]]:
        errs.append("failures_total %s %s" % (mth, nm))
    b = [(l["le"], v) for n, l, v in samples if n == "swarm_response_time_seconds_bucket" and l.get("name") == nm]
    les = [float(x) for x, _ in b]
    if len(b) < 10 or les != sorted(les) or b[-1][0] != "+Inf":
        errs.append("buckets not ascending to +Inf for " + nm)
    if [v for _, v in b] != sorted(v for _, v in b):
        errs.append("buckets not cumulative for " + nm)
    if b and b[-1][1] != e["num_requests"] or get("swarm_response_time_seconds_count", name=nm) != [e["num_requests"]]:
        errs.append("+Inf / _count != requests for " + nm)
    # the bucket holding the median covers at least half the requests
    med = e["median_response_time"] / 1000.0
    under = [v for le, v in b if float(le) >= med * 1.02 + 0.0005]
    if under and under[0] < e["num_requests"] / 2:
        errs.append("median not within the buckets for " + nm)
if types.get("swarm_response_time_seconds") != "histogram" or types.get("swarm_requests_total") != "counter":
    errs.append("TYPE lines")
if get("swarm_state", state="stopped") != [1] or sum(get("swarm_state")) != 1:
    errs.append("swarm_state")
if get("swarm_users") != [0]:
    errs.append("swarm_users")
print("; ".join(errs) if errs else "ok")
PY
)
t_eq "/metrics parses and agrees with /stats/requests (quoted label included)" "$prom" ok

# ---- reset
t_eq "GET /stats/reset: 200" "$(api GET /stats/reset)" 200
t_eq "after the reset: no requests, no history" \
    "$(api GET /stats/requests >/dev/null; jget 'entry("", "Aggregated")["num_requests"]') $(api GET /stats/history >/dev/null; jget 'len(d["history"])')" "0 0"

# ---- run_time and host from POST /swarm
t_eq "POST /swarm with host and run_time=1s: 200" \
    "$(api POST /swarm -d "user_count=2&spawn_rate=10&run_time=1s&host=$TARGET_URL/")" 200
t_eq "it answers with the new host" "$(jget 'd["host"]')" "$TARGET_URL/"
t_check "the run stops by itself after run_time (within 6 s)" wait_state stopped 6
t_check "the server keeps serving after the run" [ "$(api GET /stats/requests)" = 200 ]

# ---- a port in use: exit 2 with one sentence
timeout -k 2 10 "$BIN" -P "$WP" >"$E2E_TMP/busy.out" 2>"$E2E_TMP/busy.err"
rc=$?
t_eq "a second binary on the same port exits 2" "$rc" 2
t_check "with one line saying the port is in use" \
    [ "$(wc -l <"$E2E_TMP/busy.err")" -eq 1 -a -n "$(grep -i 'already in use' "$E2E_TMP/busy.err")" ]

# ---- SIGTERM ends the server cleanly
# (to the binary itself, not to its `timeout` wrapper, which would send it
# again to the whole group, LeakSanitizer's exit-time tracer included)
kill -TERM "$(pgrep -P "$WEB_PID" | head -n 1)" 2>/dev/null || kill -TERM "$WEB_PID"
wait "$WEB_PID"
rc=$?
WEB_PID=
t_eq "SIGTERM: the server exits 0" "$rc" 0
t_check "and prints the summary" grep -q Aggregated "$E2E_TMP/web.out"

# ---- --users with --web and basic auth
WP2=$(free_port)
timeout -s KILL 60 "$BIN" -P "$WP2" --web -u 2 -r 10 -t 1s --web-auth 'ann:s3cret' \
    --host "$TARGET_URL" >"$E2E_TMP/web2.out" 2>"$E2E_TMP/web2.err" &
WEB_PID=$!
WEB="http://127.0.0.1:$WP2"
for i in $(seq 100); do curl -s -m 1 -o /dev/null "$WEB/" && break; sleep 0.05; done
t_eq "no credentials: 401" "$(api GET /stats/requests)" 401
t_check "with a WWW-Authenticate challenge" \
    sh -c "curl -s -m 5 -D - -o /dev/null '$WEB/metrics' | grep -qi '^WWW-Authenticate: Basic'"
t_eq "a wrong password: 401" "$(api GET /stats/requests -u 'ann:wrong')" 401
t_eq "a wrong user: 401" "$(api GET /stats/requests -u 'bob:s3cret')" 401
t_eq "every route needs it (GET /)" "$(api GET / )" 401
t_eq "the right credentials: 200" "$(api GET /stats/requests -u 'ann:s3cret')" 200
t_eq "--users with --web started at once" "$(jget '(d["user_count"] > 0 or d["stats"][-1]["num_requests"] > 0)')" True
sleep 2.5
t_eq "after --run-time the run stopped and the server still answers" \
    "$(api GET /stats/requests -u 'ann:s3cret') $(jget 'd["state"]')" "200 stopped"
kill -INT "$WEB_PID"
wait "$WEB_PID"
rc=$?
WEB_PID=
t_eq "SIGINT ends it with status 0" "$rc" 0

# ---- a non-loopback address without auth prints a warning
WP3=$(free_port)
timeout -s KILL 20 "$BIN" -P "$WP3" --web-host 0.0.0.0 --host "$TARGET_URL" \
    >"$E2E_TMP/web3.out" 2>"$E2E_TMP/web3.err" &
WEB_PID=$!
for i in $(seq 100); do curl -s -m 1 -o /dev/null "http://127.0.0.1:$WP3/stats/requests" && break; sleep 0.05; done
kill -TERM "$WEB_PID"; wait "$WEB_PID"; WEB_PID=
t_check "binding 0.0.0.0 without --web-auth warns" grep -q 'WARNING.*--web-auth' "$E2E_TMP/web3.err"
e2e_finish
