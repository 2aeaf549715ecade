#!/usr/bin/env bash
# tests/e2e/functions.sh -- functions and globals (LANGUAGE.md section 9):
#  - a top-level fn that logs in (requests, a regex, a response block) and
#    returns a value, called from `on start` of two user classes;
#  - a fn in a user class, recursive, sleeping between calls, returning a
#    value, called inside a response block;
#  - a runtime error in a fn fails the response block that called it (the
#    error is the caller's); the rest of the block does not run, the task
#    goes on after it;
#  - a global assigned in fns and tasks (one value per process).
. "$(dirname "$0")/lib.sh"
e2e_init functions
target_start
swarm_script fns <<'SW' || e2e_finish
host "http://127.0.0.1:1"
global logins = 0
global facts = 0

fn login(acct) {
    get "/s/login" as form
    let token = match(form.text, "name=\"csrf\" value=\"([^\"]+)\"")
    post "/s/login" form {"user": acct.user, "password": acct.password, "csrf": token} as r {
        expect r.status == 200 and cookie("sid") != null else "login refused"
    }
    logins = logins + 1
    return r.json.name
}

fn boom(x) {
    let y = x / 0
    return y
}

on test stop { log "logins:", logins, "facts:", facts }

user reader {
    var who = null
    fn fact(n) {
        if n <= 1 { return 1 }
        sleep 2ms
        let m = fact(n - 1)
        return n * m
    }
    on start { who = login({"user": "r${user_id}", "password": "pw-r${user_id}"}) }
    task t {
        get "/s/home" as home {
            let f = fact(5)
            facts = facts + 1
            expect home.json.name == who and f == 120 else "who=" + str(who) + " f=" + str(f)
        }
        stop user
    }
}

user breaker {
    var who = null
    on start { who = login({"user": "b${user_id}", "password": "pw-b${user_id}"}) }
    task t {
        get "/s/home" name "broken" as r {
            let v = boom(1)
            log "in the block after the error", v
        }
        log "after the block"
        stop user
    }
}
SW
swarm_run 60 "$E2E_TMP/fns" --users 4 --hatch-rate 50 --run-time 3s \
    --host "$TARGET_URL" --csv "$E2E_TMP/f"
curl -s --max-time 5 "$TARGET_URL/s/__stats" > "$E2E_TMP/t.json"
st="$E2E_TMP/f_stats.csv"
t_eq "a failing fn fails its caller's response: exit status 1" "$RUN_RC" 1
t_eq "the target accepted 4 logins made by the fn" \
    "$(stats_num "$E2E_TMP/t.json" 'd["logins_ok"]')" 4
t_eq "the global counted them (assigned in a fn)" \
    "$(grep -o 'logins: [0-9]* facts: [0-9]*' "$RUN_ERR")" "logins: 4 facts: 2"
t_eq "the readers' checks held (recursive fn with sleeps, in a response block)" \
    "$(csv_get "$st" "Failure Count" Type=GET Name=/s/home)" 0
t_eq "each breaker's response failed with the error from the fn" \
    "$(csv_get "$E2E_TMP/f_failures.csv" Occurrences Method=GET Name=broken "Error=division by zero")" 2
t_check "the rest of the block did not run" \
    bash -c "! grep -q 'in the block after the error' '$RUN_ERR'"
t_eq "the task went on after the failed block (as after any failed block)" \
    "$(grep -c 'after the block' "$RUN_ERR")" 2
e2e_finish
