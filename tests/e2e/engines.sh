#!/usr/bin/env bash
# engines.sh -- both HTTP engines against the hostile target (build/hostile-target):
# (redirects are followed by request.c for both engines, as python-requests
# does: a 302/303 after a POST continues as a GET without the body and
# without the script's own Content-Type; Authorization is dropped when a
# redirect leaves the host; the 30th hop's 3xx is the response)
# the same script is run once with --http-engine native and once with curl;
# each broken response must fail with the shared message (runtime/neterr.c),
# each well-formed one must succeed with the right body, and both engines
# must report exactly the same counts, sizes and failures.
. "$(dirname "$0")/lib.sh"
e2e_init engines

HPID=
hostile_stop() { [ -n "$HPID" ] && kill "$HPID" 2>/dev/null; wait "$HPID" 2>/dev/null; HPID=; }
trap 'hostile_stop; e2e_cleanup' EXIT
[ -x build/hostile-target ] || { t_fail "build/hostile-target is not built"; exit 1; }
timeout -s KILL 300 build/hostile-target --port 0 --port-file "$E2E_TMP/h.port" \
    >/dev/null 2>>"$E2E_TMP/hostile.log" &
HPID=$!
for i in $(seq 100); do [ -s "$E2E_TMP/h.port" ] && break; sleep 0.05; done
HURL="http://127.0.0.1:$(cat "$E2E_TMP/h.port")"

T='hello hello hello hello hello hello hello hello hello hello!!!!'
swarm_script hostile <<EOF || e2e_finish
host "http://127.0.0.1:1"
task t {
    get "/ok" name "ok" as r { expect r.text == "hello" }
    get "/chunked" name "chunked" as r { expect r.text == "hello world" }
    get "/eof" name "eof" as r { expect r.text == "until the end" }
    get "/http10" name "http10" as r { expect r.text == "old style" }
    get "/continue" name "continue" as r { expect r.status == 200 and r.text == "ok" }
    get "/switch" name "switch"
    get "/nocontent" name "nocontent" as r { expect r.status == 204 }
    get "/notmodified" name "notmodified" as r { expect r.status == 304 and r.text == "" }
    head "/ok" name "head" as r { expect r.status == 200 and r.text == "" }
    get "/garbage" name "garbage"
    get "/badchunk" name "badchunk"
    get "/short" name "short"
    get "/long" name "long" as r { expect r.text == "hello" }
    get "/hugeheader" name "hugeheader"
    get "/reset" name "reset"
    get "/empty" name "empty"
    get "/slow" name "slow" as r { expect r.text == "slow bytes" }
    get "/gzip" name "gzip" as r { expect r.text == "$T" else r.text }
    get "/deflate" name "deflate" as r { expect r.text == "$T" else r.text }
    get "/rawdeflate" name "rawdeflate" as r { expect r.text == "$T" else r.text }
    post "/r302" body "abc" headers {"Content-Type": "text/x"} name "r302" as r { expect r.text == "GET clen=0 ctype=- auth=-" else r.text }
    post "/r303" body "abc" headers {"Content-Type": "text/x"} name "r303" as r { expect r.text == "GET clen=0 ctype=- auth=-" else r.text }
    post "/r307" body "abc" headers {"Content-Type": "text/x"} name "r307" as r { expect r.text == "POST clen=3 ctype=text/x auth=-" else r.text }
    post "/r308" body "abc" headers {"Content-Type": "text/x"} name "r308" as r { expect r.text == "POST clen=3 ctype=text/x auth=-" else r.text }
    get "/r302" headers {"Authorization": "Bearer t"} name "auth same host" as r { expect r.text == "GET clen=0 ctype=- auth=Bearer t" else r.text }
    get "/xhost" headers {"Authorization": "Bearer t"} name "auth other host" as r { expect r.text == "GET clen=0 ctype=- auth=-" else r.text }
    get "/loop" name "loop" as r { expect r.status == 302 else str(r.status) }
    get "/close" name "close" as r { expect r.text == "bye" }
    get "/ok" name "ok again" as r { expect r.text == "hello" }
    sleep 100s
}
EOF

for eng in native curl; do
    swarm_run 60 "$E2E_TMP/hostile" --users 2 --hatch-rate 20 --run-time 4s \
        --http-engine "$eng" --host "$HURL" --csv "$E2E_TMP/$eng" --json "$E2E_TMP/$eng.json"
    t_check "$eng: the run ends with exit status 1 (failures)" [ "$RUN_RC" -eq 1 ]
    # 58 requests; each redirect hop is a transfer of its own (request.c
    # follows redirects, for both engines): 2 x (6 + 30) hops more
    t_eq "$eng: every transfer was carried by the $eng engine" \
        "$(python3 -c "import json,sys; h=json.load(open(sys.argv[1]))['http']; print(h['mode'], h['requests']['$eng'], h['requests']['native'] + h['requests']['curl'])" "$E2E_TMP/$eng.json")" \
        "$eng 130 130"
    for n in ok chunked eof http10 continue nocontent notmodified head long slow gzip deflate \
             rawdeflate r302 r303 r307 r308 "auth same host" "auth other host" loop close \
             "ok again"; do
        t_eq "$eng: $n succeeds twice" \
            "$(csv_get "$E2E_TMP/${eng}_stats.csv" "Request Count" "Name=$n")/$(csv_get "$E2E_TMP/${eng}_stats.csv" "Failure Count" "Name=$n")" "2/0"
    done
    while IFS='|' read -r n msg; do
        t_eq "$eng: $n fails with '$msg'" \
            "$(csv_get "$E2E_TMP/${eng}_failures.csv" Error "Name=$n")/$(csv_get "$E2E_TMP/${eng}_failures.csv" Occurrences "Name=$n")" "$msg/2"
    done <<'MSGS'
switch|HTTP 101 Switching Protocols: protocol upgrades (WebSocket, h2c) are not supported
garbage|Weird server reply
badchunk|Bad chunked encoding in the response
short|Transferred a partial file
hugeheader|response header too large (a line over 64 KB or over 256 KB in all)
reset|Failure when receiving data from the peer
empty|Empty reply from server
MSGS
    # sizes are bytes on the wire: the compressed bodies, not the 64 decoded bytes
    gz=$(csv_get "$E2E_TMP/${eng}_stats.csv" "Average Content Size" Name=gzip)
    t_py "$eng: gzip size is the compressed size ($gz < 64)" 'g > 0 and g < 64' g="$gz"
done
cut -d, -f1-4,9 "$E2E_TMP/native_stats.csv" >"$E2E_TMP/n.s"
cut -d, -f1-4,9 "$E2E_TMP/curl_stats.csv" >"$E2E_TMP/c.s"
t_check "both engines: the same names, counts, failures and sizes" cmp -s "$E2E_TMP/n.s" "$E2E_TMP/c.s"
t_check "both engines: the same failures table" cmp -s "$E2E_TMP/native_failures.csv" "$E2E_TMP/curl_failures.csv"

# A bad engine name is exit 2 with one sentence.
swarm_run 10 "$E2E_TMP/hostile" --users 1 --run-time 1s --http-engine turbo --host "$HURL"
t_eq "--http-engine turbo: exit 2" "$RUN_RC" 2
t_check "--http-engine turbo: says what is expected" grep -q "expects auto, native or curl, got 'turbo'" "$RUN_ERR"
e2e_finish
