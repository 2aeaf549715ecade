#!/usr/bin/env bash
# conns.sh -- every user owns its connection: N keep-alive users make exactly
# N connections at the target (the demo target counts the distinct client
# ports that sent requests: /__stats "peer_ports"), on each engine.
. "$(dirname "$0")/lib.sh"
e2e_init conns
target_start

swarm_script conns <<'EOF' || e2e_finish
host "http://127.0.0.1:1"
wait between 20ms and 60ms
task t {
    get "/resources/1" name "r"
}
EOF
N=25
for eng in native curl; do
    curl -s --max-time 5 -X POST "$TARGET_URL/__reset" >/dev/null
    swarm_run 60 "$E2E_TMP/conns" --users $N --hatch-rate 100 --run-time 3s \
        --http-engine "$eng" --host "$TARGET_URL" --csv "$E2E_TMP/$eng"
    t_eq "$eng: exit status 0" "$RUN_RC" 0
    stats_fetch "$E2E_TMP/$eng.stats"
    req=$(csv_get "$E2E_TMP/${eng}_stats.csv" "Request Count" Name=r)
    ports=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['peer_ports'])" "$E2E_TMP/$eng.stats")
    t_py "$eng: many requests per user ($req for $N users)" 'r >= 5 * n' r="$req" n="$N"
    t_eq "$eng: $N users made exactly $N connections" "$ports" "$N"
done
e2e_finish
