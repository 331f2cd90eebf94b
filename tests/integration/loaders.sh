#!/bin/sh
# The loader registry (011_loaders.sql): a loader registers when it starts, beats through
# its lease keeper while it loads (progress_rows moves with it), and says it stopped at a
# clean exit. A loader killed with SIGKILL is shown gone once its lease has run out, its
# file is abandoned and claimable, and `status` is critical while files wait with no live
# loader (naming them). Acknowledgements (ack_file) are audited, drop the health level,
# and are refused to support.
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_loaders)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d t_loaders; }
q "INSERT INTO meterops.meter (mpxn, fuel) SELECT '50000000' || lpad(i::text, 2, '0'), 'gas' FROM generate_series(0, 99) i"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
wait_for() {
    i=0
    while [ "$(q "$1" 2>/dev/null)" != "$2" ] && [ $i -lt 300 ]; do sleep 0.2; i=$((i + 1)); done
}
gen() { # 20 gas meters x 2 days x 48 half hours
    awk -v day="$2" 'BEGIN { print "mpxn,timestamp,kwh"
        for (m = 0; m < 20; m++) for (d = 0; d < 2; d++) for (s = 0; s < 48; s++)
            printf "50000000%02d,2024-10-%02dT%02d:%02d:00Z,0.%03d\n", m, day + d, int(s / 2), (s % 2) * 30, (m * 7 + s * 3) % 1000 }' >"$1"
}
status() { "$MO_BIN" status --db "$db" "$@" >"$t/out" 2>"$t/err"; echo $?; }
json() { python3 -c "import json,sys; d=json.load(open('$t/out')); print($1)"; }
check() { json "[(c['level'], c['file_ids']) for c in d['checks'] if c['name'] == '$1'][0]"; }
slow="MO_LOAD_THROTTLE_MS=200 MO_LOAD_CHUNK_BYTES=4096"

# --- registration, heartbeat, stop -------------------------------------------------------
gen "$t/a.csv" 1
env $slow "$MO_BIN" load --db "$db" --quiet --jobs 1 "$t/a.csv" >/dev/null 2>&1 &
pid=$!
wait_for "SELECT count(*) FROM meterops.loader WHERE pid = $pid AND files_in_hand = 1" 1
is "$(q "SELECT kind || ' ' || owner || ' ' || (stopped_at IS NULL) || ' ' || (job_id IS NOT NULL) || ' ' || lease_s
         FROM meterops.loader WHERE pid = $pid")" "once $(hostname):$pid true true 60" \
   "a one-shot loader registers: kind, its claimed_by name, its job and its lease"
b1=$(q "SELECT heartbeat_at FROM meterops.loader WHERE pid = $pid")
p1=$(q "SELECT progress_rows FROM meterops.load_file WHERE path = '$t/a.csv'")
wait_for "SELECT heartbeat_at > '$b1' AND progress_rows > $p1 FROM meterops.loader, meterops.load_file
          WHERE pid = $pid AND path = '$t/a.csv'" t
is "$(q "SELECT heartbeat_at > '$b1' AND progress_rows > $p1 FROM meterops.loader, meterops.load_file
         WHERE pid = $pid AND path = '$t/a.csv'")" t \
   "while it loads, its heartbeat and the file's progress_rows move (one statement per tick)"
status --json >/dev/null
is "$(json "[(l['pid'], l['live'], l['files_in_hand']) for l in d['loaders']]")" "[($pid, True, 1)]" \
   "status --json lists the live loader with its file in hand"
wait $pid
is "$?" 0 "the load finishes"
is "$(q "SELECT (stopped_at IS NOT NULL) || ' ' || files_in_hand FROM meterops.loader WHERE pid = $pid")" "true 0" \
   "a clean exit marks the loader stopped"
status --json >/dev/null
is "$(json "len(d['loaders'])")" 0 "a stopped loader is no longer listed"

