#!/usr/bin/env bash
# tests/e2e/selfcheck.sh -- issue 10: Swarm says when it is the bottleneck.
# A script that keeps the event loop busy (a counting loop before each
# request) makes the probe timer late: the run warns once, the summary says
# "results include up to N ms of Swarm's own delay", and --json,
# /stats/requests and /metrics carry the lag and CPU figures. Ground truth:
# the target answered every request at once (its log), so what Swarm
# reports beyond that is its own delay. Then a pure-CPU script: its CPU
# figures against its CPU time measured from outside.
. "$(dirname "$0")/lib.sh"
e2e_init selfcheck
target_start
swarm_script burn <"$(dirname "$0")/scripts/burn.swarm" || e2e_finish
P="$E2E_TMP/b"
stats_reset
swarm_run 40 "$E2E_TMP/burn" --users 4 --hatch-rate 100 --run-time 7s --host "$TARGET_URL" \
    --json "$P.json" --only-summary
t_eq "the run finished (exit 0)" "$RUN_RC" 0
t_eq "one warning on the console" "$(grep -c 'Swarm itself is a bottleneck' "$RUN_ERR")" 1
curl -s --max-time 5 "$TARGET_URL/__log" >"$E2E_TMP/log.json"
chk=$(timeout 20 python3 - "$P.json" "$RUN_OUT" "$E2E_TMP/log.json" <<'PY' 2>&1
import json, math, re, sys
d = json.load(open(sys.argv[1])); out = open(sys.argv[2]).read(); log = json.load(open(sys.argv[3]))
s = d["self_check"]; errs = []
if not s["overloaded"]: errs.append("not marked: %s" % s)
if s["marked_by"] not in ("lag", "lag and cpu"): errs.append("marked_by %s" % s["marked_by"])
if not (s["lag_max_ms"] > 10 and s["max_lag_ms"] > 10): errs.append("lags %s" % s)
m = re.search(r"results include up to (\d+) ms of Swarm's own delay", out)
if not m or int(m.group(1)) != math.ceil(s["max_lag_ms"]):
    errs.append("summary %s vs max_lag_ms %s" % (m and m.group(0), s["max_lag_ms"]))
served = max(snd - arr for arr, snd, u in log["records"])
agg = [e for e in d["stats"] if e["name"] == "Aggregated"][0]
if served > 5: errs.append("the target itself took %.1f ms" % served)
if agg["max_response_time"] <= served + 5: errs.append("no own delay visible: max %s" % agg["max_response_time"])
print("; ".join(errs) or "ok")
PY
)
t_eq "JSON marks the run, the summary's N is the largest lag, the target was fast" "$chk" ok

# live: /stats/requests and /metrics carry the figures
WP=$(free_port)
timeout -k 5 40 "$E2E_TMP/burn" --web --web-port "$WP" --users 4 --hatch-rate 100 --run-time 20s \
    --host "$TARGET_URL" >/dev/null 2>&1 &
web_pid=$!
sleep 3
live=$(curl -s -m 5 "http://127.0.0.1:$WP/stats/requests" | timeout 10 python3 -c '
import json, sys
s = json.load(sys.stdin)["self_check"]
print(s["lag_p99_ms"] > 10, 0 <= s["cpu_percent"] <= 200, sorted(s["limits"].items()))' 2>&1)
curl -s -m 5 "http://127.0.0.1:$WP/metrics" >"$E2E_TMP/metrics"
proc_stop "$web_pid" 100
t_eq "/stats/requests: lag p99 and CPU" "$live" "True True [('cpu_percent', 90), ('lag_p99_ms', 10), ('window_s', 5)]"
t_check "/metrics: the lag gauge" grep -Eq '^swarm_event_loop_lag_seconds 0\.[0-9]+$' "$E2E_TMP/metrics"
t_check "/metrics: the CPU gauge" grep -Eq '^swarm_cpu_usage_percent [0-9.]+$' "$E2E_TMP/metrics"
t_check "/metrics: overloaded" grep -q '^swarm_overloaded 1$' "$E2E_TMP/metrics"

# CPU: a script that only computes (no request, no wait) keeps the process
# busy. Ground truth: its CPU time and wall time measured from outside
# (getrusage of the child). The largest per-second CPU figure is at least
# the run's average, and one process uses at most one core. Whether the
# run is marked by CPU (each of 5 seconds above 90%) depends on the machine
# lending a whole core that long: when it is, the warning, the summary and
# the JSON agree (the decision itself: tests/units/test_selfcheck.c).
swarm_script spin <<'SW' || e2e_finish
host "http://127.0.0.1:1"
task spin {
    let i = 0
    while i < 20000 { i = i + 1 }
}
SW
chk=$(timeout 60 python3 - "$E2E_TMP/spin" "$E2E_TMP/spin.json" <<'PY' 2>&1
import json, os, re, resource, subprocess, sys, time
t0 = time.monotonic()
p = subprocess.run([sys.argv[1], "--users", "2", "--hatch-rate", "100", "--run-time", "8s",
                    "--json", sys.argv[2], "--only-summary"], capture_output=True, text=True, timeout=50)
wall = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
avg = 100.0 * (ru.ru_utime + ru.ru_stime) / wall
s = json.load(open(sys.argv[2]))["self_check"]; errs = []
if p.returncode != 0: errs.append("exit %d" % p.returncode)
if not (avg - 5 <= s["cpu_max_percent"] <= 105): errs.append("cpu_max_percent %s, average from outside %.1f" % (s["cpu_max_percent"], avg))
if avg < 5: errs.append("the script did not keep the process busy: %.1f%%" % avg)
warned = "Swarm itself is a bottleneck" in p.stderr
m = re.search(r"CPU up to (\d+)%\): results include up to (\d+) ms", p.stdout)
if s["overloaded"] != warned or s["overloaded"] != bool(m): errs.append("overloaded %s, warned %s, summary %s" % (s["overloaded"], warned, bool(m)))
if m and abs(int(m.group(1)) - s["cpu_max_percent"]) > 0.5: errs.append("summary CPU %s vs %s" % (m.group(1), s["cpu_max_percent"]))
if "cpu" in (s["marked_by"] or "") and s["cpu_max_percent"] <= 90: errs.append("marked by cpu at %s%%" % s["cpu_max_percent"])
print("; ".join(errs) or "ok %.0f%% %s" % (avg, s["marked_by"]))
PY
)
case "$chk" in
ok*) t_ok "CPU: the JSON's largest per-second CPU use is at least the run's average measured from outside, at most one core; warning, summary and JSON agree (${chk#ok })" ;;
*) t_fail "CPU: $chk" ;;
esac
e2e_finish
