#!/bin/sh
# A meter that changes tariff in the middle of a billing period (issue 11): the meters
# feed dates the change (tariff_from), each day is priced by the tariff in force that day
# (its bands, its dated prices, its standing charge), the cost is rounded once at the end,
# and `meterops customer` shows both tariffs with their dates and the cost split at the
# change. Checked against a hand-worked example on the suite's server and, when Citus is
# installed, on a Citus cluster with identical results.
. "$MO_SRCDIR/tests/lib.sh"
t=$(tmpdir)
M=2700003645339

cat >"$t/customers.csv" <<'CSV'
account_no,name,postcode,email,phone
H-MOVE,Morgan Mover,,,
CSV
# A: flat 10p, 20p a day. B: 5p from 00:00 to 07:00 and 25p after, 30p a day.
cat >"$t/tariffs.csv" <<'CSV'
code,name,fuel,standing_p_day,valid_from,valid_to,band,start_local,end_local,unit_p_kwh
T-A,Flat A,elec,20.0000,2024-01-01,,all day,00:00,24:00,10.0000
T-B,Night B,elec,30.0000,2024-01-01,,night,00:00,07:00,5.0000
T-B,Night B,elec,30.0000,2024-01-01,,day,07:00,24:00,25.0000
CSV
# The meter joins on A (no date: since always) ...
cat >"$t/meters1.csv" <<CSV
mpxn,fuel,interval_minutes,account_no,tariff_code,installed_on,removed_on,direction
$M,elec,30,H-MOVE,T-A,2020-01-01,,import
CSV
# ... and a later feed moves it to B from 16 January.
cat >"$t/meters2.csv" <<CSV
mpxn,fuel,interval_minutes,account_no,tariff_code,installed_on,removed_on,direction,tariff_from
$M,elec,30,H-MOVE,T-B,2020-01-01,,import,2024-01-16
CSV
# Dated prices: A's 99p on the 16th must not apply (the meter is on B then); B's 40p for
# the half-hour from 12:00 on the 17th does.
cat >"$t/prices.csv" <<'CSV'
tariff_code,starts,ends,unit_p_kwh
T-A,2024-01-16T00:00:00Z,2024-01-17T00:00:00Z,99.00
T-B,2024-01-17T12:00:00Z,2024-01-17T12:30:00Z,40.00
CSV
# Wh (UTC = local in January): 14th 12:00 1000; 15th 03:00 500, 12:00 1500;
# 16th 03:00 2000, 12:00 1001; 17th 12:00 1000, 20:00 333.
cat >"$t/readings.csv" <<CSV
mpxn,timestamp,kwh
$M,2024-01-14T12:00:00Z,1.000
$M,2024-01-15T03:00:00Z,0.500
$M,2024-01-15T12:00:00Z,1.500
$M,2024-01-16T03:00:00Z,2.000
$M,2024-01-16T12:00:00Z,1.001
$M,2024-01-17T12:00:00Z,1.000
$M,2024-01-17T20:00:00Z,0.333
CSV
chmod -R a+rX "$t"

# Hand-worked, in pence (Wh x p/kWh / 1000), unit + standing:
#   14th (A): 1000 x 10 = 10                            + 20 = 30
#   15th (A): 500 x 10 + 1500 x 10 = 20                 + 20 = 40
#   16th (B): 2000 x 5 (night) = 10; 1001 x 25 = 25.025 + 30 = 65.025
#   17th (B): 1000 x 40 (dated) = 40; 333 x 25 = 8.325  + 30 = 78.325
#   A's part 70 (3.000 kWh), B's part 143.35 (4.334 kWh); the period 213.35 exact, rounded
#   once to 213.35p (the rounded days 30.00 + 40.00 + 65.03 + 78.33 would give 213.36).
DAILY="2024-01-14 10.0000000 20.0000, 2024-01-15 20.0000000 20.0000, 2024-01-16 35.0250000 30.0000, 2024-01-17 48.3250000 30.0000"

