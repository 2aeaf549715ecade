#!/usr/bin/env bash
# tests/e2e/make.sh -- the Makefile, in a copy of the tree (sources plus the
# build/ that make check just made, modification times kept):
#  - plain `make` (no target) is `all`: swarmc, libswarm.a, sw.h, demo-target;
#  - every output lands under build/, or under B=dir when given;
#  - LDFLAGS and LDLIBS reach every link line;
#  - header dependencies: a built tree is up to date, and touching a header
#    (compiler/ast.h, runtime/value.h, tests/units/check.h) or a grammar file
#    rebuilds exactly the objects that include it, and nothing else.
. "$(dirname "$0")/lib.sh"
e2e_init make

# Run make in the copy without the outer make's flags (jobserver, -n, ...),
# keeping the compile flags the suite was built with (a sanitized build).
mk() {
    local extra=()
    [ -n "${CFLAGS:-}" ] && extra+=("CFLAGS=$CFLAGS")
    (cd "$TREE" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
        timeout 300 make --no-print-directory "${extra[@]}" "$@")
}
# outputs: the -o files and the archive of a `make -n` listing on stdin.
outputs() {
    grep -oE '( -o |ar rcs )[^ ]+' | awk '{ print $NF }' | sort -u
}

TREE="$E2E_TMP/tree"
mkdir -p "$TREE"
tar -C . --exclude=./.git --exclude=./build --exclude='./build-*' \
    --exclude=node_modules -cf - . | tar -C "$TREE" -xf -

# ---- a clean tree: what plain `make` would do -------------------------------
mk -n >"$E2E_TMP/clean.n" 2>&1
outs=$(outputs <"$E2E_TMP/clean.n")
for f in build/swarmc build/lib/swarm/libswarm.a build/demo-target; do
    t_check "plain make builds $f" grep -qx "$f" <<<"$outs"
done
t_check "plain make installs build/include/swarm/sw.h" \
    grep -q 'cp runtime/sw.h build/include/swarm/sw.h' "$E2E_TMP/clean.n"
t_eq "plain make writes nothing outside build/" \
    "$(grep -vc '^build/' <<<"$outs")" 0
t_check "every compile writes its header dependencies (-MMD -MP)" \
    bash -c '! grep -E -- " -c " "$1" | grep -qv -- "-MMD -MP"' _ "$E2E_TMP/clean.n"

mk -n B=out all units >"$E2E_TMP/b.n" 2>&1
outs=$(outputs <"$E2E_TMP/b.n")
t_check "make B=out builds out/swarmc" grep -qx out/swarmc <<<"$outs"
t_eq "make B=out writes only under out/" "$(grep -vc '^out/' <<<"$outs")" 0

mk -n all units LDFLAGS=-Wl,-zmarkerldflags LDLIBS=-lmarkerlibs >"$E2E_TMP/ld.n" 2>&1
links=$(grep -E -- ' -o ' "$E2E_TMP/ld.n" | grep -v -- ' -c ' | grep -vE '\.[yl]$')
nlinks=$(grep -c . <<<"$links")
t_py "link lines found ($nlinks)" 'n >= 3' n="$nlinks"
t_eq "LDFLAGS on every link line" "$(grep -c -- -Wl,-zmarkerldflags <<<"$links")" "$nlinks"
t_eq "LDLIBS on every link line" "$(grep -c -- -lmarkerlibs <<<"$links")" "$nlinks"

# ---- a built tree: header dependencies ---------------------------------------
if [ ! -f build/compiler/ast.d ]; then
    t_fail "build/ has no .d files (run make all units with this Makefile first)"
    e2e_finish
fi
cp -a build "$TREE/build"
mk -q all units
t_eq "a freshly built tree is up to date (make -q)" "$?" 0

# rebuilt FILE: the outputs `make -n all units` lists after touching FILE in
# the copy; then FILE gets its old time back (the tree is up to date again).
rebuilt() {
    touch "$TREE/$1"
    mk -n all units 2>&1 | outputs | tr '\n' ' '
    touch -r "$1" "$TREE/$1"
}
# has / lacks: whether a space-separated list contains a word.
has()   { [[ " $1 " == *" $2 "* ]]; }
lacks() { ! has "$@"; }

r=$(rebuilt compiler/ast.h)
for o in build/grammar/parser.o build/grammar/lexer.o build/compiler/ast.o \
         build/compiler/check.o build/swarmc; do
    t_check "touching compiler/ast.h rebuilds $o" has "$r" "$o"
done
t_check "touching compiler/ast.h rebuilds no runtime object" \
    bash -c '[[ "$1" != *build/runtime/* ]]' _ "$r"
mk -q all units
t_eq "up to date again once ast.h has its old time" "$?" 0

# A dry run cannot show what follows a grouped (bison) target, so this one
# is a real build in the copy.
touch "$TREE/grammar/parser.y"
mk all >"$E2E_TMP/gram.log" 2>&1
t_eq "make after touching grammar/parser.y exits 0" "$?" 0
r=$(outputs <"$E2E_TMP/gram.log" | tr '\n' ' ')
t_check "touching grammar/parser.y reruns bison" grep -q 'bison.*grammar/parser.y' "$E2E_TMP/gram.log"
t_check "touching grammar/parser.y rebuilds build/grammar/parser.o" has "$r" build/grammar/parser.o
t_check "touching grammar/parser.y rebuilds build/grammar/lexer.o" has "$r" build/grammar/lexer.o
t_check "touching grammar/parser.y rebuilds no compiler/ object" \
    bash -c '[[ "$1" != *build/compiler/* ]]' _ "$r"
mk -q all units
t_eq "up to date again after that make" "$?" 0

r=$(rebuilt runtime/value.h)
t_check "touching runtime/value.h rebuilds build/runtime/value.o" has "$r" build/runtime/value.o
t_check "touching runtime/value.h rebuilds libswarm.a" has "$r" build/lib/swarm/libswarm.a
t_check "touching runtime/value.h relinks the unit tests" has "$r" build/tests/test_value
t_check "touching runtime/value.h rebuilds no compiler object" \
    bash -c '[[ "$1" != *build/compiler/* ]]' _ "$r"

r=$(rebuilt tests/units/check.h)
t_check "touching tests/units/check.h rebuilds build/units/test_value.o" has "$r" build/units/test_value.o
t_check "touching tests/units/check.h rebuilds no runtime object" \
    bash -c '[[ "$1" != *build/runtime/* ]]' _ "$r"

# ---- a real plain `make` relinks what is missing --------------------------------
rm -f "$TREE/build/swarmc" "$TREE/build/demo-target" \
      "$TREE/build/lib/swarm/libswarm.a" "$TREE/build/include/swarm/sw.h"
mk >"$E2E_TMP/relink.log" 2>&1
t_eq "plain make exits 0" "$?" 0
for f in build/swarmc build/demo-target; do
    t_check "plain make made $f" test -x "$TREE/$f"
done
t_check "plain make made libswarm.a" test -s "$TREE/build/lib/swarm/libswarm.a"
t_check "plain make made sw.h" test -s "$TREE/build/include/swarm/sw.h"
t_check "the rebuilt swarmc runs" bash -c '"$1" --version >/dev/null' _ "$TREE/build/swarmc"
e2e_finish
