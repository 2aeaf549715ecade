#!/usr/bin/env bash
# tests/e2e/cli.sh -- the binary's command line (CLI.md): a bad option value,
# an unknown option or a bad host URL each give exit status 2 and a one-line
# message on stderr; --version and --help exit 0.
. "$(dirname "$0")/lib.sh"
e2e_init cli
target_start
swarm_script cli <<'SW' || e2e_finish
host "http://127.0.0.1:1"
wait 100ms
task t { get "/" }
SW
bin="$E2E_TMP/cli"

# bad_usage DESC ARGS...: exit 2, exactly one line on stderr, no request sent.
bad_usage() {
    local desc=$1; shift
    stats_reset
    swarm_run 20 "$bin" --run-time 2s "$@"
    t_eq "$desc: exit status 2" "$RUN_RC" 2
    t_eq "$desc: one line on stderr" "$(wc -l <"$RUN_ERR" | tr -d ' ')" 1
    stats_fetch "$E2E_TMP/s.json"
    t_eq "$desc: no request sent" "$(stats_num "$E2E_TMP/s.json" 'sum(d["requests"].values())')" 0
}

bad_usage "--users abc" --users abc --host "$TARGET_URL"
bad_usage "--hatch-rate -3" --users 1 --hatch-rate -3 --host "$TARGET_URL"
bad_usage "--run-time soon" --users 1 --run-time soon --host "$TARGET_URL"
bad_usage "--users without a value" --host "$TARGET_URL" --users
bad_usage "unknown option --bogus" --users 1 --bogus --host "$TARGET_URL"
bad_usage "bad host URL" --users 1 --host "not a url"
bad_usage "host URL with an unsupported scheme" --users 1 --host "ftp://127.0.0.1:$TARGET_PORT"
bad_usage "host URL with port 99999" --users 1 --host "http://127.0.0.1:99999"
bad_usage "--csv into a missing directory" --users 1 --host "$TARGET_URL" --csv "$E2E_TMP/no/such/dir/run"
bad_usage "--json into a missing directory" --users 1 --host "$TARGET_URL" --json "$E2E_TMP/nowhere/r.json"

# No host anywhere (no `host`, no --host): exit 2 before starting, one
# sentence saying what to pass (swarmc itself refuses a host that is not
# an http(s) URL).
swarm_script nohost <<'SW' || e2e_finish
wait 100ms
task t { get "/" }
SW
bin_saved=$bin
bin="$E2E_TMP/nohost"
bad_usage "no host, headless" --users 1
t_check "no host: the message says to pass --host" grep -q -- '--host http://HOST:PORT' "$RUN_ERR"
bad_usage "no host, --web with --users" --users 1 --web --web-port "$(free_port)"
bin=$bin_saved

swarm_run 20 "$bin" --version
t_eq "--version: exit status 0" "$RUN_RC" 0
t_check "--version: prints a version" grep -q '[0-9]' "$RUN_OUT"

swarm_run 20 "$bin" --help
t_eq "--help: exit status 0" "$RUN_RC" 0
t_check "--help: lists --users and --hatch-rate" grep -q -- '--hatch-rate' "$RUN_OUT"
t_check "--help: lists --run-time" grep -q -- '--run-time' "$RUN_OUT"

swarm_run 20 "$bin" -h
t_eq "-h: exit status 0" "$RUN_RC" 0
e2e_finish
