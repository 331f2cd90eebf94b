#!/bin/sh
# The support desk's view of one customer: exact kWh and cost for hand-built customers on
# a flat and an Economy 7 tariff (clock-change days of 46 and 50 half-hours included),
# the half-hourly heatmap, insights, search by every key, masking for support and not for
# operators, support refused every table, and `meterops customer` text, JSON and exit
# codes; then the same functions against the generator's data, where every bill must
# equal the daily costs and no reading may be lost or counted twice across a clock change.
. "$MO_SRCDIR/tests/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
DB=t_customer
db=$(fresh_db $DB)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d $DB; }

for u in support operator nobody; do
    psql -X -q -d $DB -c "DROP ROLE IF EXISTS t_cust_$u" >/dev/null 2>&1
done
psql -X -q -d $DB -c "CREATE ROLE t_cust_support LOGIN IN ROLE meterops_support;
                      CREATE ROLE t_cust_operator LOGIN IN ROLE meterops_operator;
                      CREATE ROLE t_cust_nobody LOGIN" >/dev/null
as() { u=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -tA -F'|' -U "t_cust_$u" -d $DB -c "$1" 2>&1; }
conn_as() { echo "host=$MO_SANDBOX port=5432 user=t_cust_$1 dbname=$DB"; }
cust() { "$MO_BIN" customer --db "$db" "$@"; }

. "$MO_SRCDIR/tests/integration/customer_fixture.sh"

# --- hand-built customers --------------------------------------------------------------------
# T-FLAT: 24.15p/kWh all day, 45.75p a day. T-E7: 13.93p/kWh 00:30-07:30 local, 27.87p
# otherwise, 60.12p a day. T-NEW starts on 2024-03-31, so 30 March has no valid tariff.
# MPANs carry valid check digits (tests/fixtures/realdata/uk-mpan).
FLAT=2700003645222 E7=1200023305967 HOURLY=1900001059816 GAS=8391524108 INS=1412345678901
q "INSERT INTO meterops.tariff (code, name, fuel, standing_p_day, valid_from) VALUES
       ('T-FLAT', 'Flat Test', 'elec', 45.7500, '2024-01-01'),
       ('T-E7', 'Economy 7 Test', 'elec', 60.1200, '2024-01-01'),
       ('T-NEW', 'New Flat', 'elec', 50.0000, '2024-03-31');
   INSERT INTO meterops.tariff_band (tariff_id, band, start_minute, end_minute, unit_p_kwh)
   SELECT tariff_id, b.band, b.s, b.e, b.p FROM meterops.tariff
   JOIN (VALUES ('T-FLAT', 'all day', 0, 1440, 24.1500),
                ('T-E7', 'day', 0, 30, 27.8700), ('T-E7', 'night', 30, 450, 13.9300),
                ('T-E7', 'day', 450, 1440, 27.8700),
                ('T-NEW', 'all day', 0, 1440, 20.0000)) b(code, band, s, e, p) USING (code);
   INSERT INTO meterops.customer (account_no, name, postcode, email, phone) VALUES
       ('H-FLAT', 'Grace Hopper', 'EC1A 1BB', 'grace@example.org', '020 7946 0001'),
       ('H-E7', 'Alan Turing', 'M1 1AE', NULL, '07700 900002'),
       ('H-TWIN', 'Grace Brewster', 'EC1A 1BB', 'gb@example.net', NULL),
       ('H-INS', 'Ada Byron', 'SW1A 2AA', NULL, NULL),
       ('H-100%', 'Percy Underscore_Sign', 'N1 9GU', NULL, NULL),
       ('H-LONG', 'Maximilian Alexander Fotheringham-Cholmondeley Wentworth-Fitzwilliam', 'SW1A 0AA',
        'maximilian.alexander.fotheringham-cholmondeley@parliament-estates.example.org', '+44 20 7946 0123');
   INSERT INTO meterops.meter (mpxn, fuel, interval_minutes, customer_id, tariff_id, installed_on)
   SELECT v.mpxn, v.fuel, v.mins, c.customer_id, t.tariff_id, '2020-01-01'
   FROM (VALUES ('$FLAT', 'elec', 30, 'H-FLAT', 'T-FLAT'), ('$E7', 'elec', 30, 'H-E7', 'T-E7'),
                ('$HOURLY', 'elec', 60, 'H-TWIN', 'T-NEW'), ('$GAS', 'gas', 15, 'H-TWIN', NULL),
                ('$INS', 'elec', 30, 'H-INS', 'T-FLAT')) v(mpxn, fuel, mins, acct, code)
   JOIN meterops.customer c ON c.account_no = v.acct
   LEFT JOIN meterops.tariff t ON t.code = v.code;
   SELECT meterops.ensure_reading_partitions('2024-01-01', '2024-10-31');
   INSERT INTO meterops.load_file (path, sha256, format, status) VALUES ('/hand', repeat('a', 64), 'long', 'loaded');" >/dev/null

