#!/bin/sh
# `meterops status`'s server checks, run as a role that has pg_monitor and no superuser:
# real sessions idle in a transaction and blocked behind a lock, a real streaming standby
# (tests/standby.sh) and a physical replication slot, wraparound thresholds set low in
# status.conf, a bad status.conf named by file:line, and the --nagios and --prometheus
# outputs held to their formats (a strict regex; promtool when installed and an awk
# reader of the exposition format). No timing is asserted. It judges the whole server's
# sessions, standbys and slots, so it has the server to itself (SERVER_ALONE_TESTS).
. "$MO_SRCDIR/tests/lib.sh"
. "$MO_SRCDIR/tests/standby.sh"
db=$(fresh_db t_status_checks)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d t_status_checks; }
t=$(tmpdir)
slot=t_checks_slot
cleanup() {
    q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 't_checks_%'" >/dev/null 2>&1
    exec 7>&- 2>/dev/null
    for p in $bg; do kill "$p" 2>/dev/null; done
    standby_stop
    slot_drop $slot
    rm -rf "$t"
}
bg=""
trap cleanup EXIT

# A monitoring role: pg_monitor for the server's statistics, the operator role for the
# loader's tables; no superuser (schema 013 grants pg_monitor to meterops_operator).
q "DO \$\$ BEGIN
     IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 't_checks_monitor') THEN
       CREATE ROLE t_checks_monitor LOGIN NOSUPERUSER;
     END IF;
   END \$\$;
   GRANT pg_monitor, meterops_operator TO t_checks_monitor" >/dev/null
mon="host=$MO_SANDBOX port=5432 user=t_checks_monitor dbname=t_status_checks"
: >"$t/empty.conf"
# status [ARGS...]: runs it as the monitoring role with $t/conf (empty unless a test
# writes it); stdout in $t/out, stderr in $t/err, its exit status printed. A budget large
# enough for a busy test machine: only status_budget.sh is about the budget.
cp "$t/empty.conf" "$t/conf"
status() { "$MO_BIN" status --db "$mon" --config "$t/conf" --budget 20000 "$@" >"$t/out" 2>"$t/err"; echo $?; }
json() { python3 -c "import json,sys; d=json.load(open('$t/out')); print($1)"; }
level() { # level CHECK [SUBJECT]: the check's level in $t/out (JSON), "absent" without it
    json "next((c['level'] for c in d['checks'] if c['name'] == '$1' and ('${2:-}' == '' or c['subject'] == '${2:-}')), 'absent')"
}
conf() { printf '%s\n' "$@" >"$t/conf"; }
wait_for() { # wait_for SQL: until the query (run as the superuser) says t
    i=0
    while [ "$(q "$1")" != t ]; do sleep 0.1; i=$((i + 1)); [ $i -gt 600 ] && return 1; done
    return 0
}

# The Nagios plugin format: one line, "METEROPS STATE - text | perfdata", each datum
# 'label'=value[UOM];[warn];[crit];[min];[max], and the exit code the state's.
nagios_ok() { # nagios_ok EXIT-CODE: 0 when $t/out is one well-formed line matching it
    [ "$(wc -l <"$t/out")" = 1 ] || return 1
    perf="'[^'=]+'=-?[0-9.]+(s|ms|us|%|B|KB|MB|TB|c)?(;-?[0-9.]*){0,4}"
    grep -Eq "^METEROPS (OK|WARNING|CRITICAL|UNKNOWN) - [^|]+( \|( $perf)+)?\$" "$t/out" || return 1
    state=$(sed 's/^METEROPS \([A-Z]*\) .*/\1/' "$t/out")
    case "$state:$1" in OK:0 | WARNING:1 | CRITICAL:2 | UNKNOWN:3) return 0 ;; esac
    return 1
}
prom_ok() { # prom_ok: $t/out read by the awk parser (and promtool, when installed)
    awk -f "$MO_SRCDIR/tests/integration/prom_parse.awk" "$t/out" >"$t/parse" || { cat "$t/parse"; return 1; }
    if command -v promtool >/dev/null 2>&1; then
        promtool check metrics <"$t/out" >"$t/promtool" 2>&1 || { cat "$t/promtool"; return 1; }
    fi
    return 0
}

