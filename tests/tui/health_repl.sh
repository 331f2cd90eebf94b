#!/bin/sh
# The Health view's Replication pane (issue 10): a real streaming standby started by the
# test (pg_basebackup over the Unix socket, tests/standby.sh) appears with its state and
# lag, as pg_stat_replication has it; a physical slot nobody uses appears inactive with the
# WAL it retains, as pg_replication_slots has it.
. "$MO_SRCDIR/tests/tui/common.sh"
. "$MO_SRCDIR/tests/standby.sh"
db=$(tui_seed t_tui_health_repl) || { echo "not ok 1 - seed"; exit 1; }
q() { sql "$1" -d t_tui_health_repl; }
slot=t_hv_slot_$$
trap 'standby_stop; slot_drop $slot; tui_cleanup' EXIT
if ! standby_start; then
    echo "ok 1 # SKIP no standby: $STANDBY_ERROR"
    echo "1..1"
    exit 0
fi
ok 0 "a streaming standby of the test server runs"
slot_create "$slot"
# WAL written after the slot reserved its start: the slot retains it.
q "CREATE TABLE public.hv_wal AS SELECT g FROM generate_series(1, 20000) g" >/dev/null
wait_query t_tui_health_repl "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) > 0
                              FROM pg_replication_slots WHERE slot_name = '$slot'" t
is "$(q "SELECT active FROM pg_replication_slots WHERE slot_name = '$slot'")" f "the slot is inactive"

B="[0-9.]+ ?([kKMGT]i?B|B|bytes)" # a size as the console writes it
export TUI_W=80 TUI_H=24
tui_start -- console --db "$db" --refresh 1
ok "$(tui_wait 'connected'; echo $?)" "the console connects"
tui_keys 5 l l
ok "$(tui_wait '^ Standbys +1'; echo $?)" "5 l l: Replication lists one standby"
line=$(tui_line "^ $STANDBY_APP ")
like "$line" "^ $STANDBY_APP +streaming +async +$B +$B +$B +(-|[0-9.]+s|[0-9]+[smh])" \
     "the standby: its name, state, sync state, sent, flush and replay lag in bytes, replay lag in time"
is "$(q "SELECT state || '|' || sync_state FROM pg_stat_replication WHERE application_name = '$STANDBY_APP'")" \
   "streaming|async" "as pg_stat_replication has it"
ok "$(tui_wait "^ $slot +physical +no +$B"; echo $?)" "the slot: physical, inactive, the WAL it retains"
shown=$(tui_line "^ $slot " | awk '{print $4 $5}')
retained=$(q "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint FROM pg_replication_slots WHERE slot_name = '$slot'")
ok "$([ "$retained" -gt 0 ] && echo 0 || echo 1)" "the database says the slot retains WAL ($retained bytes; shown $shown)"
tui_keys q
is "$(tui_exit_status 1)" 0 "the console exits cleanly"
is "$(tui_stderr)" "" "the console wrote nothing to stderr"
standby_stop
slot_drop "$slot"
done_testing
