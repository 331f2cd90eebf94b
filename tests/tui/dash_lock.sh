#!/bin/sh
# Dashboard sections never block each other: while another session holds a lock on
# load_file, the sections that read it time out, keep their last figures and say
# "timed out, retrying in Ns"; the Database section keeps refreshing (it counts the lock
# waits) and keys are answered; once the lock is released every section recovers.
. "$MO_SRCDIR/tests/tui/common.sh"
db=$(tui_seed t_tui_dash_lock) || { echo "not ok 1 - seed"; exit 1; }
q() { sql "$1" -d t_tui_dash_lock; }
holder=""
release() { [ -n "$holder" ] && kill "$holder" 2>/dev/null; q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 't_lock_holder'" >/dev/null; holder=""; }
trap 'release; tui_cleanup' EXIT
hold_lock() {
    PGAPPNAME=t_lock_holder psql -X -q -d t_tui_dash_lock -c "BEGIN; LOCK TABLE meterops.load_file; SELECT pg_sleep(120); COMMIT" >/dev/null 2>&1 &
    holder=$!
    _i=0
    while [ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                  WHERE a.application_name = 't_lock_holder' AND l.mode = 'AccessExclusiveLock' AND l.granted")" != 1 ]; do
        sleep 0.1; _i=$((_i + 1)); [ $_i -gt 100 ] && return 1
    done
    return 0
}

tui_start -- console --db "$db" --refresh 1 --lock-timeout 500
ok "$(tui_wait 'queued 2 +loading 1 +loaded 2'; echo $?)" "the Files section has its first answer"
ok "$(tui_wait 'lock waits 0'; echo $?)" "the Database section has its first answer: no lock waits"
is "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'meterops console dashboard' AND datname = 't_tui_dash_lock'")" 2 \
   "the dashboard has its own two connections, named 'meterops console dashboard'"
ok "$(hold_lock; echo $?)" "another session holds an exclusive lock on load_file"
ok "$(tui_wait '^ Files +timed out, retrying in [0-9]+s; data [0-9]+s ago'; echo $?)" \
   "the Files section says it timed out, when it retries and how old its figures are"
like "$(tui_line 'queued [0-9]')" "queued 2 +loading 1 +loaded 2 +rejected 2 +failed 1" "and keeps its last figures"
ok "$(tui_wait 'lock waits [1-9]'; echo $?)" "the Database section keeps refreshing meanwhile: it counts the dashboard's lock waits"
ok "$(tui_wait '^ Meters'; echo $?)" "the Meters section is drawn"
tui_keys '?'
ok "$(tui_wait '^ Keys in Dashboard'; echo $?)" "? is answered while sections are timing out"
tui_keys x
ok "$(tui_wait_gone '^ Keys in Dashboard'; echo $?)" "and any key closes the help"
ok "$(tui_wait 'retrying in ([4-9]|[1-9][0-9])s'; echo $?)" "the retry backs off: the delay grows after each timeout"
release
ok "$(tui_wait_gone 'timed out' 40; echo $?)" "once the lock is released every section recovers (within its backoff)"
ok "$(tui_wait 'lock waits 0'; echo $?)" "and the Database section no longer counts lock waits"
like "$(tui_line 'queued [0-9]')" "queued 2 +loading 1 +loaded 2 +rejected 2 +failed 1" "the Files section shows fresh figures"
tui_keys q
is "$(tui_exit_status 1)" 0 "clean exit"
is "$(tui_stderr)" "" "the console wrote nothing to stderr"
done_testing
