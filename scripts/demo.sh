#!/usr/bin/env bash
# scripts/demo.sh -- `make demo` runs this after building: start the demo
# target on 127.0.0.1:8000 (or on a free port when 8000 is taken), compile
# samples/polling.swarm, run it for 10 s with 5 users hatched at 5/s so the
# live table and the final summary print, then stop the target.
# Exits with the run's exit status.
set -u
cd "$(dirname "$0")/.." || exit 1
out=build/demo
mkdir -p "$out"
sample=samples/polling.swarm
bin="$out/polling"
target_pid=
port=

stop_target() {
    if [ -n "$target_pid" ]; then
        kill -TERM "$target_pid" 2>/dev/null
        wait "$target_pid" 2>/dev/null
        target_pid=
    fi
}
trap stop_target EXIT
trap 'exit 130' INT TERM

# start_target PORT: start the target and set port once it listens; returns
# 1 when it could not listen. A watchdog (timeout) bounds its life.
start_target() {
    local pf="$out/target.port" i
    rm -f "$pf"
    timeout -s KILL 300 build/demo-target --port "$1" --port-file "$pf" \
        >/dev/null 2>>"$out/target.log" &
    target_pid=$!
    for i in $(seq 100); do
        if [ -s "$pf" ]; then
            port=$(cat "$pf")
            return 0
        fi
        kill -0 "$target_pid" 2>/dev/null || break
        sleep 0.05
    done
    stop_target
    return 1
}

: >"$out/target.log"
if ! start_target 8000; then
    echo "demo: port 8000 is taken; using a free port instead"
    start_target 0 || {
        echo "demo: the demo target did not start: $(tail -n 1 "$out/target.log")" >&2
        exit 2
    }
fi
host_opt=()
[ "$port" = 8000 ] || host_opt=(--host "http://127.0.0.1:$port")
echo "demo: target listening on http://127.0.0.1:$port"

echo "demo: swarmc $sample -o $bin"
timeout 120 build/swarmc "$sample" -o "$bin" || {
    echo "demo: $sample did not compile" >&2
    exit 2
}

echo "demo: $bin --users 5 --hatch-rate 5 --run-time 10s ${host_opt[*]}"
timeout -k 5 60 "$bin" --users 5 --hatch-rate 5 --run-time 10s "${host_opt[@]}"
rc=$?
echo "demo: the run exited with status $rc"
exit $rc