# --- a quiet server -------------------------------------------------------------------
is "$(status --json)" 0 "a quiet server, as a pg_monitor role: exit 0"
is "$(json "d['unknown']")" "[]" "every part answered, none unknown"
is "$(json "sorted({c['name'] for c in d['checks']} & {'idle_in_transaction_s', 'blocked_sessions', 'lock_wait_s', 'xid_wraparound_pct', 'inactive_slots', 'checkpoints_req_per_hour', 'connections_pct', 'longest_transaction_s'})")" \
   "['blocked_sessions', 'checkpoints_req_per_hour', 'connections_pct', 'idle_in_transaction_s', 'inactive_slots', 'lock_wait_s', 'longest_transaction_s', 'xid_wraparound_pct']" \
   "JSON: the server's checks are there"
is "$(json "[(c['warning'], c['critical'], c['unit']) for c in d['checks'] if c['name'] == 'xid_wraparound_pct'][0]")" \
   "(50.0, 75.0, '%')" "JSON: a check carries its thresholds and unit"
rc=$(status --nagios)
is "$rc" 0 "--nagios: exit 0"
ok "$(nagios_ok 0; echo $?)" "--nagios: one line in the plugin format, OK with exit 0"
like "$(cat "$t/out")" "'xid_wraparound_pct'=[0-9.]+%;50;75;0;100" "--nagios: wraparound in the performance data"
is "$(status --prometheus)" 0 "--prometheus: exit 0"
ok "$(prom_ok; echo $?)" "--prometheus: the exposition format$(command -v promtool >/dev/null || echo ' (awk reader only: promtool absent)')"
like "$(cat "$t/out")" 'meterops_check_level\{check="xid_wraparound_pct",subject=""\} 0' "--prometheus: a check's level"
like "$(cat "$t/out")" 'meterops_part_up\{part="slots"\} 1' "--prometheus: the parts that answered"
if command -v promtool >/dev/null 2>&1; then
    echo "# promtool: $(promtool --version 2>&1 | head -1)"
else
    echo "# promtool absent (Debian package prometheus): the awk reader alone checked the format"
fi

# --- wraparound thresholds from status.conf -------------------------------------------
conf "# wraparound: any transaction ID age at all" "xid_wraparound_pct.warning = 0.000001%"
is "$(status --json)" 1 "xid_wraparound_pct.warning set low in status.conf: exit 1"
is "$(level xid_wraparound_pct)" warning "JSON: the wraparound check warns"
conf "xid_wraparound_pct.warning = 0.000001" "xid_wraparound_pct.critical = 0.000001"
is "$(status --nagios)" 2 "critical set low too: --nagios exits 2"
ok "$(nagios_ok 2; echo $?)" "--nagios: the CRITICAL line is well formed"
like "$(cat "$t/out")" "^METEROPS CRITICAL - CRITICAL xid_wraparound_pct: " "--nagios names the check"
is "$(status)" 2 "text: exit 2"
like "$(cat "$t/out")" "CRITICAL +xid_wraparound_pct +database [^ ]+: transaction ID age [0-9]+" "text: the check and its age"

# --- a bad status.conf ----------------------------------------------------------------
conf "connections_pct.warning = 80" "" "no_such_check.warning = 1"
is "$(status)" 2 "an unknown check in status.conf: exit 2"
like "$(cat "$t/err")" "$t/conf:3: unknown check" "the error names file:line"
is "$(status --nagios)" 3 "--nagios: UNKNOWN, exit 3"
ok "$(nagios_ok 3; echo $?)" "--nagios: the UNKNOWN line is well formed"
conf "connections_pct.warning = lots"
is "$(status --json)" 2 "a bad value: exit 2"
like "$(cat "$t/err")" "$t/conf:1: not a number" "the error names file:line and why"
conf "slot_retained_bytes.critical = 3 parsecs"
status >/dev/null
like "$(cat "$t/err")" "$t/conf:1: a size takes B, kB, MB, GB or TB" "a unit the check does not take"
conf "connections_pct.sometimes = 3"
status >/dev/null
like "$(cat "$t/err")" "$t/conf:1: unknown key" "an unknown key"
is "$("$MO_BIN" status --db "$mon" --config "$t/none.conf" >/dev/null 2>"$t/err"; echo $?)" 2 "a missing --config file: exit 2"
like "$(cat "$t/err")" "cannot read $t/none.conf" "and says so"
conf "connections_pct.warning = 80 # a comment" "inactive_slots.warning = off" "slot_retained_bytes.warning = 1.5GB" \
     "longest_transaction_s.critical = 2h"
