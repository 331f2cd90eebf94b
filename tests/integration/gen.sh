#!/bin/sh
# meterops gen: byte-identical output for a seed whatever the thread count, exact line
# counts and layouts, a fault manifest that an independent referee (gen_classify.awk)
# agrees with line for line, bills that add up the clean readings, and registry files
# that the upsert SQL loads into a migrated database, refusing an unknown account.
. "$MO_SRCDIR/tests/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
referee="$MO_SRCDIR/tests/integration/gen_classify.awk"
gen() { "$MO_BIN" gen --quiet "$@"; }
sums() { (cd "$1" && sha256sum *.csv); }

# --- determinism --------------------------------------------------------------------------
common="--meters 40 --days 3 --start 2024-06-01 --error-rate 0.01"
gen $common --seed 42 --out "$t/a"; ok $? "gen exits 0"
gen $common --seed 42 --out "$t/b"
gen $common --seed 43 --out "$t/c"
is "$(sums "$t/a" | wc -l)" 6 "six files: customers, tariffs, meters, bills, readings, manifest"
is "$(sums "$t/a")" "$(sums "$t/b")" "same seed: byte-identical files"
[ "$(sha256sum <"$t/a/readings.csv")" != "$(sha256sum <"$t/c/readings.csv")" ]; ok $? "another seed: other readings"
[ "$(sha256sum <"$t/a/customers.csv")" != "$(sha256sum <"$t/c/customers.csv")" ]; ok $? "another seed: other customers"
ls -A "$t/a" | grep -q '\.tmp$'; ok $((!$?)) "no temporary file left behind"

gen $common --seed 7 --files 4 --jobs 1 --out "$t/j1"
gen $common --seed 7 --files 4 --jobs 3 --out "$t/j3"
is "$(sums "$t/j3")" "$(sums "$t/j1")" "three threads write the same bytes as one"
gen --meters 40 --days 3 --start 2024-06-01 --seed 7 --files 1 --out "$t/s1"
gen --meters 40 --days 3 --start 2024-06-01 --seed 7 --files 4 --out "$t/s4"
is "$(ls "$t/s4" | grep -c '^readings-00[1-4]\.csv$')" 4 "--files 4 writes readings-001.csv .. readings-004.csv"
is "$(tail -q -n +2 "$t"/s4/readings-*.csv | sha256sum)" "$(tail -n +2 "$t/s1/readings.csv" | sha256sum)" \
   "split files hold the single file's lines, in the same order"

# --- layouts and line counts ----------------------------------------------------------------
gen --meters 25 --days 4 --start 2024-02-27 --missing-rate 0 --seed 5 --out "$t/n"
is "$(wc -l <"$t/n/readings.csv")" $((25 * 4 * 48 + 1)) "long: meters x days x 48 lines plus the header"
is "$(head -1 "$t/n/readings.csv")" "mpxn,timestamp,kwh,quality" "long header"
is "$(grep -Ec '^[0-9]+,20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-2][0-9]:[03]0:00Z,[0-9]+\.[0-9][0-9][0-9],[AE]$' "$t/n/readings.csv")" \
   $((25 * 4 * 48)) "every long line is mpxn,YYYY-MM-DDTHH:MM:00Z,kWh with 3 decimals,A|E"
is "$(grep -c '2024-02-29T' "$t/n/readings.csv")" $((25 * 48)) "the leap day is there, 48 readings per meter"
is "$(wc -l <"$t/n/meters.csv")" 26 "meters.csv: one row per meter"
is "$(awk -F, 'NR > 1 { k = $1 "," substr($2, 1, 10); if (k != last) { if (k in seen) bad++; seen[k] = 1; last = k } } END { print bad + 0 }' "$t/n/readings.csv")" \
   0 "long: each meter-day is contiguous"
is "$(awk -F, 'NR > 1 { if ($1 != last) { if ($1 in seen) bad++; seen[$1] = 1; last = $1 } } END { print bad + 0 }' "$t/n/readings.csv")" \
   0 "long: rows are grouped by meter"
is "$(awk -F, 'NR > 1 && $2 <= prev[$1] { bad++ } NR > 1 { prev[$1] = $2 } END { print bad + 0 }' "$t/n/readings.csv")" \
   0 "long: each meter's timestamps rise"

