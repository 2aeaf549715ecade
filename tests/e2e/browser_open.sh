#!/usr/bin/env bash
# tests/e2e/browser_open.sh -- issue 10's parts of the web UI in a real
# browser (headless Debian chromium driven by tests/browser/test.js, as in
# browser.sh), against the real binary and build/demo-target:
#
#   1. open.swarm, started from the form with an arrival rate (POST /swarm
#      rate=10: the open model), re-scaled to 5/s from the Edit form; the
#      thresholds table (two script thresholds and a --threshold) and the
#      "N requests in flight cancelled at stop" note are checked against
#      /stats/requests and the target's own counts. Screenshot:
#      build/browser/open.png.
#   2. burn.swarm (the self-check's fixture) started from the form: the page
#      says "results include up to N ms of Swarm's own delay" with the N of
#      /stats/requests. Screenshot: build/browser/busy.png.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/browser_lib.bash"
e2e_init browser_open

OUT=build/browser
mkdir -p "$OUT"
trap 'ui_stop; e2e_cleanup' EXIT
browser_need || e2e_finish

target_start
swarm_compile tests/browser/open.swarm "$E2E_TMP/open" || e2e_finish
swarm_compile "$(dirname "$0")/scripts/burn.swarm" "$E2E_TMP/burn" || e2e_finish

# ---- 1. open model, thresholds, cancelled at stop ----------------------------
stats_reset
if ui_serve "$E2E_TMP/open" --threshold 'all rps > 0.5'; then
    run_node 140 open "$UI_URL" "$TARGET_URL" "$OUT"
fi
ui_stop

# ---- 2. the self-check's mark ------------------------------------------------
if ui_serve "$E2E_TMP/burn"; then
    run_node 100 busy "$UI_URL" "$TARGET_URL" "$OUT"
fi
ui_stop

e2e_finish
