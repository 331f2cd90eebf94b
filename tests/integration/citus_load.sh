#!/bin/sh
# citus_load.sh - the same generated data set through the loader on the suite's single
# server and on a Citus cluster (scripts/pg-sandbox --workers 2): `db migrate` distributes
# (and a second run does nothing), two loaders share the queue, a correction file goes
# through the merge path, a requeued file loads again; then the readings (Wh per meter and
# day), the meter counts and `meterops customer` (usage, cost, insights) are the same on
# both. Skips when the Citus extension is not installed.
. "$MO_SRCDIR/tests/lib.sh"
need_citus
t=$(tmpdir)
port=6710
citus_cluster "$t" $port
one=$(fresh_db t_citus_load)
two="host=$t/cluster port=$port dbname=meterops user=postgres"
q1() { sql "$1" -d "$one"; }
q2() { sql "$1" -d "$two"; }

"$MO_BIN" db migrate --db "$one" >/dev/null || { echo "not ok 1 - migrate (single server)"; exit 1; }
"$MO_BIN" db migrate --db "$two" >"$t/m1" 2>&1
ok $? "db migrate on the coordinator"
is "$(grep -c 'WARNING' "$t/m1")" 0 "and says nothing of Citus's (the local queue's functions are not propagated)"
is "$("$MO_BIN" db migrate --db "$two" 2>&1)" "schema meterops is up to date" "a second db migrate does nothing"
is "$(q2 "SELECT string_agg(logicalrelid::text || ':' || partmethod::text || repmodel::text, ' ' ORDER BY logicalrelid::text)
          FROM pg_dist_partition WHERE logicalrelid::text IN ('meterops.bill', 'meterops.customer', 'meterops.meter',
               'meterops.reading_day', 'meterops.tariff', 'meterops.tariff_band')")" \
   "meterops.bill:nt meterops.customer:nt meterops.meter:ns meterops.reading_day:hs meterops.tariff:nt meterops.tariff_band:nt" \
   "reading_day hash-distributed, meter Citus-local, the registry's small tables reference tables"
is "$(q2 "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid::text ~ '^meterops\.(load_|loader|audit|meter_(seen|tally|active)|schema_)'")" 0 \
   "the load bookkeeping and the meter counts stay plain coordinator tables"

# 40 meters, 4 days over a month's end; the readings in two files (by meter)
"$MO_BIN" gen --meters 40 --days 4 --start 2024-03-30 --seed 7 --files 2 --quiet --out "$t/g" ||
    { echo "not ok - gen"; exit 1; }
set -- "$t"/g/readings*.csv
[ $# -eq 2 ] || { echo "not ok - gen wrote $# readings files"; exit 1; }
r1=$1; r2=$2
# A correction: the first meter-days of the first file again, every value 0.5 kWh more,
# the last interval of each day left out (the merge keeps the stored value there).
awk -F, 'NR == 1 { print; next } NR <= 300 && $2 !~ /T23:30/ { printf "%s,%s,%.3f,%s\n", $1, $2, $3 + 0.5, $4 }' \
    "$r1" >"$t/correction.csv"

for db in "$one" "$two"; do
    "$MO_BIN" load --db "$db" --quiet "$t/g/customers.csv" "$t/g/tariffs.csv" "$t/g/meters.csv" \
        "$t/g/bills.csv" >"$t/reg.out" 2>&1 || { cat "$t/reg.out"; echo "not ok - registry feeds ($db)"; }
done
is "$(q2 "SELECT string_agg(status, ' ' ORDER BY file_id) FROM meterops.load_file")" "loaded loaded loaded loaded" \
   "cluster: the registry feeds load"

# Two loaders at once on the coordinator, one file each, sharing the queue and both making
# the new monthly partitions while the other is loading.
"$MO_BIN" load --db "$two" --quiet --jobs 1 "$r1" >"$t/a.out" 2>&1 & a=$!
"$MO_BIN" load --db "$two" --quiet --jobs 1 "$r2" >"$t/b.out" 2>&1 & b=$!
wait $a; arc=$?
wait $b; brc=$?
is "$arc $brc" "0 0" "cluster: two loaders at once both end well"
is "$(q2 "SELECT count(*) || ' ' || count(DISTINCT path) || ' ' || string_agg(DISTINCT status, ',')
          FROM meterops.load_file WHERE format = 'long'")" "2 2 loaded" \
   "cluster: each readings file queued once and loaded once"
"$MO_BIN" load --db "$one" --quiet --jobs 1 "$r1" "$r2" >/dev/null 2>&1
is $? 0 "single server: the readings load"

# Wh per meter and day, exact: mpxn, day, sum, the intervals present, flags
per_day() {
    sql "SELECT m.mpxn || ' ' || r.day || ' ' || (SELECT coalesce(sum(v), 0) FROM unnest(r.wh) v)
                || ' ' || (SELECT count(v) FROM unnest(r.wh) v) || ' ' || coalesce(encode(r.flags, 'escape'), '-')
         FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id) ORDER BY 1" -d "$1"
}
per_day "$one" >"$t/one.days"
per_day "$two" >"$t/two.days"
is "$(wc -l <"$t/two.days" | tr -d ' ')" "$(wc -l <"$t/one.days" | tr -d ' ')" "the same number of meter-days on both"
ok "$(cmp -s "$t/one.days" "$t/two.days"; echo $?)" "Wh per meter and day identical on both ($(wc -l <"$t/one.days" | tr -d ' ') meter-days)"
ok "$([ "$(q2 "SELECT count(DISTINCT nodeport) FROM pg_dist_shard s JOIN pg_dist_shard_placement p USING (shardid)
              WHERE s.logicalrelid::text LIKE 'meterops.reading_day_%'")" = 2 ]; echo $?)" \
   "the new monthly partitions came out distributed over both workers"

