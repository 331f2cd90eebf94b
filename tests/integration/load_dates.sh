#!/bin/sh
# Dates (issue 15): readings outside the plausible window are rejected row by row with
# line, column and code, before anything reaches PostgreSQL: before --not-before
# (default 2000-01-01) date_out_of_range, not ended by the load's start future_reading.
# Year 0000 and a run of 1950-1999 readings create no partitions; registry dates PostgreSQL
# cannot hold are refused on their line.
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_load_dates)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d t_load_dates; }
t=$(tmpdir)
M=2700003645222
q "INSERT INTO meterops.meter (mpxn, fuel, interval_minutes) VALUES ('$M', 'elec', 30)"
parts() { q "SELECT count(*) FROM pg_inherits WHERE inhparent = 'meterops.reading_day'::regclass"; }
errs() { q "SELECT string_agg(e.line_no || ':' || coalesce(e.column_name, '-') || ':' || e.code, ' ' ORDER BY e.line_no)
            FROM meterops.load_error e JOIN meterops.load_file f USING (file_id) WHERE f.path LIKE '%/$1'"; }

cat >"$t/window.csv" <<CSV
mpxn,timestamp,kwh
$M,2024-06-01T00:00:00Z,0.100
$M,0000-01-01T00:00:00Z,0.200
$M,1950-03-01T00:00:00Z,0.300
$M,1999-12-31T23:30:00Z,0.400
$M,2000-01-01T00:00:00Z,0.500
$M,2999-01-01T00:00:00Z,0.600
$M,2024-06-01T00:30:00Z,0.700
CSV
before=$(parts)
out=$("$MO_BIN" load --db "$db" --quiet --max-reject-ratio 1 "$t/window.csv" 2>&1); rc=$?
is "$rc" 1 "a file with readings outside the window exits 1"
like "$out" "loaded \(file [0-9]+\): 3 rows loaded, 4 rejected" "the good rows load, the others are rejected"
is "$(errs window.csv)" "3:timestamp:date_out_of_range 4:timestamp:date_out_of_range 5:timestamp:date_out_of_range 7:timestamp:future_reading" \
   "each is rejected on its line and column: year 0000, 1950, 1999-12-31 23:30, 2999"
like "$(q "SELECT message FROM meterops.load_error WHERE line_no = 3")" "0000-01-01T00:00:00Z is before 2000-01-01" \
   "the message names the reading and the floor"
is "$(q "SELECT sum(x) FROM meterops.reading_day, unnest(wh) x")" 1300 "Wh stored: exactly the good rows (100 + 500 + 700)"
is "$(($(parts) - before))" 2 "partitions only for the months the good rows need (2000-01, 2024-06)"

# 600 monthly readings from 1950 to 1999: no partition, no load, exit 1
awk -v m=$M 'BEGIN { print "mpxn,timestamp,kwh"; for (i = 0; i < 600; i++) printf "%s,%04d-%02d-01T00:00:00Z,0.100\n", m, 1950 + int(i / 12), i % 12 + 1 }' >"$t/old.csv"
before=$(parts)
"$MO_BIN" load --db "$db" --quiet "$t/old.csv" >/dev/null 2>&1; rc=$?
is "$rc" 1 "600 readings dated 1950-1999 are rejected (exit 1)"
is "$(q "SELECT status || ' ' || rows_rejected FROM meterops.load_file WHERE path LIKE '%/old.csv'")" "rejected 600" \
   "every one of them a rejected row"
is "$(q "SELECT count(*) FROM meterops.load_error_summary s JOIN meterops.load_file f USING (file_id) WHERE f.path LIKE '%/old.csv' AND s.code = 'date_out_of_range' AND s.errors = 600")" 1 \
   "counted as date_out_of_range"
is "$(parts)" "$before" "no partition was made for them"

# --not-before moves the floor; it is stored with the file
awk -v m=$M 'BEGIN { print "mpxn,timestamp,kwh"; printf "%s,1995-06-01T00:00:00Z,0.250\n", m }' >"$t/ninety.csv"
"$MO_BIN" load --db "$db" --quiet --not-before 1990-01-01 "$t/ninety.csv" >/dev/null 2>&1; rc=$?
is "$rc" 0 "--not-before 1990-01-01 accepts a 1995 reading"
is "$(q "SELECT options->>'not_before' FROM meterops.load_file WHERE path LIKE '%/ninety.csv'")" 1990-01-01 \
   "the floor is stored with the file (a requeue loads it the same way)"
for bad in 1969-12-31 2024-02-30 yesterday; do
    "$MO_BIN" load --db "$db" --quiet --not-before "$bad" "$t/ninety.csv" >/dev/null 2>&1; rc=$?
    is "$rc" 2 "--not-before $bad is refused (exit 2)"
done

# --future-margin: the next half hour (ends within the hour) is future, unless the margin
# covers it; stored with the file
next=$(( ($(date -u +%s) / 1800 + 1) * 1800 ))
printf 'mpxn,timestamp,kwh\n%s,%s,0.050\n' $M "$(date -u -d "@$next" +%Y-%m-%dT%H:%M:%SZ)" >"$t/soon.csv"
sed 's/0.050/0.060/' "$t/soon.csv" >"$t/soon2.csv"
"$MO_BIN" load --db "$db" --quiet --max-reject-ratio 1 "$t/soon.csv" >/dev/null 2>&1; rc=$?
is "$rc:$(errs soon.csv)" "1:2:timestamp:future_reading" "an interval that ends after the load's start is future_reading"
"$MO_BIN" load --db "$db" --quiet --future-margin 60 "$t/soon2.csv" >/dev/null 2>&1; rc=$?
is "$rc" 0 "--future-margin 60 accepts it"
is "$(q "SELECT options->>'future_margin' FROM meterops.load_file WHERE path LIKE '%/soon2.csv'")" 60 "the margin is stored with the file"
"$MO_BIN" load --db "$db" --quiet --future-margin 1441 "$t/soon2.csv" >/dev/null 2>&1; rc=$?
is "$rc" 2 "--future-margin above a day is refused (exit 2)"

# registry dates PostgreSQL cannot hold are refused on their line, the rest loads
printf 'mpxn,fuel,interval_minutes,account_no,tariff_code,installed_on,removed_on\n1200023305967,elec,30,,,0000-01-01,\n1900001059816,elec,30,,,2020-01-01,\n' >"$t/meters.csv"
"$MO_BIN" load --db "$db" --quiet --max-reject-ratio 1 "$t/meters.csv" >/dev/null 2>&1; rc=$?
is "$rc" 1 "a meters feed with a year-0000 date exits 1, not 2"
is "$(errs meters.csv)" "2:installed_on:field_invalid" "the year-0000 date is rejected on its line and column"
is "$(q "SELECT count(*) FROM meterops.meter WHERE mpxn = '1900001059816'")" 1 "the feed's good row is loaded"
done_testing
