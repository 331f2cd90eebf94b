#!/bin/sh
# citus_direct.sh - the loader straight to the Citus workers (doc/loader.md, "Straight to
# the workers"): the same generated readings on the suite's single server and on a
# cluster of two workers, a worker restarted in the middle of the cluster's load; then
# every meter-day is the same on both (nothing lost or doubled), no prepared transaction
# is left, and the worker got the loader's own COPY into a shard. A correction file falls
# back to the coordinator's merge. Prepared transactions a crashed loader left are settled
# by the next load: committed when recorded, rolled back when not. Skips when the Citus
# extension is not installed.
. "$MO_SRCDIR/tests/lib.sh"
sandbox="$MO_SRCDIR/scripts/pg-sandbox"
bindir=$(pg_config --bindir 2>/dev/null)
[ -x "$bindir/pg_ctl" ] || bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ ! -f "$(pg_config --pkglibdir 2>/dev/null || echo /usr/lib/postgresql/15/lib)/citus.so" ]; then
    echo "ok 1 # SKIP Citus is not installed (.ci/run installs it from ../shared/vendor/citus)"
    echo "1..1"; exit 0
fi
t=$(tmpdir)
port=6740
trap 'PGSANDBOX_PORT=$port "$sandbox" stop "$t/cluster" >/dev/null 2>&1; rm -rf "$t"' EXIT
PGSANDBOX_PORT=$port "$sandbox" start --workers 2 "$t/cluster" >/dev/null 2>&1 ||
    { echo "not ok 1 - pg-sandbox start --workers 2"; exit 1; }
one=$(fresh_db t_citus_direct)
two="host=$t/cluster port=$port dbname=meterops user=postgres"
w1="host=$t/cluster port=$((port + 1)) dbname=meterops user=postgres"
w2="host=$t/cluster port=$((port + 2)) dbname=meterops user=postgres"
q1() { sql "$1" -d "$one"; }
q2() { sql "$1" -d "$two"; }
as_server() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

"$MO_BIN" db migrate --db "$one" >/dev/null || { echo "not ok 1 - migrate (single server)"; exit 1; }
"$MO_BIN" db migrate --db "$two" >/dev/null 2>&1 || { echo "not ok 1 - migrate (cluster)"; exit 1; }
is "$(q2 "SELECT count(*) FROM meterops.reading_day_shards()")" 32 \
   "reading_day_shards(): 32 shards of reading_day, each on one worker"
is "$(q1 "SELECT count(*) FROM meterops.reading_day_shards()")" 0 \
   "reading_day_shards() on plain PostgreSQL: none (the loader writes as always)"

"$MO_BIN" gen --meters 300 --days 3 --start 2024-03-30 --seed 11 --quiet --out "$t/g" ||
    { echo "not ok - gen"; exit 1; }
r1=$(ls "$t"/g/readings*.csv | head -1)
for db in "$one" "$two"; do
    "$MO_BIN" load --db "$db" --quiet "$t/g/customers.csv" "$t/g/tariffs.csv" "$t/g/meters.csv" \
        "$t/g/bills.csv" >"$t/reg.out" 2>&1 || { cat "$t/reg.out"; echo "not ok - registry feeds ($db)"; }
done
"$MO_BIN" load --db "$one" --quiet "$r1" >/dev/null 2>&1
is $? 0 "single server: the readings load"

# The cluster's load, slowed down (small chunks and batches, a pause after each chunk), so
# that worker 1 can be restarted while the loader's COPY into one of its shards runs.
MO_LOAD_CHUNK_BYTES=32768 MO_LOAD_BATCH_BYTES=16384 MO_LOAD_THROTTLE_MS=150 \
    "$MO_BIN" load --db "$two" --quiet --jobs 1 "$r1" >"$t/load.out" 2>&1 & pid=$!
copying="SELECT count(*) > 0 FROM pg_stat_activity WHERE query LIKE '%COPY meterops.reading_day%'
         AND backend_type = 'client backend' AND application_name NOT LIKE 'citus%'"
wait_query "$w1" "$copying" t
is "$(sql "$copying" -d "$w1")" t \
   "the loader's own connection COPYs into a shard on worker 1"
