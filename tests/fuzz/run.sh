#!/usr/bin/env bash
# tests/fuzz/run.sh -- replays every checked-in fuzz input through the
# harnesses built with the suite's compiler and flags (make fuzzers; under
# the sanitized CI run they carry ASan + UBSan): for each harness NAME
# (tests/fuzz/NAME.c -> build/fuzz/NAME), every file in
#   tests/fuzz/NAME/corpus/       the seed corpus (small inputs written by hand)
#   tests/fuzz/NAME/crashes/      crashes `make fuzz` found (not fixed yet)
#   tests/fuzz/NAME/regressions/  crashes that were fixed (kept as tests)
# is one check: "ok" when the harness exits 0 within 20 s, "not ok" on a
# crash, an abort (broken invariant), a sanitizer error or a hang.
set -u
cd "$(dirname "$0")/../.."
fails=0
for src in tests/fuzz/*.c; do
    name=$(basename "$src" .c)
    bin=build/fuzz/$name
    if [ ! -x "$bin" ]; then
        echo "not ok - fuzz $name: $bin is not built (make fuzzers)"
        fails=$((fails + 1))
        continue
    fi
    n=0
    for f in tests/fuzz/"$name"/corpus/* tests/fuzz/"$name"/crashes/* \
             tests/fuzz/"$name"/regressions/*; do
        [ -f "$f" ] || continue
        n=$((n + 1))
        rel=${f#tests/fuzz/}
        err=$(timeout -k 5 20 "$bin" "$f" 2>&1 >/dev/null)
        rc=$?
        if [ $rc -eq 0 ]; then
            echo "ok - fuzz replay $rel"
        else
            case $rc in
                124|137) why="hangs (killed after 20 s)" ;;
                *) why="exits $rc" ;;
            esac
            echo "not ok - fuzz replay $rel: $why"
            printf '%s\n' "$err" | grep -m 8 -E 'ERROR|runtime error|invariant|#[0-9] ' | sed 's/^/# /'
            fails=$((fails + 1))
        fi
    done
    if [ $n -eq 0 ]; then
        echo "not ok - fuzz $name: no inputs in tests/fuzz/$name/corpus/"
        fails=$((fails + 1))
    fi
done
[ $fails -eq 0 ]
