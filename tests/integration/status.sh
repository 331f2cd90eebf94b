#!/bin/sh
# `meterops status`: the dashboard's facts for scripts, its JSON, and its exit codes for
# healthy, warning and critical databases.
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_status)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d t_status; }
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
# status [ARGS...]: runs it; its stdout in $t/out, its exit status printed.
status() { "$MO_BIN" status --db "$db" "$@" >"$t/out" 2>"$t/err"; echo $?; }
json() { python3 -c "import json,sys; d=json.load(open('$t/out')); print($1)"; }
check_level() { json "[c['level'] for c in d['checks'] if c['name'] == '$1'][0]"; }
add_file() { # add_file PATH STATUS [EXTRA SQL SET clause]
    q "INSERT INTO meterops.load_file (path, sha256, format, status, finished_at)
       VALUES ('$1', encode(sha256(convert_to('$1', 'UTF8')), 'hex'), 'long', '$2',
               CASE WHEN '$2' IN ('loaded', 'rejected', 'failed') THEN now() END)" >/dev/null
}

is "$(status)" 0 "an empty, healthy database: exit 0"
like "$(head -1 "$t/out")" "^meterops status: OK$" "text output says OK"
is "$(status --json)" 0 "--json: exit 0"
ok "$(python3 -m json.tool "$t/out" >/dev/null; echo $?)" "--json output is valid JSON (python3 -m json.tool)"
is "$(json "d['status'], d['exit_code'], d['files']['queued'], d['meters']['total'], d['database']['max_connections']")" \
   "ok 0 0 0 100" "JSON: status, exit code, counts and database facts"

add_file /in/a.csv loaded
add_file /in/b.csv rejected
is "$(status)" 1 "a file rejected in the last 24 h: exit 1"
like "$(cat "$t/out")" "WARNING +rejected_files_24h +1 file\(s\) rejected in the last 24 h" "the text names the warning"
is "$(status --json)" 1 "--json: exit 1"
is "$(json "d['status'], d['files']['rejected_24h'], d['files']['loaded_24h']")" "warning 1 1" "JSON: warning with the counts"
is "$(check_level rejected_files_24h)" warning "JSON: the rejected_files_24h check is the warning"

q "UPDATE meterops.load_file SET finished_at = now() - interval '25 hours' WHERE path = '/in/b.csv'" >/dev/null
is "$(status)" 0 "a rejection older than 24 h no longer warns"

add_file /in/c.csv queued
q "UPDATE meterops.load_file SET queued_at = now() - interval '45 minutes' WHERE path = '/in/c.csv'" >/dev/null
is "$(status --json)" 2 "a queued file and no live loader to take it: exit 2"
is "$(json "[(c['level'], c['file_ids']) for c in d['checks'] if c['name'] == 'queued_without_loader'][0]")" \
   "('critical', [$(q "SELECT file_id FROM meterops.load_file WHERE path = '/in/c.csv'")])" \
   "JSON: queued_without_loader is critical and names the file"
# The queue's age alone from here: a live loader (a heartbeat now, 011_loaders.sql).
q "INSERT INTO meterops.loader (host, pid, owner, kind, lease_s) VALUES ('host-y', 7, 'host-y:7', 'daemon', 60)" >/dev/null
is "$(status)" 1 "the oldest queued file waits 45 min, above --queue-warn 30: exit 1"
is "$(status --queue-warn 60)" 0 "with --queue-warn 60 the same queue is healthy"
is "$(status --queue-warn 10 --queue-crit 40)" 2 "above --queue-crit: exit 2"
q "DELETE FROM meterops.load_file WHERE path = '/in/c.csv'" >/dev/null
q "DELETE FROM meterops.loader WHERE owner = 'host-y:7'" >/dev/null

add_file /in/d.csv loading
q "UPDATE meterops.load_file SET started_at = now() - interval '10 minutes', lease_until = now() - interval '1 minute',
       progress_rows = 500, claimed_by = 'host-x:1' WHERE path = '/in/d.csv'" >/dev/null
is "$(status --json)" 2 "a loading file whose lease expired (its loader died): exit 2"
is "$(check_level expired_leases)" critical "JSON: expired_leases is critical"
is "$(json "d['loading'][0]['path'], d['loading'][0]['progress_rows'], d['loading'][0]['lease_expired']")" \
   "/in/d.csv 500 True" "JSON: the loading file with its progress and expired lease"
