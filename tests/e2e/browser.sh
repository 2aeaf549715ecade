#!/usr/bin/env bash
# tests/e2e/browser.sh -- the web UI and the HTML report in a real browser:
# headless Chromium from Debian (/usr/bin/chromium) driven by playwright-core
# from npm (tests/browser/test.js). No browser is downloaded: playwright-core
# only drives the Debian one.
#
#   1. A binary compiled from tests/browser/ui.swarm serves its UI (no --users)
#      on a free port; the test opens it, starts 4 users against the demo
#      target from the form, watches the table and the charts fill, re-scales
#      to 2, downloads the CSVs, stops and resets. Screenshot:
#      build/browser/running.png.
#   2. A headless run writes --html and --json; the report opens from its
#      file with its charts drawn and makes no network request at all.
#      Screenshot: build/browser/report.png.
#
# Installs what it needs when missing (as root): Debian's chromium (and
# nodejs/npm when there is no node), and playwright-core into
# tests/browser/node_modules (ignored by git).
. "$(dirname "$0")/lib.sh"
e2e_init browser

OUT=build/browser
UI_PID=
mkdir -p "$OUT"

ui_stop() {
    [ -n "$UI_PID" ] || return 0
    proc_stop "$UI_PID" 100
    UI_PID=
}
trap 'ui_stop; e2e_cleanup' EXIT

# ---- what the test needs ----------------------------------------------------

need=""
[ -x /usr/bin/chromium ] || need="$need chromium"
command -v node >/dev/null 2>&1 || need="$need nodejs"
command -v npm >/dev/null 2>&1 || need="$need npm"
if [ -n "$need" ]; then
    timeout 900 sh scripts/deps.sh $need >"$E2E_TMP/deps.log" 2>&1
fi
if [ ! -x /usr/bin/chromium ]; then
    t_fail "Debian's chromium is not installed and could not be (apt-get install -y chromium): $(tail -n 1 "$E2E_TMP/deps.log" 2>/dev/null)"
    e2e_finish
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    t_fail "node and npm are needed (apt-get install -y nodejs npm)"
    e2e_finish
fi
if [ ! -f tests/browser/node_modules/playwright-core/package.json ]; then
    (cd tests/browser && timeout 300 npm install --no-audit --no-fund --no-package-lock --loglevel=error) \
        >"$E2E_TMP/npm.log" 2>&1
fi
if [ ! -f tests/browser/node_modules/playwright-core/package.json ]; then
    t_fail "npm install of playwright-core into tests/browser failed: $(tail -n 1 "$E2E_TMP/npm.log" 2>/dev/null)"
    e2e_finish
fi
t_ok "chromium, node and playwright-core are here ($(/usr/bin/chromium --version 2>/dev/null | head -n 1 | cut -c1-40))"

# run_node LIMIT ARGS...: run tests/browser/test.js; its lines go to stdout.
# A failing run without any "not ok" line (a crash) still counts as a failure.
run_node() {
    local limit=$1; shift
    local log="$E2E_TMP/node.$$.$RANDOM.log" rc
    timeout -k 5 "$limit" node tests/browser/test.js "$@" >"$log" 2>&1
    rc=$?
    grep -E '^(ok|not ok) - ' "$log"
    E2E_FAILS=$((E2E_FAILS + $(grep -c '^not ok - ' "$log")))
    if [ $rc -ne 0 ] && ! grep -q '^not ok - ' "$log"; then
        t_fail "test.js $1 exited $rc: $(grep -v '^ok - ' "$log" | head -n 3 | tr '\n' ' ')"
    fi
}

target_start
swarm_compile tests/browser/ui.swarm "$E2E_TMP/ui" || e2e_finish

# ---- 1. the live UI -----------------------------------------------------------

port=$(free_port)
timeout -s KILL 300 "$E2E_TMP/ui" --web-port "$port" >"$E2E_TMP/ui.out" 2>"$E2E_TMP/ui.err" &
UI_PID=$!
code=
for i in $(seq 100); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/" 2>/dev/null)
    [ "$code" = 200 ] && break
    kill -0 "$UI_PID" 2>/dev/null || break
    sleep 0.1
done
if [ "$code" = 200 ]; then
    t_ok "the binary serves its UI on port $port"
    run_node 170 ui "http://127.0.0.1:$port/" "$TARGET_URL" "$OUT"
    # A liveness bound, not a speed check: the sanitized CI run shares two
    # cores with two other suites. When the binary is still there, say what
    # it was doing (its log, its kernel state, a backtrace when gdb exists).
    kid=$(pgrep -P "$UI_PID" | head -n 1)
    kill -TERM "$UI_PID" 2>/dev/null
    gone=no
    for i in $(seq 300); do
        kill -0 "$UI_PID" 2>/dev/null || { gone=yes; break; }
        sleep 0.1
    done
    if [ $gone = no ] && [ -n "$kid" ]; then
        { echo "# the UI binary (pid $kid) after 30 s:"
          grep -E '^(State|SigPnd|ShdPnd|SigBlk|SigIgn|SigCgt):' "/proc/$kid/status" 2>/dev/null
          echo "# wchan: $(cat "/proc/$kid/wchan" 2>/dev/null)"
          command -v gdb >/dev/null && timeout 20 gdb -batch -p "$kid" -ex 'thread apply all bt' 2>&1 | grep -E '^(#|Thread)'
          echo "# its log:"; tail -n 15 "$E2E_TMP/ui.err"
        } | sed 's/^/# /'
    fi
    t_eq "the UI binary exits within 30 s of SIGTERM" "$gone" yes
    ui_stop
else
    t_fail "the binary did not serve its UI on port $port (HTTP '$code'): $(tail -n 2 "$E2E_TMP/ui.err" | tr '\n' ' ')"
    ui_stop
fi

# ---- 2. the HTML report -------------------------------------------------------

swarm_run 60 "$E2E_TMP/ui" --users 4 --hatch-rate 4 --run-time 5s --seed 1 --host "$TARGET_URL" \
    --html "$E2E_TMP/report.html" --json "$E2E_TMP/result.json"
t_eq "the headless run with --html and --json exits 1 (the script's 500s fail)" "$RUN_RC" 1
if [ -s "$E2E_TMP/report.html" ] && [ -s "$E2E_TMP/result.json" ]; then
    t_ok "--html and --json wrote their files"
    cp "$E2E_TMP/report.html" "$OUT/report.html"
    run_node 120 report "$E2E_TMP/report.html" "$OUT" "$E2E_TMP/result.json"
else
    t_fail "--html / --json wrote no file: $(grep -i -m1 'html\|json' "$RUN_ERR")"
fi

e2e_finish
