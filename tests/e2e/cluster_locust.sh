#!/usr/bin/env bash
# tests/e2e/cluster_locust.sh -- interoperability with Debian's Locust 2.12
# (python3-locust), both directions, on 127.0.0.1:
#  - a Swarm slave under a Locust master: Locust's CSV counts and failures
#    equal what the target served, no protocol error in Locust's log, the
#    master's class names matched to the script's, an unknown one mapped by
#    weight with one warning;
#  - a Locust worker under a Swarm master (Debian's worker sends an empty
#    version string): its numbers are merged (the master's CSV equals what
#    the target served);
#  - the open model (--rate) under a Swarm master: a Locust worker, which
#    has no open model, gets no users (one warning); the Swarm slave runs
#    the whole rate.
# Skipped (with the reason) when the `locust` command is not installed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.bash"
e2e_init cluster_locust
trap cluster_cleanup EXIT
cl_need_locust
target_start
swarm_script sl <<'SW' || e2e_finish
host "http://127.0.0.1:1"
user Reader weight 3 {
    wait 100ms
    task ok weight 3 { get "/" }
    task bad { get "/status/500" name "/status/500" }
}
user Writer weight 1 {
    wait 100ms
    task w { get "/things/1" name "/things/{id}" }
}
SW
cat >"$E2E_TMP/lf.py" <<'PY'
from locust import HttpUser, task, constant

class Reader(HttpUser):
    weight = 1
    wait_time = constant(0.1)
    @task
    def ok(self):
        self.client.get("/")

class Browser(HttpUser):       # not in the Swarm script
    weight = 1
    wait_time = constant(0.1)
    @task
    def ok(self):
        self.client.get("/")

class Writer(HttpUser):
    weight = 1
    wait_time = constant(0.1)
    @task
    def w(self):
        self.client.get("/things/1", name="/things/{id}")
PY

# ---- a Swarm slave under a Locust master
MP=$(free_port)
stats_reset
cl_slave 1 "$E2E_TMP/sl" "$MP"
(cd "$E2E_TMP" && timeout -k 5 60 locust -f lf.py --master --master-bind-host 127.0.0.1 \
    --master-bind-port "$MP" --headless -u 6 -r 20 -t 6s --stop-timeout 2 --expect-workers 1 \
    --csv lm -H "$TARGET_URL" --only-summary >lm.out 2>lm.err)
lrc=$?
wait "${SLAVE_WD[1]}" 2>/dev/null
stats_fetch "$E2E_TMP/t1.json"
t_check "the Locust master ran (exit $lrc)" [ -s "$E2E_TMP/lm_stats.csv" ]
served=$(stats_num "$E2E_TMP/t1.json" "req('GET /') + req('GET /status/{code}') + req('GET /things/{id}')")
fails=$(stats_num "$E2E_TMP/t1.json" "st(500) + st(404)")
lc=$(csv_get "$E2E_TMP/lm_stats.csv" "Request Count" Name=Aggregated)
lf=$(csv_get "$E2E_TMP/lm_stats.csv" "Failure Count" Name=Aggregated)
t_py "Locust's CSV counts what the target served ($lc of $served)" 'a == b and a > 20' a="$lc" b="$served"
t_eq "Locust's CSV failures equal the target's 404/500 answers" "$lf" "$fails"
t_check "the Swarm slave's classes ran (Writer's /things/{id} in Locust's table)" \
    grep -q '/things/{id}' "$E2E_TMP/lm_stats.csv"
t_check "no protocol error in Locust's log" \
    bash -c "! grep -Eiq 'traceback|rpcerror|unknown message|exception|pre 2.0' '$E2E_TMP/lm.err'"
t_check "Locust saw the worker" grep -q "reported as ready" "$E2E_TMP/lm.err"
t_eq "one warning for the class name the script lacks" \
    "$(grep -c "user class 'Browser', which this script does not have" "$E2E_TMP/slave1.err")" 1
t_check "the slave was told to quit and left" grep -q "The master says quit" "$E2E_TMP/slave1.err"

# ---- a Locust worker under a Swarm master
MP=$(free_port)
stats_reset
cl_locust_worker "$MP" lw
swarm_run 60 "$E2E_TMP/sl" --master --master-bind-port "$MP" --expect-slaves 1 \
    --expect-slaves-max-wait 30s --headless -u 4 -r 20 -t 6s --stop-timeout 2 \
    --host "$TARGET_URL" --csv "$E2E_TMP/sm" --json "$E2E_TMP/sm.json"
wait "$LW" 2>/dev/null
stats_fetch "$E2E_TMP/t2.json"
served=$(stats_num "$E2E_TMP/t2.json" "req('GET /') + req('GET /status/{code}') + req('GET /things/{id}')")
mc=$(csv_get "$E2E_TMP/sm_stats.csv" "Request Count" Name=Aggregated)
t_check "the Locust worker joined (empty version accepted)" grep -q "Locust worker .* joined" "$RUN_ERR"
t_py "the Swarm master merged the Locust worker's numbers ($mc of $served)" 'a == b and a > 20' \
    a="$mc" b="$served"
t_check "merged percentiles from Locust's buckets (median in the CSV)" \
    [ -n "$(csv_get "$E2E_TMP/sm_stats.csv" "Median Response Time" Name=Aggregated)" ]
t_check "the JSON lists a locust worker" grep -q '"kind":"locust"' "$E2E_TMP/sm.json"
t_check "no malformed message from the Locust worker" bash -c "! grep -q 'dropped a message' '$RUN_ERR'"

# ---- the open model: the Locust worker gets no users, the Swarm slave the rate
MP=$(free_port)
stats_reset
cl_locust_worker "$MP" lw2
cl_slave 1 "$E2E_TMP/sl" "$MP"
swarm_run 60 "$E2E_TMP/sl" --master --master-bind-port "$MP" --expect-slaves 2 \
    --expect-slaves-max-wait 30s --headless -u 4 -r 100 -t 4s --rate 20 \
    --host "$TARGET_URL" --json "$E2E_TMP/so.json"
wait "$LW" "${SLAVE_WD[1]}" 2>/dev/null
t_eq "open model: one warning that the Locust worker gets no users" \
    "$(grep -c "Locust worker .* has no open model" "$RUN_ERR")" 1
chk=$(timeout 20 python3 - "$E2E_TMP/so.json" <<'PY' 2>&1
import json, sys
d = json.load(open(sys.argv[1])); errs = []
k = {s["kind"]: s for s in d["slaves"]}
if k.get("swarm", {}).get("arrival_rate") != 20: errs.append("swarm share %s" % k.get("swarm"))
if k.get("locust", {}).get("arrival_rate") != 0: errs.append("locust share %s" % k.get("locust"))
a = d["arrival"]
if not a or abs(a["started"] - 80) > 16: errs.append("arrival %s" % a)
agg = [e for e in d["stats"] if e["name"] == "Aggregated"][0]
if a and agg["num_requests"] + d["cancelled_at_stop"]["total"] != a["started"]:
    errs.append("requests %d besides the open model's %d" % (agg["num_requests"], a["started"]))
print("; ".join(errs) if errs else "ok")
PY
)
t_eq "open model: the whole rate on the Swarm slave, none on the Locust worker" "$chk" ok
e2e_finish
