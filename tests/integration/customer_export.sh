#!/bin/sh
# Export is not use (issue 11): the real Irish HDF file of a solar home, import and export
# loaded onto an import and an export meter named by the meters feed's direction column.
# `meterops customer` counts import only as use, shows export beside it with the net, and
# the export tariff (a Smart Export Guarantee rate) turns export into a credit in the cost;
# --create-meters makes the --export-meter meter an export meter; --export-meter naming an
# import meter fails the file; the meters feed's direction column is checked.
. "$MO_SRCDIR/tests/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
DB=t_cust_export
db=$(fresh_db $DB)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d $DB; }
data="$MO_SRCDIR/tests/fixtures/realdata"
hdf="$data/ie-esb-hdf/HDF_kWh_example_2022-2024.csv"
IMP=10012345678 EXP=10012345679

cat >"$t/customers.csv" <<'CSV'
account_no,name,postcode,email,phone
H-SOLAR,Nuala Solar,,,
CSV
cat >"$t/tariffs.csv" <<'CSV'
code,name,fuel,standing_p_day,valid_from,valid_to,band,start_local,end_local,unit_p_kwh
IE-FLAT,Flat,elec,50.0000,2020-01-01,,all day,00:00,24:00,30.0000
SEG-15,Smart Export Guarantee,elec,0,2020-01-01,,all day,00:00,24:00,15.0000
CSV
cat >"$t/meters.csv" <<CSV
mpxn,fuel,interval_minutes,account_no,tariff_code,installed_on,removed_on,direction
$IMP,elec,30,H-SOLAR,IE-FLAT,2020-01-01,,import
$EXP,elec,30,H-SOLAR,SEG-15,2020-01-01,,export
CSV
chmod -R a+rX "$t"
"$MO_BIN" load --db "$db" --quiet "$t/customers.csv" "$t/tariffs.csv" "$t/meters.csv" >/dev/null 2>&1
is "$?:$(q "SELECT string_agg(mpxn || ' ' || direction, ',' ORDER BY mpxn) FROM meterops.meter")" \
   "0:$IMP import,$EXP export" "the meters feed's direction column registers an import and an export meter"
"$MO_BIN" load --db "$db" --quiet --meter $IMP --export-meter $EXP "$hdf" >/dev/null 2>&1
ok $? "the real HDF file loads: import onto $IMP, export onto $EXP"

# The period: June 2023, a sunny month with export most days.
FROM=2023-06-01 TO=2023-06-30
kwh() { q "SELECT sum(kwh) FROM meterops.meter_usage_daily('$1', '$FROM', '$TO')"; }
imp=$(kwh $IMP); exp=$(kwh $EXP)
ok $([ "$(q "SELECT $exp > 0 AND $imp > 0")" = t ] && echo 0 || echo 1) \
   "June 2023 has import ($imp kWh) and export ($exp kWh)"
"$MO_BIN" customer --db "$db" H-SOLAR --to $TO --days 30 --json >"$t/c.json"
ok $? "customer H-SOLAR --json"
j() { python3 -c "import json,sys; d=json.load(open('$t/c.json')); print($1)"; }
is "$(j "d['electricity']['import_kwh']")" "$imp" "electricity import_kwh is the import meter's kWh only"
is "$(j "d['electricity']['export_kwh']")" "$exp" "export_kwh is the export meter's"
is "$(q "SELECT $(j "d['electricity']['net_kwh']") = $imp - $exp")" t "net_kwh is import less export"
is "$(j "','.join(m['mpxn'] + ' ' + m['direction'] for m in d['meters'])")" "$IMP import,$EXP export" \
   "the meters with their direction, import first"
usage=$(j "[i['message'] for i in d['insights'] if i['kind'] == 'usage'][0]")
like "$usage" "^Your electricity use was $(q "SELECT to_char($imp, 'FM999,999,990.0')") kWh over 30 days" \
   "the usage insight counts import only: $usage"
export_msg=$(j "[i['message'] for i in d['insights'] if i['kind'] == 'export'][0]")
like "$export_msg" "^You exported $(q "SELECT to_char($exp, 'FM999,999,990.0')") kWh of electricity to the grid over 30 days, earning £$(q "SELECT to_char(round($exp * 15 / 100, 2), 'FM990.00')"); your net electricity use was $(q "SELECT to_char($imp - $exp, 'FM999,999,990.0')") kWh" \
   "the export insight: kWh, what the SEG rate earned and the net: $export_msg"
# cost: import at 30p plus 50p a day, less export at 15p, rounded once
is "$(j "d['total_cost_p']")" "$(q "SELECT round($imp * 30 + 30 * 50 - $exp * 15, 2)")" \
   "the total cost is import and standing charges less the export credit, rounded once"
is "$(j "d['meters'][1]['total']['cost_p']")" "$(q "SELECT round(-$exp * 15, 2)")" \
   "the export meter's cost is a credit (negative), with no standing charge"
"$MO_BIN" customer --db "$db" H-SOLAR --to $TO --days 30 >"$t/c.txt"
like "$(cat "$t/c.txt")" "Electricity: $imp kWh used, $exp kWh exported, net $(q "SELECT $imp - $exp") kWh" \
   "the text output shows import, export and net"
like "$(grep -c "Your electricity use was $(q "SELECT to_char($imp + $exp, 'FM999,999,990.0')")" "$t/c.txt")" "^0$" \
   "and never import plus export as use"

# --create-meters: the --export-meter meter is registered as an export meter
"$MO_BIN" load --db "$db" --quiet --create-meters --meter 10022222222 --export-meter 10033333333 \
    "$data/ie-esb-hdf/HDF_kW_example_2023.csv" >/dev/null 2>&1