gen --meters 25 --days 4 --start 2024-02-27 --missing-rate 0 --seed 5 --format wide --out "$t/w"
is "$(wc -l <"$t/w/readings.csv")" $((25 * 4 + 1)) "wide: one line per meter-day plus the header"
want="mpxn,date"; h=0
while [ $h -lt 24 ]; do want="$want,$(printf '%02d00,%02d30' $h $h)"; h=$((h + 1)); done
is "$(head -1 "$t/w/readings.csv")" "$want" "wide header: mpxn,date,0000,0030,...,2330"
is "$(awk -F, 'NF != 50' "$t/w/readings.csv" | wc -l)" 0 "every wide line has 50 fields"
is "$(awk -F, 'NR > 1 { for (i = 3; i <= NF; i++) if ($i !~ /^[0-9]+\.[0-9][0-9][0-9]$/) bad++ } END { print bad + 0 }' "$t/w/readings.csv")" \
   0 "wide cells are kWh with 3 decimals (no gaps asked for)"
is "$(tail -n +2 "$t/w/readings.csv" | cut -d, -f3- | tr ',' '\n' | sort | sha256sum)" \
   "$(tail -n +2 "$t/n/readings.csv" | cut -d, -f3 | sort | sha256sum)" "wide and long carry the same values"

out=$("$MO_BIN" gen --meters 30 --days 5 --start 2024-01-08 --missing-rate 0.01 --seed 9 --out "$t/m")
lines=$(($(wc -l <"$t/m/readings.csv") - 1))
like "$out" "readings: $lines in $lines lines, 1 file" "summary counts the lines written"
missing=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9]*\) intervals missing.*/\1/p')
is $((lines + missing)) $((30 * 5 * 48)) "gaps: lines written + intervals missing = meters x days x 48"
[ "$missing" -gt 0 ]; ok $? "--missing-rate 0.01 leaves gaps ($missing)"

# --- faults and their manifest ---------------------------------------------------------------
gen --meters 60 --days 10 --start 2024-03-25 --error-rate 0.02 --missing-rate 0.005 --files 2 --seed 11 --out "$t/f"
is "$(head -1 "$t/f/manifest.csv")" "file,line,column,code" "manifest header"
data=$(tail -q -n +2 "$t"/f/readings-*.csv | wc -l)
faults=$(($(wc -l <"$t/f/manifest.csv") - 1))
[ $((faults * 1000)) -ge $((data * 14)) ] && [ $((faults * 1000)) -le $((data * 26)) ]
ok $? "about 2% of $data lines are faults ($faults)"
for code in mpan_check_digit timestamp_syntax misaligned_interval value_range duplicate_conflict unknown_meter field_count; do
    n=$(grep -c ",$code\$" "$t/f/manifest.csv")
    [ "$n" -gt 0 ]; ok $? "long: $code injected ($n)"
done
is "$(awk -f "$referee" "$t/f/meters.csv" "$t"/f/readings-*.csv | sort)" "$(tail -n +2 "$t/f/manifest.csv" | sort)" \
   "long: the referee finds exactly the manifest's faults (line, column, code), nothing else"

# Spot checks in plain awk, per kind, on the lines the manifest names.
pick() { # pick CODE: the manifest's lines of CODE, as "file line" pairs, one per line
    awk -F, -v c="$1" '$4 == c { print $1, $2 }' "$t/f/manifest.csv"
}
lines_of() { # lines_of CODE: the readings lines the manifest names for CODE
    pick "$1" | while read -r f l; do sed -n "${l}p" "$t/f/$f"; done
}
is "$(lines_of field_count | awk -F, 'NF == 4' | wc -l)" 0 "field_count lines do not have 3 commas"
is "$(lines_of mpan_check_digit | awk -F, '{ s = 0; split("3 5 7 13 17 19 23 29 31 37 41 43", w, " ");
        for (i = 1; i <= 12; i++) s += substr($1, i, 1) * w[i]; if (length($1) == 13 && s % 11 % 10 != substr($1, 13, 1)) bad++ }
        END { print bad + 0 }')" "$(pick mpan_check_digit | wc -l)" "mpan_check_digit lines carry a 13-digit MPAN whose check digit fails"
is "$(lines_of misaligned_interval | awk -F, '{ m = substr($2, 15, 2); if (m != "00" && m != "30") n++ } END { print n + 0 }')" \
   "$(pick misaligned_interval | wc -l)" "misaligned_interval lines start off the half-hour"
is "$(lines_of value_range | awk -F, '$3 < 0 || $3 > 50' | wc -l)" "$(pick value_range | wc -l)" \
   "value_range lines are negative or above 50 kWh"
cut -d, -f1 "$t/f/meters.csv" >"$t/mpxns"
is "$(lines_of unknown_meter | cut -d, -f1 | grep -cFxf "$t/mpxns")" 0 "unknown_meter lines name no meter of meters.csv"

