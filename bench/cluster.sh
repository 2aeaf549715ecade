#!/usr/bin/env bash
# bench/cluster.sh -- the cluster's two figures (part of `make bench`, also
# runnable alone after `make all`):
#   1. throughput per CPU: the same no-think-time run (bench/bench.swarm,
#      CL_USERS users, CL_TIME s) as one process and as --processes 2 (a
#      master and two slaves); requests completed (the master's CSV) over the
#      CPU seconds of the whole process tree (GNU time: the master reaps its
#      slaves, so their time is included); the cluster's cost per request
#      relative to the single process's. A control run, two standalone
#      processes of CL_USERS/2 users each at the same time (no master, no
#      protocol), separates what splitting the load over two event loops
#      costs (fewer events per wake-up) from what the cluster itself costs.
#   2. master merge cost: a master (idle web UI, so only merging) fed by
#      bench/fleet.py's CL_SLAVES simulated Swarm slaves, each reporting
#      CL_ENTRIES entries every 3 s and heartbeating every second, for
#      CL_MERGE_TIME s; the master's CPU (from /proc) as % of one core, and
#      per slave.
# Writes build/bench/cluster.md. Every process is bounded in time and
# stopped on exit. Knobs: CL_TIME=10 CL_USERS=50 CL_SLAVES=1000 CL_ENTRIES=20
# CL_MERGE_TIME=30.
set -u
cd "$(dirname "$0")/.." || exit 2
export SWARM_ROOT=$PWD
OUT=build/bench
mkdir -p "$OUT"
T=${CL_TIME:-10}; U=${CL_USERS:-50}; NS=${CL_SLAVES:-1000}; NE=${CL_ENTRIES:-20}
MT=${CL_MERGE_TIME:-30}
PY=/usr/bin/python3
GTIME=/usr/bin/time
PIDS=""
cleanup() { for p in $PIDS; do kill -TERM "$p" 2>/dev/null; done; sleep 0.3;
            for p in $PIDS; do kill -KILL "$p" 2>/dev/null; done; }
trap cleanup EXIT
port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
for c in "$GTIME" "$PY"; do command -v "$c" >/dev/null || { echo "bench: missing $c" >&2; exit 2; }; done
"$PY" -c 'import zmq, msgpack' || { echo "bench: needs python3-zmq and python3-msgpack" >&2; exit 2; }

build/swarmc bench/bench.swarm -o "$OUT/cl-bench" >"$OUT/cl-bench.cc.log" 2>&1 || exit 2
pf=$OUT/cl-target.port
rm -f "$pf"
timeout -s KILL 300 build/demo-target --port 0 --port-file "$pf" >/dev/null 2>&1 &
PIDS="$PIDS $!"
for i in $(seq 100); do [ -s "$pf" ] && break; sleep 0.05; done
URL="http://127.0.0.1:$(cat "$pf")"

run() {  # LABEL ARGS... (RU=N: N users instead of CL_USERS)
    local label=$1; shift
    timeout -k 5 $((T + 60)) "$GTIME" -f '%U %S' -o "$OUT/cl-$label.time" "$OUT/cl-bench" "$@" \
        -u "${RU:-$U}" -r 1000 -t "${T}s" --only-summary --host "$URL" --csv "$OUT/cl-$label" \
        >"$OUT/cl-$label.out" 2>&1
    local req cpu
    req=$(awk -F, 'NR > 1 && $2 == "\"Aggregated\"" || $2 == "Aggregated" { print $3 }' "$OUT/cl-${label}_stats.csv" | tail -n 1)
    cpu=$(awk '{ print $1 + $2 }' "$OUT/cl-$label.time" | tail -n 1)
    echo "$req $cpu"
}
read -r R1 C1 < <(run single)
read -r R2 C2 < <(run procs2 --processes 2 --master-bind-port "$(port)")
# the control: two standalone halves at once
HALF=$(( (U + 1) / 2 ))
RU=$HALF run halfa >"$OUT/cl-halfa.res" &
HA=$!
RU=$HALF run halfb >"$OUT/cl-halfb.res" &
wait "$HA" $!
read -r RA CA <"$OUT/cl-halfa.res"
read -r RB CB <"$OUT/cl-halfb.res"
R3=$(( ${RA:-0} + ${RB:-0} )); C3=$(awk -v a="${CA:-0}" -v b="${CB:-0}" 'BEGIN { print a + b }')
rate() { awk -v r="$1" -v c="$2" 'BEGIN { if (c > 0) printf "%.0f", r / c; else print "-" }'; }
P1=$(rate "$R1" "$C1"); P2=$(rate "$R2" "$C2"); P3=$(rate "$R3" "$C3")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "-" }'; }
REL=$(ratio "$P1" "$P2"); REL3=$(ratio "$P1" "$P3"); REL23=$(ratio "$P3" "$P2")

# ---- merge cost
MP=$(port); WP=$(port)
HASH=$("$OUT/cl-bench" --version | awk '/script hash/ { print $3 }')
timeout -k 5 $((MT + 60)) "$OUT/cl-bench" --master --master-bind-host 127.0.0.1 \
    --master-bind-port "$MP" --web --web-port "$WP" --host "$URL" >"$OUT/cl-master.out" 2>&1 &
MW=$!
PIDS="$PIDS $MW"
sleep 1
MPID=$(pgrep -P "$MW" | head -n 1)
timeout -k 5 $((MT + 60)) "$PY" bench/fleet.py "$MP" "$NS" "$NE" $((MT + 8)) "$HASH" \
    >"$OUT/cl-fleet.out" 2>&1 &
FW=$!
PIDS="$PIDS $FW"
sleep 8                                 # every simulated slave joined and reports
ticks() { awk '{ print $14 + $15 }' "/proc/$MPID/stat"; }
a=$(ticks); t0=$(date +%s.%N)
sleep "$MT"
b=$(ticks); t1=$(date +%s.%N)
HZ=$(getconf CLK_TCK)
CORE=$(awk -v a="$a" -v b="$b" -v hz="$HZ" -v t0="$t0" -v t1="$t1" \
    'BEGIN { printf "%.2f", 100 * (b - a) / hz / (t1 - t0) }')
PER=$(awk -v c="$CORE" -v n="$NS" 'BEGIN { printf "%.4f", c / n }')
JOINED=$(grep -c 'joined' "$OUT/cl-master.out")
wait "$FW"
kill -TERM "$MPID" 2>/dev/null
{
    echo "| cluster figure | value |"
    echo "| --- | --- |"
    echo "| single process: requests / CPU-s ($U users, ${T}s) | $P1 ($R1 requests, ${C1} CPU-s) |"
    echo "| --processes 2: requests / CPU-s (master + 2 slaves) | $P2 ($R2 requests, ${C2} CPU-s) |"
    echo "| cluster cost per request vs single (target <= 1.10) | $REL |"
    echo "| control: 2 standalone processes of $HALF users at once: requests / CPU-s | $P3 ($R3 requests, ${C3} CPU-s) |"
    echo "| control's cost per request vs single (the split alone) | $REL3 |"
    echo "| cluster cost per request vs the control (master, reports, heartbeats) | $REL23 |"
    echo "| master CPU, $JOINED simulated slaves x $NE entries / 3 s | ${CORE}% of one core |"
    echo "| master CPU per slave | ${PER}% of one core |"
} | tee "$OUT/cluster.md"
