# tests/e2e/lib.sh -- shared helpers for the end-to-end tests (sourced, not run).
#
# A test does:
#     . "$(dirname "$0")/lib.sh"
#     e2e_init polling            # cd to the repo root, scratch dir, traps
#     target_start --active-delay 1500
#     swarm_compile samples/polling.swarm "$E2E_TMP/polling" || e2e_finish
#     swarm_run 30 "$E2E_TMP/polling" --users 4 --run-time 5s --host "$TARGET_URL"
#     t_check "exit status 0" [ "$RUN_RC" -eq 0 ]
#     e2e_finish
#
# Every process runs under `timeout` (or a watchdog), the target is killed by
# the EXIT trap, and each check prints one "ok - ..." or "not ok - ..." line.
# Background processes are started as simple commands so that $! is the
# process itself, never a subshell.

E2E_NAME=e2e
E2E_TMP=
E2E_FAILS=0
TARGET_PID=
TARGET_PORT=
TARGET_URL=
RUN_RC=
RUN_OUT=
RUN_ERR=
RUN_SECS=

# e2e_init NAME: go to the repo root, make a scratch directory, set the
# cleanup trap, and make sure the build products exist.
e2e_init() {
    E2E_NAME=$1
    cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
    E2E_TMP=$(mktemp -d "/tmp/swarm-e2e-$1.XXXXXX") || exit 1
    trap e2e_cleanup EXIT
    trap 'exit 130' INT TERM
    local f
    for f in build/swarmc build/demo-target; do
        if [ ! -x "$f" ]; then
            t_fail "$f is not built (run make all first)"
            exit 1
        fi
    done
}

e2e_cleanup() {
    target_stop
    hostile_stop
    [ -n "$E2E_TMP" ] && [ -z "${E2E_KEEP:-}" ] && rm -rf "$E2E_TMP"
}

# e2e_finish: exit 1 when any check failed, else 0.
e2e_finish() {
    [ "$E2E_FAILS" -eq 0 ] && exit 0
    exit 1
}

# ------------------------------------------------------------------ checks

t_ok()   { echo "ok - $E2E_NAME: $*"; }
t_fail() { echo "not ok - $E2E_NAME: $*"; E2E_FAILS=$((E2E_FAILS + 1)); }

# t_check DESC COMMAND...: ok when the command succeeds.
t_check() {
    local desc=$1; shift
    if "$@"; then t_ok "$desc"; else t_fail "$desc"; fi
}

# t_eq DESC GOT WANT: numeric or string equality, showing both on failure.
t_eq() {
    if [ "$2" = "$3" ]; then t_ok "$1"; else t_fail "$1 (got '$2', want '$3')"; fi
}

# t_py DESC PYTHON-EXPR [VAR=VALUE...]: ok when the Python expression is true.
# Each VAR=VALUE becomes a variable (a number when it parses as one, else a
# string), so e.g. t_py "min >= 1500" 'm >= 1500' m="$min".
t_py() {
    local desc=$1 expr=$2; shift 2
    if timeout 60 python3 - "$expr" "$@" <<'PY'
import sys
env = {}
for a in sys.argv[2:]:
    k, _, v = a.partition("=")
    try:
        env[k] = float(v) if v.strip() else v
    except ValueError:
        env[k] = v
try:
    sys.exit(0 if eval(sys.argv[1], {}, env) else 1)
except Exception as e:
    print("# " + repr(e))
    sys.exit(1)
PY
    then t_ok "$desc"
    else t_fail "$desc [$*]"
    fi
}

# ------------------------------------------------------------------ target

