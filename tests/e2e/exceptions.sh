#!/usr/bin/env bash
# tests/e2e/exceptions.sh -- runtime errors outside response blocks:
#  - each is counted in PREFIX_exceptions.csv under its script location
#    (Traceback) with its message, and the user goes on with its next task;
#  - a `log` whose argument raised prints nothing;
#  - the run exits 1 (a runtime error happened) and the requests still count.
. "$(dirname "$0")/lib.sh"
e2e_init exceptions
target_start
swarm_script errs <<'SW' || e2e_finish
host "http://127.0.0.1:1"
wait 100ms

task fine {
    get "/resources/1"
}
task divide {
    let zero = 0
    log "never printed", 1 / zero
}
SW

stats_reset
swarm_run 30 "$E2E_TMP/errs" --users 2 --hatch-rate 10 --run-time 2s \
    --stop-timeout 5s --host "$TARGET_URL" --csv "$E2E_TMP/e" --seed 7
stats_fetch "$E2E_TMP/s.json"
t_eq "a runtime error gives exit status 1" "$RUN_RC" 1
ecsv="$E2E_TMP/e_exceptions.csv"
t_eq "exceptions.csv has Locust's header" "$(head -n 1 "$ecsv")" "Count,Message,Traceback,Nodes"
where="$E2E_TMP/errs.swarm:9:5"
count=$(csv_get "$ecsv" Count "Message=division by zero" "Traceback=$where")
t_py "the error is counted under its location $where ($count)" 'c > 0' c="${count:-0}"
no_log_line() { ! grep -q "never printed" "$RUN_ERR"; }
t_check "no log line was printed for it" no_log_line
served=$(stats_num "$E2E_TMP/s.json" 'req("GET /resources/{id}")')
reported=$(csv_get "$E2E_TMP/e_stats.csv" "Request Count" Type=GET Name=/resources/1)
t_eq "the users went on: requests reported = served ($served)" "$reported" "$served"
e2e_finish
