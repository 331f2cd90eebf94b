#!/bin/sh
# A load run as backend/load_session.c does it: each file's stage comes from its format and
# is stored when it is enqueued (registry feeds before the readings that name them, in
# whatever order the command line gives them); a requeue of several files is one
# statement, so a refusal of one leaves every file as it was.
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_load_session)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d t_load_session; }
t=$(tmpdir)
"$MO_BIN" gen --meters 4 --days 1 --start 2024-03-01 --seed 3 --quiet --out "$t" ||
    { echo "not ok 1 - gen"; exit 1; }

# readings first on the command line: the stages still order the loads
out=$("$MO_BIN" load --db "$db" --quiet --jobs 2 "$t/readings.csv" "$t/bills.csv" "$t/meters.csv" \
      "$t/tariffs.csv" "$t/customers.csv" 2>&1); rc=$?
is "$rc" 0 "the five files load, readings named first"
is "$(printf '%s\n' "$out" | grep -c ': loaded (file ')" 5 "one summary line per file, each once"
is "$(q "SELECT string_agg(format || '=' || stage, ' ' ORDER BY stage, format) FROM meterops.load_file")" \
   "customers=0 tariffs=0 bills=1 meters=1 long=2" "each file's stage is its format's, stored at enqueue"
is "$(q "SELECT string_agg(format, ' ' ORDER BY file_id) FROM meterops.load_file")" \
   "tariffs customers bills meters long" \
   "registry feeds are enqueued before the readings that need them, in the given order within a stage"

# --format forces the format and its stage
cp "$t/meters.csv" "$t/meters-again.csv"
printf '\n' >>"$t/meters-again.csv"
"$MO_BIN" load --db "$db" --quiet --format meters "$t/meters-again.csv" >/dev/null 2>&1
is "$(q "SELECT format || '=' || stage FROM meterops.load_file WHERE path LIKE '%meters-again.csv'")" \
   "meters=1" "a forced format brings its own stage"

# requeue: all or none
ids=$(q "SELECT string_agg(file_id::text, ' ' ORDER BY file_id) FROM meterops.load_file WHERE format IN ('customers', 'tariffs')")
q "INSERT INTO meterops.load_file (path, sha256, format, status) VALUES ('/waiting.csv', repeat('c', 64), 'long', 'queued')"
waiting=$(q "SELECT file_id FROM meterops.load_file WHERE path = '/waiting.csv'")
before=$(q "SELECT count(*) FROM meterops.audit_log")
# shellcheck disable=SC2086
out=$("$MO_BIN" requeue $ids "$waiting" --reason "try all" --db "$db" 2>&1); rc=$?
is "$rc" 1 "a requeue with one file still queued exits 1"
like "$out" "file $waiting \(/waiting.csv\): file $waiting is queued already" "the refused file is named"
is "$(q "SELECT string_agg(status, ' ' ORDER BY file_id) FROM meterops.load_file WHERE format IN ('customers', 'tariffs')")" \
   "loaded loaded" "none of the other files was requeued"
is "$(q "SELECT count(*) FROM meterops.audit_log")" "$before" "and nothing was audited"
# shellcheck disable=SC2086
out=$("$MO_BIN" requeue $ids 99999 --reason "try all" --db "$db" 2>&1); rc=$?
is "$rc" 1 "a requeue naming a missing file exits 1"
like "$out" "file 99999 does not exist" "the missing file is named"
is "$(q "SELECT count(*) FROM meterops.load_file WHERE status = 'queued'")" 1 "still nothing requeued"
# shellcheck disable=SC2086
out=$("$MO_BIN" requeue $ids --reason "registry fixed" --db "$db"); rc=$?
is "$rc" 0 "requeueing finished files exits 0"
is "$(printf '%s\n' "$out" | grep -c -- '-> queued$')" 2 "each file says it is queued again"
is "$(q "SELECT count(*) FROM meterops.audit_log WHERE reason = 'registry fixed'")" 2 "each requeue is audited"
rm -rf "$t"
done_testing