# check NAME CONNINFO: the whole example on one database; prints TAP.
check() {
    name=$1 db=$2
    q() { sql "$1" -d "$db"; }
    "$MO_BIN" load --db "$db" --quiet "$t/customers.csv" "$t/tariffs.csv" "$t/meters1.csv" \
        "$t/prices.csv" "$t/readings.csv" >"$t/load.out" 2>&1 || sed "s/^/# /" "$t/load.out"
    ok $? "$name: registry, prices and readings load"
    is "$(q "SELECT h.valid_from || ' ' || t.code FROM meterops.meter_tariff h JOIN meterops.meter m USING (meter_id)
             JOIN meterops.tariff t ON t.tariff_id = h.tariff_id WHERE m.mpxn = '$M'")" "-infinity T-A" \
       "$name: a new meter without tariff_from is on its tariff since always"
    "$MO_BIN" load --db "$db" --quiet "$t/meters2.csv" >/dev/null 2>&1
    ok $? "$name: the meters feed with tariff_from loads"
    periods="SELECT string_agg(h.valid_from || ' ' || t.code, ', ' ORDER BY h.valid_from)
             FROM meterops.meter_tariff h JOIN meterops.meter m USING (meter_id)
             JOIN meterops.tariff t ON t.tariff_id = h.tariff_id WHERE m.mpxn = '$M'"
    is "$(q "$periods")" "-infinity T-A, 2024-01-16 T-B" "$name: A to the 15th, B from the 16th"
    is "$(q "SELECT t.code FROM meterops.meter m JOIN meterops.tariff t USING (tariff_id) WHERE m.mpxn = '$M'")" \
       "T-B" "$name: meter.tariff_id is the current tariff"
    sed 's/2024-01-16$/2024-01-17/' "$t/meters2.csv" >"$t/meters2b.csv"
    "$MO_BIN" load --db "$db" --quiet "$t/meters2b.csv" >/dev/null 2>&1
    ok $? "$name: a feed restating B from the 17th loads"
    is "$(q "$periods")" "-infinity T-A, 2024-01-16 T-B" "$name: restating the tariff in force adds no period"
    is "$(q "SELECT string_agg(day || ' ' || cost_p || ' ' || standing_p, ', ' ORDER BY day)
             FROM meterops.meter_cost_daily('$M', '2024-01-14', '2024-01-17')")" "$DAILY" \
       "$name: each day priced by the tariff in force that day (bands, dated prices, standing charge)"
    is "$(q "SELECT string_agg(tariff_code || ' ' || period_from || ' ' || period_to || ' ' || kwh || ' ' || cost_p, ', ')
             FROM meterops.meter_tariff_periods('$M', '2024-01-01', '2024-01-31')")" \
       "T-A 2024-01-01 2024-01-15 3.000 330.0000000, T-B 2024-01-16 2024-01-31 4.334 563.3500000" \
       "$name: the month splits at the change (days without readings still pay the standing charge)"
    "$MO_BIN" customer --db "$db" H-MOVE --to 2024-01-17 --days 4 --json >"$t/$name.json"
    ok $? "$name: customer --json"
    j() { python3 -c "import json,sys; d=json.load(open('$t/$name.json'), parse_float=str); print($1)"; }
    is "$(j "' '.join(x['cost_p'] for x in d['meters'][0]['days'])")" "30.00 40.00 65.03 78.33" \
       "$name: customer: each day rounded once"
    is "$(j "d['total_cost_p']")" "213.35" "$name: customer: the period's total rounded once from 213.35 exact"
    is "$(j "', '.join(' '.join([x['tariff_code'], x['from'], x['to'], x['kwh'], x['cost_p']]) for x in d['meters'][0]['tariffs'])")" \
       "T-A 2024-01-14 2024-01-15 3.000 70.00, T-B 2024-01-16 2024-01-17 4.334 143.35" \
       "$name: customer: both tariffs with their dates and the cost split at the change"
    "$MO_BIN" customer --db "$db" H-MOVE --to 2024-01-17 --days 4 >"$t/$name.txt" 2>&1
    like "$(cat "$t/$name.txt")" "2024-01-14 to 2024-01-15 +Flat A +3.000 kWh +cost 0.70" \
       "$name: customer: A's days and cost under the meter"
    like "$(cat "$t/$name.txt")" "2024-01-16 to 2024-01-17 +Night B +4.334 kWh +cost 1.43" \
       "$name: customer: B's days and cost under the meter"
    # A feed without tariff_from that changes the tariff: from the day it is loaded.
    sed 's/,T-B,2020-01-01,,import,2024-01-16$/,T-A,2020-01-01,,import,/' "$t/meters2.csv" >"$t/meters3.csv"
    "$MO_BIN" load --db "$db" --quiet "$t/meters3.csv" >/dev/null 2>&1
    is "$(q "$periods")" "-infinity T-A, 2024-01-16 T-B, $(q "SELECT (now() AT TIME ZONE 'Europe/London')::date") T-A" \
       "$name: an undated change starts on the day the feed is loaded; the past keeps its prices"
    is "$(q "SELECT string_agg(day || ' ' || cost_p || ' ' || standing_p, ', ' ORDER BY day)
             FROM meterops.meter_cost_daily('$M', '2024-01-14', '2024-01-17')")" "$DAILY" \
       "$name: the January days cost the same after it"
    # A flat tariff with no dated prices takes a shortcut (sum of Wh x rate): only when it
    # is the tariff of every day asked for. The meter moves to flat C on the 17th.
    q "INSERT INTO meterops.tariff (code, name, fuel, standing_p_day, valid_from) VALUES ('T-C', 'Flat C', 'elec', 50, '2024-01-01');
       INSERT INTO meterops.tariff_band (tariff_id, band, start_minute, end_minute, unit_p_kwh)
       SELECT tariff_id, 'all day', 0, 1440, 40 FROM meterops.tariff WHERE code = 'T-C';
       DELETE FROM meterops.meter_tariff WHERE meter_id = (SELECT meter_id FROM meterops.meter WHERE mpxn = '$M') AND valid_from > '2024-01-16';
       INSERT INTO meterops.meter_tariff (meter_id, valid_from, tariff_id)
       SELECT meter_id, '2024-01-17', (SELECT tariff_id FROM meterops.tariff WHERE code = 'T-C') FROM meterops.meter WHERE mpxn = '$M';
       UPDATE meterops.meter SET tariff_id = (SELECT tariff_id FROM meterops.tariff WHERE code = 'T-C') WHERE mpxn = '$M'" >/dev/null
    c17=$(q "SELECT round(kwh * 40, 7) || ' 50' FROM meterops.meter_cost_daily('$M', '2024-01-17', '2024-01-17')")
    is "$(q "SELECT string_agg(day || ' ' || round(cost_p, 7) || ' ' || round(standing_p), ', ' ORDER BY day)
             FROM meterops.meter_cost_daily('$M', '2024-01-16', '2024-01-17')")" \
       "2024-01-16 35.0250000 30, 2024-01-17 $c17" \
       "$name: a flat current tariff prices only its own days (B's day keeps B's bands)"
    q "DELETE FROM meterops.meter_tariff WHERE meter_id = (SELECT meter_id FROM meterops.meter WHERE mpxn = '$M') AND valid_from = '2024-01-17';
       UPDATE meterops.meter SET tariff_id = (SELECT tariff_id FROM meterops.tariff WHERE code = 'T-A') WHERE mpxn = '$M'" >/dev/null
}

