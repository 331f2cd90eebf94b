#!/bin/sh
# Operating a Citus cluster (issue 14): meterops.cluster_nodes() and `meterops status` show
# each node with its shards, their size and its connections; a worker that stops is
# critical (unreachable_nodes) and named, and status still answers; `meterops db
# rebalance` (operators only, audited) moves shards back onto a worker that holds none
# while a load runs, and the load's readings are exact afterwards. Skips without Citus.
. "$MO_SRCDIR/tests/lib.sh"
need_citus
t=$(tmpdir)
port=6730
citus_cluster "$t" $port
c="host=$t/cluster port=$port dbname=meterops user=postgres"
q() { sql "$1" -d "$c"; }
w2=$((port + 2))

"$MO_BIN" db migrate --db "$c" >/dev/null 2>&1 || { echo "not ok 1 - db migrate"; exit 1; }
"$MO_BIN" gen --meters 300 --days 6 --start 2024-03-28 --seed 11 --files 4 --quiet --out "$t/g" ||
    { echo "not ok 1 - gen"; exit 1; }
chmod -R a+rX "$t/g"
"$MO_BIN" load --db "$c" --quiet "$t/g/customers.csv" "$t/g/tariffs.csv" "$t/g/meters.csv" >/dev/null 2>&1
ok $? "the registry feeds load on the cluster"

# --- the nodes ------------------------------------------------------------------------------
is "$(q "SELECT string_agg(port || ':' || role || ':' || reachable, ' ' ORDER BY port) FROM meterops.cluster_nodes()")" \
   "$port:coordinator:true $((port + 1)):worker:true $w2:worker:true" \
   "cluster_nodes lists the coordinator and both workers, all reachable"
is "$(q "SELECT bool_and(shards > 0 AND shard_bytes >= 0 AND connections >= 1) FROM meterops.cluster_nodes() WHERE role = 'worker'")" \
   t "each worker holds shards, with their size and its connections"
"$MO_BIN" status --db "$c" >"$t/st" 2>&1
like "$(cat "$t/st")" "node +$t/cluster:$w2 worker, [0-9]+ shard" "status lists the nodes"
like "$(cat "$t/st")" "OK +unreachable_nodes +0 of 3 Citus node" "unreachable_nodes is OK"
"$MO_BIN" status --db "$c" --json >"$t/st.json" 2>&1
is "$(grep -c '"role": "worker"' "$t/st.json") $(grep -c '"role": "coordinator"' "$t/st.json")" "2 1" "--json lists the nodes"

# A worker stops: status says which, critical, and still answers.
pgbin=$(pg_config --bindir)
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sh -c "$*"; fi; }
as_pg "'$pgbin/pg_ctl' -D '$t/cluster/worker2/data' -m fast -w stop" >/dev/null 2>&1
"$MO_BIN" status --db "$c" >"$t/st" 2>&1
is $? 2 "a stopped worker: status exits 2 (critical)"
like "$(cat "$t/st")" "CRITICAL +unreachable_nodes +1 of 3 Citus node\(s\) unreachable: $t/cluster:$w2" \
   "unreachable_nodes names the stopped worker"
like "$(cat "$t/st")" "node +$t/cluster:$w2 worker, UNREACHABLE" "its node line says UNREACHABLE"
as_pg "'$pgbin/pg_ctl' -D '$t/cluster/worker2/data' -l '$t/cluster/worker2/server.log' -w start" >/dev/null 2>&1
"$MO_BIN" status --db "$c" >/dev/null 2>&1
is $? 0 "the worker back: status exits 0"

# --- rebalance while loading ------------------------------------------------------------------
q "SELECT citus_drain_node('$t/cluster', $w2, shard_transfer_mode => 'block_writes')" >/dev/null 2>&1
dshards() { q "SELECT count(*) FROM citus_shards WHERE nodeport = $1 AND citus_table_type = 'distributed'"; }
is "$(dshards $w2)" 0 "worker 2 drained: it holds no reading_day shard"
q "SELECT citus_set_node_property('$t/cluster', $w2, 'shouldhaveshards', true)" >/dev/null
psql -X -q -d "$c" -c "DROP ROLE IF EXISTS t_rb_support; CREATE ROLE t_rb_support LOGIN IN ROLE meterops_support" \
    >/dev/null 2>&1
