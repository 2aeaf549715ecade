#!/usr/bin/env bash
# tests/e2e/target.sh -- the demo target itself (the ground truth of every
# other e2e test), driven with curl: routes, statuses, things turning ACTIVE
# or ERROR on time, non-blocking delays, and the /__stats counters.
. "$(dirname "$0")/lib.sh"
e2e_init target
target_start --active-delay 2000 --error-every 2

# get METHOD PATH [CURL-ARGS...]: prints "STATUS BODY".
get() {
    local m=$1 p=$2; shift 2
    curl -s --max-time 5 -X "$m" -w ' %{http_code}' "$@" "$TARGET_URL$p" | tr -d '\n'
}
# field JSON-TEXT PYTHON-EXPR over `j`.
field() {
    timeout 5 python3 -c 'import json,sys; j=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null
}

stats_reset
t_eq "GET / is 200" "$(get GET / -o /dev/null)" " 200"
r=$(get GET /resources/42 -H 'X-User-Id: u1')
t_eq "GET /resources/42" "$r" '{"id": 42, "name": "resource 42"} 200'
t_eq "GET /resources/abc is 404" "$(get GET /resources/abc -o /dev/null)" " 404"
t_eq "POST /things creates thing 1" "$(get POST /things -H 'X-User-Id: u2')" '{"id": 1, "status": "PENDING"} 201'
t_eq "POST /things creates thing 2" "$(get POST /things)" '{"id": 2, "status": "PENDING"} 201'
t_eq "thing 1 is PENDING at first" "$(get GET /things/1)" '{"id": 1, "status": "PENDING"} 200'
sleep 2.1    # the delay runs from the POST; the reads above take far less
t_eq "thing 1 is ACTIVE after --active-delay" "$(get GET /things/1)" '{"id": 1, "status": "ACTIVE"} 200'
t_eq "thing 2 is ERROR (--error-every 2)" "$(get GET /things/2)" '{"id": 2, "status": "ERROR"} 200'
t_eq "unknown thing is 404" "$(get GET /things/3 -o /dev/null)" " 404"
r=$(get POST /login -d 'username=ann&password=x')
t_eq "POST /login (form) gives a token" "$(field "${r% *}" 'bool(j["token"]) and j["username"]')" ann
r=$(get POST /login -H 'Content-Type: application/json' -d '{"username": "bob"}')
t_eq "POST /login (JSON) gives a token" "$(field "${r% *}" 'bool(j["token"]) and j["username"]')" bob
t_eq "GET /status/418" "$(get GET /status/418 -o /dev/null)" " 418"
t_eq "GET /garbage is 200" "$(get GET /garbage -o /dev/null)" " 200"
t_check "GET /garbage is not JSON" [ -z "$(field "$(curl -s "$TARGET_URL/garbage")" 1)" ]
r=$(get PATCH '/echo?x=1' -H 'X-Thing: yes' --data-binary 'héllo "there"')
t_eq "PATCH /echo echoes method, headers and body" \
    "$(field "${r% *}" '(j["method"], j["uri"], j["headers"]["X-Thing"], j["body"])')" \
    "('PATCH', '/echo?x=1', 'yes', 'héllo \"there\"')"
t_eq "DELETE /things is 405" "$(get DELETE /things -o /dev/null)" " 405"

# Two 500 ms delays at once overlap: the timer does not block. Ground truth:
# the target's own log (arrival and answer times, monotonic ms): the second
# request arrived before the first was answered, and each was held 500 ms.
curl -s --max-time 5 -o /dev/null "$TARGET_URL/delay/500" &
c1=$!
curl -s --max-time 5 -o /dev/null "$TARGET_URL/delay/500"
wait "$c1"
t_eq "two concurrent /delay/500 are held at the same time, 500 ms each" "$(curl -s --max-time 5 \
    "$TARGET_URL/__log" | timeout 10 python3 -c '
import json, sys
r = [(a, s) for a, s, u in json.load(sys.stdin)["records"] if u.startswith("/delay")][-2:]
ok = len(r) == 2 and max(a for a, s in r) < min(s for a, s in r) and all(s - a >= 499 for a, s in r)
print("ok" if ok else r)')" ok

stats_fetch "$E2E_TMP/s.json"
t_eq "requests counted per method and route" \
    "$(stats_num "$E2E_TMP/s.json" 'sorted(d["requests"].items())')" \
    "[('DELETE /things', 1), ('GET /', 1), ('GET /delay/{ms}', 2), ('GET /garbage', 2), ('GET /resources/{id}', 2), ('GET /status/{code}', 1), ('GET /things/{id}', 4), ('PATCH /echo', 1), ('POST /login', 2), ('POST /things', 2)]"
t_eq "statuses counted" "$(stats_num "$E2E_TMP/s.json" 'sorted(d["statuses"].items())')" \
    "[('200', 12), ('201', 2), ('404', 2), ('405', 1), ('418', 1)]"
t_eq "things counted" "$(stats_num "$E2E_TMP/s.json" 'd["things"]')" \
    "{'created': 2, 'active': 1, 'error': 1, 'seen_active': 1}"
t_eq "users by X-User-Id" "$(stats_num "$E2E_TMP/s.json" 'sorted(d["users"])')" "['u1', 'u2']"
t_py "first-seen times are Unix seconds" 'abs(t - now) < 60' \
    t="$(stats_num "$E2E_TMP/s.json" 'd["users"]["u1"]')" now="$(date +%s)"
stats_fetch "$E2E_TMP/s2.json"
t_eq "/__stats itself is not counted" "$(stats_num "$E2E_TMP/s2.json" 'sum(d["requests"].values())')" 18
stats_reset
stats_fetch "$E2E_TMP/s3.json"
t_eq "POST /__reset clears everything" "$(stats_num "$E2E_TMP/s3.json" \
    '(d["requests"], d["statuses"], d["users"], d["things"]["created"])')" "({}, {}, {}, 0)"
t_eq "ids keep increasing after a reset" "$(get POST /things)" '{"id": 3, "status": "PENDING"} 201'

# Bad command lines and a port in use: exit status 2, one line.
swarm_run 10 build/demo-target --port nope
t_eq "--port nope: exit 2" "$RUN_RC" 2
swarm_run 10 build/demo-target --bogus
t_eq "--bogus: exit 2" "$RUN_RC" 2
swarm_run 10 build/demo-target --port "$TARGET_PORT"
t_eq "port in use: exit 2" "$RUN_RC" 2
e2e_finish
