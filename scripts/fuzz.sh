#!/bin/sh
# scripts/fuzz.sh BINDIR OUTDIR SECONDS NAME... -- run afl-fuzz on each
# harness BINDIR/NAME (built with afl-cc: make fuzz does that) for SECONDS,
# starting from tests/fuzz/NAME/corpus/, keeping AFL's state in
# OUTDIR/NAME/. Every crash found is copied into tests/fuzz/NAME/crashes/
# under a name made of its SHA-1 (so the same input is kept once); make
# check replays them. Prints one summary line per harness; exits 1 when
# afl-fuzz could not run or a new crash was saved.
set -u
bindir=$1 outdir=$2 secs=$3
shift 3
# Non-interactive, on a shared machine: no UI, no CPU binding, no
# core_pattern or cpufreq demands; AFL_NICE-like politeness is up to the caller.
export AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SUPPRESS_WARNINGS=1
status=0
for name in "$@"; do
    bin=$bindir/$name
    out=$outdir/$name
    dst=tests/fuzz/$name/crashes
    if [ ! -x "$bin" ] || [ ! -d "tests/fuzz/$name/corpus" ]; then
        echo "fuzz $name: no harness $bin or no tests/fuzz/$name/corpus/" >&2
        status=1
        continue
    fi
    mkdir -p "$out" "$dst"
    # Resume where the last run stopped when there is one ("-i -").
    input=tests/fuzz/$name/corpus
    [ -d "$out/default/queue" ] && input=-
    # -m none: ASan reserves a large address space; -t: a 2 s hang limit.
    timeout -k 30 $((secs + 120)) afl-fuzz -V "$secs" -m none -t 2000 \
        -i "$input" -o "$out" -- "$bin" @@ >"$out.log" 2>&1
    rc=$?
    stats=$out/default/fuzzer_stats
    if [ ! -f "$stats" ]; then
        echo "fuzz $name: afl-fuzz did not run (exit $rc); see $out.log:" >&2
        tail -n 5 "$out.log" >&2
        status=1
        continue
    fi
    new=0
    for c in "$out"/default/crashes/id:*; do
        [ -f "$c" ] || continue
        sum=$(sha1sum "$c" | cut -c1-16)
        if [ ! -f "$dst/$sum" ] && [ ! -f "tests/fuzz/$name/regressions/$sum" ]; then
            cp "$c" "$dst/$sum"
            new=$((new + 1))
        fi
    done
    [ "$new" -gt 0 ] && status=1
    execs=$(sed -n 's/^execs_done *: //p' "$stats")
    paths=$(sed -n 's/^corpus_count *: //p' "$stats")
    hangs=$(sed -n 's/^saved_hangs *: //p' "$stats")
    echo "fuzz $name: ${secs}s, $execs execs, $paths paths, $new new crash(es) saved in $dst/, ${hangs:-0} hang(s) in $out/default/hangs/"
done
exit $status