"$MO_BIN" db rebalance --db "$c user=t_rb_support" --reason "try" >"$t/rb.out" 2>&1
is $? 2 "the support role may not start a rebalance"
"$MO_BIN" db rebalance --db "$c" >/dev/null 2>&1
is $? 2 "a rebalance without --reason is refused"

# The first readings file before: the months' partitions exist. During the rebalance the
# other files load into shards that move, and a file of a new month (May: the first
# file's meter-days moved two months on) waits for the rebalance to let its partition be
# made, then loads.
"$MO_BIN" load --db "$c" --quiet "$t/g/readings-001.csv" >/dev/null 2>&1
ok $? "the first readings file loads before the rebalance"
awk -F, 'NR == 1 { print; next } { sub(/^2024-03-/, "2024-05-", $2); sub(/^2024-04-/, "2024-06-", $2); print }' OFS=, \
    "$t/g/readings-001.csv" >"$t/g/readings-may.csv"
"$MO_BIN" db rebalance --db "$c" --reason "worker 2 is back" >"$t/rb.out" 2>&1
ok $? "db rebalance starts"
like "$(cat "$t/rb.out")" "^rebalance job [0-9]+ started" "it says which job"
rstate() { q "SELECT state || ' ' || moves_done || '/' || moves_total FROM meterops.cluster_rebalance()"; }
# Citus's background task queue starts the moves within a few seconds.
i=0
while [ "$(q "SELECT state FROM meterops.cluster_rebalance()")" = scheduled ] && [ $i -lt 300 ]; do
    sleep 0.1; i=$((i + 1))
done
is "$(q "SELECT state FROM meterops.cluster_rebalance()")" running "the rebalance is running"
echo "# the May file starts while the rebalance is $(rstate)"
"$MO_BIN" load --db "$c" --jobs 1 "$t/g/readings-may.csv" >"$t/may.out" 2>&1 & may=$!
lrc=0
for f in "$t"/g/readings-00[234].csv; do
    echo "# loading $(basename "$f") while the rebalance is $(rstate)"
    "$MO_BIN" load --db "$c" --quiet --jobs 2 "$f" >"$t/load.out" 2>&1 || { lrc=$?; cat "$t/load.out"; }
done
is $lrc 0 "the files loaded while shards move end well"
wait_exit $may 1800
is $rc 0 "the file of a new month ends well too"
grep 'shard rebalance' "$t/may.out" | sed 's/^/# /' | head -2
echo "# after the loads the rebalance is $(rstate)"
i=0
while [ "$(q "SELECT state FROM meterops.cluster_rebalance()")" != finished ] && [ $i -lt 1200 ]; do
    sleep 0.1; i=$((i + 1))
done
is "$(q "SELECT state FROM meterops.cluster_rebalance()")" finished "the rebalance finished"
ok $([ "$(dshards $w2)" -gt 0 ] && [ "$(dshards $((port + 1)))" -gt 0 ] && echo 0 || echo 1) \
   "both workers hold reading_day shards again ($(dshards $((port + 1))) and $(dshards $w2))"
"$MO_BIN" status --db "$c" >"$t/st" 2>&1
like "$(cat "$t/st")" "rebalance +finished, ([0-9]+) of \1 move" "status shows the rebalance finished"
is "$(q "SELECT db_user || ' ' || reason FROM meterops.audit_log WHERE action = 'rebalance'")" \
   "postgres worker 2 is back" "the rebalance is in the audit log with its reason"

# The readings are exact: the file's kWh per meter and day (UTC) against the database's Wh.
awk -F, 'FNR > 1 && $3 != "" { split($2, d, "T"); wh[$1 "," d[1]] += $3 * 1000 }
         END { for (k in wh) printf "%s,%d\n", k, wh[k] + 0.5 }' "$t"/g/readings-*.csv | sort >"$t/file.sums"
q "SELECT m.mpxn || ',' || r.day || ',' || (SELECT sum(v) FROM unnest(r.wh) v)
   FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id)" | sort >"$t/db.sums"
is "$(wc -l <"$t/db.sums")" "$(wc -l <"$t/file.sums")" "as many meter-days stored as the file has"
is "$(diff "$t/file.sums" "$t/db.sums" | head -3)" "" "every meter-day's Wh equals the file's"
done_testing
