#!/usr/bin/env bash
# tests/e2e/failures.sh -- failing checks and transport errors:
#  - a failing check appears in PREFIX_failures.csv with its exact message
#    and the exit status is 1 (3 with --exit-code-on-error 3);
#  - `expect` without `else` reports the condition's source text;
#  - a runtime error in a response block fails the response;
#  - a transport error (closed port) is a failure with the error text, and
#    the run goes on to its normal end;
#  - a response body over 64 MB fails its request.
. "$(dirname "$0")/lib.sh"
e2e_init failures
target_start
swarm_script failing <<'SW' || e2e_finish
host "http://127.0.0.1:1"
wait 50ms

task fine weight 2 {
    get "/resources/${random(1, 9)}" name "/resources/{id}"
}
task boom {
    get "/status/500" as r {
        expect r.status == 200 else "boom: status " + str(r.status)
    }
}
task bare_expect {
    get "/status/503" as r {
        expect r.status == 200
    }
}
task not_json {
    get "/garbage" as r {
        if r.json.id == 1 { success }
    }
}
SW

stats_reset
swarm_run 30 "$E2E_TMP/failing" --users 3 --hatch-rate 10 --run-time 2s \
    --stop-timeout 5s --host "$TARGET_URL" --csv "$E2E_TMP/f"
stats_fetch "$E2E_TMP/s.json"
t_eq "a failing check gives exit status 1" "$RUN_RC" 1
t_check "summary printed" run_summary_printed
fcsv="$E2E_TMP/f_failures.csv"
n500=$(stats_num "$E2E_TMP/s.json" 'st(500)')
n503=$(stats_num "$E2E_TMP/s.json" 'st(503)')
ngarb=$(stats_num "$E2E_TMP/s.json" 'req("GET /garbage")')
t_py "the failing tasks ran" 'a > 0 and b > 0 and c > 0' a="$n500" b="$n503" c="$ngarb"
t_eq "failures.csv: 'boom: status 500' x $n500" \
    "$(csv_get "$fcsv" Occurrences Method=GET Name=/status/500 "Error=boom: status 500")" "$n500"
t_eq "failures.csv: bare expect reports 'r.status == 200' x $n503" \
    "$(csv_get "$fcsv" Occurrences Method=GET Name=/status/503 "Error=r.status == 200")" "$n503"
t_eq "stats.csv: every /garbage response failed (r.json of a non-JSON body)" \
    "$(csv_get "$E2E_TMP/f_stats.csv" "Failure Count" Type=GET Name=/garbage)" "$ngarb"
t_check "failures.csv: the /garbage failure has a message" \
    [ -n "$(csv_get "$fcsv" Error Method=GET Name=/garbage)" ]
t_eq "no failures for the fine task" \
    "$(csv_get "$E2E_TMP/f_stats.csv" "Failure Count" Type=GET "Name=/resources/{id}")" 0
t_check "the failure message is in the console failure table" \
    grep -q 'boom: status 500' "$RUN_OUT" "$RUN_ERR"

swarm_run 30 "$E2E_TMP/failing" --users 1 --run-time 1s --host "$TARGET_URL" \
    --exit-code-on-error 3
t_eq "--exit-code-on-error 3 gives 3" "$RUN_RC" 3

# Transport errors: a port nothing listens on.
swarm_script refused <<'SW' || e2e_finish
host "http://127.0.0.1:1"
wait 100ms
task t { get "/resources/1" }
SW
port=$(free_port)
swarm_run 30 "$E2E_TMP/refused" --users 2 --hatch-rate 10 --run-time 2s \
    --host "http://127.0.0.1:$port" --csv "$E2E_TMP/r"
t_eq "connection refused: exit status 1" "$RUN_RC" 1
t_py "the run lasted its run time (${RUN_SECS}s)" '1.5 <= s <= 6' s="$RUN_SECS"
t_check "summary printed" run_summary_printed
req=$(csv_get "$E2E_TMP/r_stats.csv" "Request Count" Type=GET Name=/resources/1)
fail=$(csv_get "$E2E_TMP/r_stats.csv" "Failure Count" Type=GET Name=/resources/1)
t_py "the users went on after the error (requests: $req)" 'n >= 6' n="$req"
t_eq "every request failed" "$fail" "$req"
err=$(csv_get "$E2E_TMP/r_failures.csv" Error Method=GET Name=/resources/1)
t_check "failures.csv carries the error text ($err)" \
    grep -qi 'connect\|refused' <<<"$err"
t_eq "failures.csv: occurrences = failures" \
    "$(csv_get "$E2E_TMP/r_failures.csv" Occurrences Method=GET Name=/resources/1)" "$req"

# A runaway response body is cut off at 64 MB and fails the request; a body
# just under the limit is fine.
swarm_script big <<'SW' || e2e_finish
host "http://127.0.0.1:1"
task t {
    get "/bytes/67108864" name "at limit" as r { expect r.size == 67108864 }
    get "/bytes/67108865" name "over limit"
}
SW
# --stop-timeout lets the task in flight at the end finish, so a slow (busy)
# machine still sees both requests decided.
swarm_run 90 "$E2E_TMP/big" --users 1 --run-time 2s --stop-timeout 30s \
    --host "$TARGET_URL" --csv "$E2E_TMP/b"
t_eq "a body of exactly 64 MB is read whole" \
    "$(csv_get "$E2E_TMP/b_stats.csv" "Failure Count" Type=GET "Name=at limit")" 0
t_eq "one byte more fails the request" \
    "$(csv_get "$E2E_TMP/b_failures.csv" Error Method=GET "Name=over limit")" \
    "response body larger than 64 MB"
e2e_finish