gen --meters 300 --days 6 --start 2024-10-24 --error-rate 0.05 --missing-rate 0.01 --format wide --files 2 --jobs 2 --seed 12 --out "$t/fw"
for code in mpan_check_digit timestamp_syntax value_range duplicate_conflict unknown_meter field_count; do
    n=$(grep -c ",$code\$" "$t/fw/manifest.csv")
    [ "$n" -gt 0 ]; ok $? "wide: $code injected ($n)"
done
is "$(grep -c ',misaligned_interval$' "$t/fw/manifest.csv")" 0 "wide: no misaligned_interval (columns are the intervals)"
is "$(awk -f "$referee" "$t/fw/meters.csv" "$t"/fw/readings-*.csv | sort)" "$(tail -n +2 "$t/fw/manifest.csv" | sort)" \
   "wide: the referee finds exactly the manifest's faults (line, column, code), nothing else"
is "$(awk -F, '$4 == "value_range" && $3 !~ /^[0-2][0-9][03]0$/' "$t/fw/manifest.csv" | wc -l)" 0 \
   "wide value_range faults name the cell's column (HHMM)"

# --- bills are the sum of the clean readings -----------------------------------------------------
# kWh as integer Wh per (account, month) from the readings the manifest does not name, against
# bills.csv (one bill per account and calendar month within the range). Export meters' readings
# are not use: a bill's kwh leaves them out.
is "$(awk -F, '
    FILENAME ~ /manifest/ { bad[$1, $2] = 1; next }
    FILENAME ~ /meters/ { acct[$1] = $4; if ($8 == "export") xp[$1] = 1; next }
    FILENAME ~ /bills/ { if (FNR > 1) { k = $1 " " substr($2, 1, 7); b = $4; sub(/\./, "", b); billed[k] = b + 0 }; next }
    FNR > 1 { f = FILENAME; sub(/.*\//, "", f); if ((f, FNR) in bad || $1 in xp) next
              v = $3; sub(/\./, "", v); used[acct[$1] " " substr($2, 1, 7)] += v }
    END { for (k in billed) { n++; if (billed[k] != used[k]) { bad_bills++; print "differs:", k, billed[k], used[k] } }
          for (k in used) if (!(k in billed)) print "unbilled:", k
          print n, "bills,", bad_bills + 0, "differ" }' \
    "$t/f/manifest.csv" "$t/f/meters.csv" "$t/f/bills.csv" "$t"/f/readings-*.csv)" \
   "$(($(wc -l <"$t/f/bills.csv") - 1)) bills, 0 differ" "each bill's kwh is its account's clean readings in that month"
is "$(awk -F, 'NR > 1 { print substr($2, 1, 7), $2, $3, $6 }' "$t/f/bills.csv" | sort -u | head -2 | tr '\n' ' ')" \
   "2024-03 2024-03-25 2024-03-31 2024-04-01 2024-04 2024-04-01 2024-04-03 2024-04-04 " \
   "bill periods are calendar months clipped to the range, issued the next day"

# --- registry files load through the upsert SQL -----------------------------------------------
db=$(fresh_db t_gen)
"$MO_BIN" db migrate --db "$db" >/dev/null || echo "not ok - migrate t_gen"
stage() { # stage FORMAT FILE: stages FILE as the loader does (line_no, then the header's columns) and upserts
    cols=$(head -1 "$2" | sed 's/,/ text, /g; s/$/ text/')
    awk 'NR > 1 { print NR "," $0 }' "$2" >"$t/stage.csv"
    psql -X -q -v ON_ERROR_STOP=1 -tA -F'|' -d t_gen ${STAGE_USER:+-U "$STAGE_USER"} 2>&1 <<SQL || echo "psql failed"
BEGIN;
CREATE TEMP TABLE stage (line_no bigint, $cols) ON COMMIT DROP;
\copy stage FROM '$t/stage.csv' CSV
\i $MO_SRCDIR/queries/load/upsert_$1.sql
COMMIT;
SQL
}
for f in customers tariffs meters bills; do
    is "$(stage $f "$t/f/$f.csv")" "" "$f.csv: every row lands, none refused"
done
count() { sql "SELECT count(*) FROM meterops.$1" -d t_gen; }
is "$(count customer)" $(($(wc -l <"$t/f/customers.csv") - 1)) "one customer per customers.csv row"
is "$(count meter)" 60 "60 meters"
is "$(count tariff)/$(count tariff_band)" "6/8" "6 tariffs with 8 bands (SEG-EXPORT pays solar homes' export)"
is "$(count bill)" $(($(wc -l <"$t/f/bills.csv") - 1)) "one bill per bills.csv row"
is "$(sql "SELECT band || ' ' || start_minute || '-' || end_minute || ' ' || unit_p_kwh FROM meterops.tariff_band JOIN meterops.tariff USING (tariff_id) WHERE code = 'ELEC-E7' AND band = 'night'" -d t_gen)" \
   "night 30-450 13.9300" "Economy 7 night band is 00:30-07:30 local"
is "$(sql "SELECT count(*) FROM meterops.meter m JOIN meterops.tariff t USING (tariff_id) WHERE m.fuel <> t.fuel OR m.customer_id IS NULL" -d t_gen)" \
   0 "every meter has its customer and a tariff of its fuel"
is "$(sql "SELECT count(*) FROM meterops.meter WHERE (fuel = 'elec') <> (length(mpxn) = 13)" -d t_gen)" 0 \
   "electricity meters carry MPAN cores, gas meters MPRNs"
before=$(sql "SELECT md5(string_agg(c::text, '' ORDER BY customer_id)) FROM meterops.customer c" -d t_gen)
for f in customers tariffs meters bills; do
    is "$(stage $f "$t/f/$f.csv")" "" "$f.csv loaded again: nothing refused"
done
is "$(sql "SELECT md5(string_agg(c::text, '' ORDER BY customer_id)) FROM meterops.customer c" -d t_gen)" "$before" \
   "loading the same customers again changes nothing"
is "$(count meter)/$(count tariff_band)/$(count bill)" "60/8/$(($(wc -l <"$t/f/bills.csv") - 1))" "nor meters, bands or bills"

acct=$(sed -n 2p "$t/f/customers.csv" | cut -d, -f1)
mpan=$(awk -F, '$2 == "elec" { print $1; exit }' "$t/f/meters.csv")
{
    echo "mpxn,fuel,interval_minutes,account_no,tariff_code,installed_on,removed_on,direction"
    echo "$mpan,elec,30,$acct,ELEC-E7,2023-05-01,,"
    echo "2700003645222,elec,30,A-NOSUCH1,ELEC-SVT,2024-01-01,,"
    echo "1200023305967,elec,30,$acct,ELEC-SVT,2024-01-01,,import"
} >"$t/meters2.csv"
is "$(stage meters "$t/meters2.csv")" \
   "3|account_no|unknown_reference|account_no A-NOSUCH1 is not a known customer (load the customers feed first)" \
   "an unknown account_no comes back as unknown_reference on its line"
is "$(sql "SELECT t.code || ' ' || m.installed_on FROM meterops.meter m JOIN meterops.tariff t USING (tariff_id) WHERE mpxn = '$mpan'" -d t_gen)" \
   "ELEC-E7 2023-05-01" "a later meters file moves a meter to another tariff"
is "$(sql "SELECT count(*) FROM meterops.meter WHERE mpxn IN ('2700003645222', '1200023305967')" -d t_gen)" 1 \
   "the refused row is not stored, the good one is"
# A meter's interval may change only while it has no readings: its stored days are sized
# by it. Both meters below are known; only the one with a stored day is refused.
sql "SELECT meterops.ensure_reading_partitions('2024-04-01', '2024-04-01')" -d t_gen >/dev/null
sql "INSERT INTO meterops.reading_day (meter_id, day, wh, file_id)
     SELECT meter_id, '2024-04-01', array_fill(100, ARRAY[48]), 0 FROM meterops.meter WHERE mpxn = '$mpan'" -d t_gen
{
    echo "mpxn,fuel,interval_minutes,account_no,tariff_code,installed_on,removed_on,direction"
    echo "$mpan,elec,60,$acct,ELEC-E7,2023-05-01,,"
    echo "1200023305967,elec,60,$acct,ELEC-SVT,2024-01-01,,import"
} >"$t/meters3.csv"
is "$(stage meters "$t/meters3.csv")" \
   "2|interval_minutes|field_invalid|meter $mpan already has 30-minute readings; its interval cannot become 60 minutes" \
   "a meter with readings keeps its interval: field_invalid on its line"
is "$(sql "SELECT string_agg(interval_minutes::text, ' ' ORDER BY mpxn <> '$mpan') FROM meterops.meter
           WHERE mpxn IN ('$mpan', '1200023305967')" -d t_gen)" "30 60" "a meter without readings takes the new interval"
sql "DELETE FROM meterops.reading_day" -d t_gen

printf 'account_no,name,postcode,email,phone\n%s,Ada Lovelace,SW1A 1AA,,\n' "$acct" >"$t/customers2.csv"
is "$(stage customers "$t/customers2.csv")" "" "a later customers file is accepted"
is "$(sql "SELECT name || '|' || postcode || '|' || coalesce(email, 'NULL') FROM meterops.customer WHERE account_no = '$acct'" -d t_gen)" \
   "Ada Lovelace|SW1A 1AA|NULL" "it updates the customer's details"

# As the loader's least-privilege role: a new tariff file drops the E7 day band before 00:30
# (the bands are replaced, which 004_registry's DELETE grant allows) and moves a meter.
psql -X -q -d t_gen -c "DROP ROLE IF EXISTS t_gen_loader" >/dev/null 2>&1
psql -X -q -d t_gen -c "CREATE ROLE t_gen_loader LOGIN IN ROLE meterops_loader" >/dev/null
{
    echo "code,name,fuel,standing_p_day,valid_from,valid_to,band,start_local,end_local,unit_p_kwh"
    echo "ELEC-E7,Economy 7,elec,58.0000,2000-01-01,,night,00:00,07:00,12.5000"
    echo "ELEC-E7,Economy 7,elec,58.0000,2000-01-01,,day,07:00,24:00,26.0000"
} >"$t/tariffs2.csv"
is "$(STAGE_USER=t_gen_loader stage tariffs "$t/tariffs2.csv")" "" "the loader role may replace a tariff's bands"
is "$(sql "SELECT string_agg(band || ' ' || start_minute || '-' || end_minute || ' ' || unit_p_kwh, ', ' ORDER BY start_minute)
           FROM meterops.tariff_band JOIN meterops.tariff USING (tariff_id) WHERE code = 'ELEC-E7'" -d t_gen)" \
   "night 0-420 12.5000, day 420-1440 26.0000" "ELEC-E7 now has exactly the file's two bands"
is "$(STAGE_USER=t_gen_loader stage meters "$t/f/meters.csv")" "" "the loader role may upsert meters"
is "$(STAGE_USER=t_gen_loader stage bills "$t/f/bills.csv")" "" "and bills"
xmins() { sql "SELECT string_agg(xmin::text, ',' ORDER BY customer_id) FROM meterops.customer" -d t_gen; }
is "$(STAGE_USER=t_gen_loader stage customers "$t/f/customers.csv")" "" \
   "and customers, through customer_upsert_staged (it cannot read their details)"
is "$(sql "SELECT email FROM meterops.customer WHERE account_no = '$acct'" -d t_gen)" \
   "$(sed -n 2p "$t/f/customers.csv" | cut -d, -f4)" "the changed customer takes the file's details again"
before=$(xmins)
is "$(STAGE_USER=t_gen_loader stage customers "$t/f/customers.csv")" "" "the same file once more"
is "$(xmins)" "$before" "unchanged customers are not rewritten"
printf 'account_no,name,postcode,email,phone\n%s,Ada King,SW1A 1AA,,\n%s,Ada King,,,\n' "$acct" "$acct" >"$t/customers3.csv"
is "$(STAGE_USER=t_gen_loader stage customers "$t/customers3.csv")" \
   "3|account_no|duplicate_conflict|account_no $acct already appears on line 2 with different details; the first line counts" \
   "a repeated account comes back refused on its line"
is "$(sql "SELECT name FROM meterops.customer WHERE account_no = '$acct'" -d t_gen)" "Ada King" "the first line's details are stored"

# --- refusals ----------------------------------------------------------------------------------
out=$("$MO_BIN" gen --meters 5 --days 2 --start 2099-01-01 --out "$t/future" 2>&1); rc=$?
is "$rc" 2 "a range in the future exits 2"
like "$out" "2099-01-02.*future" "and says the readings would lie in the future"
[ ! -e "$t/future/readings.csv" ]; ok $? "and writes no readings"
out=$("$MO_BIN" gen --meters 5 --days 2 --out "$t/x" 2>&1); rc=$?
is "$rc" 2 "a missing --start exits 2"
like "$out" "--start" "and names what is missing"
out=$("$MO_BIN" gen --meters 5 --days 2 --start 2024-01-01 --format json --out "$t/x" 2>&1); rc=$?
is "$rc" 2 "an unknown --format exits 2"
: >"$t/plainfile"
out=$("$MO_BIN" gen --meters 5 --days 2 --start 2024-01-01 --out "$t/plainfile" 2>&1); rc=$?
is "$rc" 2 "an --out that is a file exits 2"
like "$out" "plainfile" "and names it"
out=$("$MO_BIN" gen --meters 5 --days 2 --start 2024-01-01 --files 6 --out "$t/x" 2>&1); rc=$?
is "$rc" 2 "more files than meters exits 2"

done_testing
