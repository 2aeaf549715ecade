#!/usr/bin/env bash
# tests/e2e/cluster_netns.sh -- a multi-host cluster: the master and two
# slaves in three network namespaces this test creates, joined by veth
# links (10.250.k.1 master side, 10.250.k.2 slave k; addresses exist only
# inside these namespaces). Each slave namespace has its own demo target on
# its loopback. Taking slave 1's link down makes it missing (its users go
# to slave 2); bringing it up lets it rejoin and take its share again.
# Needs root (network namespaces); skipped with the reason otherwise.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.bash"
e2e_init cluster_netns
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null 2>&1; then
    echo "ok - cluster_netns: # SKIP needs root and iproute2 to create network namespaces"
    exit 0
fi
S=$$
NM=swm$S; N1=sws1$S; N2=sws2$S
netns_cleanup() {
    cluster_cleanup
    ip netns pids "$NM" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
    ip netns pids "$N1" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
    ip netns pids "$N2" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
    ip netns del "$NM" 2>/dev/null; ip netns del "$N1" 2>/dev/null; ip netns del "$N2" 2>/dev/null
}
trap netns_cleanup EXIT
if ! ip netns add "$NM" 2>/dev/null; then
    echo "ok - cluster_netns: # SKIP cannot create network namespaces here"
    exit 0
fi
ip netns add "$N1" && ip netns add "$N2" || { t_fail "cannot create the namespaces"; exit 1; }
for ns in "$NM" "$N1" "$N2"; do ip -n "$ns" link set lo up; done
for k in 1 2; do
    ns=$([ $k = 1 ] && echo "$N1" || echo "$N2")
    ip link add "vm$k$S" type veth peer name "vs$k$S" || { t_fail "cannot create veth links"; exit 1; }
    ip link set "vm$k$S" netns "$NM"
    ip link set "vs$k$S" netns "$ns"
    ip -n "$NM" addr add "10.250.$k.1/30" dev "vm$k$S"
    ip -n "$ns" addr add "10.250.$k.2/30" dev "vs$k$S"
    ip -n "$NM" link set "vm$k$S" up
    ip -n "$ns" link set "vs$k$S" up
done
t_check "the links are up with their addresses" \
    bash -c "ip -n $N1 addr show | grep -q 10.250.1.2 && ip -n $NM route get 10.250.2.2 >/dev/null"

swarm_script nn <<'SW' || e2e_finish
host "http://127.0.0.1:1"
user U {
    wait 100ms
    task t { get "/resources/${user_id}" name "/resources/{id}" }
}
SW
TP=$(free_port)
for ns in "$N1" "$N2"; do
    ip netns exec "$ns" timeout -s KILL 120 build/demo-target --port "$TP" >/dev/null 2>&1 &
    CL_PIDS="$CL_PIDS $!"
done
MP=5557     # inside the master's own namespace: nothing else listens there
WP=8089
cl_bg 120 "$E2E_TMP/m.out" "$E2E_TMP/m.err" ip netns exec "$NM" "$E2E_TMP/nn" --master \
    --master-bind-host 0.0.0.0 --master-bind-port "$MP" --web --web-port "$WP" -u 4 -r 10 \
    --expect-slaves 2 --host "http://127.0.0.1:$TP"
cl_bg 120 "$E2E_TMP/slave1.out" "$E2E_TMP/slave1.err" ip netns exec "$N1" "$E2E_TMP/nn" --slave \
    --master-host 10.250.1.1 --master-port "$MP"
cl_bg 120 "$E2E_TMP/slave2.out" "$E2E_TMP/slave2.err" ip netns exec "$N2" "$E2E_TMP/nn" --slave \
    --master-host 10.250.2.1 --master-port "$MP"
wait_api() {  # SECONDS EXPR: poll the master's /stats/requests inside its namespace
    ip netns exec "$NM" timeout $(($1 + 5)) python3 - "http://127.0.0.1:$WP/stats/requests" "$1" "$2" <<'PY'
import json, sys, time, urllib.request
url, secs, expr = sys.argv[1], float(sys.argv[2]), sys.argv[3]
end = time.time() + secs
d = None
while time.time() < end:
    try:
        d = json.load(urllib.request.urlopen(url, timeout=2))
        if eval(expr):
            sys.exit(0)
    except Exception:
        pass
    time.sleep(0.1)
if d:
    print("# last:", [(w["id"][-4:], w["state"], w["user_count"]) for w in d["workers"]])
sys.exit(1)
PY
}
SUM='sum(w["user_count"] for w in d["workers"] if w["state"] != "missing")'
t_check "4 users on 2 slaves in other namespaces (2/2)" \
    wait_api 20 "$SUM == 4 and sorted(w['user_count'] for w in d['workers']) == [2, 2]"
ip -n "$N1" link set "vs1$S" down
t0=$(date +%s.%N)
wait_api 10 '"missing" in [w["state"] for w in d["workers"]]'
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
t_py "link down: slave 1 missing within a few seconds (${secs}s; 3 s of silence)" 's <= 8' s="$secs"
t_check "link down: its users run on slave 2" \
    wait_api 10 "$SUM == 4 and d['worker_count'] == 1"
ip -n "$N1" link set "vs1$S" up
t_check "link up: slave 1 rejoins and gets its share back (2/2)" \
    wait_api 30 "$SUM == 4 and d['worker_count'] == 2 and sorted(w['user_count'] for w in d['workers'] if w['state'] != 'missing') == [2, 2]"
n=$(ip netns exec "$N1" curl -s --max-time 5 "http://127.0.0.1:$TP/__stats" | timeout 10 python3 -c '
import json,sys; print(json.load(sys.stdin)["requests"].get("GET /resources/{id}", 0))')
t_py "slave 1 sent load to its own namespace's target ($n)" 'n > 10' n="$n"
e2e_finish
