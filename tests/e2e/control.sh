#!/usr/bin/env bash
# tests/e2e/control.sh -- `quit`, `record` and `stop user` (LANGUAGE.md
# section 9, issue 9):
#  - quit 3 ends the whole run (long before --run-time), cleanly (on test stop
#    runs, the summary is printed) and the exit status is 3;
#  - record NAME time MS adds a CUSTOM entry with exactly that time, and
#    `failure MSG` fails it with that message;
#  - stop user ends that user for good: it is not replaced.
. "$(dirname "$0")/lib.sh"
e2e_init control
target_start
swarm_script quitter <<'SW' || e2e_finish
host "http://127.0.0.1:1"
var n = 0
on test stop { log "test stop ran" }
task t {
    n = n + 1
    record "compute" time 25
    record "broken" time 7 failure "took a wrong turn " + str(n)
    get "/resources/1"
    if n == 3 { quit 3 }
    sleep 100ms
}
SW
swarm_run 40 "$E2E_TMP/quitter" --users 1 --run-time 60s --host "$TARGET_URL" \
    --csv "$E2E_TMP/q"
st="$E2E_TMP/q_stats.csv"
t_eq "quit 3: exit status 3" "$RUN_RC" 3
t_check "the summary was printed" run_summary_printed
t_check "on test stop ran" grep -q "test stop ran" "$RUN_ERR"
t_eq "the run stopped at the third iteration (3 GETs)" \
    "$(csv_get "$st" "Request Count" Type=GET Name=/resources/1)" 3
t_eq "record: 3 CUSTOM entries named compute" \
    "$(csv_get "$st" "Request Count" Type=CUSTOM Name=compute)" 3
t_eq "record: with the time given (25 ms)" \
    "$(csv_get "$st" "Average Response Time" Type=CUSTOM Name=compute)" 25.00
t_eq "record ... failure: every one failed" \
    "$(csv_get "$st" "Failure Count" Type=CUSTOM Name=broken)" 3
t_eq "record ... failure: with its message" \
    "$(csv_get "$E2E_TMP/q_failures.csv" Occurrences Method=CUSTOM Name=broken "Error=took a wrong turn 2")" 1

# stop user: 4 users each make 2 requests then stop; with 10 s to run, a
# replaced user would make more.
swarm_script stopper <<'SW' || e2e_finish
host "http://127.0.0.1:1"
var n = 0
task t {
    get "/resources/2"
    n = n + 1
    if n == 2 { stop user }
}
SW
swarm_run 40 "$E2E_TMP/stopper" --users 4 --hatch-rate 50 --run-time 3s \
    --host "$TARGET_URL" --csv "$E2E_TMP/s"
t_eq "stop user: exit status 0" "$RUN_RC" 0
t_eq "stop user: 4 users x 2 requests, none replaced" \
    "$(csv_get "$E2E_TMP/s_stats.csv" "Request Count" Type=GET Name=/resources/2)" 8
e2e_finish