DB=t_meter_tariff
db=$(fresh_db $DB)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
check plain "$db"
cp "$t/plain.json" "$t/plain.keep.json"
# 021 on a database that has meters: each on its current tariff since always.
sql "DELETE FROM meterops.meter_tariff; DELETE FROM meterops.schema_migration WHERE name = 'schema/021_meter_tariff'" -d $DB
"$MO_BIN" db migrate --db "$db" >/dev/null
ok $? "plain: 021 applies again"
is "$(sql "SELECT h.valid_from || ' ' || t.code FROM meterops.meter_tariff h JOIN meterops.meter m USING (meter_id)
           JOIN meterops.tariff t ON t.tariff_id = h.tariff_id WHERE m.mpxn = '$M'" -d $DB)" "-infinity T-A" \
   "plain: 021 puts an existing meter on its current tariff since always"

if [ -z "${SKIP_CITUS:-}" ] && [ -f "$(pg_config --pkglibdir 2>/dev/null || echo /usr/lib/postgresql/15/lib)/citus.so" ]; then
    port=6787
    citus_cluster "$t" $port
    two="host=$t/cluster port=$port dbname=meterops user=postgres"
    "$MO_BIN" db migrate --db "$two" >"$t/migrate.out" 2>&1 || sed "s/^/# /" "$t/migrate.out"
    ok $? "citus: db migrate on the coordinator"
    is "$(sql "SELECT partmethod::text || repmodel::text FROM pg_dist_partition
               WHERE logicalrelid = 'meterops.meter_tariff'::regclass" -d "$two")" "ns" \
       "citus: meter_tariff sits with meter on the coordinator (Citus local)"
    check citus "$two"
    cmp -s "$t/plain.keep.json" "$t/citus.json"
    ok $? "citus: customer --json identical to the single server's"
else
    echo "ok $((_n + 1)) # SKIP Citus is not installed (or SKIP_CITUS is set): the cluster half of this test"; _n=$((_n + 1))
fi
done_testing