# target_start [ARGS...]: start build/demo-target on an ephemeral port;
# sets TARGET_PID, TARGET_PORT, TARGET_URL. Exits the test when it fails.
target_start() {
    target_stop
    local pf="$E2E_TMP/target.port"
    rm -f "$pf"
    # A simple command, so that $! is the target itself; the watchdog
    # (timeout) bounds its life in case every trap is missed; no output goes to
    # the test's stdout, which tests/run.sh reads to its end.
    timeout -s KILL 600 build/demo-target --port 0 --port-file "$pf" "$@" \
        >/dev/null 2>>"$E2E_TMP/target.log" &
    TARGET_PID=$!
    local i
    for i in $(seq 100); do
        [ -s "$pf" ] && break
        sleep 0.05
    done
    TARGET_PORT=$(cat "$pf" 2>/dev/null)
    if [ -z "$TARGET_PORT" ]; then
        t_fail "the demo target did not start: $(tail -n 1 "$E2E_TMP/target.log" 2>/dev/null)"
        exit 1
    fi
    TARGET_URL="http://127.0.0.1:$TARGET_PORT"
}

# proc_stop PID TRIES: SIGTERM PID, wait up to TRIES x 50 ms for it to
# go, then SIGKILL it and reap it.
proc_stop() {
    local pid=$1 tries=$2 i
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq "$tries"); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}

# target_stop: SIGTERM the target (through its watchdog), then wait for it.
target_stop() {
    [ -n "$TARGET_PID" ] || return 0
    proc_stop "$TARGET_PID" 60
    TARGET_PID=
}

# hostile_start: start tests/e2e/hostile.py (raw answers evhttp cannot
# give: 101, huge header lines) on an ephemeral port; sets HOSTILE_PID,
# HOSTILE_URL. Exits the test when it fails. GET /__count: its counts.
HOSTILE_PID=
HOSTILE_URL=
hostile_start() {
    hostile_stop
    local pf="$E2E_TMP/hostile.port" i
    rm -f "$pf"
    timeout -s KILL 600 python3 tests/e2e/hostile.py "$pf" >/dev/null 2>>"$E2E_TMP/hostile.log" &
    HOSTILE_PID=$!
    for i in $(seq 100); do
        [ -s "$pf" ] && break
        sleep 0.05
    done
    if [ ! -s "$pf" ]; then
        t_fail "the hostile server did not start: $(tail -n 1 "$E2E_TMP/hostile.log" 2>/dev/null)"
        exit 1
    fi
    HOSTILE_URL="http://127.0.0.1:$(cat "$pf")"
}

hostile_stop() {
    [ -n "$HOSTILE_PID" ] || return 0
    proc_stop "$HOSTILE_PID" 20
    HOSTILE_PID=
}

# stats_fetch FILE: save the target's /__stats JSON in FILE.
stats_fetch() {
    curl -s --max-time 5 "$TARGET_URL/__stats" >"$1"
}

# stats_reset: forget what the target counted so far.
stats_reset() {
    curl -s --max-time 5 -X POST "$TARGET_URL/__reset" >/dev/null
}

