# install.sh -- `make install` gives a swarmc that works from any directory:
# it finds its runtime library and header relative to itself, compiles a
# script given by a relative path, and the binary runs against the target.
. "$(dirname "$0")/lib.sh"
e2e_init install
target_start

dest="$E2E_TMP/dest"
make -s install PREFIX=/opt/swarm DESTDIR="$dest" >"$E2E_TMP/make.out" 2>&1
t_eq "make install exits 0" "$?" 0
for f in bin/swarmc lib/swarm/libswarm.a include/swarm/sw.h; do
    t_check "installs $f" [ -f "$dest/opt/swarm/$f" ]
done

work="$E2E_TMP/elsewhere"
mkdir -p "$work"
cp samples/basic.swarm "$work/"
(cd "$work" && timeout 120 "$dest/opt/swarm/bin/swarmc" basic.swarm -o basic) \
    >"$E2E_TMP/cc.out" 2>&1
t_eq "the installed swarmc compiles from another directory" "$?" 0
t_check "and writes the binary there" [ -x "$work/basic" ]

swarm_run 30 "$work/basic" --users 2 --hatch-rate 10 --run-time 2s \
    --host "$TARGET_URL" --only-summary
t_eq "the installed build's binary runs (exit 0)" "$RUN_RC" 0
t_check "and prints its summary" run_summary_printed
e2e_finish
