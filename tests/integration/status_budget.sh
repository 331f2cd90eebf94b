#!/bin/sh
# `meterops status` has one time budget for the whole run: with another session holding a
# lock on meterops.load_file it still returns, says which parts are unknown, and exits
# with the documented warning status (1). No timing is asserted: the harness's own
# timeout is what catches a hang.
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_status_budget)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d t_status_budget; }
t=$(tmpdir)
holder=""
release() { [ -n "$holder" ] && kill "$holder" 2>/dev/null; q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 't_lock_holder'" >/dev/null; holder=""; }
trap 'release; rm -rf "$t"' EXIT
status() { "$MO_BIN" status --db "$db" "$@" >"$t/out" 2>"$t/err"; echo $?; }
json() { python3 -c "import json,sys; d=json.load(open('$t/out')); print($1)"; }

is "$(status --json)" 0 "without a lock: exit 0"
is "$(json "d['unknown']")" "[]" "JSON: nothing unknown"

PGAPPNAME=t_lock_holder psql -X -q -d t_status_budget -c "BEGIN; LOCK TABLE meterops.load_file; SELECT pg_sleep(300); COMMIT" >/dev/null 2>&1 &
holder=$!
i=0
while [ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
              WHERE a.application_name = 't_lock_holder' AND l.mode = 'AccessExclusiveLock' AND l.granted")" != 1 ]; do
    sleep 0.1; i=$((i + 1)); [ $i -gt 100 ] && break
done
ok "$([ $i -le 100 ]; echo $?)" "another session holds an exclusive lock on load_file"

is "$(status)" 1 "status returns under the lock, exit 1 (part of the facts unknown)"
like "$(cat "$t/out")" "^unknown +files" "the text names the unknown parts, files first"
like "$(grep '^unknown' "$t/out")" "\((skipped: meterops\.load_file is locked \(ACCESS EXCLUSIVE held or requested\)|canceling statement due to lock timeout|no answer within the time budget|no time left in the budget)\)" \
     "and says why (skipped without waiting, or the wait cut short)"
like "$(cat "$t/out")" "WARNING +unreadable" "the unreadable check is the warning"
like "$(cat "$t/out")" "database +connections [0-9]+/" "the database part, which does not read load_file, still answers"

is "$(status --json)" 1 "--json: exit 1 under the lock"
is "$(json "'files' in d['unknown'], 'database' in d['unknown'], 'database' in d")" "True False True" \
   "JSON: files unknown, the database part known"
is "$(status --json --budget 300)" 1 "a smaller --budget also returns, exit 1"
release
is "$(status --json)" 0 "the lock released: exit 0 again"
is "$(json "d['unknown']")" "[]" "and nothing unknown"
done_testing
