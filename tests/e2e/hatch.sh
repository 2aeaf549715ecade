#!/usr/bin/env bash
# tests/e2e/hatch.sh -- `--users 6 --hatch-rate 2` starts one user every
# 0.5 s. Measured on the runtime's own clock (its DEBUG hatch lines), not
# by wall-clock windows around processes, so that a busy machine does not
# fail it: every user's step is due at k x 0.5 s, none starts early, and
# the target saw every user.
. "$(dirname "$0")/lib.sh"
e2e_init hatch
target_start
swarm_compile samples/basic.swarm "$E2E_TMP/basic" || e2e_finish

swarm_run 30 "$E2E_TMP/basic" --users 6 --hatch-rate 2 --run-time 5s --host "$TARGET_URL" \
    --loglevel DEBUG
t_eq "exit status 0" "$RUN_RC" 0
stats_fetch "$E2E_TMP/s.json"
t_eq "the target saw user ids 0..5" \
    "$(stats_num "$E2E_TMP/s.json" 'sorted(d["users"], key=int)')" "['0', '1', '2', '3', '4', '5']"

# The runtime's own record (DEBUG "hatch: user N started at S ms, due at D
# ms", both from the ramp's start on its monotonic clock): the schedule is
# exact, no user starts before its step is due, and none lags far behind it
# (a loose bound: a busy machine delays timers, never advances them).
sed -n 's/.*hatch: user \([0-9]*\) started at \([0-9.]*\) ms, due at \([0-9.]*\) ms.*/\1 \2 \3/p' \
    "$RUN_ERR" >"$E2E_TMP/hatch.txt"
ids=$(awk '{ printf "%s%s", (NR > 1 ? " " : ""), $1 }' "$E2E_TMP/hatch.txt")
t_eq "users 0..5 start in user_id order (runtime log)" "$ids" "0 1 2 3 4 5"
t_eq "step k is due at k x 500 ms" \
    "$(awk '{ printf "%s%d", (NR > 1 ? " " : ""), $3 + 0.5 }' "$E2E_TMP/hatch.txt")" \
    "0 500 1000 1500 2000 2500"
t_eq "no user starts before its step is due" \
    "$(awk '$2 < $3 { n++ } END { print n + 0 }' "$E2E_TMP/hatch.txt")" 0
late=$(awk '{ l = $2 - $3; if (l > m) m = l } END { printf "%.1f", m }' "$E2E_TMP/hatch.txt")
t_py "each user starts within 1000 ms of its due time (latest by $late ms)" 'l <= 1000' l="$late"
e2e_finish