as_server "$bindir/pg_ctl" -D "$t/cluster/worker1/data" -w -m fast restart >/dev/null 2>&1
ok $? "worker 1 restarted in the middle of the load"
wait_exit $pid 1200
is "$rc" 0 "the load ends well after the restart"
grep -q "lost the database connection" "$t/load.out"
ok $? "the loader says it lost a connection and loads the file again"
is "$(q2 "SELECT status || ' ' || (attempts > 1)::text FROM meterops.load_file WHERE path = '$r1'")" "loaded true" \
   "the file is loaded, at a later attempt"

per_day() {
    sql "SELECT m.mpxn || ' ' || r.day || ' ' || (SELECT coalesce(sum(v), 0) FROM unnest(r.wh) v)
                || ' ' || (SELECT count(v) FROM unnest(r.wh) v) || ' ' || coalesce(encode(r.flags, 'escape'), '-')
                || ' ' || r.file_id
         FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id) WHERE r.day NOT IN ('2024-04-15', '2024-04-16') ORDER BY 1" -d "$1"
}
per_day "$one" >"$t/one.days"
per_day "$two" >"$t/two.days"
is "$(wc -l <"$t/two.days" | tr -d ' ')" "$(wc -l <"$t/one.days" | tr -d ' ')" "the same number of meter-days on both"
ok "$(cmp -s "$t/one.days" "$t/two.days"; echo $?)" "Wh per meter and day identical on both: nothing lost or doubled"
prepared() { echo "$(q2 "SELECT count(*) FROM meterops.load_prepared") $(sql "SELECT count(*) FROM pg_prepared_xacts" -d "$w1") $(sql "SELECT count(*) FROM pg_prepared_xacts" -d "$w2")"; }
is "$(prepared)" "0 0 0" "no prepared transaction and no record left"

# A crashed loader's leftovers: two prepared transactions on worker 1 under a gid of the
# loaded file's attempt 1, one recorded on the coordinator (its file committed), one not.
fid=$(q2 "SELECT file_id FROM meterops.load_file WHERE path = '$r1'")
m1=$(q2 "SELECT meter_id FROM meterops.meter m WHERE EXISTS (SELECT 1 FROM meterops.reading_day_shards() s
         WHERE s.node_port = $((port + 1)) AND s.shardid = get_shard_id_for_distribution_column('meterops.reading_day', m.meter_id))
         ORDER BY meter_id LIMIT 1")
