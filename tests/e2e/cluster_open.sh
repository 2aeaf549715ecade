#!/usr/bin/env bash
# tests/e2e/cluster_open.sh -- issue 10 over a cluster (a master and Swarm
# slaves on 127.0.0.1):
#  - the open model's rate is split over the slaves in proportion to their
#    users (20 users on 2 slaves at 60/s: 30/s each); the target sees the
#    cluster-wide rate, and the master's merged arrival counters account for
#    every iteration (started = completed + cancelled, = what the target saw);
#  - POST /swarm `rate` re-splits a running test (the slaves' shares add up
#    to the new rate, the target sees it);
#  - --rate on a slave's command line is refused (exit 2);
#  - requests cancelled at stop on the slaves reach the master's summary and
#    JSON (completed + cancelled = what the target received);
#  - thresholds are evaluated on the master's merged numbers (exit 3 and
#    JUnit when one fails);
#  - a slave that is the bottleneck is shown per slave by the master (JSON,
#    HTML, /metrics), which marks its own summary and JSON.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.bash"
e2e_init cluster_open
trap cluster_cleanup EXIT
target_start
swarm_script co <<'SW' || e2e_finish
host "http://127.0.0.1:1"
arrival rate 60 per second
task t { get "/resources/1" name "/r" }
SW

# ---- the rate split over two slaves (headless)
MP=$(free_port)
stats_reset
for n in 1 2; do cl_slave $n "$E2E_TMP/co" "$MP"; done
swarm_run 60 "$E2E_TMP/co" --master --master-bind-port "$MP" --expect-slaves 2 \
    --headless -u 20 -r 1000 -t 5s --host "$TARGET_URL" --json "$E2E_TMP/m.json" \
    --threshold 'all fail_ratio < 1%' --threshold 'all rps > 30'
for n in 1 2; do wait "${SLAVE_WD[$n]}" 2>/dev/null; done
stats_fetch "$E2E_TMP/t.json"
t_eq "master exit status 0 (its thresholds, on the merged numbers, passed)" "$RUN_RC" 0
for n in 1 2; do
    t_check "slave $n ran its share: 30/s" grep -q "Open model: 30.00 iterations/s on this slave" \
        "$E2E_TMP/slave$n.err"
done
chk=$(timeout 20 python3 - "$E2E_TMP/m.json" "$E2E_TMP/t.json" <<'PY' 2>&1
import json, sys
d = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2]))
a = d["arrival"]; errs = []
ent = [e for e in d["stats"] if e["name"] == "/r"][0]
n = ent["num_requests"]; canc = d["cancelled_at_stop"]["total"]
served = t["requests"].get("GET /resources/{id}", 0)
if a is None: errs.append("no arrival counters on the master")
else:
    if a["started"] != n + canc: errs.append("started %d != completed %d + cancelled %d" % (a["started"], n, canc))
    if not (n <= served <= n + canc): errs.append("target saw %d, swarm %d + %d" % (served, n, canc))
    if abs(a["started"] - 300) > 45: errs.append("%d iterations in 5 s at 60/s" % a["started"])
    if a["dropped"]: errs.append("dropped %s" % a)
    if abs(a["rate"] - 60) > 1e-6: errs.append("rate %s" % a["rate"])
rates = sorted(s.get("arrival_rate", -1) for s in d["slaves"])
if rates != [30, 30]: errs.append("shares %s" % rates)
for s in d["slaves"]:
    if not all(k in s for k in ("lag_p99_ms", "lag_max_ms", "overloaded", "max_lag_ms")):
        errs.append("no self-check for slave %s" % s["id"])
print("; ".join(errs) if errs else "ok")
PY
)
t_eq "the master merged the slaves' open-model counters and showed their shares" "$chk" ok
t_py "the two slaves ran about the same number of iterations ($(cl_slave_total 1), $(cl_slave_total 2))" \
    'abs(a - b) <= 0.2 * (a + b) / 2 and a > 50' a="$(cl_slave_total 1)" b="$(cl_slave_total 2)"

# ---- --rate on a slave is refused
swarm_run 10 "$E2E_TMP/co" --slave --master-port "$MP" --rate 5
t_eq "--rate on a slave: exit 2" "$RUN_RC" 2
t_check "... saying where it belongs" grep -q "belongs on the master" "$RUN_ERR"

# ---- re-scaled through POST /swarm on a master with its web UI
MP=$(free_port); WP=$(free_port)
stats_reset
for n in 1 2; do cl_slave $n "$E2E_TMP/co" "$MP"; done
cl_bg 60 "$E2E_TMP/web.out" "$E2E_TMP/web.err" "$E2E_TMP/co" --master --master-bind-port "$MP" \
    --web --web-port "$WP" --web-host 127.0.0.1 --host "$TARGET_URL"
WEB=$CL_PID
WEBP=$CL_KID
cl_wait_log "$E2E_TMP/web.err" "2 slaves ready" 20
curl -s --max-time 5 -X POST -d "user_count=20&spawn_rate=1000" "http://127.0.0.1:$WP/swarm" >/dev/null
sleep 2
curl -s --max-time 5 -X POST -d "user_count=20&spawn_rate=1000&rate=150" \
    "http://127.0.0.1:$WP/swarm" >"$E2E_TMP/rescale.json"
