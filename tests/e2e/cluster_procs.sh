#!/usr/bin/env bash
# tests/e2e/cluster_procs.sh -- --processes: one command, several cores.
#  - --processes 2: this process is the master of 2 forked slaves; 4 users
#    run 2/2; the totals equal what the target served; exit status 0;
#    nothing is left running afterwards;
#  - --processes -1 forks one slave per core;
#  - the exit status is the run's (failed requests: 1);
#  - the parent SIGKILLed: its children die with it, no load goes on;
#  - --processes 2 --slave: only slaves, joining an outside master.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.bash"
e2e_init cluster_procs
trap cluster_cleanup EXIT
target_start
swarm_script pr <<'SW' || e2e_finish
host "http://127.0.0.1:1"
user U {
    wait 100ms
    task t { get "/resources/${user_id}" name "/resources/{id}" headers {"X-User-Id": user_id} }
}
SW
left() { pgrep -f "$E2E_TMP/pr" | wc -l; }

stats_reset
swarm_run 60 "$E2E_TMP/pr" --processes 2 --master-bind-port "$(free_port)" --headless -u 4 \
    -r 20 -t 4s --stop-timeout 2s --host "$TARGET_URL" --csv "$E2E_TMP/p"
stats_fetch "$E2E_TMP/t.json"
t_eq "--processes 2: exit status 0" "$RUN_RC" 0
t_check "--processes 2: two slaves joined" grep -q "2 slaves ready" "$RUN_ERR"
t_eq "--processes 2: 4 users run 2/2" "$(users_by_range "$E2E_TMP/t.json")" "2 2"
t_eq "--processes 2: the totals equal what the target served" \
    "$(csv_get "$E2E_TMP/p_stats.csv" "Request Count" Name=Aggregated)" \
    "$(stats_num "$E2E_TMP/t.json" "req('GET /resources/{id}')")"
sleep 0.3
t_eq "--processes 2: nothing left running" "$(left)" 0

cores=$(getconf _NPROCESSORS_ONLN)
swarm_run 60 "$E2E_TMP/pr" --processes -1 --master-bind-port "$(free_port)" --headless -u 2 \
    -r 20 -t 2s --host "$TARGET_URL/nothing-here"
t_check "--processes -1: one slave per core ($cores)" \
    grep -q "$cores slave$([ "$cores" -gt 1 ] && echo s) ready" "$RUN_ERR"
t_eq "the exit status is the run's (404s: 1)" "$RUN_RC" 1
sleep 0.3
t_eq "--processes -1: nothing left running" "$(left)" 0

# the parent killed mid-run
cl_bg 60 "$E2E_TMP/k.out" "$E2E_TMP/k.err" "$E2E_TMP/pr" --processes 2 \
    --master-bind-port "$(free_port)" --headless -u 4 -r 20 -t 30s --host "$TARGET_URL"
wd=$CL_PID
parent=$CL_KID
cl_wait_log "$E2E_TMP/k.err" "All users hatched" 15
kill -KILL "$parent"
wait "$wd" 2>/dev/null
sleep 1
t_eq "parent SIGKILLed: its slaves died with it" "$(left)" 0
stats_fetch "$E2E_TMP/a.json"
sleep 1
stats_fetch "$E2E_TMP/b.json"
t_eq "parent SIGKILLed: no load goes on" "$(stats_num "$E2E_TMP/a.json" "req('GET /resources/{id}')")" \
    "$(stats_num "$E2E_TMP/b.json" "req('GET /resources/{id}')")"

# --slave --processes 2 under an outside master
MP=$(free_port)
cl_bg 60 "$E2E_TMP/ps.out" "$E2E_TMP/ps.err" "$E2E_TMP/pr" --slave --processes 2 --master-port "$MP"
swd=$CL_PID
swarm_run 60 "$E2E_TMP/pr" --master --master-bind-port "$MP" --expect-slaves 2 \
    --expect-slaves-max-wait 20s --headless -u 2 -r 20 -t 2s --host "$TARGET_URL"
t_eq "--slave --processes 2: the master ran with both (exit 0)" "$RUN_RC" 0
wait "$swd"
t_eq "--slave --processes 2: the parent exits 0 once its slaves quit" "$?" 0
t_eq "--slave --processes 2: nothing left running" "$(left)" 0
e2e_finish
