#!/usr/bin/env bash
# tests/e2e/shape_arrival.sh -- issue 10: `shape` stages drive the open
# model's arrival rate (LANGUAGE.md 9 and 10). A stage's `arrival A` ramps
# the rate linearly from the rate in force to A over the stage; a stage
# without one keeps the rate. Ground truth is the demo target's own arrival
# log (GET /__log); the run's start is the arrival of the `on test start`
# hook's request ("mark"), sent when the shape starts.
#  - ramp 0 -> 100/s over 2 s, 100/s kept 2 s, ramp 100 -> 0 over 2 s: the
#    target sees ~100, ~200 and ~100 iterations in those stages, ~25 then ~75
#    in the first two seconds (a ramp, not a step), nothing in the first
#    100 ms (the ramp starts at 0); the log line of each stage names its
#    arrival target; JSON: arrival.rate 0 at the end, peak_rate 100, started
#    = what the target saw;
#  - a second run started from the web UI (POST /swarm) ramps from the same
#    starting rate again (0), not from where the first run ended;
#  - `--rate 50` is the rate a script's first ramp starts from (over the
#    script's `arrival rate 20`), and `poisson` spacing stays on under the
#    shape (gaps' coefficient of variation near 1, not near 0; a loaded
#    machine's bursts can only raise it, so only a floor is checked).
# Tolerances are counts (±15% at constant spacing, ±30% = 3 sd for Poisson
# counts), never speeds.
. "$(dirname "$0")/lib.sh"
e2e_init shape_arrival
target_start

# shape_counts JSON LOG STAGE_MS...: prints "n1 n2 ... | w0 w1 | first_ms cv_last total"
# where n_i is the number of iterations the target saw in stage i, w0/w1 those
# in the first two seconds, first_ms the first arrival after the mark,
# cv_last the coefficient of variation of the gaps in the last stage and
# total all the iterations it saw.
shape_counts() {
    timeout 30 python3 - "$@" <<'PY' 2>&1
import json, statistics, sys
log = json.load(open(sys.argv[2]))
stages = [float(x) for x in sys.argv[3:]]
marks = sorted(a for a, s, u in log["records"] if u == "/resources/0")
recs = sorted(a for a, s, u in log["records"] if u == "/resources/1")
if not marks or not recs:
    print("no mark or no iterations"); sys.exit()
t0 = marks[0]
rel = [a - t0 for a in recs]
counts, lo = [], 0.0
for ms in stages:
    counts.append(sum(1 for r in rel if lo <= r < lo + ms))
    lo += ms
w0 = sum(1 for r in rel if 0 <= r < 1000)
w1 = sum(1 for r in rel if 1000 <= r < 2000)
last = [r for r in rel if lo - stages[-1] + 100 <= r < lo - 100]
gaps = [b - a for a, b in zip(last, last[1:])]
cv = statistics.pstdev(gaps) / statistics.mean(gaps) if len(gaps) > 2 else -1
print(" ".join(str(c) for c in counts), "|", w0, w1, "|", "%.0f" % rel[0], "%.2f" % cv, len(recs))
PY
}

# ---- ramp up, keep, ramp down: the closed model's script, opened by `arrival`
swarm_script ramp <<'SW' || e2e_finish
host "http://127.0.0.1:1"
on test start { get "/resources/0" name "mark" }
task t { get "/resources/1" name "/r" }
shape {
    stage 2s users 20 arrival 100          # 0 -> 100/s: 100 iterations
    stage 2s users 20                      # 100/s kept: 200
    stage 2s users 20 arrival 0 per second # 100 -> 0/s: 100
}
SW
stats_reset
swarm_run 40 "$E2E_TMP/ramp" --headless --host "$TARGET_URL" --json "$E2E_TMP/ramp.json"
t_eq "the shaped open-model run ends by itself with status 0" "$RUN_RC" 0
curl -s --max-time 5 "$TARGET_URL/__log" >"$E2E_TMP/ramp-log.json"
res=$(shape_counts "$E2E_TMP/ramp.json" "$E2E_TMP/ramp-log.json" 2000 2000 2000)
read -r n1 n2 n3 _ w0 w1 _ first _ total <<<"$res"
t_py "ramp 0 -> 100/s over 2 s: ~100 iterations [$res]" 'abs(n - 100) <= 15' n="$n1"
t_py "100/s kept for 2 s: ~200 iterations [$res]" 'abs(n - 200) <= 30' n="$n2"
t_py "ramp 100 -> 0/s over 2 s: ~100 iterations [$res]" 'abs(n - 100) <= 15' n="$n3"
t_py "the ramp is linear: ~25 in its first second, ~75 in its second [$res]" \
    'abs(a - 25) <= 10 and abs(b - 75) <= 12' a="$w0" b="$w1"
t_py "a ramp from 0 starts nothing at once (first arrival $first ms in)" 'f >= 100' f="$first"
arr=$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["arrival"]; print(a["rate"], a["peak_rate"], a["started"], a["dropped"])' \
      "$E2E_TMP/ramp.json" 2>&1)