is "$?:$(q "SELECT string_agg(mpxn || ' ' || direction, ',' ORDER BY mpxn) FROM meterops.meter WHERE mpxn IN ('10022222222', '10033333333')")" \
   "0:10022222222 import,10033333333 export" "--create-meters registers --meter as import and --export-meter as export"

# --export-meter naming an import meter: the file fails, nothing counted as use
sed 's/0\.1610/0.1611/' "$hdf" >"$t/again.csv"; chmod a+r "$t/again.csv"
out=$("$MO_BIN" load --db "$db" --meter 10044444444 --export-meter $IMP --create-meters "$t/again.csv" 2>&1); rc=$?
ok $([ $rc -ne 0 ] && echo 0 || echo 1) "--export-meter naming an import meter: exit $rc"
is "$(q "SELECT status FROM meterops.load_file WHERE path = '$t/again.csv'")" failed "the file failed"
like "$(q "SELECT message FROM meterops.load_file WHERE path = '$t/again.csv'")" \
   "--export-meter $IMP names an import meter; it needs an export meter" "saying why"
is "$(kwh $IMP)" "$imp" "nothing was added to the import meter"

# the meters feed: the old 7-column header still loads (direction kept), a bad value is refused
cat >"$t/meters7.csv" <<CSV
mpxn,fuel,interval_minutes,account_no,tariff_code,installed_on,removed_on
$EXP,elec,30,H-SOLAR,SEG-15,2020-01-02,
10055555555,elec,30,H-SOLAR,IE-FLAT,,
CSV
cat >"$t/meters_bad.csv" <<CSV
mpxn,fuel,interval_minutes,account_no,tariff_code,installed_on,removed_on,direction
10066666666,elec,30,,,,,both
CSV
chmod a+r "$t"/*.csv
"$MO_BIN" load --db "$db" --quiet "$t/meters7.csv" >/dev/null 2>&1
is "$?:$(q "SELECT string_agg(mpxn || ' ' || direction, ',' ORDER BY mpxn) FROM meterops.meter WHERE mpxn IN ('$EXP', '10055555555')")" \
   "0:$EXP export,10055555555 import" "a feed without the direction column: new meters import, known ones keep theirs"
"$MO_BIN" load --db "$db" --quiet "$t/meters_bad.csv" >/dev/null 2>&1

is "$(q "SELECT line_no || ' ' || column_name || ' ' || code || ' ' || e.message FROM meterops.load_error e JOIN meterops.load_file f USING (file_id) WHERE f.path = '$t/meters_bad.csv'")" \
   "2 direction field_invalid direction 'both' is neither import nor export" "direction must be import or export"

# The generator: a share of homes with solar, their export meters known as such (March
# before the clock change: local days are the UTC days the generated bills are over)
"$MO_BIN" gen --quiet --meters 400 --days 2 --start 2024-03-10 --seed 11 --out "$t/gen" >/dev/null
chmod -R a+rX "$t/gen"
nexp=$(awk -F, 'NR > 1 && $8 == "export"' "$t/gen/meters.csv" | wc -l)
ok $([ "$nexp" -ge 5 ] && [ "$nexp" -le 40 ] && echo 0 || echo 1) "gen: $nexp of 400 meters are solar export meters"
is "$(awk -F, 'NR > 1 && $8 == "export" && $5 != "SEG-EXPORT"' "$t/gen/meters.csv" | wc -l)" 0 \
   "every export meter is on the Smart Export Guarantee tariff"
awk -F, 'NR > 1 && $8 == "export" { print $1 }' "$t/gen/meters.csv" >"$t/gen/xp"
is "$(grep -Ff "$t/gen/xp" "$t/gen/readings.csv" | awk -F, '{ h = substr($2, 12, 2) + 0 } (h < 4 || h >= 21) && $3 != "0.000"' | wc -l)" 0 \
   "export meters send nothing at night"
gdb=$(fresh_db t_cust_export_gen)
"$MO_BIN" db migrate --db "$gdb" >/dev/null
"$MO_BIN" load --db "$gdb" --quiet "$t/gen/customers.csv" "$t/gen/tariffs.csv" "$t/gen/meters.csv" \
    "$t/gen/bills.csv" "$t/gen/readings.csv" >/dev/null 2>&1
ok $? "the generated fleet with solar homes loads"
is "$(sql "SELECT count(*) FROM meterops.meter WHERE direction = 'export'" -d t_cust_export_gen)" "$nexp" \
   "its export meters are registered as export"
sacct=$(awk -F, -v m="$(head -1 "$t/gen/xp")" '$1 == m { print $4 }' "$t/gen/meters.csv")
is "$(sql "SELECT count(*) FROM meterops.bill b JOIN meterops.customer c USING (customer_id)
           CROSS JOIN LATERAL (SELECT round(sum(d.cost_p + d.standing_p), 2) AS p,
                                      sum(d.kwh) FILTER (WHERE m.direction = 'import') AS kwh
                               FROM meterops.customer_meters(c.account_no) m
                               CROSS JOIN LATERAL meterops.meter_cost_daily(m.mpxn, b.period_start, b.period_end) d) x
           WHERE b.amount_p <> x.p OR b.kwh <> x.kwh" -d t_cust_export_gen)" 0 \
   "every generated bill (import kWh, export credited) equals the stored functions' figures"
like "$(sql "SELECT message FROM meterops.customer_insights('$sacct', '2024-03-10', '2024-03-11') WHERE kind = 'export'" -d t_cust_export_gen)" \
   "^You exported [0-9.]+ kWh of electricity to the grid over 2 days, earning £[0-9.]+; your net electricity use was -?[0-9.,]+ kWh" \
   "a generated solar customer ($sacct) hears about its export"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS t_cust_export_gen WITH (FORCE)" >/dev/null 2>&1
done_testing
