#!/bin/sh
# Files that are not what they seem, and a loader that is told to stop.
# - A file that grows while it loads is never read past the size it was queued with and is
#   file_changed; one edited in place to the same size is file_changed too: nothing of
#   either is committed (exit 1: a file failed), and the fixed file loads once requeued.
# - SIGTERM ends a loader whose read of the file does not return (MO_LOAD_READ_DELAY_MS)
#   and one whose COPY waits on a lock: the file is back in the queue, nothing of it
#   stored. How long each took is printed as a comment, never asserted; every wait is
#   bounded.
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_load_changed)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d t_load_changed; }
q "INSERT INTO meterops.meter (mpxn, fuel) SELECT '50000000' || lpad(i::text, 2, '0'), 'gas' FROM generate_series(0, 99) i"
t=$(tmpdir)
pids=""
trap 'for p in $pids; do kill -KILL $p 2>/dev/null; done; rm -rf "$t"' EXIT
wait_for() { wait_query t_load_changed "$1" "$2"; }
# wait_exit for process $1, and the time it took since $2 in $took
wait_end() {
    wait_exit "$1"
    took=$(awk -v a="$2" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
}
file_of() { q "SELECT $1 FROM meterops.load_file WHERE path = '$2'"; }
# 20 gas meters x 2 days x 48 half hours from day $2 of October
gen() {
    awk -v day="$2" 'BEGIN { print "mpxn,timestamp,kwh"
        for (m = 0; m < 20; m++) for (d = 0; d < 2; d++) for (s = 0; s < 48; s++)
            printf "50000000%02d,2024-10-%02dT%02d:%02d:00Z,0.%03d\n", m, day + d, int(s / 2), (s % 2) * 30, (m * 7 + s * 3) % 1000 }' >"$1"
}
days() { q "SELECT count(*) FROM meterops.reading_day WHERE day BETWEEN '2024-10-$1' AND '2024-10-$2'"; }
slow="MO_LOAD_THROTTLE_MS=200 MO_LOAD_CHUNK_BYTES=4096"

# --- growth ---------------------------------------------------------------------------------
gen "$t/grow.csv" 1
bytes=$(wc -c <"$t/grow.csv" | tr -d ' ')
env $slow "$MO_BIN" load --db "$db" --quiet --jobs 1 "$t/grow.csv" >"$t/out" 2>&1 &
pid=$!; pids="$pids $pid"
wait_for "SELECT progress_rows > 0 FROM meterops.load_file WHERE path = '$t/grow.csv'" t
# a writer that keeps appending (bounded) while the file loads
( n=0; while [ $n -lt 300 ]; do echo "5000000001,2024-10-09T00:00:00Z,0.100" >>"$t/grow.csv"; sleep 0.05; n=$((n + 1)); done ) &
app=$!; pids="$pids $app"
wait_end $pid "$(date +%s.%N)"
kill $app 2>/dev/null
is "$rc" 1 "a file that grows while it loads: exit 1 (the file failed)"
like "$(file_of "status || ': ' || message" "$t/grow.csv")" "^failed: .*the file grew while it was being read \([0-9]+ bytes now, $bytes when it was queued\).*\[file_changed\]" \
   "... failed as file_changed, saying it grew"
like "$(cat "$t/out")" "grow.csv: failed .*\[file_changed\]" "... and the summary says so"
is "$(days 01 02)" 0 "nothing of it is stored"

# --- edited in place, same size -------------------------------------------------------------
gen "$t/edit.csv" 5
before=$(wc -c <"$t/edit.csv" | tr -d ' ')
env $slow "$MO_BIN" load --db "$db" --quiet --jobs 1 "$t/edit.csv" >"$t/out" 2>&1 &
pid=$!; pids="$pids $pid"
wait_for "SELECT progress_rows > 0 FROM meterops.load_file WHERE path = '$t/edit.csv'" t
# the first reading's kwh 0.000 becomes 0.900, in place (line 2 is read already)
printf '9' | dd of="$t/edit.csv" bs=1 seek=$((19 + 32 + 2)) conv=notrunc 2>/dev/null
is "$(wc -c <"$t/edit.csv" | tr -d ' ')" "$before" "the edit keeps the file's size"
wait_end $pid "$(date +%s.%N)"
is "$rc" 1 "a file edited in place while it loads: exit 1"
like "$(file_of "status || ': ' || message" "$t/edit.csv")" "^failed: .*modified while it was being read.*\[file_changed\]" \
   "... failed as file_changed: never a mixture of two versions"
