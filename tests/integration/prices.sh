#!/bin/sh
# Prices that change by date and by half-hour (issue 11): dated unit prices loaded from a
# prices feed price each interval by its start, the tariff's bands the rest; a price change
# in the middle of a billing period splits it; cost is exact and rounded once, checked
# against a hand-worked example. The London trial's 2013 dynamic time-of-use schedule
# (both real layouts) loads as one tariff's prices.
. "$MO_SRCDIR/tests/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
DB=t_prices
db=$(fresh_db $DB)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d $DB; }
data="$MO_SRCDIR/tests/fixtures/realdata"
M=2700003645222

cat >"$t/customers.csv" <<'CSV'
account_no,name,postcode,email,phone
H-DYN,Dana Dynamic,,,
CSV
cat >"$t/tariffs.csv" <<'CSV'
code,name,fuel,standing_p_day,valid_from,valid_to,band,start_local,end_local,unit_p_kwh
T-DYN,Dynamic,elec,20.0000,2024-01-01,,all day,00:00,24:00,10.0000
LCL-DTOU,London dynamic time of use 2013,elec,0,2013-01-01,2014-01-01,Normal,00:00,24:00,11.7600
CSV
cat >"$t/meters.csv" <<CSV
mpxn,fuel,interval_minutes,account_no,tariff_code,installed_on,removed_on,direction
$M,elec,30,H-DYN,T-DYN,2020-01-01,,import
CSV
# Dated prices: 12p to 15 January, 20p from 16 January (a price change inside the billing
# period), and three half-hours of 15 January priced on their own (one negative, as
# Agile's are at times); 15 January's other half-hours have no dated price: the band's 10p.
cat >"$t/prices.csv" <<'CSV'
tariff_code,starts,ends,unit_p_kwh
T-DYN,2024-01-01T00:00:00Z,2024-01-15T00:00:00Z,12.00
T-DYN,2024-01-15T00:00:00Z,2024-01-15T00:30:00Z,5.5
T-DYN,2024-01-15T00:30:00Z,2024-01-15T01:00:00Z,-2.25
T-DYN,2024-01-15T01:00:00+00:00,2024-01-15T01:30:00Z,33.3333
T-DYN,2024-01-16T00:00:00Z,2024-02-01T00:00:00Z,20.00
CSV
# Readings (Wh, UTC = local in January): 14th 12:00 1004; 15th 00:00 1001, 00:30 2000,
# 01:00 333, 01:30 500, 12:00 1000; 16th and 17th 12:00 1000.
cat >"$t/readings.csv" <<CSV
mpxn,timestamp,kwh
$M,2024-01-14T12:00:00Z,1.004
$M,2024-01-15T00:00:00Z,1.001
$M,2024-01-15T00:30:00Z,2.000
$M,2024-01-15T01:00:00Z,0.333
$M,2024-01-15T01:30:00Z,0.500
$M,2024-01-15T12:00:00Z,1.000
$M,2024-01-16T12:00:00Z,1.000
$M,2024-01-17T12:00:00Z,1.000
CSV
chmod -R a+rX "$t"
"$MO_BIN" load --db "$db" --quiet "$t/customers.csv" "$t/tariffs.csv" "$t/meters.csv" "$t/prices.csv" \
    "$t/readings.csv" >/dev/null 2>&1
ok $? "registry, prices feed and readings load"
is "$(q "SELECT count(*) FROM meterops.tariff_price p JOIN meterops.tariff t USING (tariff_id) WHERE t.code = 'T-DYN'")" 5 \
   "the five dated prices are stored"

# Hand-worked, in pence (Wh x p/kWh / 1000):
#   14th: 1004 x 12 = 12.048                                  + 20 standing = 32.048
#   15th: 1001 x 5.5 = 5.5055; 2000 x -2.25 = -4.5; 333 x 33.3333 = 11.0999889;
#         500 x 10 (band) = 5; 1000 x 10 (band) = 10; sum 27.1054889 + 20 = 47.1054889
#   16th: 1000 x 20 = 20                                      + 20 = 40
#   17th: 1000 x 20 = 20                                      + 20 = 40
#   period: 159.1534889 -> 159.15p, rounded once (the rounded days add up to 159.16p)
is "$(q "SELECT string_agg(day || ' ' || cost_p || ' ' || standing_p, ', ' ORDER BY day)
         FROM meterops.meter_cost_daily('$M', '2024-01-14', '2024-01-17')")" \
   "2024-01-14 12.0480000 20.0000, 2024-01-15 27.1054889 20.0000, 2024-01-16 20.0000000 20.0000, 2024-01-17 20.0000000 20.0000" \
   "each day's unit cost is exact: dated prices where given, the band elsewhere, 12p before and 20p after the change"
"$MO_BIN" customer --db "$db" H-DYN --to 2024-01-17 --days 4 --json >"$t/c.json"
j() { python3 -c "import json,sys; d=json.load(open('$t/c.json'), parse_float=str); print($1)"; }
is "$(j "' '.join(x['cost_p'] for x in d['meters'][0]['days'])")" "32.05 47.11 40.00 40.00" \
   "customer: each day rounded once from its exact cost"
