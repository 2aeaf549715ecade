#!/usr/bin/env bash
# tests/e2e/hatch.sh -- `--users 6 --hatch-rate 2` starts one user every
# 0.5 s: the times the target first saw each user id (X-User-Id) span about
# 2.5 s and grow by about 0.5 s each. Loose bounds: behaviour, not a benchmark.
. "$(dirname "$0")/lib.sh"
e2e_init hatch
target_start
swarm_compile samples/basic.swarm "$E2E_TMP/basic" || e2e_finish

swarm_run 30 "$E2E_TMP/basic" --users 6 --hatch-rate 2 --run-time 5s --host "$TARGET_URL"
t_eq "exit status 0" "$RUN_RC" 0
stats_fetch "$E2E_TMP/s.json"
t_eq "the target saw user ids 0..5" \
    "$(stats_num "$E2E_TMP/s.json" 'sorted(d["users"], key=int)')" "['0', '1', '2', '3', '4', '5']"
span=$(stats_num "$E2E_TMP/s.json" 'max(d["users"].values()) - min(d["users"].values())')
t_py "first and last user start 2.0..3.5 s apart (got $span)" '2.0 <= s <= 3.5' s="$span"
gaps=$(stats_num "$E2E_TMP/s.json" \
    '" ".join("%.3f" % (b - a) for a, b in zip(sorted(d["users"].values()), sorted(d["users"].values())[1:]))')
t_py "consecutive users start 0.2..0.9 s apart (gaps $gaps)" \
    'all(0.2 <= float(g) <= 0.9 for g in gaps.split())' "gaps=$gaps"
t_eq "users start in user_id order" \
    "$(stats_num "$E2E_TMP/s.json" 'sorted(d["users"], key=lambda u: d["users"][u])')" \
    "['0', '1', '2', '3', '4', '5']"
e2e_finish
