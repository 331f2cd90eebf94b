#!/bin/sh
# Files that are not grouped by meter-day load exactly like grouped ones (phase 2), with
# duplicates across the open-day window still found; chunked, serial and parallel reading
# agree; --create-meters and --meter map readings to meters and are kept for requeues.
. "$MO_SRCDIR/tests/lib.sh"
for d in t_load_order t_load_order2; do
    db=$(fresh_db $d)
    "$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
    sql "INSERT INTO meterops.meter (mpxn, fuel) SELECT '60000000' || lpad(i::text, 2, '0'), 'gas' FROM generate_series(0, 11) i" -d $d
done
db1="host=$MO_SANDBOX dbname=t_load_order"
db2="host=$MO_SANDBOX dbname=t_load_order2"
q() { sql "$1" -d t_load_order; }
q2() { sql "$1" -d t_load_order2; }
t=$(tmpdir)
days="SELECT string_agg(m.mpxn || ' ' || r.day || ' ' || r.wh::text, ';' ORDER BY m.mpxn, r.day)
      FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id)"

# 12 meters x 2 days x 48, sorted by time; meter 00's last interval of day 1 comes at the
# very end, after its day was written; then an identical and a conflicting duplicate of
# rows long written.
awk 'BEGIN { print "mpxn,timestamp,kwh"
    for (d = 1; d <= 2; d++) for (s = 0; s < 48; s++) for (m = 0; m < 12; m++) {
        if (m == 0 && d == 1 && s == 47) continue
        printf "60000000%02d,2024-11-%02dT%02d:%02d:00Z,0.%03d\n", m, d, int(s / 2), (s % 2) * 30, (m * 13 + s * 7 + d) % 1000 }
    printf "6000000000,2024-11-01T23:30:00Z,0.999\n"
    printf "6000000000,2024-11-01T00:00:00Z,0.001\n"
    printf "6000000005,2024-11-01T00:30:00Z,0.500\n" }' >"$t/by_time.csv"
n=$(wc -l <"$t/by_time.csv")
first05=$(grep -n '^6000000005,2024-11-01T00:30:00Z' "$t/by_time.csv" | head -1 | cut -d: -f1)
out=$(MO_LOAD_OPEN_DAYS=3 MO_LOAD_CHUNK_BYTES=300 "$MO_BIN" load --db "$db1" --quiet --max-reject-ratio 1 "$t/by_time.csv" 2>&1); rc=$?
is "$rc" 1 "the time-sorted file loads (with its two duplicates rejected)"
like "$out" "not grouped by meter-day: [0-9]+ meter\(s\) got readings for days already written" "the loader says it reads the file again"
is "$(q "SELECT string_agg(line_no || ':' || code || ':' || (regexp_match(message, 'line ([0-9]+)'))[1], ' ' ORDER BY line_no) FROM meterops.load_error")" \
   "$((n - 1)):duplicate_identical:2 $n:duplicate_conflict:$first05" \
   "duplicates of rows written long before are found, naming the earlier line"
is "$(q "SELECT rows_total || ' ' || rows_loaded || ' ' || rows_rejected || ' ' || readings_loaded FROM meterops.load_file")" \
   "$((n - 1)) $((n - 3)) 2 $((n - 3))" "every row counted once"
is "$(q "SELECT count(x) FROM meterops.reading_day, unnest(wh) x")" 1152 "the late reading was merged, none lost or doubled (12 x 96)"
is "$(q "SELECT wh[48] FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id) WHERE mpxn = '6000000000' AND day = '2024-11-01'")" \
   999 "the reading that came after its day was written is in the day"

# the same rows grouped by meter, read serially in one chunk, land identically
{ head -1 "$t/by_time.csv"; sed -n "2,$((n - 2))p" "$t/by_time.csv" | sort -t, -k1,1 -k2,2; } >"$t/by_meter.csv"
out=$(MO_LOAD_SERIAL=1 "$MO_BIN" load --db "$db2" --quiet "$t/by_meter.csv" 2>&1); rc=$?
is "$rc" 0 "the grouped file loads cleanly"
is "$(q2 "$days")" "$(q "$days")" "time-sorted (phase 2, small chunks) and grouped (serial) loads store the same days"

# grouped by meter but running backwards in time (as ESB writes): no second read
{ head -1 "$t/by_time.csv"; sed -n "2,$((n - 2))p" "$t/by_time.csv" | sed 's/2024-11-0/2024-12-0/' | sort -t, -k1,1 -k2,2r; } >"$t/backwards.csv"
out=$(MO_LOAD_OPEN_DAYS=3 "$MO_BIN" load --db "$db2" --quiet "$t/backwards.csv" 2>&1); rc=$?
is "$rc" 0 "a file running backwards in time loads"
is "$(echo "$out" | grep -c 'not grouped')" 0 "and needs no second read"
is "$(q2 "SELECT count(x) FROM meterops.reading_day, unnest(wh) x WHERE day >= '2024-12-01'")" 1152 "every reading of it"

