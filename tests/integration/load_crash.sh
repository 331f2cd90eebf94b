#!/bin/sh
# Crash safety: a loader killed with SIGKILL mid-file leaves no row of it, its claim
# returns to the queue when the lease runs out and another loader finishes the file; a
# server restart during a load is survived (reconnect, retry from the start).
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_load_crash)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d t_load_crash; }
q "INSERT INTO meterops.meter (mpxn, fuel) SELECT '50000000' || lpad(i::text, 2, '0'), 'gas' FROM generate_series(0, 99) i"
t=$(tmpdir)
wait_for() {
    i=0
    while [ "$(q "$1" 2>/dev/null)" != "$2" ] && [ $i -lt 300 ]; do sleep 0.2; i=$((i + 1)); done
}
# 20 gas meters x 2 days x 48 half hours, grouped by meter
gen() {
    awk -v day="$2" 'BEGIN { print "mpxn,timestamp,kwh"
        for (m = 0; m < 20; m++) for (d = 0; d < 2; d++) for (s = 0; s < 48; s++)
            printf "50000000%02d,2024-10-%02dT%02d:%02d:00Z,0.%03d\n", m, day + d, int(s / 2), (s % 2) * 30, (m * 7 + s * 3) % 1000 }' >"$1"
}
wh_of() { awk -F, 'NR > 1 { split($3, p, "."); s += p[2] } END { print s }' "$1"; }
# Each chunk of ~90 lines is followed by a 200 ms pause: the load lasts about 4 s.
slow="MO_LOAD_THROTTLE_MS=200 MO_LOAD_CHUNK_BYTES=4096"

# --- SIGKILL ---------------------------------------------------------------------------------
gen "$t/kill.csv" 1
env $slow "$MO_BIN" load --db "$db" --quiet --jobs 1 --lease 2 "$t/kill.csv" >/dev/null 2>&1 &
pid=$!
wait_for "SELECT progress_rows > 0 FROM meterops.load_file WHERE path = '$t/kill.csv'" t
is "$(q "SELECT status || ' ' || (progress_rows > 0) || ' ' || (progress_rows < 1920) FROM meterops.load_file WHERE path = '$t/kill.csv'")" \
   "loading true true" "progress is visible while the file's transaction is open"
kill -KILL $pid
wait $pid 2>/dev/null
is "$(q "SELECT count(*) FROM meterops.reading_day")" 0 "a killed loader leaves no reading of its file"
is "$(q "SELECT count(*) FROM meterops.load_error")" 0 "and no error rows"
is "$(q "SELECT status || ' ' || attempts FROM meterops.load_file WHERE path = '$t/kill.csv'")" "loading 1" \
   "the file stays claimed until its lease runs out"
out=$("$MO_BIN" load --db "$db" --quiet --queued 2>&1)
is "$(q "SELECT status || ' ' || attempts FROM meterops.load_file WHERE path = '$t/kill.csv'")" "loading 1" \
   "another loader does not take a file under a live lease"
wait_for "SELECT lease_until < now() FROM meterops.load_file WHERE path = '$t/kill.csv'" t
out=$("$MO_BIN" load --db "$db" --quiet --queued 2>&1); rc=$?
is "$rc" 0 "after the lease ran out another loader takes the file"
is "$(q "SELECT status || ' ' || attempts || ' ' || rows_loaded FROM meterops.load_file WHERE path = '$t/kill.csv'")" "loaded 2 1920" \
   "the file is loaded on the second claim"
is "$(q "SELECT count(x) || ' ' || sum(x) FROM meterops.reading_day, unnest(wh) x")" "1920 $(wh_of "$t/kill.csv")" \
   "every reading once, totals as in the file"

# --- SIGTERM: the file in progress goes back to the queue --------------------------------------
# 100 meters x 10 days: its COPY stream is open (past 256 kB of day rows) when the signal
# comes, so the release also shows the connection was brought back from COPY mode.
awk 'BEGIN { print "mpxn,timestamp,kwh"
    for (m = 0; m < 100; m++) for (d = 0; d < 10; d++) for (s = 0; s < 48; s++)
        printf "50000000%02d,2024-09-%02dT%02d:%02d:00Z,0.%03d\n", m, 1 + d, int(s / 2), (s % 2) * 30, (m + s) % 1000 }' >"$t/term.csv"
