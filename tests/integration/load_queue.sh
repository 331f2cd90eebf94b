#!/bin/sh
# The queue: a file loaded once is skipped, a requeued file loads again (audited), a
# later file corrects stored days interval by interval, loaders share one queue without
# loading a file twice, and the daemon picks up inbox files and requeues.
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_load_queue)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d t_load_queue; }
q "INSERT INTO meterops.meter (mpxn, fuel, interval_minutes) VALUES
     ('2700003640001', 'elec', 30), ('2700003640010', 'elec', 15), ('1999000000008', 'elec', 60)"
fx=$MO_SRCDIR/tests/fixtures/load
t=$(tmpdir)
# waits up to 60 s for a query to return the expected value
wait_for() {
    i=0
    while [ "$(q "$1")" != "$2" ] && [ $i -lt 300 ]; do sleep 0.2; i=$((i + 1)); done
}

# --- the same content twice: skipped; requeued: loaded again ---------------------------
"$MO_BIN" load --db "$db" --quiet "$fx/clean.csv" >/dev/null 2>&1
cp "$fx/clean.csv" "$t/copy-of-clean.csv"
out=$("$MO_BIN" load --db "$db" --quiet "$t/copy-of-clean.csv" 2>&1); rc=$?
is "$rc" 0 "a skipped file does not change the exit status"
like "$out" "copy-of-clean.csv: skipped: already loaded as file 1 on [0-9]{4}-[0-9]{2}-[0-9]{2}" "the skip names the earlier file and its date"
is "$(q "SELECT count(*) FROM meterops.load_file")" 1 "a skipped file is not queued"
before=$(q "SELECT string_agg(meter_id || ':' || day || ':' || wh::text, ' ' ORDER BY meter_id, day) FROM meterops.reading_day")

out=$("$MO_BIN" requeue 1 --reason "registry fixed" --db "$db"); rc=$?
is "$rc" 0 "requeue exits 0"
like "$out" "file 1 \(.*clean.csv\): loaded -> queued" "requeue says what happened"
is "$(q "SELECT action || ' ' || target || ' ' || reason || ' ' || (detail->>'from_status') FROM meterops.audit_log")" \
   "requeue load_file:1 registry fixed loaded" "the requeue is in audit_log"
out=$("$MO_BIN" load --db "$db" --quiet "$fx/clean.csv" 2>&1); rc=$?
like "$out" "already queued as file 1" "loading a requeued file's content again adopts the queued file"
is "$(q "SELECT status || ' ' || attempts || ' ' || requeues || ' ' || rows_loaded FROM meterops.load_file WHERE file_id = 1")" \
   "loaded 2 1 168" "the requeued file loaded again"
is "$(q "SELECT string_agg(meter_id || ':' || day || ':' || wh::text, ' ' ORDER BY meter_id, day) FROM meterops.reading_day")" \
   "$before" "loading the same file again changes no reading (merged, not doubled)"

# --- requeue refusals --------------------------------------------------------------------
q "INSERT INTO meterops.load_file (path, sha256, format, status) VALUES ('/q.csv', repeat('b', 64), 'long', 'queued')"
out=$("$MO_BIN" requeue 2 --reason again --db "$db" 2>&1); rc=$?
is "$rc" 1 "requeueing a queued file exits 1"
like "$out" "file 2 \(/q.csv\): file 2 is queued already" "the refusal is shown plainly"
out=$("$MO_BIN" requeue 99 --reason x --db "$db" 2>&1); rc=$?
is "$rc" 1 "requeueing a missing file exits 1"
like "$out" "file 99 does not exist" "a missing file is named"
q "DELETE FROM meterops.load_file WHERE file_id = 2"
psql -X -q -d t_load_queue -c "DROP ROLE IF EXISTS t_q_support; CREATE ROLE t_q_support LOGIN IN ROLE meterops_support" >/dev/null 2>&1
out=$("$MO_BIN" requeue 1 --reason x --db "host=$MO_SANDBOX dbname=t_load_queue user=t_q_support" 2>&1); rc=$?
is "$rc" 2 "a role without the right to requeue exits 2"
like "$out" "permission denied" "PostgreSQL's refusal is shown"
"$MO_BIN" requeue 1 --db "$db" >/dev/null 2>&1; is "$?" 2 "requeue without --reason is a usage error"
out=$("$MO_BIN" requeue 1 --reason "" --db "$db" 2>&1); rc=$?
is "$rc" 2 "requeue with an empty --reason is a usage error"
like "$out" "--reason is required and must say why" "... which says what is missing"
"$MO_BIN" requeue 1 --reason "   " --db "$db" >/dev/null 2>&1; is "$?" 2 "a reason of blanks is none"
out=$("$MO_BIN" requeue 1 99 --reason x --db "host=/nonexistent-dir dbname=x" 2>&1); rc=$?
is "$rc" 2 "requeue with no database: exit 2"
is "$(printf '%s\n' "$out" | grep -c 'does not exist')" 0 "... and no file is called missing when none was looked up"

