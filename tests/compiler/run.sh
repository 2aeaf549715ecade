#!/usr/bin/env bash
# tests/compiler/run.sh -- swarmc's own tests. Run from the repository root
# after building build/swarmc. Prints one "ok - ..." / "not ok - ..." line per
# case; exits 1 when any case failed.
#
#   errors/NAME.swarm   golden diagnostics: stderr of `swarmc --check` must
#                       equal errors/NAME.expected byte for byte, and the exit
#                       status must be 1 (0 for warn_* files: warnings only)
#   ok/NAME.swarm       must pass --check silently with status 0
#   robustness          hostile inputs generated here must exit 1 quickly
#   usage               bad command lines exit 2
#
# To refresh a golden after an intended message change:
#   build/swarmc --check tests/compiler/errors/NAME.swarm 2> tests/compiler/errors/NAME.expected
set -u
cd "$(dirname "$0")/../.."
SWARMC=${SWARMC:-build/swarmc}
fails=0
ok()     { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; fails=$((fails + 1)); }

if [ ! -x "$SWARMC" ]; then
    not_ok "compiler: $SWARMC is not built"
    exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/swarmc-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# ---- the tree built for known sources (tests/compiler/ast_test.c) ----------
objs="build/grammar/parser.o build/grammar/lexer.o build/compiler/ast.o
      build/compiler/diag.o build/compiler/front.o build/compiler/check.o build/compiler/check_lang9.o
      build/compiler/numbers.o build/runtime/thrspec.o build/compiler/regex.o"
if ${CC:-cc} -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L \
       -D_DEFAULT_SOURCE -g ${CFLAGS:-} -Icompiler -Ibuild/grammar tests/compiler/ast_test.c \
       $objs -lpcre2-8 -o "$tmp/ast_test" 2> "$tmp/cc.log"; then
    "$tmp/ast_test" > "$tmp/ast.out"
    rc=$?
    cat "$tmp/ast.out"
    fails=$((fails + $(grep -c '^not ok' "$tmp/ast.out")))
    [ $rc -le 1 ] || not_ok "compiler ast: test program exits normally (status $rc)"
else
    not_ok "compiler ast: tests/compiler/ast_test.c builds"
    sed 's/^/# /' "$tmp/cc.log" | head -10
fi

