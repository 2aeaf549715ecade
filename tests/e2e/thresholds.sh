#!/usr/bin/env bash
# tests/e2e/thresholds.sh -- issue 10: thresholds decide the exit status.
# Script thresholds and --threshold are evaluated on the whole run; each
# result appears in the console summary, --json (with the observed value,
# checked against the JSON's own histogram and against the target's
# recorded delays) and --junit; a failed threshold exits 3, also over
# failed requests (1); `abort` stops a run when the target stalls (stall
# and delays known from the target's own log); a bad --threshold is exit 2.
. "$(dirname "$0")/lib.sh"
e2e_init thresholds
target_start
swarm_script thr <<'SW' || e2e_finish
host "http://127.0.0.1:1"
wait 10ms
threshold all p95 < 5s
threshold all fail_ratio < 1%
threshold "GET /delay/{ms}" rps > 1
task slow {
    get "/delay/25" name "/delay/{ms}"
}
SW

P="$E2E_TMP/a"
stats_reset
swarm_run 40 "$E2E_TMP/thr" --users 3 --hatch-rate 30 --run-time 3s --host "$TARGET_URL" \
    --json "$P.json" --junit "$P.xml" --threshold 'all p50 < 20ms' --threshold 'all p99.9 < 10s'
t_eq "a failing --threshold exits 3" "$RUN_RC" 3
t_check "the console summary lists the thresholds" grep -q 'Thresholds: 4 passed, 1 failed' "$RUN_OUT"
t_check "the console marks the failed one" grep -Eq 'FAIL +all p50 < 20ms +p50 = ([2-9][0-9]|[0-9]{3,}) ms' "$RUN_OUT"
t_check "the console marks a passed one" grep -Eq 'PASS +all fail_ratio < 1%' "$RUN_OUT"
curl -s --max-time 5 "$TARGET_URL/__log" >"$E2E_TMP/log.json"
chk=$(timeout 20 python3 - "$P.json" "$P.xml" "$E2E_TMP/log.json" <<'PY' 2>&1
import json, sys, xml.etree.ElementTree as ET
d = json.load(open(sys.argv[1])); log = json.load(open(sys.argv[3]))
errs = []
th = {t["threshold"]: t for t in d["thresholds"]}
want = {"all p95 < 5s": True, "all fail_ratio < 1%": True, '"GET /delay/{ms}" rps > 1': True,
        "all p50 < 20ms": False, "all p99.9 < 10s": True}
for k, v in want.items():
    if k not in th: errs.append("missing %s in %s" % (k, list(th)))
    elif th[k]["passed"] != v: errs.append("%s passed=%s" % (k, th[k]["passed"]))
if th.get("all p50 < 20ms", {}).get("source") != "command line": errs.append("source of --threshold")
if th.get("all p95 < 5s", {}).get("source") != "script": errs.append("source of script threshold")
# observed p50 equals the percentile of the JSON's own histogram (nearest rank, bucket value)
agg = [e for e in d["stats"] if e["name"] == "Aggregated"][0]
obs = th["all p50 < 20ms"]["observed"]
if abs(obs - agg["percentiles"]["0.5"]) > 1: errs.append("p50 %s vs table %s" % (obs, agg["percentiles"]["0.5"]))
# ground truth: the target held every request 25 ms, so Swarm's p50 is at least that
held = sorted(s - a for a, s, u in log["records"])
if not held or held[len(held) // 2] < 24.5: errs.append("target log: median held %s" % held[len(held)//2:][:1])
if obs < held[len(held) // 2]: errs.append("p50 %.2f below the target's own %.2f" % (obs, held[len(held)//2]))
rps = th['"GET /delay/{ms}" rps > 1']["observed"]
if abs(rps - agg["total_rps"]) > 1e-6: errs.append("rps %s vs total_rps %s" % (rps, agg["total_rps"]))
x = ET.parse(sys.argv[2]).getroot()
cases = x.findall(".//testcase")
if len(cases) != 6: errs.append("junit: %d test cases" % len(cases))
failed = [c.get("name") for c in cases if c.find("failure") is not None]
if failed != ["all p50 < 20ms"]: errs.append("junit failures %s" % failed)
if x.get("failures") != "1": errs.append("junit failures attribute %s" % x.get("failures"))
if not any(c.get("name") == "no failed requests" for c in cases): errs.append("no 'no failed requests' case")
print("; ".join(errs) or "ok")
PY
)
t_eq "JSON and JUnit agree with the console and the target" "$chk" ok

# the HTML report (rendered by a real browser) shows each result
swarm_run 40 "$E2E_TMP/thr" --users 2 --hatch-rate 20 --run-time 2s --host "$TARGET_URL" \
    --html "$P.html" --threshold 'all p50 < 20ms'
if command -v chromium >/dev/null; then
    timeout 90 chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$P.html" \
        2>/dev/null >"$E2E_TMP/dom.html"
    t_check "HTML report: the failed threshold's row" \
        grep -Eq '<td class="fail">FAIL</td><td class="mono">all p50 &lt; 20ms</td><td class="num">([2-9][0-9]|[0-9]{3,})\.?[0-9]* ms</td>' "$E2E_TMP/dom.html"
    t_check "HTML report: a passed threshold's row" \
        grep -q '<td class="pass">PASS</td><td class="mono">all fail_ratio &lt; 1%</td><td class="num">0%</td>' "$E2E_TMP/dom.html"
else
    t_ok "# SKIP no chromium for the HTML report check"
fi

# the web UI's live JSON carries the thresholds, evaluated on the run so far
WP=$(free_port)
timeout -k 5 40 "$E2E_TMP/thr" --web --web-port "$WP" --users 2 --hatch-rate 20 --run-time 4s \
    --host "$TARGET_URL" --threshold 'all p50 < 20ms' >/dev/null 2>&1 &
web_pid=$!
sleep 2.5
live=$(curl -s -m 5 "http://127.0.0.1:$WP/stats/requests" | timeout 10 python3 -c '
import json, sys
d = json.load(sys.stdin)
t = {x["threshold"]: x for x in d["thresholds"]}
print(len(t), t["all p50 < 20ms"]["passed"], t["all p95 < 5s"]["passed"], t["all p50 < 20ms"]["observed"] >= 24)' 2>&1)
proc_stop "$web_pid" 100
t_eq "GET /stats/requests: every threshold with its live result" "$live" "4 False True True"

# passing thresholds: exit 0; failed requests with passing thresholds: 1;
# failed requests and a failed threshold: 3
swarm_run 40 "$E2E_TMP/thr" --users 2 --hatch-rate 20 --run-time 2s --host "$TARGET_URL"
t_eq "all thresholds pass: exit 0" "$RUN_RC" 0
swarm_script thr_fail <<'SW' || e2e_finish
wait 10ms
threshold all p99 < 10s
task bad { get "/status/503" }
SW
swarm_run 40 "$E2E_TMP/thr_fail" --users 2 --hatch-rate 20 --run-time 2s --host "$TARGET_URL" --junit "$P-f.xml"
t_eq "failed requests, passing threshold: exit 1" "$RUN_RC" 1
t_check "junit: 'no failed requests' fails" grep -q 'requests failed' "$P-f.xml"
swarm_run 40 "$E2E_TMP/thr_fail" --users 2 --hatch-rate 20 --run-time 2s --host "$TARGET_URL" \
    --threshold 'all fail_ratio < 50%'
t_eq "failed requests and a failed threshold: exit 3" "$RUN_RC" 3
t_check "fail_ratio shown as a percentage" grep -Eq 'FAIL +all fail_ratio < 50% +fail_ratio = 100.00%' "$RUN_OUT"

# abort: the target stalls 1.5 s two seconds in; max < 500ms abort stops the run
swarm_script thr_abort <<'SW' || e2e_finish
wait 20ms
threshold all max < 500ms abort
task t { get "/resources/1" }
SW
stats_reset
( sleep 2; curl -s --max-time 5 -X POST "$TARGET_URL/__stall/1500" >/dev/null ) &
stall_pid=$!
swarm_run 60 "$E2E_TMP/thr_abort" --users 2 --hatch-rate 20 --run-time 30s --host "$TARGET_URL" --json "$P-a.json"
wait "$stall_pid"
t_eq "an abort threshold that fails exits 3" "$RUN_RC" 3
t_py "the run stopped soon after the stall (${RUN_SECS}s of 30s)" 's < 10' s="$RUN_SECS"
t_check "the log says which threshold aborted" grep -q "threshold 'all max < 500ms abort' failed, aborting the run" "$RUN_ERR"
t_check "the console marks it" grep -q '(aborted the run)' "$RUN_OUT"
ab=$(timeout 10 python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["thresholds"][0]
print("ok" if t["aborted"] and not t["passed"] and t["observed"] >= 1000 else t)' "$P-a.json" 2>&1)
t_eq "the JSON marks it aborted, max held >= 1 s by the stall" "$ab" ok

# a bad --threshold: exit 2 and one sentence, before any request
stats_reset
swarm_run 20 "$E2E_TMP/thr" --users 1 --run-time 2s --host "$TARGET_URL" --threshold 'all p95 < 3%'
t_eq "bad --threshold: exit 2" "$RUN_RC" 2
t_check "bad --threshold: one sentence naming the option" \
    grep -q "^swarm: --threshold 'all p95 < 3%': p95 takes a duration" "$RUN_ERR"
t_eq "bad --threshold: one line" "$(wc -l <"$RUN_ERR")" 1
stats_fetch "$E2E_TMP/s.json"
t_eq "bad --threshold: no request sent" "$(stats_num "$E2E_TMP/s.json" 'sum(d["requests"].values())')" 0
e2e_finish
