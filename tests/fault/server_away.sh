#!/bin/sh
# Fault: the server away longer than the loader's retry budget (MO_LOAD_RETRY_MS, here a
# few seconds instead of two minutes). The loader gives up and exits 2 without reporting
# the file loaded or failed; nothing of the file is stored; the file's claim runs out with
# its lease and a later run loads it with exact totals.
. "$MO_SRCDIR/tests/fault/common.sh"
t=$(tmpdir)
trap fault_cleanup EXIT
fault_server || { echo "not ok 1 - a private server"; exit 1; }
db=$(fresh_db t_fault_away)
q() { sql "$1" -d t_fault_away; }
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q "INSERT INTO meterops.meter (mpxn, fuel) SELECT '50000000' || lpad(i::text, 2, '0'), 'gas' FROM generate_series(0, 19) i"
# 20 gas meters x 2 days; about 4 s of loading with the throttle
awk 'BEGIN { print "mpxn,timestamp,kwh"
    for (m = 0; m < 20; m++) for (d = 0; d < 2; d++) for (s = 0; s < 48; s++)
        printf "50000000%02d,2024-10-%02dT%02d:%02d:00Z,0.%03d\n", m, 1 + d, int(s / 2), (s % 2) * 30, (m * 7 + s * 3) % 1000 }' >"$t/away.csv"

MO_LOAD_RETRY_MS=3000 MO_LOAD_THROTTLE_MS=200 MO_LOAD_CHUNK_BYTES=4096 \
    "$MO_BIN" load --db "$db" --jobs 1 --lease 3 "$t/away.csv" >"$t/out" 2>"$t/err" &
pid=$!
wait_for "SELECT progress_rows > 0 FROM meterops.load_file" t
"$MO_SRCDIR/scripts/pg-sandbox" stop "$srv"
wait "$pid"; rc=$?
is "$rc" 2 "a loader that cannot reach the server within its retry budget exits 2"
like "$(cat "$t/err")" "giving up reconnecting" "it says it gave up on the database"
like "$(cat "$t/out")" "away.csv: failed .*returns to the queue when its lease runs out" \
   "its summary says the file goes back to the queue when its lease runs out"
server_start
echo "# the loader said: $(tr '\n' '|' <"$t/out")"
echo "# the file after: $(q "SELECT status || ' ' || attempts || ' ' || (lease_until > now()) FROM meterops.load_file")"
is "$(q "SELECT count(*) FROM meterops.reading_day")" 0 "nothing of the file is stored"
is "$(q "SELECT status IN ('queued', 'loading') FROM meterops.load_file")" t \
   "the file is still to be loaded (queued, or claimed until its lease runs out)"
wait_for "SELECT status = 'queued' OR lease_until < now() FROM meterops.load_file" t
"$MO_BIN" load --db "$db" --quiet --queued >"$t/out2" 2>&1; rc=$?
is "$rc" 0 "a later run loads it"
is "$(q "SELECT status || ' ' || rows_loaded FROM meterops.load_file")" "loaded 1920" "the file is loaded"
is "$(q "SELECT count(x) || ' ' || sum(x) FROM meterops.reading_day, unnest(wh) x")" "1920 $(wh_total "$t/away.csv")" \
   "every reading once, totals as in the file"
done_testing
