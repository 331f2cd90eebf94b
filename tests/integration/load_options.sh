#!/bin/sh
# Options that count (issue 15): the same bytes loaded again with another --meter (or
# --export-meter: the options that say whose readings the rows are) are not a duplicate.
# The reload is refused (exit 1) with the earlier file id and the way to replace it:
# `meterops requeue FILE_ID --reason ... --meter NEW`, audited with the old and new
# options, which moves the readings to the new meter. Options that do not change what the
# rows mean (--max-reject-ratio, the same meter spelled as a full MPAN) still skip.
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_load_options)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d t_load_options; }
t=$(tmpdir)
A=2700003645222 B=1200023305967
q "INSERT INTO meterops.meter (mpxn, fuel) VALUES ('$A', 'elec'), ('$B', 'elec')"
wh() { q "SELECT coalesce(sum(x), 0) FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id), unnest(r.wh) x WHERE m.mpxn = '$1'"; }
printf 'LCLid,DateTime,KWH/hh (per half hour)\nMAC000002,2024-06-01 00:00:00, 0.100\nMAC000002,2024-06-01 00:30:00, 0.200\nMAC000002,2024-06-02 00:00:00, 0.400\n' >"$t/house.csv"

"$MO_BIN" load --db "$db" --quiet --meter $A "$t/house.csv" >/dev/null 2>&1
is "$?:$(wh $A)" "0:700" "loaded with --meter A: 700 Wh on A"
fid=$(q "SELECT file_id FROM meterops.load_file")

out=$("$MO_BIN" load --db "$db" --quiet --meter $B "$t/house.csv" 2>&1); rc=$?
is "$rc" 1 "the same bytes with --meter B are refused: exit 1, not a silent skip"
like "$out" "refused: the same content is loaded as file $fid .* with --meter $A; this run says --meter $B" \
   "the message names the earlier file and both options"
like "$out" "meterops requeue $fid --reason TEXT --meter $B" "and the way to replace it"
is "$(q "SELECT count(*) FROM meterops.load_file")|$(wh $B)" "1|0" "nothing was enqueued, nothing is on B"

out=$("$MO_BIN" load --db "$db" --quiet --meter 018011002700003645222 --max-reject-ratio 0.5 "$t/house.csv" 2>&1); rc=$?
is "$rc" 0 "the same meter as a full MPAN and another --max-reject-ratio: the same meaning, skipped (exit 0)"
like "$out" "skipped: already loaded as file $fid" "said as a skip"

out=$("$MO_BIN" requeue --db "$db" $fid --reason "loaded on the wrong meter" --meter 12345 2>&1); rc=$?
is "$rc" 2 "requeue --meter with something that is no meter id: exit 2"
"$MO_BIN" requeue --db "$db" $fid --reason "loaded on the wrong meter" --meter $B >/dev/null 2>&1; rc=$?
is "$rc" 0 "requeue FILE_ID --meter B: exit 0"
is "$(q "SELECT status || ' ' || (options->>'meter') FROM meterops.load_file WHERE file_id = $fid")" "queued $B" \
   "the file is queued with the new meter"
is "$(q "SELECT db_user = session_user, reason, detail->'old_options'->>'meter', detail->'new_options'->>'meter', detail->>'meter_days_removed'
         FROM meterops.audit_log WHERE action = 'requeue_options'" | tr '|' ' ')" \
   "t loaded on the wrong meter $A $B 2" "audited: who, why, old and new options, meter-days removed"
is "$(q "SELECT count(*) FROM meterops.audit_log WHERE action = 'requeue' AND target = 'load_file:$fid'")" 1 \
   "and the requeue itself is audited as any requeue"
"$MO_BIN" load --db "$db" --quiet --queued >/dev/null 2>&1; rc=$?
is "$rc:$(wh $A):$(wh $B)" "0:0:700" "loaded again: the readings moved from A to B, none doubled"
out=$("$MO_BIN" load --db "$db" --quiet --meter $B "$t/house.csv" 2>&1); rc=$?
is "$rc" 0 "now the same bytes with --meter B are a copy: skipped"

# two copies queued before either was hashed, with different meters: settled at commit,
# where the second is refused (rejected, nothing loaded), not skipped
C=1900001059816 D=1013044353630
q "INSERT INTO meterops.meter (mpxn, fuel) VALUES ('$C', 'elec'), ('$D', 'elec')"
sed 's/2024-06-0/2024-07-0/' "$t/house.csv" >"$t/c.csv"; cp "$t/c.csv" "$t/d.csv"
bytes=$(wc -c <"$t/c.csv")
q "INSERT INTO meterops.load_file (path, sha256, bytes, format, options) VALUES
     ('$t/c.csv', NULL, $bytes, 'lcl', '{\"meter\": \"$C\"}'), ('$t/d.csv', NULL, $bytes, 'lcl', '{\"meter\": \"$D\"}')"
"$MO_BIN" load --db "$db" --quiet --queued --jobs 2 >/dev/null 2>&1; rc=$?
is "$rc" 1 "two unhashed copies with different meters: exit 1"
is "$(q "SELECT string_agg(status, ' ' ORDER BY status) FROM meterops.load_file WHERE path LIKE '$t/_.csv'")" "loaded rejected" \
   "one loads, the other is rejected"
like "$(q "SELECT message FROM meterops.load_file WHERE path LIKE '$t/_.csv' AND status = 'rejected'")" \
   "^refused: the same content was loaded as file [0-9]+ .* with another --meter" "and says why"
is "$(( $(wh $C) + $(wh $D) ))" 700 "the readings are on one meter only"
done_testing
