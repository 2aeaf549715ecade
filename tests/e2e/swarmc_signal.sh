#!/usr/bin/env bash
# tests/e2e/swarmc_signal.sh -- swarmc killed mid-compile (SIGTERM, SIGINT)
# leaves no temporary file: nothing in its TMPDIR (the generated C, cc's
# temporaries), no half-written binary next to -o, and no output; a normal
# compile also leaves TMPDIR empty.
. "$(dirname "$0")/lib.sh"
e2e_init swarmc_signal
# a script whose C takes cc a while (thousands of vars)
python3 - >"$E2E_TMP/slow.swarm" <<'PY'
print('host "http://127.0.0.1:1"')
for i in range(6000):
    print("var v%d = %d + %d * 2" % (i, i, i))
print("task t { log v0 }")
PY
mkdir -p "$E2E_TMP/tmp" "$E2E_TMP/out"

empty() { [ -z "$(ls -A "$1")" ]; }

for sig in TERM INT; do
    # a simple command in the background, so $! is swarmc itself; a
    # subshell keeps SIGINT from being ignored in a non-interactive shell
    TMPDIR="$E2E_TMP/tmp" build/swarmc "$E2E_TMP/slow.swarm" -o "$E2E_TMP/out/slow" \
        >"$E2E_TMP/sc.log" 2>&1 &
    pid=$!
    # wait until cc runs (the C is written), at most 20 s
    for i in $(seq 400); do
        pgrep -P "$pid" >/dev/null 2>&1 && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    sleep 0.3
    kill -"$sig" "$pid" 2>/dev/null
    for i in $(seq 200); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -0 "$pid" 2>/dev/null && { t_fail "SIG$sig: swarmc ended"; kill -KILL "$pid"; }
    wait "$pid" 2>/dev/null
    sleep 0.5   # an orphaned cc would still be writing
    t_check "SIG$sig: nothing left in TMPDIR ($(ls -A "$E2E_TMP/tmp" | head -3 | tr '\n' ' '))" \
        empty "$E2E_TMP/tmp"
    t_check "SIG$sig: no output and no half-written binary next to -o" empty "$E2E_TMP/out"
    rm -rf "$E2E_TMP/tmp"/* "$E2E_TMP/out"/*
done

TMPDIR="$E2E_TMP/tmp" timeout 120 build/swarmc tests/lang/first.swarm -o "$E2E_TMP/out/first" \
    >"$E2E_TMP/sc.log" 2>&1
t_check "a normal compile succeeds" [ -x "$E2E_TMP/out/first" ]
t_check "a normal compile leaves TMPDIR empty" empty "$E2E_TMP/tmp"
e2e_finish
