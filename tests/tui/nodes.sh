#!/bin/sh
# The Nodes view (6): on plain PostgreSQL it says there is no cluster; on a Citus cluster
# (when the extension is installed), the coordinator and each worker with health, shard
# placements, their size and connections, a worker that is down shown DOWN (its
# placements still counted), and whether a rebalance ran; r starts one (with a reason,
# audited) after a new worker joins, and the header follows it to its end.
. "$MO_SRCDIR/tests/tui/common.sh"
db=$(tui_seed t_tui_nodes) || { echo "not ok 1 - seed"; exit 1; }
TUI_W=120 tui_start -- console --db "$db" --refresh 1
tui_wait 'Loaders' >/dev/null
tui_keys 6
ok "$(tui_wait '^ Nodes  none: not a Citus coordinator'; echo $?)" "6 opens the Nodes view: no cluster here"

sandbox="$MO_SRCDIR/scripts/pg-sandbox"
if [ ! -f "$(pg_config --pkglibdir 2>/dev/null || echo /usr/lib/postgresql/15/lib)/citus.so" ]; then
    echo "ok 2 # SKIP Citus is not installed: no cluster to show"
    done_testing; exit
fi
t=$(tmpdir)
port=6750
trap 'tui_cleanup; PGSANDBOX_PORT=$port "$sandbox" stop "$t/c" >/dev/null 2>&1; rm -rf "$t"' EXIT
PGSANDBOX_PORT=$port "$sandbox" start --workers 2 "$t/c" >/dev/null 2>&1 || { echo "not ok 2 - pg-sandbox"; exit 1; }
two="host=$t/c port=$port dbname=meterops user=postgres"
"$MO_BIN" db migrate --db "$two" >/dev/null 2>&1 || { echo "not ok 2 - migrate on the cluster"; exit 1; }
TUI_W=140 tui_start -- console --db "$two" --refresh 1
tui_wait 'Loaders' >/dev/null
tui_keys 6
ok "$(tui_wait '^ Nodes  3   no rebalance has run'; echo $?)" "a cluster: the coordinator and two workers"
like "$(tui_line ":$port ")" ":$port +coordinator +ok +[0-9]+ " "the coordinator first, healthy"
like "$(tui_line ":$((port + 1)) ")" ":$((port + 1)) +worker +ok +[1-9][0-9]* +[0-9.]+ ?[kMG]?B +[0-9]+" \
   "worker 1: healthy, its shard placements, their size, connections"
q2() { psql -X -q -tA -d "$two" -c "$1"; }

# r on a balanced cluster: asked for a reason, and nothing moves.
tui_keys r
ok "$(tui_wait 'rebalance shards onto all workers \(block_writes\)\? reason:'; echo $?)" "r asks for a reason"
tui_keys Enter
ok "$(tui_wait 'rebalance cancelled: a reason is required'; echo $?)" "without a reason nothing starts"
tui_keys r
tui_type "balanced already"
tui_keys Enter
ok "$(tui_wait 'nothing to move: the shards are balanced'; echo $?)" "a balanced cluster: nothing to move"

# A machine added (citus_add_node of a new, empty worker), then r moves shards onto it
# while the view shows the rebalance's progress; the console's rebalance is audited.
PGSANDBOX_PORT=$port "$sandbox" start --workers 3 "$t/c" >"$t/add.out" 2>&1; rc=$?
is "$rc" 0 "pg-sandbox adds a third worker to the running cluster"
[ "$rc" = 0 ] || sed 's/^/# /' "$t/add.out"
ok "$(tui_wait ":$((port + 3)) +worker +ok +0 "; echo $?)" "the new worker is shown, healthy, holding no shard yet"
tui_keys r
tui_type "worker 3 added"
tui_keys Enter
ok "$(tui_wait 'rebalance #[0-9]+ started \(written to audit_log\)'; echo $?)" "r starts a rebalance"
ok "$(tui_wait '^ Nodes  4   rebalance #[0-9]+ finished: ([0-9]+) of \1 moves done' 120; echo $?)" \
   "the header follows the rebalance to its end: every move done"
like "$(tui_line ":$((port + 3)) ")" ":$((port + 3)) +worker +ok +[1-9][0-9]* " "the new worker holds shards now"
is "$(q2 "SELECT count(*) > 0 FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid)
          WHERE n.nodeport = $((port + 3))")" t "the database agrees: shard placements on worker 3"
is "$(q2 "SELECT action || '|' || target || '|' || reason || '|' || (detail->>'job_id' IS NOT NULL)
          FROM meterops.audit_log WHERE action = 'rebalance' AND reason = 'worker 3 added'")" \
   "rebalance|cluster|worker 3 added|true" "audit_log has the rebalance with its reason and job"
tui_keys r
tui_type "again"
tui_keys Enter
ok "$(tui_wait 'nothing to move: the shards are balanced'; echo $?)" "right after it, nothing is left to move"

bindir=$(pg_config --bindir 2>/dev/null)
[ -x "$bindir/pg_ctl" ] || bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bindir/pg_ctl" -D "$t/c/worker2/data" -m fast -w stop >/dev/null 2>&1
else "$bindir/pg_ctl" -D "$t/c/worker2/data" -m fast -w stop >/dev/null 2>&1; fi
ok "$(tui_wait ":$((port + 2)) +worker +DOWN +[1-9][0-9]* +- +-"; echo $?)" \
   "worker 2 stopped: DOWN, its placements still counted, size and connections unknown"
done_testing
