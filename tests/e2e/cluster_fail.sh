#!/usr/bin/env bash
# tests/e2e/cluster_fail.sh -- failures in a running cluster (real
# processes on 127.0.0.1, the master's web API to watch it):
#  - a slave SIGKILLed is missing within 4 s, logged, its users go to the
#    others (the run keeps its full count), and it is listed as lost;
#  - a slave SIGSTOPped is missing, then after SIGCONT back and given a share;
#  - a slave joining mid-run gets its share, also the second time;
#  - the master SIGKILLed: the slaves stop their users within 10 s, then
#    rejoin a master started again on the same port.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.bash"
e2e_init cluster_fail
trap cluster_cleanup EXIT
target_start
swarm_script cf <<'SW' || e2e_finish
host "http://127.0.0.1:1"
user U {
    wait 100ms
    task t { get "/resources/${user_id}" name "/resources/{id}" headers {"X-User-Id": user_id} }
}
SW
MP=$(free_port)
WP=$(free_port)
API="http://127.0.0.1:$WP/stats/requests"
for n in 1 2 3; do cl_slave $n "$E2E_TMP/cf" "$MP"; done
start_master() {  # USERS EXPECT
    cl_bg 120 "$E2E_TMP/master.out" "$E2E_TMP/master.err" "$E2E_TMP/cf" --master \
        --master-bind-port "$MP" --web --web-port "$WP" -u "$1" -r 4 --expect-slaves "$2" \
        --host "$TARGET_URL"
    MASTER_WD=$CL_PID
    MASTER_PID=$CL_KID
}
# wait_api SECONDS PYTHON-EXPR: poll /stats/requests (every 100 ms) until
# the expression over `d` holds; prints the last state when it never does.
wait_api() {
    timeout $(($1 + 5)) python3 - "$API" "$1" "$2" <<'PY'
import json, sys, time, urllib.request
url, secs, expr = sys.argv[1], float(sys.argv[2]), sys.argv[3]
end = time.time() + secs
d = None
while time.time() < end:
    try:
        d = json.load(urllib.request.urlopen(url, timeout=2))
        if eval(expr):
            sys.exit(0)
    except Exception:
        pass
    time.sleep(0.1)
if d:
    print("# last:", [(w["id"][-4:], w["state"], w["user_count"]) for w in d["workers"]], d["user_count"])
sys.exit(1)
PY
}
SUM='sum(w["user_count"] for w in d["workers"] if w["state"] != "missing")'
start_master 6 3
t_check "6 users run on 3 slaves" wait_api 20 "$SUM == 6 and d['worker_count'] == 3"

# ---- SIGKILL
echo "# kill at $(date +%T.%N)"
kill -KILL "${SLAVE_PID[1]}"
t0=$(date +%s.%N)
wait_api 8 '"missing" in [w["state"] for w in d["workers"]]'
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
t_py "a SIGKILLed slave is missing within 4 s (${secs}s)" 's <= 4.2' s="$secs"
t_check "the loss is logged" grep -q "missing; its users go to the other slaves" "$E2E_TMP/master.err"
t_check "its users go to the remaining slaves: 6 users on 2 slaves" \
    wait_api 10 "$SUM == 6 and d['worker_count'] == 2"

# ---- SIGSTOP / SIGCONT
kill -STOP "${SLAVE_PID[2]}"
t_check "a SIGSTOPped slave goes missing" \
    wait_api 8 '[w["state"] for w in d["workers"]].count("missing") == 2'
t_check "the last slave runs all 6 users" wait_api 10 "$SUM == 6 and d['worker_count'] == 1"
kill -CONT "${SLAVE_PID[2]}"
t_check "after SIGCONT it is back and given a share (6 users on 2 slaves)" \
    wait_api 20 "$SUM == 6 and d['worker_count'] == 2 and min(w['user_count'] for w in d['workers'] if w['state'] != 'missing') > 0"

# ---- joins mid-run, twice
cl_slave 4 "$E2E_TMP/cf" "$MP"
t_check "a slave joining mid-run gets its share (2 of 6)" \
    wait_api 20 "$SUM == 6 and d['worker_count'] == 3 and sorted(w['user_count'] for w in d['workers'] if w['state'] != 'missing') == [2, 2, 2]"
kill -TERM "${SLAVE_PID[4]}"
cl_slave 5 "$E2E_TMP/cf" "$MP"
t_check "a second join gets its share too" \
    wait_api 25 "$SUM == 6 and d['worker_count'] == 3 and sorted(w['user_count'] for w in d['workers'] if w['state'] != 'missing') == [2, 2, 2]"

# ---- the master dies
kill -KILL "$MASTER_PID"
wait "$MASTER_WD" 2>/dev/null
sleep 10
stats_fetch "$E2E_TMP/a.json"
sleep 2
stats_fetch "$E2E_TMP/b.json"
n1=$(stats_num "$E2E_TMP/a.json" "req('GET /resources/{id}')")
n2=$(stats_num "$E2E_TMP/b.json" "req('GET /resources/{id}')")
t_eq "10 s after the master died no slave sends load" "$n2" "$n1"
ok=0
for n in 2 3 5; do grep -q "was silent for 5 s: stopping the users" "$E2E_TMP/slave$n.err" && ok=$((ok + 1)); done
t_eq "every slave noticed and said so" "$ok" 3
start_master 3 3
t_check "the slaves rejoin a master started again: 3 users on 3 slaves" \
    wait_api 20 "$SUM == 3 and d['worker_count'] == 3"
sleep 1.5
stats_fetch "$E2E_TMP/c.json"
n3=$(stats_num "$E2E_TMP/c.json" "req('GET /resources/{id}')")
t_py "load runs again ($n2 -> $n3)" 'b > a' a="$n2" b="$n3"
curl -s --max-time 5 "http://127.0.0.1:$WP/stop" >/dev/null
kill -TERM "$MASTER_PID"
wait "$MASTER_WD" 2>/dev/null
e2e_finish
