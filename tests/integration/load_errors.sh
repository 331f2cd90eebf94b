#!/bin/sh
# meterops load: every rejected row is one exact load_error row, loaded totals equal the
# file's, the reject ratio decides the file, and exit codes say what happened.
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_load_errors)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d t_load_errors; }
q "INSERT INTO meterops.meter (mpxn, fuel, interval_minutes) VALUES
     ('2700003640001', 'elec', 30), ('2700003640010', 'elec', 15), ('1999000000008', 'elec', 60)"
fx=$MO_SRCDIR/tests/fixtures/load
t=$(tmpdir)

# --- a clean file: exit 0, totals equal the file's ------------------------------------
out=$("$MO_BIN" load --db "$db" --quiet "$fx/clean.csv" 2>"$t/err"); rc=$?
is "$rc" 0 "a clean file exits 0"
like "$out" "clean.csv: loaded \(file 1\): 168 rows loaded, 0 rejected, 168 readings" "summary line names path, status, rows and readings"
want=$(awk -F, 'NR > 1 { split($3, p, "."); s += p[1] * 1000 + p[2] } END { print s }' "$fx/clean.csv")
is "$(q "SELECT sum(x) FROM meterops.reading_day, unnest(wh) x")" "$want" "Wh loaded equal the file's kWh x 1000 (awk)"
is "$(q "SELECT count(x) FROM meterops.reading_day, unnest(wh) x")" 168 "one stored value per line"
is "$(q "SELECT string_agg(m.mpxn || ':' || cardinality(r.wh) || ':' || (r.flags IS NULL), ' ' ORDER BY m.mpxn)
         FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id)")" \
   "1999000000008:24:true 2700003640001:48:true 2700003640010:96:true" \
   "one row per meter-day, sized by the meter's interval, flags NULL when all actual"
is "$(q "SELECT status || ' ' || rows_total || ' ' || rows_loaded || ' ' || rows_rejected || ' ' || readings_loaded || ' ' || format FROM meterops.load_file WHERE file_id = 1")" \
   "loaded 168 168 0 168 long" "load_file records status and counts"
is "$(q "SELECT count(*) FROM meterops.load_job WHERE status = 'done' AND args LIKE '%clean.csv%'")" 1 "the run is one load_job row"

# --- a file with every kind of fault, loaded with a generous ratio -----------------------
out=$(MO_LOAD_CHUNK_BYTES=64 "$MO_BIN" load --db "$db" --quiet --max-reject-ratio 1 "$fx/faults.csv" 2>"$t/err"); rc=$?
is "$rc" 1 "a file with rejected rows exits 1"
is "$(q "SELECT string_agg(line_no || ':' || coalesce(column_name, '-') || ':' || code, ' ' ORDER BY line_no)
         FROM meterops.load_error WHERE file_id = 2")" \
   "4:-:field_count 5:mpxn:mpan_check_digit 6:mpxn:mpxn_syntax 7:timestamp:timestamp_syntax 8:kwh:value_syntax 9:kwh:value_missing 10:kwh:value_range 11:quality:value_syntax 12:mpxn:unknown_meter 13:timestamp:misaligned_interval 14:timestamp:future_reading 15:kwh:duplicate_identical 16:kwh:duplicate_conflict 18:-:encoding 20:timestamp:misaligned_interval 21:kwh:value_range 23:-:field_count 24:-:field_count" \
   "exactly one load_error per bad line: line, column, code (64-byte chunks)"
is "$(q "SELECT raw FROM meterops.load_error WHERE file_id = 2 AND line_no = 10")" \
   "2700003640001,2024-06-10T01:00:00Z,-0.5,A" "raw is the line without its CRLF"
is "$(q "SELECT raw FROM meterops.load_error WHERE file_id = 2 AND line_no = 18")" \
   '2700003640001,2024-06-10T01:30:00Z,0.1\xFF,A' "a byte that is not UTF-8 is stored as \\xNN"
like "$(q "SELECT message FROM meterops.load_error WHERE file_id = 2 AND line_no = 16")" \
   "line 3 gave 0.100 kWh already, this line gives 0.300 kWh" "a conflicting duplicate names the earlier line and both values"
like "$(q "SELECT message FROM meterops.load_error WHERE file_id = 2 AND line_no = 15")" \
   "repeats line 2" "an identical duplicate names the earlier line"
like "$(q "SELECT message FROM meterops.load_error WHERE file_id = 2 AND line_no = 12")" \
   "2700003640039 is not in the registry" "unknown meter names the meter"
like "$(cat "$t/err")" "faults.csv:16:3: .*\[duplicate_conflict\]" "stderr names file:line:column and the code"
like "$(cat "$t/err")" "faults.csv:4: line has 3 fields" "a whole-line fault names file:line"
is "$(q "SELECT rows_total || ' ' || rows_loaded || ' ' || rows_rejected || ' ' || readings_loaded FROM meterops.load_file WHERE file_id = 2")" \
   "23 5 18 5" "counts of the faulty file"
# the 5 good rows corrected the day the clean file loaded, interval by interval
is "$(q "SELECT wh[1] || ',' || wh[2] || ',' || wh[3] || ',' || wh[5] || ' ' || encode(flags, 'escape') || ' ' || file_id
         FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id) WHERE mpxn = '2700003640001'")" \
   "215,100,50,1000 AEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA 2" \
   "the faulty file's good rows corrected the stored day (estimate flagged, file_id changed)"