# --- correction: a later file merges interval by interval ----------------------------------
m1="(SELECT meter_id FROM meterops.meter WHERE mpxn = '2700003640001')"
old=$(q "SELECT wh[2] || ',' || wh[3] || ',' || wh[47] FROM meterops.reading_day WHERE meter_id = $m1 AND day = '2024-06-10'")
out=$("$MO_BIN" load --db "$db" --quiet "$fx/correction.csv" 2>&1); rc=$?
is "$rc" 0 "the correction file loads"
cid=$(q "SELECT file_id FROM meterops.load_file WHERE path LIKE '%correction.csv'")
is "$(q "SELECT wh[1] || ',' || wh[2] || ',' || wh[3] || ',' || wh[47] || ',' || wh[48] || ' ' || substr(encode(flags, 'escape'), 1, 3) || ' ' || (file_id = $cid)
         FROM meterops.reading_day WHERE meter_id = $m1 AND day = '2024-06-10'")" \
   "9000,$(echo "$old" | cut -d, -f1),8000,$(echo "$old" | cut -d, -f3),7000 EAA true" \
   "given intervals replaced, the others kept, estimate flagged, file_id is the correcting file"
is "$(q "SELECT wh[1] || ' ' || cardinality(array_remove(wh, NULL)) || ' ' || (file_id = $cid) FROM meterops.reading_day WHERE meter_id = $m1 AND day = '2024-06-11'")" \
   "1000 1 true" "a new day of the same file went in directly (47 intervals missing)"
is "$(q "SELECT count(*) FROM meterops.reading_day WHERE file_id = 1")" 2 "days the correction did not touch keep their file_id"

# --- two loaders, one queue ------------------------------------------------------------------
for d in 1 2 3 4 5 6; do
    sed "s/2024-06-10/2024-08-0$d/" "$fx/clean.csv" >"$t/day$d.csv"
done
MO_LOAD_THROTTLE_MS=150 MO_LOAD_CHUNK_BYTES=1500 "$MO_BIN" load --db "$db" --quiet --jobs 1 \
    "$t/day1.csv" "$t/day2.csv" "$t/day3.csv" "$t/day4.csv" "$t/day5.csv" "$t/day6.csv" >"$t/a.out" 2>&1 &
apid=$!
wait_for "SELECT count(*) > 0 FROM meterops.load_file WHERE path LIKE '%/day_.csv' AND status = 'loading'" t
MO_LOAD_THROTTLE_MS=150 MO_LOAD_CHUNK_BYTES=1500 "$MO_BIN" load --db "$db" --quiet --jobs 1 --queued >"$t/b.out" 2>&1
brc=$?
wait $apid; arc=$?
is "$arc" 0 "the loader that queued the files exits 0"
is "$brc" 0 "the helping loader exits 0"
is "$(q "SELECT count(*) || ' ' || sum(attempts) || ' ' || count(DISTINCT claimed_by) FROM meterops.load_file WHERE path LIKE '%/day_.csv' AND status = 'loaded'")" \
   "6 6 2" "six files, each claimed once, by two loaders"
is "$(q "SELECT count(x) FROM meterops.reading_day, unnest(wh) x WHERE day BETWEEN '2024-08-01' AND '2024-08-06'")" 1008 \
   "every reading of the six files once (6 x 168)"
is "$(grep -c ': loaded (file' "$t/a.out") $(grep -c ': loaded (file' "$t/b.out")" \
   "6 $(grep -c ': loaded (file' "$t/b.out")" "the first loader reports all its files, including those the other loaded"

# --- hashing while loading ----------------------------------------------------------------
# A file no other file's size matches is queued unhashed and hashed by the loader as it
# reads it; one that matches a known size is hashed first (the skip above). Either way
# the loader checks the bytes it read against what was queued.
is "$(q "SELECT sha256 FROM meterops.load_file WHERE file_id = 1")" \
   "$(sha256sum "$fx/clean.csv" | cut -d' ' -f1)" "the sha256 the loader computed while loading is the file's"
is "$(q "SELECT count(*) FROM meterops.load_file WHERE sha256 IS NULL AND status <> 'queued'")" 0 \
   "every file the loader finished has its sha256"
