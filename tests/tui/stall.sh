#!/bin/sh
# A stalled server never freezes the console: while its query waits on a lock, keys are
# answered at once; its own session limits (lock_timeout, statement_timeout) end the wait
# with the server's message; its own backend is never counted in what it shows.
. "$MO_SRCDIR/tests/tui/common.sh"
db=$(tui_seed t_tui_stall) || { echo "not ok 1 - seed"; exit 1; }
q() { sql "$1" -d t_tui_stall; }
holder=""
release() { [ -n "$holder" ] && kill "$holder" 2>/dev/null; q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 't_lock_holder'" >/dev/null; holder=""; }
trap 'release; tui_cleanup' EXIT
# hold_lock: a session that takes load_file's ACCESS EXCLUSIVE lock and keeps it.
hold_lock() {
    PGAPPNAME=t_lock_holder psql -X -q -d t_tui_stall -c "BEGIN; LOCK TABLE meterops.load_file; SELECT pg_sleep(120); COMMIT" >/dev/null 2>&1 &
    holder=$!
    _i=0
    while [ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                  WHERE a.application_name = 't_lock_holder' AND l.mode = 'AccessExclusiveLock' AND l.granted")" != 1 ]; do
        sleep 0.1; _i=$((_i + 1)); [ $_i -gt 100 ] && return 1
    done
    return 0
}
console_waits() { # until the console's query waits on the lock
    _i=0
    while [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'meterops console' AND wait_event_type = 'Lock'")" != 1 ]; do
        sleep 0.1; _i=$((_i + 1)); [ $_i -gt 150 ] && return 1
    done
    return 0
}

# No limits: the query would wait as long as the lock is held.
tui_start -- console --db "$db" --lock-timeout 0 --statement-timeout 0 --refresh 1
tui_wait "connected" >/dev/null
tui_keys 2
tui_wait '^ Files  9' >/dev/null
ok "$(hold_lock; echo $?)" "another session holds an exclusive lock on load_file"
ok "$(console_waits; echo $?)" "the console's next query waits on that lock"
ok "$(tui_wait 'waiting for the server [0-9]+s'; echo $?)" "the header says the console is waiting for the server"
tui_keys '?'
ok "$(tui_wait '^ Keys in Files'; echo $?)" "? is answered while the query is blocked"
tui_keys x 4
ok "$(tui_wait '^ Load jobs'; echo $?)" "4 switches to the Jobs view while blocked"
tui_keys :
tui_type "theme light"
tui_keys Enter
ok "$(tui_wait 'theme light  refresh'; echo $?)" "a : command runs while blocked"
is "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'meterops console' AND wait_event_type = 'Lock'")" 1 \
   "(all of that while the console's query was still waiting on the lock)"
release
ok "$(tui_wait '^ +3 running +loader-b:4242'; echo $?)" "once the lock is gone the answers arrive"
ok "$(tui_wait_gone 'waiting for the server'; echo $?)" "and the header no longer waits"
tui_keys q
is "$(tui_exit_status 1)" 0 "clean exit"

# lock_timeout: the server cancels the console's wait and the view says why.
tui_start -- console --db "$db" --lock-timeout 300 --statement-timeout 0 --refresh 1
tui_wait "connected" >/dev/null
tui_keys 2
tui_wait '^ Files  9' >/dev/null
hold_lock
ok "$(tui_wait 'canceling statement due to lock timeout'; echo $?)" "--lock-timeout: the lock wait is cancelled and the message shown"
release
ok "$(tui_wait_gone 'lock timeout'; echo $?)" "the next refresh clears it"
tui_keys q
tui_exit_status 2 >/dev/null

# statement_timeout applies to the same wait when lock_timeout is off.
tui_start -- console --db "$db" --lock-timeout 0 --statement-timeout 300 --refresh 1
tui_wait "connected" >/dev/null
tui_keys 2
tui_wait '^ Files  9' >/dev/null
hold_lock
ok "$(tui_wait 'canceling statement due to statement timeout'; echo $?)" "--statement-timeout: the query is cancelled and the message shown"
release
tui_keys q
tui_exit_status 3 >/dev/null

# The console leaves its own backend out of what it reads from pg_stat_activity: its own
# open transaction (every query is one) never shows as the longest transaction.
tui_start -- console --db "$db" --refresh 1
tui_wait "connected" >/dev/null
others=$(q "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND application_name = 'meterops console'")
is "$others" 1 "one console connected"
ok "$(tui_wait 'connections [0-9]+/'; echo $?)" "the health line counts connections"
# Hold a transaction open in another session: the console reports its age, not its own.
PGAPPNAME=t_lock_holder psql -X -q -d t_tui_stall -c "BEGIN; SELECT txid_current(); SELECT pg_sleep(120)" >/dev/null 2>&1 &
holder=$!
ok "$(tui_wait 'longest xact [0-9]+s'; echo $?)" "another session's open transaction is the longest one shown"
release
ok "$(tui_wait 'longest xact none'; echo $?)" "with it gone, the console's own transactions do not count"
tui_keys q
tui_exit_status 4 >/dev/null
is "$(tui_stderr)" "" "the consoles wrote nothing to stderr"
done_testing
