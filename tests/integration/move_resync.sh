#!/bin/sh
# move_resync.sh - `meterops migrate resync` copies a table again. The case it exists for:
# PostgreSQL drops a table-sync slot on the source an instant before it records the table
# synced on the target, so a source stopped in between leaves the table 'copied' (f) with
# no slot, its worker failing for ever (move_restart.sh met it now and then). The test makes
# that state directly (the table's state set back to f, its slot long gone), then checks that
# status names it, that resync with no table finds and copies it again, that a named table
# (reading_day, with a load running) and a table a stopped resync left out of the
# publication are copied again too, and that verify then finds both sides the same; and that
# cutover's verify inside the pause, by the keys of the rows changed, finds a difference.
. "$MO_SRCDIR/tests/lib.sh"
move_servers 6780 6781
per_part="SELECT tableoid::regclass::text || ' ' || count(*) || ' ' || sum((SELECT sum(v) FROM unnest(wh) v))
           FROM meterops.reading_day GROUP BY tableoid ORDER BY 1"

"$MO_BIN" db migrate --db "$S" >/dev/null &&
"$MO_BIN" gen --meters 300 --days 40 --start 2024-01-10 --seed 9 --quiet --out "$t/g" >/dev/null &&
"$MO_BIN" gen --meters 300 --days 20 --start 2024-02-19 --seed 9 --quiet --out "$t/g2" >/dev/null &&
"$MO_BIN" load --db "$S" "$t/g/customers.csv" "$t/g/tariffs.csv" "$t/g/meters.csv" "$t/g/bills.csv" \
    "$t/g/readings.csv" >/dev/null 2>&1
ok $? "300 meters, 40 days loaded on the source"
"$MO_BIN" migrate start --db "$S" --to "$T" >"$t/start" 2>&1
ok $? "start"
is "$(move_wait_ready "$S" "$T")" 0 "every table's initial copy ready"

"$MO_BIN" migrate resync --db "$S" >"$t/out" 2>&1
is "$?" 0 "resync with nothing stuck: exit 0"
like "$(cat "$t/out")" "nothing to copy again" "and it says so"

# The state PostgreSQL leaves: meter copied (f), its sync slot gone from the source. The
# target also loses 5 meters, so only a copy made again brings them back.
qt "SET session_replication_role = replica; DELETE FROM meterops.meter WHERE meter_id IN (SELECT meter_id FROM meterops.meter ORDER BY meter_id LIMIT 5);
    UPDATE pg_subscription_rel SET srsubstate = 'f' WHERE srrelid = 'meterops.meter'::regclass" >/dev/null
ok $? "meter set back to copied on the target, 5 of its rows gone"
"$MO_BIN" migrate status --db "$S" >"$t/status" 2>&1
is "$?" 1 "status: exit 1"
like "$(cat "$t/status")" "STUCK: copied, but the source has lost the slot to catch up from: meterops.meter " \
    "status names the stuck table and what to run"
"$MO_BIN" migrate status --json --db "$S" | python3 -c 'import json,sys; print(json.load(sys.stdin)["stuck"])' >"$t/json" 2>&1
is "$(cat "$t/json")" "meterops.meter" "status --json: stuck"
"$MO_BIN" migrate verify --db "$S" >"$t/verify" 2>&1
is "$?" 1 "verify finds the meters missing on the target"

"$MO_BIN" migrate resync --db "$S" >"$t/out" 2>&1
is "$?" 0 "resync: exit 0"
sed 's/^/# /' "$t/out"
like "$(cat "$t/out")" "copying again: meterops.meter;" "it copies meter again, found by itself"
is "$(move_wait_ready "$S" "$T")" 0 "meter's copy ends ready"
"$MO_BIN" migrate verify --db "$S" >"$t/verify" 2>&1
is "$?" 0 "verify: the same rows on both sides ($(tail -1 "$t/verify"))"
is "$(qt "SELECT count(*) FROM meterops.meter")" "$(qs "SELECT count(*) FROM meterops.meter")" "the 5 meters are back"
"$MO_BIN" migrate status --db "$S" >"$t/status" 2>&1
is "$?" 0 "status: exit 0 again"

"$MO_BIN" migrate resync --db "$S" meterops.reading_day_2024_01 >"$t/out" 2>&1
is "$?" 2 "a reading_day partition is refused by name"
like "$(cat "$t/out")" "not a table the subscription carries: meterops.reading_day_2024_01" "saying why"

