#!/usr/bin/env bash
# tests/run.sh -- runs every suite and counts TAP-style lines.
# Each suite prints "ok - ..." / "not ok - ..." lines; this script prints them,
# then one closing line "N passed, N failed". Exit 1 when anything failed.
# Run from the repository root after `make all units` (make check does both).
#
# Suites run SWARM_TEST_JOBS at a time (default 3), the longest first (by
# the times the last run took, build/tests/times); each suite's output is
# buffered in its own file and printed whole when the suite ends, with its
# wall time. A suite that runs past SWARM_SUITE_TIMEOUT seconds (default
# 900) is killed and counted as failed.
#
# SWARM_SANITIZER_LOGS=DIR: sanitized runs write their reports there
# (ASAN_OPTIONS/UBSAN_OPTIONS log_path=DIR/...; see .ci/run); each report
# file found at the end is one "not ok" line, whichever process wrote it.
set -u
cd "$(dirname "$0")/.."
export SWARM_ROOT=$PWD
# Debian's own tools first: the suites use its python3 (with python3-locust,
# python3-zmq...), not a version manager's shim that may lack them and
# takes seconds to start on a busy machine.
export PATH="/usr/bin:/bin:$PATH"
jobs=${SWARM_TEST_JOBS:-3}
limit=${SWARM_SUITE_TIMEOUT:-900}
mkdir -p build/tests
log=build/tests/run.log
times=build/tests/times
outdir=build/tests/out
rm -rf "$outdir"
mkdir -p "$outdir"
: > "$log"

# ---- the suites: NAME<TAB>COMMAND (one word: a path) -------------------------
# The HTTP suites also run on each engine (client.c reads SWARM_HTTP_ENGINE):
# the unit test once per engine; the default, auto, puts the demo target's
# http:// on the native engine, so the HTTP e2e suites run again on curl
# (engines.sh and conns.sh compare the two engines themselves).
HTTP_SUITES=" test_http test_request "
HTTP_E2E=" counts.sh failures.sh polling.sh "
suites=()
for t in build/tests/test_*; do
    [ -x "$t" ] || continue
    if [[ $HTTP_SUITES == *" $(basename "$t") "* ]]; then
        for eng in native curl; do
            suites+=("unit $(basename "$t") ($eng)	env SWARM_HTTP_ENGINE=$eng $t")
        done
        continue
    fi
    suites+=("unit $(basename "$t")	$t")
done
for s in tests/compiler/run.sh tests/fuzz/run.sh tests/e2e/*.sh; do
    [ -f "$s" ] || continue
    [ "$(basename "$s")" = lib.sh ] && continue   # helpers, not a suite
    suites+=("$s	bash $s")
    if [[ $HTTP_E2E == *" $(basename "$s") "* ]]; then
        suites+=("$s (curl)	env SWARM_HTTP_ENGINE=curl bash $s")
    fi
done

# Longest first: the last run's seconds per suite; a suite not timed yet
# counts as long (a script) or short (a unit test), so new scripts start early.
order=$(for i in "${!suites[@]}"; do
    name=${suites[$i]%%	*}
    dflt=9999
    case $name in "unit "*) dflt=1 ;; esac
    secs=$(awk -F '\t' -v n="$name" -v d="$dflt" '$1 == n { s = $2 } END { print s == "" ? d : s }' \
        "$times" 2>/dev/null)
    printf '%s\t%s\n' "${secs:-$dflt}" "$i"
done | sort -s -t '	' -k1,1nr | cut -f2)

# run_suite I: run suite I into $outdir/I.out; its status and seconds into
# $outdir/I.rc (written last: its presence means the suite is over).
run_suite() {
    local i=$1 name=${suites[$1]%%	*} cmd=${suites[$1]#*	}
    local t0 t1 rc
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086
    timeout -k 10 "$limit" $cmd >"$outdir/$i.out" 2>&1 </dev/null
    rc=$?
    t1=$(date +%s.%N)
    [ $rc -eq 124 ] && echo "not ok - suite $name killed after ${limit}s" >>"$outdir/$i.out"
    echo "$rc $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')" >"$outdir/$i.rc.tmp"
    mv "$outdir/$i.rc.tmp" "$outdir/$i.rc"
}

# flush: print every finished suite not printed yet, whole.
printed=()
flush() {
    local i name rc secs
    for i in "${!suites[@]}"; do
        [ -n "${printed[$i]:-}" ] && continue
        [ -f "$outdir/$i.rc" ] || continue
        printed[$i]=1
        name=${suites[$i]%%	*}
        read -r rc secs <"$outdir/$i.rc"
        {
            echo "# suite: $name (${secs} s)"
            cat "$outdir/$i.out"
            if [ "$rc" -ne 0 ] && ! grep -q '^not ok' "$outdir/$i.out"; then
                echo "not ok - suite $name exited $rc without a failing check"
            fi
        } | tee -a "$log"
        printf '%s\t%s\n' "$name" "$secs" >>"$outdir/times.new"
    done
}

running=0
for i in $order; do
    while [ "$running" -ge "$jobs" ]; do
        wait -n
        running=$((running - 1))
        flush
    done
    run_suite "$i" &
    running=$((running + 1))
done
wait
flush
mv "$outdir/times.new" "$times" 2>/dev/null

if [ -n "${SWARM_SANITIZER_LOGS:-}" ]; then
    echo "# suite: sanitizer reports in $SWARM_SANITIZER_LOGS" | tee -a "$log"
    n=0
    for f in "$SWARM_SANITIZER_LOGS"/*; do
        [ -s "$f" ] || continue
        n=$((n + 1))
        echo "not ok - sanitizer report $f: $(grep -m1 -E 'ERROR|runtime error|SUMMARY' "$f")" | tee -a "$log"
        sed -n '1,30s/^/# /p' "$f"
    done
    [ "$n" -eq 0 ] && echo "ok - no sanitizer reports" | tee -a "$log"
fi

passed=$(grep -c '^ok - ' "$log")
failed=$(grep -c '^not ok - ' "$log")
echo
grep '^not ok - ' "$log" | sed 's/^/FAILED: /'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