is "$(days 05 06)" 0 "nothing of it is stored"
id=$(file_of file_id "$t/edit.csv")
"$MO_BIN" requeue "$id" --reason "edited file complete" --db "$db" >/dev/null 2>&1
"$MO_BIN" load --db "$db" --quiet --queued >/dev/null 2>&1
is "$(file_of "status || ' ' || rows_loaded" "$t/edit.csv")" "loaded 1920" "requeued, the edited file loads"
is "$(q "SELECT sum(x) FROM meterops.reading_day, unnest(wh) x WHERE day BETWEEN '2024-10-05' AND '2024-10-06'")" \
   "$(awk -F, 'NR > 1 { split($3, p, "."); s += p[1] * 1000 + p[2] } END { print s }' "$t/edit.csv")" \
   "... with the edited version's total"

# --- SIGTERM while a read of the file does not return ----------------------------------------
gen "$t/stuck.csv" 10
MO_LOAD_READ_DELAY_MS=600000 "$MO_BIN" load --db "$db" --quiet --jobs 2 "$t/stuck.csv" >"$t/out" 2>&1 &
pid=$!; pids="$pids $pid"
wait_for "SELECT status FROM meterops.load_file WHERE path = '$t/stuck.csv'" loading
sleep 0.3
t0=$(date +%s.%N); kill -TERM $pid
wait_end $pid "$t0"
echo "# SIGTERM with a read that does not return: the loader ended in $took s"
is "$rc" 2 "SIGTERM ends a loader stuck in a read of its file (exit 2: interrupted)"
is "$(file_of "status || ' ' || (claimed_by IS NULL)" "$t/stuck.csv")" "queued true" "... the file is back in the queue"
like "$(cat "$t/out")" "stuck.csv: released .*a read of the file had not returned: the file is back in the queue" \
   "... and the loader says so"
is "$(days 10 11)" 0 "nothing of it is stored"

# --- SIGTERM while the COPY waits on a lock --------------------------------------------------
gen "$t/locked.csv" 20
PGAPPNAME=lock_holder psql -X -q -d t_load_changed -c "BEGIN; LOCK TABLE meterops.reading_day IN ACCESS EXCLUSIVE MODE;
    SELECT pg_sleep(120); COMMIT" >/dev/null 2>&1 &
holder=$!; pids="$pids $holder"
wait_for "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'lock_holder' AND state = 'active'" 1
"$MO_BIN" load --db "$db" --quiet --jobs 1 "$t/locked.csv" >"$t/out" 2>&1 &
pid=$!; pids="$pids $pid"
wait_for "SELECT count(*) > 0 FROM pg_stat_activity WHERE datname = 't_load_changed' AND application_name LIKE 'meterops load%' AND wait_event_type = 'Lock'" t
t0=$(date +%s.%N); kill -TERM $pid
wait_end $pid "$t0"
echo "# SIGTERM with the COPY waiting on a lock: the loader ended in $took s"
is "$rc" 2 "SIGTERM ends a loader whose COPY waits on a lock (its statement is cancelled)"
is "$(file_of "status || ' ' || (claimed_by IS NULL)" "$t/locked.csv")" "queued true" "... the file is back in the queue"
q "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'lock_holder'" >/dev/null
wait $holder 2>/dev/null
is "$(days 20 21)" 0 "nothing of it is stored"
"$MO_BIN" load --db "$db" --quiet --queued >/dev/null 2>&1
is "$(file_of "status || ' ' || rows_loaded" "$t/locked.csv")" "loaded 1920" "the next loader loads it"
done_testing
