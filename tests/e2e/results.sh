#!/usr/bin/env bash
# tests/e2e/results.sh -- result files are never lost silently: a result
# file that cannot be written (--json /dev/full, --html /dev/full, a CSV file
# that is a link to /dev/full) is exit status 2 with the reason logged, and
# the other files are still written. Out of descriptors (ulimit -n 48, 100
# users): a warning at start pointing at `ulimit -n`, failures that say
# EMFILE (not "Couldn't connect to server"), and every result file written.
# Out of memory (ulimit -v): the abort still writes the files, best effort.
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

# Out of descriptors: 100 users under a limit of 48 open files.
(
    ulimit -n 48 || exit 99
    exec timeout -k 5 60 "$B" --users 100 --hatch-rate 1000 --run-time 3s --host "$TARGET_URL" \
        --only-summary --csv "$E2E_TMP/fd" --json "$E2E_TMP/fd.json" --html "$E2E_TMP/fd.html"
) >"$E2E_TMP/fd.out" 2>"$E2E_TMP/fd.err"
rc=$?
t_eq "EMFILE: exit status 1 (requests failed)" "$rc" 1
t_check "EMFILE: a warning at start points at ulimit -n" \
    grep -q 'WARNING.*100 users need about 164 open files but the limit is 48.*ulimit -n 164' "$E2E_TMP/fd.err"
t_check "EMFILE: the failures say EMFILE and ulimit -n" \
    grep -q 'too many open files (EMFILE): raise the descriptor limit with `ulimit -n`' "$E2E_TMP/fd_failures.csv"
t_check "EMFILE: no 'Couldn't connect to server'" bash -c "! grep -q \"Couldn't connect\" '$E2E_TMP/fd_failures.csv'"
t_check "EMFILE: the CSV, JSON and HTML results are all written" \
    test -s "$E2E_TMP/fd_stats.csv" -a -s "$E2E_TMP/fd_stats_history.csv" -a -s "$E2E_TMP/fd_exceptions.csv" \
    -a -s "$E2E_TMP/fd.json" -a -s "$E2E_TMP/fd.html"
reqs=$(csv_get "$E2E_TMP/fd_stats.csv" "Request Count" Name=Aggregated)
fails=$(csv_get "$E2E_TMP/fd_stats.csv" "Failure Count" Name=Aggregated)
t_py "EMFILE: some requests succeeded, some failed ($fails of $reqs)" 'r > f > 0' r="$reqs" f="$fails"
# Out of memory: a task doubles a string until malloc fails under ulimit -v.
swarm_script oom <<'SW' || e2e_finish
wait 50ms
task fine weight 3 { get "/resources/1" name "/r" }
task grow {
    let s = "x"
    let i = 0
    while i < 40 { s = s + s  i = i + 1 }
}
SW
if ldd "$E2E_TMP/oom" 2>/dev/null | grep -q asan; then
    t_ok "out of memory: skipped under AddressSanitizer (it needs the address space) # SKIP"
else
    {   # (the shell's own "Aborted" line goes to /dev/null)
        (
            ulimit -v 800000 || exit 99
            exec timeout -k 5 60 "$E2E_TMP/oom" --users 2 --hatch-rate 100 --run-time 10s \
                --host "$TARGET_URL" --only-summary --csv "$E2E_TMP/oom" --json "$E2E_TMP/oom.json"
        ) >"$E2E_TMP/oom.out" 2>"$E2E_TMP/oom.err"
        rc=$?
    } 2>/dev/null
    t_eq "out of memory: the process aborts (134)" "$rc" 134
    t_check "out of memory: says so" grep -q 'swarm: out of memory' "$E2E_TMP/oom.err"
    t_check "out of memory: the JSON result is written and parses" \
        python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$E2E_TMP/oom.json"
    t_check "out of memory: the CSV files are written" test -s "$E2E_TMP/oom_stats.csv"
fi
e2e_finish