# --- SIGKILL: gone, its file abandoned, back in the queue ----------------------------------
gen "$t/k.csv" 5
env $slow "$MO_BIN" load --db "$db" --quiet --jobs 1 --lease 2 "$t/k.csv" >/dev/null 2>&1 &
pid=$!
wait_for "SELECT progress_rows > 0 FROM meterops.load_file WHERE path = '$t/k.csv'" t
kill -KILL $pid
wait $pid 2>/dev/null
fid=$(q "SELECT file_id FROM meterops.load_file WHERE path = '$t/k.csv'")
wait_for "SELECT lease_until < now() FROM meterops.load_file WHERE file_id = $fid" t
wait_for "SELECT heartbeat_at < now() - interval '2 seconds' FROM meterops.loader WHERE pid = $pid" t
is "$(status --json)" 2 "a killed loader's file waits and no loader is alive: exit 2"
is "$(json "[(l['pid'], l['live']) for l in d['loaders']]")" "[($pid, False)]" "the killed loader is shown gone"
is "$(check queued_without_loader)" "('critical', [$fid])" "queued_without_loader is critical and names the file"
is "$(check expired_leases)" "('critical', [$fid])" "expired_leases names the abandoned file"
status >/dev/null
like "$(cat "$t/out")" "loader +$(hostname):$pid once, 1 file\(s\) in hand, heartbeat [0-9]+ s ago, GONE" "the text says the loader is gone"
like "$(cat "$t/out")" "#$fid .*ABANDONED" "... and the file abandoned"
"$MO_BIN" load --db "$db" --quiet --queued >/dev/null 2>&1
is "$(q "SELECT status || ' ' || attempts FROM meterops.load_file WHERE file_id = $fid")" "loaded 2" \
   "the abandoned file is claimable: the next loader loads it"
is "$(status)" 0 "nothing waits any more: healthy"

# --- requeue with no loader alive ---------------------------------------------------------
out=$("$MO_BIN" requeue --db "$db" "$fid" --reason "test" 2>&1)
like "$out" "no loader is alive to take it" "requeue says no loader is alive to take the file"
is "$(status)" 2 "a requeued file with no live loader: critical"
"$MO_BIN" load --db "$db" --quiet --queued >/dev/null 2>&1
is "$(status)" 0 "loaded again: healthy"

# --- acknowledgements -----------------------------------------------------------------------
q "INSERT INTO meterops.load_file (path, sha256, format, status, finished_at, message)
   VALUES ('/in/bad.csv', repeat('e', 64), 'long', 'failed', now() - interval '5 minutes', 'cannot open')" >/dev/null
bad=$(q "SELECT file_id FROM meterops.load_file WHERE path = '/in/bad.csv'")
is "$(status --json)" 2 "a failed file: critical"
is "$(check failed_files_24h)" "('critical', [$bad])" "failed_files_24h names the file"
is "$(json "[(p['file_id'], p['message'], p['acked']) for p in d['problems']]")" "[($bad, 'cannot open', False)]" \
   "the problems list has the file with its message"
out=$(q "SET ROLE meterops_support; SELECT meterops.ack_file($bad, 'no')" 2>&1)
like "$out" "permission denied for function ack_file" "support may not acknowledge"
out=$("$MO_BIN" ack --db "$db" $fid --reason "loaded files need none" 2>&1); rc=$?
is "$rc" 1 "a loaded file cannot be acknowledged: exit 1"
like "$out" "only rejected or failed files can be acknowledged" "... and says why"
out=$("$MO_BIN" ack --db "$db" "$bad" 2>&1); rc=$?
is "$rc" 2 "ack without --reason: exit 2"
q "SET ROLE meterops_operator; SELECT meterops.ack_file($bad, 'source withdrawn by the supplier')" >/dev/null
is "$(q "SELECT db_user || ' ' || action || ' ' || target || ' ' || reason FROM meterops.audit_log WHERE action = 'ack'")" \
   "postgres ack load_file:$bad source withdrawn by the supplier" "the ack is audited with the session user and the reason"
is "$(status --json)" 0 "acknowledged: the level drops to ok"
is "$(json "[(p['file_id'], p['acked']) for p in d['problems']]")" "[($bad, True)]" "the file is still listed, marked acked"
is "$(json "[c['value'] for c in d['checks'] if c['name'] == 'failed_files_24h'][0]")" "1.0" "and still counted"
q "UPDATE meterops.load_file SET finished_at = now() WHERE file_id = $bad" >/dev/null
is "$(status)" 2 "finished again after the ack: it counts again"
out=$("$MO_BIN" ack --db "$db" "$bad" --reason "seen again" 2>&1); rc=$?
is "$rc" 0 "meterops ack: exit 0"
is "$out" "file $bad: acknowledged" "meterops ack says so"
is "$(status)" 0 "healthy again"
done_testing
