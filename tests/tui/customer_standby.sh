#!/bin/sh
# The Customer view against a hot standby (issue 11, "Lookups from a standby"): a support
# console connected to a real streaming standby (tests/standby.sh) opens on the Customer
# view and shows a customer's card, a clock-change day's 46 half-hours included, exactly as
# the database on the standby has them; the standby refuses LISTEN, and the console
# carries on without it. Starts a standby: the server to itself (SERVER_ALONE_TESTS).
. "$MO_SRCDIR/tests/tui/common.sh"
. "$MO_SRCDIR/tests/standby.sh"
t=$(tmpdir)
DB=t_tui_cust_standby
trap 'tui_cleanup; standby_stop; rm -rf "$t"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS '$DB' WITH (FORCE)" -c "DROP ROLE IF EXISTS t_tsb_support" >/dev/null 2>&1' EXIT
db=$(fresh_db $DB)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
psql -X -q -d $DB -c "DROP ROLE IF EXISTS t_tsb_support" >/dev/null 2>&1
psql -X -q -d $DB -c "CREATE ROLE t_tsb_support LOGIN IN ROLE meterops_support" >/dev/null
"$MO_BIN" gen --meters 30 --days 3 --start 2024-03-29 --seed 7 --quiet --out "$t/gen" >/dev/null
chmod -R a+rX "$t"
"$MO_BIN" load --db "$db" --quiet "$t/gen/customers.csv" "$t/gen/tariffs.csv" \
    "$t/gen/meters.csv" "$t/gen/readings.csv" >/dev/null
ok $? "a generated fleet loads on the primary"
mpxn=$(sql "SELECT mpxn FROM meterops.meter WHERE fuel = 'elec' AND direction = 'import' ORDER BY mpxn LIMIT 1" -d $DB)
acct=$(sql "SELECT c.account_no FROM meterops.customer c JOIN meterops.meter m USING (customer_id) WHERE m.mpxn = '$mpxn'" -d $DB)

if ! standby_start; then
    echo "ok 2 # SKIP no standby: $STANDBY_ERROR"
    echo "1..2"; exit 0
fi
target=$(sql "SELECT pg_current_wal_lsn()" -d $DB)
on_standby() { psql -X -q -tA -h "$STANDBY_HOST" -p "$STANDBY_PORT" -d $DB "$@"; }
i=0
while [ "$(on_standby -U postgres -c "SELECT pg_last_wal_replay_lsn() >= '$target'::pg_lsn" 2>/dev/null)" != t ] &&
      [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
is "$(on_standby -U postgres -c "SELECT pg_is_in_recovery()")" t "a streaming standby, read-only"

TUI_W=120 TUI_H=48 tui_start -- console --db "host=$STANDBY_HOST port=$STANDBY_PORT dbname=$DB user=t_tsb_support" --refresh 1
ok "$(tui_wait '^ Customer  / finds one'; echo $?)" "a support console on the standby opens on the Customer view"
tui_keys : && tui_type "customer $mpxn 2024-03-31" && tui_keys Enter
ok "$(tui_wait "^ $acct  [A-Z]\*+ .*masked for the support desk"; echo $?)" "the card, masked, from the standby"
day=$(on_standby -U t_tsb_support -c "SELECT kwh || ' kWh .* ' || intervals || '/' || expected FROM meterops.meter_cost_daily('$mpxn', '2024-03-31', '2024-03-31')")
ok "$(tui_wait "^ Sun 2024-03-31  used $day half-hours"; echo $?)" "Sunday 31 March as the standby has it: $day"
ok "$(tui_wait '^.Sun 31 Mar .* 46 hh'; echo $?)" "the heatmap's 46 half-hours"
is "$(on_standby -U postgres -c "SELECT count(*) FROM pg_stat_activity WHERE usename = 't_tsb_support' AND application_name = 'meterops console'")" 1 \
   "the console's view connection is on the standby, named as every console query's"
like "$(tui_screen | head -1)" 'connected' "the console stays connected (the standby refuses LISTEN; it carries on)"
ok "$(tui_screen | grep -qi 'permission denied\|read-only'; [ $? = 1 ]; echo $?)" "no error on screen"
tui_keys q
is "$(tui_exit_status 1)" 0 "the console quits cleanly"
is "$(tui_stderr)" "" "nothing on stderr"
done_testing
