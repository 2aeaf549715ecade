#!/usr/bin/env bash
# tests/e2e/cluster.sh -- a master and three slaves on 127.0.0.1:
#  - 10 users on 3 slaves run as 4/3/3, classes by weight 3:1 (8/2),
#    user ids unique over the cluster (index * 1000000 + n);
#  - is_master / is_slave / is_standalone and on test start/stop per process;
#  - a graceful stop (--stop-timeout) loses nothing: the master's total
#    equals the sum of the slaves' and what the target served;
#  - every output comes from the merged stats: console, CSV, JSON (with
#    the slaves listed); exit status 0;
#  - a slave killed mid-run: listed as lost in the JSON and HTML reports,
#    its reported numbers kept in the totals;
#  - --expect-slaves-max-wait: exit 1 saying how many came.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.bash"
e2e_init cluster
trap cluster_cleanup EXIT
target_start
swarm_script cl <<'SW' || e2e_finish
host "http://127.0.0.1:1"
on test start {
    log "test start: master=" + str(is_master) + " slave=" + str(is_slave) + " standalone=" + str(is_standalone)
}
on test stop {
    log "test stop here"
}
user Reader weight 3 {
    wait 100ms
    task read { get "/resources/${user_id}" name "/resources/{id}" headers {"X-User-Id": user_id} }
}
user Writer weight 1 {
    wait 100ms
    task home { get "/" headers {"X-User-Id": user_id} }
}
SW
MP=$(free_port)
stats_reset
for n in 1 2 3; do cl_slave $n "$E2E_TMP/cl" "$MP"; done
swarm_run 60 "$E2E_TMP/cl" --master --master-bind-port "$MP" --expect-slaves 3 \
    --headless -u 10 -r 20 -t 4s --stop-timeout 2s --host "$TARGET_URL" \
    --csv "$E2E_TMP/m" --json "$E2E_TMP/m.json"
for n in 1 2 3; do wait "${SLAVE_WD[$n]}" 2>/dev/null; done
stats_fetch "$E2E_TMP/t.json"
t_eq "master exit status 0" "$RUN_RC" 0
for n in 1 2 3; do
    t_check "slave $n exited after the master's quit" grep -q "The master says quit" "$E2E_TMP/slave$n.err"
done
t_eq "10 users on 3 slaves run as 4/3/3 (users seen by the target per slave)" \
    "$(users_by_range "$E2E_TMP/t.json")" "3 3 4"