shard=$(q2 "SELECT shard_name('meterops.reading_day', get_shard_id_for_distribution_column('meterops.reading_day', $m1::bigint))")
for d in 15:8 16:9; do
    day=${d%:*}; k=${d#*:}
    psql -X -q -v ON_ERROR_STOP=1 -d "$w1" >/dev/null 2>&1 <<SQL
BEGIN;
INSERT INTO $shard (meter_id, day, wh, flags, file_id) VALUES ($m1, '2024-04-$day', array_fill(1, ARRAY[48]), NULL, $fid);
PREPARE TRANSACTION 'meterops_${fid}_1_$k';
SQL
done
q2 "INSERT INTO meterops.load_prepared (gid, file_id, attempt, node_host, node_port)
    VALUES ('meterops_${fid}_1_8', $fid, 1, '$t/cluster', $((port + 1)))"
is "$(sql "SELECT count(*) FROM pg_prepared_xacts" -d "$w1")" 2 "two prepared transactions left on worker 1"
is "$(q2 "SELECT meterops.load_prepared_decide('meterops_${fid}_1_8') || ' ' || meterops.load_prepared_decide('meterops_${fid}_1_9')
                 || ' ' || meterops.load_prepared_decide('citus_1_2_3_4')")" "commit rollback foreign" \
   "load_prepared_decide: recorded commits, unrecorded of an attempt over rolls back, others are not ours"

# The correction file: its direct attempt settles the leftovers first, then meets stored
# meter-days and loads again through the coordinator's merge.
awk -F, 'NR == 1 { print; next } NR <= 400 && $2 !~ /T23:30/ { printf "%s,%s,%.3f,%s\n", $1, $2, $3 + 0.5, $4 }' \
    "$r1" >"$t/correction.csv"
"$MO_BIN" load --db "$two" "$t/correction.csv" >"$t/c2.out" 2>&1
is $? 0 "cluster: the correction file loads"
grep -q "loading it again through the coordinator" "$t/c2.out"
ok $? "it met stored meter-days on the workers and went through the coordinator"
"$MO_BIN" load --db "$one" --quiet "$t/correction.csv" >/dev/null 2>&1
per_day "$one" >"$t/one.days"
per_day "$two" >"$t/two.days"
ok "$(cmp -s "$t/one.days" "$t/two.days"; echo $?)" "after the correction: Wh per meter and day identical on both"
is "$(q2 "SELECT string_agg(day::text || '=' || (SELECT sum(v) FROM unnest(wh) v), ' ' ORDER BY day)
          FROM meterops.reading_day WHERE meter_id = $m1 AND day >= '2024-04-10'")" "2024-04-15=48" \
   "the recorded leftover was committed, the unrecorded one rolled back"
is "$(prepared)" "0 0 0" "and nothing prepared or recorded is left"

# A shard moved (as a rebalance moves them) while a direct load writes into it: the move
# waits for the file's commit (the file holds the shards' metadata locks), or the file
# finds the new map; either way nothing is lost. The load is held at its commit record (a
# lock on load_prepared, taken by the test) so that it is certainly in the middle of the
# file when the move starts, however slow the machine; the hold ends after the check.
"$MO_BIN" gen --meters 300 --days 2 --start 2024-04-03 --seed 11 --quiet --out "$t/g3" >/dev/null 2>&1
r3=$(ls "$t"/g3/readings*.csv | head -1)
sid=$(q2 "SELECT shardid FROM meterops.reading_day_shards() WHERE node_port = $((port + 1)) ORDER BY shardid LIMIT 1")
PGAPPNAME=test_hold psql -X -q -d "$two" -c "BEGIN" \
    -c "LOCK TABLE meterops.load_prepared IN SHARE MODE" -c "SELECT pg_sleep(300)" >/dev/null 2>&1 & hold=$!
wait_query "$two" "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                   WHERE a.application_name = 'test_hold' AND l.mode = 'ShareLock' AND l.granted" 1
MO_LOAD_CHUNK_BYTES=32768 MO_LOAD_BATCH_BYTES=16384 \
    "$MO_BIN" load --db "$two" --quiet --jobs 1 "$r3" >"$t/move.out" 2>&1 & pid=$!
held="SELECT count(*) > 0 FROM pg_stat_activity WHERE query LIKE '%INSERT INTO meterops.load_prepared%'
      AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
wait_query "$two" "$held" t
q2 "SELECT citus_move_shard_placement($sid, '$t/cluster', $((port + 1)), '$t/cluster', $((port + 2)), 'block_writes')" \
    >"$t/mv.out" 2>&1 & mv=$!
moving="SELECT count(*) > 0 FROM pg_stat_activity WHERE query LIKE '%citus_move_shard_placement%'
        AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
wait_query "$two" "$moving" t
is "$(kill -0 $pid 2>/dev/null && q2 "$held") $(q2 "$moving")" "t t" \
   "the move waits for the loading file's shard locks"
q2 "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'test_hold'" >/dev/null
wait_exit $hold 100
wait_exit $pid 1200
is "$rc" 0 "a load during a shard move ends well"
wait_exit $mv 1200
is "$rc" 0 "the shard move ends"
[ "$rc" = 0 ] || sed 's/^/# /' "$t/mv.out"
is "$(q2 "SELECT node_port FROM meterops.reading_day_shards() WHERE shardid = $sid")" "$((port + 2))" \
   "the shard is on worker 2 now"
"$MO_BIN" load --db "$one" --quiet "$r3" >/dev/null 2>&1
per_day "$one" >"$t/one.days"
per_day "$two" >"$t/two.days"
ok "$(cmp -s "$t/one.days" "$t/two.days"; echo $?)" "after the move: Wh per meter and day identical on both"
"$MO_BIN" gen --meters 300 --days 1 --start 2024-04-06 --seed 11 --quiet --out "$t/g4" >/dev/null 2>&1
r4=$(ls "$t"/g4/readings*.csv | head -1)
"$MO_BIN" load --db "$two" "$r4" >"$t/after.out" 2>&1
is $? 0 "a load after the move goes to the shard's new worker"
grep -q "through the coordinator" "$t/after.out"
is $? 1 "straight to the workers, not through the coordinator"
"$MO_BIN" load --db "$one" --quiet "$r4" >/dev/null 2>&1
per_day "$one" >"$t/one.days"
per_day "$two" >"$t/two.days"
ok "$(cmp -s "$t/one.days" "$t/two.days"; echo $?)" "Wh per meter and day identical on both"

# A rebalance (meterops db rebalance) while a direct load runs: two more shards moved to
# worker 2 leave the workers unbalanced, the rebalancer's background tasks move shards
# back while the file loads; everything lands, and cluster_rebalance() (the Nodes view's
# progress) says it finished with every move done.
for s2 in $(q2 "SELECT shardid FROM meterops.reading_day_shards() WHERE node_port = $((port + 1)) ORDER BY shardid LIMIT 2"); do
    q2 "SELECT citus_move_shard_placement($s2, '$t/cluster', $((port + 1)), '$t/cluster', $((port + 2)), 'block_writes')" >/dev/null
done
is "$(q2 "SELECT string_agg(n::text, ' ' ORDER BY p) FROM (SELECT node_port p, count(*) n FROM meterops.reading_day_shards() GROUP BY 1) c")" \
   "13 19" "three shards moved: 13 on worker 1, 19 on worker 2"
"$MO_BIN" gen --meters 300 --days 2 --start 2024-04-10 --seed 11 --quiet --out "$t/g5" >/dev/null 2>&1
r5=$(ls "$t"/g5/readings*.csv | head -1)
MO_LOAD_CHUNK_BYTES=32768 MO_LOAD_BATCH_BYTES=16384 MO_LOAD_THROTTLE_MS=100 \
    "$MO_BIN" load --db "$two" --quiet --jobs 1 "$r5" >"$t/rebalance.out" 2>&1 & pid=$!
wait_query "$two" "SELECT count(*) > 0 FROM pg_stat_activity WHERE application_name LIKE 'meterops load%file%'" t
"$MO_BIN" db rebalance --db "$two" --reason "citus_direct test" --wait >"$t/rb.out" 2>&1 & rb=$!
wait_exit $pid 1200
is "$rc" 0 "the load during the rebalance ends well"
wait_exit $rb 1200
is "$rc" 0 "meterops db rebalance --wait ends well"
is "$(q2 "SELECT state || ' ' || (moves_done = moves_total AND moves_total > 0)::text FROM meterops.cluster_rebalance()")" \
   "finished true" "cluster_rebalance(): the rebalance finished, every move done"
is "$(q2 "SELECT string_agg(n::text, ' ' ORDER BY p) FROM (SELECT node_port p, count(*) n FROM meterops.reading_day_shards() GROUP BY 1) c")" \
   "15 17" "shards moved back to worker 1, to within the rebalancer's threshold (10 %)"
"$MO_BIN" load --db "$one" --quiet "$r5" >/dev/null 2>&1
per_day "$one" >"$t/one.days"
per_day "$two" >"$t/two.days"
ok "$(cmp -s "$t/one.days" "$t/two.days"; echo $?)" "after the rebalance: Wh per meter and day identical on both"
is "$(q2 "SELECT string_agg(role || ':' || reachable, ' ' ORDER BY port) FROM meterops.cluster_nodes()")" \
   "coordinator:true worker:true worker:true" "cluster_nodes(): the coordinator and both workers, reachable"

# --citus-direct off: through the coordinator, the same rows.
"$MO_BIN" gen --meters 300 --days 1 --start 2024-04-08 --seed 11 --quiet --out "$t/g2" >/dev/null 2>&1
r2=$(ls "$t"/g2/readings*.csv | head -1)
"$MO_BIN" load --db "$two" --quiet --citus-direct off "$r2" >/dev/null 2>&1
is $? 0 "--citus-direct off: the load goes through the coordinator"
"$MO_BIN" load --db "$one" --quiet "$r2" >/dev/null 2>&1
per_day "$one" >"$t/one.days"
per_day "$two" >"$t/two.days"
ok "$(cmp -s "$t/one.days" "$t/two.days"; echo $?)" "Wh per meter and day identical on both"
"$MO_BIN" load --db "$two" --citus-direct sideways "$r2" >/dev/null 2>&1
is $? 2 "--citus-direct takes auto or off only"
done_testing
