#!/usr/bin/env bash
# tests/e2e/reports.sh -- the files of a headless run agree with each other
# and with the target: --json parses and its per-entry numbers, failures and
# exceptions equal the CSV files'; its histogram reproduces its percentiles
# (the CSV's in whole ms, the JSON's with two decimals under 10 ms);
# PREFIX_stats_history.csv has Locust's header and about one row per second,
# its last row's totals are the run's; the console summary shows whole-run
# rates (the CSV's Requests/s); --html is written with the same result.
. "$(dirname "$0")/lib.sh"
e2e_init reports
target_start
swarm_script rep <<'SW' || e2e_finish
host "http://127.0.0.1:1"
wait between 20ms and 60ms

task resource weight 4 {
    get "/resources/${random(1, 100)}" name "/resources/{id}"
}
task slow {
    get "/delay/${random(5, 40)}" name "/delay/{ms}"
}
task boom {
    get "/status/500" as r {
        expect r.status == 200 else "boom: status " + str(r.status)
    }
}
task oops weight 1 {
    let n = int("not a number")
    get "/resources/${n}" name "/never"
}
SW

stats_reset
P="$E2E_TMP/r"
swarm_run 40 "$E2E_TMP/rep" --users 4 --hatch-rate 20 --run-time 4s --stop-timeout 5s \
    --host "$TARGET_URL" --csv "$P" --json "$P.json" --html "$P.html"
stats_fetch "$E2E_TMP/s.json"
t_check "the run ended (exit status 1: failures, got $RUN_RC)" [ "$RUN_RC" -eq 1 ]
for f in "$P.json" "${P}_stats.csv" "${P}_failures.csv" "${P}_exceptions.csv" "${P}_stats_history.csv" "$P.html"; do
    t_check "$(basename "$f") written" [ -s "$f" ]
done

