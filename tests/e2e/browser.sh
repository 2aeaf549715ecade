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
. "$(dirname "$0")/browser_lib.bash"

OUT=build/browser
mkdir -p "$OUT"
trap 'ui_stop; e2e_cleanup' EXIT

browser_need || e2e_finish
t_ok "chromium, node and playwright-core are here ($(/usr/bin/chromium --version 2>/dev/null | head -n 1 | cut -c1-40))"

target_start
swarm_compile tests/browser/ui.swarm "$E2E_TMP/ui" || e2e_finish

# ---- 1. the live UI -----------------------------------------------------------

if ui_serve "$E2E_TMP/ui"; then
    t_ok "the binary serves its UI on ${UI_URL#http://}"
    run_node 170 ui "$UI_URL" "$TARGET_URL" "$OUT"
    # A liveness bound, not a speed check: the sanitized CI run shares two
    # cores with two other suites. When the binary is still there, say what
    # it was doing (its log, its kernel state, a backtrace when gdb exists).
    kid=$(pgrep -P "$UI_PID" | head -n 1)
    # to the binary itself: its `timeout` wrapper would send it again to the
    # whole group, LeakSanitizer's exit-time tracer included
    if [ -n "$kid" ]; then kill -TERM "$kid" 2>/dev/null; else kill -TERM "$UI_PID" 2>/dev/null; fi
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
fi
ui_stop

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
