#!/usr/bin/env bash
# tests/e2e/biglit.sh -- big literals compile (as static tables, not one
# variadic call with N arguments) and give the right values: a
# 5,000-element constant list, a list with non-constant items, an object
# and an interpolation of as many parts, in a body, a `var` and a `global`.
# Not a timed test; bench/compile.sh measures compile times.
. "$(dirname "$0")/lib.sh"
e2e_init biglit
N=5000      # constant items (a table only)
M=600       # items with expressions (a table, and helper functions)
python3 - "$N" "$M" >"$E2E_TMP/big.swarm" <<'PY'
import sys
n, m = int(sys.argv[1]), int(sys.argv[2])
consts = ", ".join(str(i) if i % 3 else '"s%d"' % i for i in range(n))
n = m
mixed = ", ".join("k + %d" % i if i % 2 else str(i) for i in range(n))
obj = ", ".join('"k%d": %s' % (i, "k * %d" % i if i % 2 else str(i)) for i in range(n))
interp = "".join("${k}." if i % 2 else "x" for i in range(n))
print('host "http://127.0.0.1:1"')
print("global G = [%s]" % ", ".join(str(i * 2) for i in range(int(sys.argv[1]))))
print("var V = [%s]" % mixed.replace("k + ", "1000 + user_id * 0 + "))
print("task t {")
print("    let k = 7")
print("    let a = [%s]" % consts)
print("    let b = [%s]" % mixed)
print("    let o = {%s}" % obj)
print('    let s = "%s"' % interp)
print('    log "BIG", len(a), a[0], a[1], a[4998], a[4999], len(b), b[598], b[599], len(o), o["k599"], o["k598"], len(s), len(G), G[4999], len(V), V[599]')
print("    sleep 10s")
print("}")
PY
# (swarmc directly, with more time than swarm_compile gives: on a busy
# machine running the suites in parallel cc can take minutes of wall time)
if ! timeout 500 build/swarmc "$E2E_TMP/big.swarm" -o "$E2E_TMP/big" >"$E2E_TMP/big.cc.log" 2>&1; then
    t_fail "swarmc big.swarm: $(head -n 3 "$E2E_TMP/big.cc.log")"
    e2e_finish
fi
t_ok "a script with $N-element literals compiles"
t_check "its C has static tables (no $N-argument call)" \
    build/swarmc "$E2E_TMP/big.swarm" --emit-c "$E2E_TMP/big.c"
t_check "the C holds LIT_ tables" grep -q 'static const sw_val LIT_' "$E2E_TMP/big.c"
no_variadic() { ! grep -q "sw_list($N\|sw_list($M\|sw_obj($M\|sw_interp($M" "$E2E_TMP/big.c"; }
t_check "no variadic call with $N or $M items" no_variadic
swarm_run 30 "$E2E_TMP/big" --users 1 --run-time 1s --host http://127.0.0.1:1
line=$(grep -m1 -o 'BIG .*' "$RUN_ERR")
# s: 300 "x" and 300 "7." = 900 bytes
t_eq "values of the big literals" "$line" \
    "BIG 5000 s0 1 s4998 4999 600 598 606 600 4193 598 900 5000 9998 600 1599"

# many vars: init_vars is split into parts of 256 (still every var set)
python3 - >"$E2E_TMP/vars.swarm" <<'PY'
print('host "http://127.0.0.1:1"')
for i in range(600):
    print("var v%d = %d" % (i, i * 3))
print('task t {\n    log "VARS", v0, v255, v256, v599\n    sleep 10s\n}')
PY
swarm_compile "$E2E_TMP/vars.swarm" "$E2E_TMP/vars" || e2e_finish
swarm_run 30 "$E2E_TMP/vars" --users 1 --run-time 1s --host http://127.0.0.1:1
t_eq "600 vars: every one initialised" "$(grep -m1 -o 'VARS .*' "$RUN_ERR")" "VARS 0 765 768 1797"
t_check "600 vars: init_vars is split into parts" \
    build/swarmc "$E2E_TMP/vars.swarm" --emit-c "$E2E_TMP/vars.c"
t_check "600 vars: part 3 exists" grep -q 'init_vars_vars_3(co, V);' "$E2E_TMP/vars.c"
e2e_finish
