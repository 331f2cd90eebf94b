#!/bin/sh
# load_d0010.sh - UK DTC D0010 meter-reading flows through `meterops load`: the real
# samples (tests/fixtures/realdata/uk-dtc-d0010) land as register reads, found by their ZHV
# header; hostile variants are refused saying what happened (a bad MPAN check digit, a
# ZPT count that disagrees, a truncated file, a 030 before its 028), another DTC flow is
# refused as such, and the good file of the same run still loads.
. "$MO_SRCDIR/tests/lib.sh"

db=$(fresh_db t_d0010)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
src="$MO_SRCDIR/tests/fixtures/realdata/uk-dtc-d0010"
q() { sql "$1" -d t_d0010; }
# the sample's 11 MPANs, one customer holding two of them
q "INSERT INTO meterops.customer (account_no, name) VALUES ('A-D0010', 'Register Reader')" >/dev/null
q "INSERT INTO meterops.meter (mpxn, fuel) SELECT v, 'elec' FROM unnest(ARRAY['1200023305967',
   '1900001059816', '1200033197420', '1200031039874', '1591055549625', '2200031930792',
   '1200022664056', '1900005260419', '1013044353630', '1900005281720', '2000055433806']) v" >/dev/null
q "UPDATE meterops.meter SET customer_id = (SELECT customer_id FROM meterops.customer)
   WHERE mpxn IN ('1900005281720', '2200031930792')" >/dev/null
