#!/bin/sh
# scripts/pg-sandbox start --workers 2: a Citus coordinator and two workers on Unix sockets,
# registered with each other; a distributed table's rows reach shards on both workers; stop
# leaves no process behind. Skips when the Citus extension is not installed.
. "$MO_SRCDIR/tests/lib.sh"
sandbox="$MO_SRCDIR/scripts/pg-sandbox"
need_citus
dir=$(tmpdir)
port=6540
trap 'PGSANDBOX_PORT=$port "$sandbox" stop "$dir" >/dev/null 2>&1; rm -rf "$dir"' EXIT
c() { sql "$1" -h "$dir" -p "$port" -U postgres -d meterops; }

PGSANDBOX_PORT=$port "$sandbox" start --workers 2 "$dir" >"$dir/out" 2>&1
ok $? "a coordinator and two workers started"
is "$(cat "$dir/out")" "host=$dir port=$port dbname=meterops user=postgres" "start prints the coordinator's conninfo"
is "$(c "SELECT string_agg(node_port::text, ' ' ORDER BY node_port) FROM citus_get_active_worker_nodes()")" \
   "$((port + 1)) $((port + 2))" "both workers are active members"
is "$(c "SELECT nodeport FROM pg_dist_node WHERE groupid = 0")" "$port" "the coordinator is registered as such"

c "CREATE TABLE t (meter_id bigint, wh bigint); SELECT create_distributed_table('t', 'meter_id')" >/dev/null
seq 1 1000 | awk '{ print $1 "," $1 * 10 }' |
    psql -X -q -h "$dir" -p "$port" -U postgres -d meterops -c "\\copy t FROM STDIN (FORMAT csv)"
is "$(c "SELECT count(*) || ' ' || sum(wh) FROM t")" "1000 5005000" "COPY through the coordinator keeps every row"
# Each shard counted where it lives (run_command_on_shards), summed per worker.
per_worker=$(c "SELECT string_agg(n::text, ' ' ORDER BY nodeport) FROM (
                  SELECT p.nodeport, sum(r.result::bigint) AS n
                  FROM run_command_on_shards('t', 'SELECT count(*) FROM %s') r
                  JOIN pg_dist_shard_placement p USING (shardid)
                  GROUP BY p.nodeport) x")
w1=${per_worker% *}; w2=${per_worker#* }
ok "$([ "$w1" -gt 0 ] && [ "$w2" -gt 0 ]; echo $?)" "rows in shards on both workers ($w1 and $w2)"

PGSANDBOX_PORT=$port "$sandbox" start --workers 2 "$dir" >/dev/null 2>&1
ok $? "start again on a running cluster is a no-op"
PGSANDBOX_PORT=$port "$sandbox" start --workers 1 "$dir" >/dev/null 2>&1
is $? 2 "fewer workers on the same directory are refused (a cluster does not shrink here)"

PGSANDBOX_PORT=$port "$sandbox" stop "$dir"
ok $? "stop"
PGSANDBOX_PORT=$port "$sandbox" status "$dir" >/dev/null
is $? 3 "status says stopped"
is "$(pgrep -f -- "-D $dir" | wc -l)" 0 "no server process left"
done_testing