day_row() { # day_row MPXN UTC-DAY ARRAY-EXPRESSION [FLAGS-EXPRESSION]
    q "INSERT INTO meterops.reading_day (meter_id, day, wh, flags, file_id)
       SELECT meter_id, '$2', $3, ${4:-NULL}, 1 FROM meterops.meter WHERE mpxn = '$1'" >/dev/null
}
# Flat: a constant per UTC day.
day_row $FLAT 2024-03-30 "array_fill(100, ARRAY[48])"
day_row $FLAT 2024-03-31 "array_fill(200, ARRAY[48])"
day_row $FLAT 2024-10-26 "array_fill(300, ARRAY[48])"
day_row $FLAT 2024-10-27 "array_fill(400, ARRAY[48])"
# Economy 7: 7 Wh times the UTC interval number on 30 March, 100 Wh on the clock-change days.
day_row $E7 2024-03-30 "ARRAY(SELECT 7 * i FROM generate_series(1, 48) i)"
day_row $E7 2024-03-31 "array_fill(100, ARRAY[48])"
day_row $E7 2024-10-26 "array_fill(100, ARRAY[48])"
day_row $E7 2024-10-27 "array_fill(100, ARRAY[48])"
# Hourly: 101 Wh an hour. Gas, 15 minutes: 10 Wh, the quarter from 00:45 missing.
day_row $HOURLY 2024-03-30 "array_fill(101, ARRAY[24])"
day_row $GAS 2024-03-30 "ARRAY(SELECT CASE WHEN i = 4 THEN NULL ELSE 10 END FROM generate_series(1, 96) i)" \
    "convert_to(repeat('AAAM', 1) || repeat('A', 92), 'SQL_ASCII')"
# Insights: 1-7 January 100 Wh a half-hour but 50 at 04:30; 8-14 January 120 Wh but 60 at
# 04:30, with 1000 Wh at 19:30 on Wednesday 10th, 12:30 missing on the 12th and 15:00 and
# 15:30 estimated on the 13th.
for d in 01 02 03 04 05 06 07; do
    day_row $INS 2024-01-$d "ARRAY(SELECT CASE WHEN i = 10 THEN 50 ELSE 100 END FROM generate_series(1, 48) i)"
done
for d in 08 09 10 11 12 13 14; do
    case $d in
    10) day_row $INS 2024-01-$d "ARRAY(SELECT CASE i WHEN 10 THEN 60 WHEN 40 THEN 1000 ELSE 120 END FROM generate_series(1, 48) i)" ;;
    12) day_row $INS 2024-01-$d "ARRAY(SELECT CASE i WHEN 10 THEN 60 WHEN 26 THEN NULL ELSE 120 END FROM generate_series(1, 48) i)" \
            "convert_to(repeat('A', 25) || 'M' || repeat('A', 22), 'SQL_ASCII')" ;;
    13) day_row $INS 2024-01-$d "ARRAY(SELECT CASE WHEN i = 10 THEN 60 ELSE 120 END FROM generate_series(1, 48) i)" \
            "convert_to(repeat('A', 30) || 'EE' || repeat('A', 16), 'SQL_ASCII')" ;;
    *) day_row $INS 2024-01-$d "ARRAY(SELECT CASE WHEN i = 10 THEN 60 ELSE 120 END FROM generate_series(1, 48) i)" ;;
    esac
done

cost() { # cost MPXN FROM TO: day|kwh|cost_p|standing_p|intervals|expected per local day
    q "SELECT day || '|' || kwh || '|' || coalesce(cost_p::text, 'NULL') || '|' || coalesce(standing_p::text, 'NULL')
              || '|' || intervals || '|' || expected
       FROM meterops.meter_cost_daily('$1', '$2', '$3')"
}
# Pence to 7 decimals (the exact scale of Wh x p/kWh / 1000) from Wh x rate in 1e-4 p.
p7() { printf '%d.%07d' $(($1 / 10000000)) $(($1 % 10000000)); }

# Flat: kWh is Wh/1000; cost 24.15p a kWh. Local 30 March (GMT) = UTC 30 March: 48 x 100 Wh.
# Local 31 March is 23 hours (BST from 01:00 UTC): UTC 00:00-22:30 of the 31st, 46 x 200 Wh;
# UTC 23:00 and 23:30 are 00:00 and 00:30 of 1 April (BST), which has 2 of its 48.
is "$(cost $FLAT 2024-03-30 2024-04-01)" \
"2024-03-30|4.800|$(p7 $((4800 * 241500)))|45.7500|48|48
2024-03-31|9.200|$(p7 $((9200 * 241500)))|45.7500|46|46
2024-04-01|0.400|$(p7 $((400 * 241500)))|45.7500|2|48" \
   "flat tariff, spring: 4.800 kWh 115.92p on 48 half-hours, 9.200 kWh 222.18p on the 46 of 31 March, 2 of 48 on 1 April"
# Local 26 October (BST) starts at UTC 25th 23:00, not loaded: UTC 26th 00:00-22:30, 46 x 300.
# Local 27 October is 25 hours: UTC 26th 23:00 and 23:30 (2 x 300) + UTC 27th (48 x 400).
is "$(cost $FLAT 2024-10-26 2024-10-27)" \
"2024-10-26|13.800|$(p7 $((13800 * 241500)))|45.7500|46|48
2024-10-27|19.800|$(p7 $((19800 * 241500)))|45.7500|50|50" \
   "flat tariff, autumn: 27 October has 50 half-hours, 19.800 kWh, 478.17p"
is "$(q "SELECT string_agg(day || ' ' || kwh || ' ' || intervals, ', ') FROM meterops.meter_usage_daily('$FLAT', '2024-10-26', '2024-10-27')")" \
   "2024-10-26 13.800 46, 2024-10-27 19.800 50" "meter_usage_daily (same slotting) agrees"

