#!/bin/sh
# The console on a Citus coordinator (issue 14, "Everything works there"): the same seed
# as the single-server tests (tests/tui/seed.sql) in a distributed schema; the dashboard,
# Files, file detail, Jobs and Customer views show what the single server shows, with
# nothing "unavailable" and no error. Skips without Citus.
. "$MO_SRCDIR/tests/tui/common.sh"
need_citus
port=6740
citus_cluster "$TUI_TMP" $port
# both: the cluster stopped, then the console's tmux servers and the temp dir
trap 'PGSANDBOX_PORT=$port "$MO_SRCDIR/scripts/pg-sandbox" stop "$TUI_TMP/cluster" >/dev/null 2>&1; tui_cleanup' EXIT
c="host=$TUI_TMP/cluster port=$port dbname=meterops user=postgres"
q() { sql "$1" -d "$c"; }
"$MO_BIN" db migrate --db "$c" >/dev/null 2>&1 || { echo "not ok 1 - db migrate"; exit 1; }
is "$(q "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 'meterops.reading_day'::regclass")" 1 \
   "reading_day is distributed"
psql -X -q -v ON_ERROR_STOP=1 -d "$c" -f "$MO_SRCDIR/tests/tui/seed.sql" >"$TUI_TMP/seed.out" 2>&1
ok $? "the console tests' seed goes into the distributed schema"

counts=$(q "SELECT format('queued %s +loading %s +loaded %s +rejected %s +failed %s',
              count(*) FILTER (WHERE status = 'queued'), count(*) FILTER (WHERE status = 'loading'),
              count(*) FILTER (WHERE status = 'loaded' AND finished_at > now() - interval '1 day'),
              count(*) FILTER (WHERE status = 'rejected' AND finished_at > now() - interval '1 day'),
              count(*) FILTER (WHERE status = 'failed' AND finished_at > now() - interval '1 day'))
            FROM meterops.load_file")
meters="total 8 +elec 6 +gas 2 +reporting today 5 +silent 2"
# A screen of this console must never say a part could not be read.
clean() { tui_screen | grep -Ei 'unavailable|permission denied|timed out|syntax error' | head -2; }

tui_start -- console --db "$c" --refresh 1
ok "$(tui_wait "$counts"; echo $?)" "dashboard: the file counts ($counts)"
ok "$(tui_wait "$meters"; echo $?)" "dashboard: the meter counts from the seen bitmaps ($meters)"
ok "$(tui_wait 'connections [0-9]+/100 +cache hit [0-9.]+%'; echo $?)" "dashboard: the database line"
is "$(clean)" "" "dashboard: every section read"

tui_keys 2
ok "$(tui_wait '^ Files  9'; echo $?)" "Files: the nine files"
is "$(clean)" "" "Files: nothing unavailable"
tui_keys Enter
ok "$(tui_wait 'rows'; echo $?)" "Enter opens the newest file"
tui_settle
is "$(clean)" "" "file detail: nothing unavailable"
tui_keys 4
ok "$(tui_wait 'Jobs'; echo $?)" "Jobs: listed"
tui_settle
is "$(clean)" "" "Jobs: nothing unavailable"

# The Customer view (7) on the cluster: a generated home loaded with `meterops load`, its
# card with the kWh the stored functions give on the coordinator.
g="$TUI_TMP/gen"
"$MO_BIN" gen --quiet --meters 12 --days 3 --start 2024-04-01 --seed 5 --out "$g" >/dev/null 2>&1
"$MO_BIN" load --db "$c" --quiet "$g/customers.csv" "$g/tariffs.csv" "$g/meters.csv" "$g/readings.csv" >/dev/null 2>&1
ok $? "a generated data set loads into the cluster"
mp=$(q "SELECT mpxn FROM meterops.meter WHERE fuel = 'elec' AND direction = 'import' AND customer_id IS NOT NULL ORDER BY mpxn LIMIT 1")
kwh=$(q "SELECT sum(kwh) FROM meterops.meter_cost_daily('$mp', '2024-03-05', '2024-04-03')")
tui_keys : && tui_type "customer $mp 2024-04-03" && tui_keys Enter
ok "$(tui_wait ' 30 days, 2024-03-05 to 2024-04-03'; echo $?)" "Customer: :customer MPAN DATE opens the card on the cluster"
tui_wait '^   Month +Days' >/dev/null
like "$(tui_line 'Electricity used')" "Electricity used $kwh kWh" "the card's use is the coordinator's ($kwh kWh)"
is "$(clean)" "" "Customer: nothing unavailable"
tui_keys q
done_testing
