#!/usr/bin/env bash
# tests/e2e/hostile.sh -- answers a well-behaved server never gives, from a
# raw-socket server (hostile.py): an unrequested 101 Switching Protocols is a
# failure saying upgrades are not supported; a header line over 64 KB, a
# 100 MB header line and more than 256 KB of header lines are each the failure
# "response header too large ..." (never "Out of memory"); a URL holding
# \u0000 is a failure saying so and is never sent cut short; failure
# messages built from 1 MB bodies are kept to 1 KB and cost no memory.
. "$(dirname "$0")/lib.sh"
e2e_init hostile
hostile_start
swarm_script hostile <<'SW' || e2e_finish
wait 20ms
task upgrade { get "/101" name "101" }
task long_line { get "/hdr/70000" name "hdr70k" }
task huge_line { get "/hdr/104857600" name "hdr100m" }
task many_lines { get "/manyhdr/20" name "many" }
task nul { get "/nul\u0000/evil" name "nul" }
task fine { get "/ok" name "ok" }
SW
swarm_run 60 "$E2E_TMP/hostile" --users 2 --hatch-rate 10 --run-time 4s --host "$HOSTILE_URL" \
    --csv "$E2E_TMP/h" --only-summary
t_eq "exit status 1 (requests failed)" "$RUN_RC" 1
S="$E2E_TMP/h_stats.csv" F="$E2E_TMP/h_failures.csv"
for n in 101 hdr70k hdr100m many nul; do
    reqs=$(csv_get "$S" "Request Count" "Name=$n")
    fails=$(csv_get "$S" "Failure Count" "Name=$n")
    t_py "$n: every request failed ($fails of $reqs)" 'r > 0 and f == r' r="$reqs" f="$fails"
done
t_eq "ok: no failure" "$(csv_get "$S" "Failure Count" "Name=ok")" 0
msg() { csv_get "$F" Error "Name=$1"; }
t_check "101: the message says upgrades are not supported ($(msg 101))" \
    grep -q 'HTTP 101 Switching Protocols: protocol upgrades' <<<"$(msg 101)"
for n in hdr70k hdr100m many; do
    t_eq "$n: 'response header too large'" "$(msg "$n")" \
        "response header too large (a line over 64 KB or over 256 KB in all)"
done
t_check "nul: the message names the NUL byte ($(msg nul))" grep -q 'NUL byte' <<<"$(msg nul)"
t_check "no 'Out of memory' anywhere" bash -c "! grep -qi 'out of memory' '$F' '$RUN_OUT' '$RUN_ERR'"
counts=$(curl -s --max-time 5 "$HOSTILE_URL/__count")
t_py "the URL with a NUL was never sent (server counts: $counts)" '"nul" not in c' c="$counts"

# failure messages built from 1 MB bodies: kept to 1 KB (with the marker),
# so distinct huge messages cost no memory (max RSS well under what 1 MB
# per distinct message would take)
target_start
swarm_script bigfail <<'SW' || e2e_finish
wait 10ms
task big { get "/bytes/1048576" name "big" as r { failure "body " + str(random(1, 1000000)) + " " + r.text } }
SW
/usr/bin/time -f '%M' -o "$E2E_TMP/rss" timeout -k 5 60 "$E2E_TMP/bigfail" --users 4 --hatch-rate 100 \
    --run-time 6s --host "$TARGET_URL" --csv "$E2E_TMP/bf" --only-summary >/dev/null 2>"$E2E_TMP/bf.err"
rss=$(tail -n 1 "$E2E_TMP/rss")
fails=$(csv_get "$E2E_TMP/bf_stats.csv" "Failure Count" Name=big)
distinct=$(($(wc -l <"$E2E_TMP/bf_failures.csv") - 1))
# (kept whole, each distinct message would add 1 MB; allowed: 300 KB each
# over a 40 MB base)
t_py "huge failure messages: $fails failures, $distinct distinct, max RSS ${rss} KB" \
    'f >= 20 and d >= 20 and r < base + 300 * d' f="$fails" d="$distinct" r="$rss" \
    base="$([ -n "${SWARM_SANITIZER_LOGS:-}" ] && echo 400000 || echo 40000)"  # ASan: shadow + 256 MB quarantine
len=$(python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(max(len(r["Error"].encode()) for r in rows))' "$E2E_TMP/bf_failures.csv")
t_eq "huge failure messages: each kept to 1023 bytes" "$len" 1023
t_check "huge failure messages: the cut is marked" grep -q 'x \[\.\.\. cut at 1 KB\]' "$E2E_TMP/bf_failures.csv"
e2e_finish