q "UPDATE meterops.load_file SET lease_until = now() + interval '5 minutes' WHERE path = '/in/d.csv'" >/dev/null
is "$(status)" 0 "the lease renewed: healthy again"

add_file /in/e.csv failed
is "$(status)" 2 "a file failed in the last 24 h: exit 2"
like "$(cat "$t/out")" "CRITICAL +failed_files_24h" "the text names the critical check"

# A path no JSON writer may mangle: quotes, backslash, tab, newline, non-ASCII.
weird=$(printf '/in/we"ird\\\\na\tme\nnext\303\251.csv')
q "INSERT INTO meterops.load_file (path, sha256, format, status, started_at, lease_until)
   VALUES (\$p\$$weird\$p\$, repeat('b', 64), 'long', 'loading', now(), now() + interval '5 minutes')" >/dev/null
status --json >/dev/null
ok "$(python3 -m json.tool "$t/out" >/dev/null; echo $?)" "JSON stays valid with quotes, backslashes, tabs and newlines in a path"
is "$(WEIRD="$weird" python3 -c "import json, os; d=json.load(open('$t/out')); print(any(l['path'] == os.environ['WEIRD'] for l in d['loading']))")" True \
   "the path comes back exactly"

# A loader's COPY in flight names its file: the loader puts "file N" in its connection's
# application_name (queries/load/app_name.sql), and status joins it to load_file.
"$MO_BIN" gen --meters 60 --days 20 --start 2024-02-01 --seed 4 --quiet --out "$t/gen" >/dev/null
"$MO_BIN" load --db "$db" --quiet "$t/gen/customers.csv" "$t/gen/tariffs.csv" "$t/gen/meters.csv" >/dev/null 2>&1
MO_LOAD_THROTTLE_MS=100 MO_LOAD_CHUNK_BYTES=65536 "$MO_BIN" load --db "$db" --quiet "$t/gen/readings.csv" >/dev/null 2>&1 &
lpid=$!
# A COPY is in flight only between batches' ends: both forms are polled, turn about, for as
# long as the load runs, and the first output of each that caught one is kept (one form
# polled after the other could miss the load's end on a busy machine).
i=0
while [ $i -lt 600 ] && kill -0 $lpid 2>/dev/null && { [ ! -f "$t/copy.json" ] || [ ! -f "$t/copy.txt" ]; }; do
    if [ ! -f "$t/copy.json" ]; then
        status --json >/dev/null
        [ "$(json "len(d['copy'])")" -gt 0 ] 2>/dev/null && cp "$t/out" "$t/copy.json"
    fi
    if [ ! -f "$t/copy.txt" ]; then
        status >/dev/null
        grep -q '^copy  *pid' "$t/out" && cp "$t/out" "$t/copy.txt"
    fi
    sleep 0.05; i=$((i + 1))
done
fid=$(q "SELECT file_id FROM meterops.load_file WHERE path = '$t/gen/readings.csv'")
cp "$t/copy.json" "$t/out" 2>/dev/null || : >"$t/out"
is "$(json "d['copy'][0]['relation'], d['copy'][0]['file_id'], d['copy'][0]['path'], d['copy'][0]['application_name']")" \
   "meterops.reading_day $fid $t/gen/readings.csv meterops load file $fid" "a loader's COPY in flight names its file (JSON)"
like "$(grep '^copy' "$t/copy.txt" 2>/dev/null)" "^copy +pid [0-9]+ COPY FROM meterops.reading_day: [0-9,]+ tuples, .* \\(file $fid: $t/gen/readings.csv\\)" \
   "... and in the text"
wait $lpid
is "$?" 0 "the throttled load finishes"
is "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'meterops load file%'")" 0 \
   "no loader session is left named after a file"

is "$(status --db 'host=/nonexistent-dir dbname=x' --json)" 2 "no database: exit 2"
is "$(json "d['status'], d['exit_code']")" "critical 2" "no database: JSON still parses and says critical"
like "$(cat "$t/err")" "meterops status: cannot connect" "no database: the reason on stderr"

"$MO_BIN" status --help >"$t/out"
like "$(cat "$t/out")" "--queue-warn MIN" "--help documents the thresholds"
like "$(cat "$t/out")" "2  critical: a file failed in the last 24 h" "--help documents the exit codes"
is "$(status --silent-days 0)" 2 "a bad option value: exit 2"
done_testing
