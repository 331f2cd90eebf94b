#!/bin/sh
# Meter identity (issues 15 and 11): every way a meter id can be written maps to one meter
# or is refused (backend/mpan.h), on every path: readings files, the meters feed,
# --meter, --create-meters; and migration 015 puts right the full MPANs an older loader
# registered as meters of their own.
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_load_identity)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d t_load_identity; }
t=$(tmpdir)
CORE=2700003645222 FULL=018011002700003645222
# a core no meters.csv registers, and its full MPAN (limejump's example)
NEWCORE=1312345678907 NEWFULL=001112221312345678907
wh() { q "SELECT coalesce(sum(x), 0) FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id), unnest(r.wh) x WHERE m.mpxn = '$1'"; }

# --- the meters feed: a full MPAN registers its core; an Irish MPRN is a meter ----------
printf 'mpxn,fuel,interval_minutes,account_no,tariff_code,installed_on,removed_on\n%s,elec,30,,,,\n10012345678,elec,30,,,,\n0391524108,gas,30,,,,\n' "$FULL" >"$t/meters.csv"
"$MO_BIN" load --db "$db" --quiet --max-reject-ratio 1 "$t/meters.csv" >/dev/null 2>&1
is "$(q "SELECT string_agg(mpxn || ':' || fuel, ' ' ORDER BY mpxn) FROM meterops.meter")" \
   "10012345678:elec $CORE:elec" "meters.csv: a full MPAN is stored as its core, an 11-digit Irish MPRN is accepted"
is "$(q "SELECT line_no || ':' || code FROM meterops.load_error")" "4:mpxn_syntax" \
   "meters.csv: a zero-padded gas MPRN (a second spelling) is refused"

# --- readings: core and full MPAN are one meter; a repeat across spellings is a duplicate -
cat >"$t/r1.csv" <<CSV
mpxn,timestamp,kwh
$CORE,2024-06-01T00:00:00Z,0.100
$FULL,2024-06-01T00:30:00Z,0.200
$FULL,2024-06-01T00:00:00Z,0.100
$CORE,2024-06-01T00:30:00Z,0.300
CSV
"$MO_BIN" load --db "$db" --quiet --max-reject-ratio 1 "$t/r1.csv" >/dev/null 2>&1; rc=$?
is "$rc" 1 "a file repeating a reading under the other spelling exits 1"
is "$(q "SELECT string_agg(line_no || ':' || code, ' ' ORDER BY line_no) FROM meterops.load_error e JOIN meterops.load_file f USING (file_id) WHERE f.path LIKE '%r1.csv'")" \
   "4:duplicate_identical 5:duplicate_conflict" "the full MPAN's reading is a duplicate of the core's (identical and conflicting)"
is "$(wh $CORE)" 300 "the readings of both spellings are stored under the one meter"
is "$(q "SELECT count(*) FROM meterops.meter")" 2 "no meter was added"

# --- --meter and --create-meters --------------------------------------------------------
printf 'mpxn,timestamp,kwh\n%s,2024-06-02T00:00:00Z,0.500\n%s,2024-06-02T00:30:00Z,0.250\n%s,2024-06-02T00:30:00Z,0.250\n' \
    "$NEWFULL" "$NEWCORE" "$NEWFULL" >"$t/new.csv"
"$MO_BIN" load --db "$db" --quiet --create-meters --max-reject-ratio 1 "$t/new.csv" >/dev/null 2>&1; rc=$?
is "$rc" 1 "--create-meters: the repeat under the other spelling is rejected (exit 1)"
is "$(q "SELECT string_agg(mpxn, ' ' ORDER BY mpxn) FROM meterops.meter WHERE mpxn LIKE '%$NEWCORE'")" "$NEWCORE" \
   "--create-meters registers the core once, never the full MPAN"
is "$(wh $NEWCORE)" 750 "both spellings' readings land on the one new meter"
printf 'LCLid,DateTime,KWH/hh (per half hour)\nMAC000002,2024-06-03 00:00:00, 0.123\n' >"$t/lcl.csv"
"$MO_BIN" load --db "$db" --quiet --meter "$FULL" "$t/lcl.csv" >/dev/null 2>&1; rc=$?
is "$rc" 0 "--meter with a full MPAN loads onto the registered core"
is "$(wh $CORE)" 423 "the --meter rows are the core meter's"
is "$(q "SELECT options->>'meter' FROM meterops.load_file WHERE path LIKE '%lcl.csv'")" "$CORE" \
   "the file's options store the core"
