#!/usr/bin/env bash
# bench/compile.sh -- compile-time scale of swarmc (called by bench/run.sh;
# runs alone too). For generated scripts with a 1k, 10k and 100k-element
# list literal (half constants, half expressions) and with 100k `var`s:
# the time to generate C (swarmc --emit-c, no -o) and the whole compile
# (swarmc -o: generate + cc -O2 + link). Prints a table and writes it to
# build/bench/compile.md. Knobs: COMPILE_SIZES="1000 10000 100000"
# COMPILE_VARS=100000 COMPILE_LIMIT=900 (seconds per step) SWARMC=build/swarmc
set -u
cd "$(dirname "$0")/.." || exit 2
SWARMC=${SWARMC:-build/swarmc}
SIZES=${COMPILE_SIZES:-1000 10000 100000}
NVARS=${COMPILE_VARS:-100000}
LIMIT=${COMPILE_LIMIT:-900}
OUT=build/bench/compile
mkdir -p "$OUT"
[ -x "$SWARMC" ] || { echo "compile.sh: $SWARMC is not built (make all)" >&2; exit 2; }

secs() {  # COMMAND...: run it under timeout; print elapsed seconds, or "timeout"
    local t0 t1
    t0=$(date +%s.%N)
    if timeout "$LIMIT" "$@" >/dev/null 2>"$OUT/last.err"; then
        t1=$(date +%s.%N)
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
    else
        echo "failed/timeout"
    fi
}

gen_list() {  # N FILE
    python3 - "$1" >"$2" <<'PY'
import sys
n = int(sys.argv[1])
items = ", ".join(str(i) if i % 2 else "k + %d" % i for i in range(n))
print('host "http://127.0.0.1:1"\ntask t {\n    let k = 1\n    let l = [%s]\n    log len(l)\n}' % items)
PY
}
gen_vars() {  # N FILE
    python3 - "$1" >"$2" <<'PY'
import sys
n = int(sys.argv[1])
print('host "http://127.0.0.1:1"')
for i in range(n):
    print("var v%d = %d" % (i, i))
print('task t { log v0 }')
PY
}

table="| script | generate C (s) | swarmc -o, with cc -O2 (s) |
| --- | ---: | ---: |"
for n in $SIZES; do
    gen_list "$n" "$OUT/list$n.swarm"
    g=$(secs "$SWARMC" "$OUT/list$n.swarm" --emit-c "$OUT/list$n.c")
    c=$(secs "$SWARMC" "$OUT/list$n.swarm" -o "$OUT/list$n")
    table="$table
| list literal, $n elements | $g | $c |"
done
gen_vars "$NVARS" "$OUT/vars.swarm"
g=$(secs "$SWARMC" "$OUT/vars.swarm" --emit-c "$OUT/vars.c")
c=$(secs "$SWARMC" "$OUT/vars.swarm" -o "$OUT/vars")
table="$table
| $NVARS \`var\`s | $g | $c |"
printf '%s\n' "$table" | tee build/bench/compile.md
