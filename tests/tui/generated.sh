#!/bin/sh
# The console over data that went through the real pipeline: `meterops gen` with injected
# faults, loaded by `meterops load`. The views show what the database holds: file counts by
# status, and for the rejected file every error group with its count and the raw lines.
. "$MO_SRCDIR/tests/tui/common.sh"
dbname=t_tui_generated
db=$(fresh_db $dbname)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d $dbname; }
data="$TUI_TMP/data"
"$MO_BIN" gen --meters 40 --days 2 --start 2024-05-01 --seed 3 --quiet --out "$data/clean" &&
"$MO_BIN" gen --meters 40 --days 2 --start 2024-05-03 --seed 3 --error-rate 0.003 --quiet --out "$data/minor" &&
"$MO_BIN" gen --meters 40 --days 2 --start 2024-05-05 --seed 3 --error-rate 0.05 --quiet --out "$data/bad" ||
    { echo "not ok 1 - gen"; exit 1; }
"$MO_BIN" load --db "$db" "$data/clean/customers.csv" "$data/clean/tariffs.csv" >/dev/null 2>&1
"$MO_BIN" load --db "$db" "$data/clean/meters.csv" >/dev/null 2>&1
for d in clean minor bad; do "$MO_BIN" load --db "$db" "$data/$d/readings.csv" >/dev/null 2>&1; done
is "$(q "SELECT string_agg(status, ',' ORDER BY file_id) FROM meterops.load_file")" \
   "loaded,loaded,loaded,loaded,loaded,rejected" "set-up: registry and two readings files loaded, the faulty one rejected"
bad=$(q "SELECT file_id FROM meterops.load_file WHERE status = 'rejected'")
nerr=$(q "SELECT count(*) FROM meterops.load_error WHERE file_id = $bad")
ncodes=$(q "SELECT count(DISTINCT code) FROM meterops.load_error WHERE file_id = $bad")

TUI_H=40 tui_start -- console --db "$db"
ok "$(tui_wait "connected"; echo $?)" "the console connects"
tui_keys 2
ok "$(tui_wait '^ Files  6'; echo $?)" "the Files view lists the 6 files the database holds"
like "$(tui_screen)" "rejected" "the rejected file is shown as rejected"
tui_keys /
tui_type "bad/readings"
tui_keys Enter
tui_wait '^ Files  1' >/dev/null
tui_keys Enter
ok "$(tui_wait "^ File #$bad  rejected"; echo $?)" "Enter opens the rejected generated file"
ok "$(tui_wait "^ Errors $nerr rejected in $ncodes codes"; echo $?)" "its header counts $nerr errors in $ncodes codes, as the database does"
missing=""
for g in $(q "SELECT code || ':' || count(*) FROM meterops.load_error WHERE file_id = $bad GROUP BY code"); do
    tui_screen | grep -Eq "^ ▸ ${g%%:*} +${g#*:}  line" || missing="$missing $g"
done
is "$missing" "" "each code of the manifest's faults is a group with the database's count"
# The first error of the file, raw line and all, once its group is expanded.
first=$(q "SELECT line_no || '	' || code || '	' || raw FROM meterops.load_error WHERE file_id = $bad ORDER BY line_no LIMIT 1")
line=$(printf '%s' "$first" | cut -f1); code=$(printf '%s' "$first" | cut -f2); raw=$(printf '%s' "$first" | cut -f3)
tui_keys e
tui_wait "▾ " >/dev/null
# Search for its raw line: the view moves to the match.
tui_keys /
tui_type "$raw"
tui_keys Enter
ok "$(tui_wait 'match 1 of [0-9]+ for'; echo $?)" "/ finds the first error's raw line"
ok "$(tui_wait "^ +$line  $code"; echo $?)" "the first error (line $line, $code) is on screen"
tui_screen | grep -Fq "raw: $raw"
ok $? "with its exact raw line"
tui_keys q
is "$(tui_exit_status 1)" 0 "q quits with status 0"
is "$(tui_stderr)" "" "nothing on stderr"
done_testing
