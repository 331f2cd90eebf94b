#!/bin/sh
# citus_distribute.sh - a schema created and loaded on plain PostgreSQL is distributed later
# by `meterops db distribute` (after CREATE EXTENSION citus and citus_add_node): the rows
# move into shards on both workers and nothing is lost; a second run, and `db migrate`,
# change nothing; loading goes on afterwards. Skips when Citus is not installed.
. "$MO_SRCDIR/tests/lib.sh"
need_citus
t=$(tmpdir)
port=6720
citus_cluster "$t" $port
# A database of its own on every node, without the citus extension: plain PostgreSQL.
for p in $port $((port + 1)) $((port + 2)); do
    sql "CREATE DATABASE plain" -h "$t/cluster" -p $p -U postgres -d postgres
done
db="host=$t/cluster port=$port dbname=plain user=postgres"
q() { sql "$1" -d "$db"; }

"$MO_BIN" db migrate --db "$db" >/dev/null
ok $? "db migrate on a database without citus"
is "$(q "SELECT count(*) FROM pg_extension WHERE extname = 'citus'")" 0 "... which stays plain"
"$MO_BIN" gen --meters 30 --days 3 --start 2024-01-30 --seed 3 --quiet --out "$t/g" || { echo "not ok - gen"; exit 1; }
"$MO_BIN" load --db "$db" --quiet "$t/g/customers.csv" "$t/g/tariffs.csv" "$t/g/meters.csv" "$t/g/bills.csv" \
    "$t/g/readings.csv" >/dev/null 2>&1
is $? 0 "the generated data loads on the plain schema"

# D0010 register reads on the plain schema (020), to be moved with the rest
q "INSERT INTO meterops.meter (mpxn, fuel) SELECT v, 'elec' FROM unnest(ARRAY['1200023305967',
   '1900001059816', '1200033197420', '1200031039874', '1591055549625', '2200031930792',
   '1200022664056', '1900005260419', '1013044353630', '1900005281720', '2000055433806']) v" >/dev/null
"$MO_BIN" load --db "$db" --quiet "$MO_SRCDIR/tests/fixtures/realdata/uk-dtc-d0010/DTC5259515123502080915D0010.uff" \
    >/dev/null 2>&1
is "$(q "SELECT count(*) FROM meterops.register_read")" 13 "D0010 register reads load on the plain schema"

"$MO_BIN" db distribute --db "$db" >"$t/out" 2>&1
is $? 2 "db distribute without the citus extension fails"
like "$(cat "$t/out")" "citus extension is not in this database" "... and says why"

snapshot() {
    q "SELECT (SELECT count(*) || ':' || sum(v) FROM meterops.reading_day, unnest(wh) v) || ' '
              || (SELECT count(*) FROM meterops.meter) || ' ' || (SELECT count(*) FROM meterops.customer) || ' '
              || (SELECT count(*) FROM meterops.tariff) || ' ' || (SELECT count(*) FROM meterops.tariff_band) || ' '
              || (SELECT count(*) FROM meterops.bill) || ' '
              || (SELECT string_agg(fuel || '=' || meters, ',' ORDER BY fuel) FROM meterops.meter_tally) || ' '
              || (SELECT count(*) FROM meterops.load_file)"
}
before=$(snapshot)

for p in $port $((port + 1)) $((port + 2)); do
    sql "CREATE EXTENSION citus" -h "$t/cluster" -p $p -U postgres -d plain
done
q "SELECT citus_set_coordinator_host('$t/cluster', $port)" >/dev/null
q "SELECT citus_add_node('$t/cluster', $((port + 1)))" >/dev/null
q "SELECT citus_add_node('$t/cluster', $((port + 2)))" >/dev/null

"$MO_BIN" db distribute --db "$db" >"$t/out" 2>&1
is $? 0 "db distribute after CREATE EXTENSION citus and citus_add_node"
is "$(tail -1 "$t/out")" "schema meterops: 7 table(s) distributed" "seven tables placed"
like "$(grep '^reading_day' "$t/out")" "distributed by meter_id +distributed" "reading_day: distributed by meter_id"
like "$(grep '^register_read' "$t/out")" "distributed by meter_id +distributed" "register_read: distributed by meter_id"
is "$(q "SELECT count(*) || ' ' || sum(reading) FROM meterops.register_read") $(q "SELECT count(*) FROM pg_class
         WHERE oid = 'meterops.register_read'::regclass AND pg_relation_size(oid) = 0")" "13 653740.0 1" \
   "the register reads moved into the shards, none lost, the coordinator's copy gone"
is "$(snapshot)" "$before" "every row is still there (readings, Wh, registry, counts, queue)"
is "$(q "SELECT count(DISTINCT p.nodeport) FROM pg_dist_shard s JOIN pg_dist_shard_placement p USING (shardid)
         WHERE s.logicalrelid = 'meterops.reading_day_2024_01'::regclass")" 2 "the readings' shards are on both workers"
ok "$([ "$(q "SELECT count(*) FROM run_command_on_shards('meterops.reading_day_2024_02', 'SELECT 1 FROM %s LIMIT 1') r
              WHERE r.result = '1'")" -gt 1 ]; echo $?)" "rows of a month in several shards"
is "$(q "SELECT sum(pg_relation_size(c.oid)) FROM pg_class c
         WHERE c.oid IN ('meterops.reading_day_2024_01'::regclass, 'meterops.reading_day_2024_02'::regclass,
                         'meterops.customer'::regclass)")" 0 "the coordinator's copies of the moved rows are gone"

"$MO_BIN" db distribute --db "$db" >"$t/out" 2>&1
is "$?:$(tail -1 "$t/out")" "0:schema meterops is distributed already" "a second db distribute does nothing"
is "$("$MO_BIN" db migrate --db "$db" 2>&1)" "schema meterops is up to date" "db migrate does nothing either"

# Loading goes on: the same readings again go through the merge and change nothing.
"$MO_BIN" load --db "$db" --quiet "$t/g/readings.csv" >/dev/null 2>&1
ok "$(q "SELECT status FROM meterops.load_file WHERE path = '$t/g/readings.csv'" | grep -q loaded; echo $?)" \
   "the readings file is known (loaded) after distribution"
"$MO_BIN" requeue "$(q "SELECT file_id FROM meterops.load_file WHERE path = '$t/g/readings.csv'")" --reason test \
    --db "$db" >/dev/null 2>&1
"$MO_BIN" load --db "$db" --quiet --queued >/dev/null 2>&1
is $? 0 "a requeued readings file loads again on the distributed schema"
is "$(snapshot | cut -d' ' -f1-7)" "$(echo "$before" | cut -d' ' -f1-7)" "... through the merge, changing no reading"
done_testing
