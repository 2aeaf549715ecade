#!/usr/bin/env bash
# tests/run.sh -- runs every suite and counts TAP-style lines.
# Each suite prints "ok - ..." / "not ok - ..." lines; this script prints them,
# then one closing line "N passed, N failed". Exit 1 when anything failed.
# Run from the repository root after `make all units` (make check does both).
set -u
cd "$(dirname "$0")/.."
export SWARM_ROOT=$PWD
# Debian's own tools first: the suites use its python3 (with python3-locust,
# python3-zmq...), not a version manager's shim that may lack them and
# takes seconds to start on a busy machine.
export PATH="/usr/bin:/bin:$PATH"
log=build/tests/run.log
mkdir -p build/tests
: > "$log"

run_suite() {  # name command...
    local name=$1; shift
    echo "# suite: $name" | tee -a "$log"
    local out rc
    out=$("$@" 2>&1); rc=$?
    printf '%s\n' "$out" | tee -a "$log"
    if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok'; then
        echo "not ok - suite $name exited $rc without a failing check" | tee -a "$log"
    fi
}

for t in build/tests/test_*; do
    [ -x "$t" ] || continue
    run_suite "unit $(basename "$t")" "$t"
done
for s in tests/compiler/run.sh tests/e2e/*.sh; do
    [ -f "$s" ] || continue
    [ "$(basename "$s")" = lib.sh ] && continue   # helpers, not a suite
    run_suite "$s" bash "$s"
done

passed=$(grep -c '^ok - ' "$log")
failed=$(grep -c '^not ok - ' "$log")
echo
grep '^not ok - ' "$log" | sed 's/^/FAILED: /'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
