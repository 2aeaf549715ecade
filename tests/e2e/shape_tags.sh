#!/usr/bin/env bash
# tests/e2e/shape_tags.sh -- load shapes and task tags (LANGUAGE.md
# section 9, issue 9):
#  - `shape { stage ... }` replaces --users/--hatch-rate: each stage
#    re-scales the run (the default rate reaches N linearly over the
#    stage), the run ends by itself after the last stage (no --run-time);
#    --json shows the shape (shape_stages);
#  - --tags runs only tagged tasks, --exclude-tags removes them (the target
#    counts what it served), and a selection that leaves no task is exit 2.
. "$(dirname "$0")/lib.sh"
e2e_init shape_tags
target_start
swarm_script shaped <<'SW' || e2e_finish
host "http://127.0.0.1:1"
wait 50ms
task read weight 2 tag "read", "fast" { get "/resources/1" }
task write tag "write" { post "/things" }
task other { get "/resources/2" }
shape {
    stage 1s users 3 rate 30
    stage 1500ms users 6
    stage 1s users 0 rate 100
}
SW
stats_reset
swarm_run 40 "$E2E_TMP/shaped" --headless --host "$TARGET_URL" --json "$E2E_TMP/r.json"
stats_fetch "$E2E_TMP/s.json"
t_eq "the shaped run ended by itself: exit status 0" "$RUN_RC" 0
t_check "stage 1: 3 users at the given rate" grep -q "Shape stage 1 of 3: 3 users at 30.00 users/s" "$RUN_ERR"
t_check "stage 2: 6 users, rate reaching them over the stage (3 in 1.5 s = 2/s)" \
    grep -q "Shape stage 2 of 3: 6 users at 2.00 users/s" "$RUN_ERR"
t_check "6 users were running" grep -q "All users hatched: shaped: 6 (6 total users)" "$RUN_ERR"
t_check "stage 3 lowered to 0" grep -q "Shape stage 3 of 3: 0 users at 100.00 users/s" "$RUN_ERR"
t_check "then the run stopped" grep -q "The shape's last stage ended; stopping the test" "$RUN_ERR"
t_eq "--json shows the shape" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["shape_stages"])' "$E2E_TMP/r.json")" 3
t_py "every task ran without tags selected" 'a > 0 and b > 0 and c > 0' \
    a="$(stats_num "$E2E_TMP/s.json" 'req("GET /resources/{id}")')" \
    b="$(stats_num "$E2E_TMP/s.json" 'req("POST /things")')" c="$(stats_num "$E2E_TMP/s.json" 'st(201)')"

swarm_script tagged <<'SW' || e2e_finish
host "http://127.0.0.1:1"
wait 20ms
task read tag "read", "fast" { get "/resources/1" }
task write tag "write" { post "/things" }
task other { get "/status/204" }
SW
stats_reset
swarm_run 30 "$E2E_TMP/tagged" --users 2 --hatch-rate 20 --run-time 1500ms \
    --host "$TARGET_URL" --tags write
stats_fetch "$E2E_TMP/t1.json"
t_eq "--tags write: exit 0" "$RUN_RC" 0
t_py "--tags write: only POST /things ran" 'w > 0 and r == 0 and o == 0' \
    w="$(stats_num "$E2E_TMP/t1.json" 'req("POST /things")')" \
    r="$(stats_num "$E2E_TMP/t1.json" 'req("GET /resources/{id}")')" o="$(stats_num "$E2E_TMP/t1.json" 'st(204)')"
stats_reset
swarm_run 30 "$E2E_TMP/tagged" --users 2 --hatch-rate 20 --run-time 1500ms \
    --host "$TARGET_URL" -T read,write -E fast
stats_fetch "$E2E_TMP/t2.json"
t_py "-T read,write -E fast: write only (read carries fast; other has no tag)" 'w > 0 and r == 0 and o == 0' \
    w="$(stats_num "$E2E_TMP/t2.json" 'req("POST /things")')" \
    r="$(stats_num "$E2E_TMP/t2.json" 'req("GET /resources/{id}")')" o="$(stats_num "$E2E_TMP/t2.json" 'st(204)')"
stats_reset
swarm_run 30 "$E2E_TMP/tagged" --users 2 --hatch-rate 20 --run-time 1500ms \
    --host "$TARGET_URL" --exclude-tags read,write
stats_fetch "$E2E_TMP/t3.json"
t_py "--exclude-tags read,write: only the untagged task" 'w == 0 and r == 0 and o > 0' \
    w="$(stats_num "$E2E_TMP/t3.json" 'req("POST /things")')" \
    r="$(stats_num "$E2E_TMP/t3.json" 'req("GET /resources/{id}")')" o="$(stats_num "$E2E_TMP/t3.json" 'st(204)')"
swarm_run 30 "$E2E_TMP/tagged" --users 2 --run-time 1s --host "$TARGET_URL" --tags nosuch
t_eq "--tags that match nothing: exit 2" "$RUN_RC" 2
t_check "with one line saying so" grep -q "no task is left to run with --tags nosuch" "$RUN_ERR"
e2e_finish