# The correction path on both: every meter-day exists, so the loader merges.
for db in "$one" "$two"; do
    "$MO_BIN" load --db "$db" --quiet "$t/correction.csv" >"$t/c.out" 2>&1 || { cat "$t/c.out"; echo "# correction failed ($db)"; }
done
per_day "$one" >"$t/one.days"
per_day "$two" >"$t/two.days"
ok "$(cmp -s "$t/one.days" "$t/two.days"; echo $?)" "after the correction file: Wh per meter and day identical"
is "$(q2 "SELECT readings_loaded FROM meterops.load_file WHERE path = '$t/correction.csv'")" \
   "$(q1 "SELECT readings_loaded FROM meterops.load_file WHERE path = '$t/correction.csv'")" \
   "the correction file counts the same readings on both"

# Requeue the first readings file on both and load the queue again: the merge gives back
# the file's own values where the correction had changed them.
for db in "$one" "$two"; do
    fid=$(sql "SELECT file_id FROM meterops.load_file WHERE path = '$r1'" -d "$db")
    "$MO_BIN" requeue "$fid" --reason "citus test" --db "$db" >/dev/null 2>&1
    "$MO_BIN" load --db "$db" --quiet --queued >/dev/null 2>&1 || echo "# load --queued failed ($db)"
done
is "$(q2 "SELECT status || ' ' || requeues FROM meterops.load_file WHERE path = '$r1'")" "loaded 1" \
   "cluster: the requeued file loaded again"
per_day "$one" >"$t/one.days"
per_day "$two" >"$t/two.days"
ok "$(cmp -s "$t/one.days" "$t/two.days"; echo $?)" "after the requeue: Wh per meter and day identical"

counts() {
    sql "SELECT (SELECT string_agg(fuel || removed_on || '=' || meters, ' ' ORDER BY fuel, removed_on) FROM meterops.meter_tally)
         || ' / ' || (SELECT string_agg(fuel || chunk || ':' || md5(bits::text), ' ' ORDER BY fuel, chunk) FROM meterops.meter_active)
         || ' / ' || (SELECT string_agg(day || fuel || chunk || ':' || md5(bits::text), ' ' ORDER BY day, fuel, chunk) FROM meterops.meter_seen)" -d "$1"
}
is "$(counts "$two")" "$(counts "$one")" "meter_tally, meter_active and meter_seen identical on both"
# The registry counts follow a change to meter on the coordinator (the triggers live on).
q2 "UPDATE meterops.meter SET removed_on = '2024-04-05' WHERE meter_id IN (SELECT meter_id FROM meterops.meter ORDER BY 1 LIMIT 3)"
is "$(q2 "SELECT sum(meters) FROM meterops.meter_tally WHERE removed_on <> 'infinity'")" 3 \
   "cluster: meter counts triggers follow an UPDATE of meter"
q2 "UPDATE meterops.meter SET removed_on = NULL WHERE removed_on = '2024-04-05'"

# Support desk output, text and JSON, for a few customers: identical.
for acct in $(awk -F, 'NR > 1 && NR <= 4 { print $1 }' "$t/g/customers.csv"); do
    for fmt in "" --json; do
        "$MO_BIN" customer "$acct" --db "$one" --to 2024-04-02 --days 4 $fmt >"$t/one.cust" 2>&1; c1=$?
        "$MO_BIN" customer "$acct" --db "$two" --to 2024-04-02 --days 4 $fmt >"$t/two.cust" 2>&1; c2=$?
        ok "$([ "$c1 $c2" = "0 0" ] && cmp -s "$t/one.cust" "$t/two.cust"; echo $?)" \
           "customer $acct ${fmt:-text}: the same usage, cost and insights on both"
    done
done
# Generic plans of the support functions (queries/functions/plan_mode.sql) on one server
# only: on Citus they cannot be distributed, and the loop above would have failed.
plan_mode="SELECT count(*) FROM pg_proc WHERE pronamespace = 'meterops'::regnamespace
           AND array_to_string(proconfig, ',') LIKE '%plan_cache_mode=force_generic_plan%'"
is "$(q2 "$plan_mode") $(q1 "$plan_mode")" "0 5" \
   "the support functions plan with the values on Citus, once per session on one server"
# Functions that read reading_day route by meter: one shard for one meter.
mpxn=$(awk -F, 'NR == 2 { print $1 }' "$t/g/meters.csv")
like "$(q2 "EXPLAIN SELECT * FROM meterops.reading_day WHERE meter_id = 1 AND day = '2024-03-31'")" \
     "Task Count: 1" "a meter's readings are read from one shard"
is "$(q2 "SELECT count(*) FROM meterops.meter_usage_daily('$mpxn', '2024-03-30', '2024-04-02')")" 4 \
   "meter_usage_daily runs on the coordinator"

"$MO_BIN" status --db "$two" >"$t/status.out" 2>&1
ok "$([ $? -le 2 ] && ! grep -qi 'error\|ERROR:' "$t/status.out"; echo $?)" "meterops status runs on the coordinator"
done_testing
