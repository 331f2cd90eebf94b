#!/bin/sh
# Fault: the server's disk fills up during a load. The data directory lives on a small
# tmpfs (mounted here; root only, else a TAP skip) with a ballast file leaving about a
# megabyte free; pg_wal is moved to the ordinary disk, as on a server with its own WAL
# volume (a full WAL volume makes PostgreSQL PANIC: that is the postmaster_kill case).
# Loading a file needing several megabytes fails: the file is reported failed, nothing of
# it is stored; the failure cannot be recorded either, so the loader exits 2 and the file
# returns to the queue with its lease. Once the ballast is gone, a later run loads it.
. "$MO_SRCDIR/tests/fault/common.sh"
t=$(tmpdir)
trap fault_cleanup EXIT
if [ "$(id -u)" != 0 ]; then
    echo "1..0 # SKIP mounting a small file system for the data directory needs root"; exit 0
fi
mkdir -p "$t/pg" "$t/wal"
mount -t tmpfs -o size=160m,mode=755 tmpfs "$t/pg" 2>"$t/mount.err" ||
    { echo "1..0 # SKIP cannot mount a tmpfs: $(head -1 "$t/mount.err")"; exit 0; }
fault_mount=$t/pg
fault_server || { echo "not ok 1 - a private server"; exit 1; }
# pg_wal to the ordinary disk
"$MO_SRCDIR/scripts/pg-sandbox" stop "$srv" >/dev/null
mv "$srv/data/pg_wal" "$t/wal/pg_wal" && ln -s "$t/wal/pg_wal" "$srv/data/pg_wal"
chown -R postgres: "$t/wal"
server_start || { echo "not ok 1 - the server with pg_wal moved"; exit 1; }
db=$(fresh_db t_fault_full)
q() { sql "$1" -d t_fault_full; }
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q "INSERT INTO meterops.meter (mpxn, fuel) SELECT '5000' || lpad(i::text, 6, '0'), 'gas' FROM generate_series(0, 1999) i"
# 2000 gas meters x 3 days: 6000 meter-days, 288,000 readings, several MB of table
awk 'BEGIN { print "mpxn,timestamp,kwh"
    for (m = 0; m < 2000; m++) for (d = 0; d < 3; d++) for (s = 0; s < 48; s++)
        printf "5000%06d,2024-10-%02dT%02d:%02d:00Z,%d.%03d\n", m, 1 + d, int(s / 2), (s % 2) * 30, m % 3, (m * 7 + s * 3 + d) % 1000 }' >"$t/full.csv"
q "CHECKPOINT" >/dev/null
free=$(df --output=avail -B1 "$t/pg" | tail -1)
fallocate -l $((free - 1024 * 1024)) "$t/pg/ballast" 2>/dev/null ||
    head -c $((free - 1024 * 1024)) /dev/zero >"$t/pg/ballast"
echo "# free on the data directory's file system: $(df --output=avail -B1 "$t/pg" | tail -1) bytes"

"$MO_BIN" load --db "$db" --jobs 1 --lease 3 "$t/full.csv" >"$t/out" 2>"$t/err"; rc=$?
echo "# the loader said: $(cat "$t/out" "$t/err" | tr '\n' '|' | cut -c1-500)"
# The COPY fails on the full disk; so does marking the file failed (the bookkeeping has
# no room either): the loader gives up as on a lost database, the file's claim runs out.
is "$rc" 2 "a load that fills the server's disk exits 2"
like "$(cat "$t/out")" "full.csv: failed .*No space left on device" "the file is reported failed, naming the full disk"
like "$(cat "$t/out")" "returns to the queue when its lease runs out" "and it says the file goes back to the queue"
is "$(q "SELECT count(*) FROM meterops.reading_day")" 0 "nothing of the file is stored"
is "$(q "SELECT coalesce(sum(rows_loaded), 0) FROM meterops.load_file")" 0 "no row counted loaded"

rm -f "$t/pg/ballast"
wait_for "SELECT bool_and(status IN ('queued', 'failed') OR lease_until < now()) FROM meterops.load_file" t
"$MO_BIN" load --db "$db" --quiet --jobs 1 --queued >"$t/out2" 2>&1; rc=$?
echo "# the second run said: $(tr '\n' '|' <"$t/out2" | cut -c1-300)"
is "$rc" 0 "once space is freed, a later run loads the file"
is "$(q "SELECT status || ' ' || rows_loaded FROM meterops.load_file")" "loaded 288000" \
   "the file is loaded with all its rows"
is "$(q "SELECT count(x) || ' ' || sum(x) FROM meterops.reading_day, unnest(wh) x")" "288000 $(wh_total "$t/full.csv")" \
   "every reading once, totals as in the file"
done_testing
