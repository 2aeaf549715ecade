#!/bin/sh
# tests/fuzz/run_h1.sh [SECONDS] -- a long fuzzing run of the native engine's
# response reader with afl++ (Debian's afl++ package): builds the harness
# with afl-cc against a separately instrumented copy of the runtime's message
# code, then runs afl-fuzz on tests/fuzz/corpus/h1 for SECONDS (default 600).
# Findings land in build/fuzz/h1/out; replay one with build/fuzz_h1 FILE.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-600}
out=build/fuzz/h1
mkdir -p "$out"
AFL_CC=${AFL_CC:-afl-cc}
$AFL_CC -std=c11 -O1 -g -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iruntime \
    -o "$out/fuzz_h1" tests/fuzz/fuzz_h1.c runtime/h1msg.c runtime/neterr.c \
    runtime/builtins.c -lhttp_parser -lz -lm 2>"$out/build.log" || {
    # builtins.c pulls in the rest of the runtime: link the library instead
    $AFL_CC -std=c11 -O1 -g -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iruntime \
        -o "$out/fuzz_h1" tests/fuzz/fuzz_h1.c build/lib/swarm/libswarm.a \
        -lcurl -levent -lhttp_parser -lz -lm
}
AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
    timeout "$secs" afl-fuzz -i tests/fuzz/corpus/h1 -o "$out/out" -- "$out/fuzz_h1" @@ || true
echo "fuzz_h1: crashes in $out/out/default/crashes (if any):"
ls "$out/out/default/crashes" 2>/dev/null | grep -v README || echo "none"
