#!/usr/bin/env bash
# bench/run.sh -- `make bench`: Swarm side by side with wrk and Locust.
#
# One nginx worker on 127.0.0.1 (pinned to CPU 0) answers a small static
# body; every load generator runs pinned to CPU 1, one after the other:
#   1. throughput: 50 users/connections, no think time, BENCH_TIME seconds
#      each, for wrk, Locust FastHttpUser and Swarm. For each: requests
#      completed (from the tool's own output) and the CPU seconds
#      (user+sys, whole process tree, from GNU time) it used, hence
#      requests per CPU-second, and the ratios Swarm/wrk and Swarm/Locust.
#   2. memory: BENCH_MEM_USERS users with 10 s think time for
#      BENCH_MEM_TIME seconds, minus the same binary with 1 user: the peak
#      RSS (GNU time %M = the largest ru_maxrss in the tree) per user, for
#      Swarm and Locust.
#   3. schedule error: BENCH_SCHED_USERS users paced at one iteration per
#      second (bench/sched.swarm, no requests) for BENCH_SCHED_TIME seconds:
#      how late each iteration started (p50/p99/max, and any early start).
# Prints a table and writes it to build/bench/results.md; every raw output
# stays in build/bench/. Everything is bounded in time, and every process
# started here is stopped on exit (trap).
# Run from anywhere after `make all`; as root it installs its peers first.
#
# Knobs (environment): BENCH_TIME=10 BENCH_USERS=50 BENCH_MEM_USERS=5000
#   BENCH_SCHED_USERS="1000 10000" BENCH_SCHED_TIME=8
#   BENCH_MEM_RATE=1000 BENCH_MEM_TIME=20 BENCH_BASE_TIME=8 SWARMC=build/swarmc
set -u
cd "$(dirname "$0")/.." || exit 2
ROOT=$PWD
export SWARM_ROOT=$ROOT
OUT=$ROOT/build/bench
NGX=$OUT/nginx
TIME=${BENCH_TIME:-10}
USERS=${BENCH_USERS:-50}
MEM_USERS=${BENCH_MEM_USERS:-5000}
MEM_RATE=${BENCH_MEM_RATE:-1000}
MEM_TIME=${BENCH_MEM_TIME:-20}
BASE_TIME=${BENCH_BASE_TIME:-8}
SCHED_USERS=${BENCH_SCHED_USERS:-"1000 10000"}
SCHED_TIME=${BENCH_SCHED_TIME:-8}
SWARMC=${SWARMC:-build/swarmc}      # override to try another compiler build
PY=/usr/bin/python3                 # Debian's, the one python3-locust uses
LOCUST=/usr/bin/locust
GTIME=/usr/bin/time

die() { echo "bench: $*" >&2; exit 2; }
note() { echo "bench: $*" >&2; }

# ---- peers -----------------------------------------------------------------
if [ "$(id -u)" -eq 0 ]; then
    sh scripts/deps.sh nginx-light wrk python3-locust time || die "could not install peers"
fi
for c in nginx wrk taskset setsid "$LOCUST" "$GTIME" "$PY"; do
    command -v "$c" >/dev/null 2>&1 \
        || die "missing $c; run: sudo sh scripts/deps.sh nginx-light wrk python3-locust time"
done
taskset -c 1 true 2>/dev/null || die "needs 2 CPUs (nginx on CPU 0, generators on CPU 1)"
# As root, run nginx and the generators at a higher priority, so that other
# work on the machine disturbs the figures less.
NICE=()
[ "$(id -u)" -eq 0 ] && NICE=(nice -n -10)

# Room for MEM_USERS sockets in the generator and in nginx.
ulimit -n "$(ulimit -Hn)" 2>/dev/null
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -gt $((MEM_USERS + 200)) ] \
    || note "warning: ulimit -n is $(ulimit -n); the $MEM_USERS-user runs may hit it"

{ rm -rf "$OUT" && mkdir -p "$NGX/tmp"; } || die "cannot create $OUT"