# Economy 7, 30 March (GMT, local = UTC): interval i (1-48) holds 7i Wh; the night band
# 00:30-07:30 is intervals 2-15: 7 x (2 + ... + 15) = 833 Wh at 13.93p, the other
# 7 x 1176 - 833 = 7399 Wh at 27.87p.
night=$((7 * 119)); all=$((7 * 48 * 49 / 2)); dayw=$((all - night))
is "$night/$all" "833/8232" "hand arithmetic: 833 Wh of 8232 at night"
# 31 March (46 half-hours of 100 Wh): local starts 00:00, 00:30, then 02:00 ... 23:30 BST.
# Night = 00:30 and 02:00-07:00 = 12 half-hours (14 if priced by UTC time), day = 34.
# 27 October (50 half-hours): 00:00 BST is day; 00:30, 01:00 and 01:30 BST, 01:00 and 01:30
# GMT, 02:00-07:00 GMT are night = 16; day = 34.
is "$(cost $E7 2024-03-30 2024-03-31; cost $E7 2024-10-27 2024-10-27)" \
"2024-03-30|8.232|$(p7 $((night * 139300 + dayw * 278700)))|60.1200|48|48
2024-03-31|4.600|$(p7 $((1200 * 139300 + 3400 * 278700)))|60.1200|46|46
2024-10-27|5.000|$(p7 $((1600 * 139300 + 3400 * 278700)))|60.1200|50|50" \
   "Economy 7: priced by the band of each interval's LOCAL start (217.81382p, 111.474p, 117.046p)"

