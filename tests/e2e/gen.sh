#!/usr/bin/env bash
# tests/e2e/gen.sh -- the code generator end to end (run from the repo root
# after `make build/swarmc`). For every tests/lang/*.swarm and samples/*.swarm:
# swarmc --emit-c succeeds, the C compiles with -Wall -Wextra -Werror, the
# output is byte-identical when emitted twice, carries #line directives
# naming the .swarm file and has no `switch`. Then the URL-template naming,
# and, when the runtime library exists, a generated program run against a
# local python3 http.server. Prints "ok - ..." / "not ok - ..." lines.
set -u
cd "$(dirname "$0")/../.."
SWARMC=${SWARMC:-build/swarmc}   # overridable for testing
INC=build/include/swarm
[ -f "$INC/sw.h" ] || INC=runtime
CFLAGS="-std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I$INC"
T=$(mktemp -d /tmp/swarm-gen.XXXXXX)
SERVER_PID=
TARGET_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
    [ -n "$TARGET_PID" ] && kill "$TARGET_PID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
failed=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; failed=1; }
check() {  # description command...
    local what=$1; shift
    if "$@" >/dev/null 2>"$T/err"; then ok "$what"; else
        notok "$what"; sed 's/^/#   /' "$T/err" | head -n 8; fi
}

if [ ! -x "$SWARMC" ]; then
    notok "gen: $SWARMC exists (run make build/swarmc)"
    exit 1
fi

# C with string literals and comments removed (for the `switch` check)
strip_c() { sed -E 's/"([^"\\]|\\.)*"/""/g; s@/\*([^*]|\*+[^*/])*\*+/@@g' "$1"; }