is "$(j "d['total_cost_p']")" "159.15" "customer: the billing period's total is 159.15p, rounded once from 159.1534889 (not 159.16, the sum of rounded days)"
is "$(q "SELECT string_agg(band || ':' || count, ' ' ORDER BY band) FROM (
           SELECT band, count(*) FROM meterops.meter_slots_priced('$M', '2024-01-14', '2024-01-17') GROUP BY band) x")" \
   "all day:2 dated:6" "the slots say which were priced by a dated price and which by the band"

# A corrected schedule replaces what it overlaps: 16 January onwards at 22p
cat >"$t/prices2.csv" <<'CSV'
tariff_code,starts,ends,unit_p_kwh
T-DYN,2024-01-16T00:00:00Z,2024-01-17T00:00:00Z,22.00
T-DYN,2024-01-17T00:00:00Z,2024-02-01T00:00:00Z,22.00
CSV
chmod a+r "$t/prices2.csv"
"$MO_BIN" load --db "$db" --quiet "$t/prices2.csv" >/dev/null 2>&1
is "$?:$(q "SELECT sum(cost_p) FROM meterops.meter_cost_daily('$M', '2024-01-16', '2024-01-17')")" "0:44.0000000" \
   "a later prices file replaces the overlapping prices (16th and 17th now 22p)"
is "$(q "SELECT count(*) FROM meterops.tariff_price p JOIN meterops.tariff t USING (tariff_id) WHERE t.code = 'T-DYN'")" 6 \
   "the replaced price is gone, the others kept"

# Refusals: an unknown tariff, an overlap, a repeat, a bad time
cat >"$t/bad.csv" <<'CSV'
tariff_code,starts,ends,unit_p_kwh
NOPE,2024-03-01T00:00:00Z,2024-03-01T00:30:00Z,1
T-DYN,2024-03-01T00:00:00Z,2024-03-01T01:00:00Z,1
T-DYN,2024-03-01T00:30:00Z,2024-03-01T01:30:00Z,1
T-DYN,2024-03-01T00:00:00Z,2024-03-01T01:00:00Z,2
T-DYN,2024-03-01 02:00,2024-03-01T02:30:00Z,1
CSV
chmod a+r "$t/bad.csv"
"$MO_BIN" load --db "$db" --quiet --max-reject-ratio 1 "$t/bad.csv" >/dev/null 2>&1
is "$(q "SELECT string_agg(line_no || ' ' || column_name || ' ' || code, ', ' ORDER BY line_no)
         FROM meterops.load_error e JOIN meterops.load_file f USING (file_id) WHERE f.path = '$t/bad.csv'")" \
   "2 tariff_code unknown_reference, 4 starts field_invalid, 5 starts duplicate_conflict, 6 starts field_invalid" \
   "unknown tariff, overlap, repeated start, time without a zone: each refused on its line"

# The London trial's 2013 schedule, both real layouts, as tariff LCL-DTOU
for f in Tariffs_DDMMYYYY_crlf Tariffs_MDYY_bom_crlf; do
    "$MO_BIN" load --db "$db" --quiet "$data/uk-lcl-dtou-tariffs/$f.csv" >/dev/null 2>&1
    ok $? "$f.csv loads as lcl-prices"
    is "$(q "SELECT format || ' ' || rows_loaded || ' ' || rows_rejected FROM meterops.load_file WHERE path LIKE '%$f.csv'")" \
       "lcl-prices 17520 0" "$f: all 17,520 half-hours of 2013"
    is "$(q "SELECT string_agg(unit_p_kwh || ':' || n, ' ' ORDER BY unit_p_kwh) FROM (
               SELECT p.unit_p_kwh, count(*) AS n FROM meterops.tariff_price p JOIN meterops.tariff t USING (tariff_id)
               WHERE t.code = 'LCL-DTOU' GROUP BY 1) x")" \
       "3.9900:1660 11.7600:15072 67.2000:788" "$f: Low 1,660, Normal 15,072 and High 788 half-hours (SOURCES.md)"
    q "SELECT starts, unit_p_kwh FROM meterops.tariff_price p JOIN meterops.tariff t USING (tariff_id)
       WHERE t.code = 'LCL-DTOU' ORDER BY starts" >"$t/$f.prices"
done
is "$(cmp "$t/Tariffs_DDMMYYYY_crlf.prices" "$t/Tariffs_MDYY_bom_crlf.prices" && echo same)" same \
   "both layouts give the same schedule"
is "$(q "SELECT min(starts) || ' ' || max(ends) FROM meterops.tariff_price p JOIN meterops.tariff t USING (tariff_id) WHERE t.code = 'LCL-DTOU'")" \
   "2013-01-01 00:00:00+00 2014-01-01 00:00:00+00" "GMT half-hours from 1 January 2013 to the year's end"
is "$(q "SELECT p.unit_p_kwh FROM meterops.tariff_price p JOIN meterops.tariff t USING (tariff_id)
         WHERE t.code = 'LCL-DTOU' AND p.starts = '2013-01-04 14:00+00'")" 3.9900 \
   "04-01-2013 14:00 (4 January, DD-MM-YYYY) is Low: 3.99p"
done_testing