# stats_num FILE PYTHON-EXPR: evaluate an expression over the JSON document
# `d` in FILE (with helpers req(key) -> request count, 0 when absent, and
# st(code) -> status count) and print it. Prints nothing on error.
stats_num() {
    timeout 60 python3 - "$1" "$2" <<'PY' 2>/dev/null
import json, sys
d = json.load(open(sys.argv[1]))
req = lambda k: d["requests"].get(k, 0)
st = lambda c: d["statuses"].get(str(c), 0)
v = eval(sys.argv[2])
print(round(v, 6) if isinstance(v, float) else v)
PY
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
    timeout 60 python3 -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ------------------------------------------------------------------ swarm

# swarm_compile SRC OUT: compile a script; on failure prints "not ok" with
# the compiler's first error line and returns 1.
swarm_compile() {
    local src=$1 out=$2
    rm -f "$out"
    if timeout 120 build/swarmc "$src" -o "$out" >"$out.cc.log" 2>&1 && [ -x "$out" ]; then
        return 0
    fi
    t_fail "swarmc $src failed: $(grep -m1 -i error "$out.cc.log" || head -n 1 "$out.cc.log")"
    return 1
}

# swarm_script NAME <<'EOF' ... EOF: write a script from stdin into the
# scratch directory and compile it to $E2E_TMP/NAME. Returns 1 on failure.
swarm_script() {
    cat >"$E2E_TMP/$1.swarm"
    swarm_compile "$E2E_TMP/$1.swarm" "$E2E_TMP/$1"
}

# swarm_run LIMIT BIN ARGS...: run BIN under `timeout LIMIT`; sets RUN_RC,
# RUN_OUT / RUN_ERR (files with stdout / stderr) and RUN_SECS (elapsed).
swarm_run() {
    local limit=$1 bin=$2; shift 2
    RUN_OUT="$E2E_TMP/$(basename "$bin").out"
    RUN_ERR="$E2E_TMP/$(basename "$bin").err"
    local t0 t1
    t0=$(date +%s.%N)
    timeout -k 5 "$limit" "$bin" "$@" >"$RUN_OUT" 2>"$RUN_ERR"
    RUN_RC=$?
    t1=$(date +%s.%N)
    RUN_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    if [ "$RUN_RC" -eq 124 ] || [ "$RUN_RC" -eq 137 ]; then
        echo "# $(basename "$bin") $* was killed after ${limit}s"
    fi
}

# run_summary_printed: the final stats table (its Aggregated row) appeared.
run_summary_printed() {
    grep -q 'Aggregated' "$RUN_OUT" "$RUN_ERR"
}

# ------------------------------------------------------------------ CSV

# The awk program shared by the CSV helpers: splits quoted CSV (Locust's
# dialect: "" inside quotes is a quote), maps header names to columns.
_CSV_AWK='
function split_csv(line, F,    i, c, f, q, n) {
    sub(/\r$/, "", line)
    n = 0; f = ""; q = 0
    for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (q) {
            if (c == "\"") {
                if (substr(line, i + 1, 1) == "\"") { f = f "\""; i++ } else q = 0
            } else f = f c
        } else if (c == "\"") q = 1
        else if (c == ",") { F[++n] = f; f = "" }
        else f = f c
    }
    F[++n] = f
    return n
}
NR == 1 { nh = split_csv($0, H); for (i = 1; i <= nh; i++) col[H[i]] = i; next }
{
    split_csv($0, R)
    ok = 1
    for (k = 1; k <= nkeys; k++)
        if (!(KN[k] in col) || R[col[KN[k]]] != KV[k]) ok = 0
    if (ok) {
        if (!(want in col)) { print "(no column " want ")"; exit }
        print R[col[want]]
        if (!all) exit
    }
}
BEGIN {
    want = ENVIRON["CSV_WANT"]; all = ENVIRON["CSV_ALL"] + 0
    nkeys = split(ENVIRON["CSV_KEYS"], kv, "\034")
    for (k = 1; k <= nkeys; k++) {
        p = index(kv[k], "=")
        KN[k] = substr(kv[k], 1, p - 1); KV[k] = substr(kv[k], p + 1)
    }
}'

_csv() {  # ALL FILE COLUMN [KEY=VALUE...]
    local all=$1 file=$2 want=$3; shift 3
    local keys="" sep=""
    local kv
    for kv in "$@"; do keys="$keys$sep$kv"; sep=$'\034'; done
    [ -f "$file" ] || return 1
    CSV_WANT=$want CSV_ALL=$all CSV_KEYS=$keys awk "$_CSV_AWK" "$file"
}

# csv_get FILE COLUMN [KEY=VALUE...]: the COLUMN value of the first row
# whose columns match every KEY=VALUE (e.g. Type=GET "Name=/things/{id}").
# The Aggregated row of _stats.csv: csv_get F "Request Count" Name=Aggregated
csv_get() { _csv 0 "$@"; }

# csv_all FILE COLUMN [KEY=VALUE...]: the COLUMN value of every matching row.
csv_all() { _csv 1 "$@"; }
