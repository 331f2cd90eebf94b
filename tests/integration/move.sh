#!/bin/sh
# move.sh - `meterops migrate` between two private servers (scripts/pg-sandbox, the source
# with --logical): plan; start then abort leaves both servers as they were; start while
# `meterops load` runs on the source, with new monthly partitions made during the move;
# the target ends with exactly the source's readings (Wh per partition), load_file and
# load_error rows and verify exits 0; a row changed on the target only makes verify exit 1
# naming that partition alone; cutover pauses a running loader (it says so) and a loader on
# the target loads what was left queued, and new files after it.
. "$MO_SRCDIR/tests/lib.sh"
move_servers 6750 6751
mig() { "$MO_BIN" migrate "$@" --db "$S"; }

"$MO_BIN" db migrate --db "$S" >/dev/null || { echo "not ok 1 - db migrate"; echo "1..1"; exit 1; }
# 60 meters; a month of readings per file, January to August, one file with bad rows
"$MO_BIN" gen --meters 60 --days 20 --start 2024-01-05 --seed 3 --quiet --out "$t/g" >/dev/null &&
for m in 02 03 04 05 06 07 08; do
    "$MO_BIN" gen --meters 60 --days 28 --start 2024-$m-01 --seed 3 --quiet --out "$t/m$m" \
        $([ $m = 03 ] && echo --error-rate 0.002) >/dev/null || exit 1
done || { echo "not ok 1 - gen"; echo "1..1"; exit 1; }
"$MO_BIN" load --db "$S" "$t/g/customers.csv" "$t/g/tariffs.csv" "$t/g/meters.csv" "$t/g/bills.csv" \
    "$t/g/readings.csv" >/dev/null 2>&1
ok $? "the registry and January loaded on the source"

mig plan --to "$T" >"$t/plan" 2>&1
ok $? "plan: every check passes"
like "$(cat "$t/plan")" "wal_level = logical.*" "plan checks wal_level"
like "$(cat "$t/plan")" "meterops.reading_day_2024_01 " "plan lists the partitions and their sizes"

# --- start, then abort: both servers as they were -------------------------------------
src_state() {
    qs "SELECT (SELECT count(*) FROM pg_publication) || ' ' || (SELECT count(*) FROM pg_replication_slots)
           || ' ' || (SELECT count(*) FROM pg_event_trigger) || ' '
           || (SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension) || ' '
           || (SELECT count(*) FROM meterops.reading_day) || ' ' || (SELECT count(*) FROM meterops.load_file)"
}
dst_state() {
    qt "SELECT (SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace WHERE nspname NOT LIKE 'pg\_%') || ' '
           || (SELECT count(*) FROM pg_roles WHERE rolname LIKE 'meterops\_%') || ' '
           || (SELECT count(*) FROM pg_subscription)"
}
before_src=$(src_state)
before_dst=$(dst_state)
mig start --to "$T" >"$t/start0" 2>&1
ok $? "start"
is "$(qt "SELECT count(*) FROM pg_subscription WHERE subname = 'meterops_move'")" 1 "the target subscribes"
mig abort >"$t/abort" 2>&1
ok $? "abort"
is "$(src_state)" "$before_src" "after abort the source has its publications, slots, event triggers, extensions, rows"
is "$(dst_state)" "$before_dst" "after abort the target has no schema meterops, no roles of ours, no subscription"
is "$(qs "SELECT state FROM meterops.migration")" "aborted" "the move is recorded as aborted"
is "$(qs "SELECT count(*) FROM pg_stat_replication")" 0 "no WAL sender left"

# --- start while a loader runs on the source -------------------------------------------
# The loader is held inside its first file (March): a session of ours holds a SHARE lock on
# March's partition, so the loader's COPY waits with the file in hand and the other files
# (April to June, their partitions not made yet) wait queued. start runs meanwhile; then
# the lock goes and the loader loads the four files into the moving database.
qs "SELECT meterops.ensure_reading_partitions('2024-03-01', '2024-03-31')" >/dev/null
mkfifo "$t/lockq"
psql -X -q -d "$S" <"$t/lockq" >/dev/null 2>&1 &
locker=$!
exec 7>"$t/lockq"
echo "BEGIN; LOCK TABLE meterops.reading_day_2024_03 IN SHARE MODE; SELECT 1;" >&7
wait_query "$S" "SELECT count(*) FROM pg_locks WHERE relation = 'meterops.reading_day_2024_03'::regclass AND mode = 'ShareLock' AND granted" 1
"$MO_BIN" load --db "$S" --jobs 1 "$t/m03/readings.csv" "$t/m04/readings.csv" "$t/m05/readings.csv" \
    "$t/m06/readings.csv" >"$t/load1" 2>&1 &
