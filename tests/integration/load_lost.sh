#!/bin/sh
# A loader that lost its file tells what became of it and exits by it. Loader A is frozen
# (SIGSTOP) past its lease; loader B takes the file. Resumed (SIGCONT), A reads the file's
# fate back: finished by B with rejected rows (A says so, with B's counts, and exits 1 as B
# would), or still loading at B (A says so, waits for B's outcome and exits by it). Never
# "released" nor exit 0 for a file that came out short.
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_load_lost)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d t_load_lost; }
q "INSERT INTO meterops.meter (mpxn, fuel) SELECT '50000000' || lpad(i::text, 2, '0'), 'gas' FROM generate_series(0, 99) i"
t=$(tmpdir)
pids=""
trap 'for p in $pids; do kill -CONT $p 2>/dev/null; kill -KILL $p 2>/dev/null; done; rm -rf "$t"' EXIT
wait_for() { wait_query t_load_lost "$1" "$2"; }
# 20 meters x 2 days from day $2; every 200th row names a meter nobody registered: 9 of
# the 1,920 rows are rejected (under the default reject ratio of 1%)
gen() {
    awk -v day="$2" 'BEGIN { print "mpxn,timestamp,kwh"
        for (m = 0; m < 20; m++) for (d = 0; d < 2; d++) for (s = 0; s < 48; s++) { n++
            printf "%s,2024-10-%02dT%02d:%02d:00Z,0.%03d\n", (n % 200 == 0 ? "9999999999" : sprintf("50000000%02d", m)),
                   day + d, int(s / 2), (s % 2) * 30, (m * 7 + s * 3) % 1000 } }' >"$1"
}
slow="MO_LOAD_THROTTLE_MS=300 MO_LOAD_CHUNK_BYTES=4096"

# --- B finishes the file while A is frozen ----------------------------------------------------
# loader A starts on file $1 (lease 2 s) and is frozen once its lease has run out: $a
freeze_past_lease() {
    env $slow "$MO_BIN" load --db "$db" --quiet --jobs 1 --lease 2 "$1" >"$t/a.out" 2>"$t/a.err" &
    a=$!; pids="$pids $a"
    wait_for "SELECT progress_rows > 0 FROM meterops.load_file WHERE path = '$1'" t
    kill -STOP $a
    wait_for "SELECT lease_until < now() FROM meterops.load_file WHERE path = '$1'" t
}

gen "$t/done.csv" 1
freeze_past_lease "$t/done.csv"
"$MO_BIN" load --db "$db" --quiet --queued >"$t/b.out" 2>/dev/null; rc=$?
is "$rc" 1 "loader B takes the file after A's lease ran out and loads it with rejected rows (exit 1)"
is "$(q "SELECT status || ' ' || rows_loaded || ' ' || rows_rejected FROM meterops.load_file WHERE path = '$t/done.csv'")" \
   "loaded 1911 9" "... 1,911 rows loaded, 9 rejected"
kill -CONT $a
wait_exit $a 900
is "$rc" 1 "resumed, A exits 1: the file's real outcome (rows rejected), not 0"
like "$(cat "$t/a.out")" "done\.csv: loaded \(file [0-9]+\): 1911 rows loaded, 9 rejected, .*the lease ran out while this loader was stalled; another loader \([^)]+\) finished the file: 9 of 1920 rows rejected" \
   "A reports what became of the file: finished by another loader, with its counts"
is "$(grep -c 'released\|back in the queue' "$t/a.out")" 0 "A never says the file was released back in the queue"
is "$(q "SELECT count(x) FROM meterops.reading_day, unnest(wh) x WHERE day BETWEEN '2024-10-01' AND '2024-10-02'")" 1911 \
   "every reading stored once: B's 1,911"

# --- B is still loading when A resumes --------------------------------------------------------
gen "$t/busy.csv" 5
freeze_past_lease "$t/busy.csv"
env $slow "$MO_BIN" load --db "$db" --quiet --queued --lease 60 >"$t/b.out" 2>/dev/null &
b=$!; pids="$pids $b"
wait_for "SELECT attempts = 2 AND progress_rows > 0 FROM meterops.load_file WHERE path = '$t/busy.csv'" t
kill -CONT $a
wait_exit $a 900; arc=$rc
wait_exit $b 900
is "$rc" 1 "B loads the file (exit 1: rows rejected)"
is "$arc" 1 "A waits for B's outcome and exits by it (1)"
like "$(cat "$t/a.out")" "busy\.csv: lost \(file [0-9]+\): .*another loader \([^)]+\) is loading the file now" \
   "A says another loader is loading the file"
like "$(cat "$t/a.out")" "busy\.csv: loaded \(file [0-9]+\): 1911 rows loaded, 9 rejected" "... then reports that loader's outcome"
is "$(grep -c . "$t/a.out")" 2 "two lines: lost, then the outcome"
done_testing
