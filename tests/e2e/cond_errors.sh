#!/usr/bin/env bash
# tests/e2e/cond_errors.sh -- a runtime error inside a condition or value is
# never a success (issue 6): on a non-JSON body each of
#     expect not r.json.error          expect r.json.status != "ERROR"
#     if not r.json.ok { success }     if r.json.x or true { success }
# fails every response with the error's message; `while not (1 / z)` stops
# at once with an exception (no silent loop); a branch whose condition raised
# is never taken (its request is never sent); a pending error at the end of
# a response block takes the error path.
. "$(dirname "$0")/lib.sh"
e2e_init cond_errors
target_start
swarm_script conds <<'SW' || e2e_finish
host "http://127.0.0.1:1"
wait 20ms

task a {
    get "/garbage" name "A" as r {
        expect not r.json.error
    }
}
task b {
    get "/garbage" name "B" as r {
        expect r.json.status != "ERROR"
    }
}
task c {
    get "/garbage" name "C" as r {
        if not r.json.ok { success }
    }
}
task d {
    get "/garbage" name "D" as r {
        if r.json.x or true { success }
    }
}
task e {
    get "/garbage" name "E" as r {
        let ok = r.json.x or true
    }
}
task loop {
    let z = 0
    let i = 0
    while not (1 / z) {
        i = z
    }
    log "after the loop"
}
task branch {
    let z = 0
    if (1 / z) or true {
        get "/things" name "never"
    }
}
on test start {
    let z = 0
    if (1 / z) or true {
        log "hook branch taken"
    }
}
on test stop {
    log "stop hook ran"
}
SW

stats_reset
swarm_run 30 "$E2E_TMP/conds" --users 7 --hatch-rate 50 --run-time 2s \
    --stop-timeout 5s --host "$TARGET_URL" --csv "$E2E_TMP/f"
stats_fetch "$E2E_TMP/s.json"
t_check "the run ended by itself (no silent endless loop): status $RUN_RC" \
    [ "$RUN_RC" -eq 1 ]
scsv="$E2E_TMP/f_stats.csv"
fcsv="$E2E_TMP/f_failures.csv"
for n in A B C D E; do
    reqs=$(csv_get "$scsv" "Request Count" Type=GET Name=$n)
    fails=$(csv_get "$scsv" "Failure Count" Type=GET Name=$n)
    t_py "$n: requests made ($reqs)" 'r > 0' r="${reqs:-0}"
    t_eq "$n: every response failed" "$fails" "$reqs"
    t_eq "$n: failed with the error's message" \
        "$(csv_get "$fcsv" Occurrences Method=GET Name=$n "Error=body is not valid JSON")" "$reqs"
done
t_eq "a branch whose condition raised is not taken" \
    "$(stats_num "$E2E_TMP/s.json" 'req("GET /things")')" 0
ecsv="$E2E_TMP/f_exceptions.csv"
lc=$(csv_get "$ecsv" Count "Message=division by zero" "Traceback=$E2E_TMP/conds.swarm:32:5")
t_py "while not (1 / z): counted as an exception ($lc)" 'c > 0' c="${lc:-0}"
bc=$(csv_get "$ecsv" Count "Message=division by zero" "Traceback=$E2E_TMP/conds.swarm:39:5")
t_py "if (1 / z) or true: counted as an exception ($bc)" 'c > 0' c="${bc:-0}"
hc=$(csv_get "$ecsv" Count "Message=division by zero" "Traceback=$E2E_TMP/conds.swarm:45:5")
t_eq "an error in a hook's condition is reported" "$hc" 1
no_hook_branch() { ! grep -q "hook branch taken" "$RUN_ERR"; }
t_check "the hook's branch was not taken" no_hook_branch
t_check "a later hook's log line is printed" grep -q "stop hook ran" "$RUN_ERR"
no_after() { ! grep -q "after the loop" "$RUN_ERR"; }
t_check "the statement after the failed loop did not run" no_after
e2e_finish