for f in tests/lang/*.swarm samples/*.swarm; do
    [ -f "$f" ] || continue
    b=$T/$(basename "$f" .swarm)
    if ! "$SWARMC" "$f" --emit-c "$b.c" 2>"$T/err"; then
        notok "gen: $f: swarmc --emit-c"; sed 's/^/#   /' "$T/err" | head -n 8
        continue
    fi
    ok "gen: $f: swarmc --emit-c"
    check "gen: $f: C compiles with -Wall -Wextra -Werror" "${CC:-cc}" $CFLAGS -fsyntax-only "$b.c"
    "$SWARMC" "$f" --emit-c "$b.2.c" 2>/dev/null
    check "gen: $f: deterministic output" cmp "$b.c" "$b.2.c"
    esc=$(printf '%s' "$f" | sed 's/[][\.*^$/]/\\&/g')
    check "gen: $f: #line directives name the .swarm" grep -q "^#line [0-9][0-9]* \"$esc\"" "$b.c"
    if strip_c "$b.c" | grep -qw switch; then notok "gen: $f: no switch statement"
    else ok "gen: $f: no switch statement"; fi
done

# ---- URL-template naming: "/things/${id}" is reported as "/things/{id}",
# a literal URL is its own name, a `name` option wins.
cat > "$T/naming.swarm" <<'EOF'
task t {
    let id = 1
    get "/things/${id}"
    get "/plain/path"
    get "/other/${id + 1}" name "custom"
}
EOF
if "$SWARMC" "$T/naming.swarm" --emit-c "$T/naming.c" 2>"$T/err"; then
    check "gen: template name /things/{id}" grep -q 'SW_STR_LIT("/things/{id}")' "$T/naming.c"
    k=$(sed -n 's/^static sw_str \(K[0-9]*\) = SW_STR_LIT("\/plain\/path");/\1/p' "$T/naming.c")
    check "gen: a literal URL is its own name" \
        grep -q "sw_req_new(co, SW_GET, sw_sval(&$k), sw_sval(&$k))" "$T/naming.c"
    check "gen: the name option replaces the template" grep -q 'SW_STR_LIT("custom")' "$T/naming.c"
    if grep -q 'SW_STR_LIT("/other/{' "$T/naming.c"; then notok "gen: no template constant when named"
    else ok "gen: no template constant when named"; fi
else
    notok "gen: naming script compiles"; sed 's/^/#   /' "$T/err" | head -n 8
fi

# ---- wait inheritance: a class declaring only max_wait (or min_wait) takes
# the other bound from the top level; a class `wait` replaces both.
cat > "$T/waits.swarm" <<'EOF'
min_wait 900
max_wait 1100
user A {
    max_wait 2000
    task t { log "a" }
}
user B {
    min_wait 1000
    task t { log "b" }
}
user C {
    wait 1s
    task t { log "c" }
}
user D {
    task t { log "d" }
}
EOF
if "$SWARMC" "$T/waits.swarm" --emit-c "$T/waits.c" 2>"$T/err"; then
    # "NAME WAIT-ROW" per class, in declaration order
    got=$(awk '/\.name = /{n=$3} /\.wait = /{sub(/^ *\.wait = /, ""); print n, $0}' "$T/waits.c" | tr -d '",')
    want='A { SW_WAIT_BETWEEN 900 2000 }
B { SW_WAIT_BETWEEN 1000 1100 }
C { SW_WAIT_CONST 1000 0 }
D { SW_WAIT_BETWEEN 900 1100 }'
    if [ "$got" = "$want" ]; then ok "gen: user classes combine their waits with the top level's"
    else notok "gen: user classes combine their waits with the top level's"
        printf '%s\n' "$got" | sed 's/^/#   got: /'; fi
else
    notok "gen: inherited waits compile"; sed 's/^/#   /' "$T/err" | head -n 8
fi

# ---- layout: every response block and every poll loop is its own block
# function (resp_<id> / poll_<id>) over the frame of the body containing it,
# named in a comment with its source line; the body keeps none of them inline.
cat > "$T/blocks.swarm" <<'EOF'
task t {
    get "/a" as a {
        poll every 1s for 5s {
            get "/b" as b {
                success
            }
            break
        }
    }
    get "/plain"
    poll every 2s {
        get "/c" as c { expect c.status == 200 }
        break
    }
}
EOF
if "$SWARMC" "$T/blocks.swarm" --emit-c "$T/blocks.c" 2>"$T/err"; then
    # "kind line" of each block function's comment, in file order
    got=$(sed -n 's/^\/\* \(resp\|poll\) [0-9]* of task_t: the [a-z ]* at line \([0-9]*\) \*\/$/\1 \2/p' "$T/blocks.c" | sort)
    want='poll 11
poll 3
resp 12
resp 2
resp 4'
    if [ "$got" = "$want" ]; then ok "gen: each response block and poll loop has its own commented function"
    else notok "gen: each response block and poll loop has its own commented function"
        printf '%s\n' "$got" | sed 's/^/#   got: /'; fi
    nfn=$(grep -cE '^static int (resp|poll)_[0-9]+\(sw_co \*co\)$' "$T/blocks.c")
    nframe=$(grep -A2 -E '^static int (resp|poll)_[0-9]+\(sw_co \*co\)$' "$T/blocks.c" |
             grep -c '^    struct task_t_frame \*F = sw_frame_of(co);$')
    if [ "$nfn" -eq 5 ] && [ "$nframe" -eq 5 ]; then ok "gen: the 5 block functions use the body's frame"
    else notok "gen: the 5 block functions use the body's frame (got $nfn functions, $nframe frames)"; fi
    body=$(awk '/^static sw_step task_t\(sw_co \*co\)$/,/^}$/' "$T/blocks.c")
    if printf '%s\n' "$body" | grep -qE 'for \(;;\)|response block|sw_settle'; then
        notok "gen: no response block or poll loop inline in the task function"
    else ok "gen: no response block or poll loop inline in the task function"; fi
    calls=$(printf '%s\n' "$body" | grep -cE '(resp|poll)_[0-9]+\(co\);')
    if [ "$calls" -eq 2 ]; then ok "gen: the task calls its 2 outermost block functions"
    else notok "gen: the task calls its 2 outermost block functions (got $calls)"; fi
else
    notok "gen: the block layout script compiles"; sed 's/^/#   /' "$T/err" | head -n 8
fi

# ---- a generated program really runs (needs the runtime library)
LIB=build/lib/swarm/libswarm.a
if [ ! -f "$LIB" ]; then
    echo "# skipped the run test: $LIB not built"
    exit $failed
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$T/www/things" && echo '{"id": 1}' > "$T/www/index.json"
(cd "$T/www" && exec python3 -m http.server "$port" --bind 127.0.0.1) >/dev/null 2>&1 &
SERVER_PID=$!
cat > "$T/run.swarm" <<EOF
host "http://127.0.0.1:$port"
wait 100ms
var hits = 0
task ok_page weight 2 {
    get "/index.json" as r {
        expect r.status == 200
        expect r.json.id == 1 else "bad id"
        hits = hits + 1
    }
}
task missing {
    get "/missing/\${random(1, 3)}" as m { expect m.status == 200 }
}
EOF
for _ in $(seq 50); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null && break
    sleep 0.1
done
if "$SWARMC" "$T/run.swarm" --emit-c "$T/run.c" 2>"$T/err" &&
   "${CC:-cc}" $CFLAGS ${SWARM_CFLAGS:-} -o "$T/run" "$T/run.c" "$LIB" -lcurl -levent -lzmq -lmsgpackc -lhttp_parser -lz -lm -lpcre2-8 2>"$T/err"; then
    ok "gen: a generated program links with libswarm.a"
    (cd "$T" && timeout 30 ./run --users 2 --hatch-rate 10 --run-time 3s --csv out \
        >"$T/run.out" 2>&1); rc=$?
    if [ "$rc" -eq 1 ]; then ok "gen: run exits 1 (some requests failed)"
    else notok "gen: run exits 1 (some requests failed), got $rc"; sed 's/^/#   /' "$T/run.out" | tail -n 15; fi
    stats=$T/out_stats.csv
    if [ -f "$stats" ]; then
        # name -> "requests failures" from the CSV (names contain commas)
        row() { python3 -c 'import csv,sys
for r in csv.reader(open(sys.argv[1])):
    if r[:2] == ["GET", sys.argv[2]]: print(r[2], r[3])' "$stats" "$1"; }
        read -r n_ok f_ok <<<"$(row /index.json)"
        read -r n_mis f_mis <<<"$(row '/missing/{random(1, 3)}')"
        if [ "${n_ok:-0}" -gt 0 ] && [ "${f_ok:-1}" -eq 0 ]; then
            ok "gen: /index.json requested $n_ok times, none failed"
        else notok "gen: /index.json: '${n_ok:-} ${f_ok:-}' requests/failures in $stats"; fi
        if [ "${n_mis:-0}" -gt 0 ] && [ "$n_mis" = "$f_mis" ]; then
            ok "gen: /missing/{random(1, 3)} requested $n_mis times, all failed (one entry)"
        else notok "gen: /missing: '${n_mis:-} ${f_mis:-}' requests/failures in $stats"; fi
        if grep -q '/missing/{random(1, 3)}.*m.status == 200' "$T/out_failures.csv" 2>/dev/null; then
            ok "gen: expect fails with the condition's source text"
        else notok "gen: expect fails with the condition's source text"
            sed 's/^/#   /' "$T/out_failures.csv" 2>/dev/null | head -n 5; fi
    else
        notok "gen: the run wrote $stats"; sed 's/^/#   /' "$T/run.out" | tail -n 15
    fi
else
    notok "gen: a generated program links with libswarm.a"; sed 's/^/#   /' "$T/err" | head -n 8
fi

# ---- spawn + poll + a response decided later, against the demo target: the
# POST is reported when the thing became ACTIVE (>= the target's delay).
TARGET=build/demo-target
if [ ! -x "$TARGET" ]; then
    echo "# skipped the polling run: $TARGET not built"
    exit $failed
fi
"$TARGET" --port 0 --port-file "$T/tport" --active-delay 1200 >/dev/null 2>&1 &
TARGET_PID=$!
for _ in $(seq 50); do [ -s "$T/tport" ] && break; sleep 0.1; done
tport=$(cat "$T/tport" 2>/dev/null)
cat > "$T/poll.swarm" <<EOF
host "http://127.0.0.1:$tport"
wait 500ms
task t {
    spawn {
        post "/things" as created {
            let id = created.json.id
            poll every 300ms for 10s {
                get "/things/\${id}" as r
                if r.ok and r.json.status == "ACTIVE" { created.success break }
            } timeout { created.failure "timed out" }
        }
    }
}
EOF
if "$SWARMC" "$T/poll.swarm" --emit-c "$T/poll.c" 2>"$T/err" &&
   "${CC:-cc}" $CFLAGS ${SWARM_CFLAGS:-} -o "$T/poll" "$T/poll.c" "$LIB" -lcurl -levent -lzmq -lmsgpackc -lhttp_parser -lz -lm -lpcre2-8 2>"$T/err"; then
    (cd "$T" && timeout 30 ./poll --users 2 --hatch-rate 10 --run-time 4s --csv pl >"$T/poll.out" 2>&1)
    rc=$?
    if [ "$rc" -eq 0 ]; then ok "gen: polling run exits 0"; else notok "gen: polling run exits 0, got $rc"; fi
    read -r n f mn <<<"$(python3 -c 'import csv,sys
for r in csv.reader(open(sys.argv[1])):
    if r[:2] == ["POST", "/things"]: print(r[2], r[3], r[6])' "$T/pl_stats.csv" 2>/dev/null)"
    if [ "${n:-0}" -gt 0 ] && [ "${f:-1}" -eq 0 ] && [ "${mn%.*}" -ge 1200 ]; then
        ok "gen: POST /things reported when ACTIVE ($n, min ${mn} ms >= 1200)"
    else notok "gen: POST /things reported when ACTIVE: got '${n:-} ${f:-} ${mn:-}'"
        sed 's/^/#   /' "$T/poll.out" | tail -n 12; fi
    if grep -q '^GET,/things/{id},[1-9]' "$T/pl_stats.csv" 2>/dev/null; then
        ok "gen: poll GETs reported under /things/{id}"
    else notok "gen: poll GETs reported under /things/{id}"; fi
else
    notok "gen: the polling program builds"; sed 's/^/#   /' "$T/err" | head -n 8
fi
# ---- control flow across nested block functions: break/continue/return
# out of response blocks and polls, expect and runtime errors inside a poll
# inside a response block, poll timeouts, spawn inside a response block.
cat > "$T/nest.swarm" <<EOF
host "http://127.0.0.1:$tport"
user N sequential {
wait 50ms

task a_break_outer {
    let n = 0
    while n < 3 {
        n = n + 1
        get "/resources/\${n}" as r {
            poll every 20ms for 1s {
                get "/status/200" as s {
                    if n == 2 { log "break outer from nested", n  break }
                    if n == 1 { continue }
                    success
                }
                if n == 3 { r.failure "n3" return }
                log "poll iteration", n
                break
            }
            log "after poll", n
        }
        log "after resp", n
    }
    log "after while", n
}
task b_expect_in_poll {
    get "/resources/7" as r {
        poll every 10ms for 200ms {
            expect r.status == 999 else "status not 999"
            log "never"
        }
        log "never2"
    }
    log "after b"
}
task c_error_in_poll_in_resp {
    let zero = 0
    get "/resources/8" as r {
        poll every 10ms {
            let x = 1 / zero
            log "never", x
        }
    }
    log "after c"
}
task d_error_in_poll {
    let zero = 0
    poll every 10ms for 100ms {
        let y = 2 / zero
        log "never", y
    }
    log "never d"
}
task e_timeout_nested {
    let k = 0
    repeat 2 {
        k = k + 1
        poll every 10ms for 50ms {
            get "/resources/\${k}" as q {
                poll every 5ms for 20ms {
                    sleep 1ms
                } timeout {
                    log "inner timeout", k
                    q.success
                }
            }
        } timeout {
            log "outer timeout", k
            continue
        }
        log "never e"
    }
    log "after e", k
}
task f_spawn_in_resp {
    let base = 5
    get "/resources/9" as r {
        let id = r.status
        spawn {
            poll every 10ms for 30ms {
                get "/things/\${base}" as t { success }
            } timeout { log "spawned poll timeout", id, base }
        }
        success
    }
    for i in [1, 2, 3] {
        get "/resources/\${i}" as r2 {
            if i == 2 { continue }
            if i == 3 { break }
            failure "one"
        }
    }
    log "after f"
}
}
EOF
if "$SWARMC" "$T/nest.swarm" --emit-c "$T/nest.c" 2>"$T/err" &&
   "${CC:-cc}" $CFLAGS ${SWARM_CFLAGS:-} -o "$T/nest" "$T/nest.c" "$LIB" -lcurl -levent -lzmq -lmsgpackc -lhttp_parser -lz -lm -lpcre2-8 2>"$T/err"; then
    (cd "$T" && timeout 30 ./nest --users 1 --hatch-rate 10 --run-time 2s --csv ns >"$T/nest.out" 2>&1)
    # the log of the first pass over the tasks, without time stamps; how
    # many inner polls time out within the outer poll's 50 ms depends on how
    # fast the machine is, so repeated lines count once (uniq)
    got=$(sed -n 's/.*\[user 0\] //p' "$T/nest.out" | grep -v '^spawned' |
          awk '/^after poll 1$/ && NR > 1 {exit} {print}' | uniq)
    want='after poll 1
after resp 1
break outer from nested 2
after poll 2
after resp 2
after b
after c
inner timeout 1
outer timeout 1
inner timeout 2
outer timeout 2
after e 2
after f'
    if [ "$got" = "$want" ]; then ok "gen: nested blocks: break/continue/return/timeouts in order"
    else notok "gen: nested blocks: break/continue/return/timeouts in order"
        printf '%s\n' "$got" | sed 's/^/#   got: /'; fi
    if grep -q 'spawned poll timeout 200 5$' "$T/nest.out"; then
        ok "gen: nested blocks: a spawn in a response block copies its locals"
    else notok "gen: nested blocks: a spawn in a response block copies its locals"; fi
    fails=$(cut -d, -f1-3 "$T/ns_failures.csv" 2>/dev/null | sort | tr '\n' ';')
    if [ "$fails" = "GET,/resources/7,status not 999;GET,/resources/8,division by zero;GET,/resources/{i},one;GET,/resources/{n},n3;Method,Name,Error;" ]
    then ok "gen: nested blocks: expect, errors and failures settle the right response"
    else notok "gen: nested blocks: expect, errors and failures settle the right response: $fails"; fi
    if grep -q '^[0-9]*,division by zero,[^,]*nest.swarm:49:13,' "$T/ns_exceptions.csv" 2>/dev/null &&
       [ "$(wc -l < "$T/ns_exceptions.csv")" -eq 2 ]; then
        ok "gen: nested blocks: only the error outside a response block is an exception"
    else notok "gen: nested blocks: only the error outside a response block is an exception"
        sed 's/^/#   /' "$T/ns_exceptions.csv" 2>/dev/null | head -n 5; fi
else
    notok "gen: the nested blocks program builds"; sed 's/^/#   /' "$T/err" | head -n 8
fi
kill "$TARGET_PID" 2>/dev/null
exit $failed