# --- --create-meters -----------------------------------------------------------------------------
printf 'mpxn,timestamp,kwh\n2700003640001,2024-11-01T00:00:00Z,0.100\n1234567890,2024-11-01T00:00:00Z,0.200\n6000000001,2024-11-03T00:00:00Z,0.300\n' >"$t/new.csv"
"$MO_BIN" load --db "$db2" --quiet "$t/new.csv" >/dev/null 2>&1; rc=$?
is "$rc" 1 "unknown meters without --create-meters: rows rejected"
is "$(q2 "SELECT string_agg(line_no || ':' || column_name || ':' || code, ' ' ORDER BY line_no) FROM meterops.load_error e JOIN meterops.load_file f USING (file_id) WHERE f.path LIKE '%new.csv'")" \
   "2:mpxn:unknown_meter 3:mpxn:unknown_meter" "unknown_meter on the meter id column"
printf 'mpxn,timestamp,kwh\n2700003640001,2024-11-01T00:00:00Z,0.100\n2700003640001,2024-11-01T00:30:00Z,x\n' >"$t/new_bad.csv"
"$MO_BIN" load --db "$db2" --quiet --create-meters --max-reject-ratio 0 "$t/new_bad.csv" >/dev/null 2>&1
is "$(q2 "SELECT count(*) FROM meterops.meter")" 12 "a rejected file registers no meter"
"$MO_BIN" load --db "$db2" --quiet --create-meters "$t/new.csv" >/dev/null 2>&1; rc=$?
is "$rc" 0 "with --create-meters the unknown meters are registered and loaded"
is "$(q2 "SELECT string_agg(m.mpxn || ':' || m.fuel || ':' || m.interval_minutes || ':' || r.wh[1], ' ' ORDER BY m.mpxn)
          FROM meterops.meter m JOIN meterops.reading_day r USING (meter_id) WHERE m.mpxn IN ('2700003640001', '1234567890')")" \
   "1234567890:gas:30:200 2700003640001:elec:30:100" "new meters: fuel from the id, interval 30 by default, readings on them"

# --- --meter: every reading to one meter; kept for a requeue -------------------------------------
printf 'mpxn,timestamp,kwh\n6000000001,2024-11-05T00:00:00Z,0.100\n6000000002,2024-11-05T00:30:00Z,0.200\n' >"$t/mapped.csv"
"$MO_BIN" load --db "$db2" --quiet --meter 6000000009 "$t/mapped.csv" >/dev/null 2>&1; rc=$?
is "$rc" 0 "--meter loads"
is "$(q2 "SELECT m.mpxn || ' ' || r.wh[1] || ' ' || r.wh[2] FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id) WHERE r.day = '2024-11-05'")" \
   "6000000009 100 200" "every reading of the file is on the --meter meter"
fid=$(q2 "SELECT file_id FROM meterops.load_file WHERE path LIKE '%mapped.csv'")
is "$(q2 "SELECT options->>'meter' FROM meterops.load_file WHERE file_id = $fid")" 6000000009 "the option is stored with the file"
"$MO_BIN" requeue "$fid" --reason "reload mapped" --db "$db2" >/dev/null
"$MO_BIN" load --db "$db2" --quiet --queued >/dev/null 2>&1
is "$(q2 "SELECT f.status || ' ' || f.attempts || ' ' || (SELECT count(*) FROM meterops.reading_day WHERE day = '2024-11-05') FROM meterops.load_file f WHERE file_id = $fid")" \
   "loaded 2 1" "a requeued file loads again with its stored --meter"
out=$("$MO_BIN" load --db "$db2" --quiet --meter MAC000002 "$t/mapped.csv" 2>&1); rc=$?
is "$rc" 2 "--meter with something that is no MPAN or MPRN is a usage error"

# --- least privilege: a login in meterops_loader does all of the above ---------------------------
psql -X -q -d t_load_order2 -c "DROP ROLE IF EXISTS t_ord_loader; CREATE ROLE t_ord_loader LOGIN IN ROLE meterops_loader" >/dev/null 2>&1
dbl="host=$MO_SANDBOX dbname=t_load_order2 user=t_ord_loader"
sed 's/2024-11-0/2025-01-0/' "$t/by_meter.csv" >"$t/as_loader.csv"
printf 'mpxn,timestamp,kwh\n6000000001,2025-01-01T00:00:00Z,5.000\n1234567891,2025-01-01T00:00:00Z,0.400\n' >"$t/as_loader_fix.csv"
out=$("$MO_BIN" load --db "$dbl" --quiet "$t/as_loader.csv" 2>&1); rc=$?
is "$rc" 0 "the loader role loads a file (new partition, direct path)"
out=$("$MO_BIN" load --db "$dbl" --quiet --create-meters "$t/as_loader_fix.csv" 2>&1); rc=$?
is "$rc" 0 "the loader role corrects stored days and registers a meter"
is "$(q2 "SELECT r.wh[1] || ' ' || (SELECT count(*) FROM meterops.meter WHERE mpxn = '1234567891') FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id) WHERE m.mpxn = '6000000001' AND r.day = '2025-01-01'")" \
   "5000 1" "as the loader role: the correction merged, the new meter registered"

rm -rf "$t"
done_testing
