#!/usr/bin/env bash
# tests/e2e/cancelled.sh -- issue 10: nothing vanishes at stop. Requests in
# flight when a run stops with --stop-timeout 0 (plain requests held by the
# target, and POSTs whose response block is polling in a spawned block) are
# counted per entry and shown in the console summary, --json and --html.
# Ground truth: the target's own count of requests that arrived equals
# Swarm's completed + cancelled for each entry.
. "$(dirname "$0")/lib.sh"
e2e_init cancelled
target_start --active-delay 60000
swarm_script canc <<'SW' || e2e_finish
host "http://127.0.0.1:1"
wait 300ms
task slow weight 3 {
    get "/delay/1500" name "/delay/{ms}"
}
task async weight 1 {
    spawn {
        post "/things" as created {
            let id = created.json.id
            poll every 200ms for 60s {
                get "/things/${id}" as r
                if r.ok and r.json.status == "ACTIVE" { created.success  break }
            }
        }
    }
}
SW

P="$E2E_TMP/c"
stats_reset
swarm_run 40 "$E2E_TMP/canc" --users 8 --hatch-rate 40 --run-time 3s --seed 7 --host "$TARGET_URL" \
    --json "$P.json" --html "$P.html"
t_eq "the run finished (exit 0)" "$RUN_RC" 0
sleep 1.7                                   # every held request answered by now
stats_fetch "$E2E_TMP/s.json"
chk=$(timeout 20 python3 - "$P.json" "$E2E_TMP/s.json" "$RUN_OUT" <<'PY' 2>&1
import json, re, sys
d = json.load(open(sys.argv[1])); tgt = json.load(open(sys.argv[2]))
console = open(sys.argv[3]).read()
errs = []
c = d["cancelled_at_stop"]
canc = {(e["method"], e["name"]): e["count"] for e in c["entries"]}
ents = {(e["method"], e["name"]): e for e in d["stats"]}
def done(k): return ents[k]["num_requests"] if k in ents else 0
for key, route in [(("GET", "/delay/{ms}"), "GET /delay/{ms}"), (("POST", "/things"), "POST /things"),
                   (("GET", "/things/{id}"), "GET /things/{id}")]:
    arrived = tgt["requests"].get(route, 0)
    if done(key) + canc.get(key, 0) != arrived:
        errs.append("%s: target saw %d, swarm completed %d + cancelled %d" % (route, arrived, done(key), canc.get(key, 0)))
    if key in ents and ents[key]["num_cancelled"] != canc.get(key, 0):
        errs.append("%s: num_cancelled %s" % (route, ents[key]["num_cancelled"]))
if canc.get(("GET", "/delay/{ms}"), 0) < 1: errs.append("no /delay request was cancelled: %s" % canc)
if canc.get(("POST", "/things"), 0) < 1: errs.append("no polling POST was cancelled: %s" % canc)
if c["total"] != sum(canc.values()): errs.append("total %s" % c["total"])
agg = [e for e in d["stats"] if e["name"] == "Aggregated"][0]
if agg["num_cancelled"] != c["total"]: errs.append("aggregate num_cancelled %s" % agg["num_cancelled"])
m = re.search(r"^(\d+) requests in flight cancelled at stop", console, re.M)
if not m or int(m.group(1)) != c["total"]: errs.append("console line %s" % (m and m.group(0)))
for (meth, name), n in canc.items():
    if not re.search(r"^  %s +%s +%d$" % (meth, re.escape(name), n), console, re.M):
        errs.append("console row %s %s %d" % (meth, name, n))
print("; ".join(errs) or "ok")
PY
)
t_eq "cancelled + completed = what the target received, per entry; console and JSON agree" "$chk" ok
t_check "the HTML report embeds the same counts" grep -q '"cancelled_at_stop":{"total":' "$P.html"
if command -v chromium >/dev/null; then
    timeout 90 chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$P.html" \
        2>/dev/null >"$E2E_TMP/dom.html"
    t_check "HTML report shows the cancelled requests" \
        grep -Eq 'id="numbers-notes">[0-9]+ requests in flight cancelled at stop \(GET /delay/\{ms\}: [0-9]+' "$E2E_TMP/dom.html"
fi

# with a stop timeout long enough, nothing is cancelled and nothing vanishes
stats_reset
swarm_run 40 "$E2E_TMP/canc" --users 4 --hatch-rate 40 --run-time 2s --seed 7 --host "$TARGET_URL" \
    --json "$P-2.json" --stop-timeout 5s
sleep 0.5
stats_fetch "$E2E_TMP/s2.json"
got=$(timeout 10 python3 - "$P-2.json" "$E2E_TMP/s2.json" <<'PY' 2>&1
import json, sys
d = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2]))
ents = {e["method"] + " " + e["name"]: e["num_requests"] for e in d["stats"] if e["method"]}
c = {e["method"] + " " + e["name"]: e["count"] for e in d["cancelled_at_stop"]["entries"]}
print(d["cancelled_at_stop"]["total"] == sum(c.values()),
      ents.get("GET /delay/{ms}", 0) + c.get("GET /delay/{ms}", 0) == t["requests"].get("GET /delay/{ms}", 0),
      c.get("GET /delay/{ms}", 0))
PY
)
t_eq "--stop-timeout 5s: the held requests finish (none cancelled), counts match the target" "$got" "True True 0"
e2e_finish