# ---- golden diagnostics ------------------------------------------------
for src in tests/compiler/errors/*.swarm; do
    name=$(basename "$src" .swarm)
    want_rc=1
    case $name in warn_*) want_rc=0 ;; esac
    exp=${src%.swarm}.expected
    timeout 90 "$SWARMC" --check "$src" 2> "$tmp/err" > "$tmp/out"
    rc=$?
    if [ ! -f "$exp" ]; then
        not_ok "compiler: errors/$name has no .expected file"
    elif [ $rc -ne $want_rc ]; then
        not_ok "compiler: errors/$name exits $want_rc (got $rc)"
    elif ! cmp -s "$exp" "$tmp/err"; then
        not_ok "compiler: errors/$name diagnostics match the golden file"
        diff -u "$exp" "$tmp/err" | sed 's/^/# /' | head -20
    elif [ -s "$tmp/out" ]; then
        not_ok "compiler: errors/$name prints nothing on stdout"
    else
        ok "compiler: errors/$name"
    fi
done

# ---- scripts that must be accepted ----------------------------------------
for src in tests/compiler/ok/*.swarm; do
    name=$(basename "$src" .swarm)
    timeout 90 "$SWARMC" --check "$src" > "$tmp/out" 2>&1
    rc=$?
    if [ $rc -eq 0 ] && [ ! -s "$tmp/out" ]; then
        ok "compiler: ok/$name passes --check silently"
    else
        not_ok "compiler: ok/$name passes --check silently (status $rc)"
        sed 's/^/# /' "$tmp/out" | head -10
    fi
done

# ---- no output binary when the script has errors --------------------------
"$SWARMC" tests/compiler/errors/unknown_variable.swarm -o "$tmp/nobin" 2> /dev/null
rc=$?
if [ $rc -eq 1 ] && [ -z "$(ls "$tmp" | grep nobin)" ]; then
    ok "compiler: a script error writes no binary and exits 1"
else
    not_ok "compiler: a script error writes no binary and exits 1 (status $rc)"
fi

# ---- full compile, when the runtime is built --------------------------------
if [ -f build/lib/swarm/libswarm.a ] && [ -f build/include/swarm/sw.h ]; then
    for src in tests/compiler/ok/*.swarm; do
        name=$(basename "$src" .swarm)
        timeout 120 "$SWARMC" "$src" -o "$tmp/$name" --emit-c "$tmp/$name.c" \
            > "$tmp/out" 2>&1
        rc=$?
        if [ $rc -eq 0 ] && [ -x "$tmp/$name" ] && [ -s "$tmp/$name.c" ] \
           && [ -z "$(ls "$tmp" | grep "^$name.tmp")" ]; then
            ok "compiler: ok/$name compiles to an executable"
        else
            not_ok "compiler: ok/$name compiles to an executable (status $rc)"
            sed 's/^/# /' "$tmp/out" | head -10
        fi
        rm -f "$tmp/$name" "$tmp/$name.c"
    done
    # A failing C compiler: exit 1, its output shown, nothing left behind.
    printf '#!/bin/sh\necho cc-said-no >&2\nexit 1\n' > "$tmp/badcc"
    chmod +x "$tmp/badcc"
    CC="$tmp/badcc" "$SWARMC" tests/compiler/ok/first_script.swarm \
        -o "$tmp/ccfail" > "$tmp/out" 2>&1
    rc=$?
    if [ $rc -eq 1 ] && [ -z "$(ls "$tmp" | grep ccfail)" ] \
       && grep -q cc-said-no "$tmp/out"; then
        ok "compiler: a C compiler failure exits 1 and leaves no binary"
    else
        not_ok "compiler: a C compiler failure exits 1 and leaves no binary (status $rc)"
    fi
fi

# ---- --emit-c alone writes the C file and nothing else ----------------------
"$SWARMC" tests/compiler/ok/first_script.swarm --emit-c "$tmp/only.c" > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q 'first_script.swarm' "$tmp/only.c"; then
    ok "compiler: --emit-c writes C naming the script path"
else
    not_ok "compiler: --emit-c writes C naming the script path (status $rc)"
fi

# ---- robustness: hostile inputs exit 1, no crash, no hang ------------------
gen_inputs() {
    head -c 300000 /dev/urandom > "$tmp/garbage.swarm"
    python3 - "$tmp" <<'EOF'
import sys, random
d = sys.argv[1]
random.seed(7)
line = 'task t%d { get "/x/${random(1, 9)}" as r { expect r.ok else "no" } }\n'
with open(d + '/big.swarm', 'w') as f:        # about 10 MB, valid
    n, i = 0, 0
    while n < 10 * 1024 * 1024:
        s = line % i
        f.write(s); n += len(s); i += 1
    f.write('task t0 { get "/dup" }\n')            # one error at the very end
with open(d + '/nested.swarm', 'w') as f:
    f.write('task t {\n' + 'if true {\n' * 10000 + '}\n' * 10000 + '}\n')
with open(d + '/parens.swarm', 'w') as f:
    f.write('task t { log ' + '(' * 10000 + '1' + ')' * 10000 + ' }\n')
with open(d + '/chain.swarm', 'w') as f:
    f.write('task t { log 1' + ' + 1' * 100000 + ' }\n')
with open(d + '/interp.swarm', 'w') as f:
    f.write('task t { log ' + '"${' * 10000 + '1' + '}"' * 10000 + ' }\n')
with open(d + '/utf8.swarm', 'wb') as f:
    f.write(b'task t {\n  log "\xff\xfe caf\xc3\xa9 \xed\xa0\x80"\n'
            b'  \xc3\xa9 = 1\x00\n  get "/\x00\x80"\n}\n\x00\x00\xc0')
with open(d + '/tokens.swarm', 'w') as f:         # random valid tokens
    toks = ['task', 'x', '{', '}', '(', ')', 'get', '"/a"', '"${', '}"', 'if',
            'let', '=', '+', '.', 'json', 'as', 'r', '1s', '42', ',', '[', ']',
            'poll', 'every', 'spawn', 'success', 'failure', 'expect', 'else',
            'user', 'wait', 'between', 'and', ':', '#', '\n', '"', '\\']
    f.write(' '.join(random.choice(toks) for _ in range(200000)))
EOF
}
if command -v python3 > /dev/null; then
    gen_inputs
    for name in garbage big nested parens chain interp utf8 tokens; do
        timeout 90 "$SWARMC" --check "$tmp/$name.swarm" > /dev/null 2> "$tmp/err"
        rc=$?
        if [ $rc -eq 1 ] && [ -s "$tmp/err" ]; then
            ok "compiler: robustness $name input exits 1 with diagnostics"
        else
            not_ok "compiler: robustness $name input exits 1 with diagnostics (status $rc)"
        fi
    done
    # The error cap: at most 50 errors printed, then one closing line.
    timeout 90 "$SWARMC" --check "$tmp/garbage.swarm" 2> "$tmp/err"
    n=$(grep -c ': error: ' "$tmp/err")
    if [ "$n" -eq 50 ] && tail -1 "$tmp/err" | grep -q 'too many errors'; then
        ok "compiler: errors are capped at 50 with a closing line"
    else
        not_ok "compiler: errors are capped at 50 with a closing line ($n errors)"
    fi
    # The 10 MB file's only error is on its last line.
    timeout 90 "$SWARMC" --check "$tmp/big.swarm" 2> "$tmp/err"
    lines=$(wc -l < "$tmp/big.swarm")
    if grep -q "big.swarm:$lines:6: error: duplicate task 't0'" "$tmp/err"; then
        ok "compiler: 10 MB file is checked to its last line"
    else
        not_ok "compiler: 10 MB file is checked to its last line"
    fi
else
    not_ok "compiler: python3 is needed to generate robustness inputs"
fi

# ---- usage errors ---------------------------------------------------------
usage_case() {  # description, args...
    local what=$1; shift
    "$SWARMC" "$@" > "$tmp/out" 2> "$tmp/err"
    local rc=$?
    if [ $rc -eq 2 ] && [ "$(wc -l < "$tmp/err")" -eq 1 ]; then
        ok "compiler: usage: $what exits 2 with one line"
    else
        not_ok "compiler: usage: $what exits 2 with one line (status $rc)"
    fi
}
usage_case "no arguments"
usage_case "unknown flag" --frobnicate tests/compiler/ok/first_script.swarm -o "$tmp/x"
usage_case "missing input file" "$tmp/does-not-exist.swarm" -o "$tmp/x"
usage_case "missing -o" tests/compiler/ok/first_script.swarm
usage_case "-o without a value" tests/compiler/ok/first_script.swarm -o
"$SWARMC" --version > "$tmp/out" 2>&1 && grep -q '^swarmc ' "$tmp/out" \
    && ok "compiler: --version" || not_ok "compiler: --version"
"$SWARMC" --help > "$tmp/out" 2>&1 && grep -q 'usage: swarmc' "$tmp/out" \
    && ok "compiler: --help" || not_ok "compiler: --help"

[ $fails -eq 0 ]
