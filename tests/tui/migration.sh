#!/bin/sh
# The Migration view (8, :migration): a database with no move recorded says in one line
# how to start one; between two private servers (the source with --logical) after
# `meterops migrate start`, it shows the move's state and target and, per reading_day
# partition, the source's and the target's row estimates (equal once copied) with the
# initial copy's state; the target is read on a connection of the view's own, only while
# the view is shown; once the target is stopped, one line says it is unreachable and the
# view keeps retrying (no error screen), and the figures come back with the server.
. "$MO_SRCDIR/tests/tui/common.sh"
sandbox="$MO_SRCDIR/scripts/pg-sandbox"

db=$(tui_seed t_tui_migration) || { echo "not ok 1 - seed"; exit 1; }
TUI_W=120 tui_start -- console --db "$db" --refresh 1
tui_wait 'Loaders' >/dev/null
tui_keys 8
ok "$(tui_wait '^ Migration  none recorded: start one with meterops migrate start --to TARGET'; echo $?)" \
   "8 on a database with no move: one line says how to start one"
like "$(tui_screen | head -3)" "Migration" "the Migration tab is in the header"

t=$(tmpdir)
sport=6770
tport=6771
trap 'tui_cleanup; PGSANDBOX_PORT=$sport "$sandbox" stop "$t/src" >/dev/null 2>&1; PGSANDBOX_PORT=$tport "$sandbox" stop "$t/dst" >/dev/null 2>&1; rm -rf "$t"' EXIT
PGSANDBOX_PORT=$sport "$sandbox" start --logical "$t/src" >/dev/null 2>"$t/err" &&
    PGSANDBOX_PORT=$tport "$sandbox" start "$t/dst" >/dev/null 2>>"$t/err" ||
    { echo "not ok - two sandbox servers: $(cat "$t/err")"; done_testing; exit 1; }
S="host=$t/src port=$sport dbname=meterops user=postgres"
T="host=$t/dst port=$tport dbname=meterops user=postgres"
qs() { sql "$1" -d "$S"; }
qt() { sql "$1" -d "$T"; }
"$MO_BIN" db migrate --db "$S" >/dev/null || { echo "not ok - db migrate"; done_testing; exit 1; }
"$MO_BIN" gen --meters 40 --days 45 --start 2024-01-10 --seed 5 --quiet --out "$t/g" >/dev/null &&
"$MO_BIN" load --db "$S" "$t/g/customers.csv" "$t/g/tariffs.csv" "$t/g/meters.csv" "$t/g/bills.csv" \
    "$t/g/readings.csv" >/dev/null 2>&1
ok $? "readings of January and February loaded on the source"

# Before any move: the same hint on the sandbox.
TUI_W=140 TUI_H=30 tui_start -- console --db "$S" --refresh 1
tui_wait 'Loaders' >/dev/null
tui_type ":migration"
tui_keys Enter
ok "$(tui_wait '^ Migration  none recorded: start one with meterops migrate start --to TARGET'; echo $?)" \
   ":migration opens the view: no move recorded"
is "$(qt "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'meterops console migration'")" 0 \
   "no move, no --target-db: the target is never connected to"

"$MO_BIN" migrate start --to "$T" --db "$S" >"$t/start" 2>&1
rc=$?
ok $rc "migrate start"
[ $rc = 0 ] || sed 's/^/# /' "$t/start"
# The initial copy done: every relation ready on the target.
wait_query "$T" "SELECT count(*) = count(*) FILTER (WHERE srsubstate = 'r') AND count(*) > 0 FROM pg_subscription_rel" t
id=$(qs "SELECT migration_id FROM meterops.migration ORDER BY migration_id DESC LIMIT 1")
ok "$(tui_wait "^ Migration #$id  copying  to host=.*port=$tport.*  started 20[0-9]{2}-" 30; echo $?)" \
   "the view follows the new move: its number, state, target and start"
jan=$(qs "SELECT count(*) FROM meterops.reading_day_2024_01")
feb=$(qs "SELECT count(*) FROM meterops.reading_day_2024_02")
ok "$(tui_wait "meterops\\.reading_day_2024_01 +$jan +$jan += +ready" 60; echo $?)" \
   "January's partition: $jan rows on both sides, copied, ready"
