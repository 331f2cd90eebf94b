#!/bin/sh
# load_fastpath.sh - the long format's fast line reader (reader_long.c long_fast and
# parse.c fast_commit) must leave exactly what the general path (CSV splitter, row(),
# the loader's checks) leaves: the same reading_day rows and the same load_error rows,
# message and raw line included. The same files load into two databases, once as usual
# and once with MO_LOAD_NOFAST=1, and the two are compared. The files are generated
# readings with injected faults plus hand-written lines of every shape the fast path
# must hand over (CRLF, blanks, offsets, four decimals, big values, Null, duplicates,
# unknown meters, bad check digits, no final newline).
. "$MO_SRCDIR/tests/lib.sh"
tmp=$(tmpdir)
trap 'rm -rf "$tmp"' EXIT
"$MO_BIN" gen --meters 40 --days 3 --start 2024-03-30 --seed 5 --error-rate 0.03 --quiet --out "$tmp" ||
    { echo "not ok 1 - gen"; exit 1; }
elec=$(awk -F, '$2 == "elec" && $3 == 30 { print $1; exit }' "$tmp/meters.csv")
gas=$(awk -F, '$2 == "gas" { print $1; exit }' "$tmp/meters.csv")
cr=$(printf '\r')
{
    echo "mpxn,timestamp,kwh,quality"
    echo "$elec,2024-04-10T00:00:00Z,0.101,A"
    echo "$elec,2024-04-10T00:30:00Z,0.102,E"
    echo "$elec,2024-04-10T01:00:00Z,0.103,"
    echo "$elec,2024-04-10T01:30:00Z,0.104,A$cr"
    echo "$elec,2024-04-10T02:00:00Z, 0.105,A"
    echo "$elec ,2024-04-10T02:30:00Z,0.106,A"
    echo "$elec,2024-04-10T04:00:00+01:00,0.107,A"
    echo "$elec,2024-04-10 03:30:00Z,0.108,A"
    echo "$elec,2024-04-10T04:00:00Z,0.1094,A"
    echo "$elec,2024-04-10T04:30:00Z,0.1095,A"
    echo "$elec,2024-04-10T05:00:00Z,12.345,A"
    echo "$elec,2024-04-10T05:30:00Z,.5,A"
    echo "$elec,2024-04-10T06:00:00Z,1,A"
    echo "$elec,2024-04-10T06:30:00Z,Null,A"
    echo "$elec,2024-04-10T07:00:00Z,-0.100,A"
    echo "$elec,2024-04-10T07:30:00Z,0.100,X"
    echo "$elec,2024-04-10T07:30:00Z,0.100,AE"
    echo "$elec,2024-04-10T08:00:00Z,0.100"
    echo "$elec,2024-04-10T08:00:00Z,0.100,A,extra"
    echo "$elec,2024-04-10T08:15:00Z,0.100,A"
    echo "$elec,2024-04-10T08:30:01Z,0.100,A"
    echo "$elec,2024-04-10T24:00:00Z,0.100,A"
    echo "$elec,2024-04-10T09:00:00Z,0.100,A"
    echo "$elec,2024-04-10T09:00:00Z,0.100,A"
    echo "$elec,2024-04-10T09:00:00Z,0.200,A"
    echo "$elec,2024-04-31T09:30:00Z,0.100,A"
    echo "$elec,2099-04-10T10:00:00Z,0.100,A"
    echo "$gas,2024-04-10T00:00:00Z,0.301,A"
    echo "$gas,2024-04-10T00:30:00Z,99.999,A"
    echo "$gas,2024-04-10T01:00:00Z,0.302,A"
    echo "2700003640001,2024-04-10T00:00:00Z,0.100,A"
    echo "1425142338059,2024-04-10T00:00:00Z,0.100,A"
    echo "\"$elec\",2024-04-10T10:30:00Z,0.111,A"
    echo "$elec,2024-04-10T11:00:00Z,0.112,A"
    echo "$gas,2024-04-10T01:30:00Z,0.303,A"
    printf '%s' "$elec,2024-04-10T11:30:00Z,0.113,E"
} >"$tmp/edges.csv"
printf '%s\n' "mpxn,timestamp,kwh" "$elec,2024-04-11T00:00:00Z,0.201" "$elec,2024-04-11T00:30:00Z,0.202,A" \
    "$elec,2024-04-11T01:00:00Z,0.203" >"$tmp/three.csv"

