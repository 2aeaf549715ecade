#!/usr/bin/env bash
# tests/e2e/data.sh -- test data files (LANGUAGE.md section 9, issue 9):
#  - `data accounts = csv "F"`: each user logs in with the row next() gave
#    it; the target accepts exactly one login per row, so no two users got
#    the same row while rows lasted; with more users than rows, next() wraps;
#  - `data NAME = json "F"` rows read as objects, relative to --data-dir;
#  - a missing or malformed file: exit 2 before the run, naming file and line.
. "$(dirname "$0")/lib.sh"
e2e_init data
target_start
mkdir -p "$E2E_TMP/d"
{
    echo "user,password"
    for i in 0 1 2 3 4; do echo "acct$i,pw-acct$i"; done
} > "$E2E_TMP/d/accounts.csv"
echo '[{"slug": "new york"}, {"slug": "paris"}]' > "$E2E_TMP/d/places.json"
swarm_script data <<'SW' || e2e_finish
host "http://127.0.0.1:1"
data accounts = csv "accounts.csv"
data places = json "places.json"

on start {
    let a = next(accounts)
    get "/s/login" as form
    let token = match(form.text, "name=\"csrf\" value=\"([^\"]+)\"")
    post "/s/login" form {"user": a.user, "password": a.password, "csrf": token} as r {
        expect r.status == 200 else "login refused for " + a.user
    }
    let p = places[user_id % 2]
    get "/s/headers/${p.slug}" name "/s/headers/{slug}" as h {
        expect h.json.uri == "/s/headers/" + replace(p.slug, " ", "%20") else h.json.uri
    }
    log "row", a.user, "of", len(accounts)
    stop user
}
task t { sleep 10ms }
SW
swarm_run 60 "$E2E_TMP/data" --users 5 --hatch-rate 100 --run-time 3s \
    --host "$TARGET_URL" --data-dir "$E2E_TMP/d"
curl -s --max-time 5 "$TARGET_URL/s/__stats" > "$E2E_TMP/t.json"
t_eq "5 users, 5 rows: exit status 0" "$RUN_RC" 0
t_eq "the target accepted 5 logins" "$(stats_num "$E2E_TMP/t.json" 'd["logins_ok"]')" 5
t_eq "each row went to exactly one user" \
    "$(grep -o 'row acct[0-9] of 5' "$RUN_ERR" | sort -u | wc -l)" 5

curl -s --max-time 5 -X POST "$TARGET_URL/__reset" > /dev/null
swarm_run 60 "$E2E_TMP/data" --users 7 --hatch-rate 100 --run-time 3s \
    --host "$TARGET_URL" --data-dir "$E2E_TMP/d"
t_eq "7 users, 5 rows: exit status 0" "$RUN_RC" 0
t_eq "next() wrapped: acct0 and acct1 twice, the others once" \
    "$(grep -o 'row acct[0-9]' "$RUN_ERR" | sort | uniq -c | awk '{print $1}' | tr -d '\n')" 22111

# missing file and malformed files: exit 2 before the run, file and line
swarm_run 30 "$E2E_TMP/data" --users 1 --run-time 1s --host "$TARGET_URL"
t_eq "missing file (no --data-dir): exit status 2" "$RUN_RC" 2
t_check "the message names the file" grep -q "accounts.csv: cannot read the data file" "$RUN_ERR"
printf 'user,password\nacct0,pw\nacct1\n' > "$E2E_TMP/d/accounts.csv"
swarm_run 30 "$E2E_TMP/data" --users 1 --run-time 1s --host "$TARGET_URL" --data-dir "$E2E_TMP/d"
t_eq "short CSV row: exit status 2" "$RUN_RC" 2
t_check "file and line given" grep -q "accounts.csv:3: the row has 1 field, the header has 2" "$RUN_ERR"
t_check "no request was made" bash -c "! grep -q Aggregated '$RUN_OUT'"
printf 'user,password\nacct0,pw\n' > "$E2E_TMP/d/accounts.csv"
printf '[{"slug": "a"},\n {"slug": }]\n' > "$E2E_TMP/d/places.json"
swarm_run 30 "$E2E_TMP/data" --users 1 --run-time 1s --host "$TARGET_URL" --data-dir "$E2E_TMP/d"
t_eq "bad JSON: exit status 2" "$RUN_RC" 2
t_check "file and line given" grep -q "places.json:2: not valid JSON" "$RUN_ERR"
e2e_finish