# --- the reject ratio ------------------------------------------------------------------
# 100 data rows, one or two of them bad (a day that is not in the clean file)
mk() { # mk FILE NBAD
    { echo "mpxn,timestamp,kwh"
      awk -v bad="$2" 'BEGIN { for (i = 0; i < 100; i++) {
          h = int(i / 2) % 24; m = (i % 2) * 30; d = 20 + int(i / 48)
          v = (i < bad) ? "x" : sprintf("0.%03d", i)
          printf "2700003640001,2024-06-%02dT%02d:%02d:00Z,%s\n", d, h, m, v } }'; } >"$1"
}
mk "$t/one_bad.csv" 1
mk "$t/two_bad.csv" 2
out=$("$MO_BIN" load --db "$db" --quiet "$t/one_bad.csv" 2>/dev/null); rc=$?
is "$rc" 1 "1 bad row in 100 (ratio 0.01, not above the default) loads the rest but exits 1"
is "$(q "SELECT status || ' ' || rows_loaded || ' ' || rows_rejected FROM meterops.load_file WHERE path LIKE '%one_bad.csv'")" \
   "loaded 99 1" "at the threshold the valid rows land"
is "$(q "SELECT count(x) FROM meterops.reading_day r, unnest(wh) x WHERE day >= '2024-06-20'")" 99 "99 readings landed"
out=$("$MO_BIN" load --db "$db" --quiet "$t/two_bad.csv" 2>/dev/null); rc=$?
is "$rc" 1 "2 bad rows in 100 exits 1"
is "$(q "SELECT status || ' ' || rows_total || ' ' || rows_loaded || ' ' || rows_rejected || ' ' || readings_loaded FROM meterops.load_file WHERE path LIKE '%two_bad.csv'")" \
   "rejected 100 0 2 0" "above the threshold the file is rejected"
like "$out" "two_bad.csv: rejected .*above the reject ratio 0.01: nothing loaded" "the summary says why"
is "$(q "SELECT count(*) FROM meterops.load_error e JOIN meterops.load_file f USING (file_id) WHERE f.path LIKE '%two_bad.csv'")" 2 \
   "a rejected file keeps its errors"
is "$(q "SELECT count(*) FROM meterops.reading_day WHERE file_id = (SELECT file_id FROM meterops.load_file WHERE path LIKE '%two_bad.csv')")" 0 \
   "none of a rejected file's readings land"
sed 's/2024-06-2/2024-05-2/' "$t/one_bad.csv" >"$t/strict.csv"
"$MO_BIN" load --db "$db" --quiet --max-reject-ratio 0 "$t/strict.csv" >/dev/null 2>&1
is "$(q "SELECT status FROM meterops.load_file WHERE path LIKE '%strict.csv'")" rejected "--max-reject-ratio 0 rejects a file with one bad row"

# --- headers ------------------------------------------------------------------------------
printf 'meter,when,kwh\n2700003640001,2024-06-10T00:00:00Z,1\n' >"$t/badheader.csv"
out=$("$MO_BIN" load --db "$db" --quiet "$t/badheader.csv" 2>&1); rc=$?
is "$rc" 1 "a file with an unknown header exits 1"
is "$(q "SELECT f.status || ' ' || e.line_no || ' ' || e.code || ' ' || e.raw FROM meterops.load_file f JOIN meterops.load_error e USING (file_id) WHERE f.path LIKE '%badheader.csv'")" \
   "rejected 1 header meter,when,kwh" "an unknown header rejects the file with one error at line 1"
printf 'mpxn,timestamp,kwh\n' >"$t/empty.csv"
out=$("$MO_BIN" load --db "$db" --quiet "$t/empty.csv" 2>&1); rc=$?
is "$rc" 0 "a file with only a header loads (nothing) and exits 0"

# --- could not run: exit 2 -----------------------------------------------------------------
"$MO_BIN" load --db "host=/nonexistent dbname=x" "$fx/clean.csv" >/dev/null 2>"$t/err"; rc=$?
is "$rc" 2 "no database: exit 2"
like "$(cat "$t/err")" "cannot connect" "no database is said plainly"
"$MO_BIN" load --db "$db" "$t/does-not-exist.csv" >/dev/null 2>"$t/err"; rc=$?
is "$rc" 2 "a missing file: exit 2"
like "$(cat "$t/err")" "does-not-exist.csv: No such file" "a missing file is named"
"$MO_BIN" load --db "$db" --jobs 0 "$fx/clean.csv" >/dev/null 2>&1; is "$?" 2 "bad usage: exit 2"
"$MO_BIN" load --db "$db" >/dev/null 2>&1; is "$?" 2 "no file and no --queued: exit 2"
fresh_db t_load_nomig >/dev/null
"$MO_BIN" load --db "host=$MO_SANDBOX dbname=t_load_nomig" "$fx/clean.csv" >/dev/null 2>"$t/err"; rc=$?
is "$rc" 2 "no schema: exit 2"
like "$(cat "$t/err")" "run meterops db migrate" "no schema says what to do"

rm -rf "$t"
done_testing