# ---- process bookkeeping ---------------------------------------------------
# nginx and each generator run in a session of their own (setsid), so a
# group kill reaches every process they started.
NGX_PID=""
GEN_PID=""
WD_PID=""
cleanup() {
    [ -n "$WD_PID" ] && kill "$WD_PID" 2>/dev/null
    [ -n "$GEN_PID" ] && kill -KILL -- "-$GEN_PID" 2>/dev/null
    if [ -n "$NGX_PID" ]; then
        kill -QUIT "$NGX_PID" 2>/dev/null
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$NGX_PID" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL -- "-$NGX_PID" 2>/dev/null
        wait "$NGX_PID" 2>/dev/null
    fi
    NGX_PID="" GEN_PID="" WD_PID=""
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

# run_gen LABEL LIMIT CMD... -- run CMD pinned to CPU 1 under GNU time, its
# output in $OUT/LABEL.out and "user sys maxrss_kb elapsed" in
# $OUT/LABEL.time. After LIMIT seconds the process group gets SIGINT (a
# clean stop), 10 s later SIGKILL. Returns CMD's exit status.
run_gen() {
    local label=$1 limit=$2 rc before
    shift 2
    before=$(served)
    setsid "${NICE[@]}" taskset -c 1 "$GTIME" -f '%U %S %M %e' -o "$OUT/$label.time" "$@" \
        </dev/null >"$OUT/$label.out" 2>&1 &
    GEN_PID=$!
    (
        trap 'kill "$sp" 2>/dev/null; exit 0' TERM
        sleep "$limit" & sp=$!; wait "$sp"
        echo "bench: $label still running after ${limit}s, stopping it" >&2
        kill -INT -- "-$GEN_PID" 2>/dev/null
        sleep 10 & sp=$!; wait "$sp"
        kill -KILL -- "-$GEN_PID" 2>/dev/null
    ) &
    WD_PID=$!
    wait "$GEN_PID"; rc=$?
    kill "$WD_PID" 2>/dev/null; wait "$WD_PID" 2>/dev/null
    kill -KILL -- "-$GEN_PID" 2>/dev/null   # leftovers of the tree, if any
    GEN_PID="" WD_PID=""
    SERVED[$label]=$(awk -v a="$(served)" -v b="$before" \
        'BEGIN { if (a ~ /^[0-9]+$/ && b ~ /^[0-9]+$/) print a - b - 1; else print "-" }')
    return $rc
}
declare -A SERVED                   # LABEL -> requests nginx handled in that run

# time_of LABEL FIELD -- a field of $OUT/LABEL.time: cpu (user+sys), rss, wall.
# GNU time writes "Command exited with non-zero status N" above the numbers,
# so the last line is the one.
time_of() {
    local f=$OUT/$1.time
    [ -s "$f" ] || { echo "-"; return; }
    tail -n 1 "$f" | awk -v w="$2" 'NF == 4 {
        if (w == "cpu") printf "%.2f\n", $1 + $2
        else if (w == "rss") print $3
        else print $4
        ok = 1 } END { if (!ok) print "-" }'
}

# locust_summary FILE -- "REQUESTS FAILURES" from the Aggregated line of the
# final summary Locust prints. Locust 2.12 writes _stats.csv once a second
# while running but not after the run stops, so the CSV misses the last
# second; the console summary is its final figure.
locust_summary() {
    awk '$1 == "Aggregated" { f = $3; sub(/\(.*/, "", f); print $2, f; ok = 1; exit }
        END { if (!ok) print "- -" }' "$1"
}

# ---- nginx -------------------------------------------------------------------
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') \
    || die "cannot find a free port"
URL="http://127.0.0.1:$PORT"
sed -e "s|@PORT@|$PORT|g" -e "s|@PREFIX@|$NGX|g" bench/nginx.conf >"$NGX/nginx.conf"
setsid "${NICE[@]}" taskset -c 0 nginx -p "$NGX" -e "$NGX/error.log" -c "$NGX/nginx.conf" \
    </dev/null >"$NGX/stdout.log" 2>&1 &
NGX_PID=$!
up=0
for _ in $(seq 50); do
    kill -0 "$NGX_PID" 2>/dev/null || break
    if "$PY" - "$PORT" <<'EOF' 2>/dev/null
import sys, urllib.request
urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1], timeout=1).read()
EOF
    then up=1; break; fi
    sleep 0.1