loader=$!
wait_query "$S" "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE NOT l.granted AND l.relation = 'meterops.reading_day_2024_03'::regclass" 1
mig start --to "$T" >"$t/start" 2>&1
ok $? "start while the loader holds a file"
is "$(qs "SELECT string_agg(status, ' ' ORDER BY file_id) FROM meterops.load_file WHERE path ~ '/m0[3-6]/'")" \
   "loading queued queued queued" "the loader is in its first file, three more queued"
echo "COMMIT;" >&7
exec 7>&-
wait $locker
wait_exit $loader
is "$rc" 1 "the loader ends (the file with bad rows exits 1)"
# the initial copy done, every table ready
wait_query "$T" "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'" 0
mig status >"$t/status" 2>&1
ok $? "status"
like "$(cat "$t/status")" "meterops.reading_day_2024_06 +ready" "status shows a partition made during the move, copied"
nrel=$(qs "SELECT count(*) FROM (SELECT t FROM meterops.migration_tables() t WHERE t <> 'meterops.reading_day'::regclass
            UNION ALL SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'meterops.reading_day'::regclass) x")
is "$(mig status --json | grep -c '"relation"')" "$nrel" "status --json lists every table and partition"
mig verify >"$t/verify" 2>&1
is "$?" 0 "verify exits 0: $(tail -1 "$t/verify")"

per_part="SELECT tableoid::regclass::text || ' ' || count(*) || ' ' || sum((SELECT sum(v) FROM unnest(wh) v))
           FROM meterops.reading_day GROUP BY tableoid ORDER BY 1"
files="SELECT file_id || ' ' || status || ' ' || rows_loaded || ' ' || rows_rejected || ' ' || sha256
         FROM meterops.load_file ORDER BY file_id"
errors="SELECT md5(string_agg(file_id || ':' || line_no || ':' || code || ':' || coalesce(raw, ''), ',' ORDER BY file_id, line_no, code))
          || ' ' || count(*) FROM meterops.load_error"
is "$(qt "$per_part")" "$(qs "$per_part")" "the target holds the source's readings: rows and Wh per partition"
is "$(qt "$files")" "$(qs "$files")" "the same load_file rows"
is "$(qt "$errors")" "$(qs "$errors")" "the same load_error rows"
ok "$([ "$(qs "SELECT count(*) FROM meterops.load_error")" -gt 0 ]; echo $?)" "load_error rows are there to compare"
is "$(qt "SELECT count(*) FROM pg_class WHERE relname ~ '^reading_day_2024_0[13-6]$'")" 5 \
   "the partitions made during the move exist on the target"

