#!/usr/bin/env bash
# tests/e2e/stop.sh -- stopping a run:
#  - spawned blocks are cancelled: a block polling forever (every 200 ms)
#    under --run-time 2s ends within a few seconds of the run time, and no
#    request reaches the target after the process exited;
#  - SIGINT stops a run without --run-time cleanly: summary, exit status 0.
. "$(dirname "$0")/lib.sh"
e2e_init stop
target_start
swarm_script forever <<'SW' || e2e_finish
host "http://127.0.0.1:1"
wait 30s                             # one spawn per user in this test

task start_poller {
    spawn {
        poll every 200ms {
            get "/resources/${user_id}" name "/resources/{id}" headers {"X-User-Id": user_id}
        }
    }
}
SW

stats_reset
swarm_run 30 "$E2E_TMP/forever" --users 3 --hatch-rate 10 --run-time 2s --host "$TARGET_URL"
stats_fetch "$E2E_TMP/s1.json"
sleep 1
stats_fetch "$E2E_TMP/s2.json"
t_eq "exit status 0" "$RUN_RC" 0
t_py "exited within a few seconds of --run-time 2s (${RUN_SECS}s)" '1.8 <= s <= 5' s="$RUN_SECS"
n1=$(stats_num "$E2E_TMP/s1.json" "req('GET /resources/{id}')")
n2=$(stats_num "$E2E_TMP/s2.json" "req('GET /resources/{id}')")
t_py "the spawned blocks polled ($n1 requests)" 'n >= 15' n="$n1"
t_eq "no request after the process exited" "$n2" "$n1"

# SIGINT without --run-time. Started as a simple command so $! is the
# watchdog (timeout), which forwards SIGINT to the binary, returns its exit
# status, and sends SIGKILL if it never stops.
swarm_script plain <<'SW' || e2e_finish
host "http://127.0.0.1:1"
wait 100ms
task t { get "/resources/1" }
SW
stats_reset
timeout -s KILL 30 "$E2E_TMP/plain" --users 2 --hatch-rate 10 --host "$TARGET_URL" \
    >"$E2E_TMP/int.out" 2>"$E2E_TMP/int.err" &
pid=$!
sleep 2
t0=$(date +%s.%N)
kill -INT "$pid"                     # timeout passes it on to the binary
wait "$pid"
rc=$?
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
RUN_OUT="$E2E_TMP/int.out" RUN_ERR="$E2E_TMP/int.err"
t_eq "SIGINT: exit status 0" "$rc" 0
t_py "SIGINT: stopped promptly (${secs}s)" 's <= 3' s="$secs"
t_check "SIGINT: summary printed" run_summary_printed
stats_fetch "$E2E_TMP/s3.json"
t_py "SIGINT: the run had sent requests" 'n > 0' \
    n="$(stats_num "$E2E_TMP/s3.json" "req('GET /resources/{id}')")"
e2e_finish