done
[ $up -eq 1 ] || { cat "$NGX/error.log" "$NGX/stdout.log" >&2 2>/dev/null; die "nginx did not start"; }
note "nginx $(nginx -v 2>&1 | sed 's|.*/||') on $URL (pid $NGX_PID, CPU 0)"

# served -- nginx's own count of the requests handled so far, this query
# included (stub_status counts it). Prints "-" if nginx does not answer.
served() {
    "$PY" - "$PORT" <<'EOF' 2>/dev/null || echo "-"
import re, sys, urllib.request
body = urllib.request.urlopen("http://127.0.0.1:%s/nginx_status" % sys.argv[1], timeout=5).read()
print(int(re.search(rb"\s(\d+)\s+(\d+)\s+(\d+)\s", body).group(3)))
EOF
}

# ---- Swarm binaries ----------------------------------------------------------
SWARM_WHY=""                        # non-empty: why Swarm was not measured
if [ ! -x "$SWARMC" ]; then
    SWARM_WHY="$SWARMC missing (make all failed)"
else
    for s in bench mem sched; do
        if ! timeout 120 "$SWARMC" "bench/$s.swarm" -o "$OUT/swarm-$s" >"$OUT/swarmc-$s.log" 2>&1 \
            || [ ! -x "$OUT/swarm-$s" ]; then
            SWARM_WHY="swarmc failed on bench/$s.swarm (see build/bench/swarmc-$s.log)"
            break
        fi
    done
fi
[ -n "$SWARM_WHY" ] && note "Swarm not measured: $SWARM_WHY"

LIMIT=$((TIME + 40))
declare -A REQ FAIL CPU WALL

# ---- 1. throughput -------------------------------------------------------------
note "wrk: $USERS connections, ${TIME}s"
run_gen wrk "$LIMIT" wrk -t1 -c"$USERS" -d"${TIME}s" "$URL/"
REQ[wrk]=$(awk '/requests in/ { print $1; exit }' "$OUT/wrk.out")
# wrk counts a request with a socket error or a non-2xx/3xx status as done.
FAIL[wrk]=$(awk '/Non-2xx or 3xx/ { n += $NF }
    /Socket errors/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i }
    END { print n + 0 }' "$OUT/wrk.out")

note "Locust FastHttpUser: $USERS users, ${TIME}s"
run_gen locust "$LIMIT" "$LOCUST" -f bench/locustfile.py --headless -u "$USERS" -r "$USERS" \
    -t "${TIME}s" -H "$URL" --only-summary --csv "$OUT/locust" ThroughputUser
read -r "REQ[locust]" "FAIL[locust]" < <(locust_summary "$OUT/locust.out")

if [ -z "$SWARM_WHY" ]; then
    note "Swarm: $USERS users, ${TIME}s"
    run_gen swarm "$LIMIT" "$OUT/swarm-bench" --users "$USERS" --hatch-rate "$USERS" \
        --run-time "${TIME}s" --host "$URL" --only-summary --csv "$OUT/swarm"
    rc=$?
    read -r "REQ[swarm]" "FAIL[swarm]" _ < <("$PY" bench/csvstat.py "$OUT/swarm" 2>>"$OUT/swarm.out")
    [ -n "${REQ[swarm]:-}" ] || SWARM_WHY="the Swarm run wrote no CSV (exit $rc, see build/bench/swarm.out)"
    # the same run on the libcurl engine (the default, auto, is the native one)
    note "Swarm (curl engine): $USERS users, ${TIME}s"
    run_gen swarm-curl "$LIMIT" "$OUT/swarm-bench" --users "$USERS" --hatch-rate "$USERS" \
        --run-time "${TIME}s" --host "$URL" --only-summary --csv "$OUT/swarm-curl" --http-engine curl
    read -r "REQ[swarm-curl]" "FAIL[swarm-curl]" _ < <("$PY" bench/csvstat.py "$OUT/swarm-curl" 2>>"$OUT/swarm-curl.out")
fi

for t in wrk locust swarm swarm-curl; do
    CPU[$t]=$(time_of "$t" cpu)
    WALL[$t]=$(time_of "$t" wall)
done

