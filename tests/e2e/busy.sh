#!/usr/bin/env bash
# tests/e2e/busy.sh -- a task that never waits cannot freeze a run (issue 6):
# loops give the event loop back on every back-edge once their time slice
# is used, so
#  - `while true { i = i + 1 }` (and a `repeat` inside a response block)
#    stop at --run-time, with the result files written;
#  - SIGTERM stops such a run promptly, files written;
#  - with a long --stop-timeout, a second SIGTERM cancels everything at once;
#  - `spawn` in such a loop is bounded: beyond SW_SPAWN_MAX alive blocks per
#    user, spawn is a runtime error (counted as an exception).
. "$(dirname "$0")/lib.sh"
e2e_init busy
target_start
swarm_script busy <<'SW' || e2e_finish
host "http://127.0.0.1:1"
user W {
    task spin {
        let i = 0
        while true {
            i = i + 1
        }
    }
}
user R {
    task in_block {
        get "/things" as r {
            let n = 0
            repeat 2000000000 {
                n = n + 1
            }
        }
    }
}
SW

files_written() {  # PREFIX
    [ -s "$1_stats.csv" ] && [ -s "$1.json" ] &&
        python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1.json"
}

swarm_run 30 "$E2E_TMP/busy" --users 2 --hatch-rate 10 --run-time 2s \
    --host "$TARGET_URL" --csv "$E2E_TMP/a" --json "$E2E_TMP/a.json"
t_eq "busy loops: the run stops at --run-time (exit 0)" "$RUN_RC" 0
t_py "busy loops: it took about the run time ($RUN_SECS s)" 's < 10' s="$RUN_SECS"
t_check "busy loops: CSV and JSON written" files_written "$E2E_TMP/a"
t_check "busy loops: summary printed" run_summary_printed

# SIGTERM, then a second one while the first waits for --stop-timeout
run_bg() {  # PREFIX ARGS...: start the busy script in the background
    local p=$1; shift
    timeout -k 5 60 "$E2E_TMP/busy" --users 2 --hatch-rate 10 --host "$TARGET_URL" \
        --csv "$E2E_TMP/$p" --json "$E2E_TMP/$p.json" "$@" \
        >"$E2E_TMP/$p.out" 2>"$E2E_TMP/$p.err" &
    BG=$!
    # the swarm process itself (timeout would answer a signal with its own
    # kill-after timer): signals go to it, not to its watchdog
    local i
    for i in $(seq 40); do
        PID=$(pgrep -P "$BG" | head -n 1)
        [ -n "$PID" ] && break
        sleep 0.05
    done
}
wait_gone() {  # PID SECONDS: 0 when it exited in time
    local i
    for i in $(seq $(($2 * 20))); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.05
    done
    return 1
}
run_bg b --headless
sleep 1.5
kill -TERM "$PID"
if wait_gone "$PID" 5; then t_ok "SIGTERM stops a busy run"; else t_fail "SIGTERM stops a busy run"; fi
kill -KILL "$BG" 2>/dev/null; wait "$BG" 2>/dev/null
t_check "SIGTERM: CSV and JSON written" files_written "$E2E_TMP/b"

run_bg c --headless --stop-timeout 60s
sleep 1.5
kill -TERM "$PID"
sleep 1
if kill -0 "$PID" 2>/dev/null; then
    t_ok "first SIGTERM waits for --stop-timeout (tasks still running)"
else
    t_fail "first SIGTERM waits for --stop-timeout (tasks still running)"
fi
kill -TERM "$PID"
if wait_gone "$PID" 5; then t_ok "a second SIGTERM cancels everything at once"; else t_fail "a second SIGTERM cancels everything at once"; fi
kill -KILL "$BG" 2>/dev/null; wait "$BG" 2>/dev/null
t_check "second signal: CSV and JSON written" files_written "$E2E_TMP/c"

# spawn in a loop that never waits
swarm_script spawner <<'SW' || e2e_finish
host "http://127.0.0.1:1"
task grow {
    while true {
        spawn {
            sleep 60s
        }
    }
}
SW
swarm_run 60 "$E2E_TMP/spawner" --users 2 --hatch-rate 10 --run-time 2s \
    --host "$TARGET_URL" --csv "$E2E_TMP/s"
t_eq "spawn in a busy loop: the run ends at --run-time (exit 1: runtime errors)" "$RUN_RC" 1
n=$(csv_get "$E2E_TMP/s_exceptions.csv" Count \
    "Message=too many spawned blocks (at most 10000 alive per user)" \
    "Traceback=$E2E_TMP/spawner.swarm:4:9")
t_py "spawn beyond the bound is a runtime error ($n)" 'n >= 1' n="${n:-0}"
e2e_finish
