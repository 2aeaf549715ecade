#!/usr/bin/env bash
# tests/e2e/poll.sh -- `poll every D for LIMIT` times out at LIMIT, not at
# the first multiple of D past it (LANGUAGE.md: the body runs, then waits D,
# until LIMIT has passed since the poll began; then the timeout block runs):
#  - `every 900ms for 1000ms` that never succeeds: the POST (decided in the
#    timeout block) takes ~1000 ms (sleeping a whole D before checking the
#    limit made it ~1800 ms), with 2 poll GETs (t=0, 900);
#  - `every 5s for 1s`: one GET, then the timeout at ~1 s (not 5 s);
#  - a poll that breaks before its limit is decided by the break, no failure.
# Times are the runtime's own (the POST's response time in its CSV). Timers
# fire late on a busy machine, never early: each window starts at the
# exact value and leaves >= 500 ms for lateness, and the D and LIMIT are
# chosen so that the wrong behaviour lands far outside it.
. "$(dirname "$0")/lib.sh"
e2e_init poll
users=2

# ---- 1. the poll never succeeds: the timeout block decides at LIMIT --------
target_start --active-delay 60000
swarm_script timeout <<'EOF2' || e2e_finish
host "http://127.0.0.1:8000"
wait 50ms
task t {
    post "/things" headers {"X-User-Id": user_id} as created {
        let id = created.json.id
        poll every 900ms for 1000ms {
            get "/things/${id}" headers {"X-User-Id": user_id} as r
            if r.ok and r.json.status == "ACTIVE" { created.success  break }
        } timeout {
            created.failure "Polling timed out"
        }
    }
}
EOF2
swarm_run 30 "$E2E_TMP/timeout" --users $users --hatch-rate 10 --run-time 4s \
    --host "$TARGET_URL" --csv "$E2E_TMP/t"
stats_fetch "$E2E_TMP/t.json"
csv="$E2E_TMP/t_stats.csv"
t_eq "timeout: exit status 1 (failures reported)" "$RUN_RC" 1
posts=$(csv_get "$csv" "Request Count" Type=POST Name=/things)
fails=$(csv_get "$csv" "Failure Count" Type=POST Name=/things)
min=$(csv_get "$csv" "Min Response Time" Type=POST Name=/things)
max=$(csv_get "$csv" "Max Response Time" Type=POST Name=/things)
t_py "timeout: POSTs reported ($posts)" 'p >= 4' p="$posts"
t_eq "timeout: every POST failed by the timeout block" "$fails" "$posts"
t_check "timeout: failure message reported" grep -q "Polling timed out" "$E2E_TMP/t_failures.csv"
t_py "timeout: POST time ~1000 ms, within 980..1600, not ~1800 (min $min, max $max)" \
    '980 <= lo and hi <= 1600' lo="$min" hi="$max"
created=$(stats_num "$E2E_TMP/t.json" 'd["things"]["created"]')
gets=$(stats_num "$E2E_TMP/t.json" "req('GET /things/{id}')")
# Complete polls make 2 GETs each; the <= $users polls cut by the stop fewer.
t_py "timeout: 2 poll GETs per POST ($gets GETs, $posts POSTs reported, $created created)" \
    '2 * p <= g <= 2 * p + 2 * (c - p) and c - p <= u' \
    g="$gets" p="$posts" c="$created" u=$users

# ---- 2. D longer than LIMIT: one run of the body, the timeout at LIMIT ------
swarm_script long <<'EOF2' || e2e_finish
host "http://127.0.0.1:8000"
wait 50ms
task t {
    post "/things" as created {
        let id = created.json.id
        poll every 5s for 1s {
            get "/things/${id}" as r
        } timeout {
            created.failure "Polling timed out"
        }
    }
}
EOF2
stats_reset
swarm_run 30 "$E2E_TMP/long" --users $users --hatch-rate 10 --run-time 3500ms \
    --host "$TARGET_URL" --csv "$E2E_TMP/l"
stats_fetch "$E2E_TMP/l.json"
csv="$E2E_TMP/l_stats.csv"
t_eq "long every: exit status 1 (failures reported)" "$RUN_RC" 1
posts=$(csv_get "$csv" "Request Count" Type=POST Name=/things)
min=$(csv_get "$csv" "Min Response Time" Type=POST Name=/things)
max=$(csv_get "$csv" "Max Response Time" Type=POST Name=/things)
t_py "long every: POSTs reported ($posts)" 'p >= 4' p="$posts"
t_py "long every: POST time ~1000 ms, within 980..2500, not ~5000 (min $min, max $max)" \
    '980 <= lo and hi <= 2500' lo="$min" hi="$max"
created=$(stats_num "$E2E_TMP/l.json" 'd["things"]["created"]')
gets=$(stats_num "$E2E_TMP/l.json" "req('GET /things/{id}')")
t_py "long every: one poll GET per POST ($gets GETs, $posts POSTs, $created created)" \
    'p <= g <= c' g="$gets" p="$posts" c="$created"

# ---- 3. a break before the limit decides the POST ----------------------------
target_start --active-delay 500
swarm_script brk <<'EOF2' || e2e_finish
host "http://127.0.0.1:8000"
wait 50ms
task t {
    post "/things" headers {"X-User-Id": user_id} as created {
        let id = created.json.id
        poll every 800ms for 3000ms {
            get "/things/${id}" headers {"X-User-Id": user_id} as r
            if r.ok and r.json.status == "ACTIVE" { created.success  break }
        } timeout {
            created.failure "Polling timed out"
        }
    }
}
EOF2
swarm_run 30 "$E2E_TMP/brk" --users $users --hatch-rate 10 --run-time 4s \
    --host "$TARGET_URL" --csv "$E2E_TMP/b"
stats_fetch "$E2E_TMP/b.json"
csv="$E2E_TMP/b_stats.csv"
t_eq "break: exit status 0" "$RUN_RC" 0
posts=$(csv_get "$csv" "Request Count" Type=POST Name=/things)
min=$(csv_get "$csv" "Min Response Time" Type=POST Name=/things)
max=$(csv_get "$csv" "Max Response Time" Type=POST Name=/things)
t_py "break: POSTs reported ($posts)" 'p >= 4' p="$posts"
t_eq "break: no failures" "$(csv_get "$csv" "Failure Count" Type=POST Name=/things)" 0
# ACTIVE after 500 ms: seen by the GET at t=800 (the one at 0 sees PENDING);
# without the break the poll would run to its 3000 ms limit.
t_py "break: POST time within 800..1500 ms (min $min, max $max)" \
    '800 <= lo and hi <= 1500' lo="$min" hi="$max"
created=$(stats_num "$E2E_TMP/b.json" 'd["things"]["created"]')
gets=$(stats_num "$E2E_TMP/b.json" "req('GET /things/{id}')")
t_py "break: 2 poll GETs per POST ($gets GETs, $posts POSTs, $created created)" \
    '2 * p <= g <= 2 * p + 2 * (c - p)' g="$gets" p="$posts" c="$created"
e2e_finish