# ---- 2. memory per user ------------------------------------------------------
MEM_LIMIT=$((MEM_TIME + 60))
mem_run() {  # TOOL LABEL NUSERS SECONDS
    local tool=$1 label=$2 n=$3 secs=$4 rate=$MEM_RATE
    [ "$n" -lt "$rate" ] && rate=$n
    note "$tool memory: $n users, wait 10s, hatch $rate/s, ${secs}s"
    if [ "$tool" = locust ]; then
        run_gen "$label" "$MEM_LIMIT" "$LOCUST" -f bench/locustfile.py --headless -u "$n" -r "$rate" \
            -t "${secs}s" -H "$URL" --only-summary --csv "$OUT/$label" MemoryUser
    else
        run_gen "$label" "$MEM_LIMIT" "$OUT/swarm-mem" --users "$n" --hatch-rate "$rate" \
            --run-time "${secs}s" --host "$URL" --only-summary --csv "$OUT/$label"
    fi
}
declare -A RSS1 RSSN KBU MREQ MUSERS
for t in locust swarm; do
    if [ "$t" = swarm ] && [ -n "$SWARM_WHY" ]; then continue; fi
    mem_run "$t" "mem-$t-1" 1 "$BASE_TIME"
    mem_run "$t" "mem-$t-n" "$MEM_USERS" "$MEM_TIME"
    RSS1[$t]=$(time_of "mem-$t-1" rss)
    RSSN[$t]=$(time_of "mem-$t-n" rss)
    read -r MREQ[$t] _ MUSERS[$t] < <("$PY" bench/csvstat.py "$OUT/mem-$t-n" 2>>"$OUT/mem-$t-n.out")
    [ "$t" = locust ] && read -r MREQ[$t] _ < <(locust_summary "$OUT/mem-$t-n.out")
    # Locust 2.12's history has no row after the ramp-up; both tools log
    # "All users spawned/hatched: ... (N total users)".
    logged=$(sed -n 's/.*All users [a-z]*:.*(\([0-9]*\) total users).*/\1/p' "$OUT/mem-$t-n.out" | tail -n 1)
    if [ -n "$logged" ] && [ "$logged" -gt "${MUSERS[$t]:--1}" ]; then MUSERS[$t]=$logged; fi
    if [ "${RSS1[$t]}" != - ] && [ "${RSSN[$t]}" != - ]; then
        KBU[$t]=$(awk -v a="${RSSN[$t]}" -v b="${RSS1[$t]}" -v n="$MEM_USERS" \
            'BEGIN { printf "%.2f", (a - b) / (n - 1) }')
    fi
done

# ---- schedule error of paced users ------------------------------------------
declare -A SCHED
if [ -z "$SWARM_WHY" ]; then
    for n in $SCHED_USERS; do
        note "Swarm schedule error: $n paced users (1 s), ${SCHED_TIME}s"
        run_gen "sched-$n" $((SCHED_TIME + 40)) "$OUT/swarm-sched" --users "$n" \
            --hatch-rate "$n" --run-time "${SCHED_TIME}s" --only-summary --loglevel DEBUG
        SCHED[$n]=$("$PY" bench/schedstat.py "$OUT/sched-$n.out")
    done
fi

cleanup

# ---- report --------------------------------------------------------------------
NA="not measured yet"
ratio() {  # A B -> A/B with 2 decimals, or "-"
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b + 0 > 0) printf "%.2f", a / b
        else printf "-" }'
}
declare -A RPC
for t in wrk locust swarm swarm-curl; do
    RPC[$t]=$(ratio "${REQ[$t]:-}" "${CPU[$t]:-}")
done
verdict() {  # VALUE TARGET
    awk -v v="$1" -v t="$2" 'BEGIN {
        if (v !~ /^[0-9.]+$/) print "-"; else if (v + 0 >= t + 0) print "met"; else print "NOT met" }'
}

row() {  # TOOL LABEL
    local t=$1
    if [ "$t" = swarm ] && [ -n "$SWARM_WHY" ]; then
        printf '| %s | %s | | | | | |\n' "$2" "$NA"
    else
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$2" "${REQ[$t]:--}" "${FAIL[$t]:--}" \
            "${SERVED[$t]:--}" "${CPU[$t]:--}" "${WALL[$t]:--}" "${RPC[$t]:--}"
    fi
}
mrow() {
    local t=$1
    if [ "$t" = swarm ] && [ -n "$SWARM_WHY" ]; then
        printf '| %s | %s | | | | | |\n' "$2" "$NA"
    else
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$2" "${RSS1[$t]:--}" "${RSSN[$t]:--}" \
            "${KBU[$t]:--}" "${MUSERS[$t]:--}" "${MREQ[$t]:--}" "${SERVED[mem-$t-n]:--}"
    fi
}

