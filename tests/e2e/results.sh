#!/usr/bin/env bash
# tests/e2e/results.sh -- result files are never lost silently: a result
# file that cannot be written (--json /dev/full, --html /dev/full, a CSV file
# that is a link to /dev/full) is exit status 2 with the reason logged, and
# the other files are still written.
. "$(dirname "$0")/lib.sh"
e2e_init results
target_start
swarm_script res <<'SW' || e2e_finish
wait 50ms
task t { get "/resources/1" name "/r" }
SW
B="$E2E_TMP/res"

swarm_run 30 "$B" --users 1 --run-time 1s --host "$TARGET_URL" --only-summary \
    --json /dev/full --html "$E2E_TMP/ok.html"
t_eq "--json /dev/full: exit status 2" "$RUN_RC" 2
t_check "--json /dev/full: the reason is logged" grep -q 'cannot write the JSON result /dev/full: No space left' "$RUN_ERR"
t_check "--json /dev/full: the HTML report is still written" test -s "$E2E_TMP/ok.html"

swarm_run 30 "$B" --users 1 --run-time 1s --host "$TARGET_URL" --only-summary \
    --html /dev/full --json "$E2E_TMP/ok.json"
t_eq "--html /dev/full: exit status 2" "$RUN_RC" 2
t_check "--html /dev/full: the reason is logged" grep -q 'cannot write the HTML report /dev/full: No space left' "$RUN_ERR"
t_check "--html /dev/full: the JSON result is still written" test -s "$E2E_TMP/ok.json"

ln -s /dev/full "$E2E_TMP/c_stats.csv"
swarm_run 30 "$B" --users 1 --run-time 1s --host "$TARGET_URL" --only-summary --csv "$E2E_TMP/c"
t_eq "CSV onto /dev/full: exit status 2" "$RUN_RC" 2
t_check "CSV onto /dev/full: the reason is logged" grep -q 'cannot write the CSV files' "$RUN_ERR"

swarm_run 30 "$B" --users 1 --run-time 1s --host "$TARGET_URL" --only-summary \
    --json "$E2E_TMP/fine.json" --csv "$E2E_TMP/fine"
t_eq "every file written: exit status 0" "$RUN_RC" 0
e2e_finish
