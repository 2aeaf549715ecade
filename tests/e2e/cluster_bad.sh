#!/usr/bin/env bash
# tests/e2e/cluster_bad.sh -- what a master must survive:
#  - a Swarm slave built from another script is refused: both sides say why
#    in one line, the refused slave exits 2, the run goes on with the right
#    slave;
#  - garbage on the master port: raw bytes (not ZeroMQ), and through ZeroMQ
#    (python3-zmq): random bytes, arrays of the wrong length, bin instead of
#    str, missing and mistyped fields, unknown node ids, a message over the
#    size limit, extra frames, a flood from one sender -- each sender logged
#    once, the master never crashes nor goes deaf (the good slave's numbers
#    all arrive: the master's total equals what the target served).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.bash"
e2e_init cluster_bad
trap cluster_cleanup EXIT
target_start
swarm_script a <<'SW' || e2e_finish
host "http://127.0.0.1:1"
user U {
    wait 100ms
    task t { get "/" }
}
SW
swarm_script b <<'SW' || e2e_finish
host "http://127.0.0.1:1"
user U {
    wait 200ms
    task t { get "/" }
}
SW
MP=$(free_port)
stats_reset
cl_slave 1 "$E2E_TMP/a" "$MP"
cl_slave 2 "$E2E_TMP/b" "$MP"
PYZ=/usr/bin/python3
if [ -x "$PYZ" ] && "$PYZ" -c 'import zmq, msgpack' 2>/dev/null; then HAVE_PYZ=1; else HAVE_PYZ=0; fi
cl_bg 60 "$E2E_TMP/m.out" "$E2E_TMP/m.err" "$E2E_TMP/a" --master --master-bind-port "$MP" \
    --master-bind-host 127.0.0.1 --expect-slaves 1 --headless -u 3 -r 20 -t 7s \
    --stop-timeout 2s --host "$TARGET_URL" --csv "$E2E_TMP/m"
MWD=$CL_PID
cl_wait_log "$E2E_TMP/m.err" "All users hatched" 15
# raw bytes, not even a ZeroMQ greeting
timeout 5 python3 -c '
import socket, sys, os
for i in range(3):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.sendall(os.urandom(4096) + b"\xff" * 64)
    s.close()' "$MP"
if [ "$HAVE_PYZ" = 1 ]; then
    timeout 20 "$PYZ" - "$MP" <<'PY'
import sys, os, time, zmq, msgpack
port = int(sys.argv[1])
ctx = zmq.Context()
def sender(ident):
    s = ctx.socket(zmq.DEALER)
    s.setsockopt(zmq.IDENTITY, ident.encode())
    s.setsockopt(zmq.LINGER, 1000)
    s.connect("tcp://127.0.0.1:%d" % port)
    return s
cases = {
    "bad_random": [os.urandom(200)],
    "bad_short": [msgpack.packb(["heartbeat", {}])],
    "bad_bin": [msgpack.packb([b"client_ready", -1, b"bad_bin"], use_bin_type=True)],
    "bad_claims": [b"\x93\xa9heartbeat\xdd\xff\xff\xff\xff"],
    "bad_unknown": [msgpack.packb(["heartbeat", {"state": "ready", "current_cpu_usage": 1.0}, "bad_unknown"])],
    "bad_fields": [msgpack.packb(["client_ready", -1, "bad_fields"]),
                   msgpack.packb(["heartbeat", {"state": "ready"}, "bad_fields"]),
                   msgpack.packb(["stats", {"stats": "no", "errors": {}}, "bad_fields"]),
                   msgpack.packb(["stats", {"stats": [{"name": 1}], "stats_total": {}, "errors": {}, "user_count": 1}, "bad_fields"])],
    "bad_big": [msgpack.packb(["stats", "x" * (9 << 20), "bad_big"])],
    "bad_idmismatch": [msgpack.packb(["client_ready", -1, "someone_else"])],
    "bad_flood": [os.urandom(64) for _ in range(300)],
}
socks = []
for ident, msgs in cases.items():
    s = sender(ident)
    socks.append(s)
    for m in msgs:
        s.send(m)
s = sender("bad_frames")
socks.append(s)
s.send_multipart([b"a", b"b", b"c"])
time.sleep(1.5)
for s in socks:
    s.close()
ctx.term()
PY
fi
wait "$MWD"
rc=$?
wait "${SLAVE_WD[1]}" "${SLAVE_WD[2]}" 2>/dev/null
stats_fetch "$E2E_TMP/t.json"
served=$(stats_num "$E2E_TMP/t.json" "req('GET /')")
mc=$(csv_get "$E2E_TMP/m_stats.csv" "Request Count" Name=Aggregated)
t_eq "the master finished its run (exit 0)" "$rc" 0
t_eq "refused: one line on the master saying why" \
    "$(grep -c 'refused slave .*: it was built from another script' "$E2E_TMP/m.err")" 1
t_eq "refused: one line on the slave saying why" \
    "$(grep -c 'refused this slave: it was built from another script' "$E2E_TMP/slave2.err")" 1
wait "${SLAVE_WD[2]}" 2>/dev/null
t_check "the refused slave exited" bash -c "! kill -0 ${SLAVE_PID[2]} 2>/dev/null"
t_py "the run went on with the right slave: the master's total is what the target served ($mc of $served)" \
    'a == b and a > 20' a="$mc" b="$served"
if [ "$HAVE_PYZ" = 1 ]; then
    for id in bad_random bad_short bad_bin bad_claims bad_unknown bad_fields bad_big bad_idmismatch bad_flood; do
        t_eq "garbage from $id: dropped with one log line" \
            "$(grep -c "dropped a message from '$id'" "$E2E_TMP/m.err")" 1
    done
    t_eq "extra frames: dropped with one log line" \
        "$(grep -c "unexpected number of frames" "$E2E_TMP/m.err")" 1
else
    echo "ok - cluster_bad: # SKIP ZeroMQ garbage senders need python3-zmq and python3-msgpack"
fi
t_check "no crash, no sanitizer report" bash -c "! grep -Eq 'Segmentation|AddressSanitizer|runtime error' '$E2E_TMP/m.err'"
e2e_finish
