#!/usr/bin/env bash
# tests/e2e/counts.sh -- the request counts a run reports (PREFIX_stats.csv,
# per entry and Aggregated) equal what the demo target served per route,
# for a few seconds of several users with no think time. --stop-timeout lets
# the last requests finish, so nothing is in flight when the run stops.
. "$(dirname "$0")/lib.sh"
e2e_init counts
target_start
swarm_script counts <<'SW' || e2e_finish
host "http://127.0.0.1:1"            # replaced by --host

task resource weight 3 {
    get "/resources/${random(1, 100)}" name "/resources/{id}"
}
task create {
    post "/things"
}
task read_thing {
    let id = random(1, 20)
    get "/things/${id}"              # default name /things/{id}; 404 until created
}
task not_found {
    get "/status/404"
}
SW

stats_reset
swarm_run 40 "$E2E_TMP/counts" --users 8 --hatch-rate 100 --run-time 3s \
    --stop-timeout 5s --host "$TARGET_URL" --csv "$E2E_TMP/c"
csv="$E2E_TMP/c_stats.csv"
stats_fetch "$E2E_TMP/s.json"
t_check "the run ended (exit status 0 or 1, got $RUN_RC)" [ "$RUN_RC" -eq 0 -o "$RUN_RC" -eq 1 ]
t_check "PREFIX_stats.csv written" [ -s "$csv" ]

total=$(stats_num "$E2E_TMP/s.json" 'sum(d["requests"].values())')
t_py "enough load to mean something (>= 200 requests)" 'n >= 200' n="$total"

# entry TYPE NAME TARGET-KEY
entry() {
    local served got
    served=$(stats_num "$E2E_TMP/s.json" "req('$3')")
    got=$(csv_get "$csv" "Request Count" "Type=$1" "Name=$2")
    t_eq "$1 $2: reported count = served count ($served)" "$got" "$served"
}
entry GET "/resources/{id}" "GET /resources/{id}"
entry POST /things "POST /things"
entry GET "/things/{id}" "GET /things/{id}"
entry GET /status/404 "GET /status/{code}"

t_eq "Aggregated count = everything served" \
    "$(csv_get "$csv" "Request Count" Type= Name=Aggregated)" "$total"
t_eq "no other entries" "$(csv_all "$csv" Name | LC_ALL=C sort | tr '\n' ' ')" \
    "/resources/{id} /status/404 /things /things/{id} Aggregated "

# Failures: every 404 (from /status/404 and from unknown things) is one.
fails=$(stats_num "$E2E_TMP/s.json" 'st(404)')
t_eq "Aggregated failures = 404s served ($fails)" \
    "$(csv_get "$csv" "Failure Count" Type= Name=Aggregated)" "$fails"
t_eq "/status/404: every request failed" \
    "$(csv_get "$csv" "Failure Count" Type=GET Name=/status/404)" \
    "$(stats_num "$E2E_TMP/s.json" "req('GET /status/{code}')")"
t_eq "exit status 1 (there were failures)" "$RUN_RC" 1
e2e_finish