for mode in fast slow; do
    db=$(fresh_db "t_fast_$mode")
    "$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
    "$MO_BIN" load --db "$db" --quiet "$tmp/customers.csv" "$tmp/tariffs.csv" "$tmp/meters.csv" >/dev/null 2>&1 ||
        { echo "not ok 1 - registry"; exit 1; }
    nofast=0; [ $mode = slow ] && nofast=1
    MO_LOAD_NOFAST=$nofast MO_LOAD_CHUNK_BYTES=4096 "$MO_BIN" load --db "$db" --quiet --jobs 2 \
        --max-reject-ratio 1 "$tmp/readings.csv" "$tmp/edges.csv" "$tmp/three.csv" >"$tmp/$mode.out" 2>&1
    echo "$?" >"$tmp/$mode.rc"
    sql "SELECT m.mpxn, r.day, r.wh, r.flags, f.path FROM meterops.reading_day r
         JOIN meterops.meter m USING (meter_id) JOIN meterops.load_file f USING (file_id)
         ORDER BY 1, 2" -d "t_fast_$mode" >"$tmp/$mode.days"
    sql "SELECT f.path, e.line_no, e.column_name, e.code, e.message, e.raw FROM meterops.load_error e
         JOIN meterops.load_file f USING (file_id) ORDER BY 1, 2" -d "t_fast_$mode" |
        sed 's/by the load.s start ([^)]*)/by the load'"'"'s start (START)/' >"$tmp/$mode.errors"
    sql "SELECT path, status, rows_total, rows_loaded, rows_rejected, readings_loaded FROM meterops.load_file
         ORDER BY path" -d "t_fast_$mode" >"$tmp/$mode.files"
done

is "$(cat "$tmp/fast.rc") $(cat "$tmp/slow.rc")" "1 1" "both loads exit 1 (rows rejected)"
ok "$([ -s "$tmp/fast.days" ] && [ -s "$tmp/fast.errors" ]; echo $?)" "(both paths stored days and errors)"
is "$(diff "$tmp/fast.days" "$tmp/slow.days" | head -5)" "" "reading_day: the same rows, values and flags ($(wc -l <"$tmp/fast.days") meter-days)"
is "$(diff "$tmp/fast.errors" "$tmp/slow.errors" | head -5)" "" "load_error: the same rows, messages and raw lines ($(wc -l <"$tmp/fast.errors") errors)"
is "$(diff "$tmp/fast.files" "$tmp/slow.files")" "" "load_file: the same counts"
is "$(grep "edges.csv|" "$tmp/fast.errors" | cut -d'|' -f2,4 | tr '\n' ' ')" \
   "15|value_missing 16|value_range 17|value_syntax 18|value_syntax 19|field_count 20|field_count 21|misaligned_interval 22|misaligned_interval 23|timestamp_syntax 25|duplicate_identical 26|duplicate_conflict 27|timestamp_syntax 28|future_reading 30|value_range 32|unknown_meter 33|mpan_check_digit " \
   "the edge lines are rejected where they should be, and only those"
is "$(sql "SELECT array_to_string(wh[1:13], ' ') || ' ' || encode(flags, 'escape') FROM meterops.reading_day r
           JOIN meterops.meter m USING (meter_id) WHERE m.mpxn = '$elec' AND day = '2024-04-10'" -d t_fast_fast)" \
   "101 102 103 104 105 106 107 108 109 110 12345 500 1000 AEAAAAAAAAAAAMMMMMAMMAAEMMMMMMMMMMMMMMMMMMMMMMMM" \
   "the edge day holds what its clean lines say (CRLF, blanks, offsets, rounding, quoted)"
is "$(sql "SELECT array_to_string(wh[1:3], ' ', '-') FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id)
           WHERE m.mpxn = '$elec' AND day = '2024-04-11'" -d t_fast_fast)" "201 - 203" "a three-column file: the four-field line is refused"
done_testing
