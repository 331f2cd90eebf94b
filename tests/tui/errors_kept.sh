#!/bin/sh
# The file detail of a file with more rejections than the loader keeps: exact counts from
# load_error_summary, "first N of each code kept"; with load_error locked by another
# session the view keeps what it shows, says "timed out, retrying in Ns", and recovers
# once the lock is gone.
. "$MO_SRCDIR/tests/tui/common.sh"
dbname=t_tui_errors_kept
db=$(fresh_db $dbname)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d $dbname; }
mkdir -p "$TUI_TMP/data"
f="$TUI_TMP/data/noreg.csv"
{ echo "mpxn,timestamp,kwh"
  awk 'BEGIN { for (i = 0; i < 3000; i++) printf "2700003640039,%s,0.100\n", strftime("%Y-%m-%dT%H:%M:00Z", 1700000000 - 1700000000 % 1800 - i * 1800, 1) }'
} >"$f"
"$MO_BIN" load --db "$db" --quiet --keep-errors 100 --max-reject-ratio 1 "$f" >/dev/null 2>&1
is "$(q "SELECT rows_rejected || ' ' || (SELECT count(*) FROM meterops.load_error) FROM meterops.load_file")" "3000 100" \
   "set-up: 3000 rejected, 100 kept"

tui_start -- console --db "$db"
tui_wait "connected" >/dev/null
tui_keys :
tui_type "open 1"
tui_keys Enter
ok "$(tui_wait '^ Errors 3,000 rejected in 1 code: first 100 of each code kept'; echo $?)" \
   "the view says how many were rejected and how many of each code are kept"
like "$(tui_line 'unknown_meter')" "unknown_meter +3000  lines 2-3001  column mpxn 3000" "the group has the exact count"
tui_keys G
ok "$(tui_wait '2,900 more unknown_meter errors counted, not kept \(the first 100 are\)|2900 more unknown_meter errors counted, not kept \(the first 100 are\)'; echo $?)" \
   "the end of the group says the rest are counted, not kept"

tui_keys a
ok "$(tui_wait '^ Attempts 1 \(a: back to the errors\)'; echo $?)" "a shows the attempt history"
like "$(tui_line '^ +#1 ')" "#1 +loaded +started .* rows 3,000  loaded 0  rejected" "each attempt with its outcome and counts"
tui_keys a
ok "$(tui_wait '^ Errors 3,000 rejected'; echo $?)" "a again: back to the errors"

# another session holds a lock on load_error: the rows cannot be read
psql -X -q -d $dbname -c "BEGIN; LOCK TABLE meterops.load_error; SELECT pg_sleep(8); COMMIT" >/dev/null 2>&1 &
locker=$!
i=0
while [ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'load_error' AND l.mode = 'AccessExclusiveLock' AND l.granted")" != 1 ] && [ $i -lt 100 ]; do
    sleep 0.1; i=$((i + 1))
done
tui_keys :
tui_type "open 1"
tui_keys Enter
ok "$(tui_wait 'timed out, retrying in [0-9]+s' 20; echo $?)" "a timed-out fetch says so and when it retries"
like "$(tui_screen)" "Errors 3,000 rejected" "what was shown stays on screen"
wait $locker
ok "$(tui_wait_gone 'retrying in' 40; echo $?)" "after the lock is released the retry succeeds"
like "$(tui_screen)" "Errors 3,000 rejected in 1 code: first 100 of each code kept" "and the errors are shown again"

tui_keys q
done_testing
