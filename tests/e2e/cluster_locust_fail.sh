#!/usr/bin/env bash
# tests/e2e/cluster_locust_fail.sh -- a Swarm slave under a Locust 2.12
# master (Debian's python3-locust, which sends workers no heartbeats), on
# 127.0.0.1:
#  - a quiet Locust master (a steady run: it sends nothing) is not taken
#    for dead: the slave keeps its users and says nothing;
#  - the Locust master SIGKILLed: the slave says so within 10 s and stops
#    its users (the target's request count stops growing);
#  - a Locust master started again on the same port gets the slave back
#    (Locust's log shows the worker ready) and the load runs again;
#  - that master frozen (SIGSTOP: the TCP connection stays open, as when
#    its machine's network vanishes, but its libzmq no longer answers the
#    slave's ZeroMQ heartbeats): the slave stops its users within 15 s;
#    a third master gets it back;
#  - the slave's ZeroMQ heartbeats do not upset Locust's master.
# Skipped (with the reason) when the `locust` command is not installed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.bash"
e2e_init cluster_locust_fail
trap cluster_cleanup EXIT
cl_need_locust
target_start
swarm_script lfs <<'SW' || e2e_finish
host "http://127.0.0.1:1"
user U {
    wait 100ms
    task t { get "/resources/${user_id}" name "/resources/{id}" }
}
SW
cat >"$E2E_TMP/lf.py" <<'PY'
from locust import HttpUser, task, constant

class U(HttpUser):
    wait_time = constant(0.1)
    @task
    def t(self):
        self.client.get("/resources/1", name="/resources/{id}")
PY
MP=$(free_port)
# start_locust N USERS: a headless Locust master (no run time) on $MP, its
# log in lm$N.err; sets LM_WD (its watchdog) and LM_PID (locust itself).
start_locust() {
    cl_bg 90 "$E2E_TMP/lm$1.out" "$E2E_TMP/lm$1.err" locust -f "$E2E_TMP/lf.py" --master \
        --master-bind-host 127.0.0.1 --master-bind-port "$MP" --headless -u "$2" -r 20 \
        --expect-workers 1 -H "$TARGET_URL" --only-summary
    LM_WD=$CL_PID
    LM_PID=$CL_KID
}
# wait_nth FILE REGEX N SECONDS: wait until FILE has N lines matching REGEX.
wait_nth() {
    local i
    for i in $(seq $(($4 * 10))); do
        [ "$(grep -Ec "$2" "$1")" -ge "$3" ] && return 0
        sleep 0.1
    done
    return 1
}
count() {  # the target's /resources/{id} count
    stats_fetch "$E2E_TMP/s.json"
    stats_num "$E2E_TMP/s.json" "req('GET /resources/{id}')"
}

cl_slave 1 "$E2E_TMP/lfs" "$MP"
start_locust 1 3
t_check "the slave joins the Locust master" \
    cl_wait_log "$E2E_TMP/slave1.err" "Connected to the Locust master" 20
t_check "Locust saw the worker" cl_wait_log "$E2E_TMP/lm1.err" "reported as ready" 10
t_check "Locust spawned its users" cl_wait_log "$E2E_TMP/lm1.err" "All users spawned" 15

# ---- a quiet master is alive: 8 s of a steady run, the master says nothing
n0=$(count)
sleep 8
n1=$(count)
t_py "the load runs under the quiet master ($n0 -> $n1)" 'b > a + 50' a="$n0" b="$n1"
t_check "a quiet Locust master is not taken for dead" \
    bash -c "! grep -Eq 'was lost for|Lost the connection' '$E2E_TMP/slave1.err'"

# ---- SIGKILL the master
echo "# kill at $(date +%T.%N)"
kill -KILL "$LM_PID"
wait "$LM_WD" 2>/dev/null
t0=$(date +%s.%N)
cl_wait_log "$E2E_TMP/slave1.err" "was lost for 5 s: stopping the users" 12
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
t_py "the slave notices the dead master within 10 s (${secs}s)" 's <= 10' s="$secs"
t_check "it logged the lost connection first" grep -q "Lost the connection to the master" \
    "$E2E_TMP/slave1.err"
sleep 1
n2=$(count)
sleep 3
n3=$(count)
t_eq "then no more load reaches the target" "$n3" "$n2"
t_check "the slave is still running, waiting for a master" kill -0 "${SLAVE_PID[1]}"

# ---- a master again on the same port
start_locust 2 2
t_check "the slave rejoins a Locust master started again (Locust's log)" \
    cl_wait_log "$E2E_TMP/lm2.err" "reported as ready" 15
t_eq "the slave says it connected twice" \
    "$(grep -c "Connected to the Locust master" "$E2E_TMP/slave1.err")" 2
cl_wait_log "$E2E_TMP/lm2.err" "All users spawned" 15
sleep 2
n4=$(count)
t_py "load runs again ($n3 -> $n4)" 'b > a' a="$n3" b="$n4"
t_check "no protocol error in either Locust log" \
    bash -c "! grep -Eiq 'traceback|rpcerror|unknown message|exception|pre 2.0' '$E2E_TMP/lm1.err' '$E2E_TMP/lm2.err'"

# ---- freeze that master: only the ZeroMQ heartbeats can tell
kill -STOP "$LM_PID"
t0=$(date +%s.%N)
wait_nth "$E2E_TMP/slave1.err" "was lost for 5 s: stopping the users" 2 20
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
t_py "a frozen master (no answer to heartbeats) counts as gone within 15 s (${secs}s)" \
    's <= 15' s="$secs"
sleep 1
n5=$(count)
sleep 3
n6=$(count)
t_eq "no more load after the frozen master is given up" "$n6" "$n5"
kill -KILL "$LM_PID"
kill -CONT "$LM_PID" 2>/dev/null
wait "$LM_WD" 2>/dev/null
start_locust 3 2
t_check "a third master gets the slave back" cl_wait_log "$E2E_TMP/lm3.err" "reported as ready" 15
cl_wait_log "$E2E_TMP/lm3.err" "All users spawned" 15
kill -TERM "$LM_PID"
t_check "that master's quit reaches the slave" \
    cl_wait_log "$E2E_TMP/slave1.err" "The master says quit" 15
wait "$LM_WD" 2>/dev/null
e2e_finish