# reading_day named, with a load running on the source: its rows arrive either in the new
# copy or by streaming after it, never both, never neither.
"$MO_BIN" load --db "$S" "$t/g2/readings.csv" >"$t/load" 2>&1 &
lpid=$!
"$MO_BIN" migrate resync --db "$S" reading_day >"$t/out" 2>&1
is "$?" 0 "resync reading_day (named without its schema) while a file loads"
wait_exit $lpid
is "$rc" 0 "the load on the source carries on"
is "$(move_wait_ready "$S" "$T")" 0 "reading_day's copy ends ready"
"$MO_BIN" migrate verify --db "$S" >"$t/verify" 2>&1
is "$?" 0 "verify: the same on both sides"
is "$(qt "$per_part")" "$(qs "$per_part")" "rows and Wh per partition equal"

# A resync stopped half way leaves a table out of the publication: status says so, and a
# resync with no table finishes it.
qs "ALTER PUBLICATION meterops_move DROP TABLE meterops.tariff" >/dev/null
"$MO_BIN" migrate status --db "$S" >"$t/status" 2>&1
is "$?" 1 "a table out of the publication: status exit 1"
like "$(cat "$t/status")" "OUT OF THE PUBLICATION: meterops.tariff " "naming it"
"$MO_BIN" migrate resync --db "$S" >"$t/out" 2>&1
is "$?" 0 "resync puts it back"
is "$(move_wait_ready "$S" "$T")" 0 "tariff's copy ends ready"
"$MO_BIN" migrate verify --db "$S" >"$t/verify" 2>&1
is "$?" 0 "verify: the same on both sides"
is "$(qs "SELECT count(*) FROM pg_publication_tables WHERE pubname = 'meterops_move' AND tablename = 'tariff'")" 1 \
    "tariff is published again"
# cutover verifies inside the pause a partition its rounds verified whole before by the
# keys of the rows changed since (move_delta.c): a trigger on the target alters every row
# replicated into March, and a file of March committed while cutover waits for it (held by
# a lock) must be found different by key, the cut-over stopped and the queue open again.
"$MO_BIN" gen --meters 300 --days 1 --start 2024-03-20 --seed 9 --quiet --out "$t/g3" >/dev/null
qs "ANALYZE meterops.reading_day_2024_03" >/dev/null
qt "CREATE FUNCTION public.skew() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN NEW.wh[1] := NEW.wh[1] + 1; RETURN NEW; END \$\$;
    CREATE TRIGGER skew BEFORE INSERT OR UPDATE ON meterops.reading_day_2024_03 FOR EACH ROW EXECUTE FUNCTION public.skew();
    ALTER TABLE meterops.reading_day_2024_03 ENABLE ALWAYS TRIGGER skew" >/dev/null
ok $? "a trigger on the target skews every row replicated into March"
mkfifo "$t/lockq"
psql -X -q -d "$S" <"$t/lockq" >/dev/null 2>&1 &
locker=$!
exec 7>"$t/lockq"
echo "BEGIN; LOCK TABLE meterops.reading_day_2024_03 IN SHARE MODE; SELECT 1;" >&7
wait_query "$S" "SELECT count(*) FROM pg_locks WHERE relation = 'meterops.reading_day_2024_03'::regclass AND mode = 'ShareLock' AND granted" 1
"$MO_BIN" load --db "$S" --jobs 1 "$t/g3/readings.csv" >"$t/load3" 2>&1 &
loader=$!
wait_query "$S" "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'meterops.reading_day_2024_03'::regclass" 1
"$MO_BIN" migrate cutover --db "$S" >"$t/cutover" 2>&1 &
cutover=$!
wait_query "$S" "SELECT state FROM meterops.migration ORDER BY migration_id DESC LIMIT 1" cutover
echo "COMMIT;" >&7
exec 7>&-
wait $locker
wait_exit $cutover 1200
is "$rc" 1 "cutover exits 1"
sed 's/^/# cutover: /' "$t/cutover"
like "$(cat "$t/cutover")" "DIFFERS inside the pause, nothing writing: meterops\.reading_day_2024_03" \
     "it finds March different inside the pause"
like "$(cat "$t/cutover")" "by the keys of 300 row\(s\) changed: meterops\.reading_day_2024_03\)" \
     "by the keys of the 300 rows the file changed, not by reading the partition"
like "$(cat "$t/cutover")" "verified before the pause, loads running: every table and partition" \
     "after a verify of everything before the pause that found March the same"
like "$(cat "$t/cutover")" "cutover stopped; the source's queue is open again" "nothing is switched"
wait_exit $loader
is "$(qs "SELECT state FROM meterops.migration ORDER BY migration_id DESC LIMIT 1")" copying "the move goes on"
"$MO_BIN" migrate abort --db "$S" >/dev/null 2>&1
ok $? "abort"
done_testing