# The same three days priced by an independent oracle: GNU date's Europe/London rules
# for every interval's local day and time.
oracle() { # oracle UTC-DAY WH-EXPRESSION(i): lines "local-day rate-class wh"
    base=$(date -u -d "$1 00:00" +%s)
    i=1
    while [ $i -le 48 ]; do
        lt=$(TZ=Europe/London date -d "@$((base + (i - 1) * 1800))" '+%F %H%M')
        hm=${lt#* }; hm=${hm#0}; hm=${hm#0}
        band=day; [ "${hm:-0}" -ge 30 ] && [ "${hm:-0}" -lt 730 ] && band=night
        echo "${lt% *} $band $(($2))"
        i=$((i + 1))
    done
}
{ oracle 2024-03-30 '7 * i'; oracle 2024-03-31 100; oracle 2024-10-26 100; oracle 2024-10-27 100; } >"$t/oracle"
want=$(awk '$1 == "2024-03-30" || $1 == "2024-03-31" || $1 == "2024-10-27" {
               wh[$1] += $3; n[$1]++; c[$1] += $3 * ($2 == "night" ? 139300 : 278700) }
            END { for (d in wh) printf "%s|%d|%d|%.0f\n", d, wh[d], n[d], c[d] }' "$t/oracle" | sort)
got=$(q "SELECT day || '|' || (kwh * 1000)::int || '|' || intervals || '|' || (cost_p * 10000000)::bigint
         FROM meterops.meter_cost_daily('$E7', '2024-03-30', '2024-10-27') WHERE intervals > 0 AND day IN ('2024-03-30', '2024-03-31', '2024-10-27')")
is "$got" "$want" "Economy 7 costs agree with GNU date's Europe/London clock, interval by interval"

# --- heatmap -----------------------------------------------------------------------------------
hh() { q "SELECT $1 FROM meterops.meter_usage_halfhourly('$2', '$3', '$4')"; }
is "$(hh "count(*) || '/' || min(slot) || '-' || max(slot) || '/' || sum(wh)" $FLAT 2024-03-31 2024-03-31)" "46/0-45/9200" \
   "heatmap: 31 March has 46 slots (0-45)"
is "$(hh "string_agg(slot || '@' || to_char(local_start, 'HH24:MI'), ' ' ORDER BY slot)" $FLAT 2024-03-31 2024-03-31 | cut -d' ' -f1-4)" \
   "0@00:00 1@00:30 2@02:00 3@02:30" "heatmap: after 00:30 comes 02:00 on 31 March"
is "$(hh "count(*) || '/' || max(slot) || '/' || sum(wh)" $FLAT 2024-10-27 2024-10-27)" "50/49/19800" "heatmap: 27 October has 50 slots"
is "$(hh "string_agg(slot || '@' || to_char(local_start, 'HH24:MI') || '=' || wh, ' ' ORDER BY slot)" $FLAT 2024-10-27 2024-10-27 | cut -d' ' -f1-6)" \
   "0@00:00=300 1@00:30=300 2@01:00=400 3@01:30=400 4@01:00=400 5@01:30=400" \
   "heatmap: 01:00 and 01:30 twice on 27 October, the first two from the UTC day before"
is "$(hh "count(*) || '/' || count(wh) || '/' || string_agg(wh::text, ',' ORDER BY slot) FILTER (WHERE wh IS NOT NULL)" $FLAT 2024-04-01 2024-04-01)" \
   "48/2/200,200" "heatmap: missing half-hours are NULL cells (48 slots, 2 with data)"
is "$(hh "count(*) || '/' || sum(wh) || '/' || string_agg(wh::text, ',' ORDER BY slot) FILTER (WHERE slot < 4)" $HOURLY 2024-03-30 2024-03-30)" \
   "48/2424/51,50,51,50" "heatmap: an hourly meter's 101 Wh split 51 + 50 over its half-hours, the day's 2424 Wh kept"
is "$(hh "count(wh) || '/' || sum(wh) || '/' || coalesce(string_agg(slot::text, ',') FILTER (WHERE wh IS NULL), '-')" $GAS 2024-03-30 2024-03-30)" \
   "47/940/1" "heatmap: a 15-minute meter's quarters summed; the half-hour missing a quarter is NULL"

# --- time zones, tariffs and service periods -----------------------------------------------------
is "$(cost $HOURLY 2024-03-30 2024-03-31)" \
"2024-03-30|2.424|NULL|NULL|24|24
2024-03-31|0.000|0.000|50.0000|0|23" \
   "no tariff valid on 30 March: cost and standing NULL; 31 March priced (23 hourly intervals expected)"
is "$(cost $GAS 2024-03-30 2024-03-30)" "2024-03-30|0.950|NULL|NULL|95|96" "a meter without tariff: NULL cost, 95 of 96 quarters of 10 Wh"
q "UPDATE meterops.meter SET installed_on = '2024-03-31' WHERE mpxn = '$FLAT'" >/dev/null
is "$(cost $FLAT 2024-03-30 2024-03-31 | cut -d'|' -f1,4,6)" "2024-03-30|0|0
2024-03-31|45.7500|46" "before installation: no standing charge and no readings expected"
q "UPDATE meterops.meter SET installed_on = '2020-01-01' WHERE mpxn = '$FLAT'" >/dev/null
is "$(cost 0000000000000 2024-03-30 2024-03-31)" "" "unknown meter: no rows"
is "$(q "SELECT expected || '|' || standing_p FROM meterops.meter_cost_daily('$FLAT', current_date + 2, current_date + 2)")" \
   "0|45.7500" "a day still to come expects no readings yet"

# --- insights ------------------------------------------------------------------------------------
ins() { q "SELECT kind || ': ' || message FROM meterops.customer_insights('$1', '$2', '$3')"; }
# 8-14 January: 5 days of 47 x 120 + 60 = 5700 Wh, the 10th 5700 - 120 + 1000 = 6580, the 12th
# 5700 - 120 = 5580: 40660 Wh = 40.7 kWh, 5.8 a day. 1-7 January: 7 x (47 x 100 + 50) = 33250.
# Change (40660 - 33250) / 33250 = 22.3%. Cost 40.66 x 24.15 + 7 x 45.75 = 1302.189p = £13.02.
# Peak: the 10th, 6.58 x 24.15 + 45.75 = 204.657p = £2.05, among the 6 complete days (the 12th
# misses 12:30). Baseload: every complete day's lowest half-hour is 60 Wh = 0.12 kW; a year at
# 24.15p: 0.12 x 24 x 24.15 x 365 / 100 = £253.86 = £254.
is "$(ins H-INS 2024-01-08 2024-01-14)" \
"usage: Your electricity use was 40.7 kWh over 7 days, 5.8 kWh a day on average, costing £13.02 with standing charges.
change: Your electricity use was 22% higher than in the previous 7 days (40.7 kWh against 33.3 kWh).
peak_day: Most expensive day: Wednesday 10 January, £2.05 (of the 6 days with complete readings).
baseload: Your always-on use is 0.12 kW (the lowest half-hour of a typical day): about £254 a year for appliances that never switch off.
missing: 1 half-hour of readings is missing from meter $INS (electricity) in this period, so its totals may be low.
estimated: 2 half-hours from meter $INS (electricity) were estimated rather than read from the meter." \
   "insights for a week: usage, change, most expensive day, baseload, the gap and the estimates, exactly"
# The week before has nothing before it: no change; 7 complete days: no "(of the ...)".
is "$(ins H-INS 2024-01-01 2024-01-07 | cut -d: -f1 | tr '\n' ' ')" "usage peak_day baseload " \
   "no comparison without a previous period"
# Economy 7 over 30-31 March: night (833 + 1200) / (8232 + 4600) = 15.8%; the 30th costs
# 217.81382 + 60.12 = 277.93p = £2.78; 12.832 kWh, £4.50 for both days.
is "$(ins H-E7 2024-03-30 2024-03-31)" \
"usage: Your electricity use was 12.8 kWh over 2 days, 6.4 kWh a day on average, costing £4.50 with standing charges.
peak_day: Most expensive day: Saturday 30 March, £2.78.
time_of_use: On Economy 7 Test, 16% of your electricity was used at the cheaper night rate (13.93p a kWh, against 27.87p)." \
   "insights on Economy 7: the share at the night rate"
is "$(ins H-TWIN 2024-03-30 2024-03-30)" \
"usage: Your electricity use was 2.4 kWh over 1 day, 2.4 kWh a day on average.
usage: Your gas use was 1.0 kWh over 1 day, 1.0 kWh a day on average.
missing: 1 quarter-hour of readings is missing from meter $GAS (gas) in this period, so its totals may be low.
no_tariff: Meter $HOURLY (electricity) has no tariff valid on any of these days, so their cost is not shown.
no_tariff: Meter $GAS (gas) has no tariff, so its cost is not shown." \
   "insights say when cost cannot be shown and which meter has gaps"
is "$(ins H-100% 2024-03-30 2024-03-31)" "no_meters: No meters are registered to this account." "an account without meters says so"
is "$(ins H-FLAT 2024-06-01 2024-06-02)" "no_data: No readings from meter $FLAT (electricity) in this period." \
   "a meter that sent nothing is named"
is "$(ins NO-SUCH 2024-03-30 2024-03-31)" "" "unknown account: no insights"

# --- search --------------------------------------------------------------------------------------
find() { q "SELECT string_agg(account_no || ':' || matched_by, ' ' ORDER BY account_no) FROM meterops.customer_find('$1')"; }
is "$(find H-E7)" "H-E7:account_no" "by account number"
is "$(find ' H-E7 ')" "H-E7:account_no" "spaces around the account number ignored"
is "$(find h-e7)" "" "account number is exact: h-e7 finds nothing"
is "$(find $E7)" "H-E7:mpxn" "by MPAN core"
is "$(find '12 0002 3305 967')" "H-E7:mpxn" "by MPAN written with spaces"
is "$(find "01801100$E7")" "H-E7:mpxn" "by 21-digit full MPAN (its core)"
is "$(find $GAS)" "H-TWIN:mpxn" "by MPRN, any of the customer's meters"
is "$(find 'm11ae')" "H-E7:postcode" "by postcode, case and spaces ignored"
is "$(find 'EC1A 1BB')" "H-FLAT:postcode H-TWIN:postcode" "a postcode shared by two customers finds both"
is "$(find 'HOPP')" "H-FLAT:name" "by name, case-insensitive substring"
is "$(find 'grace')" "H-FLAT:name H-TWIN:name" "a name part shared by two finds both"
is "$(find 'Gr')" "" "a name needs at least 3 characters"
is "$(find '___')" "" "LIKE wildcards in REF are literal (___ matches nothing)"
is "$(find 'e_S')" "H-100%:name" "an underscore matches only an underscore"
is "$(find '100%')" "" "a percent sign is literal"
is "$(q "SELECT string_agg(account_no || ':' || matched_by || ':' || matches, ' ') FROM meterops.customer_find('H-TWIN')")" \
   "H-TWIN:account_no:1" "one customer matching several ways is listed once, by its strongest match"
q "INSERT INTO meterops.customer (account_no, name) SELECT 'BULK-' || g, 'Bulk Customer ' || g FROM generate_series(1, 60) g" >/dev/null
is "$(q "SELECT count(*) || '/' || min(matches) FROM meterops.customer_find('bulk customer')")" "50/60" \
   "at most 50 rows, and matches counts all 60"

# --- roles and masking ---------------------------------------------------------------------------
is "$(as support "SELECT name, postcode, email, phone, masked FROM meterops.customer_find('H-FLAT')")" \
   "G***********|EC1A ***|g***@example.org|**********001|t" "support sees personal data masked"
is "$(as support "SELECT name, postcode, email, phone FROM meterops.customer_find('H-FLAT')")" \
   "$(as support "SELECT name, postcode, email, phone FROM meterops.customer_masked WHERE account_no = 'H-FLAT'")" \
   "masked exactly as the customer_masked view (one masking rule)"
is "$(as operator "SELECT name, postcode, email, phone, masked FROM meterops.customer_find('H-FLAT')")" \
   "Grace Hopper|EC1A 1BB|grace@example.org|020 7946 0001|f" "operators see personal data in full"
is "$(as support "SELECT count(*) FROM meterops.customer_find('hopper')")" 0 \
   "support may not search by name (it would unmask it; tests/integration/roles.sh tries more)"
is "$(as support "SELECT count(*) FROM meterops.customer_find('EC1A 1BB')")" 0 "nor by postcode"
is "$(as operator "SELECT count(*) FROM meterops.customer_find('hopper')")" 1 "an operator may"
is "$(as support "SELECT string_agg(mpxn || ' ' || coalesce(tariff_code, '-'), ',') FROM meterops.customer_meters('H-TWIN')")" \
   "$HOURLY T-NEW,$GAS -" "support lists a customer's meters (electricity first)"
is "$(as support "SELECT kwh FROM meterops.meter_cost_daily('$E7', '2024-03-31', '2024-03-31')")" 4.600 "support reads daily cost"
is "$(as support "SELECT count(*) FROM meterops.meter_usage_halfhourly('$E7', '2024-10-27', '2024-10-27')")" 50 "support reads the heatmap"
is "$(as support "SELECT count(*) FROM meterops.customer_insights('H-E7', '2024-03-30', '2024-03-31')")" 3 "support reads insights"
for tbl in customer meter tariff tariff_band reading_day bill; do
    like "$(as support "SELECT count(*) FROM meterops.$tbl")" "permission denied for table $tbl" "support cannot read $tbl"
done
like "$(as support "SELECT count(*) FROM meterops.meter_slots('$E7', '2024-03-30', '2024-03-31')")" \
   "permission denied for function meter_slots" "support cannot call the internal slotting helper"
like "$(as support "SELECT count(*) FROM meterops.meter_slots_priced('$E7', '2024-03-30', '2024-03-31')")" \
   "permission denied for function meter_slots_priced" "nor the pricing helper"
like "$(as nobody "SELECT * FROM meterops.customer_find('H-E7')")" "permission denied" "a role that is neither cannot search"
is "$(q "SELECT string_agg(p.proname || ':' || p.prosecdef || ':' || coalesce(array_to_string(p.proconfig, ','), ''), ' ' ORDER BY p.proname)
         FROM pg_proc p WHERE p.pronamespace = 'meterops'::regnamespace
          AND p.proname IN ('customer_find', 'customer_meters', 'meter_cost_daily', 'meter_usage_halfhourly', 'customer_insights')")" \
   "customer_find:true:search_path=pg_catalog, meterops,jit=off,plan_cache_mode=force_generic_plan customer_insights:true:search_path=pg_catalog, meterops,jit=off,plan_cache_mode=force_generic_plan customer_meters:true:search_path=pg_catalog, meterops,jit=off meter_cost_daily:true:search_path=pg_catalog, meterops,jit=off,plan_cache_mode=force_generic_plan meter_usage_halfhourly:true:search_path=pg_catalog, meterops,jit=off,plan_cache_mode=force_generic_plan" \
   "the support functions are SECURITY DEFINER with search_path pinned, and plan once per session (db migrate)"

# --- meterops customer: text ---------------------------------------------------------------------
out=$(LC_ALL=C.UTF-8 cust H-E7 --to 2024-03-31 --days 2); rc=$?
is "$rc" 0 "one customer found: exit 0"
full=$(printf '\342\226\210%.0s' $(seq 32)); part=$(printf '\342\226\210%.0s' $(seq 17))$(printf '\342\226\211')
like "$out" "^Customer H-E7  Alan Turing  M1 1AE  07700 900002" "identity line (superuser: not masked)"
like "$out" "  $E7  elec  30 min  Economy 7 Test            2020-01-01" "meter line with its tariff"
like "$out" "2024-03-30  Sat    8\.232     2\.78  $full     48/48" "30 March: kWh, cost £2.78, the longest bar (32 columns)"
# 4.6 / 8.232 of 32 columns = 17.88 = 143 eighths: 17 full blocks and seven eighths.
like "$out" "2024-03-31  Sun    4\.600     1\.72  $part  .*   46/46" "31 March: 46 of 46 half-hours, bar scaled to the max day"
like "$out" "  Total +12\.832 +4\.50 +94/94" "per-meter total: 12.832 kWh, £4.50, 94/94"
like "$out" "Cost of the 2 days, all meters, standing charges included: £4\.50" "customer total"
like "$out" "  - On Economy 7 Test, 16% of your electricity was used at the cheaper night" "insights, wrapped"
[ "$(printf '%s\n' "$out" | LC_ALL=C.UTF-8 wc -L)" -le 80 ]; ok $? "no line wider than 80 columns"
printf '%s' "$out" | grep -q "$(printf '\033')"; ok $((!$?)) "no colour when stdout is not a terminal"
out=$(LC_ALL=C.UTF-8 cust H-LONG --to 2024-03-31 --days 2)
is "$(printf '%s\n' "$out" | sed -n 1,5p)" \
"Customer H-LONG
         Maximilian Alexander Fotheringham-Cholmondeley Wentworth-Fitzwilliam
         SW1A 0AA
         maximilian.alexander.fotheringham-cholmondeley@parliament-estates.ex…
         +44 20 7946 0123" \
   "a long identity wraps under the account, a field too long for a line is cut"
[ "$(printf '%s\n' "$out" | LC_ALL=C.UTF-8 wc -L)" -le 80 ]; ok $? "and stays within 80 columns"
q "UPDATE meterops.customer SET name = 'Eve' || chr(27) || '[2J Mallory' WHERE account_no = 'H-100%'" >/dev/null
out=$(LC_ALL=C.UTF-8 cust H-100% --to 2024-03-31 --days 1)
like "$out" "^Customer H-100%  Eve\\\\x1B\[2J Mallory  N1 9GU" "control characters from the database are shown escaped (\\x1B)"
printf '%s' "$out" | grep -q "$(printf '\033')"; ok $((!$?)) "so no escape sequence reaches the terminal"
out=$(LC_ALL=C cust H-E7 --to 2024-03-31 --days 2)
like "$out" "DATE        DAY      kWh COST GBP  USE" "non-UTF-8 locale: COST GBP"
like "$out" "2024-03-30  Sat    8\.232     2\.78  #{32}     48/48" "and # bars"
like "$out" "costing GBP4\.50" "and GBP for £ in insights"
out=$(LC_ALL=C cust H-FLAT --to 2024-04-01 --days 3)
like "$out" "2024-04-01  Mon    0\.400     0\.55  # +2/48" "a day with 2 of 48 half-hours shows 2/48"
out=$(cust H-TWIN --to 2024-03-30 --days 1)
like "$out" "2024-03-30  Sat    2\.424        -  " "a day without a valid tariff has no cost (-)"
like "$out" "Cost of the 1 day: not known" "nor has the total"

if command -v script >/dev/null 2>&1; then
    tty_out=$(TERM=xterm LC_ALL=C.UTF-8 script -qec "'$MO_BIN' customer --db '$db' H-E7 --to 2024-03-31 --days 2" /dev/null)
    printf '%s' "$tty_out" | grep -q "$(printf '\033\\[1m')"; ok $? "colour on a terminal"
    tty_out=$(NO_COLOR=1 TERM=xterm LC_ALL=C.UTF-8 script -qec "'$MO_BIN' customer --db '$db' H-E7 --to 2024-03-31 --days 2" /dev/null)
    printf '%s' "$tty_out" | grep -q "$(printf '\033')"; ok $((!$?)) "no colour on a terminal when NO_COLOR is set"
fi

# --- meterops customer: search outcomes and exit codes -------------------------------------------
out=$(cust 'ec1a1bb'); rc=$?
is "$rc" 1 "two customers match: exit 1"
like "$out" "'ec1a1bb' matches 2 customers:" "and says so"
like "$out" "  H-FLAT        Grace Hopper                  EC1A 1BB        1  postcode" "listing each"
out=$(cust 'no such person' 2>&1); rc=$?
is "$rc" 1 "no customer: exit 1"
like "$out" "no customer matches 'no such person'" "and says so"
out=$(cust Gr 2>&1); rc=$?
like "$out" "names need at least 3 characters" "a too-short name search is explained"
out=$(cust H-E7 --days 0 2>&1); rc=$?
is "$rc" 2 "--days 0: exit 2"
out=$(cust H-E7 --to 2024-02-30 2>&1); rc=$?
is "$rc" 2 "--to with an impossible date: exit 2"
like "$out" "--to '2024-02-30' is not a date" "naming the value"
out=$("$MO_BIN" customer 2>&1); rc=$?
is "$rc" 2 "no REF: exit 2"
out=$("$MO_BIN" customer --db "host=$MO_SANDBOX port=5432 dbname=t_customer_nosuch user=postgres" H-E7 2>&1); rc=$?
is "$rc" 2 "no database: exit 2"
out=$("$MO_BIN" customer --db "$(conn_as nobody)" H-E7 2>&1); rc=$?
is "$rc" 2 "database error (no right to search): exit 2"
like "$out" "permission denied for schema meterops" "with the server's reason"

# --- meterops customer as support and operator ---------------------------------------------------
out=$("$MO_BIN" customer --db "$(conn_as support)" H-FLAT --to 2024-03-31 --days 2); rc=$?
is "$rc" 0 "the support role runs meterops customer"
like "$out" "^Customer H-FLAT  G\*{11}  EC1A \*\*\*  g\*\*\*@example.org  \*{10}001" "masked identity for support"
like "$out" "personal data masked" "and says it is masked"
out=$("$MO_BIN" customer --db "$(conn_as operator)" H-FLAT --to 2024-03-31 --days 2)
like "$out" "^Customer H-FLAT  Grace Hopper  EC1A 1BB  grace@example.org  020 7946 0001" "full identity for an operator"

# --- meterops customer --json --------------------------------------------------------------------
"$MO_BIN" customer --db "$(conn_as support)" H-E7 --to 2024-03-31 --days 2 --json >"$t/one.json"; rc=$?
is "$rc" 0 "--json: exit 0"
python3 -m json.tool "$t/one.json" >/dev/null; ok $? "--json prints valid JSON"
pj() { python3 -c "import json, sys; d = json.load(open(sys.argv[1]), parse_float=str); print($2)" "$1"; }
is "$(pj "$t/one.json" "d['customer']['name'], d['customer']['masked'], d['from'], d['to'], d['days']")" \
   "A********** True 2024-03-30 2024-03-31 2" "customer (masked for support) and period"
is "$(pj "$t/one.json" "[(x['date'], x['kwh'], x['cost_p'], x['intervals'], x['expected']) for x in d['meters'][0]['days']]")" \
   "[('2024-03-30', '8.232', '277.93', 48, 48), ('2024-03-31', '4.600', '171.59', 46, 46)]" \
   "days with exact kWh and cost in pence as JSON numbers"
is "$(pj "$t/one.json" "d['meters'][0]['total'], d['total_cost_p'], d['meters'][0]['tariff_code']")" \
   "{'kwh': '12.832', 'cost_p': '449.53', 'intervals': 94, 'expected': 94} 449.53 T-E7" "totals"
is "$(pj "$t/one.json" "[i['kind'] for i in d['insights']]")" "['usage', 'peak_day', 'time_of_use']" "insights"
"$MO_BIN" customer --db "$db" H-TWIN --to 2024-03-30 --days 1 --json >"$t/twin.json"
is "$(pj "$t/twin.json" "d['meters'][1]['days'][0]['cost_p'], d['meters'][1]['total']['cost_p'], d['total_cost_p'], d['meters'][1]['removed_on']")" \
   "None None None None" "unknown costs and absent dates are null"
q "UPDATE meterops.customer SET name = E'Tab\\there \"Quote\" \\\\ back' WHERE account_no = 'H-INS'" >/dev/null
"$MO_BIN" customer --db "$db" H-INS --to 2024-01-14 --days 7 --json >"$t/esc.json"
python3 -m json.tool "$t/esc.json" >/dev/null; ok $? "a name with a tab, quotes and a backslash is valid JSON"
is "$(pj "$t/esc.json" "repr(d['customer']['name'])")" "'Tab\\there \"Quote\" \\\\ back'" "and comes back intact"
"$MO_BIN" customer --db "$db" grace --json >"$t/many.json"; rc=$?
is "$rc" 1 "--json with two matches: exit 1"
is "$(pj "$t/many.json" "d['error'], d['count'], [m['account_no'] for m in d['matches']]")" \
   "ambiguous 2 ['H-TWIN', 'H-FLAT']" "lists them as JSON, by name (Brewster before Hopper)"
"$MO_BIN" customer --db "$db" nobody-here --json >"$t/none.json" 2>/dev/null; rc=$?
is "$rc/$(pj "$t/none.json" "d['error'], d['matches']")" "1/not_found []" "--json with no match: exit 1, not_found"

# --- the generator's customers ------------------------------------------------------------------
# January (GMT: local days are UTC days, as the generator's bills are), no faults: each bill
# is its meters' standing charges plus their readings priced by band, rounded once to 0.01p.
"$MO_BIN" gen --quiet --meters 60 --days 14 --start 2024-01-08 --missing-rate 0.001 --seed 21 --out "$t/jan" &&
    gdb=$(fresh_db t_customer_gen) && "$MO_BIN" db migrate --db "$gdb" >/dev/null && fixture_load t_customer_gen "$t/jan"
ok $? "generated registry and readings loaded"
gq() { sql "$1" -d t_customer_gen; }
is "$(gq "SELECT count(*) || ' bills, ' || count(*) FILTER (WHERE b.amount_p <> x.p OR b.kwh <> x.kwh) || ' differ'
          FROM meterops.bill b JOIN meterops.customer c USING (customer_id)
          CROSS JOIN LATERAL (SELECT round(sum(d.cost_p + d.standing_p), 2) AS p,
                                     sum(d.kwh) FILTER (WHERE m.direction = 'import') AS kwh
                              FROM meterops.customer_meters(c.account_no) m
                              CROSS JOIN LATERAL meterops.meter_cost_daily(m.mpxn, b.period_start, b.period_end) d) x")" \
   "$(($(wc -l <"$t/jan/bills.csv") - 1)) bills, 0 differ" "every generated bill equals the daily costs and kWh of its period"
e7acct=$(awk -F, '$5 == "ELEC-E7" { print $4; exit }' "$t/jan/meters.csv")
ok "$([ -n "$e7acct" ]; echo $?)" "the generated data has an Economy 7 customer ($e7acct)"
like "$(sql "SELECT message FROM meterops.customer_insights('$e7acct', '2024-01-15', '2024-01-21') WHERE kind = 'time_of_use'" -d t_customer_gen)" \
   "^On Economy 7, [0-9]+% of your electricity was used at the cheaper night rate \(13\.93p a kWh, against 27\.87p\)\.$" \
   "a generated Economy 7 home gets its night share"
out=$("$MO_BIN" customer --db "$gdb" "$e7acct" --to 2024-01-21 --days 14); rc=$?
is "$rc" 0 "meterops customer on a generated customer"
is "$(printf '%s\n' "$out" | grep -c '^  2024-01-')" 14 "14 daily rows"

# Across the October clock change: every reading lands in exactly one local day.
"$MO_BIN" gen --quiet --meters 30 --days 10 --start 2024-10-22 --seed 22 --out "$t/oct" &&
    odb=$(fresh_db t_customer_oct) && "$MO_BIN" db migrate --db "$odb" >/dev/null && fixture_load t_customer_oct "$t/oct"
ok $? "generated October data loaded"
is "$(sql "SELECT sum(d.kwh * 1000)::bigint || ' Wh in ' || sum(d.intervals) || ' intervals'
           FROM meterops.meter m CROSS JOIN LATERAL meterops.meter_cost_daily(m.mpxn, '2024-10-21', '2024-11-01') d" -d t_customer_oct)" \
   "$(awk -F, 'NR > 1 { v = $3; sub(/\./, "", v); s += v; n++ } END { printf "%.0f Wh in %d intervals", s, n }' "$t/oct/readings.csv")" \
   "local days hold every generated reading once (Wh and count)"
m1=$(awk -F, 'NR == 2 { print $1 }' "$t/oct/meters.csv")
is "$(sql "SELECT string_agg(n::text, ' ' ORDER BY day) FROM (SELECT day, count(*) AS n FROM meterops.meter_usage_halfhourly('$m1', '2024-10-26', '2024-10-28') GROUP BY day) s" -d t_customer_oct)" \
   "48 50 48" "heatmap rows: 48, 50, 48 around 27 October"
is "$(sql "SELECT count(*) FROM meterops.meter_cost_daily('$m1', '2024-10-23', '2024-10-31') d
           JOIN (SELECT day, sum(wh) AS wh FROM meterops.meter_usage_halfhourly('$m1', '2024-10-23', '2024-10-31') GROUP BY day) h USING (day)
           WHERE d.kwh * 1000 <> h.wh AND d.intervals = d.expected" -d t_customer_oct)" 0 \
   "on complete days the heatmap adds up to the daily kWh"
# Standing charges aside, a customer's bills price the same readings by the same local bands
# over UTC days; summed over the whole range they equal the local-day costs, up to each
# bill's rounding to 0.01p.
is "$(sql "WITH b AS (SELECT c.account_no, sum(b.amount_p) AS billed, count(*) AS n,
                             sum((SELECT sum(t.standing_p_day) * (b.period_end - b.period_start + 1)
                                  FROM meterops.meter m JOIN meterops.tariff t USING (tariff_id)
                                  WHERE m.customer_id = c.customer_id)) AS standing
                      FROM meterops.bill b JOIN meterops.customer c USING (customer_id) GROUP BY c.account_no),
                l AS (SELECT b.account_no, sum(d.cost_p) AS cost
                      FROM b CROSS JOIN LATERAL meterops.customer_meters(b.account_no) m
                      CROSS JOIN LATERAL meterops.meter_cost_daily(m.mpxn, '2024-10-21', '2024-11-01') d
                      GROUP BY b.account_no)
           SELECT count(*) || ' customers, ' || count(*) FILTER (WHERE abs(b.billed - b.standing - l.cost) > 0.005 * b.n) || ' off'
           FROM b JOIN l USING (account_no)" -d t_customer_oct)" \
   "$(($(cut -d, -f1 "$t/oct/bills.csv" | sort -u | wc -l) - 1)) customers, 0 off" \
   "across the clock change, unit costs by local band agree with the generator's bills"

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS t_customer_gen WITH (FORCE)" -c "DROP DATABASE IF EXISTS t_customer_oct WITH (FORCE)" >/dev/null 2>&1
done_testing
