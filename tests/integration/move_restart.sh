#!/bin/sh
# move_restart.sh - `meterops migrate` survives a restart of either server during the
# initial copy: the target restarted right after start, then the source; the subscription
# carries on by itself and the target ends with exactly the source's readings (rows and Wh
# per partition), load_file rows, and verify exits 0. Whether the copy was still running at
# each restart depends on the machine's speed; the test says which state it saw.
. "$MO_SRCDIR/tests/lib.sh"
move_servers 6760 6761
copy_state() { qt "SELECT coalesce(string_agg(DISTINCT srsubstate::text, ''), '-') FROM pg_subscription_rel" 2>/dev/null; }

"$MO_BIN" db migrate --db "$S" >/dev/null &&
"$MO_BIN" gen --meters 1500 --days 90 --start 2024-01-01 --seed 5 --quiet --out "$t/g" >/dev/null &&
"$MO_BIN" load --db "$S" "$t/g/customers.csv" "$t/g/tariffs.csv" "$t/g/meters.csv" "$t/g/bills.csv" \
    "$t/g/readings.csv" >/dev/null 2>&1
ok $? "1500 meters, 90 days loaded on the source"

"$MO_BIN" migrate start --db "$S" --to "$T" >"$t/start" 2>&1
ok $? "start"
state=$(copy_state)
PGSANDBOX_PORT=$tport "$sandbox" stop "$t/dst" >/dev/null && PGSANDBOX_PORT=$tport "$sandbox" start "$t/dst" >/dev/null
ok $? "the target restarted (copy states seen just before: $state; i init, d copying, r ready)"
state=$(copy_state)
PGSANDBOX_PORT=$sport "$sandbox" stop "$t/src" >/dev/null && PGSANDBOX_PORT=$sport "$sandbox" start --logical "$t/src" >/dev/null
ok $? "the source restarted (copy states seen just before: $state)"

# A table whose copy is done (s) turns ready when the apply worker passes its copy's end,
# which needs a change to stream: verify makes one (its marker) and waits for the target.
wait_query "$T" "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate NOT IN ('s', 'r')" 0
"$MO_BIN" migrate verify --db "$S" >"$t/verify" 2>&1
is "$?" 0 "verify exits 0: $(tail -1 "$t/verify")"
# A table that reached s after verify's marker was applied waits for the next change:
# the marker is bumped again (a change to stream) until every table is ready, 120 s at most (a table sync restarted with the source may take a while).
move_wait_ready "$S" "$T" >/dev/null
# A source stopped just as a table's sync finished can leave it copied with its slot gone
# (PostgreSQL drops the slot before it records the table synced): status says so and
# `migrate resync` copies it again (move_resync.sh tests that on its own).
resynced=none
if "$MO_BIN" migrate status --db "$S" 2>&1 | grep -q '^STUCK: '; then
    "$MO_BIN" migrate status --db "$S" 2>&1 | grep '^STUCK: ' | sed 's/^/# /'
    "$MO_BIN" migrate resync --db "$S" >"$t/resync" 2>&1 && resynced=$(sed -n 's/^copying again: \([^;]*\);.*/\1/p' "$t/resync")
    sed 's/^/# resync: /' "$t/resync"
    move_wait_ready "$S" "$T" >/dev/null
fi
is "$(qt "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'")" 0 "every table's copy ends ready (copied again by resync: $resynced)"
qt "SELECT srrelid::regclass::text || ' ' || srsubstate::text FROM pg_subscription_rel WHERE srsubstate <> 'r'" | sed 's/^/# not ready: /'
[ -f "$t/dst/server.log" ] && grep -E "ERROR|FATAL" "$t/dst/server.log" | tail -5 | sed 's/^/# target: /'
per_part="SELECT tableoid::regclass::text || ' ' || count(*) || ' ' || sum((SELECT sum(v) FROM unnest(wh) v))
           FROM meterops.reading_day GROUP BY tableoid ORDER BY 1"
is "$(qt "$per_part")" "$(qs "$per_part")" "the target holds the source's readings: rows and Wh per partition"
files="SELECT string_agg(file_id || ' ' || status || ' ' || rows_loaded, ',' ORDER BY file_id) FROM meterops.load_file"
is "$(qt "$files")" "$(qs "$files")" "the same load_file rows"
"$MO_BIN" migrate abort --db "$S" >/dev/null 2>&1
ok $? "abort"
done_testing
