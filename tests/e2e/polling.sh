#!/usr/bin/env bash
# tests/e2e/polling.sh -- the seed's polling example (samples/polling.swarm)
# against a target whose things turn ACTIVE 1500 ms after creation:
#  - the POST /things entry's duration covers the time until ACTIVE, so its
#    minimum is >= 1500 ms;
#  - every poll GET is reported under /things/{id}, none under its own id;
#  - the POSTs reported equal the things the target reported ACTIVE (less
#    the few whose block was cancelled at the stop).
. "$(dirname "$0")/lib.sh"
e2e_init polling
target_start --active-delay 1500
swarm_compile samples/polling.swarm "$E2E_TMP/polling" || e2e_finish

users=4
swarm_run 40 "$E2E_TMP/polling" --users $users --hatch-rate 10 --run-time 7s \
    --host "$TARGET_URL" --csv "$E2E_TMP/p"
stats_fetch "$E2E_TMP/s.json"
csv="$E2E_TMP/p_stats.csv"
t_eq "exit status 0" "$RUN_RC" 0

posts=$(csv_get "$csv" "Request Count" Type=POST Name=/things)
min=$(csv_get "$csv" "Min Response Time" Type=POST Name=/things)
t_py "POST /things reported ($posts)" 'n >= 4' n="$posts"
t_py "POST /things min response time >= 1500 ms (got $min)" 'm >= 1500' m="$min"
t_eq "POST /things: no failures" "$(csv_get "$csv" "Failure Count" Type=POST Name=/things)" 0

gets=$(csv_get "$csv" "Request Count" Type=GET "Name=/things/{id}")
served_gets=$(stats_num "$E2E_TMP/s.json" "req('GET /things/{id}')")
# Each user has at most ~3 blocks alive (one every 1-2 s, each ~2 s long),
# and each may lose its one in-flight GET at the stop.
slack=$((users * 3))
t_py "poll GETs reported under /things/{id} ($gets of $served_gets served)" \
    'g >= 2 * p and s - k <= g <= s' g="$gets" p="$posts" s="$served_gets" k="$slack"
t_eq "no entry per thing id" "$(csv_all "$csv" Name | grep -c '^/things/[0-9]')" 0

seen=$(stats_num "$E2E_TMP/s.json" 'd["things"]["seen_active"]')
active=$(stats_num "$E2E_TMP/s.json" 'd["things"]["active"]')
created=$(stats_num "$E2E_TMP/s.json" 'd["things"]["created"]')
# A thing seen ACTIVE whose POST was not reported lost its last GET at the
# stop, so the gap is at most the GETs served but not reported.
t_py "POSTs reported = things seen ACTIVE ($posts vs $seen, less lost GETs)" \
    '0 <= a - p <= s - g' p="$posts" a="$seen" s="$served_gets" g="$gets"
t_py "things created >= things ACTIVE >= POSTs reported ($created >= $active >= $posts)" \
    'c >= a >= p' c="$created" a="$active" p="$posts"
e2e_finish