# --- a row changed on the target only ---------------------------------------------------
key=$(qs "SELECT meter_id || ' ' || day FROM meterops.reading_day WHERE day = '2024-04-10' AND wh[2] IS NOT NULL ORDER BY meter_id LIMIT 1")
mid=${key% *}; day=${key#* }
qt "UPDATE meterops.reading_day SET wh[2] = wh[2] + 1 WHERE meter_id = $mid AND day = '$day'" >/dev/null
mig verify >"$t/verify1" 2>&1
is "$?" 1 "verify exits 1 after a row changed on the target only"
is "$(grep DIFFERS "$t/verify1" | awk '{ print $1 }')" "meterops.reading_day_2024_04" "verify names that partition, and only it"
# the source writes the row again; replication puts it back
qs "UPDATE meterops.reading_day SET wh = wh WHERE meter_id = $mid AND day = '$day'" >/dev/null
mig verify >/dev/null 2>&1
is "$?" 0 "verify exits 0 once the source's row is replicated again"

# --- cutover while a loader runs ----------------------------------------------------------
# The loader held in July's file again; cutover pauses the queue and waits for that file,
# which then commits; the loader takes no new file (August stays queued) and says so.
qs "SELECT meterops.ensure_reading_partitions('2024-07-01', '2024-07-31')" >/dev/null
mkfifo "$t/lockq2"
psql -X -q -d "$S" <"$t/lockq2" >/dev/null 2>&1 &
locker=$!
exec 7>"$t/lockq2"
echo "BEGIN; LOCK TABLE meterops.reading_day_2024_07 IN SHARE MODE; SELECT 1;" >&7
wait_query "$S" "SELECT count(*) FROM pg_locks WHERE relation = 'meterops.reading_day_2024_07'::regclass AND mode = 'ShareLock' AND granted" 1
"$MO_BIN" load --db "$S" --jobs 1 "$t/m07/readings.csv" "$t/m08/readings.csv" >"$t/load2" 2>&1 &
loader=$!
wait_query "$S" "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'meterops.reading_day_2024_07'::regclass" 1
mig cutover >"$t/cutover" 2>&1 &
cutover=$!
wait_query "$S" "SELECT state FROM meterops.migration ORDER BY migration_id DESC LIMIT 1" cutover
echo "COMMIT;" >&7
exec 7>&-
wait $locker
wait_exit $cutover 1200
is "$rc" 0 "cutover"
like "$(cat "$t/cutover")" "waiting for 1 file\(s\) in hand" "cutover waits for the file in hand"
like "$(cat "$t/cutover")" "write pause: [0-9.]+ s" "cutover measures the write pause"
like "$(cat "$t/cutover")" "verified before the pause, loads running: every table and partition" \
     "cutover verifies everything before the pause"
like "$(grep '^verified inside the pause' "$t/cutover")" "meterops\.reading_day_2024_07" \
     "inside the pause it verifies July's partition, whose file committed after the verify before it"
like "$(grep '^verified inside the pause' "$t/cutover")" "meterops\.load_file[,}]" \
     "and load_file, changed by that file too"
ok "$(grep '^verified inside the pause' "$t/cutover" | grep -Eq 'reading_day_2024_0[1-6]'; [ $? = 1 ]; echo $?)" \
   "and not the partitions no commit changed since"
like "$(cat "$t/cutover")" "use from now on: host=$t/dst port=$tport" "cutover prints the connection to use"
wait_exit $loader
like "$(cat "$t/load2")" "the queue is (paused|closed)" "the source's loader says the queue is paused"
is "$(qs "SELECT string_agg(status, ' ' ORDER BY file_id) FROM meterops.load_file WHERE path ~ '/m0[78]/'")" \
   "loaded queued" "it finished the file in hand (July) and took no new one (August)"
is "$(qs "SELECT count(*) FROM meterops.load_file WHERE status = 'loading'")" 0 "no file left half-loaded on the source"
is "$(qt "SELECT count(*) FROM pg_subscription")" 0 "the subscription is gone"
is "$(qs "SELECT count(*) FROM pg_replication_slots")" 0 "its slot on the source too, and the delta slot"
"$MO_BIN" load --db "$S" "$t/m08/readings.csv" >"$t/load_late" 2>&1
is "$?" 2 "the source takes no new load"
like "$(cat "$t/load_late")" "moved to another server" "and says why"
"$MO_BIN" load --queued --db "$T" >"$t/load3" 2>&1
ok $? "a loader on the target loads what was queued"
is "$(qt "SELECT count(*) FROM meterops.load_file WHERE status IN ('queued', 'loading')")" 0 "nothing left queued"
is "$(qt "SELECT count(*) FROM meterops.load_file WHERE path ~ '/m0[78]/' AND status = 'loaded'")" 2 \
   "August and July are loaded, on the target"
is "$(qt "SELECT count(*) > 0 FROM meterops.reading_day WHERE day >= '2024-08-01'")" t "August's readings on the target"
"$MO_BIN" gen --meters 60 --days 5 --start 2024-09-01 --seed 3 --quiet --out "$t/m09" >/dev/null
"$MO_BIN" load --db "$T" "$t/m09/readings.csv" >/dev/null 2>&1
ok $? "a new file loads on the target (sequences carried over)"
is "$(qt "SELECT (SELECT max(file_id) FROM meterops.load_file) > $(qs "SELECT max(file_id) FROM meterops.load_file")")" t \
   "its file id follows the source's"
is "$(qs "SELECT state || ' ' || (pause_ms IS NOT NULL) FROM meterops.migration ORDER BY migration_id DESC LIMIT 1")" "done true" \
   "the move is recorded as done, with its pause"
"$MO_BIN" migrate plan --db "$T" --to "$S" >"$t/plan2" 2>&1
is "$?" 1 "plan exits 1 when a check fails (back from the new server: no wal_level logical there)"
like "$(cat "$t/plan2")" "FAIL\] source wal_level = logical \(it is replica\)" "and names the check"
"$MO_BIN" migrate verify --db "$T" >"$t/verify_none" 2>&1
is "$?" 2 "verify exits 2 where no move is recorded"
done_testing