MO_LOAD_THROTTLE_MS=100 MO_LOAD_CHUNK_BYTES=40000 "$MO_BIN" load --db "$db" --quiet --jobs 1 "$t/term.csv" >"$t/t.out" 2>&1 &
pid=$!
wait_for "SELECT progress_rows > 36000 FROM meterops.load_file WHERE path = '$t/term.csv'" t
kill -TERM $pid
wait $pid; rc=$?
is "$rc" 2 "an interrupted load exits 2"
is "$(q "SELECT status || ' ' || (claimed_by IS NULL) || ' ' || (SELECT count(*) FROM meterops.reading_day WHERE day BETWEEN '2024-09-01' AND '2024-09-10') FROM meterops.load_file WHERE path = '$t/term.csv'")" \
   "queued true 0" "the file in progress (its COPY open) is rolled back and given back to the queue"
like "$(cat "$t/t.out")" "term.csv: released" "the summary says the file was released"
is "$(q "SELECT status FROM meterops.load_job WHERE args LIKE '%term.csv%'")" failed "the interrupted run's job is marked failed"
"$MO_BIN" load --db "$db" --quiet --queued >/dev/null 2>&1
is "$(q "SELECT status || ' ' || rows_loaded FROM meterops.load_file WHERE path = '$t/term.csv'")" "loaded 48000" "the next loader loads it"

# --- a server restart in the middle of a load --------------------------------------------------
gen "$t/restart.csv" 20
env $slow "$MO_BIN" load --db "$db" --quiet --jobs 1 --lease 60 "$t/restart.csv" >"$t/r.out" 2>"$t/r.err" &
pid=$!
wait_for "SELECT progress_rows > 0 FROM meterops.load_file WHERE path = '$t/restart.csv'" t
"$MO_SRCDIR/scripts/pg-sandbox" stop "$MO_SANDBOX"
sleep 1
"$MO_SRCDIR/scripts/pg-sandbox" start "$MO_SANDBOX" >/dev/null
wait $pid; rc=$?
is "$rc" 0 "the load survives a server restart and exits 0"
like "$(cat "$t/r.err")" "lost the database connection.*will retry the file" "the loader says it lost the connection"
like "$(cat "$t/r.err")" "connected to the database again" "and that it is back"
is "$(q "SELECT status || ' ' || attempts || ' ' || rows_loaded FROM meterops.load_file WHERE path = '$t/restart.csv'")" "loaded 2 1920" \
   "the file was retried from the start and loaded"
is "$(q "SELECT count(x) || ' ' || sum(x) FROM meterops.reading_day, unnest(wh) x WHERE day >= '2024-10-20'")" "1920 $(wh_of "$t/restart.csv")" \
   "every reading of it once"

# --- a server crash while the file's thread itself writes (the correction path) ---------------
# Every day of crash2.csv is stored already, so with tiny batches the file's thread, not only
# the COPY sender, sends statements; the second file thread, with nothing to load, looks for
# a file to claim every second. After an immediate shutdown, libpq reports a write into the
# dead socket as an error while PQstatus still says CONNECTION_OK: both threads must still
# see a lost connection (and retry), not a failed file or a loader that cannot run.
gen "$t/crash1.csv" 25
awk -F, 'NR == 1 { print; next } { split($3, p, "."); printf "%s,%s,1.%s\n", $1, $2, p[2] }' \
    "$t/crash1.csv" >"$t/crash2.csv"
"$MO_BIN" load --db "$db" --quiet "$t/crash1.csv" >/dev/null 2>&1
env $slow MO_LOAD_BATCH_BYTES=1500 "$MO_BIN" load --db "$db" --jobs 2 --lease 60 "$t/crash2.csv" \
    >"$t/c.out" 2>"$t/c.err" &
pid=$!
wait_for "SELECT progress_rows > 0 FROM meterops.load_file WHERE path = '$t/crash2.csv'" t
pm=$(head -1 "$MO_SANDBOX/data/postmaster.pid")
kill -QUIT "$pm" # immediate shutdown: the backends die without a word to their clients
i=0; while kill -0 "$pm" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
"$MO_SRCDIR/scripts/pg-sandbox" start "$MO_SANDBOX" >/dev/null
wait $pid; rc=$?
is "$rc" 0 "the correcting load survives a server crash and exits 0"
like "$(cat "$t/c.err")" "lost the database connection.*will retry the file" "the loader saw a lost connection"
is "$(grep -c ': failed (file' "$t/c.out") $(grep -c 'mark the file failed' "$t/c.err")" "0 0" \
   "the file is never reported (or marked) failed"
is "$(q "SELECT status || ' ' || rows_loaded FROM meterops.load_file WHERE path = '$t/crash2.csv'")" "loaded 1920" \
   "the file was retried and loaded"
is "$(q "SELECT count(x) || ' ' || sum(x) FROM meterops.reading_day r, unnest(wh) x WHERE day BETWEEN '2024-10-25' AND '2024-10-26'")" \
   "1920 $(($(wh_of "$t/crash1.csv") + 1920000))" "every day holds the correcting file's values"

rm -rf "$t"
done_testing