read -r rate peak started dropped <<<"$arr"
t_eq "JSON arrival: the rate is the last stage's target, the peak 100 [$arr]" "$rate $peak" "0 100"
t_eq "JSON arrival.started = what the target saw, none dropped" "$started $dropped" "$total 0"
t_check "stage 1 log names its arrival target" \
    grep -q "Shape stage 1 of 3: 20 users at .*; arrivals from 0.00 to 100.00 iterations/s" "$RUN_ERR"
t_check "stage 2 log: the rate is kept" \
    grep -q "Shape stage 2 of 3: .*; arrivals kept at 100.00 iterations/s" "$RUN_ERR"
t_check "the summary shows the peak rate" grep -q "100.00/s at most" "$RUN_OUT"

# ---- --rate is where the first ramp starts; poisson spacing stays
swarm_script pois <<'SW' || e2e_finish
host "http://127.0.0.1:1"
arrival rate 20 per second poisson
on test start { get "/resources/0" name "mark" }
task t { get "/resources/1" name "/r" }
shape {
    stage 2s users 30 arrival 50                 # --rate 50 kept: 100
    stage 2s users 40 rate 100 arrival 150 per second  # 50 -> 150/s: 200
    stage 2s users 40                            # 150/s: 300
}
SW
stats_reset
swarm_run 40 "$E2E_TMP/pois" --headless --rate 50 --host "$TARGET_URL" --json "$E2E_TMP/pois.json"
t_eq "poisson run: exit status 0" "$RUN_RC" 0
curl -s --max-time 5 "$TARGET_URL/__log" >"$E2E_TMP/pois-log.json"
res=$(shape_counts "$E2E_TMP/pois.json" "$E2E_TMP/pois-log.json" 2000 2000 2000)
read -r n1 n2 n3 _ w0 w1 _ first cv _ <<<"$res"
t_py "from --rate 50: ~100, ~200, ~300 iterations (Poisson counts, 3 sd) [$res]" \
    'abs(a - 100) <= 30 and abs(b - 200) <= 45 and abs(c - 300) <= 55 and abs(a + b + c - 600) <= 90' \
    a="$n1" b="$n2" c="$n3"
# exponential gaps have a CV of 1, constant spacing ~0.15 here; a loaded
# machine's late timers start iterations in bursts, which only raises it
t_py "poisson spacing under the shape: gaps' CV not that of constant spacing [$res]" 'v >= 0.6' v="$cv"
arr=$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["arrival"]; print(a["rate"], a["poisson"])' \
      "$E2E_TMP/pois.json" 2>&1)
t_eq "JSON arrival: rate 150 at the end, poisson" "$arr" "150 True"
t_check "stage 1 starts from --rate" \
    grep -q "Shape stage 1 of 3: .*; arrivals from 50.00 to 50.00 iterations/s" "$RUN_ERR"

# ---- two runs from the web UI: each ramps 0 -> 100/s, then keeps 100/s
# (50 + 100 iterations); a second run that started from where the first
# ended (100/s) would start 200
swarm_script webshape <<'SW' || e2e_finish
host "http://127.0.0.1:1"
task t { get "/resources/1" name "/r" }
shape {
    stage 1s users 10 arrival 100
    stage 1s users 10
}
SW
stats_reset
WP=$(free_port)
timeout -k 5 40 "$E2E_TMP/webshape" --web --web-host 127.0.0.1 --web-port "$WP" \
    --host "$TARGET_URL" >"$E2E_TMP/web.out" 2>"$E2E_TMP/web.err" &
WPID=$!
for _ in $(seq 100); do curl -s -m 1 -o /dev/null "http://127.0.0.1:$WP/" && break; sleep 0.05; done
runs=""
for run in 1 2; do
    curl -s -m 5 -o /dev/null -X POST "http://127.0.0.1:$WP/swarm" -d 'user_count=10&spawn_rate=10'
    for _ in $(seq 200); do   # until the shape stops the test
        sleep 0.1
        st=$(curl -s -m 5 "http://127.0.0.1:$WP/stats/requests" \
             | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["state"], d["arrival"]["started"], d["arrival"]["rate"])' 2>/dev/null)
        case $st in stopped*) break ;; esac
    done
    runs="$runs ${st#stopped }"
done
proc_stop "$WPID" 40
stats_fetch "$E2E_TMP/web-s.json"
seen=$(stats_num "$E2E_TMP/web-s.json" 'req("GET /resources/{id}")')
read -r s1 r1 s2 r2 <<<"$runs"
t_py "each web-started run ramps from 0 again: ~150 iterations each, rate 100 at the end [$runs; target $seen]" \
    'abs(a - 150) <= 22 and abs(b - 150) <= 22 and ra == 100 and rb == 100 and t == a + b' \
    a="$s1" b="$s2" ra="$r1" rb="$r2" t="$seen"

e2e_finish