ok "$(tui_wait "meterops\\.reading_day_2024_02 +$feb +$feb += +ready" 60; echo $?)" "February's too: $feb rows"
like "$(tui_line '^ Source  ')" "^ Source  lag [0-9.]+ ?([kMG]?B|bytes).* queue 0 queued, 0 loading +last loaded .*readings\\.csv" \
     "the source: the slot's lag, the queue, the last file loaded"
like "$(tui_line '^ Target  ')" "^ Target  queue 0 queued, 0 loading" "the target's queue"
is "$(qt "SELECT count(*) FROM meterops.reading_day_2024_01")" "$jan" "the database agrees: January copied whole"
is "$(qt "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'meterops console migration'")" 1 \
   "the view reads the target on a connection of its own"

# Rows gone from the target only: February's line shows the difference.
qt "DELETE FROM meterops.reading_day_2024_02 WHERE ctid IN (SELECT ctid FROM meterops.reading_day_2024_02 LIMIT 200)" >/dev/null
ok "$(tui_wait "meterops\\.reading_day_2024_02 +$feb +$((feb - 200)) +-200 +ready" 60; echo $?)" \
   "200 rows deleted on the target only: February differs by -200"
# The theme's warning role on that line only: its colours differ from January's.
sgr_before() { tmx capture-pane -p -e -t 0 | grep -F "$1" | sed "s/$1.*//" | tr -d ' '; }
ok "$([ "$(sgr_before reading_day_2024_02)" != "$(sgr_before reading_day_2024_01)" ]; echo $?)" \
   "February's line is drawn in another role than January's"
tui_keys c
ok "$(tui_wait 'exact counts: 1 relation differ' 30; echo $?)" "c counts every relation exactly on both sides: one differs"
like "$(tui_line 'reading_day_2024_02 ')" "-200 +ready +$feb vs $((feb - 200)) *\$" "February's exact counts, source vs target"
like "$(tui_line 'reading_day_2024_01 ')" "= +ready +$jan *\$" "January's are equal"

# Another view: the target's connection goes.
tui_keys 1
conns="SELECT count(*) FROM pg_stat_activity WHERE application_name = 'meterops console migration'"
wait_query "$T" "$conns" 0
is "$(qt "$conns")" 0 "off the view, the target is not connected to"
tui_keys 8
wait_query "$T" "$conns" 1
is "$(qt "$conns")" 1 "back on the view, it connects again"

# The target stopped: one line says so; the view keeps retrying.
PGSANDBOX_PORT=$tport "$sandbox" stop "$t/dst" >/dev/null 2>&1
ok "$(tui_wait '^ Target  unreachable, (retrying in [0-9]+s|trying again): ' 60; echo $?)" "the target stopped: one line says it is unreachable"
like "$(tui_line '^ Migration #')" "^ Migration #$id  copying" "the move is still shown from the source"
like "$(tui_line '^ Source  ')" "^ Source  " "the source's line stays"
PGSANDBOX_PORT=$tport "$sandbox" start "$t/dst" >/dev/null 2>&1
ok "$(tui_wait '^ Target  queue 0 queued' 90; echo $?)" "the target back: the view reconnects by itself"
ok "$(tui_wait "meterops\\.reading_day_2024_01 +$jan +$jan += +ready" 60; echo $?)" "and shows its figures again"

tui_keys q
is "$(tui_exit_status "$TUI_N")" 0 "q quits"
is "$(tui_stderr)" "" "nothing on stderr"

# --target-db on a database with no move: compared with the target given.
TUI_W=140 tui_start -- console --db "$db" --refresh 1 --target-db "$T"
tui_wait 'Loaders' >/dev/null
tui_keys 8
ok "$(tui_wait "^ Migration  none recorded; comparing with host=.*port=$tport" 30; echo $?)" \
   "--target-db without a recorded move: the view compares with it"
ok "$(tui_wait "^ Target  queue 0 queued" 30; echo $?)" "and reads the target given"
ok "$(tui_wait "meterops\\.reading_day_2024_01 +([0-9]+|-) +$jan " 30; echo $?)" \
   "January: the target's estimate beside this database's (- when it has no such partition)"
"$MO_BIN" migrate abort --db "$S" >/dev/null 2>&1
done_testing