is "$(status --json)" 0 "comments, off, units: a good file"
is "$(json "[(c['warning'], c['critical']) for c in d['checks'] if c['name'] in ('connections_pct', 'inactive_slots', 'longest_transaction_s')]")" \
   "[(80.0, 90.0), (3600.0, 7200.0), (None, None)]" "JSON: the thresholds read, an off one null"
is "$(status --json --conn-warn 70)" 0 "an option wins over the file"
is "$(json "[c['warning'] for c in d['checks'] if c['name'] == 'connections_pct'][0]")" 70.0 "--conn-warn 70 over the file's 80"
cp "$t/empty.conf" "$t/conf"

# --- sessions: idle in transaction, a long transaction, one blocked behind a lock ---------
# psql reads its statements from a FIFO this shell keeps open: after BEGIN it waits for
# more, idle in the transaction, until the FIFO closes (fd 7; no other process holds it).
mkfifo "$t/idle.fifo"
PGAPPNAME=t_checks_idle psql -X -q -d t_status_checks <"$t/idle.fifo" >/dev/null 2>&1 &
bg="$bg $!"
exec 7>"$t/idle.fifo"
echo "BEGIN; SELECT 1;" >&7
# longest_transaction_s counts whole seconds: wait for the first.
wait_for "SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = 't_checks_idle' AND state = 'idle in transaction'
          AND clock_timestamp() - xact_start > interval '1.5 s'"
ok $? "a session sits idle in a transaction"
conf "idle_in_transaction_s.warning = 0" "longest_transaction_s.critical = 0"
is "$(status --json)" 2 "status: exit 2 (the open transaction's critical threshold 0)"
is "$(level idle_in_transaction_s)" warning "idle_in_transaction_s warns"
is "$(level longest_transaction_s)" critical "longest_transaction_s is critical"
like "$(json "[c['message'] for c in d['checks'] if c['name'] == 'idle_in_transaction_s'][0]")" \
     "^pid $(q "SELECT pid FROM pg_stat_activity WHERE application_name = 't_checks_idle'") idle in a transaction for" \
     "the message names the idle session's pid"

PGAPPNAME=t_checks_holder psql -X -q -d t_status_checks -c "BEGIN; LOCK TABLE meterops.load_file; SELECT pg_sleep(300); COMMIT" >/dev/null 2>&1 7>&- &
bg="$bg $!"
wait_for "SELECT count(*) = 1 FROM pg_locks l JOIN pg_stat_activity a USING (pid)
          WHERE a.application_name = 't_checks_holder' AND l.mode = 'AccessExclusiveLock' AND l.granted"
ok $? "another session holds an ACCESS EXCLUSIVE lock on load_file"
PGAPPNAME=t_checks_waiter psql -X -q -d t_status_checks -c "SELECT count(*) FROM meterops.load_file" >/dev/null 2>&1 7>&- &
bg="$bg $!"
wait_for "SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = 't_checks_waiter' AND wait_event_type = 'Lock'"
ok $? "a third session waits behind it"
conf "blocked_sessions.warning = 0" "lock_wait_s.warning = 0"
is "$(status --json --budget 3000)" 1 "status returns under the lock (its own statements time out, never queue): exit 1"
is "$(json "'files' in d['unknown'], 'activity' in d['unknown']")" "True False" \
   "the parts reading load_file are unknown, the session checks answered"
like "$(json "d['error']")" "^skipped: meterops\.load_file is locked \(ACCESS EXCLUSIVE held or requested\)" \
     "the parts reading the locked table were skipped, not queued behind the lock"
