# tests/e2e/cluster_lib.bash -- helpers for the cluster tests (sourced after
# lib.sh; not a suite itself). Every process runs under `timeout`, started
# as a simple command so $! is that process; cluster_cleanup (from the EXIT
# trap) stops whatever is left.

CL_PIDS=""

# cl_need_locust: the suites with Debian's Locust skip (one "ok ... # SKIP"
# line) and end when the `locust` command is missing.
cl_need_locust() {
    if ! command -v locust >/dev/null 2>&1; then
        echo "ok - $E2E_NAME: # SKIP locust is not installed (apt-get install python3-locust)"
        exit 0
    fi
}

# cl_locust_worker PORT NAME: a Locust worker (lf.py in the scratch
# directory) for the master on PORT, in the background, output in
# NAME.out/NAME.err; sets LW.
cl_locust_worker() {
    (cd "$E2E_TMP" && timeout -k 5 60 locust -f lf.py --worker --master-host 127.0.0.1 \
        --master-port "$1" >"$2.out" 2>"$2.err") &
    LW=$!
    CL_PIDS="$CL_PIDS $LW"
}

# cl_bg LIMIT OUT ERR CMD...: start CMD in the background under timeout;
# sets CL_PID (the timeout watchdog) and CL_KID (CMD's own process, to
# signal it directly; empty if it did not show within 1 s).
cl_bg() {
    local limit=$1 out=$2 err=$3 i; shift 3
    timeout -k 3 "$limit" "$@" >"$out" 2>"$err" &
    CL_PID=$!
    CL_PIDS="$CL_PIDS $CL_PID"
    CL_KID=""
    for i in $(seq 50); do
        CL_KID=$(pgrep -P "$CL_PID" | head -n 1)
        [ -n "$CL_KID" ] && break
        sleep 0.02
    done
}

# cl_slave N BIN PORT [ARGS...]: start slave number N; sets CL_PID and
# SLAVE_PID[N] to the slave process itself (not its watchdog).
declare -A SLAVE_PID SLAVE_WD
cl_slave() {
    local n=$1 bin=$2 port=$3; shift 3
    cl_bg 120 "$E2E_TMP/slave$n.out" "$E2E_TMP/slave$n.err" "$bin" --slave \
        --master-port "$port" "$@"
    SLAVE_WD[$n]=$CL_PID
    SLAVE_PID[$n]=$CL_KID
}

# cl_wait_log FILE REGEX SECONDS: wait until FILE has a line matching REGEX.
cl_wait_log() {
    local f=$1 re=$2 s=$3 i
    for i in $(seq $((s * 10))); do
        grep -Eq "$re" "$f" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# cl_json URL PYTHON-EXPR: GET URL, evaluate the expression over `d`.
cl_json() {
    curl -s --max-time 5 "$1" | timeout 10 python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
    v = eval(sys.argv[1])
    print(v)
except Exception as e:
    print("error: %r" % e)' "$2"
}

# cl_slave_total N: the Aggregated request count slave N printed at exit.
cl_slave_total() {
    awk '$1 == "Aggregated" { print $2 }' "$E2E_TMP/slave$1.out" | tail -n 1
}

# users_by_range FILE: the target's users map grouped by slave index range
# (user ids are index * 1000000 + n): sorted counts, e.g. "3 3 4".
users_by_range() {
    timeout 10 python3 -c '
import json, sys, collections
d = json.load(open(sys.argv[1]))
c = collections.Counter(int(k) // 1000000 for k in d["users"])
print(" ".join(str(v) for v in sorted(c.values())))' "$1"
}

cluster_cleanup() {
    local p
    for p in $CL_PIDS; do
        kill -TERM "$p" 2>/dev/null
    done
    sleep 0.2
    for p in $CL_PIDS; do
        kill -KILL "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    for p in "${SLAVE_PID[@]}"; do
        [ -n "$p" ] && kill -KILL "$p" 2>/dev/null
    done
    CL_PIDS=""
    e2e_cleanup
}