printf 'LCLid,DateTime,KWH/hh (per half hour)\nMAC000003,2024-06-03 00:00:00, 0.111\n' >"$t/lcl2.csv"
"$MO_BIN" load --db "$db" --quiet --meter 10087654321 --create-meters "$t/lcl2.csv" >/dev/null 2>&1; rc=$?
is "$rc" 0 "--meter with an Irish MPRN and --create-meters registers it (as meters.csv would)"
is "$(q "SELECT fuel FROM meterops.meter WHERE mpxn = '10087654321'")" elec "an Irish MPRN is electricity"
for bad in 0391524108 20012345678 018011002700003645229 "27 0000 3645 222"; do
    "$MO_BIN" load --db "$db" --quiet --meter "$bad" --create-meters "$t/lcl2.csv" >/dev/null 2>&1; rc=$?
    is "$rc" 2 "--meter '$bad' is refused (exit 2)"
done

# --- migration 015: full MPANs registered as meters by an older loader -------------------
q "ALTER TABLE meterops.meter DROP CONSTRAINT meter_mpxn_rule"
q "INSERT INTO meterops.meter (mpxn, fuel) VALUES ('$FULL', 'elec'), ('001112222000055433806', 'elec')"
dup=$(q "SELECT meter_id FROM meterops.meter WHERE mpxn = '$FULL'")
fid=$(q "SELECT min(file_id) FROM meterops.load_file")
# the duplicate holds a day the core lacks and, on a day both hold, a half hour the core lacks
q "INSERT INTO meterops.reading_day (meter_id, day, wh, file_id) VALUES
     ($dup, '2024-06-05', array_fill(10, ARRAY[48]), $fid),
     ($dup, '2024-06-01', ARRAY[100, 200] || array_fill(NULL::int, ARRAY[45]) || 7, $fid)"
q "DELETE FROM meterops.schema_migration WHERE name = 'schema/013_meter_identity'"
"$MO_BIN" db migrate --db "$db" >"$t/mig" 2>&1; rc=$?
is "$rc" 0 "migration 015 runs again"
is "$(q "SELECT string_agg(mpxn, ' ' ORDER BY mpxn) FROM meterops.meter WHERE length(mpxn) >= 13")" \
   "$NEWCORE 2000055433806 $CORE" "a full MPAN with a free core is renamed; one whose core is registered is merged"
is "$(wh $CORE)" $((423 + 480 + 7)) "the merged meter's readings are the core's (a new day and a new half hour)"
q "ALTER TABLE meterops.meter DROP CONSTRAINT meter_mpxn_rule"
q "INSERT INTO meterops.meter (mpxn, fuel) VALUES ('$FULL', 'elec')"
dup=$(q "SELECT meter_id FROM meterops.meter WHERE mpxn = '$FULL'")
q "INSERT INTO meterops.reading_day (meter_id, day, wh, file_id) VALUES ($dup, '2024-06-01', ARRAY[101] || array_fill(NULL::int, ARRAY[47]), $fid)"
q "DELETE FROM meterops.schema_migration WHERE name = 'schema/013_meter_identity'"
"$MO_BIN" db migrate --db "$db" >"$t/mig" 2>&1; rc=$?
ok "$([ "$rc" != 0 ] && grep -q "different readings for the same half hours on 2024-06-01" "$t/mig"; echo $?)" \
   "two spellings that disagree on a half hour stop the migration, naming the day"
q "DELETE FROM meterops.reading_day WHERE meter_id = $dup"
"$MO_BIN" db migrate --db "$db" >/dev/null 2>&1; rc=$?
is "$rc" 0 "once the wrong day is deleted, the migration completes"
err=$(q "INSERT INTO meterops.meter (mpxn, fuel) VALUES ('$FULL', 'elec')" 2>&1)
like "$err" "meter_mpxn_rule" "a full MPAN can no longer be registered as a meter"
done_testing