is "$(level blocked_sessions)" warning "blocked_sessions warns"
is "$(json "[c['value'] for c in d['checks'] if c['name'] == 'blocked_sessions'][0]")" 1.0 \
   "one session blocked: status's own backend is not counted"
like "$(json "[c['message'] for c in d['checks'] if c['name'] == 'lock_wait_s'][0]")" \
     "^pid $(q "SELECT pid FROM pg_stat_activity WHERE application_name = 't_checks_waiter'") waits on a lock" \
     "lock_wait_s names the waiting pid"
is "$(status --nagios --budget 3000)" 3 "--nagios under the lock: UNKNOWN (part of the facts unknown), exit 3"
ok "$(nagios_ok 3; echo $?)" "--nagios: well formed"
like "$(cat "$t/out")" "WARNING blocked_sessions: .*unknown: files" "--nagios: the raised checks, then the unknown parts"
is "$(status --prometheus --budget 3000)" 0 "--prometheus under the lock: exit 0"
ok "$(prom_ok; echo $?)" "--prometheus: the exposition format"
like "$(cat "$t/out")" 'meterops_part_up\{part="files"\} 0' "--prometheus: the unknown part is 0"
ok "$(grep -q 'check="failed_files_24h"' "$t/out"; [ $? = 1 ]; echo $?)" "--prometheus: its checks are absent"
wait_for "SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name = 'meterops status'"
ok $? "no status backend left waiting on the lock"
exec 7>&-
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 't_checks_%'" >/dev/null
for p in $bg; do wait "$p" 2>/dev/null; done
bg=""
wait_for "SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name LIKE 't_checks_%'"
cp "$t/empty.conf" "$t/conf"

# --- a replication slot, then a standby streaming from it -------------------------------
slot_create $slot
ok $? "a physical slot, reserving WAL"
is "$(status --json)" 1 "an inactive slot: exit 1"
is "$(level inactive_slots)" warning "inactive_slots warns"
is "$(json "[(s['name'], s['active'], s['retained_bytes'] is not None and s['retained_bytes'] >= 0) for s in d['slots']]")" \
   "[('$slot', False, True)]" "JSON: the slot, inactive, with the WAL it retains"
is "$(level slot_retained_bytes $slot)" ok "slot_retained_bytes: under its default thresholds"
conf "slot_retained_bytes.critical = 0"
q "SELECT pg_switch_wal()" >/dev/null # WAL written past the slot's restart_lsn
is "$(status --json)" 2 "slot_retained_bytes.critical = 0: exit 2"
is "$(level slot_retained_bytes $slot)" critical "the slot's retained WAL is critical"
status --nagios >/dev/null
like "$(cat "$t/out")" "'slot_retained_bytes:$slot'=[0-9.]+B;4294967296;0;0;" "--nagios: the slot's retained WAL in the performance data"
cp "$t/empty.conf" "$t/conf"