# changed after it was queued, same size: one value's digit differs
sed "s/2024-06-10/2024-10-01/" "$fx/clean.csv" >"$t/oct.csv"
want=$(sha256sum "$t/oct.csv" | cut -d' ' -f1)
bytes=$(wc -c <"$t/oct.csv")
q "INSERT INTO meterops.load_file (path, sha256, bytes, format) VALUES ('$t/oct.csv', '$want', $bytes, 'long')"
awk -F, 'NR == 2 { n = substr($3, length($3), 1); $3 = substr($3, 1, length($3) - 1) (n == 9 ? 8 : n + 1) }
         { print }' OFS=, "$t/oct.csv" >"$t/oct.new" && mv "$t/oct.new" "$t/oct.csv"
is "$(wc -c <"$t/oct.csv")" "$bytes" "(the changed file kept its size)"
"$MO_BIN" load --db "$db" --quiet --queued >/dev/null 2>&1
is "$(q "SELECT status || ' ' || (message LIKE '%content changed after it was queued%sha256%queue it again%') FROM meterops.load_file WHERE path = '$t/oct.csv'")" \
   "failed true" "a queued file whose content changed but not its size fails, and says why"
is "$(q "SELECT count(*) FROM meterops.reading_day WHERE day = '2024-10-01'")" 0 "nothing of the changed file landed"
# two copies queued before either was hashed: one loads, the other is settled at commit
sed "s/2024-06-10/2024-11-01/" "$fx/clean.csv" >"$t/nov-a.csv"
cp "$t/nov-a.csv" "$t/nov-b.csv"
bytes=$(wc -c <"$t/nov-a.csv")
q "INSERT INTO meterops.load_file (path, sha256, bytes, format) VALUES ('$t/nov-a.csv', NULL, $bytes, 'long'), ('$t/nov-b.csv', NULL, $bytes, 'long')"
"$MO_BIN" load --db "$db" --quiet --queued --jobs 2 >"$t/nov.out" 2>&1; rc=$?
is "$rc" 0 "two copies queued unhashed load with exit 0"
is "$(q "SELECT string_agg(status || ' ' || readings_loaded, ', ' ORDER BY readings_loaded DESC) FROM meterops.load_file WHERE path LIKE '$t/nov-_.csv'")" \
   "loaded 168, loaded 0" "one copy loaded its readings, the other none"
like "$(q "SELECT message FROM meterops.load_file WHERE path LIKE '$t/nov-_.csv' AND readings_loaded = 0")" \
   "^skipped: the same content as file [0-9]+, loaded on [0-9-]+ [0-9:]+ UTC; nothing loaded again" "the second copy names the first"
is "$(q "SELECT count(DISTINCT sha256) || ' ' || count(sha256) FROM meterops.load_file WHERE path LIKE '$t/nov-_.csv'")" "1 2" \
   "both copies carry the content's sha256"

# --- the daemon: inbox and requeue ------------------------------------------------------------
inbox=$t/inbox
mkdir "$inbox"
"$MO_BIN" load --db "$db" --daemon --inbox "$inbox" --quiet --jobs 1 >"$t/d.out" 2>&1 &
dpid=$!
wait_for "SELECT count(*) FROM meterops.load_job WHERE args LIKE '%--daemon%' AND status = 'running'" 1
sed "s/2024-06-10/2024-09-01/" "$fx/clean.csv" >"$t/.incoming"
mv "$t/.incoming" "$inbox/sept.csv"
wait_for "SELECT status FROM meterops.load_file WHERE path = '$inbox/sept.csv'" loaded
is "$(q "SELECT status || ' ' || rows_loaded FROM meterops.load_file WHERE path = '$inbox/sept.csv'")" "loaded 168" \
   "a file moved into the inbox is loaded by the daemon"
sid=$(q "SELECT file_id FROM meterops.load_file WHERE path = '$inbox/sept.csv'")
"$MO_BIN" requeue "$sid" --reason "daemon test" --db "$db" >/dev/null
wait_for "SELECT status || attempts FROM meterops.load_file WHERE file_id = $sid" loaded2
is "$(q "SELECT status || ' ' || attempts FROM meterops.load_file WHERE file_id = $sid")" "loaded 2" \
   "the daemon loads a requeued file again (NOTIFY)"
# A file with a rejected row: reported as it loads; the daemon's own end stays clean.
sed "s/2024-06-10/2024-10-02/" "$fx/clean.csv" >"$t/.incoming"
echo "2700003640001,2024-10-02T07:15:00Z,1.000" >>"$t/.incoming"
mv "$t/.incoming" "$inbox/oct.csv"
wait_for "SELECT status || ' ' || rows_rejected FROM meterops.load_file WHERE path = '$inbox/oct.csv'" "loaded 1"
kill -TERM $dpid
wait $dpid; drc=$?
is "$drc" 0 "the daemon stops cleanly on SIGTERM, also after a file with rejected rows"
is "$(q "SELECT status FROM meterops.load_job WHERE args LIKE '%--daemon%'")" done "the daemon's job is closed"

rm -rf "$t"
done_testing
