# tests/e2e/browser_lib.bash -- what the browser suites share (sourced after
# lib.sh and e2e_init): browser_need installs or finds Debian's chromium,
# node and playwright-core (as tests/e2e/browser.sh does); run_node runs
# tests/browser/test.js and counts its lines; ui_serve / ui_stop run a
# compiled script serving its UI on a free port.

# browser_need: 0 when chromium, node and playwright-core are usable, else
# prints "not ok" and returns 1.
browser_need() {
    local need=""
    [ -x /usr/bin/chromium ] || need="$need chromium"
    command -v node >/dev/null 2>&1 || need="$need nodejs"
    command -v npm >/dev/null 2>&1 || need="$need npm"
    if [ -n "$need" ]; then
        timeout 900 sh scripts/deps.sh $need >"$E2E_TMP/deps.log" 2>&1
    fi
    if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        t_fail "chromium, node and npm are needed (apt-get install -y chromium nodejs npm): $(tail -n 1 "$E2E_TMP/deps.log" 2>/dev/null)"
        return 1
    fi
    if [ ! -f tests/browser/node_modules/playwright-core/package.json ]; then
        (cd tests/browser && timeout 300 npm install --no-audit --no-fund --no-package-lock --loglevel=error) \
            >"$E2E_TMP/npm.log" 2>&1
    fi
    if [ ! -f tests/browser/node_modules/playwright-core/package.json ]; then
        t_fail "npm install of playwright-core into tests/browser failed: $(tail -n 1 "$E2E_TMP/npm.log" 2>/dev/null)"
        return 1
    fi
    return 0
}

# run_node LIMIT MODE ARGS...: run tests/browser/test.js; its lines go to
# stdout. A failing run without any "not ok" line (a crash) still fails.
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

# ui_serve BIN ARGS...: run BIN --web-port PORT ARGS... in the background
# (no --users: it waits for the form); sets UI_PID and UI_URL. Returns 1
# with "not ok" when it does not serve its page within 10 s.
UI_PID=
ui_serve() {
    local bin=$1; shift
    local port code i
    port=$(free_port)
    timeout -s KILL 300 "$bin" --web-port "$port" "$@" >"$E2E_TMP/ui.out" 2>"$E2E_TMP/ui.err" &
    UI_PID=$!
    UI_URL="http://127.0.0.1:$port/"
    for i in $(seq 100); do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$UI_URL" 2>/dev/null)
        [ "$code" = 200 ] && return 0
        kill -0 "$UI_PID" 2>/dev/null || break
        sleep 0.1
    done
    t_fail "$(basename "$bin") did not serve its UI on port $port (HTTP '$code'): $(tail -n 2 "$E2E_TMP/ui.err" | tr '\n' ' ')"
    return 1
}

ui_stop() {
    [ -n "$UI_PID" ] || return 0
    proc_stop "$UI_PID" 100
    UI_PID=
}