sleep 3.5
# the rate the target saw: arrivals in the last 2 s by its own clock (its
# log), so a slow test process does not stretch the window
n2=$(curl -s --max-time 5 "$TARGET_URL/__log" | timeout 10 python3 -c '
import json, sys
a = [t for t, s, u in json.load(sys.stdin)["records"] if u.startswith("/resources")]
print(sum(1 for t in a if t > max(a) - 2000) if a else 0)')
shares=$(cl_json "http://127.0.0.1:$WP/stats/requests" \
    "float(round(sum(w.get('arrival_rate', 0) for w in d['workers']), 6))")
curl -s --max-time 5 "http://127.0.0.1:$WP/metrics" >"$E2E_TMP/metrics.txt"
curl -s --max-time 5 "http://127.0.0.1:$WP/stop" >/dev/null
kill -INT "$WEBP" 2>/dev/null
wait "$WEB" 2>/dev/null
t_check "the re-scale was accepted" grep -q '"success": *true' "$E2E_TMP/rescale.json"
t_eq "the slaves' shares add up to the new rate" "$shares" 150.0
t_eq "/metrics: each slave's loop lag, CPU and users, labelled by slave" \
    "$(grep -cE '^swarm_slave_(event_loop_lag_seconds|cpu_usage_percent|users)\{slave="[^"]+",index="[0-9]+"\} [0-9.e+-]+$' "$E2E_TMP/metrics.txt")" 6
t_py "the target saw the new rate (about 300 in its last 2 s: $n2)" '255 <= n <= 345' n="$n2"

# ---- requests cancelled at stop on the slaves reach the master
swarm_script cc <<'SW' || e2e_finish
host "http://127.0.0.1:1"
wait 100ms
task slow { get "/delay/1500" name "/delay/{ms}" }
SW
MP=$(free_port)
stats_reset
for n in 1 2; do cl_slave $n "$E2E_TMP/cc" "$MP"; done
swarm_run 60 "$E2E_TMP/cc" --master --master-bind-port "$MP" --expect-slaves 2 \
    --headless -u 6 -r 1000 -t 3s --stop-timeout 0 --host "$TARGET_URL" --json "$E2E_TMP/c.json" \
    --threshold '"GET /delay/{ms}" p50 < 100ms' --junit "$E2E_TMP/c.xml"
for n in 1 2; do wait "${SLAVE_WD[$n]}" 2>/dev/null; done
sleep 1.6                            # the target answers what it held
stats_fetch "$E2E_TMP/tc.json"
chk=$(timeout 20 python3 - "$E2E_TMP/c.json" "$E2E_TMP/tc.json" <<'PY' 2>&1
import json, sys
d = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2]))
ent = [e for e in d["stats"] if e["name"] == "/delay/{ms}"]
n = ent[0]["num_requests"] if ent else 0
c = d["cancelled_at_stop"]
rows = [r for r in c["entries"] if r["name"] == "/delay/{ms}"]
served = sum(v for k, v in t["requests"].items() if k.startswith("GET /delay"))
errs = []
if c["total"] < 6: errs.append("cancelled %s" % c)
if not rows or rows[0]["count"] != c["total"]: errs.append("rows %s" % c)
if n + c["total"] != served: errs.append("completed %d + cancelled %d != target %d" % (n, c["total"], served))
print("; ".join(errs) if errs else "ok")
PY
)
t_eq "cancelled at stop on the slaves: counted by the master (completed + cancelled = served)" "$chk" ok
t_check "... and in the master's summary" grep -Eq "[0-9]+ requests in flight cancelled at stop" "$RUN_OUT"
t_eq "a threshold that fails on the slaves' merged numbers: the master exits 3" "$RUN_RC" 3
t_check "... and its JUnit file has the failed threshold" \
    grep -q '<testcase [^>]*GET /delay/{ms}[^>]*p50 &lt; 100ms' "$E2E_TMP/c.xml"

# ---- a slave that is the bottleneck, shown by the master
swarm_script burn <"$(dirname "$0")/scripts/burn.swarm" || e2e_finish
MP=$(free_port)
stats_reset
cl_slave 1 "$E2E_TMP/burn" "$MP"
swarm_run 60 "$E2E_TMP/burn" --master --master-bind-port "$MP" --expect-slaves 1 \
    --headless -u 4 -r 1000 -t 7s --host "$TARGET_URL" --json "$E2E_TMP/b.json" --only-summary \
    --html "$E2E_TMP/b.html"
wait "${SLAVE_WD[1]}" 2>/dev/null
chk=$(timeout 20 python3 - "$E2E_TMP/b.json" "$RUN_OUT" <<'PY' 2>&1
import json, math, re, sys
d = json.load(open(sys.argv[1])); out = open(sys.argv[2]).read()
s = d["self_check"]; sl = d["slaves"][0]; errs = []
if not sl.get("overloaded"): errs.append("slave not marked: %s" % sl)
if not sl.get("lag_max_ms", 0) > 10: errs.append("slave lag %s" % sl)
if not s["overloaded"] or s["overloaded_slaves"] != 1: errs.append("master not marked: %s" % s)
if s["max_lag_ms"] < sl["max_lag_ms"]: errs.append("master's own delay %s < slave's %s" % (s["max_lag_ms"], sl["max_lag_ms"]))
m = re.search(r"Swarm was overloaded on 1 slave .*results include up to (\d+) ms", out)
if not m or int(m.group(1)) != math.ceil(s["max_lag_ms"]): errs.append("summary: %s" % (m and m.group(0)))
print("; ".join(errs) if errs else "ok")
PY
)
t_eq "the slave's overload is shown per slave and marks the master's run" "$chk" ok
t_eq "the master warned once about the slave" "$(grep -c "Slave .* is a bottleneck" "$RUN_ERR")" 1
t_check "the HTML report carries the slave's self-check and the Slaves tab's columns" \
    bash -c "grep -Eq '\"slaves\":\\[\\{[^]]*\"overloaded\":true' '$E2E_TMP/b.html' && grep -q 'Loop lag p99' '$E2E_TMP/b.html'"
e2e_finish