# Everything below is one Python program over the files; it prints one line
# per disagreement, or "ok".
cmp=$(timeout 20 python3 - "$P" "$E2E_TMP/s.json" "$RUN_OUT" <<'PY' 2>&1
import csv, json, math, sys
P, target_file, console = sys.argv[1], sys.argv[2], sys.argv[3]
errs = []
d = json.load(open(P + ".json"))
tgt = json.load(open(target_file))
rows = list(csv.DictReader(open(P + "_stats.csv", newline="")))
def fnum(x):
    return float(x)
def ms(us):                      # stats.h: rounded half up
    return us // 1000 + (1 if us % 1000 >= 500 else 0)
def ms_ceil(us):                 # stats.h: the max (and p100) is the ceiling
    return (us + 999) // 1000
def ms_floor(us):                # stats.h: the min is the floor
    return us // 1000
def text2(us, d):                # stats.h's JSON time: two decimals under 10 ms
    h = us // 10 + (0 if d < 0 else (1 if us % 10 else 0) if d > 0 else (1 if us % 10 >= 5 else 0))
    return h / 100 if h < 1000 else (ms_floor(us) if d < 0 else ms_ceil(us) if d > 0 else ms(us))
byname = {(r["Type"], r["Name"]): r for r in rows}
ents = {(e["method"], e["name"]): e for e in d["stats"]}
if set(byname) != set(ents):
    errs.append("entries differ: csv %s json %s" % (sorted(byname), sorted(ents)))
pcts = ["0.5", "0.66", "0.75", "0.8", "0.9", "0.95", "0.98", "0.99", "0.999", "0.9999", "1.0"]
cols = ["50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%"]
for k, r in byname.items():
    e = ents.get(k)
    if not e:
        continue
    pairs = [("Request Count", e["num_requests"]), ("Failure Count", e["num_failures"])]
    for col, v in pairs:
        if int(r[col]) != v:
            errs.append("%s %s: csv %s %s, json %s" % (k, col, col, r[col], v))
    for col, v in [("Average Response Time", e["avg_response_time"]),
                   ("Average Content Size", e["avg_content_length"]),
                   ("Requests/s", e["total_rps"]), ("Failures/s", e["total_fail_per_sec"])]:
        if "%.2f" % v != r[col]:
            errs.append("%s %s: csv %s, json %.4f" % (k, col, r[col], v))
    # the histogram reproduces the percentiles (hist.h's nearest rank): the
    # CSV's whole ms and the JSON's two decimals are the same exact value
    h = e["histogram"]
    n = sum(b[1] for b in h["buckets"])
    if n != e["num_requests"] or h["count"] != n:
        errs.append("%s: histogram holds %d samples, %d requests" % (k, n, e["num_requests"]))
    for p in pcts:
        q = float(p)
        rank = max(1, math.ceil(q * n - q * n * 1e-12)) if q < 1 else n
        if rank == 1:
            v = h["min"]
        elif rank == n:
            v = h["max"]
        else:
            cum = 0
            for idx, c, lo, hi in h["buckets"]:
                cum += c
                if cum >= rank:
                    v = min(max(lo + (hi - lo + 1) // 2, h["min"]), h["max"])
                    break
        c = cols[pcts.index(p)]
        want = ms_ceil(v) if q >= 1 else ms(v)
        if n and (str(want) != r[c] or text2(v, 1 if q >= 1 else 0) != e["percentiles"][p]):
            errs.append("%s: p%s from the histogram %d us, csv %s, json %s" % (k, p, v, r[c], e["percentiles"][p]))
        if q == 0.5 and n and (str(ms(v)) != r["Median Response Time"] or text2(v, 0) != e["median_response_time"]):
            errs.append("%s: median %d us, csv %s, json %s" % (k, v, r["Median Response Time"], e["median_response_time"]))
    for col, jk, v, dr in (("Min Response Time", "min_response_time", h["min"], -1),
                           ("Max Response Time", "max_response_time", h["max"], 1)):
        if n and (str(ms_floor(v) if dr < 0 else ms_ceil(v)) != r[col] or text2(v, dr) != e[jk]):
            errs.append("%s %s: exact %d us, csv %s, json %s" % (k, col, v, r[col], e[jk]))
# the target's own counts
served = {"/resources/{id}": "GET /resources/{id}", "/delay/{ms}": "GET /delay/{ms}", "/status/500": "GET /status/{code}"}
for name, key in served.items():
    e = ents.get(("GET", name))
    if not e or e["num_requests"] != tgt["requests"].get(key, 0):
        errs.append("%s: json %s, target %s" % (name, e and e["num_requests"], tgt["requests"].get(key)))
agg = ents.get(("", "Aggregated"))
if d["total_requests"] != agg["num_requests"] or d["total_failures"] != agg["num_failures"]:
    errs.append("top-level totals differ from the Aggregated entry")
if agg["num_requests"] != sum(tgt["requests"].values()):
    errs.append("Aggregated %d, target served %d" % (agg["num_requests"], sum(tgt["requests"].values())))
# failures
frows = list(csv.DictReader(open(P + "_failures.csv", newline="")))
fj = sorted((x["method"], x["name"], x["error"], x["occurrences"]) for x in d["errors"])
fc = sorted((x["Method"], x["Name"], x["Error"], int(x["Occurrences"])) for x in frows)
if fj != fc or not fj:
    errs.append("failures: json %s csv %s" % (fj, fc))
if sum(x[3] for x in fj) != agg["num_failures"]:
    errs.append("failure occurrences do not add up to the failures")
# exceptions
erows = list(csv.DictReader(open(P + "_exceptions.csv", newline="")))
ej = sorted((x["count"], x["message"], x["traceback"]) for x in d["exceptions"])
ec = sorted((int(x["Count"]), x["Message"], x["Traceback"]) for x in erows)
if ej != ec or not ej or d["total_exceptions"] != sum(x[0] for x in ej):
    errs.append("exceptions: json %s csv %s" % (ej, ec))
# options of the run
o = d["options"]
if (o["users"], o["hatch_rate"], o["run_time_ms"], o["stop_timeout_ms"]) != (4, 20, 4000, 5000):
    errs.append("options: %s" % o)
if not (d["start_time"] < d["end_time"] and 3.5 <= d["end_time"] - d["start_time"] <= 12):
    errs.append("start/end times %s %s" % (d["start_time"], d["end_time"]))
# history
hl = open(P + "_stats_history.csv").read().splitlines()
want = ("Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,"
        "99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,"
        "Total Average Response Time,Total Min Response Time,Total Max Response Time,"
        "Total Average Content Size")
if hl[0] != want:
    errs.append("history header: " + hl[0])
hrows = list(csv.DictReader(open(P + "_stats_history.csv", newline="")))
if not 3 <= len(hrows) <= 6:
    errs.append("%d history rows for a 4 s run" % len(hrows))
if len(hrows) != len(d["history"]):
    errs.append("history: csv %d rows, json %d" % (len(hrows), len(d["history"])))
ts = [int(r["Timestamp"]) for r in hrows]
gaps = [b - a for a, b in zip(ts, ts[1:])]
if any(g not in (1, 2) for g in gaps) or gaps.count(2) > 1:
    errs.append("history timestamps not one per second: %s" % ts)
if any(r["Type"] != "" or r["Name"] != "Aggregated" for r in hrows):
    errs.append("history rows are not the Aggregated ones")
last = hrows[-1]
aggr = byname[("", "Aggregated")]
for hc, sc in [("Total Request Count", "Request Count"), ("Total Failure Count", "Failure Count"),
               ("Total Median Response Time", "Median Response Time"),
               ("Total Average Response Time", "Average Response Time"),
               ("Total Min Response Time", "Min Response Time"),
               ("Total Max Response Time", "Max Response Time"),
               ("Total Average Content Size", "Average Content Size")]:
    if last[hc] != aggr[sc]:
        errs.append("last history row %s %s, stats.csv %s" % (hc, last[hc], aggr[sc]))
tot = [int(r["Total Request Count"]) for r in hrows]
if tot != sorted(tot):
    errs.append("history totals decrease: %s" % tot)
# per-second requests add up: rps * interval summed is the total
if max(int(r["User Count"]) for r in hrows) != 4:
    errs.append("history never shows the 4 users")
# the console's final table shows whole-run rates (the CSV's Requests/s)
line = [l for l in open(console).read().splitlines() if l.split()[:1] == ["Aggregated"] and "|" in l][-1]
if aggr["Requests/s"] not in line.split():
    errs.append("console summary rate %s, csv %s" % (line, aggr["Requests/s"]))
print("\n".join(errs) if errs else "ok")
PY
)
t_eq "JSON, CSV files, history and console agree (and with the target)" "$cmp" ok
t_check "the HTML report embeds the result (its total request count)" \
    grep -q "\"total_requests\":$(csv_get "${P}_stats.csv" "Request Count" Type= Name=Aggregated)" "$P.html"

# A write error at the end is reported and makes the exit status 2 (a result
# file that could not be written): --json names a directory.
# (A directory that does not exist is refused before the run: see cli.sh.)
mkdir -p "$E2E_TMP/a-directory"
swarm_run 20 "$E2E_TMP/rep" --users 1 --run-time 1s --host "$TARGET_URL" \
    --json "$E2E_TMP/a-directory" --only-summary
t_check "an unwritable --json path logs an error" grep -q "cannot write the JSON result" "$RUN_ERR"
t_check "and the exit status is 2 (a result was lost)" [ "$RUN_RC" -eq 2 ]
e2e_finish
