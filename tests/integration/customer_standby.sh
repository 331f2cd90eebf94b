#!/bin/sh
# Support lookups from a hot standby (issue 11, "Lookups from a standby"): `meterops
# customer` against a real streaming standby (tests/standby.sh) shows what it shows on the
# primary, as an operator and as the support role (masked), text and JSON; with a
# multi-host connection string and target_session_attrs=prefer-standby libpq sends it to
# the standby by itself (the standby's log_connections says so), and to the primary once
# the standby is gone. Starts a standby: the server to itself (SERVER_ALONE_TESTS).
. "$MO_SRCDIR/tests/lib.sh"
. "$MO_SRCDIR/tests/standby.sh"
t=$(tmpdir)
trap 'standby_stop; rm -rf "$t"' EXIT
DB=t_cust_standby
db=$(fresh_db $DB)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
psql -X -q -d $DB -c "DROP ROLE IF EXISTS t_sb_support" >/dev/null 2>&1
psql -X -q -d $DB -c "CREATE ROLE t_sb_support LOGIN IN ROLE meterops_support" >/dev/null

# A small generated fleet through the real loader: customers, tariffs, meters, readings.
"$MO_BIN" gen --meters 30 --days 3 --start 2024-03-29 --seed 7 --quiet --out "$t/gen" >/dev/null
chmod -R a+rX "$t"
"$MO_BIN" load --db "$db" --quiet "$t/gen/customers.csv" "$t/gen/tariffs.csv" \
    "$t/gen/meters.csv" "$t/gen/readings.csv" >/dev/null
ok $? "the generated fleet loads on the primary"
acct=$(sql "SELECT c.account_no FROM meterops.customer c JOIN meterops.meter m USING (customer_id)
             ORDER BY c.account_no LIMIT 1" -d $DB)
mpxn=$(sql "SELECT m.mpxn FROM meterops.meter m JOIN meterops.customer c USING (customer_id)
             WHERE c.account_no = '$acct' ORDER BY m.mpxn LIMIT 1" -d $DB)
cust() { "$MO_BIN" customer "$@" --to 2024-03-31 --days 3; }
cust "$acct" --db "$db" >"$t/primary.txt"
ok $? "customer $acct on the primary"
cust "$acct" --db "$db" --json >"$t/primary.json"
cust "$mpxn" --db "host=$MO_SANDBOX port=5432 user=t_sb_support dbname=$DB" >"$t/primary-support.txt"
ok $? "the support role looks $mpxn up on the primary"

STANDBY_CONF="log_connections = on"
if ! standby_start; then
    echo "ok 4 # SKIP no standby: $STANDBY_ERROR"
    echo "1..4"; exit 0
fi
ok 0 "a streaming standby of the test server"
# Replayed up to the primary's current WAL position (bounded wait).
target=$(sql "SELECT pg_current_wal_lsn()" -d $DB)
on_standby() { sql "$1" -h "$STANDBY_HOST" -p "$STANDBY_PORT" -d $DB; }
i=0
while [ "$(on_standby "SELECT pg_last_wal_replay_lsn() >= '$target'::pg_lsn" 2>/dev/null)" != t ] &&
      [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
is "$(on_standby "SELECT pg_is_in_recovery()")" t "the standby is read-only (in recovery)"

sb="host=$STANDBY_HOST port=$STANDBY_PORT dbname=$DB"
cust "$acct" --db "$sb user=postgres" >"$t/standby.txt"
ok $? "customer $acct on the standby: exit 0"
is "$(diff "$t/primary.txt" "$t/standby.txt")" "" "the standby shows exactly what the primary shows"
cust "$acct" --db "$sb user=postgres" --json >"$t/standby.json"
is "$(diff "$t/primary.json" "$t/standby.json")" "" "the same JSON from the standby"
cust "$mpxn" --db "$sb user=t_sb_support" >"$t/standby-support.txt"
ok $? "the support role looks $mpxn up on the standby"
is "$(diff "$t/primary-support.txt" "$t/standby-support.txt")" "" "masked the same for support"
like "$(cat "$t/standby-support.txt")" '\*\*\*' "support sees masked personal data on the standby"

# libpq picks the standby from a multi-host string by itself.
multi="host=$MO_SANDBOX,$STANDBY_HOST port=5432,$STANDBY_PORT dbname=$DB user=postgres target_session_attrs=prefer-standby"
before=$(grep -c "connection authorized: user=postgres database=$DB" "$STANDBY_DIR/server.log")
cust "$acct" --db "$multi" >"$t/multi.txt"
ok $? "customer with target_session_attrs=prefer-standby: exit 0"
after=$(grep -c "connection authorized: user=postgres database=$DB" "$STANDBY_DIR/server.log")
ok $([ "$after" -gt "$before" ] && echo 0 || echo 1) "prefer-standby connected to the standby ($before -> $after connections in its log)"
is "$(diff "$t/primary.txt" "$t/multi.txt")" "" "and showed the same customer"

standby_stop
cust "$acct" --db "$multi" >"$t/fallback.txt"
ok $? "with the standby gone, prefer-standby falls back to the primary"
is "$(diff "$t/primary.txt" "$t/fallback.txt")" "" "the same customer from the primary"
done_testing