status() { q "SELECT status || ' ' || rows_loaded || ' ' || rows_rejected FROM meterops.load_file
              WHERE path LIKE '%/$1'"; }
errors() { q "SELECT string_agg(line_no || ':' || coalesce(column_name, '-') || ':' || code, ' '
                                ORDER BY line_no) FROM meterops.load_error JOIN meterops.load_file
              USING (file_id) WHERE path LIKE '%/$1'"; }
reads() { q "SELECT count(*) FROM meterops.register_read"; }

# --- the real sample: 13 register reads of 11 meters
f="$src/DTC5259515123502080915D0010.uff"
"$MO_BIN" load --db "$db" "$f" >/dev/null 2>&1
ok $? "the Kraken D0010 sample loads with exit 0"
is "$(q "SELECT format FROM meterops.load_file WHERE path = '$f'")" "d0010" "found to be D0010 by its ZHV header"
is "$(status DTC5259515123502080915D0010.uff)" "loaded 13 0" "13 register reads loaded, none refused"
is "$(q "SELECT m.mpxn || ' ' || r.meter_serial || ' ' || r.register_id || ' ' ||
           to_char(r.read_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD HH24:MI') || ' ' || r.reading
           || ' ' || r.reading_type || ' ' || r.validation_status || ' ' || r.reading_flag || r.reading_method
         FROM meterops.register_read r JOIN meterops.meter m USING (meter_id)
         WHERE m.mpxn = '1900005281720' ORDER BY r.register_id")" \
   "1900005281720 36933604 DY 2016-02-22 00:00 80598.0 D V TN
1900005281720 36933604 NT 2016-02-22 00:00 15549.0 D V TN" \
   "the Economy 7 day/night pair, exactly as written"
is "$(q "SELECT sum(reading) FROM meterops.register_read")" "653740.0" "the readings' sum equals the file's"
is "$(q "SELECT count(DISTINCT file_id) = 1 AND min(line_no) = 4 FROM meterops.register_read")" "t" \
   "each read names its load_file and line"

# --- the padded copy: the same reads, so nothing new and nothing refused
f="$src/DTC5259515123502080915D0010_trailing_space_fields.uff"
"$MO_BIN" load --db "$db" "$f" >/dev/null 2>&1
is "$(status DTC5259515123502080915D0010_trailing_space_fields.uff) $(reads)" "loaded 13 0 13" \
   "the '| | |'-padded copy reads the same: held reads are not written twice"

# --- customer shows the latest register reads
out=$("$MO_BIN" customer --db "$db" A-D0010 2>&1)
like "$out" "36933604 +DY +2016-02-22 00:00:00 +80598.0" "customer lists the day register's latest read"
like "$("$MO_BIN" customer --db "$db" --json A-D0010 2>&1 | tr -d ' \n')" \
   '"mpxn":"1900005281720",.*"register_reads":\[\{"meter_serial":"36933604","register_id":"DY","read_at":"2016-02-2200:00:00","reading":80598.0,"reading_type":"D"' \
   "customer --json carries each meter's register_reads"

# --- hostile variants, with a good new file in the same run
d=$(tmpdir)
good="$src/DTC5259515123502080915D0010.uff"
sed -e 's/^026|1200023305967|/026|1200023305968|/' -e 's/56311.0/56312.0/' "$good" > "$d/bad_check_digit.uff"
sed -e 's/^ZPT|0000475656|35|/ZPT|0000475656|34|/' "$good" > "$d/bad_count.uff"
head -n 20 "$good" > "$d/truncated.uff"
awk 'NR == 3 { held = $0; next } NR == 4 { print; print held; next } { print }' "$good" > "$d/read_before_meter.uff"
sed -e '1s/D0010002/D0086001/' "$good" > "$d/other_flow.uff"
{ printf 'ZHV|0000000001|D0010002|D|UDMS|X|MRCY|20240302153151||||OPER|\n'
  printf '026|1900005281720|V|\n028|36933604|D|\n030|DY|20240222000000|90000.5|||T|N|\n'
  printf '030|NT|20240222000000|17000|||T|N|\n030|NT|20240222000000|17000|||T|N|\n'
  printf '030|NT|20240222000000|17001|||T|N|\nZPT|0000000001|6||1|20240302154650|\n'; } > "$d/new_reads.uff"
"$MO_BIN" load --db "$db" --max-reject-ratio 1 "$d"/*.uff >/dev/null 2>&1
is "$(status bad_check_digit.uff)" "loaded 12 3" "a bad MPAN check digit refuses the 026 and its group (028, 030)"
is "$(errors bad_check_digit.uff)" "2:mpan_core:mpan_check_digit 3:record_type:unknown_reference 4:record_type:unknown_reference" \
   "the 026 names its column, the read names the refused MPAN"
is "$(status bad_count.uff) $(errors bad_count.uff)" "rejected 0 0 37:-:trailer" \
   "a ZPT count one short refuses the whole file at the trailer's line"
like "$(q "SELECT e.message FROM meterops.load_error e JOIN meterops.load_file USING (file_id)
           WHERE path LIKE '%/bad_count.uff'")" "counts 34 records, but the file holds 35" \
   "the refusal says both counts"
is "$(status truncated.uff) $(errors truncated.uff)" "rejected 0 0 20:-:trailer" \
   "a truncated file (no ZPT) is refused"
is "$(status read_before_meter.uff) $(errors read_before_meter.uff)" "loaded 12 1 3:record_type:record_order" \
   "a 030 before its 028 is refused naming its line"
is "$(status other_flow.uff)" "rejected 0 0" "a D0086 flow is refused"
like "$(q "SELECT e.message FROM meterops.load_error e JOIN meterops.load_file USING (file_id)
           WHERE path LIKE '%/other_flow.uff'")" "UK DTC flow D0086001 .*not the D0010" "saying which flow it is"
is "$(status new_reads.uff)" "loaded 2 2" "a new file in the same run loads"
is "$(errors new_reads.uff)" "6:reading:duplicate_identical 7:reading:duplicate_conflict" \
   "a read repeated in the file: the first line counts (identical, then conflicting)"
like "$("$MO_BIN" customer --db "$db" A-D0010 2>&1)" "NT +2024-02-22 00:00:00 +17000" \
   "customer shows the newest read of each register"
is "$(reads)" "15" "nothing of the refused files landed"

# --- an MPAN the registry does not hold: refused, or registered with --create-meters
{ printf 'ZHV|0000000002|D0010002|D|UDMS|X|MRCY|20240302153151||||OPER|\n'
  printf '026|1100000000017|V|\n028|NEW01|C|\n030|S|20240101000000|12.5|||T|N|\n'
  printf 'ZPT|0000000002|3||1|20240302154650|\n'; } > "$d/unknown.uff"
"$MO_BIN" load --db "$db" --max-reject-ratio 1 "$d/unknown.uff" >/dev/null 2>&1
is "$(status unknown.uff) $(errors unknown.uff)" "loaded 0 1 4:mpan_core:unknown_meter" \
   "a read of an MPAN the registry does not hold is unknown_meter"
sed -e 's/0000000002/0000000003/g' "$d/unknown.uff" > "$d/create.uff"
"$MO_BIN" load --db "$db" --create-meters "$d/create.uff" >/dev/null 2>&1
is "$(status create.uff) $(q "SELECT fuel || ' ' || interval_minutes || ' ' || direction FROM meterops.meter
                            WHERE mpxn = '1100000000017'") $(q "SELECT r.reading FROM meterops.register_read r
                            JOIN meterops.meter m USING (meter_id) WHERE m.mpxn = '1100000000017'")" \
   "loaded 1 0 elec 30 import 12.5" "--create-meters registers it (electricity, import) and loads its read"

# --- least privilege: a login in meterops_loader loads a flow
psql -X -q -d t_d0010 -c "DROP ROLE IF EXISTS t_d0010_loader; CREATE ROLE t_d0010_loader LOGIN IN ROLE meterops_loader" >/dev/null 2>&1
sed -e 's/20240222000000/20240322000000/' "$d/new_reads.uff" >"$d/as_loader.uff"
"$MO_BIN" load --db "host=$MO_SANDBOX dbname=t_d0010 user=t_d0010_loader" --max-reject-ratio 1 "$d/as_loader.uff" >"$d/out" 2>&1
is "$(status as_loader.uff)" "loaded 2 2" "the loader role loads a D0010 flow"
rm -rf "$d"
done_testing