SW_WRK=$(ratio "${RPC[swarm]}" "${RPC[wrk]}")
SW_LOC=$(ratio "${RPC[swarm]}" "${RPC[locust]}")
SWC_WRK=$(ratio "${RPC[swarm-curl]:-}" "${RPC[wrk]}")
MEM_RATIO=$(ratio "${KBU[locust]:-}" "${KBU[swarm]:-}")
[ -n "$SWARM_WHY" ] && SW_WRK=$NA SW_LOC=$NA MEM_RATIO=$NA

{
    echo "# Swarm benchmark results"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), Linux $(uname -r)."
    echo "nginx $(nginx -v 2>&1 | sed 's|.*/||') (1 worker, CPU 0) on 127.0.0.1; generators on CPU 1;"
    echo "wrk $(dpkg-query -W -f='${Version}' wrk 2>/dev/null), Locust $(dpkg-query -W -f='${Version}' python3-locust 2>/dev/null) (FastHttpUser)."
    [ -n "$SWARM_WHY" ] && echo && echo "Swarm: $NA -- $SWARM_WHY."
    echo
    echo "## Throughput: $USERS users/connections, no think time, ${TIME} s each"
    echo
    echo "| generator | requests | failed | nginx served | CPU s (user+sys) | wall s | requests per CPU-second |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    row wrk "wrk -t1 -c$USERS"
    row locust "Locust FastHttpUser"
    row swarm "Swarm (native engine)"
    row swarm-curl "Swarm (curl engine)"
    echo
    echo "| ratio of requests per CPU-second | value | target |"
    echo "| --- | ---: | --- |"
    echo "| Swarm / wrk | $SW_WRK | >= 0.8 ($(verdict "$SW_WRK" 0.8)) |"
    echo "| Swarm / Locust | $SW_LOC | >= 10 ($(verdict "$SW_LOC" 10)) |"
    echo "| Swarm (curl engine) / wrk | $SWC_WRK | |"
    echo
    echo "## Memory: $MEM_USERS users, 10 s think time, ${MEM_TIME} s (baseline: 1 user, ${BASE_TIME} s)"
    echo
    echo "| generator | peak RSS, 1 user (KB) | peak RSS, $MEM_USERS users (KB) | KB per user | users reported | requests | nginx served |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    mrow locust "Locust FastHttpUser"
    mrow swarm "Swarm"
    echo
    echo "Locust KB per user / Swarm KB per user: $MEM_RATIO"
    echo
    echo "## Schedule error: users paced at 1 iteration/s (bench/sched.swarm), ${SCHED_TIME} s"
    echo
    echo "| paced users | intervals | p50 ms | p99 ms | max ms | min ms | early |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for n in $SCHED_USERS; do
        read -r c p50 p99 mx mn early <<<"${SCHED[$n]:-0 - - - - -}"
        echo "| $n | $c | $p50 | $p99 | $mx | $mn | $early |"
    done
    echo
    echo "CPU s: user+sys of the whole generator process tree (GNU time), start-up and"
    echo "shutdown included. Requests: wrk's summary line, the Aggregated row of"
    echo "Locust's final console summary and of Swarm's _stats.csv. nginx served:"
    echo "nginx's own count (stub_status) over the same run, a check on the tool's"
    echo "figure. Raw outputs: build/bench/."
} >"$OUT/results.md"

echo
cat "$OUT/results.md"

# cluster figures (issue 7): --processes 2 per CPU, master merge cost
echo
bash bench/cluster.sh || note "the cluster benchmark failed (see build/bench/cl-*)"
# ---- compile-time scale (bench/compile.sh: big literals, many vars) ----
echo
echo "== compile time =="
bash "$ROOT/bench/compile.sh" || echo "(bench/compile.sh failed)"
exit 0
