#!/usr/bin/env bash
# tests/e2e/samples.sh -- every samples/*.swarm compiles and runs for 3 s
# with a few users against the demo target; its exit status is 0 (1 for
# check.swarm, whose health check fails on purpose), the summary is printed
# and the target really served the script's requests.
. "$(dirname "$0")/lib.sh"
e2e_init samples
target_start --active-delay 500

for src in samples/*.swarm; do
    name=$(basename "$src" .swarm)
    bin="$E2E_TMP/$name"
    swarm_compile "$src" "$bin" || continue
    stats_reset
    extra=()
    [ "$name" = test_data ] && extra=(--data-dir samples/data)   # its data files
    swarm_run 30 "$bin" --users 4 --hatch-rate 4 --run-time 3s --host "$TARGET_URL" "${extra[@]}"
    want=0
    [ "$name" = check ] && want=1
    t_eq "$name: exit status" "$RUN_RC" "$want"
    t_check "$name: summary printed" run_summary_printed
    stats_fetch "$E2E_TMP/$name.json"
    served=$(stats_num "$E2E_TMP/$name.json" 'sum(d["requests"].values())')
    t_py "$name: the target served requests" 'n > 0' n="$served"

    case $name in
    basic)  # every user sends X-User-Id: user_id, ids 0..3
        t_eq "basic: the target saw user ids 0..3" \
            "$(stats_num "$E2E_TMP/$name.json" 'sorted(d["users"], key=int)')" "['0', '1', '2', '3']" ;;
    check)
        t_check "check: the on-purpose failure message is reported" \
            grep -q 'health check failed with status 500' "$RUN_OUT" "$RUN_ERR" ;;
    hooks)
        t_check "hooks: on test start logged" grep -q 'preparing data for run' "$RUN_OUT" "$RUN_ERR"
        t_check "hooks: on test stop logged" grep -q 'lasted' "$RUN_OUT" "$RUN_ERR" ;;
    web_login)  # issue 9: a cookie session per user
        t_check "web_login: every check held" bash -c "! grep -q 'login refused\|session was lost\|landed on' '$RUN_OUT' '$RUN_ERR'" ;;
    test_data)
        t_eq "test_data: the 4 accounts went to 4 users" \
            "$(grep -o 'logged in as [a-z]*' "$RUN_ERR" | sort -u | wc -l)" 4 ;;
    load_shape)
        t_check "load_shape: the run ended after the last stage" \
            grep -q "The shape's last stage ended" "$RUN_ERR" ;;
    users)  # every user logs in once in `on start`
        t_eq "users: one login per user" "$(stats_num "$E2E_TMP/$name.json" 'req("POST /login")')" 4 ;;
    esac
done
e2e_finish