served=$(stats_num "$E2E_TMP/t.json" "req('GET /resources/{id}') + req('GET /')")
readers=$(timeout 10 python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
print(len(d["users"]))' "$E2E_TMP/t.json")
t_eq "10 distinct user ids over the cluster" "$readers" 10
mtotal=$(csv_get "$E2E_TMP/m_stats.csv" "Request Count" Name=Aggregated)
s1=$(cl_slave_total 1); s2=$(cl_slave_total 2); s3=$(cl_slave_total 3)
t_py "the master's total equals the sum of the slaves' ($mtotal = $s1 + $s2 + $s3)" \
    'm == a + b + c and m > 50' m="$mtotal" a="$s1" b="$s2" c="$s3"
t_eq "with --stop-timeout the master's total equals what the target served" "$mtotal" "$served"
t_eq "no failure merged" "$(csv_get "$E2E_TMP/m_stats.csv" "Failure Count" Name=Aggregated)" 0
t_py "the class split 3:1 shows in the requests (Writer ~ 1/4)" '0.12 < w / t < 0.38' \
    w="$(csv_get "$E2E_TMP/m_stats.csv" "Request Count" Name=/)" t="$mtotal"
jt=$(timeout 10 python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
print(d["total_requests"], len(d["slaves"]), d["lost_slaves"], sorted(s["kind"] for s in d["slaves"]))' "$E2E_TMP/m.json")
t_eq "JSON: merged total, 3 slaves listed, none lost" "$jt" "$mtotal 3 0 ['swarm', 'swarm', 'swarm']"
t_check "console summary from the merged stats" grep -Eq "Aggregated +$mtotal " "$RUN_OUT"
t_check "master: is_master true, the others false" \
    grep -q "test start: master=true slave=false standalone=false" "$RUN_ERR"
t_check "master ran on test stop" grep -q "test stop here" "$RUN_ERR"
ok=0
for n in 1 2 3; do
    grep -q "test start: master=false slave=true standalone=false" "$E2E_TMP/slave$n.err" \
        && grep -q "test stop here" "$E2E_TMP/slave$n.err" && ok=$((ok + 1))
done
t_eq "every slave ran on test start (is_slave true) and on test stop" "$ok" 3

# a slave killed mid-run (after its first report, at 3 s)
MP=$(free_port)
stats_reset
for n in 5 6; do cl_slave $n "$E2E_TMP/cl" "$MP"; done
cl_bg 60 "$E2E_TMP/lost.out" "$E2E_TMP/lost.err" "$E2E_TMP/cl" --master --master-bind-port "$MP" \
    --expect-slaves 2 --headless -u 4 -r 20 -t 9s --host "$TARGET_URL" \
    --json "$E2E_TMP/lost.json" --html "$E2E_TMP/lost.html"
mwd=$CL_PID
cl_wait_log "$E2E_TMP/lost.err" "All users hatched" 10
sleep 4.5
kill -KILL "${SLAVE_PID[5]}"
wait "$mwd"
rc=$?
wait "${SLAVE_WD[6]}" 2>/dev/null
t_eq "a slave lost mid-run: the run still ends with status 0" "$rc" 0
lost=$(timeout 10 python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
print(d["lost_slaves"], [s["state"] for s in d["slaves"]].count("missing"), d["total_requests"])' "$E2E_TMP/lost.json")
set -- $lost
t_eq "JSON: one lost slave, listed as missing" "$1 $2" "1 1"
t_py "its reported numbers stay in the totals (master $3 > survivor $(cl_slave_total 6))" \
    'm > s' m="$3" s="$(cl_slave_total 6)"
lid=$(grep -o 'Slave [^ ]* (index [0-9]*) sent nothing' "$E2E_TMP/lost.err" | awk '{print $2}')
t_check "the HTML report lists the lost slave ($lid)" grep -q "\"id\":\"$lid\"" "$E2E_TMP/lost.html"
if command -v chromium >/dev/null 2>&1; then
    timeout 60 chromium --headless --no-sandbox --disable-gpu --virtual-time-budget=3000 \
        --dump-dom "file://$E2E_TMP/lost.html" 2>/dev/null >"$E2E_TMP/lost.dom"
    t_check "the report's Slaves tab shows it missing (rendered by Chromium)" \
        grep -q "<td class=\"mono\">$lid</td><td class=\"fail\">missing</td>" "$E2E_TMP/lost.dom"
else
    echo "ok - cluster: # SKIP the rendered Slaves tab needs chromium"
fi

# data rows strided over the slaves, and `quit STATUS` ending the whole run
for i in $(seq 0 5); do echo "$i"; done | sed '1i id' >"$E2E_TMP/rows.csv"
swarm_script q <<SW || e2e_finish
host "http://127.0.0.1:1"
data rows = csv "$E2E_TMP/rows.csv"
user U {
    wait 300ms
    task t {
        let r = next(rows)
        get "/resources/\${r.id}" name "/resources/{id}" headers {"X-User-Id": r.id + "-" + str(user_id)}
        if r.id == "5" { quit 7 }
    }
}
SW
MP=$(free_port)
stats_reset
for n in 7 8; do cl_slave $n "$E2E_TMP/q" "$MP"; done
swarm_run 60 "$E2E_TMP/q" --master --master-bind-port "$MP" --expect-slaves 2 --headless \
    -u 2 -r 20 -t 20s --host "$TARGET_URL" --csv "$E2E_TMP/q"
t_eq "quit 7 on a slave ends the cluster's run with status 7" "$RUN_RC" 7
t_py "it ended long before --run-time (${RUN_SECS}s)" 's < 12' s="$RUN_SECS"
t_check "the master says which slave quit" grep -q "the script quits with status 7; ending the run" "$RUN_ERR"

stats_fetch "$E2E_TMP/tq.json"
strided=$(timeout 10 python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
pairs = [k.split("-") for k in d["users"]]
rows = {int(r) for r, u in pairs}
print(all(int(r) % 2 == (int(u) // 1000000) % 2 for r, u in pairs), 5 in rows and len(rows) >= 3)' \
    "$E2E_TMP/tq.json")
t_eq "data rows strided over the slaves: slave k of 2 hands out rows k, k + 2, ..." "$strided" "True True"

# --expect-slaves-max-wait: one slave of the two expected comes
MP=$(free_port)
cl_slave 4 "$E2E_TMP/cl" "$MP"
swarm_run 30 "$E2E_TMP/cl" --master --master-bind-port "$MP" --expect-slaves 2 \
    --expect-slaves-max-wait 2s --headless -u 2 -t 2s --host "$TARGET_URL"
t_eq "expect-slaves-max-wait: exit status 1" "$RUN_RC" 1
t_check "expect-slaves-max-wait: says how many came" grep -q "only 1 of the 2 expected slaves" "$RUN_ERR"
t_check "the slave was told to quit" cl_wait_log "$E2E_TMP/slave4.err" "master says quit" 5
e2e_finish
