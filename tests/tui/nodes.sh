#!/bin/sh
# The Nodes view (5): on a single server, that server alone; on a Citus cluster (when the
# extension is installed), the coordinator and each worker with health, shard placements,
# size and connections, a worker that is down shown DOWN with the error, and the newest
# rebalance with its progress.
. "$MO_SRCDIR/tests/tui/common.sh"
db=$(tui_seed t_tui_nodes) || { echo "not ok 1 - seed"; exit 1; }
TUI_W=120 tui_start -- console --db "$db" --refresh 1
tui_wait 'Loaders' >/dev/null
tui_keys 5
ok "$(tui_wait '^ Nodes  1   no rebalance has run'; echo $?)" "5 opens the Nodes view: one node"
like "$(tui_line 'single')" "local socket:5432 +single +ok +0 +[0-9.]+ [kMG]B +[0-9]+" \
   "a single server: its socket and port, role, health, no shards, size, connections"

sandbox="$MO_SRCDIR/scripts/pg-sandbox"
if [ ! -f "$(pg_config --pkglibdir 2>/dev/null || echo /usr/lib/postgresql/15/lib)/citus.so" ]; then
    echo "ok 3 # SKIP Citus is not installed: no cluster to show"
    done_testing; exit
fi
t=$(tmpdir)
port=6750
trap 'tui_cleanup; PGSANDBOX_PORT=$port "$sandbox" stop "$t/c" >/dev/null 2>&1; rm -rf "$t"' EXIT
PGSANDBOX_PORT=$port "$sandbox" start --workers 2 "$t/c" >/dev/null 2>&1 || { echo "not ok 3 - pg-sandbox"; exit 1; }
two="host=$t/c port=$port dbname=meterops user=postgres"
"$MO_BIN" db migrate --db "$two" >/dev/null 2>&1 || { echo "not ok 3 - migrate on the cluster"; exit 1; }
TUI_W=140 tui_start -- console --db "$two" --refresh 1
tui_wait 'Loaders' >/dev/null
tui_keys 5
ok "$(tui_wait '^ Nodes  3   no rebalance has run'; echo $?)" "a cluster: the coordinator and two workers"
like "$(tui_line ":$port ")" ":$port +coordinator +ok +[0-9]+ " "the coordinator first, healthy"
like "$(tui_line ":$((port + 1)) ")" ":$((port + 1)) +worker +ok +[1-9][0-9]* +[0-9.]+ [kMG]B +[0-9]+" \
   "worker 1: healthy, its shard placements, size, connections"
bindir=$(pg_config --bindir 2>/dev/null)
[ -x "$bindir/pg_ctl" ] || bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bindir/pg_ctl" -D "$t/c/worker2/data" -m fast -w stop >/dev/null 2>&1
else "$bindir/pg_ctl" -D "$t/c/worker2/data" -m fast -w stop >/dev/null 2>&1; fi
ok "$(tui_wait ":$((port + 2)) +worker +DOWN +[1-9][0-9]* +- +- +.*(connect|refused|No such file)"; echo $?)" \
   "worker 2 stopped: DOWN, its placements still counted, the error shown"
done_testing
