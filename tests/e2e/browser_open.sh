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
#   2. A headless open-model run of open.swarm, stopped by an abort
#      threshold (--threshold 'all max < 2s abort'), writes --html and --json: the
#      report's thresholds table, notes, arrival rate and self-check figures
#      are the document's; the target's counts are its requests.
#   3. A master of 2 slaves (--processes 2) started in the open model from
#      the form: the Slaves tab shows each slave's share of the rate, loop
#      lag and mark as /stats/requests workers[] has them. Screenshot:
#      build/browser/slaves.png.
#   4. burn.swarm (the self-check's fixture) started from the form: the page
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

# ---- 2. the HTML report of an open-model run ---------------------------------
stats_reset
swarm_run 60 "$E2E_TMP/open" --rate 10 --users 50 --hatch-rate 50 --run-time 30s --host "$TARGET_URL" \
    --threshold 'all rps > 0.5' --threshold 'all max < 2s abort' \
    --html "$E2E_TMP/open.html" --json "$E2E_TMP/open.json"
t_eq "the headless open-model run exits 3 (its held p50 < 1s threshold fails)" "$RUN_RC" 3
t_check "the first held request (5 s) fails 'all max < 2s abort', which stops the run" \
    grep -q "threshold 'all max < 2s abort' failed, aborting the run" "$RUN_ERR"
if [ -s "$E2E_TMP/open.html" ] && [ -s "$E2E_TMP/open.json" ]; then
    run_node 60 numbers "$E2E_TMP/open.html" "$E2E_TMP/open.json" "$OUT"
    sleep 5.5                               # the target answers what it still holds
    stats_fetch "$E2E_TMP/open.stats"
    chk=$(timeout 20 python3 - "$E2E_TMP/open.json" "$E2E_TMP/open.stats" <<'PY' 2>&1
import json, sys
d = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2]))
ent = {e["name"]: e["num_requests"] for e in d["stats"] if e.get("method") == "GET"}
canc = {e["name"]: e["count"] for e in d["cancelled_at_stop"]["entries"]}
held = t["requests"].get("GET /delay/{ms}", 0); echo = t["requests"].get("GET /echo", 0)
errs = []
if held != ent.get("/held", 0) + canc.get("/held", 0): errs.append("held: target %d, swarm %s + %s" % (held, ent.get("/held"), canc.get("/held")))
if echo != ent.get("/echo", 0) + canc.get("/echo", 0): errs.append("echo: target %d, swarm %s" % (echo, ent.get("/echo")))
if held + echo != d["arrival"]["started"]: errs.append("target %d requests, %d iterations started" % (held + echo, d["arrival"]["started"]))
print("; ".join(errs) or "ok")
PY
)
    t_eq "ground truth: the target received each completed or cancelled request, one per started iteration" "$chk" ok
else
    t_fail "--html / --json wrote no file: $(tail -n 2 "$RUN_ERR" | tr '\n' ' ')"
fi

# ---- 3. a master's Slaves tab ------------------------------------------------
if ui_serve "$E2E_TMP/open" --processes 2 --master-bind-port "$(free_port)"; then
    run_node 80 slaves "$UI_URL" "$TARGET_URL" "$OUT"
fi
ui_stop

# ---- 4. the self-check's mark ------------------------------------------------
if ui_serve "$E2E_TMP/burn"; then
    run_node 100 busy "$UI_URL" "$TARGET_URL" "$OUT"
fi
ui_stop

e2e_finish