# The standby archives what it receives, and its archive_command always fails.
STANDBY_CONF="archive_mode = always
archive_command = 'false'"
if standby_start $slot; then
    ok 0 "a streaming standby of the test server (tests/standby.sh), from the slot"
    # its lag in bytes needs the standby's first reply (replay_lsn), which follows streaming
    wait_query postgres "SELECT count(*) FROM pg_stat_replication
                         WHERE application_name = '$STANDBY_APP' AND replay_lsn IS NOT NULL" 1
    is "$(status --json)" 0 "the standby streams from the slot: exit 0"
    is "$(json "[(s['name'], s['state'], s['lag_bytes'] is not None) for s in d['standbys']]")" \
       "[('$STANDBY_APP', 'streaming', True)]" "JSON: the standby, streaming, with its lag in bytes"
    is "$(level replication_lag_bytes "$STANDBY_APP")" ok "replication_lag_bytes for the standby"
    is "$(level replication_lag_s "$STANDBY_APP")" ok "replication_lag_s for the standby"
    is "$(json "[s['active'] for s in d['slots']]")" "[True]" "the slot is active"
    is "$(level inactive_slots)" ok "inactive_slots: ok"
    status >/dev/null
    like "$(cat "$t/out")" "standby +$STANDBY_APP streaming \(async\), replay lag " "text: the standby's line"
    conf "replication_lag_bytes.warning = off" "replication_lag_bytes.critical = 0" "replication_lag_s.warning = 0"
    status --prometheus >/dev/null
    ok "$(prom_ok; echo $?)" "--prometheus with a standby and a slot: the exposition format"
    like "$(cat "$t/out")" "meterops_check_value\\{check=\"replication_lag_bytes\",subject=\"$STANDBY_APP\"\\} [0-9.e+]+" \
         "--prometheus: the standby's lag in bytes"
    like "$(cat "$t/out")" "meterops_check_value\\{check=\"slot_retained_bytes\",subject=\"$slot\"\\} [0-9.e+]+" \
         "--prometheus: the slot's retained WAL"
    status --nagios >/dev/null
    like "$(cat "$t/out")" "'replication_lag_bytes:$STANDBY_APP'=[0-9.]+B;;0;0;" "--nagios: the standby's lag with its thresholds"
    ok "$(nagios_ok "$(status --nagios; true)"; echo $?)" "--nagios: well formed with a standby"
    cp "$t/empty.conf" "$t/conf"

    # status of the standby itself: in recovery, archiving and failing at it.
    sq() { psql -X -q -tA -h "$STANDBY_HOST" -p "$STANDBY_PORT" -d t_status_checks -c "$1"; }
    q "SELECT txid_current()" >/dev/null
    q "SELECT pg_switch_wal()" >/dev/null # a whole segment for the standby to archive
    i=0
    while [ "$(sq "SELECT failed_count > 0 FROM pg_stat_archiver")" != t ]; do
        sleep 0.2; i=$((i + 1)); [ $i -gt 300 ] && break
    done
    ok "$([ $i -le 300 ]; echo $?)" "the standby's archiver fails (archive_command false)"
    standby_db="host=$STANDBY_HOST port=$STANDBY_PORT user=t_checks_monitor dbname=t_status_checks"
    is "$("$MO_BIN" status --db "$standby_db" --config "$t/conf" --budget 20000 --json >"$t/out" 2>"$t/err"; echo $?)" 1 \
       "status of the standby: exit 1"
    is "$(level archive_failing_s)" warning "archive_failing_s warns"
    like "$(json "[c['message'] for c in d['checks'] if c['name'] == 'archive_failing_s'][0]")" \
         "^archiving fails for [0-9]+ s \(last [0-9A-F]{24}; [0-9]+ failures\)" "and names the segment"
    is "$(json "d['unknown']")" "[]" "every part answers on a standby in recovery"
    is "$(level archive_ready_files)" ok "archive_ready_files: under its thresholds"
    dir=$STANDBY_DIR
    standby_stop
    ok "$([ ! -e "$dir" ]; echo $?)" "standby_stop leaves no standby dir"
    wait_for "SELECT count(*) = 0 FROM pg_stat_replication"
    ok $? "the standby is gone from pg_stat_replication"
    is "$(status --json)" 1 "the standby stopped: its slot is inactive again, exit 1"
else
    echo "ok $((_n + 1)) # SKIP no standby: $STANDBY_ERROR"; _n=$((_n + 1))
fi
slot_drop $slot
is "$(status --json)" 0 "the slot dropped: exit 0"

# --- no server ------------------------------------------------------------------------
is "$("$MO_BIN" status --db "host=$t/nowhere" --config "$t/conf" --nagios >"$t/out" 2>/dev/null; echo $?)" 2 \
   "--nagios without a server: CRITICAL, exit 2"
ok "$(nagios_ok 2; echo $?)" "--nagios: well formed"
is "$("$MO_BIN" status --db "host=$t/nowhere" --config "$t/conf" --prometheus >"$t/out" 2>/dev/null; echo $?)" 0 \
   "--prometheus without a server: exit 0, written"
like "$(cat "$t/out")" "meterops_up 0" "meterops_up 0"
ok "$(prom_ok; echo $?)" "--prometheus: the exposition format"
is "$("$MO_BIN" status --nagios --json >"$t/out" 2>/dev/null; echo $?)" 3 "--nagios with --json: bad usage, UNKNOWN 3"
done_testing
